//! Counted nouns for headers, status messages and reports: `1 event`, `2 events`, with a verb
//! that agrees when the words carry one (`1 event matches`, `6 events match`).

use std::fmt::Display;

/// `n` and `one` when it is 1, else `n` and `many`: `count(1, "span", "spans")` is `1 span`.
pub fn count<N: Display + PartialEq + From<u8>>(n: N, one: &str, many: &str) -> String {
    let words = if n == N::from(1) { one } else { many };
    format!("{n} {words}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(
            count(1_usize, "event matches", "events match"),
            "1 event matches"
        );
        assert_eq!(
            count(6_usize, "event matches", "events match"),
            "6 events match"
        );
        assert_eq!(count(0_u64, "fallback", "fallbacks"), "0 fallbacks");
        assert_eq!(count(1_u32, "span", "spans"), "1 span");
    }
}
