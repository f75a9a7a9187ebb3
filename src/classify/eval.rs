//! `arkivar eval`: a classifier against the labels an export already has, per head — printed
//! as a table, written as JSON and as Parquet (one row per head, one per class).

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use arrow::array::{ArrayRef, Float64Array, StringArray, UInt64Array};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;
use serde::{Deserialize, Serialize};

use super::classifier::Classifier;
use super::dataset::CorpusDoc;
use super::labels::HeadKind;
use super::metrics::{accepted_at, evaluate, HeadMetrics, Scored};
use crate::output::parquet::{write_batches, NO_METADATA};

/// One head's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeadEval {
    /// The field.
    pub head: HeadKind,
    /// Documents with a label but no suggestion (nothing to read).
    pub unsuggested: usize,
    /// The metrics over documents with a label and a suggestion.
    pub metrics: HeadMetrics,
    /// The classifier's review threshold (or the override).
    pub review_threshold: Option<f32>,
    /// Share of documents at or above the threshold: accepted without review.
    pub accepted_share: f64,
    /// How often those are right.
    pub accepted_precision: Option<f64>,
}

/// The whole evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvalReport {
    /// SHA-256 of the classifier file.
    pub classifier_sha256: String,
    /// Documents read.
    pub documents: usize,
    /// Per head.
    pub heads: Vec<HeadEval>,
}

/// Every labelled document's ranked suggestion (top 3) for `kind`; the second value counts
/// labelled documents the classifier could not read.
pub fn score_corpus(
    classifier: &Classifier,
    kind: HeadKind,
    docs: &[&CorpusDoc],
) -> (Vec<Scored>, usize) {
    let Some(head) = classifier.head(kind) else {
        return (Vec::new(), 0);
    };
    let mut scored = Vec::new();
    let mut unsuggested = 0;
    for doc in docs {
        let Some(label) = kind.label_of(&doc.meta) else {
            continue;
        };
        let Some(f) = classifier.features(&doc.ngrams, doc.embedding.as_deref()) else {
            unsuggested += 1;
            continue;
        };
        // A head the klasse decides follows the klasse, as in a scan.
        let following = classifier
            .head(HeadKind::Klasse)
            .and_then(|k| classifier.following_klasse(kind, &classifier.rank(k, &f)));
        let ranked = match following {
            Some(series) => series.into_iter().take(3).collect(),
            None => classifier
                .rank(head, &f)
                .into_iter()
                .take(3)
                .map(|(i, p)| (head.info.labels.labels[i].key.clone(), p))
                .collect(),
        };
        scored.push(Scored {
            truth: label.key,
            ranked,
        });
    }
    (scored, unsuggested)
}

/// Evaluates `classifier` on `corpus`; `threshold` overrides the stored review thresholds.
pub fn evaluate_classifier(
    classifier: &Classifier,
    corpus: &[CorpusDoc],
    threshold: Option<f32>,
) -> EvalReport {
    let docs: Vec<&CorpusDoc> = corpus.iter().collect();
    let heads = classifier
        .heads
        .iter()
        .map(|h| {
            let (scored, unsuggested) = score_corpus(classifier, h.info.kind, &docs);
            let review_threshold = threshold.or(h.info.review_threshold);
            let (accepted_share, accepted_precision) = match review_threshold {
                Some(t) => accepted_at(&scored, t),
                None => (0.0, None),
            };
            HeadEval {
                head: h.info.kind,
                unsuggested,
                metrics: evaluate(&scored),
                review_threshold,
                accepted_share,
                accepted_precision,
            }
        })
        .collect();
    EvalReport {
        classifier_sha256: classifier.sha256.clone(),
        documents: corpus.len(),
        heads,
    }
}

impl fmt::Display for EvalReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} documents; classifier {}",
            self.documents,
            short(&self.classifier_sha256)
        )?;
        writeln!(
            f,
            "{:<10} {:>6} {:>8} {:>8} {:>6} {:>6} {:>8} {:>9} {:>9}",
            "head",
            "docs",
            "accuracy",
            "macro-F1",
            "top-3",
            "ECE",
            "cov@95%",
            "threshold",
            "accepted"
        )?;
        for h in &self.heads {
            let m = &h.metrics;
            writeln!(
                f,
                "{:<10} {:>6} {:>8.3} {:>8.3} {:>6.3} {:>6.3} {:>8.3} {:>9} {:>9}",
                h.head.as_str(),
                m.quality.documents,
                m.quality.accuracy,
                m.quality.macro_f1,
                m.quality.top3_accuracy,
                m.quality.ece,
                m.quality.coverage_at_95,
                h.review_threshold.map_or("-".into(), |t| format!("{t:.3}")),
                match h.accepted_precision {
                    Some(p) => format!("{:.0}%@{:.2}", 100.0 * h.accepted_share, p),
                    None => "0%".into(),
                },
            )?;
        }
        for h in &self.heads {
            writeln!(
                f,
                "\n{} per class (precision / recall / support):",
                h.head.as_str()
            )?;
            for c in &h.metrics.per_class {
                writeln!(
                    f,
                    "  {:<40} {:>6.3} {:>6.3} {:>6}",
                    clip(&c.key, 40),
                    c.precision,
                    c.recall,
                    c.support
                )?;
            }
            if !h.metrics.confused.is_empty() {
                writeln!(f, "  most confused (export → suggested):")?;
                for c in h.metrics.confused.iter().take(5) {
                    writeln!(f, "    {} → {}: {}", c.truth, c.predicted, c.count)?;
                }
            }
        }
        Ok(())
    }
}

