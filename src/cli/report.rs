//! The readable `summary` report: hosts, who served, mirror verdicts with evidence, auth
//! failures and errors with their diagnoses, rate limits, slowest and largest fetches, hints.
//!
//! Every string from the log goes through `sanitize::inert` first: a report is pasted into
//! terminals and tickets.

use std::io::{self, Write};

use crate::app::words::{count, lines_label};
use crate::kb::KnowledgeBase;
use crate::model::intern::Shared;
use crate::model::mirror::{EVIDENCE_PER_REASON, Verdict};
use crate::model::sanitize::inert;
use crate::model::summary::{AuthFailure, ErrorSummary, ToldAt, shown_host, shown_host_of};
use crate::model::{Summary, is_retry, recovering_host};

struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    }
    fn bold(&self, s: &str) -> String {
        self.wrap("1", s)
    }
    fn red(&self, s: &str) -> String {
        self.wrap("31;1", s)
    }
    fn green(&self, s: &str) -> String {
        self.wrap("32;1", s)
    }
    fn yellow(&self, s: &str) -> String {
        self.wrap("33;1", s)
    }
    fn dim(&self, s: &str) -> String {
        self.wrap("2", s)
    }
}

/// `1536` → `1.5 KiB`: the one byte formatter of every report (`app::words`).
pub use crate::app::words::human_bytes;

/// Lines the reading had to change (`1 not UTF-8, 2 cut at 1 MiB`), if any: worth a look
/// before trusting the counts. Said by the text and the Markdown report alike.
pub(super) fn changed_lines(s: &Summary) -> Option<String> {
    let changed: Vec<String> = [(s.not_utf8, "not UTF-8"), (s.cut, "cut at 1 MiB")]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
    (!changed.is_empty()).then(|| changed.join(", "))
}

/// What got past the recovered errors: a fallback to another host, containerd ≥ 2.4's
/// retry on the same host (`recovered_by` is the error's own host, named: `model::is_retry`),
/// or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Recovery {
    Fallback,
    Retry,
    Both,
}

/// How the summary's recovered errors were recovered (a fallback when none is).
pub(super) fn recovery(s: &Summary) -> Recovery {
    let (mut other, mut same) = (false, false);
    for e in &s.errors {
        match e.recovered_by.as_deref() {
            Some(by) if is_retry(&e.host, by) => same = true,
            Some(_) => other = true,
            None => {}
        }
    }
    match (other, same) {
        (_, false) => Recovery::Fallback,
        (false, true) => Recovery::Retry,
        (true, true) => Recovery::Both,
    }
}

