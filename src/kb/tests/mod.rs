//! Knowledge-base tests: loading and the schema (here), real log lines → entries
//! (`real_lines.rs`), the summary (`annotate.rs`).

mod annotate;
mod loading;
mod real_lines;
