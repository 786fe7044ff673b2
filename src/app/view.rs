//! [`View`]: the main views, their tab titles and where their tabs sit (for mouse clicks).

/// The main views, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// Fetch events table.
    Events,
    /// Raw log lines.
    Raw,
    /// Traces list and waterfall.
    Traces,
    /// Mirror verdicts and per-host activity.
    Mirrors,
}

impl View {
    /// Every view, in Tab order.
    pub const ALL: [View; 4] = [View::Events, View::Raw, View::Traces, View::Mirrors];

    /// The tab title.
    pub fn title(self) -> &'static str {
        match self {
            View::Events => "1 Events",
            View::Raw => "2 Raw",
            View::Traces => "3 Traces",
            View::Mirrors => "4 Mirrors/Hosts",
        }
    }

    /// The tab title, `short` on a narrow terminal (`1 Ev`, `4 Mir`): the filter and search
    /// after the tabs keep room.
    pub fn tab_title(self, short: bool) -> &'static str {
        match (self, short) {
            (View::Events, true) => "1 Ev",
            (View::Traces, true) => "3 Tr",
            (View::Mirrors, true) => "4 Mir",
            _ => self.title(),
        }
    }

    /// The view whose tab is at column `x` of the tab bar (tabs are drawn as ` title ` + `│`),
    /// the titles `short` or not.
    pub fn tab_at(x: u16, short: bool) -> Option<View> {
        let mut start = 0u16;
        for v in View::ALL {
            let w = v.tab_title(short).chars().count() as u16 + 2;
            if x >= start && x < start + w {
                return Some(v);
            }
            start += w + 1;
        }
        None
    }
}
