//! The markdown report `x` writes: the selected exchange or trace with its log lines, the
//! pairing, the mirror verdict, the knowledge-base diagnosis and the versions seen in the log.
//! A trace's report names each knowledge-base entry once, with the lines it explains.
//!
//! Headings nest one level at a time. An event's: `#` the request, `## Diagnosis` (its
//! findings, each knowledge-base entry a `###` with `####` Evidence (what of the log matched),
//! Workarounds, Dead ends, Versions (a table) and Docs, as the knowledge-base pane shows them), `## Request headers`, `## Response headers`, `## Log
//! lines`. A trace's: `#` the trace, `##` each failure with its `### Log lines`, `##
//! Diagnoses` with the entries as `###`.
//!
//! Text only, built from redacted model values: ready to paste into an issue. Log text is
//! literal Markdown ([`literal`]) in headings, facts, findings and tables, and inert
//! inside fenced blocks, so a log line cannot open a link, raw HTML or a new table cell.

use std::fmt::Write;

use crate::model::fetch::FetchEvent;
use crate::model::finding::Finding;
use crate::model::recovering_host;
use crate::model::sanitize::inert;

use super::App;
use super::clock::TimeFormat;
use super::diagnosis::DiagnosisView;
use super::markdown::literal;
use super::words::{between, count, lines_label};
use crate::kb::labels::Labels;

/// Report of one fetch event.
pub fn event(app: &App, ev: &FetchEvent) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# bkscope: {}\n", headline(app, ev));
    facts(app, ev, &mut out);
    verdict(app, ev, &mut out);
    diagnosis(app, ev, &mut out);
    headers(app, ev, &mut out);
    lines(app, ev, "##", None, &mut out);
    versions(app, ev, &mut out);
    out
}

/// Report of a failure read from text with no request row (a client's `ERROR: failed to
/// solve: …` pasted along, an info-level log's `fetch failed after status`): the finding, its
/// knowledge-base entries as an event's report gives them, and its line.
pub fn failure(app: &App, f: &Finding) -> String {
    let mut out = String::new();
    let what = if f.kind.is_auth() {
        "auth failure"
    } else {
        "error"
    };
    let _ = writeln!(
        out,
        "# bkscope: {what} at {} line {}\n",
        literal(&label(app, f.source)),
        f.line
    );
    out.push_str("No request line of the log holds it: it was read from this line's text.\n\n");
    out.push_str("## Diagnosis\n\n");
    finding(f, "", &mut out);
    let found = app.diagnoses_of(f);
    if found.is_empty() {
        out.push_str("No knowledge-base entry matches it yet.\n\n");
    }
    for d in found {
        entry(d, ("", &d.evidence), Labels::new(app.opts.zh), &mut out);
    }
    out.push_str("## Log line (redacted)\n\n");
    let text = app
        .lines
        .find(f.source, f.line)
        .map(|l| format!("{}: {}", f.line, inert(&l.text())))
        .unwrap_or_else(|| format!("{}: (no longer kept: --max-lines dropped it)", f.line));
    fenced(&mut out, "", &text);
    out.push('\n');
    out
}

