//! One input under many platform profiles, and the runs of consecutive versions that agree.
//!
//! Work that does not depend on the profile is done once: certificates are parsed once (they
//! are shared handles), every signature is verified once through one
//! [`SignatureCache`](crate::path::SignatureCache), and profiles whose rules cannot tell them
//! apart share one evaluation (see [`Matrix::evaluate`]).

use std::fmt;

use super::platform_set::{PlatformSet, newest};
use crate::certificate::Certificate;
use crate::error::Error;
use crate::evaluator::TrustEvaluator;
use crate::platform::rules::track_reads;
use crate::platform::{Os, Platform, RuleSet};
use crate::policy::{Policy, PolicyOptions};
use crate::verdict::{Check, TrustResult, Verdict};

/// The display name of an OS family ("iOS", "macOS").
pub(crate) fn os_name(os: Os) -> &'static str {
    match os {
        Os::Ios => "iOS",
        Os::Macos => "macOS",
    }
}

/// One failed check as the matrix compares them: certificate index, check key, OSStatus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FailedCheck {
    /// Index in the chosen chain (0 = leaf).
    pub cert_index: usize,
    /// The check.
    pub check: Check,
    /// Its OSStatus.
    pub os_status: i32,
}

impl fmt::Display for FailedCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // U+2212 MINUS SIGN, as Apple's documentation prints codes.
        write!(f, "{} −{}", self.check, self.os_status.unsigned_abs())?;
        if self.cert_index > 0 {
            write!(f, " (cert {})", self.cert_index)?;
        }
        Ok(())
    }
}

/// What two profiles must share to be grouped: the result, the failed (index, check) pairs and
/// the chosen chain.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct VerdictSummary {
    /// Apple's result.
    pub result: TrustResult,
    /// The counted failures, certificate index first, then table order.
    pub failures: Vec<FailedCheck>,
    /// The chosen chain, leaf first (serialised as SHA-256 fingerprints).
    pub chain: Vec<Certificate>,
}

impl VerdictSummary {
    /// The summary of `verdict`.
    pub fn of(verdict: &Verdict) -> Self {
        let mut failures: Vec<FailedCheck> = verdict
            .failures()
            .iter()
            .map(|f| FailedCheck {
                cert_index: f.cert_index,
                check: f.check,
                os_status: f.os_status,
            })
            .collect();
        failures.sort();
        failures.dedup();
        VerdictSummary {
            result: verdict.result(),
            failures,
            chain: verdict.chain().to_vec(),
        }
    }

    /// Proceed or Unspecified.
    pub fn is_trusted(&self) -> bool {
        self.result.is_trusted()
    }
}

impl fmt::Display for VerdictSummary {
    /// `trusted`, `trusted (Proceed)`, or the failures (`SSLHostname −67602, ValidRoot −67818
    /// (cert 2)`), prefixed with the result when it is not a recoverable failure.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.result {
            TrustResult::Unspecified => return f.write_str("trusted"),
            TrustResult::Proceed => return f.write_str("trusted (Proceed)"),
            TrustResult::RecoverableTrustFailure => {}
            TrustResult::FatalTrustFailure => f.write_str("fatal: ")?,
            TrustResult::Deny => f.write_str("deny: ")?,
            other => write!(f, "{}: ", other.snake_name())?,
        }
        if self.failures.is_empty() {
            return f.write_str(self.result.apple_name());
        }
        for (i, failure) in self.failures.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{failure}")?;
        }
        Ok(())
    }
}

/// One profile's verdict in a [`Matrix`].
#[derive(Debug, Clone)]
pub struct MatrixEntry {
    /// The profile.
    pub platform: Platform,
    /// Its verdict.
    pub verdict: Verdict,
}

/// A run of consecutive profiles of one OS (consecutive in the evaluated set) whose verdicts
/// agree in result, failed checks and chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixGroup {
    /// The first profile of the run.
    pub from: Platform,
    /// The last profile of the run.
    pub to: Platform,
    /// How many evaluated profiles the run holds.
    pub profiles: usize,
    /// The verdict they share.
    pub summary: VerdictSummary,
}

impl MatrixGroup {
    /// The OS of the run.
    pub fn os(&self) -> Os {
        self.from.os()
    }

    /// Whether the run reaches the newest known profile of its OS.
    pub fn reaches_newest(&self) -> bool {
        self.to == newest(self.to.os())
    }
}

impl MatrixGroup {
    /// The profiles of the run as people say them: `iOS 7.0–12.4`, `iOS 13.0 and later`,
    /// `macOS 10.7`.
    pub fn span(&self) -> String {
        let (from, to) = (self.from.version(), self.to.version());
        let os = os_name(self.os());
        if self.from == self.to {
            format!("{os} {from}")
        } else if self.reaches_newest() {
            format!("{os} {from} and later")
        } else {
            format!("{os} {from}–{to}")
        }
    }
}

