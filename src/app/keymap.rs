//! Key → [`Action`]: the built-in `src/app/keymap.yaml`, merged per action with the user's
//! `<config-dir>/keymap.yaml` (television's `merge_keybindings`; reading the user's file and
//! reporting each of its problems: `super::keymap_user`). Ctrl-C always quits, whatever the
//! user's file says: the emergency exit.

use std::path::Path;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::action::Action;
pub use super::keymap_user::KeymapError;

/// The built-in bindings.
const BUILTIN: &str = include_str!("keymap.yaml");

/// The emergency exit, as written: bound to `quit` whatever a keymap says.
pub const EMERGENCY_EXIT: &str = "ctrl-c";

/// One key with its modifiers, as written in the keymap file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    /// The key.
    pub code: KeyCode,
    /// Ctrl / Alt (Shift is part of the character).
    pub mods: KeyModifiers,
}

/// One action's keys, with the action's name as keymap files write it (`select_next`).
#[derive(Debug, Clone)]
pub struct Binding {
    /// The name in the keymap file.
    pub name: String,
    /// The action.
    pub action: Action,
    /// The keys as written and parsed.
    pub keys: Vec<(String, Key)>,
}

/// Action → keys, in the order of the built-in file.
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Vec<Binding>,
}

impl Keymap {
    /// The built-in bindings.
    pub fn builtin() -> Keymap {
        Keymap {
            bindings: builtin_bindings(),
        }
    }

