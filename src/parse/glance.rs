//! A quick look at a line, for the lines most of a daemon log is made of (gRPC, API calls,
//! snapshotter chatter): the message, the level, whether an `error` field is there and whether
//! the line is damaged, without building an [`Entry`](super::Entry) or copying anything.
//!
//! Pure: a `&str` in, borrowed facts out. It answers only for plain logfmt lines it can read
//! exactly as [`parse_line`](super::parse_line) would; for anything else it says `None`.

use super::Level;
use super::cut::{self, Cut, CutLine};
use super::logfmt::{RawToken, SpanToken, Tokens};
use super::repair;
use super::scan::Marking;

/// What [`glance`] saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Glance<'a> {
    /// The message, exactly as `parse_line` would give it.
    pub msg: &'a str,
    /// The level.
    pub level: Option<Level>,
    /// True when the entry has a field named `error`.
    pub has_error: bool,
    /// True when the line is damaged.
    pub damaged: bool,
    /// The `time` value, as `Entry::time` holds it.
    pub time: Option<&'a str>,
    /// The first `traceID` value, as `Entry::trace_id` gives it.
    pub trace_id: Option<&'a str>,
}

/// Looks at a line (without its terminator). `Some` promises that `parse_line(line)` is a
/// [`Record::Entry`](super::Record::Entry) with this msg, level, damaged flag and `error` presence.
pub fn glance(line: &str) -> Option<Glance<'_>> {
    glance_unless(line, Marking::NONE, |_| false)
}

/// [`glance`], except that it gives up (`None`) as soon as the line's msg is one `skip`
/// accepts: the fast paths stop reading a registry line there, since it goes to the model
/// whole anyway. `marking` gives the line's marks when it lies in a marked text
/// ([`TextMarks::at`](super::TextMarks::at) its start), else it is [`Marking::NONE`].
pub fn glance_unless<'a>(
    line: &'a str,
    marking: Marking<'a>,
    skip: impl Fn(&str) -> bool,
) -> Option<Glance<'a>> {
    let body = line.trim_end_matches(['\r', '\n']);
    // Only lines that start right at the logfmt part: no prefix, TTY or JSON form to undo.
    if !(body.starts_with("time=") || body.starts_with("level="))
        || (marking.may_have_links() && repair::needs_repair(body))
    {
        return None;
    }
    let mut seen = Seen::default();
    let mut tokens = Tokens::marked(body, marking);
    while let Some(tok) = tokens.next_raw() {
        match tok {
            RawToken::Pair {
                key,
                value,
                escaped,
                ..
            } => {
                if !seen.pair(key, value, escaped, &skip) {
                    return None;
                }
            }
            RawToken::Stray => seen.g.damaged = true,
        }
    }
    seen.finish(tokens.damaged)
}

/// [`cut_line_marked`](super::cut_line_marked) and [`glance_unless`] in one pass over the
/// line: the cuts are appended to `cuts` as `cut_line_marked` makes them, and the glance comes
/// with them when `glance_unless` would give one. The headless reader glanced at every line and
/// then cut the registry lines from their start again; now a line is read once. `None` when
/// the line cannot be cut (`cut_line_marked` says `None`; nothing is appended).
pub fn cut_glancing<'a>(
    line: &'a str,
    marking: Marking<'a>,
    skip: impl Fn(&str) -> bool,
    cuts: &mut Vec<Cut>,
) -> Option<(CutLine, Option<Glance<'a>>)> {
    let body = cut::cuttable(line, marking)?;
    let mut seen = Some(Seen::default());
    let mut tokens = Tokens::marked(body, marking);
    while let Some(tok) = tokens.next_span() {
        if let Some(s) = &mut seen {
            match tok {
                SpanToken::Pair {
                    key,
                    value,
                    escaped,
                } => {
                    let text = |(from, to): (usize, usize)| body.get(from..to).unwrap_or("");
                    if !s.pair(text(key), text(value), escaped, &skip) {
                        seen = None;
                    }
                }
                SpanToken::Stray => s.g.damaged = true,
            }
        }
        cuts.push(Cut::of_token(&tok));
    }
    let cut = CutLine {
        unbalanced: tokens.damaged,
    };
    Some((cut, seen.and_then(|s| s.finish(tokens.damaged))))
}

/// What a glance has seen so far.
struct Seen<'a> {
    g: Glance<'a>,
    saw_time: bool,
    saw_level: bool,
    saw_msg: bool,
}

impl Default for Seen<'_> {
    fn default() -> Self {
        Seen {
            g: Glance {
                msg: "",
                level: None,
                has_error: false,
                damaged: false,
                time: None,
                trace_id: None,
            },
            saw_time: false,
            saw_level: false,
            saw_msg: false,
        }
    }
}

impl<'a> Seen<'a> {
    /// Notes one pair; false when the glance cannot answer for the line: an escaped time,
    /// level, msg or first traceID (`parse_line` unquotes those), or a msg `skip` accepts.
    fn pair(
        &mut self,
        key: &'a str,
        value: &'a str,
        escaped: bool,
        skip: &impl Fn(&str) -> bool,
    ) -> bool {
        let g = &mut self.g;
        match key {
            "time" if !self.saw_time => {
                if escaped {
                    return false;
                }
                g.time = Some(value);
                self.saw_time = true;
            }
            "traceID" if g.trace_id.is_none() => {
                if escaped {
                    return false;
                }
                g.trace_id = Some(value);
            }
            "level" if !self.saw_level => {
                if escaped {
                    return false;
                }
                g.level = Level::parse(value);
                self.saw_level = g.level.is_some();
            }
            "msg" if !self.saw_msg => {
                if escaped || skip(value) {
                    return false;
                }
                g.msg = value;
                self.saw_msg = true;
            }
            "error" => g.has_error = true,
            _ => {}
        }
        true
    }

    /// The glance, once every token was seen (`damaged`: the tokenizer met an unbalanced
    /// quote).
    fn finish(self, damaged: bool) -> Option<Glance<'a>> {
        let mut g = self.g;
        g.damaged |= damaged;
        (self.saw_msg || g.level.is_some()).then_some(g)
    }
}
