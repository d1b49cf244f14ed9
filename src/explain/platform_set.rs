//! Sets of platform profiles as people write them: `all`, `ios-12.0..latest`,
//! `ios-13.0,macos-14.0`, `majors` — what a [`Matrix`](super::Matrix) runs over.

use std::fmt;
use std::str::FromStr;

use crate::platform::{Os, Platform, RELEASE_DATES, UnknownPlatform};

/// The newest known profile of `os`.
pub(super) fn newest(os: Os) -> Platform {
    Platform::all()
        .filter(|p| p.os() == os)
        .max()
        .unwrap_or_else(Platform::latest)
}

/// The oldest known profile of `os`.
fn oldest(os: Os) -> Platform {
    Platform::all()
        .filter(|p| p.os() == os)
        .min()
        .unwrap_or_else(Platform::latest)
}

/// Why a platform list or range could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PlatformSetError {
    /// Nothing was given.
    #[error(
        "no platforms given: expected a comma-separated list of profiles (`ios-13.0`), ranges \
         (`ios-12.0..ios-14.0`, `ios-12.0..latest`, `macos-11.0..`), `ios`, `macos`, `all` or \
         `majors` (`ios-majors`, `macos-majors`)"
    )]
    Empty,
    /// A name is not a known profile.
    #[error("in {input:?}: {source}")]
    UnknownPlatform {
        /// The list item or range the name is in.
        input: String,
        /// The parse error of the name.
        #[source]
        source: UnknownPlatform,
    },
    /// A range has no ends at all.
    #[error("range {range:?} has no ends: write `ios-12.0..ios-14.0`, `ios-12.0..` or `..ios-9.0`")]
    NoEnds {
        /// The range as given.
        range: String,
    },
    /// A range starts on one OS and ends on the other.
    #[error(
        "range {range:?} runs from {from} to {to}: a range stays on one OS{hint}; list two \
         ranges instead, e.g. `ios-12.0..ios-14.0,macos-10.14..macos-11.0`"
    )]
    MixedOs {
        /// The range as given.
        range: String,
        /// Its start.
        from: Platform,
        /// Its end.
        to: Platform,
        /// A hint for `latest` (which names the newest iOS profile).
        hint: String,
    },
    /// A range whose start is newer than its end.
    #[error("range {range:?} runs backwards: {from} is newer than {to}; write `{to}..{from}`")]
    Reversed {
        /// The range as given.
        range: String,
        /// Its start.
        from: Platform,
        /// Its end.
        to: Platform,
    },
}

/// A range of profiles on one OS, both ends included: `ios-5.0..ios-18.0` is every known iOS
/// profile from 5.0 to 18.0 (patch profiles such as `ios-12.1.1` included).
///
/// Forms: `A..B` (also written `A..=B`: both ends are always included), `A..` (to the newest
/// profile of A's OS), `..B` (from the oldest of B's OS), and `A..latest` for iOS (`latest`
/// names the newest iOS profile; for macOS write `macos-12.0..`).
///
/// ```
/// use sectrust::Platform;
/// use sectrust::explain::PlatformRange;
///
/// let r: PlatformRange = "ios-12.0..ios-14.0".parse()?;
/// assert!(r.contains(Platform::ios(13, 7)) && r.contains(Platform::ios(14, 0)));
/// assert!(!r.contains(Platform::ios(14, 1)));
/// assert_eq!(r.platforms().next(), Some(Platform::ios(12, 0)));
///
/// let err = "ios-14.0..ios-12.0".parse::<PlatformRange>().unwrap_err();
/// assert!(err.to_string().contains("runs backwards"));
/// # Ok::<(), sectrust::explain::PlatformSetError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PlatformRange {
    from: Platform,
    to: Platform,
}

impl PlatformRange {
    /// The profiles of one OS from `from` to `to`, both included.
    pub fn new(from: Platform, to: Platform) -> Result<Self, PlatformSetError> {
        let range = format!("{from}..{to}");
        check_ends(range, from, to)
    }

    /// The first profile.
    pub fn from(&self) -> Platform {
        self.from
    }

    /// The last profile.
    pub fn to(&self) -> Platform {
        self.to
    }

    /// Whether `platform` falls in the range.
    pub fn contains(&self, platform: Platform) -> bool {
        self.from <= platform && platform <= self.to
    }

    /// The known profiles in the range, oldest first.
    pub fn platforms(&self) -> impl Iterator<Item = Platform> + use<> {
        let r = *self;
        Platform::all().filter(move |p| r.contains(*p))
    }
}

