//! A labelled corpus: every document of one or more exports with its labels and features,
//! read the same way a scan reads it (the same extraction, the same embedding stage and
//! cache), so a classifier sees at training exactly what it will see in a scan.
//!
//! Training needs all examples at once, so a corpus is held in memory: per document its
//! metadata, a sparse n-gram vector and an embedding (~10 KB), never its text. Documents are
//! read a chunk at a time, so the texts in flight stay bounded.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::features::{NgramFeaturizer, SparseVec};
use crate::embed::cache::EmbeddingCache;
use crate::embed::stage::{EmbedStage, StageError};
use crate::embed::{EmbedError, Embedder};
use crate::extract::Limits;
use crate::output::ReviewRow;
use crate::pipeline::{process, worker_pool, ScanOptions};
use crate::source::paths::Resolver;
use crate::source::{open_export, DocRef, NoarkMeta, SourceError, SourceItem};

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

/// One document of a corpus.
#[derive(Debug, Clone)]
pub struct CorpusDoc {
    /// The scan's `doc_id`.
    pub doc_id: String,
    /// Its title (dokumentbeskrivelse, else registrering).
    pub title: Option<String>,
    /// What the export says about it: the labels.
    pub meta: NoarkMeta,
    /// Hashed n-grams of title + text (empty when not asked for, or nothing to read).
    pub ngrams: SparseVec,
    /// The text's embedding, when asked for and the document has text.
    pub embedding: Option<Vec<f32>>,
    /// The exported file is damaged, missing or has no text layer.
    pub no_text: bool,
    /// Title + text as the n-grams read it, when asked for (`keep_text`).
    pub text: Option<String>,
}

/// The document's title as the classifier reads it: dokumentbeskrivelse, else registrering.
pub fn title_of(meta: &NoarkMeta) -> Option<&str> {
    meta.document_title
        .as_deref()
        .or(meta.registrering_title.as_deref())
        .filter(|t| !t.trim().is_empty())
}

/// The text the n-gram features read: the title, then the text.
pub fn ngram_text(meta: &NoarkMeta, text: Option<&str>, max_chars: usize) -> String {
    let mut s = String::new();
    if let Some(t) = title_of(meta) {
        s.push_str(t);
        s.push('\n');
    }
    if let Some(text) = text {
        s.extend(text.chars().take(max_chars));
    }
    s
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

/// A stable group id for splitting: documents of the same case (saksmappe) are near-copies of
/// each other, so they go to the same side of a split, or a classifier would be scored on
/// what it has seen.
pub fn split_group(doc: &CorpusDoc) -> &str {
    doc.meta.mappe_id.as_deref().unwrap_or(&doc.doc_id)
}

/// A number in `0..n` for `group`, stable for a seed (FNV-1a over seed and group).
pub fn bucket(group: &str, seed: u64, n: usize) -> usize {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    for b in group.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    // Finalise (splitmix64's mixer), so that near-equal groups spread.
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^= h >> 31;
    (h % n.max(1) as u64) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_stable_and_spread() {
        let mut counts = [0usize; 5];
        for i in 0..5000 {
            let g = format!("2021/{i}");
            let b = bucket(&g, 7, 5);
            assert_eq!(b, bucket(&g, 7, 5));
            counts[b] += 1;
        }
        assert!(
            counts.iter().all(|&c| (800..1200).contains(&c)),
            "{counts:?}"
        );
        assert_ne!(
            (0..50)
                .map(|i| bucket(&i.to_string(), 1, 5))
                .collect::<Vec<_>>(),
            (0..50)
                .map(|i| bucket(&i.to_string(), 2, 5))
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn ngram_text_is_title_then_text() {
        let meta = NoarkMeta {
            registrering_title: Some("Søknad om".into()),
            ..NoarkMeta::default()
        };
        assert_eq!(ngram_text(&meta, Some("abcdef"), 3), "Søknad om\nabc");
        assert_eq!(ngram_text(&NoarkMeta::default(), None, 3), "");
    }
}
