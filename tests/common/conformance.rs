//! Helpers for the conformance suites under `../shared/conformance`: locating them (skipping with
//! a clear message when absent) and checking results against a checked-in deviations list.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::PathBuf;

/// `../shared/conformance/<suite>` beside the checkout, or `None` (with a message) when absent.
pub fn suite_dir(suite: &str) -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/conformance")
        .join(suite);
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "SKIPPED: {} not found — the conformance suite is read from ../shared at run time",
            dir.display()
        );
        None
    }
}

/// A deviations list: `id<TAB>reason` lines; `#` starts a comment. Every listed case must
/// still deviate, and every deviating case must be listed with a reason citing the Apple rule
/// (`apple-trust.md` / `platforms.md`) — or, where the spec is silent, the crate's own decision
/// and the source file that documents it ("this crate's decision, … src/…").
pub fn load_deviations(file: &str) -> BTreeMap<String, String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/deviations")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (id, reason) = line
            .split_once('\t')
            .unwrap_or_else(|| panic!("{}:{}: expected `id<TAB>reason`", path.display(), n + 1));
        let crate_decision = reason.contains("crate's decision") && reason.contains("src/");
        assert!(
            reason.contains("apple-trust.md") || reason.contains("platforms.md") || crate_decision,
            "{}:{}: the reason must cite the Apple rule, or the crate's documented decision",
            path.display(),
            n + 1
        );
        assert!(
            out.insert(id.to_owned(), reason.to_owned()).is_none(),
            "{}:{}: {id} listed twice",
            path.display(),
            n + 1
        );
    }
    out
}

/// Compares the deviating case ids with the list; panics with a full report on any difference.
pub fn check_deviations(
    suite: &str,
    deviating: &BTreeMap<String, String>,
    listed: &BTreeMap<String, String>,
    run: usize,
) {
    let unlisted: Vec<_> = deviating
        .iter()
        .filter(|(id, _)| !listed.contains_key(*id))
        .collect();
    let fixed: Vec<_> = listed
        .keys()
        .filter(|id| !deviating.contains_key(*id))
        .collect();
    eprintln!(
        "{suite}: {run} cases run, {} agree, {} deviate (all listed: {})",
        run - deviating.len(),
        deviating.len(),
        unlisted.is_empty()
    );
    let mut report = String::new();
    for (id, what) in &unlisted {
        report.push_str(&format!("  not in the deviations list: {id}: {what}\n"));
    }
    for id in &fixed {
        report.push_str(&format!("  listed but now agrees (remove it): {id}\n"));
    }
    assert!(
        report.is_empty(),
        "{suite} deviations differ from the checked-in list:\n{report}"
    );
}
