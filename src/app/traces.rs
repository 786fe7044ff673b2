//! Traces list state and the rows of a trace's waterfall: one row per span, then its requests
//! in request order. A trace passes the filters when one of its events does. A request that
//! has no answer yet is in its trace (see `model::trace`), drawn up to the newest time read.
//! While the log is followed the waterfall's selection stays on its span or request when rows
//! come in above it (`App::ingest`). With `t` on, the Raw view shows each line's span id
//! beside its number ([`span_in_line`]). A request's row names its host ([`row_host`]) when
//! the trace's requests went to more than one (`127.0.0.1:5010` and `127.0.0.1:5011`), and
//! always when it was inferred (`mirror.gcr.io?`, the log named none).

use std::borrow::Cow;
use std::collections::HashMap;

use crate::model::Model;
use crate::model::fetch::FetchEvent;
use crate::model::trace::Trace;
use crate::parse::Timestamp;

use super::App;
use super::list::Cursor;

/// Traces view state.
#[derive(Debug, Clone, Default)]
pub struct TracesState {
    /// Trace ids that pass the filters, earliest first (by first time, then first request).
    pub rows: Vec<String>,
    /// Selection in the list.
    pub cursor: Cursor,
    /// The trace whose waterfall is open.
    pub open: Option<String>,
    /// Selection in the waterfall.
    pub wf_cursor: Cursor,
    /// The model's event count at the last refresh: more events (a request not answered
    /// yet is in its trace too) make the list stale.
    pub events_seen: usize,
    /// `t` was pressed here (the list or a waterfall) and showed the trace's events: the Esc
    /// that leaves the trace filter comes back here.
    pub left_by_t: bool,
    /// The listed traces' events that pass the filters, and all their events: the status
    /// line's `2 traces match (6 of their 9 events)`.
    pub matched_events: (usize, usize),
}

/// One row of a waterfall.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WaterfallRow {
    /// A span header.
    Span {
        /// Span id (empty for events without one).
        id: String,
        /// BuildKit's span name, when logged.
        name: Option<String>,
        /// Requests in it.
        events: usize,
        /// Failed requests in it.
        failed: usize,
        /// Its first request's start and its last answer (or, while one waits, `now`).
        extent: (Option<Timestamp>, Option<Timestamp>),
    },
    /// A request in the span above.
    Event(usize),
}

impl WaterfallRow {
    /// The same span or request, whatever its counts and extent became.
    pub fn same_row(&self, other: &WaterfallRow) -> bool {
        match (self, other) {
            (WaterfallRow::Span { id: a, .. }, WaterfallRow::Span { id: b, .. }) => a == b,
            (WaterfallRow::Event(a), WaterfallRow::Event(b)) => a == b,
            _ => false,
        }
    }
}

/// What the open waterfall's selection is on ([`App::waterfall_pick`]).
#[derive(Debug, Clone)]
pub enum WaterfallPick<'a> {
    /// A request row.
    Event(&'a FetchEvent),
    /// A span row, with its requests' ids (the rows below it up to the next span).
    Span(WaterfallRow, Vec<usize>),
}

impl App {
    /// While the Traces list follows (`F`), puts its selection on the newest trace: after its
    /// rows changed (a batch, a filter) or when the list comes on screen or starts following.
    /// Does nothing when it does not follow.
    pub(super) fn follow_traces_tail(&mut self) {
        if self.follow.traces {
            let page = self.page();
            self.traces
                .cursor
                .select(usize::MAX, self.traces.rows.len(), page);
        }
    }

    /// The row the open waterfall's selection is on, the waterfall built once for it: the
    /// detail pane needs to know whether it is a request or a span and then which.
    /// `None` outside the Traces view, with no waterfall open, or on a request the model
    /// no longer keeps.
    pub fn waterfall_pick(&self) -> Option<WaterfallPick<'_>> {
        if self.view != super::View::Traces {
            return None;
        }
        let rows = self.waterfall_of(self.open_trace()?);
        let at = self.traces.wf_cursor.selected;
        match rows.get(at)? {
            WaterfallRow::Event(id) => self.model.event(*id).map(WaterfallPick::Event),
            span @ WaterfallRow::Span { .. } => {
                let events = rows[at + 1..]
                    .iter()
                    .map_while(|r| match r {
                        WaterfallRow::Event(id) => Some(*id),
                        WaterfallRow::Span { .. } => None,
                    })
                    .collect();
                Some(WaterfallPick::Span(span.clone(), events))
            }
        }
    }
}

/// The `spanID` a log line carries (logrus text `spanID=…` or JSON `"spanID":"…"`): its hex
/// digits only, at most 32, so nothing else of the line comes along.
pub fn span_in_line(text: &str) -> Option<&str> {
    let at = ["spanID=", "\"spanID\":\""]
        .iter()
        .find_map(|k| text.find(k).map(|i| i + k.len()))?;
    let rest = text.get(at..)?;
    let len = rest
        .bytes()
        .take(32)
        .take_while(u8::is_ascii_hexdigit)
        .count();
    (len > 0).then(|| &rest[..len])
}

/// A waterfall's time axis: from the trace's first request to its last answer, or to `now`
/// (the newest time on any line) while one of its requests still waits for an answer.
pub fn axis(
    model: &Model,
    trace: &Trace,
    now: Option<Timestamp>,
) -> (Option<Timestamp>, Option<Timestamp>) {
    let waiting = trace
        .events
        .iter()
        .any(|&id| model.event(id).is_some_and(waits));
    let end = match (trace.last, now) {
        (Some(l), Some(n)) if waiting => Some(l.max(n)),
        (l, n) => l.or(if waiting { n } else { None }),
    };
    (trace.first, end)
}

