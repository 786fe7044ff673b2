//! Broken user files stay named on screen while bkscope runs on the built-in defaults.

use super::{DEMO, app, screen};
use crate::app::Action;

// See: issue 7, "a malformed … theme, keymap … gives a message with the file and line": the
// message stays on screen (the landing message once replaced it in the status bar).
#[test]
fn issue_7_a_broken_user_file_stays_named_above_the_status_bar() {
    let mut a = app("demo.log", DEMO);
    a.problems = vec![
        "cfg/themes/mine.yaml:2:7: base 'darkG': unknown theme 'darkG' (using the built-in \
defaults for it)"
            .into(),
        "cfg/keymap.yaml:2:1: unknown action 'fly_away'; the action names: README section \
'Keymap: the action names' (line skipped; the file's other lines apply)"
            .into(),
    ];
    // The count first, so a narrow bar cuts the message (with `…`), never the count (the
    // third review: `; 2 more on stderr` came last and was lost below 260 columns).
    let problem = "⚠ 1 of 2, all on stderr: cfg/themes/mine.yaml:2:7: base 'darkG': unknown \
theme 'darkG' (using the built-in defaults for";
    let t = screen(&mut a, 120, 40);
    let buf = t.backend().buffer();
    let row = |y: u16| -> String { (0..120).map(|x| buf[(x, y)].symbol()).collect() };
    assert!(row(38).starts_with(problem), "{}", row(38));
    assert!(
        row(39).contains("opened on the first auth failure"),
        "{}",
        row(39)
    );
    // A key: the landing message has been read and the key hints come back; the problem
    // stays named.
    a.update(Action::SelectNext);
    let t = screen(&mut a, 120, 40);
    let buf = t.backend().buffer();
    let row = |y: u16| -> String { (0..120).map(|x| buf[(x, y)].symbol()).collect() };
    assert!(row(38).starts_with(problem), "{}", row(38));
    assert!(row(39).starts_with(" ? help  / search"), "{}", row(39));
    // At 80 columns: the count stays, the message is cut with `…` at the edge.
    let t = screen(&mut a, 80, 24);
    let buf = t.backend().buffer();
    let row: String = (0..80).map(|x| buf[(x, 22)].symbol()).collect();
    assert!(
        row.starts_with("⚠ 1 of 2, all on stderr: cfg/themes/"),
        "{row}"
    );
    assert!(row.trim_end().ends_with('…'), "{row}");
    // A review: the line stayed the whole session. Esc with nothing else to step back from
    // hides it (after the kb pane, the detail pane, …), and says stderr has it.
    for _ in 0..6 {
        if a.problems_hidden {
            break;
        }
        a.update(Action::Back);
    }
    assert!(a.problems_hidden);
    assert!(
        a.status_message()
            .is_some_and(|m| m.contains("broken-file warning hidden")),
        "{:?}",
        a.status_message()
    );
    let t = screen(&mut a, 120, 40);
    let buf = t.backend().buffer();
    let all: String = (0..40)
        .map(|y| (0..120).map(|x| buf[(x, y)].symbol()).collect::<String>())
        .collect();
    assert!(!all.contains("all on stderr"), "{all}");
}

/// A kb problem reads as stderr reads it (`cli::problems::kb_line`): what the loader does
/// about it, not "(using the default)" added to every problem (a FIFO is skipped, not opened;
/// a duplicate id keeps the first entry).
#[test]
fn a_kb_problem_says_what_the_loader_does() {
    let mut a = app("demo.log", DEMO);
    let fifo = crate::kb::KbError::NotAFile {
        path: "cfg/kb/fifo.yaml".into(),
    };
    a.problems = vec![crate::cli::problems::kb_line(&fifo)];
    let t = screen(&mut a, 120, 40);
    let buf = t.backend().buffer();
    let row: String = (0..120).map(|x| buf[(x, 38)].symbol()).collect();
    assert!(
        row.starts_with("⚠ 'cfg/kb/fifo.yaml' is not a regular file (skipped, not opened) "),
        "{row}"
    );
    assert!(!row.contains("using the default"), "{row}");
}
