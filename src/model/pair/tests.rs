//! The pairer's cases, and its indexes checked against a plain scan of the queue.

use super::*;

fn push(p: &mut Pairer, id: usize, span: Option<&str>, url: Option<&str>, host: Option<&str>) {
    let key = PairKey {
        source: 0,
        span: span.map(Into::into),
        url: url.map(|u| p.url_key(u)),
        host: host.map(Into::into),
        path: url.and_then(path_of).map(|x| p.path_key(x)),
    };
    p.push(id, key);
}

fn answer(
    p: &mut Pairer,
    span: Option<&str>,
    url: Option<&str>,
    host: Option<&str>,
) -> Option<usize> {
    p.answer_ref(PairKeyRef {
        source: 0,
        span,
        url,
        host,
    })
}

#[test]
fn pairs_by_span_then_order() {
    let mut p = Pairer::default();
    push(&mut p, 0, Some("a"), None, None);
    push(&mut p, 1, Some("b"), None, None);
    push(&mut p, 2, Some("a"), None, None);
    assert_eq!(answer(&mut p, Some("a"), None, None), Some(0));
    assert_eq!(answer(&mut p, Some("a"), None, None), Some(2));
    assert_eq!(answer(&mut p, Some("a"), None, None), None);
    assert_eq!(answer(&mut p, Some("b"), None, None), Some(1));
}

/// A span id pairs only with a request whose url, when both have one, is the same.
#[test]
fn pairs_by_span_with_a_compatible_url() {
    let mut p = Pairer::default();
    push(&mut p, 0, Some("a"), Some("http://h/v2/x"), None);
    push(&mut p, 1, Some("a"), Some("http://h/v2/y"), None);
    assert_eq!(
        answer(&mut p, Some("a"), Some("http://h/v2/y"), None),
        Some(1)
    );
    assert_eq!(answer(&mut p, Some("a"), Some("http://h/v2/y"), None), None);
    assert_eq!(answer(&mut p, Some("a"), None, None), Some(0));
}

/// Two requests for one url, one answer: it answers the newer one. containerd sends a
/// url again only after the first attempt ended (a transport failure it did not log,
/// a refusal); taking the older one would leave the request that got the answer waiting,
/// reported as unanswered at the end.
#[test]
fn a_url_asked_twice_pairs_its_answer_with_the_newer_request() {
    let mut p = Pairer::default();
    push(&mut p, 0, None, Some("http://h/v2/a"), Some("h"));
    push(&mut p, 1, None, Some("http://h/v2/a"), Some("h"));
    assert_eq!(
        answer(&mut p, None, Some("http://h/v2/a"), Some("h")),
        Some(1)
    );
    assert_eq!(p.waiting().collect::<Vec<_>>(), [0]);
}

#[test]
fn pairs_by_url_out_of_order() {
    let mut p = Pairer::default();
    push(&mut p, 0, None, Some("http://h/v2/a"), Some("h"));
    push(&mut p, 1, None, Some("http://h/v2/b"), Some("h"));
    assert_eq!(
        answer(&mut p, None, Some("http://h/v2/b"), Some("h")),
        Some(1)
    );
    assert_eq!(
        answer(&mut p, None, Some("http://h/v2/a"), Some("h")),
        Some(0)
    );
}

/// A url no request logged falls back to an unkeyed request on a compatible host.
#[test]
fn an_unknown_url_takes_an_unkeyed_request_of_its_host() {
    let mut p = Pairer::default();
    push(&mut p, 0, None, Some("http://h/v2/a"), Some("h"));
    push(&mut p, 1, None, None, Some("other"));
    push(&mut p, 2, None, None, Some("h"));
    assert_eq!(
        answer(&mut p, None, Some("http://h/v2/b"), Some("h")),
        Some(2)
    );
    assert_eq!(answer(&mut p, None, Some("http://h/v2/b"), Some("h")), None);
    assert_eq!(
        answer(&mut p, None, Some("http://h/v2/a"), Some("h")),
        Some(0)
    );
}

