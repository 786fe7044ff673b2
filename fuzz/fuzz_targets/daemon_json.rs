//! Fuzzes the dockerd daemon.json mirror loader: any text loads or is refused with a message,
//! never a panic; a loaded config names no empty mirror list;
//! an error is one line that says where.

#![no_main]

use libfuzzer_sys::fuzz_target;

use bkscope::model::mirror::MirrorConfig;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match MirrorConfig::from_daemon_json(&text) {
        Ok(cfg) => assert!(cfg.mirrors.values().all(|m| !m.is_empty()), "{cfg:?}"),
        Err(message) => {
            // One line, `LINE:COLUMN: what`, both from 1 (the CLI puts the file in front).
            let (line, rest) = message.split_once(':').expect("LINE:");
            let (column, what) = rest.split_once(": ").expect("COLUMN: ");
            assert!(line.parse::<usize>().is_ok_and(|l| l >= 1), "{message}");
            assert!(column.parse::<usize>().is_ok_and(|c| c >= 1), "{message}");
            assert!(
                !what.trim().is_empty() && !message.contains('\n'),
                "{message:?}"
            );
        }
    }
});
