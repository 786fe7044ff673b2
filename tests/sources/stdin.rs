//! Streams (what `bkscope -` reads) fed from a real child process's pipe.

use std::process::Stdio;

use tokio::process::{Child, Command};
use tokio::sync::mpsc;

use bkscope::source::lines::MAX_LINE;
use bkscope::source::{SourceOptions, SourceState, read_stream};

use crate::harness::{Events, assert_exactly_once};

/// Runs `script` under `sh -c` and reads its stdout as source 2.
fn pipe_from(script: &str) -> (Child, Events) {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(script)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel(256);
    tokio::spawn(async move { read_stream(2, stdout, &SourceOptions::default(), tx).await });
    (child, Events::new(rx))
}

#[tokio::test]
async fn a_pipe_is_read_to_eof_then_ended() {
    let (_child, mut ev) = pipe_from(r"printf 'a\nb\r\n'; printf 'no newline'");
    ev.until_closed().await;
    assert_eq!(ev.texts(), ["a", "b", "no newline"]);
    assert!(ev.lines.iter().all(|l| l.source == 2));
    assert_eq!(
        ev.states(),
        [SourceState::Following, SourceState::Ended(None)]
    );
}

#[tokio::test]
async fn a_burst_of_100k_lines_is_few_messages() {
    let (_child, mut ev) = pipe_from("seq -f 'line %.0f' 1 100000");
    ev.until_closed().await;
    assert_exactly_once(&ev.lines, 100_000);
    // Pipe reads bring 4–64 KiB at a time; each message carries hundreds of lines at least.
    assert!(
        ev.batches * 100 <= ev.lines.len(),
        "{} messages for {} lines",
        ev.batches,
        ev.lines.len()
    );
}

#[tokio::test]
async fn lines_of_a_paused_stream_arrive_before_it_ends() {
    let (mut child, mut ev) = pipe_from("echo first; echo second; exec sleep 60");
    ev.until("the lines written so far", |e| e.lines.len() == 2)
        .await;
    assert_eq!(ev.last_state(), Some(SourceState::Following));
    child.start_kill().unwrap();
    ev.until_closed().await;
    assert_eq!(ev.last_state(), Some(SourceState::Ended(None)));
}

#[tokio::test]
async fn a_50_mb_line_and_invalid_utf8_through_a_pipe() {
    let (_child, mut ev) =
        pipe_from(r"head -c 52428800 /dev/zero | tr '\0' x; printf '\nbad \377 byte\nend\n'");
    ev.until_closed().await;
    assert_eq!(ev.lines.len(), 3);
    assert!(ev.lines[0].truncated);
    assert_eq!(ev.lines[0].text.len(), MAX_LINE);
    assert_eq!(ev.lines[1].text, "bad \u{fffd} byte");
    assert!(ev.lines[1].lossy);
    assert_eq!(ev.lines[2].text, "end");
}
