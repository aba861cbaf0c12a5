//! What every output piece shares: the patched fields with their kinds, the runtime's path, the
//! model's and the patch's types, and the impl preamble.

use std::cell::RefCell;
use std::rc::Rc;

use proc_macro2::{Ident, Punct, Spacing, Span, TokenStream, TokenTree};
use quote::{ToTokens, quote};

use crate::ast::{Field, Input, Kind};

/// The parsed input and the tokens every piece uses.
pub struct Context<'f, 'a> {
    pub input: &'f Input<'a>,
    /// The patched fields, in declaration order.
    pub fields: Vec<(&'f Field<'a>, &'f Kind)>,
    /// The runtime's path, `::sparse_patch` unless `crate = "..."` says otherwise.
    pub krate: Frag,
    /// `#krate::private`, the runtime's module of the generated code's helpers.
    pub private: Frag,
    /// The absolute paths that [`path`](Self::path) built, each once.
    paths: RefCell<Vec<(&'static str, Frag)>>,
    /// [`apply_bounds`](Self::apply_bounds), built at the first of the four impls that state
    /// them, each stream handed to the compiler once (collected), so that a copy is a handle.
    pub(super) apply_bounds_built: std::cell::OnceCell<Vec<(TokenStream, bool)>>,
    /// The visibility of the patch's methods (see [`method_vis`](Self::method_vis)).
    vis: Frag,
}

/// Tokens built once per derive and written in many places. `quote!` writes a `Frag` as copies
/// of its token trees, which stay in the macro's output buffer, where an interpolated
/// `TokenStream` is cloned and concatenated: calls across the compiler's proc-macro bridge at
/// each use, which the macro's run paid for at every `#krate`.
#[derive(Clone)]
pub struct Frag(Rc<[TokenTree]>);

impl Frag {
    pub fn new(tokens: impl ToTokens) -> Self {
        Frag(tokens.into_token_stream().into_iter().collect())
    }

    /// The path `self::segment`, with the tokens that `quote!` writes for it.
    pub fn join(&self, segment: &str) -> Self {
        let mut tokens = self.0.to_vec();
        push_segment(&mut tokens, segment);
        Frag(tokens.into())
    }

    /// The tokens, each spanned at `span`.
    pub fn respanned(&self, span: Span) -> Self {
        Frag(
            self.0
                .iter()
                .map(|token| {
                    let mut token = token.clone();
                    token.set_span(span);
                    token
                })
                .collect(),
        )
    }
}

/// `::segment` as `quote!` writes it, at the call site.
fn push_segment(tokens: &mut Vec<TokenTree>, segment: &str) {
    tokens.push(Punct::new(':', Spacing::Joint).into());
    tokens.push(Punct::new(':', Spacing::Alone).into());
    tokens.push(Ident::new(segment, Span::call_site()).into());
}

impl ToTokens for Frag {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.extend(self.0.iter().cloned());
    }
}

impl<'f, 'a> Context<'f, 'a> {
    pub fn new(input: &'f Input<'a>) -> Self {
        let vis = Frag(
            input
                .vis
                .to_token_stream()
                .into_iter()
                .map(|mut token| {
                    token.set_span(proc_macro2::Span::call_site());
                    token
                })
                .collect(),
        );
        let krate = Frag::new(&input.krate);
        Context {
            input,
            fields: input.patched().collect(),
            private: krate.join("private"),
            krate,
            paths: RefCell::default(),
            apply_bounds_built: std::cell::OnceCell::new(),
            vis,
        }
    }

    /// The absolute path `text` (`"::core::default::Default::default"`), or the runtime's
    /// path followed by `text` (`"Field::Value"`, `#krate::Field::Value`), built once per
    /// derive: the tokens that `quote!` writes for it, which it would build again at each use.
    pub fn path(&self, text: &'static str) -> Frag {
        if let Some((_, frag)) = self.paths.borrow().iter().find(|(seen, _)| *seen == text) {
            return frag.clone();
        }
        // An absolute path from its root, any other from the runtime's path.
        let (mut tokens, relative) = match text.strip_prefix("::") {
            Some(relative) => (Vec::new(), relative),
            None => (self.krate.0.to_vec(), text),
        };
        for segment in relative.split("::") {
            push_segment(&mut tokens, segment);
        }
        let frag = Frag(tokens.into());
        self.paths.borrow_mut().push((text, frag.clone()));
        frag
    }

