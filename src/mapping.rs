//! The mapping matrix: EMR status values × business states × facility.
//!
//! A mapping says what an EMR value means as a business state, at every facility (`facility_id`
//! `None`) or at one. Business states are the workflows' states; the interviews' "done means"
//! phrases are offered as candidates for new ones. For a value without a mapping the matrix
//! suggests the state whose name (and meaning) is most like the value's; the consultant confirms.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::{BusinessState, EmrValue, Model, Named, new_id};
use crate::store::Project;
use crate::store::edit::must_exist;

/// Suggestions below this similarity are not shown.
pub const SUGGESTION_THRESHOLD: f64 = 0.6;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct MappingMatrix {
    /// By name.
    pub facilities: Vec<Named>,
    /// By workflow name, then position.
    pub states: Vec<StateColumn>,
    /// By field name.
    pub fields: Vec<FieldRows>,
    /// Interview "done means" phrases whose step has no state of that meaning yet, by workflow
    /// then step.
    pub candidates: Vec<StateCandidate>,
    /// Values in the project, values listed (after a filter), and values mapped nowhere.
    pub values_total: usize,
    pub values_shown: usize,
    pub values_unmapped: usize,
}

/// What the mapping matrix lists: values whose field, value or description holds every word of
/// `search` (any case), and with `unmapped_only` only values mapped nowhere yet.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct MatrixFilter {
    #[serde(default)]
    pub search: String,
    #[serde(default)]
    pub unmapped_only: bool,
}

