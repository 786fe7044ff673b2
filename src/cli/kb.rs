//! `bkscope kb list|show|check`: the knowledge base as text, and the validator for entry files.
//!
//! Writes plain text to the given writer; never touches terminal modes.

use std::io::Write;
use std::path::Path;

use crate::kb::entry::{Entry, Signature};
use crate::kb::labels::Labels;
use crate::kb::{self, KnowledgeBase};
use crate::model::sanitize::inert;

/// Column the text of `kb show` wraps at.
const WIDTH: usize = 96;

/// `kb list`: one line per entry, id, category and title (in Chinese where the entry has it
/// when `lang_zh`, as `kb show` does).
pub fn list(kb: &KnowledgeBase, lang_zh: bool, out: &mut impl Write) -> std::io::Result<()> {
    let id_w = kb.entries().iter().map(|e| e.id.len()).max().unwrap_or(2);
    let cat_w = kb
        .entries()
        .iter()
        .map(|e| e.category.len())
        .max()
        .unwrap_or(8)
        .max(8);
    writeln!(out, "{:id_w$}  {:cat_w$}  TITLE", "ID", "CATEGORY")?;
    for e in kb.entries() {
        writeln!(
            out,
            "{:id_w$}  {:cat_w$}  {}",
            e.id,
            e.category,
            e.title(lang_zh)
        )?;
    }
    writeln!(
        out,
        "{} entries; bkscope kb show ID for one",
        kb.entries().len()
    )
}

