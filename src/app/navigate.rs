//! Moving around: the current list's cursor, mouse, and what the selection points at (event,
//! line, trace, diagnoses). Search matches (`/`, `n` / `N`) are in search.rs, error jumps
//! (`e` / `E`) in error_jump.rs.

use crate::model::fetch::FetchEvent;
use crate::model::finding::Finding;

use super::diagnosis::DiagnosisView;
use super::list::Cursor;
use super::traces::WaterfallPick;
use super::{App, View};

/// Below this terminal width the tabs take their short titles ([`View::tab_title`]).
pub const SHORT_TABS_BELOW: u16 = 80;

/// That a jump went round the end of the list (`round`: the direction it went), as lnav and
/// less say; empty when it did not.
pub(super) fn went_round(round: Option<bool>) -> &'static str {
    match round {
        Some(true) => " (went round: from the top)",
        Some(false) => " (went round: from the bottom)",
        None => "",
    }
}

/// [`went_round`] where the status bar is narrow (60 columns): ` (went round)`; the key
/// pressed (`e` or `E`, `n` or `N`) says which way.
pub(super) fn went_round_short(round: Option<bool>) -> &'static str {
    if round.is_some() { " (went round)" } else { "" }
}

/// How a fetch event row is coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// An auth failure (401 not overcome, 403, token refused).
    Auth,
    /// Another failure (4xx/5xx, transport error).
    Error,
    /// A 401 challenge that was answered (the normal token dance).
    Challenge,
    /// Still waiting for its response.
    Pending,
    /// Fine.
    Ok,
}

impl App {
    /// Length of the current list.
    pub fn list_len(&self) -> usize {
        match self.view {
            View::Events => self.events.rows.len(),
            View::Raw => self.raw_rows.len(),
            View::Traces => match self.open_trace() {
                Some(t) => self.waterfall_of(t).len(),
                None => self.traces.rows.len(),
            },
            View::Mirrors => self.activity.hosts.len(),
        }
    }

    /// The current list's cursor.
    pub fn cursor(&self) -> Cursor {
        match self.view {
            View::Events => self.events.cursor,
            View::Raw => self.raw_cursor,
            View::Traces if self.traces.open.is_some() => self.traces.wf_cursor,
            View::Traces => self.traces.cursor,
            View::Mirrors => self.hosts_cursor,
        }
    }

    /// The cursor of the list the current view shows.
    pub(super) fn cursor_mut(&mut self) -> &mut Cursor {
        match self.view {
            View::Events => &mut self.events.cursor,
            View::Raw => &mut self.raw_cursor,
            View::Traces if self.traces.open.is_some() => &mut self.traces.wf_cursor,
            View::Traces => &mut self.traces.cursor,
            View::Mirrors => &mut self.hosts_cursor,
        }
    }

    /// True when the view on screen follows the tail (the Mirrors view, built from the
    /// events, says whether the events table does; a waterfall never does).
    pub fn following(&self) -> bool {
        match self.view {
            View::Raw => self.follow.raw,
            View::Traces => self.traces.open.is_none() && self.follow.traces,
            View::Events | View::Mirrors => self.follow.events,
        }
    }

    /// Starts or stops following in the view on screen (the events table's in the Mirrors
    /// view; the Traces list's under a waterfall too).
    pub(super) fn set_following(&mut self, on: bool) {
        match self.view {
            View::Raw => self.follow.raw = on,
            View::Traces => self.follow.traces = on,
            View::Events | View::Mirrors => self.follow.events = on,
        }
    }

    /// Moves the selection; leaving the last row pauses the view's follow.
    pub(super) fn move_selection(&mut self, f: impl FnOnce(&mut Cursor, usize, usize)) {
        let (len, page) = (self.list_len(), self.page());
        f(self.cursor_mut(), len, page);
        self.touched = true;
        self.reset_pane_scrolls();
        if self.view == View::Mirrors {
            // Another host: its evidence comes first.
            self.scroll_home(super::scroll::Pane::Evidence);
        }
        let at_end = self.cursor().selected + 1 >= len;
        match self.view {
            View::Events => self.follow.events &= at_end,
            View::Raw => self.follow.raw &= at_end,
            View::Traces if self.traces.open.is_none() => self.follow.traces &= at_end,
            View::Traces | View::Mirrors => {}
        }
    }

    /// A move the user asked for that leaves the tail (an error or match jump, a click, the
    /// wheel): the view on screen stops following. The Mirrors list does not follow, and
    /// moving in it leaves the events table's follow alone.
    pub(super) fn pause_here(&mut self) {
        if matches!(self.view, View::Events | View::Raw | View::Traces) {
            self.set_following(false);
        }
    }

    /// Selects row `idx` of the current list.
    pub(super) fn select_row(&mut self, idx: usize) {
        self.move_selection(|c, len, page| c.select(idx, len, page));
    }

    /// The trace whose waterfall is open.
    pub fn open_trace(&self) -> Option<&crate::model::trace::Trace> {
        self.traces
            .open
            .as_deref()
            .and_then(|t| self.model.traces().get(t))
    }

