//! Bytes → lines: the partial last line is held until its end arrives, CRLF is accepted, invalid
//! UTF-8 is kept lossily (and counted), and a giant line is cut at a cap and marked.
//!
//! Pure: a byte buffer in, [`Line`]s out; the readers around it do the I/O.

use std::borrow::Cow;
use std::io::{self, BufRead, Read};
use std::ops::Range;

use super::{Line, LineDamage};

/// Longest line kept, in bytes; the rest of a longer line is dropped and the line marked.
pub const MAX_LINE: usize = 1 << 20;

/// Splits a byte stream into numbered lines.
#[derive(Debug, Clone)]
pub struct LineSplitter {
    source: u32,
    next_number: u64,
    offset: u64,
    partial: Vec<u8>,
    partial_start: u64,
    dropped: bool,
    cap: usize,
}

impl LineSplitter {
    /// A splitter for source `source`, starting at line 1, offset 0.
    pub fn new(source: u32) -> Self {
        Self::with_cap(source, MAX_LINE)
    }

    /// A splitter with another line cap.
    pub fn with_cap(source: u32, cap: usize) -> Self {
        LineSplitter {
            source,
            next_number: 1,
            offset: 0,
            partial: Vec::new(),
            partial_start: 0,
            dropped: false,
            cap,
        }
    }

    /// Bytes consumed so far (complete lines and the held partial line).
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// Starts a new stream at offset 0 (a truncated or rotated file) while line numbers keep
    /// counting up; a held partial line is dropped, so call [`LineSplitter::finish`] first to
    /// keep it.
    pub fn rewind(&mut self) {
        self.offset = 0;
        self.partial.clear();
        self.partial_start = 0;
        self.dropped = false;
    }

    /// Feeds bytes; complete lines are pushed to `out`.
    pub fn push(&mut self, mut bytes: &[u8], out: &mut Vec<Line>) {
        while !bytes.is_empty() {
            match memchr::memchr(b'\n', bytes) {
                Some(i) => {
                    self.offset += i as u64 + 1;
                    let line = if self.partial.is_empty() && i <= self.cap {
                        // The whole line is in this read: no copy through `partial`.
                        self.line_of(&bytes[..i])
                    } else {
                        self.take(&bytes[..i]);
                        self.emit()
                    };
                    bytes = &bytes[i + 1..];
                    out.push(line);
                }
                None => {
                    self.take(bytes);
                    self.offset += bytes.len() as u64;
                    bytes = &[];
                }
            }
        }
    }

    /// Ends the stream: a partial last line becomes a line.
    pub fn finish(&mut self, out: &mut Vec<Line>) {
        if !self.partial.is_empty() || self.dropped {
            out.push(self.emit());
        }
    }

    fn take(&mut self, bytes: &[u8]) {
        let room = self.cap.saturating_sub(self.partial.len());
        if bytes.len() > room {
            self.dropped = true;
        }
        self.partial
            .extend_from_slice(&bytes[..bytes.len().min(room)]);
    }

    fn emit(&mut self) -> Line {
        // One exact allocation per line; `partial` keeps its buffer for the next one (taking
        // it left every line in a doubled buffer, about 1.4 times its length).
        let partial = std::mem::take(&mut self.partial);
        let line = self.line_of(&partial);
        self.partial = partial;
        self.partial.clear();
        line
    }

    /// The next line, from its bytes (without the `\n`).
    fn line_of(&mut self, mut raw: &[u8]) -> Line {
        if let [rest @ .., b'\r'] = raw {
            raw = rest;
        }
        let (text, lossy) = match std::str::from_utf8(raw) {
            Ok(s) => (s.to_owned(), false),
            Err(_) => (String::from_utf8_lossy(raw).into_owned(), true),
        };
        let line = Line {
            source: self.source,
            number: self.next_number,
            offset: self.partial_start,
            text,
            truncated: std::mem::take(&mut self.dropped),
            lossy,
        };
        self.next_number += 1;
        self.partial_start = self.offset;
        line
    }
}

