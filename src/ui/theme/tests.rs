//! Theme loading: every built-in file parses, user overrides and bad files.

use super::*;

#[test]
fn every_file_in_themes_is_builtin_and_parses() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| {
            e.unwrap()
                .path()
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    on_disk.sort();
    let mut builtin: Vec<String> = BUILTIN.iter().map(|(n, _)| (*n).to_owned()).collect();
    builtin.sort();
    assert_eq!(on_disk, builtin);
    for (name, _) in BUILTIN {
        let t = Theme::load(Some(name), None).unwrap();
        assert_ne!(t.error, Style::default(), "{name}");
    }
}

#[test]
fn unknown_names_list_the_themes() {
    let e = Theme::load(Some("neon"), None).unwrap_err();
    assert_eq!(
        e.to_string(),
        "unknown theme 'neon'; themes: dark, light, high-contrast"
    );
}

fn bad(name: &str) -> String {
    let p = format!(
        "{}/tests/fixtures/bad_theme/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let (theme, err) = Theme::load_or_default(Some(&p), None);
    assert_eq!(theme, Theme::builtin_default(), "falls back to the default");
    err.unwrap()
        .to_string()
        .replace(env!("CARGO_MANIFEST_DIR"), "<repo>")
}

#[test]
fn bad_colour_names_file_line_and_column() {
    assert_eq!(
        bad("bad_colour.yaml"),
        "<repo>/tests/fixtures/bad_theme/bad_colour.yaml:4:10: styles.error: unknown colour \
'blood-orange' (a name like red or light-blue, #rrggbb, or 0-255) at line 4 column 10"
    );
}

#[test]
fn unknown_style_names_file_line() {
    let msg = bad("unknown_style.yaml");
    assert!(
        msg.starts_with("<repo>/tests/fixtures/bad_theme/unknown_style.yaml:3:3: styles: unknown field `eror`, expected one of `text`"),
        "{msg}"
    );
}

#[test]
fn broken_yaml_names_file_line() {
    let msg = bad("broken_yaml.yaml");
    assert!(
        msg.starts_with("<repo>/tests/fixtures/bad_theme/broken_yaml.yaml:"),
        "{msg}"
    );
    assert!(msg.contains("line"), "{msg}");
}

#[test]
fn incomplete_theme_without_base_is_refused() {
    let msg = bad("incomplete.yaml");
    assert!(
        msg.starts_with("<repo>/tests/fixtures/bad_theme/incomplete.yaml:1:1: a theme without 'base:' must set every style; missing: text, dim,"),
        "{msg}"
    );
}

#[test]
fn user_theme_overrides_its_base() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("themes")).unwrap();
    std::fs::write(
        dir.path().join("themes/mine.yaml"),
        "base: light\nstyles:\n  error: { fg: magenta, bold: true }\n",
    )
    .unwrap();
    let t = Theme::load(Some("mine"), Some(dir.path())).unwrap();
    let light = Theme::load(Some("light"), None).unwrap();
    assert_eq!(t.error.fg, Some(Color::Magenta));
    assert_eq!(t.text, light.text);
}

