//! `x` in the Mirrors view writes the whole view as Markdown (`bkscope-mirrors.md`): every
//! verdict with its reason and evidence, the configured mirrors, the hosts table, whichever
//! row is selected; log text literal in it, as in the other reports.

use super::*;
use crate::app::markdown::{cells, literal};
use crate::model::mirror::MirrorConfig;

const SEED_CONFIG: &str = include_str!("../../../tests/fixtures/seed/buildkitd.toml");
const MIRROR_USED: &str = include_str!("../../../tests/fixtures/dockerd-20.10/mirror_used.log");
const FALLBACK: &str = include_str!("../../../tests/fixtures/dockerd-20.10/mirror_fallback.log");
const NO_CREDS: &str =
    include_str!("../../../tests/fixtures/dockerd-20.10/mirror_basic_auth_no_creds.log");

/// The app on `log`, with the mirrors `config` (buildkitd.toml text) names, if any.
fn app_with(name: &str, log: &str, config: Option<&str>) -> App {
    let opts = AppOptions {
        mirrors: config.map_or_else(MirrorConfig::default, |c| {
            MirrorConfig::from_buildkitd_toml(c).expect("a valid config")
        }),
        ..AppOptions::default()
    };
    let mut app = App::from_log_with(opts, name, log);
    app.update(Action::Layout(Rect::new(0, 3, 100, 10)));
    app
}

/// `x` in the Mirrors view: the one report it queues, its file name and its status note.
fn export(app: &mut App) -> (String, String, Option<&'static str>) {
    press(app, "4");
    press(app, "x");
    match app.take_effects().as_slice() {
        [
            Effect::WriteReport {
                path, text, note, ..
            },
        ] => (
            path.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            text.clone(),
            *note,
        ),
        other => panic!("{other:?}"),
    }
}

/// Every evidence line of every verdict is in the report as the view lists it, its text
/// literal Markdown.
fn assert_every_evidence_line(app: &App, text: &str) {
    for v in app.model.mirror_verdicts() {
        for e in &v.evidence {
            let line = format!("- line {}: {}", e.line, literal(&e.why));
            assert!(text.contains(&line), "{line}: {text}");
        }
    }
}

/// The `## name` section of a report: from its heading to the next `## ` heading.
fn section<'a>(text: &'a str, name: &str) -> &'a str {
    let head = format!("## {name}\n");
    let start = text
        .match_indices(&head)
        .find(|(i, _)| *i == 0 || text[..*i].ends_with('\n'))
        .map_or_else(|| panic!("no {head}: {text}"), |(i, _)| i);
    let body = &text[start + head.len()..];
    let end = body.find("\n## ").map_or(body.len(), |i| i + 1);
    &text[start..start + head.len() + end]
}

// Review: `### Evidence for docker.io → …` sat under `## Configured mirrors (--config)`: each
// verdict's evidence is under `## Mirrors` now, in the verdicts' order, and the other
// sections hold none.
#[test]
fn each_evidence_section_is_under_mirrors() {
    let mut app = app_with("mirror_fallback.log", FALLBACK, Some(SEED_CONFIG));
    let (_, text, _) = export(&mut app);
    let mirrors = section(&text, "Mirrors");
    let configured = section(&text, "Configured mirrors (--config)");
    let hosts = section(&text, "Hosts");
    let headings: Vec<&str> = text.lines().filter(|l| l.starts_with('#')).collect();
    assert_eq!(
        headings,
        [
            "# bkscope: mirrors",
            "## Mirrors",
            "### Evidence for docker.io → 127.0.0.1:5001 (2 lines)",
            "### Evidence for docker.io → mirror.gcr.io (configured; 1 line)",
            "## Configured mirrors (--config)",
            "## Hosts",
        ]
    );
    assert!(
        mirrors.contains("### Evidence for docker.io → mirror.gcr.io (configured; 1 line)\n"),
        "{mirrors}"
    );
    assert!(!configured.contains("Evidence"), "{configured}");
    assert!(!hosts.contains("Evidence"), "{hosts}");
    assert_eq!(
        configured,
        "## Configured mirrors (--config)\n\n- docker.io → mirror.gcr.io: ❌ **UNUSED**\n\n"
    );
    for v in app.model.mirror_verdicts() {
        for e in &v.evidence {
            let line = format!("- line {}: {}", e.line, literal(&e.why));
            assert!(mirrors.contains(&line), "{line}: {mirrors}");
        }
    }
}

