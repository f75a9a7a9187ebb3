//! Precision and recall of the personal-data stage against a synthetic export's planted truth
//! (`truth.parquet`, written by [`crate::synth`]).
//!
//! Each document with a text layer is extracted from its file exactly as a scan would, the
//! detectors run on that text, and their findings (score ≥ [`DEFAULT_THRESHOLD`]) are matched
//! to the planted values by kind and value (offsets differ between the canonical text and the
//! extracted one, values do not). Look-alike numbers are planted to be left alone: flagging one
//! as a fødselsnummer counts against precision.

use std::collections::BTreeMap;
use std::io;
use std::path::Path;

use super::screening::review;
use super::{PiiKind, DEFAULT_THRESHOLD};
use crate::catalog::Catalog;
use crate::extract::{extract_bytes, Limits};
use crate::synth::letters::PiiKind as Planted;
use crate::synth::truth::{read_truth, TRUTH_FILE};

/// Counts for one kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Planted items found.
    pub true_positives: u64,
    /// Findings that match nothing planted of their kind.
    pub false_positives: u64,
    /// Planted items not found.
    pub false_negatives: u64,
}

impl Counts {
    /// Share of findings that are right (1 when there are none).
    pub fn precision(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_positives,
        )
    }
    /// Share of planted items found (1 when nothing was planted).
    pub fn recall(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_negatives,
        )
    }
    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// The evaluation of one export.
#[derive(Debug, Clone, Default)]
pub struct PiiEval {
    /// Documents evaluated (those with a text layer that extracted).
    pub documents: u64,
    /// Per planted kind (`fodselsnummer`, `d_nummer`, `navn`, …): item-level counts.
    pub by_kind: BTreeMap<&'static str, Counts>,
    /// Per special category (`helse`, `barnevern`, `sosialhjelp`): document-level counts.
    pub categories: BTreeMap<&'static str, Counts>,
    /// Look-alike numbers planted, and how many were flagged as identity numbers.
    pub lookalikes: (u64, u64),
    /// The errors behind the counts, for whoever tunes a detector: `(kind, "missed" or
    /// "false", value or category, document reference)`. The values are the synthetic
    /// export's planted (fake) data.
    pub errors: Vec<(&'static str, &'static str, String, String)>,
}

impl PiiEval {
    /// Document-level counts of all special categories together.
    pub fn categories_total(&self) -> Counts {
        self.categories
            .values()
            .fold(Counts::default(), |a, c| Counts {
                true_positives: a.true_positives + c.true_positives,
                false_positives: a.false_positives + c.false_positives,
                false_negatives: a.false_negatives + c.false_negatives,
            })
    }
}

impl std::fmt::Display for PiiEval {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "{} documents with text", self.documents)?;
        writeln!(
            f,
            "{:<16} {:>7} {:>5} {:>5} {:>9} {:>7}",
            "kind", "tp", "fp", "fn", "precision", "recall"
        )?;
        let rows = self.by_kind.iter().chain(self.categories.iter());
        for (kind, c) in rows {
            writeln!(
                f,
                "{kind:<16} {:>7} {:>5} {:>5} {:>9.4} {:>7.4}",
                c.true_positives,
                c.false_positives,
                c.false_negatives,
                c.precision(),
                c.recall()
            )?;
        }
        let t = self.categories_total();
        writeln!(f, "special categories, document level: F1 {:.4}", t.f1())?;
        write!(
            f,
            "look-alikes planted {}, flagged {}",
            self.lookalikes.0, self.lookalikes.1
        )
    }
}

/// What the detectors call each planted kind.
fn detector_kind(kind: Planted) -> Option<PiiKind> {
    Some(match kind {
        Planted::Fodselsnummer => PiiKind::Fodselsnummer,
        Planted::DNummer => PiiKind::DNummer,
        Planted::Navn => PiiKind::Navn,
        Planted::Adresse => PiiKind::Adresse,
        Planted::Telefon => PiiKind::Telefon,
        Planted::Epost => PiiKind::Epost,
        Planted::Kontonummer => PiiKind::Kontonummer,
        Planted::Lookalike => return None,
    })
}

