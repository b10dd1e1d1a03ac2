//! Patterns of patient identifiers in free text: medical record numbers, phone numbers, e-mail
//! addresses, social security numbers, dates of birth, street addresses and titled names
//! ("Mrs. Alvarez"). Baton shows what it finds so the consultant can redact it; it never changes
//! the text itself.
//!
//! The scan is deliberately narrow, so that a finding is worth reading: a date is flagged only
//! when it is called a date of birth or falls before 2011 (engagement dates are recent), and a name
//! only with a title (Dr. is left out: clinicians sign off and are named on purpose).

use std::sync::OnceLock;

use regex::Regex;
use serde::Serialize;

use crate::model::Model;

/// One place in the project's free text that looks like a patient identifier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct PhiMatch {
    /// Where it is, in words: `interview RT-3, statement 2 (quote)`.
    pub place: String,
    /// What it looks like: `medical record number`, `phone number`, …
    pub kind: String,
    /// The text that matched.
    pub text: String,
}

fn patterns() -> &'static [(&'static str, Regex)] {
    static PATTERNS: OnceLock<Vec<(&'static str, Regex)>> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        let table = [
            ("medical record number", r"(?i)\b(?:MRN|medical record(?: number| no\.?)?|chart (?:number|no\.?))[\s:#]*[A-Z]{0,3}\d{5,12}\b|\bMRN\d{5,12}\b"),
            ("social security number", r"\b\d{3}-\d{2}-\d{4}\b"),
            ("phone number", r"(?:\+1[\s.-]?)?\(?\b\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b"),
            ("e-mail address", r"(?i)\b[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}\b"),
            (
                "date of birth",
                r"(?i)\b(?:DOB|D\.O\.B\.|date of birth|born(?: on)?)[\s:]*\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}\b|\b(?:19\d{2}|200\d|2010)-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])\b|\b(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])/(?:19\d{2}|200\d|2010)\b",
            ),
            (
                "street address",
                r"\b\d{1,5}\s+(?:[A-Z][a-z]+\s){1,3}(?:Street|St\.|Avenue|Ave\.?|Road|Rd\.|Lane|Ln\.|Drive|Dr\.|Boulevard|Blvd\.?|Court|Ct\.|Way)\b",
            ),
            ("patient name", r"\b(?:Mr|Mrs|Ms|Miss|Mx)\.?\s+[A-Z][a-z]+(?:[\s-][A-Z][a-z]+)?\b"),
        ];
        table
            .into_iter()
            .filter_map(|(kind, pattern)| Regex::new(pattern).ok().map(|r| (kind, r)))
            .collect()
    })
}

/// The same patterns as a browser's `RegExp` reads them, for the review packet: (kind, source,
/// flags). A leading `(?i)` becomes the `i` flag; every flag of these patterns is a leading one.
pub fn js_patterns() -> Vec<(&'static str, String, String)> {
    patterns()
        .iter()
        .map(|(kind, r)| match r.as_str().strip_prefix("(?i)") {
            Some(rest) => (*kind, rest.to_string(), "gi".to_string()),
            None => (*kind, r.as_str().to_string(), "g".to_string()),
        })
        .collect()
}