#[test]
fn x_in_the_mirrors_view_writes_every_verdict_with_its_evidence_and_the_hosts() {
    // The GCR seed with its buildkitd.toml: the configured mirror served every blob.
    let mut app = app_with("mirror_gcr.log", GCR, Some(SEED_CONFIG));
    let (file, text, note) = export(&mut app);
    assert_eq!(file, "bkscope-mirrors.md");
    assert_eq!(
        note,
        Some("the whole Mirrors view: every verdict and every host")
    );
    assert!(
        text.starts_with("# bkscope: mirrors\n\n- source: mirror\\_gcr.log\n"),
        "{text}"
    );
    for line in [
        "| upstream | mirror | verdict | via mirror | direct | fallbacks |",
        "| docker.io | mirror.gcr.io (configured) | ✅ **USED** | 3 | 0 | 0 |",
        "## Configured mirrors (--config)\n\n- docker.io → mirror.gcr.io: ✅ **USED**\n",
        "### Evidence for docker.io → mirror.gcr.io (configured; 3 lines)\n",
        "- line 2: served by the mirror: GET blob 200 OK, served by google-cloud-storage \\(header \
         x-goog-generation\\), the server behind mirror.gcr.io\n",
        "| mirror.gcr.io? | 3 | 0 | 0% | 2.7 MiB | google-cloud-storage | 1 |  |",
    ] {
        assert!(text.contains(line), "{line}: {text}");
    }
    assert_every_evidence_line(&app, &text);

    // Without the config nothing in the log names a mirror (no `?ns=`): the view's empty
    // verdicts, said as the summary says them, and the hosts table all the same.
    let mut app = app_with("mirror_gcr.log", GCR, None);
    let (_, text, _) = export(&mut app);
    assert!(!text.contains("(configured"), "{text}");
    for line in [
        "## Mirrors\n\nNone configured or seen (no `?ns=` request; pass `--config \
         buildkitd.toml` to judge a configured mirror).\n",
        "## Configured mirrors (--config)\n\nNone (pass `--config buildkitd.toml`",
        "| unknown | 3 | 0 | 0% | 2.7 MiB | google-cloud-storage | 1 |  |",
    ] {
        assert!(text.contains(line), "{line}: {text}");
    }
}

#[test]
fn a_dockerd_mirror_fallback_with_and_without_a_config_naming_another_mirror() {
    // dockerd 20.10, its mirror 127.0.0.1:5001 refusing connections, the upstream too.
    let mut app = app_with("mirror_fallback.log", FALLBACK, None);
    let (_, text, _) = export(&mut app);
    for line in [
        "| docker.io | 127.0.0.1:5001 | ❌ **UNUSED** | 0 | 1 | 1 |",
        "### Evidence for docker.io → 127.0.0.1:5001 (2 lines)\n",
        "- line 22: mirror failed, next host tried: HEAD manifest to 127.0.0.1:5001 with \
         ns=docker.io: failed to do request: ",
        "| 127.0.0.1:5001 | 1 | 1 | 100% | 0 B | - | 1 |  |",
        "| registry-1.docker.io | 1 | 1 | 100% | 0 B | - | 1 |  |",
    ] {
        assert!(text.contains(line), "{line}: {text}");
    }
    assert!(!text.contains("mirror.gcr.io"), "{text}");
    assert_every_evidence_line(&app, &text);

    // The seed's config names mirror.gcr.io, which nothing asked: its own verdict, marked
    // configured, with the reason the view gives.
    let mut app = app_with("mirror_fallback.log", FALLBACK, Some(SEED_CONFIG));
    let (_, text, _) = export(&mut app);
    for line in [
        "| docker.io | 127.0.0.1:5001 | ❌ **UNUSED** | 0 | 1 | 1 |",
        "| docker.io | mirror.gcr.io (configured) | ❌ **UNUSED** | 0 | 1 | 0 |",
        "- docker.io → mirror.gcr.io: configured, yet no request reached it while docker.io \
         was pulled elsewhere: 1 direct to the upstream\n",
        "- docker.io → mirror.gcr.io: ❌ **UNUSED**\n",
        "### Evidence for docker.io → mirror.gcr.io (configured; 1 line)\n",
    ] {
        assert!(text.contains(line), "{line}: {text}");
    }
    assert_every_evidence_line(&app, &text);

    // A host selected (the view's only selection): still the whole view, word for word.
    let len = app.activity.hosts.len();
    app.hosts_cursor.select(1, len, 10);
    assert_eq!(app.hosts_cursor.selected, 1);
    assert_eq!(export(&mut app).1, text);
}

