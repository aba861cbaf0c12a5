#!/usr/bin/env python3
"""Rewrites the expanded bench crate (benches/build_time.sh's 10 models, expanded with
`RUSTC_BOOTSTRAP=1 cargo rustc --lib -- -Zunpretty=expanded`) so that some generated
operations run in non-generic code over type-erased fields, to measure what per-TYPE code
instead of per-FIELD code would save rustc.

    erase_fields.py IN.rs OUT.rs OPTION...

Options (any combination):
  prep          only make the expanded text build as a crate of its own (always done)
  prelude-a     add the runtime of variant A (module `__erased`, safe, dyn-based)
  prelude-b     add the runtime of variant B (module `__raw`, unsafe, offset-based)
  acc-ref       add each patch's `__fields(&self) -> [&dyn ErasedField; N]`
  acc-mut       add each patch's `__fields_mut(&mut self) -> [&mut dyn Any; N]` and each
                model's `__fields_mut(&mut self) -> [ModelFieldMut<'_>; N]`
  acc-model-ref add each model's `__fields_ref(&self) -> [ModelFieldRef<'_>; N]`
  a-eq a-fmt a-empty a-apply a-diff   the operation through variant A (needs its accessors)
  b-tables      add variant B's per-patch / per-model const tables
  b-fntables    the same tables as `#[inline]` functions returning arrays (no const items)
  b-eq b-fmt b-empty b-apply          the operation through variant B (needs b-tables or b-fntables)
  acc-model-mut only the model's `__fields_mut` of acc-mut
  acc-pmut-kind each patch's `__fields_kmut(&mut self) -> [PatchFieldMut<'_>; N]` (by kind)
  a-topatch     to_patch through the model's ref accessor and the patch's `&mut dyn Any` one
  a2-apply a2-then a2-diff a2-topatch   through the kinded patch accessor (acc-pmut-kind)
  acc-ref-match each patch's index accessor instead: `impl ErasedFields` with a `match`
  b-offsets-only, b-names-only, b-only-patch, b-only-model   parts of b-fntables, to split its cost
  stub-eq stub-fmt stub-empty stub-apply stub-diff stub-then stub-topatch
                the body replaced by `loop {}` (what the body costs)
"""
import re
import sys