/// `kb show ID`: the whole entry, in Chinese where a translation exists when `lang_zh`.
/// An unknown id is an error naming the ids that come close.
pub fn show(
    kb: &KnowledgeBase,
    id: &str,
    lang_zh: bool,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let Some(e) = kb.get(id) else {
        let near = kb.near(id);
        if near.is_empty() {
            anyhow::bail!("no kb entry '{id}'; 'bkscope kb list' shows the ids");
        }
        anyhow::bail!(
            "no kb entry '{id}'; did you mean {}? ('bkscope kb list' shows the ids)",
            near.iter()
                .map(|n| format!("'{n}'"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    };
    // A user's entry is a file from anywhere: its text reaches the terminal inert, line by
    // line, as log text does (the built-in entries pass unchanged).
    let mut text = Vec::new();
    write_entry(kb, e, Labels::new(lang_zh), lang_zh, &mut text)?;
    for line in String::from_utf8_lossy(&text).lines() {
        writeln!(out, "{}", inert(line))?;
    }
    Ok(())
}

/// `kb check [DIR]`: validates every entry file under `dir`, or the built-in entries when `dir` is
/// `None` or does not exist (the CLI passes the user's kb directory by default, a note says when it
/// is missing; a DIR the user named must be a directory, the CLI checks that first). Prints each
/// problem as `file:line:column: message`; `false` means the CLI exits non-zero.
pub fn check(dir: Option<&Path>, out: &mut impl Write) -> anyhow::Result<bool> {
    let dir = match dir {
        Some(d) if !d.exists() => {
            writeln!(
                out,
                "no directory '{}'; checking the built-in entries",
                d.display()
            )?;
            None
        }
        d => d,
    };
    let (what, result) = match dir {
        Some(d) => (format!("'{}'", d.display()), kb::check_dir(d)),
        None => (
            "the built-in knowledge base".to_owned(),
            KnowledgeBase::builtin_checked().map(|k| k.entries().len()),
        ),
    };
    match result {
        Ok(n) => {
            writeln!(out, "ok: {n} entries in {what}")?;
            Ok(true)
        }
        Err(errors) => {
            for e in &errors {
                writeln!(out, "{e}")?;
            }
            writeln!(out, "{} problem(s) in {what}", errors.len())?;
            Ok(false)
        }
    }
}

fn write_entry(
    kb: &KnowledgeBase,
    e: &Entry,
    l: &Labels,
    zh: bool,
    out: &mut impl Write,
) -> std::io::Result<()> {
    wrap(out, &format!("{}  {}", e.id, e.title(zh)), "", "    ")?;
    let rate = |r: Option<u8>| r.map_or_else(|| l.not_measured.to_owned(), |r| format!("{r}%"));
    writeln!(
        out,
        "category: {}   confidence: {}%   fix rate: {}   first seen: {}",
        e.category,
        e.confidence,
        rate(e.fix_rate),
        e.first_seen.as_deref().unwrap_or("-")
    )?;
    if !e.aliases.is_empty() {
        writeln!(out, "aliases: {}", e.aliases.join(", "))?;
    }
    if let Some(origin) = kb.origin(&e.id) {
        writeln!(out, "file: {}", origin.display())?;
    }
    heading(out, l.matches)?;
    for (i, s) in e.signatures.iter().enumerate() {
        writeln!(out, "  {}. {}", i + 1, describe(s))?;
    }
    heading(out, l.cause)?;
    wrap(out, e.root_cause.get(zh), "  ", "  ")?;
    heading(out, l.fixes)?;
    // Best first, as the explorer's pane lists them: a measured success rate ranks a
    // workaround, the entry's own order (best first, by the schema) breaks ties.
    let mut ranked: Vec<_> = e.workarounds.iter().collect();
    ranked.sort_by_key(|w| std::cmp::Reverse(w.success_rate.map_or(-1, i16::from)));
    for (i, w) in ranked.into_iter().enumerate() {
        let suffix = w
            .success_rate
            .map_or_else(String::new, |r| format!(" ({r}%)"));
        wrap(
            out,
            &format!("{}{suffix}", w.text.get(zh)),
            &format!("  {}. ", i + 1),
            "     ",
        )?;
        for c in &w.commands {
            for (j, line) in c.lines().enumerate() {
                let lead = if j == 0 { "       $ " } else { "         " };
                writeln!(out, "{lead}{line}")?;
            }
        }
    }
    if !e.dead_ends.is_empty() {
        heading(out, l.dead)?;
        for d in &e.dead_ends {
            let fail = d
                .fail_rate
                .map_or_else(String::new, |r| format!(" ({r}% fail)"));
            wrap(out, &format!("{}{fail}", d.what), "  - ", "    ")?;
            wrap(out, d.why.get(zh), "    ", "    ")?;
        }
    }
    if !e.versions.is_empty() {
        heading(out, l.versions)?;
        for v in &e.versions {
            let range = match (&v.introduced, &v.deprecated) {
                (Some(a), Some(b)) => format!(" {a}..{b}"),
                (Some(a), None) => format!(" {a}+"),
                (None, Some(b)) => format!(" ..{b}"),
                (None, None) => String::new(),
            };
            let head = format!("{} [{}]{range}", v.tool, v.status);
            match &v.notes {
                Some(n) => wrap(out, &format!("{head}: {n}"), "  - ", "    ")?,
                None => writeln!(out, "  - {head}")?,
            }
        }
    }
    if !e.docs.is_empty() {
        heading(out, l.docs)?;
        for d in &e.docs {
            writeln!(out, "  {d}")?;
        }
    }
    if !e.evidence.is_empty() {
        heading(out, l.evidence)?;
        for ev in &e.evidence {
            wrap(out, &format!("{}: {}", ev.source, ev.note), "  - ", "    ")?;
        }
    }
    Ok(())
}

fn heading(out: &mut impl Write, h: &str) -> std::io::Result<()> {
    writeln!(out)?;
    writeln!(out, "{h}")
}

/// A signature in one line: `text ~ /…/ and status in 401`.
fn describe(s: &Signature) -> String {
    let mut parts = Vec::new();
    for (name, p) in [
        ("msg", &s.msg),
        ("text", &s.text),
        ("host", &s.host),
        ("url", &s.url),
    ] {
        if let Some(p) = p {
            parts.push(format!("{name} ~ /{}/", p.0));
        }
    }
    if let Some(h) = &s.header {
        parts.push(match &h.value {
            Some(v) => format!("header {} ~ /{}/", h.name, v.0),
            None => format!("header {} present", h.name),
        });
    }
    if !s.status.is_empty() {
        let st: Vec<String> = s.status.iter().map(u16::to_string).collect();
        parts.push(format!("status in {}", st.join("|")));
    }
    if !s.kind.is_empty() {
        let k: Vec<String> = s
            .kind
            .iter()
            .map(|k| {
                serde_json::to_value(k)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default()
            })
            .collect();
        parts.push(format!("kind in {}", k.join("|")));
    }
    if !s.verdict.is_empty() {
        let v: Vec<String> = s
            .verdict
            .iter()
            .map(|v| format!("{v:?}").to_ascii_lowercase())
            .collect();
        parts.push(format!("mirror verdict in {}", v.join("|")));
    }
    if let Some(f) = s.mirror_failed {
        parts.push(format!("mirror_failed = {f}"));
    }
    if let Some(u) = s.mirror_untried {
        parts.push(format!("mirror_untried = {u}"));
    }
    if let Some(m) = s.to_mirror {
        parts.push(format!("to_mirror = {m}"));
    }
    if s.weight != 0 {
        parts.push(format!("weight {:+}", s.weight));
    }
    parts.join(" and ")
}

/// Writes `text` wrapped at [`WIDTH`] columns (CJK text wraps between any two characters).
fn wrap(out: &mut impl Write, text: &str, first: &str, rest: &str) -> std::io::Result<()> {
    let mut line = String::from(first);
    let mut len = width(first);
    let mut empty = true;
    for word in split_words(text) {
        let w = width(word);
        if !empty && len + w > WIDTH {
            writeln!(out, "{}", line.trim_end())?;
            line = String::from(rest);
            len = width(rest);
            if word == " " {
                continue;
            }
        }
        line.push_str(word);
        len += w;
        empty = false;
    }
    writeln!(out, "{}", line.trim_end())
}

/// Display columns: CJK characters take two.
fn width(s: &str) -> usize {
    s.chars().map(|c| if wide(c) { 2 } else { 1 }).sum()
}

fn wide(c: char) -> bool {
    c as u32 >= 0x2E80
}

/// Words and the spaces between them; each CJK character is a word of its own.
fn split_words(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        // YAML folds line breaks into spaces; between two CJK characters that space is noise.
        let between_wide = c == ' '
            && k > 0
            && chars.get(k + 1).is_some_and(|&(_, n)| wide(n))
            && wide(chars[k - 1].1);
        if between_wide {
            if start < i {
                out.push(&text[start..i]);
            }
            start = i + 1;
            continue;
        }
        if c == ' ' || wide(c) {
            if start < i {
                out.push(&text[start..i]);
            }
            out.push(&text[i..i + c.len_utf8()]);
            start = i + c.len_utf8();
        }
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

#[cfg(test)]
mod tests;
