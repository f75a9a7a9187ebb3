//! From findings to what the review table shows: the kinds that count, masked evidence, and a
//! screening suggestion from the catalogue's rules.

use super::{analyze, Finding, PiiKind, DEFAULT_THRESHOLD};
use crate::catalog::{Catalog, PiiRule};

/// A document's personal data as the review table shows it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PiiReport {
    /// Kinds found at or above the threshold (findings and special categories), sorted by
    /// name ([`PiiKind::as_str`], as the review table's `pii_kinds` lists them).
    pub kinds: Vec<PiiKind>,
    /// The findings at or above the threshold.
    pub findings: Vec<Finding>,
    /// Every finding except special-category words, whatever its score: what a preview masks.
    /// Masking errs on the side of hiding.
    pub to_mask: Vec<Finding>,
    /// The catalogue rule that applies (the first in the catalogue's order), with the score of
    /// the strongest kind that triggered it.
    pub rule: Option<(PiiRule, f32)>,
}

/// Runs the detectors on `text` and applies `catalog`'s screening rules.
pub fn review(text: &str, catalog: &Catalog) -> PiiReport {
    let analysis = analyze(text);
    let mut kinds: Vec<(PiiKind, f32)> = Vec::new();
    let mut add = |kind: PiiKind, score: f32| match kinds.iter_mut().find(|(k, _)| *k == kind) {
        Some((_, best)) => *best = best.max(score),
        None => kinds.push((kind, score)),
    };
    let findings: Vec<Finding> = analysis
        .findings
        .iter()
        .filter(|f| f.score >= DEFAULT_THRESHOLD)
        .cloned()
        .collect();
    for f in findings.iter().filter(|f| !f.kind.is_category()) {
        add(f.kind, f.score);
    }
    for (kind, score) in &analysis.categories {
        if *score >= DEFAULT_THRESHOLD {
            add(*kind, *score);
        }
    }
    // The catalogue names its kinds as the review table does (it is data): compared by name.
    let rule = catalog.pii_rules.iter().find_map(|rule| {
        let score = kinds
            .iter()
            .filter(|(k, _)| rule.kinds.iter().any(|r| r == k.as_str()))
            .map(|(_, s)| *s)
            .reduce(f32::max)?;
        Some((rule.clone(), score))
    });
    let to_mask = analysis
        .findings
        .into_iter()
        .filter(|f| !f.kind.is_category())
        .collect();
    let mut found: Vec<PiiKind> = kinds.into_iter().map(|(k, _)| k).collect();
    found.sort_by_key(|k| k.as_str());
    PiiReport {
        kinds: found,
        findings,
        to_mask,
        rule,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn health_text_with_a_person_gets_section_13() {
        let text = "Vedrørende Kari Nordmann, f.nr. 01019012345. Pasienten har diagnose diabetes \
                    og får behandling ved legevakt. Helsetilstanden er stabil etter innleggelse.";
        let r = review(text, &Catalog::default_catalog());
        assert!(r.kinds.contains(&PiiKind::Helse), "{:?}", r.kinds);
        let (rule, score) = r.rule.expect("a rule applies");
        assert_eq!(rule.screening.tilgangsrestriksjon, "13");
        assert!(score >= DEFAULT_THRESHOLD);
        let masked = crate::pii::mask(text, &r.to_mask);
        assert!(!masked.contains("Kari Nordmann"), "{masked}");
    }

    #[test]
    fn plain_text_suggests_nothing() {
        let r = review(
            "Kommunestyret vedtok budsjettet for 2024 med 25 mot 10 stemmer.",
            &Catalog::default_catalog(),
        );
        assert!(r.rule.is_none(), "{:?}", r.kinds);
    }
}
