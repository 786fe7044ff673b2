//! Filter expressions: `status>=400 host=ghcr.io level>=info`, matched against fetch events and
//! raw lines.
//!
//! Terms are separated by spaces and must all hold. `field OP value` with OP one of
//! `= != >= <= > < ~` (`~` is a case-insensitive substring); a bare word matches anywhere in
//! the row's text, the TIME, LVL and DUR it shows too (`13:08:58`, `debug`, `ms`: a review
//! found them matching nothing; [`shown_text`], written out only for a word that could be in
//! it, since a filter runs over every kept event on each key). `dur` and `size` take what the DUR and SIZE columns write (`dur>1.2s`,
//! `dur<20ms`, `size>=1.5K`, `size>1KiB`; `app::filter_units`). `time` takes what the time
//! columns write, UTC (`time>=13:08:35`, `time=11-24T13:08`, `time<2026-11-24T13:09Z`), a value
//! being the span its digits name (`app::filter_time`); a date and a clock after it are one value
//! (`time>=11-24 13:08:35.240`, pasted from the TIME column). `status=4xx` matches a class;
//! `status=failed` every failed event (an error status or no answer: what the explorer colours
//! as an error), `status=err` the rows whose status column reads `ERR` (no HTTP answer: a
//! refused connection, a failed token fetch).
//!
//! `trace=` takes a trace or a span id, or its first digits (`trace=a41ca2d4`, as git takes a
//! short hash): an event passes by its trace id or its span id, a raw line by its traceID or
//! the `spanID` in its text (so with `trace=` the Raw view reads the lines back, as for a
//! text term). `span=` takes span ids only; `trace~` / `span~` a part of an id anywhere;
//! `trace!=` fails a row whose trace or span id starts so.
//!
//! A prefix shared by several traces (`trace=a41c`) shows every one of them: a filter selects a
//! set of rows and nothing is done to any one trace, so unlike git's refusal of an ambiguous
//! short hash the rows are shown (as lnav and k9s filter) — but never silently: the status line
//! says how many traces the prefix matched (`6 events match; trace=a41c matches 2 traces (more
//! digits pick one)`), counted over the traces with registry requests and the traceIDs on the
//! kept lines (`App::refresh_id_matches`).
//!
//! `host` is what the Events view's HOST column shows, without the `?` of an inferred host.
//! For a request whose host the log did not give (BuildKit ≥ v0.16 logs no url inside its
//! spans) that is the host the mirror verdicts inferred it went to (`app::route`: the answer's
//! fingerprint against the `--config` mirrors), shown `mirror.gcr.io?`: `host=mirror.gcr.io`
//! and `host~mirror` keep the requests logged to the mirror and those inferred to have gone
//! there alike, as the verdicts count both. Decided over a separate `route=` field: the column
//! and the filter say the same, and Enter on a host in the Mirrors view filters `host=`
//! whichever way its requests are known. A value copied with its `?` means the same host. With
//! no host inferred either (no `--config`, a challenge, a token) it is `unknown`, so
//! `host=unknown` keeps those rows and `host!=unknown` the others. `registry` is the registry asked for (the `ns=`
//! upstream, the span's image ref), else the registry the host is, Docker Hub's hosts all
//! `docker.io` (`model::url::canonical_registry`, as the mirror verdicts count a direct pull):
//! `registry=docker.io` keeps the direct requests to `registry-1.docker.io` too, and
//! `registry=registry-1.docker.io` means the same. A mirror's request without `ns=` is the
//! registry its `--config` entry mirrors (`registry=docker.io` keeps the requests to
//! `mirror.gcr.io` when `--config` names it a mirror of `docker.io`, as the verdicts count
//! them: `app::route::of`), and its own host's registry without `--config`.
//!
//! The fields are a fetch event's. In the Raw view a filter judges each line on its own
//! ([`Filter::matches_line`]): `level` compares the line's level (a line without one, such as
//! a client's plain output, fails `level>=…`), `trace` its traceID or spanID, `span` its
//! spanID, and a bare word or any other
//! text field (`host=ghcr.io`, `url~manifests`) looks for the value anywhere in the line's
//! redacted text, ignoring case (`!=` for its absence; `=`, `~` and the order operators alike);
//! `status`, `dur` and `size` are ignored there, a line has none. The Raw view's registry-only
//! toggle (`a`) applies on top: with it on, `level>=info` keeps the registry lines at info or
//! above, and `grpc` none (on dockerd-20.10/mirror_fallback.log, 2 and 0 of the 20 and 18 lines
//! with every line shown).

