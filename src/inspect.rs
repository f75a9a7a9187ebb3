//! `arkivar inspect`: what is in an export and what is wrong with it, without any model.
//!
//! Counts per arkivdel, klasse, format and journalposttype; every problem found (missing
//! files, checksum mismatches, unsafe paths, schema problems, files nobody refers to), and the
//! counts the ADDML file promises checked against what is there.

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::iter::{ParallelBridge, ParallelIterator};

use crate::extract::FileFormat;
use crate::pii::mask_identifiers;
use crate::source::checksum::ChecksumStatus;
use crate::source::noark5::Counts;
use crate::source::open::{digest_located, locate, OpenFailure};
use crate::source::paths::Resolver;
use crate::source::{folder, open_export, DocRef, ExportKind, SourceError, SourceItem};

/// Problem details kept per kind; beyond this only the count grows, so memory stays bounded.
pub const MAX_LISTED: usize = 1_000;

/// The report `inspect` prints.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct InspectReport {
    /// `noark5` or `folder`.
    pub export_kind: String,
    /// The folder documents are resolved against.
    pub root: PathBuf,
    /// The Noark version from the ADDML file.
    pub noark_version: Option<String>,
    /// The ADDML file used, if any.
    pub addml: Option<PathBuf>,
    /// Element counts in `arkivstruktur.xml`.
    pub elements: BTreeMap<String, u64>,
    /// Documents (dokumentobjekt, or files of a folder).
    pub documents: u64,
    /// Documents per arkivdel (id and title).
    pub by_arkivdel: BTreeMap<String, u64>,
    /// Documents per klasse (id and title).
    pub by_klasse: BTreeMap<String, u64>,
    /// Documents per detected file format.
    pub by_format: BTreeMap<String, u64>,
    /// Documents per journalposttype.
    pub by_journalposttype: BTreeMap<String, u64>,
    /// Problem counts by kind.
    pub problem_counts: BTreeMap<String, u64>,
    /// Problem details by kind (at most [`MAX_LISTED`] each).
    pub problems: BTreeMap<String, Vec<String>>,
}

impl InspectReport {
    fn problem(&mut self, kind: &str, detail: String) {
        *self.problem_counts.entry(kind.to_string()).or_default() += 1;
        let list = self.problems.entry(kind.to_string()).or_default();
        if list.len() < MAX_LISTED {
            // A detail can quote a bad value of the export: numbers masked.
            list.push(mask_identifiers(&detail));
        }
    }

    /// Whether anything is wrong.
    pub fn has_problems(&self) -> bool {
        !self.problem_counts.is_empty()
    }
}

