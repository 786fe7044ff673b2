//! Mirrors and hosts: per upstream registry whether its mirror was really used, with the
//! evidence lines; per host the counts, bytes, error rate, who served, sparklines of requests,
//! errors and in-flight requests over the log's time span (so "the mirror went down at 10:42
//! and pulls fell back to Docker Hub" shows at a glance), and Docker Hub's rate-limit remaining.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table};

use crate::app::App;
use crate::app::mirrors::CONNECTION_LIMIT;
use crate::app::words::count;
use crate::model::mirror::Verdict;

use super::text::{bytes, fit, resample, sparkline};
use super::theme::Theme;

/// Draws the verdicts into `area`.
pub fn render_verdicts(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let block = Block::default()
        .borders(Borders::BOTTOM)
        .border_style(theme.border);
    let verdicts = app.model.mirror_verdicts();
    if verdicts.is_empty() {
        let text = if app.opts.mirrors.mirrors.is_empty() {
            "no mirror seen (no ?ns= request) and none configured; --config buildkitd.toml names the configured ones"
        } else {
            "the configured mirrors have not been asked yet"
        };
        frame.render_widget(
            Paragraph::new(vec![
                Line::styled("MIRRORS", theme.table_header),
                Line::styled(text, theme.dim),
            ])
            .block(block),
            area,
        );
        return;
    }
    let rows: Vec<Row> = verdicts
        .iter()
        .map(|v| {
            let (word, style) = match v.verdict {
                Verdict::Used => ("used", theme.ok),
                Verdict::Partial => ("partial", theme.warning),
                Verdict::Unused => ("UNUSED", theme.error),
                Verdict::Unknown => ("unknown", theme.dim),
            };
            let evidence = v
                .evidence
                .iter()
                .take(2)
                .map(|e| format!("L{} {}", e.line, e.why))
                .collect::<Vec<_>>()
                .join("; ");
            Row::new(vec![
                Cell::new(fit(&v.upstream, 16)),
                Cell::new(fit(&v.mirror, 22)).style(theme.accent),
                Cell::new(word).style(style),
                Cell::new(format!("{}/{}/{}", v.via_mirror, v.direct, v.fallbacks)),
                Cell::new(fit(&evidence, 200)).style(theme.dim),
            ])
        })
        .collect();
    let table = Table::new(
        rows,
        [
            Constraint::Length(16),
            Constraint::Length(22),
            Constraint::Length(8),
            Constraint::Length(10),
            Constraint::Min(10),
        ],
    )
    .header(
        Row::new(["UPSTREAM", "MIRROR", "VERDICT", "VIA/DIR/FB", "EVIDENCE"])
            .style(theme.table_header),
    )
    .column_spacing(1)
    .block(block);
    frame.render_widget(table, area);
}

/// Draws the hosts table into `area`, and below it, when there is room, the evidence behind
/// the verdicts that concern the selected host.
pub fn render_hosts(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let table_rows = app.activity.hosts.len() as u16 + 1;
    if area.height > table_rows + 4 {
        let [t, e] =
            Layout::vertical([Constraint::Length(table_rows), Constraint::Min(3)]).areas(area);
        render_host_table(frame, t, app, theme);
        render_evidence(frame, e, app, theme);
    } else {
        render_host_table(frame, area, app, theme);
    }
}