    /// Built-in bindings merged with `<config_dir>/keymap.yaml` when it exists, with every
    /// problem of that file (an unreadable file: the built-in bindings for everything).
    pub fn load(config_dir: Option<&Path>) -> (Keymap, Vec<KeymapError>) {
        let Some(path) = config_dir.map(|d| d.join("keymap.yaml")) else {
            return (Keymap::builtin(), Vec::new());
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => Keymap::from_sources(Some((&path, &text))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (Keymap::builtin(), Vec::new()),
            Err(e) => {
                let err = KeymapError::whole_file(&path, 0, 0, format!("cannot read: {e}"));
                (Keymap::builtin(), vec![err])
            }
        }
    }

    /// Built-in bindings merged with a user file's text, and each problem of that text, in
    /// the file's order.
    pub fn from_sources(user: Option<(&Path, &str)>) -> (Keymap, Vec<KeymapError>) {
        let Some((path, text)) = user else {
            return (Keymap::builtin(), Vec::new());
        };
        let (bindings, problems) = super::keymap_user::merge(builtin_bindings(), path, text);
        (Keymap { bindings }, problems)
    }

    /// The action a key event triggers, if any.
    pub fn action_for(&self, ev: &KeyEvent) -> Option<Action> {
        if ev.kind == KeyEventKind::Release {
            return None;
        }
        let pressed = normalise(ev.code, ev.modifiers);
        if pressed == emergency_exit() {
            return Some(Action::Quit);
        }
        self.bindings
            .iter()
            .find(|b| b.keys.iter().any(|(_, k)| *k == pressed))
            .map(|b| b.action.clone())
    }

    /// Every binding: action and the keys as written, for the help popup.
    pub fn bindings(&self) -> impl Iterator<Item = (&Action, Vec<&str>)> {
        self.bindings
            .iter()
            .map(|b| (&b.action, b.keys.iter().map(|(s, _)| s.as_str()).collect()))
    }

    /// The first key of an action as written (`?`), for hints.
    pub fn key_of(&self, action: &Action) -> Option<&str> {
        self.bindings
            .iter()
            .find(|b| b.action == *action)
            .and_then(|b| b.keys.first())
            .map(|(s, _)| s.as_str())
    }
}

/// The parsed emergency exit (Ctrl-C).
pub fn emergency_exit() -> Key {
    Key {
        code: KeyCode::Char('c'),
        mods: KeyModifiers::CONTROL,
    }
}

/// Gives `quit` the emergency exit when a keymap left it out, and takes it from any other
/// action.
pub(super) fn keep_emergency_exit(bindings: &mut [Binding]) {
    let exit = emergency_exit();
    for b in bindings.iter_mut() {
        if b.action == Action::Quit {
            if !b.keys.iter().any(|(_, k)| *k == exit) {
                b.keys.push((EMERGENCY_EXIT.to_owned(), exit));
            }
        } else {
            b.keys.retain(|(_, k)| *k != exit);
        }
    }
}

/// The built-in file's bindings (tested to parse whole: an empty map is never shipped).
fn builtin_bindings() -> Vec<Binding> {
    parse_builtin(BUILTIN).unwrap_or_default()
}

/// Reads the built-in file, refusing any flaw (it is ours: a test keeps it whole).
fn parse_builtin(text: &str) -> Result<Vec<Binding>, String> {
    let raw: serde_yaml::Mapping = serde_yaml::from_str(text).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for (name, keys) in &raw {
        let name = name.as_str().ok_or("an action name is not text")?;
        let action: Action =
            serde_yaml::from_str(name).map_err(|_| format!("unknown action '{name}'"))?;
        let words: Vec<String> =
            serde_yaml::from_value(keys.clone()).map_err(|_| format!("'{name}': not a list"))?;
        let keys = words
            .into_iter()
            .map(|w| {
                parse_key(&w)
                    .map(|k| (w.clone(), k))
                    .ok_or(format!("key '{w}'"))
            })
            .collect::<Result<_, _>>()?;
        out.push(Binding {
            name: name.to_owned(),
            action,
            keys,
        });
    }
    keep_emergency_exit(&mut out);
    Ok(out)
}

/// Reads `j`, `G`, `ctrl-c`, `pagedown`, `f1`, `?`.
pub fn parse_key(s: &str) -> Option<Key> {
    let mut mods = KeyModifiers::NONE;
    let mut rest = s;
    loop {
        if let Some(r) = rest.strip_prefix("ctrl-") {
            mods |= KeyModifiers::CONTROL;
            rest = r;
        } else if let Some(r) = rest.strip_prefix("alt-") {
            mods |= KeyModifiers::ALT;
            rest = r;
        } else {
            break;
        }
    }
    let code = match rest {
        "enter" => KeyCode::Enter,
        "esc" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "backtab" => KeyCode::BackTab,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "pageup" => KeyCode::PageUp,
        "pagedown" => KeyCode::PageDown,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "space" => KeyCode::Char(' '),
        "backspace" => KeyCode::Backspace,
        "delete" => KeyCode::Delete,
        f if f.len() > 1 && f.starts_with('f') => KeyCode::F(f[1..].parse().ok()?),
        c => {
            let mut chars = c.chars();
            let ch = chars.next()?;
            if chars.next().is_some() {
                return None;
            }
            KeyCode::Char(ch)
        }
    };
    Some(normalise(code, mods))
}

/// Shift is part of a character (`G`), not a modifier of its own.
fn normalise(code: KeyCode, mods: KeyModifiers) -> Key {
    let mut mods = mods & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
    let code = match code {
        KeyCode::Char(c) => {
            mods.remove(KeyModifiers::SHIFT);
            if mods.contains(KeyModifiers::CONTROL) {
                KeyCode::Char(c.to_ascii_lowercase())
            } else {
                KeyCode::Char(c)
            }
        }
        KeyCode::BackTab => {
            mods.remove(KeyModifiers::SHIFT);
            KeyCode::BackTab
        }
        other => other,
    };
    Key { code, mods }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn builtin_parses_and_binds_every_action() {
        let parsed = parse_builtin(BUILTIN).expect("built-in keymap parses");
        assert!(parsed.len() >= 30);
        let map = Keymap::builtin();
        assert_eq!(
            map.action_for(&key(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some(Action::SelectLast)
        );
        assert_eq!(
            map.action_for(&key(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(Action::Quit)
        );
        assert_eq!(
            map.action_for(&key(KeyCode::BackTab, KeyModifiers::SHIFT)),
            Some(Action::PrevView)
        );
        assert_eq!(
            map.bindings().next().map(|(a, _)| a),
            Some(&Action::SelectNext)
        );
    }

    #[test]
    fn user_file_rebinds_only_what_it_names() {
        let (map, problems) = Keymap::from_sources(Some((Path::new("k.yaml"), "quit: [Q]\n")));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            map.action_for(&key(KeyCode::Char('q'), KeyModifiers::NONE)),
            None
        );
        assert_eq!(
            map.action_for(&key(KeyCode::Char('Q'), KeyModifiers::SHIFT)),
            Some(Action::Quit)
        );
        assert_eq!(
            map.action_for(&key(KeyCode::Char('j'), KeyModifiers::NONE)),
            Some(Action::SelectNext)
        );
    }

    #[test]
    fn bad_user_line_is_located_and_the_rest_applies() {
        let (map, problems) =
            Keymap::from_sources(Some((Path::new("k.yaml"), "quit: [Q]\nfly_away: [z]\n")));
        let [err] = problems.as_slice() else {
            panic!("one problem: {problems:?}")
        };
        assert_eq!(
            err.to_string(),
            "k.yaml:2:1: unknown action 'fly_away'; the action names: README section 'Keymap: \
the action names'"
        );
        assert_eq!(
            map.action_for(&key(KeyCode::Char('Q'), KeyModifiers::SHIFT)),
            Some(Action::Quit)
        );
        let (_, problems) = Keymap::from_sources(Some((Path::new("k.yaml"), "quit: [q\n")));
        assert!(problems.first().expect("yaml error").line >= 1);
        let (_, problems) = Keymap::from_sources(Some((Path::new("k.yaml"), "quit: [hyper-q]\n")));
        assert!(
            problems
                .first()
                .expect("key error")
                .message
                .contains("unknown key 'hyper-q'")
        );
    }

    /// The README lists every action name a keymap file may bind, with its built-in keys, as
    /// the message of an unknown one says (the help popup shows what the keys do, not these).
    #[test]
    fn the_readme_lists_every_action_name_with_its_keys() {
        let readme = include_str!("../../README.md");
        let Some((_, section)) = readme.split_once("### Keymap: the action names") else {
            panic!("README has no 'Keymap: the action names' section");
        };
        let section = section.split("\n#").next().unwrap_or_default();
        let mut listed = 0;
        for line in include_str!("keymap.yaml").lines() {
            let Some((name, keys)) = line.split_once(": [").filter(|_| !line.starts_with('#'))
            else {
                continue;
            };
            let keys: Vec<String> = keys
                .trim_end_matches(']')
                .split(", ")
                .map(|k| format!("`{}`", k.trim_matches('"')))
                .collect();
            let row = format!("| `{name}` | {} |", keys.join(", "));
            assert!(section.contains(&row), "README lacks {row}");
            listed += 1;
        }
        assert_eq!(
            section.matches("\n| `").count(),
            listed,
            "a row for a name no more"
        );
    }
}