fn check_ends(
    range: String,
    from: Platform,
    to: Platform,
) -> Result<PlatformRange, PlatformSetError> {
    if from.os() != to.os() {
        let hint = if to == Platform::latest() && from.os() == Os::Macos {
            format!(" (`latest` is the newest iOS profile; `{from}..` runs to the newest macOS)")
        } else {
            String::new()
        };
        return Err(PlatformSetError::MixedOs {
            range,
            from,
            to,
            hint,
        });
    }
    if from > to {
        return Err(PlatformSetError::Reversed { range, from, to });
    }
    Ok(PlatformRange { from, to })
}

impl FromStr for PlatformRange {
    type Err = PlatformSetError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let range = s.trim();
        let Some((left, right)) = range.split_once("..") else {
            // A single profile is a range of one.
            let p = parse_platform(range, range)?;
            return Ok(PlatformRange { from: p, to: p });
        };
        let right = right.strip_prefix('=').unwrap_or(right);
        let (left, right) = (left.trim(), right.trim());
        let end = |name: &str| -> Result<Option<Platform>, PlatformSetError> {
            if name.is_empty() {
                Ok(None)
            } else {
                parse_platform(name, range).map(Some)
            }
        };
        let (from, to) = match (end(left)?, end(right)?) {
            (Some(f), Some(t)) => (f, t),
            (Some(f), None) => (f, newest(f.os())),
            (None, Some(t)) => (oldest(t.os()), t),
            (None, None) => {
                return Err(PlatformSetError::NoEnds {
                    range: range.to_owned(),
                });
            }
        };
        check_ends(range.to_owned(), from, to)
    }
}

fn parse_platform(name: &str, input: &str) -> Result<Platform, PlatformSetError> {
    name.parse()
        .map_err(|source| PlatformSetError::UnknownPlatform {
            input: input.to_owned(),
            source,
        })
}

impl fmt::Display for PlatformRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.from == self.to {
            write!(f, "{}", self.from)
        } else {
            write!(f, "{}..{}", self.from, self.to)
        }
    }
}

/// A set of profiles, kept sorted (iOS first, each OS in version order) and without duplicates.
///
/// Parses a comma-separated list whose items are profiles (`ios-13.0`, `latest`), ranges
/// ([`PlatformRange`]), `ios`, `macos`, `all`, or the first profile of each major release:
/// `ios-majors`, `macos-majors`, `majors` (both):
///
/// ```
/// use sectrust::Platform;
/// use sectrust::explain::PlatformSet;
///
/// let set: PlatformSet = "ios-12.0..ios-13.0, macos-10.15, latest".parse()?;
/// assert!(set.contains(Platform::ios(12, 1)) && set.contains(Platform::macos(10, 15)));
/// assert_eq!(set.iter().last(), Some(Platform::macos(10, 15)));
/// assert_eq!("all".parse::<PlatformSet>()?.len(), Platform::all().count());
/// let majors: PlatformSet = "ios-majors".parse()?;
/// assert_eq!(majors.iter().take(3).collect::<Vec<_>>(), [Platform::ios(5, 0), Platform::ios(6, 0), Platform::ios(7, 0)]);
/// # Ok::<(), sectrust::explain::PlatformSetError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct PlatformSet(Vec<Platform>);

impl PlatformSet {
    /// Every known profile ([`Platform::all`]).
    pub fn all() -> Self {
        PlatformSet(Platform::all().collect())
    }

    /// Every known profile of `os`.
    pub fn os(os: Os) -> Self {
        PlatformSet(Platform::all().filter(|p| p.os() == os).collect())
    }

    /// The first profile of every major release of `os` — the rows of [`RELEASE_DATES`]
    /// (`ios-5.0`, `ios-6.0`, …; `macos-10.7`, `macos-10.8`, …, `macos-11.0`, …).
    pub fn majors(os: Os) -> Self {
        PlatformSet(
            Platform::all()
                .filter(|p| {
                    RELEASE_DATES
                        .iter()
                        .any(|r| r.os == p.os() && r.os == os && r.version == p.version())
                })
                .collect(),
        )
    }

    /// The profiles in `range`.
    pub fn range(range: PlatformRange) -> Self {
        PlatformSet(range.platforms().collect())
    }

    /// The profiles, sorted.
    pub fn iter(&self) -> impl Iterator<Item = Platform> + '_ {
        self.0.iter().copied()
    }

    /// The profiles as a slice, sorted.
    pub fn as_slice(&self) -> &[Platform] {
        &self.0
    }

    /// How many profiles.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `platform` is in the set.
    pub fn contains(&self, platform: Platform) -> bool {
        self.0.binary_search(&platform).is_ok()
    }

    /// Adds the profiles of `other`.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Platform>) {
        self.0.extend(other);
        self.0.sort();
        self.0.dedup();
    }
}

