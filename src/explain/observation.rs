//! What two devices showed about one input: the observation a diagnosis explains.

use std::fmt;

use super::diff::Side;
use crate::platform::Platform;
use crate::verdict::{TrustResult, Verdict};

/// What was seen on one device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Expected {
    /// Proceed or Unspecified.
    Trusted,
    /// Any other result.
    NotTrusted,
    /// Exactly this result.
    Result(TrustResult),
    /// Not trusted, with this OSStatus as the primary error — what `SecTrustEvaluateWithError`
    /// reported (`apple-trust.md §3`), e.g. −25318 for a missing intermediate.
    Error(i32),
}

impl Expected {
    /// Whether `verdict` shows this.
    pub fn matches(&self, verdict: &Verdict) -> bool {
        match self {
            Expected::Trusted => verdict.is_trusted(),
            Expected::NotTrusted => !verdict.is_trusted(),
            Expected::Result(r) => verdict.result() == *r,
            Expected::Error(code) => {
                !verdict.is_trusted()
                    && verdict
                        .primary_error()
                        .is_some_and(|e| e.os_status == *code)
            }
        }
    }
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expected::Trusted => f.write_str("trusted"),
            Expected::NotTrusted => f.write_str("not trusted"),
            Expected::Result(r) => f.write_str(r.apple_name()),
            Expected::Error(code) => write!(f, "not trusted with error {code}"),
        }
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Expected {
    /// `"trusted"`, `"not_trusted"`, the result's snake-case name (`"deny"`, …), or
    /// `{ "os_status": -25318 }`.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        match self {
            Expected::Trusted => s.serialize_str("trusted"),
            Expected::NotTrusted => s.serialize_str("not_trusted"),
            Expected::Result(r) => s.serialize_str(r.snake_name()),
            Expected::Error(code) => {
                let mut st = s.serialize_struct("Expected", 1)?;
                st.serialize_field("os_status", code)?;
                st.end()
            }
        }
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

    /// Not trusted on `platform`, with primary error `os_status`.
    pub fn error(platform: Platform, os_status: i32) -> Self {
        Observed {
            platform,
            expected: Expected::Error(os_status),
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
