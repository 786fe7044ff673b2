//! The Raw view's `match 3 of 7`: after `/` or `n` lands on a matching line, the matches are
//! counted in bounded steps (as scan.rs searches), so a 600k-line log is never frozen on. While
//! it counts the status says how far it got (`match 3 of ≥5 (counting… 40%)`); once done, the
//! words the in-memory lists say at once.

use std::time::Instant;

use super::App;
use super::scan::{STEP_LINES, STEP_TIME};

/// A count of the Raw rows the search matches, under way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct MatchCount {
    /// The row the jump landed on.
    at: usize,
    /// The direction the jump went when it went round the end of the list.
    round: Option<bool>,
    /// The next row to look at.
    next: usize,
    /// Matches before `at`.
    before: usize,
    /// Matches counted so far.
    total: usize,
    /// Rows to count (those there when the jump landed).
    len: usize,
}

impl App {
    /// Starts counting the matches around row `at` of the Raw view and runs the first step (a
    /// small log is counted at once).
    pub(super) fn start_match_count(&mut self, at: usize, round: Option<bool>) {
        self.match_count = Some(MatchCount {
            at,
            round,
            next: 0,
            before: 0,
            total: 0,
            len: self.raw_rows.len(),
        });
        self.step_match_count(Instant::now());
    }

    /// One bounded step of the count; says where it got, or the count once done.
    pub(super) fn step_match_count(&mut self, start: Instant) {
        let Some(mut c) = self.match_count.take() else {
            return;
        };
        let Some(re) = self.search.clone() else {
            return;
        };
        let len = c.len.min(self.raw_rows.len());
        let mut reader = self.lines.reader();
        while c.next < len {
            let to = (c.next + STEP_LINES).min(len);
            for i in c.next..to {
                let hit = self
                    .raw_rows
                    .get(i)
                    .and_then(|seq| reader.get(seq))
                    .is_some_and(|l| re.is_match(&l.text()));
                if hit {
                    c.total += 1;
                    c.before += usize::from(i < c.at);
                }
            }
            c.next = to;
            if start.elapsed() >= STEP_TIME {
                break;
            }
        }
        drop(reader);
        let nth = c.before + 1;
        if c.next >= len {
            self.say_match_position(nth, c.total.max(nth), c.round);
            return;
        }
        let share = c.next * 100 / len.max(1);
        let round = super::navigate::went_round(c.round);
        self.say(if c.next > c.at {
            format!(
                "match {nth} of ≥{}{round} (counting… {share}%)",
                c.total.max(nth)
            )
        } else {
            format!("match ? of ≥{}{round} (counting… {share}%)", c.total + 1)
        });
        self.match_count = Some(c);
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
            len: c.len.saturating_sub(gone),
            ..c
        });
    }
}
