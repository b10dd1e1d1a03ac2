//! A log read on several threads gives what one thread gives, byte for byte: generated CSV logs
//! with quoted line breaks (in mapped and dropped columns), events out of order within a case,
//! interleaved cases, ties, CRLF and LF line ends, and facilities with and without zones.

use proptest::prelude::*;

use baton::mining::{LogOptions, read_log, summarize};
use baton::progress::Progress;

/// One event as generated: case, activity, seconds, role, facility.
type Row = (usize, usize, u32, usize, usize);

const ACTIVITIES: [&str; 6] = [
    "Order",
    "Chart, then sign",
    "Review \"urgent\"",
    "Reconcile\nwith care plan",
    "Hand off\r\nto RN",
    "Close",
];
const ROLES: [&str; 4] = ["RT", "RN", "", "MD"];
const FACILITIES: [&str; 3] = ["North", "", "Lakeview"];

/// A CSV field, quoted when it must be.
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

fn csv(rows: &[Row], crlf: bool, zone_less: bool) -> String {
    let end = if crlf { "\r\n" } else { "\n" };
    let mut out = format!("case,activity,timestamp,role,facility,notes{end}");
    for (i, &(case, activity, seconds, role, facility)) in rows.iter().enumerate() {
        let at = jiff::Timestamp::from_second(1_709_280_000 + i64::from(seconds)).unwrap();
        let time = if zone_less && i % 3 == 0 {
            at.strftime("%Y-%m-%d %H:%M:%S").to_string()
        } else {
            at.to_string()
        };
        // A dropped column with line breaks of its own, now and then.
        let notes = if i % 4 == 1 { "called twice,\nthen \"paged\"" } else { "" };
        out.push_str(&format!(
            "case-{case},{},{time},{},{},{}{end}",
            field(ACTIVITIES[activity]),
            field(ROLES[role]),
            field(FACILITIES[facility]),
            field(notes)
        ));
    }
    out
}

fn rows() -> impl Strategy<Value = Vec<Row>> {
    // Few distinct seconds so that ties happen; rows in any order, so cases interleave and a
    // case's events come out of order.
    prop::collection::vec(
        (0..25usize, 0..ACTIVITIES.len(), 0..40u32, 0..ROLES.len(), 0..FACILITIES.len()),
        1..160,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn every_thread_count_reads_the_same_log(rows in rows(), crlf: bool, zone_less: bool, threads in 2..9usize) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.csv");
        std::fs::write(&path, csv(&rows, crlf, zone_less)).unwrap();
        let mut options = LogOptions { threads: 1, ..LogOptions::default() };
        options.facility_zones.insert("lakeview".into(), "America/Chicago".into());
        let (one, one_report) = read_log(&path, &options, &Progress::none()).unwrap();
        let (many, many_report) =
            read_log(&path, &LogOptions { threads, ..options.clone() }, &Progress::none()).unwrap();
        let json = |agg| serde_json::to_string_pretty(&summarize(agg)).unwrap();
        prop_assert_eq!(json(&one), json(&many));
        // Really read in parts (a part in the middle of a quoted field would not read, and the
        // file would be read again on one thread).
        prop_assert_eq!(one_report.parts, 1);
        if rows.len() >= 4 * threads {
            prop_assert!(many_report.parts >= 2, "read in {} part(s)", many_report.parts);
        }
        prop_assert_eq!(one_report, baton::mining::ReadReport { parts: 1, ..many_report });
        // What a project keeps of it, too.
        prop_assert_eq!(
            baton::import::standalone_log(&one, "log"),
            baton::import::standalone_log(&many, "log")
        );
    }
}

#[test]
fn a_bad_record_in_a_later_part_gives_the_single_thread_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.csv");
    let mut text = String::from("case,activity,timestamp\n");
    for i in 0..400 {
        text.push_str(&format!("c{},\"Step\nnumber {}\",2024-03-01T08:{:02}:00Z\n", i % 37, i % 5, i % 60));
    }
    text.push_str("c1,Step,yesterday\n");
    std::fs::write(&path, &text).unwrap();
    let error = |threads| {
        read_log(&path, &LogOptions { threads, ..LogOptions::default() }, &Progress::none())
            .unwrap_err()
            .to_string()
    };
    let one = error(1);
    assert!(one.contains("line 802") && one.contains("yesterday"), "{one}");
    for threads in [2, 3, 8] {
        assert_eq!(error(threads), one);
    }
}

#[test]
fn a_gzipped_xes_log_read_in_a_pipeline_equals_one_thread() {
    use std::io::{Read, Write};
    let path = super::shared("hospital_log_high.xes.gz");
    let read = |threads| {
        read_log(&path, &LogOptions { threads, ..LogOptions::default() }, &Progress::none()).unwrap()
    };
    let (one, one_report) = read(1);
    let (piped, piped_report) = read(3);
    assert_eq!(summarize(&one), summarize(&piped));
    assert_eq!(baton::import::standalone_log(&one, "log"), baton::import::standalone_log(&piped, "log"));
    assert_eq!(one_report.parts, 1);
    assert!(piped_report.parts >= 5, "{} blocks", piped_report.parts);
    assert_eq!(one_report, baton::mining::ReadReport { parts: 1, ..piped_report });

    // A broken event far into the text: the error one thread gives, with its line.
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(&path).unwrap()).read_to_string(&mut text).unwrap();
    let at = text[text.len() * 2 / 3..].find("<event>").unwrap() + text.len() * 2 / 3;
    text.replace_range(at..at + 7, "<event/><event>");
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.xes.gz");
    let mut gz =
        flate2::write::GzEncoder::new(std::fs::File::create(&broken).unwrap(), flate2::Compression::fast());
    gz.write_all(text.as_bytes()).unwrap();
    gz.finish().unwrap();
    let error = |threads| {
        read_log(&broken, &LogOptions { threads, ..LogOptions::default() }, &Progress::none())
            .unwrap_err()
            .to_string()
    };
    let one = error(1);
    assert!(one.contains("an event has no attributes") && one.contains("line "), "{one}");
    assert_eq!(error(3), one);
}

