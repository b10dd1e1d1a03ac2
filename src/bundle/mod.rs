//! Bundles: the project as a folder of YAML and CSV files for version control and sharing.
//!
//! The format is documented in `docs/bundle-format.md`; `docs/schema/` holds the JSON Schema of
//! each YAML file. Reading checks every reference; writing is deterministic.

pub mod format;
mod inputs;
mod read;
pub mod settings;
mod source;
mod write;

use std::path::Path;

use include_dir::{Dir, include_dir};

use crate::error::{Error, Result};
use crate::model::Model;

pub use format::FORMAT_VERSION;
pub use inputs::{INPUTS_LIST, import_inputs, load_in_memory, read_resource_roles};
pub use read::read_model;
pub use source::{DirSource, EmbeddedSource, Source};
pub use write::{render, write_bundle};

/// The model files every bundle holds, besides `interviews/*.yaml` and `workflows/*.yaml`.
pub const MODEL_FILES: &[&str] = &[
    "baton.yaml",
    "facilities.yaml",
    "roles.yaml",
    "events.yaml",
    "emr/fields.yaml",
    "emr/value-counts.csv",
    "mappings.yaml",
    "comments.yaml",
    "findings.yaml",
];

static SAMPLE: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/sample-projects/respiratory-network");
static TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");

/// Whether `id` can name a file in a bundle.
pub fn is_safe_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        && id.len() <= 100
}

/// Files under `dir/inputs/` (raw sources with their import mappings), relative to `dir`, sorted.
pub fn unimported_inputs(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            // Links are listed, never followed: a folder linked from elsewhere is not the bundle's.
            let linked = entry.file_type().is_ok_and(|t| t.is_symlink());
            if path.is_dir() && !linked {
                walk(root, &path, out);
            } else if let Ok(rel) = path.strip_prefix(root) {
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut out = Vec::new();
    let inputs = dir.join("inputs");
    if std::fs::symlink_metadata(&inputs).is_ok_and(|m| m.file_type().is_symlink()) {
        return vec!["inputs".to_string()];
    }
    walk(dir, &inputs, &mut out);
    out.sort();
    out
}

/// Reads the bundle folder `dir`.
pub fn read_dir(dir: &Path) -> Result<Model> {
    read_model(&DirSource::new(dir)?)
}

/// The bundled sample engagement (a respiratory care network), as shipped inside Baton.
pub fn sample() -> Result<Model> {
    read_model(&EmbeddedSource::new("sample respiratory-network", &SAMPLE))
}

/// Whether a folder of `templates/` is a workflow template (a bundle); `templates/report` holds
/// the report's layout instead.
fn is_template(d: &Dir<'_>) -> bool {
    d.get_file(d.path().join("baton.yaml")).is_some()
}

/// The names of the workflow templates shipped with Baton, sorted.
pub fn template_names() -> Vec<String> {
    let mut names: Vec<String> = TEMPLATES
        .dirs()
        .filter(|d| is_template(d))
        .filter_map(|d| d.path().file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    names.sort();
    names
}

/// The template `name` as a model; ids of the template's project are replaced so that two projects
/// started from one template are still two projects.
pub fn template(name: &str) -> Result<Model> {
    let dir = TEMPLATES.get_dir(name).filter(|d| is_template(d)).ok_or_else(|| {
        Error::invalid(
            "template",
            format!("no template named {name:?}; available: {}", template_names().join(", ")),
        )
    })?;
    let mut model = read_model(&EmbeddedSource::new(&format!("template {name}"), dir))?;
    if let Some(project) = model.project.as_mut() {
        project.id = crate::model::new_id();
    }
    Ok(model)
}