PRELUDE_A = r'''
#[doc(hidden)]
pub mod __erased {
    //! Variant A: the fields of a patch or a model as trait objects; one impl per field TYPE.
    use ::core::any::Any;
    use ::core::fmt;
    use ::sparse_patch::{ApplyError, Field, Patchable};

    /// A patch field: absent or not.
    pub trait Slot {
        fn slot_is_absent(&self) -> bool;
    }
    impl<T> Slot for ::core::option::Option<T> {
        #[inline]
        fn slot_is_absent(&self) -> bool { self.is_none() }
    }
    impl<T> Slot for Field<T> {
        #[inline]
        fn slot_is_absent(&self) -> bool { Field::is_absent(self) }
    }

    /// A patch field behind a reference, for `eq`, `fmt` and `is_empty`.
    pub trait ErasedField {
        fn as_any(&self) -> &dyn Any;
        fn eq_erased(&self, other: &dyn ErasedField) -> bool;
        fn fmt_erased(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result;
        fn is_absent_erased(&self) -> bool;
    }
    impl<T: Slot + PartialEq + fmt::Debug + 'static> ErasedField for T {
        fn as_any(&self) -> &dyn Any { self }
        fn eq_erased(&self, other: &dyn ErasedField) -> bool {
            match ErasedField::as_any(other).downcast_ref::<T>() {
                Some(other) => self == other,
                None => false,
            }
        }
        fn fmt_erased(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
            fmt::Debug::fmt(self, formatter)
        }
        fn is_absent_erased(&self) -> bool { self.slot_is_absent() }
    }
    impl fmt::Debug for dyn ErasedField + '_ {
        fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result { ErasedField::fmt_erased(self, formatter) }
    }

    /// The index-based accessor (`acc-ref-match`).
    pub trait ErasedFields {
        fn erased_field(&self, index: usize) -> &dyn ErasedField;
    }
    pub fn eq_fields(a: &[&dyn ErasedField], b: &[&dyn ErasedField]) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(a, b)| ErasedField::eq_erased(&**a, &**b))
    }
    pub fn is_empty_fields(fields: &[&dyn ErasedField]) -> bool {
        fields.iter().all(|field| ErasedField::is_absent_erased(&**field))
    }
    pub fn fmt_fields(
        formatter: &mut fmt::Formatter<'_>,
        name: &str,
        names: &[&str],
        fields: &[&dyn ErasedField],
    ) -> fmt::Result {
        let mut debug = formatter.debug_struct(name);
        for (name, field) in names.iter().zip(fields) {
            debug.field(name, field);
        }
        debug.finish()
    }

    #[cold]
    #[inline(never)]
    fn wrong_patch_type() -> ! {
        panic!("the patch field's type does not match the model field's")
    }

    /// A model's required plain value `T`, patched by an `Option<T>`.
    pub trait ErasedValue {
        fn apply_erased(&mut self, patch: &mut dyn Any);
    }
    impl<T: 'static> ErasedValue for T {
        fn apply_erased(&mut self, patch: &mut dyn Any) {
            match patch.downcast_mut::<::core::option::Option<T>>() {
                Some(patch) => ::sparse_patch::private::apply_value(self, patch.take()),
                None => wrong_patch_type(),
            }
        }
    }
    /// A model's nullable value `Option<T>`, patched by a `Field<T>`.
    pub trait ErasedNullable {
        fn apply_erased(&mut self, patch: &mut dyn Any);
    }
    impl<T: 'static> ErasedNullable for ::core::option::Option<T> {
        fn apply_erased(&mut self, patch: &mut dyn Any) {
            match patch.downcast_mut::<Field<T>>() {
                Some(patch) => ::sparse_patch::private::apply_nullable_value(
                    self,
                    ::core::mem::replace(patch, Field::Absent),
                ),
                None => wrong_patch_type(),
            }
        }
    }
    /// A model's required nested model `T`, patched by an `Option<T::Patch>`.
    pub trait ErasedNested {
        fn apply_erased(&mut self, patch: &mut dyn Any, name: &'static str) -> Result<(), ApplyError>;
    }
    impl<T: Patchable + 'static> ErasedNested for T
    where
        T::Patch: 'static,
    {
        fn apply_erased(&mut self, patch: &mut dyn Any, name: &'static str) -> Result<(), ApplyError> {
            match patch.downcast_mut::<::core::option::Option<T::Patch>>() {
                Some(patch) => ::sparse_patch::private::apply_required::<::sparse_patch::private::Nested, T>(
                    self,
                    patch.take(),
                    name,
                ),
                None => wrong_patch_type(),
            }
        }
    }
    /// A model field behind `&mut`, by the kind the derive knows.
    pub enum ModelFieldMut<'a> {
        Value(&'a mut dyn ErasedValue),
        Nullable(&'a mut dyn ErasedNullable),
        Nested(&'a mut dyn ErasedNested),
    }
    /// Moves each patch field into its model field, in field order; the first error.
    pub fn apply_fields(
        model: &mut [ModelFieldMut<'_>],
        patch: &mut [&mut dyn Any],
        names: &[&'static str],
    ) -> Result<(), ApplyError> {
        let mut result = Ok(());
        for ((model, patch), name) in model.iter_mut().zip(patch.iter_mut()).zip(names) {
            match model {
                ModelFieldMut::Value(model) => ErasedValue::apply_erased(&mut **model, &mut **patch),
                ModelFieldMut::Nullable(model) => ErasedNullable::apply_erased(&mut **model, &mut **patch),
                ModelFieldMut::Nested(model) => {
                    let next = ErasedNested::apply_erased(&mut **model, &mut **patch, name);
                    ::sparse_patch::private::keep_first_error(&mut result, next);
                }
            }
        }
        result
    }

    /// Diff: a model field behind `&`, writing its patch field.
    pub trait ErasedValueRef {
        fn full_erased_value(&self, out: &mut dyn Any);
        fn diff_erased(&self, target: &dyn Any, out: &mut dyn Any);
        fn as_any(&self) -> &dyn Any;
    }
    impl<T: PartialEq + Clone + 'static> ErasedValueRef for T {
        fn as_any(&self) -> &dyn Any { self }
        fn full_erased_value(&self, out: &mut dyn Any) { ErasedFull::full_erased(self, out) }
        fn diff_erased(&self, target: &dyn Any, out: &mut dyn Any) {
            match (target.downcast_ref::<T>(), out.downcast_mut::<::core::option::Option<T>>()) {
                (Some(target), Some(out)) => *out = ::sparse_patch::private::diff_value(self, target),
                _ => wrong_patch_type(),
            }
        }
    }
    pub trait ErasedNullableRef {
        fn full_erased_value(&self, out: &mut dyn Any);
        fn diff_erased(&self, target: &dyn Any, out: &mut dyn Any);
        fn as_any(&self) -> &dyn Any;
    }
    impl<T: PartialEq + Clone + 'static> ErasedNullableRef for ::core::option::Option<T> {
        fn as_any(&self) -> &dyn Any { self }
        fn full_erased_value(&self, out: &mut dyn Any) { ErasedFullNullable::full_erased(self, out) }
        fn diff_erased(&self, target: &dyn Any, out: &mut dyn Any) {
            match (target.downcast_ref::<::core::option::Option<T>>(), out.downcast_mut::<Field<T>>()) {
                (Some(target), Some(out)) => *out = ::sparse_patch::private::diff_nullable_value(self, target),
                _ => wrong_patch_type(),
            }
        }
    }
    pub trait ErasedNestedRef {
        fn full_erased_value(&self, out: &mut dyn Any);
        fn diff_erased(&self, target: &dyn Any, out: &mut dyn Any);
        fn as_any(&self) -> &dyn Any;
    }
    impl<T: ::sparse_patch::Diff + 'static> ErasedNestedRef for T
    where
        T::Patch: 'static,
    {
        fn as_any(&self) -> &dyn Any { self }
        fn full_erased_value(&self, out: &mut dyn Any) { ErasedFullNested::full_erased(self, out) }
        fn diff_erased(&self, target: &dyn Any, out: &mut dyn Any) {
            match (target.downcast_ref::<T>(), out.downcast_mut::<::core::option::Option<T::Patch>>()) {
                (Some(target), Some(out)) => {
                    *out = ::sparse_patch::private::diff_required::<::sparse_patch::private::Nested, T>(self, target)
                }
                _ => wrong_patch_type(),
            }
        }
    }
    pub enum ModelFieldRef<'a> {
        Value(&'a dyn ErasedValueRef),
        Nullable(&'a dyn ErasedNullableRef),
        Nested(&'a dyn ErasedNestedRef),
    }
    /// Writes into `out` (an empty patch) the patch from `current` to `target`.
    pub fn diff_fields(current: &[ModelFieldRef<'_>], target: &[ModelFieldRef<'_>], out: &mut [&mut dyn Any]) {
        for ((current, target), out) in current.iter().zip(target).zip(out.iter_mut()) {
            match (current, target) {
                (ModelFieldRef::Value(c), ModelFieldRef::Value(t)) => ErasedValueRef::diff_erased(&**c, ErasedValueRef::as_any(&**t), &mut **out),
                (ModelFieldRef::Nullable(c), ModelFieldRef::Nullable(t)) => ErasedNullableRef::diff_erased(&**c, ErasedNullableRef::as_any(&**t), &mut **out),
                (ModelFieldRef::Nested(c), ModelFieldRef::Nested(t)) => ErasedNestedRef::diff_erased(&**c, ErasedNestedRef::as_any(&**t), &mut **out),
                _ => wrong_patch_type(),
            }
        }
    }
    /// to_patch: the patch field that builds a model field from nothing.
    pub trait ErasedFull {
        fn full_erased(&self, out: &mut dyn Any);
    }
    impl<T: Clone + 'static> ErasedFull for T {
        fn full_erased(&self, out: &mut dyn Any) {
            match out.downcast_mut::<::core::option::Option<T>>() {
                Some(out) => *out = ::sparse_patch::private::full_value(self),
                None => wrong_patch_type(),
            }
        }
    }
    pub trait ErasedFullNullable {
        fn full_erased(&self, out: &mut dyn Any);
    }
    impl<T: Clone + 'static> ErasedFullNullable for ::core::option::Option<T> {
        fn full_erased(&self, out: &mut dyn Any) {
            match out.downcast_mut::<Field<T>>() {
                Some(out) => *out = ::sparse_patch::private::full_nullable_value(self),
                None => wrong_patch_type(),
            }
        }
    }
    pub trait ErasedFullNested {
        fn full_erased(&self, out: &mut dyn Any);
    }
    impl<T: ::sparse_patch::Diff + 'static> ErasedFullNested for T
    where
        T::Patch: 'static,
    {
        fn full_erased(&self, out: &mut dyn Any) {
            match out.downcast_mut::<::core::option::Option<T::Patch>>() {
                Some(out) => *out = ::sparse_patch::private::full_required::<::sparse_patch::private::Nested, T>(self),
                None => wrong_patch_type(),
            }
        }
    }
    impl<'a> ModelFieldRef<'a> {
        fn full_into(&self, out: &mut dyn Any) {
            match self {
                ModelFieldRef::Value(c) => ErasedValueRef::full_erased_value(&**c, out),
                ModelFieldRef::Nullable(c) => ErasedNullableRef::full_erased_value(&**c, out),
                ModelFieldRef::Nested(c) => ErasedNestedRef::full_erased_value(&**c, out),
            }
        }
    }
    pub fn full_fields(current: &[ModelFieldRef<'_>], out: &mut [&mut dyn Any]) {
        for (current, out) in current.iter().zip(out.iter_mut()) {
            current.full_into(&mut **out);
        }
    }

    /// A patch field behind `&mut`, by kind: composes with the next patch's (then_checked).
    pub trait ErasedOptionSlot {
        fn as_any_mut(&mut self) -> &mut dyn Any;
        fn then_erased(&mut self, next: &mut dyn Any);
    }
    impl<T: 'static> ErasedOptionSlot for ::core::option::Option<T> {
        fn as_any_mut(&mut self) -> &mut dyn Any { self }
        fn then_erased(&mut self, next: &mut dyn Any) {
            match next.downcast_mut::<::core::option::Option<T>>() {
                Some(next) => ::sparse_patch::private::then_value(self, next.take()),
                None => wrong_patch_type(),
            }
        }
    }
    pub trait ErasedFieldSlot {
        fn as_any_mut(&mut self) -> &mut dyn Any;
        fn then_erased(&mut self, next: &mut dyn Any);
    }
    impl<T: 'static> ErasedFieldSlot for Field<T> {
        fn as_any_mut(&mut self) -> &mut dyn Any { self }
        fn then_erased(&mut self, next: &mut dyn Any) {
            match next.downcast_mut::<Field<T>>() {
                Some(next) => ::sparse_patch::private::then_nullable_value(self, ::core::mem::replace(next, Field::Absent)),
                None => wrong_patch_type(),
            }
        }
    }
    pub trait ErasedNestedSlot {
        fn as_any_mut(&mut self) -> &mut dyn Any;
        fn then_erased(&mut self, next: &mut dyn Any);
    }
    impl<P: ::sparse_patch::Patch + 'static> ErasedNestedSlot for ::core::option::Option<P>
    where
        P::Model: Patchable<Patch = P>,
    {
        fn as_any_mut(&mut self) -> &mut dyn Any { self }
        fn then_erased(&mut self, next: &mut dyn Any) {
            match next.downcast_mut::<::core::option::Option<P>>() {
                Some(next) => ::sparse_patch::private::then_required::<::sparse_patch::private::Nested, P::Model>(self, next.take()),
                None => wrong_patch_type(),
            }
        }
    }
    pub enum PatchFieldMut<'a> {
        Value(&'a mut dyn ErasedOptionSlot),
        Nullable(&'a mut dyn ErasedFieldSlot),
        Nested(&'a mut dyn ErasedNestedSlot),
    }
    impl<'a> PatchFieldMut<'a> {
        fn any(&mut self) -> &mut dyn Any {
            match self {
                PatchFieldMut::Value(p) => ErasedOptionSlot::as_any_mut(&mut **p),
                PatchFieldMut::Nullable(p) => ErasedFieldSlot::as_any_mut(&mut **p),
                PatchFieldMut::Nested(p) => ErasedNestedSlot::as_any_mut(&mut **p),
            }
        }
    }
    pub fn then_fields(first: &mut [PatchFieldMut<'_>], next: &mut [PatchFieldMut<'_>]) {
        for (first, next) in first.iter_mut().zip(next.iter_mut()) {
            let next = next.any();
            match first {
                PatchFieldMut::Value(p) => ErasedOptionSlot::then_erased(&mut **p, next),
                PatchFieldMut::Nullable(p) => ErasedFieldSlot::then_erased(&mut **p, next),
                PatchFieldMut::Nested(p) => ErasedNestedSlot::then_erased(&mut **p, next),
            }
        }
    }
    pub fn apply_fields_kinded(
        model: &mut [ModelFieldMut<'_>],
        patch: &mut [PatchFieldMut<'_>],
        names: &[&'static str],
    ) -> Result<(), ApplyError> {
        let mut result = Ok(());
        for ((model, patch), name) in model.iter_mut().zip(patch.iter_mut()).zip(names) {
            let patch = patch.any();
            match model {
                ModelFieldMut::Value(model) => ErasedValue::apply_erased(&mut **model, patch),
                ModelFieldMut::Nullable(model) => ErasedNullable::apply_erased(&mut **model, patch),
                ModelFieldMut::Nested(model) => {
                    let next = ErasedNested::apply_erased(&mut **model, patch, name);
                    ::sparse_patch::private::keep_first_error(&mut result, next);
                }
            }
        }
        result
    }
    pub fn diff_fields_kinded(current: &[ModelFieldRef<'_>], target: &[ModelFieldRef<'_>], out: &mut [PatchFieldMut<'_>]) {
        for ((current, target), out) in current.iter().zip(target).zip(out.iter_mut()) {
            let out = out.any();
            match (current, target) {
                (ModelFieldRef::Value(c), ModelFieldRef::Value(t)) => ErasedValueRef::diff_erased(&**c, ErasedValueRef::as_any(&**t), out),
                (ModelFieldRef::Nullable(c), ModelFieldRef::Nullable(t)) => ErasedNullableRef::diff_erased(&**c, ErasedNullableRef::as_any(&**t), out),
                (ModelFieldRef::Nested(c), ModelFieldRef::Nested(t)) => ErasedNestedRef::diff_erased(&**c, ErasedNestedRef::as_any(&**t), out),
                _ => wrong_patch_type(),
            }
        }
    }
    pub fn full_fields_kinded(current: &[ModelFieldRef<'_>], out: &mut [PatchFieldMut<'_>]) {
        for (current, out) in current.iter().zip(out.iter_mut()) {
            current.full_into(out.any());
        }
    }

}
'''

