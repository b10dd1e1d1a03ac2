//! ISO 8601 durations as timers use them (`PT30M`, `PT2H`, `P1D`, `P1DT12H`).

/// The seconds of an ISO 8601 duration of days, hours, minutes and seconds (weeks too); `None`
/// when it is not one, or is zero.
pub fn parse_duration(text: &str) -> Option<u64> {
    let rest = text.trim().strip_prefix('P')?;
    let (date, time) = match rest.split_once('T') {
        Some((d, t)) if !t.is_empty() => (d, Some(t)),
        Some(_) => return None,
        None => (rest, None),
    };
    let mut total = 0u64;
    let mut parts = 0;
    let mut take = |text: &str, units: &[(char, u64)]| -> Option<()> {
        let mut number = String::new();
        let mut last = 0usize;
        for c in text.chars() {
            if c.is_ascii_digit() {
                number.push(c);
                continue;
            }
            let at = units.iter().position(|(u, _)| *u == c)?;
            if at < last || number.is_empty() {
                return None;
            }
            last = at + 1;
            total = total.checked_add(number.parse::<u64>().ok()?.checked_mul(units[at].1)?)?;
            number.clear();
            parts += 1;
        }
        number.is_empty().then_some(())
    };
    take(date, &[('W', 604_800), ('D', 86_400)])?;
    if let Some(time) = time {
        take(time, &[('H', 3_600), ('M', 60), ('S', 1)])?;
    }
    (parts > 0 && total > 0).then_some(total)
}

/// A duration for people: "2 hours", "30 minutes", "1 day", "2 h 30 min", "1 d 12 h",
/// "45 seconds". Every screen, diagram, report and export label that a person reads uses this.
pub fn for_people(seconds: u64) -> String {
    let plural = |n: u64, unit: &str| if n == 1 { format!("1 {unit}") } else { format!("{n} {unit}s") };
    let (days, hours, minutes, secs) =
        (seconds / 86_400, seconds % 86_400 / 3_600, seconds % 3_600 / 60, seconds % 60);
    match (days, hours, minutes, secs) {
        (0, 0, 0, s) => plural(s, "second"),
        (0, 0, m, 0) => plural(m, "minute"),
        (0, h, 0, 0) => plural(h, "hour"),
        (d, 0, 0, 0) => plural(d, "day"),
        _ => {
            let parts: Vec<String> = [(days, "d"), (hours, "h"), (minutes, "min"), (secs, "s")]
                .into_iter()
                .filter(|(n, _)| *n > 0)
                .map(|(n, u)| format!("{n} {u}"))
                .collect();
            parts.join(" ")
        }
    }
}

/// A measured duration for people (a mean, a median), rounded to what a reader needs: to the
/// second under two minutes, to the minute under two days, to the hour after that; then written
/// by `for_people` ("1 h 31 min", "3 d 4 h").
pub fn measured(seconds: f64) -> String {
    let s = seconds.max(0.0).round() as u64;
    let rounded = match s {
        s if s < 120 => s,
        s if s < 172_800 => (s + 30) / 60 * 60,
        s => (s + 1_800) / 3_600 * 3_600,
    };
    for_people(rounded)
}

/// A timer for people: "after 2 hours".
pub fn after(seconds: u64) -> String {
    format!("after {}", for_people(seconds))
}

#[cfg(test)]
mod tests {
    use super::{after, for_people, measured, parse_duration};

    #[test]
    fn durations_for_people() {
        assert_eq!(after(7_200), "after 2 hours");
        assert_eq!(for_people(1_800), "30 minutes");
        assert_eq!(for_people(60), "1 minute");
        assert_eq!(for_people(86_400), "1 day");
        assert_eq!(for_people(9_000), "2 h 30 min");
        assert_eq!(for_people(129_600), "1 d 12 h");
        assert_eq!(for_people(45), "45 seconds");
        assert_eq!(measured(5_432.7), "1 h 31 min");
        assert_eq!(measured(90.4), "1 min 30 s");
        assert_eq!(measured(200_000.0), "2 d 8 h");
        assert_eq!(measured(7_195.0), "2 hours");
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("PT30M"), Some(1800));
        assert_eq!(parse_duration("PT2H"), Some(7200));
        assert_eq!(parse_duration("P1DT12H"), Some(129_600));
        assert_eq!(parse_duration("P1W"), Some(604_800));
        for bad in ["", "P", "PT", "30M", "PT0M", "PT2H30", "PTM", "PT30M2H", "P1H"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }
}
