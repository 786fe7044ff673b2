//! The knowledge-base pane's text in the Mirrors view (`K` there): the selected host, the
//! mirror verdicts that concern it, and each entry that explains the verdict or the host's
//! failed requests, once, with the lines it explains (`app::host_diagnosis` picks them). When
//! no entry applies, it says why instead of staying blank.

use ratatui::text::{Line, Span};

use crate::app::App;
use crate::app::host_diagnosis::{HostDiagnosis, Role, VerdictDiagnosis};
use crate::app::words::count;
use crate::model::finding::Finding;

use super::diagnosis_pane::{diagnosis_lines, evidence_line, rule};
use super::hyperlink::Link;
use super::mirror_view::verdict_word;
use super::text::clean;
use super::theme::Theme;

/// Line numbers listed before `…`.
const LINES_LISTED: usize = 8;

/// Verdict evidence lines quoted under an entry (the view's evidence below has them all).
const EVIDENCE_QUOTED: usize = 3;

/// The pane's lines for the selected host, `width` columns wide; its doc links noted in `links`.
pub fn lines<'a>(app: &App, width: u16, links: &mut Vec<Link>, theme: &Theme) -> Vec<Line<'a>> {
    let hd = app.host_diagnosis();
    // Inside the pane's left border.
    let inner = width.saturating_sub(1);
    let mut out = head(&hd, theme);
    let mut first = true;
    let mut sep = |out: &mut Vec<Line<'a>>| {
        if !std::mem::take(&mut first) {
            out.push(rule(width, theme));
        }
    };
    for v in &hd.verdicts {
        for d in v.diagnoses {
            sep(&mut out);
            diagnosis_lines(
                &mut out,
                links,
                verdict_evidence(app, v, theme),
                d,
                (app.opts.zh, inner),
                theme,
            );
        }
    }
    for e in &hd.entries {
        sep(&mut out);
        let mut evidence = vec![Line::styled(
            format!(
                "{} of {}: {}",
                count(e.findings.len(), "failure", "failures"),
                clean(hd.host.unwrap_or("unknown")),
                line_list(app, &e.findings)
            ),
            theme.dim,
        )];
        if let Some(f) = e.findings.first() {
            evidence.push(evidence_line(app, f, theme));
        }
        diagnosis_lines(
            &mut out,
            links,
            evidence,
            e.diagnosis,
            (app.opts.zh, inner),
            theme,
        );
    }
    if !hd.entries.is_empty() && !hd.unexplained.is_empty() {
        out.push(rule(width, theme));
        out.push(Line::styled(
            format!(
                "No entry explains {} more: {}.",
                count(hd.unexplained.len(), "failure", "failures"),
                line_list(app, &hd.unexplained)
            ),
            theme.dim,
        ));
    }
    if let Some(why) = hd.why_none() {
        out.push(Line::styled(why, theme.dim));
    }
    out
}

/// The host, its counts, and a line per verdict about it.
fn head<'a>(hd: &HostDiagnosis<'_>, theme: &Theme) -> Vec<Line<'a>> {
    let mut out = Vec::new();
    if let Some(h) = hd.host {
        out.push(Line::from(vec![
            Span::styled(format!("Host {}", clean(h)), theme.title),
            Span::styled(
                format!(
                    "  {}, {} failed",
                    count(hd.requests, "request", "requests"),
                    hd.failed
                ),
                theme.dim,
            ),
        ]));
    }
    for v in &hd.verdicts {
        let m = v.verdict;
        let what = match v.role {
            Role::Mirror => format!("Mirror of {}", clean(&m.upstream)),
            Role::Upstream => format!(
                "Serves {}, mirrored by {}",
                clean(&m.upstream),
                clean(&m.mirror)
            ),
            Role::Any => format!("{} → {}", clean(&m.upstream), clean(&m.mirror)),
        };
        let (word, style) = verdict_word(m.verdict, theme);
        out.push(Line::from(vec![
            Span::raw(format!("{what}: ")),
            Span::styled(word, style),
            Span::styled(
                format!(
                    " ({} via mirror, {} direct, {})",
                    m.via_mirror,
                    m.direct,
                    count(m.fallbacks, "fallback", "fallbacks")
                ),
                theme.dim,
            ),
        ]));
        if v.role == Role::Upstream && m.fallbacks > 0 && v.diagnoses.is_empty() {
            out.push(Line::styled(
                format!(
                    "  why the mirror failed is diagnosed on its row, {}",
                    clean(&m.mirror)
                ),
                theme.dim,
            ));
        }
    }
    out.push(Line::raw(""));
    out
}

/// A verdict's entry's evidence: the verdict and its first lines (the matched conditions follow).
fn verdict_evidence<'a>(app: &App, v: &VerdictDiagnosis<'_>, theme: &Theme) -> Vec<Line<'a>> {
    let m = v.verdict;
    let mut out = vec![Line::styled(
        format!(
            "verdict {} → {}: {}",
            clean(&m.upstream),
            clean(&m.mirror),
            m.verdict.as_str()
        ),
        theme.warning,
    )];
    for e in m.evidence.iter().take(EVIDENCE_QUOTED) {
        out.push(Line::from(vec![
            Span::styled(
                format!("{} ", clean(&app.line_ref(e.source, e.line))),
                theme.dim,
            ),
            Span::raw(clean(&e.why).into_owned()),
        ]));
    }
    if m.evidence.len() > EVIDENCE_QUOTED {
        out.push(Line::styled(
            format!(
                "… {} more below the hosts",
                m.evidence.len() - EVIDENCE_QUOTED
            ),
            theme.dim,
        ));
    }
    out
}

/// `lines 76, 84, 89 and 3 more`.
fn line_list(app: &App, findings: &[&Finding]) -> String {
    // With several sources open the lines name their file: `demo.log lines 76, 84`, or each
    // its own where they are of several (`b.log line 3, a.log line 9`).
    let first = findings.first().map(|f| f.source);
    let one_file = findings.iter().all(|f| Some(f.source) == first);
    let label = first.and_then(|s| app.source_if_several(s));
    let shown: Vec<String> = findings
        .iter()
        .take(LINES_LISTED)
        .map(|f| match (label, one_file) {
            (Some(_), false) => clean(&app.line_ref(f.source, f.line)).into_owned(),
            _ => f.line.to_string(),
        })
        .collect();
    let word = if findings.len() == 1 { "line" } else { "lines" };
    let head = match (label, one_file) {
        (Some(l), true) => format!("{} {word} ", clean(l)),
        (Some(_), false) => String::new(),
        (None, _) => format!("{word} "),
    };
    match findings.len().saturating_sub(LINES_LISTED) {
        0 => format!("{head}{}", shown.join(", ")),
        n => format!("{head}{} and {n} more", shown.join(", ")),
    }
}
