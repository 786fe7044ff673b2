//! Where events live: all of them (the TUI), or a recent window (the streaming `summary`).
//!
//! In the window, an event that is completed and older than the look-back of late lines can
//! also be forgotten at once ([`EventStore::forget_done`]): nothing reads it again. Keeping all,
//! a cap can be set: past it the oldest completed events are dropped ([`EventStore::evict`]).
//! Ids never change: a dropped event's id simply finds nothing.

use std::collections::VecDeque;

use super::fetch::FetchEvent;
use super::pair::MAX_PENDING;

/// Events kept when not keeping all: enough for every pending request plus late attachments.
const WINDOW: usize = MAX_PENDING + 1024;
/// How far back a late line (`Unauthorized`, `trying next host`) looks for its event.
const LOOK_BACK: usize = 64;

#[derive(Debug)]
struct Slot {
    /// `None` once forgotten.
    ev: Option<Box<FetchEvent>>,
    done: bool,
}

#[derive(Debug)]
pub(super) struct EventStore {
    base: usize,
    items: VecDeque<Slot>,
    present: usize,
    keep_all: bool,
    forget_done: bool,
    /// Keeping all: no slot before this index holds a completed event (where eviction resumes).
    evict_from: usize,
    /// Events dropped by [`EventStore::evict`].
    evicted: u64,
}

impl EventStore {
    pub fn new(keep_all: bool) -> Self {
        EventStore {
            base: 0,
            items: VecDeque::new(),
            present: 0,
            keep_all,
            forget_done: false,
            evict_from: 0,
            evicted: 0,
        }
    }

    /// From now on (window mode only), completed events past the look-back are dropped.
    pub fn forget_done(&mut self) {
        self.forget_done = !self.keep_all;
    }

    /// Stores an event and returns its id.
    pub fn push(&mut self, mut ev: FetchEvent) -> usize {
        let id = self.base + self.items.len();
        ev.id = id;
        self.items.push_back(Slot {
            ev: Some(Box::new(ev)),
            done: false,
        });
        self.present += 1;
        if self.forget_done
            && let Some(i) = self.items.len().checked_sub(LOOK_BACK + 1)
            && let Some(slot) = self.items.get_mut(i)
            && slot.done
            && slot.ev.take().is_some()
        {
            self.present -= 1;
        }
        if !self.keep_all
            && self.items.len() > WINDOW
            && let Some(old) = self.items.pop_front()
        {
            self.base += 1;
            self.present -= usize::from(old.ev.is_some());
        }
        id
    }

    /// Marks an event completed (answered, failed or given up).
    pub fn mark_done(&mut self, id: usize) {
        let Some(i) = id.checked_sub(self.base) else {
            return;
        };
        if let Some(slot) = self.items.get_mut(i) {
            slot.done = true;
            self.evict_from = self.evict_from.min(i);
        }
    }

    /// Drops the oldest completed events until at most `max` events are kept (pending ones are
    /// never dropped) and hands them back; their slots are freed from the front.
    pub fn evict(&mut self, max: usize) -> Vec<FetchEvent> {
        let mut out = Vec::new();
        let mut i = self.evict_from;
        while self.present > max
            && let Some(slot) = self.items.get_mut(i)
        {
            if slot.done
                && let Some(ev) = slot.ev.take()
            {
                self.present -= 1;
                out.push(*ev);
            }
            i += 1;
        }
        self.evict_from = i;
        while self.items.front().is_some_and(|s| s.ev.is_none()) {
            self.items.pop_front();
            self.base += 1;
            self.evict_from = self.evict_from.saturating_sub(1);
        }
        self.evicted += out.len() as u64;
        out
    }

    /// Events dropped by [`EventStore::evict`] so far.
    pub fn evicted(&self) -> u64 {
        self.evicted
    }

    pub fn get(&self, id: usize) -> Option<&FetchEvent> {
        self.items.get(id.checked_sub(self.base)?)?.ev.as_deref()
    }

    pub fn get_mut(&mut self, id: usize) -> Option<&mut FetchEvent> {
        self.items
            .get_mut(id.checked_sub(self.base)?)?
            .ev
            .as_deref_mut()
    }

    pub fn iter(&self) -> Events<'_> {
        Events {
            inner: self.items.iter(),
            left: self.present,
        }
    }

    /// The newest events first, a bounded number.
    pub fn iter_recent(&self) -> impl Iterator<Item = &FetchEvent> {
        self.items
            .iter()
            .rev()
            .take(LOOK_BACK)
            .filter_map(|s| s.ev.as_deref())
    }

    /// Events ever stored.
    pub fn total(&self) -> usize {
        self.base + self.items.len()
    }
}

/// The stored events, oldest first.
#[derive(Debug, Clone)]
pub struct Events<'a> {
    inner: std::collections::vec_deque::Iter<'a, Slot>,
    left: usize,
}

impl<'a> Iterator for Events<'a> {
    type Item = &'a FetchEvent;

    fn next(&mut self) -> Option<&'a FetchEvent> {
        let ev = self.inner.by_ref().find_map(|s| s.ev.as_deref())?;
        self.left -= 1;
        Some(ev)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl DoubleEndedIterator for Events<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let ev = self.inner.by_ref().rev().find_map(|s| s.ev.as_deref())?;
        self.left -= 1;
        Some(ev)
    }
}

impl ExactSizeIterator for Events<'_> {}
