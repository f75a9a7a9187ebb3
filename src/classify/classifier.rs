//! A trained classifier: one head per field (klasse, series, retention, screening), learned
//! from an export whose documents are already classified, calibrated on a validation split,
//! and saved as one safetensors file whose JSON header records everything needed to use it
//! right: label maps, catalogue, feature settings, the embedding model's checksum, the review
//! thresholds and the validation metrics.
//!
//! File layout: tensors `head.<kind>.weight` (`inputs × classes`, f32), `head.<kind>.bias`,
//! `dense.mean` / `dense.scale` (embedding standardisation), `evidence.vectors`; the header's
//! `__metadata__` holds one key, `arkivar.classifier`, with the [`Header`] as JSON.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;
use safetensors::tensor::{Dtype, TensorView};
use safetensors::SafeTensors;
use serde::{Deserialize, Serialize};

use super::calibrate::{expected_calibration_error, fit_temperature};
use super::dataset::{bucket, split_group, CorpusDoc};
use super::evidence::{evidence_vector, EvidenceDoc, EvidenceIndex};
use super::features::{NgramFeaturizer, SparseVec};
use super::head::{softmax_into, Features, SoftmaxHead, TrainError, TrainOptions};
use super::labels::{HeadKind, LabelMap};
use super::metrics::{evaluate, threshold_for_precision, HeadMetrics, Scored, TARGET_PRECISION};
use crate::catalog::{Catalog, CatalogError};
use crate::embed::Embedder;
use crate::source::checksum::sha256_hex;

/// The `format` a classifier file declares.
pub const FORMAT: &str = "arkivar-classifier";
/// The version of the format written.
pub const FORMAT_VERSION: u32 = 1;
const METADATA_KEY: &str = "arkivar.classifier";

/// Which feature families a classifier reads (`--features`: the names of [`FeatureSet::as_str`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum FeatureSet {
    /// Hashed character n-grams of title + text.
    Ngrams,
    /// The document embedding.
    Embedding,
    /// Both, side by side.
    Both,
}

impl FeatureSet {
    /// Whether n-grams are read.
    pub fn ngrams(self) -> bool {
        matches!(self, FeatureSet::Ngrams | FeatureSet::Both)
    }
    /// Whether the embedding is read.
    pub fn embedding(self) -> bool {
        matches!(self, FeatureSet::Embedding | FeatureSet::Both)
    }
    /// The name used on the command line and in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            FeatureSet::Ngrams => "ngrams",
            FeatureSet::Embedding => "embedding",
            FeatureSet::Both => "both",
        }
    }
}

/// The embedding model a classifier was trained with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmbeddingRef {
    /// `name@sha-prefix`, as in the review table's `model_id`.
    pub model_id: String,
    /// SHA-256 of the model's weights.
    pub model_sha256: String,
    /// Vector width.
    pub dim: usize,
}

/// How to train.
#[derive(Debug, Clone)]
pub struct TrainSettings {
    /// The feature families.
    pub features: FeatureSet,
    /// N-gram settings (used when `features` reads n-grams).
    pub ngrams: NgramFeaturizer,
    /// Optimiser settings of every head.
    pub head: TrainOptions,
    /// Seed of the validation split.
    pub seed: u64,
    /// One case folder in this many goes to the validation split.
    pub validation_every: usize,
    /// Training documents kept as evidence at most.
    pub evidence_max: usize,
    /// The catalogue as TOML (the classifier carries it).
    pub catalog_toml: String,
    /// Where the examples came from, for the header.
    pub exports: Vec<String>,
    /// The heads to train (those without labels are skipped anyway).
    pub heads: Vec<HeadKind>,
}

impl Default for TrainSettings {
    fn default() -> Self {
        TrainSettings {
            features: FeatureSet::Ngrams,
            ngrams: NgramFeaturizer::default(),
            head: TrainOptions::default(),
            seed: 1,
            validation_every: 5,
            evidence_max: 20_000,
            catalog_toml: crate::catalog::DEFAULT_TOML.to_string(),
            exports: Vec::new(),
            heads: HeadKind::ALL.to_vec(),
        }
    }
}

