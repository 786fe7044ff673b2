//! Request ↔ response pairing: which pending `do request` a `fetch response received` answers.
//!
//! By span id and order where BuildKit tags lines with one (standalone buildkitd, url often
//! missing), else by url (dockerd's embedded BuildKit logs it on both lines), else by host and
//! order. Pure bookkeeping over event ids; bounded.

use std::collections::VecDeque;

use super::intern::Shared;

/// Requests waiting for their response; beyond this the oldest is given up as unanswered.
pub const MAX_PENDING: usize = 4096;

/// What identifies a request or response line for pairing. The span id and the host are the
/// interned texts the request's event holds already (a reference count, not a copy); the url,
/// as logged (before redaction), is the one copy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PairKey {
    /// `spanID`.
    pub span: Option<Shared>,
    /// `url`.
    pub url: Option<String>,
    /// `host`.
    pub host: Option<Shared>,
}

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
}

impl Pairer {
    /// Adds a request; returns the id of a request pushed out by the bound, if any.
    pub fn push(&mut self, event: usize, key: PairKey) -> Option<usize> {
        self.pending.push_back(Pending { event, key });
        (self.pending.len() > MAX_PENDING)
            .then(|| self.pending.pop_front().map(|p| p.event))
            .flatten()
    }

    /// Removes and returns the request a response with `key` answers.
    pub fn answer(&mut self, key: &PairKey) -> Option<usize> {
        self.answer_ref(PairKeyRef {
            span: key.span.as_deref(),
            url: key.url.as_deref(),
            host: key.host.as_deref(),
        })
    }

    /// [`Pairer::answer`] with a borrowed key: a response is looked up without copying strings.
    pub fn answer_ref(&mut self, key: PairKeyRef<'_>) -> Option<usize> {
        fn same<T: AsRef<str>>(a: &Option<T>, b: Option<&str>) -> bool {
            b.is_some() && a.as_ref().map(AsRef::as_ref) == b
        }
        fn compatible<T: AsRef<str>>(a: &Option<T>, b: Option<&str>) -> bool {
            a.is_none() || b.is_none() || a.as_ref().map(AsRef::as_ref) == b
        }
        let pos = if key.span.is_some() {
            self.position(|p| same(&p.key.span, key.span) && compatible(&p.key.url, key.url))
        } else if key.url.is_some() {
            self.position(|p| same(&p.key.url, key.url)).or_else(|| {
                self.position(|p| {
                    p.key.url.is_none() && p.key.span.is_none() && compatible(&p.key.host, key.host)
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

    /// The newest pending request matching `pred` on its key, left in the queue.
    pub fn newest(&self, pred: impl Fn(&PairKey) -> bool) -> Option<usize> {
        self.pending
            .iter()
            .rev()
            .find(|p| pred(&p.key))
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
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(span: Option<&str>, url: Option<&str>, host: Option<&str>) -> PairKey {
        PairKey {
            span: span.map(Into::into),
            url: url.map(Into::into),
            host: host.map(Into::into),
        }
    }

    #[test]
    fn pairs_by_span_then_order() {
        let mut p = Pairer::default();
        p.push(0, key(Some("a"), None, None));
        p.push(1, key(Some("b"), None, None));
        p.push(2, key(Some("a"), None, None));
        assert_eq!(p.answer(&key(Some("a"), None, None)), Some(0));
        assert_eq!(p.answer(&key(Some("a"), None, None)), Some(2));
        assert_eq!(p.answer(&key(Some("a"), None, None)), None);
        assert_eq!(p.answer(&key(Some("b"), None, None)), Some(1));
    }

    #[test]
    fn pairs_by_url_out_of_order() {
        let mut p = Pairer::default();
        p.push(0, key(None, Some("http://h/v2/a"), Some("h")));
        p.push(1, key(None, Some("http://h/v2/b"), Some("h")));
        assert_eq!(
            p.answer(&key(None, Some("http://h/v2/b"), Some("h"))),
            Some(1)
        );
        assert_eq!(
            p.answer(&key(None, Some("http://h/v2/a"), Some("h"))),
            Some(0)
        );
    }

    #[test]
    fn pairs_by_host_then_anything_unkeyed() {
        let mut p = Pairer::default();
        p.push(0, key(None, None, Some("x")));
        p.push(1, key(None, None, Some("y")));
        p.push(2, key(None, None, None));
        assert_eq!(p.answer(&key(None, None, Some("y"))), Some(1));
        assert_eq!(p.answer(&key(None, None, None)), Some(0));
        assert_eq!(p.answer(&key(None, None, Some("z"))), Some(2));
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
