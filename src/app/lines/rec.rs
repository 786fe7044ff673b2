//! [`Rec`]: what memory keeps of one line, 20 bytes — where its text is in its spool segment,
//! and the facts the views filter and colour on, packed.

use std::ops::Range;

use crate::parse::Level;
use crate::source::Line;

use super::LineKind;

const LEVELS: [Level; 7] = [
    Level::Trace,
    Level::Debug,
    Level::Info,
    Level::Warning,
    Level::Error,
    Level::Fatal,
    Level::Panic,
];
const KINDS: [LineKind; 5] = [
    LineKind::Request,
    LineKind::Response,
    LineKind::Resolver,
    LineKind::Other,
    LineKind::Unparsed,
];
const TRUNCATED: u8 = 0x80;

/// One stored line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Rec {
    /// Start of the text in the segment's spool.
    off: u32,
    /// Length of the text in bytes (the source caps lines at 1 MiB).
    len: u32,
    /// Interned trace id, 0 for none.
    pub(super) trace: u32,
    /// Fetch event id + 1, 0 for none.
    pub(super) event: u32,
    /// Source index (sources beyond 65,535 share the last).
    pub(super) source: u16,
    /// Level index + 1, 0 for none.
    level: u8,
    /// Kind index, and [`TRUNCATED`].
    flags: u8,
}

impl Rec {
    /// A record for `line` whose text starts at `off`.
    pub(super) fn new(
        off: u64,
        line: &Line,
        level: Option<Level>,
        trace: u32,
        kind: LineKind,
    ) -> Rec {
        let level = level
            .and_then(|l| LEVELS.iter().position(|x| *x == l))
            .map_or(0, |i| i as u8 + 1);
        let kind = KINDS.iter().position(|k| *k == kind).unwrap_or(3) as u8;
        Rec {
            off: u32::try_from(off).unwrap_or(u32::MAX),
            len: u32::try_from(line.text.len()).unwrap_or(u32::MAX),
            trace,
            event: 0,
            source: u16::try_from(line.source).unwrap_or(u16::MAX),
            level,
            flags: kind | if line.truncated { TRUNCATED } else { 0 },
        }
    }

    /// The bytes of the text in the spool.
    pub(super) fn range(&self) -> Range<u64> {
        u64::from(self.off)..u64::from(self.off) + u64::from(self.len)
    }

    pub(super) fn level(&self) -> Option<Level> {
        LEVELS.get(usize::from(self.level).checked_sub(1)?).copied()
    }

    pub(super) fn kind(&self) -> LineKind {
        KINDS
            .get(usize::from(self.flags & !TRUNCATED))
            .copied()
            .unwrap_or(LineKind::Other)
    }

    pub(super) fn truncated(&self) -> bool {
        self.flags & TRUNCATED != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_is_twenty_bytes_and_packs_its_facts() {
        assert_eq!(std::mem::size_of::<Rec>(), 20);
        let line = Line {
            source: 3,
            number: 9,
            offset: 0,
            text: "abc".to_owned(),
            truncated: true,
            lossy: false,
        };
        for (i, level) in LEVELS.iter().enumerate() {
            let kind = KINDS[i % KINDS.len()];
            let r = Rec::new(7, &line, Some(*level), 5, kind);
            assert_eq!(
                (r.level(), r.kind(), r.truncated(), r.range()),
                (Some(*level), kind, true, 7..10)
            );
        }
        let r = Rec::new(0, &line, None, 0, LineKind::Unparsed);
        assert_eq!(
            (r.level(), r.kind(), r.source),
            (None, LineKind::Unparsed, 3)
        );
    }
}
