//! The line store: text read back from the spool, numbers and traces without per-line strings,
//! and the retention cap.

use super::*;
use crate::parse::parse_line;

fn line(source: u32, number: u64, text: &str) -> Line {
    Line {
        source,
        number,
        offset: 0,
        text: text.to_owned(),
        truncated: false,
        lossy: false,
    }
}

fn entry(i: usize, trace: &str) -> String {
    format!(
        "time=\"2026-01-01T00:00:{:02}Z\" level=debug msg=\"do request\" traceID={trace} n={i}",
        i % 60
    )
}

fn store(max_lines: usize, dir: Option<&std::path::Path>) -> LineStore {
    LineStore::new(StoreOptions {
        max_lines,
        spool_dir: dir.map(Into::into),
    })
}

fn push(s: &mut LineStore, l: &Line) -> usize {
    s.push(l, &parse_line(&l.text), true)
}

#[test]
fn lines_read_back_from_a_spool_file_with_their_facts() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store(1000, Some(dir.path()));
    for i in 0..300 {
        push(&mut s, &line(0, i as u64 + 1, &entry(i, "t1")));
    }
    push(&mut s, &line(0, 301, "plain text, not an entry"));
    let l = s.get(10).unwrap();
    assert_eq!((l.source, l.number, l.kind), (0, 11, LineKind::Request));
    assert_eq!(
        (l.level, l.trace.as_deref()),
        (Some(Level::Debug), Some("t1"))
    );
    assert_eq!(l.text(), entry(10, "t1"));
    let l = s.find(0, 301).unwrap();
    assert_eq!(
        (l.kind, l.level, l.trace.as_deref()),
        (LineKind::Unparsed, None, None)
    );
    assert_eq!(l.text(), "plain text, not an entry");
    assert!(s.get(301).is_none() && s.find(0, 302).is_none());
    assert_eq!(
        s.last_time(),
        Some(crate::parse::Timestamp(1_767_225_659_000_000_000))
    );
    // The reader gives the same text forwards and backwards.
    let mut r = s.reader();
    for seq in (0..=300).chain((0..=300).rev()) {
        let want = s.get(seq).unwrap().text().into_owned();
        assert_eq!(r.get(seq).unwrap().text(), want);
    }
}

#[test]
fn text_is_redacted_when_read_back_unless_asked_not_to() {
    let secret =
        "time=\"2026-01-01T00:00:00Z\" level=debug msg=x authorization=\"Bearer abcdef0123456789\"";
    let mut s = store(10, None);
    push(&mut s, &line(0, 1, secret));
    assert!(!s.get(0).unwrap().text().contains("abcdef0123456789"));
    s.push(&line(0, 2, secret), &parse_line(secret), false);
    assert!(s.get(1).unwrap().text().contains("abcdef0123456789"));
}

#[test]
fn the_cap_drops_whole_old_segments_and_forgets_their_numbers_and_traces() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store(80, Some(dir.path()));
    for i in 0..1000 {
        push(
            &mut s,
            &line(0, i as u64 + 1, &entry(i, &format!("trace{}", i / 10))),
        );
        assert!(s.len() <= 80, "{} kept after line {i}", s.len());
    }
    assert_eq!(s.end(), 1000);
    // Segments of 10 lines: between 70 and 80 kept.
    assert!(s.len() > 70, "{}", s.len());
    assert!(s.segments.len() <= 9);
    let first = s.first();
    assert!(s.get(first - 1).is_none() && s.find(0, first as u64).is_none());
    let l = s.find(0, first as u64 + 1).unwrap();
    assert_eq!(l.text(), entry(first, &format!("trace{}", first / 10)));
    assert_eq!(s.get(999).unwrap().number, 1000);
    // Trace ids of dropped lines are gone, and the runs stay one per source.
    assert!(s.traces.len() <= 9, "{}", s.traces.len());
    assert_eq!(s.trace_id("trace0"), None);
    assert!(s.trace_id("trace99").is_some());
    assert_eq!(s.numbers.run_count(), 1);
}

#[test]
fn a_cap_of_one_keeps_the_last_line() {
    let mut s = store(1, None);
    for i in 0..5 {
        push(&mut s, &line(0, i + 1, &format!("line {i}")));
    }
    assert_eq!((s.len(), s.first()), (1, 4));
    assert_eq!(s.get(4).unwrap().text(), "line 4");
}

#[test]
fn lines_of_merged_sources_keep_their_own_numbers() {
    let mut s = store(100, None);
    for (src, n) in [(0, 1), (1, 1), (0, 2), (1, 2), (1, 3), (0, 3)] {
        push(&mut s, &line(src, n, &format!("s{src} n{n}")));
    }
    assert_eq!(s.find(1, 3).unwrap().text(), "s1 n3");
    assert_eq!(s.find(0, 3).unwrap().text(), "s0 n3");
    assert_eq!(s.source_number(3), Some((1, 2)));
}

#[test]
fn fetch_events_are_marked_on_their_lines() {
    let mut s = store(100, None);
    for n in 1..=3 {
        push(&mut s, &line(0, n, "x"));
    }
    s.set_event(0, 2, 41);
    s.set_event(0, 9, 42); // not kept: ignored
    assert_eq!((s.event_of(0), s.event_of(1)), (None, Some(41)));
}

#[test]
fn an_unreadable_line_is_an_inert_placeholder() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("ro");
    std::fs::write(&p, b"").unwrap();
    let mut s = store(100, None);
    push(&mut s, &line(0, 1, "will be lost"));
    // Swap in a read-only file for the segment: its flush fails and the range is lost.
    let seg = s.segments.back_mut().unwrap();
    seg.spool = spool::Spool::read_only_for_test(&p, "will be lost\n");
    let l = s.get(0).unwrap();
    assert!(
        l.text()
            .starts_with("[line unavailable: spool write failed"),
        "{}",
        l.text()
    );
    assert!(
        s.reader()
            .get(0)
            .unwrap()
            .text()
            .starts_with("[line unavailable")
    );
}

/// Text read back is borrowed when valid and made valid as `from_utf8_lossy` makes it when not.
#[test]
fn text_read_back_is_checked_and_made_valid() {
    let cases: [&[u8]; 5] = [
        b"plain ascii",
        "caf\u{e9} \u{2713}".as_bytes(),
        b"bad \xff byte",
        b"cut \xe2\x9c",
        b"",
    ];
    for bytes in cases {
        let text = super::text_of(bytes);
        assert_eq!(text, String::from_utf8_lossy(bytes), "{bytes:?}");
        assert_eq!(
            matches!(text, Cow::Borrowed(_)),
            std::str::from_utf8(bytes).is_ok(),
            "{bytes:?}"
        );
    }
}
