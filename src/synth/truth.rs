//! `truth.parquet`: what a synthetic export holds, one row per document, for evaluating scans,
//! classifiers and personal-data screening against it.
//!
//! The table holds the labels exactly as the export's XML has them (inherited as a reader
//! sees them), the planted personal data with its character spans, and the canonical text the
//! spans refer to. It contains clear (synthetic) personal data on purpose: it is the answer key.
//!
//! Deterministic: no timestamps; the same rows give the same bytes.

use std::fs::File;
use std::io::{self, BufWriter};
use std::path::Path;
use std::sync::Arc;

use arrow::array::{
    ArrayRef, BooleanArray, Int32Array, Int64Array, ListArray, RecordBatch, StringArray,
    StructArray,
};
use arrow::buffer::OffsetBuffer;
use arrow::datatypes::{DataType, Field, Fields, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;

use super::letters::{Pii, PiiKind};
use crate::output::parquet::writer_properties;

/// The file name of the truth table at the export root.
pub const TRUTH_FILE: &str = "truth.parquet";

/// Rows per row group (and per batch held in memory).
const BATCH_ROWS: usize = 2_048;

/// The truth about one document of a synthetic export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TruthRow {
    /// The dokumentobjekt's `systemID` (the scan's `doc_id`).
    pub doc_id: String,
    /// `referanseDokumentfil`, relative to the export root.
    pub reference: String,
    /// `pdf`, `pdf-scan`, `pdf-broken`, `docx`, `odt` or `txt`.
    pub file_kind: String,
    /// Whether the file has text to extract (false for scans and broken files).
    pub has_text_layer: bool,
    /// The arkivdel's `tittel`.
    pub arkivdel_title: String,
    /// The klasse's `klasseID`.
    pub klasse_id: String,
    /// The klasse's `tittel`.
    pub klasse_title: String,
    /// The saksmappe's `mappeID`.
    pub mappe_id: String,
    /// The journalpost's `registreringsID`.
    pub registrering_id: String,
    /// The journalpost's `journalposttype`.
    pub journalposttype: String,
    /// `kassasjonsvedtak` in force for the document (from its saksmappe).
    pub kassasjon_vedtak: Option<String>,
    /// `bevaringstid` in years (0: no limit).
    pub kassasjon_bevaringstid: Option<i32>,
    /// `tilgangsrestriksjon` in force for the document (from its journalpost), if screened.
    pub tilgangsrestriksjon: Option<String>,
    /// `skjermingshjemmel` in force for the document, if screened.
    pub skjermingshjemmel: Option<String>,
    /// Whether the text is nynorsk (else bokmål).
    pub nynorsk: bool,
    /// Special categories: `helse`, `barnevern`, `sosialhjelp`.
    pub categories: Vec<String>,
    /// Planted personal data and look-alikes, with character spans in `text`.
    pub pii: Vec<Pii>,
    /// The canonical text (`Letter::canonical_text`).
    pub text: String,
}

fn pii_fields() -> Fields {
    Fields::from(vec![
        Field::new("kind", DataType::Utf8, false),
        Field::new("value", DataType::Utf8, false),
        Field::new("start", DataType::Int64, false),
        Field::new("end", DataType::Int64, false),
    ])
}

/// The schema of `truth.parquet`.
pub fn truth_schema() -> SchemaRef {
    let s = |name: &str| Field::new(name, DataType::Utf8, false);
    let o = |name: &str| Field::new(name, DataType::Utf8, true);
    let categories = Field::new("item", DataType::Utf8, false);
    let pii = Field::new("item", DataType::Struct(pii_fields()), false);
    Arc::new(Schema::new(vec![
        s("doc_id"),
        s("reference"),
        s("file_kind"),
        Field::new("has_text_layer", DataType::Boolean, false),
        s("arkivdel_title"),
        s("klasse_id"),
        s("klasse_title"),
        s("mappe_id"),
        s("registrering_id"),
        s("journalposttype"),
        o("kassasjon_vedtak"),
        Field::new("kassasjon_bevaringstid", DataType::Int32, true),
        o("tilgangsrestriksjon"),
        o("skjermingshjemmel"),
        Field::new("nynorsk", DataType::Boolean, false),
        Field::new("categories", DataType::List(Arc::new(categories)), false),
        Field::new("pii", DataType::List(Arc::new(pii)), false),
        s("text"),
    ]))
}

/// Streams [`TruthRow`]s into `truth.parquet`, one row group per `BATCH_ROWS` rows.
pub struct TruthWriter {
    writer: ArrowWriter<BufWriter<File>>,
    pending: Vec<TruthRow>,
}

