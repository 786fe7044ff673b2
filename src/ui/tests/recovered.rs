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
