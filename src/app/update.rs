//! `App::update`: applies one [`Action`]. Never blocks and never does I/O: writing a report or
//! restarting a source is queued as an [`Effect`]. A key or a click first clears the status
//! bar's message (it has been read; the key hints come back), then may say something new.

use crossterm::event::{KeyEvent, KeyEventKind};

use super::action::Action;
use super::filter::Filter;
use super::prompt::input_edit;
use super::scroll::{Pane, STEP};
use super::{App, Effect, PromptKind, View, mirror_report, report};

impl App {
    /// The action a key press triggers in the state the app is in: the open prompt takes
    /// typed keys as edits; over the help a key bound to nothing closes it too (any key but a
    /// scroll key does); else the keymap's action, if any.
    pub fn key_action(&self, key: &KeyEvent) -> Option<Action> {
        if key.kind == KeyEventKind::Release {
            return None;
        }
        if self.prompt.is_some() {
            return input_edit(key).map(Action::Input);
        }
        let action = self.keymap.action_for(key);
        if self.show_help {
            // `Help` over the help closes it, like every key that does not scroll it.
            return Some(action.unwrap_or(Action::Help));
        }
        action
    }

    /// Applies one action and marks the screen dirty.
    pub fn update(&mut self, action: Action) {
        if let Action::Extents(e) = &action {
            // From the frame just drawn: a redraw only when a scroll had to come back.
            self.dirty |= self.set_extents(*e);
            return;
        }
        if action == Action::Frame {
            // Every frame: a redraw only when deferred findings were read.
            self.on_frame();
            return;
        }
        self.dirty = true;
        let input = action.is_input();
        // The last message has been seen: the key hints come back unless this action says
        // something of its own (`Status`); an Esc with nothing to step back from keeps it.
        let earlier = if input { self.status.take() } else { None };
        if self.show_help && input {
            // Scroll keys scroll it; any other key closes it and is not applied (q included).
            self.help_action(&action);
            return;
        }
        if self.picker.is_some() && self.pick(&action) {
            return;
        }
        if input {
            // Its `match 3 of 7` was in the status just taken.
            self.match_count = None;
        }
        if input && self.scan.take().is_some() {
            self.say("search stopped");
        }
        match action {
            Action::SelectNext
            | Action::SelectPrev
            | Action::PageDown
            | Action::PageUp
            | Action::SelectFirst
            | Action::SelectLast
            | Action::Scroll(_)
                if self.view == View::Mirrors && self.evidence_shown() =>
            {
                self.scroll_evidence(&action);
            }
            Action::SelectNext => self.move_selection(|c, len, page| c.move_by(1, len, page)),
            Action::SelectPrev => self.move_selection(|c, len, page| c.move_by(-1, len, page)),
            Action::PageDown | Action::PageUp if self.view == View::Raw && self.wrap => {
                // A screenful of wrapped rows, not a page count of lines.
                let target = self.raw_page_target(action == Action::PageDown);
                self.move_selection(|c, len, page| c.select(target, len, page));
            }
            Action::PageDown => {
                let p = self.page() as i64;
                self.move_selection(|c, len, page| c.move_by(p, len, page));
            }
            Action::PageUp => {
                let p = self.page() as i64;
                self.move_selection(|c, len, page| c.move_by(-p, len, page));
            }
            Action::SelectFirst => self.move_selection(|c, len, page| c.select(0, len, page)),
            Action::SelectLast => {
                self.move_selection(|c, len, page| c.select(usize::MAX, len, page));
                if matches!(self.view, View::Events | View::Raw) {
                    self.set_following(true);
                }
            }
            Action::NextView | Action::PrevView => {
                let i = View::ALL.iter().position(|v| *v == self.view).unwrap_or(0);
                let n = View::ALL.len();
                let next = if action == Action::NextView {
                    (i + 1) % n
                } else {
                    (i + n - 1) % n
                };
                self.switch_view(View::ALL[next]);
            }
            Action::ShowEvents => self.switch_view(View::Events),
            Action::ShowRaw => self.switch_view(View::Raw),
            Action::ShowTraces => self.switch_view(View::Traces),
            Action::ShowMirrors => self.switch_view(View::Mirrors),
            Action::NextError => self.jump_error(true),
            Action::PrevError => self.jump_error(false),
            Action::ToggleDiagnosis => {
                self.set_kb_shown(!self.kb_shown());
                self.scroll_home(Pane::Kb);
            }
            Action::ToggleDetail if self.view == View::Mirrors => {
                self.show_evidence = !self.show_evidence;
                self.scroll_home(Pane::Evidence);
                self.say_detail();
            }
            Action::ToggleDetail => {
                self.show_detail = !self.show_detail;
                self.scroll_home(Pane::Detail);
                self.say_detail();
            }
            Action::ScrollPaneDown => self.scroll_pane(self.scroll_target(), i32::from(STEP)),
            Action::ScrollPaneUp => self.scroll_pane(self.scroll_target(), -i32::from(STEP)),
            Action::Search => self.open_prompt(PromptKind::Search),
            Action::Filter => self.open_prompt(PromptKind::Filter),
            Action::SearchNext => self.jump_match(true),
            Action::SearchPrev => self.jump_match(false),
            Action::FilterTrace => self.filter_trace(),
            Action::Open => self.open(),
            Action::Back => {
                if !self.back() {
                    self.status = earlier;
                }
            }
            Action::ToggleFollow => {
                let on = !self.following();
                self.set_following(on);
                if on {
                    let page = self.page();
                    if self.view == View::Raw {
                        self.raw_cursor
                            .select(usize::MAX, self.raw_rows.len(), page);
                    } else {
                        // The Traces and Mirrors views show the events table's follow.
                        self.events
                            .cursor
                            .select(usize::MAX, self.events.rows.len(), page);
                    }
                    self.touched = true;
                    self.reset_pane_scrolls();
                }
                // Worded as the header's follow state.
                let tail = self.keymap.key_of(&Action::SelectLast).unwrap_or("G");
                self.say(if on {
                    "▶ following the tail: the newest row stays selected".to_owned()
                } else {
                    format!("‖ paused: the selection stays where it is ({tail} follows the tail)")
                });
            }
            Action::ToggleWrap => {
                self.wrap = !self.wrap;
                let state = if self.wrap { "on" } else { "off" };
                self.say(if self.view == View::Raw {
                    format!("wrap {state}")
                } else {
                    format!("wrap {state} (it wraps the Raw view's long lines)")
                });
            }
            Action::ScrollRight => self.scroll_columns(Some(true)),
            Action::ScrollLeft => self.scroll_columns(Some(false)),
            Action::ScrollLineStart => self.scroll_columns(None),
            Action::ToggleAllLines => {
                self.all_lines = !self.all_lines;
                self.rebuild_rows();
                if self.all_lines && self.filter.is_empty() {
                    self.say("raw view: every line");
                } else {
                    // How many lines show now, and of which (the filter's progress while a text
                    // filter re-reads the lines), counted when drawn.
                    self.status = Some(super::Status::FilterMatches);
                }
            }
            Action::ToggleLanguage => {
                self.opts.zh = !self.opts.zh;
                self.diagnoses.clear();
                self.ingest(&[]);
                // Said whether the pane is open or not (closed, nothing else shows it).
                let lang = if self.opts.zh { "中文" } else { "English" };
                self.say(format!("kb language: {lang}"));
            }
            Action::Export => self.export(),
            Action::Restart => self.restart(),
            Action::Help => self.open_help(),
            Action::Suspend => self.effects.push(Effect::Suspend),
            Action::Quit => self.quit = true,
            Action::Source(ev) => {
                if let crate::source::SourceEvent::Lines(lines) = &ev {
                    self.damage.count(lines);
                }
                self.on_source(ev);
            }
            Action::Input(edit) => self.edit_prompt(edit),
            Action::Scroll(rows) if self.view == View::Raw && self.wrap => {
                self.pause_here();
                let (w, len, page) = (
                    usize::from(self.list_area.width),
                    self.raw_rows.len(),
                    self.page(),
                );
                let mut moved = self.raw_cursor;
                moved.scroll_by(i64::from(rows), len, page, |i| self.raw_height(i, w));
                self.move_selection(|c, _, _| *c = moved);
            }
            Action::Scroll(rows) => {
                self.pause_here();
                self.move_selection(|c, len, page| c.scroll(i64::from(rows), len, page));
            }
            Action::Click { column, row } => self.click(column, row),
            Action::Layout(area) => {
                self.list_area = area;
                let (len, page) = (self.list_len(), self.page());
                self.cursor_mut().keep_visible(len, page);
            }
            Action::Screen(w) => self.screen_width = w,
            Action::HelpFit { rows, visible } => self.help.fit(rows, visible),
            Action::Status(msg) => self.say(msg),
            Action::Extents(_) => {} // taken above
            Action::Tick => self.step_scans(),
            Action::Frame => {} // taken above
        }
        // Wrapped lines are taller than one row: the first row drawn is worked out from their
        // heights, so the selection (and the tail while following) stays on screen.
        self.settle_raw_wrap();
    }

