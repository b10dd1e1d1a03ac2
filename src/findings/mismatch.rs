//! State-mismatch findings (step 2 of the rescue framework): where the EMR's status values, the
//! business states from the interviews, the current-state map and the event log disagree.
//!
//! Log activities are matched to a workflow's steps by name (case, spaces and punctuation
//! ignored); a log speaks about a workflow when at least two of its activities match steps of it.

use std::collections::{BTreeMap, BTreeSet};

use super::{Evidence, Finding, FindingKind, Subject, finding};
use crate::error::Result;
use crate::model::{EventLog, EvidenceSource, Model, Severity, Step};
use crate::progress::Progress;

/// The kinds this module finds.
pub const MISMATCH_KINDS: [FindingKind; 9] = [
    FindingKind::AmbiguousStatus,
    FindingKind::InvisibleState,
    FindingKind::UnusedValue,
    FindingKind::UnmappedValue,
    FindingKind::RedundantValues,
    FindingKind::UndocumentedTransition,
    FindingKind::UnobservedTransition,
    FindingKind::Stall,
    FindingKind::RoleMismatch,
];

/// Thresholds of the log-based findings, documented in the README and adjustable from
/// `baton findings`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MismatchOptions {
    /// An edge stalls when its median wait is more than this many times the log's typical wait
    /// (the median of its edges' medians).
    pub stall_factor: f64,
    /// Waits are judged only on edges seen at least this many times.
    pub stall_min_events: i64,
    /// A log transition missing from the map is reported from this many occurrences…
    pub undocumented_min_count: i64,
    /// …and from this share of the transitions leaving its activity.
    pub undocumented_min_share: f64,
    /// A role that did at least this share of an activity's events (with a role) is its main one.
    pub role_share: f64,
    /// A step with a service level stalls when at least this share of cases wait longer.
    pub service_level_share: f64,
    /// Without one, an edge's tail stalls when at least this share of cases wait more than…
    pub stall_tail_share: f64,
    /// …this many times the edge's median…
    pub stall_tail_factor: f64,
    /// …and more than this many seconds. Where the interviews give the step's usual duration,
    /// the tail is judged against this many times that instead of the median.
    pub stall_tail_min_seconds: f64,
    pub stall_expected_factor: f64,
}

impl Default for MismatchOptions {
    fn default() -> Self {
        MismatchOptions {
            stall_factor: 3.0,
            stall_min_events: 20,
            undocumented_min_count: 5,
            undocumented_min_share: 0.05,
            role_share: 0.6,
            service_level_share: 0.05,
            stall_tail_share: 0.05,
            stall_tail_factor: 10.0,
            stall_tail_min_seconds: 3600.0,
            stall_expected_factor: 2.0,
        }
    }
}

/// A value counted fewer times than this in the whole status export is `unused_value`; from this
/// many records on, an unmapped value is `unmapped_value` (documented in the README).
pub const UNUSED_FLOOR: i64 = 5;

/// "1 record", "2,100 records".
fn records(n: i64) -> String {
    if n == 1 { "1 record".into() } else { format!("{} records", super::thousands(n)) }
}

fn evidence(source: EvidenceSource, text: String) -> Evidence {
    Evidence { source, text, interview: None, alias: None, facility: None, statement: None, count: None }
}

/// A name compared loosely: lower case, letters and digits, single spaces.
pub fn loose(name: &str) -> String {
    name.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

struct Ctx<'m> {
    m: &'m Model,
}

impl<'m> Ctx<'m> {
    fn facility(&self, id: &str) -> String {
        if id.is_empty() {
            return "no facility".into();
        }
        self.m.facilities.iter().find(|f| f.id == id).map_or_else(|| id.to_string(), |f| f.name.clone())
    }

    fn role(&self, id: &str) -> String {
        self.m.roles.iter().find(|r| r.id == id).map_or_else(|| id.to_string(), |r| r.name.clone())
    }

