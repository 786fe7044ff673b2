//! Following a real file: loading, appends, truncation, rotation, deletion, read errors and
//! hostile content.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::Path;
use std::sync::mpsc as std_mpsc;
use std::time::Duration;

use tokio::sync::mpsc;

use bkscope::source::lines::MAX_LINE;
use bkscope::source::{SourceEvent, SourceOptions, SourceSpec, SourceState, spawn, spawn_with};

use crate::harness::{Events, assert_exactly_once, numbered, wait_finished};

fn append(path: &Path, text: &str) {
    let mut f = OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
        .unwrap();
    f.write_all(text.as_bytes()).unwrap();
}

fn follow(path: &Path) -> (bkscope::source::SourceHandle, Events) {
    let (tx, rx) = mpsc::channel(256);
    let handle = spawn(0, SourceSpec::File(path.to_owned()), tx);
    (handle, Events::new(rx))
}

#[tokio::test]
async fn loads_existing_content_then_follows_appends() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("build.log");
    fs::write(&path, "one\r\ntwo\nthr").unwrap();
    let (_handle, mut ev) = follow(&path);
    ev.until("Following", |e| {
        e.last_state() == Some(SourceState::Following)
    })
    .await;
    assert_eq!(
        ev.texts(),
        ["one", "two"],
        "the partial line waits for its end"
    );
    assert_eq!(
        ev.states(),
        [
            SourceState::Starting,
            SourceState::Loading,
            SourceState::Following
        ]
    );
    let progress: Vec<(u64, u64)> = ev
        .others
        .iter()
        .filter_map(|e| match e {
            SourceEvent::Progress { read, total, .. } => Some((*read, *total)),
            _ => None,
        })
        .collect();
    assert_eq!(progress, [(0, 12), (12, 12)]);

    append(&path, "ee\nfour\n");
    ev.until("appended lines", |e| e.lines.len() == 4).await;
    assert_eq!(ev.texts(), ["one", "two", "three", "four"]);
    let numbers: Vec<u64> = ev.lines.iter().map(|l| l.number).collect();
    assert_eq!(numbers, [1, 2, 3, 4]);
    assert_eq!(ev.lines[3].offset, 15);
}

#[tokio::test]
async fn a_large_file_loads_in_few_batches_with_progress() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.log");
    let n = 200_000;
    fs::write(&path, numbered(1, n)).unwrap();
    let (_handle, mut ev) = follow(&path);
    ev.until("Following", |e| {
        e.last_state() == Some(SourceState::Following)
    })
    .await;
    assert_exactly_once(&ev.lines, n);
    let progress = ev
        .others
        .iter()
        .filter(|e| matches!(e, SourceEvent::Progress { .. }))
        .count();
    assert!(progress >= 3, "progress while loading: {progress} reports");
    // 200k lines, ~2.3 MB: a few dozen messages, not one per line.
    assert!(ev.batches <= 200, "{} Lines messages", ev.batches);
}

// See: issue 7, "No line is read twice or skipped across a rotation".
#[tokio::test]
async fn issue_7_two_rotations_lose_and_repeat_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("buildkitd.log");
    let n: u64 = 30_000;
    let (a, b) = (n / 3, 2 * n / 3);
    fs::write(&path, numbered(1, 100)).unwrap();
    let (_handle, mut ev) = follow(&path);
    ev.until("Following", |e| {
        e.last_state() == Some(SourceState::Following)
    })
    .await;

    // Another writer: appends line by line, rotates by rename + create at `a` and `b`. Before
    // the second rotation it waits until the reader has picked up the first one; a path-based
    // follower (like `tail -F`) cannot find a file rotated away twice before it looks.
    let (go, wait) = std_mpsc::channel::<()>();
    let writer_path = path.clone();
    let writer = std::thread::spawn(move || {
        let mut f = OpenOptions::new().append(true).open(&writer_path).unwrap();
        for i in 101..=n {
            if i == a + 1 || i == b + 1 {
                if i == b + 1 {
                    wait.recv().unwrap();
                }
                let rotated = writer_path.with_extension(format!("log.{i}"));
                fs::rename(&writer_path, rotated).unwrap();
                f = OpenOptions::new()
                    .append(true)
                    .create_new(true)
                    .open(&writer_path)
                    .unwrap();
            }
            // Odd lines go out in two writes, so the reader also meets partial lines.
            let line = format!("line {i}\n");
            let (head, tail) = line.split_at(if i % 2 == 1 { 3 } else { line.len() });
            f.write_all(head.as_bytes()).unwrap();
            f.write_all(tail.as_bytes()).unwrap();
        }
    });
    ev.until("the first rotation", |e| !e.resets().is_empty())
        .await;
    go.send(()).unwrap();
    ev.until("all lines", |e| e.lines.len() as u64 >= n).await;
    writer.join().unwrap();
    ev.drain();
    assert_exactly_once(&ev.lines, n);
    let resets = ev.resets();
    assert_eq!(resets.len(), 2, "{resets:?}");
    // "recreated" only if the writer stalled between rename and create for a poll interval.
    assert!(
        resets.iter().all(|r| r == "rotated" || r == "recreated"),
        "{resets:?}"
    );
    // Offsets restart with each file.
    let third = ev.lines.iter().find(|l| l.number == b + 1).unwrap();
    assert_eq!(third.offset, 0);
}

