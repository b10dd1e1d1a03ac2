//! BPMN 2.0 with Camunda 8 (Zeebe) extensions and diagram interchange from Baton's layout. It
//! runs the reference semantics (docs/semantics.md); the conformance suite runs it in
//! bpmn-engine with FEEL and compares.
//!
//! One pool, one lane per role the version names plus an "Orchestrator" lane. Every state a case
//! waits in is an embedded sub-process, its scope: entering the state enters the sub-process, and
//! leaving it ends everything inside at once. Inside, in parallel:
//! - the owner's **user task** (`zeebe:userTask`, candidate group = the owning role, a FEEL choice
//!   by facility when some facilities route it elsewhere). Completing it in a worklist does not
//!   move the case;
//! - the **timer** (a timer catch event) and, when it runs out, the escalation role's user task;
//! - the **wait for the state's events**: one message catch per event (an event-based gateway
//!   when several), then an exclusive gateway with the guards as FEEL conditions, in priority
//!   order. When no guard holds, the state waits again, its task and timer untouched.
//!
//! The transition that fires ends the sub-process through an error end event named for it
//! (`errorCode` = the transition's id), caught by an interrupting error boundary event on the
//! sub-process: BPMN's way to leave a scope with a named outcome. From there the flow goes through
//! the write-backs (a service task of job type `baton-write-back`, the fields and values in task
//! headers) to the next state. Terminal states are end events. A state entered by transitions that
//! give it different owners or timers is one sub-process per way in.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::{Setup, Spec, SpecTransition};
use crate::design::guard::{Dialect, render};
use crate::error::Result;
use crate::layout::{self, EdgeSpec, FlowGraph, LaneSpec, NodeKind, NodeSpec, Orientation, Point, Rect};
use crate::model::StateKind;
use crate::xml::escape as esc;

#[derive(Debug, Clone)]
enum Kind {
    Start,
    End,
    /// Ends its sub-process with the error of transition `usize` (index into `spec.transitions`).
    Leave(usize),
    /// Ends its sub-process normally, all of it (a terminate end event when other branches run
    /// in it): the state's first transition, which leaves by the sub-process's outgoing flow.
    Exit {
        terminate: bool,
    },
    UserTask {
        groups: String,
    },
    EventGateway,
    Parallel,
    Catch {
        event: String,
    },
    Timer {
        duration: String,
    },
    /// On sub-process `host`, catching the error of transition `usize`.
    Boundary {
        host: usize,
        transition: usize,
    },
    Exclusive,
    Service {
        headers: Vec<(String, String)>,
    },
    SubProcess,
}

#[derive(Debug, Clone)]
struct Node {
    id: String,
    name: String,
    kind: Kind,
    lane: usize,
    /// The sub-process the node is in.
    parent: Option<usize>,
}

#[derive(Debug, Clone)]
struct Flow {
    id: String,
    from: usize,
    to: usize,
    name: String,
    condition: Option<String>,
}

/// An XML id (NCName) from any text.
fn nc(prefix: &str, id: &str) -> String {
    let body: String =
        id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' || c == '-' { c } else { '_' }).collect();
    format!("{prefix}_{body}")
}

struct Builder {
    nodes: Vec<Node>,
    flows: Vec<Flow>,
    lanes: Vec<(String, String)>,
    /// Default flow of each exclusive gateway, by node index.
    defaults: BTreeMap<usize, String>,
}

impl Builder {
    fn node(&mut self, id: String, name: String, kind: Kind, lane: usize, parent: Option<usize>) -> usize {
        self.nodes.push(Node { id, name, kind, lane, parent });
        self.nodes.len() - 1
    }

    fn flow(&mut self, from: usize, to: usize, name: &str, condition: Option<String>) -> String {
        let id = format!("Flow_{}", self.flows.len() + 1);
        self.flows.push(Flow { id: id.clone(), from, to, name: name.to_string(), condition });
        id
    }

    fn lane_of_role(&self, role: &str) -> usize {
        self.lanes.iter().position(|(id, _)| id == role).unwrap_or(self.lanes.len() - 1)
    }
}

/// The candidate-group expression of a state's task and the lane's role, when it has a task.
fn groups(setup: &Setup) -> Option<(String, String)> {
    let default = setup.owner.clone().or_else(|| setup.owner_at.first().map(|(_, r)| r.clone()))?;
    if setup.owner_at.is_empty() {
        return Some((default.clone(), default));
    }
    let mut expr = String::from("=");
    for (facility, role) in &setup.owner_at {
        let _ = write!(expr, "if facility = \"{facility}\" then \"{role}\" else ");
    }
    let _ = write!(expr, "\"{}\"", setup.owner.clone().unwrap_or(default.clone()));
    Some((expr, default))
}

