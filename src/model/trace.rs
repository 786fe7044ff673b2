//! traceID → spans → fetch events, with first and last times and error counts.
//!
//! Pure bookkeeping; BuildKit adds `traceID`/`spanID` (always from v0.16, see the catalogue).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::parse::Timestamp;

/// One trace.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Trace {
    /// The trace id.
    pub trace_id: String,
    /// Span id → event ids, in order.
    pub spans: BTreeMap<String, Vec<usize>>,
    /// Events in the trace, in order.
    pub events: Vec<usize>,
    /// Failed events.
    pub errors: u64,
    /// Earliest time seen.
    pub first: Option<Timestamp>,
    /// Latest time seen.
    pub last: Option<Timestamp>,
}

impl Trace {
    /// Milliseconds from first to last line.
    pub fn duration_ms(&self) -> Option<i64> {
        Some(self.first?.millis_until(self.last?))
    }
}

/// All traces, by id.
#[derive(Debug, Clone, Default)]
pub struct TraceIndex {
    traces: BTreeMap<String, Trace>,
    keep_ids: bool,
}

impl TraceIndex {
    /// An index that keeps event ids (`keep_ids`) or only counts.
    pub fn new(keep_ids: bool) -> Self {
        TraceIndex {
            traces: BTreeMap::new(),
            keep_ids,
        }
    }

    /// Records an event under its trace and span.
    pub fn add(
        &mut self,
        trace: &str,
        span: Option<&str>,
        event: usize,
        failed: bool,
        times: [Option<Timestamp>; 2],
    ) {
        let t = self
            .traces
            .entry(trace.to_owned())
            .or_insert_with(|| Trace {
                trace_id: trace.to_owned(),
                ..Trace::default()
            });
        if self.keep_ids {
            t.events.push(event);
            if let Some(s) = span {
                t.spans.entry(s.to_owned()).or_default().push(event);
            }
        } else if let Some(s) = span
            && !t.spans.contains_key(s)
        {
            t.spans.insert(s.to_owned(), Vec::new());
        }
        t.errors += u64::from(failed);
        for ts in times.into_iter().flatten() {
            t.first = Some(t.first.map_or(ts, |f| f.min(ts)));
            t.last = Some(t.last.map_or(ts, |l| l.max(ts)));
        }
    }

    /// Number of traces.
    pub fn len(&self) -> usize {
        self.traces.len()
    }

    /// True when no line carried a trace id.
    pub fn is_empty(&self) -> bool {
        self.traces.is_empty()
    }

    /// One trace.
    pub fn get(&self, id: &str) -> Option<&Trace> {
        self.traces.get(id)
    }

    /// All traces, by id.
    pub fn iter(&self) -> impl Iterator<Item = &Trace> {
        self.traces.values()
    }
}
