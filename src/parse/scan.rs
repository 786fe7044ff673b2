//! Where the logfmt tokenizer stops, found 64 bytes at a time: one pass over a block marks its
//! spaces and tabs, its `=` and its `"` and `\` in three bit masks, and every search after
//! that is a shift and a count of trailing zeros. Replaces a `memchr` call per token, whose
//! set-up cost dominated on tokens a few bytes long (docs/performance.md, "Structural scan").
//!
//! A line read on its own has its blocks classified as the tokenizer reaches them, so a look
//! that stops at the msg pays for a block or two, not the whole line. The headless reader
//! marks each chunk of lines once ([`TextMarks`]) and reads every line through those marks.
//! On x86_64 the classification is AVX2 where the CPU has it (detected once at run time, by
//! std), else SSE2 (part of the architecture's baseline); elsewhere a byte loop gives the
//! same masks.
//!
//! Pure: bytes in, positions out.

/// Bytes per block: one bit of a `u64` mask each.
const BLOCK: usize = 64;

/// Which bytes a search stops at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Stop {
    /// A space or a tab: the end of a bare value.
    Blank,
    /// `=`, a space or a tab: the end of a key.
    KeyEnd,
    /// `"` or `\`: the end of a quoted value, or an escape in it.
    Quote,
}

/// The marks of one block: bit `i` is set when byte `i` of the block is of that kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Marks {
    blank: u64,
    key_end: u64,
    quote: u64,
}

impl Marks {
    #[inline(always)]
    fn of(&self, stop: Stop) -> u64 {
        match stop {
            Stop::Blank => self.blank,
            Stop::KeyEnd => self.key_end,
            Stop::Quote => self.quote,
        }
    }
}

/// A whole text classified in one pass (the headless reader's chunk of lines), so the lines
/// cut from it need no classification of their own: see [`Marking`].
#[derive(Debug, Default)]
pub struct TextMarks {
    blocks: Vec<Marks>,
    /// The marked text's length.
    len: usize,
    /// The text holds a `](http`: some line may carry a pasted markdown link to undo.
    links: bool,
}

impl TextMarks {
    /// Classifies `text`, replacing what was marked before (the buffer is reused).
    pub fn mark(&mut self, text: &str) {
        self.mark_bytes(text.as_bytes());
    }

    /// [`TextMarks::mark`] of bytes not yet known to be text; true when every byte is ASCII
    /// (below 0x80), found in the same pass: such bytes are valid UTF-8 as they are, so the
    /// headless reader need not validate its chunks a second time.
    pub fn mark_bytes(&mut self, bytes: &[u8]) -> bool {
        self.blocks.clear();
        self.blocks.reserve(bytes.len().div_ceil(BLOCK));
        let mut high = 0u64;
        let mut whole = bytes.chunks_exact(BLOCK);
        for block in whole.by_ref() {
            if let Some(block) = block.first_chunk::<BLOCK>() {
                let (marks, h) = classify(block);
                self.blocks.push(marks);
                high |= h;
            }
        }
        let rest = whole.remainder();
        if !rest.is_empty() {
            let (marks, h) = classify_tail(rest);
            self.blocks.push(marks);
            high |= h;
        }
        self.len = bytes.len();
        self.links = memchr::memmem::find(bytes, b"](http").is_some();
        high == 0
    }

    /// The marks for a line that starts `offset` bytes into the marked text.
    pub fn at(&self, offset: usize) -> Marking<'_> {
        Marking {
            text: Some((&self.blocks, offset, self.len)),
            links: self.links,
        }
    }
}

/// Where a line's marks come from: a [`TextMarks`] it lies in, or (`Marking::NONE`) its own
/// blocks, classified as the tokenizer reaches them.
#[derive(Debug, Clone, Copy)]
pub struct Marking<'a> {
    /// The text's blocks, where the line starts in it, and the text's length.
    text: Option<(&'a [Marks], usize, usize)>,
    links: bool,
}

impl Marking<'_> {
    /// No marked text: the line is classified on its own.
    pub const NONE: Marking<'static> = Marking {
        text: None,
        links: true,
    };

    /// False when the marked text has no `](http` anywhere, so no line in it needs the
    /// markdown repair (`parse::repair`) and none need be searched for one.
    pub(super) fn may_have_links(&self) -> bool {
        self.links
    }
}

