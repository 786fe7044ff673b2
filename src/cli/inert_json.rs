//! JSON made inert for terminals: a writer between serde_json and the output that writes DEL,
//! the C1 controls, the bidi controls and the line/paragraph separators U+2028/U+2029 (what
//! `model::sanitize::is_unsafe` names beyond the C0 controls serde_json escapes itself) as
//! `\uXXXX` escapes.
//!
//! serde_json escapes only `"`, `\` and the characters below U+0020, so a log's `\u{202e}` (which
//! reorders a host or url on screen) or `\u{9b}` (CSI to an 8-bit terminal) went out raw in
//! `summary --json` and `events --json`, which people read on a terminal and through `jq`.
//! Every character outside ASCII, and DEL, can only stand inside a JSON string, where
//! `\uXXXX` means the same character: the document parses to the same values.

use std::io::{self, Write};

use crate::model::sanitize::is_unsafe;

/// Writes JSON to `inner` with the unsafe characters escaped (see the module doc). A write that
/// ends inside a character (a `BufWriter` in front cuts anywhere) has its tail held for the next
/// one, and [`InertJson::flush`] writes a dangling tail as it is.
pub struct InertJson<W: Write> {
    inner: W,
    /// The start of a character the last write cut (at most 3 bytes).
    held: Vec<u8>,
}

impl<W: Write> InertJson<W> {
    pub fn new(inner: W) -> Self {
        InertJson {
            inner,
            held: Vec::new(),
        }
    }

    fn write_inert(&mut self, buf: &[u8]) -> io::Result<()> {
        let mut rest = buf;
        while !rest.is_empty() {
            // The common case: ASCII without DEL goes out as it is.
            let clean = rest.iter().position(|&b| b >= 0x7f).unwrap_or(rest.len());
            let (plain, tail) = rest.split_at(clean);
            self.inner.write_all(plain)?;
            let Some(&lead) = tail.first() else {
                break;
            };
            let len = match lead {
                0xc0..=0xdf => 2,
                0xe0..=0xef => 3,
                0xf0..=0xf7 => 4,
                _ => 1,
            };
            let Some(seq) = tail.get(..len) else {
                // Cut inside a character: its end comes with the next write.
                self.held.extend_from_slice(tail);
                break;
            };
            match std::str::from_utf8(seq).ok().and_then(|s| s.chars().next()) {
                // All of them are in the Basic Multilingual Plane: one escape each.
                Some(c) if is_unsafe(c) => write!(self.inner, "\\u{:04x}", u32::from(c))?,
                _ => self.inner.write_all(seq)?,
            }
            rest = tail.get(len..).unwrap_or(&[]);
        }
        Ok(())
    }
}

impl<W: Write> Write for InertJson<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_all(buf)?;
        Ok(buf.len())
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        if self.held.is_empty() {
            // Almost all JSON is ASCII without DEL: a word-wide and a vector-wide look, then
            // out as it is (best over a buffer's worth: put this writer after a `BufWriter`).
            if buf.is_ascii() && memchr::memchr(0x7f, buf).is_none() {
                return self.inner.write_all(buf);
            }
            return self.write_inert(buf);
        }
        let mut joined = std::mem::take(&mut self.held);
        joined.extend_from_slice(buf);
        self.write_inert(&joined)
    }

    fn flush(&mut self) -> io::Result<()> {
        let dangling = std::mem::take(&mut self.held);
        self.inner.write_all(&dangling)?;
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inert(values: &serde_json::Value) -> String {
        let mut out = InertJson::new(Vec::new());
        serde_json::to_writer(&mut out, values).unwrap();
        out.flush().unwrap();
        String::from_utf8(out.inner).unwrap()
    }

    /// Bidi controls, C1 controls and DEL come out escaped; the JSON reads back to the same
    /// values; other text (accents, CJK, emoji) is left as it is.
    #[test]
    fn unsafe_characters_are_escaped_and_the_values_unchanged() {
        let text = "host\u{202e}gro.live\u{2066}x\u{9b}31m\u{7f}\x1b[2J é 中 🦀 \u{61c}\u{200f}\u{2028}\u{2029}\u{85}";
        let value = serde_json::json!({ "text": text, "list": [text] });
        let out = inert(&value);
        assert!(!out.chars().any(is_unsafe), "{out}");
        assert!(out.contains("\\u202e") && out.contains("\\u009b") && out.contains("\\u007f"));
        assert!(out.contains("\\u2028") && out.contains("\\u2029") && out.contains("\\u0085"));
        assert!(out.contains("é 中 🦀"), "{out}");
        let back: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(back, value);
    }

    /// Behind a buffer (as `events` writes), chunks end anywhere, inside a character too.
    #[test]
    fn behind_a_small_buffer_every_character_is_still_escaped() {
        let text = "a\u{202e}é\u{9b}中🦀\u{2066}z".repeat(5);
        let value = serde_json::json!({ "text": text });
        let mut out = std::io::BufWriter::with_capacity(7, InertJson::new(Vec::new()));
        serde_json::to_writer(&mut out, &value).unwrap();
        out.flush().unwrap();
        let inner = out.into_inner().map_err(|_| "flush").unwrap().inner;
        let json = String::from_utf8(inner).unwrap();
        assert!(!json.chars().any(is_unsafe), "{json}");
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back, value);
    }

    /// A character cut between two writes is escaped all the same.
    #[test]
    fn a_character_cut_between_writes_is_still_escaped() {
        let bytes = "a\u{202e}b".as_bytes();
        for cut in 0..=bytes.len() {
            let mut out = InertJson::new(Vec::new());
            out.write_all(&bytes[..cut]).unwrap();
            out.write_all(&bytes[cut..]).unwrap();
            out.flush().unwrap();
            assert_eq!(
                String::from_utf8(out.inner).unwrap(),
                "a\\u202eb",
                "cut at {cut}"
            );
        }
    }
}
