//! Property tests (proptest) over the pure layers: parsing never panics, on arbitrary text and on
//! mutated real lines; `inert` leaves no control character or bidi override; redaction removes a
//! secret put into an Authorization header, a `token=` parameter or a `user:pass@` url of a
//! generated log line, in every output; the summary of any input is valid JSON and its report has
//! no terminal control in it. Case counts are set so the whole file runs in seconds.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers, not input paths

use std::sync::LazyLock;

use proptest::prelude::*;
use proptest::sample::select;

use bkscope::cli::report;
use bkscope::kb::KnowledgeBase;
use bkscope::model::redact;
use bkscope::model::sanitize::inert;
use bkscope::model::{Model, ModelOptions, Summary};
use bkscope::parse::{Record, parse_line};

/// Every line of every fixture log.
static LINES: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut lines = Vec::new();
    let mut dirs = vec![std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures"
    ))];
    while let Some(dir) = dirs.pop() {
        for item in std::fs::read_dir(&dir).unwrap().flatten() {
            let p = item.path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|e| e == "log") {
                let text = std::fs::read(&p).unwrap();
                lines.extend(String::from_utf8_lossy(&text).lines().map(str::to_owned));
            }
        }
    }
    lines.sort();
    assert!(lines.len() > 500, "fixtures found: {}", lines.len());
    lines
});

/// A character a terminal acts on, or one that reorders text; written out here, not taken from
/// `sanitize`, so a gap in `sanitize::is_unsafe` fails these tests.
fn is_terminal_control(c: char) -> bool {
    let u = c as u32;
    u < 0x20
        || (0x7f..=0x9f).contains(&u)
        || (0x202a..=0x202e).contains(&u)
        || (0x2066..=0x2069).contains(&u)
        || matches!(u, 0x200e | 0x200f | 0x061c | 0x2028 | 0x2029)
}

/// Text rich in what hostile log lines carry: controls, ESC sequences, bidi marks, quotes.
fn hostile_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => any::<char>().prop_map(String::from),
        2 => (0u32..0x20).prop_map(|u| char::from_u32(u).unwrap().to_string()),
        1 => (0x7fu32..0xa0).prop_map(|u| char::from_u32(u).unwrap().to_string()),
        1 => select(vec!['\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}', '\u{2066}',
            '\u{2067}', '\u{2068}', '\u{2069}', '\u{200e}', '\u{200f}', '\u{061c}',
            '\u{2028}', '\u{2029}'])
            .prop_map(String::from),
        1 => select(vec!["\x1b]52;c;cHduZWQ=\x07", "\x1b]0;title\x1b\\", "\x1b[2J", "\x1b[31m",
            "\u{9b}1m", "\"", "\\", "\\x1b", "=", " ", "\r\n"])
            .prop_map(str::to_owned),
        2 => "[a-z]{1,6}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

/// A real fixture line, changed: a slice cut out and hostile text put in its place.
fn mutated_line() -> impl Strategy<Value = String> {
    (
        select(LINES.clone()),
        any::<prop::sample::Index>(),
        0usize..40,
        hostile_text(),
    )
        .prop_map(|(line, at, cut, insert)| {
            let mut at = at.index(line.len() + 1);
            while !line.is_char_boundary(at) {
                at -= 1;
            }
            let mut end = (at + cut).min(line.len());
            while !line.is_char_boundary(end) {
                end -= 1;
            }
            format!("{}{}{}", &line[..at], insert, &line[end..])
        })
}

fn model_of(text: &str) -> Model {
    let mut m = Model::new(ModelOptions::default());
    m.ingest_text(0, text);
    m.finish();
    m
}

