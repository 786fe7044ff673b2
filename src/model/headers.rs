//! The headers of an exchange as bkscope keeps them: read from containerd's per-header fields
//! (`request.header.accept`, `.1` repeats) or from containerd < 1.4's one Go map field, scrubbed,
//! and in lean mode only those a `HeaderFilter` names (the filter the headless reader also
//! asks which fields it may drop).
//!
//! Pure: entries in, headers out.

use serde::Serialize;

use super::intern::Shared;
use super::note::{self, AsHeader, Side};
use super::redact::Scrub;
use crate::parse::Entry;

/// One HTTP header as logged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Header {
    /// Lowercase name, without the `.1` repeat suffix; shared with the model's header filter
    /// when it has one, so a kept header costs no allocation for its name.
    pub name: Shared,
    /// The value (redacted unless the user opted out).
    pub value: String,
}

/// A set of header names, ASCII case-insensitive, checked with a few integer compares: only
/// names of the same length are compared, on their first 8 bytes first.
#[derive(Debug, Clone)]
pub(super) struct HeaderFilter {
    /// Lowercase, shared with every [`Header`] kept under them.
    names: Vec<Shared>,
    /// By name length (longer names in the last bucket): each name as lowercased 8-byte words,
    /// compared a word at a time by [`HeaderFilter::find`] (a lookup for every header field of
    /// every registry line, where a `memcmp` call per confirmed name, through a pointer to the
    /// name, was 5 % of the samples of a `summary` run).
    by_len: Vec<Vec<Slot>>,
    /// Per name: kept without its value (read only for being there).
    pub(super) bare: Vec<bool>,
}

impl HeaderFilter {
    const LONG: usize = 64;

    pub fn new(names: impl IntoIterator<Item = String>) -> Self {
        let names: Vec<Shared> = names
            .into_iter()
            .map(|n| Shared::from(n.to_ascii_lowercase()))
            .collect();
        let mut by_len = vec![Vec::new(); Self::LONG + 1];
        for (i, n) in names.iter().enumerate() {
            by_len[n.len().min(Self::LONG)].push(Slot {
                first: word_at(n, 0),
                len: n.len(),
                index: i,
                rest: (1..n.len().div_ceil(8)).map(|w| word_at(n, w)).collect(),
            });
        }
        let bare = vec![false; names.len()];
        HeaderFilter {
            names,
            by_len,
            bare,
        }
    }

    /// The same filter, keeping the headers named in `bare` without their values.
    pub fn without_values(mut self, bare: impl IntoIterator<Item = String>) -> Self {
        for name in bare {
            if let Some(i) = self.find(&name)
                && let Some(b) = self.bare.get_mut(i)
            {
                *b = true;
            }
        }
        self
    }

    /// For a per-header field (`response.header.x-goog-hash.1`): `Some` of the index of its
    /// header in this filter, `Some(None)` when the filter leaves it out ([`headers`] with this
    /// filter never reads it). `None` for any other field.
    pub(super) fn field_header(&self, key: &str) -> Option<(Side, Option<usize>)> {
        let (side, name) = if let Some(name) = key.strip_prefix(Side::Request.prefix()) {
            (Side::Request, name)
        } else {
            (Side::Response, key.strip_prefix(Side::Response.prefix())?)
        };
        Some((side, self.find(header_name(name))))
    }

    /// True when header `i` is kept without its value.
    pub(super) fn is_bare(&self, i: usize) -> bool {
        self.bare.get(i) == Some(&true)
    }

    pub(super) fn find(&self, name: &str) -> Option<usize> {
        let bucket = self.by_len.get(name.len().min(Self::LONG))?;
        if bucket.is_empty() {
            return None;
        }
        // The first word of equal names is equal, and the last bucket holds names of any
        // length from `LONG` on, so the lengths are compared too; then the rest, a lowercased
        // word at a time (the filter's names are lowercase, logged ones mostly so).
        let first = word_at(name, 0);
        let len = name.len();
        bucket.iter().find_map(|slot| {
            (slot.first == first
                && slot.len == len
                && (1..)
                    .zip(slot.rest.iter())
                    .all(|(w, &word)| word == word_at(name, w)))
            .then_some(slot.index)
        })
    }

    /// The header kept under name `i` of this filter: the shared name, and the value unless
    /// the name is kept bare (read only for being there: neither checked for secrets nor
    /// copied).
    fn header(&self, i: usize, value: &str, scrub: Scrub<'_>) -> Option<Header> {
        let name = self.names.get(i)?;
        if self.bare.get(i) == Some(&true) {
            return Some(Header {
                name: Shared::clone(name),
                value: String::new(),
            });
        }
        Some(Header {
            name: Shared::clone(name),
            value: scrub.header_value(name, value).into_owned(),
        })
    }

