//! A client's output read before the daemon's log, as a source of its own: at the end of the
//! input, each failure it told is folded into the daemon's finding of that failure instead of
//! counted again.
//!
//! `model::repeat` folds a text into a finding made before it, in its source or a request's
//! finding of another: the client's output after the daemon's log. Given first
//! (`bkscope summary build-output.txt daemon.log`), the client's `#3 ERROR: …` is a finding
//! before the daemon's request failure it tells exists, and a failure read as it streams is not
//! taken back. [`Model::fold_told_across`], called by [`Model::finish`], takes it back then: a
//! text finding (no request line accounts for it) moves, with the lines folded into it, into the
//! newest request finding of another source that tells the same failure
//! (`repeat::same_failure`) and does not hold those words already (the same words twice are two
//! builds'), else into an open 401 of the host and object it names; its count goes with it.
//! The result is the one of the other order, but for where the lines are listed.
//!
//! Bounded: the first [`TEXTS_LOOKED_AT`] text findings are looked at, each against the kept
//! findings (at most [`MAX_FINDINGS`](super::MAX_FINDINGS)); with one source nothing is.

use super::Model;
use super::repeat::{can_take, object_of, same_failure, take_into, told_lines};

/// How many text findings the end of the input looks at.
pub const TEXTS_LOOKED_AT: usize = 256;

impl Model {
    /// Folds the text findings that tell a failure a request line of another source found
    /// (see the module doc); true when one was. Idempotent: a finding moved is gone. The
    /// explorer calls it when a source has read its history (it never ends a followed file).
    pub fn fold_told_across(&mut self) -> bool {
        let one_source = {
            let mut sources = (self.findings.iter().map(|f| f.source))
                .chain(self.auth.still_open().map(|o| o.source));
            let first = sources.next();
            sources.all(|s| Some(s) == first)
        };
        if one_source {
            return false;
        }
        let mut folded = false;
        let mut i = 0;
        let mut looked = 0;
        while i < self.findings.len() && looked < TEXTS_LOOKED_AT {
            if self.findings[i].event.is_some() {
                i += 1;
                continue;
            }
            looked += 1;
            if self.move_told(i) {
                let t = self.findings.remove(i);
                if t.kind.is_auth() {
                    self.counts.auth_failures = self.counts.auth_failures.saturating_sub(1);
                } else {
                    self.counts.errors = self.counts.errors.saturating_sub(1);
                }
                folded = true;
            } else {
                i += 1;
            }
        }
        folded
    }

