//! A Mermaid `stateDiagram-v2` for documentation: states with their meanings, transitions
//! labelled `event [guard] / owner`, timers as notes.

use std::fmt::Write;

use super::Spec;
use crate::model::StateKind;

/// A Mermaid identifier for a state: `s1`, `s2`… in the version's order (ids may be UUIDs).
fn ident(spec: &Spec, id: &str) -> String {
    spec.states.iter().position(|s| s.id == id).map_or_else(|| "unknown".into(), |i| format!("s{}", i + 1))
}

/// Label text without the characters Mermaid reads as syntax.
fn label(text: &str) -> String {
    text.replace([':', ';', '#', '"'], " ").replace('\n', " ")
}

pub(super) fn write(spec: &Spec) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "---\ntitle: {} ({})\n---", label(&spec.workflow), spec.version_label());
    out.push_str("stateDiagram-v2\n");
    for s in &spec.states {
        let _ = writeln!(out, "    state \"{}\" as {}", label(&s.name), ident(spec, &s.id));
    }
    if let Some(initial) = spec.initial() {
        let _ = writeln!(out, "    [*] --> {}", ident(spec, &initial.id));
    }
    for t in &spec.transitions {
        let mut text = t.event.clone();
        if !t.guard_text.is_empty() {
            let _ = write!(text, " [{}]", label(&t.guard_text));
        }
        if let Some(owner) = &t.owner {
            let task = spec.state(&t.to).map_or("", |s| s.task_title());
            let _ = write!(text, " / {} for {}", label(task), label(&spec.role_name(owner)));
        }
        let _ = writeln!(out, "    {} --> {} : {}", ident(spec, &t.from), ident(spec, &t.to), text);
    }
    for s in spec.states.iter().filter(|s| s.kind == StateKind::Terminal) {
        let _ = writeln!(out, "    {} --> [*]", ident(spec, &s.id));
    }
    for s in &spec.states {
        let mut lines: Vec<String> = Vec::new();
        if !s.meaning.is_empty() {
            lines.push(label(&s.meaning));
        }
        for t in spec.incoming(&s.id).filter(|t| t.timer_seconds.is_some()) {
            let to = t.escalate_to.as_deref().map(|r| spec.role_name(r)).unwrap_or_default();
            let after = t.timer_seconds.map_or_else(|| t.timer.clone(), crate::design::timer::after);
            lines.push(format!("{after}: escalate to {}", label(&to)));
        }
        if !lines.is_empty() {
            let _ = writeln!(
                out,
                "    note right of {}\n        {}\n    end note",
                ident(spec, &s.id),
                lines.join("\n        ")
            );
        }
    }
    out
}
