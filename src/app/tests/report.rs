//! The `x` export is Markdown, and log text in it is literal: a log line cannot open a link,
//! raw HTML or a new table cell (as in `summary --markdown`), and a report never overwrites
//! another.

use super::*;
use crate::app::markdown::{cells, literal};

/// tests/fixtures/secrets/markup.log: a 404 whose url carries a table cell, raw HTML and a
/// link, in a trace, with a user agent carrying a script tag.
const MARKUP: &str = include_str!("../../../tests/fixtures/secrets/markup.log");

/// The hostile url of markup.log as literal Markdown, each markup character escaped, its
/// `[click](http://evil)` too (the log's own text: only a link GitHub injects, `[url](url)`,
/// is undone by `parse/repair.rs`).
const URL: &str =
    r"https://r.io/v2/a/manifests/x\|\<img src=x onerror=alert\(1\)\>\|\[click\]\(http://evil\)";

fn report(view: &str) -> String {
    let mut app = App::from_log("markup.log", MARKUP);
    app.update(Action::Layout(Rect::new(0, 3, 100, 10)));
    press(&mut app, view);
    press(&mut app, "g");
    press(&mut app, "x");
    match app.take_effects().as_slice() {
        [Effect::WriteReport { text, .. }] => text.clone(),
        other => panic!("{other:?}"),
    }
}

/// The report less its fenced blocks (log lines and headers, literal there already).
fn outside_fences(text: &str) -> Vec<&str> {
    let mut inside: Option<&str> = None;
    let mut out = Vec::new();
    for line in text.lines() {
        let fence = line.trim_start();
        match inside {
            Some(f) if fence == f => inside = None,
            Some(_) => {}
            None if fence.starts_with("```") => inside = Some(fence),
            None => out.push(line),
        }
    }
    out
}

/// Every line of `text` outside its fences that names the hostile parts names them escaped.
fn assert_literal(text: &str) {
    let lines = outside_fences(text);
    for line in &lines {
        for (raw, escaped) in [
            ("<img", r"\<img"),
            ("<script", r"\<script"),
            ("[click", r"\[click"),
            ("](http", r"\]\(http"),
        ] {
            // No occurrence left once the escaped ones are taken out.
            assert!(
                !line.replace(escaped, "").contains(raw),
                "{raw} not escaped in: {line}"
            );
        }
    }
    assert!(lines.iter().any(|l| l.contains(URL)), "{text}");
    assert!(
        lines
            .iter()
            .any(|l| l.contains(r"\<script\>alert\(2\)\</script\>")),
        "the user agent: {text}"
    );
}

// `x` wrote `# bkscope: GET https://r.io/...|<img src=x onerror=alert(1)>|click → 404 Not
// Found` and `**Finding** line 2: …<img …>`, raw HTML and a link in the rendered report.
#[test]
fn log_text_in_an_event_report_is_literal_markdown() {
    let text = report("1");
    assert_literal(&text);
    let heading = text.lines().next().unwrap_or_default();
    assert_eq!(heading, format!("# bkscope: GET {URL} → 404 Not Found"));
    assert!(
        text.lines()
            .any(|l| l.starts_with("**Finding** line 2: ") && l.contains(URL)),
        "{text}"
    );
    // The log lines keep their text whole inside the fence.
    assert!(
        text.contains("onerror=alert(1)>|[click](http://evil)\""),
        "{text}"
    );
}

#[test]
fn log_text_in_a_trace_report_stays_in_its_cells() {
    let text = report("3");
    assert!(
        text.starts_with("# bkscope: trace 4bf92f3577b34da6a3ce929d0e0e4736"),
        "{text}"
    );
    assert_literal(&text);
    let rows: Vec<&str> = outside_fences(&text)
        .into_iter()
        .filter(|l| l.starts_with('|'))
        .collect();
    assert_eq!(rows.len(), 3, "head, alignment and the one request: {text}");
    for row in rows {
        assert_eq!(cells(row), 8, "{row}");
    }
    assert!(
        text.contains(&format!("## GET {URL} → 404 Not Found")),
        "{text}"
    );
}

