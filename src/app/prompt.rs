//! The one-line prompt in the status bar: `/` regex search (smart case) and `f` filter
//! expressions, edited readline-style ([`LineEdit`]) and applied on Enter. `/` opens empty (`n`
//! and `N` keep the last search); `f` opens on the filter in force, to edit it. Up and Down walk
//! back through what each prompt was given before. A text Enter cannot apply (a bad regex, a
//! filter that does not parse) leaves the prompt open with the text and says why beside it, as
//! lnav does: closing it sent the next keys, typed to fix the text, to the views as commands.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use regex::RegexBuilder;

use super::App;
use super::action::InputEdit;
use super::filter::Filter;
use super::line_edit::LineEdit;

/// Texts each prompt keeps for Up to bring back.
const HISTORY: usize = 100;

/// What the open prompt edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    /// `/` regex search.
    Search,
    /// `f` filter expression.
    Filter,
}

/// The one-line editor in the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    /// What it edits.
    pub kind: PromptKind,
    /// The text so far and the cursor.
    pub line: LineEdit,
    /// The history entry shown (0 is the newest), while Up/Down walk it.
    recalled: Option<usize>,
    /// What was typed before Up, for Down to come back to.
    draft: String,
    /// Why Enter could not apply the text, long and short (the bar shows the one that fits);
    /// shown until the next Enter or Esc.
    error: Option<(String, String)>,
}

impl Prompt {
    /// Why the last Enter could not apply the text: `(long, short)`.
    pub fn error(&self) -> Option<(&str, &str)> {
        self.error.as_ref().map(|(l, s)| (l.as_str(), s.as_str()))
    }
}

/// What each prompt was given, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PromptHistory {
    search: Vec<String>,
    filter: Vec<String>,
}

impl PromptHistory {
    fn of(&self, kind: PromptKind) -> &[String] {
        match kind {
            PromptKind::Search => &self.search,
            PromptKind::Filter => &self.filter,
        }
    }

    pub(super) fn push(&mut self, kind: PromptKind, text: &str) {
        let list = match kind {
            PromptKind::Search => &mut self.search,
            PromptKind::Filter => &mut self.filter,
        };
        if text.is_empty() || list.last().is_some_and(|l| l == text) {
            return;
        }
        list.retain(|l| l != text);
        list.push(text.to_owned());
        if list.len() > HISTORY {
            list.remove(0);
        }
    }
}

/// The edit a key makes while a prompt is open, readline-style; `None` for keys that do
/// nothing there. Only unmodified (or shifted) characters are text: no other Ctrl or Alt key
/// types a letter.
pub fn input_edit(key: &KeyEvent) -> Option<InputEdit> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let alt = key.modifiers.contains(KeyModifiers::ALT);
    Some(match key.code {
        KeyCode::Enter => InputEdit::Submit,
        KeyCode::Esc => InputEdit::Cancel,
        KeyCode::Left => InputEdit::Left,
        KeyCode::Right => InputEdit::Right,
        KeyCode::Home => InputEdit::Home,
        KeyCode::End => InputEdit::End,
        KeyCode::Up => InputEdit::Older,
        KeyCode::Down => InputEdit::Newer,
        KeyCode::Backspace if ctrl || alt => InputEdit::DeleteWord,
        KeyCode::Backspace => InputEdit::Backspace,
        KeyCode::Delete => InputEdit::Delete,
        KeyCode::Char(c) if ctrl && !alt => match c.to_ascii_lowercase() {
            'c' | 'g' => InputEdit::Cancel,
            'a' => InputEdit::Home,
            'e' => InputEdit::End,
            'b' => InputEdit::Left,
            'f' => InputEdit::Right,
            'h' => InputEdit::Backspace,
            'd' => InputEdit::Delete,
            'w' => InputEdit::DeleteWord,
            'u' => InputEdit::DeleteToStart,
            'k' => InputEdit::DeleteToEnd,
            'p' => InputEdit::Older,
            'n' => InputEdit::Newer,
            _ => return None,
        },
        KeyCode::Char(_) if ctrl || alt => return None,
        KeyCode::Char(c) => InputEdit::Char(c),
        _ => return None,
    })
}

impl App {
    pub(super) fn open_prompt(&mut self, kind: PromptKind) {
        // A new search starts empty (less, vim); the filter in force is there to be edited.
        let text = match kind {
            PromptKind::Search => String::new(),
            PromptKind::Filter => self.filter.text().to_owned(),
        };
        self.prompt = Some(Prompt {
            kind,
            line: LineEdit::new(text),
            recalled: None,
            draft: String::new(),
            error: None,
        });
    }