    fn state(&self, id: &str) -> Option<&'m crate::model::BusinessState> {
        self.m.business_states.iter().find(|s| s.id == id)
    }

    fn log_name(&self, log: &EventLog) -> String {
        self.m.imports.iter().find(|i| i.id == log.id).map_or_else(|| log.id.clone(), |i| i.name.clone())
    }

    /// Steps of `workflow` by loose name.
    fn steps_by_name(&self, workflow: &str) -> BTreeMap<String, &'m Step> {
        self.m.steps.iter().filter(|s| s.workflow_id == workflow).map(|s| (loose(&s.name), s)).collect()
    }
}

pub(super) fn detect(m: &Model, options: &MismatchOptions, progress: &Progress) -> Result<Vec<Finding>> {
    let ctx = Ctx { m };
    let mut out = Vec::new();
    status_findings(&ctx, &mut out);
    for log in &m.logs {
        for w in &m.workflows {
            progress.check("analysing findings")?;
            let steps = ctx.steps_by_name(&w.id);
            let matched: BTreeSet<&str> = log
                .activities
                .iter()
                .filter(|a| steps.contains_key(&loose(&a.activity)))
                .map(|a| a.activity.as_str())
                .collect();
            if matched.len() >= 2 {
                transitions(&ctx, log, &w.id, &steps, options, &mut out);
                roles(&ctx, log, &w.id, &steps, options, &mut out);
            }
        }
        stalls(&ctx, log, options, &mut out);
    }
    Ok(out)
}

