//! What `e` says of the findings the header counts and its count of error rows cannot reach:
//! those the cap on findings let go, those that went with dropped events, those with no request
//! row (the review's demo ×1500 and MANY repros).

use ratatui::layout::Rect;

use super::{DEMO, press, said};
use crate::app::{Action, App, View};

/// Ticks until the Raw view's count of error lines is done (it counts in bounded steps).
fn counted(app: &mut App) {
    for _ in 0..1000 {
        if !said(app).contains("counting") {
            break;
        }
        app.update(Action::Tick);
    }
}

fn many() -> App {
    let mut app = crate::test_support::app_with_many_sources();
    app.update(Action::Layout(Rect::new(0, 3, 120, 30)));
    app
}

// The review: MANY's header said `✖ 7 auth  20 errors` and `e` cycled `error 1 of 12 … 12 of 12`
// with no word of the 15 others: findings read from text (a pasted client error) have no
// request row, and are found in the Raw view only.
#[test]
fn e_in_the_events_says_how_many_findings_have_no_request_row() {
    let mut app = many();
    let t = app.finding_totals;
    // Its two credential-helper failures are auth failures (they were errors of kind other).
    assert_eq!((t.auth, t.errors), (9, 18));
    let rowless = app.findings.iter().filter(|f| f.event.is_none()).count();
    assert_eq!(rowless, 15);
    press(&mut app, "1");
    press(&mut app, "esc");
    press(&mut app, "g");
    press(&mut app, "e");
    let rows = app.error_rows().len();
    assert_eq!(rows, 12);
    let msg = said(&app);
    assert!(
        msg.starts_with("error ")
            && msg.ends_with(&format!(" of {rows}; 15 without a request row: Raw view")),
        "{msg}"
    );
    // In a bar too narrow for it, the short form.
    let short = app.status_message_within(30).unwrap_or_default();
    assert!(short.ends_with(" of 12; 15 in Raw view"), "{short}");
    // The Traces list reaches them no better, and says so too.
    press(&mut app, "3");
    press(&mut app, "e");
    assert!(
        said(&app).ends_with("; 15 without a request row: Raw view"),
        "{}",
        said(&app)
    );
    // The Raw view reaches every one: no note.
    press(&mut app, "2");
    press(&mut app, "g");
    press(&mut app, "e");
    counted(&mut app);
    let msg = said(&app);
    assert!(
        (msg.starts_with("error line ") || msg.starts_with("auth failure line "))
            && msg.contains(" of 27"),
        "{msg}"
    );
    assert!(!msg.contains(';'), "{msg}");
}

/// The demo `copies` times over, each copy a minute later.
fn demo_repeated(copies: usize) -> String {
    (0..copies)
        .map(|k| {
            DEMO.replace(
                "T13:08:",
                &format!("T{:02}:{:02}:", 13 + k / 50, 8 + k % 50),
            )
        })
        .collect()
}

// The review: demo ×1500 (1500 auth failures, 15000 errors: past the 10,000 findings kept) had
// `e` say `error 7508 of 16500; showing the 818 of 1500 auth failures and 8182 of 15000 errors
// still kept (at most 10000 are kept)`, while `e` reached all 16500 rows: an event row whose
// finding the cap let go is still an error row. The Raw view stops only at the lines of the
// findings kept (and at error levels).
#[test]
fn e_past_the_findings_cap_says_which_findings_were_let_go() {
    let mut app = App::from_log("demo1000.log", &demo_repeated(1000));
    app.update(Action::Layout(Rect::new(0, 3, 120, 30)));
    let t = app.finding_totals;
    assert_eq!((t.auth, t.errors), (1000, 10_000));
    let kept = app.findings.len() as u64;
    let let_go = app.model.counts().findings_let_go;
    assert_eq!(kept + let_go, 11_000);
    assert!(let_go > 0 && kept <= crate::model::MAX_FINDINGS as u64);
    press(&mut app, "1");
    press(&mut app, "esc");
    press(&mut app, "g");
    press(&mut app, "e");
    let rows = app.error_rows().len();
    assert_eq!(rows, 11_000, "every failed request is an error row");
    assert_eq!(
        said(&app),
        format!(
            "error 1 of 11000; {let_go} older findings let go (10000 kept at most), their rows stay"
        )
    );
    let short = app.status_message_within(80).unwrap_or_default();
    assert_eq!(short, format!("error 1 of 11000; {let_go} findings let go"));
    assert!(said(&app).chars().count() <= 120);
    press(&mut app, "2");
    assert_eq!(app.view, View::Raw);
    press(&mut app, "g");
    press(&mut app, "e");
    counted(&mut app);
    assert_eq!(
        said(&app),
        format!("error line 1 of {kept}; {let_go} older findings let go (10000 kept at most)")
    );
}
