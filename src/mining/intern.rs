//! Names seen many times (activities, roles, facilities, case ids) stored once and referred to by
//! index, so reading a large log allocates a string only the first time it meets it.

use rustc_hash::FxHashMap;

/// No value (an event without a role or facility).
pub const NONE: u32 = u32::MAX;

#[derive(Debug, Default, Clone)]
pub struct Interner {
    index: FxHashMap<Box<str>, u32>,
    names: Vec<Box<str>>,
}

impl Interner {
    /// The index of `name`, adding it on first sight.
    pub fn intern(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        // "North\r\nCampus" and " North Campus" are the name "North Campus".
        let cleaned = crate::sources::clean_name(name);
        let name = cleaned.as_ref();
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        let i = u32::try_from(self.names.len()).unwrap_or(NONE - 1);
        self.names.push(name.into());
        self.index.insert(name.into(), i);
        i
    }

    /// The index of `name`, or `NONE` for an empty one.
    pub fn intern_optional(&mut self, name: &str) -> u32 {
        if name.is_empty() { NONE } else { self.intern(name) }
    }

    pub fn name(&self, i: u32) -> &str {
        self.names.get(i as usize).map_or("", |n| n)
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Rewrites every name through `f` (which must not map two names to one), keeping indexes.
    pub fn rename_each(&mut self, mut f: impl FnMut(&str) -> String) {
        for name in &mut self.names {
            let renamed = f(name);
            if renamed != **name {
                self.index.remove(&**name);
                *name = renamed.into_boxed_str();
            }
        }
        for (i, name) in self.names.iter().enumerate() {
            self.index.insert(name.clone(), u32::try_from(i).unwrap_or(NONE - 1));
        }
    }

    /// For each of `other`'s indexes, the index of the same name here (added when missing).
    pub fn absorb(&mut self, other: &Interner) -> Vec<u32> {
        other.names.iter().map(|n| self.intern(n)).collect()
    }
}

/// `remap[i]`, keeping `NONE`.
pub fn remap(remap: &[u32], i: u32) -> u32 {
    if i == NONE { NONE } else { remap[i as usize] }
}
