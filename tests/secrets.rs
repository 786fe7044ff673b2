//! Secrets never leave bkscope: `tests/fixtures/secrets/tokens.log` holds registry credentials
//! in every form a BuildKit/containerd log shows them, and none may appear in `summary`,
//! `summary --json` or `events --json`; with `--no-redact` every one of them does, which proves
//! the fixture really carries them to the outputs (the test can fail).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers, not input paths

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_bkscope");
const TOKENS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/secrets/tokens.log"
);

/// Every secret in the fixture, with where it sits.
const SECRETS: &[(&str, &str)] = &[
    (
        "per-header Authorization: Bearer (JWT)",
        "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJidWlsZGVyIn0.HdrBearerSig01",
    ),
    ("JWT signature alone", "HdrBearerSig01"),
    ("Set-Cookie response header", "CookieS3cretValue"),
    (
        "per-header Authorization: Basic",
        "YnVpbGRlcjpIdW50ZXIyQmFzaWNIZHI=",
    ),
    ("Proxy-Authorization: Basic", "cHJveHk6UHJveHlQYXNzMDA3"),
    (
        "per-header X-Registry-Auth",
        "eyJ1c2VybmFtZSI6InUiLCJwYXNzd29yZCI6IlhyYUhlYWRlclNlY3JldCJ9",
    ),
    (
        "request.headers map: Authorization Bearer",
        "OldMapBearerT0ken",
    ),
    (
        "request.headers map: X-Registry-Auth",
        "eyJPbGRNYXBYcmFTZWNyZXQiOjF9",
    ),
    ("response.headers map: Set-Cookie", "OldMapCookieS3cret"),
    (
        "request.headers map: Authorization Basic",
        "b2xkOk9sZE1hcEJhc2ljUHc=",
    ),
    ("user:pass@ in a request url", "UrlPassw0rdInUserinfo"),
    ("token= in a url", "QueryT0kenParam123"),
    ("access_token= in a url and an error", "AccessT0kenParam456"),
    ("password= in a url", "PasswordParam789"),
    ("user:pass@ in an error text", "ErrUrlPassw0rd"),
    (
        "docker config blob auth",
        "Z2hjcnVzZXI6Q29uZmlnQmxvYkF1dGg=",
    ),
    ("docker config blob identitytoken", "IdentityT0kenBlob"),
    (
        "JWT in an error text",
        "eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJnaGNyLmlvIn0.JwtInErrorSignature99",
    ),
    ("JWT payload in an error text", "eyJpc3MiOiJnaGNyLmlvIn0"),
    (
        "Authorization: Bearer in an error text",
        "ErrTextBearerT0ken77",
    ),
    ("password= in an error text", "FreeTextPassw0rd"),
    ("token= in an error text", "FreeTextT0ken88"),
    (
        "X-Registry-Auth: in an error text",
        "eyJGcmVlVGV4dFhyYSI6MX0=",
    ),
    ("JSON format: Authorization header", "JsonFormatBearerT0ken"),
    ("JSON format: token= in a url", "JsonQueryT0ken"),
    ("TTY format: Authorization header", "TtyFormatBearerT0ken"),
];

/// stdout of `bkscope <args> tokens.log`, for the three headless outputs.
fn outputs(extra: &[&str]) -> Vec<(String, String)> {
    [
        vec!["summary", "--color", "never"],
        vec!["summary", "--json"],
        vec!["events", "--json"],
    ]
    .into_iter()
    .map(|mut args| {
        args.extend_from_slice(extra);
        args.push(TOKENS);
        let out = Command::new(BIN).args(&args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {out:?}");
        (args.join(" "), String::from_utf8(out.stdout).unwrap())
    })
    .collect()
}

#[test]
fn no_secret_in_any_headless_output() {
    let outs = outputs(&[]);
    let mut leaks = Vec::new();
    for (name, out) in &outs {
        for (what, secret) in SECRETS {
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
    assert_eq!(events.lines().count(), 10);
    assert!(events.contains(r#"{"name":"authorization","value":"Basic REDACTED"}"#));
    assert!(events.contains(r#"{"name":"x-registry-auth","value":"REDACTED"}"#));
}

#[test]
fn no_redact_shows_every_secret() {
    let all: String = outputs(&["--no-redact"])
        .into_iter()
        .map(|(_, out)| out)
        .collect();
    let missing: Vec<_> = SECRETS
        .iter()
        .filter(|(_, secret)| !all.contains(secret))
        .collect();
    assert!(
        missing.is_empty(),
        "the fixture does not carry these to any output: {missing:?}"
    );
}
