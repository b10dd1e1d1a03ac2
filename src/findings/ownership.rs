//! Ownership findings from the consolidated interviews (step 1 of the rescue framework).
//!
//! Who-owns-what is judged per facility, where people actually work together: at one facility,
//! the RT and the RN each pointing at the other is drift; the RT owning a step at one facility and
//! the RN at another is divergence between facilities.

use std::collections::{BTreeMap, BTreeSet};

use super::{Evidence, Finding, FindingKind, Subject, finding};
use crate::error::Result;
use crate::interviews::consolidate::{assertions, same_meaning};
use crate::model::{ClaimKind, Interview, Model, Severity, Statement, Step, Workaround};
use crate::progress::Progress;
use crate::store::edit::join_words;

/// Workarounds that keep a broken step working by hand.
const HOTSPOT_WORKAROUNDS: &[Workaround] =
    &[Workaround::ShadowSpreadsheet, Workaround::DoubleDocumentation, Workaround::ManualReentry];

/// Interviews in at least this many places reporting workarounds make a hotspot.
const HOTSPOT_INTERVIEWS: usize = 2;

struct Ctx<'m> {
    m: &'m Model,
    /// Every statement, by interviewee alias then position: the order evidence is listed in.
    statements: Vec<&'m Statement>,
}

impl<'m> Ctx<'m> {
    fn role(&self, id: &str) -> String {
        self.m.roles.iter().find(|r| r.id == id).map(|r| r.name.clone()).unwrap_or_else(|| id.to_string())
    }

    fn facility(&self, id: &str) -> String {
        self.m
            .facilities
            .iter()
            .find(|f| f.id == id)
            .map(|f| f.name.clone())
            .unwrap_or_else(|| id.to_string())
    }

    fn interview(&self, s: &Statement) -> Option<&'m Interview> {
        self.m.interviews.iter().find(|i| i.id == s.interview_id)
    }

    fn roles_list(&self, ids: &BTreeSet<String>) -> String {
        let names: Vec<String> = ids.iter().map(|r| self.role(r)).collect();
        join_words(&names)
    }

    /// Evidence quoting one statement: who said it, where, and their words.
    fn said(&self, s: &Statement, text: String) -> Evidence {
        let mut e = Evidence::interview(text);
        if let Some(i) = self.interview(s) {
            e.interview = Some(i.id.clone());
            e.alias = Some(i.alias.clone());
            e.facility = Some(i.facility_id.clone());
        }
        e.statement = Some(s.id.clone());
        e
    }

    /// "RT-3 (RT, North Campus Hospital, night)".
    fn who(&self, s: &Statement) -> String {
        match self.interview(s) {
            Some(i) => {
                let mut parts = vec![self.role(&i.role_id), self.facility(&i.facility_id)];
                if !i.shift.is_empty() {
                    parts.push(i.shift.clone());
                }
                format!("{} ({})", i.alias, parts.join(", "))
            }
            None => "an interviewee".to_string(),
        }
    }
}

fn quoted(s: &Statement) -> String {
    if s.quote.is_empty() { String::new() } else { format!(": “{}”", s.quote) }
}

/// What the interviews at one facility say about one step.
#[derive(Default)]
struct Voices<'m> {
    statements: Vec<&'m Statement>,
    /// Interviewee role → roles it says perform the step.
    performers: BTreeMap<String, BTreeSet<String>>,
    /// Interviewee role → roles it says do not perform the step.
    denied: BTreeMap<String, BTreeSet<String>>,
    validators: BTreeSet<String>,
    done_means: Vec<&'m Statement>,
}

impl Voices<'_> {
    fn named_performers(&self) -> BTreeSet<String> {
        self.performers.values().flatten().cloned().collect()
    }

    /// Roles that say they perform the step themselves.
    fn self_claimers(&self) -> BTreeSet<String> {
        self.performers.iter().filter(|(by, named)| named.contains(*by)).map(|(by, _)| by.clone()).collect()
    }

    /// Roles that say someone else does it, or that they do not.
    fn pointing_away(&self) -> BTreeSet<String> {
        let mut roles: BTreeSet<String> = self
            .performers
            .iter()
            .filter(|(by, named)| !named.is_empty() && !named.contains(*by))
            .map(|(by, _)| by.clone())
            .collect();
        for (by, denied) in &self.denied {
            if denied.contains(by) && !self.performers.get(by).is_some_and(|named| named.contains(by)) {
                roles.insert(by.clone());
            }
        }
        roles
    }
}

