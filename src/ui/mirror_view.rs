//! Mirrors and hosts: per upstream registry whether its mirror was really used, with the
//! evidence lines; per host the counts, bytes, error rate, who served, sparklines of requests,
//! errors and in-flight requests over the log's time span (so "the mirror went down at 10:42
//! and pulls fell back to Docker Hub" shows at a glance), and Docker Hub's rate-limit remaining.
//!
//! Hosts are never cut (a cut `host:port` names another host): their column is as wide as the
//! longest, and the columns after it give way, sparklines first. Other cut text ends in `…`;
//! evidence lines wrap under their line number, and the evidence scrolls (`j` `k` PgUp PgDn
//! `g` `G` in this view) within what it holds.
//!
//! `d` and `K` here, decided to mean what they mean elsewhere: the evidence is this view's
//! detail part, so `d` hides it (the hosts table takes the room and the moving keys move the
//! host selection instead) and shows it again; `K` opens the knowledge-base pane on the right
//! for the selected host (`app::host_diagnosis`: the entries matched on the mirror verdicts
//! about it, `mirror/configured-never-used`, and on its failed requests,
//! `mirror/not-proxied-404`, `mirror/auth-required-fallback`, `mirror/unreachable-fallback`,
//! `ratelimit/…`, `auth/…`; it says why when none applies). Both are this view's own: a pane
//! opened on an error in the Events view does not narrow the hosts table, and the table gives
//! the pane only the columns no host needs.
//!
//! Verdict words are upper-case, `USED` `PARTIAL` `UNUSED` `UNKNOWN`, as `bkscope summary`
//! writes them (colour says the same, for who sees it; the word alone has to do without). A
//! mirror the `--config` file names is marked `(configured)` in the table and in its evidence
//! heading, as the summary marks it: a configured mirror nothing asked and one merely seen in
//! the log are different findings. With several sources each evidence line names its file
//! beside its number (`A.log L22`, the header's label), as the summary's `A.log line 22`
//! does; with one source the number alone.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table};

use crate::app::mirrors::CONNECTION_LIMIT;
use crate::app::scroll::{Extent, Pane};
use crate::app::words::{count, error_rate};
use crate::app::wrap;
use crate::app::{Action, App};
use crate::model::mirror::{Evidence, MirrorVerdict, Verdict};

use super::text::{bytes, clean, fit, position, resample, source_label, sparkline};
use super::theme::Theme;

/// Columns `s` takes once inert.
fn cols(s: &str) -> usize {
    wrap::width(&clean(s))
}

/// The mark a mirror the `--config` file names carries, as the summary writes it.
const CONFIGURED: &str = " (configured)";

/// The MIRROR cell: the host, marked when configured.
fn mirror_cell(v: &MirrorVerdict) -> String {
    if v.configured {
        format!("{}{CONFIGURED}", v.mirror)
    } else {
        v.mirror.clone()
    }
}

/// Where an evidence line is: `L22`, or with several sources `A.log L22`.
fn evidence_at(app: &App, e: &Evidence) -> String {
    if app.sources.len() > 1 {
        format!("{} L{}", source_label(app, e.source), e.line)
    } else {
        format!("L{}", e.line)
    }
}

/// The widest of `values` and `title`, no wider than `cap`.
fn column(values: impl Iterator<Item = usize>, title: &str, cap: usize) -> usize {
    values
        .max()
        .unwrap_or(0)
        .max(title.len())
        .min(cap.max(title.len()))
}

