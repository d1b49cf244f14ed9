//! Apple's CT count rules as a pure function (`apple-trust.md §6`, "CT required").
//!
//! Input: SCTs whose signatures verified, each with its log, origin and timestamp. SCTs dated
//! after the verify time, after their log's read-only date, from a pending or rejected log, or
//! from a shard whose temporal interval excludes the leaf's notAfter are set aside first.
//!
//! - External route (checked first): at least one SCT delivered outside the certificate from a
//!   current (non-retired) log, and SCTs from at least two distinct current logs, counting
//!   every origin.
//! - Embedded route: distinct logs of embedded SCTs that are current, or retired with both the
//!   SCT time (the log's earliest embedded SCT) and the issuance time (the earliest embedded SCT
//!   time from a current log) strictly before the retirement; at least one log must be current;
//!   the number needed depends on the leaf's lifetime ([`CtRules::required_embedded`]).
//!
//! There is no operator-diversity rule.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use time::OffsetDateTime;

use super::log_list::{CtLog, CtLogList};
use super::outcome::{CtOutcome, CtRoute, IgnoreReason, IgnoredSct};
use super::sct::SctOrigin;
use crate::platform::{Platform, RuleId};

/// 2021-04-21T00:00:00Z: from iOS 15, leaves issued on or after it are measured in days.
pub const DAYS_POLICY_FROM: i64 = 1_618_963_200;

/// An SCT whose signature verified against its log's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerifiedSct {
    /// The log that signed it.
    pub log_id: [u8; 32],
    /// Where it was delivered.
    pub origin: SctOrigin,
    /// Its timestamp, Unix milliseconds.
    pub timestamp_ms: u64,
}

/// How the embedded requirement measures a leaf's lifetime.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LifetimeRule {
    /// Whole UTC calendar months for every leaf (iOS 12.1.1 – 14, macOS 10.14.2 – 11).
    Months,
    /// Days (exact seconds against the day limits) for leaves issued on or after 2021-04-21,
    /// months before (iOS 15 / macOS 12 →).
    DaysFrom2021,
}

/// The platform era's CT count rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct CtRules {
    /// How lifetimes are measured for the embedded route.
    pub lifetime: LifetimeRule,
}

/// A leaf's lifetime as the embedded requirement measured it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Lifetime {
    /// Whole calendar months.
    Months(i64),
    /// Days, a part day counting as one ([`lifetime_days`]).
    Days(i64),
}

impl fmt::Display for Lifetime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Lifetime::Months(n) => write!(f, "{n} months"),
            Lifetime::Days(n) => write!(f, "{n} days"),
        }
    }
}

impl CtRules {
    /// Months for every leaf (iOS 12.1.1 – 14).
    pub const MONTHS: CtRules = CtRules {
        lifetime: LifetimeRule::Months,
    };
    /// Days for leaves issued from 2021-04-21 (iOS 15 →).
    pub const DAYS_FROM_2021: CtRules = CtRules {
        lifetime: LifetimeRule::DaysFrom2021,
    };

    /// The rules of `platform` (row [`RuleId::CtLifetimeInDays`]).
    pub fn for_platform(platform: &Platform) -> CtRules {
        if platform.has(RuleId::CtLifetimeInDays) {
            CtRules::DAYS_FROM_2021
        } else {
            CtRules::MONTHS
        }
    }

    /// Embedded SCTs (distinct logs) needed for a leaf valid from `not_before` to `not_after`:
    /// in days, exactly (≤ 180 × 86,400 s → 2, ≤ 825 × 86,400 s → 3, else 4) or in months (< 15 → 2, ≤ 27 → 3, ≤ 39 → 4,
    /// else 5).
    pub fn required_embedded(&self, not_before: i64, not_after: i64) -> (usize, Lifetime) {
        if self.lifetime == LifetimeRule::DaysFrom2021 && not_before >= DAYS_POLICY_FROM {
            // Exact seconds: a limit fails only when the lifetime is strictly greater
            // (`apple-trust.md §1`), so 180 days and one second needs 3.
            let seconds = not_after.saturating_sub(not_before);
            let n = if seconds <= 180 * DAY {
                2
            } else if seconds <= 825 * DAY {
                3
            } else {
                4
            };
            return (n, Lifetime::Days(lifetime_days(not_before, not_after)));
        }
        let months = lifetime_months(not_before, not_after);
        let n = match months {
            ..15 => 2,
            15..=27 => 3,
            28..=39 => 4,
            _ => 5,
        };
        (n, Lifetime::Months(months))
    }
}

