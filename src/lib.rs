#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

pub use sparse_patch_runtime::*;
