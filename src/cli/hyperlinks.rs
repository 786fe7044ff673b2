//! `--hyperlinks`: whether the explorer writes the knowledge-base pane's doc links as OSC 8
//! hyperlinks (`ui::hyperlink`), and how `auto` judges the terminal from the environment that
//! `main.rs` reads.
//!
//! `auto` is on only where the terminal is known to show OSC 8, as `ls --hyperlink=auto`'s and
//! cargo's detection (the `supports-hyperlinks` crate) judge it: most others ignore the
//! sequence, but some (the Linux console, older terminals) print it, and in a full-screen view
//! that would shift every row. Inside tmux or screen `TERM_PROGRAM` names the multiplexer, so
//! `auto` is off there (tmux before 3.4 drops the links; 3.4 passes them on with its
//! `hyperlinks` terminal feature): `--hyperlinks always` turns them on, `FORCE_HYPERLINK=1`
//! (or `0`) decides `auto` either way.

use clap::ValueEnum;

/// `--hyperlinks`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HyperlinksWhen {
    /// Where the terminal is known to show them.
    Auto,
    /// Always write them.
    Always,
    /// Never write them.
    Never,
}

impl HyperlinksWhen {
    /// True when links are written, `known` being whether the terminal is known to show them.
    pub fn enabled(self, known: bool) -> bool {
        match self {
            HyperlinksWhen::Auto => known,
            HyperlinksWhen::Always => true,
            HyperlinksWhen::Never => false,
        }
    }
}

/// `TERM_PROGRAM` values of terminals that show OSC 8 links.
const PROGRAMS: &[&str] = &[
    "Hyper",
    "iTerm.app",
    "terminology",
    "WezTerm",
    "vscode",
    "ghostty",
];

/// `TERM` values of terminals that show OSC 8 links.
const TERMS: &[&str] = &[
    "xterm-kitty",
    "alacritty",
    "alacritty-direct",
    "xterm-ghostty",
    "foot",
    "foot-extra",
];

/// True when the environment (`var` reads a variable, `None` when unset) names a terminal
/// known to show OSC 8 hyperlinks; `FORCE_HYPERLINK` decides first.
pub fn known(var: impl Fn(&str) -> Option<String>) -> bool {
    let set = |k: &str| var(k).filter(|v| !v.is_empty());
    if let Some(force) = set("FORCE_HYPERLINK") {
        return force != "0";
    }
    if set("DOMTERM").is_some() || set("WT_SESSION").is_some() || set("KONSOLE_VERSION").is_some() {
        return true;
    }
    // VTE (GNOME Terminal, Tilix, …) since 0.50.0, which writes it 5000.
    if set("VTE_VERSION").and_then(|v| v.parse::<u32>().ok()) >= Some(5000) {
        return true;
    }
    set("TERM_PROGRAM").is_some_and(|p| PROGRAMS.contains(&p.as_str()))
        || set("TERM").is_some_and(|t| TERMS.contains(&t.as_str()))
        || set("COLORTERM").is_some_and(|c| c == "xfce4-terminal")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            vars.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn auto_is_on_only_in_terminals_known_to_show_links() {
        assert!(!known(env(&[])));
        assert!(!known(env(&[("TERM", "linux")])));
        assert!(!known(env(&[
            ("TERM", "tmux-256color"),
            ("TERM_PROGRAM", "tmux")
        ])));
        assert!(!known(env(&[
            ("TERM", "xterm-256color"),
            ("VTE_VERSION", "4803")
        ])));
        assert!(known(env(&[
            ("TERM", "xterm-256color"),
            ("VTE_VERSION", "7600")
        ])));
        assert!(known(env(&[("TERM", "xterm-kitty")])));
        assert!(known(env(&[("TERM_PROGRAM", "iTerm.app")])));
        assert!(known(env(&[("WT_SESSION", "e0f1…")])));
        assert!(known(env(&[
            ("TERM_PROGRAM", "tmux"),
            ("FORCE_HYPERLINK", "1")
        ])));
        assert!(!known(env(&[
            ("TERM", "xterm-kitty"),
            ("FORCE_HYPERLINK", "0")
        ])));
        assert!(known(env(&[
            ("TERM", "xterm-kitty"),
            ("FORCE_HYPERLINK", "")
        ])));
    }

    #[test]
    fn the_flag_overrides_what_auto_would_judge() {
        assert!(HyperlinksWhen::Always.enabled(false));
        assert!(!HyperlinksWhen::Never.enabled(true));
        assert!(HyperlinksWhen::Auto.enabled(true));
        assert!(!HyperlinksWhen::Auto.enabled(false));
    }
}
