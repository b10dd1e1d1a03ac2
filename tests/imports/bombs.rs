//! Decompression bombs and oversized elements, generated here (so the repository stays small):
//! each import runs in a child process whose peak memory is measured, and each is refused with a
//! clear error at a peak under 512 MB.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What one child import did: its exit status, its error text and its peak resident memory.
struct Run {
    ok: bool,
    stderr: String,
    peak_mb: u64,
}

/// Runs `baton import KIND PROJECT SOURCE` as a child, measuring its peak RSS (the largest child's
/// `ru_maxrss`, read by a Python wrapper, as std offers no `wait4`).
fn import(kind: &str, project: &Path, source: &Path) -> Run {
    let wrapper = "import resource, subprocess, sys\n\
r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n\
sys.stderr.write(r.stderr)\n\
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n\
sys.exit(r.returncode)";
    let out = Command::new("python3")
        .arg("-c")
        .arg(wrapper)
        .arg(env!("CARGO_BIN_EXE_baton"))
        .args(["import", kind])
        .arg(project)
        .arg(source)
        .output()
        .expect("python3 runs the child");
    let peak_kb: u64 = String::from_utf8_lossy(&out.stdout).trim().parse().expect("ru_maxrss");
    Run {
        ok: out.status.success(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        peak_mb: peak_kb / 1024,
    }
}

/// Writes `parts` gzip-compressed, each (text, times) as one gzip member of `text` repeated
/// (members in a row inflate to their texts in a row): a large inflated size from little work.
fn gzip(path: &Path, parts: &[(&[u8], u64)]) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    for (text, times) in parts {
        // One member of up to 1 MiB of the text, written as many times as needed.
        let per_member = ((1u64 << 20) / text.len() as u64).clamp(1, *times);
        let block: Vec<u8> = text.iter().copied().cycle().take(text.len() * per_member as usize).collect();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&block).unwrap();
        let member = gz.finish().unwrap();
        for _ in 0..times / per_member {
            out.write_all(&member).unwrap();
        }
        let rest = (times % per_member) as usize * text.len();
        if rest > 0 {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            gz.write_all(&block[..rest]).unwrap();
            out.write_all(&gz.finish().unwrap()).unwrap();
        }
    }
    out.flush().unwrap();
}

/// A workbook (a zip) whose sheet is `sheet_bytes` of `fill`, deflated at `level`.
fn workbook(path: &Path, sheet_head: &[u8], fill: u8, sheet_bytes: u64, level: i64) {
    let file = std::fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(level))
        .large_file(sheet_bytes >= u64::from(u32::MAX));
    zip.start_file("[Content_Types].xml", deflated).unwrap();
    zip.write_all(b"<Types/>").unwrap();
    zip.start_file("xl/worksheets/sheet1.xml", deflated).unwrap();
    zip.write_all(sheet_head).unwrap();
    let block = vec![fill; 1 << 20];
    for _ in 0..sheet_bytes >> 20 {
        zip.write_all(&block).unwrap();
    }
    zip.finish().unwrap();
}

const MB: u64 = 1 << 20;

#[test]
fn every_bomb_is_refused_clearly_within_512_mb() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p.baton");
    drop(baton::Project::create(&project, "P").unwrap());
    let mut cases: Vec<(&str, PathBuf, &str)> = Vec::new();

    // One XES element (an attribute value) that inflates to 1 GiB.
    let element = dir.path().join("one-element.xes.gz");
    gzip(
        &element,
        &[
            (b"<log><trace><string key=\"concept:name\" value=\"", 1),
            (b"A", 1 << 30),
            (b"\"/></trace></log>", 1),
        ],
    );
    cases.push(("log", element, "an element is larger than the limit of 1048576 bytes"));

    // Well-formed events, repeated: small elements, but 1 GiB inflated from about 1 MB.
    let ratio = dir.path().join("many-events.xes.gz");
    let event: &[u8] = b"<event><string key=\"concept:name\" value=\"Assess\"/><date key=\"time:timestamp\" value=\"2026-03-01T08:00:00Z\"/></event>";
    gzip(
        &ratio,
        &[
            (b"<log><trace><string key=\"concept:name\" value=\"c1\"/>", 1),
            (event, (1 << 30) / event.len() as u64),
        ],
    );
    cases.push(("log", ratio, "inflates more than 200 times its compressed size"));

    // A workbook padded to 200 MiB: refused by its declared size before anything inflates.
    let padded = dir.path().join("padded.xlsx");
    workbook(&padded, b"<worksheet><sheetData>", b' ', 200 * MB, 1);
    cases.push(("status", padded, "over the limit of 128 MiB for one part of a workbook"));

    // A workbook whose sheet is within the declared limit but inflates a thousand times.
    let steep = dir.path().join("steep.xlsx");
    workbook(&steep, b"<worksheet><sheetData>", 0, 100 * MB, 9);
    cases.push(("status", steep, "inflates more than 200 times its compressed size"));

    for (kind, source, words) in &cases {
        let name = source.file_name().unwrap().to_string_lossy().into_owned();
        let compressed_kb = std::fs::metadata(source).unwrap().len() >> 10;
        let run = import(kind, &project, source);
        assert!(!run.ok, "{name} was accepted");
        assert!(run.stderr.contains(&name), "{name}: the error names the file: {}", run.stderr);
        assert!(run.stderr.contains(words), "{name}: expected {words:?} in: {}", run.stderr);
        assert!(run.peak_mb < 512, "{name}: peak RSS {} MB", run.peak_mb);
        eprintln!("{name} ({compressed_kb} KiB): refused at a peak of {} MB", run.peak_mb);
    }
    let p = baton::Project::open(&project).unwrap();
    assert!(p.model().unwrap().logs.is_empty(), "nothing was imported");
}
