//! Quality of one head against the labels an export already has: accuracy, macro-F1, top-3
//! accuracy, calibration (ECE), coverage at 95% precision, per-class precision and recall,
//! and the most confused pairs.
//!
//! Definitions follow scikit-learn where it has one (macro-F1 averages over every label that
//! occurs as truth or as prediction; a class never predicted has precision 0).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::calibrate::expected_calibration_error;

/// The precision an accepted suggestion must reach: the review threshold is chosen for it.
pub const TARGET_PRECISION: f64 = 0.95;

/// One document's suggestion for one head, against the export's label.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    /// The label the export gives.
    pub truth: String,
    /// Candidates, best first, with calibrated scores (at least the top one).
    pub ranked: Vec<(String, f32)>,
}

impl Scored {
    /// The top suggestion and its score.
    pub fn top(&self) -> Option<(&str, f32)> {
        self.ranked.first().map(|(k, s)| (k.as_str(), *s))
    }

    /// Whether the top suggestion is the export's label.
    pub fn right(&self) -> bool {
        self.top().is_some_and(|(k, _)| k == self.truth)
    }
}

/// Precision and recall of one class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassMetrics {
    /// The label key.
    pub key: String,
    /// Documents with this label.
    pub support: usize,
    /// Documents suggested this label.
    pub predicted: usize,
    /// Right among the suggested.
    pub precision: f64,
    /// Found among the labelled.
    pub recall: f64,
    /// Harmonic mean of the two.
    pub f1: f64,
}

/// A pair of classes mixed up: documents labelled `truth` suggested as `predicted`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Confusion {
    /// The export's label.
    pub truth: String,
    /// The suggestion.
    pub predicted: String,
    /// How often.
    pub count: usize,
}

/// The summary numbers of one head: what `eval` prints per head and `compare` per candidate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quality {
    /// Documents with a label and a suggestion.
    pub documents: usize,
    /// Share whose top suggestion is right.
    pub accuracy: f64,
    /// Mean F1 over classes.
    pub macro_f1: f64,
    /// Share whose label is among the top three suggestions.
    pub top3_accuracy: f64,
    /// Expected calibration error of the top score.
    pub ece: f64,
    /// The largest share of documents whose suggestions are right ≥ 95% of the time when
    /// accepted from the highest score down: what could go without review.
    pub coverage_at_95: f64,
}

/// Everything measured for one head.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeadMetrics {
    /// The summary numbers.
    #[serde(flatten)]
    pub quality: Quality,
    /// The lowest score of that share (`None`: no share reaches 95%).
    pub threshold_at_95: Option<f32>,
    /// Per class, by key.
    pub per_class: Vec<ClassMetrics>,
    /// The most frequent confusions, most frequent first (at most ten).
    pub confused: Vec<Confusion>,
}

/// The lowest score threshold at which the suggestions scoring at or above it are right at
/// least `target` of the time, taking as many as possible, and the share they cover. Scores
/// are taken from the highest down; ties are taken together.
pub fn threshold_for_precision(scores: &[f32], right: &[bool], target: f64) -> (Option<f32>, f64) {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let (mut best, mut hits) = ((None, 0.0), 0usize);
    let mut i = 0;
    while i < order.len() {
        // Take every prediction with the same score at once.
        let s = scores[order[i]];
        while i < order.len() && scores[order[i]] == s {
            hits += usize::from(right[order[i]]);
            i += 1;
        }
        if hits as f64 >= target * i as f64 {
            best = (Some(s), i as f64 / scores.len() as f64);
        }
    }
    best
}

/// One-sided 95% normal quantile, for [`wilson_lower_bound`].
const Z_95: f64 = 1.645;

