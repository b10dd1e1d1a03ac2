//! Event timestamps: ISO 8601 / RFC 3339 (with `T` or a space, with or without fractions and
//! offset), a date alone, or a `strftime`-style format the consultant chose. A time without a zone
//! is read in the time zone of the event's facility (a facility setting), or the zone given for
//! the import, or UTC.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use jiff::fmt::strtime;
use jiff::tz::TimeZone;

use crate::error::{Error, Result};

/// Reads timestamps; built once per import.
#[derive(Debug, Clone)]
pub struct TimeReader {
    format: Option<String>,
    zone: TimeZone,
}

impl TimeReader {
    /// `format`: a `strftime`-style format (`%d/%m/%Y %H:%M`), or `None` for ISO 8601.
    /// `zone`: an IANA zone name for times without an offset, or `None` for UTC.
    pub fn new(format: Option<&str>, zone: Option<&str>) -> Result<TimeReader> {
        Ok(TimeReader { format: format.map(str::to_string), zone: time_zone(zone.unwrap_or("UTC"))? })
    }

    /// Microseconds since the Unix epoch, or `None` when `text` is not a timestamp. Zone-less
    /// times are read in `zone` when given, else in the reader's zone.
    pub fn parse(&self, text: &str, zone: Option<&TimeZone>) -> Option<i64> {
        let text = super::rows::trim(text);
        let zone = zone.unwrap_or(&self.zone);
        if self.format.is_none()
            && let Some(micros) = fast_iso(text, zone)
        {
            return Some(micros);
        }
        self.parse_slow(text, zone)
    }

    /// `parse` without the fast path: what every time is checked against.
    pub fn parse_slow(&self, text: &str, zone: &TimeZone) -> Option<i64> {
        let text = text.trim();
        let at = match &self.format {
            Some(format) => {
                let parts = strtime::parse(format, text).ok()?;
                if parts.offset().is_some() {
                    parts.to_timestamp().ok()?
                } else {
                    zone.to_ambiguous_timestamp(parts.to_datetime().ok()?).compatible().ok()?
                }
            }
            None => match text.parse::<Timestamp>() {
                Ok(at) => at,
                Err(_) => {
                    let civil = match text.parse::<DateTime>() {
                        Ok(dt) => dt,
                        Err(_) => text.parse::<Date>().ok()?.to_datetime(jiff::civil::Time::midnight()),
                    };
                    zone.to_ambiguous_timestamp(civil).compatible().ok()?
                }
            },
        };
        Some(at.as_microsecond())
    }

    /// The instant of a wall-clock time given as microseconds since 1970-01-01T00:00 on the
    /// clock (a Parquet timestamp not adjusted to UTC), in `zone` when given, else the reader's.
    pub fn civil(&self, micros: i64, zone: Option<&TimeZone>) -> Option<i64> {
        let zone = zone.unwrap_or(&self.zone);
        let clock = TimeZone::UTC.to_datetime(Timestamp::from_microsecond(micros).ok()?);
        Some(zone.to_ambiguous_timestamp(clock).compatible().ok()?.as_microsecond())
    }

    /// What the reader expects, for error messages.
    pub fn expected(&self) -> String {
        match &self.format {
            Some(f) => format!("a time in the format {f:?}"),
            None => "an ISO 8601 time such as 2024-03-01T14:30:00Z or 2024-03-01 14:30".to_string(),
        }
    }
}

/// The common ISO 8601 forms read without a general parser: `YYYY-MM-DD`, then `T` or a space and
/// `HH:MM`, `:SS` and a fraction of up to 9 digits if given, then `Z` or `±HH:MM` if given; a
/// time without an offset only when `zone` is UTC. Years from 1970 to 9999. Anything else, or
/// anything out of range (month 13, second 60, 30 February), is `None` and goes to the general
/// parser, which decides; so the result is always the general parser's (a test compares them).
fn fast_iso(text: &str, zone: &TimeZone) -> Option<i64> {
    let b = text.as_bytes();
    let digits = |from: usize, n: usize| -> Option<i64> {
        let part = b.get(from..from + n)?;
        part.iter().try_fold(0i64, |acc, &c| c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0')))
    };
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (year, month, day) = (digits(0, 4)?, digits(5, 2)?, digits(8, 2)?);
    // Year 9999 goes to the general parser: its last day lies past the latest instant the
    // general parser can represent, and the two paths must agree.
    if !(1970..=9998).contains(&year)
        || !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
    {
        return None;
    }
    let (mut hour, mut minute, mut second, mut micros) = (0, 0, 0, 0);
    let mut i = 10;
    if i < b.len() && (b[i] == b'T' || b[i] == b' ') {
        if b.get(i + 3) != Some(&b':') {
            return None;
        }
        hour = digits(i + 1, 2)?;
        minute = digits(i + 4, 2)?;
        i += 6;
        if b.get(i) == Some(&b':') {
            second = digits(i + 1, 2)?;
            i += 3;
            if b.get(i) == Some(&b'.') {
                let start = i + 1;
                let mut end = start;
                while end < b.len() && b[end].is_ascii_digit() {
                    end += 1;
                }
                if end == start || end - start > 9 {
                    return None;
                }
                let mut nanos = digits(start, end - start)?;
                for _ in end - start..9 {
                    nanos *= 10;
                }
                micros = nanos / 1000;
                i = end;
            }
        }
        if hour > 23 || minute > 59 || second > 59 {
            return None;
        }
    } else if i != b.len() {
        return None;
    }
    let offset = match b.get(i) {
        None => {
            if zone.iana_name() != Some("UTC") {
                return None;
            }
            0
        }
        Some(b'Z') if i + 1 == b.len() => 0,
        Some(&sign @ (b'+' | b'-')) if i + 6 == b.len() && b[i + 3] == b':' => {
            let (h, m) = (digits(i + 1, 2)?, digits(i + 4, 2)?);
            if h > 23 || m > 59 {
                return None;
            }
            let seconds = h * 3600 + m * 60;
            if sign == b'-' { -seconds } else { seconds }
        }
        Some(_) => return None,
    };
    // A date alone is midnight; the offset only with a time.
    if i == 10 && offset != 0 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset;
    Some(seconds * 1_000_000 + micros)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to the proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The IANA time zone `name`, or an error saying what to write.
pub fn time_zone(name: &str) -> Result<TimeZone> {
    TimeZone::get(name).map_err(|_| {
        Error::invalid(
            "time zone",
            format!("unknown time zone {name:?}: use an IANA name such as Europe/Paris or UTC"),
        )
    })
}
