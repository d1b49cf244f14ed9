//! Platform profiles (`ios-5.1`, `macos-10.7`, `latest`, …) and the rules table behind them
//! (`platforms.md`).

mod releases;
pub(crate) mod rules;

pub use releases::{RELEASE_DATES, ReleaseDate};
pub use rules::{RULES, Rule, RuleId, RuleSet};

use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use crate::verdict::{Check, CheckClass, Subtype};

/// The operating system family of a profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Os {
    /// iOS (and iPadOS).
    Ios,
    /// macOS (OS X).
    Macos,
}

impl Os {
    /// The lower-case prefix used in profile names.
    pub const fn prefix(self) -> &'static str {
        match self {
            Os::Ios => "ios",
            Os::Macos => "macos",
        }
    }
}

/// An OS version, `major.minor.patch`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Version {
    /// Major version (`13` in iOS 13.2, `10` in macOS 10.14).
    pub major: u16,
    /// Minor version.
    pub minor: u16,
    /// Patch version (`1` in iOS 12.1.1).
    pub patch: u16,
}

impl Version {
    /// `major.minor.patch`.
    pub const fn new(major: u16, minor: u16, patch: u16) -> Self {
        Version {
            major,
            minor,
            patch,
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)?;
        if self.patch != 0 {
            write!(f, ".{}", self.patch)?;
        }
        Ok(())
    }
}

/// A platform profile: an OS and a version, selecting the rules of `platforms.md`.
///
/// Parse one from its name (`"ios-13.0".parse()`, `"latest"`), or list the known profiles with
/// [`Platform::all`]. `latest` is the newest iOS profile.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Platform {
    os: Os,
    version: Version,
}

/// The newest profile, which `latest` names.
const LATEST: Platform = Platform::new(Os::Ios, Version::new(26, 1, 0));

/// Known releases: (major, last minor) per OS, plus patch releases where a rule changed.
const IOS_RELEASES: &[(u16, u16)] = &[
    (5, 1),
    (6, 1),
    (7, 1),
    (8, 4),
    (9, 3),
    (10, 3),
    (11, 4),
    (12, 5),
    (13, 7),
    (14, 8),
    (15, 8),
    (16, 7),
    (17, 7),
    (18, 7),
    (26, 1),
];
const MACOS_RELEASES: &[(u16, u16)] = &[
    (10, 15),
    (11, 7),
    (12, 7),
    (13, 7),
    (14, 7),
    (15, 7),
    (26, 1),
];
/// Patch releases listed as profiles of their own because a rule starts there
/// (CT enforcement: iOS 12.1.1 / macOS 10.14.2 — platforms.md "Other rules").
const PATCH_PROFILES: &[Platform] = &[
    Platform::new(Os::Ios, Version::new(12, 1, 1)),
    Platform::new(Os::Macos, Version::new(10, 14, 2)),
];

impl Platform {
    /// A profile for `os` at `version` (not checked against the known releases; use
    /// [`FromStr`] for user input).
    pub const fn new(os: Os, version: Version) -> Self {
        Platform { os, version }
    }

    /// iOS `major.minor`.
    pub const fn ios(major: u16, minor: u16) -> Self {
        Platform::new(Os::Ios, Version::new(major, minor, 0))
    }

    /// macOS `major.minor`.
    pub const fn macos(major: u16, minor: u16) -> Self {
        Platform::new(Os::Macos, Version::new(major, minor, 0))
    }

    /// The newest profile (what `latest` names).
    pub const fn latest() -> Self {
        LATEST
    }

    /// The OS family.
    pub const fn os(&self) -> Os {
        self.os
    }

    /// The OS version.
    pub const fn version(&self) -> Version {
        self.version
    }

    /// Every known profile, iOS first, each OS in version order.
    pub fn all() -> impl Iterator<Item = Platform> {
        let mut v: Vec<Platform> = Vec::new();
        for (os, releases) in [(Os::Ios, IOS_RELEASES), (Os::Macos, MACOS_RELEASES)] {
            for &(major, last_minor) in releases {
                let first_minor = if os == Os::Macos && major == 10 { 7 } else { 0 };
                for minor in first_minor..=last_minor {
                    v.push(Platform::new(os, Version::new(major, minor, 0)));
                }
            }
        }
        v.extend_from_slice(PATCH_PROFILES);
        v.sort();
        v.into_iter()
    }

    /// Whether this profile names a release the crate knows.
    pub fn is_known(&self) -> bool {
        let releases = match self.os {
            Os::Ios => IOS_RELEASES,
            Os::Macos => MACOS_RELEASES,
        };
        let v = self.version;
        if self.os == Os::Macos && v.major == 10 && v.minor < 7 {
            return false;
        }
        releases
            .iter()
            .any(|&(major, last)| major == v.major && v.minor <= last)
    }

    /// The rules of `platforms.md` that apply to this profile (computed once per known
    /// profile: the engine asks for them many times per evaluation).
    pub fn rules(&self) -> RuleSet {
        static KNOWN: OnceLock<Vec<(u64, RuleSet)>> = OnceLock::new();
        let known = KNOWN.get_or_init(|| {
            Platform::all()
                .map(|p| (p.key(), RuleSet::for_platform(&p)))
                .collect()
        });
        match known.binary_search_by_key(&self.key(), |&(k, _)| k) {
            Ok(i) => known[i].1,
            Err(_) => RuleSet::for_platform(self),
        }
    }

