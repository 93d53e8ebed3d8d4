//! Arrow record batches and Parquet files for the dataset.
//!
//! The dataset converts to three Arrow tables — `strings`, `accounts`, `posts` — whose ids
//! are the in-memory ids ([`StrId`], [`AccountIdx`]), so converting back is a copy, not a
//! re-interning. `cibscan ingest --out FILE.parquet` writes the three tables into one
//! Parquet file: each section in its own row groups, the columns of the other sections
//! null, and the key-value metadata `cibscan.dataset` naming each section's row groups.
//! Reading projects only the section's columns (docs/FORMATS.md).
//!
//! Parquet files without that metadata are read as archive tweets or users tables: every
//! column is cast to text and read by the archive CSV reader.

use crate::ingest::{Ctx, FileKind, IngestError};
use crate::model::*;
use arrow_array::builder::{ListBuilder, UInt32Builder};
use arrow_array::cast::AsArray;
use arrow_array::types::{Float32Type, Int64Type, UInt32Type, UInt64Type, UInt8Type};
use arrow_array::{
    new_null_array, Array, ArrayRef, Float32Array, Int64Array, ListArray, RecordBatch, StringArray, UInt32Array,
    UInt64Array, UInt8Array,
};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::{ArrowWriter, ProjectionMask};
use parquet::file::properties::WriterProperties;
use std::path::Path;
use std::sync::Arc;

const META_KEY: &str = "cibscan.dataset";
const FORMAT_VERSION: u32 = 1;
/// Rows per written batch (and row group) of the posts section.
const BATCH_ROWS: usize = 1 << 18;

fn list_u32() -> DataType {
    DataType::List(Arc::new(Field::new("item", DataType::UInt32, false)))
}

pub fn strings_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![Field::new("string", DataType::Utf8, true)]))
}

pub fn accounts_schema() -> SchemaRef {
    let u32f = |n: &str| Field::new(n, DataType::UInt32, true);
    Arc::new(Schema::new(vec![
        Field::new("account_key", DataType::Utf8, true),
        u32f("screen_name"),
        u32f("display_name"),
        u32f("location"),
        u32f("description"),
        u32f("profile_url"),
        u32f("followers"),
        u32f("following"),
        Field::new("created_ms", DataType::Int64, true),
        u32f("account_language"),
        u32f("label"),
        Field::new("account_flags", DataType::UInt8, true),
    ]))
}

pub fn posts_schema() -> SchemaRef {
    let u32f = |n: &str| Field::new(n, DataType::UInt32, true);
    let u64f = |n: &str| Field::new(n, DataType::UInt64, true);
    Arc::new(Schema::new(vec![
        u64f("post_id"),
        u32f("account"),
        Field::new("time_ms", DataType::Int64, true),
        Field::new("kind", DataType::UInt8, true),
        u64f("ref_post"),
        u32f("ref_account"),
        u64f("reply_post"),
        u32f("reply_account"),
        u32f("lang"),
        u32f("client"),
        Field::new("text", DataType::Utf8, true),
        Field::new("hashtags", list_u32(), true),
        Field::new("urls", list_u32(), true),
        Field::new("mentions", list_u32(), true),
        u32f("quote_count"),
        u32f("reply_count"),
        u32f("like_count"),
        u32f("retweet_count"),
        Field::new("latitude", DataType::Float32, true),
        Field::new("longitude", DataType::Float32, true),
        Field::new("post_flags", DataType::UInt8, true),
    ]))
}

/// The file schema: every section's columns, all nullable.
fn file_schema() -> SchemaRef {
    let mut fields: Vec<Field> = Vec::new();
    for s in [strings_schema(), accounts_schema(), posts_schema()] {
        fields.extend(s.fields().iter().map(|f| f.as_ref().clone()));
    }
    Arc::new(Schema::new(fields))
}

fn opt_u32(v: &[u32], none: u32) -> ArrayRef {
    Arc::new(v.iter().map(|&x| (x != none).then_some(x)).collect::<UInt32Array>())
}

fn opt_u64(v: &[u64]) -> ArrayRef {
    Arc::new(v.iter().map(|&x| (x != 0).then_some(x)).collect::<UInt64Array>())
}

fn err(e: impl std::fmt::Display) -> IngestError {
    IngestError::Parquet { path: Default::default(), detail: e.to_string() }
}

pub fn strings_batch(d: &Dataset) -> RecordBatch {
    let arr: StringArray = d.strings.iter().map(Some).collect();
    RecordBatch::try_new(strings_schema(), vec![Arc::new(arr)]).expect("schema matches")
}

