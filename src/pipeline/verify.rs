//! `arkivar verify OUT`: is the review table in OUT whole? Every shard of the N present and
//! finished, all of them scanning the same export with the same arkivar, model, classifier and
//! catalogue, and every document of the export there exactly once, in the shard that owns it.
//!
//! The check reads the manifests, one pass over the `doc_id` and summary columns of every part,
//! and one pass over the export's structure, which also gives its checksum (no document file
//! is opened). Memory: 16 bytes per
//! document on each side (the ids' [`doc_key`]s, sorted and compared), so a 2-million-document
//! export is checked in about 64 MB.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use arrow::array::{Array, AsArray, BooleanArray};

use crate::output::parquet::{
    files_named, for_each_batch, part_files, text_at, text_column, OutputError,
};
use crate::output::schema::date32;
use crate::source::{open_export, SourceError, SourceItem};

use super::manifest::{read_manifest, DocIdDigest, Manifest};
use super::out_files::{shard_of_file, ScanFiles, PROBLEMS_FILE};
use super::shard::{doc_key, shard_of_key, Shard};
use super::summary::{RowFigures, ScanSummary};

/// How many ids a finding quotes.
const EXAMPLES: usize = 10;

/// Errors that keep `verify` from checking at all (as opposed to [`Finding`]s).
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    /// The output folder cannot be read.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A part file cannot be read.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// The export cannot be read.
    #[error("the export: {0}")]
    Source(#[from] SourceError),
    /// Nothing in the folder was written by a scan.
    #[error("{0} holds no scan (no part files and no manifests)")]
    NoScan(PathBuf),
    /// No manifest names the export and none was given.
    #[error("no finished shard names the export: pass --export EXPORT")]
    NoExport,
}

