//! Splitting a feed into lines: [`feed_lines`], with a bound on a line's length, and
//! [`is_blank_line`].

use super::desired::{MatchKey, key_in_bytes};

/// Whether a feed line is blank: nothing but white space, a byte order mark aside (an empty
/// feed saved as "UTF-8 with BOM" is one such line). [`SyncJob::run`](super::SyncJob::run)
/// gives a blank line no outcome; [`parse_line`](super::parse_line) reads a line without its byte order mark.
#[must_use]
pub fn is_blank_line(text: &str) -> bool {
    text.trim_start_matches('\u{feff}').trim().is_empty()
}

/// The longest feed line that [`feed_lines`] hands over: 1 MiB. PingOne refuses a user
/// whose JSON passes 16 KiB, so a longer line can never be applied; it is most likely a file
/// that is not JSON Lines (a JSON array on one line, a binary file).
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// The lines of a feed for [`SyncJob::run`](super::SyncJob::run), as
/// [`BufRead::lines`](std::io::BufRead::lines) gives them (without `\n` or `\r\n`, an error
/// of kind [`InvalidData`](std::io::ErrorKind::InvalidData) for a line that is not UTF-8),
/// except that a line longer than [`MAX_LINE_BYTES`] is not kept in memory: it is read to
/// its end and dropped, and given as an error of kind `InvalidData`, which the job reports as
/// that line's [`Status::Invalid`](super::Status::Invalid) outcome before it goes on (saying
/// so when it holds a `\r` without a `\n`: a feed whose lines end with `\r` alone, read as
/// one line). A line that is not UTF-8 keeps the key its top-level members give (`id`,
/// `username` or `email`, when those are UTF-8), so that the job records which user it named
/// and a later line for that user is a duplicate, as after any other invalid line.
/// `BufRead::lines` holds a whole line, however long: a feed of gigabytes without a line end
/// took the process's memory.
///
/// ```
/// use sparse_patch::pingone::sync::{MAX_LINE_BYTES, feed_lines};
///
/// let feed = format!("{{\"username\": \"ada\"}}\n{}\n\n", "x".repeat(MAX_LINE_BYTES + 1));
/// let lines: Vec<_> = feed_lines(feed.as_bytes()).collect();
/// assert_eq!(lines.len(), 3);
/// assert_eq!(lines[0].as_ref().unwrap(), r#"{"username": "ada"}"#);
/// assert_eq!(lines[1].as_ref().unwrap_err().kind(), std::io::ErrorKind::InvalidData);
/// assert_eq!(lines[2].as_ref().unwrap(), "");
/// ```
///
/// An error of the reader (other than [`Interrupted`](std::io::ErrorKind::Interrupted), which
/// is retried) is given once and ends the lines: the line it cut is not handed over in parts
/// (its rest read as a line of its own), and a reader that fails at every read (a device gone,
/// a corrupt compressed stream saying `InvalidData` again and again) is not read forever.
///
/// A feed that starts with a UTF-16 byte order mark (`FF FE` or `FE FF`: saved as UTF-16, as
/// PowerShell 5's `>` and Excel's "Unicode Text" write) gives one error of kind
/// `InvalidData` that says so, and no line: read as UTF-8, each of its lines would be an
/// error of its own that says nothing of why (a NUL byte before every character).
pub fn feed_lines<R: std::io::BufRead>(reader: R) -> FeedLines<R> {
    FeedLines {
        reader,
        line: LineBuffer::default(),
    }
}

/// The iterator of [`feed_lines`]. It reads nothing until it is iterated, as the standard
/// library's iterators, and is `#[must_use]` as they are: `feed_lines(reader);` alone reads
/// no line.
#[derive(Debug)]
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct FeedLines<R> {
    reader: R,
    line: LineBuffer,
}

impl<R: std::io::BufRead> Iterator for FeedLines<R> {
    type Item = std::io::Result<String>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.line.failed {
            return None;
        }
        loop {
            let available = match self.reader.fill_buf() {
                Ok(available) => available,
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(error) => return Some(Err(self.line.fail(error))),
            };
            if available.is_empty() {
                return self.line.at_end();
            }
            let (used, line) = self.line.take(available);
            self.reader.consume(used);
            if line.is_some() {
                return line;
            }
        }
    }
}

