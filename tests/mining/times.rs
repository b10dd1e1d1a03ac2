//! The fast path for common ISO 8601 timestamps gives exactly what the general parser gives, on
//! well-formed times and on near misses (month 13, second 60, 30 February, lower-case separators,
//! short offsets, trailing text), in UTC and in a facility's zone.

use proptest::prelude::*;

use baton::mining::{TimeReader, time_zone};

fn text() -> impl Strategy<Value = String> {
    let year = prop_oneof![1965..2101i32, Just(9999), Just(2024), Just(2000), Just(1900)];
    let sep = prop_oneof![Just("T"), Just(" "), Just("t"), Just("_"), Just("")];
    let fraction = prop_oneof![
        Just(String::new()),
        (1..11usize, 0..1_000_000_000u64).prop_map(|(n, v)| {
            let digits = format!("{v:010}");
            format!(".{}", &digits[..n])
        })
    ];
    let offset = prop_oneof![
        Just(""),
        Just("Z"),
        Just("z"),
        Just("+05:30"),
        Just("-08:00"),
        Just("+0530"),
        Just("+05"),
        Just("-00:00"),
        Just("+24:00"),
        Just("+23:59"),
        Just("[UTC]"),
        Just(" "),
        Just("Zx")
    ];
    (
        year,
        0..14u32,
        0..33u32,
        sep,
        0..25u32,
        0..61u32,
        prop_oneof![Just(None), (0..62u32).prop_map(Some)],
        fraction,
        offset,
        any::<bool>(),
    )
        .prop_map(|(y, mo, d, sep, h, mi, s, frac, off, date_only)| {
            if date_only {
                return format!("{y:04}-{mo:02}-{d:02}{off}");
            }
            let mut t = format!("{y:04}-{mo:02}-{d:02}{sep}{h:02}:{mi:02}");
            if let Some(s) = s {
                t.push_str(&format!(":{s:02}{frac}"));
            }
            t.push_str(off);
            t
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]

    #[test]
    fn the_fast_path_agrees_with_the_general_parser(text in text(), chicago: bool) {
        let zone_name = if chicago { "America/Chicago" } else { "UTC" };
        let reader = TimeReader::new(None, Some(zone_name)).unwrap();
        let zone = time_zone(zone_name).unwrap();
        prop_assert_eq!(reader.parse(&text, None), reader.parse_slow(&text, &zone), "{}", text);
    }
}

#[test]
fn common_forms_are_read_as_before() {
    let reader = TimeReader::new(None, None).unwrap();
    let utc = time_zone("UTC").unwrap();
    for text in [
        "2024-03-01T14:30:00Z",
        "2024-03-01 14:30:00",
        "2024-03-01T14:30:00.123456789+01:00",
        "2024-02-29",
        "2024-03-01T14:30",
        "2024-12-31T23:59:59.5-05:00",
        "1970-01-01T00:00:00Z",
        "9998-12-31T23:59:59+23:59",
    ] {
        assert_eq!(reader.parse(text, None), reader.parse_slow(text, &utc), "{text}");
        assert!(reader.parse(text, None).is_some(), "{text}");
    }
    // The last representable day: both paths give the same answer, whatever it is.
    for text in ["9999-12-31T00:00-00:00", "9999-12-30T21:59:59Z", "9999-12-31", "9999-12-31T23:59:59Z"] {
        assert_eq!(reader.parse(text, None), reader.parse_slow(text, &utc), "{text}");
    }
}
