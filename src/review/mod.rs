//! Review packets: what a clinical lead reviews without installing anything.
//!
//! `packet` writes one self-contained HTML file for a workflow's proposed version: the
//! current-state and proposed swimlanes (the report's SVG), the version in words, the findings
//! still standing on the workflow with their evidence, and the changes from the previous version.
//! A strict Content-Security-Policy inside the file allows no network access of any kind; its one
//! script is allowed by its hash. In it the reviewer comments on steps and states, replies to the
//! consultant's comments, resolves them and signs off, then saves a `.baton-review.json` file
//! (`ReviewFile`) bound to the version's content hash. Reopening the packet and loading that file
//! restores the work.
//!
//! `Project::import_review` brings a review file into the project as one undoable edit: refused,
//! naming the changes, when the version changed since the packet was written; idempotent (the
//! reviewer's comments keep their ids, a sign-off the same words).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::design::{self, Change};
use crate::diagram::{self, NodeRef, Which};
use crate::error::{Error, Result};
use crate::layout::Orientation;
use crate::model::{CommentTarget, Decision, FindingStatus, Model, SignOff, new_id};
use crate::store::Project;

/// What a review file says it is.
pub const REVIEW_FORMAT: &str = "baton-review";
/// The review file's format version this Baton writes and reads.
pub const REVIEW_FORMAT_VERSION: u32 = 1;

/// The packet's one script and its stylesheet.
const SCRIPT: &str = include_str!("../../templates/review/review.js");
const STYLE: &str = include_str!("../../templates/review/review.css");

/// A reviewer's saved work (`NAME.baton-review.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewFile {
    pub format: String,
    pub format_version: u32,
    /// The project the packet came from.
    pub project_id: String,
    pub workflow_id: String,
    pub workflow: String,
    pub version_id: String,
    /// The version's number; `None` for a draft.
    pub version: Option<i64>,
    /// `design::content_hash_in` of the version under `content_scheme` when the packet was written.
    pub content_hash: String,
    pub content_scheme: u32,
    /// The reviewed version as baton-json, so a later change can be shown as a diff.
    pub reviewed_version: serde_json::Value,
    pub reviewer: Reviewer,
    #[serde(default)]
    pub comments: Vec<ReviewComment>,
    /// Ids of the consultant's comments the reviewer marked resolved.
    #[serde(default)]
    pub resolved: Vec<String>,
    #[serde(default)]
    pub signoff: Option<ReviewSignOff>,
    #[serde(default)]
    pub saved_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reviewer {
    pub name: String,
    #[serde(default)]
    pub role: String,
}

/// A comment the reviewer wrote in the packet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewComment {
    pub id: String,
    /// `step`, `state` or `transition`.
    pub target_kind: String,
    pub target_id: String,
    #[serde(default)]
    pub parent_id: Option<String>,
    pub author: String,
    pub text: String,
    pub created_at: String,
    #[serde(default)]
    pub resolved: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewSignOff {
    pub name: String,
    #[serde(default)]
    pub role: String,
    /// YYYY-MM-DD.
    pub signed_on: String,
    /// `approved` or `changes_requested`.
    pub decision: String,
    #[serde(default)]
    pub comment: String,
}

/// What an import brought in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct ReviewImport {
    pub reviewer: String,
    /// "Respiratory assessment, version 2".
    pub version: String,
    pub comments_added: u32,
    pub comments_resolved: u32,
    pub signed_off: bool,
}

impl ReviewImport {
    pub fn summary(&self) -> String {
        if self.comments_added == 0 && self.comments_resolved == 0 && !self.signed_off {
            return format!("the review by {} of {} is already in the project", self.reviewer, self.version);
        }
        let mut parts = vec![plural(self.comments_added, "comment", "comments") + " added"];
        if self.comments_resolved > 0 {
            parts.push(plural(self.comments_resolved, "comment", "comments") + " resolved");
        }
        if self.signed_off {
            parts.push("the sign-off recorded".into());
        }
        format!("review by {} of {}: {}", self.reviewer, self.version, parts.join(", "))
    }
}

