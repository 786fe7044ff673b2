//! A broken `--config` file (buildkitd.toml or daemon.json) stops `summary` with exit 2 and one
//! line naming the file, the line and column, and what is wrong: one file each in
//! `tests/fixtures/bad_config/`, like bottom's `tests/invalid_configs/`. Why exit 2 instead of
//! carrying on without mirrors: docs/reliability.md, "Bad configuration".

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers, not input paths

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_bkscope");
const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/bad_config");
const SEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/seed/mirror_gcr.log"
);

/// File → what follows `bkscope: <path>:` on stderr.
const CASES: &[(&str, &str)] = &[
    ("unclosed_array.toml", "4:29: unclosed array, expected `]`"),
    (
        "mirrors_not_array.toml",
        "3:13: registry.\"docker.io\".mirrors must be an array of strings",
    ),
    (
        "mirror_not_string.toml",
        "2:13: registry.\"docker.io\".mirrors must be an array of strings",
    ),
    (
        "registry_not_table.toml",
        "2:12: invalid type: string \"docker.io\", expected a map",
    ),
    ("duplicate_table.toml", "4:11: duplicate key"),
    (
        "yaml_not_toml.toml",
        "1:10: key with no value, expected `=`",
    ),
    ("not_utf8.toml", "3:3: not UTF-8 text"),
    ("trailing_comma.json", "3:48: trailing comma"),
    (
        "mirrors_not_array.json",
        "2:45: invalid type: string \"https://mirror.gcr.io\", expected a sequence; \"registry-mirrors\" must be an array of strings",
    ),
    (
        "mirror_not_string.json",
        "2:52: invalid type: integer `5000`, expected a string",
    ),
    ("not_object.json", "1:1: daemon.json must be a JSON object"),
    ("truncated.json", "3:1: EOF while parsing a list"),
    ("empty.json", "1:1: EOF while parsing a value"),
];

#[test]
fn each_bad_config_gives_file_line_and_exit_2() {
    for (file, want) in CASES {
        let path = format!("{DIR}/{file}");
        let out = Command::new(BIN)
            .args(["summary", SEED, "--config", &path])
            .output()
            .unwrap();
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{file}: {err}");
        assert!(
            out.stdout.is_empty(),
            "{file}: no report without the config"
        );
        assert!(
            err.starts_with(&format!("bkscope: {path}:{want}")),
            "{file}:\n  got  {err}\n  want bkscope: {path}:{want}"
        );
        assert_eq!(err.lines().count(), 1, "{file}: one line: {err}");
    }
}

#[test]
fn every_bad_config_file_has_a_case() {
    let mut files: Vec<String> = std::fs::read_dir(DIR)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut cases: Vec<String> = CASES.iter().map(|(f, _)| (*f).to_owned()).collect();
    cases.sort();
    assert_eq!(files, cases);
}

#[test]
fn summary_json_also_stops() {
    let path = format!("{DIR}/mirrors_not_array.toml");
    let out = Command::new(BIN)
        .args(["summary", "--json", SEED, "--config", &path])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}
