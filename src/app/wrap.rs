//! Wrapping text to a width, known before anything is drawn: how many screen rows a wrapped
//! line takes, and where each of its rows starts. The Raw view with `w` on and the Mirrors
//! view's evidence scroll by screen rows with it, and draw the rows it cuts.
//!
//! A row breaks after the last space that fits (spaces past the edge hang there), or beside a wide (CJK) character, which
//! Chinese and Japanese text breaks at since it has no spaces; else inside the word (a url or a
//! digest longer than the row). Widths are terminal columns (a CJK character takes two).

use std::borrow::Cow;

use unicode_width::UnicodeWidthChar;

use super::App;
use super::lines::RawLine;

/// Columns `s` takes on a terminal.
pub fn width(s: &str) -> usize {
    s.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// `s` without its first `cols` screen columns (the Raw view scrolled sideways). A wide
/// character the edge cuts in two goes whole.
pub fn skip(s: &str, cols: usize) -> &str {
    let mut seen = 0;
    for (i, c) in s.char_indices() {
        if seen >= cols {
            return &s[i..];
        }
        seen += c.width().unwrap_or(0);
    }
    ""
}

/// The rows of `text` in a box `first` columns wide on its first row and `rest` on the others
/// (a hanging indent). Every row holds at least one character, so a width of 0 still ends; the
/// spaces a row ends with may pass its width (they draw nothing).
pub fn rows(text: &str, first: usize, rest: usize) -> Rows<'_> {
    Rows {
        text,
        at: 0,
        width: first.max(1),
        rest: rest.max(1),
        started: false,
        parts: false,
    }
}

/// [`rows`], but a word longer than the row breaks after its last `/` that fits, else after
/// its last `-`, before it breaks inside a part: a knowledge-base id keeps its name whole
/// (`registry/` then `manifest-not-found`, not `registry/manifest-not-fo` then `und`), a url
/// its path's segments.
pub fn rows_keeping_parts(text: &str, first: usize, rest: usize) -> Rows<'_> {
    Rows {
        parts: true,
        ..rows(text, first, rest)
    }
}

/// How many rows [`rows`] cuts `text` into (at least one).
pub fn count(text: &str, first: usize, rest: usize) -> usize {
    rows(text, first, rest).count().max(1)
}

/// The rows of a wrapped text, in order (see [`rows`]).
#[derive(Debug, Clone)]
pub struct Rows<'a> {
    text: &'a str,
    at: usize,
    width: usize,
    rest: usize,
    started: bool,
    /// Break a long word after a `/` or `-` ([`rows_keeping_parts`]).
    parts: bool,
}

impl<'a> Iterator for Rows<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let left = self.text.get(self.at..)?;
        if left.is_empty() && self.started {
            return None;
        }
        let width = if self.started { self.rest } else { self.width };
        self.started = true;
        let mut used = 0;
        let mut end = left.len();
        // The last place the row may end at: after a space, or beside a wide character.
        let mut brk = None;
        // Where a word too long for the row may break ([`rows_keeping_parts`]).
        let (mut slash, mut dash) = (None, None);
        let mut prev = None;
        for (i, c) in left.char_indices() {
            let w = c.width().unwrap_or(0);
            if i > 0 && may_break_between(prev, c, w) {
                brk = Some(i);
            }
            if self.parts {
                match prev {
                    Some(('/', _)) if c != '/' => slash = Some(i),
                    Some(('-', _)) => dash = Some(i),
                    _ => {}
                }
            }
            if used + w > width && i > 0 {
                // Spaces past the edge hang there (nothing to see): the word before them stays.
                end = if c == ' ' {
                    i + left[i..].len() - left[i..].trim_start_matches(' ').len()
                } else {
                    brk.or(slash).or(dash).unwrap_or(i)
                };
                break;
            }
            used += w;
            prev = Some((c, w));
        }
        let row = &left[..end];
        self.at += end;
        Some(row)
    }
}

/// CJK punctuation a row does not start with (`，` `。` `）` …): it belongs to the text before.
const NO_ROW_START: &str = "，。、；：！？）」』】》〉％";

/// CJK punctuation a row does not end with (`（` `「` …): it belongs to the text after.
const NO_ROW_END: &str = "（「『【《〈";

/// Whether a row may end between `prev` and `c` (`w` columns wide): after a space, before or
/// after a wide character, except where that would leave CJK punctuation on the wrong row.
fn may_break_between(prev: Option<(char, usize)>, c: char, w: usize) -> bool {
    let Some((p, pw)) = prev else { return false };
    if p == ' ' {
        return true;
    }
    (pw > 1 || w > 1) && c != ' ' && !NO_ROW_START.contains(c) && !NO_ROW_END.contains(p)
}

