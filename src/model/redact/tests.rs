//! The redaction patterns and their prefilter, on crafted and generated texts.

use super::prefilter::*;
use super::*;

#[test]
fn headers() {
    assert_eq!(
        header_value("Authorization", "Bearer abc.def.ghi"),
        "Bearer REDACTED"
    );
    assert_eq!(header_value("cookie", "sid=1"), "REDACTED");
    assert_eq!(header_value("accept", "*/*"), "*/*");
}

/// The memo keeps what the full passes cleared, never what they changed: a challenge
/// (scheme word, no credential) stays as it is every time, a credential is masked every time.
#[test]
fn texts_the_passes_clear_are_remembered_and_secrets_are_not() {
    let challenge = r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull""#;
    let secret = "Bearer abcdefgh12345678";
    for _ in 0..3 {
        assert!(matches!(text(challenge), Cow::Borrowed(c) if c == challenge));
        assert_eq!(text(secret), format!("Bearer {MASK}"));
    }
}

#[test]
fn texts() {
    let cases = [
        (
            "https://user:hunter2@reg.example/v2/",
            "https://REDACTED@reg.example/v2/",
        ),
        (
            "https://auth.docker.io/token?scope=x&token=abc123&service=y",
            "https://auth.docker.io/token?scope=x&token=REDACTED&service=y",
        ),
        (
            "GET /v2/?access_token=zzz",
            "GET /v2/?access_token=REDACTED",
        ),
        (
            "Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.payload.sig",
            "Authorization: Bearer REDACTED",
        ),
        (
            "request.headers=\"map[Accept:[*/*] Authorization:[Bearer eyJ0eXAi.x.y] User-Agent:[containerd/1.2.0]]\"",
            "request.headers=\"map[Accept:[*/*] Authorization:[REDACTED] User-Agent:[containerd/1.2.0]]\"",
        ),
        (
            r#"{"auths":{"ghcr.io":{"auth":"dXNlcjpwYXNz"}}}"#,
            r#"{"auths":{"ghcr.io":{"auth":"REDACTED"}}}"#,
        ),
        (
            "error=\"login failed: password=hunter2 token=tok123\"",
            "error=\"login failed: password=REDACTED token=REDACTED\"",
        ),
        (
            r#"url="https://x/v2/?ns=docker.io&token=hunter2""#,
            r#"url="https://x/v2/?ns=docker.io&token=REDACTED""#,
        ),
        (
            "unexpected status (Authorization: Bearer hunter2tok)",
            "unexpected status (Authorization: Bearer REDACTED)",
        ),
        (
            "token eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJ4In0.hunter2sig is expired",
            "token REDACTED is expired",
        ),
        (
            "rejected X-Registry-Auth: eyJodW50ZXIyIjoxfQ== for ghcr.io",
            "rejected X-Registry-Auth: REDACTED for ghcr.io",
        ),
        (
            "upstream said 403 (X-Api-Key: hunter2key) for ghcr.io",
            "upstream said 403 (X-Api-Key: REDACTED) for ghcr.io",
        ),
        (
            "> Private-Token: glpat-hunter2\n> X-Auth-Token: Bearer abc\n> X-JFrog-Art-Api:AKCp8hunter2",
            "> Private-Token: REDACTED\n> X-Auth-Token: Bearer REDACTED\n> X-JFrog-Art-Api:REDACTED",
        ),
        (
            "rejected X-Registry-Auth: Token hunter2 for ghcr.io",
            "rejected X-Registry-Auth: Token REDACTED for ghcr.io",
        ),
        (
            // Prose and readable headers stay (no hyphenated name, a challenge, a plain header); a
            // hyphenated name with a credential word is masked, whatever it names.
            "failed to fetch oauth token: unexpected status: 401 Unauthorized; WWW-Authenticate: Bearer; Content-Type: text/plain; cache-key: 4",
            "failed to fetch oauth token: unexpected status: 401 Unauthorized; WWW-Authenticate: Bearer; Content-Type: text/plain; cache-key: REDACTED",
        ),
        (
            "Authorization: Bearer eyJhbGciOi.eyJzd=hunter2.c rest",
            "Authorization: Bearer REDACTED rest",
        ),
        (
            r#"www-authenticate="Basic realm=\"Registry Realm\"""#,
            r#"www-authenticate="Basic realm=\"Registry Realm\"""#,
        ),
        (
            r#"msg="{\"password\":\"hunter2\"}""#,
            r#"msg="{\"password\":\"REDACTED\"}""#,
        ),
        // Secret headers as fields of a raw line: found by the TUI secrets test, the raw
        // view showed the cookie of `response.header.set-cookie`.
        (
            r#"response.header.set-cookie="session=hunter2; Path=/; HttpOnly" response.status="401 Unauthorized""#,
            r#"response.header.set-cookie="REDACTED" response.status="401 Unauthorized""#,
        ),
        (
            "request.header.cookie=sid=hunter2 request.method=GET",
            "request.header.cookie=REDACTED request.method=GET",
        ),
        (
            r#"request.header.authorization="Token hunter2" x=1"#,
            r#"request.header.authorization="Token REDACTED" x=1"#,
        ),
        (
            r#"{"Response.Header.Set-Cookie":"a=hunter2; \"q\"","x":1}"#,
            r#"{"Response.Header.Set-Cookie":"REDACTED","x":1}"#,
        ),
    ];
    for (input, want) in cases {
        assert_eq!(text(input), want, "{input}");
        assert!(!text(input).contains("hunter2"));
    }
    // Values with `=` that hold no secret skip the regexes; near misses still match.
    for clean in [
        "max-age=3600",
        "crc32c=V3DSrg==",
        "http://m:5000/v2/x?ns=docker.io",
    ] {
        assert!(!might_hold_secret(clean), "{clean}");
    }
    assert_eq!(text("x?ns=a&Token=abc"), "x?ns=a&Token=REDACTED");
    assert_eq!(text("x;sig=abc"), "x;sig=REDACTED");
    // Clean text is not copied.
    assert!(matches!(text("do request"), Cow::Borrowed(_)));
    assert_eq!(
        text("registry-1.docker.io service=registry.docker.io"),
        "registry-1.docker.io service=registry.docker.io"
    );
}

/// The byte-array version `could_match` replaced, to check it against.
/// True unless no pattern can match: `(?i)` folds a few non-ASCII letters onto ASCII ones
/// (`ſ` on `s`, the Kelvin sign on `k`), so any non-ASCII text counts as a possible match.
/// The credential words the reference looks for, in a header written out and in a name.
const CREDENTIAL_WORDS: [&[u8]; 14] = [
    b"auth",
    b"password",
    b"token",
    b"secret",
    b"key",
    b"passwd",
    b"cookie",
    b"credential",
    b"jfrog",
    b"pass",
    b"pwd",
    b"pw",
    b"creds",
    b"pat",
];

fn could_match_reference(s: &str) -> bool {
    // One pass over the bytes notes which of the few that matter occur.
    let (mut seen, mut non_ascii) = ([false; 128], false);
    for &b in s.as_bytes() {
        match seen.get_mut(usize::from(b)) {
            Some(x) => *x = true,
            None => non_ascii = true,
        }
    }
    if non_ascii {
        return true;
    }
    let has = |c: u8| seen[usize::from(c)];
    let b = s.as_bytes();
    let at_ci = |i: usize, word: &[u8]| {
        b.get(i..i + word.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(word))
    };
    let contains_ci = |word: &[u8]| {
        let (lo, up) = (word[0], word[0].to_ascii_uppercase());
        (has(lo) || has(up)) && memchr::memchr2_iter(lo, up, b).any(|i| at_ci(i, word))
    };
    // header_field needs `.header.`; header_map `:[`; userinfo `://` and `@` (or, without a
    // scheme, `user:pass@` starting a word); scheme_cred a scheme word.
    if contains_ci(b".header.")
        || has(b':') && has(b'[') && memchr::memmem::find(b, b":[").is_some()
        || has(b'@')
            && has(b':')
            && (memchr::memmem::find(b, b"://").is_some() || may_have_bare_userinfo(b))
        || contains_ci(b"bearer")
        || contains_ci(b"basic")
    {
        return true;
    }
    // json_secret needs a quote and a colon around one of its words.
    if has(b'"')
        && has(b':')
        && (contains_ci(b"auth")
            || contains_ci(b"password")
            || contains_ci(b"token")
            || contains_ci(b"secret"))
    {
        return true;
    }
    // jwt needs `eyJ`; header_text one of its header names.
    if memchr::memmem::find(b, b"eyJ").is_some()
        || contains_ci(b"x-registry-")
        || contains_ci(b"security-token")
    {
        return true;
    }
    // header_text written out with any name: a credential word, a hyphen and a colon.
    if has(b'-') && has(b':') && CREDENTIAL_WORDS.iter().any(|w| contains_ci(w)) {
        return true;
    }
    // encoded_json and encoded_param: a credential word and `%22` or `%3d`.
    if CREDENTIAL_WORDS.iter().any(|w| contains_ci(w))
        && (memchr::memmem::find(b, b"%22").is_some()
            || contains_ci(b"%3d")
            || contains_ci(b"%253d"))
    {
        return true;
    }
    // cli_password needs `-password` (`--password`, `--http-password`); login_p `login` and
    // `-p`; curl_user `curl` and a `-` then letters holding a `u` (`-u`, `-fsSLu`), or `-creds`.
    let lower = b.to_ascii_lowercase();
    let dash_letters_u = lower.split(|&c| c == b'-').skip(1).any(|after| {
        after
            .iter()
            .take_while(|c| c.is_ascii_alphabetic())
            .any(|&c| c == b'u')
    });
    if contains_ci(b"-pass")
        || contains_ci(b"login") && memchr::memmem::find(&lower, b"-p").is_some()
        || contains_ci(b"curl") && dash_letters_u
        || contains_ci(b"-creds")
    {
        return true;
    }
    // token_shape needs a prefix (AWS's as written).
    if [
        &b"ghp_"[..],
        b"gho_",
        b"ghu_",
        b"ghs_",
        b"ghr_",
        b"github_pat_",
        b"glpat-",
        b"dckr_pat_",
        b"npm_",
        b"xoxb-",
        b"xoxp-",
        b"xoxa-",
        b"xoxr-",
        b"xoxs-",
        b"sk_live_",
        b"rk_live_",
        b"sk_test_",
        b"rk_test_",
        b"pypi-",
    ]
    .iter()
    .any(|w| contains_ci(w))
        || memchr::memmem::find(b, b"AKIA").is_some()
        || memchr::memmem::find(b, b"ASIA").is_some()
        || memchr::memmem::find(b, b"sk-").is_some()
        || memchr::memmem::find(b, b"AIza").is_some()
    {
        return true;
    }
    // param needs a signed url's `<name>=`.
    if has(b'=')
        && memchr::memchr_iter(b'=', b).any(|eq| {
            names::SIGNED_PARAMS
                .iter()
                .any(|p| eq >= p.len() && b[eq - p.len()..eq].eq_ignore_ascii_case(p.as_bytes()))
        })
    {
        return true;
    }
    // param and json_secret need a name holding a credential word, where a name stands: every
    // run of name bytes, whole.
    let mut from = 0;
    while from < b.len() {
        let to = b[from..]
            .iter()
            .position(|&c| !names::is_name_byte(c))
            .map_or(b.len(), |n| from + n);
        let name = b[from..to].to_ascii_lowercase();
        let credential = CREDENTIAL_WORDS
            .iter()
            .any(|w| memchr::memmem::find(&name, w).is_some());
        if credential && (names::may_be_secret_name(b, from, to) || names::label_masks(s, from, to))
        {
            return true;
        }
        from = to + 1;
    }
    false
}