#[tokio::test]
async fn truncations_start_again_from_zero_and_keep_numbering() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("trunc.log");
    fs::write(&path, numbered(1, 2_000)).unwrap();
    let (_handle, mut ev) = follow(&path);
    ev.until("the first lines", |e| e.lines.len() == 2_000)
        .await;
    // Truncation destroys what was written before it, so the writer waits for the reader to have
    // it; afterwards it writes on at once. First the file comes back shorter than before...
    let mut f = OpenOptions::new().append(true).open(&path).unwrap();
    f.set_len(0).unwrap();
    f.write_all(numbered(2_001, 2_500).as_bytes()).unwrap();
    ev.until("the lines after the first truncation", |e| {
        e.lines.len() == 2_500
    })
    .await;
    // ...then longer than before, likely before the reader looks (as `copytruncate` does under
    // a busy writer); the bytes before the read position no longer match what was read.
    f.set_len(0).unwrap();
    for i in 2_501..=5_500 {
        f.write_all(format!("line {i}\n").as_bytes()).unwrap();
    }
    ev.until("all lines", |e| e.lines.len() >= 5_500).await;
    ev.drain();
    assert_exactly_once(&ev.lines, 5_500);
    assert_eq!(ev.resets(), ["truncated", "truncated"]);
    assert_eq!(ev.lines[2_000].offset, 0);
    assert_eq!(ev.lines[2_500].offset, 0);
}

#[tokio::test]
async fn truncate_and_rewrite_longer_between_looks_is_still_seen() {
    // Polling only, one look a second: the file is truncated and rewritten longer than before
    // in between, so its size alone never shrinks below what was read.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rewrite.log");
    fs::write(&path, numbered(1, 10)).unwrap();
    let options = SourceOptions {
        watch: false,
        poll: Duration::from_secs(1),
        ..SourceOptions::default()
    };
    let (tx, rx) = mpsc::channel(256);
    let _handle = spawn_with(0, SourceSpec::File(path.clone()), options, tx);
    let mut ev = Events::new(rx);
    ev.until("the first lines", |e| e.lines.len() == 10).await;
    fs::write(&path, numbered(11, 40)).unwrap();
    ev.until("the rewritten lines", |e| e.lines.len() >= 40)
        .await;
    ev.drain();
    assert_exactly_once(&ev.lines, 40);
    assert_eq!(ev.resets(), ["truncated"]);
}

#[tokio::test]
async fn deletion_is_shown_and_following_resumes_when_the_file_reappears() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gone.log");
    fs::write(&path, numbered(1, 3)).unwrap();
    let (_handle, mut ev) = follow(&path);
    ev.until("Following", |e| {
        e.last_state() == Some(SourceState::Following)
    })
    .await;
    fs::remove_file(&path).unwrap();
    // Waiting, not an error: a rotation's gap is routine.
    ev.until("the deletion", |e| e.has_waiting("deleted or moved"))
        .await;
    assert!(!ev.has_error("deleted or moved"));
    fs::write(&path, numbered(4, 6)).unwrap();
    ev.until("the new file's lines", |e| e.lines.len() == 6)
        .await;
    ev.until("Following again", |e| {
        e.last_state() == Some(SourceState::Following)
    })
    .await;
    assert_exactly_once(&ev.lines, 6);
    assert_eq!(ev.resets(), ["recreated"]);
}

#[tokio::test]
async fn a_file_that_does_not_exist_yet_is_waited_for() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("later.log");
    let (_handle, mut ev) = follow(&path);
    ev.until("the waiting state", |e| {
        e.has_waiting("waiting for it to appear")
    })
    .await;
    fs::write(&path, numbered(1, 2)).unwrap();
    ev.until("its lines", |e| e.lines.len() == 2).await;
    assert_exactly_once(&ev.lines, 2);
}

// See: issue 7, "the disk read errors".
#[cfg(target_os = "linux")]
#[tokio::test]
async fn issue_7_a_read_error_ends_the_source_with_an_error() {
    // Reading this process's memory file at offset 0 (nothing mapped there) fails with EIO,
    // the error a failing disk gives.
    let path = Path::new("/proc/self/mem");
    let (handle, mut ev) = follow(path);
    ev.until_closed().await;
    assert_eq!(
        ev.last_state(),
        Some(SourceState::Error(
            "cannot read '/proc/self/mem': Input/output error (os error 5)".into()
        ))
    );
    wait_finished(&handle).await;
    assert!(!handle.restart(), "a file source does not restart");
}

