//! Ingest: read input files of every supported format into one [`Dataset`].
//!
//! Inputs are files or folders (searched recursively, in sorted order), plain, gzip or
//! zstd. The format of each file is detected from its content (Parquet magic, a JSON object,
//! or the CSV header names); [`InputFormat`] forces a family. Profile files (archive users
//! files, the IRA `authors.csv`) are read before post files so that they win over the
//! profile copies that post rows repeat.
//!
//! A record that cannot be read is skipped, counted by [`SkipReason`] and reported to the
//! [`Progress`] sink with file, record number, line and reason. More than
//! [`IngestOptions::max_errors`] skipped records stop the run with
//! [`IngestError::TooManyErrors`].

mod archive;
pub mod columnar;
mod csvio;
mod ira;
mod json;
pub mod parse;

use crate::model::{Dataset, PostKind};
use crate::progress::Progress;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// The input format family, as `--format` names it. `Auto` detects per file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InputFormat {
    #[default]
    Auto,
    /// Information Operations archive CSV (users and tweets files).
    Archive,
    /// FiveThirtyEight IRA tweets (original columns or the by-author layout).
    Ira,
    /// JSON lines: cibscan schema, Twitter API v1.1 or v2 (twarc).
    Jsonl,
    /// Parquet: archive columns, or a dataset written by `cibscan ingest --out`.
    Parquet,
}

/// What one file turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    ArchiveUsers,
    IraAuthors,
    ArchiveTweets,
    IraTweets,
    IraByAuthor,
    JsonLines,
    ArchiveParquet,
    DatasetParquet,
    /// A file with no content at all (the IRA by-author layout has some): zero records.
    Empty,
}

impl FileKind {
    fn is_profile_file(self) -> bool {
        matches!(self, FileKind::ArchiveUsers | FileKind::IraAuthors)
    }
}

/// Why a record was skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// Not valid UTF-8.
    InvalidUtf8,
    /// A CSV record with more or fewer fields than the header (often an unbalanced quote).
    WrongFieldCount,
    /// CSV syntax the reader cannot recover from.
    CsvSyntax,
    /// The file ends inside a record, or a compressed stream is cut short or corrupt.
    Truncated,
    /// The record has no account id.
    MissingAccount,
    /// An id that is not a decimal number of at most 20 digits.
    BadId,
    /// No time.
    MissingTime,
    /// A time in no known format, or an impossible date.
    BadTime,
    /// A count or coordinate that is not a number.
    BadNumber,
    /// A boolean that is not true/false.
    BadBool,
    /// A list field that is not `[..]`.
    BadList,
    /// A JSON line that does not parse, or misses required fields.
    BadJson,
    /// A Parquet value of an unexpected type.
    BadValue,
}

impl SkipReason {
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::InvalidUtf8 => "invalid_utf8",
            SkipReason::WrongFieldCount => "wrong_field_count",
            SkipReason::CsvSyntax => "csv_syntax",
            SkipReason::Truncated => "truncated",
            SkipReason::MissingAccount => "missing_account",
            SkipReason::BadId => "bad_id",
            SkipReason::MissingTime => "missing_time",
            SkipReason::BadTime => "bad_time",
            SkipReason::BadNumber => "bad_number",
            SkipReason::BadBool => "bad_bool",
            SkipReason::BadList => "bad_list",
            SkipReason::BadJson => "bad_json",
            SkipReason::BadValue => "bad_value",
        }
    }
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One skipped record: where and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordIssue {
    pub path: PathBuf,
    /// 1-based data record number (the header is not counted).
    pub record: u64,
    /// 1-based line where the record starts.
    pub line: u64,
    pub reason: SkipReason,
    pub detail: String,
}

