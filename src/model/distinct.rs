//! Counting distinct trace ids in bounded memory: exact up to [`EXACT_IDS`] ids (and
//! [`EXACT_TEXT`] bytes of ids that are not BuildKit's 32 hex digits), a HyperLogLog estimate
//! beyond, so `summary` stays within its memory budget on a log of any size.
//!
//! An exact count of distinct items needs memory for every item: at 16 bytes a hex id, the
//! generated corpus (about 80,000 traces per GiB) would pass `summary`'s 16 MB budget at about
//! 2 GiB. Real daemon logs have far fewer traces (one per build step and pull), so the exact
//! count is what users see; past the cap the ids held so far go into the sketch and are freed,
//! and the summary says the figure is an estimate (`traces_estimated`).
//!
//! The sketch: HyperLogLog (Flajolet et al. 2007) with 2^14 one-byte registers (16 KiB),
//! standard error 1.04/√16384 ≈ 0.8 %, linear counting while many registers are empty.
//! Hashing is foldhash with a fixed seed, so one log always gives the same figure.
//!
//! Pure bookkeeping.

use std::collections::{BTreeSet, HashSet};
use std::hash::BuildHasher;
use std::mem;

/// Distinct ids counted exactly; the next new one switches to the estimate.
pub const EXACT_IDS: usize = 65_536;
/// Bytes of non-hex ids held for the exact count (each may be as long as a line).
pub const EXACT_TEXT: usize = 1 << 20;

/// Distinct ids seen: exact while small, estimated past the caps.
#[derive(Debug, Clone)]
pub struct Distinct {
    state: State,
}

#[derive(Debug, Clone)]
enum State {
    Exact {
        hex: IdSet,
        other: BTreeSet<String>,
        other_bytes: usize,
    },
    Estimate(Box<Sketch>),
}

impl Default for Distinct {
    fn default() -> Self {
        Distinct {
            state: State::Exact {
                hex: IdSet::default(),
                other: BTreeSet::new(),
                other_bytes: 0,
            },
        }
    }
}

impl Distinct {
    /// Notes one id (a repeat changes nothing).
    pub fn insert(&mut self, id: &str) {
        let hex = lower_hex_128(id);
        match &mut self.state {
            State::Estimate(sketch) => match hex {
                Some(n) => sketch.insert(hash_hex(n)),
                None => sketch.insert(hash_text(id)),
            },
            State::Exact {
                hex: ids,
                other,
                other_bytes,
            } => {
                match hex {
                    Some(n) => ids.insert(n),
                    None if other.contains(id) => {}
                    None => {
                        *other_bytes += id.len();
                        other.insert(id.to_owned());
                    }
                }
                if ids.len() + other.len() > EXACT_IDS || *other_bytes > EXACT_TEXT {
                    self.estimate_from_now();
                }
            }
        }
    }

    /// How many distinct ids: exact, or the estimate once [`Distinct::is_estimate`].
    pub fn len(&self) -> usize {
        match &self.state {
            State::Exact { hex, other, .. } => hex.len() + other.len(),
            State::Estimate(sketch) => sketch.estimate(),
        }
    }

    /// True when no id was seen.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True once the caps were passed and [`Distinct::len`] is an estimate.
    pub fn is_estimate(&self) -> bool {
        matches!(self.state, State::Estimate(_))
    }

    /// Moves every id held into a sketch and frees them.
    fn estimate_from_now(&mut self) {
        let mut sketch = Box::new(Sketch::new());
        if let State::Exact { hex, other, .. } = mem::replace(
            &mut self.state,
            State::Exact {
                hex: IdSet::default(),
                other: BTreeSet::new(),
                other_bytes: 0,
            },
        ) {
            for n in hex.sorted.iter().chain(&hex.recent) {
                sketch.insert(hash_hex(*n));
            }
            for id in &other {
                sketch.insert(hash_text(id));
            }
        }
        self.state = State::Estimate(sketch);
    }
}

/// HyperLogLog registers.
#[derive(Debug, Clone)]
struct Sketch {
    registers: Vec<u8>,
}

impl Sketch {
    /// Index bits: 2^14 registers.
    const P: u32 = 14;
    const M: usize = 1 << Self::P;

    fn new() -> Self {
        Sketch {
            registers: vec![0; Self::M],
        }
    }

    fn insert(&mut self, hash: u64) {
        let index = (hash >> (64 - Self::P)) as usize;
        // The rank of the first 1 bit after the index bits; the guard bit bounds it.
        let rest = (hash << Self::P) | (1 << (Self::P - 1));
        let rank = rest.leading_zeros() as u8 + 1;
        if let Some(r) = self.registers.get_mut(index) {
            *r = (*r).max(rank);
        }
    }

    fn estimate(&self) -> usize {
        let m = Self::M as f64;
        let alpha = 0.7213 / (1.0 + 1.079 / m);
        let (sum, zeros) = self.registers.iter().fold((0.0, 0usize), |(s, z), &r| {
            (s + 2f64.powi(-i32::from(r)), z + usize::from(r == 0))
        });
        let raw = alpha * m * m / sum;
        // Linear counting for the small range (Flajolet et al., §4); a 64-bit hash needs no
        // large-range correction at these counts.
        let e = if raw <= 2.5 * m && zeros > 0 {
            m * (m / zeros as f64).ln()
        } else {
            raw
        };
        e.round() as usize
    }
}

