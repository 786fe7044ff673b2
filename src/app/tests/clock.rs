//! Time columns carry the date once the lines read span more than one UTC day
//! (`tests/fixtures/sample/across_days.log`: two real captures a week apart), and only then.

use super::*;
use crate::app::clock::TimeFormat;
use crate::test_support::numbered_lines;

const ACROSS: &str = include_str!("../../../tests/fixtures/sample/across_days.log");
const FIRST_DAY: &str = include_str!("../../../tests/fixtures/dockerd-20.10/mirror_used.log");

/// The `MM-DD` of a fixture line's `time="YYYY-MM-DD…"`, read from the text itself.
fn month_day(line: &str) -> String {
    let at = line.find("time=\"").expect("a logrus time") + "time=\"".len();
    line[at + 5..at + 10].to_owned()
}

#[test]
fn every_request_time_carries_the_day_of_its_line() {
    let app = App::from_log("across_days.log", ACROSS);
    assert_eq!(app.time_format(), TimeFormat::MonthDay);
    // Each request's TIME starts with the day of its `do request` line, as logged.
    let requests: Vec<&str> = ACROSS
        .lines()
        .filter(|l| l.contains("msg=\"do request\""))
        .collect();
    let shown: Vec<String> = app
        .events
        .rows
        .iter()
        .filter_map(|&id| app.model.event(id))
        .filter_map(|e| e.started.map(|t| app.time_format().format(t)))
        .collect();
    assert_eq!(shown.len(), requests.len());
    for (time, line) in shown.iter().zip(&requests) {
        assert!(
            time.starts_with(&format!("{} ", month_day(line))),
            "{time}: {line}"
        );
    }
    let days: std::collections::BTreeSet<&str> = shown.iter().map(|t| &t[..5]).collect();
    assert_eq!(days.len(), 2, "{days:?}");
}

#[test]
fn a_one_day_log_keeps_the_clock_alone() {
    for (name, text) in [("demo.log", DEMO), ("mirror_used.log", FIRST_DAY)] {
        let app = App::from_log(name, text);
        assert_eq!(app.time_format(), TimeFormat::Clock, "{name}");
    }
}

// A follow across midnight: the column gains the date when the first line of the next day
// arrives, and keeps it.
#[test]
fn a_follow_gains_the_date_when_the_next_day_arrives() {
    let lines: Vec<&str> = ACROSS.lines().collect();
    let first_day = FIRST_DAY.lines().count();
    let mut app = App::from_log("across_days.log", &lines[..first_day].join("\n"));
    assert_eq!(app.time_format(), TimeFormat::Clock);
    let next = numbered_lines(lines[first_day..].iter().copied(), first_day as u64 + 1);
    app.update(Action::Source(SourceEvent::Lines(next)));
    assert_eq!(app.time_format(), TimeFormat::MonthDay);
    assert_ne!(month_day(lines[0]), month_day(lines[first_day]));
}

/// An exported trace report is dated (it is read away from the log), and a trace whose
/// requests cross a day dates each row of its table: the two captures' registry lines
/// tagged as one trace.
#[test]
fn a_trace_report_across_days_dates_its_rows() {
    let trace = "0d1a0d1a0d1a0d1a0d1a0d1a0d1a0d1a";
    let text: Vec<String> = ACROSS
        .lines()
        .enumerate()
        .map(|(i, l)| match i + 1 {
            20..=38 | 74..=95 => format!("{l} spanID=0d1a0d1a0d1a0d1a traceID={trace}"),
            _ => l.to_owned(),
        })
        .collect();
    let app = App::from_log("across_days.log", &text.join("\n"));
    let report = crate::app::report::trace(&app, trace);
    let days: Vec<String> = [20, 74]
        .iter()
        .map(|&n| month_day(ACROSS.lines().nth(n - 1).unwrap()))
        .collect();
    assert_ne!(days[0], days[1]);
    let rows: Vec<&str> = report
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| start"))
        .collect();
    assert!(
        rows.iter()
            .any(|r| r.starts_with(&format!("| {} ", days[0]))),
        "{report}"
    );
    assert!(
        rows.iter()
            .any(|r| r.starts_with(&format!("| {} ", days[1]))),
        "{report}"
    );
    let year = &ACROSS[ACROSS.find("time=\"").unwrap() + 6..][..4];
    assert!(
        report.contains(&format!(", from {year}-{} ", days[0])),
        "{report}"
    );
}

const GCR_FILE: &str = include_str!("../../../tests/fixtures/seed/mirror_gcr.log");

/// The GCR seed's lines are all `17:47:48Z`: what the explorer writes of their times is to the
/// second, in the views and in the `x` reports alike; demo.log's keep their milliseconds.
#[test]
fn a_whole_second_log_is_written_to_the_second() {
    let app = App::from_log("mirror_gcr.log", GCR_FILE);
    assert!(!app.lines.has_millis(0));
    let col = app.time_column();
    assert_eq!((col.width(), col.millis), (8, false));
    let ev = app
        .events
        .rows
        .iter()
        .find_map(|&id| app.model.event(id))
        .expect("a request");
    let started = ev.started.expect("a time");
    assert_eq!(
        col.cell(started, app.lines.has_millis(ev.source)),
        "17:47:48"
    );
    let report = crate::app::report::event(&app, ev);
    assert!(
        report.contains("- started 2022-02-06 17:47:48 UTC"),
        "{report}"
    );
    let trace = crate::app::report::trace(&app, "b162d3040ddf86d6614e79c66a01a577");
    assert!(trace.contains(", from 2022-02-06 17:47:48 UTC"), "{trace}");
    assert!(trace.contains("\n| 17:47:48 | "), "{trace}");
    let mirrors = crate::app::mirror_report::mirrors(&app);
    assert!(!mirrors.contains(".000"), "{mirrors}");
    let demo = App::from_log("demo.log", DEMO);
    assert!(demo.lines.has_millis(0));
    assert_eq!(demo.time_column().width(), 12);
}

/// A millisecond log keeps them on the line in a thousand whose time falls on a whole second
/// (Go writes it `…:35Z`): precision is the source's, not the line's. demo.log's first
/// `do request` line with its fraction taken off.
#[test]
fn a_millisecond_log_keeps_them_on_a_line_that_falls_on_the_second() {
    let first = DEMO
        .lines()
        .position(|l| l.contains("msg=\"do request\""))
        .expect("a request line");
    let text: Vec<String> = DEMO
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i != first {
                return l.to_owned();
            }
            let dot = l.find('.').expect("a fraction");
            let z = l.find("Z\"").expect("a UTC time");
            format!("{}{}", &l[..dot], &l[z..])
        })
        .collect();
    assert!(text[first].starts_with("time=\"2026-11-24T") && text[first].contains(":35Z\""));
    let app = App::from_log("demo.log", &text.join("\n"));
    assert!(app.lines.has_millis(0));
    let whole: Vec<_> = app
        .model
        .events()
        .filter(|e| e.started.is_some_and(|t| t.is_whole_second()))
        .collect();
    assert_eq!(whole.len(), 1, "the edited line's request only");
    let ev = whole[0];
    let t = ev.started.expect("a time");
    assert_eq!(
        app.time_column().cell(t, app.lines.has_millis(ev.source)),
        "13:08:35.000"
    );
}
