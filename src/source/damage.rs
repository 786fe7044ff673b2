//! [`LineDamage`]: lines a source had to change to show them (invalid UTF-8 replaced, a line cut
//! at the cap), counted as batches arrive: the explorer's header shows the counts, `summary`
//! reports them (`not_utf8`, `cut`).

use super::Line;

/// Lines the sources had to change to show them: counted, and shown (the explorer's header,
/// `summary`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LineDamage {
    /// Lines with invalid UTF-8, shown with U+FFFD in its place.
    pub lossy: u64,
    /// Lines longer than the cap, kept up to it and marked `[cut]`.
    pub cut: u64,
}

impl LineDamage {
    /// Counts the damaged lines of a batch.
    pub fn count(&mut self, lines: &[Line]) {
        for l in lines {
            self.lossy += u64::from(l.lossy);
            self.cut += u64::from(l.truncated);
        }
    }

    /// Adds counts made elsewhere (another chunk, another source).
    pub fn add(&mut self, other: LineDamage) {
        self.lossy += other.lossy;
        self.cut += other.cut;
    }
}
