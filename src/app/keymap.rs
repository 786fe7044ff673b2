//! Key → [`Action`]: the built-in `src/app/keymap.yaml`, merged per action with the user's
//! `<config-dir>/keymap.yaml` (television's `merge_keybindings`).

use std::path::{Path, PathBuf};

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::action::Action;

/// The built-in bindings.
const BUILTIN: &str = include_str!("keymap.yaml");

/// One key with its modifiers, as written in the keymap file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    /// The key.
    pub code: KeyCode,
    /// Ctrl / Alt (Shift is part of the character).
    pub mods: KeyModifiers,
}

/// A problem in a keymap file, with where it is.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}:{line}:{column}: {message}", path.display())]
pub struct KeymapError {
    /// The file.
    pub path: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong and what to do.
    pub message: String,
}

/// Action → keys as written and parsed.
type Bindings = Vec<(Action, Vec<(String, Key)>)>;

/// Action → keys, in the order of the built-in file.
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Bindings,
}

impl Keymap {
    /// The built-in bindings.
    pub fn builtin() -> Keymap {
        let (map, _) = Keymap::from_sources(None);
        map
    }

    /// Built-in bindings merged with `<config_dir>/keymap.yaml` when it exists. A broken user
    /// file is reported and the built-in bindings are used for everything.
    pub fn load(config_dir: Option<&Path>) -> (Keymap, Option<KeymapError>) {
        let Some(path) = config_dir.map(|d| d.join("keymap.yaml")) else {
            return Keymap::from_sources(None);
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => Keymap::from_sources(Some((&path, &text))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Keymap::from_sources(None),
            Err(e) => {
                let (map, _) = Keymap::from_sources(None);
                let err = KeymapError {
                    path,
                    line: 0,
                    column: 0,
                    message: format!("cannot read: {e}"),
                };
                (map, Some(err))
            }
        }
    }

    /// Built-in bindings merged with a user file's text.
    pub fn from_sources(user: Option<(&Path, &str)>) -> (Keymap, Option<KeymapError>) {
        // The built-in file is tested to parse; an empty map is never shipped.
        let base = parse(Path::new("src/app/keymap.yaml"), BUILTIN).unwrap_or_default();
        let Some((path, text)) = user else {
            return (Keymap { bindings: base }, None);
        };
        match parse(path, text) {
            Ok(user) => {
                let mut bindings = base;
                for (action, keys) in user {
                    // A key the user moved elsewhere no longer triggers its old action.
                    for (_, old) in bindings.iter_mut() {
                        old.retain(|(_, k)| !keys.iter().any(|(_, n)| n == k));
                    }
                    match bindings.iter_mut().find(|(a, _)| *a == action) {
                        Some((_, slot)) => *slot = keys,
                        None => bindings.push((action, keys)),
                    }
                }
                (Keymap { bindings }, None)
            }
            Err(e) => (Keymap { bindings: base }, Some(e)),
        }
    }

    /// The action a key event triggers, if any.
    pub fn action_for(&self, ev: &KeyEvent) -> Option<Action> {
        if ev.kind == KeyEventKind::Release {
            return None;
        }
        let pressed = normalise(ev.code, ev.modifiers);
        self.bindings
            .iter()
            .find(|(_, keys)| keys.iter().any(|(_, k)| *k == pressed))
            .map(|(a, _)| a.clone())
    }

    /// Every binding: action and the keys as written, for the help popup.
    pub fn bindings(&self) -> impl Iterator<Item = (&Action, Vec<&str>)> {
        self.bindings
            .iter()
            .map(|(a, keys)| (a, keys.iter().map(|(s, _)| s.as_str()).collect()))
    }

    /// The first key of an action as written (`?`), for hints.
    pub fn key_of(&self, action: &Action) -> Option<&str> {
        self.bindings
            .iter()
            .find(|(a, _)| a == action)
            .and_then(|(_, k)| k.first())
            .map(|(s, _)| s.as_str())
    }
}

fn parse(path: &Path, text: &str) -> Result<Bindings, KeymapError> {
    let raw: serde_yaml::Mapping = serde_yaml::from_str(text).map_err(|e| {
        let loc = e.location();
        KeymapError {
            path: path.to_owned(),
            line: loc.as_ref().map_or(0, |l| l.line()),
            column: loc.as_ref().map_or(0, |l| l.column()),
            message: format!("{e}; write one 'action: [keys]' per line, e.g. 'quit: [q]'"),
        }
    })?;
    let at = |name: &str, message: String| KeymapError {
        path: path.to_owned(),
        line: text
            .lines()
            .position(|l| l.trim_start().starts_with(name))
            .map_or(0, |i| i + 1),
        column: 1,
        message,
    };
    let mut out = Vec::new();
    for (name, keys) in &raw {
        let name = name.as_str().unwrap_or_default();
        let action: Action = serde_yaml::from_str(name).map_err(|_| {
            at(
                name,
                format!("unknown action '{name}'; see the help popup (?) for the names"),
            )
        })?;
        let keys: Vec<String> = serde_yaml::from_value(keys.clone()).map_err(|_| {
            at(
                name,
                format!("'{name}' needs a list of keys, e.g. [j, down]"),
            )
        })?;
        let mut parsed = Vec::new();
        for k in keys {
            let key = parse_key(&k).ok_or_else(|| {
                at(
                    name,
                    format!("unknown key '{k}' for '{name}' (e.g. j, G, ctrl-c, pagedown, f1)"),
                )
            })?;
            parsed.push((k, key));
        }
        out.push((action, parsed));
    }
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
        let parsed = parse(Path::new("keymap.yaml"), BUILTIN).expect("built-in keymap parses");
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
        let (map, err) = Keymap::from_sources(Some((Path::new("k.yaml"), "quit: [Q]\n")));
        assert!(err.is_none());
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
    fn bad_user_file_is_located_and_ignored() {
        let (map, err) =
            Keymap::from_sources(Some((Path::new("k.yaml"), "quit: [q]\nfly_away: [z]\n")));
        let err = err.expect("an error");
        assert_eq!(
            err.to_string(),
            "k.yaml:2:1: unknown action 'fly_away'; see the help popup (?) for the names"
        );
        assert_eq!(
            map.action_for(&key(KeyCode::Char('q'), KeyModifiers::NONE)),
            Some(Action::Quit)
        );
        let (_, err) = Keymap::from_sources(Some((Path::new("k.yaml"), "quit: [q\n")));
        assert!(err.expect("yaml error").line >= 1);
        let (_, err) = Keymap::from_sources(Some((Path::new("k.yaml"), "quit: [hyper-q]\n")));
        assert!(
            err.expect("key error")
                .message
                .contains("unknown key 'hyper-q'")
        );
    }
}