    /// [`HeaderFilter::header`] written over `slot`, reusing its value's buffer; false (slot
    /// untouched) when `i` is not a name of this filter.
    fn header_into(&self, i: usize, value: &str, scrub: Scrub<'_>, slot: &mut Header) -> bool {
        let Some(name) = self.names.get(i) else {
            return false;
        };
        if !Shared::ptr_eq(&slot.name, name) {
            slot.name = Shared::clone(name);
        }
        slot.value.clear();
        if self.bare.get(i) != Some(&true) {
            slot.value.push_str(&scrub.header_value(name, value));
        }
        true
    }
}

/// A name of a [`HeaderFilter`]: its first 8 bytes as a lowercased word ([`word_at`]) and its
/// length, read for every candidate of a bucket without leaving it; its index; the words past
/// the first, read only for a candidate those matched.
#[derive(Debug, Clone)]
struct Slot {
    first: u64,
    len: usize,
    index: usize,
    rest: Box<[u64]>,
}

/// Bytes `8 * w .. 8 * w + 8` of `name`, ASCII-lowercased, as one word (zero-padded past the
/// end of the name).
fn word_at(name: &str, w: usize) -> u64 {
    let b = name.as_bytes();
    let from = w * 8;
    let bytes = match b.get(from..from + 8) {
        Some(eight) => <[u8; 8]>::try_from(eight).unwrap_or_default(),
        None => {
            let mut k = [0u8; 8];
            let part = b.get(from..).unwrap_or(&[]);
            k[..part.len().min(8)].copy_from_slice(&part[..part.len().min(8)]);
            k
        }
    };
    ascii_lowercase_word(u64::from_le_bytes(bytes))
}

/// Every byte of `x` in `A..=Z` made lowercase, the others left as they are: eight bytes at
/// once (a loop of `to_ascii_lowercase` was most of a filter lookup).
fn ascii_lowercase_word(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Each byte's low seven bits plus a bias sets its high bit when they are at least `A`
    // (or more than `Z`); the biased sums stay below 0x100, so no byte carries into the next.
    let low = x & !HIGH;
    let at_least_a = low + ONES * (0x80 - u64::from(b'A'));
    let above_z = low + ONES * (0x80 - u64::from(b'Z') - 1);
    // ASCII (high bit clear) and within A..=Z: add 0x20.
    let upper = at_least_a & !above_z & !x & HIGH;
    x | (upper >> 2)
}

/// Headers from per-header fields (`request.header.accept`, `.1` repeats) or, in containerd < 1.4,
/// one Go map field (`request.headers="map[Accept:[…] Authorization:[Bearer …]]"`). With `only`,
/// just the headers it names, in line order.
pub(super) fn headers(
    e: &Entry<'_>,
    side: Side,
    scrub: Scrub<'_>,
    only: Option<&HeaderFilter>,
) -> Vec<Header> {
    let mut out = Vec::new();
    headers_into(e, side, scrub, only, &mut out);
    out
}

/// [`headers`] written into `out`, whose headers are overwritten in place: a lean model hands
/// back the lists of completed events (`Model::spare_headers`), so a kept header costs no
/// allocation once the lists have grown to the log's headers.
pub(super) fn headers_into(
    e: &Entry<'_>,
    side: Side,
    scrub: Scrub<'_>,
    only: Option<&HeaderFilter>,
    out: &mut Vec<Header>,
) {
    let prefix = side.prefix();
    // The header as kept, when the filter keeps it.
    let keep = |name: &str, value: &str| match only {
        None => Some(header(name, value, scrub)),
        Some(o) => o.find(name).and_then(|i| o.header(i, value, scrub)),
    };
    match only {
        None => {
            out.clear();
            for f in &e.fields {
                if let Some(name) = f.key.strip_prefix(prefix).map(header_name) {
                    out.push(header(name, &f.value, scrub));
                }
            }
        }
        Some(o) => {
            let mut n = 0;
            for f in &e.fields {
                // The reader noted which header a field is (model/note.rs); an unnoted field
                // is looked up by name.
                let found = match note::as_header(f.note, side) {
                    AsHeader::Kept(i) => Some(i),
                    AsHeader::Not => None,
                    AsHeader::Unknown => f
                        .key
                        .strip_prefix(prefix)
                        .map(header_name)
                        .and_then(|name| o.find(name)),
                };
                let Some(i) = found else {
                    continue;
                };
                match out.get_mut(n) {
                    Some(slot) => n += usize::from(o.header_into(i, &f.value, scrub, slot)),
                    None => {
                        if let Some(h) = o.header(i, &f.value, scrub) {
                            out.push(h);
                            n += 1;
                        }
                    }
                }
            }
            out.truncate(n);
        }
    }
    if out.is_empty()
        && let Some(map) = e.get(side.map_key())
    {
        out.extend(
            parse_go_header_map(map)
                .into_iter()
                .filter_map(|(k, v)| keep(&k, &v)),
        );
    }
}