/// Reads a whole stream through a [`LineSplitter`], calling `each` per batch of lines.
/// Memory stays bounded by the batch size and the line cap, whatever the stream's size.
pub fn read_all(
    source: u32,
    mut reader: impl BufRead,
    mut each: impl FnMut(&[Line]),
) -> io::Result<u64> {
    let mut splitter = LineSplitter::new(source);
    let mut batch = Vec::new();
    loop {
        let buf = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            break;
        }
        let n = buf.len();
        splitter.push(buf, &mut batch);
        reader.consume(n);
        // Flush after every chunk: a growing pipe shows its lines as they come.
        if !batch.is_empty() {
            each(&batch);
            batch.clear();
        }
    }
    splitter.finish(&mut batch);
    if !batch.is_empty() {
        each(&batch);
    }
    Ok(splitter.offset())
}

/// Bytes asked of the reader per call by default: few syscalls, the same batches of lines as a
/// 256 KiB `BufReader` gives, and one batch stays well within the model's event window.
pub const READ_SIZE: usize = 256 * 1024;

/// Reads a stream as chunks of whole lines, each chunk one owned buffer that can travel to
/// another thread: the fast path of the headless commands. Cuts lines as [`LineSplitter`] does.
#[derive(Debug)]
pub struct ChunkReader<R> {
    reader: R,
    carry: Vec<u8>,
    dropping: bool,
    cap: usize,
    read_size: usize,
    /// Fill each read to `read_size` (or the end of the stream).
    fill: bool,
    done: bool,
    /// Lines cut at the cap since [`ChunkReader::take_cut`] last asked.
    cut: u64,
}

impl<R: Read> ChunkReader<R> {
    /// A reader with the usual line cap.
    pub fn new(reader: R) -> Self {
        Self::with_cap(reader, MAX_LINE)
    }

    /// A reader with another line cap.
    pub fn with_cap(reader: R, cap: usize) -> Self {
        ChunkReader {
            reader,
            carry: Vec::new(),
            dropping: false,
            cap,
            read_size: READ_SIZE,
            fill: false,
            done: false,
            cut: 0,
        }
    }

    /// How many lines were cut at the cap since the last call (each is counted once, when
    /// its cut is made).
    pub fn take_cut(&mut self) -> u64 {
        std::mem::take(&mut self.cut)
    }

    /// Fills each read to the read size, or the end of the stream, before handing lines on:
    /// for a reader that only needs the end result (`summary`). A read then appends into the
    /// buffer's spare capacity (`Read::read_to_end`), which is not zeroed first; a plain `read`
    /// needs an initialised buffer, and zeroing it was 7 % of the reader thread.
    pub fn fill_reads(mut self) -> Self {
        self.fill = true;
        self
    }

    /// Asks the reader for `bytes` per call instead of [`READ_SIZE`] (smaller: less memory in
    /// flight; the batches of lines change, the lines do not).
    pub fn read_size(mut self, bytes: usize) -> Self {
        self.read_size = bytes.max(1);
        self
    }

    /// Fills `chunk` with the next run of whole lines, each ending in `\n` (the stream's last
    /// line gets one when it lacks it; the part of a line beyond the cap is dropped). Returns
    /// `false`, with `chunk` empty, at the end of the stream. Blocks until a line is complete.
    pub fn next_chunk(&mut self, chunk: &mut Vec<u8>) -> io::Result<bool> {
        chunk.clear();
        if self.done {
            return Ok(false);
        }
        chunk.append(&mut self.carry);
        loop {
            let old = chunk.len();
            let n = self.append_read(chunk)?;
            if n == 0 {
                self.done = true;
                if chunk.is_empty() && !self.dropping {
                    return Ok(false);
                }
                chunk.push(b'\n');
                return Ok(true);
            }
            if self.dropping {
                match memchr::memchr(b'\n', &chunk[old..]) {
                    None => {
                        chunk.truncate(old);
                        continue;
                    }
                    Some(i) => {
                        chunk.drain(old..old + i);
                        self.dropping = false;
                    }
                }
            }
            match memchr::memrchr(b'\n', chunk) {
                Some(last) => {
                    self.carry.extend_from_slice(&chunk[last + 1..]);
                    chunk.truncate(last + 1);
                    if self.carry.len() > self.cap {
                        self.carry.truncate(self.cap);
                        self.dropping = true;
                        self.cut += 1;
                    }
                    return Ok(true);
                }
                None if chunk.len() > self.cap => {
                    chunk.truncate(self.cap);
                    self.dropping = true;
                    self.cut += 1;
                }
                None => {}
            }
        }
    }

