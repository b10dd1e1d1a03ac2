//! The findings report: HTML and Markdown snapshots of the sample, deterministic bytes, the PDF
//! (opens, page count, text), the chosen sections, facilities and workflows, dismissed findings
//! in their appendix only, and no identifier from the raw inputs.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use baton::Project;
use baton::progress::Progress;
use baton::report::{self, Format, ReportOptions, Section};

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-projects/respiratory-network")
}

fn sample_project() -> Project {
    Project::in_memory("Respiratory care network", &baton::bundle::read_dir(&sample()).unwrap()).unwrap()
}

/// The sample as a project file, made as a consultant would, with its raw inputs imported.
fn sample_file(dir: &tempfile::TempDir) -> PathBuf {
    let file = dir.path().join("s.baton");
    let out = Command::new(env!("CARGO_BIN_EXE_baton"))
        .args(["new", file.to_str().unwrap(), "--bundle", sample().to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    file
}

fn html(p: &Project, options: &ReportOptions) -> String {
    report::html::render(&report::report(&p.model().unwrap(), options, &Progress::none()).unwrap())
}

#[test]
fn the_sample_report_as_html_and_markdown() {
    let p = sample_project();
    let r = report::report(&p.model().unwrap(), &ReportOptions::default(), &Progress::none()).unwrap();
    insta::assert_snapshot!("sample_html", report::html::render(&r));
    insta::assert_snapshot!("sample_markdown", report::markdown::render(&r, "report-diagrams"));
}

#[test]
fn the_same_project_gives_the_same_bytes() {
    // From the bundle twice, and from a project file made from it with its inputs imported.
    let dir = tempfile::tempdir().unwrap();
    let file = sample_file(&dir);
    let options = ReportOptions::default();
    let a = html(&sample_project(), &options);
    assert_eq!(a, html(&sample_project(), &options));
    assert_eq!(a, html(&Project::open(&file).unwrap(), &options));
    let r = report::report(&sample_project().model().unwrap(), &options, &Progress::none()).unwrap();
    assert_eq!(report::markdown::render(&r, "d"), report::markdown::render(&r, "d"));
    // The date is the project's report date, unless asked otherwise.
    assert_eq!(r.date, "2026-11-20");
    let asked = ReportOptions { date: Some("2026-12-01".into()), ..ReportOptions::default() };
    assert_eq!(
        report::report(&sample_project().model().unwrap(), &asked, &Progress::none()).unwrap().date,
        "2026-12-01"
    );
}

#[test]
fn the_report_says_what_the_engagement_found_and_measured() {
    let text = html(&sample_project(), &ReportOptions::default());
    for expected in [
        "Meridian Respiratory Care Network",
        "Dana Whitfield (lead consultant)",
        "2026-11-20",
        // Executive summary with counts, and the telemetry claim.
        "7 interviews with 4 roles at 3 facilities",
        "version 2 lowered the reassignment rate from 20.0% to 7.5%",
        // The EMR value x business state x facility matrix.
        "EMR values against business states",
        // Proposals with validation and the diff.
        "Validation: no problems",
        "Changes from version 1",
        // Telemetry results, per step across versions, and the definitions.
        "Reconciled by RN",
        "larger than the noise (z = -3.80)",
        "How the measures are computed",
        // Sign-offs and the appendix of evidence.
        "Dr. Amara Okafor",
        "Interview quotes",
    ] {
        assert!(text.contains(&baton::xml::escape(expected)), "missing {expected:?}");
    }
    // Self-contained: no external resource.
    assert!(!text.contains("<link") && !text.contains("<script") && !text.contains("src=\"http"));
    assert_eq!(text.matches("<svg").count(), 4, "two current-state maps and two versions");
}

#[test]
fn dismissed_findings_are_only_in_their_appendix_with_the_reason() {
    let p = sample_project();
    let r = report::report(&p.model().unwrap(), &ReportOptions::default(), &Progress::none()).unwrap();
    let title = "Documentation Status “Pending Review” is never used";
    for c in &r.chapters {
        let text = serde_json::to_string(&c.blocks).unwrap();
        if c.id == "dismissed" {
            assert!(text.contains(title) && text.contains("the export predates its go-live"), "{text}");
        } else {
            assert!(!text.contains(title), "dismissed finding in chapter {}", c.id);
        }
    }
}

#[test]
fn sections_facilities_and_workflows_can_be_chosen() {
    let p = sample_project();
    let options = ReportOptions {
        sections: [Section::Summary, Section::Scope, Section::Evidence].into_iter().collect(),
        facilities: vec!["lakeview".into()],
        workflows: vec!["respiratory-assessment".into()],
        date: None,
    };
    let r = report::report(&p.model().unwrap(), &options, &Progress::none()).unwrap();
    let ids: Vec<&str> = r.chapters.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["summary", "scope", "evidence"], "no findings chapter, so no dismissed appendix");
    let text = report::html::render(&r);
    // Only Lakeview's interviews, quotes and counts (a finding about several facilities, one of
    // them Lakeview, still names the others in its title).
    assert!(text.contains("<td>Lakeview Pulmonary Clinic</td>"));
    for other in ["Riverside Community Hospital", "North Campus Hospital"] {
        assert!(!text.contains(&format!("<td>{other}</td>")), "{other} in a table");
        assert!(!text.contains(&format!("<th>{other}</th>")), "{other} as a column");
        assert!(!text.contains(&format!(", {other}), on")), "a quote from {other}");
    }
    assert!(text.contains(", Lakeview Pulmonary Clinic), on"), "Lakeview's quotes");
    assert!(!text.contains("Oxygen titration order"));
    assert!(!text.contains("<svg"), "no diagram chapter was chosen");
}

#[test]
fn no_identifier_of_the_raw_inputs_reaches_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let file = sample_file(&dir);
    let p = Project::open(&file).unwrap();
    let r = report::report(&p.model().unwrap(), &ReportOptions::default(), &Progress::none()).unwrap();
    let text = format!("{}{}", report::html::render(&r), report::markdown::render(&r, "d"));
    // Patient numbers, encounter ids, staff names and task ids of the inputs.
    for phi in ["MRN1747072", "MRN9214187", "E00001", "RT staff 1", "T00001", "staff-39"] {
        assert!(!text.contains(phi), "{phi} reached the report");
    }
}

