//! Parquet event logs: the same events as a CSV log give the same discovery, whatever the row
//! groups, codec and thread count; timestamps as instants, wall-clock times, dates or text;
//! nulls in optional columns; and clear errors for what is not an event log.

use std::path::Path;
use std::sync::Arc;

use parquet::basic::Compression;
use parquet::data_type::{ByteArray, ByteArrayType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;

use baton::mining::{LogColumns, LogOptions, read_log, summarize};
use baton::progress::Progress;

/// (case, activity, microseconds, role or none, facility or none).
type Row = (String, String, i64, Option<String>, Option<String>);

fn rows(n: usize) -> Vec<Row> {
    let activities = ["Order", "Chart, then sign", "Review \"urgent\"", "Reconcile", "Close"];
    (0..n)
        .map(|i| {
            (
                format!("case-{}", (i * 7) % 23),
                activities[(i * 3) % activities.len()].to_string(),
                1_709_280_000_000_000 + ((i * 37) % 50) as i64 * 60_000_000 + (i % 3) as i64,
                (i % 4 != 0).then(|| ["RT", "RN", "MD"][i % 3].to_string()),
                (i % 5 != 0).then(|| ["North", "Lakeview"][i % 2].to_string()),
            )
        })
        .collect()
}

/// The rows as a Parquet file in `groups` row groups; the time as TIMESTAMP(MICROS, utc) or,
/// with `text`, as ISO text.
fn write_parquet(path: &Path, rows: &[Row], groups: usize, text: bool, compression: Compression) {
    write_parquet_as(path, rows, groups, text, WriterProperties::builder().set_compression(compression));
}

/// The ways a writer may lay out text columns: dictionary pages (version 1 or 2 data pages),
/// a dictionary that overflows into plain pages, plain pages only, and delta encoding.
fn layouts() -> Vec<(&'static str, parquet::file::properties::WriterPropertiesBuilder)> {
    use parquet::basic::Encoding;
    use parquet::file::properties::WriterVersion;
    let small_pages =
        || WriterProperties::builder().set_data_page_row_count_limit(16).set_write_batch_size(16);
    vec![
        ("dictionary, version 1 pages", small_pages()),
        ("dictionary, version 2 pages", small_pages().set_writer_version(WriterVersion::PARQUET_2_0)),
        ("a dictionary that overflows", small_pages().set_dictionary_page_size_limit(24)),
        (
            "a dictionary that overflows, version 2 pages",
            small_pages().set_dictionary_page_size_limit(24).set_writer_version(WriterVersion::PARQUET_2_0),
        ),
        ("plain pages", small_pages().set_dictionary_enabled(false)),
        ("delta encoding", {
            let mut props =
                small_pages().set_dictionary_enabled(false).set_writer_version(WriterVersion::PARQUET_2_0);
            for column in ["case_id", "activity", "ts", "role", "facility"] {
                props = props.set_column_encoding(column.into(), Encoding::DELTA_BYTE_ARRAY);
            }
            props
        }),
    ]
}

fn write_parquet_as(
    path: &Path,
    rows: &[Row],
    groups: usize,
    text: bool,
    props: parquet::file::properties::WriterPropertiesBuilder,
) {
    let time =
        if text { "optional binary ts (STRING)" } else { "required int64 ts (TIMESTAMP(MICROS,true))" };
    let schema = parse_message_type(&format!(
        "message log {{ required binary case_id (STRING); required binary activity (STRING); {time}; \
         optional binary role (STRING); optional binary facility (STRING); optional int64 bed; }}"
    ))
    .unwrap();
    let props = Arc::new(props.build());
    let mut writer =
        SerializedFileWriter::new(std::fs::File::create(path).unwrap(), Arc::new(schema), props).unwrap();
    for chunk in rows.chunks(rows.len().div_ceil(groups).max(1)) {
        let mut group = writer.next_row_group().unwrap();
        let mut column = 0;
        while let Some(mut c) = group.next_column().unwrap() {
            let text_of = |f: &dyn Fn(&Row) -> Option<String>| -> (Vec<ByteArray>, Vec<i16>) {
                let vals: Vec<Option<String>> = chunk.iter().map(f).collect();
                let defs = vals.iter().map(|v| i16::from(v.is_some())).collect();
                (vals.into_iter().flatten().map(|v| ByteArray::from(v.as_str())).collect(), defs)
            };
            match column {
                0 | 1 => {
                    let (v, _) =
                        text_of(&|r: &Row| Some(if column == 0 { r.0.clone() } else { r.1.clone() }));
                    c.typed::<ByteArrayType>().write_batch(&v, None, None).unwrap();
                }
                2 if text => {
                    let (v, d) =
                        text_of(&|r: &Row| Some(jiff::Timestamp::from_microsecond(r.2).unwrap().to_string()));
                    c.typed::<ByteArrayType>().write_batch(&v, Some(&d), None).unwrap();
                }
                2 => {
                    let v: Vec<i64> = chunk.iter().map(|r| r.2).collect();
                    c.typed::<Int64Type>().write_batch(&v, None, None).unwrap();
                }
                3 | 4 => {
                    let (v, d) = text_of(&|r: &Row| if column == 3 { r.3.clone() } else { r.4.clone() });
                    c.typed::<ByteArrayType>().write_batch(&v, Some(&d), None).unwrap();
                }
                _ => {
                    let d: Vec<i16> = (0..chunk.len()).map(|i| i16::from(i % 2 == 0)).collect();
                    let v: Vec<i64> = (0..chunk.len()).filter(|i| i % 2 == 0).map(|i| i as i64).collect();
                    c.typed::<Int64Type>().write_batch(&v, Some(&d), None).unwrap();
                }
            }
            c.close().unwrap();
            column += 1;
        }
        group.close().unwrap();
    }
    writer.close().unwrap();
}

fn write_csv(path: &Path, rows: &[Row]) {
    let mut out = String::from("case_id,activity,ts,role,facility\n");
    for r in rows {
        let time = jiff::Timestamp::from_microsecond(r.2).unwrap();
        out.push_str(&format!(
            "{},\"{}\",{time},{},{}\n",
            r.0,
            r.1.replace('"', "\"\""),
            r.3.clone().unwrap_or_default(),
            r.4.clone().unwrap_or_default()
        ));
    }
    std::fs::write(path, out).unwrap();
}

fn columns() -> LogColumns {
    LogColumns {
        case: Some("case_id".into()),
        activity: Some("activity".into()),
        timestamp: Some("ts".into()),
        role: Some("role".into()),
        facility: Some("facility".into()),
        ..LogColumns::default()
    }
}

fn discovery(path: &Path, threads: usize) -> String {
    let options = LogOptions { columns: columns(), threads, ..LogOptions::default() };
    let (agg, _) = read_log(path, &options, &Progress::none()).unwrap();
    serde_json::to_string_pretty(&summarize(&agg)).unwrap()
}

#[test]
fn a_parquet_log_reads_as_the_same_csv_log_whatever_its_row_groups_and_threads() {
    let dir = tempfile::tempdir().unwrap();
    let rows = rows(700);
    let csv = dir.path().join("log.csv");
    write_csv(&csv, &rows);
    let expected = discovery(&csv, 1);
    for (groups, text, compression) in [
        (1, false, Compression::SNAPPY),
        (5, false, Compression::UNCOMPRESSED),
        (7, true, Compression::GZIP(Default::default())),
        (3, false, Compression::ZSTD(Default::default())),
        (4, true, Compression::LZ4_RAW),
    ] {
        let path = dir.path().join(format!("log-{groups}-{text}.parquet"));
        write_parquet(&path, &rows, groups, text, compression);
        for threads in [1, 2, 3] {
            assert_eq!(
                discovery(&path, threads),
                expected,
                "{groups} groups, text times {text}, {threads} threads"
            );
        }
    }
    // Each way of laying out the text columns reads the same (each row group's pages read
    // straight, or by the general reader).
    for (layout, props) in layouts() {
        let path = dir.path().join("layout.parquet");
        write_parquet_as(&path, &rows, 3, true, props);
        for threads in [1, 2] {
            assert_eq!(discovery(&path, threads), expected, "{layout}, {threads} threads");
        }
    }
    // Detected by its content too, and its unmapped column dropped.
    let path = dir.path().join("log-1-false.parquet");
    let renamed = dir.path().join("export.bin");
    std::fs::copy(&path, &renamed).unwrap();
    let (_, report) =
        read_log(&renamed, &LogOptions { columns: columns(), ..LogOptions::default() }, &Progress::none())
            .unwrap();
    assert_eq!(report.format, Some(baton::mining::LogFormat::Parquet));
    assert_eq!(report.dropped, ["bed"]);
    let preview = baton::mining::preview_log(&path, &LogOptions::default()).unwrap();
    assert_eq!(preview.headers, ["case_id", "activity", "ts", "role", "facility", "bed"]);
    assert_eq!(preview.rows.len(), 20);
    assert_eq!(preview.rows[0][1], "Order");
}

#[test]
fn what_is_not_a_parquet_event_log_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let rows = rows(50);
    let good = dir.path().join("good.parquet");
    write_parquet(&good, &rows, 2, false, Compression::SNAPPY);
    let error = |path: &Path, columns: LogColumns| {
        read_log(path, &LogOptions { columns, ..LogOptions::default() }, &Progress::none())
            .unwrap_err()
            .to_string()
    };
    // Truncated: the footer is gone.
    let bytes = std::fs::read(&good).unwrap();
    let truncated = dir.path().join("truncated.parquet");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let e = error(&truncated, columns());
    assert!(e.contains("truncated.parquet") && e.contains("not a readable Parquet file"), "{e}");
    // A column that is not there.
    let e = error(&good, LogColumns { activity: Some("step".into()), ..columns() });
    assert!(
        e.contains("no column named \"step\" for the activity") && e.contains("case_id, activity"),
        "{e}"
    );
    // A number where a time is wanted.
    let e = error(&good, LogColumns { timestamp: Some("bed".into()), ..columns() });
    assert!(e.contains("column \"bed\" holds INT64") && e.contains("the timestamp must be"), "{e}");
    // A time that is not a time names its row: the first row's role is empty.
    let e = error(&good, LogColumns { timestamp: Some("role".into()), ..columns() });
    assert!(e.contains("row 1:") && e.contains("cannot read the timestamp \"\""), "{e}");
    // A footer that places a column before the start of the file (the parquet crate would
    // panic on it) is refused with the column named.
    let negative = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz-corpus/log_parquet/negative-chunk-offset.parquet");
    let e = error(&negative, columns());
    assert!(e.contains("row group 1: column \"role\" claims to lie at byte -5"), "{e}");
    // A page header with a list of booleans counting 2³¹ (which the parquet crate would skip one
    // element at a time, for seconds a list) is refused before the crate reads it.
    let booleans = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz-corpus/log_parquet/page-header-list-of-booleans.parquet");
    let e = error(&booleans, columns());
    assert!(e.contains("row group 1: column \"ts\" has a damaged page header (a list holds booleans"), "{e}");
    // So is a footer with one, in a field no reader knows.
    let footer_length = |bytes: &[u8]| {
        let n = bytes.len();
        u32::from_le_bytes(bytes[n - 8..n - 4].try_into().unwrap()) as usize
    };
    let n = bytes.len();
    let length = footer_length(&bytes);
    let mut hostile = bytes[..n - 9].to_vec(); // up to the footer's closing stop
    hostile.extend([0x09, 0xc8, 0x01, 0xf1, 0xff, 0xff, 0xff, 0xff, 0x07, 0x00]);
    hostile.extend(u32::try_from(length + 9).unwrap().to_le_bytes());
    hostile.extend(b"PAR1");
    let path = dir.path().join("footer.parquet");
    std::fs::write(&path, &hostile).unwrap();
    let e = error(&path, columns());
    assert!(e.contains("footer: the footer is damaged (a list holds booleans"), "{e}");
    let preview = baton::mining::preview_log(&path, &LogOptions::default()).unwrap_err().to_string();
    assert!(preview.contains("the footer is damaged"), "{preview}");
}

