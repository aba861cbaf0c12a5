#![doc = include_str!("../README.md")]

pub use sparse_patch_runtime::*;
