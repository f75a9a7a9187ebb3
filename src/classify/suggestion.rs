//! What the classify stage returns for one document: suggestions per field with calibrated
//! scores, the evidence behind them, where they disagree with the export, and the review
//! reasons they raise. Only the pipeline turns these into review-table columns.

use super::labels::HeadKind;
use crate::review::ReviewReason;

/// One candidate: an id (series or klasse), its title and a calibrated score.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The arkivdel or klasse id.
    pub id: String,
    /// Its title from the labels or the catalogue.
    pub title: Option<String>,
    /// Calibrated probability in `[0, 1]`.
    pub score: f32,
}

/// A suggestion for klasse or series: the best id, its score, and the top candidates.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    /// The suggested id.
    pub id: String,
    /// Its score.
    pub score: f32,
    /// The top candidates, best first (the suggestion among them).
    pub top: Vec<Candidate>,
}

/// Where a retention suggestion comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetentionBasis {
    /// Learned from classified documents.
    Learned,
    /// The catalogue's rule for the suggested klasse.
    Catalogue,
    /// The catalogue's rule for the catalogue class the suggested export klasse was matched
    /// to by title ([`super::catalogue_match`]).
    CatalogueByTitle,
}

impl RetentionBasis {
    /// The name written to `retention_basis`.
    pub fn as_str(self) -> &'static str {
        match self {
            RetentionBasis::Learned => "learned",
            RetentionBasis::Catalogue => "catalogue",
            RetentionBasis::CatalogueByTitle => "catalogue_by_title",
        }
    }
}

/// A suggested retention: kassasjonsvedtak and bevaringstid.
#[derive(Debug, Clone, PartialEq)]
pub struct Retention {
    /// `Bevares`, `Kasseres`, …
    pub vedtak: String,
    /// Bevaringstid in years, when the decision has one.
    pub years: Option<i32>,
    /// Where it comes from.
    pub basis: RetentionBasis,
    /// Its score (for a catalogue rule, the klasse's score).
    pub score: Option<f32>,
}

/// A suggested screening from the learned head.
#[derive(Debug, Clone, PartialEq)]
pub struct Screening {
    /// Whether to screen.
    pub screen: bool,
    /// The legal basis, when screening.
    pub hjemmel: Option<String>,
    /// Its score.
    pub score: f32,
}

/// A training document like the one under review: why a klasse was suggested.
#[derive(Debug, Clone, PartialEq)]
pub struct KlasseEvidence {
    /// Its `doc_id` in the training export.
    pub doc_id: String,
    /// Its title.
    pub title: Option<String>,
    /// The klasse it was filed in.
    pub klasse_id: Option<String>,
    /// Cosine similarity to the document under review.
    pub similarity: f32,
}

/// Everything the classify stage says about one document.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Suggestions {
    /// Suggested klasse.
    pub klasse: Option<Ranked>,
    /// Suggested series (arkivdel).
    pub series: Option<Ranked>,
    /// Suggested retention.
    pub retention: Option<Retention>,
    /// Suggested screening (a learned head; `None` leaves the personal-data rules' word).
    pub screening: Option<Screening>,
    /// The most similar training documents.
    pub evidence: Option<Vec<KlasseEvidence>>,
    /// Heads whose suggestion differs from what the export says.
    pub disagrees: Vec<HeadKind>,
    /// Why a person should look.
    pub reasons: Vec<ReviewReason>,
}

impl HeadKind {
    /// The review reason for a top score under this head's review threshold.
    pub fn uncertain(self) -> ReviewReason {
        match self {
            HeadKind::Klasse => ReviewReason::KlasseUncertain,
            HeadKind::Series => ReviewReason::SeriesUncertain,
            HeadKind::Retention => ReviewReason::RetentionUncertain,
            HeadKind::Screening => ReviewReason::ScreeningUncertain,
        }
    }
}
