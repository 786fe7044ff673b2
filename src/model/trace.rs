//! traceID → spans → fetch events, with first and last times and error counts.
//!
//! Pure bookkeeping; BuildKit adds `traceID`/`spanID` (v0.9 and v0.16+ always, v0.10 to v0.15
//! only with a trace exporter set: ../shared/log-catalog.md).
//! A request joins its trace when its `do request` line is read ([`TraceIndex::open`]), not
//! when it is answered: a request still in flight (a slow blob, a token fetch that hangs, a
//! request the log never answers) is in its trace while the log is followed. Event ids grow
//! with the `do request` lines, so a trace's events and spans stay in request order, whatever
//! order the answers come in.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::parse::Timestamp;

use super::distinct::Distinct;

/// One trace.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Trace {
    /// The trace id.
    pub trace_id: String,
    /// Span id → event ids, in order.
    pub spans: BTreeMap<String, Vec<usize>>,
    /// Events in the trace, in request order (ascending event ids).
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
    /// Counting only: distinct ids, in bounded memory (an estimate past a cap).
    distinct: Distinct,
}

impl TraceIndex {
    /// An index that keeps every trace with its spans and event ids (`keep_ids`), or one that
    /// only counts distinct trace ids in a few bytes each (then [`TraceIndex::get`] and
    /// [`TraceIndex::iter`] find nothing).
    pub fn new(keep_ids: bool) -> Self {
        TraceIndex {
            keep_ids,
            ..TraceIndex::default()
        }
    }

    /// Puts a request that has no answer yet under its trace and span (a no-op for a
    /// counting index: [`TraceIndex::add`] counts it once it completes).
    pub fn open(
        &mut self,
        trace: &str,
        span: Option<&str>,
        event: usize,
        started: Option<Timestamp>,
    ) {
        if self.keep_ids {
            self.insert(trace, span, event, false, [started, None]);
        }
    }

    /// Records a completed event under its trace and span: once, whether or not
    /// [`TraceIndex::open`] put it there when it started.
    pub fn add(
        &mut self,
        trace: &str,
        span: Option<&str>,
        event: usize,
        failed: bool,
        times: [Option<Timestamp>; 2],
    ) {
        if !self.keep_ids {
            self.distinct.insert(trace);
            return;
        }
        self.insert(trace, span, event, failed, times);
    }

    fn insert(
        &mut self,
        trace: &str,
        span: Option<&str>,
        event: usize,
        failed: bool,
        times: [Option<Timestamp>; 2],
    ) {
        if !self.traces.contains_key(trace) {
            self.traces.insert(
                trace.to_owned(),
                Trace {
                    trace_id: trace.to_owned(),
                    ..Trace::default()
                },
            );
        }
        let Some(t) = self.traces.get_mut(trace) else {
            return;
        };
        // Sorted by id: an event opened earlier is found, one that learnt its trace only from
        // its answer goes where its request was.
        if let Err(at) = t.events.binary_search(&event) {
            t.events.insert(at, event);
        }
        if let Some(s) = span {
            let list = t.spans.entry(s.to_owned()).or_default();
            if let Err(at) = list.binary_search(&event) {
                list.insert(at, event);
            }
        }
        t.errors += u64::from(failed);
        for ts in times.into_iter().flatten() {
            t.first = Some(t.first.map_or(ts, |f| f.min(ts)));
            t.last = Some(t.last.map_or(ts, |l| l.max(ts)));
        }
    }

    /// Counts as failed an event [`TraceIndex::add`] counted as none (an auth challenge that
    /// turned out not to be answered).
    pub fn late_failure(&mut self, trace: &str) {
        if let Some(t) = self.traces.get_mut(trace) {
            t.errors += 1;
        }
    }

    /// Takes a dropped event out of its trace and span (the model's cap on kept events); a
    /// trace left with no event goes too. Times stay as they were.
    pub fn remove(&mut self, trace: &str, span: Option<&str>, event: usize, failed: bool) {
        let Some(t) = self.traces.get_mut(trace) else {
            return;
        };
        t.events.retain(|&e| e != event);
        if let Some(s) = span
            && let Some(list) = t.spans.get_mut(s)
        {
            list.retain(|&e| e != event);
            if list.is_empty() {
                t.spans.remove(s);
            }
        }
        t.errors -= u64::from(failed && t.errors > 0);
        if t.events.is_empty() {
            self.traces.remove(trace);
        }
    }

    /// Number of traces.
    pub fn len(&self) -> usize {
        self.traces.len() + self.distinct.len()
    }

    /// True when [`TraceIndex::len`] is an estimate: a counting index past its exact cap
    /// (see `model::distinct`).
    pub fn len_is_estimate(&self) -> bool {
        self.distinct.is_estimate()
    }

    /// True when no line carried a trace id.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counting_mode_counts_distinct_ids() {
        let mut t = TraceIndex::new(false);
        let a = "b162d3040ddf86d6614e79c66a01a577";
        for id in [a, a, "B162D3040DDF86D6614E79C66A01A577", "short", "short"] {
            t.add(id, Some("9460e5b6e64cec91"), 0, false, [None, None]);
        }
        assert_eq!(t.len(), 3);
        assert!(t.get(a).is_none());
        let mut kept = TraceIndex::new(true);
        kept.add(a, Some("9460e5b6e64cec91"), 7, true, [None, None]);
        assert_eq!(
            (kept.len(), kept.get(a).map(|t| t.events.clone())),
            (1, Some(vec![7]))
        );
        kept.add(a, Some("9460e5b6e64cec91"), 8, false, [None, None]);
        kept.remove(a, Some("9460e5b6e64cec91"), 7, true);
        let t = kept.get(a).unwrap();
        assert_eq!((t.events.clone(), t.errors), (vec![8], 0));
        assert_eq!(t.spans["9460e5b6e64cec91"], vec![8]);
        kept.remove(a, Some("9460e5b6e64cec91"), 8, false);
        assert!(kept.is_empty());
    }
}
