//! What the views say of one trace, from one place: the Traces list's row, the waterfall's
//! title and the `x` report's summary line read the same [`TraceFacts`], so they cannot
//! disagree. Failures are counted as the views colour them ([`App::is_failure`]: an auth
//! failure or another error, not a 401 challenge a retry answered); the extent is the
//! waterfall's axis ([`axis`]): from the first request to the last answer, or, while a request
//! still waits for its answer, to the newest line read, and then the duration is marked as
//! still running (`≥520ms`: at least that long, the log has not said how long yet).
//!
//! The list's FAILED cell ([`App::failed_cell`]) says how many requests failed and what:
//! `6 429` when every failure was one kind, `3×404 1×500` when several kinds fit the column,
//! else the first kind and a `…` for the rest (`4 (404…)`), never a count of one status that
//! was not all of them. When a fallback or retry recovered every failure of the trace (each
//! failure's findings carry `recovered_by`, what `summary` counts as `recovered`; auth
//! failures never are), the cell ends in [`RECOVERED`]: `6 429↩`, `3×404 1×500↩`.

use crate::model::fetch::FetchEvent;
use crate::model::trace::Trace;
use crate::parse::Timestamp;

use super::App;
use super::traces::{axis, status_word, waits};
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

/// The mark after a FAILED cell whose failures were all recovered, right after the count and
/// kind (as `summary --markdown` heads them: `↩️ 4 errors recovered by a fallback`).
pub const RECOVERED: &str = "↩";

impl TraceFacts {
    /// The duration in the views' words (`20ms`, `<1s`, `~3s`), `≥` first while a request
    /// still waits (`running` where that bound would be `<1s`); empty without both ends.
    pub fn duration(&self) -> String {
        let Some((a, b)) = self.extent.0.zip(self.extent.1) else {
            return String::new();
        };
        let took = between(a, b);
        // A lower bound of "under a second" says nothing (`≥<1s` read as noise in a review):
        // still running is what is known.
        if self.running && took.starts_with('<') {
            return "running".to_owned();
        }
        let mark = if self.running { RUNNING } else { "" };
        format!("{mark}{took}")
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
            failed: self.failures_of(t).count(),
            extent: axis(&self.model, t, self.lines.last_time()),
            running,
        }
    }
}

impl App {
    /// The requests of trace `t` that pass the filter (`f`, and the trace filter `t`), in
    /// request order, while a filter is set; `None` without one. A waterfall opened under a
    /// filter still draws every request (the others are the context) and marks these.
    pub fn requests_matching(&self, t: &Trace) -> Option<Vec<usize>> {
        if self.filter.is_empty() {
            return None;
        }
        let (filter, trace) = (&self.filter, self.trace_filter.as_deref());
        let pass = |e: &FetchEvent| super::ingest::pass_event(filter, trace, &self.model, e);
        Some(
            t.events
                .iter()
                .copied()
                .filter(|&id| self.model.event(id).is_some_and(pass))
                .collect(),
        )
    }

    /// True when a fallback or a retry got past `ev`'s failure: it has findings and each is
    /// marked `recovered_by` (the model's recovery, as `summary` counts it; an auth failure
    /// never is). A failure whose findings are no longer kept (at most `MAX_FINDINGS`, the
    /// oldest let go first) is judged by the marks the model left on the event itself.
    pub fn is_recovered(&self, ev: &FetchEvent) -> bool {
        let mut found = self.findings_of_event(ev.id).peekable();
        if found.peek().is_none() {
            return ev.recovered && ev.failed() && !ev.auth_failed;
        }
        found.all(|f| f.recovered_by.is_some())
    }

    /// The word a failure is counted under in the FAILED cell: `auth` for an auth failure,
    /// else its status or `ERR` (as the waterfall's rows say it).
    fn failure_word(&self, ev: &FetchEvent) -> String {
        if self.is_auth_failure(ev.id) {
            "auth".to_owned()
        } else {
            status_word(ev)
        }
    }

    /// The Traces list's FAILED cell for trace `t`, at most `width` characters where a form
    /// fits (see the module doc); empty when nothing failed.
    pub fn failed_cell(&self, t: &Trace, width: usize) -> String {
        self.failed_forms(t).fit(width)
    }

    /// Both forms of trace `t`'s FAILED cell, worked out once: the list sizes its column by the
    /// long forms in view, then cuts each row's cell to it.
    pub fn failed_forms(&self, t: &Trace) -> FailedForms {
        let failures: Vec<&FetchEvent> = self.failures_of(t).collect();
        // Each kind once, in the order met, with how many failed so.
        let mut kinds: Vec<(String, usize)> = Vec::new();
        for ev in &failures {
            let w = self.failure_word(ev);
            match kinds.iter_mut().find(|(k, _)| *k == w) {
                Some((_, n)) => *n += 1,
                None => kinds.push((w, 1)),
            }
        }
        let Some((first, _)) = kinds.first() else {
            return FailedForms::default();
        };
        let mark = if failures.iter().all(|e| self.is_recovered(e)) {
            RECOVERED
        } else {
            ""
        };
        let n = failures.len();
        if kinds.len() == 1 {
            let one = format!("{n} {first}{mark}");
            return FailedForms {
                long: one.clone(),
                short: one,
            };
        }
        let each: Vec<String> = kinds.iter().map(|(k, n)| format!("{n}×{k}")).collect();
        FailedForms {
            long: format!("{}{mark}", each.join(" ")),
            short: format!("{n} ({first}…){mark}"),
        }
    }
}

/// A FAILED cell's two forms: every kind with its count (`3×404 1×500↩`), and the count with the
/// first kind (`4 (404…)↩`); the same text when all failed alike, empty when nothing failed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FailedForms {
    pub long: String,
    pub short: String,
}

impl FailedForms {
    /// The long form where it fits in `width` characters, else the short one.
    pub fn fit(self, width: usize) -> String {
        if self.long.chars().count() <= width {
            self.long
        } else {
            self.short
        }
    }

    /// The width in characters of what [`fit`](Self::fit) gives at `width`.
    pub fn width_at(&self, width: usize) -> usize {
        let long = self.long.chars().count();
        if long <= width {
            long
        } else {
            self.short.chars().count()
        }
    }
}
