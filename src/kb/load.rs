//! Entry files → [`Entry`]s: YAML with serde (unknown keys refused), the checks serde cannot
//! make, and every problem located by file, line and column.
//!
//! A file holds one entry (a mapping) or several (a sequence of mappings).

use std::path::{Path, PathBuf};

use super::KbError;
use super::entry::{BAD_REGEX, Entry};

/// Every `*.yaml` / `*.yml` file under `dir`, recursively, sorted; unreadable ones as errors.
/// A name that is not a regular file (a FIFO, a socket, a device) is reported and not opened:
/// reading a FIFO would wait forever. A directory reached twice (a symlink loop, two links to
/// one directory) is read once. A `servers.yaml` at the top is the server fingerprint table
/// (the project's `kb/servers.yaml`, read by `model::host`), not entries: skipped, so the
/// project's `kb/` copied whole into the config directory checks and loads clean.
pub fn read_dir(dir: &Path) -> (Vec<(PathBuf, String)>, Vec<KbError>) {
    let mut paths = Vec::new();
    let mut errors = Vec::new();
    let mut visited = std::collections::BTreeSet::new();
    walk(dir, &mut paths, &mut errors, &mut visited, 0);
    paths.sort();
    let mut files = Vec::new();
    for p in paths {
        match std::fs::read_to_string(&p) {
            Ok(text) => files.push((p, text)),
            Err(source) => errors.push(KbError::Read { path: p, source }),
        }
    }
    (files, errors)
}

/// The fingerprint table's file name at the top of a kb directory.
const SERVERS: &str = "servers.yaml";

/// Directory depth followed at most.
const MAX_DEPTH: usize = 8;

fn walk(
    dir: &Path,
    out: &mut Vec<PathBuf>,
    errors: &mut Vec<KbError>,
    visited: &mut std::collections::BTreeSet<PathBuf>,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    // The real path: a symlink back to a directory already read is not followed again.
    if let Ok(real) = std::fs::canonicalize(dir)
        && !visited.insert(real)
    {
        return;
    }
    let rd = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(source) => {
            errors.push(KbError::Read {
                path: dir.to_owned(),
                source,
            });
            return;
        }
    };
    for item in rd.flatten() {
        let p = item.path();
        let yaml = p.extension().is_some_and(|e| e == "yaml" || e == "yml");
        if depth == 0 && item.file_name() == SERVERS {
            continue;
        }
        // `metadata` follows a symlink to what it names.
        match std::fs::metadata(&p) {
            Ok(m) if m.is_dir() => walk(&p, out, errors, visited, depth + 1),
            Ok(m) if yaml && !m.is_file() => errors.push(KbError::NotAFile { path: p }),
            _ if yaml => out.push(p),
            _ => {}
        }
    }
}

/// Parses files; entries in file order, problems beside them.
pub fn parse_files(files: Vec<(PathBuf, String)>) -> (Vec<(PathBuf, Entry)>, Vec<KbError>) {
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    for (path, text) in files {
        match parse_text(&path, &text) {
            Ok(list) => entries.extend(list.into_iter().map(|e| (path.clone(), e))),
            Err(mut e) => errors.append(&mut e),
        }
    }
    (entries, errors)
}

/// One file's entries, or what is wrong with it.
pub fn parse_text(path: &Path, text: &str) -> Result<Vec<Entry>, Vec<KbError>> {
    // A file that plainly starts with a mapping key is read once, as one entry (every built-in
    // file: the YAML parse was half the knowledge base's start-up, docs/performance.md). Any
    // other file, and any file that does not read as one entry, is looked at as a whole first,
    // so a sequence of entries is read as one and errors are reported exactly as they were.
    let one = if starts_with_mapping_key(text) {
        serde_yaml::from_str::<Entry>(text).ok()
    } else {
        None
    };
    let entries = match one {
        Some(e) => vec![e],
        None => {
            let value: serde_yaml::Value =
                serde_yaml::from_str(text).map_err(|e| vec![yaml_error(path, &e)])?;
            if value.is_sequence() {
                serde_yaml::from_str::<Vec<Entry>>(text)
            } else {
                serde_yaml::from_str::<Entry>(text).map(|e| vec![e])
            }
            .map_err(|e| vec![yaml_error(path, &e)])?
        }
    };
    let mut errors = Vec::new();
    for e in &entries {
        // Keys are looked for after the entry's own `id:` line (a file may hold several).
        let base = locate_value(text, "id", &e.id).map_or(0, |(l, _)| l - 1);
        for (key, message) in e.problems() {
            let (line, column) = locate(text, key, base)
                .or_else(|| locate(text, key, 0))
                .unwrap_or((base + 1, 1));
            errors.push(KbError::Parse {
                path: path.to_owned(),
                line,
                column,
                message,
            });
        }
    }
    if errors.is_empty() {
        Ok(entries)
    } else {
        Err(errors)
    }
}

/// True when the first line of `text` that is not blank, a comment or a `---` document start
/// begins with a plain mapping key (`id: …`): the document is then a mapping, never a
/// sequence (which begins with `-`, `[`, or a tag or anchor before either).
fn starts_with_mapping_key(text: &str) -> bool {
    let first = text
        .lines()
        .map(str::trim_end)
        .find(|l| !l.is_empty() && !l.trim_start().starts_with('#') && *l != "---");
    first.is_some_and(|l| {
        l.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
            && l.split_once(':').is_some_and(|(key, _)| {
                key.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            })
    })
}

