//! Excel workbooks: the sample's status workbook (written here, so it stays reproducible) and
//! imports that choose a sheet.

use std::path::Path;

use baton::import::{StatusOptions, preview_status};
use baton::progress::Progress;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook};

use super::{project, sample_dir};

const SHEET: &str = "Order status by site";

/// The sample's oxygen-order status workbook: a note sheet first, then the counts per site.
fn sample_workbook() -> Vec<u8> {
    let mut book = Workbook::new();
    let created = ExcelDateTime::from_ymd(2026, 9, 1).unwrap();
    book.set_properties(
        &DocProperties::new().set_creation_datetime(&created).set_title("Oxygen order status export"),
    );
    let notes = book.add_worksheet();
    notes.set_name("Read me").unwrap();
    notes
        .write_string(0, 0, "Oxygen order status values counted per site, 1 July to 31 August 2026.")
        .unwrap();
    notes.write_string(1, 0, "Exported by the EMR integration team from the order module.").unwrap();
    let data = book.add_worksheet();
    data.set_name(SHEET).unwrap();
    for (col, header) in
        ["Status field", "Status value", "Site", "Count", "Description"].into_iter().enumerate()
    {
        data.write_string(0, col as u16, header).unwrap();
    }
    let rows: [(&str, &str, f64, &str); 10] = [
        ("Active", "North Campus Hospital", 310.0, "Order signed and running"),
        ("Active", "Lakeview Pulmonary Clinic", 95.0, "Order signed and running"),
        ("Active", "Riverside Community Hospital", 188.0, "Order signed and running"),
        ("On Hold", "North Campus Hospital", 22.0, "Paused by the physician"),
        ("On Hold", "Riverside Community Hospital", 9.0, "Paused by the physician"),
        ("Discontinued", "North Campus Hospital", 61.0, ""),
        ("Discontinued", "Lakeview Pulmonary Clinic", 17.0, ""),
        ("Discontinued", "Riverside Community Hospital", 40.0, ""),
        ("Titration Complete", "North Campus Hospital", 0.0, "Added at go-live for the titration protocol"),
        (
            "Titration Complete",
            "Riverside Community Hospital",
            0.0,
            "Added at go-live for the titration protocol",
        ),
    ];
    for (i, (value, site, count, description)) in rows.into_iter().enumerate() {
        let row = i as u32 + 1;
        data.write_string(row, 0, "Oxygen Order Status").unwrap();
        data.write_string(row, 1, value).unwrap();
        data.write_string(row, 2, site).unwrap();
        data.write_number(row, 3, count).unwrap();
        if !description.is_empty() {
            data.write_string(row, 4, description).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

fn committed() -> std::path::PathBuf {
    sample_dir().join("inputs/oxygen-order-status.xlsx")
}

#[test]
fn the_sample_workbook_is_current() {
    let bytes = sample_workbook();
    assert_eq!(bytes, sample_workbook(), "the workbook is written the same way every time");
    if std::env::var_os("BATON_UPDATE_SAMPLE").is_some() {
        std::fs::write(committed(), &bytes).unwrap();
    }
    let on_disk = std::fs::read(committed()).unwrap();
    assert!(on_disk == bytes, "inputs/oxygen-order-status.xlsx is stale: run with BATON_UPDATE_SAMPLE=1");
}

#[test]
fn a_workbook_imports_the_chosen_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("orders.xlsx");
    std::fs::write(&path, sample_workbook()).unwrap();
    let preview = preview_status(&path, &StatusOptions::default()).unwrap();
    assert_eq!(preview.sheets, ["Read me", SHEET]);
    assert_eq!(preview.sheet.as_deref(), Some("Read me"));
    let mut p = project(&dir);
    let before = p.model().unwrap();
    // The first sheet is the note: no value column, a clear error, nothing changed.
    let err = p.import_status(&path, &StatusOptions::default(), &Progress::new()).unwrap_err().to_string();
    assert!(err.contains("orders.xlsx") && err.contains("value"), "{err}");
    assert_eq!(p.model().unwrap(), before);
    let options = StatusOptions { sheet: Some(SHEET.into()), ..StatusOptions::default() };
    let preview = preview_status(&path, &options).unwrap();
    assert_eq!(preview.headers, ["Status field", "Status value", "Site", "Count", "Description"]);
    assert_eq!(preview.columns.count.as_deref(), Some("Count"));
    let s = p.import_status(&path, &options, &Progress::new()).unwrap();
    assert_eq!(s.records, 10);
    assert_eq!(s.fields, ["Oxygen Order Status"]);
    let m = p.model().unwrap();
    let active = m.emr_values.iter().find(|v| v.value == "Active").unwrap();
    assert_eq!(active.description, "Order signed and running");
    let total: i64 = m.emr_value_counts.iter().filter(|c| c.value_id == active.id).map(|c| c.count).sum();
    assert_eq!(total, 593);
    // A sheet that does not exist is named in the error, with the ones there are.
    let missing = StatusOptions { sheet: Some("Statuses".into()), ..StatusOptions::default() };
    let err = preview_status(&path, &missing).unwrap_err().to_string();
    assert!(err.contains("Statuses") && err.contains(SHEET), "{err}");
    assert!(Path::new(&path).exists());
}
