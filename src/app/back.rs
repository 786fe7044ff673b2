//! Esc: one step back, from the innermost thing open to the outermost filter, saying in the
//! status bar what it closed (a pane, the waterfall, a filter) and the key that brings it back.

use super::action::Action;
use super::filter::Filter;
use super::{App, View};

impl App {
    /// Esc: steps back from the innermost of the prompt, the kb pane, the detail pane (not the
    /// Mirrors view's evidence, part of that view: `d` hides it), the waterfall, the trace
    /// filter (from the events `t` showed, back to the Traces view it was pressed in), the
    /// search, the filter and the broken user file's warning line; false when there was
    /// nothing to step back from.
    pub(super) fn back(&mut self) -> bool {
        if self.prompt.take().is_some() {
        } else if self.kb_shown() {
            self.set_kb_shown(false);
            let k = self.keymap.key_of(&Action::ToggleDiagnosis).unwrap_or("K");
            self.say(format!("knowledge-base pane closed ({k} opens it)"));
        } else if self.detail_shown() {
            self.show_detail = false;
            let d = self.keymap.key_of(&Action::ToggleDetail).unwrap_or("d");
            self.say(format!("detail pane closed ({d} opens it)"));
        } else if self.view == View::Traces && self.traces.open.is_some() {
            self.traces.open = None;
            let open = self.keymap.key_of(&Action::Open).unwrap_or("enter");
            self.say(format!(
                "waterfall closed: the trace list ({open} opens it again)"
            ));
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
        } else if !self.problems.is_empty() && !self.problems_hidden {
            // Last, the broken user file's line (a review: it stayed the whole session).
            self.problems_hidden = true;
            self.say("the broken-file warning hidden (stderr has it all)");
        } else {
            return false;
        }
        true
    }
}
