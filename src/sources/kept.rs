//! Columns a consultant chose to keep (`--keep-column NAME`) beyond the mapped ones: only their
//! values and how often each occurs are kept, never the rows they came from.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// How many distinct values of a kept column are listed; the rest are counted together.
pub const KEPT_VALUES: usize = 100;

/// A kept column's values with their counts, most frequent first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptColumn {
    pub column: String,
    pub values: Vec<KeptValue>,
    /// Records whose value is not among the listed ones.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub other: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptValue {
    pub value: String,
    pub count: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// Counts the values of the kept columns while a source is read.
#[derive(Debug, Clone, Default)]
pub struct KeptCounter {
    columns: Vec<String>,
    counts: Vec<HashMap<String, u64>>,
}

impl KeptCounter {
    /// A counter for `names`, each of which must be one of `available` (headers or keys).
    pub fn new(names: &[String], available: &[String], file: &str, location: &str) -> Result<KeptCounter> {
        for name in names {
            if !available.iter().any(|h| h == name) {
                return Err(Error::input(
                    file,
                    location,
                    format!("no column {name:?} to keep (the columns are: {})", available.join(", ")),
                ));
            }
        }
        Ok(KeptCounter::of(names))
    }

    /// A counter for `names` without checking them (for sources whose keys show up as read).
    pub fn of(names: &[String]) -> KeptCounter {
        KeptCounter { columns: names.to_vec(), counts: vec![HashMap::new(); names.len()] }
    }

    pub fn names(&self) -> &[String] {
        &self.columns
    }

    pub fn is_empty(&self) -> bool {
        self.columns.is_empty()
    }

    /// Whether `name` is kept, and at which position.
    pub fn position(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }

    pub fn add(&mut self, index: usize, value: &str, weight: u64) {
        let value = value.trim();
        if value.is_empty() || weight == 0 {
            return;
        }
        if let Some(counts) = self.counts.get_mut(index) {
            match counts.get_mut(value) {
                Some(n) => *n += weight,
                None => {
                    counts.insert(value.to_string(), weight);
                }
            }
        }
    }

    /// Adds another counter's counts (of the same columns).
    pub fn merge(&mut self, other: KeptCounter) {
        for (mine, theirs) in self.counts.iter_mut().zip(other.counts) {
            for (value, n) in theirs {
                *mine.entry(value).or_default() += n;
            }
        }
    }

    /// The kept columns, each with its most frequent values (ties by value).
    pub fn finish(self) -> Vec<KeptColumn> {
        self.columns
            .into_iter()
            .zip(self.counts)
            .map(|(column, counts)| {
                let mut values: Vec<KeptValue> =
                    counts.into_iter().map(|(value, count)| KeptValue { value, count }).collect();
                values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
                let other = values.iter().skip(KEPT_VALUES).map(|v| v.count).sum();
                values.truncate(KEPT_VALUES);
                KeptColumn { column, values, other }
            })
            .collect()
    }
}

/// Refuses kept columns whose name or values look like identifiers (names, record numbers, social
/// security numbers, dates of birth, contact details), unless the user confirmed each of them
/// (`--keep-identifying-column`): their values would be stored in the project as they are.
pub fn refuse_identifying(kept: &[KeptColumn], confirmed: &[String], file: &str) -> Result<()> {
    for k in kept {
        if confirmed.iter().any(|c| c == &k.column) {
            continue;
        }
        let values: Vec<&str> = k.values.iter().map(|v| v.value.as_str()).collect();
        if let Some(what) = crate::phi::flag_column(&k.column, &values) {
            return Err(Error::input(
                file,
                format!("column {:?}", k.column),
                format!(
                    "looks like {what}, and keeping it stores its values in the project; leave out --keep-column {0:?}, or confirm with --keep-identifying-column {0:?} as well",
                    k.column
                ),
            ));
        }
    }
    Ok(())
}
