//! [`Secret`]: an access token or a client secret, never shown in `Debug`, and taken out of
//! any text that an error keeps (an answer's body may echo the request's headers).

use core::fmt;
use std::sync::{Arc, OnceLock};

use reqwest::header::HeaderValue;

/// A string that never shows in `Debug` or `Display`: an access token or a client secret.
///
/// Shared, not copied, by a clone: each request takes the token of the moment from the cache
/// (`TokenProvider::ready`), and a copy of the text cost every call an allocation.
#[derive(Clone)]
pub(crate) struct Secret(Arc<Shared>);

struct Shared {
    text: Box<str>,
    /// The `Authorization` header value that sends the secret as a bearer token, built by the
    /// first request that sends it ([`Secret::bearer`]).
    bearer: OnceLock<Option<HeaderValue>>,
}

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        self.expose() == other.expose()
    }
}

impl Eq for Secret {}

impl Secret {
    /// `text`, kept as a secret.
    pub(crate) fn new(text: String) -> Self {
        Secret(Arc::new(Shared {
            text: text.into_boxed_str(),
            bearer: OnceLock::new(),
        }))
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0.text
    }

    /// `Bearer {secret}`, the value of the `Authorization` header that sends it as a bearer
    /// token (RFC 6750 §2.1), marked sensitive as reqwest's `bearer_auth` marks it; `None` when
    /// the text cannot be in a header value (a control character). Built once per secret and
    /// shared by every request that sends it: formatting and checking it for each request
    /// cost about 1,500 instructions a call.
    pub(crate) fn bearer(&self) -> Option<&HeaderValue> {
        self.0
            .bearer
            .get_or_init(|| {
                let mut value = HeaderValue::try_from(format!("Bearer {}", self.expose())).ok()?;
                value.set_sensitive(true);
                Some(value)
            })
            .as_ref()
    }

    /// `text` with this secret replaced by `***`: as it is, and written with JSON escapes
    /// (`\/`, `\"`, `\\`, `\u0073` in either case, surrogate pairs), however many of its
    /// characters are escaped, as a JSON body that echoes it may write it: also in a body that
    /// is not an error object, or is cut, whose start an error shows as it is. A JSON body's
    /// strings are redacted once decoded too (see `Answer::api_error` and `token_error`): a
    /// body that escaped the secret twice.
    ///
    /// A secret shorter than [`WHOLE_WORDS_BELOW`] characters (a test's token `t` or `token`:
    /// PingOne's access tokens are JWTs of hundreds, its client secrets 64) is taken out only
    /// where it is not part of a longer word ([`stands_alone`]): a token `t` blanked every `t`
    /// of an error's text (`***he ***oken was refused`). A longer one is taken out wherever it
    /// is.
    ///
    /// Linear in `text` (one search for the secret, and one pass over a text that holds a
    /// backslash), and without allocating for a text that holds neither: every string of a
    /// large error body goes through it.
    pub(crate) fn redact(&self, text: &str) -> String {
        self.redact_cow(text).into_owned()
    }

