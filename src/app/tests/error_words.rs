//! `e` / `E` call the row they land on what it is: `auth failure` where it is one, and the
//! count says what it is made of (`failures: 1 auth, 10 errors`) where auth failures are among
//! the rows `e` stops at, and which of them the header does not count (failed requests the
//! model made no finding of).

use super::*;
use crate::test_support::{TRACED_TRACE, traced_oauth};

#[test]
fn e_on_the_auth_failure_says_auth_failure_and_splits_the_count() {
    let mut app = demo();
    press(&mut app, "esc");
    let rows = app.error_rows();
    let auth: Vec<usize> = rows
        .iter()
        .copied()
        .filter(|&r| app.row_is_auth(r))
        .collect();
    // demo.log: the header's `✖ 1 auth  10 errors`.
    assert_eq!((auth.len(), rows.len()), (1, 11));
    let nth = rows.iter().position(|&r| r == auth[0]).map(|i| i + 1);
    press(&mut app, "g");
    for _ in 0..rows.len() {
        press(&mut app, "e");
        let at = app.cursor().selected;
        let i = rows.iter().position(|&r| r == at).map(|i| i + 1);
        let noun = if at == auth[0] {
            "auth failure"
        } else {
            "error"
        };
        let msg = said(&app);
        let want = format!(
            "{noun} {} of 11 (failures: 1 auth, 10 errors)",
            i.unwrap_or(0)
        );
        assert!(msg.starts_with(&want), "{msg} / {want}");
    }
    // The landing's row, the oauth ERR row, is the one called an auth failure.
    assert!(nth.is_some());
    assert!(app.model.event(app.events.rows[auth[0]]).is_some_and(|e| {
        e.error
            .as_deref()
            .is_some_and(|m| m.contains("oauth token"))
    }));
}

#[test]
fn the_raw_view_says_auth_failure_line_with_the_split_once_counted() {
    let mut app = demo();
    press(&mut app, "esc");
    press(&mut app, "2");
    press(&mut app, "g");
    let mut saw_auth = false;
    for _ in 0..12 {
        press(&mut app, "e");
        let msg = said(&app);
        let auth = app.row_is_auth(app.cursor().selected);
        let noun = if auth {
            "auth failure line "
        } else {
            "error line "
        };
        assert!(msg.starts_with(noun), "{msg}");
        assert!(
            msg.contains(" of 11 (failures: 1 auth, 10 errors)"),
            "{msg}"
        );
        saw_auth |= auth;
    }
    assert!(saw_auth, "e went round the auth failure's line");
}

#[test]
fn the_waterfall_calls_its_auth_failure_one() {
    let mut app = App::from_log("traced.log", &traced_oauth().join("\n"));
    app.show_kb = false;
    press(&mut app, "3");
    press(&mut app, "enter");
    assert_eq!(app.traces.open.as_deref(), Some(TRACED_TRACE));
    press(&mut app, "g");
    press(&mut app, "e");
    let msg = said(&app);
    assert!(app.row_is_auth(app.cursor().selected), "{msg}");
    assert!(msg.starts_with("auth failure 1 of "), "{msg}");
    assert!(msg.contains("(failures: "), "{msg}");
}

#[test]
fn without_auth_failures_the_words_stay_as_they_were() {
    assert_eq!(crate::app::error_jump::failure_split(0, 0, 7), "");
    assert_eq!(
        crate::app::error_jump::failure_split(1, 0, 1),
        " (failures: 1 auth)"
    );
    assert_eq!(
        crate::app::error_jump::failure_split(2, 0, 3),
        " (failures: 2 auth, 1 error)"
    );
    assert_eq!(
        crate::app::error_jump::failure_split(0, 3, 4),
        " (failures: 1 error, 3 failed requests with no finding, not in the header's count)"
    );
}

/// The review: on `mirror_fallback_ok.log` the header said `1 error` and `e` went `error 1 of
/// 4 … error 4 of 4` with nothing to say why: three of the rows are the mirror's requests of a
/// silent fallback (no answer logged, the same path asked next from Docker Hub), failed
/// requests the model makes no finding of, so neither the header nor `summary` counts them.
#[test]
fn e_says_which_of_its_rows_the_header_does_not_count() {
    const LOG: &str = include_str!("../../../tests/fixtures/dockerd-20.10/mirror_fallback_ok.log");
    let mut app = App::from_log("fallback.log", LOG);
    app.update(Action::Layout(Rect::new(0, 3, 200, 10)));
    assert_eq!(app.finding_totals.errors, 1);
    press(&mut app, "g");
    let mut said_all = Vec::new();
    for _ in 0..4 {
        press(&mut app, "e");
        said_all.push(said(&app));
    }
    let split =
        " (failures: 1 error, 3 failed requests with no finding, not in the header's count)";
    // From the first row (the mirror's refused HEAD, the finding): 2, 3, 4, round to 1.
    assert!(said_all.iter().all(|s| s.contains(split)), "{said_all:?}");
    for (n, s) in said_all.iter().take(3).enumerate() {
        assert!(
            s.starts_with(&format!("failed request {} of 4", n + 2)),
            "{said_all:?}"
        );
    }
    assert!(said_all[3].starts_with("error 1 of 4"), "{said_all:?}");
}
