//! Explaining differences across platforms: one input under many profiles ([`Matrix`]), what
//! differs between two verdicts and which rows of the rules table account for it ([`diff`]),
//! and which causes reproduce an observation such as "trusted on iOS 10.2, not on iOS 10.3"
//! ([`Diagnoser`]).
//!
//! - [`Matrix::evaluate`] over a [`PlatformSet`] (parsed from `all`,
//!   `ios-5.0..ios-18.0`, `ios-12.0..latest`, `majors`, lists); one [`SignatureCache`] for every profile;
//!   [`Matrix::groups`] gives runs like "iOS 7.0–12.4 trusted; iOS 13.0 and later: SSLHostname
//!   −67602".
//! - [`diff()`]: the checks that differ by certificate index, each tied to the rows of
//!   [`CHECK_RULES`] that apply on one profile only, or to an input difference.
//! - [`Diagnoser`]: re-evaluates under each kind of cause (platform rules and the policies'
//!   quirk hypotheses, the verify time, revocation outcomes, the chain, trust settings) and
//!   reports which reproduce the observation; a [control](Diagnoser::control) certificate seen
//!   trusted on both devices excludes what would have made it untrusted too.
//!
//! # JSON (feature `serde`)
//!
//! The shapes below are stable: fields are only ever added. Platforms are profile names
//! (`"ios-13.0"`), checks Apple's keys (`"SSLHostname"`), results, classes, subtypes, anchors
//! and OS names snake-case (`"recoverable_trust_failure"`, `"name"`, `"app"`, `"ios"`),
//! certificates their SHA-256 fingerprints in lower-case hex, rule ids the [`RuleId`] variant
//! names (`"HostnameCnFallback"`), times Unix seconds.
//!
//! ```text
//! Summary  = { "result": Result, "failures": [Failed], "chain": [Fingerprint] }
//! Failed   = { "cert_index": 0, "check": "SSLHostname", "os_status": -67602 }
//! RuleRef  = { "id": "HostnameCnFallback", "in_a": true, "in_b": false,
//!              "summary": "...", "evidence": "..." }
//!
//! Matrix   = { "evaluations": 3,                       // evaluations actually run
//!              "entries": [{ "platform": "ios-12.0", "summary": Summary }],
//!              "groups":  [{ "os": "ios", "from": "ios-12.0", "to": "ios-12.5",
//!                            "profiles": 7, "summary": Summary,
//!                            "text": "iOS 12.0–12.5 trusted" }] }
//!
//! VerdictDiff = { "a_platform": "ios-12.0", "b_platform": "ios-13.0",
//!                 "a_result": Result, "b_result": Result,
//!                 "a_chain": [Fingerprint], "b_chain": [Fingerprint],
//!                 "a_anchor": "app", "b_anchor": "app",
//!                 "inputs": ["chain" | "anchor"],
//!                 "checks": [{ "cert_index": 0, "check": "SSLHostname", "os_status": -67602,
//!                              "a": null | { "class": "recoverable", "subtype": "name" },
//!                              "b": null | { "class": ..., "subtype": ... },
//!                              "suppressed_in_a": false, "suppressed_in_b": false,
//!                              "rules": [RuleRef], "inputs": ["chain" | "anchor"] }],
//!                 "result_rules": [RuleRef] }
//!
//! Diagnosis = { "observation": { "a": { "platform": "ios-10.2", "expected": Expected },
//!                                "b": { "platform": "ios-10.3", "expected": Expected } },
//!               "baseline_a": Summary, "baseline_b": Summary,
//!               "reproduced": false,                    // by the input as given
//!               "diff": VerdictDiff,                    // between the baselines
//!               "causes": [{ "kind": Kind, "status": "consistent" | "inconsistent"
//!                                                    | "not_evaluable",
//!                            "sides": null | "both" | "a" | "b",
//!                            "subject": null | "“SSL Test Root” (0123456789abcdef)",
//!                            "rules": [RuleRef],
//!                            "windows": [{ "sides": "a", "from": null | 1293840000,
//!                                          "until": null | 1330560001 }],
//!                            "excluded_by_control": false,
//!                            "reason": "..." }],
//!               "control": null | { "certificate": Fingerprint,
//!                                   "baseline_a": Summary, "baseline_b": Summary,
//!                                   "holds": true } }
//! Expected  = "trusted" | "not_trusted" | Result | { "os_status": -25318 }
//! Kind      = "platform_rules" | "quirk_hypothesis" | "verify_time" | "revocation"
//!           | "missing_intermediate" | "alternate_path" | "profile_root_without_full_trust"
//!           | "root_not_trusted" | "deny_setting" | "policy_constrained_setting"
//! ```
//!
//! A matrix serialises verdict summaries; serialise [`MatrixEntry::verdict`] for a whole
//! [`Verdict`](crate::Verdict).
//!
//! [`SignatureCache`]: crate::path::SignatureCache
//! [`RuleId`]: crate::RuleId

mod cause;
mod chain;
mod diagnose;
mod diff;
mod hypotheses;
mod matrix;
mod observation;
mod platform_set;
mod probe;
mod reproduce;
mod revocation;
mod trust_settings;
mod verify_time;

pub use cause::{Cause, CauseKind, Consistency, Sides, TimeWindow};
pub use diagnose::{Control, Diagnoser, Diagnosis, diagnose};
pub use diff::{
    CHECK_RULES, CheckDiff, CheckRules, FailureFacts, InputKind, RESULT_MODEL_RULES, RuleRef, Side,
    VerdictDiff, diff, rules_for_check,
};
pub use matrix::{FailedCheck, Matrix, MatrixEntry, MatrixGroup, VerdictSummary};
pub use observation::{Expected, Observation, Observed};
pub use platform_set::{PlatformRange, PlatformSet, PlatformSetError};
pub use probe::{Probe, QuirkHypotheses, QuirkHypothesis, SideInput, Variant};
pub use verify_time::{DATE_GATES, DateGate};

#[cfg(all(test, feature = "serde", feature = "testing"))]
mod json_tests;
