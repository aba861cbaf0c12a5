//! The derive never panics, whatever the input: generated and mutated derive inputs (odd
//! attributes, malformed serde items, every kind of type and generic parameter, raw and keyword
//! names, many fields) each give tokens or errors, never a panic.

use std::panic::{self, AssertUnwindSafe};

use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};

use super::derive;

const CONTAINER_ATTRS: &[&str] = &[
    "",
    "#[patchable]",
    "#[patchable()]",
    "#[patchable(,)]",
    "#[patchable = \"x\"]",
    "#[patchable(nested = 1)]",
    "#[patchable(name = \"\")]",
    "#[patchable(name = \"1x\")]",
    "#[patchable(name = \"r#fn\")]",
    "#[patchable(name = \"r#Foo\")]",
    "#[patchable(name = \"fn\")]",
    "#[patchable(name = \"Self\")]",
    "#[patchable(name = \"_\")]",
    "#[patchable(name = \"A B\")]",
    "#[patchable(name = \"Ünïcode\")]",
    "#[patchable(name = \"S\")]",
    "#[patchable(name = 1)]",
    "#[patchable(name = b\"x\")]",
    "#[patchable(name = 'x')]",
    "#[patchable(name = 1.5)]",
    "#[patchable(name = true)]",
    "#[patchable(name = Foo)]",
    "#[patchable(name = \"X\"suffix)]",
    "#[patchable(name)]",
    "#[patchable(name(X))]",
    "#[patchable(name = \"X\", name = \"Y\")]",
    "#[patchable(crate = \"\")]",
    "#[patchable(crate = \"self\")]",
    "#[patchable(crate = \"crate\")]",
    "#[patchable(crate = \"Self\")]",
    "#[patchable(crate = \"::\")]",
    "#[patchable(crate = \"a::<T>\")]",
    "#[patchable(crate = \"a<T>\")]",
    "#[patchable(crate = \"super::x\")]",
    "#[patchable(crate = \"r#fn\")]",
    "#[patchable(crate = \"fn\")]",
    "#[patchable(crate = sparse)]",
    "#[patchable(crate = \"a\", crate = \"b\")]",
    "#[patchable(derive)]",
    "#[patchable(derive())]",
    "#[patchable(derive(Debug))]",
    "#[patchable(derive(Eq, Hash))]",
    "#[patchable(derive(::core::hash::Hash,))]",
    "#[patchable(derive = \"Eq\")]",
    "#[patchable(derive(1))]",
    "#[patchable(derive(a::<T>))]",
    "#[patchable(unknown)]",
    "#[patchable(unknown = 1)]",
    "#[patchable(unknown(x))]",
    "#[patchable(a::b)]",
    "#[patchable(skip)]",
    "#[patchable(nme = \"X\", crat = \"y\")]",
    "#[patchable(name = \"X\" crate = \"y\")]",
    "#[serde(rename_all = \"nonsense\")]",
    "#[serde(rename_all = \"camelCase\")]",
    "#[serde(rename_all = 1)]",
    "#[serde(rename_all)]",
    "#[serde(rename_all(serialize = \"camelCase\"))]",
    "#[serde(rename_all(serialize = 1))]",
    "#[serde(rename_all(other = \"camelCase\"))]",
    "#[serde(rename_all(serialize))]",
    "#[serde(bound = \"T:\")]",
    "#[serde(bound = 1)]",
    "#[serde(default)]",
    "#[serde(default = \"not a path\")]",
    "#[serde(default = \"\")]",
    "#[serde(default = 1)]",
    "#[serde(default(x))]",
    "#[serde(deny_unknown_fields)]",
    "#[serde(deny_unknown_fields = 1)]",
    "#[serde(transparent)]",
    "#[serde(tag = \"t\")]",
    "#[serde(crate = \"x\")]",
    "#[serde(from = \"X\")]",
    "#[serde(rename = \"x\")]",
    "#[serde(,)]",
    "#[serde()]",
    "#[serde]",
    "#[serde = \"x\"]",
    "#[serde(a b c)]",
    "#[allow(deprecated)]",
    "#[allow]",
    "#[allow = 1]",
    "#[deprecated]",
    "#[non_exhaustive]",
    "#[doc(hidden)]",
    "#[doc(hidden = 1)]",
    "#[doc = 1]",
    "#[doc = include_str!(\"x\")]",
    "/// Docs of [`Self::x`] and [Self]",
    "/// Self",
    "#[doc = \"\"]",
];