impl fmt::Display for RecordIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: record {}: {}", self.path.display(), self.line, self.record, self.reason)?;
        if !self.detail.is_empty() {
            write!(f, ": {}", self.detail)?;
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IngestError {
    #[error("{path}: {error}")]
    Io { path: PathBuf, error: std::io::Error },
    #[error("{path}: no such file or folder")]
    NotFound { path: PathBuf },
    #[error("{path}: no input files found (looked for .csv, .jsonl, .json, .ndjson, .parquet, optionally .gz/.zst)")]
    NoFiles { path: PathBuf },
    #[error("{path}: unrecognised format: {detail}")]
    UnknownFormat { path: PathBuf, detail: String },
    #[error("{path}: missing required column `{column}` for {kind:?}")]
    MissingColumn { path: PathBuf, column: &'static str, kind: FileKind },
    #[error("{path}: {detail}")]
    Encoding { path: PathBuf, detail: String },
    #[error("{path}: Parquet: {detail}")]
    Parquet { path: PathBuf, detail: String },
    #[error("{path}:{line}: {}", RecordTooLong)]
    RecordTooLong { path: PathBuf, line: u64 },
    #[error("too many bad records ({count} > --max-errors {max}); last: {last}")]
    TooManyErrors { count: u64, max: u64, last: Box<RecordIssue> },
}

/// Options for [`ingest`].
#[derive(Debug, Clone)]
pub struct IngestOptions {
    pub format: InputFormat,
    /// Skipped records allowed before the run stops.
    pub max_errors: u64,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions { format: InputFormat::Auto, max_errors: 100 }
    }
}

/// Per-file outcome.
#[derive(Debug, Clone, Serialize)]
pub struct FileStats {
    pub path: PathBuf,
    pub kind: FileKind,
    pub records: u64,
    pub skipped: u64,
}

/// What reading produced besides the dataset.
#[derive(Debug, Clone, Default, Serialize)]
pub struct IngestStats {
    pub files: Vec<FileStats>,
    pub bytes: u64,
    pub skipped: BTreeMap<SkipReason, u64>,
    /// Posts whose id was read before (the same post in two files, or twice in one): kept
    /// once, so that reading a file twice never doubles the evidence.
    pub duplicate_posts: u64,
    /// Records read with a doubt, by kind: `duplicate_profile` (an account's profile given
    /// twice: the later row is kept), `count_out_of_range` (a follower or following count
    /// above 4,294,967,294: clamped).
    pub warnings: BTreeMap<&'static str, u64>,
}

impl IngestStats {
    pub fn skipped_total(&self) -> u64 {
        self.skipped.values().sum()
    }
}

/// Shared state of one ingest run: the error budget and the progress sink.
pub(crate) struct Ctx<'a> {
    pub(crate) progress: &'a dyn Progress,
    max_errors: u64,
    errors: AtomicU64,
    skipped: Mutex<BTreeMap<SkipReason, u64>>,
    warnings: Mutex<BTreeMap<&'static str, u64>>,
}

impl Ctx<'_> {
    /// Counts a record read with a doubt (see [`IngestStats::warnings`]).
    pub(crate) fn warn(&self, kind: &'static str) {
        *self.warnings.lock().unwrap_or_else(|e| e.into_inner()).entry(kind).or_default() += 1;
    }

    /// Records a skipped record; fails once the budget is spent.
    pub(crate) fn skip(&self, issue: RecordIssue) -> Result<(), IngestError> {
        *self.skipped.lock().unwrap_or_else(|e| e.into_inner()).entry(issue.reason).or_default() += 1;
        self.progress.issue(&issue);
        let count = self.errors.fetch_add(1, Ordering::Relaxed) + 1;
        if count > self.max_errors {
            return Err(IngestError::TooManyErrors { count, max: self.max_errors, last: Box::new(issue) });
        }
        Ok(())
    }
}

/// Counts bytes read from the underlying file for progress reporting.
struct Counting<'a, R> {
    inner: R,
    progress: &'a dyn Progress,
    pending: u64,
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.pending += n as u64;
        if self.pending >= 1 << 20 || n == 0 {
            self.progress.advance(self.pending);
            self.pending = 0;
        }
        Ok(n)
    }
}

const SUPPORTED_EXT: [&str; 5] = ["csv", "jsonl", "json", "ndjson", "parquet"];

fn is_supported(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name.starts_with('.') {
        return false;
    }
    let base = name.strip_suffix(".gz").or_else(|| name.strip_suffix(".zst")).unwrap_or(name);
    base.rsplit_once('.').is_some_and(|(_, ext)| SUPPORTED_EXT.contains(&ext.to_ascii_lowercase().as_str()))
}

