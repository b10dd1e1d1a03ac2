//! BPMN 2.0 with Camunda 8 (Zeebe) extensions and diagram interchange from Baton's layout.
//!
//! One pool, one lane per role the version names plus an "Orchestrator" lane. A state whose
//! task has an owner is a user task (`zeebe:userTask`, candidate group = the owning role, a FEEL
//! choice by facility when some facilities route it elsewhere) with an interrupting message
//! boundary event per event that leaves it and, when a timer applies, a non-interrupting timer
//! boundary event leading to an escalation task for the escalation role. A state without an owner
//! waits in a message catch event, or an event-based gateway when several events leave it. Guards
//! become an exclusive gateway whose flows carry FEEL conditions; when no guard holds, the default
//! flow returns to the state. Write-backs are a service task (`baton-write-back` job type, the
//! field and value in task headers). Terminal states are end events. Elements reached from
//! several places are joined by an exclusive gateway first.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::{Spec, SpecTransition};
use crate::design::guard::{Dialect, render};
use crate::error::Result;
use crate::layout::{self, EdgeSpec, FlowGraph, LaneSpec, NodeKind, NodeSpec, Orientation, Point, Rect};
use crate::model::StateKind;
use crate::xml::escape as esc;

#[derive(Debug, Clone)]
enum Kind {
    Start,
    End,
    UserTask { groups: String },
    EventGateway,
    Catch { event: String },
    Boundary { host: usize, event: Option<String>, timer: Option<String> },
    Exclusive,
    Service { headers: Vec<(String, String)> },
}

