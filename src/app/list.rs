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
        let target = shifted(self.selected, delta);
        self.select(target, len, page);
    }

    /// Scrolls the view by `delta` rows without moving past the ends; the selection follows
    /// when it would leave the page.
    pub fn scroll(&mut self, delta: i64, len: usize, page: usize) {
        let max_offset = len.saturating_sub(page.max(1));
        let off = shifted(self.offset, delta);
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

    /// [`Cursor::visible_offset`] for rows of different heights: `height(i)` screen rows for
    /// row `i` (a wrapped line), a page of `page` screen rows. The selection is shown whole
    /// (its start when it alone is taller than the page), and the page is filled when the list
    /// ends before it. Asks for at most about two pages of heights.
    pub fn visible_offset_by(
        &self,
        len: usize,
        page: usize,
        mut height: impl FnMut(usize) -> usize,
    ) -> usize {
        if len == 0 {
            return 0;
        }
        let page = page.max(1);
        let sel = self.selected.min(len - 1);
        let mut off = self.offset.min(sel);
        // The lowest first row from which the selection is still whole on the page.
        let mut used = height(sel).max(1);
        let mut low = sel;
        while low > off {
            let h = height(low - 1).max(1);
            if used + h > page {
                break;
            }
            used += h;
            low -= 1;
        }
        off = low;
        // Fill the page when the rows from `off` to the end do not.
        let mut below = 0;
        for i in off..len {
            below += height(i).max(1);
            if below >= page {
                return off;
            }
        }
        last_page_top(len, page, height)
    }

    /// [`Cursor::scroll`] for rows of different heights (see [`Cursor::visible_offset_by`]):
    /// the first row moves by `delta` rows, no further than the row from which the last rows
    /// fill the page; the selection follows when it would leave the page.
    pub fn scroll_by(
        &mut self,
        delta: i64,
        len: usize,
        page: usize,
        mut height: impl FnMut(usize) -> usize,
    ) {
        if len == 0 {
            *self = Cursor::default();
            return;
        }
        let page = page.max(1);
        let max_off = last_page_top(len, page, &mut height);
        let off = shifted(self.offset, delta);
        self.offset = off.min(max_off);
        // The last row shown whole from the new first row (the first row at least).
        let mut last = self.offset;
        let mut used = height(last).max(1);
        while last + 1 < len {
            let h = height(last + 1).max(1);
            if used + h > page {
                break;
            }
            used += h;
            last += 1;
        }
        self.selected = self.selected.clamp(self.offset, last);
    }
}

/// The first row of the last page: the lowest row from which the rows to the end fit in
/// `page` screen rows, `height(i)` each (the last row at least).
fn last_page_top(len: usize, page: usize, mut height: impl FnMut(usize) -> usize) -> usize {
    let mut top = len.saturating_sub(1);
    let mut used = height(top).max(1);
    while top > 0 {
        let h = height(top - 1).max(1);
        if used + h > page {
            break;
        }
        used += h;
        top -= 1;
    }
    top
}

/// `at` moved by `delta` rows, stopping at 0 and at `usize::MAX`.
fn shifted(at: usize, delta: i64) -> usize {
    let by = usize::try_from(delta.unsigned_abs()).unwrap_or(usize::MAX);
    if delta < 0 {
        at.saturating_sub(by)
    } else {
        at.saturating_add(by)
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

    #[test]
    fn tall_rows_keep_the_selection_on_the_page() {
        // Every row 3 screen rows tall, a page of 10: three rows fit whole.
        let h = |_: usize| 3;
        let c = Cursor {
            selected: 50,
            offset: 0,
        };
        assert_eq!(c.visible_offset_by(100, 10, h), 48);
        let c = Cursor {
            selected: 50,
            offset: 49,
        };
        assert_eq!(
            c.visible_offset_by(100, 10, h),
            49,
            "no scroll while it fits"
        );
        let c = Cursor {
            selected: 99,
            offset: 0,
        };
        assert_eq!(
            c.visible_offset_by(100, 10, h),
            97,
            "the tail fills the page"
        );
        // A row taller than the page: its start is shown.
        let tall = |i: usize| if i == 5 { 40 } else { 1 };
        let c = Cursor {
            selected: 5,
            offset: 0,
        };
        assert_eq!(c.visible_offset_by(10, 10, tall), 5);
        // Uniform rows of one line agree with visible_offset.
        for (sel, off) in [(0, 0), (15, 3), (99, 0), (50, 45)] {
            let c = Cursor {
                selected: sel,
                offset: off,
            };
            assert_eq!(
                c.visible_offset_by(100, 10, |_| 1),
                c.visible_offset(100, 10),
                "{sel} {off}"
            );
        }
        let mut c = Cursor::default();
        c.scroll_by(5, 100, 10, h);
        assert_eq!((c.selected, c.offset), (5, 5));
        c.scroll_by(1000, 100, 10, h);
        assert_eq!((c.selected, c.offset), (97, 97));
        c.scroll_by(-10, 100, 10, h);
        assert_eq!((c.selected, c.offset), (89, 87));
    }
}
