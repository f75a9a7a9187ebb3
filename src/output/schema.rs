//! The review table: one [`ReviewRow`] per document, and its columns (the output contract).
//!
//! Schema first: [`COLUMNS`] is the one list of columns — each with its name, Arrow type and
//! the accessor that reads it from a row — and both the schema ([`review_schema`]) and the
//! record batches ([`to_batch`]) are made from it, so a column's name, type and value can
//! never drift apart. Columns a reviewer compares (ids, titles, suggestions, statuses) are
//! plain strings in Arrow, so pandas, polars and DuckDB compare them directly; Parquet still
//! dictionary-encodes them on disk.

use std::sync::Arc;

use arrow::array::{
    ArrayRef, BooleanArray, Date32Array, Float32Array, Float32Builder, Int32Array, Int64Builder,
    ListBuilder, StringArray, StringBuilder, StructBuilder, UInt32Array, UInt64Array, UInt8Array,
};
use arrow::datatypes::{DataType, Field, Fields, Schema, SchemaRef};
use arrow::record_batch::RecordBatch;

use crate::classify::labels::HeadKind;
use crate::classify::suggestion::RetentionBasis;
pub use crate::classify::suggestion::{Candidate, KlasseEvidence};
use crate::extract::{ExtractStatus, FileFormat, TextSource};
use crate::pii::PiiKind;
use crate::review::ReviewReason;
use crate::source::checksum::ChecksumStatus;
use crate::source::NoarkMeta;

/// The schema version written to `arkivar.schema_version`; bump it when a column changes.
pub const SCHEMA_VERSION: &str = "6";

/// One personal-data finding, as it may be shown: masked, with its place in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct PiiEvidence {
    /// The kind (`fodselsnummer`, `epost`, `navn`, …).
    pub kind: PiiKind,
    /// A masked rendering (`010190*****`); never the clear value.
    pub masked: String,
    /// Start of the span in the extracted text, in characters.
    pub start: i64,
    /// End of the span (exclusive), in characters.
    pub end: i64,
    /// Confidence in `[0, 1]`.
    pub score: f32,
}

/// A row of the review table. Suggestion fields are `None` until a stage fills them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReviewRow {
    /// Stable document id.
    pub doc_id: String,
    /// The file reference as the export writes it.
    pub source_path: Option<String>,
    /// SHA-256 of the file, when it was read.
    pub file_sha256: Option<String>,
    /// Checksum verification result.
    pub checksum_status: Option<ChecksumStatus>,
    /// Detected format, when the file was read.
    pub file_format: Option<FileFormat>,
    /// File size, when the file was found.
    pub file_bytes: Option<u64>,
    /// Pages, for paged formats.
    pub page_count: Option<u32>,
    /// Characters of extracted text.
    pub text_chars: u64,
    /// Where the text came from (`text_layer`, `ocr`, `mixed`); `None` without text.
    pub text_source: Option<TextSource>,
    /// Pages whose text was OCR'd.
    pub ocr_pages: Option<u32>,
    /// Mean word confidence of the OCR'd text, 0–1.
    pub ocr_confidence: Option<f32>,
    /// Extraction outcome.
    pub extract_status: Option<ExtractStatus>,
    /// Why extraction failed (or was cut); never document text.
    pub extract_error: Option<String>,
    /// The start of the text, with personal data masked.
    pub text_preview: Option<String>,
    /// Whether the embedding saw only the start of the text (over `--max-chunks` windows);
    /// `None` when the document was not embedded.
    pub text_truncated: Option<bool>,
    /// What the export says about the document.
    pub noark: NoarkMeta,
    /// Suggested arkivdel.
    pub series_suggested: Option<String>,
    /// Its score.
    pub series_score: Option<f32>,
    /// Top candidates for arkivdel.
    pub series_top: Option<Vec<Candidate>>,
    /// Suggested klasse.
    pub klasse_suggested: Option<String>,
    /// Its score.
    pub klasse_score: Option<f32>,
    /// Top candidates for klasse.
    pub klasse_top: Option<Vec<Candidate>>,
    /// The most similar training documents (with a trained classifier).
    pub klasse_evidence: Option<Vec<KlasseEvidence>>,
    /// Suggested kassasjonsvedtak (Bevares / Kasseres).
    pub retention_suggested: Option<String>,
    /// Suggested bevaringstid in years.
    pub retention_years: Option<i32>,
    /// Where the retention suggestion came from (`learned` / `catalogue` / `catalogue_by_title`).
    pub retention_basis: Option<RetentionBasis>,
    /// Its score.
    pub retention_score: Option<f32>,
    /// Kinds of personal data found.
    pub pii_kinds: Option<Vec<PiiKind>>,
    /// Number of findings.
    pub pii_count: Option<u32>,
    /// The findings, masked.
    pub pii_evidence: Option<Vec<PiiEvidence>>,
    /// Whether screening is suggested.
    pub skjerming_suggested: Option<bool>,
    /// The suggested legal basis.
    pub skjerming_hjemmel_suggested: Option<String>,
    /// Its score.
    pub skjerming_score: Option<f32>,
    /// Fields where the suggestion differs from the export.
    pub disagrees_with_export: Vec<HeadKind>,
    /// Whether a person should look at this row.
    pub needs_review: bool,
    /// Why.
    pub review_reasons: Vec<ReviewReason>,
    /// Its place in the review queue, highest first (see [`crate::review::priority`]).
    pub review_priority: u8,
    /// The model that made the suggestions.
    pub model_id: Option<String>,
}