    /// What `d` did, where the screen alone would not say: in the Mirrors view it shows or
    /// hides the evidence under the hosts (and the moving keys scroll it or move the hosts),
    /// in the Traces list the detail pane shows only under a waterfall.
    fn say_detail(&mut self) {
        let on = self.show_detail;
        match self.view {
            View::Mirrors => {
                let on = self.show_evidence;
                let d = self.keymap.key_of(&Action::ToggleDetail).unwrap_or("d");
                self.say(if on {
                    format!(
                        "evidence shown under the hosts: the moving keys scroll it ({d} hides it)"
                    )
                } else {
                    format!(
                        "evidence hidden: the moving keys move the host selection ({d} shows it)"
                    )
                });
            }
            View::Traces if self.traces.open.is_none() => {
                let open = self.keymap.key_of(&Action::Open).unwrap_or("enter");
                self.say(format!(
                    "detail pane {}: it shows under a waterfall ({open} opens the selected trace's)",
                    if on { "on" } else { "off" }
                ));
            }
            _ => {}
        }
    }

    /// The builder picker takes the keys while it is open; true when the action was its.
    fn pick(&mut self, action: &Action) -> bool {
        let Some(p) = self.picker.as_mut() else {
            return false;
        };
        match action {
            Action::SelectNext => p.cursor = (p.cursor + 1).min(p.names.len().saturating_sub(1)),
            Action::SelectPrev => p.cursor = p.cursor.saturating_sub(1),
            Action::Open => {
                let (name, tail) = (p.names.get(p.cursor).cloned(), p.tail);
                self.picker = None;
                if let Some(name) = name {
                    let spec = crate::source::SourceSpec::Container { name, tail };
                    let source = self.add_source(&spec);
                    self.effects.push(Effect::Start { source, spec });
                }
            }
            Action::Back | Action::Quit => {
                self.picker = None;
                if *action == Action::Quit || self.sources.is_empty() {
                    self.quit = true;
                }
            }
            a if !a.is_input() => return false,
            _ => {}
        }
        true
    }

