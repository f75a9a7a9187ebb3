//! The review table: one [`ReviewRow`] per document, and its Arrow schema (output contract,
//! schema version 1). This file is the one definition of the columns; the writer and the tests
//! take them from here.

use std::sync::Arc;

use arrow::array::{
    ArrayRef, BooleanArray, Date32Array, DictionaryArray, Float32Array, Int32Array, ListBuilder,
    StringArray, StringBuilder, StructBuilder, UInt32Array, UInt64Array,
};
use arrow::datatypes::{DataType, Field, Fields, Int32Type, Schema, SchemaRef};
use arrow::record_batch::RecordBatch;

use crate::extract::{ExtractStatus, FileFormat};
use crate::source::checksum::ChecksumStatus;
use crate::source::NoarkMeta;

/// The schema version written to `arkivar.schema_version`; bump it when a column changes.
pub const SCHEMA_VERSION: &str = "3";

/// One suggestion candidate: an id (series or klasse), its title and a calibrated score.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The arkivdel or klasse id.
    pub id: String,
    /// Its title from the catalogue.
    pub title: Option<String>,
    /// Calibrated probability in `[0, 1]`.
    pub score: f32,
}

/// A training document like the one under review: why a klasse was suggested.
#[derive(Debug, Clone, PartialEq)]
pub struct KlasseEvidence {
    /// Its `doc_id` in the training export.
    pub doc_id: String,
    /// Its title.
    pub title: Option<String>,
    /// The klasse it was filed in.
    pub klasse_id: Option<String>,
    /// Cosine similarity to the document under review.
    pub similarity: f32,
}

/// One personal-data finding, as it may be shown: masked, with its place in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct PiiEvidence {
    /// The kind (`fodselsnummer`, `email`, `name`, …).
    pub kind: String,
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
    /// Where the retention suggestion came from (`learned` / `catalogue`).
    pub retention_basis: Option<String>,
    /// Its score.
    pub retention_score: Option<f32>,
    /// Kinds of personal data found.
    pub pii_kinds: Option<Vec<String>>,
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
    pub disagrees_with_export: Vec<String>,
    /// Whether a person should look at this row.
    pub needs_review: bool,
    /// Why (`extract_failed`, `checksum_mismatch`, `no_suggestion`, …).
    pub review_reasons: Vec<String>,
    /// The model that made the suggestions.
    pub model_id: Option<String>,
}

fn dict() -> DataType {
    DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8))
}

fn candidate_fields() -> Fields {
    Fields::from(vec![
        Field::new("id", DataType::Utf8, false),
        Field::new("title", DataType::Utf8, true),
        Field::new("score", DataType::Float32, false),
    ])
}