/// The name of the task an owned state opens: named for the work.
fn task_name(spec: &Spec, state: &str) -> String {
    spec.state(state).map_or_else(|| state.to_string(), |s| s.task_title().to_string())
}

/// How an instance is started and fed, for the engineer who deploys the file.
const HOW_TO_RUN: &str = "Start each instance with the variables case_id (the case's id, a string) and facility (the facility's id). Publish each event as the message of the same name, with correlation key case_id, time to live 0 (an event the case is not waiting for is dropped) and the event's fields as one variable, event (for example {\"event\": {\"spo2\": 88}}); every message sets event whole. A worklist may complete a user task; the case moves on when the event's message arrives. Write-backs are jobs of type baton-write-back, with headers field_N and value_N.";

pub(super) fn write(spec: &Spec) -> Result<String> {
    // A lane per role that owns a task or is escalated to, and per role that acts in a state
    // without a task (the RT who assesses and charts while an assessment is due).
    let mut lanes: Vec<(String, String)> = spec.roles.clone();
    for actor in spec.states.iter().filter_map(|s| s.actor.clone()) {
        if !lanes.contains(&actor) {
            lanes.push(actor);
        }
    }
    lanes.push(("orchestrator".into(), "Orchestrator".into()));
    let mut b = Builder { nodes: Vec::new(), flows: Vec::new(), lanes, defaults: BTreeMap::new() };
    let orchestrator = b.lanes.len() - 1;

    let ways = spec.ways();
    // The element each way enters at: a sub-process, or an end event for a terminal state.
    let mut entry: BTreeMap<(String, Option<Setup>), usize> = BTreeMap::new();
    let mut ends: BTreeMap<String, usize> = BTreeMap::new();
    let mut scopes: Vec<(usize, String, Option<Setup>)> = Vec::new();
    for (state, setup) in &ways {
        let Some(s) = spec.state(state) else { continue };
        let index = if s.kind == StateKind::Terminal {
            *ends
                .entry(s.id.clone())
                .or_insert_with(|| b.node(nc("End", &s.id), s.name.clone(), Kind::End, orchestrator, None))
        } else {
            let n = scopes.iter().filter(|(_, w, _)| w == state).count();
            let id = if n == 0 { nc("State", &s.id) } else { nc("State", &format!("{}_{}", s.id, n + 1)) };
            let lane = match setup.as_ref().and_then(groups) {
                Some((_, role)) => b.lane_of_role(&role),
                None => s.actor.as_ref().map_or(orchestrator, |(role, _)| b.lane_of_role(role)),
            };
            let index = b.node(id, s.name.clone(), Kind::SubProcess, lane, None);
            scopes.push((index, s.id.clone(), setup.clone()));
            index
        };
        entry.insert((state.clone(), setup.clone()), index);
    }
    // The case starts where its first state is drawn.
    let first = spec.initial().and_then(|initial| entry.get(&(initial.id.clone(), None)).copied());
    let lane = first.map_or(orchestrator, |to| b.nodes[to].lane);
    let start = b.node("StartEvent_1".into(), "Case starts".into(), Kind::Start, lane, None);
    if let Some(to) = first {
        b.flow(start, to, "", None);
    }
    for (scope, state, setup) in &scopes {
        inside(&mut b, spec, *scope, state, setup.as_ref());
        // The ways out: the state's first transition by the sub-process's outgoing flow, every
        // other by a boundary event.
        for (n, (k, t)) in spec.transitions.iter().enumerate().filter(|(_, t)| &t.from == state).enumerate() {
            let next = entry[&(t.to.clone(), Some(Setup::of(t)))];
            if n == 0 {
                let next = after(&mut b, t, *scope, next, orchestrator);
                b.flow(*scope, next, "", None);
                continue;
            }
            let target = spec.state(&t.to).map_or_else(|| t.to.clone(), |s| s.name.clone());
            let boundary = b.node(
                nc("Leave", &format!("{}_{}", b.nodes[*scope].id, t.id)),
                format!("to {target}"),
                Kind::Boundary { host: *scope, transition: k },
                b.nodes[*scope].lane,
                None,
            );
            let next = after(&mut b, t, *scope, next, orchestrator);
            b.flow(boundary, next, "", None);
        }
    }
    join(&mut b);
    Ok(xml(&b, spec))
}

