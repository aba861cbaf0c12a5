// The guide's links as rustdoc reads them (src/guide_links.md), before the README's own: the
// first definition of a label wins (CommonMark), so here each leads to the module's page.
#![doc = include_str!("guide_links.md")]
#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]
#![forbid(unsafe_code)]

pub use sparse_patch_runtime::*;

// Named as well as globbed, with the runtime's cfg: with neither feature on, rustc's error for
// `sparse_patch::pingone` then says that the module is gated behind `client` or `emulator`,
// where the glob alone leaves "could not find `pingone` in `sparse_patch`"
// (tests/package_metadata.rs).
#[cfg(any(feature = "client", feature = "emulator"))]
pub use sparse_patch_runtime::pingone;

pub mod docs;
