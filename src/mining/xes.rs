//! XES (IEEE 1849) event logs, plain or gzipped, streamed with quick-xml.
//!
//! A plain file is split at trace boundaries into one part per core; a gzipped one is
//! decompressed on one thread and cut into blocks of whole traces that the other cores parse
//! (`pipelined`). Each part or block is read into its own aggregates and they are merged in file
//! order, so the result is the same as a single-threaded read. Only attributes directly inside `<trace>` and `<event>` count; nested
//! attributes, `<global>` defaults and everything else are skipped. Documents that declare
//! entities are refused (entity expansion is a known attack), and unknown entity references are
//! errors.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use quick_xml::events::{BytesStart, Event as Xml};
use rustc_hash::FxHashMap;

use super::aggregate::{Aggregates, Event};
use super::intern::NONE;
use super::{EventBuilder, LogColumns, LogFormat, LogOptions, LogPreview, ReadReport, read_full};
use crate::error::{Error, Result};
use crate::progress::Progress;
use crate::sources::limits::{self, Boundary, Compressed, ElementLimit, Inflating};
use crate::sources::{KeptCounter, MAX_FIELD_BYTES};

/// The attribute keys each part of an event is read from, best first.
#[derive(Debug, Clone)]
struct Keys {
    case: Vec<String>,
    activity: Vec<String>,
    timestamp: Vec<String>,
    role: Vec<String>,
    resource: Vec<String>,
    facility: Vec<String>,
}

impl Keys {
    fn of(columns: &LogColumns) -> Keys {
        let pick = |set: &Option<String>, usual: &[&str]| match set {
            Some(k) => vec![k.clone()],
            None => usual.iter().map(|s| (*s).to_string()).collect(),
        };
        // A CSV-style `case:concept:name` names the trace's `concept:name`.
        let case = columns.case.as_deref().map(|c| c.strip_prefix("case:").unwrap_or(c).to_string());
        Keys {
            case: pick(&case, &["concept:name"]),
            activity: pick(&columns.activity, &["concept:name"]),
            timestamp: pick(&columns.timestamp, &["time:timestamp"]),
            role: pick(&columns.role, &["org:role", "org:group"]),
            resource: pick(&columns.resource, &["org:resource"]),
            facility: pick(&columns.facility, &["facility", "org:facility", "site", "hospital"]),
        }
    }

    /// The keys used, for the summary: the first of each list that the log actually had.
    fn used(&self, seen: &BTreeSet<String>) -> LogColumns {
        let first = |keys: &[String]| keys.iter().find(|k| seen.contains(*k)).cloned();
        LogColumns {
            case: first(&self.case).map(|k| format!("case:{k}")),
            activity: first(&self.activity),
            timestamp: first(&self.timestamp),
            role: first(&self.role),
            resource: first(&self.resource),
            facility: first(&self.facility),
        }
    }
}

pub(super) fn read(
    path: &Path,
    format: LogFormat,
    options: &LogOptions,
    progress: &Progress,
) -> Result<(Aggregates, ReadReport)> {
    let size = std::fs::metadata(path).map_err(|e| Error::io(path, e))?.len();
    progress.set_total(size);
    let keys = Keys::of(&options.columns);
    check_encoding(path, format)?;
    let parts = if format == LogFormat::Xes {
        split_points(path, size, threads(options.threads))?
    } else {
        vec![0, size]
    };
    let piped = if format == LogFormat::XesGz && threads(options.threads) > 1 {
        // A read the pipeline cannot vouch for is done again on one thread, for its exact error.
        match pipelined(path, threads(options.threads), &keys, options, progress) {
            Ok(Some(parts)) => Some(parts),
            Ok(None) => {
                progress.reset_done();
                None
            }
            Err(e) => return Err(e),
        }
    } else {
        None
    };
    let blocks = piped.as_ref().map_or(1, |p| p.len());
    let results: Vec<Result<Part>> = if let Some(parts) = piped {
        parts.into_iter().map(Ok).collect()
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = parts
                .windows(2)
                .enumerate()
                .map(|(i, w)| {
                    let (start, end, last) = (w[0], w[1], i + 2 == parts.len());
                    let keys = &keys;
                    scope.spawn(move || read_part(path, format, start, end, last, keys, options, progress))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|_| Err(Error::invalid("log", "a reading thread failed"))))
                .collect()
        })
    };
    let mut whole: Option<Part> = None;
    for part in results {
        let part = part?;
        match &mut whole {
            None => whole = Some(part),
            Some(w) => w.merge(part),
        }
    }
    let whole = whole.ok_or_else(|| Error::input(path.display().to_string(), "log", "the file is empty"))?;
    let columns = keys.used(&whole.keys_seen);
    let used: Vec<&str> =
        [&columns.activity, &columns.timestamp, &columns.role, &columns.resource, &columns.facility]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .chain(columns.case.as_deref().map(|c| c.trim_start_matches("case:")))
            .collect();
    let seen: Vec<String> = whole.keys_seen.iter().cloned().collect();
    KeptCounter::new(&options.keep, &seen, &path.display().to_string(), "attribute keys")?;
    let dropped = whole
        .keys_seen
        .iter()
        .filter(|k| !used.contains(&k.as_str()) && whole.kept.position(k).is_none())
        .cloned()
        .collect();
    let report = ReadReport {
        parts: if format == LogFormat::XesGz { blocks } else { parts.len() - 1 },
        format: Some(format),
        columns,
        dropped,
        resources: whole.builder.resources.len() as u64,
        resources_without_role: whole.builder.resources_without_role.len() as u64,
        kept: whole.kept.finish(),
    };
    Ok((whole.aggregates, report))
}

/// Decompressed text is handed to the parsing threads in blocks of whole traces of about this size.
const BLOCK: usize = 4 << 20;

/// A block without a trace boundary in this much text is not split further: the pipeline gives
/// up and one thread reads the file (and applies its limits).
const LONGEST_BLOCK: usize = 64 << 20;

