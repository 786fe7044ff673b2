//! Tokens known by their shape, masked wherever they stand, with no name before them: GitHub's
//! (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_` and 36 or more letters and digits; `github_pat_…`),
//! GitLab's personal access tokens (`glpat-…`), Docker Hub's (`dckr_pat_…`), npm's (`npm_` and
//! 36), AWS access key ids (`AKIA` or `ASIA` and 16 capitals or digits), Slack's (`xoxb-`,
//! `xoxp-`, `xoxa-`, `xoxr-`, `xoxs-`, digits, `-`, then nine or more), OpenAI's (`sk-proj-`,
//! `sk-svcacct-`, `sk-admin-` and 32 or more; the older `sk-` and 32 or more letters and digits
//! with no `-`), Anthropic's (`sk-ant-` and 32 or more), Google API keys (`AIza` and exactly 35),
//! Stripe's secret and restricted keys (`sk_live_`, `rk_live_`, `sk_test_`, `rk_test_` and 24
//! or more letters and digits) and PyPI's upload tokens (`pypi-AgE` and 50 or more). Each is
//! a whole word and as long as the real ones, so ordinary words (`disk-usage`, `task-1`,
//! `xox-`) are not hit. The prefix stays (`ghp_REDACTED`, `sk-ant-REDACTED`): it tells what
//! leaked, and so what to revoke.
//!
//! Bounded: each shape starts with a fixed prefix, which the prefilter looks for before the
//! pattern runs ([`PREFIXES`]).

use super::MASK;

/// The prefixes, as they are written (the pattern is case-sensitive), a longer one before a
/// shorter one it starts with (the mask shows the first that fits).
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
    "xoxb-",
    "xoxp-",
    "xoxa-",
    "xoxr-",
    "xoxs-",
    "sk-ant-",
    "sk-proj-",
    "sk-svcacct-",
    "sk-admin-",
    "sk-",
    "AIza",
    "sk_live_",
    "rk_live_",
    "sk_test_",
    "rk_test_",
    "pypi-",
];

/// The pattern: a prefix of [`PREFIXES`] and the token's body, a whole word. A Google key may
/// end in `-`, where `\b` finds no word's end: its next byte is matched instead (and kept).
pub(super) const PATTERN: &str = r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,}|glpat-[A-Za-z0-9_\-]{20,}|dckr_pat_[A-Za-z0-9_\-]{20,}|npm_[A-Za-z0-9]{36}|(?:AKIA|ASIA)[0-9A-Z]{16}|xox[bpars]-[0-9]+-[0-9A-Za-z][0-9A-Za-z\-]{8,}|sk-ant-[A-Za-z0-9_\-]{32,}|sk-(?:proj|svcacct|admin)-[A-Za-z0-9_\-]{32,}|sk-[A-Za-z0-9]{32,}|[sr]k_(?:live|test)_[0-9A-Za-z]{24,}|pypi-AgE[A-Za-z0-9_\-]{50,})\b|\bAIza[0-9A-Za-z_\-]{35}(?:[^0-9A-Za-z_\-]|$)";

/// The length of a Google API key: `AIza` and 35.
const GOOGLE_KEY_LEN: usize = 39;

/// The token as it may be shown: its prefix and [`MASK`] (and the byte after a Google key).
pub(super) fn mask(c: &regex::Captures<'_>) -> String {
    let token = &c[0];
    let prefix = PREFIXES
        .iter()
        .find(|p| token.starts_with(*p))
        .copied()
        .unwrap_or("");
    let after = if prefix == "AIza" {
        token.get(GOOGLE_KEY_LEN..).unwrap_or_default()
    } else {
        ""
    };
    format!("{prefix}{MASK}{after}")
}

/// True when `b` holds a prefix as written: a necessary condition for [`PATTERN`]. Every
/// prefix but GitLab's, AWS's, Slack's, OpenAI's and Anthropic's, Google's and PyPI's has a
/// `_`.
pub(super) fn has_prefix(b: &[u8]) -> bool {
    memchr::memchr(b'_', b).is_some()
        || memchr::memmem::find(b, b"glpat-").is_some()
        || memchr::memmem::find(b, b"AKIA").is_some()
        || memchr::memmem::find(b, b"ASIA").is_some()
        || memchr::memmem::find(b, b"xox").is_some()
        || memchr::memmem::find(b, b"sk-").is_some()
        || memchr::memmem::find(b, b"AIza").is_some()
        || memchr::memmem::find(b, b"pypi-").is_some()
}
