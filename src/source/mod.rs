//! Bytes in: where log lines come from (files, stdin, `docker logs -f`), numbered and ready for
//! the parser.
//!
//! Knows no parsing, model or terminal. A line keeps its source index, 1-based number and byte
//! offset so any later view can point back at it.
//!
//! [`spawn`] starts one source as a tokio task that reports [`SourceEvent`]s on a channel:
//! - Lines go out in batches (up to [`SourceOptions::batch_lines`] lines or about
//!   [`SourceOptions::batch_bytes`] bytes), sent at once when the input pauses, so a burst of
//!   100k lines is a few dozen messages and a slow trickle still shows each line promptly.
//! - Within a source everything is in order: a `State`, `Progress` or `Reset` event comes after
//!   the lines read before it. Lines keep counting up across truncation, rotation and restarts.
//! - Each `Lines` batch of [`spawn`] holds one source's lines in source order. Ordering several
//!   sources by time is [`merge`]'s job ([`merge::spawn_merged`] or a [`merge::Merger`] driven
//!   by the caller); it sniffs timestamps itself, since this layer must not import `parse`.
//! - Failures are states, never panics: a read error ends the source with
//!   [`SourceState::Error`]; a giant line is cut at [`SourceOptions::line_cap`] and marked
//!   `truncated`; invalid UTF-8 is replaced and the line marked `lossy` (count those to report
//!   them).
//! - The per-kind rules are in the docs of `file.rs` (truncation, rotation, deletion),
//!   `docker.rs` (both pipes, exit, restart; their order: `docker_order.rs`) and `stdin.rs`
//!   (EOF); builder discovery is [`discover`]. Every `docker` child is started through
//!   `spawner.rs`, so it dies with bkscope, even on SIGKILL.

use std::time::Duration;

use tokio::sync::mpsc;
use tokio::task::JoinHandle;

mod batch;
mod damage;
pub mod discover;
mod docker;
mod docker_order;
mod file;
pub mod label;
pub mod lines;
pub mod merge;
pub mod sniff;
mod spawner;
mod stamp;
mod stdin;

pub use damage::LineDamage;
pub use discover::{BuilderInfo, DiscoverError, discover_builders};
pub use stdin::read_stream;

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
    /// A short label for headers (`build.log`, `stdin`, `buildx_buildkit_b0`; a process
    /// substitution's `/dev/fd/63` whole: [`label::file_label`] says why).
    pub fn label(&self) -> String {
        match self {
            SourceSpec::File(p) => label::file_label(p),
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
    /// A followed file is not there (not created yet, or deleted or moved away by a rotation):
    /// watched until it is, as `tail -F` does. Routine, no failure; the message says what it
    /// waits for.
    Waiting(String),
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
    /// The content starts again: the followed file was truncated or replaced, or `docker logs`
    /// was restarted; numbering continues, offsets restart at 0.
    Reset {
        /// Source index.
        source: u32,
        /// What happened: `truncated`, `rotated` (a new file at the path), `recreated` (the
        /// path was reported missing and came back) or `restarted` (`docker logs`).
        why: String,
    },
}

/// How sources run; [`Default`] is what bkscope uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceOptions {
    /// The docker CLI to run for containers and discovery (a name on PATH or a path).
    pub docker: String,
    /// How often a followed file is checked even without a notify event.
    pub poll: Duration,
    /// Use notify (inotify, kqueue, …) to see file changes at once; polling alone when false.
    pub watch: bool,
    /// Most lines in one `Lines` event.
    pub batch_lines: usize,
    /// A batch is sent once its text reaches this many bytes.
    pub batch_bytes: usize,
    /// Longest line kept; the rest is dropped and the line marked `truncated`.
    pub line_cap: usize,
}

impl Default for SourceOptions {
    fn default() -> Self {
        SourceOptions {
            docker: "docker".to_owned(),
            poll: Duration::from_millis(500),
            watch: true,
            batch_lines: 4096,
            // About 3,000 lines of a daemon log: a load goes to the app in full batches.
            batch_bytes: 1 << 20,
            line_cap: lines::MAX_LINE,
        }
    }
}

/// A running source. Dropping it stops the source (and kills a `docker logs` child).
#[derive(Debug)]
pub struct SourceHandle {
    source: u32,
    restartable: bool,
    control: mpsc::UnboundedSender<()>,
    task: JoinHandle<()>,
}

impl SourceHandle {
    /// The source index given to [`spawn`].
    pub fn source(&self) -> u32 {
        self.source
    }

    /// Stops the source for good; no event follows. A `docker logs` child is killed.
    pub fn stop(&self) {
        self.task.abort();
    }

    /// Restarts a container source (`docker logs` is spawned again, a running one killed
    /// first). Returns false, doing nothing, for other kinds or a stopped source.
    pub fn restart(&self) -> bool {
        self.restartable && !self.task.is_finished() && self.control.send(()).is_ok()
    }

    /// True once the source's task has ended (stopped, or its receiver gone, or a file/stdin
    /// failure).
    pub fn is_finished(&self) -> bool {
        self.task.is_finished()
    }
}

impl Drop for SourceHandle {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Starts source `source` reading `spec` with the default options; events go to `tx`.
/// Must be called within a tokio runtime.
pub fn spawn(source: u32, spec: SourceSpec, tx: mpsc::Sender<SourceEvent>) -> SourceHandle {
    spawn_with(source, spec, SourceOptions::default(), tx)
}

/// Starts source `source` reading `spec` with `options`; events go to `tx`.
/// Must be called within a tokio runtime.
pub fn spawn_with(
    source: u32,
    spec: SourceSpec,
    options: SourceOptions,
    tx: mpsc::Sender<SourceEvent>,
) -> SourceHandle {
    let (control, control_rx) = mpsc::unbounded_channel();
    let restartable = matches!(spec, SourceSpec::Container { .. });
    let task = tokio::spawn(async move {
        match spec {
            SourceSpec::File(path) => file::follow(source, path, options, tx).await,
            SourceSpec::Stdin => read_stream(source, tokio::io::stdin(), &options, tx).await,
            SourceSpec::Container { name, tail } => {
                docker::follow(source, name, tail, options, control_rx, tx).await;
            }
        }
    });
    SourceHandle {
        source,
        restartable,
        control,
        task,
    }
}