use crate::model::fetch::FetchEvent;
use crate::model::url::canonical_registry;
use crate::parse::{Level, Timestamp, parse_line};

use super::filter_time as times;
use super::filter_units as units;
use super::lines::RawLine;
use super::route::Inferred;

/// A comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Ge,
    Le,
    Gt,
    Lt,
    Contains,
}

/// What a term compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Status,
    Level,
    Duration,
    Size,
    Time,
    Text(TextField),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TextField {
    Host,
    Method,
    Kind,
    Repo,
    Registry,
    Trace,
    Span,
    Server,
    Mirror,
    Error,
    Url,
}

/// The field names users may write, for messages.
const FIELDS: &str =
    "status level dur size time host method kind repo registry trace span server mirror error url";

#[derive(Debug, Clone, PartialEq)]
enum Term {
    Word(String),
    Compare { field: Field, op: Op, value: Value },
}

#[derive(Debug, Clone, PartialEq)]
enum Value {
    Num(i64),
    /// `4xx`: the hundreds digit.
    Class(i64),
    /// `status=failed`: an error status or no answer.
    Failed,
    /// `status=err`: failed without an HTTP answer.
    NoAnswer,
    Level(Level),
    /// `time`: the span of time the value names ([`times`]).
    Time(times::Span),
    Text(String),
}

/// A parsed filter; the empty filter matches everything.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    text: String,
    terms: Vec<Term>,
}

impl Filter {
    /// Parses an expression. The error says which term is wrong and what would be right.
    pub fn parse(expr: &str) -> Result<Filter, String> {
        let mut terms = Vec::new();
        let mut words = expr.split_whitespace().peekable();
        while let Some(word) = words.next() {
            // `time=11-24 13:08:35.240`, as the TIME column writes a time once the lines
            // span days: the date and the clock after it are one value.
            let joined = match (time_date(word), words.peek()) {
                (true, Some(next)) if times::is_clock(next) => {
                    let clock = words.next().unwrap_or_default();
                    Some(format!("{word}T{clock}"))
                }
                _ => None,
            };
            terms.push(parse_term(joined.as_deref().unwrap_or(word))?);
        }
        Ok(Filter {
            text: expr.trim().to_owned(),
            terms,
        })
    }

    /// The expression as typed.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// True when the filter has no terms.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// True when the event passes every term, its host as logged.
    pub fn matches_event(&self, ev: &FetchEvent) -> bool {
        self.matches_routed(ev, || None)
    }