/// `filter_mark` came after user themes were written: a complete theme without `base:` that
/// lacks it still loads (it was refused as incomplete), and draws the mark as before, in its
/// search match style; one that sets it gets its own. The built-in themes each set their own.
#[test]
fn a_theme_without_base_written_before_filter_mark_still_loads() {
    let dark = include_str!("../../../themes/dark.yaml");
    let older: String = dark
        .lines()
        .filter(|l| !l.trim_start().starts_with("filter_mark:"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(older, dark, "dark.yaml sets filter_mark");
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("themes")).unwrap();
    std::fs::write(dir.path().join("themes/older.yaml"), &older).unwrap();
    let t = Theme::load(Some("older"), Some(dir.path())).unwrap();
    assert_eq!(t.filter_mark, t.search_match);
    std::fs::write(
        dir.path().join("themes/newer.yaml"),
        format!("{older}  filter_mark: {{ fg: green }}\n"),
    )
    .unwrap();
    let t = Theme::load(Some("newer"), Some(dir.path())).unwrap();
    assert_eq!(t.filter_mark.fg, Some(Color::Green));
    for (name, _) in BUILTIN {
        let t = Theme::load(Some(name), None).unwrap();
        assert_ne!(t.filter_mark, t.search_match, "{name}");
        assert_ne!(t.filter_mark, Style::default(), "{name}");
    }
}

/// `<config>/themes/dark.yaml` with `base: dark` tweaks the built-in dark theme (it was refused
/// as its own base); two user themes naming each other are still a loop.
#[test]
fn a_user_theme_named_like_a_builtin_may_base_on_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("themes")).unwrap();
    std::fs::write(
        dir.path().join("themes/dark.yaml"),
        "base: dark\nstyles:\n  error: { fg: magenta }\n",
    )
    .unwrap();
    let t = Theme::load(Some("dark"), Some(dir.path())).unwrap();
    let builtin = Theme::load(Some("dark"), None).unwrap();
    assert_eq!(t.error.fg, Some(Color::Magenta));
    assert_ne!(builtin.error.fg, Some(Color::Magenta));
    assert_eq!(t.text, builtin.text);
    // The default theme (no --theme) is the tweaked one.
    assert_eq!(Theme::load(None, Some(dir.path())).unwrap(), t);

    std::fs::write(dir.path().join("themes/a.yaml"), "base: b\n").unwrap();
    std::fs::write(dir.path().join("themes/b.yaml"), "base: a\n").unwrap();
    let err = Theme::load(Some("a"), Some(dir.path())).unwrap_err();
    assert!(err.to_string().contains("'base' chain too deep"), "{err}");
    let own = dir.path().join("themes/own.yaml");
    std::fs::write(&own, "base: ./own.yaml\n").unwrap();
    let err = Theme::load(own.to_str(), None).unwrap_err();
    assert!(err.to_string().contains("'base' chain too deep"), "{err}");
}

// See: issue 7, "a malformed … theme … gives a message with the file and line, and bkscope
// carries on with the defaults"; found by the theme_loader fuzz target (docs/reliability.md).
#[test]
fn issue_7_unknown_base_names_the_user_file_and_line() {
    assert_eq!(
        bad("unknown_base.yaml"),
        "<repo>/tests/fixtures/bad_theme/unknown_base.yaml:2:7: base 'darkG': unknown theme \
'darkG'; themes: dark, light, high-contrast"
    );
}

#[test]
fn issue_7_missing_base_path_names_the_user_file_and_is_read_beside_it() {
    let msg = bad("missing_base_path.yaml");
    assert!(
        msg.starts_with(
            "<repo>/tests/fixtures/bad_theme/missing_base_path.yaml:3:7: base \
'../no-such-dir/base.yaml': cannot read theme '<repo>/tests/fixtures/bad_theme/../no-such-dir/base.yaml': "
        ),
        "{msg}"
    );
}

#[test]
fn issue_7_unknown_base_in_the_config_dir_names_it_and_the_default_is_used() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("themes")).unwrap();
    let file = dir.path().join("themes/mine.yaml");
    std::fs::write(&file, "styles:\n  error: { fg: magenta }\nbase:   neon\n").unwrap();
    let (theme, err) = Theme::load_or_default(Some("mine"), Some(dir.path()));
    assert_eq!(theme, Theme::builtin_default());
    assert_eq!(
        err.unwrap().to_string(),
        format!(
            "{}:3:9: base 'neon': unknown theme 'neon'; themes: dark, light, high-contrast",
            file.display()
        )
    );
}

#[test]
fn a_relative_base_path_is_read_beside_the_file_that_names_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("themes")).unwrap();
    std::fs::write(
        dir.path().join("themes/parent.yaml"),
        "base: light\nstyles:\n  ok: { fg: cyan }\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("themes/mine.yaml"),
        "base: ./parent.yaml\nstyles:\n  error: { fg: magenta }\n",
    )
    .unwrap();
    let t = Theme::load(Some("mine"), Some(dir.path())).unwrap();
    assert_eq!(t.ok.fg, Some(Color::Cyan));
    assert_eq!(t.error.fg, Some(Color::Magenta));
}
