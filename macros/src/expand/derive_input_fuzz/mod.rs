//! The derive never panics, whatever the input: generated and mutated derive inputs (odd
//! attributes, malformed serde items, every kind of type and generic parameter, raw and keyword
//! names, many fields) each give tokens or errors, never a panic.

mod inputs;

use std::collections::BTreeSet;
use std::panic::{self, AssertUnwindSafe};

use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};

use super::derive;
use inputs::{CONTAINER_ATTRS, DATA, FIELD_ATTRS, FIELD_NAMES, FIELD_TYPES, GENERICS};

/// A deterministic generator (xorshift), so a failure names its input and repeats.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n as u64)).unwrap_or(0)
    }

    fn pick<'s>(&mut self, from: &[&'s str]) -> &'s str {
        from[self.below(from.len())]
    }
}

/// The inputs that failed: the input as text, and the panic's message.
type Panics = Vec<(String, String)>;

/// Runs the derive on `source` if it parses as a derive input, recording a panic.
fn run(source: &str, panics: &mut Panics) -> bool {
    let Ok(input) = syn::parse_str::<syn::DeriveInput>(source) else {
        return false;
    };
    run_input(source, &input, panics);
    true
}

fn run_input(source: &str, input: &syn::DeriveInput, panics: &mut Panics) {
    if let Err(payload) = panic::catch_unwind(AssertUnwindSafe(|| derive(input).map(drop))) {
        let message = payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default();
        panics.push((source.to_owned(), message));
    }
}

/// One struct: `attrs` on the container, `generics`, `data` shape and these fields.
fn model(attrs: &str, generics: &str, data: &str, fields: &[String]) -> String {
    let body = fields.join(",\n    ");
    match data {
        // A where clause follows a tuple struct's fields (written before them, `where Self:
        // Clone(u8, String)` reads as a bound in the form of a function's arguments).
        "tuple" => {
            let (parameters, clause) = generics
                .split_once(" where ")
                .map_or((generics, String::new()), |(parameters, clause)| {
                    (parameters, format!(" where {clause}"))
                });
            format!("{attrs}\nstruct S{parameters}(u8, String){clause};")
        }
        "unit" => format!("{attrs}\nstruct S{generics};"),
        "enum" => format!("{attrs}\nenum S{generics} {{ A {{ {body} }}, B }}"),
        "union" => format!("{attrs}\nunion S{generics} {{ {body} }}"),
        "empty" => format!("{attrs}\nstruct S{generics} {{}}"),
        "empty_braces_where" => format!("{attrs}\nstruct S{generics} {{}}"),
        _ => format!("{attrs}\npub struct S{generics} {{\n    {body}\n}}"),
    }
}

fn field(attrs: &str, name: &str, ty: &str) -> String {
    format!("{attrs} pub {name}: {ty}")
}

fn report(panics: &Panics) -> String {
    let mut seen = std::collections::BTreeSet::new();
    let mut out = String::new();
    for (source, message) in panics {
        if seen.insert(message.clone()) {
            out.push_str(&format!("\n--- panicked: {message}\n{source}\n"));
        }
    }
    format!(
        "{} inputs panicked, {} distinct panics:{out}",
        panics.len(),
        seen.len()
    )
}

/// Runs `body` with the panic hook silenced, so that caught panics do not flood the output.
fn quietly<R>(body: impl FnOnce() -> R) -> R {
    let hook = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let result = body();
    panic::set_hook(hook);
    result
}

/// The listed pieces that syn refuses wherever the fuzz puts them, so that the derive never
/// sees them: `~const` bounds (syn without its `full` feature reads no const bound), `?Sized`
/// as a field's type, `r#Self` as a field's name. Each list's other pieces must reach
/// the derive in at least one input that parses, or the fuzz says it tried what it did not.
const REFUSED_BY_SYN: &[(&str, &str)] = &[
    ("generics", "<T: ~const Clone>"),
    ("field type", "?Sized"),
    ("field name", "r#Self"),
];

/// The listed pieces that syn refuses in some builds and reads in others, by the features
/// that the build unifies (`_` as a field's name is refused by `cargo test -p
/// sparse-patch-macros` and read by `cargo test --workspace --all-features`): they may reach
/// the derive or not.
const REFUSED_BY_SYN_IN_SOME_BUILDS: &[(&str, &str)] = &[("field name", "_")];

/// The pieces of `lists` (named) that are not in `reached`.
fn unreached(
    lists: &[(&'static str, &[&'static str])],
    reached: &BTreeSet<(&'static str, &'static str)>,
) -> Vec<(&'static str, &'static str)> {
    lists
        .iter()
        .flat_map(|(list, pieces)| pieces.iter().map(move |piece| (*list, *piece)))
        .filter(|piece| !reached.contains(piece))
        .collect()
}

