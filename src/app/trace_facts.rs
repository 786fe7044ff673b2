//! What the views say of one trace, from one place: the Traces list's row, the waterfall's
//! title and the `x` report's summary line read the same [`TraceFacts`], so they cannot
//! disagree. Failures are counted as the views colour them ([`App::is_failure`]: an auth
//! failure or another error, not a 401 challenge a retry answered); the extent is the
//! waterfall's axis ([`axis`]): from the first request to the last answer, or, while a request
//! still waits for its answer, to the newest line read, and then the duration is marked as
//! still running (`≥520ms`: at least that long, the log has not said how long yet).

use crate::model::trace::Trace;
use crate::parse::Timestamp;

use super::App;
use super::traces::{axis, waits};
use super::words::between;

/// One trace as every view counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TraceFacts {
    /// Requests in it, answered or not.
    pub requests: usize,
    /// Its span ids, at least one (the waterfall draws a trace without span ids as one).
    pub spans: usize,
    /// Failed requests ([`App::is_failure`]).
    pub failed: usize,
    /// The waterfall's axis: the first request, and the last answer or the newest line read.
    pub extent: (Option<Timestamp>, Option<Timestamp>),
    /// A request of it still waits for its answer: the duration is a lower bound.
    pub running: bool,
}

/// The mark before a duration that is still running.
pub const RUNNING: &str = "≥";

impl TraceFacts {
    /// The duration in the views' words (`20ms`, `<1s`, `~3s`), `≥` first while a request
    /// still waits; empty without both ends.
    pub fn duration(&self) -> String {
        let Some((a, b)) = self.extent.0.zip(self.extent.1) else {
            return String::new();
        };
        let mark = if self.running { RUNNING } else { "" };
        format!("{mark}{}", between(a, b))
    }
}

impl App {
    /// What the views say of trace `t` (see the module doc).
    pub fn trace_facts(&self, t: &Trace) -> TraceFacts {
        let running = t
            .events
            .iter()
            .any(|&id| self.model.event(id).is_some_and(waits));
        TraceFacts {
            requests: t.events.len(),
            spans: t.spans.len().max(1),
            failed: self.failures_of(t),
            extent: axis(&self.model, t, self.lines.last_time()),
            running,
        }
    }
}
