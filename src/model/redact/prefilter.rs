//! Which of the redaction patterns may match a text, found without running them: the words
//! each pattern needs (`.header.` and a secret header's name, `bearer`, a secret parameter and
//! its `=`, …), searched in one automaton walk or, for long texts, one SIMD search of a
//! lowercased copy first. `scrub` runs only the patterns [`needs`] names; `text` skips the
//! patterns altogether when [`might_hold_secret`] says none can match.
//!
//! The passes of the fourth review keep that shape: a label (`Password: …`) needs a credential
//! word whose name run is followed by a colon or a spaced `=` and a value the label's rules
//! take (decided for that run in the same walk, [`label_masks`], so Go's `failed to
//! authorize: …` chains cost no pass); `user:pass@host` without a scheme an `@` whose word holds a colon after a
//! lead (a short look back from each `@`, [`may_have_bare_userinfo`], never a regex over the
//! line); a url inside a url a credential word and `%3D` or `%253D`; the new token shapes their
//! prefixes, more words of the same searchers (`sk-` and `AIza` checked as written, since
//! `disk-` holds `sk-`). A curl `-u user:password` needs `curl` and a `-u`; the short
//! credential words `pw`, `creds` and `pat` are words of the same walk as `pwd`.
//!
//! Pure: text in, bit masks out. The automata are built once, on first use (or by
//! [`warm_up`](super::warm_up)).

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use super::names::{SIGNED_PARAMS, is_label_lead, label_masks, may_be_secret_name, name_run};
use super::{SECRET_HEADER_WORDS, SECRET_HEADERS, shapes};

/// The patterns of [`scrub`](fn@super::scrub), as bits of a [`needs`] mask.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Pass {
    HeaderField,
    HeaderMap,
    SchemeCred,
    Userinfo,
    Param,
    JsonSecret,
    HeaderText,
    Jwt,
    CliPassword,
    LoginP,
    TokenShape,
    EncodedJson,
    Label,
    BareUserinfo,
    EncodedParam,
    CurlUser,
}

/// Every pass.
pub(super) const ALL_PASSES: u16 = u16::MAX;

/// Which patterns may match `s` (bit `Pass as u16` for each): those whose required words occur
/// in it, so a line of many `response.header.*` fields is not searched by eight patterns in
/// turn (`header_field`'s `.header.` search went back and forth across the line at every
/// field; docs/performance.md, "Redacting whole lines"). Every pattern needs its words:
/// `.header.` and a secret header's name or credential word (both: `.header.` alone, in every
/// line of headers, needs nothing); `:[`; `bearer` or `basic`; `://` and `@`; a signed url's
/// parameter and `=`; a credential word in a name followed by `=` or, as a JSON key, by its
/// closing quote and a colon ([`may_be_secret_name`]), or by a colon or a spaced `=` with a
/// value the label pass masks ([`label_masks`]); a secret header's name written out; `eyj` (the jwt pattern needs `eyJ`,
/// which this finds too); `-pass` (`--pass`, `--password`, `--http-password`); `login`; `curl`; a
/// token shape's prefix; `user:pass@` that
/// starts a word ([`may_have_bare_userinfo`]); a credential word and `%3d` (a parameter of an
/// encoded url). The words are ASCII, found
/// ASCII case folded as the patterns' `(?i)` folds ASCII text; a text that is not ASCII may
/// match through the folds of `ſ` or the Kelvin sign, so it needs every pattern.
pub(super) fn needs(s: &str) -> u16 {
    if !s.is_ascii() {
        return ALL_PASSES;
    }
    let Some(words) = NEEDS.as_ref() else {
        return ALL_PASSES;
    };
    // userinfo needs `://` and an `@` after it: one in every url, the other rare, so they are
    // not words (the walk would run for every url).
    let b = s.as_bytes();
    let mut need = 0u16;
    if memchr::memchr(b'@', b).is_some() {
        if memchr::memmem::find(b, b"://").is_some() {
            need |= 1 << Pass::Userinfo as u16;
        }
        if may_have_bare_userinfo(b) {
            need |= 1 << Pass::BareUserinfo as u16;
        }
    }
    // Most lines hold none of the words: a SIMD search of a lowercased copy says so at a
    // fraction of the walk's cost, and only a line that has one is walked. A short text (a
    // header value, a url) is walked at once: there the copy and the search cost more than
    // they save (3 % more instructions on `summary`'s reader thread).
    if s.len() > LOWERED_MAX
        && words
            .any
            .as_ref()
            .is_some_and(|any| !any_in_lowered(any, s))
    {
        return need;
    }
    let mut seen = Need::default();
    // The name run of the last credential word checked: the words of one name (`x-auth-token`)
    // share it, so each run is walked once.
    let mut run = (0, 0);
    for m in words.which.find_overlapping_iter(s) {
        if let Some(n) = words.pass_of.get(m.pattern().as_usize()) {
            seen.merge(*n);
            if n.name && (m.start() < run.0 || m.end() > run.1) {
                run = name_run(b, m.start(), m.end());
                if may_be_secret_name(b, run.0, run.1) {
                    need |= 1 << Pass::Param as u16 | 1 << Pass::JsonSecret as u16;
                }
                if label_masks(s, run.0, run.1) {
                    need |= 1 << Pass::Label as u16;
                }
            }
        }
    }
    need |= seen.passes;
    if seen.prefix && seen.name {
        need |= 1 << Pass::HeaderField as u16;
    }
    // A credential word and a percent-encoded quote: JSON in a url (dockerd's `Calling POST
    // /v1.41/build?buildargs=%7B%22NPM_TOKEN%22%3A%22…`).
    if seen.name && memchr::memmem::find(b, b"%22").is_some() {
        need |= 1 << Pass::EncodedJson as u16;
    }
    // A credential word and an encoded `=`: a parameter of a url inside a url (`%3Ftoken%3D…`).
    if seen.name && has_encoded_equals(b) {
        need |= 1 << Pass::EncodedParam as u16;
    }
    need
}