const GENERICS: &[&str] = &[
    "",
    "<>",
    "<T>",
    "<T: ?Sized>",
    "<T: ?Sized + Clone>",
    "<T = u8>",
    "<const N: usize>",
    "<const N: usize = 3>",
    "<const N: usize = { 1 + 2 }>",
    "<'a>",
    "<'a, 'b: 'a>",
    "<'a, 'b, T>",
    "<'de>",
    "<'static>",
    "<'r#a>",
    "<'a, 'r#b, r#T>",
    "<r#fn>",
    "<r#T>",
    "<Ü>",
    "<T: Iterator<Item = u8>>",
    "<T: Iterator<Item: Clone>>",
    "<T> where for<'x> T: Fn(&'x u8)",
    "<T> where Self: Clone",
    "<T> where T: Trait<Self>",
    "<T: Trait<Self>>",
    "<T, const N: usize> where [T; N]: Sized",
    "<'a, T: 'a + ?Sized>",
    "<T: for<'x> Fn(&'x T) -> &'x T>",
    "<T: (Clone)>",
    "<T: ~const Clone>",
    "<F: Fn() -> impl Sized>",
];

const FIELD_TYPES: &[&str] = &[
    "String",
    "u8",
    "Option<String>",
    "_",
    "!",
    "()",
    "impl Trait",
    "impl Trait + Send",
    "impl Sized",
    "dyn Trait",
    "dyn Trait + Send",
    "dyn for<'x> Fn(&'x u8)",
    "Box<dyn Trait + Send>",
    "m!()",
    "m![T]",
    "m! { T }",
    "Option<m!()>",
    "fn(u8) -> u8",
    "for<'x> fn(&'x u8)",
    "unsafe extern \"C\" fn(...)",
    "[u8; 4]",
    "[T; N]",
    "[u8]",
    "Option<[u8]>",
    "(u8, String)",
    "(T,)",
    "(Option<u8>)",
    "((Option<u8>))",
    "<T as Trait>::X",
    "<T>::X",
    "Option<<T as Trait>::X>",
    "T::Assoc",
    "Option<T::Assoc>",
    "T",
    "Option<T>",
    "core::option::Option<u8>",
    "::core::option::Option<u8>",
    "std::option::Option<u8>",
    "std::option::Option<Option<T>>",
    "Option<Option<u8>>",
    "Option<Option<Option<u8>>>",
    "Option",
    "Option<>",
    "Option<u8, u8>",
    "Option<'a>",
    "Option<N>",
    "Option<{ N }>",
    "Option::<u8>",
    "Option<_>",
    "Option<!>",
    "Option<impl Trait>",
    "Option<dyn Trait>",
    "option::Option<u8>",
    "a::b::c::d::Option<u8>",
    "std::<u8>::option::Option<u8>",
    "Vec<T>",
    "Vec<Option<T>>",
    "Option<Vec<T>>",
    "Vec",
    "Vec<u8, A>",
    "std::vec::Vec<u8>",
    "HashMap<String, u8>",
    "HashMap<String>",
    "HashMap",
    "HashMap<>",
    "HashMap<String, Option<u8>>",
    "HashMap<String, u8, S>",
    "HashMap<'a, String, u8>",
    "HashMap<_, _>",
    "HashMap<String, !>",
    "HashMap<String, impl Trait>",
    "HashMap<m!(), m!()>",
    "HashMap::<String, u8>",
    "Option<HashMap<String, u8>>",
    "BTreeMap<K, V>",
    "std::collections::BTreeMap<String, serde_json::Value>",
    "BTreeMap<String, Value>",
    "serde_json::Value",
    "Value",
    "serde_json::Map<String, serde_json::Value>",
    "serde_json::Map",
    "Option<serde_json::Value>",
    "&'a str",
    "&'static str",
    "&'static [u8]",
    "&str",
    "&'r#a str",
    "&mut T",
    "*const u8",
    "Cow<'a, str>",
    "Cow<'static, str>",
    "Self",
    "Option<Self>",
    "Box<Self>",
    "<Self as Trait>::X",
    "Self::Assoc",
    "PhantomData<T>",
    "PhantomData",
    "core::marker::PhantomData<fn() -> T>",
    "Option<fn()>",
    "Option<for<'x> fn(&'x u8)>",
    "r#type",
    "r#fn::r#type",
    "Ü",
    "u8 + Send",
    "Trait + Send",
    "?Sized",
];

