//! Numbers and text at their edges, through the whole pipeline: floats that serde_json's text
//! must give back bit for bit (a model read back, the sync job against the emulator), floats
//! that JSON has no number for (NaN, infinities) and integers wider than `serde_json::Value`
//! holds, in the merge patch, the RFC 6902 and SCIM outputs and the client.

use std::time::Duration;

use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sparse_patch::pingone::emulator::Emulator;
use sparse_patch::pingone::sync::{Status, SyncJob};
use sparse_patch::pingone::{Client, TokenSource};
use sparse_patch::Patchable;

/// Floats whose shortest text serde_json reads back as a neighbouring float unless it parses
/// with correct rounding (its `float_roundtrip` feature): one in ten of those below 1000.
const HARD_FLOATS: [f64; 4] = [
    92.421_325_128_135_95,
    212.918_907_267_134_59,
    479.607_564_269_825_96,
    1.071_566_039_146_582_6e-75,
];

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Reading {
    sensor: String,
    value: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    previous: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    raw: Option<Value>,
}

fn reading(value: f64) -> Reading {
    Reading {
        sensor: "t1".into(),
        value,
        previous: Some(value),
        raw: Some(json!({"value": value})),
    }
}

/// A model written as JSON and read back is the same model: a client that reads what it
/// wrote sees no change, and `diff` sends nothing.
#[test]
fn floats_survive_their_json_text_bit_for_bit() {
    for value in HARD_FLOATS {
        let model = reading(value);
        let text = serde_json::to_string(&model).unwrap();
        let back: Reading = serde_json::from_str(&text).unwrap();
        assert_eq!(back.value.to_bits(), value.to_bits(), "{text}");
        assert_eq!(back, model, "{text}");
        assert!(back.diff(&model).is_empty(), "{text}");
        // The patch too: what a server reads is what was meant.
        let patch = reading(0.0).diff(&model);
        let read: ReadingPatch =
            serde_json::from_str(&serde_json::to_string(&patch).unwrap()).unwrap();
        assert_eq!(read, patch);
    }
}

fn client(emulator: &Emulator) -> Client {
    Client::builder()
        .api_base_url(emulator.api_base_url())
        .token(TokenSource::bearer(emulator.token()))
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

async fn sync_once(job: &SyncJob, line: &str) -> sparse_patch::pingone::sync::Outcome {
    let lines = vec![Ok::<_, std::io::Error>(line.to_owned())];
    let outcomes: Vec<_> = job.run(lines).collect().await;
    outcomes.into_iter().next().unwrap()
}

/// A feed line with a float converges: the first run changes the user and PingOne's answer
/// holds the value, the second finds nothing to change.
#[tokio::test]
async fn a_float_in_a_feed_converges() {
    for value in HARD_FLOATS {
        let emulator = Emulator::start().unwrap();
        let client = client(&emulator);
        let job = SyncJob::new(&client, emulator.environment_id());
        let line = format!(
            r#"{{"username": "dspanner", "score": {value:?}, "nested": {{"x": [{value:?}]}}}}"#
        );
        let first = sync_once(&job, &line).await;
        assert_eq!(first.status, Status::Changed, "{line}: {first:?}");
        let second = sync_once(&job, &line).await;
        assert_eq!(second.status, Status::Unchanged, "{line}: {second:?}");
        let stored = emulator.user(emulator.user_id()).unwrap();
        assert_eq!(stored["score"].as_f64().unwrap().to_bits(), value.to_bits());
    }
}
