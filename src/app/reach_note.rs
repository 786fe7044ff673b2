//! What `e` says after its count when the header's auth and error totals are more than the
//! view's error rows can show: findings the cap let go, those that went with the events
//! `--max-events` dropped, those with no request row (a pasted client error: Raw view only).
//! Each part has a long and a short form; the status bar shows the short where the long does
//! not fit.

use crate::model::MAX_FINDINGS;

use super::{App, View};

/// A note in its two forms, each starting `; ` (empty when nothing is out of reach).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct ReachNote {
    pub long: String,
    pub short: String,
}

/// The findings the header counts, by where they are now.
#[derive(Debug, Clone, Copy, Default)]
struct Whereabouts {
    /// Counted but not kept (the cap, [`MAX_FINDINGS`]).
    let_go: u64,
    /// Kept, with their event still kept.
    with_event: u64,
    /// Kept, read from text with no event, their line still kept.
    no_event: u64,
    /// Kept, with their line still kept (what the Raw view reaches).
    with_line: u64,
}

impl App {
    fn whereabouts(&self) -> Whereabouts {
        let mut w = Whereabouts {
            let_go: self.model.counts().findings_let_go,
            ..Whereabouts::default()
        };
        for f in &self.findings {
            let line_kept = self.lines.seq_of(f.source, f.line).is_some();
            w.with_line += u64::from(line_kept);
            match f.event {
                Some(id) => w.with_event += u64::from(self.model.event(id).is_some()),
                None => w.no_event += u64::from(line_kept),
            }
        }
        w
    }

    /// What `e` cannot reach in the view on screen of the findings the header counts, and why:
    /// `; 15 without a request row: Raw view` (short `; 15 in Raw view`). Empty in the Mirrors
    /// view (its hosts count every request) and when every finding is reached.
    pub(super) fn reach_note(&self) -> ReachNote {
        if self.view == View::Mirrors {
            return ReachNote::default();
        }
        let t = self.finding_totals;
        let total = t.auth + t.errors;
        let w = self.whereabouts();
        let raw = self.view == View::Raw;
        let reached = if raw { w.with_line } else { w.with_event };
        if reached >= total {
            return ReachNote::default();
        }
        let mut parts: Vec<(String, String)> = Vec::new();
        if w.let_go > 0 {
            let n = w.let_go;
            // The rows of their events stay in the lists: `e` still stops there.
            let rows = if raw { "" } else { ", their rows stay" };
            parts.push(if self.model.keeps_newest_findings() {
                (
                    format!("{n} older findings let go ({MAX_FINDINGS} kept at most){rows}"),
                    format!("{n} findings let go"),
                )
            } else {
                (
                    format!("{n} findings past the first {MAX_FINDINGS} not kept"),
                    format!("{n} findings not kept"),
                )
            });
        }
        let kept = self.findings.len() as u64;
        let gone = if raw {
            total.saturating_sub(w.let_go + kept)
        } else {
            total.saturating_sub(w.let_go + w.with_event + w.no_event)
        };
        if gone > 0 {
            let dropped = self.model.evicted_count();
            parts.push((
                format!(
                    "{} went with the {} dropped",
                    super::words::count(gone, "finding", "findings"),
                    super::words::count(dropped, "older event", "older events")
                ),
                format!("{gone} with dropped events"),
            ));
        }
        if raw {
            let lost = kept.saturating_sub(w.with_line);
            if lost > 0 {
                parts.push((
                    format!("{lost} on lines dropped (--max-lines)"),
                    format!("{lost} on dropped lines"),
                ));
            }
        } else if w.no_event > 0 {
            let n = w.no_event;
            parts.push((
                format!("{n} without a request row: Raw view"),
                format!("{n} in Raw view"),
            ));
        }
        let join = |pick: fn(&(String, String)) -> &String| {
            parts
                .iter()
                .map(pick)
                .fold(String::new(), |acc, p| acc + "; " + p)
        };
        ReachNote {
            long: join(|p| &p.0),
            short: join(|p| &p.1),
        }
    }
}
