// A where clause that asks for a value readable from any input with a lifetime called `'de`,
// as serde users write `DeserializeOwned` out: the patch's `Deserialize<'de>` impl has its own
// `'de` (serde's derive refuses the same). One error at the lifetime, naming the way out, not
// E0496 beside a cascade of E0277 at the `#[derive]`.
use sparse_patch::Patchable;

#[derive(Patchable, serde::Serialize)]
struct Envelope<T, U: for<'de> serde::Deserialize<'de>>
where
    T: for<'de> serde::Deserialize<'de>,
    for<'de> U: serde::Deserialize<'de>,
{
    data: Option<T>,
    other: Option<U>,
}

fn main() {}