    pub(super) fn switch_view(&mut self, v: View) {
        if v == View::Mirrors {
            self.refresh_activity();
        }
        if v == View::Traces && self.traces_stale {
            let filter = &self.filter;
            let trace = self.trace_filter.as_deref();
            let model = &self.model;
            self.traces.refresh(model, |e| {
                super::ingest::pass_event(filter, trace, model, e)
            });
            self.traces_stale = false;
        }
        if v == View::Raw && self.view != View::Raw {
            self.enter_raw();
        }
        self.view = v;
        self.reset_pane_scrolls();
    }

    /// The Raw view opens on the lines of an event newly selected in the view left (one the
    /// user or the landing placed; not the tail a following events table moves to). Otherwise
    /// it keeps its own place, and its follow.
    fn enter_raw(&mut self) {
        let placed = match self.view {
            View::Events => !self.follow.events,
            _ => true,
        };
        let Some((id, source, first)) = self
            .selected_event()
            .map(|ev| (ev.id, ev.source, ev.lines.first().copied()))
        else {
            return;
        };
        if !placed || self.raw_anchor == Some(id) {
            return;
        }
        self.raw_anchor = Some(id);
        if let Some(pos) = first
            .and_then(|n| self.lines.seq_of(source, n))
            .and_then(|seq| self.raw_rows.position(seq))
        {
            let (len, page) = (self.raw_rows.len(), self.page());
            self.raw_cursor.select(pos, len, page);
            self.follow.raw &= pos + 1 >= len;
        }
    }

