//! The patch's inherent methods: `new`, `is_empty`, a setter per field (`.email(v)`), a clear
//! setter per nullable field (`.clear_nickname()`) and entry setters per map
//! (`.labels_entry(k, v)`, `.clear_labels_entry(k)`).

use proc_macro2::{Delimiter, Group, Ident, Punct, Spacing, Span, TokenStream};
use quote::{ToTokens, TokenStreamExt, format_ident, quote};
use syn::Type;

use super::context::{Context, Frag};
use crate::ast::{Field, Kind, Presence};

/// The inherent impl of the patch, and the serde helpers' impl when there is one.
pub fn inherent(cx: &Context<'_, '_>) -> TokenStream {
    let krate = &cx.krate;
    let vis = cx.method_vis();
    let setters = cx
        .fields
        .iter()
        .map(|(field, kind)| setters(cx, field, kind));
    let setters: TokenStream = setters.collect();
    // A generic patch's `Patch` impl may need more than the setters (`FromPatch` of a nested
    // parameter that may be absent). A concrete one's bound is higher-ranked, which rustc
    // does not check where the method is declared: where the `Patch` impl's bounds fail (a
    // nested model that is not `Patchable`), they are the error, at the field, and the body
    // was one more, at the `#[derive]` line; a plain bound would be one too.
    let is_empty_bound = if cx.input.generics.params.is_empty() {
        quote!(where for<'__sparse_patch> Self: #krate::Patch)
    } else {
        quote!(where Self: #krate::Patch)
    };
    let body = quote! {
        /// An empty patch: every field absent, serialized as `{}`.
        #[must_use]
        #[inline]
        #vis fn new() -> Self {
            ::core::default::Default::default()
        }

        /// Returns `true` when every field is absent: the patch serializes as `{}` and
        /// changes nothing. Bounded by `Patch`, whose bounds (a nested model that may be
        /// absent is built from its patch, `FromPatch`) the setters do not need.
        #[must_use]
        #[inline]
        #vis fn is_empty(&self) -> ::core::primitive::bool #is_empty_bound {
            <Self as #krate::Patch>::is_empty(self)
        }

        #setters
    };
    let mut bounds = cx.struct_bounds();
    bounds.extend(cx.key_guards());
    let mut out = cx.inherent_impl_block(bounds, body);
    out.extend([cx.serde_helpers()]);
    out
}

/// The setters of one field. They have the patch's visibility: applying and deserializing a
/// patch can set every patched field anyway, so a private field gains no protection from a
/// private setter.
fn setters(cx: &Context<'_, '_>, field: &Field<'_>, kind: &Kind) -> TokenStream {
    let krate = &cx.krate;
    let ident = field.ident;
    let setter = field.setter_ident();
    let vis = cx.method_vis();
    let value = &kind.patch_value;
    let cfgs = field.cfgs();
    let name = &field.ser_name;
    let (value_param, value_in) = value_param(cx, value, kind.number_setter);
    // A number's setter is not generic: without `#[inline]` rustc would compile it to machine
    // code in the model's crate, as it did the clear setters (BENCHMARKS section 7.4).
    let inline = kind.number_setter.then(|| quote!(#[inline]));
    let set = Wrapped {
        wrapper: match kind.presence {
            Presence::Flattened => None,
            Presence::Required => Some(cx.path("::core::option::Option::Some")),
            Presence::Nullable => Some(cx.path("Field::Value")),
        },
        value: value_in,
    };
    let attrs = field.setter_attrs();
    let doc = if kind.flattened() {
        format!(
            " Sets `{ident}`, flattened (`#[serde(flatten)]`): the patch sends its attributes \
             among its own, under no key of its own.",
            ident = field.unraw()
        )
    } else {
        format!(
            " Sets {} to a value: {}.",
            code(&escaped(name)),
            sent(field, "value")
        )
    };
    let mut out = quote! {
        #[doc = #doc]
        #(#attrs)*
        #(#cfgs)*
        #[must_use]
        #inline
        #vis fn #setter(mut self, __value: #value_param) -> Self {
            self.#ident = #set;
            self
        }
    };
    if kind.nullable() {
        let clear = format_ident!("clear_{}", field.unraw());
        let doc = format!(" Clears {}: {}.", code(&escaped(name)), sent(field, "null"));
        out.extend([quote! {
            #[doc = #doc]
            #(#attrs)*
            #(#cfgs)*
            #[must_use]
            #[inline]
            #vis fn #clear(mut self) -> Self {
                self.#ident = #krate::Field::Null;
                self
            }
        }]);
    }
    if let Some((key, map_value)) = kind.map_entry() {
        out.extend([entry_setters(cx, field, kind, key, map_value)]);
    }
    out
}

