//! The CSV record loop shared by the CSV readers: header mapping by name, one UTF-8 check
//! per record, field-count checks, and issues with file, record and line.

use super::{Ctx, FileKind, IngestError, Input, RecordIssue, SkipReason};
use std::path::Path;

/// Normalised header names of a header line (lower case, trimmed, unquoted, no BOM).
pub(crate) fn header_names(line: &str) -> Vec<String> {
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(line.as_bytes());
    let mut rec = csv::StringRecord::new();
    match rdr.read_record(&mut rec) {
        Ok(true) => rec.iter().map(normalise_header).collect(),
        _ => Vec::new(),
    }
}

fn normalise_header(h: &str) -> String {
    h.trim_start_matches('\u{feff}').trim().trim_matches('"').to_ascii_lowercase()
}

/// A byte range within one record (see [`Fields::span`]).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Span(u32, u32);

/// Column positions by name for one file.
pub(crate) struct Header {
    names: Vec<String>,
}

impl Header {
    pub(crate) fn pos(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }
    pub(crate) fn require(&self, path: &Path, name: &'static str, kind: FileKind) -> Result<usize, IngestError> {
        self.pos(name).ok_or_else(|| IngestError::MissingColumn { path: path.to_path_buf(), column: name, kind })
    }
    pub(crate) fn len(&self) -> usize {
        self.names.len()
    }
}

/// One record's fields as `&str` (validated as UTF-8 once, on the splitting thread).
pub(crate) struct Fields<'r> {
    record: &'r csv::StringRecord,
}

impl<'r> Fields<'r> {
    /// Field `i`, or "" when the column is absent (`None`) — optional columns read as empty.
    pub(crate) fn get(&self, i: Option<usize>) -> &'r str {
        i.and_then(|i| self.record.get(i)).unwrap_or("")
    }
    pub(crate) fn at(&self, i: usize) -> &'r str {
        self.get(Some(i))
    }

    /// Where `part` (a slice of one of this record's fields) lies in the record, so it can
    /// be handed between threads without the record.
    pub(crate) fn span(&self, part: &str) -> Span {
        let base = self.record.as_slice();
        let start = (part.as_ptr() as usize).wrapping_sub(base.as_ptr() as usize);
        if part.is_empty() || start > base.len() {
            return Span(0, 0);
        }
        Span(start as u32, part.len() as u32)
    }

    /// The text of a span made by [`Fields::span`] on the same record.
    pub(crate) fn text(&self, span: Span) -> &'r str {
        let (start, end) = (span.0 as usize, span.0 as usize + span.1 as usize);
        self.record.as_slice().get(start..end).unwrap_or("")
    }
}

/// Where the record loop is: for building issues.
#[derive(Clone, Copy)]
pub(crate) struct Pos<'p> {
    pub path: &'p Path,
    pub record: u64,
    pub line: u64,
}

impl Pos<'_> {
    pub(crate) fn issue(&self, reason: SkipReason, detail: impl Into<String>) -> RecordIssue {
        RecordIssue {
            path: self.path.to_path_buf(),
            record: self.record,
            line: self.line,
            reason,
            detail: detail.into(),
        }
    }
}

/// Runs `f` on every record. `f` returns `Err((reason, detail))` to skip the record.
/// Returns (records read, records skipped).
pub(crate) fn for_each_record<C: Sync>(
    path: &Path,
    input: Input<'_>,
    ctx: &Ctx<'_>,
    on_header: impl FnOnce(&Header) -> Result<C, IngestError>,
    mut f: impl FnMut(&C, &Fields<'_>, Pos<'_>) -> Result<(), (SkipReason, String)>,
) -> Result<(u64, u64), IngestError> {
    for_each_prepared(path, input, ctx, on_header, |_, _| Ok(()), |c, r, (), pos| f(c, r, pos))
}

