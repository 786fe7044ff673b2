//! Enter in the Raw view: the selected line's fetch event, selected in the Events view (its
//! follow paused, so it stays) with the detail pane open; a line of no event, or of one the
//! Events view does not list, is said in the status bar and the Raw view stays.

use super::{App, View};

impl App {
    /// Opens the event of the Raw view's selected line in the Events view.
    pub(super) fn open_line_event(&mut self) {
        let Some((seq, number)) = self
            .raw_rows
            .get(self.raw_cursor.selected)
            .and_then(|seq| self.lines.get(seq).map(|l| (seq, l.number)))
        else {
            self.say("no line selected");
            return;
        };
        let Some(id) = self.lines.event_of(seq) else {
            self.say(format!("line {number} belongs to no fetch event"));
            return;
        };
        let Some(ev) = self.model.event(id) else {
            self.say(format!(
                "line {number}'s fetch event is no longer kept (--max-events dropped it)"
            ));
            return;
        };
        let Ok(row) = self.events.rows.binary_search(&id) else {
            let by_trace = self
                .trace_filter
                .as_deref()
                .is_some_and(|t| ev.trace_id.as_deref() != Some(t));
            let esc = self.keymap.key_of(&super::Action::Back).unwrap_or("esc");
            let what = if by_trace {
                "only one trace is shown"
            } else {
                "the filter hides it"
            };
            self.say(format!(
                "line {number}'s fetch event is not in the Events view: {what} ({esc} steps back)"
            ));
            return;
        };
        // Back in the Raw view it keeps this line, not the event's first one.
        self.raw_anchor = Some(id);
        self.switch_view(View::Events);
        self.follow.events = false;
        self.select_row(row);
        self.show_detail = true;
        self.say(format!("line {number}'s fetch event"));
    }
}
