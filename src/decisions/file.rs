//! Reading a decisions file: CSV (UTF-8, a header line, comma-separated) or Parquet (any column
//! type that casts to text: a pandas timestamp in `decided_at` is fine), chosen by the file's
//! extension. Rows come back as text with their line (CSV: the line in the file; Parquet: the
//! row number + 2, as a spreadsheet shows it under a header).

use std::path::Path;

use arrow::array::{Array, AsArray};
use arrow::datatypes::DataType;

use super::DecisionsError;

/// The columns a decisions file must have.
pub const REQUIRED: [&str; 5] = ["doc_id", "field", "value", "decided_by", "decided_at"];
/// The optional column.
pub const OPTIONAL: &str = "note";

/// One row of a decisions file, as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRow {
    /// The line in the file (1-based; the header is line 1).
    pub line: usize,
    /// The required columns, in [`REQUIRED`] order, then the note.
    pub cells: [String; 5],
    /// The note, if any.
    pub note: Option<String>,
}

/// Every row of `path`.
pub fn read_rows(path: &Path) -> Result<Vec<RawRow>, DecisionsError> {
    let is_parquet = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("parquet"));
    let rows = if is_parquet {
        read_parquet(path)?
    } else {
        read_csv(path)?
    };
    if rows.is_empty() {
        return Err(DecisionsError::Empty(path.to_path_buf()));
    }
    Ok(rows)
}

/// Where each required column (and the note) sits among `header`, or the error naming what is
/// missing.
fn positions(
    path: &Path,
    header: &[String],
) -> Result<([usize; 5], Option<usize>), DecisionsError> {
    let find = |name: &str| header.iter().position(|h| h.trim() == name);
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|c| find(c).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(DecisionsError::Columns {
            path: path.to_path_buf(),
            missing: missing.iter().map(|s| s.to_string()).collect(),
            found: header.to_vec(),
        });
    }
    let mut at = [0usize; 5];
    for (slot, name) in at.iter_mut().zip(REQUIRED) {
        *slot = find(name).unwrap_or_default();
    }
    Ok((at, find(OPTIONAL)))
}

fn read_csv(path: &Path) -> Result<Vec<RawRow>, DecisionsError> {
    let bad = |line: usize, message: String| DecisionsError::Format {
        path: path.to_path_buf(),
        line,
        message,
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_path(path)
        .map_err(|e| io_or(path, e))?;
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| io_or(path, e))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_string())
        .collect();
    if header.iter().all(|h| h.trim().is_empty()) {
        return Err(DecisionsError::Empty(path.to_path_buf()));
    }
    let (at, note) = positions(path, &header)?;
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            bad(line, e.to_string())
        })?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let cell = |i: usize| record.get(i).unwrap_or_default().trim().to_string();
        rows.push(RawRow {
            line,
            cells: at.map(cell),
            note: note.map(cell).filter(|n| !n.is_empty()),
        });
    }
    Ok(rows)
}

/// A CSV error as the I/O error it wraps, or as a format error.
fn io_or(path: &Path, e: csv::Error) -> DecisionsError {
    match e.into_kind() {
        csv::ErrorKind::Io(source) => DecisionsError::Io {
            path: path.to_path_buf(),
            source,
        },
        other => DecisionsError::Format {
            path: path.to_path_buf(),
            line: 1,
            message: format!("{other:?}"),
        },
    }
}

fn read_parquet(path: &Path) -> Result<Vec<RawRow>, DecisionsError> {
    let parquet_error = |message: String| DecisionsError::Format {
        path: path.to_path_buf(),
        line: 0,
        message,
    };
    let file = std::fs::File::open(path).map_err(|source| DecisionsError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let builder = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
        .map_err(|e| parquet_error(e.to_string()))?;
    let header: Vec<String> = builder
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    let (at, note) = positions(path, &header)?;
    let mut rows = Vec::new();
    for batch in builder.build().map_err(|e| parquet_error(e.to_string()))? {
        let batch = batch.map_err(|e| parquet_error(e.to_string()))?;
        let text = |i: usize| -> Result<arrow::array::StringArray, DecisionsError> {
            let column = arrow::compute::cast(batch.column(i), &DataType::Utf8)
                .map_err(|e| parquet_error(format!("column {}: {e}", header[i])))?;
            Ok(column.as_string::<i32>().clone())
        };
        let columns: Vec<arrow::array::StringArray> =
            at.iter().map(|&i| text(i)).collect::<Result<_, _>>()?;
        let notes = note.map(text).transpose()?;
        for r in 0..batch.num_rows() {
            let cell = |c: &arrow::array::StringArray| {
                if c.is_valid(r) {
                    c.value(r).trim().to_string()
                } else {
                    String::new()
                }
            };
            let line = rows.len() + 2;
            rows.push(RawRow {
                line,
                cells: [0, 1, 2, 3, 4].map(|k| cell(&columns[k])),
                note: notes.as_ref().map(cell).filter(|n| !n.is_empty()),
            });
        }
    }
    Ok(rows)
}
