//! Small terminals (60×20, 80×24) with the knowledge-base pane open: HOST keeps the port, the
//! Mirrors verdicts drop whole columns rather than cut cells, the tab titles shorten so the
//! filter and search show, a source's state glyph stays in the header, and the key hints give
//! way whole (the review's `SEED DEMO` at 60×20 and 80×24).

use super::{DEMO, row_text, screen};
use crate::app::{Action, App, InputEdit};
use crate::test_support::app_with_seed_config;

fn seed_demo() -> App {
    let mut app = app_with_seed_config("demo.log", DEMO, true);
    if !app.kb_shown() {
        app.update(Action::ToggleDiagnosis);
    }
    app
}

fn typed(app: &mut App, a: Action, text: &str) {
    app.update(a);
    for c in text.chars() {
        app.update(Action::Input(InputEdit::Char(c)));
    }
    app.update(Action::Input(InputEdit::Submit));
}

fn rows(app: &mut App, w: u16, h: u16) -> Vec<String> {
    let t = screen(app, w, h);
    (0..h).map(|y| row_text(&t, y)).collect()
}

// The review: with K open at 60×20 every HOST read `127.0` (cut to 5 columns, no `…`).
#[test]
fn events_host_keeps_its_port_with_the_kb_pane_open_at_60_columns() {
    let mut app = seed_demo();
    app.update(Action::ShowEvents);
    let r = rows(&mut app, 60, 20);
    assert!(app.kb_shown());
    assert!(r[2].starts_with("TIME         HOST"), "{:?}", r[2]);
    let body = r[3..10].join("\n");
    assert!(body.contains(":5010") && body.contains(":5011"), "{body}");
    // PATH would get under 10 columns (`…e451247`): it gives its room to HOST, and ST is whole.
    assert!(!r[2].contains("PATH") && r[2].contains(" ST"), "{:?}", r[2]);
    assert!(!body.contains("127.0 "), "{body}");
    insta::with_settings!({snapshot_path => "../snapshots"}, {
        insta::assert_snapshot!("narrow_events_kb_60", r.join("\n"));
    });
}

// The review: the Mirrors view with K open showed `docker.io mirror.g UNUSED` and the heading
// `VIA/DIR/`.
#[test]
fn mirrors_verdicts_drop_columns_whole_with_the_kb_pane_open() {
    let mut app = seed_demo();
    app.update(Action::ShowMirrors);
    if !app.kb_shown() {
        app.update(Action::ToggleDiagnosis);
    }
    let r = rows(&mut app, 60, 20);
    assert!(r[2].starts_with("UPSTREAM  MIRROR "), "{:?}", r[2]);
    assert!(!r[2].contains("VIA/DIR/ "), "{:?}", r[2]);
    assert!(r[4].contains("mirror.gcr.io (co…"), "{:?}", r[4]);
    let r80 = rows(&mut app, 80, 24);
    assert!(r80[2].contains("VIA/DIR/FB"), "{:?}", r80[2]);
    insta::with_settings!({snapshot_path => "../snapshots"}, {
        insta::assert_snapshot!("narrow_mirrors_kb_60", r[..6].join("\n"));
    });
}

// The review: the tab bar ended `4 Mirrors/Hosts │ filter: sta`; the hint line was cut
// mid-word (`… K kb  x`); a stdin that ended showed no state at 60 columns.
#[test]
fn narrow_bars_keep_the_filter_search_state_and_whole_hints() {
    let mut app = seed_demo();
    app.update(Action::ShowEvents);
    typed(&mut app, Action::Filter, "status>=400");
    typed(&mut app, Action::Search, "alpine");
    let r = rows(&mut app, 60, 20);
    assert_eq!(
        r[1].trim_end(),
        " 1 Ev │ 2 Raw │ 3 Tr │ 4 Mir │ filter: status>=400 /alpine"
    );
    assert!(r[0].starts_with(" ● │ 21 events"), "{:?}", r[0]);
    // A click on the short `4 Mir` tab goes there.
    app.update(Action::Click { column: 25, row: 1 });
    assert_eq!(app.view, crate::app::View::Mirrors);
    let mut app = seed_demo();
    app.update(Action::SelectNext);
    let r = rows(&mut app, 60, 20);
    let hints = r[19].trim_end();
    assert!(hints.ends_with(" K kb"), "{hints:?}");
    // At 80 columns the whole titles come back.
    let r = rows(&mut app, 80, 24);
    assert!(
        r[1].starts_with(" 1 Events │ 2 Raw │ 3 Traces │ 4 Mirrors/Hosts │"),
        "{:?}",
        r[1]
    );
}

