//! The header's first line at 80 to 200 columns with one and three sources: the follow state
//! and the auth/error counters always whole, then the counts, then the sources (names cut to
//! the room left, or summarised); the source's state and the view's follow state worded apart.

use super::{DEMO, FALLBACK, OAUTH, row_text, screen};
use crate::app::{Action, App};
use crate::source::{SourceEvent, SourceState};

const LONG: &str = "buildkit-3179-anonymous-token.log";

fn top(a: &mut App, w: u16) -> String {
    row_text(&screen(a, w, 24), 0)
}

/// The parts that must show at any width from 80 up.
fn assert_state_whole(top: &str, follow: &str, auth: &str, errors: &str) {
    for want in [follow, auth, errors] {
        assert!(top.contains(want), "'{want}' missing in {top:?}");
    }
}

// At 80 columns the follow state read `▶ f` or `‖ p`: the line was cut at the screen's edge.
#[test]
fn header_at_80_columns_keeps_the_follow_state_and_counters() {
    let mut a = App::from_log(LONG, DEMO);
    let line = top(&mut a, 80);
    assert_state_whole(&line, "│ ‖ paused", "✖ 1 auth", "10 errors");
    assert!(line.contains("21 events  195 lines"), "{line:?}");
    // The name gets the room left, cut with an ellipsis; its state is whole.
    assert!(line.starts_with(" buildkit-3179-"), "{line:?}");
    assert!(line.contains("… ● live │"), "{line:?}");
    a.update(Action::SelectLast);
    let line = top(&mut a, 80);
    assert_state_whole(&line, "│ ▶ follow tail", "✖ 1 auth", "10 errors");
    // Wider, more of the name, then all of it (it was cut at 28 characters even at 200).
    let line = top(&mut a, 100);
    assert!(line.starts_with(" buildkit-3179-anonymous-to"), "{line:?}");
    assert_state_whole(&line, "▶ follow tail", "✖ 1 auth", "10 errors");
    for w in [120, 160, 200] {
        let line = top(&mut a, w);
        assert!(line.contains(&format!(" {LONG} ● live │")), "{w}: {line:?}");
        assert_state_whole(&line, "▶ follow tail", "✖ 1 auth", "10 errors");
    }
    assert!(top(&mut a, 120).starts_with(" bkscope "));
}

fn three() -> App {
    let mut a = App::from_logs(&[
        (LONG, OAUTH),
        ("mirror_fallback.log", FALLBACK),
        ("demo.log", DEMO),
    ]);
    a.update(Action::Source(SourceEvent::State {
        source: 1,
        state: SourceState::Error(
            "cannot read 'mirror_fallback.log': permission denied (os error 13)".into(),
        ),
    }));
    a
}

// With three files at 120 columns the counts were cut (`│ 10 events  107`).
#[test]
fn header_with_three_sources_summarises_them_before_cutting_state() {
    let mut a = three();
    let (auth, errors) = {
        let auth = a.findings.iter().filter(|f| f.kind.is_auth()).count();
        (
            format!("✖ {auth} auth"),
            format!("{} errors", a.findings.len() - auth),
        )
    };
    let events = format!("{} events  {} lines", a.model.event_count(), a.lines.end());
    // At 80 columns the summary keeps its glyphs (in their states' colours), not its words.
    let line = top(&mut a, 80);
    assert_state_whole(&line, "‖ paused", &auth, &errors);
    assert!(line.contains(&events), "{line:?}");
    assert!(line.starts_with(" 3 sources: ● 2 ✖ 1 │"), "{line:?}");
    for w in [100, 120] {
        let line = top(&mut a, w);
        assert_state_whole(&line, "‖ paused", &auth, &errors);
        assert!(line.contains(&events), "{w}: {line:?}");
        assert!(
            line.starts_with(" 3 sources: ● 2 live, ✖ 1 error │")
                || line.starts_with(" bkscope  3 sources: ● 2 live, ✖ 1 error │"),
            "{w}: {line:?}"
        );
    }
    // Wider: every source by name, the longest cut first, the error's cause in view.
    let line = top(&mut a, 160);
    assert_state_whole(&line, "‖ paused", &auth, &errors);
    assert!(line.contains(" demo.log ● live "), "{line:?}");
    assert!(
        line.contains(" mirror_fallback.log ✖ error: cannot read"),
        "{line:?}"
    );
    assert!(line.contains("…"), "{line:?}");
    let line = top(&mut a, 200);
    assert!(line.contains(&format!(" {LONG} ● live ")), "{line:?}");
    assert!(line.contains("permission denied"), "{line:?}");
    assert_state_whole(&line, "‖ paused", &auth, &errors);
}