impl MappingMatrix {
    /// The matrix with only the values `filter` lets through (fields left empty are dropped).
    pub fn filtered(mut self, filter: &MatrixFilter) -> MappingMatrix {
        let words: Vec<String> = filter.search.split_whitespace().map(str::to_lowercase).collect();
        for field in &mut self.fields {
            let field_text = format!("{}\n{}", field.name, field.source).to_lowercase();
            field.values.retain(|v| {
                let text = format!("{field_text}\n{}\n{}", v.value, v.description).to_lowercase();
                (!filter.unmapped_only || v.cells.is_empty())
                    && words.iter().all(|w| text.contains(w.as_str()))
            });
        }
        self.fields.retain(|f| !f.values.is_empty());
        self.values_shown = self.fields.iter().map(|f| f.values.len()).sum();
        self
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct StateColumn {
    pub id: String,
    pub workflow_id: String,
    pub workflow: String,
    pub name: String,
    pub meaning: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct FieldRows {
    pub id: String,
    pub name: String,
    pub source: String,
    /// By value.
    pub values: Vec<ValueRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct ValueRow {
    pub id: String,
    pub value: String,
    pub description: String,
    /// Count per facility id (facilities without a count are absent).
    pub counts: BTreeMap<String, i64>,
    pub total: i64,
    /// The mappings of this value: the one for every facility first, then by facility name.
    pub cells: Vec<Cell>,
    /// The most similar state, for a value with no mapping.
    pub suggestion: Option<Suggestion>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct Cell {
    pub mapping_id: String,
    /// `None`: at every facility.
    pub facility_id: Option<String>,
    pub state_id: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct Suggestion {
    pub state_id: String,
    /// 0 to 1.
    pub score: f64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct StateCandidate {
    pub workflow_id: String,
    pub workflow: String,
    pub step: String,
    pub done_means: String,
    /// The interviews (aliases) that said it.
    pub said_by: Vec<String>,
}

const STOP_WORDS: &[&str] =
    &["the", "by", "has", "and", "of", "to", "in", "on", "for", "is", "an", "at", "not", "yet", "with", "or"];

/// Lower case words of letters and digits, stemmed, without stop words.
fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 1 && !STOP_WORDS.contains(w))
        .map(stem)
        .collect()
}

/// A crude English stem, enough to match "charted" with "charting" and "orders" with "order".
fn stem(word: &str) -> String {
    for suffix in ["ing", "ed", "es", "s"] {
        if let Some(base) = word.strip_suffix(suffix)
            && base.len() >= 3
        {
            return base.to_string();
        }
    }
    word.to_string()
}

/// The share of `part`'s words found in `whole`.
fn coverage(part: &[String], whole: &[String]) -> f64 {
    if part.is_empty() {
        return 0.0;
    }
    part.iter().filter(|w| whole.contains(w)).count() as f64 / part.len() as f64
}

/// How alike an EMR value is to a business state, from 0 to 1: the best of the names' edit
/// similarity, the share of the state name's words in the value and its description, and (a
/// little weaker) the share of the value's words in the state's name and meaning.
pub fn similarity(value: &EmrValue, state: &BusinessState) -> f64 {
    let names = strsim::normalized_levenshtein(&value.value.to_lowercase(), &state.name.to_lowercase());
    let value_words = words(&format!("{} {}", value.value, value.description));
    let state_name = words(&state.name);
    let state_words = words(&format!("{} {}", state.name, state.meaning));
    names.max(coverage(&state_name, &value_words)).max(0.8 * coverage(&words(&value.value), &state_words))
}

/// The matrix of a model.
pub fn matrix(m: &Model) -> MappingMatrix {
    let mut facilities: Vec<Named> =
        m.facilities.iter().map(|f| Named { id: f.id.clone(), name: f.name.clone() }).collect();
    facilities.sort_by(|a, b| a.name.cmp(&b.name));
    let facility_rank = |id: &Option<String>| match id {
        None => 0,
        Some(id) => 1 + facilities.iter().position(|f| &f.id == id).unwrap_or(facilities.len()),
    };
    let workflow_name =
        |id: &str| m.workflows.iter().find(|w| w.id == id).map_or("", |w| &w.name).to_string();
    let mut states: Vec<(String, i64, StateColumn)> = m
        .business_states
        .iter()
        .map(|s| {
            let workflow = workflow_name(&s.workflow_id);
            (
                workflow.clone(),
                s.position,
                StateColumn {
                    id: s.id.clone(),
                    workflow_id: s.workflow_id.clone(),
                    workflow,
                    name: s.name.clone(),
                    meaning: s.meaning.clone(),
                },
            )
        })
        .collect();
    states.sort_by(|a, b| (&a.0, a.1, &a.2.name).cmp(&(&b.0, b.1, &b.2.name)));
    let states: Vec<StateColumn> = states.into_iter().map(|s| s.2).collect();

    let mut fields: Vec<FieldRows> = m
        .emr_fields
        .iter()
        .map(|f| {
            let mut values: Vec<ValueRow> = m
                .emr_values
                .iter()
                .filter(|v| v.field_id == f.id)
                .map(|v| value_row(m, v, &facility_rank))
                .collect();
            values.sort_by(|a, b| a.value.cmp(&b.value));
            FieldRows { id: f.id.clone(), name: f.name.clone(), source: f.source.clone(), values }
        })
        .collect();
    fields.sort_by(|a, b| a.name.cmp(&b.name));
    let values_total = fields.iter().map(|f: &FieldRows| f.values.len()).sum();
    let values_unmapped =
        fields.iter().flat_map(|f: &FieldRows| &f.values).filter(|v| v.cells.is_empty()).count();
    MappingMatrix {
        facilities,
        states,
        fields,
        candidates: candidates(m),
        values_total,
        values_shown: values_total,
        values_unmapped,
    }
}

fn value_row(m: &Model, v: &EmrValue, facility_rank: &dyn Fn(&Option<String>) -> usize) -> ValueRow {
    let counts: BTreeMap<String, i64> = m
        .emr_value_counts
        .iter()
        .filter(|c| c.value_id == v.id)
        .map(|c| (c.facility_id.clone(), c.count))
        .collect();
    let mut cells: Vec<Cell> = m
        .mappings
        .iter()
        .filter(|x| x.value_id == v.id)
        .map(|x| Cell {
            mapping_id: x.id.clone(),
            facility_id: x.facility_id.clone(),
            state_id: x.state_id.clone(),
            note: x.note.clone(),
        })
        .collect();
    cells.sort_by_key(|c| facility_rank(&c.facility_id));
    let suggestion = if cells.is_empty() {
        m.business_states
            .iter()
            .map(|s| Suggestion { state_id: s.id.clone(), score: similarity(v, s) })
            .filter(|s| s.score >= SUGGESTION_THRESHOLD)
            .max_by(|a, b| a.score.total_cmp(&b.score).then_with(|| b.state_id.cmp(&a.state_id)))
            .map(|s| Suggestion { score: (s.score * 100.0).round() / 100.0, ..s })
    } else {
        None
    };
    ValueRow {
        id: v.id.clone(),
        value: v.value.clone(),
        description: v.description.clone(),
        total: counts.values().sum(),
        counts,
        cells,
        suggestion,
    }
}

/// "Done means" phrases of the interviews that no state of the step's workflow already carries.
fn candidates(m: &Model) -> Vec<StateCandidate> {
    let mut by_key: BTreeMap<(String, String, String), Vec<String>> = BTreeMap::new();
    for s in &m.statements {
        let (Some(workflow_id), text) = (&s.workflow_id, s.done_means.trim()) else { continue };
        if text.is_empty() {
            continue;
        }
        let carried = m.business_states.iter().any(|b| {
            &b.workflow_id == workflow_id
                && (b.meaning.trim().eq_ignore_ascii_case(text) || b.name.trim().eq_ignore_ascii_case(text))
        });
        if carried {
            continue;
        }
        let step = s
            .step_id
            .as_ref()
            .and_then(|id| m.steps.iter().find(|st| &st.id == id))
            .map_or_else(|| s.step_name.clone(), |st| st.name.clone());
        let alias = m
            .interviews
            .iter()
            .find(|i| i.id == s.interview_id)
            .map_or_else(String::new, |i| i.alias.clone());
        let said = by_key.entry((workflow_id.clone(), step, text.to_string())).or_default();
        if !alias.is_empty() && !said.contains(&alias) {
            said.push(alias);
        }
    }
    let mut out: Vec<StateCandidate> = by_key
        .into_iter()
        .map(|((workflow_id, step, done_means), mut said_by)| {
            said_by.sort();
            let workflow =
                m.workflows.iter().find(|w| w.id == workflow_id).map_or("", |w| &w.name).to_string();
            StateCandidate { workflow_id, workflow, step, done_means, said_by }
        })
        .collect();
    out.sort_by(|a, b| (&a.workflow, &a.step, &a.done_means).cmp(&(&b.workflow, &b.step, &b.done_means)));
    out
}

impl Project {
    /// The mapping matrix of the project.
    pub fn mapping_matrix(&self) -> Result<MappingMatrix> {
        Ok(matrix(&self.model()?))
    }

    /// Sets what `value_id` means at `facility_id` (`None`: at every facility): `Some(state)`
    /// maps it (replacing the mapping there), `None` removes the mapping there.
    pub fn set_mapping(
        &mut self,
        value_id: &str,
        facility_id: Option<&str>,
        state_id: Option<&str>,
        note: &str,
    ) -> Result<()> {
        let label = match state_id {
            Some(_) => "Map EMR value",
            None => "Remove EMR value mapping",
        };
        self.edit(label, |tx| {
            must_exist(tx, "emr_value", "EMR value", value_id)?;
            if let Some(f) = facility_id {
                must_exist(tx, "facility", "facility", f)?;
            }
            tx.execute("DELETE FROM mapping WHERE value_id = ?1 AND facility_id IS ?2", (value_id, facility_id))?;
            if let Some(state) = state_id {
                must_exist(tx, "business_state", "business state", state)?;
                tx.execute(
                    "INSERT INTO mapping (id, value_id, state_id, facility_id, note) VALUES (?1, ?2, ?3, ?4, ?5)",
                    (new_id(), value_id, state, facility_id, note.trim()),
                )?;
            }
            Ok(())
        })
    }

    /// Maps an EMR value to one state at every facility, replacing its facility-specific
    /// mappings, in one edit ("Use at every facility").
    pub fn map_everywhere(&mut self, value_id: &str, state_id: &str) -> Result<()> {
        self.edit("Map EMR value at every facility", |tx| {
            must_exist(tx, "emr_value", "EMR value", value_id)?;
            must_exist(tx, "business_state", "business state", state_id)?;
            tx.execute("DELETE FROM mapping WHERE value_id = ?1", [value_id])?;
            tx.execute(
                "INSERT INTO mapping (id, value_id, state_id, facility_id, note) VALUES (?1, ?2, ?3, NULL, '')",
                (new_id(), value_id, state_id),
            )?;
            Ok(())
        })
    }

    /// Adds a business state at the end of a workflow's states; returns its id.
    pub fn add_business_state(&mut self, workflow_id: &str, name: &str, meaning: &str) -> Result<String> {
        let name = name.trim();
        if name.is_empty() {
            return Err(Error::invalid("name", "a business state needs a name"));
        }
        self.edit(&format!("Add business state {name}"), |tx| {
            must_exist(tx, "workflow", "workflow", workflow_id)?;
            let taken: i64 = tx.query_row(
                "SELECT COUNT(*) FROM business_state WHERE workflow_id = ?1 AND name = ?2 COLLATE NOCASE",
                (workflow_id, name),
                |r| r.get(0),
            )?;
            if taken > 0 {
                return Err(Error::invalid("name", format!("this workflow already has a state named {name:?}")));
            }
            let position: i64 = tx.query_row(
                "SELECT COALESCE(MAX(position) + 1, 0) FROM business_state WHERE workflow_id = ?1",
                [workflow_id],
                |r| r.get(0),
            )?;
            let id = new_id();
            tx.execute(
                "INSERT INTO business_state (id, workflow_id, name, meaning, position) VALUES (?1, ?2, ?3, ?4, ?5)",
                (&id, workflow_id, name, meaning.trim(), position),
            )?;
            Ok(id)
        })
    }
}
