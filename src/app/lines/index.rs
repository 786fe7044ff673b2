//! Line numbers without a number per line: per source, runs of lines whose store positions and
//! numbers both grow by one, and the trace ids of lines interned as small integers.
//!
//! A single file is one run however long it is; merged sources cost one run each time the
//! merge switches source. Sources number their lines upwards (across truncation, rotation and
//! restarts), which keeps every source's runs sorted by position and by number alike.

use std::borrow::Cow;
use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

/// Lines `seq..seq + len` of one source are numbered `number..number + len`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Run {
    seq: usize,
    number: u64,
    len: usize,
}

/// Position ↔ number, per source.
#[derive(Debug, Default)]
pub(super) struct Numbers {
    runs: Vec<VecDeque<Run>>,
}

impl Numbers {
    /// Records that line `seq` of `source` has `number`.
    pub(super) fn push(&mut self, source: usize, seq: usize, number: u64) {
        if self.runs.len() <= source {
            self.runs.resize_with(source + 1, VecDeque::new);
        }
        let runs = &mut self.runs[source];
        if let Some(r) = runs.back_mut()
            && r.seq + r.len == seq
            && r.number.checked_add(r.len as u64) == Some(number)
        {
            r.len += 1;
            return;
        }
        runs.push_back(Run {
            seq,
            number,
            len: 1,
        });
    }

    /// Where line `number` of `source` is.
    pub(super) fn seq_of(&self, source: usize, number: u64) -> Option<usize> {
        let runs = self.runs.get(source)?;
        let i = runs
            .partition_point(|r| r.number <= number)
            .checked_sub(1)?;
        let r = runs.get(i)?;
        let k = usize::try_from(number - r.number).ok()?;
        (k < r.len).then(|| r.seq + k)
    }

    /// The number of line `seq` of `source`.
    pub(super) fn number_of(&self, source: usize, seq: usize) -> Option<u64> {
        let runs = self.runs.get(source)?;
        let i = runs.partition_point(|r| r.seq <= seq).checked_sub(1)?;
        let r = runs.get(i)?;
        (seq - r.seq < r.len).then(|| r.number + (seq - r.seq) as u64)
    }

    /// Forgets runs wholly before `first`.
    pub(super) fn evict(&mut self, first: usize) {
        for runs in &mut self.runs {
            while runs.front().is_some_and(|r| r.seq + r.len <= first) {
                runs.pop_front();
            }
        }
    }

    /// Runs held (memory checks in tests).
    #[cfg(test)]
    pub(super) fn run_count(&self) -> usize {
        self.runs.iter().map(VecDeque::len).sum()
    }
}

/// A trace id as kept: W3C ids (32 lowercase hex digits, what BuildKit writes) as their 16
/// bytes, any other text shared.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum TraceKey {
    Hex([u8; 16]),
    Text(Arc<str>),
}

impl TraceKey {
    /// The key of `name`; `Hex` only when it prints back exactly as `name`.
    fn of(name: &str) -> TraceKey {
        match hex16(name) {
            Some(b) => TraceKey::Hex(b),
            None => TraceKey::Text(Arc::from(name)),
        }
    }

    fn name(&self) -> Cow<'_, str> {
        match self {
            TraceKey::Hex(b) => {
                let mut s = String::with_capacity(32);
                for byte in b {
                    s.push(HEX[usize::from(byte >> 4)] as char);
                    s.push(HEX[usize::from(byte & 15)] as char);
                }
                Cow::Owned(s)
            }
            TraceKey::Text(t) => Cow::Borrowed(t),
        }
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// The 16 bytes of 32 lowercase hex digits.
fn hex16(name: &str) -> Option<[u8; 16]> {
    let b = name.as_bytes();
    if b.len() != 32 {
        return None;
    }
    let digit = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    };
    let mut out = [0u8; 16];
    for (o, pair) in out.iter_mut().zip(b.chunks_exact(2)) {
        *o = (digit(pair[0])? << 4) | digit(pair[1])?;
    }
    Some(out)
}

/// Trace ids as small integers, 0 meaning none. An id is forgotten, and its integer reused,
/// once the last line that named it is dropped. BuildKit's hex ids are kept as 16 bytes, with
/// no allocation of their own (293,000 traces in the 1 GiB corpus took 44 MB as shared
/// strings).
#[derive(Debug, Default)]
pub(super) struct TraceIds {
    ids: HashMap<TraceKey, u32>,
    /// By integer − 1: the key and the newest line that named it.
    names: Vec<Option<(TraceKey, usize)>>,
    free: Vec<u32>,
}