/// Expands files and folders into the sorted list of input files. Inside folders, only
/// regular files are taken (a FIFO or device there would block or never end), every folder
/// is entered once however many symlinks lead to it (`ln -s . dir/me` is no loop), and a
/// file reached twice is read once.
pub fn expand_inputs(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, IngestError> {
    let mut out = Vec::new();
    let mut seen_dirs = std::collections::HashSet::new();
    for input in inputs {
        let meta = std::fs::metadata(input).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => IngestError::NotFound { path: input.clone() },
            _ => IngestError::Io { path: input.clone(), error: e },
        })?;
        if meta.is_dir() {
            let before = out.len();
            walk(input, &mut out, &mut seen_dirs)?;
            if out.len() == before {
                return Err(IngestError::NoFiles { path: input.clone() });
            }
        } else {
            // Given by name, a FIFO is a stream the user meant (`<(zcat …)`).
            out.push(input.clone());
        }
    }
    let mut seen_files = std::collections::HashSet::new();
    out.retain(|p| seen_files.insert(std::fs::canonicalize(p).unwrap_or_else(|_| p.clone())));
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>, seen: &mut std::collections::HashSet<PathBuf>) -> Result<(), IngestError> {
    let io = |e| IngestError::Io { path: dir.to_path_buf(), error: e };
    if !seen.insert(std::fs::canonicalize(dir).map_err(io)?) {
        return Ok(());
    }
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(dir).map_err(io)?.map(|e| e.map(|e| e.path())).collect::<Result<_, _>>().map_err(io)?;
    entries.sort();
    for p in entries {
        // Follows symlinks; a dangling one is skipped like any other non-file.
        let Ok(meta) = std::fs::metadata(&p) else { continue };
        if meta.is_dir() {
            if !p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.')) {
                walk(&p, out, seen)?;
            }
        } else if meta.is_file()
            && is_supported(&p)
            && p.file_name().is_none_or(|n| n != crate::units::DISCLOSURE_MANIFEST_FILE)
        {
            // (A disclosure folder's `manifest.json` describes the files; it holds no posts.)
            out.push(p);
        }
    }
    Ok(())
}

/// An opened, decompressed input with its first bytes available for sniffing.
pub(crate) type Input<'a> = BufReader<Bounded<'a>>;

/// The longest record (a CSV record or a JSON line) read. Longer is an unterminated quote,
/// an endless line or a decompression bomb: an error, not all the memory there is.
pub const MAX_RECORD_BYTES: u64 = 64 << 20;

/// A decompressed input that refuses to deliver more than [`MAX_RECORD_BYTES`] (plus the
/// read-ahead of the buffers above it) since the start of the current record.
pub(crate) struct Bounded<'a> {
    inner: Box<dyn Read + Send + 'a>,
    read: u64,
    record_start: u64,
    /// Blank lines consumed before the first content (readers add them to line numbers).
    pub(crate) lines_before: u64,
}

/// The error a [`Bounded`] reader gives for an overlong record.
#[derive(Debug)]
pub(crate) struct RecordTooLong;

impl fmt::Display for RecordTooLong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "a record longer than {} MiB (an unterminated quote, an endless line, or not this format)",
            MAX_RECORD_BYTES >> 20
        )
    }
}

impl std::error::Error for RecordTooLong {}

impl RecordTooLong {
    /// Whether `e` is this error.
    pub(crate) fn is(e: &std::io::Error) -> bool {
        e.get_ref().is_some_and(|x| x.is::<RecordTooLong>())
    }
}

impl<'a> Bounded<'a> {
    pub(crate) fn new(inner: Box<dyn Read + Send + 'a>) -> Bounded<'a> {
        Bounded { inner, read: 0, record_start: 0, lines_before: 0 }
    }

    /// A new record begins here.
    pub(crate) fn mark(&mut self) {
        self.record_start = self.read;
    }
}

impl Read for Bounded<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.read - self.record_start > MAX_RECORD_BYTES {
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, RecordTooLong));
        }
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