fn plural(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn esc(text: &str) -> String {
    crate::xml::escape(text)
}

pub use crate::design::version_label;

/// The packet's file name without extension: `respiratory-assessment-v2`.
pub fn packet_stem(m: &Model, version_id: &str) -> String {
    let v = m.versions.iter().find(|v| v.id == version_id);
    let workflow = v
        .and_then(|v| m.workflows.iter().find(|w| w.id == v.workflow_id))
        .map_or("workflow", |w| w.name.as_str());
    let mut slug = String::new();
    for c in workflow.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').to_string();
    match v.and_then(|v| v.number) {
        Some(n) => format!("{slug}-v{n}"),
        None => format!("{slug}-draft"),
    }
}

/// A change between versions in words: `state “Charted by RT” added`, `transition Due → Charted
/// by RT on assessment_completed: timer “PT2H” → “PT1H”`.
pub fn change_words(c: &Change) -> String {
    match (c.change.as_str(), &c.part) {
        ("changed", Some(part)) => format!(
            "{} {}: {} “{}” → “{}”",
            c.element,
            c.subject,
            part.replace('_', " "),
            c.from.as_deref().unwrap_or(""),
            c.to.as_deref().unwrap_or("")
        ),
        (change, _) => format!("{} “{}” {change}", c.element, c.subject),
    }
}

/// A swimlane with what each drawn node stands for, for the packet's script.
fn figure(
    m: &Model,
    workflow_id: &str,
    which: Which,
    marks: &std::collections::BTreeMap<String, String>,
) -> Result<(String, Vec<serde_json::Value>)> {
    let mut d = diagram::diagram_of(m, workflow_id, which, Orientation::Horizontal)?;
    if d.geometry.width > 1_400.0 {
        d = diagram::diagram_of(m, workflow_id, which, Orientation::Vertical)?;
    }
    let nodes = d
        .geometry
        .nodes
        .iter()
        .zip(&d.node_refs)
        .zip(&d.flow.nodes)
        .filter_map(|((node, r), flow)| {
            let (kind, id) = match r {
                NodeRef::Step(id) => ("step", id),
                NodeRef::State(id) => ("state", id),
                NodeRef::Event => return None,
            };
            Some(serde_json::json!({"node": node.id, "kind": kind, "id": id, "name": flow.label}))
        })
        .collect();
    Ok((diagram::svg::render_svg_marked(&d, marks), nodes))
}

/// The review packet of `version_id` (a published version or the draft) as one HTML file.
pub fn packet(m: &Model, version_id: &str) -> Result<String> {
    let version = m
        .versions
        .iter()
        .find(|v| v.id == version_id)
        .ok_or_else(|| Error::NotFound(format!("no version with id {version_id:?} in this project")))?;
    let workflow =
        m.workflows.iter().find(|w| w.id == version.workflow_id).ok_or_else(|| {
            Error::NotFound(format!("no workflow {:?} in this project", version.workflow_id))
        })?;
    let role =
        |id: &str| m.roles.iter().find(|r| r.id == id).map_or_else(|| id.to_string(), |r| r.name.clone());
    let facility = |id: &str| {
        m.facilities.iter().find(|f| f.id == id).map_or_else(|| id.to_string(), |f| f.name.clone())
    };
    let label = version_label(m, version_id);
    let which = version.number.map_or(Which::Draft, Which::Version);
    let previous = version.number.and_then(|n| {
        m.versions
            .iter()
            .filter(|v| v.workflow_id == workflow.id && v.number.is_some_and(|p| p < n))
            .max_by_key(|v| v.number)
    });
    let previous = previous.or_else(|| {
        // A draft is compared with the latest published version.
        if version.number.is_none() {
            m.versions
                .iter()
                .filter(|v| v.workflow_id == workflow.id && v.number.is_some())
                .max_by_key(|v| v.number)
        } else {
            None
        }
    });
    let changes: Vec<Change> = previous.map(|p| design::diff(m, &p.id, version_id)).unwrap_or_default();
    let (marks, _) = design::marks_of(&changes);
    let has_steps = m.steps.iter().any(|s| s.workflow_id == workflow.id);
    let current = if has_steps {
        Some(figure(m, &workflow.id, Which::CurrentState, &Default::default())?)
    } else {
        None
    };
    let proposed = figure(m, &workflow.id, which, &marks)?;

    // The version in words.
    let mut states: Vec<&crate::model::ProposedState> =
        m.proposed_states.iter().filter(|s| s.version_id == version_id).collect();
    states.sort_by_key(|s| s.position);
    let state_name =
        |id: &str| states.iter().find(|s| s.id == id).map_or(id, |s| s.name.as_str()).to_string();
    let mut transitions: Vec<&crate::model::Transition> =
        m.transitions.iter().filter(|t| t.version_id == version_id).collect();
    transitions.sort_by_key(|t| t.position);
    let mut body = String::new();
    let mut push = |s: String| body.push_str(&s);
    push(
        "<section id=\"states\"><h2>States</h2><p class=\"hint\">Click a state (here or in the diagram) to comment on it.</p>\
         <table><thead><tr><th>State</th><th>Kind</th><th>What it means</th><th>Task it opens</th></tr></thead><tbody>"
            .to_string(),
    );
    for s in &states {
        push(format!(
            "<tr class=\"target\" data-kind=\"state\" data-id=\"{}\" tabindex=\"0\"><td><strong>{}</strong></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&s.id),
            esc(&s.name),
            esc(s.kind.as_str()),
            esc(&s.meaning),
            esc(if crate::model::task::opens_task(m, &s.id) { crate::model::task::title(s) } else { "" })
        ));
    }
    push("</tbody></table></section>".into());
    push(
        "<section id=\"transitions\"><h2>Transitions</h2><table><thead><tr><th>From → to</th><th>On event</th>\
         <th>Owner</th><th>Timer</th><th>Writes to the EMR</th></tr></thead><tbody>"
            .into(),
    );
    for t in &transitions {
        let mut owner = t.owner_role_id.as_deref().map(role).unwrap_or_else(|| "—".into());
        for o in &t.overrides {
            owner.push_str(&format!("; at {}: {}", facility(&o.facility_id), role(&o.role_id)));
        }
        let timer = if t.timer.trim().is_empty() {
            "—".to_string()
        } else {
            let after = crate::design::timer::parse_duration(&t.timer)
                .map_or_else(|| t.timer.clone(), crate::design::timer::for_people);
            match &t.escalate_to_role_id {
                Some(r) => format!("after {after}, escalates to {}", role(r)),
                None => format!("after {after}"),
            }
        };
        let writes: Vec<String> =
            t.write_backs.iter().map(|w| format!("{} = “{}”", w.field, w.value)).collect();
        let guard = if t.guard.trim().is_empty() {
            String::new()
        } else {
            format!(" <span class=\"guard\">when {}</span>", esc(&t.guard))
        };
        push(format!(
            "<tr class=\"target\" data-kind=\"transition\" data-id=\"{}\" tabindex=\"0\"><td>{} → {}</td><td><code>{}</code>{guard}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&t.id),
            esc(&state_name(&t.from_state_id)),
            esc(&state_name(&t.to_state_id)),
            esc(&t.event),
            esc(&owner),
            esc(&timer),
            esc(&if writes.is_empty() { "—".to_string() } else { writes.join("; ") }),
        ));
    }
    push("</tbody></table></section>".into());

    // Changes from the previous version.
    if let Some(p) = previous {
        push(format!("<section id=\"changes\"><h2>Changes from {}</h2>", esc(&version_label(m, &p.id))));
        if changes.is_empty() {
            push("<p>No change to states or transitions.</p>".into());
        } else {
            push("<ul>".into());
            for c in &changes {
                push(format!("<li>{}</li>", esc(&change_words(c))));
            }
            push("</ul>".into());
        }
        push("</section>".into());
    }

    // Findings still standing on the workflow.
    let findings = crate::findings::analyze(m, &Default::default(), &crate::progress::Progress::none())?;
    let standing: Vec<&crate::findings::Finding> = findings
        .iter()
        .filter(|f| {
            f.status != FindingStatus::Dismissed && crate::findings::about_workflow(m, f, &workflow.id)
        })
        .collect();
    push(format!("<section id=\"findings\"><h2>Open findings on {}</h2>", esc(&workflow.name)));
    if standing.is_empty() {
        push("<p>None: every finding on this workflow was dismissed or never arose.</p>".into());
    }
    for f in &standing {
        push(format!(
            "<article class=\"finding\"><h3><span class=\"sev {}\">{}</span> {}</h3><p class=\"kind\">{}{}</p><ul>",
            f.severity.as_str(),
            f.severity.as_str(),
            esc(&f.title),
            esc(f.kind.label()),
            if f.status == FindingStatus::Accepted { " · accepted by the consultant" } else { "" }
        ));
        for e in &f.evidence {
            push(format!("<li>{}</li>", esc(&e.text)));
        }
        push(format!(
            "</ul><p class=\"rec\"><strong>Recommendation:</strong> {}</p></article>",
            esc(&f.recommendation)
        ));
    }
    push("</section>".into());

    // What the script needs: targets, the consultant's comments, the version itself.
    let mut targets: Vec<serde_json::Value> = Vec::new();
    let mut steps: Vec<&crate::model::Step> =
        m.steps.iter().filter(|s| s.workflow_id == workflow.id).collect();
    steps.sort_by_key(|s| s.position);
    for s in &steps {
        targets.push(serde_json::json!({"kind": "step", "id": s.id, "name": s.name}));
    }
    for s in &states {
        targets.push(serde_json::json!({"kind": "state", "id": s.id, "name": s.name}));
    }
    for t in &transitions {
        targets.push(serde_json::json!({"kind": "transition", "id": t.id,
            "name": format!("{} → {} on {}", state_name(&t.from_state_id), state_name(&t.to_state_id), t.event)}));
    }
    let known: BTreeSet<(&str, &str)> =
        targets.iter().filter_map(|t| Some((t["kind"].as_str()?, t["id"].as_str()?))).collect();
    let comments: Vec<serde_json::Value> = m
        .comments
        .iter()
        .filter(|c| known.contains(&(c.target.as_str(), c.target_id.as_str())))
        .map(|c| {
            let author = match (&c.author_name, c.author_role_id.as_deref().map(role)) {
                (n, Some(r)) if !n.is_empty() => format!("{n} ({r})"),
                (n, None) if !n.is_empty() => n.clone(),
                (_, Some(r)) => r,
                _ => "Consultant".to_string(),
            };
            serde_json::json!({"id": c.id, "target_kind": c.target.as_str(), "target_id": c.target_id,
                "parent_id": c.parent_id, "author": author, "text": c.text, "created_at": c.created_at,
                "resolved": c.resolved})
        })
        .collect();
    let baton_json = crate::export::export(m, version_id, crate::export::Format::BatonJson)?;
    let reviewed: serde_json::Value =
        serde_json::from_str(&baton_json).map_err(|e| Error::invalid("export", e.to_string()))?;
    let phi: Vec<serde_json::Value> = crate::phi::js_patterns()
        .into_iter()
        .map(|(kind, source, flags)| serde_json::json!({"kind": kind, "source": source, "flags": flags}))
        .collect();
    let data = serde_json::json!({
        "format": "baton-review-packet",
        "project_id": m.project.as_ref().map(|p| p.id.clone()).unwrap_or_default(),
        "workflow_id": workflow.id,
        "workflow": workflow.name,
        "version_id": version_id,
        "version": version.number,
        "label": label,
        "stem": packet_stem(m, version_id),
        "content_hash": design::content_hash(m, version_id),
        "content_scheme": crate::model::CONTENT_SCHEME,
        "reviewed_version": reviewed,
        "targets": targets,
        "current_nodes": current.as_ref().map(|c| c.1.clone()).unwrap_or_default(),
        "proposed_nodes": proposed.1,
        "comments": comments,
        "phi": phi,
    });
    // Inside <script>, "</" would end the element: JSON allows "\u003c" for "<".
    let data = data.to_string().replace('<', "\\u003c");

    let project = m.project.clone().unwrap_or_default();
    let script_hash = {
        use sha2::Digest as _;
        base64(&sha2::Sha256::digest(SCRIPT.as_bytes()))
    };
    let csp = format!(
        "default-src 'none'; script-src 'sha256-{script_hash}'; style-src 'unsafe-inline'; img-src data:; \
         font-src 'none'; connect-src 'none'; media-src 'none'; object-src 'none'; frame-src 'none'; \
         worker-src 'none'; manifest-src 'none'; form-action 'none'; base-uri 'none'"
    );
    let mut html = String::new();
    html.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Review: {}</title>\n<style>{STYLE}</style></head><body>\n",
        esc(&label)
    ));
    html.push_str(&format!(
        "<header><div><h1>Review: {}</h1><p class=\"sub\">{}{}. Written by Baton for review; this file works offline and sends nothing anywhere.</p></div>\
         <div class=\"reviewer\"><label>Your name <input id=\"reviewer-name\" autocomplete=\"name\"></label>\
         <label>Your role <input id=\"reviewer-role\" placeholder=\"e.g. Medical director\"></label>\
         <p class=\"phi\" id=\"reviewer-phi\" role=\"alert\" hidden></p></div>\
         <div class=\"actions\"><button id=\"save\" type=\"button\">Save review</button>\
         <label class=\"button\">Load review… <input id=\"load\" type=\"file\" accept=\".json,application/json\"></label>\
         <p id=\"status\" role=\"status\"></p></div></header>\n<main><div class=\"content\">",
        esc(&label),
        esc(&project.name),
        if project.client.is_empty() { String::new() } else { format!(" for {}", esc(&project.client)) }
    ));
    html.push_str(
        "<section id=\"how\"><h2>How to review</h2><ol><li>Enter your name and role above.</li>\
         <li>Click a step, a state or a transition to read and add comments; reply to the consultant's comments or mark them resolved.</li>\
         <li>Sign off at the end: approve, or request changes saying which.</li>\
         <li>Press <strong>Save review</strong> and send the saved file back. To continue another day, open this file again and use <strong>Load review…</strong>.</li></ol>\
         <p class=\"hint\">Do not type anything that identifies a patient: the packet warns when text looks like it does.</p></section>",
    );
    if let Some((svg, _)) = &current {
        html.push_str(&format!(
            "<section id=\"current\"><h2>Today: the current state</h2><p class=\"hint\">The flow as the frontline roles described it, one lane per role. Click a step to comment on it.</p><div class=\"figure\" data-figure=\"current\">{svg}</div></section>"
        ));
    }
    html.push_str(&format!(
        "<section id=\"proposed\"><h2>Proposed: {}</h2><p class=\"hint\">Each task sits in the lane of the role that owns it{}. Click a state to comment on it.</p><div class=\"figure\" data-figure=\"proposed\">{}</div></section>",
        esc(&label),
        if changes.is_empty() { "" } else { "; what changed since the previous version is outlined" },
        proposed.0
    ));
    html.push_str(&body);
    if version.number.is_some() {
        html.push_str(
            "<section id=\"signoff\"><h2>Sign-off</h2><form id=\"signoff-form\"><fieldset><legend>Your decision</legend>\
             <label><input type=\"radio\" name=\"decision\" value=\"approved\"> Approve this version</label>\
             <label><input type=\"radio\" name=\"decision\" value=\"changes_requested\"> Request changes</label></fieldset>\
             <label>Date <input type=\"date\" id=\"signoff-date\"></label>\
             <label>Comment <textarea id=\"signoff-comment\" rows=\"3\" placeholder=\"Required when you request changes\"></textarea></label>\
             <p class=\"phi\" id=\"signoff-phi\" role=\"alert\" hidden></p>\
             <button type=\"submit\">Sign off</button><p id=\"signoff-state\" role=\"status\"></p></form></section>",
        );
    } else {
        html.push_str(
            "<section id=\"signoff\"><h2>Sign-off</h2><p>This is a draft: comment on it now; it can be signed off once the consultant publishes it.</p></section>",
        );
    }
    html.push_str(&format!(
        "</div><aside id=\"panel\" aria-live=\"polite\"><h2 id=\"panel-title\">Comments</h2><p id=\"panel-hint\" class=\"hint\">Click a step, state or transition to see and add comments.</p>\
         <div id=\"thread\"></div><form id=\"comment-form\" hidden><label for=\"comment-text\" id=\"comment-label\">Your comment</label>\
         <textarea id=\"comment-text\" rows=\"4\"></textarea><p class=\"phi\" id=\"comment-phi\" role=\"alert\" hidden></p>\
         <div class=\"row\"><button type=\"submit\">Add comment</button><button type=\"button\" id=\"comment-cancel\" hidden>Cancel reply</button></div></form></aside></main>\n\
         <footer>{} · content {}</footer>\n\
         <script type=\"application/json\" id=\"packet-data\">{data}</script>\n<script>{SCRIPT}</script>\n</body></html>\n",
        esc(&label),
        &design::content_hash(m, version_id)[..12]
    ));
    Ok(html)
}

