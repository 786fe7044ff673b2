//! The user's `<config-dir>/keymap.yaml` over the built-in bindings. Every problem in it is
//! reported, each with its line: an unknown action, a value that is not a list, a key that is
//! not one, a key taken from the emergency exit, a key bound to two actions (the user's binding
//! wins over the built-in one it displaces; of two lines of the file, the later wins). Whatever
//! else the file says still applies; only a file that is not YAML is set aside whole.

use std::path::{Path, PathBuf};

use serde_yaml::Value;

use super::keymap::{Binding, EMERGENCY_EXIT, Key, emergency_exit, keep_emergency_exit, parse_key};

/// A problem in a keymap file: where it is, what is wrong, and what bkscope does about it.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}:{line}:{column}: {message}", path.display())]
pub struct KeymapError {
    /// The file.
    pub path: PathBuf,
    /// 1-based line (0: the whole file).
    pub line: usize,
    /// 1-based column (0: the whole file).
    pub column: usize,
    /// What is wrong and what to do.
    pub message: String,
    /// What is done about it (`skipped; search keeps /`), from the bindings in force.
    pub consequence: String,
}

impl KeymapError {
    /// A problem that sets the whole file aside.
    pub fn whole_file(path: &Path, line: usize, column: usize, message: String) -> KeymapError {
        KeymapError {
            path: path.to_owned(),
            line,
            column,
            message,
            consequence: "using the built-in defaults for it".to_owned(),
        }
    }
}

/// What a problem did, worded once the bindings are final.
enum Outcome {
    /// The action's line is skipped whole.
    LineSkipped { action: String },
    /// One key of the action's list is skipped.
    KeySkipped { action: String },
    /// `key` now triggers `winner`; `loser` lost it (a built-in binding, or an earlier line).
    Displaced {
        key: String,
        winner: String,
        loser: String,
        later_line: bool,
    },
}

/// A problem before its consequence is worded: line, column, message, what it did.
type Found = (usize, usize, String, Outcome);

/// One key of the user's file, with its column.
struct UserKey {
    text: String,
    key: Key,
    column: usize,
}

/// One line of the user's file that names a known action.
struct Entry {
    name: String,
    line: usize,
    keys: Vec<UserKey>,
    /// Every key listed was refused: the action keeps its built-in keys.
    refused: bool,
}

