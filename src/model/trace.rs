//! traceID → spans → fetch events, with first and last times and error counts.
//!
//! Pure bookkeeping; BuildKit adds `traceID`/`spanID` (always from v0.16, see the catalogue).

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::mem;

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
    /// Counting only: BuildKit's 32-hex-digit ids as numbers (16 bytes each), others as text.
    hex_ids: IdSet,
    other_ids: BTreeSet<String>,
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

    /// Records an event under its trace and span.
    pub fn add(
        &mut self,
        trace: &str,
        span: Option<&str>,
        event: usize,
        failed: bool,
        times: [Option<Timestamp>; 2],
    ) {
        if !self.keep_ids {
            match lower_hex_128(trace) {
                Some(n) => self.hex_ids.insert(n),
                None if self.other_ids.contains(trace) => {}
                None => {
                    self.other_ids.insert(trace.to_owned());
                }
            }
            return;
        }
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
        t.events.push(event);
        if let Some(s) = span {
            t.spans.entry(s.to_owned()).or_default().push(event);
        }
        t.errors += u64::from(failed);
        for ts in times.into_iter().flatten() {
            t.first = Some(t.first.map_or(ts, |f| f.min(ts)));
            t.last = Some(t.last.map_or(ts, |l| l.max(ts)));
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
        self.traces.len() + self.hex_ids.len() + self.other_ids.len()
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

/// A set of distinct 128-bit ids in about 16 bytes each: a sorted vector, plus a small hash set
/// of recent ids merged into it whenever it fills.
#[derive(Debug, Clone, Default)]
struct IdSet {
    sorted: Vec<u128>,
    recent: HashSet<u128>,
}

impl IdSet {
    /// Recent ids held before a merge.
    const RECENT: usize = 4096;

    fn insert(&mut self, id: u128) {
        if self.sorted.binary_search(&id).is_ok() || !self.recent.insert(id) {
            return;
        }
        if self.recent.len() < Self::RECENT {
            return;
        }
        let mut add: Vec<u128> = mem::take(&mut self.recent).into_iter().collect();
        add.sort_unstable();
        // Merge from the back, in place: `add` holds no id of `sorted`.
        let old = self.sorted.len();
        self.sorted.reserve_exact(add.len());
        self.sorted.resize(old + add.len(), 0);
        let (mut i, mut j) = (old, add.len());
        for k in (0..old + add.len()).rev() {
            if j == 0 {
                break;
            }
            if i > 0 && self.sorted[i - 1] > add[j - 1] {
                self.sorted[k] = self.sorted[i - 1];
                i -= 1;
            } else {
                self.sorted[k] = add[j - 1];
                j -= 1;
            }
        }
    }

    fn len(&self) -> usize {
        self.sorted.len() + self.recent.len()
    }
}

/// A 32-digit lowercase hex id as a number; `None` for any other text (so distinct texts stay
/// distinct).
fn lower_hex_128(id: &str) -> Option<u128> {
    let b = id.as_bytes();
    if b.len() != 32 || !b.iter().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f')) {
        return None;
    }
    u128::from_str_radix(id, 16).ok()
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

    #[test]
    fn id_set_merges_without_losing_or_doubling() {
        let mut s = IdSet::default();
        let mut reference = BTreeSet::new();
        let mut x: u128 = 7;
        for _ in 0..3 * IdSet::RECENT + 17 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407)
                % 9000;
            s.insert(x);
            reference.insert(x);
        }
        assert_eq!(s.len(), reference.len());
        assert!(s.sorted.windows(2).all(|w| w[0] < w[1]));
    }
}
