//! The guide: the reference chapters that the README's table "Guide" lists, one module a
//! chapter. Each module's documentation is the chapter's file, `docs/NAME/README.md` in the
//! repository, so that GitHub and docs.rs show the same text and its Rust examples run as doc
//! tests. The modules hold no items.
//!
//! A chapter links to another by a reference link, `[text][NAME]` or `[text][NAME#section]`
//! (and to the README by `[text][readme#section]`). The chapter's own definitions, at its end,
//! give GitHub the folder `../NAME/`, which shows its `README.md`; `src/guide_links.md`, put
//! before each chapter here (CommonMark takes a label's first definition), gives rustdoc the
//! module `crate::docs::NAME`, whose page it links as `docs/NAME/index.html`. A folder link
//! would show a directory listing in the local HTML of `cargo doc --open`, and a link to a
//! `.md` file would work on GitHub only (tests/package_metadata.rs).

#[doc = include_str!("guide_links.md")]
#[doc = include_str!("../docs/common_tasks/README.md")]
pub mod common_tasks {}

#[doc = include_str!("guide_links.md")]
#[doc = include_str!("../docs/field_types/README.md")]
pub mod field_types {}

#[doc = include_str!("guide_links.md")]
#[doc = include_str!("../docs/json_schema/README.md")]
pub mod json_schema {}

#[doc = include_str!("guide_links.md")]
#[doc = include_str!("../docs/apply_and_diff/README.md")]
pub mod apply_and_diff {}

#[doc = include_str!("guide_links.md")]
#[doc = include_str!("../docs/dialects/README.md")]
pub mod dialects {}

#[doc = include_str!("guide_links.md")]
#[doc = include_str!("../docs/attributes/README.md")]
pub mod attributes {}

#[doc = include_str!("guide_links.md")]
#[doc = include_str!("../docs/from_other_crates/README.md")]
pub mod from_other_crates {}

#[doc = include_str!("guide_links.md")]
#[doc = include_str!("../docs/pingone_client/README.md")]
pub mod pingone_client {}

#[doc = include_str!("guide_links.md")]
#[doc = include_str!("../docs/pingone_safety/README.md")]
pub mod pingone_safety {}

#[doc = include_str!("guide_links.md")]
#[doc = include_str!("../docs/pingone_transport/README.md")]
pub mod pingone_transport {}

#[doc = include_str!("guide_links.md")]
#[doc = include_str!("../docs/sync_job/README.md")]
pub mod sync_job {}

#[doc = include_str!("guide_links.md")]
#[doc = include_str!("../docs/emulator/README.md")]
pub mod emulator {}

#[doc = include_str!("guide_links.md")]
#[doc = include_str!("../docs/repository_layout/README.md")]
pub mod repository_layout {}