/// The lower end of the one-sided 95% Wilson interval of a proportion of `hits` in `n`: the
/// precision one can count on from `n` checked suggestions.
///
/// ```
/// use arkivar::classify::metrics::wilson_lower_bound;
/// assert!(wilson_lower_bound(20, 20) < 0.9); // twenty right of twenty is not 95% for sure
/// assert!(wilson_lower_bound(200, 200) > 0.98);
/// ```
pub fn wilson_lower_bound(hits: usize, n: usize) -> f64 {
    if n == 0 {
        return 0.0;
    }
    let (n, p) = (n as f64, hits as f64 / n as f64);
    let z2 = Z_95 * Z_95;
    let centre = p + z2 / (2.0 * n);
    let spread = Z_95 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    (centre - spread) / (1.0 + z2 / n)
}

/// The review threshold a classifier stores: the lowest score at which the suggestions
/// scoring at or above it are right at least `target` of the time *for sure* — the Wilson
/// lower bound of their precision reaches `target` — so a threshold needs enough validation
/// rows behind it (52 right of 52 for 95%) and is never an artefact of a small, perfect
/// validation set. `None` when no share qualifies: every suggestion is then reviewed.
pub fn confident_threshold(scores: &[f32], right: &[bool], target: f64) -> Option<f32> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let (mut best, mut hits, mut i) = (None, 0usize, 0);
    while i < order.len() {
        let s = scores[order[i]];
        while i < order.len() && scores[order[i]] == s {
            hits += usize::from(right[order[i]]);
            i += 1;
        }
        if wilson_lower_bound(hits, i) >= target {
            best = Some(s);
        }
    }
    best
}

