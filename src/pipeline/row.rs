//! The review row, filled from the stages' typed results. Only the pipeline writes rows: the
//! stages return [`Extracted`], [`PiiReport`], [`EmbedOutcome`]s and [`Suggestions`], and the
//! functions here turn them into columns.

use crate::classify::suggestion::Suggestions;
use crate::embed::stage::EmbedOutcome;
use crate::extract::ocr::LOW_CONFIDENCE;
use crate::extract::Extracted;
use crate::output::preview::preview;
use crate::output::schema::PiiEvidence;
use crate::output::ReviewRow;
use crate::pii::mask_identifiers;
use crate::pii::screening::PiiReport;
use crate::review::ReviewReason;
use crate::source::checksum::ChecksumStatus;
use crate::source::DocRef;

use super::document::FileFacts;

/// A document's personal data, with the text it was found in (for the preview, and for
/// clear evidence when asked for).
#[derive(Debug, Clone, Copy)]
pub struct PersonalData<'a> {
    /// The extracted text.
    pub text: &'a str,
    /// What the personal-data stage found.
    pub report: &'a PiiReport,
    /// Write the findings in clear text (`--unmasked-evidence`).
    pub unmasked: bool,
}

/// The row of a document once read, extracted and checked for personal data; suggestions
/// not yet filled.
pub fn base_row(
    doc: DocRef,
    file: &FileFacts,
    extracted: &Extracted,
    personal: Option<PersonalData<'_>>,
) -> ReviewRow {
    let mut row = ReviewRow {
        doc_id: doc.doc_id,
        source_path: doc.reference,
        noark: doc.noark,
        file_sha256: file.sha256.clone(),
        checksum_status: Some(file.checksum),
        file_bytes: file.bytes,
        file_format: Some(extracted.format),
        page_count: extracted.pages,
        text_chars: extracted.text.chars().count() as u64,
        text_source: extracted.text_source,
        ocr_pages: extracted.ocr.map(|o| o.pages),
        ocr_confidence: extracted.ocr.and_then(|o| o.confidence),
        extract_status: Some(extracted.status),
        // Parser messages can quote the document (`</29104143669>`): numbers masked.
        extract_error: extracted.error.as_deref().map(mask_identifiers),
        ..ReviewRow::default()
    };
    if !extracted.status.has_text() {
        row.review_reasons.push(ReviewReason::ExtractFailed);
    } else if let Some(p) = personal {
        personal_data(&mut row, p);
    }
    if extracted.ocr.is_some_and(|o| {
        o.confidence.is_none_or(|c| c < LOW_CONFIDENCE) || extracted.error.is_some()
    }) {
        row.review_reasons.push(ReviewReason::OcrLowConfidence);
    }
    if file.checksum == ChecksumStatus::Mismatch {
        row.review_reasons.push(ReviewReason::ChecksumMismatch);
    }
    row
}

/// The personal-data columns: kinds, masked evidence, the screening suggestion, and a
/// preview with every finding masked.
fn personal_data(row: &mut ReviewRow, p: PersonalData<'_>) {
    let report = p.report;
    let clear =
        |f: &crate::pii::Finding| p.text.chars().skip(f.start).take(f.end - f.start).collect();
    row.pii_evidence = Some(
        report
            .findings
            .iter()
            .map(|f| PiiEvidence {
                kind: f.kind,
                masked: if p.unmasked {
                    clear(f)
                } else {
                    f.masked.clone()
                },
                start: f.start as i64,
                end: f.end as i64,
                score: f.score,
            })
            .collect(),
    );
    row.pii_count = Some(report.findings.len() as u32);
    if report.rule.is_some() && !export_screens(&row.noark) {
        row.review_reasons
            .push(ReviewReason::UnscreenedPersonalData);
    }
    row.pii_kinds = Some(report.kinds.clone());
    row.skjerming_suggested = Some(report.rule.is_some());
    if let Some((rule, score)) = &report.rule {
        row.skjerming_hjemmel_suggested = Some(rule.screening.hjemmel.clone());
        row.skjerming_score = Some(*score);
    }
    row.text_preview = Some(preview(&crate::pii::mask(p.text, &report.to_mask)));
}

/// Whether the export screens the document: a `skjerming` with an access code or a legal
/// basis, its own or inherited.
fn export_screens(meta: &crate::source::NoarkMeta) -> bool {
    meta.skjerming.as_ref().is_some_and(|s| {
        let given = |v: &Option<String>| v.as_deref().is_some_and(|v| !v.trim().is_empty());
        given(&s.tilgangsrestriksjon) || given(&s.hjemmel)
    })
}

