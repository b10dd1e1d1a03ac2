//! Sign-offs: a clinical lead's decision on a published version, bound to a hash of the version's
//! content (states and transitions by name, as `diff` compares them), so that a version whose
//! content changed afterwards (by hand in a bundle, say) shows its sign-off as broken.
//!
//! What the content is has grown: a sign-off records the scheme its hash covers, and is checked
//! against the version's content under that scheme, so one given before keeps validating.
//! - 1: states (name, kind, meaning) and transitions.
//! - 2: scheme 1 and each state's task name.

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::model::{Decision, Model, SignOff, new_id};
use crate::store::Project;

pub use crate::model::CONTENT_SCHEME;

/// The SHA-256 (hex) of a version's content under the newest scheme.
pub fn content_hash(m: &Model, version_id: &str) -> String {
    content_hash_in(m, version_id, CONTENT_SCHEME)
}

/// The SHA-256 (hex) of a version's content under `scheme`: its states (name, kind, meaning, and
/// from scheme 2 task) and transitions (states by name, event, guard, owners, timer, escalation,
/// write-backs, priority), in order.
pub fn content_hash_in(m: &Model, version_id: &str, scheme: u32) -> String {
    let mut states: Vec<&crate::model::ProposedState> =
        m.proposed_states.iter().filter(|s| s.version_id == version_id).collect();
    states.sort_by_key(|s| s.position);
    let name = |id: &str| m.proposed_states.iter().find(|s| s.id == id).map_or("", |s| s.name.as_str());
    let mut transitions: Vec<&crate::model::Transition> =
        m.transitions.iter().filter(|t| t.version_id == version_id).collect();
    transitions.sort_by_key(|t| t.position);
    let content = serde_json::json!({
        "states": states.iter().map(|s| {
            let mut state = vec![s.name.as_str(), s.kind.as_str(), s.meaning.as_str()];
            if scheme >= 2 {
                state.push(s.task.as_str());
            }
            state
        }).collect::<Vec<_>>(),
        "transitions": transitions.iter().map(|t| serde_json::json!([
            name(&t.from_state_id), name(&t.to_state_id), t.event, t.guard, t.owner_role_id,
            t.overrides.iter().map(|o| [o.facility_id.as_str(), o.role_id.as_str()]).collect::<Vec<_>>(),
            t.timer, t.escalate_to_role_id,
            t.write_backs.iter().map(|w| [w.field.as_str(), w.value.as_str()]).collect::<Vec<_>>(),
            t.priority,
        ])).collect::<Vec<_>>(),
    });
    let mut h = Sha256::new();
    h.update(content.to_string().as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// A sign-off with whether the version still has the content that was signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct SignOffStatus {
    pub id: String,
    /// The signed version's id (not in JSON: `version` names it).
    #[serde(skip)]
    pub version_id: String,
    /// "1" for version 1.
    pub version: String,
    pub name: String,
    pub role: String,
    pub signed_on: String,
    pub decision: Decision,
    pub comment: String,
    /// False when the version changed after it was signed.
    pub intact: bool,
}

/// The sign-offs of a workflow's versions, by version then date.
pub fn signoffs(m: &Model, workflow_id: &str) -> Vec<SignOffStatus> {
    let mut out: Vec<(i64, SignOffStatus)> = m
        .signoffs
        .iter()
        .filter_map(|s| {
            let v = m.versions.iter().find(|v| v.id == s.version_id && v.workflow_id == workflow_id)?;
            let n = v.number.unwrap_or(0);
            Some((
                n,
                SignOffStatus {
                    id: s.id.clone(),
                    version_id: s.version_id.clone(),
                    version: n.to_string(),
                    name: s.name.clone(),
                    role: s.role.clone(),
                    signed_on: s.signed_on.clone(),
                    decision: s.decision,
                    comment: s.comment.clone(),
                    intact: content_hash_in(m, &s.version_id, s.content_scheme) == s.content_hash,
                },
            ))
        })
        .collect();
    out.sort_by(|a, b| (a.0, &a.1.signed_on, &a.1.id).cmp(&(b.0, &b.1.signed_on, &b.1.id)));
    out.into_iter().map(|(_, s)| s).collect()
}

impl Project {
    /// Records a sign-off of a published version; `signed_on` is YYYY-MM-DD (today without it).
    pub fn sign_off(
        &mut self,
        version_id: &str,
        name: &str,
        role: &str,
        signed_on: Option<&str>,
        decision: Decision,
        comment: &str,
    ) -> Result<String> {
        let name = name.trim();
        if name.is_empty() {
            return Err(Error::invalid("name", "a sign-off needs the name of who signs"));
        }
        let m = self.model()?;
        let version =
            m.versions.iter().find(|v| v.id == version_id).ok_or_else(|| {
                Error::NotFound(format!("no version with id {version_id:?} in this project"))
            })?;
        if version.number.is_none() {
            return Err(Error::invalid("version", "a draft cannot be signed off: publish it first"));
        }
        let date = match signed_on.map(str::trim).filter(|d| !d.is_empty()) {
            Some(d) => {
                d.parse::<jiff::civil::Date>()
                    .map_err(|_| Error::invalid("date", format!("{d:?} is not a date like 2026-11-24")))?;
                d.to_string()
            }
            None => crate::clock::now_rfc3339().chars().take(10).collect(),
        };
        if decision == Decision::ChangesRequested && comment.trim().is_empty() {
            return Err(Error::invalid("comment", "say which changes are requested"));
        }
        let signoff = SignOff {
            id: new_id(),
            version_id: version_id.to_string(),
            name: name.to_string(),
            role: role.trim().to_string(),
            signed_on: date,
            decision,
            comment: comment.trim().to_string(),
            content_hash: content_hash(&m, version_id),
            content_scheme: CONTENT_SCHEME,
        };
        self.edit(&format!("Sign off by {name}"), |tx| {
            crate::store::rows::insert_signoff(tx, &signoff)?;
            Ok(signoff.id.clone())
        })
    }
}
