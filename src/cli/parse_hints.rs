//! Command lines clap would refuse with a misleading word, read as meant or refused with the
//! line that works. A `--fail-on` list with spaces or a trailing comma (`'auth, errors'`,
//! `auth,`: a shell variable built in a loop) is read as the list it names. A subcommand
//! after a source (`bkscope build.log summary --json`: clap said "unexpected argument
//! '--json'") and a `--format` option (clap's tip was "a similar argument exists:
//! '--no-redact'") are refused with the command line to run instead; an option of another
//! subcommand (`events --markdown`) names the one it belongs to.

use std::ffi::OsString;
use std::path::Path;

use clap::ArgAction;
use clap::error::{ContextKind, ContextValue, ErrorKind};

use super::shell_word;
use crate::model::sanitize::inert;

/// `args` with each `--fail-on` list tidied: its names trimmed, empty ones dropped. A list
/// with no name left is kept as given, for clap to refuse.
pub(super) fn tidy_lists(args: Vec<OsString>) -> Vec<OsString> {
    let mut out = Vec::with_capacity(args.len());
    let mut list_next = false;
    let mut positional = false;
    for a in args {
        if positional {
            out.push(a);
            continue;
        }
        let word = a.to_str().map(str::to_owned);
        match word.as_deref() {
            Some(list) if list_next => {
                list_next = false;
                out.push(tidy(list).map_or(a, OsString::from));
            }
            Some("--") => {
                positional = true;
                out.push(a);
            }
            Some("--fail-on") => {
                list_next = true;
                out.push(a);
            }
            Some(w) if w.starts_with("--fail-on=") => {
                let tidied = tidy(&w["--fail-on=".len()..]).map(|l| format!("--fail-on={l}"));
                out.push(tidied.map_or(a, OsString::from));
            }
            _ => {
                list_next = false;
                out.push(a);
            }
        }
    }
    out
}

fn tidy(list: &str) -> Option<String> {
    let names: Vec<&str> = list
        .split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .collect();
    (!names.is_empty()).then(|| names.join(","))
}

/// Clap's error `e` for `args`, or a clearer one where the line puts a subcommand after a
/// source or asks for a `--format`.
pub(super) fn explained(cmd: &mut clap::Command, e: clap::Error, args: &[OsString]) -> clap::Error {
    if e.kind() != ErrorKind::UnknownArgument {
        return e;
    }
    if let Some(msg) = subcommand_after_source(cmd, args) {
        return cmd.error(ErrorKind::UnknownArgument, msg);
    }
    let Some(ContextValue::String(arg)) = e.get(ContextKind::InvalidArg) else {
        return e;
    };
    let name = arg.split_once('=').map_or(arg.as_str(), |(n, _)| n);
    if matches!(name, "--format" | "--output" | "--output-format" | "--out") {
        let msg = format!(
            "bkscope has no '{name}': 'summary --json' writes the JSON contract, 'summary \
             --markdown' Markdown, the readable report is the default; 'events' writes NDJSON"
        );
        return cmd.error(ErrorKind::UnknownArgument, msg);
    }
    if let Some(msg) = option_of_another_subcommand(cmd, args, name) {
        return cmd.error(ErrorKind::UnknownArgument, msg);
    }
    e
}

/// The message for an option of another subcommand than the one run (`bkscope events
/// --markdown`, `events --fail-on auth`: clap's tip was "to pass '--markdown' as a value, use
/// '-- --markdown'", a file of that name); `None` when no other subcommand has it.
fn option_of_another_subcommand(
    cmd: &clap::Command,
    args: &[OsString],
    name: &str,
) -> Option<String> {
    let long = name.strip_prefix("--")?;
    let subs: Vec<&str> = cmd.get_subcommands().map(clap::Command::get_name).collect();
    let run = args
        .iter()
        .skip(1)
        .filter_map(|a| a.to_str())
        .find(|w| subs.contains(w))?;
    let own = cmd.find_subcommand(run)?;
    if own.get_arguments().any(|a| a.get_long() == Some(long)) {
        return None;
    }
    let of = if cmd.get_arguments().any(|a| a.get_long() == Some(long)) {
        // `summary --tail 5`: clap's tip was "a similar argument exists: '--fail-on'".
        "the explorer ('bkscope' with no subcommand)".to_owned()
    } else {
        let other = cmd
            .get_subcommands()
            .filter(|s| s.get_name() != run)
            .find(|s| s.get_arguments().any(|a| a.get_long() == Some(long)))?;
        format!("'bkscope {}'", other.get_name())
    };
    Some(format!(
        "'{}' is an option of {of}, not of 'bkscope {run}' (bkscope {run} --help lists its own)",
        inert(name)
    ))
}

/// The message for a subcommand named after a source (`bkscope build.log summary --json`),
/// with the line that works; `None` when no subcommand follows a source, or the word names a
/// file (then it is a source).
fn subcommand_after_source(cmd: &clap::Command, args: &[OsString]) -> Option<String> {
    let words: Vec<String> = args
        .iter()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let subs: Vec<&str> = cmd.get_subcommands().map(clap::Command::get_name).collect();
    let mut source_seen = false;
    let mut value_next = false;
    for (i, w) in words.iter().enumerate() {
        if value_next {
            value_next = false;
            continue;
        }
        if w == "--" {
            return None;
        }
        if source_seen && subs.contains(&w.as_str()) && !Path::new(w).exists() {
            let line: Vec<String> = ["bkscope", w.as_str()]
                .into_iter()
                .chain(words[..i].iter().map(String::as_str))
                .chain(words[i + 1..].iter().map(String::as_str))
                .map(shell_word)
                .collect();
            return Some(format!(
                "'{w}' is a subcommand: it goes first, before the sources: {}",
                inert(&line.join(" "))
            ));
        }
        if let Some(long) = w.strip_prefix("--").filter(|l| !l.contains('=')) {
            value_next = cmd
                .get_arguments()
                .find(|a| a.get_long() == Some(long))
                .is_some_and(|a| {
                    !matches!(
                        a.get_action(),
                        ArgAction::SetTrue | ArgAction::SetFalse | ArgAction::Count
                    )
                });
        } else if w == "-" || !w.starts_with('-') {
            source_seen = true;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(words: &[&str]) -> Vec<OsString> {
        words.iter().map(OsString::from).collect()
    }

    #[test]
    fn fail_on_lists_are_tidied_and_nothing_else_is() {
        assert_eq!(
            tidy_lists(os(&[
                "bkscope",
                "summary",
                "--fail-on",
                " auth, errors ,",
                "a,b.log"
            ])),
            os(&["bkscope", "summary", "--fail-on", "auth,errors", "a,b.log"])
        );
        assert_eq!(
            tidy_lists(os(&["bkscope", "summary", "--fail-on=auth,", "x"])),
            os(&["bkscope", "summary", "--fail-on=auth", "x"])
        );
        // Nothing left: as given, clap says a value is required.
        assert_eq!(
            tidy_lists(os(&["bkscope", "summary", "--fail-on", ","])),
            os(&["bkscope", "summary", "--fail-on", ","])
        );
        // After `--` a word is a file, even one named like the option.
        assert_eq!(
            tidy_lists(os(&["bkscope", "summary", "--", "--fail-on", "a, b"])),
            os(&["bkscope", "summary", "--", "--fail-on", "a, b"])
        );
    }
}
