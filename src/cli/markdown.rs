//! `summary --markdown`: the report as GitHub-flavoured Markdown, for a CI job's step summary
//! (`>> "$GITHUB_STEP_SUMMARY"`) or a merge-request comment: a headline that says at a glance
//! whether the mirrors were used and whether anything failed, then tables of mirrors, auth
//! failures, errors and hosts, the mirror evidence folded in `<details>`.
//!
//! Log text is hostile here twice: to a terminal (every string goes through `sanitize::inert`
//! first) and to the Markdown renderer: [`text`] escapes what would make markup (emphasis, code
//! spans, links, raw HTML, table cells, headings), so a line from the log stays one cell of
//! literal text. The same `--fail-on` exit codes as the other formats.
//!
//! Bounded whatever the log: GitHub refuses a step summary over 1 MiB ("supports content up to
//! a size of 1024k") and drops all of it, and a log of thousands of distinct errors made
//! megabytes. Every table and list that grows with the log (mirrors, their reasons and
//! evidence, auth failures, errors, hosts, rate limits) shows at most [`MAX_ROWS`] rows, and
//! their rows together at most [`ROW_BYTES`] bytes ([`Budget`]); a row is written whole or not
//! at all, and a line under the table says how many more there are and that `summary --json`
//! has them. The headline names at most [`HEADLINE_MIRRORS`] mirrors and counts the others;
//! its counts and the section titles' are never capped.

use std::io::{self, Write};

use crate::app::markdown::literal_cut;
use crate::app::mirror_report::mark;
use crate::app::words::count;
use crate::kb::KnowledgeBase;
use crate::model::intern::Shared;
use crate::model::mirror::{EVIDENCE_PER_REASON, MirrorVerdict, Verdict};
use crate::model::summary::shown_host_of;
use crate::model::{Summary, recovering_host};

use super::report::{Group, at, grouped_auth_failures, grouped_errors, human_bytes, traces_label};

/// Longest log text written into one cell (characters); longer ones end in `…`.
const MAX_CELL: usize = 300;

/// Mirror evidence lines listed per mirror (the JSON has them all).
const MAX_EVIDENCE: usize = 20;

/// Rows a table (or items a list) that grows with the log shows at most; a line under it
/// counts the rest.
const MAX_ROWS: usize = 200;

/// Bytes the rows of all those tables and lists take at most, together: with the headline
/// (at most [`HEADLINE_MIRRORS`] mirrors of two cells each) and the fixed text, the document
/// stays under 512 KiB whatever the log, half of GitHub's 1 MiB step-summary limit, room for the
/// steps that append to the same file. 200 rows of the longest cells (300 characters of
/// four-byte UTF-8) would be several megabytes; real rows of 300 to 500 bytes stop at
/// [`MAX_ROWS`] long before this.
const ROW_BYTES: usize = 384 * 1024;

/// Mirrors the headline names at most; it counts the others (`… and 3 more mirrors not used`).
const HEADLINE_MIRRORS: usize = 8;

/// What the capped tables and lists may still write ([`ROW_BYTES`], shared by all of them in
/// the document's order).
struct Budget {
    bytes: usize,
}

impl Budget {
    fn new() -> Budget {
        Budget { bytes: ROW_BYTES }
    }

    /// Writes `rows` (each a whole line, without its newline) while [`MAX_ROWS`] and the bytes
    /// left allow, never part of one; the first that does not fit ends the table, so the rows
    /// shown are the first ones. Returns how many were left out.
    fn rows(
        &mut self,
        out: &mut impl Write,
        rows: impl ExactSizeIterator<Item = String>,
    ) -> io::Result<usize> {
        let total = rows.len();
        let mut written = 0;
        for row in rows {
            if written == MAX_ROWS || !self.take(row.len() + 1) {
                break;
            }
            writeln!(out, "{row}")?;
            written += 1;
        }
        Ok(total - written)
    }