    /// True when the event passes every term; `route` gives the upstream and mirror the
    /// verdicts count the request for (`app::route::of`), asked only by a `host` term or a
    /// bare word (the host of a request logged without one) and a `registry` term.
    pub fn matches_routed<'r>(
        &self,
        ev: &'r FetchEvent,
        route: impl Fn() -> Option<Inferred<'r>>,
    ) -> bool {
        let inferred = || ev.host.is_none().then(&route).flatten().map(|r| r.host());
        self.terms.iter().all(|t| match t {
            Term::Word(w) => contains(&event_text_with(ev, inferred()), w) || shown_contains(ev, w),
            Term::Compare { field, op, value } => match field {
                Field::Status => match value {
                    Value::Failed => ev.failed() == (*op != Op::Ne),
                    Value::NoAnswer => (ev.failed() && ev.status.is_none()) == (*op != Op::Ne),
                    _ => compare_num(ev.status.map(i64::from), *op, value),
                },
                Field::Duration => compare_num(ev.duration_ms(), *op, value),
                Field::Size => compare_num(ev.bytes().map(|b| b as i64), *op, value),
                Field::Time => compare_time(ev.started.or(ev.finished), *op, value),
                Field::Level => compare_level(ev.level, *op, value),
                Field::Text(TextField::Trace) => {
                    compare_ids(ev.trace_id.as_deref(), ev.span_id.as_deref(), *op, value)
                }
                Field::Text(TextField::Span) => compare_id(ev.span_id.as_deref(), *op, value),
                Field::Text(TextField::Registry) => {
                    compare_registry(ev, route().map(|r| r.upstream), *op, value)
                }
                Field::Text(TextField::Host) => {
                    let host = ev.host.as_deref().or_else(&inferred);
                    compare_text(Some(host.unwrap_or("unknown")), *op, value)
                }
                Field::Text(f) => compare_text(event_field(ev, *f), *op, value),
            },
        })
    }

    /// The filter without its number compares on the status that look for failures
    /// (`status>=400`, `status=4xx`, `status=500`, `status>200`), when it has any: a row with
    /// no HTTP status (`ERR`: no answer) fails those, and the status line says how many
    /// failures they hid (`App::status_hidden_failures`). A compare that asks for answers
    /// below an error (`status<400`, `status=200`, `status!=404`) hides them too, but whoever
    /// wrote it did not look for failures: no note.
    pub fn without_status_numbers(&self) -> Option<Filter> {
        let numeric = |t: &Term| match t {
            Term::Compare {
                field: Field::Status,
                op,
                value,
            } => match (op, value) {
                (Op::Ge | Op::Gt, Value::Num(_) | Value::Class(_)) => true,
                (Op::Eq, Value::Num(n)) => *n >= 400,
                (Op::Eq, Value::Class(c)) => *c >= 4,
                _ => false,
            },
            _ => false,
        };
        self.terms.iter().any(numeric).then(|| Filter {
            text: self.text.clone(),
            terms: self.terms.iter().filter(|t| !numeric(t)).cloned().collect(),
        })
    }

    /// True when the raw line passes every term that applies to lines.
    pub fn matches_line(&self, line: &RawLine<'_>) -> bool {
        let trace = line.trace.as_deref();
        self.matches_line_facts(line.level, trace)
            && (!self.reads_line_text() || self.matches_line_text(&line.text(), trace))
    }

    /// True when some term looks in a line's text (a bare word, a text field, an id term:
    /// a line's span id is in its text only; a time: a line's time is read from its text):
    /// only then does a scan need to read it back.
    pub fn reads_line_text(&self) -> bool {
        self.terms.iter().any(|t| match t {
            Term::Word(_) => true,
            Term::Compare { field, op, value } => match field {
                Field::Text(TextField::Trace) => line_id_term(*op, value),
                Field::Text(_) | Field::Time => true,
                _ => false,
            },
        })
    }

    /// The terms on a line's level and trace, as far as they decide without the text (text
    /// terms pass here; an id term passes unless the traceID alone refutes it).
    pub fn matches_line_facts(&self, level: Option<Level>, trace: Option<&str>) -> bool {
        self.terms.iter().all(|t| match t {
            Term::Word(_) => true,
            Term::Compare { field, op, value } => match field {
                Field::Level => compare_level(level, *op, value),
                // `trace!=a41c` fails a line of that trace whatever its span; `trace=a41c`
                // may still hold by the span id in its text.
                Field::Text(TextField::Trace) if line_id_term(*op, value) => {
                    *op != Op::Ne || compare_id(trace, *op, value)
                }
                Field::Text(TextField::Trace) => compare_id(trace, *op, value),
                _ => true,
            },
        })
    }

    /// The terms on a line's (redacted) text and its traceID (level terms pass here); the text
    /// is lowered once. An id term holds by the traceID or by the `spanID` in the text; a time
    /// term by the line's own time (read once, as the parser reads it: a line without one, a
    /// client's plain output, passes only `!=`).
    pub fn matches_line_text(&self, text: &str, trace: Option<&str>) -> bool {
        let lower = text.to_ascii_lowercase();
        let has = |w: &str| lower.contains(&w.to_ascii_lowercase());
        let span = || super::traces::span_in_line(text);
        let time = std::cell::OnceCell::new();
        let time = || *time.get_or_init(|| parse_line(text).entry().and_then(|e| e.timestamp()));
        self.terms.iter().all(|t| match t {
            Term::Word(w) => has(w),
            Term::Compare {
                field: Field::Time,
                op,
                value,
            } => compare_time(time(), *op, value),
            Term::Compare {
                field: Field::Text(TextField::Trace),
                op,
                value,
            } if line_id_term(*op, value) => compare_ids(trace, span(), *op, value),
            Term::Compare {
                field: Field::Text(TextField::Span),
                op,
                value,
            } if line_id_term(*op, value) => compare_id(span(), *op, value),
            Term::Compare {
                field: Field::Text(f),
                op,
                value: Value::Text(v),
            } if *f != TextField::Trace => match op {
                Op::Ne => !has(v),
                _ => has(v),
            },
            _ => true,
        })
    }

    /// The `trace=` and `span=` terms, as `(field, id prefix)`: what the status line says
    /// the number of traces of when a prefix matches more than one.
    pub fn id_prefixes(&self) -> Vec<(&'static str, &str)> {
        self.terms
            .iter()
            .filter_map(|t| match t {
                Term::Compare {
                    field: Field::Text(f @ (TextField::Trace | TextField::Span)),
                    op: Op::Eq,
                    value: Value::Text(v),
                } if !v.is_empty() => Some((
                    if *f == TextField::Trace {
                        "trace"
                    } else {
                        "span"
                    },
                    &**v,
                )),
                _ => None,
            })
            .collect()
    }
}

