//! Which serde code the patch gets ([`SerdeCode`]): the derive's own, or serde's derives with
//! the model's serde attributes carried over, and what follows from the choice.

use super::{Field, Input, Kind, Presence, Shape};
use crate::ty;

/// Which code serializes and deserializes the patch.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum SerdeCode {
    /// The derive's own: one runtime call per field to write (as a map when a field is
    /// flattened, as serde's derive does), and the runtime's shared map visitor with one
    /// `read_field` arm per field to read, which reads a flattened map entry by entry instead
    /// of buffering the whole object as serde's `flatten` does. No `#[serde]` attribute is
    /// emitted.
    Own,
    /// serde's derives on the patch, with the model's serde attributes carried over.
    Derived,
}

impl<'a> Input<'a> {
    /// The patch's serde code is the derive's own when serde's derive has nothing to add: no
    /// extra derive on the patch (which might read `#[serde]` attributes), no serde `bound` of
    /// the user's, nothing asked of serde beyond names (`rename`, `rename_all`, `alias`) and
    /// `deny_unknown_fields`, and no field compiled conditionally or written or read by a
    /// function of the user's. A patch with map fields, or with one flattened map (or
    /// `serde_json::Map`), is read by the derive and written by serde's derive; a generic one
    /// of those, or one with a flattened nested patch, is left to serde's derives.
    pub(super) fn choose_serde(&self) -> SerdeCode {
        let container_ok = self.attrs.serde_kept.iter().all(|meta| {
            meta.path().is_ident("rename_all") || meta.path().is_ident("deny_unknown_fields")
        });
        let field_ok = |field: &Field<'_>| {
            let attrs = &field.attrs;
            field.cfgs().is_empty()
                && attrs.with.is_none()
                && attrs.serialize_with.is_none()
                && attrs.deserialize_with.is_none()
                && !attrs.serde_bound
                && attrs.serde_kept.iter().all(|meta| {
                    ["rename", "alias", "flatten"]
                        .iter()
                        .any(|name| meta.path().is_ident(name))
                })
                && attrs.aliases_well_formed()
        };
        let flattened: Vec<&Kind> = self
            .patched()
            .map(|(_, kind)| kind)
            .filter(|kind| kind.flattened())
            .collect();
        let flattened_ok = match flattened.as_slice() {
            [] => true,
            // The derive's reader fills a flattened `HashMap`/`BTreeMap` or `serde_json::Map`
            // entry by entry; a flattened `Value` is left to serde's derives.
            [kind] => match kind.shape {
                Shape::Map {
                    explicit: false, ..
                } => true,
                Shape::Json => ty::is_json_map(&kind.value),
                _ => false,
            },
            _ => false,
        };
        // serde refuses unknown keys beside a flattened map under `deny_unknown_fields`, and
        // reports a repeated read-only key; the derive's reader does neither past 128 such keys.
        let flatten_rules_ok = flattened.is_empty()
            || (!self.attrs.deny_unknown_fields && self.dropped_keys().count() <= 128);
        let readable = !self.attrs.serde_bound
            && self.attrs.derives.is_empty()
            && container_ok
            && flattened_ok
            && flatten_rules_ok
            && self.patched().all(|(field, _)| field_ok(field));
        let maps = self
            .patched()
            .any(|(_, kind)| matches!(kind.shape, Shape::Map { .. }));
        // Map patches, flattened maps and dropped keys are written and read by the derive's
        // own code in patches without type parameters; a generic one leaves them to serde.
        let plain = flattened.is_empty() && !maps && !self.drops_skipped_keys;
        if readable && (plain || self.generics.params.is_empty()) {
            SerdeCode::Own
        } else {
            SerdeCode::Derived
        }
    }

    /// serde's derive reads the patch's flattened fields from its buffer of the keys that no
    /// field takes, which reads no integer or `bool` key of a map in a flattened map's values
    /// (serde-rs/serde#1183); the derive's own reader hands a flattened map its entries as it
    /// reads them. The schema of reading says so.
    pub fn reads_flattened_from_buffer(&self) -> bool {
        self.serde == SerdeCode::Derived
            && self
                .patched()
                .any(|(_, kind)| matches!(kind.presence, Presence::Flattened))
    }
}