fn open<'a>(path: &Path, progress: &'a dyn Progress) -> Result<(Input<'a>, bool), IngestError> {
    let io = |e| IngestError::Io { path: path.to_path_buf(), error: e };
    let mut file = File::open(path).map_err(io)?;
    let file_len = file.metadata().ok().map(|m| m.len() + 1);
    let mut magic = [0u8; 4];
    let mut got = 0;
    while got < 4 {
        let n = file.read(&mut magic[got..]).map_err(io)?;
        if n == 0 {
            break;
        }
        got += n;
    }
    let is_parquet = got == 4 && &magic == b"PAR1";
    // Rewind rather than chain the magic bytes, so the first fill_buf sees a whole header.
    file.seek(std::io::SeekFrom::Start(0)).map_err(io)?;
    let raw = Counting { inner: file, progress, pending: 0 };
    let compressed = (got >= 2 && magic[..2] == [0x1f, 0x8b]) || (got == 4 && magic == [0x28, 0xb5, 0x2f, 0xfd]);
    let reader: Box<dyn Read + Send + 'a> = if got >= 2 && magic[..2] == [0x1f, 0x8b] {
        Box::new(flate2::read::MultiGzDecoder::new(BufReader::with_capacity(1 << 16, raw)))
    } else if got == 4 && magic == [0x28, 0xb5, 0x2f, 0xfd] {
        Box::new(zstd::stream::read::Decoder::new(raw).map_err(io)?)
    } else {
        Box::new(raw)
    };
    // The buffer is zeroed on first use: a small file gets a small one (the IRA by-author
    // layout is hundreds of files of a few kilobytes).
    let plain_len = file_len.unwrap_or(u64::MAX);
    let capacity = if compressed { 1 << 20 } else { plain_len.clamp(8 << 10, 1 << 20) as usize };
    Ok((BufReader::with_capacity(capacity, Bounded::new(reader)), is_parquet))
}

/// Detects the kind of a (decompressed) text input from its first bytes.
fn sniff(path: &Path, input: &mut Input<'_>, forced: InputFormat) -> Result<FileKind, IngestError> {
    let io = |e| IngestError::Io { path: path.to_path_buf(), error: e };
    // Blank lines before the content (more than a buffer of them is no reason to read the
    // file as empty): consumed whole, and counted so that line numbers stay true.
    loop {
        let buf = input.fill_buf().map_err(io)?;
        let blank = buf.iter().rposition(|&b| b == b'\n').filter(|&i| buf[..=i].iter().all(u8::is_ascii_whitespace));
        match blank {
            Some(i) if !buf.is_empty() => {
                let lines = buf[..=i].iter().filter(|&&b| b == b'\n').count() as u64;
                input.consume(i + 1);
                input.get_mut().lines_before += lines;
                input.get_mut().mark();
            }
            _ => break,
        }
    }
    let buf = input.fill_buf().map_err(io)?;
    if buf.starts_with(&[0xff, 0xfe]) || buf.starts_with(&[0xfe, 0xff]) {
        return Err(IngestError::Encoding {
            path: path.to_path_buf(),
            detail: "file is UTF-16; convert it to UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)".into(),
        });
    }
    let text = buf.strip_prefix(b"\xef\xbb\xbf").unwrap_or(buf);
    let line_end = memchr::memchr(b'\n', text).unwrap_or(text.len());
    if text[..line_end].contains(&0) {
        let utf16 = text[..line_end].iter().skip(1).step_by(2).all(|&b| b == 0)
            || text[..line_end].iter().step_by(2).all(|&b| b == 0);
        return Err(IngestError::Encoding {
            path: path.to_path_buf(),
            detail: if utf16 {
                "the first line is UTF-16 without a byte-order mark; convert it to UTF-8 (e.g. iconv -f UTF-16LE -t UTF-8)"
                    .into()
            } else {
                "the first line holds NUL bytes: not a text file in a supported format".into()
            },
        });
    }
    let first = text.iter().find(|b| !b.is_ascii_whitespace()).copied();
    if first.is_none() {
        return Ok(FileKind::Empty);
    }
    if first == Some(b'{') || forced == InputFormat::Jsonl {
        if matches!(forced, InputFormat::Auto | InputFormat::Jsonl) {
            return Ok(FileKind::JsonLines);
        }
        return Err(IngestError::UnknownFormat {
            path: path.to_path_buf(),
            detail: format!("looks like JSON lines, but --format {forced:?} was given"),
        });
    }
    let header = String::from_utf8_lossy(&text[..line_end]);
    let names = csvio::header_names(&header);
    let has = |n: &str| names.iter().any(|h| h == n);
    let kind = if has("tweetid") && has("userid") {
        Some(FileKind::ArchiveTweets)
    } else if has("userid") && (has("user_screen_name") || has("account_creation_date")) {
        Some(FileKind::ArchiveUsers)
    } else if has("external_author_id") && has("content") {
        Some(FileKind::IraTweets)
    } else if has("author_id") && has("content") {
        Some(FileKind::IraByAuthor)
    } else if has("author_id") && has("account_category") {
        Some(FileKind::IraAuthors)
    } else {
        None
    };
    let family_ok = |k: FileKind| match forced {
        InputFormat::Auto => true,
        InputFormat::Archive => matches!(k, FileKind::ArchiveTweets | FileKind::ArchiveUsers),
        InputFormat::Ira => matches!(k, FileKind::IraTweets | FileKind::IraByAuthor | FileKind::IraAuthors),
        InputFormat::Jsonl | InputFormat::Parquet => false,
    };
    match kind {
        Some(k) if family_ok(k) => Ok(k),
        Some(k) => Err(IngestError::UnknownFormat {
            path: path.to_path_buf(),
            detail: format!("header looks like {k:?}, not --format {}", format_name(forced)),
        }),
        None => Err(IngestError::UnknownFormat {
            path: path.to_path_buf(),
            detail: format!(
                "header `{}` matches no known layout (archive tweets need tweetid,userid; users files userid,user_screen_name; IRA files external_author_id,content or author_id,content)",
                crate::text::printable(&header.chars().take(120).collect::<String>())
            ),
        }),
    }
}