/// A line of a log with no quote: fields with spaces around them, fewer or more fields than the
/// header, blank lines, LF or CRLF line ends.
fn plain_line((case, activity, seconds, role, shape, crlf): (usize, usize, u32, usize, u8, bool)) -> String {
    let end = if crlf { "\r\n" } else { "\n" };
    let at = jiff::Timestamp::from_second(1_709_280_000 + i64::from(seconds)).unwrap();
    let activity = ["Order", " Review ", "Close", "Sign\tout"][activity];
    let role = ["RN", "", " MD", "RT "][role];
    match shape {
        0 => end.to_string(),
        1 => format!("c{case},{activity},{at}{end}"),
        2 => format!("c{case},{activity},{at},{role},Lakeview,extra,fields{end}"),
        3 => format!(" c{case} ,{activity}, {at},{role},{end}"),
        4 => format!("c{case},{activity}{end}"),
        _ => format!("c{case},{activity},{at},{role},North{end}"),
    }
}

/// What reading `path` gives: its summary as JSON, or the error.
fn read_as(path: &std::path::Path, threads: usize, encoding: &str) -> Result<String, String> {
    let options = LogOptions { threads, encoding: Some(encoding.to_string()), ..LogOptions::default() };
    read_log(path, &options, &Progress::none())
        .map(|(agg, _)| serde_json::to_string_pretty(&summarize(&agg)).unwrap())
        .map_err(|e| e.to_string())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Text with no quote is split into lines and fields by hand; as Windows-1252 (the same text,
    /// as it is ASCII) it goes through the CSV parser. Both give the same log, or the same error.
    #[test]
    fn plain_lines_read_as_the_csv_parser_reads_them(
        lines in prop::collection::vec((0..9usize, 0..4usize, 0..30u32, 0..4usize, 0..12u8, any::<bool>()), 1..120),
        threads in 1..4usize,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.csv");
        let text: String = std::iter::once("case,activity,timestamp,role,facility\n".to_string())
            .chain(lines.into_iter().map(plain_line))
            .collect();
        std::fs::write(&path, text).unwrap();
        prop_assert_eq!(read_as(&path, threads, "utf-8"), read_as(&path, 1, "windows-1252"));
    }
}

/// A log of more than one block of plain text, then quoted line breaks: every run reads its plain
/// blocks by hand and the rest with the CSV parser, and the runs cut at the first line breaks
/// after even cuts are cut again once a quote turns up.
#[test]
fn plain_blocks_then_quoted_fields_read_as_the_csv_parser_reads_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.csv");
    let mut text = String::from("case,activity,timestamp,role,facility\n");
    for i in 0..80_000 {
        text.push_str(&format!(
            "c{},Step {},2024-03-01T08:{:02}:{:02}Z,RN,North\n",
            i % 977,
            i % 7,
            i % 60,
            i % 59
        ));
    }
    for i in 0..4_000 {
        text.push_str(&format!(
            "c{},\"Step\n{}\",2024-03-02T08:{:02}:00Z,\"R,N\",North\n",
            i % 977,
            i % 3,
            i % 60
        ));
    }
    assert!(text.len() > 3 << 20, "{} bytes: a run of three is over a block", text.len());
    std::fs::write(&path, &text).unwrap();
    let expected = read_as(&path, 1, "windows-1252").unwrap();
    for threads in [1, 2, 3] {
        assert_eq!(read_as(&path, threads, "utf-8").unwrap(), expected, "{threads} threads");
        let (_, report) =
            read_log(&path, &LogOptions { threads, ..LogOptions::default() }, &Progress::none()).unwrap();
        assert_eq!(report.parts, threads);
    }
}

/// A file whose first lines hold no quote, with a quoted field of many lines (lines that would not
/// read as events) where the first cut falls: the run before the cut meets the quote and gives
/// up, and the file is cut again by its quoting and read on two threads all the same.
#[test]
fn a_cut_inside_a_quoted_field_found_late_is_made_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.csv");
    let mut text = String::from("case,activity,timestamp,notes\n");
    let line = |text: &mut String, i: usize| {
        text.push_str(&format!("c{},Step {},2024-03-01T08:{:02}:00Z,\n", i % 97, i % 5, i % 60));
    };
    (0..3_000).for_each(|i| line(&mut text, i));
    text.push_str("c1,Step 1,2024-03-01T09:00:00Z,\"");
    text.push_str(&"c2,Step 2,yesterday\n".repeat(150_000));
    text.push_str("\"\n");
    (0..3_000).for_each(|i| line(&mut text, i));
    std::fs::write(&path, &text).unwrap();
    let expected = read_as(&path, 1, "windows-1252").unwrap();
    assert_eq!(read_as(&path, 2, "utf-8").unwrap(), expected);
    let (_, report) =
        read_log(&path, &LogOptions { threads: 2, ..LogOptions::default() }, &Progress::none()).unwrap();
    assert_eq!(report.parts, 2);
}
