//! Styled lines cut into rows a pane's width holds, before ratatui sees them: ratatui's word
//! wrapper breaks at spaces only, so Chinese text (no spaces) went down as one long word, left
//! a workaround's `1.` alone on its row and let a wide character stick out of the pane.
//!
//! Where a row may end is [`wrap::rows`]' rule (after a space, beside a CJK character), and a
//! word longer than the row breaks after a `/` or `-` first ([`wrap::rows_keeping_parts`]), so
//! an entry id at 60 columns reads `registry/` then `manifest-not-found`; each row keeps the
//! styles of the spans it cuts through.

use ratatui::text::{Line, Span};

use crate::app::wrap;

/// `line` as rows at most `width` columns wide, in its spans' styles; a row's trailing spaces
/// are dropped (the break is there). An empty line stays one empty row.
pub fn reflow(line: Line<'_>, width: u16) -> Vec<Line<'static>> {
    let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
    let width = usize::from(width);
    let mut out = Vec::new();
    let mut start = 0;
    for row in wrap::rows_keeping_parts(&text, width, width) {
        let end = start + row.len();
        let shown = start + row.trim_end_matches(' ').len();
        out.push(Line::from(cut(&line, start, shown)).style(line.style));
        start = end;
    }
    out
}

/// The parts of `line`'s spans between byte `from` and byte `to` of its text.
fn cut(line: &Line<'_>, from: usize, to: usize) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    let mut at = 0;
    for s in &line.spans {
        let (a, b) = (at, at + s.content.len());
        at = b;
        let (lo, hi) = (from.max(a), to.min(b));
        if lo < hi {
            // Rows end on char boundaries of the whole text, which are the spans' too.
            let part = s.content.get(lo - a..hi - a).unwrap_or_default();
            spans.push(Span::styled(part.to_owned(), s.style));
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use ratatui::style::Style;

    use super::*;

    fn texts(rows: &[Line<'_>]) -> Vec<String> {
        rows.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn a_numbered_cjk_line_keeps_text_beside_its_number() {
        let line = Line::from(vec![
            Span::styled("1. ", Style::new().bold()),
            Span::raw("在运行构建客户端的机器上，把该仓库已保存的凭据换成有效的凭据。"),
        ]);
        let rows = reflow(line, 20);
        assert_eq!(
            texts(&rows),
            [
                "1. 在运行构建客户端",
                "的机器上，把该仓库已",
                "保存的凭据换成有效的",
                "凭据。"
            ]
        );
        for r in &rows {
            assert!(r.width() <= 20, "{r}");
        }
        // The number keeps its style; the text after it keeps its own.
        assert_eq!(rows[0].spans[0].content, "1. ");
        assert_eq!(rows[0].spans[0].style, Style::new().bold());
        assert_eq!(rows[1].spans.len(), 1);
        assert_eq!(rows[1].spans[0].style, Style::new());
    }

    #[test]
    fn latin_text_still_breaks_at_spaces_and_an_empty_line_stays() {
        let rows = reflow(Line::raw("Authenticate the pulls with docker login"), 16);
        assert_eq!(
            texts(&rows),
            ["Authenticate the", "pulls with", "docker login"]
        );
        assert_eq!(texts(&reflow(Line::raw(""), 10)), [""]);
    }

    #[test]
    fn a_span_cut_by_a_row_end_is_split_in_its_style() {
        let line = Line::from(vec![
            Span::raw("ab "),
            Span::styled("cdef gh", Style::new().red()),
        ]);
        let rows = reflow(line, 7);
        assert_eq!(texts(&rows), ["ab cdef", "gh"]);
        assert_eq!(rows[0].spans[1].content, "cdef");
        assert_eq!(rows[1].spans[0].style, Style::new().red());
    }
}
