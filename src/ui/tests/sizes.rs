//! Resize at any time (issue 7): every view, pane, popup and prompt draws at every terminal
//! size from 0×0 up, including sizes too small to hold the layout, without a panic.

use super::{DEMO, GCR, app, screen, with_diagnosis};
use crate::app::{Action, App, InputEdit};

const WIDTHS: [u16; 9] = [0, 1, 2, 5, 12, 20, 40, 80, 130];
const HEIGHTS: [u16; 11] = [0, 1, 2, 3, 4, 5, 7, 9, 11, 12, 40];

/// Each state the screen can be in: a name and the actions that lead there.
fn states() -> Vec<(&'static str, Vec<Action>)> {
    vec![
        ("events", vec![Action::ShowEvents]),
        ("raw wrapped", vec![Action::ShowRaw, Action::ToggleWrap]),
        ("traces", vec![Action::ShowTraces]),
        ("waterfall", vec![Action::ShowTraces, Action::Open]),
        ("mirrors", vec![Action::ShowMirrors]),
        ("help", vec![Action::Help]),
        (
            "search prompt",
            vec![Action::Search, Action::Input(InputEdit::Char('x'))],
        ),
        ("filter prompt", vec![Action::Filter]),
        (
            "long prompt, cursor inside, wide characters",
            [Action::Search]
                .into_iter()
                .chain(
                    "中文 \u{1b}[2J status>=400 host=ghcr.io"
                        .chars()
                        .map(|c| Action::Input(InputEdit::Char(c))),
                )
                .chain([
                    Action::Input(InputEdit::Home),
                    Action::Input(InputEdit::Right),
                ])
                .collect(),
        ),
    ]
}

// See: issue 7, "resize at any time".
#[test]
fn issue_7_every_view_draws_at_every_size() {
    let base = || with_diagnosis(app("both.log", &format!("{GCR}{DEMO}")));
    for (name, actions) in states() {
        let mut a: App = base();
        for act in actions {
            a.update(act);
        }
        // Grow and shrink in turn, as a user dragging the window does.
        for &w in WIDTHS.iter().chain(WIDTHS.iter().rev()) {
            for &h in &HEIGHTS {
                let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    screen(&mut a, w, h);
                }));
                assert!(r.is_ok(), "{name}: drawing at {w}×{h} panicked");
            }
        }
    }
}
