//! `e` / `E`: the next (previous) error row of the view on screen, and where it stands among
//! them (`error 3 of 10`, as `n` says `match 3 of 7`); in the Raw view, which can hold 600k
//! lines, the nearest is found at once and the count runs in bounded steps (match_count.rs).
//! A row that is an auth failure is called one, and where the rows `e` stops at hold auth
//! failures the count says what it is made of: `auth failure 6 of 11 (failures: 1 auth, 10
//! errors)`.

use crate::parse::Level;

use super::navigate::{Severity, next_wrapping, went_round, went_round_short};
use super::{App, View};

/// Where `e` goes: the row, its place among the error rows (`(3, 10)`; `None` while the Raw
/// view's are still to be counted) and whether it went round the end of the list.
struct ErrorJump {
    row: usize,
    place: Option<(usize, usize)>,
    /// How many of the rows `e` stops at are auth failures (counted with the place).
    auth: usize,
    /// How many are failed requests the model made no finding of (counted with the place).
    unfound: usize,
    round: bool,
}

/// What the count of the rows `e` stops at is made of, when any is an auth failure or a
/// failed request the model made no finding of (a silent fallback's mirror request: no answer
/// logged, the same path asked next elsewhere), which the header's counts leave out:
/// ` (failures: 1 auth, 10 errors)`, ` (failures: 1 error, 3 failed requests with no finding,
/// not in the header's count)`; empty when all are errors (then `error 3 of 10` says it all).
/// Not said beside [`App::reach_note`]'s note, which splits the count already.
pub(super) fn failure_split(auth: usize, unfound: usize, total: usize) -> String {
    if auth == 0 && unfound == 0 {
        return String::new();
    }
    let rest = total.saturating_sub(auth + unfound);
    let mut parts = Vec::new();
    if auth > 0 {
        parts.push(format!("{auth} auth"));
    }
    if rest > 0 {
        parts.push(super::words::count(rest, "error", "errors"));
    }
    if unfound > 0 {
        parts.push(format!(
            "{} with no finding, not in the header's count",
            super::words::count(unfound, "failed request", "failed requests")
        ));
    }
    format!(" (failures: {})", parts.join(", "))
}

/// [`failure_split`] of rows with no failed request the model made no finding of, for a
/// narrow bar: ` (1 auth, 10 errors)`.
pub(super) fn failure_split_short(auth: usize, total: usize) -> String {
    match failure_split(auth, 0, total).strip_prefix(" (failures: ") {
        Some(rest) => format!(" ({rest}"),
        None => String::new(),
    }
}

impl App {
    /// True when row `i` of the current list is an error row (for `e`/`E`).
    pub(super) fn row_is_error(&self, i: usize) -> bool {
        match self.view {
            View::Events => self.events.rows.get(i).is_some_and(|&id| {
                self.model
                    .event(id)
                    .is_some_and(|e| matches!(self.severity(e), Severity::Auth | Severity::Error))
            }),
            View::Raw => self.raw_rows.get(i).is_some_and(|seq| {
                self.lines
                    .facts(seq)
                    .is_some_and(|(level, _, _)| level.is_some_and(|v| v >= Level::Error))
                    || self
                        .lines
                        .source_number(seq)
                        .is_some_and(|(s, n)| self.finding_of_line(s, n).is_some())
            }),
            View::Traces if self.traces.open.is_none() => self
                .traces
                .rows
                .get(i)
                .and_then(|t| self.model.traces().get(t))
                .is_some_and(|t| self.first_failure_of(t).is_some()),
            View::Traces => self.open_trace().is_some_and(|t| {
                matches!(self.waterfall_of(t).get(i),
                    Some(super::traces::WaterfallRow::Event(id))
                        if self.model.event(*id).is_some_and(|e| self.is_failure(e)))
            }),
            View::Mirrors => self
                .activity
                .hosts
                .get(i)
                .is_some_and(|h| h.errors.iter().any(|&e| e > 0)),
        }
    }

    /// The rows of the current list `e` stops at, in order: one pass (the open waterfall is
    /// built once, not once a row).
    pub(super) fn error_rows(&self) -> Vec<usize> {
        self.rows_where(
            |r| {
                matches!(r, super::traces::WaterfallRow::Event(id)
                    if self.model.event(*id).is_some_and(|e| self.is_failure(e)))
            },
            |i| self.row_is_error(i),
        )
    }

