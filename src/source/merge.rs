//! Several sources into one stream ordered by time, for `bkscope a.log b.log` or a file beside a
//! container.
//!
//! Decisions:
//! - Time is sniffed here (RFC 3339 at the start of a line, after `time="` or `"time":"`), not
//!   taken from `parse`, which sits above this layer. A line without a time takes the time of
//!   the line before it in its own source, so continuation lines stay with their neighbours;
//!   before any time is known a line sorts first.
//! - Each source's own order is never changed; only the heads of the per-source queues are
//!   compared (a k-way merge; ties go to the lower source index).
//! - A line is released once no source could still send an older one: every source either has
//!   lines waiting (its head is compared) or is caught up (`Following`, `Ended` or `Error`:
//!   what it sends from now on is new). So histories (files being loaded) interleave exactly;
//!   live lines are released as they come and are in time order only as far as they arrive in
//!   it. A source that is still `Starting` or `Loading` with nothing queued holds the others
//!   back, up to [`MAX_PENDING`] queued lines, after which the oldest heads are released anyway
//!   (bounded memory over perfect order).
//! - `State` and `Reset` events stay in their source's queue, after the lines read before them;
//!   `Progress` events pass at once (a loading gauge must not freeze while waiting).
//! - Batches of a merged stream mix sources; every [`Line`] carries its `source`.

use std::collections::{BTreeMap, VecDeque};

use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::stamp::sniff;
use super::{Line, SourceEvent, SourceHandle, SourceOptions, SourceSpec, SourceState, spawn_with};

/// Queued lines beyond which time order gives way to memory.
pub const MAX_PENDING: usize = 200_000;

/// Events the sources' channel holds, and the most taken into one merging round.
const ROUND_EVENTS: usize = 8;

/// Orders the events of several sources by the time of their lines.
#[derive(Debug)]
pub struct Merger {
    queues: BTreeMap<u32, Queue>,
    passing: Vec<SourceEvent>,
    pending: usize,
    max_pending: usize,
    batch_lines: usize,
}

#[derive(Debug)]
struct Queue {
    items: VecDeque<Item>,
    /// Time of the last line queued, inherited by lines without one.
    last: i64,
    /// The source will send no line older than what it sent so far.
    caught_up: bool,
}

impl Queue {
    fn new(caught_up: bool) -> Self {
        Queue {
            items: VecDeque::new(),
            last: i64::MIN,
            caught_up,
        }
    }
}

#[derive(Debug)]
enum Item {
    Line(i64, Line),
    Event(SourceEvent),
}

impl Merger {
    /// A merger expecting these sources; it waits for each of them until it is caught up.
    /// Lines of a source not named here are taken as caught up.
    pub fn new(sources: impl IntoIterator<Item = u32>) -> Self {
        Merger {
            queues: sources
                .into_iter()
                .map(|s| (s, Queue::new(false)))
                .collect(),
            passing: Vec::new(),
            pending: 0,
            max_pending: MAX_PENDING,
            batch_lines: SourceOptions::default().batch_lines,
        }
    }

    /// The same with other limits: queued lines before order gives way, lines per batch out.
    pub fn with_limits(mut self, max_pending: usize, batch_lines: usize) -> Self {
        self.max_pending = max_pending;
        self.batch_lines = batch_lines.max(1);
        self
    }

    /// Lines waiting to be released.
    pub fn pending(&self) -> usize {
        self.pending
    }

    /// Takes one event of a source.
    pub fn push(&mut self, event: SourceEvent) {
        match event {
            SourceEvent::Lines(lines) => {
                for line in lines {
                    let q = self
                        .queues
                        .entry(line.source)
                        .or_insert_with(|| Queue::new(true));
                    let time = sniff(&line.text).unwrap_or(q.last);
                    q.last = time;
                    q.items.push_back(Item::Line(time, line));
                    self.pending += 1;
                }
            }
            SourceEvent::State { source, ref state } => {
                let q = self
                    .queues
                    .entry(source)
                    .or_insert_with(|| Queue::new(true));
                q.caught_up = !matches!(state, SourceState::Starting | SourceState::Loading);
                q.items.push_back(Item::Event(event));
            }
            SourceEvent::Reset { source, .. } => {
                let q = self
                    .queues
                    .entry(source)
                    .or_insert_with(|| Queue::new(true));
                q.items.push_back(Item::Event(event));
            }
            SourceEvent::Progress { .. } => self.passing.push(event),
        }
    }

    /// Moves every event that may go now to `out`, lines batched in time order.
    pub fn pop_ready(&mut self, out: &mut Vec<SourceEvent>) {
        self.pop(out, false);
    }