/// True when `b` holds an encoded `=`: `%3D`, or `%253D` encoded twice (either case).
pub(super) fn has_encoded_equals(b: &[u8]) -> bool {
    [&b"%3D"[..], b"%3d", b"%253D", b"%253d"]
        .iter()
        .any(|w| memchr::memmem::find(b, w).is_some())
}

/// True when `b` may hold `user:pass@host` without a scheme where the bare userinfo pattern
/// looks for it: an `@` before a host's first byte, and before the `@` (back to a space, `/`,
/// `@`, quote or backslash) a colon whose user part (`[A-Za-z0-9._~%+-]`, at least one byte)
/// starts the text or follows a lead, with a password between the colon and the `@`. A
/// necessary condition (an image's `name:tag@sha256:` passes it; the pattern's replacement
/// keeps it). Every `@` is looked at once, back to the previous stop, so the walk is linear.
pub(super) fn may_have_bare_userinfo(b: &[u8]) -> bool {
    let user_byte =
        |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'~' | b'%' | b'+' | b'-');
    let lead = |c: u8| is_label_lead(c) && c != b'{' || c == b'=';
    memchr::memchr_iter(b'@', b).any(|at| {
        let host = b.get(at + 1).copied();
        if !host.is_some_and(|c| c.is_ascii_alphanumeric() || c == b'-') {
            return false;
        }
        let head = b.get(..at).unwrap_or_default();
        let from = head
            .iter()
            .rposition(|&c| {
                super::names::is_space(c) || matches!(c, b'/' | b'@' | b'"' | b'\'' | b'\\')
            })
            .map_or(0, |i| i + 1);
        let span = head.get(from..).unwrap_or_default();
        span.iter().enumerate().any(|(j, &c)| {
            if c != b':' || j + 1 >= span.len() {
                return false;
            }
            let user = span.get(..j).unwrap_or_default();
            let n = user.iter().rev().take_while(|&&u| user_byte(u)).count();
            let start = from + j - n;
            n > 0 && (start == 0 || b.get(start - 1).copied().is_some_and(lead))
        })
    })
}

/// What a word of [`needs`] says when it occurs.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Need {
    /// These patterns may match (a [`needs`] mask).
    passes: u16,
    /// `.header.`: the header field pattern may match if a secret header's name or credential
    /// word occurs too.
    prefix: bool,
    /// A secret header's name or credential word: the header field pattern may match if
    /// `.header.` occurs too, and the name patterns if the word is in a name
    /// ([`may_be_secret_name`]).
    name: bool,
}

