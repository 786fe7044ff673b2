//! Which messages and fields the model reads, in one place: [`Model::ingest`] dispatches on
//! [`route`], the fast paths (headless and the explorer) ask [`Model::plain_glance`] which lines
//! they may merely count, and the headless one asks [`Model::unread_fields`] which fields it
//! need not build.
//!
//! Pure: message text in, a route out.

use crate::parse::{Cut, CutLine, Glance, Level, Marking, cut_glancing, glance_unless};

use super::Model;
use super::context::{MSG_FETCH, MSG_RESOLVED};
use super::fetch::{
    MSG_DO_REQUEST, MSG_FETCH_FAILED, MSG_PUSH_CHECK, MSG_RESOLVING, MSG_RESPONSE,
    MSG_TOKEN_FAILED, MSG_TRANSPORT_RETRY, MSG_TRYING_NEXT, MSG_UNAUTHORIZED,
};
use super::headers::HeaderFilter;
use super::note;

impl Model {
    /// True for the messages [`Model::ingest`] reads beyond counting: requests, responses,
    /// challenges, token failures and host fallbacks.
    pub fn is_registry_msg(msg: &str) -> bool {
        !matches!(route(msg), Route::Other)
    }

    /// True when a line with this quick look must be fed whole to [`Model::ingest`]; when false,
    /// ingesting it would only count it, which [`Model::count_plain_entries`] does in bulk.
    pub fn needs_entry(g: &Glance<'_>) -> bool {
        Self::is_registry_msg(g.msg) || g.has_error || g.level.is_some_and(|l| l >= Level::Error)
    }

    /// The quick look at a line that ingesting would only count (a registry message or an
    /// error needs the whole entry), or `None` when the line must be parsed: the one test both
    /// fast paths use (`cli::input`'s reader thread, the explorer's `App::ingest`).
    pub fn plain_glance(line: &str) -> Option<Glance<'_>> {
        Self::plain_glance_marked(line, Marking::NONE)
    }

    /// [`Model::plain_glance`] of a line in a marked text (the headless reader marks each
    /// chunk of lines once; see [`TextMarks`](crate::parse::TextMarks)).
    pub fn plain_glance_marked<'a>(line: &'a str, marking: Marking<'a>) -> Option<Glance<'a>> {
        // A registry msg would fail `needs_entry` below; stopping at it saves reading the rest.
        glance_unless(line, marking, Self::is_registry_msg).filter(|g| !Self::needs_entry(g))
    }

    /// [`Model::plain_glance_marked`] and, for a line it does not let through, the line's
    /// cuts (appended to `cuts`, as [`cut_line_marked`](crate::parse::cut_line_marked) makes
    /// them), from one pass over the line ([`cut_glancing`]).
    pub fn look_marked<'a>(line: &'a str, marking: Marking<'a>, cuts: &mut Vec<Cut>) -> Look<'a> {
        let first = cuts.len();
        match cut_glancing(line, marking, Self::is_registry_msg, cuts) {
            Some((_, Some(g))) if !Self::needs_entry(&g) => {
                cuts.truncate(first);
                Look::Plain(g)
            }
            Some((cut, _)) => Look::Cut(cut),
            None => match Self::plain_glance_marked(line, marking) {
                Some(g) => Look::Plain(g),
                None => Look::Whole,
            },
        }
    }

    /// In lean mode ([`Model::forget_completed_details`]), the fields of an entry this model
    /// never reads: the headers it does not keep. An entry built without them is ingested the
    /// same, so a fast path may leave them out (`cli::input` drops their tokens); `None` when
    /// every field may be read.
    pub fn unread_fields(&self) -> Option<UnreadFields> {
        self.lean_headers.clone().map(|only| UnreadFields {
            only,
            redact: self.opts.redact,
        })
    }

    /// Counts `entries` lines that [`Model::needs_entry`] let through, `damaged` of them damaged:
    /// the same as ingesting each of them.
    pub fn count_plain_entries(&mut self, entries: u64, damaged: u64) {
        self.counts.lines += entries;
        self.counts.records += entries;
        self.counts.damaged += damaged;
    }
}