/// Searches forward in one line; remembers the block it looked at last.
pub(super) struct Scanner<'a> {
    bytes: &'a [u8],
    /// The marked text's blocks, when the line lies in one.
    pre: Option<&'a [Marks]>,
    /// Where the line starts in the marked text (0 for a line classified on its own).
    base: usize,
    /// The line's own block `marks` describes, when not marked; `usize::MAX` before the first
    /// search.
    block: usize,
    marks: Marks,
}

impl<'a> Scanner<'a> {
    pub(super) fn new(bytes: &'a [u8], marking: Marking<'a>) -> Self {
        let (pre, base) = match marking.text {
            // Marks of a text the line cannot lie in are not used.
            Some((pre, base, len)) if base + bytes.len() <= len => (Some(pre), base),
            _ => (None, 0),
        };
        Scanner {
            bytes,
            pre,
            base,
            block: usize::MAX,
            marks: Marks::default(),
        }
    }

    /// The position of the first byte at or after `from` that `stop` names, if any.
    #[inline(always)]
    pub(super) fn find(&mut self, from: usize, stop: Stop) -> Option<usize> {
        let end = self.base + self.bytes.len();
        let mut abs = self.base + from;
        if let Some(pre) = self.pre {
            // A marked text: every block is classified already.
            while abs < end {
                let m = pre.get(abs / BLOCK)?.of(stop) >> (abs % BLOCK);
                if m != 0 {
                    let at = abs + m.trailing_zeros() as usize;
                    // The marked text goes on past the line's end.
                    return (at < end).then(|| at - self.base);
                }
                abs = (abs / BLOCK + 1) * BLOCK;
            }
            return None;
        }
        // Most tokens end in the block their search starts in, already looked at.
        if abs / BLOCK == self.block {
            let m = self.marks.of(stop) >> (abs % BLOCK);
            if m != 0 {
                return Some(from + m.trailing_zeros() as usize);
            }
        }
        self.find_on(from, stop)
    }

    /// [`Scanner::find`] through the line's own blocks, classifying each as it is reached.
    #[inline(never)]
    fn find_on(&mut self, from: usize, stop: Stop) -> Option<usize> {
        let mut at = from;
        while at < self.bytes.len() {
            let block = at / BLOCK;
            if block != self.block {
                self.load(block);
            }
            let m = self.marks.of(stop) >> (at % BLOCK);
            if m != 0 {
                return Some(at + m.trailing_zeros() as usize);
            }
            at = (block + 1) * BLOCK;
        }
        None
    }

    fn load(&mut self, block: usize) {
        let rest = self.bytes.get(block * BLOCK..).unwrap_or(&[]);
        self.marks = match rest.first_chunk::<BLOCK>() {
            Some(whole) => classify(whole).0,
            None => classify_tail(rest).0,
        };
        self.block = block;
    }
}

/// The marks of a last block shorter than [`BLOCK`]: the bytes past its end count as zero,
/// which no search stops at (and which are ASCII).
fn classify_tail(rest: &[u8]) -> (Marks, u64) {
    let mut padded = [0u8; BLOCK];
    let n = rest.len().min(BLOCK);
    padded[..n].copy_from_slice(&rest[..n]);
    classify(&padded)
}

/// The marks of a block, and a mask of its bytes at or above 0x80 (not ASCII).
#[cfg(target_arch = "x86_64")]
fn classify(b: &[u8; BLOCK]) -> (Marks, u64) {
    // std caches the CPUID answer: after the first call this is one load and a test.
    if std::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2, checked just above.
        unsafe { classify_avx2(b) }
    } else {
        // SAFETY: SSE2 is part of the x86_64 baseline: every x86_64 CPU has it.
        unsafe { classify_sse2(b) }
    }
}

