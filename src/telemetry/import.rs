//! Importing telemetry into a project: one journaled edit that replaces an earlier import of a
//! file of the same name; the workflow values are matched to the project's workflows, and the
//! steps are checked against what each version's telemetry spec asks for.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::read::{TelemetryColumns, TelemetryOptions, read_telemetry};
use crate::error::Result;
use crate::import::ImportSummary;
use crate::model::{Model, TelemetryImport, new_id};
use crate::progress::Progress;
use crate::store::Project;

/// The settings of a telemetry import, as remembered per file name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TelemetrySettings {
    #[serde(default)]
    pub columns: TelemetryColumns,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp_format: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tz: Option<String>,
    /// Texts that look like patient identifiers, stored as they are on the user's confirmation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow_identifiers: Vec<String>,
}

/// What the published versions' telemetry specs ask for and the telemetry does not have: for
/// each (workflow, version) present, the transitions creating a task whose id, event or target
/// state no task names.
fn missing(m: &Model, steps_seen: &std::collections::BTreeMap<(String, i64), Vec<String>>) -> Vec<String> {
    let mut out = Vec::new();
    for ((workflow, number), steps) in steps_seen {
        let Some(version) =
            m.versions.iter().find(|v| &v.workflow_id == workflow && v.number == Some(*number))
        else {
            continue;
        };
        let name = |id: &str| m.proposed_states.iter().find(|s| s.id == id).map(|s| s.name.as_str());
        // Transitions into a terminal state create no task, so no task names them.
        let terminal = |id: &str| {
            m.proposed_states.iter().any(|s| s.id == id && s.kind == crate::model::StateKind::Terminal)
        };
        for t in m.transitions.iter().filter(|t| t.version_id == version.id && !terminal(&t.to_state_id)) {
            let covered = steps.iter().any(|s| {
                s == &t.id || s == &t.event || Some(s.as_str()) == name(&t.to_state_id) || s == &t.to_state_id
            });
            if !covered {
                out.push(format!(
                    "version {number} of {workflow}: no telemetry for transition {} ({} → {} on {})",
                    t.id,
                    name(&t.from_state_id).unwrap_or("?"),
                    name(&t.to_state_id).unwrap_or("?"),
                    t.event
                ));
            }
        }
    }
    out
}

