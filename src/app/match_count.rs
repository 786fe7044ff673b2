//! The Raw view's `match 3 of 7` and `error line 3 of 10`: after `/`, `n` or `e` lands on a
//! line, the lines like it are counted in bounded steps (as scan.rs searches), so a 600k-line
//! log is never frozen on. While it counts the status says how far it got (`match 3 of ≥5
//! (counting… 40%)`); once done, the words the in-memory lists say at once.

use std::time::Instant;

use super::App;
use super::scan::{STEP_LINES, STEP_TIME};

/// What is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Counted {
    /// Lines the search matches.
    Matches,
    /// Lines `e` stops at (an error level or a finding).
    Errors,
}

/// A count of Raw rows under way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct MatchCount {
    what: Counted,
    /// The row the jump landed on.
    at: usize,
    /// The direction the jump went when it went round the end of the list.
    round: Option<bool>,
    /// The next row to look at.
    next: usize,
    /// Rows counted before `at`.
    before: usize,
    /// Rows counted so far.
    total: usize,
    /// Of them, auth failures (counting error lines: `failures: 1 auth, 10 errors`).
    auth: usize,
    /// Rows to count (those there when the jump landed).
    len: usize,
    /// Said before the count, and after it (`; 15 without a request row: Raw view`), in the
    /// long form and the short ([`super::Status::Fitted`]).
    long: (String, String),
    short: (String, String),
}

impl App {
    /// Starts counting the search's matches around row `at` of the Raw view and runs the first
    /// step (a small log is counted at once).
    pub(super) fn start_match_count(&mut self, at: usize, round: Option<bool>) {
        let none = (String::new(), String::new());
        self.start_count(Counted::Matches, at, round, none.clone(), none);
    }

    /// Starts counting what `what` names around row `at` of the Raw view, the status said
    /// between the prefix and the suffix of `long` (`short` where that does not fit), and runs
    /// the first step.
    pub(super) fn start_count(
        &mut self,
        what: Counted,
        at: usize,
        round: Option<bool>,
        long: (String, String),
        short: (String, String),
    ) {
        self.match_count = Some(MatchCount {
            what,
            at,
            round,
            next: 0,
            before: 0,
            total: 0,
            auth: 0,
            len: self.raw_rows.len(),
            long,
            short,
        });
        self.step_match_count(Instant::now());
    }

    /// One bounded step of the count; says where it got, or the count once done.
    pub(super) fn step_match_count(&mut self, start: Instant) {
        let Some(mut c) = self.match_count.take() else {
            return;
        };
        let re = match (c.what, self.search.clone()) {
            (Counted::Matches, None) => return,
            (_, re) => re,
        };
        let len = c.len.min(self.raw_rows.len());
        let mut reader = self.lines.reader();
        while c.next < len {
            let to = (c.next + STEP_LINES).min(len);
            for i in c.next..to {
                let hit = match &re {
                    Some(re) if c.what == Counted::Matches => self
                        .raw_rows
                        .get(i)
                        .and_then(|seq| reader.get(seq))
                        .is_some_and(|l| re.is_match(&l.text())),
                    _ => self.row_is_error(i),
                };
                if hit {
                    c.total += 1;
                    c.before += usize::from(i < c.at);
                    if c.what == Counted::Errors {
                        c.auth += usize::from(self.row_is_auth(i));
                    }
                }
            }
            c.next = to;
            if start.elapsed() >= STEP_TIME {
                break;
            }
        }
        drop(reader);
        let noun = match c.what {
            Counted::Matches => "match",
            Counted::Errors => self.error_noun(c.at),
        };
        let nth = c.before + 1;
        // The long form, and the short one for a narrow bar (`error_jump`'s words).
        let said = |short: bool| {
            let round = if short {
                super::navigate::went_round_short(c.round)
            } else {
                super::navigate::went_round(c.round)
            };
            if c.next >= len {
                let total = c.total.max(nth);
                let split = match (c.long.1.is_empty(), short) {
                    (false, _) => String::new(),
                    (true, false) => super::error_jump::failure_split(c.auth, 0, total),
                    (true, true) => super::error_jump::failure_split_short(c.auth, total),
                };
                if short {
                    format!("{noun} {nth} of {total}{round}{split}")
                } else {
                    format!("{noun} {nth} of {total}{split}{round}")
                }
            } else {
                let share = c.next * 100 / len.max(1);
                if c.next > c.at {
                    let total = c.total.max(nth);
                    format!("{noun} {nth} of ≥{total}{round} (counting… {share}%)")
                } else {
                    let total = c.total + 1;
                    format!("{noun} ? of ≥{total}{round} (counting… {share}%)")
                }
            }
        };
        let (long, short) = (&c.long, &c.short);
        self.say_fitted(
            format!("{}{}{}", long.0, said(false), long.1),
            format!("{}{}{}", short.0, said(true), short.1),
        );
        if c.next < len {
            self.match_count = Some(c);
        }
    }

    /// Lines were dropped and `gone` Raw rows with them: the count starts again on the rows
    /// left, or ends if the row it counted around is gone.
    pub(super) fn match_count_rows_dropped(&mut self, gone: usize) {
        let Some(c) = self.match_count.take() else {
            return;
        };
        if c.at < gone {
            return;
        }
        self.match_count = Some(MatchCount {
            at: c.at - gone,
            next: 0,
            before: 0,
            total: 0,
            auth: 0,
            len: c.len.saturating_sub(gone),
            ..c
        });
    }
}