/// [`classify_sse2`] 32 bytes at a time: half the instructions per block.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn classify_avx2(b: &[u8; BLOCK]) -> (Marks, u64) {
    use std::arch::x86_64::{
        __m256i, _mm256_cmpeq_epi8, _mm256_loadu_si256, _mm256_movemask_epi8, _mm256_or_si256,
        _mm256_set1_epi8,
    };
    let space = _mm256_set1_epi8(b' ' as i8);
    let tab = _mm256_set1_epi8(b'\t' as i8);
    let equals = _mm256_set1_epi8(b'=' as i8);
    let quote = _mm256_set1_epi8(b'"' as i8);
    let backslash = _mm256_set1_epi8(b'\\' as i8);
    let mut marks = Marks::default();
    let mut high = 0u64;
    for (i, lane) in b.chunks_exact(32).enumerate() {
        // SAFETY: `lane` is 32 bytes long, exactly what the unaligned load reads.
        let v = unsafe { _mm256_loadu_si256(lane.as_ptr().cast::<__m256i>()) };
        let blank = _mm256_or_si256(_mm256_cmpeq_epi8(v, space), _mm256_cmpeq_epi8(v, tab));
        let key_end = _mm256_or_si256(blank, _mm256_cmpeq_epi8(v, equals));
        let quoted = _mm256_or_si256(_mm256_cmpeq_epi8(v, quote), _mm256_cmpeq_epi8(v, backslash));
        // `movemask` gives one bit per byte of the 32, as an i32.
        let shift = 32 * i;
        marks.blank |= u64::from(_mm256_movemask_epi8(blank) as u32) << shift;
        marks.key_end |= u64::from(_mm256_movemask_epi8(key_end) as u32) << shift;
        marks.quote |= u64::from(_mm256_movemask_epi8(quoted) as u32) << shift;
        // A byte's top bit, as it is: set for every byte that is not ASCII.
        high |= u64::from(_mm256_movemask_epi8(v) as u32) << shift;
    }
    (marks, high)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn classify_sse2(b: &[u8; BLOCK]) -> (Marks, u64) {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };
    let space = _mm_set1_epi8(b' ' as i8);
    let tab = _mm_set1_epi8(b'\t' as i8);
    let equals = _mm_set1_epi8(b'=' as i8);
    let quote = _mm_set1_epi8(b'"' as i8);
    let backslash = _mm_set1_epi8(b'\\' as i8);
    let mut marks = Marks::default();
    let mut high = 0u64;
    for (i, lane) in b.chunks_exact(16).enumerate() {
        // SAFETY: `lane` is 16 bytes long, exactly what the unaligned load reads.
        let v = unsafe { _mm_loadu_si128(lane.as_ptr().cast::<__m128i>()) };
        let blank = _mm_or_si128(_mm_cmpeq_epi8(v, space), _mm_cmpeq_epi8(v, tab));
        let key_end = _mm_or_si128(blank, _mm_cmpeq_epi8(v, equals));
        let quoted = _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash));
        // `movemask` gives one bit per byte of the 16, in the low 16 bits of an i32.
        let shift = 16 * i;
        marks.blank |= u64::from(_mm_movemask_epi8(blank) as u16) << shift;
        marks.key_end |= u64::from(_mm_movemask_epi8(key_end) as u16) << shift;
        marks.quote |= u64::from(_mm_movemask_epi8(quoted) as u16) << shift;
        high |= u64::from(_mm_movemask_epi8(v) as u16) << shift;
    }
    (marks, high)
}

#[cfg(not(target_arch = "x86_64"))]
fn classify(b: &[u8; BLOCK]) -> (Marks, u64) {
    classify_bytewise(b)
}

