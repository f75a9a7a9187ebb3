//! Reviewers' decisions: what a person settled for a document after reading the review table,
//! fed back into training (`arkivar train --decisions`) and to the archive as a Noark 5
//! endringslogg ([`endringslogg`], `arkivar endringslogg`); [`queue`] says which rows to decide
//! first (`arkivar queue`).
//!
//! A decisions file (CSV or Parquet, [`mod@file`]) has one row per decided field:
//!
//! | column | what |
//! |---|---|
//! | `doc_id` | the review table's `doc_id` |
//! | `field` | `klasse`, `series`, `retention` or `screening` |
//! | `value` | the decided label: a klasseID, an arkivdel title, `Bevares` / `Kasseres/N`, a skjermingshjemmel or `ikke skjermet` |
//! | `decided_by` | who decided |
//! | `decided_at` | when (ISO 8601) |
//! | `note` | optional |
//!
//! Two rows for one document and field with different values are refused (the reviewers must
//! settle it); the same value twice is one decision. A decision for a document in no given
//! export, or with a value no given export or the catalogue knows as that field's label, is
//! reported with its file and line and skipped, never used.

pub mod endringslogg;
pub mod file;
pub mod queue;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use crate::catalog::Catalog;
use crate::classify::dataset::CorpusDoc;
use crate::classify::labels::{HeadKind, NOT_SCREENED};
use crate::source::checksum::sha256_hex;

/// How much a decided document counts in training against a document that is merely exported:
/// it is learned from this many times. An exported label is what a clerk filed, unchecked
/// (our shifted benchmark's training export has 3.6% misfiled documents); a decision is a
/// reviewer's reading of that very document. Three copies let a decided case folder outweigh
/// the near-copies of its old label around it without letting a handful of decisions swamp a
/// class of hundreds.
pub const DECISION_WEIGHT: usize = 3;

/// Errors that refuse a decisions file as a whole.
#[derive(Debug, thiserror::Error)]
pub enum DecisionsError {
    /// The file cannot be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file holds no decisions.
    #[error("{0}: no decisions in the file (a header line and at least one row are needed)")]
    Empty(PathBuf),
    /// Required columns are missing.
    #[error(
        "{path}: missing column(s) {}; a decisions file has doc_id, field, value, decided_by, \
         decided_at and optionally note (found: {})",
        missing.join(", "), found.join(", ")
    )]
    Columns {
        /// The file.
        path: PathBuf,
        /// The missing columns.
        missing: Vec<String>,
        /// The columns the file has.
        found: Vec<String>,
    },
    /// A row cannot be read.
    #[error("{path}:{line}: {message}")]
    Format {
        /// The file.
        path: PathBuf,
        /// The line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// Two decisions for one document and field disagree.
    #[error("{doc_id} {field}: decided {first} and {second}; settle it and keep one")]
    Conflict {
        /// The document.
        doc_id: String,
        /// The field.
        field: &'static str,
        /// The first decision: its value and where it was (`"L42" at FILE:LINE`).
        first: String,
        /// The second.
        second: String,
    },
}

/// One decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// The document.
    pub doc_id: String,
    /// The decided field.
    pub field: HeadKind,
    /// The decided label.
    pub value: String,
    /// Who decided.
    pub decided_by: String,
    /// When.
    pub decided_at: String,
    /// A note, if any.
    pub note: Option<String>,
    /// Where it was read: `file:line`.
    pub at: String,
}

/// A decision that was skipped, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// Where it was read: `file:line`.
    pub at: String,
    /// Why it was not used.
    pub reason: String,
}

impl std::fmt::Display for Skipped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.at, self.reason)
    }
}

/// The decisions of one or more files, one per document and field.
#[derive(Debug, Clone, Default)]
pub struct Decisions {
    /// By document and field.
    pub decisions: BTreeMap<(String, HeadKind), Decision>,
    /// Each file and its SHA-256.
    pub files: Vec<(String, String)>,
    /// Rows skipped while reading (an unknown field, an empty doc_id or value).
    pub skipped: Vec<Skipped>,
}