/// A trace id is log text: `x` on a trace whose id holds `/`, `..` or terminal escapes writes
/// a report whose file name has none of them (it once wrote `bkscope-trace-ab␛]0;T␇cd.md`, raw
/// escapes in a directory listing, and failed on `../w/…` as a path).
#[test]
fn a_trace_reports_file_name_keeps_only_safe_characters_of_its_id() {
    let log = concat!(
        "time=\"2026-11-24T13:08:35.100Z\" level=debug msg=\"do request\" host=h.example.com ",
        "request.method=GET url=\"https://h.example.com/v2/a/manifests/x\" ",
        "spanID=1234123412341234 traceID=../w/zzzzzzzzz\n",
        "time=\"2026-11-24T13:08:35.300Z\" level=debug msg=\"do request\" host=h.example.com ",
        "request.method=GET url=\"https://h.example.com/v2/a/manifests/y\" ",
        "spanID=5678567856785678 traceID=\"ab\u{1b}]0;T\u{7}cd\"\n",
    );
    let mut app = App::from_log("hostile.log", log);
    app.update(Action::Layout(Rect::new(0, 3, 100, 10)));
    press(&mut app, "3");
    press(&mut app, "g");
    let mut names = Vec::new();
    for _ in 0..2 {
        press(&mut app, "x");
        match app.take_effects().as_slice() {
            [Effect::WriteReport { path, .. }] => {
                assert_eq!(path.parent(), Some(app.opts.export_dir.as_path()));
                names.push(path.file_name().map(|n| n.to_string_lossy().into_owned()));
            }
            other => panic!("{other:?}"),
        }
        press(&mut app, "j");
    }
    names.sort();
    assert_eq!(
        names,
        [
            Some("bkscope-trace-ab0Tcd.md".to_owned()),
            Some("bkscope-trace-wzzzzzzzzz.md".to_owned()),
        ]
    );
    assert_eq!(
        crate::app::export::trace_report_name("/.."),
        "bkscope-trace.md"
    );
    assert_eq!(
        crate::app::export::trace_report_name("a41ca2d4ffb02f0e0c7dcb7a7c3e8b35"),
        "bkscope-trace-a41ca2d4ffb0.md"
    );
}

/// The second review: a trace's `x` report, with another file open, ended `Versions seen in
/// the log (user agents): buildkit/v0.26.2, containerd/1.5.8+unknown`, the first only in the
/// other file. A trace lists its own requests' agents; an event's report, with several files
/// open, its own request's.
#[test]
fn a_report_lists_the_user_agents_of_its_own_requests() {
    const MISS: &str =
        include_str!("../../../tests/fixtures/hand-written/buildkit-v0.26-mirror-miss.txt");
    let files = [("miss.txt", MISS), ("gcr.log", GCR)];
    let app = crate::test_support::files_with_seed_config(&files, true);
    let text = crate::app::report::trace(&app, "b162d3040ddf86d6614e79c66a01a577");
    assert!(
        text.contains("Versions seen in this trace (user agents): containerd/1.5.8+unknown\n"),
        "{text}"
    );
    assert!(!text.contains("buildkit/v0.26"), "{text}");
    let ev = app
        .model
        .events()
        .find(|e| e.source == 0 && e.method.is_some())
        .unwrap_or_else(|| panic!("a request of miss.txt"));
    let text = crate::app::report::event(&app, ev);
    assert!(
        text.contains("Version of this request (user agents): buildkit/v0.26.2\n"),
        "{text}"
    );
    assert!(!text.contains("containerd/1.5.8"), "{text}");
}

/// The headings of a report (outside its fences: a command block's `# buildkitd.toml` is
/// none), and that each is at most one level below the one before it.
fn headings(text: &str) -> Vec<&str> {
    let heads: Vec<&str> = outside_fences(text)
        .into_iter()
        .filter(|l| l.starts_with('#'))
        .collect();
    let level = |h: &str| h.chars().take_while(|&c| c == '#').count();
    for pair in heads.windows(2) {
        assert!(
            level(pair[1]) <= level(pair[0]) + 1,
            "{} skips a level after {}: {text}",
            pair[1],
            pair[0]
        );
    }
    heads
}

/// The `#### name` table of a report: its `|` rows, up to the next heading.
fn table_rows<'a>(text: &'a str, name: &str) -> Vec<&'a str> {
    outside_fences(text)
        .into_iter()
        .skip_while(|l| *l != format!("#### {name}"))
        .skip(1)
        .take_while(|l| !l.starts_with('#'))
        .filter(|l| l.starts_with('|'))
        .collect()
}