/// Writes the report.
pub fn write(s: &Summary, kb: &KnowledgeBase, color: bool, out: &mut impl Write) -> io::Result<()> {
    let p = Paint { on: color };
    writeln!(
        out,
        "{} {} ({}, {} unparsed), {}, {}{}",
        p.bold("bkscope summary:"),
        count(s.lines, "line", "lines"),
        count(s.records, "entry", "entries"),
        s.unparsed,
        fetches(s),
        // An estimate past the exact cap (model::distinct): said so, not passed off as a count.
        if s.traces_estimated { "about " } else { "" },
        count(s.traces, "trace", "traces")
    )?;
    if let Some(changed) = changed_lines(s) {
        writeln!(out, "{} {changed}", p.yellow("lines changed to read them:"))?;
    }
    if !s.status_counts.is_empty() {
        let st: Vec<String> = s
            .status_counts
            .iter()
            .map(|(k, v)| format!("{k}×{v}"))
            .collect();
        writeln!(out, "statuses: {}", st.join("  "))?;
    }
    if !s.hosts.is_empty() {
        writeln!(out, "\n{}", p.bold("Hosts"))?;
        // As wide as the longest host (a review: a longer one pushed its row's columns out of
        // line), 32 at least, 80 at most (past that a hostile name cannot stretch every row).
        let shown: Vec<String> = s
            .hosts
            .iter()
            .map(|h| inert(&h.shown()).into_owned())
            .collect();
        let w = shown
            .iter()
            .map(|h| h.chars().count())
            .max()
            .unwrap_or(0)
            .clamp(32, 80);
        writeln!(
            out,
            "  {:<w$} {:>6} {:>6} {:>10}  served by",
            "host", "req", "err", "bytes"
        )?;
        for (h, name) in s.hosts.iter().zip(&shown) {
            let err = if h.errors > 0 {
                p.red(&format!("{:>6}", h.errors))
            } else {
                format!("{:>6}", 0)
            };
            writeln!(
                out,
                "  {name:<w$} {:>6} {err} {:>10}  {}",
                h.requests,
                human_bytes(h.bytes),
                if h.servers.is_empty() {
                    "-".to_owned()
                } else {
                    h.servers.join(", ")
                }
            )?;
        }
        if s.hosts.iter().any(|h| h.inferred) {
            writeln!(
                out,
                "  {}",
                p.dim("host? inferred: logged without a host; placed by who answered (its response headers) and the --config mirrors; so are the findings and fetches it places")
            )?;
        }
    }
    writeln!(out, "\n{}", p.bold("Mirrors"))?;
    if s.mirrors.is_empty() {
        writeln!(out, "  {}", p.dim(no_mirror(s)))?;
    }
    for m in &s.mirrors {
        let verdict = match m.verdict {
            Verdict::Used => p.green("USED"),
            Verdict::Partial => p.yellow("PARTIAL"),
            Verdict::Unused => p.red("UNUSED"),
            Verdict::Unknown => p.dim("UNKNOWN"),
        };
        writeln!(
            out,
            "  {} → {}{}: {verdict}  via mirror {}, direct {}, fallbacks {}",
            inert(&m.upstream),
            inert(&m.mirror),
            if m.configured { " (configured)" } else { "" },
            m.via_mirror,
            m.direct,
            m.fallbacks
        )?;
        if let Some(reason) = &m.reason {
            writeln!(out, "    {}", inert(&shortened(reason)))?;
        }
        for e in &m.evidence {
            writeln!(
                out,
                "    {} {}",
                p.dim(&format!("{}:", at(s, e.source, &[e.line]))),
                inert(&shortened(&e.why))
            )?;
        }
        if m.evidence_omitted > 0 {
            writeln!(
                out,
                "    {}",
                p.dim(&format!(
                    "… and {} more (not kept: {EVIDENCE_PER_REASON} lines per reason)",
                    m.evidence_omitted
                ))
            )?;
        }
    }
    section(
        out,
        &p,
        "Auth failures",
        s.auth_failures.len(),
        s.auth_failures_found,
    )?;
    capped(out, &p, s, s.auth_failures.len(), s.auth_failures_found)?;
    if s.open_401s_untracked > 0 {
        writeln!(out, "  {}", p.dim(&untracked_note(s.open_401s_untracked)))?;
    }
    for Group {
        first: a,
        lines,
        traces,
        also,
    } in grouped_auth_failures(s)
    {
        // Status and realm, each only when known (no trailing blank for a missing realm).
        let answer: Vec<String> = a
            .status
            .map(|c| c.to_string())
            .into_iter()
            .chain(a.realm.as_deref().map(|r| format!("realm {}", inert(r))))
            .collect();
        let answer = if answer.is_empty() {
            String::new()
        } else {
            format!("  {}", answer.join(" "))
        };
        writeln!(
            out,
            "  {} {}  {}{answer}",
            p.dim(&format!("{}:", at(s, a.source, &lines))),
            p.red(a.kind),
            inert(&shown_host_of(&a.host, a.inferred_host.as_deref())),
        )?;
        writeln!(out, "    {}", inert(&shortened(&a.text)))?;
        told(out, &p, s, a.source, &also)?;
        trace(out, &p, &traces)?;
        diagnoses(out, &p, kb, &a.kb)?;
    }
    section(out, &p, "Errors", s.errors.len(), s.errors_found)?;
    capped(out, &p, s, s.errors.len(), s.errors_found)?;
    let recovered = s.errors.iter().filter(|e| e.recovered_by.is_some()).count();
    if recovered > 0 {
        let how = match recovery(s) {
            Recovery::Fallback => "another host served the same object next (a fallback",
            Recovery::Retry => "a later attempt on the same host was served (containerd's retry",
            Recovery::Both => "another host or a later attempt served it (a fallback or retry",
        };
        writeln!(
            out,
            "  {}",
            p.dim(&format!(
                "{recovered} of them recovered: {how}; --fail-on unrecovered-errors ignores them)"
            ))
        )?;
    }
    for Group {
        first: e,
        lines,
        traces,
        also,
    } in grouped_errors(s)
    {
        writeln!(
            out,
            "  {} {}  {}",
            p.dim(&format!("{}:", at(s, e.source, &lines))),
            p.red(e.kind),
            inert(&shown_host_of(&e.host, e.inferred_host.as_deref()))
        )?;
        writeln!(out, "    {}", inert(&shortened(&e.text)))?;
        if let Some(by) = &e.recovered_by {
            writeln!(
                out,
                "    {} {} served the same object next",
                p.dim("recovered:"),
                inert(recovering_host(by))
            )?;
        }
        told(out, &p, s, e.source, &also)?;
        trace(out, &p, &traces)?;
        diagnoses(out, &p, kb, &e.kb)?;
    }
    if !s.rate_limits.is_empty() {
        writeln!(out, "\n{}", p.bold("Rate limits"))?;
        for r in &s.rate_limits {
            writeln!(
                out,
                "  {}: lowest remaining {} of {} ({})",
                inert(&shown_host(&r.host, r.inferred)),
                r.lowest_remaining.map_or("?".to_owned(), |v| v.to_string()),
                r.limit.map_or("?".to_owned(), |v| v.to_string()),
                at(s, r.source, &[r.line])
            )?;
        }
    }
    if !s.slowest.is_empty() {
        writeln!(out, "\n{}", p.bold("Slowest fetches"))?;
        for n in &s.slowest {
            let ms = n.duration_ms.unwrap_or(0);
            // As the views write it (`12ms`, `10.0s`); whole-second times (buildkitd's
            // default) know a duration to the second only (`<1s`, `~3s`).
            let took = crate::app::words::duration(ms, n.whole_seconds);
            writeln!(
                out,
                "  {took:>11}  {}  {}  ({})",
                inert(&shown_host_of(&n.host, n.inferred_host.as_deref())),
                inert(&n.what),
                at(s, n.source, &[n.line])
            )?;
        }
    }
    if !s.largest.is_empty() {
        writeln!(out, "\n{}", p.bold("Largest fetches"))?;
        for n in &s.largest {
            writeln!(
                out,
                "  {:>10}  {}  {}  ({})",
                human_bytes(n.bytes.unwrap_or(0)),
                inert(&shown_host_of(&n.host, n.inferred_host.as_deref())),
                inert(&n.what),
                at(s, n.source, &[n.line])
            )?;
        }
    }
    if !s.hints.is_empty() {
        writeln!(out, "\n{}", p.bold("Hints"))?;
        for h in &s.hints {
            writeln!(out, "  {} {}", p.yellow(&format!("[{}]", h.kind)), h.text)?;
        }
    }
    Ok(())
}

