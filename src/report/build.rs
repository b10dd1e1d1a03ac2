//! The report's content: every chapter from the model, the findings and the telemetry.

use std::collections::BTreeMap;

use super::{Block, Chapter, Report, ReportOptions, Section, Table, Tone};
use crate::design::timer::measured;
use crate::design::{self, Change};
use crate::diagram::{self, Which};
use crate::error::Result;
use crate::findings::{Finding, MISMATCH_KINDS};
use crate::layout::Orientation;
use crate::model::{FindingStatus, Model};
use crate::progress::Progress;
use crate::telemetry::{self, MetricRow, TaskGroup};

/// How many findings the executive summary names.
const TOP_FINDINGS: usize = 5;

/// Wider than this (in diagram units), a swimlane is drawn top to bottom so it stays readable
/// on an A4 page.
const WIDE: f64 = 1_400.0;

/// The metric definitions, word for word as the README gives them.
pub const DEFINITIONS: [&str; 7] = [
    "A task's events are ordered by time, ties keeping file order. It was created at its first `created` event (else its first event), first assigned at its first `assigned` or `accepted`, completed at its first `completed`; it is cancelled when it has a `cancelled` and no `completed`, open when it has neither.",
    "A task's step is the state its transition enters (transition ids differ between versions; the state's name is what is compared). Its role is the one on its `completed` event, else the last role it had; its facility and version likewise.",
    "Time to complete: completed − created, over completed tasks; median and 90th percentile (nearest rank).",
    "Time to first assignment: first assigned − created, over assigned tasks (median).",
    "Reassignment rate: the share of tasks with at least one `reassigned` event (a task reassigned twice counts once). Override and escalation rates likewise, with `overridden` and `escalated`.",
    "Open tasks: neither completed nor cancelled at the import's last event; their age is measured to that event.",
    "A change between versions is larger than the noise when, for a rate, a two-proportion z-test gives |z| ≥ 1.96, and for a median, the 95 % bootstrap interval of the difference (1,000 seeded resamples) excludes zero.",
];

struct Ctx<'a> {
    m: &'a Model,
    /// Every finding, dismissed ones included, in scope or not.
    all: &'a [Finding],
    opts: &'a ReportOptions,
    findings: Vec<&'a Finding>,
    dismissed: Vec<&'a Finding>,
}

impl<'a> Ctx<'a> {
    fn role(&self, id: &str) -> String {
        self.m.roles.iter().find(|r| r.id == id).map_or_else(|| id.to_string(), |r| r.name.clone())
    }

    fn facility(&self, id: &str) -> String {
        self.m.facilities.iter().find(|f| f.id == id).map_or_else(|| id.to_string(), |f| f.name.clone())
    }

    fn state(&self, id: &str) -> String {
        self.m.proposed_states.iter().find(|s| s.id == id).map_or_else(|| id.to_string(), |s| s.name.clone())
    }

    fn facility_in(&self, id: &str) -> bool {
        self.opts.facilities.is_empty() || self.opts.facilities.iter().any(|f| f == id)
    }

    fn workflow_in(&self, id: &str) -> bool {
        self.opts.workflows.is_empty() || self.opts.workflows.iter().any(|w| w == id)
    }

    /// The facilities in scope, by name.
    fn facilities(&self) -> Vec<&'a crate::model::Facility> {
        let mut f: Vec<_> = self.m.facilities.iter().filter(|f| self.facility_in(&f.id)).collect();
        f.sort_by(|a, b| a.name.cmp(&b.name));
        f
    }

    /// The workflows in scope, by name.
    fn workflows(&self) -> Vec<&'a crate::model::Workflow> {
        let mut w: Vec<_> = self.m.workflows.iter().filter(|w| self.workflow_in(&w.id)).collect();
        w.sort_by(|a, b| a.name.cmp(&b.name));
        w
    }

    /// The interviews in scope, by facility name, role name, alias.
    fn interviews(&self) -> Vec<&'a crate::model::Interview> {
        let mut i: Vec<_> = self.m.interviews.iter().filter(|i| self.facility_in(&i.facility_id)).collect();
        i.sort_by_key(|i| (self.facility(&i.facility_id), self.role(&i.role_id), i.alias.clone()));
        i
    }

    fn published(&self, workflow_id: &str) -> Vec<&'a crate::model::Version> {
        let mut v: Vec<_> =
            self.m.versions.iter().filter(|v| v.workflow_id == workflow_id && v.number.is_some()).collect();
        v.sort_by_key(|v| v.number);
        v
    }

    /// A workflow's task groups, steps named by state, facilities in scope.
    fn groups(&self, workflow_id: &str) -> Vec<TaskGroup> {
        telemetry::step_labels(self.m, workflow_id)
            .into_iter()
            .filter(|g| self.opts.facilities.is_empty() || self.facility_in(&g.facility))
            .collect()
    }
}

fn in_scope(f: &Finding, opts: &ReportOptions) -> bool {
    let workflow =
        f.subject.workflow.as_ref().is_none_or(|w| opts.workflows.is_empty() || opts.workflows.contains(w));
    let facility = f.subject.facilities.is_empty()
        || opts.facilities.is_empty()
        || f.subject.facilities.iter().any(|x| opts.facilities.contains(x));
    workflow && facility
}

fn table(columns: &[&str], numeric: &[bool], widths: &[u32], rows: Vec<Vec<String>>) -> Block {
    Block::Table(Table {
        columns: columns.iter().map(|c| c.to_string()).collect(),
        numeric: numeric.to_vec(),
        rows,
        widths: widths.to_vec(),
    })
}