/// Urls are told apart by their whole text: ones that differ in a byte, in length, or only
/// in the seeded hash's input order never pair with each other.
#[test]
fn url_keys_tell_urls_apart() {
    let p = Pairer::default();
    let urls = [
        "http://h/v2/a",
        "http://h/v2/b",
        "http://h/v2/a/",
        "http://h/v2/",
        "",
        "https://h/v2/a",
    ];
    for (i, a) in urls.iter().enumerate() {
        for (j, b) in urls.iter().enumerate() {
            assert_eq!(p.url_key(a) == p.url_key(b), i == j, "{a:?} {b:?}");
        }
    }
}

#[test]
fn pairs_by_host_then_anything_unkeyed() {
    let mut p = Pairer::default();
    push(&mut p, 0, None, None, Some("x"));
    push(&mut p, 1, None, None, Some("y"));
    push(&mut p, 2, None, None, None);
    assert_eq!(answer(&mut p, None, None, Some("y")), Some(1));
    assert_eq!(answer(&mut p, None, None, None), Some(0));
    assert_eq!(answer(&mut p, None, None, Some("z")), Some(2));
}

/// `newest` sees each pending request's event id and key, newest first.
#[test]
fn newest_sees_event_ids() {
    let mut p = Pairer::default();
    push(&mut p, 7, None, None, Some("x"));
    push(&mut p, 8, None, None, Some("x"));
    push(&mut p, 9, None, None, Some("y"));
    assert_eq!(p.newest(|_, k| k.host.as_deref() == Some("x")), Some(8));
    assert_eq!(p.newest(|id, _| id < 8), Some(7));
    assert_eq!(p.newest(|_, _| false), None);
}

#[test]
fn is_bounded() {
    let mut p = Pairer::default();
    for i in 0..MAX_PENDING {
        assert_eq!(p.push(i, PairKey::default()), None);
    }
    assert_eq!(p.push(MAX_PENDING, PairKey::default()), Some(0));
    assert_eq!(p.waiting().count(), MAX_PENDING);
}

/// The queue as it was before the indexes: one walk over the pending requests per line. The
/// indexed [`Pairer`] must answer every call as this does.
#[derive(Default)]
struct Scan {
    pending: std::collections::VecDeque<Waiting>,
}

/// A request waiting in [`Scan`]: its event id, span id, url and host.
type Waiting = (usize, Option<String>, Option<String>, Option<String>);

impl Scan {
    fn push(&mut self, ev: usize, span: Option<&str>, url: Option<&str>, host: Option<&str>) {
        let own = |s: Option<&str>| s.map(str::to_owned);
        self.pending.push_back((ev, own(span), own(url), own(host)));
        if self.pending.len() > MAX_PENDING {
            self.pending.pop_front();
        }
    }

    fn answer(
        &mut self,
        span: Option<&str>,
        url: Option<&str>,
        host: Option<&str>,
    ) -> Option<usize> {
        fn compatible(a: Option<&str>, b: Option<&str>) -> bool {
            a.is_none() || b.is_none() || a == b
        }
        let q = &self.pending;
        let pos = if span.is_some() {
            q.iter()
                .position(|p| p.1.as_deref() == span && compatible(p.2.as_deref(), url))
        } else if url.is_some() {
            q.iter().rposition(|p| p.2.as_deref() == url).or_else(|| {
                q.iter().position(|p| {
                    p.2.is_none() && p.1.is_none() && compatible(p.3.as_deref(), host)
                })
            })
        } else if host.is_some() {
            q.iter()
                .position(|p| p.1.is_none() && p.3.as_deref() == host)
                .or_else(|| q.iter().position(|p| p.1.is_none() && p.3.is_none()))
        } else {
            q.iter().position(|p| p.1.is_none())
        }?;
        q.get(pos).map(|p| p.0).inspect(|_| {
            self.pending.remove(pos);
        })
    }

    fn remove(&mut self, ev: usize) -> bool {
        match self.pending.iter().position(|p| p.0 == ev) {
            Some(i) => self.pending.remove(i).is_some(),
            None => false,
        }
    }

    fn with_path(&self, span: Option<&str>, path: &str) -> Vec<usize> {
        self.pending
            .iter()
            .filter(|p| p.1.as_deref() == span && p.2.as_deref().and_then(path_of) == Some(path))
            .map(|p| p.0)
            .collect()
    }
}

/// A url's path, as the model takes it.
fn path_of(url: &str) -> Option<&str> {
    crate::model::url::split_url(url).map(|p| p.path)
}

