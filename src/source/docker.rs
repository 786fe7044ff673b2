//! A container's log through a real `docker logs -f --timestamps --tail N <name>` child process.
//!
//! Decisions:
//! - `docker logs` writes the container's stdout to its stdout and the container's stderr to its
//!   stderr (BuildKit logs to stderr), so both pipes are read at once; `--timestamps` lets
//!   [`docker_order`](super::docker_order) put their lines back in the daemon's order and remove
//!   the prefix. The merged lines are numbered 1, 2, … and `offset` counts bytes of the merged
//!   text (text plus one per terminator).
//! - The docker CLI's own complaints (`Error: No such container: x`, `Cannot connect to the
//!   Docker daemon …`) come on stderr without a time: they are kept as lines, and the last one
//!   is quoted when the child fails.
//! - The child is spawned with `kill_on_drop(true)`: stopping or dropping the source kills it.
//!   It is forked by [`spawner`](super::spawner), so it also gets SIGTERM when bkscope dies
//!   without dropping it (SIGKILL).
//! - `docker logs -f` ends with code 0 when the container stops or is removed, and when the
//!   daemon shuts down (it stops the container first): `Ended(Some(0))`. Exit is reported as
//!   `Ended(Some(code))` (`Ended(None)` for a signal). When the exit is a failure an `Error`
//!   state follows: for a missing container or an unreachable daemon what to do (docker 20.10
//!   says `Error: No such container: x`, 28 `Error response from daemon: No such container: x`),
//!   else docker's words first, so the part of a narrow header that survives cutting is useful.
//! - A restart request kills a running child (or starts a finished one) and spawns it again
//!   with `--since` just after the daemon's time of the last line shown, so no line is read
//!   twice or skipped, whatever this machine's clock says; numbering continues and
//!   `Reset{why:"restarted"}` marks the seam. Lines held for ordering when a child is killed are
//!   dropped: the next child brings them again. Until a line with a time has been shown, a
//!   restart asks for the history (`--tail`) again.
//! - A missing docker binary is an `Error` state with what to do; the source then waits for a
//!   restart instead of ending, so installing docker and pressing restart works.
//! - A grandchild holding the pipes open would delay the end until it closes them; the docker CLI
//!   does not fork, so the pipes reaching EOF is taken as the end of the output.

use std::io;
use std::process::{ExitStatus, Stdio};

use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::process::{Child, Command};
use tokio::sync::mpsc;
use tokio::time::Instant;

use super::batch::{Batcher, Closed};
use super::discover::UNREACHABLE;
use super::docker_order::Orderer;
use super::lines::LineSplitter;
use super::stamp::docker_prefix;
use super::{Line, SourceEvent, SourceOptions, SourceState};

/// Bytes asked for per read of each pipe.
const READ_BUF: usize = 64 * 1024;
/// Longest piece of the child's stderr quoted in an error message.
const MAX_QUOTE: usize = 300;

/// The message for a docker binary that cannot be found.
pub(crate) fn docker_missing(docker: &str) -> String {
    if docker == "docker" {
        "docker not found on PATH: install the docker CLI or pass a log file".to_owned()
    } else {
        format!("docker CLI '{docker}' not found: install the docker CLI or pass a log file")
    }
}

/// Follows container `name` until the receiver goes away; restarts on each `control` message.
pub(crate) async fn follow(
    source: u32,
    name: String,
    tail: Option<u64>,
    options: SourceOptions,
    mut control: mpsc::UnboundedReceiver<()>,
    tx: mpsc::Sender<SourceEvent>,
) {
    let mut batcher = Batcher::new(source, options.batch_lines, options.batch_bytes, tx);
    let mut run = Run {
        source,
        name,
        tail,
        options,
        numbering: Numbering::default(),
        last_err: String::new(),
        since: None,
    };
    let _ = run.run(&mut batcher, &mut control).await;
}

/// Line numbers and offsets across both pipes and across restarts.
#[derive(Debug, Default)]
struct Numbering {
    last: u64,
    offset: u64,
}

