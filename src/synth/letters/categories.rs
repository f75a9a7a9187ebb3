//! The special categories of personal data a document holds as a whole (`helse`,
//! `barnevern`, `sosialhjelp`).

use super::class::{DocKind, LetterClass};

/// Paragraphs (their fixed openings) that disclose a person's health in a document of any
/// class: a sick leave given as a reason, information collected from a GP. They begin texts
/// of the template files; a test checks that each still does.
pub(super) const DISCLOSES_HEALTH: &[&str] = &[
    "Årsaken er at jeg har vært sykmeldt",
    "Årsaka er at eg har vore sjukmeld",
    "Vi har innhentet opplysninger fra fastlege",
    "Vi har henta inn opplysningar frå fastlege",
];

/// The special categories of personal data a document of `class` and `kind` holds.
///
/// Client records carry their service's category; the personnel memos are sick-leave
/// follow-ups (oppfølgingsplan, dialogmøte), which are health data too.
pub(super) fn categories(class: LetterClass, kind: DocKind) -> Vec<&'static str> {
    match (class, kind) {
        (LetterClass::Helse, _) => vec!["helse"],
        (LetterClass::Barnevern, _) => vec!["barnevern"],
        (LetterClass::Sosial, _) => vec!["sosialhjelp"],
        (LetterClass::Personal, DocKind::Notat) => vec!["helse"],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::templates::{class_texts, shared_paragraphs, Text};
    use super::*;

    /// Each opening still begins a paragraph of the template files, so editing a text there
    /// cannot silently turn the detection off.
    #[test]
    fn every_disclosing_opening_is_in_the_templates() {
        let mut texts: Vec<&Text> = Vec::new();
        for class in LetterClass::ALL {
            texts.extend(shared_paragraphs(class));
            for t in &class_texts(class).templates {
                texts.extend(t.body.iter().chain(&t.extra));
            }
        }
        for opening in DISCLOSES_HEALTH {
            assert!(
                texts
                    .iter()
                    .any(|t| t.nb.starts_with(opening) || t.nn.starts_with(opening)),
                "no template paragraph begins with {opening:?}"
            );
        }
    }
}