/// Reads decisions files (CSV or Parquet by extension).
pub fn read_decisions(paths: &[PathBuf]) -> Result<Decisions, DecisionsError> {
    let mut out = Decisions::default();
    for path in paths {
        let bytes = std::fs::read(path).map_err(|source| DecisionsError::Io {
            path: path.clone(),
            source,
        })?;
        out.files
            .push((path.display().to_string(), sha256_hex(&bytes)));
        for row in file::read_rows(path)? {
            let at = format!("{}:{}", path.display(), row.line);
            let [doc_id, field, value, decided_by, decided_at] = row.cells;
            let skip = |reason: String| Skipped {
                at: at.clone(),
                reason,
            };
            let Some(field) = HeadKind::parse(&field.to_lowercase()) else {
                out.skipped.push(skip(format!(
                    "field {field:?} is not klasse, series, retention or screening"
                )));
                continue;
            };
            if doc_id.is_empty() || value.is_empty() {
                out.skipped.push(skip("an empty doc_id or value".into()));
                continue;
            }
            let decision = Decision {
                doc_id: doc_id.clone(),
                field,
                value,
                decided_by,
                decided_at,
                note: row.note,
                at: at.clone(),
            };
            match out.decisions.get(&(doc_id.clone(), field)) {
                Some(first) if first.value != decision.value => {
                    return Err(DecisionsError::Conflict {
                        doc_id,
                        field: field.as_str(),
                        first: format!("{:?} at {}", first.value, first.at),
                        second: format!("{:?} at {at}", decision.value),
                    });
                }
                Some(_) => {}
                None => {
                    out.decisions.insert((doc_id, field), decision);
                }
            }
        }
    }
    Ok(out)
}

/// What applying decisions to a training corpus did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Applied {
    /// Decisions used.
    pub applied: usize,
    /// Decisions that changed the export's label (the rest confirmed it).
    pub changed: usize,
    /// Documents with at least one decision used.
    pub documents: usize,
    /// Decisions skipped, with file, line and reason.
    pub skipped: Vec<String>,
    /// The decisions files and their SHA-256.
    pub files: Vec<(String, String)>,
    /// [`DECISION_WEIGHT`] when trained.
    pub weight: usize,
}

/// Overrides the labels of `docs` with `decisions`: each decided field's metadata is set so
/// that the document's label is the decided value. Decisions for documents not in `docs`, or
/// with a value that no document of `docs` has for that field (and, for klasse, the catalogue
/// does not know), are skipped and reported. Returns the ids of the decided documents with the
/// report.
pub fn apply(
    decisions: &Decisions,
    docs: &mut [CorpusDoc],
    catalog: &Catalog,
) -> (HashSet<String>, Applied) {
    let mut applied = Applied {
        files: decisions.files.clone(),
        weight: DECISION_WEIGHT,
        skipped: decisions.skipped.iter().map(Skipped::to_string).collect(),
        ..Applied::default()
    };
    // One example document for every label of every field: its metadata carries the label.
    let mut examples: HashMap<(HeadKind, String), usize> = HashMap::new();
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    for (i, doc) in docs.iter().enumerate() {
        by_id.entry(doc.doc_id.as_str()).or_insert(i);
        for kind in HeadKind::ALL {
            if let Some(label) = kind.label_of(&doc.meta) {
                examples.entry((kind, label.key)).or_insert(i);
            }
        }
    }
    let mut changes: Vec<(usize, HeadKind, Option<usize>, &Decision)> = Vec::new();
    for ((doc_id, field), d) in &decisions.decisions {
        let Some(&i) = by_id.get(doc_id.as_str()) else {
            applied.skipped.push(format!(
                "{}: {doc_id} is in none of the exports trained on",
                d.at
            ));
            continue;
        };
        let example = examples.get(&(*field, d.value.clone())).copied();
        let known = example.is_some()
            || (*field == HeadKind::Klasse && catalog.class(&d.value).is_some())
            || (*field == HeadKind::Screening && d.value == NOT_SCREENED);
        if !known {
            applied.skipped.push(format!(
                "{}: {:?} is not a {} label of the exports or the catalogue",
                d.at,
                d.value,
                field.as_str()
            ));
            continue;
        }
        changes.push((i, *field, example, d));
    }
    let mut decided = HashSet::new();
    for (i, field, example, d) in changes {
        let before = field.label_of(&docs[i].meta).map(|l| l.key);
        let source = example.map(|e| docs[e].meta.clone());
        let meta = &mut docs[i].meta;
        match field {
            HeadKind::Klasse => {
                meta.klasse_title = match &source {
                    Some(s) => s.klasse_title.clone(),
                    None => catalog.class(&d.value).map(|c| c.title.clone()),
                };
                meta.klasse_id = Some(d.value.clone());
            }
            HeadKind::Series => {
                if let Some(s) = source {
                    meta.arkivdel_title = s.arkivdel_title;
                    meta.arkivdel_id = s.arkivdel_id;
                }
            }
            HeadKind::Retention => meta.kassasjon = source.and_then(|s| s.kassasjon),
            HeadKind::Screening => meta.skjerming = source.and_then(|s| s.skjerming),
        }
        applied.applied += 1;
        applied.changed += usize::from(before.as_deref() != Some(d.value.as_str()));
        decided.insert(docs[i].doc_id.clone());
    }
    applied.documents = decided.len();
    (decided, applied)
}