#[test]
fn with_several_sources_each_evidence_line_names_its_file() {
    let mut app = App::from_logs(&[("A.log", MIRROR_USED), ("B.log", MIRROR_USED)]);
    let (_, text, _) = export(&mut app);
    assert!(text.contains("- sources: A.log, B.log\n"), "{text}");
    assert!(
        text.contains("- A.log line 22: served by the mirror: HEAD manifest to 127.0.0.1:5001"),
        "{text}"
    );
    // B.log's four are counted (four lines kept per reason), never silent.
    for line in [
        "### Evidence for docker.io → 127.0.0.1:5001 (8 lines)\n",
        "- … and 4 more (not kept: 4 lines per reason)\n",
    ] {
        assert!(text.contains(line), "{line}: {text}");
    }
}

// Review: the x report's Hosts table wrote `1.6K` and `0B` where `summary --markdown` writes
// `1.6 KiB` and `0 B`. One formatter now (`words::human_bytes`): on demo.log every host's bytes
// cell reads as the summary's for that host.
#[test]
fn the_hosts_bytes_read_as_summary_markdown_writes_them() {
    let mut app = app_with("demo.log", DEMO, None);
    let (_, text, _) = export(&mut app);
    let mut summary = crate::model::Summary::from_model(&app.model);
    summary.sources = vec!["demo.log".to_owned()];
    let mut md = Vec::new();
    crate::cli::markdown::write(&summary, app.kb(), &mut md).expect("written to memory");
    let md = String::from_utf8(md).expect("utf-8");
    // host → bytes cell: the 4th cell of the summary's Hosts rows, the 5th of the report's.
    let cells_of = |text: &str, head: &str, col: usize| -> Vec<(String, String)> {
        let table = &text[text.find(head).unwrap_or_else(|| panic!("{head}: {text}"))..];
        table
            .lines()
            .skip(4)
            .take_while(|l| l.starts_with('|'))
            .map(|l| {
                let c: Vec<&str> = l.split(" | ").collect();
                (c[0].trim_start_matches("| ").to_owned(), c[col].to_owned())
            })
            .collect()
    };
    let ours = cells_of(&text, "## Hosts\n", 4);
    let theirs = cells_of(&md, "### Hosts\n", 3);
    assert_eq!(
        ours,
        [
            ("127.0.0.1:5001".to_owned(), "1.6 KiB".to_owned()),
            ("127.0.0.1:5010".to_owned(), "0 B".to_owned()),
            ("127.0.0.1:5011".to_owned(), "0 B".to_owned()),
            ("registry-1.docker.io".to_owned(), "1.6 KiB".to_owned()),
        ]
    );
    assert_eq!(ours, theirs);
}