/// Seconds in a UTC day (always 86,400: certificate times have no leap seconds).
const DAY: i64 = 86_400;

/// Days from `not_before` to `not_after`, a part day counting as a whole one (rounded up), so
/// that the number reported is on the same side of every day limit as the exact lifetime:
/// `lifetime_days(nb, na) <= N` exactly when `na - nb <= N × 86,400 s`.
pub fn lifetime_days(not_before: i64, not_after: i64) -> i64 {
    let seconds = not_after.saturating_sub(not_before);
    seconds.div_euclid(DAY) + i64::from(seconds.rem_euclid(DAY) != 0)
}

/// Whole UTC calendar months from `not_before` to `not_after`, as Apple's
/// `CFCalendarGetComponentDifference(zulu, nb, na, 0, "M")` (ICU `fieldDifference`) counts
/// them: the largest `n` with `nb + n months ≤ na`, where adding months keeps the time of day
/// and pins the day of month to the target month's length. So 2020-01-31 → 2020-02-29 is one
/// month (Jan 31 + 1 month = Feb 29), 2020-01-15 12:00 → 2020-02-15 11:59 is zero, and
/// 2020-01-15 → 2021-04-15 is fifteen. A negative lifetime gives a negative count.
pub fn lifetime_months(not_before: i64, not_after: i64) -> i64 {
    if not_after < not_before {
        return -lifetime_months(not_after, not_before);
    }
    let (Ok(a), Ok(b)) = (
        OffsetDateTime::from_unix_timestamp(not_before),
        OffsetDateTime::from_unix_timestamp(not_after),
    ) else {
        // Outside years ±9999, which no certificate time can encode: an average month.
        return not_after.saturating_sub(not_before) / 2_629_746;
    };
    let n = i64::from(b.year() - a.year()) * 12 + i64::from(b.month() as u8)
        - i64::from(a.month() as u8);
    // `a + n months` lands in b's month, on a's day pinned to that month's length.
    let day = a.day().min(b.month().length(b.year()));
    if (day, a.time()) <= (b.day(), b.time()) {
        n
    } else {
        n - 1
    }
}

/// Applies the count rules to `scts` (see the module docs).
pub fn evaluate_policy(
    scts: &[VerifiedSct],
    logs: &CtLogList,
    not_before: i64,
    not_after: i64,
    verify_time: i64,
    rules: CtRules,
) -> CtOutcome {
    let mut ignored = Vec::new();
    let usable = usable_scts(scts, logs, not_after, verify_time, &mut ignored);
    let (required, lifetime) = rules.required_embedded(not_before, not_after);

    let current: BTreeSet<[u8; 32]> = usable
        .iter()
        .filter(|(_, log)| log.state.is_current())
        .map(|(s, _)| s.log_id)
        .collect();
    let mut external_current = false;
    for (s, log) in usable.iter().filter(|(s, _)| s.origin.is_external()) {
        if log.state.is_current() {
            external_current = true;
        } else {
            ignored.push(ignore(s, IgnoreReason::ExternalFromRetiredLog));
        }
    }
    let outcome = |satisfied, route, counted_logs, required, ignored| CtOutcome {
        satisfied,
        route,
        counted_logs,
        required,
        lifetime,
        ignored,
    };
    if external_current && current.len() >= 2 {
        return outcome(true, Some(CtRoute::External), current.len(), 2, ignored);
    }

    // Embedded route: each log's earliest embedded SCT.
    let mut earliest: BTreeMap<[u8; 32], (&VerifiedSct, &CtLog)> = BTreeMap::new();
    for (s, log) in usable.iter().filter(|(s, _)| !s.origin.is_external()) {
        let slot = earliest.entry(s.log_id).or_insert((s, log));
        if s.timestamp_ms < slot.0.timestamp_ms {
            *slot = (s, log);
        }
    }
    let issuance = earliest
        .values()
        .filter(|(_, log)| log.state.is_current())
        .map(|(s, _)| i128::from(s.timestamp_ms))
        .min();
    let issuance_ms = issuance.unwrap_or(ms(verify_time));
    let mut counted = 0;
    for (s, log) in earliest.values() {
        match log.state.retired_at() {
            None => counted += 1,
            Some(r) if i128::from(s.timestamp_ms) >= ms(r) => {
                ignored.push(ignore(s, IgnoreReason::AfterRetirement));
            }
            Some(r) if issuance_ms >= ms(r) => {
                ignored.push(ignore(s, IgnoreReason::IssuedAfterRetirement));
            }
            Some(_) => counted += 1,
        }
    }
    if issuance.is_some() {
        outcome(
            counted >= required,
            Some(CtRoute::Embedded),
            counted,
            required,
            ignored,
        )
    } else if external_current {
        outcome(false, Some(CtRoute::External), current.len(), 2, ignored)
    } else {
        outcome(false, None, counted, required, ignored)
    }
}

