//! The Findings screen and `baton findings --json`: every finding with its evidence and triage
//! (`crate::findings::Finding`, serialised as CLI.md fixes it), and their counts for the home
//! screen. Both run the whole analysis, so both take a `&Progress`.

use serde::Serialize;

use crate::error::Result;
use crate::findings::{Finding, MismatchOptions, analyze};
use crate::model::{FindingKind, FindingStatus, Model, Severity};
use crate::progress::Progress;

/// How many findings there are, and how many are still open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct FindingCounts {
    pub total: usize,
    pub open: usize,
}

/// Every finding, sorted by severity, kind and title, with triage applied.
pub fn findings(m: &Model, options: &MismatchOptions, progress: &Progress) -> Result<Vec<Finding>> {
    analyze(m, options, progress)
}

/// The finding counts the home screen shows.
pub fn counts(m: &Model, progress: &Progress) -> Result<FindingCounts> {
    let found = analyze(m, &MismatchOptions::default(), progress)?;
    Ok(FindingCounts {
        total: found.len(),
        open: found.iter().filter(|f| f.status == FindingStatus::Open).count(),
    })
}

/// How the Findings screen orders its list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum FindingSort {
    /// Severity, cases affected, kind, title: the order of `baton findings` and the report.
    #[default]
    Severity,
    /// By kind, then as by severity.
    Kind,
    /// Most cases or records affected first; findings with no count last.
    Count,
}

/// What the Findings screen narrows its list to. Empty fields do not narrow.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct FindingQuery {
    #[serde(default)]
    pub kind: Option<FindingKind>,
    #[serde(default)]
    pub severity: Option<Severity>,
    #[serde(default)]
    pub status: Option<FindingStatus>,
    /// A workflow id.
    #[serde(default)]
    pub workflow: Option<String>,
    /// A facility id: findings about it, or with evidence from it.
    #[serde(default)]
    pub facility: Option<String>,
    /// A role id.
    #[serde(default)]
    pub role: Option<String>,
    /// Words that must all appear (any case) in the title, kind, evidence, recommendation or the
    /// names of its workflow, step, roles and facilities.
    #[serde(default)]
    pub search: String,
    #[serde(default)]
    pub sort: FindingSort,
}

/// One finding as the list shows it: names, never ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct FindingRow {
    pub finding: Finding,
    pub kind_label: String,
    pub workflow: String,
    pub step: String,
    pub roles: Vec<String>,
    pub facilities: Vec<String>,
    /// Cases or records affected, when the finding counts them.
    pub cases: Option<i64>,
}

/// A finding kind that occurs, with its label and how many there are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct KindCount {
    pub kind: FindingKind,
    pub label: String,
    pub count: usize,
}

/// The Findings screen: the list as narrowed and sorted, with what the filters offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct FindingList {
    pub total: usize,
    pub open: usize,
    pub rows: Vec<FindingRow>,
    /// Kinds that occur, by label.
    pub kinds: Vec<KindCount>,
    /// Workflows findings are about, by name.
    pub workflows: Vec<crate::model::Named>,
}

/// `f` as the list shows it; `roles` and `facilities` are the project's, by name (looked up once
/// per list, not per finding).
fn row(
    m: &Model,
    roles: &[crate::model::Named],
    facilities: &[crate::model::Named],
    f: Finding,
) -> FindingRow {
    let named = |list: &[crate::model::Named], ids: &[String]| -> Vec<String> {
        ids.iter()
            .map(|id| list.iter().find(|n| &n.id == id).map_or_else(|| id.clone(), |n| n.name.clone()))
            .collect()
    };
    let workflow = f
        .subject
        .workflow
        .as_ref()
        .and_then(|w| m.workflows.iter().find(|x| &x.id == w))
        .map_or_else(String::new, |w| w.name.clone());
    let step = f
        .subject
        .step
        .as_ref()
        .and_then(|s| m.steps.iter().find(|x| &x.id == s))
        .map_or_else(String::new, |s| s.name.clone());
    FindingRow {
        kind_label: f.kind.label().to_string(),
        workflow,
        step,
        roles: named(roles, &f.subject.roles),
        facilities: named(facilities, &f.subject.facilities),
        cases: f.cases,
        finding: f,
    }
}

