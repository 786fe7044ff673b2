//! Regression tests for crashes and leaks that fuzzing found (`tests/fuzz/run.sh`), one test
//! each, named after the crash; the input libFuzzer saved is kept in
//! `tests/fixtures/fuzz-regressions/<target>-<what>.*` (see docs/reliability.md).

use bkscope::model::redact;
use bkscope::model::{Model, ModelOptions, Summary};
use bkscope::parse::{Record, parse_line, parse_rfc3339};

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/fuzz-regressions/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Years outside 1678-2262 overflowed i64 nanoseconds (a panic in debug builds, a wrong time in
/// release): fuzz target parse_line.
#[test]
fn fuzz_parse_line_year_1264_overflow() {
    let text = fixture("parse_line-year-1264-overflow.log");
    let Record::Entry(e) = parse_line(text.trim_end()) else {
        panic!("still a log entry");
    };
    assert_eq!(e.time.as_deref(), Some("1264-11-24T13:08:59.641411277Z"));
    assert_eq!(e.timestamp(), None, "out of range: no timestamp");
    assert_eq!(parse_rfc3339("9999-12-31T23:59:59.999999999+23:59"), None);
    assert_eq!(parse_rfc3339("0000-01-01T00:00:00-23:59"), None);
    assert!(parse_rfc3339("2262-04-11T23:47:16Z").is_some());
    assert!(parse_rfc3339("1678-01-01T00:00:00Z").is_some());
}

/// The same overflow through a CI-step prefix time (fuzz target parse_json_line).
#[test]
fn fuzz_parse_json_line_year_9307_overflow() {
    let text = fixture("parse_json_line-year-9307-overflow.log");
    let Record::Entry(e) = parse_line(text.trim_end()) else {
        panic!("still a log entry");
    };
    let _ = e.timestamp();
    let mut model = Model::new(ModelOptions::default());
    model.ingest_text(0, &text);
    model.finish();
    assert!(serde_json::to_string(&Summary::from_model(&model)).is_ok());
}

/// Two valid times 550 years apart overflowed the duration of a request (found while fixing the
/// year overflow: the same arithmetic one step later).
#[test]
fn fuzz_duration_across_centuries_overflow() {
    let log = concat!(
        "time=\"1700-01-01T00:00:00Z\" level=debug msg=\"do request\" request.method=GET ",
        "url=\"https://registry-1.docker.io/v2/\" spanID=aa\n",
        "time=\"2250-01-01T00:00:00Z\" level=debug msg=\"fetch response received\" ",
        "response.status=\"200 OK\" url=\"https://registry-1.docker.io/v2/\" spanID=aa\n",
    );
    let mut model = Model::new(ModelOptions::default());
    model.ingest_text(0, log);
    model.finish();
    let ev = model.events().next().expect("one event");
    assert!(ev.duration_ms().is_some_and(|ms| ms > 0), "{ev:?}");
    assert!(serde_json::to_string(&Summary::from_model(&model)).is_ok());
}

/// `Bearer <token>` was masked only up to an `=` inside the token, leaving its tail visible
/// (fuzz target redact_sanitize: a second redaction pass changed the text).
#[test]
fn fuzz_redact_sanitize_bearer_inner_equals() {
    let text = fixture("redact_sanitize-bearer-inner-equals.txt");
    let once = redact::text(&text);
    assert!(!once.contains("spon0"), "{once}");
    assert_eq!(redact::text(&once), once);
    assert_eq!(
        redact::text("Authorization: Bearer abc.def=ghi.jkl rest"),
        "Authorization: Bearer REDACTED rest"
    );
}

/// A masked `"auth":"…"` value no longer stopped the url before it, so a second redaction pass
/// found a `user:pass@` the first had not (fuzz target redact_sanitize, 10-minute run).
#[test]
fn fuzz_redact_sanitize_second_pass_userinfo() {
    let bytes = std::fs::read(format!(
        "{}/tests/fixtures/fuzz-regressions/redact_sanitize-second-pass-userinfo.txt",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("the fixture");
    let text = String::from_utf8_lossy(&bytes);
    let once = redact::text(&text);
    assert_eq!(redact::text(&once), once);
    assert!(!once.contains("hunter2"), "{once}");
}

/// The CI fuzz step (60 s of redact_sanitize on a clean clone) found a text whose redaction was
/// not stable: nested, escaped docker config blobs (`{\"auths\":{…{\"auth\":\"…`) with invalid
/// UTF-8 around them.
#[test]
fn fuzz_redact_sanitize_ci_json_auth_nested() {
    let bytes = std::fs::read(format!(
        "{}/tests/fixtures/fuzz-regressions/redact_sanitize-ci-json-auth-nested.bin",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("the fixture");
    let text = String::from_utf8_lossy(&bytes);
    let once = redact::text(&text);
    assert_eq!(
        redact::text(&once),
        once,
        "redaction is not stable on {text:?}"
    );
    assert!(!once.contains("Z1hjcnVzZXI6Q29uZm"), "{once}");
}