fn text(t: impl Into<String>) -> Block {
    Block::Text { text: t.into() }
}

fn percent(rate: f64) -> String {
    format!("{:.1}%", rate * 100.0)
}

fn duration(seconds: Option<u64>) -> String {
    seconds.map_or_else(|| "–".to_string(), |s| measured(s as f64))
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A file name made of lowercase letters, digits and dashes.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// The date the report carries: asked for, the project's report date, else the latest date the
/// project holds (interviews, sign-offs, versions, imports).
fn report_date(m: &Model, opts: &ReportOptions) -> String {
    if let Some(d) = &opts.date {
        return d.clone();
    }
    if let Some(d) = m.project.as_ref().map(|p| p.report_date.clone()).filter(|d| !d.is_empty()) {
        return d;
    }
    let dates = m
        .interviews
        .iter()
        .map(|i| i.date.as_str())
        .chain(m.signoffs.iter().map(|s| s.signed_on.as_str()))
        .chain(m.versions.iter().map(|v| v.created_at.as_str()))
        .chain(m.imports.iter().map(|i| i.imported_at.as_str()))
        .chain(m.telemetry.iter().map(|t| t.imported_at.as_str()))
        .filter(|d| d.len() >= 10)
        .map(|d| &d[..10]);
    dates.max().unwrap_or("").to_string()
}

pub(super) fn build(m: &Model, all: &[Finding], opts: &ReportOptions, progress: &Progress) -> Result<Report> {
    let (dismissed, findings): (Vec<&Finding>, Vec<&Finding>) =
        all.iter().filter(|f| in_scope(f, opts)).partition(|f| f.status == FindingStatus::Dismissed);
    let cx = Ctx { m, all, opts, findings, dismissed };
    let project = m.project.clone().unwrap_or_default();
    let mut chapters = Vec::new();
    for section in Section::ALL.into_iter().filter(|s| opts.wants(*s)) {
        progress.check("writing the report")?;
        progress.advance(1);
        let blocks = match section {
            Section::Summary => summary(&cx),
            Section::Approach => approach(&cx),
            Section::Scope => scope(&cx),
            Section::CurrentState => current_state(&cx)?,
            Section::Ownership => findings_chapter(&cx, false),
            Section::Mismatches => mismatches(&cx),
            Section::Proposals => proposals(&cx)?,
            Section::Telemetry => telemetry_chapter(&cx),
            Section::Signoffs => signoffs(&cx),
            Section::Evidence => evidence(&cx),
        };
        chapters.push(Chapter {
            id: section.as_str().replace('_', "-"),
            title: section.title().into(),
            blocks,
        });
    }
    if opts.wants(Section::Ownership) || opts.wants(Section::Mismatches) {
        chapters.push(Chapter {
            id: "dismissed".into(),
            title: "Appendix: dismissed findings".into(),
            blocks: dismissed_chapter(&cx),
        });
    }
    let facts = vec![
        (
            "Facilities".to_string(),
            cx.facilities().iter().map(|f| f.name.as_str()).collect::<Vec<_>>().join(", "),
        ),
        (
            "Workflows".to_string(),
            cx.workflows().iter().map(|w| w.name.as_str()).collect::<Vec<_>>().join(", "),
        ),
        ("Interviews".to_string(), cx.interviews().len().to_string()),
        ("Findings".to_string(), format!("{} ({} dismissed)", cx.findings.len(), cx.dismissed.len())),
    ];
    Ok(Report {
        title: project.name,
        subtitle: "Findings report".into(),
        client: project.client,
        description: project.description,
        authors: project.authors,
        date: report_date(m, opts),
        facts,
        chapters,
    })
}

fn severity_counts(findings: &[&Finding]) -> String {
    let count = |s: &str| findings.iter().filter(|f| f.severity.as_str() == s).count();
    format!("{} high, {} medium, {} low", count("high"), count("medium"), count("low"))
}

fn summary(cx: &Ctx) -> Vec<Block> {
    let interviews = cx.interviews();
    let mut roles: Vec<&str> = interviews.iter().map(|i| i.role_id.as_str()).collect();
    roles.sort_unstable();
    roles.dedup();
    let mut out = vec![text(format!(
        "{} with {} at {} found {} that need a decision ({}); {} set aside after review.",
        plural(interviews.len(), "interview", "interviews"),
        plural(roles.len(), "role", "roles"),
        plural(cx.facilities().len(), "facility", "facilities"),
        plural(cx.findings.len(), "finding", "findings"),
        severity_counts(&cx.findings),
        match cx.dismissed.len() {
            0 => "none was".to_string(),
            1 => "one was".to_string(),
            n => format!("{n} were"),
        },
    ))];
    if !cx.findings.is_empty() {
        out.push(Block::Subheading { text: "Top findings".into() });
        out.push(Block::Bullets {
            items: cx
                .findings
                .iter()
                .take(TOP_FINDINGS)
                .map(|f| format!("{} ({}): {}", f.title, f.severity.as_str(), f.recommendation))
                .collect(),
        });
    }
    let mut proposals = Vec::new();
    let mut results = Vec::new();
    for w in cx.workflows() {
        let published = cx.published(&w.id);
        if let Some(latest) = published.last() {
            let n = latest.number.unwrap_or(0);
            let signed = design::signoffs(cx.m, &w.id);
            let approval = signed
                .iter()
                .filter(|s| s.decision == crate::model::Decision::Approved && s.intact)
                .map(|s| format!("version {} approved by {} on {}", s.version, s.name, s.signed_on))
                .collect::<Vec<_>>();
            let problems = design::validate(cx.m, &latest.id).len();
            proposals.push(format!(
                "{}: version {n} proposed ({}){}.",
                w.name,
                if problems == 0 {
                    "valid".to_string()
                } else {
                    plural(problems, "validation problem", "validation problems")
                },
                if approval.is_empty() { String::new() } else { format!("; {}", approval.join("; ")) }
            ));
        }
        let groups = cx.groups(&w.id);
        let versions = versions_of(&groups);
        if let [.., a, b] = versions[..] {
            let found =
                telemetry::metrics(&groups, &w.id, None, Some((a, b)), &crate::progress::Progress::none())
                    .unwrap_or_default();
            let said: Vec<String> = found
                .comparison
                .iter()
                .filter(|c| c.step.is_empty() && c.significant)
                .map(|c| {
                    let verb = if c.to < c.from { "lowered" } else { "raised" };
                    format!(
                        "{verb} the {} from {} to {}",
                        metric_name(&c.metric),
                        value_of(&c.metric, c.from),
                        value_of(&c.metric, c.to)
                    )
                })
                .collect();
            results.push(if said.is_empty() {
                format!(
                    "{}: version {b} changed no measure by more than the noise, compared with version {a}.",
                    w.name
                )
            } else {
                format!(
                    "{}: version {b} {} compared with version {a}, changes larger than the noise.",
                    w.name,
                    said.join(" and ")
                )
            });
        }
    }
    if !proposals.is_empty() {
        out.push(Block::Subheading { text: "Proposed workflows".into() });
        out.push(Block::Bullets { items: proposals });
    }
    if !results.is_empty() {
        out.push(Block::Subheading { text: "Results after go-live".into() });
        out.push(Block::Bullets { items: results });
    }
    out
}

/// "Where each workflow stands": the approach of each workflow's current state and latest
/// version, with the evidence for every cell (`crate::approach`).
fn approach(cx: &Ctx) -> Vec<Block> {
    let standings: Vec<crate::approach::Standing> = crate::approach::standings(cx.m, cx.all, None)
        .into_iter()
        .filter(|s| cx.workflow_in(&s.workflow_id))
        .collect();
    if standings.is_empty() {
        return vec![text("The project has no workflows yet.")];
    }
    let yes = |c: &crate::approach::Cell| if c.holds { "yes" } else { "no" }.to_string();
    let mut out = vec![
        text(
            "Each workflow's current state and its latest proposed version, judged on two questions: does the \
             integration handle role logic (one owner for every piece of work, at every facility), and does it \
             support state across systems (every business state visible in the EMR and written back to it)? \
             With both, and the proposed version measured by task telemetry after go-live, the workflow runs on \
             an orchestrator with telemetry. The evidence for every answer follows the table, and the rules \
             close the chapter.",
        ),
        table(
            &["Workflow", "", "Handles role logic", "Supports cross-system state", "Measured", "Approach"],
            &[false; 6],
            &[26, 14, 12, 14, 10, 24],
            standings
                .iter()
                .flat_map(|w| {
                    std::iter::once(&w.current).chain(w.proposed.as_ref()).enumerate().map(|(i, s)| {
                        vec![
                            if i == 0 { w.workflow.clone() } else { String::new() },
                            s.label.clone(),
                            yes(&s.role_logic),
                            yes(&s.shared_state),
                            yes(&s.measured),
                            s.approach_label.clone(),
                        ]
                    })
                })
                .collect(),
        ),
    ];
    for w in &standings {
        let verdict = match &w.proposed {
            Some(p) => format!("{}: {} → {}", w.workflow, w.current.approach_label, p.approach_label),
            None => format!("{}: {} (nothing proposed yet)", w.workflow, w.current.approach_label),
        };
        out.push(Block::Subheading { text: verdict });
        for s in std::iter::once(&w.current).chain(w.proposed.as_ref()) {
            let cell = |name: &str, c: &crate::approach::Cell| {
                format!("{name}: {}. {}.", yes(c), c.evidence.join("; "))
            };
            out.push(text(format!("{}: {}.", s.label, s.approach_label)));
            out.push(Block::Bullets {
                items: vec![
                    cell("Handles role logic", &s.role_logic),
                    cell("Supports cross-system state", &s.shared_state),
                    cell("Measured", &s.measured),
                ],
            });
        }
    }
    out.push(Block::Subheading { text: "How each answer is decided".into() });
    out.push(Block::Bullets { items: crate::approach::RULES.iter().map(|r| r.to_string()).collect() });
    out
}

fn versions_of(groups: &[TaskGroup]) -> Vec<i64> {
    let mut v: Vec<i64> = groups.iter().map(|g| g.version).filter(|v| *v > 0).collect();
    v.sort_unstable();
    v.dedup();
    v
}

fn metric_name(metric: &str) -> &str {
    match metric {
        "reassignment_rate" => "reassignment rate",
        "override_rate" => "override rate",
        "escalation_rate" => "escalation rate",
        "complete_median_seconds" => "median time to complete",
        other => other,
    }
}

fn value_of(metric: &str, v: f64) -> String {
    if metric.ends_with("_seconds") { measured(v) } else { percent(v) }
}

fn scope(cx: &Ctx) -> Vec<Block> {
    let interviews = cx.interviews();
    let mut out = vec![Block::Heading { id: "scope-facilities".into(), text: "Facilities and roles".into() }];
    out.push(table(
        &["Facility", "Time zone", "Interviews"],
        &[false, false, true],
        &[3, 2, 1],
        cx.facilities()
            .iter()
            .map(|f| {
                let n = interviews.iter().filter(|i| i.facility_id == f.id).count();
                vec![f.name.clone(), f.timezone.clone(), n.to_string()]
            })
            .collect(),
    ));
    let mut roles: Vec<&crate::model::Role> = cx.m.roles.iter().collect();
    roles.sort_by(|a, b| a.name.cmp(&b.name));
    out.push(table(
        &["Role", "Description", "Interviews"],
        &[false, false, true],
        &[2, 4, 1],
        roles
            .iter()
            .map(|r| {
                let n = interviews.iter().filter(|i| i.role_id == r.id).count();
                vec![r.name.clone(), r.description.clone(), n.to_string()]
            })
            .collect(),
    ));
    out.push(Block::Heading { id: "scope-interviews".into(), text: "Interviews held".into() });
    if interviews.is_empty() {
        out.push(text("No interviews were held in this scope."));
    } else {
        out.push(table(
            &["Alias", "Role", "Facility", "Shift", "Date", "Statements"],
            &[false, false, false, false, false, true],
            &[2, 2, 2, 1, 2, 1],
            interviews
                .iter()
                .map(|i| {
                    let n = cx.m.statements.iter().filter(|s| s.interview_id == i.id).count();
                    vec![
                        i.alias.clone(),
                        cx.role(&i.role_id),
                        cx.facility(&i.facility_id),
                        i.shift.clone(),
                        i.date.clone(),
                        n.to_string(),
                    ]
                })
                .collect(),
        ));
    }
    out.push(Block::Heading { id: "scope-data".into(), text: "Data imported".into() });
    let mut rows = Vec::new();
    let mut imports: Vec<&crate::model::ImportRecord> = cx.m.imports.iter().collect();
    imports.sort_by(|a, b| (a.kind.as_str(), &a.name).cmp(&(b.kind.as_str(), &b.name)));
    for i in imports {
        let summary: serde_json::Value = serde_json::from_str(&i.summary).unwrap_or_default();
        let records = summary.get("records").and_then(serde_json::Value::as_i64).unwrap_or(0);
        let period =
            cx.m.logs
                .iter()
                .find(|l| l.id == i.id)
                .map(|l| {
                    format!("{} to {}", l.first_at.get(..10).unwrap_or(""), l.last_at.get(..10).unwrap_or(""))
                })
                .unwrap_or_default();
        let kind = match i.kind.as_str() {
            "log" => "event log",
            _ => "status export",
        };
        rows.push(vec![i.name.clone(), kind.into(), i.format.to_uppercase(), records.to_string(), period]);
    }
    let mut telemetry: Vec<&crate::model::TelemetryImport> = cx.m.telemetry.iter().collect();
    telemetry.sort_by(|a, b| a.name.cmp(&b.name));
    for t in telemetry {
        let summary: serde_json::Value = serde_json::from_str(&t.summary).unwrap_or_default();
        let records = summary.get("records").and_then(serde_json::Value::as_i64).unwrap_or(0);
        let tasks: u64 = t.groups.iter().map(|g| g.tasks).sum();
        rows.push(vec![
            t.name.clone(),
            "task telemetry".into(),
            summary.get("format").and_then(serde_json::Value::as_str).unwrap_or("").to_uppercase(),
            records.to_string(),
            format!("{tasks} tasks"),
        ]);
    }
    if rows.is_empty() {
        out.push(text("No data was imported."));
    } else {
        out.push(table(
            &["Source", "Kind", "Format", "Records", "Period"],
            &[false, false, false, true, false],
            &[3, 2, 1, 1, 3],
            rows,
        ));
        out.push(text(
            "Only aggregates, value counts and salted hashes of identifiers are kept from imported files; \
             no patient identifier, name or free text reaches this report.",
        ));
    }
    out
}

/// The swimlane of `which`, drawn top to bottom when it would be too wide for a page, with the
/// elements of `marks` outlined.
fn figure(
    cx: &Ctx,
    workflow: &crate::model::Workflow,
    which: Which,
    marks: &BTreeMap<String, String>,
) -> Result<Block> {
    let mut d = diagram::diagram_of(cx.m, &workflow.id, which, Orientation::Horizontal)?;
    if d.geometry.width > WIDE {
        d = diagram::diagram_of(cx.m, &workflow.id, which, Orientation::Vertical)?;
    }
    let label = match which {
        Which::CurrentState => "current-state".to_string(),
        Which::Version(n) => format!("v{n}"),
        Which::Draft => "draft".to_string(),
    };
    Ok(Block::Figure {
        file: format!("{}-{label}.svg", slug(&workflow.name)),
        caption: format!("{}: {}", workflow.name, d.subtitle.to_lowercase()),
        width: diagram::svg::svg_size(&d).0,
        height: diagram::svg::svg_size(&d).1,
        svg: diagram::svg::render_svg_marked(&d, marks),
    })
}

fn current_state(cx: &Ctx) -> Result<Vec<Block>> {
    let mut out = vec![text(
        "Each swimlane is the flow as the frontline roles described it in interviews, one lane per role. \
         Badges count the findings on a step.",
    )];
    for w in cx.workflows() {
        let steps = cx.m.steps.iter().filter(|s| s.workflow_id == w.id).count();
        if steps == 0 {
            continue;
        }
        let mut group =
            vec![Block::Heading { id: format!("current-{}", slug(&w.name)), text: w.name.clone() }];
        if !w.description.is_empty() {
            group.push(text(w.description.clone()));
        }
        group.push(figure(cx, w, Which::CurrentState, &BTreeMap::new())?);
        out.push(Block::Group { blocks: group });
        let handoffs = cx.m.handoffs.iter().filter(|h| h.workflow_id == w.id).count();
        out.push(text(format!(
            "{} and {} as described.",
            plural(steps, "step", "steps"),
            plural(handoffs, "handoff", "handoffs")
        )));
        // The service levels the consultant set, which the stall findings judge by.
        let levels: Vec<String> =
            cx.m.steps
                .iter()
                .filter(|s| s.workflow_id == w.id && (!s.service_level.is_empty() || s.safety_critical))
                .map(|s| {
                    let within = crate::model::duration::parse_duration(&s.service_level)
                        .map(|secs| format!(" within {}", crate::model::duration::for_people(secs)))
                        .unwrap_or_default();
                    let critical = if s.safety_critical { " (safety-critical)" } else { "" };
                    format!("“{}”{within}{critical}", s.name)
                })
                .collect();
        if !levels.is_empty() {
            out.push(text(format!("Service levels: {}.", levels.join("; "))));
        }
    }
    Ok(out)
}

fn finding_blocks(cx: &Ctx, f: &Finding) -> Vec<Block> {
    let mut out = vec![Block::Subheading { text: f.title.clone() }];
    let mut facts = vec![
        format!("Severity: {}", f.severity.as_str()),
        format!("Kind: {}", f.kind.as_str().replace('_', " ")),
    ];
    if f.status == FindingStatus::Accepted {
        facts.push("Accepted".into());
    }
    if !f.subject.facilities.is_empty() {
        facts.push(format!(
            "Facilities: {}",
            f.subject.facilities.iter().map(|x| cx.facility(x)).collect::<Vec<_>>().join(", ")
        ));
    }
    out.push(text(facts.join(" · ")));
    let evidence: Vec<String> = f
        .evidence
        .iter()
        .map(|e| match &e.alias {
            // Evidence that names its interviewee already is not prefixed with the alias again.
            Some(alias) if !e.text.starts_with(alias.as_str()) => format!("{alias}: {}", e.text),
            _ => e.text.clone(),
        })
        .collect();
    if !evidence.is_empty() {
        out.push(Block::Bullets { items: evidence });
    }
    out.push(Block::Note { tone: Tone::Info, text: format!("Recommendation: {}", f.recommendation) });
    out
}

fn findings_chapter(cx: &Ctx, mismatch: bool) -> Vec<Block> {
    let chosen: Vec<&&Finding> =
        cx.findings.iter().filter(|f| MISMATCH_KINDS.contains(&f.kind) == mismatch).collect();
    if chosen.is_empty() {
        return vec![text("No findings of this kind in the chosen scope.")];
    }
    let mut out = vec![text(format!(
        "{} ({}).",
        plural(chosen.len(), "finding", "findings"),
        severity_counts(&chosen.iter().map(|f| **f).collect::<Vec<_>>())
    ))];
    for f in chosen {
        out.extend(finding_blocks(cx, f));
    }
    out
}

fn mismatches(cx: &Ctx) -> Vec<Block> {
    let mut out = findings_chapter(cx, true);
    let matrix = crate::mapping::matrix(cx.m);
    let facilities: Vec<&crate::model::Named> =
        matrix.facilities.iter().filter(|f| cx.facility_in(&f.id)).collect();
    let state = |id: &str| matrix.states.iter().find(|s| s.id == id);
    if matrix.fields.iter().all(|f| f.values.is_empty()) {
        // No EMR export yet: no empty matrix heading.
        return out;
    }
    out.push(Block::Heading {
        id: "mapping-matrix".into(),
        text: "EMR values against business states".into(),
    });
    out.push(text(
        "Each row is a value the EMR exported; each column says which business state it means for every \
         facility and then at each facility, with the number of records there. A dash is a value with no \
         agreed meaning.",
    ));
    for field in &matrix.fields {
        let mut rows = Vec::new();
        for v in &field.values {
            let named = |facility: Option<&str>| {
                v.cells
                    .iter()
                    .find(|c| c.facility_id.as_deref() == facility)
                    .and_then(|c| state(&c.state_id))
                    .filter(|s| cx.workflow_in(&s.workflow_id))
                    .map(|s| s.name.clone())
            };
            let every = named(None);
            let mut row = vec![v.value.clone(), every.clone().unwrap_or_else(|| "–".into())];
            for f in &facilities {
                let count = v.counts.get(&f.id).copied().unwrap_or(0);
                let here = named(Some(&f.id));
                let name = match (&here, &every) {
                    (Some(h), _) => format!("{h} (local)"),
                    (None, Some(e)) => e.clone(),
                    (None, None) => "–".into(),
                };
                row.push(format!("{name}\n{count} records"));
            }
            rows.push(row);
        }
        if rows.is_empty() {
            continue;
        }
        out.push(Block::Subheading { text: format!("{} ({})", field.name, field.source) });
        let mut columns = vec!["EMR value".to_string(), "Every facility".to_string()];
        columns.extend(facilities.iter().map(|f| f.name.clone()));
        let n = columns.len();
        out.push(Block::Table(Table {
            columns,
            numeric: vec![false; n],
            rows,
            widths: std::iter::once(3).chain(std::iter::repeat_n(2, n - 1)).collect(),
        }));
    }
    out
}

fn role_opt(cx: &Ctx, id: &Option<String>) -> String {
    id.as_deref().map_or_else(|| "–".to_string(), |r| cx.role(r))
}

fn version_blocks(
    cx: &Ctx,
    w: &crate::model::Workflow,
    v: &crate::model::Version,
    previous: Option<&crate::model::Version>,
) -> Result<Vec<Block>> {
    let n = v.number.unwrap_or(0);
    let title = Block::Subheading {
        text: if v.note.is_empty() { format!("Version {n}") } else { format!("Version {n}: {}", v.note) },
    };
    let changes: Vec<Change> = previous.map(|p| design::diff(cx.m, &p.id, &v.id)).unwrap_or_default();
    let (marks, _) = design::marks_of(&changes);
    let mut out = vec![Block::Group { blocks: vec![title, figure(cx, w, Which::Version(n), &marks)?] }];
    let mut states: Vec<&crate::model::ProposedState> =
        cx.m.proposed_states.iter().filter(|s| s.version_id == v.id).collect();
    states.sort_by_key(|s| s.position);
    out.push(table(
        &["State", "Kind", "Task it opens", "Meaning"],
        &[false, false, false, false],
        &[3, 2, 4, 5],
        states
            .iter()
            .map(|s| {
                let task = if design::task::opens_task(cx.m, &s.id) { design::task::title(s) } else { "–" };
                vec![s.name.clone(), s.kind.as_str().into(), task.to_string(), s.meaning.clone()]
            })
            .collect(),
    ));
    let mut transitions: Vec<&crate::model::Transition> =
        cx.m.transitions.iter().filter(|t| t.version_id == v.id).collect();
    transitions.sort_by_key(|t| t.position);
    out.push(table(
        &["Transition", "Owner", "Guard", "Timer and escalation", "Writes back"],
        &[false, false, false, false, false],
        &[4, 2, 2, 2, 2],
        transitions
            .iter()
            .map(|t| {
                let mut owner = role_opt(cx, &t.owner_role_id);
                for o in &t.overrides {
                    owner.push_str(&format!("\n{}: {}", cx.facility(&o.facility_id), cx.role(&o.role_id)));
                }
                let timer = if t.timer.is_empty() {
                    "–".to_string()
                } else {
                    format!("{} to {}", timer_for_people(&t.timer), role_opt(cx, &t.escalate_to_role_id))
                };
                let writes: Vec<String> =
                    t.write_backs.iter().map(|w| format!("{} = {}", w.field, w.value)).collect();
                vec![
                    format!("{} → {}\non {}", cx.state(&t.from_state_id), cx.state(&t.to_state_id), t.event),
                    owner,
                    if t.guard.is_empty() { "–".into() } else { t.guard.clone() },
                    timer,
                    if writes.is_empty() { "–".into() } else { writes.join("\n") },
                ]
            })
            .collect(),
    ));
    let problems = design::validate(cx.m, &v.id);
    if problems.is_empty() {
        out.push(Block::Note {
            tone: Tone::Good,
            text: "Validation: no problems; the version exports to every orchestrator format.".into(),
        });
    } else {
        out.push(Block::Note {
            tone: Tone::Warning,
            text: format!("Validation: {}.", plural(problems.len(), "problem", "problems")),
        });
        out.push(Block::Bullets {
            items: problems.iter().map(|p| format!("{}: {}", p.subject, p.message)).collect(),
        });
    }
    if let Some(p) = previous {
        let from = p.number.unwrap_or(0);
        if changes.is_empty() {
            out.push(text(format!("No change from version {from}.")));
        } else {
            out.push(text(format!(
                "Changes from version {from} (outlined in the diagram: added in green, changed in amber):"
            )));
            out.push(table(
                &["Element", "Subject", "Change", "From", "To"],
                &[false; 5],
                &[1, 3, 2, 2, 2],
                changes
                    .iter()
                    .map(|c| {
                        let change = match &c.part {
                            Some(part) => format!("{} {part}", c.change),
                            None => c.change.clone(),
                        };
                        vec![
                            c.element.clone(),
                            c.subject.clone(),
                            change,
                            c.from.clone().unwrap_or_else(|| "–".into()),
                            c.to.clone().unwrap_or_else(|| "–".into()),
                        ]
                    })
                    .collect(),
            ));
        }
    }
    Ok(out)
}

fn proposals(cx: &Ctx) -> Result<Vec<Block>> {
    let mut out = vec![text(
        "Each proposed version names its states, who owns each transition, the guards and timers, and what \
         is written back to the EMR. Published versions are what the orchestrator exports are made from.",
    )];
    let mut any = false;
    for w in cx.workflows() {
        let published = cx.published(&w.id);
        if published.is_empty() {
            continue;
        }
        any = true;
        out.push(Block::Heading { id: format!("proposed-{}", slug(&w.name)), text: w.name.clone() });
        for (i, v) in published.iter().enumerate() {
            out.extend(version_blocks(cx, w, v, i.checked_sub(1).map(|p| published[p]))?);
        }
        if cx.m.versions.iter().any(|v| v.workflow_id == w.id && v.number.is_none()) {
            out.push(text("A draft of the next version is in progress and not shown."));
        }
    }
    if !any {
        out.push(text("No proposed version has been published yet."));
    }
    Ok(out)
}

fn metric_rows(rows: &[&MetricRow], first: impl Fn(&MetricRow) -> String) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| {
            vec![
                first(r),
                r.tasks.to_string(),
                r.open.to_string(),
                duration(r.complete_median_seconds),
                duration(r.complete_p90_seconds),
                duration(r.first_assignment_median_seconds),
                percent(r.reassignment_rate),
                percent(r.override_rate),
                percent(r.escalation_rate),
            ]
        })
        .collect()
}