    pub(super) fn edit_prompt(&mut self, edit: InputEdit) {
        let Some(p) = self.prompt.as_mut() else {
            return;
        };
        let line = &mut p.line;
        match edit {
            InputEdit::Char(c) => line.insert(c),
            InputEdit::Left => line.left(),
            InputEdit::Right => line.right(),
            InputEdit::Home => line.home(),
            InputEdit::End => line.end(),
            InputEdit::Backspace => line.delete_back(),
            InputEdit::Delete => line.delete_forward(),
            InputEdit::DeleteWord => line.delete_word_back(),
            InputEdit::DeleteToStart => line.delete_to_start(),
            InputEdit::DeleteToEnd => line.delete_to_end(),
            InputEdit::Older => recall(p, self.prompt_history.of(p.kind), true),
            InputEdit::Newer => recall(p, self.prompt_history.of(p.kind), false),
            InputEdit::Cancel => self.prompt = None,
            InputEdit::Submit => {
                if let Some(mut p) = self.prompt.take() {
                    self.prompt_history.push(p.kind, p.line.text());
                    if let Err(why) = self.apply_prompt(p.kind, p.line.text()) {
                        p.error = Some(why);
                        p.recalled = None;
                        self.prompt = Some(p);
                    }
                }
            }
        }
    }

    /// Applies `text` as the prompt `kind` asks; `Err((long, short))` says why it cannot.
    fn apply_prompt(&mut self, kind: PromptKind, text: &str) -> Result<(), (String, String)> {
        match kind {
            PromptKind::Search if text.is_empty() => self.search = None,
            PromptKind::Search => {
                // Smart case: all lowercase searches ignore case.
                let lower = !text.chars().any(char::is_uppercase);
                match RegexBuilder::new(text)
                    .case_insensitive(lower)
                    .size_limit(1 << 20)
                    .build()
                {
                    Ok(re) => {
                        self.search = Some(re);
                        let at = self.cursor().selected;
                        if self.view == super::View::Raw {
                            if self.row_matches(at) {
                                // Counted in bounded steps: the Raw view can hold 600k lines.
                                self.start_match_count(at, None);
                            } else {
                                self.jump_match(true);
                            }
                        } else {
                            // One pass over the list (an open waterfall built once).
                            let rows = self.matching_rows();
                            if rows.binary_search(&at).is_ok() {
                                let nth = rows.iter().take_while(|&&r| r <= at).count();
                                self.say_match_position(nth, rows.len(), None);
                            } else {
                                self.jump_among(&rows, true);
                            }
                        }
                    }
                    Err(e) => {
                        let first = e.to_string().lines().last().unwrap_or("").to_owned();
                        let why = format!("bad regex: {first}");
                        return Err((why.clone(), why));
                    }
                }
            }
            PromptKind::Filter => match Filter::parse(text) {
                Ok(f) => {
                    self.filter = f;
                    self.rebuild_rows();
                    if self.filter.is_empty() {
                        self.say("filter cleared");
                    } else {
                        // Counted when drawn: the count grows with the log.
                        self.status = Some(super::Status::FilterMatches);
                    }
                }
                Err(e) => {
                    // The list of fields where it fits, else where to find it. The text is
                    // in the prompt beside it: the message need not quote it again.
                    // (`?` lists every field but `mirror=`: filter_forms.rs.)
                    let short = match e.split_once(FIELDS_LIST) {
                        Some((head, _)) => {
                            let field = head.split_once("' in '").map_or(head, |(f, _)| f);
                            let field = field.trim_end_matches('\'');
                            format!("{field}' (? lists the fields, and mirror=)")
                        }
                        None => without_term(&e),
                    };
                    return Err((e, short));
                }
            },
        }
        Ok(())
    }
}

/// A filter error without the ` in '<term>'` that quotes the term again (the prompt shows
/// it), so a narrow bar keeps what follows: `'time' needs a UTC time (13, 13:08, …)`.
fn without_term(e: &str) -> String {
    let Some(at) = e.find(" in '") else {
        return e.to_owned();
    };
    let rest = &e[at + " in '".len()..];
    match rest.find('\'') {
        Some(end) => format!("{}{}", &e[..at], &rest[end + 1..]),
        None => e.to_owned(),
    }
}

/// What starts the list of fields in an unknown field's message (filter.rs).
const FIELDS_LIST: &str = " (fields: ";