/// What was learned for one head, and how well it did on the validation split.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeadInfo {
    /// The field.
    pub kind: HeadKind,
    /// Its classes.
    pub labels: LabelMap,
    /// Calibration temperature (scores are `softmax(logits / T)`).
    pub temperature: f32,
    /// Suggestions scoring below this need review (chosen on validation data for 95%
    /// precision; `None`: no score was safe enough, every suggestion is reviewed).
    pub review_threshold: Option<f32>,
    /// Training examples.
    pub train_examples: usize,
    /// Validation examples.
    pub validation_examples: usize,
    /// Expected calibration error on validation before temperature scaling.
    pub ece_uncalibrated: Option<f64>,
    /// Validation metrics after calibration.
    pub validation: Option<HeadMetrics>,
}

/// The JSON header of a classifier file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// Always [`FORMAT`].
    pub format: String,
    /// [`FORMAT_VERSION`] when written.
    pub format_version: u32,
    /// The arkivar version that trained it.
    pub arkivar_version: String,
    /// When (UTC).
    pub created: String,
    /// Feature families read.
    pub features: FeatureSet,
    /// N-gram settings.
    pub ngrams: NgramFeaturizer,
    /// The embedding model, when embeddings are read.
    pub embedding: Option<EmbeddingRef>,
    /// The catalogue it was trained against, as TOML.
    pub catalog_toml: String,
    /// The exports learned from.
    pub exports: Vec<String>,
    /// Documents read.
    pub documents: usize,
    /// Optimiser settings.
    pub train_options: TrainOptions,
    /// Seed of the validation split.
    pub seed: u64,
    /// Seconds spent training (features excluded).
    pub train_seconds: f64,
    /// The heads, in [`HeadKind::ALL`] order.
    pub heads: Vec<HeadInfo>,
    /// Heads not trained, with the reason.
    pub skipped: Vec<(HeadKind, String)>,
    /// The evidence documents, by row of `evidence.vectors`.
    pub evidence: Vec<EvidenceDoc>,
}

/// Why a classifier could not be trained, saved, loaded or used.
#[derive(Debug, thiserror::Error)]
pub enum ClassifierError {
    /// No head had anything to learn.
    #[error(
        "nothing to learn from: no document has two or more different labels of any kind \
         (klasse, arkivdel, kassasjon, skjerming) — is this a classified Noark 5 export? {0}"
    )]
    NothingToLearn(String),
    /// The features asked for need an embedding model and none was given.
    #[error("features '{0}' need an embedding model")]
    NoEmbedder(&'static str),
    /// The classifier was trained with another embedding model.
    #[error(
        "this classifier was trained with embedding model {expected}, but the model given is \
         {found}: pass --model with the classifier's model, or retrain"
    )]
    WrongModel {
        /// The classifier's model.
        expected: String,
        /// The model given.
        found: String,
    },
    /// The file cannot be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not a valid classifier.
    #[error("{path}: not an arkivar classifier: {message}")]
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The carried catalogue is invalid.
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    /// A head failed to train.
    #[error("training the {0} head: {1}")]
    Train(&'static str, TrainError),
}

/// A trained head with its weights.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainedHead {
    /// What was learned and measured.
    pub info: HeadInfo,
    /// The weights.
    pub model: SoftmaxHead,
}

/// A classifier, ready to suggest.
#[derive(Debug, Clone)]
pub struct Classifier {
    /// The header.
    pub header: Header,
    /// The heads, in [`HeadKind::ALL`] order.
    pub heads: Vec<TrainedHead>,
    /// Standardisation of embedding values: `(x − mean) · scale`.
    pub dense_mean: Vec<f32>,
    /// See `dense_mean`.
    pub dense_scale: Vec<f32>,
    /// Training documents for evidence.
    pub evidence: EvidenceIndex,
    /// The catalogue the classifier carries.
    pub catalog: Catalog,
    /// SHA-256 of the file it was loaded from (empty before saving).
    pub sha256: String,
}

/// A head's ranked suggestion: class indices with calibrated scores, best first.
pub type Ranked = Vec<(usize, f32)>;

