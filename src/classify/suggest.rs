//! Suggestions from a trained classifier into a review row: top-k per head with calibrated
//! scores, the retention's basis, the screening, the evidence, what disagrees with the export,
//! and why a person should look.
//!
//! Review reasons added here: `<head>_uncertain` (the top score is under the head's review
//! threshold), `disagrees_with_export`, `retention_disagrees_with_catalogue` (the learned
//! retention differs from the catalogue rule of the suggested klasse) and
//! `screening_disagrees` (the learned head says open, the personal-data rules say screen; the
//! rule's suggestion stands, since screening errs towards protection).

use super::classifier::{Classifier, TrainedHead};
use super::evidence::{evidence_vector, NEIGHBOURS};
use super::features::SparseVec;
use super::labels::{parse_retention, HeadKind, NOT_SCREENED};
use crate::output::schema::{Candidate, KlasseEvidence};
use crate::output::ReviewRow;

/// Candidates listed per head (`*_top`), with a classifier or from the catalogue alone.
pub const TOP_K: usize = 3;

/// Fills the suggestion columns of `row` from the classifier. `threshold` overrides every
/// head's stored review threshold.
pub fn suggest(
    classifier: &Classifier,
    row: &mut ReviewRow,
    ngrams: &SparseVec,
    embedding: Option<&[f32]>,
    threshold: Option<f32>,
) {
    let Some(features) = classifier.features(ngrams, embedding) else {
        return;
    };
    let mut disagrees = Vec::new();
    for head in &classifier.heads {
        let kind = head.info.kind;
        let ranked = classifier.rank(head, &features);
        let Some(&(best, score)) = ranked.first() else {
            continue;
        };
        let key = head.info.labels.labels[best].key.as_str();
        match threshold.or(head.info.review_threshold) {
            Some(t) if score >= t => {}
            _ => row
                .review_reasons
                .push(format!("{}_uncertain", kind.as_str())),
        }
        if kind.label_of(&row.noark).is_some_and(|l| l.key != key) {
            disagrees.push(kind.as_str().to_string());
        }
        let top = || candidates(classifier, head, &ranked);
        match kind {
            HeadKind::Klasse => {
                row.klasse_suggested = Some(key.to_string());
                row.klasse_score = Some(score);
                row.klasse_top = Some(top());
            }
            HeadKind::Series => {
                row.series_suggested = Some(key.to_string());
                row.series_score = Some(score);
                row.series_top = Some(top());
            }
            HeadKind::Retention => {
                let (vedtak, years) = parse_retention(key);
                row.retention_suggested = Some(vedtak.to_string());
                row.retention_years = years;
                row.retention_basis = Some("learned".into());
                row.retention_score = Some(score);
            }
            HeadKind::Screening => {
                let screen = key != NOT_SCREENED;
                if !screen && row.skjerming_suggested == Some(true) {
                    row.review_reasons.push("screening_disagrees".into());
                } else {
                    row.skjerming_suggested = Some(screen);
                    row.skjerming_hjemmel_suggested = screen.then(|| key.to_string());
                    row.skjerming_score = Some(score);
                }
            }
        }
    }
    catalogue_retention(classifier, row);
    if !disagrees.is_empty() {
        row.review_reasons.push("disagrees_with_export".into());
    }
    row.disagrees_with_export = disagrees;
    let use_embedding = classifier.header.features.embedding();
    if let Some(v) = evidence_vector(use_embedding, ngrams, embedding) {
        row.klasse_evidence = Some(
            classifier
                .evidence
                .nearest(&v, NEIGHBOURS)
                .into_iter()
                .map(|n| KlasseEvidence {
                    doc_id: n.doc.doc_id,
                    title: n.doc.title,
                    klasse_id: n.doc.klasse,
                    similarity: n.similarity,
                })
                .collect(),
        );
    }
}

/// The catalogue's retention rule for the suggested klasse: the suggestion when no retention
/// was learned, a review reason when it differs from the learned one.
fn catalogue_retention(classifier: &Classifier, row: &mut ReviewRow) {
    let Some(rule) = row
        .klasse_suggested
        .as_deref()
        .and_then(|k| classifier.catalog.class(k))
        .and_then(|c| c.retention.as_ref())
    else {
        return;
    };
    let vedtak = rule.vedtak.as_noark();
    let years = rule.years.map(|y| y.min(i32::MAX as u32) as i32);
    match row.retention_suggested.as_deref() {
        None => {
            row.retention_suggested = Some(vedtak.to_string());
            row.retention_years = years;
            row.retention_basis = Some("catalogue".into());
            row.retention_score = row.klasse_score;
        }
        Some(learned) => {
            let learned_years = row.retention_years.filter(|&y| y > 0);
            if learned != vedtak || learned_years != years.filter(|&y| y > 0) {
                row.review_reasons
                    .push("retention_disagrees_with_catalogue".into());
            }
        }
    }
}

/// The top [`TOP_K`] of a ranking as candidates, titled from the labels or the catalogue.
fn candidates(
    classifier: &Classifier,
    head: &TrainedHead,
    ranked: &[(usize, f32)],
) -> Vec<Candidate> {
    ranked
        .iter()
        .take(TOP_K)
        .map(|&(i, score)| {
            let label = &head.info.labels.labels[i];
            let title = label.title.clone().or_else(|| {
                (head.info.kind == HeadKind::Klasse)
                    .then(|| {
                        classifier
                            .catalog
                            .class(&label.key)
                            .map(|c| c.title.clone())
                    })
                    .flatten()
            });
            Candidate {
                id: label.key.clone(),
                title,
                score,
            }
        })
        .collect()
}
