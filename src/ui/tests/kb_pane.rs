//! The knowledge-base pane: a diagnosis, the real oauth-401 entry, a multi-line command, the
//! Chinese text, and what it says without a match.

use super::*;

#[test]
fn kb_pane_with_diagnosis() {
    let _snapshots = shared_snapshots();
    let a = with_diagnosis(app("oauth_token_401.log", OAUTH));
    insta::assert_snapshot!(view(&a, 100, 16, diagnosis_pane::render).backend());
}

#[test]
fn kb_pane_real_entry_for_oauth_401() {
    let _snapshots = shared_snapshots();
    let mut a = app("oauth_token_401.log", OAUTH);
    a.update(Action::SelectFirst);
    a.update(Action::NextError);
    assert!(a.show_kb, "the pane opens on an error row with a match");
    assert!(!a.selected_diagnoses().is_empty());
    insta::assert_snapshot!(view(&a, 100, 40, diagnosis_pane::render).backend());
}

#[test]
fn kb_pane_multi_line_command_for_unknown_ca() {
    let _snapshots = shared_snapshots();
    let mut a = app(
        "unknown_ca.log",
        include_str!("../../../tests/fixtures/dockerd-20.10/unknown_ca.log"),
    );
    a.update(Action::SelectFirst);
    a.update(Action::NextError);
    assert!(a.show_kb, "the pane opens on the x509 error");
    let t = view(&a, 100, 50, diagnosis_pane::render);
    let shown: Vec<String> = (0..50)
        .map(|y| {
            (0..100)
                .map(|x| t.backend().buffer()[(x, y)].symbol())
                .collect()
        })
        .collect();
    // The buildkitd.toml snippet is three screen lines, not one line with `\x0a` in it.
    assert!(shown.iter().all(|l| !l.contains("\\x0a")), "{shown:#?}");
    let at = shown
        .iter()
        .position(|l| l.contains("$ # buildkitd.toml"))
        .expect("the snippet's first line");
    assert!(shown[at + 1].contains("       [registry.\"myregistry.example:5000\"]"));
    assert!(shown[at + 2].contains("         ca = [\"/etc/certs/myregistry-ca.pem\"]"));
    insta::assert_snapshot!(t.backend());
}

#[test]
fn kb_pane_in_chinese() {
    let _snapshots = shared_snapshots();
    let mut a = app("oauth_token_401.log", OAUTH);
    a.update(Action::ToggleLanguage);
    insta::assert_snapshot!(view(&a, 100, 16, diagnosis_pane::render).backend());
}

#[test]
fn kb_pane_without_a_match() {
    let _snapshots = shared_snapshots();
    // The same log read with an empty knowledge base.
    let mut a = App::new(
        crate::app::AppOptions::default(),
        crate::kb::KnowledgeBase::from_entries(Vec::new()).unwrap(),
        crate::app::keymap::Keymap::builtin(),
    );
    let lines: Vec<crate::source::Line> = crate::test_support::numbered_lines(OAUTH.lines(), 1);
    a.ingest(&lines);
    a.update(Action::SelectFirst);
    a.update(Action::NextError);
    insta::assert_snapshot!(view(&a, 100, 16, diagnosis_pane::render).backend());
}
