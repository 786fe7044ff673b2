//! OSC 8 hyperlinks on the knowledge-base pane's doc links: a terminal that knows them opens
//! the whole url from any of its cells, also where the pane is narrower than the url and wraps
//! it over several rows.
//!
//! Only our own content is linked: a url of a kb entry's `docs` (built-in or the user's kb
//! files), never text from the log. It must be `http://` or `https://` followed by a host, at
//! most [`MAX_URL`] bytes of printable ASCII (no space, control character, ESC, BEL or DEL:
//! nothing that could end the sequence early or start another); anything else is drawn as
//! plain text, made inert as every string is. Whether links are written at all is
//! `AppOptions::hyperlinks` (`--hyperlinks`, decided in `cli`).
//!
//! How: ratatui's buffer holds one symbol per cell. Each cell of a link's text gets the symbol
//! `ESC ]8;id=…;URL ESC \` + its character + `ESC ]8;; ESC \` and is marked
//! `CellDiffOption::ForcedWidth(1)`, so the buffer diff and the backend count it one column wide
//! (the escape's own bytes would otherwise count as columns: ratatui issue 902, and ratatui's
//! `hyperlink` example). One link per cell rather than per run of cells: a later frame rewrites
//! only the cells that changed, and each must stand alone. The `id` (a hash of the url) lets a
//! terminal underline every row of a wrapped url together on hover.

use ratatui::buffer::{Buffer, CellDiffOption};
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

/// Longest url linked (VTE and iTerm2 ignore longer ones; a doc link is far shorter).
pub const MAX_URL: usize = 2048;

/// A doc link among a pane's lines: line `line` is the url, alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// Index of the url's line in the pane's lines.
    pub line: usize,
    /// The url, as [`target`] accepted it.
    pub url: String,
}

/// `s` when it may be written inside an OSC 8 sequence: an http(s) url with a host, printable
/// ASCII only, at most [`MAX_URL`] bytes.
pub fn target(s: &str) -> Option<&str> {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))?;
    let printable = s.bytes().all(|b| (0x21..=0x7e).contains(&b));
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    (printable && !host.is_empty() && s.len() <= MAX_URL).then_some(s)
}

/// The cell symbol that shows `ch` as part of a link to `url` (already checked by [`target`]).
fn linked(ch: &str, url: &str) -> String {
    format!("\x1b]8;id=bk{:x};{url}\x1b\\{ch}\x1b]8;;\x1b\\", fnv(url))
}