PRELUDE_B = r'''
#[doc(hidden)]
pub mod __raw {
    //! Variant B: a const table per type of (name, offset, vtable); one vtable per field TYPE.
    //! Unsafe: a ceiling figure only (user crates with `forbid(unsafe_code)` reject it).
    use ::core::fmt;
    use ::sparse_patch::{ApplyError, Field, Patchable};

    pub trait Slot {
        fn slot_is_absent(&self) -> bool;
    }
    impl<T> Slot for ::core::option::Option<T> {
        #[inline]
        fn slot_is_absent(&self) -> bool { self.is_none() }
    }
    impl<T> Slot for Field<T> {
        #[inline]
        fn slot_is_absent(&self) -> bool { Field::is_absent(self) }
    }

    pub struct FieldOps {
        pub eq: unsafe fn(*const u8, *const u8) -> bool,
        pub fmt: unsafe fn(*const u8, &mut fmt::Formatter<'_>) -> fmt::Result,
        pub is_absent: unsafe fn(*const u8) -> bool,
    }
    pub trait ErasedOps {
        const OPS: FieldOps;
    }
    impl<T: Slot + PartialEq + fmt::Debug> ErasedOps for T {
        const OPS: FieldOps = FieldOps { eq: eq_raw::<T>, fmt: fmt_raw::<T>, is_absent: absent_raw::<T> };
    }
    unsafe fn eq_raw<T: PartialEq>(a: *const u8, b: *const u8) -> bool {
        unsafe { *(a as *const T) == *(b as *const T) }
    }
    unsafe fn fmt_raw<T: fmt::Debug>(a: *const u8, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        unsafe { fmt::Debug::fmt(&*(a as *const T), formatter) }
    }
    unsafe fn absent_raw<T: Slot>(a: *const u8) -> bool {
        unsafe { (*(a as *const T)).slot_is_absent() }
    }
    pub type FieldTable = [(&'static str, usize, &'static FieldOps)];

    pub unsafe fn eq_fields(a: *const u8, b: *const u8, table: &FieldTable) -> bool {
        table.iter().all(|(_, offset, ops)| unsafe { (ops.eq)(a.add(*offset), b.add(*offset)) })
    }
    pub unsafe fn is_empty_fields(a: *const u8, table: &FieldTable) -> bool {
        table.iter().all(|(_, offset, ops)| unsafe { (ops.is_absent)(a.add(*offset)) })
    }
    struct RawDebug(*const u8, unsafe fn(*const u8, &mut fmt::Formatter<'_>) -> fmt::Result);
    impl fmt::Debug for RawDebug {
        fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result { unsafe { (self.1)(self.0, formatter) } }
    }
    pub unsafe fn fmt_fields(formatter: &mut fmt::Formatter<'_>, name: &str, a: *const u8, table: &FieldTable) -> fmt::Result {
        let mut debug = formatter.debug_struct(name);
        for (field, offset, ops) in table {
            debug.field(field, &RawDebug(unsafe { a.add(*offset) }, ops.fmt));
        }
        debug.finish()
    }

    /// Moves the patch field at `patch` into the model field at `model`.
    pub type ApplyOp = unsafe fn(*mut u8, *mut u8, &'static str) -> Result<(), ApplyError>;
    pub unsafe fn apply_value_raw<T>(model: *mut u8, patch: *mut u8, _: &'static str) -> Result<(), ApplyError> {
        unsafe {
            let patch = ::core::ptr::read(patch as *mut ::core::option::Option<T>);
            ::sparse_patch::private::apply_value(&mut *(model as *mut T), patch);
        }
        Ok(())
    }
    pub unsafe fn apply_nullable_raw<T>(model: *mut u8, patch: *mut u8, _: &'static str) -> Result<(), ApplyError> {
        unsafe {
            let patch = ::core::ptr::read(patch as *mut Field<T>);
            ::sparse_patch::private::apply_nullable_value(&mut *(model as *mut ::core::option::Option<T>), patch);
        }
        Ok(())
    }
    pub unsafe fn apply_nested_raw<T: Patchable>(model: *mut u8, patch: *mut u8, name: &'static str) -> Result<(), ApplyError> {
        unsafe {
            let patch = ::core::ptr::read(patch as *mut ::core::option::Option<T::Patch>);
            ::sparse_patch::private::apply_required::<::sparse_patch::private::Nested, T>(&mut *(model as *mut T), patch, name)
        }
    }
    /// (offset in the model, offset in the patch, the type's apply, the name for errors).
    pub type ApplyTable = [(usize, usize, ApplyOp, &'static str)];
    /// Moves every patch field into the model; the caller forgets the patch afterwards.
    pub unsafe fn apply_fields(model: *mut u8, patch: *mut u8, table: &ApplyTable) -> Result<(), ApplyError> {
        let mut result = Ok(());
        for (model_offset, patch_offset, apply, name) in table {
            let next = unsafe { apply(model.add(*model_offset), patch.add(*patch_offset), name) };
            ::sparse_patch::private::keep_first_error(&mut result, next);
        }
        result
    }
}
'''


