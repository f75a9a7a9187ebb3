//! # arkivar
//!
//! Local, open classification of Norwegian municipal archives. arkivar reads a Noark 5
//! extraction (or a folder of documents), extracts the text of every document, and writes one
//! row per document to a Parquet review table, with the suggestions of its later stages.
//!
//! The stages are separate modules so a test or a benchmark can run one alone:
//!
//! | stage | module |
//! |---|---|
//! | source (export → [`source::DocRef`]s) | [`source`] |
//! | extract (bytes → text) | [`extract`] |
//! | personal data (text → masked findings, screening) | [`pii`] |
//! | embed (texts → L2-normalised vectors) | [`embed`] |
//! | classify (catalogue, suggestions) | [`classify`] |
//! | output (rows → Parquet) | [`output`] |
//! | wiring, progress, resume | [`pipeline`] |
//! | reviewers' decisions fed back into training | [`decisions`] |
//! | what is in an export and what is wrong with it | [`inspect`] |
//! | synthetic exports for tests and benchmarks | [`synth`] |

#![warn(missing_docs)]

pub mod catalog;
pub mod classify;
pub mod decisions;
pub mod embed;
pub mod extract;
pub mod inspect;
pub mod output;
pub mod pii;
pub mod pipeline;
pub mod review;
pub mod source;
pub mod synth;
mod xml;
