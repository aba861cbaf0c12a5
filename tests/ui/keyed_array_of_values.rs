// `key` on a `Vec` whose element type is a standard one whose JSON is never an object (a
// `bool`, a `char`, an array, a set, a tuple, a pointer or a `Cow` of a string): no element
// could hold the key, so `apply` and the SCIM output would refuse every non-empty array.
use std::borrow::Cow;
use std::collections::BTreeSet;

use sparse_patch::Patchable;

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
struct Flags {
    #[patchable(key = "id")]
    switches: Vec<bool>,
    #[patchable(key = "id")]
    letters: Vec<char>,
    #[patchable(key = "id")]
    rows: Option<Vec<Vec<String>>>,
    #[patchable(key = "id")]
    points: Vec<[f64; 2]>,
    #[patchable(key = "id")]
    groups: Vec<BTreeSet<u8>>,
    #[patchable(key = "id")]
    names: Vec<Box<str>>,
    #[patchable(key = "id")]
    labels: Vec<Cow<'static, str>>,
}

fn main() {}