def norm(text):
    return re.sub(r'\s+', ' ', text).strip().replace('< <', '<<')


def parse_struct(src, name):
    m = re.search(r'\npub struct ' + re.escape(name) + r' \{\n(.*?)\n\}', src, re.S)
    assert m, name
    fields = []
    for part in re.split(r'\n    pub ', '\n' + m.group(1))[1:]:
        fname, ftype = part.split(':', 1)
        ftype = ftype.strip()
        assert ftype.endswith(','), part
        fields.append((fname.strip(), norm(ftype[:-1])))
    return fields, m.end()


def kind_of(patch_type):
    if patch_type.startswith('::sparse_patch::Field<'):
        return 'nullable'
    if 'as ::sparse_patch::Patchable>::Patch' in patch_type:
        return 'nested'
    assert patch_type.startswith('::core::option::Option<'), patch_type
    return 'value'


def body_span(src, start):
    """The (open, close) indexes of the `{ ... }` that opens at or after `start`."""
    i = src.index('{', start)
    depth = 0
    j = i
    while True:
        c = src[j]
        if c == '"':
            j += 1
            while src[j] != '"':
                j += 2 if src[j] == '\\' else 1
        elif c == '{':
            depth += 1
        elif c == '}':
            depth -= 1
            if depth == 0:
                return i, j
        j += 1


