//! `arkivar compare`: the model benchmark. Every candidate — n-grams alone, each embedding
//! model alone, each model with n-grams — is trained and tested on the same seeded k folds
//! (split by case folder), exactly as `train` would train it, and measured on one head:
//! accuracy, macro-F1, top-3, ECE, coverage at 95% precision, training time, documents/s at
//! inference (featurisation included: n-grams, the embedding model, the head) and size.
//!
//! Beside them, one external reference on the same folds: scikit-learn's TF-IDF +
//! LogisticRegression (`benches/sklearn_reference.py`, run with the Python given when
//! scikit-learn is installed there), the tool a data scientist would reach for first.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use arrow::array::{ArrayRef, Float64Array, StringArray, UInt64Array};
use arrow::datatypes::{DataType, Field, Schema};
use serde::{Deserialize, Serialize};

use super::classifier::{Classifier, ClassifierError, FeatureSet, TrainSettings};
use super::dataset::{bucket, split_group, CorpusDoc};
use super::eval::{score_corpus, write_table, ReportError};
use super::labels::HeadKind;
use super::metrics::{evaluate, Quality, Scored};
use crate::embed::Embedder;

/// The reference script, carried in the binary so `compare` works from any directory.
pub const SKLEARN_SCRIPT: &str = include_str!("../../benches/sklearn_reference.py");

/// Documents whose inference is timed per candidate.
pub const TIMED_DOCS: usize = 128;

/// One candidate: a feature family and, for embeddings, the model.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// What is read.
    pub features: FeatureSet,
    /// The embedding model (for `Embedding` and `Both`).
    pub embedder: Option<Arc<Embedder>>,
}

impl Candidate {
    /// `ngrams`, `<model>`, or `ngrams+<model>`.
    pub fn name(&self) -> String {
        let model = self
            .embedder
            .as_ref()
            .map_or(String::new(), |e| e.model_id());
        match self.features {
            FeatureSet::Ngrams => "ngrams".into(),
            FeatureSet::Embedding => model,
            FeatureSet::Both => format!("ngrams+{model}"),
        }
    }
}

/// One line of the comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompareRow {
    /// The candidate.
    pub candidate: String,
    /// Quality over all folds (each document tested once, in its fold).
    #[serde(flatten)]
    pub quality: Quality,
    /// Mean seconds to train one fold.
    pub train_seconds: f64,
    /// Documents per second at inference, from text (featurisation included).
    pub docs_per_second: f64,
    /// Size of the trained classifier file, MB.
    pub classifier_mb: f64,
    /// Size of the embedding model's weights, MB (0 for none).
    pub encoder_mb: f64,
}

/// How to compare.
#[derive(Debug, Clone)]
pub struct CompareOptions {
    /// Folds.
    pub folds: usize,
    /// Held-out mode: the documents from this index of the corpus on are the test set and the
    /// ones before it the training set (`compare TRAIN… --test TEST…`); `None`: k folds.
    pub test_from: Option<usize>,
    /// Seed of the folds.
    pub seed: u64,
    /// The head measured.
    pub head: HeadKind,
    /// Training settings (features are set per candidate).
    pub train: TrainSettings,
    /// A Python with scikit-learn for the reference; `None`: no reference.
    pub python: Option<PathBuf>,
    /// A folder for scratch files (trained classifiers, the reference's input).
    pub scratch: PathBuf,
}

