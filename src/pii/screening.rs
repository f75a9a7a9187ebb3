//! From findings to what the review table shows: the kinds that count, masked evidence, and a
//! screening suggestion from the catalogue's rules.

use super::{analyze, Finding, DEFAULT_THRESHOLD};
use crate::catalog::{Catalog, PiiRule};

/// A document's personal data as the review table shows it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PiiReport {
    /// Kinds found at or above the threshold (findings and special categories), sorted.
    pub kinds: Vec<String>,
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
    let mut kinds: Vec<(String, f32)> = Vec::new();
    let mut add = |kind: &str, score: f32| match kinds.iter_mut().find(|(k, _)| k == kind) {
        Some((_, best)) => *best = best.max(score),
        None => kinds.push((kind.to_string(), score)),
    };
    let findings: Vec<Finding> = analysis
        .findings
        .iter()
        .filter(|f| f.score >= DEFAULT_THRESHOLD)
        .cloned()
        .collect();
    for f in findings.iter().filter(|f| !f.kind.is_category()) {
        add(f.kind.as_str(), f.score);
    }
    for (kind, score) in &analysis.categories {
        if *score >= DEFAULT_THRESHOLD {
            add(kind.as_str(), *score);
        }
    }
    let rule = catalog.pii_rules.iter().find_map(|rule| {
        let score = kinds
            .iter()
            .filter(|(k, _)| rule.kinds.contains(k))
            .map(|(_, s)| *s)
            .reduce(f32::max)?;
        Some((rule.clone(), score))
    });
    let to_mask = analysis
        .findings
        .into_iter()
        .filter(|f| !f.kind.is_category())
        .collect();
    let mut names: Vec<String> = kinds.into_iter().map(|(k, _)| k).collect();
    names.sort();
    PiiReport {
        kinds: names,
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
        assert!(r.kinds.contains(&"helse".to_string()), "{:?}", r.kinds);
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