/// What in `text` looks like a patient identifier: (kind, matched text), in order of appearance.
pub fn scan_text(text: &str) -> Vec<(&'static str, String)> {
    let mut found: Vec<(usize, &'static str, String)> = Vec::new();
    for (kind, pattern) in patterns() {
        for m in pattern.find_iter(text) {
            // One span is reported once, as the first kind that claims it.
            if !found.iter().any(|(start, _, t)| *start <= m.start() && m.start() < start + t.len()) {
                found.push((m.start(), kind, m.as_str().to_string()));
            }
        }
    }
    found.sort_by_key(|(start, ..)| *start);
    found.into_iter().map(|(_, kind, text)| (kind, text)).collect()
}

/// Every piece of text in the project that looks like a patient identifier: interview notes,
/// statements (step, done means, pain point, duration, quote), comments, descriptions and
/// meanings, finding reasons and sign-off comments, then the values imports stored
/// (`scan_values`).
pub fn scan_model(m: &Model) -> Vec<PhiMatch> {
    let mut out = Vec::new();
    let mut check = |place: String, text: &str| push_matches(&mut out, place, text);
    if let Some(p) = &m.project {
        check("project description".into(), &p.description);
    }
    for i in &m.interviews {
        check(format!("interview {} (notes)", i.alias), &i.notes);
        let mut statements: Vec<_> = m.statements.iter().filter(|s| s.interview_id == i.id).collect();
        statements.sort_by_key(|s| s.position);
        for (n, s) in statements.iter().enumerate() {
            let at = |part: &str| format!("interview {}, statement {} ({part})", i.alias, n + 1);
            check(at("step"), &s.step_name);
            check(at("done means"), &s.done_means);
            check(at("pain point"), &s.pain_point);
            check(at("quote"), &s.quote);
        }
    }
    for w in &m.workflows {
        check(format!("workflow {} (description)", w.name), &w.description);
    }
    for s in &m.business_states {
        check(format!("business state {} (meaning)", s.name), &s.meaning);
    }
    for s in &m.proposed_states {
        check(format!("proposed state {} (meaning)", s.name), &s.meaning);
    }
    for c in &m.comments {
        check(format!("comment of {}", c.created_at.get(..10).unwrap_or(&c.created_at)), &c.text);
    }
    for t in &m.finding_triage {
        check(format!("finding {} (reason)", t.title), &t.reason);
    }
    for s in &m.signoffs {
        check(format!("sign-off by {} (comment)", s.name), &s.comment);
    }
    out.extend(scan_values(m));
    out
}

/// Adds what in `text` looks like a patient identifier to `out`, as found at `place`.
fn push_matches(out: &mut Vec<PhiMatch>, place: String, text: &str) {
    for (kind, found) in scan_text(text) {
        out.push(PhiMatch { place: place.clone(), kind: kind.to_string(), text: found });
    }
}

/// Every stored value that came from an import and looks like a patient identifier: facility and
/// role names, EMR field names, values and descriptions, event-log activities and roles, task
/// telemetry steps and roles. Placeholders Baton put in place of such values are not flagged.
pub fn scan_values(m: &Model) -> Vec<PhiMatch> {
    let mut out = Vec::new();
    let mut check = |place: String, text: &str| push_matches(&mut out, place, text);
    for f in &m.facilities {
        check("facility (name)".into(), &f.name);
    }
    for r in &m.roles {
        check("role (name)".into(), &r.name);
    }
    for f in &m.emr_fields {
        check("EMR field (name)".into(), &f.name);
        check(format!("EMR field {} (description)", f.name), &f.description);
    }
    for v in &m.emr_values {
        let field = m.emr_fields.iter().find(|f| f.id == v.field_id).map_or("?", |f| f.name.as_str());
        check(format!("EMR field {field} (value)"), &v.value);
        check(format!("EMR field {field}, a value's description"), &v.description);
    }
    for log in &m.logs {
        let name = m.imports.iter().find(|i| i.id == log.id).map_or("?", |i| i.name.as_str());
        let mut seen = std::collections::BTreeSet::new();
        for a in &log.activities {
            if seen.insert(("activity", a.activity.as_str())) {
                check(format!("event log {name} (activity)"), &a.activity);
            }
        }
        for r in &log.roles {
            if seen.insert(("role", r.role.as_str())) {
                check(format!("event log {name} (role)"), &r.role);
            }
        }
    }
    for t in &m.telemetry {
        let mut seen = std::collections::BTreeSet::new();
        for g in &t.groups {
            for (part, text) in [("step", &g.step), ("role", &g.role), ("facility", &g.facility)] {
                if seen.insert((part, text.as_str())) {
                    check(format!("task telemetry {} ({part})", t.name), text);
                }
            }
        }
    }
    out
}

/// Replaces what looks like a patient identifier in imported values with a stable placeholder
/// (`[patient name dpjbmcco]`: the kind and a salted hash of the text, so one text always gets
/// one placeholder in a project and different texts different ones), before anything is stored.
/// Texts the user confirmed (`allow`) are kept as they are.
#[derive(Debug, Clone)]
pub struct ValueScreen {
    salt: String,
    allow: std::collections::BTreeSet<String>,
    replaced: std::collections::BTreeMap<(String, String), ReplacedValue>,
    allowed: std::collections::BTreeSet<(String, String)>,
    flagged: std::collections::BTreeMap<(String, String), FlaggedText>,
}

/// One text an import replaced, with its original: shown once to the person importing (so they
/// can confirm it), never stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct FlaggedText {
    pub place: String,
    pub kind: String,
    /// The original text, as in the source file.
    pub text: String,
    /// What was stored instead.
    pub placeholder: String,
}