/// The kind of a CSV input, detected from its header (used for Parquet archive tables).
pub(crate) fn sniff_csv_kind(path: &Path, input: &mut Input<'_>) -> Result<FileKind, IngestError> {
    sniff(path, input, InputFormat::Auto)
}

pub(crate) use archive::{read_tweets as archive_tweets, read_users as archive_users};

fn format_name(f: InputFormat) -> &'static str {
    match f {
        InputFormat::Auto => "auto",
        InputFormat::Archive => "archive",
        InputFormat::Ira => "ira",
        InputFormat::Jsonl => "jsonl",
        InputFormat::Parquet => "parquet",
    }
}

/// A file read on its own, before merging.
struct FilePart {
    stats: FileStats,
    data: Dataset,
    /// Posts of the file whose id the file gave before (not stored).
    duplicates: u64,
}

fn read_one(path: &Path, ctx: &Ctx<'_>, forced: InputFormat) -> Result<FilePart, IngestError> {
    let (input, is_parquet) = open(path, ctx.progress)?;
    let mut data = Dataset::new();
    let (kind, counts) = if is_parquet {
        if !matches!(forced, InputFormat::Auto | InputFormat::Parquet) {
            return Err(IngestError::UnknownFormat {
                path: path.to_path_buf(),
                detail: format!("file is Parquet, not --format {}", format_name(forced)),
            });
        }
        drop(input);
        crate::ingest::columnar::read_parquet(path, ctx, &mut data)?
    } else {
        if forced == InputFormat::Parquet {
            return Err(IngestError::UnknownFormat {
                path: path.to_path_buf(),
                detail: "not a Parquet file (no PAR1 magic)".into(),
            });
        }
        data.posts.track_ids();
        read_text(path, input, ctx, forced, &mut data)?
    };
    let duplicates = data.posts.untrack_ids();
    Ok(FilePart {
        stats: FileStats { path: path.to_path_buf(), kind, records: counts.0, skipped: counts.1 },
        data,
        duplicates,
    })
}

/// Reads a decompressed text input (CSV or JSON lines) of any detected kind.
fn read_text(
    path: &Path,
    mut input: Input<'_>,
    ctx: &Ctx<'_>,
    forced: InputFormat,
    data: &mut Dataset,
) -> Result<(FileKind, (u64, u64)), IngestError> {
    {
        let kind = sniff(path, &mut input, forced)?;
        let counts = match kind {
            FileKind::ArchiveTweets => archive::read_tweets(path, input, ctx, data)?,
            FileKind::ArchiveUsers => archive::read_users(path, input, ctx, data)?,
            FileKind::IraTweets | FileKind::IraByAuthor => ira::read_tweets(path, input, ctx, data, kind)?,
            FileKind::IraAuthors => ira::read_authors(path, input, ctx, data)?,
            FileKind::JsonLines => json::read_lines(path, input, ctx, data)?,
            FileKind::Empty => (0, 0),
            FileKind::ArchiveParquet | FileKind::DatasetParquet => {
                return Err(IngestError::UnknownFormat {
                    path: path.to_path_buf(),
                    detail: "Parquet in a text stream".into(),
                })
            }
        };
        Ok((kind, counts))
    }
}