/// What happens inside the sub-process `scope` of `state`, entered with `setup`.
fn inside(b: &mut Builder, spec: &Spec, scope: usize, state: &str, setup: Option<&Setup>) {
    let key = b.nodes[scope].id.trim_start_matches("State_").to_string();
    let lane = b.nodes[scope].lane;
    let parent = Some(scope);
    let enter = b.node(nc("Enter", &key), "Entered".into(), Kind::Start, lane, parent);
    let mut branches: Vec<usize> = Vec::new();
    let task = task_name(spec, state);
    let owned = setup.and_then(groups);
    if let Some((groups, role)) = &owned {
        let work = b.node(
            nc("Task", &key),
            task.clone(),
            Kind::UserTask { groups: groups.clone() },
            b.lane_of_role(role),
            parent,
        );
        let done = b.node(nc("Done", &key), "Work done".into(), Kind::End, lane, parent);
        b.flow(work, done, "", None);
        branches.push(work);
    }
    if let Some((duration, escalate)) = setup.and_then(|s| s.timer.clone()) {
        let seconds = crate::design::timer::parse_duration(&duration).unwrap_or(0);
        let timer = b.node(
            nc("Timer", &key),
            crate::design::timer::after(seconds),
            Kind::Timer { duration },
            lane,
            parent,
        );
        let last = match escalate {
            Some(role) => {
                let escalation = b.node(
                    nc("Escalate", &key),
                    format!("Escalation: {task} overdue"),
                    Kind::UserTask { groups: role.clone() },
                    b.lane_of_role(&role),
                    parent,
                );
                b.flow(timer, escalation, "", None);
                escalation
            }
            None => timer,
        };
        let end = b.node(nc("Overdue", &key), "Overdue handled".into(), Kind::End, lane, parent);
        b.flow(last, end, "", None);
        branches.push(timer);
    }
    // The wait for the state's events.
    let mut events: Vec<String> = spec.outgoing(state).map(|t| t.event.clone()).collect();
    events.sort();
    events.dedup();
    let waiter = match events.as_slice() {
        [] => None,
        [event] => Some(b.node(
            nc("Wait", &format!("{key}_{event}")),
            event.clone(),
            Kind::Catch { event: event.clone() },
            lane,
            parent,
        )),
        _ => Some(b.node(nc("Wait", &key), "Which event?".into(), Kind::EventGateway, lane, parent)),
    };
    if let Some(w) = waiter {
        branches.push(w);
    }
    match branches.as_slice() {
        [] => {}
        [only] => {
            b.flow(enter, *only, "", None);
        }
        _ => {
            let fork = b.node(nc("Fork", &key), String::new(), Kind::Parallel, lane, parent);
            b.flow(enter, fork, "", None);
            for &branch in &branches {
                b.flow(fork, branch, "", None);
            }
        }
    }
    let Some(waiter) = waiter else { return };
    let forked = branches.len() > 1;
    for event in &events {
        let caught = if matches!(b.nodes[waiter].kind, Kind::Catch { .. }) {
            waiter
        } else {
            let catch = b.node(
                nc("Catch", &format!("{key}_{event}")),
                event.clone(),
                Kind::Catch { event: event.clone() },
                lane,
                parent,
            );
            b.flow(waiter, catch, "", None);
            catch
        };
        let mut transitions: Vec<(usize, &SpecTransition)> = spec
            .transitions
            .iter()
            .enumerate()
            .filter(|(_, t)| t.from == state && &t.event == event)
            .collect();
        transitions.sort_by_key(|(_, t)| t.priority.unwrap_or(i64::MAX));
        let first = spec.transitions.iter().position(|t| t.from == state);
        let leave = |b: &mut Builder, k: usize, t: &SpecTransition| {
            let target = spec.state(&t.to).map_or_else(|| t.to.clone(), |s| s.name.clone());
            let kind = if Some(k) == first { Kind::Exit { terminate: forked } } else { Kind::Leave(k) };
            b.node(nc("Leave", &format!("{key}_{}", t.id)), format!("to {target}"), kind, lane, parent)
        };
        if let [(k, t)] = transitions.as_slice()
            && t.guard.is_none()
        {
            let end = leave(b, *k, t);
            b.flow(caught, end, "", None);
            continue;
        }
        let gateway = b.node(
            nc("Route", &format!("{key}_{event}")),
            format!("Which way on {event}?"),
            Kind::Exclusive,
            lane,
            parent,
        );
        b.flow(caught, gateway, "", None);
        let mut default = None;
        for (k, t) in &transitions {
            match &t.guard {
                Some(g) => {
                    let end = leave(b, *k, t);
                    b.flow(gateway, end, &t.guard_text, Some(format!("={}", render(g, Dialect::Feel))));
                }
                None if default.is_none() => {
                    let end = leave(b, *k, t);
                    default = Some(b.flow(gateway, end, "otherwise", None));
                }
                None => {}
            }
        }
        // No guard holds: the event is ignored and the state waits again.
        let default = default.unwrap_or_else(|| b.flow(gateway, waiter, "no guard holds: wait again", None));
        b.defaults.insert(gateway, default);
    }
}