fn status_findings(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let m = ctx.m;
    for value in &m.emr_values {
        let Some(field) = m.emr_fields.iter().find(|f| f.id == value.field_id) else { continue };
        let maps: Vec<_> = m.mappings.iter().filter(|x| x.value_id == value.id).collect();
        let counts: Vec<_> = m.emr_value_counts.iter().filter(|c| c.value_id == value.id).collect();
        let total: i64 = counts.iter().map(|c| c.count).sum();
        let states: BTreeSet<&str> = maps.iter().map(|x| x.state_id.as_str()).collect();
        let subject = |facilities: Vec<String>| Subject {
            field: Some(field.id.clone()),
            value: Some(value.id.clone()),
            facilities,
            ..Subject::default()
        };
        // ambiguous_status: one value, several business states.
        if states.len() >= 2 {
            let mut ev = Vec::new();
            let mut facilities = BTreeSet::new();
            for x in &maps {
                let Some(state) = ctx.state(&x.state_id) else { continue };
                let place = x
                    .facility_id
                    .as_deref()
                    .map_or_else(|| "every facility".to_string(), |f| ctx.facility(f));
                if let Some(f) = &x.facility_id {
                    facilities.insert(f.clone());
                }
                let meaning =
                    if state.meaning.is_empty() { String::new() } else { format!(" ({})", state.meaning) };
                let note = if x.note.is_empty() { String::new() } else { format!(": {}", x.note) };
                let mut e = evidence(
                    EvidenceSource::Mapping,
                    format!("At {place}, “{}” means “{}”{meaning}{note}", value.value, state.name),
                );
                e.facility = x.facility_id.clone();
                e.count = x
                    .facility_id
                    .as_ref()
                    .and_then(|f| counts.iter().find(|c| &c.facility_id == f))
                    .map(|c| c.count);
                ev.push(e);
            }
            let names: Vec<String> =
                states.iter().filter_map(|s| ctx.state(s)).map(|s| format!("“{}”", s.name)).collect();
            out.push(finding(
                FindingKind::AmbiguousStatus,
                &[&value.id],
                Severity::High,
                format!("{} “{}” means {} different things: {}", field.name, value.value, states.len(), names.join(", ")),
                subject(facilities.into_iter().collect()),
                ev,
                format!(
                    "Split “{}” into explicit states, one per meaning, and agree which one the EMR value stands for.",
                    value.value
                ),
            ));
        }
        // unused_value: (almost) never counted. unmapped_value: in use, but nobody maps it while
        // other values of its field are.
        let field_mapped = m
            .mappings
            .iter()
            .any(|x| m.emr_values.iter().any(|v| v.id == x.value_id && v.field_id == field.id));
        let unused = total < UNUSED_FLOOR;
        if unused || (maps.is_empty() && field_mapped) {
            let field_total: i64 = m
                .emr_value_counts
                .iter()
                .filter(|c| m.emr_values.iter().any(|v| v.id == c.value_id && v.field_id == field.id))
                .map(|c| c.count)
                .sum();
            let mut ev = vec![evidence(
                EvidenceSource::StatusExport,
                format!("{} “{}”: {} in the export", field.name, value.value, records(total)),
            )];
            ev[0].count = Some(total);
            for c in &counts {
                let mut e = evidence(
                    EvidenceSource::StatusExport,
                    format!("{}: {}", ctx.facility(&c.facility_id), records(c.count)),
                );
                e.facility = Some(c.facility_id.clone());
                e.count = Some(c.count);
                ev.push(e);
            }
            if !value.description.is_empty() {
                ev.push(evidence(
                    EvidenceSource::StatusExport,
                    format!("EMR description: {}", value.description),
                ));
            }
            if unused {
                let why = if total == 0 {
                    "is never used (count 0 at every facility)".to_string()
                } else {
                    format!("is almost never used ({} in the whole export)", records(total))
                };
                out.push(finding(
                    FindingKind::UnusedValue,
                    &[&value.id],
                    Severity::Low,
                    format!("{} “{}” {why}", field.name, value.value),
                    subject(Vec::new()),
                    ev,
                    format!("Retire “{}” from the EMR build, or find out why nobody sets it.", value.value),
                ));
            } else {
                let share = if field_total > 0 { total as f64 / field_total as f64 } else { 0.0 };
                out.push(finding(
                    FindingKind::UnmappedValue,
                    &[&value.id],
                    super::impact(total, share, false, false),
                    format!(
                        "{} “{}” is in use ({}) but not mapped to any business state",
                        field.name,
                        value.value,
                        records(total)
                    ),
                    subject(Vec::new()),
                    ev,
                    format!(
                        "Ask the clinical leads what “{}” means and map it to the business state it stands for.",
                        value.value
                    ),
                )
                .affecting(total));
            }
        }
    }
    // redundant_values: several values of one field that only ever mean the same state.
    for field in &m.emr_fields {
        let mut by_state: BTreeMap<&str, Vec<&crate::model::EmrValue>> = BTreeMap::new();
        for v in m.emr_values.iter().filter(|v| v.field_id == field.id) {
            let states: BTreeSet<&str> =
                m.mappings.iter().filter(|x| x.value_id == v.id).map(|x| x.state_id.as_str()).collect();
            if states.len() == 1 {
                by_state.entry(states.into_iter().next().unwrap_or_default()).or_default().push(v);
            }
        }
        for (state_id, values) in by_state.into_iter().filter(|(_, v)| v.len() >= 2) {
            let Some(state) = ctx.state(state_id) else { continue };
            let names: Vec<String> = values.iter().map(|v| format!("“{}”", v.value)).collect();
            let ev = values
                .iter()
                .map(|v| {
                    let n: i64 =
                        m.emr_value_counts.iter().filter(|c| c.value_id == v.id).map(|c| c.count).sum();
                    let mut e = evidence(
                        EvidenceSource::Mapping,
                        format!("“{}” is mapped to “{}” ({n} records)", v.value, state.name),
                    );
                    e.count = Some(n);
                    e
                })
                .collect();
            let ids: Vec<&str> = values.iter().map(|v| v.id.as_str()).collect();
            let mut key = vec![field.id.as_str(), state_id];
            key.extend(ids);
            out.push(finding(
                FindingKind::RedundantValues,
                &key,
                Severity::Low,
                format!("{} values {} all mean “{}”", field.name, names.join(", "), state.name),
                Subject {
                    field: Some(field.id.clone()),
                    state: Some(state_id.to_string()),
                    ..Subject::default()
                },
                ev,
                "Keep one value for this state and retire the others, so reports and routing agree.".into(),
            ));
        }
    }
    // invisible_state: a business state with no EMR value (judged once the project has EMR data).
    if !m.emr_values.is_empty() {
        for state in &m.business_states {
            if m.mappings.iter().any(|x| x.state_id == state.id) {
                continue;
            }
            let workflow = m.workflows.iter().find(|w| w.id == state.workflow_id);
            let mut ev = vec![evidence(
                EvidenceSource::Mapping,
                format!("No EMR status value is mapped to “{}”", state.name),
            )];
            if !state.meaning.is_empty() {
                ev.push(evidence(
                    EvidenceSource::Interview,
                    format!("Meaning from the interviews: {}", state.meaning),
                ));
            }
            for s in m
                .statements
                .iter()
                .filter(|s| !s.done_means.is_empty() && loose(&s.done_means).contains(&loose(&state.name)))
            {
                let mut e = evidence(EvidenceSource::Interview, format!("“done” means: {}", s.done_means));
                if let Some(i) = m.interviews.iter().find(|i| i.id == s.interview_id) {
                    e.interview = Some(i.id.clone());
                    e.alias = Some(i.alias.clone());
                    e.facility = Some(i.facility_id.clone());
                }
                e.statement = Some(s.id.clone());
                ev.push(e);
            }
            out.push(finding(
                FindingKind::InvisibleState,
                &[&state.id],
                Severity::Medium,
                format!(
                    "“{}”{} has no EMR status",
                    state.name,
                    workflow.map_or_else(String::new, |w| format!(" ({})", w.name))
                ),
                Subject { workflow: Some(state.workflow_id.clone()), state: Some(state.id.clone()), ..Subject::default() },
                ev,
                "Give this state an explicit EMR status value (or FHIR Task.businessStatus) so it can be routed, measured and escalated.".into(),
            ));
        }
    }
}