/// A mirror whose host, path and status carry backticks, a table cell, raw HTML, a link and
/// terminal escapes; the configured mirror's name and the file's name too.
const HOSTILE: &str = concat!(
    "time=\"2026-11-24T13:08:35.100Z\" level=debug msg=\"do request\" host=\"m`x`|<b>.io\" ",
    "request.method=GET url=\"http://m`x`|<b>.io/v2/library/a[x](javascript:1)\u{1b}[31m/",
    "manifests/latest?ns=docker.io\"\n",
    "time=\"2026-11-24T13:08:35.300Z\" level=debug msg=\"fetch response received\" ",
    "host=\"m`x`|<b>.io\" response.status=\"404 Not `Found` <i>\u{1b}]0;T\u{7}\" ",
    "url=\"http://m`x`|<b>.io/v2/library/a[x](javascript:1)\u{1b}[31m/manifests/latest",
    "?ns=docker.io\"\n",
);

#[test]
fn hostile_hosts_evidence_and_config_names_are_literal_in_the_report() {
    let config = "[registry.\"docker.io\"]\n  mirrors = [\"ev`il|<s>\\u001b[31m.io\"]\n";
    let mut app = app_with("a`b|<c>\u{1b}[2J.log", HOSTILE, Some(config));
    let (_, text, _) = export(&mut app);
    assert!(
        !text.contains(['\u{1b}', '\u{7}']),
        "a raw terminal control: {text:?}"
    );
    for markup in ['`', '|', '<', '['] {
        // Every markup character from the log is escaped; the report's own are its tables'
        // pipes and the help's code spans, and `[` and `<` nowhere.
        let own = |l: &str| {
            l.starts_with('|') && markup == '|' || l.contains("`--config") || l.contains("`?ns=`")
        };
        for line in text.lines().filter(|l| !own(l)) {
            for (i, _) in line.match_indices(markup) {
                assert_eq!(&line[i - 1..i], "\\", "{markup} at {i} in {line}");
            }
        }
    }
    for line in [
        "- source: a\\`b\\|\\<c\\>\\\\x1b\\[2J.log\n",
        "| docker.io | ev\\`il\\|\\<s\\>\\\\x1b\\[31m.io (configured) | ❔ **UNKNOWN** | 0 | 0 | 0 |",
        "| docker.io | m\\`x\\`\\|\\<b\\>.io | ❌ **UNUSED** | 0 | 0 | 1 |",
        "- line 2: mirror failed, next host tried: GET manifest to m\\`x\\`\\|\\<b\\>.io with \
         ns=docker.io: 404 Not \\`Found\\` \\<i\\>\\\\x1b\\]0;T\\\\x07\n",
        "| m\\`x\\`\\|\\<b\\>.io | 1 | 1 | 100% | 0 B | - | 1 |  |",
    ] {
        assert!(text.contains(line), "{line}: {text}");
    }
    // Each row of a table keeps its cells: 6 in the verdicts', 8 in the hosts'.
    for row in text.lines().filter(|l| l.starts_with('|')) {
        let n = cells(row);
        assert!(n == 6 || n == 8, "{n} cells: {row}");
    }
}

// A mirror behind auth without a login, left silently for the upstream: each fallback is cited
// by the upstream's request (the line that proves the next host was tried) and names the
// mirror's 401 and its line, as `summary` says it.
#[test]
fn x_names_the_mirrors_401_of_a_silent_fallback() {
    let mut app = app_with("no_creds.log", NO_CREDS, None);
    let (_, text, _) = export(&mut app);
    for line in [
        "- line 25: mirror failed, next host tried: HEAD manifest to 127.0.0.1:5001 with \
         ns=docker.io: 401 Unauthorized at line 22\n",
        "- line 50: mirror failed, next host tried: GET blob to 127.0.0.1:5001 with \
         ns=docker.io: 401 Unauthorized at line 48\n",
        "- line 26: direct to the upstream: HEAD manifest straight to registry-1.docker.io: \
         200 OK\n",
    ] {
        assert!(text.contains(line), "{line}: {text}");
    }
    assert_every_evidence_line(&app, &text);
}

