//! RFC 3339 timestamps ⇄ Unix seconds, for `verify_time` and the demo's printed dates.
//!
//! Written here rather than taken from a date crate so the example needs only std, serde_json
//! and base64. Accepts RFC 3339 §5.6 `date-time`: `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`, with
//! `t`/`z` in lower case and a space for `T` (§5.6 note). Fractions of a second are dropped
//! (the evaluator works in whole seconds); a leap second `:60` counts as the next second, as
//! POSIX time does.

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

    if !(1..=12).contains(&month) {
        return Err(format!("month {month} is not 01–12"));
    }
    if day < 1 || day > days_in_month(year, month) {
        return Err(format!("day {day} does not exist in {year:04}-{month:02}"));
    }
    if hour > 23 || minute > 59 || second > 60 {
        return Err(format!(
            "time {hour:02}:{minute:02}:{second:02} is out of range"
        ));
    }
    let days = days_from_civil(year, month, day);
    Ok(days * DAY + hour * 3600 + minute * 60 + second - offset)
}

#[allow(
    dead_code,
    reason = "used by the tests that include this file (tests/cases_runner.rs)"
)]
/// Formats Unix seconds as `YYYY-MM-DDTHH:MM:SSZ` (years 0000–9999; others are clamped).
pub fn format(unix: i64) -> String {
    let min = days_from_civil(0, 1, 1) * DAY;
    let max = days_from_civil(9999, 12, 31) * DAY + DAY - 1;
    let t = unix.clamp(min, max);
    let (days, secs) = (t.div_euclid(DAY), t.rem_euclid(DAY));
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
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

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`] (Hinnant's `civil_from_days`).
#[allow(dead_code, reason = "used by `format`")]
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
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