/// Values of one kind in one place of an import that were replaced by placeholders. The original
/// text is not kept here: this is what the import summary stores.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ReplacedValue {
    /// Where: `activity`, `value`, `description`, `facility`, `role`, `step`, `field`.
    pub place: String,
    /// What the text looked like: `patient name`, `phone number`, …
    pub kind: String,
    /// How many distinct texts were replaced.
    pub texts: u64,
    /// One placeholder, to find them in the project.
    pub example: String,
}

impl ValueScreen {
    pub fn new(salt: &str, allow: &[String]) -> ValueScreen {
        ValueScreen {
            salt: salt.to_string(),
            allow: allow.iter().map(|a| a.trim().to_string()).filter(|a| !a.is_empty()).collect(),
            replaced: Default::default(),
            allowed: Default::default(),
            flagged: Default::default(),
        }
    }

    /// `text` with what looks like an identifier replaced, as it may be stored; `place` names the
    /// part of the import it came from (for the summary).
    pub fn screen(&mut self, place: &str, text: &str) -> String {
        let text = crate::sources::clean_name(text);
        let text = text.as_ref();
        let found = scan_text(text);
        if found.is_empty() {
            return text.to_string();
        }
        if self.allow.contains(text.trim()) {
            self.allowed.insert((place.to_string(), text.to_string()));
            return text.to_string();
        }
        let mut out = text.to_string();
        for (kind, span) in found {
            if self.allow.contains(span.as_str()) {
                self.allowed.insert((place.to_string(), span));
                continue;
            }
            let placeholder = self.placeholder(kind, &span);
            out = out.replace(&span, &placeholder);
            let key = (place.to_string(), span.clone());
            let first = !self.flagged.contains_key(&key);
            self.flagged.entry(key).or_insert_with(|| FlaggedText {
                place: place.to_string(),
                kind: kind.to_string(),
                text: span.clone(),
                placeholder: placeholder.clone(),
            });
            let entry =
                self.replaced.entry((place.to_string(), kind.to_string())).or_insert_with(|| ReplacedValue {
                    place: place.to_string(),
                    kind: kind.to_string(),
                    texts: 0,
                    example: placeholder.clone(),
                });
            if first {
                entry.texts += 1;
            }
        }
        out
    }

    fn placeholder(&self, kind: &str, span: &str) -> String {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(format!("{}\u{1f}{span}", self.salt).as_bytes());
        // Letters only (a–p for each half byte), so no placeholder itself looks like a number
        // the scan would flag.
        let code: String =
            digest.iter().take(4).flat_map(|b| [b >> 4, b & 0x0f]).map(|n| char::from(b'a' + n)).collect();
        format!("[{kind} {code}]")
    }

    /// What was replaced, by place and kind (distinct texts counted once per place).
    pub fn replaced(&self) -> Vec<ReplacedValue> {
        self.replaced.values().cloned().collect()
    }

    /// The texts replaced, with their originals (for the person importing; never stored).
    pub fn flagged(&self) -> Vec<FlaggedText> {
        self.flagged.values().cloned().collect()
    }

    /// The flagged texts kept as they are because the user allowed them, as (place, text).
    pub fn allowed(&self) -> Vec<(String, String)> {
        self.allowed.iter().cloned().collect()
    }
}

/// Whether an import column looks like it holds patient or staff identifiers, by its header
/// (`Patient MRN`, `DOB`, `Phone`…) or by its values (at least half of the non-empty ones match a
/// pattern of `scan_text`); returns what it looks like ("a medical record number").
pub fn flag_column(header: &str, values: &[&str]) -> Option<&'static str> {
    let h = header.to_lowercase().replace(['_', '-', '.'], " ");
    let has = |words: &[&str]| {
        words.iter().any(|w| h.split_whitespace().any(|x| x == *w) || (w.contains(' ') && h.contains(w)))
    };
    let by_header = if has(&["mrn", "medical record", "chart number", "patient id", "patientid", "patient"]) {
        Some("a patient identifier")
    } else if has(&["ssn", "social security"]) {
        Some("a social security number")
    } else if has(&["dob", "birth", "birthdate", "date of birth"]) {
        Some("a date of birth")
    } else if has(&["phone", "telephone", "tel", "mobile"]) {
        Some("a phone number")
    } else if has(&["email", "e mail", "mail"]) {
        Some("an e-mail address")
    } else if has(&["address", "street", "zip", "postal", "postcode"]) {
        Some("an address")
    } else if has(&[
        "first name",
        "last name",
        "surname",
        "given name",
        "family name",
        "full name",
        "firstname",
        "lastname",
    ]) {
        Some("a person's name")
    } else if has(&["staff", "employee", "username", "user name", "user"]) {
        Some("a staff member's name or id")
    } else {
        None
    };
    if by_header.is_some() {
        return by_header;
    }
    let filled: Vec<&&str> = values.iter().filter(|v| !v.trim().is_empty()).collect();
    if filled.is_empty() {
        return None;
    }
    let mut counts: std::collections::BTreeMap<&'static str, usize> = std::collections::BTreeMap::new();
    for v in &filled {
        if let Some((kind, _)) = scan_text(v).first() {
            *counts.entry(kind).or_default() += 1;
        }
    }
    counts.into_iter().filter(|(_, n)| n * 2 >= filled.len()).max_by_key(|(_, n)| *n).map(|(kind, _)| {
        match kind {
            "medical record number" => "a medical record number",
            "social security number" => "a social security number",
            "phone number" => "a phone number",
            "e-mail address" => "an e-mail address",
            "date of birth" => "a date of birth",
            "street address" => "an address",
            _ => "a person's name",
        }
    })
}

