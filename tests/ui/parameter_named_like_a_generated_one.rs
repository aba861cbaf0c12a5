// Generic parameters named like those the generated methods and bounds declare.
use std::marker::PhantomData;

use sparse_patch::Patchable;

#[allow(non_camel_case_types)]
#[derive(Patchable)]
struct Model<'__sparse_patch, __S, __D, __A, S> {
    name: &'__sparse_patch str,
    serializer: __S,
    deserializer: __D,
    reader: __A,
    // Not refused: a name that the generated code does not use.
    other: PhantomData<S>,
}

fn main() {}
