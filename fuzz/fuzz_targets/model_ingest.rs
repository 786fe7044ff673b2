//! Fuzzes the whole model: many lines through `Model` (every event kept, and the bounded window
//! `summary` uses), `Summary` and serde_json. No panic, and every output is valid JSON.

#![no_main]

use libfuzzer_sys::fuzz_target;

use bkscope::model::{Model, ModelOptions, Summary};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for keep_events in [true, false] {
        let mut model = Model::new(ModelOptions {
            keep_events,
            ..ModelOptions::default()
        });
        model.ingest_text(0, &text);
        model.finish();
        let completed = model.take_completed();
        for id in completed {
            if let Some(ev) = model.event(id) {
                let line = serde_json::to_string(ev).expect("an event serialises");
                serde_json::from_str::<serde_json::Value>(&line).expect("event JSON parses back");
            }
        }
        let _ = model.findings();
        let _ = model.mirror_verdicts();
        let summary = Summary::from_model(&model);
        let json = serde_json::to_string_pretty(&summary).expect("the summary serialises");
        serde_json::from_str::<serde_json::Value>(&json).expect("summary JSON parses back");
    }
});