// `● following` (the source) beside `‖ paused` (the view) read as a contradiction.
#[test]
fn the_source_state_and_the_view_follow_state_read_apart() {
    let mut a = App::from_log("demo.log", DEMO);
    let line = top(&mut a, 120);
    assert!(line.contains("demo.log ● live │"), "{line:?}");
    assert!(!line.contains("following"), "{line:?}");
    assert!(line.trim_end().ends_with("│ ‖ paused"), "{line:?}");
    a.update(Action::SelectLast);
    let line = top(&mut a, 120);
    assert!(line.trim_end().ends_with("│ ▶ follow tail"), "{line:?}");
}

// A review: a routine `mv` rotation showed `live.log ✖ error: '…' was deleted or moved` in
// the error colour. A file waited for reads `◌ waiting:`, in the warning colour, and says
// why; the Events view says more can come.
#[test]
fn a_file_waited_for_is_waiting_not_an_error() {
    let mut a = App::from_logs(&[("live.log", "")]);
    a.update(Action::Source(SourceEvent::State {
        source: 0,
        state: SourceState::Waiting(
            "'/tmp/live.log' was deleted or moved; waiting for it to reappear".into(),
        ),
    }));
    let t = screen(&mut a, 140, 12);
    let line = row_text(&t, 0);
    assert!(
        line.contains("live.log ◌ waiting: '/tmp/live.log' was deleted or moved"),
        "{line:?}"
    );
    assert!(!line.contains("✖ error"), "{line:?}");
    let at = line
        .find('◌')
        .map(|b| line[..b].chars().count())
        .unwrap_or(0);
    let cell = &t.backend().buffer()[(u16::try_from(at).unwrap_or(0), 0)];
    assert_eq!(Some(cell.fg), super::theme().warning.fg, "{line:?}");
    assert!(row_text(&t, 3).contains("waiting for 'do request' lines"));
}

// A docker source that could not start (no such container, no daemon) left the Events view
// saying "waiting for 'do request' lines", as if more could come.
#[test]
fn an_empty_events_view_says_whether_more_can_come() {
    let mut a = App::from_logs(&[("b0.log", "")]);
    let body = |a: &mut App| row_text(&screen(a, 140, 12), 3);
    a.update(Action::Source(SourceEvent::State {
        source: 0,
        state: SourceState::Following,
    }));
    assert!(body(&mut a).contains("waiting for 'do request' lines"));
    a.update(Action::Source(SourceEvent::State {
        source: 0,
        state: SourceState::Ended(None),
    }));
    let line = body(&mut a);
    assert!(
        line.contains("the input ended without a 'do request' line"),
        "{line:?}"
    );
    a.update(Action::Source(SourceEvent::State {
        source: 0,
        state: SourceState::Error(
            "no container 'ghost': check the name with 'docker ps -a'".into(),
        ),
    }));
    let line = body(&mut a);
    assert!(
        line.contains("nothing could be read (no container 'ghost'"),
        "{line:?}"
    );
}

