//! Follow a file: load what it holds, then tail it like `tail -F`, through truncation, rotation
//! and deletion, with no line read twice or skipped.
//!
//! Decisions:
//! - Loading: `Starting`, `Loading`, `Progress` about every 1% (at least 1 MiB apart), then
//!   `Following`. A path that does not exist yet is an `Error` state saying so, and the source
//!   waits for the file to appear (a typo stays visible in the header); any other open failure
//!   ends the source with `Error`.
//! - Wake-ups come from notify watching the *directory* (so renames and creations of the path
//!   are seen, not only writes to the open file), filtered to events naming the file, plus a
//!   poll tick (`SourceOptions::poll`) because notify misses events on some filesystems (NFS,
//!   some container mounts). If the watch cannot be set up, polling alone carries on.
//! - On each wake, in this order: (1) truncation check on the open handle: the size is below
//!   our position, or the last bytes we read are no longer what sits before our position (a
//!   truncate followed by a rewrite longer than before, which a size check alone misses); then
//!   start again from 0 with `Reset{why:"truncated"}`. (2) Read the open handle to its end.
//!   (3) Look at the path: the same file (device and inode) means nothing happened; another
//!   file means rotation: read the old handle to its end once more, end its partial last line,
//!   open the new file and read it from 0 with `Reset{why:"rotated"}` (`"recreated"` when the
//!   path had been reported missing). Line numbers keep counting up across resets; offsets
//!   restart at 0 with the new content.
//! - A path missing on two wakes at least one poll interval apart is reported as a `Waiting`
//!   state ("deleted or moved; waiting for it to reappear"), as a path not created yet is: no
//!   failure, `tail -F`'s wait (the header's `◌ waiting`); the brief gap inside a normal
//!   rename-then-create rotation is not. The old handle stays open and is still read.
//! - Limit: a path-based follower cannot see a file that was rotated away and then rotated away
//!   again before one wake-up; `tail -F` has the same limit. Lines written to the old file after
//!   the new one has been picked up are not read either.
//! - A path that is not a regular file is read as a stream: a named pipe (`<(docker logs …)`)
//!   to its end, then `Ended(None)`, as stdin is; a directory is an `Error` at once.
//! - A read error ends the source with `Error(msg)`; nothing panics.

use std::io::{self, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use notify::{RecommendedWatcher, RecursiveMode, Watcher};
use tokio::fs::File;
use tokio::io::{AsyncReadExt, AsyncSeekExt};
use tokio::sync::{Notify, mpsc};
use tokio::time::{Interval, MissedTickBehavior};

use super::batch::{Batcher, Closed};
use super::lines::LineSplitter;
use super::sniff;
use super::{Line, SourceEvent, SourceOptions, SourceState};

/// Bytes asked for per read.
const READ_BUF: usize = 256 * 1024;
/// Bytes remembered from just before our position, to notice a truncate-and-rewrite.
const FINGERPRINT: usize = 64;
/// Smallest distance between two progress reports.
const MIN_PROGRESS_STEP: u64 = 1 << 20;

/// Why following stopped.
enum Stop {
    Closed,
    Failed(String),
}

impl From<Closed> for Stop {
    fn from(_: Closed) -> Self {
        Stop::Closed
    }
}

/// Follows `path` as source `source` until the receiver goes away or a read fails.
pub(crate) async fn follow(
    source: u32,
    path: PathBuf,
    options: SourceOptions,
    tx: mpsc::Sender<SourceEvent>,
) {
    let batcher = Batcher::new(source, options.batch_lines, options.batch_bytes, tx);
    let wake = Arc::new(Notify::new());
    let watcher = if options.watch {
        watch(&path, wake.clone())
    } else {
        None
    };
    let mut tick = tokio::time::interval(options.poll);
    tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut follower = Follower {
        source,
        splitter: LineSplitter::with_cap(source, options.line_cap),
        path,
        options,
        b: batcher,
        buf: vec![0u8; READ_BUF],
        lines: Vec::new(),
        tail: Vec::with_capacity(FINGERPRINT),
        wake,
        tick,
        _watcher: watcher,
    };
    if let Err(Stop::Failed(msg)) = follower.run().await {
        let _ = follower.b.state(SourceState::Error(msg)).await;
    }
}

/// Watches the file's directory; wakes the follower on events that name the file.
fn watch(path: &Path, wake: Arc<Notify>) -> Option<RecommendedWatcher> {
    let name = path.file_name()?.to_owned();
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        let relevant = match res {
            Ok(ev) => ev.need_rescan() || ev.paths.iter().any(|p| p.file_name() == Some(&name)),
            Err(_) => true,
        };
        if relevant {
            wake.notify_one();
        }
    })
    .ok()?;
    watcher.watch(&dir, RecursiveMode::NonRecursive).ok()?;
    Some(watcher)
}