/// Like [`for_each_record`], with a `prepare` step that runs on the splitting thread: parse
/// what needs no shared state there, so that only interning is left for `f`.
pub(crate) fn for_each_prepared<C: Sync, P: Send>(
    path: &Path,
    input: Input<'_>,
    ctx: &Ctx<'_>,
    on_header: impl FnOnce(&Header) -> Result<C, IngestError>,
    prepare: impl Fn(&C, &Fields<'_>) -> Result<P, (SkipReason, String)> + Sync,
    mut f: impl FnMut(&C, &Fields<'_>, P, Pos<'_>) -> Result<(), (SkipReason, String)>,
) -> Result<(u64, u64), IngestError> {
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(input);
    let mut rec = csv::ByteRecord::new();
    let header = match rdr.read_byte_record(&mut rec) {
        Ok(true) => Header { names: rec.iter().map(|h| normalise_header(&String::from_utf8_lossy(h))).collect() },
        Ok(false) => return Err(IngestError::UnknownFormat { path: path.to_path_buf(), detail: "empty file".into() }),
        Err(e) => return Err(IngestError::UnknownFormat { path: path.to_path_buf(), detail: format!("header: {e}") }),
    };
    let cols = on_header(&header)?;
    let width = header.len();
    let (mut ok, mut skipped, mut record) = (0u64, 0u64, 0u64);
    let cols = &cols;
    let prepare_one = |r: &mut RawRecord<P>| {
        if r.prepared.is_none() && r.error.is_none() && r.bad_utf8.is_none() && r.rec.len() == width {
            r.prepared = Some(prepare(cols, &Fields { record: &r.rec }));
        }
    };
    let mut process = |batch: &mut [RawRecord<P>]| -> Result<(), IngestError> {
        for raw in batch {
            prepare_one(raw);
            record += 1;
            let pos = Pos { path, record, line: raw.line };
            if raw.too_long {
                return Err(IngestError::RecordTooLong { path: path.to_path_buf(), line: raw.line });
            }
            if let Some((msg, io)) = &raw.error {
                skipped += 1;
                let reason = if *io { SkipReason::Truncated } else { SkipReason::CsvSyntax };
                ctx.skip(pos.issue(reason, msg.clone()))?;
                continue;
            }
            let rec = &raw.rec;
            if let Some(at) = raw.bad_utf8 {
                skipped += 1;
                ctx.skip(pos.issue(SkipReason::InvalidUtf8, format!("invalid UTF-8 at byte {at} of a field")))?;
                continue;
            }
            if rec.len() != width {
                skipped += 1;
                ctx.skip(field_count_issue(pos, raw, width))?;
                continue;
            }
            let result = match raw.prepared.take() {
                Some(Ok(p)) => f(cols, &Fields { record: rec }, p, pos),
                Some(Err(e)) => Err(e),
                None => Err((SkipReason::CsvSyntax, "record was not prepared".into())),
            };
            match result {
                Ok(()) => ok += 1,
                Err((reason, detail)) => {
                    skipped += 1;
                    ctx.skip(pos.issue(reason, detail))?;
                }
            }
        }
        Ok(())
    };
    // The first batch is read here: an input that fits in it (most files of the IRA
    // by-author layout) needs no second thread, and many such files are read in parallel.
    let mut carry = None;
    let mut first = Vec::new();
    if fill_batch(&mut rdr, &mut first, &mut carry) {
        process(&mut first)?;
        return Ok((ok, skipped));
    }
    // Otherwise splitting records and checking UTF-8 run on their own thread, interning on
    // this one; `prepare` runs on whichever is less busy: the splitter prepares a batch only
    // while another batch waits for this thread. So two cores share the work evenly.
    let queued = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| -> Result<(), IngestError> {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<RawRecord<P>>>(4);
        let (back_tx, back_rx) = std::sync::mpsc::channel::<Vec<RawRecord<P>>>();
        let (prepare_one, queued) = (&prepare_one, &queued);
        scope.spawn(move || split_records(rdr, carry, tx, back_rx, queued, prepare_one));
        process(&mut first)?;
        for mut batch in rx {
            queued.fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
            process(&mut batch)?;
            // The splitter reuses the records' buffers; it may have stopped already.
            let _ = back_tx.send(batch);
        }
        Ok(())
    })?;
    Ok((ok, skipped))
}

/// Records per batch handed from the splitting thread to the interning thread.
const BATCH: usize = 1024;

/// One record as split, before interpretation.
struct RawRecord<P> {
    rec: csv::StringRecord,
    /// Line where the record starts and where the next one starts.
    line: u64,
    end_line: u64,
    /// This is the last record of the input.
    at_end: bool,
    /// Byte offset, within its field, of the first invalid UTF-8 byte.
    bad_utf8: Option<usize>,
    /// A CSV error instead of a record, and whether it was an I/O error (reading stops).
    error: Option<(String, bool)>,
    /// The record exceeded the record size limit (reading stops with an error).
    too_long: bool,
    /// What `prepare` made of a well-formed record.
    prepared: Option<Result<P, (SkipReason, String)>>,
}

