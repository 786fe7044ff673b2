//! The Traces list's columns at a given width. Nothing is cut without a mark: where TRACE,
//! FIRST, the counts and DUR do not fit whole, FIRST first loses its milliseconds (whole, never
//! `35.4` for `35.400`), then the column goes; a trace id cut to its column ends in `…`, as the
//! Events view marks a cut path, and keeps at least 8 digits (what `trace=` needs to pick a
//! trace, as git takes a short hash); past 16 digits the id grows only once HOSTS has the
//! width its longest cell in view asks (the host tells a mirror pull from a direct one; a
//! review saw a whole id beside `docker.io…`), and HOSTS takes what is left, cut with `…`
//! too. FAILED is as
//! wide as the rows in view ask (`3×404 1×500↩`, at most [`FAILED_WIDE`], at least
//! [`FAILED_MIN`]) where everything else fits whole, else it narrows to the short form's
//! `4 (404…)↩` before anything else is cut (`App::failed_cell` picks the form that fits).

/// The widest FAILED column: `3×404 1×500↩` (`App::failed_cell`).
pub const FAILED_WIDE: u16 = 12;
/// The FAILED column when the rows ask for no more: `1 auth`, `6 429↩`.
pub const FAILED_MIN: u16 = 8;
/// The FAILED column where a wider one would cut the id or the time: `4 (404…)↩`.
const FAILED_NARROW: u16 = 9;
/// Columns of SPANS, REQS and DUR (FAILED between REQS and DUR).
const COUNTS: [u16; 3] = [5, 5, 7];
/// A whole trace id.
const ID_FULL: u16 = 32;
/// What the id keeps before HOSTS widens: half of it, twice what `trace=` needs.
const ID_HALF: u16 = 16;
/// The narrowest TRACE column: 8 digits and the `…`.
const ID_MIN: u16 = 9;
/// HOSTS is never narrower (ratatui cuts below that, past the right edge).
const HOSTS_MIN: u16 = 10;
/// `.mmm`, what a time loses first.
const MILLIS: u16 = 4;

/// The widths the list draws with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Columns {
    /// TRACE.
    pub trace: u16,
    /// FIRST: its width and whether it keeps its milliseconds; `None` when dropped.
    pub first: Option<(u16, bool)>,
    /// FAILED: [`FAILED_WIDE`] where everything else fits whole, else `FAILED_NARROW`.
    pub failed: u16,
    /// HOSTS: what is left, at least `HOSTS_MIN`.
    pub hosts: u16,
}

impl Columns {
    /// The columns for a list `width` wide, FIRST `time` wide whole (with its milliseconds
    /// where `millis`: a log of whole seconds has none to lose), FAILED `failed` wide where
    /// that fits (the longest cell in view).
    ///
    /// HOSTS asks `hosts` (its longest cell in view): past [`ID_HALF`] digits the id grows only
    /// once HOSTS has it (a review at 80 columns: a 32-digit id beside `docker.io…`, when the
    /// host is what tells a mirror pull from a direct one and 8 digits pick a trace).
    pub fn fit(width: u16, (time, millis): (u16, bool), failed: u16, hosts: u16) -> Columns {
        let failed = failed.clamp(FAILED_MIN, FAILED_WIDE);
        let wide = Columns::with_failed(width, (time, millis), failed, hosts);
        // Nothing else cut: the time, HOSTS as asked, and the id whole, or (HOSTS having asked
        // for the room) at least `ID_HALF` wide.
        let id_kept = wide.trace == ID_FULL || (hosts > HOSTS_MIN && wide.trace >= ID_HALF);
        let whole = id_kept && wide.first == Some((time, true)) && wide.hosts >= hosts;
        if failed <= FAILED_NARROW || whole {
            wide
        } else {
            Columns::with_failed(width, (time, millis), FAILED_NARROW, hosts)
        }
    }

    /// [`Columns::fit`] with FAILED `failed` wide.
    fn with_failed(width: u16, (time, millis): (u16, bool), failed: u16, hosts: u16) -> Columns {
        let droppable = if millis { MILLIS } else { 0 };
        let counts: u16 = COUNTS.iter().sum::<u16>() + failed;
        // Gaps between the columns: 6 with FIRST, 5 without.
        let room = |gaps: u16| width.saturating_sub(counts + HOSTS_MIN + gaps);
        let first = if room(6) >= time + ID_MIN {
            Some((time, true))
        } else if droppable > 0 && room(6) >= time.saturating_sub(droppable) + ID_MIN {
            Some((time.saturating_sub(droppable), false))
        } else {
            None
        };
        let (room, first_w) = match first {
            Some((w, _)) => (room(6), w),
            None => (room(5), 0),
        };
        // The id to `ID_HALF` digits, then HOSTS what it asks, then the id whole.
        let trace_room = room.saturating_sub(first_w);
        let half = trace_room.clamp(ID_MIN, ID_HALF);
        let extra = trace_room.saturating_sub(half);
        let to_hosts = extra.min(hosts.saturating_sub(HOSTS_MIN));
        let trace = (half + extra - to_hosts).min(ID_FULL);
        let gaps = if first.is_some() { 6 } else { 5 };
        let hosts = width
            .saturating_sub(trace + first_w + counts + gaps)
            .max(HOSTS_MIN);
        Columns {
            trace,
            first,
            failed,
            hosts,
        }
    }