fn matches(r: &FindingRow, q: &FindingQuery) -> bool {
    let f = &r.finding;
    if q.kind.is_some_and(|k| k != f.kind)
        || q.severity.is_some_and(|s| s != f.severity)
        || q.status.is_some_and(|s| s != f.status)
        || q.workflow.as_ref().is_some_and(|w| f.subject.workflow.as_ref() != Some(w))
        || q.role.as_ref().is_some_and(|r| !f.subject.roles.contains(r))
        || q.facility.as_ref().is_some_and(|x| {
            !f.subject.facilities.contains(x) && !f.evidence.iter().any(|e| e.facility.as_ref() == Some(x))
        })
    {
        return false;
    }
    let words: Vec<String> = q.search.split_whitespace().map(str::to_lowercase).collect();
    if words.is_empty() {
        return true;
    }
    let mut text = format!(
        "{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}",
        f.title,
        r.kind_label,
        f.recommendation,
        r.workflow,
        r.step,
        r.roles.join(" "),
        r.facilities.join(" "),
        f.reason
    );
    for e in &f.evidence {
        text.push('\n');
        text.push_str(&e.text);
    }
    let text = text.to_lowercase();
    words.iter().all(|w| text.contains(w.as_str()))
}

/// The findings of `m` narrowed and sorted as `query` asks.
pub fn list(m: &Model, query: &FindingQuery, progress: &Progress) -> Result<FindingList> {
    let found = analyze(m, &MismatchOptions::default(), progress)?;
    Ok(list_of(m, found, query))
}

/// `found` (as `findings` gives them) narrowed and sorted as `query` asks.
pub fn list_of(m: &Model, found: Vec<Finding>, query: &FindingQuery) -> FindingList {
    let total = found.len();
    let open = found.iter().filter(|f| f.status == FindingStatus::Open).count();
    let mut kinds: Vec<KindCount> = Vec::new();
    for f in &found {
        match kinds.iter_mut().find(|k| k.kind == f.kind) {
            Some(k) => k.count += 1,
            None => kinds.push(KindCount { kind: f.kind, label: f.kind.label().to_string(), count: 1 }),
        }
    }
    kinds.sort_by(|a, b| a.label.cmp(&b.label));
    let mut workflows: Vec<crate::model::Named> = m
        .workflows
        .iter()
        .filter(|w| found.iter().any(|f| f.subject.workflow.as_ref() == Some(&w.id)))
        .map(|w| crate::model::Named { id: w.id.clone(), name: w.name.clone() })
        .collect();
    workflows.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
    // `analyze` gives the severity order; the other sorts are stable on it.
    let mut rows: Vec<FindingRow> = {
        let (roles, facilities) = (super::roles(m), super::facilities(m));
        found.into_iter().map(|f| row(m, &roles, &facilities, f)).filter(|r| matches(r, query)).collect()
    };
    match query.sort {
        FindingSort::Severity => {}
        FindingSort::Kind => rows.sort_by(|a, b| a.kind_label.cmp(&b.kind_label)),
        FindingSort::Count => rows.sort_by_key(|r| std::cmp::Reverse(r.cases.map_or(-1, |c| c))),
    }
    FindingList { total, open, rows, kinds, workflows }
}

const COLUMNS: [&str; 13] = [
    "Severity",
    "Kind",
    "Status",
    "Title",
    "Workflow",
    "Step",
    "Roles",
    "Facilities",
    "Cases affected",
    "Evidence",
    "Recommendation",
    "Reason dismissed",
    "Id",
];