def replace_fn_body(src, impl_header_re, fn_name, new_body):
    m = re.search(impl_header_re, src)
    assert m, impl_header_re
    _, impl_end = body_span(src, m.end() - 1 if src[m.end() - 1] == '{' else m.end())
    f = src.index('fn ' + fn_name + '(', m.end())
    assert f < impl_end, (impl_header_re, fn_name)
    open_, close = body_span(src, f)
    return src[:open_] + '{ ' + new_body + ' }' + src[close + 1:]


def prep(src):
    lines = [l for l in src.split('\n')
             if l.strip() not in ('#[serde(rename_all = "camelCase")]', '#[patchable(nested)]')]
    src = '\n'.join(lines)
    return src.replace('#![feature(prelude_import)]',
                       '#![feature(prelude_import, fmt_helpers_for_derive, structural_match)]', 1)


def main():
    src_path, out_path, *opts = sys.argv[1:]
    opts = set(opts)
    src = prep(open(src_path).read())
    models = re.findall(r'\npub struct (\w+)Patch \{', src)
    inserts = []  # (position, text) after each model/patch struct
    for model in models:
        patch = model + 'Patch'
        pfields, pend = parse_struct(src, patch)
        mfields, mend = parse_struct(src, model)
        assert [f for f, _ in pfields] == [f for f, _ in mfields], model
        n = len(pfields)
        kinds = [kind_of(t) for _, t in pfields]
        names = [f for f, _ in pfields]
        # The name each nested field's errors carry, as the generated apply passes it.
        apply_names = {}
        for f, nm in re.findall(r'apply_required::<::sparse_patch::private::Nested,\s*\w+>\(&mut self\.(\w+),\s*__patch\.\w+,\s*"([^"]*)"\)', src):
            apply_names.setdefault((f), nm)
        patch_items, model_items = [], []
        if 'acc-ref' in opts:
            arms = ', '.join(f'&self.{f}' for f in names)
            patch_items.append(
                f'#[doc(hidden)] #[inline] pub fn __fields(&self) -> [&dyn __erased::ErasedField; {n}] {{ [{arms}] }}')
        variant = {'value': 'Value', 'nullable': 'Nullable', 'nested': 'Nested'}
        if 'acc-ref-match' in opts:
            arms = ' '.join(f'{i} => &self.{f},' for i, f in enumerate(names[:-1]))
            inserts.append((0, f"\n#[automatically_derived]\nimpl __erased::ErasedFields for {patch} {{\n    #[inline] fn erased_field(&self, __index: usize) -> &dyn __erased::ErasedField {{ match __index {{ {arms} _ => &self.{names[-1]} }} }}\n}}"))
        if 'acc-mut' in opts:
            arms = ', '.join(f'&mut self.{f}' for f in names)
            patch_items.append(
                f'#[doc(hidden)] #[inline] pub fn __fields_mut(&mut self) -> [&mut dyn ::core::any::Any; {n}] {{ [{arms}] }}')
        if 'acc-pmut-kind' in opts:
            arms = ', '.join(f'__erased::PatchFieldMut::{variant[k]}(&mut self.{f})' for f, k in zip(names, kinds))
            patch_items.append(
                f"#[doc(hidden)] #[inline] pub fn __fields_kmut(&mut self) -> [__erased::PatchFieldMut<'_>; {n}] {{ [{arms}] }}")
        if 'acc-mut' in opts or 'acc-model-mut' in opts:
            arms = ', '.join(f'__erased::ModelFieldMut::{variant[k]}(&mut self.{f})' for f, k in zip(names, kinds))
            model_items.append(
                f"#[doc(hidden)] #[inline] pub fn __fields_mut(&mut self) -> [__erased::ModelFieldMut<'_>; {n}] {{ [{arms}] }}")
        if 'acc-model-ref' in opts:
            variant = {'value': 'Value', 'nullable': 'Nullable', 'nested': 'Nested'}
            arms = ', '.join(f'__erased::ModelFieldRef::{variant[k]}(&self.{f})' for f, k in zip(names, kinds))
            model_items.append(
                f"#[doc(hidden)] #[inline] pub fn __fields_ref(&self) -> [__erased::ModelFieldRef<'_>; {n}] {{ [{arms}] }}")
        fntables = 'b-fntables' in opts
        if 'b-tables' in opts or fntables:
            rows = ', '.join(f'("{f}", ::core::mem::offset_of!({patch}, {f}), &<{t} as __raw::ErasedOps>::OPS)'
                             for f, t in pfields)
            if 'b-names-only' in opts:
                rows = ', '.join(f'("{f}", 0usize)' for f, t in pfields)
                patch_items.append(f"#[doc(hidden)] #[inline] pub fn __table() -> [(&'static str, usize); {n}] {{ [{rows}] }}")
            elif 'b-offsets-only' in opts:
                rows = ', '.join(f'("{f}", ::core::mem::offset_of!({patch}, {f}))' for f, t in pfields)
                patch_items.append(f"#[doc(hidden)] #[inline] pub fn __table() -> [(&'static str, usize); {n}] {{ [{rows}] }}")
            elif 'b-only-model' in opts:
                pass
            elif fntables:
                patch_items.append(f"#[doc(hidden)] #[inline] pub fn __table() -> [(&'static str, usize, &'static __raw::FieldOps); {n}] {{ [{rows}] }}")
            else:
                patch_items.append(f"#[doc(hidden)] pub const __TABLE: &'static __raw::FieldTable = &[{rows}];")
            rows = []
            for (f, mt), k in zip(mfields, kinds):
                if k == 'value':
                    op = f'__raw::apply_value_raw::<{mt}>'
                elif k == 'nullable':
                    inner = re.fullmatch(r'Option<(.*)>', mt).group(1)
                    op = f'__raw::apply_nullable_raw::<{inner}>'
                else:
                    op = f'__raw::apply_nested_raw::<{mt}>'
                nm = apply_names.get(f, f)
                rows.append(f'(::core::mem::offset_of!({model}, {f}), ::core::mem::offset_of!({patch}, {f}), {op}, "{nm}")')
            if 'b-offsets-only' in opts or 'b-only-patch' in opts:
                pass
            elif fntables:
                model_items.append(f"#[doc(hidden)] #[inline] pub fn __apply_table() -> [(usize, usize, __raw::ApplyOp, &'static str); {n}] {{ [{', '.join(rows)}] }}")
            else:
                model_items.append(f"#[doc(hidden)] pub const __APPLY: &'static __raw::ApplyTable = &[{', '.join(rows)}];")
        if patch_items:
            inserts.append((pend, f'\n#[automatically_derived]\nimpl {patch} {{\n    ' + '\n    '.join(patch_items) + '\n}'))
        if model_items:
            inserts.append((mend, f'\n#[automatically_derived]\nimpl {model} {{\n    ' + '\n    '.join(model_items) + '\n}'))

        names_lit = '&[' + ', '.join(f'"{f}"' for f in names) + ']'
        pe = r'impl ::core::cmp::PartialEq for ' + patch + r'\b[^{]*\{'
        pf = r'impl ::core::fmt::Debug for ' + patch + r'\b[^{]*\{'
        pp = r'impl ::sparse_patch::Patch for ' + patch + r'\b[^{]*\{'
        pm = r'impl ::sparse_patch::Patchable for ' + model + r'\b[^{]*\{'
        pd = r'impl ::sparse_patch::Diff for ' + model + r'\b[^{]*\{'
        if 'a-eq' in opts:
            src = replace_fn_body(src, pe, 'eq', '__erased::eq_fields(&self.__fields(), &__other.__fields())')
        if 'a-fmt' in opts:
            src = replace_fn_body(src, pf, 'fmt', f'__erased::fmt_fields(__formatter, "{patch}", {names_lit}, &self.__fields())')
        if 'a-empty' in opts:
            src = replace_fn_body(src, pp, 'is_empty', '__erased::is_empty_fields(&self.__fields())')
        if 'a-apply' in opts:
            nested_names = '&[' + ', '.join(f'"{apply_names.get(f, f)}"' for f in names) + ']'
            src = replace_fn_body(src, pm, 'apply_checked',
                                  f'let mut __patch = __patch; __erased::apply_fields(&mut self.__fields_mut(), &mut __patch.__fields_mut(), {nested_names})')
        if 'a-diff' in opts:
            src = replace_fn_body(src, pd, 'diff_patch',
                                  f'let mut __patch = <{patch} as ::core::default::Default>::default(); __erased::diff_fields(&self.__fields_ref(), &__target.__fields_ref(), &mut __patch.__fields_mut()); __patch')
        for op, (pat, fn) in {'eq': (pe, 'eq'), 'fmt': (pf, 'fmt'), 'empty': (pp, 'is_empty'),
                              'apply': (pm, 'apply_checked'), 'diff': (pd, 'diff_patch')}.items():
            if 'stub-' + op in opts:
                src = replace_fn_body(src, pat, fn, 'loop {}')
        nested_names = '&[' + ', '.join(f'"{apply_names.get(f, f)}"' for f in names) + ']'
        if 'a-topatch' in opts:
            src = replace_fn_body(src, pd, 'to_patch',
                                  f'let mut __patch = <{patch} as ::core::default::Default>::default(); __erased::full_fields(&self.__fields_ref(), &mut __patch.__fields_mut()); __patch')
        if 'a2-apply' in opts:
            src = replace_fn_body(src, pm, 'apply_checked',
                                  f'let mut __patch = __patch; __erased::apply_fields_kinded(&mut self.__fields_mut(), &mut __patch.__fields_kmut(), {nested_names})')
        if 'a2-then' in opts:
            src = replace_fn_body(src, pp, 'then_checked',
                                  'let mut __next = __next; __erased::then_fields(&mut self.__fields_kmut(), &mut __next.__fields_kmut())')
        if 'a2-diff' in opts:
            src = replace_fn_body(src, pd, 'diff_patch',
                                  f'let mut __patch = <{patch} as ::core::default::Default>::default(); __erased::diff_fields_kinded(&self.__fields_ref(), &__target.__fields_ref(), &mut __patch.__fields_kmut()); __patch')
        if 'a2-topatch' in opts:
            src = replace_fn_body(src, pd, 'to_patch',
                                  f'let mut __patch = <{patch} as ::core::default::Default>::default(); __erased::full_fields_kinded(&self.__fields_ref(), &mut __patch.__fields_kmut()); __patch')
        for op, (pat, fn) in {'then': (pp, 'then_checked'), 'topatch': (pd, 'to_patch')}.items():
            if 'stub-' + op in opts:
                src = replace_fn_body(src, pat, fn, 'loop {}')
        tab = f'&{patch}::__table()' if fntables else f'{patch}::__TABLE'
        atab = f'&{model}::__apply_table()' if fntables else f'{model}::__APPLY'
        if 'b-eq' in opts:
            src = replace_fn_body(src, pe, 'eq', f'unsafe {{ __raw::eq_fields(self as *const Self as *const u8, __other as *const Self as *const u8, {tab}) }}')
        if 'b-fmt' in opts:
            src = replace_fn_body(src, pf, 'fmt', f'unsafe {{ __raw::fmt_fields(__formatter, "{patch}", self as *const Self as *const u8, {tab}) }}')
        if 'b-empty' in opts:
            src = replace_fn_body(src, pp, 'is_empty', f'unsafe {{ __raw::is_empty_fields(self as *const Self as *const u8, {tab}) }}')
        if 'b-apply' in opts:
            src = replace_fn_body(src, pm, 'apply_checked',
                                  f'let mut __patch = ::core::mem::ManuallyDrop::new(__patch); unsafe {{ __raw::apply_fields(self as *mut Self as *mut u8, &mut *__patch as *mut {patch} as *mut u8, {atab}) }}')
    # Insert the accessors after their structs (found again by name: bodies changed since).
    for text in [t for _, t in inserts]:
        name = re.match(r'\n#\[automatically_derived\]\nimpl (?:__erased::ErasedFields for )?(\w+) \{', text).group(1)
        _, end = parse_struct(src, name)
        src = src[:end] + text + src[end:]
    anchor = 'use sparse_patch::Patchable;\n'
    pre = ''
    if 'prelude-a' in opts:
        pre += PRELUDE_A
    if 'prelude-b' in opts:
        pre += PRELUDE_B
    src = src.replace(anchor, anchor + pre, 1)
    open(out_path, 'w').write(src)


if __name__ == '__main__':
    main()
