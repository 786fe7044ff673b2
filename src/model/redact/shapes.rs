//! Tokens known by their shape, masked wherever they stand, with no name before them: GitHub's
//! (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_` and 36 or more letters and digits; `github_pat_…`),
//! GitLab's personal access tokens (`glpat-…`), Docker Hub's (`dckr_pat_…`), npm's (`npm_` and
//! 36), and AWS access key ids (`AKIA` or `ASIA` and 16 capitals or digits). The prefix stays
//! (`ghp_REDACTED`): it tells what leaked, and so what to revoke.
//!
//! Bounded: each shape starts with a fixed prefix, which the prefilter looks for before the
//! pattern runs ([`PREFIXES`]).

use super::MASK;

/// The prefixes, as they are written (the pattern is case-sensitive).
pub(super) const PREFIXES: &[&str] = &[
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "github_pat_",
    "glpat-",
    "dckr_pat_",
    "npm_",
    "AKIA",
    "ASIA",
];

/// The pattern: a prefix of [`PREFIXES`] and the token's body, a whole word.
pub(super) const PATTERN: &str = r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,}|glpat-[A-Za-z0-9_\-]{20,}|dckr_pat_[A-Za-z0-9_\-]{20,}|npm_[A-Za-z0-9]{36}|(?:AKIA|ASIA)[0-9A-Z]{16})\b";

/// The token as it may be shown: its prefix and [`MASK`].
pub(super) fn mask(c: &regex::Captures<'_>) -> String {
    let token = &c[0];
    let prefix = PREFIXES
        .iter()
        .find(|p| token.starts_with(*p))
        .copied()
        .unwrap_or("");
    format!("{prefix}{MASK}")
}

/// True when `b` holds a prefix as written: a necessary condition for [`PATTERN`]. Every
/// prefix but GitLab's and AWS's has a `_`.
pub(super) fn has_prefix(b: &[u8]) -> bool {
    memchr::memchr(b'_', b).is_some()
        || memchr::memmem::find(b, b"glpat-").is_some()
        || memchr::memmem::find(b, b"AKIA").is_some()
        || memchr::memmem::find(b, b"ASIA").is_some()
}
