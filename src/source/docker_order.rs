//! The two pipes of `docker logs --timestamps` → the container's lines in the daemon's order.
//!
//! Decisions:
//! - `docker logs` writes each container line to its own stdout or stderr as the container wrote
//!   it there, so reading the two pipes loses the order between them: a history replay arrives as
//!   a stdout chunk and a stderr chunk (seen with a real dockerd 20.10: a container's two stdout
//!   lines came before its 108 stderr lines instead of at lines 55 and 110). With
//!   `--timestamps` each line starts with the daemon's time of it. Lines are held per pipe and
//!   released oldest first: a held line goes once the other pipe holds a later line, is closed,
//!   or has been quiet for [`GRACE`] since the line arrived (nothing older was in flight).
//! - The daemon's time is when its copier of that stream read the line, not when the container
//!   wrote it: lines written to both streams within the same few microseconds (a burst without
//!   pauses) are timed by two copiers independently, and their order across streams is lost
//!   before any client sees it (`docker logs 2>&1` shows the daemon's order too). Lines a
//!   millisecond or more apart keep their order (seen with 10 ms between lines).
//! - The prefix is removed, so a line's text is what the container wrote. The daemon stores a
//!   line longer than its 16 KiB buffer in pieces, and `--timestamps` puts the prefix before
//!   each piece (seen: a 40,000-byte line came back with three); every piece has its line's
//!   first time, so the same prefix found again inside a line is removed too.
//! - A line without the prefix is the docker CLI's own words (`Error: No such container: x`,
//!   `Cannot connect to the Docker daemon …`): it is kept as a line, released at once.
//! - [`Orderer::newest`] is the latest daemon time released, so a restart can ask for the lines
//!   after it (`--since`) on the daemon's clock, not this machine's.

use std::collections::VecDeque;
use std::time::Duration;

use tokio::time::Instant;

use super::Line;
use super::stamp::docker_prefix;

/// How long a line waits for an older line of the other pipe. A live line is shown this much
/// later; within a replay both pipes are written within microseconds.
pub(crate) const GRACE: Duration = Duration::from_millis(100);

/// Lines longer than this may hold repeated prefixes (moby's log copier buffer, 16 KiB).
const PIECE: usize = 16 * 1024;

struct Held {
    /// The daemon's time, nanoseconds since the epoch; `None` for the CLI's own lines.
    at: Option<i64>,
    line: Line,
    came: Instant,
}

/// Holds lines of stdout (pipe 0) and stderr (pipe 1) until their order is known.
#[derive(Default)]
pub(crate) struct Orderer {
    held: [VecDeque<Held>; 2],
    closed: [bool; 2],
    newest: Option<i64>,
}

impl Orderer {
    /// Takes the lines just read from `pipe`, removing their prefixes.
    pub(crate) fn push(&mut self, pipe: usize, lines: &mut Vec<Line>, now: Instant) {
        for mut line in lines.drain(..) {
            let at = strip(&mut line);
            self.held[pipe].push_back(Held {
                at,
                line,
                came: now,
            });
        }
    }

    /// `pipe` reached its end: nothing older can come from it.
    pub(crate) fn close(&mut self, pipe: usize) {
        self.closed[pipe] = true;
    }

    /// Moves every line whose order is known to `out`, oldest first.
    pub(crate) fn release(&mut self, now: Instant, out: &mut Vec<Line>) {
        loop {
            let pipe = match (self.held[0].front(), self.held[1].front()) {
                (Some(a), Some(b)) => usize::from(a.at > b.at),
                (Some(h), None) if self.may_go(h, 1, now) => 0,
                (None, Some(h)) if self.may_go(h, 0, now) => 1,
                _ => return,
            };
            let Some(h) = self.held[pipe].pop_front() else {
                return;
            };
            if h.at > self.newest {
                self.newest = h.at;
            }
            out.push(h.line);
        }
    }

    /// A line may go without a line of `other` to compare with.
    fn may_go(&self, h: &Held, other: usize, now: Instant) -> bool {
        h.at.is_none() || self.closed[other] || now >= h.came + GRACE
    }

    /// When a held line may go without news from the other pipe.
    pub(crate) fn deadline(&self) -> Option<Instant> {
        match (self.held[0].front(), self.held[1].front()) {
            (Some(h), None) | (None, Some(h)) => Some(h.came + GRACE),
            _ => None,
        }
    }

