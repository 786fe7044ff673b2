//! The raw lines the Raw view and the detail pane show: numbered per source, with the few parsed
//! facts the views filter on (level, trace, kind), and their text kept out of memory.
//!
//! Decisions:
//! - Memory holds 20 bytes per line (`Rec`: where its text is, level, kind, trace and fetch
//!   event as small integers); numbers come from per-source runs and trace ids are interned
//!   (`index.rs`). The text is read back on demand, only for the lines a view shows, the
//!   detail pane, search and filter matching, and exports. [`RawLine::text`] redacts on the way
//!   out and the views make it inert when drawn.
//! - The text goes to a spool the app owns, not to offsets in the followed file: a followed
//!   file is truncated, rotated or deleted under us, and `docker logs` and stdin cannot be read
//!   twice; a spool keeps every kept line readable whatever happens to its source, for one
//!   buffered write per megabyte. Spool files are created with `create_new`, mode 0600 (the
//!   text is kept before redaction) and unlinked at once, in the directory the command line
//!   resolved (`$TMPDIR`, else `/var/tmp`: disk, not the tmpfs of `$XDG_RUNTIME_DIR`, which
//!   would hold the whole text in RAM again). Without a directory, or when a file cannot be
//!   created, the text stays in memory (tests, and a status message says so).
//! - Retention: at most `max_lines` lines are kept ([`DEFAULT_MAX_LINES`] unless
//!   `--max-lines`). Lines live in segments of an eighth of that; when the cap is passed the
//!   oldest segment is dropped whole, its spool file closed (so its disk space goes too).
//!   Positions (`seq`) are never reused: a view holding one of a dropped line gets `None`.
//! - Reading never panics: a failed read or a lost write gives an inert placeholder text,
//!   `[line unavailable: …]`.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::path::PathBuf;

use crate::model::fetch::{
    MSG_DO_REQUEST, MSG_FETCH_FAILED, MSG_RESOLVING, MSG_RESPONSE, MSG_TOKEN_FAILED,
    MSG_TRYING_NEXT, MSG_UNAUTHORIZED,
};
use crate::model::redact;
use crate::parse::{Level, Record, Timestamp};
use crate::source::Line;

mod index;
mod reader;
mod rec;
mod spool;
#[cfg(test)]
mod tests;

use index::{Numbers, TraceIds};
pub use reader::Reader;
use rec::Rec;
use spool::Spool;

/// Lines kept when `--max-lines` is not given: about 1.7 GB of BuildKit debug log, 100 MB of
/// line records.
pub const DEFAULT_MAX_LINES: usize = 5_000_000;

/// Spool segments at most this long, so offsets in a segment fit 32 bits.
const SEGMENT_BYTES: u64 = 1 << 31;

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

/// One stored line, as read back.
#[derive(Debug, Clone)]
pub struct RawLine<'a> {
    /// Source index.
    pub source: u32,
    /// 1-based number in its source.
    pub number: u64,
    /// Level, when the line is an entry that says it.
    pub level: Option<Level>,
    /// `traceID`.
    pub trace: Option<Cow<'a, str>>,
    /// What the line is.
    pub kind: LineKind,
    /// The source cut the line at its cap.
    pub truncated: bool,
    /// The text as read; shown only through [`RawLine::text`].
    raw: Cow<'a, str>,
    /// Redact when shown (off with `--no-redact`).
    redact: bool,
}

impl RawLine<'_> {
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

/// How a store is set up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreOptions {
    /// Most lines kept; older ones are dropped.
    pub max_lines: usize,
    /// Where spool files go; `None` keeps the text in memory.
    pub spool_dir: Option<PathBuf>,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            max_lines: DEFAULT_MAX_LINES,
            spool_dir: None,
        }
    }
}

/// Lines `first..first + recs.len()` and their text.
#[derive(Debug)]
struct Segment {
    first: usize,
    recs: Vec<Rec>,
    spool: Spool,
}

