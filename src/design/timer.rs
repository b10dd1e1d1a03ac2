//! ISO 8601 durations as timers use them (`PT30M`, `PT2H`, `P1D`, `P1DT12H`).

pub use crate::model::duration::{after, for_people, measured, parse_duration};

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