/// A request's status as the waterfall and the Traces list show it: the HTTP status, `ERR`
/// for a failure without an answer (as the events table), `…` while it waits.
pub fn status_word(ev: &FetchEvent) -> String {
    match (ev.status, &ev.error) {
        (Some(s), _) => s.to_string(),
        (None, Some(_)) => "ERR".to_owned(),
        (None, None) => "…".to_owned(),
    }
}

/// True when the requests of `trace` went to more than one host as the views show them (a
/// logged host, else an inferred one with its `?`, else `unknown`).
pub fn many_hosts(model: &Model, trace: &Trace) -> bool {
    let mut hosts = trace
        .events
        .iter()
        .filter_map(|&id| model.event(id))
        .map(|ev| super::route::shown_host(model, ev));
    let Some(first) = hosts.next() else {
        return false;
    };
    hosts.any(|h| h != first)
}

/// The host a waterfall row names before its path: every row's when the trace went to more
/// than one host (`many`, [`many_hosts`]), else only an inferred one, marked
/// (`mirror.gcr.io?`). Not yet made inert: the view cuts it as its other host columns.
pub fn row_host<'e>(model: &'e Model, ev: &'e FetchEvent, many: bool) -> Option<Cow<'e, str>> {
    if many {
        return Some(super::route::shown_host(model, ev));
    }
    super::route::inferred(model, ev).map(|r| Cow::Owned(r.marked()))
}

/// True for a request with no answer and no failure yet: in flight while the log is followed.
pub fn waits(ev: &FetchEvent) -> bool {
    ev.status.is_none() && ev.error.is_none()
}

impl TracesState {
    /// Rebuilds the list from the model.
    pub fn refresh(&mut self, model: &Model, pass: impl Fn(&FetchEvent) -> bool) {
        let keep = self.selected().map(str::to_owned);
        self.events_seen = model.event_count();
        let mut traces: Vec<&Trace> = model
            .traces()
            .iter()
            .filter(|t| {
                t.events
                    .iter()
                    .any(|&id| model.event(id).is_some_and(&pass))
            })
            .collect();
        self.matched_events = traces.iter().fold((0, 0), |(passed, all), t| {
            let events = t.events.iter().filter_map(|&id| model.event(id));
            let (p, n) = events.fold((0, 0), |(p, n), e| (p + usize::from(pass(e)), n + 1));
            (passed + p, all + n)
        });
        // Within one second (buildkitd's timestamps have no fraction) in the order the log
        // sent their first requests, not by the hex of their ids.
        traces.sort_by(|a, b| {
            (a.first, a.events.first(), &a.trace_id).cmp(&(b.first, b.events.first(), &b.trace_id))
        });
        self.rows = traces.iter().map(|t| t.trace_id.clone()).collect();
        if let Some(k) = keep
            && let Some(i) = self.rows.iter().position(|r| *r == k)
        {
            self.cursor.selected = i;
        }
        self.cursor.keep_visible(self.rows.len(), usize::MAX);
    }

    /// The selected trace id.
    pub fn selected(&self) -> Option<&str> {
        self.rows.get(self.cursor.selected).map(String::as_str)
    }
}

/// The rows of `rows` (trace `trace`'s waterfall) that are the trace's start, as indices: its
/// first request (the first in request order at the trace's first time) and the span row it
/// is under. Other requests of the same whole second are not: they came after it.
pub fn start_rows(model: &Model, trace: &Trace, rows: &[WaterfallRow]) -> Vec<usize> {
    let Some(first) = trace.first else {
        return Vec::new();
    };
    let opener = trace.events.iter().copied().find(|&id| {
        model
            .event(id)
            .is_some_and(|e| e.started.or(e.finished) == Some(first))
    });
    let Some(at) = opener.and_then(|id| rows.iter().position(|r| *r == WaterfallRow::Event(id)))
    else {
        return Vec::new();
    };
    let span = rows[..at]
        .iter()
        .rposition(|r| matches!(r, WaterfallRow::Span { .. }));
    span.into_iter().chain([at]).collect()
}

/// The waterfall rows of a trace: spans in the order of their first request, each followed
/// by its requests in request order (the trace keeps its events by ascending id, which is
/// the order of their `do request` lines). A request still waiting stretches its span to
/// `now`; `failure` judges a request (the app's: failed, or with a finding).
pub fn waterfall(
    model: &Model,
    trace: &Trace,
    now: Option<Timestamp>,
    failure: impl Fn(&FetchEvent) -> bool,
) -> Vec<WaterfallRow> {
    let mut spans: Vec<(String, Vec<&FetchEvent>)> = Vec::new();
    // Span id → its place in `spans` (a trace of a big build has hundreds of spans).
    let mut at: HashMap<&str, usize> = HashMap::new();
    for ev in trace.events.iter().filter_map(|&id| model.event(id)) {
        let span = ev.span_id.as_deref().unwrap_or_default();
        match at.get(span) {
            Some(&i) => spans[i].1.push(ev),
            None => {
                at.insert(span, spans.len());
                spans.push((span.to_owned(), vec![ev]));
            }
        }
    }
    let mut rows = Vec::new();
    for (id, events) in spans {
        let name = events
            .iter()
            .find_map(|ev| ev.span.as_deref().map(str::to_owned));
        let first = events.iter().filter_map(|e| e.started.or(e.finished)).min();
        let mut last = events.iter().filter_map(|e| e.finished.or(e.started)).max();
        if events.iter().any(|e| waits(e)) {
            last = last.max(now);
        }
        rows.push(WaterfallRow::Span {
            id,
            name,
            events: events.len(),
            failed: events.iter().filter(|e| failure(e)).count(),
            extent: (first, last),
        });
        rows.extend(events.into_iter().map(|e| WaterfallRow::Event(e.id)));
    }
    rows
}
