//! Shared copies of the strings findings repeat (the same error text, host and realm on every
//! retry of a failing pull): one allocation per distinct text, not one per finding.
//!
//! Bounded: past [`MAX_INTERNED`] distinct texts new ones are allocated on their own, so a log
//! of endless distinct errors costs what it did before, never more.

use std::collections::HashSet;
use std::sync::Arc;

/// Distinct texts kept for sharing.
pub const MAX_INTERNED: usize = 4096;

/// A bounded set of shared strings.
#[derive(Debug, Default, Clone)]
pub struct Interner {
    set: HashSet<Arc<str>>,
}

impl Interner {
    /// The shared copy of `s`, made on first sight.
    pub fn get(&mut self, s: &str) -> Arc<str> {
        if let Some(a) = self.set.get(s) {
            return Arc::clone(a);
        }
        let a: Arc<str> = Arc::from(s);
        if self.set.len() < MAX_INTERNED {
            self.set.insert(Arc::clone(&a));
        }
        a
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_share_one_allocation_and_the_set_stays_bounded() {
        let mut i = Interner::default();
        let a = i.get("dial tcp 127.0.0.1:5001: connect: connection refused");
        let b = i.get("dial tcp 127.0.0.1:5001: connect: connection refused");
        assert!(Arc::ptr_eq(&a, &b));
        for n in 0..MAX_INTERNED + 10 {
            i.get(&format!("text {n}"));
        }
        assert_eq!(i.set.len(), MAX_INTERNED);
        let late = i.get("late");
        assert_eq!(&*late, "late");
        assert!(!Arc::ptr_eq(&late, &i.get("late")));
    }
}