#[tokio::test]
async fn a_directory_is_refused_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let (handle, mut ev) = follow(dir.path());
    ev.until_closed().await;
    assert_eq!(
        ev.last_state(),
        Some(SourceState::Error(format!(
            "'{}' is a directory, not a log file",
            dir.path().display()
        )))
    );
    wait_finished(&handle).await;
}

#[tokio::test]
async fn a_named_pipe_is_read_as_a_stream() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let (_handle, mut ev) = follow(&fifo);
    let writer = tokio::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "printf 'line 1\\nline 2\\n' > '{}'",
            fifo.display()
        ))
        .status()
        .await
        .unwrap();
    assert!(writer.success());
    ev.until_closed().await;
    assert_exactly_once(&ev.lines, 2);
    assert_eq!(ev.last_state(), Some(SourceState::Ended(None)));
}

#[tokio::test]
async fn a_50_mb_line_is_cut_at_the_cap_and_invalid_utf8_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hostile.log");
    let mut content = vec![b'x'; 50 * 1024 * 1024];
    content.extend_from_slice(b"\nbad \xff\xfe bytes\nafter\n");
    fs::write(&path, &content).unwrap();
    drop(content);
    let (_handle, mut ev) = follow(&path);
    ev.until("Following", |e| {
        e.last_state() == Some(SourceState::Following)
    })
    .await;
    assert_eq!(ev.lines.len(), 3);
    let big = &ev.lines[0];
    assert!(big.truncated && !big.lossy);
    assert_eq!(big.text.len(), MAX_LINE);
    assert_eq!(ev.lines[1].text, "bad \u{fffd}\u{fffd} bytes");
    assert!(ev.lines[1].lossy && !ev.lines[1].truncated);
    assert_eq!(ev.lines[2].text, "after");
    assert_eq!(ev.lines[2].offset, 50 * 1024 * 1024 + 14);
    assert_eq!(ev.lines.iter().filter(|l| l.lossy).count(), 1);
}

#[tokio::test]
async fn notify_alone_sees_appends_and_rotation() {
    // A poll tick once an hour: everything here is seen through notify events only, which is
    // what makes appended lines show at once.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("events.log");
    fs::write(&path, numbered(1, 1)).unwrap();
    let options = SourceOptions {
        poll: Duration::from_secs(3600),
        ..SourceOptions::default()
    };
    let (tx, rx) = mpsc::channel(256);
    let _handle = spawn_with(0, SourceSpec::File(path.clone()), options, tx);
    let mut ev = Events::new(rx);
    ev.until("Following", |e| {
        e.last_state() == Some(SourceState::Following)
    })
    .await;
    append(&path, &numbered(2, 3));
    ev.until("appended lines", |e| e.lines.len() == 3).await;
    fs::rename(&path, path.with_extension("log.1")).unwrap();
    fs::write(&path, numbered(4, 5)).unwrap();
    ev.until("the new file's lines", |e| e.lines.len() == 5)
        .await;
    assert_exactly_once(&ev.lines, 5);
    assert_eq!(ev.resets(), ["rotated"]);
}

#[tokio::test]
async fn polling_alone_still_follows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nfs.log");
    fs::write(&path, "").unwrap();
    let options = SourceOptions {
        watch: false,
        poll: Duration::from_millis(100),
        ..SourceOptions::default()
    };
    let (tx, rx) = mpsc::channel(256);
    let _handle = spawn_with(0, SourceSpec::File(path.clone()), options, tx);
    let mut ev = Events::new(rx);
    ev.until("Following", |e| {
        e.last_state() == Some(SourceState::Following)
    })
    .await;
    append(&path, &numbered(1, 3));
    ev.until("appended lines", |e| e.lines.len() == 3).await;
    assert_exactly_once(&ev.lines, 3);
}

#[tokio::test]
async fn stopping_ends_the_task_and_closes_the_channel() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stop.log");
    fs::write(&path, numbered(1, 1)).unwrap();
    let (handle, mut ev) = follow(&path);
    ev.until("Following", |e| {
        e.last_state() == Some(SourceState::Following)
    })
    .await;
    handle.stop();
    // The task held the only sender: once it is gone the channel closes.
    ev.until_closed().await;
    wait_finished(&handle).await;
}

/// A gzipped log is said to be one (with the command that reads it), not read as lines.
#[tokio::test]
async fn a_compressed_file_is_refused_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("build.log.gz");
    fs::write(&path, [0x1f, 0x8b, 0x08, 0x00, 0x41, 0x0a]).unwrap();
    let (handle, mut ev) = follow(&path);
    ev.until_closed().await;
    assert!(ev.lines.is_empty());
    match ev.last_state() {
        Some(SourceState::Error(msg)) => {
            assert!(
                msg.contains("is gzip-compressed") && msg.contains("zcat"),
                "{msg}"
            );
        }
        other => panic!("{other:?}"),
    }
    wait_finished(&handle).await;
}