fn cells(r: &FindingRow) -> [String; 13] {
    let f = &r.finding;
    [
        f.severity.as_str().to_string(),
        r.kind_label.clone(),
        f.status.as_str().to_string(),
        f.title.clone(),
        r.workflow.clone(),
        r.step.clone(),
        r.roles.join(", "),
        r.facilities.join(", "),
        r.cases.map_or_else(String::new, |c| c.to_string()),
        f.evidence.iter().map(|e| format!("• {}", e.text)).collect::<Vec<_>>().join("\n"),
        f.recommendation.clone(),
        f.reason.clone(),
        f.id.clone(),
    ]
}

/// Writes the findings `query` selects to `path`: CSV (UTF-8, one row per finding, evidence in
/// one cell) or an Excel workbook, as the name ends. Returns how many were written.
pub fn export(m: &Model, query: &FindingQuery, path: &std::path::Path, progress: &Progress) -> Result<usize> {
    write_rows(&list(m, query, progress)?.rows, path)
}

/// Writes `rows` to `path`, CSV or Excel as the name ends. Returns how many were written.
pub fn write_rows(rows: &[FindingRow], path: &std::path::Path) -> Result<usize> {
    let extension = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    let bytes = match extension.as_deref() {
        Some("csv") => csv_bytes(rows)?,
        Some("xlsx") => xlsx_bytes(rows)?,
        _ => {
            return Err(crate::error::Error::invalid(
                "output",
                format!("{} must end in .csv or .xlsx; the name chooses the format", path.display()),
            ));
        }
    };
    crate::store::write_atomically(path, &bytes)?;
    Ok(rows.len())
}

fn csv_bytes(rows: &[FindingRow]) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let fail =
        |e: csv::Error| crate::error::Error::invalid("output", format!("the CSV could not be written: {e}"));
    w.write_record(COLUMNS).map_err(fail)?;
    for r in rows {
        // A cell a spreadsheet would run as a formula is written as text.
        let safe: Vec<String> = cells(r).into_iter().map(|c| spreadsheet_safe(&c)).collect();
        w.write_record(&safe).map_err(fail)?;
    }
    w.into_inner()
        .map_err(|e| crate::error::Error::invalid("output", format!("the CSV could not be written: {e}")))
}

/// A cell that starts like a formula (`=`, `+`, `-`, `@`) gets a leading apostrophe, so a
/// spreadsheet opening the CSV shows it rather than running it.
fn spreadsheet_safe(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{cell}") } else { cell.to_string() }
}

fn xlsx_bytes(rows: &[FindingRow]) -> Result<Vec<u8>> {
    use rust_xlsxwriter::{Format, FormatAlign, Workbook};
    let fail = |e: rust_xlsxwriter::XlsxError| {
        crate::error::Error::invalid("output", format!("the workbook could not be written: {e}"))
    };
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Findings").map_err(fail)?;
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let widths = [9.0, 24.0, 10.0, 50.0, 24.0, 28.0, 18.0, 22.0, 10.0, 70.0, 50.0, 24.0, 28.0];
    for (c, (name, width)) in COLUMNS.iter().zip(widths).enumerate() {
        let c = c as u16;
        sheet.write_string_with_format(0, c, *name, &bold).map_err(fail)?;
        sheet.set_column_width(c, width).map_err(fail)?;
    }
    for (i, r) in rows.iter().enumerate() {
        let row = (i + 1) as u32;
        for (c, cell) in cells(r).iter().enumerate() {
            let c = c as u16;
            if c == 8
                && let Some(n) = r.cases
            {
                sheet.write_number_with_format(row, c, n as f64, &wrap).map_err(fail)?;
            } else {
                // Strings are written as strings: nothing in a finding becomes a formula.
                sheet.write_string_with_format(row, c, cell, &wrap).map_err(fail)?;
            }
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(fail)?;
    sheet.autofilter(0, 0, rows.len() as u32, (COLUMNS.len() - 1) as u16).map_err(fail)?;
    book.save_to_buffer().map_err(fail)
}
