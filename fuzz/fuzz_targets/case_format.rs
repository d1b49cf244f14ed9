//! The case-format reader of the `sectrust cases` runner (`case-format.md`), which lives in the
//! example and is included here by path: `parse_case_file` on arbitrary bytes, then every case
//! decoded, its certificates, OCSP responses and CRLs read (PEM or base64) and evaluated.
//! Invariant: no panic; exactly one JSON output line per case, each an object with `id` and
//! `result`. Case files that reference files (`file:`) are skipped: the fuzzer must not read
//! the disk (a `file:/dev/zero` would only measure the machine).
#![no_main]

// An inline module with a folder path, so `cases.rs` finds its submodules in `cases/`.
#[path = "../../examples/sectrust"]
#[allow(dead_code)]
mod example {
    pub mod cases;
}
#[path = "../../examples/sectrust/rfc3339.rs"]
#[allow(dead_code)]
mod rfc3339;

use example::cases;
use serde_json::Value;

/// Whether any string of the JSON value mentions `file:`.
fn mentions_files(v: &Value) -> bool {
    match v {
        Value::String(s) => s.contains("file:"),
        Value::Array(items) => items.iter().any(mentions_files),
        Value::Object(map) => map.values().any(mentions_files),
        _ => false,
    }
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(cases) = cases::parse_case_file(data) else {
        return;
    };
    if cases.iter().any(mentions_files) {
        return;
    }
    let mut out = Vec::new();
    cases::run(&cases, &cases::Loader::new("/nonexistent"), &mut out).expect("writing to memory");
    let text = String::from_utf8(out).expect("the runner writes UTF-8");
    assert_eq!(
        text.lines().count(),
        cases.len(),
        "one line per case:\n{text}"
    );
    for line in text.lines() {
        let v: Value = serde_json::from_str(line).expect("each line is JSON");
        assert!(v.get("id").is_some() && v["result"].is_string(), "{line}");
    }
});