impl Classifier {
    /// Trains every head that has something to learn from `corpus`.
    pub fn train(
        corpus: &[&CorpusDoc],
        embedder: Option<&Embedder>,
        settings: &TrainSettings,
    ) -> Result<Classifier, ClassifierError> {
        let started = Instant::now();
        let catalog = Catalog::from_toml_str(&settings.catalog_toml, "classifier catalogue")?;
        let embedding = match (settings.features.embedding(), embedder) {
            (false, _) => None,
            (true, None) => return Err(ClassifierError::NoEmbedder(settings.features.as_str())),
            (true, Some(e)) => Some(EmbeddingRef {
                model_id: e.model_id(),
                model_sha256: e.model_sha256().to_string(),
                dim: e.dim(),
            }),
        };
        let (dense_mean, dense_scale) = match &embedding {
            Some(e) => standardisation(corpus, e.dim),
            None => (Vec::new(), Vec::new()),
        };
        let mut classifier = Classifier {
            header: Header {
                format: FORMAT.into(),
                format_version: FORMAT_VERSION,
                arkivar_version: env!("CARGO_PKG_VERSION").into(),
                created: crate::output::parquet::now_utc(),
                features: settings.features,
                ngrams: settings.ngrams,
                embedding,
                catalog_toml: settings.catalog_toml.clone(),
                exports: settings.exports.clone(),
                documents: corpus.len(),
                train_options: settings.head,
                seed: settings.seed,
                train_seconds: 0.0,
                heads: Vec::new(),
                skipped: Vec::new(),
                evidence: Vec::new(),
            },
            heads: Vec::new(),
            dense_mean,
            dense_scale,
            evidence: EvidenceIndex::default(),
            catalog,
            sha256: String::new(),
        };
        let features: Vec<Option<Features>> = corpus
            .iter()
            .map(|d| classifier.features(&d.ngrams, d.embedding.as_deref()))
            .collect();
        let validation: Vec<bool> = corpus
            .iter()
            .map(|d| bucket(split_group(d), settings.seed, settings.validation_every) == 0)
            .collect();
        let results: Vec<(HeadKind, Result<TrainedHead, String>)> = settings
            .heads
            .par_iter()
            .map(|&kind| {
                let r = classifier.train_head(kind, corpus, &features, &validation, &settings.head);
                (kind, r)
            })
            .collect();
        for (kind, r) in results {
            match r {
                Ok(h) => classifier.heads.push(h),
                Err(why) => classifier.header.skipped.push((kind, why)),
            }
        }
        if classifier.heads.is_empty() {
            let why: Vec<String> = classifier
                .header
                .skipped
                .iter()
                .map(|(k, w)| format!("{}: {w}", k.as_str()))
                .collect();
            return Err(ClassifierError::NothingToLearn(why.join("; ")));
        }
        classifier.header.heads = classifier.heads.iter().map(|h| h.info.clone()).collect();
        classifier.build_evidence(corpus, &validation, settings.evidence_max);
        classifier.header.train_seconds = started.elapsed().as_secs_f64();
        Ok(classifier)
    }