/// Values compare without white space and case (extraction may wrap a line inside a value).
fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A finding and a planted value are the same item when one contains the other (an address
/// found without its poststed is still the address).
fn same(found: &str, planted: &str) -> bool {
    !found.is_empty() && (found == planted || found.contains(planted) || planted.contains(found))
}

/// Evaluates the detectors on the synthetic export at `export`.
pub fn evaluate(export: &Path, catalog: &Catalog) -> io::Result<PiiEval> {
    let truth = read_truth(&export.join(TRUTH_FILE))?;
    let limits = Limits::default();
    let mut eval = PiiEval::default();
    for doc in truth.iter().filter(|d| d.has_text_layer) {
        let bytes = std::fs::read(export.join(&doc.reference))?;
        let extracted = extract_bytes(&bytes, Some(&doc.reference), &limits);
        if !extracted.status.has_text() {
            continue;
        }
        eval.documents += 1;
        let text: Vec<char> = extracted.text.chars().collect();
        let report = review(&extracted.text, catalog);
        let found: Vec<(PiiKind, String)> = report
            .findings
            .iter()
            .filter(|f| !f.kind.is_category() && f.score >= DEFAULT_THRESHOLD)
            .map(|f| {
                (
                    f.kind,
                    norm(
                        &text[f.start.min(text.len())..f.end.min(text.len())]
                            .iter()
                            .collect::<String>(),
                    ),
                )
            })
            .collect();

        for kind in Planted::ALL {
            let planted: Vec<String> = doc
                .pii
                .iter()
                .filter(|p| p.kind == kind)
                .map(|p| norm(&p.value))
                .collect();
            let Some(detector) = detector_kind(kind) else {
                eval.lookalikes.0 += planted.len() as u64;
                eval.lookalikes.1 += planted
                    .iter()
                    .filter(|v| {
                        found.iter().any(|(k, f)| {
                            matches!(
                                k,
                                PiiKind::Fodselsnummer | PiiKind::DNummer | PiiKind::HNummer
                            ) && same(f, v)
                        })
                    })
                    .count() as u64;
                continue;
            };
            let hits: Vec<&String> = found
                .iter()
                .filter(|(k, _)| *k == detector)
                .map(|(_, v)| v)
                .collect();
            let c = eval.by_kind.entry(kind.as_str()).or_default();
            // Occurrences pair up one to one; what is left over on either side is a miss.
            let mut unused: Vec<&String> = hits.clone();
            for v in &planted {
                match unused.iter().position(|f| same(f, v)) {
                    Some(i) => {
                        unused.swap_remove(i);
                        c.true_positives += 1;
                    }
                    None => {
                        c.false_negatives += 1;
                        eval.errors.push((
                            kind.as_str(),
                            "missed",
                            v.clone(),
                            doc.reference.clone(),
                        ));
                    }
                }
            }
            // A repeated finding of a value planted fewer times is still that value, not noise.
            for f in unused
                .iter()
                .filter(|f| !planted.iter().any(|v| same(f, v)))
            {
                c.false_positives += 1;
                eval.errors
                    .push((kind.as_str(), "false", (*f).clone(), doc.reference.clone()));
            }
        }

        for category in ["helse", "barnevern", "sosialhjelp"] {
            let truth_has = doc.categories.iter().any(|c| c == category);
            let found_has = report.kinds.iter().any(|k| k.as_str() == category);
            let c = eval.categories.entry(category).or_default();
            match (truth_has, found_has) {
                (true, true) => c.true_positives += 1,
                (false, true) => {
                    c.false_positives += 1;
                    eval.errors
                        .push((category, "false", category.into(), doc.reference.clone()));
                }
                (true, false) => {
                    c.false_negatives += 1;
                    eval.errors
                        .push((category, "missed", category.into(), doc.reference.clone()));
                }
                (false, false) => {}
            }
        }
    }
    Ok(eval)
}
