//! The `?` overlay's keys: while it is open, the scroll keys scroll it when it does not fit the
//! terminal and every other key closes it without doing its own action (`q` closes the help, it
//! does not quit). How many rows it has and how many show comes from the ui
//! ([`Action::HelpFit`]), which lays it out for the terminal size.

use super::App;
use super::action::Action;

/// Where the help overlay is scrolled, and how much of it fits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HelpScroll {
    /// The first row shown.
    pub top: u16,
    /// Rows of bindings in the layout the ui chose (one or two columns).
    pub rows: u16,
    /// Rows that fit on the screen.
    pub visible: u16,
}

impl HelpScroll {
    /// True when some rows do not fit: then the scroll keys scroll instead of closing.
    pub fn scrollable(&self) -> bool {
        self.rows > self.visible
    }

    /// The last useful `top`: the last row at the bottom of the overlay.
    pub fn max_top(&self) -> u16 {
        self.rows.saturating_sub(self.visible)
    }

    /// A new size from the ui; `top` stays within it.
    pub fn fit(&mut self, rows: u16, visible: u16) {
        self.rows = rows;
        self.visible = visible;
        self.top = self.top.min(self.max_top());
    }

    /// Scrolls by `rows` (negative is up), within the rows there are.
    pub fn scroll(&mut self, rows: i64) {
        let top = (i64::from(self.top) + rows).clamp(0, i64::from(self.max_top()));
        self.top = u16::try_from(top).unwrap_or(0);
    }
}

impl App {
    /// Applies an action while the help is open: scroll keys scroll it (when it does not fit),
    /// the mouse wheel too; anything else closes it and is not applied.
    pub(super) fn help_action(&mut self, action: &Action) {
        let page = i64::from(self.help.visible.max(1));
        let rows = match action {
            Action::SelectNext => Some(1),
            Action::SelectPrev => Some(-1),
            Action::PageDown => Some(page),
            Action::PageUp => Some(-page),
            Action::SelectFirst => Some(-i64::from(u16::MAX)),
            Action::SelectLast => Some(i64::from(u16::MAX)),
            Action::Scroll(rows) => Some(i64::from(*rows)),
            _ => None,
        };
        match rows {
            Some(rows) if self.help.scrollable() => self.help.scroll(rows),
            // The wheel is not a key: it does not close what it cannot scroll.
            Some(_) if matches!(action, Action::Scroll(_)) => {}
            _ => self.show_help = false,
        }
    }

    /// Opens the help at its first row.
    pub(super) fn open_help(&mut self) {
        self.show_help = true;
        self.help.top = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrolling_stays_within_the_rows() {
        let mut h = HelpScroll::default();
        h.fit(35, 22);
        assert!(h.scrollable());
        h.scroll(-3);
        assert_eq!(h.top, 0);
        h.scroll(5);
        assert_eq!(h.top, 5);
        h.scroll(100);
        assert_eq!(h.top, 13);
        // A taller terminal: the rows that fit leave less to scroll.
        h.fit(35, 30);
        assert_eq!(h.top, 5);
        h.fit(35, 40);
        assert!(!h.scrollable());
        assert_eq!(h.top, 0);
    }
}