/// `.custom_entry(key, value)` and `.clear_custom_entry(key)`: one entry of a map patch.
fn entry_setters(
    cx: &Context<'_, '_>,
    field: &Field<'_>,
    kind: &Kind,
    key: &Type,
    value: &Type,
) -> TokenStream {
    let krate = &cx.krate;
    let ident = field.ident;
    let vis = cx.method_vis();
    let cfgs = field.cfgs();
    let name = &field.ser_name;
    let set = format_ident!("{}_entry", field.unraw());
    let clear = format_ident!("clear_{}_entry", field.unraw());
    // The map's `insert` called by its path, not as `__map.insert(..)`: in the user's crate, a
    // trait in scope with an `insert(&self, ..)` on every type was chosen before the map's
    // `insert(&mut self, ..)`. Spanned at the map's type: a map of the user's own that has no
    // `insert` is reported there, not at the `#[derive]`.
    let map = &kind.patch_value;
    let insert = Ident::new("insert", kind.value_span().resolved_at(Span::call_site()));
    let insert_entry = match kind.presence {
        Presence::Flattened => quote! {
            <#map>::#insert(&mut self.#ident, __key, __entry);
        },
        Presence::Required => quote! {
            let mut __map = ::core::option::Option::unwrap_or_default(
                ::core::option::Option::take(&mut self.#ident),
            );
            <#map>::#insert(&mut __map, __key, __entry);
            self.#ident = ::core::option::Option::Some(__map);
        },
        Presence::Nullable => quote! {
            let mut __map = ::core::option::Option::unwrap_or_default(
                #krate::Field::into_value(#krate::Field::take(&mut self.#ident)),
            );
            <#map>::#insert(&mut __map, __key, __entry);
            self.#ident = #krate::Field::Value(__map);
        },
    };
    let attrs = field.setter_attrs();
    let (of, sent_null) = if kind.flattened() {
        (
            format!("`{}` (flattened)", field.unraw()),
            "the patch sends `\"key\": null` among its own attributes".to_owned(),
        )
    } else {
        (code(&escaped(name)), sent(field, "{\"key\": null}"))
    };
    // A cleared nullable map (`clear_labels()`) has no entries to keep: the entry starts the
    // map patch anew, and `null` is dropped. One merge patch cannot remove the map and then
    // set an entry (the server merges the entry into the map it holds), as `Patch::then`
    // says when it refuses such a pair; the docs said only that other entries were kept.
    let after_clear = (kind.presence == Presence::Nullable).then(|| {
        format!(
            "\n\n On a patch that clears the map (`clear_{field}()`), the entry replaces \
             that `null`: the patch then merges into the map that the target holds, keeping \
             its other entries, since one merge patch cannot remove the map and then set an \
             entry (`Patch::then` refuses such a pair). To empty the map first, send \
             `clear_{field}()` in a patch of its own.",
            field = field.unraw()
        )
    });
    let after_clear = after_clear.unwrap_or_default();
    let set_doc = format!(
        " Sets the entry `key` of {of} to a value, keeping the other entries of the \
         patch.{after_clear}"
    );
    let clear_doc = format!(" Removes the entry `key` of {of}: {sent_null}.{after_clear}");
    let (value_param, value_in) = value_param(cx, value, kind.entry_number_setter());
    quote! {
        #[doc = #set_doc]
        #(#attrs)*
        #(#cfgs)*
        #[must_use]
        #vis fn #set(
            mut self,
            __key: impl ::core::convert::Into<#key>,
            __value: #value_param,
        ) -> Self {
            let (__key, __entry) = (
                ::core::convert::Into::into(__key),
                #krate::Field::Value(#value_in),
            );
            #insert_entry
            self
        }

        #[doc = #clear_doc]
        #(#attrs)*
        #(#cfgs)*
        #[must_use]
        #vis fn #clear(mut self, __key: impl ::core::convert::Into<#key>) -> Self {
            let (__key, __entry) = (::core::convert::Into::into(__key), #krate::Field::Null);
            #insert_entry
            self
        }
    }
}

