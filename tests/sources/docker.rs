//! `docker logs -f` as a real child process, the docker CLI replaced by shell scripts.

use std::path::Path;

use tokio::sync::mpsc;
use tokio::time::Instant;

use bkscope::source::{SourceHandle, SourceOptions, SourceSpec, SourceState, spawn_with};

use crate::harness::{Events, LIMIT, fake_docker};

fn container(docker: &Path, name: &str, tail: Option<u64>) -> (SourceHandle, Events) {
    let options = SourceOptions {
        docker: docker.display().to_string(),
        ..SourceOptions::default()
    };
    let spec = SourceSpec::Container {
        name: name.to_owned(),
        tail,
    };
    let (tx, rx) = mpsc::channel(256);
    (spawn_with(1, spec, options, tx), Events::new(rx))
}

/// Texts of the lines starting with `prefix`, in arrival order.
fn with_prefix<'a>(ev: &'a Events, prefix: &str) -> Vec<&'a str> {
    ev.texts()
        .into_iter()
        .filter(|t| t.starts_with(prefix))
        .collect()
}

/// True when process `pid` is gone or a zombie.
fn dead(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        Ok(stat) => stat
            .rsplit_once(')')
            .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z')),
    }
}

async fn wait_dead(pid: u32) {
    let deadline = Instant::now() + LIMIT;
    while !dead(pid) {
        assert!(Instant::now() < deadline, "process {pid} still runs");
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}

fn pids(path: &Path) -> Vec<u32> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| l.parse().unwrap())
        .collect()
}

#[tokio::test]
async fn both_pipes_are_read_and_a_failed_exit_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let docker = fake_docker(
        dir.path(),
        r#"echo "args: $*"
echo "out 1"; echo "err 1" >&2; echo "out 2"; echo "err 2" >&2
printf 'out 3 without newline'
echo "Error response from daemon: No such container: ghost" >&2
exit 1"#,
    );
    let (_handle, mut ev) = container(&docker, "ghost", Some(50));
    ev.until("the error", |e| {
        matches!(e.last_state(), Some(SourceState::Error(_)))
    })
    .await;
    assert_eq!(with_prefix(&ev, "args"), ["args: logs -f --tail 50 ghost"]);
    assert_eq!(
        with_prefix(&ev, "out"),
        ["out 1", "out 2", "out 3 without newline"]
    );
    assert_eq!(with_prefix(&ev, "err"), ["err 1", "err 2"]);
    assert_eq!(ev.lines.len(), 7);
    let numbers: Vec<u64> = ev.lines.iter().map(|l| l.number).collect();
    assert_eq!(numbers, (1..=7).collect::<Vec<u64>>());
    assert!(ev.lines.iter().all(|l| l.source == 1));
    assert_eq!(
        ev.states(),
        [
            SourceState::Starting,
            SourceState::Following,
            SourceState::Ended(Some(1)),
            SourceState::Error(
                "'docker logs ghost' exited with code 1: \
                 Error response from daemon: No such container: ghost"
                    .into()
            ),
        ]
    );
}

#[tokio::test]
async fn restart_runs_docker_logs_again_from_where_it_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let docker = fake_docker(dir.path(), r#"echo "args: $*"; echo "hello""#);
    let (handle, mut ev) = container(&docker, "builder0", None);
    ev.until("the exit", |e| {
        e.last_state() == Some(SourceState::Ended(Some(0)))
    })
    .await;
    assert_eq!(ev.texts(), ["args: logs -f --tail all builder0", "hello"]);
    assert!(handle.restart());
    ev.until("the second exit", |e| {
        e.states()
            .iter()
            .filter(|s| **s == SourceState::Ended(Some(0)))
            .count()
            == 2
    })
    .await;
    assert_eq!(ev.resets(), ["restarted"]);
    let texts = ev.texts();
    let second = texts[2].strip_prefix("args: logs -f --since ").unwrap();
    let (since, name) = second.split_once(' ').unwrap();
    assert_eq!(name, "builder0");
    let (secs, nanos) = since.split_once('.').unwrap();
    assert!(secs.parse::<u64>().unwrap() > 1_600_000_000, "{since}");
    assert_eq!(nanos.len(), 9, "{since}");
    assert_eq!(texts[3], "hello");
    let numbers: Vec<u64> = ev.lines.iter().map(|l| l.number).collect();
    assert_eq!(
        numbers,
        [1, 2, 3, 4],
        "numbering continues across the restart"
    );
}

#[tokio::test]
async fn restart_kills_the_running_child_and_dropping_kills_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("pids");
    let docker = fake_docker(
        dir.path(),
        &format!(
            "echo $$ >> '{}'; echo started; exec sleep 600",
            pid_file.display()
        ),
    );
    let (handle, mut ev) = container(&docker, "builder0", Some(10));
    ev.until("the first child", |e| e.lines.len() == 1).await;
    assert!(handle.restart());
    ev.until("the second child", |e| e.lines.len() == 2).await;
    let started = pids(&pid_file);
    assert_eq!(started.len(), 2);
    wait_dead(started[0]).await;
    assert!(!dead(started[1]));
    // Killed by the child's kill_on_drop, whatever way the task goes away.
    drop(handle);
    wait_dead(started[1]).await;
}

#[tokio::test]
async fn a_missing_docker_cli_is_an_error_and_restart_stays_possible() {
    let dir = tempfile::tempdir().unwrap();
    let docker = dir.path().join("no-such-docker");
    let (handle, mut ev) = container(&docker, "builder0", None);
    ev.until("the error", |e| e.has_error("not found")).await;
    assert_eq!(
        ev.last_state(),
        Some(SourceState::Error(format!(
            "docker CLI '{}' not found: install the docker CLI or pass a log file",
            docker.display()
        )))
    );
    // Installing docker later and restarting works.
    fake_docker(dir.path(), r#"echo "args: $*""#);
    std::fs::rename(dir.path().join("docker"), &docker).unwrap();
    assert!(handle.restart());
    ev.until("the line", |e| e.lines.len() == 1).await;
    // No child ran before, so nothing was seen: the history is asked for, not `--since`.
    assert_eq!(ev.texts(), ["args: logs -f --tail all builder0"]);
}
