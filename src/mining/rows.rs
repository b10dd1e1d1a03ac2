//! Events read from a table (CSV rows, Parquet row groups) by several threads. Each part gets its
//! own names and its events sorted into `BUCKETS` buckets by a hash of the case id, so every
//! event of a case lands in the same bucket whichever part read it. `join` then puts the names
//! together in file order and groups and counts each bucket on its own, on every core: a
//! bucket's events are grouped by case (in the order its cases first appear, file order within a
//! case) and counted, and the buckets' counts are added up in bucket order. Neither the number of
//! parts nor of threads changes the result.

use std::sync::atomic::{AtomicUsize, Ordering};

use rustc_hash::FxHashMap;

use super::aggregate::{Aggregates, Event};
use super::intern::{NONE, remap};
use super::{EventBuilder, LogOptions};
use crate::error::Result;
use crate::sources::KeptCounter;

/// How many buckets the events are grouped in: enough that a bucket's events fit in a cache
/// and that the buckets share the cores out evenly.
const BUCKETS: usize = 64;

/// The most events a part makes room for ahead of reading them.
const MOST_RESERVED: u64 = 1 << 23;

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

/// One event as read: its case (an index into its bucket's case ids) and indexes into the
/// part's names.
#[derive(Debug, Clone, Copy)]
struct Row {
    time: i64,
    case: u32,
    activity: u32,
    role: u32,
    facility: u32,
}

/// A place in the index of case ids: an id's hash, its place among the ids and its length, and
/// (for an id of at most 16 bytes) its bytes, so that finding a short id (most are) reads this
/// slot alone. An open table: one memory read where a map of hash to entry takes two.
#[derive(Debug, Clone, Copy)]
struct Slot {
    hash: u64,
    /// The first and the last 8 bytes of an id of 8 to 16 bytes; a shorter one in `first`.
    first: u64,
    last: u64,
    /// `EMPTY` for a free slot.
    index: u32,
    len: u32,
}

const EMPTY: u32 = u32::MAX;

const FREE: Slot = Slot { hash: 0, first: 0, last: 0, index: EMPTY, len: 0 };

/// The bytes of an id of at most 16 bytes as two words (`Slot::first`, `Slot::last`).
#[inline]
fn words(name: &[u8]) -> Option<(u64, u64)> {
    let word = |b: &[u8]| b.try_into().map(u64::from_le_bytes).unwrap_or(0);
    match name.len() {
        n @ 8..=16 => Some((word(&name[..8]), word(&name[n - 8..]))),
        n if n < 8 => Some((name.iter().rev().fold(0, |w, &b| (w << 8) | u64::from(b)), 0)),
        _ => None,
    }
}

/// Case ids, each stored once, in the order first met; looked up by a hash of the id.
#[derive(Debug, Default)]
struct CaseIds {
    /// The ids one after another.
    text: String,
    /// Where each id ends in `text`.
    ends: Vec<usize>,
    hashes: Vec<u64>,
    /// Hash → the first id with that hash, by linear probing; a power of two long, at most three
    /// quarters full.
    slots: Vec<Slot>,
    /// Ids whose hash an earlier, different id has.
    others: FxHashMap<Box<str>, u32>,
}

impl CaseIds {
    fn len(&self) -> usize {
        self.ends.len()
    }

    fn name(&self, i: u32) -> &str {
        let i = i as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }

    /// The slot of `hash`: the one holding it, or the free one where it would go.
    #[inline]
    fn slot_of(&self, hash: u64) -> Option<usize> {
        let mask = self.slots.len().checked_sub(1)?;
        let mut at = hash as usize & mask;
        loop {
            let slot = &self.slots[at];
            if slot.index == EMPTY || slot.hash == hash {
                return Some(at);
            }
            at = (at + 1) & mask;
        }
    }

    fn find(&self, hash: u64, name: &str) -> Option<u32> {
        let slot = &self.slots[self.slot_of(hash)?];
        if slot.index == EMPTY {
            return None;
        }
        let same = slot.len as usize == name.len()
            && match words(name.as_bytes()) {
                Some((first, last)) => slot.first == first && slot.last == last,
                None => self.name(slot.index) == name,
            };
        if same { Some(slot.index) } else { self.others.get(name).copied() }
    }

    /// The hash in the slot where `hash` would first be looked for (see `Part::touch`).
    #[inline]
    fn peek(&self, hash: u64) -> u64 {
        self.slots.len().checked_sub(1).map_or(0, |mask| self.slots[hash as usize & mask].hash)
    }