    /// True when row `i` of the current list is an auth failure: an event whose row is
    /// coloured as one, a raw line whose finding is one. The Traces list's and the Mirrors
    /// view's rows (traces, hosts) are never one.
    pub(super) fn row_is_auth(&self, i: usize) -> bool {
        let auth = |id: usize| self.event_is_auth(id);
        match self.view {
            View::Events => self.events.rows.get(i).is_some_and(|&id| auth(id)),
            View::Raw => self
                .raw_rows
                .get(i)
                .and_then(|seq| self.lines.source_number(seq))
                .and_then(|(s, n)| self.finding_of_line(s, n))
                .is_some_and(|f| f.kind.is_auth()),
            View::Traces => self.open_trace().is_some_and(|t| {
                matches!(self.waterfall_of(t).get(i),
                    Some(super::traces::WaterfallRow::Event(id)) if auth(*id))
            }),
            View::Mirrors => false,
        }
    }

    /// True when event `id` is coloured as an auth failure.
    fn event_is_auth(&self, id: usize) -> bool {
        self.model
            .event(id)
            .is_some_and(|e| self.severity(e) == Severity::Auth)
    }

    /// How many of `rows` (those `e` stops at) are auth failures: an open waterfall is built
    /// once, not once a row as [`App::row_is_auth`] builds it.
    fn auth_count(&self, rows: &[usize]) -> usize {
        if self.view == View::Traces
            && let Some(t) = self.open_trace()
        {
            let waterfall = self.waterfall_of(t);
            return rows
                .iter()
                .filter(|&&i| {
                    matches!(waterfall.get(i),
                        Some(super::traces::WaterfallRow::Event(id)) if self.event_is_auth(*id))
                })
                .count();
        }
        rows.iter().filter(|&&r| self.row_is_auth(r)).count()
    }

    /// True when row `i` of the Events view or an open waterfall is a failed request the
    /// model made no finding of and the header does not count: a silent fallback's mirror
    /// request (no answer logged). Not one whose finding the cap let go: that one was counted
    /// (and [`App::reach_note`] says so).
    fn row_is_unfound(&self, i: usize) -> bool {
        self.unfound_count(&[i]) == 1
    }

    /// How many of `rows` (of the Events view or an open waterfall) [`App::row_is_unfound`]
    /// holds for; the waterfall is built once.
    fn unfound_count(&self, rows: &[usize]) -> usize {
        // Past the cap a row's finding may have been let go: counted, and the note says so.
        if self.model.counts().findings_let_go > 0 {
            return 0;
        }
        let unfound = |id: usize| {
            self.model
                .event(id)
                .is_some_and(|e| !e.auth_failed && self.findings_of_event(e.id).next().is_none())
        };
        match self.view {
            View::Events => rows
                .iter()
                .filter(|&&i| self.events.rows.get(i).is_some_and(|&id| unfound(id)))
                .count(),
            View::Traces => match self.open_trace().map(|t| self.waterfall_of(t)) {
                Some(waterfall) => rows
                    .iter()
                    .filter(|&&i| {
                        matches!(waterfall.get(i),
                            Some(super::traces::WaterfallRow::Event(id)) if unfound(*id))
                    })
                    .count(),
                None => 0,
            },
            View::Raw | View::Mirrors => 0,
        }
    }

