//! [`LineDamage`]: lines a source had to change to show them (invalid UTF-8 replaced, a line cut
//! at the cap), counted as batches arrive; the header shows the counts.

use crate::source::Line;

/// Lines the sources had to change to show them: counted, and shown in the header.
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
}
