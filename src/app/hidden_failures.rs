//! The failures a status compare hides: `status>=400` leaves out a row with no HTTP status
//! (`ERR`: `failed to fetch oauth token`), which the header still counts. A row without a status
//! has none, so the filter keeps doing so; the status line says how many it hid and the term
//! that shows them (`status=failed`). Kept up to date as events arrive, complete and are dropped,
//! as the events table is.

use std::collections::BTreeSet;

use crate::model::Model;
use crate::model::fetch::FetchEvent;

use super::filter::Filter;

/// The ids of failed events with no HTTP status that pass every term of the filter but its
/// status compares.
#[derive(Debug, Clone, Default)]
pub(super) struct HiddenFailures {
    /// The filter without its status compares; `None` when it has none (nothing is hidden).
    rest: Option<Filter>,
    ids: BTreeSet<usize>,
    /// Events judged so far (ids below this).
    scanned: usize,
}

impl HiddenFailures {
    /// Judges every event again for a new filter (or trace filter).
    pub(super) fn rebuild(&mut self, filter: &Filter, trace: Option<&str>, model: &Model) {
        self.rest = filter.without_status_numbers();
        self.ids.clear();
        self.scanned = 0;
        self.refresh(filter, trace, model, &[]);
    }

    /// Judges new events and re-judges `completed` ones (their status and error arrive late).
    pub(super) fn refresh(
        &mut self,
        filter: &Filter,
        trace: Option<&str>,
        model: &Model,
        completed: &[usize],
    ) {
        let total = model.event_count();
        let Some(rest) = &self.rest else {
            self.scanned = total;
            return;
        };
        // The host an url-less request was inferred to have gone to counts as the filter
        // counts it (`pass_event`).
        let hidden = |e: &FetchEvent| {
            let route = || super::route::of(model, e);
            e.failed()
                && e.status.is_none()
                && trace.is_none_or(|t| e.trace_id.as_deref() == Some(t))
                && rest.matches_routed(e, route)
                && !filter.matches_routed(e, route)
        };
        let judge = completed
            .iter()
            .copied()
            .filter(|&id| id < self.scanned)
            .chain(self.scanned..total);
        for id in judge {
            if model.event(id).is_some_and(hidden) {
                self.ids.insert(id);
            } else {
                self.ids.remove(&id);
            }
        }
        self.scanned = total;
    }

    /// Forgets the events the model dropped.
    pub(super) fn forget(&mut self, gone: &[usize]) {
        for id in gone {
            self.ids.remove(id);
        }
    }

    /// How many failures the filter hides now.
    pub(super) fn count(&self) -> usize {
        self.ids.len()
    }
}