/// One of each list, in order: a text shaped like one pattern's match, each part right or
/// near-right.
fn shaped(parts: Vec<Vec<&'static str>>) -> proptest::strategy::BoxedStrategy<String> {
    use proptest::strategy::Strategy;
    parts
        .into_iter()
        .map(proptest::sample::select)
        .collect::<Vec<_>>()
        .prop_map(|chosen| chosen.concat())
        .boxed()
}

/// Texts shaped like the patterns' matches, in any case, with the non-ASCII letters `(?i)`
/// folds onto ASCII ones, one to three of them between other pieces.
fn secret_texts() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::strategy::Strategy;
    let value = || vec!["abcdefghijk", "x", "", "\"v w\"", "\\", "a@b", " "];
    let ws = || vec!["", " ", "\t", "  "];
    let shapes = proptest::strategy::Union::new([
        shaped(vec![
            vec!["request", "response", "RESPONSE", "x", ""],
            vec![".header.", ".HEADER.", ".Header.", ".header", "header."],
            vec![
                "authorization",
                "Proxy-Authorization",
                "cookie",
                "set-COOKIE",
                "x-registry-auth",
                "x-registry-config",
                "x-amz-security-token",
                "coo\u{212a}ie",
                "x-amz-\u{17f}ecurity-token",
                "accept",
                "x-api-key",
                "X-JFrog-Art-Api",
                "private-token",
                "x-auth-token.1",
                "www-authenticate",
                "WWW-Authenticate.1",
                "proxy-authenticate",
                "x-apikey-id",
                "content-length",
            ],
            vec!["=", "\":", "\" : ", ":", " "],
            value(),
        ]),
        shaped(vec![
            vec![
                "Authorization",
                "proxy-authorization",
                "Cookie",
                "Set-Cookie",
                "X-Registry-Auth",
                "coo\u{212a}ie",
                "Accept",
                "X-Api-Key",
                "Private-Token",
                "Www-Authenticate",
                "X-Registry-Config",
            ],
            vec![":[", ":", "[", ": ["],
            value(),
            vec!["]", ""],
        ]),
        shaped(vec![
            vec!["Bearer", "BEARER", "basic", "Ba\u{17f}ic", "bearer-"],
            vec![" ", "\t", "", "  "],
            value(),
        ]),
        shaped(vec![
            vec!["https", "h", "git+ssh", "1x", ""],
            vec!["://", ":/", "//"],
            vec!["user", "", "u/x"],
            vec![":", ""],
            vec!["pass", "", "p@"],
            vec!["@", ""],
            vec!["host/v2/", ""],
        ]),
        shaped(vec![
            vec!["?", "&", ";", " ", "\"", "(", "[", "=", "x", ""],
            vec![
                "token",
                "ACCESS_TOKEN",
                "x-amz-signature",
                "sig",
                "passwd",
                "client_\u{17f}ecret",
                "to\u{212a}en",
                "ns",
                "api_key",
                "apiKey",
                "GITHUB_TOKEN",
                "key",
                "offline_token",
                "md5",
                "abKey1",
                "REGISTRY_PW",
                "DEPLOY_CREDS",
                "CR_PAT",
                "PATH",
                "SPAN_PATH",
                "credsStore",
            ],
            vec!["=", "", " ="],
            vec![
                "abcdefghijk",
                "x",
                "",
                "\"v w\"",
                "\"q\"",
                "\\\"q\\\"",
                "'q'",
                "==",
                "=x",
                "\\",
                "a@b",
                "api_token=z",
            ],
        ]),
        shaped(vec![
            vec!["\"", "\\\"", ""],
            vec![
                "auth",
                "PASSWORD",
                "identitytoken",
                "registrytoken",
                "secret",
                "token",
                "access_token",
                "\u{17f}ecret",
                "to\u{212a}en",
                "user",
                "refresh_token",
                "api_key",
                "key",
                "token_type",
                "a.token",
            ],
            vec!["\"", "\\\"", ""],
            ws(),
            vec![":", ""],
            ws(),
            vec!["\"", "\\\"", ""],
            value(),
        ]),
        shaped(vec![
            vec![
                "X-Registry-Auth",
                "x-registry-config",
                "X-Amz-Security-Token",
                "x-amz-\u{17f}ecurity-token",
                "X-Registry",
                "X-Api-Key",
                "private-TOKEN",
                "X-JFrog-Art-Api",
                "Ocp-Apim-Subscription-Key",
                "WWW-Authenticate",
                "oauth token",
                "Content-Type",
                "x-\u{212a}ey",
            ],
            ws(),
            vec![":", "=", ""],
            ws(),
            value(),
        ]),
        shaped(vec![
            vec![
                "docker login ",
                "DOCKER  LOGIN",
                "podman login ",
                "helm registry login ",
                "crane auth login r ",
                "docker logout ",
                "login ",
                "",
            ],
            vec!["-u x ", "", "--username u "],
            vec![
                "--password",
                "--PASSWORD",
                "--password-stdin",
                "--pass",
                "--pass-stdin",
                "-p",
                "-P",
                "-port",
                "--pa\u{17f}\u{17f}word",
                "--http-password",
                "--proxy-password",
                "--ask-password",
            ],
            vec![" ", "=", "", "  "],
            value(),
            vec!["", " registry.io", "'q w'"],
        ]),
        shaped(vec![
            vec![
                "ghp_",
                "GHP_",
                "xghp_",
                "gho_",
                "github_pat_",
                "glpat-",
                "dckr_pat_",
                "npm_",
                "AKIA",
                "akia",
                "ASIA",
                "_AKIA",
            ],
            vec![
                "abcdefghijklmnopqrstuvwxyz0123456789",
                "ABCDEFGHIJKLMNOP",
                "ABCDEFGHIJKLMNOPQ",
                "abcdefghijklmnopqrstuvw",
                "short",
            ],
            vec!["", " ", "_", "x"],
        ]),
        // Labels (the fourth review): a name, a colon or a spaced `=`, a value.
        shaped(vec![
            vec!["", " ", "[", "{", "(", "oauth ", "x.", "map[", "\n", ","],
            vec![
                "Password",
                "password",
                "token",
                "api_key",
                "NPM_TOKEN",
                "DB_PASS",
                "pwd",
                "PWD",
                "passphrase",
                "author",
                "public_key",
                "key",
                "oauth2-proxy",
                "secretKeyId",
                "Authorization",
                "to\u{212a}en",
                "pass_through",
                "DOCKERHUB_PAT",
                "pw",
                "PATH",
                "creds",
            ],
            vec![":", ": ", " : ", " = ", "= ", "=", " :", "\t:\t"],
            vec![
                "hunter2",
                "unexpected",
                "/home/u",
                "\"a b c\"",
                "'a b'",
                "Bearer abc",
                "ServerAddress:x",
                "x509:",
                "5000",
                "[abc]",
                "REDACTED",
                "",
            ],
            vec!["", " ", "]", "}", ","],
        ]),
        // `user:pass@host` without a scheme, and its look-alikes.
        shaped(vec![
            vec!["", " ", "=", "/", "(", "\""],
            vec!["user", "alpine", "name", "mailto", "a.b-c", ""],
            vec![":", ""],
            vec!["s3cr3t", "3.19", "tag", "p:w", "", "bob"],
            vec!["@", "@@", ""],
            vec![
                "git.example.com/r",
                "10.0.0.1:5000",
                "sha256:abc",
                "SHA512:",
                "example.com",
                "",
            ],
        ]),
        // A url inside a url, percent-encoded once or twice.
        shaped(vec![
            vec!["?next=https%3A%2F%2Fx%2Fcb", "", "x"],
            vec!["%3F", "%26", "%253F", "%2526", "%23", "&", "%3f"],
            vec!["token", "api_key", "state", "key", "author"],
            vec!["%3D", "%253D", "%3d", "="],
            vec!["abc123", "", "a%2Bb", "a%26b", "a%2526b", "a b"],
        ]),
        // `curl -u user:password` and its look-alikes (other commands' `-u`, a user alone).
        shaped(vec![
            vec![
                "curl ",
                "CURL  ",
                "/usr/bin/curl\t",
                "docker run ",
                "useradd ",
                "libcurl ",
                "skopeo copy ",
                "",
            ],
            vec![
                "-fsSL ",
                "-o out ",
                "",
                "https://x?a=1&b=2 ",
                "x && ",
                "x; ",
                "x | ",
                "-H \"A: b\" ",
            ],
            vec![
                "-u",
                "-U",
                "--user",
                "--proxy-user",
                "--user-agent",
                "-url",
                "--USER",
                "-fsSLu",
                "-sU",
                "-itu",
                "--creds",
                "--src-CREDS",
                "--creds-file",
            ],
            vec![" ", "=", "", "  "],
            vec![
                "ci:pw1",
                "'a:b c'",
                "\"a:b\"",
                "\\\"a:b\\\"",
                "1000:1000",
                "user",
                "u:",
                ":tok",
                "u:REDACTED",
            ],
            vec!["", " https://x", "\" x"],
        ]),
        // More token shapes, right and near-right.
        shaped(vec![
            vec![
                "xoxb-", "xoxp-", "xoxa-", "xox-", "sk-", "sk-proj-", "sk-ant-", "AIza", "aiza",
                "sk_live_", "rk_live_", "sk_test_", "pypi-AgE", "pypi-", "disk-",
            ],
            vec![
                "123456789012-AbCdEfGhIjKl",
                "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnop",
                "SyA1234567890abcdefghijklmnopqrstuv",
                "SyA1234567890abcdefghijklmnopqrstu-",
                "short",
            ],
            vec!["", " ", "-", "x"],
        ]),
        shaped(vec![
            vec!["eyJ", "EYJ", "eyj", "xeyJ", "ey"],
            vec!["hbGciOi", "a", ""],
            vec![".", ""],
            vec!["eyJzdWIi", "b", ""],
            vec![".", ""],
            vec!["sig", ""],
        ]),
    ]);
    let filler = proptest::sample::select(vec![
        " ", "abc", "=", ":", "\"", "\u{e9}", ".header.", "://",
    ]);
    proptest::collection::vec((filler, shapes), 1..4).prop_map(|v| {
        v.into_iter()
            .map(|(f, s)| format!("{f}{s}"))
            .collect::<String>()
    })
}