pub fn accounts_batch(d: &Dataset) -> RecordBatch {
    let a = &d.accounts;
    let key: StringArray = a.key.iter().map(Some).collect();
    let cols: Vec<ArrayRef> = vec![
        Arc::new(key),
        opt_u32(&a.screen_name, NO_STR),
        opt_u32(&a.display_name, NO_STR),
        opt_u32(&a.location, NO_STR),
        opt_u32(&a.description, NO_STR),
        opt_u32(&a.profile_url, NO_STR),
        opt_u32(&a.followers, UNKNOWN_COUNT),
        opt_u32(&a.following, UNKNOWN_COUNT),
        Arc::new(a.created_ms.iter().map(|&t| (t != UNKNOWN_TIME).then_some(t)).collect::<Int64Array>()),
        opt_u32(&a.language, NO_STR),
        opt_u32(&a.label, NO_STR),
        Arc::new(UInt8Array::from(a.flags.clone())),
    ];
    RecordBatch::try_new(accounts_schema(), cols).expect("schema matches")
}

fn list(col: &ListColumn, rows: std::ops::Range<usize>) -> ArrayRef {
    let mut b = ListBuilder::new(UInt32Builder::new()).with_field(Field::new("item", DataType::UInt32, false));
    for i in rows {
        b.values().append_slice(col.row(i));
        b.append(true);
    }
    Arc::new(b.finish())
}

/// Posts `rows` as a record batch.
pub fn posts_batch(d: &Dataset, rows: std::ops::Range<usize>) -> RecordBatch {
    let p = &d.posts;
    let r = rows.clone();
    let mut lat = vec![None; r.len()];
    let mut lon = vec![None; r.len()];
    let first = p.geo.partition_point(|g| (g.0 as usize) < r.start);
    for &(row, la, lo) in p.geo[first..].iter().take_while(|g| (g.0 as usize) < r.end) {
        lat[row as usize - r.start] = Some(la);
        lon[row as usize - r.start] = Some(lo);
    }
    let cols: Vec<ArrayRef> = vec![
        opt_u64(&p.id[r.clone()]),
        Arc::new(UInt32Array::from(p.account[r.clone()].to_vec())),
        Arc::new(Int64Array::from(p.time_ms[r.clone()].to_vec())),
        Arc::new(p.kind[r.clone()].iter().map(|&k| k as u8).collect::<UInt8Array>()),
        opt_u64(&p.ref_post[r.clone()]),
        opt_u32(&p.ref_account[r.clone()], NO_ACCOUNT),
        opt_u64(&p.reply_post[r.clone()]),
        opt_u32(&p.reply_account[r.clone()], NO_ACCOUNT),
        opt_u32(&p.lang[r.clone()], NO_STR),
        opt_u32(&p.client[r.clone()], NO_STR),
        Arc::new(r.clone().map(|i| Some(p.text.get(i))).collect::<StringArray>()),
        list(&p.hashtags, r.clone()),
        list(&p.urls, r.clone()),
        list(&p.mentions, r.clone()),
        opt_u32(&p.quote_count[r.clone()], UNKNOWN_COUNT),
        opt_u32(&p.reply_count[r.clone()], UNKNOWN_COUNT),
        opt_u32(&p.like_count[r.clone()], UNKNOWN_COUNT),
        opt_u32(&p.retweet_count[r.clone()], UNKNOWN_COUNT),
        Arc::new(Float32Array::from(lat)),
        Arc::new(Float32Array::from(lon)),
        Arc::new(UInt8Array::from(p.flags[r].to_vec())),
    ];
    RecordBatch::try_new(posts_schema(), cols).expect("schema matches")
}

fn pad(batch: &RecordBatch, schema: &SchemaRef) -> RecordBatch {
    let n = batch.num_rows();
    let cols = schema
        .fields()
        .iter()
        .map(|f| match batch.column_by_name(f.name()) {
            Some(c) => c.clone(),
            None => new_null_array(f.data_type(), n),
        })
        .collect();
    RecordBatch::try_new(schema.clone(), cols).expect("padded batch matches the file schema")
}

