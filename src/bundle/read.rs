//! Reading a bundle into a `Model`, checking every reference, with errors that name the file and
//! the YAML path (or CSV line) at fault.

use std::collections::{BTreeMap, BTreeSet};

use serde::de::DeserializeOwned;

use super::format::*;
use super::source::Source;
use super::{MODEL_FILES, is_safe_id};
use crate::error::{Error, Result};
use crate::model::*;

/// Reads and checks the model files of the bundle in `src` (not `inputs/`).
pub fn read_model(src: &dyn Source) -> Result<Model> {
    Reader { src, seen: BTreeMap::new(), unnamed: BTreeSet::new() }.read()
}

struct Reader<'a> {
    src: &'a dyn Source,
    /// Ids already used, per kind of thing, with where they were first seen.
    seen: BTreeMap<&'static str, BTreeMap<String, String>>,
    /// Proposed states whose file gives no `task` (written before task names were content): their
    /// tasks are derived once the whole model is read.
    unnamed: BTreeSet<String>,
}

impl Reader<'_> {
    fn fail(&self, file: &str, location: impl Into<String>, message: impl Into<String>) -> Error {
        Error::bundle(self.src.label(file), location, message)
    }

    fn missing(&self, rel: &str) -> Error {
        let empty = if rel.ends_with(".csv") {
            "write only its header line, value_id,facility_id,count, for no counts"
        } else {
            "write [] for an empty list"
        };
        self.fail(
            rel,
            "file",
            format!("is missing; every bundle holds baton.yaml, facilities.yaml, roles.yaml, events.yaml, emr/fields.yaml, emr/value-counts.csv, mappings.yaml, comments.yaml and findings.yaml ({empty})"),
        )
    }

    fn text(&self, rel: &str) -> Result<String> {
        let bytes = self.src.read(rel)?.ok_or_else(|| self.missing(rel))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            self.fail(rel, "file", format!("is not UTF-8 text (byte {})", e.utf8_error().valid_up_to()))
        })?;
        Ok(text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text))
    }

    fn yaml<T: DeserializeOwned>(&self, rel: &str) -> Result<T> {
        let text = self.text(rel)?;
        if text.trim().is_empty() {
            return Err(self.fail(rel, "file", "is empty; write [] for an empty list"));
        }
        serde_saphyr::from_str(&text).map_err(|e| {
            let message = e.to_string();
            let (location, detail) = split_location(&message);
            self.fail(rel, location, detail)
        })
    }

    /// Derives the tasks of the states whose file gave none (`design::task`); a `task: ""` the
    /// file gives is kept.
    fn name_tasks(&self, m: &mut Model) {
        crate::model::task::fill_where(m, |s| self.unnamed.contains(&s.id));
    }

    fn claim_id(&mut self, kind: &'static str, id: &str, file: &str, path: &str) -> Result<()> {
        if id.trim().is_empty() {
            return Err(self.fail(file, format!("{path}.id"), "must not be empty"));
        }
        let here = format!("{}: {path}", self.src.label(file));
        if let Some(first) = self.seen.get(kind).and_then(|seen| seen.get(id)) {
            return Err(self.fail(
                file,
                format!("{path}.id"),
                format!("duplicate {kind} id {id:?}, already used at {first}; give each {kind} its own id"),
            ));
        }
        self.seen.entry(kind).or_default().insert(id.to_string(), here);
        Ok(())
    }

    fn known(&self, kind: &'static str, id: &str) -> bool {
        self.seen.get(kind).is_some_and(|ids| ids.contains_key(id))
    }

    fn reference(&self, kind: &'static str, id: &str, file: &str, path: &str) -> Result<String> {
        if self.known(kind, id) {
            Ok(id.to_string())
        } else {
            let known: Vec<&String> = self.seen.get(kind).map(|m| m.keys().collect()).unwrap_or_default();
            let hint = if known.is_empty() {
                format!("no {kind} is defined")
            } else {
                format!(
                    "known {kind} ids: {}",
                    known.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
                )
            };
            Err(self.fail(file, path, format!("unknown {kind} {id:?} ({hint})")))
        }
    }

    fn optional_ref(
        &self,
        kind: &'static str,
        id: &Option<String>,
        file: &str,
        path: &str,
    ) -> Result<Option<String>> {
        id.as_ref().map(|id| self.reference(kind, id, file, path)).transpose()
    }

    fn choice<T>(
        &self,
        text: &str,
        parse: fn(&str) -> Option<T>,
        expected: String,
        file: &str,
        path: &str,
    ) -> Result<T> {
        parse(text).ok_or_else(|| self.fail(file, path, format!("{text:?} is not one of: {expected}")))
    }

    fn read(mut self) -> Result<Model> {
        let manifest: ManifestFile = self.yaml("baton.yaml")?;
        if manifest.format != FORMAT {
            return Err(self.fail(
                "baton.yaml",
                "format",
                format!("must be {FORMAT:?}, found {:?}", manifest.format),
            ));
        }
        if manifest.format_version > FORMAT_VERSION || manifest.format_version == 0 {
            return Err(self.fail(
                "baton.yaml",
                "format_version",
                format!(
                    "version {} is not one this Baton reads (it reads up to {FORMAT_VERSION}); update Baton",
                    manifest.format_version
                ),
            ));
        }
        // Report a missing file before any parse error elsewhere: it usually means the wrong folder.
        if let Some(file) = MODEL_FILES.iter().find(|f| !self.src.exists(f)) {
            return Err(self.missing(file));
        }
        let date = manifest.project.report_date.trim();
        if !date.is_empty() && date.parse::<jiff::civil::Date>().is_err() {
            return Err(self.fail(
                "baton.yaml",
                "project.report_date",
                format!("{date:?} is not a date; write it as YYYY-MM-DD, or leave it out"),
            ));
        }
        let mut m = Model {
            project: Some(ProjectMeta {
                id: manifest.project.id,
                name: manifest.project.name,
                description: manifest.project.description,
                client: manifest.project.client,
                authors: manifest.project.authors,
                report_date: manifest.project.report_date,
            }),
            ..Model::default()
        };

        let file = "facilities.yaml";
        for (i, f) in self.yaml::<Vec<FacilityFile>>(file)?.into_iter().enumerate() {
            self.claim_id("facility", &f.id, file, &format!("[{i}]"))?;
            m.facilities.push(Facility { id: f.id, name: f.name, timezone: f.timezone });
        }
        let file = "roles.yaml";
        for (i, r) in self.yaml::<Vec<RoleFile>>(file)?.into_iter().enumerate() {
            self.claim_id("role", &r.id, file, &format!("[{i}]"))?;
            m.roles.push(Role { id: r.id, name: r.name, description: r.description });
        }
        let file = "events.yaml";
        for (i, e) in self.yaml::<Vec<EventFile>>(file)?.into_iter().enumerate() {
            self.claim_id("event", &e.name, file, &format!("[{i}]"))?;
            let mut fields = Vec::new();
            for (name, kind) in &e.fields {
                let kind = self.choice(
                    kind,
                    FieldKind::parse,
                    FieldKind::expected(),
                    file,
                    &format!("[{i}].fields.{name}"),
                )?;
                fields.push(EventField { name: name.clone(), kind });
            }
            let mut activities: Vec<String> = e.activities.iter().map(|a| a.trim().to_string()).collect();
            activities.sort();
            activities.dedup();
            m.events.push(EventType { name: e.name, description: e.description, fields, activities });
        }
        self.unique_names(
            &m.facilities.iter().map(|f| f.name.clone()).collect::<Vec<_>>(),
            "facilities.yaml",
            "facility",
        )?;
        self.unique_names(&m.roles.iter().map(|r| r.name.clone()).collect::<Vec<_>>(), "roles.yaml", "role")?;

        for name in self.src.files_in("workflows")? {
            self.workflow(&mut m, &name)?;
        }
        self.unique_names(
            &m.workflows.iter().map(|w| w.name.clone()).collect::<Vec<_>>(),
            "workflows",
            "workflow",
        )?;
        for name in self.src.files_in("interviews")? {
            self.interview(&mut m, &name)?;
        }
        self.emr(&mut m)?;

        let file = "mappings.yaml";
        for (i, map) in self.yaml::<Vec<MappingFile>>(file)?.into_iter().enumerate() {
            let path = format!("[{i}]");
            self.claim_id("mapping", &map.id, file, &path)?;
            m.mappings.push(Mapping {
                id: map.id,
                value_id: self.reference("EMR value", &map.value, file, &format!("{path}.value"))?,
                state_id: self.reference("business state", &map.state, file, &format!("{path}.state"))?,
                facility_id: self.optional_ref(
                    "facility",
                    &map.facility,
                    file,
                    &format!("{path}.facility"),
                )?,
                note: map.note,
            });
        }
        let file = "comments.yaml";
        for (i, c) in self.yaml::<Vec<CommentFile>>(file)?.into_iter().enumerate() {
            let path = format!("[{i}]");
            self.claim_id("comment", &c.id, file, &path)?;
            let target = self.choice(
                &c.target_kind,
                CommentTarget::parse,
                CommentTarget::expected(),
                file,
                &format!("{path}.target_kind"),
            )?;
            let target_kind = match target {
                CommentTarget::Step => "step",
                CommentTarget::Handoff => "handoff",
                CommentTarget::State => "proposed state",
                CommentTarget::Transition => "transition",
            };
            m.comments.push(Comment {
                id: c.id,
                target,
                target_id: self.reference(target_kind, &c.target_id, file, &format!("{path}.target_id"))?,
                author_role_id: self.optional_ref(
                    "role",
                    &c.author_role,
                    file,
                    &format!("{path}.author_role"),
                )?,
                author_name: c.author,
                parent_id: c.parent,
                text: c.text,
                created_at: c.created_at,
                resolved: c.resolved,
            });
        }
        for (i, c) in m.comments.iter().enumerate() {
            let Some(parent) = &c.parent_id else { continue };
            match m.comments.iter().find(|p| &p.id == parent) {
                None => {
                    return Err(self.fail(
                        file,
                        format!("[{i}].parent"),
                        format!(
                            "no comment {parent:?} in comments.yaml: a reply names the comment it answers"
                        ),
                    ));
                }
                Some(p) if p.target != c.target || p.target_id != c.target_id || p.id == c.id => {
                    return Err(self.fail(
                        file,
                        format!("[{i}].parent"),
                        format!("comment {parent:?} is on another step, state or transition: a reply is pinned where the comment it answers is"),
                    ));
                }
                Some(_) => {}
            }
        }
        let file = "findings.yaml";
        for (i, f) in self.yaml::<Vec<FindingTriageFile>>(file)?.into_iter().enumerate() {
            let path = format!("[{i}]");
            self.claim_id("finding", &f.id, file, &path)?;
            let status = match FindingStatus::parse(&f.status) {
                Some(status @ (FindingStatus::Accepted | FindingStatus::Dismissed)) => status,
                _ => {
                    return Err(self.fail(
                        file,
                        format!("{path}.status"),
                        format!(
                            "{:?} is not one of: accepted, dismissed (an open finding has no entry here)",
                            f.status
                        ),
                    ));
                }
            };
            if status == FindingStatus::Dismissed && f.reason.trim().is_empty() {
                return Err(self.fail(file, format!("{path}.reason"), "a dismissed finding needs a reason"));
            }
            m.finding_triage.push(FindingTriage {
                id: f.id,
                kind: f.kind,
                title: f.title,
                status,
                reason: f.reason,
                decided_at: f.decided_at,
            });
        }
        self.imports(&mut m)?;
        let file = "signoffs.yaml";
        if self.src.exists(file) {
            for (i, s) in self.yaml::<Vec<SignOffFile>>(file)?.into_iter().enumerate() {
                let path = format!("[{i}]");
                self.claim_id("sign-off", &s.id, file, &path)?;
                if !m.versions.iter().any(|v| v.id == s.version && v.number.is_some()) {
                    return Err(self.fail(
                        file,
                        format!("{path}.version"),
                        format!("{:?} is not a published version of a workflow in this bundle", s.version),
                    ));
                }
                if !(1..=crate::model::CONTENT_SCHEME).contains(&s.content_scheme) {
                    return Err(self.fail(
                        file,
                        format!("{path}.content_scheme"),
                        format!(
                            "{} is not a content scheme this Baton knows: use 1 (a sign-off given before task names were content) or {}",
                            s.content_scheme,
                            crate::model::CONTENT_SCHEME
                        ),
                    ));
                }
                let decision = self.choice(
                    &s.decision,
                    Decision::parse,
                    Decision::expected(),
                    file,
                    &format!("{path}.decision"),
                )?;
                m.signoffs.push(SignOff {
                    id: s.id,
                    version_id: s.version,
                    name: s.name,
                    role: s.role,
                    signed_on: s.signed_on,
                    decision,
                    comment: s.comment,
                    content_hash: s.content_hash,
                    content_scheme: s.content_scheme,
                });
            }
        }
        self.name_tasks(&mut m);
        Ok(m)
    }

    /// `imports.yaml` and `logs/*.yaml`, both optional.
    fn imports(&mut self, m: &mut Model) -> Result<()> {
        let file = "imports.yaml";
        if self.src.exists(file) {
            for (i, f) in self.yaml::<Vec<ImportFile>>(file)?.into_iter().enumerate() {
                let path = format!("[{i}]");
                self.claim_id("import", &f.id, file, &path)?;
                let kind = self.choice(
                    &f.kind,
                    ImportKind::parse,
                    ImportKind::expected(),
                    file,
                    &format!("{path}.kind"),
                )?;
                m.imports.push(ImportRecord {
                    id: f.id,
                    kind,
                    name: f.name,
                    format: f.format,
                    settings: serde_json::to_string(&f.settings).unwrap_or_default(),
                    summary: serde_json::to_string(&f.summary).unwrap_or_default(),
                    imported_at: f.imported_at,
                });
            }
        }
        for name in self.src.files_in("telemetry")? {
            let file = format!("telemetry/{name}");
            let f: TelemetryFile = self.yaml(&file)?;
            self.file_id(&file, &name, &f.id)?;
            self.claim_id("telemetry import", &f.id, &file, "id")?;
            m.telemetry.push(TelemetryImport {
                id: f.id,
                name: f.name,
                settings: serde_json::to_string(&crate::telemetry::TelemetrySettings::from(f.settings))
                    .unwrap_or_default(),
                summary: serde_json::to_string(&f.summary).unwrap_or_default(),
                imported_at: f.imported_at,
                groups: f.groups.into_iter().map(Into::into).collect(),
            });
        }
        for name in self.src.files_in("logs")? {
            let file = format!("logs/{name}");
            let f: LogFile = self.yaml(&file)?;
            self.file_id(&file, &name, &f.id)?;
            if !m.imports.iter().any(|i| i.id == f.id && i.kind == ImportKind::Log) {
                return Err(self.fail(&file, "id", format!("no log import {:?} in imports.yaml", f.id)));
            }
            let sketches = f
                .edges
                .iter()
                .enumerate()
                .map(|(i, e)| match e.sketch.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                    None => Ok(None),
                    Some(text) => crate::model::sketch::Sketch::parse(text).map(Some).map_err(|problem| {
                        self.fail(
                            &file,
                            format!("edges[{i}].sketch"),
                            format!("{problem}; write the sketch as Baton does, or leave it out (the log's tail is then not judged)"),
                        )
                    }),
                })
                .collect::<Result<Vec<_>>>()?;
            m.logs.push(EventLog {
                id: f.id,
                events: f.events,
                cases: f.cases,
                first_at: f.first_at,
                last_at: f.last_at,
                other_variants: f.other_variants,
                activities: f
                    .activities
                    .into_iter()
                    .map(|a| LogActivity {
                        facility: a.facility,
                        activity: a.activity,
                        events: a.events,
                        starts: a.starts,
                        ends: a.ends,
                        wait_count: a.wait_count,
                        wait_median: a.wait_median,
                        wait_p90: a.wait_p90,
                    })
                    .collect(),
                roles: f
                    .roles
                    .into_iter()
                    .map(|r| LogRole {
                        facility: r.facility,
                        activity: r.activity,
                        role: r.role,
                        events: r.events,
                    })
                    .collect(),
                edges: f
                    .edges
                    .into_iter()
                    .zip(sketches)
                    .map(|(e, sketch)| LogEdge {
                        facility: e.facility,
                        from: e.from,
                        to: e.to,
                        count: e.count,
                        mean_seconds: e.mean_seconds,
                        median_seconds: e.median_seconds,
                        sketch,
                    })
                    .collect(),
                variants: f
                    .variants
                    .into_iter()
                    .map(|v| LogVariant {
                        activities: v.activities,
                        count: v.count,
                        example_case: v.example_case,
                    })
                    .collect(),
            });
        }
        m.imports.sort_by(|a, b| (a.kind, &a.name, &a.id).cmp(&(b.kind, &b.name, &b.id)));
        m.logs.sort_by(|a, b| {
            let name = |id: &str| m.imports.iter().find(|i| i.id == id).map(|i| i.name.clone());
            (name(&a.id), &a.id).cmp(&(name(&b.id), &b.id))
        });
        Ok(())
    }

    fn unique_names(&self, names: &[String], file: &str, what: &str) -> Result<()> {
        let mut seen = BTreeSet::new();
        for (i, name) in names.iter().enumerate() {
            if name.trim().is_empty() {
                return Err(self.fail(file, format!("[{i}].name"), format!("a {what} needs a name")));
            }
            if !seen.insert(name.to_lowercase()) {
                return Err(self.fail(
                    file,
                    format!("[{i}].name"),
                    format!("two {what}s are named {name:?}; names must differ"),
                ));
            }
        }
        Ok(())
    }

    fn file_id(&self, file: &str, name: &str, id: &str) -> Result<()> {
        if !is_safe_id(id) {
            return Err(self.fail(
                file,
                "id",
                format!("{id:?} cannot name a file; use letters, digits, '.', '_' and '-'"),
            ));
        }
        if name != format!("{id}.yaml") {
            return Err(self.fail(
                file,
                "id",
                format!("{id:?} does not match the file name; rename the file to {id}.yaml"),
            ));
        }
        Ok(())
    }

    fn workflow(&mut self, m: &mut Model, name: &str) -> Result<()> {
        if !name.ends_with(".yaml") {
            return Ok(());
        }
        let file = format!("workflows/{name}");
        let file = file.as_str();
        let w: WorkflowFile = self.yaml(file)?;
        self.file_id(file, name, &w.id)?;
        self.claim_id("workflow", &w.id, file, "")?;
        let mut local_steps = BTreeSet::new();
        for (i, s) in w.steps.iter().enumerate() {
            let path = format!("steps[{i}]");
            self.claim_id("step", &s.id, file, &path)?;
            local_steps.insert(s.id.clone());
            m.steps.push(Step {
                id: s.id.clone(),
                workflow_id: w.id.clone(),
                name: s.name.clone(),
                kind: self.choice(
                    &s.kind,
                    StepKind::parse,
                    StepKind::expected(),
                    file,
                    &format!("{path}.kind"),
                )?,
                owner_role_id: self.optional_ref("role", &s.owner, file, &format!("{path}.owner"))?,
                done_means: s.done_means.clone(),
                position: i as i64,
                manual_xy: s.position.map(|p| (p.x, p.y)),
                generated: s.generated,
                service_level: match s.service_level.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                    None => String::new(),
                    Some(text) if crate::model::duration::parse_duration(text).is_some() => text.to_string(),
                    Some(text) => {
                        return Err(self.fail(
                            file,
                            format!("{path}.service_level"),
                            format!("{text:?} is not an ISO 8601 duration such as PT30M or PT4H"),
                        ));
                    }
                },
                safety_critical: s.safety_critical,
            });
        }
        for (i, h) in w.handoffs.iter().enumerate() {
            let path = format!("handoffs[{i}]");
            self.claim_id("handoff", &h.id, file, &path)?;
            for (end, step) in [("from", &h.from), ("to", &h.to)] {
                if !local_steps.contains(step) {
                    return Err(self.fail(
                        file,
                        format!("{path}.{end}"),
                        format!("unknown step {step:?}: a handoff joins two steps of this workflow"),
                    ));
                }
            }
            m.handoffs.push(Handoff {
                id: h.id.clone(),
                workflow_id: w.id.clone(),
                from_step_id: h.from.clone(),
                to_step_id: h.to.clone(),
                label: h.label.clone(),
                position: i as i64,
                generated: h.generated,
            });
        }
        for (i, s) in w.business_states.iter().enumerate() {
            self.claim_id("business state", &s.id, file, &format!("business_states[{i}]"))?;
            m.business_states.push(BusinessState {
                id: s.id.clone(),
                workflow_id: w.id.clone(),
                name: s.name.clone(),
                meaning: s.meaning.clone(),
                position: i as i64,
            });
        }
        for (i, [first, second]) in w.distinct_steps.iter().enumerate() {
            for (end, step) in [(0, first), (1, second)] {
                if !local_steps.contains(step) {
                    return Err(self.fail(
                        file,
                        format!("distinct_steps[{i}][{end}]"),
                        format!("unknown step {step:?}: list two steps of this workflow"),
                    ));
                }
            }
            if first >= second {
                return Err(self.fail(
                    file,
                    format!("distinct_steps[{i}]"),
                    "list two different step ids, the smaller first",
                ));
            }
            m.distinct_steps.push(DistinctSteps {
                workflow_id: w.id.clone(),
                first_step_id: first.clone(),
                second_step_id: second.clone(),
            });
        }
        let mut lanes = BTreeSet::new();
        for (i, role) in w.lanes.iter().enumerate() {
            let path = format!("lanes[{i}]");
            let role = self.reference("role", role, file, &path)?;
            if !lanes.insert(role.clone()) {
                return Err(self.fail(
                    file,
                    path,
                    format!("role {role:?} has two lanes; list each role once"),
                ));
            }
            m.lanes.push(Lane { workflow_id: w.id.clone(), role_id: role, position: i as i64 });
        }
        let mut numbers = BTreeSet::new();
        let mut drafts = 0;
        for (vi, v) in w.versions.iter().enumerate() {
            let vpath = format!("versions[{vi}]");
            self.claim_id("version", &v.id, file, &vpath)?;
            match v.number {
                Some(0) => {
                    return Err(self.fail(file, format!("{vpath}.number"), "version numbers start at 1"));
                }
                Some(n) if !numbers.insert(n) => {
                    return Err(self.fail(
                        file,
                        format!("{vpath}.number"),
                        format!("version {n} appears twice"),
                    ));
                }
                Some(_) => {}
                None => {
                    drafts += 1;
                    if drafts > 1 {
                        return Err(self.fail(
                            file,
                            format!("{vpath}.number"),
                            "a workflow has at most one draft (a version without a number)",
                        ));
                    }
                }
            }
            m.versions.push(Version {
                id: v.id.clone(),
                workflow_id: w.id.clone(),
                number: v.number.map(i64::from),
                note: v.note.clone(),
                created_at: v.created_at.clone(),
            });
            let mut local_states = BTreeSet::new();
            for (i, s) in v.states.iter().enumerate() {
                let path = format!("{vpath}.states[{i}]");
                self.claim_id("proposed state", &s.id, file, &path)?;
                local_states.insert(s.id.clone());
                m.proposed_states.push(ProposedState {
                    id: s.id.clone(),
                    version_id: v.id.clone(),
                    name: s.name.clone(),
                    kind: self.choice(
                        &s.kind,
                        StateKind::parse,
                        StateKind::expected(),
                        file,
                        &format!("{path}.kind"),
                    )?,
                    meaning: s.meaning.clone(),
                    task: s.task.clone().unwrap_or_default(),
                    position: i as i64,
                });
                if s.task.is_none() {
                    self.unnamed.insert(s.id.clone());
                }
            }
            for (i, t) in v.transitions.iter().enumerate() {
                let path = format!("{vpath}.transitions[{i}]");
                self.claim_id("transition", &t.id, file, &path)?;
                for (end, state) in [("from", &t.from), ("to", &t.to)] {
                    if !local_states.contains(state) {
                        return Err(self.fail(
                            file,
                            format!("{path}.{end}"),
                            format!("unknown state {state:?}: a transition joins two states of its version"),
                        ));
                    }
                }
                m.transitions.push(Transition {
                    id: t.id.clone(),
                    version_id: v.id.clone(),
                    from_state_id: t.from.clone(),
                    to_state_id: t.to.clone(),
                    event: t.event.clone(),
                    guard: t.guard.clone(),
                    owner_role_id: self.optional_ref("role", &t.owner, file, &format!("{path}.owner"))?,
                    timer: t.timer.clone(),
                    escalate_to_role_id: self.optional_ref(
                        "role",
                        &t.escalate_to,
                        file,
                        &format!("{path}.escalate_to"),
                    )?,
                    write_backs: t.write_back.iter().map(WriteBack::from).collect(),
                    position: i as i64,
                    priority: t.priority,
                    overrides: t
                        .owner_at
                        .iter()
                        .map(|(facility, role)| {
                            let at = format!("{path}.owner_at.{facility}");
                            Ok(OwnerOverride {
                                facility_id: self.reference("facility", facility, file, &at)?,
                                role_id: self.reference("role", role, file, &at)?,
                            })
                        })
                        .collect::<Result<_>>()?,
                });
            }
        }
        m.workflows.push(Workflow { id: w.id, name: w.name, description: w.description });
        Ok(())
    }

    fn interview(&mut self, m: &mut Model, name: &str) -> Result<()> {
        if !name.ends_with(".yaml") {
            return Ok(());
        }
        let file = format!("interviews/{name}");
        let file = file.as_str();
        let iv: InterviewFile = self.yaml(file)?;
        self.file_id(file, name, &iv.id)?;
        self.claim_id("interview", &iv.id, file, "")?;
        if iv.alias.trim().is_empty() {
            return Err(self.fail(file, "alias", "an interview needs an alias such as RT-3 (never a name)"));
        }
        let mut workflows: Vec<String> = Vec::new();
        for (i, w) in iv.workflows.iter().enumerate() {
            let id = self.reference("workflow", w, file, &format!("workflows[{i}]"))?;
            if workflows.contains(&id) {
                return Err(self.fail(
                    file,
                    format!("workflows[{i}]"),
                    format!("names workflow {id:?} twice"),
                ));
            }
            workflows.push(id);
        }
        let named_workflows = !workflows.is_empty();
        m.interviews.push(Interview {
            id: iv.id.clone(),
            role_id: self.reference("role", &iv.role, file, "role")?,
            facility_id: self.reference("facility", &iv.facility, file, "facility")?,
            shift: iv.shift,
            alias: iv.alias,
            date: iv.date,
            interviewer: iv.interviewer,
            notes: iv.notes,
            workflows,
        });
        for (i, s) in iv.statements.into_iter().enumerate() {
            let path = format!("statements[{i}]");
            self.claim_id("statement", &s.id, file, &path)?;
            let mut workarounds = Vec::new();
            for (j, w) in s.workarounds.iter().enumerate() {
                workarounds.push(self.choice(
                    w,
                    Workaround::parse,
                    Workaround::expected(),
                    file,
                    &format!("{path}.workarounds[{j}]"),
                )?);
            }
            for (j, c) in s.claims.iter().enumerate() {
                let cpath = format!("{path}.claims[{j}]");
                self.claim_id("claim", &c.id, file, &cpath)?;
                m.claims.push(Claim {
                    id: c.id.clone(),
                    statement_id: s.id.clone(),
                    role_id: self.reference("role", &c.role, file, &format!("{cpath}.role"))?,
                    kind: self.choice(
                        &c.kind,
                        ClaimKind::parse,
                        ClaimKind::expected(),
                        file,
                        &format!("{cpath}.kind"),
                    )?,
                    owns: c.owns,
                });
            }
            let step_id = self.optional_ref("step", &s.step_id, file, &format!("{path}.step_id"))?;
            let step_workflow = step_id
                .as_ref()
                .and_then(|id| m.steps.iter().find(|step| &step.id == id))
                .map(|step| step.workflow_id.clone());
            let named_workflow =
                self.optional_ref("workflow", &s.workflow, file, &format!("{path}.workflow"))?;
            let workflow_id = match (step_workflow, named_workflow) {
                (Some(from_step), Some(named)) if from_step != named => {
                    return Err(self.fail(
                        file,
                        format!("{path}.workflow"),
                        format!(
                            "is {named:?} but step {:?} belongs to workflow {from_step:?}; drop `workflow` or fix it",
                            step_id.as_deref().unwrap_or_default()
                        ),
                    ));
                }
                (from_step, named) => from_step.or(named),
            };
            m.statements.push(Statement {
                id: s.id,
                interview_id: iv.id.clone(),
                position: i as i64,
                step_name: s.step,
                workflow_id,
                step_id,
                performed_by: self.optional_ref(
                    "role",
                    &s.performed_by,
                    file,
                    &format!("{path}.performed_by"),
                )?,
                initiated_by: self.optional_ref(
                    "role",
                    &s.initiated_by,
                    file,
                    &format!("{path}.initiated_by"),
                )?,
                validated_by: self.optional_ref(
                    "role",
                    &s.validated_by,
                    file,
                    &format!("{path}.validated_by"),
                )?,
                escalates_to: self.optional_ref(
                    "role",
                    &s.escalates_to,
                    file,
                    &format!("{path}.escalates_to"),
                )?,
                done_means: s.done_means,
                next_handoff_to: self.optional_ref(
                    "role",
                    &s.next_handoff_to,
                    file,
                    &format!("{path}.next_handoff_to"),
                )?,
                workarounds,
                pain_point: s.pain_point,
                typical_duration: s.typical_duration,
                quote: s.quote,
            });
        }
        if !named_workflows {
            // A bundle from before interviews named their workflows: the ones its statements
            // are about, in the order they first come up.
            let mut derived: Vec<String> = Vec::new();
            for s in m.statements.iter().filter(|s| s.interview_id == iv.id) {
                if let Some(w) = &s.workflow_id
                    && !derived.contains(w)
                {
                    derived.push(w.clone());
                }
            }
            if let Some(interview) = m.interviews.iter_mut().find(|i| i.id == iv.id) {
                interview.workflows = derived;
            }
        }
        Ok(())
    }

    fn emr(&mut self, m: &mut Model) -> Result<()> {
        let file = "emr/fields.yaml";
        for (i, f) in self.yaml::<Vec<EmrFieldFile>>(file)?.into_iter().enumerate() {
            let path = format!("[{i}]");
            self.claim_id("EMR field", &f.id, file, &path)?;
            let mut values = BTreeSet::new();
            for (j, v) in f.values.into_iter().enumerate() {
                let vpath = format!("{path}.values[{j}]");
                self.claim_id("EMR value", &v.id, file, &vpath)?;
                if !values.insert(v.value.clone()) {
                    return Err(self.fail(
                        file,
                        format!("{vpath}.value"),
                        format!("value {:?} appears twice in field {:?}", v.value, f.name),
                    ));
                }
                m.emr_values.push(EmrValue {
                    id: v.id,
                    field_id: f.id.clone(),
                    value: v.value,
                    description: v.description,
                });
            }
            m.emr_fields.push(EmrField {
                id: f.id,
                name: f.name,
                source: f.source,
                description: f.description,
            });
        }
        let file = "emr/value-counts.csv";
        let text = self.text(file)?;
        let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
        let headers = reader.headers().map_err(|e| self.fail(file, "line 1", e.to_string()))?.clone();
        if headers.iter().collect::<Vec<_>>() != ["value_id", "facility_id", "count"] {
            return Err(self.fail(file, "line 1", "the header must be: value_id,facility_id,count"));
        }
        let mut pairs = BTreeSet::new();
        for (i, row) in reader.deserialize::<ValueCountRow>().enumerate() {
            let line = format!("line {}", i + 2);
            let row = row.map_err(|e| {
                self.fail(
                    file,
                    &line,
                    format!("{e}; expected value_id,facility_id,count with a whole number count"),
                )
            })?;
            self.reference("EMR value", &row.value_id, file, &format!("{line}, value_id"))?;
            self.reference("facility", &row.facility_id, file, &format!("{line}, facility_id"))?;
            if row.count < 0 {
                return Err(self.fail(file, format!("{line}, count"), "a count cannot be negative"));
            }
            if !pairs.insert((row.value_id.clone(), row.facility_id.clone())) {
                return Err(self.fail(file, &line, "this value and facility already have a count"));
            }
            m.emr_value_counts.push(EmrValueCount {
                value_id: row.value_id,
                facility_id: row.facility_id,
                count: row.count,
            });
        }
        Ok(())
    }
}

/// Splits a YAML parser message ("error: line 3 column 5: invalid u32") into its location
/// ("line 3, column 5") and the rest.
fn split_location(message: &str) -> (String, String) {
    let first = message.lines().next().unwrap_or(message).trim();
    let first = first.strip_prefix("error: ").unwrap_or(first);
    if let Some(rest) = first.strip_prefix("line ")
        && let Some((place, detail)) = rest.split_once(": ")
    {
        return (format!("line {}", place.replace(" column ", ", column ")), detail.to_string());
    }
    ("YAML".to_string(), first.to_string())
}