/// The app on `log` with `--max-events cap` and the seed's `buildkitd.toml`, in the Mirrors
/// view.
fn capped(name: &str, log: &str, cap: Option<usize>) -> App {
    let opts = AppOptions {
        mirrors: MirrorConfig::from_buildkitd_toml(SEED_CONFIG).expect("a valid config"),
        max_events: cap,
        ..AppOptions::default()
    };
    let mut app = App::from_log_with(opts, name, log);
    app.update(Action::Layout(Rect::new(0, 3, 120, 30)));
    press(&mut app, "4");
    app
}

/// Each row of the hosts table: its host and its requests, failures and bytes.
fn host_rows(app: &App) -> Vec<(String, u64, u64, u64)> {
    let rows = app.activity.hosts.iter().map(|h| {
        let t = h.totals(&app.model);
        (h.host.clone(), t.requests, t.errors, t.bytes)
    });
    rows.collect()
}

// The review: with `--max-events 10` on demo.log the hosts table lost the mirror
// `127.0.0.1:5001` (8 requests, 4 errors: all its events dropped) while its verdict and the
// header still counted it, and `x` wrote a one-row Hosts table at `--max-events 5`. Every host
// of the whole input has its row with the whole input's counts, whatever the cap; the view
// and the report say how many events went and which columns count only the kept ones.
#[test]
fn every_host_keeps_its_row_and_whole_counts_past_max_events() {
    let miss = include_str!("../../../tests/fixtures/hand-written/buildkit-v0.26-mirror-miss.txt");
    for (name, log) in [
        ("demo.log", DEMO),
        ("miss.txt", miss),
        ("fallback", FALLBACK),
    ] {
        let whole = capped(name, log, None);
        assert_eq!(whole.activity.dropped, 0);
        let rows = host_rows(&whole);
        assert!(!rows.is_empty(), "{name}");
        let sum = |rows: &[(String, u64, u64, u64)]| {
            rows.iter()
                .fold((0, 0, 0), |a, r| (a.0 + r.1, a.1 + r.2, a.2 + r.3))
        };
        for cap in 1..whole.model.event_count() {
            let mut app = capped(name, log, Some(cap));
            let dropped = app.model.evicted_count();
            assert_eq!(app.activity.dropped, dropped, "{name} cap {cap}");
            let got = host_rows(&app);
            // Every row keeps its counts, a host the log names and one inferred or `unknown`
            // for requests logged without a host (the model's counts of the whole input): the
            // columns' sums do not change.
            for r in &rows {
                assert!(got.contains(r), "{name} cap {cap}: {r:?} not in {got:?}");
            }
            assert_eq!(sum(&got), sum(&rows), "{name} cap {cap}: {got:?}");
            let (_, text, _) = export(&mut app);
            let hosts = section(&text, "Hosts");
            let note = format!("Events past the cap (`--max-events`): {dropped} dropped;");
            assert_eq!(
                hosts.contains(&note),
                dropped > 0,
                "{name} cap {cap}: {hosts}"
            );
            for r in rows
                .iter()
                .filter(|r| !r.0.ends_with('?') && r.0 != "unknown")
            {
                let cell = format!("| {} | {} | {} |", literal(&r.0), r.1, r.2);
                assert!(hosts.contains(&cell), "{name} cap {cap}: {cell}: {hosts}");
            }
        }
    }
    // The review's case: the mirror's row is there, 8 requests and 4 failures.
    let app = capped("demo.log", DEMO, Some(10));
    let mirror = host_rows(&app)
        .into_iter()
        .find(|r| r.0 == "127.0.0.1:5001");
    assert_eq!(mirror.map(|r| (r.1, r.2)), Some((8, 4)));
    let (_, text, _) = export(&mut capped("demo.log", DEMO, Some(5)));
    let rows = section(&text, "Hosts")
        .lines()
        .filter(|l| l.starts_with("| "))
        .count();
    assert_eq!(rows, 1 + host_rows(&capped("demo.log", DEMO, None)).len());
}