#[test]
fn markdown_links_its_diagrams_as_files_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("findings.md");
    let written = report::write_report(
        &sample_project().model().unwrap(),
        &ReportOptions::default(),
        Format::Markdown,
        &out,
        &Progress::new(),
    )
    .unwrap();
    assert_eq!(written.len(), 5, "{written:?}");
    let md = std::fs::read_to_string(&out).unwrap();
    for path in &written[1..] {
        let rel = path.strip_prefix(dir.path()).unwrap().to_string_lossy().replace('\\', "/");
        assert!(rel.starts_with("findings-diagrams/"), "{rel}");
        assert!(md.contains(&format!("]({rel})")), "{rel} is not linked");
        assert!(std::fs::read_to_string(path).unwrap().starts_with("<svg"));
    }
}

fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name} (poppler-utils) is needed: {e}"));
    assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_pdf_opens_with_the_expected_pages_and_text() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.pdf");
    report::write_report(
        &sample_project().model().unwrap(),
        &ReportOptions::default(),
        Format::Pdf,
        &out,
        &Progress::new(),
    )
    .unwrap();
    let path = out.to_str().unwrap();
    let info = tool("pdfinfo", &[path]);
    let pages: u32 = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .map(|n| n.trim().parse().unwrap())
        .expect("page count");
    assert_eq!(pages, 22, "{info}");
    assert!(info.contains("595.276 x 841.89 pts (A4)"), "{info}");
    let fonts = tool("pdffonts", &[path]);
    assert!(fonts.lines().skip(2).all(|l| l.contains(" yes ")), "every font embedded:\n{fonts}");
    // Words in reading order, whitespace (line breaks in table cells) collapsed.
    let text = tool("pdftotext", &[path, "-"]).split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "Respiratory care network",
        "Findings report",
        "Meridian Respiratory Care Network",
        "Executive summary",
        "Appendix: dismissed findings",
        "the export predates",
        "Dr. Amara Okafor",
        "20.0%",
        "7.5%",
        "Where each workflow stands",
        "Respiratory assessment: data-centric integration → orchestrator + telemetry",
        "How each answer is decided",
    ] {
        assert!(text.contains(expected), "missing {expected:?}");
    }
    // Diagrams are vector drawings with their labels as text, not pictures.
    assert!(text.contains("Reconciled by RN") && text.contains("Charted by RT"));
    assert!(
        !tool("pdfimages", &["-list", path]).lines().skip(2).any(|l| !l.trim().is_empty()),
        "no raster images"
    );
}