impl Need {
    const HEADER_PREFIX: Need = Need {
        passes: 0,
        prefix: true,
        name: false,
    };
    const HEADER_NAME: Need = Need {
        passes: 0,
        prefix: false,
        name: true,
    };

    fn pass(p: Pass) -> Need {
        Need {
            passes: 1 << p as u16,
            ..Need::default()
        }
    }

    fn merge(&mut self, other: Need) {
        self.passes |= other.passes;
        self.prefix |= other.prefix;
        self.name |= other.name;
    }
}

/// True when `s`, lowercased, holds a word of `any` or `:[`; true also when the thread's
/// buffer is not at hand (then the walk decides).
pub(super) fn any_in_lowered(any: &aho_corasick::packed::Searcher, s: &str) -> bool {
    with_lowered(s.as_bytes(), |lower| holds_a_word(lower, any)).unwrap_or(true)
}

/// True when lowercased text holds a word of `any` (a SIMD searcher built without `:[`) or
/// `:[`, the one two-byte word, searched apart: with it the SIMD searcher compares fewer bytes
/// a position and stops at far more places in a url.
pub(super) fn holds_a_word(lower: &[u8], any: &aho_corasick::packed::Searcher) -> bool {
    any.find(lower).is_some()
        || memchr::memmem::find(lower, WORD_TEXT[Word::MapOpen as usize].as_bytes()).is_some()
}

