//! [`Theme`]: the styles every view draws with, from the built-in `themes/*.yaml` or a user's
//! file (`<config>/themes/<name>.yaml`, or a path). A user theme may name a `base:` and
//! override only some styles. A broken file is reported with file:line:column.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style};
use serde::{Deserialize, Deserializer};

/// Themes inside the binary; a name is a file stem in `themes/`.
pub const BUILTIN: &[(&str, &str)] = &[
    ("dark", include_str!("../../themes/dark.yaml")),
    ("light", include_str!("../../themes/light.yaml")),
    (
        "high-contrast",
        include_str!("../../themes/high-contrast.yaml"),
    ),
];

/// The theme used when none is named or the named one is broken.
pub const DEFAULT: &str = "dark";

/// Why a theme could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ThemeError {
    /// No user file and no built-in theme has this name.
    #[error("unknown theme '{name}'; themes: {available}")]
    Unknown {
        /// The name asked for.
        name: String,
        /// The names that exist.
        available: String,
    },
    /// The file could not be read.
    #[error("cannot read theme '{}': {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not a valid theme.
    #[error("{}:{line}:{column}: {message}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// The `base:` a file names cannot be found, read or used.
    #[error("{}:{line}:{column}: base '{base}': {source}", path.display())]
    Base {
        /// The file that names the base.
        path: PathBuf,
        /// 1-based line of `base:`.
        line: usize,
        /// 1-based column of its value.
        column: usize,
        /// The name or path written there.
        base: String,
        /// Why it could not be loaded.
        source: Box<ThemeError>,
    },
    /// `base:` chains loop or run too deep.
    #[error(
        "{}: 'base' chain too deep (a theme file may not be its own base; a theme's own name \
         as its base means the built-in theme of that name)",
        path.display()
    )]
    BaseLoop {
        /// The file.
        path: PathBuf,
    },
}

/// A colour as written in a theme file (`red`, `light-blue`, `#ff8800`, `208`).
#[derive(Debug, Clone, Copy)]
struct ColorSpec(Color);

impl<'de> Deserialize<'de> for ColorSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Color::from_str(&s).map(ColorSpec).map_err(|_| {
            serde::de::Error::custom(format!(
                "unknown colour '{s}' (a name like red or light-blue, #rrggbb, or 0-255)"
            ))
        })
    }
}

/// A style as written in a theme file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct StyleSpec {
    fg: Option<ColorSpec>,
    bg: Option<ColorSpec>,
    #[serde(default)]
    bold: bool,
    #[serde(default)]
    dim: bool,
    #[serde(default)]
    italic: bool,
    #[serde(default)]
    underline: bool,
    #[serde(default)]
    reversed: bool,
}

impl StyleSpec {
    fn style(&self) -> Style {
        let mut s = Style::default();
        if let Some(c) = self.fg {
            s = s.fg(c.0);
        }
        if let Some(c) = self.bg {
            s = s.bg(c.0);
        }
        for (on, m) in [
            (self.bold, Modifier::BOLD),
            (self.dim, Modifier::DIM),
            (self.italic, Modifier::ITALIC),
            (self.underline, Modifier::UNDERLINED),
            (self.reversed, Modifier::REVERSED),
        ] {
            if on {
                s = s.add_modifier(m);
            }
        }
        s
    }
}

macro_rules! styles {
    ($($name:ident: $doc:literal,)*) => {
        /// Every style the views use.
        #[derive(Debug, Clone, PartialEq, Default)]
        pub struct Theme {
            /// The theme's name (file stem or path).
            pub name: String,
            $(#[doc = $doc] pub $name: Style,)*
        }

        #[derive(Debug, Default, Deserialize)]
        #[serde(deny_unknown_fields)]
        struct StylesFile {
            $($name: Option<StyleSpec>,)*
        }

        impl Theme {
            /// Calls `f` on every style.
            fn each_style(&mut self, mut f: impl FnMut(&mut Style)) {
                $(f(&mut self.$name);)*
            }
        }

        impl StylesFile {
            fn apply(&self, t: &mut Theme) {
                $(if let Some(s) = &self.$name { t.$name = s.style(); })*
            }

            fn missing(&self) -> Vec<&'static str> {
                let mut out = Vec::new();
                $(if self.$name.is_none() { out.push(stringify!($name)); })*
                out
            }
        }
    };
}

