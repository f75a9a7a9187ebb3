//! Hashed character n-grams: the fast text features of the classifier heads.
//!
//! Norwegian case text is built of long compounds (`byggesaksbehandling`,
//! `barneverntjenesten`); character n-grams see the parts of a compound without a word list,
//! and hashing them into a fixed number of buckets needs no vocabulary to store. A text is
//! lower-cased, each word is padded with a space on both sides, every n-gram of
//! [`NgramFeaturizer::min_n`]..=[`NgramFeaturizer::max_n`] characters is hashed (FNV-1a) into
//! one of `2^bits` buckets, counts are damped (`1 + ln tf`) and the vector is L2-normalised.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// A sparse feature vector: bucket indices (ascending, unique) and their values.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SparseVec {
    /// Bucket indices, ascending.
    pub indices: Vec<u32>,
    /// Values, one per index.
    pub values: Vec<f32>,
}

/// Settings of the n-gram features; stored with a trained classifier, so the same text gives
/// the same vector at training and at prediction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NgramFeaturizer {
    /// Buckets: `2^bits`.
    pub bits: u32,
    /// Shortest n-gram, in characters.
    pub min_n: usize,
    /// Longest n-gram, in characters.
    pub max_n: usize,
    /// Characters of text read at most (the start of a long document says what it is).
    pub max_chars: usize,
}

impl Default for NgramFeaturizer {
    fn default() -> Self {
        NgramFeaturizer {
            bits: 16,
            min_n: 3,
            max_n: 5,
            max_chars: 20_000,
        }
    }
}

impl NgramFeaturizer {
    /// The number of buckets.
    pub fn dims(&self) -> usize {
        1 << self.bits
    }

    /// The feature vector of `text`. An empty text gives an empty vector.
    pub fn featurize(&self, text: &str) -> SparseVec {
        let mask = (1u64 << self.bits) - 1;
        let mut counts: HashMap<u32, f32> = HashMap::new();
        let mut word: Vec<char> = Vec::with_capacity(32);
        let mut push_word = |word: &mut Vec<char>| {
            if word.is_empty() {
                return;
            }
            let padded: Vec<char> = std::iter::once(' ')
                .chain(word.drain(..))
                .chain(std::iter::once(' '))
                .collect();
            for n in self.min_n..=self.max_n {
                for gram in padded.windows(n) {
                    let h = fnv1a(gram) & mask;
                    *counts.entry(h as u32).or_insert(0.0) += 1.0;
                }
            }
        };
        for c in text.chars().take(self.max_chars) {
            if c.is_alphanumeric() {
                word.extend(c.to_lowercase());
            } else {
                push_word(&mut word);
            }
        }
        push_word(&mut word);
        let mut entries: Vec<(u32, f32)> = counts
            .into_iter()
            .map(|(i, tf)| (i, 1.0 + tf.ln()))
            .collect();
        entries.sort_unstable_by_key(|&(i, _)| i);
        let norm = entries.iter().map(|(_, v)| v * v).sum::<f32>().sqrt();
        let scale = if norm > 0.0 { 1.0 / norm } else { 0.0 };
        SparseVec {
            indices: entries.iter().map(|&(i, _)| i).collect(),
            values: entries.iter().map(|&(_, v)| v * scale).collect(),
        }
    }
}

/// FNV-1a over the characters' UTF-8 bytes: stable across runs and platforms (a classifier
/// saved today must featurise the same way next year).
fn fnv1a(gram: &[char]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut buf = [0u8; 4];
    for c in gram {
        for &b in c.encode_utf8(&mut buf).as_bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_text_same_vector_and_unit_length() {
        let f = NgramFeaturizer::default();
        let a = f.featurize("Søknad om byggetillatelse, Kirkevegen 12");
        assert_eq!(a, f.featurize("søknad OM byggetillatelse; kirkevegen 12"));
        let norm: f32 = a.values.iter().map(|v| v * v).sum();
        assert!((norm - 1.0).abs() < 1e-5);
        assert!(a.indices.windows(2).all(|w| w[0] < w[1]));
        assert!(a.indices.iter().all(|&i| (i as usize) < f.dims()));
        assert_eq!(f.featurize("  \n").indices.len(), 0);
    }

    #[test]
    fn compounds_share_features_with_their_parts() {
        let f = NgramFeaturizer::default();
        let overlap = |a: &str, b: &str| {
            let (a, b) = (f.featurize(a), f.featurize(b));
            a.indices.iter().filter(|i| b.indices.contains(i)).count()
        };
        assert!(
            overlap("barneverntjenesten", "barnevern") > overlap("barneverntjenesten", "byggesak")
        );
    }

    #[test]
    fn fnv_is_the_published_function() {
        // FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c.
        assert_eq!(fnv1a(&['a']), 0xaf63_dc4c_8601_ec8c);
    }
}
