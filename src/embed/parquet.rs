//! The embeddings table: `doc_id` + `vector` (`FixedSizeList<f32>`), for notebooks.
//!
//! ```python
//! import pyarrow.parquet as pq, numpy as np
//! t = pq.read_table("out/embeddings.parquet")
//! X = np.stack(t.column("vector").to_numpy(zero_copy_only=False))
//! ```

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow::array::{
    ArrayRef, BooleanBuilder, FixedSizeListBuilder, Float32Builder, StringBuilder, UInt32Builder,
};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;
use parquet::arrow::ArrowWriter;

use super::Embedding;
use crate::output::parquet::writer_properties;

/// Why the embeddings table could not be written.
#[derive(Debug, thiserror::Error)]
#[error("writing embeddings to {path}: {message}")]
pub struct WriteError {
    /// The Parquet file.
    pub path: PathBuf,
    /// What went wrong.
    pub message: String,
}

/// Streams rows to one Parquet file; rows are buffered into row groups of `rows_per_group`.
pub struct EmbeddingsWriter {
    path: PathBuf,
    tmp: PathBuf,
    dim: usize,
    writer: ArrowWriter<File>,
    schema: Arc<Schema>,
    pending: Vec<(String, Embedding)>,
    rows_per_group: usize,
}

impl EmbeddingsWriter {
    /// The table's schema for vectors of length `dim`.
    pub fn schema(dim: usize) -> Schema {
        Schema::new(vec![
            Field::new("doc_id", DataType::Utf8, false),
            Field::new(
                "vector",
                DataType::FixedSizeList(
                    Arc::new(Field::new("item", DataType::Float32, false)),
                    dim as i32,
                ),
                false,
            ),
            Field::new("tokens", DataType::UInt32, false),
            Field::new("chunks", DataType::UInt32, false),
            Field::new("truncated", DataType::Boolean, false),
        ])
    }

    /// Creates `path` (written under a temporary name, renamed by [`finish`](Self::finish)).
    /// `model_sha256` goes to the file metadata as `arkivar.model_sha256`.
    pub fn create(
        path: impl AsRef<Path>,
        dim: usize,
        model_sha256: &str,
    ) -> Result<Self, WriteError> {
        let path = path.as_ref().to_path_buf();
        let err = |m: String| WriteError {
            path: path.clone(),
            message: m,
        };
        let tmp = path.with_extension("parquet.tmp");
        let file = File::create(&tmp).map_err(|e| err(e.to_string()))?;
        let schema = Arc::new(Self::schema(dim));
        let props = writer_properties(&[
            ("arkivar.model_sha256", model_sha256.to_string()),
            ("arkivar.embedding_dim", dim.to_string()),
        ]);
        let writer = ArrowWriter::try_new(file, schema.clone(), Some(props))
            .map_err(|e| err(e.to_string()))?;
        Ok(Self {
            path,
            tmp,
            dim,
            writer,
            schema,
            pending: Vec::new(),
            rows_per_group: 8192,
        })
    }

    /// Adds one row. The vector must have the writer's dimension.
    pub fn write(&mut self, doc_id: &str, e: &Embedding) -> Result<(), WriteError> {
        if e.vector.len() != self.dim {
            return Err(self.err(format!(
                "vector for {doc_id} has {} values, expected {}",
                e.vector.len(),
                self.dim
            )));
        }
        self.pending.push((doc_id.to_string(), e.clone()));
        if self.pending.len() >= self.rows_per_group {
            self.flush()?;
        }
        Ok(())
    }

    fn err(&self, message: String) -> WriteError {
        WriteError {
            path: self.path.clone(),
            message,
        }
    }

    fn flush(&mut self) -> Result<(), WriteError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let mut ids = StringBuilder::new();
        let mut vectors = FixedSizeListBuilder::new(Float32Builder::new(), self.dim as i32)
            .with_field(Arc::new(Field::new("item", DataType::Float32, false)));
        let mut tokens = UInt32Builder::new();
        let mut chunks = UInt32Builder::new();
        let mut truncated = BooleanBuilder::new();
        for (id, e) in self.pending.drain(..) {
            ids.append_value(id);
            vectors.values().append_slice(&e.vector);
            vectors.append(true);
            tokens.append_value(e.tokens.min(u32::MAX as usize) as u32);
            chunks.append_value(e.chunks.min(u32::MAX as usize) as u32);
            truncated.append_value(e.truncated);
        }
        let columns: Vec<ArrayRef> = vec![
            Arc::new(ids.finish()),
            Arc::new(vectors.finish()),
            Arc::new(tokens.finish()),
            Arc::new(chunks.finish()),
            Arc::new(truncated.finish()),
        ];
        let batch = RecordBatch::try_new(self.schema.clone(), columns)
            .map_err(|e| self.err(e.to_string()))?;
        self.writer
            .write(&batch)
            .map_err(|e| self.err(e.to_string()))?;
        self.writer.flush().map_err(|e| self.err(e.to_string()))
    }

    /// Writes what is buffered, closes the file and moves it to its final name.
    pub fn finish(mut self) -> Result<PathBuf, WriteError> {
        self.flush()?;
        let (path, tmp) = (self.path.clone(), self.tmp.clone());
        self.writer.close().map_err(|e| WriteError {
            path: path.clone(),
            message: e.to_string(),
        })?;
        std::fs::rename(&tmp, &path).map_err(|e| WriteError {
            path: path.clone(),
            message: e.to_string(),
        })?;
        Ok(path)
    }
}
