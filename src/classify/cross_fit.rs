//! Learning from the export being scanned, cross-fitted: a kommune's first scan of an export
//! that is already classified suggests in the export's own klasse ids and series, and finds
//! the documents filed under the wrong one — without any document being judged by a model that
//! saw it.
//!
//! The export's documents are split into [`FOLDS`] folds by case folder (a case's documents
//! are near-copies of each other, so they stay together); each fold's documents are judged by
//! a classifier trained on the other folds.

use rayon::prelude::*;

use super::classifier::{Classifier, ClassifierError, TrainSettings};
use super::dataset::{bucket, split_group, CorpusDoc};
use crate::source::NoarkMeta;

/// Folds of a cross-fitted classifier.
pub const FOLDS: usize = 5;

/// One classifier per fold of an export, each trained without its fold.
#[derive(Debug)]
pub struct CrossFitted {
    /// The classifiers, by fold.
    pub folds: Vec<Classifier>,
    /// The seed of the folds.
    pub seed: u64,
}

impl CrossFitted {
    /// Trains [`FOLDS`] classifiers on `corpus` (n-gram features), each without one fold.
    pub fn train(corpus: &[CorpusDoc], settings: &TrainSettings) -> Result<Self, ClassifierError> {
        let seed = settings.seed;
        let fold_of: Vec<usize> = corpus
            .iter()
            .map(|d| bucket(split_group(d), seed, FOLDS))
            .collect();
        let folds = (0..FOLDS)
            .into_par_iter()
            .map(|f| {
                let train: Vec<&CorpusDoc> = corpus
                    .iter()
                    .zip(&fold_of)
                    .filter(|(_, &k)| k != f)
                    .map(|(d, _)| d)
                    .collect();
                Classifier::train(&train, None, settings)
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(CrossFitted { folds, seed })
    }

    /// The classifier that judges the document `doc_id` with `meta`: the one trained without
    /// its case folder's fold.
    pub fn for_document(&self, meta: &NoarkMeta, doc_id: &str) -> &Classifier {
        let group = meta.mappe_id.as_deref().unwrap_or(doc_id);
        &self.folds[bucket(group, self.seed, self.folds.len())]
    }

    /// Any fold's classifier (they share their feature settings): for featurising.
    pub fn any(&self) -> &Classifier {
        &self.folds[0]
    }
}
