//! Durations as people and files write them: ISO 8601 (`PT30M`, as timers and service levels are
//! written) and spoken ("about 2 hours", "20–30 min", "a few minutes", as interviewees answer
//! "how long does it usually take").

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

/// The range of seconds a spoken duration gives ("about 2 hours" → 2 h to 2 h; "20–30 min" →
/// 20 to 30 min; "a few minutes" → 2 to 5 min; "half an hour"; "1.5 h"; "90 minutes"; "an
/// hour or two"), or `None` when it names no duration. Words before and after ("about",
/// "usually", "a unit") are ignored; the first duration named counts.
pub fn spoken(text: &str) -> Option<(f64, f64)> {
    let text = text.to_lowercase().replace(['–', '—'], "-").replace(" to ", "-").replace(" or ", "-");
    let mut words: Vec<String> = Vec::new();
    for raw in text.split(|c: char| c.is_whitespace() || c == ',' || c == ';' || c == '(' || c == ')') {
        if raw.is_empty() {
            continue;
        }
        // "20-30min", "2h", "1.5hrs": split digits from letters and around dashes.
        let mut piece = String::new();
        let mut last: Option<bool> = None;
        for c in raw.chars() {
            let kind = if c == '-' { None } else { Some(c.is_ascii_digit() || c == '.') };
            match kind {
                None => {
                    if !piece.is_empty() {
                        words.push(std::mem::take(&mut piece));
                    }
                    words.push("-".into());
                    last = None;
                    continue;
                }
                Some(k) if last.is_some_and(|l| l != k) && !piece.is_empty() => {
                    words.push(std::mem::take(&mut piece));
                }
                _ => {}
            }
            piece.push(c);
            last = kind;
        }
        if !piece.is_empty() {
            words.push(piece);
        }
    }
    let unit = |w: &str| -> Option<f64> {
        let w = w.trim_end_matches('.');
        Some(match w {
            "s" | "sec" | "secs" | "second" | "seconds" => 1.0,
            "m" | "min" | "mins" | "minute" | "minutes" | "mn" => 60.0,
            "h" | "hr" | "hrs" | "hour" | "hours" => 3600.0,
            "d" | "day" | "days" => 86_400.0,
            "shift" | "shifts" => 8.0 * 3600.0,
            "week" | "weeks" | "wk" | "wks" => 7.0 * 86_400.0,
            _ => return None,
        })
    };
    let number = |w: &str| -> Option<(f64, f64)> {
        let n = match w {
            "a" | "an" | "one" => 1.0,
            "two" | "couple" => 2.0,
            "three" => 3.0,
            "four" => 4.0,
            "five" => 5.0,
            "six" => 6.0,
            "seven" => 7.0,
            "eight" => 8.0,
            "nine" => 9.0,
            "ten" => 10.0,
            "fifteen" => 15.0,
            "twenty" => 20.0,
            "thirty" => 30.0,
            "forty" => 40.0,
            "forty-five" => 45.0,
            "sixty" => 60.0,
            "ninety" => 90.0,
            "few" => return Some((2.0, 5.0)),
            "several" => return Some((3.0, 6.0)),
            "half" => 0.5,
            _ => w.parse::<f64>().ok().filter(|n| n.is_finite() && *n >= 0.0)?,
        };
        Some((n, n))
    };
    let mut i = 0;
    while i < words.len() {
        let Some((mut lo, mut hi)) = number(&words[i]) else {
            i += 1;
            continue;
        };
        let mut j = i + 1;
        // "half an hour", "a couple of hours", "an hour or two", "20-30".
        if words[i] == "half" && words.get(j).is_some_and(|w| w == "a" || w == "an") {
            j += 1;
        }
        if words.get(j).is_some_and(|w| w == "of") {
            j += 1;
        }
        if words.get(j).is_some_and(|w| w == "-")
            && let Some((_, upper)) = words.get(j + 1).and_then(|w| number(w))
        {
            hi = upper;
            j += 2;
        }
        let Some(u) = words.get(j).and_then(|w| unit(w)) else {
            i += 1;
            continue;
        };
        // "an hour or two" / "an hour to two": a bare number after the unit widens the range.
        if let (Some(w), Some(next)) = (words.get(j + 1), words.get(j + 2))
            && w == "-"
            && let Some((_, upper)) = number(next)
            && words.get(j + 3).and_then(|w| unit(w)).is_none()
        {
            hi = hi.max(upper);
        }
        if lo > hi {
            std::mem::swap(&mut lo, &mut hi);
        }
        return Some((lo * u, hi * u));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spoken_durations_are_read_as_people_say_them() {
        let h = 3600.0;
        let cases: [(&str, Option<(f64, f64)>); 16] = [
            ("about 2 hours", Some((2.0 * h, 2.0 * h))),
            ("about two hours a unit", Some((2.0 * h, 2.0 * h))),
            ("20–30 min", Some((1200.0, 1800.0))),
            ("20-30min", Some((1200.0, 1800.0))),
            ("20 to 30 minutes", Some((1200.0, 1800.0))),
            ("a few minutes", Some((120.0, 300.0))),
            ("half an hour", Some((1800.0, 1800.0))),
            ("1.5 h", Some((1.5 * h, 1.5 * h))),
            ("90 minutes usually", Some((5400.0, 5400.0))),
            ("an hour or two", Some((h, 2.0 * h))),
            ("usually within 4 hrs", Some((4.0 * h, 4.0 * h))),
            ("a couple of hours", Some((2.0 * h, 2.0 * h))),
            ("2h", Some((2.0 * h, 2.0 * h))),
            ("one shift", Some((8.0 * h, 8.0 * h))),
            ("it depends", None),
            ("", None),
        ];
        for (text, want) in cases {
            assert_eq!(spoken(text), want, "{text:?}");
        }
    }
}