// The review: `f foo=bar` said `filter not applied: unknown field 'foo' in 'foo=bar' (fields:
// status level dur size host method kind repo registry trace` cut at 120 columns. The prompt
// now stays open (a later review), the reason beside the text.
#[test]
fn an_unknown_filter_field_is_said_whole_at_80_and_120_columns() {
    let mut app = seed_demo();
    app.update(Action::ShowEvents);
    typed(&mut app, Action::Filter, "foo=bar");
    // The prompt stays open on the text, the reason beside it.
    let short = "filter: foo=bar  ✖ unknown field 'foo' (? lists the fields, and mirror=)";
    for (w, h) in [(80, 24), (120, 40)] {
        let r = rows(&mut app, w, h);
        assert_eq!(r[usize::from(h) - 1].trim_end(), short, "{w}");
    }
    // Where the list fits, the list.
    let r = rows(&mut app, 180, 40);
    let said = r[39].trim_end();
    assert!(
        said.starts_with("filter: foo=bar  ✖ unknown field 'foo' in 'foo=bar' (fields: status ")
            && said.ends_with(" mirror error url)"),
        "{said:?}"
    );
    // Narrower than the short form, it is cut at the edge, the text whole.
    let r = rows(&mut app, 40, 12);
    let said = r[11].trim_end();
    assert!(
        said.starts_with("filter: foo=bar  ✖ unknown field 'foo'") && said.ends_with('…'),
        "{said:?}"
    );
}

// The review: at 60 columns `e` going round said `error 1 of 11 (failures: 1 auth, 10
// errors) (went round: fr`, cut. The short form says it went round before the split and
// drops `failures:`, whole at 60 columns.
#[test]
fn e_going_round_is_said_whole_at_60_columns() {
    let mut app = seed_demo();
    app.update(Action::ShowEvents);
    app.update(Action::SelectLast);
    app.update(Action::NextError);
    let r = rows(&mut app, 60, 20);
    let said = r[19].trim_end();
    assert_eq!(said, "error 1 of 11 (went round) (1 auth, 10 errors)");
    // Where it fits, the long form.
    let r = rows(&mut app, 120, 40);
    assert_eq!(
        r[39].trim_end(),
        "error 1 of 11 (failures: 1 auth, 10 errors) (went round: from the top)"
    );
    let r = rows(&mut app, 60, 20);
    insta::with_settings!({snapshot_path => "../snapshots"}, {
        insta::assert_snapshot!("narrow_e_went_round_60", r.join("\n"));
    });
}

// The review: at 60 columns the KB pane cut the entry id `registry/manifest-not-found` across
// rows mid-word (`registry/manifest-not-fo`, `und`). A word wider than the pane breaks after
// its `/` now, the entry's name whole on the next row.
#[test]
fn the_kb_pane_keeps_an_entry_id_whole_at_60_columns() {
    let text = include_str!("../../../tests/fixtures/dockerd-20.10/not_found_404.log");
    let mut app = App::from_log("not_found_404.log", text);
    app.update(Action::ShowEvents);
    app.update(Action::NextError);
    if !app.kb_shown() {
        app.update(Action::ToggleDiagnosis);
    }
    let r = rows(&mut app, 60, 20);
    // The pane's column: after the `│` of its left border.
    let pane: Vec<String> = r
        .iter()
        .filter_map(|row| row.split_once('│').map(|(_, p)| p.trim_end().to_owned()))
        .collect();
    let at = pane.iter().position(|p| p == "registry/");
    assert!(at.is_some(), "{pane:#?}");
    assert_eq!(pane[at.unwrap_or_default() + 1], "manifest-not-found");
    assert!(
        !pane.iter().any(|p| p.ends_with("-fo") || p.ends_with("-f")),
        "{pane:#?}"
    );
    insta::with_settings!({snapshot_path => "../snapshots"}, {
        insta::assert_snapshot!("narrow_kb_entry_id_60", r.join("\n"));
    });
}

// The review: a request still waiting for its answer had no place in the hosts the column is
// sized by, so the row being watched while following a build read `registry-1.do…` (the
// demo cut after its line 79: that request's answer is on line 80).
#[test]
fn a_waiting_requests_host_is_whole() {
    let cut: String = DEMO.lines().take(79).map(|l| format!("{l}\n")).collect();
    let mut app = App::from_log("w.log", &cut);
    app.update(Action::ShowEvents);
    assert!(app.model.waiting().count() >= 1);
    let r = rows(&mut app, 120, 40);
    let all = r.join("\n");
    assert!(all.contains(" registry-1.docker.io "), "{all}");
    assert!(!all.contains("registry-1.do…"), "{all}");
}

