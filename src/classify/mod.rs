//! Classification: what is suggested and the rules behind it. The catalogue (series, classes,
//! retention and screening rules) is data, loaded here ([`catalog`]). Without a trained
//! classifier, a scan suggests from the catalogue alone ([`zero_shot`]).
//!
//! A trained [`classifier`] learns from an export whose documents are already classified:
//! [`corpus`] reads the export as a scan does, [`labels`] takes the labels from the Noark
//! metadata, [`features`] makes hashed character n-grams, [`head`] trains a multinomial logistic
//! regression per field and [`calibrate`] scales its scores; [`suggest`] puts its suggestions,
//! with [`evidence`] from the nearest training documents, into a scan's rows; [`metrics`] and
//! [`eval`] measure it against an export's labels; [`compare`] benchmarks feature families
//! side by side on the same folds; [`summary`] is what `train` prints about a classifier.

pub mod calibrate;
pub mod classifier;
pub mod compare;
pub mod dataset;
pub mod eval;
pub mod evidence;
pub mod features;
pub mod head;
pub mod labels;
pub mod metrics;
pub mod suggest;
pub mod summary;
pub mod zero_shot;
