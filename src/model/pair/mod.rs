//! Request ↔ response pairing: which pending `do request` a `fetch response received` answers.
//!
//! Only within one source: another file is another daemon's log (or two builders', or two
//! copies), where the same url or span proves nothing, and an event's lines are cited under
//! its one source's name. (A request at the very end of a rotated `build.log.1` whose answer
//! is the first line of `build.log`, named as two files, stays unanswered; a file rotated
//! while followed is one source.) Then by span id and order where BuildKit tags lines with one (standalone buildkitd, url often
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

mod index;

use index::Indexes;

/// Requests waiting for their response; beyond this the oldest is given up as unanswered.
pub const MAX_PENDING: usize = 4096;

/// What identifies a request line for pairing. The span id and the host are the interned
/// texts the request's event holds already (a reference count, not a copy); the url, as logged
/// (before redaction), is kept as its hash ([`Pairer::url_key`]), and so is its path, as the
/// event keeps its url ([`Pairer::path_key`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PairKey {
    /// The source (file, pipe) the request line came from.
    pub source: u32,
    /// `spanID`.
    pub span: Option<Shared>,
    /// `url`, hashed.
    pub url: Option<UrlKey>,
    /// `host`.
    pub host: Option<Shared>,
    /// The object the event's url asks for (its path below the host's API base, the model's
    /// `object_path`), hashed: what the same request sent to another host shares
    /// ([`Pairer::with_path`]).
    pub path: Option<UrlKey>,
}

/// A url (or a url's path) as a pending request keeps it: its hash under the [`Pairer`]'s seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UrlKey(u64);

/// A [`PairKey`] borrowed from a line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PairKeyRef<'a> {
    /// The source the response line came from: only its requests are candidates.
    pub source: u32,
    /// `spanID`.
    pub span: Option<&'a str>,
    /// `url`.
    pub url: Option<&'a str>,
    /// `host`.
    pub host: Option<&'a str>,
}

/// The queue of unanswered requests, in order of arrival, and indexes into it once it is long.
///
/// Requests that never get an answer (their error went unlogged, or the log was cut down to
/// its `do request` and `fetch response received` lines) stay until [`MAX_PENDING`] newer ones
/// push them out, so the queue can stay full. A walk over it per line then cost up to
/// [`MAX_PENDING`] comparisons (a log of only those two messages took twice as long as the
/// whole log it came from). So from [`INDEX_FROM`] requests on, a line finds its request
/// through an index (by span id, by url; by path for [`Pairer::with_path`]); below a quarter
/// of that the indexes go, as a short walk costs less than keeping them. What is left to a
/// walk either way: a response with neither span id nor a url any request logged, and the
/// error lines' look ([`Pairer::newest`]), rare in a log.
///
/// Requests are known by their event ids, which grow with each request ([`Pairer::push`]), so
/// the order of the ids is the order of arrival.
#[derive(Debug)]
pub struct Pairer {
    /// In order of arrival, so by event id: found by a binary search.
    pending: VecDeque<(usize, PairKey)>,
    /// While the queue is long.
    index: Option<Indexes>,
    /// The length from which the queue is indexed ([`INDEX_FROM`]; tests lower it).
    index_from: usize,
    /// Seeded at random once per process: url hashes cannot be predicted from a log.
    seed: foldhash::quality::RandomState,
    path_seed: foldhash::fast::RandomState,
}

/// The queue length from which requests are indexed.
pub const INDEX_FROM: usize = 128;

impl Default for Pairer {
    fn default() -> Self {
        Pairer::indexed_from(INDEX_FROM)
    }
}

/// Equal, or one of them unknown.
fn compatible<T: PartialEq>(a: Option<T>, b: Option<T>) -> bool {
    a.is_none() || b.is_none() || a == b
}

impl Pairer {
    /// A pairer that indexes its queue from `n` requests on.
    pub(super) fn indexed_from(n: usize) -> Self {
        Pairer {
            pending: VecDeque::new(),
            index: None,
            index_from: n,
            seed: Default::default(),
            path_seed: Default::default(),
        }
    }

    /// The key a url as logged is kept under.
    pub fn url_key(&self, url: &str) -> UrlKey {
        UrlKey(self.seed.hash_one(url))
    }

    /// The key a url's path (the model gives its object path) is kept under ([`PairKey::path`]).
    pub fn path_key(&self, path: impl std::hash::Hash) -> UrlKey {
        // A collision only makes a candidate, which the caller compares: the faster hash does.
        UrlKey(self.path_seed.hash_one(path))
    }

