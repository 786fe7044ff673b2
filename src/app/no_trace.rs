//! What is true where there is no trace to show: the empty Traces list's text, and what `t`
//! says where it finds no trace to keep (no row, a list with no trace, the Mirrors view's host
//! rows), so neither claims a row that is not there.

use super::words::count;
use super::{App, View};

/// Which BuildKit versions tag their log lines with ids (`bklog.GetLogger`, per
/// ../shared/log-catalog.md): what an empty list says when the log has none.
pub const TAGGED: &str = "BuildKit v0.9 and v0.16+ tag their lines with traceID/spanID, \
v0.10 to v0.15 only with a trace exporter set";

/// Why the Traces list is empty: `head` is what is true, `tail` where to look or why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoTraces {
    /// What is true (`no traceID in this log`).
    pub head: String,
    /// The rest, from its separator on (` (BuildKit v0.9 …)`).
    pub tail: String,
}

impl NoTraces {
    /// Both parts, as the empty list writes them.
    pub fn whole(&self) -> String {
        format!("{}{}", self.head, self.tail)
    }
}

impl App {
    /// Why the Traces list is empty (the filter hid every trace, the log has no traceID, or
    /// only lines of no registry request carry one).
    pub fn no_traces(&self) -> NoTraces {
        let (head, tail) = match (self.model.traces().is_empty(), self.lines.trace_count()) {
            (false, _) => (
                "no trace passes the filter".to_owned(),
                " (Esc clears it)".to_owned(),
            ),
            // As ../shared/log-catalog.md says `bklog` tags them (and the 2022 seed log,
            // containerd 1.5.8, shows): dockerd 20.10's BuildKit tags none.
            (true, 0) => ("no traceID in this log".to_owned(), format!(" ({TAGGED})")),
            // Solver or exporter lines carry ids, no registry request does (debug off?).
            (true, n) => (
                format!(
                    "{} on the lines, none on a registry request",
                    count(n, "traceID", "traceIDs")
                ),
                ": in the Raw view (2), t on a line shows its trace".to_owned(),
            ),
        };
        NoTraces { head, tail }
    }

    /// `t` found no trace to keep: says why, as the view stands.
    pub(super) fn say_no_trace(&mut self) {
        match self.view {
            View::Traces if self.traces.rows.is_empty() => {
                let why = self.no_traces();
                self.say_fitted(
                    format!("no trace to show: {}", why.whole()),
                    format!("no trace to show: {}", why.head),
                );
            }
            View::Mirrors => self.say_fitted(
                "t keeps the trace of an event (1), a line (2) or a trace (3): the Mirrors \
                 view's rows are hosts"
                    .to_owned(),
                "no trace here: the Mirrors view's rows are hosts".to_owned(),
            ),
            View::Events if self.events.rows.is_empty() => {
                self.say("no row to take a trace from: the view is empty");
            }
            View::Raw if self.selected_line().is_none() => {
                self.say("no line to take a trace from: the view is empty");
            }
            _ => self.say("this row has no traceID"),
        }
    }
}
