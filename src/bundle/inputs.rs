//! `inputs/`: raw source files carried in a bundle with the mapping to import each
//! (`inputs/imports.yaml`). `baton new --bundle` and read-only commands given a bundle folder
//! import them, in the order listed, into the project the model files made.

use std::collections::HashMap;
use std::path::Path;

use super::format::InputFile;
use crate::error::{Error, Result};
use crate::import::{ImportSummary, LogSettings, StatusOptions};
use crate::progress::Progress;
use crate::store::Project;

/// The file listing the inputs and how to import them.
pub const INPUTS_LIST: &str = "inputs/imports.yaml";

/// A path under `inputs/` that stays there (no `..`, not absolute).
fn input_path(dir: &Path, rel: &str, at: &str) -> Result<std::path::PathBuf> {
    let list = dir.join(INPUTS_LIST).display().to_string();
    let p = Path::new(rel);
    let safe = !rel.is_empty()
        && p.components().all(|c| matches!(c, std::path::Component::Normal(_)))
        && !rel.contains('\\');
    if !safe {
        return Err(Error::bundle(
            &list,
            at,
            format!("{rel:?} must be a file name under inputs/ (no .., no absolute path)"),
        ));
    }
    let full = dir.join("inputs").join(p);
    let Ok(meta) = std::fs::metadata(&full) else {
        return Err(Error::bundle(&list, at, format!("inputs/{rel} does not exist")));
    };
    if !meta.is_file() {
        let what = if meta.is_dir() { "a folder" } else { crate::store::special_file_kind(&meta) };
        return Err(Error::bundle(
            &list,
            at,
            format!("inputs/{rel} is {what}, not a file; a bundle's inputs are files"),
        ));
    }
    // A link may stay inside the bundle; one that leaves it (to /etc, to another engagement)
    // would import a file the bundle's sender chose from the reader's machine.
    let inside = match (dir.canonicalize(), full.canonicalize()) {
        (Ok(root), Ok(target)) => target.starts_with(&root),
        _ => false,
    };
    if !inside {
        return Err(Error::bundle(
            &list,
            at,
            format!(
                "inputs/{rel} is a link to a file outside the bundle folder, which is not read; copy the file into inputs/ instead"
            ),
        ));
    }
    Ok(full)
}

/// Imports every source `dir/inputs/imports.yaml` lists into `project`. Returns the summaries and
/// the files under `inputs/` that the list does not name (to warn about).
pub fn import_inputs(
    project: &mut Project,
    dir: &Path,
    progress: &Progress,
) -> Result<(Vec<ImportSummary>, Vec<String>)> {
    let present = super::unimported_inputs(dir);
    let list_path = dir.join(INPUTS_LIST);
    if !list_path.is_file() {
        return Ok((Vec::new(), present));
    }
    let list = list_path.display().to_string();
    let text = std::fs::read_to_string(&list_path).map_err(|e| Error::io(&list_path, e))?;
    let entries: Vec<InputFile> =
        serde_saphyr::from_str(&text).map_err(|e| Error::bundle(&list, "", e.to_string()))?;
    let mut summaries = Vec::new();
    let mut named = vec![INPUTS_LIST.to_string()];
    for (i, entry) in entries.iter().enumerate() {
        let at = format!("[{i}]");
        let path = input_path(dir, &entry.file, &format!("{at}.file"))?;
        named.push(format!("inputs/{}", entry.file));
        let summary = match entry.kind.as_str() {
            "status" => {
                if entry.log.is_some() || entry.resource_roles.is_some() {
                    return Err(Error::bundle(
                        &list,
                        at,
                        "a status input takes `status:` settings, not `log:` or `resource_roles:`",
                    ));
                }
                let options: StatusOptions = entry.status.clone().unwrap_or_default().into();
                project.import_status(&path, &options, progress)
            }
            "log" => {
                if entry.status.is_some() {
                    return Err(Error::bundle(&list, at, "a log input takes `log:` settings, not `status:`"));
                }
                let settings: LogSettings = entry.log.clone().unwrap_or_default().into();
                let roles = match &entry.resource_roles {
                    Some(rel) => {
                        named.push(format!("inputs/{rel}"));
                        read_resource_roles(&input_path(dir, rel, &format!("{at}.resource_roles"))?)?
                    }
                    None => HashMap::new(),
                };
                project.import_log(&path, &settings, roles, progress)
            }
            "telemetry" => {
                if entry.status.is_some() || entry.log.is_some() || entry.resource_roles.is_some() {
                    return Err(Error::bundle(
                        &list,
                        at,
                        "a telemetry input takes `telemetry:` settings only",
                    ));
                }
                project.import_telemetry(&path, &entry.telemetry.clone().unwrap_or_default().into(), progress)
            }
            other => {
                return Err(Error::bundle(
                    &list,
                    format!("{at}.kind"),
                    format!("{other:?} is not one of: status, log, telemetry"),
                ));
            }
        }
        .map_err(|e| match e {
            Error::Input { .. } | Error::Cancelled(_) => e,
            other => Error::bundle(&list, at.clone(), other.to_string()),
        })?;
        summaries.push(summary);
    }
    let unlisted = present.into_iter().filter(|p| !named.contains(p)).collect();
    Ok((summaries, unlisted))
}

/// Reads a `resource,role` table (a header line, then one row per person or device).
pub fn read_resource_roles(path: &Path) -> Result<HashMap<String, String>> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let mut reader =
        csv::ReaderBuilder::new().flexible(true).from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let mut table = HashMap::new();
    for (i, row) in reader.records().enumerate() {
        let line = format!("line {}", i + 2);
        let row = row.map_err(|e| Error::input(file.clone(), line.clone(), e.to_string()))?;
        match (row.get(0), row.get(1)) {
            (Some(resource), Some(role)) if !resource.trim().is_empty() && !role.trim().is_empty() => {
                table.insert(resource.trim().to_string(), role.trim().to_string());
            }
            _ => return Err(Error::input(file, line, "each row needs two columns: resource,role")),
        }
    }
    Ok(table)
}

/// A project made from the bundle folder `dir`: the model files, then `inputs/` imported. Lives
/// in memory (read-only commands given a bundle folder).
pub fn load_in_memory(dir: &Path) -> Result<Project> {
    let model = super::read_dir(dir)?;
    let name = model.project.as_ref().map(|p| p.name.clone()).unwrap_or_else(|| "Bundle".to_string());
    let mut project = Project::in_memory(&name, &model)?;
    import_inputs(&mut project, dir, &Progress::new())?;
    Ok(project)
}
