//! [`Reader`]: reads the text of many lines a block at a time, for scans (search, filters)
//! that would otherwise cost one read per line.

use std::borrow::Cow;

use super::{LineStore, RawLine, text_of, unavailable};

/// Bytes read at once.
const BLOCK: u64 = 1 << 20;

/// Reads lines through a one-block cache; forwards and backwards scans both read whole blocks.
#[derive(Debug)]
pub struct Reader<'a> {
    store: &'a LineStore,
    /// First position of the segment the block is from.
    segment: Option<usize>,
    start: u64,
    buf: Vec<u8>,
    last: usize,
}

impl<'a> Reader<'a> {
    pub(super) fn new(store: &'a LineStore) -> Reader<'a> {
        Reader {
            store,
            segment: None,
            start: 0,
            buf: Vec::new(),
            last: 0,
        }
    }

    /// The line at `seq`, its text read back (a placeholder text when it cannot be).
    pub fn get(&mut self, seq: usize) -> Option<RawLine<'_>> {
        let store = self.store;
        let (seg, rec) = store.locate(seq)?;
        let r = rec.range();
        let end = self.start + self.buf.len() as u64;
        let hit = self.segment == Some(seg.first) && r.start >= self.start && r.end <= end;
        let backward = seq < self.last;
        self.last = seq;
        if !hit {
            let (s, e) = if backward {
                (r.end.saturating_sub(BLOCK).min(r.start), r.end)
            } else {
                (r.start, (r.start + BLOCK).min(seg.spool.len()).max(r.end))
            };
            if seg.spool.read(s..e, &mut self.buf).is_ok() {
                self.segment = Some(seg.first);
                self.start = s;
            } else {
                // A lost range inside the block: read this line alone.
                self.segment = None;
                let mut one = Vec::new();
                let raw = match seg.spool.read(r, &mut one) {
                    Ok(()) => String::from_utf8_lossy(&one).into_owned(),
                    Err(why) => unavailable(&why),
                };
                return Some(store.line(seq, rec, Cow::Owned(raw)));
            }
        }
        let a = usize::try_from(r.start - self.start).ok()?;
        let b = usize::try_from(r.end - self.start).ok()?;
        let raw = text_of(self.buf.get(a..b)?);
        Some(store.line(seq, rec, raw))
    }
}