const FIELD_ATTRS: &[&str] = &[
    "",
    "#[patchable]",
    "#[patchable()]",
    "#[patchable(,)]",
    "#[patchable = \"x\"]",
    "#[patchable(\"lit\")]",
    "#[patchable(skip)]",
    "#[patchable(nested)]",
    "#[patchable(nullable)]",
    "#[patchable(required)]",
    "#[patchable(map)]",
    "#[patchable(replace)]",
    "#[patchable(key = \"id\")]",
    "#[patchable(key = \"\")]",
    "#[patchable(key = \"id\"suffix)]",
    "#[patchable(key = 1)]",
    "#[patchable(key = b\"id\")]",
    "#[patchable(key)]",
    "#[patchable(key(id))]",
    "#[patchable(key = \"a\", key = \"b\")]",
    "#[patchable(nested = 1)]",
    "#[patchable(nested = \"x\")]",
    "#[patchable(nested(x))]",
    "#[patchable(skip, skip)]",
    "#[patchable(nested, map, replace)]",
    "#[patchable(required, nullable)]",
    "#[patchable(skip, nested, key = \"id\")]",
    "#[patchable(unknown)]",
    "#[patchable(nestd)]",
    "#[patchable(a::b)]",
    "#[patchable(::skip)]",
    "#[patchable(skip nested)]",
    "#[patchable(skip = )]",
    "#[patchable(name = \"X\")]",
    "#[patchable(map)] #[patchable(map)]",
    "#[serde(rename = 1)]",
    "#[serde(rename = \"\")]",
    "#[serde(rename = \"new\")]",
    "#[serde(rename = \"r#type\")]",
    "#[serde(rename = \"a b\\\"c\")]",
    "#[serde(rename(serialize = 1))]",
    "#[serde(rename(serialize = \"a\", deserialize = \"b\"))]",
    "#[serde(rename(deserialize = \"b\"))]",
    "#[serde(rename(other = \"a\"))]",
    "#[serde(rename(serialize))]",
    "#[serde(rename)]",
    "#[serde(rename = \"a\", rename = \"b\")]",
    "#[serde(flatten)]",
    "#[serde(flatten = 1)]",
    "#[serde(flatten(x))]",
    "#[serde(skip)]",
    "#[serde(skip = 1)]",
    "#[serde(skip_deserializing)]",
    "#[serde(skip_serializing)]",
    "#[serde(skip_serializing_if = \"Option::is_none\")]",
    "#[serde(skip_serializing_if = 1)]",
    "#[serde(default)]",
    "#[serde(default = \"not a path\")]",
    "#[serde(default = \"\")]",
    "#[serde(default = 1)]",
    "#[serde(default = \"path::to\")]",
    "#[serde(default = \"Self::x\")]",
    "#[serde(default(x))]",
    "#[serde(with = \"\")]",
    "#[serde(with = \"m\")]",
    "#[serde(with = \"Self\")]",
    "#[serde(with = \"a::<T>\")]",
    "#[serde(with = 1)]",
    "#[serde(with)]",
    "#[serde(serialize_with = \"f\")]",
    "#[serde(deserialize_with = \"f\")]",
    "#[serde(deserialize_with = \"Self::f\")]",
    "#[serde(alias = 1)]",
    "#[serde(alias = \"a\")]",
    "#[serde(alias = \"a\", alias = \"a\")]",
    "#[serde(alias)]",
    "#[serde(alias(x))]",
    "#[serde(bound = \"T:\")]",
    "#[serde(bound = 1)]",
    "#[serde(borrow)]",
    "#[serde(borrow = \"'a\")]",
    "#[serde(getter = \"x\")]",
    "#[serde(unknown_serde)]",
    "#[serde(,)]",
    "#[serde()]",
    "#[serde]",
    "#[serde = \"x\"]",
    "#[serde(a b c)]",
    "#[doc = include_str!(\"x\")]",
    "#[doc = 1]",
    "/// Docs [`Self::x`](Self) [Self]: Self",
    "/// Self",
    "/// ünïcode Self\u{0}",
    "#[doc = \"\\u{1F600}Self\"]",
    "#[cfg(feature = \"x\")]",
    "#[cfg(any())]",
    "#[deprecated]",
    "#[allow(deprecated)]",
    "#[allow(non_snake_case)]",
    "#[expect(deprecated)]",
    "#[doc(hidden)]",
    "#[doc(alias = \"x\")]",
    "#[doc(hidden = 1)]",
    "#[doc(cfg(x), hidden)]",
    "#[doc(hidden(x))]",
];

