//! Traces list state and the rows of a trace's waterfall: one row per span, then its requests
//! in order. A trace passes the filters when one of its events does.

use crate::model::Model;
use crate::model::fetch::FetchEvent;
use crate::model::trace::Trace;

use super::list::Cursor;

/// Traces view state.
#[derive(Debug, Clone, Default)]
pub struct TracesState {
    /// Trace ids that pass the filters, earliest first.
    pub rows: Vec<String>,
    /// Selection in the list.
    pub cursor: Cursor,
    /// The trace whose waterfall is open.
    pub open: Option<String>,
    /// Selection in the waterfall.
    pub wf_cursor: Cursor,
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
    },
    /// A request in the span above.
    Event(usize),
}

impl TracesState {
    /// Rebuilds the list from the model.
    pub fn refresh(&mut self, model: &Model, pass: impl Fn(&FetchEvent) -> bool) {
        let keep = self.selected().map(str::to_owned);
        let mut traces: Vec<&Trace> = model
            .traces()
            .iter()
            .filter(|t| {
                t.events
                    .iter()
                    .any(|&id| model.event(id).is_some_and(&pass))
            })
            .collect();
        traces.sort_by(|a, b| (a.first, &a.trace_id).cmp(&(b.first, &b.trace_id)));
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

/// The waterfall rows of a trace: spans by their first request, requests in order.
pub fn waterfall(model: &Model, trace: &Trace) -> Vec<WaterfallRow> {
    let mut spans: Vec<(String, Vec<usize>)> = Vec::new();
    for &id in &trace.events {
        let span = model
            .event(id)
            .and_then(|e| e.span_id.as_deref().map(str::to_owned))
            .unwrap_or_default();
        match spans.iter_mut().find(|(s, _)| *s == span) {
            Some((_, list)) => list.push(id),
            None => spans.push((span, vec![id])),
        }
    }
    let mut rows = Vec::new();
    for (id, events) in spans {
        let name = events.iter().find_map(|&e| {
            model
                .event(e)
                .and_then(|ev| ev.span.as_deref().map(str::to_owned))
        });
        rows.push(WaterfallRow::Span {
            id,
            name,
            events: events.len(),
        });
        rows.extend(events.into_iter().map(WaterfallRow::Event));
    }
    rows
}
