//! A quick look at a line, for the lines most of a daemon log is made of (gRPC, API calls,
//! snapshotter chatter): the message, the level, whether an `error` field is there and whether
//! the line is damaged, without building an [`Entry`](super::Entry) or copying anything.
//!
//! Pure: a `&str` in, borrowed facts out. It answers only for plain logfmt lines it can read
//! exactly as [`parse_line`](super::parse_line) would; for anything else it says `None`.

use super::Level;
use super::logfmt::{RawToken, Tokens};
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
    let mut g = Glance {
        msg: "",
        level: None,
        has_error: false,
        damaged: false,
        time: None,
        trace_id: None,
    };
    let (mut saw_time, mut saw_level, mut saw_msg) = (false, false, false);
    let mut tokens = Tokens::marked(body, marking);
    while let Some(tok) = tokens.next_raw() {
        let RawToken::Pair {
            key,
            value,
            escaped,
            ..
        } = tok
        else {
            g.damaged = true;
            continue;
        };
        match key {
            "time" if !saw_time => {
                if escaped {
                    return None;
                }
                g.time = Some(value);
                saw_time = true;
            }
            "traceID" if g.trace_id.is_none() => {
                if escaped {
                    return None;
                }
                g.trace_id = Some(value);
            }
            "level" if !saw_level => {
                if escaped {
                    return None;
                }
                g.level = Level::parse(value);
                saw_level = g.level.is_some();
            }
            "msg" if !saw_msg => {
                if escaped || skip(value) {
                    return None;
                }
                g.msg = value;
                saw_msg = true;
            }
            "error" => g.has_error = true,
            _ => {}
        }
    }
    g.damaged |= tokens.damaged;
    (saw_msg || g.level.is_some()).then_some(g)
}