    /// The latest daemon time released so far.
    pub(crate) fn newest(&self) -> Option<i64> {
        self.newest
    }
}

/// Removes the `--timestamps` prefix of `line` (and its repeats inside a long line); its time.
fn strip(line: &mut Line) -> Option<i64> {
    let (at, len) = docker_prefix(&line.text)?;
    let prefix = line.text[..len].to_owned();
    line.text.drain(..len);
    if line.text.len() > PIECE - len && line.text.contains(&prefix) {
        line.text = line.text.replace(&prefix, "");
    }
    Some(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::lines::LineSplitter;

    /// What a real dockerd 20.10 sent for a container that wrote `out1`, `err1`, `out2`, `err2`
    /// (stdout, stderr, stdout, stderr), then `out3` a second later: `docker logs -t`, each
    /// pipe on its own, as captured.
    const STDOUT: &str = "2026-12-01T07:09:42.754102020Z out1\n\
                          2026-12-01T07:09:42.754104807Z out2\n\
                          2026-12-01T07:09:43.754066677Z out3\n";
    const STDERR: &str = "2026-12-01T07:09:42.753553298Z err1\n\
                          2026-12-01T07:09:42.753572426Z err2\n";

    fn lines(text: &str) -> Vec<Line> {
        let mut out = Vec::new();
        let mut split = LineSplitter::new(0);
        split.push(text.as_bytes(), &mut out);
        split.finish(&mut out);
        out
    }

    fn texts(lines: &[Line]) -> Vec<&str> {
        lines.iter().map(|l| l.text.as_str()).collect()
    }

    #[test]
    fn a_replay_read_pipe_by_pipe_comes_out_in_the_daemon_s_order() {
        let t0 = Instant::now();
        let mut o = Orderer::default();
        let mut out = Vec::new();
        o.push(0, &mut lines(STDOUT), t0);
        o.release(t0, &mut out);
        assert!(out.is_empty(), "stdout waits for stderr");
        assert_eq!(o.deadline(), Some(t0 + GRACE));
        o.push(1, &mut lines(STDERR), t0);
        o.release(t0, &mut out);
        assert_eq!(
            texts(&out),
            ["err1", "err2"],
            "stdout waits: stderr may bring older"
        );
        let soon = t0 + GRACE / 10;
        o.push(1, &mut lines("2026-12-01T07:09:42.754103000Z err3\n"), soon);
        o.release(soon, &mut out);
        assert_eq!(texts(&out), ["err1", "err2", "out1", "err3"]);
        o.release(t0 + GRACE / 2, &mut out);
        assert_eq!(out.len(), 4, "out2 and out3 wait for the grace");
        o.release(t0 + GRACE, &mut out);
        assert_eq!(texts(&out)[4..], ["out2", "out3"]);
        assert_eq!(
            o.newest(),
            docker_prefix("2026-12-01T07:09:43.754066677Z x").map(|p| p.0)
        );
    }

    #[test]
    fn a_closed_pipe_is_not_waited_for_and_the_cli_s_words_go_at_once() {
        let t0 = Instant::now();
        let mut o = Orderer::default();
        let mut out = Vec::new();
        o.push(1, &mut lines("Error: No such container: ghost\n"), t0);
        o.release(t0, &mut out);
        assert_eq!(texts(&out), ["Error: No such container: ghost"]);
        o.push(1, &mut lines(STDERR), t0);
        o.close(0);
        o.release(t0, &mut out);
        assert_eq!(texts(&out)[1..], ["err1", "err2"]);
        assert_eq!(o.deadline(), None);
    }

    #[test]
    fn a_long_line_loses_the_prefixes_docker_put_before_each_piece() {
        // As a real dockerd 20.10 sent a 40,000-byte line: the prefix at 0, 16 KiB and 32 KiB.
        let p = "2026-12-01T07:10:50.267007428Z ";
        let body = "x".repeat(40_000);
        let text = format!(
            "{p}{}{p}{}{p}{}\n",
            &body[..16384],
            &body[16384..32768],
            &body[32768..]
        );
        let mut o = Orderer::default();
        let mut out = Vec::new();
        o.push(0, &mut lines(&text), Instant::now());
        o.close(1);
        o.release(Instant::now(), &mut out);
        assert_eq!(out[0].text, body);
    }
}
