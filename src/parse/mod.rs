//! Turns one log line into one [`Record`]: logrus text (`key=value`), TTY (`DEBU[…] msg  k=v`) or
//! JSON, behind whatever prefix the log picked up on its way (docker `-t`, journald, kubectl,
//! CI step timestamps, `cat -n`).
//!
//! Pure: a `&str` in, a record borrowing from it out. Never fails: what is not a log entry comes
//! back as [`Record::Unparsed`] so it can be kept, counted and shown. Knows no files or terminals.

mod cut;
mod fields;
mod glance;
mod json;
mod logfmt;
mod prefix;
mod repair;
mod scan;
mod tty;

#[cfg(test)]
mod tests;

use std::borrow::Cow;

pub use cut::{
    Cut, CutLine, cut_line, cut_line_marked, drop_pairs, record_from_cuts, record_from_cuts_in,
};
pub use fields::{Level, Timestamp, days_from_civil, parse_rfc3339};
pub use glance::{Glance, cut_glancing, glance, glance_unless};
pub use logfmt::unquote_go;
pub use scan::{Marking, TextMarks};

/// Which logrus formatter wrote a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// `time="…" level=debug msg="…" k=v` (non-TTY text formatter).
    Logfmt,
    /// `DEBU[…] msg   k=v` (TTY text formatter, colours optional).
    Tty,
    /// `{"level":"debug","msg":"…",…}` (`--log-format json`).
    Json,
}

/// One `key=value` pair of a log entry, in the order the line has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field<'a> {
    /// The field name, dotted as logrus writes it (`response.header.x-goog-hash.1`).
    pub key: Cow<'a, str>,
    /// The value with Go quoting undone.
    pub value: Cow<'a, str>,
    /// A number the caller attached to this field's token before the entry was built
    /// ([`Cut::set_note`]); 0 when none (every line [`parse_line`] parses). The parser gives it
    /// no meaning: the headless reader notes which field the model will want, so the model
    /// finds it by number instead of by name (`model/note.rs`).
    pub note: u16,
}

/// A parsed log entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry<'a> {
    /// The formatter that wrote it.
    pub format: Format,
    /// The entry's own time, else the time of a prefix (`docker logs -t`, CI step), as written.
    pub time: Option<Cow<'a, str>>,
    /// The logrus level, when the line says it.
    pub level: Option<Level>,
    /// The message (`msg=`).
    pub msg: Cow<'a, str>,
    /// Every other field, in line order; repeated keys are kept.
    pub fields: Vec<Field<'a>>,
    /// True when the line was damaged (an unbalanced quote, a wrapped tail) and was parsed as far as it goes.
    pub damaged: bool,
}

/// What one line of a log is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record<'a> {
    /// A log entry from one of the logrus formatters.
    Entry(Entry<'a>),
    /// Anything else (a Go panic, a stack trace, plain text): kept as it is.
    Unparsed(&'a str),
}

impl<'a> Entry<'a> {
    /// The first value of `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|f| f.key == key)
            .map(|f| f.value.as_ref())
    }

    /// The span id (`spanID=`), when BuildKit tagged the line with one.
    pub fn span_id(&self) -> Option<&str> {
        self.get("spanID")
    }

    /// The trace id (`traceID=`).
    pub fn trace_id(&self) -> Option<&str> {
        self.get("traceID")
    }

    /// The parsed time, when the line has one in RFC 3339.
    pub fn timestamp(&self) -> Option<Timestamp> {
        self.time.as_deref().and_then(parse_rfc3339)
    }

    /// Copies every borrowed string, so the entry outlives its line.
    pub fn into_owned(self) -> Entry<'static> {
        Entry {
            format: self.format,
            time: self.time.map(|t| Cow::Owned(t.into_owned())),
            level: self.level,
            msg: Cow::Owned(self.msg.into_owned()),
            fields: self
                .fields
                .into_iter()
                .map(|f| Field {
                    key: Cow::Owned(f.key.into_owned()),
                    value: Cow::Owned(f.value.into_owned()),
                    note: f.note,
                })
                .collect(),
            damaged: self.damaged,
        }
    }
}

impl<'a> Record<'a> {
    /// The entry, when the line was one.
    pub fn entry(&self) -> Option<&Entry<'a>> {
        match self {
            Record::Entry(e) => Some(e),
            Record::Unparsed(_) => None,
        }
    }
}

/// Parses one line (without its line terminator).
pub fn parse_line(line: &str) -> Record<'_> {
    let trimmed = line.trim_end_matches(['\r', '\n']);
    // A link GitHub injected into a pasted log is undone, and the line counted damaged.
    if let Some(fixed) = repair::needs_repair(trimmed)
        .then(|| repair::unlink_markdown(trimmed))
        .flatten()
    {
        return match parse_body(&fixed) {
            Some(mut e) => {
                e.damaged = true;
                Record::Entry(e.into_owned())
            }
            None => Record::Unparsed(line),
        };
    }
    match parse_body(trimmed) {
        Some(e) => Record::Entry(e),
        None => Record::Unparsed(line),
    }
}

fn parse_body(line: &str) -> Option<Entry<'_>> {
    let (prefix_time, body) = prefix::strip(line);
    let mut entry = if body.starts_with('{') {
        json::parse(body)?
    } else if let Some(e) = tty::parse(body) {
        e
    } else {
        logfmt::parse(body)?
    };
    if entry.time.is_none() {
        entry.time = prefix_time.map(Cow::Borrowed);
    }
    Some(entry)
}