/// The `#### name` list of a report: its `- ` items, up to the next heading.
fn items<'a>(text: &'a str, name: &str) -> Vec<&'a str> {
    let lines = outside_fences(text);
    lines
        .iter()
        .skip_while(|l| **l != format!("#### {name}"))
        .skip(1)
        .take_while(|l| !l.starts_with('#'))
        .filter_map(|l| l.strip_prefix("- "))
        .collect()
}

// Review: the event report's headings went `#` → `###` (the kb entry) → `##` (Request
// headers), the entry's doc urls followed its last workaround as a bare list, and its dead
// ends (which the knowledge-base pane shows) were missing. On demo.log's oauth 401 (the event
// `x` opens on): one level at a time, `## Diagnosis` holding the entry, its Workarounds, Dead
// ends and Docs under `####` headings, every dead end as the pane has it.
#[test]
fn an_event_reports_headings_nest_and_its_entry_has_dead_ends_and_docs() {
    let mut app = demo();
    press(&mut app, "x");
    let text = match app.take_effects().as_slice() {
        [Effect::WriteReport { text, .. }] => text.clone(),
        other => panic!("{other:?}"),
    };
    let heads = headings(&text);
    assert!(
        heads[0].starts_with("# bkscope: HEAD http://127.0.0.1:5010/"),
        "{text}"
    );
    assert_eq!(
        heads[1..],
        [
            "## Diagnosis",
            "### The registry's token endpoint refused the credentials BuildKit sent (oauth \
             token 401) (`auth/oauth-token-401`)",
            "#### Evidence",
            "#### Workarounds",
            "#### Dead ends",
            "#### Versions",
            "#### Docs",
            "## Request headers",
            "## Log lines (redacted)",
        ]
    );
    let ev = app.selected_event().expect("the oauth failure");
    let finding = app.findings_of_event(ev.id).next().expect("its finding");
    let [d] = app.diagnoses_of(finding) else {
        panic!("one entry: {text}")
    };
    assert!(d.text.dead_ends.len() >= 3, "{:?}", d.text.dead_ends);
    let dead: Vec<String> = d.text.dead_ends.clone();
    assert_eq!(items(&text, "Dead ends"), dead);
    assert!(
        dead[0].starts_with("Passing the token as a build secret"),
        "{dead:?}"
    );
    assert_eq!(items(&text, "Docs"), d.text.docs);
    // The third review: what matched and the version table, which the pane shows, were left
    // out. What matched is literal Markdown (it quotes the log), each version a table row.
    let matched: Vec<String> = d.evidence.iter().map(|e| literal(e)).collect();
    assert!(!matched.is_empty());
    assert_eq!(items(&text, "Evidence"), matched);
    assert!(
        matched[0].starts_with("text matched ") || matched[0].starts_with("text \\'"),
        "{matched:?}"
    );
    assert!(!d.text.versions.is_empty());
    let table = table_rows(&text, "Versions");
    assert_eq!(table[0], "| Tool | Status | Versions | Notes |");
    assert_eq!(table[1], "|---|---|---|---|");
    let rows: Vec<String> = d
        .text
        .versions
        .iter()
        .map(|v| {
            format!(
                "| {} | {} | {} | {} |",
                literal(&v.tool),
                literal(&v.status),
                literal(&v.range),
                literal(v.notes.as_deref().unwrap_or(""))
            )
        })
        .collect();
    assert_eq!(table[2..], rows);
    assert!(
        rows.iter().any(|r| r.starts_with("| BuildKit |")),
        "{rows:?}"
    );
    // A note's `GET|POST` stays in its cell: four cells a row, every other `|` escaped.
    assert!(text.contains(r"GET\|POST"), "{text}");
    for r in &table {
        let cells = r.matches('|').count() - r.matches(r"\|").count();
        assert_eq!(cells, 5, "{r}");
    }
    assert_eq!(
        items(&text, "Docs").first().copied(),
        Some("https://docs.docker.com/build/ci/github-actions/")
    );
    // No url outside the Docs list (a bare list after the last workaround).
    let bare: Vec<&str> = outside_fences(&text)
        .into_iter()
        .filter(|l| l.starts_with("- http"))
        .collect();
    assert_eq!(bare.len(), d.text.docs.len(), "{text}");
}