/// A setter's value parameter type and the value it gives: `impl Into<T>` and its `into()`,
/// or, for a number, `T` itself.
fn value_param<'v>(
    cx: &Context<'_, '_>,
    value: &'v Type,
    number: bool,
) -> (ValueParam<'v>, ValueIn) {
    let into = (!number).then(|| cx.path("::core::convert::Into"));
    (
        ValueParam {
            into: into.clone(),
            value,
        },
        ValueIn { into },
    )
}

/// A setter's value parameter type, `impl Into<T>` (`into` is the path of `Into`) or `T`,
/// written into the setter's tokens as `quote!` writes it, without a stream of its own that the
/// setter's `quote!` would copy.
struct ValueParam<'v> {
    into: Option<Frag>,
    value: &'v Type,
}

impl ToTokens for ValueParam<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let Some(into) = &self.into else {
            return self.value.to_tokens(tokens);
        };
        tokens.append(Ident::new("impl", Span::call_site()));
        into.to_tokens(tokens);
        tokens.append(Punct::new('<', Spacing::Alone));
        self.value.to_tokens(tokens);
        tokens.append(Punct::new('>', Spacing::Alone));
    }
}

/// The value that a setter's parameter gives: `Into::into(__value)`, or `__value`.
#[derive(Clone)]
struct ValueIn {
    into: Option<Frag>,
}

impl ToTokens for ValueIn {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let value = Ident::new("__value", Span::call_site());
        let Some(into) = &self.into else {
            return tokens.append(value);
        };
        into.to_tokens(tokens);
        tokens.append(Punct::new(':', Spacing::Joint));
        tokens.append(Punct::new(':', Spacing::Alone));
        tokens.append(Ident::new("into", Span::call_site()));
        tokens.append(Group::new(
            Delimiter::Parenthesis,
            value.into_token_stream(),
        ));
    }
}

/// `wrapper(value)` (`Some`, `Field::Value`), or the value alone.
struct Wrapped {
    wrapper: Option<Frag>,
    value: ValueIn,
}

impl ToTokens for Wrapped {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let Some(wrapper) = &self.wrapper else {
            return self.value.to_tokens(tokens);
        };
        wrapper.to_tokens(tokens);
        tokens.append(Group::new(
            Delimiter::Parenthesis,
            self.value.to_token_stream(),
        ));
    }
}

/// What a setter's doc says the patch's JSON holds for a field set to `what`: `"name": what`,
/// or nothing where the model never writes the attribute (`skip_serializing`).
fn sent(field: &Field<'_>, what: &str) -> String {
    if field.attrs.skip_serializing {
        "the patch applies and composes it, but never writes it (the model's \
         `skip_serializing`)"
            .to_owned()
    } else {
        let sent = format!("\"{}\": {what}", escaped(&field.ser_name));
        format!("the patch sends {}", code(&sent))
    }
}

/// `key` as the patch's JSON writes it between its quotes: `"`, `\` and control characters
/// escaped, as serde_json escapes them (RFC 8259 §7). The docs showed the key unescaped, so
/// that `rename = "q\"x"` read `"q"x": value`, which is not what the patch sends.
fn escaped(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for ch in key.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            ch if ch < ' ' => out.push_str(&format!("\\u{:04x}", u32::from(ch))),
            ch => out.push(ch),
        }
    }
    out
}

/// `text` as a Markdown code span that shows it as it is (CommonMark 0.31 §6.1): fenced with
/// one backtick more than its longest run of backticks, and padded with a space on each side
/// where it starts or ends with a backtick. A key holding a backtick ended the span early,
/// and rustdoc rendered the rest of the doc as Markdown (a link, emphasis, an HTML tag).
fn code(text: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for ch in text.chars() {
        run = if ch == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::{code, escaped};

    #[test]
    fn a_key_is_shown_as_the_patch_writes_it_in_one_code_span() {
        assert_eq!(code("userName"), "`userName`");
        assert_eq!(code("a`[b]"), "``a`[b]``");
        assert_eq!(code("`x``"), "``` `x`` ```");
        assert_eq!(escaped("q\"x\\y"), "q\\\"x\\\\y");
        assert_eq!(escaped("a\nb\u{1}"), "a\\nb\\u0001");
        assert_eq!(escaped("é{}"), "é{}");
    }
}
