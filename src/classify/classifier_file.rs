//! The classifier file: one safetensors file whose JSON header records everything needed to
//! use the classifier right: label maps, catalogue, feature settings, the embedding model's
//! checksum, the review thresholds and the validation metrics.
//!
//! File layout: tensors `head.<kind>.weight` (`inputs × classes`, f32), `head.<kind>.bias`
//! (a fused head: its n-gram family there, its embedding family in `head.<kind>.embedding.*`),
//! `dense.mean` / `dense.scale` (embedding standardisation), `ngrams.idf` (n-gram weights),
//! `evidence.vectors`; the header's
//! `__metadata__` holds one key, `arkivar.classifier`, with the [`Header`] as JSON.

use std::collections::HashMap;
use std::path::Path;

use safetensors::tensor::{Dtype, TensorView};
use safetensors::SafeTensors;
use serde::{Deserialize, Serialize};

use super::catalogue_match::CatalogueMatch;
use super::classifier::{Classifier, ClassifierError, FeatureSet, TrainedHead};
use super::evidence::{EvidenceDoc, EvidenceIndex};
use super::features::NgramFeaturizer;
use super::fusion::Fusion;
use super::head::{SoftmaxHead, TrainOptions};
use super::labels::{HeadKind, LabelMap};
use super::metrics::HeadMetrics;
use super::validation_split::ValidationSplit;
use crate::catalog::Catalog;
use crate::embed::Embedder;
use crate::source::checksum::sha256_hex;

/// The `format` a classifier file declares.
pub const FORMAT: &str = "arkivar-classifier";
/// The version of the format written.
pub const FORMAT_VERSION: u32 = 1;
const METADATA_KEY: &str = "arkivar.classifier";

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
    /// Examples learned from: every labelled document (after calibration the head is fitted
    /// again with the validation split included; files written before that left it out).
    pub train_examples: usize,
    /// Validation examples: the held-out split the calibration was fitted on.
    pub validation_examples: usize,
    /// Expected calibration error on validation before temperature scaling.
    pub ece_uncalibrated: Option<f64>,
    /// Validation metrics after calibration.
    pub validation: Option<HeadMetrics>,
    /// For a head that reads n-grams and an embedding: how its two families' heads combine
    /// (`None` in a head of one family, and in files written before late fusion existed,
    /// whose one head reads both side by side).
    #[serde(default)]
    pub fusion: Option<Fusion>,
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
    /// For the heads whose label the klasse decides (series, and where the training documents
    /// show it, retention and screening): each klasse's label, where the training documents
    /// tie the klasse to one ([`super::train::labels_of_classes`]). Such a head's suggestion
    /// follows the suggested klasse. Empty in files written before it existed.
    #[serde(default)]
    pub follows_klasse:
        std::collections::BTreeMap<HeadKind, std::collections::BTreeMap<String, String>>,
    /// Whether each head's logits are standardised per document before its temperature
    /// ([`super::classifier::standardised`]); false in files written before it existed.
    #[serde(default)]
    pub standardised_logits: bool,
    /// How the validation split the heads were calibrated on was drawn (`None` in files
    /// written before it was recorded: one case folder in five).
    #[serde(default)]
    pub validation_split: Option<ValidationSplit>,
    /// The catalogue class each export klasse the catalogue does not know was matched to by
    /// title ([`super::catalogue_match`]), whose rules fill in what the export does not teach.
    #[serde(default)]
    pub catalogue_classes: std::collections::BTreeMap<String, CatalogueMatch>,
    /// What `train` kept of the documents it read under a per-klasse cap or a memory budget
    /// ([`super::sample_cap`]); `None` when every document was kept.
    #[serde(default)]
    pub sample: Option<super::sample_cap::SampleRecord>,
    /// The reviewers' decisions learned from (`train --decisions`): how many were used and
    /// skipped, the files and their checksums, and the weight a decided document got.
    #[serde(default)]
    pub decisions: Option<crate::decisions::Applied>,
}

impl Classifier {
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
            let k = h.info.kind.as_str();
            let parts = std::iter::once((format!("head.{k}"), &h.model)).chain(
                h.embedding_model
                    .iter()
                    .map(|m| (format!("head.{k}.embedding"), m)),
            );
            for (name, model) in parts {
                let width = model.sparse_dims + model.dense_dims;
                put(
                    format!("{name}.weight"),
                    vec![width, model.classes],
                    &model.weights,
                );
                put(format!("{name}.bias"), vec![model.classes], &model.bias);
            }
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
            "ngrams.idf".into(),
            vec![self.ngram_idf.len()],
            &self.ngram_idf,
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
            let model = |name: &str, sparse_dims: usize, dense_dims: usize| {
                Ok::<_, ClassifierError>(SoftmaxHead {
                    classes,
                    sparse_dims,
                    dense_dims,
                    weights: tensor(
                        &format!("{name}.weight"),
                        &[sparse_dims + dense_dims, classes],
                    )?,
                    bias: tensor(&format!("{name}.bias"), &[classes])?,
                })
            };
            let name = format!("head.{k}");
            heads.push(match info.fusion {
                // A fused head: each family's weights apart.
                Some(_) => TrainedHead {
                    model: model(&name, sparse, 0)?,
                    embedding_model: Some(model(&format!("{name}.embedding"), 0, dense)?),
                    info: info.clone(),
                },
                None => TrainedHead {
                    model: model(&name, sparse, dense)?,
                    embedding_model: None,
                    info: info.clone(),
                },
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
        // Files written before n-gram weights existed have none: n-grams unweighted.
        let ngram_idf = match st.tensor("ngrams.idf") {
            Ok(t) => tensor("ngrams.idf", t.shape())?,
            Err(_) => Vec::new(),
        };
        Ok(Classifier {
            ngram_idf,
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