    /// The span row the open waterfall's selection is on, with its requests' ids (the rows
    /// below it up to the next span); `None` on a request row or with no waterfall open.
    pub fn selected_span(&self) -> Option<(super::traces::WaterfallRow, Vec<usize>)> {
        match self.waterfall_pick()? {
            WaterfallPick::Span(span, ids) => Some((span, ids)),
            WaterfallPick::Event(_) => None,
        }
    }

    /// The fetch event the selection points at, in any view.
    pub fn selected_event(&self) -> Option<&FetchEvent> {
        let id = match self.view {
            View::Events => self.events.selected_event(),
            View::Raw => {
                let seq = self.raw_rows.get(self.raw_cursor.selected)?;
                self.lines.event_of(seq)
            }
            View::Traces => {
                return match self.waterfall_pick()? {
                    WaterfallPick::Event(ev) => Some(ev),
                    WaterfallPick::Span(..) => None,
                };
            }
            View::Mirrors => None,
        }?;
        self.model.event(id)
    }

    /// In the Traces list, the selected trace's first failed request (an error or no answer,
    /// or one with a finding): the one its knowledge-base pane diagnoses and Enter opens the
    /// waterfall on. `None` elsewhere, and for a trace with no failure.
    pub fn trace_failure(&self) -> Option<&FetchEvent> {
        if self.view != View::Traces || self.traces.open.is_some() {
            return None;
        }
        let t = self
            .traces
            .selected()
            .and_then(|id| self.model.traces().get(id))?;
        self.first_failure_of(t)
    }

    /// The first failed request among a span's requests `ids` ([`App::selected_span`]'s): on
    /// a waterfall's span row the knowledge-base pane diagnoses it, as it does a trace's
    /// ([`App::trace_failure`]) in the Traces list.
    pub fn span_failure_of(&self, ids: &[usize]) -> Option<&FetchEvent> {
        ids.iter()
            .filter_map(|&i| self.model.event(i))
            .find(|ev| self.is_failure(ev))
    }

    /// The rows of a trace's waterfall, a span's failures counted as the rows are coloured;
    /// built once until the events or findings change (`waterfall_cache.rs`).
    pub fn waterfall_of(
        &self,
        t: &crate::model::trace::Trace,
    ) -> std::rc::Rc<[super::traces::WaterfallRow]> {
        self.waterfall_rows.rows(&t.trace_id, || {
            super::traces::waterfall(&self.model, t, self.lines.last_time(), |e| {
                self.is_failure(e)
            })
        })
    }

    /// How many times a waterfall's rows were built (`waterfall_cache.rs`).
    #[cfg(test)]
    pub(crate) fn waterfall_builds(&self) -> usize {
        self.waterfall_rows.builds.get()
    }

    /// As a batch of lines or a refresh of the findings does: the next read builds the
    /// waterfall's rows again.
    #[cfg(test)]
    pub(crate) fn waterfall_data_changed(&mut self) {
        self.waterfall_rows.changed();
    }

    /// A failure as the views colour and count it: an auth failure or another error (a
    /// failed request, or one with a finding, such as a 401 the pull ended on).
    pub fn is_failure(&self, ev: &FetchEvent) -> bool {
        matches!(self.severity(ev), Severity::Auth | Severity::Error)
    }

