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

#[cfg(test)]
mod tests {
    use super::parse_duration;

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