    /// Appends one read to `chunk` (a filled one with [`ChunkReader::fill_reads`]) and returns
    /// its length; on an error `chunk` is left as it was.
    fn append_read(&mut self, chunk: &mut Vec<u8>) -> io::Result<usize> {
        let old = chunk.len();
        chunk.reserve_exact(self.read_size);
        let read = if self.fill {
            let limit = u64::try_from(self.read_size).unwrap_or(u64::MAX);
            (&mut self.reader).take(limit).read_to_end(chunk)
        } else {
            chunk.resize(old + self.read_size, 0);
            loop {
                match self.reader.read(&mut chunk[old..]) {
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    read => break read,
                }
            }
        };
        match read {
            Ok(n) => {
                chunk.truncate(old + n);
                Ok(n)
            }
            Err(e) => {
                chunk.truncate(old);
                Err(e)
            }
        }
    }
}

/// Byte ranges of the lines of a chunk from [`ChunkReader`], cut as [`LineSplitter`] cuts them:
/// at most `cap` bytes, then one trailing `\r` removed; with each, whether this cut it (a line
/// [`ChunkReader`] cut already is `cap` bytes long here).
fn line_ranges(chunk: &[u8], cap: usize) -> impl Iterator<Item = (Range<usize>, bool)> + '_ {
    let mut start = 0;
    memchr::memchr_iter(b'\n', chunk).map(move |nl| {
        let s = start;
        start = nl + 1;
        let mut end = nl.min(s + cap);
        let cut = end < nl;
        if end > s && chunk[end - 1] == b'\r' {
            end -= 1;
        }
        (s..end, cut)
    })
}

/// A chunk from [`ChunkReader`] made text, with the range of each of its lines in it. The
/// buffer is moved, not copied, when it is valid UTF-8 and no cut fell inside a character;
/// otherwise each line is made valid lossily (U+FFFD), as [`LineSplitter`] does. Lines made
/// valid and lines cut here are counted in `damage` (add [`ChunkReader::take_cut`] for the
/// lines the reader cut).
pub fn chunk_text(
    chunk: Vec<u8>,
    cap: usize,
    lines: &mut Vec<Range<usize>>,
    damage: &mut LineDamage,
) -> String {
    chunk_text_changed(chunk, cap, lines, damage).0
}

/// [`chunk_text`] of a chunk whose every byte is ASCII, without validating it again (the
/// headless reader learns that in the pass that classifies the chunk for the tokenizer,
/// `parse::TextMarks::mark_bytes`, and saves a second pass over every byte).
///
/// # Safety
///
/// Every byte of `chunk` must be below 0x80.
pub unsafe fn chunk_text_ascii(
    chunk: Vec<u8>,
    cap: usize,
    lines: &mut Vec<Range<usize>>,
    damage: &mut LineDamage,
) -> String {
    debug_assert!(chunk.is_ascii());
    fill_line_ranges(&chunk, cap, lines, damage);
    // SAFETY: ASCII is valid UTF-8 (the caller's promise), and every position in an ASCII
    // text is a char boundary, so every line range is too.
    unsafe { String::from_utf8_unchecked(chunk) }
}

/// [`chunk_text`], and whether the text differs from the bytes read (some line was made
/// valid, so the lines moved): a caller that looked at the bytes must look again.
pub fn chunk_text_changed(
    chunk: Vec<u8>,
    cap: usize,
    lines: &mut Vec<Range<usize>>,
    damage: &mut LineDamage,
) -> (String, bool) {
    fill_line_ranges(&chunk, cap, lines, damage);
    let chunk = match String::from_utf8(chunk) {
        Ok(text) if lines.iter().all(|r| text.is_char_boundary(r.end)) => return (text, false),
        Ok(text) => text.into_bytes(),
        Err(e) => e.into_bytes(),
    };
    let mut text = String::with_capacity(chunk.len() + 64);
    for r in lines.iter_mut() {
        let start = text.len();
        let line = String::from_utf8_lossy(&chunk[r.clone()]);
        damage.lossy += u64::from(matches!(line, Cow::Owned(_)));
        text.push_str(&line);
        *r = start..text.len();
        text.push('\n');
    }
    (text, true)
}

