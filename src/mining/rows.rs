//! Events read from a table (CSV rows, Parquet row groups) by several threads: each part gets
//! its own names and rows, and `join` puts the parts together in file order, groups the events
//! by case (in the order cases first appear, file order within a case) and counts them, as one
//! thread reading the whole table would.

use super::aggregate::{Aggregates, Event};
use super::intern::{Interner, NONE, remap};
use super::{EventBuilder, LogOptions};
use crate::error::Result;
use crate::sources::KeptCounter;

/// An event's time as the table holds it.
pub(super) enum Stamp<'a> {
    /// Text, read as ISO 8601 or the chosen format; zone-less in the facility's zone.
    Text(&'a str),
    /// Microseconds since the Unix epoch, an instant.
    Instant(i64),
    /// Microseconds since 1970-01-01T00:00 on the wall clock: a time without a zone, read in
    /// the facility's zone.
    Civil(i64),
}

/// What reading a run of rows gives: its events by case (indexes into its own names), in file
/// order.
pub(super) struct Part {
    /// Only its names (activities, roles, facilities) until the cases are counted.
    pub agg: Aggregates,
    pub builder: EventBuilder,
    pub cases: Interner,
    pub rows: Vec<(u32, Event)>,
    pub kept: KeptCounter,
}

impl Part {
    pub fn new(options: &LogOptions, kept: KeptCounter) -> Result<Part> {
        Ok(Part {
            agg: Aggregates::salted(options.case_salt.as_deref()),
            builder: EventBuilder::new(options)?,
            cases: Interner::default(),
            rows: Vec::new(),
            kept,
        })
    }

    /// Adds one event; the error says what is wrong with it (the caller says where).
    pub fn event(
        &mut self,
        case: &str,
        activity: &str,
        time: Stamp<'_>,
        role: &str,
        resource: &str,
        facility: &str,
    ) -> std::result::Result<(), String> {
        let (case, activity) = (case.trim(), activity.trim());
        if case.is_empty() || activity.is_empty() {
            let part = if case.is_empty() { "case" } else { "activity" };
            return Err(format!("the {part} is empty: every event needs one"));
        }
        let facility = self.agg.facilities.intern_optional(facility.trim());
        let role = self.builder.role(role.trim(), resource.trim(), &mut self.agg.roles);
        let micros = match time {
            Stamp::Text(text) => {
                self.builder.time(text, facility, &self.agg.facilities).ok_or_else(|| {
                    format!(
                        "cannot read the timestamp {:?}: expected {}",
                        text.trim(),
                        self.builder.times.expected()
                    )
                })?
            }
            Stamp::Instant(micros) => micros,
            Stamp::Civil(micros) => self
                .builder
                .civil(micros, facility, &self.agg.facilities)
                .ok_or_else(|| format!("the time {micros} µs is out of range"))?,
        };
        let event = Event { activity: self.agg.activities.intern(activity), time: micros, role, facility };
        self.rows.push((self.cases.intern(case), event));
        Ok(())
    }

    /// This part alone, counted: its events grouped by case (file order within a case).
    pub fn count(self) -> (Aggregates, EventBuilder, KeptCounter) {
        let Part { mut agg, builder, cases, mut rows, kept } = self;
        rows.sort_by_key(|(case, _)| *case);
        let mut events = Vec::new();
        for group in rows.chunk_by(|a, b| a.0 == b.0) {
            events.clear();
            events.extend(group.iter().map(|(_, e)| *e));
            agg.add_case(cases.name(group[0].0), &mut events);
        }
        (agg, builder, kept)
    }
}

/// The parts (in file order) together: the names joined in the order the file first gives them,
/// each case's events together in file order (a stable counting sort by case), then counted.
/// `kept` is the empty counter, for when there are no parts.
pub(super) fn join(
    parts: Vec<Part>,
    options: &LogOptions,
    kept: &KeptCounter,
) -> Result<(Aggregates, EventBuilder, KeptCounter)> {
    let mut agg = Aggregates::salted(options.case_salt.as_deref());
    let mut cases = Interner::default();
    let mut builder: Option<EventBuilder> = None;
    let mut kept_all: Option<KeptCounter> = None;
    let mut maps = Vec::with_capacity(parts.len());
    let mut rows = Vec::with_capacity(parts.len());
    for part in parts {
        maps.push((
            agg.activities.absorb(&part.agg.activities),
            agg.roles.absorb(&part.agg.roles),
            agg.facilities.absorb(&part.agg.facilities),
            cases.absorb(&part.cases),
        ));
        match &mut builder {
            None => builder = Some(part.builder),
            Some(b) => b.merge(part.builder),
        }
        match &mut kept_all {
            None => kept_all = Some(part.kept),
            Some(k) => k.merge(part.kept),
        }
        rows.push(part.rows);
    }
    let mut first = vec![0usize; cases.len() + 1];
    for (run, map) in rows.iter().zip(&maps) {
        for (case, _) in run {
            first[map.3[*case as usize] as usize + 1] += 1;
        }
    }
    for i in 1..first.len() {
        first[i] += first[i - 1];
    }
    let mut next = first.clone();
    let mut events = vec![Event { activity: 0, time: 0, role: NONE, facility: NONE }; first[cases.len()]];
    for (run, (acts, roles, facs, case_map)) in rows.into_iter().zip(maps) {
        for (case, e) in run {
            let c = case_map[case as usize] as usize;
            events[next[c]] = Event {
                activity: acts[e.activity as usize],
                time: e.time,
                role: remap(&roles, e.role),
                facility: remap(&facs, e.facility),
            };
            next[c] += 1;
        }
    }
    drop(next);
    for c in 0..cases.len() {
        agg.add_case(cases.name(c as u32), &mut events[first[c]..first[c + 1]]);
    }
    let builder = builder.map_or_else(|| EventBuilder::new(options), Ok)?;
    Ok((agg, builder, kept_all.unwrap_or_else(|| kept.clone())))
}