    /// Adds the request of event `event`, which must be newer (a greater id) than every
    /// request added before; returns the id of a request pushed out by the bound, if any.
    pub fn push(&mut self, event: usize, key: PairKey) -> Option<usize> {
        debug_assert!(self.pending.back().is_none_or(|&(last, _)| last < event));
        match &mut self.index {
            Some(ix) => ix.add(event, &key),
            None if self.pending.len() + 1 >= self.index_from => {
                let mut ix = Indexes::default();
                for (id, k) in &self.pending {
                    ix.add(*id, k);
                }
                ix.add(event, &key);
                self.index = Some(ix);
            }
            None => {}
        }
        self.pending.push_back((event, key));
        if self.pending.len() <= MAX_PENDING {
            return None;
        }
        let &(oldest, _) = self.pending.front()?;
        self.take(oldest)
    }

    /// Removes and returns the request a response line keyed `key` answers; nothing is copied.
    ///
    /// By span id: the oldest request of that span whose url, when both have one, is the
    /// same. Else by url: the newest request for it, else the oldest request logged with
    /// neither url nor span on a compatible host. Else by host: the oldest span-less request
    /// of that host, else of none. Else the oldest span-less request.
    pub fn answer_ref(&mut self, key: PairKeyRef<'_>) -> Option<usize> {
        let url = key.url.map(|u| self.url_key(u));
        let source = key.source;
        let pending = || self.pending.iter().filter(|(_, k)| k.source == source);
        let spanless = || pending().filter(|(_, k)| k.span.is_none());
        let here = |id: usize| self.key(id).filter(|k| k.source == source);
        let id = match (key.span, url, &self.index) {
            (Some(span), _, Some(ix)) => ix
                .by_span
                .get(span)
                .iter()
                .find(|&&id| here(id).is_some_and(|k| compatible(k.url, url)))
                .copied(),
            (Some(span), _, None) => pending()
                .find(|(_, k)| k.span.as_deref() == Some(span) && compatible(k.url, url))
                .map(|(id, _)| *id),
            (None, Some(u), ix) => match ix {
                Some(ix) => ix
                    .by_url
                    .get(&u)
                    .iter()
                    .rev()
                    .find(|&&id| here(id).is_some())
                    .copied(),
                None => pending()
                    .rev()
                    .find(|(_, k)| k.url == url)
                    .map(|(id, _)| *id),
            }
            .or_else(|| {
                spanless()
                    .find(|(_, k)| k.url.is_none() && compatible(k.host.as_deref(), key.host))
                    .map(|(id, _)| *id)
            }),
            (None, None, _) => match key.host {
                Some(host) => spanless()
                    .find(|(_, k)| k.host.as_deref() == Some(host))
                    .or_else(|| spanless().find(|(_, k)| k.host.is_none()))
                    .map(|(id, _)| *id),
                None => spanless().next().map(|(id, _)| *id),
            },
        }?;
        self.take(id)
    }

    /// The newest pending request for which `pred` holds (given its event id and key), left
    /// in the queue.
    pub fn newest(&self, pred: impl Fn(usize, &PairKey) -> bool) -> Option<usize> {
        self.pending
            .iter()
            .rev()
            .find(|(id, k)| pred(*id, k))
            .map(|(id, _)| *id)
    }

    /// The pending requests of span `span` (or of none) whose url has the path keyed `path`
    /// ([`Pairer::path_key`]), oldest first, left in the queue. Two paths may share a key:
    /// the caller compares the texts.
    pub fn with_path(&self, span: Option<&str>, path: UrlKey) -> Vec<usize> {
        let same = |k: &PairKey| k.path == Some(path) && k.span.as_deref() == span;
        match &self.index {
            Some(ix) => match span {
                Some(s) => ix.by_span.get(s),
                None => ix.by_path.get(&path),
            }
            .iter()
            .copied()
            .filter(|&id| self.key(id).is_some_and(same))
            .collect(),
            None => self
                .pending
                .iter()
                .filter(|(_, k)| same(k))
                .map(|(id, _)| *id)
                .collect(),
        }
    }

    /// Removes a pending request (it failed without a response).
    pub fn remove(&mut self, event: usize) -> bool {
        self.take(event).is_some()
    }

    /// Ids still waiting, oldest first.
    pub fn waiting(&self) -> impl Iterator<Item = usize> + '_ {
        self.pending.iter().map(|(id, _)| *id)
    }

    /// Where request `event` is in the queue.
    fn position(&self, event: usize) -> Option<usize> {
        self.pending
            .binary_search_by_key(&event, |(id, _)| *id)
            .ok()
    }

    /// The key of request `event`, while it waits.
    fn key(&self, event: usize) -> Option<&PairKey> {
        self.position(event)
            .and_then(|i| self.pending.get(i))
            .map(|(_, k)| k)
    }

    /// Takes request `event` out of the queue and its indexes; its id.
    fn take(&mut self, event: usize) -> Option<usize> {
        let (_, key) = self.pending.remove(self.position(event)?)?;
        if let Some(ix) = &mut self.index {
            if self.pending.len() < self.index_from / 4 {
                self.index = None;
            } else {
                ix.remove(event, &key);
            }
        }
        Some(event)
    }
}

#[cfg(test)]
mod tests;