    fn selected_trace_id(&self) -> Option<String> {
        self.selected_event()
            .and_then(|e| e.trace_id.as_deref().map(str::to_owned))
    }

    fn filter_trace(&mut self) {
        let trace = match self.view {
            View::Traces => self
                .traces
                .open
                .clone()
                .or_else(|| self.traces.selected().map(str::to_owned)),
            View::Raw => self
                .selected_line()
                .and_then(|l| l.trace.map(std::borrow::Cow::into_owned))
                .or_else(|| self.selected_trace_id()),
            _ => self.selected_trace_id(),
        };
        match trace {
            Some(t) => {
                self.say(format!("only trace {t}; Esc shows every trace"));
                self.trace_filter = Some(t);
                self.rebuild_rows();
                self.traces.left_by_t = self.view == View::Traces;
                if self.view == View::Traces {
                    self.switch_view(View::Events);
                }
            }
            None => self.say("this row has no traceID"),
        }
    }

    fn open(&mut self) {
        match self.view {
            View::Traces if self.traces.open.is_none() => {
                // On the request the kb pane diagnosed, when the trace has a failure.
                let failure = self.trace_failure().map(|e| e.id);
                self.traces.open = self.traces.selected().map(str::to_owned);
                self.traces.wf_cursor = super::list::Cursor::default();
                let at = failure.and_then(|id| {
                    let t = self.open_trace()?;
                    self.waterfall_of(t)
                        .iter()
                        .position(|r| *r == super::traces::WaterfallRow::Event(id))
                });
                if let Some(i) = at {
                    let (len, page) = (self.list_len(), self.page());
                    self.traces.wf_cursor.select(i, len, page);
                }
            }
            View::Events | View::Traces => self.show_detail = true,
            View::Raw => self.open_line_event(),
            View::Mirrors => self.open_host(),
        }
    }

    /// Enter on a host in the Mirrors view: its requests, in the Events view (a `host=`
    /// filter, which Esc clears, as `f` would set it). An inferred host (`mirror.gcr.io?`,
    /// `app::route`) filters to it by name: the requests logged to it and inferred alike.
    fn open_host(&mut self) {
        let Some((host, inferred, never_asked)) = self
            .activity
            .hosts
            .get(self.hosts_cursor.selected)
            .map(|h| (h.filter_host().to_owned(), h.inferred, h.never_asked()))
        else {
            return;
        };
        if never_asked {
            self.say(format!(
                "{host}: a configured mirror no request went to (K: why)"
            ));
            return;
        }
        let known = inferred || self.model.stats().hosts.contains_key(&host) && host != "unknown";
        let text = format!("host={host}");
        match Filter::parse(&text) {
            Ok(f) if known && !host.contains(char::is_whitespace) => {
                self.filter = f;
                self.prompt_history.push(PromptKind::Filter, &text);
                self.host_opened = Some(text);
                self.switch_view(View::Events);
                self.rebuild_rows();
                self.status = Some(super::Status::FilterMatches);
            }
            _ => {
                self.switch_view(View::Events);
                self.say(format!(
                    "'{host}' names no logged host: every event shown (f filters)"
                ));
            }
        }
    }

