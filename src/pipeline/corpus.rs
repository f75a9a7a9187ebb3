//! Reading exports into a labelled dataset for `train`, `eval` and `compare`: every document
//! read the way a scan reads it — the same driver, extraction, embedding stage and cache — so
//! a classifier sees at training exactly what it will see in a scan. Only the stages training
//! uses run: no personal-data detection, no review rows.

use std::path::PathBuf;
use std::sync::Arc;

use super::document::{embed_text, read_document};
use super::drive::{drive, worker_pool, DriveFailure, Selection, Work};
use super::memory::{MemoryBudget, DEFAULT_BUDGET};
use crate::classify::dataset::{ngram_text, title_of, CorpusDoc};
use crate::classify::features::{NgramFeaturizer, SparseVec};
use crate::classify::sample_cap::{CappedSample, SampleLimits, SampleRecord};
use crate::embed::cache::EmbeddingCache;
use crate::embed::stage::{EmbedInput, EmbedStage, StageError};
use crate::embed::{EmbedError, Embedder};
use crate::extract::Limits;
use crate::source::{open_export, DocRef, SourceError};

/// Documents embedded together.
const CHUNK: usize = 256;

/// Why a corpus could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    /// The export cannot be read.
    #[error(transparent)]
    Source(#[from] SourceError),
    /// The embedding cache cannot be opened.
    #[error("embedding cache: {0}")]
    Cache(#[from] EmbedError),
    /// The model failed.
    #[error("embedding stage: {0}")]
    Embed(#[from] StageError),
    /// The worker pool could not start, or a thread of it panicked.
    #[error("worker threads: {0}")]
    Threads(String),
}

impl From<DriveFailure> for CorpusError {
    fn from(p: DriveFailure) -> Self {
        CorpusError::Threads(p.to_string())
    }
}

/// What to compute for every document.
#[derive(Debug, Clone, Default)]
pub struct CorpusOptions {
    /// N-gram features of title + text; `None`: none.
    pub ngrams: Option<NgramFeaturizer>,
    /// The embedding model; `None`: no embeddings.
    pub embedder: Option<Arc<Embedder>>,
    /// The embedding cache folder, if any.
    pub embed_cache: Option<PathBuf>,
    /// Per-document extraction limits.
    pub limits: Limits,
    /// Bytes all documents being read at once may hold together (see [`super::memory`]);
    /// `None`: [`super::memory::DEFAULT_BUDGET`].
    pub memory: Option<u64>,
    /// Worker threads (default: all cores).
    pub threads: Option<usize>,
    /// Keep the n-gram text (title + text, up to the featuriser's `max_chars`) in each
    /// document, for an external reference model.
    pub keep_text: bool,
}

/// One document after the workers: the dataset entry but its embedding, and the text the
/// embedding model reads.
struct Read {
    doc: CorpusDoc,
    embed_text: Option<String>,
}

/// Reads every document of `exports`, in export order.
pub fn read_corpus(
    exports: &[PathBuf],
    opts: &CorpusOptions,
) -> Result<Vec<CorpusDoc>, CorpusError> {
    let mut out = Vec::new();
    read_into(exports, opts, &mut |doc| out.push(doc))?;
    Ok(out)
}

/// Reads `exports` keeping at most what `limits` allow ([`crate::classify::sample_cap`]):
/// memory holds the kept documents, never the whole corpus; the documents `keep` (decided by a
/// reviewer) are kept whatever the cap. The kept documents come in export order.
pub fn read_corpus_capped(
    exports: &[PathBuf],
    opts: &CorpusOptions,
    limits: SampleLimits,
    keep: impl IntoIterator<Item = String>,
) -> Result<(Vec<CorpusDoc>, SampleRecord), CorpusError> {
    let mut sample = CappedSample::new(limits).pinning(keep);
    read_into(exports, opts, &mut |doc| sample.push(doc))?;
    Ok(sample.finish())
}

/// Reads every document of `exports`, in export order, into `keep`.
fn read_into(
    exports: &[PathBuf],
    opts: &CorpusOptions,
    keep: &mut dyn FnMut(CorpusDoc),
) -> Result<(), CorpusError> {
    let pool = worker_pool(opts.threads).map_err(CorpusError::Threads)?;
    let mut stage = match &opts.embedder {
        Some(e) => {
            let cache = opts
                .embed_cache
                .as_ref()
                .map(EmbeddingCache::open)
                .transpose()?;
            Some(EmbedStage::new(e.clone(), cache))
        }
        None => None,
    };
    let max_chars = opts
        .ngrams
        .map_or(NgramFeaturizer::default().max_chars, |f| f.max_chars);
    let budget = MemoryBudget::new(opts.memory.unwrap_or(DEFAULT_BUDGET));
    for export_path in exports {
        let export = open_export(export_path)?;
        let resolver = export.resolver()?;
        let mut chunk: Vec<Read> = Vec::with_capacity(CHUNK);
        let report = drive(
            &pool,
            &export,
            Selection::all(),
            None,
            Work {
                run: |doc: Box<DocRef>| {
                    let read = read_document(&doc, &resolver, &opts.limits, &budget);
                    let e = &read.extracted;
                    let text = e.status.has_text().then_some(e.text.as_str());
                    let gram_text = ngram_text(&doc.noark, text, max_chars);
                    let ngrams = match &opts.ngrams {
                        Some(f) => f.featurize(&gram_text),
                        None => SparseVec::default(),
                    };
                    let embed_text = embed_text(opts.embedder.as_deref(), text);
                    let doc = *doc;
                    Read {
                        doc: CorpusDoc {
                            title: title_of(&doc.noark).map(str::to_string),
                            doc_id: doc.doc_id,
                            meta: doc.noark,
                            ngrams,
                            embedding: None,
                            no_text: text.is_none(),
                            text: opts.keep_text.then_some(gram_text),
                        },
                        embed_text,
                    }
                },
                on_panic: |doc: Box<DocRef>| Read {
                    doc: CorpusDoc {
                        title: title_of(&doc.noark).map(str::to_string),
                        doc_id: doc.doc_id,
                        meta: doc.noark,
                        ngrams: SparseVec::default(),
                        embedding: None,
                        no_text: true,
                        text: None,
                    },
                    embed_text: None,
                },
            },
            |read| {
                chunk.push(read);
                if chunk.len() >= CHUNK {
                    embed_chunk(&mut chunk, stage.as_mut(), keep)?;
                }
                Ok::<(), CorpusError>(())
            },
        )?;
        embed_chunk(&mut chunk, stage.as_mut(), keep)?;
        if let Some(e) = report.error {
            return Err(e.into());
        }
    }
    Ok(())
}

/// Embeds the documents of `chunk` (when there is a model) and hands them to `keep`.
fn embed_chunk(
    chunk: &mut Vec<Read>,
    stage: Option<&mut EmbedStage>,
    keep: &mut dyn FnMut(CorpusDoc),
) -> Result<(), CorpusError> {
    let outcomes = match stage {
        Some(stage) => {
            let inputs: Vec<EmbedInput<'_>> = chunk
                .iter()
                .map(|r| EmbedInput {
                    doc_id: &r.doc.doc_id,
                    text: r.embed_text.as_deref(),
                })
                .collect();
            stage.run(&inputs)?
        }
        None => Vec::new(),
    };
    let mut outcomes = outcomes.into_iter();
    for mut read in chunk.drain(..) {
        read.doc.embedding = outcomes.next().flatten().map(|o| o.vector);
        keep(read.doc);
    }
    Ok(())
}
