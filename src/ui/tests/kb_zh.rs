//! In 中文 mode (`L`) the knowledge-base panes' headings are Chinese, as their text is: the
//! body switched and `Root cause`, `Evidence`, `Workarounds` stayed English. Chinese text has
//! no spaces: it wraps between its characters, to the pane's width.

use ratatui::text::Line;

use super::{DEMO, OAUTH, app, screen, screen_text, theme, view};
use crate::app::{Action, App};
use crate::ui::diagnosis_pane::{self, diagnosis_lines, evidence_line};

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
    // What matched, too (the second review: `• text matched '…'` in English).
    assert!(en.contains("matched '"), "{en}");
    assert!(zh.contains("匹配'") && !zh.contains("matched'"), "{zh}");
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

/// The oauth log's first error in 中文: the pane's rows for its first diagnosis at `width`
/// columns inside the border.
fn zh_rows(width: u16) -> Vec<Line<'static>> {
    let mut a = app("oauth.log", OAUTH);
    a.update(Action::ToggleLanguage);
    let found = a.selected_diagnoses();
    let (f, d) = found
        .first()
        .expect("the oauth log's error has a diagnosis");
    assert_eq!(d.id, "auth/oauth-token-401");
    let th = theme();
    let mut lines = Vec::new();
    let evidence = vec![evidence_line(&a, f, &th)];
    diagnosis_lines(&mut lines, &mut Vec::new(), evidence, d, (true, width), &th);
    lines
}

// The review: the pane wrapped at spaces only, so a workaround's `1.` sat alone on its row
// above its Chinese text, and a wide character could stick out past the pane's edge.
#[test]
fn zh_text_wraps_between_characters_to_the_width() {
    // Odd, so a two-column character can land on the last column.
    let width = 39;
    let rows = zh_rows(width);
    // Doc links stay one line each (the pane wraps a url at its edge, `doc_links.rs`).
    for r in rows
        .iter()
        .filter(|r| !r.to_string().starts_with("https://"))
    {
        assert!(
            r.width() <= usize::from(width),
            "{} columns: {r}",
            r.width()
        );
    }
    let text: Vec<String> = rows.iter().map(|r| r.to_string()).collect();
    let numbered: Vec<&String> = text
        .iter()
        .filter(|t| t.starts_with(|c: char| c.is_ascii_digit()) && t[1..].starts_with(". "))
        .collect();
    assert_eq!(numbered.len(), 3, "{text:#?}");
    for n in &numbered {
        assert!(n.trim_end().len() > "1. ".len(), "{n:?} in {text:#?}");
    }
    // The first two have Chinese text (the third is English only): it starts beside the number.
    for n in &numbered[..2] {
        assert!(
            n.chars().filter(|c| !c.is_ascii()).count() >= 8,
            "{n:?} in {text:#?}"
        );
    }
    assert!(
        numbered[0].contains("在运行构建客户端的机器上"),
        "{text:#?}"
    );
    // Nothing is lost in the cutting: the root cause reads whole, its rows joined.
    let cause = "镜像仓库返回 Bearer 认证质询，BuildKit 为该主机找到了凭据";
    let joined: String = text.concat();
    assert!(
        joined.replace(' ', "").contains(&cause.replace(' ', "")),
        "{joined}"
    );
    // The root cause's rows fill the pane: a row the next one's first character would have fit
    // on (with the `，` or `。` that may not start a row after it) ends early.
    let from = text
        .iter()
        .position(|t| t == "根本原因")
        .expect("its heading");
    let to = text
        .iter()
        .position(|t| t == "依据")
        .expect("the next heading");
    assert!(to - from > 5, "{text:#?}");
    for pair in text[from + 1..to].windows(2) {
        let mut next = pair[1].chars();
        let Some(c) = next.next().filter(|c| c.is_alphabetic() && !c.is_ascii()) else {
            continue;
        };
        let need = match next.next() {
            Some(p @ ('，' | '。' | '、' | '；' | '：' | '）')) => {
                2 + crate::app::wrap::width(&p.to_string())
            }
            _ => 2,
        };
        let w = crate::app::wrap::width(pair[0].trim_end());
        assert!(w + need > usize::from(width), "{c} fits after {pair:?}");
    }
}

#[test]
fn kb_pane_in_chinese_workarounds_at_44_columns() {
    let mut a = app("oauth.log", OAUTH);
    a.update(Action::ToggleLanguage);
    // Scrolled to the workarounds: the pane's rows are the lines, none wraps again.
    let at = zh_rows(43)
        .iter()
        .position(|l| l.to_string() == "解决方法")
        .expect("the workarounds heading");
    a.scrolls.kb = u16::try_from(at).expect("a short pane");
    let t = view(&a, 44, 24, diagnosis_pane::render);
    insta::with_settings!({snapshot_path => "../snapshots"}, {
        insta::assert_snapshot!("kb_pane_in_chinese_workarounds_44", t.backend());
    });
}
