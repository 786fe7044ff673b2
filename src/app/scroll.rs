//! Scrolling the side panes (detail, knowledge base) and the Mirrors view's evidence: each
//! keeps its own position, clamped to its content as last drawn so the last row stays on
//! screen.
//!
//! Which one the pane keys (`J` / Ctrl-D, Ctrl-U) move: the knowledge-base pane while it is
//! open, else the detail pane (in the Mirrors view its evidence). In the Mirrors view the
//! moving keys (`j` `k` PgUp PgDn `g` `G`, the wheel) scroll the evidence too while it is
//! shown (`d` hides it; then they move the host selection). How tall each content is
//! only the drawing knows (it wraps the text): the draw reports it as [`Extents`] and the
//! event loop hands that back with `Action::Extents`.

use super::{App, View};

/// Rows a pane key scrolls.
pub const STEP: u16 = 5;

/// What can scroll besides the lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    /// The request/response detail pane.
    Detail,
    /// The knowledge-base pane.
    Kb,
    /// The evidence under the Mirrors view's hosts table.
    Evidence,
}

/// How much there is to scroll in one pane, as last drawn.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Extent {
    /// Rows of content, wrapped to the pane's width.
    pub rows: usize,
    /// Rows the pane shows.
    pub height: usize,
}

impl Extent {
    /// The furthest scroll that keeps the last row on screen (0 when all fits or the pane was
    /// not drawn).
    pub fn max_scroll(self) -> u16 {
        u16::try_from(self.rows.saturating_sub(self.height)).unwrap_or(u16::MAX)
    }
}

/// Every scrollable pane's extent, as the last frame drew them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Extents {
    /// The detail pane.
    pub detail: Extent,
    /// The knowledge-base pane.
    pub kb: Extent,
    /// The Mirrors view's evidence.
    pub evidence: Extent,
}

impl Extents {
    /// One pane's extent.
    pub fn of(&self, pane: Pane) -> Extent {
        match pane {
            Pane::Detail => self.detail,
            Pane::Kb => self.kb,
            Pane::Evidence => self.evidence,
        }
    }
}

/// Each pane's scroll, in rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scrolls {
    /// The detail pane.
    pub detail: u16,
    /// The knowledge-base pane.
    pub kb: u16,
    /// The Mirrors view's evidence.
    pub evidence: u16,
}

impl Scrolls {
    /// One pane's scroll.
    pub fn of(&self, pane: Pane) -> u16 {
        match pane {
            Pane::Detail => self.detail,
            Pane::Kb => self.kb,
            Pane::Evidence => self.evidence,
        }
    }

    fn of_mut(&mut self, pane: Pane) -> &mut u16 {
        match pane {
            Pane::Detail => &mut self.detail,
            Pane::Kb => &mut self.kb,
            Pane::Evidence => &mut self.evidence,
        }
    }
}

impl App {
    /// True when the knowledge-base pane is on screen. The Mirrors view has its own (it
    /// diagnoses the selected host there), so a pane opened on an error elsewhere does not
    /// narrow its hosts table.
    pub fn kb_shown(&self) -> bool {
        if self.view == View::Mirrors {
            self.show_host_kb
        } else {
            self.show_kb
        }
    }

    /// Opens or closes the knowledge-base pane of the view on screen.
    pub(super) fn set_kb_shown(&mut self, on: bool) {
        if self.view == View::Mirrors {
            self.show_host_kb = on;
        } else {
            self.show_kb = on;
        }
    }

    /// True when the detail pane is on screen (space permitting): in the Events and Raw
    /// views, and in the Traces view under an open waterfall; the Mirrors view has its
    /// evidence instead ([`App::evidence_shown`]).
    pub fn detail_shown(&self) -> bool {
        self.show_detail
            && match self.view {
                View::Events | View::Raw => true,
                View::Traces => self.traces.open.is_some(),
                View::Mirrors => false,
            }
    }

    /// True when the Mirrors view shows its evidence under the hosts (`d` there toggles it, as
    /// it toggles the detail pane elsewhere).
    pub fn evidence_shown(&self) -> bool {
        self.show_evidence
    }

    /// The pane the pane keys scroll: the knowledge-base pane while it is open, else the
    /// detail pane, which in the Mirrors view is its evidence.
    pub fn scroll_target(&self) -> Pane {
        if self.kb_shown() {
            Pane::Kb
        } else if self.view == View::Mirrors {
            Pane::Evidence
        } else {
            Pane::Detail
        }
    }

    /// Where `pane` is scrolled to, never past its content as last drawn.
    pub fn scroll_of(&self, pane: Pane) -> u16 {
        self.scrolls
            .of(pane)
            .min(self.extents.of(pane).max_scroll())
    }

    /// Scrolls `pane` by `delta` rows, within its content.
    pub(super) fn scroll_pane(&mut self, pane: Pane, delta: i32) {
        let max = self.extents.of(pane).max_scroll();
        let s = self.scrolls.of_mut(pane);
        let moved = i32::from(*s).saturating_add(delta).clamp(0, i32::from(max));
        *s = u16::try_from(moved).unwrap_or(0);
    }

    /// The moving keys in the Mirrors view scroll its evidence (the hosts are picked with a
    /// click, `e` / `E` or a search): a row, a screenful, the top or the end.
    pub(super) fn scroll_evidence(&mut self, action: &super::Action) {
        use super::Action;
        let page = i32::try_from(self.extents.evidence.height.max(1)).unwrap_or(i32::MAX);
        let delta = match action {
            Action::SelectNext => 1,
            Action::SelectPrev => -1,
            Action::PageDown => page,
            Action::PageUp => -page,
            Action::SelectFirst => i32::MIN,
            Action::SelectLast => i32::MAX,
            Action::Scroll(rows) => *rows,
            _ => 0,
        };
        self.scroll_pane(Pane::Evidence, delta);
    }

    /// Puts `pane` back at its top.
    pub(super) fn scroll_home(&mut self, pane: Pane) {
        *self.scrolls.of_mut(pane) = 0;
    }

    /// The side panes show another selection: both start at their top.
    pub(super) fn reset_pane_scrolls(&mut self) {
        self.scrolls.detail = 0;
        self.scrolls.kb = 0;
    }

    /// The extents the last frame drew. Returns true when a scroll had to be pulled back (the
    /// content shrank or the pane grew), so the screen needs drawing again.
    pub(super) fn set_extents(&mut self, e: Extents) -> bool {
        self.extents = e;
        let before = self.scrolls;
        for pane in [Pane::Detail, Pane::Kb, Pane::Evidence] {
            let max = e.of(pane).max_scroll();
            let s = self.scrolls.of_mut(pane);
            *s = (*s).min(max);
        }
        before != self.scrolls
    }
}