#[test]
fn free_text_is_scanned_for_patient_identifiers() {
    use baton::phi::scan_text;
    let kinds =
        |text: &str| scan_text(text).into_iter().map(|(k, t)| format!("{k}: {t}")).collect::<Vec<_>>();
    assert_eq!(kinds("Bed 4, MRN 00482913, asked twice"), ["medical record number: MRN 00482913"]);
    assert_eq!(kinds("call her daughter on (312) 555-0199"), ["phone number: (312) 555-0199"]);
    assert_eq!(kinds("DOB 03/04/1961, allergic"), ["date of birth: DOB 03/04/1961"]);
    assert_eq!(kinds("born 1958-07-21"), ["date of birth: born 1958-07-21"]);
    assert_eq!(kinds("SSN 123-45-6789"), ["social security number: 123-45-6789"]);
    assert_eq!(kinds("lives at 42 Maple Street"), ["street address: 42 Maple Street"]);
    assert_eq!(kinds("Mrs. Alvarez refused"), ["patient name: Mrs. Alvarez"]);
    assert_eq!(kinds("mail j.doe@example.org"), ["e-mail address: j.doe@example.org"]);
    // Engagement text is not flagged: recent dates, clinicians, durations, counts.
    for clean in [
        "Interviewed on 2026-09-14 at 07:30",
        "Approved by Dr. Amara Okafor",
        "escalate after PT2H; 10.9 h median wait",
        "Documentation Status Complete: 8920 records",
    ] {
        assert!(scan_text(clean).is_empty(), "{clean:?} flagged: {:?}", scan_text(clean));
    }
    // The sample holds none.
    assert_eq!(baton::phi::scan_model(&baton::bundle::read_dir(&sample()).unwrap()), []);
}

