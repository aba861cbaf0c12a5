//! The reference request of PingOne's "Update User" page
//! (`shared/reference/update-user-patch.txt`): only `photo.href` is sent.

mod support;

use support::{PhotoPatch, UserPatch};

#[test]
fn photo_href_patch_serializes_exactly() {
    let href = "https://uploads.pingone.com/environments/abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6/images/46a8b0da-3514-43f6-9c06-f2d60a2b3f68_7089c91e-95d3-4628-8a90-f49eb42ddb1d_original.png";
    let patch = UserPatch::new().photo(PhotoPatch::new().href(href));
    assert_eq!(
        serde_json::to_string(&patch).unwrap(),
        format!(r#"{{"photo":{{"href":"{href}"}}}}"#)
    );
}