/// True for a `time` term whose value is a date only (`time>=11-24`): a clock may follow it.
fn time_date(word: &str) -> bool {
    split_op(word)
        .is_some_and(|(name, _, value)| name.eq_ignore_ascii_case("time") && times::is_date(value))
}

/// A term's field name, operator and value, split at its first operator (the longer of two
/// that start at the same place: `>=` before `>`); `None` for a bare word.
fn split_op(word: &str) -> Option<(&str, Op, &str)> {
    const OPS: [(&str, Op); 7] = [
        (">=", Op::Ge),
        ("<=", Op::Le),
        ("!=", Op::Ne),
        ("=", Op::Eq),
        (">", Op::Gt),
        ("<", Op::Lt),
        ("~", Op::Contains),
    ];
    let (i, len, op) = OPS
        .iter()
        .filter_map(|(s, op)| word.find(s).map(|i| (i, s.len(), *op)))
        .min_by_key(|(i, len, _)| (*i, usize::MAX - len))?;
    Some((&word[..i], op, &word[i + len..]))
}

/// An id term a line's text can decide (its span id): `=`, `!=` or `~` with an id.
fn line_id_term(op: Op, value: &Value) -> bool {
    matches!(op, Op::Eq | Op::Ne | Op::Contains) && matches!(value, Value::Text(v) if !v.is_empty())
}

/// `trace=`: the trace id or the span id (a prefix of either, as [`compare_id`]); `!=` holds
/// when neither matches. `trace=` with no value and the order operators look at the trace id
/// only.
fn compare_ids(trace: Option<&str>, span: Option<&str>, op: Op, want: &Value) -> bool {
    if !line_id_term(op, want) {
        return compare_id(trace, op, want);
    }
    match op {
        Op::Ne => compare_id(trace, op, want) && compare_id(span, op, want),
        _ => compare_id(trace, op, want) || compare_id(span, op, want),
    }
}

fn parse_term(word: &str) -> Result<Term, String> {
    // A word that starts with an operator names no field: it is a bare word, as DUR shows a
    // duration under a second (`<1s`) or about one (`~1s`).
    let Some((name, op, value)) = split_op(word).filter(|(name, _, _)| !name.is_empty()) else {
        return Ok(Term::Word(word.to_owned()));
    };
    let field = match name.to_ascii_lowercase().as_str() {
        "status" | "code" => Field::Status,
        "level" | "lvl" => Field::Level,
        "dur" | "duration" | "ms" => Field::Duration,
        "size" | "bytes" => Field::Size,
        "time" => Field::Time,
        "host" => Field::Text(TextField::Host),
        "method" => Field::Text(TextField::Method),
        "kind" => Field::Text(TextField::Kind),
        "repo" | "repository" => Field::Text(TextField::Repo),
        "registry" | "reg" => Field::Text(TextField::Registry),
        "trace" => Field::Text(TextField::Trace),
        "span" => Field::Text(TextField::Span),
        "server" | "by" => Field::Text(TextField::Server),
        "mirror" | "ns" => Field::Text(TextField::Mirror),
        "error" | "err" => Field::Text(TextField::Error),
        "url" | "path" => Field::Text(TextField::Url),
        other => {
            return Err(format!(
                "unknown field '{other}' in '{word}' (fields: {FIELDS})"
            ));
        }
    };
    if value.is_empty() {
        return Err(format!(
            "'{word}' needs a value after '{}'",
            &word[name.len()..]
        ));
    }
    if matches!(op, Op::Contains) && !matches!(field, Field::Text(_)) {
        return Err(format!("'~' works on text fields, not in '{word}'"));
    }
    let value =
        match (field, status_word(value)) {
            (Field::Status, Some(word)) if matches!(op, Op::Eq | Op::Ne) => word,
            (Field::Status | Field::Duration | Field::Size, _) => parse_number(field, value)
                .ok_or_else(|| {
                    let what = units::expected(&name.to_ascii_lowercase());
                    let (noun, rest) = what.split_once(": ").unwrap_or((what, ""));
                    format!("'{name}' needs {noun} in '{word}' ({rest})")
                })?,
            (Field::Time, _) => Value::Time(times::parse(value).ok_or_else(|| {
                format!("'{name}' needs a UTC time in '{word}' ({})", times::FORMS)
            })?),
            (Field::Level, _) => Value::Level(Level::parse(value).ok_or_else(|| {
                format!("unknown level '{value}' (trace debug info warning error fatal panic)")
            })?),
            // Copied from the HOST column, an inferred host's mark (`app::route`) is no part of it.
            (Field::Text(TextField::Host), _) => Value::Text(
                value
                    .strip_suffix(super::route::MARK)
                    .filter(|v| !v.is_empty())
                    .unwrap_or(value)
                    .to_owned(),
            ),
            (Field::Text(_), _) => Value::Text(value.to_owned()),
        };
    Ok(Term::Compare { field, op, value })
}

