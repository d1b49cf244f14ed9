//! What two devices showed about one input: the observation a diagnosis explains.

use std::fmt;

use super::diff::Side;
use crate::platform::Platform;
use crate::verdict::{TrustResult, Verdict};

/// What was seen on one device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    /// Proceed or Unspecified.
    Trusted,
    /// Any other result.
    NotTrusted,
    /// Exactly this result.
    Result(TrustResult),
}

impl Expected {
    /// Whether `verdict` shows this.
    pub fn matches(&self, verdict: &Verdict) -> bool {
        match self {
            Expected::Trusted => verdict.is_trusted(),
            Expected::NotTrusted => !verdict.is_trusted(),
            Expected::Result(r) => verdict.result() == *r,
        }
    }
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expected::Trusted => f.write_str("trusted"),
            Expected::NotTrusted => f.write_str("not trusted"),
            Expected::Result(r) => f.write_str(r.apple_name()),
        }
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Expected {
    /// `"trusted"`, `"not_trusted"`, or the result's snake-case name (`"deny"`, …).
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(match self {
            Expected::Trusted => "trusted",
            Expected::NotTrusted => "not_trusted",
            Expected::Result(r) => r.snake_name(),
        })
    }
}

/// A device's profile and what it showed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Observed {
    /// The device's profile.
    pub platform: Platform,
    /// What it showed.
    pub expected: Expected,
}

impl Observed {
    /// Trusted on `platform`.
    pub fn trusted(platform: Platform) -> Self {
        Observed {
            platform,
            expected: Expected::Trusted,
        }
    }

    /// Not trusted on `platform`.
    pub fn not_trusted(platform: Platform) -> Self {
        Observed {
            platform,
            expected: Expected::NotTrusted,
        }
    }

    /// Exactly `result` on `platform`.
    pub fn result(platform: Platform, result: TrustResult) -> Self {
        Observed {
            platform,
            expected: Expected::Result(result),
        }
    }
}

impl fmt::Display for Observed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} on {}", self.expected, self.platform)
    }
}

/// Two devices that disagree (or agree) about one input: side A and side B.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Observation {
    /// Side A.
    pub a: Observed,
    /// Side B.
    pub b: Observed,
}

impl Observation {
    /// What sides A and B showed.
    pub fn new(a: Observed, b: Observed) -> Self {
        Observation { a, b }
    }

    /// Trusted on `a`, not trusted on `b` — the usual report.
    pub fn trusted_on_not_on(a: Platform, b: Platform) -> Self {
        Observation::new(Observed::trusted(a), Observed::not_trusted(b))
    }

    pub(super) fn side(&self, side: Side) -> &Observed {
        match side {
            Side::A => &self.a,
            Side::B => &self.b,
        }
    }

    /// Whether verdicts `a` and `b` show what was observed.
    pub fn reproduced_by(&self, a: &Verdict, b: &Verdict) -> bool {
        self.a.expected.matches(a) && self.b.expected.matches(b)
    }
}

impl fmt::Display for Observation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}, {}", self.a, self.b)
    }
}
