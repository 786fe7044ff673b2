//! Secrets never leave bkscope: `tests/fixtures/secrets/tokens.log` holds registry credentials
//! in every form a BuildKit/containerd log shows them, `review.log` the shapes a user review
//! found left visible (secret by name in query parameters, `NAME=value` words and JSON keys;
//! tokens known by their shape), `client.log` a build's client error texts with `curl -u
//! user:password`, names ending in `PW`, `CREDS` or `PAT` and wget's `--http-password`, and
//! none may appear in `summary`, `summary --json`,
//! `events --json` or `summary --markdown` (read unescaped); with `--no-redact` every one of
//! them does, which proves the fixtures really carry them to the outputs (the test can fail).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers, not input paths

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_bkscope");
const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/secrets/");

/// A log of secrets, the list of them (`what<TAB>secret` lines; the list the TUI and tmux tests
/// read too), and how many it holds.
const TOKENS: (&str, &str, usize) = ("tokens.log", "secrets.tsv", 38);
const REVIEW: (&str, &str, usize) = ("review.log", "review.tsv", 58);
const CLIENT: (&str, &str, usize) = ("client.log", "client.tsv", 17);

/// Every secret in a fixture's list, with where it sits.
fn secrets((_, list, count): (&str, &str, usize)) -> Vec<(String, String)> {
    let list = std::fs::read_to_string(format!("{DIR}{list}")).unwrap();
    let all: Vec<(String, String)> = list
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (what, secret) = l.split_once('\t').unwrap();
            (what.to_owned(), secret.to_owned())
        })
        .collect();
    assert_eq!(all.len(), count, "{list}");
    all
}

/// The secrets of `fixture` found in `outs`, each with the output it is in.
fn leaks(fixture: (&str, &str, usize), outs: &[(String, String)]) -> Vec<String> {
    let mut leaks = Vec::new();
    for (name, out) in outs {
        for (what, secret) in &secrets(fixture) {
            if out.contains(secret) {
                leaks.push(format!("{what} ({secret}) in `bkscope {name}`"));
            }
        }
    }
    leaks
}