/// The header a field names after its `request.header.` or `response.header.` prefix:
/// `x-goog-hash.1` is the second `x-goog-hash`.
fn header_name(name: &str) -> &str {
    // Only names ending in a digit or a dot can carry such a suffix, so the others skip the
    // search for the dot.
    match name.as_bytes().last() {
        Some(b'0'..=b'9' | b'.') => match name.rsplit_once('.') {
            Some((base, n)) if n.bytes().all(|b| b.is_ascii_digit()) => base,
            _ => name,
        },
        _ => name,
    }
}

fn header(name: &str, value: &str, scrub: Scrub<'_>) -> Header {
    let name = name.to_ascii_lowercase();
    let value = scrub.header_value(&name, value).into_owned();
    Header {
        name: Shared::from(name),
        value,
    }
}

/// Parses Go's `fmt` of an `http.Header`: `map[Accept:[a, b] User-Agent:[c]]`.
pub fn parse_go_header_map(s: &str) -> Vec<(String, String)> {
    let Some(inner) = s.strip_prefix("map[").and_then(|r| r.strip_suffix(']')) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut rest = inner;
    while let Some(colon) = rest.find(":[") {
        let name = rest[..colon].trim();
        let after = &rest[colon + 2..];
        let close = after
            .find("] ")
            .or_else(|| after.rfind(']'))
            .unwrap_or(after.len());
        out.push((name.to_owned(), after[..close].to_owned()));
        rest = after.get(close + 1..).unwrap_or("");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_header_maps() {
        let h = parse_go_header_map(
            "map[Accept:[application/vnd.docker.distribution.manifest.v2+json, */*] Authorization:[Bearer abc] User-Agent:[docker/18.09]]",
        );
        assert_eq!(h.len(), 3);
        assert_eq!(h[1], ("Authorization".into(), "Bearer abc".into()));
        assert!(parse_go_header_map("garbage").is_empty());
        assert!(parse_go_header_map("map[x:[").len() <= 1);
    }

    #[test]
    fn a_filter_leaves_out_the_fields_of_other_headers() {
        let only = HeaderFilter::new(["x-goog-hash".to_owned(), "accept".to_owned()]);
        for kept in [
            "response.header.x-goog-hash",
            "response.header.x-goog-hash.1",
            "request.header.Accept",
            "url",
            "response.status",
            "request.headers",
            "header",
        ] {
            assert_ne!(only.field_header(kept).map(|h| h.1), Some(None), "{kept}");
        }
        for dropped in [
            "response.header.etag",
            "response.header.x-goog-hash-other",
            "request.header.user-agent",
            "request.header.accept.x",
        ] {
            assert_eq!(
                only.field_header(dropped).map(|h| h.1),
                Some(None),
                "{dropped}"
            );
        }
    }

    #[test]
    fn bare_headers_are_kept_without_their_values() {
        let line = r#"time="2024-01-01T00:00:00Z" level=debug msg="fetch response received" response.header.x-goog-hash=crc32c=AAA response.header.server=UploadServer response.header.www-authenticate="Bearer realm=\"https://a/token?token=hunter2\"" response.header.etag=x"#;
        let rec = crate::parse::parse_line(line);
        let e = rec.entry().unwrap();
        let only =
            HeaderFilter::new(["x-goog-hash", "server", "www-authenticate"].map(str::to_owned))
                .without_values(["x-goog-hash".to_owned()]);
        let kept = headers(e, Side::Response, Scrub::new(true), Some(&only));
        let pairs: Vec<(&str, &str)> = kept.iter().map(|h| (&*h.name, h.value.as_str())).collect();
        assert_eq!(
            pairs,
            [
                ("x-goog-hash", ""),
                ("server", "UploadServer"),
                (
                    "www-authenticate",
                    "Bearer realm=\"https://a/token?token=REDACTED\""
                ),
            ]
        );
    }

    /// Every kept header comes out, in line order, with the filter's shared lowercase name;
    /// the unfiltered list keeps them all too.
    #[test]
    fn many_kept_headers_come_out_in_line_order_with_shared_names() {
        let mut line =
            r#"time="2024-01-01T00:00:00Z" level=debug msg="fetch response received""#.to_owned();
        for i in 0..40 {
            line.push_str(&format!(" response.header.X-H{}=v{i}", i % 20));
            line.push_str(&format!(" response.header.skip{i}=s"));
        }
        let rec = crate::parse::parse_line(&line);
        let e = rec.entry().unwrap();
        let only = HeaderFilter::new((0..20).map(|i| format!("x-h{i}")));
        let kept = headers(e, Side::Response, Scrub::new(true), Some(&only));
        let pairs: Vec<(String, String)> = kept
            .iter()
            .map(|h| (h.name.to_string(), h.value.clone()))
            .collect();
        let want: Vec<(String, String)> = (0..40)
            .map(|i| (format!("x-h{}", i % 20), format!("v{i}")))
            .collect();
        assert_eq!(pairs, want);
        for h in &kept {
            let i = only.find(&h.name).unwrap();
            assert!(Shared::ptr_eq(&h.name, &only.names[i]));
        }
        let all = headers(e, Side::Response, Scrub::new(true), None);
        assert_eq!(all.len(), 80);
        assert_eq!(&*all[0].name, "x-h0");
    }

    /// A list written over (a lean model's spare list) holds exactly what a new one would:
    /// longer, shorter and bare-valued lists alike, in whatever order they come.
    #[test]
    fn headers_written_over_a_used_list_equal_a_new_list() {
        let only = HeaderFilter::new(
            [
                "content-length",
                "server",
                "x-goog-hash",
                "www-authenticate",
            ]
            .map(str::to_owned),
        )
        .without_values(["server".to_owned()]);
        let lines = [
            r#"time="2024-01-01T00:00:00Z" level=debug msg="fetch response received" response.header.content-length=10 response.header.server=UploadServer response.header.x-goog-hash=crc32c=AAA response.header.x-goog-hash.1=md5=BBB"#,
            r#"time="2024-01-01T00:00:00Z" level=debug msg="fetch response received" response.header.www-authenticate="Bearer realm=\"https://a/token?token=hunter2\"""#,
            r#"time="2024-01-01T00:00:00Z" level=debug msg="fetch response received" response.header.server=nginx response.header.content-length=3"#,
            r#"time="2024-01-01T00:00:00Z" level=debug msg="fetch response received" response.status="200 OK""#,
            r#"time="2024-01-01T00:00:00Z" level=debug msg="fetch response received" response.header.x-goog-hash=crc32c=CCC response.header.server=x response.header.content-length=99999 response.header.www-authenticate=Basic"#,
        ];
        let mut used = Vec::new();
        for round in 0..2 {
            for line in lines {
                let rec = crate::parse::parse_line(line);
                let e = rec.entry().unwrap();
                let new = headers(e, Side::Response, Scrub::new(true), Some(&only));
                headers_into(e, Side::Response, Scrub::new(true), Some(&only), &mut used);
                assert_eq!(used, new, "round {round}: {line}");
            }
        }
        assert!(used.capacity() >= 4, "the list kept its room");
    }

    /// The word-wide lowercase equals `to_ascii_lowercase` on every byte value in every place.
    #[test]
    fn lowercase_word_equals_the_byte_loop() {
        for c in 0..=255u8 {
            for at in 0..8 {
                let mut b = *b"aZ-9\xe9Q_z";
                b[at] = c;
                let want = u64::from_le_bytes(b.map(|x| x.to_ascii_lowercase()));
                assert_eq!(
                    ascii_lowercase_word(u64::from_le_bytes(b)),
                    want,
                    "{c:#x} at {at}"
                );
            }
        }
    }

    #[test]
    fn a_long_name_is_found_only_at_its_own_length() {
        // Names of 64 bytes and more share a bucket, and their words are zero-padded: a name
        // with a NUL byte more is another name.
        let long = format!("x-{}", "a".repeat(63));
        let filter = HeaderFilter::new([long.clone(), format!("{long}b")]);
        assert_eq!(filter.find(&long), Some(0));
        assert_eq!(filter.find(&long.to_ascii_uppercase()), Some(0));
        assert_eq!(filter.find(&format!("{long}\0")), None);
        assert_eq!(filter.find(&format!("{long}B")), Some(1));
        assert_eq!(filter.find(&format!("{long}c")), None);
        assert_eq!(filter.find(&long[..64]), None);
    }

    proptest::proptest! {
        /// A lookup finds what comparing every name ignoring ASCII case finds.
        #[test]
        fn find_equals_a_scan_ignoring_case(
            names in proptest::collection::vec("[a-zA-Z0-9-]{0,30}|x-[a-z]{60,70}", 1..12),
            probe in "[a-zA-Z0-9-]{0,30}|X-[a-zA-Z]{60,70}",
            pick in proptest::prelude::any::<proptest::sample::Index>(),
        ) {
            let lower: Vec<String> = names.iter().map(|n| n.to_ascii_lowercase()).collect();
            let mut unique = lower.clone();
            unique.sort();
            unique.dedup();
            let filter = HeaderFilter::new(unique.clone());
            let scan = |p: &str| unique.iter().position(|n| n.eq_ignore_ascii_case(p));
            proptest::prop_assert_eq!(filter.find(&probe), scan(&probe));
            let known = &names[pick.index(names.len())];
            proptest::prop_assert_eq!(filter.find(known), scan(known));
            proptest::prop_assert!(filter.find(known).is_some());
        }
    }
}
