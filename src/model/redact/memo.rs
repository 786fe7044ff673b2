//! A memo of the texts [`super::text`] found clean. Header values repeat on every request
//! (`accept`, `user-agent`, a registry's api version): comparing one with a copy known clean
//! costs less than looking for secrets in it again.
//!
//! Exact: a text is remembered only after the full check found nothing in it, and taken as
//! clean only when it equals a remembered one byte for byte. One small table per thread; a
//! slot that keeps being hit is not given up for a text seen once.

use std::cell::RefCell;

/// Slots per thread.
const SLOTS: usize = 64;
/// Longer texts are neither remembered nor looked up (they seldom repeat).
const MAX_LEN: usize = 256;

#[derive(Default)]
struct Slot {
    text: String,
    /// Hits since the slot last resisted a newcomer (at most 3).
    hits: u8,
}

thread_local! {
    static MEMO: RefCell<Vec<Slot>> = RefCell::new((0..SLOTS).map(|_| Slot::default()).collect());
}

/// True when `s` is clean: it equals a remembered text, or `check` (the full test, true for
/// clean) says so, and then it is remembered.
pub(super) fn is_clean(s: &str, check: impl FnOnce(&str) -> bool) -> bool {
    if s.len() > MAX_LEN {
        return check(s);
    }
    let i = slot_of(s.as_bytes());
    let hit = MEMO.try_with(|m| {
        let mut m = m.try_borrow_mut().ok()?;
        let slot = m.get_mut(i)?;
        if slot.text == s {
            slot.hits = (slot.hits + 1).min(3);
            return Some(true);
        }
        Some(false)
    });
    if hit == Ok(Some(true)) {
        return true;
    }
    if !check(s) {
        return false;
    }
    let _ = MEMO.try_with(|m| {
        if let Ok(mut m) = m.try_borrow_mut()
            && let Some(slot) = m.get_mut(i)
        {
            if slot.hits == 0 {
                slot.text.clear();
                slot.text.push_str(s);
            } else {
                slot.hits -= 1;
            }
        }
    });
    true
}

/// The slot of a text: its length and first and last eight bytes, mixed.
fn slot_of(b: &[u8]) -> usize {
    let word = |part: &[u8]| {
        let mut w = [0u8; 8];
        for (d, s) in w.iter_mut().zip(part) {
            *d = *s;
        }
        u64::from_le_bytes(w)
    };
    let head = word(b);
    let tail = word(b.get(b.len().saturating_sub(8)..).unwrap_or(&[]));
    let h = (head ^ tail.rotate_left(29) ^ b.len() as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (h >> 58) as usize % SLOTS
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn remembers_only_what_the_check_passed() {
        let checks = Cell::new(0);
        let clean = |s: &str, verdict: bool| {
            is_clean(s, |_| {
                checks.set(checks.get() + 1);
                verdict
            })
        };
        // Not clean: never remembered, checked every time.
        assert!(!clean("Bearer abcdefgh123", false));
        assert!(!clean("Bearer abcdefgh123", false));
        // Clean: checked once, then known.
        assert!(clean("application/vnd.oci.image.index.v1+json", true));
        assert!(clean("application/vnd.oci.image.index.v1+json", true));
        assert_eq!(checks.get(), 3);
        // A different text of the same shape is checked on its own.
        assert!(!clean("application/vnd.oci.image.index.v2+json", false));
        assert_eq!(checks.get(), 4);
    }

    #[test]
    fn a_busy_slot_outlasts_one_off_texts() {
        let busy = "containerd/1.6.20+unknown";
        let checks = Cell::new(0);
        let check = |s: &str| {
            is_clean(s, |_| {
                checks.set(checks.get() + 1);
                true
            })
        };
        check(busy);
        check(busy);
        check(busy);
        // Texts landing in the busy slot, each seen once.
        let slot = slot_of(busy.as_bytes());
        let others: Vec<String> = (0..10_000)
            .map(|n| format!("x{n}"))
            .filter(|t| slot_of(t.as_bytes()) == slot)
            .take(2)
            .collect();
        assert_eq!(others.len(), 2);
        for t in &others {
            check(t);
        }
        let before = checks.get();
        check(busy);
        assert_eq!(checks.get(), before, "the busy text was given up");
    }

    #[test]
    fn long_texts_always_go_through_the_check() {
        let long = "a".repeat(MAX_LEN + 1);
        let mut checks = 0;
        for _ in 0..2 {
            is_clean(&long, |_| {
                checks += 1;
                true
            });
        }
        assert_eq!(checks, 2);
    }
}
