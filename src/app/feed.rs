//! Running sources → `Action::Source` batches: consecutive line batches are merged (television's
//! `recv_many`) and cut at [`MAX_BATCH`] lines, so a 100k-line burst costs a few updates and a
//! frame, and no single update holds the UI for long.

use tokio::sync::mpsc;

use crate::source::SourceEvent;

use super::Action;

/// Most lines one `Action::Source` carries.
pub const MAX_BATCH: usize = 2048;

/// Forwards source events as actions, batched. The small output channel gives back-pressure:
/// sources wait while the UI digests.
pub fn spawn(mut events: mpsc::Receiver<SourceEvent>) -> mpsc::Receiver<Action> {
    let (tx, rx) = mpsc::channel(4);
    tokio::spawn(async move {
        let mut buf = Vec::with_capacity(64);
        while events.recv_many(&mut buf, 64).await > 0 {
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
pub fn batch(events: Vec<SourceEvent>) -> Vec<Action> {
    let mut out = Vec::new();
    let mut lines = Vec::new();
    let flush = |lines: &mut Vec<_>, out: &mut Vec<Action>| {
        while !lines.is_empty() {
            let rest = lines.split_off(lines.len().min(MAX_BATCH));
            out.push(Action::Source(SourceEvent::Lines(std::mem::replace(
                lines, rest,
            ))));
        }
    };
    for ev in events {
        match ev {
            SourceEvent::Lines(mut l) => lines.append(&mut l),
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
        assert_eq!(sizes, [MAX_BATCH, 3100 - MAX_BATCH, 0, 5]);
        assert_eq!(out[2], Action::Source(state));
    }
}
