//! The user's keymap file: every problem reported with its line, the rest applied.

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
            "cfg/keymap.yaml:1:1: unknown action 'next_eror' (did you mean 'next_error'?); the \
action names: README section 'Keymap: the action names' (line skipped; the file's other lines \
apply)",
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
            "cfg/keymap.yaml:2:1: unknown action 'frame'; the action names: README section \
'Keymap: the action names' (line skipped; the file's other lines apply)"
        ]
    );
    assert_eq!(press(&map, '9'), Some(Action::ShowEvents));
    assert_eq!(press(&map, 'z'), None);
}

// The review: the message sent the user to the help popup, which shows what keys do, not
// the action names, and named a near action only one or two typos away. It names the
// closest where the name holds or shares a word with one, and where the list is.
#[test]
fn an_unknown_action_names_the_closest_and_where_the_names_are() {
    let names: Vec<String> = include_str!("../keymap.yaml")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once(':').map(|(n, _)| n.to_owned()))
        .collect();
    assert_eq!(names.len(), 37);
    for (typed, meant) in [
        ("next_eror", Some("next_error")),
        ("NextError", Some("next_error")),
        ("next-error", Some("next_error")),
        ("error", Some("next_error")),
        ("follow", Some("toggle_follow")),
        ("toggle_diagnosis_pane", Some("toggle_diagnosis")),
        ("kb", None),
        ("frame", None),
        ("fly_away", None),
    ] {
        assert_eq!(closest(typed, &names), meant, "{typed}");
    }
    let (_, problems) = load("follow: [F]\n");
    assert_eq!(
        problems,
        [
            "cfg/keymap.yaml:1:1: unknown action 'follow' (did you mean 'toggle_follow'?); the \
action names: README section 'Keymap: the action names' (line skipped; the file's other lines \
apply)"
        ]
    );
}