/// Standard base64 with padding (for the script's hash in the Content-Security-Policy).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Reads a review file, refusing anything that is not one.
pub fn read_review(text: &str, file: &str) -> Result<ReviewFile> {
    let probe: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        Error::input(
            file,
            format!("line {}", e.line()),
            format!("not a review file saved from a Baton review packet: {e}"),
        )
    })?;
    if probe.get("format").and_then(|f| f.as_str()) != Some(REVIEW_FORMAT) {
        return Err(Error::input(
            file,
            "format",
            "not a review file saved from a Baton review packet (its \"format\" is not \"baton-review\"): save the review from the packet with Save review",
        ));
    }
    let version = probe.get("format_version").and_then(|v| v.as_u64()).unwrap_or(0);
    if version != u64::from(REVIEW_FORMAT_VERSION) {
        return Err(Error::input(
            file,
            "format_version",
            format!(
                "review file version {version}; this Baton reads version {REVIEW_FORMAT_VERSION}: update Baton"
            ),
        ));
    }
    let review: ReviewFile = serde_json::from_value(probe)
        .map_err(|e| Error::input(file, "review", format!("the review file is damaged: {e}")))?;
    if review.reviewer.name.trim().is_empty() {
        return Err(Error::input(
            file,
            "reviewer.name",
            "the review does not name its reviewer: enter your name in the packet and save again",
        ));
    }
    Ok(review)
}