impl TruthWriter {
    /// Creates the file at `path`; `metadata` goes into the footer (no timestamps, so the
    /// file stays reproducible).
    pub fn create(path: &Path, metadata: &[(&str, String)]) -> io::Result<TruthWriter> {
        let file = BufWriter::new(File::create(path)?);
        // One row group per flushed batch of at most BATCH_ROWS rows.
        let props = writer_properties(metadata);
        let writer =
            ArrowWriter::try_new(file, truth_schema(), Some(props)).map_err(io::Error::other)?;
        Ok(TruthWriter {
            writer,
            pending: Vec::with_capacity(BATCH_ROWS),
        })
    }

    /// Adds one row; writes a row group when enough are waiting.
    pub fn push(&mut self, row: TruthRow) -> io::Result<()> {
        self.pending.push(row);
        if self.pending.len() >= BATCH_ROWS {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let batch = to_batch(&self.pending).map_err(io::Error::other)?;
        self.pending.clear();
        self.writer.write(&batch).map_err(io::Error::other)?;
        self.writer.flush().map_err(io::Error::other)
    }

    /// Writes what is left and closes the file.
    pub fn finish(mut self) -> io::Result<()> {
        self.flush()?;
        let mut inner = self.writer.into_inner().map_err(io::Error::other)?;
        std::io::Write::flush(&mut inner)
    }
}

/// One record batch of `rows` in [`truth_schema`].
fn to_batch(rows: &[TruthRow]) -> Result<RecordBatch, arrow::error::ArrowError> {
    let strs = |f: fn(&TruthRow) -> &str| -> ArrayRef {
        Arc::new(rows.iter().map(|r| Some(f(r))).collect::<StringArray>())
    };
    let opt = |f: fn(&TruthRow) -> Option<&str>| -> ArrayRef {
        Arc::new(rows.iter().map(f).collect::<StringArray>())
    };
    let bools = |f: fn(&TruthRow) -> bool| -> ArrayRef {
        Arc::new(rows.iter().map(|r| Some(f(r))).collect::<BooleanArray>())
    };

    let categories: StringArray = rows
        .iter()
        .flat_map(|r| r.categories.iter().map(|c| Some(c.as_str())))
        .collect();
    let categories = ListArray::try_new(
        Arc::new(Field::new("item", DataType::Utf8, false)),
        OffsetBuffer::from_lengths(rows.iter().map(|r| r.categories.len())),
        Arc::new(categories),
        None,
    )?;

    let all_pii = || rows.iter().flat_map(|r| r.pii.iter());
    let pii_values = StructArray::try_new(
        pii_fields(),
        vec![
            Arc::new(
                all_pii()
                    .map(|p| Some(p.kind.as_str()))
                    .collect::<StringArray>(),
            ),
            Arc::new(
                all_pii()
                    .map(|p| Some(p.value.as_str()))
                    .collect::<StringArray>(),
            ),
            Arc::new(all_pii().map(|p| p.start as i64).collect::<Int64Array>()),
            Arc::new(all_pii().map(|p| p.end as i64).collect::<Int64Array>()),
        ],
        None,
    )?;
    let pii = ListArray::try_new(
        Arc::new(Field::new("item", DataType::Struct(pii_fields()), false)),
        OffsetBuffer::from_lengths(rows.iter().map(|r| r.pii.len())),
        Arc::new(pii_values),
        None,
    )?;

    RecordBatch::try_new(
        truth_schema(),
        vec![
            strs(|r| &r.doc_id),
            strs(|r| &r.reference),
            strs(|r| &r.file_kind),
            bools(|r| r.has_text_layer),
            strs(|r| &r.arkivdel_title),
            strs(|r| &r.klasse_id),
            strs(|r| &r.klasse_title),
            strs(|r| &r.mappe_id),
            strs(|r| &r.registrering_id),
            strs(|r| &r.journalposttype),
            opt(|r| r.kassasjon_vedtak.as_deref()),
            Arc::new(
                rows.iter()
                    .map(|r| r.kassasjon_bevaringstid)
                    .collect::<Int32Array>(),
            ),
            opt(|r| r.tilgangsrestriksjon.as_deref()),
            opt(|r| r.skjermingshjemmel.as_deref()),
            bools(|r| r.nynorsk),
            Arc::new(categories),
            Arc::new(pii),
            strs(|r| &r.text),
        ],
    )
}

/// Reads a `truth.parquet` back into rows (for evaluations and tests).
pub fn read_truth(path: &Path) -> io::Result<Vec<TruthRow>> {
    use arrow::array::{Array, AsArray};
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

    let bad = |what: &str| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{}: {what}", path.display()),
        )
    };
    let file = File::open(path)?;
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .and_then(|b| b.build())
        .map_err(|e| bad(&e.to_string()))?;
    let mut rows = Vec::new();
    for batch in reader {
        let batch = batch.map_err(|e| bad(&e.to_string()))?;
        let col = |name: &str| {
            batch
                .column_by_name(name)
                .ok_or_else(|| bad(&format!("no column {name}")))
        };
        let text = |name: &str| -> io::Result<Vec<Option<String>>> {
            let c = col(name)?;
            let s = c
                .as_string_opt::<i32>()
                .ok_or_else(|| bad(&format!("{name} is not a string column")))?;
            Ok((0..s.len())
                .map(|i| s.is_valid(i).then(|| s.value(i).to_string()))
                .collect())
        };
        let required = |name: &str| -> io::Result<Vec<String>> {
            Ok(text(name)?
                .into_iter()
                .map(Option::unwrap_or_default)
                .collect())
        };
        let bools = |name: &str| -> io::Result<Vec<bool>> {
            let c = col(name)?;
            let b = c
                .as_boolean_opt()
                .ok_or_else(|| bad(&format!("{name} is not boolean")))?;
            Ok((0..b.len()).map(|i| b.value(i)).collect())
        };
        let (doc_id, reference, file_kind) = (
            required("doc_id")?,
            required("reference")?,
            required("file_kind")?,
        );
        let (arkivdel_title, klasse_id, klasse_title) = (
            required("arkivdel_title")?,
            required("klasse_id")?,
            required("klasse_title")?,
        );
        let (mappe_id, registrering_id, journalposttype) = (
            required("mappe_id")?,
            required("registrering_id")?,
            required("journalposttype")?,
        );
        let (vedtak, restriksjon, hjemmel) = (
            text("kassasjon_vedtak")?,
            text("tilgangsrestriksjon")?,
            text("skjermingshjemmel")?,
        );
        let bevaringstid = col("kassasjon_bevaringstid")?;
        let bevaringstid = bevaringstid
            .as_primitive_opt::<arrow::datatypes::Int32Type>()
            .ok_or_else(|| bad("kassasjon_bevaringstid is not int32"))?;
        let (has_text, nynorsk, texts) = (
            bools("has_text_layer")?,
            bools("nynorsk")?,
            required("text")?,
        );
        let categories = col("categories")?;
        let categories = categories
            .as_list_opt::<i32>()
            .ok_or_else(|| bad("categories is not a list"))?;
        let pii = col("pii")?;
        let pii = pii
            .as_list_opt::<i32>()
            .ok_or_else(|| bad("pii is not a list"))?;
        for i in 0..batch.num_rows() {
            let cats = categories.value(i);
            let cats = cats.as_string::<i32>();
            let items = pii.value(i);
            let items = items.as_struct();
            let kinds = items.column(0).as_string::<i32>();
            let values = items.column(1).as_string::<i32>();
            let starts = items
                .column(2)
                .as_primitive::<arrow::datatypes::Int64Type>();
            let ends = items
                .column(3)
                .as_primitive::<arrow::datatypes::Int64Type>();
            let mut planted = Vec::with_capacity(items.len());
            for j in 0..items.len() {
                let kind = PiiKind::ALL
                    .into_iter()
                    .find(|k| k.as_str() == kinds.value(j))
                    .ok_or_else(|| bad(&format!("unknown kind {}", kinds.value(j))))?;
                planted.push(Pii {
                    kind,
                    value: values.value(j).to_string(),
                    start: usize::try_from(starts.value(j)).unwrap_or(0),
                    end: usize::try_from(ends.value(j)).unwrap_or(0),
                });
            }
            rows.push(TruthRow {
                doc_id: doc_id[i].clone(),
                reference: reference[i].clone(),
                file_kind: file_kind[i].clone(),
                has_text_layer: has_text[i],
                arkivdel_title: arkivdel_title[i].clone(),
                klasse_id: klasse_id[i].clone(),
                klasse_title: klasse_title[i].clone(),
                mappe_id: mappe_id[i].clone(),
                registrering_id: registrering_id[i].clone(),
                journalposttype: journalposttype[i].clone(),
                kassasjon_vedtak: vedtak[i].clone(),
                kassasjon_bevaringstid: bevaringstid.is_valid(i).then(|| bevaringstid.value(i)),
                tilgangsrestriksjon: restriksjon[i].clone(),
                skjermingshjemmel: hjemmel[i].clone(),
                nynorsk: nynorsk[i],
                categories: (0..cats.len()).map(|j| cats.value(j).to_string()).collect(),
                pii: planted,
                text: texts[i].clone(),
            });
        }
    }
    Ok(rows)
}