/// Measures `scored` (documents without a suggestion are left out by the caller).
pub fn evaluate(scored: &[Scored]) -> HeadMetrics {
    let n = scored.len();
    let right: Vec<bool> = scored.iter().map(Scored::right).collect();
    let scores: Vec<f32> = scored
        .iter()
        .map(|s| s.top().map_or(0.0, |(_, p)| p))
        .collect();
    let hits = right.iter().filter(|&&r| r).count();
    let top3 = scored
        .iter()
        .filter(|s| s.ranked.iter().take(3).any(|(k, _)| *k == s.truth))
        .count();

    let mut support: BTreeMap<&str, usize> = BTreeMap::new();
    let mut predicted: BTreeMap<&str, usize> = BTreeMap::new();
    let mut correct: BTreeMap<&str, usize> = BTreeMap::new();
    let mut confusions: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for s in scored {
        *support.entry(&s.truth).or_default() += 1;
        predicted.entry(&s.truth).or_default();
        if let Some((p, _)) = s.top() {
            *predicted.entry(p).or_default() += 1;
            support.entry(p).or_default();
            if p == s.truth {
                *correct.entry(p).or_default() += 1;
            } else {
                *confusions.entry((&s.truth, p)).or_default() += 1;
            }
        }
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let per_class: Vec<ClassMetrics> = support
        .iter()
        .map(|(&key, &sup)| {
            let pred = predicted.get(key).copied().unwrap_or(0);
            let ok = correct.get(key).copied().unwrap_or(0);
            let (precision, recall) = (ratio(ok, pred), ratio(ok, sup));
            let f1 = if precision + recall > 0.0 {
                2.0 * precision * recall / (precision + recall)
            } else {
                0.0
            };
            ClassMetrics {
                key: key.to_string(),
                support: sup,
                predicted: pred,
                precision,
                recall,
                f1,
            }
        })
        .collect();
    let macro_f1 = if per_class.is_empty() {
        0.0
    } else {
        per_class.iter().map(|c| c.f1).sum::<f64>() / per_class.len() as f64
    };
    let mut confused: Vec<Confusion> = confusions
        .into_iter()
        .map(|((t, p), count)| Confusion {
            truth: t.to_string(),
            predicted: p.to_string(),
            count,
        })
        .collect();
    confused.sort_by_key(|c| std::cmp::Reverse(c.count));
    confused.truncate(10);
    let (threshold_at_95, coverage_at_95) =
        threshold_for_precision(&scores, &right, TARGET_PRECISION);
    HeadMetrics {
        quality: Quality {
            documents: n,
            accuracy: ratio(hits, n),
            macro_f1,
            top3_accuracy: ratio(top3, n),
            ece: expected_calibration_error(&scores, &right),
            coverage_at_95,
        },
        threshold_at_95,
        per_class,
        confused,
    }
}

/// The share of `scored` at or above `threshold`, and how often those are right (`None`
/// when nothing is accepted).
pub fn accepted_at(scored: &[Scored], threshold: f32) -> (f64, Option<f64>) {
    let accepted: Vec<&Scored> = scored
        .iter()
        .filter(|s| s.top().is_some_and(|(_, p)| p >= threshold))
        .collect();
    let share = accepted.len() as f64 / scored.len().max(1) as f64;
    let precision = (!accepted.is_empty())
        .then(|| accepted.iter().filter(|s| s.right()).count() as f64 / accepted.len() as f64);
    (share, precision)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(truth: &str, ranked: &[(&str, f32)]) -> Scored {
        Scored {
            truth: truth.into(),
            ranked: ranked.iter().map(|(k, p)| (k.to_string(), *p)).collect(),
        }
    }

    /// Five documents whose numbers are worked out by hand below.
    #[test]
    fn five_documents_by_hand() {
        let docs = [
            s("A", &[("A", 0.9), ("B", 0.1)]),
            s("A", &[("B", 0.6), ("A", 0.3), ("C", 0.1)]),
            s("B", &[("B", 0.8), ("A", 0.2)]),
            s("C", &[("C", 0.7), ("A", 0.2)]),
            s("C", &[("A", 0.5), ("B", 0.3), ("D", 0.2)]),
        ];
        let m = evaluate(&docs);
        assert_eq!(m.quality.documents, 5);
        // Right: docs 1, 3, 4.
        assert!((m.quality.accuracy - 0.6).abs() < 1e-12);
        // Top-3 misses only doc 5 (C not among A, B, D).
        assert!((m.quality.top3_accuracy - 0.8).abs() < 1e-12);
        // A: predicted twice (1, 5), right once; support 2, found once → P .5 R .5 F1 .5.
        // B: predicted twice (2, 3), right once; support 1 → P .5 R 1 F1 2/3.
        // C: predicted once, right; support 2 → P 1 R .5 F1 2/3.
        let by = |k: &str| m.per_class.iter().find(|c| c.key == k).unwrap().clone();
        assert_eq!((by("A").precision, by("A").recall), (0.5, 0.5));
        assert_eq!((by("B").precision, by("B").recall), (0.5, 1.0));
        assert_eq!((by("C").precision, by("C").recall), (1.0, 0.5));
        assert_eq!(m.per_class.len(), 3);
        assert!((m.quality.macro_f1 - (0.5 + 2.0 / 3.0 + 2.0 / 3.0) / 3.0).abs() < 1e-12);
        // Scores from the top: .9 ✓, .8 ✓, .7 ✓, .6 ✗, .5 ✗. 95% holds for the first three.
        assert_eq!(m.threshold_at_95, Some(0.7));
        assert!((m.quality.coverage_at_95 - 0.6).abs() < 1e-12);
        assert_eq!(m.confused.len(), 2);
        assert_eq!(accepted_at(&docs, 0.75), (0.4, Some(1.0)));
        assert_eq!(accepted_at(&docs, 0.95), (0.0, None));
        // ECE: bins .9 (1 right), .8 (1 right), .7 (1 right), .6 (0), .5 (0):
        // (|1-.9| + |1-.8| + |1-.7| + .6 + .5) / 5 = 1.7 / 5.
        assert!((m.quality.ece - 0.34).abs() < 1e-6, "{}", m.quality.ece);
    }

    #[test]
    fn no_share_reaching_the_target_gives_no_threshold() {
        assert_eq!(
            threshold_for_precision(&[0.9, 0.8], &[false, true], 0.95),
            (None, 0.0)
        );
        // Ties are taken together: two at .8, one right, is 50%.
        assert_eq!(
            threshold_for_precision(&[0.9, 0.8, 0.8], &[true, true, false], 0.95),
            (Some(0.9), 1.0 / 3.0)
        );
    }
}
