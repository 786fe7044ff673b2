//! Long scans over the kept lines' text run in bounded steps, one per frame, so keys are
//! answered while they run: a Raw-view search with no match nearby (`/`, `n`, `N`) and a
//! filter on text (`f request`) rebuilding the Raw view's rows, and the count of a Raw-view
//! search's matches after a jump (match_count.rs).
//!
//! A step judges at least [`STEP_LINES`] lines, then stops once [`STEP_TIME`] has passed; a
//! small log is done in the step that starts the scan, so tests and small files see the
//! result at once. The event loop sends [`Action::Tick`](super::Action::Tick) every frame while
//! [`App::scanning`] is true. Moving the selection or switching view ends a search scan; a new
//! filter replaces a filter scan; lines dropped meanwhile are skipped. Here too, what is said of
//! a filter: its progress and count for the status bar, and why the Raw view lists no line.

use std::time::{Duration, Instant};

use super::App;
use super::raw_rows::RawRows;
use super::words::count;

/// Lines judged in every step, whatever the time.
pub const STEP_LINES: usize = 4096;
/// A step stops at its next chunk of lines once this has passed (a frame is 33 ms).
pub(super) const STEP_TIME: Duration = Duration::from_millis(20);

/// A scan in progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Scan {
    /// Looking for the next (or previous) Raw row matching the search, from row `from`;
    /// `done` rows of `len` looked at.
    Search {
        forward: bool,
        from: usize,
        done: usize,
        len: usize,
    },
    /// Rebuilding the Raw rows for a text filter: line `next` is the next to judge; `keep` is
    /// the line the cursor was on.
    Filter { next: usize, keep: Option<usize> },
}

impl App {
    /// True while a scan runs (the event loop then ticks every frame).
    pub fn scanning(&self) -> bool {
        self.scan.is_some() || self.filter_scan.is_some() || self.match_count.is_some()
    }

    /// Starts a search scan of the Raw view and runs its first step.
    pub(super) fn start_search_scan(&mut self, forward: bool) {
        self.scan = Some(Scan::Search {
            forward,
            from: self.raw_cursor.selected,
            done: 0,
            len: self.raw_rows.len(),
        });
        self.step_scans();
    }

    /// Starts rebuilding the Raw rows for a text filter and runs its first step.
    pub(super) fn start_filter_scan(&mut self, keep: Option<usize>) {
        self.raw_rows = RawRows::picked(Vec::new());
        self.filter_scan = Some(Scan::Filter {
            next: self.lines.first(),
            keep,
        });
        self.step_scans();
    }

    /// One bounded step of each running scan.
    pub(super) fn step_scans(&mut self) {
        let start = Instant::now();
        if let Some(Scan::Filter { next, keep }) = self.filter_scan.clone() {
            let mut at = next.max(self.lines.first());
            while at < self.lines.end() {
                let to = (at + STEP_LINES).min(self.lines.end());
                for seq in self.passing_lines(at..to) {
                    self.raw_rows.push(seq);
                }
                at = to;
                if start.elapsed() >= STEP_TIME {
                    break;
                }
            }
            if at >= self.lines.end() {
                self.filter_scan = None;
                let page = self.page();
                let pos = match keep.and_then(|k| self.raw_rows.position(k)) {
                    Some(p) if !self.follow.raw => p,
                    _ => usize::MAX,
                };
                self.raw_cursor.select(pos, self.raw_rows.len(), page);
            } else {
                self.filter_scan = Some(Scan::Filter { next: at, keep });
                // Its progress, then its count: both read when drawn (`App::filter_matches`).
                self.status = Some(super::Status::FilterMatches);
            }
        }
        if let Some(Scan::Search {
            forward,
            from,
            done,
            len,
        }) = self.scan.clone()
        {
            self.step_search(start, forward, from, done, len);
        }
        if self.match_count.is_some() {
            self.step_match_count(start);
        }
        self.dirty = true;
    }

