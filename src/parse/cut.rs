//! A plain logfmt line cut into tokens on one thread and made a [`Record`] on another: the
//! reader thread of the headless commands does the byte scanning, the model thread only builds
//! the entry from the offsets. Same result as [`parse_line`](super::parse_line), exactly.
//!
//! Pure: offsets in and out, borrowing from the line.

use super::logfmt::{RawToken, SpanToken, Tokens, entry_of};
use super::scan::Marking;
use super::{Field, Record, repair};

/// One token of a line, as byte offsets from the line's start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cut {
    key: (u32, u32),
    value: (u32, u32),
    /// 0: a pair, 1: a pair whose value holds escapes, 2: a stray word.
    kind: u8,
    /// The caller's number for the field ([`Cut::set_note`]), 0 until set.
    note: u16,
}

impl Cut {
    /// A pair without escapes in its value, as `(key, value, value offset)` in `line` (the
    /// value is then exactly what the entry's field holds, a slice of the line).
    pub fn plain_pair<'l>(&self, line: &'l str) -> Option<(&'l str, &'l str, u32)> {
        if self.kind != 0 {
            return None;
        }
        let key = line.get(self.key.0 as usize..self.key.1 as usize)?;
        let value = line.get(self.value.0 as usize..self.value.1 as usize)?;
        Some((key, value, self.value.0))
    }

    /// The cut of one token of the tokenizer.
    pub(super) fn of_token(tok: &SpanToken) -> Cut {
        // Offsets fit in u32: the callers check the line's length first.
        let span = |(from, to): (usize, usize)| (from as u32, to as u32);
        match *tok {
            SpanToken::Pair {
                key,
                value,
                escaped,
            } => Cut {
                key: span(key),
                value: span(value),
                kind: u8::from(escaped),
                note: 0,
            },
            SpanToken::Stray => Cut {
                key: (0, 0),
                value: (0, 0),
                kind: 2,
                note: 0,
            },
        }
    }

    /// Attaches `note` to this token: the entry built from the cuts has it as the field's
    /// [`Field::note`] (a stray word has no field and keeps none).
    pub fn set_note(&mut self, note: u16) {
        self.note = note;
    }
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
    cut_line_marked(line, Marking::NONE, cuts)
}

/// [`cut_line`] of a line in a marked text ([`TextMarks::at`](super::TextMarks::at) its start).
pub fn cut_line_marked(line: &str, marking: Marking<'_>, cuts: &mut Vec<Cut>) -> Option<CutLine> {
    let body = cuttable(line, marking)?;
    let mut tokens = Tokens::marked(body, marking);
    while let Some(tok) = tokens.next_span() {
        cuts.push(Cut::of_token(&tok));
    }
    Some(CutLine {
        unbalanced: tokens.damaged,
    })
}

/// The part of `line` that is cut into tokens (the line without its terminator), when it can
/// be: it starts right at its logfmt part, needs no markdown repair and is short enough for
/// 32-bit offsets.
pub(super) fn cuttable<'l>(line: &'l str, marking: Marking<'_>) -> Option<&'l str> {
    let body = line.trim_end_matches(['\r', '\n']);
    let cuttable = (body.starts_with("time=") || body.starts_with("level="))
        && !(marking.may_have_links() && repair::needs_repair(body))
        && u32::try_from(body.len()).is_ok();
    cuttable.then_some(body)
}

/// Drops the pairs of `cuts[from..]` (the tokens of `line`) whose key `drop` names, so
/// [`record_from_cuts`] builds the entry without those fields; stray words stay (they mark
/// the line damaged). The headless path drops the fields its model never reads.
/// `drop` sees each pair's key and cut, in line order, and may note the cut it keeps
/// ([`Cut::set_note`]).
pub fn drop_pairs(
    line: &str,
    cuts: &mut Vec<Cut>,
    from: usize,
    mut drop: impl FnMut(&str, &mut Cut) -> bool,
) {
    let mut keep = from;
    for i in from..cuts.len() {
        let Some(c) = cuts.get_mut(i) else {
            break;
        };
        let key = line.get(c.key.0 as usize..c.key.1 as usize).unwrap_or("");
        if c.kind == 2 || !drop(key, c) {
            // Kept: copied down over the first dropped one (a `Cut` is a few words; the
            // dropped ones are cut off below, so nothing needs swapping back).
            let kept = *c;
            if let Some(slot) = cuts.get_mut(keep) {
                *slot = kept;
            }
            keep += 1;
        }
    }
    cuts.truncate(keep);
}

