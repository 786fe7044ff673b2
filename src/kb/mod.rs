//! The knowledge base: diagnosis entries (`kb/*.yaml`) and the matcher from model findings to
//! diagnoses. (Placeholder interface until the entries land; see issue 5.)

use std::path::Path;

use crate::model::{Model, Summary};

/// One entry.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Entry id.
    pub id: String,
    /// Title.
    pub title: String,
}

/// All entries.
#[derive(Debug, Clone, Default)]
pub struct KnowledgeBase {
    entries: Vec<Entry>,
}

impl KnowledgeBase {
    /// Built-in plus user entries, with the problems found loading them.
    pub fn load(_config_dir: Option<&Path>) -> (KnowledgeBase, Vec<String>) {
        (KnowledgeBase::default(), Vec::new())
    }

    /// Entry by id.
    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id)
    }
}

/// Fills the summary's diagnoses.
pub fn annotate_summary(_kb: &KnowledgeBase, _model: &Model, _summary: &mut Summary) {}
