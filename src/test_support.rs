//! Test helpers shared by unit tests of several layers (compiled for tests only).

use std::path::{Path, PathBuf};

/// Every `*.log` under `tests/fixtures`, recursively, sorted.
pub fn fixture_logs() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let p = entry.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|e| e == "log") {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"),
        &mut out,
    );
    out.sort();
    out
}

/// Source lines numbered from `from`, as a source hands them to the app.
pub fn numbered_lines<'a>(
    lines: impl IntoIterator<Item = &'a str>,
    from: u64,
) -> Vec<crate::source::Line> {
    lines
        .into_iter()
        .enumerate()
        .map(|(i, t)| crate::source::Line {
            source: 0,
            number: from + i as u64,
            offset: 0,
            text: t.to_owned(),
            truncated: false,
            lossy: false,
        })
        .collect()
}