/// Report of one trace: the files its lines are in, every request in it (its span, its url or
/// else its host as the views show it and object, its line numbers, with the file when the
/// trace's lines are in several), then its failures (those the waterfall counts) with their findings and
/// lines, then each diagnosis once with the lines it explains.
pub fn trace(app: &App, trace_id: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# bkscope: trace {}\n", literal(trace_id));
    let Some(t) = app.model.traces().get(trace_id) else {
        out.push_str("(trace not found)\n");
        return out;
    };
    // Counted and timed as the Traces list and the waterfall do (`App::trace_facts`): failures
    // as the views colour them, the duration to the newest line (`≥`) while a request waits.
    // Durations in the views' words: `<1s` / `~Ns` between whole-second times (buildkitd's
    // default), milliseconds where the log has them; none without both ends.
    let facts = app.trace_facts(t);
    let dur = facts.duration();
    // As the Traces list's `↩`: failures a fallback or a retry got past.
    let recovered = app.failures_of(t).filter(|e| app.is_recovered(e)).count();
    let _ = writeln!(
        out,
        "- {} in {}, {} failed{}{}{}",
        count(facts.requests, "request", "requests"),
        count(facts.spans, "span", "spans"),
        facts.failed,
        match recovered {
            0 => String::new(),
            n if n == facts.failed =>
                " (all recovered: a fallback or a retry served them)".to_owned(),
            n => format!(" ({n} recovered by a fallback or a retry)"),
        },
        if dur.is_empty() {
            String::new()
        } else {
            format!(", {dur}")
        },
        // Dated: a report is read away from the log, on another day.
        t.first
            .map(|a| {
                let millis = app.trace_has_millis(t);
                format!(", from {} UTC", TimeFormat::Date.format_to(a, millis))
            })
            .unwrap_or_default()
    );
    // Line numbers are per file: name the file(s), and in the table each row's when several.
    let mut sources: Vec<u32> = t
        .events
        .iter()
        .filter_map(|&id| Some(app.model.event(id)?.source))
        .collect();
    sources.sort_unstable();
    sources.dedup();
    let labels: Vec<String> = sources.iter().map(|&s| literal(&label(app, s))).collect();
    let _ = writeln!(
        out,
        "- {}: {}\n",
        if labels.len() == 1 {
            "source"
        } else {
            "sources"
        },
        labels.join(", ")
    );
    let several = sources.len() > 1;
    // The table's starts, dated only when the trace crosses a day.
    let starts = t
        .first
        .zip(t.last)
        .map_or(TimeFormat::Clock, |(a, b)| TimeFormat::spanning(a, b));
    out.push_str(
        "| start | span | method | request | status | duration | served by | lines |\n\
         |---|---|---|---|---|---|---|---|\n",
    );
    for ev in t.events.iter().filter_map(|&id| app.model.event(id)) {
        let mut lines = ev
            .lines
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        if several {
            lines = format!("{} {lines}", literal(&label(app, ev.source)));
        }
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            ev.started
                .map(|s| starts.format_to(s, app.lines.has_millis(ev.source)))
                .unwrap_or_default(),
            literal(ev.span_id.as_deref().unwrap_or("")),
            literal(ev.method.as_deref().unwrap_or("")),
            request(app, ev),
            literal(&status(ev)),
            duration(ev),
            literal(ev.server.as_deref().unwrap_or("")),
            lines,
        );
    }
    out.push('\n');
    let failed: Vec<&FetchEvent> = app.failures_of(t).collect();
    failures(app, &failed, several, &mut out);
    // The trace's own requests' (the second review: a trace's report listed a user agent
    // only the other open file had).
    let own = t.events.iter().filter_map(|&id| app.model.event(id));
    let list = agents(app, own);
    if !list.is_empty() {
        let _ = writeln!(
            out,
            "Versions seen in this trace (user agents): {}",
            list.join(", ")
        );
    }
    out
}

/// What a trace's table names a request by, as literal Markdown: its url, else (BuildKit >=
/// v0.16 logs none inside its spans) its host as the waterfall shows it (`mirror.gcr.io?`
/// inferred with `--config`, `route::shown_host`) and object, so no row is blank.
fn request(app: &App, ev: &FetchEvent) -> String {
    match &ev.url {
        Some(u) => literal(u),
        None => format!(
            "{} {} (no url logged)",
            literal(&super::route::shown_host(&app.model, ev)),
            ev.kind.as_str()
        ),
    }
}

/// A source's label (`demo.log`), `log` if unknown. Not yet literal Markdown.
fn label(app: &App, source: u32) -> String {
    app.sources
        .get(source as usize)
        .map_or("log", |s| s.label.as_str())
        .to_owned()
}

/// A request's duration as the Events view's DUR column says it: from its request to its
/// answer, blank without both.
fn duration(ev: &FetchEvent) -> String {
    ev.started
        .zip(ev.finished)
        .map(|(a, b)| between(a, b))
        .unwrap_or_default()
}

