//! One spool segment's bytes: the text of its lines, each followed by `\n`, appended in order.
//!
//! Backed by a file the app owns (created with `create_new`, mode 0600 because text is kept
//! before redaction, and unlinked at once so it never outlives the process), or by memory when
//! no spool directory was given (tests, `App::from_log`) or the file cannot be created.
//! Appends collect in a buffer of [`FLUSH_AT`] bytes written with one `pwrite`; reads of bytes
//! still in that buffer are served from it. A failed write loses those bytes only: their range
//! is remembered and reads of it fail with the write's error, later writes carry on.

use std::fs::{File, OpenOptions};
use std::io;
use std::ops::Range;
use std::os::unix::fs::{FileExt, OpenOptionsExt};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// Appended bytes are written to the file once this many have collected.
pub(super) const FLUSH_AT: usize = 1 << 20;

/// Where the flushed bytes are.
#[derive(Debug)]
enum Backing {
    File(File),
    Memory(Vec<u8>),
}

/// The bytes of one segment.
#[derive(Debug)]
pub(super) struct Spool {
    backing: Backing,
    pending: Vec<u8>,
    flushed: u64,
    lost: Vec<Range<u64>>,
    lost_why: String,
}

impl Spool {
    /// A spool in memory.
    pub(super) fn memory() -> Spool {
        Spool::with(Backing::Memory(Vec::new()))
    }

    /// A spool file in `dir`, or in memory with the reason when it cannot be created.
    pub(super) fn create(dir: Option<&Path>) -> (Spool, Option<String>) {
        let Some(dir) = dir else {
            return (Spool::memory(), None);
        };
        match create_unlinked(dir) {
            Ok(f) => (Spool::with(Backing::File(f)), None),
            Err(e) => (
                Spool::memory(),
                Some(format!(
                    "cannot create a spool file in '{}': {e}; keeping line text in memory",
                    dir.display()
                )),
            ),
        }
    }

    /// A spool on a read-only file holding `text` as a failed write left it (tests of lost
    /// text).
    #[cfg(test)]
    pub(super) fn read_only_for_test(path: &Path, text: &str) -> Spool {
        let mut s = Spool::with(Backing::File(File::open(path).expect("test file")));
        s.pending.extend_from_slice(text.as_bytes());
        s.flush();
        s
    }

    fn with(backing: Backing) -> Spool {
        Spool {
            backing,
            pending: Vec::new(),
            flushed: 0,
            lost: Vec::new(),
            lost_why: String::new(),
        }
    }

    /// Bytes appended so far.
    pub(super) fn len(&self) -> u64 {
        self.flushed + self.pending.len() as u64
    }

    /// True when the text lives in a file.
    #[cfg(test)]
    pub(super) fn is_file(&self) -> bool {
        matches!(self.backing, Backing::File(_))
    }

    /// Appends `text` and a newline; returns where `text` starts.
    pub(super) fn append(&mut self, text: &[u8]) -> u64 {
        let at = self.len();
        if self.pending.capacity() == 0 {
            // Exactly what one flush collects (doubling from empty ended at 2 MiB).
            self.pending.reserve_exact(FLUSH_AT + (64 << 10));
        }
        self.pending.extend_from_slice(text);
        self.pending.push(b'\n');
        if self.pending.len() >= FLUSH_AT {
            self.flush();
        }
        at
    }

    /// Writes the collected bytes to the backing.
    pub(super) fn flush(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let start = self.flushed;
        let end = start + self.pending.len() as u64;
        match &mut self.backing {
            Backing::Memory(m) => m.extend_from_slice(&self.pending),
            Backing::File(f) => {
                if let Err(e) = f.write_all_at(&self.pending, start) {
                    self.lost_why = format!("spool write failed: {e}");
                    match self.lost.last_mut() {
                        Some(r) if r.end == start => r.end = end,
                        _ => self.lost.push(start..end),
                    }
                }
            }
        }
        self.flushed = end;
        self.pending.clear();
        if self.pending.capacity() > 2 * FLUSH_AT {
            self.pending.shrink_to(FLUSH_AT);
        }
    }

    /// Flushes and lets go of the append buffer: the segment is full and takes no more lines
    /// (each sealed segment kept its 1-2 MiB buffer before: 8 MiB on a 1 GiB load).
    pub(super) fn seal(&mut self) {
        self.flush();
        self.pending = Vec::new();
    }

