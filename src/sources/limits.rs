//! Limits enforced while a file is read, not after: a compressed stream that inflates too far or
//! too steeply is refused as it inflates, and an XML element longer than the limit is refused as
//! soon as it passes it, before the parser has buffered it. Each limit errs with a
//! `LimitExceeded` inside an I/O error, which the importers turn into their message.

use std::cell::Cell;
use std::io::{BufRead, Read};
use std::rc::Rc;

/// The most a compressed input (`.xes.gz`, a workbook's parts together) may inflate to.
pub const MAX_INFLATED_BYTES: u64 = 16 << 30;
/// The most a compressed input may inflate relative to its compressed size, once past
/// `RATIO_FLOOR` (real logs and workbooks inflate 5–40 times; bombs a thousand and more).
pub const MAX_INFLATION_RATIO: u64 = 200;
/// Below this many inflated bytes the ratio is not judged (small files compress very well).
pub const RATIO_FLOOR: u64 = 16 << 20;

/// A limit an input passed while it was read; its text completes "the file …".
#[derive(Debug)]
pub struct LimitExceeded(pub String);

impl std::fmt::Display for LimitExceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LimitExceeded {}

fn exceeded(message: String) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, LimitExceeded(message))
}

/// The limit an I/O error reports, if it is one of these.
pub fn limit_of(e: &std::io::Error) -> Option<&LimitExceeded> {
    e.get_ref().and_then(|inner| inner.downcast_ref::<LimitExceeded>())
}

/// Counts the compressed bytes read from the file, for `Inflating` to judge the ratio by.
#[derive(Debug)]
pub struct Compressed<R> {
    inner: R,
    read: Rc<Cell<u64>>,
}

impl<R> Compressed<R> {
    pub fn new(inner: R) -> (Compressed<R>, Rc<Cell<u64>>) {
        let read = Rc::new(Cell::new(0));
        (Compressed { inner, read: Rc::clone(&read) }, read)
    }
}

impl<R: Read> Read for Compressed<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.set(self.read.get() + n as u64);
        Ok(n)
    }
}

/// The inflated side of a decompressor: refuses, as it reads, more than `MAX_INFLATED_BYTES` or
/// more than `MAX_INFLATION_RATIO` times what was read of the file.
#[derive(Debug)]
pub struct Inflating<R> {
    inner: R,
    inflated: u64,
    compressed: Rc<Cell<u64>>,
    /// Bytes of the compressed file before this stream's start (a part read from an offset).
    max: u64,
}

impl<R> Inflating<R> {
    pub fn new(inner: R, compressed: Rc<Cell<u64>>) -> Inflating<R> {
        Inflating { inner, inflated: 0, compressed, max: MAX_INFLATED_BYTES }
    }

    /// The same, with a lower absolute limit (a workbook's single part).
    pub fn with_max(inner: R, compressed: Rc<Cell<u64>>, max: u64) -> Inflating<R> {
        Inflating { inner, inflated: 0, compressed, max }
    }
}

impl<R: Read> Read for Inflating<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.inflated += n as u64;
        if self.inflated > self.max {
            return Err(exceeded(format!(
                "the file inflates to more than {} MiB, the limit for a compressed input; refused as a decompression bomb (split it, or export it uncompressed)",
                self.max >> 20
            )));
        }
        let compressed = self.compressed.get().max(1);
        if self.inflated > RATIO_FLOOR && self.inflated > compressed.saturating_mul(MAX_INFLATION_RATIO) {
            return Err(exceeded(format!(
                "the file inflates more than {MAX_INFLATION_RATIO} times its compressed size ({} MiB from {} KiB so far); refused as a decompression bomb",
                self.inflated >> 20,
                compressed >> 10
            )));
        }
        Ok(n)
    }
}

/// Where the XML parser's last complete event ended, set by the reading loop after each event.
pub type Boundary = Rc<Cell<u64>>;

/// A buffered reader that refuses to hand out more than `limit` bytes past the last event
/// boundary: an element (a tag, a text, a comment) longer than the limit is refused while the
/// parser is still buffering it.
#[derive(Debug)]
pub struct ElementLimit<R> {
    inner: R,
    consumed: u64,
    boundary: Boundary,
    limit: u64,
}

impl<R> ElementLimit<R> {
    pub fn new(inner: R, limit: u64) -> (ElementLimit<R>, Boundary) {
        let boundary = Rc::new(Cell::new(0));
        (ElementLimit { inner, consumed: 0, boundary: Rc::clone(&boundary), limit }, boundary)
    }
}

impl<R: BufRead> Read for ElementLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for ElementLimit<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        if self.consumed.saturating_sub(self.boundary.get()) > self.limit {
            return Err(exceeded(format!("an element is larger than the limit of {} bytes", self.limit)));
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        self.consumed += amount as u64;
        self.inner.consume(amount);
    }
}
