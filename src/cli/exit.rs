//! Every exit code of bkscope, in one place. Scripts depend on them: never renumber.

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
