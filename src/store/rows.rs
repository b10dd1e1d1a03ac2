//! Reading the whole model out of the tables and writing a whole model into them.

use rusqlite::{Connection, Row, Transaction};

use crate::error::{Error, Result};
use crate::model::*;

fn parse_enum<T>(value: String, parse: fn(&str) -> Option<T>, column: &str) -> rusqlite::Result<T> {
    parse(&value).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("column {column} holds unknown value {value:?}").into(),
        )
    })
}

/// The stored form of a statement's workaround flags: sorted, each once, comma-separated.
pub(crate) fn workarounds_to_text(flags: &[Workaround]) -> String {
    let mut flags = flags.to_vec();
    flags.sort();
    flags.dedup();
    flags.iter().map(|w| w.as_str()).collect::<Vec<_>>().join(",")
}

fn workarounds_from_text(text: &str) -> rusqlite::Result<Vec<Workaround>> {
    text.split(',')
        .filter(|s| !s.is_empty())
        .map(|s| parse_enum(s.to_string(), Workaround::parse, "statement.workarounds"))
        .collect()
}

fn collect<T>(
    conn: &Connection,
    sql: &str,
    map: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([], map)?.collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// The project row, read by `project_meta`.
pub(super) const PROJECT_QUERY: &str =
    "SELECT id, name, description, client, authors, report_date FROM project";

pub(super) fn project_meta(r: &rusqlite::Row<'_>) -> rusqlite::Result<ProjectMeta> {
    let authors: String = r.get(4)?;
    Ok(ProjectMeta {
        id: r.get(0)?,
        name: r.get(1)?,
        description: r.get(2)?,
        client: r.get(3)?,
        authors: authors.lines().map(str::to_string).collect(),
        report_date: r.get(5)?,
    })
}

/// Loads everything, each list in the canonical order the bundle writer relies on.
pub(super) fn load_model(conn: &Connection) -> Result<Model> {
    let project = Some(conn.query_row(PROJECT_QUERY, [], project_meta)?);
    let facilities = collect(conn, "SELECT id, name, timezone FROM facility ORDER BY name, id", |r| {
        Ok(Facility { id: r.get(0)?, name: r.get(1)?, timezone: r.get(2)? })
    })?;
    let roles = collect(conn, "SELECT id, name, description FROM role ORDER BY name, id", |r| {
        Ok(Role { id: r.get(0)?, name: r.get(1)?, description: r.get(2)? })
    })?;
    let interviews = collect(
        conn,
        "SELECT id, role_id, facility_id, shift, alias, date, interviewer, notes FROM interview ORDER BY id",
        |r| {
            Ok(Interview {
                id: r.get(0)?,
                role_id: r.get(1)?,
                facility_id: r.get(2)?,
                shift: r.get(3)?,
                alias: r.get(4)?,
                date: r.get(5)?,
                interviewer: r.get(6)?,
                notes: r.get(7)?,
                workflows: Vec::new(),
            })
        },
    )?;
    let mut interviews = interviews;
    let links: Vec<(String, String)> = collect(
        conn,
        "SELECT interview_id, workflow_id FROM interview_workflow ORDER BY interview_id, position, workflow_id",
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    for (interview, workflow) in links {
        if let Some(i) = interviews.iter_mut().find(|i| i.id == interview) {
            i.workflows.push(workflow);
        }
    }
    let statements = collect(
        conn,
        "SELECT id, interview_id, position, step_name, step_id, performed_by, initiated_by, validated_by,
                escalates_to, done_means, next_handoff_to, workarounds, pain_point, typical_duration, quote,
                workflow_id
         FROM statement ORDER BY interview_id, position, id",
        |r| {
            Ok(Statement {
                id: r.get(0)?,
                interview_id: r.get(1)?,
                position: r.get(2)?,
                step_name: r.get(3)?,
                step_id: r.get(4)?,
                performed_by: r.get(5)?,
                initiated_by: r.get(6)?,
                validated_by: r.get(7)?,
                escalates_to: r.get(8)?,
                done_means: r.get(9)?,
                next_handoff_to: r.get(10)?,
                workarounds: workarounds_from_text(&r.get::<_, String>(11)?)?,
                pain_point: r.get(12)?,
                typical_duration: r.get(13)?,
                quote: r.get(14)?,
                workflow_id: r.get(15)?,
            })
        },
    )?;
    let claims = collect(
        conn,
        "SELECT id, statement_id, role_id, kind, owns FROM claim ORDER BY statement_id, id",
        |r| {
            Ok(Claim {
                id: r.get(0)?,
                statement_id: r.get(1)?,
                role_id: r.get(2)?,
                kind: parse_enum(r.get(3)?, ClaimKind::parse, "claim.kind")?,
                owns: r.get(4)?,
            })
        },
    )?;
    let workflows = collect(conn, "SELECT id, name, description FROM workflow ORDER BY name, id", |r| {
        Ok(Workflow { id: r.get(0)?, name: r.get(1)?, description: r.get(2)? })
    })?;
    let steps = collect(
        conn,
        "SELECT id, workflow_id, name, kind, owner_role_id, done_means, position, x, y, generated,
                service_level, safety_critical
         FROM step ORDER BY workflow_id, position, id",
        |r| {
            let x: Option<f64> = r.get(7)?;
            let y: Option<f64> = r.get(8)?;
            Ok(Step {
                id: r.get(0)?,
                workflow_id: r.get(1)?,
                name: r.get(2)?,
                kind: parse_enum(r.get(3)?, StepKind::parse, "step.kind")?,
                owner_role_id: r.get(4)?,
                done_means: r.get(5)?,
                position: r.get(6)?,
                manual_xy: x.zip(y),
                generated: r.get(9)?,
                service_level: r.get(10)?,
                safety_critical: r.get(11)?,
            })
        },
    )?;
    let handoffs = collect(
        conn,
        "SELECT id, workflow_id, from_step_id, to_step_id, label, position, generated FROM handoff
         ORDER BY workflow_id, position, id",
        |r| {
            Ok(Handoff {
                id: r.get(0)?,
                workflow_id: r.get(1)?,
                from_step_id: r.get(2)?,
                to_step_id: r.get(3)?,
                label: r.get(4)?,
                position: r.get(5)?,
                generated: r.get(6)?,
            })
        },
    )?;
    let distinct_steps = collect(
        conn,
        "SELECT workflow_id, first_step_id, second_step_id FROM distinct_steps
         ORDER BY workflow_id, first_step_id, second_step_id",
        |r| Ok(DistinctSteps { workflow_id: r.get(0)?, first_step_id: r.get(1)?, second_step_id: r.get(2)? }),
    )?;
    let lanes = collect(
        conn,
        "SELECT workflow_id, role_id, position FROM lane ORDER BY workflow_id, position, role_id",
        |r| Ok(Lane { workflow_id: r.get(0)?, role_id: r.get(1)?, position: r.get(2)? }),
    )?;
    let business_states = collect(
        conn,
        "SELECT id, workflow_id, name, meaning, position FROM business_state
         ORDER BY workflow_id, position, id",
        |r| {
            Ok(BusinessState {
                id: r.get(0)?,
                workflow_id: r.get(1)?,
                name: r.get(2)?,
                meaning: r.get(3)?,
                position: r.get(4)?,
            })
        },
    )?;
    let emr_fields =
        collect(conn, "SELECT id, name, source, description FROM emr_field ORDER BY name, id", |r| {
            Ok(EmrField { id: r.get(0)?, name: r.get(1)?, source: r.get(2)?, description: r.get(3)? })
        })?;
    let emr_values = collect(
        conn,
        "SELECT id, field_id, value, description FROM emr_value ORDER BY field_id, value, id",
        |r| Ok(EmrValue { id: r.get(0)?, field_id: r.get(1)?, value: r.get(2)?, description: r.get(3)? }),
    )?;
    let emr_value_counts = collect(
        conn,
        "SELECT value_id, facility_id, count FROM emr_value_count ORDER BY value_id, facility_id",
        |r| Ok(EmrValueCount { value_id: r.get(0)?, facility_id: r.get(1)?, count: r.get(2)? }),
    )?;
    let mappings =
        collect(conn, "SELECT id, value_id, state_id, facility_id, note FROM mapping ORDER BY id", |r| {
            Ok(Mapping {
                id: r.get(0)?,
                value_id: r.get(1)?,
                state_id: r.get(2)?,
                facility_id: r.get(3)?,
                note: r.get(4)?,
            })
        })?;
    let versions = collect(
        conn,
        "SELECT id, workflow_id, number, note, created_at FROM version
         ORDER BY workflow_id, number IS NULL, number, id",
        |r| {
            Ok(Version {
                id: r.get(0)?,
                workflow_id: r.get(1)?,
                number: r.get(2)?,
                note: r.get(3)?,
                created_at: r.get(4)?,
            })
        },
    )?;
    let proposed_states = collect(
        conn,
        "SELECT id, version_id, name, kind, meaning, task, position FROM proposed_state
         ORDER BY version_id, position, id",
        |r| {
            Ok(ProposedState {
                id: r.get(0)?,
                version_id: r.get(1)?,
                name: r.get(2)?,
                kind: parse_enum(r.get(3)?, StateKind::parse, "proposed_state.kind")?,
                meaning: r.get(4)?,
                task: r.get(5)?,
                position: r.get(6)?,
            })
        },
    )?;
    let mut write_backs: std::collections::BTreeMap<String, Vec<WriteBack>> = Default::default();
    for (transition_id, wb) in collect(
        conn,
        "SELECT transition_id, field, value FROM write_back ORDER BY transition_id, position",
        |r| Ok((r.get::<_, String>(0)?, WriteBack { field: r.get(1)?, value: r.get(2)? })),
    )? {
        write_backs.entry(transition_id).or_default().push(wb);
    }
    let mut overrides: std::collections::BTreeMap<String, Vec<OwnerOverride>> = Default::default();
    for (transition_id, o) in collect(
        conn,
        "SELECT transition_id, facility_id, role_id FROM owner_override ORDER BY transition_id, facility_id",
        |r| Ok((r.get::<_, String>(0)?, OwnerOverride { facility_id: r.get(1)?, role_id: r.get(2)? })),
    )? {
        overrides.entry(transition_id).or_default().push(o);
    }
    let mut transitions = collect(
        conn,
        "SELECT id, version_id, from_state_id, to_state_id, event, guard, owner_role_id, timer,
                escalate_to_role_id, position, priority FROM transition ORDER BY version_id, position, id",
        |r| {
            Ok(Transition {
                id: r.get(0)?,
                version_id: r.get(1)?,
                from_state_id: r.get(2)?,
                to_state_id: r.get(3)?,
                event: r.get(4)?,
                guard: r.get(5)?,
                owner_role_id: r.get(6)?,
                timer: r.get(7)?,
                escalate_to_role_id: r.get(8)?,
                write_backs: Vec::new(),
                position: r.get(9)?,
                priority: r.get(10)?,
                overrides: Vec::new(),
            })
        },
    )?;
    for transition in &mut transitions {
        transition.write_backs = write_backs.remove(&transition.id).unwrap_or_default();
        transition.overrides = overrides.remove(&transition.id).unwrap_or_default();
    }
    let mut fields: std::collections::BTreeMap<String, Vec<EventField>> = Default::default();
    for (event, f) in
        collect(conn, "SELECT event, name, kind FROM event_field ORDER BY event, position, name", |r| {
            Ok((
                r.get::<_, String>(0)?,
                EventField {
                    name: r.get(1)?,
                    kind: parse_enum(r.get(2)?, FieldKind::parse, "event_field.kind")?,
                },
            ))
        })?
    {
        fields.entry(event).or_default().push(f);
    }
    let mut activities: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for (event, activity) in
        collect(conn, "SELECT event, activity FROM event_activity ORDER BY event, activity", |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?
    {
        activities.entry(event).or_default().push(activity);
    }
    let mut events = collect(conn, "SELECT name, description FROM event_type ORDER BY name", |r| {
        Ok(EventType { name: r.get(0)?, description: r.get(1)?, fields: Vec::new(), activities: Vec::new() })
    })?;
    for e in &mut events {
        e.fields = fields.remove(&e.name).unwrap_or_default();
        e.activities = activities.remove(&e.name).unwrap_or_default();
    }
    let mut telemetry = collect(
        conn,
        "SELECT id, name, settings, summary, imported_at FROM telemetry_import ORDER BY name",
        |r| {
            Ok(TelemetryImport {
                id: r.get(0)?,
                name: r.get(1)?,
                settings: r.get(2)?,
                summary: r.get(3)?,
                imported_at: r.get(4)?,
                groups: Vec::new(),
            })
        },
    )?;
    for t in &mut telemetry {
        t.groups = conn
            .prepare("SELECT data FROM telemetry_group WHERE import_id = ?1 ORDER BY position")?
            .query_map([&t.id], |r| r.get::<_, String>(0))?
            .map(|d| {
                d.and_then(|d| {
                    serde_json::from_str(&d).map_err(|e| {
                        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
                    })
                })
            })
            .collect::<rusqlite::Result<_>>()?;
    }
    let signoffs = collect(
        conn,
        "SELECT id, version_id, name, role, signed_on, decision, comment, content_hash, content_scheme FROM signoff
         ORDER BY signed_on, id",
        |r| {
            Ok(SignOff {
                id: r.get(0)?,
                version_id: r.get(1)?,
                name: r.get(2)?,
                role: r.get(3)?,
                signed_on: r.get(4)?,
                decision: parse_enum(r.get(5)?, Decision::parse, "signoff.decision")?,
                comment: r.get(6)?,
                content_hash: r.get(7)?,
                content_scheme: r.get(8)?,
            })
        },
    )?;
    let comments = collect(
        conn,
        "SELECT id, target_kind, target_id, author_role_id, text, created_at, resolved, author_name, parent_id
         FROM comment ORDER BY created_at, id",
        |r| {
            Ok(Comment {
                id: r.get(0)?,
                target: parse_enum(r.get(1)?, CommentTarget::parse, "comment.target_kind")?,
                target_id: r.get(2)?,
                author_role_id: r.get(3)?,
                author_name: r.get(7)?,
                parent_id: r.get(8)?,
                text: r.get(4)?,
                created_at: r.get(5)?,
                resolved: r.get(6)?,
            })
        },
    )?;
    let finding_triage = collect(
        conn,
        "SELECT id, kind, title, status, reason, decided_at FROM finding_triage ORDER BY id",
        |r| {
            Ok(FindingTriage {
                id: r.get(0)?,
                kind: r.get(1)?,
                title: r.get(2)?,
                status: parse_enum(r.get(3)?, FindingStatus::parse, "finding_triage.status")?,
                reason: r.get(4)?,
                decided_at: r.get(5)?,
            })
        },
    )?;
    let (imports, logs) = super::imports::load(conn)?;
    Ok(Model {
        project,
        facilities,
        roles,
        interviews,
        statements,
        claims,
        workflows,
        steps,
        handoffs,
        distinct_steps,
        lanes,
        business_states,
        emr_fields,
        emr_values,
        emr_value_counts,
        mappings,
        versions,
        proposed_states,
        transitions,
        events,
        comments,
        signoffs,
        telemetry,
        finding_triage,
        imports,
        logs,
    })
}

/// Writes every row of `model` (except the project row) inside `tx`. References are checked by
/// the bundle reader first; a violation here is reported as invalid input, not a crash.
pub(super) fn insert_model(tx: &Transaction<'_>, m: &Model) -> Result<()> {
    insert_model_rows(tx, m).map_err(|e| match e {
        Error::Storage(inner) => Error::invalid("model", format!("could not be stored: {inner}")),
        other => other,
    })
}

fn insert_model_rows(tx: &Transaction<'_>, m: &Model) -> Result<()> {
    for f in &m.facilities {
        tx.execute(
            "INSERT INTO facility (id, name, timezone) VALUES (?1, ?2, ?3)",
            (&f.id, &f.name, &f.timezone),
        )?;
    }
    for r in &m.roles {
        tx.execute(
            "INSERT INTO role (id, name, description) VALUES (?1, ?2, ?3)",
            (&r.id, &r.name, &r.description),
        )?;
    }
    for w in &m.workflows {
        tx.execute(
            "INSERT INTO workflow (id, name, description) VALUES (?1, ?2, ?3)",
            (&w.id, &w.name, &w.description),
        )?;
    }
    for s in &m.steps {
        tx.execute(
            "INSERT INTO step (id, workflow_id, name, kind, owner_role_id, done_means, position, x, y,
                generated, service_level, safety_critical)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            rusqlite::params![
                s.id,
                s.workflow_id,
                s.name,
                s.kind.as_str(),
                s.owner_role_id,
                s.done_means,
                s.position,
                s.manual_xy.map(|p| p.0),
                s.manual_xy.map(|p| p.1),
                s.generated,
                s.service_level,
                s.safety_critical
            ],
        )?;
    }
    for h in &m.handoffs {
        tx.execute(
            "INSERT INTO handoff (id, workflow_id, from_step_id, to_step_id, label, position, generated)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            (&h.id, &h.workflow_id, &h.from_step_id, &h.to_step_id, &h.label, h.position, h.generated),
        )?;
    }
    for d in &m.distinct_steps {
        tx.execute(
            "INSERT INTO distinct_steps (workflow_id, first_step_id, second_step_id) VALUES (?1, ?2, ?3)",
            (&d.workflow_id, &d.first_step_id, &d.second_step_id),
        )?;
    }
    for l in &m.lanes {
        tx.execute(
            "INSERT INTO lane (workflow_id, role_id, position) VALUES (?1, ?2, ?3)",
            (&l.workflow_id, &l.role_id, l.position),
        )?;
    }
    for i in &m.interviews {
        tx.execute(
            "INSERT INTO interview (id, role_id, facility_id, shift, alias, date, interviewer, notes)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            (&i.id, &i.role_id, &i.facility_id, &i.shift, &i.alias, &i.date, &i.interviewer, &i.notes),
        )?;
        for (position, workflow) in i.workflows.iter().enumerate() {
            tx.execute(
                "INSERT INTO interview_workflow (interview_id, workflow_id, position) VALUES (?1, ?2, ?3)",
                (&i.id, workflow, position as i64),
            )?;
        }
    }
    for s in &m.statements {
        tx.execute(
            "INSERT INTO statement (id, interview_id, position, step_name, step_id, performed_by,
                initiated_by, validated_by, escalates_to, done_means, next_handoff_to, workarounds,
                pain_point, typical_duration, quote, workflow_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
            rusqlite::params![
                s.id,
                s.interview_id,
                s.position,
                s.step_name,
                s.step_id,
                s.performed_by,
                s.initiated_by,
                s.validated_by,
                s.escalates_to,
                s.done_means,
                s.next_handoff_to,
                workarounds_to_text(&s.workarounds),
                s.pain_point,
                s.typical_duration,
                s.quote,
                s.workflow_id
            ],
        )?;
    }
    for c in &m.claims {
        tx.execute(
            "INSERT INTO claim (id, statement_id, role_id, kind, owns) VALUES (?1, ?2, ?3, ?4, ?5)",
            (&c.id, &c.statement_id, &c.role_id, c.kind.as_str(), c.owns),
        )?;
    }
    for s in &m.business_states {
        tx.execute(
            "INSERT INTO business_state (id, workflow_id, name, meaning, position) VALUES (?1, ?2, ?3, ?4, ?5)",
            (&s.id, &s.workflow_id, &s.name, &s.meaning, s.position),
        )?;
    }
    for f in &m.emr_fields {
        tx.execute(
            "INSERT INTO emr_field (id, name, source, description) VALUES (?1, ?2, ?3, ?4)",
            (&f.id, &f.name, &f.source, &f.description),
        )?;
    }
    for v in &m.emr_values {
        tx.execute(
            "INSERT INTO emr_value (id, field_id, value, description) VALUES (?1, ?2, ?3, ?4)",
            (&v.id, &v.field_id, &v.value, &v.description),
        )?;
    }
    for c in &m.emr_value_counts {
        tx.execute(
            "INSERT INTO emr_value_count (value_id, facility_id, count) VALUES (?1, ?2, ?3)",
            (&c.value_id, &c.facility_id, c.count),
        )?;
    }
    for map in &m.mappings {
        tx.execute(
            "INSERT INTO mapping (id, value_id, state_id, facility_id, note) VALUES (?1, ?2, ?3, ?4, ?5)",
            (&map.id, &map.value_id, &map.state_id, &map.facility_id, &map.note),
        )?;
    }
    for v in &m.versions {
        tx.execute(
            "INSERT INTO version (id, workflow_id, number, note, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            (&v.id, &v.workflow_id, v.number, &v.note, &v.created_at),
        )?;
    }
    for s in &m.proposed_states {
        tx.execute(
            "INSERT INTO proposed_state (id, version_id, name, kind, meaning, task, position)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            (&s.id, &s.version_id, &s.name, s.kind.as_str(), &s.meaning, &s.task, s.position),
        )?;
    }
    for e in &m.events {
        tx.execute("INSERT INTO event_type (name, description) VALUES (?1, ?2)", (&e.name, &e.description))?;
        for (position, f) in e.fields.iter().enumerate() {
            tx.execute(
                "INSERT INTO event_field (event, name, kind, position) VALUES (?1, ?2, ?3, ?4)",
                (&e.name, &f.name, f.kind.as_str(), position as i64),
            )?;
        }
        for a in &e.activities {
            tx.execute("INSERT INTO event_activity (event, activity) VALUES (?1, ?2)", (&e.name, a))?;
        }
    }
    for t in &m.transitions {
        tx.execute(
            "INSERT INTO transition (id, version_id, from_state_id, to_state_id, event, guard,
                owner_role_id, timer, escalate_to_role_id, position, priority)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            rusqlite::params![
                t.id,
                t.version_id,
                t.from_state_id,
                t.to_state_id,
                t.event,
                t.guard,
                t.owner_role_id,
                t.timer,
                t.escalate_to_role_id,
                t.position,
                t.priority
            ],
        )?;
        for o in &t.overrides {
            tx.execute(
                "INSERT INTO owner_override (transition_id, facility_id, role_id) VALUES (?1, ?2, ?3)",
                (&t.id, &o.facility_id, &o.role_id),
            )?;
        }
        for (position, wb) in t.write_backs.iter().enumerate() {
            tx.execute(
                "INSERT INTO write_back (transition_id, position, field, value) VALUES (?1, ?2, ?3, ?4)",
                (&t.id, position as i64, &wb.field, &wb.value),
            )?;
        }
    }
    for s in &m.signoffs {
        insert_signoff(tx, s)?;
    }
    for t in &m.telemetry {
        insert_telemetry(tx, t)?;
    }
    for c in &m.comments {
        tx.execute(
            "INSERT INTO comment (id, target_kind, target_id, author_role_id, text, created_at, resolved,
                 author_name, parent_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            (
                &c.id,
                c.target.as_str(),
                &c.target_id,
                &c.author_role_id,
                &c.text,
                &c.created_at,
                c.resolved,
                &c.author_name,
                &c.parent_id,
            ),
        )?;
    }
    for f in &m.finding_triage {
        tx.execute(
            "INSERT INTO finding_triage (id, kind, title, status, reason, decided_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            (&f.id, &f.kind, &f.title, f.status.as_str(), &f.reason, &f.decided_at),
        )?;
    }
    super::imports::insert_all(tx, &m.imports, &m.logs)
}

/// Writes one sign-off row.
pub(crate) fn insert_signoff(tx: &rusqlite::Transaction<'_>, s: &SignOff) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO signoff (id, version_id, name, role, signed_on, decision, comment, content_hash,
                              content_scheme)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        rusqlite::params![
            s.id,
            s.version_id,
            s.name,
            s.role,
            s.signed_on,
            s.decision.as_str(),
            s.comment,
            s.content_hash,
            s.content_scheme
        ],
    )?;
    Ok(())
}

/// Writes one telemetry import with its groups.
pub(crate) fn insert_telemetry(tx: &rusqlite::Transaction<'_>, t: &TelemetryImport) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO telemetry_import (id, name, settings, summary, imported_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        (&t.id, &t.name, &t.settings, &t.summary, &t.imported_at),
    )?;
    for (i, g) in t.groups.iter().enumerate() {
        let data = serde_json::to_string(g).unwrap_or_default();
        tx.execute(
            "INSERT INTO telemetry_group (import_id, position, data) VALUES (?1, ?2, ?3)",
            (&t.id, i as i64, data),
        )?;
    }
    Ok(())
}