/// The element a transition leads to: its write-back task (then the target), else the target.
fn after(b: &mut Builder, t: &SpecTransition, scope: usize, target: usize, lane: usize) -> usize {
    if t.write_backs.is_empty() {
        return target;
    }
    let headers = t.write_backs.iter().map(|wb| (wb.field.clone(), wb.value.clone())).collect();
    let names: Vec<String> = t.write_backs.iter().map(|wb| format!("{} = {}", wb.field, wb.value)).collect();
    let task = b.node(
        nc("WriteBack", &format!("{}_{}", b.nodes[scope].id, t.id)),
        format!("Write back {}", names.join(", ")),
        Kind::Service { headers },
        lane,
        None,
    );
    b.flow(task, target, "", None);
    task
}

/// Puts an exclusive gateway in front of every element reached by several flows.
fn join(b: &mut Builder) {
    let count = b.nodes.len();
    for target in 0..count {
        let incoming: Vec<usize> = (0..b.flows.len()).filter(|&f| b.flows[f].to == target).collect();
        if incoming.len() < 2 {
            continue;
        }
        let name = format!("To {}", b.nodes[target].name);
        let (lane, parent) = (b.nodes[target].lane, b.nodes[target].parent);
        let gateway = b.node(format!("Join_{}", b.nodes[target].id), name, Kind::Exclusive, lane, parent);
        for f in incoming {
            b.flows[f].to = gateway;
        }
        b.flow(gateway, target, "", None);
    }
}

fn xml(b: &Builder, spec: &Spec) -> String {
    let process = nc("Process", &spec.workflow_id);
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<bpmn:definitions xmlns:bpmn=\"http://www.omg.org/spec/BPMN/20100524/MODEL\" xmlns:bpmndi=\"http://www.omg.org/spec/BPMN/20100524/DI\" xmlns:dc=\"http://www.omg.org/spec/DD/20100524/DC\" xmlns:di=\"http://www.omg.org/spec/DD/20100524/DI\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:zeebe=\"http://camunda.org/schema/zeebe/1.0\" xmlns:modeler=\"http://camunda.org/schema/modeler/1.0\"");
    let _ = writeln!(
        out,
        " id=\"Definitions_{}\" targetNamespace=\"http://bpmn.io/schema/bpmn\" exporter=\"Baton\" exporterVersion=\"{}\" modeler:executionPlatform=\"Camunda Cloud\" modeler:executionPlatformVersion=\"8.6.0\">",
        esc(&nc("", &spec.workflow_id)[1..]),
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(out, "  <bpmn:collaboration id=\"Collaboration_1\">");
    let _ = writeln!(
        out,
        "    <bpmn:participant id=\"Participant_1\" name=\"{} ({})\" processRef=\"{process}\"/>",
        esc(&spec.workflow),
        esc(&spec.version_label())
    );
    out.push_str("  </bpmn:collaboration>\n");
    let mut events: Vec<&str> = b
        .nodes
        .iter()
        .filter_map(|n| match &n.kind {
            Kind::Catch { event } => Some(event.as_str()),
            _ => None,
        })
        .collect();
    events.sort();
    events.dedup();
    for e in &events {
        let _ = writeln!(
            out,
            "  <bpmn:message id=\"{}\" name=\"{}\">\n    <bpmn:extensionElements>\n      <zeebe:subscription correlationKey=\"=case_id\"/>\n    </bpmn:extensionElements>\n  </bpmn:message>",
            nc("Message", e),
            esc(e)
        );
    }
    // One error per way out of each sub-process: an error is caught only where it is meant to be.
    let mut errors: Vec<(usize, usize)> = b
        .nodes
        .iter()
        .filter_map(|n| match n.kind {
            Kind::Leave(k) => n.parent.map(|scope| (scope, k)),
            Kind::Boundary { host, transition } => Some((host, transition)),
            _ => None,
        })
        .collect();
    errors.sort_unstable();
    errors.dedup();
    let mut named: BTreeMap<String, usize> = BTreeMap::new();
    for &(scope, k) in &errors {
        let t = &spec.transitions[k];
        let name = |id: &str| spec.state(id).map_or_else(|| id.to_string(), |s| s.name.clone());
        let mut text = format!("{} on {} to {}", name(&t.from), t.event, name(&t.to));
        // Names are unique: a state entered several ways has one error per way out of each.
        let seen = named.entry(text.clone()).or_default();
        *seen += 1;
        if *seen > 1 {
            text = format!("{text} ({seen})");
        }
        let _ = writeln!(
            out,
            "  <bpmn:error id=\"{}\" name=\"{}\" errorCode=\"{}\"/>",
            error_id(b, spec, scope, k),
            esc(&text),
            esc(&t.id)
        );
    }
    let _ = writeln!(
        out,
        "  <bpmn:process id=\"{process}\" name=\"{}\" isExecutable=\"true\">\n    <bpmn:documentation>{}</bpmn:documentation>",
        esc(&spec.workflow),
        esc(HOW_TO_RUN)
    );
    out.push_str("    <bpmn:laneSet id=\"LaneSet_1\">\n");
    for (i, (id, name)) in b.lanes.iter().enumerate() {
        let members: Vec<&Node> = b.nodes.iter().filter(|n| n.lane == i && n.parent.is_none()).collect();
        if members.is_empty() {
            continue;
        }
        let _ = writeln!(out, "      <bpmn:lane id=\"{}\" name=\"{}\">", nc("Lane", id), esc(name));
        for n in members {
            let _ = writeln!(out, "        <bpmn:flowNodeRef>{}</bpmn:flowNodeRef>", n.id);
        }
        out.push_str("      </bpmn:lane>\n");
    }
    out.push_str("    </bpmn:laneSet>\n");
    scope(b, spec, None, "    ", &mut out);
    out.push_str("  </bpmn:process>\n");
    diagram(b, &mut out);
    out.push_str("</bpmn:definitions>\n");
    out
}

