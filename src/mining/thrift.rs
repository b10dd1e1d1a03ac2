//! A check of Thrift compact-protocol structs (a Parquet footer, a page header) before the parquet
//! crate reads them. The crate skips a list, set or map of booleans as if its elements took no
//! bytes, so one such list counting 2³¹ elements costs it seconds, and a few hundred of them in a
//! 5 kB file hang it; and it sizes a list from its count. No Parquet writer puts a container of
//! booleans in a footer or a page header, so one is refused here; with none, every element takes
//! at least a byte, and a count over the bytes left is refused too. What the crate does with a
//! struct that passes is then bounded by the struct's length.

/// The deepest nesting taken (the crate's own limit is 64).
const DEEPEST: usize = 32;

/// What a checked struct holds that a caller needs: its length in bytes, and the last value of
/// each of its own top-level 32-bit integer fields asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Checked {
    pub length: usize,
    /// The field asked for (`check_struct`'s `field`), when the struct has it as an i32.
    pub field: Option<i32>,
}

/// Checks the struct at the start of `bytes`; `field` names a top-level i32 field whose value the
/// caller wants (a page header's compressed size is field 3). An error says what is wrong; a
/// struct cut short by the end of `bytes` is `Err(Short)`, so the caller can try with more.
pub(super) fn check_struct(bytes: &[u8], field: i16) -> Result<Checked, Problem> {
    let mut walk = Walk { bytes, at: 0, wanted: field, found: None };
    walk.structure(0)?;
    Ok(Checked { length: walk.at, field: walk.found })
}

/// Why a struct was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Problem {
    /// The bytes end inside it.
    Short,
    /// It is not one the crate can be trusted to read quickly; the text says why.
    Refused(&'static str),
}

struct Walk<'a> {
    bytes: &'a [u8],
    at: usize,
    wanted: i16,
    found: Option<i32>,
}

impl Walk<'_> {
    fn byte(&mut self) -> Result<u8, Problem> {
        let b = *self.bytes.get(self.at).ok_or(Problem::Short)?;
        self.at += 1;
        Ok(b)
    }

    fn varint(&mut self) -> Result<u64, Problem> {
        let mut value = 0u64;
        for shift in (0..70).step_by(7) {
            let b = self.byte()?;
            value |= u64::from(b & 0x7f) << shift.min(63);
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(Problem::Refused("a number runs over ten bytes"))
    }

    fn skip(&mut self, n: u64) -> Result<(), Problem> {
        let n = usize::try_from(n).map_err(|_| Problem::Short)?;
        if n > self.bytes.len() - self.at {
            return Err(Problem::Short);
        }
        self.at += n;
        Ok(())
    }

    /// A count of elements, which cannot be more than the bytes left (each takes one at least).
    fn count(&mut self, count: u64) -> Result<u64, Problem> {
        if count > i32::MAX as u64 {
            return Err(Problem::Refused("a list counts more than 2³¹ elements"));
        }
        if count > (self.bytes.len() - self.at) as u64 {
            return Err(Problem::Short);
        }
        Ok(count)
    }

    fn structure(&mut self, depth: usize) -> Result<(), Problem> {
        if depth > DEEPEST {
            return Err(Problem::Refused("structures nest too deep"));
        }
        let mut id: i16 = 0;
        loop {
            let header = self.byte()?;
            let kind = header & 0x0f;
            if kind == 0 {
                return Ok(());
            }
            let delta = header >> 4;
            id = if delta == 0 {
                let raw = self.varint()?;
                let zigzag = ((raw >> 1) as i64) ^ -((raw & 1) as i64);
                i16::try_from(zigzag).map_err(|_| Problem::Refused("a field number is out of range"))?
            } else {
                id.checked_add(i16::from(delta)).ok_or(Problem::Refused("a field number is out of range"))?
            };
            if depth == 0 && id == self.wanted && kind == 5 {
                let raw = self.varint()?;
                let value = ((raw >> 1) as i64) ^ -((raw & 1) as i64);
                self.found =
                    Some(i32::try_from(value).map_err(|_| Problem::Refused("a size is out of range"))?);
                continue;
            }
            match kind {
                // A boolean field's value is in its header.
                1 | 2 => {}
                _ => self.value(kind, depth)?,
            }
        }
    }

    /// A value of type `kind` (an element type: 1 and 2 are booleans).
    fn value(&mut self, kind: u8, depth: usize) -> Result<(), Problem> {
        match kind {
            1..=3 => self.skip(1),
            4..=6 => self.varint().map(|_| ()),
            7 => self.skip(8),
            8 => {
                let n = self.varint()?;
                self.skip(n)
            }
            9 | 10 => {
                let header = self.byte()?;
                if header == 0 {
                    return Ok(());
                }
                let element = header & 0x0f;
                let count = match header >> 4 {
                    15 => self.varint()?,
                    n => u64::from(n),
                };
                self.elements(count, &[element], depth)
            }
            11 => {
                let count = self.varint()?;
                if count == 0 {
                    return Ok(());
                }
                let types = self.byte()?;
                self.elements(count, &[types >> 4, types & 0x0f], depth)
            }
            12 => self.structure(depth + 1),
            13 => self.skip(16),
            _ => Err(Problem::Refused("a value has an unknown type")),
        }
    }

    /// `count` elements, each a value of each of `kinds` in turn.
    fn elements(&mut self, count: u64, kinds: &[u8], depth: usize) -> Result<(), Problem> {
        if count > 0 && kinds.iter().any(|&k| k == 1 || k == 2) {
            return Err(Problem::Refused("a list holds booleans, which no Parquet writer puts here"));
        }
        if kinds.iter().any(|&k| k == 0 || k > 13) {
            return Err(Problem::Refused("a list's elements have an unknown type"));
        }
        for _ in 0..self.count(count)? {
            for &k in kinds {
                self.value(k, depth + 1)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_page_header_is_measured_and_its_size_found() {
        // type=0 (i32, delta 1), uncompressed=100 (delta 1), compressed=60 (delta 1), then a
        // data page header struct (field 5, delta 2) with num_values=10, and stop.
        let header = [0x15, 0x00, 0x15, 0xc8, 0x01, 0x15, 0x78, 0x2c, 0x15, 0x14, 0x00, 0x00];
        let checked = check_struct(&header, 3).unwrap();
        assert_eq!(checked, Checked { length: header.len(), field: Some(60) });
        assert_eq!(check_struct(&header[..5], 3), Err(Problem::Short));
    }

    #[test]
    fn containers_of_booleans_and_counts_past_the_end_are_refused() {
        // Field 1, a list (type 9) of 2³¹-1 booleans.
        let bools = [0x19, 0xf1, 0xff, 0xff, 0xff, 0xff, 0x07, 0x00];
        assert!(matches!(check_struct(&bools, 3), Err(Problem::Refused(_))));
        // A map (type 11) of booleans to booleans.
        assert!(matches!(check_struct(&[0x1b, 0x05, 0x11, 0x00], 3), Err(Problem::Refused(_))));
        // A list of 1000 i32 in a few bytes.
        assert_eq!(check_struct(&[0x19, 0xf5, 0xe8, 0x07, 0x00, 0x00], 3), Err(Problem::Short));
        // An empty list of booleans is harmless.
        assert!(check_struct(&[0x19, 0x01, 0x00], 3).is_ok());
    }

    #[test]
    fn nesting_is_bounded() {
        let mut deep = vec![0x1c; 40];
        deep.extend(vec![0x00; 41]);
        assert!(matches!(check_struct(&deep, 3), Err(Problem::Refused(_))));
    }
}
