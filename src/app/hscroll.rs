//! Sideways scroll of the Raw view's cut lines (`→` `l`, `←` `h`, `0`), as lnav scrolls them:
//! half the list's width a step, up to where the longest line on screen ends; the line
//! numbers stay. Wrapped lines (`w`) and the other views have nothing to scroll: the status bar
//! says so.

use super::action::Action;
use super::wrap::{CUT_MARK, width};
use super::{App, View};

/// The smallest step, in columns.
const MIN_STEP: usize = 8;

impl App {
    /// `→` (`Some(true)`), `←` (`Some(false)`) or `0` (`None`) in the view on screen.
    pub(super) fn scroll_columns(&mut self, right: Option<bool>) {
        if self.view != View::Raw {
            let raw = self.keymap.key_of(&Action::ShowRaw).unwrap_or("2");
            self.say(format!(
                "only the Raw view scrolls sideways ({raw} shows it)"
            ));
            return;
        }
        if self.wrap {
            let w = self.keymap.key_of(&Action::ToggleWrap).unwrap_or("w");
            self.say(format!(
                "wrap is on: nothing to scroll sideways ({w} cuts the lines)"
            ));
            return;
        }
        let step = (usize::from(self.list_area.width) / 2).max(MIN_STEP);
        let col = match right {
            Some(true) => {
                let end = self.raw_scroll_end();
                if self.raw_col >= end {
                    self.say(if end == 0 {
                        "the lines on screen fit: nothing to scroll sideways"
                    } else {
                        "the longest line on screen ends here"
                    });
                    return;
                }
                (self.raw_col + step).min(end)
            }
            Some(false) if self.raw_col == 0 => {
                self.say("at column 0");
                return;
            }
            Some(false) => self.raw_col.saturating_sub(step),
            None => 0,
        };
        self.raw_col = col;
    }

    /// The column past which `→` stops: the longest line on screen then ends at the right
    /// edge of the list (0 when every line on screen fits).
    pub(super) fn raw_scroll_end(&self) -> usize {
        let (w, rows) = (
            usize::from(self.list_area.width),
            usize::from(self.list_area.height),
        );
        let first = self.raw_offset(w, rows);
        let mut reader = self.lines.reader();
        let mut end = 0;
        for i in first..self.raw_rows.len().min(first + rows) {
            let Some(l) = self.raw_rows.get(i).and_then(|seq| reader.get(seq)) else {
                continue;
            };
            let cut = if l.truncated { width(CUT_MARK) } else { 0 };
            let gutter = width(&self.raw_number(&l)) + cut;
            let text = width(&App::raw_shown(&l));
            end = end.max(text.saturating_sub(w.saturating_sub(gutter)));
        }
        end
    }
}
