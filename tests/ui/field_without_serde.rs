// A field whose type cannot be written or read: each error names the field, not the
// `#[derive]` line (only the first field's were reported, at the derive).
use sparse_patch::Patchable;

#[derive(Debug, Clone, PartialEq)]
pub struct Opaque(u8);

#[derive(Patchable, Debug, Clone, PartialEq)]
pub struct Holder {
    pub name: String,
    pub required: Opaque,
    pub nullable: Option<Opaque>,
}

fn main() {}
