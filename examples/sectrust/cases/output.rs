//! The answer lines (`case-format.md` "Output"): compact JSON, one per case, keys in the
//! contract's order (serde writes struct fields in declaration order).

use std::io::{self, Write};

use sectrust::Verdict;
use serde::Serialize;

use super::json::InputError;

/// One output line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum OutputLine {
    /// The case was evaluated.
    Answer(Answer),
    /// The case could not be evaluated.
    InputError(InputErrorLine),
}

/// `{"id","result","trusted","chain","failures","error"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Answer {
    /// The case's id.
    pub id: String,
    /// `TrustResult::snake_name`.
    pub result: &'static str,
    /// Proceed or Unspecified.
    pub trusted: bool,
    /// SHA-256 (lower-case hex) of each certificate of the reported chain, leaf first.
    pub chain: Vec<String>,
    /// Every counted failure on the reported chain, certificate index first.
    pub failures: Vec<FailureLine>,
    /// The primary error; `null` when trusted.
    pub error: Option<ErrorLine>,
}

/// `{"cert","check","os_status"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FailureLine {
    /// Index in the chain (0 = leaf).
    pub cert: usize,
    /// Apple's check key.
    pub check: &'static str,
    /// The OSStatus.
    pub os_status: i32,
}

/// `{"os_status","message"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorLine {
    /// The primary error's OSStatus.
    pub os_status: i32,
    /// Apple's message.
    pub message: String,
}

/// `{"id","result":"input_error","message"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputErrorLine {
    /// The case's id; `null` when the case has no string id.
    pub id: Option<String>,
    /// Always `input_error`.
    pub result: &'static str,
    /// What was wrong, and where.
    pub message: String,
}

impl OutputLine {
    /// The answer for an evaluated case.
    pub fn from_verdict(id: String, verdict: &Verdict) -> Self {
        OutputLine::Answer(Answer {
            id,
            result: verdict.result().snake_name(),
            trusted: verdict.is_trusted(),
            chain: verdict.chain().iter().map(|c| c.sha256_hex()).collect(),
            failures: verdict
                .failures()
                .iter()
                .map(|f| FailureLine {
                    cert: f.cert_index,
                    check: f.check.key(),
                    os_status: f.os_status,
                })
                .collect(),
            error: verdict.primary_error().map(|e| ErrorLine {
                os_status: e.os_status,
                message: e.message.clone(),
            }),
        })
    }

    /// The answer for a case that could not be evaluated.
    pub fn input_error(id: Option<String>, error: &InputError) -> Self {
        OutputLine::InputError(InputErrorLine {
            id,
            result: "input_error",
            message: error.to_string(),
        })
    }

    /// Writes the line and its newline.
    pub fn write_to(&self, out: &mut impl Write) -> io::Result<()> {
        serde_json::to_writer(&mut *out, self)?;
        out.write_all(b"\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cases::json::Path;

    fn line(l: &OutputLine) -> String {
        let mut buf = Vec::new();
        l.write_to(&mut buf).unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn answers_keep_the_contract_key_order() {
        let trusted = OutputLine::Answer(Answer {
            id: "ssl-hostname-4".into(),
            result: "unspecified",
            trusted: true,
            chain: vec!["aa".into(), "bb".into()],
            failures: vec![],
            error: None,
        });
        assert_eq!(
            line(&trusted),
            "{\"id\":\"ssl-hostname-4\",\"result\":\"unspecified\",\"trusted\":true,\
             \"chain\":[\"aa\",\"bb\"],\"failures\":[],\"error\":null}\n"
        );
        let failed = OutputLine::Answer(Answer {
            id: "ssl-hostname-1".into(),
            result: "recoverable_trust_failure",
            trusted: false,
            chain: vec!["aa".into()],
            failures: vec![FailureLine {
                cert: 0,
                check: "SSLHostname",
                os_status: -67602,
            }],
            error: Some(ErrorLine {
                os_status: -67602,
                message: "“bad.apple.com” certificate name does not match input".into(),
            }),
        });
        assert_eq!(
            line(&failed),
            "{\"id\":\"ssl-hostname-1\",\"result\":\"recoverable_trust_failure\",\
             \"trusted\":false,\"chain\":[\"aa\"],\"failures\":[{\"cert\":0,\
             \"check\":\"SSLHostname\",\"os_status\":-67602}],\"error\":{\"os_status\":-67602,\
             \"message\":\"“bad.apple.com” certificate name does not match input\"}}\n"
        );
    }

    #[test]
    fn input_errors_escape_and_allow_a_null_id() {
        let e = Path::root("cases")
            .index(3)
            .key("leaf")
            .error("bad \"quote\"\nnewline");
        assert_eq!(
            line(&OutputLine::input_error(Some("x\"y".into()), &e)),
            "{\"id\":\"x\\\"y\",\"result\":\"input_error\",\
             \"message\":\"cases[3].leaf: bad \\\"quote\\\"\\nnewline\"}\n"
        );
        assert_eq!(
            line(&OutputLine::input_error(None, &e)),
            "{\"id\":null,\"result\":\"input_error\",\
             \"message\":\"cases[3].leaf: bad \\\"quote\\\"\\nnewline\"}\n"
        );
    }

    #[test]
    fn every_line_is_one_json_object() {
        let e = Path::root("cases").index(0).error("x\u{2028}y\r\n");
        let text = line(&OutputLine::input_error(Some("\u{0}".into()), &e));
        assert_eq!(text.matches('\n').count(), 1);
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["id"], "\u{0}");
    }
}