/// Writes the dataset as one Parquet file (see the module docs).
pub fn write_parquet(d: &Dataset, path: &Path) -> Result<(), IngestError> {
    let with_path = |e: IngestError| match e {
        IngestError::Parquet { detail, .. } => IngestError::Parquet { path: path.to_path_buf(), detail },
        other => other,
    };
    let file = std::fs::File::create(path).map_err(|e| IngestError::Io { path: path.to_path_buf(), error: e })?;
    let schema = file_schema();
    let props = WriterProperties::builder()
        .set_compression(parquet::basic::Compression::ZSTD(Default::default()))
        .set_max_row_group_row_count(Some(BATCH_ROWS))
        .build();
    let mut w = ArrowWriter::try_new(file, schema.clone(), Some(props)).map_err(err).map_err(with_path)?;
    let mut sections = Vec::new();
    let mut write_section = |w: &mut ArrowWriter<std::fs::File>, name: &str, batches: Vec<RecordBatch>| {
        // The writer splits large batches into several row groups: count what it flushed.
        let start = w.flushed_row_groups().len();
        for b in batches {
            if b.num_rows() == 0 {
                continue;
            }
            w.write(&pad(&b, &schema)).map_err(err)?;
            w.flush().map_err(err)?;
        }
        let end = w.flushed_row_groups().len();
        sections.push(serde_json::json!({"name": name, "row_groups": [start, end]}));
        Ok::<(), IngestError>(())
    };
    write_section(&mut w, "strings", vec![strings_batch(d)]).map_err(with_path)?;
    write_section(&mut w, "accounts", vec![accounts_batch(d)]).map_err(with_path)?;
    let n = d.posts.len();
    let post_batches = (0..n).step_by(BATCH_ROWS).map(|s| posts_batch(d, s..(s + BATCH_ROWS).min(n))).collect();
    write_section(&mut w, "posts", post_batches).map_err(with_path)?;
    let meta = serde_json::json!({"version": FORMAT_VERSION, "sections": sections});
    w.append_key_value_metadata(parquet::file::metadata::KeyValue::new(META_KEY.into(), meta.to_string()));
    w.close().map_err(err).map_err(with_path)?;
    Ok(())
}

/// Reads a Parquet input: a cibscan dataset, or an archive table.
pub(crate) fn read_parquet(
    path: &Path,
    ctx: &Ctx<'_>,
    data: &mut Dataset,
) -> Result<(FileKind, (u64, u64)), IngestError> {
    let perr = |e: &dyn std::fmt::Display| IngestError::Parquet { path: path.to_path_buf(), detail: e.to_string() };
    let file = std::fs::File::open(path).map_err(|e| IngestError::Io { path: path.to_path_buf(), error: e })?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| perr(&e))?;
    let row_groups = builder.metadata().num_row_groups();
    let meta = builder
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .and_then(|kv| kv.iter().find(|k| k.key == META_KEY))
        .and_then(|k| k.value.clone());
    drop(builder);
    match meta {
        Some(m) => {
            let info: serde_json::Value = serde_json::from_str(&m).map_err(|e| perr(&e))?;
            if info["version"].as_u64() != Some(FORMAT_VERSION as u64) {
                return Err(perr(&format!(
                    "dataset format version {} (this cibscan reads {FORMAT_VERSION})",
                    info["version"]
                )));
            }
            let mut sections = std::collections::HashMap::new();
            for s in info["sections"].as_array().into_iter().flatten() {
                let g = &s["row_groups"];
                let (a, b) = (g[0].as_u64().unwrap_or(0), g[1].as_u64().unwrap_or(0));
                // Checked against the file before any allocation sized by it.
                if a > b || b > row_groups as u64 {
                    return Err(perr(&format!(
                        "section {} names row groups {a}..{b}; the file has {row_groups}",
                        s["name"].as_str().unwrap_or("?")
                    )));
                }
                sections.insert(s["name"].as_str().unwrap_or("").to_string(), a as usize..b as usize);
            }
            // Each section is read with only its own columns, batch by batch into the dataset.
            let read = |name: &str,
                        schema: SchemaRef,
                        data: &mut Dataset,
                        add: fn(&mut Dataset, &RecordBatch) -> Result<(), String>|
             -> Result<(), IngestError> {
                let Some(groups) = sections.get(name).cloned() else {
                    return Err(perr(&format!("section {name} missing")));
                };
                let file =
                    std::fs::File::open(path).map_err(|e| IngestError::Io { path: path.to_path_buf(), error: e })?;
                let b = ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| perr(&e))?;
                let groups: Vec<usize> = groups.collect();
                if groups.iter().any(|&g| g >= b.metadata().num_row_groups()) {
                    return Err(perr(&format!("section {name} names row groups the file does not have")));
                }
                if name == "posts" {
                    let rows: i64 = groups.iter().map(|&g| b.metadata().row_group(g).num_rows()).sum();
                    data.posts.reserve(rows.max(0) as usize);
                }
                let roots: Vec<usize> =
                    schema.fields().iter().filter_map(|f| b.schema().index_of(f.name()).ok()).collect();
                let mask = ProjectionMask::roots(b.parquet_schema(), roots);
                let reader = b
                    .with_projection(mask)
                    .with_row_groups(groups)
                    .with_batch_size(BATCH_ROWS)
                    .build()
                    .map_err(|e| perr(&e))?;
                for batch in reader {
                    add(data, &batch.map_err(|e| perr(&e))?).map_err(|e| perr(&e))?;
                }
                Ok(())
            };
            read("strings", strings_schema(), data, add_strings)?;
            read("accounts", accounts_schema(), data, add_accounts)?;
            read("posts", posts_schema(), data, add_posts)?;
            let skipped = drop_implausible_times(path, ctx, data)?;
            let n = data.posts.len() as u64;
            Ok((FileKind::DatasetParquet, (n + skipped, skipped)))
        }
        None => read_archive_parquet(path, ctx, data),
    }
}