/// Reads `text` (the file at `path`) and merges it over `base`: the bindings in force and
/// every problem found, in the file's order.
pub(super) fn merge(
    mut base: Vec<Binding>,
    path: &Path,
    text: &str,
) -> (Vec<Binding>, Vec<KeymapError>) {
    let raw: serde_yaml::Mapping = match serde_yaml::from_str(text) {
        Ok(m) => m,
        // A file of comments alone binds nothing.
        Err(_)
            if text
                .lines()
                .all(|l| l.trim().is_empty() || l.trim().starts_with('#')) =>
        {
            return (base, Vec::new());
        }
        Err(e) => {
            let loc = e.location();
            let message = format!("{e}; write one 'action: [keys]' per line, e.g. 'quit: [q]'");
            let err = KeymapError::whole_file(
                path,
                loc.as_ref().map_or(0, |l| l.line()),
                loc.as_ref().map_or(0, |l| l.column()),
                message,
            );
            return (base, vec![err]);
        }
    };
    let names: Vec<String> = base.iter().map(|b| b.name.clone()).collect();
    let mut found: Vec<Found> = Vec::new();
    let mut entries: Vec<Entry> = Vec::new();
    for (name, value) in &raw {
        let name = yaml_word(name).unwrap_or_default();
        let line = line_of(text, &name);
        if !names.contains(&name) {
            let hint = closest(&name, &names)
                .map(|n| format!(" (did you mean '{n}'?)"))
                .unwrap_or_default();
            let message = format!("unknown action '{name}'{hint}; {NAMES_AT}");
            found.push((line, 1, message, Outcome::LineSkipped { action: name }));
            continue;
        }
        let Value::Sequence(items) = value else {
            let message = format!("'{name}' needs a list of keys, e.g. [j, down]");
            found.push((line, 1, message, Outcome::LineSkipped { action: name }));
            continue;
        };
        let mut keys = Vec::new();
        for item in items {
            let text_key = yaml_word(item).unwrap_or_else(|| format!("{item:?}"));
            let column = column_of(text, line, &text_key);
            let skipped = |message| {
                let outcome = Outcome::KeySkipped {
                    action: name.clone(),
                };
                (line, column, message, outcome)
            };
            match parse_key(&text_key) {
                None => found.push(skipped(format!(
                    "unknown key '{text_key}' for '{name}' (e.g. j, G, ctrl-c, pagedown, f1)"
                ))),
                Some(k) if k == emergency_exit() && name != "quit" => found.push(skipped(format!(
                    "'{EMERGENCY_EXIT}' always quits: it cannot be a key of '{name}'"
                ))),
                Some(key) => keys.push(UserKey {
                    text: text_key,
                    key,
                    column,
                }),
            }
        }
        let refused = keys.is_empty() && !items.is_empty();
        entries.push(Entry {
            name,
            line,
            keys,
            refused,
        });
    }
    clashes_within(&mut entries, &mut found);
    clashes_with_builtin(&entries, &mut base, &mut found);
    for e in entries.into_iter().filter(|e| !e.refused) {
        if let Some(b) = base.iter_mut().find(|b| b.name == e.name) {
            b.keys = e.keys.into_iter().map(|k| (k.text, k.key)).collect();
        }
    }
    keep_emergency_exit(&mut base);
    found.sort_by_key(|(line, column, ..)| (*line, *column));
    let problems = found
        .into_iter()
        .map(|(line, column, message, outcome)| KeymapError {
            path: path.to_owned(),
            line,
            column,
            message,
            consequence: consequence(&outcome, &base),
        })
        .collect();
    (base, problems)
}

/// A key listed on two lines of the file: the later line keeps it.
fn clashes_within(entries: &mut [Entry], found: &mut Vec<Found>) {
    for i in 1..entries.len() {
        let (earlier, rest) = entries.split_at_mut(i);
        let later = &rest[0];
        for k in &later.keys {
            for e in earlier.iter_mut() {
                let before = e.keys.len();
                e.keys.retain(|o| o.key != k.key);
                if e.keys.len() < before {
                    let message = format!(
                        "'{}' is bound to '{}' (line {}) and to '{}' here",
                        k.text, e.name, e.line, later.name
                    );
                    let outcome = Outcome::Displaced {
                        key: k.text.clone(),
                        winner: later.name.clone(),
                        loser: e.name.clone(),
                        later_line: true,
                    };
                    found.push((later.line, k.column, message, outcome));
                }
            }
        }
    }
}

/// A key the file gives one action that the built-in keymap gives another (one the file does
/// not rebind): the file's binding wins.
fn clashes_with_builtin(entries: &[Entry], base: &mut [Binding], found: &mut Vec<Found>) {
    for e in entries.iter().filter(|e| !e.refused) {
        for k in &e.keys {
            let displaced = base.iter_mut().filter(|b| {
                b.name != e.name && !entries.iter().any(|o| !o.refused && o.name == b.name)
            });
            for b in displaced {
                let before = b.keys.len();
                b.keys.retain(|(_, o)| *o != k.key);
                if b.keys.len() < before {
                    let message = format!(
                        "'{}' is bound to '{}' here and to '{}' by default",
                        k.text, e.name, b.name
                    );
                    let outcome = Outcome::Displaced {
                        key: k.text.clone(),
                        winner: e.name.clone(),
                        loser: b.name.clone(),
                        later_line: false,
                    };
                    found.push((e.line, k.column, message, outcome));
                }
            }
        }
    }
}

