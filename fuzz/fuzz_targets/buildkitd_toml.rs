//! Fuzzes the buildkitd.toml mirror loader: any text loads or is refused with a message, never
//! a panic; a loaded config names no empty mirror list.

#![no_main]

use libfuzzer_sys::fuzz_target;

use bkscope::model::mirror::MirrorConfig;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match MirrorConfig::from_buildkitd_toml(&text) {
        Ok(cfg) => assert!(cfg.mirrors.values().all(|m| !m.is_empty()), "{cfg:?}"),
        Err(message) => assert!(!message.trim().is_empty()),
    }
});
