//! Any text as a guard expression over an event with a number, a text and a yes/no field: parsed
//! or refused with a message, never a panic; what parses renders in every dialect.
#![no_main]

use baton::design::guard::{Dialect, parse, render, scope};
use baton::model::{EventField, FieldKind};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let fields = [
        EventField { name: "spo2".into(), kind: FieldKind::Number },
        EventField { name: "site".into(), kind: FieldKind::String },
        EventField { name: "urgent".into(), kind: FieldKind::Boolean },
    ];
    if let Ok(guard) = parse(text, &scope(&fields)) {
        for dialect in [Dialect::Baton, Dialect::Feel, Dialect::Jq, Dialect::EcmaScript, Dialect::Scxml] {
            let _ = render(&guard, dialect);
        }
    }
});