#[test]
fn the_report_command_names_free_text_to_redact() {
    let dir = tempfile::tempdir().unwrap();
    let file = sample_file(&dir);
    set_notes(&file, "RN-7", "Covered bed 12 for Mrs. Alvarez, MRN 00482913.");
    let out = Command::new(env!("CARGO_BIN_EXE_baton"))
        .args(["report", file.to_str().unwrap(), "--format", "md", "-o"])
        .arg(dir.path().join("r.md"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("interview RN-7 (notes)") && stderr.contains("patient name: Mrs. Alvarez"),
        "{stderr}"
    );
    assert!(stderr.contains("medical record number: MRN 00482913"), "{stderr}");
    // Interview notes are not in the report at all.
    assert!(!std::fs::read_to_string(dir.path().join("r.md")).unwrap().contains("Alvarez"));
}

/// Sets the notes of the interview `alias` in the project file.
fn set_notes(file: &Path, alias: &str, notes: &str) {
    let mut p = Project::open(file).unwrap();
    let i = p.model().unwrap().interviews.iter().find(|i| i.alias == alias).unwrap().clone();
    let input = baton::interviews::InterviewInput {
        role_id: i.role_id.clone(),
        facility_id: i.facility_id.clone(),
        shift: i.shift.clone(),
        alias: i.alias.clone(),
        date: i.date.clone(),
        interviewer: i.interviewer.clone(),
        notes: notes.into(),
        workflows: i.workflows.clone(),
    };
    p.update_interview(&i.id, &input).unwrap();
}

fn baton(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_baton")).args(args).output().unwrap()
}

#[test]
fn free_text_is_listed_and_redacted_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = sample_file(&dir);
    let f = file.to_str().unwrap();
    let clean = baton(&["phi", f]);
    assert!(clean.status.success(), "the sample is clean");
    set_notes(&file, "RN-7", "Mrs. Alvarez called from (312) 555-0199 about bed 12.");
    set_notes(&file, "RT-3", "Same caller, (312) 555-0199, again.");

    let listed = baton(&["phi", f, "--json"]);
    assert_eq!(listed.status.code(), Some(1), "a check that finds something exits 1");
    let found: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    let lines: Vec<String> = found
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} | {} | {}",
                f["place"].as_str().unwrap(),
                f["kind"].as_str().unwrap(),
                f["text"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            "interview RN-7 (notes) | patient name | Mrs. Alvarez",
            "interview RN-7 (notes) | phone number | (312) 555-0199",
            "interview RT-3 (notes) | phone number | (312) 555-0199",
        ]
    );
    let m = Project::open(&file).unwrap().model().unwrap();
    let rn = m.interviews.iter().find(|i| i.alias == "RN-7").unwrap();
    assert_eq!(baton::phi::scan_interview(&m, "RN-7").len(), 2);
    assert_eq!(baton::phi::scan_interview(&m, "RT-3").len(), 1);
    assert_eq!(baton::phi::scan_interview(&m, "RT-1"), []);

    // A text that is not there: an error that says so, and nothing changes.
    let before = std::fs::read(&file).unwrap();
    let missing = baton(&["redact", f, "(312) 555-0199", "Mr. Nobody"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("“Mr. Nobody” is not in the project's text"));
    assert_eq!(std::fs::read(&file).unwrap(), before, "nothing redacted when one text is missing");

    let redacted = baton(&["redact", f, "(312) 555-0199", "Mrs. Alvarez"]);
    assert!(redacted.status.success(), "{}", String::from_utf8_lossy(&redacted.stderr));
    assert_eq!(
        String::from_utf8_lossy(&redacted.stdout),
        "redacted \"(312) 555-0199\" in 2 fields\nredacted \"Mrs. Alvarez\" in 1 field\n"
    );
    assert!(String::from_utf8_lossy(&redacted.stderr).contains("redaction is permanent"));
    assert!(baton(&["phi", f]).status.success(), "nothing left to flag");
    let mut p = Project::open(&file).unwrap();
    let notes =
        |p: &Project| p.model().unwrap().interviews.iter().find(|i| i.id == rn.id).unwrap().notes.clone();
    assert_eq!(notes(&p), "[redacted] called from [redacted] about bed 12.");
    // Permanent: undo takes back the edit before it (which set the notes), and that brings back
    // the redacted text, not the original; no byte of the file or its log holds the original.
    p.undo().unwrap();
    assert!(!notes(&p).contains("Alvarez"));
    drop(p);
    let mut raw = std::fs::read(&file).unwrap();
    raw.extend(std::fs::read(file.with_extension("baton-wal")).unwrap_or_default());
    for text in ["Alvarez", "555-0199"] {
        assert!(
            !raw.windows(text.len()).any(|w| w == text.as_bytes()),
            "{text} is still somewhere in the project's files"
        );
    }

    // Text entered on the command line is checked as it is entered.
    let signed = baton(&[
        "signoff",
        f,
        "--workflow",
        "respiratory-assessment",
        "--version",
        "2",
        "--name",
        "Dr. Lee",
        "--role",
        "Medical director",
        "--decision",
        "changes_requested",
        "--comment",
        "see MRN 00482913",
    ]);
    assert!(signed.status.success(), "{}", String::from_utf8_lossy(&signed.stderr));
    assert!(
        String::from_utf8_lossy(&signed.stderr)
            .contains("--comment holds what looks like a medical record number: MRN 00482913"),
        "{}",
        String::from_utf8_lossy(&signed.stderr)
    );
    // And a bundle export names what it wrote out.
    let exported = baton(&["bundle", "export", f, dir.path().join("b").to_str().unwrap()]);
    assert!(exported.status.success());
    assert!(
        String::from_utf8_lossy(&exported.stderr)
            .contains("sign-off by Dr. Lee (comment): medical record number: MRN 00482913")
    );
}