    /// Puts bytes `range` into `out` (replacing what it held). Never panics: a range past the
    /// end, a lost write or a read error is an `Err` with a short reason.
    pub(super) fn read(&self, range: Range<u64>, out: &mut Vec<u8>) -> Result<(), String> {
        out.clear();
        if range.start > range.end || range.end > self.len() {
            return Err("beyond the spool".to_owned());
        }
        if self
            .lost
            .iter()
            .any(|l| l.start < range.end && range.start < l.end)
        {
            return Err(self.lost_why.clone());
        }
        let file_end = range.end.min(self.flushed);
        if range.start < file_end {
            let n = usize::try_from(file_end - range.start).map_err(|e| e.to_string())?;
            match &self.backing {
                Backing::Memory(m) => {
                    let s = usize::try_from(range.start).map_err(|e| e.to_string())?;
                    out.extend_from_slice(m.get(s..s + n).ok_or("beyond the spool")?);
                }
                Backing::File(f) => {
                    out.resize(n, 0);
                    f.read_exact_at(out, range.start)
                        .map_err(|e| format!("spool read failed: {e}"))?;
                }
            }
        }
        if range.end > self.flushed {
            let s = usize::try_from(range.start.saturating_sub(self.flushed))
                .map_err(|e| e.to_string())?;
            let e = usize::try_from(range.end - self.flushed).map_err(|e| e.to_string())?;
            out.extend_from_slice(self.pending.get(s..e).ok_or("beyond the spool")?);
        }
        Ok(())
    }
}

/// Creates a file only this process can read, and unlinks it: the open handle is all that is
/// left of it, so the text goes when the process does, however it ends.
fn create_unlinked(dir: &Path) -> io::Result<File> {
    static SEQ: AtomicU64 = AtomicU64::new(0);
    let mut last = io::Error::other("no name tried");
    for _ in 0..8 {
        let n = SEQ.fetch_add(1, Ordering::Relaxed);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let path = dir.join(format!(
            ".bkscope-spool-{}-{n}-{nanos:08x}",
            std::process::id()
        ));
        match OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)
        {
            Ok(f) => {
                std::fs::remove_file(&path)?;
                return Ok(f);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = e,
            Err(e) => return Err(e),
        }
    }
    Err(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &Spool, r: Range<u64>) -> Result<String, String> {
        let mut out = Vec::new();
        s.read(r, &mut out)?;
        Ok(String::from_utf8(out).unwrap())
    }

    #[test]
    fn file_spool_reads_back_flushed_and_pending_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let (mut s, warn) = Spool::create(Some(dir.path()));
        assert!(warn.is_none() && s.is_file());
        // Unlinked at once: nothing is left in the directory.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        let a = s.append(b"first line");
        let big = vec![b'x'; FLUSH_AT];
        let b = s.append(&big);
        let c = s.append(b"still pending");
        assert_eq!(text(&s, a..a + 10).unwrap(), "first line");
        assert_eq!(text(&s, b..b + 3).unwrap(), "xxx");
        assert_eq!(text(&s, c..c + 13).unwrap(), "still pending");
        // A range across the flushed end and the pending buffer.
        assert_eq!(text(&s, c - 2..c + 5).unwrap(), "x\nstill");
        assert!(text(&s, c..c + 100).is_err());
    }

    #[test]
    fn spool_file_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let f = create_unlinked(dir.path()).unwrap();
        assert_eq!(f.metadata().unwrap().permissions().mode() & 0o777, 0o600);
    }

    #[test]
    fn a_missing_directory_falls_back_to_memory_and_says_so() {
        let (mut s, warn) = Spool::create(Some(Path::new("/nonexistent/bkscope")));
        assert!(!s.is_file());
        assert!(warn.unwrap().contains("keeping line text in memory"));
        let a = s.append(b"kept");
        s.flush();
        assert_eq!(text(&s, a..a + 4).unwrap(), "kept");
    }

    #[test]
    fn a_failed_write_loses_only_its_range() {
        // A read-only handle: every write fails.
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("ro");
        std::fs::write(&p, b"").unwrap();
        let mut s = Spool::with(Backing::File(File::open(&p).unwrap()));
        let a = s.append(b"lost");
        s.flush();
        let err = text(&s, a..a + 4).unwrap_err();
        assert!(err.starts_with("spool write failed"), "{err}");
        let b = s.append(b"pending is fine");
        assert_eq!(text(&s, b..b + 15).unwrap(), "pending is fine");
    }
}
