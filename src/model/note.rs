//! Numbers for the fields the model reads. The headless reader looks every field's name up
//! once anyway (to drop the headers a lean model never reads); it attaches the answer to the
//! token as a [`Field::note`](crate::parse::Field::note), and the model then finds its fields
//! by a `u16` compare instead of comparing names again (docs/performance.md, "Fields by
//! number").
//!
//! A note is authoritative when it is not 0: [`PLAIN`] says "none of the fields below", a
//! header note names the header filter's entry. A field with note 0 (every field of a line
//! that `parse_line` parsed, as the explorer and the line-by-line path do) is read by its name,
//! exactly as before. So an entry may mix both, and every lookup here answers the same as its
//! by-name twin: `cli::input`'s `fast_path_equals_line_by_line_ingest` compares the two paths
//! on every fixture, and the tests below compare each lookup with its twin.
//!
//! Pure: names and numbers.

use crate::parse::Entry;

/// A field the reader looked up that is none of the numbered ones.
pub(super) const PLAIN: u16 = 1;
pub(super) const URL: u16 = 2;
pub(super) const HOST: u16 = 3;
pub(super) const DIGEST: u16 = 4;
pub(super) const MEDIATYPE: u16 = 5;
pub(super) const SIZE: u16 = 6;
pub(super) const TRACE_ID: u16 = 7;
pub(super) const SPAN_ID: u16 = 8;
pub(super) const SPAN: u16 = 9;
pub(super) const METHOD: u16 = 10;
pub(super) const RESPONSE_STATUS: u16 = 11;
pub(super) const STATUS: u16 = 12;

/// Header notes: `REQUEST_HEADER + i` for `request.header.<name i of the filter>`, likewise
/// for responses; a filter index past `HEADERS` gets no note.
const REQUEST_HEADER: u16 = 0x1000;
const RESPONSE_HEADER: u16 = 0x2000;
const HEADERS: usize = 0x1000;

/// Which side of an exchange a header was logged on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Side {
    Request,
    Response,
}

impl Side {
    /// The prefix of its per-header fields.
    pub(super) fn prefix(self) -> &'static str {
        match self {
            Side::Request => "request.header.",
            Side::Response => "response.header.",
        }
    }

    /// The field of containerd < 1.4, one Go map of every header.
    pub(super) fn map_key(self) -> &'static str {
        match self {
            Side::Request => "request.headers",
            Side::Response => "response.headers",
        }
    }

    fn base(self) -> u16 {
        match self {
            Side::Request => REQUEST_HEADER,
            Side::Response => RESPONSE_HEADER,
        }
    }
}

/// The note of a field that is not a per-header field: its number, else [`PLAIN`]. The reader
/// asks for every field of a registry line (`time`, `level`, `msg` among them); a key is
/// compared only with the names of its length and first byte.
pub(super) fn of_key(key: &str) -> u16 {
    match (key.len(), key.as_bytes().first()) {
        (3, Some(b'u')) if key == "url" => URL,
        (4, Some(b'h')) if key == "host" => HOST,
        (4, Some(b's')) if key == "size" => SIZE,
        (4, Some(b's')) if key == "span" => SPAN,
        (6, Some(b'd')) if key == "digest" => DIGEST,
        (6, Some(b's')) if key == "spanID" => SPAN_ID,
        (6, Some(b's')) if key == "status" => STATUS,
        (7, Some(b't')) if key == "traceID" => TRACE_ID,
        (9, Some(b'm')) if key == "mediatype" => MEDIATYPE,
        (14, Some(b'r')) if key == "request.method" => METHOD,
        (15, Some(b'r')) if key == "response.status" => RESPONSE_STATUS,
        _ => PLAIN,
    }
}

/// The note of header `i` of the filter on `side`, when it has one (0: read by name).
pub(super) fn of_header(side: Side, i: usize) -> u16 {
    if i < HEADERS {
        side.base() + i as u16
    } else {
        0
    }
}

/// What a field's note says about it as a header on `side`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum AsHeader {
    /// No note: read the name.
    Unknown,
    /// Header `i` of the filter.
    Kept(usize),
    /// Not a header of the filter on this side.
    Not,
}

