//! Knowledge-base tests: loading and the schema (here), real log lines → entries
//! (`real_lines.rs`), the summary (`annotate.rs`), the finding-only conditions (`conditions.rs`).

mod annotate;
mod conditions;
mod loading;
mod real_lines;