/// An XES.gz log read by one thread that decompresses and cuts the text into blocks of whole
/// traces, and `threads - 1` (at least one) that parse them, with at most two blocks a parser in
/// flight so memory stays flat. The parts come back in file order. `None` when a block could not
/// be read (or the text could not be cut): the caller reads the file on one thread for the error.
fn pipelined(
    path: &Path,
    threads: usize,
    keys: &Keys,
    options: &LogOptions,
    progress: &Progress,
) -> Result<Option<Vec<Part>>> {
    use std::sync::mpsc;
    let parsers = threads.saturating_sub(1).max(1);
    let (send, receive) = mpsc::sync_channel::<(usize, u64, Vec<u8>, bool)>(parsers * 2);
    let receive = std::sync::Mutex::new(receive);
    // Set by a parser that met a block it cannot read: the cutter stops, the rest is drained.
    let failed = std::sync::atomic::AtomicBool::new(false);
    let failed = &failed;
    let outcome = std::thread::scope(|scope| {
        let cutter = scope.spawn(move || -> Result<bool> {
            let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
            let (source, compressed) = Compressed::new(Counting { inner: file, progress });
            let decoder = flate2::read::MultiGzDecoder::new(BufReader::with_capacity(1 << 16, source));
            let mut blocks = TraceBlocks::new(Inflating::new(decoder, compressed));
            let mut offset = 0u64;
            let mut index = 0;
            loop {
                let Ok(Some((block, last))) = blocks.next() else { return Ok(false) };
                let len = block.len() as u64;
                if failed.load(std::sync::atomic::Ordering::Relaxed)
                    || send.send((index, offset, block, last)).is_err()
                {
                    return Ok(false);
                }
                offset += len;
                index += 1;
                if last {
                    return Ok(true);
                }
                progress.check("reading the log")?;
            }
        });
        let workers: Vec<_> = (0..parsers)
            .map(|_| {
                let receive = &receive;
                scope.spawn(move || {
                    let mut done: Vec<(usize, Result<Part>)> = Vec::new();
                    loop {
                        let next = receive.lock().map_err(|_| ()).and_then(|r| r.recv().map_err(|_| ()));
                        let Ok((index, start, block, last)) = next else { break };
                        if failed.load(std::sync::atomic::Ordering::Relaxed) {
                            continue; // drained, not read
                        }
                        let end = start + block.len() as u64;
                        let part = parse_block(
                            path,
                            LogFormat::XesGz,
                            &block,
                            start,
                            end,
                            last,
                            keys,
                            options,
                            progress,
                        );
                        if part.is_err() {
                            failed.store(true, std::sync::atomic::Ordering::Relaxed);
                        }
                        done.push((index, part));
                    }
                    done
                })
            })
            .collect();
        let cut = cutter.join().unwrap_or(Ok(false));
        let mut parts: Vec<(usize, Result<Part>)> = Vec::new();
        for w in workers {
            parts.extend(w.join().unwrap_or_default());
        }
        (cut, parts)
    });
    let (cut, mut parts) = outcome;
    match cut {
        Err(e @ Error::Cancelled(_)) => return Err(e),
        Err(_) | Ok(false) => return Ok(None),
        Ok(true) => {}
    }
    parts.sort_by_key(|(i, _)| *i);
    let mut out = Vec::with_capacity(parts.len());
    for (i, (index, part)) in parts.into_iter().enumerate() {
        match part {
            Ok(p) if index == i => out.push(p),
            Err(e @ Error::Cancelled(_)) => return Err(e),
            _ => return Ok(None),
        }
    }
    Ok(Some(out))
}

/// XES text cut into blocks of whole traces of about `BLOCK` bytes, each starting at a `<trace`
/// tag (the first at the start of the text), the last ending the text.
struct TraceBlocks<R> {
    input: R,
    pending: Vec<u8>,
    chunk: Vec<u8>,
}

impl<R: Read> TraceBlocks<R> {
    fn new(input: R) -> TraceBlocks<R> {
        TraceBlocks { input, pending: Vec::with_capacity(2 * BLOCK), chunk: vec![0; 1 << 20] }
    }

    /// The next block and whether it is the last; `None` when no `<trace` tag lies within
    /// `LONGEST_BLOCK` bytes to cut at.
    fn next(&mut self) -> std::io::Result<Option<(Vec<u8>, bool)>> {
        loop {
            let got = self.input.read(&mut self.chunk)?;
            if got > 0 {
                self.pending.extend_from_slice(&self.chunk[..got]);
                if self.pending.len() < BLOCK {
                    continue;
                }
            }
            let cut =
                if got == 0 { Some(self.pending.len()) } else { last_trace_start(&self.pending, BLOCK / 2) };
            match cut {
                Some(cut) => {
                    let rest = self.pending.split_off(cut);
                    return Ok(Some((std::mem::replace(&mut self.pending, rest), got == 0)));
                }
                None if self.pending.len() > LONGEST_BLOCK => return Ok(None),
                None => {}
            }
        }
    }
}

/// Where the last `<trace` tag at or after `from` starts in `text`.
fn last_trace_start(text: &[u8], from: usize) -> Option<usize> {
    let tail = text.get(from..)?;
    memchr::memmem::rfind_iter(tail, b"<trace")
        .find(|&i| tail.get(i + 6).is_some_and(|c| *c == b'>' || c.is_ascii_whitespace()))
        .map(|i| from + i)
}

fn threads(wanted: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    if wanted == 0 { cores } else { wanted.min(cores).max(1) }
}

/// Offsets that cut the file into `n` parts at `<trace` tags (fewer for small files): the first is
/// 0 and the last is `size`.
fn split_points(path: &Path, size: u64, n: usize) -> Result<Vec<u64>> {
    let mut points = vec![0];
    if size >= 8 << 20 {
        let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let mut window = vec![0u8; 4 << 20];
        for k in 1..n as u64 {
            let from = size * k / n as u64;
            file.seek(SeekFrom::Start(from)).map_err(|e| Error::io(path, e))?;
            let got = read_full(&mut file, &mut window).map_err(|e| Error::io(path, e))?;
            let found = memchr::memmem::find_iter(&window[..got], b"<trace")
                .find(|&i| window.get(i + 6).is_some_and(|c| *c == b'>' || c.is_ascii_whitespace()));
            if let Some(i) = found {
                let at = from + i as u64;
                if at > *points.last().unwrap_or(&0) {
                    points.push(at);
                }
            }
        }
    }
    points.push(size);
    Ok(points)
}

/// A reader that reports the bytes it reads to a `Progress`.
struct Counting<'a, R> {
    inner: R,
    progress: &'a Progress,
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.progress.advance(n as u64);
        Ok(n)
    }
}

struct Part {
    aggregates: Aggregates,
    builder: EventBuilder,
    keys_seen: BTreeSet<String>,
    kept: KeptCounter,
}

