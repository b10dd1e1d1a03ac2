//! CSV dialects: the delimiter (sniffed from the header line), the encoding (UTF-8 with or without
//! BOM, or Windows-1252, detected or chosen) and a limit on the size of one field.

use std::borrow::Cow;
use std::io::Read;
use std::path::Path;

use crate::error::{Error, Result};

/// The largest field Baton reads; a larger one is an error rather than an out-of-memory.
pub const MAX_FIELD_BYTES: usize = 1 << 20;

/// The longest line a CSV source may have (several fields at their limit).
pub const MAX_LINE_BYTES: usize = 4 * MAX_FIELD_BYTES;

/// A reader that fails on a record longer than `MAX_LINE_BYTES`, so a file that is one endless
/// line, one huge field, or one quoted field running over endless lines is refused without
/// reading it into memory. It follows CSV quoting as the parser does (a quote opens a field only
/// at the field's start, a doubled quote inside is a quote), so a line break inside quotes does
/// not end the record.
#[derive(Debug)]
pub struct LineLimit<R> {
    inner: R,
    quoting: Quoting,
    since_record: usize,
    /// Line breaks read so far.
    breaks: usize,
}

impl<R> LineLimit<R> {
    pub fn new(inner: R, delimiter: u8) -> LineLimit<R> {
        LineLimit { inner, quoting: Quoting::new(delimiter), since_record: 0, breaks: 0 }
    }
}

/// CSV quoting followed through a file read in pieces, as the parser follows it: a quote opens a
/// field only at the field's start, a doubled quote inside is a quote, and a line break inside
/// quotes does not end the record. What `LineLimit` and the splitting of a file for several
/// readers (`record_ends`) share.
#[derive(Debug, Clone)]
pub struct Quoting {
    delimiter: u8,
    in_quotes: bool,
    /// A quote ended the last piece inside quotes: the next byte says whether it closed them.
    quote_pending: bool,
    /// The last byte of the last piece (a field starts after a delimiter or a line break).
    previous: u8,
}

impl Quoting {
    /// At the start of a record.
    pub fn new(delimiter: u8) -> Quoting {
        Quoting { delimiter, in_quotes: false, quote_pending: false, previous: b'\n' }
    }

    /// Follows the quoting through the next piece `got`; returns where the last record ended in
    /// it (the index of its line break).
    pub fn scan(&mut self, got: &[u8]) -> Option<usize> {
        let mut last = None;
        self.scan_with(got, |i| {
            last = Some(i);
            true
        });
        last
    }

    /// Follows the quoting through `got`, calling `record_end` with the index of each line break
    /// that ends a record, until it returns false (then the state is not advanced further and
    /// must not be used again).
    pub fn scan_with(&mut self, got: &[u8], mut record_end: impl FnMut(usize) -> bool) {
        let mut i = 0;
        if self.quote_pending && !got.is_empty() {
            self.quote_pending = false;
            if got[0] == b'"' {
                i = 1;
            } else {
                self.in_quotes = false;
            }
        }
        while i < got.len() {
            if self.in_quotes {
                match memchr::memchr(b'"', &got[i..]) {
                    None => break,
                    Some(k) => {
                        let j = i + k;
                        match got.get(j + 1) {
                            Some(b'"') => i = j + 2,
                            Some(_) => {
                                self.in_quotes = false;
                                i = j + 1;
                            }
                            None => {
                                self.quote_pending = true;
                                i = j + 1;
                            }
                        }
                    }
                }
            } else {
                match memchr::memchr2(b'"', b'\n', &got[i..]) {
                    None => break,
                    Some(k) => {
                        let j = i + k;
                        if got[j] == b'\n' {
                            if !record_end(j) {
                                return;
                            }
                        } else {
                            let before = if j == 0 { self.previous } else { got[j - 1] };
                            if before == self.delimiter || before == b'\n' || before == b'\r' {
                                self.in_quotes = true;
                            }
                        }
                        i = j + 1;
                    }
                }
            }
        }
        if let Some(&last) = got.last() {
            self.previous = last;
        }
    }

    /// Passes over `got` in one step when it starts outside quotes and holds no quote, so that
    /// every line break in it ends a record; false (and nothing followed) otherwise.
    pub fn skip_unquoted(&mut self, got: &[u8]) -> bool {
        if self.in_quotes || self.quote_pending || memchr::memchr(b'"', got).is_some() {
            return false;
        }
        if let Some(&last) = got.last() {
            self.previous = last;
        }
        true
    }
}

/// The error `LineLimit` reads as: the 1-based number of the line that is too long.
#[derive(Debug)]
pub struct LineTooLong {
    pub line: usize,
}

impl std::fmt::Display for LineTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the line is longer than the limit of {MAX_LINE_BYTES} bytes, counting a quoted field over several lines as one (is this a CSV file?)"
        )
    }
}

impl std::error::Error for LineTooLong {}

impl<R: Read> Read for LineLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let got = &buf[..n];
        self.since_record = match self.quoting.scan(got) {
            Some(i) => n - i - 1,
            None => self.since_record + n,
        };
        self.breaks += memchr::memchr_iter(b'\n', got).count();
        if self.since_record > MAX_LINE_BYTES {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                LineTooLong { line: self.breaks + 1 },
            ));
        }
        Ok(n)
    }
}

