//! Classification: what is suggested for a document, as typed [`suggestion::Suggestions`]
//! (the pipeline turns them into review columns). Without a trained classifier, a scan
//! suggests from the catalogue (`crate::catalog`) alone ([`zero_shot`]).
//!
//! A [`classifier`] is trained ([`train`]) from a [`dataset`] of documents already classified (the
//! pipeline reads exports into it as a scan reads them) and saved ([`classifier_file`]): [`labels`] takes the labels from the
//! Noark metadata, [`features`] makes hashed character n-grams, [`head`] trains a multinomial
//! logistic regression per field (per feature family, combined by [`fusion`]), and
//! [`calibrate`] scales its scores on the split [`validation_split`] draws;
//! [`catalogue_match`] gives an export's own classes the catalogue's rules by title; [`suggest`] makes its
//! suggestions, with [`evidence`] from the nearest training documents; [`metrics`] and
//! [`eval`] measure it against an export's labels; [`compare`] benchmarks feature families
//! side by side on the same folds; [`summary`] is what `train` prints about a classifier;
//! [`cross_fit`] learns from the very export being scanned, each document judged by a model
//! that did not see its case; [`sample_cap`] caps the documents per klasse held while training
//! reads a history too large for memory.
//! This module never reads exports itself.

pub mod calibrate;
pub mod catalogue_match;
pub mod classifier;
pub mod classifier_file;
pub mod compare;
pub mod cross_fit;
pub mod dataset;
pub mod eval;
pub mod evidence;
pub mod features;
pub mod fusion;
pub mod head;
pub mod labels;
pub mod metrics;
pub mod sample_cap;
pub mod suggest;
pub mod suggestion;
pub mod summary;
pub mod train;
pub mod validation_split;
pub mod zero_shot;