/// Days since 1970-01-01 of an ISO `YYYY-MM-DD` date (proleptic Gregorian).
pub fn date32(iso: &str) -> Option<i32> {
    let y: i64 = iso.get(0..4)?.parse().ok()?;
    let m: i64 = iso.get(5..7)?.parse().ok()?;
    let d: i64 = iso.get(8..10)?.parse().ok()?;
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    i32::try_from(era * 146_097 + doe - 719_468).ok()
}

/// One column of the review table: its name, Arrow type, and how to read it from rows.
pub struct Column {
    /// The column's name (stable, snake_case).
    pub name: &'static str,
    /// Whether it may hold nulls.
    pub nullable: bool,
    data_type: fn() -> DataType,
    build: fn(&[ReviewRow]) -> ArrayRef,
}

impl Column {
    /// The column's Arrow field.
    pub fn field(&self) -> Field {
        Field::new(self.name, (self.data_type)(), self.nullable)
    }

    /// The column's values for `rows`.
    pub fn build(&self, rows: &[ReviewRow]) -> ArrayRef {
        (self.build)(rows)
    }
}

impl std::fmt::Debug for Column {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Column")
            .field("name", &self.name)
            .field("type", &(self.data_type)())
            .field("nullable", &self.nullable)
            .finish()
    }
}

/// A nullable column.
const fn col(
    name: &'static str,
    data_type: fn() -> DataType,
    build: fn(&[ReviewRow]) -> ArrayRef,
) -> Column {
    Column {
        name,
        nullable: true,
        data_type,
        build,
    }
}

/// A column that is never null.
const fn required(
    name: &'static str,
    data_type: fn() -> DataType,
    build: fn(&[ReviewRow]) -> ArrayRef,
) -> Column {
    Column {
        name,
        nullable: false,
        data_type,
        build,
    }
}