    /// Moves the lines of text finding `i` into the finding it tells again; false where none
    /// of another source can take them.
    fn move_told(&mut self, i: usize) -> bool {
        let t = &self.findings[i];
        let owned_obj;
        let obj = match t.object.as_deref() {
            Some(o) => Some(o),
            None => {
                owned_obj = object_of(&t.text);
                owned_obj.as_deref()
            }
        };
        let told = told_lines(t);
        let target = self.findings.iter().rposition(|f| {
            f.event.is_some()
                && f.source != t.source
                && same_failure(t, obj, f)
                && can_take(f.also.as_deref(), &f.text, &told)
        });
        if let Some(j) = target {
            take_into(&mut self.findings[j].also, &told);
            return true;
        }
        match (t.kind.is_auth(), obj, t.host.as_deref()) {
            (true, Some(o), Some(h)) => {
                let (h, o, source) = (h.to_owned(), o.to_owned(), t.source);
                self.auth.fold(&h, &o, &told, Some(source))
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{Model, ModelOptions, Summary};

    /// `summary`'s model (lean, bounded, ended) of `sources`, read one after the other.
    fn summary_of(sources: &[&str]) -> Summary {
        let mut m = Model::new(ModelOptions {
            keep_events: false,
            ..ModelOptions::default()
        });
        m.forget_completed_details();
        for (i, text) in sources.iter().enumerate() {
            m.ingest_text(i as u32, text);
        }
        m.finish();
        Summary::from_model(&m)
    }

    /// (source, line, kind, also_lines, also_elsewhere) of every finding, auth failures first.
    type Listed = (u32, u64, &'static str, Vec<u64>, Vec<(u32, u64)>);

    fn listed(s: &Summary) -> Vec<Listed> {
        let elsewhere = |t: &[crate::model::summary::ToldAt]| -> Vec<(u32, u64)> {
            t.iter().map(|t| (t.source, t.line)).collect()
        };
        let auth = s.auth_failures.iter().map(|a| {
            let e = elsewhere(&a.also_elsewhere);
            (a.source, a.line, a.kind, a.also_lines.clone(), e)
        });
        let errors = s.errors.iter().map(|a| {
            let e = elsewhere(&a.also_elsewhere);
            (a.source, a.line, a.kind, a.also_lines.clone(), e)
        });
        auth.chain(errors).collect()
    }

    fn fixture(name: &str) -> String {
        let path = format!(
            "{}/tests/fixtures/dockerd-20.10/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    const CAPTURES: [&str; 11] = [
        "anonymous_token_401",
        "basic_auth_401",
        "basic_auth_bad_creds",
        "blob_not_found",
        "insufficient_scope",
        "mirror_fallback",
        "not_found_404",
        "oauth_token_401",
        "rate_limited_429",
        "rate_limited_429_head",
        "unknown_ca",
    ];

    /// The dockerd 20.10 captures with the client's output given as a file of its own, before
    /// or after the daemon's log: every failure is counted as often as the log alone counts it,
    /// the findings are the log's, and the client's two lines (`#3 ERROR:`, `failed to solve`)
    /// are held by one of them as lines of the client's file.
    #[test]
    fn the_clients_file_tells_the_daemons_failures_in_either_order() {
        for name in CAPTURES {
            let log = fixture(&format!("{name}.log"));
            let client = fixture(&format!("{name}.client.txt"));
            let alone = listed(&summary_of(&[&log]));
            assert!(!alone.is_empty(), "{name}: the capture shows a failure");
            for (sources, (log_src, client_src)) in
                [([&log, &client], (0, 1)), ([&client, &log], (1, 0))]
            {
                let both = listed(&summary_of(&[sources[0], sources[1]]));
                assert_eq!(both.len(), alone.len(), "{name}: {both:?}");
                // The log's findings, on the log's lines, in its source.
                let at: Vec<(u64, &str, &Vec<u64>)> =
                    both.iter().map(|f| (f.1, f.2, &f.3)).collect();
                let at_alone: Vec<(u64, &str, &Vec<u64>)> =
                    alone.iter().map(|f| (f.1, f.2, &f.3)).collect();
                assert_eq!(at, at_alone, "{name}");
                assert!(both.iter().all(|f| f.0 == log_src), "{name}: {both:?}");
                let elsewhere: Vec<(u32, u64)> =
                    both.iter().flat_map(|f| f.4.iter().copied()).collect();
                assert_eq!(elsewhere.len(), 2, "{name}: {both:?}");
                assert!(elsewhere.iter().all(|(s, _)| *s == client_src), "{name}");
                let client_lines = client.lines().count() as u64;
                assert!(elsewhere.iter().all(|(_, l)| *l <= client_lines), "{name}");
            }
        }
    }

    /// Two builds: the client's output twice in one file and the daemon's log twice in
    /// another count every failure twice, in either order; two clients' files without a daemon
    /// log are two failures (the same words twice are two builds', not one told again).
    #[test]
    fn two_builds_still_count_twice_across_files() {
        for name in CAPTURES {
            let log = fixture(&format!("{name}.log"));
            let client = fixture(&format!("{name}.client.txt"));
            let n = listed(&summary_of(&[&log])).len();
            let (logs, clients) = (format!("{log}{log}"), format!("{client}{client}"));
            for sources in [[&logs, &clients], [&clients, &logs]] {
                let both = listed(&summary_of(&[sources[0], sources[1]]));
                assert_eq!(both.len(), 2 * n, "{name}: {both:?}");
                let elsewhere = both.iter().map(|f| f.4.len()).sum::<usize>();
                assert_eq!(elsewhere, 4, "{name}: {both:?}");
            }
            let two = listed(&summary_of(&[&client, &client]));
            assert_eq!(two.len(), 2, "{name}: {two:?}");
            assert!(two.iter().all(|f| f.4.is_empty()), "{name}: {two:?}");
        }
    }

    /// A client's failure no request of the other file tells stays a finding of its own.
    #[test]
    fn a_failure_only_the_client_saw_stays_counted() {
        let log = fixture("plain_pull.log");
        let client = fixture("unknown_ca.client.txt");
        for sources in [[&log, &client], [&client, &log]] {
            let s = summary_of(&[sources[0], sources[1]]);
            let found = listed(&s);
            assert_eq!(found.len(), 1, "{found:?}");
            assert_eq!(found[0].2, "tls-unknown-authority");
            assert_eq!(s.errors_found, 1);
        }
    }
}