    fn train_head(
        &self,
        kind: HeadKind,
        corpus: &[&CorpusDoc],
        features: &[Option<Features>],
        validation: &[bool],
        options: &TrainOptions,
    ) -> Result<TrainedHead, String> {
        let mut labels = LabelMap::default();
        let mut train: Vec<(&Features, usize)> = Vec::new();
        let mut val: Vec<(&Features, usize)> = Vec::new();
        for ((doc, f), &is_val) in corpus.iter().zip(features).zip(validation) {
            let (Some(f), Some(label)) = (f, kind.label_of(&doc.meta)) else {
                continue;
            };
            let y = labels.index_or_insert(&label);
            if is_val {
                val.push((f, y));
            } else {
                train.push((f, y));
            }
        }
        // A split with no training side (a tiny export): learn from everything, calibrate on
        // nothing, and leave every suggestion to review.
        if train.is_empty() {
            std::mem::swap(&mut train, &mut val);
        }
        let model = SoftmaxHead::train(
            &train,
            labels.len(),
            self.sparse_dims(),
            self.dense_dims(),
            options,
        )
        .map_err(|e| e.to_string())?;
        let mut info = HeadInfo {
            kind,
            labels,
            temperature: 1.0,
            review_threshold: None,
            train_examples: train.len(),
            validation_examples: val.len(),
            ece_uncalibrated: None,
            validation: None,
        };
        if !val.is_empty() {
            let logits: Vec<Vec<f32>> = val.iter().map(|(f, _)| model.logits(f)).collect();
            let ys: Vec<usize> = val.iter().map(|(_, y)| *y).collect();
            let top = |t: f32| -> (Vec<f32>, Vec<bool>) {
                logits
                    .iter()
                    .zip(&ys)
                    .map(|(l, &y)| {
                        let r = rank(l, t);
                        (r[0].1, r[0].0 == y)
                    })
                    .unzip()
            };
            let (scores, right) = top(1.0);
            info.ece_uncalibrated = Some(expected_calibration_error(&scores, &right));
            info.temperature = fit_temperature(&logits, &ys);
            let (scores, right) = top(info.temperature);
            info.review_threshold = threshold_for_precision(&scores, &right, TARGET_PRECISION).0;
            let scored: Vec<Scored> = logits
                .iter()
                .zip(&ys)
                .map(|(l, &y)| Scored {
                    truth: info.labels.labels[y].key.clone(),
                    ranked: rank(l, info.temperature)
                        .into_iter()
                        .take(3)
                        .map(|(i, p)| (info.labels.labels[i].key.clone(), p))
                        .collect(),
                })
                .collect();
            info.validation = Some(evaluate(&scored));
        }
        Ok(TrainedHead { info, model })
    }

    fn build_evidence(&mut self, corpus: &[&CorpusDoc], validation: &[bool], max: usize) {
        let use_embedding = self.header.features.embedding();
        let candidates: Vec<&CorpusDoc> = corpus
            .iter()
            .zip(validation)
            .filter(|(_, &v)| !v)
            .map(|(d, _)| *d)
            .collect();
        let step = candidates.len().div_ceil(max.max(1)).max(1);
        for doc in candidates.into_iter().step_by(step) {
            if let Some(v) = evidence_vector(use_embedding, &doc.ngrams, doc.embedding.as_deref()) {
                self.evidence.push(
                    EvidenceDoc {
                        doc_id: doc.doc_id.clone(),
                        title: doc.title.clone(),
                        klasse: doc.meta.klasse_id.clone(),
                    },
                    &v,
                );
            }
        }
        self.header.evidence = self.evidence.docs.clone();
    }

    /// Width of the n-gram part of the features (0 when not read).
    pub fn sparse_dims(&self) -> usize {
        if self.header.features.ngrams() {
            self.header.ngrams.dims()
        } else {
            0
        }
    }

    /// Width of the embedding part (0 when not read).
    pub fn dense_dims(&self) -> usize {
        self.header.embedding.as_ref().map_or(0, |e| e.dim)
    }

    /// The n-gram vector of a document, if the classifier reads n-grams.
    pub fn ngrams_of(&self, meta: &crate::source::NoarkMeta, text: Option<&str>) -> SparseVec {
        if !self.header.features.ngrams() {
            return SparseVec::default();
        }
        let f = &self.header.ngrams;
        f.featurize(&super::dataset::ngram_text(meta, text, f.max_chars))
    }

    /// The head features of a document; `None` when the classifier has nothing to read
    /// (no n-grams and no embedding).
    pub fn features(&self, ngrams: &SparseVec, embedding: Option<&[f32]>) -> Option<Features> {
        let dim = self.dense_dims();
        let dense = match embedding {
            Some(e) if dim > 0 && e.len() == dim => e
                .iter()
                .zip(&self.dense_mean)
                .zip(&self.dense_scale)
                .map(|((x, m), s)| (x - m) * s)
                .collect(),
            _ if dim > 0 => {
                if !self.header.features.ngrams() || ngrams.indices.is_empty() {
                    return None;
                }
                vec![0.0; dim]
            }
            _ => Vec::new(),
        };
        let sparse = if self.header.features.ngrams() {
            ngrams.clone()
        } else {
            SparseVec::default()
        };
        if sparse.indices.is_empty() && dense.is_empty() {
            return None;
        }
        Some(Features { sparse, dense })
    }