/// Writes the Parquet cases of the bad-input corpus (`tests/corpus/`, checked by
/// `tests/imports/corpus.rs`): `BATON_WRITE_CORPUS=1 cargo test -p baton --test mining
/// write_parquet_corpus -- --ignored`, then commit them.
#[test]
#[ignore = "writes the committed corpus files"]
fn write_parquet_corpus() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let rows = rows(40);
    let good = corpus.join("log-parquet-truncated.parquet");
    write_parquet(&good, &rows, 2, false, Compression::SNAPPY);
    let bytes = std::fs::read(&good).unwrap();
    std::fs::write(&good, &bytes[..bytes.len() * 2 / 3]).unwrap();
    // A header that names no activity column.
    let schema = parse_message_type(
        "message log { required binary case_id (STRING); required int64 ts (TIMESTAMP(MICROS,true)); }",
    )
    .unwrap();
    let props = Arc::new(WriterProperties::builder().build());
    let path = corpus.join("log-parquet-missing-activity.parquet");
    let mut writer =
        SerializedFileWriter::new(std::fs::File::create(&path).unwrap(), Arc::new(schema), props).unwrap();
    let mut group = writer.next_row_group().unwrap();
    let mut c = group.next_column().unwrap().unwrap();
    c.typed::<ByteArrayType>().write_batch(&[ByteArray::from("a")], None, None).unwrap();
    c.close().unwrap();
    let mut c = group.next_column().unwrap().unwrap();
    c.typed::<Int64Type>().write_batch(&[1_709_280_000_000_000], None, None).unwrap();
    c.close().unwrap();
    group.close().unwrap();
    writer.close().unwrap();
    // The time is a floating-point number.
    let schema = parse_message_type(
        "message log { required binary case_id (STRING); required binary activity (STRING); required double timestamp; }",
    )
    .unwrap();
    let props = Arc::new(WriterProperties::builder().build());
    let path = corpus.join("log-parquet-wrong-type.parquet");
    let mut writer =
        SerializedFileWriter::new(std::fs::File::create(&path).unwrap(), Arc::new(schema), props).unwrap();
    let mut group = writer.next_row_group().unwrap();
    for k in 0..3 {
        let mut c = group.next_column().unwrap().unwrap();
        if k < 2 {
            c.typed::<ByteArrayType>().write_batch(&[ByteArray::from("x")], None, None).unwrap();
        } else {
            c.typed::<parquet::data_type::DoubleType>().write_batch(&[1.5], None, None).unwrap();
        }
        c.close().unwrap();
    }
    group.close().unwrap();
    writer.close().unwrap();
    // One huge row group of one long value, stored in a few kilobytes: inflates without bound.
    let schema = parse_message_type(
        "message log { required binary case_id (STRING); required binary activity (STRING); required binary timestamp (STRING); }",
    )
    .unwrap();
    let props = Arc::new(
        WriterProperties::builder()
            .set_dictionary_enabled(false)
            .set_compression(Compression::ZSTD(Default::default()))
            .set_data_page_size_limit(64 << 20)
            .build(),
    );
    let path = corpus.join("log-parquet-huge-row-group.parquet");
    let mut writer =
        SerializedFileWriter::new(std::fs::File::create(&path).unwrap(), Arc::new(schema), props).unwrap();
    let mut group = writer.next_row_group().unwrap();
    let long = "x".repeat(200);
    let n = 400_000;
    for k in 0..3 {
        let value = match k {
            0 => "case".to_string(),
            1 => long.clone(),
            _ => "2024-03-01T08:00:00Z".to_string(),
        };
        let values = vec![ByteArray::from(value.as_str()); n];
        let mut c = group.next_column().unwrap().unwrap();
        c.typed::<ByteArrayType>().write_batch(&values, None, None).unwrap();
        c.close().unwrap();
    }
    group.close().unwrap();
    writer.close().unwrap();
}