/// The review table's columns, in contract order: the one definition of the schema.
pub static COLUMNS: &[Column] = &[
    required("doc_id", utf8, |rows| strs(rows, |r| Some(&r.doc_id))),
    col("source_path", utf8, |rows| {
        strs(rows, |r| r.source_path.as_deref())
    }),
    col("file_sha256", utf8, |rows| {
        strs(rows, |r| r.file_sha256.as_deref())
    }),
    col("checksum_status", utf8, |rows| {
        strs(rows, |r| r.checksum_status.map(ChecksumStatus::as_str))
    }),
    col("file_format", utf8, |rows| {
        strs(rows, |r| r.file_format.map(FileFormat::as_str))
    }),
    col("file_bytes", u64t, |rows| {
        Arc::new(rows.iter().map(|r| r.file_bytes).collect::<UInt64Array>())
    }),
    col("page_count", u32t, |rows| {
        Arc::new(rows.iter().map(|r| r.page_count).collect::<UInt32Array>())
    }),
    required("text_chars", u64t, |rows| {
        Arc::new(
            rows.iter()
                .map(|r| Some(r.text_chars))
                .collect::<UInt64Array>(),
        )
    }),
    col("text_source", utf8, |rows| {
        strs(rows, |r| r.text_source.map(TextSource::as_str))
    }),
    col("ocr_pages", u32t, |rows| {
        Arc::new(rows.iter().map(|r| r.ocr_pages).collect::<UInt32Array>())
    }),
    col("ocr_confidence", f32t, |rows| {
        f32s(rows, |r| r.ocr_confidence)
    }),
    col("extract_status", utf8, |rows| {
        strs(rows, |r| r.extract_status.map(ExtractStatus::as_str))
    }),
    col("extract_error", utf8, |rows| {
        strs(rows, |r| r.extract_error.as_deref())
    }),
    col("text_preview", utf8, |rows| {
        strs(rows, |r| r.text_preview.as_deref())
    }),
    col("text_truncated", boolean, |rows| {
        bools(rows, |r| r.text_truncated)
    }),
    col("arkivdel_id", utf8, |rows| {
        strs(rows, |r| r.noark.arkivdel_id.as_deref())
    }),
    col("arkivdel_title", utf8, |rows| {
        strs(rows, |r| r.noark.arkivdel_title.as_deref())
    }),
    col("klasse_id", utf8, |rows| {
        strs(rows, |r| r.noark.klasse_id.as_deref())
    }),
    col("klasse_title", utf8, |rows| {
        strs(rows, |r| r.noark.klasse_title.as_deref())
    }),
    col("mappe_id", utf8, |rows| {
        strs(rows, |r| r.noark.mappe_id.as_deref())
    }),
    col("mappe_title", utf8, |rows| {
        strs(rows, |r| r.noark.mappe_title.as_deref())
    }),
    col("registrering_id", utf8, |rows| {
        strs(rows, |r| r.noark.registrering_id.as_deref())
    }),
    col("journalpost_type", utf8, |rows| {
        strs(rows, |r| r.noark.journalpost_type.as_deref())
    }),
    col("registrering_title", utf8, |rows| {
        strs(rows, |r| r.noark.registrering_title.as_deref())
    }),
    col("document_title", utf8, |rows| {
        strs(rows, |r| r.noark.document_title.as_deref())
    }),
    col("tilknyttet_som", utf8, |rows| {
        strs(rows, |r| r.noark.tilknyttet_som.as_deref())
    }),
    col("created", date, |rows| {
        Arc::new(
            rows.iter()
                .map(|r| r.noark.created.as_deref().and_then(date32))
                .collect::<Date32Array>(),
        )
    }),
    col("kassasjon_vedtak", utf8, |rows| {
        strs(rows, |r| r.noark.kassasjon.as_ref()?.vedtak.as_deref())
    }),
    col("kassasjon_bevaringstid", i32t, |rows| {
        i32s(rows, |r| r.noark.kassasjon.as_ref()?.bevaringstid)
    }),
    col("tilgangsrestriksjon", utf8, |rows| {
        strs(rows, |r| {
            r.noark.skjerming.as_ref()?.tilgangsrestriksjon.as_deref()
        })
    }),
    col("skjerming_hjemmel", utf8, |rows| {
        strs(rows, |r| r.noark.skjerming.as_ref()?.hjemmel.as_deref())
    }),
    col("series_suggested", utf8, |rows| {
        strs(rows, |r| r.series_suggested.as_deref())
    }),
    col("series_score", f32t, |rows| f32s(rows, |r| r.series_score)),
    col("series_top", candidate_list, |rows| {
        candidates(rows, |r| r.series_top.as_ref())
    }),
    col("klasse_suggested", utf8, |rows| {
        strs(rows, |r| r.klasse_suggested.as_deref())
    }),
    col("klasse_score", f32t, |rows| f32s(rows, |r| r.klasse_score)),
    col("klasse_top", candidate_list, |rows| {
        candidates(rows, |r| r.klasse_top.as_ref())
    }),
    col("klasse_evidence", klasse_evidence_list, klasse_evidence),
    col("retention_suggested", utf8, |rows| {
        strs(rows, |r| r.retention_suggested.as_deref())
    }),
    col("retention_years", i32t, |rows| {
        i32s(rows, |r| r.retention_years)
    }),
    col("retention_basis", utf8, |rows| {
        strs(rows, |r| r.retention_basis.map(RetentionBasis::as_str))
    }),
    col("retention_score", f32t, |rows| {
        f32s(rows, |r| r.retention_score)
    }),
    col("pii_kinds", string_list, |rows| {
        strings(rows, |r| {
            r.pii_kinds
                .as_ref()
                .map(|k| k.iter().map(|k| k.as_str()).collect())
        })
    }),
    col("pii_count", u32t, |rows| {
        Arc::new(rows.iter().map(|r| r.pii_count).collect::<UInt32Array>())
    }),
    col("pii_evidence", pii_evidence_list, pii_evidence),
    col("skjerming_suggested", boolean, |rows| {
        bools(rows, |r| r.skjerming_suggested)
    }),
    col("skjerming_hjemmel_suggested", utf8, |rows| {
        strs(rows, |r| r.skjerming_hjemmel_suggested.as_deref())
    }),
    col("skjerming_score", f32t, |rows| {
        f32s(rows, |r| r.skjerming_score)
    }),
    required("disagrees_with_export", string_list, |rows| {
        strings(rows, |r| {
            Some(r.disagrees_with_export.iter().map(|h| h.as_str()).collect())
        })
    }),
    required("needs_review", boolean, |rows| {
        bools(rows, |r| Some(r.needs_review))
    }),
    required("review_reasons", string_list, |rows| {
        strings(rows, |r| {
            Some(r.review_reasons.iter().map(|x| x.as_str()).collect())
        })
    }),
    required("review_priority", u8t, |rows| {
        Arc::new(
            rows.iter()
                .map(|r| Some(r.review_priority))
                .collect::<UInt8Array>(),
        )
    }),
    col("model_id", utf8, |rows| {
        strs(rows, |r| r.model_id.as_deref())
    }),
];

