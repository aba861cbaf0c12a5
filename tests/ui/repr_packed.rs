// A wire-format struct packed for a binary protocol, also sent as JSON (derive-where#106:
// derives that borrow fields fail on packed structs with E0793 at the derive).
use sparse_patch::Patchable;

#[derive(Patchable, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[repr(C, packed)]
pub struct Header {
    pub version: u32,
    pub flags: Option<u16>,
}

#[derive(Patchable, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[repr(packed(2))]
pub struct Counter {
    pub value: u64,
}

fn main() {}