impl fmt::Display for MatrixGroup {
    /// `iOS 7.0–12.4 trusted`, `iOS 13.0 and later: SSLHostname −67602`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.span())?;
        if self.summary.is_trusted() {
            write!(f, " {}", self.summary)
        } else {
            write!(f, ": {}", self.summary)
        }
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for MatrixGroup {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        let mut st = s.serialize_struct("MatrixGroup", 6)?;
        st.serialize_field("os", &self.os())?;
        st.serialize_field("from", &self.from)?;
        st.serialize_field("to", &self.to)?;
        st.serialize_field("profiles", &self.profiles)?;
        st.serialize_field("summary", &self.summary)?;
        st.serialize_field("text", &self.to_string())?;
        st.end()
    }
}

/// Verdicts of one input under many profiles (see [`Matrix::evaluate`]).
///
/// ```
/// use sectrust::explain::{Matrix, PlatformSet};
/// use sectrust::testing::{CertBuilder, oids, unix};
/// use sectrust::{Ssl, TrustEvaluator};
///
/// let root = CertBuilder::new("CN=Example Root").ca(None).build();
/// let leaf = CertBuilder::new("CN=www.example.com") // the host only in the CN
///     .issued_by(&root)
///     .eku(&[oids::server_auth()])
///     .validity("2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z")
///     .build();
/// let evaluator = TrustEvaluator::builder()
///     .anchors([root.cert.clone()])
///     .verify_time_unix(unix("2024-06-01T00:00:00Z"))
///     .build();
/// let platforms: PlatformSet = "ios-11.0..ios-14.0".parse()?;
/// let matrix = Matrix::evaluate(&evaluator, &platforms, &leaf.cert, &[], &[&Ssl::server("www.example.com")])?;
/// assert_eq!(
///     matrix.to_string(),
///     "iOS 11.0–12.5 trusted; iOS 13.0–14.0: SSLHostname −67602"
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Matrix {
    entries: Vec<MatrixEntry>,
    evaluations: usize,
}

/// An evaluation other profiles may share: the engine consults a profile only through its OS
/// (macOS-only trust-setting keys) and its rows of the rules table, each read through
/// [`RuleSet::contains`]; an evaluation is a deterministic function of the answers it got. A
/// profile of the same OS that agrees on every row the evaluation *read* (`mask`) — whatever
/// the other rows — gets the same verdict. Policies whose options do not follow from the rules
/// ([`Policy::options_follow_rules`]) must also have equal options.
struct Shared {
    os: Os,
    /// The rows the evaluation asked about (bits by `RuleId`).
    mask: u128,
    /// The evaluated profile's answers for those rows.
    bits: u128,
    /// Options of the policies whose options do not follow from the rules (else `None`).
    options: Vec<Option<PolicyOptions>>,
    /// Index of the evaluated entry.
    entry: usize,
}

impl Shared {
    fn serves(&self, os: Os, rules: RuleSet, options: &[Option<PolicyOptions>]) -> bool {
        self.os == os && rules.bits() & self.mask == self.bits && self.options == options
    }
}

impl Matrix {
    /// Evaluates `leaf` with `intermediates` under `policies` on each profile of `platforms`,
    /// with everything else as `evaluator` has it.
    ///
    /// Shared work: one [`SignatureCache`](crate::path::SignatureCache) serves every profile
    /// (the evaluator's own, if it has one, else a fresh one), and a profile shares the
    /// evaluation of an earlier one of the same OS when it agrees on every row of the rules
    /// table that evaluation read (and the policies whose options do not follow from the rules
    /// have the same options): the verdict is copied with its platform set. For one
    /// app-anchored chain under the SSL server policy, the 135 profiles take 18 evaluations (24
    /// when profiles had to agree on every row). The engine holds every release difference in
    /// that table, so the verdicts are the same as separate evaluations; a user [`Policy`]
    /// whose `check_path` reads [`PathView::platform`](crate::policy::PathView) beyond the table
    /// should use [`evaluate_each`](Self::evaluate_each).
    ///
    /// `Err` only for unusable input (an empty policy list).
    pub fn evaluate(
        evaluator: &TrustEvaluator,
        platforms: &PlatformSet,
        leaf: &Certificate,
        intermediates: &[Certificate],
        policies: &[&dyn Policy],
    ) -> Result<Matrix, Error> {
        Self::run(evaluator, platforms, leaf, intermediates, policies, true)
    }