/// A text encoding Baton reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Windows1252,
}

impl Encoding {
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Windows1252 => "windows-1252",
        }
    }

    pub fn parse(name: &str) -> Result<Encoding> {
        match name.to_ascii_lowercase().replace('_', "-").as_str() {
            "utf-8" | "utf8" => Ok(Encoding::Utf8),
            "windows-1252" | "cp1252" | "latin1" | "latin-1" | "iso-8859-1" => Ok(Encoding::Windows1252),
            _ => Err(Error::invalid(
                "encoding",
                format!("unknown encoding {name:?}: use utf-8 or windows-1252"),
            )),
        }
    }

    /// UTF-8 when `sample` is valid UTF-8 (a cut last character allowed), else Windows-1252 (the
    /// encoding of Western exports that are not UTF-8).
    pub fn detect(sample: &[u8]) -> Encoding {
        match std::str::from_utf8(sample) {
            Ok(_) => Encoding::Utf8,
            Err(e) if e.error_len().is_none() => Encoding::Utf8,
            Err(_) => Encoding::Windows1252,
        }
    }

    /// `bytes` as text, or `None` when they are not valid in this encoding.
    pub fn decode<'a>(self, bytes: &'a [u8]) -> Option<Cow<'a, str>> {
        match self {
            Encoding::Utf8 => std::str::from_utf8(bytes).ok().map(Cow::Borrowed),
            Encoding::Windows1252 => {
                let (text, _, had_errors) = encoding_rs::WINDOWS_1252.decode(bytes);
                if had_errors { None } else { Some(text) }
            }
        }
    }
}

/// How one CSV file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvDialect {
    pub delimiter: u8,
    pub encoding: Encoding,
    /// Bytes of BOM to skip at the start.
    pub bom: usize,
}

impl CsvDialect {
    /// The dialect of the file at `path`: `delimiter` and `encoding` when given, otherwise
    /// sniffed from its first 64 KB.
    pub fn of(path: &Path, delimiter: Option<u8>, encoding: Option<&str>) -> Result<CsvDialect> {
        let mut sample = Vec::with_capacity(1 << 16);
        std::fs::File::open(path)
            .and_then(|f| f.take(1 << 16).read_to_end(&mut sample))
            .map_err(|e| Error::io(path, e))?;
        let bom = if sample.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
        let encoding = match encoding {
            Some(name) => Encoding::parse(name)?,
            None => Encoding::detect(&sample[bom..]),
        };
        let delimiter = delimiter.unwrap_or_else(|| sniff_delimiter(&sample[bom..]));
        Ok(CsvDialect { delimiter, encoding, bom })
    }

    /// A CSV reader over `input` (positioned after the BOM) in this dialect.
    pub fn reader<R: Read>(&self, input: R) -> csv::Reader<R> {
        csv::ReaderBuilder::new()
            .delimiter(self.delimiter)
            .flexible(true)
            .has_headers(false)
            .buffer_capacity(1 << 16)
            .from_reader(input)
    }

    /// Opens `path` for reading in this dialect, past the BOM. Lines longer than
    /// `MAX_LINE_BYTES` stop the reading before they are buffered whole.
    pub fn open(&self, path: &Path) -> Result<csv::Reader<LineLimit<std::io::BufReader<std::fs::File>>>> {
        let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        if self.bom > 0 {
            let mut skip = [0u8; 3];
            file.read_exact(&mut skip[..self.bom]).map_err(|e| Error::io(path, e))?;
        }
        Ok(self.reader(LineLimit::new(std::io::BufReader::with_capacity(1 << 16, file), self.delimiter)))
    }

    /// All of `record`'s fields one after another as UTF-8 text, when each field is one that
    /// `field` would give as is (`record.range(i)` then finds field `i` in it): the quick way for
    /// the common case. `None` sends the caller to `field` (another encoding, or an error).
    #[inline]
    pub fn plain_record<'r>(&self, record: &'r csv::ByteRecord) -> Option<&'r str> {
        let bytes = record.as_slice();
        if self.encoding != Encoding::Utf8
            || bytes.len() > MAX_FIELD_BYTES
            || memchr::memchr(0, bytes).is_some()
        {
            return None;
        }
        std::str::from_utf8(bytes).ok()
    }

    /// Field `i` of `record` as text, or an error naming the file, line and column.
    pub fn field<'r>(
        &self,
        file: &Path,
        record: &'r csv::ByteRecord,
        i: usize,
        column: &str,
    ) -> Result<Cow<'r, str>> {
        let bytes = record.get(i).unwrap_or_default();
        if bytes.len() > MAX_FIELD_BYTES {
            return Err(Error::input(
                file.display().to_string(),
                line_of(record),
                format!(
                    "column {column:?} holds {} bytes, more than the limit of {MAX_FIELD_BYTES}",
                    bytes.len()
                ),
            ));
        }
        if memchr::memchr(0, bytes).is_some() {
            return Err(Error::input(
                file.display().to_string(),
                line_of(record),
                format!(
                    "{} holds NUL bytes: the file is binary or UTF-16, not a text CSV; save it as UTF-8 CSV",
                    if column == "header" {
                        "the header line".to_string()
                    } else {
                        format!("column {column:?}")
                    }
                ),
            ));
        }
        self.encoding.decode(bytes).ok_or_else(|| {
            Error::input(
                file.display().to_string(),
                line_of(record),
                format!(
                    "column {column:?} is not valid {}: choose the file's encoding (--encoding windows-1252 or utf-8)",
                    self.encoding.as_str()
                ),
            )
        })
    }
}

