//! UTCTime and GeneralizedTime to Unix seconds (RFC 5280 §4.1.2.5).
//!
//! Accepted forms, a little wider than DER as Apple's parser is: UTCTime `YYMMDDhhmm[ss]`,
//! GeneralizedTime `YYYYMMDDhhmmss[.fff]` (the fraction is dropped), each ending in `Z` or a
//! `±hhmm` offset. UTCTime years 50–99 are 19xx and 00–49 are 20xx (RFC 5280 §4.1.2.5.1), so
//! dates before 1970 are negative.

use der::ErrorKind;

use super::tlv::{Tlv, tag};

/// Decodes a Time element (UTCTime or GeneralizedTime) to Unix seconds.
pub(crate) fn decode(tlv: &Tlv<'_>) -> Result<i64, der::Error> {
    let parsed = if tlv.is(tag::UTC_TIME) {
        utc_time(tlv.value)
    } else if tlv.is(tag::GENERALIZED_TIME) {
        generalized_time(tlv.value)
    } else {
        return Err(tlv.value_error());
    };
    parsed.ok_or_else(|| tlv.error(ErrorKind::DateTime))
}

fn utc_time(s: &[u8]) -> Option<i64> {
    let yy = digits(s, 0, 2)?;
    let year = if yy >= 50 { 1900 + yy } else { 2000 + yy };
    let (rest, seconds) = clock(s.get(2..)?, false)?;
    from_fields(year, rest, seconds)
}

fn generalized_time(s: &[u8]) -> Option<i64> {
    let year = digits(s, 0, 4)?;
    let (rest, seconds) = clock(s.get(4..)?, true)?;
    from_fields(year, rest, seconds)
}

/// Parses `MMDDhhmm[ss][.fff](Z|±hhmm)` after the year; returns (month, day, hour, minute)
/// and the seconds with the zone offset applied (to subtract).
fn clock(s: &[u8], generalized: bool) -> Option<([i64; 4], i64)> {
    let month = digits(s, 0, 2)?;
    let day = digits(s, 2, 2)?;
    let hour = digits(s, 4, 2)?;
    let minute = digits(s, 6, 2)?;
    let mut i = 8;
    let mut second = 0;
    if s.get(i).is_some_and(u8::is_ascii_digit) {
        second = digits(s, i, 2)?;
        i += 2;
    } else if generalized {
        return None;
    }
    if generalized && matches!(s.get(i), Some(b'.' | b',')) {
        i += 1;
        let n = s
            .get(i..)?
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if n == 0 {
            return None;
        }
        i += n;
    }
    let offset = match s.get(i..)? {
        b"Z" => 0,
        [sign @ (b'+' | b'-'), ..] if s.len() == i + 5 => {
            let oh = digits(s, i + 1, 2)?;
            let om = digits(s, i + 3, 2)?;
            if oh > 23 || om > 59 {
                return None;
            }
            let off = oh * 3600 + om * 60;
            if *sign == b'+' { off } else { -off }
        }
        _ => return None,
    };
    if !(1..=12).contains(&month) || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    Some(([month, day, hour, minute], second - offset))
}

fn from_fields(year: i64, [month, day, hour, minute]: [i64; 4], seconds: i64) -> Option<i64> {
    if day < 1 || day > days_in_month(year, month) {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + seconds)
}

/// `len` ASCII digits at `at` as a number.
fn digits(s: &[u8], at: usize, len: usize) -> Option<i64> {
    s.get(at..at + len)?.iter().try_fold(0i64, |acc, &b| {
        b.is_ascii_digit().then(|| acc * 10 + i64::from(b - b'0'))
    })
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tlv(tag: u8, s: &'static str) -> Tlv<'static> {
        Tlv {
            tag,
            long_tag: false,
            raw: s.as_bytes(),
            value: s.as_bytes(),
            start: 0,
            value_start: 0,
        }
    }

    #[test]
    fn utc_time_windows_and_epoch() {
        assert_eq!(decode(&tlv(tag::UTC_TIME, "700101000000Z")).unwrap(), 0);
        assert_eq!(
            decode(&tlv(tag::UTC_TIME, "231114221320Z")).unwrap(),
            1_700_000_000
        );
        // 1950: before the epoch (PKITS "pre-2000 UTC notBefore").
        assert_eq!(
            decode(&tlv(tag::UTC_TIME, "500101120000Z")).unwrap(),
            -631_108_800
        );
        assert_eq!(
            decode(&tlv(tag::UTC_TIME, "491231235959Z")).unwrap(),
            2_524_607_999
        );
    }

    #[test]
    fn generalized_time_offsets_fractions() {
        assert_eq!(
            decode(&tlv(tag::GENERALIZED_TIME, "20500101000000Z")).unwrap(),
            2_524_608_000
        );
        assert_eq!(
            decode(&tlv(tag::GENERALIZED_TIME, "20500101010000.123+0100")).unwrap(),
            2_524_608_000
        );
        assert_eq!(decode(&tlv(tag::UTC_TIME, "7001010000Z")).unwrap(), 0);
    }

    #[test]
    fn rejects_bad_times() {
        for s in [
            "",
            "7001010000",
            "701301000000Z",
            "700230000000Z",
            "700101240000Z",
            "70010100000Z",
            "700101000000Z0",
            "700101000000+01",
            "7001010000x0Z",
        ] {
            assert!(decode(&tlv(tag::UTC_TIME, s)).is_err(), "{s}");
        }
        assert!(decode(&tlv(tag::GENERALIZED_TIME, "205001010000Z")).is_err());
        assert!(decode(&tlv(tag::GENERALIZED_TIME, "20500101000000.Z")).is_err());
        assert!(decode(&tlv(tag::OCTET_STRING, "700101000000Z")).is_err());
    }
}
