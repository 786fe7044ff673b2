//! Every exit code of bkscope, in one place. Scripts depend on them: never renumber.
//!
//! Signals:
//! - The explorer catches SIGTERM, SIGHUP and SIGINT, gives the terminal back, and exits with
//!   128+signo (143, 129, 130), what shells, supervisors and scripts expect of a program ended
//!   by a signal. Quitting with `q` or Ctrl-C (a key in raw mode, not a signal) is 0.
//! - The commands without a terminal (`summary`, `events`, `kb`, …) hold nothing to give back,
//!   so they keep the default action: the signal ends them and a shell shows the same 128+signo
//!   in `$?`. A `docker logs` child dies with them (`source/spawner.rs`).
//! - SIGPIPE is ignored (Rust's runtime does so), so a write to a closed pipe is an error
//!   `EPIPE`; [`closed_pipe_is_success`] makes it a quiet 0 (`bkscope events | head`).

use std::io;
use std::process::ExitCode;

/// How bkscope ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: done, nothing in `--fail-on` held.
    Success,
    /// 1: a `--fail-on` condition held (auth failures, an unused mirror, errors).
    ConditionMet,
    /// 2: bad usage, an unreadable source or config, or another I/O error.
    Error,
    /// 129 (128+SIGHUP): the explorer's terminal hung up.
    Hangup,
    /// 130 (128+SIGINT): the explorer got SIGINT (from `kill -INT`; Ctrl-C there is a key).
    Interrupted,
    /// 143 (128+SIGTERM): the explorer got SIGTERM.
    Terminated,
}

impl Exit {
    /// The numeric code.
    pub fn code(self) -> u8 {
        match self {
            Exit::Success => 0,
            Exit::ConditionMet => 1,
            Exit::Error => 2,
            Exit::Hangup => 129,
            Exit::Interrupted => 130,
            Exit::Terminated => 143,
        }
    }

    /// The exit for the signal that ended the explorer; another signal is an error.
    pub fn for_signal(signo: i32) -> Exit {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        match signo {
            SIGHUP => Exit::Hangup,
            SIGINT => Exit::Interrupted,
            SIGTERM => Exit::Terminated,
            _ => Exit::Error,
        }
    }
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e.code())
    }
}

/// A closed pipe (`bkscope events | head`, `bkscope kb list | head`) is success: the reader
/// took what it wanted. Every command that writes to standard output ends through this.
pub fn closed_pipe_is_success(result: anyhow::Result<Exit>) -> anyhow::Result<Exit> {
    match result {
        Err(e) if is_broken_pipe(&e) => Ok(Exit::Success),
        r => r,
    }
}

/// True when `e` is, or was caused by, a write to a closed pipe.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<serde_json::Error>()
                .is_some_and(|j| j.io_error_kind() == Some(io::ErrorKind::BrokenPipe))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signal_exits_with_128_plus_its_number() {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        for signo in [SIGHUP, SIGINT, SIGTERM] {
            assert_eq!(i32::from(Exit::for_signal(signo).code()), 128 + signo);
        }
        assert_eq!(Exit::for_signal(0), Exit::Error);
        assert_eq!(
            [Exit::Success, Exit::ConditionMet, Exit::Error].map(Exit::code),
            [0, 1, 2]
        );
    }
}