/// The statements about each step, by facility.
fn voices<'m>(ctx: &Ctx<'m>, step: &Step) -> BTreeMap<String, Voices<'m>> {
    let mut out: BTreeMap<String, Voices<'m>> = BTreeMap::new();
    for s in ctx.statements.iter().copied().filter(|s| s.step_id.as_deref() == Some(step.id.as_str())) {
        let Some(interview) = ctx.interview(s) else { continue };
        let v = out.entry(interview.facility_id.clone()).or_default();
        v.statements.push(s);
        for (kind, role, owns) in assertions(ctx.m, s) {
            match (kind, owns) {
                (ClaimKind::Performs, true) => {
                    v.performers.entry(interview.role_id.clone()).or_default().insert(role);
                }
                (ClaimKind::Performs, false) => {
                    v.denied.entry(interview.role_id.clone()).or_default().insert(role);
                }
                (ClaimKind::Validates, true) => {
                    v.validators.insert(role);
                }
                (ClaimKind::Validates, false) => {}
            }
        }
        if !s.done_means.trim().is_empty() {
            v.done_means.push(s);
        }
    }
    out
}

pub(super) fn detect(m: &Model, progress: &Progress) -> Result<Vec<Finding>> {
    let alias = |s: &Statement| {
        m.interviews.iter().find(|i| i.id == s.interview_id).map(|i| i.alias.clone()).unwrap_or_default()
    };
    let mut statements: Vec<&Statement> = m.statements.iter().collect();
    statements.sort_by_cached_key(|s| (alias(s), s.interview_id.clone(), s.position));
    let ctx = Ctx { m, statements };
    let mut out = Vec::new();
    for step in &m.steps {
        progress.check("analysing findings")?;
        let by_facility = voices(&ctx, step);
        if by_facility.is_empty() {
            continue;
        }
        for (facility, v) in &by_facility {
            drift(&ctx, step, facility, v, &mut out);
            contested(&ctx, step, facility, v, &mut out);
            definition(&ctx, step, facility, v, &mut out);
        }
        orphan(&ctx, step, &by_facility, &mut out);
        divergence(&ctx, step, &by_facility, &mut out);
        hotspot(&ctx, step, &mut out);
    }
    unacknowledged(&ctx, &mut out);
    Ok(out)
}

/// What the roles pointing away from a step agree on: the one set of roles they all name as
/// doing it, when each names it, none of them is in it, and so nobody contradicts anybody.
fn agreed_owners(v: &Voices<'_>, away: &BTreeSet<String>) -> Option<BTreeSet<String>> {
    let named: BTreeSet<BTreeSet<String>> =
        away.iter().map(|r| v.performers.get(r).cloned().unwrap_or_default()).collect();
    let [owners] = named.into_iter().collect::<Vec<_>>().try_into().ok()?;
    (!owners.is_empty() && owners.is_disjoint(away)).then_some(owners)
}