/// Something that keeps the table from being whole.
#[derive(Debug, Clone, PartialEq)]
pub enum Finding {
    /// A manifest that cannot be read.
    BadManifest(String),
    /// Files of scans split into different numbers of shards.
    ShardCounts(Vec<u32>),
    /// A shard is still running (it holds its lock).
    Running(Shard),
    /// A shard has not finished (no manifest), with the parts it has written so far.
    Unfinished {
        /// The shard.
        shard: Shard,
        /// Its part files so far.
        parts: usize,
    },
    /// Shards disagree on what they scanned or with what.
    Differs {
        /// The manifest field.
        field: &'static str,
        /// Each value, with the shards that have it.
        values: Vec<(String, Vec<Shard>)>,
    },
    /// A shard's parts no longer hold what its manifest says (a part removed, added or
    /// rewritten after the shard finished).
    Altered {
        /// The shard.
        shard: Shard,
        /// Rows its manifest promises.
        promised: u64,
        /// Rows its parts hold.
        found: u64,
    },
    /// The export is not the one the shards scanned (its `arkivstruktur.xml` changed).
    ExportChanged {
        /// The checksum the shards recorded.
        scanned: String,
        /// The checksum of the export now.
        now: String,
    },
    /// Documents of the export with no row.
    Missing {
        /// How many.
        count: u64,
        /// A few of their ids.
        examples: Vec<String>,
    },
    /// Documents with more rows than the export has documents of that id.
    Duplicated {
        /// How many extra rows.
        count: u64,
        /// A few of their ids.
        examples: Vec<String>,
    },
    /// Rows whose document is not in the export.
    NotInExport {
        /// How many.
        count: u64,
        /// A few of their ids.
        examples: Vec<String>,
    },
    /// Rows written by a shard that does not own their document (a changed number of shards).
    WrongShard {
        /// How many.
        count: u64,
        /// A few of their ids.
        examples: Vec<String>,
    },
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ids = |e: &[String]| {
            if e.is_empty() {
                String::new()
            } else {
                format!(": {}", e.join(", "))
            }
        };
        match self {
            Finding::BadManifest(e) => write!(f, "unreadable manifest {e}"),
            Finding::ShardCounts(counts) => write!(
                f,
                "files of scans in different numbers of shards: {}",
                counts
                    .iter()
                    .map(u32::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Finding::Running(s) => write!(f, "shard {s} is still running"),
            Finding::Unfinished { shard, parts } if shard.is_whole() => write!(
                f,
                "the scan has not finished ({parts} part files so far, no manifest): rerun it \
                 with --resume"
            ),
            Finding::Unfinished { shard, parts } => write!(
                f,
                "shard {shard} has not finished ({parts} part files so far): rerun it with \
                 --shard {shard} --resume"
            ),
            Finding::Differs { field, values } => {
                write!(f, "shards differ in {field}:")?;
                for (v, shards) in values {
                    let list: Vec<String> = shards.iter().map(Shard::to_string).collect();
                    write!(f, " {v:?} in {}", list.join(" "))?;
                    write!(f, ";")?;
                }
                Ok(())
            }
            Finding::Altered {
                shard,
                promised,
                found,
            } => write!(
                f,
                "shard {shard}'s parts changed after it finished: its manifest promises {promised} \
                 rows, its parts hold {found} (or other ids)"
            ),
            Finding::ExportChanged { scanned, now } => write!(
                f,
                "the export changed since the scan: arkivstruktur.xml was {scanned}, is {now}"
            ),
            Finding::Missing { count, examples } => {
                write!(f, "{count} documents have no row{}", ids(examples))
            }
            Finding::Duplicated { count, examples } => {
                write!(f, "{count} rows are duplicates{}", ids(examples))
            }
            Finding::NotInExport { count, examples } => write!(
                f,
                "{count} rows are of documents the export does not have{}",
                ids(examples)
            ),
            Finding::WrongShard { count, examples } => write!(
                f,
                "{count} rows were written by a shard that does not own them{}",
                ids(examples)
            ),
        }
    }
}

/// What `verify` found.
#[derive(Debug, Clone)]
pub struct Verdict {
    /// The number of shards the scan was split into.
    pub shards: u32,
    /// Shards with a manifest.
    pub finished: u32,
    /// The export's documents.
    pub export_documents: u64,
    /// Everything that keeps the table from being whole; empty when it is.
    pub findings: Vec<Finding>,
    /// The figures a one-machine scan prints, over every part in the folder.
    pub summary: ScanSummary,
}

impl Verdict {
    /// Whether every shard finished alike and every document has exactly one row.
    pub fn is_whole(&self) -> bool {
        self.findings.is_empty()
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{} of {} shards finished; the export has {} documents, the parts {} rows",
            self.finished, self.shards, self.export_documents, self.summary.rows_written
        )?;
        write!(f, "{}", self.summary)?;
        if self.is_whole() {
            writeln!(
                f,
                "verified: every document exactly once, every shard alike"
            )
        } else {
            writeln!(f, "NOT whole:")?;
            for finding in &self.findings {
                writeln!(f, "  - {finding}")?;
            }
            Ok(())
        }
    }
}

