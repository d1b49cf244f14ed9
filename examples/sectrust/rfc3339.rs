//! RFC 3339 timestamps ⇄ Unix seconds, for `verify_time` and the demo's printed dates.
//!
//! Accepts RFC 3339 §5.6 `date-time`: `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`, with `t`/`z` in
//! lower case and a space for `T` (§5.6 note). Fractions of a second are dropped (the evaluator
//! works in whole seconds); a leap second `:60` counts as the next second, as POSIX time does.
//! The lexical rules are this file's — the `time` crate's `Rfc3339` parser takes any byte as
//! the separator, reads `:60` as the second before, and does not say which field is wrong —
//! but the calendar arithmetic is the `time` crate's (a dependency of the library).

use time::macros::datetime;
use time::{Date, Month, OffsetDateTime};

/// Seconds in a day.
const DAY: i64 = 86_400;

/// Parses an RFC 3339 date-time into Unix seconds, or says what is wrong with it.
pub fn parse(text: &str) -> Result<i64, String> {
    let b = text.as_bytes();
    if b.len() < 20 {
        return Err("too short for YYYY-MM-DDTHH:MM:SSZ".into());
    }
    let year = digits(b, 0, 4, "year")?;
    expect(b, 4, b'-')?;
    let month = digits(b, 5, 2, "month")?;
    expect(b, 7, b'-')?;
    let day = digits(b, 8, 2, "day")?;
    if !matches!(b[10], b'T' | b't' | b' ') {
        return Err("expected `T` between date and time".into());
    }
    let hour = digits(b, 11, 2, "hour")?;
    expect(b, 13, b':')?;
    let minute = digits(b, 14, 2, "minute")?;
    expect(b, 16, b':')?;
    let second = digits(b, 17, 2, "second")?;
    let offset = parse_offset(skip_fraction(b, 19)?)?;

    let date = calendar_date(year, month, day)?;
    if hour > 23 || minute > 59 || second > 60 {
        return Err(format!(
            "time {hour:02}:{minute:02}:{second:02} is out of range"
        ));
    }
    let days = (date - OffsetDateTime::UNIX_EPOCH.date()).whole_days();
    Ok(days * DAY + hour * 3600 + minute * 60 + second - offset)
}