impl FromIterator<Platform> for PlatformSet {
    fn from_iter<I: IntoIterator<Item = Platform>>(iter: I) -> Self {
        let mut s = PlatformSet::default();
        s.extend(iter);
        s
    }
}

impl From<PlatformRange> for PlatformSet {
    fn from(range: PlatformRange) -> Self {
        PlatformSet::range(range)
    }
}

impl FromStr for PlatformSet {
    type Err = PlatformSetError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut set = PlatformSet::default();
        for item in s.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            match item.to_ascii_lowercase().as_str() {
                "all" => set.extend(Platform::all()),
                "ios" => set.extend(PlatformSet::os(Os::Ios).0),
                "macos" => set.extend(PlatformSet::os(Os::Macos).0),
                "majors" => {
                    set.extend(PlatformSet::majors(Os::Ios).0);
                    set.extend(PlatformSet::majors(Os::Macos).0);
                }
                "ios-majors" => set.extend(PlatformSet::majors(Os::Ios).0),
                "macos-majors" => set.extend(PlatformSet::majors(Os::Macos).0),
                _ => set.extend(item.parse::<PlatformRange>()?.platforms()),
            }
        }
        if set.is_empty() {
            return Err(PlatformSetError::Empty);
        }
        Ok(set)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(s: &str) -> Vec<String> {
        s.parse::<PlatformSet>()
            .unwrap()
            .iter()
            .map(|p| p.to_string())
            .collect()
    }
    #[test]
    fn ranges_include_both_ends_and_patch_profiles() {
        let r = set("ios-12.0..ios-13.1");
        assert_eq!(r.first().unwrap(), "ios-12.0");
        assert!(r.contains(&"ios-12.1.1".to_owned()));
        assert_eq!(r.last().unwrap(), "ios-13.1");
        assert_eq!(set("ios-12.0..ios-13.1"), set("ios-12.0..=ios-13.1"));
        assert_eq!(set("ios-26.0..latest"), ["ios-26.0", "ios-26.1"]);
        assert_eq!(set("macos-26.0.."), ["macos-26.0", "macos-26.1"]);
        assert_eq!(set("..ios-5.1"), ["ios-5.0", "ios-5.1"]);
        assert_eq!(set("ios-13.0"), ["ios-13.0"]);
        assert_eq!(set("latest"), ["ios-26.1"]);
    }

    #[test]
    fn lists_are_sorted_and_deduplicated() {
        assert_eq!(
            set("macos-10.7, ios-6.0..ios-6.1, ios-6.1"),
            ["ios-6.0", "ios-6.1", "macos-10.7"]
        );
        assert_eq!(
            set("ios").len(),
            Platform::all().filter(|p| p.os() == Os::Ios).count()
        );
        assert_eq!(set("ALL,macos").len(), Platform::all().count());
    }

    #[test]
    fn bad_lists_and_ranges_say_what_to_write() {
        let err = |s: &str| s.parse::<PlatformSet>().unwrap_err().to_string();
        assert!(err("").contains("no platforms given"), "{}", err(""));
        assert!(err(" , ").contains("no platforms given"));
        let e = err("ios-12.0..ios-99.0");
        assert!(
            e.contains("\"ios-12.0..ios-99.0\"") && e.contains("ios-MAJOR.MINOR"),
            "{e}"
        );
        let e = err("ios-12.0..macos-11.0");
        assert!(e.contains("stays on one OS"), "{e}");
        let e = err("macos-12.0..latest");
        assert!(e.contains("`latest` is the newest iOS profile"), "{e}");
        let e = err("ios-14.0..ios-12.0");
        assert!(
            e.contains("runs backwards") && e.contains("`ios-12.0..ios-14.0`"),
            "{e}"
        );
        assert!(err("..").contains("has no ends"));
        assert!(matches!(
            PlatformRange::new(Platform::ios(13, 0), Platform::ios(12, 0)),
            Err(PlatformSetError::Reversed { .. })
        ));
    }

    #[test]
    fn majors_are_the_first_profile_of_each_release() {
        let ios = set("ios-majors");
        assert_eq!(ios[..3], ["ios-5.0", "ios-6.0", "ios-7.0"]);
        assert!(ios.iter().all(|p| p.ends_with(".0")), "{ios:?}");
        let macos = set("macos-majors");
        assert_eq!(macos[..2], ["macos-10.7", "macos-10.8"]);
        assert!(macos.contains(&"macos-11.0".to_owned()));
        assert_eq!(set("majors").len(), ios.len() + macos.len());
        assert_eq!(set("ios-majors,latest").last().unwrap(), "ios-26.1");
    }
}
