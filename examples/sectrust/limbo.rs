//! `sectrust limbo FILE [--output OUT]`: runs an x509-limbo file (`limbo.json`, schema
//! version 1) and writes x509-limbo's results JSON to OUT, or standard output:
//! `{"version":1,"harness":"sectrust","results":[{"id","actual_result","context"}]}`.
//! A tally (as expected, not, skipped; the case with the most path-search work) goes to
//! standard error.
//!
//! The case mapping lives in [`map`] (shared with `tests/limbo.rs`). Exit 2 when the file
//! cannot be read or is not a limbo file, 1 when the results cannot be written, else 0 —
//! whatever the cases' outcomes.

#[path = "limbo/map.rs"]
pub mod map;

use std::ffi::OsStr;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use sectrust::path::Work;
use serde_json::json;

use map::{Actual, Harness, LimboFile};

/// Runs `sectrust limbo FILE [--output OUT]`.
pub fn main(file: &OsStr, output: Option<&OsStr>) -> ExitCode {
    let limbo = match read(file) {
        Ok(limbo) => limbo,
        Err(message) => {
            eprintln!("sectrust limbo: {message}");
            return ExitCode::from(2);
        }
    };
    let harness = Harness::new();
    if !harness.has_public_suffix_list() {
        eprintln!(
            "sectrust limbo: no public-suffix list at {}: wildcards are kept off suffixes by the \
             label-count rule only",
            map::SYSTEM_PUBLIC_SUFFIX_LIST
        );
    }
    let mut results = Vec::with_capacity(limbo.testcases.len());
    let (mut agree, mut differ, mut skipped) = (0usize, 0usize, 0usize);
    let mut heaviest: Option<(&str, Work)> = None;
    for case in &limbo.testcases {
        let outcome = harness.run(case);
        if let Some(work) = outcome.work
            && heaviest.is_none_or(|(_, w)| work.signature_checks > w.signature_checks)
        {
            heaviest = Some((&case.id, work));
        }
        match outcome.actual {
            Actual::Skipped => skipped += 1,
            a if a.agrees_with(case.expected_result) => agree += 1,
            _ => differ += 1,
        }
        results.push(json!({
            "id": case.id,
            "actual_result": outcome.actual.as_str(),
            "context": outcome.context,
        }));
    }
    let doc = json!({"version": 1, "harness": "sectrust", "results": results});
    if let Err(e) = write(output, &doc) {
        eprintln!("sectrust limbo: cannot write the results: {e}");
        return ExitCode::from(1);
    }
    eprintln!(
        "sectrust limbo: {} cases: {agree} as expected, {differ} not, {skipped} skipped",
        limbo.testcases.len()
    );
    if let Some((id, work)) = heaviest {
        eprintln!(
            "sectrust limbo: most work: {id} ({} steps, {} signature checks, {} paths)",
            work.steps, work.signature_checks, work.validated
        );
    }
    ExitCode::SUCCESS
}

fn read(file: &OsStr) -> Result<LimboFile, String> {
    let name = file.to_string_lossy();
    let text = std::fs::read_to_string(file).map_err(|e| format!("{name}: {e}"))?;
    let limbo: LimboFile =
        serde_json::from_str(&text).map_err(|e| format!("{name}: not a limbo file: {e}"))?;
    if limbo.version != 1 {
        return Err(format!(
            "{name}: limbo schema version {} (this harness reads 1)",
            limbo.version
        ));
    }
    Ok(limbo)
}

fn write(output: Option<&OsStr>, doc: &serde_json::Value) -> io::Result<()> {
    let mut out: Box<dyn Write> = match output {
        Some(path) => Box::new(BufWriter::new(File::create(path)?)),
        None => Box::new(BufWriter::new(io::stdout().lock())),
    };
    serde_json::to_writer(&mut out, doc)?;
    out.write_all(b"\n")?;
    out.flush()
}