/// The SCTs that can count at all, each with its log; the rest go to `ignored`.
fn usable_scts<'a>(
    scts: &'a [VerifiedSct],
    logs: &'a CtLogList,
    not_after: i64,
    verify_time: i64,
    ignored: &mut Vec<IgnoredSct>,
) -> Vec<(&'a VerifiedSct, &'a CtLog)> {
    let mut usable = Vec::new();
    for s in scts {
        let ts = i128::from(s.timestamp_ms);
        let reason = match logs.get(&s.log_id) {
            None => IgnoreReason::UnknownLog,
            Some(log) if !log.state.is_trusted() => IgnoreReason::LogNotTrusted(log.state.name()),
            Some(_) if ts > ms(verify_time) => IgnoreReason::InTheFuture,
            Some(log) if log.state.readonly_at().is_some_and(|r| ts > ms(r)) => {
                IgnoreReason::AfterReadOnly
            }
            Some(log) if !log.covers_not_after(not_after) => IgnoreReason::OutsideTemporalInterval,
            Some(log) => {
                usable.push((s, log));
                continue;
            }
        };
        ignored.push(ignore(s, reason));
    }
    usable
}

fn ignore(s: &VerifiedSct, reason: IgnoreReason) -> IgnoredSct {
    IgnoredSct {
        origin: s.origin,
        log_id: Some(s.log_id),
        timestamp_ms: Some(s.timestamp_ms),
        reason,
    }
}