    /// Room for `more` more ids without growing the index.
    fn reserve(&mut self, more: usize) {
        let wanted = (self.ends.len() + more).saturating_mul(4).div_ceil(3).next_power_of_two().max(16);
        if wanted <= self.slots.len() {
            return;
        }
        let old = std::mem::replace(&mut self.slots, vec![FREE; wanted]);
        for slot in old.into_iter().filter(|s| s.index != EMPTY) {
            if let Some(at) = self.slot_of(slot.hash) {
                self.slots[at] = slot;
            }
        }
    }

    /// The index of `name` (whose hash is `hash`), adding it on first sight.
    fn intern(&mut self, hash: u64, name: &str) -> u32 {
        if let Some(i) = self.find(hash, name) {
            return i;
        }
        self.reserve(1);
        let i = u32::try_from(self.ends.len()).unwrap_or(NONE - 1);
        if let Some(at) = self.slot_of(hash) {
            if self.slots[at].index == EMPTY {
                let (first, last) = words(name.as_bytes()).unwrap_or((0, 0));
                let len = u32::try_from(name.len()).unwrap_or(u32::MAX);
                self.slots[at] = Slot { hash, first, last, index: i, len };
            } else {
                self.others.insert(name.into(), i);
            }
        }
        self.text.push_str(name);
        self.ends.push(self.text.len());
        self.hashes.push(hash);
        i
    }

    /// For each of `other`'s indexes, the index of the same id here (added when missing).
    fn absorb(&mut self, other: &CaseIds) -> Vec<u32> {
        (0..other.len() as u32).map(|i| self.intern(other.hashes[i as usize], other.name(i))).collect()
    }
}

/// `text` without white space at either end: as `str::trim`, looking no further than the ends
/// when they are plainly not space (nearly always).
#[inline]
pub(super) fn trim(text: &str) -> &str {
    let plain = |b: Option<&u8>| b.is_some_and(|&b| b > b' ' && b < 0x80);
    let bytes = text.as_bytes();
    if plain(bytes.first()) && plain(bytes.last()) { text } else { text.trim() }
}

/// The hash that places a case id in its bucket and finds it there.
fn case_key(case: &str) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = rustc_hash::FxBuildHasher.build_hasher();
    h.write(case.as_bytes());
    // Spread the bits so the top ones (the bucket) depend on every byte.
    let x = h.finish();
    (x ^ (x >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9) ^ (x >> 32)
}

fn bucket_of(key: u64) -> usize {
    (key >> 58) as usize % BUCKETS
}

/// One bucket of a part: its case ids and its events in file order.
#[derive(Debug, Default)]
struct Bucket {
    cases: CaseIds,
    rows: Vec<Row>,
}

/// What reading a run of rows gives: its events in buckets by case (indexes into its own
/// names), in file order.
pub(super) struct Part {
    /// Only its names (activities, roles, facilities) until the cases are counted.
    pub agg: Aggregates,
    pub builder: EventBuilder,
    buckets: Vec<Bucket>,
    /// Events read so far.
    pub events: u64,
    pub kept: KeptCounter,
}

impl Part {
    pub fn new(options: &LogOptions, kept: KeptCounter) -> Result<Part> {
        Ok(Part {
            agg: Aggregates::salted(options.case_salt.as_deref()),
            builder: EventBuilder::new(options)?,
            buckets: (0..BUCKETS).map(|_| Bucket::default()).collect(),
            events: 0,
            kept,
        })
    }

    /// Makes room for about `events` more events (at most `MOST_RESERVED`: a guess from a file's
    /// first lines or its footer is not trusted further), so that the buckets do not grow by
    /// copying.
    pub fn reserve(&mut self, events: u64) {
        let events = events.min(MOST_RESERVED);
        let each = usize::try_from(events / BUCKETS as u64 + events / BUCKETS as u64 / 8 + 16).unwrap_or(0);
        for bucket in &mut self.buckets {
            bucket.rows.reserve(each);
        }
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
        let case = self.case(case)?;
        let activity = self.activity(activity)?;
        let facility = self.facility(facility);
        let role = self.role(role, resource);
        let time = self.time(time, facility)?;
        self.push(case, activity, time, role, facility);
        Ok(())
    }

    /// Case id `text` (trimmed), or why it cannot be one. The steps of `event`, for a reader that
    /// remembers what a repeated value gave.
    pub fn case(&mut self, text: &str) -> std::result::Result<CaseRef, String> {
        let case = trim(text);
        if case.is_empty() {
            return Err("the case is empty: every event needs one".to_string());
        }
        // "enc\r\n1" and "enc 1" are one case, as names are (`Interner::intern`).
        let mut key = case_key(case);
        let mut bucket = bucket_of(key);
        if let Some(i) = self.buckets[bucket].cases.find(key, case) {
            return Ok(CaseRef { bucket, index: i });
        }
        let cleaned = crate::sources::clean_name(case);
        if cleaned != case {
            key = case_key(&cleaned);
            bucket = bucket_of(key);
        }
        Ok(CaseRef { bucket, index: self.buckets[bucket].cases.intern(key, &cleaned) })
    }

