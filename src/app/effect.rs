//! [`Effect`]: work `update` hands to the event loop (files, the clipboard, sources, Ctrl-Z),
//! and the builder picker that leads to one.

use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::source::SourceSpec;

/// Work `update` asks the event loop to do (I/O never happens inside `update`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Write a report; also put it on the clipboard (OSC 52) when `clipboard`.
    WriteReport {
        /// Where, or the first free name after it ([`write_new`]).
        path: PathBuf,
        /// The markdown.
        text: String,
        /// Also copy with OSC 52.
        clipboard: bool,
        /// What the status line adds after `wrote <path>` (the Mirrors view's report says it
        /// holds the whole view, whatever row is selected).
        note: Option<&'static str>,
    },
    /// Restart source `n`.
    Restart(u32),
    /// Start following a source picked in the builder picker, as source `source`.
    Start {
        /// Its index (already registered in the app).
        source: u32,
        /// What to follow.
        spec: SourceSpec,
    },
    /// Suspend the process (Ctrl-Z).
    Suspend,
}

/// The builder picker shown when several buildx builders run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picker {
    /// Container names (`buildx_buildkit_b0`).
    pub names: Vec<String>,
    /// The highlighted one.
    pub cursor: usize,
    /// `--tail` for the `docker logs` of the one picked.
    pub tail: Option<u64>,
}

/// Writes a report at `path`, or, when a file of that name exists, at the first free name
/// after it (`bkscope-event-0.md`, then `bkscope-event-0-1.md`, `bkscope-event-0-2.md` …), and
/// returns where. Never overwrites: each name is created with `create_new`, so a file another
/// process makes meanwhile is skipped too (no check-then-write race). Called by the event loop,
/// off `update`.
pub fn write_new(path: &Path, text: &str) -> io::Result<PathBuf> {
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned());
    let ext = path.extension().map(|e| e.to_string_lossy().into_owned());
    for n in 0..=MAX_SUFFIX {
        let candidate = match (n, &stem) {
            (0, _) | (_, None) => path.to_path_buf(),
            (n, Some(stem)) => path.with_file_name(match &ext {
                Some(ext) => format!("{stem}-{n}.{ext}"),
                None => format!("{stem}-{n}"),
            }),
        };
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&candidate)
        {
            Ok(mut file) => {
                file.write_all(text.as_bytes())?;
                return Ok(candidate);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && stem.is_some() => {}
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!("it and {MAX_SUFFIX} numbered names after it exist; move some away"),
    ))
}

/// Writes a report as [`write_new`] does at `path`; when that fails (a read-only directory,
/// one that is gone), in `fallback` (the temp dir) under the same name, so the report is not
/// lost. Returns the status line's words: where it went, and why not where asked. Called by
/// the event loop, off `update`; `after` is what follows the path written (the report's note,
/// ` and copied it` when the clipboard got it too), after the reason when it fell back: a
/// status line cut at the terminal's width keeps where the report went and why.
pub fn write_report(path: &Path, text: &str, fallback: &Path, after: &str) -> String {
    let asked = match write_new(path, text) {
        Ok(written) => return format!("wrote {}{after}", written.display()),
        Err(e) => e,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.display().to_string(),
        _ => ".".to_owned(),
    };
    let Some(name) = path.file_name() else {
        return format!("cannot write '{}': {asked}", path.display());
    };
    let other = fallback.join(name);
    // A directory that is not there is said so (`--export-dir` with a typo), not "not writable".
    let why = if asked.kind() == std::io::ErrorKind::NotFound && !Path::new(&dir).exists() {
        format!("{dir} does not exist")
    } else {
        format!("{dir} is not writable: {asked}")
    };
    match write_new(&other, text) {
        Ok(written) => format!("wrote {} ({why}){after}", written.display()),
        Err(e) => format!(
            "cannot write '{}': {asked}; nor in {}: {e}",
            path.display(),
            fallback.display()
        ),
    }
}

/// Numbered names [`write_new`] tries after the first.
const MAX_SUFFIX: u32 = 9_999;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_never_overwrites_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bkscope-event-0.md");
        assert_eq!(write_new(&path, "first log").unwrap(), path);
        // A report of event 0 of another log, twice.
        let second = write_new(&path, "second log").unwrap();
        assert_eq!(second, dir.path().join("bkscope-event-0-1.md"));
        let third = write_new(&path, "third").unwrap();
        assert_eq!(third, dir.path().join("bkscope-event-0-2.md"));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "first log");
        assert_eq!(std::fs::read_to_string(&second).unwrap(), "second log");
        assert_eq!(std::fs::read_to_string(&third).unwrap(), "third");
        // A free name in between (the first moved away) is taken first.
        std::fs::remove_file(&path).unwrap();
        assert_eq!(write_new(&path, "again").unwrap(), path);
    }

    /// A directory under a regular file cannot be made or written, even by root.
    #[test]
    fn a_report_the_export_dir_refuses_goes_to_the_fallback_and_says_where() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("plain-file");
        std::fs::write(&file, "not a directory").unwrap();
        let fallback = dir.path().join("tmp");
        std::fs::create_dir(&fallback).unwrap();
        let asked = file.join("sub").join("bkscope-event-13.md");
        let said = write_report(&asked, "report", &fallback, "");
        let went = fallback.join("bkscope-event-13.md");
        assert_eq!(std::fs::read_to_string(&went).unwrap(), "report");
        let want = format!(
            "wrote {} ({} is not writable: ",
            went.display(),
            file.join("sub").display()
        );
        assert!(said.starts_with(&want), "{said}");
        // Where it went and why come first: a status line cut at the terminal's width keeps
        // them, and loses the note after them.
        let mirrors = file.join("sub").join("bkscope-mirrors.md");
        let said = write_report(&mirrors, "report", &fallback, " (the whole view)");
        let want = format!(
            "wrote {} ({} is not writable: ",
            fallback.join("bkscope-mirrors.md").display(),
            file.join("sub").display()
        );
        assert!(said.starts_with(&want), "{said}");
        assert!(said.ends_with(") (the whole view)"), "{said}");
        // A directory that is not there: said so, not "not writable: No such file".
        let gone = dir.path().join("no-such-dir").join("bkscope-event-2.md");
        let said = write_report(&gone, "r", &fallback, "");
        assert_eq!(
            said,
            format!(
                "wrote {} ({} does not exist)",
                fallback.join("bkscope-event-2.md").display(),
                dir.path().join("no-such-dir").display()
            )
        );
        // Where it can write, it says only where, and what the clipboard got.
        let ok = dir.path().join("bkscope-event-1.md");
        let said = write_report(&ok, "r", &fallback, " and copied it (OSC 52)");
        assert_eq!(
            said,
            format!("wrote {} and copied it (OSC 52)", ok.display())
        );
        // Neither: both reasons.
        let said = write_report(&asked, "r", &file.join("t"), "");
        assert!(
            said.starts_with("cannot write '") && said.contains("; nor in "),
            "{said}"
        );
    }

    #[test]
    fn a_directory_that_cannot_be_written_is_an_error_not_a_loop() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing").join("bkscope-event-0.md");
        let err = write_new(&path, "x").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
    }
}