/// `f` of `text` lowercased (ASCII), in a buffer the thread keeps; `None` when the buffer is
/// not at hand (the thread is ending, or `f` itself asked for it).
pub(super) fn with_lowered<R>(text: &[u8], f: impl FnOnce(&[u8]) -> R) -> Option<R> {
    thread_local! {
        static LOWERED: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    LOWERED
        .try_with(|buf| {
            let mut buf = buf.try_borrow_mut().ok()?;
            buf.clear();
            buf.extend_from_slice(text);
            buf.make_ascii_lowercase();
            let r = f(&buf);
            // A very long line once must not keep its buffer for the thread's life.
            if buf.capacity() > 64 * 1024 {
                *buf = Vec::new();
            }
            Some(r)
        })
        .ok()
        .flatten()
}

/// [`needs`]'s words: a case-sensitive SIMD searcher for lowercased text that says whether any
/// occurs (none when the CPU has no such searcher), the automaton that says which, and the
/// pattern each word is needed by.
pub(super) struct NeedWords {
    any: Option<aho_corasick::packed::Searcher>,
    which: AhoCorasick,
    pass_of: Vec<Need>,
}

/// The words of [`needs`], each with what it says (a word two patterns need says both).
pub(super) static NEEDS: LazyLock<Option<NeedWords>> = LazyLock::new(|| {
    let mut words: Vec<(String, Need)> = Vec::new();
    let mut add = |w: &str, need: Need| {
        let w = w.to_ascii_lowercase();
        match words.iter_mut().find(|(known, _)| *known == w) {
            Some((_, n)) => n.merge(need),
            None => words.push((w, need)),
        }
    };
    add(HEADER_PREFIX, Need::HEADER_PREFIX);
    for h in SECRET_HEADERS.iter().chain(SECRET_HEADER_WORDS) {
        add(h, Need::HEADER_NAME);
    }
    add(":[", Need::pass(Pass::HeaderMap));
    for w in ["bearer", "basic"] {
        add(w, Need::pass(Pass::SchemeCred));
    }
    for p in SIGNED_PARAMS {
        add(&format!("{p}="), Need::pass(Pass::Param));
    }
    // header_text: a secret header's name or a credential word (the pattern checks the rest).
    for h in SECRET_HEADERS.iter().chain(SECRET_HEADER_WORDS) {
        add(h, Need::pass(Pass::HeaderText));
    }
    add("eyj", Need::pass(Pass::Jwt));
    // `--pass`, `--password`, `--http-password`, `--proxy-password`, `--ftp-password`.
    add("-pass", Need::pass(Pass::CliPassword));
    add("login", Need::pass(Pass::LoginP));
    add("curl", Need::pass(Pass::CurlUser));
    add("-creds", Need::pass(Pass::CurlUser));
    for p in shapes::PREFIXES {
        add(p, Need::pass(Pass::TokenShape));
    }
    let which = AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .build(words.iter().map(|(w, _)| w))
        .ok()?;
    // `.header.` alone (in every line of headers) needs nothing, and `:[` is searched apart.
    let any = aho_corasick::packed::Config::new()
        .builder()
        .extend(
            words
                .iter()
                .filter(|(w, _)| w != ":[" && w != HEADER_PREFIX)
                .map(|(w, _)| w),
        )
        .build();
    Some(NeedWords {
        any,
        which,
        pass_of: words.into_iter().map(|(_, n)| n).collect(),
    })
});

/// The word every header field of a raw line holds.
const HEADER_PREFIX: &str = ".header.";

/// True when [`needs`] has its SIMD searcher (a test checks it: without it every long line is
/// walked).
#[cfg(test)]
pub(super) fn needs_has_simd_search() -> bool {
    NEEDS.as_ref().is_some_and(|n| n.any.is_some())
}

/// True for ASCII text without a letter or a colon (a `content-length`, a date's digits): every
/// pattern needs one of those, and every word [`could_match`] looks for holds one. Such values
/// are unique per response, so the memo would only churn on them.
pub(super) fn inert(s: &str) -> bool {
    !s.bytes()
        .any(|c| c.is_ascii_alphabetic() || c == b':' || !c.is_ascii())
}

/// Cheap pre-check so clean lines are not run through the regexes: a necessary condition for
/// at least one pattern to match (so most values with a `=`, such as `max-age=3600`,
/// `crc32c=…` or `?ns=docker.io`, skip them), and the historical test, kept as it was so
/// outputs do not change.
pub(super) fn might_hold_secret(s: &str) -> bool {
    if !could_match(s) {
        return false;
    }
    let b = s.as_bytes();
    memchr::memchr(b'@', b).is_some()
        || memchr::memchr(b'=', b).is_some()
        || memchr::memmem::find(b, b"earer").is_some()
        || memchr::memmem::find(b, b"EARER").is_some()
        || memchr::memmem::find(b, b"eyJ").is_some()
        || memchr::memmem::find(b, b"-Auth").is_some()
        || memchr::memmem::find(b, b"-auth").is_some()
        || memchr::memmem::find(b, b"asic ").is_some()
        // A JSON key before its colon (`"api_key" : "…"` too).
        || memchr::memchr(b'"', b).is_some() && memchr::memchr(b':', b).is_some()
        || memchr::memmem::find(b, b"uthorization").is_some()
        || memchr::memmem::find(b, b"UTHORIZATION").is_some()
        || memchr::memmem::find(b, b"ookie").is_some()
        // `X-Amz-Security-Token: …` written out with a colon (HEADER_TEXT): the words above
        // missed it.
        || memchr::memmem::find(b, b"ecurity-").is_some()
        || memchr::memmem::find(b, b"ECURITY-").is_some()
        // `--password VALUE`, `docker login -p VALUE` (no `=`), and a Go header map's
        // `X-Api-Key:[…]`.
        || has_dash_p(b)
        || memchr::memmem::find(b, b":[").is_some()
        // `X-Api-Key: …` written out (HEADER_TEXT): a hyphenated name and a colon.
        || memchr::memchr(b'-', b).is_some() && memchr::memchr(b':', b).is_some()
        // A token known by its shape: `ghp_…`, `AKIA…`.
        || shapes::has_prefix(b)
        // Percent-encoded JSON: `%22NPM_TOKEN%22%3A%22…`.
        || memchr::memmem::find(b, b"%22").is_some()
        // A label (`Password: …`, `map[NPM_TOKEN:…]`), and an encoded url's `%3Ftoken%3D…`.
        || memchr::memchr(b':', b).is_some()
        || has_encoded_equals(b)
}

/// True when `b` holds `-p` or `-P` (every `--password` and `-p` flag does).
pub(super) fn has_dash_p(b: &[u8]) -> bool {
    memchr::memmem::find(b, b"-p").is_some() || memchr::memmem::find(b, b"-P").is_some()
}

/// True when `b` holds a `-` followed by letters with a `u` or `U` among them (curl's `-u`,
/// `--user`, `-U`, `--proxy-user` and glued short flags such as `-fsSLu` do).
pub(super) fn has_dash_u(b: &[u8]) -> bool {
    memchr::memchr_iter(b'-', b).any(|at| {
        b.get(at + 1..)
            .unwrap_or_default()
            .iter()
            .take_while(|c| c.is_ascii_alphabetic())
            .any(|c| c.eq_ignore_ascii_case(&b'u'))
    })
}

/// True when `b` holds `-creds` in any case (`--creds`, `--src-creds`, `--dest-creds`).
pub(super) fn has_dash_creds(b: &[u8]) -> bool {
    b.windows(6).any(|w| w.eq_ignore_ascii_case(b"-creds"))
}

/// True unless no pattern can match: `(?i)` folds a few non-ASCII letters onto ASCII ones
/// (`ſ` on `s`, the Kelvin sign on `k`), so any non-ASCII text counts as a possible match.
///
/// One Aho-Corasick pass (ASCII case-insensitive) finds which of the patterns' required words
/// occur; a dozen `memchr` scans per header value, one per word, were a tenth of `summary`.
pub(super) fn could_match(s: &str) -> bool {
    let b = s.as_bytes();
    if !b.is_ascii() {
        return true;
    }
    let Some(words) = WORDS.as_ref() else {
        return true;
    };
    // Most texts hold none of the words: one plain search says so, and only a text that has
    // one pays for the overlapping walk that says which. The text is lowercased first (on
    // the stack when it is short, as most values are; else in the thread's buffer), so the
    // plain search can be a case-sensitive SIMD searcher (Teddy, which ASCII case folding
    // rules out) that skips most of a url instead of walking it byte by byte
    // (docs/performance.md, "Secrets in a url", evening of 2026-11-30).
    let lowered = WORDS_LOWER.as_ref().and_then(|(any, which)| {
        let mut buf = [0u8; LOWERED_MAX];
        match buf.get_mut(..b.len()) {
            Some(lower) => {
                lower.copy_from_slice(b);
                lower.make_ascii_lowercase();
                Some(seen_in_lowered(lower, s, any, which))
            }
            None => with_lowered(b, |lower| seen_in_lowered(lower, s, any, which)),
        }
    });
    // No buffer at hand: the case-insensitive automaton on the text as it is.
    let seen = lowered.unwrap_or_else(|| {
        if words.is_match(b) {
            words_seen(words, b, s)
        } else {
            Some(0)
        }
    });
    let Some(seen) = seen else {
        return true;
    };
    let has = |w: Word| seen & (1 << w as u32) != 0;
    let byte = |c: u8| memchr::memchr(c, b).is_some();
    // header_field needs `.header.`; header_map `:[`; userinfo `://` and `@` (not a word:
    // every url has a `://`, so it would send every url through the overlapping walk);
    // scheme_cred a scheme word.
    // The bare userinfo pattern needs `user:pass@` starting a word ([`may_have_bare_userinfo`]).
    if has(Word::Header)
        || has(Word::MapOpen)
        || byte(b'@') && (memchr::memmem::find(b, b"://").is_some() || may_have_bare_userinfo(b))
        || has(Word::Bearer)
        || has(Word::Basic)
    {
        return true;
    }
    // json_secret needs a quote and a colon around one of its words.
    if (has(Word::Auth) || has(Word::Password) || has(Word::Token) || has(Word::Secret))
        && byte(b'"')
        && byte(b':')
    {
        return true;
    }
    // jwt needs `eyJ` (case matters); header_text one of its exact header names, or a
    // credential word in a name with a hyphen, then a colon.
    if has(Word::XRegistry) || has(Word::SecurityToken) {
        return true;
    }
    let credential = CREDENTIAL_WORDS.iter().any(|w| has(*w));
    if credential && byte(b'-') && byte(b':') {
        return true;
    }
    // encoded_json needs a credential word and `%22`, encoded_param one and `%3d`.
    if credential && (memchr::memmem::find(b, b"%22").is_some() || has_encoded_equals(b)) {
        return true;
    }
    if has(Word::Jwt) && memchr::memmem::find(b, b"eyJ").is_some() {
        return true;
    }
    // cli_password needs `-pass` (`--pass`, `--password`, `--http-password`); login_p `login` and
    // `-p`; curl_user `curl` and `-u` or `-U`.
    if has(Word::CliPassword)
        || has(Word::Login) && has_dash_p(b)
        || has(Word::Curl) && has_dash_u(b)
        || has(Word::Creds) && has_dash_creds(b)
    {
        return true;
    }
    // token_shape needs a prefix; AWS's, OpenAI's and Google's as written (`disk-` holds `sk-`;
    // the others decided in the walk).
    if has(Word::Akia) && memchr::memmem::find(b, b"AKIA").is_some()
        || has(Word::Asia) && memchr::memmem::find(b, b"ASIA").is_some()
        || has(Word::Sk) && memchr::memmem::find(b, b"sk-").is_some()
        || has(Word::Aiza) && memchr::memmem::find(b, b"AIza").is_some()
    {
        return true;
    }
    // param needs a signed url's `<name>=` (alone it decides), or a name with a credential
    // word then `=`, json_secret such a name as a key: `words_seen` stopped at those.
    seen >> PARAMS_FROM != 0
}

/// The words of a lowercased text ([`could_match`]'s bits), `None` as soon as one that alone
/// decides is found.
pub(super) fn seen_in_lowered(
    lower: &[u8],
    text: &str,
    any: &aho_corasick::packed::Searcher,
    which: &AhoCorasick,
) -> Option<u64> {
    if holds_a_word(lower, any) {
        words_seen(which, lower, text)
    } else {
        Some(0)
    }
}

/// The words `words` finds in `text` (overlapping), as [`could_match`]'s bits; `None` as soon
/// as one that alone decides is found. A credential word in a name that may be a secret's
/// ([`may_be_secret_name`]) or a label whose value the label pass masks ([`label_masks`])
/// decides too.
///
/// `text` may be a lowercased copy of `original` (same length, the same offsets): the label
/// rule reads the original, where case tells a label (`Password:`, `secretKeyId`) from prose.
pub(super) fn words_seen(words: &AhoCorasick, text: &[u8], original: &str) -> Option<u64> {
    let mut seen = 0u64;
    // As in `needs`: the words of one name share its run.
    let mut run = (0, 0);
    for m in words.find_overlapping_iter(text) {
        let id = m.pattern().as_usize();
        seen |= 1 << id;
        if seen & SUFFICIENT != 0 {
            return None;
        }
        if CREDENTIAL_WORDS.iter().any(|w| *w as usize == id)
            && (m.start() < run.0 || m.end() > run.1)
        {
            run = name_run(text, m.start(), m.end());
            if may_be_secret_name(text, run.0, run.1) || label_masks(original, run.0, run.1) {
                return None;
            }
        }
    }
    Some(seen)
}

/// The words [`could_match`] looks for, by pattern id; a signed url's parameters (each with its
/// `=`) follow from [`PARAMS_FROM`].
#[derive(Clone, Copy)]
pub(super) enum Word {
    Header,
    MapOpen,
    Bearer,
    Basic,
    Auth,
    Password,
    Token,
    Secret,
    Jwt,
    XRegistry,
    SecurityToken,
    CliPassword,
    Login,
    Key,
    Passwd,
    Cookie,
    Credential,
    Jfrog,
    Ghp,
    Gho,
    Ghu,
    Ghs,
    Ghr,
    GithubPat,
    Glpat,
    DckrPat,
    Npm,
    Akia,
    Asia,
    Pass,
    Pwd,
    Xoxb,
    Xoxp,
    Xoxa,
    Xoxr,
    Xoxs,
    Sk,
    Aiza,
    SkLive,
    RkLive,
    SkTest,
    RkTest,
    Pypi,
    Pw,
    Creds,
    Pat,
    Curl,
}

/// The words of a secret header's name ([`super::SECRET_HEADER_WORDS`]
/// as [`Word`]s: `password` holds no `passwd`, `x-jfrog-art-api` is found by `jfrog`).
const CREDENTIAL_WORDS: [Word; 14] = [
    Word::Auth,
    Word::Password,
    Word::Token,
    Word::Secret,
    Word::Key,
    Word::Passwd,
    Word::Cookie,
    Word::Credential,
    Word::Jfrog,
    Word::Pass,
    Word::Pwd,
    Word::Pw,
    Word::Creds,
    Word::Pat,
];

pub(super) const WORD_TEXT: [&str; 47] = [
    ".header.",
    ":[",
    "bearer",
    "basic",
    "auth",
    "password",
    "token",
    "secret",
    "eyj",
    "x-registry-",
    "security-token",
    // `--pass`, `--password`, `--http-password`, `--proxy-password`, `--ftp-password`.
    "-pass",
    "login",
    "key",
    "passwd",
    "cookie",
    "credential",
    "jfrog",
    // A token shape's prefix (shapes::PREFIXES), lowercase.
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "github_pat_",
    "glpat-",
    "dckr_pat_",
    "npm_",
    "akia",
    "asia",
    "pass",
    "pwd",
    // More token shapes' prefixes (shapes::PREFIXES; `sk-` covers OpenAI's and Anthropic's).
    "xoxb-",
    "xoxp-",
    "xoxa-",
    "xoxr-",
    "xoxs-",
    "sk-",
    "aiza",
    "sk_live_",
    "rk_live_",
    "sk_test_",
    "rk_test_",
    "pypi-",
    // More credential words, a name's last segment only (`REGISTRY_PW`, `DEPLOY_CREDS`,
    // `CR_PAT`), then `curl` for its `-u user:password`.
    "pw",
    "creds",
    "pat",
    "curl",
];
pub(super) const PARAMS_FROM: u32 = WORD_TEXT.len() as u32;

/// The words whose presence alone makes [`could_match`] true (see its tests below the walk):
/// the walk stops at the first of them instead of going on to the end of a long line.
pub(super) const SUFFICIENT: u64 = 1 << Word::Header as u32
    | 1 << Word::MapOpen as u32
    | 1 << Word::Bearer as u32
    | 1 << Word::Basic as u32
    | 1 << Word::XRegistry as u32
    | 1 << Word::SecurityToken as u32
    | 1 << Word::CliPassword as u32
    | 1 << Word::Ghp as u32
    | 1 << Word::Gho as u32
    | 1 << Word::Ghu as u32
    | 1 << Word::Ghs as u32
    | 1 << Word::Ghr as u32
    | 1 << Word::GithubPat as u32
    | 1 << Word::Glpat as u32
    | 1 << Word::DckrPat as u32
    | 1 << Word::Npm as u32
    | 1 << Word::Xoxb as u32
    | 1 << Word::Xoxp as u32
    | 1 << Word::Xoxa as u32
    | 1 << Word::Xoxr as u32
    | 1 << Word::Xoxs as u32
    | 1 << Word::SkLive as u32
    | 1 << Word::RkLive as u32
    | 1 << Word::SkTest as u32
    | 1 << Word::RkTest as u32
    | 1 << Word::Pypi as u32
    | !0 << PARAMS_FROM;

/// The words and signed url parameters, lowercase, by pattern id (as [`Word`] numbers them).
pub(super) fn word_patterns() -> Vec<String> {
    let params = SIGNED_PARAMS.iter().map(|p| format!("{p}="));
    WORD_TEXT
        .iter()
        .map(|w| (*w).to_owned())
        .chain(params)
        .map(|w| w.to_ascii_lowercase())
        .collect()
}

/// [`word_patterns`], ASCII case-insensitive: for a text when no lowercased copy can be made
/// (longer than [`LOWERED_MAX`] and the thread's buffer not at hand).
pub(super) static WORDS: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .build(word_patterns())
        .ok()
});

/// [`word_patterns`] as they are, searched in a lowercased copy of the text: a SIMD searcher
/// (Teddy) says whether any but `:[` occurs, the automaton which.
pub(super) static WORDS_LOWER: LazyLock<Option<(aho_corasick::packed::Searcher, AhoCorasick)>> =
    LazyLock::new(|| {
        let map_open = WORD_TEXT[Word::MapOpen as usize];
        let searcher = aho_corasick::packed::Config::new()
            .builder()
            .extend(word_patterns().into_iter().filter(|w| w != map_open))
            .build()?;
        let which = AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(word_patterns())
            .ok()?;
        Some((searcher, which))
    });

/// The longest text [`could_match`] lowercases on the stack (a url, a header value); longer
/// ones (whole lines) go to the thread's buffer.
pub(super) const LOWERED_MAX: usize = 512;
