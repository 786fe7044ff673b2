//! Micro-benchmarks in MB/s (`cargo bench`): the line parser, the quick look the reader thread
//! takes at every line, and the model's ingest, each over the same generated corpus
//! (examples/genlog). Whole-process comparisons with rg and lnav are in benches/compare.sh.

#![allow(clippy::unwrap_used, clippy::expect_used)] // benchmark setup, not input paths

use std::sync::LazyLock;

use divan::Bencher;
use divan::counter::BytesCount;

use bkscope::model::{Model, ModelOptions};
use bkscope::parse::{Record, TextMarks, parse_line};

#[path = "../examples/genlog/corpus.rs"]
mod corpus;

/// 8 MiB of corpus: big enough to mix every line shape, small enough for the cache-cold case.
static TEXT: LazyLock<String> =
    LazyLock::new(|| String::from_utf8(corpus::generate(8 << 20, 1)).expect("ascii corpus"));

fn main() {
    divan::main();
}

fn bytes() -> BytesCount {
    BytesCount::new(TEXT.len())
}

/// `parse_line` on every line: every field of every line, escapes undone.
#[divan::bench]
fn parse_every_line(b: Bencher) {
    b.counter(bytes()).bench(|| {
        let mut fields = 0;
        for line in TEXT.lines() {
            if let Record::Entry(e) = parse_line(line) {
                fields += e.fields.len();
            }
        }
        fields
    });
}

/// The quick look the explorer's ingest takes at every line, each line classified on its own.
#[divan::bench]
fn glance_every_line(b: Bencher) {
    b.counter(bytes()).bench(|| {
        TEXT.lines()
            .filter(|line| Model::plain_glance(line).is_none())
            .count()
    });
}

/// What the headless reader thread does: mark the text once, then the quick look at every
/// line through those marks.
#[divan::bench]
fn glance_every_line_marked(b: Bencher) {
    let mut marks = TextMarks::default();
    b.counter(bytes()).bench_local(|| {
        marks.mark(&TEXT);
        let mut registry = 0;
        let mut start = 0;
        for line in TEXT.split_inclusive('\n') {
            let body = line.strip_suffix('\n').unwrap_or(line);
            registry += usize::from(Model::plain_glance_marked(body, marks.at(start)).is_none());
            start += line.len();
        }
        registry
    });
}

/// Ingests `records` as `summary` does (events not kept, completed details forgotten).
fn summarise(records: &[Record<'_>]) -> usize {
    let mut m = Model::new(ModelOptions {
        keep_events: false,
        ..ModelOptions::default()
    });
    m.forget_completed_details();
    for (i, r) in records.iter().enumerate() {
        m.ingest(0, i as u64 + 1, r);
    }
    m.finish();
    m.event_count()
}

/// `Model::ingest` of pre-parsed records, as `summary` runs it (events not kept).
#[divan::bench]
fn model_ingest(b: Bencher) {
    let records: Vec<Record<'_>> = TEXT.lines().map(parse_line).collect();
    b.counter(bytes()).bench(|| summarise(&records));
}

/// The same corpus cut down to its `do request` and `fetch response received` lines, as a user
/// shrinks a log with grep, after 4,096 requests that got no answer (their failure was logged
/// on lines grep dropped; half of them dockerd's, half a modern buildkitd's with span ids, no
/// url): the model's queue of waiting requests is full, as in a long log cut this way, and
/// every line looks into it (docs/performance.md, "A full queue of waiting requests").
static REQUESTS: LazyLock<String> = LazyLock::new(|| {
    let mut text = String::new();
    for i in 0..4096 {
        let line = if i % 2 == 0 {
            format!(
                r#"time="2026-11-29T12:00:00Z" level=debug msg="do request" host=registry-1.docker.io request.header.user-agent=containerd/1.6.20+unknown request.method=HEAD url="https://registry-1.docker.io/v2/library/stale{i}/manifests/latest""#
            )
        } else {
            format!(
                r#"time="2026-11-29T12:00:00Z" level=debug msg="do request" request.header.user-agent=containerd/1.5.8+unknown request.method=GET spanID={i:016x} traceID={i:032x}"#
            )
        };
        text.push_str(&line);
        text.push('\n');
    }
    for l in TEXT.lines() {
        if l.contains("msg=\"do request\"") || l.contains("msg=\"fetch response received\"") {
            text.push_str(l);
            text.push('\n');
        }
    }
    text
});

/// `Model::ingest` over [`REQUESTS`], as `summary` runs it.
#[divan::bench]
fn model_ingest_requests_only(b: Bencher) {
    let records: Vec<Record<'_>> = REQUESTS.lines().map(parse_line).collect();
    b.counter(BytesCount::new(REQUESTS.len()))
        .bench(|| summarise(&records));
}

/// `Model::ingest` keeping every event, as the TUI runs it.
#[divan::bench]
fn model_ingest_keep_events(b: Bencher) {
    let records: Vec<Record<'_>> = TEXT.lines().map(parse_line).collect();
    b.counter(bytes()).bench(|| {
        let mut m = Model::new(ModelOptions::default());
        for (i, r) in records.iter().enumerate() {
            m.ingest(0, i as u64 + 1, r);
        }
        m.finish();
        m.event_count()
    });
}

/// What a search in the explorer's Raw view does to every line it reads back before the regex
/// sees it: `redact::text` of the whole line (docs/performance.md, "Searching").
#[divan::bench]
fn redact_every_line(b: Bencher) {
    bkscope::model::redact::warm_up();
    b.counter(bytes()).bench(|| {
        TEXT.lines()
            .filter(|line| {
                matches!(
                    bkscope::model::redact::text(line),
                    std::borrow::Cow::Owned(_)
                )
            })
            .count()
    });
}