/// How a raw line is laid out when wrapped: its number column, then the text from column
/// `indent` on every row (and after a `[cut] ` mark on the first row of a line cut at the cap).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawShape {
    /// Text columns on the first row.
    pub first: usize,
    /// Text columns on the other rows.
    pub rest: usize,
    /// Blank columns in front of the other rows (the number column's width).
    pub indent: usize,
}

/// The mark in front of a line cut at the line cap.
pub const CUT_MARK: &str = "[cut] ";

/// The mark after the number of the first line of new content (`App::starts_again`): one
/// column, as the space it replaces.
pub const RESET_MARK: char = '↺';

impl RawShape {
    /// The shape in a list `width` columns wide, for a number column `number` wide.
    pub fn new(width: usize, number: usize, cut: bool) -> RawShape {
        // On a terminal too narrow for the number column the text still gets half the row.
        let indent = number.min(width / 2);
        let mark = if cut { CUT_MARK.len() } else { 0 };
        RawShape {
            first: width.saturating_sub(indent + mark),
            rest: width.saturating_sub(indent),
            indent,
        }
    }
}

impl App {
    /// The number column of a raw line: `   184 `, or `1:  184 ` when several sources are read;
    /// `   184↺` when the line starts new content ([`RESET_MARK`]).
    pub fn raw_number(&self, l: &RawLine<'_>) -> String {
        // The first line of new content (a truncated or rotated file, a restarted `docker
        // logs`) has `↺` after its number, in the column the space takes: nothing moves.
        let seam = if self.starts_again(l.source, l.number) {
            RESET_MARK
        } else {
            ' '
        };
        let mut num = if self.sources.len() > 1 {
            // The index padded to the widest (` 9:` above `10:`): the text column stays put.
            let w = (self.sources.len() - 1).to_string().len();
            format!("{:>w$}:{:>5}{seam}", l.source, l.number)
        } else {
            format!("{:>6}{seam}", l.number)
        };
        if self.trace_filter.is_some() {
            // Following one trace (`t`): which span each line is in, in a column of its own
            // (the id is at the far end of a logrus line, off screen).
            let text = l.text();
            let span = super::traces::span_in_line(&text).unwrap_or("-");
            num.push_str(&format!("{span:<16} "));
        }
        num
    }

    /// A raw line's text as the Raw view shows it: redacted and inert.
    pub fn raw_shown<'a>(l: &'a RawLine<'_>) -> Cow<'a, str> {
        match l.text() {
            Cow::Borrowed(t) => crate::model::sanitize::inert(t),
            Cow::Owned(t) => Cow::Owned(crate::model::sanitize::inert(&t).into_owned()),
        }
    }

    /// Screen rows row `row` of the Raw view takes in a list `width` columns wide: 1 unless
    /// wrapping is on.
    pub fn raw_height(&self, row: usize, width: usize) -> usize {
        if !self.wrap {
            return 1;
        }
        let Some(l) = self.raw_rows.get(row).and_then(|seq| self.lines.get(seq)) else {
            return 1;
        };
        let shape = RawShape::new(width, self::width(&self.raw_number(&l)), l.truncated);
        count(&App::raw_shown(&l), shape.first, shape.rest)
    }

    /// The Raw view's first visible row for a list `width` × `height` (wrapped heights when
    /// wrapping is on).
    pub fn raw_offset(&self, width: usize, height: usize) -> usize {
        let len = self.raw_rows.len();
        if self.wrap {
            self.raw_cursor
                .visible_offset_by(len, height, |i| self.raw_height(i, width))
        } else {
            self.raw_cursor.visible_offset(len, height)
        }
    }

    /// After a move in the wrapped Raw view: the stored first row is the one drawn, so the
    /// next move scrolls from what the user sees.
    pub(super) fn settle_raw_wrap(&mut self) {
        if self.wrap && self.view == super::View::Raw {
            let (w, h) = (
                usize::from(self.list_area.width),
                usize::from(self.list_area.height),
            );
            self.raw_cursor.offset = self.raw_offset(w, h);
        }
    }

    /// The row a page move in the wrapped Raw view lands on: the rows that fill one screen
    /// past the selection (`forward`) or before it.
    pub(super) fn raw_page_target(&self, forward: bool) -> usize {
        let (w, page) = (
            usize::from(self.list_area.width),
            usize::from(self.list_area.height.max(1)),
        );
        let len = self.raw_rows.len();
        let sel = self.raw_cursor.selected.min(len.saturating_sub(1));
        let mut used = 0;
        let mut at = sel;
        loop {
            let next = if forward {
                if at + 1 >= len {
                    break;
                }
                at + 1
            } else {
                let Some(n) = at.checked_sub(1) else { break };
                n
            };
            used += self.raw_height(next, w);
            if used > page && at != sel {
                break;
            }
            at = next;
            if used >= page {
                break;
            }
        }
        at
    }

