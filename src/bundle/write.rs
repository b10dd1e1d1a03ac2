//! Writing a `Model` as a bundle: the same model always gives the same bytes.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use super::format::*;
use super::is_safe_id;
use crate::error::{Error, Result};
use crate::model::*;

fn yaml<T: Serialize>(value: &T) -> Result<Vec<u8>> {
    let text = serde_saphyr::to_string(value)
        .map_err(|e| Error::invalid("bundle", format!("could not be written as YAML: {e}")))?;
    Ok(text.into_bytes())
}

fn text(value: &str) -> String {
    value.to_string()
}

/// Every model file of the bundle of `m`, by relative path, in a stable order.
pub fn render(m: &Model) -> Result<BTreeMap<String, Vec<u8>>> {
    let mut files = BTreeMap::new();
    let project = m.project.clone().unwrap_or(ProjectMeta {
        id: new_id(),
        name: "Untitled".to_string(),
        ..ProjectMeta::default()
    });
    files.insert(
        "baton.yaml".to_string(),
        yaml(&ManifestFile {
            format: FORMAT.to_string(),
            format_version: FORMAT_VERSION,
            project: ProjectFile {
                id: project.id,
                name: project.name,
                description: project.description,
                client: project.client,
                authors: project.authors,
                report_date: project.report_date,
            },
        })?,
    );
    let facilities: Vec<FacilityFile> = m
        .facilities
        .iter()
        .map(|f| FacilityFile { id: text(&f.id), name: text(&f.name), timezone: text(&f.timezone) })
        .collect();
    files.insert("facilities.yaml".to_string(), yaml(&facilities)?);
    let roles: Vec<RoleFile> = m
        .roles
        .iter()
        .map(|r| RoleFile { id: text(&r.id), name: text(&r.name), description: text(&r.description) })
        .collect();
    files.insert("roles.yaml".to_string(), yaml(&roles)?);
    let events: Vec<EventFile> = m
        .events
        .iter()
        .map(|e| EventFile {
            name: text(&e.name),
            description: text(&e.description),
            fields: e.fields.iter().map(|f| (text(&f.name), f.kind.as_str().to_string())).collect(),
            activities: e.activities.iter().map(|a| text(a)).collect(),
        })
        .collect();
    files.insert("events.yaml".to_string(), yaml(&events)?);

    for iv in &m.interviews {
        check_file_id("interview", &iv.id)?;
        let statements = m
            .statements
            .iter()
            .filter(|s| s.interview_id == iv.id)
            .map(|s| StatementFile {
                id: text(&s.id),
                step: text(&s.step_name),
                workflow: if s.step_id.is_none() { s.workflow_id.clone() } else { None },
                step_id: s.step_id.clone(),
                performed_by: s.performed_by.clone(),
                initiated_by: s.initiated_by.clone(),
                validated_by: s.validated_by.clone(),
                escalates_to: s.escalates_to.clone(),
                done_means: text(&s.done_means),
                next_handoff_to: s.next_handoff_to.clone(),
                workarounds: s.workarounds.iter().map(|w| w.as_str().to_string()).collect(),
                pain_point: text(&s.pain_point),
                typical_duration: text(&s.typical_duration),
                quote: text(&s.quote),
                claims: m
                    .claims
                    .iter()
                    .filter(|c| c.statement_id == s.id)
                    .map(|c| ClaimFile {
                        id: text(&c.id),
                        role: text(&c.role_id),
                        kind: c.kind.as_str().to_string(),
                        owns: c.owns,
                    })
                    .collect(),
            })
            .collect();
        let file = InterviewFile {
            id: text(&iv.id),
            role: text(&iv.role_id),
            facility: text(&iv.facility_id),
            shift: text(&iv.shift),
            alias: text(&iv.alias),
            date: text(&iv.date),
            interviewer: text(&iv.interviewer),
            notes: text(&iv.notes),
            workflows: iv.workflows.iter().map(|w| text(w)).collect(),
            statements,
        };
        files.insert(format!("interviews/{}.yaml", iv.id), yaml(&file)?);
    }

    for w in &m.workflows {
        check_file_id("workflow", &w.id)?;
        let versions = m
            .versions
            .iter()
            .filter(|v| v.workflow_id == w.id)
            .map(|v| VersionFile {
                id: text(&v.id),
                number: v.number.and_then(|n| u32::try_from(n).ok()),
                note: text(&v.note),
                created_at: text(&v.created_at),
                states: m
                    .proposed_states
                    .iter()
                    .filter(|s| s.version_id == v.id)
                    .map(|s| ProposedStateFile {
                        id: text(&s.id),
                        name: text(&s.name),
                        kind: s.kind.as_str().to_string(),
                        meaning: text(&s.meaning),
                        task: Some(text(&s.task)).filter(|t| !t.is_empty()),
                    })
                    .collect(),
                transitions: m
                    .transitions
                    .iter()
                    .filter(|t| t.version_id == v.id)
                    .map(|t| TransitionFile {
                        id: text(&t.id),
                        from: text(&t.from_state_id),
                        to: text(&t.to_state_id),
                        event: text(&t.event),
                        guard: text(&t.guard),
                        owner: t.owner_role_id.clone(),
                        timer: text(&t.timer),
                        escalate_to: t.escalate_to_role_id.clone(),
                        write_back: t
                            .write_backs
                            .iter()
                            .map(|wb| WriteBackFile { field: text(&wb.field), value: text(&wb.value) })
                            .collect(),
                        priority: t.priority,
                        owner_at: t
                            .overrides
                            .iter()
                            .map(|o| (o.facility_id.clone(), o.role_id.clone()))
                            .collect(),
                    })
                    .collect(),
            })
            .collect();
        let file = WorkflowFile {
            id: text(&w.id),
            name: text(&w.name),
            description: text(&w.description),
            steps: m
                .steps
                .iter()
                .filter(|s| s.workflow_id == w.id)
                .map(|s| StepFile {
                    id: text(&s.id),
                    name: text(&s.name),
                    kind: s.kind.as_str().to_string(),
                    owner: s.owner_role_id.clone(),
                    done_means: text(&s.done_means),
                    position: s.manual_xy.map(|(x, y)| PositionFile { x, y }),
                    generated: s.generated,
                    service_level: Some(text(&s.service_level)).filter(|t| !t.is_empty()),
                    safety_critical: s.safety_critical,
                })
                .collect(),
            handoffs: m
                .handoffs
                .iter()
                .filter(|h| h.workflow_id == w.id)
                .map(|h| HandoffFile {
                    id: text(&h.id),
                    from: text(&h.from_step_id),
                    to: text(&h.to_step_id),
                    label: text(&h.label),
                    generated: h.generated,
                })
                .collect(),
            business_states: m
                .business_states
                .iter()
                .filter(|s| s.workflow_id == w.id)
                .map(|s| BusinessStateFile {
                    id: text(&s.id),
                    name: text(&s.name),
                    meaning: text(&s.meaning),
                })
                .collect(),
            versions,
            distinct_steps: m
                .distinct_steps
                .iter()
                .filter(|d| d.workflow_id == w.id)
                .map(|d| [text(&d.first_step_id), text(&d.second_step_id)])
                .collect(),
            lanes: m.lanes.iter().filter(|l| l.workflow_id == w.id).map(|l| text(&l.role_id)).collect(),
        };
        files.insert(format!("workflows/{}.yaml", w.id), yaml(&file)?);
    }

    let fields: Vec<EmrFieldFile> = m
        .emr_fields
        .iter()
        .map(|f| EmrFieldFile {
            id: text(&f.id),
            name: text(&f.name),
            source: text(&f.source),
            description: text(&f.description),
            values: m
                .emr_values
                .iter()
                .filter(|v| v.field_id == f.id)
                .map(|v| EmrValueFile {
                    id: text(&v.id),
                    value: text(&v.value),
                    description: text(&v.description),
                })
                .collect(),
        })
        .collect();
    files.insert("emr/fields.yaml".to_string(), yaml(&fields)?);
    let mut counts = csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
    counts
        .write_record(["value_id", "facility_id", "count"])
        .map_err(|e| Error::invalid("emr/value-counts.csv", e.to_string()))?;
    for c in &m.emr_value_counts {
        counts
            .serialize(ValueCountRow {
                value_id: text(&c.value_id),
                facility_id: text(&c.facility_id),
                count: c.count,
            })
            .map_err(|e| Error::invalid("emr/value-counts.csv", e.to_string()))?;
    }
    let counts = counts.into_inner().map_err(|e| Error::invalid("emr/value-counts.csv", e.to_string()))?;
    files.insert("emr/value-counts.csv".to_string(), counts);

    let mappings: Vec<MappingFile> = m
        .mappings
        .iter()
        .map(|map| MappingFile {
            id: text(&map.id),
            value: text(&map.value_id),
            state: text(&map.state_id),
            facility: map.facility_id.clone(),
            note: text(&map.note),
        })
        .collect();
    files.insert("mappings.yaml".to_string(), yaml(&mappings)?);
    let comments: Vec<CommentFile> = m
        .comments
        .iter()
        .map(|c| CommentFile {
            id: text(&c.id),
            target_kind: c.target.as_str().to_string(),
            target_id: text(&c.target_id),
            author_role: c.author_role_id.clone(),
            author: text(&c.author_name),
            parent: c.parent_id.clone(),
            text: text(&c.text),
            created_at: text(&c.created_at),
            resolved: c.resolved,
        })
        .collect();
    files.insert("comments.yaml".to_string(), yaml(&comments)?);
    let findings: Vec<FindingTriageFile> = m
        .finding_triage
        .iter()
        .map(|f| FindingTriageFile {
            id: text(&f.id),
            kind: text(&f.kind),
            title: text(&f.title),
            status: f.status.as_str().to_string(),
            reason: text(&f.reason),
            decided_at: text(&f.decided_at),
        })
        .collect();
    files.insert("findings.yaml".to_string(), yaml(&findings)?);
    if !m.signoffs.is_empty() {
        let mut signoffs: Vec<&crate::model::SignOff> = m.signoffs.iter().collect();
        signoffs.sort_by(|a, b| (&a.signed_on, &a.id).cmp(&(&b.signed_on, &b.id)));
        let signoffs: Vec<SignOffFile> = signoffs
            .into_iter()
            .map(|s| SignOffFile {
                id: text(&s.id),
                version: text(&s.version_id),
                name: text(&s.name),
                role: text(&s.role),
                signed_on: text(&s.signed_on),
                decision: s.decision.as_str().to_string(),
                comment: text(&s.comment),
                content_hash: text(&s.content_hash),
                content_scheme: s.content_scheme,
            })
            .collect();
        files.insert("signoffs.yaml".to_string(), yaml(&signoffs)?);
    }
    if !m.imports.is_empty() {
        let imports: Vec<ImportFile> = m
            .imports
            .iter()
            .map(|i| ImportFile {
                id: text(&i.id),
                kind: i.kind.as_str().to_string(),
                name: text(&i.name),
                format: text(&i.format),
                settings: serde_json::from_str(&i.settings).unwrap_or_default(),
                summary: serde_json::from_str(&i.summary).unwrap_or_default(),
                imported_at: text(&i.imported_at),
            })
            .collect();
        files.insert("imports.yaml".to_string(), yaml(&imports)?);
    }
    for t in &m.telemetry {
        check_file_id("telemetry import", &t.id)?;
        let file = TelemetryFile {
            id: text(&t.id),
            name: text(&t.name),
            settings: serde_json::from_str::<crate::telemetry::TelemetrySettings>(&t.settings)
                .unwrap_or_default()
                .into(),
            summary: serde_json::from_str(&t.summary).unwrap_or_default(),
            imported_at: text(&t.imported_at),
            groups: t.groups.iter().cloned().map(Into::into).collect(),
        };
        files.insert(format!("telemetry/{}.yaml", t.id), yaml(&file)?);
    }
    for log in &m.logs {
        check_file_id("log", &log.id)?;
        files.insert(format!("logs/{}.yaml", log.id), yaml(&log_file(log))?);
    }
    Ok(files)
}

