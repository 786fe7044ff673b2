//! Search (`/`, `n` / `N`) in the in-memory lists: which rows of the current list match, the
//! jump to the next or previous and the `match 3 of 7` it says. An open waterfall is built
//! once for a search over its rows, not once a row. The Raw view reads text back, so it
//! searches and counts in bounded steps (scan.rs, match_count.rs).

use super::filter::{event_text_with, shown_text};
use super::navigate::{next_wrapping, went_round};
use super::traces::WaterfallRow;
use super::{App, View};

impl App {
    /// The text a search looks in for an event: its TIME cell as the Events view draws it
    /// first, so `^13:08` anchors where the row begins (as lnav's search anchors to the line
    /// shown), then [`event_text_with`] with its inferred host, and the level, full time and
    /// duration its row shows ([`shown_text`]).
    pub(super) fn searched_text(&self, e: &crate::model::fetch::FetchEvent) -> String {
        let mut text = e
            .started
            .or(e.finished)
            .map(|t| {
                let cell = self.time_column().cell(t, self.lines.has_millis(e.source));
                cell.trim_end().to_owned()
            })
            .unwrap_or_default();
        text.push(' ');
        text.push_str(&event_text_with(
            e,
            super::route::inferred(&self.model, e).map(|r| r.host()),
        ));
        text.push(' ');
        text.push_str(&shown_text(e));
        text
    }

    /// True when row `i` of the current list matches the search.
    pub fn row_matches(&self, i: usize) -> bool {
        let Some(re) = &self.search else {
            return false;
        };
        match self.view {
            View::Events => self
                .events
                .rows
                .get(i)
                .and_then(|&id| self.model.event(id))
                .is_some_and(|e| re.is_match(&self.searched_text(e))),
            View::Raw => self
                .raw_rows
                .get(i)
                .and_then(|seq| self.lines.get(seq))
                .is_some_and(|l| re.is_match(&l.text())),
            // A trace by its id, its spans' ids and names, and what its requests show
            // (host, url, repository, status, error, server, digest).
            View::Traces if self.traces.open.is_none() => self
                .traces
                .rows
                .get(i)
                .and_then(|id| self.model.traces().get(id))
                .is_some_and(|t| {
                    re.is_match(&t.trace_id)
                        || t.spans.keys().any(|s| re.is_match(s))
                        || t.events
                            .iter()
                            .filter_map(|&id| self.model.event(id))
                            .any(|e| {
                                re.is_match(&self.searched_text(e))
                                    || e.span.as_deref().is_some_and(|n| re.is_match(n))
                            })
                }),
            // One row: a search over them all is [`App::matching_rows`], the waterfall built once.
            View::Traces => self.open_trace().is_some_and(|t| {
                self.waterfall_of(t)
                    .get(i)
                    .is_some_and(|r| self.waterfall_row_matches(r))
            }),
            View::Mirrors => self
                .activity
                .hosts
                .get(i)
                .is_some_and(|h| re.is_match(&h.host)),
        }
    }

    /// `n` / `N`.
    pub(super) fn jump_match(&mut self, forward: bool) {
        if self.search.is_none() {
            self.say("no search yet: press / to search");
            return;
        }
        if self.view == View::Raw {
            // Reads text back: in bounded steps (scan.rs).
            self.start_search_scan(forward);
            return;
        }
        // One pass over the list finds the next match and counts them all.
        let matches = self.matching_rows();
        self.jump_among(&matches, forward);
    }

    /// Selects the next of `matches` (the rows the search matches, [`App::matching_rows`])
    /// after the selection (before it, backwards) and says which of them it is.
    pub(super) fn jump_among(&mut self, matches: &[usize], forward: bool) {
        let (at, round) = next_wrapping(matches, self.cursor().selected, forward);
        match matches.get(at) {
            Some(&i) => {
                self.pause_here();
                self.select_row(i);
                self.say_match_position(at + 1, matches.len(), round.then_some(forward));
            }
            None => self.say("no match in this view"),
        }
    }

    /// The rows of the current list the search matches, in order: one pass (an open waterfall
    /// is built once, not once a row as [`App::row_matches`] builds it).
    pub(super) fn matching_rows(&self) -> Vec<usize> {
        self.rows_where(|r| self.waterfall_row_matches(r), |i| self.row_matches(i))
    }

    /// The rows of the current list for which `row` holds, in order, or in an open waterfall
    /// (built once) those for which `waterfall_row` holds.
    pub(super) fn rows_where(
        &self,
        waterfall_row: impl Fn(&super::traces::WaterfallRow) -> bool,
        row: impl Fn(usize) -> bool,
    ) -> Vec<usize> {
        if self.view == View::Traces
            && let Some(t) = self.open_trace()
        {
            return self
                .waterfall_of(t)
                .iter()
                .enumerate()
                .filter(|(_, r)| waterfall_row(r))
                .map(|(i, _)| i)
                .collect();
        }
        (0..self.list_len()).filter(|&i| row(i)).collect()
    }

    /// `match 3 of 7` in the status bar, and, with `round` (the direction the search went),
    /// that it went round the end of the list, as lnav and less say. The lists counted here are
    /// in memory (events, traces, hosts); the Raw view's matches are counted in bounded steps
    /// (scan.rs), which say the same words once done.
    pub(super) fn say_match_position(&mut self, nth: usize, total: usize, round: Option<bool>) {
        self.say(format!("match {nth} of {total}{}", went_round(round)));
    }

    /// True when waterfall row `row` matches the search: a request by the text the Events
    /// view's search looks in (host, url, repository, status, error, server, digest), a span
    /// by its id and name. The view marks the rows it draws with it, from the waterfall it
    /// built for them.
    pub fn waterfall_row_matches(&self, row: &WaterfallRow) -> bool {
        let Some(re) = &self.search else {
            return false;
        };
        match row {
            WaterfallRow::Event(id) => self
                .model
                .event(*id)
                .is_some_and(|e| re.is_match(&self.searched_text(e))),
            WaterfallRow::Span { id, name, .. } => {
                re.is_match(id) || name.as_deref().is_some_and(|n| re.is_match(n))
            }
        }
    }
}