impl TraceIds {
    /// The integer of `name`, seen on line `seq`.
    pub(super) fn intern(&mut self, name: &str, seq: usize) -> u32 {
        let key = TraceKey::of(name);
        if let Some(&id) = self.ids.get(&key) {
            if let Some(Some((_, last))) = self.names.get_mut(id as usize - 1) {
                *last = seq;
            }
            return id;
        }
        let id = match self.free.pop() {
            Some(id) => id,
            None => {
                self.names.push(None);
                u32::try_from(self.names.len()).unwrap_or(u32::MAX)
            }
        };
        if let Some(slot) = self.names.get_mut(id as usize - 1) {
            *slot = Some((key.clone(), seq));
            self.ids.insert(key, id);
        }
        id
    }

    /// The name of integer `id`.
    pub(super) fn name(&self, id: u32) -> Option<Cow<'_, str>> {
        let i = usize::try_from(id).ok()?.checked_sub(1)?;
        self.names.get(i)?.as_ref().map(|(k, _)| k.name())
    }

    /// The integer of `name`, when a kept line names it.
    pub(super) fn lookup(&self, name: &str) -> Option<u32> {
        self.ids.get(&TraceKey::of(name)).copied()
    }

    /// Forgets the ids no line from `first` on names.
    pub(super) fn evict(&mut self, first: usize) {
        for (i, slot) in self.names.iter_mut().enumerate() {
            if let Some((key, last)) = slot
                && *last < first
            {
                self.ids.remove(key);
                *slot = None;
                self.free.push(u32::try_from(i + 1).unwrap_or(u32::MAX));
            }
        }
    }

    /// The ids held, in no order.
    pub(super) fn names(&self) -> impl Iterator<Item = Cow<'_, str>> {
        self.names.iter().flatten().map(|(k, _)| k.name())
    }

    /// Ids held (distinct trace ids on the kept lines).
    pub(super) fn len(&self) -> usize {
        self.ids.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_source_is_one_run() {
        let mut n = Numbers::default();
        for seq in 0..1000 {
            n.push(0, seq, seq as u64 + 1);
        }
        assert_eq!(n.run_count(), 1);
        assert_eq!(n.seq_of(0, 1), Some(0));
        assert_eq!(n.seq_of(0, 1000), Some(999));
        assert_eq!(n.seq_of(0, 1001), None);
        assert_eq!(n.seq_of(0, 0), None);
        assert_eq!(n.number_of(0, 500), Some(501));
        assert_eq!(n.seq_of(1, 1), None);
    }

    #[test]
    fn interleaved_sources_and_gaps() {
        let mut n = Numbers::default();
        // a1 a2 b1 a3 b2 b3, then a jumps to 10.
        for (seq, (src, num)) in [(0, 1), (0, 2), (1, 1), (0, 3), (1, 2), (1, 3), (0, 10)]
            .into_iter()
            .enumerate()
        {
            n.push(src, seq, num);
        }
        assert_eq!(n.seq_of(0, 3), Some(3));
        assert_eq!(n.seq_of(1, 3), Some(5));
        assert_eq!(n.seq_of(0, 10), Some(6));
        assert_eq!(n.seq_of(0, 5), None);
        assert_eq!(n.number_of(1, 2), Some(1));
        assert_eq!(n.number_of(0, 2), None);
        n.evict(4);
        assert_eq!(n.seq_of(0, 1), None);
        assert_eq!(n.seq_of(1, 2), Some(4));
        assert_eq!(n.seq_of(0, 10), Some(6));
    }

    #[test]
    fn trace_ids_are_reused_after_their_lines_go() {
        let mut t = TraceIds::default();
        let a = t.intern("aaaa", 0);
        let b = t.intern("bbbb", 1);
        assert_eq!(t.intern("aaaa", 5), a);
        assert_eq!(t.name(b).as_deref(), Some("bbbb"));
        assert_eq!(t.lookup("aaaa"), Some(a));
        t.evict(2);
        assert_eq!(t.len(), 1);
        assert_eq!(t.name(b), None);
        assert_eq!(t.lookup("bbbb"), None);
        let c = t.intern("cccc", 6);
        assert_eq!(c, b);
        assert_eq!(t.name(a).as_deref(), Some("aaaa"));
        assert_eq!(t.name(0), None);
    }

    #[test]
    fn trace_ids_round_trip_hex_and_text_alike() {
        let mut t = TraceIds::default();
        let hex = "0af7651916cd43dd8448eb211c80319c";
        for (seq, name) in [hex, "0AF7651916CD43DD8448EB211C80319C", "t1", "0af7"]
            .iter()
            .enumerate()
        {
            let id = t.intern(name, seq);
            assert_eq!(t.name(id).as_deref(), Some(*name));
            assert_eq!(t.lookup(name), Some(id));
            assert_eq!(t.intern(name, seq + 10), id);
        }
        assert_eq!(t.len(), 4, "upper-case hex is another trace, kept as text");
        assert!(matches!(TraceKey::of(hex), TraceKey::Hex(_)));
        t.evict(13);
        assert_eq!(t.lookup(hex), None);
        assert_eq!(t.lookup("0af7"), Some(4));
    }
}
