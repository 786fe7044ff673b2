//! Undoes the damage of logs copied from web pages: GitHub turns `url="https://…"` into
//! `url="[https://…](https://…)"` and links timestamps (`2023-10-2[6](https://…#step:16:6)`).
//!
//! Pure string rewriting, used only when a line shows the `](http` mark of such a link.

use std::sync::LazyLock;

use regex::Regex;

static MD_LINK: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"\[([^\[\]\s]*)\]\(https?://[^)\s]*\)").ok());

/// True when the line holds a markdown link that a paste injected.
pub(super) fn needs_repair(line: &str) -> bool {
    let b = line.as_bytes();
    memchr::memchr_iter(b']', b).any(|i| b[i + 1..].starts_with(b"(http"))
}

/// Replaces each `[text](url)` by `text`.
pub(super) fn unlink_markdown(line: &str) -> String {
    match MD_LINK.as_ref() {
        Some(re) => re.replace_all(line, "$1").into_owned(),
        None => line.to_owned(),
    }
}