/// The error that leaves sub-process `scope` by transition `k`.
fn error_id(b: &Builder, spec: &Spec, scope: usize, k: usize) -> String {
    nc("Error", &format!("{}_{}", b.nodes[scope].id.trim_start_matches("State_"), spec.transitions[k].id))
}

/// The nodes and flows of one scope (the process, or a state's sub-process), indented by `pad`.
fn scope(b: &Builder, spec: &Spec, parent: Option<usize>, pad: &str, out: &mut String) {
    for (i, n) in b.nodes.iter().enumerate().filter(|(_, n)| n.parent == parent) {
        let mut refs = String::new();
        for f in b.flows.iter().filter(|f| f.to == i) {
            let _ = writeln!(refs, "{pad}  <bpmn:incoming>{}</bpmn:incoming>", f.id);
        }
        for f in b.flows.iter().filter(|f| f.from == i) {
            let _ = writeln!(refs, "{pad}  <bpmn:outgoing>{}</bpmn:outgoing>", f.id);
        }
        let attrs = format!(" name=\"{}\"", esc(&n.name));
        let definition = |what: &str| format!("{pad}  <bpmn:{what}/>\n");
        let (tag, attrs, before, after) = match &n.kind {
            Kind::Start if parent.is_none() => (
                "startEvent",
                attrs,
                format!(
                    "{pad}  <bpmn:documentation>{}</bpmn:documentation>\n{pad}  <bpmn:extensionElements>\n{pad}    <zeebe:ioMapping>\n{pad}      <zeebe:output source=\"=case_id\" target=\"case_id\"/>\n{pad}      <zeebe:output source=\"=facility\" target=\"facility\"/>\n{pad}    </zeebe:ioMapping>\n{pad}  </bpmn:extensionElements>\n",
                    esc("Start the instance with the variables case_id and facility.")
                ),
                String::new(),
            ),
            Kind::Start => ("startEvent", attrs, String::new(), String::new()),
            Kind::End | Kind::Exit { terminate: false } => ("endEvent", attrs, String::new(), String::new()),
            Kind::Exit { terminate: true } => (
                "endEvent",
                attrs,
                String::new(),
                definition(&format!("terminateEventDefinition id=\"{}_def\"", n.id)),
            ),
            Kind::Leave(k) => (
                "endEvent",
                attrs,
                String::new(),
                definition(&format!(
                    "errorEventDefinition id=\"{}_def\" errorRef=\"{}\"",
                    n.id,
                    error_id(b, spec, n.parent.unwrap_or(i), *k)
                )),
            ),
            Kind::UserTask { groups } => (
                "userTask",
                attrs,
                format!(
                    "{pad}  <bpmn:extensionElements>\n{pad}    <zeebe:userTask/>\n{pad}    <zeebe:formDefinition externalReference=\"baton:{}\"/>\n{pad}    <zeebe:assignmentDefinition candidateGroups=\"{}\"/>\n{pad}  </bpmn:extensionElements>\n",
                    esc(&n.id),
                    esc(groups)
                ),
                String::new(),
            ),
            Kind::EventGateway => ("eventBasedGateway", attrs, String::new(), String::new()),
            Kind::Parallel => ("parallelGateway", String::new(), String::new(), String::new()),
            Kind::Exclusive => {
                let default = b.defaults.get(&i).map(|d| format!(" default=\"{d}\"")).unwrap_or_default();
                ("exclusiveGateway", attrs + &default, String::new(), String::new())
            }
            Kind::Catch { event } => (
                "intermediateCatchEvent",
                attrs,
                String::new(),
                definition(&format!(
                    "messageEventDefinition id=\"{}_def\" messageRef=\"{}\"",
                    n.id,
                    nc("Message", event)
                )),
            ),
            Kind::Timer { duration } => (
                "intermediateCatchEvent",
                attrs,
                String::new(),
                format!(
                    "{pad}  <bpmn:timerEventDefinition id=\"{}_def\">\n{pad}    <bpmn:timeDuration xsi:type=\"bpmn:tFormalExpression\">{}</bpmn:timeDuration>\n{pad}  </bpmn:timerEventDefinition>\n",
                    n.id,
                    esc(duration)
                ),
            ),
            Kind::Boundary { host, transition } => (
                "boundaryEvent",
                format!("{attrs} attachedToRef=\"{}\"", b.nodes[*host].id),
                String::new(),
                definition(&format!(
                    "errorEventDefinition id=\"{}_def\" errorRef=\"{}\"",
                    n.id,
                    error_id(b, spec, *host, *transition)
                )),
            ),
            Kind::Service { headers } => {
                let mut h = String::new();
                for (k, (field, value)) in headers.iter().enumerate() {
                    let _ = writeln!(
                        h,
                        "{pad}      <zeebe:header key=\"field_{}\" value=\"{}\"/>",
                        k + 1,
                        esc(field)
                    );
                    let _ = writeln!(
                        h,
                        "{pad}      <zeebe:header key=\"value_{}\" value=\"{}\"/>",
                        k + 1,
                        esc(value)
                    );
                }
                (
                    "serviceTask",
                    attrs,
                    format!(
                        "{pad}  <bpmn:extensionElements>\n{pad}    <zeebe:taskDefinition type=\"baton-write-back\"/>\n{pad}    <zeebe:taskHeaders>\n{h}{pad}    </zeebe:taskHeaders>\n{pad}  </bpmn:extensionElements>\n"
                    ),
                    String::new(),
                )
            }
            Kind::SubProcess => {
                let mut inner = String::new();
                scope(b, spec, Some(i), &format!("{pad}  "), &mut inner);
                ("subProcess", attrs, String::new(), inner)
            }
        };
        // Extension elements come before the flows, event definitions and children after them
        // (the XSD's order).
        let _ = write!(
            out,
            "{pad}<bpmn:{tag} id=\"{}\"{attrs}>\n{before}{refs}{after}{pad}</bpmn:{tag}>\n",
            n.id
        );
    }
    for f in b.flows.iter().filter(|f| b.nodes[f.from].parent == parent) {
        let name = if f.name.is_empty() { String::new() } else { format!(" name=\"{}\"", esc(&f.name)) };
        let head = format!(
            "{pad}<bpmn:sequenceFlow id=\"{}\"{name} sourceRef=\"{}\" targetRef=\"{}\"",
            f.id, b.nodes[f.from].id, b.nodes[f.to].id
        );
        match &f.condition {
            Some(c) => {
                let _ = writeln!(
                    out,
                    "{head}>\n{pad}  <bpmn:conditionExpression xsi:type=\"bpmn:tFormalExpression\">{}</bpmn:conditionExpression>\n{pad}</bpmn:sequenceFlow>",
                    esc(c)
                );
            }
            None => {
                let _ = writeln!(out, "{head}/>");
            }
        }
    }
}

