//! In 中文 mode (`L`) the knowledge-base panes' headings are Chinese, as their text is: the
//! body switched and `Root cause`, `Evidence`, `Workarounds` stayed English.

use super::{DEMO, OAUTH, app, screen, screen_text};
use crate::app::{Action, App};

/// The screen's text.
fn shown(a: &mut App) -> String {
    screen_text(&screen(a, 140, 50)).join("\n")
}

/// The screen's text with its blanks taken out: a wide character's second cell is one.
fn shown_zh(a: &mut App) -> String {
    shown(a).replace(' ', "")
}

#[test]
fn l_turns_the_kb_panes_headings_chinese_and_back() {
    let mut a = app("oauth.log", OAUTH);
    a.update(Action::NextError);
    assert!(a.show_kb, "the pane opens on the diagnosis");
    let en = shown(&mut a);
    assert!(en.contains("Root cause") && en.contains("Evidence"), "{en}");
    a.update(Action::ToggleLanguage);
    let zh = shown_zh(&mut a);
    for heading in ["根本原因", "依据", "解决方法"] {
        assert!(zh.contains(heading), "{heading}: {zh}");
    }
    for heading in ["Rootcause", "Evidence", "Workarounds"] {
        assert!(!zh.contains(heading), "{heading}: {zh}");
    }
    // The pane's title too (the review: it still said `Knowledge base`).
    assert!(
        zh.contains("知识库") && !zh.contains("Knowledgebase"),
        "{zh}"
    );
    a.update(Action::ToggleLanguage);
    let en = shown(&mut a);
    assert!(
        en.contains("Root cause") && en.contains(" Knowledge base "),
        "{en}"
    );
}

// The review: `L` with the pane closed changed nothing on screen and said nothing.
#[test]
fn l_says_the_language_in_the_status_bar() {
    let mut a = app("oauth.log", OAUTH);
    a.show_kb = false;
    a.update(Action::ToggleLanguage);
    assert_eq!(a.status_message().as_deref(), Some("kb language: 中文"));
    let bottom = screen_text(&screen(&mut a, 100, 20))
        .pop()
        .unwrap_or_default();
    assert!(
        bottom.replace(' ', "").starts_with("kblanguage:中文"),
        "{bottom:?}"
    );
    a.update(Action::ToggleLanguage);
    assert_eq!(a.status_message().as_deref(), Some("kb language: English"));
}

// The Mirrors view's pane (the selected host's) says them the same way.
#[test]
fn the_host_pane_headings_follow_the_language_too() {
    let mut a = app("demo.log", DEMO);
    a.update(Action::ShowMirrors);
    a.update(Action::NextError);
    if !a.show_kb {
        a.update(Action::ToggleDiagnosis);
    }
    a.update(Action::ToggleLanguage);
    let zh = shown_zh(&mut a);
    assert!(zh.contains("根本原因"), "{zh}");
    assert!(!zh.contains("Rootcause"), "{zh}");
}