/// The free-text columns `scan_model` reads, as (table, column): where `Project::redact` looks.
const FREE_TEXT: &[(&str, &str)] = &[
    ("project", "description"),
    ("interview", "notes"),
    ("statement", "step_name"),
    ("statement", "done_means"),
    ("statement", "pain_point"),
    ("statement", "typical_duration"),
    ("statement", "quote"),
    ("workflow", "description"),
    ("business_state", "meaning"),
    ("proposed_state", "meaning"),
    ("comment", "text"),
    ("finding_triage", "reason"),
    ("signoff", "comment"),
];

/// The columns of values that imports store, as (table, column): also where `Project::redact`
/// looks (JSON columns hold names as plain strings, so a replace reaches them too).
const VALUE_TEXT: &[(&str, &str)] = &[
    ("facility", "name"),
    ("role", "name"),
    ("emr_field", "name"),
    ("emr_field", "description"),
    ("emr_value", "value"),
    ("emr_value", "description"),
    ("log_activity", "activity"),
    ("log_role", "activity"),
    ("log_role", "role"),
    ("log_edge", "from_activity"),
    ("log_edge", "to_activity"),
    ("log_variant", "activities"),
    ("telemetry_group", "data"),
];

/// What redacted text is replaced with.
pub const REDACTED: &str = "[redacted]";

/// The matches of `scan_model` that are in one interview (its notes and statements).
pub fn scan_interview(m: &Model, alias: &str) -> Vec<PhiMatch> {
    let prefix = format!("interview {alias} ");
    let prefix_statement = format!("interview {alias}, ");
    scan_model(m)
        .into_iter()
        .filter(|f| f.place.starts_with(&prefix) || f.place.starts_with(&prefix_statement))
        .collect()
}

impl crate::Project {
    /// Replaces each of `texts` with `[redacted]` wherever it occurs in the project's free text
    /// and imported values (the places `scan_model` reads); returns how many fields each changed. A text found nowhere
    /// is an error and nothing changes.
    ///
    /// Redaction is permanent: undo cannot bring the text back, because the undo history, the
    /// edit labels and the audit trail are redacted too, and the write-ahead log is folded in and
    /// truncated (deleted content is zeroed in the file, `secure_delete`), so the text is nowhere
    /// in the project's files afterwards.
    pub fn redact(&mut self, texts: &[&str]) -> crate::Result<Vec<usize>> {
        if texts.is_empty() || texts.iter().any(|t| t.trim().is_empty()) {
            return Err(crate::Error::invalid("text", "say what to redact; the text is empty"));
        }
        let counts = self.change_permanently(|tx| {
            let mut counts = Vec::new();
            for text in texts {
                let mut changed = 0;
                for (table, column) in FREE_TEXT.iter().chain(VALUE_TEXT) {
                    changed += tx.execute(
                        &format!("UPDATE {table} SET {column} = replace({column}, ?1, ?2) WHERE instr({column}, ?1) > 0"),
                        (text, REDACTED),
                    )?;
                }
                if changed == 0 {
                    return Err(crate::Error::invalid(
                        "text",
                        format!("“{text}” is not in the project's text; nothing was redacted"),
                    ));
                }
                crate::store::journal::scrub(tx, text, REDACTED)?;
                counts.push(changed);
            }
            Ok(counts)
        })?;
        self.fold_log()?;
        Ok(counts)
    }
}
