//! A labelled dataset: the documents a classifier learns from or is measured on, each with
//! its labels (the Noark metadata) and features. Pure data: `pipeline::corpus` reads exports
//! into it the way a scan reads them, so a classifier sees at training exactly what it will see
//! in a scan.
//!
//! Training needs all examples at once, so a dataset is held in memory: per document its
//! metadata, a sparse n-gram vector and an embedding (~10 KB), never its text.

use super::features::SparseVec;
use crate::source::NoarkMeta;

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