    /// As [`evaluate`](Self::evaluate), evaluating every profile separately (signatures are
    /// still verified once).
    pub fn evaluate_each(
        evaluator: &TrustEvaluator,
        platforms: &PlatformSet,
        leaf: &Certificate,
        intermediates: &[Certificate],
        policies: &[&dyn Policy],
    ) -> Result<Matrix, Error> {
        Self::run(evaluator, platforms, leaf, intermediates, policies, false)
    }

    fn run(
        evaluator: &TrustEvaluator,
        platforms: &PlatformSet,
        leaf: &Certificate,
        intermediates: &[Certificate],
        policies: &[&dyn Policy],
        share: bool,
    ) -> Result<Matrix, Error> {
        let (base, _) = evaluator.with_shared_cache();
        let mut done: Vec<Shared> = Vec::new();
        let mut entries: Vec<MatrixEntry> = Vec::with_capacity(platforms.len());
        let mut evaluations = 0;
        for platform in platforms.iter() {
            let (os, rules) = (platform.os(), platform.rules());
            let options: Vec<Option<PolicyOptions>> = if share {
                policies
                    .iter()
                    .map(|p| (!p.options_follow_rules()).then(|| p.options(&platform)))
                    .collect()
            } else {
                Vec::new()
            };
            let same = share
                .then(|| done.iter().find(|d| d.serves(os, rules, &options)))
                .flatten()
                .map(|d| d.entry);
            let verdict = match same {
                Some(i) => {
                    let mut v = entries[i].verdict.clone();
                    v.platform = platform;
                    v
                }
                None => {
                    evaluations += 1;
                    let (verdict, mask) = track_reads(|| {
                        base.with_platform(platform)
                            .evaluate(leaf, intermediates, policies)
                    });
                    let verdict = verdict?;
                    if share {
                        done.push(Shared {
                            os,
                            mask,
                            bits: rules.bits() & mask,
                            options,
                            entry: entries.len(),
                        });
                    }
                    verdict
                }
            };
            entries.push(MatrixEntry { platform, verdict });
        }
        Ok(Matrix {
            entries,
            evaluations,
        })
    }

    /// The verdicts, in profile order.
    pub fn entries(&self) -> &[MatrixEntry] {
        &self.entries
    }

    /// The verdict on `platform`, if it was evaluated.
    pub fn verdict(&self, platform: Platform) -> Option<&Verdict> {
        self.entries
            .iter()
            .find(|e| e.platform == platform)
            .map(|e| &e.verdict)
    }

    /// How many evaluations were run (profiles that share one are counted once).
    pub fn evaluations(&self) -> usize {
        self.evaluations
    }

    /// Runs of consecutive profiles per OS whose verdicts agree, in profile order.
    pub fn groups(&self) -> Vec<MatrixGroup> {
        let mut groups: Vec<MatrixGroup> = Vec::new();
        for e in &self.entries {
            let summary = VerdictSummary::of(&e.verdict);
            match groups.last_mut() {
                Some(g) if g.os() == e.platform.os() && g.summary == summary => {
                    g.to = e.platform;
                    g.profiles += 1;
                }
                _ => groups.push(MatrixGroup {
                    from: e.platform,
                    to: e.platform,
                    profiles: 1,
                    summary,
                }),
            }
        }
        groups
    }
}

impl fmt::Display for Matrix {
    /// The groups, `; `-separated, one line per OS.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut last_os = None;
        for g in self.groups() {
            match last_os {
                None => {}
                Some(os) if os == g.os() => f.write_str("; ")?,
                Some(_) => f.write_str("\n")?,
            }
            last_os = Some(g.os());
            write!(f, "{g}")?;
        }
        Ok(())
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for MatrixEntry {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        let mut st = s.serialize_struct("MatrixEntry", 2)?;
        st.serialize_field("platform", &self.platform)?;
        st.serialize_field("summary", &VerdictSummary::of(&self.verdict))?;
        st.end()
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Matrix {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        let mut st = s.serialize_struct("Matrix", 3)?;
        st.serialize_field("evaluations", &self.evaluations)?;
        st.serialize_field("entries", &self.entries)?;
        st.serialize_field("groups", &self.groups())?;
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_checks_display_with_apple_codes() {
        let f = FailedCheck {
            cert_index: 0,
            check: Check::SslHostname,
            os_status: -67602,
        };
        assert_eq!(f.to_string(), "SSLHostname −67602");
        let f = FailedCheck {
            cert_index: 2,
            check: Check::ValidRoot,
            os_status: -67818,
        };
        assert_eq!(f.to_string(), "ValidRoot −67818 (cert 2)");
    }
}
