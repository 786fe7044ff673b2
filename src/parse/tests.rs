//! Parser tests: every formatter, every quoting rule, every prefix, and damaged input.

use super::*;

fn entry(line: &str) -> Entry<'_> {
    match parse_line(line) {
        Record::Entry(e) => e,
        Record::Unparsed(raw) => panic!("unparsed: {raw}"),
    }
}

const SEED: &str = include_str!("../../tests/fixtures/seed/mirror_gcr.log");

#[test]
fn seed_do_request_line() {
    let line = SEED.lines().next().unwrap();
    let e = entry(line);
    assert_eq!(e.format, Format::Logfmt);
    assert_eq!(e.time.as_deref(), Some("2022-02-06T17:47:48Z"));
    assert_eq!(e.level, Some(Level::Debug));
    assert_eq!(e.msg, "do request");
    assert_eq!(
        e.get("request.header.accept"),
        Some("application/vnd.docker.container.image.v1+json, */*")
    );
    assert_eq!(
        e.get("request.header.user-agent"),
        Some("containerd/1.5.8+unknown")
    );
    assert_eq!(e.get("request.method"), Some("GET"));
    assert_eq!(e.span_id(), Some("9460e5b6e64cec91"));
    assert_eq!(e.trace_id(), Some("b162d3040ddf86d6614e79c66a01a577"));
    assert!(!e.damaged);
}

#[test]
fn seed_response_line_keeps_escapes_and_repeated_suffixes() {
    let line = SEED.lines().nth(1).unwrap();
    let e = entry(line);
    assert_eq!(e.msg, "fetch response received");
    assert_eq!(e.get("response.status"), Some("200 OK"));
    assert_eq!(
        e.get("response.header.etag"),
        Some("\"774380abda8f4eae9a149e5d5d3efc83\"")
    );
    assert_eq!(
        e.get("response.header.x-goog-hash"),
        Some("crc32c=V3DSrg==")
    );
    assert_eq!(
        e.get("response.header.x-goog-hash.1"),
        Some("md5=d0OAq9qPTq6aFJ5dXT78gw==")
    );
    assert!(
        e.get("response.header.alt-svc")
            .unwrap()
            .ends_with("quic=\":443\"; ma=2592000; v=\"46,43\"")
    );
    assert_eq!(e.get("response.header.server"), Some("UploadServer"));
    // Every field of the line is there, in line order.
    assert_eq!(
        e.fields.first().unwrap().key,
        "response.header.accept-ranges"
    );
    assert_eq!(e.fields.last().unwrap().key, "traceID");
    assert_eq!(e.fields.len(), 22);
}

#[test]
fn every_seed_line_parses() {
    for line in SEED.lines() {
        let e = entry(line);
        assert!(!e.damaged, "{line}");
        assert!(e.span_id().is_some());
    }
    assert_eq!(entry(SEED.lines().nth(3).unwrap()).msg, "fetch");
}

