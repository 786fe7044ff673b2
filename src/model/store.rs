//! Where events live: all of them (the TUI), or a recent window (the streaming `summary`).

use std::collections::VecDeque;

use super::fetch::FetchEvent;
use super::pair::MAX_PENDING;

/// Events kept when not keeping all: enough for every pending request plus late attachments.
const WINDOW: usize = MAX_PENDING + 1024;
/// How far back a late line (`Unauthorized`, `trying next host`) looks for its event.
const LOOK_BACK: usize = 64;

#[derive(Debug)]
pub(super) struct EventStore {
    base: usize,
    items: VecDeque<FetchEvent>,
    keep_all: bool,
}

impl EventStore {
    pub fn new(keep_all: bool) -> Self {
        EventStore {
            base: 0,
            items: VecDeque::new(),
            keep_all,
        }
    }

    /// Stores an event and returns its id.
    pub fn push(&mut self, mut ev: FetchEvent) -> usize {
        let id = self.base + self.items.len();
        ev.id = id;
        self.items.push_back(ev);
        if !self.keep_all && self.items.len() > WINDOW {
            self.items.pop_front();
            self.base += 1;
        }
        id
    }

    pub fn get(&self, id: usize) -> Option<&FetchEvent> {
        self.items.get(id.checked_sub(self.base)?)
    }

    pub fn get_mut(&mut self, id: usize) -> Option<&mut FetchEvent> {
        self.items.get_mut(id.checked_sub(self.base)?)
    }

    pub fn iter(&self) -> std::collections::vec_deque::Iter<'_, FetchEvent> {
        self.items.iter()
    }

    /// The newest events first, a bounded number.
    pub fn iter_recent(&self) -> impl Iterator<Item = &FetchEvent> {
        self.items.iter().rev().take(LOOK_BACK)
    }

    /// Events ever stored.
    pub fn total(&self) -> usize {
        self.base + self.items.len()
    }
}