fn drift(ctx: &Ctx<'_>, step: &Step, facility: &str, v: &Voices<'_>, out: &mut Vec<Finding>) {
    let away = v.pointing_away();
    if away.len() < 2 || !v.self_claimers().is_empty() {
        return;
    }
    // Roles who agree that a third role does it do not drift: that role is the one to ask.
    if let Some(owners) = agreed_owners(v, &away) {
        unconfirmed(ctx, step, facility, v, &away, &owners, out);
        return;
    }
    let evidence = v
        .statements
        .iter()
        .filter_map(|s| {
            let role = ctx.interview(s)?.role_id.clone();
            if !away.contains(&role) {
                return None;
            }
            let named = v.performers.get(&role).cloned().unwrap_or_default();
            let says = if named.is_empty() {
                "says it is not their job".to_string()
            } else {
                format!("says the {} does it", ctx.roles_list(&named))
            };
            Some(ctx.said(s, format!("{} {says}{}", ctx.who(s), quoted(s))))
        })
        .collect();
    let fac = ctx.facility(facility);
    out.push(finding(
        FindingKind::OwnershipDrift,
        &[&step.workflow_id, &step.id, facility],
        Severity::High,
        format!("Nobody owns “{}” at {fac}: the {} each say someone else does it", step.name, ctx.roles_list(&away)),
        Subject {
            workflow: Some(step.workflow_id.clone()),
            step: Some(step.id.clone()),
            roles: away.iter().cloned().collect(),
            facilities: vec![facility.to_string()],
            ..Subject::default()
        },
        evidence,
        format!(
            "Agree with the {} leads at {fac} which one role owns “{}”, and give that role a task for it in the proposed workflow.",
            ctx.roles_list(&away),
            step.name
        ),
    ));
}

/// Roles who agree that `owners` do the step, none of whom says so themselves at `facility`.
fn unconfirmed(
    ctx: &Ctx<'_>,
    step: &Step,
    facility: &str,
    v: &Voices<'_>,
    away: &BTreeSet<String>,
    owners: &BTreeSet<String>,
    out: &mut Vec<Finding>,
) {
    let fac = ctx.facility(facility);
    let owner_names = ctx.roles_list(owners);
    let mut evidence: Vec<Evidence> = v
        .statements
        .iter()
        .filter(|s| ctx.interview(s).is_some_and(|i| away.contains(&i.role_id)))
        .map(|s| ctx.said(s, format!("{} says the {owner_names} does it{}", ctx.who(s), quoted(s))))
        .collect();
    let interviewed: BTreeSet<String> = ctx
        .m
        .interviews
        .iter()
        .filter(|i| i.facility_id == facility && owners.contains(&i.role_id))
        .map(|i| i.role_id.clone())
        .collect();
    let (title, note) = if interviewed.is_empty() {
        (
            format!(
                "“{}” at {fac} is said to be the {owner_names}'s, not yet confirmed: no {owner_names} at {fac} has been interviewed",
                step.name
            ),
            format!("No {owner_names} at {fac} has been interviewed"),
        )
    } else {
        (
            format!(
                "“{}” at {fac} is said to be the {owner_names}'s, not yet confirmed: the {owner_names} did not mention it",
                step.name
            ),
            format!("The {owner_names} interviewed at {fac} did not mention “{}”", step.name),
        )
    };
    let mut e = Evidence::interview(note);
    e.facility = Some(facility.to_string());
    evidence.push(e);
    let mut roles: Vec<String> = away.iter().chain(owners.iter()).cloned().collect();
    roles.sort();
    roles.dedup();
    out.push(finding(
        FindingKind::UnconfirmedOwner,
        &[&step.workflow_id, &step.id, facility],
        Severity::Low,
        title,
        Subject {
            workflow: Some(step.workflow_id.clone()),
            step: Some(step.id.clone()),
            roles,
            facilities: vec![facility.to_string()],
            ..Subject::default()
        },
        evidence,
        format!(
            "Interview a {owner_names} at {fac} to confirm they own “{}”, as the {} say.",
            step.name,
            ctx.roles_list(away)
        ),
    ));
}