#[derive(Debug, Clone)]
struct Node {
    id: String,
    name: String,
    kind: Kind,
    lane: usize,
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
    fn node(&mut self, id: String, name: String, kind: Kind, lane: usize) -> usize {
        self.nodes.push(Node { id, name, kind, lane });
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

/// The owner of the task of `state`: the roles of the transitions into it, as a candidate-group
/// expression, and the lane of the default owner.
fn owner(spec: &Spec, state: &str) -> Option<(String, String)> {
    let t = spec.incoming(state).find(|t| t.owner.is_some() || !t.owner_at.is_empty())?;
    let default = t.owner.clone().or_else(|| t.owner_at.first().map(|(_, r)| r.clone()))?;
    if t.owner_at.is_empty() {
        return Some((default.clone(), default));
    }
    let mut expr = String::from("=");
    for (facility, role) in &t.owner_at {
        let _ = write!(expr, "if facility = \"{facility}\" then \"{role}\" else ");
    }
    let _ = write!(expr, "\"{default}\"");
    Some((expr, default))
}

pub(super) fn write(spec: &Spec) -> Result<String> {
    let mut lanes: Vec<(String, String)> = spec.roles.clone();
    lanes.push(("orchestrator".into(), "Orchestrator".into()));
    let mut b = Builder { nodes: Vec::new(), flows: Vec::new(), lanes, defaults: BTreeMap::new() };
    let orchestrator = b.lanes.len() - 1;

    // The element each state is entered at.
    let mut entry: BTreeMap<String, usize> = BTreeMap::new();
    let mut events_of: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for s in &spec.states {
        let mut events: Vec<String> = spec.outgoing(&s.id).map(|t| t.event.clone()).collect();
        events.sort();
        events.dedup();
        events_of.insert(s.id.clone(), events.clone());
        let index = if s.kind == StateKind::Terminal {
            b.node(nc("End", &s.id), s.name.clone(), Kind::End, orchestrator)
        } else if let Some((groups, role)) = owner(spec, &s.id) {
            let lane = b.lane_of_role(&role);
            b.node(nc("Task", &s.id), s.name.clone(), Kind::UserTask { groups }, lane)
        } else if events.len() == 1 {
            b.node(
                nc("Wait", &s.id),
                format!("{}: wait for {}", s.name, events[0]),
                Kind::Catch { event: events[0].clone() },
                orchestrator,
            )
        } else {
            b.node(
                nc("Wait", &s.id),
                format!("{}: wait for an event", s.name),
                Kind::EventGateway,
                orchestrator,
            )
        };
        entry.insert(s.id.clone(), index);
    }
    let start = b.node("StartEvent_1".into(), "Start".into(), Kind::Start, orchestrator);
    if let Some(initial) = spec.initial() {
        let to = entry[&initial.id];
        b.flow(start, to, "", None);
    }

    for s in spec.states.iter().filter(|s| s.kind != StateKind::Terminal) {
        let at = entry[&s.id];
        let lane = b.nodes[at].lane;
        let owned = matches!(b.nodes[at].kind, Kind::UserTask { .. });
        // Where the state waits for its events once its task (if any) is done: the entry itself
        // for a state without a task, else a catch event or event-based gateway after the task.
        let events = &events_of[&s.id];
        let waiter = if owned {
            let waiter = if events.len() == 1 {
                b.node(
                    nc("Wait", &s.id),
                    format!("{}: wait for {}", s.name, events[0]),
                    Kind::Catch { event: events[0].clone() },
                    lane,
                )
            } else {
                b.node(nc("Wait", &s.id), format!("{}: wait for an event", s.name), Kind::EventGateway, lane)
            };
            b.flow(at, waiter, "", None);
            waiter
        } else {
            at
        };
        for event in events {
            // Where the event is received: on the open task (interrupting it), and after it.
            let mut received = Vec::new();
            if owned {
                received.push(b.node(
                    nc("Message", &format!("{}_{event}", s.id)),
                    event.clone(),
                    Kind::Boundary { host: at, event: Some(event.clone()), timer: None },
                    lane,
                ));
            }
            received.push(match &b.nodes[waiter].kind {
                Kind::Catch { .. } => waiter,
                _ => {
                    let catch = b.node(
                        nc("Catch", &format!("{}_{event}", s.id)),
                        event.clone(),
                        Kind::Catch { event: event.clone() },
                        b.nodes[waiter].lane,
                    );
                    b.flow(waiter, catch, "", None);
                    catch
                }
            });
            let mut transitions: Vec<&SpecTransition> =
                spec.outgoing(&s.id).filter(|t| &t.event == event).collect();
            transitions.sort_by_key(|t| t.priority.unwrap_or(i64::MAX));
            if transitions.len() == 1 && transitions[0].guard.is_none() {
                let next = after(&mut b, transitions[0], &entry, orchestrator);
                for r in received {
                    b.flow(r, next, "", None);
                }
                continue;
            }
            let gateway = b.node(
                nc("Route", &format!("{}_{event}", s.id)),
                format!("Which way on {event}?"),
                Kind::Exclusive,
                if owned { lane } else { orchestrator },
            );
            for r in received {
                b.flow(r, gateway, "", None);
            }
            let mut default = None;
            for t in &transitions {
                let next = after(&mut b, t, &entry, orchestrator);
                match &t.guard {
                    Some(g) => {
                        b.flow(gateway, next, &t.guard_text, Some(format!("={}", render(g, Dialect::Feel))));
                    }
                    None if default.is_none() => default = Some(b.flow(gateway, next, "otherwise", None)),
                    None => {}
                }
            }
            let default = default.unwrap_or_else(|| b.flow(gateway, at, "no guard holds: stay", None));
            b.defaults.insert(gateway, default);
        }
        // A timer on the way into the state escalates without ending its task.
        if owned
            && let Some(t) =
                spec.incoming(&s.id).find(|t| t.timer_seconds.is_some() && t.escalate_to.is_some())
        {
            let role = t.escalate_to.clone().unwrap_or_default();
            let timer = b.node(
                nc("Timer", &s.id),
                format!("{} overdue", t.timer),
                Kind::Boundary { host: at, event: None, timer: Some(t.timer.clone()) },
                lane,
            );
            let escalate_lane = b.lane_of_role(&role);
            let task = b.node(
                nc("Escalate", &s.id),
                format!("Escalate: {} overdue", s.name),
                Kind::UserTask { groups: role.clone() },
                escalate_lane,
            );
            let end = b.node(nc("Escalated", &s.id), "Escalation handled".into(), Kind::End, escalate_lane);
            b.flow(timer, task, "", None);
            b.flow(task, end, "", None);
        }
    }
    join(&mut b);
    Ok(xml(&b, spec))
}

/// The element a transition leads to: its write-back task (then the target), else the target.
fn after(b: &mut Builder, t: &SpecTransition, entry: &BTreeMap<String, usize>, lane: usize) -> usize {
    let target = entry[&t.to];
    if t.write_backs.is_empty() {
        return target;
    }
    let headers = t.write_backs.iter().map(|wb| (wb.field.clone(), wb.value.clone())).collect();
    let names: Vec<String> = t.write_backs.iter().map(|wb| format!("{} = {}", wb.field, wb.value)).collect();
    let task = b.node(
        nc("WriteBack", &t.id),
        format!("Write back {}", names.join(", ")),
        Kind::Service { headers },
        lane,
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
        let lane = b.nodes[target].lane;
        let gateway = b.node(format!("Join_{}", b.nodes[target].id), name, Kind::Exclusive, lane);
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
            Kind::Catch { event } | Kind::Boundary { event: Some(event), .. } => Some(event.as_str()),
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
    let _ = writeln!(
        out,
        "  <bpmn:process id=\"{process}\" name=\"{}\" isExecutable=\"true\">",
        esc(&spec.workflow)
    );
    out.push_str("    <bpmn:laneSet id=\"LaneSet_1\">\n");
    for (i, (id, name)) in b.lanes.iter().enumerate() {
        let members: Vec<&Node> = b.nodes.iter().filter(|n| n.lane == i).collect();
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
    for (i, n) in b.nodes.iter().enumerate() {
        let flows_in: Vec<&Flow> = b.flows.iter().filter(|f| f.to == i).collect();
        let flows_out: Vec<&Flow> = b.flows.iter().filter(|f| f.from == i).collect();
        let mut refs = String::new();
        for f in &flows_in {
            let _ = writeln!(refs, "      <bpmn:incoming>{}</bpmn:incoming>", f.id);
        }
        for f in &flows_out {
            let _ = writeln!(refs, "      <bpmn:outgoing>{}</bpmn:outgoing>", f.id);
        }
        let attrs = format!(" name=\"{}\"", esc(&n.name));
        let (tag, attrs, before, after) = match &n.kind {
            Kind::Start => ("startEvent", attrs, String::new(), String::new()),
            Kind::End => ("endEvent", attrs, String::new(), String::new()),
            Kind::UserTask { groups } => (
                "userTask",
                attrs,
                format!(
                    "      <bpmn:extensionElements>\n        <zeebe:userTask/>\n        <zeebe:formDefinition externalReference=\"baton:{}\"/>\n        <zeebe:assignmentDefinition candidateGroups=\"{}\"/>\n      </bpmn:extensionElements>\n",
                    esc(&n.id),
                    esc(groups)
                ),
                String::new(),
            ),
            Kind::EventGateway => ("eventBasedGateway", attrs, String::new(), String::new()),
            Kind::Exclusive => {
                let default = b.defaults.get(&i).map(|d| format!(" default=\"{d}\"")).unwrap_or_default();
                ("exclusiveGateway", attrs + &default, String::new(), String::new())
            }
            Kind::Catch { event } => (
                "intermediateCatchEvent",
                attrs,
                String::new(),
                format!(
                    "      <bpmn:messageEventDefinition id=\"{}_def\" messageRef=\"{}\"/>\n",
                    n.id,
                    nc("Message", event)
                ),
            ),
            Kind::Boundary { host, event, timer } => {
                let cancel = if timer.is_some() { " cancelActivity=\"false\"" } else { "" };
                let definition = match (event, timer) {
                    (Some(e), _) => format!(
                        "      <bpmn:messageEventDefinition id=\"{}_def\" messageRef=\"{}\"/>\n",
                        n.id,
                        nc("Message", e)
                    ),
                    (None, Some(t)) => format!(
                        "      <bpmn:timerEventDefinition id=\"{}_def\">\n        <bpmn:timeDuration xsi:type=\"bpmn:tFormalExpression\">{}</bpmn:timeDuration>\n      </bpmn:timerEventDefinition>\n",
                        n.id,
                        esc(t)
                    ),
                    (None, None) => String::new(),
                };
                (
                    "boundaryEvent",
                    format!("{attrs}{cancel} attachedToRef=\"{}\"", b.nodes[*host].id),
                    String::new(),
                    definition,
                )
            }
            Kind::Service { headers } => {
                let mut h = String::new();
                for (k, (field, value)) in headers.iter().enumerate() {
                    let _ = writeln!(
                        h,
                        "          <zeebe:header key=\"field_{}\" value=\"{}\"/>",
                        k + 1,
                        esc(field)
                    );
                    let _ = writeln!(
                        h,
                        "          <zeebe:header key=\"value_{}\" value=\"{}\"/>",
                        k + 1,
                        esc(value)
                    );
                }
                (
                    "serviceTask",
                    attrs,
                    format!(
                        "      <bpmn:extensionElements>\n        <zeebe:taskDefinition type=\"baton-write-back\"/>\n        <zeebe:taskHeaders>\n{h}        </zeebe:taskHeaders>\n      </bpmn:extensionElements>\n"
                    ),
                    String::new(),
                )
            }
        };
        // Extension elements come before the flows, event definitions after them (the XSD's order).
        let _ =
            write!(out, "    <bpmn:{tag} id=\"{}\"{attrs}>\n{before}{refs}{after}    </bpmn:{tag}>\n", n.id);
    }
    for f in &b.flows {
        let name = if f.name.is_empty() { String::new() } else { format!(" name=\"{}\"", esc(&f.name)) };
        let head = format!(
            "    <bpmn:sequenceFlow id=\"{}\"{name} sourceRef=\"{}\" targetRef=\"{}\"",
            f.id, b.nodes[f.from].id, b.nodes[f.to].id
        );
        match &f.condition {
            Some(c) => {
                let _ = writeln!(
                    out,
                    "{head}>\n      <bpmn:conditionExpression xsi:type=\"bpmn:tFormalExpression\">{}</bpmn:conditionExpression>\n    </bpmn:sequenceFlow>",
                    esc(c)
                );
            }
            None => {
                let _ = writeln!(out, "{head}/>");
            }
        }
    }
    out.push_str("  </bpmn:process>\n");
    diagram(b, &mut out);
    out.push_str("</bpmn:definitions>\n");
    out
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

/// BPMN DI from Baton's layout of the flow (boundary events sit on their task's lower edge).
fn diagram(b: &Builder, out: &mut String) {
    let placed: Vec<usize> =
        (0..b.nodes.len()).filter(|&i| !matches!(b.nodes[i].kind, Kind::Boundary { .. })).collect();
    let index_of: BTreeMap<usize, usize> = placed.iter().enumerate().map(|(k, &i)| (i, k)).collect();
    let host_of = |i: usize| match b.nodes[i].kind {
        Kind::Boundary { host, .. } => host,
        _ => i,
    };
    let flow = FlowGraph {
        lanes: b.lanes.iter().map(|(id, name)| LaneSpec { id: id.clone(), name: name.clone() }).collect(),
        nodes: placed
            .iter()
            .map(|&i| {
                let n = &b.nodes[i];
                let (kind, label) = match n.kind {
                    Kind::UserTask { .. } | Kind::Service { .. } => (NodeKind::Task, n.name.clone()),
                    Kind::Exclusive | Kind::EventGateway => (NodeKind::Decision, String::new()),
                    Kind::End => (NodeKind::End, String::new()),
                    _ => (NodeKind::Start, String::new()),
                };
                NodeSpec { id: n.id.clone(), label, kind, lane: n.lane, manual: None }
            })
            .collect(),
        edges: b
            .flows
            .iter()
            .map(|f| EdgeSpec {
                id: f.id.clone(),
                from: index_of[&host_of(f.from)],
                to: index_of[&f.to],
                label: String::new(),
            })
            .collect(),
    };
    let Ok(geometry) = layout::layout(&flow, Orientation::Horizontal) else { return };
    let mut shapes: BTreeMap<usize, Rect> = BTreeMap::new();
    for (k, &i) in placed.iter().enumerate() {
        let r = geometry.nodes[k].rect;
        let shape = match b.nodes[i].kind {
            Kind::Exclusive | Kind::EventGateway => Rect {
                x: r.x + (r.width - 50.0) / 2.0,
                y: r.y + (r.height - 50.0) / 2.0,
                width: 50.0,
                height: 50.0,
            },
            _ => r,
        };
        shapes.insert(i, shape);
    }
    let mut on_host: BTreeMap<usize, usize> = BTreeMap::new();
    for (i, n) in b.nodes.iter().enumerate() {
        if let Kind::Boundary { host, .. } = n.kind {
            let slot = on_host.entry(host).or_default();
            let h = shapes[&host];
            let x = h.right() - 46.0 - *slot as f64 * 44.0;
            *slot += 1;
            shapes.insert(i, Rect { x, y: h.bottom() - 18.0, width: 36.0, height: 36.0 });
        }
    }
    out.push_str("  <bpmndi:BPMNDiagram id=\"BPMNDiagram_1\">\n    <bpmndi:BPMNPlane id=\"BPMNPlane_1\" bpmnElement=\"Collaboration_1\">\n");
    let used_lanes: Vec<usize> =
        (0..b.lanes.len()).filter(|l| b.nodes.iter().any(|n| n.lane == *l)).collect();
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
    for (i, n) in b.nodes.iter().enumerate() {
        let r = shapes[&i];
        let label = match n.kind {
            Kind::UserTask { .. } | Kind::Service { .. } => String::new(),
            _ => format!(
                "\n        <bpmndi:BPMNLabel>\n          {}\n        </bpmndi:BPMNLabel>",
                bounds(Rect { x: r.x - 32.0, y: r.bottom() + 4.0, width: r.width + 64.0, height: 28.0 })
            ),
        };
        let _ = writeln!(
            out,
            "      <bpmndi:BPMNShape id=\"{}_di\" bpmnElement=\"{}\">\n        {}{label}\n      </bpmndi:BPMNShape>",
            n.id,
            n.id,
            bounds(r)
        );
    }
    for (k, f) in b.flows.iter().enumerate() {
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
    out.push_str("    </bpmndi:BPMNPlane>\n  </bpmndi:BPMNDiagram>\n");
}