/// Why a comparison stopped.
#[derive(Debug, thiserror::Error)]
pub enum CompareError {
    /// Training failed.
    #[error(transparent)]
    Classifier(#[from] ClassifierError),
    /// A report could not be written.
    #[error(transparent)]
    Report(#[from] ReportError),
    /// A scratch file could not be written.
    #[error("{0}: {1}")]
    Io(PathBuf, std::io::Error),
}

/// Runs one candidate over the folds of `corpus` (documents in corpus order; each candidate's
/// corpus must hold the same documents). `timed` are texts (title + text) for the speed run.
pub fn run_candidate(
    candidate: &Candidate,
    corpus: &[CorpusDoc],
    timed: &[String],
    opts: &CompareOptions,
) -> Result<CompareRow, CompareError> {
    let folds = fold_of(corpus, opts);
    let tested = tested_folds(opts);
    let mut settings = opts.train.clone();
    settings.features = candidate.features;
    // A head the klasse decides follows the suggested klasse (`Classifier::following_klasse`),
    // as in a scan: measure it so.
    settings.heads = if opts.head == HeadKind::Klasse {
        vec![HeadKind::Klasse]
    } else {
        vec![HeadKind::Klasse, opts.head]
    };
    let mut scored: Vec<Scored> = Vec::new();
    let mut train_seconds = 0.0;
    let mut last: Option<Classifier> = None;
    for f in 0..tested {
        let train: Vec<&CorpusDoc> = corpus
            .iter()
            .zip(&folds)
            .filter(|(_, &k)| k != f)
            .map(|(d, _)| d)
            .collect();
        let test: Vec<&CorpusDoc> = corpus
            .iter()
            .zip(&folds)
            .filter(|(_, &k)| k == f)
            .map(|(d, _)| d)
            .collect();
        if train.is_empty() || test.is_empty() {
            continue;
        }
        let started = Instant::now();
        let c = Classifier::train(&train, candidate.embedder.as_deref(), &settings)?;
        train_seconds += started.elapsed().as_secs_f64();
        scored.extend(score_corpus(&c, opts.head, &test).0);
        last = Some(c);
    }
    let Some(mut classifier) = last else {
        return Err(
            ClassifierError::NothingToLearn("no fold has documents on both sides".into()).into(),
        );
    };
    let path = opts.scratch.join("_compare_classifier.safetensors");
    classifier.save(&path)?;
    let classifier_mb = std::fs::metadata(&path).map_or(0.0, |m| m.len() as f64 / 1e6);
    let _ = std::fs::remove_file(&path);
    let docs_per_second = time_inference(&classifier, candidate, timed);
    Ok(CompareRow {
        candidate: candidate.name(),
        quality: evaluate(&scored).quality,
        train_seconds: train_seconds / tested.max(1) as f64,
        docs_per_second,
        classifier_mb,
        encoder_mb: candidate
            .embedder
            .as_ref()
            .map_or(0.0, |e| e.weights_bytes() as f64 / 1e6),
    })
}

/// Each document's fold: by case folder, seeded; held out, fold 0 is the test set and
/// fold 1 the training set.
fn fold_of(corpus: &[CorpusDoc], opts: &CompareOptions) -> Vec<usize> {
    match opts.test_from {
        Some(t) => (0..corpus.len()).map(|i| usize::from(i < t)).collect(),
        None => corpus
            .iter()
            .map(|d| bucket(split_group(d), opts.seed, opts.folds))
            .collect(),
    }
}

/// The folds tested in turn: all k, or the one held-out test set.
fn tested_folds(opts: &CompareOptions) -> usize {
    if opts.test_from.is_some() {
        1
    } else {
        opts.folds
    }
}

/// Documents/s from text to suggestion: n-grams, embedding (no cache), head.
fn time_inference(classifier: &Classifier, candidate: &Candidate, texts: &[String]) -> f64 {
    if texts.is_empty() {
        return 0.0;
    }
    let started = Instant::now();
    let embeddings: Vec<Option<Vec<f32>>> =
        match (&candidate.embedder, candidate.features.embedding()) {
            (Some(e), true) => {
                let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
                match e.embed_batch(&refs) {
                    Ok(v) => v.into_iter().map(|e| Some(e.vector)).collect(),
                    Err(_) => return 0.0,
                }
            }
            _ => vec![None; texts.len()],
        };
    let ngrams = classifier.header.ngrams;
    for (text, e) in texts.iter().zip(&embeddings) {
        let grams = if candidate.features.ngrams() {
            ngrams.featurize(text)
        } else {
            Default::default()
        };
        if let (Some(f), Some(head)) = (
            classifier.features(&grams, e.as_deref()),
            classifier.heads.first(),
        ) {
            std::hint::black_box(classifier.rank(head, &f));
        }
    }
    texts.len() as f64 / started.elapsed().as_secs_f64().max(1e-9)
}

/// Runs the scikit-learn reference on the same folds; `Ok(None)` with a notice on stderr when
/// Python or scikit-learn is not there.
pub fn run_sklearn(
    corpus: &[CorpusDoc],
    timed: &[String],
    opts: &CompareOptions,
) -> Result<Option<CompareRow>, CompareError> {
    let Some(python) = &opts.python else {
        return Ok(None);
    };
    let has_sklearn = std::process::Command::new(python)
        .args(["-c", "import sklearn, numpy"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_sklearn {
        eprintln!(
            "compare: scikit-learn reference skipped: {} cannot import sklearn (pip install scikit-learn)",
            python.display()
        );
        return Ok(None);
    }
    let folds = fold_of(corpus, opts);
    let io = |p: &Path| {
        let p = p.to_path_buf();
        move |e| CompareError::Io(p, e)
    };
    let input = opts.scratch.join("_sklearn_input.jsonl");
    let script = opts.scratch.join("_sklearn_reference.py");
    let mut lines = String::new();
    for (doc, fold) in corpus.iter().zip(&folds) {
        let Some(label) = opts.head.label_of(&doc.meta) else {
            continue;
        };
        let line = serde_json::json!({
            "text": doc.text.as_deref().unwrap_or(""),
            "label": label.key,
            "fold": fold,
        });
        let _ = writeln!(lines, "{line}");
    }
    std::fs::write(&input, lines).map_err(io(&input))?;
    let timed_path = opts.scratch.join("_sklearn_timed.json");
    std::fs::write(&timed_path, serde_json::to_vec(timed).unwrap_or_default())
        .map_err(io(&timed_path))?;
    std::fs::write(&script, SKLEARN_SCRIPT).map_err(io(&script))?;
    let output = std::process::Command::new(python)
        .arg(&script)
        .arg(&input)
        .arg(&timed_path)
        .arg(tested_folds(opts).to_string())
        .output()
        .map_err(io(python));
    for p in [&input, &script, &timed_path] {
        let _ = std::fs::remove_file(p);
    }
    let output = output?;
    if !output.status.success() {
        eprintln!(
            "compare: scikit-learn reference failed: {}",
            String::from_utf8_lossy(&output.stderr)
                .lines()
                .last()
                .unwrap_or("")
        );
        return Ok(None);
    }
    match serde_json::from_slice::<CompareRow>(&output.stdout) {
        Ok(row) => Ok(Some(row)),
        Err(e) => {
            eprintln!("compare: scikit-learn reference printed no result: {e}");
            Ok(None)
        }
    }
}

/// The rows as a Markdown table.
pub fn markdown(rows: &[CompareRow], opts: &CompareOptions) -> String {
    let tested = rows.first().map_or(0, |r| r.quality.documents);
    let mut s = match opts.test_from {
        Some(train) => format!(
            "Head `{}`, trained on the training exports ({train} documents), tested on the \
             held-out test exports ({tested} documents with a label).\n\n",
            opts.head.as_str()
        ),
        None => format!(
            "Head `{}`, {}-fold cross-validation (folds by case folder), {tested} documents.\n\n",
            opts.head.as_str(),
            opts.folds
        ),
    };
    s.push_str("| candidate | accuracy | macro-F1 | top-3 | ECE | coverage @95% | train s/fold | docs/s | classifier MB | encoder MB |\n");
    s.push_str("|---|---|---|---|---|---|---|---|---|---|\n");
    for r in rows {
        let _ = writeln!(
            s,
            "| {} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.1} | {:.0} | {:.1} | {:.0} |",
            r.candidate,
            r.quality.accuracy,
            r.quality.macro_f1,
            r.quality.top3_accuracy,
            r.quality.ece,
            r.quality.coverage_at_95,
            r.train_seconds,
            r.docs_per_second,
            r.classifier_mb,
            r.encoder_mb
        );
    }
    s
}

/// Writes the rows as Parquet.
pub fn write_parquet(rows: &[CompareRow], path: &Path) -> Result<(), ReportError> {
    let f = |name: &str| Field::new(name, DataType::Float64, false);
    let schema = Schema::new(vec![
        Field::new("candidate", DataType::Utf8, false),
        Field::new("documents", DataType::UInt64, false),
        f("accuracy"),
        f("macro_f1"),
        f("top3_accuracy"),
        f("ece"),
        f("coverage_at_95"),
        f("train_seconds"),
        f("docs_per_second"),
        f("classifier_mb"),
        f("encoder_mb"),
    ]);
    let col = |g: fn(&CompareRow) -> f64| -> ArrayRef {
        Arc::new(rows.iter().map(g).collect::<Float64Array>())
    };
    let arrays: Vec<ArrayRef> = vec![
        Arc::new(
            rows.iter()
                .map(|r| Some(r.candidate.as_str()))
                .collect::<StringArray>(),
        ),
        Arc::new(
            rows.iter()
                .map(|r| r.quality.documents as u64)
                .collect::<UInt64Array>(),
        ),
        col(|r| r.quality.accuracy),
        col(|r| r.quality.macro_f1),
        col(|r| r.quality.top3_accuracy),
        col(|r| r.quality.ece),
        col(|r| r.quality.coverage_at_95),
        col(|r| r.train_seconds),
        col(|r| r.docs_per_second),
        col(|r| r.classifier_mb),
        col(|r| r.encoder_mb),
    ];
    write_table(path, schema, arrays)
}
