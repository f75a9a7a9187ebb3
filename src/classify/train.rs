//! Training a [`Classifier`]: the validation split ([`validation_split`]: the latest period or
//! case folders), one head per field trained on the rest (a fused classifier: one per feature
//! family, combined by [`super::fusion`]), each head's temperature, fusion and review
//! threshold fitted on the validation split, after which the heads learn from every document;
//! the embedding standardisation, and the evidence kept from the training documents.

use std::collections::BTreeMap;
use std::time::Instant;

use rayon::prelude::*;

use super::calibrate::{expected_calibration_error, fit_temperature};
use super::catalogue_match::TitleMatcher;
use super::classifier::{
    calibration_input, idf, rank, Classifier, ClassifierError, FeatureSet, TrainedHead,
};
use super::classifier_file::{EmbeddingRef, HeadInfo, Header, FORMAT, FORMAT_VERSION};
use super::dataset::CorpusDoc;
use super::evidence::{evidence_vector, EvidenceDoc, EvidenceIndex};
use super::features::NgramFeaturizer;
use super::fusion::Fusion;
use super::head::{Features, SoftmaxHead, TrainOptions};
use super::labels::{HeadKind, LabelMap};
use super::metrics::{confident_threshold, evaluate, Scored, TARGET_PRECISION};
use super::sample_cap::SampleRecord;
use super::validation_split;
use crate::catalog::Catalog;
use crate::embed::Embedder;
use crate::source::NoarkMeta;

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
    /// About one document in this many goes to the validation split
    /// ([`validation_split::split`]: the latest period, or case folders drawn at random).
    pub validation_every: usize,
    /// Training documents kept as evidence at most.
    pub evidence_max: usize,
    /// The catalogue as TOML (the classifier carries it).
    pub catalog_toml: String,
    /// Where the examples came from, for the header.
    pub exports: Vec<String>,
    /// The heads to train (those without labels are skipped anyway).
    pub heads: Vec<HeadKind>,
    /// What a capped read of the exports kept (`None`: every document was read into memory).
    pub sample: Option<SampleRecord>,
    /// Documents whose labels a reviewer decided (`--decisions`): each is learned from
    /// [`crate::decisions::DECISION_WEIGHT`] times.
    pub decided: std::collections::HashSet<String>,
    /// What the decisions did, for the header.
    pub decisions: Option<crate::decisions::Applied>,
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
            sample: None,
            decided: Default::default(),
            decisions: None,
        }
    }
}

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
                follows_klasse: [HeadKind::Series, HeadKind::Retention, HeadKind::Screening]
                    .into_iter()
                    .map(|kind| {
                        (
                            kind,
                            labels_of_classes(kind, corpus.iter().map(|d| &d.meta)),
                        )
                    })
                    .filter(|(_, labels)| !labels.is_empty())
                    .collect(),
                standardised_logits: true,
                validation_split: None,
                catalogue_classes: BTreeMap::new(),
                sample: settings.sample.clone(),
                decisions: settings.decisions.clone(),
            },
            heads: Vec::new(),
            dense_mean,
            dense_scale,
            evidence: EvidenceIndex::default(),
            catalog,
            sha256: String::new(),
            ngram_idf: Vec::new(),
        };
        if settings.features.ngrams() {
            classifier.ngram_idf = idf(corpus.iter().map(|d| &d.ngrams), settings.ngrams.dims());
        }
        let features: Vec<Option<Features>> = corpus
            .iter()
            .map(|d| classifier.features(&d.ngrams, d.embedding.as_deref()))
            .collect();
        // Fused (both families): each family's head learns from its own part.
        let families: Vec<Vec<Option<Features>>> = if settings.features == FeatureSet::Both {
            vec![
                features
                    .iter()
                    .map(|f| f.as_ref().map(Features::ngrams_only))
                    .collect(),
                features
                    .iter()
                    .map(|f| f.as_ref().map(Features::embedding_only))
                    .collect(),
            ]
        } else {
            vec![features]
        };
        let (how, validation) =
            validation_split::split(corpus, settings.seed, settings.validation_every);
        classifier.header.validation_split = Some(how);
        // Copies of each document in training: a reviewer's decision counts more.
        let copies: Vec<usize> = corpus
            .iter()
            .map(|d| {
                if settings.decided.contains(&d.doc_id) {
                    crate::decisions::DECISION_WEIGHT
                } else {
                    1
                }
            })
            .collect();
        let results: Vec<(HeadKind, Result<TrainedHead, String>)> = settings
            .heads
            .par_iter()
            .map(|&kind| {
                let r = classifier.train_head(
                    kind,
                    corpus,
                    &families,
                    (&validation, &copies),
                    &settings.head,
                );
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
        if let Some(klasse) = classifier.head(HeadKind::Klasse) {
            let labels = klasse.info.labels.labels.iter();
            classifier.header.catalogue_classes = TitleMatcher::new(&classifier.catalog)
                .match_classes(labels.map(|l| (l.key.as_str(), l.title.as_deref())));
        }
        classifier.build_evidence(corpus, settings.evidence_max);
        classifier.header.train_seconds = started.elapsed().as_secs_f64();
        Ok(classifier)
    }

    /// Trains one head: a model per feature family in `families` (two: fused), calibrated
    /// on the validation split; `split` says per document whether it is in the validation
    /// split and how many times it is learned from.
    fn train_head(
        &self,
        kind: HeadKind,
        corpus: &[&CorpusDoc],
        families: &[Vec<Option<Features>>],
        split: (&[bool], &[usize]),
        options: &TrainOptions,
    ) -> Result<TrainedHead, String> {
        let (validation, copies) = split;
        let learned = |of: &[(usize, usize)]| -> Vec<(usize, usize)> {
            of.iter()
                .flat_map(|&(i, y)| std::iter::repeat_n((i, y), copies[i]))
                .collect()
        };
        let mut labels = LabelMap::default();
        // (document index, class) of each labelled document with features.
        let mut train: Vec<(usize, usize)> = Vec::new();
        let mut val: Vec<(usize, usize)> = Vec::new();
        for (i, (doc, &is_val)) in corpus.iter().zip(validation).enumerate() {
            let has_features = families.iter().all(|f| f[i].is_some());
            let Some(label) = kind.label_of(&doc.meta).filter(|_| has_features) else {
                continue;
            };
            let y = labels.index_or_insert(&label);
            if is_val {
                val.push((i, y));
            } else {
                train.push((i, y));
            }
        }
        // A split with no training side (a tiny export): learn from everything, calibrate on
        // nothing, and leave every suggestion to review.
        if train.is_empty() {
            std::mem::swap(&mut train, &mut val);
        }
        let fused = families.len() == 2;
        let classes = labels.len();
        let fit = |of: &[(usize, usize)]| {
            families
                .iter()
                .enumerate()
                .map(|(k, family)| {
                    // A fused head's second family reads the embedding alone.
                    let (sparse, dense) = match (fused, k) {
                        (true, 0) => (self.sparse_dims(), 0),
                        (true, _) => (0, self.dense_dims()),
                        _ => (self.sparse_dims(), self.dense_dims()),
                    };
                    SoftmaxHead::train(
                        &examples(family, of),
                        classes,
                        sparse,
                        dense,
                        &options.for_head(classes, sparse > 0),
                    )
                    .map_err(|e| e.to_string())
                })
                .collect::<Result<Vec<_>, _>>()
        };
        let documents = train.len() + val.len();
        let mut models = fit(&learned(&train))?;
        let ys: Vec<usize> = val.iter().map(|(_, y)| *y).collect();
        // Each family's calibration input on the validation split.
        let family_logits: Vec<Vec<Vec<f32>>> = models
            .iter()
            .zip(families)
            .map(|(model, family)| {
                examples(family, &val)
                    .iter()
                    .map(|(f, _)| calibration_input(model.logits(f), true))
                    .collect()
            })
            .collect();
        let (fusion, logits) = match family_logits.as_slice() {
            [ngrams, embedding] => {
                let fusion = Fusion::fit(ngrams, embedding, &ys);
                let fused = ngrams
                    .iter()
                    .zip(embedding)
                    .map(|(a, b)| fusion.combine(a, b))
                    .collect();
                (Some(fusion), fused)
            }
            _ => (None, family_logits.into_iter().next().unwrap_or_default()),
        };
        let mut info = HeadInfo {
            kind,
            labels,
            temperature: 1.0,
            review_threshold: None,
            train_examples: documents,
            validation_examples: val.len(),
            ece_uncalibrated: None,
            validation: None,
            fusion,
        };
        if !val.is_empty() {
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
            info.review_threshold = confident_threshold(&scores, &right, TARGET_PRECISION);
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
            // Calibrated on the held-out split, the heads now learn from every document: the
            // latest period is the nearest to the next export, and leaving it out cost the
            // real Strand screening titles 0.05 of accuracy (0.927 → 0.874) on held-out cases.
            train.extend_from_slice(&val);
            models = fit(&learned(&train))?;
        }
        let embedding_model = if fused { models.pop() } else { None };
        let model = models
            .pop()
            .ok_or_else(|| "no feature family to learn from".to_string())?;
        Ok(TrainedHead {
            info,
            model,
            embedding_model,
        })
    }

    fn build_evidence(&mut self, corpus: &[&CorpusDoc], max: usize) {
        let use_embedding = self.header.features.embedding();
        let step = corpus.len().div_ceil(max.max(1)).max(1);
        for doc in corpus.iter().step_by(step) {
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
}

/// The examples `of` (document index, class) with their features in `family`.
fn examples<'a>(
    family: &'a [Option<Features>],
    of: &[(usize, usize)],
) -> Vec<(&'a Features, usize)> {
    of.iter()
        .filter_map(|&(i, y)| family[i].as_ref().map(|f| (f, y)))
        .collect()
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

/// The share of a klasse's documents that must share one label of another head for the klasse
/// to decide it: a few misfiled documents do not undo the klassifikasjonssystem.
pub const FOLLOWS_KLASSE_SHARE: f64 = 0.95;

/// The `kind` label each klasse decides, learned from labelled documents: a klasse decides the
/// label of at least [`FOLLOWS_KLASSE_SHARE`] of its documents (its series — the arkivdel its
/// klassifikasjonssystem hangs under —, its retention, its screening). Classes whose documents
/// differ are left out; their documents keep the head's own suggestion.
pub fn labels_of_classes<'a>(
    kind: HeadKind,
    docs: impl Iterator<Item = &'a NoarkMeta>,
) -> BTreeMap<String, String> {
    let mut counts: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for meta in docs {
        let (Some(k), Some(l)) = (HeadKind::Klasse.label_of(meta), kind.label_of(meta)) else {
            continue;
        };
        *counts.entry(k.key).or_default().entry(l.key).or_default() += 1;
    }
    counts
        .into_iter()
        .filter_map(|(klasse, by_label)| {
            let total: usize = by_label.values().sum();
            let (label, n) = by_label.into_iter().max_by_key(|(_, n)| *n)?;
            (n as f64 >= FOLLOWS_KLASSE_SHARE * total as f64).then_some((klasse, label))
        })
        .collect()
}

#[cfg(test)]
mod series_tests {
    use super::*;

    fn meta(klasse: &str, series: &str) -> NoarkMeta {
        NoarkMeta {
            klasse_id: Some(klasse.into()),
            arkivdel_title: Some(series.into()),
            ..NoarkMeta::default()
        }
    }

    #[test]
    fn a_klasse_belongs_to_the_series_of_nearly_all_its_documents() {
        let mut docs = vec![meta("F47", "Byggesak"); 40];
        docs.push(meta("F47", "Sakarkiv")); // one misfiled document
        docs.extend(vec![meta("A10", "Sakarkiv"); 3]);
        docs.extend(vec![meta("X", "Sakarkiv"), meta("X", "Byggesak")]);
        let map = labels_of_classes(HeadKind::Series, docs.iter());
        assert_eq!(map.get("F47").map(String::as_str), Some("Byggesak"));
        assert_eq!(map.get("A10").map(String::as_str), Some("Sakarkiv"));
        assert!(!map.contains_key("X"), "used across series");
    }
}