#[test]
fn imports_exports_and_reports_are_in_the_audit_trail_not_the_bundle() {
    let dir = tempfile::tempdir().unwrap();
    let file = sample_file(&dir);
    let mut p = Project::open(&file).unwrap();
    // `baton new --bundle` imported the sample's inputs.
    let imported: Vec<String> =
        p.audit().unwrap().iter().map(|e| format!("{} {}", e.action, e.subject)).collect();
    assert!(imported.iter().any(|e| e == "import task-telemetry.csv (task telemetry)"), "{imported:?}");
    assert!(imported.iter().any(|e| e == "import respiratory-log.csv (event log)"), "{imported:?}");
    let m = p.model().unwrap();
    let v2 =
        baton::design::pick_version(&m, "respiratory-assessment", baton::design::Pick::Version(2)).unwrap();
    p.export_version(&v2, baton::export::Format::Bpmn, &dir.path().join("ra.bpmn")).unwrap();
    report::write_report(
        &p.model().unwrap(),
        &ReportOptions::default(),
        Format::Html,
        &dir.path().join("r.html"),
        &Progress::new(),
    )
    .unwrap();
    report::record_report(&mut p, Format::Html, &dir.path().join("r.html")).unwrap();
    p.export_bundle(&dir.path().join("bundle")).unwrap();
    let audit = p.audit().unwrap();
    let actions: Vec<&str> = audit.iter().take(3).map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["bundle_export", "report", "export"], "newest first");
    assert!(audit[2].subject.contains("ra.bpmn (Respiratory assessment version 2, bpmn)"), "{:?}", audit[2]);
    assert!(audit.iter().all(|e| !e.user.is_empty() && e.at.len() == 20));
    // Undo takes back edits, not the record that something happened.
    let before = audit.len();
    p.rename("Renamed").unwrap();
    p.undo().unwrap();
    assert_eq!(p.audit().unwrap().len(), before);
    // The bundle carries no audit entry.
    for entry in walk(&dir.path().join("bundle")) {
        assert!(!std::fs::read_to_string(&entry).unwrap_or_default().contains("bundle_export"), "{entry:?}");
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() { out.extend(walk(&p)) } else { out.push(p) }
    }
    out
}

#[test]
fn import_columns_that_look_like_identifiers_are_flagged() {
    use baton::phi::flag_column;
    assert_eq!(flag_column("Patient MRN", &[]), Some("a patient identifier"));
    assert_eq!(flag_column("DOB", &[]), Some("a date of birth"));
    assert_eq!(flag_column("Home_Phone", &[]), Some("a phone number"));
    assert_eq!(flag_column("Staff", &["RT staff 1"]), Some("a staff member's name or id"));
    // By the values when the header says nothing.
    assert_eq!(flag_column("Ref", &["MRN1747072", "MRN9214187", ""]), Some("a medical record number"));
    assert_eq!(flag_column("Contact", &["(312) 555-0199", "312-555-0100"]), Some("a phone number"));
    // The columns an import needs are not flagged.
    for clean in ["Encounter", "Step", "Performed At", "Role", "Site", "Status", "Records", "Meaning"] {
        assert_eq!(flag_column(clean, &["E00001", "Assessment due", "2026-03-21 00:57:00"]), None, "{clean}");
    }
}

/// Stops `work` at its first, second, … check until it runs to the end; each stopped run must
/// say `cancelled` and pass `unchanged`. Returns the finished result and how many stops were tried.
fn cancel_everywhere<T>(
    mut work: impl FnMut(&Progress) -> baton::Result<T>,
    mut unchanged: impl FnMut(),
) -> (T, u64) {
    for n in 1.. {
        let progress = Progress::cancelling_at(n);
        match work(&progress) {
            Err(e) => {
                assert_eq!(e.code(), "cancelled", "stop {n}: {e}");
                unchanged();
            }
            Ok(done) => {
                assert_eq!(progress.checks(), n - 1, "finished without reaching check {n}");
                return (done, n - 1);
            }
        }
    }
    unreachable!()
}