/// The requests and responses counted, as the Hosts table counts them: `2 requests, 2
/// responses`, or, when some response's `do request` line is not in the log (an excerpt), the
/// fetches first: `3 fetches (2 requests logged, 3 responses)`. `events` is every fetch the
/// model built, a request or a response without one: the sum of the hosts' requests.
pub(super) fn fetches(s: &Summary) -> String {
    let requests = count(s.requests, "request", "requests");
    let responses = count(s.responses, "response", "responses");
    if s.events > s.requests {
        format!(
            "{} ({} logged, {responses})",
            count(s.events, "fetch", "fetches"),
            requests
        )
    } else {
        format!("{requests}, {responses}")
    }
}

/// Auth failures of one source, kind, host and text shown once, with all their lines.
pub(super) fn grouped_auth_failures(s: &Summary) -> Vec<Group<'_, AuthFailure>> {
    group(
        &s.auth_failures,
        |a| {
            let host = (a.host.clone(), a.inferred_host.clone());
            (a.source, a.kind, host, a.text.clone())
        },
        |a| {
            (
                a.line,
                a.trace_id.as_deref(),
                told_at(a.source, &a.also_lines, &a.also_elsewhere),
            )
        },
    )
}

/// Errors of one source, kind, host and text shown once, with all their lines (a retried 429
/// is one problem).
pub(super) fn grouped_errors(s: &Summary) -> Vec<Group<'_, ErrorSummary>> {
    group(
        &s.errors,
        |e| {
            (
                e.source,
                e.kind,
                (e.host.clone(), e.inferred_host.clone()),
                e.text.clone(),
                e.recovered_by.clone(),
            )
        },
        |e| {
            (
                e.line,
                e.trace_id.as_deref(),
                told_at(e.source, &e.also_lines, &e.also_elsewhere),
            )
        },
    )
}

