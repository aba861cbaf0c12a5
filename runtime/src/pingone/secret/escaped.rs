//! A secret taken out of a text where a JSON escape writes it ([`redact_escaped`]): the text
//! read as JSON string content, and each match replaced in the raw text it was read from.

use super::written::stands_alone;

/// `text` with each occurrence of `secret` in what it reads as JSON string content replaced
/// by `***` (with `whole_words`, each that [stands alone](stands_alone) there), or `None` when
/// none is written with a JSON escape (the caller replaces those written as they are). The
/// text is read as JSON string content:
/// an escape (`\n`, `\/`, `\u0041`, a surrogate pair) is the character it stands for, any
/// other character itself; the secret is searched in what that reads as, and each match
/// replaces the raw text it was read from. With `whole_words`, a match written as it is but
/// standing alone only as read (`\nt` for `t`) counts as escaped: the caller, which reads
/// `nt`, would keep it.
pub(super) fn redact_escaped(text: &str, secret: &str, whole_words: bool) -> Option<String> {
    // Read once without marks: a text that does not hold the secret (nearly every one) costs
    // no more memory than its length.
    if !read_json_text(text, None).contains(secret) {
        return None;
    }
    let mut marks = Vec::new();
    let read = read_json_text(text, Some(&mut marks));
    let to_raw = |offset: usize| {
        let mark = marks.partition_point(|&(read_at, _)| read_at <= offset);
        marks
            .get(mark.wrapping_sub(1))
            .map_or(offset, |&(read_at, raw_at)| raw_at + (offset - read_at))
    };
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut changed = false;
    for (start, _) in read.match_indices(secret) {
        let end = start + secret.len();
        if whole_words && !stands_alone(&read, start, end) {
            continue;
        }
        let (raw_start, raw_end) = (to_raw(start), to_raw(end));
        // A match without an escape is the raw secret, which the caller replaces; with
        // `whole_words`, where the caller's reading sees it alone too.
        if text[raw_start..raw_end] != *secret
            || (whole_words && !stands_alone(text, raw_start, raw_end))
        {
            changed = true;
        }
        out.push_str(&text[copied..raw_start]);
        out.push_str("***");
        copied = raw_end;
    }
    if !changed {
        return None;
    }
    out.push_str(&text[copied..]);
    Some(out)
}

/// `text` read as JSON string content: each escape (`\n`, `\/`, `\u0041`, a surrogate
/// pair) as the character it stands for, anything else (a backslash that starts no escape
/// too) as it is. With `marks`, where each escape is: (offset in what is read, offset in
/// `text`) at its start and its end; between two marks both advance together.
fn read_json_text(text: &str, mut marks: Option<&mut Vec<(usize, usize)>>) -> String {
    let mut read = String::with_capacity(text.len());
    let mut raw = 0;
    while let Some(found) = text[raw..].find('\\') {
        let at = raw + found;
        read.push_str(&text[raw..at]);
        match json_escape(&text[at..]) {
            Some((c, length)) => {
                let start = read.len();
                read.push(c);
                raw = at + length;
                if let Some(marks) = marks.as_deref_mut() {
                    marks.push((start, at));
                    marks.push((read.len(), raw));
                }
            }
            None => {
                read.push('\\');
                raw = at + 1;
            }
        }
    }
    read.push_str(&text[raw..]);
    read
}

/// The character that the JSON escape at the start of `text` (which starts with `\`) stands
/// for, and the escape's length; `None` when it is not one.
fn json_escape(text: &str) -> Option<(char, usize)> {
    let bytes = text.as_bytes();
    let simple = match *bytes.get(1)? {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'u' => {
            let unit = |at: usize| {
                let digits = text.get(at..at + 4)?;
                if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                u32::from_str_radix(digits, 16).ok()
            };
            let first = unit(2)?;
            if let Some(c) = char::from_u32(first) {
                return Some((c, 6));
            }
            // A high surrogate, then a low one: one character of 12 bytes.
            if (0xD800..0xDC00).contains(&first) && text.get(6..8) == Some("\\u") {
                let second = unit(8)?;
                if (0xDC00..0xE000).contains(&second) {
                    let c = char::from_u32(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))?;
                    return Some((c, 12));
                }
            }
            return None;
        }
        _ => return None,
    };
    Some((simple, 2))
}