#[test]
fn a_report_cancelled_at_any_point_writes_and_records_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = sample_file(&dir);
    let mut p = Project::open(&file).unwrap();
    let out_dir = dir.path().join("out");
    let out = out_dir.join("report.md");
    let audit_before = p.audit().unwrap().len();
    let model_before = p.model().unwrap();
    let files_in = |d: &Path| if d.exists() { walk(d).len() } else { 0 };
    let mut last = Progress::new();
    let (written, stops) = cancel_everywhere(
        |progress| {
            last = progress.clone();
            let q = Project::open(&file).unwrap();
            report::write_report(&q.model()?, &ReportOptions::default(), Format::Markdown, &out, progress)
        },
        || {
            assert_eq!(files_in(&out_dir), 0, "a cancelled report left files");
            let q = Project::open(&file).unwrap();
            assert_eq!(q.audit().unwrap().len(), audit_before, "a cancelled report was recorded");
        },
    );
    // Every step of the current state, each log × workflow, each chapter and the rendering.
    assert!(stops > 20, "only {stops} places to stop");
    assert!(written.len() > 1 && written.iter().all(|f| f.exists()));
    let (done, total) = last.position();
    assert_eq!((done, total), (total, 12), "the findings, ten chapters and the rendering");
    p = Project::open(&file).unwrap();
    report::record_report(&mut p, Format::Markdown, &out).unwrap();
    assert_eq!(p.audit().unwrap().len(), audit_before + 1);
    assert_eq!(p.model().unwrap(), model_before);
}

#[test]
fn findings_replay_and_metrics_can_be_cancelled_anywhere_and_then_agree() {
    let dir = tempfile::tempdir().unwrap();
    let p = Project::open(&sample_file(&dir)).unwrap();
    let m = p.model().unwrap();
    let (findings, stops) = cancel_everywhere(
        |progress| baton::findings::analyze(&p.model()?, &Default::default(), progress),
        || {},
    );
    assert_eq!(
        findings,
        baton::findings::analyze(
            &p.model().unwrap(),
            &Default::default(),
            &baton::progress::Progress::none()
        )
        .unwrap()
    );
    assert!(stops > 10, "findings stop at {stops} places");
    let version =
        baton::design::pick_version(&m, "respiratory-assessment", baton::design::Pick::Version(2)).unwrap();
    let (replayed, _) = cancel_everywhere(|progress| baton::design::replay(&m, &version, progress), || {});
    assert_eq!(replayed, baton::design::replay(&m, &version, &baton::progress::Progress::none()).unwrap());
    assert!(replayed.cases > 0);
    let groups = baton::telemetry::step_labels(&m, "respiratory-assessment");
    let (found, stops) = cancel_everywhere(
        |progress| baton::telemetry::metrics(&groups, "respiratory-assessment", None, Some((1, 2)), progress),
        || {},
    );
    assert_eq!(
        found,
        baton::telemetry::metrics(
            &groups,
            "respiratory-assessment",
            None,
            Some((1, 2)),
            &baton::progress::Progress::none()
        )
        .unwrap()
    );
    assert!(stops >= 3 && !found.rows.is_empty(), "metrics stop at {stops} places");
}

fn standing(m: &baton::model::Model, workflow: &str) -> baton::approach::Standing {
    let findings = baton::findings::analyze(m, &Default::default(), &Progress::none()).unwrap();
    baton::approach::standings(m, &findings, Some(workflow)).remove(0)
}

#[test]
fn where_the_sample_workflows_stand() {
    use baton::approach::Approach;
    let m = sample_project().model().unwrap();
    let ra = standing(&m, "respiratory-assessment");
    assert_eq!(ra.current.approach, Approach::DataCentric);
    assert!(!ra.current.role_logic.holds && !ra.current.shared_state.holds && !ra.current.measured.holds);
    let evidence = ra.current.role_logic.evidence.join("\n");
    assert!(evidence.contains("has 2 owners at North Campus Hospital: RN and RT"), "{evidence}");
    assert!(evidence.contains("Ownership drift finding stands"), "{evidence}");
    let evidence = ra.current.shared_state.evidence.join("\n");
    assert!(evidence.contains("“Reviewed by MD” has no EMR value at North Campus Hospital"), "{evidence}");
    assert!(evidence.contains("Ambiguous status finding stands"), "{evidence}");
    let v = ra.proposed.as_ref().unwrap();
    assert_eq!((v.label.as_str(), v.version), ("Version 2", Some(2)));
    assert_eq!(v.approach, Approach::OrchestratorTelemetry);
    assert!(
        v.shared_state
            .evidence
            .iter()
            .any(|e| e == "3 of 3 transitions into a state the EMR shows write it back")
    );
    assert!(v.measured.evidence[0].starts_with("telemetry of 240 tasks"), "{:?}", v.measured.evidence);
    // The oxygen order's draft shows nothing of its "In titration" state in the EMR.
    let o2 = standing(&m, "oxygen-titration");
    let draft = o2.proposed.unwrap();
    assert_eq!((draft.label.as_str(), draft.approach), ("Draft", Approach::EmrOnly));
    assert!(draft.shared_state.evidence.iter().any(|e| e.contains("“In titration” has no mapped EMR value")));
}