/// What [`Model::look_marked`] made of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Look<'a> {
    /// Ingesting it would only count it: its quick look.
    Plain(Glance<'a>),
    /// The model reads it: cut into tokens.
    Cut(CutLine),
    /// Neither glanced nor cut: it must be parsed whole (`parse_line`).
    Whole,
}

/// The fields a lean model never reads (see [`Model::unread_fields`]).
#[derive(Debug, Clone)]
pub struct UnreadFields {
    only: HeaderFilter,
    redact: bool,
}

impl UnreadFields {
    /// What the model does with field `key`: whether a reader may drop it, and whether the
    /// model scrubs its value before keeping it (the url, the value of a header it keeps), so a
    /// reader may check it in advance with [`UnreadFields::is_clean`] and hand it to
    /// [`Model::ingest_known_clean`]; and the note by which the model finds the field (for
    /// [`Cut::set_note`](crate::parse::Cut::set_note), see `model/note.rs`). One header-filter
    /// lookup.
    pub fn field_use(&self, key: &str) -> (FieldUse, u16) {
        let scrubbed = if self.redact {
            FieldUse::Scrubbed
        } else {
            FieldUse::Read
        };
        if key == "url" {
            return (scrubbed, note::URL);
        }
        match self.only.field_header(key) {
            None => (FieldUse::Read, note::of_key(key)),
            Some((_, None)) => (FieldUse::Unread, 0),
            Some((side, Some(i))) if self.only.is_bare(i) => {
                (FieldUse::Read, note::of_header(side, i))
            }
            Some((side, Some(i))) => (scrubbed, note::of_header(side, i)),
        }
    }

    /// True when scrubbing leaves `value` as it is (no secret in it).
    pub fn is_clean(&self, value: &str) -> bool {
        matches!(super::redact::text(value), std::borrow::Cow::Borrowed(_))
    }
}

/// What a lean model does with a field (see [`UnreadFields::field_use`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldUse {
    /// Never reads it: a reader may drop it.
    Unread,
    /// Reads it (its value is not scrubbed, or scrubbing is off).
    Read,
    /// Scrubs its value before keeping it.
    Scrubbed,
}

/// Which handler of [`Model::ingest`] reads an entry, by its message.
pub(super) enum Route {
    Request,
    Response,
    Unauthorized,
    TokenFailed,
    NextHost,
    /// `transient transport error, retrying` (containerd ≥ 2.4): a failed attempt, sent again.
    TransportRetry,
    /// `resolving`: announces requests to a host.
    Resolving,
    /// `fetch`: the handler announces a digest before its request.
    Fetch,
    /// `resolved`: closes a manifest request.
    Resolved,
    /// `checking and pushing to`: the next HEAD to its url is a push's existence check.
    PushCheck,
    /// Only counted, unless it has an `error` field or an error level.
    Other,
}

/// The route of a message. Every message `ingest` reads beyond counting needs its own route
/// here: the headless fast path (`cli/input.rs`) only counts the lines routed to `Other`
/// that have no `error` field and no error level, without parsing them.
pub(super) fn route(msg: &str) -> Route {
    match msg {
        MSG_DO_REQUEST => Route::Request,
        MSG_RESPONSE => Route::Response,
        MSG_UNAUTHORIZED => Route::Unauthorized,
        MSG_TOKEN_FAILED => Route::TokenFailed,
        m if m.starts_with(MSG_TRYING_NEXT) || m.starts_with(MSG_FETCH_FAILED) => Route::NextHost,
        MSG_TRANSPORT_RETRY => Route::TransportRetry,
        MSG_RESOLVING => Route::Resolving,
        MSG_FETCH => Route::Fetch,
        MSG_RESOLVED => Route::Resolved,
        MSG_PUSH_CHECK => Route::PushCheck,
        _ => Route::Other,
    }
}