    /// Reads the place in the index where case id `text` would be, so that looking it up soon
    /// after finds it in the cache: several of these in a row wait for memory together. What it
    /// gives means nothing (it is for `std::hint::black_box`).
    #[inline]
    pub fn touch(&self, text: &str) -> u64 {
        let key = case_key(trim(text));
        self.buckets[bucket_of(key)].cases.peek(key)
    }

    /// The index of activity `text` (trimmed), or why it cannot be one.
    pub fn activity(&mut self, text: &str) -> std::result::Result<u32, String> {
        let activity = trim(text);
        if activity.is_empty() {
            return Err("the activity is empty: every event needs one".to_string());
        }
        Ok(self.agg.activities.intern(activity))
    }

    /// The index of facility `text` (trimmed; `NONE` when empty).
    pub fn facility(&mut self, text: &str) -> u32 {
        self.agg.facilities.intern_optional(trim(text))
    }

    /// The index of the role of an event with this role and resource (`NONE` when neither gives
    /// one); the resource is counted, never kept.
    pub fn role(&mut self, role: &str, resource: &str) -> u32 {
        self.builder.role(trim(role), trim(resource), &mut self.agg.roles)
    }

    /// The instant of an event at facility `facility`, or why it has none.
    pub fn time(&mut self, time: Stamp<'_>, facility: u32) -> std::result::Result<i64, String> {
        Ok(match time {
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
        })
    }

    /// Adds an event from its parts.
    pub fn push(&mut self, case: CaseRef, activity: u32, time: i64, role: u32, facility: u32) {
        self.buckets[case.bucket].rows.push(Row { time, case: case.index, activity, role, facility });
        self.events += 1;
    }
}

/// A case of a part: its bucket and its index among the bucket's case ids.
#[derive(Debug, Clone, Copy)]
pub(super) struct CaseRef {
    bucket: usize,
    index: u32,
}

/// The parts (in file order) together: the names joined in the order the file first gives them,
/// then each bucket's events grouped by case and counted on one of `options.threads` threads,
/// and the buckets' counts added in bucket order. `kept` is the empty counter, for when there
/// are no parts.
pub(super) fn join(
    parts: Vec<Part>,
    options: &LogOptions,
    kept: &KeptCounter,
) -> Result<(Aggregates, EventBuilder, KeptCounter)> {
    let mut names = Aggregates::salted(options.case_salt.as_deref());
    let mut builder: Option<EventBuilder> = None;
    let mut kept_all: Option<KeptCounter> = None;
    let mut maps = Vec::with_capacity(parts.len());
    let mut buckets: Vec<Vec<Bucket>> = (0..BUCKETS).map(|_| Vec::with_capacity(parts.len())).collect();
    for part in parts {
        maps.push(Names {
            activities: names.activities.absorb(&part.agg.activities),
            roles: names.roles.absorb(&part.agg.roles),
            facilities: names.facilities.absorb(&part.agg.facilities),
        });
        match &mut builder {
            None => builder = Some(part.builder),
            Some(b) => b.merge(part.builder),
        }
        match &mut kept_all {
            None => kept_all = Some(part.kept),
            Some(k) => k.merge(part.kept),
        }
        for (all, bucket) in buckets.iter_mut().zip(part.buckets) {
            all.push(bucket);
        }
    }
    let threads = match options.threads {
        0 => std::thread::available_parallelism().map_or(1, usize::from),
        n => n,
    }
    .clamp(1, BUCKETS);
    // Each thread takes the next bucket not yet taken; the counts come back by bucket.
    let slots: Vec<std::sync::Mutex<Option<Vec<Bucket>>>> =
        buckets.into_iter().map(|b| std::sync::Mutex::new(Some(b))).collect();
    let next = AtomicUsize::new(0);
    let counted: Vec<(usize, Aggregates)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let b = next.fetch_add(1, Ordering::Relaxed);
                        let Some(slot) = slots.get(b) else { break };
                        let parts = slot.lock().map(|mut s| s.take()).unwrap_or_default().unwrap_or_default();
                        out.push((b, count_bucket(parts, &maps, &names)));
                    }
                    out
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().unwrap_or_default()).collect()
    });
    let mut counted = counted;
    counted.sort_by_key(|(b, _)| *b);
    let mut agg = names;
    for (_, part) in counted {
        agg.merge(part);
    }
    let builder = builder.map_or_else(|| EventBuilder::new(options), Ok)?;
    Ok((agg, builder, kept_all.unwrap_or_else(|| kept.clone())))
}

