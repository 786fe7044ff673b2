//! One shared copy of each text that many fetch events repeat (hosts, registries, repositories,
//! media types, status texts, server ids, span names, trace and span ids): an event holds an
//! `Arc<str>` of 16 bytes instead of its own `String`.
//!
//! Pure bookkeeping. Texts no event holds any more are let go now and then, so a long follow
//! with a cap on kept events stays bounded.

use std::collections::HashSet;
use std::sync::Arc;

/// A text shared between events.
pub type Shared = Arc<str>;

/// The set of shared texts.
#[derive(Debug, Default)]
pub struct Interner {
    /// foldhash, not SipHash: a lookup per field of every request and response. Seeded per
    /// process, so a log cannot be written to collide on purpose.
    set: HashSet<Shared, foldhash::fast::RandomState>,
    /// Size after the last sweep; the next one runs at twice that.
    swept_at: usize,
}

impl Interner {
    /// Texts held before the first sweep.
    const FIRST_SWEEP: usize = 4096;

    /// The shared copy of `s`.
    pub fn get(&mut self, s: &str) -> Shared {
        if let Some(a) = self.set.get(s) {
            return Arc::clone(a);
        }
        if self.set.len() >= (2 * self.swept_at).max(Self::FIRST_SWEEP) {
            self.set.retain(|a| Arc::strong_count(a) > 1);
            self.swept_at = self.set.len();
        }
        let a: Shared = Arc::from(s);
        self.set.insert(Arc::clone(&a));
        a
    }

    /// [`Interner::get`] of an optional text.
    pub fn opt(&mut self, s: Option<&str>) -> Option<Shared> {
        s.map(|s| self.get(s))
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.set.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_share_one_copy_and_unused_ones_are_let_go() {
        let mut i = Interner::default();
        let a = i.get("registry-1.docker.io");
        let b = i.get("registry-1.docker.io");
        assert!(Arc::ptr_eq(&a, &b));
        for n in 0..3 * Interner::FIRST_SWEEP {
            i.get(&format!("span-{n}"));
        }
        assert!(i.len() <= 2 * Interner::FIRST_SWEEP, "{}", i.len());
        assert!(Arc::ptr_eq(&a, &i.get("registry-1.docker.io")));
    }
}
