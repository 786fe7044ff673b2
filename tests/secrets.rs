//! Secrets never leave bkscope: `tests/fixtures/secrets/tokens.log` holds registry credentials
//! in every form a BuildKit/containerd log shows them, and none may appear in `summary`,
//! `summary --json`, `events --json` or `summary --markdown` (read unescaped); with
//! `--no-redact` every one of them does, which proves the fixture really carries them to the
//! outputs (the test can fail).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers, not input paths

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_bkscope");
const TOKENS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/secrets/tokens.log"
);

/// Every secret in the fixture, with where it sits (`what<TAB>secret` lines; the list the TUI
/// and tmux tests read too).
fn secrets() -> Vec<(String, String)> {
    let list = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/secrets/secrets.tsv"
    ))
    .unwrap();
    let all: Vec<(String, String)> = list
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (what, secret) = l.split_once('\t').unwrap();
            (what.to_owned(), secret.to_owned())
        })
        .collect();
    assert_eq!(all.len(), 38);
    all
}

/// stdout of `bkscope <args> tokens.log`, for the three headless outputs.
fn outputs(extra: &[&str]) -> Vec<(String, String)> {
    [
        vec!["summary", "--color", "never"],
        vec!["summary", "--json"],
        vec!["events", "--json"],
        vec!["summary", "--markdown"],
    ]
    .into_iter()
    .map(|mut args| {
        args.extend_from_slice(extra);
        args.push(TOKENS);
        let out = Command::new(BIN).args(&args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {out:?}");
        let text = String::from_utf8(out.stdout).unwrap();
        // Markdown escapes punctuation with a backslash (`ghp\_…`): read as its reader sees it.
        let text = if args.contains(&"--markdown") {
            unescape_markdown(&text)
        } else {
            text
        };
        (args.join(" "), text)
    })
    .collect()
}

/// Markdown as rendered: a backslash before ASCII punctuation stands for the character alone.
fn unescape_markdown(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    let mut chars = md.chars().peekable();
    while let Some(c) = chars.next() {
        match chars.peek() {
            Some(&n) if c == '\\' && n.is_ascii_punctuation() => {
                out.push(n);
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}

#[test]
fn no_secret_in_any_headless_output() {
    let outs = outputs(&[]);
    let mut leaks = Vec::new();
    for (name, out) in &outs {
        for (what, secret) in &secrets() {
            if out.contains(secret) {
                leaks.push(format!("{what} ({secret}) in `bkscope {name}`"));
            }
        }
    }
    assert!(leaks.is_empty(), "leaked:\n{}", leaks.join("\n"));
    // The outputs are not empty: redaction kept the facts around the secrets.
    let (_, report) = &outs[0];
    assert!(report.contains("Bearer REDACTED"), "{report}");
    assert!(
        report.contains("https://REDACTED@flaky.example.com"),
        "{report}"
    );
    assert!(report.contains("\"auth\":\"REDACTED\""), "{report}");
    assert!(
        report.contains("(Authorization: Bearer REDACTED)"),
        "{report}"
    );
    let (_, events) = &outs[2];
    assert_eq!(events.lines().count(), 12);
    assert!(events.contains(r#"{"name":"authorization","value":"Basic REDACTED"}"#));
    assert!(events.contains(r#"{"name":"x-registry-auth","value":"REDACTED"}"#));
    // Custom credential headers (containerd's hosts.toml) are secret by name; the challenge
    // beside them stays readable.
    for name in [
        "x-jfrog-art-api",
        "x-api-key",
        "private-token",
        "x-auth-token",
    ] {
        let masked = format!(r#"{{"name":"{name}","value":"REDACTED"}}"#);
        assert!(events.contains(&masked), "{masked}");
    }
    assert!(
        events.contains(r#"Basic realm=\"Artifactory Realm\""#),
        "{events}"
    );
    // `docker login` passwords in an error text.
    assert!(
        report.contains("--password REDACTED") && report.contains("--password=REDACTED"),
        "{report}"
    );
    assert!(report.contains("-p REDACTED"), "{report}");
}

#[test]
fn no_redact_shows_every_secret() {
    let all: String = outputs(&["--no-redact"])
        .into_iter()
        .map(|(_, out)| out)
        .collect();
    let missing: Vec<_> = secrets()
        .into_iter()
        .filter(|(_, secret)| !all.contains(secret))
        .collect();
    assert!(
        missing.is_empty(),
        "the fixture does not carry these to any output: {missing:?}"
    );
}
