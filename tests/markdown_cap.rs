//! `summary --markdown` stays well under GitHub's 1 MiB step-summary limit whatever the log:
//! a log of thousands of distinct 429s, made from the real capture
//! `tests/fixtures/dockerd-20.10/rate_limited_429_head.log` by copying its request/response
//! pairs with the repository renamed in each copy, gave 2.6 MB of Markdown, which GitHub
//! refuses whole. Its tables now show their first 200 rows and say how many more
//! `summary --json` has, the headline and the titles count every error, and no row is cut; so
//! do the tables of many hosts with long names, and of many mirrors (the headline names eight).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers, not input paths

use std::io::Write;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_bkscope");
const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/dockerd-20.10/rate_limited_429_head.log"
);

/// The bound the Markdown keeps, half of GitHub's limit.
const BOUND: usize = 512 * 1024;

/// The fixture with its six `do request`/`fetch response received` pairs copied `copies`
/// times in turn, each copy's lines passed through `rename(copy, line)`; the lines before and
/// after the pairs once, as they are.
fn many_429s(copies: usize, rename: impl Fn(usize, &str) -> String) -> Vec<u8> {
    let log = std::fs::read_to_string(FIXTURE).unwrap();
    let lines: Vec<&str> = log.lines().collect();
    let at: Vec<usize> = (0..lines.len())
        .filter(|&i| {
            lines[i].contains(r#"msg="do request""#)
                || lines[i].contains(r#"msg="fetch response received""#)
        })
        .collect();
    assert_eq!(at.len(), 12, "six pairs in the fixture");
    let pairs: Vec<[&str; 2]> = at.chunks(2).map(|p| [lines[p[0]], lines[p[1]]]).collect();
    let mut out = String::new();
    for line in &lines[..at[0]] {
        out.push_str(line);
        out.push('\n');
    }
    for copy in 0..copies {
        for line in pairs[copy % pairs.len()] {
            out.push_str(&rename(copy, line));
            out.push('\n');
        }
    }
    for line in &lines[at[at.len() - 1] + 1..] {
        out.push_str(line);
        out.push('\n');
    }
    out.into_bytes()
}

/// stdout of `bkscope summary <args> -` with `input` on stdin; it must exit 0.
fn summary(args: &[&str], input: &[u8]) -> String {
    let mut child = Command::new(BIN)
        .arg("summary")
        .args(args)
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(out.status.success(), "{args:?}: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// The cells of a table row: pipes not escaped by a backslash, less the row's two edges.
fn cells(row: &str) -> usize {
    let (mut n, mut escaped) = (0_usize, false);
    for c in row.chars() {
        match c {
            '\\' if !escaped => escaped = true,
            '|' if !escaped => n += 1,
            _ => escaped = false,
        }
    }
    n.saturating_sub(1)
}

/// The rows of the table under `### {title}` (header and alignment rows left out).
fn table<'a>(md: &'a str, title: &str) -> Vec<&'a str> {
    let at = md
        .find(&format!("\n### {title}"))
        .unwrap_or_else(|| panic!("no {title} in {md}"));
    md[at + 1..]
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .collect()
}

/// Every table row is whole: it ends with its edge and has its header's cells.
fn rows_are_whole(md: &str) {
    let mut header = 0;
    for line in md.lines() {
        if !line.starts_with('|') {
            header = 0;
            continue;
        }
        assert!(
            line.ends_with(" |") || line.ends_with('|'),
            "cut row: {line}"
        );
        if header == 0 {
            header = cells(line);
        }
        assert_eq!(cells(line), header, "{line}");
    }
}

#[test]
fn thousands_of_distinct_errors_stay_under_half_a_mebibyte() {
    let copies = 9000;
    let log = many_429s(copies, |copy, line| {
        line.replace("ratelimited/head", &format!("ratelimited/head-{copy}"))
    });
    // The JSON lists every one: the rows the Markdown leaves out are there.
    let json: serde_json::Value = serde_json::from_str(&summary(&["--json"], &log)).unwrap();
    assert_eq!(json["errors"].as_array().unwrap().len(), copies);
    assert_eq!(json["findings_omitted"], 0);

    let md = summary(&["--markdown"], &log);
    assert!(md.len() <= BOUND, "{} bytes", md.len());
    // The headline and the title count all of them.
    assert_eq!(
        md.lines().next().unwrap(),
        "## bkscope: ❌ 9000 fetch errors"
    );
    assert!(md.contains("\n### Fetch errors (9000)\n"), "{md}");
    let rows = table(&md, "Fetch errors");
    assert_eq!(rows.len(), 200);
    // The first rows, in order.
    assert!(
        rows[0].contains("/v2/ratelimited/head-0/manifests/latest"),
        "{}",
        rows[0]
    );
    assert!(
        rows[199].contains("/v2/ratelimited/head-199/manifests/latest"),
        "{}",
        rows[199]
    );
    assert!(
        md.contains(
            "| line 22 | **rate-limited** | 127.0.0.1:5011 | HEAD http://127.0.0.1:5011/v2/ratelimited/head-0/manifests/latest → 429 Too Many Requests | **ratelimit/docker-hub-429**:"
        ),
        "{md}"
    );
    assert!(
        md.contains(
            "\n\n_… and 8800 more rows not shown (200 of 9000 here: the Markdown caps its tables to stay under GitHub's 1 MiB step-summary limit); `bkscope summary --json` has them all._\n\n### Hosts\n"
        ),
        "{md}"
    );
    rows_are_whole(&md);
    // One host, one rate limit: whole, with no line under them.
    assert_eq!(
        table(&md, "Hosts"),
        ["| 127.0.0.1:5011 | 9000 | 9000 | 0 B | docker-hub |"]
    );
    assert_eq!(table(&md, "Rate limits").len(), 1);
    assert_eq!(md.matches("more rows not shown").count(), 1, "{md}");
    // `--fail-on` counts all of them, as with the other formats.
    let mut child = Command::new(BIN)
        .args(["summary", "--markdown", "--fail-on", "errors", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&log));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("9000 fetch errors"),
        "{out:?}"
    );
}

/// The longest rows: each copy on a host of its own with a 200-byte name, its repository 280
/// four-byte characters (the cell shows 300 characters of the url), so the errors, hosts and
/// rate limits tables all grow; each stops at 200 whole rows.
#[test]
fn long_rows_on_many_hosts_stay_under_half_a_mebibyte() {
    let copies = 2000;
    let wide = "\u{1d538}".repeat(280);
    let log = many_429s(copies, |copy, line| {
        let host = format!("r{copy}.{}.example:5011", vec!["x".repeat(60); 3].join("."));
        line.replace("ratelimited/head", &format!("ratelimited/{copy}{wide}"))
            .replace("127.0.0.1:5011", &host)
    });
    let md = summary(&["--markdown"], &log);
    assert!(md.len() <= BOUND, "{} bytes", md.len());
    assert_eq!(
        md.lines().next().unwrap(),
        "## bkscope: ❌ 2000 fetch errors"
    );
    for title in ["Fetch errors", "Hosts", "Rate limits"] {
        assert_eq!(table(&md, title).len(), 200, "{title}");
    }
    assert_eq!(
        md.matches("_… and 1800 more rows not shown (200 of 2000 here")
            .count(),
        3,
        "{md}"
    );
    rows_are_whole(&md);
}

/// Mirrors grow with the log too: `mirror_miss_fallback_ok.log` (a real capture whose mirror
/// missed and the upstream served) copied 300 times, the mirror renamed in each copy, is 300
/// mirrors `unused` (874 KB of Markdown before the cap). The headline names 8 and counts the
/// others; the mirrors table and the evidence blocks stop at 200.
#[test]
fn many_mirrors_are_named_in_the_headline_up_to_eight_and_counted() {
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/dockerd-20.10/mirror_miss_fallback_ok.log"
    );
    let one = std::fs::read_to_string(fixture).unwrap();
    let log: String = (0..300)
        .map(|k| one.replace("127.0.0.1:5001", &format!("mirror-{k}.example:5001")))
        .collect();
    let md = summary(&["--markdown"], log.as_bytes());
    assert!(md.len() <= BOUND, "{} bytes", md.len());
    let head = md.lines().next().unwrap();
    assert!(
        head.starts_with("## bkscope: ↩️ 1200 errors recovered by a fallback · ❌ mirror docker.io → mirror-0.example:5001 UNUSED · "),
        "{head}"
    );
    assert_eq!(head.matches(" UNUSED").count(), 8, "{head}");
    assert!(
        head.ends_with(" UNUSED · … and 292 more mirrors not used"),
        "{head}"
    );
    assert_eq!(table(&md, "Mirrors").len(), 200);
    assert!(
        md.contains("\n\n_… and 100 more rows not shown (200 of 300 here: "),
        "{md}"
    );
    assert_eq!(md.matches("<details><summary>Evidence for ").count(), 200);
    assert_eq!(
        md.matches("<details>").count(),
        md.matches("</details>").count()
    );
    assert!(
        md.contains("_… and 100 more mirrors' evidence not shown (200 of 300 here: "),
        "{md}"
    );
    rows_are_whole(&md);
}