const METRIC_COLUMNS: [&str; 8] = [
    "Tasks",
    "Open",
    "Median to complete",
    "p90 to complete",
    "Median to assign",
    "Reassigned",
    "Overridden",
    "Escalated",
];

fn metric_table(first: &str, rows: Vec<Vec<String>>) -> Block {
    let mut columns = vec![first];
    columns.extend(METRIC_COLUMNS);
    table(
        &columns,
        &[false, true, true, true, true, true, true, true, true],
        &[3, 1, 1, 2, 2, 2, 2, 2, 2],
        rows,
    )
}

fn telemetry_chapter(cx: &Ctx) -> Vec<Block> {
    let mut out = Vec::new();
    out.push(Block::Heading { id: "telemetry-plan".into(), text: "Telemetry plan".into() });
    out.push(text(
        "Every transition of a published version emits one event, carrying the case (hashed), the \
         timestamp, the workflow, the version, the transition, the state entered, the actor's role and the \
         facility, plus the event's own fields below. A timer that runs out emits baton.escalated.",
    ));
    for w in cx.workflows() {
        let Some(v) = cx.published(&w.id).last().copied() else { continue };
        let mut transitions: Vec<&crate::model::Transition> =
            cx.m.transitions.iter().filter(|t| t.version_id == v.id).collect();
        transitions.sort_by_key(|t| t.position);
        out.push(Block::Subheading { text: format!("{}, version {}", w.name, v.number.unwrap_or(0)) });
        out.push(table(
            &["Transition", "Event", "Event fields", "Escalation"],
            &[false; 4],
            &[4, 2, 3, 2],
            transitions
                .iter()
                .map(|t| {
                    let fields =
                        cx.m.events
                            .iter()
                            .find(|e| e.name == t.event)
                            .map(|e| {
                                e.fields
                                    .iter()
                                    .map(|f| format!("{} ({})", f.name, f.kind.as_str()))
                                    .collect::<Vec<_>>()
                                    .join("\n")
                            })
                            .filter(|f| !f.is_empty())
                            .unwrap_or_else(|| "–".into());
                    vec![
                        format!("{} → {}", cx.state(&t.from_state_id), cx.state(&t.to_state_id)),
                        t.event.clone(),
                        fields,
                        if t.timer.is_empty() { "–".into() } else { timer_for_people(&t.timer) },
                    ]
                })
                .collect(),
        ));
    }
    out.push(Block::Heading { id: "telemetry-results".into(), text: "Results".into() });
    let mut any = false;
    for w in cx.workflows() {
        let groups = cx.groups(&w.id);
        if groups.is_empty() {
            continue;
        }
        any = true;
        let versions = versions_of(&groups);
        let compare = match versions[..] {
            [.., a, b] => Some((a, b)),
            _ => None,
        };
        let found = telemetry::metrics(&groups, &w.id, None, compare, &crate::progress::Progress::none())
            .unwrap_or_default();
        out.push(Block::Subheading { text: w.name.clone() });
        let overall: Vec<&MetricRow> = found.rows.iter().filter(|r| r.step.is_empty()).collect();
        out.push(metric_table(
            "Version",
            metric_rows(&overall, |r| {
                if r.version == 0 { "unversioned".into() } else { format!("Version {}", r.version) }
            }),
        ));
        if let Some((a, b)) = compare {
            out.push(Block::Subheading {
                text: format!("Version {b} compared with version {a}, overall and by step"),
            });
            out.push(table(
                &["Step", "Measure", &format!("Version {a}"), &format!("Version {b}"), "Verdict"],
                &[false, false, true, true, false],
                &[3, 3, 2, 2, 4],
                found
                    .comparison
                    .iter()
                    .map(|c| {
                        vec![
                            if c.step.is_empty() { "All steps".into() } else { c.step.clone() },
                            metric_name(&c.metric).to_string(),
                            value_of(&c.metric, c.from),
                            value_of(&c.metric, c.to),
                            format!(
                                "{} ({})",
                                if c.significant { "larger than the noise" } else { "within the noise" },
                                c.evidence
                            ),
                        ]
                    })
                    .collect(),
            ));
        }
        for &v in &versions {
            let by_step: Vec<&MetricRow> = found
                .rows
                .iter()
                .filter(|r| {
                    r.version == v && !r.step.is_empty() && r.role.is_empty() && r.facility.is_empty()
                })
                .collect();
            out.push(Block::Subheading { text: format!("Version {v} by step") });
            out.push(metric_table("Step", metric_rows(&by_step, |r| r.step.clone())));
        }
        if let Some(&v) = versions.last() {
            let by_role: Vec<&MetricRow> = found
                .rows
                .iter()
                .filter(|r| r.version == v && (!r.role.is_empty() || !r.facility.is_empty()))
                .collect();
            out.push(Block::Subheading { text: format!("Version {v} by step, role and facility") });
            out.push(metric_table(
                "Step and role or facility",
                metric_rows(&by_role, |r| {
                    if r.role.is_empty() {
                        format!("{}\nat {}", r.step, cx.facility(&r.facility))
                    } else {
                        format!("{}\nby {}", r.step, cx.role(&r.role))
                    }
                }),
            ));
        }
    }
    if !any {
        // Without data, the method is not worth a heading of its own.
        out.push(text("No task telemetry has been imported yet."));
        return out;
    }
    out.push(Block::Heading {
        id: "telemetry-definitions".into(),
        text: "How the measures are computed".into(),
    });
    out.push(Block::Bullets { items: DEFINITIONS.iter().map(|d| d.replace('`', "")).collect() });
    out
}

