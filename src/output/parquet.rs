//! Writing the review table as Parquet part files in an output folder.
//!
//! Rows stream into `OUT/part-NNNNN.parquet`: row groups are flushed as they fill, so memory
//! holds one row group, never the whole scan. Each part is written under a `.tmp` name and
//! renamed when complete, so a crash never leaves a truncated file that looks finished, and a
//! resumed scan ([`completed_doc_ids`]) trusts exactly the parts that were renamed.
//!
//! The folder reads as one table in every notebook tool:
//! `pandas.read_parquet("OUT")`, `polars.read_parquet("OUT/*.parquet")`,
//! DuckDB `SELECT * FROM 'OUT/*.parquet'`.
//!
//! This module also owns the settings of every Parquet table arkivar writes
//! ([`writer_properties`]: ZSTD, row-group statistics), and writes the small one-shot tables
//! (`eval.parquet`, `compare.parquet`) whole ([`write_batches`]).

use std::collections::HashSet;
use std::fs::{self, File};
use std::path::{Path, PathBuf};

use arrow::array::{Array, AsArray, RecordBatch};
use arrow::datatypes::SchemaRef;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::{ArrowWriter, ProjectionMask};
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::{EnabledStatistics, WriterProperties};

use super::schema::{review_schema, to_batch, ReviewRow};

/// Errors writing or reading back review parts.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// A file system operation failed.
    #[error("{path}: {source}")]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Parquet encoding or decoding failed.
    #[error("{path}: {source}")]
    Parquet {
        /// The part file.
        path: PathBuf,
        /// The cause.
        source: parquet::errors::ParquetError,
    },
    /// Building the Arrow batch failed (a schema bug).
    #[error("building a record batch: {0}")]
    Arrow(#[from] arrow::error::ArrowError),
}

/// The ZSTD level of every table: fast to write, and most of the gain of higher levels.
const ZSTD_LEVEL: i32 = 3;

/// Longest statistics value kept per column chunk, in bytes.
const STATISTICS_TRUNCATE_LENGTH: usize = 64;

/// No key-value metadata, for [`writer_properties`] and [`write_batches`].
pub const NO_METADATA: &[(&str, &str)] = &[];

/// The settings of every Parquet table arkivar writes: ZSTD compression, statistics per
/// column chunk (not per page) truncated to 64 bytes, and `metadata` as key-value pairs in
/// the footer.
///
/// Page statistics and their index stay in memory until a file closes; long strings (titles,
/// previews, texts) would make a streaming writer's memory grow with the file. Row-group
/// statistics, truncated, are all a reviewer's query engine needs.
pub fn writer_properties<K: AsRef<str>, V: AsRef<str>>(metadata: &[(K, V)]) -> WriterProperties {
    let builder = WriterProperties::builder()
        .set_compression(Compression::ZSTD(
            ZstdLevel::try_new(ZSTD_LEVEL).unwrap_or_default(),
        ))
        .set_statistics_enabled(EnabledStatistics::Chunk)
        .set_statistics_truncate_length(Some(STATISTICS_TRUNCATE_LENGTH));
    let metadata: Vec<KeyValue> = metadata
        .iter()
        .map(|(k, v)| KeyValue::new(k.as_ref().to_string(), v.as_ref().to_string()))
        .collect();
    if metadata.is_empty() {
        builder.build()
    } else {
        builder.set_key_value_metadata(Some(metadata)).build()
    }
}

/// Writes `batches` (each in `schema`) as one Parquet file at `path`, with
/// [`writer_properties`]: under a `.tmp` name first, renamed when complete, so a failed write
/// never leaves a file that looks finished. For small tables written whole (reports); a
/// table that grows with the archive streams instead ([`PartWriter`]).
pub fn write_batches<K: AsRef<str>, V: AsRef<str>>(
    path: &Path,
    schema: SchemaRef,
    batches: &[RecordBatch],
    metadata: &[(K, V)],
) -> Result<(), OutputError> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    let written = write_file(&tmp, schema, batches, writer_properties(metadata)).and_then(|()| {
        fs::rename(&tmp, path).map_err(|source| OutputError::Io {
            path: path.to_path_buf(),
            source,
        })
    });
    if written.is_err() {
        // Best effort: the error that matters is the one returned.
        let _ = fs::remove_file(&tmp);
    }
    written
}

