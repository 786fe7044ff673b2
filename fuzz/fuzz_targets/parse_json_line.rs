//! Fuzzes the JSON-format parser (`--log-format json`) two ways: the input itself as a JSON
//! line (a `{` is put in front when it has none), and a differential check: whatever the text
//! parser makes of the input is written out as logrus's JSON formatter would, and parsing that
//! JSON line must give back the same message, time and fields.

#![no_main]

use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value};

use bkscope::parse::{Format, Record, parse_line};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let braced = if text.starts_with('{') {
        text.to_string()
    } else {
        format!("{{{text}")
    };
    let _ = parse_line(&braced);
    let _ = parse_line(&format!("2024-01-01T00:00:00.000000001Z {braced}"));

    let Record::Entry(e) = parse_line(&text) else {
        return;
    };
    let mut fields = BTreeMap::new();
    for f in &e.fields {
        let key = f.key.to_string();
        if matches!(key.as_str(), "time" | "level" | "msg") || fields.contains_key(&key) {
            return; // logrus's JSON cannot hold a repeated or reserved key
        }
        fields.insert(key, f.value.to_string());
    }
    let mut obj = Map::new();
    obj.insert("level".into(), Value::from("debug"));
    obj.insert("msg".into(), Value::from(e.msg.to_string()));
    if let Some(t) = &e.time {
        obj.insert("time".into(), Value::from(t.to_string()));
    }
    for (k, v) in &fields {
        obj.insert(k.clone(), Value::from(v.clone()));
    }
    let json = Value::Object(obj).to_string();
    if json.contains("](http") {
        return; // such a line is repaired as a web paste first, on purpose
    }
    let Record::Entry(j) = parse_line(&json) else {
        panic!("a logrus JSON line did not parse: {json}");
    };
    assert_eq!(j.format, Format::Json);
    assert_eq!(j.msg, e.msg, "{json}");
    assert_eq!(j.time, e.time, "{json}");
    let back: BTreeMap<String, String> = j
        .fields
        .iter()
        .map(|f| (f.key.to_string(), f.value.to_string()))
        .collect();
    assert_eq!(back, fields, "{json}");
});