    /// The Raw view's row drawn at screen row `y` of the list (wrapped heights counted).
    pub(super) fn raw_row_at(&self, y: usize) -> usize {
        let (w, h) = (
            usize::from(self.list_area.width),
            usize::from(self.list_area.height),
        );
        let mut row = self.raw_offset(w, h);
        let mut top = 0;
        while row + 1 < self.raw_rows.len() {
            let next = top + self.raw_height(row, w);
            if y < next {
                break;
            }
            top = next;
            row += 1;
        }
        row
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_break_after_spaces_and_inside_long_words() {
        let r: Vec<&str> = rows("abc def ghi", 6, 6).collect();
        assert_eq!(r, ["abc ", "def ", "ghi"]);
        let r: Vec<&str> = rows("abc def ghi", 7, 7).collect();
        assert_eq!(
            r,
            ["abc def ", "ghi"],
            "a space just past the edge hangs there"
        );
        let r: Vec<&str> = rows("a bcdefghij", 4, 4).collect();
        assert_eq!(r, ["a ", "bcde", "fghi", "j"]);
        let r: Vec<&str> = rows("abc  def", 3, 3).collect();
        assert_eq!(
            r,
            ["abc  ", "def"],
            "the spaces at the edge stay on the row"
        );
        let r: Vec<&str> = rows("abcdefghij", 4, 3).collect();
        assert_eq!(r, ["abcd", "efg", "hij"]);
        assert_eq!(count("", 5, 5), 1);
        assert_eq!(
            count("abc", 0, 0),
            3,
            "a row of width 0 still takes a character"
        );
        // Wide characters take two columns.
        let r: Vec<&str> = rows("漢字漢字", 4, 4).collect();
        assert_eq!(r, ["漢字", "漢字"]);
        assert_eq!(width("漢x"), 3);
    }

    #[test]
    fn rows_break_beside_wide_characters_but_not_before_closing_punctuation() {
        // No space in CJK text: a row ends between two characters, not at the last space.
        let r: Vec<&str> = rows("1. 在运行构建", 8, 8).collect();
        assert_eq!(r, ["1. 在运", "行构建"]);
        // Latin words beside CJK still break at their spaces or at the CJK character.
        let r: Vec<&str> = rows("用 docker login 登录", 10, 10).collect();
        assert_eq!(r, ["用 docker ", "login 登录"]);
        let r: Vec<&str> = rows("读取docker配置", 8, 8).collect();
        assert_eq!(r, ["读取", "docker配", "置"]);
        // `，` stays with the character before it, `（` with the one after.
        let r: Vec<&str> = rows("仓库，令牌", 4, 4).collect();
        assert_eq!(r, ["仓", "库，", "令牌"]);
        let r: Vec<&str> = rows("凭据（令", 6, 6).collect();
        assert_eq!(r, ["凭据", "（令"]);
        // A wide character never sticks out of the row.
        for row in rows("abc漢字漢字", 4, 4) {
            assert!(width(row) <= 4, "{row:?}");
        }
    }

    #[test]
    fn a_long_word_keeping_parts_breaks_after_a_slash_then_a_dash() {
        let id = "registry/manifest-not-found";
        // The KB pane at 60 columns: 23 inside its border.
        let r: Vec<&str> = rows(id, 23, 23).collect();
        assert_eq!(r, ["registry/manifest-not-f", "ound"]);
        let r: Vec<&str> = rows_keeping_parts(id, 23, 23).collect();
        assert_eq!(r, ["registry/", "manifest-not-found"]);
        // A space before the word still comes first; a name longer than the row breaks after
        // its last `-` that fits; a part longer than the row, inside it.
        let r: Vec<&str> = rows_keeping_parts("see registry/manifest-not-found", 12, 12).collect();
        assert_eq!(r, ["see ", "registry/", "manifest-", "not-found"]);
        let r: Vec<&str> = rows_keeping_parts("abcdefghij/x", 4, 4).collect();
        assert_eq!(r, ["abcd", "efgh", "ij/x"]);
        // `//` stays whole.
        let r: Vec<&str> = rows_keeping_parts("http://host/v2/x", 9, 9).collect();
        assert_eq!(r, ["http://", "host/v2/x"]);
    }

    #[test]
    fn a_hanging_indent_keeps_the_number_column() {
        let s = RawShape::new(80, 7, false);
        assert_eq!((s.first, s.rest, s.indent), (73, 73, 7));
        let s = RawShape::new(80, 7, true);
        assert_eq!((s.first, s.rest), (67, 73));
        let s = RawShape::new(6, 7, false);
        assert_eq!((s.first, s.rest, s.indent), (3, 3, 3));
    }
}
