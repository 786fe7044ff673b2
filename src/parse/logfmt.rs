//! The logrus text formatter's `key=value` syntax, as buildkitd and dockerd write it.
//!
//! A value is bare when every rune is in `[A-Za-z0-9-._/@^+]`, otherwise Go-quoted (`%q`), so
//! values may hold `\"`, `\\`, `\n`, `\t`, `\uXXXX`. Pure: borrows from the line, allocates only
//! for values with escapes.

use std::borrow::Cow;

use super::scan::{Marking, Scanner, Stop};
use super::{Entry, Field, Format, Level};

/// Parses a non-TTY logrus line (`time="…" level=… msg=… k=v …`). The line may start with an
/// unknown prefix, as long as a `time=` or `level=` token follows it.
pub(super) fn parse(body: &str) -> Option<Entry<'_>> {
    let start = find_start(body)?;
    let mut tokens = Tokens::new(&body[start..]);
    let entry = entry_of(
        std::iter::from_fn(|| tokens.next_raw()),
        Vec::with_capacity(32),
    );
    entry.map(|mut e| {
        e.damaged |= tokens.damaged;
        e
    })
}

/// The entry a line's tokens make: `time`, `level` and `msg` (first of each) are taken out,
/// every other pair is a field in line order, a stray word marks the entry damaged. `None`
/// when there is neither a msg nor a level. `fields` is the room to reserve for the fields.
pub(super) fn entry_of<'a>(
    tokens: impl Iterator<Item = RawToken<'a>>,
    mut fields: Vec<Field<'a>>,
) -> Option<Entry<'a>> {
    fields.clear();
    let mut entry = Entry {
        format: Format::Logfmt,
        time: None,
        level: None,
        msg: Cow::Borrowed(""),
        fields,
        damaged: false,
    };
    let mut saw_msg = false;
    for tok in tokens {
        match tok {
            RawToken::Pair {
                key,
                value,
                escaped,
                note,
            } => {
                let value = cook(value, escaped);
                match key {
                    "time" if entry.time.is_none() => entry.time = Some(value),
                    "level" if entry.level.is_none() => entry.level = Level::parse(&value),
                    "msg" if !saw_msg => {
                        entry.msg = value;
                        saw_msg = true;
                    }
                    _ => entry.fields.push(Field {
                        key: Cow::Borrowed(key),
                        value,
                        note,
                    }),
                }
            }
            RawToken::Stray => entry.damaged = true,
        }
    }
    (saw_msg || entry.level.is_some()).then_some(entry)
}

/// Where the `key=value` part starts: at 0 for a clean line, after an unknown prefix otherwise.
fn find_start(body: &str) -> Option<usize> {
    for key in ["time=", "level="] {
        if body.starts_with(key) {
            return Some(0);
        }
    }
    ["time=\"", " level="]
        .iter()
        .filter_map(|pat| {
            body.find(pat)
                .map(|i| if pat.starts_with(' ') { i + 1 } else { i })
        })
        .min()
}

pub(super) enum Token<'a> {
    Pair(&'a str, Cow<'a, str>),
    Stray,
}

/// A token before Go quoting is undone: `escaped` says the value still holds `\` escapes;
/// `note` is the caller's number for the field (0 from the tokenizer; see [`Field::note`]).
pub(super) enum RawToken<'a> {
    Pair {
        key: &'a str,
        value: &'a str,
        escaped: bool,
        note: u16,
    },
    Stray,
}

/// Splits the key/value part of a line into pairs.
pub(super) struct Tokens<'a> {
    s: &'a str,
    pos: usize,
    scan: Scanner<'a>,
    pub(super) damaged: bool,
}

impl<'a> Tokens<'a> {
    pub(super) fn new(s: &'a str) -> Self {
        Self::marked(s, Marking::NONE)
    }

    /// Tokens of `s`, whose marks `marking` gives (see [`TextMarks`](super::TextMarks)).
    pub(super) fn marked(s: &'a str, marking: Marking<'a>) -> Self {
        Tokens {
            s,
            pos: 0,
            scan: Scanner::new(s.as_bytes(), marking),
            damaged: false,
        }
    }