fn render_evidence(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let host = app
        .activity
        .hosts
        .get(app.hosts_cursor.selected)
        .map(|h| h.host.as_str());
    let verdicts = app.model.mirror_verdicts();
    let concerned: Vec<_> = verdicts
        .iter()
        .filter(|v| host.is_none_or(|h| v.mirror == h || v.upstream == h))
        .collect();
    let shown = if concerned.is_empty() {
        verdicts.iter().collect()
    } else {
        concerned
    };
    let mut lines = Vec::new();
    for v in shown {
        lines.push(Line::styled(
            format!(
                "evidence: {} → {} ({} via mirror, {} direct, {})",
                fit(&v.upstream, 40),
                fit(&v.mirror, 40),
                v.via_mirror,
                v.direct,
                count(v.fallbacks, "fallback", "fallbacks")
            ),
            theme.table_header,
        ));
        for e in &v.evidence {
            lines.push(Line::from(vec![
                Span::styled(format!("{:>7} ", format!("L{}", e.line)), theme.dim),
                Span::raw(fit(&e.why, usize::from(area.width))),
            ]));
        }
    }
    if let Some(h) = host
        && let Some(r) = app.model.stats().rate_limits.get(h)
    {
        lines.push(Line::styled(
            format!(
                "rate limit on {}: lowest remaining {} of {} (line {})",
                fit(h, 40),
                r.lowest_remaining.map_or("?".into(), |v| v.to_string()),
                r.limit.map_or("?".into(), |v| v.to_string()),
                r.line
            ),
            theme.warning,
        ));
    }
    let block = Block::default()
        .borders(Borders::TOP)
        .border_style(theme.border);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

fn render_host_table(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let stats = app.model.stats();
    let act = &app.activity;
    let spark_w = usize::from(area.width.saturating_sub(71) / 3).clamp(6, 32);
    let body = usize::from(area.height.saturating_sub(1));
    let cursor = app.hosts_cursor;
    let offset = cursor.visible_offset(act.hosts.len(), body);
    let rows: Vec<Row> = act
        .hosts
        .iter()
        .enumerate()
        .skip(offset)
        .take(body)
        .map(|(i, h)| {
            let s = stats.hosts.get(&h.host);
            let (reqs, errs, b) = s.map_or((0, 0, 0), |s| (s.requests, s.errors, s.bytes));
            let rate = (errs * 100).checked_div(reqs).unwrap_or(0);
            let servers = s
                .map(|s| s.servers.iter().cloned().collect::<Vec<_>>().join(","))
                .unwrap_or_default();
            let limit = stats.rate_limits.get(&h.host).map_or(String::new(), |r| {
                format!(
                    "{}/{}",
                    r.lowest_remaining.map_or("?".into(), |v| v.to_string()),
                    r.limit.map_or("?".into(), |v| v.to_string())
                )
            });
            let peak_style = if h.at_limit() {
                theme.error
            } else {
                theme.text
            };
            let inflight: Vec<u64> = resample(&h.in_flight, spark_w);
            let mut style = if errs > 0 { theme.warning } else { theme.text };
            if app.row_matches(i) {
                style = style.patch(theme.search_match);
            }
            if i == cursor.selected {
                style = style.patch(theme.selected);
            }
            Row::new(vec![
                Cell::new(fit(&h.host, 22)).style(theme.accent),
                Cell::new(reqs.to_string()),
                Cell::new(format!("{rate}%")).style(if errs > 0 {
                    theme.warning
                } else {
                    theme.dim
                }),
                Cell::new(bytes(b)),
                Cell::new(fit(&servers, 12)),
                Cell::new(format!("{}{}", h.peak, if h.at_limit() { "!" } else { "" }))
                    .style(peak_style),
                Cell::new(sparkline(&h.requests, spark_w)).style(theme.spark),
                Cell::new(sparkline(&h.errors, spark_w)).style(theme.spark_error),
                Cell::new(Line::from(
                    inflight
                        .iter()
                        .zip(sparkline(&inflight, spark_w).chars())
                        .map(|(&v, c)| {
                            Span::styled(
                                c.to_string(),
                                if v >= CONNECTION_LIMIT {
                                    theme.spark_error
                                } else {
                                    theme.spark
                                },
                            )
                        })
                        .collect::<Vec<_>>(),
                )),
                Cell::new(limit),
            ])
            .style(style)
        })
        .collect();
    let w = spark_w as u16;
    let table = Table::new(
        rows,
        [
            Constraint::Length(22),
            Constraint::Length(5),
            Constraint::Length(4),
            Constraint::Length(6),
            Constraint::Length(12),
            Constraint::Length(4),
            Constraint::Length(w),
            Constraint::Length(w),
            Constraint::Length(w),
            Constraint::Length(9),
        ],
    )
    .header(
        Row::new([
            "HOST",
            "REQS",
            "ERR",
            "BYTES",
            "SERVED BY",
            "PEAK",
            "REQUESTS",
            "ERRORS",
            "IN FLIGHT",
            "RATELIMIT",
        ])
        .style(theme.table_header),
    )
    .column_spacing(1);
    frame.render_widget(table, area);
}