#[test]
fn every_single_attribute_type_generic_and_name_expands_or_errs_without_panicking() {
    let (panics, reached) = quietly(|| {
        let mut panics = Vec::new();
        let mut reached = BTreeSet::new();
        let mut try_input = |source: &str, pieces: &[(&'static str, &'static str)]| {
            if run(source, &mut panics) {
                reached.extend(pieces.iter().copied());
            }
        };
        let plain = field("", "a", "String");
        for attrs in CONTAINER_ATTRS {
            for generics in GENERICS {
                for data in DATA {
                    try_input(
                        &model(attrs, generics, data, std::slice::from_ref(&plain)),
                        &[
                            ("container attribute", attrs),
                            ("generics", generics),
                            ("data", data),
                        ],
                    );
                }
            }
        }
        // Every attribute on every fourth type (each type is also tried alone below).
        for ty in FIELD_TYPES.iter().step_by(4) {
            for attrs in FIELD_ATTRS {
                let fields = [field(attrs, "a", ty), plain.replace(" a:", " b:")];
                try_input(
                    &model("", "<T>", "struct", &fields),
                    &[("field attribute", attrs)],
                );
            }
        }
        for ty in FIELD_TYPES {
            for attrs in [
                "#[patchable(nested)]",
                "#[patchable(map)]",
                "#[patchable(nullable)]",
                "#[serde(flatten)]",
                "#[patchable(key = \"id\")]",
            ] {
                let fields = [field(attrs, "a", ty), plain.replace(" a:", " b:")];
                try_input(&model("", "<T>", "struct", &fields), &[("field type", ty)]);
            }
            for generics in GENERICS {
                let fields = [field("", "a", ty), plain.replace(" a:", " b:")];
                try_input(
                    &model("", generics, "struct", &fields),
                    &[("field type", ty), ("generics", generics)],
                );
            }
        }
        for name in FIELD_NAMES {
            for ty in FIELD_TYPES {
                for generics in ["", "<'a, 'b, T>"] {
                    let fields = [field("", name, ty), field("", "clear_type", "Option<u8>")];
                    try_input(
                        &model("", generics, "struct", &fields),
                        &[("field name", name)],
                    );
                }
            }
        }
        (panics, reached)
    });
    assert!(panics.is_empty(), "{}", report(&panics));
    let lists: [(&str, &[&str]); 6] = [
        ("container attribute", CONTAINER_ATTRS),
        ("generics", GENERICS),
        ("data", DATA),
        ("field attribute", FIELD_ATTRS),
        ("field type", FIELD_TYPES),
        ("field name", FIELD_NAMES),
    ];
    let unreached: Vec<_> = unreached(&lists, &reached)
        .into_iter()
        .filter(|piece| !REFUSED_BY_SYN_IN_SOME_BUILDS.contains(piece))
        .collect();
    assert_eq!(unreached, REFUSED_BY_SYN);
}

#[test]
fn random_models_expand_or_err_without_panicking() {
    let panics = quietly(|| {
        let mut panics = Vec::new();
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let mut ran = 0;
        while ran < 1_500 {
            let container: Vec<&str> = (0..rng.below(3))
                .map(|_| rng.pick(CONTAINER_ATTRS))
                .collect();
            let generics = rng.pick(GENERICS);
            let fields: Vec<String> = (0..rng.below(5))
                .map(|_| {
                    let attrs: Vec<&str> =
                        (0..rng.below(4)).map(|_| rng.pick(FIELD_ATTRS)).collect();
                    field(
                        &attrs.join(" "),
                        rng.pick(FIELD_NAMES),
                        rng.pick(FIELD_TYPES),
                    )
                })
                .collect();
            let data = if rng.below(10) == 0 {
                rng.pick(DATA)
            } else {
                "struct"
            };
            if run(
                &model(&container.join("\n"), generics, data, &fields),
                &mut panics,
            ) {
                ran += 1;
            }
        }
        panics
    });
    assert!(panics.is_empty(), "{}", report(&panics));
}

/// A token to put in place of another: literals of every kind, keywords, punctuation, groups.
fn replacement(rng: &mut Rng) -> TokenTree {
    let span = Span::call_site();
    match rng.below(14) {
        0 => Literal::string("").into(),
        1 => Literal::string("1x").into(),
        2 => Literal::string("a::b").into(),
        3 => Literal::u8_suffixed(1).into(),
        4 => Literal::byte_string(b"x").into(),
        5 => Literal::character('x').into(),
        6 => Literal::f64_unsuffixed(1.5).into(),
        7 => Ident::new(
            rng.pick(&[
                "fn", "self", "Self", "crate", "super", "_", "type", "static",
            ]),
            span,
        )
        .into(),
        8 => Ident::new_raw(rng.pick(&["fn", "type", "match", "a"]), span).into(),
        9 => Punct::new(
            rng.pick(&[",", "=", ":", "'", "#", "<", ">", "!", "?", "&"])
                .chars()
                .next()
                .unwrap_or(','),
            Spacing::Alone,
        )
        .into(),
        10 => Group::new(Delimiter::Parenthesis, TokenStream::new()).into(),
        11 => Group::new(Delimiter::None, "Option<u8>".parse().unwrap_or_default()).into(),
        12 => {
            Literal::string(rng.pick(&["camelCase", "T:", "not a path", "Self::x", "r#type", "'a"]))
                .into()
        }
        _ => Ident::new(
            rng.pick(&[
                "Option", "HashMap", "Value", "skip", "nested", "flatten", "rename", "key",
            ]),
            span,
        )
        .into(),
    }
}

