//! The logrus TTY formatter: `DEBU[2024-05-01T10:00:00Z] do request      k=v …` or `DEBU[0042] …`,
//! with or without its ANSI colour codes.
//!
//! Pure: borrows from the line unless colour codes had to be stripped.

use std::borrow::Cow;

use super::logfmt::{Token, Tokens};
use super::{Entry, Field, Format, Level};

/// Parses a TTY-format line; `None` when the line does not start with a level tag.
pub(super) fn parse(body: &str) -> Option<Entry<'_>> {
    if body.contains('\x1b') {
        let plain = strip_ansi(body);
        return parse_plain(&plain).map(Entry::into_owned);
    }
    parse_plain(body)
}

fn parse_plain(body: &str) -> Option<Entry<'_>> {
    let b = body.as_bytes();
    if b.len() < 6 || b[4] != b'[' {
        return None;
    }
    let level = Level::parse(&body[..4])?;
    let close = body[5..].find(']')? + 5;
    let stamp = &body[5..close];
    // `[0042]` is seconds since start: no wall-clock time.
    let time = (!stamp.bytes().all(|c| c.is_ascii_digit())).then_some(Cow::Borrowed(stamp));
    let rest = body[close + 1..].trim_start();
    let (msg, fields_part) = split_msg(rest);
    let mut entry = Entry {
        format: Format::Tty,
        time,
        level: Some(level),
        msg: Cow::Borrowed(msg.trim_end()),
        fields: Vec::new(),
        damaged: false,
    };
    let mut tokens = Tokens::new(fields_part);
    for tok in tokens.by_ref() {
        match tok {
            Token::Pair(key, value) => entry.fields.push(Field {
                key: Cow::Borrowed(key),
                value,
                note: 0,
            }),
            Token::Stray => entry.damaged = true,
        }
    }
    entry.damaged |= tokens.damaged;
    Some(entry)
}

/// The message runs up to the first ` key=` (the formatter pads it to 44 columns).
fn split_msg(rest: &str) -> (&str, &str) {
    let b = rest.as_bytes();
    let mut i = 0;
    while let Some(off) = memchr::memchr(b' ', &b[i..]) {
        let sp = i + off;
        let mut j = sp + 1;
        while j < b.len() && b[j] == b' ' {
            j += 1;
        }
        let key_start = j;
        while j < b.len() && (b[j].is_ascii_alphanumeric() || matches!(b[j], b'.' | b'_' | b'-')) {
            j += 1;
        }
        if j > key_start && b.get(j) == Some(&b'=') && b[key_start].is_ascii_alphabetic() {
            return (&rest[..sp], &rest[key_start..]);
        }
        i = sp + 1;
    }
    (rest, "")
}

/// Removes logrus's colour codes, the SGR sequences (`ESC [ … m`); any other escape (a cursor
/// move, a clear `ESC [2J`, an OSC title `ESC ]0;…`) stays in the text, for the outputs to show
/// it made visible (`\x1b[2J`), as in a line without colour (a review saw a TTY line's
/// `ESC ]` and `ESC [2J` vanish while the same bytes in a logfmt line showed).
pub(super) fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('\x1b') {
        out.push_str(&rest[..at]);
        let esc = &rest[at..];
        // `ESC [`, parameters and intermediates, then the final byte.
        let sgr_len = esc.strip_prefix("\x1b[").and_then(|body| {
            let end = body.find(|c: char| ('@'..='~').contains(&c))?;
            (body.as_bytes()[end] == b'm'
                && body[..end].bytes().all(|b| b.is_ascii_digit() || b == b';'))
            .then_some(2 + end + 1)
        });
        match sgr_len {
            Some(n) => rest = &esc[n..],
            None => {
                out.push('\x1b');
                rest = &esc[1..];
            }
        }
    }
    out.push_str(rest);
    out
}