/// The review table's Arrow schema, column by column in contract order.
pub fn review_schema() -> SchemaRef {
    Arc::new(Schema::new(
        COLUMNS.iter().map(Column::field).collect::<Vec<_>>(),
    ))
}

/// Builds a record batch of `rows` in the [`review_schema`].
pub fn to_batch(rows: &[ReviewRow]) -> Result<RecordBatch, arrow::error::ArrowError> {
    RecordBatch::try_new(
        review_schema(),
        COLUMNS.iter().map(|c| c.build(rows)).collect(),
    )
}

// --- Arrow types -------------------------------------------------------------------------

fn utf8() -> DataType {
    DataType::Utf8
}
fn u64t() -> DataType {
    DataType::UInt64
}
fn u32t() -> DataType {
    DataType::UInt32
}
fn u8t() -> DataType {
    DataType::UInt8
}
fn i32t() -> DataType {
    DataType::Int32
}
fn f32t() -> DataType {
    DataType::Float32
}
fn boolean() -> DataType {
    DataType::Boolean
}
fn date() -> DataType {
    DataType::Date32
}
fn list_of(item: DataType) -> DataType {
    DataType::List(Arc::new(Field::new("item", item, true)))
}
fn string_list() -> DataType {
    list_of(DataType::Utf8)
}
fn candidate_list() -> DataType {
    list_of(DataType::Struct(candidate_fields()))
}
fn klasse_evidence_list() -> DataType {
    list_of(DataType::Struct(klasse_evidence_fields()))
}
fn pii_evidence_list() -> DataType {
    list_of(DataType::Struct(pii_evidence_fields()))
}

fn candidate_fields() -> Fields {
    Fields::from(vec![
        Field::new("id", DataType::Utf8, false),
        Field::new("title", DataType::Utf8, true),
        Field::new("score", DataType::Float32, false),
    ])
}

