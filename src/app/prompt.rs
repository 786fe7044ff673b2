//! The one-line prompt in the status bar: `/` regex search (smart case) and `f` filter
//! expressions, edited key by key and applied on Enter.

use regex::RegexBuilder;

use super::App;
use super::action::InputEdit;
use super::filter::Filter;

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
    /// The text so far.
    pub text: String,
}

impl App {
    pub(super) fn open_prompt(&mut self, kind: PromptKind) {
        let text = match kind {
            PromptKind::Search => self
                .search
                .as_ref()
                .map(|r| r.as_str().to_owned())
                .unwrap_or_default(),
            PromptKind::Filter => self.filter.text().to_owned(),
        };
        self.prompt = Some(Prompt { kind, text });
    }

    pub(super) fn edit_prompt(&mut self, edit: InputEdit) {
        let Some(p) = self.prompt.as_mut() else {
            return;
        };
        match edit {
            InputEdit::Char(c) => p.text.push(c),
            InputEdit::Backspace => {
                p.text.pop();
            }
            InputEdit::Clear => p.text.clear(),
            InputEdit::Cancel => self.prompt = None,
            InputEdit::Submit => {
                if let Some(p) = self.prompt.take() {
                    self.apply_prompt(p);
                }
            }
        }
    }

    fn apply_prompt(&mut self, p: Prompt) {
        match p.kind {
            PromptKind::Search if p.text.is_empty() => self.search = None,
            PromptKind::Search => {
                // Smart case: all lowercase searches ignore case.
                let lower = !p.text.chars().any(char::is_uppercase);
                match RegexBuilder::new(&p.text)
                    .case_insensitive(lower)
                    .size_limit(1 << 20)
                    .build()
                {
                    Ok(re) => {
                        self.search = Some(re);
                        if !self.row_matches(self.cursor().selected) {
                            self.jump_match(true);
                        }
                    }
                    Err(e) => {
                        let first = e.to_string().lines().last().unwrap_or("").to_owned();
                        self.status = Some(format!("bad regex '{}': {first}", p.text));
                    }
                }
            }
            PromptKind::Filter => match Filter::parse(&p.text) {
                Ok(f) => {
                    self.filter = f;
                    self.rebuild_rows();
                    self.status = Some(match self.filter.is_empty() {
                        true => "filter cleared".to_owned(),
                        false => format!("{} events match", self.events.rows.len()),
                    });
                }
                Err(e) => self.status = Some(format!("filter not applied: {e}")),
            },
        }
    }
}