/// Writes the seeds of the `log_parquet` fuzz corpus (`tests/fuzz-corpus/log_parquet/`): event
/// logs in every codec, and damaged copies (cut short, bytes flipped in pages and footer).
/// `BATON_WRITE_CORPUS=1 cargo test -p baton --test mining write_parquet_fuzz_seeds -- --ignored`.
#[test]
#[ignore = "writes the committed corpus files"]
fn write_parquet_fuzz_seeds() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-corpus/log_parquet");
    std::fs::create_dir_all(&dir).unwrap();
    let rows = rows(60);
    for (name, groups, text, compression) in [
        ("snappy", 2, false, Compression::SNAPPY),
        ("plain", 1, true, Compression::UNCOMPRESSED),
        ("gzip", 3, false, Compression::GZIP(Default::default())),
        ("zstd", 2, true, Compression::ZSTD(Default::default())),
        ("lz4", 1, false, Compression::LZ4_RAW),
    ] {
        let path = dir.join(format!("{name}.parquet"));
        write_parquet(&path, &rows, groups, text, compression);
        let bytes = std::fs::read(&path).unwrap();
        // Damaged copies: every 97th byte flipped after the magic number, one at a time.
        for (k, at) in (4..bytes.len() - 8).step_by(97).enumerate().take(12) {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x5a;
            std::fs::write(dir.join(format!("{name}-flip-{k:02}.parquet")), damaged).unwrap();
        }
        std::fs::write(dir.join(format!("{name}-short.parquet")), &bytes[..bytes.len() - 9]).unwrap();
    }
}
