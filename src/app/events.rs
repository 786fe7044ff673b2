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

    /// The selected event's id.
    pub fn selected_event(&self) -> Option<usize> {
        self.rows.get(self.cursor.selected).copied()
    }
}