    /// The profile as one integer, in the order of `Ord` (OS, then version).
    fn key(&self) -> u64 {
        let v = self.version;
        ((self.os as u64) << 48)
            | (u64::from(v.major) << 32)
            | (u64::from(v.minor) << 16)
            | u64::from(v.patch)
    }

    /// Whether `rule` applies to this profile.
    pub fn has(&self, rule: RuleId) -> bool {
        self.rules().contains(rule)
    }

    /// The subtype `check` has on this profile (subtypes moved in iOS 13 and 14; platforms.md
    /// "Engines and result model").
    pub fn subtype(&self, check: Check) -> Subtype {
        rules::subtype_on(&self.rules(), check)
    }

    /// The class `check` has on this profile's result model (platforms.md "Engines and result
    /// model").
    pub fn class(&self, check: Check) -> CheckClass {
        rules::class_on(&self.rules(), check)
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.os.prefix(), self.version)
    }
}

impl fmt::Debug for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Platform({self})")
    }
}

/// A platform name that is not a known profile. Its message names the releases the table
/// knows, first to last for each OS.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown platform {name:?}: expected `latest`, `ios-MAJOR.MINOR` (iOS {ios}) or \
     `macos-MAJOR.MINOR` (macOS {macos}), e.g. `ios-5.1`, `ios-13.0`, `macos-10.7`",
    ios = known_range(Os::Ios),
    macos = known_range(Os::Macos)
)]
pub struct UnknownPlatform {
    /// The name given.
    pub name: String,
}

/// "FIRST to LAST" of the profiles of `os` (their versions).
fn known_range(os: Os) -> String {
    let mut versions = Platform::all().filter(|p| p.os == os).map(|p| p.version);
    match (versions.next(), versions.last()) {
        (Some(first), Some(last)) => format!("{first} to {last}"),
        (Some(only), None) => only.to_string(),
        _ => "none".to_owned(),
    }
}

impl FromStr for Platform {
    type Err = UnknownPlatform;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || UnknownPlatform { name: s.to_owned() };
        let lower = s.trim().to_ascii_lowercase();
        if lower == "latest" {
            return Ok(LATEST);
        }
        let (os, rest) = if let Some(r) = lower.strip_prefix("ios-") {
            (Os::Ios, r)
        } else if let Some(r) = lower.strip_prefix("macos-") {
            (Os::Macos, r)
        } else {
            return Err(err());
        };
        let mut parts = rest.split('.');
        let mut num = |required: bool| -> Result<u16, UnknownPlatform> {
            match parts.next() {
                Some(p)
                    if !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()) =>
                {
                    p.parse().map_err(|_| err())
                }
                None if !required => Ok(0),
                _ => Err(err()),
            }
        };
        let major = num(true)?;
        let minor = num(false)?;
        let patch = num(false)?;
        if parts.next().is_some() {
            return Err(err());
        }
        let p = Platform::new(os, Version::new(major, minor, patch));
        if p.is_known() { Ok(p) } else { Err(err()) }
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Platform {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Platform {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_names_and_round_trips_every_profile() {
        assert_eq!("ios-5.1".parse::<Platform>().unwrap(), Platform::ios(5, 1));
        assert_eq!(
            "macos-10.7".parse::<Platform>().unwrap(),
            Platform::macos(10, 7)
        );
        assert_eq!("latest".parse::<Platform>().unwrap(), Platform::latest());
        assert_eq!("ios-13".parse::<Platform>().unwrap(), Platform::ios(13, 0));
        for p in Platform::all() {
            assert_eq!(p.to_string().parse::<Platform>().unwrap(), p, "{p}");
        }
    }

    #[test]
    fn cached_rules_equal_the_table_for_every_profile() {
        for p in Platform::all().chain([Platform::ios(4, 0), Platform::macos(10, 6)]) {
            assert_eq!(p.rules(), RuleSet::for_platform(&p), "{p}");
        }
    }

    #[test]
    fn rejects_unknown_names() {
        for bad in [
            "ios-4.3",
            "macos-10.6",
            "android-14",
            "ios-",
            "ios-13.x",
            "ios-99.0",
            "ios-1.2.3.4",
        ] {
            let e = bad.parse::<Platform>().unwrap_err();
            assert!(e.to_string().contains("ios-MAJOR.MINOR"), "{bad}: {e}");
        }
        // The message names the table's first and last release of each OS.
        let e = "ios-4.3".parse::<Platform>().unwrap_err().to_string();
        let last = |os: Os| Platform::all().filter(|p| p.os() == os).last().unwrap();
        let (ios, macos) = (last(Os::Ios).version(), last(Os::Macos).version());
        assert!(e.contains(&format!("(iOS 5.0 to {ios})")), "{e}");
        assert!(e.contains(&format!("(macOS 10.7 to {macos})")), "{e}");
    }
}