#[test]
fn go_escapes_are_undone() {
    let e = entry(r#"time="t" level=info msg="a\tb\nc \\ \"q\" \u00e9 \x41 \U0001F600 \z" k="""#);
    assert_eq!(e.msg, "a\tb\nc \\ \"q\" é A 😀 \\z");
    assert_eq!(e.get("k"), Some(""));
}

#[test]
fn empty_bare_value_and_bare_msg() {
    let e = entry(
        "time=\"2024-01-01T00:00:00Z\" level=debug msg=resolved desc.digest= host=registry-1.docker.io",
    );
    assert_eq!(e.msg, "resolved");
    assert_eq!(e.get("desc.digest"), Some(""));
    assert_eq!(e.get("host"), Some("registry-1.docker.io"));
}

#[test]
fn repeated_keys_are_kept_in_order() {
    let e = entry("level=debug msg=x a=1 a=2 a=3");
    let values: Vec<_> = e.fields.iter().map(|f| f.value.as_ref()).collect();
    assert_eq!(values, ["1", "2", "3"]);
}

#[test]
fn dockerd_nanosecond_time_with_offset() {
    let e = entry(
        r#"time="2019-01-14T11:27:10.788539962+01:00" level=debug msg="do request" host="localhost:5000""#,
    );
    let t = e.timestamp().unwrap();
    assert_eq!(t, parse_rfc3339("2019-01-14T10:27:10.788539962Z").unwrap());
    assert_eq!(t.clock(), "10:27:10.788");
    assert_eq!(e.get("host"), Some("localhost:5000"));
}

#[test]
fn tty_format_with_and_without_colours() {
    let plain = "DEBU[2024-05-01T10:00:00Z] do request                                    request.method=GET spanID=abc url=\"https://x/v2/\"";
    let e = entry(plain);
    assert_eq!(e.format, Format::Tty);
    assert_eq!(e.msg, "do request");
    assert_eq!(e.level, Some(Level::Debug));
    assert_eq!(e.time.as_deref(), Some("2024-05-01T10:00:00Z"));
    assert_eq!(e.get("url"), Some("https://x/v2/"));
    let coloured = "\x1b[37mDEBU\x1b[0m[0042] fetch response received                       \x1b[37mresponse.status\x1b[0m=\"200 OK\"";
    let e = entry(coloured);
    assert_eq!(e.msg, "fetch response received");
    assert_eq!(e.time, None);
    assert_eq!(e.get("response.status"), Some("200 OK"));
    // Only the colour codes (SGR) go: another escape in a value stays for the outputs to show
    // made visible (a review saw a TTY line's `ESC ]0;…` and `ESC [2J` vanish silently).
    let hostile = "\x1b[31mERRO\x1b[0m[0042] pull failed                                   \x1b[31merror\x1b[0m=\"x \x1b]0;TITLE\x07 \x1b[2J cleared \x1b[1;31mred\x1b[0m\"";
    let e = entry(hostile);
    assert_eq!(e.msg, "pull failed");
    assert_eq!(
        e.get("error"),
        Some("x \x1b]0;TITLE\x07 \x1b[2J cleared red")
    );
    let no_fields = entry("INFO[0001] starting up                                   ");
    assert_eq!(no_fields.msg, "starting up");
    assert_eq!(no_fields.level, Some(Level::Info));
}

#[test]
fn json_format() {
    let e = entry(
        r#"{"level":"debug","msg":"do request","request.header.user-agent":"buildkit/v0.12","request.method":"GET","size":1469,"spanID":"9460e5b6e64cec91","time":"2023-06-01T10:00:00Z"}"#,
    );
    assert_eq!(e.format, Format::Json);
    assert_eq!(e.msg, "do request");
    assert_eq!(e.get("size"), Some("1469"));
    assert_eq!(e.span_id(), Some("9460e5b6e64cec91"));
    assert!(e.timestamp().is_some());
}

#[test]
fn prefixes_are_stripped() {
    let body = r#"time="2024-01-01T00:00:00Z" level=debug msg=fetch digest="sha256:ab""#;
    let cases = [
        format!("2024-01-01T00:00:01.123456789Z {body}"),
        format!("  2023-10-26T12:00:00.1234567Z {body}"),
        format!("Feb  6 17:47:48 myhost dockerd[812]: {body}"),
        format!("janv. 6 17:47:48 myhost dockerd[812]: {body}"),
        format!("[pod/buildkitd-0/buildkitd] {body}"),
        format!("    12\t{body}"),
        format!("sandbox.go:263: {body}"),
    ];
    for line in &cases {
        let e = entry(line);
        assert_eq!(e.msg, "fetch", "{line}");
        assert_eq!(e.get("digest"), Some("sha256:ab"), "{line}");
        assert_eq!(e.time.as_deref(), Some("2024-01-01T00:00:00Z"), "{line}");
    }
    // A prefix time stands in when the entry has none (TTY `[0042]`).
    let e = entry("2024-03-01T08:00:00.5Z DEBU[0042] fetch        digest=x");
    assert_eq!(e.time.as_deref(), Some("2024-03-01T08:00:00.5Z"));
}

#[test]
fn unknown_prefix_before_time_is_skipped() {
    let e = entry(
        r#"buildkitd-1 | time="2024-01-01T00:00:00Z" level=info msg="trying next host" error="x""#,
    );
    assert_eq!(e.msg, "trying next host");
    assert_eq!(e.get("error"), Some("x"));
}

#[test]
fn markdown_links_from_github_are_undone() {
    let e = entry(
        r#"2023-10-2[6](https://github.com/o/r/actions/runs/1/job/2#step:16:6)T10:00:00.1234567Z time="2023-10-26T10:00:00Z" level=debug msg="do request" url="[https://ghcr.io/v2/](https://ghcr.io/v2/)""#,
    );
    assert_eq!(e.get("url"), Some("https://ghcr.io/v2/"));
    assert_eq!(e.msg, "do request");
    // README: lines damaged by copying, GitHub's injected links among them, count as damaged.
    assert!(e.damaged);
}

#[test]
fn link_like_text_of_the_log_stays_literal() {
    let e = entry(
        r#"time="2026-11-24T13:08:52Z" level=warning msg="fetch failed" error="x [click](https://evil.example) ![i](https://evil.example/i.png)" host=ghcr.io"#,
    );
    assert_eq!(
        e.get("error"),
        Some("x [click](https://evil.example) ![i](https://evil.example/i.png)")
    );
    assert!(!e.damaged);
}

#[test]
fn masked_secret_leaves_an_unbalanced_quote() {
    // GitHub's masker replaced a quoted realm with *** and ate the closing quote.
    let e = entry(
        r#"time="2024-01-01T00:00:00Z" level=debug msg=Unauthorized header="Bearer realm=***,service=\"registry.docker.io\" host=registry-1.docker.io"#,
    );
    assert!(e.damaged);
    assert_eq!(e.msg, "Unauthorized");
    assert!(e.get("header").unwrap().starts_with("Bearer realm=***"));
    assert_eq!(e.get("host"), Some("registry-1.docker.io"));
}

#[test]
fn wrapped_line_parses_as_far_as_it_goes() {
    let e = entry(
        r#"time="2024-01-01T00:00:00Z" level=debug msg="fetch response received" response.status="200"#,
    );
    assert!(e.damaged);
    assert_eq!(e.get("response.status"), Some("200"));
    assert!(matches!(
        parse_line("OK\" spanID=1 traceID=2"),
        Record::Unparsed(_)
    ));
}

#[test]
fn anything_else_is_unparsed() {
    for line in [
        "",
        "panic: runtime error: index out of range [3] with length 3",
        "goroutine 1 [running]:",
        "\tgithub.com/moby/buildkit/solver.(*edge).exec(0xc000)",
        "#5 [internal] load metadata for docker.io/library/alpine:latest",
        "{not json",
        "{\"a\":1}",
        "time=",
        "DEBU",
    ] {
        assert!(matches!(parse_line(line), Record::Unparsed(_)), "{line:?}");
    }
}

#[test]
fn hostile_input_does_not_panic() {
    let long = format!("time=\"x\" level=debug msg=\"{}", "a\\".repeat(5_000_000));
    assert!(matches!(parse_line(&long), Record::Entry(e) if e.damaged));
    for line in [
        "time=\"\\",
        "level=debug msg=\"\\u12\"",
        "level=debug msg=\"\\U0011ffff\"",
        "level=debug msg=\"\\xff\"",
        "level=debug \0\0 msg=\0",
        "DEBU[",
        "DEBU[2024",
        "\x1b[",
        "\x1b",
        "level=debug msg=\"\u{fffd}\u{fffd}\" k=\u{202e}",
        "=== = = =",
    ] {
        let _ = parse_line(line);
    }
}

#[test]
fn rfc3339_edge_cases() {
    assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(Timestamp(0)));
    assert_eq!(
        parse_rfc3339("1970-01-01T01:00:00+01:00"),
        Some(Timestamp(0))
    );
    assert_eq!(
        parse_rfc3339("2000-03-01T00:00:00.5Z").unwrap().0,
        951_868_800_500_000_000
    );
    assert_eq!(parse_rfc3339("2000-13-01T00:00:00Z"), None);
    for t in [
        "2024-02-29T23:59:59.123Z",
        "1999-12-31T00:00:00.000Z",
        "2026-11-24T13:08:35.157Z",
    ] {
        assert_eq!(parse_rfc3339(t).unwrap().rfc3339(), t);
    }
    assert_eq!(parse_rfc3339("not a time at all!!"), None);
    assert_eq!(parse_rfc3339("2000-01-01T00:00:00Q"), None);
    // A sign or a space where a digit belongs (`str::parse` once took `+1` as a number).
    assert_eq!(parse_rfc3339("2000-+1-01T00:00:00Z"), None);
    assert_eq!(parse_rfc3339("2000-01-01T0 :00:00Z"), None);
    assert_eq!(parse_rfc3339("2000-01-01T00:00:00+1:00"), None);
    assert_eq!(
        parse_rfc3339("2000-01-01T00:00:00-0130"),
        parse_rfc3339("2000-01-01T01:30:00Z")
    );
}

