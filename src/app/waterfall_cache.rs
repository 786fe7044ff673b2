//! The rows of a trace's waterfall ([`super::traces::waterfall`]), built once and kept until
//! what they are built from changes: the model's events, the newest time read (a waiting
//! request's span reaches it) and the findings (a request with one is a failure, and a span
//! counts its failures). `App::ingest` and the findings' refresh say so
//! ([`WaterfallCache::changed`]); nothing else changes those. A key (`e` and its noun, `n`
//! and the list length it moves in) and a frame (the waterfall, the detail and the
//! knowledge-base panes) read the same rows, where each built them again before: a trace of
//! a big build has thousands of rows.
//!
//! Filters, the search and the selection are not part of the rows (the view marks them when
//! it draws), so they do not make the rows stale.

use std::cell::RefCell;
use std::rc::Rc;

use super::traces::WaterfallRow;

/// One trace's waterfall rows, as built for a generation of the data.
#[derive(Debug)]
struct Built {
    trace: String,
    generation: u64,
    rows: Rc<[WaterfallRow]>,
}

/// The last waterfall built, and the generation of the data it was built from.
#[derive(Debug, Default)]
pub(super) struct WaterfallCache {
    /// Moves on whenever the events, the newest time or the findings change.
    generation: u64,
    built: RefCell<Option<Built>>,
    /// How many times rows were built, for the tests that count them.
    #[cfg(test)]
    pub(super) builds: std::cell::Cell<usize>,
}

impl WaterfallCache {
    /// What the rows are built from changed: the next read builds them again.
    pub(super) fn changed(&mut self) {
        self.generation = self.generation.wrapping_add(1);
    }

    /// Trace `trace`'s rows: those built before for this generation, else `build`'s.
    pub(super) fn rows(
        &self,
        trace: &str,
        build: impl FnOnce() -> Vec<WaterfallRow>,
    ) -> Rc<[WaterfallRow]> {
        if let Some(b) = self.built.borrow().as_ref()
            && b.trace == trace
            && b.generation == self.generation
        {
            return Rc::clone(&b.rows);
        }
        #[cfg(test)]
        self.builds.set(self.builds.get() + 1);
        let rows: Rc<[WaterfallRow]> = build().into();
        *self.built.borrow_mut() = Some(Built {
            trace: trace.to_owned(),
            generation: self.generation,
            rows: Rc::clone(&rows),
        });
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_built_again_only_for_another_trace_or_generation() {
        let mut c = WaterfallCache::default();
        let one = || vec![WaterfallRow::Event(1)];
        let two = || vec![WaterfallRow::Event(2)];
        assert_eq!(&*c.rows("a", one), &[WaterfallRow::Event(1)]);
        // Same trace, same data: the rows built before, not `two`'s.
        assert_eq!(&*c.rows("a", two), &[WaterfallRow::Event(1)]);
        assert_eq!(c.builds.get(), 1);
        // Another trace, then the data changed: built again each time.
        assert_eq!(&*c.rows("b", two), &[WaterfallRow::Event(2)]);
        c.changed();
        assert_eq!(&*c.rows("b", one), &[WaterfallRow::Event(1)]);
        assert_eq!(c.builds.get(), 3);
    }
}