    /// Esc: steps back from the innermost of the prompt, the kb pane, the detail pane (not the
    /// Mirrors view's evidence, part of that view: `d` hides it), the waterfall, the trace
    /// filter (from the events `t` showed, back to the Traces view it was pressed in), the
    /// search and the filter; false when there was nothing to step back from.
    fn back(&mut self) -> bool {
        if self.prompt.take().is_some() {
        } else if self.kb_shown() {
            self.set_kb_shown(false);
        } else if self.detail_shown() {
            self.show_detail = false;
            let d = self.keymap.key_of(&Action::ToggleDetail).unwrap_or("d");
            self.say(format!("detail pane closed ({d} opens it)"));
        } else if self.view == View::Traces && self.traces.open.is_some() {
            self.traces.open = None;
        } else if self.trace_filter.take().is_some() {
            self.say("every trace shown");
            self.rebuild_rows();
            if std::mem::take(&mut self.traces.left_by_t) && self.view == View::Events {
                // Back where `t` was pressed: the list, or the waterfall still open. (From
                // the Raw view Esc stays there, on the line it was on, among all lines.)
                self.switch_view(View::Traces);
            }
        } else if self.search.take().is_some() {
            self.say("search cleared");
        } else if !self.filter.is_empty() {
            let opened = self.host_opened.take();
            let back_to_hosts =
                self.view == View::Events && opened.as_deref() == Some(self.filter.text());
            self.filter = Filter::default();
            self.say("filter cleared");
            self.rebuild_rows();
            if back_to_hosts {
                // Back to the host Enter was pressed on.
                self.switch_view(View::Mirrors);
            }
        } else {
            return false;
        }
        true
    }

    fn export(&mut self) {
        // The Mirrors view's report is the whole view: every verdict and every host, whichever
        // row is selected (the status line says so).
        let (name, text, note) = if self.view == View::Mirrors {
            (
                MIRRORS_REPORT.to_owned(),
                mirror_report::mirrors(self),
                Some(WHOLE_VIEW),
            )
        } else if self.view == View::Traces
            && let Some(t) = self
                .traces
                .open
                .clone()
                .or_else(|| self.traces.selected().map(str::to_owned))
        {
            (trace_report_name(&t), report::trace(self, &t), None)
        } else if let Some(ev) = self.selected_event() {
            (
                format!("bkscope-event-{}.md", ev.id),
                report::event(self, ev),
                None,
            )
        } else {
            self.say("select a fetch event or a trace to export");
            return;
        };
        self.effects.push(Effect::WriteReport {
            path: self.opts.export_dir.join(name),
            text,
            clipboard: self.opts.clipboard,
            note,
        });
    }

    fn restart(&mut self) {
        let source = self
            .selected_event()
            .map(|e| e.source)
            .or_else(|| self.selected_line().map(|l| l.source));
        let pick = source
            .filter(|&s| self.sources.get(s as usize).is_some_and(|i| i.restartable))
            .or_else(|| {
                self.sources
                    .iter()
                    .position(|s| s.restartable)
                    .and_then(|i| u32::try_from(i).ok())
            });
        match pick {
            Some(s) => self.effects.push(Effect::Restart(s)),
            None => self.say("no docker logs source to restart"),
        }
    }
}

/// The file name of the Mirrors view's report (the writer numbers names that exist).
pub(super) const MIRRORS_REPORT: &str = "bkscope-mirrors.md";

/// What the status line adds to `wrote <path>` for the Mirrors view's report.
pub(super) const WHOLE_VIEW: &str = "the whole Mirrors view: every verdict and every host";

/// The file name of a trace's report: `bkscope-trace-` and the first 12 characters of its id
/// that are safe in a file name (ASCII letters, digits, `-`, `_`). A trace id is log text, so
/// hostile: it may hold `/`, `..` or terminal escapes, which must reach neither the path nor a
/// later `ls`. Real ids are hex and come through whole; an id with nothing safe in it gives
/// `bkscope-trace.md` (the writer numbers names that exist, so nothing is overwritten).
pub(super) fn trace_report_name(id: &str) -> String {
    let safe: String = id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .take(12)
        .collect();
    if safe.is_empty() {
        "bkscope-trace.md".to_owned()
    } else {
        format!("bkscope-trace-{safe}.md")
    }
}