const FIELD_NAMES: &[&str] = &[
    "a",
    "b",
    "r#type",
    "r#fn",
    "r#match",
    "r#new",
    "new",
    "is_empty",
    "clear_a",
    "a_entry",
    "clear_a_entry",
    "_rev",
    "__a",
    "_",
    "__sparse_patch_ignored_a",
    "__phantom",
    "__value",
    "Camel",
    "ñame",
    "Ü",
    "de",
    "r#Self",
];

const DATA: &[&str] = &[
    "struct",
    "tuple",
    "unit",
    "enum",
    "union",
    "empty",
    "empty_braces_where",
];

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
        "tuple" => format!("{attrs}\nstruct S{generics}(u8, String);"),
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
fn quietly(body: impl FnOnce() -> Panics) -> Panics {
    let hook = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let panics = body();
    panic::set_hook(hook);
    panics
}

#[test]
fn every_single_attribute_type_generic_and_name_expands_or_errs_without_panicking() {
    let panics = quietly(|| {
        let mut panics = Vec::new();
        let plain = field("", "a", "String");
        for attrs in CONTAINER_ATTRS {
            for generics in GENERICS {
                for data in DATA {
                    run(
                        &model(attrs, generics, data, std::slice::from_ref(&plain)),
                        &mut panics,
                    );
                }
            }
        }
        // Every attribute on every fourth type (each type is also tried alone below).
        for ty in FIELD_TYPES.iter().step_by(4) {
            for attrs in FIELD_ATTRS {
                let fields = [field(attrs, "a", ty), plain.replace(" a:", " b:")];
                run(&model("", "<T>", "struct", &fields), &mut panics);
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
                run(&model("", "<T>", "struct", &fields), &mut panics);
            }
            for generics in GENERICS {
                let fields = [field("", "a", ty), plain.replace(" a:", " b:")];
                run(&model("", generics, "struct", &fields), &mut panics);
            }
        }
        for name in FIELD_NAMES {
            for ty in FIELD_TYPES {
                for generics in ["", "<'a, 'b, T>"] {
                    let fields = [field("", name, ty), field("", "clear_type", "Option<u8>")];
                    run(&model("", generics, "struct", &fields), &mut panics);
                }
            }
        }
        panics
    });
    assert!(panics.is_empty(), "{}", report(&panics));
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

/// The messages of the errors that the derive reports for `source`.
fn errors_of(source: &str) -> Vec<String> {
    let input = syn::parse_str::<syn::DeriveInput>(source).expect("a struct");
    match derive(&input) {
        Ok(_) => Vec::new(),
        Err(errors) => errors.into_iter().map(|error| error.to_string()).collect(),
    }
}

#[test]
fn every_mistake_inside_one_patchable_attribute_is_reported() {
    let errors = errors_of(
        "#[patchable(nme = \"UserPatch\", name = \"1x\", crat = \"x\")]
         struct User {
             #[patchable(skp, nested = 1, frobnicate(x), map)]
             nickname: Option<String>,
         }",
    );
    for expected in [
        "`nme`",
        "`name` must be a struct name",
        "`crat`",
        "`skp`",
        "`nested` takes no value",
        "`frobnicate`",
    ] {
        assert!(
            errors.iter().any(|error| error.contains(expected)),
            "no error about {expected} among {errors:#?}"
        );
    }
}

#[test]
fn a_raw_patch_name_is_written_without_its_r_hash() {
    let input = syn::parse_str::<syn::DeriveInput>(
        "#[patchable(name = \"r#Patch\")] struct User { a: Option<String> }",
    )
    .expect("a struct");
    let expansion = derive(&input).expect("an expansion").to_string();
    // `Debug`, serde's struct name, the `expecting` message and the schema's name.
    assert!(!expansion.contains("\"r#Patch"), "{expansion}");
    assert!(expansion.contains("\"Patch\""), "{expansion}");
}

#[test]
fn a_value_of_the_wrong_kind_is_reported_with_the_items_after_it() {
    let errors = errors_of(
        "#[patchable(name = 1, derive(1), crate, unknown)]
         struct User {
             #[patchable(key = 1, nested = 1, frobnicate)]
             tags: Vec<Tag>,
         }",
    );
    for expected in [
        "`name` takes a string: write `name = \"UserPatch\"`",
        "expected identifier",
        "`crate` takes a string: write `crate = \"::sparse_patch\"`",
        "`unknown`",
        "`key` takes a string: write `key = \"type\"`",
        "`nested` takes no value",
        "`frobnicate`",
    ] {
        assert!(
            errors.iter().any(|error| error.contains(expected)),
            "no error about {expected} among {errors:#?}"
        );
    }
}

#[test]
fn raw_names_are_compared_as_the_names_they_spell() {
    let errors = errors_of("#[patchable(name = \"r#User\")] struct User { a: u8 }");
    assert!(
        errors
            .iter()
            .any(|error| error.contains("a name other than the model's")),
        "{errors:#?}"
    );
    let errors = errors_of("struct User<'r#de> { a: &'r#de str }");
    assert!(
        errors.iter().any(|error| error.contains("`'de`")),
        "{errors:#?}"
    );
}

#[test]
fn a_list_value_does_not_hide_the_items_after_it() {
    let errors = errors_of(
        "struct User {
             #[patchable(frobnicate(x), key = type, map = (a, b), wrong)]
             tags: Vec<Tag>,
         }",
    );
    assert!(
        !errors
            .iter()
            .any(|error| error.contains("unexpected token")),
        "{errors:#?}"
    );
    assert!(
        errors.iter().any(|error| error.contains("`wrong`")),
        "{errors:#?}"
    );
    assert!(
        errors
            .iter()
            .any(|error| error.contains("`key` takes a string")),
        "{errors:#?}"
    );
}

#[test]
fn doc_hidden_after_a_list_hides_the_setters() {
    let input = syn::parse_str::<syn::DeriveInput>(
        "struct User { #[doc(cfg(feature = \"x\"), hidden)] a: Option<u8> }",
    )
    .expect("a struct");
    let expansion = derive(&input).expect("an expansion").to_string();
    let setter = expansion.find("fn clear_a").expect("a clear setter");
    let before = &expansion[..setter];
    let doc = before.rfind("# [doc =").expect("a doc");
    assert!(before[doc..].contains("hidden"), "{}", &before[doc..]);
}