/// The masks byte by byte: the other architectures' classification, and the tests' reference.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn classify_bytewise(b: &[u8; BLOCK]) -> (Marks, u64) {
    let mut marks = Marks::default();
    let mut high = 0u64;
    for (i, &c) in b.iter().enumerate() {
        let bit = 1u64 << i;
        if !c.is_ascii() {
            high |= bit;
        }
        if c == b' ' || c == b'\t' {
            marks.blank |= bit;
            marks.key_end |= bit;
        }
        if c == b'=' {
            marks.key_end |= bit;
        }
        if c == b'"' || c == b'\\' {
            marks.quote |= bit;
        }
    }
    (marks, high)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn stops(stop: Stop) -> &'static [u8] {
        match stop {
            Stop::Blank => b" \t",
            Stop::KeyEnd => b"= \t",
            Stop::Quote => b"\"\\",
        }
    }

    /// Every search from every position finds what a plain byte search finds, in texts that
    /// cross block boundaries, end inside a block, or are empty; alone, and marked inside a
    /// larger text with stop bytes on both sides and any start relative to the blocks.
    #[test]
    fn finds_what_a_byte_search_finds() {
        let texts: Vec<Vec<u8>> = vec![
            Vec::new(),
            b"k=v".to_vec(),
            b"time=\"2024-01-01T00:00:00Z\" level=debug msg=\"a \\\"b\\\"\"\tx=1".to_vec(),
            [
                b"a".repeat(63),
                b" ".to_vec(),
                b"b".repeat(64),
                b"=\"".to_vec(),
            ]
            .concat(),
            b"x".repeat(200),
            "é=\"ü\\\" \t".repeat(20).into_bytes(),
        ];
        for text in &texts {
            for pad in [0, 1, 63, 64, 100] {
                let outer = format!(
                    "{} ={}\" =\\\t",
                    " =\"\\".repeat(pad).get(..pad).unwrap_or(""),
                    String::from_utf8_lossy(text)
                );
                let at = pad + 2;
                let mut marks = TextMarks::default();
                marks.mark(&outer);
                let line = &outer.as_bytes()[at..at + text.len()];
                for stop in [Stop::Blank, Stop::KeyEnd, Stop::Quote] {
                    let mut lone = Scanner::new(text, Marking::NONE);
                    let mut marked = Scanner::new(line, marks.at(at));
                    for from in 0..=text.len() + 1 {
                        let want = text
                            .iter()
                            .enumerate()
                            .skip(from)
                            .find(|(_, c)| stops(stop).contains(c))
                            .map(|(i, _)| i);
                        assert_eq!(lone.find(from, stop), want, "{stop:?} from {from}");
                        assert_eq!(
                            marked.find(from, stop),
                            want,
                            "{stop:?} from {from}, pad {pad}"
                        );
                    }
                }
            }
        }
    }

    /// `mark_bytes` says ASCII exactly when no byte is 0x80 or above, wherever the one such
    /// byte sits (first, last, in a whole block, in the short last block), and marks as
    /// `mark` does.
    #[test]
    fn mark_bytes_finds_any_byte_that_is_not_ascii() {
        for len in [0, 1, 63, 64, 65, 127, 128, 200] {
            let ascii: Vec<u8> = (0..len).map(|i| b" =\"\\ab\t"[i % 7]).collect();
            let mut marks = TextMarks::default();
            assert!(marks.mark_bytes(&ascii), "len {len}");
            let mut by_text = TextMarks::default();
            by_text.mark(std::str::from_utf8(&ascii).unwrap());
            assert_eq!(marks.blocks, by_text.blocks);
            for at in 0..len {
                for high in [0x80u8, 0xC3, 0xFF] {
                    let mut bytes = ascii.clone();
                    bytes[at] = high;
                    assert!(
                        !marks.mark_bytes(&bytes),
                        "len {len}, byte {high:#x} at {at}"
                    );
                }
            }
        }
    }

    /// Marks of another, shorter text are not trusted: the line is classified on its own.
    #[test]
    fn marks_too_short_for_the_line_are_ignored() {
        let mut marks = TextMarks::default();
        marks.mark("k");
        let line = b"abc def=ghi";
        let mut s = Scanner::new(line, marks.at(0));
        assert_eq!(s.find(0, Stop::KeyEnd), Some(3));
        assert_eq!(s.find(4, Stop::KeyEnd), Some(7));
    }

    proptest! {
        /// The SSE2 masks (or whatever this architecture uses) equal the byte loop's.
        #[test]
        fn classify_matches_bytewise(block in proptest::collection::vec(
            prop_oneof![Just(b' '), Just(b'\t'), Just(b'='), Just(b'"'), Just(b'\\'), any::<u8>()],
            BLOCK,
        )) {
            let b: [u8; BLOCK] = block.try_into().expect("64 bytes");
            prop_assert_eq!(classify(&b), classify_bytewise(&b));
            // Both x86_64 paths, whichever `classify` picked on this CPU.
            #[cfg(target_arch = "x86_64")]
            {
                // SAFETY: SSE2 is in the x86_64 baseline.
                prop_assert_eq!(unsafe { classify_sse2(&b) }, classify_bytewise(&b));
                if std::is_x86_feature_detected!("avx2") {
                    // SAFETY: checked just above.
                    prop_assert_eq!(unsafe { classify_avx2(&b) }, classify_bytewise(&b));
                }
            }
        }
    }
}