#[derive(Debug, Clone)]
enum Op {
    Push(Option<u8>, Option<(u8, u8)>, Option<u8>),
    Answer(Option<u8>, Option<(u8, u8)>, Option<u8>),
    Remove(usize),
    WithPath(Option<u8>, u8),
}

fn op() -> impl proptest::strategy::Strategy<Value = Op> {
    use proptest::prelude::*;
    let span = proptest::option::of(0u8..4);
    let url = proptest::option::of((0u8..3, 0u8..4));
    let host = proptest::option::of(0u8..3);
    prop_oneof![
        4 => (span.clone(), url.clone(), host.clone()).prop_map(|(s, u, h)| Op::Push(s, u, h)),
        3 => (span, url, host).prop_map(|(s, u, h)| Op::Answer(s, u, h)),
        1 => (0usize..64).prop_map(Op::Remove),
        1 => (proptest::option::of(0u8..4), 0u8..4).prop_map(|(s, x)| Op::WithPath(s, x)),
    ]
}

proptest::proptest! {
    /// Random pushes, answers and removals (few spans, urls and hosts, so that keys repeat),
    /// on the pairer (indexed from a random length, so the indexes come and go) and on the
    /// plain scan: every answer, every removal, the paths'
    /// requests and what is left waiting are the same.
    #[test]
    fn the_indexes_answer_as_a_scan_of_the_queue(
        ops in proptest::collection::vec(op(), 1..200),
        from in 0usize..16,
    ) {
        let mut p = Pairer::indexed_from(from);
        let mut scan = Scan::default();
        let span = |s: Option<u8>| s.map(|s| format!("span{s}"));
        let url = |u: Option<(u8, u8)>| u.map(|(h, path)| format!("http://h{h}/v2/p{path}"));
        let host = |h: Option<u8>| h.map(|h| format!("h{h}"));
        for (ev, op) in ops.into_iter().enumerate() {
            match op {
                Op::Push(s, u, h) => {
                    let (s, u, h) = (span(s), url(u), host(h));
                    let key = PairKey {
                        source: 0,
                        span: s.as_deref().map(Into::into),
                        url: u.as_deref().map(|u| p.url_key(u)),
                        host: h.as_deref().map(Into::into),
                        path: u.as_deref().and_then(path_of).map(|x| p.path_key(x)),
                    };
                    p.push(ev, key);
                    scan.push(ev, s.as_deref(), u.as_deref(), h.as_deref());
                }
                Op::Answer(s, u, h) => {
                    let (s, u, h) = (span(s), url(u), host(h));
                    let key = PairKeyRef { source: 0, span: s.as_deref(), url: u.as_deref(), host: h.as_deref() };
                    proptest::prop_assert_eq!(
                        p.answer_ref(key),
                        scan.answer(s.as_deref(), u.as_deref(), h.as_deref())
                    );
                }
                Op::Remove(ev) => proptest::prop_assert_eq!(p.remove(ev), scan.remove(ev)),
                Op::WithPath(s, x) => {
                    let s = span(s);
                    let path = format!("/v2/p{x}");
                    proptest::prop_assert_eq!(
                        p.with_path(s.as_deref(), p.path_key(&path)),
                        scan.with_path(s.as_deref(), &path)
                    );
                }
            }
            proptest::prop_assert_eq!(
                p.waiting().collect::<Vec<_>>(),
                scan.pending.iter().map(|q| q.0).collect::<Vec<_>>()
            );
        }
    }
}

/// The bound on a full queue, indexed: the oldest request is pushed out of every index too, so
/// an answer for it finds nothing, and the queue's indexes hold no more keys than requests.
#[test]
fn a_full_queue_forgets_the_oldest_in_every_index() {
    let mut p = Pairer::default();
    for i in 0..MAX_PENDING + 10 {
        let u = format!("http://h/v2/{i}");
        let key = PairKey {
            source: 0,
            span: Some(format!("s{i}").as_str().into()),
            url: Some(p.url_key(&u)),
            host: Some("h".into()),
            path: path_of(&u).map(|x| p.path_key(x)),
        };
        let dropped = p.push(i, key);
        assert_eq!(dropped, i.checked_sub(MAX_PENDING));
    }
    let ix = p.index.as_ref().expect("a full queue is indexed");
    assert_eq!(ix.by_span.keys(), MAX_PENDING);
    assert_eq!(ix.by_url.keys(), MAX_PENDING);
    assert_eq!(
        ix.by_path.keys(),
        0,
        "requests with a span id are found by it"
    );
    assert_eq!(
        answer(&mut p, Some("s3"), Some("http://h/v2/3"), Some("h")),
        None
    );
    assert_eq!(
        answer(&mut p, Some("s10"), Some("http://h/v2/10"), Some("h")),
        Some(10)
    );
    assert_eq!(p.with_path(Some("s11"), p.path_key("/v2/11")), [11]);
    assert!(p.with_path(None, p.path_key("/v2/11")).is_empty());
}

