//! `bkscope kb list|show|check`. (Placeholder until the knowledge base lands; see issue 5.)

use std::io::Write;
use std::path::Path;

use crate::kb::KnowledgeBase;

/// `kb list`.
pub fn list(_kb: &KnowledgeBase, _out: &mut impl Write) -> std::io::Result<()> {
    Ok(())
}

/// `kb show`.
pub fn show(_kb: &KnowledgeBase, id: &str, _zh: bool, _out: &mut impl Write) -> anyhow::Result<()> {
    anyhow::bail!("no kb entry '{id}'")
}

/// `kb check`.
pub fn check(_dir: Option<&Path>, _out: &mut impl Write) -> anyhow::Result<bool> {
    Ok(true)
}
