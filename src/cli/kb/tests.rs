//! `kb list|show|check` as the user reads them.

use super::*;

fn text(f: impl FnOnce(&mut Vec<u8>)) -> String {
    let mut out = Vec::new();
    f(&mut out);
    String::from_utf8(out).unwrap()
}

#[test]
fn list_names_every_entry() {
    let kb = KnowledgeBase::builtin();
    let out = text(|o| list(&kb, false, o).unwrap());
    assert!(out.starts_with("ID "));
    for e in kb.entries() {
        assert!(out.contains(&e.id), "{}", e.id);
    }
    assert!(out.trim_end().ends_with(&format!(
        "{} entries; bkscope kb show ID for one",
        kb.entries().len()
    )));
}

#[test]
fn show_lists_a_measured_workaround_first_as_the_pane_does() {
    // The built-in entries leave rates unmeasured: the entry's own order, best first.
    let builtin = KnowledgeBase::builtin();
    let plain = text(|o| show(&builtin, "auth/oauth-token-401", false, o).unwrap());
    assert!(
        plain.contains("  1. Replace the stored credentials"),
        "{plain}"
    );
    assert!(plain.contains("  2. If the image is public"), "{plain}");
    // A user's copy that measured its second workaround at 90 % lists it first.
    let mut entry = builtin.get("auth/oauth-token-401").unwrap().clone();
    entry.workarounds[1].success_rate = Some(90);
    let kb = KnowledgeBase::from_entries(vec![("oauth.yaml".into(), entry)]).unwrap();
    let ranked = text(|o| show(&kb, "auth/oauth-token-401", false, o).unwrap());
    assert!(
        ranked.contains("Workarounds (best first)\n  1. If the image is public"),
        "{ranked}"
    );
    assert!(ranked.contains("(90%)"), "{ranked}");
    assert!(
        ranked.contains("  2. Replace the stored credentials"),
        "{ranked}"
    );
}

#[test]
fn show_prints_the_whole_entry_in_english_or_chinese() {
    let kb = KnowledgeBase::builtin();
    let out = text(|o| show(&kb, "auth/oauth-token-401", false, o).unwrap());
    for want in [
        "auth/oauth-token-401  The registry's token endpoint refused",
        "confidence: 85%   fix rate: not measured",
        "aliases: cicd/docker-buildkit-ssh-auth-fail",
        "file: kb/entries/auth/oauth-token-401.yaml",
        "Matches when\n  1. text ~ /failed to fetch oauth token/ and kind in oauth-token",
        "Root cause\n  The registry answered with a Bearer challenge",
        "Workarounds (best first)\n  1. Replace the stored credentials",
        "       $ docker logout ghcr.io",
        "Dead ends\n  - Passing the token as a build secret",
        "Evidence\n  - tests/fixtures/dockerd-20.10/oauth_token_401.log",
    ] {
        assert!(out.contains(want), "missing {want:?} in\n{out}");
    }
    assert!(
        out.lines()
            .all(|l| l.chars().count() <= WIDTH || l.contains("://") || l.contains('$')),
        "{out}"
    );
    // The seed's id reaches the same entry.
    let seed = text(|o| show(&kb, "cicd/docker-buildkit-ssh-auth-fail", false, o).unwrap());
    assert_eq!(seed, out);
    let zh = text(|o| show(&kb, "auth/oauth-token-401", true, o).unwrap());
    assert!(
        zh.contains("根本原因\n  镜像仓库返回 Bearer 认证质询"),
        "{zh}"
    );
    assert!(zh.contains("解决方法（按推荐顺序）"));
    assert!(
        zh.lines()
            .all(|l| width(l) <= WIDTH + 1 || l.contains('$') || l.contains("://")),
        "{zh}"
    );
}

#[test]
fn show_of_an_unknown_id_names_the_near_ones() {
    let kb = KnowledgeBase::builtin();
    let err = show(&kb, "oauth-401", false, &mut Vec::new()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "no kb entry 'oauth-401'; did you mean 'auth/oauth-token-401'? ('bkscope kb list' shows the ids)"
    );
    let err = show(&kb, "zzz", false, &mut Vec::new()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "no kb entry 'zzz'; 'bkscope kb list' shows the ids"
    );
}

#[test]
fn check_reports_each_bad_file_with_its_line_and_fails() {
    let out = text(|o| assert!(check(None, o).unwrap()));
    assert!(out.starts_with("ok: "), "{out}");
    assert!(out.contains("entries in the built-in knowledge base"));
    let good = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("kb/entries");
    let out = text(|o| assert!(check(Some(&good), o).unwrap()));
    assert!(out.starts_with("ok: "), "{out}");
    let bad = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad_kb");
    let out = text(|o| assert!(!check(Some(&bad), o).unwrap()));
    assert!(
        out.contains("bad_kb/bad_regex.yaml:7:5: signatures[1]: bad regex 'failed to (fetch|pull': unclosed group"),
        "{out}"
    );
    assert!(out.contains("8 problem(s) in '"), "{out}");
    let missing = bad.join("no-such-dir");
    let out = text(|o| assert!(check(Some(&missing), o).unwrap()));
    assert!(out.starts_with("no directory '"), "{out}");
    assert!(out.contains("ok: "), "{out}");
}

#[test]
fn wrap_keeps_words_and_splits_cjk() {
    let mut out = Vec::new();
    let long = "word ".repeat(40);
    wrap(&mut out, long.trim(), "  ", "  ").unwrap();
    let s = String::from_utf8(out).unwrap();
    assert!(s.lines().all(|l| l.len() <= WIDTH && !l.ends_with(' ')));
    assert!(s.lines().count() >= 2);
    assert_eq!(split_words("a 中文"), ["a", " ", "中", "文"]);
    assert_eq!(split_words("令牌； 报错"), ["令", "牌", "；", "报", "错"]);
}

/// A user's kb file comes from anywhere: `kb show` writes its text inert, as log text, so an
/// escape in it cannot drive the terminal; the built-in text is unchanged by that.
#[test]
fn show_writes_a_user_entry_inert() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("kb")).unwrap();
    let builtin = include_str!("../../../kb/entries/auth/basic-auth-401.yaml");
    // YAML takes no raw control character, but a double-quoted "\e" is one.
    let at = builtin.find("root_cause:\n").unwrap();
    let zh = at + builtin[at..].find("\n  zh:").unwrap();
    let hostile = format!(
        "{}root_cause:\n  en: \"Title \\e]0;owned\\a set.\"{}",
        &builtin[..at],
        &builtin[zh..]
    );
    assert_ne!(hostile, builtin);
    std::fs::write(dir.path().join("kb/mine.yaml"), hostile).unwrap();
    let (kb, problems) = KnowledgeBase::load(Some(dir.path()));
    assert!(problems.is_empty(), "{problems:?}");
    let out = text(|o| show(&kb, "auth/basic-auth-401", false, o).unwrap());
    assert!(out.contains("Title \\x1b]0;owned\\x07 set."), "{out}");
    assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'));
    let plain =
        text(|o| show(&KnowledgeBase::builtin(), "auth/oauth-token-401", false, o).unwrap());
    assert!(plain.contains("       $ docker logout ghcr.io"));
}
