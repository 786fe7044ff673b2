//! One shared copy of each text that many fetch events repeat (hosts, registries, repositories,
//! media types, status texts, server ids, span names, trace and span ids): an event holds a
//! [`Shared`] of 8 bytes instead of its own `String`.
//!
//! Pure bookkeeping. Texts no event holds any more are let go now and then, so a long follow
//! with a cap on kept events stays bounded.

use std::borrow::Borrow;
use std::collections::HashSet;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// A text shared between events: one pointer, so 8 bytes in an event (an `Option<Shared>`
/// too), where an `Arc<str>` takes 16 (its length beside the pointer). The text is reached
/// through a second pointer, allocated once per distinct text: the interner makes those few.
/// Compared, hashed, ordered and serialised as the text it holds.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Shared(Arc<Box<str>>);

impl Shared {
    /// True when both are the same copy (not only equal texts).
    pub fn ptr_eq(a: &Shared, b: &Shared) -> bool {
        Arc::ptr_eq(&a.0, &b.0)
    }

    /// How many holders this copy has.
    pub fn strong_count(this: &Shared) -> usize {
        Arc::strong_count(&this.0)
    }
}

impl Default for Shared {
    /// The empty text (as `Arc<str>`'s default).
    fn default() -> Shared {
        Shared::from("")
    }
}

impl Deref for Shared {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Shared {
    fn as_ref(&self) -> &str {
        self
    }
}

impl Borrow<str> for Shared {
    fn borrow(&self) -> &str {
        self
    }
}

impl From<&str> for Shared {
    fn from(s: &str) -> Shared {
        Shared(Arc::new(Box::from(s)))
    }
}

impl From<String> for Shared {
    fn from(s: String) -> Shared {
        Shared(Arc::new(s.into_boxed_str()))
    }
}

impl fmt::Debug for Shared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl fmt::Display for Shared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}

impl serde::Serialize for Shared {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self)
    }
}

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
            return a.clone();
        }
        if self.set.len() >= (2 * self.swept_at).max(Self::FIRST_SWEEP) {
            self.set.retain(|a| Shared::strong_count(a) > 1);
            self.swept_at = self.set.len();
        }
        let a = Shared::from(s);
        self.set.insert(a.clone());
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
        assert!(Shared::ptr_eq(&a, &b));
        for n in 0..3 * Interner::FIRST_SWEEP {
            i.get(&format!("span-{n}"));
        }
        assert!(i.len() <= 2 * Interner::FIRST_SWEEP, "{}", i.len());
        assert!(Shared::ptr_eq(&a, &i.get("registry-1.docker.io")));
        assert_eq!(std::mem::size_of::<Option<Shared>>(), 8);
    }
}