fn pii_evidence_fields() -> Fields {
    Fields::from(vec![
        Field::new("kind", DataType::Utf8, false),
        Field::new("masked", DataType::Utf8, false),
        Field::new("start", DataType::Int64, false),
        Field::new("end", DataType::Int64, false),
        Field::new("score", DataType::Float32, false),
    ])
}

fn klasse_evidence_fields() -> Fields {
    Fields::from(vec![
        Field::new("doc_id", DataType::Utf8, false),
        Field::new("title", DataType::Utf8, true),
        Field::new("klasse_id", DataType::Utf8, true),
        Field::new("similarity", DataType::Float32, false),
    ])
}

// --- Arrays from rows ----------------------------------------------------------------------

fn strs<'a>(rows: &'a [ReviewRow], f: impl Fn(&'a ReviewRow) -> Option<&'a str>) -> ArrayRef {
    Arc::new(rows.iter().map(f).collect::<StringArray>())
}

fn f32s(rows: &[ReviewRow], f: impl Fn(&ReviewRow) -> Option<f32>) -> ArrayRef {
    Arc::new(rows.iter().map(f).collect::<Float32Array>())
}

fn i32s(rows: &[ReviewRow], f: impl Fn(&ReviewRow) -> Option<i32>) -> ArrayRef {
    Arc::new(rows.iter().map(f).collect::<Int32Array>())
}

fn bools(rows: &[ReviewRow], f: impl Fn(&ReviewRow) -> Option<bool>) -> ArrayRef {
    Arc::new(rows.iter().map(f).collect::<BooleanArray>())
}

fn strings<'a>(
    rows: &'a [ReviewRow],
    f: impl Fn(&'a ReviewRow) -> Option<Vec<&'a str>>,
) -> ArrayRef {
    let mut b = ListBuilder::new(StringBuilder::new());
    for r in rows {
        match f(r) {
            Some(items) => {
                for i in items {
                    b.values().append_value(i);
                }
                b.append(true);
            }
            None => b.append(false),
        }
    }
    Arc::new(b.finish())
}

