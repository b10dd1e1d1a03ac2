//! Transport types of the IPC boundary, with TypeScript generated from them (`ui/src/bindings.ts`).
//!
//! Counts are `u32`: specta refuses 64-bit integers at the boundary, and ids are strings anyway.

use baton::findings::Finding;
use baton::interviews::{ClaimInput, InterviewInput, StatementInput};
use baton::model::{Claim, ClaimKind, Model, Statement, Workaround};
use serde::{Deserialize, Serialize};
use specta::Type;

/// Every error that reaches the UI: a stable `code` to switch on and a sentence for people.
#[derive(Debug, Clone, Serialize, Type, PartialEq, Eq)]
pub struct AppError {
    pub code: String,
    pub message: String,
}

impl From<baton::Error> for AppError {
    fn from(e: baton::Error) -> AppError {
        AppError { code: e.code().to_string(), message: e.to_string() }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct NamedDto {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct InterviewDto {
    pub id: String,
    pub alias: String,
    pub role: String,
    pub facility: String,
    pub shift: String,
    pub date: String,
    pub statements: u32,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct WorkflowDto {
    pub id: String,
    pub name: String,
    pub description: String,
    pub steps: u32,
    pub versions: Vec<u32>,
    pub draft: bool,
    /// Tasks in the imported telemetry of this workflow.
    pub telemetry_tasks: u32,
}

/// The open project as the home screen shows it.
#[derive(Debug, Clone, Serialize, Type)]
pub struct ProjectView {
    pub path: String,
    pub name: String,
    pub description: String,
    /// Engagement details for the report's title page.
    pub client: String,
    pub authors: Vec<String>,
    /// YYYY-MM-DD, or empty for the latest date the project holds.
    pub report_date: String,
    pub facilities: Vec<NamedDto>,
    pub roles: Vec<NamedDto>,
    pub interviews: Vec<InterviewDto>,
    pub steps: u32,
    pub workflows: Vec<WorkflowDto>,
    pub emr_fields: u32,
    pub emr_values: u32,
    pub findings: u32,
    pub open_findings: u32,
    /// The latest entries of the audit trail, newest first.
    pub audit: Vec<AuditView>,
    /// Whether the file is encrypted.
    pub encrypted: bool,
    /// What opening the file cleaned up (a copy an interrupted encrypt left), to tell the user.
    pub recovered: Option<String>,
    /// Label of the edit Undo would reverse, if any.
    pub undo: Option<String>,
    /// Label of the edit Redo would re-apply, if any.
    pub redo: Option<String>,
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl ProjectView {
    pub fn of(project: &baton::Project) -> Result<ProjectView, AppError> {
        let o = baton::overview::overview(project)?;
        let meta = project.meta()?;
        let journal = project.journal_state()?;
        let named = |list: Vec<baton::overview::Named>| {
            list.into_iter().map(|n| NamedDto { id: n.id, name: n.name }).collect()
        };
        Ok(ProjectView {
            path: project.path().map(|p| p.display().to_string()).unwrap_or_default(),
            name: o.name,
            description: o.description,
            encrypted: project.is_encrypted(),
            recovered: project.recovered().map(str::to_string),
            audit: project
                .audit()?
                .into_iter()
                .take(8)
                .map(|e| AuditView { at: e.at, user: e.user, action: e.action, subject: e.subject })
                .collect(),
            client: meta.client,
            authors: meta.authors,
            report_date: meta.report_date,
            facilities: named(o.facilities),
            roles: named(o.roles),
            interviews: o
                .interviews
                .into_iter()
                .map(|i| InterviewDto {
                    id: i.id,
                    alias: i.alias,
                    role: i.role,
                    facility: i.facility,
                    shift: i.shift,
                    date: i.date,
                    statements: count(i.statements),
                })
                .collect(),
            steps: count(o.steps),
            workflows: o
                .workflows
                .into_iter()
                .map(|w| WorkflowDto {
                    id: w.id,
                    name: w.name,
                    description: w.description,
                    steps: count(w.steps),
                    versions: w.versions.into_iter().map(|v| u32::try_from(v).unwrap_or(0)).collect(),
                    draft: w.draft,
                    telemetry_tasks: u32::try_from(w.telemetry_tasks).unwrap_or(u32::MAX),
                })
                .collect(),
            emr_fields: count(o.emr_fields),
            emr_values: count(o.emr_values),
            findings: count(o.findings),
            open_findings: count(o.open_findings),
            undo: journal.undo,
            redo: journal.redo,
        })
    }
}

/// The interview form.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct InterviewFields {
    pub role_id: String,
    pub facility_id: String,
    pub shift: String,
    pub alias: String,
    pub date: String,
    pub interviewer: String,
    pub notes: String,
}

impl InterviewFields {
    pub fn input(&self) -> InterviewInput {
        InterviewInput {
            role_id: self.role_id.clone(),
            facility_id: self.facility_id.clone(),
            shift: self.shift.clone(),
            alias: self.alias.clone(),
            date: self.date.clone(),
            interviewer: self.interviewer.clone(),
            notes: self.notes.clone(),
        }
    }
}

/// A belief about who owns a step: kind `performs` or `validates`.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct ClaimFields {
    pub role_id: String,
    pub kind: String,
    pub owns: bool,
}

/// One row of the statement table; role fields hold role ids.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct StatementFields {
    pub workflow_id: Option<String>,
    pub step_name: String,
    pub performed_by: Option<String>,
    pub initiated_by: Option<String>,
    pub validated_by: Option<String>,
    pub escalates_to: Option<String>,
    pub done_means: String,
    pub next_handoff_to: Option<String>,
    /// Any of `shadow_spreadsheet`, `double_documentation`, `manual_reentry`, `verbal_handoff`, `other`.
    pub workarounds: Vec<String>,
    pub pain_point: String,
    pub typical_duration: String,
    pub quote: String,
    pub claims: Vec<ClaimFields>,
}

impl StatementFields {
    pub fn of(s: &Statement, claims: &[Claim]) -> StatementFields {
        StatementFields {
            workflow_id: s.workflow_id.clone(),
            step_name: s.step_name.clone(),
            performed_by: s.performed_by.clone(),
            initiated_by: s.initiated_by.clone(),
            validated_by: s.validated_by.clone(),
            escalates_to: s.escalates_to.clone(),
            done_means: s.done_means.clone(),
            next_handoff_to: s.next_handoff_to.clone(),
            workarounds: s.workarounds.iter().map(|w| w.as_str().to_string()).collect(),
            pain_point: s.pain_point.clone(),
            typical_duration: s.typical_duration.clone(),
            quote: s.quote.clone(),
            claims: claims
                .iter()
                .filter(|c| c.statement_id == s.id)
                .map(|c| ClaimFields {
                    role_id: c.role_id.clone(),
                    kind: c.kind.as_str().into(),
                    owns: c.owns,
                })
                .collect(),
        }
    }

    pub fn input(&self) -> Result<StatementInput, AppError> {
        let workarounds = self
            .workarounds
            .iter()
            .map(|w| {
                Workaround::parse(w).ok_or_else(|| {
                    AppError::from(baton::Error::invalid(
                        "workarounds",
                        format!("{w:?} is not one of: {}", Workaround::expected()),
                    ))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let claims = self
            .claims
            .iter()
            .map(|c| {
                let kind = ClaimKind::parse(&c.kind).ok_or_else(|| {
                    AppError::from(baton::Error::invalid(
                        "claims",
                        format!("{:?} is not one of: {}", c.kind, ClaimKind::expected()),
                    ))
                })?;
                Ok(ClaimInput { role_id: c.role_id.clone(), kind, owns: c.owns })
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        Ok(StatementInput {
            workflow_id: self.workflow_id.clone(),
            step_name: self.step_name.clone(),
            performed_by: self.performed_by.clone(),
            initiated_by: self.initiated_by.clone(),
            validated_by: self.validated_by.clone(),
            escalates_to: self.escalates_to.clone(),
            done_means: self.done_means.clone(),
            next_handoff_to: self.next_handoff_to.clone(),
            workarounds,
            pain_point: self.pain_point.clone(),
            typical_duration: self.typical_duration.clone(),
            quote: self.quote.clone(),
            claims,
        })
    }
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct StatementRow {
    pub id: String,
    /// The canonical step it was grouped into.
    pub step_id: Option<String>,
    pub fields: StatementFields,
}

/// A step name the step cells offer, by workflow.
#[derive(Debug, Clone, Serialize, Type)]
pub struct KnownStep {
    pub workflow_id: String,
    pub name: String,
}

/// One interview with its statements, for the capture screen.
#[derive(Debug, Clone, Serialize, Type)]
pub struct InterviewSheet {
    pub id: String,
    pub fields: InterviewFields,
    pub statements: Vec<StatementRow>,
    pub known_steps: Vec<KnownStep>,
    /// What in the interview's notes and statements looks like a patient identifier, found as it
    /// is entered, for the consultant to redact.
    pub phi: Vec<PhiMatchView>,
}

impl InterviewSheet {
    pub fn of(m: &Model, id: &str) -> Result<InterviewSheet, AppError> {
        let i = m.interviews.iter().find(|i| i.id == id).ok_or_else(|| {
            AppError::from(baton::Error::NotFound(format!("no interview with id {id:?} in this project")))
        })?;
        let known = baton::interviews::consolidate::known_step_names(m)
            .into_iter()
            .map(|(workflow_id, name)| KnownStep { workflow_id, name })
            .collect();
        Ok(InterviewSheet {
            phi: baton::phi::scan_interview(m, &i.alias).into_iter().map(Into::into).collect(),
            id: i.id.clone(),
            fields: InterviewFields {
                role_id: i.role_id.clone(),
                facility_id: i.facility_id.clone(),
                shift: i.shift.clone(),
                alias: i.alias.clone(),
                date: i.date.clone(),
                interviewer: i.interviewer.clone(),
                notes: i.notes.clone(),
            },
            statements: m
                .statements
                .iter()
                .filter(|s| s.interview_id == i.id)
                .map(|s| StatementRow {
                    id: s.id.clone(),
                    step_id: s.step_id.clone(),
                    fields: StatementFields::of(s, &m.claims),
                })
                .collect(),
            known_steps: known,
        })
    }
}

/// A statement as evidence: who said it, where, in their words.
#[derive(Debug, Clone, Serialize, Type)]
pub struct StatementRef {
    pub id: String,
    pub interview_id: String,
    pub alias: String,
    pub role_id: String,
    pub facility_id: String,
    pub step_name: String,
    pub done_means: String,
    pub quote: String,
}

impl StatementRef {
    fn of(m: &Model, id: &str) -> Option<StatementRef> {
        let s = m.statements.iter().find(|s| s.id == id)?;
        let i = m.interviews.iter().find(|i| i.id == s.interview_id)?;
        Some(StatementRef {
            id: s.id.clone(),
            interview_id: i.id.clone(),
            alias: i.alias.clone(),
            role_id: i.role_id.clone(),
            facility_id: i.facility_id.clone(),
            step_name: s.step_name.clone(),
            done_means: s.done_means.clone(),
            quote: s.quote.clone(),
        })
    }
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct ClaimCellView {
    pub by_role_id: String,
    pub kind: String,
    pub about_role_id: String,
    pub owns: bool,
    pub statements: Vec<StatementRef>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct FindingBadge {
    pub id: String,
    pub kind: String,
    pub severity: String,
    pub status: String,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct StepView {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub owner_role_id: Option<String>,
    pub done_means: String,
    pub generated: bool,
    pub statements: Vec<StatementRef>,
    pub claims: Vec<ClaimCellView>,
    pub findings: Vec<FindingBadge>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct HandoffView {
    pub id: String,
    pub from_step_id: String,
    pub to_step_id: String,
    pub label: String,
    pub generated: bool,
    pub statements: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct SuggestionView {
    pub first_step_id: String,
    pub second_step_id: String,
    pub first_name: String,
    pub second_name: String,
    pub score: f64,
}

/// A workflow's consolidated current-state map with provenance, claims and merge suggestions.
#[derive(Debug, Clone, Serialize, Type)]
pub struct WorkflowMap {
    pub id: String,
    pub name: String,
    pub steps: Vec<StepView>,
    pub handoffs: Vec<HandoffView>,
    pub suggestions: Vec<SuggestionView>,
    /// Statements about this workflow not grouped into a step yet.
    pub ungrouped: u32,
}

impl WorkflowMap {
    pub fn of(m: &Model, findings: &[Finding], id: &str) -> Result<WorkflowMap, AppError> {
        use baton::interviews::consolidate::{claims_matrix, provenance, suggestions};
        let w = m.workflows.iter().find(|w| w.id == id).ok_or_else(|| {
            AppError::from(baton::Error::NotFound(format!("no workflow with id {id:?} in this project")))
        })?;
        let prov = provenance(m, id);
        let refs = |ids: &[String]| ids.iter().filter_map(|s| StatementRef::of(m, s)).collect::<Vec<_>>();
        Ok(WorkflowMap {
            id: w.id.clone(),
            name: w.name.clone(),
            steps: m
                .steps
                .iter()
                .filter(|s| s.workflow_id == id)
                .map(|s| StepView {
                    id: s.id.clone(),
                    name: s.name.clone(),
                    kind: s.kind.as_str().into(),
                    owner_role_id: s.owner_role_id.clone(),
                    done_means: s.done_means.clone(),
                    generated: s.generated,
                    statements: refs(prov.steps.get(&s.id).map(Vec::as_slice).unwrap_or_default()),
                    claims: claims_matrix(m, &s.id)
                        .into_iter()
                        .map(|c| ClaimCellView {
                            by_role_id: c.by_role_id,
                            kind: c.kind.as_str().into(),
                            about_role_id: c.about_role_id,
                            owns: c.owns,
                            statements: refs(&c.statements),
                        })
                        .collect(),
                    findings: findings
                        .iter()
                        .filter(|f| f.subject.step.as_deref() == Some(s.id.as_str()))
                        .map(|f| FindingBadge {
                            id: f.id.clone(),
                            kind: f.kind.as_str().into(),
                            severity: f.severity.as_str().into(),
                            status: f.status.as_str().into(),
                        })
                        .collect(),
                })
                .collect(),
            handoffs: m
                .handoffs
                .iter()
                .filter(|h| h.workflow_id == id)
                .map(|h| HandoffView {
                    id: h.id.clone(),
                    from_step_id: h.from_step_id.clone(),
                    to_step_id: h.to_step_id.clone(),
                    label: h.label.clone(),
                    generated: h.generated,
                    statements: prov.handoffs.get(&h.id).cloned().unwrap_or_default(),
                })
                .collect(),
            suggestions: suggestions(m, id)
                .into_iter()
                .map(|s| SuggestionView {
                    first_step_id: s.first_step_id,
                    second_step_id: s.second_step_id,
                    first_name: s.first_name,
                    second_name: s.second_name,
                    score: s.score,
                })
                .collect(),
            ungrouped: count(
                m.statements
                    .iter()
                    .filter(|s| {
                        s.workflow_id.as_deref() == Some(id)
                            && s.step_id.is_none()
                            && !s.step_name.trim().is_empty()
                    })
                    .count(),
            ),
        })
    }
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct SubjectView {
    pub workflow: Option<String>,
    pub step: Option<String>,
    pub roles: Vec<String>,
    pub facilities: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct EvidenceView {
    pub source: String,
    pub text: String,
    pub interview: Option<String>,
    pub alias: Option<String>,
    pub facility: Option<String>,
    pub statement: Option<String>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct FindingView {
    pub id: String,
    pub kind: String,
    pub severity: String,
    pub title: String,
    pub subject: SubjectView,
    pub evidence: Vec<EvidenceView>,
    pub recommendation: String,
    pub status: String,
    pub reason: String,
}

impl From<Finding> for FindingView {
    fn from(f: Finding) -> FindingView {
        FindingView {
            id: f.id,
            kind: f.kind.as_str().into(),
            severity: f.severity.as_str().into(),
            title: f.title,
            subject: SubjectView {
                workflow: f.subject.workflow,
                step: f.subject.step,
                roles: f.subject.roles,
                facilities: f.subject.facilities,
            },
            evidence: f
                .evidence
                .into_iter()
                .map(|e| EvidenceView {
                    source: e.source.as_str().into(),
                    text: e.text,
                    interview: e.interview,
                    alias: e.alias,
                    facility: e.facility,
                    statement: e.statement,
                })
                .collect(),
            recommendation: f.recommendation,
            status: f.status.as_str().into(),
            reason: f.reason,
        }
    }
}

/// Something created, with the project as it is now.
#[derive(Debug, Clone, Serialize, Type)]
pub struct Created {
    pub id: String,
    pub project: ProjectView,
}

/// A rectangle on the diagram's page, in pixels.
#[derive(Debug, Clone, Copy, Serialize, Type)]
pub struct Box2 {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl From<baton::layout::Rect> for Box2 {
    fn from(r: baton::layout::Rect) -> Box2 {
        Box2 { x: r.x, y: r.y, width: r.width, height: r.height }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct LaneView {
    /// A role id, or "" for the unassigned lane.
    pub id: String,
    pub name: String,
    pub band: Box2,
    pub header: Box2,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct DiagramNode {
    pub id: String,
    /// `start`, `task`, `decision` or `end`.
    pub kind: String,
    pub label: String,
    pub lines: Vec<String>,
    pub lane: String,
    #[serde(rename = "box")]
    pub rect: Box2,
    pub manual: bool,
    /// A step of the current-state map (draggable, renamable, commentable); false for the start
    /// and end events the diagram adds.
    pub step: bool,
    pub findings: Vec<String>,
    pub severity: Option<String>,
    pub open_comments: u32,
    pub resolved_comments: u32,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct DiagramEdge {
    pub id: String,
    pub from: String,
    pub to: String,
    /// Bend points, `[x, y]`, from the source's border to the target's.
    pub points: Vec<[f64; 2]>,
    pub cross_lane: bool,
    pub back: bool,
    pub label: Option<String>,
    pub label_box: Option<Box2>,
    /// A handoff of the map (commentable); false for the edges to the added events.
    pub handoff: bool,
    /// Drawn by hand, so it can be deleted here.
    pub deletable: bool,
    pub open_comments: u32,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct DiagramView {
    pub workflow_id: String,
    pub title: String,
    pub subtitle: String,
    pub vertical: bool,
    pub width: f64,
    pub height: f64,
    pub lanes: Vec<LaneView>,
    pub nodes: Vec<DiagramNode>,
    pub edges: Vec<DiagramEdge>,
}

impl DiagramView {
    pub fn of(d: &baton::diagram::Diagram, m: &Model) -> DiagramView {
        use baton::diagram::NodeRef;
        let g = &d.geometry;
        let nodes = g
            .nodes
            .iter()
            .enumerate()
            .map(|(v, n)| {
                let notes = &d.node_notes[v];
                DiagramNode {
                    id: n.id.clone(),
                    kind: n.kind.as_str().to_string(),
                    label: d.flow.nodes[v].label.clone(),
                    lines: n.lines.clone(),
                    lane: g.lanes[n.lane].id.clone(),
                    rect: n.rect.into(),
                    manual: n.manual,
                    step: matches!(d.node_refs[v], NodeRef::Step(_)),
                    findings: notes.findings.clone(),
                    severity: notes.severity.map(|s| s.as_str().to_string()),
                    open_comments: count(notes.open_comments),
                    resolved_comments: count(notes.resolved_comments),
                }
            })
            .collect();
        let edges = g
            .edges
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let handoff = m.handoffs.iter().find(|h| h.id == e.id);
                DiagramEdge {
                    id: e.id.clone(),
                    from: g.nodes[e.from].id.clone(),
                    to: g.nodes[e.to].id.clone(),
                    points: e.points.iter().map(|p| [p.x, p.y]).collect(),
                    cross_lane: e.cross_lane,
                    back: e.back,
                    label: e.label.as_ref().map(|l| l.lines.join(" ")),
                    label_box: e.label.as_ref().map(|l| l.rect.into()),
                    handoff: handoff.is_some(),
                    deletable: handoff.is_some_and(|h| !h.generated),
                    open_comments: count(d.edge_notes[i].open_comments),
                }
            })
            .collect();
        DiagramView {
            workflow_id: d.workflow_id.clone(),
            title: d.title.clone(),
            subtitle: d.subtitle.clone(),
            vertical: g.orientation == baton::layout::Orientation::Vertical,
            width: g.width,
            height: g.height,
            lanes: g
                .lanes
                .iter()
                .map(|l| LaneView {
                    id: l.id.clone(),
                    name: l.name.clone(),
                    band: l.band.into(),
                    header: l.header.into(),
                })
                .collect(),
            nodes,
            edges,
        }
    }
}

/// A review comment, with what it is pinned to in words.
#[derive(Debug, Clone, Serialize, Type)]
pub struct CommentView {
    pub id: String,
    /// `step` or `handoff`.
    pub target: String,
    pub target_id: String,
    /// The step's name, or "From → To" for a handoff.
    pub target_label: String,
    pub author_role_id: Option<String>,
    pub author: String,
    pub text: String,
    pub created_at: String,
    pub resolved: bool,
}

impl CommentView {
    /// The comments on a workflow's steps and handoffs, oldest first.
    pub fn list(m: &Model, workflow_id: &str) -> Vec<CommentView> {
        use baton::model::CommentTarget;
        let step_name = |id: &str| m.steps.iter().find(|s| s.id == id).map(|s| s.name.clone());
        m.comments
            .iter()
            .filter_map(|c| {
                let label = match c.target {
                    CommentTarget::Step => m
                        .steps
                        .iter()
                        .find(|s| s.id == c.target_id && s.workflow_id == workflow_id)
                        .map(|s| s.name.clone())?,
                    CommentTarget::Handoff => {
                        let h = m
                            .handoffs
                            .iter()
                            .find(|h| h.id == c.target_id && h.workflow_id == workflow_id)?;
                        format!(
                            "{} → {}",
                            step_name(&h.from_step_id).unwrap_or_default(),
                            step_name(&h.to_step_id).unwrap_or_default()
                        )
                    }
                    _ => return None,
                };
                Some(CommentView {
                    id: c.id.clone(),
                    target: c.target.as_str().to_string(),
                    target_id: c.target_id.clone(),
                    target_label: label,
                    author_role_id: c.author_role_id.clone(),
                    author: c
                        .author_role_id
                        .as_ref()
                        .and_then(|r| m.roles.iter().find(|role| &role.id == r))
                        .map(|r| r.name.clone())
                        .unwrap_or_default(),
                    text: c.text.clone(),
                    created_at: c.created_at.clone(),
                    resolved: c.resolved,
                })
            })
            .collect()
    }
}

/// Which import the dialog runs.
#[derive(Debug, Clone, Copy, Deserialize, Type, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ImportKindDto {
    Status,
    Log,
    Telemetry,
}

/// One part of a row (`field`, `value`…; `case`, `activity`…) and the column that holds it.
#[derive(Debug, Clone, Serialize, Deserialize, Type, PartialEq, Eq)]
pub struct ColumnChoice {
    pub part: String,
    pub column: Option<String>,
}

/// The import dialog's settings; unset ones are detected or guessed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Type, PartialEq, Eq)]
pub struct ImportSettings {
    pub format: Option<String>,
    pub sheet: Option<String>,
    pub delimiter: Option<String>,
    pub encoding: Option<String>,
    pub columns: Vec<ColumnChoice>,
    pub timestamp_format: Option<String>,
    pub tz: Option<String>,
    /// A CSV of resource,role rows (logs only).
    pub resource_roles: Option<String>,
    /// Unmapped columns to keep (their values and counts are stored).
    pub keep: Vec<String>,
    /// Kept columns that look like identifiers, confirmed by a tick.
    #[serde(default)]
    pub keep_identifying: Vec<String>,
    /// Texts that look like patient identifiers, to store as they are (ticked in the dialog).
    #[serde(default)]
    pub allow_identifiers: Vec<String>,
}

impl ImportSettings {
    fn delimiter(&self) -> Result<Option<char>, AppError> {
        match self.delimiter.as_deref().map(|d| if d == "\\t" { "\t" } else { d }) {
            None | Some("") => Ok(None),
            Some(d) if d.chars().count() == 1 => Ok(d.chars().next()),
            Some(d) => Err(AppError {
                code: "invalid_input".into(),
                message: format!("the delimiter must be one character, not {d:?}"),
            }),
        }
    }

    /// The columns as a core column set (`StatusColumns`, `LogColumns`), which name parts alike.
    fn columns<T: serde::de::DeserializeOwned>(&self) -> Result<T, AppError> {
        let map: serde_json::Map<String, serde_json::Value> = self
            .columns
            .iter()
            .filter_map(|c| {
                c.column.as_ref().filter(|s| !s.is_empty()).map(|s| (c.part.clone(), s.clone().into()))
            })
            .collect();
        serde_json::from_value(map.into())
            .map_err(|e| AppError { code: "invalid_input".into(), message: format!("column mapping: {e}") })
    }

    pub fn status(&self) -> Result<baton::import::StatusOptions, AppError> {
        Ok(baton::import::StatusOptions {
            format: self
                .format
                .as_deref()
                .map(|f| baton::import::StatusFormat::detect(std::path::Path::new(""), Some(f)))
                .transpose()?,
            columns: self.columns()?,
            sheet: self.sheet.clone().filter(|s| !s.is_empty()),
            delimiter: self.delimiter()?,
            encoding: self.encoding.clone().filter(|s| !s.is_empty()),
            field_name: None,
            keep: self.keep.clone(),
            keep_identifying: self.keep_identifying.clone(),
            allow_identifiers: self.allow_identifiers.clone(),
        })
    }

    pub fn log(&self) -> Result<baton::import::LogSettings, AppError> {
        let nonempty = |s: &Option<String>| s.clone().filter(|s| !s.trim().is_empty());
        Ok(baton::import::LogSettings {
            format: nonempty(&self.format),
            columns: self.columns()?,
            delimiter: self.delimiter()?,
            encoding: nonempty(&self.encoding),
            timestamp_format: nonempty(&self.timestamp_format),
            tz: nonempty(&self.tz),
            keep: self.keep.clone(),
            keep_identifying: self.keep_identifying.clone(),
            allow_identifiers: self.allow_identifiers.clone(),
        })
    }

    pub fn telemetry(&self) -> Result<baton::telemetry::TelemetrySettings, AppError> {
        let nonempty = |s: &Option<String>| s.clone().filter(|s| !s.trim().is_empty());
        Ok(baton::telemetry::TelemetrySettings {
            columns: self.columns()?,
            timestamp_format: nonempty(&self.timestamp_format),
            tz: nonempty(&self.tz),
            allow_identifiers: self.allow_identifiers.clone(),
        })
    }

    pub fn resource_roles(&self) -> Result<std::collections::HashMap<String, String>, AppError> {
        match self.resource_roles.as_deref().filter(|s| !s.trim().is_empty()) {
            Some(path) => Ok(baton::bundle::read_resource_roles(std::path::Path::new(path))?),
            None => Ok(std::collections::HashMap::new()),
        }
    }
}

/// Parts and the columns chosen for them, in the order the dialog shows them.
fn choices(parts: &[&str], columns: &impl Serialize) -> Vec<ColumnChoice> {
    let value = serde_json::to_value(columns).unwrap_or_default();
    parts
        .iter()
        .map(|p| ColumnChoice {
            part: (*p).to_string(),
            column: value.get(*p).and_then(|v| v.as_str()).map(str::to_string),
        })
        .collect()
}

pub const STATUS_PARTS: [&str; 5] = ["field", "value", "facility", "count", "description"];
pub const LOG_PARTS: [&str; 6] = ["case", "activity", "timestamp", "role", "resource", "facility"];

/// The first rows of a source and the mapping the import would use.
#[derive(Debug, Clone, Serialize, Type)]
pub struct ImportPreview {
    pub format: String,
    /// Workbook sheets (empty for other formats).
    pub sheets: Vec<String>,
    pub sheet: Option<String>,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Every part, with its column when one was chosen or guessed; empty for FHIR and HL7,
    /// which need no mapping.
    pub columns: Vec<ColumnChoice>,
    /// Whether the mapping is the one remembered from the last import of this file name.
    pub remembered: bool,
    /// Per header: what the column looks like when it seems to hold patient or staff
    /// identifiers (`baton::phi::flag_column`), else empty.
    pub flagged: Vec<String>,
}

/// What each column of a preview looks like, when it seems to hold identifiers.
fn flagged(headers: &[String], rows: &[Vec<String>]) -> Vec<String> {
    headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let values: Vec<&str> = rows.iter().filter_map(|r| r.get(i).map(String::as_str)).collect();
            baton::phi::flag_column(h, &values).unwrap_or_default().to_string()
        })
        .collect()
}

impl ImportPreview {
    pub fn of_status(p: baton::import::StatusPreview, remembered: bool) -> ImportPreview {
        let tabular = !p.headers.is_empty();
        ImportPreview {
            format: p.format.map_or("", |f| f.as_str()).to_string(),
            sheets: p.sheets,
            sheet: p.sheet,
            flagged: flagged(&p.headers, &p.rows),
            headers: p.headers,
            rows: p.rows,
            columns: if tabular { choices(&STATUS_PARTS, &p.columns) } else { Vec::new() },
            remembered,
        }
    }

    pub fn of_log(p: baton::mining::LogPreview, remembered: bool) -> ImportPreview {
        ImportPreview {
            format: p.format.as_str().to_string(),
            sheets: Vec::new(),
            sheet: None,
            flagged: flagged(&p.headers, &p.rows),
            headers: p.headers,
            rows: p.rows,
            columns: choices(&LOG_PARTS, &p.columns),
            remembered,
        }
    }
}

/// A finished import: what it read, kept, dropped and hashed, and the project now.
#[derive(Debug, Clone, Serialize, Type)]
pub struct ImportDone {
    pub summary: Vec<String>,
    /// Texts that looked like patient identifiers and were replaced, with their originals, for
    /// the user to confirm (import again with them allowed); never stored.
    pub flagged: Vec<FlaggedTextView>,
    pub project: ProjectView,
}

/// A replaced text and its original (`baton::phi::FlaggedText`).
#[derive(Debug, Clone, Serialize, Type)]
pub struct FlaggedTextView {
    pub place: String,
    pub kind: String,
    pub text: String,
    pub placeholder: String,
}

impl From<baton::phi::FlaggedText> for FlaggedTextView {
    fn from(f: baton::phi::FlaggedText) -> Self {
        FlaggedTextView { place: f.place, kind: f.kind, text: f.text, placeholder: f.placeholder }
    }
}

/// How far the running long work (an import, the findings, a report, …) is.
#[derive(Debug, Clone, Serialize, Type)]
pub struct WorkProgress {
    pub running: bool,
    /// What is running, as a sentence ("Writing the report"); empty when nothing is.
    pub label: String,
    /// 0 to 1; `None` while the size is unknown.
    pub fraction: Option<f64>,
}

/// The mapping matrix (see `baton::mapping`), with counts as `u32`.
#[derive(Debug, Clone, Serialize, Type)]
pub struct MatrixView {
    pub facilities: Vec<NamedDto>,
    pub states: Vec<StateView>,
    pub fields: Vec<FieldView>,
    pub candidates: Vec<CandidateView>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct StateView {
    pub id: String,
    pub workflow_id: String,
    pub workflow: String,
    pub name: String,
    pub meaning: String,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct FieldView {
    pub id: String,
    pub name: String,
    pub source: String,
    pub values: Vec<ValueView>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct ValueView {
    pub id: String,
    pub value: String,
    pub description: String,
    pub counts: Vec<FacilityCount>,
    pub total: u32,
    pub cells: Vec<CellView>,
    pub suggestion: Option<SuggestedState>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct FacilityCount {
    pub facility_id: String,
    pub count: u32,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct CellView {
    /// `None`: at every facility.
    pub facility_id: Option<String>,
    pub state_id: String,
    pub note: String,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct SuggestedState {
    pub state_id: String,
    pub score: f64,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct CandidateView {
    pub workflow_id: String,
    pub workflow: String,
    pub step: String,
    pub done_means: String,
    pub said_by: Vec<String>,
}

fn count64(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

impl From<baton::mapping::MappingMatrix> for MatrixView {
    fn from(m: baton::mapping::MappingMatrix) -> MatrixView {
        MatrixView {
            facilities: m.facilities.into_iter().map(|f| NamedDto { id: f.id, name: f.name }).collect(),
            states: m
                .states
                .into_iter()
                .map(|s| StateView {
                    id: s.id,
                    workflow_id: s.workflow_id,
                    workflow: s.workflow,
                    name: s.name,
                    meaning: s.meaning,
                })
                .collect(),
            fields: m
                .fields
                .into_iter()
                .map(|f| FieldView {
                    id: f.id,
                    name: f.name,
                    source: f.source,
                    values: f
                        .values
                        .into_iter()
                        .map(|v| ValueView {
                            id: v.id,
                            value: v.value,
                            description: v.description,
                            counts: v
                                .counts
                                .into_iter()
                                .map(|(facility_id, c)| FacilityCount { facility_id, count: count64(c) })
                                .collect(),
                            total: count64(v.total),
                            cells: v
                                .cells
                                .into_iter()
                                .map(|c| CellView {
                                    facility_id: c.facility_id,
                                    state_id: c.state_id,
                                    note: c.note,
                                })
                                .collect(),
                            suggestion: v
                                .suggestion
                                .map(|s| SuggestedState { state_id: s.state_id, score: s.score }),
                        })
                        .collect(),
                })
                .collect(),
            candidates: m
                .candidates
                .into_iter()
                .map(|c| CandidateView {
                    workflow_id: c.workflow_id,
                    workflow: c.workflow,
                    step: c.step,
                    done_means: c.done_means,
                    said_by: c.said_by,
                })
                .collect(),
        }
    }
}

/// A workflow's proposed versions and one of them in full, for the Proposals screen.
#[derive(Debug, Clone, Serialize, Type)]
pub struct ProposalView {
    pub workflow_id: String,
    pub workflow: String,
    pub versions: Vec<VersionChoice>,
    /// The version shown; `None` when the workflow has none yet.
    pub version: Option<VersionDetail>,
    /// The event catalog: name, description and fields (`spo2: number`).
    pub events: Vec<EventChoice>,
    pub roles: Vec<NamedDto>,
    pub facilities: Vec<NamedDto>,
    /// EMR fields with their values, for write-backs.
    pub emr_fields: Vec<EmrFieldChoice>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct VersionChoice {
    pub id: String,
    /// "Version 1" or "Draft".
    pub label: String,
    pub draft: bool,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct VersionDetail {
    pub id: String,
    pub label: String,
    pub draft: bool,
    pub note: String,
    pub states: Vec<StateRow>,
    pub transitions: Vec<TransitionRow>,
    pub problems: Vec<ProblemView>,
    pub replay: ReplayView,
    /// Sign-offs of this version, by date.
    pub signoffs: Vec<SignOffView>,
    /// The version's swimlane diagram (lanes = owning roles), as SVG.
    pub svg: String,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct SignOffView {
    pub name: String,
    pub role: String,
    pub signed_on: String,
    pub decision: String,
    pub comment: String,
    /// False when the version changed after it was signed.
    pub intact: bool,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct StateRow {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub meaning: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct TransitionFields {
    pub from_state_id: String,
    pub to_state_id: String,
    pub event: String,
    pub guard: String,
    pub owner_role_id: Option<String>,
    pub timer: String,
    pub escalate_to_role_id: Option<String>,
    pub write_backs: Vec<WriteBackView>,
    pub priority: Option<i32>,
    /// Facilities where the task goes to another role.
    pub owner_at: Vec<OwnerAtView>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct OwnerAtView {
    pub facility_id: String,
    pub role_id: String,
}

impl TransitionFields {
    pub fn input(&self) -> baton::design::TransitionInput {
        baton::design::TransitionInput {
            from_state_id: self.from_state_id.clone(),
            to_state_id: self.to_state_id.clone(),
            event: self.event.clone(),
            guard: self.guard.clone(),
            owner_role_id: self.owner_role_id.clone().filter(|r| !r.is_empty()),
            timer: self.timer.clone(),
            escalate_to_role_id: self.escalate_to_role_id.clone().filter(|r| !r.is_empty()),
            write_backs: self
                .write_backs
                .iter()
                .filter(|w| !w.field.trim().is_empty())
                .map(|w| (w.field.clone(), w.value.clone()))
                .collect(),
            priority: self.priority.map(i64::from),
            owner_at: self
                .owner_at
                .iter()
                .filter(|o| !o.facility_id.is_empty() && !o.role_id.is_empty())
                .map(|o| (o.facility_id.clone(), o.role_id.clone()))
                .collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct WriteBackView {
    pub field: String,
    pub value: String,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct TransitionRow {
    pub id: String,
    pub fields: TransitionFields,
    /// "Due → Charted by RT on assessment_completed".
    pub summary: String,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct ProblemView {
    pub rule: String,
    pub subject: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct ReplayView {
    pub cases: u32,
    pub fitting: u32,
    pub fitness: f64,
    pub deviations: Vec<DeviationView>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct DeviationView {
    pub state: String,
    pub event: String,
    pub count: u32,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct EventChoice {
    pub name: String,
    pub description: String,
    /// `spo2: number`.
    pub fields: Vec<String>,
    /// Log activities that signal the event.
    pub activities: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct EmrFieldChoice {
    pub name: String,
    pub values: Vec<String>,
}

impl ProposalView {
    /// The proposal view of `workflow_id`, showing `version_id` (else the draft, else the latest).
    pub fn of(m: &Model, workflow_id: &str, version_id: Option<&str>) -> Result<ProposalView, AppError> {
        ProposalView::of_checked(m, workflow_id, version_id, &baton::progress::Progress::new())
    }

    /// `of`, with the replay of the logs cancellable through `progress`.
    pub fn of_checked(
        m: &Model,
        workflow_id: &str,
        version_id: Option<&str>,
        progress: &baton::progress::Progress,
    ) -> Result<ProposalView, AppError> {
        let workflow = m.workflows.iter().find(|w| w.id == workflow_id).ok_or_else(|| AppError {
            code: "not_found".into(),
            message: format!("no workflow {workflow_id:?} in this project"),
        })?;
        let mut versions: Vec<&baton::model::Version> =
            m.versions.iter().filter(|v| v.workflow_id == workflow_id).collect();
        versions.sort_by_key(|v| v.number.unwrap_or(i64::MAX));
        let label = |v: &baton::model::Version| {
            v.number.map_or_else(|| "Draft".to_string(), |n| format!("Version {n}"))
        };
        let shown = version_id
            .and_then(|id| versions.iter().find(|v| v.id == id))
            .or_else(|| versions.last())
            .copied();
        let version = match shown {
            None => None,
            Some(v) => Some(detail(m, workflow_id, v, label(v), progress)?),
        };
        Ok(ProposalView {
            workflow_id: workflow_id.to_string(),
            workflow: workflow.name.clone(),
            versions: versions
                .iter()
                .map(|v| VersionChoice { id: v.id.clone(), label: label(v), draft: v.number.is_none() })
                .collect(),
            version,
            events: m
                .events
                .iter()
                .map(|e| EventChoice {
                    name: e.name.clone(),
                    description: e.description.clone(),
                    fields: e.fields.iter().map(|f| format!("{}: {}", f.name, f.kind.as_str())).collect(),
                    activities: e.activities.clone(),
                })
                .collect(),
            roles: m.roles.iter().map(|r| NamedDto { id: r.id.clone(), name: r.name.clone() }).collect(),
            facilities: m
                .facilities
                .iter()
                .map(|f| NamedDto { id: f.id.clone(), name: f.name.clone() })
                .collect(),
            emr_fields: m
                .emr_fields
                .iter()
                .map(|f| EmrFieldChoice {
                    name: f.name.clone(),
                    values: m
                        .emr_values
                        .iter()
                        .filter(|v| v.field_id == f.id)
                        .map(|v| v.value.clone())
                        .collect(),
                })
                .collect(),
        })
    }
}

fn detail(
    m: &Model,
    workflow_id: &str,
    v: &baton::model::Version,
    label: String,
    progress: &baton::progress::Progress,
) -> Result<VersionDetail, AppError> {
    let mut states: Vec<&baton::model::ProposedState> =
        m.proposed_states.iter().filter(|s| s.version_id == v.id).collect();
    states.sort_by_key(|s| s.position);
    let mut transitions: Vec<&baton::model::Transition> =
        m.transitions.iter().filter(|t| t.version_id == v.id).collect();
    transitions.sort_by_key(|t| t.position);
    let replay = baton::design::replay_checked(m, &v.id, progress)?;
    let which = v.number.map_or(baton::diagram::Which::Draft, baton::diagram::Which::Version);
    let svg = baton::diagram::diagram_of(m, workflow_id, which, baton::layout::Orientation::Horizontal)
        .map(|d| baton::diagram::svg::render_svg(&d))
        .unwrap_or_default();
    Ok(VersionDetail {
        id: v.id.clone(),
        label,
        draft: v.number.is_none(),
        note: v.note.clone(),
        states: states
            .iter()
            .map(|s| StateRow {
                id: s.id.clone(),
                name: s.name.clone(),
                kind: s.kind.as_str().into(),
                meaning: s.meaning.clone(),
            })
            .collect(),
        transitions: transitions
            .iter()
            .map(|t| TransitionRow {
                id: t.id.clone(),
                summary: baton::design::validate::describe(m, t),
                fields: TransitionFields {
                    from_state_id: t.from_state_id.clone(),
                    to_state_id: t.to_state_id.clone(),
                    event: t.event.clone(),
                    guard: t.guard.clone(),
                    owner_role_id: t.owner_role_id.clone(),
                    timer: t.timer.clone(),
                    escalate_to_role_id: t.escalate_to_role_id.clone(),
                    write_backs: t
                        .write_backs
                        .iter()
                        .map(|w| WriteBackView { field: w.field.clone(), value: w.value.clone() })
                        .collect(),
                    priority: t.priority.and_then(|p| i32::try_from(p).ok()),
                    owner_at: t
                        .overrides
                        .iter()
                        .map(|o| OwnerAtView {
                            facility_id: o.facility_id.clone(),
                            role_id: o.role_id.clone(),
                        })
                        .collect(),
                },
            })
            .collect(),
        problems: baton::design::validate(m, &v.id)
            .into_iter()
            .map(|p| ProblemView { rule: p.rule, subject: p.subject, message: p.message })
            .collect(),
        replay: ReplayView {
            cases: count64(replay.cases),
            fitting: count64(replay.fitting),
            fitness: replay.fitness,
            deviations: replay
                .deviations
                .into_iter()
                .map(|d| DeviationView { state: d.state, event: d.event, count: count64(d.count) })
                .collect(),
        },
        signoffs: baton::design::signoffs(m, workflow_id)
            .into_iter()
            .filter(|s| Some(s.version.as_str()) == v.number.map(|n| n.to_string()).as_deref())
            .map(|s| SignOffView {
                name: s.name,
                role: s.role,
                signed_on: s.signed_on,
                decision: s.decision,
                comment: s.comment,
                intact: s.intact,
            })
            .collect(),
        svg,
    })
}

/// Two versions compared: the later one's diagram with what was added (green) and changed
/// (amber) outlined, and every change (removed ones listed in red by the UI).
#[derive(Debug, Clone, Serialize, Type)]
pub struct ComparisonView {
    pub svg: String,
    pub changes: Vec<ChangeView>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct ChangeView {
    pub element: String,
    pub subject: String,
    pub change: String,
    pub part: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
}

impl ComparisonView {
    pub fn of(m: &Model, workflow_id: &str, from: &str, to: &str) -> Result<ComparisonView, AppError> {
        let version = m.versions.iter().find(|v| v.id == to).ok_or_else(|| AppError {
            code: "not_found".into(),
            message: format!("no version {to:?} in this project"),
        })?;
        let which = version.number.map_or(baton::diagram::Which::Draft, baton::diagram::Which::Version);
        let changes = baton::design::diff(m, from, to);
        let (marks, _) = baton::design::marks_of(&changes);
        let svg = baton::diagram::diagram_of(m, workflow_id, which, baton::layout::Orientation::Horizontal)
            .map(|d| baton::diagram::svg::render_svg_marked(&d, &marks))?;
        Ok(ComparisonView {
            svg,
            changes: changes
                .into_iter()
                .map(|c| ChangeView {
                    element: c.element,
                    subject: c.subject,
                    change: c.change,
                    part: c.part,
                    from: c.from,
                    to: c.to,
                })
                .collect(),
        })
    }
}

/// Task metrics of a workflow for the telemetry view: rows, comparison, and the distribution of
/// time to complete per version.
#[derive(Debug, Clone, Serialize, Type)]
pub struct TelemetryView {
    pub versions: Vec<u32>,
    pub rows: Vec<MetricRowView>,
    pub comparison: Vec<ComparisonRowView>,
    /// Per version: tasks completed within each bin of hours (0–1, 1–2, … , 24+).
    pub distribution: Vec<DistributionView>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct MetricRowView {
    pub version: u32,
    pub step: String,
    pub role: String,
    pub facility: String,
    pub tasks: u32,
    pub completed: u32,
    pub open: u32,
    pub complete_median_hours: Option<f64>,
    pub complete_p90_hours: Option<f64>,
    pub first_assignment_median_minutes: Option<f64>,
    pub reassignment_rate: f64,
    pub override_rate: f64,
    pub escalation_rate: f64,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct ComparisonRowView {
    pub step: String,
    pub metric: String,
    pub from: f64,
    pub to: f64,
    pub significant: bool,
    pub evidence: String,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct DistributionView {
    pub version: u32,
    /// Tasks per bin: hours 0–1, 1–2, …, 23–24, then 24 and more.
    pub bins: Vec<u32>,
}

impl TelemetryView {
    pub fn of(
        groups: &[baton::telemetry::TaskGroup],
        workflow: &str,
        version: Option<u32>,
        compare: Option<u32>,
        progress: &baton::progress::Progress,
    ) -> Result<TelemetryView, AppError> {
        let m = baton::telemetry::metrics_checked(
            groups,
            workflow,
            version.map(i64::from),
            compare.zip(version).map(|(a, b)| (i64::from(a), i64::from(b))),
            progress,
        )?;
        let hours = |s: Option<u64>| s.map(|s| (s as f64 / 360.0).round() / 10.0);
        let as_u32 = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
        let shown: Vec<i64> = m.rows.iter().map(|r| r.version).collect();
        let mut distribution: Vec<DistributionView> = Vec::new();
        for v in
            m.versions.iter().filter(|v| shown.contains(v) || compare.is_some_and(|c| i64::from(c) == **v))
        {
            let mut bins = vec![0u32; 25];
            for g in groups.iter().filter(|g| g.workflow == workflow && g.version == *v) {
                for s in &g.complete_secs {
                    bins[((s / 3600) as usize).min(24)] += 1;
                }
            }
            distribution.push(DistributionView { version: u32::try_from(*v).unwrap_or(0), bins });
        }
        Ok(TelemetryView {
            versions: m.versions.iter().map(|v| u32::try_from(*v).unwrap_or(0)).collect(),
            rows: m
                .rows
                .iter()
                .map(|r| MetricRowView {
                    version: u32::try_from(r.version).unwrap_or(0),
                    step: r.step.clone(),
                    role: r.role.clone(),
                    facility: r.facility.clone(),
                    tasks: as_u32(r.tasks),
                    completed: as_u32(r.completed),
                    open: as_u32(r.open),
                    complete_median_hours: hours(r.complete_median_seconds),
                    complete_p90_hours: hours(r.complete_p90_seconds),
                    first_assignment_median_minutes: r
                        .first_assignment_median_seconds
                        .map(|s| (s as f64 / 6.0).round() / 10.0),
                    reassignment_rate: r.reassignment_rate,
                    override_rate: r.override_rate,
                    escalation_rate: r.escalation_rate,
                })
                .collect(),
            comparison: m
                .comparison
                .iter()
                .map(|c| ComparisonRowView {
                    step: c.step.clone(),
                    metric: c.metric.clone(),
                    from: c.from,
                    to: c.to,
                    significant: c.significant,
                    evidence: c.evidence.clone(),
                })
                .collect(),
            distribution,
        })
    }
}

/// Free text that looks like a patient identifier (`baton::phi`), for the user to redact.
#[derive(Debug, Clone, Serialize, Type)]
pub struct PhiMatchView {
    pub place: String,
    pub kind: String,
    pub text: String,
}

impl From<baton::phi::PhiMatch> for PhiMatchView {
    fn from(m: baton::phi::PhiMatch) -> PhiMatchView {
        PhiMatchView { place: m.place, kind: m.kind, text: m.text }
    }
}

/// One entry of the audit trail.
#[derive(Debug, Clone, Serialize, Type)]
pub struct AuditView {
    pub at: String,
    pub user: String,
    pub action: String,
    pub subject: String,
}
