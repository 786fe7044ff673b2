//! ratatui widgets that draw an `&App`: layout, tables, panes, bars, popups. Drawing reads the
//! app and mutates nothing; every log-derived string passes `sanitize::inert` before it is drawn.

pub mod diagnosis_pane;
pub mod events_view;
pub mod exchange_view;
pub mod header_bar;
pub mod help_popup;
pub mod host_diagnosis_pane;
pub mod hyperlink;
pub mod mirror_view;
pub mod picker_popup;
pub mod raw_view;
pub mod reflow;
pub mod run;
pub mod span_detail;
pub mod status_bar;
pub mod text;
pub mod theme;
pub mod trace_columns;
pub mod trace_view;
pub mod waterfall_view;

#[cfg(test)]
mod tests;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::app::scroll::{Extent, Extents, Pane};
use crate::app::{Action, App, View};

pub use theme::Theme;

/// Where each part of the screen goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    /// Sources, counts, follow state.
    pub header: Rect,
    /// View tabs, filter and search.
    pub tabs: Rect,
    /// The "debug logging looks off" line, when shown.
    pub hint: Option<Rect>,
    /// The current view's list, with its column header row.
    pub list: Rect,
    /// Above the list in the Mirrors view: the verdicts.
    pub top: Option<Rect>,
    /// The detail pane, when shown.
    pub detail: Option<Rect>,
    /// The knowledge-base pane, when shown.
    pub kb: Option<Rect>,
    /// The line above the status bar naming a broken user file, when there is one.
    pub problems: Option<Rect>,
    /// The status bar.
    pub status: Rect,
}

/// Splits the screen for the app's current state.
pub fn areas(size: Rect, app: &App) -> Areas {
    let hint_rows = header_bar::input_hint(app).map_or(0, |t| header_bar::hint_rows(size, &t));
    let problem_rows = u16::from(!app.problems.is_empty() && !app.problems_hidden);
    let [header, tabs, hint, main, problems, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(hint_rows),
        Constraint::Min(1),
        Constraint::Length(problem_rows),
        Constraint::Length(1),
    ])
    .areas(size);
    let (main, kb) = if app.kb_shown() {
        // The hosts table cuts no host (a cut host:port names another host): in the Mirrors
        // view the pane gives way to the longest one, as far as it keeps 20 columns.
        let hosts = if app.view == View::Mirrors {
            mirror_view::hosts_width(app)
        } else {
            0
        };
        let [l, r] = Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)])
            .areas(main);
        let left = hosts.min(main.width.saturating_sub(20));
        if left > l.width {
            let [l, r] =
                Layout::horizontal([Constraint::Length(left), Constraint::Min(0)]).areas(main);
            (l, Some(r))
        } else {
            (l, Some(r))
        }
    } else {
        (main, None)
    };
    let wants_detail = app.detail_shown();
    let (top, list, detail) = if app.view == View::Mirrors {
        // Not `clamp(4, main.height / 2)`: that panics once the terminal is under 8 rows.
        let verdicts = (app.model.mirror_verdicts().len() as u16)
            .saturating_add(3)
            .max(4)
            .min(main.height / 2);
        let [t, l] =
            Layout::vertical([Constraint::Length(verdicts), Constraint::Min(1)]).areas(main);
        (Some(t), l, None)
    } else if wants_detail && main.height >= 10 {
        let [l, d] =
            Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(main);
        (None, l, Some(d))
    } else {
        (None, main, None)
    };
    Areas {
        header,
        tabs,
        hint: (hint_rows > 0).then_some(hint),
        list,
        top,
        detail,
        kb,
        problems: (problem_rows > 0).then_some(problems),
        status,
    }
}

/// The rows of the current list (the list area without its column header): what the app
/// pages by and maps clicks to.
pub fn list_body(size: Rect, app: &App) -> Rect {
    let l = areas(size, app).list;
    let head = header_rows(app).min(l.height);
    Rect::new(l.x, l.y + head, l.width, l.height - head)
}