/// A verdict as this view and the knowledge-base pane write it: the word upper-case, as
/// `bkscope summary` writes it, and its colour.
pub(super) fn verdict_word(verdict: Verdict, theme: &Theme) -> (&'static str, Style) {
    match verdict {
        Verdict::Used => ("USED", theme.ok),
        Verdict::Partial => ("PARTIAL", theme.warning),
        Verdict::Unused => ("UNUSED", theme.error),
        Verdict::Unknown => ("UNKNOWN", theme.dim),
    }
}

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
                Line::styled(fit(text, usize::from(area.width)), theme.dim),
            ])
            .block(block),
            area,
        );
        return;
    }
    let width = usize::from(area.width);
    let counts: Vec<String> = verdicts
        .iter()
        .map(|v| format!("{}/{}/{}", v.via_mirror, v.direct, v.fallbacks))
        .collect();
    let cols_w = verdict_columns(
        width,
        column(
            verdicts.iter().map(|v| cols(&v.upstream)),
            "UPSTREAM",
            width / 3,
        ),
        column(
            verdicts.iter().map(|v| cols(&mirror_cell(v))),
            "MIRROR",
            usize::MAX,
        ),
        column(counts.iter().map(String::len), "VIA/DIR/FB", usize::MAX),
    );
    let VerdictColumns {
        up: up_w,
        mirror: mirror_w,
        counts: counts_w,
        evidence: ev_w,
    } = cols_w;
    let rows: Vec<Row> = verdicts
        .iter()
        .zip(counts)
        .map(|(v, counts)| {
            let (word, style) = verdict_word(v.verdict, theme);
            let evidence = v
                .evidence
                .iter()
                .take(2)
                .map(|e| format!("{} {}", evidence_at(app, e), e.why))
                .collect::<Vec<_>>()
                .join("; ");
            let mut cells = vec![
                Cell::new(fit(&v.upstream, up_w)),
                Cell::new(fit(&mirror_cell(v), mirror_w)).style(theme.accent),
                Cell::new(word).style(style),
            ];
            if let Some(w) = counts_w {
                cells.push(Cell::new(fit(&counts, w)));
            }
            if let Some(w) = ev_w {
                cells.push(Cell::new(fit(&evidence, w)).style(theme.dim));
            }
            Row::new(cells)
        })
        .collect();
    let mut widths = vec![
        Constraint::Length(up_w as u16),
        Constraint::Length(mirror_w as u16),
        Constraint::Length(VERDICT_W as u16),
    ];
    let mut heads = vec![
        Cell::new("UPSTREAM"),
        Cell::new("MIRROR"),
        Cell::new("VERDICT"),
    ];
    if let Some(w) = counts_w {
        widths.push(Constraint::Length(w as u16));
        heads.push(Cell::new("VIA/DIR/FB"));
    }
    if let Some(w) = ev_w {
        widths.push(Constraint::Length(w as u16));
        heads.push(Cell::new(fit("EVIDENCE", w)));
    }
    let table = Table::new(rows, widths)
        .header(Row::new(heads).style(theme.table_header))
        .column_spacing(1)
        .block(block);
    frame.render_widget(table, area);
}

/// VERDICT's width (`PARTIAL`, `UNKNOWN` and a space).
const VERDICT_W: usize = 8;

/// EVIDENCE is shown when it has at least this many columns.
const EVIDENCE_MIN: usize = 10;

/// The verdict table's columns: UPSTREAM, MIRROR and VERDICT always, VIA/DIR/FB and EVIDENCE
/// where they fit (`None`: dropped).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct VerdictColumns {
    up: usize,
    mirror: usize,
    counts: Option<usize>,
    evidence: Option<usize>,
}

/// The columns of a `width`-wide verdict table, each wanting `up`, `mirror` and `counts`
/// columns: the evidence where a third each for the hosts leaves it [`EVIDENCE_MIN`]; else the
/// counts where MIRROR keeps 12 columns (or its whole); else the three, MIRROR taking the rest,
/// so a narrow table (the KB pane open on a small terminal) never cuts a cell or a heading
/// without a `…`.
fn verdict_columns(width: usize, up: usize, mirror: usize, counts: usize) -> VerdictColumns {
    let third = mirror.min(width / 3).max("MIRROR".len());
    let full = up + third + VERDICT_W + counts + 4;
    if width >= full + EVIDENCE_MIN {
        return VerdictColumns {
            up,
            mirror: third,
            counts: Some(counts),
            evidence: Some(width - full),
        };
    }
    let room = width.saturating_sub(up + VERDICT_W + counts + 3);
    if room >= mirror.min(12) {
        return VerdictColumns {
            up,
            mirror: mirror.min(room),
            counts: Some(counts),
            evidence: None,
        };
    }
    VerdictColumns {
        up,
        mirror: mirror.min(width.saturating_sub(up + VERDICT_W + 2)),
        counts: None,
        evidence: None,
    }
}

/// Columns the hosts table needs to show every host whole with its REQS, ERR and BYTES.
pub fn hosts_width(app: &App) -> u16 {
    let host = column(
        app.activity.hosts.iter().map(|h| cols(&h.host)),
        "HOST",
        usize::MAX,
    );
    u16::try_from(host + 1 + 4 + 1 + 4 + 1 + 6).unwrap_or(u16::MAX)
}

