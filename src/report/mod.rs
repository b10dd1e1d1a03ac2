//! The findings report: what clinical leads and leadership read at the end of an engagement.
//!
//! `build` turns a project into a `Report`, a small document of chapters and blocks (text,
//! bullets, tables, figures, quotes, notes) that holds every word and number the reader sees.
//! Three renderers then only lay it out: `html` (one self-contained file), `markdown` (with the
//! diagrams as SVG files beside it) and `pdf` (through typst, with the same content). So the
//! three formats never disagree, and the HTML and Markdown are the same bytes for the same
//! project: nothing reads the clock unless `ReportOptions::date` asks for it.

mod build;
pub mod html;
pub mod markdown;
pub mod pdf;

use std::collections::BTreeSet;
use std::path::Path;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::progress::Progress;
use crate::store::Project;

/// The chapters a report can have, in their order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Section {
    Summary,
    Approach,
    Scope,
    CurrentState,
    Ownership,
    Mismatches,
    Proposals,
    Telemetry,
    Signoffs,
    Evidence,
}

impl Section {
    pub const ALL: [Section; 10] = [
        Section::Summary,
        Section::Approach,
        Section::Scope,
        Section::CurrentState,
        Section::Ownership,
        Section::Mismatches,
        Section::Proposals,
        Section::Telemetry,
        Section::Signoffs,
        Section::Evidence,
    ];

    /// The name the CLI and the app use.
    pub fn as_str(self) -> &'static str {
        match self {
            Section::Summary => "summary",
            Section::Approach => "approach",
            Section::Scope => "scope",
            Section::CurrentState => "current_state",
            Section::Ownership => "ownership",
            Section::Mismatches => "mismatches",
            Section::Proposals => "proposals",
            Section::Telemetry => "telemetry",
            Section::Signoffs => "signoffs",
            Section::Evidence => "evidence",
        }
    }

    /// The chapter's title.
    pub fn title(self) -> &'static str {
        match self {
            Section::Summary => "Executive summary",
            Section::Approach => "Where each workflow stands",
            Section::Scope => "Scope",
            Section::CurrentState => "Current state",
            Section::Ownership => "Ownership findings",
            Section::Mismatches => "State mismatches",
            Section::Proposals => "Proposed workflows",
            Section::Telemetry => "Telemetry",
            Section::Signoffs => "Sign-offs",
            Section::Evidence => "Appendix: evidence",
        }
    }

    pub fn parse(name: &str) -> Result<Section> {
        let wanted = name.trim().replace('-', "_").to_ascii_lowercase();
        Section::ALL.into_iter().find(|s| s.as_str() == wanted).ok_or_else(|| {
            let names: Vec<&str> = Section::ALL.iter().map(|s| s.as_str()).collect();
            Error::invalid(
                "section",
                format!("{name:?} is not a report section; use one of {}", names.join(", ")),
            )
        })
    }
}

/// What to put in a report. Empty lists mean everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportOptions {
    /// The chapters; empty: all. The title page and the appendix of dismissed findings (when a
    /// findings chapter is in) always come.
    pub sections: BTreeSet<Section>,
    /// Facility ids; empty: all.
    pub facilities: Vec<String>,
    /// Workflow ids; empty: all.
    pub workflows: Vec<String>,
    /// The date on the title page (YYYY-MM-DD); `None`: the project's report date, else the
    /// latest date the project holds.
    pub date: Option<String>,
}

impl ReportOptions {
    pub fn wants(&self, s: Section) -> bool {
        self.sections.is_empty() || self.sections.contains(&s)
    }
}

/// A finished report, ready for a renderer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub title: String,
    pub subtitle: String,
    pub client: String,
    pub description: String,
    pub authors: Vec<String>,
    /// YYYY-MM-DD.
    pub date: String,
    /// Label, value pairs under the title (facilities, interviews, …).
    pub facts: Vec<(String, String)>,
    pub chapters: Vec<Chapter>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chapter {
    /// A stable anchor: `summary`, `scope`, …, `dismissed`.
    pub id: String,
    pub title: String,
    pub blocks: Vec<Block>,
}

/// How a note reads: good news, a warning, or plain information.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tone {
    Good,
    Warning,
    Info,
}