impl Project {
    /// Brings a review into the project as one undoable edit recorded in the audit trail under
    /// the reviewer's name. Refused, with the changes, when the version changed since the packet
    /// was written; importing the same review again adds nothing.
    pub fn import_review(&mut self, review: &ReviewFile, file: &str) -> Result<ReviewImport> {
        let m = self.model()?;
        let project_id = m.project.as_ref().map(|p| p.id.clone()).unwrap_or_default();
        if !review.project_id.is_empty() && review.project_id != project_id {
            return Err(Error::input(
                file,
                "project_id",
                format!(
                    "this is a review of {} of “{}” in another project: import it into the project the packet was written from",
                    review.version.map_or("the draft".to_string(), |n| format!("version {n}")),
                    review.workflow
                ),
            ));
        }
        let version = m
            .versions
            .iter()
            .find(|v| v.id == review.version_id && v.workflow_id == review.workflow_id)
            .ok_or_else(|| {
                Error::input(
                    file,
                    "version_id",
                    format!("this project no longer has the reviewed version of “{}”: was it written from another copy of the project?", review.workflow),
                )
            })?;
        let label = version_label(&m, &version.id);
        let now = design::signoff::content_hash_in(&m, &version.id, review.content_scheme);
        if now != review.content_hash {
            let changes = reviewed_changes(&m, review, file)?;
            let list = if changes.is_empty() {
                "its content differs from the reviewed one".to_string()
            } else {
                changes.iter().map(change_words).collect::<Vec<_>>().join("; ")
            };
            return Err(Error::input(
                file,
                "content_hash",
                format!(
                    "{label} has changed since the packet was written ({list}): send a new packet for review"
                ),
            ));
        }
        // Every comment must pin to this workflow's steps, the version's states or transitions.
        let mut targets: BTreeSet<(&str, &str)> = BTreeSet::new();
        for s in m.steps.iter().filter(|s| s.workflow_id == version.workflow_id) {
            targets.insert(("step", &s.id));
        }
        for s in m.proposed_states.iter().filter(|s| s.version_id == version.id) {
            targets.insert(("state", &s.id));
        }
        for t in m.transitions.iter().filter(|t| t.version_id == version.id) {
            targets.insert(("transition", &t.id));
        }
        let ids: BTreeSet<&str> = m
            .comments
            .iter()
            .map(|c| c.id.as_str())
            .chain(review.comments.iter().map(|c| c.id.as_str()))
            .collect();
        for (i, c) in review.comments.iter().enumerate() {
            if !targets.contains(&(c.target_kind.as_str(), c.target_id.as_str())) {
                return Err(Error::input(
                    file,
                    format!("comments[{i}].target_id"),
                    format!("{} {:?} is not in {label}", c.target_kind, c.target_id),
                ));
            }
            if c.text.trim().is_empty() {
                return Err(Error::input(file, format!("comments[{i}].text"), "a comment has no text"));
            }
            if let Some(p) = &c.parent_id
                && !ids.contains(p.as_str())
            {
                return Err(Error::input(
                    file,
                    format!("comments[{i}].parent_id"),
                    format!("no comment {p:?} to reply to"),
                ));
            }
        }
        for (i, id) in review.resolved.iter().enumerate() {
            if !m.comments.iter().any(|c| &c.id == id) && !review.comments.iter().any(|c| &c.id == id) {
                return Err(Error::input(
                    file,
                    format!("resolved[{i}]"),
                    format!("no comment {id:?} in this project"),
                ));
            }
        }
        let signoff = match &review.signoff {
            None => None,
            Some(s) => {
                if version.number.is_none() {
                    return Err(Error::input(
                        file,
                        "signoff",
                        "a draft cannot be signed off: the consultant publishes it first",
                    ));
                }
                let decision = Decision::parse(&s.decision).ok_or_else(|| {
                    Error::input(
                        file,
                        "signoff.decision",
                        format!("{:?} is not approved or changes_requested", s.decision),
                    )
                })?;
                if s.signed_on.parse::<jiff::civil::Date>().is_err() {
                    return Err(Error::input(
                        file,
                        "signoff.signed_on",
                        format!("{:?} is not a date like 2026-11-24", s.signed_on),
                    ));
                }
                if decision == Decision::ChangesRequested && s.comment.trim().is_empty() {
                    return Err(Error::input(
                        file,
                        "signoff.comment",
                        "a request for changes says which changes",
                    ));
                }
                let name = if s.name.trim().is_empty() { review.reviewer.name.trim() } else { s.name.trim() };
                let exists = m.signoffs.iter().any(|x| {
                    x.version_id == version.id
                        && x.name == name
                        && x.signed_on == s.signed_on
                        && x.decision == decision
                        && x.comment == s.comment.trim()
                });
                (!exists).then(|| SignOff {
                    id: new_id(),
                    version_id: version.id.clone(),
                    name: name.to_string(),
                    role: s.role.trim().to_string(),
                    signed_on: s.signed_on.clone(),
                    decision,
                    comment: s.comment.trim().to_string(),
                    content_hash: review.content_hash.clone(),
                    content_scheme: review.content_scheme,
                })
            }
        };
        let new_comments: Vec<&ReviewComment> =
            review.comments.iter().filter(|c| !m.comments.iter().any(|x| x.id == c.id)).collect();
        let to_resolve: Vec<&String> = review
            .resolved
            .iter()
            .filter(|id| m.comments.iter().any(|c| &c.id == *id && !c.resolved))
            .collect();
        let outcome = ReviewImport {
            reviewer: review.reviewer.name.trim().to_string(),
            version: label.clone(),
            comments_added: new_comments.len() as u32,
            comments_resolved: to_resolve.len() as u32,
            signed_off: signoff.is_some(),
        };
        if new_comments.is_empty() && to_resolve.is_empty() && signoff.is_none() {
            return Ok(outcome);
        }
        let reviewer = review.reviewer.name.trim().to_string();
        self.edit(&format!("Import review by {reviewer}"), |tx| {
            for c in &new_comments {
                let target = CommentTarget::parse(&c.target_kind).unwrap_or(CommentTarget::Step);
                tx.execute(
                    "INSERT INTO comment (id, target_kind, target_id, author_role_id, text, created_at, resolved,
                         author_name, parent_id)
                     VALUES (?1, ?2, ?3, NULL, ?4, ?5, ?6, ?7, ?8)",
                    (
                        &c.id,
                        target.as_str(),
                        &c.target_id,
                        c.text.trim(),
                        &c.created_at,
                        c.resolved,
                        c.author.trim(),
                        &c.parent_id,
                    ),
                )?;
            }
            for id in &to_resolve {
                tx.execute("UPDATE comment SET resolved = 1 WHERE id = ?1", [id])?;
            }
            if let Some(s) = &signoff {
                crate::store::rows::insert_signoff(tx, s)?;
            }
            let who = if review.reviewer.role.trim().is_empty() {
                reviewer.clone()
            } else {
                format!("{reviewer} ({})", review.reviewer.role.trim())
            };
            crate::store::audit::record_in(tx, "review import", &format!("{who}: {}", outcome.summary()))?;
            Ok(())
        })?;
        Ok(outcome)
    }
}

