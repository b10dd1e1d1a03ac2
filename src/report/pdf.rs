//! The report as PDF, laid out by typst (`templates/report/report.typ`) from the same document
//! the HTML and Markdown come from: vector diagrams, embedded fonts, A4.

use std::sync::OnceLock;

use typst_as_lib::TypstEngine;
use typst_layout::PagedDocument;

use super::Report;
use crate::error::{Error, Result};

const TEMPLATE: &str = include_str!("../../templates/report/report.typ");

/// DejaVu Sans (regular and bold) from the machine's fonts, when it has them: the diagrams ask
/// for it and the headings and tables use it. Without it typst falls back on the embedded serif.
fn system_sans() -> &'static [Vec<u8>] {
    static FONTS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    FONTS.get_or_init(|| {
        let mut db = resvg::usvg::fontdb::Database::new();
        db.load_system_fonts();
        let ids: Vec<_> = db
            .faces()
            .filter(|f| {
                f.families.iter().any(|(name, _)| name == "DejaVu Sans")
                    && f.style == resvg::usvg::fontdb::Style::Normal
                    && matches!(f.weight.0, 400 | 700)
            })
            .map(|f| f.id)
            .collect();
        ids.into_iter().filter_map(|id| db.with_face_data(id, |data, _| data.to_vec())).collect()
    })
}

/// The report as PDF bytes.
pub fn render(r: &Report) -> Result<Vec<u8>> {
    let mut data = serde_json::to_value(r).map_err(|e| Error::invalid("report", e.to_string()))?;
    data["title_facts"] = serde_json::to_value(r.title_facts()).unwrap_or_default();
    let json = serde_json::to_vec(&data).map_err(|e| Error::invalid("report", e.to_string()))?;
    let mut files: Vec<(String, Vec<u8>)> = vec![("report.json".into(), json)];
    for (file, svg) in r.figures() {
        files.push((format!("fig/{file}"), svg.as_bytes().to_vec()));
    }
    let fonts: Vec<&[u8]> = typst_assets::fonts().chain(system_sans().iter().map(Vec::as_slice)).collect();
    let engine = TypstEngine::builder()
        .main_file(TEMPLATE)
        .fonts(fonts)
        .with_static_file_resolver(files.iter().map(|(name, bytes)| (name.as_str(), bytes.as_slice())))
        .build();
    let doc: PagedDocument = engine
        .compile()
        .output
        .map_err(|e| Error::invalid("report", format!("the PDF could not be laid out: {e}")))?;
    let options = typst_pdf::PdfOptions {
        ident: typst::foundations::Smart::Custom(format!("{} {}", r.title, r.date)),
        ..Default::default()
    };
    typst_pdf::pdf(&doc, &options).map_err(|e| {
        let messages: Vec<String> = e.iter().map(|d| d.message.to_string()).collect();
        Error::invalid("report", format!("the PDF could not be written: {}", messages.join("; ")))
    })
}