/// A fixed seed: the same log always gives the same estimate.
const SEED: u64 = 0x6b73_636f_7065_7472;

fn hash_hex(n: u128) -> u64 {
    foldhash::quality::FixedState::with_seed(SEED).hash_one(n)
}

fn hash_text(id: &str) -> u64 {
    foldhash::quality::FixedState::with_seed(SEED).hash_one(id)
}

/// A set of distinct 128-bit ids in about 16 bytes each: a sorted vector, plus a small hash set
/// of recent ids merged into it whenever it fills.
#[derive(Debug, Clone, Default)]
struct IdSet {
    sorted: Vec<u128>,
    /// foldhash, not std's SipHash (a third of this set's time), seeded at random per process
    /// like std's, so a hostile log still cannot aim at collisions.
    recent: HashSet<u128, foldhash::fast::RandomState>,
}

impl IdSet {
    /// Recent ids held before a merge.
    const RECENT: usize = 4096;

    fn insert(&mut self, id: u128) {
        if self.sorted.binary_search(&id).is_ok() || !self.recent.insert(id) {
            return;
        }
        if self.recent.len() < Self::RECENT {
            return;
        }
        let mut add: Vec<u128> = mem::take(&mut self.recent).into_iter().collect();
        add.sort_unstable();
        // Merge from the back, in place: `add` holds no id of `sorted`.
        let old = self.sorted.len();
        self.sorted.reserve_exact(add.len());
        self.sorted.resize(old + add.len(), 0);
        let (mut i, mut j) = (old, add.len());
        for k in (0..old + add.len()).rev() {
            if j == 0 {
                break;
            }
            if i > 0 && self.sorted[i - 1] > add[j - 1] {
                self.sorted[k] = self.sorted[i - 1];
                i -= 1;
            } else {
                self.sorted[k] = add[j - 1];
                j -= 1;
            }
        }
    }

    fn len(&self) -> usize {
        self.sorted.len() + self.recent.len()
    }
}

/// A 32-digit lowercase hex id as a number; `None` for any other text (so distinct texts stay
/// distinct).
fn lower_hex_128(id: &str) -> Option<u128> {
    let b = id.as_bytes();
    if b.len() != 32 || !b.iter().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f')) {
        return None;
    }
    u128::from_str_radix(id, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` distinct hex ids from a fixed generator (xorshift: no two alike over these counts).
    fn hex_ids(n: usize, seed: u128) -> impl Iterator<Item = String> {
        let mut x = seed | 1;
        (0..n).map(move |_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            format!("{x:032x}")
        })
    }

    #[test]
    fn exact_up_to_the_cap_with_repeats_and_text_ids() {
        let mut d = Distinct::default();
        for id in hex_ids(10_000, 7) {
            d.insert(&id);
            d.insert(&id);
        }
        d.insert("not-hex");
        d.insert("not-hex");
        d.insert("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        assert_eq!(d.len(), 10_002);
        assert!(!d.is_estimate());
    }

    #[test]
    fn estimate_past_the_cap_is_within_three_percent_and_ignores_repeats() {
        for n in [EXACT_IDS + 1, 200_000, 1_000_000] {
            let mut d = Distinct::default();
            for id in hex_ids(n, 11) {
                d.insert(&id);
            }
            // Every id again: a sketch takes the max, repeats change nothing.
            for id in hex_ids(n, 11).take(50_000) {
                d.insert(&id);
            }
            assert!(d.is_estimate(), "{n}");
            let err = (d.len() as f64 - n as f64).abs() / n as f64;
            assert!(err < 0.03, "{n} ids estimated as {} ({err:.4})", d.len());
        }
    }

    #[test]
    fn long_text_ids_switch_on_bytes_not_count() {
        let mut d = Distinct::default();
        // Ids of exactly 4096 bytes: 256 of them fill the 1 MiB, the next one passes it.
        let id = |i: usize| format!("{i:04}{}", "x".repeat(4092));
        for i in 0..(EXACT_TEXT / 4096) {
            d.insert(&id(i));
        }
        assert!(!d.is_estimate());
        assert_eq!(d.len(), 256);
        d.insert(&id(9999));
        assert!(
            d.is_estimate(),
            "a few hundred long ids must not hold more than 1 MiB"
        );
        let n = EXACT_TEXT / 4096 + 1;
        let err = (d.len() as f64 - n as f64).abs() / n as f64;
        assert!(err < 0.05, "{n} ids estimated as {}", d.len());
    }

    #[test]
    fn the_estimate_is_the_same_every_run() {
        let count = || {
            let mut d = Distinct::default();
            for id in hex_ids(100_000, 3) {
                d.insert(&id);
            }
            d.len()
        };
        assert_eq!(count(), count());
    }

    #[test]
    fn id_set_merges_without_losing_or_doubling() {
        let mut s = IdSet::default();
        let mut reference = std::collections::BTreeSet::new();
        let mut x: u128 = 7;
        for _ in 0..3 * IdSet::RECENT + 17 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407)
                % 9000;
            s.insert(x);
            reference.insert(x);
        }
        assert_eq!(s.len(), reference.len());
        assert!(s.sorted.windows(2).all(|w| w[0] < w[1]));
    }
}
