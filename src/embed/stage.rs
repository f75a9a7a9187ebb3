//! The embedding stage: documents and their texts in, [`EmbedOutcome`]s out.
//!
//! The pipeline hands over documents in export order, a batch at a time; the stage embeds
//! the ones that have text (through the cache, when one is open), says of each whether the
//! text was cut, and streams the vectors to the embeddings table when one was asked for.
//! Documents without text get no outcome.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow::array::AsArray;
use arrow::datatypes::{Float32Type, UInt32Type};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use super::cache::EmbeddingCache;
use super::parquet::{EmbeddingsWriter, WriteError};
use super::{EmbedError, Embedder, Embedding};

/// Documents embedded per call: enough for the token-budget batcher to sort and pack well,
/// few enough that rows do not wait long for the writer.
pub const DOCS_PER_BATCH: usize = 64;

/// One document's embedding.
#[derive(Debug, Clone, PartialEq)]
pub struct EmbedOutcome {
    /// The L2-normalised vector.
    pub vector: Vec<f32>,
    /// Whether the model saw only the start of the text (over `max_chunks` windows).
    pub truncated: bool,
}

/// One document handed to the stage: its id (for the embeddings table) and its text, if any.
#[derive(Debug, Clone, Copy)]
pub struct EmbedInput<'a> {
    /// The document's `doc_id`.
    pub doc_id: &'a str,
    /// The text to embed; `None` when the document has none.
    pub text: Option<&'a str>,
}

/// Why the stage stopped. A document's text never causes this; the model or the disk does.
#[derive(Debug, thiserror::Error)]
pub enum StageError {
    /// The model failed on a batch.
    #[error(transparent)]
    Embed(#[from] EmbedError),
    /// The embeddings table could not be written.
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// The embedding stage: a model, an optional cache and an optional embeddings table.
pub struct EmbedStage {
    embedder: Arc<Embedder>,
    model_id: String,
    cache: Option<EmbeddingCache>,
    table: Option<EmbeddingsWriter>,
    embedded: u64,
    seconds: f64,
}

impl std::fmt::Debug for EmbedStage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmbedStage")
            .field("model_id", &self.model_id)
            .field("cache", &self.cache)
            .field("embedded", &self.embedded)
            .field("seconds", &self.seconds)
            .finish()
    }
}

impl EmbedStage {
    /// A stage for `embedder`, reading and filling `cache` when given.
    pub fn new(embedder: Arc<Embedder>, cache: Option<EmbeddingCache>) -> EmbedStage {
        EmbedStage {
            model_id: embedder.model_id(),
            embedder,
            cache,
            table: None,
            embedded: 0,
            seconds: 0.0,
        }
    }

    /// Streams every vector to the Parquet file `path` as well. With `keep_rows`, the rows
    /// of a table an earlier run left at `path` are copied over first (a resumed scan does
    /// not see those documents again); that table must come from the same model.
    pub fn write_table(&mut self, path: &Path, keep_rows: bool) -> Result<(), WriteError> {
        let e = &self.embedder;
        let mut table = EmbeddingsWriter::create(path, e.dim(), e.model_sha256())?;
        if keep_rows && path.exists() {
            copy_rows(path, e.model_sha256(), &mut table)?;
        }
        self.table = Some(table);
        Ok(())
    }

    /// The model, for the scan's metadata.
    pub fn embedder(&self) -> &Embedder {
        &self.embedder
    }

    /// The model's id, as the review table's `model_id` names it.
    pub fn model_id(&self) -> &str {
        &self.model_id
    }

    /// Embeds the documents of `batch` that have text; returns each document's outcome
    /// (`None` where there was no text), in batch order.
    pub fn run(
        &mut self,
        batch: &[EmbedInput<'_>],
    ) -> Result<Vec<Option<EmbedOutcome>>, StageError> {
        let mut out = vec![None; batch.len()];
        let picked: Vec<(usize, &str)> = batch
            .iter()
            .enumerate()
            .filter_map(|(i, d)| Some((i, d.text?)))
            .collect();
        if picked.is_empty() {
            return Ok(out);
        }
        let texts: Vec<&str> = picked.iter().map(|&(_, t)| t).collect();
        let started = std::time::Instant::now();
        let vectors = match &self.cache {
            Some(cache) => cache.embed_batch(&self.embedder, &texts)?,
            None => self.embedder.embed_batch(&texts)?,
        };
        self.seconds += started.elapsed().as_secs_f64();
        self.embedded += vectors.len() as u64;
        for (&(i, _), e) in picked.iter().zip(vectors) {
            if let Some(table) = &mut self.table {
                table.write(batch[i].doc_id, &e)?;
            }
            out[i] = Some(EmbedOutcome {
                vector: e.vector,
                truncated: e.truncated,
            });
        }
        Ok(out)
    }

    /// Documents embedded so far.
    pub fn embedded(&self) -> u64 {
        self.embedded
    }

    /// Seconds spent embedding so far (the cache's look-ups included).
    pub fn seconds(&self) -> f64 {
        self.seconds
    }

    /// Closes the embeddings table, if any; returns its path.
    pub fn finish(self) -> Result<Option<PathBuf>, WriteError> {
        self.table.map(EmbeddingsWriter::finish).transpose()
    }
}

/// Copies the rows of the embeddings table at `path` into `out`, batch by batch.
fn copy_rows(
    path: &Path,
    model_sha256: &str,
    out: &mut EmbeddingsWriter,
) -> Result<(), WriteError> {
    let err = |message: String| WriteError {
        path: path.to_path_buf(),
        message,
    };
    let file = std::fs::File::open(path).map_err(|e| err(e.to_string()))?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| err(e.to_string()))?;
    let made_by = builder
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .and_then(|kv| kv.iter().find(|k| k.key == "arkivar.model_sha256"))
        .and_then(|k| k.value.clone());
    if made_by.as_deref() != Some(model_sha256) {
        return Err(err(format!(
            "the earlier embeddings were made by model {}, this scan uses {model_sha256}: \
             choose another --embeddings-out or rerun with --overwrite",
            made_by.as_deref().unwrap_or("(unknown)")
        )));
    }
    let reader = builder.build().map_err(|e| err(e.to_string()))?;
    for batch in reader {
        let batch = batch.map_err(|e| err(e.to_string()))?;
        let column = |name: &str| {
            batch
                .column_by_name(name)
                .ok_or_else(|| err(format!("no column {name}")))
        };
        let ids = column("doc_id")?.as_string_opt::<i32>().cloned();
        let vectors = column("vector")?.as_fixed_size_list_opt().cloned();
        let tokens = column("tokens")?.as_primitive_opt::<UInt32Type>().cloned();
        let chunks = column("chunks")?.as_primitive_opt::<UInt32Type>().cloned();
        let truncated = column("truncated")?.as_boolean_opt().cloned();
        let (Some(ids), Some(vectors), Some(tokens), Some(chunks), Some(truncated)) =
            (ids, vectors, tokens, chunks, truncated)
        else {
            return Err(err("not an arkivar embeddings table".into()));
        };
        for r in 0..batch.num_rows() {
            let v = vectors.value(r);
            let Some(values) = v.as_primitive_opt::<Float32Type>() else {
                return Err(err("vector values are not f32".into()));
            };
            let e = Embedding {
                vector: values.values().to_vec(),
                tokens: tokens.value(r) as usize,
                chunks: chunks.value(r) as usize,
                truncated: truncated.value(r),
            };
            out.write(ids.value(r), &e)?;
        }
    }
    Ok(())
}
