//! The review vocabulary: why a person should look at a row of the review table.
//!
//! Every stage that can find a reason uses these names, and the review table writes them as
//! the strings of [`ReviewReason::as_str`] (the `review_reasons` column). A small module at
//! the bottom of the crate, like the catalogue: the stages and the output import it, it
//! imports nothing.

use std::fmt;

/// Why a row needs review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ReviewReason {
    /// The file could not be read or gave no text (`extract_status` says why).
    ExtractFailed,
    /// The text was OCR'd with a low mean word confidence (`ocr_confidence`), or some of its
    /// scanned pages could not be read: what was read may be wrong or incomplete, and personal
    /// data in it may have been missed.
    OcrLowConfidence,
    /// The file's checksum differs from the one the export promises.
    ChecksumMismatch,
    /// Personal data that the catalogue's rules screen (a fødselsnummer, health, child welfare,
    /// …) in a document the export leaves open. Personal data the export already screens, or
    /// that no rule screens (a name in a signature), is listed in `pii_kinds` but asks nothing
    /// of a reviewer.
    UnscreenedPersonalData,
    /// No klasse could be suggested.
    NoSuggestion,
    /// The suggestions come from the catalogue alone (nothing learned, scores capped).
    CatalogueOnly,
    /// The klasse head's top score is under its review threshold.
    KlasseUncertain,
    /// The series head's top score is under its review threshold.
    SeriesUncertain,
    /// The retention head's top score is under its review threshold.
    RetentionUncertain,
    /// The screening head's top score is under its review threshold.
    ScreeningUncertain,
    /// A suggestion differs from what the export says (`disagrees_with_export` lists which).
    DisagreesWithExport,
    /// The learned retention differs from the catalogue rule of the suggested klasse.
    RetentionDisagreesWithCatalogue,
    /// The learned screening head says open, the personal-data rules say screen.
    ScreeningDisagrees,
}

impl ReviewReason {
    /// Every reason, in the order of the enum.
    pub const ALL: [ReviewReason; 13] = [
        ReviewReason::ExtractFailed,
        ReviewReason::OcrLowConfidence,
        ReviewReason::ChecksumMismatch,
        ReviewReason::UnscreenedPersonalData,
        ReviewReason::NoSuggestion,
        ReviewReason::CatalogueOnly,
        ReviewReason::KlasseUncertain,
        ReviewReason::SeriesUncertain,
        ReviewReason::RetentionUncertain,
        ReviewReason::ScreeningUncertain,
        ReviewReason::DisagreesWithExport,
        ReviewReason::RetentionDisagreesWithCatalogue,
        ReviewReason::ScreeningDisagrees,
    ];

    /// The stable snake_case name written to `review_reasons`.
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewReason::ExtractFailed => "extract_failed",
            ReviewReason::OcrLowConfidence => "ocr_low_confidence",
            ReviewReason::ChecksumMismatch => "checksum_mismatch",
            ReviewReason::UnscreenedPersonalData => "unscreened_personal_data",
            ReviewReason::NoSuggestion => "no_suggestion",
            ReviewReason::CatalogueOnly => "catalogue_only",
            ReviewReason::KlasseUncertain => "klasse_uncertain",
            ReviewReason::SeriesUncertain => "series_uncertain",
            ReviewReason::RetentionUncertain => "retention_uncertain",
            ReviewReason::ScreeningUncertain => "screening_uncertain",
            ReviewReason::DisagreesWithExport => "disagrees_with_export",
            ReviewReason::RetentionDisagreesWithCatalogue => "retention_disagrees_with_catalogue",
            ReviewReason::ScreeningDisagrees => "screening_disagrees",
        }
    }
}

impl ReviewReason {
    /// How much a reviewer's decision on this reason matters, 1–100: a document that may be
    /// public though the law screens it first, then a suggestion that says the export is
    /// wrong, then what could not be read, then uncertainty alone.
    pub fn weight(self) -> u8 {
        match self {
            ReviewReason::UnscreenedPersonalData => 90,
            ReviewReason::ScreeningDisagrees => 80,
            ReviewReason::DisagreesWithExport => 70,
            ReviewReason::ExtractFailed => 60,
            ReviewReason::ChecksumMismatch => 55,
            ReviewReason::OcrLowConfidence => 45,
            ReviewReason::RetentionDisagreesWithCatalogue => 50,
            ReviewReason::ScreeningUncertain => 40,
            ReviewReason::RetentionUncertain => 35,
            ReviewReason::SeriesUncertain => 30,
            ReviewReason::KlasseUncertain => 30,
            ReviewReason::NoSuggestion => 20,
            ReviewReason::CatalogueOnly => 10,
        }
    }
}

/// A row's place in the review queue (`review_priority`, highest first): the weight of its
/// most serious reason plus one for each further reason; 0 for a row with none.
///
/// ```
/// use arkivar::review::{priority, ReviewReason::*};
/// assert_eq!(priority(&[]), 0);
/// assert_eq!(priority(&[KlasseUncertain, UnscreenedPersonalData]), 91);
/// assert!(priority(&[DisagreesWithExport]) > priority(&[KlasseUncertain, SeriesUncertain]));
/// ```
pub fn priority(reasons: &[ReviewReason]) -> u8 {
    let top = reasons.iter().map(|r| r.weight()).max().unwrap_or(0);
    let more = reasons.len().saturating_sub(1).min(9) as u8;
    top.saturating_add(more)
}

impl fmt::Display for ReviewReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_snake_case() {
        let mut names: Vec<&str> = ReviewReason::ALL.iter().map(|r| r.as_str()).collect();
        assert!(names
            .iter()
            .all(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '_')));
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ReviewReason::ALL.len());
    }
}