impl Numbering {
    fn apply(&mut self, lines: &mut [Line]) {
        for line in lines {
            self.last += 1;
            line.number = self.last;
            line.offset = self.offset;
            self.offset += line.text.len() as u64 + 1;
        }
    }
}

/// Why a child's output ended.
enum Outcome {
    Exited(ExitStatus),
    Restart,
    Failed(String),
}

struct Run {
    source: u32,
    name: String,
    tail: Option<u64>,
    options: SourceOptions,
    numbering: Numbering,
    /// The docker CLI's last words (a non-empty stderr line without a time) of the child that
    /// just ended.
    last_err: String,
    /// The daemon's time of the last line shown, nanoseconds since the epoch.
    since: Option<i64>,
}

impl Run {
    async fn run(
        &mut self,
        b: &mut Batcher,
        control: &mut mpsc::UnboundedReceiver<()>,
    ) -> Result<(), Closed> {
        loop {
            b.state(SourceState::Starting).await?;
            let restart = match super::spawner::spawn(self.command()).await {
                Err(e) => {
                    b.state(SourceState::Error(self.spawn_error(&e))).await?;
                    false
                }
                Ok(mut child) => {
                    b.state(SourceState::Following).await?;
                    let outcome = self.pump(&mut child, b, control).await?;
                    self.report(outcome, b).await?
                }
            };
            if !restart && control.recv().await.is_none() {
                return Ok(());
            }
            while control.try_recv().is_ok() {} // several presses are one restart
            b.reset("restarted").await?;
        }
    }

    fn command(&self) -> Command {
        let mut cmd = Command::new(&self.options.docker);
        cmd.arg("logs").arg("--follow").arg("--timestamps");
        match self.since {
            // `--since` keeps lines at the time given: ask from the next nanosecond.
            Some(t) => {
                let next = t.saturating_add(1);
                cmd.arg("--since").arg(format!(
                    "{}.{:09}",
                    next.div_euclid(1_000_000_000),
                    next.rem_euclid(1_000_000_000)
                ));
            }
            None => {
                let tail = self
                    .tail
                    .map_or_else(|| "all".to_owned(), |n| n.to_string());
                cmd.arg("--tail").arg(tail);
            }
        }
        cmd.arg(&self.name)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        cmd
    }

    fn spawn_error(&self, e: &io::Error) -> String {
        if e.kind() == io::ErrorKind::NotFound {
            docker_missing(&self.options.docker)
        } else {
            format!("cannot run '{}': {e}", self.options.docker)
        }
    }

    /// Reads both pipes to their end (or until a restart request), then waits for the child.
    async fn pump(
        &mut self,
        child: &mut Child,
        b: &mut Batcher,
        control: &mut mpsc::UnboundedReceiver<()>,
    ) -> Result<Outcome, Closed> {
        let mut out = child.stdout.take();
        let mut err = child.stderr.take();
        let cap = self.options.line_cap;
        let mut split = [
            LineSplitter::with_cap(self.source, cap),
            LineSplitter::with_cap(self.source, cap),
        ];
        let (mut buf_out, mut buf_err) = (vec![0u8; READ_BUF], vec![0u8; READ_BUF]);
        let mut order = Orderer::default();
        let (mut read, mut lines) = (Vec::new(), Vec::new());
        let mut last_err = String::new();
        let mut control_open = true;
        while out.is_some() || err.is_some() || order.deadline().is_some() {
            let (pipe, r) = tokio::select! {
                biased;
                msg = control.recv(), if control_open => match msg {
                    Some(()) => {
                        let _ = child.start_kill();
                        let _ = child.wait().await;
                        self.since = order.newest().or(self.since);
                        return Ok(Outcome::Restart);
                    }
                    None => {
                        control_open = false;
                        continue;
                    }
                },
                r = read_pipe(&mut out, &mut buf_out) => (0, r),
                r = read_pipe(&mut err, &mut buf_err) => (1, r),
                () = wait_until(order.deadline()) => (2, Ok(0)),
                // Nothing is ready: the output paused, send what we have.
                () = std::future::ready(()), if b.has_lines() => {
                    b.flush().await?;
                    continue;
                }
            };
            let buf = if pipe == 0 { &buf_out } else { &buf_err };
            match r {
                Ok(_) if pipe == 2 => {}
                Ok(0) => {
                    if pipe == 0 {
                        out = None
                    } else {
                        err = None
                    }
                    split[pipe].finish(&mut read);
                }
                Ok(n) => split[pipe].push(&buf[..n], &mut read),
                Err(e) => {
                    let name = if pipe == 0 { "stdout" } else { "stderr" };
                    return self.fail(child, name, &e).await;
                }
            }
            if pipe == 1 {
                let words = read.iter().rev().map(|l| l.text.trim());
                if let Some(l) = words
                    .filter(|t| !t.is_empty())
                    .find(|t| docker_prefix(t).is_none())
                {
                    last_err = l.to_owned();
                }
            }
            if pipe < 2 {
                order.push(pipe, &mut read, Instant::now());
                if r.as_ref().is_ok_and(|&n| n == 0) {
                    order.close(pipe);
                }
            }
            order.release(Instant::now(), &mut lines);
            self.numbering.apply(&mut lines);
            b.push(&mut lines).await?;
        }
        b.flush().await?;
        self.since = order.newest().or(self.since);
        self.last_err = last_err;
        Ok(match child.wait().await {
            Ok(status) => Outcome::Exited(status),
            Err(e) => Outcome::Failed(format!("cannot wait for 'docker logs {}': {e}", self.name)),
        })
    }