/// What the app must be told about the layout at terminal size `size` before the next draw:
/// where the list is (it pages by it) and how the help overlay fits (it scrolls by it). Empty
/// when nothing changed.
pub fn fit_actions(size: Rect, app: &App) -> Vec<Action> {
    let mut out = Vec::new();
    let body = list_body(size, app);
    if body != app.list_area() {
        out.push(Action::Layout(body));
    }
    if size.width != app.screen_width {
        out.push(Action::Screen(size.width));
    }
    let (rows, visible) = help_popup::fit(size, app);
    if (rows, visible) != (app.help.rows, app.help.visible) {
        out.push(Action::HelpFit { rows, visible });
    }
    out
}

/// Rows above the first list row in the list area.
fn header_rows(app: &App) -> u16 {
    match app.view {
        View::Raw => 0,
        View::Traces if app.traces.open.is_some() => 2,
        _ => 1,
    }
}

/// Draws `lines` wrapped in `block`, scrolled as the app says `pane` is (never past the last
/// row), with the rows shown of all on the block's top border when they do not all fit; the
/// `links` among them as OSC 8 hyperlinks where `--hyperlinks` allows (`hyperlink.rs`).
/// Returns the content's extent, for the app to clamp the next scroll.
#[allow(clippy::too_many_arguments)]
fn scrolled(
    frame: &mut Frame,
    area: Rect,
    block: Block<'_>,
    lines: Vec<Line<'_>>,
    links: &[hyperlink::Link],
    app: &App,
    pane: Pane,
    theme: &Theme,
) -> Extent {
    let inner = block.inner(area);
    // The lines are needed again only to find the links' rows.
    let linked = (app.opts.hyperlinks && !links.is_empty()).then(|| lines.clone());
    let p = Paragraph::new(lines).wrap(Wrap { trim: false });
    let extent = Extent {
        rows: p.line_count(inner.width),
        height: usize::from(inner.height),
    };
    let scroll = app.scrolls.of(pane).min(extent.max_scroll());
    let block = match text::position(scroll, extent) {
        Some(at) => block.title(Line::styled(at, theme.dim).right_aligned()),
        None => block,
    };
    frame.render_widget(block, area);
    frame.render_widget(p.scroll((scroll, 0)), inner);
    if let Some(lines) = linked {
        hyperlink::apply(frame.buffer_mut(), inner, &lines, links, scroll);
    }
    extent
}

/// Draws the whole screen; returns how tall the scrollable panes' contents were drawn (the
/// event loop hands them to the app as `Action::Extents`).
pub fn draw(frame: &mut Frame, app: &App, theme: &Theme) -> Extents {
    let mut extents = Extents::default();
    let a = areas(frame.area(), app);
    header_bar::render(frame, a.header, a.tabs, a.hint, app, theme);
    match app.view {
        View::Events => events_view::render(frame, a.list, app, theme),
        View::Raw => raw_view::render(frame, a.list, app, theme),
        View::Traces => trace_view::render(frame, a.list, app, theme),
        View::Mirrors => {
            if let Some(top) = a.top {
                mirror_view::render_verdicts(frame, top, app, theme);
            }
            extents.evidence = mirror_view::render_hosts(frame, a.list, app, theme);
        }
    }
    if let Some(d) = a.detail {
        extents.detail = exchange_view::render(frame, d, app, theme);
    }
    if let Some(k) = a.kb {
        extents.kb = diagnosis_pane::render(frame, k, app, theme);
    }
    if let Some(p) = a.problems {
        status_bar::render_problems(frame, p, app, theme);
    }
    status_bar::render(frame, a.status, app, theme);
    if app.show_help {
        help_popup::render(frame, frame.area(), app, theme);
    }
    if let Some(p) = &app.picker {
        picker_popup::render(frame, frame.area(), p, theme);
    }
    extents
}
