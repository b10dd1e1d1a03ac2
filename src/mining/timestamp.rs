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
        let text = text.trim();
        let zone = zone.unwrap_or(&self.zone);
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

    /// What the reader expects, for error messages.
    pub fn expected(&self) -> String {
        match &self.format {
            Some(f) => format!("a time in the format {f:?}"),
            None => "an ISO 8601 time such as 2024-03-01T14:30:00Z or 2024-03-01 14:30".to_string(),
        }
    }
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
