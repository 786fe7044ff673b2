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

/// The ids of moby/buildkit#3418's lines (tests/fixtures/public-issues): span, trace.
pub const TRACED_SPAN: &str = "4f3aa339bc59d753";
/// A second span of the same trace (the solver's lines in [`traced_oauth`]).
pub const TRACED_SOLVER_SPAN: &str = "1c0ffee0ddba11ed";
/// The trace of [`traced_oauth`].
pub const TRACED_TRACE: &str = "a41ca2d41e1644eeb6719a13161a4a31";

/// dockerd-20.10/oauth_token_401.log with the build's lines tagged as BuildKit >= v0.16 tags
/// them (the capture's BuildKit logged no ids): lines 14-19 (new ref, diffcopy, saved: the
/// solver's) in one span, lines 20-25 (resolving … trying next host) in another, one trace.
/// The grpc and API lines around them stay untagged.
pub fn traced_oauth() -> Vec<String> {
    include_str!("../tests/fixtures/dockerd-20.10/oauth_token_401.log")
        .lines()
        .enumerate()
        .map(|(i, l)| match i + 1 {
            14..=19 => format!("{l} spanID={TRACED_SOLVER_SPAN} traceID={TRACED_TRACE}"),
            20..=25 => format!("{l} spanID={TRACED_SPAN} traceID={TRACED_TRACE}"),
            _ => l.to_owned(),
        })
        .collect()
}