fn contested(ctx: &Ctx<'_>, step: &Step, facility: &str, v: &Voices<'_>, out: &mut Vec<Finding>) {
    let claimers = v.self_claimers();
    if claimers.len() < 2 {
        return;
    }
    let evidence = v
        .statements
        .iter()
        .filter(|s| {
            ctx.interview(s).is_some_and(|i| {
                claimers.contains(&i.role_id)
                    && assertions(ctx.m, s).contains(&(ClaimKind::Performs, i.role_id.clone(), true))
            })
        })
        .map(|s| ctx.said(s, format!("{} says they do it themselves{}", ctx.who(s), quoted(s))))
        .collect();
    let fac = ctx.facility(facility);
    out.push(finding(
        FindingKind::ContestedOwnership,
        &[&step.workflow_id, &step.id, facility],
        Severity::High,
        format!("“{}” is claimed by the {} at {fac}", step.name, ctx.roles_list(&claimers)),
        Subject {
            workflow: Some(step.workflow_id.clone()),
            step: Some(step.id.clone()),
            roles: claimers.iter().cloned().collect(),
            facilities: vec![facility.to_string()],
            ..Subject::default()
        },
        evidence,
        format!(
            "Decide which of the {} owns “{}” at {fac} and make the other a validator or remove their duplicate work.",
            ctx.roles_list(&claimers),
            step.name
        ),
    ));
}

fn orphan(ctx: &Ctx<'_>, step: &Step, by_facility: &BTreeMap<String, Voices<'_>>, out: &mut Vec<Finding>) {
    if by_facility.values().any(|v| !v.named_performers().is_empty()) {
        return;
    }
    let evidence = by_facility
        .values()
        .flat_map(|v| v.statements.iter())
        .map(|s| {
            ctx.said(
                s,
                format!("{} describes “{}” without saying who does it{}", ctx.who(s), s.step_name, quoted(s)),
            )
        })
        .collect();
    out.push(finding(
        FindingKind::OrphanStep,
        &[&step.workflow_id, &step.id],
        Severity::Medium,
        format!("No one is named as doing “{}”", step.name),
        Subject {
            workflow: Some(step.workflow_id.clone()),
            step: Some(step.id.clone()),
            facilities: by_facility.keys().cloned().collect(),
            ..Subject::default()
        },
        evidence,
        format!("Ask the next interviewees who performs “{}”, and assign it an owning role.", step.name),
    ));
}

/// At one facility, interviewees who say "done" means different things for one step.
fn definition(ctx: &Ctx<'_>, step: &Step, facility: &str, v: &Voices<'_>, out: &mut Vec<Finding>) {
    let pair = v.done_means.iter().enumerate().find_map(|(i, a)| {
        v.done_means[i + 1..]
            .iter()
            .find(|b| a.interview_id != b.interview_id && !same_meaning(&a.done_means, &b.done_means))
            .map(|b| (*a, *b))
    });
    let Some((a, b)) = pair else { return };
    let fac = ctx.facility(facility);
    let evidence = v
        .done_means
        .iter()
        .map(|s| ctx.said(s, format!("{}: done means “{}”", ctx.who(s), s.done_means)))
        .collect();
    out.push(finding(
        FindingKind::DefinitionDivergence,
        &[&step.workflow_id, &step.id, facility],
        Severity::Medium,
        format!(
            "At {fac}, “done” for “{}” means different things: “{}” and “{}”",
            step.name,
            a.done_means.trim(),
            b.done_means.trim()
        ),
        Subject {
            workflow: Some(step.workflow_id.clone()),
            step: Some(step.id.clone()),
            facilities: vec![facility.to_string()],
            ..Subject::default()
        },
        evidence,
        format!(
            "Agree at {fac} on the one point at which “{}” is done, and make that point an explicit state with its own EMR value.",
            step.name
        ),
    ));
}

/// Whether two facilities' "done means" phrases share no meaning.
fn meanings_differ(a: &[&Statement], b: &[&Statement]) -> bool {
    !a.iter().any(|x| b.iter().any(|y| same_meaning(&x.done_means, &y.done_means)))
}