/// `tokens` with one random change at some depth: a token replaced, removed or doubled.
fn mutate(tokens: TokenStream, rng: &mut Rng) -> TokenStream {
    let mut trees: Vec<TokenTree> = tokens.into_iter().collect();
    if trees.is_empty() {
        return std::iter::once(replacement(rng)).collect();
    }
    let at = rng.below(trees.len());
    match rng.below(5) {
        0 => trees[at] = replacement(rng),
        1 => {
            trees.remove(at);
        }
        2 => {
            let copy = trees[at].clone();
            trees.insert(at, copy);
        }
        _ => {
            // Descend into a group, if the chosen token is one.
            if let TokenTree::Group(group) = &trees[at] {
                let mut inner = Group::new(group.delimiter(), mutate(group.stream(), rng));
                inner.set_span(group.span());
                trees[at] = inner.into();
            } else {
                trees[at] = replacement(rng);
            }
        }
    }
    trees.into_iter().collect()
}

#[test]
fn mutated_models_expand_or_err_without_panicking() {
    let seeds = [
        "#[patchable(name = \"P\", derive(Eq), crate = \"::sparse_patch\")]
         #[serde(rename_all = \"camelCase\", deny_unknown_fields, default)]
         pub struct S<'a, T: Clone, const N: usize> where T: Default {
             #[serde(rename = \"x\", alias = \"y\", default = \"d\")] a: Option<String>,
             #[patchable(nested)] b: Option<T>,
             #[patchable(key = \"id\")] c: Vec<T>,
             #[serde(flatten)] d: std::collections::HashMap<String, serde_json::Value>,
             #[serde(skip)] e: &'a str,
             #[patchable(map)] f: M,
             #[serde(with = \"m\")] g: [u8; N],
             #[patchable(nullable)] h: Alias,
         }",
        "pub struct S<'a, 'b, T> {
             a: (&'a str, T),
             b: (&'b str, T),
             c: &'static str,
             d: Cow<'a, str>,
             #[serde(flatten)] #[patchable(nested)] e: Inner<T>,
         }",
    ];
    let panics = quietly(|| {
        let mut panics = Vec::new();
        let mut rng = Rng(0x2545_F491_4F6C_DD1D);
        for seed in seeds {
            let tokens: TokenStream = seed.parse().unwrap_or_default();
            let mut ran = 0;
            let mut tries = 0;
            while ran < 600 && tries < 100_000 {
                tries += 1;
                let mut mutated = tokens.clone();
                for _ in 0..=rng.below(3) {
                    mutated = mutate(mutated, &mut rng);
                }
                if let Ok(input) = syn::parse2::<syn::DeriveInput>(mutated.clone()) {
                    ran += 1;
                    run_input(&mutated.to_string(), &input, &mut panics);
                }
            }
            assert!(ran >= 600, "only {ran} mutations of a seed parsed");
        }
        panics
    });
    assert!(panics.is_empty(), "{}", report(&panics));
}

#[test]
fn many_fields_expand_without_panicking() {
    for count in [0, 1, 127, 128, 129, 200] {
        for (attrs, ty) in [
            ("", "u8"),
            ("#[serde(skip)]", "u8"),
            ("#[patchable(skip)]", "u8"),
            ("", "Option<String>"),
        ] {
            let mut fields: Vec<String> = (0..count)
                .map(|index| field(attrs, &format!("f{index}"), ty))
                .collect();
            fields.push(field(
                "#[serde(flatten)]",
                "rest",
                "std::collections::BTreeMap<String, serde_json::Value>",
            ));
            let source = model("", "", "struct", &fields);
            let input = syn::parse_str::<syn::DeriveInput>(&source).expect("a struct");
            derive(&input).expect("an expansion");
        }
    }
}

#[test]
fn a_raw_type_parameter_bounded_through_its_fields_lifetimes_expands() {
    let input = syn::parse_str::<syn::DeriveInput>(
        "struct S<'a, 'b, r#T> { a: (&'a str, r#T), b: (&'b str, r#T) }",
    )
    .expect("a struct");
    let expansion = derive(&input).expect("an expansion").to_string();
    assert!(
        expansion.contains("r#T : :: sparse_patch :: private :: serde :: Deserialize"),
        "{expansion}"
    );
}