/// Times outside the plausible range in a dataset file: each such post is a skipped
/// `bad_time` record, each such account creation time is unknown (and reported).
fn drop_implausible_times(path: &Path, ctx: &Ctx<'_>, data: &mut Dataset) -> Result<u64, IngestError> {
    use crate::ingest::{RecordIssue, SkipReason};
    let issue = |record: usize, detail: String| RecordIssue {
        path: path.to_path_buf(),
        record: record as u64 + 1,
        line: 0,
        reason: SkipReason::BadTime,
        detail,
    };
    for (a, t) in data.accounts.created_ms.iter_mut().enumerate() {
        if *t != UNKNOWN_TIME && !crate::units::plausible_time(*t) {
            ctx.skip(issue(a, format!("account creation time_ms {t} outside 2000-2100: read as unknown")))?;
            *t = UNKNOWN_TIME;
        }
    }
    let keep: Vec<bool> = data.posts.time_ms.iter().map(|&t| crate::units::plausible_time(t)).collect();
    let mut skipped = 0;
    for (row, _) in keep.iter().enumerate().filter(|(_, k)| !**k) {
        ctx.skip(issue(row, format!("post time_ms {} outside 2000-2100", data.posts.time_ms[row])))?;
        skipped += 1;
    }
    if skipped > 0 {
        data.posts.retain_rows(&keep);
    }
    Ok(skipped)
}

/// An archive table in Parquet: cast every column to text and read it as CSV would be.
fn read_archive_parquet(path: &Path, ctx: &Ctx<'_>, data: &mut Dataset) -> Result<(FileKind, (u64, u64)), IngestError> {
    let perr = |e: &dyn std::fmt::Display| IngestError::Parquet { path: path.to_path_buf(), detail: e.to_string() };
    let file = std::fs::File::open(path).map_err(|e| IngestError::Io { path: path.to_path_buf(), error: e })?;
    let reader = ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| perr(&e))?.build().map_err(|e| perr(&e))?;
    let schema = arrow_array::RecordBatchReader::schema(&reader);
    let mut csv_bytes = Vec::new();
    {
        let mut w = csv::Writer::from_writer(&mut csv_bytes);
        w.write_record(schema.fields().iter().map(|f| f.name().as_str())).map_err(|e| perr(&e))?;
        for batch in reader {
            let batch = batch.map_err(|e| perr(&e))?;
            let cols: Vec<ArrayRef> = batch
                .columns()
                .iter()
                .map(|c| arrow_cast::cast(c, &DataType::Utf8))
                .collect::<Result<_, _>>()
                .map_err(|e| perr(&e))?;
            let cols: Vec<&StringArray> = cols.iter().map(|c| c.as_string::<i32>()).collect();
            for row in 0..batch.num_rows() {
                w.write_record(cols.iter().map(|c| if c.is_null(row) { "" } else { c.value(row) }))
                    .map_err(|e| perr(&e))?;
            }
        }
        w.flush().map_err(|e| perr(&e))?;
    }
    let cursor: Box<dyn std::io::Read + Send> = Box::new(std::io::Cursor::new(csv_bytes));
    let mut input = std::io::BufReader::new(crate::ingest::Bounded::new(cursor));
    let kind = crate::ingest::sniff_csv_kind(path, &mut input)?;
    let counts = match kind {
        FileKind::ArchiveTweets => crate::ingest::archive_tweets(path, input, ctx, data)?,
        FileKind::ArchiveUsers => crate::ingest::archive_users(path, input, ctx, data)?,
        other => {
            return Err(IngestError::UnknownFormat {
                path: path.to_path_buf(),
                detail: format!(
                    "Parquet with {other:?} columns: only archive tweets/users tables and cibscan datasets are read"
                ),
            })
        }
    };
    Ok((FileKind::ArchiveParquet, counts))
}

fn u32s(a: &dyn Array, none: u32) -> Result<Vec<u32>, String> {
    let a = a.as_primitive_opt::<UInt32Type>().ok_or_else(|| wrong_type(a, "UInt32"))?;
    Ok((0..a.len()).map(|i| if a.is_null(i) { none } else { a.value(i) }).collect())
}