/// Edge counts of a log summed over facilities, with the facilities where each occurs.
fn log_edges(log: &EventLog) -> BTreeMap<(&str, &str), (i64, BTreeSet<&str>)> {
    let mut edges: BTreeMap<(&str, &str), (i64, BTreeSet<&str>)> = BTreeMap::new();
    for e in &log.edges {
        let slot = edges.entry((e.from.as_str(), e.to.as_str())).or_default();
        slot.0 += e.count;
        if !e.facility.is_empty() {
            slot.1.insert(e.facility.as_str());
        }
    }
    edges
}

fn example_variant(log: &EventLog, from: &str, to: &str) -> Option<Evidence> {
    let v = log.variants.iter().find(|v| v.activities.windows(2).any(|w| w[0] == from && w[1] == to))?;
    let mut e = evidence(
        EvidenceSource::EventLog,
        format!(
            "Example variant ({} cases, e.g. case {}): {}",
            v.count,
            v.example_case,
            v.activities.join(" → ")
        ),
    );
    e.count = Some(v.count);
    Some(e)
}

fn transitions(
    ctx: &Ctx<'_>,
    log: &EventLog,
    workflow: &str,
    steps: &BTreeMap<String, &Step>,
    options: &MismatchOptions,
    out: &mut Vec<Finding>,
) {
    let m = ctx.m;
    let edges = log_edges(log);
    let log_name = ctx.log_name(log);
    let handoffs: BTreeSet<(&str, &str)> = m
        .handoffs
        .iter()
        .filter(|h| h.workflow_id == workflow)
        .map(|h| (h.from_step_id.as_str(), h.to_step_id.as_str()))
        .collect();
    let mut outgoing: BTreeMap<&str, i64> = BTreeMap::new();
    for ((from, _), (n, _)) in &edges {
        *outgoing.entry(from).or_default() += n;
    }
    for ((from, to), (count, facilities)) in &edges {
        let (Some(a), Some(b)) = (steps.get(&loose(from)), steps.get(&loose(to))) else { continue };
        if a.id == b.id || handoffs.contains(&(a.id.as_str(), b.id.as_str())) {
            continue;
        }
        let share = *count as f64 / outgoing.get(from).copied().unwrap_or(1).max(1) as f64;
        if *count < options.undocumented_min_count || share < options.undocumented_min_share {
            continue;
        }
        let mut ev = vec![evidence(
            EvidenceSource::EventLog,
            format!(
                "{log_name}: “{from}” is followed by “{to}” {count} times ({:.0}% of what follows “{from}”)",
                share * 100.0
            ),
        )];
        ev[0].count = Some(*count);
        ev.extend(example_variant(log, from, to));
        let critical = a.safety_critical || b.safety_critical;
        out.push(finding(
            FindingKind::UndocumentedTransition,
            &[workflow, &a.id, &b.id],
            super::impact(*count, *count as f64 / log.cases.max(1) as f64, false, critical),
            format!("“{}” → “{}” happens in the log but not in the current-state map", a.name, b.name),
            Subject {
                workflow: Some(workflow.to_string()),
                step: Some(a.id.clone()),
                facilities: facilities.iter().map(|f| f.to_string()).collect(),
                ..Subject::default()
            },
            ev,
            "Ask the roles involved why work takes this path; add it to the map or close it in the future state.".into(),
        ).affecting(*count));
    }
    let by_id: BTreeMap<&str, &str> = log
        .activities
        .iter()
        .filter_map(|a| steps.get(&loose(&a.activity)).map(|s| (s.id.as_str(), a.activity.as_str())))
        .collect();
    for h in m.handoffs.iter().filter(|h| h.workflow_id == workflow) {
        let (Some(from), Some(to)) = (by_id.get(h.from_step_id.as_str()), by_id.get(h.to_step_id.as_str()))
        else {
            continue;
        };
        if edges.contains_key(&(*from, *to)) {
            continue;
        }
        let name =
            |id: &str| m.steps.iter().find(|s| s.id == id).map_or_else(String::new, |s| s.name.clone());
        let from_events: i64 = log.activities.iter().filter(|a| a.activity == *from).map(|a| a.events).sum();
        let mut e = evidence(
            EvidenceSource::EventLog,
            format!(
                "{log_name}: “{from}” occurs {from_events} times and is never directly followed by “{to}”"
            ),
        );
        e.count = Some(0);
        let critical = [&h.from_step_id, &h.to_step_id]
            .iter()
            .any(|id| m.steps.iter().any(|s| &&s.id == id && s.safety_critical));
        out.push(finding(
            FindingKind::UnobservedTransition,
            &[workflow, &h.id],
            super::impact(from_events, from_events as f64 / log.cases.max(1) as f64, false, critical),
            format!("“{}” → “{}” is in the current-state map but never in the log", name(&h.from_step_id), name(&h.to_step_id)),
            Subject { workflow: Some(workflow.to_string()), step: Some(h.from_step_id.clone()), ..Subject::default() },
            vec![e],
            "Check whether this handoff really happens (perhaps outside the EMR, by phone or on paper) and make it explicit.".into(),
        ).affecting(from_events));
    }
}

