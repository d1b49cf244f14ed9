//! `sectrust cases FILE|-`: the JSON case runner (`case-format.md`).
//!
//! Reads a case file (or standard input for `-`) and writes one compact JSON line per case to
//! standard output, in input order. A case that cannot be evaluated answers
//! `{"id":…,"result":"input_error","message":"<field path>: <what is wrong>"}` and the run goes
//! on. The pipeline per case: decode and validate ([`spec`]) → map to library values and read
//! the certificates ([`evaluate`], [`load`]) → evaluate → format ([`output`]).
//!
//! Decisions where `case-format.md` is silent:
//! - Exit 2 (message on stderr, nothing on stdout) also when the JSON is not a case file: the
//!   top level must be an object whose `cases` is an array, and `version`, when present, must
//!   be 1. Exit 1 when standard output cannot be written. Otherwise exit 0.
//! - A case whose `id` is missing or not a string answers `input_error` with `"id":null`
//!   (the line's position still identifies it). A string id is echoed even when the rest of
//!   the case is unusable.
//! - Unknown keys are ignored at every level (forward compatibility). A key whose value is
//!   `null` counts as absent (so `"hostname": null` and `"usage": null` take their defaults).
//! - The first problem found is reported, in the field order of the spec's input table; an
//!   unsupported policy kind is reported before any certificate is read.
//! - References: a `file:` prefix wins, then any text containing `-----BEGIN` is PEM, else
//!   base64 (whitespace ignored, padding optional). `file:` paths are relative to the case
//!   file's folder (standard input: the current directory); absolute paths are used as is.
//!   For `leaf` and `user_trust[].cert` the first certificate of a PEM bundle is used and the
//!   rest ignored; in `intermediates`, `anchors` and `system_anchors` every certificate counts.
//! - `anchors_only` defaults to "anchors non-empty" counted after loading, and is always
//!   passed to the evaluator explicitly.
//! - `allowed_errors` takes only the names `expired`, `hostname`, `email`.
//! - `ocsp_responses` and `crls` are sanity-checked (DER must start as a SEQUENCE; an OCSP
//!   response may not be PEM; a PEM CRL text may hold several `X509 CRL` blocks) and handed to
//!   the evaluator as the stapled or cached revocation data of the case (`RevocationInputs`,
//!   `apple-trust.md §9`). Every policy kind of the spec maps to its library policy; a
//!   `revocation` entry is `SecPolicyCreateRevocation` with the flags of its `method`,
//!   `require_positive_response` and `network_disabled`. `quirks.ios5_smime` sets the
//!   hypothesis of every `smime` policy of the case (it changes only iOS 5 results).
//! - `verify_time` fractions of a second are dropped; absent means now (non-deterministic).

mod evaluate;
mod json;
mod load;
mod output;
mod spec;

use std::ffi::OsStr;
use std::io::{self, Read, Write};
use std::path::{Path as FsPath, PathBuf};
use std::process::ExitCode;

use serde_json::Value;

use json::{Path, kind_of};
pub use load::Loader;
use output::OutputLine;
use spec::{CaseSpec, case_id};

/// The case-file version this runner reads.
const VERSION: u64 = 1;

/// Runs `sectrust cases ARG`.
pub fn main(arg: &OsStr) -> ExitCode {
    let (text, base_dir) = match read_input(arg) {
        Ok(input) => input,
        Err(message) => return fail(2, &message),
    };
    let cases = match parse_case_file(&text) {
        Ok(cases) => cases,
        Err(message) => return fail(2, &format!("{}: {message}", display_name(arg))),
    };
    let stdout = io::stdout();
    match run(&cases, &Loader::new(base_dir), &mut stdout.lock()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::from(1),
        Err(e) => fail(1, &format!("cannot write to standard output: {e}")),
    }
}

/// Prints `message` on stderr and returns exit status `code`.
fn fail(code: u8, message: &str) -> ExitCode {
    eprintln!("sectrust cases: {message}");
    ExitCode::from(code)
}

/// How the input is named in messages.
fn display_name(arg: &OsStr) -> String {
    if arg == "-" {
        "standard input".into()
    } else {
        FsPath::new(arg).display().to_string()
    }
}

/// The input's bytes and the folder `file:` references are relative to.
fn read_input(arg: &OsStr) -> Result<(Vec<u8>, PathBuf), String> {
    if arg == "-" {
        let mut text = Vec::new();
        io::stdin()
            .read_to_end(&mut text)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        return Ok((text, PathBuf::new()));
    }
    let path = FsPath::new(arg);
    let text = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok((text, base_dir(path)))
}

/// The folder of a case file (empty, i.e. the current directory, for a bare file name).
fn base_dir(case_file: &FsPath) -> PathBuf {
    case_file
        .parent()
        .map(FsPath::to_path_buf)
        .unwrap_or_default()
}

/// The `cases` array of a case file, or why the text is not a case file.
pub fn parse_case_file(text: &[u8]) -> Result<Vec<Value>, String> {
    let value: Value = serde_json::from_slice(text).map_err(|e| format!("not valid JSON: {e}"))?;
    let Value::Object(mut top) = value else {
        return Err(format!(
            "not a case file: expected a JSON object at the top level, found {}",
            kind_of(&value)
        ));
    };
    match top.get("version") {
        None | Some(Value::Null) => {}
        Some(v) if v.as_u64() == Some(VERSION) => {}
        Some(v) => {
            return Err(format!(
                "unsupported case-file version {v} (this runner reads version {VERSION})"
            ));
        }
    }
    match top.remove("cases") {
        Some(Value::Array(cases)) => Ok(cases),
        None | Some(Value::Null) => Err("not a case file: no `cases` array".into()),
        Some(other) => Err(format!(
            "not a case file: `cases` must be an array, found {}",
            kind_of(&other)
        )),
    }
}

