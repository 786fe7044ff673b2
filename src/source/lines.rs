//! Bytes → lines: the partial last line is held until its end arrives, CRLF is accepted, invalid
//! UTF-8 is kept lossily (and counted), and a giant line is cut at a cap and marked.
//!
//! Pure: a byte buffer in, [`Line`]s out; the readers around it do the I/O.

use std::io::{self, BufRead};

use super::Line;

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
                    self.take(&bytes[..i]);
                    self.offset += i as u64 + 1;
                    bytes = &bytes[i + 1..];
                    out.push(self.emit());
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
        let mut raw = std::mem::take(&mut self.partial);
        if raw.last() == Some(&b'\r') {
            raw.pop();
        }
        let (text, lossy) = match String::from_utf8(raw) {
            Ok(s) => (s, false),
            Err(e) => (String::from_utf8_lossy(e.as_bytes()).into_owned(), true),
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
}