/// One part's activity, role and facility indexes → the joined ones.
struct Names {
    activities: Vec<u32>,
    roles: Vec<u32>,
    facilities: Vec<u32>,
}

/// One bucket of every part (in file order) counted: its cases in the order they first appear,
/// each case's events in file order (a stable counting sort by case), with the joined names.
fn count_bucket(parts: Vec<Bucket>, maps: &[Names], names: &Aggregates) -> Aggregates {
    let mut agg = Aggregates::salted(names.case_salt.as_deref());
    agg.activities.clone_from(&names.activities);
    agg.roles.clone_from(&names.roles);
    agg.facilities.clone_from(&names.facilities);
    let mut parts = parts.into_iter();
    let Some(first_part) = parts.next() else { return agg };
    let rest: Vec<Bucket> = parts.collect();
    let mut cases = first_part.cases;
    let mut case_maps = vec![Vec::new()];
    for bucket in &rest {
        case_maps.push(cases.absorb(&bucket.cases));
    }
    let mut first = vec![0usize; cases.len() + 1];
    let runs = std::iter::once(first_part.rows).chain(rest.into_iter().map(|b| b.rows));
    let runs: Vec<Vec<Row>> = runs.collect();
    for (k, run) in runs.iter().enumerate() {
        for row in run {
            let c = if k == 0 { row.case } else { case_maps[k][row.case as usize] };
            first[c as usize + 1] += 1;
        }
    }
    for i in 1..first.len() {
        first[i] += first[i - 1];
    }
    let mut at = first.clone();
    let mut events = vec![Event { activity: 0, time: 0, role: NONE, facility: NONE }; first[cases.len()]];
    for (k, (run, map)) in runs.into_iter().zip(maps).enumerate() {
        for row in run {
            let c = if k == 0 { row.case } else { case_maps[k][row.case as usize] } as usize;
            events[at[c]] = Event {
                activity: map.activities[row.activity as usize],
                time: row.time,
                role: remap(&map.roles, row.role),
                facility: remap(&map.facilities, row.facility),
            };
            at[c] += 1;
        }
    }
    drop(at);
    for c in 0..cases.len() {
        agg.add_case(cases.name(c as u32), &mut events[first[c]..first[c + 1]]);
    }
    agg
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn case_ids_keep_ids_whose_hashes_collide_apart() {
        let mut ids = CaseIds::default();
        assert_eq!(ids.intern(7, "a"), 0);
        assert_eq!(ids.intern(7, "b"), 1);
        assert_eq!(ids.intern(7, "a"), 0);
        assert_eq!(ids.intern(7, "b"), 1);
        assert_eq!(ids.intern(8, "c"), 2);
        assert_eq!((ids.name(0), ids.name(1), ids.name(2)), ("a", "b", "c"));
        let mut other = CaseIds::default();
        other.intern(8, "c");
        other.intern(7, "b");
        other.intern(9, "d");
        assert_eq!(ids.absorb(&other), vec![2, 1, 3]);
    }

    #[test]
    fn long_case_ids_are_told_apart_past_their_head() {
        let mut ids = CaseIds::default();
        let (a, b) = ("encounter-2024-000000001", "encounter-2024-000000002");
        assert_eq!((ids.intern(1, a), ids.intern(2, b)), (0, 1));
        assert_eq!((ids.find(1, a), ids.find(2, b), ids.find(1, b)), (Some(0), Some(1), None));
    }

    proptest::proptest! {
        #[test]
        fn trim_is_str_trim(text in "[ a\t\u{a0}\u{3000}b\n]{0,6}") {
            proptest::prop_assert_eq!(trim(&text), text.trim());
        }
    }

    #[test]
    fn a_case_id_with_a_line_break_is_the_case_with_a_space() {
        let options = LogOptions { threads: 3, ..LogOptions::default() };
        let mut parts = Vec::new();
        for (case, activity) in [("enc 1", "A"), ("enc 2", "A"), ("enc\r\n1", "B"), (" enc 2 ", "B")] {
            let mut part = Part::new(&options, KeptCounter::default()).unwrap();
            part.event(case, activity, Stamp::Instant(parts.len() as i64), "", "", "").unwrap();
            parts.push(part);
        }
        let (agg, _, _) = join(parts, &options, &KeptCounter::default()).unwrap();
        assert_eq!((agg.cases, agg.events), (2, 4));
        assert_eq!(agg.variants.len(), 1);
        let variant = agg.variants.values().next().unwrap();
        assert_eq!((variant.count, variant.example_case.as_str()), (2, "enc 1"));
    }
}