    /// The widths, in the list's column order (FIRST only when shown).
    pub fn widths(&self) -> Vec<u16> {
        let mut w = vec![self.trace];
        w.extend(self.first.map(|(f, _)| f));
        w.extend([COUNTS[0], COUNTS[1], self.failed, COUNTS[2]]);
        w.push(self.hosts);
        w
    }

    /// The headings, as [`Columns::widths`].
    pub fn headings(&self) -> Vec<&'static str> {
        let mut h = vec!["TRACE"];
        h.extend(self.first.map(|_| "FIRST"));
        h.extend(["SPANS", "REQS", "FAILED", "DUR", "HOSTS"]);
        h
    }
}

/// `time` as a FIRST cell: whole, or without its `.mmm` (the last four characters of every
/// `app::clock` format with milliseconds, blank on a row to the second) when `millis` is false.
pub fn first_cell(time: String, millis: bool) -> String {
    if millis {
        return time;
    }
    match time.rsplit_once('.') {
        Some((secs, _)) => secs.to_owned(),
        None => time.trim_end().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn milliseconds_go_whole_then_the_column_and_ids_keep_eight_digits() {
        // Rows that ask for no more than 8: the column as it was.
        assert_eq!(
            Columns::fit(85, (12, true), 6, HOSTS_MIN).failed,
            FAILED_MIN
        );
        assert_eq!(Columns::fit(85, (12, true), 6, HOSTS_MIN).trace, ID_FULL);
        // 32 + 12 + 29 + 10 + 6 gaps: everything whole, FAILED wide.
        let wide = Columns::fit(89, (12, true), FAILED_WIDE, HOSTS_MIN);
        assert_eq!(
            (wide.trace, wide.first, wide.failed, wide.hosts),
            (32, Some((12, true)), FAILED_WIDE, 10)
        );
        assert_eq!(wide.widths().iter().sum::<u16>() + 6, 89);
        // Three columns fewer: FAILED narrows before the id or the time is cut.
        let less = Columns::fit(86, (12, true), FAILED_WIDE, HOSTS_MIN);
        assert_eq!(
            (less.trace, less.first, less.failed),
            (32, Some((12, true)), FAILED_NARROW)
        );
        // The reviewer's 60 columns: seconds only, the id cut.
        let narrow = Columns::fit(60, (12, true), FAILED_WIDE, HOSTS_MIN);
        assert_eq!(narrow.first, Some((8, false)));
        assert_eq!((narrow.trace, narrow.failed), (10, FAILED_NARROW));
        // Too narrow for a time: FIRST goes, TRACE keeps 8 digits and its `…`.
        let tiny = Columns::fit(45, (12, true), FAILED_MIN, HOSTS_MIN);
        assert_eq!((tiny.trace, tiny.first), (ID_MIN, None));
        assert_eq!(tiny.headings().len(), tiny.widths().len());
        assert_eq!(
            Columns::fit(0, (23, true), FAILED_WIDE, HOSTS_MIN).trace,
            ID_MIN
        );
        // A review at 80 columns: `0f1e2d3c4b5a69788796a5b4c3d2e1… docker.io…`. HOSTS gets what
        // it asks once the id has 16 digits, then the id grows.
        let asked = "docker.io? mirror.gcr.io? unknown".len() as u16;
        let at80 = Columns::fit(80, (8, false), FAILED_MIN, asked);
        assert_eq!(at80.first, Some((8, true)));
        assert_eq!((at80.trace, at80.hosts), (ID_HALF, 25), "{at80:?}");
        assert_eq!(at80.widths().iter().sum::<u16>() + 6, 80);
        // With room for both, both whole.
        let at120 = Columns::fit(120, (8, false), FAILED_MIN, asked);
        assert_eq!(
            (at120.trace, at120.hosts),
            (ID_FULL, 120 - 6 - 32 - 8 - 17 - 8)
        );
        assert_eq!(
            first_cell("11-29 13:00:01.234".to_owned(), false),
            "11-29 13:00:01"
        );
        assert_eq!(first_cell("13:00:01.234".to_owned(), true), "13:00:01.234");
    }
}