/// The record `parse_line(line)` gives, for a line [`cut_line`] cut into `cuts`.
pub fn record_from_cuts<'a>(line: &'a str, cuts: &[Cut], cut: CutLine) -> Record<'a> {
    record_from_cuts_in(line, cuts, cut, Vec::with_capacity(cuts.len()))
}

/// [`record_from_cuts`] with the entry's fields in `fields` (cleared first): a caller that
/// takes the list back from each entry allocates it once, not once per line.
pub fn record_from_cuts_in<'a>(
    line: &'a str,
    cuts: &[Cut],
    cut: CutLine,
    fields: Vec<Field<'a>>,
) -> Record<'a> {
    let text = |(a, b): (u32, u32)| line.get(a as usize..b as usize).unwrap_or("");
    let tokens = cuts.iter().map(|c| match c.kind {
        2 => RawToken::Stray,
        k => RawToken::Pair {
            key: text(c.key),
            value: text(c.value),
            escaped: k == 1,
            note: c.note,
        },
    });
    match entry_of(tokens, fields) {
        Some(mut e) => {
            e.damaged |= cut.unbalanced;
            Record::Entry(e)
        }
        None => Record::Unparsed(line),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_line;

    /// The notes `drop_pairs` sets come out on the entry's fields, each on its own field;
    /// `parse_line` notes nothing.
    #[test]
    fn notes_set_on_cuts_come_out_on_their_fields() {
        let line = r#"time="2024-01-01T00:00:00Z" level=debug msg="do request" host=a url="http://a/v2/" request.header.accept="*/*" spanID=s"#;
        let mut cuts = Vec::new();
        let cut = cut_line(line, &mut cuts).unwrap();
        drop_pairs(line, &mut cuts, 0, |key, c| {
            c.set_note(key.len() as u16);
            key == "host"
        });
        let Record::Entry(e) = record_from_cuts(line, &cuts, cut) else {
            panic!("not an entry");
        };
        let notes: Vec<(&str, u16)> = e.fields.iter().map(|f| (&*f.key, f.note)).collect();
        assert_eq!(
            notes,
            [("url", 3), ("request.header.accept", 21), ("spanID", 6)]
        );
        let Record::Entry(plain) = parse_line(line) else {
            panic!("not an entry");
        };
        assert!(plain.fields.iter().all(|f| f.note == 0));
    }

    /// Dropping fields gives the entry `parse_line` gives, less exactly those fields; stray
    /// words still mark it damaged.
    #[test]
    fn dropped_pairs_leave_the_rest_as_parsed() {
        let line = r#"time="2024-01-01T00:00:00Z" level=debug msg="fetch response received" response.header.etag="\"sha256:aa\"" stray response.header.x-goog-hash=crc32c=AAA response.header.x-goog-hash.1=md5=BBB response.status="200 OK" url="http://r/v2/x/blobs/sha256:aa""#;
        let mut cuts = vec![Cut {
            key: (0, 0),
            value: (0, 0),
            kind: 0,
            note: 0,
        }];
        let cut = cut_line(line, &mut cuts).unwrap();
        drop_pairs(line, &mut cuts, 1, |k, _| {
            k.starts_with("response.header.") && !k.contains("x-goog-hash")
        });
        // The token before `from` is not touched.
        assert_eq!(cuts[0].kind, 0);
        let Record::Entry(thin) = record_from_cuts(line, &cuts[1..], cut) else {
            panic!("not an entry");
        };
        let Record::Entry(mut full) = parse_line(line) else {
            panic!("not an entry");
        };
        full.fields.retain(|f| f.key != "response.header.etag");
        assert_eq!(thin, full);
        assert!(thin.damaged);
        let keys: Vec<&str> = thin.fields.iter().map(|f| f.key.as_ref()).collect();
        assert_eq!(
            keys,
            [
                "response.header.x-goog-hash",
                "response.header.x-goog-hash.1",
                "response.status",
                "url"
            ]
        );
    }
}
