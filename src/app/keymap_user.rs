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
            let message =
                format!("unknown action '{name}'{hint}; see the help popup (?) for the names");
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

/// The known name one or two edits away from `name`, if any.
fn closest<'a>(name: &str, names: &'a [String]) -> Option<&'a str> {
    names
        .iter()
        .map(|n| (edits(name, n), n))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n.as_str())
}

/// Levenshtein distance over chars.
fn edits(a: &str, b: &str) -> usize {
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
mod tests {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use super::super::action::Action;
    use super::super::keymap::Keymap;
    use super::*;

    fn load(text: &str) -> (Keymap, Vec<String>) {
        let (map, problems) = Keymap::from_sources(Some((Path::new("cfg/keymap.yaml"), text)));
        let lines = problems
            .iter()
            .map(|p| format!("{p} ({})", p.consequence))
            .collect();
        (map, lines)
    }

    fn press(map: &Keymap, c: char) -> Option<Action> {
        let mods = if c.is_ascii_uppercase() {
            KeyModifiers::SHIFT
        } else {
            KeyModifiers::NONE
        };
        map.action_for(&KeyEvent::new(KeyCode::Char(c), mods))
    }

    fn ctrl_c(map: &Keymap) -> Option<Action> {
        map.action_for(&KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL))
    }

    /// Review: `quit: [j]` made j quit with no word said; j is select_next's by default.
    #[test]
    fn a_key_taken_from_a_default_binding_is_reported_and_the_file_wins() {
        let (map, problems) = load("quit: [j]\n");
        assert_eq!(
            problems,
            [
                "cfg/keymap.yaml:1:8: 'j' is bound to 'quit' here and to 'select_next' by \
default (your binding wins over the default: j triggers 'quit'; 'select_next' keeps down)"
            ]
        );
        assert_eq!(press(&map, 'j'), Some(Action::Quit));
        assert_eq!(press(&map, 'q'), None);
        // The emergency exit stays, and the help popup lists it.
        assert_eq!(ctrl_c(&map), Some(Action::Quit));
        let quit: Vec<&str> = map
            .bindings()
            .find(|(a, _)| **a == Action::Quit)
            .map(|(_, k)| k)
            .unwrap_or_default();
        assert_eq!(quit, ["j", "ctrl-c"]);
    }

    /// Review: with `quit: [Q]` Ctrl-C no longer quit. It always does now; so nothing to
    /// report.
    #[test]
    fn ctrl_c_always_quits() {
        let (map, problems) = load("quit: [Q]\n");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(press(&map, 'Q'), Some(Action::Quit));
        assert_eq!(ctrl_c(&map), Some(Action::Quit));
        let (map, problems) = load("quit: []\n");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(ctrl_c(&map), Some(Action::Quit));
        assert_eq!(map.key_of(&Action::Quit), Some("ctrl-c"));
        // Given to another action: refused, said so; the action's other keys apply.
        let (map, problems) = load("search: [ctrl-c, s]\n");
        assert_eq!(
            problems,
            [
                "cfg/keymap.yaml:1:10: 'ctrl-c' always quits: it cannot be a key of 'search' \
(key skipped; 'search' keeps s)"
            ]
        );
        assert_eq!(ctrl_c(&map), Some(Action::Quit));
        assert_eq!(press(&map, 's'), Some(Action::Search));
        assert_eq!(press(&map, '/'), None);
    }

    /// Two lines of the file giving one key: the later wins, and both lines are named.
    #[test]
    fn a_key_on_two_lines_of_the_file_goes_to_the_later() {
        let (map, problems) = load("quit: [x, q]\n# two\nsearch: [x]\n");
        assert_eq!(
            problems,
            [
                "cfg/keymap.yaml:3:10: 'x' is bound to 'quit' (line 1) and to 'search' here (the \
later line wins: x triggers 'search'; 'quit' keeps q, ctrl-c)",
                "cfg/keymap.yaml:3:10: 'x' is bound to 'search' here and to 'export' by default \
(your binding wins over the default: x triggers 'search'; 'export' has no key left)"
            ]
        );
        assert_eq!(press(&map, 'x'), Some(Action::Search));
        assert_eq!(press(&map, 'q'), Some(Action::Quit));
    }

    /// Review: `next_eror: [x]` and `search: [ctrl-qq]` reported only the first. Each is
    /// reported with its line, and the valid bindings stay.
    #[test]
    fn every_problem_is_reported_and_the_valid_lines_apply() {
        let text = "next_eror: [x]\nsearch: [ctrl-qq]\nfilter: [F1, ctrl-s]\nhelp: h\n\
toggle_wrap: [W]\n";
        let (map, problems) = load(text);
        assert_eq!(
            problems,
            [
                "cfg/keymap.yaml:1:1: unknown action 'next_eror' (did you mean 'next_error'?); see \
the help popup (?) for the names (line skipped; the file's other lines apply)",
                "cfg/keymap.yaml:2:10: unknown key 'ctrl-qq' for 'search' (e.g. j, G, ctrl-c, \
pagedown, f1) (key skipped; 'search' keeps /)",
                "cfg/keymap.yaml:3:10: unknown key 'F1' for 'filter' (e.g. j, G, ctrl-c, \
pagedown, f1) (key skipped; 'filter' keeps ctrl-s)",
                "cfg/keymap.yaml:4:1: 'help' needs a list of keys, e.g. [j, down] (line skipped; \
'help' keeps ?, f1)",
            ]
        );
        // The valid lines and keys apply; x is still export's.
        assert_eq!(press(&map, 'W'), Some(Action::ToggleWrap));
        assert_eq!(press(&map, 'w'), None);
        assert_eq!(press(&map, 'x'), Some(Action::Export));
        assert_eq!(press(&map, '/'), Some(Action::Search));
        assert_eq!(press(&map, 'f'), None);
        assert_eq!(
            map.action_for(&KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)),
            Some(Action::Filter)
        );
        assert_eq!(press(&map, '?'), Some(Action::Help));
    }

    /// Not YAML at all: one problem with the parser's line, the built-in keymap in force.
    #[test]
    fn a_file_that_is_not_yaml_is_set_aside_whole() {
        let (map, problems) = load("quit: [q\n");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].starts_with("cfg/keymap.yaml:2:1: "),
            "{problems:?}"
        );
        assert!(
            problems[0].ends_with("(using the built-in defaults for it)"),
            "{problems:?}"
        );
        assert_eq!(press(&map, 'q'), Some(Action::Quit));
        // Comments alone bind nothing, and say nothing.
        let (map, problems) = load("# quit: [Q]\n\n");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(press(&map, 'q'), Some(Action::Quit));
    }

    /// Unquoted digits are keys (`show_events: [1]`), and an action that is no key binding
    /// (`frame`, an internal one) is unknown.
    #[test]
    fn digits_are_keys_and_internal_actions_are_not_names() {
        let (map, problems) = load("show_events: [9]\nframe: [z]\n");
        assert_eq!(
            problems,
            [
                "cfg/keymap.yaml:2:1: unknown action 'frame'; see the help popup (?) for the names \
(line skipped; the file's other lines apply)"
            ]
        );
        assert_eq!(press(&map, '9'), Some(Action::ShowEvents));
        assert_eq!(press(&map, 'z'), None);
    }
}