#[test]
fn level_words_in_every_case() {
    use crate::parse::Level;
    for (words, level) in [
        (&["trace", "trac", "TRAC"][..], Level::Trace),
        (&["debug", "DEBU", "Debug"], Level::Debug),
        (&["info", "INFO"], Level::Info),
        (&["warning", "warn", "WARN", "Warning"], Level::Warning),
        (&["error", "erro", "err", "ERRO"], Level::Error),
        (&["fatal", "fata", "FATA"], Level::Fatal),
        (&["panic", "pani", "PANI"], Level::Panic),
    ] {
        for w in words {
            assert_eq!(Level::parse(w), Some(level), "{w}");
        }
    }
    for w in [
        "",
        "de",
        "debugs",
        "warnings",
        "débug",
        "ＤＥＢＵＧ",
        "informational",
    ] {
        assert_eq!(Level::parse(w), None, "{w}");
    }
}

/// The fast path of the headless commands (quick look, cuts made on another thread) must read
/// every line exactly as `parse_line` does.
mod fast_path {
    use proptest::prelude::*;

    use super::super::*;

    /// Lines made of the pieces that matter to the tokenizer: keys the parser treats apart,
    /// quotes, escapes, spaces, `=`, stray words, pasted markdown links.
    fn logfmt_line() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("time=\"2024-01-01T00:00:00Z\" ".to_owned()),
            Just("level=debug ".to_owned()),
            Just("level=error ".to_owned()),
            Just("level=\"info\" ".to_owned()),
            Just("msg=\"do request\" ".to_owned()),
            Just("msg=fetch ".to_owned()),
            Just("msg=\"a \\\"b\\\"\" ".to_owned()),
            Just("error=\"x: y\" ".to_owned()),
            Just("url=\"https://h/v2/?ns=docker.io\" ".to_owned()),
            Just("k=\"unbalanced ".to_owned()),
            Just("stray ".to_owned()),
            Just("traceID=0af7651916cd43dd8448eb211c80319c ".to_owned()),
            Just("traceID=\"t\\\"1\" ".to_owned()),
            Just("time=2024-01-02T00:00:00.5Z ".to_owned()),
            Just("time=\"a\\\"b\" ".to_owned()),
            Just("=v ".to_owned()),
            Just("\\".to_owned()),
            Just("](https://x) ".to_owned()),
            "[a-z.\"\\\\= \t]{0,6}",
        ];
        (
            prop_oneof![Just("time="), Just("level="), Just(""), Just(" time=")],
            proptest::collection::vec(piece, 0..8),
            prop_oneof![Just(""), Just("\r"), Just("\r\n")],
        )
            .prop_map(|(head, pieces, tail)| format!("{head}{}{tail}", pieces.concat()))
    }

    proptest! {
        #[test]
        fn glance_and_cuts_agree_with_parse_line(line in logfmt_line()) {
            let full = parse_line(&line);
            if let Some(g) = glance(&line) {
                let e = full.entry().expect("glance promised an entry");
                prop_assert_eq!(g.msg, e.msg.as_ref());
                prop_assert_eq!(g.level, e.level);
                prop_assert_eq!(g.damaged, e.damaged);
                prop_assert_eq!(g.has_error, e.get("error").is_some());
                prop_assert_eq!(g.time, e.time.as_deref());
                prop_assert_eq!(g.trace_id, e.trace_id());
            }
            let skip = |m: &str| m == "do request";
            prop_assert_eq!(
                glance_unless(&line, Marking::NONE, skip),
                glance(&line).filter(|g| !skip(g.msg))
            );
            let mut cuts = Vec::new();
            if let Some(c) = cut_line(&line, &mut cuts) {
                prop_assert_eq!(record_from_cuts(&line, &cuts, c), full);
            }
        }

        /// Lines read through the marks of the text they lie in (the headless reader marks a
        /// chunk once) read exactly as lines classified on their own: glance, early stop at a
        /// msg and cuts, wherever a line starts relative to the 64-byte blocks.
        #[test]
        fn marked_text_reads_like_lone_lines(
            lines in proptest::collection::vec(logfmt_line(), 1..6),
            pad in 0usize..64,
            link in any::<bool>(),
        ) {
            let mut text = "x".repeat(pad);
            text.push('\n');
            if link {
                text.push_str("msg=\"[a](http://b)\"\n");
            }
            let mut starts = Vec::new();
            for line in &lines {
                starts.push(text.len());
                text.push_str(line);
                text.push('\n');
            }
            let mut marks = TextMarks::default();
            marks.mark(&text);
            for (line, &start) in lines.iter().zip(&starts) {
                let marking = marks.at(start);
                let registry = |m: &str| m == "do request";
                prop_assert_eq!(glance_unless(line, marking, registry), glance_unless(line, Marking::NONE, registry));
                prop_assert_eq!(glance_unless(line, marking, |_| false), glance(line));
                let (mut marked, mut lone) = (Vec::new(), Vec::new());
                prop_assert_eq!(cut_line_marked(line, marking, &mut marked), cut_line(line, &mut lone));
                prop_assert_eq!(&marked, &lone);
                // One pass: the same cuts, and the glance whenever glance_unless gives one.
                let mut both = Vec::new();
                match cut_glancing(line, marking, registry, &mut both) {
                    Some((cut, g)) => {
                        prop_assert_eq!(Some(cut), cut_line_marked(line, marking, &mut Vec::new()));
                        prop_assert_eq!(&both, &marked);
                        prop_assert_eq!(g, glance_unless(line, marking, registry));
                    }
                    None => {
                        prop_assert!(marked.is_empty() && both.is_empty());
                        prop_assert_eq!(cut_line_marked(line, marking, &mut Vec::new()), None);
                    }
                }
            }
        }

        #[test]
        fn unquote_matches_char_by_char(s in "[a-z\\\\\"ntxuU0-9a-fA-F+é]{0,16}") {
            prop_assert_eq!(unquote_go(&s), reference_unquote(&s));
        }
    }

    /// The char-by-char `unquote_go` the run-copying one replaced.
    fn reference_unquote(s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            let Some(e) = chars.next() else {
                out.push('\\');
                break;
            };
            match e {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'r' => out.push('\r'),
                'a' => out.push('\u{7}'),
                'b' => out.push('\u{8}'),
                'f' => out.push('\u{c}'),
                'v' => out.push('\u{b}'),
                '\\' | '"' | '\'' => out.push(e),
                'x' | 'u' | 'U' => {
                    let n = [2, 4, 8][usize::from(e != 'x') + usize::from(e == 'U')];
                    let hex: String = chars.clone().take(n).collect();
                    match u32::from_str_radix(&hex, 16)
                        .ok()
                        .filter(|_| hex.len() == n)
                    {
                        Some(v) => {
                            for _ in 0..n {
                                chars.next();
                            }
                            let c = char::from_u32(v).filter(|_| e != 'x' || v < 0x80);
                            out.push(c.unwrap_or('\u{FFFD}'));
                        }
                        None => {
                            out.push('\\');
                            out.push(e);
                        }
                    }
                }
                _ => {
                    out.push('\\');
                    out.push(e);
                }
            }
        }
        out
    }
}