/// Writes `batches` to a new file at `path`.
fn write_file(
    path: &Path,
    schema: SchemaRef,
    batches: &[RecordBatch],
    props: WriterProperties,
) -> Result<(), OutputError> {
    let perr = |source| OutputError::Parquet {
        path: path.to_path_buf(),
        source,
    };
    let file = File::create(path).map_err(|source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut writer = ArrowWriter::try_new(file, schema, Some(props)).map_err(perr)?;
    for batch in batches {
        writer.write(batch).map_err(perr)?;
    }
    writer.close().map_err(perr)?;
    Ok(())
}

/// Settings of a [`PartWriter`].
#[derive(Debug, Clone)]
pub struct PartSettings {
    /// Rows per row group (and per in-memory batch).
    pub row_group_rows: usize,
    /// Rows per part file before the next part starts.
    pub part_rows: usize,
    /// Key-value metadata written into every part's footer (`arkivar.version`, …).
    pub metadata: Vec<(String, String)>,
    /// The start of every part's name: parts are `{prefix}-NNNNN.parquet`. `part` for a
    /// whole scan; a shard's prefix carries the shard (`part-shard-0003-of-0008`).
    pub prefix: String,
}

impl Default for PartSettings {
    fn default() -> Self {
        PartSettings {
            row_group_rows: 2_048,
            part_rows: 50_000,
            metadata: Vec::new(),
            prefix: PART_PREFIX.to_string(),
        }
    }
}

/// Streams [`ReviewRow`]s into part files.
pub struct PartWriter {
    dir: PathBuf,
    settings: PartSettings,
    next_part: usize,
    pending: Vec<ReviewRow>,
    current: Option<OpenPart>,
    rows_written: u64,
}

struct OpenPart {
    writer: ArrowWriter<File>,
    tmp: PathBuf,
    done: PathBuf,
    rows: usize,
}

/// The name prefix of a whole scan's parts; every part file's name starts with it.
pub const PART_PREFIX: &str = "part";

/// The name of part `n` with `prefix`.
fn part_name(prefix: &str, n: usize) -> String {
    format!("{prefix}-{n:05}.parquet")
}

/// The number of the part file `name` if it is `{prefix}-NNNNN.parquet`.
fn part_number(name: &str, prefix: &str) -> Option<usize> {
    let digits = name
        .strip_prefix(prefix)?
        .strip_prefix('-')?
        .strip_suffix(".parquet")?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// The completed part files in `dir` named `{prefix}-NNNNN.parquet`, sorted: one writer's
/// parts (a whole scan's, or one shard's), without the parts of other shards.
pub fn parts_named(dir: &Path, prefix: &str) -> Result<Vec<PathBuf>, OutputError> {
    Ok(part_files(dir)?
        .into_iter()
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| part_number(n, prefix).is_some())
        })
        .collect())
}

/// Every completed part file in `dir` (all shards'), sorted: the review table a reader sees.
pub fn part_files(dir: &Path) -> Result<Vec<PathBuf>, OutputError> {
    files_named(dir, |n| n.starts_with("part-") && n.ends_with(".parquet"))
}

/// The files in `dir` whose names `keep` accepts, sorted; none when `dir` does not exist.
pub fn files_named(dir: &Path, keep: impl Fn(&str) -> bool) -> Result<Vec<PathBuf>, OutputError> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let entries = fs::read_dir(dir).map_err(|source| OutputError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(&keep))
        .collect();
    files.sort();
    Ok(files)
}

/// The `doc_id`s written to `parts`, for resuming a scan.
pub fn completed_doc_ids(parts: &[PathBuf]) -> Result<HashSet<String>, OutputError> {
    let mut ids = HashSet::new();
    for_each_doc_id(parts, |id| {
        ids.insert(id.to_string());
    })?;
    Ok(ids)
}

/// Calls `f` with every `doc_id` of `parts`, in file order, reading that one column only.
pub fn for_each_doc_id(parts: &[PathBuf], mut f: impl FnMut(&str)) -> Result<(), OutputError> {
    for path in parts {
        for_each_batch(path, &["doc_id"], |batch| {
            let col = batch.column(0).as_string::<i32>();
            (0..col.len()).for_each(|i| f(col.value(i)));
            Ok(())
        })?;
    }
    Ok(())
}

/// The text column `name` of `batch`, if it has one.
pub fn text_column(batch: &RecordBatch, name: &str) -> Option<arrow::array::StringArray> {
    batch
        .column_by_name(name)
        .map(|c| c.as_string::<i32>().clone())
}

