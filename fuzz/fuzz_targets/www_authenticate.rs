//! Fuzzes the `WWW-Authenticate` challenge parser and the auth-failure classifiers: no panic,
//! and every parsed parameter is a piece of the header (nothing invented).

#![no_main]

use libfuzzer_sys::fuzz_target;

use bkscope::model::auth::{auth_kind_of_challenge, auth_kind_of_text, parse_challenge};

fuzz_target!(|data: &[u8]| {
    let header = String::from_utf8_lossy(data);
    let c = parse_challenge(&header);
    assert!(header.contains(c.scheme.as_str()), "{c:?}");
    for v in [&c.realm, &c.service, &c.scope, &c.error]
        .into_iter()
        .flatten()
    {
        // Quoted values lose their backslash escapes, so compare without backslashes and quotes.
        let plain = |s: &str| s.replace(['\\', '"'], "");
        assert!(
            plain(&header).contains(&plain(v)),
            "{v:?} not in {header:?}"
        );
    }
    let _ = auth_kind_of_challenge(Some(&c));
    let _ = auth_kind_of_text(&header);
});