/// `parse_rfc3339` remembers the last date-and-second it parsed: the answer for a time must not
/// depend on which time came before it (same second with other nanoseconds or offsets, an
/// invalid time with a valid one's head, every order).
#[test]
fn time_answers_do_not_depend_on_the_time_before() {
    let times = [
        "2022-02-06T17:47:48Z",
        "2022-02-06T17:47:48.5Z",
        "2022-02-06T17:47:48+01:00",
        "2022-02-06T17:47:48-0130",
        "2022-02-06T17:47:48Q",
        "2022-02-06 17:47:48Z",
        "2022-02-06T17:47:49Z",
        "2022-13-06T17:47:48Z",
        "1970-01-01T00:00:00Z",
        "2022-02-06T17:47:4",
    ];
    let alone: Vec<Option<Timestamp>> = times
        .iter()
        .map(|t| {
            // Another head first, so nothing of `t` is remembered.
            parse_rfc3339("1999-09-09T09:09:09Z");
            parse_rfc3339(t)
        })
        .collect();
    assert_eq!(alone[0].unwrap().rfc3339(), "2022-02-06T17:47:48.000Z");
    assert_eq!(alone[2].unwrap().0, alone[0].unwrap().0 - 3_600_000_000_000);
    assert_eq!((alone[4], alone[7], alone[9]), (None, None, None));
    for (i, a) in times.iter().enumerate() {
        for (j, b) in times.iter().enumerate() {
            parse_rfc3339(a);
            assert_eq!(parse_rfc3339(b), alone[j], "{b} after {a}");
            assert_eq!(parse_rfc3339(a), alone[i], "{a} after {b}");
        }
    }
}