// An info-level log (no `do request`) whose failures the model found anyway: the empty Events
// view said only "waiting for 'do request' lines", with ✖ counts in the header and no row
// to select. The real mirror_fallback capture's info lines: two `trying next host` errors.
#[test]
fn an_empty_events_view_points_to_the_failures_found() {
    let full = include_str!("../../../tests/fixtures/dockerd-20.10/mirror_fallback.log");
    let info: String = full
        .lines()
        .filter(|l| !l.contains("level=debug"))
        .map(|l| format!("{l}\n"))
        .collect();
    let empty_line = |a: &mut App| {
        let t = screen(a, 160, 14);
        (0..14)
            .map(|r| row_text(&t, r))
            .find(|l| l.contains("no fetch events"))
            .unwrap_or_default()
    };
    let mut a = App::from_log("info.log", &info);
    let n = a.findings.len();
    assert!(n >= 2, "{n}");
    let line = empty_line(&mut a);
    assert!(
        line.contains(&format!("e shows the {n} failures found, in the raw lines")),
        "{line:?}"
    );
    let mut quiet = App::from_log("none.log", "");
    let line = empty_line(&mut quiet);
    assert!(
        line.contains("no fetch events") && !line.contains("failure"),
        "{line:?}"
    );
}

// A review at 80×24 on the info-level demo (its `level=debug` lines dropped): the hint had
// two rows and lost its daemon.json fix, the empty list's pointer to the failure ran off the
// edge at "failure fo", and the detail pane said "nothing selected" beside `✖ 1 auth`.
#[test]
fn an_info_level_log_at_80x24_reads_whole_and_the_detail_pane_lists_its_failure() {
    let info: String = DEMO
        .lines()
        .filter(|l| !l.contains("level=debug"))
        .map(|l| format!("{l}\n"))
        .collect();
    let mut a = App::from_log("info.log", &info);
    assert_eq!(a.findings.len(), 1, "the oauth 401 of the info line");
    // It opens on that line in the Raw view, the diagnosis beside it, the hint above.
    let t = screen(&mut a, 80, 24);
    let raw: Vec<String> = (0..24).map(|y| row_text(&t, y)).collect();
    let all = raw.join("\n");
    assert!(
        raw[2].starts_with("⚠ BuildKit debug logging looks off"),
        "{all}"
    );
    assert!(raw[5].starts_with("    48 time="), "{all}");
    assert!(all.contains("auth/oauth-token-401"), "{all}");
    // `1`: the empty Events view's pane diagnoses the failure its detail pane lists, not
    // "Select an error row" beside it.
    a.update(Action::ShowEvents);
    let t = screen(&mut a, 80, 24);
    let all = (0..24)
        .map(|y| row_text(&t, y))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(all.contains("auth/oauth-token-401"), "{all}");
    assert!(!all.contains("Select an error row"), "{all}");
    a.update(Action::ToggleDiagnosis);
    let t = screen(&mut a, 80, 24);
    let rows: Vec<String> = (0..24)
        .map(|y| row_text(&t, y).trim_end().to_owned())
        .collect();
    let all = rows.join("\n");
    assert!(
        rows[2].starts_with("⚠ BuildKit debug logging looks off"),
        "{all}"
    );
    assert!(
        rows[4].contains("\"debug\": true in dockerd's daemon.json."),
        "{all}"
    );
    assert!(
        all.contains("e shows the one failure\nfound, in the raw lines"),
        "{all}"
    );
    assert!(!all.contains("nothing selected"), "{all}");
    let detail = rows
        .iter()
        .position(|r| r.starts_with(" Detail "))
        .unwrap_or(0);
    assert!(detail > 0, "{all}");
    assert!(
        rows[detail + 1].starts_with("1 failure found with no request row (e goes to its line"),
        "{all}"
    );
    assert!(
        rows[detail + 2].starts_with("✖ auth failure (oauth-token) line 48: failed to authorize"),
        "{all}"
    );
    insta::with_settings!({snapshot_path => "../snapshots"}, {
        insta::assert_snapshot!("info_level_80x24", all);
    });
    // The hint gives the list its room on a short terminal: a quarter of the rows at most.
    let t = screen(&mut a, 80, 8);
    let short: Vec<String> = (0..8).map(|y| row_text(&t, y)).collect();
    assert!(short[2].starts_with("⚠ BuildKit"), "{short:?}");
    assert!(short[4].starts_with("TIME"), "{short:?}");
    // Nothing found and nothing read: the pane says there is no request, not that none is picked.
    let mut quiet = App::from_log("quiet.log", "");
    let t = screen(&mut quiet, 80, 24);
    let all: Vec<String> = (0..24).map(|y| row_text(&t, y)).collect();
    assert!(
        all.iter().any(|r| r.trim_end() == "no request to show yet"),
        "{all:?}"
    );
}