impl Project {
    /// Imports task telemetry (CSV, JSON lines or FHIR Task histories): task groups per workflow, version, step,
    /// facility and role. Re-importing a file of the same name replaces it.
    pub fn import_telemetry(
        &mut self,
        path: &Path,
        settings: &TelemetrySettings,
        progress: &Progress,
    ) -> Result<ImportSummary> {
        let name =
            path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().to_string());
        let m = self.model()?;
        let previous = m.telemetry.iter().find(|t| t.name == name);
        let (used, remembered) =
            crate::import::remember::settings_to_use(settings, previous.map(|p| p.settings.as_str()));
        let options = TelemetryOptions {
            columns: used.columns.clone(),
            timestamp_format: used.timestamp_format.clone(),
            tz: used.tz.clone(),
        };
        let mut read = read_telemetry(path, &options, progress)?;
        progress.check("importing telemetry")?;
        // Workflow values → the project's workflow ids (by id or name, any case).
        let ids: HashMap<String, String> = m
            .workflows
            .iter()
            .flat_map(|w| [(w.id.to_lowercase(), w.id.clone()), (w.name.to_lowercase(), w.id.clone())])
            .collect();
        let resolve = |w: &str| ids.get(&w.to_lowercase()).cloned().unwrap_or_else(|| w.to_string());
        let mut screen = crate::phi::ValueScreen::new(&self.salt()?, &used.allow_identifiers);
        for g in &mut read.groups {
            g.workflow = resolve(&g.workflow);
            g.step = screen.screen("step", &g.step);
            g.role = screen.screen("role", &g.role);
            g.facility = screen.screen("facility", &g.facility);
        }
        let allowed = screen.allowed();
        let steps_seen = read.steps_seen.iter().map(|((w, v), s)| ((resolve(w), *v), s.clone())).collect();
        let tasks: u64 = read.groups.iter().map(|g| g.tasks).sum();
        let summary = ImportSummary {
            kind: "telemetry".into(),
            source: name.clone(),
            format: read.format.clone(),
            columns: read.columns.clone(),
            records: read.events,
            cases: Some(tasks),
            dropped: read.dropped.clone(),
            hashed: vec![format!("task ids ({tasks} tasks) and actors: used to group and count, not stored")],
            warnings: missing(&m, &steps_seen),
            replaced: screen.replaced(),
            flagged: screen.flagged(),
            allowed: allowed.len() as u64,
            remembered_mapping: remembered,
            ..ImportSummary::default()
        };
        let stored = ImportSummary { remembered_mapping: false, ..summary.clone() };
        let (settings_text, summary_text) = (
            crate::import::remember::Remembered::to_stored(&used),
            serde_json::to_string(&stored).unwrap_or_default(),
        );
        // An unchanged re-import (a bundle's inputs, say) keeps its time, so bundles round-trip.
        let same = |p: &&TelemetryImport| {
            serde_json::from_str::<serde_json::Value>(&p.settings).ok()
                == serde_json::from_str(&settings_text).ok()
                && serde_json::from_str::<serde_json::Value>(&p.summary).ok()
                    == serde_json::from_str(&summary_text).ok()
                && p.groups == read.groups
        };
        let imported_at =
            previous.filter(same).map_or_else(crate::clock::now_rfc3339, |p| p.imported_at.clone());
        let record = TelemetryImport {
            id: previous.map_or_else(new_id, |p| p.id.clone()),
            name: name.clone(),
            settings: settings_text,
            summary: summary_text,
            imported_at,
            groups: read.groups,
        };
        self.edit(&format!("Import telemetry {name}"), |tx| {
            crate::store::audit::record_in(tx, "import", &format!("{name} (task telemetry)"))?;
            crate::import::record_allowed(tx, &name, &allowed)?;
            tx.execute("DELETE FROM telemetry_import WHERE name = ?1", [&name])?;
            crate::store::rows::insert_telemetry(tx, &record)?;
            Ok(())
        })?;
        Ok(summary)
    }

    /// Every task group of the project's telemetry.
    pub fn telemetry_groups(&self) -> Result<Vec<super::TaskGroup>> {
        Ok(self.model()?.telemetry.into_iter().flat_map(|t| t.groups).collect())
    }

    /// The metrics of a workflow's telemetry (`super::metrics`), steps named as `step_labels` does.
    pub fn workflow_metrics(
        &self,
        workflow_id: &str,
        version: Option<i64>,
        compare: Option<(i64, i64)>,
    ) -> Result<super::Metrics> {
        let m = self.model()?;
        super::metrics(
            &step_labels(&m, workflow_id),
            workflow_id,
            version,
            compare,
            &crate::progress::Progress::none(),
        )
    }
}

/// A workflow's task groups with each step named by the state its transition enters, when the
/// step names a transition of that version (by id, event, target state id or name; the spec
/// check above accepts the same). Transition ids differ between versions; the state a task is
/// meant to reach keeps its name, so a step is compared across versions by that name.
pub fn step_labels(m: &Model, workflow_id: &str) -> Vec<super::TaskGroup> {
    let state = |id: &str| m.proposed_states.iter().find(|s| s.id == id).map(|s| s.name.clone());
    let label = |version: i64, step: &str| -> Option<String> {
        let v = m.versions.iter().find(|v| v.workflow_id == workflow_id && v.number == Some(version))?;
        let t = m
            .transitions
            .iter()
            .find(|t| t.version_id == v.id && (t.id == step || t.event == step || t.to_state_id == step))?;
        state(&t.to_state_id)
    };
    m.telemetry
        .iter()
        .flat_map(|t| &t.groups)
        .filter(|g| g.workflow == workflow_id)
        .map(|g| {
            let step = label(g.version, &g.step).unwrap_or_else(|| g.step.clone());
            super::TaskGroup { step, ..g.clone() }
        })
        .collect()
}