/// Reads one in-memory text input (CSV or JSON lines, not compressed) named `label`.
/// The same readers as for files; for tests and fuzzing.
pub fn ingest_bytes(label: &str, bytes: &[u8], opts: &IngestOptions) -> Result<(Dataset, IngestStats), IngestError> {
    let progress = crate::progress::NoProgress;
    let ctx = Ctx {
        progress: &progress,
        max_errors: opts.max_errors,
        errors: AtomicU64::new(0),
        skipped: Mutex::default(),
        warnings: Mutex::default(),
    };
    let cursor: Box<dyn Read + Send + '_> = Box::new(std::io::Cursor::new(bytes));
    let input = BufReader::new(Bounded::new(cursor));
    let path = Path::new(label);
    let mut data = Dataset::new();
    data.posts.track_ids();
    let (kind, (records, skipped)) = read_text(path, input, &ctx, opts.format, &mut data)?;
    let stats = IngestStats {
        files: vec![FileStats { path: path.to_path_buf(), kind, records, skipped }],
        bytes: bytes.len() as u64,
        skipped: ctx.skipped.into_inner().unwrap_or_else(|e| e.into_inner()),
        duplicate_posts: data.posts.untrack_ids(),
        warnings: ctx.warnings.into_inner().unwrap_or_else(|e| e.into_inner()),
    };
    Ok((data, stats))
}

/// Reads every input into one dataset. Files are read in parallel and merged in a fixed
/// order (profile files first, then by path), so the result does not depend on timing.
pub fn ingest(
    inputs: &[PathBuf],
    opts: &IngestOptions,
    progress: &dyn Progress,
) -> Result<(Dataset, IngestStats), IngestError> {
    let files = expand_inputs(inputs)?;
    let total: u64 = files.iter().filter_map(|f| std::fs::metadata(f).ok()).map(|m| m.len()).sum();
    progress.begin(total);
    let ctx = Ctx {
        progress,
        max_errors: opts.max_errors,
        errors: AtomicU64::new(0),
        skipped: Mutex::default(),
        warnings: Mutex::default(),
    };
    let mut parts: Vec<FilePart> =
        files.par_iter().map(|f| read_one(f, &ctx, opts.format)).collect::<Result<_, _>>()?;
    parts.sort_by(|a, b| {
        (!a.stats.kind.is_profile_file(), &a.stats.path).cmp(&(!b.stats.kind.is_profile_file(), &b.stats.path))
    });
    let mut stats = IngestStats { bytes: total, ..Default::default() };
    // Merge into the largest part rather than copying it (a users file is small, its
    // tweets file large); the choice depends only on the inputs, so it is deterministic.
    let base = (0..parts.len()).max_by_key(|&i| (parts[i].data.posts.len(), std::cmp::Reverse(i))).unwrap_or(0);
    let mut data = Dataset::new();
    if !parts.is_empty() {
        data = std::mem::take(&mut parts[base].data);
    }
    // Profile files were sorted first: they overwrite what the base holds.
    for (i, part) in parts.iter().enumerate() {
        if i != base {
            data.append(&part.data, part.stats.kind.is_profile_file());
        }
    }
    let within_files: u64 = parts.iter().map(|p| p.duplicates).sum();
    stats.files = parts.into_iter().map(|p| p.stats).collect();
    stats.duplicate_posts = within_files + data.posts.dedupe_ids();
    data.shrink_to_fit();
    stats.skipped = ctx.skipped.into_inner().unwrap_or_else(|e| e.into_inner());
    stats.warnings = ctx.warnings.into_inner().unwrap_or_else(|e| e.into_inner());
    progress.finish();
    Ok((data, stats))
}

/// The summary `cibscan ingest` prints: counts by kind, time range, languages, skipped rows.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub accounts: u64,
    pub hashed_accounts: u64,
    pub posts: u64,
    pub originals: u64,
    pub retweets: u64,
    pub replies: u64,
    pub quotes: u64,
    pub first_post: Option<String>,
    pub last_post: Option<String>,
    /// Post language → posts.
    pub languages: BTreeMap<String, u64>,
    /// Skip reason → records.
    pub skipped: BTreeMap<String, u64>,
    /// Accounts only referenced (retweeted, replied to, mentioned), not in the data.
    pub referenced_accounts: u64,
    pub files: u64,
    /// Posts read more than once (same post id), counted once.
    pub duplicate_posts: u64,
    /// Records read with a doubt, by kind (see [`IngestStats::warnings`]).
    pub warnings: BTreeMap<String, u64>,
}