/// `demo.log` `copies` times, each copy a minute after the one before (a long follow of the
/// same failing build).
fn demo_repeated(copies: usize) -> String {
    (0..copies)
        .map(|k| DEMO.replace("T13:08:", &format!("T13:{:02}:", 8 + k)))
        .collect()
}

/// What `bkscope summary` counts on `text`: the headless model, finished at the end.
fn summary_counts(text: &str) -> (usize, usize) {
    let mut m = crate::model::Model::new(crate::model::ModelOptions {
        keep_events: false,
        ..crate::model::ModelOptions::default()
    });
    m.ingest_text(0, text);
    m.finish();
    let s = crate::model::Summary::from_model(&m);
    (s.auth_failures.len(), s.errors.len())
}

// Reviewer's repro: `--max-events 100` on demo.log ×50 showed `✖ 14 auth  136 errors` where
// `summary` says 50 and 500: the header counted the findings still kept, not those found.
#[test]
fn header_counts_every_finding_past_max_events_as_summary_does() {
    let text = demo_repeated(50);
    let (auth, errors) = summary_counts(&text);
    assert_eq!((auth, errors), (50, 500), "summary of demo.log ×50");
    let opts = crate::app::AppOptions {
        max_events: Some(100),
        ..crate::app::AppOptions::default()
    };
    let mut a = App::from_log_with(opts, "demo50.log", &text);
    assert!(a.model.evicted_count() > 0, "the cap dropped events");
    // What `e` reaches in the Events view: the findings whose event is still kept (the model
    // lets the findings of dropped events go in batches, so some outlive their event).
    let reached = a
        .findings
        .iter()
        .filter(|f| f.event.is_some_and(|id| a.model.event(id).is_some()))
        .count();
    assert!(
        reached < auth + errors,
        "fewer reached than found: {reached}"
    );
    let t = screen(&mut a, 120, 12);
    let header = row_text(&t, 0);
    assert!(
        header.contains(&format!("✖ {auth} auth  {errors} errors")),
        "{header:?}"
    );
    // `e` says how many went with the dropped events.
    a.update(Action::NextError);
    let said = a.status_message().unwrap_or_default();
    let gone = auth + errors - reached;
    assert!(
        said.starts_with("error ") && said.contains(&format!("; {gone} findings went with the ")),
        "{said}"
    );
    let t = screen(&mut a, 120, 12);
    let mut settings = insta::Settings::clone_current();
    // In the snapshots' directory, with the other view snapshots.
    settings.set_snapshot_path("../snapshots");
    settings.bind(|| {
        insta::assert_snapshot!(
            "header_totals_past_max_events",
            format!("{}\n{}", row_text(&t, 0), row_text(&t, 11))
        );
    });
}

// At 45–50 columns both counts did not fit and the title took the room: the events now show
// alone before it, and the line count comes back where it fits.
#[test]
fn narrow_header_keeps_the_event_count_before_the_title() {
    let mut a = App::from_log(LONG, DEMO);
    for w in [45, 48, 50] {
        let line = top(&mut a, w);
        assert_state_whole(&line, "‖ paused", "✖ 1 auth", "10 errors");
        assert!(line.contains(" 21 events  ✖"), "{w}: {line:?}");
        assert!(!line.contains("bkscope"), "{w}: {line:?}");
    }
    let line = top(&mut a, 60);
    assert!(line.contains("21 events  195 lines"), "{line:?}");
}