/// Up (`older`) or Down through the prompt's history: the next entry that differs from the
/// text shown; Down past the newest brings back what was typed.
fn recall(p: &mut Prompt, history: &[String], older: bool) {
    let newest_first = |i: usize| {
        history
            .len()
            .checked_sub(i + 1)
            .and_then(|j| history.get(j))
    };
    if older {
        let mut i = p.recalled.map_or(0, |r| r + 1);
        while let Some(text) = newest_first(i) {
            if text != p.line.text() {
                if p.recalled.is_none() {
                    p.draft = p.line.text().to_owned();
                }
                p.recalled = Some(i);
                p.line = LineEdit::new(text.clone());
                return;
            }
            i += 1;
        }
    } else {
        match p.recalled {
            None => {}
            Some(0) => {
                p.recalled = None;
                p.line = LineEdit::new(std::mem::take(&mut p.draft));
            }
            Some(i) => {
                p.recalled = Some(i - 1);
                if let Some(text) = newest_first(i - 1) {
                    p.line = LineEdit::new(text.clone());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, mods: KeyModifiers) -> Option<InputEdit> {
        input_edit(&KeyEvent::new(code, mods))
    }

    fn ctrl(c: char) -> Option<InputEdit> {
        key(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    #[test]
    fn readline_keys_edit_and_no_ctrl_or_alt_key_types_a_letter() {
        assert_eq!(ctrl('a'), Some(InputEdit::Home));
        assert_eq!(ctrl('e'), Some(InputEdit::End));
        assert_eq!(ctrl('b'), Some(InputEdit::Left));
        assert_eq!(ctrl('f'), Some(InputEdit::Right));
        assert_eq!(ctrl('h'), Some(InputEdit::Backspace));
        assert_eq!(ctrl('d'), Some(InputEdit::Delete));
        assert_eq!(ctrl('w'), Some(InputEdit::DeleteWord));
        assert_eq!(ctrl('u'), Some(InputEdit::DeleteToStart));
        assert_eq!(ctrl('k'), Some(InputEdit::DeleteToEnd));
        assert_eq!(ctrl('c'), Some(InputEdit::Cancel));
        let none = KeyModifiers::NONE;
        assert_eq!(key(KeyCode::Left, none), Some(InputEdit::Left));
        assert_eq!(key(KeyCode::Right, none), Some(InputEdit::Right));
        assert_eq!(key(KeyCode::Home, none), Some(InputEdit::Home));
        assert_eq!(key(KeyCode::End, none), Some(InputEdit::End));
        assert_eq!(key(KeyCode::Delete, none), Some(InputEdit::Delete));
        assert_eq!(key(KeyCode::Backspace, none), Some(InputEdit::Backspace));
        assert_eq!(
            key(KeyCode::Backspace, KeyModifiers::ALT),
            Some(InputEdit::DeleteWord)
        );
        assert_eq!(key(KeyCode::Up, none), Some(InputEdit::Older));
        assert_eq!(key(KeyCode::Down, none), Some(InputEdit::Newer));
        assert_eq!(key(KeyCode::Enter, none), Some(InputEdit::Submit));
        assert_eq!(key(KeyCode::Esc, none), Some(InputEdit::Cancel));
        // Typed text: plain and shifted characters only.
        assert_eq!(key(KeyCode::Char('a'), none), Some(InputEdit::Char('a')));
        assert_eq!(
            key(KeyCode::Char('A'), KeyModifiers::SHIFT),
            Some(InputEdit::Char('A'))
        );
        for c in ['x', 'j', 'z', 'o', ' '] {
            assert_eq!(ctrl(c), None, "ctrl-{c}");
        }
        for c in ['a', 'b', 'w', 'x'] {
            assert_eq!(key(KeyCode::Char(c), KeyModifiers::ALT), None, "alt-{c}");
        }
        assert_eq!(key(KeyCode::Tab, none), None);
        assert_eq!(key(KeyCode::F(1), none), None);
        let release = KeyEvent::new_with_kind(KeyCode::Char('a'), none, KeyEventKind::Release);
        assert_eq!(input_edit(&release), None);
    }

    #[test]
    fn history_keeps_the_newest_last_once() {
        let mut h = PromptHistory::default();
        for t in ["a", "b", "", "a", "a"] {
            h.push(PromptKind::Search, t);
        }
        assert_eq!(h.of(PromptKind::Search), ["b", "a"]);
        assert!(h.of(PromptKind::Filter).is_empty());
        for i in 0..(HISTORY + 5) {
            h.push(PromptKind::Filter, &i.to_string());
        }
        assert_eq!(h.of(PromptKind::Filter).len(), HISTORY);
        assert_eq!(
            h.of(PromptKind::Filter).last().map(String::as_str),
            Some("104")
        );
    }
}
