//! Fuzzes the server-fingerprint rule loader (`kb/servers.yaml` schema): any text loads or
//! is refused with an error, never a panic; a loaded rule recognises its own condition.

#![no_main]

use libfuzzer_sys::fuzz_target;

use bkscope::model::host::ServerRules;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(rules) = ServerRules::from_yaml(&text) else {
        return;
    };
    for (i, rule) in rules.rules().iter().enumerate() {
        let _ = rules.serves(i, "registry-1.docker.io:443");
        for cond in &rule.when {
            let value = match (&cond.equals, &cond.contains) {
                (Some(_), Some(_)) => continue,
                (Some(v), None) | (None, Some(v)) => v.as_str(),
                (None, None) => "",
            };
            let headers = [(cond.header.as_str(), value)];
            let hit = rules.classify(headers.iter().copied());
            assert!(
                hit.is_some_and(|f| f.rule <= i),
                "rule {i} misses its own {cond:?}"
            );
        }
    }
});