/// [`feed_lines`] for an asynchronous reader: the same lines, with the same rules (a line
/// longer than [`MAX_LINE_BYTES`] read to its end and dropped, a UTF-16 feed refused, a
/// reader's error given once and ending the lines), as a [`Stream`](futures_util::Stream) for
/// [`SyncJob::run_stream`](super::SyncJob::run_stream).
///
/// Use it for a feed that arrives slowly (a pipe from another program, a socket, a download):
/// while the reader waits, the job's calls in flight go on. `feed_lines` under
/// [`SyncJob::run`](super::SyncJob::run) reads in the job's task, and a read that waits holds
/// the thread: on a `current_thread` runtime nothing else runs meanwhile.
///
/// A pipe is `feed_lines_async(tokio::io::BufReader::new(tokio::io::stdin()))`, for which your
/// `Cargo.toml` turns on tokio's features `io-util` (`BufReader`) and `io-std` (`stdin`);
/// `process` gives a child's output, `net` a socket. [`SyncJob::run_stream`](super::SyncJob::run_stream)
/// takes lines that are `Send + 'static`, so give it a reader that owns its input (stdin, a
/// file, an owned buffer in a `std::io::Cursor`), not one that borrows a local.
///
/// ```
/// use futures_util::StreamExt;
/// use sparse_patch::pingone::sync::feed_lines_async;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let feed: &[u8] = b"{\"username\": \"ada\"}\r\n\n{\"username\": \"bo\"}";
/// let lines: Vec<_> = feed_lines_async(feed).map(Result::unwrap).collect().await;
/// assert_eq!(lines, [r#"{"username": "ada"}"#, "", r#"{"username": "bo"}"#]);
/// # }
/// ```
pub fn feed_lines_async<R: tokio::io::AsyncBufRead + Unpin>(reader: R) -> FeedLinesAsync<R> {
    FeedLinesAsync {
        reader,
        line: LineBuffer::default(),
    }
}

/// The stream of [`feed_lines_async`]. It reads nothing until it is polled, and is
/// `#[must_use]` as streams are.
#[derive(Debug)]
#[must_use = "streams do nothing unless polled"]
pub struct FeedLinesAsync<R> {
    reader: R,
    line: LineBuffer,
}

impl<R: tokio::io::AsyncBufRead + Unpin> futures_util::Stream for FeedLinesAsync<R> {
    type Item = std::io::Result<String>;

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        context: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        use std::task::Poll;
        let this = self.get_mut();
        if this.line.failed {
            return Poll::Ready(None);
        }
        loop {
            let available = match std::pin::Pin::new(&mut this.reader).poll_fill_buf(context) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Ok(available)) => available,
                Poll::Ready(Err(error)) if error.kind() == std::io::ErrorKind::Interrupted => {
                    continue;
                }
                Poll::Ready(Err(error)) => return Poll::Ready(Some(Err(this.line.fail(error)))),
            };
            if available.is_empty() {
                return Poll::Ready(this.line.at_end());
            }
            let (used, line) = this.line.take(available);
            std::pin::Pin::new(&mut this.reader).consume(used);
            if line.is_some() {
                return Poll::Ready(line);
            }
        }
    }
}

/// What [`FeedLines`] and [`FeedLinesAsync`] keep between two looks at their reader's buffer:
/// the line read so far, and the rules that make it a line.
#[derive(Debug, Default)]
struct LineBuffer {
    /// The line's bytes so far (none once it is too long).
    line: Vec<u8>,
    /// The line passed [`MAX_LINE_BYTES`]: the rest of it is read and dropped.
    too_long: bool,
    /// A byte of the line was read (a feed that ends after a line end has no line after it).
    started: bool,
    /// The line, too long, holds a `\r` that no `\n` follows: lines that end with `\r`
    /// alone, read as one.
    lone_carriage_return: bool,
    /// The bytes of the line read so far end with a `\r` (whether a `\n` follows is in the
    /// reader's next buffer).
    ends_with_carriage_return: bool,
    /// The feed's first bytes were checked for a UTF-16 byte order mark.
    encoding_checked: bool,
    /// The reader failed, or the feed is UTF-16: the lines ended with that error.
    failed: bool,
}

