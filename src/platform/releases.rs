//! When each OS release shipped: one row per major version, used to pick the trust-store
//! snapshot a profile had (`apple-roots/README.md`: "take the latest tag dated on or before
//! that release").

use time::Date;
use time::macros::date;

use super::{Os, Platform, Version};

/// One row of [`RELEASE_DATES`]: the day a major OS version was released to the public.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReleaseDate {
    /// The OS.
    pub os: Os,
    /// The first version of the row (`x.0`; macOS 10.x counts `10.x` as its major version).
    pub version: Version,
    /// The public release day (UTC).
    pub date: Date,
    /// Where the date comes from.
    pub evidence: &'static str,
}

const fn row(os: Os, major: u16, minor: u16, date: Date) -> ReleaseDate {
    ReleaseDate {
        os,
        version: Version::new(major, minor, 0),
        date,
        evidence: "Apple release date",
    }
}

/// Public release dates of every major version the profiles cover, each OS in version order.
pub const RELEASE_DATES: &[ReleaseDate] = &[
    row(Os::Ios, 5, 0, date!(2011 - 10 - 12)),
    row(Os::Ios, 6, 0, date!(2012 - 09 - 19)),
    row(Os::Ios, 7, 0, date!(2013 - 09 - 18)),
    row(Os::Ios, 8, 0, date!(2014 - 09 - 17)),
    row(Os::Ios, 9, 0, date!(2015 - 09 - 16)),
    row(Os::Ios, 10, 0, date!(2016 - 09 - 13)),
    row(Os::Ios, 11, 0, date!(2017 - 09 - 19)),
    row(Os::Ios, 12, 0, date!(2018 - 09 - 17)),
    row(Os::Ios, 13, 0, date!(2019 - 09 - 19)),
    row(Os::Ios, 14, 0, date!(2020 - 09 - 16)),
    row(Os::Ios, 15, 0, date!(2021 - 09 - 20)),
    row(Os::Ios, 16, 0, date!(2022 - 09 - 12)),
    row(Os::Ios, 17, 0, date!(2023 - 09 - 18)),
    row(Os::Ios, 18, 0, date!(2024 - 09 - 16)),
    row(Os::Ios, 26, 0, date!(2025 - 09 - 15)),
    row(Os::Macos, 10, 7, date!(2011 - 07 - 20)),
    row(Os::Macos, 10, 8, date!(2012 - 07 - 25)),
    row(Os::Macos, 10, 9, date!(2013 - 10 - 22)),
    row(Os::Macos, 10, 10, date!(2014 - 10 - 16)),
    row(Os::Macos, 10, 11, date!(2015 - 09 - 30)),
    row(Os::Macos, 10, 12, date!(2016 - 09 - 20)),
    row(Os::Macos, 10, 13, date!(2017 - 09 - 25)),
    row(Os::Macos, 10, 14, date!(2018 - 09 - 24)),
    row(Os::Macos, 10, 15, date!(2019 - 10 - 07)),
    row(Os::Macos, 11, 0, date!(2020 - 11 - 12)),
    row(Os::Macos, 12, 0, date!(2021 - 10 - 25)),
    row(Os::Macos, 13, 0, date!(2022 - 10 - 24)),
    row(Os::Macos, 14, 0, date!(2023 - 09 - 26)),
    row(Os::Macos, 15, 0, date!(2024 - 09 - 16)),
    row(Os::Macos, 26, 0, date!(2025 - 09 - 15)),
];

impl Platform {
    /// The public release day of this profile's major version (`x.0`; for macOS 10.x, `10.x`),
    /// from [`RELEASE_DATES`]. Minor and patch releases share their major version's date: the
    /// trust-store snapshots it selects are about a year apart. `None` for an unknown version.
    ///
    /// ```
    /// use sectrust::Platform;
    /// use time::macros::date;
    /// assert_eq!(Platform::ios(11, 4).release_date(), Some(date!(2017 - 09 - 19)));
    /// assert_eq!(Platform::macos(10, 13).release_date(), Some(date!(2017 - 09 - 25)));
    /// ```
    pub fn release_date(&self) -> Option<Date> {
        let v = self.version();
        RELEASE_DATES
            .iter()
            .filter(|r| r.os == self.os() && r.version.major == v.major)
            .filter(|r| v.major != 10 || self.os() != Os::Macos || r.version.minor == v.minor)
            .map(|r| r.date)
            .next()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_profile_has_a_release_date() {
        for p in Platform::all() {
            assert!(p.release_date().is_some(), "{p}");
        }
        assert_eq!(
            Platform::ios(12, 1).release_date(),
            Some(date!(2018 - 09 - 17))
        );
        assert_eq!(
            Platform::macos(10, 14).release_date(),
            Some(date!(2018 - 09 - 24))
        );
        assert_eq!(Platform::ios(4, 0).release_date(), None);
    }

    #[test]
    fn rows_are_in_version_order_per_os() {
        for pair in RELEASE_DATES.windows(2) {
            if pair[0].os == pair[1].os {
                assert!(pair[0].version < pair[1].version, "{pair:?}");
                assert!(pair[0].date < pair[1].date, "{pair:?}");
            }
        }
    }
}
