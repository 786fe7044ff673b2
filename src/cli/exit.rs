//! Every exit code of bkscope, in one place. Scripts depend on them: never renumber.

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
}

impl Exit {
    /// The numeric code.
    pub fn code(self) -> u8 {
        match self {
            Exit::Success => 0,
            Exit::ConditionMet => 1,
            Exit::Error => 2,
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
