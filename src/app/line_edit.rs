//! A one-line text editor with a cursor, as readline edits: move by character or to either
//! end, delete before or after the cursor, the word before it, or everything to one end. Pure
//! state: which key does what is [`super::prompt`]'s, drawing is the ui's.

/// The text and where the cursor is in it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineEdit {
    text: String,
    /// Byte offset into `text`, always on a character boundary.
    cursor: usize,
}

impl LineEdit {
    /// `text` with the cursor at its end.
    pub fn new(text: impl Into<String>) -> LineEdit {
        let text = text.into();
        LineEdit {
            cursor: text.len(),
            text,
        }
    }

    /// The whole text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text before the cursor.
    pub fn before(&self) -> &str {
        &self.text[..self.cursor]
    }

    /// The text from the cursor on.
    pub fn after(&self) -> &str {
        &self.text[self.cursor..]
    }

    /// Inserts `c` at the cursor and moves past it. Control characters are not text here.
    pub fn insert(&mut self, c: char) {
        if c.is_control() {
            return;
        }
        self.text.insert(self.cursor, c);
        self.cursor += c.len_utf8();
    }

    /// One character left.
    pub fn left(&mut self) {
        self.cursor = self.prev_boundary();
    }

    /// One character right.
    pub fn right(&mut self) {
        self.cursor = self.next_boundary();
    }

    /// To the start (Home, Ctrl-A).
    pub fn home(&mut self) {
        self.cursor = 0;
    }

    /// To the end (End, Ctrl-E).
    pub fn end(&mut self) {
        self.cursor = self.text.len();
    }

    /// Deletes the character before the cursor (Backspace, Ctrl-H).
    pub fn delete_back(&mut self) {
        let from = self.prev_boundary();
        self.text.replace_range(from..self.cursor, "");
        self.cursor = from;
    }

    /// Deletes the character under the cursor (Delete, Ctrl-D).
    pub fn delete_forward(&mut self) {
        let to = self.next_boundary();
        self.text.replace_range(self.cursor..to, "");
    }

    /// Deletes the word before the cursor and the spaces after it (Ctrl-W: readline's
    /// unix-word-rubout, words end at whitespace).
    pub fn delete_word_back(&mut self) {
        let before = self.before();
        let word_end = before.trim_end().len();
        let from = before[..word_end]
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map_or(0, |(i, c)| i + c.len_utf8());
        self.text.replace_range(from..self.cursor, "");
        self.cursor = from;
    }

    /// Deletes everything before the cursor (Ctrl-U).
    pub fn delete_to_start(&mut self) {
        self.text.replace_range(..self.cursor, "");
        self.cursor = 0;
    }

    /// Deletes everything from the cursor on (Ctrl-K).
    pub fn delete_to_end(&mut self) {
        self.text.truncate(self.cursor);
    }

    fn prev_boundary(&self) -> usize {
        self.before()
            .char_indices()
            .next_back()
            .map_or(0, |(i, _)| i)
    }

    fn next_boundary(&self) -> usize {
        self.after()
            .chars()
            .next()
            .map_or(self.cursor, |c| self.cursor + c.len_utf8())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text with `|` at the cursor.
    fn shown(e: &LineEdit) -> String {
        format!("{}|{}", e.before(), e.after())
    }

    #[test]
    fn inserts_at_the_cursor_and_moves_by_character() {
        let mut e = LineEdit::new("hst");
        e.left();
        e.left();
        e.insert('o');
        assert_eq!(shown(&e), "ho|st");
        e.home();
        e.left();
        assert_eq!(shown(&e), "|host");
        e.end();
        e.right();
        assert_eq!(shown(&e), "host|");
        // Multi-byte characters move as one.
        let mut e = LineEdit::new("é中x");
        e.left();
        e.left();
        assert_eq!(shown(&e), "é|中x");
        e.right();
        assert_eq!(shown(&e), "é中|x");
        // Control characters are not inserted.
        e.insert('\u{1b}');
        e.insert('\n');
        assert_eq!(e.text(), "é中x");
    }

    #[test]
    fn deletes_before_and_after_the_cursor() {
        let mut e = LineEdit::new("status>=400");
        e.home();
        e.delete_back();
        assert_eq!(shown(&e), "|status>=400");
        e.delete_forward();
        assert_eq!(shown(&e), "|tatus>=400");
        e.end();
        e.delete_forward();
        e.delete_back();
        assert_eq!(shown(&e), "tatus>=40|");
        let mut e = LineEdit::new("a中");
        e.delete_back();
        assert_eq!(shown(&e), "a|");
    }

    #[test]
    fn ctrl_w_u_k_delete_a_word_or_to_one_end() {
        let mut e = LineEdit::new("status>=400 host=ghcr.io  level>=info");
        for _ in 0.."level>=info".len() {
            e.left();
        }
        e.delete_word_back();
        assert_eq!(shown(&e), "status>=400 |level>=info");
        e.delete_word_back();
        assert_eq!(shown(&e), "|level>=info");
        e.delete_word_back();
        assert_eq!(shown(&e), "|level>=info");
        let mut e = LineEdit::new("one two");
        e.left();
        e.left();
        e.delete_to_end();
        assert_eq!(shown(&e), "one t|");
        e.left();
        e.delete_to_start();
        assert_eq!(shown(&e), "|t");
    }
}