    /// A trace's failed requests still kept, in request order, as [`App::is_failure`] counts
    /// them: what its FAILED cell counts and its `x` report lists.
    pub fn failures_of<'a>(
        &'a self,
        t: &'a crate::model::trace::Trace,
    ) -> impl Iterator<Item = &'a FetchEvent> + 'a {
        t.events
            .iter()
            .filter_map(|&id| self.model.event(id))
            .filter(|e| self.is_failure(e))
    }

    /// A trace's first failed request, as [`App::is_failure`] judges (an error or no answer,
    /// or one with a finding; not a 401 a retry overcame).
    pub fn first_failure_of<'a>(
        &'a self,
        t: &'a crate::model::trace::Trace,
    ) -> Option<&'a FetchEvent> {
        self.failures_of(t).next()
    }

    /// True when the terminal is too narrow for the tabs' whole titles and what follows them.
    pub fn short_tabs(&self) -> bool {
        self.screen_width > 0 && self.screen_width < SHORT_TABS_BELOW
    }

    /// With several sources, in the Raw view: the selected line's source index (the prefix of
    /// its number, `10:`) and its label, the legend the tab bar shows.
    pub fn selected_line_source(&self) -> Option<(u32, &str)> {
        if self.view != View::Raw || self.sources.len() < 2 {
            return None;
        }
        let source = self.selected_line()?.source;
        let info = self.sources.get(usize::try_from(source).ok()?)?;
        Some((source, info.label.as_str()))
    }

    /// The raw line the Raw view's selection points at.
    pub fn selected_line(&self) -> Option<super::lines::RawLine<'_>> {
        self.raw_rows
            .get(self.raw_cursor.selected)
            .and_then(|seq| self.lines.get(seq))
    }

    /// The findings of the selection: its event's, else its line's; in the Traces list, those
    /// of the selected trace's first failed request, on a waterfall's span row those of the
    /// span's.
    pub fn selected_findings(&self) -> Vec<&Finding> {
        self.findings_of_pick(self.waterfall_pick().as_ref())
    }

    /// [`App::selected_findings`] with the open waterfall's selection already picked (`pick`,
    /// [`App::waterfall_pick`]'s): a caller that needs the pick too (the knowledge-base pane)
    /// builds the waterfall once.
    pub fn findings_of_pick<'a>(&'a self, pick: Option<&WaterfallPick<'a>>) -> Vec<&'a Finding> {
        let event = match self.view {
            View::Traces => match pick {
                Some(WaterfallPick::Event(ev)) => Some(*ev),
                Some(WaterfallPick::Span(_, ids)) => self.span_failure_of(ids),
                // The Traces list (no waterfall open): its selected trace's.
                None => self.trace_failure(),
            },
            _ => self.selected_event(),
        };
        if let Some(ev) = event {
            let found: Vec<&Finding> = self.findings_of_event(ev.id).collect();
            if !found.is_empty() {
                return found;
            }
        }
        if self.view == View::Raw
            && let Some(l) = self.selected_line()
        {
            return self
                .finding_of_line(l.source, l.number)
                .into_iter()
                .collect();
        }
        if self.view == View::Events && self.events.rows.is_empty() {
            return self.first_rowless_failure().into_iter().collect();
        }
        Vec::new()
    }

    /// With no row in the Events view, the failure its knowledge-base pane diagnoses: the
    /// first auth failure the detail pane lists among those with no request row, else the
    /// first of them (an info-level log's or a CI job's output: `e` goes to its line).
    fn first_rowless_failure(&self) -> Option<&Finding> {
        let mut rowless = self.findings.iter().filter(|f| f.event.is_none());
        let first = rowless.clone().next();
        rowless.find(|f| f.kind.is_auth()).or(first)
    }

    /// The diagnoses of the selection, with the finding each belongs to.
    pub fn selected_diagnoses(&self) -> Vec<(&Finding, &DiagnosisView)> {
        self.diagnoses_of_findings(&self.selected_findings())
    }

    /// The diagnoses of `found` (the selection's findings, [`App::findings_of_pick`]), with the
    /// finding each belongs to.
    pub fn diagnoses_of_findings<'a>(
        &'a self,
        found: &[&'a Finding],
    ) -> Vec<(&'a Finding, &'a DiagnosisView)> {
        found
            .iter()
            .flat_map(|&f| self.diagnoses_of(f).iter().map(move |d| (f, d)))
            .collect()
    }

    /// True when the event is an auth failure: it has an auth-failure finding, or had one the
    /// model let go (it keeps at most `MAX_FINDINGS`, the oldest go first), which the event's
    /// own mark remembers ([`FetchEvent::auth_failed`]), as `recovered` remembers a recovery.
    pub fn is_auth_failure(&self, id: usize) -> bool {
        self.model.event(id).is_some_and(|e| e.auth_failed)
            || self.findings_of_event(id).any(|f| f.kind.is_auth())
    }

    /// How an event's row is coloured.
    pub fn severity(&self, ev: &FetchEvent) -> Severity {
        if self.is_auth_failure(ev.id) {
            Severity::Auth
        } else if ev.status == Some(401) && ev.error.is_none() {
            Severity::Challenge
        } else if ev.failed() || self.findings_of_event(ev.id).next().is_some() {
            Severity::Error
        } else if ev.status.is_none() {
            Severity::Pending
        } else {
            Severity::Ok
        }
    }

    /// A click: a tab switches view, a list row is selected.
    pub(super) fn click(&mut self, column: u16, row: u16) {
        if row == 1 {
            if let Some(v) = super::View::tab_at(column, self.short_tabs()) {
                self.switch_view(v);
            }
            return;
        }
        let a = self.list_area;
        if row >= a.y && row < a.y + a.height && column >= a.x && column < a.x + a.width {
            let y = usize::from(row - a.y);
            let at = if self.view == View::Raw && self.wrap {
                self.raw_row_at(y)
            } else {
                self.cursor().visible_offset(self.list_len(), self.page()) + y
            };
            if self.view == View::Mirrors && at >= self.list_len() {
                // Below the hosts: the evidence, not a host.
                return;
            }
            self.pause_here();
            self.select_row(at);
        }
    }
}

/// Where `n` / `e` go among `rows` (sorted row numbers) from the selected row `from`: the
/// index of the first row after it (before it, backwards) and whether that went round the
/// list's end. With no rows the index is 0, which `rows.get` answers with `None`.
pub(super) fn next_wrapping(rows: &[usize], from: usize, forward: bool) -> (usize, bool) {
    let next = if forward {
        rows.iter().position(|&r| r > from)
    } else {
        rows.iter().rposition(|&r| r < from)
    };
    // Landing back on the row it started from (the only one) is no going round.
    match next {
        Some(k) => (k, false),
        None if forward => (0, rows.first() != Some(&from)),
        None => (rows.len().saturating_sub(1), rows.last() != Some(&from)),
    }
}
