//! Reading exports into a labelled dataset for `train`, `eval` and `compare`: every document
//! read the way a scan reads it (the same extraction, the same embedding stage and cache).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::{process, worker_pool, ScanOptions};
use crate::classify::dataset::{ngram_text, title_of, CorpusDoc};
use crate::classify::features::{NgramFeaturizer, SparseVec};
use crate::embed::cache::EmbeddingCache;
use crate::embed::stage::{EmbedStage, StageError};
use crate::embed::{EmbedError, Embedder};
use crate::extract::Limits;
use crate::output::ReviewRow;
use crate::source::paths::Resolver;
use crate::source::{open_export, DocRef, SourceError, SourceItem};

/// Documents extracted and embedded together.
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
    /// The worker pool could not start.
    #[error("cannot start worker threads: {0}")]
    Threads(String),
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
    /// Worker threads (default: all cores).
    pub threads: Option<usize>,
    /// Keep the n-gram text (title + text, up to the featuriser's `max_chars`) in each
    /// document, for an external reference model.
    pub keep_text: bool,
}

/// Reads every document of `exports`, in export order.
pub fn read_corpus(
    exports: &[PathBuf],
    opts: &CorpusOptions,
) -> Result<Vec<CorpusDoc>, CorpusError> {
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
    let mut out = Vec::new();
    for export_path in exports {
        let export = open_export(export_path)?;
        let resolver = Resolver::new(&export.root).map_err(|source| SourceError::Io {
            path: export.root.clone(),
            source,
        })?;
        let scan_opts = ScanOptions {
            limits: opts.limits,
            ..ScanOptions::new(export_path, Path::new(""))
        };
        let mut chunk: Vec<DocRef> = Vec::with_capacity(CHUNK);
        let mut documents = export.documents()?;
        loop {
            let item = documents.next().transpose()?;
            let at_end = item.is_none();
            if let Some(SourceItem::Doc(doc)) = item {
                chunk.push(*doc);
            }
            if chunk.len() >= CHUNK || (at_end && !chunk.is_empty()) {
                let docs = std::mem::take(&mut chunk);
                pool.install(|| {
                    read_chunk(docs, &resolver, &scan_opts, opts, stage.as_mut(), &mut out)
                })?;
            }
            if at_end {
                break;
            }
        }
    }
    Ok(out)
}

/// Extracts and featurises one chunk in parallel, then embeds it.
fn read_chunk(
    docs: Vec<DocRef>,
    resolver: &Resolver,
    scan_opts: &ScanOptions,
    opts: &CorpusOptions,
    stage: Option<&mut EmbedStage>,
    out: &mut Vec<CorpusDoc>,
) -> Result<(), CorpusError> {
    let max_chars = opts
        .ngrams
        .map_or(NgramFeaturizer::default().max_chars, |f| f.max_chars);
    let processed: Vec<(ReviewRow, Option<String>, SparseVec, Option<String>)> = docs
        .par_iter()
        .map(|doc| {
            let p = process(doc, resolver, scan_opts);
            let gram_text = ngram_text(&p.row.noark, p.text.as_deref(), max_chars);
            let ngrams = match &opts.ngrams {
                Some(f) => f.featurize(&gram_text),
                None => SparseVec::default(),
            };
            let text = match (&opts.embedder, p.text) {
                (Some(e), Some(t)) => Some(e.relevant_prefix(&t).to_string()),
                _ => None,
            };
            (p.row, text, ngrams, opts.keep_text.then_some(gram_text))
        })
        .collect();
    let mut batch: Vec<(ReviewRow, Option<String>)> = Vec::with_capacity(processed.len());
    let mut rest = Vec::with_capacity(processed.len());
    for (row, text, grams, kept) in processed {
        let no_text = !row.extract_status.is_some_and(|s| s.has_text());
        batch.push((row, text));
        rest.push((grams, kept, no_text));
    }
    let vectors = match stage {
        Some(stage) => stage.run(&mut batch)?,
        None => vec![None; batch.len()],
    };
    for (((row, _), (ngrams, text, no_text)), embedding) in batch.into_iter().zip(rest).zip(vectors)
    {
        out.push(CorpusDoc {
            doc_id: row.doc_id,
            title: title_of(&row.noark).map(str::to_string),
            meta: row.noark,
            ngrams,
            embedding,
            no_text,
            text,
        });
    }
    Ok(())
}