/// stdout of `bkscope <args> <log>`, for the four headless outputs.
fn outputs((log, _, _): (&str, &str, usize), extra: &[&str]) -> Vec<(String, String)> {
    let path = format!("{DIR}{log}");
    [
        vec!["summary", "--color", "never"],
        vec!["summary", "--json"],
        vec!["events", "--json"],
        vec!["summary", "--markdown"],
    ]
    .into_iter()
    .map(|mut args| {
        args.extend_from_slice(extra);
        args.push(&path);
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
    let outs = outputs(TOKENS, &[]);
    let leaks = leaks(TOKENS, &outs);
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

/// The review's shapes: masked in every output, their names kept (`api_key=REDACTED`), and the
/// names that hold a credential word but no secret readable with their values.
#[test]
fn no_secret_by_name_or_shape_in_any_headless_output() {
    let outs = outputs(REVIEW, &[]);
    let leaks = leaks(REVIEW, &outs);
    assert!(leaks.is_empty(), "leaked:\n{}", leaks.join("\n"));
    // Every url is in the events.
    let (_, events) = &outs[2];
    for s in [
        "?api_key=REDACTED&apikey=REDACTED&secret=REDACTED",
        "?client_secret=REDACTED&refresh_token=REDACTED&id_token=REDACTED&auth=REDACTED&key=REDACTED",
        "?apiKey=REDACTED",
    ] {
        assert!(events.contains(s), "`{s}` not in the events:\n{events}");
    }
    for (name, out) in &outs {
        // The 403's url (an auth failure, in every output): the token request's scope and
        // flag stay readable beside the masked keys.
        let url = "?scope=repository%3Aa%3Apull&service=r.example&offline_token=true&client_id=docker&api-key=REDACTED&apiKey=REDACTED&access_key=REDACTED&private_token=REDACTED";
        assert!(out.contains(url), "`{url}` not in `bkscope {name}`:\n{out}");
        let shown = [
            "GITHUB_TOKEN=REDACTED NPM_TOKEN=REDACTED DB_PASSWORD=REDACTED AWS_SECRET_ACCESS_KEY=REDACTED client_secret=REDACTED",
            "ghp_REDACTED and AKIAREDACTED and glpat-REDACTED",
            "[PATH=/usr/local/bin NPM_CONFIG_TOKEN=REDACTED HOME=/root] API_TOKEN='REDACTED'",
            "dckr_pat_REDACTED github_pat_REDACTED",
        ];
        for s in shown {
            assert!(out.contains(s), "`{s}` not in `bkscope {name}`:\n{out}");
        }
        // The JSON token response, as each output writes its quotes.
        let json = ["token", "access_token", "refresh_token", "password"]
            .map(|k| format!("{k}\\\":\\\"REDACTED\\\""))
            .into_iter()
            .all(|k| out.contains(&k) || out.contains(&k.replace('\\', "")));
        assert!(json, "a JSON key's mask not in `bkscope {name}`:\n{out}");
        assert!(
            out.contains("token_type\\\":\\\"Bearer") || out.contains("token_type\":\"Bearer"),
            "{name}"
        );
        // The fourth review's forms, masked in place, and their readable look-alikes kept.
        let shown = [
            "Password: REDACTED (user bob), retry with password:REDACTED token = REDACTED api_key : REDACTED",
            "--pass=REDACTED DB_PASS=REDACTED pwd=REDACTED passphrase=REDACTED PWD=/home/builder author=bob public_key=ssh-ed25519-AAAAC3Nz keyring=default",
            "git clone REDACTED@git.example.com/team/app.git failed; registry REDACTED@10.0.0.1:5000 refused",
            "image alpine@sha256:5f0e2c1a5f0e2c1a5f0e2c1a5f0e2c1a5f0e2c1a5f0e2c1a5f0e2c1a5f0e2c1a mail bob@example.com",
            "map[NPM_TOKEN:REDACTED PATH:/usr/bin] headers map[Authorization:[REDACTED]] creds map[password:REDACTED]",
            "leaked xoxb-REDACTED xoxp-REDACTED sk-proj-REDACTED sk-REDACTED",
            "leaked sk-ant-REDACTED AIzaREDACTED sk_live_REDACTED rk_live_REDACTED",
            "leaked npm_REDACTED pypi-REDACTED",
        ];
        for s in shown {
            assert!(out.contains(s), "`{s}` not in `bkscope {name}`:\n{out}");
        }
        // A quoted value with spaces, masked whole, as each output writes its quotes.
        let quoted = r#"password=\"REDACTED\" secret='REDACTED' {\"password\": \"REDACTED\"}"#;
        assert!(
            out.contains(quoted) || out.contains(&quoted.replace('\\', "")),
            "{quoted} not in `bkscope {name}`:\n{out}"
        );
    }
    // A url inside a url: its secret parameters masked, its others kept.
    assert!(
        events.contains("%3Ftoken%3DREDACTED%26state%3D1&back=https%253A%252F%252Fa.r.example%252Fb%253Fapi_key%253DREDACTED"),
        "{events}"
    );
}

/// Client error texts (`ERROR: failed to solve: process "/bin/sh -c …"`, the RUN step's
/// command): `curl -u user:password`, `REGISTRY_PW=`, `DEPLOY_CREDS=`, `DOCKERHUB_PAT=`,
/// `CR_PAT=` and wget's `--http-password` showed their values in every output. Masked now, the
/// users and names kept; `PATH`, `SPAN_PATH` and the `-u` of `useradd` and `docker run` (a
/// user id, not curl's) stay as they were.
#[test]
fn no_secret_in_client_error_texts_in_any_headless_output() {
    let outs = outputs(CLIENT, &[]);
    let leaks = leaks(CLIENT, &outs);
    assert!(leaks.is_empty(), "leaked:\n{}", leaks.join("\n"));
    for (name, out) in &outs {
        // The daemon's fetch failure is in every output, `events` too (its request's finding).
        let shown = [
            "curl -s -u svc-pull:REDACTED https://nexus.corp.example/token failed; env NEXUS_PW=REDACTED AWS_CREDS=REDACTED CR_PAT=REDACTED",
        ];
        for s in shown {
            assert!(out.contains(s), "`{s}` not in `bkscope {name}`:\n{out}");
        }
        // The client's errors are failed RUN steps, no fetch error: in no headless output
        // (the explorer's Raw view shows their lines, masked: src/ui/tests/secrets.rs).
        assert!(
            !out.contains("did not complete successfully"),
            "a build step's failure in `bkscope {name}`:\n{out}"
        );
    }
}

#[test]
fn no_redact_shows_every_secret() {
    for fixture in [TOKENS, REVIEW, CLIENT] {
        let all: String = outputs(fixture, &["--no-redact"])
            .into_iter()
            .map(|(_, out)| out)
            .collect();
        // client.log's RUN-step failures reach no headless output (no fetch error): only
        // its daemon line's secrets do; the explorer shows the others.
        let missing: Vec<_> = secrets(fixture)
            .into_iter()
            .filter(|(what, _)| fixture != CLIENT || what.ends_with("in an error text"))
            .filter(|(_, secret)| !all.contains(secret))
            .collect();
        assert!(
            missing.is_empty(),
            "{} does not carry these to any output: {missing:?}",
            fixture.0
        );
    }
}
