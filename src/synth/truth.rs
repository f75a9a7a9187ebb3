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
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::{EnabledStatistics, WriterProperties};

use super::letters::Pii;

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

/// Streams [`TruthRow`]s into `truth.parquet`, one row group per [`BATCH_ROWS`] rows.
pub struct TruthWriter {
    writer: ArrowWriter<BufWriter<File>>,
    pending: Vec<TruthRow>,
}

impl TruthWriter {
    /// Creates the file at `path`; `metadata` goes into the footer (no timestamps, so the
    /// file stays reproducible).
    pub fn create(path: &Path, metadata: &[(&str, String)]) -> io::Result<TruthWriter> {
        let file = BufWriter::new(File::create(path)?);
        let props = WriterProperties::builder()
            .set_compression(Compression::ZSTD(ZstdLevel::try_new(3).unwrap_or_default()))
            .set_max_row_group_row_count(Some(BATCH_ROWS))
            .set_statistics_enabled(EnabledStatistics::Chunk)
            .set_statistics_truncate_length(Some(64))
            .set_key_value_metadata(Some(
                metadata
                    .iter()
                    .map(|(k, v)| KeyValue::new(k.to_string(), v.clone()))
                    .collect(),
            ))
            .build();
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