impl<P> Default for RawRecord<P> {
    fn default() -> Self {
        RawRecord {
            rec: csv::StringRecord::new(),
            line: 0,
            end_line: 0,
            at_end: false,
            bad_utf8: None,
            error: None,
            too_long: false,
            prepared: None,
        }
    }
}

fn split_records<P>(
    mut rdr: csv::Reader<Input<'_>>,
    mut carry: Option<RawRecord<P>>,
    tx: std::sync::mpsc::SyncSender<Vec<RawRecord<P>>>,
    back: std::sync::mpsc::Receiver<Vec<RawRecord<P>>>,
    queued: &std::sync::atomic::AtomicUsize,
    prepare: &dyn Fn(&mut RawRecord<P>),
) {
    loop {
        let mut batch = back.try_recv().unwrap_or_default();
        let stop = fill_batch(&mut rdr, &mut batch, &mut carry);
        // A waiting batch means the reading thread is the slower one: take work off it.
        if queued.load(std::sync::atomic::Ordering::Relaxed) >= 1 {
            batch.iter_mut().for_each(prepare);
        }
        if !batch.is_empty() {
            queued.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if tx.send(batch).is_err() {
                return;
            }
        }
        if stop {
            return;
        }
    }
}

/// Fills `batch` (reusing its records' buffers) with up to [`BATCH`] records. Keeps one
/// record of lookahead in `carry`, so the last record of the input is known to be the last
/// (a short last record is a truncated file, not a malformed row). Returns true at the end
/// of the input or after an I/O error.
fn fill_batch<P>(
    rdr: &mut csv::Reader<Input<'_>>,
    batch: &mut Vec<RawRecord<P>>,
    carry: &mut Option<RawRecord<P>>,
) -> bool {
    let mut n = 0;
    if let Some(c) = carry.take() {
        if batch.is_empty() {
            batch.push(c);
        } else {
            batch[0] = c;
        }
        n = 1;
    }
    let mut stop = false;
    while n <= BATCH {
        if n == batch.len() {
            batch.push(RawRecord::default());
        }
        let r = &mut batch[n];
        let before = rdr.get_ref().get_ref().lines_before;
        r.line = rdr.position().line() + before;
        r.error = None;
        r.too_long = false;
        r.bad_utf8 = None;
        rdr.get_mut().get_mut().mark();
        r.prepared = None;
        match rdr.read_record(&mut r.rec) {
            Ok(false) => {
                if n > 0 {
                    batch[n - 1].at_end = true;
                }
                stop = true;
                break;
            }
            Ok(true) => {
                // A blank line in the middle of a file is not a record.
                if r.rec.len() == 1 && r.rec.get(0).is_some_and(|f| f.is_empty()) {
                    continue;
                }
                r.end_line = rdr.position().line() + before;
                r.at_end = false;
                n += 1;
            }
            Err(e) if matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) => {
                r.bad_utf8 = match e.kind() {
                    csv::ErrorKind::Utf8 { err, .. } => Some(err.valid_up_to()),
                    _ => None,
                };
                r.end_line = rdr.position().line() + before;
                n += 1;
            }
            Err(e) => {
                let io = matches!(e.kind(), csv::ErrorKind::Io(_));
                r.too_long = matches!(e.kind(), csv::ErrorKind::Io(ioe) if super::RecordTooLong::is(ioe));
                r.error = Some((e.to_string(), io));
                n += 1;
                if io {
                    stop = true;
                    break;
                }
            }
        }
    }
    batch.truncate(n);
    if n == BATCH + 1 {
        *carry = batch.pop();
    }
    stop
}

fn field_count_issue<P>(pos: Pos<'_>, raw: &RawRecord<P>, width: usize) -> RecordIssue {
    let (n, line, end_line) = (raw.rec.len(), raw.line, raw.end_line);
    let detail = if end_line > line + 1 {
        format!("{n} fields, header has {width}; the record spans lines {line}-{end_line}: an unbalanced quote?")
    } else if raw.at_end {
        format!("{n} fields, header has {width}; the file ends inside this record (truncated?)")
    } else {
        format!("{n} fields, header has {width}")
    };
    let reason = if raw.at_end && n < width { SkipReason::Truncated } else { SkipReason::WrongFieldCount };
    pos.issue(reason, detail)
}
