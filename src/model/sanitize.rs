//! Log text made inert for terminals: control characters (C0, DEL, C1, so every ESC/CSI/OSC
//! sequence), bidi overrides and the line and paragraph separators U+2028/U+2029 (which end a
//! line in JavaScript, some editors and terminals, like U+0085 does) are shown as visible escapes
//! (`\x1b`, `\u{202e}`, `\u{2028}`) instead of being interpreted. Every string from a log
//! passes here before a terminal or a text report.
//!
//! Pure string work. JSON output is made inert as it is written (`cli/inert_json.rs`: the
//! same characters as `\uXXXX` escapes, so the values stay as they were).

use std::borrow::Cow;

/// True for characters a terminal would act on, that reorder text, or that break a line.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{2028}' | '\u{2029}')
}

/// The text with every unsafe character written as a visible escape. Tabs become one space.
pub fn inert(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\t' => out.push(' '),
            c if (c as u32) < 0x100 && is_unsafe(c) => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if is_unsafe(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_are_shown_not_sent() {
        let osc52 = "\x1b]52;c;ZWNobyBwd25lZA==\x07";
        let title = "\x1b]0;owned\x1b\\";
        let clear = "\x1b[2J\x1b[H";
        for hostile in [osc52, title, clear, "\u{9b}31m", "a\u{202e}b", "nul\0"] {
            let out = inert(hostile);
            assert!(!out.chars().any(is_unsafe), "{out:?}");
        }
        assert_eq!(inert("\x1b[2J"), "\\x1b[2J");
        assert_eq!(inert("a\u{202e}b"), "a\\u{202e}b");
        assert_eq!(inert("a\tb"), "a b");
        // The line and paragraph separators, like NEL (U+0085) beside them.
        assert_eq!(
            inert("a\u{2028}b\u{2029}c\u{85}d"),
            "a\\u{2028}b\\u{2029}c\\x85d"
        );
        assert!(matches!(inert("plain text ünïcode"), Cow::Borrowed(_)));
    }
}