/// One piece of a chapter. All text is plain (renderers escape it); a table cell may hold line
/// breaks (`\n`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    /// A heading inside a chapter (level 2), with a stable anchor.
    Heading {
        id: String,
        text: String,
    },
    /// A smaller heading (level 3).
    Subheading {
        text: String,
    },
    Text {
        text: String,
    },
    Bullets {
        items: Vec<String>,
    },
    Table(Table),
    /// A diagram: `file` is its name when written beside a Markdown report.
    Figure {
        file: String,
        caption: String,
        /// The drawing's size in its own units, for fitting it on a page.
        width: f64,
        height: f64,
        #[serde(skip)]
        svg: String,
    },
    Quote {
        text: String,
        by: String,
    },
    Note {
        tone: Tone,
        text: String,
    },
    /// Blocks kept together on one page (a heading with its diagram).
    Group {
        blocks: Vec<Block>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    pub columns: Vec<String>,
    /// Which columns hold numbers (right-aligned).
    pub numeric: Vec<bool>,
    pub rows: Vec<Vec<String>>,
    /// Relative column widths for paged output; empty: equal.
    pub widths: Vec<u32>,
}

impl Report {
    /// What the title page lists under the title: client, date, authors, then `facts`.
    pub fn title_facts(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        if !self.client.is_empty() {
            out.push(("Client".into(), self.client.clone()));
        }
        out.push(("Date".into(), self.date.clone()));
        if !self.authors.is_empty() {
            out.push((
                if self.authors.len() == 1 { "Author" } else { "Authors" }.into(),
                self.authors.join(", "),
            ));
        }
        out.extend(self.facts.iter().cloned());
        out
    }

    /// Every figure of the report, in order.
    pub fn figures(&self) -> Vec<(&str, &str)> {
        fn walk<'a>(blocks: &'a [Block], out: &mut Vec<(&'a str, &'a str)>) {
            for b in blocks {
                match b {
                    Block::Figure { file, svg, .. } => out.push((file.as_str(), svg.as_str())),
                    Block::Group { blocks } => walk(blocks, out),
                    _ => {}
                }
            }
        }
        let mut out = Vec::new();
        for c in &self.chapters {
            walk(&c.blocks, &mut out);
        }
        out
    }
}

/// The report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Pdf,
    Markdown,
}

impl Format {
    pub fn parse(name: &str) -> Result<Format> {
        match name.trim().to_ascii_lowercase().as_str() {
            "html" => Ok(Format::Html),
            "pdf" => Ok(Format::Pdf),
            "md" | "markdown" => Ok(Format::Markdown),
            _ => {
                Err(Error::invalid("format", format!("{name:?} is not a report format; use html, pdf or md")))
            }
        }
    }
}

/// The report of a model as `Project::model` gives it, cancellable through `progress`, which also
/// counts the chapters built.
pub fn report(m: &crate::model::Model, options: &ReportOptions, progress: &Progress) -> Result<Report> {
    let findings = crate::findings::analyze(m, &Default::default(), progress)?;
    progress.advance(1);
    build::build(m, &findings, options, progress)
}

/// Records in the project's audit trail that its report was written to `out`.
pub fn record_report(project: &mut Project, format: Format, out: &Path) -> Result<()> {
    let kind = match format {
        Format::Html => "HTML",
        Format::Pdf => "PDF",
        Format::Markdown => "Markdown",
    };
    project.record("report", &format!("{} ({kind})", out.display()))
}

/// Writes the report of `m` (as `Project::model` gives it) to `out` as `format`; returns every
/// file written (a Markdown report writes its diagrams into a folder beside it). Files are written
/// whole or not at all. `progress` counts the steps (the findings, each chapter, the rendering)
/// and cancels the work between them; cancelled, nothing is written. The app reads the model
/// under the session's lock and writes without holding it; `record_report` then records it.
pub fn write_report(
    m: &crate::model::Model,
    options: &ReportOptions,
    format: Format,
    out: &Path,
    progress: &Progress,
) -> Result<Vec<std::path::PathBuf>> {
    let chapters = Section::ALL.into_iter().filter(|s| options.wants(*s)).count() as u64;
    progress.set_total(chapters + 2);
    let r = report(m, options, progress)?;
    progress.check("writing the report")?;
    let files: Vec<(std::path::PathBuf, Vec<u8>)> = match format {
        Format::Html => vec![(out.to_path_buf(), html::render(&r).into_bytes())],
        Format::Pdf => vec![(out.to_path_buf(), pdf::render(&r)?)],
        Format::Markdown => {
            let stem = out.file_stem().and_then(|s| s.to_str()).unwrap_or("report");
            let folder = format!("{stem}-diagrams");
            let dir = out.parent().unwrap_or_else(|| Path::new(""));
            let mut files = vec![(out.to_path_buf(), markdown::render(&r, &folder).into_bytes())];
            for (file, svg) in r.figures() {
                files.push((dir.join(&folder).join(file), svg.as_bytes().to_vec()));
            }
            files
        }
    };
    progress.check("writing the report")?;
    progress.advance(1);
    let mut written = Vec::new();
    for (path, bytes) in files {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        crate::store::write_atomically(&path, &bytes)?;
        written.push(path);
    }
    Ok(written)
}
