//! The pending requests under one key (a span id, a url, a url's path), oldest first: what
//! lets the pairer find a request among thousands waiting without walking them all.
//!
//! A request is named by its event id, which grows with each request, so the order of ids is the
//! order of arrival. Most keys have one request waiting, kept without a `Vec` then: adding a
//! request allocates nothing.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;

use super::{PairKey, UrlKey};
use crate::model::intern::Shared;

/// The indexes of a long queue.
#[derive(Debug, Default)]
pub(super) struct Indexes {
    /// Requests with a span id, by it.
    pub(super) by_span: Index<Shared>,
    pub(super) by_url: Index<UrlKey>,
    /// Requests without a span id, by their url's path (those with one are found by span).
    pub(super) by_path: Index<UrlKey>,
}

impl Indexes {
    /// Files request `id` (newer than any filed) under its keys.
    pub(super) fn add(&mut self, id: usize, key: &PairKey) {
        match &key.span {
            Some(span) => self.by_span.add(span.clone(), id),
            None => {
                if let Some(p) = key.path {
                    self.by_path.add(p, id);
                }
            }
        }
        if let Some(u) = key.url {
            self.by_url.add(u, id);
        }
    }

    /// Takes request `id` out from under its keys.
    pub(super) fn remove(&mut self, id: usize, key: &PairKey) {
        match &key.span {
            Some(span) => self.by_span.remove(&**span, id),
            None => {
                if let Some(p) = key.path {
                    self.by_path.remove(&p, id);
                }
            }
        }
        if let Some(u) = key.url {
            self.by_url.remove(&u, id);
        }
    }
}

/// The event ids of the requests under one key, oldest first.
#[derive(Debug)]
enum Seqs {
    One(usize),
    Many(Vec<usize>),
}

impl Seqs {
    fn as_slice(&self) -> &[usize] {
        match self {
            Seqs::One(s) => std::slice::from_ref(s),
            Seqs::Many(v) => v,
        }
    }

    fn push(&mut self, id: usize) {
        match self {
            Seqs::One(s) => *self = Seqs::Many(vec![*s, id]),
            Seqs::Many(v) => v.push(id),
        }
    }

    /// Removes `id`; true when none is left.
    fn remove(&mut self, id: usize) -> bool {
        match self {
            Seqs::One(s) => *s == id,
            Seqs::Many(v) => {
                if let Some(i) = v.iter().position(|&s| s == id) {
                    v.remove(i);
                }
                if let [only] = v[..] {
                    *self = Seqs::One(only);
                }
                false
            }
        }
    }
}

/// Keys to the requests filed under them, in order of arrival.
#[derive(Debug)]
pub(super) struct Index<K> {
    map: HashMap<K, Seqs, foldhash::fast::RandomState>,
}

impl<K> Default for Index<K> {
    fn default() -> Self {
        Index {
            map: HashMap::default(),
        }
    }
}

impl<K: Hash + Eq> Index<K> {
    /// Files request `id` (newer than any filed) under `key`.
    pub(super) fn add(&mut self, key: K, id: usize) {
        match self.map.get_mut(&key) {
            Some(seqs) => seqs.push(id),
            None => {
                self.map.insert(key, Seqs::One(id));
            }
        }
    }

    /// Takes request `id` out from under `key`.
    pub(super) fn remove<Q>(&mut self, key: &Q, id: usize)
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        if let Some(seqs) = self.map.get_mut(key)
            && seqs.remove(id)
        {
            self.map.remove(key);
        }
    }

    /// The requests under `key`, oldest first.
    pub(super) fn get<Q>(&self, key: &Q) -> &[usize]
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.map.get(key).map_or(&[], Seqs::as_slice)
    }

    /// Number of keys with a request under them.
    #[cfg(test)]
    pub(super) fn keys(&self) -> usize {
        self.map.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_order_of_arrival_and_forgets_empty_keys() {
        let mut ix: Index<u64> = Index::default();
        ix.add(7, 1);
        ix.add(7, 2);
        ix.add(8, 3);
        ix.add(7, 4);
        assert_eq!(ix.get(&7), [1, 2, 4]);
        ix.remove(&7, 2);
        assert_eq!(ix.get(&7), [1, 4]);
        ix.remove(&7, 9);
        assert_eq!(ix.get(&7), [1, 4]);
        ix.remove(&7, 1);
        ix.remove(&7, 4);
        assert_eq!(ix.get(&7), [] as [usize; 0]);
        assert_eq!(ix.keys(), 1);
        ix.remove(&8, 3);
        assert_eq!(ix.keys(), 0);
        ix.remove(&8, 3);
        assert_eq!(ix.get(&8), [] as [usize; 0]);
    }
}