impl Part {
    /// Adds the part of the log that follows this one.
    fn merge(&mut self, next: Part) {
        self.aggregates.merge(next.aggregates);
        self.builder.merge(next.builder);
        self.keys_seen.extend(next.keys_seen);
        self.kept.merge(next.kept);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Inside {
    Log,
    Trace,
    Event,
}

/// The values of the event or trace being read.
#[derive(Debug, Default)]
struct Values {
    case: String,
    trace_facility: String,
    activity: String,
    time: String,
    role: String,
    resource: String,
    facility: String,
    has_activity: bool,
    has_time: bool,
}

#[allow(clippy::too_many_arguments)]
fn read_part(
    path: &Path,
    format: LogFormat,
    start: u64,
    end: u64,
    last: bool,
    keys: &Keys,
    options: &LogOptions,
    progress: &Progress,
) -> Result<Part> {
    if format == LogFormat::Xes {
        // Read in blocks of whole traces, parsed where they lie; anything unusual is read again
        // streamed, which gives the exact error.
        match in_blocks(path, start, end, last, keys, options, progress) {
            Ok(Some(part)) => return Ok(part),
            Err(e @ Error::Cancelled(_)) => return Err(e),
            Ok(None) | Err(_) => {}
        }
    }
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    file.seek(SeekFrom::Start(start)).map_err(|e| Error::io(path, e))?;
    let counted = Counting { inner: file.take(end - start), progress };
    let (input, boundary) = limited_input(counted, format);
    let tokens = Tokens::Stream(quick_xml::Reader::from_reader(input), boundary);
    parse_part(path, format, tokens, start, end, last, keys, options, progress)
}

/// Bytes `start` to `end` of a plain XES file read a block of whole traces at a time, each block
/// parsed where it lies in memory (no copy per element) and the blocks' parts merged in order.
/// `None` when the text cannot be cut into blocks or a block cannot be read.
#[allow(clippy::too_many_arguments)]
fn in_blocks(
    path: &Path,
    start: u64,
    end: u64,
    last: bool,
    keys: &Keys,
    options: &LogOptions,
    progress: &Progress,
) -> Result<Option<Part>> {
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    file.seek(SeekFrom::Start(start)).map_err(|e| Error::io(path, e))?;
    let mut blocks = TraceBlocks::new(Counting { inner: file.take(end - start), progress });
    let mut offset = start;
    let mut whole: Option<Part> = None;
    loop {
        let Some((block, is_last)) = blocks.next().map_err(|e| Error::io(path, e))? else {
            return Ok(None);
        };
        let block_end = offset + block.len() as u64;
        let part = match parse_block(
            path,
            LogFormat::Xes,
            &block,
            offset,
            block_end,
            last && is_last,
            keys,
            options,
            progress,
        ) {
            Ok(part) => part,
            Err(e @ Error::Cancelled(_)) => return Err(e),
            Err(_) => return Ok(None),
        };
        match &mut whole {
            None => whole = Some(part),
            Some(w) => w.merge(part),
        }
        if is_last {
            return Ok(whole);
        }
        offset = block_end;
        progress.check("reading the log")?;
    }
}

/// XES text in memory tokenized by a scanner that knows only what XES needs: tags whose quoted
/// attribute values may hold `>`, and text between tags, which it skips (as `parse_part` ignores
/// it). Anything else (a comment, a declaration, CDATA, a tag it cannot close, an end tag without
/// a start where none may be) is an error, and the text is parsed again by quick-xml.
struct Scan<'a> {
    text: &'a str,
    at: usize,
    depth: usize,
    unmatched_ends: bool,
    /// The raw `key` and `value` attributes of the last start or empty tag, when it was written
    /// plainly (`plain_tag`).
    attributes: Option<KeyValue<'a>>,
}

/// An element's raw `key` and `value` attributes, as far as it has them.
type KeyValue<'a> = (Option<&'a str>, Option<&'a str>);

/// A start or empty tag written plainly, read in one pass (`plain_tag`).
struct PlainTag<'a> {
    /// Where its `>` is.
    close: usize,
    empty: bool,
    name_len: usize,
    attributes: KeyValue<'a>,
}

/// The tag whose name starts at `start` in `text`, when it is written plainly: a plain name, then
/// attributes `name="…"` or `name='…'` (white space around `=` allowed, none of `<>/` in a name,
/// no `<`, `&`, tab or line break in a value, nor the other quote), each after white space, then `>` or `/>` (white space before either
/// allowed). The `key` and `value` are read by their local names, a later one winning, as
/// `plain_key_value` reads them; they are text as they are (`text_of` would leave them so). `None` for any other tag, which the caller reads the general
/// way.
#[inline(never)]
fn plain_tag(text: &str, start: usize) -> Option<PlainTag<'_>> {
    let bytes = text.as_bytes();
    // The text not yet read, as a slice that shrinks: where it starts in `text` is its length
    // taken from the whole's (offsets kept alongside make the byte loops slow).
    let mut rest = bytes.get(start..)?;
    let at = |rest: &[u8]| bytes.len() - rest.len();
    // `rest` from its first byte of a class in `stop` on.
    let to = |rest: &[u8], stop: u8| -> Option<usize> {
        rest.iter().position(|&b| CLASS[usize::from(b)] & stop != 0)
    };
    let not_space =
        |rest: &[u8]| rest.iter().position(|&b| CLASS[usize::from(b)] & SPACE == 0).unwrap_or(rest.len());
    let name_len = to(rest, NAME_BAD)?;
    rest = &rest[name_len..];
    if name_len == 0 || !matches!(rest[0], b' ' | b'\t' | b'\n' | b'\r' | b'/' | b'>') {
        return None;
    }
    let (mut key, mut value) = (None, None);
    loop {
        let spaces = not_space(rest);
        rest = &rest[spaces..];
        match *rest.first()? {
            b'>' => {
                return Some(PlainTag { close: at(rest), empty: false, name_len, attributes: (key, value) });
            }
            b'/' => {
                return (rest.get(1) == Some(&b'>')).then_some(PlainTag {
                    close: at(rest) + 1,
                    empty: true,
                    name_len,
                    attributes: (key, value),
                });
            }
            _ if spaces == 0 => return None,
            _ => {}
        }
        let name_start = at(rest);
        let name_len = to(rest, ATTRIBUTE_NAME_END)?;
        rest = &rest[name_len..];
        rest = &rest[not_space(rest)..];
        if name_len == 0 || rest.first() != Some(&b'=') {
            return None;
        }
        rest = &rest[1..];
        rest = &rest[not_space(rest)..];
        let quote = *rest.first().filter(|&&q| q == b'"' || q == b'\'')?;
        rest = &rest[1..];
        let value_start = at(rest);
        // A value with a reference or white space other than spaces is left to the general way.
        let value_len = to(rest, VALUE_END)?;
        if rest[value_len] != quote {
            return None;
        }
        rest = &rest[value_len + 1..];
        let found = &text[value_start..value_start + value_len];
        match local_name(&text[name_start..name_start + name_len]) {
            "key" => key = Some(found),
            "value" => value = Some(found),
            _ => {}
        }
    }
}

/// Classes of bytes for `plain_tag`, as bits.
const SPACE: u8 = 1;
/// What a plain tag name may not hold (white space, `/` and `>` end it).
const NAME_BAD: u8 = 2;
/// What ends an attribute name.
const ATTRIBUTE_NAME_END: u8 = 4;
/// What ends a plain attribute value (its quote), or makes it not plain.
const VALUE_END: u8 = 8;

static CLASS: [u8; 256] = {
    let mut class = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        let space = matches!(c, b' ' | b'\t' | b'\n' | b'\r');
        let mut bits = 0;
        if space {
            bits |= SPACE;
        }
        if space || matches!(c, b'<' | b'>' | b'"' | b'\'' | b'&' | b'=' | b'/') {
            bits |= NAME_BAD;
        }
        if space || matches!(c, b'=' | b'"' | b'\'' | b'<' | b'>' | b'/') {
            bits |= ATTRIBUTE_NAME_END;
        }
        if matches!(c, b'"' | b'\'' | b'<' | b'&' | b'\t' | b'\n' | b'\r') {
            bits |= VALUE_END;
        }
        class[b] = bits;
        b += 1;
    }
    class
};