// `cat unknown_ca.log unknown_ca.client.txt | bkscope -` said `3 errors` for one x509 failure:
// the client's `#3 ERROR:` and `failed to solve` lines tell the daemon's failure again
// (`model::repeat`), as `summary` now counts it.
#[test]
fn the_client_telling_the_daemons_failure_again_is_not_counted_again() {
    let text = format!(
        "{}{}",
        include_str!("../../../tests/fixtures/dockerd-20.10/unknown_ca.log"),
        include_str!("../../../tests/fixtures/dockerd-20.10/unknown_ca.client.txt")
    );
    let mut a = App::from_log("-", &text);
    let line = top(&mut a, 120);
    assert!(line.contains(" 1 error "), "{line:?}");
    assert!(!line.contains("errors"), "{line:?}");
}

// A review: a CI job's one-line client error (setup-buildx-action-232) opened with no hint,
// while `summary` on the same file said `[debug-off] … Set 'debug = true' …`: the explorer
// waited for 20 lines. Once every source's history is read it judges the input as `summary`
// does; the docker CLI's error in place of a log says so rather than blame debug logging.
#[test]
fn a_short_log_read_whole_gets_the_hint_summary_gives() {
    const ONE: &str = include_str!(
        "../../../tests/fixtures/public-issues/setup-buildx-action-232-mirror-ignored.log"
    );
    const NO_SUCH: &str =
        include_str!("../../../tests/fixtures/docker-logs-20.10/no_such_container.stderr");
    // The screen at 120×24, drawn once, its rows joined.
    let whole = |a: &mut App| {
        let t = screen(a, 120, 24);
        (0..24)
            .map(|y| row_text(&t, y))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut a = App::from_log("ci.log", ONE);
    assert!(a.model.counts().lines < 20);
    let all = whole(&mut a);
    assert!(
        all.contains("⚠ BuildKit debug logging looks off: no 'do request' line yet"),
        "{all}"
    );
    let mut a = App::from_log("logs.txt", NO_SUCH);
    let all = whole(&mut a);
    assert!(
        all.contains("⚠ line 1: the input is the docker CLI's error, not a daemon log: "),
        "{all}"
    );
    assert!(!all.contains("debug logging looks off"), "{all}");
    // Still loading, a few lines say nothing yet.
    let mut a = App::new(
        crate::app::AppOptions::default(),
        crate::kb::KnowledgeBase::builtin(),
        crate::app::keymap::Keymap::builtin(),
    );
    let n = a.add_source(&crate::source::SourceSpec::File("live.log".into()));
    a.update(Action::Source(SourceEvent::State {
        source: n,
        state: SourceState::Loading,
    }));
    a.update(Action::Source(SourceEvent::Lines(
        crate::test_support::numbered_lines(ONE.lines(), 1),
    )));
    let all = whole(&mut a);
    assert!(!all.contains("looks off"), "{all}");
}

// A review: `trace: b162d3040ddf86d…` and `waterfall 0f1e2d3c4b5a697…` were cut to 16
// characters at 120 and 200 columns with 100 free. Whole where the line fits them, cut where
// it does not.
#[test]
fn the_tab_line_shows_a_trace_id_whole_where_it_fits() {
    let mut a = App::from_log("both.log", &format!("{}{DEMO}", super::GCR));
    a.update(Action::SelectFirst);
    a.update(Action::FilterTrace);
    let id = a.trace_filter.clone().expect("a trace followed");
    assert_eq!(id.len(), 32);
    let wide = row_text(&screen(&mut a, 120, 20), 1);
    assert!(wide.contains(&format!("trace: {id}")), "{wide:?}");
    let narrow = row_text(&screen(&mut a, 80, 20), 1);
    assert!(
        narrow.contains(&format!("trace: {}…", &id[..15])),
        "{narrow:?}"
    );
}
