//! Bytes in: where log lines come from (files, stdin, `docker logs -f`), numbered and ready for
//! the parser.
//!
//! Knows no parsing, model or terminal. A line keeps its source index, 1-based number and byte
//! offset so any later view can point back at it.

pub mod lines;

/// One line of a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// Index of the source (0 for the first named on the command line).
    pub source: u32,
    /// 1-based line number within the source.
    pub number: u64,
    /// Byte offset of the line's start within the source.
    pub offset: u64,
    /// The text, invalid UTF-8 replaced (U+FFFD), without its terminator.
    pub text: String,
    /// True when the line was longer than the cap and was cut.
    pub truncated: bool,
    /// True when the line held invalid UTF-8.
    pub lossy: bool,
}

/// What to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceSpec {
    /// A file: read it, then follow it (truncation and rotation handled).
    File(std::path::PathBuf),
    /// Standard input (`-` or a pipe).
    Stdin,
    /// `docker logs -f --tail N <container>`.
    Container {
        /// Container name or id.
        name: String,
        /// Lines of history to start with (`--tail`); `None` for all.
        tail: Option<u64>,
    },
}

impl SourceSpec {
    /// A short label for headers (`build.log`, `stdin`, `buildx_buildkit_b0`).
    pub fn label(&self) -> String {
        match self {
            SourceSpec::File(p) => p.file_name().map_or_else(
                || p.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            SourceSpec::Stdin => "stdin".to_owned(),
            SourceSpec::Container { name, .. } => name.clone(),
        }
    }
}

/// The state of a running source, shown in the TUI header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceState {
    /// Opening / spawning.
    Starting,
    /// Reading history (a file's existing content).
    Loading,
    /// At the end, waiting for more.
    Following,
    /// Ended for good (stdin closed, `docker logs` exited with this code).
    Ended(Option<i32>),
    /// Failed; the message says why and what to do.
    Error(String),
}

/// What a running source reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceEvent {
    /// New lines, in order.
    Lines(Vec<Line>),
    /// The source changed state.
    State {
        /// Source index.
        source: u32,
        /// New state.
        state: SourceState,
    },
    /// Loading progress of a file: bytes read of total.
    Progress {
        /// Source index.
        source: u32,
        /// Bytes read.
        read: u64,
        /// File size when loading started.
        total: u64,
    },
    /// The followed file was truncated or replaced (rotation); numbering continues.
    Reset {
        /// Source index.
        source: u32,
        /// What happened (`truncated`, `rotated`, `deleted`).
        why: String,
    },
}
