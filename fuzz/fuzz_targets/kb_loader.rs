//! Fuzzes the knowledge-base loader the way a user's file meets it: the input is written to
//! `<config>/kb/user.yaml` and read by `check_dir` (`bkscope kb check`); the entries of a file it
//! accepts are compiled into a knowledge base of their own (`from_entries`; loading them over the
//! built-ins each time would re-parse all of those and slow the fuzzer tenfold) and their
//! signatures run against a few log lines. No panic, and every problem names the file with a
//! line and column from 1.

#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

use bkscope::kb::{Entry, KbError, KnowledgeBase, check_dir};
use bkscope::parse::parse_line;

const LINES: &[&str] = &[
    r#"time="2024-01-01T00:00:00Z" level=info msg="trying next host" error="failed to do request: Head \"https://registry-1.docker.io/v2/library/alpine/manifests/3.19\": dial tcp 1.2.3.4:443: i/o timeout" host=registry-1.docker.io"#,
    r#"time="2024-01-01T00:00:01Z" level=error msg="failed to solve" error="failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized""#,
    "ERROR: failed to solve: pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed",
];

/// A config dir of this process, made once.
fn config_dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("bkscope-fuzz-kb-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("kb")).expect("temp dir");
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let dir = config_dir();
    let kb_dir = dir.join("kb");
    std::fs::write(kb_dir.join("user.yaml"), text.as_bytes()).expect("write the entry file");
    match check_dir(&kb_dir) {
        Ok(count) => {
            let path = kb_dir.join("user.yaml");
            let entries: Vec<Entry> = match serde_yaml::from_str::<Vec<Entry>>(&text) {
                Ok(list) => list,
                Err(_) => {
                    vec![serde_yaml::from_str::<Entry>(&text).expect("check_dir accepted it")]
                }
            };
            assert_eq!(entries.len(), count);
            let kb = KnowledgeBase::from_entries(
                entries.into_iter().map(|e| (path.clone(), e)).collect(),
            )
            .expect("check_dir compiled these signatures");
            for line in LINES {
                let _ = kb.diagnose_record(&parse_line(line));
            }
        }
        Err(errors) => {
            for e in &errors {
                if let KbError::Parse { line, column, .. }
                | KbError::BadRegex { line, column, .. } = e
                {
                    assert!(*line >= 1 && *column >= 1, "{e}");
                }
                let message = e.to_string();
                assert!(
                    message.contains("user.yaml") || matches!(e, KbError::Compile { .. }),
                    "{message}"
                );
            }
        }
    }
});
