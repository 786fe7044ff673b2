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

    /// The view whose tab is at column `x` of the tab bar (tabs are drawn as ` title ` + `│`).
    pub fn tab_at(x: u16) -> Option<View> {
        let mut start = 0u16;
        for v in View::ALL {
            let w = v.title().chars().count() as u16 + 2;
            if x >= start && x < start + w {
                return Some(v);
            }
            start += w + 1;
        }
        None
    }
}
