//! Splitting a feed into lines: [`feed_lines`], with a bound on a line's length, and
//! [`is_blank_line`].

/// Whether a feed line is blank: nothing but white space, a byte order mark aside (an empty
/// feed saved as "UTF-8 with BOM" is one such line). [`SyncJob::run`](super::SyncJob::run)
/// gives a blank line no outcome; [`parse_line`](super::parse_line) reads a line without its byte order mark.
#[must_use]
pub fn is_blank_line(text: &str) -> bool {
    text.trim_start_matches('\u{feff}').trim().is_empty()
}

/// The longest feed line that [`feed_lines`] hands over: 1 MiB. PingOne refuses a user
/// whose JSON passes 16 KB, so a longer line can never be applied; it is most likely a file
/// that is not JSON Lines (a JSON array on one line, a binary file).
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// The lines of a feed for [`SyncJob::run`](super::SyncJob::run), as
/// [`BufRead::lines`](std::io::BufRead::lines) gives them (without `\n` or `\r\n`, an error
/// of kind [`InvalidData`](std::io::ErrorKind::InvalidData) for a line that is not UTF-8),
/// except that a line longer than [`MAX_LINE_BYTES`] is not kept in memory: it is read to
/// its end and dropped, and given as an error of kind `InvalidData`, which the job reports as
/// that line's [`Status::Invalid`](super::Status::Invalid) outcome before it goes on.
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
        failed: false,
        started: false,
    }
}

/// The iterator of [`feed_lines`].
#[derive(Debug)]
pub struct FeedLines<R> {
    reader: R,
    /// The reader failed: the lines ended with that error.
    failed: bool,
    /// The first line was read (and the feed checked for a UTF-16 byte order mark).
    started: bool,
}

impl<R: std::io::BufRead> FeedLines<R> {
    /// Whether the feed starts with a UTF-16 byte order mark.
    fn starts_as_utf16(&mut self) -> std::io::Result<bool> {
        loop {
            match self.reader.fill_buf() {
                Ok(start) => {
                    return Ok(start.starts_with(&[0xff, 0xfe]) || start.starts_with(&[0xfe, 0xff]));
                }
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
                Err(error) => return Err(error),
            }
        }
    }
}

impl<R: std::io::BufRead> Iterator for FeedLines<R> {
    type Item = std::io::Result<String>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        if !self.started {
            self.started = true;
            match self.starts_as_utf16() {
                Ok(false) => {}
                Ok(true) => {
                    self.failed = true;
                    return Some(Err(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        "the feed is UTF-16 (it starts with a UTF-16 byte order mark, as \
                         PowerShell's Out-File and Excel's \"Unicode Text\" write): save it \
                         as UTF-8; no line was read",
                    )));
                }
                Err(error) => {
                    self.failed = true;
                    return Some(Err(error));
                }
            }
        }
        let mut line = Vec::new();
        let mut too_long = false;
        let mut read = false;
        loop {
            let available = match self.reader.fill_buf() {
                Ok(available) => available,
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(error) => {
                    self.failed = true;
                    return Some(Err(error));
                }
            };
            if available.is_empty() {
                if !read {
                    return None;
                }
                break;
            }
            read = true;
            let end = available.iter().position(|byte| *byte == b'\n');
            let part = &available[..end.unwrap_or(available.len())];
            if !too_long {
                if line.len() + part.len() > MAX_LINE_BYTES + 1 {
                    // One byte more than the limit is kept for a `\r` before the `\n`.
                    too_long = true;
                    line = Vec::new();
                } else {
                    line.extend_from_slice(part);
                }
            }
            let used = part.len() + usize::from(end.is_some());
            self.reader.consume(used);
            if end.is_some() {
                break;
            }
        }
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        if too_long || line.len() > MAX_LINE_BYTES {
            return Some(Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "the line is longer than {MAX_LINE_BYTES} bytes, more than any user PingOne \
                     stores (16 KB): it was not read"
                ),
            )));
        }
        Some(String::from_utf8(line).map_err(|_| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "stream did not contain valid UTF-8",
            )
        }))
    }
}