fn signoffs(cx: &Ctx) -> Vec<Block> {
    let mut rows = Vec::new();
    for w in cx.workflows() {
        for s in design::signoffs(cx.m, &w.id) {
            rows.push(vec![
                format!("{}, version {}", w.name, s.version),
                format!("{}\n{}", s.name, s.role),
                s.signed_on.clone(),
                s.decision.as_str().replace('_', " "),
                if s.comment.is_empty() { "–".into() } else { s.comment.clone() },
                if s.intact {
                    "intact".into()
                } else {
                    "BROKEN: the version changed after it was signed".into()
                },
            ]);
        }
    }
    if rows.is_empty() {
        return vec![text("No version has been signed off yet.")];
    }
    vec![
        text(
            "A sign-off is bound to a hash of the version's content; a version changed after it was signed shows its sign-off as broken.",
        ),
        table(
            &["Version", "Signed by", "Date", "Decision", "Comment", "Seal"],
            &[false; 6],
            &[3, 3, 2, 2, 4, 2],
            rows,
        ),
    ]
}

fn evidence(cx: &Ctx) -> Vec<Block> {
    let mut out = vec![Block::Heading { id: "evidence-quotes".into(), text: "Interview quotes".into() }];
    let mut any = false;
    for i in cx.interviews() {
        let mut statements: Vec<&crate::model::Statement> =
            cx.m.statements.iter().filter(|s| s.interview_id == i.id && !s.quote.trim().is_empty()).collect();
        statements.sort_by_key(|s| s.position);
        for s in statements {
            if s.workflow_id.as_ref().is_some_and(|w| !cx.workflow_in(w)) {
                continue;
            }
            any = true;
            out.push(Block::Quote {
                text: s.quote.trim().to_string(),
                by: format!(
                    "{} ({}, {}), on {}",
                    i.alias,
                    cx.role(&i.role_id),
                    cx.facility(&i.facility_id),
                    s.step_name
                ),
            });
        }
    }
    if !any {
        out.push(text("No quotes were recorded."));
    }
    out.push(Block::Heading { id: "evidence-counts".into(), text: "Counts".into() });
    let matrix = crate::mapping::matrix(cx.m);
    let facilities: Vec<&crate::model::Named> =
        matrix.facilities.iter().filter(|f| cx.facility_in(&f.id)).collect();
    let mut rows = Vec::new();
    for field in &matrix.fields {
        for v in &field.values {
            let mut row = vec![format!("{}: {}", field.name, v.value)];
            row.extend(facilities.iter().map(|f| v.counts.get(&f.id).copied().unwrap_or(0).to_string()));
            row.push(
                facilities.iter().map(|f| v.counts.get(&f.id).copied().unwrap_or(0)).sum::<i64>().to_string(),
            );
            rows.push(row);
        }
    }
    if rows.is_empty() {
        out.push(text("No EMR status export was imported."));
    } else {
        out.push(text("Records per EMR value and facility, as the status exports counted them."));
        let mut columns = vec!["EMR field: value".to_string()];
        columns.extend(facilities.iter().map(|f| f.name.clone()));
        columns.push("Total".into());
        let n = columns.len();
        out.push(Block::Table(Table {
            columns,
            numeric: std::iter::once(false).chain(std::iter::repeat_n(true, n - 1)).collect(),
            rows,
            widths: std::iter::once(4).chain(std::iter::repeat_n(1, n - 1)).collect(),
        }));
    }
    for log in &cx.m.logs {
        let name = cx.m.imports.iter().find(|i| i.id == log.id).map_or("event log", |i| i.name.as_str());
        out.push(text(format!(
            "{name}: {} events in {} cases from {} to {}; {} distinct paths.",
            log.events,
            log.cases,
            log.first_at.get(..10).unwrap_or(""),
            log.last_at.get(..10).unwrap_or(""),
            log.variants.len() as i64 + log.other_variants,
        )));
    }
    out
}

fn dismissed_chapter(cx: &Ctx) -> Vec<Block> {
    if cx.dismissed.is_empty() {
        return vec![text("No finding was dismissed.")];
    }
    let decided = |id: &str| {
        cx.m.finding_triage.iter().find(|t| t.id == id).map_or("", |t| t.decided_at.get(..10).unwrap_or(""))
    };
    vec![
        text("These findings were reviewed and set aside; they are left out of the chapters above."),
        table(
            &["Finding", "Kind", "Reason", "Decided"],
            &[false; 4],
            &[4, 2, 4, 2],
            cx.dismissed
                .iter()
                .map(|f| {
                    vec![
                        f.title.clone(),
                        f.kind.as_str().replace('_', " "),
                        f.reason.clone(),
                        decided(&f.id).to_string(),
                    ]
                })
                .collect(),
        ),
    ]
}

/// A timer as people read it ("after 2 hours"); the text as it is when it is not a duration.
fn timer_for_people(timer: &str) -> String {
    crate::design::timer::parse_duration(timer)
        .map_or_else(|| format!("after {timer}"), crate::design::timer::after)
}