/// What a problem did, from the bindings in force.
fn consequence(outcome: &Outcome, bindings: &[Binding]) -> String {
    match outcome {
        Outcome::LineSkipped { action } if bindings.iter().any(|b| b.name == *action) => {
            format!("line skipped; {}", keeps(action, bindings))
        }
        Outcome::LineSkipped { .. } => "line skipped; the file's other lines apply".to_owned(),
        Outcome::KeySkipped { action } => format!("key skipped; {}", keeps(action, bindings)),
        Outcome::Displaced {
            key,
            winner,
            loser,
            later_line,
        } => {
            let which = if *later_line {
                "the later line wins"
            } else {
                "your binding wins over the default"
            };
            format!(
                "{which}: {key} triggers '{winner}'; {}",
                keeps(loser, bindings)
            )
        }
    }
}

/// `search keeps /, ctrl-s`, or that it has no key left.
fn keeps(action: &str, bindings: &[Binding]) -> String {
    let keys: Vec<&str> = bindings
        .iter()
        .find(|b| b.name == action)
        .map(|b| b.keys.iter().map(|(s, _)| s.as_str()).collect())
        .unwrap_or_default();
    if keys.is_empty() {
        format!("'{action}' has no key left")
    } else {
        format!("'{action}' keeps {}", keys.join(", "))
    }
}

/// A YAML scalar as the word it is (`1` for an unquoted `1`); none for a list or a map.
fn yaml_word(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The 1-based line where `name:` is written (0 when it is not found: a flow mapping).
fn line_of(text: &str, name: &str) -> usize {
    text.lines()
        .position(|l| {
            let l = l.trim_start();
            let l = l.strip_prefix(['"', '\'']).unwrap_or(l);
            l.strip_prefix(name)
                .map(|r| r.trim_start_matches(['"', '\'']).trim_start())
                .is_some_and(|r| r.starts_with(':'))
        })
        .map_or(0, |i| i + 1)
}

/// The 1-based column of `key` after the colon on `line` (1 when it is not found there).
fn column_of(text: &str, line: usize, key: &str) -> usize {
    let Some(row) = line.checked_sub(1).and_then(|i| text.lines().nth(i)) else {
        return 1;
    };
    let colon = row.find(':').map_or(0, |c| c + 1);
    row.get(colon..)
        .and_then(|rest| rest.find(key))
        .and_then(|at| row.get(..colon + at))
        .map_or(1, |before| before.chars().count() + 1)
}

/// The action `name` most likely meant: the nearest a typo or two away (a third of its
/// length for a long name; case and `-` for `_` count nothing: `NextError`, `next-error`),
/// else the nearest that holds it or shares a word with it (`error` → `next_error`, `follow`
/// → `toggle_follow`); `None` when nothing is that close.
fn closest<'a>(name: &str, names: &'a [String]) -> Option<&'a str> {
    let plain = |s: &str| s.to_lowercase().replace(['-', '_'], "");
    let typed = plain(name);
    let near = (typed.chars().count() / 3).max(2);
    let typo = names
        .iter()
        .map(|n| (edits(&typed, &plain(n)), n))
        .filter(|(d, _)| *d <= near)
        .min_by_key(|(d, _)| *d);
    if let Some((_, n)) = typo {
        return Some(n.as_str());
    }
    let lower = name.to_lowercase();
    let words: Vec<&str> = lower
        .split(['_', '-', ' '])
        .filter(|w| w.chars().count() >= 3)
        .collect();
    names
        .iter()
        .filter(|n| {
            (typed.chars().count() >= 3 && plain(n).contains(&typed))
                || n.split('_').any(|part| words.contains(&part))
        })
        .min_by_key(|n| edits(&typed, &plain(n)))
        .map(String::as_str)
}

/// Where the action names are listed, for the message of an unknown one (the help popup
/// shows what the keys do, not these names).
const NAMES_AT: &str = "the action names: README section 'Keymap: the action names'";

/// Levenshtein distance over chars (also `cli::tui`'s guess at a mistyped subcommand).
pub(crate) fn edits(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests;
