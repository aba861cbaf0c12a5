//! Random JSON text for the differential patch serde tests: objects with chosen keys (some
//! escaped, some repeated), random keys, random scalars and damaged text, with the key list as
//! a parameter; shared by `tests/patch_serde_properties.rs` and
//! `tests/patch_serde_flatten_properties.rs`.
#![allow(dead_code)]

use proptest::prelude::*;

#[derive(Debug, Clone)]
pub enum J {
    /// Raw JSON text of a scalar.
    Raw(String),
    Arr(Vec<J>),
    /// Keys are raw JSON string tokens (quotes included), so repeats and escapes are possible.
    Obj(Vec<(String, J)>),
}

impl J {
    pub fn render(&self, out: &mut String) {
        match self {
            J::Raw(raw) => out.push_str(raw),
            J::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.render(out);
                }
                out.push(']');
            }
            J::Obj(members) => {
                out.push('{');
                for (i, (key, value)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(key);
                    out.push(':');
                    value.render(out);
                }
                out.push('}');
            }
        }
    }
}

/// Keys as raw JSON tokens: mostly from `keys`, some of them escaped (so that they decode to a
/// model key, which makes them owned), some random.
pub fn key_token(keys: &'static [&'static str]) -> impl Strategy<Value = String> + Clone {
    prop_oneof![
        6 => proptest::sample::select(keys).prop_map(|k| serde_json::to_string(k).unwrap()),
        1 => proptest::sample::select(keys).prop_map(|k| {
            // the first character as a \u escape
            let mut chars = k.chars();
            match chars.next() {
                Some(c) if (c as u32) < 0x80 => format!("\"\\u{:04x}{}\"", c as u32, chars.as_str()),
                _ => serde_json::to_string(k).unwrap(),
            }
        }),
        1 => "[a-zA-Z_]{0,6}".prop_map(|k| serde_json::to_string(&k).unwrap()),
        1 => any::<String>().prop_map(|k| serde_json::to_string(&k).unwrap()),
        1 => proptest::sample::select(&[r#""\u0000""#, r#""a\nb""#][..]).prop_map(str::to_owned),
    ]
}

pub fn scalar() -> impl Strategy<Value = J> + Clone {
    prop_oneof![
        3 => Just(J::Raw("null".into())),
        1 => any::<bool>().prop_map(|b| J::Raw(b.to_string())),
        2 => proptest::sample::select(&[
            "0", "-0", "1", "-1", "7", "255", "256", "4294967295", "4294967296", "-4294967296",
            "9223372036854775807", "-9223372036854775808", "18446744073709551615",
            "18446744073709551616", "1.5", "-1.5", "1e3", "1E-3", "0.0", "1e400", "-1e400",
            "123456789012345678901234567890",
        ][..]).prop_map(|s| J::Raw(s.to_owned())),
        1 => any::<u64>().prop_map(|n| J::Raw(n.to_string())),
        1 => any::<i64>().prop_map(|n| J::Raw(n.to_string())),
        2 => "[a-c]{0,3}".prop_map(|s| J::Raw(serde_json::to_string(&s).unwrap())),
        1 => any::<String>().prop_map(|s| J::Raw(serde_json::to_string(&s).unwrap())),
        1 => proptest::sample::select(&[r#""\ud800""#, r#""\u00e9""#, r#""\"""#][..])
            .prop_map(|s| J::Raw(s.to_owned())),
    ]
}

pub fn json(keys: &'static [&'static str]) -> impl Strategy<Value = J> + Clone {
    scalar().prop_recursive(3, 32, 5, move |inner| {
        prop_oneof![
            1 => proptest::collection::vec(inner.clone(), 0..4).prop_map(J::Arr),
            3 => proptest::collection::vec((key_token(keys), inner), 0..5).prop_map(J::Obj),
        ]
    })
}

/// A top-level input: mostly an object with keys from `keys` (often a small one of scalars),
/// sometimes anything, sometimes damaged (truncated, trailing junk, surrounding whitespace).
pub fn input(keys: &'static [&'static str]) -> impl Strategy<Value = String> {
    let top = prop_oneof![
        5 => proptest::collection::vec((key_token(keys), json(keys)), 0..10).prop_map(J::Obj),
        // small objects of scalars: most of them read, so that one wrong attribute decides
        4 => proptest::collection::vec((key_token(keys), scalar()), 0..4).prop_map(J::Obj),
        1 => json(keys),
    ];
    (
        top,
        0u8..20,
        any::<proptest::sample::Index>(),
        "[ ,}\\]x0\"]{0,2}",
    )
        .prop_map(|(j, damage, at, junk)| {
            let mut text = String::new();
            j.render(&mut text);
            match damage {
                0 => {
                    let mut cut = at.index(text.len() + 1);
                    while !text.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    text.truncate(cut);
                }
                1 => text.push_str(&junk),
                2 => text = format!(" \n\t{text} \n"),
                _ => {}
            }
            text
        })
}