/// What checking one document's file found.
struct FileCheck {
    format: FileFormat,
    problem: Option<(&'static str, String)>,
    resolved: Option<PathBuf>,
}

/// Inspects an export. Fails only when the export itself cannot be read.
pub fn inspect(path: &Path) -> Result<InspectReport, SourceError> {
    let export = open_export(path)?;
    let resolver = export.resolver()?;
    let report = Mutex::new(InspectReport {
        root: export.root.clone(),
        noark_version: export.noark_version().map(str::to_string),
        ..InspectReport::default()
    });
    let referenced = Mutex::new(HashSet::new());
    let check_all = |items: &mut (dyn Iterator<Item = Result<SourceItem, SourceError>> + Send)| {
        let failure = Mutex::new(None);
        items
            .map_while(|item| match item {
                Ok(i) => Some(i),
                Err(e) => {
                    *failure.lock().unwrap_or_else(|p| p.into_inner()) = Some(e);
                    None
                }
            })
            .par_bridge()
            .for_each(|item| match item {
                SourceItem::Doc(doc) => {
                    let check = check_file(&doc, &resolver);
                    let mut r = report.lock().unwrap_or_else(|p| p.into_inner());
                    tally(&mut r, &doc, &check);
                    if let Some(p) = check.resolved {
                        referenced
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .insert(p);
                    }
                }
                SourceItem::Problem(p) => {
                    let mut r = report.lock().unwrap_or_else(|p| p.into_inner());
                    r.problem(p.kind.as_str(), format!("{}: {}", p.location, p.message));
                }
            });
        failure.into_inner().unwrap_or_else(|p| p.into_inner())
    };

    let mut documents = export.documents()?;
    if let Some(e) = check_all(&mut documents) {
        return Err(e);
    }
    let counts = documents.counts();
    let referenced = referenced.into_inner().unwrap_or_else(|p| p.into_inner());
    let mut r = report.into_inner().unwrap_or_else(|p| p.into_inner());
    let ExportKind::Noark5 { addml, .. } = &export.kind else {
        r.export_kind = "folder".into();
        return Ok(r);
    };
    r.export_kind = "noark5".into();
    if let Some(counts) = counts {
        r.elements = element_counts(&counts);
        if let Some(addml) = addml {
            for p in addml.count_problems(&counts) {
                r.problem(p.kind.as_str(), p.message);
            }
        }
    }
    if let Some(addml) = addml {
        r.addml = Some(addml.path.clone());
    }
    let files = document_files(&export.root);
    if let Some(promised) = addml.as_ref().and_then(|a| a.document_files) {
        if promised != files.len() as u64 {
            r.problem(
                "count_mismatch",
                format!(
                    "ADDML promises {promised} document files (antallDokumentfiler), the export has {}",
                    files.len()
                ),
            );
        }
    }
    for (file, name) in files {
        let referenced_file =
            fs::canonicalize(export.root.join(&file)).is_ok_and(|p| referenced.contains(&p));
        if !referenced_file {
            r.problem("unreferenced_file", name);
        }
    }
    Ok(r)
}

fn element_counts(c: &Counts) -> BTreeMap<String, u64> {
    [
        ("arkivdel", c.arkivdel),
        ("klasse", c.klasse),
        ("mappe", c.mappe),
        ("registrering", c.registrering),
        ("dokumentbeskrivelse", c.dokumentbeskrivelse),
        ("dokumentobjekt", c.dokumentobjekt),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

fn check_file(doc: &DocRef, resolver: &Resolver) -> FileCheck {
    let name = doc.reference.as_deref();
    let reference = name.unwrap_or_default();
    // Read in pieces: a file of any size costs one buffer, on every core at once.
    let opened = match locate(doc, resolver).and_then(|l| digest_located(doc, l)) {
        Ok(opened) => opened,
        Err(e) => {
            let problem = match e.failure {
                OpenFailure::NoReference => (
                    "missing_file",
                    format!("{}: no referanseDokumentfil", doc.doc_id),
                ),
                OpenFailure::Unsafe => ("unsafe_path", format!("{}: {reference}", doc.doc_id)),
                OpenFailure::Missing => ("missing_file", format!("{}: {reference}", doc.doc_id)),
                OpenFailure::NotAFile => (
                    "not_regular_file",
                    format!(
                        "{}: {reference} (a pipe, socket or device; not opened)",
                        doc.doc_id
                    ),
                ),
                OpenFailure::TooLarge { .. } => ("too_large", reference.to_string()),
                OpenFailure::Unreadable(e) => ("unreadable_file", format!("{reference}: {e}")),
            };
            return FileCheck {
                format: FileFormat::detect(&[], name),
                problem: Some(problem),
                resolved: e.path,
            };
        }
    };
    let mut problem = match opened.checksum {
        ChecksumStatus::Mismatch => Some(("checksum_mismatch", reference.to_string())),
        ChecksumStatus::UnsupportedAlgorithm => Some((
            "unsupported_checksum_algorithm",
            format!(
                "{reference}: {}",
                doc.expected_checksum
                    .as_ref()
                    .map_or("", |e| e.algorithm_name.as_str())
            ),
        )),
        _ => None,
    };
    let size = opened.size;
    if let Some(expected) = doc
        .expected_bytes
        .filter(|&e| problem.is_none() && e != size)
    {
        problem = Some((
            "size_mismatch",
            format!("{reference}: filstoerrelse {expected}, file {size}"),
        ));
    }
    FileCheck {
        format: FileFormat::detect(&opened.head, name),
        problem,
        resolved: Some(opened.path),
    }
}

fn tally(r: &mut InspectReport, doc: &DocRef, check: &FileCheck) {
    let label = |id: &Option<String>, title: &Option<String>| match (id, title) {
        (Some(i), Some(t)) => format!("{i} {t}"),
        (Some(i), None) => i.clone(),
        (None, Some(t)) => t.clone(),
        (None, None) => "(none)".to_string(),
    };
    let m = &doc.noark;
    r.documents += 1;
    *r.by_arkivdel
        .entry(label(&m.arkivdel_id, &m.arkivdel_title))
        .or_default() += 1;
    *r.by_klasse
        .entry(label(&m.klasse_id, &m.klasse_title))
        .or_default() += 1;
    *r.by_format
        .entry(check.format.as_str().to_string())
        .or_default() += 1;
    *r.by_journalposttype
        .entry(
            m.journalpost_type
                .clone()
                .unwrap_or_else(|| "(none)".into()),
        )
        .or_default() += 1;
    if let Some((kind, detail)) = &check.problem {
        r.problem(kind, detail.clone());
    }
}

/// The document files under `root`, as paths relative to it: every file in the export's
/// folders. Files at the top level are the extraction's own metadata (`arkivstruktur.xml`, the
/// ADDML file, journals, XSDs and any other sidecar); Noark 5 puts document files in folders
/// (`dokumenter/`).
/// The files in the export's folders (top-level files are its metadata): each file's path
/// relative to the root, and its name as a report shows it.
fn document_files(root: &Path) -> Vec<(PathBuf, String)> {
    folder::walk(root)
        .filter_map(|item| match item {
            Ok(SourceItem::Doc(d)) => d.file.zip(d.reference),
            _ => None,
        })
        .filter(|(file, _)| file.components().count() > 1)
        .collect()
}

impl std::fmt::Display for InspectReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "export: {} ({})", self.root.display(), self.export_kind)?;
        if let Some(v) = &self.noark_version {
            writeln!(f, "Noark version (ADDML): {v}")?;
        }
        writeln!(f, "documents: {}", self.documents)?;
        let section = |f: &mut std::fmt::Formatter<'_>, name: &str, map: &BTreeMap<String, u64>| {
            if map.is_empty() {
                return Ok(());
            }
            writeln!(f, "{name}:")?;
            for (k, v) in map {
                writeln!(f, "  {v:>8}  {k}")?;
            }
            Ok(())
        };
        section(f, "elements", &self.elements)?;
        section(f, "by arkivdel", &self.by_arkivdel)?;
        section(f, "by klasse", &self.by_klasse)?;
        section(f, "by format", &self.by_format)?;
        section(f, "by journalposttype", &self.by_journalposttype)?;
        if self.problem_counts.is_empty() {
            writeln!(f, "problems: none")?;
        }
        for (kind, n) in &self.problem_counts {
            writeln!(f, "problem {kind}: {n}")?;
            for detail in self.problems.get(kind).into_iter().flatten().take(50) {
                writeln!(f, "  {detail}")?;
            }
            if *n > 50 {
                writeln!(f, "  … {} more (all of them with --json)", n - 50)?;
            }
        }
        Ok(())
    }
}