fn divergence(
    ctx: &Ctx<'_>,
    step: &Step,
    by_facility: &BTreeMap<String, Voices<'_>>,
    out: &mut Vec<Finding>,
) {
    let facilities: Vec<(&String, &Voices<'_>)> = by_facility.iter().collect();
    let mut owners_differ = false;
    let mut done_differs = false;
    for (i, (_, a)) in facilities.iter().enumerate() {
        for (_, b) in &facilities[i + 1..] {
            let (pa, pb) = (a.named_performers(), b.named_performers());
            if !pa.is_empty() && !pb.is_empty() && pa != pb {
                owners_differ = true;
            }
            if !a.validators.is_empty() && !b.validators.is_empty() && a.validators != b.validators {
                owners_differ = true;
            }
            if !a.done_means.is_empty()
                && !b.done_means.is_empty()
                && meanings_differ(&a.done_means, &b.done_means)
            {
                done_differs = true;
            }
        }
    }
    if !owners_differ && !done_differs {
        return;
    }
    let mut evidence = Vec::new();
    for (facility, v) in &facilities {
        let fac = ctx.facility(facility);
        let performers = v.named_performers();
        if owners_differ && !performers.is_empty() {
            let mut e = Evidence::interview(format!(
                "At {fac}, interviewees name the {} as doing it",
                ctx.roles_list(&performers)
            ));
            e.facility = Some((*facility).clone());
            e.count = Some(v.statements.len() as i64);
            evidence.push(e);
        }
        if owners_differ && !v.validators.is_empty() {
            let mut e =
                Evidence::interview(format!("At {fac}, the {} validates it", ctx.roles_list(&v.validators)));
            e.facility = Some((*facility).clone());
            evidence.push(e);
        }
        if done_differs {
            for s in &v.done_means {
                evidence.push(ctx.said(s, format!("{}: done means “{}”", ctx.who(s), s.done_means)));
            }
        }
    }
    let names: Vec<String> = facilities.iter().map(|(f, _)| ctx.facility(f)).collect();
    let (title, severity) = match (owners_differ, done_differs) {
        (true, true) => (
            format!("“{}” has different owners and a different “done” at {}", step.name, join_words(&names)),
            Severity::High,
        ),
        (true, false) => {
            (format!("“{}” has different owners at {}", step.name, join_words(&names)), Severity::High)
        }
        _ => (
            format!("“{}” is “done” at a different point at {}", step.name, join_words(&names)),
            Severity::Medium,
        ),
    };
    out.push(finding(
        FindingKind::FacilityDivergence,
        &[&step.workflow_id, &step.id],
        severity,
        title,
        Subject {
            workflow: Some(step.workflow_id.clone()),
            step: Some(step.id.clone()),
            facilities: facilities.iter().map(|(f, _)| (*f).clone()).collect(),
            ..Subject::default()
        },
        evidence,
        format!(
            "Write one network-wide definition of who does “{}” and when it is done, or model each facility's variant as its own explicit state.",
            step.name
        ),
    ));
}

fn hotspot(ctx: &Ctx<'_>, step: &Step, out: &mut Vec<Finding>) {
    let reported: Vec<&Statement> = ctx
        .statements
        .iter()
        .copied()
        .filter(|s| s.step_id.as_deref() == Some(step.id.as_str()))
        .filter(|s| s.workarounds.iter().any(|w| HOTSPOT_WORKAROUNDS.contains(w)))
        .collect();
    let interviews: BTreeSet<&str> = reported.iter().map(|s| s.interview_id.as_str()).collect();
    if interviews.len() < HOTSPOT_INTERVIEWS {
        return;
    }
    let mut roles = BTreeSet::new();
    let mut facilities = BTreeSet::new();
    let mut evidence = Vec::new();
    for s in &reported {
        if let Some(i) = ctx.interview(s) {
            roles.insert(i.role_id.clone());
            facilities.insert(i.facility_id.clone());
        }
        let flags: Vec<String> = s
            .workarounds
            .iter()
            .filter(|w| HOTSPOT_WORKAROUNDS.contains(w))
            .map(|w| w.as_str().replace('_', " "))
            .collect();
        let pain = if s.pain_point.is_empty() { String::new() } else { format!("; {}", s.pain_point) };
        evidence
            .push(ctx.said(s, format!("{} reports {}{pain}{}", ctx.who(s), join_words(&flags), quoted(s))));
    }
    let count = interviews.len();
    out.push(finding(
        FindingKind::WorkaroundHotspot,
        &[&step.workflow_id, &step.id],
        if count >= 3 { Severity::High } else { Severity::Medium },
        format!("“{}” is kept working by hand: workarounds in {count} interviews", step.name),
        Subject {
            workflow: Some(step.workflow_id.clone()),
            step: Some(step.id.clone()),
            roles: roles.into_iter().collect(),
            facilities: facilities.into_iter().collect(),
            ..Subject::default()
        },
        evidence,
        format!(
            "Make “{}” an explicit, routed task with an EMR write-back so the spreadsheets and re-entry can stop.",
            step.name
        ),
    ));
}

fn unacknowledged(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let m = ctx.m;
    // (workflow, step, from role, to role, facility) → statements saying the handoff.
    let mut said: BTreeMap<(String, String, String, String, String), Vec<&Statement>> = BTreeMap::new();
    for s in ctx.statements.iter().copied() {
        let (Some(step), Some(to), Some(workflow)) = (&s.step_id, &s.next_handoff_to, &s.workflow_id) else {
            continue;
        };
        let Some(i) = ctx.interview(s) else { continue };
        if &i.role_id == to {
            continue;
        }
        said.entry((workflow.clone(), step.clone(), i.role_id.clone(), to.clone(), i.facility_id.clone()))
            .or_default()
            .push(s);
    }
    for ((workflow, step_id, from, to, facility), statements) in said {
        let successors: BTreeSet<&str> =
            m.handoffs.iter().filter(|h| h.from_step_id == step_id).map(|h| h.to_step_id.as_str()).collect();
        // What the receiving role said about this workflow at this facility.
        let receivers: Vec<&Statement> = m
            .statements
            .iter()
            .filter(|t| t.workflow_id.as_deref() == Some(workflow.as_str()))
            .filter(|t| ctx.interview(t).is_some_and(|i| i.role_id == to && i.facility_id == facility))
            .collect();
        let acknowledged = receivers.iter().any(|t| {
            t.initiated_by.as_deref() == Some(from.as_str())
                || t.step_id.as_deref().is_some_and(|st| successors.contains(st))
        });
        if acknowledged {
            continue;
        }
        let Some(step) = m.steps.iter().find(|s| s.id == step_id) else { continue };
        let (fac, from_name, to_name) = (ctx.facility(&facility), ctx.role(&from), ctx.role(&to));
        let mut evidence: Vec<Evidence> = statements
            .iter()
            .map(|s| {
                ctx.said(
                    s,
                    format!("{} hands “{}” on to the {to_name}{}", ctx.who(s), s.step_name, quoted(s)),
                )
            })
            .collect();
        let unheard = receivers.is_empty();
        let severity = if unheard {
            let mut e = Evidence::interview(format!(
                "No {to_name} at {fac} has been interviewed about this workflow yet"
            ));
            e.facility = Some(facility.clone());
            evidence.push(e);
            Severity::Low
        } else {
            let mut e = Evidence::interview(format!(
                "{} statement(s) by {to_name}s at {fac} never mention receiving it from the {from_name}",
                receivers.len()
            ));
            e.facility = Some(facility.clone());
            e.count = Some(receivers.len() as i64);
            evidence.push(e);
            Severity::Medium
        };
        let mut roles: Vec<String> = vec![from.clone(), to.clone()];
        roles.sort();
        out.push(finding(
            FindingKind::UnacknowledgedHandoff,
            &[&workflow, &step_id, &from, &to, &facility],
            severity,
            if unheard {
                format!(
                    "At {fac}, the {from_name} hands “{}” to the {to_name}, not yet confirmed: no {to_name} at {fac} has been interviewed",
                    step.name
                )
            } else {
                format!("At {fac}, the {from_name} hands “{}” to the {to_name}, who never mentions receiving it", step.name)
            },
            Subject {
                workflow: Some(workflow.clone()),
                step: Some(step_id.clone()),
                roles,
                facilities: vec![facility.clone()],
                ..Subject::default()
            },
            evidence,
            format!(
                "Confirm with the {to_name}s at {fac} how they learn that “{}” is ready, and make the handoff an explicit event with an owner.",
                step.name
            ),
        ));
    }
}