    /// The head for `kind`, if trained.
    pub fn head(&self, kind: HeadKind) -> Option<&TrainedHead> {
        self.heads.iter().find(|h| h.info.kind == kind)
    }

    /// The calibrated ranking of every class of `head` for `features`.
    pub fn rank(&self, head: &TrainedHead, features: &Features) -> Ranked {
        rank(&head.model.logits(features), head.info.temperature)
    }

    /// Refuses an embedding model other than the one the classifier was trained with, and a
    /// missing one when the classifier needs it.
    pub fn check_embedder(&self, embedder: Option<&Embedder>) -> Result<(), ClassifierError> {
        match (&self.header.embedding, embedder) {
            (None, _) => Ok(()),
            (Some(_), None) => Err(ClassifierError::NoEmbedder(self.header.features.as_str())),
            (Some(e), Some(m)) if e.model_sha256 == m.model_sha256() => Ok(()),
            (Some(e), Some(m)) => Err(ClassifierError::WrongModel {
                expected: e.model_id.clone(),
                found: m.model_id(),
            }),
        }
    }

    /// Writes the classifier to `path`; returns the file's SHA-256.
    pub fn save(&mut self, path: &Path) -> Result<String, ClassifierError> {
        let io = |source| ClassifierError::Io {
            path: path.to_path_buf(),
            source,
        };
        let format = |message: String| ClassifierError::Format {
            path: path.to_path_buf(),
            message,
        };
        self.header.heads = self.heads.iter().map(|h| h.info.clone()).collect();
        self.header.evidence = self.evidence.docs.clone();
        let mut owned: Vec<(String, Vec<usize>, Vec<u8>)> = Vec::new();
        let mut put = |name: String, shape: Vec<usize>, values: &[f32]| {
            owned.push((
                name,
                shape,
                values.iter().flat_map(|v| v.to_le_bytes()).collect(),
            ));
        };
        for h in &self.heads {
            let width = h.model.sparse_dims + h.model.dense_dims;
            let k = h.info.kind.as_str();
            put(
                format!("head.{k}.weight"),
                vec![width, h.model.classes],
                &h.model.weights,
            );
            put(
                format!("head.{k}.bias"),
                vec![h.model.classes],
                &h.model.bias,
            );
        }
        put(
            "dense.mean".into(),
            vec![self.dense_mean.len()],
            &self.dense_mean,
        );
        put(
            "dense.scale".into(),
            vec![self.dense_scale.len()],
            &self.dense_scale,
        );
        put(
            "evidence.vectors".into(),
            vec![self.evidence.docs.len(), self.evidence.dim],
            &self.evidence.vectors,
        );
        let views = owned
            .iter()
            .map(|(n, s, b)| Ok((n.clone(), TensorView::new(Dtype::F32, s.clone(), b)?)))
            .collect::<Result<Vec<_>, safetensors::SafeTensorError>>()
            .map_err(|e| format(e.to_string()))?;
        let json = serde_json::to_string(&self.header).map_err(|e| format(e.to_string()))?;
        let metadata = HashMap::from([(METADATA_KEY.to_string(), json)]);
        let bytes =
            safetensors::serialize(views, Some(metadata)).map_err(|e| format(e.to_string()))?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        std::fs::write(path, &bytes).map_err(io)?;
        self.sha256 = sha256_hex(&bytes);
        Ok(self.sha256.clone())
    }