/// The ranges of a chunk's lines into `lines` (cleared first), counting the lines cut.
fn fill_line_ranges(
    chunk: &[u8],
    cap: usize,
    lines: &mut Vec<Range<usize>>,
    damage: &mut LineDamage,
) {
    lines.clear();
    for (r, cut) in line_ranges(chunk, cap) {
        damage.cut += u64::from(cut);
        lines.push(r);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(chunks: &[&[u8]], cap: usize) -> Vec<Line> {
        let mut s = LineSplitter::with_cap(3, cap);
        let mut out = Vec::new();
        for c in chunks {
            s.push(c, &mut out);
        }
        s.finish(&mut out);
        out
    }

    /// An ASCII chunk gives the same text, ranges and counts either way; a chunk with a bad
    /// byte is reported changed, a valid non-ASCII one is not.
    #[test]
    fn ascii_chunks_need_no_second_validation() {
        let chunk = b"ab\r\ncdefghij\n\nk=\"v\"\r\n".to_vec();
        let (mut a, mut b) = (Vec::new(), Vec::new());
        let (mut da, mut db) = (LineDamage::default(), LineDamage::default());
        let plain = chunk_text(chunk.clone(), 4, &mut a, &mut da);
        // SAFETY: the chunk is ASCII.
        let fast = unsafe { chunk_text_ascii(chunk, 4, &mut b, &mut db) };
        assert_eq!((plain, a, da), (fast, b, db));
        assert_eq!(db.cut, 2);
        let mut r = Vec::new();
        let mut d = LineDamage::default();
        let (_, changed) = chunk_text_changed("é\n".as_bytes().to_vec(), 100, &mut r, &mut d);
        assert!(!changed);
        let (text, changed) = chunk_text_changed(b"a\xff\n".to_vec(), 100, &mut r, &mut d);
        assert!(changed && text.contains('\u{FFFD}') && d.lossy == 1);
    }

    #[test]
    fn partial_lines_crlf_and_offsets() {
        let out = split(&[b"ab", b"c\r\nde", b"f\n", b"tail"], 100);
        let texts: Vec<_> = out.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["abc", "def", "tail"]);
        let offsets: Vec<_> = out.iter().map(|l| l.offset).collect();
        assert_eq!(offsets, [0, 5, 9]);
        let numbers: Vec<_> = out.iter().map(|l| l.number).collect();
        assert_eq!(numbers, [1, 2, 3]);
        assert!(
            out.iter()
                .all(|l| l.source == 3 && !l.truncated && !l.lossy)
        );
    }

    #[test]
    fn each_line_owns_exactly_its_text() {
        // Whole lines in one read and lines spread over reads alike: no doubled buffers kept
        // for every line of a 1 GiB load.
        let long = "x".repeat(1000);
        let input = format!("{long}\r\nshort\n{long}\n");
        for step in [1, 7, 4096] {
            let mut s = LineSplitter::new(0);
            let mut out = Vec::new();
            for c in input.as_bytes().chunks(step) {
                s.push(c, &mut out);
            }
            let texts: Vec<&str> = out.iter().map(|l| l.text.as_str()).collect();
            assert_eq!(
                texts,
                [long.as_str(), "short", long.as_str()],
                "step {step}"
            );
            for l in &out {
                assert_eq!(l.text.capacity(), l.text.len(), "step {step}");
            }
            assert_eq!(out[2].offset, 1008, "step {step}");
        }
    }

    #[test]
    fn invalid_utf8_is_kept_lossily() {
        let out = split(&[b"ok \xff\xfe end\n"], 100);
        assert_eq!(out[0].text, "ok \u{fffd}\u{fffd} end");
        assert!(out[0].lossy);
    }

    #[test]
    fn giant_lines_are_cut_and_marked() {
        let big = vec![b'x'; 50];
        let out = split(&[&big, &big, b"\nnext\n"], 64);
        assert_eq!(out[0].text.len(), 64);
        assert!(out[0].truncated);
        assert_eq!(out[1].text, "next");
        assert_eq!(out[1].offset, 101);
        assert!(!out[1].truncated);
    }

    #[test]
    fn rewind_restarts_offsets_but_keeps_numbering() {
        let mut s = LineSplitter::new(0);
        let mut out = Vec::new();
        s.push(b"a\nb\npart", &mut out);
        s.finish(&mut out);
        s.rewind();
        s.push(b"c\n", &mut out);
        let got: Vec<_> = out
            .iter()
            .map(|l| (l.number, l.offset, l.text.as_str()))
            .collect();
        assert_eq!(got, [(1, 0, "a"), (2, 2, "b"), (3, 4, "part"), (4, 0, "c")]);
        assert_eq!(s.offset(), 2);
    }

    #[test]
    fn read_all_counts_every_line() {
        let text = (1..=5000)
            .map(|i| format!("line {i}\n"))
            .collect::<String>();
        let mut seen = Vec::new();
        let total = read_all(0, io::BufReader::with_capacity(7, text.as_bytes()), |b| {
            seen.extend(b.iter().map(|l| l.number))
        })
        .unwrap();
        assert_eq!(total, text.len() as u64);
        assert_eq!(seen, (1..=5000).collect::<Vec<u64>>());
    }

    fn chunked(input: &[u8], cap: usize, step: usize) -> Vec<String> {
        chunked_with(input, cap, step, None).0
    }

    /// With `fill`, reads of that size filled to the brim (`ChunkReader::fill_reads`). Also
    /// the lines counted as not UTF-8 and as cut.
    fn chunked_with(
        input: &[u8],
        cap: usize,
        step: usize,
        fill: Option<usize>,
    ) -> (Vec<String>, LineDamage) {
        struct Trickle<'a>(&'a [u8], usize);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = self.0.len().min(self.1).min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut reader = ChunkReader::with_cap(Trickle(input, step), cap);
        if let Some(size) = fill {
            reader = reader.read_size(size).fill_reads();
        }
        let (mut chunk, mut ranges, mut out) = (Vec::new(), Vec::new(), Vec::new());
        let mut damage = LineDamage::default();
        while reader.next_chunk(&mut chunk).unwrap() {
            let text = chunk_text(std::mem::take(&mut chunk), cap, &mut ranges, &mut damage);
            damage.cut += reader.take_cut();
            out.extend(ranges.iter().map(|r| text[r.clone()].to_owned()));
        }
        damage.cut += reader.take_cut();
        (out, damage)
    }

    #[test]
    fn chunk_reader_cuts_lines_as_the_splitter_does() {
        let mut input = Vec::new();
        input.extend_from_slice(b"ab\r\n\r\nx\r\r\n");
        input.extend(vec![b'y'; 150]);
        input.extend_from_slice(b"\nok \xff\xfe end\n\xc3\xa9\xc3\xa9\xc3\xa9\n");
        input.extend_from_slice("é".repeat(40).as_bytes());
        input.extend_from_slice(b"\ntail\r");
        for cap in [5, 64, 100, 1000] {
            let lines = split(&[&input], cap);
            let mut want_damage = LineDamage::default();
            want_damage.count(&lines);
            let want: Vec<String> = lines.into_iter().map(|l| l.text).collect();
            for step in [1, 3, 64, 100_000] {
                let got = chunked_with(&input, cap, step, None);
                assert_eq!(got, (want.clone(), want_damage), "cap {cap} step {step}");
                for size in [1, 7, 64, 4096] {
                    assert_eq!(
                        chunked_with(&input, cap, step, Some(size)),
                        (want.clone(), want_damage),
                        "cap {cap} step {step} filled reads of {size}"
                    );
                }
            }
        }
        // The counts are what they should be, not only equal to the splitter's: one line
        // with invalid UTF-8, and at cap 64 the 150 `y` and the 40 `é` (80 bytes) cut.
        assert_eq!(
            chunked_with(&input, 64, 3, None).1,
            LineDamage { lossy: 1, cut: 2 }
        );
        assert!(chunked(b"", 10, 4).is_empty());
        assert_eq!(chunked(b"a\n", 10, 4), ["a"]);
    }
}