fn u64s(a: &dyn Array) -> Result<Vec<u64>, String> {
    let a = a.as_primitive_opt::<UInt64Type>().ok_or_else(|| wrong_type(a, "UInt64"))?;
    Ok((0..a.len()).map(|i| if a.is_null(i) { 0 } else { a.value(i) }).collect())
}

fn wrong_type(a: &dyn Array, want: &str) -> String {
    format!("a column is {}, expected {want}", a.data_type())
}

fn col<'b>(b: &'b RecordBatch, name: &str) -> Result<&'b ArrayRef, String> {
    b.column_by_name(name).ok_or_else(|| format!("column {name} missing"))
}

/// A column of a given primitive type, or an error naming it (a hostile file's column of
/// another type must not panic in a downcast).
fn prim<'b, T: arrow_array::ArrowPrimitiveType>(
    b: &'b RecordBatch,
    name: &str,
) -> Result<&'b arrow_array::PrimitiveArray<T>, String> {
    let c = col(b, name)?;
    c.as_primitive_opt::<T>().ok_or_else(|| format!("column {name} is {}, expected {}", c.data_type(), T::DATA_TYPE))
}

fn strs<'b>(b: &'b RecordBatch, name: &str) -> Result<&'b StringArray, String> {
    let c = col(b, name)?;
    c.as_string_opt::<i32>().ok_or_else(|| format!("column {name} is {}, expected Utf8", c.data_type()))
}

fn list_into(out: &mut ListColumn, a: &dyn Array, bound: usize) -> Result<(), String> {
    let l: &ListArray = a.as_list_opt::<i32>().ok_or_else(|| wrong_type(a, "List<UInt32>"))?;
    let vals = l.values().as_primitive_opt::<UInt32Type>().ok_or_else(|| wrong_type(l.values(), "UInt32"))?;
    let offs = l.value_offsets();
    for i in 0..l.len() {
        let (s, e) = (offs[i] as usize, offs[i + 1] as usize);
        let row = &vals.values()[s..e];
        if row.iter().any(|&v| v as usize >= bound) {
            return Err(format!("list value out of range in row {i}"));
        }
        out.push_row(row.iter().copied());
    }
    Ok(())
}

/// Rebuilds a dataset from its three tables (as written by [`write_parquet`]). Checks that
/// every id is in range, so a damaged file is an error, not a later panic.
pub fn from_batches(
    strings: &[RecordBatch],
    accounts: &[RecordBatch],
    posts: &[RecordBatch],
) -> Result<Dataset, String> {
    let mut d = Dataset::new();
    for b in strings {
        add_strings(&mut d, b)?;
    }
    for b in accounts {
        add_accounts(&mut d, b)?;
    }
    // Reserve exactly, so a reload of 100 million posts does not double its columns.
    d.posts.reserve(posts.iter().map(RecordBatch::num_rows).sum());
    for b in posts {
        add_posts(&mut d, b)?;
    }
    Ok(d)
}

/// Appends a batch of the `strings` table (ids continue from what `d` holds).
pub fn add_strings(d: &mut Dataset, b: &RecordBatch) -> Result<(), String> {
    {
        let s = strs(b, "string")?;
        for i in 0..s.len() {
            let before = d.strings.len();
            let id = d.strings.intern(s.value(i));
            if id as usize != before {
                return Err(format!("string {i} is empty or repeated"));
            }
        }
    }
    Ok(())
}

fn string_check(d: &Dataset) -> impl Fn(Vec<u32>) -> Result<Vec<u32>, String> {
    let ns = d.strings.len() as u32;
    move |v: Vec<u32>| {
        if v.iter().any(|&x| x != NO_STR && x >= ns) {
            return Err("string id out of range".into());
        }
        Ok(v)
    }
}