    fn step_search(&mut self, start: Instant, forward: bool, from: usize, done: usize, len: usize) {
        let len = len.min(self.raw_rows.len());
        let Some(re) = self.search.clone() else {
            self.scan = None;
            return;
        };
        let mut reader = self.lines.reader();
        let mut k = done;
        let mut found = None;
        while k < len && found.is_none() {
            let to = (k + STEP_LINES).min(len);
            found = (k + 1..=to)
                .map(|k| {
                    if forward {
                        (from + k) % len
                    } else {
                        (from + len - k % len) % len
                    }
                })
                .find(|&i| {
                    self.raw_rows
                        .get(i)
                        .and_then(|seq| reader.get(seq))
                        .is_some_and(|l| re.is_match(&l.text()))
                });
            k = to;
            if start.elapsed() >= STEP_TIME {
                break;
            }
        }
        drop(reader);
        if let Some(i) = found {
            self.scan = None;
            self.status = None;
            self.pause_here();
            self.select_row(i);
            // Past the end of the list and round: `i` lies behind where the search began (back
            // on that row itself, the only match, is no going round).
            let round = if forward { i < from } else { i > from };
            self.start_match_count(i, round.then_some(forward));
        } else if k >= len {
            self.scan = None;
            self.say("no match in this view");
        } else {
            self.scan = Some(Scan::Search {
                forward,
                from,
                done: k,
                len,
            });
            self.say(format!("searching… {}%", k * 100 / len.max(1)));
        }
    }

    /// What [`Status::FilterMatches`](super::Status::FilterMatches) reads now: a text
    /// filter's progress while it re-reads the lines, then how many rows pass in the view on
    /// screen (lines in the Raw view, with the registry-only toggle named; traces and their
    /// events in the Traces view; events elsewhere).
    pub(super) fn filter_matches(&self) -> String {
        if let Some(Scan::Filter { next, .. }) = &self.filter_scan {
            let first = self.lines.first();
            let share = (next.max(&first) - first) * 100 / self.lines.len().max(1);
            return format!("filtering the raw lines… {share}%");
        }
        let mut said = self.rows_matching();
        // A short id shared by several traces shows them all, and says so.
        for (term, n) in self.id_matches.iter().filter(|(_, n)| *n > 1) {
            said.push_str(&format!(
                "; {term} matches {n} traces (more digits pick one)"
            ));
        }
        said
    }

    /// How many rows pass the filter in the view on screen ([`App::filter_matches`]).
    fn rows_matching(&self) -> String {
        let events = self.events.rows.len();
        let hidden = match self.hidden_failures.count() {
            0 => String::new(),
            n => format!(
                "{} not shown: status=failed",
                count(
                    n,
                    "failure without an HTTP status",
                    "failures without an HTTP status"
                )
            ),
        };
        if self.view == super::View::Traces {
            // The list shows traces: count its rows, and of their events those that match
            // (not the filter's matches over every event: most have no trace).
            let sep = if hidden.is_empty() { "" } else { "; " };
            let n = self.traces.rows.len();
            let (passed, all) = self.traces.matched_events;
            let events = if passed == all {
                count(all, "event", "events")
            } else {
                let their = if n == 1 { "its" } else { "their" };
                format!("{passed} of {their} {}", count(all, "event", "events"))
            };
            return format!(
                "{} ({events}{sep}{hidden})",
                count(n, "trace matches", "traces match"),
            );
        }
        if self.view != super::View::Raw {
            let said = count(events, "event matches", "events match");
            if hidden.is_empty() {
                return said;
            }
            return format!("{said} ({hidden})");
        }
        let key = self
            .keymap
            .key_of(&super::Action::ToggleAllLines)
            .unwrap_or("a");
        let n = self.raw_rows.len();
        match (self.filter.is_empty(), self.all_lines) {
            (true, true) => count(n, "line", "lines"),
            (true, false) => {
                format!("raw view: registry lines only ({n} of them; {key} shows every line)")
            }
            (false, true) => count(n, "line matches", "lines match"),
            (false, false) => format!(
                "{} ({key} shows every line)",
                count(n, "registry line matches", "registry lines match")
            ),
        }
    }

    /// What the Raw view says when it lists no line: that none came yet, or which of the
    /// filter, the trace filter and the registry-only toggle left none, and the keys that
    /// change them. Log and user text in it is raw: the view makes it inert.
    pub fn raw_empty_reason(&self) -> String {
        if self.lines.is_empty() {
            return "no lines yet".to_owned();
        }
        if self.filter_scan.is_some() {
            return self.filter_matches();
        }
        let key = |a: super::Action, or: &'static str| -> String {
            self.keymap.key_of(&a).unwrap_or(or).to_owned()
        };
        let which = if self.all_lines {
            "line"
        } else {
            "registry line"
        };
        let mut what = format!("no {which}");
        let mut keys = Vec::new();
        if !self.filter.is_empty() {
            what.push_str(&format!(" matches the filter '{}'", self.filter.text()));
            keys.push(format!(
                "{} to change it, Esc to clear it",
                key(super::Action::Filter, "f")
            ));
        }
        if let Some(t) = &self.trace_filter {
            what.push_str(&format!(" in trace {t}"));
            if self.filter.is_empty() {
                keys.push("Esc shows every trace".to_owned());
            }
        }
        if !self.all_lines {
            keys.push(format!(
                "{} shows every line",
                key(super::Action::ToggleAllLines, "a")
            ));
        }
        if self.filter.is_empty() && self.trace_filter.is_none() {
            what.push_str(" yet");
        }
        if keys.is_empty() {
            what
        } else {
            format!("{what} ({})", keys.join("; "))
        }
    }

    /// Lines were dropped and `gone` Raw rows with them: a search scan's rows move up.
    pub(super) fn scan_rows_dropped(&mut self, gone: usize) {
        if let Some(Scan::Search { from, len, .. }) = &mut self.scan {
            *from = from.saturating_sub(gone);
            *len = len.saturating_sub(gone);
        }
        self.match_count_rows_dropped(gone);
    }
}