#[test]
fn each_cell_follows_the_model() {
    use baton::approach::Approach;
    let base = sample_project().model().unwrap();
    // Without its write-back, entering "Reconciled by RN" no longer shows in the EMR.
    let mut m = base.clone();
    let t = m.transitions.iter_mut().find(|t| t.id == "ra-v2-t2").unwrap();
    t.write_backs.clear();
    let v = standing(&m, "respiratory-assessment").proposed.unwrap();
    assert_eq!(v.approach, Approach::EmrOnly);
    assert!(
        v.shared_state
            .evidence
            .iter()
            .any(|e| e.starts_with("assessment_reconciled enters “Reconciled by RN” without writing")
                && e.contains("“Pending Review”")),
        "{:?}",
        v.shared_state.evidence
    );
    // Without telemetry for version 2, it is an orchestrator, unmeasured.
    let mut m = base.clone();
    for t in &mut m.telemetry {
        t.groups.retain(|g| g.version != 2);
    }
    let v = standing(&m, "respiratory-assessment").proposed.unwrap();
    assert_eq!(v.approach, Approach::EventDriven);
    assert_eq!(v.measured.evidence, vec!["no telemetry imported for version 2".to_string()]);
    // A task without an owner at one facility: role logic is not handled.
    let mut m = base.clone();
    let t = m.transitions.iter_mut().find(|t| t.id == "ra-v2-t1").unwrap();
    t.owner_role_id = None;
    t.overrides = vec![baton::model::OwnerOverride { facility_id: "north".into(), role_id: "rn".into() }];
    let v = standing(&m, "respiratory-assessment").proposed.unwrap();
    assert!(!v.role_logic.holds);
    assert_eq!(v.approach, Approach::DataCentric);
    assert!(v.role_logic.evidence.iter().any(|e| e.contains("has no owner at Lakeview Pulmonary Clinic")));
    // Dismissing a finding takes it out of the evidence; accepting it does not.
    let mut m = base.clone();
    let findings = baton::findings::analyze(&m, &Default::default(), &Progress::none()).unwrap();
    let ambiguous = findings.iter().find(|f| f.kind == baton::model::FindingKind::AmbiguousStatus).unwrap();
    assert_eq!(ambiguous.status, baton::model::FindingStatus::Accepted);
    m.finding_triage.retain(|t| t.id != ambiguous.id);
    m.finding_triage.push(baton::model::FindingTriage {
        id: ambiguous.id.clone(),
        kind: ambiguous.kind.as_str().into(),
        title: ambiguous.title.clone(),
        status: baton::model::FindingStatus::Dismissed,
        reason: "test".into(),
        decided_at: String::new(),
    });
    let c = standing(&m, "respiratory-assessment").current;
    assert!(
        !c.shared_state.evidence.iter().any(|e| e.contains("Ambiguous status")),
        "{:?}",
        c.shared_state.evidence
    );
}

#[test]
fn the_report_and_the_cli_give_the_same_table() {
    let p = sample_project();
    let page = html(&p, &ReportOptions::default());
    assert!(page.contains("Where each workflow stands"));
    assert!(page.contains("Respiratory assessment: data-centric integration → orchestrator + telemetry"));
    let md = report::markdown::render(
        &report::report(&p.model().unwrap(), &ReportOptions::default(), &Progress::none()).unwrap(),
        "d",
    );
    assert!(md.contains("Respiratory assessment: data-centric integration → orchestrator + telemetry"));
    let out = Command::new(env!("CARGO_BIN_EXE_baton"))
        .args(["approach", sample().to_str().unwrap(), "--workflow", "Respiratory assessment", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let w = &json["workflows"][0];
    assert_eq!(w["workflow"], "Respiratory assessment");
    assert_eq!(w["current"]["approach"], "data_centric");
    assert_eq!(w["proposed"]["approach"], "orchestrator_telemetry");
    assert_eq!(w["proposed"]["measured"]["holds"], true);
    assert_eq!(json["workflows"].as_array().unwrap().len(), 1);
}
