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

/// One record's fields as `&str`, validated as UTF-8 once.
pub(crate) struct Fields<'r> {
    text: &'r str,
    record: &'r csv::ByteRecord,
}

impl<'r> Fields<'r> {
    /// Field `i`, or "" when the column is absent (`None`) — optional columns read as empty.
    pub(crate) fn get(&self, i: Option<usize>) -> &'r str {
        match i.and_then(|i| self.record.range(i)) {
            Some(r) => &self.text[r],
            None => "",
        }
    }
    pub(crate) fn at(&self, i: usize) -> &'r str {
        self.get(Some(i))
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
pub(crate) fn for_each_record<C>(
    path: &Path,
    input: Input<'_>,
    ctx: &Ctx<'_>,
    on_header: impl FnOnce(&Header) -> Result<C, IngestError>,
    mut f: impl FnMut(&C, &Fields<'_>, Pos<'_>) -> Result<(), (SkipReason, String)>,
) -> Result<(u64, u64), IngestError> {
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(input);
    let mut rec = csv::ByteRecord::new();
    let header = match rdr.read_byte_record(&mut rec) {
        Ok(true) => Header { names: rec.iter().map(|h| normalise_header(&String::from_utf8_lossy(h))).collect() },
        Ok(false) => {
            return Err(IngestError::UnknownFormat { path: path.to_path_buf(), detail: "empty file".into() })
        }
        Err(e) => return Err(IngestError::UnknownFormat { path: path.to_path_buf(), detail: format!("header: {e}") }),
    };
    let cols = on_header(&header)?;
    let (mut ok, mut skipped, mut record) = (0u64, 0u64, 0u64);
    loop {
        let line = rdr.position().line();
        match rdr.read_byte_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                record += 1;
                skipped += 1;
                let pos = Pos { path, record, line };
                let (reason, stop) = match e.kind() {
                    csv::ErrorKind::Io(_) => (SkipReason::Truncated, true),
                    _ => (SkipReason::CsvSyntax, false),
                };
                ctx.skip(pos.issue(reason, e.to_string()))?;
                if stop {
                    break;
                }
                continue;
            }
        }
        record += 1;
        let pos = Pos { path, record, line };
        // A blank line in the middle of a file is not a record.
        if rec.len() == 1 && rec.get(0).is_some_and(|f| f.is_empty()) {
            record -= 1;
            continue;
        }
        let text = match std::str::from_utf8(rec.as_slice()) {
            Ok(t) => t,
            Err(e) => {
                skipped += 1;
                ctx.skip(pos.issue(SkipReason::InvalidUtf8, format!("invalid UTF-8 at byte {} of the record", e.valid_up_to())))?;
                continue;
            }
        };
        if rec.len() != header.len() {
            skipped += 1;
            let end_line = rdr.position().line();
            let detail = if end_line > line + 1 {
                format!(
                    "{} fields, header has {}; the record spans lines {line}-{end_line}: an unbalanced quote?",
                    rec.len(),
                    header.len()
                )
            } else if rdr.is_done() {
                format!("{} fields, header has {}; the file ends inside this record (truncated?)", rec.len(), header.len())
            } else {
                format!("{} fields, header has {}", rec.len(), header.len())
            };
            let reason = if rdr.is_done() && rec.len() < header.len() {
                SkipReason::Truncated
            } else {
                SkipReason::WrongFieldCount
            };
            ctx.skip(pos.issue(reason, detail))?;
            continue;
        }
        match f(&cols, &Fields { text, record: &rec }, pos) {
            Ok(()) => ok += 1,
            Err((reason, detail)) => {
                skipped += 1;
                ctx.skip(pos.issue(reason, detail))?;
            }
        }
    }
    Ok((ok, skipped))
}