fn roles(
    ctx: &Ctx<'_>,
    log: &EventLog,
    workflow: &str,
    steps: &BTreeMap<String, &Step>,
    options: &MismatchOptions,
    out: &mut Vec<Finding>,
) {
    let mut per_activity: BTreeMap<&str, BTreeMap<&str, i64>> = BTreeMap::new();
    for r in log.roles.iter().filter(|r| !r.role.is_empty()) {
        *per_activity.entry(r.activity.as_str()).or_default().entry(r.role.as_str()).or_default() += r.events;
    }
    for (activity, roles) in per_activity {
        let Some(step) = steps.get(&loose(activity)) else { continue };
        let Some(owner) = &step.owner_role_id else { continue };
        let total: i64 = roles.values().sum();
        let Some((main, n)) = roles.iter().max_by_key(|(r, n)| (**n, std::cmp::Reverse(**r))) else {
            continue;
        };
        if main == owner || (*n as f64) < options.role_share * total as f64 {
            continue;
        }
        let mut ev: Vec<Evidence> = roles
            .iter()
            .map(|(r, c)| {
                let mut e = evidence(
                    EvidenceSource::EventLog,
                    format!(
                        "{}: “{activity}” done by {} {c} times ({:.0}%)",
                        ctx.log_name(log),
                        ctx.role(r),
                        *c as f64 * 100.0 / total as f64
                    ),
                );
                e.count = Some(*c);
                e
            })
            .collect();
        ev.push(evidence(
            EvidenceSource::Interview,
            format!("The interviews name {} as the owner of “{}”", ctx.role(owner), step.name),
        ));
        out.push(
            finding(
                FindingKind::RoleMismatch,
                &[workflow, &step.id, main],
                super::impact(*n, *n as f64 / log.cases.max(1) as f64, true, step.safety_critical),
                format!(
                    "“{}” is owned by {} in the interviews but done mostly by {} in the log",
                    step.name,
                    ctx.role(owner),
                    ctx.role(main)
                ),
                Subject {
                    workflow: Some(workflow.to_string()),
                    step: Some(step.id.clone()),
                    roles: {
                        let mut r = vec![owner.clone(), main.to_string()];
                        r.sort();
                        r
                    },
                    ..Subject::default()
                },
                ev,
                "Confirm who really does this step; fix the owner in the map or the routing in the EMR."
                    .into(),
            )
            .affecting(*n),
        );
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 { values[mid] } else { (values[mid - 1] + values[mid]) / 2.0 }
}

fn hours(seconds: f64) -> String {
    crate::model::duration::measured(seconds)
}

fn percent(share: f64) -> String {
    let p = share * 100.0;
    if p < 10.0 { format!("{p:.1} %").replace(".0 %", " %") } else { format!("{p:.0} %") }
}

/// Which rule made an edge a stall (README, "Stalls").
#[derive(Debug, Clone, Copy, PartialEq)]
enum Rule {
    /// The step's service level: this share of cases waited longer than it.
    ServiceLevel { limit: f64 },
    /// The edge's median is well above the log's typical wait.
    Median { baseline: f64 },
    /// The tail: this share of cases waited more than `limit` (10× the median, and 1 h).
    Tail { limit: f64 },
    /// The tail against what the interviews expect: this share of cases waited more than
    /// `limit` (twice the expected duration, and 1 h).
    Expected { limit: f64 },
}

/// One edge at one facility that stalls.
struct Stalled<'l> {
    edge: &'l crate::model::LogEdge,
    rule: Rule,
    /// Cases that waited beyond the rule's limit.
    affected: i64,
}

