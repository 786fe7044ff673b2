//! The markdown report `x` writes in the Mirrors view: the whole view, whichever row is
//! selected. Under `## Mirrors` every mirror verdict (upstream, mirror marked `(configured)`
//! when the `--config` file names it, the verdict word upper-case as the view writes it, the
//! counts), the reasons and each verdict's evidence lines (`### Evidence for …`); then
//! `## Configured mirrors (--config)`, the mirrors the config names, and `## Hosts`.
//!
//! Shaped and worded as `summary --markdown`'s mirror section (`cli/markdown.rs`): the same
//! table and marks, `upstream → mirror: reason`, `Evidence for upstream → mirror`, `line 22`
//! or with several sources `A.log line 22`, `… and N more (not kept: …)`. Log text (hosts,
//! registries, evidence, source labels) and the config's names are literal Markdown
//! ([`literal`]), so a log line cannot open a link, raw HTML, a code span or a new table cell,
//! and carries no terminal control. Built from redacted model values.

use std::fmt::Write;

use crate::model::mirror::{EVIDENCE_PER_REASON, Evidence, MirrorVerdict, Verdict};

use super::App;
use super::clock::TimeFormat;
use super::markdown::literal;
use super::words::{count, error_rate, human_bytes};

/// Report of the Mirrors view.
pub fn mirrors(app: &App) -> String {
    let mut out = String::new();
    out.push_str("# bkscope: mirrors\n\n");
    facts(app, &mut out);
    let verdicts = app.model.mirror_verdicts();
    // Each verdict's evidence is a subsection of `## Mirrors`, before the next `##`.
    verdict_table(app, &verdicts, &mut out);
    for v in &verdicts {
        evidence(app, v, &mut out);
    }
    configured(app, &verdicts, &mut out);
    hosts(app, &mut out);
    out
}

/// The verdict's mark, as `summary --markdown` writes it.
pub fn mark(v: Verdict) -> &'static str {
    match v {
        Verdict::Used => "✅",
        Verdict::Partial => "⚠️",
        Verdict::Unused => "❌",
        Verdict::Unknown => "❔",
    }
}

/// The verdict's word as the Mirrors view writes it: `USED`, `PARTIAL`, `UNUSED`, `UNKNOWN`.
pub fn word(v: Verdict) -> String {
    v.as_str().to_uppercase()
}

/// The sources, and the time the hosts' activity spans (dated: a report is read away from
/// the log, on another day).
fn facts(app: &App, out: &mut String) {
    let labels: Vec<String> = app.sources.iter().map(|s| literal(&s.label)).collect();
    if !labels.is_empty() {
        let _ = writeln!(
            out,
            "- {}: {}",
            if labels.len() == 1 {
                "source"
            } else {
                "sources"
            },
            labels.join(", ")
        );
    }
    let act = &app.activity;
    let _ = write!(
        out,
        "- {}, {}",
        count(
            app.model.mirror_verdicts().len() as u64,
            "mirror verdict",
            "mirror verdicts"
        ),
        count(act.hosts.len() as u64, "host", "hosts")
    );
    // Any source's requests: milliseconds only when every source has them (`app::clock`).
    let at = |t| TimeFormat::Date.format_to(t, app.lines.all_millis());
    match (act.start, act.end) {
        (Some(a), Some(b)) if a == b => {
            let _ = write!(out, ", requests at {} UTC", at(a));
        }
        (Some(a), Some(b)) => {
            let _ = write!(out, ", requests from {} UTC to {} UTC", at(a), at(b));
        }
        _ => {}
    }
    out.push_str("\n\n");
}

/// `summary --markdown`'s mirror table, the verdict word as the view writes it, then the
/// reasons; what the view says when there is no verdict.
fn verdict_table(app: &App, verdicts: &[MirrorVerdict], out: &mut String) {
    out.push_str("## Mirrors\n\n");
    if verdicts.is_empty() {
        out.push_str(if app.opts.mirrors.mirrors.is_empty() {
            "None configured or seen (no `?ns=` request; pass `--config buildkitd.toml` to \
             judge a configured mirror).\n\n"
        } else {
            "The configured mirrors have not been asked yet.\n\n"
        });
        return;
    }
    out.push_str(
        "| upstream | mirror | verdict | via mirror | direct | fallbacks |\n\
         |---|---|---|---:|---:|---:|\n",
    );
    for v in verdicts {
        let _ = writeln!(
            out,
            "| {} | {}{} | {} **{}** | {} | {} | {} |",
            literal(&v.upstream),
            literal(&v.mirror),
            if v.configured { " (configured)" } else { "" },
            mark(v.verdict),
            word(v.verdict),
            v.via_mirror,
            v.direct,
            v.fallbacks
        );
    }
    out.push('\n');
    let reasons: Vec<String> = verdicts
        .iter()
        .filter_map(|v| {
            Some(format!(
                "- {} → {}: {}",
                literal(&v.upstream),
                literal(&v.mirror),
                literal(v.reason.as_deref()?)
            ))
        })
        .collect();
    if !reasons.is_empty() {
        let _ = writeln!(out, "{}\n", reasons.join("\n"));
    }
}