    /// The runtime's path in code spanned at the user's `span` (a bound on a field's type):
    /// where rustc reports it, resolved as the derive's own. A path that `crate = "..."` gives
    /// keeps its own span, where rustc reports once that it does not resolve.
    pub fn krate_at(&self, span: Span) -> Frag {
        if self.input.attrs.krate.is_some() {
            return self.krate.clone();
        }
        self.krate
            .respanned(span.resolved_at(proc_macro2::Span::call_site()))
    }

    /// `UserPatch<T>`.
    pub fn patch_type(&self) -> TokenStream {
        let patch = &self.input.patch;
        let (_, ty_generics, _) = self.input.generics.split_for_impl();
        quote!(#patch #ty_generics)
    }

    /// The visibility of the patch's methods: the model's, written by the derive (at the
    /// `#[derive]`, where rustc reports what concerns the methods). The model's own tokens
    /// carry the span of the place that wrote them, and where a `macro_rules!` writes `pub`,
    /// clippy read a method that begins with it as that macro's code, not generated code, and
    /// raised its lints there (`missing_const_for_fn` on a clear setter).
    pub fn method_vis(&self) -> &Frag {
        &self.vis
    }

    /// `User<T>`.
    pub fn model_type(&self) -> TokenStream {
        let model = self.input.ident;
        let (_, ty_generics, _) = self.input.generics.split_for_impl();
        quote!(#model #ty_generics)
    }

    /// The `#[allow]`s of the patch and of every impl: the user's own on the model, and the
    /// lints that the generated code raises for this model (`ast` decides which), nothing
    /// else: an `allow` of a lint that the user's crate `forbid`s, or of a group holding one,
    /// is an error there (E0453).
    pub fn allows(&self) -> Option<TokenStream> {
        let own = &self.input.attrs.allows;
        let lints = &self.input.lint_allows;
        // None rather than an empty stream, which `quote!` would still concatenate.
        if own.is_empty() && lints.is_empty() {
            return None;
        }
        let needed = (!lints.is_empty()).then(|| quote!(#[allow(#(#lints),*)]));
        Some(quote!(#(#own)* #needed))
    }

    /// The `#[automatically_derived]` preamble and header of an impl of `trait_path` for
    /// `self_ty`, with the model's generics and where-clause plus `bounds`; `body` goes inside,
    /// under [`allows`](Self::allows).
    pub fn impl_block(
        &self,
        trait_path: Option<TokenStream>,
        self_ty: TokenStream,
        bounds: Vec<TokenStream>,
        body: TokenStream,
    ) -> TokenStream {
        self.impl_block_in(&self.input.generics, trait_path, self_ty, bounds, body)
    }

    /// [`impl_block`](Self::impl_block) of an inherent impl of the patch, which also allows
    /// `dead_code`: rustc reports a derive's unused items where the derive sits in a
    /// `macro_rules!` expansion, and a patch's setters may well be unused (a patch that only
    /// `diff` makes). Trait impls are never reported, so they do not allow it.
    pub fn inherent_impl_block(&self, bounds: Vec<TokenStream>, body: TokenStream) -> TokenStream {
        let block = self.impl_block(None, self.patch_type(), bounds, body);
        quote!(#[allow(dead_code)] #block)
    }

    /// [`impl_block`](Self::impl_block) with a `'de` lifetime first among the impl's
    /// parameters, for serde's deserialization traits.
    pub fn impl_de_block(
        &self,
        trait_path: TokenStream,
        self_ty: TokenStream,
        bounds: Vec<TokenStream>,
        body: TokenStream,
    ) -> TokenStream {
        let mut generics = self.input.generics.clone();
        generics.params.insert(0, syn::parse_quote!('de));
        self.impl_block_in(&generics, Some(trait_path), self_ty, bounds, body)
    }

    fn impl_block_in(
        &self,
        generics: &syn::Generics,
        trait_path: Option<TokenStream>,
        self_ty: TokenStream,
        bounds: Vec<TokenStream>,
        body: TokenStream,
    ) -> TokenStream {
        let allows = self.allows();
        let generics = self.unbounded(generics);
        let (impl_generics, _, _) = generics.split_for_impl();
        let where_clause = self.where_clause(bounds);
        let trait_for = trait_path.map(|path| quote!(#path for));
        // The body moved into its braces: interpolated, it would be copied and concatenated.
        let body = proc_macro2::Group::new(proc_macro2::Delimiter::Brace, body);
        quote! {
            #[automatically_derived]
            #allows
            impl #impl_generics #trait_for #self_ty #where_clause #body
        }
    }

    /// Initializers of the patch's hidden fields: the dropped keys and the marker.
    pub fn hidden_inits(&self) -> Option<TokenStream> {
        // None rather than an empty stream, which `quote!` would still concatenate.
        if !self.input.needs_marker && self.input.hidden_dropped_keys().next().is_none() {
            return None;
        }
        let dropped = self
            .input
            .hidden_dropped_keys()
            .map(|field| self.dropped_key_ident(field));
        let marker = self.input.needs_marker.then(|| {
            let ident = self.input.hidden_ident("phantom");
            quote!(#ident: ::core::marker::PhantomData,)
        });
        Some(quote! {
            #(#dropped: ::core::default::Default::default(),)*
            #marker
        })
    }

    /// The first error among `calls` (each a `Result<(), ApplyError>`, with its field's
    /// `#[cfg]`s), or `Ok(())`: one runtime call over an array of the results, since a `match`
    /// per field costs rustc more than the field's call. A field with `#[cfg]` attributes
    /// cannot sit in an array, so then each call is a statement of its own.
    pub fn first_error(&self, calls: Vec<(Vec<&syn::Attribute>, TokenStream)>) -> TokenStream {
        let private = &self.private;
        if calls.is_empty() {
            return quote!(::core::result::Result::Ok(()));
        }
        if calls.iter().all(|(cfgs, _)| cfgs.is_empty()) {
            let array = array(calls.into_iter().map(|(_, call)| call));
            return quote!(#private::first_error(#array));
        }
        let statements = calls.iter().map(
            |(cfgs, call)| quote!(#(#cfgs)* #private::keep_first_error(&mut __result, #call);),
        );
        quote! {{
            let mut __result = ::core::result::Result::Ok(());
            #(#statements)*
            __result
        }}
    }

    /// Whether every term holds: `private::all([a, b, ...])`, one term per patched field, in
    /// field order. One call over an array costs rustc less than a chain of `&&`, each of which
    /// is a branch; every term is evaluated. A field with `#[cfg]` attributes cannot sit in an
    /// array, so then each term is a statement of its own.
    pub fn all_of(&self, terms: impl Iterator<Item = TokenStream>) -> TokenStream {
        if self.fields.iter().all(|(field, _)| field.cfgs().is_empty()) {
            let private = &self.private;
            let array = array(terms);
            return quote!(#private::all(#array));
        }
        let terms: Vec<_> = terms.collect();
        let cfgs = self.fields.iter().map(|(field, _)| field.cfgs());
        quote! {
            let mut __all = true;
            #( #(#cfgs)* { __all = __all && #terms; } )*
            __all
        }
    }

    /// The hidden patch field that reads and drops a skipped field's key.
    pub fn dropped_key_ident(&self, field: &Field<'_>) -> syn::Ident {
        self.input
            .hidden_ident(format_args!("ignored_{}", field.unraw()))
    }
}

/// `before piece` and the punctuation `end` (`,` or `;`): the piece moved in after the tokens
/// before it, where `quote!(#before #piece,)` copies it.
pub fn splice(mut before: TokenStream, piece: TokenStream, end: char) -> TokenStream {
    before.extend([piece]);
    quote::TokenStreamExt::append(&mut before, Punct::new(end, Spacing::Alone));
    before
}

/// `[a, b, ...]`, the items moved into the brackets with a comma after each but the last, as
/// `quote!`'s `[#(#items),*]` writes them without copying each item.
fn array(items: impl IntoIterator<Item = TokenStream>) -> proc_macro2::Group {
    let mut items = items.into_iter().peekable();
    let mut list = Vec::new();
    while let Some(mut item) = items.next() {
        if items.peek().is_some() {
            quote::TokenStreamExt::append(&mut item, Punct::new(',', Spacing::Alone));
        }
        list.push(item);
    }
    proc_macro2::Group::new(proc_macro2::Delimiter::Bracket, list.into_iter().collect())
}

/// The generated code's local `name` (`__writer`, `__map`) or `self`, in code spanned at the
/// user's `span` (where rustc reports its errors), resolved as the derive's own: a local is
/// found by its name and by the hygiene of its span. Where a `macro_rules!` writes the
/// `#[derive]` and its caller the fields (`struct $name $body`, with `$body:tt`, as
/// rust-lang/rust#92654 reports of another derive), the field's type carries the caller's
/// hygiene and the locals declared by the derive the macro's, so a local spanned at the type
/// alone could not be seen: "cannot find value `__writer` in this scope", "expected value,
/// found module `self`" at each field. Only the name's resolution changes, not where rustc
/// reports. Built as one ident rather than by walking the quoted tokens again, which the
/// macro's run pays for per field.
pub fn local(name: &str, span: Span) -> Ident {
    Ident::new(name, span.resolved_at(Span::call_site()))
}
