//! aws_lambda_events' own serde functions (`src/custom_serde/mod.rs`), as that crate writes
//! them, for the test files that copy its models (`real_api_models`, `real_client_models`).

use std::collections::HashMap;
use std::hash::Hash;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

/// The crate's own: an empty string is no string.
pub fn deserialize_lambda_string<'de, D>(deserializer: D) -> Result<Option<String>, D::Error>
where
    D: Deserializer<'de>,
{
    Ok(Option::<String>::deserialize(deserializer)?.filter(|text| !text.is_empty()))
}

/// `null` read as an empty map (serde-rs/serde#1098).
pub fn deserialize_lambda_map<'de, D, K, V>(deserializer: D) -> Result<HashMap<K, V>, D::Error>
where
    D: Deserializer<'de>,
    K: DeserializeOwned + Hash + Eq,
    V: DeserializeOwned,
{
    Ok(Option::deserialize(deserializer)?.unwrap_or_default())
}