impl<'a> Scan<'a> {
    fn new(text: &'a str) -> Scan<'a> {
        Scan { text, at: 0, depth: 0, unmatched_ends: false, attributes: None }
    }

    fn next(&mut self) -> quick_xml::Result<Xml<'a>> {
        use quick_xml::errors::{Error as XmlError, SyntaxError};
        let unusual = || XmlError::Syntax(SyntaxError::UnclosedTag);
        let space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r');
        let bytes = self.text.as_bytes();
        // Text between tags is skipped; one with a reference is left to quick-xml, which checks it.
        let Some(lt) = find(&bytes[self.at..], |b| b == b'<' || b == b'&') else {
            self.at = bytes.len();
            return Ok(Xml::Eof);
        };
        if bytes[self.at + lt] == b'&' {
            return Err(unusual());
        }
        let start = self.at + lt + 1;
        match bytes.get(start) {
            Some(b'/') => {
                let close = start + find(&bytes[start..], |b| b == b'>').ok_or_else(unusual)?;
                let name = self.text[start + 1..close].trim_end_matches(space);
                if !plain_name(name) || (self.depth == 0 && !self.unmatched_ends) {
                    return Err(unusual());
                }
                self.depth = self.depth.saturating_sub(1);
                self.at = close + 1;
                Ok(Xml::End(quick_xml::events::BytesEnd::new(name)))
            }
            Some(b'!' | b'?') | None => Err(unusual()),
            Some(_) => {
                if let Some(tag) = plain_tag(self.text, start) {
                    self.attributes = Some(tag.attributes);
                    self.at = tag.close + 1;
                    let content = &self.text[start..tag.close - usize::from(tag.empty)];
                    let e = BytesStart::from_content(content, tag.name_len);
                    if tag.empty {
                        return Ok(Xml::Empty(e));
                    }
                    self.depth += 1;
                    return Ok(Xml::Start(e));
                }
                self.attributes = None;
                // The tag ends at the first `>` outside quotes; a `<` anywhere in it is not XML.
                let mut i = start;
                let close = loop {
                    let k = i + find(&bytes[i..], |b| matches!(b, b'>' | b'"' | b'\'' | b'<'))
                        .ok_or_else(unusual)?;
                    match bytes[k] {
                        b'>' => break k,
                        b'<' => return Err(unusual()),
                        quote => {
                            let q = k
                                + 1
                                + find(&bytes[k + 1..], |b| b == quote || b == b'<').ok_or_else(unusual)?;
                            if bytes[q] == b'<' {
                                return Err(unusual());
                            }
                            i = q + 1;
                        }
                    }
                };
                let tag = &self.text[start..close];
                let (content, empty) = match tag.strip_suffix('/') {
                    Some(content) => (content, true),
                    None => (tag, false),
                };
                let name_len = content
                    .bytes()
                    .position(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
                    .unwrap_or(content.len());
                if !plain_name(&content[..name_len]) {
                    return Err(unusual());
                }
                self.at = close + 1;
                let e = BytesStart::from_content(content, name_len);
                if empty {
                    Ok(Xml::Empty(e))
                } else {
                    self.depth += 1;
                    Ok(Xml::Start(e))
                }
            }
        }
    }
}

/// The local name of qualified name `name`, after its prefix, as quick-xml's `local_name` gives it
/// (a byte loop: names are short).
#[inline]
fn local_name(name: &str) -> &str {
    name.bytes().position(|b| b == b':').map_or(name, |c| &name[c + 1..])
}

/// Whether `name` is a tag name the scanner takes as it is: not empty, and nothing in it that
/// XML reserves for markup.
fn plain_name(name: &str) -> bool {
    !name.is_empty()
        && !name.bytes().any(|b| {
            matches!(b, b'<' | b'>' | b'"' | b'\'' | b'&' | b'=' | b'/' | b' ' | b'\t' | b'\n' | b'\r')
        })
}

/// A block of whole traces in memory (`start` to `end` of the log's text) parsed by the XES
/// scanner, or by quick-xml when the scanner cannot read it.
#[allow(clippy::too_many_arguments)]
fn parse_block(
    path: &Path,
    format: LogFormat,
    block: &[u8],
    start: u64,
    end: u64,
    last: bool,
    keys: &Keys,
    options: &LogOptions,
    progress: &Progress,
) -> Result<Part> {
    if let Ok(text) = std::str::from_utf8(block) {
        let tokens = Tokens::Plain(Scan::new(text));
        match parse_part(path, format, tokens, start, end, last, keys, options, progress) {
            Err(e @ Error::Cancelled(_)) => return Err(e),
            Ok(part) => return Ok(part),
            Err(_) => {}
        }
    }
    let tokens = Tokens::Slice(quick_xml::Reader::from_reader(block));
    parse_part(path, format, tokens, start, end, last, keys, options, progress)
}

/// Where the first byte `is` says lies in `bytes`: for the short distances within a tag, where a
/// plain loop beats a vectorized search.
#[inline]
fn find(bytes: &[u8], is: impl Fn(u8) -> bool) -> Option<usize> {
    bytes.iter().position(|&b| is(b))
}

/// Where `parse_part` gets its XML from: a stream, copied element by element within the
/// element limit, or text in memory, read where it lies.
enum Tokens<'a> {
    Stream(quick_xml::Reader<LimitedInput<'a>>, Boundary),
    Slice(quick_xml::Reader<&'a [u8]>),
    Plain(Scan<'a>),
}

impl<'a> Tokens<'a> {
    /// End tags are not checked against start tags; with `unmatched_ends`, one without a start
    /// (the `</log>` after a part's traces) is let pass.
    fn configure(&mut self, unmatched_ends: bool) {
        let config = match self {
            Tokens::Stream(r, _) => r.config_mut(),
            Tokens::Slice(r) => r.config_mut(),
            Tokens::Plain(scan) => {
                scan.unmatched_ends = unmatched_ends;
                return;
            }
        };
        config.check_end_names = false;
        config.allow_unmatched_ends = unmatched_ends;
    }

    fn next<'b>(&mut self, buf: &'b mut Vec<u8>) -> quick_xml::Result<Xml<'b>>
    where
        'a: 'b,
    {
        match self {
            Tokens::Stream(r, _) => {
                buf.clear();
                r.read_event_into(buf)
            }
            Tokens::Slice(r) => r.read_event(),
            Tokens::Plain(scan) => scan.next(),
        }
    }

    /// The raw `key` and `value` of the last start or empty tag, when the scanner read them.
    fn plain_attributes(&self) -> Option<KeyValue<'a>> {
        match self {
            Tokens::Plain(scan) => scan.attributes,
            Tokens::Stream(..) | Tokens::Slice(_) => None,
        }
    }

    fn position(&self) -> u64 {
        match self {
            Tokens::Stream(r, _) => r.buffer_position(),
            Tokens::Slice(r) => r.buffer_position(),
            Tokens::Plain(scan) => scan.at as u64,
        }
    }

    fn error_position(&self) -> u64 {
        match self {
            Tokens::Stream(r, _) => r.error_position(),
            Tokens::Slice(r) => r.error_position(),
            Tokens::Plain(scan) => scan.at as u64,
        }
    }

    /// After an element that began at `from`: a stream learns where the next one starts; text in
    /// memory is held to the same element limit.
    fn passed(&self, from: u64) -> std::result::Result<(), String> {
        match self {
            Tokens::Stream(r, boundary) => {
                boundary.set(r.buffer_position());
                Ok(())
            }
            Tokens::Slice(_) | Tokens::Plain(_) if self.position() - from > MAX_FIELD_BYTES as u64 => {
                Err(format!("an element is longer than the limit of {MAX_FIELD_BYTES} bytes"))
            }
            Tokens::Slice(_) | Tokens::Plain(_) => Ok(()),
        }
    }
}

/// Reads the XES text of `input`, bytes `start` to `end` of the (decompressed) log: whole traces,
/// the log's opening before them when `start` is 0, its closing after them when `last`. Errors
/// are located in `path` as `format` reads it.
#[allow(clippy::too_many_arguments)]
fn parse_part(
    path: &Path,
    format: LogFormat,
    mut tokens: Tokens<'_>,
    start: u64,
    end: u64,
    last: bool,
    keys: &Keys,
    options: &LogOptions,
    progress: &Progress,
) -> Result<Part> {
    tokens.configure(start > 0);
    let mut part = Part {
        aggregates: Aggregates::salted(options.case_salt.as_deref()),
        builder: EventBuilder::new(options)?,
        keys_seen: BTreeSet::new(),
        kept: KeptCounter::of(&options.keep),
    };
    let mut buf = Vec::with_capacity(4096);
    let mut table = KeyTable::default();
    let mut inside = Inside::Log;
    let mut skip = 0u32;
    let mut v = Values::default();
    let mut events: Vec<Event> = Vec::new();
    let mut traces = 0u64;
    let mut log_closed = false;
    let fail =
        |reader: &Tokens<'_>, message: String| located(path, format, start + reader.position(), message);
    loop {
        let element_start = tokens.position();
        let event = match tokens.next(&mut buf) {
            Ok(e) => e,
            Err(e) => {
                if let Some(limit) = limit_in(&e) {
                    return Err(located(path, format, start + element_start, limit));
                }
                let at = start + tokens.error_position();
                return Err(located(path, format, at, format!("not well-formed XES: {e}")));
            }
        };
        tokens.passed(element_start).map_err(|limit| located(path, format, start + element_start, limit))?;
        let plain = tokens.plain_attributes();
        match event {
            Xml::Start(e) => {
                if skip > 0 {
                    skip += 1;
                    continue;
                }
                match (inside, local_name(e.name().as_ref())) {
                    (Inside::Log, "log") => {}
                    (Inside::Log, "trace") => {
                        inside = Inside::Trace;
                        v.case.clear();
                        v.trace_facility.clear();
                        events.clear();
                    }
                    (Inside::Trace, "event") => {
                        inside = Inside::Event;
                        v.activity.clear();
                        v.time.clear();
                        v.role.clear();
                        v.resource.clear();
                        v.facility.clear();
                        v.has_activity = false;
                        v.has_time = false;
                    }
                    (Inside::Trace | Inside::Event, _) => {
                        attribute(&e, plain, inside, keys, &mut v, &mut table, &mut part.kept)
                            .map_err(|m| fail(&tokens, m))?;
                        skip = 1; // nested attributes
                    }
                    _ => skip = 1, // <global>, and anything else outside traces
                }
            }
            Xml::Empty(e) => {
                if skip > 0 {
                    continue;
                }
                match (inside, local_name(e.name().as_ref())) {
                    (Inside::Trace, "event") => {
                        return Err(fail(
                            &tokens,
                            "an event has no attributes: it needs an activity and a timestamp".into(),
                        ));
                    }
                    (Inside::Trace | Inside::Event, _) => {
                        attribute(&e, plain, inside, keys, &mut v, &mut table, &mut part.kept)
                            .map_err(|m| fail(&tokens, m))?;
                    }
                    // `<log/>`: a whole log with nothing in it, not a truncated one.
                    (Inside::Log, "log") => log_closed = true,
                    _ => {}
                }
            }
            Xml::End(e) => {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                match (inside, local_name(e.name().as_ref())) {
                    (Inside::Event, "event") => {
                        inside = Inside::Trace;
                        let event = finish_event(&mut part, &v).map_err(|m| fail(&tokens, m))?;
                        events.push(event);
                    }
                    (Inside::Trace, "trace") => {
                        inside = Inside::Log;
                        if v.case.is_empty() {
                            return Err(fail(
                                &tokens,
                                format!("a trace has no {:?} attribute (its case id)", keys.case[0]),
                            ));
                        }
                        if !v.trace_facility.is_empty() {
                            let f = part.aggregates.facilities.intern(&v.trace_facility);
                            for e in events.iter_mut().filter(|e| e.facility == NONE) {
                                e.facility = f;
                            }
                        }
                        part.aggregates.add_case(&v.case, &mut events);
                        traces += 1;
                        if traces.is_multiple_of(1024) {
                            progress.check("reading the log")?;
                        }
                    }
                    (Inside::Log, "log") => log_closed = true,
                    _ => {}
                }
            }
            Xml::DocType(d) if d.as_ref().to_ascii_uppercase().contains("<!ENTITY") => {
                return Err(fail(
                    &tokens,
                    "the document declares XML entities, which Baton refuses (they can expand without bound); export the log without a DTD".into(),
                ));
            }
            Xml::Eof => break,
            _ => {}
        }
    }
    if inside != Inside::Log {
        return Err(located(path, format, end, "the file ends inside a trace: it looks truncated".into()));
    }
    if last && !log_closed {
        return Err(located(path, format, end, "the file ends before </log>: it looks truncated".into()));
    }
    part.keys_seen = table.seen();
    Ok(part)
}

/// Where an attribute's value goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Case,
    TraceFacility,
    Activity,
    Time,
    Role,
    Resource,
    Facility,
}

