//! The model benchmark's driver: reads the exports once per embedding model (through the
//! corpus reader, so every candidate sees what a scan sees) and runs every candidate of
//! [`crate::classify::compare`] on the same folds.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::corpus::{read_corpus, CorpusError, CorpusOptions};
use crate::classify::classifier::FeatureSet;
use crate::classify::compare::{
    markdown, run_candidate, run_sklearn, write_parquet, Candidate, CompareError, CompareOptions,
    CompareRow, TIMED_DOCS,
};
use crate::embed::Embedder;

/// Why a comparison stopped.
#[derive(Debug, thiserror::Error)]
pub enum CompareRunError {
    /// An export could not be read.
    #[error(transparent)]
    Corpus(Box<CorpusError>),
    /// A candidate could not be trained or reported.
    #[error(transparent)]
    Compare(#[from] CompareError),
}

impl From<CorpusError> for CompareRunError {
    fn from(e: CorpusError) -> Self {
        CompareRunError::Corpus(Box::new(e))
    }
}

/// Compares n-grams, each model, and each model with n-grams (and the scikit-learn reference)
/// on `exports` — in k folds, or, with `test_exports`, trained on `exports` and tested on
/// `test_exports` (held out) — and writes `compare.md` and `compare.parquet` into `out`.
/// `corpus` gives the extraction settings and the embedding cache.
pub fn compare(
    exports: &[PathBuf],
    test_exports: &[PathBuf],
    models: &[Arc<Embedder>],
    corpus: &CorpusOptions,
    opts: &CompareOptions,
    out: &Path,
) -> Result<Vec<CompareRow>, CompareRunError> {
    std::fs::create_dir_all(out).map_err(|e| CompareError::Io(out.to_path_buf(), e))?;
    let mut opts = opts.clone();
    let read = |embedder: Option<Arc<Embedder>>| -> Result<_, CompareRunError> {
        let options = CorpusOptions {
            ngrams: Some(opts.train.ngrams),
            embedder,
            keep_text: true,
            ..corpus.clone()
        };
        let mut docs = read_corpus(exports, &options)?;
        let train = docs.len();
        if !test_exports.is_empty() {
            docs.extend(read_corpus(test_exports, &options)?);
        }
        Ok((docs, train))
    };
    let (base, train) = read(None)?;
    opts.test_from = (!test_exports.is_empty()).then_some(train);
    let opts = &opts;
    let timed: Vec<String> = base
        .iter()
        .filter(|d| !d.no_text)
        .filter_map(|d| d.text.clone())
        .take(TIMED_DOCS)
        .collect();
    let mut rows = vec![run_candidate(
        &Candidate {
            features: FeatureSet::Ngrams,
            embedder: None,
        },
        &base,
        &timed,
        opts,
    )?];
    for model in models {
        let (with_model, _) = read(Some(model.clone()))?;
        for features in [FeatureSet::Embedding, FeatureSet::Both] {
            let candidate = Candidate {
                features,
                embedder: Some(model.clone()),
            };
            rows.push(run_candidate(&candidate, &with_model, &timed, opts)?);
        }
    }
    if let Some(row) = run_sklearn(&base, &timed, opts)? {
        rows.push(row);
    }
    let md = out.join("compare.md");
    std::fs::write(&md, markdown(&rows, opts)).map_err(|e| CompareError::Io(md, e))?;
    write_parquet(&rows, &out.join("compare.parquet")).map_err(CompareError::from)?;
    Ok(rows)
}