/// The position of the column headed `name`, or an error at `at` listing the columns there are.
pub fn column_index(file: &str, at: &str, headers: &[String], name: &str, part: &str) -> Result<usize> {
    headers.iter().position(|h| h == name).ok_or_else(|| {
        Error::input(
            file,
            at,
            format!("no column named {name:?} for the {part}; the columns are: {}", headers.join(", ")),
        )
    })
}

/// "line N" of a record, for messages.
pub fn line_of(record: &csv::ByteRecord) -> String {
    record.position().map_or_else(|| "a line".to_string(), |p| format!("line {}", p.line()))
}

/// The CSV error `e` in file `path` as a clear input error.
pub fn csv_error(path: &Path, e: csv::Error) -> Error {
    let location = e.position().map_or_else(|| "a line".to_string(), |p| format!("line {}", p.line()));
    if let csv::ErrorKind::Io(io) = e.kind()
        && let Some(long) = io.get_ref().and_then(|inner| inner.downcast_ref::<LineTooLong>())
    {
        return Error::input(path.display().to_string(), format!("line {}", long.line), long.to_string());
    }
    let message = match e.kind() {
        csv::ErrorKind::Io(io) => format!("cannot read: {io}"),
        csv::ErrorKind::Utf8 { .. } => "not valid UTF-8: choose the encoding with --encoding".to_string(),
        _ => format!("not valid CSV ({e})"),
    };
    Error::input(path.display().to_string(), location, message)
}

/// The delimiter of a CSV sample: of `,` `;` tab `|`, the one found most often outside quotes in
/// the first line; `,` when none is.
pub fn sniff_delimiter(sample: &[u8]) -> u8 {
    let mut counts = [0usize; 4];
    let candidates = [b',', b';', b'\t', b'|'];
    let mut quoted = false;
    for &b in sample {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            _ if !quoted => {
                if let Some(i) = candidates.iter().position(|&c| c == b) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    let best = (0..4).max_by_key(|&i| (counts[i], usize::MAX - i)).unwrap_or(0);
    if counts[best] == 0 { b',' } else { candidates[best] }
}

/// A row of a CSV file: where it is (`line N`) and its trimmed cells.
pub type Row = (String, Vec<String>);

/// The rows of a CSV file, header included, decoded and trimmed.
pub fn rows(
    path: &Path,
    delimiter: Option<u8>,
    encoding: Option<&str>,
) -> Result<impl Iterator<Item = Result<Row>> + use<>> {
    let dialect = CsvDialect::of(path, delimiter, encoding)?;
    let mut reader = dialect.open(path)?;
    let path = path.to_path_buf();
    let mut record = csv::ByteRecord::new();
    Ok(std::iter::from_fn(move || match reader.read_byte_record(&mut record) {
        Ok(false) => None,
        Err(e) => Some(Err(csv_error(&path, e))),
        Ok(true) => {
            let cells: Result<Vec<String>> = (0..record.len())
                .map(|i| {
                    dialect
                        .field(&path, &record, i, &format!("column {}", i + 1))
                        .map(|c| c.trim().to_string())
                })
                .collect();
            Some(cells.map(|c| (line_of(&record), c)))
        }
    }))
}

#[cfg(test)]
mod line_limit_tests {
    #![allow(clippy::unwrap_used)]

    use std::io::Read;

    use super::*;

    /// Reads `text` through a `LineLimit` in small chunks (so states cross chunk ends).
    fn read_all(text: &[u8]) -> std::io::Result<usize> {
        let mut limited = LineLimit::new(text, b',');
        let mut buf = [0u8; 7];
        let mut total = 0;
        loop {
            match limited.read(&mut buf)? {
                0 => return Ok(total),
                n => total += n,
            }
        }
    }

    #[test]
    fn a_quoted_field_over_many_lines_counts_as_one_record() {
        let mut text = b"a,\"".to_vec();
        text.extend(b"short line\n".repeat(MAX_LINE_BYTES / 11 + 10));
        text.extend(b"\"\n");
        let err = read_all(&text).unwrap_err();
        assert!(err.get_ref().is_some_and(|e| e.is::<LineTooLong>()), "{err}");
    }

    #[test]
    fn ordinary_quoting_and_many_short_records_pass() {
        let mut text = b"name,note\n\"Smith, Ann\",\"said \"\"ok\"\"\nthen left\"\n5\" tall,x\n".to_vec();
        text.extend(b"a,b\n".repeat(MAX_LINE_BYTES / 2));
        assert_eq!(read_all(&text).unwrap(), text.len());
    }
}
