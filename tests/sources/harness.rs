//! What every source test needs: an event recorder that waits for conditions (never for a fixed
//! time) and fake `docker` CLIs made from shell scripts.

use std::path::{Path, PathBuf};
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::Instant;

use bkscope::source::{Line, SourceEvent, SourceHandle, SourceState};

/// The longest any test waits for a condition; generous for a loaded 2-core machine.
pub const LIMIT: Duration = Duration::from_secs(20);

/// Everything one receiver has been sent so far.
pub struct Events {
    rx: mpsc::Receiver<SourceEvent>,
    /// Every line, in arrival order.
    pub lines: Vec<Line>,
    /// Every event other than `Lines`, in arrival order.
    pub others: Vec<SourceEvent>,
    /// How many `Lines` messages arrived.
    pub batches: usize,
}

impl Events {
    pub fn new(rx: mpsc::Receiver<SourceEvent>) -> Self {
        Events {
            rx,
            lines: Vec::new(),
            others: Vec::new(),
            batches: 0,
        }
    }

    /// Receives until `done` holds; fails the test after [`LIMIT`] with what was seen.
    pub async fn until(&mut self, what: &str, done: impl Fn(&Events) -> bool) {
        let deadline = Instant::now() + LIMIT;
        while !done(self) {
            match tokio::time::timeout_at(deadline, self.rx.recv()).await {
                Ok(Some(event)) => self.record(event),
                Ok(None) => panic!("channel closed while waiting for {what}; {}", self.seen()),
                Err(_) => panic!("waited {LIMIT:?} for {what}; {}", self.seen()),
            }
        }
    }

    /// Receives until every sender is gone (the source's task ended).
    pub async fn until_closed(&mut self) {
        let deadline = Instant::now() + LIMIT;
        loop {
            match tokio::time::timeout_at(deadline, self.rx.recv()).await {
                Ok(Some(event)) => self.record(event),
                Ok(None) => return,
                Err(_) => panic!("waited {LIMIT:?} for the channel to close; {}", self.seen()),
            }
        }
    }

    /// Receives whatever is already queued, without waiting.
    pub fn drain(&mut self) {
        while let Ok(event) = self.rx.try_recv() {
            self.record(event);
        }
    }

    fn record(&mut self, event: SourceEvent) {
        match event {
            SourceEvent::Lines(lines) => {
                assert!(!lines.is_empty(), "an empty Lines message");
                self.batches += 1;
                self.lines.extend(lines);
            }
            other => self.others.push(other),
        }
    }

    fn seen(&self) -> String {
        format!(
            "{} lines (last {:?}), events {:?}",
            self.lines.len(),
            self.lines.last().map(|l| &l.text),
            self.others
        )
    }

    pub fn texts(&self) -> Vec<&str> {
        self.lines.iter().map(|l| l.text.as_str()).collect()
    }

    pub fn states(&self) -> Vec<SourceState> {
        self.others
            .iter()
            .filter_map(|e| match e {
                SourceEvent::State { state, .. } => Some(state.clone()),
                _ => None,
            })
            .collect()
    }

    pub fn last_state(&self) -> Option<SourceState> {
        self.states().pop()
    }

    pub fn resets(&self) -> Vec<String> {
        self.others
            .iter()
            .filter_map(|e| match e {
                SourceEvent::Reset { why, .. } => Some(why.clone()),
                _ => None,
            })
            .collect()
    }

    pub fn has_error(&self, part: &str) -> bool {
        self.states()
            .iter()
            .any(|s| matches!(s, SourceState::Error(m) if m.contains(part)))
    }

    /// A `Waiting` state was reported whose message holds `part` (a missing file: no error).
    pub fn has_waiting(&self, part: &str) -> bool {
        self.states()
            .iter()
            .any(|s| matches!(s, SourceState::Waiting(m) if m.contains(part)))
    }
}

/// Waits until the source's task has ended.
pub async fn wait_finished(handle: &SourceHandle) {
    let deadline = Instant::now() + LIMIT;
    while !handle.is_finished() {
        assert!(Instant::now() < deadline, "the source task did not end");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Numbered lines `line <from>` ..= `line <to>`, each with its newline.
pub fn numbered(from: u64, to: u64) -> String {
    (from..=to).map(|i| format!("line {i}\n")).collect()
}

/// Asserts the lines are exactly `line 1` ..= `line n`, once each, in order, numbered 1..=n.
pub fn assert_exactly_once(lines: &[Line], n: u64) {
    let wrong: Vec<(u64, &str)> = lines
        .iter()
        .zip(1..)
        .filter(|(l, i)| l.text != format!("line {i}") || l.number != *i)
        .map(|(l, _)| (l.number, l.text.as_str()))
        .take(5)
        .collect();
    assert!(wrong.is_empty(), "first lines out of place: {wrong:?}");
    assert_eq!(lines.len() as u64, n, "line count");
}

/// An executable `docker` in `dir` running `body` under `/bin/sh`.
///
/// The file is made by `install` in a child process, so this test process never holds the
/// executable open for writing while another test thread forks (which would make exec fail
/// with "text file busy").
pub fn fake_docker(dir: &Path, body: &str) -> PathBuf {
    let src = dir.join("docker.sh.txt");
    let dst = dir.join("docker");
    std::fs::write(&src, format!("#!/bin/sh\n{body}\n")).unwrap();
    let status = std::process::Command::new("install")
        .arg("-m")
        .arg("755")
        .arg(&src)
        .arg(&dst)
        .status()
        .unwrap();
    assert!(status.success());
    dst
}
