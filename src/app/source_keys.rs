//! The keys that act on sources: the builder picker (which running builder to follow, when
//! several are) and `r`, restarting a `docker logs` source.

use super::action::Action;
use super::{App, Effect};

impl App {
    /// The builder picker takes the keys while it is open; true when the action was its.
    pub(super) fn pick(&mut self, action: &Action) -> bool {
        let Some(p) = self.picker.as_mut() else {
            return false;
        };
        match action {
            Action::SelectNext => p.cursor = (p.cursor + 1).min(p.names.len().saturating_sub(1)),
            Action::SelectPrev => p.cursor = p.cursor.saturating_sub(1),
            Action::Open => {
                let (name, tail) = (p.names.get(p.cursor).cloned(), p.tail);
                self.picker = None;
                if let Some(name) = name {
                    let spec = crate::source::SourceSpec::Container { name, tail };
                    let source = self.add_source(&spec);
                    self.effects.push(Effect::Start { source, spec });
                }
            }
            Action::Back | Action::Quit => {
                self.picker = None;
                if *action == Action::Quit || self.sources.is_empty() {
                    self.quit = true;
                }
            }
            a if !a.is_input() => return false,
            _ => {}
        }
        true
    }

    /// `r`: restarts the selected row's source when it is a `docker logs` one, else the first
    /// such source; says so when there is none.
    pub(super) fn restart(&mut self) {
        let source = self
            .selected_event()
            .map(|e| e.source)
            .or_else(|| self.selected_line().map(|l| l.source));
        let pick = source
            .filter(|&s| self.sources.get(s as usize).is_some_and(|i| i.restartable))
            .or_else(|| {
                self.sources
                    .iter()
                    .position(|s| s.restartable)
                    .and_then(|i| u32::try_from(i).ok())
            });
        match pick {
            Some(s) => self.effects.push(Effect::Restart(s)),
            None => self.say("no docker logs source to restart"),
        }
    }
}