impl LineBuffer {
    /// Reads the bytes at the start of `available` (a reader's buffer, not empty) into the
    /// line, up to and with its `\n`. Returns how many bytes it took (for the reader's
    /// `consume`) and the line, when it ended there.
    fn take(&mut self, available: &[u8]) -> (usize, Option<std::io::Result<String>>) {
        self.started = true;
        let end = available.iter().position(|byte| *byte == b'\n');
        let part = &available[..end.unwrap_or(available.len())];
        // A UTF-16 feed's byte order mark comes before any `\n` (`0A 00` or `00 0A`). Looked
        // for before the line is kept, which a first line over the limit is not.
        if !self.encoding_checked && (self.line.len() + part.len() >= 2 || end.is_some()) {
            self.encoding_checked = true;
            let mut start = self.line.iter().chain(part).copied();
            if matches!(
                (start.next(), start.next()),
                (Some(0xff), Some(0xfe)) | (Some(0xfe), Some(0xff))
            ) {
                return (
                    0,
                    Some(Err(self.fail(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        "the feed is UTF-16 (it starts with a UTF-16 byte order mark, as \
                         PowerShell's Out-File and Excel's \"Unicode Text\" write): save it \
                         as UTF-8; no line was read",
                    )))),
                );
            }
        }
        // One byte more than the limit is kept for a `\r` before the `\n`.
        if !self.too_long && self.line.len() + part.len() > MAX_LINE_BYTES + 1 {
            self.too_long = true;
            self.lone_carriage_return = lone_carriage_return(&self.line);
            self.line = Vec::new();
        }
        if self.too_long {
            // Looked for in what is dropped, for the error to say why the line is so long.
            self.lone_carriage_return |= lone_carriage_return(part)
                || (self.ends_with_carriage_return
                    && part.first().is_some_and(|b| !matches!(b, b'\n' | b'\r')));
        } else {
            self.line.extend_from_slice(part);
        }
        if !part.is_empty() {
            self.ends_with_carriage_return = part.last() == Some(&b'\r');
        }
        let used = part.len() + usize::from(end.is_some());
        (used, end.map(|_| self.finish(true)))
    }

    /// The reader has no more bytes: the last line, when it has no line end.
    fn at_end(&mut self) -> Option<std::io::Result<String>> {
        self.started.then(|| self.finish(false))
    }

    /// The reader failed with `error`: the lines end with it.
    fn fail(&mut self, error: std::io::Error) -> std::io::Error {
        self.failed = true;
        error
    }

    /// The line read, without the `\r` of a `\r\n` when `line_end` (it ended with a `\n`;
    /// the last line, without one, keeps a `\r` as `BufRead::lines` does), and the buffer
    /// ready for the next.
    fn finish(&mut self, line_end: bool) -> std::io::Result<String> {
        let mut line = std::mem::take(&mut self.line);
        let too_long = std::mem::take(&mut self.too_long);
        let lone_carriage_return = std::mem::take(&mut self.lone_carriage_return);
        self.ends_with_carriage_return = false;
        self.started = false;
        if line_end && line.last() == Some(&b'\r') {
            line.pop();
        }
        if too_long || line.len() > MAX_LINE_BYTES {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "the line is longer than {MAX_LINE_BYTES} bytes, more than any user PingOne \
                     stores (16 KiB): it was not read{}",
                    if lone_carriage_return {
                        " (it holds carriage returns, \\r, without a line feed: lines that end \
                         with \\r alone, as classic Mac OS and Excel for Mac write them, read \
                         as one line; end each line with \\n)"
                    } else {
                        ""
                    }
                ),
            ));
        }
        String::from_utf8(line).map_err(|error| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                NotUtf8Line {
                    message: not_utf8(&error),
                    key: key_in_bytes(error.as_bytes()),
                },
            )
        })
    }
}

/// The error of a line that is not UTF-8: what [`not_utf8`] says, and the key the line's
/// top-level members give ([`key_in_bytes`]), so that the job records which user the line
/// named (a later line for that user is a duplicate, as after any other invalid line).
#[derive(Debug)]
struct NotUtf8Line {
    message: String,
    key: Option<MatchKey>,
}

impl std::fmt::Display for NotUtf8Line {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for NotUtf8Line {}

/// The key of a line that [`feed_lines`] or [`feed_lines_async`] gave as not UTF-8, when its
/// top-level members name one; `None` for any other error.
pub(super) fn unreadable_line_key(error: &std::io::Error) -> Option<MatchKey> {
    error.get_ref()?.downcast_ref::<NotUtf8Line>()?.key.clone()
}

/// Whether `bytes` hold a `\r` followed by another byte than `\n` or `\r` (a `\r\r\n`, a
/// `\r\n` line end converted twice, ends one line).
fn lone_carriage_return(bytes: &[u8]) -> bool {
    bytes
        .windows(2)
        .any(|pair| pair[0] == b'\r' && !matches!(pair[1], b'\n' | b'\r'))
}

/// Why a line is not UTF-8, and what to do: the first byte at fault and its column (counted in
/// characters, from 1). `BufRead::lines` says only "stream did not contain valid UTF-8", which
/// names neither the byte nor the likely cause: a feed saved as Latin-1 or Windows-1252 (as
/// Excel's "CSV" and many exports write `é` as the one byte `E9`).
fn not_utf8(error: &std::string::FromUtf8Error) -> String {
    let bytes = error.as_bytes();
    let at = error.utf8_error().valid_up_to();
    let column = String::from_utf8_lossy(&bytes[..at]).chars().count() + 1;
    format!(
        "the line is not UTF-8 (byte 0x{:02X} at column {column}): a feed saved as Latin-1 or \
         Windows-1252, as spreadsheets and many exports write it? Save it as UTF-8",
        bytes.get(at).copied().unwrap_or_default()
    )
}