/// The mirrors the `--config` file names, in its order, each with its verdict or none yet.
fn configured(app: &App, verdicts: &[MirrorVerdict], out: &mut String) {
    let config = &app.opts.mirrors.mirrors;
    out.push_str("## Configured mirrors (--config)\n\n");
    if config.is_empty() {
        out.push_str("None (pass `--config buildkitd.toml` to judge a configured mirror).\n\n");
        return;
    }
    for (upstream, list) in config {
        for m in list {
            let verdict = verdicts
                .iter()
                .find(|v| &v.upstream == upstream && &v.mirror == m)
                .map_or("no verdict yet (not asked)".to_owned(), |v| {
                    format!("{} **{}**", mark(v.verdict), word(v.verdict))
                });
            let _ = writeln!(out, "- {} → {}: {verdict}", literal(upstream), literal(m));
        }
    }
    out.push('\n');
}

/// Where an evidence line is, as the summary says it: `line 22`, with several sources
/// `A.log line 22`.
fn at(app: &App, e: &Evidence) -> String {
    match app.sources.get(e.source as usize) {
        Some(s) if app.sources.len() > 1 => format!("{} line {}", literal(&s.label), e.line),
        _ => format!("line {}", e.line),
    }
}

/// One verdict's evidence, every line the view lists, and the count of those not kept.
fn evidence(app: &App, v: &MirrorVerdict, out: &mut String) {
    let _ = writeln!(
        out,
        "### Evidence for {} → {} ({}{})\n",
        literal(&v.upstream),
        literal(&v.mirror),
        if v.configured { "configured; " } else { "" },
        count(
            v.evidence.len() as u64 + v.evidence_omitted,
            "line",
            "lines"
        )
    );
    if v.evidence.is_empty() {
        out.push_str("No line kept as evidence.\n\n");
        return;
    }
    for e in &v.evidence {
        let _ = writeln!(out, "- {}: {}", at(app, e), literal(&e.why));
    }
    if v.evidence_omitted > 0 {
        let _ = writeln!(
            out,
            "- … and {} more (not kept: {EVIDENCE_PER_REASON} lines per reason)",
            v.evidence_omitted
        );
    }
    out.push('\n');
}

/// The hosts table as the view has it: requests (those still waiting too), failures and
/// their share, bytes, who served, the peak in flight, Docker Hub's rate limit.
fn hosts(app: &App, out: &mut String) {
    out.push_str("## Hosts\n\n");
    if app.activity.hosts.is_empty() {
        out.push_str("No registry request logged.\n");
        return;
    }
    out.push_str(
        "| host | requests | errors | error rate | bytes | served by | peak in flight | \
         rate limit (lowest remaining/limit) |\n\
         |---|---:|---:|---:|---:|---|---:|---:|\n",
    );
    let stats = app.model.stats();
    for h in &app.activity.hosts {
        // The row's own totals where the log named no host (an inferred host, `unknown`), as
        // the view counts them (`HostActivity::totals`).
        let t = h.totals(&app.model);
        let (reqs, errs) = (t.requests, t.errors);
        let served: Vec<&str> = t.servers.iter().map(String::as_str).collect();
        let limit = stats.rate_limits.get(&h.host).map_or(String::new(), |r| {
            let n = |v: Option<u64>| v.map_or("?".to_owned(), |v| v.to_string());
            format!("{}/{}", n(r.lowest_remaining), n(r.limit))
        });
        let _ = writeln!(
            out,
            "| {} | {reqs} | {errs} | {} | {} | {} | {}{} | {limit} |",
            literal(&h.host),
            error_rate(errs, reqs),
            human_bytes(t.bytes),
            if served.is_empty() {
                "-".to_owned()
            } else {
                literal(&served.join(", "))
            },
            if h.peak_known() {
                h.peak.to_string()
            } else {
                "-".to_owned()
            },
            if h.at_limit() {
                format!(
                    " (registry at or past BuildKit's limit of {} per registry)",
                    super::mirrors::CONNECTION_LIMIT
                )
            } else {
                String::new()
            },
        );
    }
    if app.activity.dropped > 0 {
        let _ = writeln!(
            out,
            "\nEvents past the cap (`--max-events`): {} dropped; the counts are of the whole \
             input, the peak in flight and the time span of the {} kept.",
            app.activity.dropped,
            count(app.model.events().len() as u64, "event", "events")
        );
    }
}
