//! [`RawRows`]: which stored lines the Raw view lists, as line positions in order. Every kept
//! line (the default) is a range and costs nothing per line; a filter, a trace or the
//! registry-only toggle picks a list.

/// The Raw view's rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRows {
    /// Every line `first..end` (when `picked` is `None`).
    first: usize,
    end: usize,
    picked: Option<Vec<usize>>,
}

impl Default for RawRows {
    fn default() -> Self {
        RawRows::every(0, 0)
    }
}

impl RawRows {
    /// Every line `first..end`.
    pub fn every(first: usize, end: usize) -> RawRows {
        RawRows {
            first,
            end: end.max(first),
            picked: None,
        }
    }

    /// The lines at these positions (ascending).
    pub fn picked(list: Vec<usize>) -> RawRows {
        RawRows {
            first: 0,
            end: 0,
            picked: Some(list),
        }
    }

    /// Rows held in a list (0 when every line is a row).
    pub fn capacity(&self) -> usize {
        self.picked.as_ref().map_or(0, Vec::capacity)
    }

    /// True when every line is listed (new lines need no test).
    pub fn is_every(&self) -> bool {
        self.picked.is_none()
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        match &self.picked {
            Some(p) => p.len(),
            None => self.end - self.first,
        }
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The line position of row `i`.
    pub fn get(&self, i: usize) -> Option<usize> {
        match &self.picked {
            Some(p) => p.get(i).copied(),
            None => {
                let seq = self.first.checked_add(i)?;
                (seq < self.end).then_some(seq)
            }
        }
    }

    /// The row of line position `seq`.
    pub fn position(&self, seq: usize) -> Option<usize> {
        match &self.picked {
            Some(p) => p.binary_search(&seq).ok(),
            None => (seq >= self.first && seq < self.end).then(|| seq - self.first),
        }
    }

    /// Adds line `seq` (newer than every row) at the end.
    pub fn push(&mut self, seq: usize) {
        match &mut self.picked {
            Some(p) => p.push(seq),
            None if seq == self.end => self.end += 1,
            None => {
                // Not contiguous (never expected): keep it right as a list.
                let mut p: Vec<usize> = (self.first..self.end).collect();
                p.push(seq);
                self.picked = Some(p);
            }
        }
    }

    /// Drops the rows of lines before `first` (dropped from the store); returns how many rows
    /// went, so cursors can move up by as many.
    pub fn evict(&mut self, first: usize) -> usize {
        match &mut self.picked {
            Some(p) => {
                let k = p.partition_point(|&s| s < first);
                p.drain(..k);
                k
            }
            None => {
                let k = first.saturating_sub(self.first).min(self.end - self.first);
                self.first += k;
                k
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_is_a_range_and_eviction_counts_rows() {
        let mut r = RawRows::every(0, 0);
        for s in 0..10 {
            r.push(s);
        }
        assert!(r.is_every());
        assert_eq!((r.len(), r.get(3), r.position(9)), (10, Some(3), Some(9)));
        assert_eq!(r.evict(4), 4);
        assert_eq!(
            (r.len(), r.get(0), r.position(3), r.position(4)),
            (6, Some(4), None, Some(0))
        );
        assert_eq!(r.evict(4), 0);
        assert_eq!(r.evict(100), 6);
        assert!(r.is_empty());
    }

    #[test]
    fn picked_rows_evict_by_position() {
        let mut r = RawRows::picked(vec![1, 5, 8]);
        r.push(12);
        assert_eq!(r.position(8), Some(2));
        assert_eq!(r.position(7), None);
        assert_eq!(r.evict(6), 2);
        assert_eq!((r.len(), r.get(0), r.get(1)), (2, Some(8), Some(12)));
    }

    #[test]
    fn a_gap_turns_a_range_into_a_list() {
        let mut r = RawRows::every(2, 4);
        r.push(7);
        assert!(!r.is_every());
        assert_eq!((r.len(), r.get(2), r.position(7)), (3, Some(7), Some(2)));
    }
}