/// Span-less requests (dockerd's embedded BuildKit logs no span id) are found by their path,
/// in a short queue and in an indexed one.
#[test]
fn spanless_requests_are_found_by_path() {
    for from in [0, INDEX_FROM] {
        let mut p = Pairer::indexed_from(from);
        push(
            &mut p,
            0,
            None,
            Some("http://mirror/v2/a/manifests/1?ns=x"),
            Some("mirror"),
        );
        push(&mut p, 1, None, Some("http://up/v2/b"), Some("up"));
        push(
            &mut p,
            2,
            Some("s"),
            Some("http://up/v2/a/manifests/1"),
            Some("up"),
        );
        push(
            &mut p,
            3,
            None,
            Some("http://up/v2/a/manifests/1"),
            Some("up"),
        );
        assert_eq!(p.index.is_some(), from == 0);
        let key = p.path_key("/v2/a/manifests/1");
        assert_eq!(p.with_path(None, key), [0, 3]);
        assert_eq!(p.with_path(Some("s"), key), [2]);
        assert!(p.remove(0));
        assert!(!p.remove(0));
        assert_eq!(p.with_path(None, key), [3]);
    }
}

/// The indexes come with a long queue and go once it is short again.
#[test]
fn a_long_queue_is_indexed_while_it_is_long() {
    let mut p = Pairer::default();
    for i in 0..INDEX_FROM {
        push(
            &mut p,
            i,
            None,
            Some(&format!("http://h/v2/{i}")),
            Some("h"),
        );
    }
    assert!(p.index.is_some());
    for i in 0..INDEX_FROM {
        let url = format!("http://h/v2/{i}");
        assert_eq!(answer(&mut p, None, Some(&url), Some("h")), Some(i));
        assert_eq!(p.index.is_some(), INDEX_FROM - i > INDEX_FROM / 4, "{i}");
    }
}

/// The review: two files given at once (a log split in two, two builders') paired a request of
/// one with a response of the other and cited the other's line under the first's name. Only a
/// request of the response's own source answers it, queued or indexed alike.
#[test]
fn a_response_answers_only_a_request_of_its_own_source() {
    for index_from in [usize::MAX, 1] {
        let mut p = Pairer::indexed_from(index_from);
        let url = "http://h/v2/a/manifests/latest";
        for (id, source, span) in [
            (0, 0, None),
            (1, 1, None),
            (2, 0, Some("s")),
            (3, 1, Some("s")),
        ] {
            let key = PairKey {
                source,
                span: span.map(Into::into),
                url: Some(p.url_key(url)),
                host: Some("h".into()),
                path: None,
            };
            p.push(id, key);
        }
        let answer = |p: &mut Pairer, source, span| {
            p.answer_ref(PairKeyRef {
                source,
                span,
                url: Some(url),
                host: Some("h"),
            })
        };
        // By span: source 1's own, not the older one of source 0.
        assert_eq!(answer(&mut p, 1, Some("s")), Some(3), "{index_from}");
        assert_eq!(answer(&mut p, 0, Some("s")), Some(2), "{index_from}");
        // A source with no request waiting gets none.
        assert_eq!(answer(&mut p, 2, None), None, "{index_from}");
        // By url: source 1's own, though source 0's was pushed before it.
        assert_eq!(answer(&mut p, 1, None), Some(1), "{index_from}");
        assert_eq!(answer(&mut p, 1, None), None, "{index_from}");
        assert_eq!(answer(&mut p, 0, None), Some(0), "{index_from}");
    }
}