/// All kept lines, in arrival order, addressed by a position (`seq`) that is never reused.
#[derive(Debug, Default)]
pub struct LineStore {
    opts: StoreOptions,
    segments: VecDeque<Segment>,
    numbers: Numbers,
    traces: TraceIds,
    /// Position of the oldest kept line (= lines dropped so far).
    first: usize,
    /// Position the next line gets (= lines stored so far).
    end: usize,
    redact: bool,
    last_time: Option<Timestamp>,
    /// The earliest and the latest time seen on any line read (dropped lines' too).
    time_range: Option<(Timestamp, Timestamp)>,
    /// Per source (by index): whether any of its lines had a time with a fraction of a second,
    /// and whether any had a time at all (`app::clock` writes milliseconds only for the first).
    precision: Vec<Precision>,
    warning: Option<String>,
}

impl LineStore {
    /// An empty store.
    pub fn new(opts: StoreOptions) -> LineStore {
        LineStore {
            opts,
            ..LineStore::default()
        }
    }

    /// Stores a line with the facts of its parsed record; returns its position.
    pub fn push(&mut self, line: &Line, rec: &Record<'_>, redact_on: bool) -> usize {
        self.push_facts(line, LineFacts::of_record(rec), redact_on)
    }

    /// Stores a line with its facts (from [`LineFacts::of_record`] or, for a plain line,
    /// [`LineFacts::of_glance`]); returns its position.
    pub fn push_facts(&mut self, line: &Line, facts: LineFacts<'_>, redact_on: bool) -> usize {
        let seq = self.end;
        if let Some(t) = facts.time.and_then(crate::parse::parse_rfc3339) {
            let s = line.source as usize;
            if self.precision.len() <= s {
                self.precision.resize(s + 1, Precision::default());
            }
            self.precision[s].timed = true;
            self.precision[s].millis |= !t.is_whole_second();
            self.last_time = Some(t);
            self.time_range = Some(
                self.time_range
                    .map_or((t, t), |(a, b)| (a.min(t), b.max(t))),
            );
        }
        let trace = facts.trace_id.map_or(0, |t| self.traces.intern(t, seq));
        let (level, kind) = (facts.level, facts.kind);
        self.redact = redact_on;
        let seg = self.segment_for(line.text.len());
        let off = seg.spool.append(line.text.as_bytes());
        let rec = Rec::new(off, line, level, trace, kind);
        seg.recs.push(rec);
        self.numbers.push(line.source as usize, seq, line.number);
        self.end += 1;
        self.enforce_cap();
        seq
    }

    /// The segment the next line goes to: a new one when the last is full.
    fn segment_for(&mut self, len: usize) -> &mut Segment {
        let per = self.opts.max_lines.div_ceil(8).max(1);
        let full = self
            .segments
            .back()
            .is_none_or(|s| s.recs.len() >= per || s.spool.len() + len as u64 + 1 >= SEGMENT_BYTES);
        if full {
            if let Some(s) = self.segments.back_mut() {
                s.spool.seal();
            }
            let (spool, warning) = Spool::create(self.opts.spool_dir.as_deref());
            if warning.is_some() && self.warning.is_none() {
                self.warning = warning;
            }
            let mut recs = Vec::new();
            // Exact, so records never sit in a doubled buffer; pages are touched as filled.
            recs.reserve_exact(per.min(1 << 24));
            self.segments.push_back(Segment {
                first: self.end,
                recs,
                spool,
            });
        }
        let last = self.segments.len() - 1;
        &mut self.segments[last]
    }

    /// Drops the oldest segments while more than `max_lines` lines are kept.
    fn enforce_cap(&mut self) {
        let mut dropped = false;
        while self.len() > self.opts.max_lines.max(1) && self.segments.len() > 1 {
            if let Some(s) = self.segments.pop_front() {
                self.first = s.first + s.recs.len();
                dropped = true;
            }
        }
        if dropped {
            self.numbers.evict(self.first);
            self.traces.evict(self.first);
        }
    }

    fn locate(&self, seq: usize) -> Option<(&Segment, Rec)> {
        if seq < self.first || seq >= self.end {
            return None;
        }
        let i = self
            .segments
            .partition_point(|s| s.first <= seq)
            .checked_sub(1)?;
        let s = self.segments.get(i)?;
        Some((s, *s.recs.get(seq - s.first)?))
    }