/// What an attribute key is used for: its slot in a trace and in an event, and its place among
/// the kept columns.
#[derive(Debug, Clone, Copy)]
struct KeyUse {
    trace: Option<Slot>,
    event: Option<Slot>,
    kept: Option<usize>,
}

/// The attribute keys met so far and their uses, so that each attribute costs one lookup.
#[derive(Debug, Default)]
struct KeyTable {
    uses: FxHashMap<Box<str>, KeyUse>,
}

impl KeyTable {
    fn get(&mut self, key: &str, keys: &Keys, kept: &KeptCounter) -> KeyUse {
        if let Some(found) = self.uses.get(key) {
            return *found;
        }
        let has = |list: &[String]| list.iter().any(|k| k == key);
        let trace = if has(&keys.case) {
            Some(Slot::Case)
        } else if has(&keys.facility) {
            Some(Slot::TraceFacility)
        } else {
            None
        };
        let event = [
            (&keys.activity, Slot::Activity),
            (&keys.timestamp, Slot::Time),
            (&keys.role, Slot::Role),
            (&keys.resource, Slot::Resource),
            (&keys.facility, Slot::Facility),
        ]
        .into_iter()
        .find(|(list, _)| has(list))
        .map(|(_, slot)| slot);
        let found = KeyUse { trace, event, kept: kept.position(key) };
        self.uses.insert(key.into(), found);
        found
    }