    async fn fail(&self, child: &mut Child, pipe: &str, e: &io::Error) -> Result<Outcome, Closed> {
        let _ = child.start_kill();
        let _ = child.wait().await;
        Ok(Outcome::Failed(format!(
            "cannot read the {pipe} of 'docker logs {}': {e}",
            self.name
        )))
    }

    /// Reports how the child ended; true when a restart was asked for.
    async fn report(&mut self, outcome: Outcome, b: &mut Batcher) -> Result<bool, Closed> {
        let status = match outcome {
            Outcome::Restart => return Ok(true),
            Outcome::Failed(msg) => {
                b.state(SourceState::Error(msg)).await?;
                return Ok(false);
            }
            Outcome::Exited(status) => status,
        };
        b.state(SourceState::Ended(status.code())).await?;
        if status.success() {
            return Ok(false);
        }
        let quote: String = std::mem::take(&mut self.last_err)
            .chars()
            .take(MAX_QUOTE)
            .collect();
        let msg = failure(&self.name, status.code(), &quote);
        b.state(SourceState::Error(msg)).await?;
        Ok(false)
    }
}

/// What the header says of a `docker logs` that failed: docker's words first (the end of a long
/// message is what a narrow header cuts), with what to do for the failures users meet.
fn failure(name: &str, code: Option<i32>, quote: &str) -> String {
    let how = match code {
        Some(code) => format!("'docker logs {name}' exited with code {code}"),
        None => format!("'docker logs {name}' was killed by a signal"),
    };
    if quote.contains("No such container") {
        let hint = if name.starts_with(super::discover::CONTAINER_PREFIX) {
            "see 'docker buildx ls' for the builders"
        } else {
            "check the name with 'docker ps -a'"
        };
        format!("no container '{name}': {hint}")
    } else if UNREACHABLE.iter().any(|p| quote.contains(p)) {
        format!("cannot reach the docker daemon: start it or check DOCKER_HOST ({how}: {quote})")
    } else if quote.is_empty() {
        how
    } else {
        format!("{quote} ({how})")
    }
}

/// Sleeps until `deadline`; never wakes without one.
async fn wait_until(deadline: Option<Instant>) {
    match deadline {
        Some(d) => tokio::time::sleep_until(d).await,
        None => std::future::pending().await,
    }
}

/// Reads one pipe; a closed pipe (`None`) never becomes ready.
async fn read_pipe<R: AsyncRead + Unpin>(
    pipe: &mut Option<R>,
    buf: &mut [u8],
) -> io::Result<usize> {
    match pipe {
        Some(p) => p.read(buf).await,
        None => std::future::pending().await,
    }
}