fn num(v: f64) -> String {
    let r = v.round();
    format!("{}", r as i64)
}

fn bounds(r: Rect) -> String {
    format!(
        "<dc:Bounds x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
        num(r.x),
        num(r.y),
        num(r.width),
        num(r.height)
    )
}

/// BPMN DI from Baton's layout: the process on one plane, with each state's sub-process
/// collapsed in its owner's lane, and what is inside each sub-process on a plane of its own (the
/// drill-down Camunda Modeler opens). Boundary events sit on their host's lower edge.
fn diagram(b: &Builder, out: &mut String) {
    out.push_str("  <bpmndi:BPMNDiagram id=\"BPMNDiagram_1\">\n    <bpmndi:BPMNPlane id=\"BPMNPlane_1\" bpmnElement=\"Collaboration_1\">\n");
    plane(b, None, out);
    out.push_str("    </bpmndi:BPMNPlane>\n  </bpmndi:BPMNDiagram>\n");
    for (i, n) in b.nodes.iter().enumerate().filter(|(_, n)| matches!(n.kind, Kind::SubProcess)) {
        let _ = writeln!(
            out,
            "  <bpmndi:BPMNDiagram id=\"BPMNDiagram_{id}\">\n    <bpmndi:BPMNPlane id=\"BPMNPlane_{id}\" bpmnElement=\"{id}\">",
            id = n.id
        );
        plane(b, Some(i), out);
        out.push_str("    </bpmndi:BPMNPlane>\n  </bpmndi:BPMNDiagram>\n");
    }
}