/// Checks the review table in `out`; `export` overrides the export path the manifests record
/// (an export mounted elsewhere on this machine).
pub fn verify(out: &Path, export: Option<&Path>) -> Result<Verdict, VerifyError> {
    let mut findings = Vec::new();
    let manifests = read_manifests(out, &mut findings)?;
    let parts = part_files(out)?;
    if manifests.is_empty() && parts.is_empty() {
        return Err(VerifyError::NoScan(out.to_path_buf()));
    }
    let shards = shard_count(&manifests, &parts, &mut findings);
    let mut finished = 0;
    for k in 0..shards {
        let shard = Shard::new(k, shards).map_err(|_| VerifyError::NoScan(out.to_path_buf()))?;
        if manifests.iter().any(|m| m.shard == shard) {
            finished += 1;
            continue;
        }
        let files = ScanFiles::new(out, shard);
        if is_locked(&files.lock()) {
            findings.push(Finding::Running(shard));
        } else {
            let parts = files.parts()?.len();
            findings.push(Finding::Unfinished { shard, parts });
        }
    }
    let ours: Vec<&Manifest> = manifests
        .iter()
        .filter(|m| m.shard.count() == shards)
        .collect();
    compare_identities(&ours, &mut findings);

    let mut summary = ScanSummary::default();
    let read = read_parts(&parts, shards, &mut summary)?;
    for m in &ours {
        let (rows, digest) = read
            .per_shard
            .get(&m.shard.index())
            .map_or((0, String::new()), |d| (d.count, d.hex()));
        if rows != m.rows || digest != m.doc_ids_digest {
            findings.push(Finding::Altered {
                shard: m.shard,
                promised: m.rows,
                found: rows,
            });
        }
    }

    let export_path = match (export, ours.first()) {
        (Some(p), _) => p.to_path_buf(),
        (None, Some(m)) => PathBuf::from(&m.identity.export),
        (None, None) => return Err(VerifyError::NoExport),
    };
    let opened = open_export(&export_path)?;
    let mut export_keys = Vec::new();
    let mut documents = opened.documents()?;
    for item in documents.by_ref() {
        if let SourceItem::Doc(doc) = item? {
            export_keys.push(doc_key(&doc.doc_id));
        }
    }
    let now = documents.sha256().transpose()?;
    if let Some(scanned) = ours
        .first()
        .and_then(|m| m.identity.arkivstruktur_sha256.clone())
    {
        let now = now.unwrap_or_default();
        if now != scanned {
            findings.push(Finding::ExportChanged { scanned, now });
        }
    }
    let export_documents = export_keys.len() as u64;
    let coverage = compare_keys(export_keys, read.keys);
    if read.wrong_shard > 0 {
        findings.push(Finding::WrongShard {
            count: read.wrong_shard,
            examples: read.wrong_shard_examples,
        });
    }
    coverage.report(&opened, &parts, &mut findings)?;

    fill_summary(&mut summary, out, &ours, &manifests);
    Ok(Verdict {
        shards,
        finished,
        export_documents,
        findings,
        summary,
    })
}

/// Every manifest in `out`; unreadable ones become findings.
fn read_manifests(out: &Path, findings: &mut Vec<Finding>) -> Result<Vec<Manifest>, VerifyError> {
    let paths = files_named(out, |n| n.starts_with("_manifest") && n.ends_with(".json"))?;
    let mut manifests = Vec::new();
    for path in paths {
        match read_manifest(&path) {
            Ok(m) => manifests.push(m),
            Err(e) => findings.push(Finding::BadManifest(e)),
        }
    }
    Ok(manifests)
}

/// The number of shards the folder's files were written in: the one most manifests (else
/// most parts) name; more than one is a finding.
fn shard_count(manifests: &[Manifest], parts: &[PathBuf], findings: &mut Vec<Finding>) -> u32 {
    let mut votes: BTreeMap<u32, (usize, usize)> = BTreeMap::new();
    for m in manifests {
        votes.entry(m.shard.count()).or_default().0 += 1;
    }
    for p in parts {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let shard = shard_of_file(name).unwrap_or(Shard::WHOLE);
        votes.entry(shard.count()).or_default().1 += 1;
    }
    if votes.len() > 1 {
        findings.push(Finding::ShardCounts(votes.keys().copied().collect()));
    }
    votes
        .iter()
        .max_by_key(|(_, v)| **v)
        .map_or(1, |(count, _)| *count)
}

/// Whether another process holds the lock file at `path` (a shard still running).
fn is_locked(path: &Path) -> bool {
    let Ok(file) = fs::OpenOptions::new().write(true).open(path) else {
        return false;
    };
    matches!(file.try_lock(), Err(fs::TryLockError::WouldBlock))
}