/// Every event and the summary, as the headless commands print them.
fn all_json(m: &Model) -> String {
    let mut out = String::new();
    for ev in m.events() {
        out.push_str(&serde_json::to_string(ev).unwrap());
        out.push('\n');
    }
    out + &serde_json::to_string(&Summary::from_model(m)).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn parsing_arbitrary_text_never_panics(s in any::<String>()) {
        if let Record::Unparsed(raw) = parse_line(&s) {
            prop_assert_eq!(raw, s.as_str());
        }
    }

    #[test]
    fn parsing_mutated_real_lines_never_panics(line in mutated_line()) {
        if let Record::Entry(e) = parse_line(&line) {
            let _ = e.timestamp();
        }
    }

    #[test]
    fn inert_leaves_no_terminal_control(s in hostile_text()) {
        let out = inert(&s);
        prop_assert!(!out.chars().any(is_terminal_control), "{:?} -> {:?}", s, out);
        if !s.chars().any(is_terminal_control) {
            prop_assert_eq!(out.as_ref(), s.as_str());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn summary_of_any_input_is_valid_json(
        lines in prop::collection::vec(prop_oneof![mutated_line(), hostile_text()], 0..30)
    ) {
        let text = lines.join("\n");
        let m = model_of(&text);
        let json = serde_json::to_string_pretty(&Summary::from_model(&m)).unwrap();
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        prop_assert!(v["lines"].is_u64() && v["mirrors"].is_array(), "{}", json);
        for ev in m.events() {
            serde_json::from_str::<serde_json::Value>(&serde_json::to_string(ev).unwrap()).unwrap();
        }
        // The readable report of the same input carries no terminal control (colour off).
        let mut report = Vec::new();
        report::write(&Summary::from_model(&m), &KnowledgeBase::default(), false, &mut report).unwrap();
        let report = String::from_utf8(report).unwrap();
        prop_assert!(
            !report.chars().any(|c| c != '\n' && is_terminal_control(c)),
            "{:?}", report
        );
    }
}

/// Where a generated secret sits in a generated line.
#[derive(Debug, Clone)]
enum Place {
    /// `request.header.authorization="<scheme> <secret>"` (containerd ≥ 1.4).
    HeaderField,
    /// `request.headers="map[Authorization:[<scheme> <secret>]]"` (older containerd).
    HeaderMap,
    /// `?…&token=<secret>` in the url, also in a `trying next host` error.
    TokenParam,
    /// `https://user:<secret>@host/…` in the url, also in an error.
    UserInfo,
}

fn secret_line() -> impl Strategy<Value = (String, String, Place)> {
    let place = prop_oneof![
        Just(Place::HeaderField),
        Just(Place::HeaderMap),
        Just(Place::TokenParam),
        Just(Place::UserInfo),
    ];
    (
        place,
        select(vec!["Bearer", "Basic", "bearer"]),
        "[A-Za-z0-9_-]{4,20}",
        "[A-Za-z0-9._~+/-]{10,40}=?=?",
        "[a-z]{3,10}\\.(io|com|example)",
        any::<bool>(),
    )
        .prop_map(|(place, scheme, user, tail, host, json)| {
            // The "Zx9" start keeps the secret from being a word of the line by chance.
            let secret = format!("Zx9{tail}");
            let url_secret = secret.replace(['/', '+', '='], "_");
            let (header, url) = match place {
                Place::HeaderField | Place::HeaderMap => (
                    format!("{scheme} {secret}"),
                    format!("https://{host}/v2/{user}/manifests/latest"),
                ),
                Place::TokenParam => (
                    String::new(),
                    format!("https://{host}/token?scope=repository%3A{user}%3Apull&token={url_secret}&service={host}"),
                ),
                Place::UserInfo => (
                    String::new(),
                    format!("https://{user}:{url_secret}@{host}/v2/{user}/manifests/latest"),
                ),
            };
            let shown = match place {
                Place::HeaderField | Place::HeaderMap => secret,
                _ => url_secret,
            };
            let req = match (&place, json) {
                (Place::HeaderMap, _) => format!(
                    r#"time="2024-01-01T00:00:00Z" level=debug msg="do request" request.headers="map[Accept:[*/*] Authorization:[{header}] User-Agent:[docker/18.09]]" request.method=GET url="{url}""#
                ),
                (_, false) => format!(
                    r#"time="2024-01-01T00:00:00Z" level=debug msg="do request" host={host} request.header.authorization="{header}" request.method=GET url="{url}""#
                ),
                (_, true) => serde_json::json!({
                    "level": "debug", "msg": "do request", "host": host, "time": "2024-01-01T00:00:00Z",
                    "request.header.authorization": header, "request.method": "GET", "url": url,
                })
                .to_string(),
            };
            let err = format!(
                r#"time="2024-01-01T00:00:01Z" level=info msg="trying next host" error="failed to do request: Get \"{url}\": dial tcp: lookup {host}: no such host" host={host}"#
            );
            (format!("{req}\n{err}\n"), shown, place)
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn redaction_removes_generated_secrets((log, secret, place) in secret_line()) {
        let m = model_of(&log);
        let json = all_json(&m);
        prop_assert!(!json.contains(&secret), "{:?}: {} leaked in {}", place, secret, json);
        for line in log.lines() {
            let shown = redact::text(line);
            prop_assert!(!shown.contains(&secret), "{:?}: {} leaked in {}", place, secret, shown);
        }
        // The secret did reach the outputs: without redaction it is there.
        let mut raw = Model::new(ModelOptions { redact: false, ..ModelOptions::default() });
        raw.ingest_text(0, &log);
        raw.finish();
        prop_assert!(all_json(&raw).contains(&secret), "{:?}: the line does not carry {}", place, secret);
    }
}