/// The changes from the reviewed version (as the review file carries it) to the version now.
fn reviewed_changes(m: &Model, review: &ReviewFile, file: &str) -> Result<Vec<Change>> {
    let text = review.reviewed_version.to_string();
    let reviewed_id = format!("reviewed-{}", new_id());
    let (_, states, transitions) = crate::export::import_baton_json(&text, file, &reviewed_id)?;
    let mut copy = m.clone();
    copy.versions.push(crate::model::Version {
        id: reviewed_id.clone(),
        workflow_id: review.workflow_id.clone(),
        number: None,
        note: String::new(),
        created_at: String::new(),
    });
    copy.proposed_states.extend(states);
    copy.transitions.extend(transitions);
    Ok(design::diff(&copy, &reviewed_id, &review.version_id))
}

/// The largest review file read: far above any real review (comments are text), far below
/// what would strain memory.
pub const MAX_REVIEW_BYTES: u64 = 16 << 20;

/// Writes the packet of `version_id` to `out` (whole or not at all) and records it in the audit
/// trail.
pub fn write_packet(project: &mut Project, version_id: &str, out: &std::path::Path) -> Result<()> {
    let m = project.model()?;
    let html = packet(&m, version_id)?;
    crate::store::write_atomically(out, html.as_bytes())?;
    project.record("review packet", &format!("{} ({})", out.display(), version_label(&m, version_id)))
}

/// Reads the review file at `path` (at most `MAX_REVIEW_BYTES`) and imports it.
pub fn import_review_file(project: &mut Project, path: &std::path::Path) -> Result<ReviewImport> {
    use std::io::Read as _;
    let label = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut bytes = Vec::new();
    file.take(MAX_REVIEW_BYTES + 1).read_to_end(&mut bytes).map_err(|e| Error::io(path, e))?;
    if bytes.len() as u64 > MAX_REVIEW_BYTES {
        return Err(Error::input(
            &label,
            "size",
            format!(
                "the file is larger than {} MiB, far more than any review: it is not a review file",
                MAX_REVIEW_BYTES >> 20
            ),
        ));
    }
    let text = String::from_utf8(bytes).map_err(|_| {
        Error::input(
            &label,
            "encoding",
            "not a review file saved from a Baton review packet (not UTF-8 text)",
        )
    })?;
    let review = read_review(&text, &label)?;
    project.import_review(&review, &label)
}