/// A serde error as a located [`KbError`]; a bad regex becomes [`KbError::BadRegex`].
fn yaml_error(path: &Path, e: &serde_yaml::Error) -> KbError {
    let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
    let message = strip_location(&e.to_string());
    let path = path.to_owned();
    if message.contains(BAD_REGEX) {
        KbError::BadRegex {
            path,
            line,
            column,
            message,
        }
    } else {
        KbError::Parse {
            path,
            line,
            column,
            message,
        }
    }
}

/// The message without serde_yaml's " at line N column M" (the error prints its own location).
fn strip_location(msg: &str) -> String {
    let mut out = msg.to_owned();
    while let Some(i) = out.find(" at line ") {
        let rest = &out[i + " at line ".len()..];
        let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
        let n = digits(rest);
        let Some(after) = rest[n..].strip_prefix(" column ") else {
            break;
        };
        let m = digits(after);
        let end = i + " at line ".len() + n + " column ".len() + m;
        out.replace_range(i..end, "");
    }
    out
}

/// 1-based (line, column) of the first `key:` at a line start at or after 0-based line `from`.
fn locate(text: &str, key: &str, from: usize) -> Option<(usize, usize)> {
    text.lines().enumerate().skip(from).find_map(|(i, l)| {
        let trimmed = l.trim_start().trim_start_matches("- ");
        trimmed
            .strip_prefix(key)
            .filter(|rest| rest.starts_with(':'))
            .map(|_| (i + 1, l.len() - trimmed.len() + 1))
    })
}

/// The line of `key: value` (the value possibly quoted).
fn locate_value(text: &str, key: &str, value: &str) -> Option<(usize, usize)> {
    text.lines().enumerate().find_map(|(i, l)| {
        let trimmed = l.trim_start().trim_start_matches("- ");
        let rest = trimmed.strip_prefix(key)?.strip_prefix(':')?.trim();
        (rest.trim_matches(['\'', '"']) == value).then_some((i + 1, l.len() - trimmed.len() + 1))
    })
}

/// The ids defined twice among `entries`.
pub fn duplicates(entries: &[(PathBuf, Entry)]) -> Vec<KbError> {
    let mut errors = Vec::new();
    for (i, (path, e)) in entries.iter().enumerate() {
        if let Some((first, _)) = entries[..i].iter().find(|(_, x)| x.id == e.id) {
            errors.push(KbError::DuplicateId {
                id: e.id.clone(),
                first: first.clone(),
                second: path.clone(),
            });
        }
    }
    errors
}

/// Adds user entries: an existing id is replaced in place, a new one appended; of two user
/// entries with one id the first wins and the second is reported.
pub fn merge(entries: &mut Vec<(PathBuf, Entry)>, user: Vec<(PathBuf, Entry)>) -> Vec<KbError> {
    let errors = duplicates(&user);
    let mut seen = std::collections::BTreeSet::new();
    for (path, e) in user {
        if !seen.insert(e.id.clone()) {
            continue;
        }
        match entries.iter_mut().find(|(_, x)| x.id == e.id) {
            Some(slot) => *slot = (path, e),
            None => entries.push((path, e)),
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Only a document whose first line is a plain `key:` takes the one-parse path; lists,
    /// flow collections, tags, anchors, directives and indented text are looked at whole.
    #[test]
    fn only_plain_mappings_are_read_in_one_parse() {
        for yes in [
            "id: a/b\ntitle: x\n",
            "# a comment\n\n---\nid: a/b\n",
            "schema_version: 1\n",
            "first-seen: 2024\n",
        ] {
            assert!(starts_with_mapping_key(yes), "{yes:?}");
        }
        for no in [
            "- id: a/b\n",
            "[{id: a}]\n",
            "{id: a}\n",
            "!!seq\n- id: a\n",
            "&x\n- id: a\n",
            "%YAML 1.2\n---\nid: a\n",
            "  id: a\n",
            "'id': a\n",
            "just words\n",
            "",
            "# only a comment\n",
        ] {
            assert!(!starts_with_mapping_key(no), "{no:?}");
        }
    }

    /// Both paths read every built-in file to the same entry, and a file that starts like a
    /// mapping but is not a valid entry is reported as before (file, line, message).
    #[test]
    fn one_parse_reads_what_the_whole_document_path_reads() {
        for (name, text) in super::super::builtin::BUILTIN {
            assert!(starts_with_mapping_key(text), "{name}");
            let fast = parse_text(Path::new(name), text).unwrap();
            let value: serde_yaml::Value = serde_yaml::from_str(text).unwrap();
            assert!(!value.is_sequence());
            let whole = serde_yaml::from_str::<Entry>(text).unwrap();
            assert_eq!(format!("{fast:?}"), format!("{:?}", vec![whole]), "{name}");
        }
        let bad = "id: net/x\ntitle: t\nunknown_key: 1\n";
        let err = parse_text(Path::new("x.yaml"), bad).unwrap_err();
        let text = err.iter().map(ToString::to_string).collect::<Vec<_>>();
        assert_eq!(text.len(), 1, "{text:?}");
        assert!(text[0].starts_with("x.yaml:"), "{text:?}");
        assert!(text[0].contains("unknown_key"), "{text:?}");
    }
}
