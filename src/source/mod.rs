//! Bytes in: where log lines come from (files, stdin, `docker logs -f`), numbered and ready for
//! the parser.
//!
//! Knows no parsing, model or terminal. A line keeps its source index, 1-based number and byte
//! offset so any later view can point back at it.

pub mod lines;

/// One line of a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// Index of the source (0 for the first named on the command line).
    pub source: u32,
    /// 1-based line number within the source.
    pub number: u64,
    /// Byte offset of the line's start within the source.
    pub offset: u64,
    /// The text, invalid UTF-8 replaced (U+FFFD), without its terminator.
    pub text: String,
    /// True when the line was longer than the cap and was cut.
    pub truncated: bool,
    /// True when the line held invalid UTF-8.
    pub lossy: bool,
}
