//! Interim sources for the explorer until `source::spawn` lands (issue 3): a file read then
//! followed by polling (truncation and rotation noticed), stdin, and a `docker logs -f` child;
//! plus builder discovery. Same shape as the coming API: `spawn(source, spec, tx)`.

use std::io::SeekFrom;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncSeekExt};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::source::lines::LineSplitter;
use crate::source::{Line, SourceEvent, SourceSpec, SourceState};

/// How often a followed file is checked for growth.
const POLL: Duration = Duration::from_millis(100);
/// Read size.
const CHUNK: usize = 256 * 1024;

/// Starts reading `spec` as source `source`; events go to `tx`. Dropping (aborting) the task
/// ends it; a `docker logs` child is killed with it.
pub fn spawn(source: u32, spec: SourceSpec, tx: mpsc::Sender<SourceEvent>) -> JoinHandle<()> {
    tokio::spawn(async move {
        let state = match &spec {
            SourceSpec::File(p) => follow_file(source, p, &tx).await,
            SourceSpec::Stdin => read_stream(source, tokio::io::stdin(), &tx)
                .await
                .map(|()| None),
            SourceSpec::Container { name, tail } => docker_logs(source, name, *tail, &tx).await,
        };
        let state = match state {
            Ok(code) => SourceState::Ended(code),
            Err(e) => SourceState::Error(e),
        };
        let _ = tx.send(SourceEvent::State { source, state }).await;
    })
}

async fn send_state(tx: &mpsc::Sender<SourceEvent>, source: u32, state: SourceState) {
    let _ = tx.send(SourceEvent::State { source, state }).await;
}

async fn follow_file(
    source: u32,
    path: &Path,
    tx: &mpsc::Sender<SourceEvent>,
) -> Result<Option<i32>, String> {
    let shown = path.display();
    send_state(tx, source, SourceState::Loading).await;
    let mut file = tokio::fs::File::open(path)
        .await
        .map_err(|e| format!("cannot open '{shown}': {e}"))?;
    let meta = file.metadata().await.map_err(|e| e.to_string())?;
    let (mut ino, total) = (meta.ino(), meta.len());
    let mut splitter = LineSplitter::new(source);
    let mut pos: u64 = 0;
    let mut buf = vec![0u8; CHUNK];
    let mut loaded = false;
    loop {
        let n = file
            .read(&mut buf)
            .await
            .map_err(|e| format!("cannot read '{shown}': {e}"))?;
        if n > 0 {
            pos += n as u64;
            let mut lines = Vec::new();
            splitter.push(&buf[..n], &mut lines);
            if !lines.is_empty() && tx.send(SourceEvent::Lines(lines)).await.is_err() {
                return Ok(None);
            }
            if !loaded {
                let _ = tx
                    .send(SourceEvent::Progress {
                        source,
                        read: pos.min(total),
                        total,
                    })
                    .await;
            }
            continue;
        }
        if !loaded {
            loaded = true;
            send_state(tx, source, SourceState::Following).await;
        }
        if tx.is_closed() {
            return Ok(None);
        }
        tokio::time::sleep(POLL).await;
        match tokio::fs::metadata(path).await {
            Ok(m) if m.ino() != ino => {
                // Rotated: the old file was read to its end above; follow the new one.
                file = match tokio::fs::File::open(path).await {
                    Ok(f) => f,
                    Err(_) => continue,
                };
                ino = m.ino();
                pos = 0;
                reset(tx, source, "rotated").await;
            }
            Ok(m) if m.len() < pos => {
                file.seek(SeekFrom::Start(0))
                    .await
                    .map_err(|e| e.to_string())?;
                pos = 0;
                reset(tx, source, "truncated").await;
            }
            _ => {}
        }
    }
}

async fn reset(tx: &mpsc::Sender<SourceEvent>, source: u32, why: &str) {
    let _ = tx
        .send(SourceEvent::Reset {
            source,
            why: why.to_owned(),
        })
        .await;
}

async fn read_stream(
    source: u32,
    mut r: impl AsyncRead + Unpin,
    tx: &mpsc::Sender<SourceEvent>,
) -> Result<(), String> {
    send_state(tx, source, SourceState::Following).await;
    let mut splitter = LineSplitter::new(source);
    let mut buf = vec![0u8; CHUNK];
    loop {
        let n = r.read(&mut buf).await.map_err(|e| e.to_string())?;
        let mut lines = Vec::new();
        if n == 0 {
            splitter.finish(&mut lines);
        } else {
            splitter.push(&buf[..n], &mut lines);
        }
        if !lines.is_empty() && tx.send(SourceEvent::Lines(lines)).await.is_err() {
            return Ok(());
        }
        if n == 0 {
            return Ok(());
        }
    }
}

async fn docker_logs(
    source: u32,
    name: &str,
    tail: Option<u64>,
    tx: &mpsc::Sender<SourceEvent>,
) -> Result<Option<i32>, String> {
    let mut cmd = tokio::process::Command::new("docker");
    cmd.args(["logs", "-f"]);
    if let Some(t) = tail {
        cmd.args(["--tail", &t.to_string()]);
    }
    cmd.arg(name)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let mut child = cmd.spawn().map_err(|e| {
        format!("cannot run 'docker logs -f {name}': {e}; is the docker CLI installed?")
    })?;
    let (Some(mut out), Some(mut err)) = (child.stdout.take(), child.stderr.take()) else {
        return Err("docker logs: no pipes".to_owned());
    };
    send_state(tx, source, SourceState::Following).await;
    // buildkitd logs to stderr; both pipes are read, numbered in arrival order.
    let (mut so, mut se) = (LineSplitter::new(source), LineSplitter::new(source));
    let (mut bo, mut be) = (vec![0u8; CHUNK], vec![0u8; CHUNK]);
    let (mut open_o, mut open_e) = (true, true);
    let mut number = 0u64;
    while open_o || open_e {
        let mut lines: Vec<Line> = Vec::new();
        tokio::select! {
            r = out.read(&mut bo), if open_o => match r {
                Ok(0) | Err(_) => { open_o = false; so.finish(&mut lines) }
                Ok(n) => so.push(&bo[..n], &mut lines),
            },
            r = err.read(&mut be), if open_e => match r {
                Ok(0) | Err(_) => { open_e = false; se.finish(&mut lines) }
                Ok(n) => se.push(&be[..n], &mut lines),
            },
        }
        for l in &mut lines {
            number += 1;
            l.number = number;
        }
        if !lines.is_empty() && tx.send(SourceEvent::Lines(lines)).await.is_err() {
            return Ok(None);
        }
    }
    let status = child.wait().await.map_err(|e| e.to_string())?;
    Ok(status.code())
}

/// Running buildx builders' containers (`buildx_buildkit_<name>0`).
pub fn discover_builders(docker: &str) -> Result<Vec<String>, String> {
    let out = std::process::Command::new(docker)
        .args([
            "ps",
            "--filter",
            "name=buildx_buildkit_",
            "--format",
            "{{.Names}}",
        ])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| {
            format!(
                "cannot run '{docker} ps': {e}; install the docker CLI or pass a log file (or '-')"
            )
        })?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(format!("'{docker} ps' failed: {}", err.trim()));
    }
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect())
}