    /// Moves everything to `out` (all sources are done).
    pub fn pop_all(&mut self, out: &mut Vec<SourceEvent>) {
        self.pop(out, true);
    }

    fn pop(&mut self, out: &mut Vec<SourceEvent>, all: bool) {
        out.append(&mut self.passing);
        let mut batch = Vec::new();
        loop {
            for q in self.queues.values_mut() {
                while let Some(Item::Event(_)) = q.items.front() {
                    if let Some(Item::Event(ev)) = q.items.pop_front() {
                        flush(&mut batch, out);
                        out.push(ev);
                    }
                }
            }
            let waiting = self
                .queues
                .values()
                .any(|q| q.items.is_empty() && !q.caught_up);
            if waiting && !all && self.pending <= self.max_pending {
                break;
            }
            let head = self
                .queues
                .iter()
                .filter_map(|(&s, q)| match q.items.front() {
                    Some(Item::Line(t, _)) => Some((*t, s)),
                    _ => None,
                })
                .min();
            let Some((_, source)) = head else { break };
            if let Some(Item::Line(_, line)) = self
                .queues
                .get_mut(&source)
                .and_then(|q| q.items.pop_front())
            {
                self.pending -= 1;
                batch.push(line);
                if batch.len() >= self.batch_lines {
                    flush(&mut batch, out);
                }
            }
        }
        flush(&mut batch, out);
    }
}

fn flush(batch: &mut Vec<Line>, out: &mut Vec<SourceEvent>) {
    if !batch.is_empty() {
        out.push(SourceEvent::Lines(std::mem::take(batch)));
    }
}

/// Sources started together whose events arrive merged by time on one channel.
/// Dropping it stops them all.
#[derive(Debug)]
pub struct MergedSources {
    handles: Vec<SourceHandle>,
    /// The merging task; none for a single source, whose events go straight through.
    task: Option<JoinHandle<()>>,
}

impl MergedSources {
    /// The running sources; source `i` is the `i`-th spec.
    pub fn handles(&self) -> &[SourceHandle] {
        &self.handles
    }

    /// Source `source`, to stop or restart it.
    pub fn get(&self, source: u32) -> Option<&SourceHandle> {
        self.handles.iter().find(|h| h.source() == source)
    }
}

impl Drop for MergedSources {
    fn drop(&mut self) {
        if let Some(t) = &self.task {
            t.abort();
        }
    }
}

/// Starts one source per spec (source `i` for the `i`-th) and sends their events to `tx`,
/// lines merged by time. Must be called within a tokio runtime. A single source has nothing
/// to be merged with: its events go to `tx` as it sends them (no time sniffing, no queue).
pub fn spawn_merged(
    mut specs: Vec<SourceSpec>,
    options: SourceOptions,
    tx: mpsc::Sender<SourceEvent>,
) -> MergedSources {
    if specs.len() == 1
        && let Some(spec) = specs.pop()
    {
        return MergedSources {
            handles: vec![spawn_with(0, spec, options, tx)],
            task: None,
        };
    }
    let (inner_tx, mut inner_rx) = mpsc::channel(ROUND_EVENTS);
    let handles: Vec<SourceHandle> = specs
        .into_iter()
        .enumerate()
        .map(|(i, spec)| {
            let source = u32::try_from(i).unwrap_or(u32::MAX);
            spawn_with(source, spec, options.clone(), inner_tx.clone())
        })
        .collect();
    drop(inner_tx);
    let ids: Vec<u32> = handles.iter().map(SourceHandle::source).collect();
    let batch_lines = options.batch_lines;
    let task = tokio::spawn(async move {
        let mut merger = Merger::new(ids).with_limits(MAX_PENDING, batch_lines);
        let mut out = Vec::new();
        while let Some(event) = inner_rx.recv().await {
            merger.push(event);
            // What is already queued joins this round (so sources interleave), but only one
            // channel's worth: a fast single file would otherwise pile up MAX_PENDING lines here
            // before any went on (51 MB of a 1 GiB load's peak).
            for _ in 0..ROUND_EVENTS {
                if merger.pending() >= MAX_PENDING {
                    break;
                }
                match inner_rx.try_recv() {
                    Ok(event) => merger.push(event),
                    Err(_) => break,
                }
            }
            merger.pop_ready(&mut out);
            for event in out.drain(..) {
                if tx.send(event).await.is_err() {
                    return;
                }
            }
        }
        merger.pop_all(&mut out);
        for event in out {
            if tx.send(event).await.is_err() {
                return;
            }
        }
    });
    MergedSources {
        handles,
        task: Some(task),
    }
}

#[cfg(test)]
mod tests;