/// The words `status` takes besides numbers: `failed`, `err`.
fn status_word(v: &str) -> Option<Value> {
    match v.to_ascii_lowercase().as_str() {
        "failed" | "fail" | "failure" => Some(Value::Failed),
        "err" | "error" => Some(Value::NoAnswer),
        _ => None,
    }
}

fn parse_number(field: Field, v: &str) -> Option<Value> {
    let lower = v.to_ascii_lowercase();
    if field == Field::Status
        && let Some(d) = lower.strip_suffix("xx")
    {
        return d.parse().ok().map(Value::Class);
    }
    match field {
        Field::Duration => units::millis(v),
        Field::Size => units::bytes(v),
        _ => lower.parse::<i64>().ok(),
    }
    .map(Value::Num)
}

fn compare_num(have: Option<i64>, op: Op, want: &Value) -> bool {
    let Some(have) = have else {
        return op == Op::Ne;
    };
    match want {
        // The class's hundreds digit, ordered: `status<4xx` keeps 1xx–3xx, `status>=4xx` 400 on
        // (a review: every operator but `!=` acted as `=`, so `status<4xx` kept the errors).
        Value::Class(c) => ordered((have / 100).cmp(c), op),
        Value::Num(n) => ordered(have.cmp(n), op),
        _ => false,
    }
}

/// `time`: the row's time against the span the value names (see [`times`]): `=` within it,
/// `>=` from its start, `>` after its end, `<` before its start, `<=` up to its end. A row
/// without a time passes only `!=`.
fn compare_time(have: Option<Timestamp>, op: Op, want: &Value) -> bool {
    let (Some(have), Value::Time(span)) = (have, want) else {
        return op == Op::Ne;
    };
    let k = times::key(have, span.scope);
    match op {
        Op::Eq | Op::Contains => span.lo <= k && k < span.hi,
        Op::Ne => !(span.lo <= k && k < span.hi),
        Op::Ge => k >= span.lo,
        Op::Gt => k >= span.hi,
        Op::Lt => k < span.lo,
        Op::Le => k < span.hi,
    }
}

fn compare_level(have: Option<Level>, op: Op, want: &Value) -> bool {
    match (have, want) {
        (Some(h), Value::Level(w)) => ordered(h.cmp(w), op),
        (None, _) => op == Op::Ne,
        _ => false,
    }
}

fn ordered(ord: std::cmp::Ordering, op: Op) -> bool {
    use std::cmp::Ordering::*;
    match op {
        Op::Eq | Op::Contains => ord == Equal,
        Op::Ne => ord != Equal,
        Op::Ge => ord != Less,
        Op::Le => ord != Greater,
        Op::Gt => ord == Greater,
        Op::Lt => ord == Less,
    }
}