    /// The line at `seq`, its text read back (one read; see [`LineStore::reader`] for many).
    pub fn get(&self, seq: usize) -> Option<RawLine<'_>> {
        let (seg, rec) = self.locate(seq)?;
        let mut buf = Vec::new();
        let raw = match seg.spool.read(rec.range(), &mut buf) {
            Ok(()) => Cow::Owned(match String::from_utf8(buf) {
                Ok(text) => text,
                Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
            }),
            Err(why) => Cow::Owned(unavailable(&why)),
        };
        Some(self.line(seq, rec, raw))
    }

    /// A line's facts with the text it was read with.
    fn line<'a>(&'a self, seq: usize, rec: Rec, raw: Cow<'a, str>) -> RawLine<'a> {
        RawLine {
            source: u32::from(rec.source),
            number: self
                .numbers
                .number_of(usize::from(rec.source), seq)
                .unwrap_or(0),
            level: rec.level(),
            trace: self.traces.name(rec.trace),
            kind: rec.kind(),
            truncated: rec.truncated(),
            raw,
            redact: self.redact,
        }
    }

    /// A reader that fetches text a megabyte at a time: for scans over many lines in order.
    pub fn reader(&self) -> Reader<'_> {
        Reader::new(self)
    }

    /// The position of line `number` of `source`, while it is kept.
    pub fn seq_of(&self, source: u32, number: u64) -> Option<usize> {
        let seq = self.numbers.seq_of(source as usize, number)?;
        (seq >= self.first && seq < self.end).then_some(seq)
    }

    /// A line by source and 1-based number.
    pub fn find(&self, source: u32, number: u64) -> Option<RawLine<'_>> {
        self.get(self.seq_of(source, number)?)
    }

    /// Level, kind and trace integer of the line at `seq`, without reading its text.
    pub fn facts(&self, seq: usize) -> Option<(Option<Level>, LineKind, u32)> {
        self.locate(seq)
            .map(|(_, r)| (r.level(), r.kind(), r.trace))
    }

    /// Source and number of the line at `seq`, without reading its text.
    pub fn source_number(&self, seq: usize) -> Option<(u32, u64)> {
        let (_, r) = self.locate(seq)?;
        let n = self.numbers.number_of(usize::from(r.source), seq)?;
        Some((u32::from(r.source), n))
    }

    /// The integer lines with trace `name` carry ([`LineStore::facts`]), if a kept line has it.
    pub fn trace_id(&self, name: &str) -> Option<u32> {
        self.traces.lookup(name)
    }

    /// Distinct trace ids on the kept lines (registry lines or not).
    pub fn trace_count(&self) -> usize {
        self.traces.len()
    }

    /// The distinct trace ids on the kept lines, in no order.
    pub fn trace_names(&self) -> impl Iterator<Item = Cow<'_, str>> {
        self.traces.names()
    }

    /// The name of trace integer `id` ([`LineStore::facts`]).
    pub fn trace_name(&self, id: u32) -> Option<Cow<'_, str>> {
        self.traces.name(id)
    }

    /// Marks line `number` of `source` as part of fetch event `event`.
    pub fn set_event(&mut self, source: u32, number: u64, event: usize) {
        let Some(seq) = self.seq_of(source, number) else {
            return;
        };
        let i = self.segments.partition_point(|s| s.first <= seq);
        if let Some(s) = i.checked_sub(1).and_then(|i| self.segments.get_mut(i))
            && let Some(r) = s.recs.get_mut(seq - s.first)
        {
            r.event = u32::try_from(event).map_or(0, |e| e.saturating_add(1));
        }
    }

    /// Forgets that line `number` of `source` belongs to fetch event `event` (the model dropped
    /// the event); a line since claimed by another event keeps that one.
    pub fn clear_event(&mut self, source: u32, number: u64, event: usize) {
        let Some(seq) = self.seq_of(source, number) else {
            return;
        };
        let i = self.segments.partition_point(|s| s.first <= seq);
        if let Some(s) = i.checked_sub(1).and_then(|i| self.segments.get_mut(i))
            && let Some(r) = s.recs.get_mut(seq - s.first)
            && u32::try_from(event).is_ok_and(|e| r.event == e.saturating_add(1))
        {
            r.event = 0;
        }
    }

    /// The fetch event line `seq` belongs to.
    pub fn event_of(&self, seq: usize) -> Option<usize> {
        let (_, r) = self.locate(seq)?;
        (r.event > 0).then(|| r.event as usize - 1)
    }

    /// Number of lines kept.
    pub fn len(&self) -> usize {
        self.end - self.first
    }

    /// True when no line is kept.
    pub fn is_empty(&self) -> bool {
        self.end == self.first
    }

    /// Position of the oldest kept line; also the number of lines dropped.
    pub fn first(&self) -> usize {
        self.first
    }

    /// Position the next line will get; also the number of lines stored so far.
    pub fn end(&self) -> usize {
        self.end
    }

    /// Most lines kept.
    pub fn max_lines(&self) -> usize {
        self.opts.max_lines
    }

    /// A problem with the spool the user should hear about once (then the text stays in
    /// memory).
    pub fn take_warning(&mut self) -> Option<String> {
        self.warning.take()
    }

    /// The newest time seen on any line ("ago" columns count from it, not from the clock).
    pub fn last_time(&self) -> Option<Timestamp> {
        self.last_time
    }

    /// The earliest and the latest time on the lines read so far, lines the cap dropped
    /// included (a time column that once showed dates keeps them while a follow goes on).
    pub fn time_range(&self) -> Option<(Timestamp, Timestamp)> {
        self.time_range
    }

    /// True once a line of `source` had a time with a fraction of a second: its times are
    /// known to the millisecond. False for a log of whole seconds (buildkitd's default
    /// `time="2022-02-06T17:47:48Z"`), and for a source with no time yet.
    pub fn has_millis(&self, source: u32) -> bool {
        self.precision
            .get(source as usize)
            .is_some_and(|p| p.millis)
    }

    /// True when some source's times are known to the millisecond (a time column then keeps
    /// room for them).
    pub fn any_millis(&self) -> bool {
        self.precision.iter().any(|p| p.millis)
    }

    /// True when every source that had a time had milliseconds (and one did): a time that may
    /// come from any of them, such as a span over all the requests, is known to the millisecond.
    pub fn all_millis(&self) -> bool {
        self.any_millis() && self.precision.iter().all(|p| p.millis || !p.timed)
    }
}

