//! A container's log through a real `docker logs -f --tail N <name>` child process.
//!
//! Decisions:
//! - `docker logs` writes the container's stdout to its stdout and the container's stderr to its
//!   stderr (BuildKit logs to stderr), so both pipes are read at once and their lines merged in
//!   arrival order. Each pipe keeps its own partial line; the merged lines are numbered 1, 2, …
//!   and `offset` counts bytes of the merged text (text plus one per terminator).
//!   The docker CLI's own complaints ("Error response from daemon: …") also come on stderr and
//!   so also arrive as lines; they cannot be told apart from the container's stderr.
//! - The child is spawned with `kill_on_drop(true)`: stopping or dropping the source kills it.
//! - Exit is reported as `Ended(Some(code))` (`Ended(None)` for a signal). When the exit is a
//!   failure an `Error` state follows, carrying the child's last stderr line ("Error response
//!   from daemon: No such container: …"), so the header's last word is the useful one.
//! - A restart request kills a running child (or starts a finished one) and spawns it again
//!   with `--since <the moment the previous child stopped>` instead of `--tail`, so history is
//!   not read twice; numbering continues and `Reset{why:"restarted"}` marks the seam. The
//!   cost: `--since` compares with the daemon's clock, so a remote daemon with a skewed clock
//!   can repeat or skip lines around the restart.
//! - A missing docker binary is an `Error` state with what to do; the source then waits for a
//!   restart instead of ending, so installing docker and pressing restart works.
//! - A grandchild holding the pipes open would delay the end until it closes them; the docker CLI
//!   does not fork, so the pipes reaching EOF is taken as the end of the output.

use std::io;
use std::process::{ExitStatus, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::process::{Child, Command};
use tokio::sync::mpsc;

use super::batch::{Batcher, Closed};
use super::lines::LineSplitter;
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
    /// The last non-empty stderr line of the child that just ended.
    last_err: String,
}

impl Run {
    async fn run(
        &mut self,
        b: &mut Batcher,
        control: &mut mpsc::UnboundedReceiver<()>,
    ) -> Result<(), Closed> {
        let mut since: Option<SystemTime> = None;
        loop {
            b.state(SourceState::Starting).await?;
            let restart = match self.command(since).spawn() {
                Err(e) => {
                    b.state(SourceState::Error(self.spawn_error(&e))).await?;
                    false
                }
                Ok(mut child) => {
                    b.state(SourceState::Following).await?;
                    let outcome = self.pump(&mut child, b, control).await?;
                    since = Some(SystemTime::now());
                    self.report(outcome, b).await?
                }
            };
            // `since` is set only once a child has run: after a failed spawn the retry still
            // starts with `--tail`.
            if !restart && control.recv().await.is_none() {
                return Ok(());
            }
            while control.try_recv().is_ok() {} // several presses are one restart
            b.reset("restarted").await?;
        }
    }

    fn command(&self, since: Option<SystemTime>) -> Command {
        let mut cmd = Command::new(&self.options.docker);
        cmd.arg("logs").arg("-f");
        match since {
            Some(t) => {
                let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
                cmd.arg("--since")
                    .arg(format!("{}.{:09}", d.as_secs(), d.subsec_nanos()));
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
        let mut split_out = LineSplitter::with_cap(self.source, cap);
        let mut split_err = LineSplitter::with_cap(self.source, cap);
        let (mut buf_out, mut buf_err) = (vec![0u8; READ_BUF], vec![0u8; READ_BUF]);
        let mut lines = Vec::new();
        let mut last_err = String::new();
        let mut control_open = true;
        while out.is_some() || err.is_some() {
            tokio::select! {
                biased;
                msg = control.recv(), if control_open => match msg {
                    Some(()) => {
                        let _ = child.start_kill();
                        let _ = child.wait().await;
                        return Ok(Outcome::Restart);
                    }
                    None => control_open = false,
                },
                r = read_pipe(&mut out, &mut buf_out) => match r {
                    Ok(0) => {
                        out = None;
                        split_out.finish(&mut lines);
                    }
                    Ok(n) => split_out.push(&buf_out[..n], &mut lines),
                    Err(e) => return self.fail(child, "stdout", &e).await,
                },
                r = read_pipe(&mut err, &mut buf_err) => {
                    let start = lines.len();
                    match r {
                        Ok(0) => {
                            err = None;
                            split_err.finish(&mut lines);
                        }
                        Ok(n) => split_err.push(&buf_err[..n], &mut lines),
                        Err(e) => return self.fail(child, "stderr", &e).await,
                    }
                    if let Some(l) = lines[start..].iter().rev().find(|l| !l.text.trim().is_empty()) {
                        last_err = l.text.trim().to_owned();
                    }
                },
                // Nothing is ready: the output paused, send what we have.
                () = std::future::ready(()), if b.has_lines() => b.flush().await?,
            }
            self.numbering.apply(&mut lines);
            b.push(&mut lines).await?;
        }
        b.flush().await?;
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
        let how = match status.code() {
            Some(code) => format!("exited with code {code}"),
            None => "was killed by a signal".to_owned(),
        };
        let mut msg = format!("'docker logs {}' {how}", self.name);
        let quote: String = std::mem::take(&mut self.last_err)
            .chars()
            .take(MAX_QUOTE)
            .collect();
        if !quote.is_empty() {
            msg.push_str(": ");
            msg.push_str(&quote);
        }
        b.state(SourceState::Error(msg)).await?;
        Ok(false)
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