// A review at 40×12, the kb pane open on the first screen: the Events table cut ST to two
// columns (`42` for a 429, `20` for a 200) and TIME to `13:08:54.`, drawing a two-column PATH
// (`…t`). PATH goes under 10 columns and HOST takes what is left: TIME and ST stay whole.
#[test]
fn a_narrow_events_table_never_cuts_time_or_the_status() {
    let mut app = seed_demo();
    app.update(Action::ShowEvents);
    app.update(Action::SelectLast);
    for (w, h) in [(40, 12), (46, 12), (50, 12)] {
        let r = rows(&mut app, w, h);
        assert!(app.kb_shown());
        let all = r.join("\n");
        assert!(r[2].starts_with("TIME         HOST"), "{w}: {all}");
        assert!(!r[2].contains("PATH"), "{w}: {all}");
        // The table's side of each row, before the pane's border.
        let table: Vec<&str> = r[3..8]
            .iter()
            .filter_map(|l| l.split_once('│').map(|(t, _)| t))
            .collect();
        let limited: Vec<&&str> = table.iter().filter(|t| t.ends_with(" 429")).collect();
        assert!(limited.len() >= 3, "{w}: {all}");
        for t in &table {
            // `13:08:58.710 <host> 429`: the clock whole, then the status whole.
            assert!(t.starts_with("13:08:5"), "{w}: {t:?}");
            assert_eq!(t.chars().nth(12), Some(' '), "{w}: {t:?}");
            let st = t.rsplit(' ').next().unwrap_or("");
            assert!(["200", "429", "ERR"].contains(&st), "{w}: {t:?}");
        }
    }
}

// A review: containerd 2.4's transport retries read six rows of `✖ net/http: timeout awaiting
// response hea…`, no telling which image each was for. With room, the object comes first,
// then the cause; narrow, the cause alone, as before.
#[test]
fn a_failure_with_no_answer_shows_its_object_where_there_is_room() {
    let text =
        include_str!("../../../tests/fixtures/hand-written/containerd-2.4-transport-retry.txt");
    let mut app = App::from_log("retry.txt", text);
    app.update(Action::ShowEvents);
    let r = rows(&mut app, 160, 20);
    let failed: Vec<&String> = r.iter().filter(|l| l.contains(" ERR ")).collect();
    assert_eq!(failed.len(), 7, "{r:#?}");
    assert!(
        failed
            .iter()
            .all(|l| l.contains("team/") && l.contains("/manifests/v") && l.contains(" ✖ ")),
        "{failed:#?}"
    );
    assert!(
        failed
            .iter()
            .any(|l| l
                .contains("team/tool/manifests/v2 ✖ net/http: timeout awaiting response headers")),
        "{failed:#?}"
    );
    let r = rows(&mut app, 80, 20);
    let narrow: Vec<&String> = r.iter().filter(|l| l.contains(" ERR ")).collect();
    assert!(
        narrow.iter().all(|l| !l.contains("/manifests/")),
        "{narrow:#?}"
    );
    assert!(narrow.iter().all(|l| l.contains("✖ ")), "{narrow:#?}");
}

// A review: one object in two forms in one column, `…/busybox@96628e451247` on the mirror's
// row (its `?ns=` made it longer) and `…/busybox/…/sha256:96628e451247` on the upstream's.
// The cut paths in view take one form, the deepest any needs.
#[test]
fn one_object_reads_one_way_on_the_mirrors_row_and_the_upstreams() {
    let mut app = seed_demo();
    app.update(Action::ShowEvents);
    app.update(Action::SelectFirst);
    let r = rows(&mut app, 120, 40);
    let of = |digest: &str| -> Vec<String> {
        r.iter()
            .filter(|l| l.contains(digest))
            .map(|l| {
                let t = l.split_once('│').map_or(l.as_str(), |(t, _)| t);
                t.split_whitespace().nth(2).unwrap_or("").to_owned()
            })
            .collect()
    };
    let busybox = of("96628e451247");
    assert_eq!(busybox.len(), 2, "{r:#?}");
    assert_eq!(busybox[0], busybox[1], "{busybox:?}");
    assert_eq!(busybox[0], "…/busybox@96628e451247");
}
