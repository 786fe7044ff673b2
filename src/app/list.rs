//! [`Cursor`]: the selected row and the first visible row of a list, kept in step for any
//! list length and page height. Every view's list uses it.

/// Selection and scroll position of a list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cursor {
    /// Index of the selected row.
    pub selected: usize,
    /// Index of the first visible row.
    pub offset: usize,
}

impl Cursor {
    /// Selects `idx` (clamped) and scrolls so it is visible in a page of `page` rows.
    pub fn select(&mut self, idx: usize, len: usize, page: usize) {
        self.selected = idx.min(len.saturating_sub(1));
        self.keep_visible(len, page);
    }

    /// Moves the selection by `delta` rows.
    pub fn move_by(&mut self, delta: i64, len: usize, page: usize) {
        let target = if delta < 0 {
            self.selected
                .saturating_sub(usize::try_from(-delta).unwrap_or(usize::MAX))
        } else {
            self.selected
                .saturating_add(usize::try_from(delta).unwrap_or(usize::MAX))
        };
        self.select(target, len, page);
    }

    /// Scrolls the view by `delta` rows without moving past the ends; the selection follows
    /// when it would leave the page.
    pub fn scroll(&mut self, delta: i64, len: usize, page: usize) {
        let max_offset = len.saturating_sub(page.max(1));
        let off = if delta < 0 {
            self.offset
                .saturating_sub(usize::try_from(-delta).unwrap_or(usize::MAX))
        } else {
            self.offset
                .saturating_add(usize::try_from(delta).unwrap_or(usize::MAX))
        };
        self.offset = off.min(max_offset);
        let page = page.max(1);
        if self.selected < self.offset {
            self.selected = self.offset;
        } else if self.selected >= self.offset + page {
            self.selected = self.offset + page - 1;
        }
        self.selected = self.selected.min(len.saturating_sub(1));
    }

    /// Re-clamps after the list changed length.
    pub fn keep_visible(&mut self, len: usize, page: usize) {
        let page = page.max(1);
        self.selected = self.selected.min(len.saturating_sub(1));
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + page {
            self.offset = self.selected + 1 - page;
        }
        self.offset = self.offset.min(len.saturating_sub(1));
    }

    /// The first visible row for a page of `page` rows (a draw-time view of [`Cursor::offset`]
    /// that also holds when the real page differs from the one the app assumed).
    pub fn visible_offset(&self, len: usize, page: usize) -> usize {
        let page = page.max(1);
        let mut off = self.offset.min(len.saturating_sub(1));
        if self.selected < off {
            off = self.selected;
        } else if self.selected >= off + page {
            off = self.selected + 1 - page;
        }
        // Fill the page when rows above the selection can be shown.
        off.min(len.saturating_sub(page))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_stays_visible() {
        let mut c = Cursor::default();
        c.move_by(15, 100, 10);
        assert_eq!((c.selected, c.offset), (15, 6));
        c.move_by(-20, 100, 10);
        assert_eq!((c.selected, c.offset), (0, 0));
        c.select(1000, 100, 10);
        assert_eq!((c.selected, c.offset), (99, 90));
        c.scroll(-5, 100, 10);
        assert_eq!((c.selected, c.offset), (94, 85));
        c.keep_visible(0, 10);
        assert_eq!((c.selected, c.offset), (0, 0));
        let c = Cursor {
            selected: 50,
            offset: 0,
        };
        assert_eq!(c.visible_offset(100, 10), 41);
    }
}
