//! A plain logfmt line cut into tokens on one thread and made a [`Record`] on another: the
//! reader thread of the headless commands does the byte scanning, the model thread only builds
//! the entry from the offsets. Same result as [`parse_line`](super::parse_line), exactly.
//!
//! Pure: offsets in and out, borrowing from the line.

use super::logfmt::{RawToken, Tokens, entry_of};
use super::{Record, repair};

/// One token of a line, as byte offsets from the line's start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cut {
    key: (u32, u32),
    value: (u32, u32),
    /// 0: a pair, 1: a pair whose value holds escapes, 2: a stray word.
    kind: u8,
}

/// What [`cut_line`] found besides the tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CutLine {
    /// A quoted value ran unbalanced: the entry is damaged.
    pub unbalanced: bool,
}

/// Cuts a line that starts right at its logfmt part (`time=` or `level=`, no prefix, no pasted
/// markdown link) into tokens appended to `cuts`; `None` for any other line (and for lines too
/// long for 32-bit offsets), which must go through `parse_line`.
pub fn cut_line(line: &str, cuts: &mut Vec<Cut>) -> Option<CutLine> {
    let body = line.trim_end_matches(['\r', '\n']);
    if !(body.starts_with("time=") || body.starts_with("level="))
        || repair::needs_repair(body)
        || u32::try_from(body.len()).is_err()
    {
        return None;
    }
    let base = body.as_ptr() as usize;
    let off = |s: &str| (s.as_ptr() as usize - base) as u32;
    let span = |s: &str| (off(s), off(s) + s.len() as u32);
    let mut tokens = Tokens::new(body);
    while let Some(tok) = tokens.next_raw() {
        cuts.push(match tok {
            RawToken::Pair {
                key,
                value,
                escaped,
            } => Cut {
                key: span(key),
                value: span(value),
                kind: u8::from(escaped),
            },
            RawToken::Stray => Cut {
                key: (0, 0),
                value: (0, 0),
                kind: 2,
            },
        });
    }
    Some(CutLine {
        unbalanced: tokens.damaged,
    })
}

/// The record `parse_line(line)` gives, for a line [`cut_line`] cut into `cuts`.
pub fn record_from_cuts<'a>(line: &'a str, cuts: &[Cut], cut: CutLine) -> Record<'a> {
    let text = |(a, b): (u32, u32)| line.get(a as usize..b as usize).unwrap_or("");
    let tokens = cuts.iter().map(|c| match c.kind {
        2 => RawToken::Stray,
        k => RawToken::Pair {
            key: text(c.key),
            value: text(c.value),
            escaped: k == 1,
        },
    });
    match entry_of(tokens, cuts.len()) {
        Some(mut e) => {
            e.damaged |= cut.unbalanced;
            Record::Entry(e)
        }
        None => Record::Unparsed(line),
    }
}
