//! Times: a deck's `publish_at:` (RFC 3339 with an offset) read into seconds since the Unix epoch,
//! and times written back for people (`2026-12-08 09:00 +01:00`, `in 3 days`).

/// A moment as the deck wrote it: the instant, and the offset it was written in (to show it back
/// in the author's own time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment {
    /// Seconds since the Unix epoch (negative before 1970).
    pub unix: i64,
    /// The offset from UTC it was written with, in minutes.
    pub offset_minutes: i32,
}

/// Days from 1970-01-01 to a civil date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year - era * 400;
    let month = i64::from(month);
    let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count from 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

/// Reads an RFC 3339 date-time with an offset: `2026-12-08T09:00:00+01:00`, `...Z`, with
/// optional fractions of a second (ignored) and `t`/space for `T`. Seconds may be left out
/// (`2026-12-08T09:00+01:00`). The error says what is missing.
pub fn parse_rfc3339(text: &str) -> Result<Moment, String> {
    let text = text.trim();
    let bytes = text.as_bytes();
    let digits = |from: usize, count: usize| -> Option<u32> {
        let part = text.get(from..from + count)?;
        part.bytes().all(|b| b.is_ascii_digit()).then(|| part.parse().ok())?
    };
    let shape = "write it as 2026-12-08T09:00:00+01:00 (date, `T`, time, and the offset from UTC, or `Z`)";
    let (Some(year), Some(month), Some(day)) = (digits(0, 4), digits(5, 2), digits(8, 2)) else {
        return Err(format!("`{text}` is not a date and time: {shape}"));
    };
    if bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') {
        return Err(format!("`{text}` is not a date and time: {shape}"));
    }
    if !matches!(bytes.get(10), Some(b'T' | b't' | b' ')) {
        return Err(format!("`{text}` has a date but no time: {shape}"));
    }
    let (Some(hour), Some(minute)) = (digits(11, 2), digits(14, 2)) else {
        return Err(format!("`{text}` has no valid time: {shape}"));
    };
    if bytes.get(13) != Some(&b':') {
        return Err(format!("`{text}` has no valid time: {shape}"));
    }
    let mut i = 16;
    let mut second = 0;
    if bytes.get(i) == Some(&b':') {
        second = digits(i + 1, 2).ok_or_else(|| format!("`{text}` has no valid seconds: {shape}"))?;
        i += 3;
        if bytes.get(i) == Some(&b'.') {
            i += 1;
            let start = i;
            while bytes.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == start {
                return Err(format!("`{text}` has a `.` without fractions of a second: {shape}"));
            }
        }
    }
    let offset_minutes: i32 = match bytes.get(i) {
        Some(b'Z' | b'z') if i + 1 == bytes.len() => 0,
        Some(sign @ (b'+' | b'-')) => {
            let (Some(oh), Some(om)) = (digits(i + 1, 2), digits(i + 4, 2)) else {
                return Err(format!("`{text}` has an offset that is not ±HH:MM: {shape}"));
            };
            if bytes.get(i + 3) != Some(&b':') || i + 6 != bytes.len() || oh > 23 || om > 59 {
                return Err(format!("`{text}` has an offset that is not ±HH:MM: {shape}"));
            }
            let minutes = (oh * 60 + om) as i32;
            if *sign == b'-' {
                -minutes
            } else {
                minutes
            }
        }
        None => {
            return Err(format!(
                "`{text}` has no offset from UTC, so it would mean a different moment on every machine: add one, \
                 e.g. `{text}+01:00`, or `Z` for UTC"
            ))
        }
        Some(_) => return Err(format!("`{text}` is not a date and time: {shape}")),
    };
    let year = i64::from(year);
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return Err(format!("`{text}` names a day that does not exist"));
    }
    if hour > 23 || minute > 59 || second > 60 {
        return Err(format!("`{text}` names a time that does not exist"));
    }
    let days = days_from_civil(year, month, day);
    let local = days * 86_400 + i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second.min(59));
    Ok(Moment { unix: local - i64::from(offset_minutes) * 60, offset_minutes })
}