/// Appends a batch of the `accounts` table; every string must already be loaded.
pub fn add_accounts(d: &mut Dataset, b: &RecordBatch) -> Result<(), String> {
    let check_s = string_check(d);
    {
        let keys = strs(b, "account_key")?;
        let base = d.accounts.len();
        for i in 0..keys.len() {
            let idx = d.accounts.intern(keys.value(i));
            if idx as usize != base + i {
                return Err(format!("account key {} repeated", keys.value(i)));
            }
        }
        let n = keys.len();
        let a = &mut d.accounts;
        let put = |dst: &mut Vec<u32>, name: &str, none: u32, strs: bool| -> Result<(), String> {
            let v = u32s(col(b, name)?.as_ref(), none).map_err(|e| format!("{name}: {e}"))?;
            let v = if strs { check_s(v)? } else { v };
            dst.truncate(base);
            dst.extend(v);
            Ok(())
        };
        put(&mut a.screen_name, "screen_name", NO_STR, true)?;
        put(&mut a.display_name, "display_name", NO_STR, true)?;
        put(&mut a.location, "location", NO_STR, true)?;
        put(&mut a.description, "description", NO_STR, true)?;
        put(&mut a.profile_url, "profile_url", NO_STR, true)?;
        put(&mut a.followers, "followers", UNKNOWN_COUNT, false)?;
        put(&mut a.following, "following", UNKNOWN_COUNT, false)?;
        put(&mut a.language, "account_language", NO_STR, true)?;
        put(&mut a.label, "label", NO_STR, true)?;
        let created = prim::<Int64Type>(b, "created_ms")?;
        a.created_ms.truncate(base);
        a.created_ms.extend((0..n).map(|i| if created.is_null(i) { UNKNOWN_TIME } else { created.value(i) }));
        let flags = prim::<UInt8Type>(b, "account_flags")?;
        a.flags.truncate(base);
        a.flags.extend(flags.values().iter().copied());
    }
    Ok(())
}