fn log_file(log: &crate::model::EventLog) -> LogFile {
    LogFile {
        id: text(&log.id),
        events: log.events,
        cases: log.cases,
        first_at: text(&log.first_at),
        last_at: text(&log.last_at),
        other_variants: log.other_variants,
        activities: log
            .activities
            .iter()
            .map(|a| LogActivityFile {
                facility: text(&a.facility),
                activity: text(&a.activity),
                events: a.events,
                starts: a.starts,
                ends: a.ends,
                wait_count: a.wait_count,
                wait_median: a.wait_median,
                wait_p90: a.wait_p90,
            })
            .collect(),
        roles: log
            .roles
            .iter()
            .map(|r| LogRoleFile {
                facility: text(&r.facility),
                activity: text(&r.activity),
                role: text(&r.role),
                events: r.events,
            })
            .collect(),
        edges: log
            .edges
            .iter()
            .map(|e| LogEdgeFile {
                facility: text(&e.facility),
                from: text(&e.from),
                to: text(&e.to),
                count: e.count,
                mean_seconds: e.mean_seconds,
                median_seconds: e.median_seconds,
                sketch: e.sketch.as_ref().map(|s| s.to_text()),
            })
            .collect(),
        variants: log
            .variants
            .iter()
            .map(|v| LogVariantFile {
                activities: v.activities.clone(),
                count: v.count,
                example_case: text(&v.example_case),
            })
            .collect(),
    }
}

