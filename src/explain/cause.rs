//! A tested cause: its kind, whether a re-evaluation reproduced the observation, and why.

use std::fmt;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::diff::RuleRef;

/// A kind of cause the diagnosis tests, most specific first (the order of [`Diagnosis::causes`](super::Diagnosis::causes)
/// among equally consistent causes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum CauseKind {
    /// The rows of the rules table that differ between the two profiles: the emulator
    /// reproduces the observation with the inputs as given.
    PlatformRules,
    /// A quirk hypothesis a policy provides (e.g. the pre-iOS-6 S/MIME hypotheses), re-evaluated
    /// through a [`Probe`](super::Probe).
    QuirkHypothesis,
    /// The verify time: a device clock (or the time of the observation) elsewhere.
    VerifyTime,
    /// Revocation status seen by one device only.
    Revocation,
    /// An intermediate one device did not have.
    MissingIntermediate,
    /// An extra certificate (a cross-certificate) that changes the chosen path.
    AlternatePath,
    /// The anchor installed by a configuration profile without "full trust" (`apple-trust.md
    /// §5`).
    ProfileRootWithoutFullTrust,
    /// The anchor not trusted at all on a device (not installed, not in its store).
    RootNotTrusted,
    /// A user/admin trust setting of Deny on a certificate of the chain.
    DenySetting,
    /// A trust setting on the anchor constrained to another policy.
    PolicyConstrainedSetting,
}

impl CauseKind {
    /// A short English name.
    pub fn name(self) -> &'static str {
        match self {
            CauseKind::PlatformRules => "platform rules",
            CauseKind::QuirkHypothesis => "quirk hypothesis",
            CauseKind::VerifyTime => "verify time",
            CauseKind::Revocation => "revocation",
            CauseKind::MissingIntermediate => "missing intermediate",
            CauseKind::AlternatePath => "alternate path",
            CauseKind::ProfileRootWithoutFullTrust => "profile root without full trust",
            CauseKind::RootNotTrusted => "root not trusted",
            CauseKind::DenySetting => "Deny trust setting",
            CauseKind::PolicyConstrainedSetting => "policy-constrained trust setting",
        }
    }
}

/// Whether a re-evaluation reproduced the observation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Consistency {
    /// A re-evaluation reproduced the observation.
    Consistent,
    /// No re-evaluation tried reproduced it.
    Inconsistent,
    /// The cause cannot be tested (yet) in this build or with these inputs.
    NotEvaluable,
}

/// Which device(s) a varied circumstance applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Sides {
    /// Both devices: the platform difference then decides.
    Both,
    /// Side A only.
    A,
    /// Side B only.
    B,
}

/// A span of verify times, `[from, until)` in Unix seconds (`None`: unbounded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct TimeWindow {
    /// Which device's clock.
    pub sides: Sides,
    /// First second of the window.
    pub from: Option<i64>,
    /// First second after it.
    pub until: Option<i64>,
}

impl fmt::Display for TimeWindow {
    /// `before 2012-03-01T00:00:00Z`, `from … until …`, `from … on`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.from, self.until) {
            (None, None) => f.write_str("at any time"),
            (None, Some(u)) => write!(f, "before {}", rfc3339(u)),
            (Some(s), None) => write!(f, "from {} on", rfc3339(s)),
            (Some(s), Some(u)) => write!(f, "from {} until {}", rfc3339(s), rfc3339(u)),
        }
    }
}

fn rfc3339(t: i64) -> String {
    OffsetDateTime::from_unix_timestamp(t)
        .ok()
        .and_then(|d| d.format(&Rfc3339).ok())
        .unwrap_or_else(|| format!("@{t}"))
}

/// One tested cause.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Cause {
    /// The kind of cause.
    pub kind: CauseKind,
    /// Whether a re-evaluation reproduced the observation.
    pub status: Consistency,
    /// Which device(s) the reproducing variation applies to (consistent causes only).
    pub sides: Option<Sides>,
    /// What the cause is about: a certificate, a hypothesis, a probe's label.
    pub subject: Option<String>,
    /// Rows of the rules table that differ between the two profiles and account for the
    /// reproduced difference: for the input as given, for a circumstance varied on both
    /// devices, and a quirk hypothesis's own row (a one-sided circumstance needs none).
    pub rules: Vec<RuleRef>,
    /// For [`CauseKind::VerifyTime`]: the verify times that reproduce the observation.
    pub windows: Vec<TimeWindow>,
    /// Whether the cause reproduces the observation for the leaf but is excluded because the
    /// control certificate ([`Diagnoser::control`](super::Diagnoser::control)) would then not
    /// be trusted either.
    pub excluded_by_control: bool,
    /// Why, in English.
    pub reason: String,
}

impl Cause {
    pub(super) fn new(kind: CauseKind, status: Consistency, reason: impl Into<String>) -> Self {
        Cause {
            kind,
            status,
            sides: None,
            subject: None,
            rules: Vec::new(),
            windows: Vec::new(),
            excluded_by_control: false,
            reason: reason.into(),
        }
    }

    /// Whether a re-evaluation reproduced the observation.
    pub fn is_consistent(&self) -> bool {
        self.status == Consistency::Consistent
    }

    /// Sort key: consistent first; among them the emulator's own rules, then circumstances
    /// shared by both devices (the platform difference decides), then one device's; then kind.
    pub(super) fn rank(&self) -> (Consistency, u8, CauseKind) {
        let specificity = match (self.kind, self.sides) {
            (CauseKind::PlatformRules, _) => 0,
            (_, Some(Sides::Both)) => 1,
            _ => 2,
        };
        (self.status, specificity, self.kind)
    }
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mark = match self.status {
            Consistency::Consistent => "✓",
            Consistency::Inconsistent => "✗",
            Consistency::NotEvaluable => "?",
        };
        write!(f, "{mark} {}", self.kind.name())?;
        if let Some(s) = &self.subject {
            write!(f, " ({s})")?;
        }
        write!(f, ": {}", self.reason)?;
        for r in &self.rules {
            write!(f, "\n      rule {r}")?;
        }
        Ok(())
    }
}