    /// What row `i`, one `e` stops at, is called in the view on screen: `auth failure` where
    /// it is one (`auth failure line` in the Raw view), `failed request` where the model made
    /// no finding of it.
    pub(super) fn error_noun(&self, i: usize) -> &'static str {
        let auth = self.row_is_auth(i);
        match self.view {
            View::Events | View::Traces if auth => "auth failure",
            View::Events if self.row_is_unfound(i) => "failed request",
            View::Events => "error",
            View::Raw if auth => "auth failure line",
            View::Raw => "error line",
            View::Traces if self.traces.open.is_none() => "failed trace",
            View::Traces => "failed request",
            View::Mirrors => "host with errors",
        }
    }

    /// The next (or previous) row after the selection for which `pred` holds, wrapping around,
    /// and whether it went round the end of the list.
    fn find_row(&self, forward: bool, pred: impl Fn(&App, usize) -> bool) -> Option<(usize, bool)> {
        let len = self.list_len();
        let from = self.cursor().selected;
        (1..=len)
            .map(|k| {
                if forward {
                    (from + k) % len
                } else {
                    (from + len - k % len) % len
                }
            })
            .find(|&i| pred(self, i))
            // Back on the row it started from (the only one) is no going round.
            .map(|i| (i, if forward { i < from } else { i > from }))
    }

    /// The error row `e` (`E`) goes to, its place among them and whether it went round: in
    /// the lists in memory counted at once; in the Raw view, which can hold 600k lines, the
    /// place is `None` and counted in bounded steps once there (match_count.rs).
    fn next_error(&self, forward: bool) -> Option<ErrorJump> {
        if self.view == View::Raw {
            return self
                .find_row(forward, App::row_is_error)
                .map(|(row, round)| ErrorJump {
                    row,
                    place: None,
                    auth: 0,
                    unfound: 0,
                    round,
                });
        }
        let rows = self.error_rows();
        let (at, round) = next_wrapping(&rows, self.cursor().selected, forward);
        let auth = self.auth_count(&rows);
        let unfound = self.unfound_count(&rows);
        rows.get(at).map(|&row| ErrorJump {
            row,
            place: Some((at + 1, rows.len())),
            auth,
            unfound,
            round,
        })
    }

    /// `e` / `E`: the next (previous) error row, and where it stands among them: `error 3 of
    /// 10`, as `n` says `match 3 of 7`.
    pub(super) fn jump_error(&mut self, forward: bool) {
        self.jump_error_saying(forward, (String::new(), String::new()));
    }

    fn jump_error_saying(&mut self, forward: bool, prefix: (String, String)) {
        match self.next_error(forward) {
            Some(ErrorJump {
                row: i,
                place,
                auth,
                unfound,
                round,
            }) => {
                self.pause_here();
                self.select_row(i);
                let diagnosed = if self.view == View::Mirrors {
                    !self.host_diagnosis().is_empty()
                } else {
                    !self.selected_diagnoses().is_empty()
                };
                if diagnosed {
                    self.set_kb_shown(true);
                }
                // What the header counts and `e` cannot reach here, and why.
                let note = self.reach_note();
                let round = round.then_some(forward);
                match place {
                    Some((nth, total)) => {
                        let noun = self.error_noun(i);
                        // The note, when there is one, already splits the count.
                        let (split, short) = if note.long.is_empty() {
                            let short = match unfound {
                                0 => failure_split_short(auth, total),
                                n => format!(" ({n} not in header count)"),
                            };
                            (failure_split(auth, unfound, total), short)
                        } else {
                            (String::new(), String::new())
                        };
                        // Short, at 60 columns: that it went round before the split, which
                        // a bar narrower still cuts first.
                        self.say_fitted(
                            format!(
                                "{}{noun} {nth} of {total}{split}{}{}",
                                prefix.0,
                                went_round(round),
                                note.long
                            ),
                            format!(
                                "{}{noun} {nth} of {total}{}{short}{}",
                                prefix.1,
                                went_round_short(round),
                                note.short
                            ),
                        );
                    }
                    None => self.start_count(
                        super::match_count::Counted::Errors,
                        i,
                        round,
                        (prefix.0, note.long),
                        (prefix.1, note.short),
                    ),
                }
            }
            // A failure read from text (a client's `ERROR: failed to solve: …` pasted along, an
            // error line) has no event row: it is found among the raw lines.
            None if self.view == View::Events
                && self.model.findings().iter().any(|f| f.event.is_none()) =>
            {
                self.switch_view(View::Raw);
                self.jump_error_saying(
                    forward,
                    (
                        "no error among the events; this one is in the raw lines: ".to_owned(),
                        "in the raw lines: ".to_owned(),
                    ),
                );
            }
            None => {
                let note = self.reach_note();
                self.say_fitted(
                    format!("no error rows in this view{}", note.long),
                    format!("no error rows in this view{}", note.short),
                );
            }
        }
    }
}
