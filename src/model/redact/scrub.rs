//! [`Scrub`]: how the model scrubs the values it keeps, with what another thread already
//! checked. The headless reader thread has spare time while the model thread is the busier
//! one, so it runs [`super::text`] on the values the model will scrub (urls, kept header
//! values) and hands on the byte ranges of the line it found clean. The model then keeps those
//! values as they are without checking them again.
//!
//! Sound by construction: a range vouches only for the very bytes it names. A value is taken
//! as known clean only when it is a slice of the same line at exactly that offset and length
//! (a pointer check), so a value rebuilt elsewhere (unquoted, from another line) is checked
//! as usual. Header names are still masked by name ([`super::is_secret_header`]).

use std::borrow::Cow;

/// On or off (`--no-redact`), and the ranges of the current line known clean.
#[derive(Debug, Clone, Copy)]
pub struct Scrub<'a> {
    on: bool,
    line: &'a str,
    /// `(offset, length)` in `line`, in line order.
    clean: &'a [(u32, u32)],
}

impl<'a> Scrub<'a> {
    /// Scrubbing on or off, nothing known in advance.
    pub fn new(on: bool) -> Self {
        Scrub {
            on,
            line: "",
            clean: &[],
        }
    }

    /// The same, with `clean`: ranges of `line` that [`super::text`] leaves as they are.
    pub fn knowing(self, line: &'a str, clean: &'a [(u32, u32)]) -> Self {
        Scrub {
            line,
            clean,
            ..self
        }
    }

    /// [`super::text`], unless scrubbing is off or `v` is known clean.
    pub fn text<'v>(&self, v: &'v str) -> Cow<'v, str> {
        if !self.on || self.known_clean(v) {
            Cow::Borrowed(v)
        } else {
            super::text(v)
        }
    }

    /// [`super::header_value`], unless scrubbing is off or `v` is known clean (a secret
    /// header's value is masked whatever its text).
    pub fn header_value<'v>(&self, name: &str, v: &'v str) -> Cow<'v, str> {
        if !self.on || (!super::is_secret_header(name) && self.known_clean(v)) {
            Cow::Borrowed(v)
        } else {
            super::header_value(name, v)
        }
    }

    /// True when `v` is the slice of the line at one of the clean ranges.
    fn known_clean(&self, v: &str) -> bool {
        if self.clean.is_empty() {
            return false;
        }
        let start = self.line.as_ptr() as usize;
        let at = v.as_ptr() as usize;
        if at < start || at + v.len() > start + self.line.len() {
            return false;
        }
        let (Ok(off), Ok(len)) = (u32::try_from(at - start), u32::try_from(v.len())) else {
            return false;
        };
        self.clean.binary_search(&(off, len)).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_vouched_slice_skips_the_check() {
        let line = "url=https://u:pw@h/v2/ x=https://u:pw@h/v2/";
        let first = &line[4..22];
        let second = &line[25..];
        assert_eq!(first, second);
        // A (wrong) claim about the first copy: it alone is kept as it is.
        let claims = [(4, 18)];
        let s = Scrub::new(true).knowing(line, &claims);
        assert_eq!(s.text(first), first);
        assert_eq!(s.text(second), "https://REDACTED@h/v2/");
        // The same text elsewhere in memory, the wrong length, or scrubbing off.
        let copy = first.to_owned();
        assert_eq!(s.text(&copy), "https://REDACTED@h/v2/");
        assert_eq!(s.text(&first[..17]), "https://REDACTED@h/v2");
        assert_eq!(Scrub::new(false).text(second), second);
        assert_eq!(Scrub::new(true).text(first), "https://REDACTED@h/v2/");
    }

    #[test]
    fn secret_headers_are_masked_even_when_vouched() {
        let line = "v=Bearer abc";
        let v = &line[2..];
        let claims = [(2, 10)];
        let s = Scrub::new(true).knowing(line, &claims);
        assert_eq!(s.header_value("authorization", v), "Bearer REDACTED");
        assert_eq!(s.header_value("accept", v), v);
    }
}
