//! Lines → `SourceEvent::Lines` batches: many lines per message, flushed when a batch is full
//! or when the input pauses, so a burst of 100k lines is a few dozen messages, not 100k.
//!
//! Every event of a source goes out through its [`Batcher`], which flushes pending lines before
//! any state, progress or reset event: the receiver sees lines and events in the order they
//! happened. A closed receiver ends the source quietly ([`Closed`]).

use tokio::sync::mpsc;

use super::{Line, SourceEvent, SourceState};

/// The receiver is gone; the source has no one to report to and stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Closed;

/// Collects one source's lines and sends them in batches.
#[derive(Debug)]
pub(crate) struct Batcher {
    source: u32,
    lines: Vec<Line>,
    bytes: usize,
    max_lines: usize,
    max_bytes: usize,
    tx: mpsc::Sender<SourceEvent>,
}

impl Batcher {
    /// A batcher flushing at `max_lines` lines or `max_bytes` bytes of text.
    pub(crate) fn new(
        source: u32,
        max_lines: usize,
        max_bytes: usize,
        tx: mpsc::Sender<SourceEvent>,
    ) -> Self {
        Batcher {
            source,
            lines: Vec::new(),
            bytes: 0,
            max_lines: max_lines.max(1),
            max_bytes: max_bytes.max(1),
            tx,
        }
    }

    /// True when lines wait to be sent.
    pub(crate) fn has_lines(&self) -> bool {
        !self.lines.is_empty()
    }

    /// Adds lines; sends the batch once it is full.
    pub(crate) async fn push(&mut self, lines: &mut Vec<Line>) -> Result<(), Closed> {
        self.bytes += lines.iter().map(|l| l.text.len() + 1).sum::<usize>();
        self.lines.append(lines);
        if self.lines.len() >= self.max_lines || self.bytes >= self.max_bytes {
            self.flush().await?;
        }
        Ok(())
    }

    /// Sends the pending lines now, in chunks of at most `max_lines`.
    pub(crate) async fn flush(&mut self) -> Result<(), Closed> {
        while !self.lines.is_empty() {
            let rest = if self.lines.len() > self.max_lines {
                self.lines.split_off(self.max_lines)
            } else {
                Vec::new()
            };
            let batch = std::mem::replace(&mut self.lines, rest);
            self.tx
                .send(SourceEvent::Lines(batch))
                .await
                .map_err(|_| Closed)?;
        }
        self.bytes = 0;
        Ok(())
    }

    /// Flushes the lines, then reports a new state.
    pub(crate) async fn state(&mut self, state: SourceState) -> Result<(), Closed> {
        let source = self.source;
        self.event(SourceEvent::State { source, state }).await
    }

    /// Flushes the lines, then reports a reset (`truncated`, `rotated`, …).
    pub(crate) async fn reset(&mut self, why: &str) -> Result<(), Closed> {
        let source = self.source;
        let why = why.to_owned();
        self.event(SourceEvent::Reset { source, why }).await
    }

    /// Flushes the lines, then reports loading progress.
    pub(crate) async fn progress(&mut self, read: u64, total: u64) -> Result<(), Closed> {
        let source = self.source;
        self.event(SourceEvent::Progress {
            source,
            read,
            total,
        })
        .await
    }

    async fn event(&mut self, event: SourceEvent) -> Result<(), Closed> {
        self.flush().await?;
        self.tx.send(event).await.map_err(|_| Closed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(number: u64, text: &str) -> Line {
        Line {
            source: 0,
            number,
            offset: 0,
            text: text.to_owned(),
            truncated: false,
            lossy: false,
        }
    }

    #[tokio::test]
    async fn full_batches_go_out_and_events_follow_their_lines() {
        let (tx, mut rx) = mpsc::channel(16);
        let mut b = Batcher::new(0, 3, 1 << 20, tx);
        let mut lines: Vec<Line> = (1..=7).map(|i| line(i, "x")).collect();
        b.push(&mut lines).await.unwrap();
        // 7 lines with a cap of 3: three messages of 3, 3 and 1.
        let sizes: Vec<usize> = (0..3)
            .map(|_| match rx.try_recv().unwrap() {
                SourceEvent::Lines(l) => l.len(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(sizes, [3, 3, 1]);
        b.push(&mut vec![line(8, "y")]).await.unwrap();
        assert!(rx.try_recv().is_err(), "a partial batch waits");
        b.state(SourceState::Following).await.unwrap();
        assert!(matches!(rx.try_recv().unwrap(), SourceEvent::Lines(l) if l[0].number == 8));
        assert!(matches!(
            rx.try_recv().unwrap(),
            SourceEvent::State {
                state: SourceState::Following,
                ..
            }
        ));
    }

    #[tokio::test]
    async fn byte_limit_flushes_and_closed_receiver_is_reported() {
        let (tx, mut rx) = mpsc::channel(16);
        let mut b = Batcher::new(0, 1000, 10, tx);
        b.push(&mut vec![line(1, "0123456789")]).await.unwrap();
        assert!(matches!(rx.try_recv().unwrap(), SourceEvent::Lines(_)));
        drop(rx);
        assert_eq!(b.push(&mut vec![line(2, "0123456789")]).await, Err(Closed));
    }
}