/// Findings with the same key, shown once: the first, every line, and every trace they are in
/// (one 429 in two builds is two traces, and a reader pasting one id must see the other).
pub(super) struct Group<'a, T> {
    pub first: &'a T,
    pub lines: Vec<u64>,
    /// Distinct trace ids, in the order met.
    pub traces: Vec<&'a str>,
    /// The lines that told these failures again, folded into them (`also_lines`, then
    /// `also_elsewhere`), as (source, line), in order.
    pub also: Vec<(u32, u64)>,
}

/// A finding's `also_lines` (of its `source`) and `also_elsewhere`, as (source, line).
fn told_at(source: u32, lines: &[u64], elsewhere: &[ToldAt]) -> Vec<(u32, u64)> {
    let own = lines.iter().map(|&l| (source, l));
    own.chain(elsewhere.iter().map(|t| (t.source, t.line)))
        .collect()
}

/// `told again at lines 43, 47`: where the failures of a group of `source` were told again
/// (the client's `#3 ERROR:` and `failed to solve` lines after the daemon's; `model::repeat`),
/// which the count leaves out; lines of another source with its name (`told again at
/// build.txt lines 13, 17`: the client's output given as a file of its own); `None` where
/// nothing was.
pub(super) fn told_again(s: &Summary, source: u32, also: &[(u32, u64)]) -> Option<String> {
    if also.is_empty() {
        return None;
    }
    let mut sources: Vec<u32> = Vec::new();
    for (src, _) in also {
        if !sources.contains(src) {
            sources.push(*src);
        }
    }
    let parts: Vec<String> = sources
        .iter()
        .map(|&src| {
            let lines: Vec<u64> = also
                .iter()
                .filter(|(s, _)| *s == src)
                .map(|(_, l)| *l)
                .collect();
            if src == source {
                lines_label(&lines)
            } else {
                at(s, src, &lines)
            }
        })
        .collect();
    Some(format!("told again at {}", parts.join(" and ")))
}

/// Items with the same key shown once, with all their lines (a retried 429 is one problem).
fn group<'a, T, K: PartialEq>(
    items: &'a [T],
    key: impl Fn(&T) -> K,
    at: impl Fn(&'a T) -> (u64, Option<&'a str>, Vec<(u32, u64)>),
) -> Vec<Group<'a, T>> {
    let mut groups: Vec<(K, Group<'a, T>)> = Vec::new();
    for it in items {
        let k = key(it);
        let (line, trace, also) = at(it);
        let g = match groups.iter().position(|(gk, _)| *gk == k) {
            Some(i) => &mut groups[i].1,
            None => {
                groups.push((
                    k,
                    Group {
                        first: it,
                        lines: Vec::new(),
                        traces: Vec::new(),
                        also: Vec::new(),
                    },
                ));
                let last = groups.len() - 1;
                &mut groups[last].1
            }
        };
        g.lines.push(line);
        g.also.extend(also);
        if let Some(t) = trace
            && !g.traces.contains(&t)
        {
            g.traces.push(t);
        }
    }
    groups.into_iter().map(|(_, g)| g).collect()
}

/// `    told again at lines 43, 47 (the same failure, not counted again)` under a finding's
/// text, when later lines told it again.
fn told(
    out: &mut impl Write,
    p: &Paint,
    s: &Summary,
    source: u32,
    also: &[(u32, u64)],
) -> io::Result<()> {
    match told_again(s, source, also) {
        Some(t) => writeln!(
            out,
            "    {}",
            p.dim(&format!("{t} (the same failure, not counted again)"))
        ),
        None => Ok(()),
    }
}

/// Trace ids written out whole, at most this many (then how many in all).
const TRACES_SHOWN: usize = 3;

/// `trace <id>`, `traces <id>, <id>`, `traces <id>, <id>, <id> … (5 in all)`; `None` without
/// a trace. `esc` makes an id safe for the output (terminal or Markdown).
pub(super) fn traces_label(traces: &[&str], esc: impl Fn(&str) -> String) -> Option<String> {
    let shown: Vec<String> = traces.iter().take(TRACES_SHOWN).map(|t| esc(t)).collect();
    match traces.len() {
        0 => None,
        1 => Some(format!("trace {}", shown[0])),
        n if n <= TRACES_SHOWN => Some(format!("traces {}", shown.join(", "))),
        n => Some(format!("traces {} … ({n} in all)", shown.join(", "))),
    }
}

