// `feed_lines` and `feed_lines_async` return a lazy iterator and a lazy stream: a call whose
// result is dropped reads no line, and says so, as the standard library's iterators do.
#![deny(unused_must_use)]

fn main() {
    let feed: &[u8] = b"{\"username\": \"ada\"}\n";
    sparse_patch::pingone::sync::feed_lines(feed);
    sparse_patch::pingone::sync::feed_lines_async(feed);
}
