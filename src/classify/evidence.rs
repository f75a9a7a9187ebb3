//! Evidence for a suggestion: the training documents most like the one under review, so a
//! reviewer sees *why* a klasse was suggested ("filed like these three").
//!
//! Similarity is the cosine of document embeddings when the classifier reads embeddings;
//! otherwise of the n-gram vectors, folded from their buckets into [`FOLDED_DIMS`] signed
//! dimensions (a second feature hashing: cheap, and close enough to rank neighbours).

use serde::{Deserialize, Serialize};

use super::features::SparseVec;

/// Dimensions of a folded n-gram vector.
pub const FOLDED_DIMS: usize = 256;
/// Neighbours shown per document.
pub const NEIGHBOURS: usize = 3;

/// A training document as evidence is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceDoc {
    /// Its `doc_id` in the training export.
    pub doc_id: String,
    /// Its title.
    pub title: Option<String>,
    /// The klasse it was filed in.
    pub klasse: Option<String>,
}

/// One neighbour found: a training document and its similarity.
#[derive(Debug, Clone, PartialEq)]
pub struct Neighbour {
    /// The training document.
    pub doc: EvidenceDoc,
    /// Cosine similarity in `[-1, 1]`.
    pub similarity: f32,
}

/// The training documents' vectors, row-major, unit length.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EvidenceIndex {
    /// The documents, by row.
    pub docs: Vec<EvidenceDoc>,
    /// Vector width.
    pub dim: usize,
    /// `docs.len() × dim` values.
    pub vectors: Vec<f32>,
}

/// The vector a document is compared by: its embedding when `use_embedding`, else its folded
/// n-grams; unit length; `None` when there is nothing to compare.
pub fn evidence_vector(
    use_embedding: bool,
    ngrams: &SparseVec,
    embedding: Option<&[f32]>,
) -> Option<Vec<f32>> {
    let mut v = if use_embedding {
        embedding?.to_vec()
    } else {
        let mut v = vec![0f32; FOLDED_DIMS];
        for (&i, &x) in ngrams.indices.iter().zip(&ngrams.values) {
            let h = (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
            let sign = if h >> 63 == 0 { 1.0 } else { -1.0 };
            v[((h >> 32) as usize) % FOLDED_DIMS] += sign * x;
        }
        v
    };
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm == 0.0 || !norm.is_finite() {
        return None;
    }
    v.iter_mut().for_each(|x| *x /= norm);
    Some(v)
}

impl EvidenceIndex {
    /// Adds a document with its vector (of width [`EvidenceIndex::dim`], or the first sets it).
    pub fn push(&mut self, doc: EvidenceDoc, vector: &[f32]) {
        if self.docs.is_empty() {
            self.dim = vector.len();
        }
        if vector.len() == self.dim {
            self.docs.push(doc);
            self.vectors.extend_from_slice(vector);
        }
    }

    /// The `k` most similar documents, most similar first.
    pub fn nearest(&self, vector: &[f32], k: usize) -> Vec<Neighbour> {
        if vector.len() != self.dim || self.dim == 0 {
            return Vec::new();
        }
        let mut best: Vec<(f32, usize)> = Vec::with_capacity(k + 1);
        for (i, row) in self.vectors.chunks_exact(self.dim).enumerate() {
            let s: f32 = row.iter().zip(vector).map(|(a, b)| a * b).sum();
            if best.len() < k || s > best[best.len() - 1].0 {
                let at = best.partition_point(|&(b, _)| b >= s);
                best.insert(at, (s, i));
                best.truncate(k);
            }
        }
        best.into_iter()
            .map(|(similarity, i)| Neighbour {
                doc: self.docs[i].clone(),
                similarity,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str) -> EvidenceDoc {
        EvidenceDoc {
            doc_id: id.into(),
            title: None,
            klasse: Some("K".into()),
        }
    }

    #[test]
    fn nearest_ranks_by_cosine() {
        let mut index = EvidenceIndex::default();
        index.push(doc("a"), &[1.0, 0.0]);
        index.push(doc("b"), &[0.0, 1.0]);
        index.push(doc("c"), &[0.6, 0.8]);
        index.push(doc("wrong width"), &[1.0]);
        let n = index.nearest(&[0.0, 1.0], 2);
        let ids: Vec<&str> = n.iter().map(|n| n.doc.doc_id.as_str()).collect();
        assert_eq!(ids, ["b", "c"]);
        assert!((n[1].similarity - 0.8).abs() < 1e-6);
        assert!(index.nearest(&[1.0], 2).is_empty());
    }

    #[test]
    fn folded_ngrams_keep_similar_texts_close() {
        let f = super::super::features::NgramFeaturizer::default();
        let v = |t: &str| evidence_vector(false, &f.featurize(t), None).unwrap();
        let cos = |a: &[f32], b: &[f32]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f32>();
        let a = v("Søknad om byggetillatelse for garasje");
        let b = v("Søknad om byggetillatelse for carport");
        let c = v("Innkalling til møte i kommunestyret");
        assert!(cos(&a, &b) > cos(&a, &c) + 0.2);
        assert_eq!(evidence_vector(false, &SparseVec::default(), None), None);
        assert_eq!(evidence_vector(true, &f.featurize("x y z"), None), None);
    }
}