/// What the interviews say the step takes: the longest of the typical durations given for it,
/// with who said it.
fn expected<'m>(ctx: &Ctx<'m>, step: &Step) -> Option<(f64, &'m crate::model::Statement)> {
    ctx.m
        .statements
        .iter()
        .filter(|s| s.step_id.as_deref() == Some(step.id.as_str()))
        .filter_map(|s| crate::model::duration::spoken(&s.typical_duration).map(|(_, hi)| (hi, s)))
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.id.cmp(&a.1.id)))
}

/// Judges one edge at one facility by the rules, in order: a service level alone decides; else a
/// wait within what the interviews expect is never a stall; else the median, then the tail.
fn judge<'l>(
    edge: &'l crate::model::LogEdge,
    service_level: Option<f64>,
    expected: Option<f64>,
    baseline: Option<f64>,
    options: &MismatchOptions,
) -> Option<Stalled<'l>> {
    let above = |limit: f64| -> i64 {
        match &edge.sketch {
            Some(s) => s.above(limit) as i64,
            // A log imported before sketches: only its median is known.
            None if edge.median_seconds > limit => edge.count / 2,
            None => 0,
        }
    };
    let share = |n: i64| n as f64 / edge.count.max(1) as f64;
    if let Some(limit) = service_level {
        let over = above(limit);
        let fires = share(over) >= options.service_level_share
            || (edge.sketch.is_none() && edge.median_seconds > limit);
        return fires.then_some(Stalled { edge, rule: Rule::ServiceLevel { limit }, affected: over });
    }
    let floor = expected.unwrap_or(0.0);
    if let Some(baseline) = baseline
        && edge.median_seconds > options.stall_factor * baseline
        && edge.median_seconds > floor
    {
        let over = above(options.stall_factor * baseline.max(floor));
        return Some(Stalled { edge, rule: Rule::Median { baseline }, affected: over.max(edge.count / 2) });
    }
    edge.sketch.as_ref()?;
    let (limit, rule): (f64, fn(f64) -> Rule) = match expected {
        Some(e) => ((options.stall_expected_factor * e).max(options.stall_tail_min_seconds), |limit| {
            Rule::Expected { limit }
        }),
        None => {
            ((options.stall_tail_factor * edge.median_seconds).max(options.stall_tail_min_seconds), |limit| {
                Rule::Tail { limit }
            })
        }
    };
    let over = above(limit);
    (share(over) >= options.stall_tail_share).then_some(Stalled { edge, rule: rule(limit), affected: over })
}

