//! Request ↔ response pairing: which pending `do request` a `fetch response received` answers.
//!
//! By span id and order where BuildKit tags lines with one (standalone buildkitd, url often
//! missing), else by url (dockerd's embedded BuildKit logs it on both lines; the newest
//! request for it: containerd asks a url again only once the first attempt ended, silently
//! where a transport failure of the fetch phase is not logged), else by host and order. Pure
//! bookkeeping over event ids; bounded.
//!
//! A pending request holds no text of its own: its span id and host are the interned texts
//! its event holds, and its url is a 64-bit hash of the url as logged (one seed per process, so
//! a log cannot be written to make two urls collide; two distinct urls among the
//! [`MAX_PENDING`] pending ones share a hash with a chance of about 2^-40). What needs the url's
//! text (`trying next host` looks for a host in it) reads the event's url.

use std::collections::VecDeque;
use std::hash::BuildHasher;

use super::intern::Shared;

/// Requests waiting for their response; beyond this the oldest is given up as unanswered.
pub const MAX_PENDING: usize = 4096;

/// What identifies a request line for pairing. The span id and the host are the interned
/// texts the request's event holds already (a reference count, not a copy); the url, as logged
/// (before redaction), is kept as its hash ([`Pairer::url_key`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PairKey {
    /// `spanID`.
    pub span: Option<Shared>,
    /// `url`, hashed.
    pub url: Option<UrlKey>,
    /// `host`.
    pub host: Option<Shared>,
}

/// A url as a pending request keeps it: its hash under the [`Pairer`]'s seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UrlKey(u64);

/// A [`PairKey`] borrowed from a line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PairKeyRef<'a> {
    /// `spanID`.
    pub span: Option<&'a str>,
    /// `url`.
    pub url: Option<&'a str>,
    /// `host`.
    pub host: Option<&'a str>,
}

#[derive(Debug)]
struct Pending {
    event: usize,
    key: PairKey,
}

/// The queue of unanswered requests.
#[derive(Debug, Default)]
pub struct Pairer {
    pending: VecDeque<Pending>,
    /// Seeded at random once per process: url hashes cannot be predicted from a log.
    seed: foldhash::quality::RandomState,
}

impl Pairer {
    /// The key a url as logged is kept under.
    pub fn url_key(&self, url: &str) -> UrlKey {
        UrlKey(self.seed.hash_one(url))
    }

    /// Adds a request; returns the id of a request pushed out by the bound, if any.
    pub fn push(&mut self, event: usize, key: PairKey) -> Option<usize> {
        self.pending.push_back(Pending { event, key });
        (self.pending.len() > MAX_PENDING)
            .then(|| self.pending.pop_front().map(|p| p.event))
            .flatten()
    }

    /// Removes and returns the request a response line keyed `key` answers; nothing is copied.
    pub fn answer_ref(&mut self, key: PairKeyRef<'_>) -> Option<usize> {
        fn same<T: AsRef<str>>(a: &Option<T>, b: Option<&str>) -> bool {
            b.is_some() && a.as_ref().map(AsRef::as_ref) == b
        }
        /// Equal, or one of them unknown.
        fn compatible<T: PartialEq>(a: Option<T>, b: Option<T>) -> bool {
            a.is_none() || b.is_none() || a == b
        }
        let url = key.url.map(|u| self.url_key(u));
        let pos = if key.span.is_some() {
            self.position(|p| same(&p.key.span, key.span) && compatible(p.key.url, url))
        } else if url.is_some() {
            self.newest_position(|p| p.key.url == url).or_else(|| {
                self.position(|p| {
                    p.key.url.is_none()
                        && p.key.span.is_none()
                        && compatible(p.key.host.as_deref(), key.host)
                })
            })
        } else if key.host.is_some() {
            self.position(|p| p.key.span.is_none() && same(&p.key.host, key.host))
                .or_else(|| self.position(|p| p.key.span.is_none() && p.key.host.is_none()))
        } else {
            self.position(|p| p.key.span.is_none())
        }?;
        self.pending.remove(pos).map(|p| p.event)
    }

    /// The newest pending request for which `pred` holds (given its event id and key), left
    /// in the queue.
    pub fn newest(&self, pred: impl Fn(usize, &PairKey) -> bool) -> Option<usize> {
        self.pending
            .iter()
            .rev()
            .find(|p| pred(p.event, &p.key))
            .map(|p| p.event)
    }

    /// Removes a pending request (it failed without a response).
    pub fn remove(&mut self, event: usize) -> bool {
        match self.pending.iter().position(|p| p.event == event) {
            Some(i) => self.pending.remove(i).is_some(),
            None => false,
        }
    }

    /// Ids still waiting, oldest first.
    pub fn waiting(&self) -> impl Iterator<Item = usize> + '_ {
        self.pending.iter().map(|p| p.event)
    }

    fn position(&self, pred: impl Fn(&Pending) -> bool) -> Option<usize> {
        self.pending.iter().position(pred)
    }

    fn newest_position(&self, pred: impl Fn(&Pending) -> bool) -> Option<usize> {
        self.pending.iter().rposition(pred)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn push(p: &mut Pairer, id: usize, span: Option<&str>, url: Option<&str>, host: Option<&str>) {
        let key = PairKey {
            span: span.map(Into::into),
            url: url.map(|u| p.url_key(u)),
            host: host.map(Into::into),
        };
        p.push(id, key);
    }

    fn answer(
        p: &mut Pairer,
        span: Option<&str>,
        url: Option<&str>,
        host: Option<&str>,
    ) -> Option<usize> {
        p.answer_ref(PairKeyRef { span, url, host })
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
}
