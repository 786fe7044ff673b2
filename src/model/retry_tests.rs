//! Retries on the same host. A 401 challenge whose retry is on its way: no auth failure while
//! the retry waits for its answer (the explorer following a log counted one), and a retry cut
//! off without an answer is that request's failure only, not an auth failure as well. A 429
//! containerd's retry got past is recovered. On the real `basic_auth_ok`,
//! `basic_auth_bad_creds` and `rate_limited_429` captures (dockerd 20.10,
//! `tests/fixtures/dockerd-20.10`), cut where a live log would stand.

use super::classify::ErrorKind;
use super::finding::FindingKind;
use super::*;

const OK: &str = include_str!("../../tests/fixtures/dockerd-20.10/basic_auth_ok.log");
const BAD: &str = include_str!("../../tests/fixtures/dockerd-20.10/basic_auth_bad_creds.log");
const RATE: &str = include_str!("../../tests/fixtures/dockerd-20.10/rate_limited_429.log");

/// The first `n` lines of `log`, as a file still being written stands.
fn head(log: &str, n: usize) -> String {
    log.lines().take(n).map(|l| format!("{l}\n")).collect()
}

/// The 1-based number of the `k`-th line (from 1) that holds `msg`.
fn nth(log: &str, msg: &str, k: usize) -> usize {
    log.lines()
        .enumerate()
        .filter(|(_, l)| l.contains(msg))
        .nth(k - 1)
        .map_or(0, |(i, _)| i + 1)
}

fn model(text: &str) -> Model {
    let mut m = Model::new(ModelOptions::default());
    m.ingest_text(0, text);
    m
}

fn kinds(m: &Model) -> Vec<FindingKind> {
    m.findings().iter().map(|f| f.kind).collect()
}

#[test]
fn a_challenge_is_no_auth_failure_while_its_retry_waits() {
    let challenge = nth(OK, "fetch response received", 1);
    let retry = nth(OK, "do request", 2);
    assert_eq!(
        (challenge, retry),
        (22, 24),
        "the capture's 401 and its retry"
    );
    // Stopped at the challenge: nothing got past it yet, an open 401 (as before).
    let at_challenge = model(&head(OK, challenge + 1));
    assert_eq!(at_challenge.finding_totals().auth, 1);
    // The retry sent, its answer not yet in: the challenge waits with it.
    let in_flight = model(&head(OK, retry));
    assert_eq!(in_flight.waiting().count(), 1);
    assert_eq!(
        in_flight.finding_totals().auth,
        0,
        "{:?}",
        kinds(&in_flight)
    );
    assert!(in_flight.findings().is_empty(), "{:?}", kinds(&in_flight));
    assert_eq!(in_flight.unanswered_challenge_hosts().count(), 0);
    assert_eq!(in_flight.host_errors("127.0.0.1:5002"), 0);
    // Its 200 came: overcome, as before.
    let mut whole = model(OK);
    whole.finish();
    assert_eq!(whole.finding_totals().auth, 0);
    assert!(whole.findings().is_empty(), "{:?}", kinds(&whole));
}

#[test]
fn a_retry_cut_off_without_an_answer_is_one_failure_not_two() {
    let mut cut = model(&head(OK, nth(OK, "do request", 2)));
    cut.finish();
    // The pull counted once: the retry's missing answer, not an auth failure as well.
    assert_eq!(
        kinds(&cut),
        vec![FindingKind::Error(ErrorKind::NoResponse)],
        "{:?}",
        cut.findings()
    );
    assert_eq!(cut.finding_totals().auth, 0);
    let s = Summary::from_model(&cut);
    assert_eq!((s.auth_failures.len(), s.errors.len()), (0, 1));
}

#[test]
fn a_refused_retry_is_still_an_auth_failure_in_flight_or_not() {
    // The second 401 answers the retry: refused, a finding at once.
    let refused = nth(BAD, "fetch response received", 2);
    let m = model(&head(BAD, refused + 1));
    assert_eq!(m.finding_totals().auth, 1, "{:?}", kinds(&m));
    // Basic auth tries again: while that try waits the refusal stands.
    let again = nth(BAD, "do request", 3);
    assert!(again > refused, "{again} {refused}");
    let m = model(&head(BAD, again));
    assert_eq!(m.finding_totals().auth, 1, "{:?}", kinds(&m));
    // The whole capture: what it said before (tests/golden_dockerd.rs).
    let mut whole = model(BAD);
    whole.finish();
    assert!(whole.finding_totals().auth >= 1);
    assert!(
        kinds(&whole).iter().all(|k| k.is_auth()),
        "{:?}",
        kinds(&whole)
    );
}

#[test]
fn a_429_a_retry_on_its_host_got_past_is_recovered() {
    // The capture's manifest GET answered 429 again and again, 0.1 ms apart (containerd's
    // `retryRequest`); here its third attempt is served, as a limit that lifts would let it.
    let third = nth(RATE, "fetch response received", 4);
    assert!(
        RATE.lines()
            .nth(third - 1)
            .is_some_and(|l| l.contains("429 Too Many Requests"))
    );
    let served: String = RATE
        .lines()
        .take(third)
        .enumerate()
        .map(|(i, l)| {
            let l = if i + 1 == third {
                l.replace("\"429 Too Many Requests\"", "\"200 OK\"")
            } else {
                l.to_owned()
            };
            format!("{l}\n")
        })
        .collect();
    let mut m = model(&served);
    m.finish();
    let s = Summary::from_model(&m);
    assert_eq!(s.errors.len(), 2, "{:?}", s.errors);
    for e in &s.errors {
        assert_eq!(e.recovered_by.as_deref(), Some("127.0.0.1:5011"), "{e:?}");
    }
    // The whole capture: every attempt refused, nothing recovered.
    let mut m = model(RATE);
    m.finish();
    let s = Summary::from_model(&m);
    assert!(!s.errors.is_empty());
    assert!(
        s.errors.iter().all(|e| e.recovered_by.is_none()),
        "{:?}",
        s.errors
    );
}