    fn seen(&self) -> BTreeSet<String> {
        self.uses.keys().map(|k| k.to_string()).collect()
    }
}

/// The raw `key` and `value` attributes of an element whose attributes are written plainly
/// (`name="…"` or `name='…'`, separated by whitespace); `None` sends the caller to quick-xml's
/// attribute reader, which also names what is wrong. A later attribute of the same name wins.
fn plain_key_value(raw: &str) -> Option<(Option<&str>, Option<&str>)> {
    let space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
    let bytes = raw.as_bytes();
    let (mut key, mut value) = (None, None);
    let mut i = 0;
    loop {
        while bytes.get(i).is_some_and(|&b| space(b)) {
            i += 1;
        }
        if i == bytes.len() {
            return Some((key, value));
        }
        let eq = i + find(&bytes[i..], |b| b == b'=')?;
        let mut name_end = eq;
        while name_end > i && space(bytes[name_end - 1]) {
            name_end -= 1;
        }
        let name = &bytes[i..name_end];
        if name.is_empty() || name.iter().any(|&b| space(b) || b == b'"' || b == b'\'') {
            return None;
        }
        let mut open = eq + 1;
        while bytes.get(open).is_some_and(|&b| space(b)) {
            open += 1;
        }
        let quote = *bytes.get(open).filter(|&&q| q == b'"' || q == b'\'')?;
        let close = open + 1 + find(&bytes[open + 1..], |b| b == quote)?;
        let found = raw.get(open + 1..close)?;
        i = close + 1;
        if bytes.get(i).is_some_and(|&b| !space(b)) {
            return None;
        }
        // The local name, after the prefix, as quick-xml reads it.
        let local = find(name, |b| b == b':').map_or(name, |c| &name[c + 1..]);
        match local {
            b"key" => key = Some(found),
            b"value" => value = Some(found),
            _ => {}
        }
    }
}

/// Reads one `<string key=… value=…/>`-style attribute into `v`.
/// `plain`: its raw key and value when the scanner has read them.
fn attribute(
    e: &BytesStart<'_>,
    plain: Option<KeyValue<'_>>,
    inside: Inside,
    keys: &Keys,
    v: &mut Values,
    table: &mut KeyTable,
    kept: &mut KeptCounter,
) -> std::result::Result<(), String> {
    if let Some((key, value)) = plain {
        return key_value(key.map(Text::Plain), value.map(Text::Plain), inside, keys, v, table, kept);
    }
    if let Some((key, value)) = plain_key_value(e.attributes_raw()) {
        return key_value(key.map(Text::Raw), value.map(Text::Raw), inside, keys, v, table, kept);
    }
    let name = e.local_name();
    let mut key = None;
    let mut value = None;
    // Duplicate attributes are not an error worth a check per attribute: the last one wins.
    for a in e.attributes().with_checks(false) {
        let a = a.map_err(|err| format!("a broken attribute in <{}>: {err}", name.as_ref()))?;
        match a.key.local_name().as_ref() {
            "key" => key = Some(a.value),
            "value" => value = Some(a.value),
            _ => {}
        }
    }
    key_value(key.as_deref().map(Text::Raw), value.as_deref().map(Text::Raw), inside, keys, v, table, kept)
}

/// An attribute's key or value as found: raw (references and white space to resolve), or plain
/// text already.
#[derive(Debug, Clone, Copy)]
enum Text<'a> {
    Raw(&'a str),
    Plain(&'a str),
}

impl<'a> Text<'a> {
    fn text(self) -> std::result::Result<Cow<'a, str>, String> {
        match self {
            Text::Raw(raw) => text_of(raw),
            Text::Plain(text) => Ok(Cow::Borrowed(text)),
        }
    }
}

/// Reads an attribute with key `key` and value `value` (as found) into `v`.
fn key_value(
    key: Option<Text<'_>>,
    value: Option<Text<'_>>,
    inside: Inside,
    keys: &Keys,
    v: &mut Values,
    table: &mut KeyTable,
    kept: &mut KeptCounter,
) -> std::result::Result<(), String> {
    let Some(key) = key else { return Ok(()) };
    let key = key.text().map_err(|err| format!("cannot read an attribute key: {err}"))?;
    let used = table.get(&key, keys, kept);
    if inside == Inside::Event
        && let (Some(i), Some(value)) = (used.kept, value)
    {
        kept.add(i, &value.text().map_err(|err| format!("cannot read the value of {key:?}: {err}"))?, 1);
    }
    let slot = match inside {
        Inside::Trace => used.trace,
        Inside::Event => used.event,
        Inside::Log => None,
    };
    let Some(slot) = slot else { return Ok(()) };
    let (slot, flag): (&mut String, Option<&mut bool>) = match slot {
        Slot::Case => (&mut v.case, None),
        Slot::TraceFacility => (&mut v.trace_facility, None),
        Slot::Activity => (&mut v.activity, Some(&mut v.has_activity)),
        Slot::Time => (&mut v.time, Some(&mut v.has_time)),
        Slot::Role => (&mut v.role, None),
        Slot::Resource => (&mut v.resource, None),
        Slot::Facility => (&mut v.facility, None),
    };
    // The first of several matching keys wins (`org:role` over `org:group`).
    if !slot.is_empty() {
        return Ok(());
    }
    let value = value.ok_or_else(|| format!("the attribute {key:?} has no value"))?;
    let text = value.text().map_err(|err| format!("cannot read the value of {key:?}: {err}"))?;
    slot.push_str(super::rows::trim(&text));
    if let Some(flag) = flag {
        *flag = true;
    }
    Ok(())
}

/// An attribute's raw value with references resolved and whitespace normalized; values without
/// `&` or whitespace other than spaces (nearly all of them) are read as they are.
fn text_of(raw: &str) -> std::result::Result<Cow<'_, str>, String> {
    let bytes = raw.as_bytes();
    if find(bytes, |b| matches!(b, b'&' | b'\t' | b'\n' | b'\r')).is_none() {
        return Ok(Cow::Borrowed(raw));
    }
    let attribute = quick_xml::events::attributes::Attribute {
        key: quick_xml::name::QName("value"),
        value: Cow::Borrowed(raw),
    };
    attribute.normalized_value(quick_xml::XmlVersion::Implicit1_0).map_err(|e| e.to_string())
}

