//! The detail pane of an error another host recovered: where the log names no host (BuildKit
//! ≥ v0.16, no url; the model's `recovered_by` is then `unknown`) it says what is known.

use super::{app, view};
use crate::app::Action;
use crate::ui::exchange_view;

const V026_MIRROR_MISS: &str =
    include_str!("../../../tests/fixtures/hand-written/buildkit-v0.26-mirror-miss.txt");

#[test]
fn a_recovery_by_an_unnamed_host_says_another_host() {
    let mut a = app("miss.log", V026_MIRROR_MISS);
    a.update(Action::SelectFirst);
    a.update(Action::NextError);
    let t = view(&a, 160, 16, exchange_view::render);
    let shown = super::screen_text(&t).join("\n");
    assert!(
        shown.contains("(recovered: another host served the same object next)"),
        "{shown}"
    );
    assert!(!shown.contains("unknown served"), "{shown}");
}

// A review: demo.log's `registry-1.docker.io … 200` row, the answer to "why does my build hit
// docker.io?", said nothing of the mirror's 404 just before it (`app::bypass`).
#[test]
fn an_upstream_pull_after_a_mirror_miss_names_the_miss() {
    let mut a = app("demo.log", super::DEMO);
    let row = a
        .events
        .rows
        .iter()
        .position(|&id| {
            a.model.event(id).is_some_and(|e| {
                e.host.as_deref() == Some("registry-1.docker.io")
                    && e.url
                        .as_deref()
                        .is_some_and(|u| u.ends_with("/busybox/manifests/latest"))
            })
        })
        .expect("the upstream row");
    a.update(Action::SelectFirst);
    for _ in 0..row {
        a.update(Action::SelectNext);
    }
    let t = view(&a, 160, 16, exchange_view::render);
    let shown = super::screen_text(&t).join("\n");
    assert!(
        shown.contains(
            "mirror not used: a fallback after 127.0.0.1:5001 answered 404 Not Found (lines \
             74–77)"
        ),
        "{shown}"
    );
}
