//! bkscope: BuildKit registry traffic, made readable.
//!
//! The layers point one way; each module's doc says what it must not touch.
//! - [`source`]: bytes in (files followed with notify, stdin, `docker logs -f`) → numbered [`source::Line`]s.
//! - [`parse`]: one line → one [`parse::Record`] (logrus text, TTY and JSON formats). No I/O, no UI.
//! - [`model`]: records → fetch events, traces, mirror verdicts, auth failures, [`model::Summary`].
//! - [`kb`]: knowledge-base entries and the matcher that turns model findings into diagnoses.
//! - [`app`]: TUI state and `update(Action)`; draws nothing.
//! - [`ui`]: ratatui widgets that draw an `&App`.
//! - [`cli`]: the clap definitions and the headless commands (`summary`, `events`, `kb`).

pub mod app;
pub mod cli;
pub mod kb;
pub mod model;
pub mod parse;
pub mod source;
pub mod ui;

#[cfg(test)]
mod test_support;
