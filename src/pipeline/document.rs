//! The per-document step: open a document's file, extract its text, and — for a scan — look
//! for personal data and build its review row. Never fails: every problem becomes a status.

use crate::classify::features::SparseVec;
use crate::embed::Embedder;
use crate::extract::{extract_bytes, ExtractStatus, Extracted, FileFormat, Limits};
use crate::output::ReviewRow;
use crate::pii::screening::review;
use crate::source::checksum::ChecksumStatus;
use crate::source::open::{locate, read_located, OpenFailure};
use crate::source::paths::Resolver;
use crate::source::DocRef;

use super::memory::{working_set, MemoryBudget};
use super::row::{base_row, PersonalData};
use super::scan::ScanOptions;

/// What the review table records of a document's file.
#[derive(Debug, Clone, PartialEq)]
pub struct FileFacts {
    /// SHA-256 of the file, when it was read.
    pub sha256: Option<String>,
    /// The checksum verification (`not_checked` when the file was not read).
    pub checksum: ChecksumStatus,
    /// The file's size, when it was found.
    pub bytes: Option<u64>,
}

/// A document read: its file facts and its extraction.
#[derive(Debug)]
pub struct ReadDocument {
    /// The file.
    pub file: FileFacts,
    /// The text, or why there is none.
    pub extracted: Extracted,
}

/// Opens and extracts one document within `limits`, holding its working set from `budget`
/// while it is read (the text kept after extraction is bounded by the limits alone).
pub fn read_document(
    doc: &DocRef,
    resolver: &Resolver,
    limits: &Limits,
    budget: &MemoryBudget,
) -> ReadDocument {
    let name = doc.reference.as_deref();
    let opened = locate(doc, resolver).and_then(|located| {
        let reservation = (located.size <= limits.max_bytes)
            .then(|| budget.reserve(working_set(&located.path, located.size)));
        read_located(doc, located, limits.max_bytes).map(|opened| (opened, reservation))
    });
    let e = match opened {
        Ok((opened, _reservation)) => {
            return ReadDocument {
                file: FileFacts {
                    bytes: Some(opened.bytes.len() as u64),
                    sha256: Some(opened.sha256),
                    checksum: opened.checksum,
                },
                extracted: extract_bytes(&opened.bytes, name, limits),
            }
        }
        Err(e) => e,
    };
    let guessed = FileFormat::detect(&[], name);
    let (format, status, message) = match e.failure {
        OpenFailure::NoReference => (
            FileFormat::Unknown,
            ExtractStatus::MissingFile,
            "the dokumentobjekt names no file (referanseDokumentfil)".to_string(),
        ),
        OpenFailure::Unsafe => (
            guessed,
            ExtractStatus::UnsafePath,
            "the reference points outside the export; the file was not opened".to_string(),
        ),
        OpenFailure::Missing => (
            guessed,
            ExtractStatus::MissingFile,
            "no such file in the export".to_string(),
        ),
        OpenFailure::NotAFile => (
            guessed,
            ExtractStatus::UnsafePath,
            "not a regular file (a named pipe, socket or device); it was not opened".to_string(),
        ),
        OpenFailure::TooLarge { limit } => (
            guessed,
            ExtractStatus::TooLarge,
            format!(
                "{} bytes, over the limit of {limit}",
                e.size.unwrap_or_default()
            ),
        ),
        OpenFailure::Unreadable(io) => (
            guessed,
            ExtractStatus::MissingFile,
            format!("cannot read: {io}"),
        ),
    };
    ReadDocument {
        file: FileFacts {
            sha256: None,
            checksum: ChecksumStatus::NotChecked,
            bytes: e.size,
        },
        extracted: Extracted::failed(format, status, message),
    }
}

/// One document as the scan's writer receives it: its review row (suggestions not yet
/// filled), the part of its text the embedding model reads, and its n-gram features.
#[derive(Debug)]
pub struct Processed {
    /// The review row.
    pub row: ReviewRow,
    /// The start of the text that decides the embedding, when there is text and a model.
    pub embed_text: Option<String>,
    /// The classifier's n-gram features (empty without a classifier that reads them).
    pub ngrams: SparseVec,
}

/// The scan's per-document function: read, extract, personal data, the row; and what the
/// later stages (embedding, classifier) need of the text.
pub fn scan_document(
    doc: Box<DocRef>,
    resolver: &Resolver,
    opts: &ScanOptions,
    budget: &MemoryBudget,
) -> Processed {
    let read = read_document(&doc, resolver, &opts.limits, budget);
    let text = read
        .extracted
        .status
        .has_text()
        .then_some(read.extracted.text.as_str());
    let report = text.map(|t| review(t, &opts.catalog));
    let personal = match (text, &report) {
        (Some(text), Some(report)) => Some(PersonalData {
            text,
            report,
            unmasked: opts.unmasked_evidence,
        }),
        _ => None,
    };
    // Every classifier of a scan featurises alike (the cross-fitted ones share settings).
    let ngrams = match opts.classifier_for(&doc.noark, &doc.doc_id) {
        Some(c) => c.ngrams_of(&doc.noark, text),
        None => SparseVec::default(),
    };
    let embed_text = embed_text(opts.embedder.as_deref(), text);
    let row = base_row(*doc, &read.file, &read.extracted, personal);
    Processed {
        row,
        embed_text,
        ngrams,
    }
}

/// The row of a document whose processing panicked (a bug in arkivar, caught per document):
/// marked `corrupt` with a message that says so, so the scan goes on and the document is
/// reviewed by hand.
pub fn failed_document(doc: Box<DocRef>) -> Processed {
    let extracted = Extracted::failed(
        FileFormat::detect(&[], doc.reference.as_deref()),
        ExtractStatus::Corrupt,
        "internal error while processing this document (an arkivar bug: please report it); \
         the document was not checked",
    );
    let file = FileFacts {
        sha256: None,
        checksum: ChecksumStatus::NotChecked,
        bytes: None,
    };
    Processed {
        row: base_row(*doc, &file, &extracted, None),
        embed_text: None,
        ngrams: SparseVec::default(),
    }
}

/// The part of `text` the embedding model reads (none without a model or a text).
pub fn embed_text(embedder: Option<&Embedder>, text: Option<&str>) -> Option<String> {
    Some(embedder?.relevant_prefix(text?).to_string())
}
