//! Log text as literal Markdown, for the reports bkscope writes (`x` in the explorer,
//! `summary --markdown`): terminal controls made visible, Markdown's markup characters escaped
//! with a backslash, no line breaks, so a log line cannot open a link, raw HTML, emphasis, a
//! heading or a new table cell.
//!
//! Pure string work; lives under `app` because `cli` may use `app` and not the reverse.

use crate::model::sanitize::inert;

/// ASCII punctuation that makes markup somewhere in GitHub-flavoured Markdown: emphasis, code
/// spans, links and images, raw HTML and entities, table cells, headings, strikethrough.
fn is_markup(c: char) -> bool {
    matches!(
        c,
        '\\' | '`'
            | '*'
            | '_'
            | '['
            | ']'
            | '<'
            | '>'
            | '#'
            | '!'
            | '|'
            | '~'
            | '&'
            | '{'
            | '}'
            | '('
            | ')'
    )
}

/// `s` as one inline run of literal characters (see the module doc), whole.
pub fn literal(s: &str) -> String {
    literal_cut(s, usize::MAX)
}

/// As [`literal`], at most `max` characters of `s`; a longer text ends in `…`. CommonMark
/// allows a backslash before any ASCII punctuation, so the escapes read as the characters.
pub fn literal_cut(s: &str, max: usize) -> String {
    let s = inert(s);
    let mut out = String::with_capacity(s.len() + 8);
    for (i, c) in s.chars().enumerate() {
        if i == max {
            out.push('…');
            break;
        }
        if is_markup(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Cells of a table row: pipes not escaped by a backslash, less the row's two edges (for
/// tests that check a log text stays in its cell).
#[cfg(test)]
pub(crate) fn cells(row: &str) -> usize {
    let mut n = 0_usize;
    let mut escaped = false;
    for c in row.chars() {
        match c {
            '\\' if !escaped => escaped = true,
            '|' if !escaped => n += 1,
            _ => escaped = false,
        }
    }
    n.saturating_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_text_stays_literal_text_in_one_cell() {
        let hostile = "a | b `code` **bold** [x](javascript:alert(1)) <img src=x onerror=alert(1)> \
                       &amp; \x1b[31mred\x1b[0m\nsecond line \u{202e}rev \\| ~~gone~~ # h";
        let t = literal(hostile);
        let row = format!("| 1 | {t} | 3 |");
        assert_eq!(cells(&row), 3, "{row}");
        assert!(!t.contains('\n') && !t.contains('\x1b') && !t.contains('\u{202e}'));
        for markup in ["`", "*", "[", "<", "&", "~", "|"] {
            // Every markup character is preceded by a backslash.
            for (i, _) in t.match_indices(markup) {
                assert_eq!(&t[i - 1..i], "\\", "{markup} at {i} in {t}");
            }
        }
        assert_eq!(
            literal_cut("x".repeat(400).as_str(), 300).chars().count(),
            301
        );
        assert_eq!(literal(&"x".repeat(400)).chars().count(), 400);
    }
}
