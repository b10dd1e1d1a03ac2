//! W3C SCXML with the ECMAScript data model. Each transition is a `<transition event target
//! cond>`; guards read the event's data (`_event.data`) and the case's facility from the
//! datamodel's `facility` (a parent session sets it with `<param name="facility">` when it
//! invokes the machine); the document's `name` is a JavaScript identifier (engines such as SCION
//! bind it as one); write-backs are `<send>`s of a
//! `baton.write_back` event to the host; a timer on the transitions into a state is a delayed
//! `<send>` scheduled by the transition that enters the state (a timer belongs to it), cancelled
//! on exit, whose event escalates without leaving the state. Every transition sends
//! `baton.enter` to the host with the task it opens and its owners (`owner_at` as a JSON object).

use std::fmt::Write;

use super::Spec;
use crate::design::guard::{Dialect, render};
use crate::model::StateKind;
use crate::xml::escape as xml_escape;

pub(super) fn write(spec: &Spec) -> String {
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<scxml xmlns=\"http://www.w3.org/2005/07/scxml\" version=\"1.0\" datamodel=\"ecmascript\" name=\"{}\" initial=\"{}\">",
        xml_escape(&identifier(&spec.workflow_id)),
        xml_escape(&spec.initial().map_or_else(String::new, |s| s.id.clone()))
    );
    out.push_str("  <datamodel>\n    <data id=\"facility\"/>\n  </datamodel>\n");
    for s in &spec.states {
        let element = if s.kind == StateKind::Terminal { "final" } else { "state" };
        let _ = writeln!(out, "  <{element} id=\"{}\">", xml_escape(&s.id));
        let _ = writeln!(out, "    <!-- {} -->", xml_escape(&comment(&s.name, &s.meaning)));
        // A final state has no transitions, so no escalation either.
        let timers: Vec<_> = spec
            .incoming(&s.id)
            .filter(|t| s.kind != StateKind::Terminal && t.timer_seconds.is_some() && t.escalate_to.is_some())
            .collect();
        // A timer belongs to the transition that entered the state: that transition schedules
        // it, and leaving the state cancels whichever is running.
        if !timers.is_empty() {
            out.push_str("    <onexit>\n");
            for t in &timers {
                let _ = writeln!(out, "      <cancel sendid=\"timer-{}\"/>", xml_escape(&t.id));
            }
            out.push_str("    </onexit>\n");
        }
        let mut outgoing: Vec<_> = spec.outgoing(&s.id).collect();
        // Document order decides between enabled transitions: by priority first.
        outgoing.sort_by_key(|t| t.priority.unwrap_or(i64::MAX));
        for t in outgoing {
            let cond = t
                .guard
                .as_ref()
                .map(|g| format!(" cond=\"{}\"", xml_escape(&render(g, Dialect::Scxml))))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "    <transition event=\"{}\" target=\"{}\"{cond}>",
                xml_escape(&t.event),
                xml_escape(&t.to)
            );
            for wb in &t.write_backs {
                let _ = writeln!(
                    out,
                    "      <send event=\"baton.write_back\" target=\"#_parent\"><param name=\"field\" expr=\"'{}'\"/><param name=\"value\" expr=\"'{}'\"/></send>",
                    xml_escape(&js_string(&wb.field)),
                    xml_escape(&js_string(&wb.value))
                );
            }
            let target = spec.state(&t.to);
            let terminal = target.is_some_and(|s| s.kind == StateKind::Terminal);
            let task = target
                .filter(|_| !terminal && (t.owner.is_some() || !t.owner_at.is_empty()))
                .map_or("", |s| s.task_title());
            let owner_at: String = serde_json::to_string(
                &t.owner_at.iter().cloned().collect::<std::collections::BTreeMap<String, String>>(),
            )
            .unwrap_or_default();
            // Entering the target: the state left's tasks close and the target's task opens, for
            // the owner at the case's facility.
            let _ = writeln!(
                out,
                "      <send event=\"baton.enter\" target=\"#_parent\"><param name=\"transition\" expr=\"'{}'\"/><param name=\"state\" expr=\"'{}'\"/><param name=\"task\" expr=\"'{}'\"/><param name=\"owner\" expr=\"'{}'\"/><param name=\"owner_at\" expr=\"({})\"/></send>",
                xml_escape(&js_string(&t.id)),
                xml_escape(&js_string(&target.map_or_else(|| t.to.clone(), |s| s.name.clone()))),
                xml_escape(&js_string(task)),
                xml_escape(&js_string(t.owner.as_deref().unwrap_or_default())),
                xml_escape(&owner_at)
            );
            if let (Some(seconds), Some(_), false) = (t.timer_seconds, &t.escalate_to, terminal) {
                let _ = writeln!(
                    out,
                    "      <send id=\"timer-{id}\" event=\"baton.timer.{id}\" delay=\"{seconds}s\"/>",
                    id = xml_escape(&t.id)
                );
            }
            out.push_str("    </transition>\n");
        }
        for t in &timers {
            let _ = writeln!(
                out,
                "    <transition event=\"baton.timer.{}\" type=\"internal\"><send event=\"baton.escalate\" target=\"#_parent\"><param name=\"role\" expr=\"'{}'\"/></send></transition>",
                xml_escape(&t.id),
                xml_escape(&js_string(t.escalate_to.as_deref().unwrap_or_default()))
            );
        }
        let _ = writeln!(out, "  </{element}>");
    }
    out.push_str("</scxml>\n");
    out
}

fn comment(name: &str, meaning: &str) -> String {
    let text = if meaning.is_empty() { name.to_string() } else { format!("{name}: {meaning}") };
    text.replace("--", "-")
}

/// Text inside single-quoted ECMAScript strings.
fn js_string(text: &str) -> String {
    text.replace('\\', "\\\\").replace('\'', "\\'")
}

/// `text` as a JavaScript identifier: other characters become `_`, and a leading digit gets one.
fn identifier(text: &str) -> String {
    let mut out: String =
        text.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' }).collect();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}