fn check_file_id(what: &str, id: &str) -> Result<()> {
    if is_safe_id(id) {
        Ok(())
    } else {
        Err(Error::invalid(format!("{what} id"), format!("{id:?} cannot be used as a file name in a bundle")))
    }
}

/// Writes the bundle of `m` into `dir`, creating it if needed.
///
/// `dir` must be new, empty, or an earlier bundle (it holds `baton.yaml`); in an earlier bundle the
/// model files are replaced, interviews and workflows that no longer exist are removed, and
/// `README.md`, `exports/` and `inputs/` are left alone. Returns the files written.
pub fn write_bundle(m: &Model, dir: &Path) -> Result<Vec<String>> {
    let files = render(m)?;
    if dir.exists() {
        if !dir.is_dir() {
            return Err(Error::invalid("DIR", format!("{} is a file, not a folder", dir.display())));
        }
        let non_empty = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?.next().is_some();
        if non_empty && !dir.join("baton.yaml").is_file() {
            return Err(Error::invalid(
                "DIR",
                format!(
                    "{} is not empty and holds no baton.yaml; choose an empty folder or an earlier bundle",
                    dir.display()
                ),
            ));
        }
        // Optional files the project no longer has.
        for optional in ["imports.yaml", "signoffs.yaml"] {
            if !files.contains_key(optional) && dir.join(optional).is_file() {
                std::fs::remove_file(dir.join(optional)).map_err(|e| Error::io(&dir.join(optional), e))?;
            }
        }
        for sub in ["interviews", "workflows", "logs", "telemetry"] {
            let folder = dir.join(sub);
            let Ok(entries) = std::fs::read_dir(&folder) else { continue };
            for entry in entries {
                let entry = entry.map_err(|e| Error::io(&folder, e))?;
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.ends_with(".yaml") && !files.contains_key(&format!("{sub}/{name}")) {
                    std::fs::remove_file(entry.path()).map_err(|e| Error::io(&entry.path(), e))?;
                }
            }
        }
    }
    for (rel, bytes) in &files {
        crate::store::write_atomically(&dir.join(rel), bytes)?;
    }
    Ok(files.into_keys().collect())
}

impl crate::store::Project {
    /// Writes the project as a bundle into `dir` (`write_bundle`) and records it in the audit
    /// trail; returns the files written.
    pub fn export_bundle(&mut self, dir: &Path) -> Result<Vec<String>> {
        let files = write_bundle(&self.model()?, dir)?;
        self.record("bundle_export", &format!("{} ({} files)", dir.display(), files.len()))?;
        Ok(files)
    }
}
