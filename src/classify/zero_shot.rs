//! Suggestions from the catalogue alone, for a kommune with no classified history to learn
//! from yet: a document's embedding is compared with the embedding of each class's title and
//! description, and the nearest classes are suggested.
//!
//! Nothing was learned, so nothing is calibrated: scores are a softmax over cosine
//! similarities, scaled to at most [`MAX_SCORE`], and every such row carries the review reason
//! `catalogue_only`. A trained classifier replaces this.

use std::collections::HashMap;

use super::suggest::TOP_K;
use super::suggestion::{Candidate, Ranked, Retention, RetentionBasis, Suggestions};
use crate::catalog::{Catalog, Class};
use crate::embed::{EmbedError, Embedder};
use crate::review::ReviewReason;

/// The highest score a catalogue-only suggestion can get: a reviewer always looks.
pub const MAX_SCORE: f32 = 0.5;
/// Softmax temperature over cosine similarities (sentence embeddings spread over ~0.1–0.3).
const TEMPERATURE: f32 = 0.05;

/// The catalogue's classes, embedded once per scan.
#[derive(Debug, Clone)]
pub struct CatalogSuggester {
    classes: Vec<Class>,
    vectors: Vec<Vec<f32>>,
    series_titles: HashMap<String, String>,
}

impl CatalogSuggester {
    /// Embeds every class of `catalog` (title and description) with `embedder`.
    pub fn new(catalog: &Catalog, embedder: &Embedder) -> Result<CatalogSuggester, EmbedError> {
        let texts: Vec<String> = catalog
            .classes
            .iter()
            .map(|c| format!("{}. {}", c.title, c.description))
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let vectors = embedder
            .embed_batch(&refs)?
            .into_iter()
            .map(|e| e.vector)
            .collect();
        Ok(CatalogSuggester {
            classes: catalog.classes.clone(),
            vectors,
            series_titles: catalog
                .series
                .iter()
                .map(|s| (s.id.clone(), s.title.clone()))
                .collect(),
        })
    }

    /// Class probabilities for a document vector (same model), in catalogue order, summing
    /// to [`MAX_SCORE`].
    pub fn scores(&self, document: &[f32]) -> Vec<f32> {
        let sims: Vec<f32> = self
            .vectors
            .iter()
            .map(|v| v.iter().zip(document).map(|(a, b)| a * b).sum::<f32>() / TEMPERATURE)
            .collect();
        let max = sims.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let exp: Vec<f32> = sims.iter().map(|s| (s - max).exp()).collect();
        let total: f32 = exp.iter().sum();
        exp.iter().map(|e| MAX_SCORE * e / total).collect()
    }

    /// Suggestions from a document vector: klasse and series (top [`TOP_K`]), and the
    /// retention the catalogue gives the suggested class; always with `catalogue_only`.
    pub fn suggest(&self, document: &[f32]) -> Suggestions {
        let scores = self.scores(document);
        let mut out = Suggestions::default();
        if scores.is_empty() {
            return out;
        }
        let mut order: Vec<usize> = (0..scores.len()).collect();
        order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
        let top: Vec<Candidate> = order
            .iter()
            .take(TOP_K)
            .map(|&i| Candidate {
                id: self.classes[i].id.clone(),
                title: Some(self.classes[i].title.clone()),
                score: scores[i],
            })
            .collect();
        let best = &self.classes[order[0]];
        let klasse_score = scores[order[0]];
        out.klasse = Some(Ranked {
            id: best.id.clone(),
            score: klasse_score,
            top,
        });

        let mut by_series: Vec<(String, f32)> = Vec::new();
        for (class, score) in self.classes.iter().zip(&scores) {
            let Some(series) = &class.series else {
                continue;
            };
            match by_series.iter_mut().find(|(s, _)| s == series) {
                Some((_, total)) => *total += score,
                None => by_series.push((series.clone(), *score)),
            }
        }
        by_series.sort_by(|a, b| b.1.total_cmp(&a.1));
        out.series = by_series.first().map(|(series, score)| Ranked {
            id: series.clone(),
            score: *score,
            top: by_series
                .iter()
                .take(TOP_K)
                .map(|(id, score)| Candidate {
                    id: id.clone(),
                    title: self.series_titles.get(id).cloned(),
                    score: *score,
                })
                .collect(),
        });
        out.retention = best.retention.as_ref().map(|r| Retention {
            vedtak: r.vedtak.as_noark().to_string(),
            years: r.years.map(|y| y.min(i32::MAX as u32) as i32),
            basis: RetentionBasis::Catalogue,
            score: Some(klasse_score),
        });
        out.reasons.push(ReviewReason::CatalogueOnly);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn suggester(vectors: Vec<Vec<f32>>) -> CatalogSuggester {
        let catalog = Catalog::default_catalog();
        CatalogSuggester {
            classes: catalog.classes[..vectors.len()].to_vec(),
            vectors,
            series_titles: HashMap::new(),
        }
    }

    #[test]
    fn scores_favour_the_nearest_class_and_stay_low() {
        let s = suggester(vec![vec![1.0, 0.0], vec![0.0, 1.0], vec![0.6, 0.8]]);
        let scores = s.scores(&[0.0, 1.0]);
        assert!((scores.iter().sum::<f32>() - MAX_SCORE).abs() < 1e-5);
        assert!(scores[1] > scores[2] && scores[2] > scores[0]);
        let out = s.suggest(&[0.0, 1.0]);
        let klasse = out.klasse.unwrap();
        assert_eq!(klasse.id, s.classes[1].id);
        assert_eq!(klasse.top.len(), 3);
        assert!(klasse.score <= MAX_SCORE);
        assert_eq!(out.retention.unwrap().basis, RetentionBasis::Catalogue);
        assert!(out.reasons.contains(&ReviewReason::CatalogueOnly));
    }
}
