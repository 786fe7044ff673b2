//! Broken user files (a theme, the keymap, kb entries) in one wording: the line a headless
//! command prints on stderr and the line the explorer keeps above its status bar (and prints on
//! stderr before it starts) come from these functions, so both say what really happens ("the
//! file is skipped; a built-in entry it would replace stays in use", "skipped, not opened").

use std::fmt::Display;

use crate::app::keymap::KeymapError;
use crate::kb::KbError;

/// A theme problem: the built-in one is used in its place.
pub fn fallback_line(problem: &impl Display) -> String {
    format!("{problem} (using the built-in defaults for it)")
}

/// A problem of the user's kb directory, with what [`crate::kb::KnowledgeBase::load`] does
/// about it ([`KbError::consequence`]).
pub fn kb_line(problem: &KbError) -> String {
    format!("{problem} ({})", problem.consequence())
}

/// One problem of the user's keymap file, with what is done about it (a line or a key
/// skipped, which binding wins a clash, the built-in keymap for a file that is not YAML).
pub fn keymap_line(problem: &KeymapError) -> String {
    format!("{problem} ({})", problem.consequence)
}

/// Prints lines made by [`fallback_line`], [`keymap_line`] or [`kb_line`] on stderr, made inert (a file name
/// or a YAML message may carry escapes).
pub fn report(lines: &[String]) {
    for line in lines {
        eprintln!("bkscope: {}", crate::model::sanitize::inert(line));
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    /// The explorer's list and stderr read the same: the kb loader's own wording.
    #[test]
    fn a_kb_problem_says_what_the_loader_does() {
        let fifo = KbError::NotAFile {
            path: PathBuf::from("cfg/kb/fifo.yaml"),
        };
        assert_eq!(
            kb_line(&fifo),
            "'cfg/kb/fifo.yaml' is not a regular file (skipped, not opened)"
        );
        assert_eq!(
            fallback_line(&"cfg/themes/mine.yaml:2:7: base 'darkG': unknown theme 'darkG'"),
            "cfg/themes/mine.yaml:2:7: base 'darkG': unknown theme 'darkG' (using the built-in \
defaults for it)"
        );
        let (_, problems) = crate::app::keymap::Keymap::from_sources(Some((
            std::path::Path::new("cfg/keymap.yaml"),
            "quit: [q]\nfly_away: [z]\n",
        )));
        let lines: Vec<String> = problems.iter().map(keymap_line).collect();
        assert_eq!(
            lines,
            [
                "cfg/keymap.yaml:2:1: unknown action 'fly_away'; the action names: README section \
'Keymap: the action names' (line skipped; the file's other lines apply)"
            ]
        );
    }
}
