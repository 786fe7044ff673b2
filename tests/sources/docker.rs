//! `docker logs -f` as a real child process, the docker CLI replaced by shell scripts (some
//! replaying what a real docker CLI wrote).

use std::path::{Path, PathBuf};

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
    assert_eq!(
        with_prefix(&ev, "args"),
        ["args: logs --follow --timestamps --tail 50 ghost"]
    );
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
            SourceState::Error("no container 'ghost': check the name with 'docker ps -a'".into()),
        ]
    );
}

#[tokio::test]
async fn restart_runs_docker_logs_again_after_the_daemon_s_time_of_the_last_line() {
    let dir = tempfile::tempdir().unwrap();
    // As `docker logs --timestamps` writes them: the daemon's time, a space, the line.
    let docker = fake_docker(
        dir.path(),
        r#"echo "args: $*"; echo "2026-12-01T07:09:42.754102020Z hello""#,
    );
    let (handle, mut ev) = container(&docker, "builder0", None);
    ev.until("the exit", |e| {
        e.last_state() == Some(SourceState::Ended(Some(0)))
    })
    .await;
    assert_eq!(
        ev.texts(),
        [
            "args: logs --follow --timestamps --tail all builder0",
            "hello"
        ]
    );
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
    // 2026-12-01T07:09:42Z is 1796108982 s after the epoch; one nanosecond after the line.
    assert_eq!(
        texts[2],
        "args: logs --follow --timestamps --since 1796108982.754102021 builder0"
    );
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
    assert_eq!(
        ev.texts(),
        ["args: logs --follow --timestamps --tail all builder0"]
    );
}

/// Output of a real `docker logs --timestamps` (dockerd 20.10), `tests/fixtures/SOURCES.md`.
fn captured(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/docker-logs-20.10")
        .join(name)
}

#[tokio::test]
async fn a_real_replay_of_both_streams_comes_out_in_the_order_the_container_wrote_it() {
    // The container wrote "stdout first", the mirror_used log to stderr with 10 ms between
    // lines and "stdout middle" before its 28th line, then "stdout last". The docker CLI writes
    // a replay's stdout and stderr as fast as it reads them: this fake writes all of stdout, then
    // all of stderr, as a replay arrives in two chunks.
    let dir = tempfile::tempdir().unwrap();
    let docker = fake_docker(
        dir.path(),
        &format!(
            "cat '{}'; cat '{}' >&2",
            captured("mixed.stdout").display(),
            captured("mixed.stderr").display()
        ),
    );
    let (_handle, mut ev) = container(&docker, "mixed", None);
    ev.until("the exit", |e| {
        e.last_state() == Some(SourceState::Ended(Some(0)))
    })
    .await;
    let log = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dockerd-20.10/mirror_used.log"),
    )
    .unwrap();
    let mut want: Vec<&str> = log.lines().collect();
    want.insert(27, "stdout middle");
    want.insert(0, "stdout first");
    want.push("stdout last");
    assert_eq!(ev.texts(), want, "the daemon's order, without its times");
    let numbers: Vec<u64> = ev.lines.iter().map(|l| l.number).collect();
    assert_eq!(numbers, (1..=57).collect::<Vec<u64>>());
}

#[tokio::test]
async fn real_docker_errors_say_what_to_do() {
    for (captured_stderr, name, want) in [
        (
            "no_such_container.stderr",
            "ghost",
            "no container 'ghost': check the name with 'docker ps -a'".to_owned(),
        ),
        (
            "no_such_container.stderr",
            "buildx_buildkit_nope0",
            "no container 'buildx_buildkit_nope0': see 'docker buildx ls' for the builders"
                .to_owned(),
        ),
        (
            "daemon_unreachable.stderr",
            "mixed",
            "cannot reach the docker daemon: start it or check DOCKER_HOST \
             ('docker logs mixed' exited with code 1: Cannot connect to the Docker daemon at \
             unix:///tmp/X/none.sock. Is the docker daemon running?)"
                .to_owned(),
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let docker = fake_docker(
            dir.path(),
            &format!("cat '{}' >&2; exit 1", captured(captured_stderr).display()),
        );
        let (_handle, mut ev) = container(&docker, name, Some(10));
        ev.until("the error", |e| {
            matches!(e.last_state(), Some(SourceState::Error(_)))
        })
        .await;
        assert_eq!(ev.last_state(), Some(SourceState::Error(want)));
    }
}
