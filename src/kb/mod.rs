//! The knowledge base: diagnosis entries for BuildKit registry failures and the matcher from
//! model findings to diagnoses.
//!
//! Built-in entries live in `kb/entries/**/*.yaml` (one entry a file, the id is the path) and are
//! compiled in, so the binary works from any directory; `kb/servers.yaml` is model data, not an
//! entry. User entries come from `<config>/kb/**/*.yaml` and replace a built-in entry with the
//! same id. Knows no terminal; reads files only in [`KnowledgeBase::load`] and [`check_dir`].

mod annotate;
mod builtin;
pub mod entry;
pub mod labels;
mod load;
pub mod matcher;
pub mod subject;

#[cfg(test)]
mod tests;

use std::io;
use std::path::{Path, PathBuf};

pub use annotate::{MirrorDiagnosis, annotate_mirrors, annotate_summary};
pub use entry::Entry;
pub use matcher::{Diagnosis, MatchEvidence, MatchMemo};
pub use subject::Facts;

use crate::model::fetch::FetchEvent;
use crate::model::finding::Finding;
use crate::model::mirror::MirrorVerdict;
use crate::parse::Record;

use matcher::Matcher;

/// Why an entry file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum KbError {
    /// The file or directory could not be read.
    #[error("cannot read '{}': {source}", path.display())]
    Read {
        /// The path.
        path: PathBuf,
        /// What the OS said.
        source: io::Error,
    },
    /// Not YAML, an unknown key, a missing or ill-typed field, a failed check.
    #[error("{}:{line}:{column}: {message}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong and what to write instead.
        message: String,
    },
    /// Two files of one directory define the same id.
    #[error("kb id '{id}' is defined twice: {} and {}; rename one", first.display(), second.display())]
    DuplicateId {
        /// The id.
        id: String,
        /// The file read first.
        first: PathBuf,
        /// The file read second (ignored).
        second: PathBuf,
    },
    /// A `*.yaml` name that is a FIFO, a socket or a device: not opened (it could block).
    #[error("'{}' is not a regular file", path.display())]
    NotAFile {
        /// The path.
        path: PathBuf,
    },
    /// An alias that is the id of an entry: `kb show` and the matcher find that entry, so the
    /// alias is never used.
    #[error(
        "{}: alias '{alias}' of '{id}' is the id of {owner}, which it names instead; remove the alias",
        path.display()
    )]
    AliasTaken {
        /// The file of the entry with the alias.
        path: PathBuf,
        /// The entry with the alias.
        id: String,
        /// The alias.
        alias: String,
        /// "a built-in entry", or the file that defines it.
        owner: String,
    },
    /// A signature's regex does not compile.
    #[error("{}:{line}:{column}: {message}", path.display())]
    BadRegex {
        /// The file.
        path: PathBuf,
        /// 1-based line of the pattern.
        line: usize,
        /// 1-based column of the pattern.
        column: usize,
        /// The pattern and the regex error.
        message: String,
    },
    /// The signatures together are too large to compile.
    #[error(
        "the kb signatures do not compile together: {message}; shorten the user entries' patterns"
    )]
    Compile {
        /// The regex error.
        message: String,
    },
}

impl KbError {
    /// What [`KnowledgeBase::load`] does about this problem, for the line that reports it.
    pub fn consequence(&self) -> String {
        match self {
            KbError::Read { .. } | KbError::Parse { .. } | KbError::BadRegex { .. } => {
                "the file is skipped; a built-in entry it would replace stays in use".to_owned()
            }
            KbError::NotAFile { .. } => "skipped, not opened".to_owned(),
            KbError::DuplicateId { first, .. } => {
                format!("the entry in {} is used", first.display())
            }
            KbError::AliasTaken { .. } => "the alias is never used".to_owned(),
            KbError::Compile { .. } => "using the built-in knowledge base only".to_owned(),
        }
    }
}

/// The entries in use and their compiled signatures.
#[derive(Debug, Clone, Default)]
pub struct KnowledgeBase {
    entries: Vec<Entry>,
    origins: Vec<PathBuf>,
    matcher: Matcher,
}

impl KnowledgeBase {
    /// Built-in entries, embedded with `include_str!` (a test reads `kb/entries/` so a new file
    /// cannot be forgotten).
    pub fn builtin() -> KnowledgeBase {
        Self::builtin_checked().unwrap_or_default()
    }

    /// The built-in entries, or why they do not load (a test keeps this `Ok`).
    pub fn builtin_checked() -> Result<KnowledgeBase, Vec<KbError>> {
        let files = builtin::files();
        let (entries, errors) = load::parse_files(files);
        if !errors.is_empty() {
            return Err(errors);
        }
        Self::from_entries(entries).map_err(|e| vec![e])
    }

    /// Built-in + `<config_dir>/kb/**/*.yaml` (a user entry with an existing id replaces it).
    /// Errors are returned, not fatal: the caller prints them and carries on.
    pub fn load(config_dir: Option<&Path>) -> (KnowledgeBase, Vec<KbError>) {
        let (mut entries, mut errors) = load::parse_files(builtin::files());
        if let Some(dir) = config_dir.map(|d| d.join("kb")).filter(|d| d.is_dir()) {
            let (files, read_errors) = load::read_dir(&dir);
            errors.extend(read_errors);
            let (user, user_errors) = load::parse_files(files);
            errors.extend(user_errors);
            errors.extend(load::merge(&mut entries, user));
        }
        match Self::from_entries(entries) {
            Ok(kb) => (kb, errors),
            Err(e) => {
                errors.push(e);
                (Self::builtin(), errors)
            }
        }
    }