/// The embedding columns: which model saw the text and whether it was cut.
pub fn apply_embedding(row: &mut ReviewRow, outcome: &EmbedOutcome, model_id: &str) {
    row.text_truncated = Some(outcome.truncated);
    row.model_id = Some(model_id.to_string());
}

/// The suggestion columns, the disagreements with the export and the review reasons.
pub fn apply_suggestions(row: &mut ReviewRow, s: Suggestions) {
    if let Some(k) = s.klasse {
        row.klasse_suggested = Some(k.id);
        row.klasse_score = Some(k.score);
        row.klasse_top = Some(k.top);
    }
    if let Some(k) = s.series {
        row.series_suggested = Some(k.id);
        row.series_score = Some(k.score);
        row.series_top = Some(k.top);
    }
    if let Some(r) = s.retention {
        row.retention_suggested = Some(r.vedtak);
        row.retention_years = r.years;
        row.retention_basis = Some(r.basis);
        row.retention_score = r.score;
    }
    if let Some(sc) = s.screening {
        row.skjerming_suggested = Some(sc.screen);
        row.skjerming_hjemmel_suggested = sc.hjemmel;
        row.skjerming_score = Some(sc.score);
    }
    if s.evidence.is_some() {
        row.klasse_evidence = s.evidence;
    }
    row.disagrees_with_export = s.disagrees;
    row.review_reasons.extend(s.reasons);
}

/// The last word on a row once every stage has filled it: a row without a suggestion, or
/// with any reason at all, needs a reviewer, and its place in the queue follows from its
/// reasons ([`crate::review::priority`]).
pub fn finish_review(row: &mut ReviewRow) {
    if row.klasse_suggested.is_none() {
        row.review_reasons.push(ReviewReason::NoSuggestion);
    }
    row.needs_review = !row.review_reasons.is_empty();
    row.review_priority = crate::review::priority(&row.review_reasons);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::extract::{ExtractStatus, FileFormat};
    use crate::source::{NoarkMeta, Skjerming};

    /// The row of a text document with `meta`, reviewed against the default catalogue.
    fn row_of(text: &str, meta: NoarkMeta) -> ReviewRow {
        let report = crate::pii::screening::review(text, &Catalog::default_catalog());
        let extracted = Extracted::text(FileFormat::Text, text.to_string(), None);
        assert_eq!(extracted.status, ExtractStatus::Ok);
        let file = FileFacts {
            sha256: None,
            checksum: ChecksumStatus::NotGiven,
            bytes: None,
        };
        let doc = DocRef {
            doc_id: "d".into(),
            noark: meta,
            ..DocRef::default()
        };
        let personal = PersonalData {
            text,
            report: &report,
            unmasked: false,
        };
        let mut row = base_row(doc, &file, &extracted, Some(personal));
        row.klasse_suggested = Some("F47".into());
        finish_review(&mut row);
        row
    }

    #[test]
    fn a_name_in_a_signature_is_personal_data_but_no_review_reason() {
        let row = row_of(
            "Vi viser til søknaden om ferdigattest.\n\nMed hilsen\nKari Nordmann\nsaksbehandler",
            NoarkMeta::default(),
        );
        assert!(
            row.pii_kinds.as_ref().is_some_and(|k| !k.is_empty()),
            "{:?}",
            row.pii_kinds
        );
        assert!(row.review_reasons.is_empty(), "{:?}", row.review_reasons);
        assert!(!row.needs_review);
        assert_eq!(row.review_priority, 0);
    }

    #[test]
    fn screened_personal_data_in_an_open_document_is_the_first_thing_to_review() {
        let text = "Søker Kari Nordmann, fødselsnummer 01019012138, ber om svar.";
        let open = row_of(text, NoarkMeta::default());
        assert_eq!(open.review_reasons, [ReviewReason::UnscreenedPersonalData]);
        assert_eq!(open.review_priority, 90);
        let screened = row_of(
            text,
            NoarkMeta {
                skjerming: Some(Skjerming {
                    tilgangsrestriksjon: Some("13".into()),
                    hjemmel: Some("Offl. § 13 jf. fvl. § 13".into()),
                }),
                ..NoarkMeta::default()
            },
        );
        assert!(
            screened.review_reasons.is_empty(),
            "{:?}",
            screened.review_reasons
        );
    }
}