    /// [`redact`](Secret::redact), borrowing a text that holds no secret.
    fn redact_cow<'t>(&self, text: &'t str) -> std::borrow::Cow<'t, str> {
        use std::borrow::Cow;
        let secret = self.expose();
        if secret.is_empty() {
            return Cow::Borrowed(text);
        }
        let whole_words = self.is_short();
        let mut text = Cow::Borrowed(text);
        if text.contains('\\')
            && let Some(unescaped) = redact_escaped(&text, secret, whole_words)
        {
            text = Cow::Owned(unescaped);
        }
        match replace_written(&text, secret, whole_words) {
            Cow::Owned(replaced) => Cow::Owned(replaced),
            Cow::Borrowed(_) => text,
        }
    }

    /// Whether the secret is shorter than [`WHOLE_WORDS_BELOW`] characters, and so taken out
    /// of a text only where it stands alone ([`redact`](Secret::redact)).
    pub(crate) fn is_short(&self) -> bool {
        self.expose().chars().nth(WHOLE_WORDS_BELOW - 1).is_none()
    }

    /// Every string of `value`, member names included, with this secret taken out
    /// ([`redact`](Secret::redact)).
    pub(crate) fn redact_json(&self, value: &mut serde_json::Value) {
        use serde_json::Value;
        match value {
            Value::String(text) => {
                if let std::borrow::Cow::Owned(redacted) = self.redact_cow(text) {
                    *text = redacted;
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|item| self.redact_json(item)),
            Value::Object(members) => {
                if members
                    .keys()
                    .any(|name| matches!(self.redact_cow(name), std::borrow::Cow::Owned(_)))
                {
                    *members = std::mem::take(members)
                        .into_iter()
                        .map(|(name, value)| (self.redact(&name), value))
                        .collect();
                }
                members
                    .values_mut()
                    .for_each(|member| self.redact_json(member));
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }
}

/// How many characters a secret has at least for [`Secret::redact`] to take it out wherever
/// it is; a shorter one is taken out only where it stands alone ([`stands_alone`]).
pub(crate) const WHOLE_WORDS_BELOW: usize = 8;

/// `text` with each occurrence of `written` (a secret, or a form of it) replaced by `***`,
/// only those that [stand alone](stands_alone) with `whole_words`; borrowed when none is.
pub(crate) fn replace_written<'t>(
    text: &'t str,
    written: &str,
    whole_words: bool,
) -> std::borrow::Cow<'t, str> {
    use std::borrow::Cow;
    if written.is_empty() || !text.contains(written) {
        return Cow::Borrowed(text);
    }
    if !whole_words {
        return Cow::Owned(text.replace(written, "***"));
    }
    let mut out = String::new();
    let mut copied = 0;
    for (start, _) in text.match_indices(written) {
        if stands_alone(text, start, start + written.len()) {
            out.push_str(&text[copied..start]);
            out.push_str("***");
            copied = start + written.len();
        }
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// Whether `text[start..end]` is not part of a longer word: a letter, digit or `_` at either
/// end of it is not next to another one (the word boundary of regular expressions, `\b`).
/// `t` stands alone in `a t.` and `"t"`, not in `the`; `a/b` stands alone in `=a/b&`. A
/// percent-escape before it (RFC 3986 §2.1: a form body or a URL echoed encoded) is the
/// character it stands for: `t` stands alone in `token%3Dt` and `%22t%22` (`="t"`), not in
/// `%41t` (`At`), also encoded twice or more (`%253Dt`, [`escaped_byte_before`]); one of a
/// byte outside ASCII, part of a character that it alone does not tell, is taken for no
/// letter.
fn stands_alone(text: &str, start: usize, end: usize) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let found = &text[start..end];
    let before = &text[..start];
    let word_before = match escaped_byte_before(before) {
        Some(byte) => byte.is_ascii_alphanumeric() || byte == b'_',
        None => before.chars().next_back().is_some_and(word),
    };
    let joined_before = found.chars().next().is_some_and(word) && word_before;
    let joined_after =
        found.chars().next_back().is_some_and(word) && text[end..].chars().next().is_some_and(word);
    !joined_before && !joined_after
}

/// The byte of the percent-escape that `before` ends with (RFC 3986 §2.1), encoded once or
/// more, up to [`MOST_PERCENT_ENCODINGS`] times (`%3D`, `%253D`, `%25253D`: a form body in
/// a URL in a URL, `%25` the `%` of the escape inside it); `None` when it ends with none.
fn escaped_byte_before(before: &str) -> Option<u8> {
    let bytes = before.as_bytes();
    let digits = bytes.len().checked_sub(2)?;
    if !bytes[digits..].iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let byte = u8::from_str_radix(&before[digits..], 16).ok()?;
    // Back over each `25` (an encoded `%`) to the `%` that starts the escape; a few levels
    // only, so that a run of `2525...` before each of many matches (a secret `5`) costs no
    // more than the text's length.
    let mut at = digits;
    for _ in 0..=MOST_PERCENT_ENCODINGS {
        match bytes[..at] {
            [.., b'%'] => return Some(byte),
            [.., b'2', b'5'] => at -= 2,
            _ => return None,
        }
    }
    None
}

/// How many times over [`escaped_byte_before`] reads a percent-escape encoded (`%25` before
/// it, each time); a deeper one is taken for digits.
const MOST_PERCENT_ENCODINGS: usize = 8;

/// `text` with each occurrence of `secret` in what it reads as JSON string content replaced
/// by `***` (with `whole_words`, each that [stands alone](stands_alone) there), or `None` when
/// none is written with a JSON escape (the caller replaces those written as they are). The
/// text is read as JSON string content:
/// an escape (`\n`, `\/`, `\u0041`, a surrogate pair) is the character it stands for, any
/// other character itself; the secret is searched in what that reads as, and each match
/// replaces the raw text it was read from. With `whole_words`, a match written as it is but
/// standing alone only as read (`\nt` for `t`) counts as escaped: the caller, which reads
/// `nt`, would keep it.
fn redact_escaped(text: &str, secret: &str, whole_words: bool) -> Option<String> {
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

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"***\"")
    }
}

