//! Broken logs give an error naming the file, the line and what to do.

use baton::mining::{LogOptions, discover};
use baton::progress::Progress;

use super::write;

fn error_of(name: &str, bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, name, bytes);
    let e = discover(&path, &LogOptions::default(), &Progress::new()).unwrap_err();
    let text = e.to_string();
    assert!(text.contains(name), "the error names the file: {text}");
    text
}

const XES_HEAD: &str =
    "<?xml version=\"1.0\"?>\n<log>\n<trace>\n<string key=\"concept:name\" value=\"1\"/>\n";

#[test]
fn unparseable_timestamp_names_the_line() {
    let e = error_of("log.csv", b"case,activity,timestamp\n1,A,2024-03-01T08:00:00Z\n1,B,yesterday\n");
    assert!(e.contains("line 3") && e.contains("\"yesterday\"") && e.contains("ISO 8601"), "{e}");
}

#[test]
fn missing_column_lists_the_columns() {
    let e = error_of("log.csv", b"patient,activity,when\n1,A,2024-03-01\n");
    assert!(
        e.contains("no case column") && e.contains("--case") && e.contains("patient, activity, when"),
        "{e}"
    );
}

#[test]
fn empty_file_and_header_only() {
    assert!(error_of("log.csv", b"").contains("empty"));
    assert!(error_of("log.csv", b"case,activity,timestamp\n").contains("no events"));
}

#[test]
fn huge_single_field_is_refused() {
    let mut csv = b"case,activity,timestamp\n1,".to_vec();
    csv.extend(std::iter::repeat_n(b'x', 2 << 20));
    csv.extend_from_slice(b",2024-03-01\n");
    let e = error_of("log.csv", &csv);
    assert!(e.contains("line 2") && e.contains("limit"), "{e}");
}

#[test]
fn an_endless_line_is_refused_before_it_is_read_whole() {
    // A quoted field that never closes: the whole rest of the file would be one record.
    let mut csv = b"case,activity,timestamp\n1,\"".to_vec();
    csv.extend(std::iter::repeat_n(b'x', 6 << 20));
    let e = error_of("log.csv", &csv);
    assert!(e.contains("log.csv: line 2: the line is longer than the limit"), "{e}");
}

#[test]
fn wrong_encoding_says_which_to_choose() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "log.csv", b"case,activity,timestamp\n1,Pr\xfcfung,2024-03-01\n");
    let options = LogOptions { encoding: Some("utf-8".into()), ..LogOptions::default() };
    let e = discover(&path, &options, &Progress::new()).unwrap_err().to_string();
    assert!(e.contains("line 2") && e.contains("--encoding"), "{e}");
}

#[test]
fn truncated_xes() {
    let text = format!("{XES_HEAD}<event><string key=\"concept:name\" value=\"A\"/>");
    let e = error_of("log.xes", text.as_bytes());
    assert!(e.contains("truncated") || e.contains("well-formed"), "{e}");
    let text = format!(
        "{XES_HEAD}<event><string key=\"concept:name\" value=\"A\"/><date key=\"time:timestamp\" value=\"2024-03-01T08:00:00Z\"/></event></trace>\n"
    );
    assert!(error_of("log.xes", text.as_bytes()).contains("before </log>"));
}

#[test]
fn malformed_xes_names_the_line() {
    let text = format!("{XES_HEAD}<event><string key=\"concept:name\" value=\"A\"></event>\n</trace></log>");
    let e = error_of("log.xes", text.as_bytes());
    assert!(e.contains("line "), "{e}");
}

#[test]
fn xes_entity_expansion_is_refused() {
    let text = "<?xml version=\"1.0\"?>\n<!DOCTYPE log [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>\n\
        <log><trace><string key=\"concept:name\" value=\"&b;\"/></trace></log>";
    let e = error_of("log.xes", text.as_bytes());
    assert!(e.contains("entities") && e.contains("line 2"), "{e}");
}

#[test]
fn xes_unknown_entity_reference_is_an_error() {
    let text =
        format!("{XES_HEAD}<event><string key=\"concept:name\" value=\"&evil;\"/></event></trace></log>");
    let e = error_of("log.xes", text.as_bytes());
    assert!(e.contains("line 5"), "{e}");
}

#[test]
fn xes_event_without_timestamp() {
    let text = format!("{XES_HEAD}<event><string key=\"concept:name\" value=\"A\"/></event></trace></log>");
    let e = error_of("log.xes", text.as_bytes());
    assert!(e.contains("no timestamp") && e.contains("--timestamp"), "{e}");
}

#[test]
fn broken_gzip() {
    let e = error_of("log.xes.gz", &[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3]);
    assert!(e.contains("log.xes.gz"), "{e}");
}