fn finish_event(part: &mut Part, v: &Values) -> std::result::Result<Event, String> {
    if !v.has_activity || v.activity.is_empty() {
        return Err("an event has no activity (concept:name); name the key with --activity".into());
    }
    if !v.has_time {
        return Err("an event has no timestamp (time:timestamp); name the key with --timestamp".into());
    }
    let agg = &mut part.aggregates;
    let facility =
        agg.facilities.intern_optional(if v.facility.is_empty() { &v.trace_facility } else { &v.facility });
    let role = part.builder.role(&v.role, &v.resource, &mut agg.roles);
    let time = part.builder.time(&v.time, facility, &agg.facilities).ok_or_else(|| {
        format!("cannot read the timestamp {:?}: expected {}", v.time, part.builder.times.expected())
    })?;
    Ok(Event { activity: agg.activities.intern(&v.activity), time, role, facility })
}

/// The XES text of a part of the file: inflated (for `.xes.gz`) within the limits of
/// `sources::limits`, every element within `MAX_FIELD_BYTES`.
type LimitedInput<'a> = ElementLimit<Box<dyn BufRead + 'a>>;

fn limited_input<'a, R: Read + 'a>(source: R, format: LogFormat) -> (LimitedInput<'a>, Boundary) {
    let input: Box<dyn BufRead + 'a> = match format {
        LogFormat::XesGz => {
            let (source, compressed) = Compressed::new(source);
            let decoder = flate2::read::MultiGzDecoder::new(BufReader::with_capacity(1 << 16, source));
            Box::new(BufReader::with_capacity(1 << 16, Inflating::new(decoder, compressed)))
        }
        _ => Box::new(BufReader::with_capacity(1 << 16, source)),
    };
    ElementLimit::new(input, MAX_FIELD_BYTES as u64)
}

/// Refuses XES text in UTF-16 (a byte-order mark, or NUL bytes between ASCII ones), which would
/// otherwise read as a broken or truncated log.
fn check_encoding(path: &Path, format: LogFormat) -> Result<()> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut head = [0u8; 4];
    let got = match format {
        LogFormat::XesGz => {
            read_full(&mut flate2::read::MultiGzDecoder::new(BufReader::new(file)), &mut head)
        }
        _ => read_full(&mut BufReader::new(file), &mut head),
    }
    .unwrap_or(0);
    let head = &head[..got];
    let utf16 = head.starts_with(&[0xff, 0xfe])
        || head.starts_with(&[0xfe, 0xff])
        || (head.len() == 4 && (head[0] == 0 || head[1] == 0) && head.contains(&b'<'));
    if utf16 {
        return Err(Error::input(
            path.display().to_string(),
            "line 1",
            "the file is UTF-16 text; Baton reads XES in UTF-8: save or export it as UTF-8 and import it again",
        ));
    }
    Ok(())
}

/// The message of a limit the reader passed, if that is what stopped the parser.
fn limit_in(e: &quick_xml::Error) -> Option<String> {
    match e {
        quick_xml::Error::Io(io) => limits::limit_of(io).map(|l| l.0.clone()),
        _ => None,
    }
}

/// An error at byte `offset` of the (decompressed) XES text, with its line number.
fn located(path: &Path, format: LogFormat, offset: u64, message: String) -> Error {
    let line =
        line_at(path, format, offset).map_or_else(|| format!("byte {offset}"), |l| format!("line {l}"));
    Error::input(path.display().to_string(), line, message)
}

/// The line number of byte `offset`, counted again from the start (only for error messages).
fn line_at(path: &Path, format: LogFormat, offset: u64) -> Option<u64> {
    let file = std::fs::File::open(path).ok()?;
    let mut input: Box<dyn Read> = match format {
        LogFormat::XesGz => Box::new(flate2::read::MultiGzDecoder::new(BufReader::new(file))),
        _ => Box::new(BufReader::new(file)),
    };
    let mut remaining = offset;
    let mut lines = 1u64;
    let mut buf = vec![0u8; 1 << 16];
    while remaining > 0 {
        let n = input.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        let take = (n as u64).min(remaining) as usize;
        lines += memchr::memchr_iter(b'\n', &buf[..take]).count() as u64;
        remaining -= take as u64;
    }
    Some(lines)
}

/// The first `limit` events of an XES log as rows: trace attributes as `case:KEY` columns, then
/// the event attributes, in the order they first appear; and the keys the reader would use.
pub(super) fn preview(
    path: &Path,
    format: LogFormat,
    options: &LogOptions,
    limit: usize,
) -> Result<LogPreview> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let (input, boundary) = limited_input(file, format);
    let mut reader = quick_xml::Reader::from_reader(input);
    let mut buf = Vec::new();
    let mut headers: Vec<String> = Vec::new();
    let mut rows: Vec<Vec<(usize, String)>> = Vec::new();
    let mut trace: Vec<(usize, String)> = Vec::new();
    let mut event: Option<Vec<(usize, String)>> = None;
    let mut seen = BTreeSet::new();
    let column = |key: String, headers: &mut Vec<String>| match headers.iter().position(|h| *h == key) {
        Some(i) => i,
        None => {
            headers.push(key);
            headers.len() - 1
        }
    };
    while rows.len() < limit {
        let position = reader.buffer_position();
        let broken = |e: quick_xml::Error| {
            located(path, format, position, limit_in(&e).unwrap_or_else(|| e.to_string()))
        };
        let read = reader.read_event_into(&mut buf).map_err(broken)?;
        boundary.set(reader.buffer_position());
        match read {
            Xml::Eof => break,
            Xml::Start(e) | Xml::Empty(e) => match e.local_name().as_ref() {
                "trace" => trace.clear(),
                "event" => event = Some(Vec::new()),
                _ => {
                    let (mut key, mut value) = (None, None);
                    for a in e.attributes().with_checks(false).flatten() {
                        match a.key.local_name().as_ref() {
                            "key" => key = text_of(&a.value).ok().map(|k| k.to_string()),
                            "value" => value = text_of(&a.value).ok().map(|v| v.to_string()),
                            _ => {}
                        }
                    }
                    if let (Some(key), Some(value)) = (key, value) {
                        seen.insert(key.clone());
                        match &mut event {
                            Some(cells) => cells.push((column(key, &mut headers), value)),
                            None => trace.push((column(format!("case:{key}"), &mut headers), value)),
                        }
                    }
                }
            },
            Xml::End(e) if e.local_name().as_ref() == "event" => {
                if let Some(mut cells) = event.take() {
                    cells.extend(trace.iter().cloned());
                    rows.push(cells);
                }
            }
            _ => {}
        }
        buf.clear();
    }
    let rows = rows
        .into_iter()
        .map(|cells| {
            let mut row = vec![String::new(); headers.len()];
            for (i, v) in cells {
                row[i] = v;
            }
            row
        })
        .collect();
    Ok(LogPreview { format, headers, rows, columns: Keys::of(&options.columns).used(&seen) })
}