/// Draws the hosts table into `area`, and below it, when there is room and `d` has not
/// hidden it, the evidence behind the verdicts (those that concern the selected host first);
/// returns the evidence's extent.
pub fn render_hosts(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) -> Extent {
    if !app.evidence_shown() {
        render_host_table(frame, area, app, theme);
        return Extent::default();
    }
    let table_rows = u16::try_from(app.activity.hosts.len())
        .unwrap_or(u16::MAX)
        .saturating_add(1)
        .saturating_add(u16::from(app.activity.dropped > 0));
    // The evidence keeps a border and three rows; many hosts scroll in what is left. On a
    // short screen the two share it (the evidence is the answer to "why unused").
    let has_evidence =
        !app.model.mirror_verdicts().is_empty() || !app.model.stats().rate_limits.is_empty();
    let table = if area.height >= table_rows.saturating_add(4) {
        table_rows
    } else if area.height >= 10 {
        area.height - 4
    } else if has_evidence && area.height >= 4 {
        area.height.div_ceil(2)
    } else {
        area.height
    };
    if table < area.height {
        let [t, e] = Layout::vertical([Constraint::Length(table), Constraint::Min(1)]).areas(area);
        render_host_table(frame, t, app, theme);
        render_evidence(frame, e, app, theme)
    } else {
        render_host_table(frame, area, app, theme);
        Extent::default()
    }
}

/// One logical evidence line: a dim prefix (`    L22 `) and its text, wrapped under the text.
struct EvidenceLine {
    prefix: String,
    text: String,
    style: Style,
}

fn evidence_lines(app: &App, theme: &Theme) -> Vec<EvidenceLine> {
    let host = app
        .activity
        .hosts
        .get(app.hosts_cursor.selected)
        .map(|h| h.filter_host());
    let verdicts = app.model.mirror_verdicts();
    let concerns = |v: &MirrorVerdict| host.is_some_and(|h| v.mirror == h || v.upstream == h);
    let mut out = Vec::new();
    let first = verdicts.iter().filter(|v| concerns(v));
    let rest = verdicts.iter().filter(|v| !concerns(v));
    for v in first.chain(rest) {
        out.push(EvidenceLine {
            prefix: String::new(),
            text: format!(
                "evidence: {} → {} ({}{} via mirror, {} direct, {})",
                v.upstream,
                v.mirror,
                if v.configured { "configured; " } else { "" },
                v.via_mirror,
                v.direct,
                count(v.fallbacks, "fallback", "fallbacks")
            ),
            style: theme.table_header,
        });
        if let Some(reason) = &v.reason {
            out.push(EvidenceLine {
                prefix: String::new(),
                text: format!("{}: {reason}", verdict_word(v.verdict, theme).0),
                style: theme.text,
            });
        }
        for e in &v.evidence {
            out.push(EvidenceLine {
                prefix: evidence_at(app, e),
                text: e.why.clone(),
                style: theme.text,
            });
        }
        if v.evidence_omitted > 0 {
            out.push(EvidenceLine {
                prefix: String::new(),
                text: format!(
                    "… and {} more (not kept: {} lines per reason)",
                    v.evidence_omitted,
                    crate::model::mirror::EVIDENCE_PER_REASON
                ),
                style: theme.dim,
            });
        }
    }
    // The numbers right-aligned in a column as wide as the widest (7 with one source).
    let at_w = out
        .iter()
        .map(|l| wrap::width(&l.prefix))
        .max()
        .unwrap_or(0)
        .max(7);
    for l in out.iter_mut().filter(|l| !l.prefix.is_empty()) {
        let pad = at_w - wrap::width(&l.prefix);
        l.prefix = format!("{}{} ", " ".repeat(pad), l.prefix);
    }
    if let Some(h) = host
        && let Some(r) = app.model.stats().rate_limits.get(h)
    {
        out.push(EvidenceLine {
            prefix: String::new(),
            text: format!(
                "rate limit on {h}: lowest remaining {} of {} (line {})",
                r.lowest_remaining.map_or("?".into(), |v| v.to_string()),
                r.limit.map_or("?".into(), |v| v.to_string()),
                r.line
            ),
            style: theme.warning,
        });
    }
    out
}