fn short(sha: &str) -> &str {
    sha.get(..12).unwrap_or(sha)
}

fn clip(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

/// Why a report could not be written.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct ReportError {
    /// The file.
    pub path: std::path::PathBuf,
    /// What went wrong.
    pub message: String,
}

impl EvalReport {
    /// Writes the report as pretty JSON.
    pub fn write_json(&self, path: &Path) -> Result<(), ReportError> {
        let err = |message: String| ReportError {
            path: path.to_path_buf(),
            message,
        };
        let json = serde_json::to_vec_pretty(self).map_err(|e| err(e.to_string()))?;
        std::fs::write(path, json).map_err(|e| err(e.to_string()))
    }

    /// Writes the report as Parquet: a row per head (`class` null; accuracy, macro-F1, top-3,
    /// ECE, coverage) and a row per class of each head (precision, recall, F1, support).
    pub fn write_parquet(&self, path: &Path) -> Result<(), ReportError> {
        let mut head = Vec::new();
        let mut class: Vec<Option<String>> = Vec::new();
        let mut docs = Vec::new();
        let mut cols: [Vec<Option<f64>>; 8] = Default::default();
        for h in &self.heads {
            let m = &h.metrics;
            head.push(h.head.as_str());
            class.push(None);
            docs.push(m.quality.documents as u64);
            let values = [
                Some(m.quality.accuracy),
                Some(m.quality.macro_f1),
                Some(m.quality.top3_accuracy),
                Some(m.quality.ece),
                Some(m.quality.coverage_at_95),
                None,
                None,
                None,
            ];
            for (c, v) in cols.iter_mut().zip(values) {
                c.push(v);
            }
            for c in &m.per_class {
                head.push(h.head.as_str());
                class.push(Some(c.key.clone()));
                docs.push(c.support as u64);
                let values = [
                    None,
                    None,
                    None,
                    None,
                    None,
                    Some(c.precision),
                    Some(c.recall),
                    Some(c.f1),
                ];
                for (col, v) in cols.iter_mut().zip(values) {
                    col.push(v);
                }
            }
        }
        let names = [
            "accuracy",
            "macro_f1",
            "top3_accuracy",
            "ece",
            "coverage_at_95",
            "precision",
            "recall",
            "f1",
        ];
        let mut fields = vec![
            Field::new("head", DataType::Utf8, false),
            Field::new("class", DataType::Utf8, true),
            Field::new("documents", DataType::UInt64, false),
        ];
        fields.extend(
            names
                .iter()
                .map(|n| Field::new(*n, DataType::Float64, true)),
        );
        let mut arrays: Vec<ArrayRef> = vec![
            Arc::new(StringArray::from(head)),
            Arc::new(StringArray::from(class)),
            Arc::new(UInt64Array::from(docs)),
        ];
        arrays.extend(
            cols.into_iter()
                .map(|c| Arc::new(Float64Array::from(c)) as ArrayRef),
        );
        write_table(path, Schema::new(fields), arrays)
    }
}

/// Writes one record batch to a Parquet file (with the settings of every table,
/// [`write_batches`]).
pub fn write_table(path: &Path, schema: Schema, arrays: Vec<ArrayRef>) -> Result<(), ReportError> {
    let err = |message: String| ReportError {
        path: path.to_path_buf(),
        message,
    };
    let schema = Arc::new(schema);
    let batch = RecordBatch::try_new(schema.clone(), arrays).map_err(|e| err(e.to_string()))?;
    write_batches(path, schema, &[batch], NO_METADATA).map_err(|e| {
        // The report error names the path already: keep the cause alone.
        err(std::error::Error::source(&e).map_or_else(|| e.to_string(), ToString::to_string))
    })
}
