//! Loading a model: the files of a sentence-transformers-style directory or of the built-in
//! model, their configuration (pooling, window length, passage prompt, special tokens), the
//! weights onto a device at a precision (read tensor by tensor, [`super::weights`]), and the
//! checksum that names the model.

use std::path::{Path, PathBuf};

use candle_core::DType;
use sha2::{Digest, Sha256};

use super::weights::Weights;
use super::{bert, default_model, Device, EmbedError, EmbedOptions, Embedder, Pooling};
use crate::source::checksum::hex;

/// The raw files of a model directory.
struct ModelFiles {
    dir: PathBuf,
    config: Vec<u8>,
    tokenizer: Vec<u8>,
    weights: Weights,
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
            weights: {
                let path = dir.join("model.safetensors");
                if !path.is_file() {
                    return Err(EmbedError::MissingFile { path });
                }
                Weights::File(path)
            },
            pooling: read_optional(&dir.join("1_Pooling").join("config.json"))?,
            sentence_bert: read_optional(&dir.join("sentence_bert_config.json"))?,
            st_config: read_optional(&dir.join("config_sentence_transformers.json"))?,
        })
    }

    /// The pooling `1_Pooling/config.json` asks for; mean when there is none.
    fn pooling(&self) -> Result<Pooling, EmbedError> {
        let Some(bytes) = &self.pooling else {
            return Ok(Pooling::Mean);
        };
        let pooling_path = self.dir.join("1_Pooling").join("config.json");
        let v = json(bytes, &pooling_path)?;
        let on = |k: &str| v.get(k).and_then(|x| x.as_bool()).unwrap_or(false);
        // mean_sqrt_len differs from mean by a scalar only: after L2 normalisation
        // it is the same vector.
        match (
            on("pooling_mode_cls_token"),
            on("pooling_mode_mean_tokens") || on("pooling_mode_mean_sqrt_len_tokens"),
            on("pooling_mode_max_tokens"),
        ) {
            (true, false, false) => Ok(Pooling::Cls),
            (false, true, false) => Ok(Pooling::Mean),
            (false, false, true) => Ok(Pooling::Max),
            _ => Err(EmbedError::Config {
                path: pooling_path,
                message: "exactly one of cls, mean, max pooling must be on".into(),
            }),
        }
    }

    /// `sentence_bert_config.json`'s `max_seq_length`, if given.
    fn max_seq_length(&self) -> Result<Option<usize>, EmbedError> {
        Ok(match &self.sentence_bert {
            Some(b) => json(b, &self.dir.join("sentence_bert_config.json"))?
                .get("max_seq_length")
                .and_then(|x| x.as_u64())
                .map(|x| x as usize),
            None => None,
        })
    }

    /// The prompt put before every passage (e5's `passage: `): the `passage` prompt of
    /// `config_sentence_transformers.json`, else its default prompt.
    fn passage_prompt(&self) -> Result<Option<String>, EmbedError> {
        Ok(match &self.st_config {
            Some(b) => {
                let v = json(b, &self.dir.join("config_sentence_transformers.json"))?;
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
        })
    }

    /// SHA-256 over every file, each preceded by its length, as lowercase hex.
    fn checksum(&self) -> Result<String, EmbedError> {
        let mut hasher = Sha256::new();
        for part in [&self.config, &self.tokenizer] {
            hasher.update((part.len() as u64).to_le_bytes());
            hasher.update(part);
        }
        self.weights
            .hash_into(&mut hasher)
            .map_err(|source| EmbedError::Io {
                path: self.dir.join("model.safetensors"),
                source,
            })?;
        for part in [&self.pooling, &self.sentence_bert, &self.st_config]
            .into_iter()
            .flatten()
        {
            hasher.update((part.len() as u64).to_le_bytes());
            hasher.update(part);
        }
        Ok(hex(&hasher.finalize()))
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

impl Embedder {
    /// The built-in model (all-MiniLM-L6-v2, f16 weights) with default options.
    pub fn default_model(device: &Device) -> Result<Self, EmbedError> {
        Self::default_model_with(device, EmbedOptions::default())
    }

    /// The built-in model with the given options.
    pub fn default_model_with(device: &Device, options: EmbedOptions) -> Result<Self, EmbedError> {
        let files = ModelFiles {
            dir: PathBuf::from(default_model::NAME),
            config: default_model::CONFIG.to_vec(),
            tokenizer: default_model::TOKENIZER.to_vec(),
            weights: Weights::Static(default_model::WEIGHTS),
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

    /// Parses the configuration, the tokenizer and the weights of `files`.
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
        let pooling = files.pooling()?;
        let st_max = files.max_seq_length()?;
        let prompt_text = files.passage_prompt()?;

        let tokenizer_path = dir.join("tokenizer.json");
        let tok_err = |message: String| EmbedError::Tokenizer {
            path: tokenizer_path.clone(),
            message,
        };
        let tokenizer =
            super::unigram::TextTokenizer::from_bytes(&files.tokenizer).map_err(tok_err)?;
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

        let model_sha256 = files.checksum()?;
        let model_err = |source| EmbedError::Model {
            path: dir.clone(),
            source,
        };
        let weights_path = dir.join("model.safetensors");
        let weights_bytes = files.weights.len().map_err(|source| EmbedError::Io {
            path: weights_path.clone(),
            source,
        })? as usize;
        let vb = files
            .weights
            .var_builder(bert::LOAD_DTYPE, device)
            .map_err(|source| EmbedError::Model {
                path: weights_path,
                source,
            })?;
        // A 16-bit file's weights stay 16-bit (multilingual-e5-small's token table alone,
        // 250 002 × 384, is 384 MB in f32); what a batch uses is widened as it is used.
        let stored = files
            .weights
            .stored_dtype("word_embeddings.weight")
            .filter(|d| matches!(d, DType::F16 | DType::BF16))
            .unwrap_or(bert::LOAD_DTYPE);
        let mut options = options;
        options.precision = options.precision.resolve(device);
        let encoder =
            bert::Encoder::load(vb, &cfg, family, options.precision, stored).map_err(model_err)?;
        let precision = options.precision.describe(device);
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
            precision,
            model_sha256,
            weights_bytes,
        })
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
