//! Running sources → `Action::Source` batches: consecutive line batches are merged (television's
//! `recv_many`) and cut at [`MAX_BATCH`] lines, so a 100k-line burst costs a few updates and a
//! frame, and no single update holds the UI for long.
//!
//! Memory: what waits between a source and the app is bounded by the channels' capacities
//! (`cli::tui` gives the sources' channel [`SOURCE_QUEUE`] events) plus one round of
//! `RECV_EVENTS` events here. Batches are cut by moving lines, never by `split_off` of the
//! remainder: that copied the rest of a round once per batch and left every batch holding the
//! capacity of all that followed it (on a 1 GiB file, 465 MB of a 800 MB peak).

use tokio::sync::mpsc;

use crate::source::SourceEvent;

use super::Action;

/// Most lines one `Action::Source` carries: a key pressed while a file is indexed waits for
/// at most one such batch (1,024 lines, about 8 ms of ingest on the 1 GiB corpus; 2,048 kept
/// keys waiting up to 55 ms, over one 33 ms frame).
pub const MAX_BATCH: usize = 1024;

/// Source events the sources' channel holds (each at most `SourceOptions::batch_lines` lines).
pub const SOURCE_QUEUE: usize = 2;

/// Source events taken and merged per round.
const RECV_EVENTS: usize = 2;

/// Forwards source events as actions, batched. The small output channel gives back-pressure:
/// sources wait while the UI digests.
pub fn spawn(mut events: mpsc::Receiver<SourceEvent>) -> mpsc::Receiver<Action> {
    let (tx, rx) = mpsc::channel(4);
    tokio::spawn(async move {
        let mut buf = Vec::with_capacity(RECV_EVENTS);
        while events.recv_many(&mut buf, RECV_EVENTS).await > 0 {
            for action in batch(std::mem::take(&mut buf)) {
                if tx.send(action).await.is_err() {
                    return;
                }
            }
        }
    });
    rx
}

/// Merges consecutive line events and cuts them at [`MAX_BATCH`]; other events keep their place.
/// Every batch is allocated at its own size; each line is moved once.
pub fn batch(events: Vec<SourceEvent>) -> Vec<Action> {
    let mut out = Vec::new();
    let mut lines: Vec<crate::source::Line> = Vec::new();
    let flush = |lines: &mut Vec<_>, out: &mut Vec<Action>| {
        let mut rest = std::mem::take(lines).into_iter();
        loop {
            let chunk: Vec<_> = rest.by_ref().take(MAX_BATCH).collect();
            if chunk.is_empty() {
                break;
            }
            out.push(Action::Source(SourceEvent::Lines(chunk)));
        }
    };
    for ev in events {
        match ev {
            SourceEvent::Lines(mut l) => {
                if lines.is_empty() {
                    lines = l;
                } else {
                    lines.append(&mut l);
                }
            }
            other => {
                flush(&mut lines, &mut out);
                out.push(Action::Source(other));
            }
        }
    }
    flush(&mut lines, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{Line, SourceState};

    fn lines(n: usize) -> SourceEvent {
        SourceEvent::Lines(
            (0..n)
                .map(|i| Line {
                    source: 0,
                    number: i as u64 + 1,
                    offset: 0,
                    text: String::new(),
                    truncated: false,
                    lossy: false,
                })
                .collect(),
        )
    }

    #[test]
    fn batches_merge_and_split() {
        let state = SourceEvent::State {
            source: 0,
            state: SourceState::Following,
        };
        let out = batch(vec![lines(3000), lines(100), state.clone(), lines(5)]);
        let sizes: Vec<usize> = out
            .iter()
            .map(|a| match a {
                Action::Source(SourceEvent::Lines(l)) => l.len(),
                _ => 0,
            })
            .collect();
        let mut want: Vec<usize> = (0..3100)
            .step_by(MAX_BATCH)
            .map(|s| MAX_BATCH.min(3100 - s))
            .collect();
        let at = want.len();
        want.extend([0, 5]);
        assert_eq!(sizes, want);
        assert_eq!(out[at], Action::Source(state));
    }

    #[test]
    fn batches_keep_order_and_hold_only_their_own_lines() {
        let (a, b) = (lines(5000), lines(3000));
        let out = batch(vec![a, b]);
        let mut numbers = Vec::new();
        for a in &out {
            let Action::Source(SourceEvent::Lines(l)) = a else {
                panic!("only lines were sent");
            };
            // Cutting by `split_off` left each batch the capacity of all that followed it.
            assert!(l.capacity() <= MAX_BATCH, "capacity {}", l.capacity());
            numbers.extend(l.iter().map(|l| l.number));
        }
        let want: Vec<u64> = (1..=5000).chain(1..=3000).collect();
        assert_eq!(numbers, want);
    }
}
