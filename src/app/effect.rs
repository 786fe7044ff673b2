//! [`Effect`]: work `update` hands to the event loop (files, the clipboard, sources, Ctrl-Z),
//! and the builder picker that leads to one.

use std::path::PathBuf;

use crate::source::SourceSpec;

/// Work `update` asks the event loop to do (I/O never happens inside `update`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Write a report; also put it on the clipboard (OSC 52) when `clipboard`.
    WriteReport {
        /// Where.
        path: PathBuf,
        /// The markdown.
        text: String,
        /// Also copy with OSC 52.
        clipboard: bool,
    },
    /// Restart source `n`.
    Restart(u32),
    /// Start following a source picked in the builder picker, as source `source`.
    Start {
        /// Its index (already registered in the app).
        source: u32,
        /// What to follow.
        spec: SourceSpec,
    },
    /// Suspend the process (Ctrl-Z).
    Suspend,
}

/// The builder picker shown when several buildx builders run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picker {
    /// Container names (`buildx_buildkit_b0`).
    pub names: Vec<String>,
    /// The highlighted one.
    pub cursor: usize,
    /// `--tail` for the `docker logs` of the one picked.
    pub tail: Option<u64>,
}