/// Every pattern with the pass that runs it.
fn patterns_by_pass() -> [(Pass, &'static Regex); 16] {
    PASSES.map(|(pass, pattern)| (pass, &pattern.as_ref().unwrap().0))
}

proptest::proptest! {
    /// `needs` is a necessary condition: a pattern that matches a text is always needed (the
    /// label pattern: one that changes it, as its prefilter asks the label rule itself).
    #[test]
    fn needs_never_skips_a_matching_pattern(s in secret_texts()) {
        for (pass, re) in patterns_by_pass() {
            let matters = if pass == Pass::Label {
                names::mask_labels(re, &s) != s
            } else {
                re.is_match(&s)
            };
            if matters {
                proptest::prop_assert!(needs(&s) & (1 << pass as u16) != 0, "{pass:?} {s:?}");
            }
        }
    }

    /// Redacting with `needs` gives what running every pattern gives.
    #[test]
    fn scrub_with_needs_is_scrub_with_every_pattern(s in secret_texts()) {
        proptest::prop_assert_eq!(scrub_with(&s, needs), scrub_with(&s, |_| ALL_PASSES));
    }

    /// `could_match` stops at the first word that decides; the answer is the reference's.
    #[test]
    fn could_match_on_secret_texts_is_the_reference(s in secret_texts()) {
        proptest::prop_assert_eq!(could_match(&s), could_match_reference(&s));
    }
}

/// Without the thread's buffer (here: asked for from inside its own use) `could_match`
/// and `needs` fall back to the case-insensitive automata, with the same answers.
#[test]
fn without_the_buffer_the_answers_are_the_same() {
    let texts = [
        "https://registry-1.docker.io/v2/library/alpine/manifests/latest",
        "request.header.Authorization=\"Bearer abc\"",
        "https://u:p@h/v2/?X-Amz-Signature=abc",
        "{\"password\":\"x\"}",
        "response.header.content-type=a response.header.x-goog-hash=\"crc32c=AAA\"",
        "Cookie:[a]",
        "",
    ];
    for t in texts {
        let (with, inside) = (
            (could_match(t), needs(t)),
            with_lowered(b"busy", |_| (could_match(t), needs(t))),
        );
        assert_eq!(Some(with), inside, "{t}");
        assert_eq!(with.0, could_match_reference(t), "{t}");
    }
    // Inside, the buffer is busy: the fallback really ran.
    assert_eq!(
        with_lowered(b"a", |_| with_lowered(b"b", |_| ())),
        Some(None)
    );
}

/// Each pattern's own cases need it; a line of other headers needs none.
#[test]
fn needs_examples() {
    let cases = [
        (
            r#"request.header.authorization="Bearer x""#,
            Pass::HeaderField,
        ),
        ("response.HEADER.Set-Cookie=a", Pass::HeaderField),
        ("Authorization:[Basic eA==]", Pass::HeaderMap),
        ("BEARER abcdefghij", Pass::SchemeCred),
        ("https://u:p@h/v2/", Pass::Userinfo),
        ("?X-Amz-Signature=abc", Pass::Param),
        (r#"{"password":"x"}"#, Pass::JsonSecret),
        (r#"{\"auth\":\"x\"}"#, Pass::JsonSecret),
        ("X-Registry-Auth: abc", Pass::HeaderText),
        ("X-Api-Key: abc", Pass::HeaderText),
        ("Private-Token:abc", Pass::HeaderText),
        ("eyJa.eyJb.c", Pass::Jwt),
        ("request.header.x-api-key=abc", Pass::HeaderField),
        (r#"{"request.header.Private-Token":"x"}"#, Pass::HeaderField),
        ("X-Api-Key:[abc]", Pass::HeaderMap),
        ("docker login --password x", Pass::CliPassword),
        ("docker login -u u -p x", Pass::LoginP),
        ("?api_key=abc", Pass::Param),
        ("build env: GITHUB_TOKEN=abc", Pass::Param),
        (r#"{\"refresh_token\":\"x\"}"#, Pass::JsonSecret),
        (r#"{"apiKey" : "x"}"#, Pass::JsonSecret),
        ("ghp_abc", Pass::TokenShape),
        ("AKIAIOSFODNN7EXAMPLE", Pass::TokenShape),
        ("Password: x", Pass::Label),
        ("map[NPM_TOKEN:x]", Pass::Label),
        ("token = x", Pass::Label),
        ("git clone u:p@h/r", Pass::BareUserinfo),
        ("?n=%3Ftoken%3Dx", Pass::EncodedParam),
        ("?n=%253Ftoken%253Dx", Pass::EncodedParam),
        ("xoxb-1-abcdefghij", Pass::TokenShape),
        ("sk-ant-x", Pass::TokenShape),
        ("AIzaSy", Pass::TokenShape),
        ("pypi-AgE", Pass::TokenShape),
        ("curl -fsSL -u ci:pw https://x", Pass::CurlUser),
        ("wget --http-password x", Pass::CliPassword),
        ("REGISTRY_PW=x DEPLOY_CREDS=y CR_PAT=z", Pass::Param),
        ("map[CR_PAT:x]", Pass::Label),
    ];
    for (text, pass) in cases {
        assert!(needs(text) & (1 << pass as u16) != 0, "{pass:?} {text}");
    }
    assert_eq!(
        needs("request.header.x-amz-\u{17f}ecurity-token=v"),
        ALL_PASSES
    );
    assert_eq!(
        needs(r#"response.header.content-type=a response.header.x-goog-hash="crc32c=AAA""#),
        0
    );
    // An image reference's `@` and a url's `:` ask for no bare userinfo pass.
    for text in [
        "docker.io/library/alpine:3.19@sha256:aa",
        "bob@example.com host:5000",
        "https://x/y",
    ] {
        assert_eq!(needs(text) & (1 << Pass::BareUserinfo as u16), 0, "{text}");
    }
    // `.header.` alone, or a credential word without it, does not need the header field pass.
    assert_eq!(
        needs("response.header.ratelimit-limit=100 host=auth.docker.io")
            & (1 << Pass::HeaderField as u16),
        1 << Pass::HeaderField as u16,
        "a word anywhere in the line with `.header.` is enough (a necessary condition)"
    );
    assert_eq!(
        needs("host=auth.docker.io url=\"https://auth.docker.io/token\"")
            & (1 << Pass::HeaderField as u16),
        0
    );
    assert!(needs_has_simd_search(), "the SIMD pre-search did not build");
}

proptest::proptest! {
    #[test]
    fn could_match_is_the_reference(s in "[a-zA-Z.:\\[@/\"=:{}?&; xyjJ\u{17f}-]{0,40}") {
        proptest::prop_assert_eq!(could_match(&s), could_match_reference(&s));
    }

    /// Long texts (urls, whole lines) give the reference's answers too.
    #[test]
    fn long_texts_could_match_is_the_reference(
        s in "[a-zA-Z.:\\[@/\"=:{}?&; xyjJ-]{0,40}",
        pad in 0usize..600,
    ) {
        let long = format!("{}{s}", "v2/library/golang/".repeat(pad / 18 + 1));
        proptest::prop_assert_eq!(could_match(&long), could_match_reference(&long));
    }
}

proptest::proptest! {
    /// `inert` text is left alone by every pattern, not only by `could_match`.
    #[test]
    fn inert_text_matches_no_pattern(s in "[0-9 .\\[\\]@/\"=,;{}?&*+%_\\\\-]{0,60}") {
        proptest::prop_assert!(inert(&s));
        proptest::prop_assert!(!could_match(&s));
        for (_, re) in patterns_by_pass() {
            proptest::prop_assert!(!re.is_match(&s), "{re}");
        }
    }
}

#[test]
fn inert_needs_no_letter_no_colon_ascii() {
    assert!(inert("55307229"));
    assert!(inert(""));
    assert!(!inert("1955a"));
    assert!(!inert("12:30"));
    assert!(!inert("١٢"));
}

#[test]
fn could_match_agrees_on_every_fixture_value() {
    for path in crate::test_support::fixture_logs() {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        for line in text.lines() {
            for part in line.split(['=', ' ']).chain([line]) {
                assert_eq!(could_match(part), could_match_reference(part), "{part}");
            }
        }
    }
}

/// A secret parameter is masked up to the next `&`, whichever pattern masks it: the parameters
/// after it stay, `ns=` (the mirror's mark) above all.
#[test]
fn a_masked_parameter_keeps_the_parameters_after_it() {
    for (url, want) in [
        (
            "https://h/v2/a/blobs/sha256:aa?X-Amz-Security-Token=TOK1&ns=docker.io",
            "https://h/v2/a/blobs/sha256:aa?X-Amz-Security-Token=REDACTED&ns=docker.io",
        ),
        (
            "https://s3/b?X-Amz-Security-Token=T%2Fok&X-Amz-Signature=abc&X-Amz-Date=20261124",
            "https://s3/b?X-Amz-Security-Token=REDACTED&X-Amz-Signature=REDACTED&X-Amz-Date=20261124",
        ),
        (
            "https://h/v2/a?token=TOK2&ns=docker.io&x=1",
            "https://h/v2/a?token=REDACTED&ns=docker.io&x=1",
        ),
    ] {
        assert_eq!(text(url), want);
    }
    assert_eq!(
        text("X-Amz-Security-Token: FQoGZXIvYXdzE"),
        "X-Amz-Security-Token: REDACTED"
    );
}

/// Headers are secret by name: the fixed list, and any name holding a credential word
/// (containerd's hosts.toml sends whatever headers a user sets), but not the challenges the
/// model reads, nor the headers it reads for numbers and fingerprints.
#[test]
fn secret_headers_by_name() {
    for secret in [
        "Authorization",
        "x-registry-config",
        "x-jfrog-art-api",
        "X-JFrog-Art-Api",
        "x-api-key",
        "X-API-KEY",
        "apikey",
        "x-apikey",
        "api_key",
        "x-auth-token",
        "x-auth-token.1",
        "private-token",
        "job-token",
        "x-vault-token",
        "x-client-secret",
        "x-registry-password",
        "x-passwd",
        "cookie2",
        "set-cookie2",
        "x-amz-credential",
        "www-authenticate-extra",
        "x-harbor-csrf-token",
        // The second review: they went through.
        "Ocp-Apim-Subscription-Key",
        "x-access-key",
    ] {
        assert!(is_secret_header(secret), "{secret}");
        assert_eq!(header_value(secret, "hunter2value"), MASK, "{secret}");
    }
    for readable in [
        "www-authenticate",
        "WWW-Authenticate",
        "www-authenticate.1",
        "proxy-authenticate",
        "accept",
        "content-length",
        "user-agent",
        "ratelimit-limit",
        "ratelimit-remaining",
        "docker-ratelimit-source",
        "docker-content-digest",
        "docker-distribution-api-version",
        "x-goog-hash",
        "x-goog-generation",
        "x-artifactory-id",
        "x-jfrog-version",
        "x-github-request-id",
        "location",
        "content-type",
    ] {
        assert!(!is_secret_header(readable), "{readable}");
    }
    // Every header the model reads stays readable.
    for name in crate::model::READ_HEADERS {
        assert!(!is_secret_header(name), "{name}");
    }
    assert_eq!(
        header_value(
            "www-authenticate",
            r#"Bearer realm="https://a/token",service="r""#
        ),
        r#"Bearer realm="https://a/token",service="r""#
    );
}

/// The same name rule on raw lines (the Raw view, line text, `x` reports): the review's lines.
#[test]
fn custom_credential_headers_in_raw_lines() {
    let cases = [
        (
            r#"msg="do request" host=art.example.com request.header.x-jfrog-art-api=AKCpJFrogApiKeySecret request.header.x-api-key=ApiKeySecret42 request.header.x-auth-token=XAuthTok request.method=GET"#,
            r#"msg="do request" host=art.example.com request.header.x-jfrog-art-api=REDACTED request.header.x-api-key=REDACTED request.header.x-auth-token=REDACTED request.method=GET"#,
        ),
        (
            r#"request.header.authorization="token ghp_PatSecretAAAA" request.header.private-token=GlPrivTokSecret request.header.x-auth-token=XAuthTokSecret request.method=HEAD"#,
            r#"request.header.authorization="token REDACTED" request.header.private-token=REDACTED request.header.x-auth-token=REDACTED request.method=HEAD"#,
        ),
        (
            r#"{"request.header.X-Api-Key":"ApiKeySecret42","request.header.x-auth-token.1":"T2","request.method":"GET"}"#,
            r#"{"request.header.X-Api-Key":"REDACTED","request.header.x-auth-token.1":"REDACTED","request.method":"GET"}"#,
        ),
        (
            r#"request.headers="map[Accept:[*/*] X-Api-Key:[ApiKeySecret42] Private-Token:[GlPriv] User-Agent:[docker/18.09]]""#,
            r#"request.headers="map[Accept:[*/*] X-Api-Key:[REDACTED] Private-Token:[REDACTED] User-Agent:[docker/18.09]]""#,
        ),
    ];
    for (line, want) in cases {
        assert_eq!(text(line), want, "{line}");
    }
    // The challenge and the headers the model reads stay as they are.
    for clean in [
        r#"response.header.www-authenticate="Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\"" response.header.content-length=12 response.header.ratelimit-limit=100"#,
        r#"response.headers="map[Www-Authenticate:[Basic realm=\"r\"] Content-Length:[0]]""#,
        "response.header.docker-content-digest=sha256:aa response.header.x-goog-hash=crc32c=AA",
    ] {
        assert_eq!(text(clean), clean);
    }
}

/// `docker login` command lines pasted into a log: the value after `--password`, `--password=`
/// and (after `docker login` only) `-p`.
#[test]
fn docker_login_passwords() {
    let cases = [
        (
            "running docker login --username u --password CliPwSecret registry.example.com",
            "running docker login --username u --password REDACTED registry.example.com",
        ),
        (
            "docker login --password=CliPwSecret2 r.io",
            "docker login --password=REDACTED r.io",
        ),
        (
            "docker login -u u -p CliPwSecret3 r.io",
            "docker login -u u -p REDACTED r.io",
        ),
        (
            "DOCKER LOGIN -u u -P=CliPwSecret4",
            "DOCKER LOGIN -u u -P=REDACTED",
        ),
        (
            r#"msg="running docker login --username u --password CliPwSecret registry.io" password=FieldPwSecret"#,
            r#"msg="running docker login --username u --password REDACTED registry.io" password=REDACTED"#,
        ),
        (
            "docker login --password 'quoted pw' r.io",
            "docker login --password REDACTED r.io",
        ),
        // The second review: double quotes, the most common way to write them, went through.
        (
            r#"(docker login -u bob --password "DqLEAK42" ghcr.io)"#,
            "(docker login -u bob --password REDACTED ghcr.io)",
        ),
        (
            r#"(docker login -u bob -p "DqLEAK43" ghcr.io)"#,
            "(docker login -u bob -p REDACTED ghcr.io)",
        ),
        (
            r#"docker login --password="DqEqLEAK45" ghcr.io"#,
            "docker login --password=REDACTED ghcr.io",
        ),
        // pflag takes a shorthand's value joined to it.
        (
            "docker login -u bob -pJoinedS3cret ghcr.io",
            "docker login -u bob -pREDACTED ghcr.io",
        ),
        // Inside a logfmt value the quotes are escaped, and the value may hold a space.
        (
            r#"msg="pull failed (docker login -u bob -p \"DqLEAK14 tail\" r.io)" x=1"#,
            r#"msg="pull failed (docker login -u bob -p REDACTED r.io)" x=1"#,
        ),
        (
            r#"{"msg":"docker login --password \"Json Pw\" r.io"}"#,
            r#"{"msg":"docker login --password REDACTED r.io"}"#,
        ),
    ];
    for (input, want) in cases {
        assert_eq!(text(input), want, "{input}");
    }
    for clean in [
        "docker login --username u --password-stdin registry.io",
        "docker run -p 8080:80 nginx",
        "mkdir -p /var/lib/docker",
        "docker logout -p x",
    ] {
        assert_eq!(text(clean), clean);
    }
}

// The second review: Docker Hub's blob redirect to Cloudflare carries a signed `verify=`.
#[test]
fn cloudflare_signed_blob_urls() {
    let url = "https://production.cloudflare.docker.com/registry-v2/docker/registry/v2/blobs/sha256/aa/aabb/data?verify=1714557600-Zq3kSigNaTuReLeak%2Bx";
    let out = text(url);
    assert!(!out.contains("SigNaTuReLeak"), "{out}");
    assert!(out.ends_with("data?verify=REDACTED"), "{out}");
}

/// The user review's shapes (tests/fixtures/secrets/review.log): secret by name in query
/// parameters, `NAME=value` words and JSON keys, and tokens known by their shape; the names
/// stay readable.
#[test]
fn secrets_by_name_and_by_shape() {
    let cases = [
        (
            "https://r.example/v2/a/manifests/latest?api_key=QApiKey111&apikey=QApiKey222&secret=QSecret333",
            "https://r.example/v2/a/manifests/latest?api_key=REDACTED&apikey=REDACTED&secret=REDACTED",
        ),
        (
            "https://h/v2/?api-key=a1&apiKey=a2&access_key=a3&private_token=a4&client_secret=a5&refresh_token=a6&id_token=a7&auth=a8&key=a9&ns=docker.io",
            "https://h/v2/?api-key=REDACTED&apiKey=REDACTED&access_key=REDACTED&private_token=REDACTED&client_secret=REDACTED&refresh_token=REDACTED&id_token=REDACTED&auth=REDACTED&key=REDACTED&ns=docker.io",
        ),
        (
            "build env: GITHUB_TOKEN=EnvTok444 NPM_TOKEN=EnvTok666 DB_PASSWORD=EnvPw777 AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG client_secret=Cs888",
            "build env: GITHUB_TOKEN=REDACTED NPM_TOKEN=REDACTED DB_PASSWORD=REDACTED AWS_SECRET_ACCESS_KEY=REDACTED client_secret=REDACTED",
        ),
        (
            r#"error="env [PATH=/bin api_key=\"q1\" Secret_Key='q2' TOKEN=\"q3 q4\"]""#,
            r#"error="env [PATH=/bin api_key=\"REDACTED\" Secret_Key='REDACTED' TOKEN=\"REDACTED\"]""#,
        ),
        (
            r#"{"token":"JTok999","access_token":"JAcc000","refresh_token":"JRef111","password":"JPw222"}"#,
            r#"{"token":"REDACTED","access_token":"REDACTED","refresh_token":"REDACTED","password":"REDACTED"}"#,
        ),
        (
            r#"error="token response: {\"refresh_token\":\"JRef111\",\"apiKey\" : \"JKey333\",\"token_type\":\"Bearer\"}""#,
            r#"error="token response: {\"refresh_token\":\"REDACTED\",\"apiKey\" : \"REDACTED\",\"token_type\":\"Bearer\"}""#,
        ),
        (
            "leaked ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789 and github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz and gho_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789.",
            "leaked ghp_REDACTED and github_pat_REDACTED and gho_REDACTED.",
        ),
        (
            "(AKIAIOSFODNN7EXAMPLE) glpat-xYz12AbC34dEf56GhI78, dckr_pat_AbCdEfGhIjKlMnOpQrStUvWxYz0 npm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
            "(AKIAREDACTED) glpat-REDACTED, dckr_pat_REDACTED npm_REDACTED",
        ),
    ];
    for (input, want) in cases {
        assert_eq!(text(input), want, "{input}");
    }
    // Readable: containerd's content `key`, Docker Hub's `offline_token` flag, OAuth2's
    // `token_type`, the challenge, a base64 value holding `key`, and no token shape where the
    // body is too short, too long or glued to a word.
    for clean in [
        r#"msg="remove content" key="sha256:86147dd5caace3d2e2d7f3f6add2cf569efbbf1246699729bc6a""#,
        r#"{"msg":"remove content","key":"sha256:aa"}"#,
        "https://auth.docker.io/token?account=u&client_id=docker&offline_token=true&scope=repository%3Aa%3Apull&service=registry.docker.io",
        "token_type=mac expires_in=300 Token_Type=Bearer",
        r#"www-authenticate="Basic realm=\"Registry Realm\"""#,
        r#"response.header.x-goog-hash.1="md5=UHjeBqVgqdvukey1KScYV4==""#,
        "crc32c=kEy8Oi== md5 abkey==",
        "ghp_short AKIAIOSFODNN7EXAMPLEX upload=U5uhpPaCo41J2X40ZS9ghp_J5V6A7uSs7PwyVKgQ8lHbsUslev33abcd",
        "region asia-east1 on asia.gcr.io",
        // Where a secret is kept, not the secret: dockerd's config, Docker secrets, `--ssh`.
        r#"{"debug":true,"deprecated-key-path":"/tmp/d/key.json"}"#,
        "MYSQL_PASSWORD_FILE=/run/secrets/db SSH_AUTH_SOCK=/tmp/ssh-x/agent.1",
    ] {
        assert_eq!(text(clean), clean);
    }
    // A readable name's value is still read for secrets of its own.
    assert_eq!(text("key=api_token=x1"), "key=api_token=REDACTED");
    // The masks are stable: a second pass changes nothing.
    for (_, want) in cases {
        assert_eq!(text(want), want);
    }
}

/// Hostile chains of names: a readable name's value is searched from its first byte without
/// going back over it, so a line of 200,000 `key=` costs one pass (the earlier draft scrubbed
/// the value again, recursively: a stack overflow on such a line), and the secret at the end
/// of the chain is still masked.
#[test]
fn long_chains_of_names_take_one_pass() {
    let started = std::time::Instant::now();
    let chain = format!("{}api_token=ChainS3cret", "key=".repeat(200_000));
    let out = text(&chain);
    assert!(
        out.ends_with("key=api_token=REDACTED"),
        "{}",
        &out[out.len() - 40..]
    );
    assert!(!out.contains("ChainS3cret"));
    let many = "api_key=x1 ".repeat(100_000);
    let out = text(&many);
    assert_eq!(out, "api_key=REDACTED ".repeat(100_000));
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
}

/// The third review: dockerd 20.10 logs its API calls at debug level, build arguments and all,
/// percent-encoded (`Calling POST /v1.41/build?buildargs=%7B%22NPM_TOKEN%22…`, in every
/// dockerd-20.10 capture with `%7B%7D`): the values of secret names were shown. And a url's
/// fragment (`#access_token=…`, an OAuth redirect) was no place a name could start.
#[test]
fn percent_encoded_json_and_fragments_by_name() {
    let line = r#"msg="Calling POST /v1.41/build?buildargs=%7B%22NPM_TOKEN%22%3A%22npm_s3cretvalue%22%2C%22DB_PASSWORD%22%3A%22hunter%2522x%22%2C%22VERSION%22%3A%221.2%22%7D&buildid=9fa2""#;
    let out = text(line);
    for secret in ["npm_s3cretvalue", "s3cret", "hunter"] {
        assert!(!out.contains(secret), "{secret}: {out}");
    }
    assert!(
        out.contains("%22NPM_TOKEN%22%3A%22REDACTED%22%2C%22DB_PASSWORD%22%3A%22REDACTED%22"),
        "{out}"
    );
    // A name that holds no credential word keeps its value; so does the rest of the url.
    assert!(
        out.contains("%22VERSION%22%3A%221.2%22%7D&buildid=9fa2"),
        "{out}"
    );
    assert_eq!(
        needs(line) & (1 << Pass::EncodedJson as u16),
        1 << Pass::EncodedJson as u16
    );
    // Nothing secret: left as it is (every dockerd-20.10 capture logs `buildargs=%7B%7D`).
    let empty = r#"msg="Calling POST /v1.41/build?buildargs=%7B%7D&buildid=9fa2&cachefrom=%5B%5D""#;
    assert_eq!(text(empty), empty);
    let frag = "https://x.example.com/cb#access_token=hunter13&state=1";
    assert_eq!(
        text(frag),
        "https://x.example.com/cb#access_token=REDACTED&state=1"
    );
}

/// The third review: names that say where a secret is or of what kind (`token_url`,
/// `auth_server`, `tokenEndpoint`, `auth_type`, `secretName`) and content digests under any
/// name (`cacheKey="sha256:…"`) were masked, though a reader debugging auth needs them and a
/// digest is no credential. The secrets beside them still are.
#[test]
fn where_and_which_a_secret_is_and_digests_stay_readable() {
    let digest = format!("sha256:{}", "ab12".repeat(16));
    let line = format!(
        r#"token_url="https://auth.example/token" auth_server=auth.example tokenEndpoint=https://auth.example/t auth_type=oauth2 secretName=regcred cacheKey="{digest}" api_key=hunter42 {{"keyName":"k1","refresh_token":"hunter43","key":"{digest}"}}"#
    );
    let out = text(&line);
    for readable in [
        "token_url=\"https://auth.example/token\"",
        "auth_server=auth.example",
        "tokenEndpoint=https://auth.example/t",
        "auth_type=oauth2",
        "secretName=regcred",
        &format!("cacheKey=\"{digest}\""),
        "\"keyName\":\"k1\"",
        &format!("\"key\":\"{digest}\""),
    ] {
        assert!(out.contains(readable), "{readable}: {out}");
    }
    for secret in ["hunter42", "hunter43"] {
        assert!(!out.contains(secret), "{secret}: {out}");
    }
    assert!(!names::is_digest("sha256:abc"));
    assert!(!names::is_digest("hunter"));
}

/// Runs `text` over each `(input, want)` and checks the secrets named in `gone` are gone, then
/// that a second pass changes nothing (the masks are stable).
fn check_masked(cases: &[(&str, &str)], gone: &[&str]) {
    for (input, want) in cases {
        let out = text(input);
        assert_eq!(out, *want, "{input}");
        for secret in gone {
            assert!(!out.contains(secret), "{secret} in {out}");
        }
        assert_eq!(text(want), *want, "a second pass changed {want}");
    }
}

/// The fourth review, 1: a one-word credential name with a colon or a spaced `=` in free text
/// was shown (the `Name: value` pattern needed a hyphen in the name).
#[test]
fn labels_with_a_colon_or_a_spaced_equals_are_masked() {
    check_masked(
        &[
            ("Password: hunter2", "Password: REDACTED"),
            ("password:hunter2", "password:REDACTED"),
            ("token = abc123def", "token = REDACTED"),
            ("api_key : xyz", "api_key : REDACTED"),
            (
                r#"level=warning msg="login failed" error="registry ghcr.io: Password: Hunt3rPw0 (user bob)""#,
                r#"level=warning msg="login failed" error="registry ghcr.io: Password: REDACTED (user bob)""#,
            ),
            (
                r#"error="retrying with password:Pw0nColon token= T0kSpaced api_key : K3yAfter""#,
                r#"error="retrying with password:REDACTED token= REDACTED api_key : REDACTED""#,
            ),
            (
                "config loaded: token = AbcTok123 region = eu-west-1",
                "config loaded: token = REDACTED region = eu-west-1",
            ),
            // After another word a plain lowercase name is prose, unless its value mixes
            // letters and digits.
            (
                "login failed password: hunter2 for bob",
                "login failed password: REDACTED for bob",
            ),
            // A Go struct printed with %+v: the empty `Auth:` does not take the next field.
            (
                "authConfig=&{Username:bob Password:Hunt3rGo Auth: ServerAddress:ghcr.io IdentityToken: RegistryToken:}",
                "authConfig=&{Username:bob Password:REDACTED Auth: ServerAddress:ghcr.io IdentityToken: RegistryToken:}",
            ),
            ("token: Bearer abc", "token: Bearer REDACTED"),
            // Case decides (the prefilter reads the text as it is, not lowercased): a capital
            // makes a label after a word; camelCase splits `secretKeyId`.
            (
                "login failed Password: hunter for bob",
                "login failed Password: REDACTED for bob",
            ),
            (
                "rotated secretKeyId: abcdef",
                "rotated secretKeyId: REDACTED",
            ),
            (
                "Token: ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
                "Token: ghp_REDACTED",
            ),
        ],
        &[
            "hunter2",
            "Hunt3r",
            "abc123def",
            "xyz",
            "Pw0n",
            "T0kSpaced",
            "K3yAfter",
            "AbcTok123",
        ],
    );
    // Prose, image references, ports and placeholders stay as they are.
    for clean in [
        "failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized",
        r#"failed to fetch anonymous token: Get "https://auth.docker.io/token?scope=repository%3Alibrary%2Falpine%3Apull&service=registry.docker.io": dial tcp: lookup auth.docker.io: no such host"#,
        "failed to fetch oauth token: x509: certificate signed by unknown authority",
        "error getting credentials: exit status 1",
        "pulling oauth2-proxy:v7.4.0 and keycloak:21.1 from quay.io",
        "dial tcp auth:5001: connect: connection refused",
        r#"127.0.0.1 "POST /token HTTP/1.1" 401 -  [authorization: none; form: -]"#,
        "saved x as local.sharedKey:context:context-.dockerignore:8e9e171e",
        "author: bob, key: value, public_key: ssh-ed25519",
        "insecure_token: false",
    ] {
        assert_eq!(text(clean), clean);
    }
    // A digest under any name is readable.
    let digest = format!("cacheKey: sha256:{}", "ab12".repeat(16));
    assert_eq!(text(&digest), digest);
}

/// The fourth review, 2: `pass`, `pwd` and `passphrase` named no secret; the shell's
/// `PWD=/home/user` is a directory and stays readable.
#[test]
fn pass_pwd_and_passphrase_name_secrets_but_pwd_paths_stay() {
    check_masked(
        &[
            (
                "RUN failed: env --pass=PassFlag1 DB_PASS=DbPass22 pwd=PwdVal333 passphrase=Phrase4444 SSH_PASSPHRASE=SshPh55 MYSQL_PWD=MyPwd66",
                "RUN failed: env --pass=REDACTED DB_PASS=REDACTED pwd=REDACTED passphrase=REDACTED SSH_PASSPHRASE=REDACTED MYSQL_PWD=REDACTED",
            ),
            (
                r#"{"smtp_pass":"SmtpP77","db_pwd":"DbPwd88"}"#,
                r#"{"smtp_pass":"REDACTED","db_pwd":"REDACTED"}"#,
            ),
            ("REDIS_PASS: RedisP99", "REDIS_PASS: REDACTED"),
        ],
        &[
            "PassFlag1",
            "DbPass22",
            "PwdVal333",
            "Phrase4444",
            "SshPh55",
            "MyPwd66",
            "SmtpP77",
            "DbPwd88",
            "RedisP99",
        ],
    );
    for clean in [
        "env PWD=/home/user OLDPWD=/tmp HOME=/root",
        r#"{"PWD":"/workspace/app"}"#,
        "pwd: /build/src",
        "pass_through=1 bypass=proxy passed=3 compass=north",
    ] {
        assert_eq!(text(clean), clean);
    }
}

/// The fourth review, 3: a quoted value with spaces was masked only up to its first space.
#[test]
fn quoted_values_with_spaces_are_masked_whole() {
    check_masked(
        &[
            (
                r#"password="correct horse battery staple" user=bob"#,
                r#"password="REDACTED" user=bob"#,
            ),
            (
                r#"{"password": "two words", "user": "bob"}"#,
                r#"{"password": "REDACTED", "user": "bob"}"#,
            ),
            (
                r#"error="env [secret='a b c' TOKEN=\"q3 q4\"] failed""#,
                r#"error="env [secret='REDACTED' TOKEN=\"REDACTED\"] failed""#,
            ),
            (
                r#"Password: "spaced pass phrase" (bob)"#,
                r#"Password: "REDACTED" (bob)"#,
            ),
        ],
        &[
            "horse",
            "battery",
            "staple",
            "two words",
            "a b c",
            "q3",
            "q4",
            "spaced",
            "phrase",
        ],
    );
    // A quote right after `=` that closes the text around it takes no value: the next
    // field's own secret is still found.
    assert_eq!(
        text(r#"msg="set password=" user=bob password=Next1"#),
        r#"msg="set password=" user=bob password=REDACTED"#
    );
}

/// The fourth review, 4: `user:pass@host` without a scheme was shown; image references,
/// email addresses and `host:port` stay.
#[test]
fn userinfo_without_a_scheme_is_masked() {
    check_masked(
        &[
            (
                "git clone user:s3cr3t@git.example.com/repo",
                "git clone REDACTED@git.example.com/repo",
            ),
            (
                "registry user:pw@10.0.0.1:5000",
                "registry REDACTED@10.0.0.1:5000",
            ),
            (
                r#"error="RUN git clone deploy:Tok3nBare@gitlab.example.com/group/app.git: exit status 128""#,
                r#"error="RUN git clone REDACTED@gitlab.example.com/group/app.git: exit status 128""#,
            ),
            (
                "remote=ci:p:w@git.example.com",
                "remote=REDACTED@git.example.com",
            ),
        ],
        &["s3cr3t", "user:pw", "Tok3nBare", "p:w"],
    );
    let digest = "ab12".repeat(16);
    for clean in [
        format!("alpine@sha256:{digest}"),
        format!("resolving docker.io/library/alpine:3.19@sha256:{digest}"),
        format!("image=name:tag@sha256:{digest} ref=x:y@SHA512:{digest}"),
        "mail bob@example.com or mailto:bob@example.com".to_owned(),
        "git@github.com:org/repo.git host:5000 registry-1.docker.io:443".to_owned(),
    ] {
        assert_eq!(text(&clean), clean);
    }
}

/// The fourth review, 5: a secret parameter of a url inside a url (percent-encoded once or
/// twice) was shown. And the third review's encoded JSON was skipped by the prefilter when
/// nothing else on the line asked for a pass.
#[test]
fn parameters_of_encoded_urls_are_masked() {
    check_masked(
        &[
            (
                "GET /login?next=https%3A%2F%2Fx%2Fcb%3Ftoken%3Dabc123",
                "GET /login?next=https%3A%2F%2Fx%2Fcb%3Ftoken%3DREDACTED",
            ),
            (
                "https://sso.example/cb?redirect_uri=https%3A%2F%2Fapp%2Fdone%3Fstate%3D1%26access_token%3DAccTok99%26x%3D2",
                "https://sso.example/cb?redirect_uri=https%3A%2F%2Fapp%2Fdone%3Fstate%3D1%26access_token%3DREDACTED%26x%3D2",
            ),
            (
                "u=https%253A%252F%252Fx%252Fcb%253Fapi_key%253DTwiceK3y%2526ok%253D1",
                "u=https%253A%252F%252Fx%252Fcb%253Fapi_key%253DREDACTED%2526ok%253D1",
            ),
            (
                "/v1.41/build?buildargs=%7B%22DB_PASSWORD%22%3A%22hunter%22%7D",
                "/v1.41/build?buildargs=%7B%22DB_PASSWORD%22%3A%22REDACTED%22%7D",
            ),
        ],
        &["abc123", "AccTok99", "TwiceK3y", "hunter"],
    );
    for clean in [
        "https://auth.example/token?next=https%3A%2F%2Fx%2Fcb%3Fscope%3Drepository%253Aa%253Apull%26author%3Dbob",
        "https://x/cb?next=%3Fkey_id%3Dk1%26public_key%3Dpk",
    ] {
        assert_eq!(text(clean), clean);
    }
}

/// The fourth review, 6: Go maps printed with %v (`map[NPM_TOKEN:abc123 PATH:/usr/bin]`,
/// an `http.Header`) showed their secret values.
#[test]
fn go_maps_printed_with_v_are_masked() {
    check_masked(
        &[
            (
                "map[NPM_TOKEN:abc123 PATH:/usr/bin]",
                "map[NPM_TOKEN:REDACTED PATH:/usr/bin]",
            ),
            (
                "map[Authorization:[Bearer eyJhbGciOi.eyJzdWIi.sig]]",
                "map[Authorization:[REDACTED]]",
            ),
            ("map[password:hunter2]", "map[password:REDACTED]"),
            (
                r#"level=debug msg="solve request" buildargs="map[GITHUB_TOKEN:GhEnvT0k HTTP_PROXY:http://proxy:3128 db_password:MapPw123]""#,
                r#"level=debug msg="solve request" buildargs="map[GITHUB_TOKEN:REDACTED HTTP_PROXY:http://proxy:3128 db_password:REDACTED]""#,
            ),
        ],
        &["abc123", "eyJhbGciOi", "hunter2", "GhEnvT0k", "MapPw123"],
    );
    let digest = "ab12".repeat(16);
    for clean in [
        "map[PATH:/usr/bin HOME:/root author:bob]".to_owned(),
        format!("map[key:sha256:{digest} keyring:default]"),
        "map[Accept:[*/*] Www-Authenticate:[Bearer realm=\"r\"]]".to_owned(),
    ] {
        assert_eq!(text(&clean), clean);
    }
}

/// The fourth review, 7: Slack, OpenAI, Anthropic, Google, Stripe, npm and PyPI tokens by
/// their shapes; shorter, longer or glued look-alikes stay.
#[test]
fn more_token_shapes_are_masked() {
    let long = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefghijklmnopqrstuvwxyz";
    let pypi = format!("pypi-AgEIcHlwaS5vcmc{}", &long[..56]);
    let google = "AIzaSyA1234567890abcdefghijklmnopqrstu";
    assert_eq!(google.len(), 38);
    let cases = [
        (
            "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx".to_owned(),
            "xoxb-REDACTED",
        ),
        (
            "xoxp-1234567890-1234567890-1234567890-0123456789abcdef0123456789abcdef".to_owned(),
            "xoxp-REDACTED",
        ),
        ("xoxa-2-AbCdEfGhIjKl".to_owned(), "xoxa-REDACTED"),
        ("xoxr-1-AbCdEfGhIjKl".to_owned(), "xoxr-REDACTED"),
        ("xoxs-12-AbCdEfGhIj".to_owned(), "xoxs-REDACTED"),
        (format!("sk-proj-{}", &long[..48]), "sk-proj-REDACTED"),
        (format!("sk-{}", &long[..48]), "sk-REDACTED"),
        (format!("sk-ant-api03-{}", &long[..40]), "sk-ant-REDACTED"),
        (format!("{google}v"), "AIzaREDACTED"),
        (format!("{google}-"), "AIzaREDACTED"),
        (format!("sk_live_{}", &long[..24]), "sk_live_REDACTED"),
        (format!("rk_live_{}", &long[..30]), "rk_live_REDACTED"),
        (format!("npm_{}", &long[..36]), "npm_REDACTED"),
        (pypi, "pypi-REDACTED"),
    ];
    for (token, shown) in &cases {
        let line =
            format!(r#"level=warning msg="fetch failed" error="leaked {token} in build output""#);
        let out = text(&line);
        assert_eq!(
            out,
            format!(r#"level=warning msg="fetch failed" error="leaked {shown} in build output""#),
            "{token}"
        );
    }
    // The same in a list, so every shape is found beside others.
    let all: Vec<&str> = cases.iter().map(|(t, _)| t.as_str()).collect();
    let joined = all.join(" ");
    let out = text(&joined);
    for (token, _) in &cases {
        assert!(!out.contains(token.as_str()), "{token}: {out}");
    }
    for clean in [
        "xoxb-short xox-123-abcdefghijk sk-short task-1 disk-usage".to_owned(),
        format!("disk-{} risk-{}", &long[..40], &long[..40]),
        format!("AIza{} AIza{}", &long[..34], &long[..36]),
        format!("npm_{} sk_live_short rk_live_{}", &long[..35], &long[..10]),
        "pypi-simple pypi-AgEshort".to_owned(),
    ] {
        assert_eq!(text(&clean), clean);
    }
}

/// The fourth review's over-masking: a credential word inside another word (`author`,
/// `keyring`, `monkey`, `tokenizer`) or a readable kind of key (`public_key`, `key_id`) made
/// the name a secret's. Names are read by segment now; the secret names and headers stay
/// secret.
#[test]
fn names_are_read_by_segment() {
    let line = "author=bob authority=ca1 authorized=true authored_by=me public_key=ssh-ed25519 key_id=k1 keyring=default keyboard=us monkey=1 turkey=2 hockey=3 tokenizer=bpe";
    assert_eq!(text(line), line);
    let json = r#"{"author":"bob","publicKey":"pk1","keyId":"k2","tokenizer":"bpe"}"#;
    assert_eq!(text(json), json);
    check_masked(
        &[(
            "api_key=A1 secret_key=S2 private_key=P3 access_key=K4 apiKey=A5 SecretAccessKey=S6 aws_access_key_id=AKIDPLAIN1",
            "api_key=REDACTED secret_key=REDACTED private_key=REDACTED access_key=REDACTED apiKey=REDACTED SecretAccessKey=REDACTED aws_access_key_id=AKIDPLAIN1",
        )],
        &["=A1", "=S2", "=P3", "=K4", "=A5", "=S6"],
    );
    for secret in [
        "X-Auth-Token",
        "Ocp-Apim-Subscription-Key",
        "X-JFrog-Art-Api",
        "Private-Token",
        "Proxy-Authorization",
        "Authorization",
        "X-Registry-Auth",
        "XAuthToken",
        "x-apikey",
        "identitytoken",
        "set-cookie2",
    ] {
        assert!(is_secret_header(secret), "{secret}");
    }
    for readable in [
        "WWW-Authenticate",
        "Proxy-Authenticate",
        "author",
        "authority",
        "x-key-id",
        "public-key",
        "keyring",
    ] {
        assert!(!is_secret_header(readable), "{readable}");
    }
}

/// Client error texts (a `RUN` step's command in `failed to solve: process "…"`): `PW`,
/// `CREDS` and `PAT` as a name's last segment (GitHub's `CR_PAT`) named no secret; `PWD` and
/// `CREDENTIALS` did and still do. `PATH`, a `_PATH` suffix, `patch`, a `PAT_` prefix and
/// docker's `credsStore` stay readable.
#[test]
fn pw_creds_and_pat_name_secrets_as_a_last_segment() {
    check_masked(
        &[
            (
                r#"ERROR: failed to solve: process "/bin/sh -c REGISTRY_PW=Pw0rdValue9 DEPLOY_CREDS=CredsValue8 DOCKERHUB_PAT=PatValue77 ./push.sh" did not complete successfully: exit code: 1"#,
                r#"ERROR: failed to solve: process "/bin/sh -c REGISTRY_PW=REDACTED DEPLOY_CREDS=REDACTED DOCKERHUB_PAT=REDACTED ./push.sh" did not complete successfully: exit code: 1"#,
            ),
            (
                "env CR_PAT=CrPat11111 PAT=BarePat222 pw=BarePw3333 GH_PAT2=GhPat44444 nexusPw=CamelPw555 creds=Creds66666",
                "env CR_PAT=REDACTED PAT=REDACTED pw=REDACTED GH_PAT2=REDACTED nexusPw=REDACTED creds=REDACTED",
            ),
            (
                "env REGISTRY_PWD=RegPwd7777 DEPLOY_CREDENTIALS=DepCred888 AWS_CREDS=AwsCreds99",
                "env REGISTRY_PWD=REDACTED DEPLOY_CREDENTIALS=REDACTED AWS_CREDS=REDACTED",
            ),
            // As JSON keys, labels and a Go map.
            (
                r#"{"gh_pat":"JsonPat111","db_pw":"JsonPw2222"} CR_PAT: LabelPat33 map[DEPLOY_CREDS:MapCreds44 PATH:/usr/bin]"#,
                r#"{"gh_pat":"REDACTED","db_pw":"REDACTED"} CR_PAT: REDACTED map[DEPLOY_CREDS:REDACTED PATH:/usr/bin]"#,
            ),
        ],
        &[
            "Pw0rdValue9",
            "CredsValue8",
            "PatValue77",
            "CrPat11111",
            "BarePat222",
            "BarePw3333",
            "GhPat44444",
            "CamelPw555",
            "Creds66666",
            "RegPwd7777",
            "DepCred888",
            "AwsCreds99",
            "JsonPat111",
            "JsonPw2222",
            "LabelPat33",
            "MapCreds44",
        ],
    );
    for clean in [
        "env PATH=/usr/local/bin:/usr/bin SPAN_PATH=/spans/a KUBECONFIG_PATH=/k patch=1 pattern=x PAT_COUNT=3 pat_expiry=30d",
        r#"{"credsStore":"desktop","credHelpers":{"ghcr.io":"gh"},"path":"/v2/"}"#,
        "pwdump=1 pwned=no spw=3 DEPLOY_CREDS_FILE=/run/secrets/creds",
        "map[PATH:/usr/bin HOME:/root]",
    ] {
        assert_eq!(text(clean), clean);
    }
    for secret in [
        "REGISTRY_PW",
        "pw",
        "DEPLOY_CREDS",
        "creds",
        "CR_PAT",
        "PAT",
        "ghPat",
    ] {
        assert!(names::is_secret_name(secret, false), "{secret}");
    }
    for readable in [
        "PATH",
        "SPAN_PATH",
        "patch",
        "PAT_COUNT",
        "credsStore",
        "pwned",
    ] {
        assert!(!names::is_secret_name(readable, false), "{readable}");
    }
}

/// `curl -u user:password` (and `--user`, `-U`/`--proxy-user`) in a client error text: the
/// password masked, the user kept; only after `curl`, so `docker run -u 1000:1000` and
/// `useradd -u 1001` stay, and a user alone (curl asks for the password) too.
#[test]
fn curl_user_passwords() {
    check_masked(
        &[
            (
                r#"ERROR: failed to solve: process "/bin/sh -c curl -fsSL -u ci-bot:Sup3rS3cretPw https://artifactory.corp.example/api/npm/auth > .npmrc" did not complete successfully: exit code: 22"#,
                r#"ERROR: failed to solve: process "/bin/sh -c curl -fsSL -u ci-bot:REDACTED https://artifactory.corp.example/api/npm/auth > .npmrc" did not complete successfully: exit code: 22"#,
            ),
            (
                "curl --user deploy:UserLong11 https://r.example/a",
                "curl --user deploy:REDACTED https://r.example/a",
            ),
            (
                "curl -s --user=deploy:UserEq222 https://r.example/a",
                "curl -s --user=deploy:REDACTED https://r.example/a",
            ),
            (
                "/usr/bin/curl -uglued:Glued33333 https://r.example/a",
                "/usr/bin/curl -uglued:REDACTED https://r.example/a",
            ),
            (
                "curl -U proxy:ProxyU4444 -x http://p:3128 https://r.example/a",
                "curl -U proxy:REDACTED -x http://p:3128 https://r.example/a",
            ),
            (
                "curl --proxy-user proxy:ProxyU5555 https://r.example/a",
                "curl --proxy-user proxy:REDACTED https://r.example/a",
            ),
            // Quoted, with a space and a colon in the password; escaped quotes inside a Go
            // `%q` or a logfmt value; a header with its own quotes before the flag.
            (
                "curl -u 'deploy:Quo ted:66' https://r.example/a",
                "curl -u 'deploy:REDACTED' https://r.example/a",
            ),
            (
                r#"process "/bin/sh -c curl -H \"Accept: application/json\" -u \"svc:Escaped77\" https://r.example/a""#,
                r#"process "/bin/sh -c curl -H \"Accept: application/json\" -u \"svc:REDACTED\" https://r.example/a""#,
            ),
            // A url's `&` is no end of the command; `&&` is.
            (
                "curl https://r.example/a?x=1&y=2 -u u:Amp888888 && docker run -u 1000:1000 alpine id",
                "curl https://r.example/a?x=1&y=2 -u u:REDACTED && docker run -u 1000:1000 alpine id",
            ),
        ],
        &[
            "Sup3rS3cretPw",
            "UserLong11",
            "UserEq222",
            "Glued33333",
            "ProxyU4444",
            "ProxyU5555",
            "Quo ted",
            "ted:66",
            "Escaped77",
            "Amp888888",
        ],
    );
    for clean in [
        "docker run -u 1000:1000 alpine id",
        "useradd -u 1001 -g 1001 app && chown 1001:1001 /app",
        "curl -fsS https://r.example/health && docker run -u 1000:1000 alpine id",
        "curl -fsS https://r.example/health; docker run --rm -u 0:0 alpine id",
        "curl -fsS https://r.example/health | tar -xz -u x:y",
        "curl -u deploy https://r.example/a",
        "curl -u deploy: https://r.example/a",
        "curl --user-agent 'UA:1' -A x:y https://r.example/a",
        "curl --url https://r.example/a",
        "libcurl -u a:b",
    ] {
        assert_eq!(text(clean), clean);
    }
}

/// wget's `--http-password`, `--proxy-password` and `--ftp-password` as `--password` is:
/// `=VALUE` or ` VALUE`; `--ask-password` (no value) leaves the url after it.
#[test]
fn wget_passwords() {
    check_masked(
        &[
            (
                "wget --user=ci --password=WgetPw1111 https://r.example/a",
                "wget --user=ci --password=REDACTED https://r.example/a",
            ),
            (
                "wget --http-user=ci --http-password WgetHttp22 https://r.example/a",
                "wget --http-user=ci --http-password REDACTED https://r.example/a",
            ),
            (
                "wget --http-password=WgetHttp33 --proxy-password 'Wget Proxy4' --ftp-password=WgetFtp555 x",
                "wget --http-password=REDACTED --proxy-password REDACTED --ftp-password=REDACTED x",
            ),
        ],
        &[
            "WgetPw1111",
            "WgetHttp22",
            "WgetHttp33",
            "Wget Proxy4",
            "WgetFtp555",
        ],
    );
    for clean in [
        "wget --ask-password https://r.example/a",
        "docker login --password-stdin r.example",
    ] {
        assert_eq!(text(clean), clean);
    }
}

/// curl's short options glued in one word before `-u` (`-fsSLu user:password`, `-su…`) and
/// the `--creds USER:PASSWORD` of skopeo, podman and buildah (`--src-creds`, `--dest-creds`,
/// `--from-creds`) with a space: the password masked, the user kept (a review found both
/// shown; `--creds=VALUE` was masked whole already, as every credential `name=value` is).
#[test]
fn glued_curl_flags_and_creds_flags() {
    check_masked(
        &[
            (
                r#"process "/bin/sh -c curl -fsSLu ci-bot:GluedFlag11 https://r.example/a" did not complete successfully: exit code: 22"#,
                r#"process "/bin/sh -c curl -fsSLu ci-bot:REDACTED https://r.example/a" did not complete successfully: exit code: 22"#,
            ),
            (
                "curl -sU proxy:GluedProxy2 -x http://p:3128 https://r.example/a",
                "curl -sU proxy:REDACTED -x http://p:3128 https://r.example/a",
            ),
            (
                "curl -Lsudeploy:GluedBoth3 https://r.example/a",
                "curl -Lsudeploy:REDACTED https://r.example/a",
            ),
            (
                "skopeo copy --src-creds ci:SrcCreds44 --dest-creds=ci:DestCreds5 docker://a docker://b",
                // `name=value` with a credential word masks the whole value (names.rs) first.
                "skopeo copy --src-creds ci:REDACTED --dest-creds=REDACTED docker://a docker://b",
            ),
            (
                r#"process "/bin/sh -c podman pull --creds \"bot:PodCreds66\" r.example/a" did not complete successfully"#,
                r#"process "/bin/sh -c podman pull --creds \"bot:REDACTED\" r.example/a" did not complete successfully"#,
            ),
            (
                "buildah from --creds 'svc:Bah Creds7' r.example/a",
                "buildah from --creds 'svc:REDACTED' r.example/a",
            ),
        ],
        &[
            "GluedFlag11",
            "GluedProxy2",
            "GluedBoth3",
            "SrcCreds44",
            "DestCreds5",
            "PodCreds66",
            "Bah Creds7",
        ],
    );
    for clean in [
        "curl -fsSL https://r.example/a -o /tmp/uu:x",
        "curl -fsSLu deploy https://r.example/a",
        "docker run --rm -itu 1000:1000 alpine id",
        "skopeo copy --src-creds ci docker://a docker://b",
        "podman --creds-file=/run/auth.json pull r.example/a",
    ] {
        assert_eq!(text(clean), clean);
    }
}

/// The login commands of other registry clients take `-p PASSWORD` as `docker login` does
/// (podman, buildah, skopeo, nerdctl, finch, oras, `helm registry login`, `crane auth login`,
/// `regctl registry login`), and regctl's `--pass PASSWORD`: a review found them shown.
#[test]
fn other_registry_clients_login_passwords() {
    check_masked(
        &[
            (
                r#"process "/bin/sh -c podman login -u bot -p PodLoginPw1 r.example && podman push r.example/a" did not complete successfully"#,
                r#"process "/bin/sh -c podman login -u bot -p REDACTED r.example && podman push r.example/a" did not complete successfully"#,
            ),
            (
                "helm registry login r.example -u bot -p HelmLogin22",
                "helm registry login r.example -u bot -p REDACTED",
            ),
            (
                "crane auth login r.example -u bot -p CraneLogin3",
                "crane auth login r.example -u bot -p REDACTED",
            ),
            (
                "oras login -u bot -pOrasGlued44 r.example",
                "oras login -u bot -pREDACTED r.example",
            ),
            (
                "regctl registry login r.example -u bot --pass RegctlPass5",
                "regctl registry login r.example -u bot --pass REDACTED",
            ),
            (
                "skopeo login --username bot --password SkopeoLgn66 r.example",
                "skopeo login --username bot --password REDACTED r.example",
            ),
        ],
        &[
            "PodLoginPw1",
            "HelmLogin22",
            "CraneLogin3",
            "OrasGlued44",
            "RegctlPass5",
            "SkopeoLgn66",
        ],
    );
    for clean in [
        "podman run -p 8080:80 nginx",
        "helm install x -p 1",
        "regctl registry login r.example --pass-stdin",
        "iptables --pass-through -p tcp",
        "podman login --password-stdin r.example",
    ] {
        assert_eq!(text(clean), clean);
    }
}