/// `GET <url> → 404 Not Found`, without a url the host as the views show it (`HEAD
/// mirror.gcr.io? → 404 Not Found`), literal Markdown.
fn headline(app: &App, ev: &FetchEvent) -> String {
    let host = super::route::shown_host(&app.model, ev);
    format!(
        "{} {} → {}",
        literal(ev.method.as_deref().unwrap_or("?")),
        literal(ev.url.as_deref().unwrap_or(&host)),
        literal(&status(ev))
    )
}

fn status(ev: &FetchEvent) -> String {
    match (&ev.status_text, &ev.error) {
        (Some(s), _) => s.to_string(),
        (None, Some(e)) => e.to_string(),
        (None, None) => "no response (yet)".to_owned(),
    }
}

fn facts(app: &App, ev: &FetchEvent, out: &mut String) {
    let label = label(app, ev.source);
    let lines: Vec<String> = ev.lines.iter().map(u64::to_string).collect();
    let _ = writeln!(
        out,
        "- source: {}, {} {}",
        literal(&label),
        if lines.len() == 1 { "line" } else { "lines" },
        lines.join(", ")
    );
    if let Some(s) = ev.started {
        let d = ev.finished.map(|f| format!(", {}", between(s, f)));
        // Dated: a report is read away from the log, on another day.
        let _ = writeln!(
            out,
            "- started {} UTC{}",
            TimeFormat::Date.format_to(s, app.lines.has_millis(ev.source)),
            d.unwrap_or_default()
        );
    }
    for (k, v) in [
        ("host", ev.host.as_deref()),
        ("registry", ev.registry.as_deref()),
        ("repository", ev.repository.as_deref()),
        ("object", Some(ev.kind.as_str())),
        ("digest", ev.digest.as_deref()),
        ("mirror of (ns=)", ev.mirror_of.as_deref()),
        ("served by", ev.server.as_deref()),
        ("because", ev.server_why.as_deref()),
        ("error", ev.error.as_deref()),
        ("traceID", ev.trace_id.as_deref()),
        ("spanID", ev.span_id.as_deref()),
    ] {
        if let Some(v) = v {
            let _ = writeln!(out, "- {k}: {}", literal(v));
        }
    }
    if let Some(c) = &ev.challenge {
        let _ = writeln!(
            out,
            "- challenge: {} realm={} service={} scope={}",
            literal(&c.scheme),
            literal(c.realm.as_deref().unwrap_or("-")),
            literal(c.service.as_deref().unwrap_or("-")),
            literal(c.scope.as_deref().unwrap_or("-"))
        );
    }
    // A pull that reached the upstream of a registry with a mirror: why, as the detail pane.
    if let Some(note) = super::bypass::note(&app.model, ev) {
        let _ = writeln!(out, "- mirror: {}", literal(&note));
    }
    out.push('\n');
}

fn verdict(app: &App, ev: &FetchEvent, out: &mut String) {
    let upstream = ev.mirror_of.as_deref().or(ev.registry.as_deref());
    for v in
        app.model.mirror_verdicts().into_iter().filter(|v| {
            Some(v.upstream.as_str()) == upstream || ev.host.as_deref() == Some(&v.mirror)
        })
    {
        let _ = writeln!(
            out,
            "**Mirror** {} for {}: {:?} ({} via mirror, {} direct, {})\n",
            literal(&v.mirror),
            literal(&v.upstream),
            v.verdict,
            v.via_mirror,
            v.direct,
            count(v.fallbacks, "fallback", "fallbacks")
        );
    }
}

/// The event's findings under `## Diagnosis`, each followed by its knowledge-base entries.
fn diagnosis(app: &App, ev: &FetchEvent, out: &mut String) {
    let mut findings = app.findings_of_event(ev.id).peekable();
    if findings.peek().is_none() {
        return;
    }
    out.push_str("## Diagnosis\n\n");
    for f in findings {
        finding(f, "", out);
        for d in app.diagnoses_of(f) {
            entry(d, ("", &d.evidence), Labels::new(app.opts.zh), out);
        }
    }
}