/// Answers every case, one line each, flushing after each line so a reader sees progress.
pub fn run(cases: &[Value], loader: &Loader, out: &mut impl Write) -> io::Result<()> {
    for (index, case) in cases.iter().enumerate() {
        answer(case, index, loader).write_to(out)?;
        out.flush()?;
    }
    Ok(())
}

/// The answer line for `cases[index]`.
fn answer(case: &Value, index: usize, loader: &Loader) -> OutputLine {
    let path = Path::root("cases").index(index);
    let spec = match CaseSpec::decode(case, &path) {
        Ok(spec) => spec,
        Err(e) => return OutputLine::input_error(case_id(case), &e),
    };
    match evaluate::evaluate(&spec, loader) {
        Ok(verdict) => OutputLine::from_verdict(spec.id, &verdict),
        Err(e) => OutputLine::input_error(Some(spec.id), &e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run_text(text: &str) -> Vec<Value> {
        let cases = parse_case_file(text.as_bytes()).unwrap();
        let mut out = Vec::new();
        run(&cases, &Loader::new("/nonexistent"), &mut out).unwrap();
        String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    #[test]
    fn rejects_what_is_not_a_case_file() {
        for (text, want) in [
            ("", "not valid JSON"),
            ("{\"cases\": [", "not valid JSON"),
            ("\u{feff}{}", "not valid JSON"),
            (
                "[]",
                "not a case file: expected a JSON object at the top level, found an array",
            ),
            ("{}", "not a case file: no `cases` array"),
            (
                "{\"cases\": {}}",
                "not a case file: `cases` must be an array, found an object",
            ),
            (
                "{\"version\": 2, \"cases\": []}",
                "unsupported case-file version 2",
            ),
            (
                "{\"version\": \"1\", \"cases\": []}",
                "unsupported case-file version \"1\"",
            ),
        ] {
            let e = parse_case_file(text.as_bytes()).unwrap_err();
            assert!(e.starts_with(want), "{text:?}: {e}");
        }
        assert!(parse_case_file(b"\xff\xfe").is_err());
    }

    #[test]
    fn accepts_version_1_or_none_and_ignores_other_keys() {
        assert_eq!(parse_case_file(b"{\"version\":1,\"cases\":[]}"), Ok(vec![]));
        assert_eq!(
            parse_case_file(b"{\"cases\":[1,{}],\"comment\":\"x\"}"),
            Ok(vec![json!(1), json!({})])
        );
    }

    #[test]
    fn one_line_per_case_in_order_even_when_every_case_is_bad() {
        let lines = run_text(
            r#"{"version": 1, "cases": [
                {"id": "first", "platform": "ios-99.0", "leaf": "x", "policies": [{"kind": "basic"}]},
                17,
                {"leaf": "x", "policies": [{"kind": "basic"}]},
                {"id": 5, "leaf": "x", "policies": [{"kind": "basic"}]},
                {"id": "revocation", "leaf": "file:x.pem", "policies": [{"kind": "revocation", "method": "ocsp"}]},
                {"id": "missing-file", "leaf": "file:x.pem", "policies": [{"kind": "basic"}]},
                {"id": "bad-base64", "leaf": "%%%", "policies": [{"kind": "basic"}]}
            ]}"#,
        );
        let summary: Vec<(Value, String)> = lines
            .iter()
            .map(|l| {
                assert_eq!(l["result"], "input_error", "{l}");
                assert_eq!(l.as_object().unwrap().len(), 3, "{l}");
                (l["id"].clone(), l["message"].as_str().unwrap().to_owned())
            })
            .collect();
        let want = [
            (
                json!("first"),
                "cases[0].platform: unknown platform \"ios-99.0\"",
            ),
            (json!(null), "cases[1]: expected an object, found a number"),
            (json!(null), "cases[2].id: missing required field"),
            (
                json!(null),
                "cases[3].id: expected a string, found a number",
            ),
            (
                json!("revocation"),
                "cases[4].leaf: cannot read file \"x.pem\"",
            ),
            (
                json!("missing-file"),
                "cases[5].leaf: cannot read file \"x.pem\"",
            ),
            (
                json!("bad-base64"),
                "cases[6].leaf: not PEM, base64 or a file: reference",
            ),
        ];
        assert_eq!(summary.len(), want.len());
        for ((id, message), (want_id, want_message)) in summary.iter().zip(want) {
            assert_eq!(id, &want_id);
            assert!(message.starts_with(want_message), "{message}");
        }
    }

    #[test]
    fn an_empty_case_list_prints_nothing() {
        assert!(run_text("{\"cases\": []}").is_empty());
    }

    #[test]
    fn the_base_folder_is_the_case_files_folder() {
        let dir = std::env::temp_dir().join(format!("sectrust-cases-base-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("cases.json");
        std::fs::write(&file, "{}").unwrap();
        let (text, base) = read_input(file.as_os_str()).unwrap();
        assert_eq!((text, base), (b"{}".to_vec(), dir.clone()));
        assert_eq!(base_dir(FsPath::new("cases.json")), PathBuf::new());
        assert_eq!(
            base_dir(FsPath::new("a/b/cases.json")),
            PathBuf::from("a/b")
        );
        assert!(
            read_input(dir.join("missing.json").as_os_str())
                .unwrap_err()
                .starts_with("cannot read ")
        );
        std::fs::remove_dir_all(dir).unwrap();
    }
}
