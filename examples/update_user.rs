//! The main job: the reference request of PingOne's "Update User" page, a patch that changes
//! only `photo.href`. Prints the JSON body that `PATCH /environments/{envID}/users/{userID}`
//! would send.

use sparse_patch::Patchable;

/// The part of a PingOne user that this example changes.
#[derive(Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct User {
    #[patchable(skip)]
    id: String,
    username: String,
    #[patchable(nested)]
    photo: Option<Photo>,
}

/// `photo`: `href` is required inside it.
#[derive(Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct Photo {
    href: String,
}

fn main() -> Result<(), serde_json::Error> {
    let href = "https://uploads.pingone.com/environments/abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6/images/46a8b0da-3514-43f6-9c06-f2d60a2b3f68_7089c91e-95d3-4628-8a90-f49eb42ddb1d_original.png";
    let patch = UserPatch::new().photo(PhotoPatch::new().href(href));
    println!("PATCH {{apiPath}}/environments/{{envID}}/users/{{userID}}");
    println!("{}", serde_json::to_string_pretty(&patch)?);
    Ok(())
}