#[cfg(test)]
mod attribute_tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    /// The key and value quick-xml's attribute reader finds, or `None` when it refuses them.
    fn by_quick_xml(raw: &str) -> Option<(Option<String>, Option<String>)> {
        let e = BytesStart::from_content(format!("string {raw}"), 6);
        let (mut key, mut value) = (None, None);
        for a in e.attributes().with_checks(false) {
            let a = a.ok()?;
            match a.key.local_name().as_ref() {
                "key" => key = Some(a.value.to_string()),
                "value" => value = Some(a.value.to_string()),
                _ => {}
            }
        }
        Some((key, value))
    }

    #[test]
    fn plain_attributes_are_read_straight() {
        assert_eq!(
            plain_key_value(r#"key="concept:name" value="A &amp; B""#),
            Some((Some("concept:name"), Some("A &amp; B")))
        );
        assert_eq!(plain_key_value(" key = 'k'\tvalue='v \"q\"' "), Some((Some("k"), Some("v \"q\""))));
        assert_eq!(plain_key_value(r#"xes:key="k" key="later""#), Some((Some("later"), None)));
        assert_eq!(plain_key_value(""), Some((None, None)));
        // Not written plainly: left to quick-xml.
        assert_eq!(plain_key_value(r#"key="k"value="v""#), None);
        assert_eq!(plain_key_value(r#"key=k"#), None);
        assert_eq!(plain_key_value(r#"key="k"#), None);
        assert_eq!(plain_key_value(r#"key"#), None);
    }

    fn attribute_text() -> impl Strategy<Value = String> {
        let one = (
            "[ \t\n\r\u{c}]{0,2}",
            prop::sample::select(vec![
                "key", "value", "xes:key", "a:value", "a:b:key", "other", "k y", "k\u{c}", "",
            ]),
            "[ ]{0,1}=[ ]{0,1}",
            prop::sample::select(vec!["\"", "'", ""]),
            "[a-z &;:'\"<]{0,8}",
            prop::sample::select(vec!["\"", "'", ""]),
        )
            .prop_map(|(ws, name, eq, open, value, close)| format!("{ws}{name}{eq}{open}{value}{close}"));
        prop::collection::vec(one, 0..4).prop_map(|parts| parts.join(" "))
    }

    /// Attributes as XES writers write them, now and then with something the one-pass reading
    /// leaves to the general way.
    fn written_attributes() -> impl Strategy<Value = String> {
        let one = (
            prop::sample::select(vec![" ", "  ", "\n\t", ""]),
            prop::sample::select(vec!["key", "value", "xes:key", "a:value", "a:b:key", "other", "k y", ""]),
            prop::sample::select(vec!["=", " = ", "=\n"]),
            prop::sample::select(vec!["\"", "'"]),
            "[a-z :.+-]{0,8}|[a-z]{0,2}[&;'\"<>\t\n/=]{1}[a-z]{0,2}",
            prop::sample::select(vec!["\"", "'", "\"", "'", ""]),
        )
            .prop_map(|(ws, name, eq, open, value, close)| {
                let close = if close.is_empty() { "" } else { open };
                format!("{ws}{name}{eq}{open}{value}{close}")
            });
        prop::collection::vec(one, 0..4).prop_map(|parts| parts.concat())
    }

    /// Each tag as (kind, content) as a tokenizer gives them, text left out; `None` on an error.
    fn tags(mut tokens: Tokens<'_>, unmatched_ends: bool) -> Option<Vec<(char, String)>> {
        tokens.configure(unmatched_ends);
        let mut buf = Vec::new();
        let mut out = Vec::new();
        loop {
            match tokens.next(&mut buf).ok()? {
                Xml::Start(e) => out.push(('s', format!("{}|{}", e.name().as_ref(), e.attributes_raw()))),
                Xml::Empty(e) => out.push(('e', format!("{}|{}", e.name().as_ref(), e.attributes_raw()))),
                Xml::End(e) => out.push(('/', e.name().as_ref().to_string())),
                Xml::Eof => return Some(out),
                _ => {}
            }
        }
    }

    fn xes_text() -> impl Strategy<Value = String> {
        let piece = prop::sample::select(vec![
            "<trace>",
            "</trace>",
            "<event>",
            "</event >",
            "<string key=\"concept:name\" value=\"a > b\"/>",
            "<date key='time:timestamp' value='2024-01-01T00:00:00Z' />",
            "<string\n key=\"org:role\"\tvalue=\"RN\"/>",
            "<log xes.version=\"1.0\">",
            "</log>",
            "\n\t",
            "text & more",
            "<!-- a comment -->",
            "<![CDATA[x]]>",
            "<?xml version=\"1.0\"?>",
            "<a/ >",
            "< b>",
            "<c \"",
            "</",
            "<",
            ">",
        ]);
        prop::collection::vec(piece, 0..12).prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #[test]
        fn the_xes_scanner_reads_as_quick_xml_reads(text in xes_text(), unmatched_ends in any::<bool>()) {
            if let Some(scanned) = tags(Tokens::Plain(Scan::new(&text)), unmatched_ends) {
                let read = tags(Tokens::Slice(quick_xml::Reader::from_reader(text.as_bytes())), unmatched_ends);
                prop_assert_eq!(Some(scanned), read, "{:?}", text);
            }
        }

        /// A tag the scanner reads in one pass gives the key and value quick-xml finds in it, as
        /// the text they stand for.
        #[test]
        fn plain_tags_read_as_quick_xml_reads_them(
            raw in prop_oneof![attribute_text(), written_attributes()],
            end in prop::sample::select(vec![">", "/>", " />", "\n>", "/ >"]),
        ) {
            let text = format!("<string {raw}{end}");
            let mut tokens = Tokens::Plain(Scan::new(&text));
            let mut buf = Vec::new();
            if let Ok(Xml::Start(e) | Xml::Empty(e)) = tokens.next(&mut buf) {
                let plain = tokens.plain_attributes();
                if let Some((key, value)) = plain {
                    let normal = |t: Option<&str>| t.map(|t| text_of(t).unwrap().to_string());
                    prop_assert_eq!(normal(key), key.map(str::to_string));
                    prop_assert_eq!(normal(value), value.map(str::to_string));
                    let plain = (key.map(str::to_string), value.map(str::to_string));
                    prop_assert_eq!(Some(plain), by_quick_xml(e.attributes_raw()), "{:?}", text);
                }
            }
        }

        #[test]
        fn plain_attributes_read_as_quick_xml_reads_them(raw in attribute_text()) {
            if let Some((key, value)) = plain_key_value(&raw) {
                let plain = (key.map(str::to_string), value.map(str::to_string));
                prop_assert_eq!(Some(plain), by_quick_xml(&raw), "{:?}", raw);
            }
        }
    }
}