/// Appends a batch of the `posts` table; every string and account must already be loaded.
pub fn add_posts(d: &mut Dataset, b: &RecordBatch) -> Result<(), String> {
    let check_s = string_check(d);
    let ns = d.strings.len() as u32;
    let na = d.accounts.len() as u32;
    let check_a = |v: Vec<u32>, allow_none: bool| -> Result<Vec<u32>, String> {
        if v.iter().any(|&x| !(x < na || (allow_none && x == NO_ACCOUNT))) {
            return Err("account index out of range".into());
        }
        Ok(v)
    };
    {
        let p = &mut d.posts;
        let n = b.num_rows();
        let base = p.len() as u32;
        // Every column is checked before any is extended, so a bad batch leaves no ragged rows.
        let id = u64s(col(b, "post_id")?.as_ref())?;
        let account = check_a(u32s(col(b, "account")?.as_ref(), NO_ACCOUNT)?, false)?;
        let time = prim::<Int64Type>(b, "time_ms")?;
        let kind = prim::<UInt8Type>(b, "kind")?;
        let (ref_post, reply_post) = (u64s(col(b, "ref_post")?.as_ref())?, u64s(col(b, "reply_post")?.as_ref())?);
        let ref_account = check_a(u32s(col(b, "ref_account")?.as_ref(), NO_ACCOUNT)?, true)?;
        let reply_account = check_a(u32s(col(b, "reply_account")?.as_ref(), NO_ACCOUNT)?, true)?;
        let lang = check_s(u32s(col(b, "lang")?.as_ref(), NO_STR)?)?;
        let client = check_s(u32s(col(b, "client")?.as_ref(), NO_STR)?)?;
        let text = strs(b, "text")?;
        let counts: Vec<Vec<u32>> = ["quote_count", "reply_count", "like_count", "retweet_count"]
            .iter()
            .map(|c| u32s(col(b, c)?.as_ref(), UNKNOWN_COUNT))
            .collect::<Result<_, _>>()?;
        let lat = prim::<Float32Type>(b, "latitude")?;
        let lon = prim::<Float32Type>(b, "longitude")?;
        let flags = prim::<UInt8Type>(b, "post_flags")?;
        for c in [&account, &lang, &client] {
            if c.len() != n {
                return Err("columns of different lengths".into());
            }
        }
        p.id.extend(id);
        p.account.extend(account);
        p.time_ms.extend(time.values().iter().copied());
        for &k in kind.values().iter() {
            p.kind.push(PostKind::from_u8(k).ok_or_else(|| format!("post kind {k}"))?);
        }
        p.ref_post.extend(ref_post);
        p.ref_account.extend(ref_account);
        p.reply_post.extend(reply_post);
        p.reply_account.extend(reply_account);
        p.lang.extend(lang);
        p.client.extend(client);
        for i in 0..n {
            p.text.push(text.value(i));
        }
        list_into(&mut p.hashtags, col(b, "hashtags")?.as_ref(), ns as usize)?;
        list_into(&mut p.urls, col(b, "urls")?.as_ref(), ns as usize)?;
        list_into(&mut p.mentions, col(b, "mentions")?.as_ref(), na as usize)?;
        let [q, r, l, rt]: [Vec<u32>; 4] = counts.try_into().map_err(|_| "counts".to_string())?;
        p.quote_count.extend(q);
        p.reply_count.extend(r);
        p.like_count.extend(l);
        p.retweet_count.extend(rt);
        for i in 0..n {
            if !lat.is_null(i) && !lon.is_null(i) {
                p.geo.push((base + i as u32, lat.value(i), lon.value(i)));
            }
        }
        p.flags.extend(flags.values().iter().copied());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::Float64Array;

    /// 2020-01-01: times must be plausible to be read back.
    const T0: i64 = 1_577_836_800_000;

    fn read(path: &Path) -> Result<(Dataset, crate::ingest::IngestStats), IngestError> {
        let opts = crate::ingest::IngestOptions { max_errors: 10, ..Default::default() };
        crate::ingest::ingest(&[path.to_path_buf()], &opts, &crate::progress::NoProgress)
    }

    #[test]
    fn hostile_dataset_metadata_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hostile.parquet");
        let schema = Arc::new(Schema::new(vec![Field::new("x", DataType::Int64, false)]));
        let batch = RecordBatch::try_new(schema.clone(), vec![Arc::new(Int64Array::from(vec![1i64]))]).unwrap();
        let mut w = ArrowWriter::try_new(std::fs::File::create(&path).unwrap(), schema, None).unwrap();
        w.write(&batch).unwrap();
        let meta = format!(
            r#"{{"version":{FORMAT_VERSION},"sections":[{{"name":"strings","row_groups":[0,18446744073709551615]}}]}}"#
        );
        w.append_key_value_metadata(parquet::file::metadata::KeyValue::new(META_KEY.into(), meta));
        w.close().unwrap();
        let e = read(&path).unwrap_err();
        assert!(e.to_string().contains("row groups"), "{e}");
    }

    #[test]
    fn a_column_of_the_wrong_type_is_an_error_not_a_panic() {
        let d = sample();
        let good = posts_batch(&d, 0..d.posts.len());
        let mut fields: Vec<Field> = good.schema().fields().iter().map(|f| f.as_ref().clone()).collect();
        let mut cols: Vec<ArrayRef> = good.columns().to_vec();
        let i = good.schema().index_of("time_ms").unwrap();
        fields[i] = Field::new("time_ms", DataType::Utf8, true);
        cols[i] = Arc::new(StringArray::from(vec!["soon"; good.num_rows()]));
        let bad = RecordBatch::try_new(Arc::new(Schema::new(fields)), cols).unwrap();
        let mut target = Dataset::new();
        let sb = strings_batch(&d);
        add_strings(&mut target, &sb).unwrap();
        add_accounts(&mut target, &accounts_batch(&d)).unwrap();
        let e = add_posts(&mut target, &bad).unwrap_err();
        assert!(e.contains("time_ms"), "{e}");
    }

    #[test]
    fn implausible_times_in_a_dataset_are_bad_time_records() {
        let mut d = sample();
        d.posts.time_ms[0] = i64::MAX;
        d.accounts.created_ms[0] = i64::MIN + 1;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.parquet");
        write_parquet(&d, &path).unwrap();
        let (back, stats) = read(&path).unwrap();
        assert_eq!(back.posts.len(), d.posts.len() - 1);
        assert_eq!(stats.skipped[&crate::ingest::SkipReason::BadTime], 2);
        assert_eq!(back.accounts.created_ms[0], UNKNOWN_TIME);
    }

    pub(crate) fn sample() -> Dataset {
        let mut d = Dataset::new();
        let a = d.set_profile(
            "42",
            &ProfileRecord {
                screen_name: "alice",
                followers: Some(10),
                created_ms: Some(T0 + 5),
                ..Default::default()
            },
            true,
        );
        d.push_post(
            a,
            &PostRecord {
                id: 7,
                time_ms: T0 + 1000,
                text: "hello 世界",
                hashtags: vec!["x", "y"],
                mentions: vec!["99"],
                geo: Some((1.5, -2.5)),
                ..Default::default()
            },
        );
        d.push_post(
            a,
            &PostRecord {
                id: 8,
                time_ms: T0 + 2000,
                kind: PostKind::Retweet,
                ref_post: 7,
                ref_account: Some("99"),
                ..Default::default()
            },
        );
        d
    }

    #[test]
    fn parquet_round_trip_is_exact() {
        let d = sample();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.parquet");
        write_parquet(&d, &path).unwrap();
        let back = from_batches(&[strings_batch(&d)], &[accounts_batch(&d)], &[posts_batch(&d, 0..2)]).unwrap();
        assert_eq!(back.posts.id, d.posts.id);
        let ctx_progress = crate::progress::NoProgress;
        let (data, _) = crate::ingest::ingest(&[path], &Default::default(), &ctx_progress).unwrap();
        assert_eq!(data.posts.id, d.posts.id);
        assert_eq!(data.posts.time_ms, d.posts.time_ms);
        assert_eq!(data.posts.kind, d.posts.kind);
        assert_eq!(data.posts.hashtags, d.posts.hashtags);
        assert_eq!(data.posts.mentions, d.posts.mentions);
        assert_eq!(data.posts.ref_account, d.posts.ref_account);
        assert_eq!(data.posts.geo, d.posts.geo);
        assert_eq!(data.posts.text.get(0), "hello 世界");
        assert_eq!(data.accounts.followers, d.accounts.followers);
        assert_eq!(data.accounts.created_ms, d.accounts.created_ms);
        assert_eq!(data.accounts.flags, d.accounts.flags);
        assert_eq!(data.strings.iter().collect::<Vec<_>>(), d.strings.iter().collect::<Vec<_>>());
    }

    #[test]
    fn archive_tables_in_parquet_read_like_csv() {
        // An archive tweets table as some tools write it: ids as integers, the rest text.
        let schema = Arc::new(Schema::new(vec![
            Field::new("tweetid", DataType::UInt64, false),
            Field::new("userid", DataType::Utf8, false),
            Field::new("user_screen_name", DataType::Utf8, true),
            Field::new("tweet_text", DataType::Utf8, true),
            Field::new("tweet_time", DataType::Utf8, false),
            Field::new("is_retweet", DataType::Boolean, true),
            Field::new("retweet_tweetid", DataType::UInt64, true),
            Field::new("hashtags", DataType::Utf8, true),
            Field::new("like_count", DataType::Float64, true),
        ]));
        let cols: Vec<ArrayRef> = vec![
            Arc::new(UInt64Array::from(vec![1229000000000000001u64, 1229000000000000002])),
            Arc::new(StringArray::from(vec!["42", "43"])),
            Arc::new(StringArray::from(vec![Some("a"), None])),
            Arc::new(StringArray::from(vec!["hi #x", "RT @a: hi #x"])),
            Arc::new(StringArray::from(vec!["2020-02-16 10:00", "2020-02-16 10:01"])),
            Arc::new(arrow_array::BooleanArray::from(vec![Some(false), Some(true)])),
            Arc::new(UInt64Array::from(vec![None, Some(1229000000000000001u64)])),
            Arc::new(StringArray::from(vec!["['x']", "[x]"])),
            Arc::new(Float64Array::from(vec![Some(3.0), None])),
        ];
        let batch = RecordBatch::try_new(schema.clone(), cols).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("archive_tweets.parquet");
        let mut w = ArrowWriter::try_new(std::fs::File::create(&path).unwrap(), schema, None).unwrap();
        w.write(&batch).unwrap();
        w.close().unwrap();
        let (data, stats) = crate::ingest::ingest(&[path], &Default::default(), &crate::progress::NoProgress).unwrap();
        assert_eq!(stats.files[0].kind, FileKind::ArchiveParquet);
        assert_eq!(stats.skipped_total(), 0);
        assert_eq!(data.posts.len(), 2);
        assert_eq!(data.posts.kind, [PostKind::Original, PostKind::Retweet]);
        assert_eq!(data.posts.ref_post[1], 1229000000000000001);
        assert_eq!(data.posts.like_count[0], 3);
        assert_eq!(data.strings.get(data.posts.hashtags.row(1)[0]), "x");
    }

    #[test]
    fn sections_larger_than_a_row_group_round_trip() {
        let mut d = Dataset::new();
        // More accounts and strings than one row group holds.
        for i in 0..(BATCH_ROWS + 10) {
            let key = format!("u{i}");
            let name = format!("name {i}");
            let a = d.set_profile(&key, &ProfileRecord { screen_name: &name, ..Default::default() }, true);
            if i % 1000 == 0 {
                d.push_post(a, &PostRecord { id: i as u64 + 1, time_ms: T0 + i as i64, ..Default::default() });
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.parquet");
        write_parquet(&d, &path).unwrap();
        let (back, _) = crate::ingest::ingest(&[path], &Default::default(), &crate::progress::NoProgress).unwrap();
        assert_eq!(back.accounts.len(), d.accounts.len());
        assert_eq!(back.strings.len(), d.strings.len());
        assert_eq!(back.posts.account, d.posts.account);
        assert_eq!(
            back.strings.get(back.accounts.screen_name[BATCH_ROWS + 9] as StrId),
            format!("name {}", BATCH_ROWS + 9)
        );
    }

    #[test]
    fn out_of_range_ids_are_errors() {
        let d = sample();
        // Posts without the accounts table refer to accounts that do not exist.
        let r = from_batches(&[strings_batch(&d)], &[], &[posts_batch(&d, 0..2)]);
        assert!(r.is_err());
    }
}