/// A finding for every identity field on which the manifests do not all agree.
fn compare_identities(manifests: &[&Manifest], findings: &mut Vec<Finding>) {
    let Some(first) = manifests.first() else {
        return;
    };
    for (i, (field, _)) in first.identity.fields().iter().enumerate() {
        let mut values: BTreeMap<String, Vec<Shard>> = BTreeMap::new();
        for m in manifests {
            let value = m.identity.fields()[i].1.clone();
            values.entry(value).or_default().push(m.shard);
        }
        if values.len() > 1 {
            findings.push(Finding::Differs {
                field,
                values: values.into_iter().collect(),
            });
        }
    }
}

/// What one pass over the parts gathered.
struct PartsRead {
    /// Every row's key.
    keys: Vec<u128>,
    /// Rows and digest per shard index.
    per_shard: BTreeMap<u32, DocIdDigest>,
    /// Rows in a shard that does not own them.
    wrong_shard: u64,
    wrong_shard_examples: Vec<String>,
}

/// Reads the `doc_id` and summary columns of every part of a scan in `shards` shards (parts of
/// another split are reported by [`shard_count`], not counted), counting rows into `summary`.
fn read_parts(
    parts: &[PathBuf],
    shards: u32,
    summary: &mut ScanSummary,
) -> Result<PartsRead, VerifyError> {
    let mut read = PartsRead {
        keys: Vec::new(),
        per_shard: BTreeMap::new(),
        wrong_shard: 0,
        wrong_shard_examples: Vec::new(),
    };
    for path in parts {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let shard = shard_of_file(name).unwrap_or(Shard::WHOLE);
        if shard.count() != shards {
            continue;
        }
        let digest = read.per_shard.entry(shard.index()).or_default();
        for_each_row(path, |id, figures| {
            let key = doc_key(id);
            read.keys.push(key);
            digest.add_key(key);
            if shard_of_key(key, shards) != shard.index() {
                read.wrong_shard += 1;
                if read.wrong_shard_examples.len() < EXAMPLES {
                    read.wrong_shard_examples.push(id.to_string());
                }
            }
            summary.rows_written += 1;
            summary.embedded += u64::from(figures.1);
            summary.count(figures.0);
        })?;
    }
    Ok(read)
}

/// The columns of a part that `verify` reads.
const COLUMNS: [&str; 7] = [
    "doc_id",
    "extract_status",
    "checksum_status",
    "needs_review",
    "review_reasons",
    "text_truncated",
    "model_id",
];