/// Row `i` of an optional text column: `None` where the column or the value is missing.
pub fn text_at(column: &Option<arrow::array::StringArray>, i: usize) -> Option<&str> {
    column
        .as_ref()
        .filter(|c| c.is_valid(i))
        .map(|c| c.value(i))
}

/// Calls `f` with every record batch of the Parquet file at `path`, reading only `columns`
/// (in the file's column order; a nested column by its name).
pub fn for_each_batch(
    path: &Path,
    columns: &[&str],
    mut f: impl FnMut(&RecordBatch) -> Result<(), OutputError>,
) -> Result<(), OutputError> {
    let perr = |source| OutputError::Parquet {
        path: path.to_path_buf(),
        source,
    };
    let file = File::open(path).map_err(|source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(perr)?;
    let mask = ProjectionMask::columns(builder.parquet_schema(), columns.iter().copied());
    for batch in builder.with_projection(mask).build().map_err(perr)? {
        f(&batch?)?;
    }
    Ok(())
}

impl PartWriter {
    /// A writer into `dir` (created if needed), numbering parts after the highest of its
    /// prefix already there.
    pub fn create(dir: &Path, settings: PartSettings) -> Result<PartWriter, OutputError> {
        fs::create_dir_all(dir).map_err(|source| OutputError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let next_part = parts_named(dir, &settings.prefix)?
            .iter()
            .filter_map(|p| part_number(p.file_name()?.to_str()?, &settings.prefix))
            .max()
            .map_or(0, |n| n + 1);
        Ok(PartWriter {
            dir: dir.to_path_buf(),
            settings,
            next_part,
            pending: Vec::new(),
            current: None,
            rows_written: 0,
        })
    }

    /// Rows written so far (including rows still in the open row group).
    pub fn rows_written(&self) -> u64 {
        self.rows_written + self.pending.len() as u64
    }

    /// Adds one row; writes a row group when enough rows are waiting.
    pub fn push(&mut self, row: ReviewRow) -> Result<(), OutputError> {
        self.pending.push(row);
        let room = self.settings.part_rows - self.current.as_ref().map_or(0, |p| p.rows);
        if self.pending.len() >= self.settings.row_group_rows.min(room) {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), OutputError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let batch = to_batch(&self.pending)?;
        let n = self.pending.len();
        self.pending.clear();
        if self.current.is_none() {
            self.current = Some(self.open_part()?);
        }
        let Some(part) = self.current.as_mut() else {
            return Ok(());
        };
        part.writer
            .write(&batch)
            .map_err(|source| OutputError::Parquet {
                path: part.tmp.clone(),
                source,
            })?;
        // One batch is one row group: nothing accumulates in the writer.
        part.writer.flush().map_err(|source| OutputError::Parquet {
            path: part.tmp.clone(),
            source,
        })?;
        part.rows += n;
        self.rows_written += n as u64;
        if part.rows >= self.settings.part_rows {
            self.close_part()?;
        }
        Ok(())
    }

    fn open_part(&mut self) -> Result<OpenPart, OutputError> {
        let done = self
            .dir
            .join(part_name(&self.settings.prefix, self.next_part));
        let tmp = done.with_extension("parquet.tmp");
        self.next_part += 1;
        let file = File::create(&tmp).map_err(|source| OutputError::Io {
            path: tmp.clone(),
            source,
        })?;
        // The footer's metadata is added when the part closes, with its finishing time.
        let props = writer_properties(NO_METADATA);
        let writer =
            ArrowWriter::try_new(file, review_schema(), Some(props)).map_err(|source| {
                OutputError::Parquet {
                    path: tmp.clone(),
                    source,
                }
            })?;
        Ok(OpenPart {
            writer,
            tmp,
            done,
            rows: 0,
        })
    }

    fn close_part(&mut self) -> Result<(), OutputError> {
        let Some(mut part) = self.current.take() else {
            return Ok(());
        };
        for (k, v) in &self.settings.metadata {
            part.writer
                .append_key_value_metadata(KeyValue::new(k.clone(), v.clone()));
        }
        part.writer
            .append_key_value_metadata(KeyValue::new("arkivar.finished".into(), now_utc()));
        part.writer.close().map_err(|source| OutputError::Parquet {
            path: part.tmp.clone(),
            source,
        })?;
        fs::rename(&part.tmp, &part.done).map_err(|source| OutputError::Io {
            path: part.done.clone(),
            source,
        })
    }

    /// Writes what is left and completes the last part. Returns the rows written in all.
    pub fn finish(mut self) -> Result<u64, OutputError> {
        self.flush()?;
        self.close_part()?;
        Ok(self.rows_written)
    }
}

/// The current time as an RFC 3339 UTC string (second precision).
pub fn now_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Inverse of days_from_civil (Howard Hinnant's civil_from_days).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    fn row(id: &str) -> ReviewRow {
        ReviewRow {
            doc_id: id.into(),
            ..ReviewRow::default()
        }
    }

    #[test]
    fn parts_roll_over_and_ids_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let settings = PartSettings {
            row_group_rows: 3,
            part_rows: 5,
            metadata: vec![("arkivar.schema_version".into(), "1".into())],
            ..PartSettings::default()
        };
        let mut w = PartWriter::create(dir.path(), settings.clone()).unwrap();
        for i in 0..12 {
            w.push(row(&format!("d{i}"))).unwrap();
        }
        assert_eq!(w.finish().unwrap(), 12);
        let parts = part_files(dir.path()).unwrap();
        assert_eq!(parts.len(), 3);
        let ids = completed_doc_ids(&parts).unwrap();
        assert_eq!(ids.len(), 12);

        // A shard's parts beside them: each writer sees and numbers only its own.
        let shard = PartSettings {
            prefix: "part-shard-0001-of-0002".into(),
            ..settings.clone()
        };
        let mut w = PartWriter::create(dir.path(), shard.clone()).unwrap();
        w.push(row("s0")).unwrap();
        w.finish().unwrap();
        assert_eq!(part_files(dir.path()).unwrap().len(), 4);
        assert_eq!(parts_named(dir.path(), "part").unwrap(), parts);
        let own = parts_named(dir.path(), &shard.prefix).unwrap();
        assert_eq!(own.len(), 1);
        assert!(own[0].ends_with("part-shard-0001-of-0002-00000.parquet"));
        // After a gap in the numbers, a new part never takes an existing name.
        fs::remove_file(&parts[1]).unwrap();
        let mut w = PartWriter::create(dir.path(), settings).unwrap();
        w.push(row("late")).unwrap();
        w.finish().unwrap();
        assert!(dir.path().join("part-00003.parquet").exists());
        assert!(fs::read_dir(dir.path()).unwrap().all(|e| !e
            .unwrap()
            .path()
            .to_string_lossy()
            .ends_with(".tmp")));
    }

    #[test]
    fn one_shot_tables_are_compressed_with_their_metadata() {
        use arrow::array::{ArrayRef, StringArray};
        use arrow::datatypes::{DataType, Field, Schema};
        use parquet::file::reader::{FileReader, SerializedFileReader};

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.parquet");
        let schema = Arc::new(Schema::new(vec![Field::new("x", DataType::Utf8, false)]));
        let column: ArrayRef = Arc::new(StringArray::from(vec!["a", "b", "c"]));
        let batch = RecordBatch::try_new(schema.clone(), vec![column]).unwrap();
        write_batches(&path, schema, &[batch], &[("arkivar.test", "1")]).unwrap();

        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["t.parquet"]);
        let reader = SerializedFileReader::new(File::open(&path).unwrap()).unwrap();
        let meta = reader.metadata();
        assert_eq!(meta.file_metadata().num_rows(), 3);
        let chunk = meta.row_group(0).column(0);
        assert!(matches!(chunk.compression(), Compression::ZSTD(_)));
        let kv = meta.file_metadata().key_value_metadata().unwrap();
        assert!(kv
            .iter()
            .any(|k| k.key == "arkivar.test" && k.value.as_deref() == Some("1")));
    }

    #[test]
    fn a_failed_write_leaves_no_file() {
        use arrow::datatypes::Schema;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing-dir").join("t.parquet");
        let err = write_batches(&path, Arc::new(Schema::empty()), &[], NO_METADATA);
        assert!(matches!(err, Err(OutputError::Io { .. })));
        assert!(!path.exists());
    }

    #[test]
    fn timestamps_are_rfc3339() {
        let t = now_utc();
        assert_eq!(t.len(), 20);
        assert!(t.starts_with("20") && t.ends_with('Z'));
    }
}