fn render_evidence(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) -> Extent {
    let block = Block::default()
        .borders(Borders::TOP)
        .border_style(theme.border);
    let inner = block.inner(area);
    let width = usize::from(inner.width);
    let mut rows: Vec<Line> = Vec::new();
    for l in evidence_lines(app, theme) {
        let indent = wrap::width(&l.prefix).min(width / 2);
        let text = clean(&l.text);
        let first = width.saturating_sub(indent);
        for (i, piece) in wrap::rows(&text, first, first).enumerate() {
            let lead = if i == 0 {
                Span::styled(l.prefix.clone(), theme.dim)
            } else {
                Span::raw(" ".repeat(indent))
            };
            rows.push(Line::from(vec![
                lead,
                Span::styled(piece.to_owned(), l.style),
            ]));
        }
    }
    let extent = Extent {
        rows: rows.len(),
        height: usize::from(inner.height),
    };
    let scroll = app.scroll_of(Pane::Evidence);
    let block = match position(scroll, extent) {
        Some(at) => {
            let keys: Vec<&str> = [Action::SelectNext, Action::SelectPrev]
                .iter()
                .filter_map(|a| app.keymap.key_of(a))
                .collect();
            block
                .title(Line::styled(
                    format!(" {} scroll ", keys.join(" ")),
                    theme.dim,
                ))
                .title(Line::styled(at, theme.dim).right_aligned())
        }
        None => block,
    };
    let shown: Vec<Line> = rows
        .into_iter()
        .skip(usize::from(scroll))
        .take(extent.height)
        .collect();
    frame.render_widget(block, area);
    frame.render_widget(Paragraph::new(shown), inner);
    extent
}

/// A column of the hosts table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Host,
    Reqs,
    Err,
    Bytes,
    Served,
    Peak,
    Requests,
    Errors,
    InFlight,
    Limit,
}

impl Col {
    fn title(self) -> &'static str {
        match self {
            Col::Host => "HOST",
            Col::Reqs => "REQS",
            Col::Err => "ERR",
            Col::Bytes => "BYTES",
            Col::Served => "SERVED BY",
            Col::Peak => "PEAK",
            Col::Requests => "REQUESTS",
            Col::Errors => "ERRORS",
            Col::InFlight => "IN FLIGHT",
            Col::Limit => "RATELIMIT",
        }
    }

    fn is_spark(self) -> bool {
        matches!(self, Col::Requests | Col::Errors | Col::InFlight)
    }
}

/// The hosts table's columns and their widths for `width` columns: every host whole, then
/// as many of the other columns as fit, in order of use (sparklines last), each at least as
/// wide as its title; the sparklines share what is left (up to 32 each).
fn host_columns(app: &App, width: usize) -> Vec<(Col, usize)> {
    let stats = app.model.stats();
    let hosts = &app.activity.hosts;
    let host_w = column(hosts.iter().map(|h| cols(&h.host)), "HOST", usize::MAX);
    let reqs_w = column(
        hosts
            .iter()
            .map(|h| h.totals(&app.model).requests.to_string().len()),
        "REQS",
        usize::MAX,
    );
    let served_w = column(
        hosts.iter().map(|h| {
            let servers = h.totals(&app.model).servers;
            servers
                .iter()
                .map(|v| cols(v) + 1)
                .sum::<usize>()
                .saturating_sub(1)
        }),
        "SERVED BY",
        24,
    );
    let any_limit = hosts
        .iter()
        .any(|h| stats.rate_limits.contains_key(&h.host));
    let mut chosen = vec![
        (Col::Host, host_w),
        (Col::Reqs, reqs_w),
        (Col::Err, 4),
        (Col::Bytes, 6),
    ];
    let mut optional = vec![(Col::Served, served_w), (Col::Peak, 4)];
    if any_limit {
        optional.push((Col::Limit, 9));
    }
    optional.extend([
        (Col::Requests, Col::Requests.title().len()),
        (Col::Errors, Col::Errors.title().len()),
        (Col::InFlight, Col::InFlight.title().len()),
    ]);
    let mut used: usize = chosen.iter().map(|(_, w)| w + 1).sum::<usize>() - 1;
    for (c, w) in optional {
        if used + 1 + w <= width {
            used += 1 + w;
            chosen.push((c, w));
        }
    }
    // What is left goes to the sparklines: as even as their titles allow.
    let sparks = chosen.iter().filter(|(c, _)| c.is_spark()).count();
    let room: usize = width.saturating_sub(used)
        + chosen
            .iter()
            .filter(|(c, _)| c.is_spark())
            .map(|(_, w)| w)
            .sum::<usize>();
    if let (Some(even), Some(spare)) = (
        room.checked_div(sparks),
        width.saturating_sub(used).checked_div(sparks),
    ) {
        let fits = chosen
            .iter()
            .all(|(c, _)| !c.is_spark() || c.title().len() <= even);
        for (c, w) in &mut chosen {
            if c.is_spark() {
                *w = if fits { even } else { *w + spare }.min(32);
            }
        }
    }
    let order = [
        Col::Host,
        Col::Reqs,
        Col::Err,
        Col::Bytes,
        Col::Served,
        Col::Peak,
        Col::Requests,
        Col::Errors,
        Col::InFlight,
        Col::Limit,
    ];
    order
        .iter()
        .filter_map(|o| chosen.iter().find(|(c, _)| c == o).copied())
        .collect()
}