    /// The next token with its value as written: no allocation, escapes left in.
    pub(super) fn next_raw(&mut self) -> Option<RawToken<'a>> {
        let text = |(from, to): (usize, usize)| self.s.get(from..to).unwrap_or("");
        Some(match self.next_span()? {
            SpanToken::Pair {
                key,
                value,
                escaped,
            } => RawToken::Pair {
                key: text(key),
                value: text(value),
                escaped,
                note: 0,
            },
            SpanToken::Stray => RawToken::Stray,
        })
    }

    /// [`Tokens::next_raw`] as byte offsets into the text: the headless reader keeps offsets
    /// only (`parse::cut`), so it skips making (and bounds-checking) the slices. Every offset
    /// is at the text's start or end or next to an ASCII `=`, `"` or blank, so it is a char
    /// boundary.
    pub(super) fn next_span(&mut self) -> Option<SpanToken> {
        let b = self.s.as_bytes();
        let len = b.len();
        let mut pos = self.pos;
        while let Some(b' ' | b'\t') = b.get(pos) {
            pos += 1;
        }
        if pos >= len {
            self.pos = pos;
            return None;
        }
        let key_start = pos;
        pos = self.scan.find(key_start, Stop::KeyEnd).unwrap_or(len);
        if b.get(pos) != Some(&b'=') {
            self.pos = pos;
            return Some(SpanToken::Stray);
        }
        let key = (key_start, pos);
        pos += 1; // '='
        if key.0 == key.1 {
            self.pos = pos;
            return Some(SpanToken::Stray);
        }
        if b.get(pos) == Some(&b'"') {
            let open = pos + 1;
            match find_closing_quote(&mut self.scan, b, open) {
                Some((close, escaped)) => {
                    self.pos = close + 1;
                    Some(SpanToken::Pair {
                        key,
                        value: (open, close),
                        escaped,
                    })
                }
                None => {
                    // Unbalanced quote (a secret masker ate one, or the line was wrapped):
                    // the value runs to the next ` key=` and the line is marked damaged.
                    self.damaged = true;
                    let rest = self.s.get(open..).unwrap_or("");
                    let end = next_key_start(rest).map_or(len, |i| open + i);
                    let inner = self.s.get(open..end).unwrap_or("");
                    self.pos = end;
                    let escaped = memchr::memchr(b'\\', inner.as_bytes()).is_some();
                    let value_end = if escaped {
                        end
                    } else {
                        open + inner.trim_end().len()
                    };
                    Some(SpanToken::Pair {
                        key,
                        value: (open, value_end),
                        escaped,
                    })
                }
            }
        } else {
            let end = self.scan.find(pos, Stop::Blank).unwrap_or(len);
            self.pos = end;
            Some(SpanToken::Pair {
                key,
                value: (pos, end),
                escaped: false,
            })
        }
    }
}

/// A token as byte offsets (`(start, end)`) into the tokenized text.
pub(super) enum SpanToken {
    Pair {
        key: (usize, usize),
        value: (usize, usize),
        escaped: bool,
    },
    Stray,
}

/// A raw value with its Go escapes undone (allocates only when it has some).
pub(super) fn cook(value: &str, escaped: bool) -> Cow<'_, str> {
    if escaped {
        Cow::Owned(unquote_go(value))
    } else {
        Cow::Borrowed(value)
    }
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        Some(match self.next_raw()? {
            RawToken::Pair {
                key,
                value,
                escaped,
                ..
            } => Token::Pair(key, cook(value, escaped)),
            RawToken::Stray => Token::Stray,
        })
    }
}

/// Where the quoted value opened at `open` closes, and whether it has escapes; `None` when
/// unterminated.
fn find_closing_quote(scan: &mut Scanner<'_>, b: &[u8], open: usize) -> Option<(usize, bool)> {
    let mut i = open;
    let mut escaped = false;
    while let Some(at) = scan.find(i, Stop::Quote) {
        if b[at] == b'"' {
            return Some((at, escaped));
        }
        escaped = true;
        i = at + 2;
        if i > b.len() {
            return None;
        }
    }
    None
}

/// Field names that end a runaway value. Words such as `realm=` inside a damaged value must not,
/// so only dotted names (`response.status`) and the names containerd and BuildKit use count.
fn is_recovery_key(key: &str) -> bool {
    const KNOWN: &[&str] = &[
        "time",
        "level",
        "msg",
        "host",
        "url",
        "digest",
        "mediatype",
        "size",
        "error",
        "header",
        "span",
        "spanID",
        "traceID",
        "status",
        "body",
        "method",
        "attempt",
        "name",
        "scope",
        "key",
        "cached",
        "module",
        "component",
    ];
    (key.contains('.') && key.as_bytes().first().is_some_and(u8::is_ascii_alphabetic))
        || KNOWN.contains(&key)
}

/// Offset of the next ` key=` in `s` (the space's position), if any.
fn next_key_start(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 0;
    while let Some(off) = memchr::memchr(b' ', &b[i..]) {
        let sp = i + off;
        let mut j = sp + 1;
        while j < b.len() && (b[j].is_ascii_alphanumeric() || matches!(b[j], b'.' | b'_' | b'-')) {
            j += 1;
        }
        let key = &s[sp + 1..j];
        if b.get(j) == Some(&b'=') && is_recovery_key(key) {
            return Some(sp);
        }
        i = sp + 1;
    }
    None
}

/// Undoes Go's `strconv.Quote` escapes inside a quoted value. Unknown escapes are kept as written.
pub fn unquote_go(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    // Runs without a backslash are copied whole; each escape is undone on its own.
    while let Some(i) = memchr::memchr(b'\\', rest.as_bytes()) {
        out.push_str(&rest[..i]);
        let mut chars = rest[i + 1..].chars();
        let Some(e) = chars.next() else {
            out.push('\\');
            return out;
        };
        match e {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'a' => out.push('\u{7}'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'v' => out.push('\u{b}'),
            '\\' | '"' | '\'' => out.push(e),
            'x' | 'u' | 'U' => {
                let n = match e {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let hex: String = chars.clone().take(n).collect();
                match u32::from_str_radix(&hex, 16)
                    .ok()
                    .filter(|_| hex.len() == n)
                {
                    Some(v) => {
                        for _ in 0..n {
                            chars.next();
                        }
                        if e == 'x' {
                            // \xHH is one byte; below 0x80 it is that character.
                            out.push(char::from_u32(v).filter(|_| v < 0x80).unwrap_or('\u{FFFD}'));
                        } else {
                            out.push(char::from_u32(v).unwrap_or('\u{FFFD}'));
                        }
                    }
                    None => {
                        out.push('\\');
                        out.push(e);
                    }
                }
            }
            _ => {
                out.push('\\');
                out.push(e);
            }
        }
        rest = chars.as_str();
    }
    out.push_str(rest);
    out
}