/// Calls `f` with each row's `doc_id`, its summary figures and whether it was embedded.
fn for_each_row(
    path: &Path,
    mut f: impl FnMut(&str, (RowFigures<'_, std::vec::IntoIter<&str>>, bool)),
) -> Result<(), OutputError> {
    for_each_batch(path, &COLUMNS, |batch| {
        let strings = |name: &str| text_column(batch, name);
        let bools = |name: &str| -> Option<BooleanArray> {
            batch.column_by_name(name).map(|c| c.as_boolean().clone())
        };
        let missing = |name: &str| OutputError::Parquet {
            path: path.to_path_buf(),
            source: parquet::errors::ParquetError::General(format!("no column {name}")),
        };
        let ids = strings("doc_id").ok_or_else(|| missing("doc_id"))?;
        let status = strings("extract_status");
        let checksum = strings("checksum_status");
        let review = bools("needs_review");
        let truncated = bools("text_truncated");
        let model = strings("model_id");
        let ocr_pages = batch.column_by_name("ocr_pages").and_then(|c| {
            c.as_primitive_opt::<arrow::datatypes::UInt32Type>()
                .cloned()
        });
        let reasons = batch
            .column_by_name("review_reasons")
            .map(|c| c.as_list::<i32>().clone());
        let flag = |a: &Option<BooleanArray>, i: usize| {
            a.as_ref().is_some_and(|a| a.is_valid(i) && a.value(i))
        };
        for i in 0..batch.num_rows() {
            let row_reasons = reasons
                .as_ref()
                .filter(|r| r.is_valid(i))
                .map(|r| r.value(i));
            let row_reasons = row_reasons.as_ref().map(|r| r.as_string::<i32>());
            let listed: Vec<&str> = row_reasons
                .map(|r| {
                    (0..r.len())
                        .filter(|&j| r.is_valid(j))
                        .map(|j| r.value(j))
                        .collect()
                })
                .unwrap_or_default();
            f(
                ids.value(i),
                (
                    RowFigures {
                        extract_status: text_at(&status, i),
                        checksum_status: text_at(&checksum, i),
                        needs_review: flag(&review, i),
                        review_reasons: listed.into_iter(),
                        text_truncated: flag(&truncated, i),
                        ocr_pages: ocr_pages
                            .as_ref()
                            .filter(|a| a.is_valid(i))
                            .map(|a| a.value(i)),
                    },
                    text_at(&model, i).is_some(),
                ),
            );
        }
        Ok(())
    })
}

/// How the parts' rows cover the export's documents, by key.
struct Coverage {
    missing: (u64, BTreeSet<u128>),
    duplicated: (u64, BTreeSet<u128>),
    not_in_export: (u64, BTreeSet<u128>),
}

/// Compares the export's keys with the rows' (as multisets: an export that names one id twice
/// needs two rows of it).
fn compare_keys(mut export: Vec<u128>, mut rows: Vec<u128>) -> Coverage {
    export.sort_unstable();
    rows.sort_unstable();
    let mut c = Coverage {
        missing: (0, BTreeSet::new()),
        duplicated: (0, BTreeSet::new()),
        not_in_export: (0, BTreeSet::new()),
    };
    let note = |slot: &mut (u64, BTreeSet<u128>), key: u128, n: u64| {
        slot.0 += n;
        if slot.1.len() < EXAMPLES {
            slot.1.insert(key);
        }
    };
    let (mut i, mut j) = (0, 0);
    while i < export.len() || j < rows.len() {
        let key = match (export.get(i), rows.get(j)) {
            (Some(&a), Some(&b)) => a.min(b),
            (Some(&a), None) => a,
            (None, Some(&b)) => b,
            (None, None) => break,
        };
        let run = |v: &[u128], from: &mut usize| {
            let start = *from;
            while v.get(*from) == Some(&key) {
                *from += 1;
            }
            (*from - start) as u64
        };
        let (want, have) = (run(&export, &mut i), run(&rows, &mut j));
        if want == 0 {
            note(&mut c.not_in_export, key, have);
        } else if have < want {
            note(&mut c.missing, key, want - have);
        } else if have > want {
            note(&mut c.duplicated, key, have - want);
        }
    }
    c
}

impl Coverage {
    /// Adds a finding for each kind of gap, naming a few ids (found again by a second pass
    /// over the export or the parts, only when there is something to name).
    fn report(
        self,
        export: &crate::source::Export,
        parts: &[PathBuf],
        findings: &mut Vec<Finding>,
    ) -> Result<(), VerifyError> {
        let wanted: HashSet<u128> = [&self.missing, &self.duplicated, &self.not_in_export]
            .into_iter()
            .flat_map(|(_, keys)| keys.iter().copied())
            .collect();
        if wanted.is_empty() {
            return Ok(());
        }
        let mut names: BTreeMap<u128, String> = BTreeMap::new();
        for item in export.documents()? {
            if let SourceItem::Doc(doc) = item? {
                let key = doc_key(&doc.doc_id);
                if wanted.contains(&key) {
                    names.entry(key).or_insert(doc.doc_id);
                }
            }
        }
        crate::output::parquet::for_each_doc_id(parts, |id| {
            let key = doc_key(id);
            if wanted.contains(&key) && !names.contains_key(&key) {
                names.insert(key, id.to_string());
            }
        })?;
        let named = |keys: &BTreeSet<u128>| -> Vec<String> {
            keys.iter().filter_map(|k| names.get(k).cloned()).collect()
        };
        if self.missing.0 > 0 {
            findings.push(Finding::Missing {
                count: self.missing.0,
                examples: named(&self.missing.1),
            });
        }
        if self.duplicated.0 > 0 {
            findings.push(Finding::Duplicated {
                count: self.duplicated.0,
                examples: named(&self.duplicated.1),
            });
        }
        if self.not_in_export.0 > 0 {
            findings.push(Finding::NotInExport {
                count: self.not_in_export.0,
                examples: named(&self.not_in_export.1),
            });
        }
        Ok(())
    }
}

/// The figures the parts cannot give: times and rates from the manifests and the shards'
/// summaries, export problems from shard 0's log.
fn fill_summary(summary: &mut ScanSummary, out: &Path, ours: &[&Manifest], all: &[Manifest]) {
    let first = ours.first().copied().or(all.first());
    if let Some(m) = first {
        summary.export_kind = m.identity.export_kind.clone();
    }
    summary.started = ours
        .iter()
        .map(|m| m.started.clone())
        .min()
        .unwrap_or_default();
    summary.finished = ours
        .iter()
        .map(|m| m.finished.clone())
        .max()
        .unwrap_or_default();
    if let (Some(a), Some(b)) = (seconds_of(&summary.started), seconds_of(&summary.finished)) {
        summary.seconds = (b - a).max(0) as f64;
    }
    for m in ours {
        let path = ScanFiles::new(out, m.shard).summary();
        let Ok(bytes) = fs::read(&path) else {
            continue;
        };
        if let Ok(s) = serde_json::from_slice::<ScanSummary>(&bytes) {
            // The span's clock ticks in whole seconds; a shard's own time is finer.
            summary.seconds = summary.seconds.max(s.seconds);
            summary.embed_seconds += s.embed_seconds;
            summary.noark_version = summary.noark_version.take().or(s.noark_version);
            summary.model_id = summary.model_id.take().or(s.model_id);
            // Parts scanned on nodes with and without AMX (`--precision auto`) say both.
            summary.embed_precision = match (summary.embed_precision.take(), s.embed_precision) {
                (Some(a), Some(b)) if !a.split(" + ").any(|p| p == b) => Some(format!("{a} + {b}")),
                (a, b) => a.or(b),
            };
        }
    }
    summary.docs_per_second = summary.rows_written as f64 / summary.seconds.max(1e-9);
    if let Ok(text) = fs::read_to_string(out.join(PROBLEMS_FILE)) {
        for line in text.lines() {
            let kind = serde_json::from_str::<serde_json::Value>(line)
                .ok()
                .and_then(|v| v.get("kind")?.as_str().map(str::to_string));
            if let Some(kind) = kind {
                *summary.problems.entry(kind).or_default() += 1;
            }
        }
    }
}

/// Seconds since 1970 of an RFC 3339 UTC time as arkivar writes them (`…T12:34:56Z`).
fn seconds_of(t: &str) -> Option<i64> {
    let days = i64::from(date32(t.get(..10)?)?);
    let h: i64 = t.get(11..13)?.parse().ok()?;
    let m: i64 = t.get(14..16)?.parse().ok()?;
    let s: i64 = t.get(17..19)?.parse().ok()?;
    Some(days * 86_400 + h * 3600 + m * 60 + s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_compare_as_multisets() {
        let c = compare_keys(vec![1, 2, 2, 3, 5], vec![5, 2, 3, 3, 4, 1]);
        assert_eq!(c.missing.0, 1, "one of the two 2s");
        assert_eq!(c.duplicated.0, 1, "3 twice");
        assert_eq!(c.not_in_export.0, 1, "4");
        let whole = compare_keys(vec![3, 1, 2], vec![1, 2, 3]);
        assert_eq!(
            (whole.missing.0, whole.duplicated.0, whole.not_in_export.0),
            (0, 0, 0)
        );
    }

    #[test]
    fn times_read_back() {
        assert_eq!(seconds_of("1970-01-02T00:00:10Z"), Some(86_410));
        assert_eq!(seconds_of("garbage"), None);
    }
}
