//! Several real sources merged by time on one channel.

use std::fs;

use tokio::sync::mpsc;

use bkscope::source::merge::spawn_merged;
use bkscope::source::{SourceEvent, SourceOptions, SourceSpec, SourceState};

use crate::harness::Events;

fn logrus(second: u32, msg: &str) -> String {
    format!("time=\"2024-05-01T10:00:{second:02}.000000000Z\" level=debug msg=\"{msg}\"\n")
}

#[tokio::test]
async fn two_files_arrive_interleaved_by_time_then_follow() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.log"), dir.path().join("b.log"));
    let odd: String = (0..30)
        .filter(|s| s % 2 == 1)
        .map(|s| logrus(s, "a"))
        .collect();
    // b also has a continuation line without a time, which stays after its line.
    let even: String = (0..30)
        .filter(|s| s % 2 == 0)
        .map(|s| logrus(s, "b") + if s == 10 { "  continued\n" } else { "" })
        .collect();
    fs::write(&a, odd).unwrap();
    fs::write(&b, even).unwrap();
    let (tx, rx) = mpsc::channel(64);
    let sources = spawn_merged(
        vec![SourceSpec::File(a.clone()), SourceSpec::File(b.clone())],
        SourceOptions::default(),
        tx,
    );
    let mut ev = Events::new(rx);
    ev.until("both histories", |e| e.lines.len() == 31).await;
    let order: Vec<u32> = ev.lines.iter().map(|l| l.source).collect();
    let mut expected: Vec<u32> = (0..30).map(|s| if s % 2 == 1 { 0 } else { 1 }).collect();
    expected.insert(11, 1);
    assert_eq!(order, expected);
    assert_eq!(ev.lines[11].text, "  continued");
    ev.until("both following", |e| {
        e.others
            .iter()
            .filter(|x| {
                matches!(
                    x,
                    SourceEvent::State {
                        state: SourceState::Following,
                        ..
                    }
                )
            })
            .count()
            == 2
    })
    .await;
    // Live lines still come through the merge.
    let mut f = fs::OpenOptions::new().append(true).open(&b).unwrap();
    std::io::Write::write_all(&mut f, logrus(59, "live").as_bytes()).unwrap();
    ev.until("the live line", |e| e.lines.len() == 32).await;
    assert_eq!(ev.lines[31].source, 1);
    assert!(sources.get(1).is_some_and(|h| !h.restart()));
    assert_eq!(sources.handles().len(), 2);
}