styles! {
    text: "Ordinary text.",
    dim: "Secondary text (times, ids, hints).",
    bar: "Header and status bars.",
    title: "The app name and pane titles.",
    tab: "An inactive tab.",
    tab_active: "The current tab.",
    border: "Pane borders.",
    table_header: "Column headings.",
    selected: "The selected row.",
    error: "Auth failures: the rows that matter most.",
    warning: "Other failures (4xx/5xx, transport errors).",
    challenge: "A 401 challenge that was answered (normal token auth).",
    ok: "Successful responses, verdict 'used'.",
    pending: "Requests still waiting for a response.",
    accent: "Hosts, mirror names, highlights.",
    search_match: "Rows matching the search.",
    filter_mark: "The mark (`●`) of a request the filter keeps, in a waterfall opened under one.",
    gauge: "The loading progress gauge.",
    spark: "Request sparklines.",
    spark_error: "Error sparklines.",
    key: "Keys in the help popup and hints.",
    hint: "The 'debug logging looks off' hint.",
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    #[serde(default)]
    base: Option<String>,
    #[serde(default)]
    styles: StylesFile,
}

impl Theme {
    /// The default built-in theme.
    pub fn builtin_default() -> Theme {
        Theme::load(Some(DEFAULT), None).unwrap_or_default()
    }

    /// Loads a theme by name or path: `<config>/themes/<name>.yaml`, then the built-in ones.
    /// A user theme whose `base:` is its own name builds on the built-in theme of that name.
    pub fn load(spec: Option<&str>, config_dir: Option<&Path>) -> Result<Theme, ThemeError> {
        load_depth(spec.unwrap_or(DEFAULT), config_dir, 0)
    }

    /// This theme without colours (`--color never`): every foreground and background goes,
    /// bold, dim, italic, underline and reverse stay. What only a background told apart is
    /// reversed instead (the selected row, the active tab, the hint, the gauge), and a search
    /// match is underlined.
    pub fn without_colors(mut self) -> Theme {
        self.each_style(|s| *s = Style::new().add_modifier(s.add_modifier));
        for s in [
            &mut self.selected,
            &mut self.tab_active,
            &mut self.hint,
            &mut self.gauge,
        ] {
            *s = s.add_modifier(Modifier::REVERSED);
        }
        self.search_match = self.search_match.add_modifier(Modifier::UNDERLINED);
        self
    }

    /// A search match's cells on the selected row: in the match's colours, without the
    /// reverse video the selection may draw with (high-contrast, `--color never`), which would
    /// swap them back and hide which cells of the row match.
    pub fn match_on_selected(&self) -> Style {
        if self.search_match.add_modifier.contains(Modifier::REVERSED) {
            self.search_match
        } else {
            self.search_match.remove_modifier(Modifier::REVERSED)
        }
    }

    /// Like [`Theme::load`], falling back to the default theme with the error to report.
    pub fn load_or_default(
        spec: Option<&str>,
        config_dir: Option<&Path>,
    ) -> (Theme, Option<ThemeError>) {
        match Theme::load(spec, config_dir) {
            Ok(t) => (t, None),
            Err(e) => (Theme::builtin_default(), Some(e)),
        }
    }
}

