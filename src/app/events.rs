//! Events list state: which fetch events pass the filters (in id order), the selection and the
//! scroll position. Kept up to date incrementally: new events are judged once, completed ones
//! again (their status and error arrive late).

use crate::model::Model;
use crate::model::fetch::FetchEvent;

use super::list::Cursor;

/// Rows of the events table.
#[derive(Debug, Clone, Default)]
pub struct EventsState {
    /// Event ids that pass the filters, ascending.
    pub rows: Vec<usize>,
    /// Selection and scroll.
    pub cursor: Cursor,
    /// Events judged so far (ids below this).
    scanned: usize,
}

impl EventsState {
    /// Judges new events and re-judges `completed` ones.
    pub fn refresh(
        &mut self,
        model: &Model,
        completed: &[usize],
        pass: impl Fn(&FetchEvent) -> bool,
    ) {
        for &id in completed.iter().filter(|&&id| id < self.scanned) {
            let Some(ev) = model.event(id) else {
                continue;
            };
            match (self.rows.binary_search(&id), pass(ev)) {
                (Err(pos), true) => {
                    self.rows.insert(pos, id);
                    if pos <= self.cursor.selected && !self.rows.is_empty() {
                        self.cursor.selected = (self.cursor.selected + 1).min(self.rows.len() - 1);
                    }
                }
                (Ok(pos), false) => {
                    self.rows.remove(pos);
                    if pos < self.cursor.selected {
                        self.cursor.selected -= 1;
                    }
                }
                _ => {}
            }
        }
        let total = model.event_count();
        for id in self.scanned..total {
            if model.event(id).is_some_and(&pass) {
                self.rows.push(id);
            }
        }
        self.scanned = total;
    }

    /// Judges every event again (the filter changed); keeps the selected event when it passes.
    pub fn rebuild(&mut self, model: &Model, pass: impl Fn(&FetchEvent) -> bool, page: usize) {
        let keep = self.selected_event();
        self.rows = model.events().filter(|e| pass(e)).map(|e| e.id).collect();
        self.scanned = model.event_count();
        let idx = keep
            .and_then(|id| self.rows.binary_search(&id).ok())
            .unwrap_or(self.rows.len().saturating_sub(1));
        self.cursor.select(idx, self.rows.len(), page);
    }

    /// Takes out the rows of events the model dropped (its cap on kept events): the selection
    /// stays on the same event, or moves to the next row kept when its own event went; the
    /// first visible row stays the same where it can.
    pub fn forget(&mut self, gone: &[usize]) {
        if gone.is_empty() {
            return;
        }
        let mut gone = gone.to_vec();
        gone.sort_unstable();
        // Most rows are newer than every dropped event (the model drops its oldest): a range
        // check answers for them without a search (this was a fifth of a 1 GiB load).
        let (lo, hi) = (gone[0], gone[gone.len() - 1]);
        let is_gone = |id: &usize| (lo..=hi).contains(id) && gone.binary_search(id).is_ok();
        let gone_before = |pos: usize| {
            let end = pos.min(self.rows.len());
            self.rows
                .get(..end)
                .map_or(0, |r| r.iter().filter(|id| is_gone(id)).count())
        };
        let selected = self.cursor.selected - gone_before(self.cursor.selected);
        let offset = self.cursor.offset - gone_before(self.cursor.offset);
        self.rows.retain(|id| !is_gone(id));
        self.cursor.selected = selected.min(self.rows.len().saturating_sub(1));
        self.cursor.offset = offset.min(self.cursor.selected);
    }

    /// The selected event's id.
    pub fn selected_event(&self) -> Option<usize> {
        self.rows.get(self.cursor.selected).copied()
    }
}

#[cfg(test)]
mod tests {
    use ratatui::layout::Rect;

    use super::super::{Action, App, AppOptions, View};
    use crate::source::{Line, SourceEvent};

    const DEMO: &str = include_str!("../../tests/fixtures/sample/demo.log");
    const GCR: &str = include_str!("../../tests/fixtures/seed/mirror_gcr.log");