/// Unix seconds as milliseconds, without overflow.
fn ms(secs: i64) -> i128 {
    i128::from(secs) * 1000
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ct::log_list::LogState;
    use crate::platform::{Os, Version};
    use time::macros::datetime;

    fn t(dt: OffsetDateTime) -> i64 {
        dt.unix_timestamp()
    }

    #[test]
    fn constants_are_the_dates_they_claim() {
        assert_eq!(DAYS_POLICY_FROM, t(datetime!(2021-04-21 0:00 UTC)));
        assert_eq!(
            super::super::CT_REQUIRED_FROM,
            t(datetime!(2018-10-16 0:00 UTC))
        );
    }

    /// RFC 3339 to Unix seconds.
    fn at(s: &str) -> i64 {
        t(OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).unwrap())
    }

    #[test]
    fn whole_months_follow_icu() {
        let cases = [
            // Jan 31 + 1 month pins to Feb 29 (leap) / Feb 28.
            ("2020-01-31T00:00:00Z", "2020-02-29T00:00:00Z", 1),
            ("2020-01-31T00:00:00Z", "2020-02-28T23:59:59Z", 0),
            ("2020-01-31T12:00:00Z", "2020-02-29T11:00:00Z", 0),
            ("2021-01-31T00:00:00Z", "2021-02-28T00:00:00Z", 1),
            // The time of day counts.
            ("2020-01-15T12:00:00Z", "2020-02-15T11:59:59Z", 0),
            ("2020-01-15T12:00:00Z", "2020-02-15T12:00:00Z", 1),
            ("2020-01-15T00:00:00Z", "2021-04-15T00:00:00Z", 15),
            ("2020-01-15T00:00:00Z", "2021-04-14T23:59:59Z", 14),
            ("2019-12-01T00:00:00Z", "2019-12-01T00:00:00Z", 0),
            ("2021-04-15T00:00:00Z", "2020-01-15T00:00:00Z", -15),
            // The typical "year plus a day" and "two years minus a second" leaves.
            ("2019-03-01T00:00:00Z", "2020-03-02T00:00:00Z", 12),
            ("2018-11-01T00:00:00Z", "2020-10-31T23:59:59Z", 23),
        ];
        for (from, to, months) in cases {
            assert_eq!(lifetime_months(at(from), at(to)), months, "{from} → {to}");
        }
    }

    /// The months requirement at each boundary: 14/15, 27/28, 39/40.
    #[test]
    fn month_boundaries() {
        let nb = t(datetime!(2019-01-10 0:00 UTC));
        let plus = |months: u8| {
            let y = 2019 + i32::from(months / 12);
            let m = time::Month::try_from(1 + months % 12).unwrap();
            t(time::Date::from_calendar_date(y, m, 10)
                .unwrap()
                .midnight()
                .assume_utc())
        };
        let req = |na| CtRules::MONTHS.required_embedded(nb, na).0;
        assert_eq!(req(plus(15) - 1), 2);
        assert_eq!(req(plus(15)), 3);
        assert_eq!(req(plus(28) - 1), 3);
        assert_eq!(req(plus(28)), 4);
        assert_eq!(req(plus(40) - 1), 4);
        assert_eq!(req(plus(40)), 5);
        assert_eq!(
            CtRules::MONTHS.required_embedded(nb, plus(39)).1,
            Lifetime::Months(39)
        );
    }

    #[test]
    fn day_boundaries_and_the_2021_switch() {
        let nb = DAYS_POLICY_FROM;
        let req = |days: i64| {
            CtRules::DAYS_FROM_2021
                .required_embedded(nb, nb + days * DAY)
                .0
        };
        let req_s = |seconds: i64| CtRules::DAYS_FROM_2021.required_embedded(nb, nb + seconds);
        assert_eq!(req(180), 2);
        // Exact seconds, not whole days (`apple-trust.md §1`: only strictly greater fails).
        assert_eq!(req_s(180 * DAY), (2, Lifetime::Days(180)));
        assert_eq!(req_s(180 * DAY + 1), (3, Lifetime::Days(181)));
        assert_eq!(req_s(181 * DAY - 1), (3, Lifetime::Days(181)));
        assert_eq!(req(181), 3);
        assert_eq!(req_s(825 * DAY), (3, Lifetime::Days(825)));
        assert_eq!(req_s(825 * DAY + 1), (4, Lifetime::Days(826)));
        assert_eq!(req(826), 4);
        assert_eq!(lifetime_days(nb, nb - 1), 0);
        assert_eq!(lifetime_days(nb, nb - DAY - 1), -1);
        assert_eq!(
            CtRules::DAYS_FROM_2021
                .required_embedded(nb, nb + 200 * DAY)
                .1,
            Lifetime::Days(200)
        );
        // 200 days is 6 months: 2 by months, 3 by days. Issued a second before 2021-04-21 the
        // months rule still applies on iOS 15; on iOS 14 it always does.
        let before = nb - 1;
        assert_eq!(
            CtRules::DAYS_FROM_2021
                .required_embedded(before, before + 200 * DAY)
                .0,
            2
        );
        assert_eq!(
            CtRules::DAYS_FROM_2021
                .required_embedded(nb, nb + 200 * DAY)
                .0,
            3
        );
        assert_eq!(CtRules::MONTHS.required_embedded(nb, nb + 200 * DAY).0, 2);
    }

    #[test]
    fn rules_follow_the_platform_table() {
        assert_eq!(
            CtRules::for_platform(&Platform::ios(14, 8)),
            CtRules::MONTHS
        );
        assert_eq!(
            CtRules::for_platform(&Platform::ios(15, 0)),
            CtRules::DAYS_FROM_2021
        );
        assert_eq!(
            CtRules::for_platform(&Platform::macos(11, 6)),
            CtRules::MONTHS
        );
        assert_eq!(
            CtRules::for_platform(&Platform::macos(12, 0)),
            CtRules::DAYS_FROM_2021
        );
        let ios = |a, b, c| Platform::new(Os::Ios, Version::new(a, b, c));
        let mac = |a, b, c| Platform::new(Os::Macos, Version::new(a, b, c));
        assert!(!ios(12, 1, 0).has(RuleId::CtRequired));
        assert!(ios(12, 1, 1).has(RuleId::CtRequired));
        assert!(ios(26, 0, 0).has(RuleId::CtRequired));
        assert!(!mac(10, 14, 1).has(RuleId::CtRequired));
        assert!(mac(10, 14, 2).has(RuleId::CtRequired));
        assert!(!ios(12, 4, 0).has(RuleId::CtIos13ExemptCas));
        assert!(ios(13, 7, 0).has(RuleId::CtIos13ExemptCas));
        assert!(!ios(14, 0, 0).has(RuleId::CtIos13ExemptCas));
        assert!(mac(10, 15, 7).has(RuleId::CtIos13ExemptCas));
        assert!(!mac(11, 0, 0).has(RuleId::CtIos13ExemptCas));
    }

    // ---- the routes ----

    /// Leaf issued 2022-01-01 for 90 days; verified 2022-02-01.
    const NB: i64 = 1_640_995_200;
    const NA: i64 = NB + 90 * DAY;
    const VT: i64 = NB + 31 * DAY;

    fn log(n: u8, state: LogState) -> CtLog {
        CtLog::new(vec![n], format!("Op {n}"), state)
    }
    fn usable(n: u8) -> CtLog {
        log(n, LogState::Usable { since: 0 })
    }
    fn sct(l: &CtLog, origin: SctOrigin, at: i64) -> VerifiedSct {
        VerifiedSct {
            log_id: l.id,
            origin,
            timestamp_ms: u64::try_from(at).unwrap() * 1000,
        }
    }
    fn run(scts: &[VerifiedSct], logs: &[&CtLog]) -> CtOutcome {
        let list = logs
            .iter()
            .fold(CtLogList::new(), |l, log| l.with_log((*log).clone()));
        evaluate_policy(scts, &list, NB, NA, VT, CtRules::DAYS_FROM_2021)
    }
    fn reasons(o: &CtOutcome) -> Vec<IgnoreReason> {
        o.ignored.iter().map(|i| i.reason.clone()).collect()
    }
    use SctOrigin::{Embedded, Ocsp, TlsExtension};

    #[test]
    fn embedded_needs_distinct_logs() {
        let (a, b) = (usable(1), usable(2));
        let one_log_twice = run(
            &[sct(&a, Embedded, NB), sct(&a, Embedded, NB + 1)],
            &[&a, &b],
        );
        assert!(!one_log_twice.satisfied);
        assert_eq!(one_log_twice.route, Some(CtRoute::Embedded));
        assert_eq!((one_log_twice.counted_logs, one_log_twice.required), (1, 2));
        let two = run(&[sct(&a, Embedded, NB), sct(&b, Embedded, NB)], &[&a, &b]);
        assert!(two.satisfied, "{two}");
        assert_eq!(two.route, Some(CtRoute::Embedded));
        assert_eq!(
            two.to_string(),
            "CT satisfied by embedded SCTs: 2 logs (2 required for a lifetime of 90 days)"
        );
    }

    #[test]
    fn qualified_and_readonly_logs_are_current() {
        let q = log(1, LogState::Qualified { since: 0 });
        let ro = log(2, LogState::ReadOnly { since: VT });
        let o = run(&[sct(&q, Embedded, NB), sct(&ro, Embedded, NB)], &[&q, &ro]);
        assert!(o.satisfied, "{o}");
    }

    #[test]
    fn retired_log_counts_only_before_retirement() {
        let a = usable(1);
        let retired_at = NB + DAY;
        let r = log(2, LogState::Retired { since: retired_at });
        // SCT and issuance (a's SCT at NB) both before retirement: counts.
        let ok = run(&[sct(&a, Embedded, NB), sct(&r, Embedded, NB)], &[&a, &r]);
        assert!(ok.satisfied, "{ok}");
        // SCT exactly at the retirement: does not.
        let at = run(
            &[sct(&a, Embedded, NB), sct(&r, Embedded, retired_at)],
            &[&a, &r],
        );
        assert!(!at.satisfied);
        assert_eq!(reasons(&at), [IgnoreReason::AfterRetirement]);
        // The retired log's SCT predates retirement but the issuance (earliest SCT from a
        // current log) does not.
        let late = run(
            &[sct(&a, Embedded, retired_at), sct(&r, Embedded, NB)],
            &[&a, &r],
        );
        assert!(!late.satisfied);
        assert_eq!(reasons(&late), [IgnoreReason::IssuedAfterRetirement]);
        // A retired log's earliest SCT is the one that counts.
        let both = run(
            &[
                sct(&a, Embedded, NB),
                sct(&r, Embedded, retired_at + 5),
                sct(&r, Embedded, NB),
            ],
            &[&a, &r],
        );
        assert!(both.satisfied);
    }

    #[test]
    fn at_least_one_current_log_is_needed() {
        let retired_at = VT;
        let (r1, r2) = (
            log(1, LogState::Retired { since: retired_at }),
            log(2, LogState::Retired { since: retired_at }),
        );
        let o = run(
            &[sct(&r1, Embedded, NB), sct(&r2, Embedded, NB)],
            &[&r1, &r2],
        );
        assert!(!o.satisfied);
        assert_eq!(o.route, None);
        // With no current log the issuance time is the verify time, here the retirement.
        assert_eq!(
            reasons(&o),
            [
                IgnoreReason::IssuedAfterRetirement,
                IgnoreReason::IssuedAfterRetirement
            ]
        );
        assert!(o.to_string().starts_with("CT not satisfied: no SCT from a currently qualified log; ignored: embedded SCT from log "));
    }

    #[test]
    fn readonly_date_filters_later_scts() {
        let a = usable(1);
        let ro = log(2, LogState::ReadOnly { since: NB + 10 });
        let on_date = run(
            &[sct(&a, Embedded, NB), sct(&ro, Embedded, NB + 10)],
            &[&a, &ro],
        );
        assert!(on_date.satisfied, "{on_date}");
        let after = run(
            &[sct(&a, Embedded, NB), sct(&ro, Embedded, NB + 11)],
            &[&a, &ro],
        );
        assert!(!after.satisfied);
        assert_eq!(reasons(&after), [IgnoreReason::AfterReadOnly]);
    }

    #[test]
    fn temporal_interval_must_hold_not_after() {
        let a = usable(1);
        let inside = usable(2).with_temporal_interval(NA, NA + 1);
        let ends_at = usable(3).with_temporal_interval(NB, NA);
        let starts_after = usable(4).with_temporal_interval(NA + 1, NA + 100);
        let ok = run(
            &[sct(&a, Embedded, NB), sct(&inside, Embedded, NB)],
            &[&a, &inside],
        );
        assert!(ok.satisfied);
        for shard in [&ends_at, &starts_after] {
            let o = run(
                &[sct(&a, Embedded, NB), sct(shard, Embedded, NB)],
                &[&a, shard],
            );
            assert!(!o.satisfied);
            assert_eq!(reasons(&o), [IgnoreReason::OutsideTemporalInterval]);
        }
    }

    #[test]
    fn future_scts_are_ignored() {
        let (a, b) = (usable(1), usable(2));
        let at_vt = run(&[sct(&a, Embedded, NB), sct(&b, Embedded, VT)], &[&a, &b]);
        assert!(at_vt.satisfied);
        let future = run(
            &[sct(&a, Embedded, NB), sct(&b, Embedded, VT + 1)],
            &[&a, &b],
        );
        assert!(!future.satisfied);
        assert_eq!(reasons(&future), [IgnoreReason::InTheFuture]);
        // One millisecond past the verify time is already the future.
        let mut ms_late = sct(&b, Embedded, VT);
        ms_late.timestamp_ms += 1;
        let o = run(&[sct(&a, Embedded, NB), ms_late], &[&a, &b]);
        assert_eq!(reasons(&o), [IgnoreReason::InTheFuture]);
    }

    #[test]
    fn untrusted_and_unknown_logs() {
        let a = usable(1);
        let p = log(2, LogState::Pending { since: 0 });
        let rej = log(3, LogState::Rejected { since: 0 });
        let stranger = usable(4);
        let o = run(
            &[
                sct(&a, Embedded, NB),
                sct(&p, Embedded, NB),
                sct(&rej, Embedded, NB),
                sct(&stranger, Embedded, NB),
            ],
            &[&a, &p, &rej],
        );
        assert!(!o.satisfied);
        assert_eq!(
            reasons(&o),
            [
                IgnoreReason::LogNotTrusted("pending"),
                IgnoreReason::LogNotTrusted("rejected"),
                IgnoreReason::UnknownLog
            ]
        );
    }

    #[test]
    fn external_route_needs_two_current_logs() {
        let (a, b) = (usable(1), usable(2));
        let one = run(&[sct(&a, TlsExtension, NB)], &[&a, &b]);
        assert!(!one.satisfied);
        assert_eq!(
            (one.route, one.counted_logs, one.required),
            (Some(CtRoute::External), 1, 2)
        );
        let same_log = run(&[sct(&a, TlsExtension, NB), sct(&a, Ocsp, NB)], &[&a, &b]);
        assert!(!same_log.satisfied);
        let two = run(&[sct(&a, TlsExtension, NB), sct(&b, Ocsp, NB)], &[&a, &b]);
        assert!(two.satisfied);
        assert_eq!(two.route, Some(CtRoute::External));
        // An embedded SCT from a second current log completes the external route.
        let mixed = run(&[sct(&a, Ocsp, NB), sct(&b, Embedded, NB)], &[&a, &b]);
        assert!(mixed.satisfied);
        assert_eq!(mixed.route, Some(CtRoute::External));
        assert_eq!(
            mixed.to_string(),
            "CT satisfied by SCTs delivered outside the certificate: 2 current logs (2 required)"
        );
    }

    #[test]
    fn retired_logs_serve_no_external_route() {
        let a = usable(1);
        let r = log(2, LogState::Retired { since: VT });
        let o = run(
            &[sct(&a, TlsExtension, NB), sct(&r, TlsExtension, NB)],
            &[&a, &r],
        );
        assert!(!o.satisfied);
        assert_eq!(reasons(&o), [IgnoreReason::ExternalFromRetiredLog]);
        // …nor does a retired log's embedded SCT count toward the external route's two logs.
        let o = run(
            &[sct(&a, TlsExtension, NB), sct(&r, Embedded, NB)],
            &[&a, &r],
        );
        assert!(!o.satisfied);
        assert_eq!(o.route, Some(CtRoute::External));
    }

    #[test]
    fn external_scts_do_not_count_for_the_embedded_route() {
        // Embedded from current log a, OCSP from retired log b: neither route has two logs.
        let a = usable(1);
        let b = log(2, LogState::Retired { since: VT });
        let o = run(&[sct(&a, Embedded, NB), sct(&b, Ocsp, NB)], &[&a, &b]);
        assert!(!o.satisfied);
        assert_eq!(
            (o.route, o.counted_logs, o.required),
            (Some(CtRoute::Embedded), 1, 2)
        );
        assert!(o.to_string().starts_with(
            "CT not satisfied: embedded SCTs from 1 log, 2 required for a lifetime of 90 days; ignored: OCSP SCT from log"
        ));
    }

    #[test]
    fn long_leaves_need_more_logs() {
        let logs: Vec<CtLog> = (1..=4).map(usable).collect();
        let refs: Vec<&CtLog> = logs.iter().collect();
        let scts: Vec<VerifiedSct> = logs.iter().map(|l| sct(l, Embedded, NB)).collect();
        let list = refs
            .iter()
            .fold(CtLogList::new(), |l, log| l.with_log((*log).clone()));
        let na = NB + 400 * DAY;
        let three = evaluate_policy(&scts[..3], &list, NB, na, VT, CtRules::DAYS_FROM_2021);
        assert!(three.satisfied);
        let na = NB + 900 * DAY;
        let three = evaluate_policy(&scts[..3], &list, NB, na, VT, CtRules::DAYS_FROM_2021);
        assert!(!three.satisfied);
        assert_eq!(three.required, 4);
        assert!(evaluate_policy(&scts, &list, NB, na, VT, CtRules::DAYS_FROM_2021).satisfied);
    }
}
