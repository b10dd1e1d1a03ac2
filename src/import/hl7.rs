//! HL7 v2 order and result messages (ORM, OML, ORU) in one file: ORC-1 order control, ORC-5
//! order status and OBR-25 result status, counted per sending facility (MSH-4). hl7-parser
//! parses each message; this file only splits the file into messages and picks the fields.
//! Files come as plain messages one after another, as batches (FHS/BHS headers, BTS/FTS
//! trailers, which hold no order data and are skipped), or MLLP-framed as captured from an
//! interface engine (each message between a VT byte and FS CR), and any mix of these.

use std::path::Path;

use super::status::{StatusRead, StatusTable};
use crate::error::{Error, Result};
use crate::progress::Progress;

pub(super) fn read(path: &Path, progress: &Progress) -> Result<StatusRead> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    progress.set_total(bytes.len() as u64);
    let text = String::from_utf8(bytes)
        .map_err(|_| Error::input(file.clone(), "content", "not valid UTF-8 or ASCII text"))?;
    // MLLP frame bytes (VT before a message, FS after it) end segments like line breaks do;
    // each is one byte, so offsets and line numbers stay those of the file.
    let text = text.trim_start_matches('\u{feff}').replace(['\u{b}', '\u{1c}'], "\n");
    let text = text.as_str();
    // Segments end with CR, LF or CRLF; a message starts at each MSH segment.
    let segments: Vec<(usize, &str)> =
        text.split(['\r', '\n']).enumerate().filter(|(_, s)| !s.trim().is_empty()).collect();
    if segments.first().is_none_or(|(_, s)| !(s.starts_with("MSH") || is_batch(s))) {
        return Err(Error::input(
            file,
            "line 1",
            "an HL7 v2 file must start with an MSH segment, or a batch header (FHS or BHS)",
        ));
    }
    let lines = line_numbers(text);
    let mut table = StatusTable::default();
    let mut message: Vec<&str> = Vec::new();
    let mut message_at = 0usize;
    let flush = |message: &mut Vec<&str>, at: usize, table: &mut StatusTable| -> Result<()> {
        if message.is_empty() {
            return Ok(());
        }
        let joined = message.join("\r");
        let line = lines.get(at).copied().unwrap_or(at + 1);
        let parsed = hl7_parser::Message::parse(&joined).map_err(|e| {
            Error::input(file.clone(), format!("line {line}"), format!("not a valid HL7 v2 message ({e})"))
        })?;
        let msh = parsed.segment("MSH");
        if msh.is_none_or(|s| s.field(9).is_none_or(|f| f.raw_value().is_empty())) {
            return Err(Error::input(
                file.clone(),
                format!("line {line}"),
                "the MSH segment has no message type (MSH-9): is the file cut short?",
            ));
        }
        let facility =
            msh.and_then(|s| s.field(4)).map(|f| first_component(f.raw_value())).unwrap_or_default();
        let kind = msh.and_then(|s| s.field(9)).map(|f| first_component(f.raw_value())).unwrap_or_default();
        let source = if kind.is_empty() { "HL7 v2".to_string() } else { format!("HL7 v2 {kind}") };
        for segment in parsed.segments() {
            let picks: &[(usize, &str)] = match segment.name {
                "ORC" => &[(1, "ORC-1 Order Control"), (5, "ORC-5 Order Status")],
                "OBR" => &[(25, "OBR-25 Result Status")],
                _ => &[],
            };
            for (n, field) in picks {
                if let Some(value) =
                    segment.field(*n).map(|f| first_component(f.raw_value())).filter(|v| !v.is_empty())
                {
                    table.add(field, &source, &value, &facility, 1);
                }
            }
        }
        table.records += 1;
        message.clear();
        Ok(())
    };
    for (n, (i, segment)) in segments.iter().enumerate() {
        if is_batch(segment) {
            // A batch header or trailer ends the message before it and belongs to none.
            flush(&mut message, message_at, &mut table)?;
            continue;
        }
        if segment.starts_with("MSH") {
            flush(&mut message, message_at, &mut table)?;
            message_at = *i;
            if n % 1024 == 0 {
                progress.check("reading HL7 messages")?;
            }
        } else if !is_segment(segment) {
            let line = lines.get(*i).copied().unwrap_or(i + 1);
            return Err(Error::input(
                file,
                format!("line {line}"),
                format!("{:?} is not an HL7 segment", truncate(segment)),
            ));
        }
        message.push(segment);
    }
    flush(&mut message, message_at, &mut table)?;
    progress.advance(text.len() as u64);
    Ok(StatusRead { table, ..StatusRead::default() })
}

/// Whether `segment` is a batch header or trailer (file: FHS/FTS, batch: BHS/BTS).
fn is_batch(segment: &str) -> bool {
    ["FHS|", "FTS|", "BHS|", "BTS|"].iter().any(|b| segment.starts_with(b))
}

/// Whether `line` looks like an HL7 segment: a three-character upper-case id and a field separator.
fn is_segment(line: &str) -> bool {
    let b = line.as_bytes();
    b.len() >= 4 && b[..3].iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()) && b[3] == b'|'
}

/// The first component of a field (`NORTH^Hospital` → `NORTH`).
fn first_component(raw: &str) -> String {
    raw.split('^').next().unwrap_or("").trim().to_string()
}

fn truncate(s: &str) -> String {
    s.chars().take(40).collect()
}

/// For each piece of `text.split(['\r', '\n'])`, its line number (CRLF counts as one break).
fn line_numbers(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut line = 1;
    let bytes = text.as_bytes();
    out.push(line);
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\r' || b == b'\n' {
            // The empty piece between CR and LF shares the line.
            if !(b == b'\n' && i > 0 && bytes[i - 1] == b'\r') {
                line += 1;
            }
            out.push(line);
        }
    }
    out
}