#[cfg(test)]
mod tests {
    /// Every way a JSON text may write the secret, alone or among other text and escapes.
    #[test]
    fn redact_finds_the_secret_however_it_is_escaped() {
        let secret = super::Secret::new(r#"a/"\😀b"#.to_owned());
        for (text, expected) in [
            (r#"x a/"\😀b y"#, "x *** y"),
            (r#"x a\/\"\\😀b y"#, "x *** y"),
            (
                r#"x \u0061\u002F\u0022\u005C\uD83D\uDE00\u0062 y"#,
                "x *** y",
            ),
            (r#"x \u0061\u002f\u0022\u005c\ud83d\ude00b"#, "x ***"),
            (r#"\\ a\/"\\😀b\\a/"\😀b\"#, r"\\ ***\\***\"),
            // A lone surrogate, a backslash that starts no escape, a cut escape.
            (r"\uD83D\u0061 \q \u00", r"\uD83D\u0061 \q \u00"),
            ("nothing here", "nothing here"),
        ] {
            assert_eq!(secret.redact(text), expected, "{text}");
        }
        // A text without the secret is borrowed, not copied.
        assert!(matches!(
            secret.redact_cow(r"a \n b"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    /// A character past U+FFFF whose low surrogate is the last one, `\uDFFF` (U+103FF here,
    /// `\uD800\uDFFF`; U+10FFFF is `\uDBFF\uDFFF`), is read as any other surrogate pair: the
    /// low surrogates are `DC00` to `DFFF` inclusive (RFC 8259 §7, RFC 2781 §2.2), and a
    /// secret that holds one, escaped, is taken out.
    #[test]
    fn a_secret_escaped_with_the_last_low_surrogate_is_taken_out() {
        for (secret, escaped) in [
            ("key\u{103FF}secret", r"key\uD800\uDFFFsecret"),
            ("key\u{10FFFF}secret", r"key\udbff\udfffsecret"),
        ] {
            let secret = super::Secret::new(secret.to_owned());
            assert_eq!(secret.redact(&format!("x {escaped} y")), "x *** y");
        }
    }

    /// `redact_json` takes the secret out of member names as of strings (a body that echoes
    /// the request's headers as an object keyed by their values), in nested objects too.
    #[test]
    fn redact_json_takes_the_secret_out_of_member_names() {
        let secret = super::Secret::new("long-secret-token".to_owned());
        let mut value = serde_json::json!({
            "echo": {"Bearer long-secret-token": "long-secret-token"},
            "plain": 1,
        });
        secret.redact_json(&mut value);
        assert_eq!(value["echo"]["Bearer ***"], "***");
        assert_eq!(value["plain"], 1);
        assert!(!value.to_string().contains("long-secret-token"), "{value}");
    }

    /// A short secret after a percent-escape (a form body or a URL echoed encoded:
    /// `client_secret%3Dt`, `%22t%22`) was kept, the escape's last hex digit read as a letter
    /// or digit joined to it: the escape is the character it stands for. One of a letter
    /// (`%41t`, `At`) still joins it.
    #[test]
    fn a_short_secret_after_a_percent_escape_is_taken_out() {
        let t = super::Secret::new("t".to_owned());
        for (text, expected) in [
            ("token%3Dt%26x", "token%3D***%26x"),
            ("%22t%22", "%22***%22"),
            ("%2ft", "%2f***"),
            ("%C3%A9t", "%C3%A9***"),
            ("%41t %5ft %30t", "%41t %5ft %30t"),
            ("%t %4t", "%*** %4t"),
        ] {
            assert_eq!(t.redact(text), expected, "{text}");
        }
        let short = super::Secret::new("s3cr-t".to_owned());
        assert_eq!(
            short.redact("body: client_secret%3Ds3cr-t%26grant_type"),
            "body: client_secret%3D***%26grant_type"
        );
    }

    /// A short secret after a percent-escape encoded twice or more (a form body in a URL in a
    /// URL: `client_secret%253Dt`, `%25253Dt`) was kept, the escape's last hex digit read as
    /// a letter joined to it: `%25` before an escape is the `%` it stands for. One of a
    /// letter (`%2541t`) still joins it, and `25` not after a `%` is digits (`x253Dt`).
    #[test]
    fn a_short_secret_after_a_twice_encoded_percent_escape_is_taken_out() {
        let t = super::Secret::new("t".to_owned());
        for (text, expected) in [
            ("client_secret%253Dt%2526x", "client_secret%253D***%2526x"),
            ("%25253Dt", "%25253D***"),
            ("%252ft", "%252f***"),
            ("%2541t x253Dt 25%3Dt", "%2541t x253Dt 25%3D***"),
        ] {
            assert_eq!(t.redact(text), expected, "{text}");
        }
    }

    /// A one-character bearer token (`t`) blanked every `t` of an error's text, and `token`
    /// every word that holds it: a secret shorter than `WHOLE_WORDS_BELOW` characters is taken
    /// out only where it stands alone, written as it is or with escapes (`\nt`: a line break,
    /// then the token). A longer one is still taken out inside a word.
    #[test]
    fn a_short_secret_is_taken_out_only_where_it_stands_alone() {
        let t = super::Secret::new("t".to_owned());
        for (text, expected) in [
            ("the token t is not valid", "the token *** is not valid"),
            (r#"{"token":"t"}"#, r#"{"token":"***"}"#),
            ("Bearer t", "Bearer ***"),
            (r"line\nt", r"line\n***"),
            (r"\u0074 at", r"*** at"),
            ("tt t_ 2t", "tt t_ 2t"),
            ("nothing here", "nothing here"),
        ] {
            assert_eq!(t.redact(text), expected, "{text}");
        }
        let token = super::Secret::new("token".to_owned());
        assert_eq!(
            token.redact("tokens: token, a/token=x"),
            "tokens: ***, a/***=x"
        );
        // A secret that ends (or starts) with a character outside words joins no word there.
        let ends_outside = super::Secret::new("ab=".to_owned());
        assert_eq!(ends_outside.redact("q ab=cd xab="), "q ***cd xab=");
        let starts_outside = super::Secret::new("=ab".to_owned());
        assert_eq!(starts_outside.redact("x=ab y =abc"), "x*** y =abc");
        // Seven characters are "shorter than 8" (docs, "Tokens"): kept inside a word; and
        // characters are counted, not bytes (`éééé` is 4 characters, 8 bytes). Review 156:
        // the bound was tested from above only.
        let seven = super::Secret::new("abcdefg".to_owned());
        assert_eq!(seven.redact("xabcdefg abcdefg"), "xabcdefg ***");
        let accented = super::Secret::new("éééé".to_owned());
        assert_eq!(accented.redact("xéééé éééé"), "xéééé ***");
        // Eight characters: taken out wherever it is.
        let long = super::Secret::new("abcdefgh".to_owned());
        assert_eq!(long.redact("x%3Dabcdefgh"), "x%3D***");
        assert_eq!(long.redact(r"xabcdefghy \u0061bcdefgh1"), "x***y ***1");
    }
}