/// Identity of a file across renames: device and inode.
#[cfg(unix)]
fn file_id(meta: &std::fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

/// Without inodes rotation is not detected; truncation still is.
#[cfg(not(unix))]
fn file_id(_: &std::fs::Metadata) -> (u64, u64) {
    (0, 0)
}

struct Follower {
    source: u32,
    path: PathBuf,
    options: SourceOptions,
    b: Batcher,
    splitter: LineSplitter,
    buf: Vec<u8>,
    lines: Vec<Line>,
    /// The last bytes read, ending at the splitter's offset.
    tail: Vec<u8>,
    wake: Arc<Notify>,
    tick: Interval,
    _watcher: Option<RecommendedWatcher>,
}

impl Follower {
    async fn run(&mut self) -> Result<(), Stop> {
        self.b.state(SourceState::Starting).await?;
        let mut file = self.open_first().await?;
        let meta = file.metadata().await.map_err(|e| self.read_error(&e))?;
        if meta.is_dir() {
            let msg = format!("'{}' is a directory, not a log file", self.path.display());
            return Err(Stop::Failed(msg));
        }
        if !meta.is_file() {
            // A named pipe or a device: no size, no rotation, just a stream to its end.
            let cap = self.options.line_cap;
            return Ok(super::stdin::pump(self.source, file, cap, &mut self.b).await?);
        }
        // A compressed or UTF-16 file is said to be one, not shown as lines of garbage.
        let mut head = [0u8; sniff::HEAD];
        let n = file
            .read(&mut head)
            .await
            .map_err(|e| self.read_error(&e))?;
        if let Some(refusal) = sniff::refusal(&self.path.display().to_string(), &head[..n], "") {
            return Err(Stop::Failed(refusal));
        }
        file.seek(SeekFrom::Start(0))
            .await
            .map_err(|e| self.read_error(&e))?;
        let mut id = file_id(&meta);
        let total = meta.len();
        self.b.state(SourceState::Loading).await?;
        self.b.progress(0, total).await?;
        self.read_to_end(&mut file, Some(total)).await?;
        self.b.progress(total, total).await?;
        self.b.state(SourceState::Following).await?;

        let mut missing_since: Option<Instant> = None;
        let mut reported_missing = false;
        loop {
            self.wait().await;
            if self.truncated(&mut file).await? {
                file.seek(SeekFrom::Start(0))
                    .await
                    .map_err(|e| self.read_error(&e))?;
                self.start_over("truncated").await?;
            }
            self.read_to_end(&mut file, None).await?;
            match tokio::fs::metadata(&self.path).await {
                Ok(m) if file_id(&m) == id => {
                    if reported_missing {
                        self.b.state(SourceState::Following).await?;
                    }
                    missing_since = None;
                    reported_missing = false;
                }
                Ok(_) => {
                    let Ok(new) = File::open(&self.path).await else {
                        continue; // gone again; the next wake looks once more
                    };
                    let new_meta = new.metadata().await.map_err(|e| self.read_error(&e))?;
                    // Finish the old file through the still-open handle, then switch.
                    self.read_to_end(&mut file, None).await?;
                    file = new;
                    id = file_id(&new_meta);
                    if reported_missing {
                        self.start_over("recreated").await?;
                        self.b.state(SourceState::Following).await?;
                    } else {
                        self.start_over("rotated").await?;
                    }
                    missing_since = None;
                    reported_missing = false;
                    self.read_to_end(&mut file, None).await?;
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => match missing_since {
                    None => missing_since = Some(Instant::now()),
                    Some(t) if !reported_missing && t.elapsed() >= self.options.poll => {
                        let msg = format!(
                            "'{}' was deleted or moved; waiting for it to reappear",
                            self.path.display()
                        );
                        self.b.state(SourceState::Waiting(msg)).await?;
                        reported_missing = true;
                    }
                    Some(_) => {}
                },
                // e.g. the directory became unreadable: keep the open handle, look again later.
                Err(_) => {}
            }
        }
    }

    /// Opens the path, waiting for it to appear if it does not exist yet.
    async fn open_first(&mut self) -> Result<File, Stop> {
        let mut reported = false;
        loop {
            match File::open(&self.path).await {
                Ok(f) => return Ok(f),
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    if !reported {
                        let msg = format!(
                            "cannot open '{}': no such file; waiting for it to appear",
                            self.path.display()
                        );
                        self.b.state(SourceState::Waiting(msg)).await?;
                        reported = true;
                    }
                    self.wait().await;
                }
                Err(e) => {
                    return Err(Stop::Failed(format!(
                        "cannot open '{}': {e}",
                        self.path.display()
                    )));
                }
            }
        }
    }

    async fn wait(&mut self) {
        tokio::select! {
            () = self.wake.notified() => {}
            _ = self.tick.tick() => {}
        }
    }

    fn read_error(&self, e: &io::Error) -> Stop {
        Stop::Failed(format!("cannot read '{}': {e}", self.path.display()))
    }

    /// Reads from the handle's position to its end; `loading` carries the size to report
    /// progress against.
    async fn read_to_end(&mut self, file: &mut File, loading: Option<u64>) -> Result<(), Stop> {
        let step = loading.map_or(u64::MAX, |total| (total / 100).max(MIN_PROGRESS_STEP));
        let mut reported = 0u64;
        loop {
            let n = match file.read(&mut self.buf).await {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(self.read_error(&e)),
            };
            let chunk = &self.buf[..n];
            if n >= FINGERPRINT {
                self.tail.clear();
                self.tail.extend_from_slice(&chunk[n - FINGERPRINT..]);
            } else {
                self.tail.extend_from_slice(chunk);
                let excess = self.tail.len().saturating_sub(FINGERPRINT);
                self.tail.drain(..excess);
            }
            self.splitter.push(chunk, &mut self.lines);
            self.b.push(&mut self.lines).await?;
            if let Some(total) = loading {
                let read = self.splitter.offset();
                if read - reported >= step && read < total {
                    self.b.progress(read, total).await?;
                    reported = read;
                }
            }
        }
        // At the end of what is there: the input paused, send the lines now.
        self.b.flush().await?;
        Ok(())
    }

    /// Leaves the content read so far (its partial last line becomes a line) for new content
    /// read from offset 0, numbering going on, and reports why.
    async fn start_over(&mut self, why: &str) -> Result<(), Stop> {
        self.splitter.finish(&mut self.lines);
        self.b.push(&mut self.lines).await?;
        self.splitter.rewind();
        self.tail.clear();
        self.b.reset(why).await?;
        Ok(())
    }

    /// True when the open file no longer holds what we read: shorter than our position, or
    /// different bytes just before it.
    async fn truncated(&mut self, file: &mut File) -> Result<bool, Stop> {
        let pos = self.splitter.offset();
        let len = file
            .metadata()
            .await
            .map_err(|e| self.read_error(&e))?
            .len();
        if len < pos {
            return Ok(true);
        }
        if self.tail.is_empty() {
            return Ok(false);
        }
        let start = pos - self.tail.len() as u64;
        let mut probe = vec![0u8; self.tail.len()];
        let seek = file.seek(SeekFrom::Start(start)).await;
        let read = match seek {
            Ok(_) => file.read_exact(&mut probe).await.map(|_| ()),
            Err(e) => Err(e),
        };
        match read {
            Ok(()) => Ok(probe != self.tail),
            // Shrunk between the size check and the read.
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Ok(true),
            Err(e) => Err(self.read_error(&e)),
        }
    }
}