/// A trace or span id: `=` takes an abbreviation (a prefix, as git takes a short hash), so
/// `trace=a41ca2d4` finds the trace whose id starts so; `!=` is its negation.
/// True when `id` starts with `prefix`, letters in either case: how `trace=` / `span=` take an
/// id's first digits.
pub(super) fn id_starts_with(id: &str, prefix: &str) -> bool {
    id.get(..prefix.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
}

fn compare_id(have: Option<&str>, op: Op, want: &Value) -> bool {
    if matches!(want, Value::Text(w) if w.is_empty()) {
        // `trace=`: no id at all, as for any text field.
        return compare_text(have, op, want);
    }
    let starts = || {
        let (Some(have), Value::Text(want)) = (have, want) else {
            return false;
        };
        id_starts_with(have, want)
    };
    match op {
        Op::Eq => starts(),
        Op::Ne => !starts(),
        _ => compare_text(have, op, want),
    }
}

fn compare_text(have: Option<&str>, op: Op, want: &Value) -> bool {
    let Value::Text(want) = want else {
        return false;
    };
    let have = have.unwrap_or("");
    match op {
        Op::Eq => have.eq_ignore_ascii_case(want),
        Op::Ne => !have.eq_ignore_ascii_case(want),
        Op::Contains => contains(have, want),
        Op::Ge | Op::Gt => have >= want.as_str(),
        Op::Le | Op::Lt => have <= want.as_str(),
    }
}

/// `registry=`: the upstream the verdicts count the request for (`routed`), else the registry
/// asked for, else the one the host is (see the module's doc); `=` and `!=` take any of Docker
/// Hub's names for `docker.io`.
fn compare_registry(ev: &FetchEvent, routed: Option<&str>, op: Op, want: &Value) -> bool {
    let have = routed
        .or(ev.registry.as_deref())
        .or(ev.host.as_deref())
        .map(canonical_registry);
    match (op, want) {
        (Op::Eq | Op::Ne, Value::Text(w)) => compare_text(
            have,
            op,
            &Value::Text(canonical_registry(&w.to_ascii_lowercase()).to_owned()),
        ),
        _ => compare_text(have, op, want),
    }
}

fn event_field(ev: &FetchEvent, f: TextField) -> Option<&str> {
    match f {
        // As the HOST column shows it.
        TextField::Host => Some(ev.host_or_unknown()),
        TextField::Method => ev.method.as_deref(),
        TextField::Kind => Some(ev.kind.as_str()),
        TextField::Repo => ev.repository.as_deref(),
        TextField::Registry => ev.registry.as_deref(),
        TextField::Trace => ev.trace_id.as_deref(),
        TextField::Span => ev.span_id.as_deref(),
        TextField::Server => ev.server.as_deref(),
        TextField::Mirror => ev.mirror_of.as_deref(),
        TextField::Error => ev.error.as_deref(),
        TextField::Url => ev.url.as_deref(),
    }
}

/// The text a bare filter word or a search looks in.
pub fn event_text(ev: &FetchEvent) -> String {
    event_text_with(ev, None)
}

/// [`event_text`] with the host a request logged without one was inferred to have gone to
/// (`app::route`): what its HOST column shows is found as what a logged host shows. The KIND
/// column's word too (`manifest`, `blob`): a request logged without its url (BuildKit ≥ v0.16)
/// has little else to be found by.
pub fn event_text_with(ev: &FetchEvent, inferred: Option<&str>) -> String {
    let kind = (ev.kind != crate::model::url::ObjectKind::Unknown).then(|| ev.kind.as_str());
    [
        ev.method.as_deref(),
        kind,
        ev.host.as_deref().or(inferred),
        ev.url.as_deref(),
        ev.repository.as_deref(),
        ev.status_text.as_deref(),
        ev.error.as_deref(),
        ev.server.as_deref(),
        ev.trace_id.as_deref(),
        ev.digest.as_deref(),
        // A url-less row's PATH: its span's image ref (`docker.io/library/node:20`).
        crate::model::fetch::span_ref(ev.span.as_deref()).filter(|_| ev.url.is_none()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ")
}

/// What a row shows that [`event_text_with`] leaves out: LVL, TIME and DUR as the columns
/// write them. The time in its fullest form (`2026-11-24 13:08:35.240`, to the second for a
/// whole-second time), which holds each shorter one the TIME column writes (`13:08:35.240`,
/// `11-24 13:08:35.240`). The search (`/`) looks in it too.
pub fn shown_text(ev: &FetchEvent) -> String {
    [
        ev.level.map(|l| l.as_str().to_owned()),
        shown_time(ev),
        shown_duration(ev),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ")
}

fn shown_time(ev: &FetchEvent) -> Option<String> {
    let t = ev.started.or(ev.finished)?;
    Some(super::clock::TimeFormat::Date.format_to(t, !t.is_whole_second()))
}

fn shown_duration(ev: &FetchEvent) -> Option<String> {
    let (a, b) = ev.started.zip(ev.finished)?;
    Some(super::words::between(a, b))
}

/// True when a bare filter `word` is in what the row shows beyond [`event_text_with`]
/// ([`shown_text`]). A filter runs over every kept event on each key: the time and the
/// duration are written out only for a word that could be found in them, a time's for digits
/// with `:`, `-` or `.` (`13:08:58`, `11-24`, `.240`: a number alone is not looked for in
/// TIME), a duration's for digits and its units (`16ms`, `ms`, `<1s`, `~2s`, `2m05s`); the
/// level is a word of its own.
fn shown_contains(ev: &FetchEvent, word: &str) -> bool {
    if ev.level.is_some_and(|l| contains(l.as_str(), word)) {
        return true;
    }
    let timeish = word.bytes().any(|b| b.is_ascii_digit())
        && word.bytes().any(|b| matches!(b, b':' | b'-' | b'.'))
        && word
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b':' | b'-' | b'.' | b' '));
    if timeish && shown_time(ev).is_some_and(|t| t.contains(word)) {
        return true;
    }
    let durationish = word.bytes().all(|b| {
        b.is_ascii_digit() || matches!(b.to_ascii_lowercase(), b'.' | b'<' | b'~' | b'm' | b's')
    });
    durationish && shown_duration(ev).is_some_and(|d| contains(&d, word))
}

fn contains(hay: &str, needle: &str) -> bool {
    hay.to_ascii_lowercase()
        .contains(&needle.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(status: u16, host: &str) -> FetchEvent {
        FetchEvent {
            status: Some(status),
            host: Some(host.into()),
            level: Some(Level::Debug),
            ..FetchEvent::default()
        }
    }

    #[test]
    fn expressions_select_events() {
        let f = Filter::parse("status>=400 host=ghcr.io level>=debug").unwrap();
        assert!(f.matches_event(&ev(401, "ghcr.io")));
        assert!(!f.matches_event(&ev(200, "ghcr.io")));
        assert!(!f.matches_event(&ev(401, "docker.io")));
        let f = Filter::parse("status=4xx").unwrap();
        assert!(f.matches_event(&ev(429, "x")) && !f.matches_event(&ev(500, "x")));
        // A class compares by its hundreds digit with every operator.
        let keeps = |expr: &str| -> Vec<u16> {
            let f = Filter::parse(expr).unwrap();
            [200, 304, 401, 404, 429, 500, 503]
                .into_iter()
                .filter(|&s| f.matches_event(&ev(s, "x")))
                .collect()
        };
        assert_eq!(keeps("status<4xx"), [200, 304]);
        assert_eq!(keeps("status<=4xx"), [200, 304, 401, 404, 429]);
        assert_eq!(keeps("status>2xx"), [304, 401, 404, 429, 500, 503]);
        assert_eq!(keeps("status>=4xx"), [401, 404, 429, 500, 503]);
        assert_eq!(keeps("status>4xx"), [500, 503]);
        assert_eq!(keeps("status!=4xx"), [200, 304, 500, 503]);
        let f = Filter::parse("host~GHCR").unwrap();
        assert!(f.matches_event(&ev(200, "ghcr.io")));
        let f = Filter::parse("host!=ghcr.io ghcr").unwrap();
        assert!(!f.matches_event(&ev(200, "ghcr.io")));
        assert!(Filter::parse("").unwrap().is_empty());
    }

    /// A status compare names what it hides from a row with no status; `!=` keeps such rows.
    #[test]
    fn status_numbers_can_be_taken_out() {
        let f = Filter::parse("status>=400 host=ghcr.io").unwrap();
        let rest = f.without_status_numbers().unwrap();
        let mut e = ev(0, "ghcr.io");
        e.status = None;
        e.error = Some("failed to fetch oauth token".into());
        assert!(!f.matches_event(&e) && rest.matches_event(&e));
        assert!(
            Filter::parse("status=4xx")
                .unwrap()
                .without_status_numbers()
                .is_some()
        );
        assert!(
            Filter::parse("status!=200")
                .unwrap()
                .without_status_numbers()
                .is_none()
        );
        // Only the compares that look for failures say what they hid (review: `status<400`
        // was told of a failure it did not ask about).
        let notes = |expr: &str| {
            Filter::parse(expr)
                .unwrap()
                .without_status_numbers()
                .is_some()
        };
        for expr in ["status>=400", "status>200", "status=500", "status=5xx"] {
            assert!(notes(expr), "{expr}");
        }
        for expr in ["status<400", "status<=399", "status=200", "status=2xx"] {
            assert!(!notes(expr), "{expr}");
        }
        assert!(
            Filter::parse("status=failed")
                .unwrap()
                .without_status_numbers()
                .is_none()
        );
        assert!(
            Filter::parse("host=x")
                .unwrap()
                .without_status_numbers()
                .is_none()
        );
    }

    /// `status=failed` takes every failure, the `ERR` rows (no HTTP answer) among them, which
    /// no number compare can; `status=err` only those.
    #[test]
    fn failed_and_err_select_failures_without_a_status() {
        let no_answer = FetchEvent {
            error: Some("failed to authorize: failed to fetch oauth token: 401".into()),
            level: Some(Level::Info),
            ..FetchEvent::default()
        };
        let f = Filter::parse("status>=400").unwrap();
        assert!(!f.matches_event(&no_answer));
        let f = Filter::parse("status=failed level>=info").unwrap();
        assert!(f.matches_event(&no_answer));
        let f = Filter::parse("status=failed").unwrap();
        assert!(f.matches_event(&ev(404, "x")) && !f.matches_event(&ev(200, "x")));
        let f = Filter::parse("status=ERR").unwrap();
        assert!(f.matches_event(&no_answer) && !f.matches_event(&ev(404, "x")));
        let f = Filter::parse("status!=failed").unwrap();
        assert!(f.matches_event(&ev(200, "x")) && !f.matches_event(&no_answer));
        assert!(
            Filter::parse("status>=failed")
                .unwrap_err()
                .contains("failed or err")
        );
    }

    // `dur>0.005s`, `size>1.0K` (the SIZE column's own form) and `size>1KiB` were refused while
    // `size>1K` worked.
    #[test]
    fn dur_and_size_take_what_the_table_shows() {
        let ev = FetchEvent {
            size: Some(1536),
            ..ev(200, "x")
        };
        for (f, hit) in [
            ("size>1.0K", true),
            ("size>1KiB", true),
            ("size>=1.5K", true),
            ("size>1.5K", false),
            ("size<1.5M", true),
            ("size=1536B", true),
        ] {
            let parsed = Filter::parse(f).unwrap_or_else(|e| panic!("{f}: {e}"));
            assert_eq!(parsed.matches_event(&ev), hit, "{f}");
        }
        for f in [
            "dur>0.005s",
            "dur<1.2s",
            "dur>=20ms",
            "dur>~3s",
            "dur<2m05s",
        ] {
            assert!(Filter::parse(f).is_ok(), "{f}");
        }
    }

    #[test]
    fn bad_expressions_say_what_is_wrong() {
        assert!(
            Filter::parse("colour=red")
                .unwrap_err()
                .contains("unknown field 'colour'")
        );
        assert!(
            Filter::parse("status>=abc")
                .unwrap_err()
                .contains("needs a number")
        );
        // Each numeric field names its own units; only `status` mentions 4xx and failed.
        let dur = Filter::parse("dur>fast").unwrap_err();
        assert!(
            dur.contains("'dur' needs a duration") && dur.contains("0.005s"),
            "{dur}"
        );
        assert!(!dur.contains("status") && !dur.contains("4xx"), "{dur}");
        let size = Filter::parse("size>big").unwrap_err();
        assert!(
            size.contains("'size' needs a size") && size.contains("1KiB"),
            "{size}"
        );
        assert!(!size.contains("4xx"), "{size}");
        assert!(
            Filter::parse("status>=abc")
                .unwrap_err()
                .contains("4xx, failed or err")
        );
        assert!(
            Filter::parse("level>=loud")
                .unwrap_err()
                .contains("unknown level 'loud'")
        );
        assert!(
            Filter::parse("host=")
                .unwrap_err()
                .contains("needs a value")
        );
        assert!(
            Filter::parse("status~4")
                .unwrap_err()
                .contains("text fields")
        );
    }
}
