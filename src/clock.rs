//! Wall-clock time as text, in one place so the format is the same everywhere.

/// The current UTC time as RFC 3339 with second precision, e.g. `2026-11-24T05:07:33Z`.
pub fn now_rfc3339() -> String {
    let now =
        time::OffsetDateTime::now_utc().replace_nanosecond(0).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    now.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}