impl Summary {
    pub fn new(data: &Dataset, stats: &IngestStats) -> Summary {
        let mut kinds = [0u64; 4];
        for &k in &data.posts.kind {
            kinds[k as usize] += 1;
        }
        let mut lang_counts = vec![0u64; data.strings.len()];
        let mut no_lang = 0u64;
        for &l in &data.posts.lang {
            match lang_counts.get_mut(l as usize) {
                Some(c) => *c += 1,
                None => no_lang += 1,
            }
        }
        let mut languages: BTreeMap<String, u64> = lang_counts
            .iter()
            .enumerate()
            .filter(|(_, &c)| c > 0)
            .map(|(i, &c)| (data.strings.get(i as u32).to_string(), c))
            .collect();
        if no_lang > 0 {
            languages.insert("unknown".into(), no_lang);
        }
        let times = data.posts.time_ms.iter().copied().filter(|&t| t != crate::model::UNKNOWN_TIME);
        let (first, last) = times.fold((i64::MAX, i64::MIN), |(lo, hi), t| (lo.min(t), hi.max(t)));
        let profiled = data.profiled_accounts().count() as u64;
        let hashed =
            data.profiled_accounts().filter(|&a| data.accounts.has(a, crate::model::account_flags::HASHED)).count();
        Summary {
            accounts: profiled,
            hashed_accounts: hashed as u64,
            posts: data.posts.len() as u64,
            originals: kinds[PostKind::Original as usize],
            retweets: kinds[PostKind::Retweet as usize],
            replies: kinds[PostKind::Reply as usize],
            quotes: kinds[PostKind::Quote as usize],
            first_post: (first != i64::MAX).then(|| crate::ingest::parse::format_time(first)),
            last_post: (last != i64::MIN).then(|| crate::ingest::parse::format_time(last)),
            languages,
            skipped: stats.skipped.iter().map(|(k, v)| (k.as_str().to_string(), *v)).collect(),
            referenced_accounts: data.accounts.len() as u64 - profiled,
            files: stats.files.len() as u64,
            duplicate_posts: stats.duplicate_posts,
            warnings: stats.warnings.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
        }
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "files            {}", self.files)?;
        writeln!(
            f,
            "accounts         {} ({} hashed, {} more only referenced)",
            self.accounts, self.hashed_accounts, self.referenced_accounts
        )?;
        writeln!(f, "posts            {}", self.posts)?;
        writeln!(f, "  originals      {}", self.originals)?;
        writeln!(f, "  retweets       {}", self.retweets)?;
        writeln!(f, "  replies        {}", self.replies)?;
        writeln!(f, "  quotes         {}", self.quotes)?;
        writeln!(f, "first post       {}", self.first_post.as_deref().unwrap_or("-"))?;
        writeln!(f, "last post        {}", self.last_post.as_deref().unwrap_or("-"))?;
        let mut langs: Vec<_> = self.languages.iter().collect();
        langs.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let shown: Vec<String> = langs.iter().take(8).map(|(l, c)| format!("{l} {c}")).collect();
        let more = langs.len().saturating_sub(8);
        write!(f, "languages        {}", if shown.is_empty() { "-".to_string() } else { shown.join(", ") })?;
        if more > 0 {
            write!(f, " (+{more} more)")?;
        }
        writeln!(f)?;
        if self.skipped.is_empty() {
            writeln!(f, "skipped          0")?;
        } else {
            let total: u64 = self.skipped.values().sum();
            let parts: Vec<String> = self.skipped.iter().map(|(r, c)| format!("{r} {c}")).collect();
            writeln!(f, "skipped          {total} ({})", parts.join(", "))?;
        }
        if !self.warnings.is_empty() {
            let parts: Vec<String> = self.warnings.iter().map(|(r, c)| format!("{r} {c}")).collect();
            writeln!(f, "warnings         {}", parts.join(", "))?;
        }
        if self.duplicate_posts > 0 {
            writeln!(f, "duplicates       {} posts read more than once, counted once", self.duplicate_posts)?;
        }
        Ok(())
    }
}