/// Whether a node is drawn as an event's circle.
fn is_event(kind: &Kind) -> bool {
    matches!(
        kind,
        Kind::Start
            | Kind::End
            | Kind::Exit { .. }
            | Kind::Leave(_)
            | Kind::Catch { .. }
            | Kind::Timer { .. }
    )
}

/// The shapes and edges of one scope's plane.
fn plane(b: &Builder, parent: Option<usize>, out: &mut String) {
    let members: Vec<usize> = (0..b.nodes.len())
        .filter(|&i| b.nodes[i].parent == parent && !matches!(b.nodes[i].kind, Kind::Boundary { .. }))
        .collect();
    let boundaries: Vec<usize> = (0..b.nodes.len())
        .filter(|&i| b.nodes[i].parent == parent && matches!(b.nodes[i].kind, Kind::Boundary { .. }))
        .collect();
    let index_of: BTreeMap<usize, usize> = members.iter().enumerate().map(|(k, &i)| (i, k)).collect();
    let host_of = |i: usize| match b.nodes[i].kind {
        Kind::Boundary { host, .. } => host,
        _ => i,
    };
    let flows: Vec<&Flow> = b.flows.iter().filter(|f| b.nodes[f.from].parent == parent).collect();
    // The process's plane has the lanes; a sub-process's plane is one band.
    let lanes: Vec<LaneSpec> = match parent {
        None => b.lanes.iter().map(|(id, name)| LaneSpec { id: id.clone(), name: name.clone() }).collect(),
        Some(p) => vec![LaneSpec { id: b.nodes[p].id.clone(), name: b.nodes[p].name.clone() }],
    };
    let graph = FlowGraph {
        lanes,
        nodes: members
            .iter()
            .map(|&i| {
                let n = &b.nodes[i];
                let kind = match n.kind {
                    Kind::UserTask { .. } | Kind::Service { .. } | Kind::SubProcess => NodeKind::Task,
                    Kind::Exclusive | Kind::EventGateway | Kind::Parallel => NodeKind::Decision,
                    Kind::End | Kind::Exit { .. } | Kind::Leave(_) => NodeKind::End,
                    _ => NodeKind::Start,
                };
                let label = if kind == NodeKind::Task { n.name.clone() } else { String::new() };
                NodeSpec {
                    id: n.id.clone(),
                    label,
                    kind,
                    lane: if parent.is_none() { n.lane } else { 0 },
                    manual: None,
                }
            })
            .collect(),
        edges: flows
            .iter()
            .map(|f| EdgeSpec {
                id: f.id.clone(),
                from: index_of[&host_of(f.from)],
                to: index_of[&f.to],
                label: String::new(),
            })
            .collect(),
    };
    let Ok(geometry) = layout::layout(&graph, Orientation::Horizontal) else { return };
    let mut shapes: BTreeMap<usize, Rect> = BTreeMap::new();
    for (k, &i) in members.iter().enumerate() {
        let r = geometry.nodes[k].rect;
        let kind = &b.nodes[i].kind;
        let shape = if matches!(kind, Kind::Exclusive | Kind::EventGateway | Kind::Parallel) {
            Rect {
                x: r.x + (r.width - 50.0) / 2.0,
                y: r.y + (r.height - 50.0) / 2.0,
                width: 50.0,
                height: 50.0,
            }
        } else if is_event(kind) {
            // The circle sits at the box's downstream end for a start or catch, upstream for an end.
            let x = if matches!(kind, Kind::End | Kind::Exit { .. } | Kind::Leave(_)) {
                r.x
            } else {
                r.right() - 36.0
            };
            Rect { x, y: r.y + (r.height - 36.0) / 2.0, width: 36.0, height: 36.0 }
        } else {
            r
        };
        shapes.insert(i, shape);
    }
    let mut on_host: BTreeMap<usize, usize> = BTreeMap::new();
    for &i in &boundaries {
        let host = host_of(i);
        let slot = on_host.entry(host).or_default();
        let h = shapes[&host];
        let x = h.right() - 46.0 - *slot as f64 * 44.0;
        *slot += 1;
        shapes.insert(i, Rect { x, y: h.bottom() - 18.0, width: 36.0, height: 36.0 });
    }
    if parent.is_none() {
        let used_lanes: Vec<usize> = (0..b.lanes.len())
            .filter(|l| b.nodes.iter().any(|n| n.lane == *l && n.parent.is_none()))
            .collect();
        let bands: Vec<Rect> = used_lanes.iter().map(|&l| geometry.lanes[l].band).collect();
        if let (Some(first), Some(last)) = (bands.first(), bands.last()) {
            let pool = Rect {
                x: first.x - 30.0,
                y: first.y,
                width: first.width + 30.0,
                height: last.bottom() - first.y,
            };
            let _ = writeln!(
                out,
                "      <bpmndi:BPMNShape id=\"Participant_1_di\" bpmnElement=\"Participant_1\" isHorizontal=\"true\">\n        {}\n      </bpmndi:BPMNShape>",
                bounds(pool)
            );
        }
        for (&l, band) in used_lanes.iter().zip(&bands) {
            let _ = writeln!(
                out,
                "      <bpmndi:BPMNShape id=\"{id}_di\" bpmnElement=\"{id}\" isHorizontal=\"true\">\n        {}\n      </bpmndi:BPMNShape>",
                bounds(*band),
                id = nc("Lane", &b.lanes[l].0)
            );
        }
    }
    // Labels of events and gateways sit outside their shape, sized to their text: below it, or
    // else above, right or left, wherever they cover no shape and no label placed before.
    let all_shapes: Vec<Rect> = shapes.values().copied().collect();
    let mut placed: Vec<Rect> = Vec::new();
    let mut label_of: BTreeMap<usize, Rect> = BTreeMap::new();
    for &i in members.iter().chain(&boundaries) {
        let n = &b.nodes[i];
        let labelled = is_event(&n.kind)
            || matches!(n.kind, Kind::Boundary { .. } | Kind::Exclusive | Kind::EventGateway);
        if !labelled || n.name.is_empty() {
            continue;
        }
        let r = shapes[&i];
        let lines = crate::layout::text::wrap(&n.name, 11.0, 90.0, 3);
        let w = lines.iter().map(|l| crate::layout::text::width(l, 11.0)).fold(0.0, f64::max).ceil() + 4.0;
        let h = lines.len() as f64 * 14.0;
        let cx = r.x + r.width / 2.0 - w / 2.0;
        let cy = r.y + r.height / 2.0 - h / 2.0;
        let mut candidates = Vec::new();
        for k in 0..4 {
            let d = 4.0 + f64::from(k) * 16.0;
            candidates.extend([
                Rect { x: cx, y: r.bottom() + d, width: w, height: h },
                Rect { x: cx, y: r.y - d - h, width: w, height: h },
                Rect { x: r.right() + d, y: cy, width: w, height: h },
                Rect { x: r.x - d - w, y: cy, width: w, height: h },
            ]);
        }
        let free = |c: &Rect| !all_shapes.iter().chain(&placed).any(|o| o.overlaps(c));
        let rect = candidates.iter().find(|c| free(c)).copied().unwrap_or(candidates[0]);
        placed.push(rect);
        label_of.insert(i, rect);
    }
    for &i in members.iter().chain(&boundaries) {
        let n = &b.nodes[i];
        let r = shapes[&i];
        let label = label_of.get(&i).map_or_else(String::new, |l| {
            format!("\n        <bpmndi:BPMNLabel>\n          {}\n        </bpmndi:BPMNLabel>", bounds(*l))
        });
        let expanded = if matches!(n.kind, Kind::SubProcess) { " isExpanded=\"false\"" } else { "" };
        let _ = writeln!(
            out,
            "      <bpmndi:BPMNShape id=\"{}_di\" bpmnElement=\"{}\"{expanded}>\n        {}{label}\n      </bpmndi:BPMNShape>",
            n.id,
            n.id,
            bounds(r)
        );
    }
    for (k, f) in flows.iter().enumerate() {
        let mut points: Vec<Point> = geometry.edges[k].points.clone();
        if matches!(b.nodes[f.from].kind, Kind::Boundary { .. }) {
            let r = shapes[&f.from];
            let (x, y) = (r.x + r.width / 2.0, r.bottom());
            let below = Point { x, y: y + 20.0 };
            points = [vec![Point { x, y }, below], points.into_iter().skip(1).collect()].concat();
            if let Some(second) = points.get(2).copied() {
                points.insert(2, Point { x: second.x, y: below.y });
            }
        }
        let mut text = String::new();
        for p in &points {
            let _ = write!(text, "\n        <di:waypoint x=\"{}\" y=\"{}\"/>", num(p.x), num(p.y));
        }
        let _ = writeln!(
            out,
            "      <bpmndi:BPMNEdge id=\"{}_di\" bpmnElement=\"{}\">{text}\n      </bpmndi:BPMNEdge>",
            f.id, f.id
        );
    }
}