/// A list-of-struct column: `push` appends one item's fields to the struct builder.
fn struct_list<'a, T: 'a>(
    rows: &'a [ReviewRow],
    fields: Fields,
    items: impl Fn(&'a ReviewRow) -> Option<&'a Vec<T>>,
    push: impl Fn(&mut StructBuilder, &T),
) -> ArrayRef {
    let mut b = ListBuilder::new(StructBuilder::from_fields(fields, 0));
    for r in rows {
        match items(r) {
            Some(items) => {
                let s = b.values();
                for item in items {
                    push(s, item);
                    s.append(true);
                }
                b.append(true);
            }
            None => b.append(false),
        }
    }
    Arc::new(b.finish())
}

fn candidates(rows: &[ReviewRow], f: impl Fn(&ReviewRow) -> Option<&Vec<Candidate>>) -> ArrayRef {
    struct_list(rows, candidate_fields(), f, |s, c| {
        field::<StringBuilder>(s, 0).append_value(&c.id);
        field::<StringBuilder>(s, 1).append_option(c.title.as_deref());
        field::<Float32Builder>(s, 2).append_value(c.score);
    })
}

fn klasse_evidence(rows: &[ReviewRow]) -> ArrayRef {
    struct_list(
        rows,
        klasse_evidence_fields(),
        |r| r.klasse_evidence.as_ref(),
        |s, e| {
            field::<StringBuilder>(s, 0).append_value(&e.doc_id);
            field::<StringBuilder>(s, 1).append_option(e.title.as_deref());
            field::<StringBuilder>(s, 2).append_option(e.klasse_id.as_deref());
            field::<Float32Builder>(s, 3).append_value(e.similarity);
        },
    )
}

fn pii_evidence(rows: &[ReviewRow]) -> ArrayRef {
    struct_list(
        rows,
        pii_evidence_fields(),
        |r| r.pii_evidence.as_ref(),
        |s, e| {
            field::<StringBuilder>(s, 0).append_value(e.kind.as_str());
            field::<StringBuilder>(s, 1).append_value(&e.masked);
            field::<Int64Builder>(s, 2).append_value(e.start);
            field::<Int64Builder>(s, 3).append_value(e.end);
            field::<Float32Builder>(s, 4).append_value(e.score);
        },
    )
}

/// The `i`th child builder of a struct builder. The schema above fixes the child types, so a
/// wrong type here is a programming error caught by the tests, not an input error.
fn field<T: arrow::array::ArrayBuilder>(s: &mut StructBuilder, i: usize) -> &mut T {
    s.field_builder::<T>(i)
        .expect("struct child builder type matches review_schema")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_convert_to_days_since_epoch() {
        assert_eq!(date32("1970-01-01"), Some(0));
        assert_eq!(date32("2000-03-01"), Some(11_017));
        assert_eq!(date32("1969-12-31"), Some(-1));
        assert_eq!(date32("x"), None);
    }

    #[test]
    fn batch_matches_schema_with_and_without_suggestions() {
        let mut filled = ReviewRow {
            doc_id: "a".into(),
            series_top: Some(vec![Candidate {
                id: "S".into(),
                title: None,
                score: 0.5,
            }]),
            pii_evidence: Some(vec![PiiEvidence {
                kind: PiiKind::Epost,
                masked: "o***@***".into(),
                start: 1,
                end: 9,
                score: 0.9,
            }]),
            pii_kinds: Some(vec![PiiKind::Epost]),
            ..ReviewRow::default()
        };
        filled.noark.created = Some("2021-05-06".into());
        let empty = ReviewRow {
            doc_id: "b".into(),
            ..ReviewRow::default()
        };
        let batch = to_batch(&[filled, empty]).unwrap();
        assert_eq!(batch.num_rows(), 2);
        assert_eq!(batch.schema(), review_schema());
    }

    #[test]
    fn every_string_column_reads_its_own_field() {
        // Each text field holds its column's name: a column wired to another field's
        // accessor (two same-typed columns swapped) shows up as a wrong value.
        let mut row = ReviewRow {
            doc_id: "doc_id".into(),
            source_path: Some("source_path".into()),
            file_sha256: Some("file_sha256".into()),
            extract_error: Some("extract_error".into()),
            text_preview: Some("text_preview".into()),
            series_suggested: Some("series_suggested".into()),
            klasse_suggested: Some("klasse_suggested".into()),
            retention_suggested: Some("retention_suggested".into()),
            skjerming_hjemmel_suggested: Some("skjerming_hjemmel_suggested".into()),
            model_id: Some("model_id".into()),
            ..ReviewRow::default()
        };
        let m = &mut row.noark;
        m.arkivdel_id = Some("arkivdel_id".into());
        m.arkivdel_title = Some("arkivdel_title".into());
        m.klasse_id = Some("klasse_id".into());
        m.klasse_title = Some("klasse_title".into());
        m.mappe_id = Some("mappe_id".into());
        m.mappe_title = Some("mappe_title".into());
        m.registrering_id = Some("registrering_id".into());
        m.journalpost_type = Some("journalpost_type".into());
        m.registrering_title = Some("registrering_title".into());
        m.document_title = Some("document_title".into());
        m.tilknyttet_som = Some("tilknyttet_som".into());
        m.kassasjon = Some(crate::source::Kassasjon {
            vedtak: Some("kassasjon_vedtak".into()),
            bevaringstid: None,
        });
        m.skjerming = Some(crate::source::Skjerming {
            tilgangsrestriksjon: Some("tilgangsrestriksjon".into()),
            hjemmel: Some("skjerming_hjemmel".into()),
        });
        let batch = to_batch(&[row]).unwrap();
        let mut checked = 0;
        for (field, column) in batch.schema().fields().iter().zip(batch.columns()) {
            let Some(strings) = column.as_any().downcast_ref::<StringArray>() else {
                continue;
            };
            if arrow::array::Array::is_valid(strings, 0) {
                assert_eq!(strings.value(0), field.name(), "column {}", field.name());
                checked += 1;
            }
        }
        assert_eq!(checked, 24, "every text column with a value was checked");
    }
}
