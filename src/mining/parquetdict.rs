//! A text column of one Parquet row group read straight from its pages: the column chunk's
//! dictionary, then each row's index into it. A reader then meets each distinct value once a row
//! group (checked, trimmed and looked up once) instead of once a row. Values of plain pages (a
//! writer falls back to them when the dictionary grows too big) are added as entries of their
//! own. Pages in any other encoding give `None`: the general column reader reads those.

use parquet::basic::Encoding;
use parquet::column::page::{Page, PageReader};

/// A row's entry when the row is null.
pub(super) const NULL_ENTRY: u32 = u32::MAX;

/// The most rows a row group may have to be read this way (beyond, the general reader streams
/// it in batches, so a row group's claimed size cannot make memory grow).
pub(super) const MOST_ROWS: u64 = 1 << 22;

/// A column's distinct texts (bytes as stored, checked when used) and each row's entry.
#[derive(Debug, Default)]
pub(super) struct TextColumn {
    text: Vec<u8>,
    /// Where each entry ends in `text`.
    ends: Vec<usize>,
    /// Each row's entry (`NULL_ENTRY` when null).
    pub rows: Vec<u32>,
}

impl TextColumn {
    pub fn entry(&self, i: u32) -> &[u8] {
        let i = i as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }

    fn push_entry(&mut self, bytes: &[u8]) -> Result<u32, String> {
        let i = u32::try_from(self.ends.len())
            .ok()
            .filter(|&i| i < NULL_ENTRY)
            .ok_or_else(|| "holds too many values".to_string())?;
        self.text.extend_from_slice(bytes);
        self.ends.push(self.text.len());
        Ok(i)
    }
}

/// The column whose pages `pages` gives, for a row group of `rows` rows; `max_def` is its
/// definition level when not null (0: never null). `Ok(None)` when a page is in an encoding
/// read only by the general reader; `Err` says what is wrong with the data.
pub(super) fn read(
    pages: &mut dyn PageReader,
    max_def: i16,
    rows: u64,
) -> Result<Option<TextColumn>, String> {
    let rows = usize::try_from(rows).map_err(|_| "holds too many rows".to_string())?;
    let mut column = TextColumn { rows: Vec::with_capacity(rows.min(1 << 20)), ..TextColumn::default() };
    // The dictionary's entries are the first `dictionary` of the column's.
    let mut dictionary: Option<u32> = None;
    let mut levels = Vec::new();
    let mut indexes = Vec::new();
    // Pages past the row group's last row are not read, as the general reader does not read them.
    while column.rows.len() < rows
        && let Some(page) = pages.get_next_page().map_err(|e| e.to_string())?
    {
        let (buf, values, encoding, levels_at) = match page {
            Page::DictionaryPage { buf, num_values, encoding, .. } => {
                if dictionary.is_some() || !matches!(encoding, Encoding::PLAIN | Encoding::PLAIN_DICTIONARY) {
                    return Ok(None);
                }
                let mut data: &[u8] = &buf;
                for _ in 0..num_values {
                    let value = plain_value(&mut data).ok_or("has a damaged dictionary page")?;
                    column.push_entry(value)?;
                }
                dictionary = Some(column.ends.len() as u32);
                continue;
            }
            Page::DataPage { buf, num_values, encoding, def_level_encoding, .. } => {
                if max_def > 0 && def_level_encoding != Encoding::RLE {
                    return Ok(None);
                }
                (buf, num_values, encoding, None)
            }
            Page::DataPageV2 {
                buf, num_values, encoding, def_levels_byte_len, rep_levels_byte_len, ..
            } => (
                buf,
                num_values,
                encoding,
                Some((rep_levels_byte_len as usize, def_levels_byte_len as usize)),
            ),
        };
        let values = values as usize;
        if column.rows.len() + values > rows {
            return Err(format!("holds more values than its {rows} rows"));
        }
        // Definition levels: whether each row has a value.
        let mut data: &[u8] = &buf;
        levels.clear();
        if max_def > 0 {
            let width = bit_width(max_def as u32);
            let encoded = match levels_at {
                None => {
                    let length = take_u32(&mut data).ok_or("has a damaged data page")? as usize;
                    take(&mut data, length).ok_or("has a damaged data page")?
                }
                Some((rep, def)) => {
                    take(&mut data, rep).ok_or("has a damaged data page")?;
                    take(&mut data, def).ok_or("has a damaged data page")?
                }
            };
            rle_hybrid(encoded, width, values, &mut levels).ok_or("has damaged definition levels")?;
        } else if let Some((rep, def)) = levels_at {
            take(&mut data, rep + def).ok_or("has a damaged data page")?;
        }
        let present =
            if max_def > 0 { levels.iter().filter(|&&l| l == max_def as u32).count() } else { values };
        indexes.clear();
        match encoding {
            Encoding::PLAIN_DICTIONARY | Encoding::RLE_DICTIONARY => {
                let size = dictionary.ok_or("has dictionary-encoded values but no dictionary")?;
                let (&width, rest) = data.split_first().ok_or("has a damaged data page")?;
                if present > 0 {
                    if width > 32 {
                        return Err("has a damaged data page".to_string());
                    }
                    rle_hybrid(rest, u32::from(width), present, &mut indexes)
                        .ok_or("has damaged dictionary indexes")?;
                }
                if indexes.iter().any(|&i| i >= size) {
                    return Err("refers to a value its dictionary does not have".to_string());
                }
            }
            Encoding::PLAIN => {
                for _ in 0..present {
                    let value = plain_value(&mut data).ok_or("has a damaged data page")?;
                    indexes.push(column.push_entry(value)?);
                }
            }
            _ => return Ok(None),
        }
        if max_def > 0 {
            let mut next = indexes.iter();
            for &level in &levels {
                column.rows.push(if level == max_def as u32 {
                    *next.next().ok_or("has a damaged data page")?
                } else {
                    NULL_ENTRY
                });
            }
        } else {
            column.rows.extend_from_slice(&indexes);
        }
    }
    if column.rows.len() != rows {
        return Err(format!("holds {} values for {rows} rows", column.rows.len()));
    }
    Ok(Some(column))
}