/// Where lines are: `line 4`, and with several sources read, the file too (`b.log line 4`);
/// a file named twice, its index as the JSON's `source` gives it (`b.log (source 1) line 4`:
/// a review read `summary demo.log demo.log` and could not tell its two entries apart).
pub(super) fn at(s: &Summary, source: u32, lines: &[u64]) -> String {
    match s.sources.get(source as usize) {
        Some(name) if s.sources.len() > 1 => {
            let twice = s.sources.iter().filter(|n| *n == name).count() > 1;
            let which = if twice {
                format!(" (source {source})")
            } else {
                String::new()
            };
            format!(
                "{}{which} {}",
                inert(super::input::label(name)),
                lines_label(lines)
            )
        }
        _ => lines_label(lines),
    }
}

/// A section's heading: `Errors (12)`, or `Errors (15000, 9091 listed)` when the cap on
/// findings left some out.
fn section(
    out: &mut impl Write,
    p: &Paint,
    title: &str,
    listed: usize,
    found: u64,
) -> io::Result<()> {
    if listed == 0 && found == 0 {
        writeln!(out, "\n{} {}", p.bold(title), p.green("none"))
    } else {
        let n = counted(listed, found);
        writeln!(out, "\n{} {}", p.bold(title), p.red(&format!("({n})")))
    }
}

/// `12`, or `15000, 9091 listed` when fewer are listed than were found.
pub(super) fn counted(listed: usize, found: u64) -> String {
    if (listed as u64) < found {
        format!("{found}, {listed} listed")
    } else {
        listed.to_string()
    }
}

/// Under a section the cap on findings cut: why fewer are listed than found.
fn capped(
    out: &mut impl Write,
    p: &Paint,
    s: &Summary,
    listed: usize,
    found: u64,
) -> io::Result<()> {
    if (listed as u64) < found {
        writeln!(out, "  {}", p.dim(&omitted_note(s)))?;
    }
    Ok(())
}

/// Why the lists are short: `only the first 10000 findings found are listed (6500 left out:
/// findings_omitted in --json)`.
pub(super) fn omitted_note(s: &Summary) -> String {
    format!(
        "only the first {} findings found are listed ({} left out: findings_omitted in --json)",
        crate::model::MAX_FINDINGS,
        s.findings_omitted
    )
}

/// Why some 401s are in no list: `120 401s let go unjudged …`.
pub(super) fn untracked_note(n: u64) -> String {
    format!(
        "{n} 401s let go unjudged past the tracker's bounds (64 per host or span, 4096 hosts or \
         spans): not known whether a retry got past them, not counted (open_401s_untracked in --json)"
    )
}

/// Characters of a log text a readable report shows (a cut line's 1 MiB url would be a
/// megabyte of report); `--json` keeps the whole text.
const SHOWN_CHARS: usize = 600;

/// `t`, or its first [`SHOWN_CHARS`] characters and how long it was.
pub(super) fn shortened(t: &str) -> std::borrow::Cow<'_, str> {
    match t.char_indices().nth(SHOWN_CHARS) {
        None => t.into(),
        Some((cut, _)) => format!(
            "{} … ({} characters in all; the whole text is in --json)",
            &t[..cut],
            t.chars().count()
        )
        .into(),
    }
}

/// What the Mirrors section says when it has no verdict.
fn no_mirror(s: &Summary) -> &'static str {
    if s.config_given {
        "none seen, and the config names no mirror (buildkitd.toml: mirrors = [...] under \
[registry.\"docker.io\"]; daemon.json: \"registry-mirrors\")"
    } else {
        "none configured or seen (pass --config buildkitd.toml to judge a configured mirror)"
    }
}

/// The traces a failure is in, whole (to paste into `f trace=…` or jq).
fn trace(out: &mut impl Write, p: &Paint, traces: &[&str]) -> io::Result<()> {
    match traces_label(traces, |t| inert(t).into_owned()) {
        Some(label) => {
            let (word, ids) = label.split_once(' ').unwrap_or(("trace", &label));
            writeln!(out, "    {} {ids}", p.dim(word))
        }
        None => Ok(()),
    }
}

fn diagnoses(
    out: &mut impl Write,
    p: &Paint,
    kb: &KnowledgeBase,
    ids: &[Shared],
) -> io::Result<()> {
    if let Some(first) = ids.first() {
        let title = kb.get(first).map(|e| e.title.as_str()).unwrap_or("");
        writeln!(
            out,
            "    {} {first}: {title}  (bkscope kb show {first})",
            p.yellow("diagnosis")
        )?;
    }
    Ok(())
}
