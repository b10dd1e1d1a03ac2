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

/// Every piece of free text in the project that looks like a patient identifier: interview notes,
/// statements (step, done means, pain point, duration, quote), comments, descriptions and
/// meanings, finding reasons and sign-off comments.
pub fn scan_model(m: &Model) -> Vec<PhiMatch> {
    let mut out = Vec::new();
    let mut check = |place: String, text: &str| {
        for (kind, found) in scan_text(text) {
            out.push(PhiMatch { place: place.clone(), kind: kind.to_string(), text: found });
        }
    };
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
    out
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
    /// (the places `scan_model` reads); returns how many fields each changed. A text found nowhere
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
                for (table, column) in FREE_TEXT {
                    changed += tx.execute(
                        &format!("UPDATE {table} SET {column} = replace({column}, ?1, ?2) WHERE instr({column}, ?1) > 0"),
                        (text, REDACTED),
                    )?;
                }
                if changed == 0 {
                    return Err(crate::Error::invalid(
                        "text",
                        format!("“{text}” is not in the project's free text; nothing was redacted"),
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