#[allow(
    dead_code,
    reason = "used by the tests that include this file (tests/cases_runner.rs)"
)]
/// Formats Unix seconds as `YYYY-MM-DDTHH:MM:SSZ` (years 0000–9999; others are clamped).
pub fn format(unix: i64) -> String {
    let min = datetime!(0000-01-01 00:00:00 UTC).unix_timestamp();
    let max = datetime!(9999-12-31 23:59:59 UTC).unix_timestamp();
    let t = OffsetDateTime::from_unix_timestamp(unix.clamp(min, max))
        .expect("years 0000–9999 are in the time crate's range");
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// `len` ASCII digits at `at`, as a number.
fn digits(b: &[u8], at: usize, len: usize, what: &str) -> Result<i64, String> {
    let field = b.get(at..at + len).unwrap_or_default();
    if field.len() != len || !field.iter().all(u8::is_ascii_digit) {
        return Err(format!("{what} must be {len} digits"));
    }
    Ok(field.iter().fold(0, |n, d| n * 10 + i64::from(d - b'0')))
}

/// The byte `want` at `at`.
fn expect(b: &[u8], at: usize, want: u8) -> Result<(), String> {
    if b.get(at) == Some(&want) {
        Ok(())
    } else {
        Err(format!(
            "expected `{}` at position {}",
            want as char,
            at + 1
        ))
    }
}

/// Skips an optional `.digits` fraction starting at `at`; returns the rest.
fn skip_fraction(b: &[u8], at: usize) -> Result<&[u8], String> {
    let rest = &b[at..];
    let Some(frac) = rest.strip_prefix(b".") else {
        return Ok(rest);
    };
    let n = frac.iter().take_while(|c| c.is_ascii_digit()).count();
    if n == 0 {
        return Err("a `.` must be followed by fraction digits".into());
    }
    Ok(&frac[n..])
}

/// The UTC offset (`Z` or `±HH:MM`) in seconds east of UTC; nothing may follow it.
fn parse_offset(b: &[u8]) -> Result<i64, String> {
    let sign = match b.first() {
        Some(b'Z' | b'z') if b.len() == 1 => return Ok(0),
        Some(b'+') => 1,
        Some(b'-') => -1,
        _ => return Err("expected a UTC offset (`Z` or `±HH:MM`) at the end".into()),
    };
    if b.len() != 6 {
        return Err("a UTC offset must be `±HH:MM` and end the time".into());
    }
    let hours = digits(b, 1, 2, "offset hour")?;
    expect(b, 3, b':').map_err(|_| "a UTC offset must be `±HH:MM`".to_owned())?;
    let minutes = digits(b, 4, 2, "offset minute")?;
    if hours > 23 || minutes > 59 {
        return Err(format!(
            "UTC offset {hours:02}:{minutes:02} is out of range"
        ));
    }
    Ok(sign * (hours * 3600 + minutes * 60))
}

/// The date `year-month-day` (year 0000–9999 from four digits), or why it does not exist.
fn calendar_date(year: i64, month: i64, day: i64) -> Result<Date, String> {
    let m = u8::try_from(month)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .ok_or_else(|| format!("month {month} is not 01–12"))?;
    i32::try_from(year)
        .ok()
        .zip(u8::try_from(day).ok())
        .and_then(|(y, d)| Date::from_calendar_date(y, m, d).ok())
        .ok_or_else(|| format!("day {day} does not exist in {year:04}-{month:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_utc_and_offsets() {
        assert_eq!(parse("1970-01-01T00:00:00Z"), Ok(0));
        assert_eq!(parse("2015-09-04T00:00:00Z"), Ok(1_441_324_800));
        assert_eq!(parse("2015-09-04t00:00:00z"), Ok(1_441_324_800));
        assert_eq!(parse("2015-09-04 02:00:00+02:00"), Ok(1_441_324_800));
        assert_eq!(parse("2015-09-03T19:30:00-04:30"), Ok(1_441_324_800));
        assert_eq!(parse("2000-02-29T23:59:59.999999Z"), Ok(951_868_799));
        assert_eq!(parse("1969-12-31T23:59:59Z"), Ok(-1));
        assert_eq!(parse("2016-12-31T23:59:60Z"), Ok(1_483_228_800));
    }

    #[test]
    fn rejects_malformed_times_with_a_reason() {
        for bad in [
            "",
            "2015-09-04",
            "2015-09-04T00:00:00",
            "2015-09-04T00:00:00+0200",
            "2015-09-04T00:00:00Zjunk",
            "2015-13-01T00:00:00Z",
            "2015-02-29T00:00:00Z",
            "1900-02-29T00:00:00Z",
            "2015-09-04T24:00:00Z",
            "2015-09-04T00:00:00.Z",
            "2015-09-04T00:00:00+24:00",
            "2015/09/04T00:00:00Z",
            "+015-09-04T00:00:00Z",
            "２０15-09-04T00:00:00Z",
        ] {
            let e = parse(bad).expect_err(bad);
            assert!(!e.is_empty(), "{bad}");
        }
        let calendar = |t: &str| parse(t).unwrap_err();
        assert_eq!(calendar("2015-13-01T00:00:00Z"), "month 13 is not 01–12");
        assert_eq!(calendar("2015-00-01T00:00:00Z"), "month 0 is not 01–12");
        assert_eq!(
            calendar("2015-02-29T00:00:00Z"),
            "day 29 does not exist in 2015-02"
        );
        assert_eq!(
            calendar("2015-09-00T00:00:00Z"),
            "day 0 does not exist in 2015-09"
        );
    }

    #[test]
    fn format_round_trips() {
        for t in [0, 1, -1, 951_868_799, 1_441_324_800, 253_402_300_799] {
            assert_eq!(parse(&format(t)), Ok(t), "{t}");
        }
        assert_eq!(format(1_441_324_800), "2015-09-04T00:00:00Z");
        assert_eq!(format(i64::MAX), "9999-12-31T23:59:59Z");
        assert_eq!(format(i64::MIN), "0000-01-01T00:00:00Z");
    }
}