/// A finding's line: where, what the log says and its kind, then `then`.
fn finding(f: &Finding, then: &str, out: &mut String) {
    // Whether the build got past it: a fallback or a retry served the object next.
    let recovered = f
        .recovered_by
        .as_deref()
        .map(|h| {
            format!(
                "; recovered: {} served it next",
                literal(recovering_host(h))
            )
        })
        .unwrap_or_default();
    // The token endpoint or Basic realm it failed against, as `summary` names it.
    let realm = f
        .realm
        .as_deref()
        .map(|r| format!(", realm {}", literal(r)))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "**Finding** line {}: {} ({}{realm}){recovered}{then}\n",
        f.line,
        literal(&f.text),
        f.kind.name()
    );
}

/// A knowledge-base entry as a `###` section: its title and id, `lines` (what it explains, in
/// a trace report), the root cause, then under `####` headings (`l`: in the language of the
/// entry's text) the `evidence` that matched (an event's finding's; none in a trace report,
/// where the entry explains several), the workarounds ranked with their commands, the dead
/// ends, the version table and the docs, as the knowledge-base pane shows them.
fn entry(d: &DiagnosisView, (lines, evidence): (&str, &[String]), l: &Labels, out: &mut String) {
    let _ = writeln!(
        out,
        "### {} (`{}`)\n\n{lines}{}\n",
        inert(&d.title),
        inert(&d.id),
        inert(&d.text.root_cause)
    );
    if !evidence.is_empty() {
        let _ = writeln!(out, "#### {}\n", l.evidence);
        // Quotes the log: literal, as the findings are.
        for e in evidence {
            let _ = writeln!(out, "- {}", literal(e));
        }
        out.push('\n');
    }
    if !d.text.workarounds.is_empty() {
        let _ = writeln!(out, "#### {}\n", l.workarounds);
    }
    for (i, w) in d.text.workarounds.iter().enumerate() {
        let rate = w
            .success_rate
            .map(|r| format!(" ({r}%)"))
            .unwrap_or_default();
        let _ = writeln!(out, "{}. {}{rate}", i + 1, inert(&w.text));
        for c in &w.commands {
            out.push('\n');
            fenced(out, "   ", c);
        }
    }
    list(l.dead, &d.text.dead_ends, out);
    versions_table(d, l, out);
    list(l.docs, &d.text.docs, out);
    out.push('\n');
}

/// `items` as a `- ` list under `#### title`; nothing when there are none.
fn list(title: &str, items: &[String], out: &mut String) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n#### {title}\n");
    for item in items {
        let _ = writeln!(out, "- {}", inert(item));
    }
}

/// The entry's version table (tool, status, versions, notes) under `#### Versions`, each cell
/// literal so a `|` in it cannot open another; nothing when the entry has none.
fn versions_table(d: &DiagnosisView, l: &Labels, out: &mut String) {
    if d.text.versions.is_empty() {
        return;
    }
    let [tool, status, range, notes] = l.version_columns;
    let _ = writeln!(
        out,
        "\n#### {}\n\n| {tool} | {status} | {range} | {notes} |\n|---|---|---|---|",
        l.versions
    );
    for v in &d.text.versions {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            literal(&v.tool),
            literal(&v.status),
            literal(&v.range),
            literal(v.notes.as_deref().unwrap_or(""))
        );
    }
}

