//! `App::update`: applies one [`Action`]. Never blocks and never does I/O: writing a report or
//! restarting a source is queued as an [`Effect`]. A key or a click first clears the status
//! bar's message (it has been read; the key hints come back), then may say something new.
//! The larger handlers live beside it: Enter in `open`, Esc in `back`, `x` in `export`, the
//! builder picker and `r` in `source_keys`.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::action::Action;
use super::prompt::input_edit;
use super::scroll::{Pane, STEP};
use super::{App, Effect, PromptKind, View};

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

    /// The presses a key event stands for. crossterm reads an Esc and a key typed right after
    /// it in one read as Alt+key (`\x1b4` is Alt-4), so Esc then `4` typed quickly, or sent by
    /// a script, left the search prompt open and typed nothing. An Alt+character bound to
    /// nothing (no Alt+character is text in a prompt) is taken as the two presses it was.
    pub fn presses(&self, key: &KeyEvent) -> Vec<KeyEvent> {
        let alt_char = matches!(key.code, KeyCode::Char(_))
            && key.modifiers.contains(KeyModifiers::ALT)
            && !key.modifiers.contains(KeyModifiers::CONTROL)
            && key.kind != KeyEventKind::Release;
        if !alt_char || self.keymap.action_for(key).is_some() {
            return vec![*key];
        }
        let mut plain = *key;
        plain.modifiers.remove(KeyModifiers::ALT);
        vec![KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE), plain]
    }

    /// Applies a key event: each press it stands for ([`App::presses`]), its action taken in
    /// the state the press before left.
    pub fn on_key(&mut self, key: &KeyEvent) {
        for press in self.presses(key) {
            if let Some(a) = self.key_action(&press) {
                self.update(a);
            }
        }
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
                let waterfall = self.traces.open.is_some();
                if matches!(self.view, View::Events | View::Raw)
                    || (self.view == View::Traces && !waterfall)
                {
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
                if self.back() {
                    self.back_said = self.status.clone();
                } else if earlier.is_none() || earlier != self.back_said {
                    self.status = earlier;
                }
            }
            Action::ToggleFollow if self.view == View::Traces && self.traces.open.is_some() => {
                let back = self.keymap.key_of(&Action::Back).unwrap_or("esc");
                self.say(format!(
                    "a waterfall shows one trace and has no tail: {back} goes back to the list, where F follows the newest trace"
                ));
            }
            Action::ToggleFollow => {
                let on = !self.following();
                self.set_following(on);
                if on {
                    let page = self.page();
                    match self.view {
                        View::Raw => {
                            self.raw_cursor
                                .select(usize::MAX, self.raw_rows.len(), page);
                        }
                        View::Traces => self.follow_traces_tail(),
                        // The Mirrors view shows the events table's follow.
                        View::Events | View::Mirrors => {
                            self.events
                                .cursor
                                .select(usize::MAX, self.events.rows.len(), page);
                        }
                    }
                    self.touched = true;
                    self.reset_pane_scrolls();
                }
                // Worded as the header's follow state. The Mirrors view has no tail of its own
                // (its hosts are sorted, `G` moves in them): it shows the Events view's.
                let tail = self.keymap.key_of(&Action::SelectLast).unwrap_or("G");
                let again = self.keymap.key_of(&Action::ToggleFollow).unwrap_or("F");
                self.say(match (on, self.view == View::Mirrors) {
                    (true, false) => {
                        "▶ following the tail: the newest row stays selected".to_owned()
                    }
                    (false, false) => format!(
                        "‖ paused: the selection stays where it is ({tail} follows the tail)"
                    ),
                    (true, true) => {
                        "▶ following the tail: the Events view's newest row stays selected"
                            .to_owned()
                    }
                    (false, true) => format!(
                        "‖ paused: the Events view's selection stays where it is ({again} \
                         follows the tail again)"
                    ),
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
        if v == View::Traces {
            self.follow_traces_tail();
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
            None => self.say_no_trace(),
        }
    }
}