    /// True when `n` more bytes fit, which are then spent.
    fn take(&mut self, n: usize) -> bool {
        match self.bytes.checked_sub(n) {
            Some(left) => {
                self.bytes = left;
                true
            }
            None => {
                // Nothing after a row that did not fit: the rows shown stay the first ones.
                self.bytes = 0;
                false
            }
        }
    }
}

/// The line under a capped table or list: how many `what` (`row`, `rows`) it left out of
/// `total`, and where they all are. Nothing when none was.
fn more(out: &mut impl Write, left: usize, total: usize, what: (&str, &str)) -> io::Result<()> {
    if left == 0 {
        return Ok(());
    }
    let noun = if left == 1 { what.0 } else { what.1 };
    writeln!(
        out,
        "_… and {left} more {noun} not shown ({} of {total} here: the Markdown caps its tables to \
         stay under GitHub's 1 MiB step-summary limit); `bkscope summary --json` has them all._\n",
        total - left,
    )
}

/// Writes the report.
pub fn write(s: &Summary, kb: &KnowledgeBase, out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "## bkscope: {}\n", headline(s))?;
    writeln!(
        out,
        "{}, {}, {}{}{}\n",
        count(s.lines, "line", "lines"),
        super::report::fetches(s),
        if s.traces_estimated { "about " } else { "" },
        count(s.traces, "trace", "traces"),
        match s.sources.as_slice() {
            [] => String::new(),
            names => format!(
                " in {}",
                names
                    .iter()
                    .map(|n| text(super::input::label(n)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    )?;
    if let Some(changed) = super::report::changed_lines(s) {
        writeln!(out, "> ⚠️ lines changed to read them: {changed}\n")?;
    }
    let mut budget = Budget::new();
    mirrors(s, &mut budget, out)?;
    auth_failures(s, kb, &mut budget, out)?;
    errors(s, kb, &mut budget, out)?;
    hosts(s, &mut budget, out)?;
    rate_limits(s, &mut budget, out)?;
    if !s.hints.is_empty() {
        writeln!(out, "### Hints\n")?;
        for h in &s.hints {
            writeln!(out, "- **{}**: {}", text(&h.kind), text(&h.text))?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// The listed errors split as the headline counts them: not recovered, and recovered (by a
/// fallback, a retry, or either); the Fetch errors title repeats the split.
struct ErrorSplit {
    unrecovered: u64,
    recovered: u64,
    by: &'static str,
}

impl ErrorSplit {
    fn of(s: &Summary) -> ErrorSplit {
        let recovered = s.errors.iter().filter(|e| e.recovered_by.is_some()).count() as u64;
        ErrorSplit {
            unrecovered: s.errors.len() as u64 - recovered,
            recovered,
            by: match super::report::recovery(s) {
                super::report::Recovery::Fallback => "a fallback",
                super::report::Recovery::Retry => "a retry",
                super::report::Recovery::Both => "a fallback or retry",
            },
        }
    }

    /// What follows the count in the title: `: 6 unrecovered, 4 recovered by a fallback`,
    /// `, all recovered by a fallback`, nothing when none was recovered. Past the cap on
    /// findings (`capped`) the split is of the listed ones, so no `all`: `: 9091 recovered …`.
    fn title_words(&self, capped: bool) -> String {
        match (self.unrecovered, self.recovered) {
            (_, 0) => String::new(),
            (0, r) if capped => format!(": {r} recovered by {}", self.by),
            (0, _) => format!(", all recovered by {}", self.by),
            (u, r) => format!(": {u} unrecovered, {r} recovered by {}", self.by),
        }
    }
}

/// What a CI reader needs first: the mirror verdicts that are not `used`, and the failures.
fn headline(s: &Summary) -> String {
    let mut parts = Vec::new();
    // Nothing read is nothing checked: no green tick for it (the `empty-input` hint says why).
    if s.lines == 0 {
        parts.push("❔ empty input, nothing checked".to_owned());
    } else if s.requests == 0 && s.responses == 0 {
        // No request logged: nothing proves the pulls were fine (the hint says why).
        parts.push(if s.hints.iter().any(|h| h.kind == "docker-error") {
            "❔ a docker CLI error, not a daemon log: nothing checked".to_owned()
        } else if s.hints.iter().any(|h| h.kind == "not-text") {
            "❔ not a text log (mostly not UTF-8): nothing checked".to_owned()
        } else {
            "❔ no registry request logged (debug logging off?)".to_owned()
        });
    }
    if !s.auth_failures.is_empty() {
        parts.push(format!(
            "❌ {}",
            count(s.auth_failures_found, "auth failure", "auth failures")
        ));
    }
    // A mirror's miss the upstream then served is not a failed pull: told apart (its
    // mirror's verdict below says what it cost).
    let split = ErrorSplit::of(s);
    if split.unrecovered > 0 {
        parts.push(format!(
            "❌ {}",
            count(split.unrecovered, "fetch error", "fetch errors")
        ));
    }
    if split.recovered > 0 {
        parts.push(format!(
            "↩️ {} recovered by {}",
            count(split.recovered, "error", "errors"),
            split.by
        ));
    }
    // Past the cap on findings (`findings_omitted`): counted, not known recovered or not.
    let unlisted = s.errors_found.saturating_sub(s.errors.len() as u64);
    if unlisted > 0 {
        parts.push(format!(
            "❔ {} not listed",
            count(unlisted, "more fetch error", "more fetch errors")
        ));
    }
    // A backup an earlier configured mirror made unnecessary is nothing to report. The first
    // [`HEADLINE_MIRRORS`] are named, the others counted.
    let not_used: Vec<_> = s
        .mirrors
        .iter()
        .filter(|m| !m.not_needed && m.verdict != Verdict::Used)
        .collect();
    for m in not_used.iter().take(HEADLINE_MIRRORS) {
        let mark = match m.verdict {
            Verdict::Used => continue,
            Verdict::Partial => "⚠️",
            Verdict::Unused => "❌",
            Verdict::Unknown => "❔",
        };
        parts.push(format!(
            "{mark} mirror {} → {} {}",
            text(&m.upstream),
            text(&m.mirror),
            m.verdict.as_str().to_ascii_uppercase()
        ));
    }
    if let Some(more) = not_used.len().checked_sub(HEADLINE_MIRRORS)
        && more > 0
    {
        parts.push(format!(
            "… and {} not used",
            count(more as u64, "more mirror", "more mirrors")
        ));
    }
    if parts.is_empty() {
        let used = s
            .mirrors
            .iter()
            .filter(|m| m.verdict == Verdict::Used)
            .count();
        return match used {
            0 => "✅ no auth failures, no fetch errors".to_owned(),
            1 => "✅ mirror used, no auth failures, no fetch errors".to_owned(),
            n => format!("✅ {n} mirrors used, no auth failures, no fetch errors"),
        };
    }
    parts.join(" · ")
}

fn mirrors(s: &Summary, budget: &mut Budget, out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "### Mirrors\n")?;
    if s.mirrors.is_empty() {
        let say = if s.config_given {
            "None seen, and the config names no mirror (buildkitd.toml: `mirrors = [...]` under \
`[registry.\"docker.io\"]`; daemon.json: `\"registry-mirrors\"`)."
        } else {
            "None configured or seen (pass `--config buildkitd.toml` to judge a configured mirror)."
        };
        writeln!(out, "{say}\n")?;
        return Ok(());
    }
    writeln!(
        out,
        "| upstream | mirror | verdict | via mirror | direct | fallbacks |"
    )?;
    writeln!(out, "|---|---|---|---:|---:|---:|")?;
    let rows = s.mirrors.iter().map(|m| {
        format!(
            "| {} | {}{} | {} **{}** | {} | {} | {} |",
            text(&m.upstream),
            text(&m.mirror),
            if m.configured { " (configured)" } else { "" },
            mark(m.verdict),
            m.verdict.as_str().to_ascii_uppercase(),
            m.via_mirror,
            m.direct,
            m.fallbacks
        )
    });
    let left = budget.rows(out, rows)?;
    writeln!(out)?;
    more(out, left, s.mirrors.len(), ("row", "rows"))?;
    let reasons: Vec<_> = s
        .mirrors
        .iter()
        .filter_map(|m| Some((m, m.reason.as_ref()?)))
        .collect();
    if !reasons.is_empty() {
        let items = reasons.iter().map(|(m, reason)| {
            format!(
                "- {} → {}: {}",
                text(&m.upstream),
                text(&m.mirror),
                text(reason)
            )
        });
        let left = budget.rows(out, items)?;
        writeln!(out)?;
        more(out, left, reasons.len(), ("reason", "reasons"))?;
    }
    let with_evidence: Vec<_> = s
        .mirrors
        .iter()
        .filter(|m| !m.evidence.is_empty())
        .collect();
    let blocks = with_evidence.iter().map(|m| evidence(s, m));
    let left = budget.rows(out, blocks)?;
    more(
        out,
        left,
        with_evidence.len(),
        ("mirror's evidence", "mirrors' evidence"),
    )
}

/// A mirror's evidence folded in `<details>`, as one block (its last line without its newline):
/// [`MAX_EVIDENCE`] lines, then how many more `summary --json` has and how many were not kept.
fn evidence(s: &Summary, m: &MirrorVerdict) -> String {
    use std::fmt::Write as _;
    let mut b = String::new();
    let _ = writeln!(
        b,
        "<details><summary>Evidence for {} → {} ({})</summary>\n",
        text(&m.upstream),
        text(&m.mirror),
        count(
            m.evidence.len() as u64 + m.evidence_omitted,
            "line",
            "lines"
        )
    );
    for e in m.evidence.iter().take(MAX_EVIDENCE) {
        let _ = writeln!(
            b,
            "- {}: {}",
            text(&at(s, e.source, &[e.line])),
            text(&e.why)
        );
    }
    if m.evidence.len() > MAX_EVIDENCE {
        let _ = writeln!(
            b,
            "- … {} more in `summary --json`",
            m.evidence.len() - MAX_EVIDENCE
        );
    }
    if m.evidence_omitted > 0 {
        let _ = writeln!(
            b,
            "- … and {} more (not kept: {EVIDENCE_PER_REASON} lines per reason)",
            m.evidence_omitted
        );
    }
    b.push_str("\n</details>\n");
    b
}

fn auth_failures(
    s: &Summary,
    kb: &KnowledgeBase,
    budget: &mut Budget,
    out: &mut impl Write,
) -> io::Result<()> {
    let rows = grouped_auth_failures(s).into_iter().map(|g| {
        let a = g.first;
        vec![
            place(s, a.source, &g),
            format!("**{}**", a.kind),
            text(&shown_host_of(&a.host, a.inferred_host.as_deref())),
            a.status.map(|c| c.to_string()).unwrap_or_default(),
            a.realm.as_deref().map(text).unwrap_or_default(),
            text(&a.text),
            diagnosis(kb, &a.kb),
        ]
    });
    let head = "| where | kind | host | status | realm | what the log says | diagnosis |";
    section(
        out,
        "Auth failures",
        (s.auth_failures.len(), s.auth_failures_found, ""),
        s,
        head,
        "|---|---|---|---:|---|---|---|",
        (budget, rows),
    )
}

fn errors(
    s: &Summary,
    kb: &KnowledgeBase,
    budget: &mut Budget,
    out: &mut impl Write,
) -> io::Result<()> {
    let rows = grouped_errors(s).into_iter().map(|g| {
        let e = g.first;
        vec![
            place(s, e.source, &g),
            format!("**{}**", e.kind),
            text(&shown_host_of(&e.host, e.inferred_host.as_deref())),
            match &e.recovered_by {
                Some(by) => format!(
                    "{} (recovered: {} served the same object next)",
                    text(&e.text),
                    text(recovering_host(by))
                ),
                None => text(&e.text),
            },
            diagnosis(kb, &e.kb),
        ]
    });
    let head = "| where | kind | host | what the log says | diagnosis |";
    // The title splits the count as the headline does (of the listed errors: those past the
    // cap on findings are not known recovered or not).
    section(
        out,
        "Fetch errors",
        (
            s.errors.len(),
            s.errors_found,
            &ErrorSplit::of(s).title_words((s.errors.len() as u64) < s.errors_found),
        ),
        s,
        head,
        "|---|---|---|---|---|",
        (budget, rows),
    )
}

/// Where a finding is: its lines, and its traces when BuildKit logged them.
fn place<T>(s: &Summary, source: u32, g: &Group<'_, T>) -> String {
    let at = text(&at(s, source, &g.lines));
    let at = match super::report::told_again(s, source, &g.also) {
        Some(again) => format!("{at} ({})", text(&again)),
        None => at,
    };
    match traces_label(&g.traces, text) {
        Some(t) => format!("{at}, {t}"),
        None => at,
    }
}

/// A section of findings: `### Title: none`, or `### Title (n)` (`n` followed by `split`)
/// and its table, capped by `budget` (a line under it counts the rows left out).
fn section(
    out: &mut impl Write,
    title: &str,
    (listed, found, split): (usize, u64, &str),
    s: &Summary,
    head: &str,
    align: &str,
    (budget, rows): (&mut Budget, impl ExactSizeIterator<Item = Vec<String>>),
) -> io::Result<()> {
    // 401s let go unjudged (`open_401s_untracked`) are in no list: said under the heading.
    let untracked = (title == "Auth failures" && s.open_401s_untracked > 0)
        .then(|| super::report::untracked_note(s.open_401s_untracked));
    if listed == 0 && found == 0 {
        writeln!(out, "### {title}: none\n")?;
        if let Some(note) = untracked {
            writeln!(out, "_{note}_\n")?;
        }
        return Ok(());
    }
    let n = super::report::counted(listed, found);
    writeln!(out, "### {title} ({n}{split})\n")?;
    if (listed as u64) < found {
        writeln!(out, "_{}_\n", super::report::omitted_note(s))?;
    }
    if let Some(note) = untracked {
        writeln!(out, "_{note}_\n")?;
    }
    writeln!(out, "{head}\n{align}")?;
    let total = rows.len();
    let left = budget.rows(out, rows.map(|row| format!("| {} |", row.join(" | "))))?;
    writeln!(out)?;
    more(out, left, total, ("row", "rows"))
}

fn hosts(s: &Summary, budget: &mut Budget, out: &mut impl Write) -> io::Result<()> {
    if s.hosts.is_empty() {
        return Ok(());
    }
    writeln!(out, "### Hosts\n")?;
    writeln!(out, "| host | requests | errors | bytes | served by |")?;
    writeln!(out, "|---|---:|---:|---:|---|")?;
    let rows = s.hosts.iter().map(|h| {
        format!(
            "| {} | {} | {} | {} | {} |",
            text(&h.shown()),
            h.requests,
            h.errors,
            human_bytes(h.bytes),
            if h.servers.is_empty() {
                "-".to_owned()
            } else {
                text(&h.servers.join(", "))
            }
        )
    });
    let left = budget.rows(out, rows)?;
    writeln!(out)?;
    more(out, left, s.hosts.len(), ("row", "rows"))?;
    if s.hosts.iter().any(|h| h.inferred) {
        writeln!(
            out,
            "`host?`: inferred, logged without a host; placed by who answered (its response headers) and the `--config` mirrors; so are the findings and fetches it places (`inferred_host` in `--json`).\n"
        )?;
    }
    Ok(())
}

fn rate_limits(s: &Summary, budget: &mut Budget, out: &mut impl Write) -> io::Result<()> {
    if s.rate_limits.is_empty() {
        return Ok(());
    }
    writeln!(out, "### Rate limits\n")?;
    writeln!(out, "| host | lowest remaining | limit | where |")?;
    writeln!(out, "|---|---:|---:|---|")?;
    let n = |v: Option<u64>| v.map_or("?".to_owned(), |v| v.to_string());
    let rows = s.rate_limits.iter().map(|r| {
        format!(
            "| {} | {} | {} | {} |",
            text(&crate::model::summary::shown_host(&r.host, r.inferred)),
            n(r.lowest_remaining),
            n(r.limit),
            text(&at(s, r.source, &[r.line]))
        )
    });
    let left = budget.rows(out, rows)?;
    writeln!(out)?;
    more(out, left, s.rate_limits.len(), ("row", "rows"))
}

/// The best diagnosis: its id, its title and the command that shows it.
fn diagnosis(kb: &KnowledgeBase, ids: &[Shared]) -> String {
    let Some(first) = ids.first() else {
        return String::new();
    };
    let title = kb.get(first).map(|e| e.title.as_str()).unwrap_or("");
    format!(
        "**{}**: {} (`bkscope kb show {}`)",
        text(first),
        text(title),
        first.replace('`', "")
    )
}

/// Log text as one cell of literal Markdown, at most `MAX_CELL` characters
/// ([`literal_cut`]).
pub fn text(s: &str) -> String {
    literal_cut(s, MAX_CELL)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The row cap: the first [`MAX_ROWS`] rows, the rest counted; a table under it whole.
    #[test]
    fn a_table_shows_its_first_rows_and_counts_the_rest() {
        let mut budget = Budget::new();
        let mut out = Vec::new();
        let rows = (0..250).map(|i| format!("| row {i} |"));
        assert_eq!(budget.rows(&mut out, rows).ok(), Some(50));
        let out = String::from_utf8(out).unwrap_or_default();
        assert_eq!(out.lines().count(), MAX_ROWS);
        assert!(out.starts_with("| row 0 |\n") && out.ends_with("| row 199 |\n"));
        let mut small = Vec::new();
        let rows = (0..3).map(|i| format!("| {i} |"));
        assert_eq!(budget.rows(&mut small, rows).ok(), Some(0));
        assert_eq!(small, b"| 0 |\n| 1 |\n| 2 |\n");
    }

    /// The byte cap, shared by the tables in order: rows of the longest cells stop before
    /// [`MAX_ROWS`], never in the middle of one, and a later table gets nothing once a row did
    /// not fit (its rows are all counted).
    #[test]
    fn the_tables_share_a_byte_budget_and_no_row_is_cut() {
        let mut budget = Budget::new();
        let row = format!("| {} |", "\u{1d538}".repeat(1000));
        let mut out = Vec::new();
        let left = budget.rows(
            &mut out,
            std::iter::repeat_n(row.clone(), 150)
                .collect::<Vec<_>>()
                .into_iter(),
        );
        let fit = ROW_BYTES / (row.len() + 1);
        assert!(fit < 150, "{fit}");
        assert_eq!(left.ok(), Some(150 - fit));
        assert_eq!(out.len(), fit * (row.len() + 1));
        let out = String::from_utf8(out).unwrap_or_default();
        assert!(out.lines().all(|l| l == row));
        let mut later = Vec::new();
        let rows = (0..3).map(|i| format!("| {i} |"));
        assert_eq!(budget.rows(&mut later, rows).ok(), Some(3));
        assert!(later.is_empty());
    }

    #[test]
    fn the_line_under_a_cut_table_says_how_many_more() {
        let line = |left, total| {
            let mut out = Vec::new();
            more(&mut out, left, total, ("row", "rows")).ok();
            String::from_utf8(out).unwrap_or_default()
        };
        assert_eq!(line(0, 12), "");
        assert_eq!(
            line(8800, 9000),
            "_… and 8800 more rows not shown (200 of 9000 here: the Markdown caps its tables to \
             stay under GitHub's 1 MiB step-summary limit); `bkscope summary --json` has them \
             all._\n\n"
        );
        assert!(line(1, 201).starts_with("_… and 1 more row not shown (200 of 201 here"));
    }

    #[test]
    fn a_cell_is_literal_and_cut() {
        assert_eq!(text("<b>|[x](y)"), r"\<b\>\|\[x\]\(y\)");
        assert_eq!(text("x".repeat(400).as_str()).chars().count(), MAX_CELL + 1);
    }
}