/// The line under the hosts table once `--max-events` dropped events: which columns count
/// the whole input and which the kept events only (`app::mirrors`).
pub(crate) fn dropped_note(app: &App) -> Option<String> {
    let dropped = app.activity.dropped;
    (dropped > 0).then(|| {
        format!(
            "events past the cap: {dropped} dropped; counts are of the whole input, PEAK and \
             sparklines of the {} kept",
            app.model.events().len()
        )
    })
}

fn render_host_table(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let stats = app.model.stats();
    let act = &app.activity;
    let columns = host_columns(app, usize::from(area.width));
    // The note takes the last line when the table has three or more.
    let note = dropped_note(app).filter(|_| area.height >= 3);
    let body = usize::from(
        area.height
            .saturating_sub(1)
            .saturating_sub(u16::from(note.is_some())),
    );
    let cursor = app.hosts_cursor;
    let offset = cursor.visible_offset(act.hosts.len(), body);
    let rows: Vec<Row> = act
        .hosts
        .iter()
        .enumerate()
        .skip(offset)
        .take(body)
        .map(|(i, h)| {
            // Requests still waiting count too: the model's totals hold completed ones.
            let totals = h.totals(&app.model);
            let (reqs, b, errs) = (totals.requests, totals.bytes, totals.errors);
            let mut style = if errs > 0 { theme.warning } else { theme.text };
            if app.row_matches(i) {
                style = style.patch(theme.search_match);
            }
            if i == cursor.selected {
                style = style.patch(theme.selected);
            }
            let cells: Vec<Cell> = columns
                .iter()
                .map(|&(c, w)| match c {
                    Col::Host => Cell::new(fit(&h.host, w)).style(theme.accent),
                    Col::Reqs => Cell::new(reqs.to_string()),
                    Col::Err => Cell::new(error_rate(errs, reqs)).style(if errs > 0 {
                        theme.warning
                    } else {
                        theme.dim
                    }),
                    Col::Bytes => Cell::new(bytes(b)),
                    Col::Served => Cell::new(fit(
                        &totals.servers.iter().cloned().collect::<Vec<_>>().join(","),
                        w,
                    )),
                    Col::Peak => Cell::new(h.peak_text()).style(if h.at_limit() {
                        theme.error
                    } else {
                        theme.text
                    }),
                    Col::Requests => Cell::new(sparkline(&h.requests, w)).style(theme.spark),
                    Col::Errors => Cell::new(sparkline(&h.errors, w)).style(theme.spark_error),
                    Col::InFlight => {
                        let inflight: Vec<u64> = resample(&h.in_flight, w);
                        Cell::new(Line::from(
                            inflight
                                .iter()
                                .zip(sparkline(&inflight, w).chars())
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
                        ))
                    }
                    Col::Limit => {
                        Cell::new(stats.rate_limits.get(&h.host).map_or(String::new(), |r| {
                            format!(
                                "{}/{}",
                                r.lowest_remaining.map_or("?".into(), |v| v.to_string()),
                                r.limit.map_or("?".into(), |v| v.to_string())
                            )
                        }))
                    }
                })
                .collect();
            Row::new(cells).style(style)
        })
        .collect();
    let widths: Vec<Constraint> = columns
        .iter()
        .map(|&(_, w)| Constraint::Length(u16::try_from(w).unwrap_or(u16::MAX)))
        .collect();
    let table = Table::new(rows, widths)
        .header(
            Row::new(
                columns
                    .iter()
                    .map(|&(c, w)| Cell::new(fit(c.title(), w)))
                    .collect::<Vec<_>>(),
            )
            .style(theme.table_header),
        )
        .column_spacing(1);
    let shown = u16::try_from(act.hosts.len().min(body)).unwrap_or(u16::MAX);
    let [table_area, note_area] =
        Layout::vertical([Constraint::Length(shown + 1), Constraint::Min(0)]).areas(area);
    frame.render_widget(table, table_area);
    if let Some(note) = note {
        let line = Line::styled(fit(&note, usize::from(area.width)), theme.dim);
        frame.render_widget(Paragraph::new(line), note_area);
    }
}