/// What a source's times have shown of their precision so far.
#[derive(Debug, Clone, Copy, Default)]
struct Precision {
    /// A line had a time.
    timed: bool,
    /// A line had a time with a fraction of a second.
    millis: bool,
}

/// What the store keeps of a line besides its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineFacts<'a> {
    /// The raw `time` value.
    pub time: Option<&'a str>,
    pub level: Option<Level>,
    pub trace_id: Option<&'a str>,
    pub kind: LineKind,
}

impl<'a> LineFacts<'a> {
    /// The facts of a parsed line.
    pub fn of_record(rec: &'a Record<'a>) -> LineFacts<'a> {
        match rec {
            Record::Entry(e) => LineFacts {
                time: e.time.as_deref(),
                level: e.level,
                trace_id: e.trace_id(),
                kind: kind_of(&e.msg),
            },
            Record::Unparsed(_) => LineFacts {
                time: None,
                level: None,
                trace_id: None,
                kind: LineKind::Unparsed,
            },
        }
    }

    /// The same facts from a quick look, for a line `glance` could read (no parse).
    pub fn of_glance(g: &crate::parse::Glance<'a>) -> LineFacts<'a> {
        LineFacts {
            time: g.time,
            level: g.level,
            trace_id: g.trace_id,
            kind: kind_of(g.msg),
        }
    }
}

fn kind_of(msg: &str) -> LineKind {
    match msg {
        MSG_DO_REQUEST => LineKind::Request,
        MSG_RESPONSE => LineKind::Response,
        MSG_RESOLVING | MSG_UNAUTHORIZED | MSG_TOKEN_FAILED | "resolved" | "fetch" => {
            LineKind::Resolver
        }
        m if m.starts_with(MSG_TRYING_NEXT) || m.starts_with(MSG_FETCH_FAILED) => {
            LineKind::Resolver
        }
        _ => LineKind::Other,
    }
}

/// Bytes read back as text: borrowed when they are valid UTF-8, as every line was when it
/// was stored, else with U+FFFD for what is not. Checked with `str::from_utf8`, which takes
/// ASCII a word at a time; `from_utf8_lossy` alone went byte by byte, a seventh of a search's
/// time (docs/performance.md, "Redacting whole lines").
fn text_of(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// The inert text shown for a line whose text cannot be read back.
fn unavailable(why: &str) -> String {
    format!("[line unavailable: {why}]")
}