    /// Compiles entries read from the given files.
    pub fn from_entries(entries: Vec<(PathBuf, Entry)>) -> Result<KnowledgeBase, KbError> {
        let (origins, entries): (Vec<PathBuf>, Vec<Entry>) = entries.into_iter().unzip();
        let matcher = Matcher::new(&entries).map_err(|e| KbError::Compile {
            message: e.to_string(),
        })?;
        Ok(KnowledgeBase {
            entries,
            origins,
            matcher,
        })
    }

    /// All entries, built-in order first.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entry with this id (or alias).
    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id).or_else(|| {
            self.entries
                .iter()
                .find(|e| e.aliases.iter().any(|a| a == id))
        })
    }

    /// Where an entry was read from (`kb/entries/…` for a built-in one).
    pub fn origin(&self, id: &str) -> Option<&Path> {
        let i = self.entries.iter().position(|e| e.id == id)?;
        self.origins.get(i).map(PathBuf::as_path)
    }

    /// Ids close to `id`, for "did you mean".
    pub fn near(&self, id: &str) -> Vec<&str> {
        let want = id.to_ascii_lowercase();
        let words: Vec<&str> = want
            .split(['/', '-', '_', '.'])
            .filter(|w| w.len() > 2)
            .collect();
        let scored: Vec<(usize, &str)> = self
            .entries
            .iter()
            .map(|e| {
                let hits = words.iter().filter(|w| e.id.contains(**w)).count();
                (hits, e.id.as_str())
            })
            .filter(|(hits, _)| *hits > 0)
            .collect();
        let best = scored.iter().map(|(hits, _)| *hits).max().unwrap_or(0);
        scored
            .into_iter()
            .filter(|(hits, _)| *hits == best)
            .take(5)
            .map(|(_, id)| id)
            .collect()
    }

    /// Diagnoses for one finding (with its event when the model still holds it), best first, with
    /// the evidence (which field matched what).
    pub fn diagnose(&self, finding: &Finding, event: Option<&FetchEvent>) -> Vec<Diagnosis> {
        self.diagnose_with(finding, event, &Facts::default())
    }

    /// [`Self::diagnose`] with model-wide facts (configured mirrors never tried).
    pub fn diagnose_with(
        &self,
        finding: &Finding,
        event: Option<&FetchEvent>,
        facts: &Facts,
    ) -> Vec<Diagnosis> {
        self.matcher
            .diagnose(&subject::of_finding(finding, event, facts))
    }

    /// The ids of [`KnowledgeBase::diagnose_with`]'s diagnoses, in its order, without their
    /// evidence: for a run over many findings, whose repeated texts `memo` matches once.
    pub fn diagnose_ids_with(
        &self,
        finding: &Finding,
        event: Option<&FetchEvent>,
        facts: &Facts,
        memo: &mut MatchMemo,
    ) -> Vec<String> {
        self.matcher
            .diagnose_ids(&subject::of_finding(finding, event, facts), memo)
    }

    /// Diagnoses for a mirror verdict (`mirror configured but never used` matches `unused`).
    pub fn diagnose_verdict(&self, verdict: &MirrorVerdict) -> Vec<Diagnosis> {
        self.matcher.diagnose(&subject::of_verdict(verdict))
    }

    /// Diagnoses for one line on its own: a warning the model keeps no finding for, or pasted
    /// client output.
    pub fn diagnose_record(&self, record: &Record<'_>) -> Vec<Diagnosis> {
        self.matcher.diagnose(&subject::of_record(record))
    }
}

/// Validates every entry file under `dir` (recursively): `Ok(number of entries)`, or every
/// problem found, each with its file and line. For `bkscope kb check [DIR]`.
pub fn check_dir(dir: &Path) -> Result<usize, Vec<KbError>> {
    if !dir.is_dir() {
        return Err(vec![KbError::Read {
            path: dir.to_owned(),
            source: io::Error::new(io::ErrorKind::NotFound, "not a directory"),
        }]);
    }
    let (files, mut errors) = load::read_dir(dir);
    let (entries, parse_errors) = load::parse_files(files);
    errors.extend(parse_errors);
    errors.extend(load::duplicates(&entries));
    errors.extend(taken_aliases(&entries));
    if let Err(e) = KnowledgeBase::from_entries(entries.clone()) {
        errors.push(e);
    }
    if errors.is_empty() {
        Ok(entries.len())
    } else {
        Err(errors)
    }
}

/// Aliases of `entries` that are the id of a built-in entry or of one of `entries`: the id wins
/// wherever an id is looked up, so such an alias is dead.
fn taken_aliases(entries: &[(PathBuf, Entry)]) -> Vec<KbError> {
    let builtin = KnowledgeBase::builtin();
    let mut errors = Vec::new();
    for (path, e) in entries {
        for alias in &e.aliases {
            let owner = if let Some((p, _)) = entries.iter().find(|(_, x)| x.id == *alias) {
                format!("the entry in {}", p.display())
            } else if builtin.entries().iter().any(|x| x.id == *alias) {
                "a built-in entry".to_owned()
            } else {
                continue;
            };
            errors.push(KbError::AliasTaken {
                path: path.clone(),
                id: e.id.clone(),
                alias: alias.clone(),
                owner,
            });
        }
    }
    errors
}
