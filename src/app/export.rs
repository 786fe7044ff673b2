//! `x`: the redacted Markdown report of what is selected (an exchange, a trace, the whole
//! Mirrors view, a failure's line with no request row), queued as an [`Effect`] for the writer, and the names its files take.

use super::{App, Effect, View, mirror_report, report};

impl App {
    /// `x`: queues the report of the view's selection, or says what to select.
    pub(super) fn export(&mut self) {
        // The Mirrors view's report is the whole view: every verdict and every host, whichever
        // row is selected (the status line says so).
        let (name, text, note) = if self.view == View::Mirrors {
            (
                MIRRORS_REPORT.to_owned(),
                mirror_report::mirrors(self),
                Some(WHOLE_VIEW),
            )
        } else if self.view == View::Traces
            && let Some(t) = self
                .traces
                .open
                .clone()
                .or_else(|| self.traces.selected().map(str::to_owned))
        {
            (trace_report_name(&t), report::trace(self, &t), None)
        } else if let Some(ev) = self.selected_event() {
            (
                format!("bkscope-event-{}.md", ev.id),
                report::event(self, ev),
                None,
            )
        } else if let Some(f) = self.selected_rowless_failure() {
            (
                format!("bkscope-line-{}.md", f.line),
                report::failure(self, f),
                None,
            )
        } else {
            self.say("select a fetch event, a trace or a failure's line to export");
            return;
        };
        self.effects.push(Effect::WriteReport {
            path: self.opts.export_dir.join(name),
            text,
            clipboard: self.opts.clipboard,
            note,
        });
    }
}

impl App {
    /// The failure with no request row the selection is on: the Raw view's selected line's,
    /// or the one the empty Events view's panes show ([`App::selected_findings`]).
    fn selected_rowless_failure(&self) -> Option<&crate::model::finding::Finding> {
        if !matches!(self.view, View::Raw | View::Events) {
            return None;
        }
        self.selected_findings()
            .into_iter()
            .find(|f| f.event.is_none())
    }
}

/// The file name of the Mirrors view's report (the writer numbers names that exist).
pub(super) const MIRRORS_REPORT: &str = "bkscope-mirrors.md";

/// What the status line adds to `wrote <path>` for the Mirrors view's report.
pub(super) const WHOLE_VIEW: &str = "the whole Mirrors view: every verdict and every host";

/// The file name of a trace's report: `bkscope-trace-` and the first 12 characters of its id
/// that are safe in a file name (ASCII letters, digits, `-`, `_`). A trace id is log text, so
/// hostile: it may hold `/`, `..` or terminal escapes, which must reach neither the path nor a
/// later `ls`. Real ids are hex and come through whole; an id with nothing safe in it gives
/// `bkscope-trace.md` (the writer numbers names that exist, so nothing is overwritten).
pub(super) fn trace_report_name(id: &str) -> String {
    let safe: String = id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .take(12)
        .collect();
    if safe.is_empty() {
        "bkscope-trace.md".to_owned()
    } else {
        format!("bkscope-trace-{safe}.md")
    }
}
