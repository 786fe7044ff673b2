//! `bkscope man`: the man page clap_mangen renders, with its own SUBCOMMANDS section. clap_mangen
//! names each subcommand as a page of its own (`bkscope-summary(1)`), which `bkscope man` does
//! not write: the section names the command line instead and where its options are told.

use std::io::{self, Write};

/// Writes the man page of `cmd` (roff).
pub fn render(cmd: clap::Command, out: &mut impl Write) -> io::Result<()> {
    let mut cmd = cmd;
    cmd.build();
    let man = clap_mangen::Man::new(cmd.clone());
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    man.render_options_section(out)?;
    subcommands(&cmd, out)?;
    man.render_extra_section(out)?;
    man.render_version_section(out)?;
    if cmd.get_author().is_some() {
        man.render_authors_section(out)?;
    }
    Ok(())
}

/// Each visible subcommand as `bkscope summary` with its about, and where its options are.
fn subcommands(cmd: &clap::Command, out: &mut impl Write) -> io::Result<()> {
    let name = cmd.get_name();
    writeln!(out, ".SH SUBCOMMANDS")?;
    writeln!(
        out,
        "The options of each are in \\fB{name} <subcommand> \\-\\-help\\fR."
    )?;
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        writeln!(out, ".TP")?;
        writeln!(out, "\\fB{} {}\\fR", roff(name), roff(sub.get_name()))?;
        if let Some(about) = sub.get_about().or_else(|| sub.get_long_about()) {
            for line in about.to_string().lines() {
                writeln!(out, "{}", roff(line))?;
            }
        }
    }
    Ok(())
}

/// `text` as a roff text line: backslashes and hyphens escaped, a leading control character
/// made literal.
fn roff(text: &str) -> String {
    let escaped = text.replace('\\', "\\\\").replace('-', "\\-");
    if escaped.starts_with(['.', '\'']) {
        format!("\\&{escaped}")
    } else {
        escaped
    }
}