/// Bits needed for values up to `max`.
fn bit_width(max: u32) -> u32 {
    32 - max.leading_zeros()
}

fn take<'a>(data: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
    if data.len() < n {
        return None;
    }
    let (head, rest) = data.split_at(n);
    *data = rest;
    Some(head)
}

fn take_u32(data: &mut &[u8]) -> Option<u32> {
    take(data, 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// A PLAIN byte array: its length (4 bytes, little-endian), then its bytes.
fn plain_value<'a>(data: &mut &'a [u8]) -> Option<&'a [u8]> {
    let length = take_u32(data)? as usize;
    take(data, length)
}

/// An unsigned LEB128 number.
fn varint(data: &mut &[u8]) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let (&byte, rest) = data.split_first()?;
        *data = rest;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

/// Decodes `count` values of `width` bits (at most 32) in Parquet's RLE / bit-packing hybrid
/// into `out`; `None` when the data ends early.
fn rle_hybrid(mut data: &[u8], width: u32, count: usize, out: &mut Vec<u32>) -> Option<()> {
    let end = out.len() + count;
    let bytes = width.div_ceil(8) as usize;
    while out.len() < end {
        let header = varint(&mut data)?;
        let left = end - out.len();
        if header & 1 == 0 {
            // A run: one value, repeated.
            let run = usize::try_from(header >> 1).unwrap_or(usize::MAX).min(left);
            let raw = take(&mut data, bytes)?;
            let value = raw.iter().rev().fold(0u32, |v, &b| (v << 8) | u32::from(b));
            out.extend(std::iter::repeat_n(value, run));
        } else {
            // Groups of eight values, packed from the lowest bit up.
            let groups = usize::try_from(header >> 1).ok()?;
            let packed = take(&mut data, groups.checked_mul(width as usize)?)?;
            let n = groups.saturating_mul(8).min(left);
            if width == 0 {
                out.extend(std::iter::repeat_n(0, n));
                continue;
            }
            let mask = if width == 32 { u64::from(u32::MAX) } else { (1u64 << width) - 1 };
            let (mut buffer, mut bits, mut at) = (0u64, 0u32, 0usize);
            for _ in 0..n {
                while bits < width {
                    buffer |= u64::from(packed[at]) << bits;
                    at += 1;
                    bits += 8;
                }
                out.push((buffer & mask) as u32);
                buffer >>= width;
                bits -= width;
            }
        }
    }
    Some(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn runs_and_packed_groups_decode() {
        // A run of 5 threes, then one packed group of 0..=7 (width 3).
        let mut out = Vec::new();
        let data = [5 << 1, 3, 1 << 1 | 1, 0b1000_1000, 0b1100_0110, 0b1111_1010];
        rle_hybrid(&data, 3, 13, &mut out).unwrap();
        assert_eq!(out, vec![3, 3, 3, 3, 3, 0, 1, 2, 3, 4, 5, 6, 7]);
        // Fewer values wanted than the group holds: the padding is left.
        let mut out = Vec::new();
        rle_hybrid(&data[2..], 3, 3, &mut out).unwrap();
        assert_eq!(out, vec![0, 1, 2]);
        // The data ends before the values do.
        assert_eq!(rle_hybrid(&data[..2], 3, 13, &mut Vec::new()), None);
        assert_eq!(rle_hybrid(&[0x80], 3, 1, &mut Vec::new()), None);
    }

    #[test]
    fn bit_widths_of_levels() {
        assert_eq!((bit_width(0), bit_width(1), bit_width(2), bit_width(3), bit_width(4)), (0, 1, 2, 2, 3));
    }
}