/// `2026-12-08 09:00 +01:00`: the moment in the offset it was written with.
pub fn show(moment: Moment) -> String {
    let local = moment.unix + i64::from(moment.offset_minutes) * 60;
    let (year, month, day) = civil_from_days(local.div_euclid(86_400));
    let secs = local.rem_euclid(86_400);
    let sign = if moment.offset_minutes < 0 { '-' } else { '+' };
    let offset = moment.offset_minutes.unsigned_abs();
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} {sign}{:02}:{:02}",
        secs / 3600,
        secs % 3600 / 60,
        offset / 60,
        offset % 60
    )
}

/// `2026-12-08 08:00 UTC`.
pub fn show_utc(unix: u64) -> String {
    show(Moment { unix: unix as i64, offset_minutes: 0 }).replace(" +00:00", " UTC")
}

/// `2026-12-08`.
pub fn show_date(unix: u64) -> String {
    show_utc(unix).chars().take(10).collect()
}

/// `in 3 days`, `in 5 hours`, `12 minutes ago`: how far `at` is from `now`.
pub fn relative(at: i64, now: i64) -> String {
    let delta = at - now;
    let span = delta.unsigned_abs();
    let amount = if span >= 2 * 86_400 {
        format!("{} days", (span + 43_200) / 86_400)
    } else if span >= 2 * 3600 {
        format!("{} hours", (span + 1800) / 3600)
    } else if span >= 120 {
        format!("{} minutes", (span + 30) / 60)
    } else {
        return "now".to_string();
    };
    if delta > 0 {
        format!("in {amount}")
    } else {
        format!("{amount} ago")
    }
}

/// Whole days in `secs`, rounded to the nearest (5,183,999 s is 60 days, not 59).
pub fn days_rounded(secs: u64) -> u64 {
    (secs + 43_200) / 86_400
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_with_offsets_is_read() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z").unwrap().unix, 0);
        let m = parse_rfc3339("2026-12-08T09:00:00+01:00").unwrap();
        assert_eq!(m.unix, 1_796_716_800);
        assert_eq!(m.offset_minutes, 60);
        assert_eq!(parse_rfc3339("2026-12-08T08:00:00.250Z").unwrap().unix, m.unix);
        assert_eq!(parse_rfc3339("2026-12-08T03:00-05:00").unwrap().unix, m.unix);
        assert_eq!(show(m), "2026-12-08 09:00 +01:00");
        assert_eq!(show_utc(m.unix as u64), "2026-12-08 08:00 UTC");
        assert_eq!(parse_rfc3339("2028-02-29T00:00:00Z").unwrap().unix, 1_835_395_200);
    }

    #[test]
    fn a_time_without_offset_or_impossible_dates_are_refused() {
        assert!(parse_rfc3339("2026-12-08T09:00:00").unwrap_err().contains("no offset"));
        assert!(parse_rfc3339("2026-12-08").unwrap_err().contains("no time"));
        assert!(parse_rfc3339("2026-02-30T09:00:00Z").unwrap_err().contains("does not exist"));
        assert!(parse_rfc3339("2026-12-08T25:00:00Z").unwrap_err().contains("does not exist"));
        assert!(parse_rfc3339("tomorrow").is_err());
        assert!(parse_rfc3339("2026-12-08T09:00:00+0100").is_err());
        assert!(parse_rfc3339("2026-12-08T09:00:00Zjunk").is_err());
        assert!(parse_rfc3339("２０２６-12-08T09:00:00Z").is_err());
    }

    #[test]
    fn relative_times_and_days() {
        assert_eq!(relative(3 * 86_400, 0), "in 3 days");
        assert_eq!(relative(0, 5 * 3600), "5 hours ago");
        assert_eq!(relative(30, 0), "now");
        assert_eq!(days_rounded(5_183_999), 60);
    }
}