fn evidence_fields() -> Fields {
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

fn list_of(item: DataType) -> DataType {
    DataType::List(Arc::new(Field::new("item", item, true)))
}

/// The review table's Arrow schema, column by column in contract order.
pub fn review_schema() -> SchemaRef {
    let s = |name: &str| Field::new(name, DataType::Utf8, true);
    let d = |name: &str| Field::new(name, dict(), true);
    let f32c = |name: &str| Field::new(name, DataType::Float32, true);
    Arc::new(Schema::new(vec![
        Field::new("doc_id", DataType::Utf8, false),
        s("source_path"),
        s("file_sha256"),
        d("checksum_status"),
        d("file_format"),
        Field::new("file_bytes", DataType::UInt64, true),
        Field::new("page_count", DataType::UInt32, true),
        Field::new("text_chars", DataType::UInt64, false),
        d("extract_status"),
        s("extract_error"),
        s("text_preview"),
        Field::new("text_truncated", DataType::Boolean, true),
        d("arkivdel_id"),
        d("arkivdel_title"),
        d("klasse_id"),
        d("klasse_title"),
        s("mappe_id"),
        s("mappe_title"),
        s("registrering_id"),
        d("journalpost_type"),
        s("registrering_title"),
        s("document_title"),
        d("tilknyttet_som"),
        Field::new("created", DataType::Date32, true),
        d("kassasjon_vedtak"),
        Field::new("kassasjon_bevaringstid", DataType::Int32, true),
        d("tilgangsrestriksjon"),
        d("skjerming_hjemmel"),
        d("series_suggested"),
        f32c("series_score"),
        Field::new(
            "series_top",
            list_of(DataType::Struct(candidate_fields())),
            true,
        ),
        d("klasse_suggested"),
        f32c("klasse_score"),
        Field::new(
            "klasse_top",
            list_of(DataType::Struct(candidate_fields())),
            true,
        ),
        Field::new(
            "klasse_evidence",
            list_of(DataType::Struct(klasse_evidence_fields())),
            true,
        ),
        d("retention_suggested"),
        Field::new("retention_years", DataType::Int32, true),
        d("retention_basis"),
        f32c("retention_score"),
        Field::new("pii_kinds", list_of(DataType::Utf8), true),
        Field::new("pii_count", DataType::UInt32, true),
        Field::new(
            "pii_evidence",
            list_of(DataType::Struct(evidence_fields())),
            true,
        ),
        Field::new("skjerming_suggested", DataType::Boolean, true),
        d("skjerming_hjemmel_suggested"),
        f32c("skjerming_score"),
        Field::new("disagrees_with_export", list_of(DataType::Utf8), false),
        Field::new("needs_review", DataType::Boolean, false),
        Field::new("review_reasons", list_of(DataType::Utf8), false),
        d("model_id"),
    ]))
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

/// Builds a record batch of `rows` in the [`review_schema`].
pub fn to_batch(rows: &[ReviewRow]) -> Result<RecordBatch, arrow::error::ArrowError> {
    fn strs<'a>(rows: &'a [ReviewRow], f: impl Fn(&'a ReviewRow) -> Option<&'a str>) -> ArrayRef {
        Arc::new(rows.iter().map(f).collect::<StringArray>())
    }
    fn dicts<'a>(rows: &'a [ReviewRow], f: impl Fn(&'a ReviewRow) -> Option<&'a str>) -> ArrayRef {
        Arc::new(rows.iter().map(f).collect::<DictionaryArray<Int32Type>>())
    }
    fn f32s(rows: &[ReviewRow], f: impl Fn(&ReviewRow) -> Option<f32>) -> ArrayRef {
        Arc::new(rows.iter().map(f).collect::<Float32Array>())
    }
    fn strings(rows: &[ReviewRow], f: impl Fn(&ReviewRow) -> Option<&Vec<String>>) -> ArrayRef {
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
    fn candidates(
        rows: &[ReviewRow],
        f: impl Fn(&ReviewRow) -> Option<&Vec<Candidate>>,
    ) -> ArrayRef {
        let mut b = ListBuilder::new(StructBuilder::from_fields(candidate_fields(), 0));
        for r in rows {
            match f(r) {
                Some(items) => {
                    let s = b.values();
                    for c in items {
                        field::<StringBuilder>(s, 0).append_value(&c.id);
                        field::<StringBuilder>(s, 1).append_option(c.title.as_deref());
                        field::<arrow::array::Float32Builder>(s, 2).append_value(c.score);
                        s.append(true);
                    }
                    b.append(true);
                }
                None => b.append(false),
            }
        }
        Arc::new(b.finish())
    }
    fn klasse_evidence(rows: &[ReviewRow]) -> ArrayRef {
        let mut b = ListBuilder::new(StructBuilder::from_fields(klasse_evidence_fields(), 0));
        for r in rows {
            match &r.klasse_evidence {
                Some(items) => {
                    let s = b.values();
                    for e in items {
                        field::<StringBuilder>(s, 0).append_value(&e.doc_id);
                        field::<StringBuilder>(s, 1).append_option(e.title.as_deref());
                        field::<StringBuilder>(s, 2).append_option(e.klasse_id.as_deref());
                        field::<arrow::array::Float32Builder>(s, 3).append_value(e.similarity);
                        s.append(true);
                    }
                    b.append(true);
                }
                None => b.append(false),
            }
        }
        Arc::new(b.finish())
    }
    fn evidence(rows: &[ReviewRow]) -> ArrayRef {
        let mut b = ListBuilder::new(StructBuilder::from_fields(evidence_fields(), 0));
        for r in rows {
            match &r.pii_evidence {
                Some(items) => {
                    let s = b.values();
                    for e in items {
                        field::<StringBuilder>(s, 0).append_value(&e.kind);
                        field::<StringBuilder>(s, 1).append_value(&e.masked);
                        field::<arrow::array::Int64Builder>(s, 2).append_value(e.start);
                        field::<arrow::array::Int64Builder>(s, 3).append_value(e.end);
                        field::<arrow::array::Float32Builder>(s, 4).append_value(e.score);
                        s.append(true);
                    }
                    b.append(true);
                }
                None => b.append(false),
            }
        }
        Arc::new(b.finish())
    }

    let columns: Vec<ArrayRef> = vec![
        Arc::new(
            rows.iter()
                .map(|r| Some(r.doc_id.as_str()))
                .collect::<StringArray>(),
        ),
        strs(rows, |r| r.source_path.as_deref()),
        strs(rows, |r| r.file_sha256.as_deref()),
        dicts(rows, |r| r.checksum_status.map(ChecksumStatus::as_str)),
        dicts(rows, |r| r.file_format.map(FileFormat::as_str)),
        Arc::new(rows.iter().map(|r| r.file_bytes).collect::<UInt64Array>()),
        Arc::new(rows.iter().map(|r| r.page_count).collect::<UInt32Array>()),
        Arc::new(
            rows.iter()
                .map(|r| Some(r.text_chars))
                .collect::<UInt64Array>(),
        ),
        dicts(rows, |r| r.extract_status.map(ExtractStatus::as_str)),
        strs(rows, |r| r.extract_error.as_deref()),
        strs(rows, |r| r.text_preview.as_deref()),
        Arc::new(
            rows.iter()
                .map(|r| r.text_truncated)
                .collect::<BooleanArray>(),
        ),
        dicts(rows, |r| r.noark.arkivdel_id.as_deref()),
        dicts(rows, |r| r.noark.arkivdel_title.as_deref()),
        dicts(rows, |r| r.noark.klasse_id.as_deref()),
        dicts(rows, |r| r.noark.klasse_title.as_deref()),
        strs(rows, |r| r.noark.mappe_id.as_deref()),
        strs(rows, |r| r.noark.mappe_title.as_deref()),
        strs(rows, |r| r.noark.registrering_id.as_deref()),
        dicts(rows, |r| r.noark.journalpost_type.as_deref()),
        strs(rows, |r| r.noark.registrering_title.as_deref()),
        strs(rows, |r| r.noark.document_title.as_deref()),
        dicts(rows, |r| r.noark.tilknyttet_som.as_deref()),
        Arc::new(
            rows.iter()
                .map(|r| r.noark.created.as_deref().and_then(date32))
                .collect::<Date32Array>(),
        ),
        dicts(rows, |r| r.noark.kassasjon.as_ref()?.vedtak.as_deref()),
        Arc::new(
            rows.iter()
                .map(|r| r.noark.kassasjon.as_ref()?.bevaringstid)
                .collect::<Int32Array>(),
        ),
        dicts(rows, |r| {
            r.noark.skjerming.as_ref()?.tilgangsrestriksjon.as_deref()
        }),
        dicts(rows, |r| r.noark.skjerming.as_ref()?.hjemmel.as_deref()),
        dicts(rows, |r| r.series_suggested.as_deref()),
        f32s(rows, |r| r.series_score),
        candidates(rows, |r| r.series_top.as_ref()),
        dicts(rows, |r| r.klasse_suggested.as_deref()),
        f32s(rows, |r| r.klasse_score),
        candidates(rows, |r| r.klasse_top.as_ref()),
        klasse_evidence(rows),
        dicts(rows, |r| r.retention_suggested.as_deref()),
        Arc::new(
            rows.iter()
                .map(|r| r.retention_years)
                .collect::<Int32Array>(),
        ),
        dicts(rows, |r| r.retention_basis.as_deref()),
        f32s(rows, |r| r.retention_score),
        strings(rows, |r| r.pii_kinds.as_ref()),
        Arc::new(rows.iter().map(|r| r.pii_count).collect::<UInt32Array>()),
        evidence(rows),
        Arc::new(
            rows.iter()
                .map(|r| r.skjerming_suggested)
                .collect::<BooleanArray>(),
        ),
        dicts(rows, |r| r.skjerming_hjemmel_suggested.as_deref()),
        f32s(rows, |r| r.skjerming_score),
        strings(rows, |r| Some(&r.disagrees_with_export)),
        Arc::new(
            rows.iter()
                .map(|r| Some(r.needs_review))
                .collect::<BooleanArray>(),
        ),
        strings(rows, |r| Some(&r.review_reasons)),
        dicts(rows, |r| r.model_id.as_deref()),
    ];
    RecordBatch::try_new(review_schema(), columns)
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
                kind: "email".into(),
                masked: "o***@***".into(),
                start: 1,
                end: 9,
                score: 0.9,
            }]),
            pii_kinds: Some(vec!["email".into()]),
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
}