fn load_depth(spec: &str, config_dir: Option<&Path>, depth: usize) -> Result<Theme, ThemeError> {
    let by_path = is_path(spec);
    let user = config_dir.map(|d| d.join("themes").join(format!("{spec}.yaml")));
    let (path, text) = if by_path {
        let p = PathBuf::from(spec);
        let t = std::fs::read_to_string(&p).map_err(|source| ThemeError::Read {
            path: p.clone(),
            source,
        })?;
        (p, t)
    } else if let Some(p) = user.filter(|p| p.is_file()) {
        let t = std::fs::read_to_string(&p).map_err(|source| ThemeError::Read {
            path: p.clone(),
            source,
        })?;
        (p, t)
    } else if let Some((_, t)) = BUILTIN.iter().find(|(n, _)| *n == spec) {
        (
            PathBuf::from(format!("themes/{spec}.yaml")),
            (*t).to_owned(),
        )
    } else {
        let names: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
        return Err(ThemeError::Unknown {
            name: spec.to_owned(),
            available: names.join(", "),
        });
    };
    let file: ThemeFile = serde_yaml::from_str(&text).map_err(|e| {
        let loc = e.location();
        ThemeError::Parse {
            path: path.clone(),
            line: loc.as_ref().map_or(0, |l| l.line()),
            column: loc.as_ref().map_or(0, |l| l.column()),
            message: e.to_string(),
        }
    })?;
    let mut theme = match &file.base {
        Some(_) if depth > 4 => return Err(ThemeError::BaseLoop { path }),
        Some(b) if b == spec && by_path => return Err(ThemeError::BaseLoop { path }),
        Some(b) => {
            // A user theme named like a built-in one whose base is its own name builds on the
            // built-in theme (`themes/dark.yaml` with `base: dark` tweaks the default); a loop
            // through other user files still ends at the depth limit.
            let own_name = b == spec;
            let base_dir = if own_name { None } else { config_dir };
            // A relative path is read from beside the file that names it, not from the
            // working directory.
            let base = if is_path(b) && Path::new(b).is_relative() {
                path.parent().map_or_else(
                    || b.clone(),
                    |dir| dir.join(b).to_string_lossy().into_owned(),
                )
            } else {
                b.clone()
            };
            load_depth(&base, base_dir, depth + 1).map_err(|e| {
                let (line, column) = base_position(&text);
                ThemeError::Base {
                    path: path.clone(),
                    line,
                    column,
                    base: b.clone(),
                    source: Box::new(e),
                }
            })?
        }
        None => {
            let missing: Vec<&str> = file
                .styles
                .missing()
                .into_iter()
                .filter(|m| *m != ADDED_LATER)
                .collect();
            if !missing.is_empty() {
                return Err(ThemeError::Parse {
                    path,
                    line: 1,
                    column: 1,
                    message: format!(
                        "a theme without 'base:' must set every style; missing: {}",
                        missing.join(", ")
                    ),
                });
            }
            Theme::default()
        }
    };
    let defaulted = file.base.is_none() && file.styles.filter_mark.is_none();
    file.styles.apply(&mut theme);
    if defaulted {
        theme.filter_mark = theme.search_match;
    }
    theme.name = spec.to_owned();
    Ok(theme)
}

/// The style added after user themes were first written: a theme without `base:` may leave
/// it out and draws it as before, in its `search_match` style (a complete theme stays one).
const ADDED_LATER: &str = "filter_mark";

/// True when a theme is named by a path rather than a name.
fn is_path(spec: &str) -> bool {
    spec.contains('/') || spec.ends_with(".yaml") || spec.ends_with(".yml")
}

/// Where the value of the top-level `base:` key starts (1-based line and column); 1:1 when it is
/// not written on a line of its own (a flow mapping).
fn base_position(text: &str) -> (usize, usize) {
    text.lines()
        .enumerate()
        .find_map(|(i, l)| {
            let rest = l
                .strip_prefix("base:")
                .or_else(|| l.strip_prefix("\"base\":"))
                .or_else(|| l.strip_prefix("'base':"))?;
            let value_at = l.len() - rest.trim_start().len();
            Some((i + 1, value_at + 1))
        })
        .unwrap_or((1, 1))
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod contrast;
