//! The raw lines the Raw view and the detail pane show: numbered per source, with the few parsed
//! facts the views filter on (level, trace, kind).
//!
//! Held in memory as read; [`RawLine::text`] redacts on the way out (only the lines shown pay
//! for it), and the views make it inert when drawn.

use std::borrow::Cow;

use crate::model::fetch::{
    MSG_DO_REQUEST, MSG_FETCH_FAILED, MSG_RESOLVING, MSG_RESPONSE, MSG_TOKEN_FAILED,
    MSG_TRYING_NEXT, MSG_UNAUTHORIZED,
};
use crate::model::redact;
use crate::parse::{Level, Record, Timestamp};
use crate::source::Line;

/// What a line is, for the Raw view's "registry lines only" toggle and its colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// `do request`.
    Request,
    /// `fetch response received`.
    Response,
    /// Other resolver lines (`resolving`, `trying next host`, `Unauthorized`, token failures).
    Resolver,
    /// Any other log entry.
    Other,
    /// Not a log entry (a panic, plain text).
    Unparsed,
}

impl LineKind {
    /// True for lines about registry traffic.
    pub fn is_registry(self) -> bool {
        matches!(
            self,
            LineKind::Request | LineKind::Response | LineKind::Resolver
        )
    }
}

/// One stored line.
#[derive(Debug, Clone)]
pub struct RawLine {
    /// Source index.
    pub source: u32,
    /// 1-based number in its source.
    pub number: u64,
    /// Level, when the line is an entry that says it.
    pub level: Option<Level>,
    /// Time, when the line has one.
    pub time: Option<Timestamp>,
    /// `traceID`.
    pub trace: Option<String>,
    /// What the line is.
    pub kind: LineKind,
    /// The text as read; shown only through [`RawLine::text`].
    raw: String,
    /// Redact when shown (off with `--no-redact`).
    redact: bool,
    /// The source cut the line at its cap.
    pub truncated: bool,
}

impl RawLine {
    /// The text to show, match or export: secrets redacted (unless the user opted out), not
    /// yet made inert. Redaction runs here, on the few lines shown, not on every line read.
    pub fn text(&self) -> Cow<'_, str> {
        if self.redact {
            redact::text(&self.raw)
        } else {
            Cow::Borrowed(&self.raw)
        }
    }
}

/// All lines, in arrival order, with an index per source.
#[derive(Debug, Default)]
pub struct LineStore {
    lines: Vec<RawLine>,
    by_source: Vec<Vec<usize>>,
}

impl LineStore {
    /// Stores a line with the facts of its parsed record; returns its index.
    pub fn push(&mut self, line: &Line, rec: &Record<'_>, redact_on: bool) -> usize {
        let (level, time, trace, kind) = match rec {
            Record::Entry(e) => {
                let kind = match e.msg.as_ref() {
                    MSG_DO_REQUEST => LineKind::Request,
                    MSG_RESPONSE => LineKind::Response,
                    MSG_RESOLVING | MSG_UNAUTHORIZED | MSG_TOKEN_FAILED | "resolved" | "fetch" => {
                        LineKind::Resolver
                    }
                    m if m.starts_with(MSG_TRYING_NEXT) || m.starts_with(MSG_FETCH_FAILED) => {
                        LineKind::Resolver
                    }
                    _ => LineKind::Other,
                };
                (
                    e.level,
                    e.timestamp(),
                    e.trace_id().map(str::to_owned),
                    kind,
                )
            }
            Record::Unparsed(_) => (None, None, None, LineKind::Unparsed),
        };
        let idx = self.lines.len();
        self.lines.push(RawLine {
            source: line.source,
            number: line.number,
            level,
            time,
            trace,
            kind,
            raw: line.text.clone(),
            redact: redact_on,
            truncated: line.truncated,
        });
        let src = line.source as usize;
        if self.by_source.len() <= src {
            self.by_source.resize_with(src + 1, Vec::new);
        }
        let list = &mut self.by_source[src];
        // Numbers grow by one per line; a gap (never expected) is filled so lookups stay O(1).
        let slot = usize::try_from(line.number.saturating_sub(1)).unwrap_or(usize::MAX);
        if slot >= list.len() && slot < list.len() + 1_000_000 {
            list.resize(slot, usize::MAX);
            list.push(idx);
        }
        idx
    }

    /// A line by index.
    pub fn get(&self, idx: usize) -> Option<&RawLine> {
        self.lines.get(idx)
    }

    /// A line by source and 1-based number.
    pub fn find(&self, source: u32, number: u64) -> Option<&RawLine> {
        let slot = usize::try_from(number.checked_sub(1)?).ok()?;
        let idx = *self.by_source.get(source as usize)?.get(slot)?;
        self.lines.get(idx)
    }

    /// Number of lines.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// True when no line arrived yet.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The newest time seen on any line ("ago" columns count from it, not from the clock).
    pub fn last_time(&self) -> Option<Timestamp> {
        self.lines.iter().rev().take(64).find_map(|l| l.time)
    }
}