/// FNV-1a: a stable id per url, the same on every frame.
fn fnv(s: &str) -> u32 {
    s.bytes().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// Turns the cells showing each link's url into links. `lines` were drawn wrapped into `inner`
/// and scrolled down `scroll` rows; a link's rows are found by wrapping the lines before it
/// alike. A cell is linked only where it shows the url's character expected there, so a
/// layout this does not foresee leaves text unlinked rather than linking the wrong cells.
pub fn apply(buf: &mut Buffer, inner: Rect, lines: &[Line<'_>], links: &[Link], scroll: u16) {
    let width = usize::from(inner.width);
    if width == 0 || links.is_empty() {
        return;
    }
    let rows_of = |l: &Line<'_>| {
        Paragraph::new(l.clone())
            .wrap(Wrap { trim: false })
            .line_count(inner.width)
    };
    let (mut row, mut next) = (0_usize, 0_usize);
    for link in links {
        let Some(url) = target(&link.url) else {
            continue;
        };
        while next < link.line && next < lines.len() {
            row += rows_of(&lines[next]);
            next += 1;
        }
        // The url wraps at the pane's edge: it has no space to break at.
        for (k, piece) in url.as_bytes().chunks(width).enumerate() {
            let Some(y) = (row + k).checked_sub(usize::from(scroll)) else {
                continue;
            };
            if y >= usize::from(inner.height) {
                break;
            }
            let y = inner.y + y as u16;
            for (i, &b) in piece.iter().enumerate() {
                let ch = char::from(b).to_string();
                let Some(cell) = buf.cell_mut((inner.x + i as u16, y)) else {
                    continue;
                };
                if cell.symbol() == ch {
                    cell.set_symbol(&linked(&ch, url));
                    cell.diff_option = CellDiffOption::ForcedWidth(std::num::NonZeroU16::MIN);
                }
            }
        }
    }
}

/// The text a terminal shows for `symbol`: OSC 8 sequences taken out (tests compare screens
/// with links on and off by it).
#[cfg(test)]
pub(crate) fn shown(symbol: &str) -> String {
    let mut out = String::new();
    let mut rest = symbol;
    while let Some(i) = rest.find("\x1b]8;") {
        out.push_str(&rest[..i]);
        rest = rest[i..].find("\x1b\\").map_or("", |j| &rest[i + j + 2..]);
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_http_urls_are_linked() {
        let ok = "https://docs.docker.com/build/buildkit/configure/#registry-mirror";
        assert_eq!(target(ok), Some(ok));
        assert_eq!(
            target("http://127.0.0.1:5000/v2/"),
            Some("http://127.0.0.1:5000/v2/")
        );
        for bad in [
            "https://evil.example/\x1b]8;;https://other.example\x1b\\",
            "https://evil.example/\x07x",
            "https://evil.example/\x1b[2J",
            "https://evil.example/a b",
            "https://evil.example/\u{9b}",
            "https://evil.example/\u{202e}",
            "https://evil.example/\x7f",
            "https://",
            "https:///path",
            "javascript:alert(1)",
            "file:///etc/passwd",
            "ftp://example.com/",
            "see https://docs.docker.com/",
            "HTTPS://docs.docker.com/",
        ] {
            assert_eq!(target(bad), None, "{bad:?}");
        }
        let long = format!("https://a.example/{}", "x".repeat(MAX_URL));
        assert_eq!(target(&long), None);
    }

    #[test]
    fn a_cell_keeps_its_character_inside_the_link() {
        let s = linked("h", "https://a.example/");
        assert!(s.starts_with("\x1b]8;id=bk"));
        assert!(s.ends_with(";https://a.example/\x1b\\h\x1b]8;;\x1b\\"));
        assert_eq!(shown(&s), "h");
        assert_eq!(shown("plain"), "plain");
    }

    /// Two rows of a url wider than the pane, the second scrolled to the top: every cell of
    /// both carries the whole url, one column wide each; the text before it is left alone.
    #[test]
    fn a_wrapped_url_is_one_link_on_every_row() {
        let url = "https://docs.docker.com/build/buildkit/configure/#registry-mirror";
        let lines = vec![Line::raw("Docs"), Line::raw(url)];
        let links = [Link {
            line: 1,
            url: url.to_owned(),
        }];
        let area = Rect::new(0, 0, 50, 3);
        let draw = |scroll: u16| {
            let mut buf = Buffer::empty(area);
            ratatui::widgets::Widget::render(
                Paragraph::new(lines.clone())
                    .wrap(Wrap { trim: false })
                    .scroll((scroll, 0)),
                area,
                &mut buf,
            );
            apply(&mut buf, area, &lines, &links, scroll);
            buf
        };
        let buf = draw(0);
        let row = |buf: &Buffer, y: u16| -> String {
            (0..50).map(|x| shown(buf[(x, y)].symbol())).collect()
        };
        assert_eq!(row(&buf, 0).trim_end(), "Docs");
        assert_eq!(buf[(0, 0)].symbol(), "D");
        assert_eq!(row(&buf, 1), &url[..50]);
        assert_eq!(row(&buf, 2).trim_end(), &url[50..]);
        for (x, y) in [(0, 1), (49, 1), (0, 2), (14, 2)] {
            let c = &buf[(x, y)];
            assert!(c.symbol().contains(&format!(";{url}\x1b\\")), "({x},{y})");
            assert_eq!(
                c.diff_option,
                CellDiffOption::ForcedWidth(std::num::NonZeroU16::MIN)
            );
        }
        assert_eq!(buf[(15, 2)].symbol(), " ", "past the url's end");
        let scrolled = draw(2);
        assert_eq!(row(&scrolled, 0).trim_end(), &url[50..]);
        assert!(scrolled[(0, 0)].symbol().contains(url));
        assert_eq!(scrolled[(0, 1)].symbol(), " ");
    }
}