    /// `text`'s lines as source 0 numbers them from `first`.
    fn lines(text: &str, first: u64) -> Vec<Line> {
        text.lines()
            .enumerate()
            .map(|(i, t)| Line {
                source: 0,
                number: first + i as u64,
                offset: 0,
                text: t.to_owned(),
                truncated: false,
                lossy: false,
            })
            .collect()
    }

    fn app(max_events: Option<usize>) -> App {
        let opts = AppOptions {
            max_events,
            ..AppOptions::default()
        };
        let mut app = App::new(
            opts,
            crate::kb::KnowledgeBase::builtin(),
            super::super::keymap::Keymap::builtin(),
        );
        app.update(Action::Layout(Rect::new(0, 3, 100, 10)));
        app
    }

    /// Feeds the demo, then the traced seed `rounds` times, in batches of 7 lines.
    fn feed(app: &mut App, rounds: usize) {
        let mut text = DEMO.to_owned();
        for _ in 0..rounds {
            text.push_str(GCR);
        }
        for batch in lines(&text, 1).chunks(7) {
            app.update(Action::Source(SourceEvent::Lines(batch.to_vec())));
        }
    }

    /// What every view holds about events resolves to a kept event, and agrees with an app
    /// that keeps them all.
    fn assert_consistent(capped: &App, full: &App) {
        let kept: Vec<usize> = capped.model.events().map(|e| e.id).collect();
        let want: Vec<usize> = full
            .events
            .rows
            .iter()
            .copied()
            .filter(|id| kept.contains(id))
            .collect();
        assert_eq!(capped.events.rows, want);
        for ev in capped.model.events() {
            let same = full.model.event(ev.id).unwrap();
            assert_eq!(
                (&ev.lines, &ev.url, ev.status),
                (&same.lines, &same.url, same.status)
            );
            for &l in &ev.lines {
                assert_eq!(capped.event_of_line(0, l), Some(ev.id));
            }
        }
        for ev in full.model.events().filter(|e| !kept.contains(&e.id)) {
            for &l in &ev.lines {
                assert_eq!(
                    capped.event_of_line(0, l),
                    None,
                    "line {l} of dropped {}",
                    ev.id
                );
            }
        }
        for t in capped.model.traces().iter() {
            assert!(t.events.iter().all(|id| kept.contains(id)));
            assert!(!t.events.is_empty());
        }
        let dropped = full.model.event_count() - kept.len();
        assert_eq!(capped.model.evicted_count(), dropped as u64);
    }

    #[test]
    fn a_cap_drops_the_oldest_events_and_every_view_follows() {
        let mut full = app(None);
        feed(&mut full, 6);
        let mut capped = app(Some(12));
        feed(&mut capped, 6);
        assert!(capped.model.events().len() <= 12);
        assert!(capped.model.evicted_count() > 10);
        assert_consistent(&capped, &full);
        capped.update(Action::ShowTraces);
        assert_eq!(capped.view, View::Traces);
        let traced = capped.traces.rows.len();
        assert!(traced >= 1);
        assert!(capped.selected_event().is_none() || capped.traces.open.is_some());
    }

    #[test]
    fn the_selection_stays_on_its_event_until_it_is_dropped() {
        let mut capped = app(Some(12));
        feed(&mut capped, 0);
        capped.update(Action::SelectFirst);
        for _ in 0..6 {
            capped.update(Action::SelectNext);
        }
        assert!(!capped.follow.events);
        let chosen = capped.events.selected_event().unwrap();
        let mut next = 1_000_000;
        for round in 0..8 {
            let more = lines(GCR, next);
            next += more.len() as u64;
            capped.update(Action::Source(SourceEvent::Lines(more)));
            let now = capped.events.selected_event().unwrap();
            if capped.model.event(chosen).is_some() {
                assert_eq!(now, chosen, "round {round}");
            } else {
                // Its own event went: the next row kept, in id order.
                let after = capped.events.rows.iter().find(|&&id| id > chosen);
                assert_eq!(
                    Some(&now),
                    after.or(capped.events.rows.last()),
                    "round {round}"
                );
            }
            assert!(
                capped
                    .events
                    .rows
                    .iter()
                    .all(|&id| capped.model.event(id).is_some())
            );
        }
        assert!(
            capped.model.event(chosen).is_none(),
            "the test never dropped it"
        );
    }
}
