// The guide's links as rustdoc reads them (src/guide_links.md), before the README's own: the
// first definition of a label wins (CommonMark), so here each leads to the module's page.
#![doc = include_str!("guide_links.md")]
#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]
#![forbid(unsafe_code)]

pub use sparse_patch_runtime::*;

pub mod docs;