fn stalls(ctx: &Ctx<'_>, log: &EventLog, options: &MismatchOptions, out: &mut Vec<Finding>) {
    let judged: Vec<&crate::model::LogEdge> =
        log.edges.iter().filter(|e| e.count >= options.stall_min_events).collect();
    // The log's typical wait: the median of its edges' medians, once there are three to compare.
    let baseline = (judged.len() >= 3)
        .then(|| median(judged.iter().map(|e| e.median_seconds).collect()))
        .filter(|b| *b > 0.0);
    let step_of = |activity: &str| ctx.m.steps.iter().find(|s| loose(&s.name) == loose(activity));
    let mut by_edge: BTreeMap<(&str, &str), Vec<Stalled<'_>>> = BTreeMap::new();
    for e in &judged {
        let to = step_of(&e.to);
        let service_level = to
            .map(|s| s.service_level.as_str())
            .and_then(crate::model::duration::parse_duration)
            .map(|s| s as f64);
        let expected = to.and_then(|s| expected(ctx, s)).map(|(secs, _)| secs);
        if let Some(stalled) = judge(e, service_level, expected, baseline, options) {
            by_edge.entry((e.from.as_str(), e.to.as_str())).or_default().push(stalled);
        }
    }
    let log_name = ctx.log_name(log);
    for ((from, to), places) in by_edge {
        let (from_step, to_step) = (step_of(from), step_of(to));
        let affected: i64 = places.iter().map(|p| p.affected).sum();
        let cases: i64 = places.iter().map(|p| p.edge.count).sum();
        let critical =
            to_step.is_some_and(|s| s.safety_critical) || from_step.is_some_and(|s| s.safety_critical);
        let mut ev: Vec<Evidence> = places
            .iter()
            .map(|p| {
                let e = p.edge;
                let n = super::thousands(e.count);
                let text = match p.rule {
                    Rule::ServiceLevel { limit } | Rule::Tail { limit } | Rule::Expected { limit } => match &e.sketch {
                        Some(s) => format!(
                            "{log_name}, {}: after “{from}”, {} of {n} cases waited more than {} for “{to}”; median {}",
                            ctx.facility(&e.facility),
                            percent(s.share_above(limit)),
                            hours(limit),
                            hours(e.median_seconds)
                        ),
                        None => format!(
                            "{log_name}, {}: after “{from}”, the median wait for “{to}” is {} over {n} cases, more than {}",
                            ctx.facility(&e.facility),
                            hours(e.median_seconds),
                            hours(limit)
                        ),
                    },
                    Rule::Median { baseline } => format!(
                        "{log_name}, {}: after “{from}”, the median wait for “{to}” is {} over {n} cases, against {} typical in this log",
                        ctx.facility(&e.facility),
                        hours(e.median_seconds),
                        hours(baseline)
                    ),
                };
                let mut x = evidence(EvidenceSource::EventLog, text);
                x.facility = (!e.facility.is_empty()).then(|| e.facility.clone());
                x.count = Some(p.affected);
                x
            })
            .collect();
        let rule = places[0].rule;
        let to_name = to_step.map_or(to, |s| s.name.as_str());
        ev.push(evidence(
            EvidenceSource::EventLog,
            match rule {
                Rule::ServiceLevel { limit } => format!(
                    "Rule: the service level of “{to_name}” is {}{}; it is missed when {} or more of cases wait longer",
                    hours(limit),
                    if critical { " (safety-critical)" } else { "" },
                    percent(options.service_level_share)
                ),
                Rule::Median { .. } => format!(
                    "Rule: the median wait is more than {}× the log's typical wait (the median of its edges' medians)",
                    options.stall_factor
                ),
                Rule::Tail { .. } => format!(
                    "Rule: {} or more of cases wait more than {}× the edge's median and more than {}",
                    percent(options.stall_tail_share),
                    options.stall_tail_factor,
                    hours(options.stall_tail_min_seconds)
                ),
                Rule::Expected { .. } => format!(
                    "Rule: {} or more of cases wait more than {}× what the interviews expect and more than {}",
                    percent(options.stall_tail_share),
                    options.stall_expected_factor,
                    hours(options.stall_tail_min_seconds)
                ),
            },
        ));
        // With a service level, what the interviews expect does not count, so it is not quoted.
        let expectation =
            to_step.and_then(|st| expected(ctx, st)).filter(|_| !matches!(rule, Rule::ServiceLevel { .. }));
        if let Some((secs, s)) = expectation {
            let who = ctx
                .m
                .interviews
                .iter()
                .find(|i| i.id == s.interview_id)
                .map_or_else(|| "An interviewee".to_string(), |i| i.alias.clone());
            let mut x = evidence(
                EvidenceSource::Interview,
                format!(
                    "{who} said “{to_name}” takes “{}”: waits up to {} are expected and not counted",
                    s.typical_duration.trim(),
                    hours(secs)
                ),
            );
            x.statement = Some(s.id.clone());
            x.interview = Some(s.interview_id.clone());
            ev.push(x);
        }
        let share_of_log = affected as f64 / log.cases.max(1) as f64;
        let title = match rule {
            Rule::Median { .. } => format!(
                "Work stalls after “{from}”: {} median wait for “{to}”",
                hours(places.iter().map(|p| p.edge.median_seconds).fold(0.0, f64::max))
            ),
            Rule::ServiceLevel { limit } => format!(
                "“{to}” misses its service level of {} after “{from}”: {} of {} cases wait longer",
                hours(limit),
                super::thousands(affected),
                super::thousands(cases)
            ),
            Rule::Tail { limit } | Rule::Expected { limit } => format!(
                "Work waits for “{to}” after “{from}”: {} of {} cases more than {}",
                super::thousands(affected),
                super::thousands(cases),
                hours(limit)
            ),
        };
        let facilities: Vec<String> =
            places.iter().filter(|p| !p.edge.facility.is_empty()).map(|p| p.edge.facility.clone()).collect();
        out.push(
            finding(
                FindingKind::Stall,
                &[&log.id, from, to],
                super::impact(affected, share_of_log, false, critical),
                title,
                Subject {
                    workflow: from_step.or(to_step).map(|s| s.workflow_id.clone()),
                    step: from_step.map(|s| s.id.clone()),
                    facilities,
                    ..Subject::default()
                },
                ev,
                format!(
                    "Give “{to_name}” an owner and a timer with escalation, so work waiting after “{from}” is seen."
                ),
            )
            .affecting(affected),
        );
    }
}