/// A trace report nests too: each failure's log lines under it (`###`), the entries under
/// `## Diagnoses`, with their dead ends and docs.
#[test]
fn a_trace_reports_headings_nest() {
    use crate::test_support::{DEMO_TRACES, traced_demo};
    let app = App::from_log("demo.log", &traced_demo());
    let text = crate::app::report::trace(&app, DEMO_TRACES[2]);
    let heads = headings(&text);
    // Each failure the facts count (`7 failed`) has its `##` section, its lines under it.
    assert!(text.contains(", 7 failed, "), "{text}");
    let failures = heads
        .iter()
        .filter(|h| h.starts_with("## ") && **h != "## Diagnoses")
        .count();
    assert_eq!(failures, 7, "{text}");
    assert_eq!(
        heads
            .iter()
            .filter(|h| **h == "### Log lines (redacted)")
            .count(),
        failures,
        "{text}"
    );
    let diagnoses = heads
        .iter()
        .position(|h| *h == "## Diagnoses")
        .expect("## Diagnoses");
    assert!(
        heads[diagnoses..]
            .iter()
            .any(|h| h.starts_with("### ") && h.ends_with("(`ratelimit/docker-hub-429`)")),
        "{text}"
    );
    assert!(heads[diagnoses..].contains(&"#### Dead ends"), "{text}");
    assert!(heads[diagnoses..].contains(&"#### Docs"), "{text}");
}

/// The report of the oauth failure's row names the realm it failed against, as `summary` does
/// (a review: it was only in the knowledge base's text), and so does the detail pane.
#[test]
fn the_report_of_an_auth_failure_names_its_realm() {
    let log = include_str!("../../../tests/fixtures/dockerd-20.10/oauth_token_401.log");
    let mut app = App::from_log("oauth_token_401.log", log);
    app.update(Action::Layout(Rect::new(0, 3, 100, 10)));
    press(&mut app, "g");
    press(&mut app, "e");
    press(&mut app, "x");
    let text = match app.take_effects().as_slice() {
        [Effect::WriteReport { text, .. }] => text.clone(),
        other => panic!("{other:?}"),
    };
    let finding = text
        .lines()
        .find(|l| l.starts_with("**Finding** line 25: "))
        .unwrap_or_default();
    assert!(
        finding.contains("(oauth-token, realm http://127.0.0.1:5010/token)"),
        "{text}"
    );
}

/// A failure read from text only (a CI job's output with the client's error) has no request
/// row: `x` on its line wrote nothing ("select a fetch event or a trace"), though the pane
/// beside it shows its diagnosis. Its report names the line, the finding, the diagnosis and
/// the line itself, redacted, and hostile text in it stays literal.
#[test]
fn x_on_a_failure_without_a_request_row_reports_it() {
    let log = concat!(
        "#1 [internal] load metadata for ghcr.io/o/r:1\n",
        "ERROR: failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized [x](http://evil) https://u:hunter2@ghcr.io/token\n",
    );
    let mut app = App::from_log("ci.log", log);
    app.update(Action::Layout(Rect::new(0, 3, 100, 10)));
    assert_eq!(app.view, View::Raw, "it opened on the failure's line");
    press(&mut app, "x");
    let text = match app.take_effects().as_slice() {
        [Effect::WriteReport { text, path, .. }] => {
            assert!(path.ends_with("bkscope-line-2.md"), "{path:?}");
            text.clone()
        }
        other => panic!("{other:?}"),
    };
    assert!(
        text.starts_with("# bkscope: auth failure at ci.log line 2\n"),
        "{text}"
    );
    assert!(text.contains("**Finding** line 2: "), "{text}");
    assert!(text.contains("(`auth/anonymous-token-401`)"), "{text}");
    assert!(text.contains("## Log line (redacted)"), "{text}");
    assert!(!text.contains("hunter2"), "{text}");
    // Literal outside the fence (inside it the text is inert already).
    assert!(
        outside_fences(&text)
            .iter()
            .all(|l| !l.contains("[x](http")),
        "{text}"
    );
    assert!(
        text.contains("\n```\n2: ERROR: failed to authorize"),
        "{text}"
    );
    // The empty Events view's panes show the same failure: `x` there writes the same.
    press(&mut app, "1");
    press(&mut app, "x");
    match app.take_effects().as_slice() {
        [Effect::WriteReport { text: again, .. }] => assert_eq!(again, &text),
        other => panic!("{other:?}"),
    }
    // A line of no failure has nothing to report, and says what can be.
    press(&mut app, "2");
    press(&mut app, "g");
    press(&mut app, "x");
    assert!(app.take_effects().is_empty());
    assert!(said(&app).contains("a failure's line"), "{}", said(&app));
}
