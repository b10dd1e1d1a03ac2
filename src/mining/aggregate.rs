//! What Baton keeps of an event log: counts and durations per facility, never the events.
//!
//! Readers hand over one case at a time (`Aggregates::add_case`); the case's events are ordered
//! by timestamp, ties keeping file order, and counted. Two aggregates of disjoint parts of a log
//! merge into the aggregate of the whole (`merge`), which is how a log is read on several cores.

use rustc_hash::FxHashMap;

use super::intern::{Interner, NONE, remap};

/// One event of a case, as read: indexes into the aggregate's interners.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Event {
    pub activity: u32,
    /// Microseconds since the Unix epoch.
    pub time: i64,
    pub role: u32,
    pub facility: u32,
}

/// Counts of an activity at one facility.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ActivityCounts {
    pub events: u64,
    pub starts: u64,
    pub ends: u64,
}

impl ActivityCounts {
    /// Adds the counts of `other` (the same activity in other cases).
    pub fn add(&mut self, other: &ActivityCounts) {
        self.events += other.events;
        self.starts += other.starts;
        self.ends += other.ends;
    }
}

/// A directly-follows edge at one facility: how often, and the time between the two events.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EdgeTimes {
    /// Microseconds between each pair of consecutive events, in reading order.
    pub micros: Vec<i64>,
}

/// A variant (a case's sequence of activities) and one case that followed it: with a case salt,
/// the smallest salted hash (`case_hash`) of its cases; without one, the smallest case id. Either
/// is the same whichever way the log is split or read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VariantCount {
    pub count: u64,
    pub example_case: String,
}

/// A salted hash of a case id, as a variant's example case: the first 16 hex digits of
/// SHA-256(salt ‖ case). A warehouse computes the same with its own SHA-256 (`baton sql`).
pub fn case_hash(salt: &str, case: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(salt.as_bytes());
    h.update(case.as_bytes());
    h.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// Everything counted from a log, keyed by the case's facility (the first facility its events
/// name; `NONE` when none does).
#[derive(Debug, Default, Clone)]
pub struct Aggregates {
    pub activities: Interner,
    pub roles: Interner,
    pub facilities: Interner,
    pub events: u64,
    pub cases: u64,
    /// (facility, activity) → counts.
    pub activity_counts: FxHashMap<(u32, u32), ActivityCounts>,
    /// (facility, activity, role) → events.
    pub role_counts: FxHashMap<(u32, u32, u32), u64>,
    /// (facility, from, to) → times.
    pub edges: FxHashMap<(u32, u32, u32), EdgeTimes>,
    /// (facility, activities…) → count: the facility first, then the case's activities.
    pub variants: FxHashMap<Box<[u32]>, VariantCount>,
    /// Earliest and latest event time (microseconds), when there are events.
    pub span: Option<(i64, i64)>,
    /// The salt of variants' example cases (`case_hash`); `None`: the smallest case id, as is.
    pub case_salt: Option<std::sync::Arc<str>>,
    scratch: Vec<u32>,
}

impl Aggregates {
    /// Empty aggregates that hash example cases with `salt` when given.
    pub fn salted(salt: Option<&str>) -> Aggregates {
        Aggregates { case_salt: salt.map(std::sync::Arc::from), ..Aggregates::default() }
    }

    /// Counts one case. `events` are in file order; they are sorted here.
    pub fn add_case(&mut self, case: &str, events: &mut [Event]) {
        if events.is_empty() {
            return;
        }
        events.sort_by_key(|e| e.time);
        let facility = events.iter().map(|e| e.facility).find(|&f| f != NONE).unwrap_or(NONE);
        self.cases += 1;
        self.events += events.len() as u64;
        let (first, last) = (events[0].time, events[events.len() - 1].time);
        self.span = Some(match self.span {
            Some((a, b)) => (a.min(first), b.max(last)),
            None => (first, last),
        });
        for e in events.iter() {
            self.activity_counts.entry((facility, e.activity)).or_default().events += 1;
            *self.role_counts.entry((facility, e.activity, e.role)).or_default() += 1;
        }
        self.activity_counts.entry((facility, events[0].activity)).or_default().starts += 1;
        self.activity_counts.entry((facility, events[events.len() - 1].activity)).or_default().ends += 1;
        for pair in events.windows(2) {
            let times = self.edges.entry((facility, pair[0].activity, pair[1].activity)).or_default();
            times.micros.push(pair[1].time - pair[0].time);
        }
        self.scratch.clear();
        self.scratch.push(facility);
        self.scratch.extend(events.iter().map(|e| e.activity));
        // The example is the smallest: the salted hash with a salt, else the case id itself, so
        // it does not depend on the order the cases come in.
        let example: std::borrow::Cow<'_, str> = match &self.case_salt {
            Some(salt) => case_hash(salt, case).into(),
            None => case.into(),
        };
        if let Some(v) = self.variants.get_mut(self.scratch.as_slice()) {
            v.count += 1;
            if *example < *v.example_case {
                v.example_case = example.into_owned();
            }
        } else {
            let key: Box<[u32]> = self.scratch.as_slice().into();
            self.variants.insert(key, VariantCount { count: 1, example_case: example.into_owned() });
        }
    }

    /// Adds `other` (another part of the same log, with different cases) to this one. Variants
    /// keep the smaller example.
    pub fn merge(&mut self, other: Aggregates) {
        let acts = self.activities.absorb(&other.activities);
        let roles = self.roles.absorb(&other.roles);
        let facs = self.facilities.absorb(&other.facilities);
        self.events += other.events;
        self.cases += other.cases;
        self.span = match (self.span, other.span) {
            (Some((a, b)), Some((c, d))) => Some((a.min(c), b.max(d))),
            (s, None) => s,
            (None, s) => s,
        };
        for ((f, a), c) in other.activity_counts {
            self.activity_counts.entry((remap(&facs, f), acts[a as usize])).or_default().add(&c);
        }
        for ((f, a, r), n) in other.role_counts {
            *self.role_counts.entry((remap(&facs, f), acts[a as usize], remap(&roles, r))).or_default() += n;
        }
        for ((f, a, b), times) in other.edges {
            let key = (remap(&facs, f), acts[a as usize], acts[b as usize]);
            self.edges.entry(key).or_default().micros.extend(times.micros);
        }
        for (key, v) in other.variants {
            let key: Box<[u32]> = key
                .iter()
                .enumerate()
                .map(|(i, &a)| if i == 0 { remap(&facs, a) } else { acts[a as usize] })
                .collect();
            match self.variants.get_mut(&key) {
                Some(mine) => {
                    mine.count += v.count;
                    if v.example_case < mine.example_case {
                        mine.example_case = v.example_case;
                    }
                }
                None => {
                    self.variants.insert(key, v);
                }
            }
        }
    }
}
