//! A merge patch's JSON text for an HTTP client of the caller's own ([`merge_patch_to_vec`]):
//! serde_json's, with the numbers that the text cannot carry refused rather than written as
//! `null`.

use serde::Serialize;

use crate::DialectError;

/// The JSON text of the merge patch `patch` (RFC 7396), the body of a `PATCH` with
/// `Content-Type: application/merge-patch+json` ([`MERGE_PATCH_CONTENT_TYPE`](crate::MERGE_PATCH_CONTENT_TYPE))
/// or `application/json`: what `serde_json::to_vec(patch)` writes, except that a float that is
/// not finite (NaN, an infinity) is refused. serde_json writes such a float as `null`, and a
/// `null` in a merge patch removes the attribute (RFC 7396 §2): a patch that sets `score` to
/// NaN would clear the score on the server, or send a `null` for a required attribute. The
/// other outputs refuse it so too ([`Patch::to_json_patch`](crate::Patch::to_json_patch),
/// [`Patch::to_scim_patch`](crate::Patch::to_scim_patch)), and so does PingOne's client.
/// `patch` is any type that serializes to a merge patch: a derived patch, or a
/// `serde_json::Value` (whose numbers are finite already).
///
/// ```
/// use sparse_patch::{DialectError, Patchable, merge_patch_to_vec};
///
/// #[derive(Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
/// struct Ticket { title: String, score: Option<f64> }
///
/// let body = merge_patch_to_vec(&TicketPatch::new().score(0.5))?;
/// assert_eq!(body, br#"{"score":0.5}"#);
///
/// // serde_json alone would send `{"score":null}`: a clear.
/// let error = merge_patch_to_vec(&TicketPatch::new().score(f64::NAN)).unwrap_err();
/// assert!(matches!(&error, DialectError::Number { path, .. } if path == "score"), "{error}");
/// # Ok::<(), DialectError>(())
/// ```
///
/// # Errors
///
/// [`DialectError::Number`] naming the first float that is not finite by its path (`score`,
/// `custom.weights[2]`); [`DialectError::Serialize`] when the patch does not serialize to
/// JSON (a map whose keys are not strings, a `Serialize` impl of your own that fails).
pub fn merge_patch_to_vec<P: Serialize + ?Sized>(patch: &P) -> Result<Vec<u8>, DialectError> {
    // Integers wider than 64 bits are written in the text, as serde_json writes them.
    if let Some(found) = crate::json_number::unrepresentable(patch, false) {
        return Err(DialectError::number(found, true));
    }
    serde_json::to_vec(patch).map_err(DialectError::Serialize)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::json;

    use super::merge_patch_to_vec;
    use crate::DialectError;

    /// A float that is not finite is refused wherever it is (a map's value, an array's
    /// element), named by its path, and the text is serde_json's otherwise, integers wider
    /// than 64 bits included.
    #[test]
    fn refuses_a_float_that_is_not_finite_at_any_depth() {
        let weights = BTreeMap::from([("weights", vec![1.0, 2.0, f64::INFINITY])]);
        let custom = BTreeMap::from([("custom", weights)]);
        let error = merge_patch_to_vec(&custom).unwrap_err();
        assert!(
            matches!(&error, DialectError::Number { path, in_patch: true, .. } if path == "custom.weights[2]"),
            "{error:?}"
        );
        assert!(error.to_string().contains("infinity"), "{error}");
        let wide = BTreeMap::from([("count", u128::MAX)]);
        assert_eq!(
            merge_patch_to_vec(&wide).unwrap(),
            serde_json::to_vec(&wide).unwrap()
        );
        assert_eq!(
            merge_patch_to_vec(&json!({"a": null, "b": [0.5]})).unwrap(),
            br#"{"a":null,"b":[0.5]}"#
        );
    }

    /// A map whose keys are not strings is serde_json's error.
    #[test]
    fn a_patch_that_does_not_serialize_is_serde_jsons_error() {
        let by_pair = BTreeMap::from([((1, 2), "x")]);
        assert!(matches!(
            merge_patch_to_vec(&by_pair),
            Err(DialectError::Serialize(_))
        ));
    }
}