#[cfg(test)]
mod tests {
    use ratatui::layout::Rect;

    use super::*;
    use crate::app::{Action, InputEdit, View};
    use crate::source::{Line, SourceEvent};

    fn big(n: usize) -> App {
        let mut app = App::from_log_text("");
        app.update(Action::Layout(Rect::new(0, 3, 100, 10)));
        let lines: Vec<Line> = (0..n)
            .map(|i| Line {
                source: 0,
                number: i as u64 + 1,
                offset: 0,
                text: format!(
                    "level=debug msg=\"line {i}\" {}",
                    if i % 1000 == 7 { "needle" } else { "hay" }
                ),
                truncated: false,
                lossy: false,
            })
            .collect();
        for chunk in lines.chunks(2048) {
            app.update(Action::Source(SourceEvent::Lines(chunk.to_vec())));
        }
        app.update(Action::ShowRaw);
        app
    }

    fn submit(app: &mut App, prompt: Action, text: &str) {
        app.update(prompt);
        app.update(Action::Input(InputEdit::DeleteToStart));
        for c in text.chars() {
            app.update(Action::Input(InputEdit::Char(c)));
        }
        app.update(Action::Input(InputEdit::Submit));
    }

    fn ticks(app: &mut App) -> usize {
        let mut n = 0;
        while app.scanning() {
            app.update(Action::Tick);
            n += 1;
            assert!(n < 10_000, "the scan never ends");
        }
        n
    }

    #[test]
    fn a_search_with_no_match_nearby_runs_in_steps_and_wraps() {
        let mut app = big(5 * STEP_LINES);
        assert_eq!(app.view, View::Raw);
        app.update(Action::SelectFirst);
        submit(&mut app, Action::Search, "line 19999\"");
        ticks(&mut app);
        assert_eq!(app.selected_line().unwrap().number, 20_000);
        // Backwards from there, wrapping past the first row: the last needle.
        submit(&mut app, Action::Search, "needle");
        ticks(&mut app);
        app.update(Action::SelectFirst);
        app.update(Action::SearchPrev);
        ticks(&mut app);
        assert_eq!(app.selected_line().unwrap().number, 20_008);
        submit(&mut app, Action::Search, "nowhere-at-all");
        ticks(&mut app);
        assert_eq!(
            app.status_message().as_deref(),
            Some("no match in this view")
        );
    }

    #[test]
    fn a_key_stops_a_search_scan() {
        let mut app = big(50 * STEP_LINES);
        app.update(Action::SelectFirst);
        submit(&mut app, Action::Search, "nowhere-at-all");
        if app.scanning() {
            app.update(Action::SelectNext);
            assert!(!app.scanning());
            assert_eq!(app.status_message().as_deref(), Some("search stopped"));
        }
    }

    #[test]
    fn a_text_filter_rebuilds_the_rows_in_steps_while_lines_arrive() {
        let mut app = big(5 * STEP_LINES);
        submit(&mut app, Action::Filter, "needle");
        // Lines arriving during the scan are judged by it, once.
        let more = Line {
            source: 0,
            number: 5 * STEP_LINES as u64 + 1,
            offset: 0,
            text: "needle late".to_owned(),
            truncated: false,
            lossy: false,
        };
        app.update(Action::Source(SourceEvent::Lines(vec![more])));
        ticks(&mut app);
        assert!(
            !app.status_message()
                .unwrap_or_default()
                .starts_with("filtering")
        );
        let want = (0..5 * STEP_LINES).filter(|i| i % 1000 == 7).count() + 1;
        assert_eq!(app.raw_rows.len(), want);
        let last = app.raw_rows.get(want - 1).unwrap();
        assert_eq!(app.lines.get(last).unwrap().text(), "needle late");
    }
}