/// [`AsHeader`] of a field noted `note`.
pub(super) fn as_header(note: u16, side: Side) -> AsHeader {
    if note == 0 {
        return AsHeader::Unknown;
    }
    match note.checked_sub(side.base()) {
        Some(i) if usize::from(i) < HEADERS => AsHeader::Kept(usize::from(i)),
        _ => AsHeader::Not,
    }
}

/// The number a field has ([`of_key`]): its note, or for an unnoted field its name's.
pub(super) fn named(note: u16, key: &str) -> u16 {
    if note == 0 { of_key(key) } else { note }
}

/// The first value of the field numbered `n` (one of [`of_key`]'s, for name `key`):
/// [`Entry::get`] by number where the fields are noted.
pub(super) fn get<'e>(e: &'e Entry<'_>, n: u16, key: &str) -> Option<&'e str> {
    e.fields
        .iter()
        .find(|f| f.note == n || f.note == 0 && f.key == key)
        .map(|f| f.value.as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{Record, parse_line};

    /// The field names with numbers of their own ([`of_key`] is this table as a `match`).
    const NAMED: [(&str, u16); 11] = [
        ("url", URL),
        ("host", HOST),
        ("digest", DIGEST),
        ("mediatype", MEDIATYPE),
        ("size", SIZE),
        ("traceID", TRACE_ID),
        ("spanID", SPAN_ID),
        ("span", SPAN),
        ("request.method", METHOD),
        ("response.status", RESPONSE_STATUS),
        ("status", STATUS),
    ];

    #[test]
    fn every_named_field_has_its_own_number() {
        for (i, (name, n)) in NAMED.iter().enumerate() {
            assert_eq!(of_key(name), *n, "{name}");
            assert!(*n > PLAIN && *n < REQUEST_HEADER);
            assert!(NAMED.iter().skip(i + 1).all(|(_, m)| m != n), "{name}");
        }
        for other in [
            "request.header.accept",
            "Url",
            "time",
            "level",
            "msg",
            "spanid",
            "",
        ] {
            assert_eq!(of_key(other), PLAIN, "{other}");
        }
    }

    #[test]
    fn header_notes_say_their_side() {
        assert_eq!(
            as_header(of_header(Side::Request, 3), Side::Request),
            AsHeader::Kept(3)
        );
        assert_eq!(
            as_header(of_header(Side::Response, 0), Side::Response),
            AsHeader::Kept(0)
        );
        assert_eq!(
            as_header(of_header(Side::Request, 3), Side::Response),
            AsHeader::Not
        );
        assert_eq!(
            as_header(of_header(Side::Response, 3), Side::Request),
            AsHeader::Not
        );
        assert_eq!(as_header(PLAIN, Side::Request), AsHeader::Not);
        assert_eq!(as_header(URL, Side::Response), AsHeader::Not);
        assert_eq!(as_header(0, Side::Response), AsHeader::Unknown);
        assert_eq!(of_header(Side::Request, HEADERS), 0);
    }

    /// By number, by name, or mixed: the same first value as [`Entry::get`].
    #[test]
    fn get_by_number_answers_as_by_name() {
        let line = r#"time="2024-01-01T00:00:00Z" level=debug msg="fetch response received" host=b spanID=s1 response.status="200 OK" url="http://a/v2/" host=c spanID=s2"#;
        let Record::Entry(plain) = parse_line(line) else {
            panic!("not an entry");
        };
        let mut noted = plain.clone();
        for f in &mut noted.fields {
            f.note = of_key(&f.key);
        }
        let mut mixed = noted.clone();
        for f in mixed.fields.iter_mut().step_by(2) {
            f.note = 0;
        }
        for (name, n) in NAMED {
            for e in [&plain, &noted, &mixed] {
                assert_eq!(get(e, n, name), plain.get(name), "{name}");
            }
        }
        assert_eq!(get(&noted, HOST, "host"), Some("b"));
        assert_eq!(get(&mixed, SPAN_ID, "spanID"), Some("s1"));
    }
}
