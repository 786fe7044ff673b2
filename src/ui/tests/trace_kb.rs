//! The knowledge-base pane in the Traces list: `e` selects a trace with a failure, and the pane
//! diagnoses that trace's first failed request, named first; Enter opens the waterfall on it.

use super::{GCR, OAUTH, app, row_text, screen};
use crate::app::{Action, App};

/// The oauth-token 401 fixture with its registry lines in one trace, after a trace with no
/// failure (the GCR seed).
fn traced() -> App {
    let oauth: String = OAUTH
        .lines()
        .map(|l| {
            if l.contains("host=\"127.0.0.1:5010\"") {
                format!("{l} spanID=5a1 traceID=0a07a401\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    app("traced.log", &format!("{GCR}{oauth}"))
}

fn screen_text(a: &mut App) -> String {
    let t = screen(a, 140, 40);
    (0..40)
        .map(|y| row_text(&t, y))
        .collect::<Vec<_>>()
        .join("\n")
}

// After `e` selected a trace with errors the pane still said `Select an error row (e / E …)`.
#[test]
fn e_in_the_traces_list_shows_the_first_failed_requests_diagnosis() {
    let mut a = traced();
    a.update(Action::ShowTraces);
    a.update(Action::SelectFirst);
    assert!(a.trace_failure().is_none(), "the GCR trace has no failure");
    a.update(Action::NextError);
    assert_eq!(a.traces.selected(), Some("0a07a401"));
    let failed = a.trace_failure().map(|e| e.id).expect("its failed request");
    assert!(a.show_kb, "e opens the pane on a diagnosis");
    assert!(!a.selected_diagnoses().is_empty());
    let shown = screen_text(&mut a);
    assert!(!shown.contains("Select an error row"), "{shown}");
    assert!(
        shown.contains("First failed request of this trace"),
        "{shown}"
    );
    assert!(shown.contains("auth/oauth-token-401"), "{shown}");
    assert!(shown.contains("Root cause"), "{shown}");
    // A trace without a failure says so.
    a.update(Action::SelectFirst);
    let shown = screen_text(&mut a);
    assert!(shown.contains("No failed request in this trace"), "{shown}");
    assert!(!shown.contains("Root cause"), "{shown}");
    // Enter on the failed trace opens its waterfall on that request.
    a.update(Action::NextError);
    a.update(Action::Open);
    assert_eq!(a.selected_event().map(|e| e.id), Some(failed));
}

// With no traceID in the log the pane, opened on the first auth failure, was blank in the
// Traces view.
#[test]
fn an_empty_traces_list_says_why_the_pane_is_empty() {
    let mut a = app("oauth.log", OAUTH);
    assert!(a.show_kb, "opened on the oauth-token failure");
    a.update(Action::ShowTraces);
    let shown = screen_text(&mut a);
    assert!(shown.contains("no traceID in this log"), "{shown}");
    assert!(
        shown.contains("No trace to diagnose: the list is empty"),
        "{shown}"
    );
}