/// The trace report's failures: each failed request with its findings and log lines, then each
/// knowledge-base entry once with the lines it explains (six 429s have one diagnosis, as
/// `summary` groups them), grouped as the Mirrors view's pane groups a host's ([`App::by_entry`]).
/// With `several` files in the trace each failure's lines name theirs.
fn failures(app: &App, failed: &[&FetchEvent], several: bool, out: &mut String) {
    for ev in failed {
        let _ = writeln!(out, "## {}\n", headline(app, ev));
        for f in app.findings_of_event(ev.id) {
            let ids: Vec<String> = app
                .diagnoses_of(f)
                .iter()
                .map(|d| format!("`{}`", inert(&d.id)))
                .collect();
            let below = if ids.is_empty() {
                String::new()
            } else {
                format!("; diagnosis below: {}", ids.join(", "))
            };
            finding(f, &below, out);
        }
        let file = several.then(|| label(app, ev.source));
        lines(app, ev, "###", file.as_deref(), out);
    }
    let (entries, _) = app.by_entry(failed.iter().flat_map(|ev| app.findings_of_event(ev.id)));
    if entries.is_empty() {
        return;
    }
    out.push_str("## Diagnoses\n\n");
    for e in entries {
        let mut at: Vec<u64> = e.findings.iter().map(|f| f.line).collect();
        at.dedup();
        // What matched is each finding's own: the lines it explains say which.
        entry(
            e.diagnosis,
            (&format!("Explains {}.\n\n", lines_label(&at)), &[]),
            Labels::new(app.opts.zh),
            out,
        );
    }
}

/// A fenced code block indented under a list item: one line of the block per line of `text`,
/// each made inert on its own (a config snippet keeps its line breaks). The fence is longer
/// than any run of backticks inside, so nothing in the text can close it early.
pub(super) fn fenced(out: &mut String, indent: &str, text: &str) {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let _ = writeln!(out, "{indent}{fence}");
    for line in text.lines() {
        let _ = writeln!(out, "{indent}{}", inert(line));
    }
    let _ = writeln!(out, "{indent}{fence}");
}

fn headers(app: &App, ev: &FetchEvent, out: &mut String) {
    let (request, response) = app.exchange_headers(ev);
    for (title, list) in [("Request headers", request), ("Response headers", response)] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(out, "## {title}\n");
        // Each header made inert first: a value's own line break stays one visible `\x0a`.
        let text: Vec<String> = list
            .iter()
            .map(|h| format!("{}: {}", inert(&h.name), inert(&h.value)))
            .collect();
        fenced(out, "", &text.join("\n"));
        out.push('\n');
    }
}

/// The event's log lines, fenced, under a heading of `level` (`##` in an event's report, `###`
/// under a trace report's failure); `file` names their file in the heading (a trace report
/// whose lines are in several).
fn lines(app: &App, ev: &FetchEvent, level: &str, file: Option<&str>, out: &mut String) {
    match file {
        Some(f) => {
            let _ = writeln!(out, "{level} Log lines of {} (redacted)\n", literal(f));
        }
        None => {
            let _ = writeln!(out, "{level} Log lines (redacted)\n");
        }
    }
    let text: Vec<String> = ev
        .lines
        .iter()
        .filter_map(|&n| {
            Some(format!(
                "{n}: {}",
                inert(&app.lines.find(ev.source, n)?.text())
            ))
        })
        .collect();
    // A log line can hold backticks: the fence outlasts them (`fenced`).
    fenced(out, "", &text.join("\n"));
    out.push('\n');
}

/// The user agents of `events` (their request lines read again, as the detail pane does),
/// sorted, each once, at most [`MAX_AGENTS`].
fn agents<'a>(app: &App, events: impl Iterator<Item = &'a FetchEvent>) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    for ev in events {
        if seen.len() >= MAX_AGENTS {
            break;
        }
        let (request, _) = app.exchange_headers(ev);
        if let Some(h) = request
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case("user-agent"))
        {
            seen.insert(h.value.to_string());
        }
    }
    seen.iter().map(|a| literal(a)).collect()
}

/// User agents listed at most.
const MAX_AGENTS: usize = 32;

/// The user agents of the log, as the model counted them over every request, with one file
/// open; with several (each another daemon's) the request's own.
fn versions(app: &App, ev: &FetchEvent, out: &mut String) {
    let (what, list) = match app.source_if_several(ev.source) {
        None => (
            "Versions seen in the log",
            app.model
                .stats()
                .agents
                .iter()
                .map(|a| literal(a))
                .collect(),
        ),
        Some(_) => ("Version of this request", agents(app, std::iter::once(ev))),
    };
    if !list.is_empty() {
        let _ = writeln!(out, "{what} (user agents): {}", list.join(", "));
    }
}