    /// Reads a classifier file.
    pub fn load(path: &Path) -> Result<Classifier, ClassifierError> {
        let bytes = std::fs::read(path).map_err(|source| ClassifierError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let format = |message: String| ClassifierError::Format {
            path: path.to_path_buf(),
            message,
        };
        let st = SafeTensors::deserialize(&bytes).map_err(|e| format(e.to_string()))?;
        let (_, meta) = SafeTensors::read_metadata(&bytes).map_err(|e| format(e.to_string()))?;
        let json = meta
            .metadata()
            .as_ref()
            .and_then(|m| m.get(METADATA_KEY))
            .ok_or_else(|| format(format!("no '{METADATA_KEY}' header")))?;
        let header: Header = serde_json::from_str(json).map_err(|e| format(e.to_string()))?;
        if header.format != FORMAT || header.format_version > FORMAT_VERSION {
            return Err(format(format!(
                "format {} v{}; this arkivar reads {FORMAT} up to v{FORMAT_VERSION}",
                header.format, header.format_version
            )));
        }
        let tensor = |name: &str, shape: &[usize]| -> Result<Vec<f32>, ClassifierError> {
            let t = st
                .tensor(name)
                .map_err(|e| format(format!("tensor {name}: {e}")))?;
            if t.dtype() != Dtype::F32 || t.shape() != shape {
                return Err(format(format!(
                    "tensor {name}: {:?} {:?}, expected F32 {shape:?}",
                    t.dtype(),
                    t.shape()
                )));
            }
            Ok(t.data()
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect())
        };
        let dense = header.embedding.as_ref().map_or(0, |e| e.dim);
        let sparse = if header.features.ngrams() {
            header.ngrams.dims()
        } else {
            0
        };
        let mut heads = Vec::new();
        for info in &header.heads {
            let k = info.kind.as_str();
            let classes = info.labels.len();
            heads.push(TrainedHead {
                model: SoftmaxHead {
                    classes,
                    sparse_dims: sparse,
                    dense_dims: dense,
                    weights: tensor(&format!("head.{k}.weight"), &[sparse + dense, classes])?,
                    bias: tensor(&format!("head.{k}.bias"), &[classes])?,
                },
                info: info.clone(),
            });
        }
        let dim = st
            .tensor("evidence.vectors")
            .map(|t| t.shape().get(1).copied().unwrap_or(0))
            .map_err(|e| format(e.to_string()))?;
        let evidence = EvidenceIndex {
            docs: header.evidence.clone(),
            dim,
            vectors: tensor("evidence.vectors", &[header.evidence.len(), dim])?,
        };
        let catalog = Catalog::from_toml_str(&header.catalog_toml, "classifier catalogue")?;
        Ok(Classifier {
            dense_mean: tensor("dense.mean", &[dense])?,
            dense_scale: tensor("dense.scale", &[dense])?,
            evidence,
            catalog,
            heads,
            header,
            sha256: sha256_hex(&bytes),
        })
    }
}

/// Class indices ranked by `softmax(logits / t)`, best first.
fn rank(logits: &[f32], t: f32) -> Ranked {
    let mut p = vec![0f32; logits.len()];
    softmax_into(logits, t, &mut p);
    let mut r: Ranked = p.into_iter().enumerate().collect();
    r.sort_by(|a, b| b.1.total_cmp(&a.1));
    r
}

/// Per-dimension mean and inverse standard deviation (over `√dim`, so a standardised vector
/// has about unit length, like an n-gram vector) of the corpus's embeddings.
fn standardisation(corpus: &[&CorpusDoc], dim: usize) -> (Vec<f32>, Vec<f32>) {
    let mut mean = vec![0f64; dim];
    let mut sq = vec![0f64; dim];
    let mut n = 0usize;
    for e in corpus.iter().filter_map(|d| d.embedding.as_deref()) {
        if e.len() != dim {
            continue;
        }
        n += 1;
        for ((m, s), &x) in mean.iter_mut().zip(sq.iter_mut()).zip(e) {
            *m += f64::from(x);
            *s += f64::from(x) * f64::from(x);
        }
    }
    let n = n.max(1) as f64;
    let root = (dim.max(1) as f64).sqrt();
    let scale = mean
        .iter()
        .zip(&sq)
        .map(|(m, s)| {
            let var = (s / n - (m / n).powi(2)).max(0.0);
            (1.0 / ((var.sqrt() + 1e-6) * root)) as f32
        })
        .collect();
    (mean.iter().map(|m| (m / n) as f32).collect(), scale)
}
