//! `scan`: every document of an export through extraction, personal data, embedding and
//! suggestions into the review table, in export order.
//!
//! ```text
//!  reader ──► workers: read, extract, personal data, the row ──► writer (this thread):
//!                                                                embeds a batch, suggests,
//!                                                                writes parts, progress
//! ```
//!
//! Documents travel through the one driver ([`super::drive`]); memory is bounded by its
//! channels, one embedding batch and one row group, whatever the export's size: only the part
//! of a text the model can see travels on. Two scans of the same export give the same table.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::catalog::Catalog;
use crate::classify::classifier::{Classifier, ClassifierError};
use crate::classify::cross_fit::CrossFitted;
use crate::classify::suggest::{suggest, DocumentView};
use crate::classify::zero_shot::CatalogSuggester;
use crate::embed::cache::EmbeddingCache;
use crate::embed::stage::{EmbedInput, EmbedStage, StageError, DOCS_PER_BATCH};
use crate::embed::{EmbedError, Embedder};
use crate::extract::Limits;
use crate::output::parquet::{
    completed_doc_ids, now_utc, part_files, OutputError, PartSettings, PartWriter,
};
use crate::output::SCHEMA_VERSION;
use crate::source::noark5::count_dokumentobjekt;
use crate::source::NoarkMeta;
use crate::source::{folder, open_export, Export, ExportKind, SourceError};

use super::document::{failed_document, scan_document, Processed};
use super::drive::{drive, worker_pool, DriveFailure, Work};
use super::memory::{MemoryBudget, DEFAULT_BUDGET};
use super::row::{apply_embedding, apply_suggestions, finish_review};
use super::summary::ScanSummary;

/// What to scan and how.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// The export: a Noark 5 extraction, a DIAS package, or a folder of documents.
    pub export: PathBuf,
    /// The output folder for the review table's part files.
    pub out: PathBuf,
    /// Per-document limits.
    pub limits: Limits,
    /// Bytes all documents being read at once may hold together (see [`super::memory`]);
    /// `None`: [`super::memory::DEFAULT_BUDGET`].
    pub memory: Option<u64>,
    /// Worker threads (default: all cores).
    pub threads: Option<usize>,
    /// Continue a scan whose output folder already holds parts: skip their documents.
    pub resume: bool,
    /// Replace the parts an earlier scan left in the output folder.
    pub overwrite: bool,
    /// Show a progress bar on stderr (it hides itself when stderr is not a terminal).
    pub progress: bool,
    /// The command line, recorded in the file metadata.
    pub command: String,
    /// Rows per part file.
    pub part_rows: usize,
    /// The catalogue: its personal-data rules decide the screening suggestion.
    pub catalog: Arc<Catalog>,
    /// Write personal data in clear text into `pii_evidence` (for an internal review only).
    pub unmasked_evidence: bool,
    /// The embedding model; `None` skips the embedding stage.
    pub embedder: Option<Arc<Embedder>>,
    /// Where embeddings are cached between runs; `None`: no cache.
    pub embed_cache: Option<PathBuf>,
    /// Where to write `doc_id` + vector for notebooks; `None`: nowhere.
    pub embeddings_out: Option<PathBuf>,
    /// A trained classifier; `None`: suggestions from `learned`, or from the catalogue alone
    /// (with an embedder).
    pub classifier: Option<Arc<Classifier>>,
    /// Classifiers learned from this very export, cross-fitted by case folder (`scan --learn`):
    /// each document is judged by the one that did not see its case.
    pub learned: Option<Arc<CrossFitted>>,
    /// Overrides the classifier's review thresholds (a score under it needs review).
    pub review_threshold: Option<f32>,
}

impl ScanOptions {
    /// The classifier that judges the document `doc_id` with `meta`: the one given, or the
    /// cross-fitted fold's that did not see its case.
    pub fn classifier_for(&self, meta: &NoarkMeta, doc_id: &str) -> Option<&Classifier> {
        match (&self.classifier, &self.learned) {
            (Some(c), _) => Some(c),
            (None, Some(l)) => Some(l.for_document(meta, doc_id)),
            (None, None) => None,
        }
    }

    /// Options with defaults for everything but the paths.
    pub fn new(export: impl Into<PathBuf>, out: impl Into<PathBuf>) -> ScanOptions {
        ScanOptions {
            export: export.into(),
            out: out.into(),
            limits: Limits::default(),
            memory: None,
            threads: None,
            resume: false,
            overwrite: false,
            progress: false,
            command: String::new(),
            part_rows: PartSettings::default().part_rows,
            catalog: Arc::new(Catalog::default_catalog()),
            unmasked_evidence: false,
            embedder: None,
            embed_cache: None,
            embeddings_out: None,
            classifier: None,
            learned: None,
            review_threshold: None,
        }
    }
}

/// Errors that stop a scan. Bad documents never do; these are about the export or the output.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    /// The export cannot be read.
    #[error(transparent)]
    Source(#[from] SourceError),
    /// The output cannot be written.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// The output folder holds an earlier scan and neither resume nor overwrite was asked for.
    #[error("{0} already holds a scan: pass --resume to continue it or --overwrite to replace it")]
    OutputExists(PathBuf),
    /// Another scan is writing into the output folder (it holds `OUT/_lock`).
    #[error(
        "{0} is in use by another scan (it holds {0}/_lock); wait for it to finish, or choose \
         another output folder"
    )]
    OutputLocked(PathBuf),
    /// A file system operation on the output folder failed.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The worker pool could not start, or a thread of the scan died.
    #[error("worker threads: {0}")]
    Threads(String),
    /// The embedding cache cannot be opened.
    #[error("embedding cache: {0}")]
    Cache(#[from] EmbedError),
    /// `--embeddings-out` would land among the part files and be read as review rows.
    #[error(
        "{0} is inside the output folder, where readers take every *.parquet file for the \
         review table: name it _embeddings.parquet there, or put it elsewhere"
    )]
    EmbeddingsAmongParts(PathBuf),
    /// The embedding stage failed (the model or the embeddings table, never a document).
    #[error("embedding stage: {0}")]
    Embed(#[from] StageError),
    /// The classifier does not fit the embedding model.
    #[error(transparent)]
    Classifier(#[from] ClassifierError),
}

impl From<DriveFailure> for ScanError {
    fn from(p: DriveFailure) -> Self {
        ScanError::Threads(p.to_string())
    }
}

/// Runs a scan and writes the review table into `opts.out`.
pub fn scan(opts: &ScanOptions) -> Result<ScanSummary, ScanError> {
    let started_at = Instant::now();
    let started = now_utc();
    if let Some(c) = &opts.classifier {
        c.check_embedder(opts.embedder.as_deref())?;
    }
    let export = open_export(&opts.export)?;
    let _lock = lock_output(&opts.out)?;
    let done_ids = prepare_output(opts)?;
    let resolver = export.resolver()?;

    let progress = progress_bar(opts.progress);
    if !progress.is_hidden() {
        progress.set_length(count_documents(&export).unwrap_or(0));
    }
    for w in &export.warnings {
        progress.println(format!("warning: {w}"));
    }

    let writer = PartWriter::create(
        &opts.out,
        PartSettings {
            part_rows: opts.part_rows.max(1),
            metadata: metadata(opts, &started),
            ..PartSettings::default()
        },
    )?;
    let stage = embed_stage(opts, !done_ids.is_empty())?;
    if let (Some(_), Some(path)) = (&stage, &opts.embeddings_out) {
        if !done_ids.is_empty() && !path.exists() {
            progress.println(format!(
                "warning: {} has no vectors of the {} documents an earlier run finished; \
                 rerun with --overwrite to get them all (the embedding cache makes that cheap)",
                path.display(),
                done_ids.len()
            ));
        }
    }
    let pool = worker_pool(opts.threads).map_err(ScanError::Threads)?;
    let budget = MemoryBudget::new(opts.memory.unwrap_or(DEFAULT_BUDGET));
    let problems_path = opts.out.join("_problems.jsonl");
    let problems = fs::File::create(&problems_path).map_err(|source| ScanError::Io {
        path: problems_path,
        source,
    })?;

    let mut sink = Sink {
        summary: ScanSummary {
            export_kind: match export.kind {
                ExportKind::Noark5 { .. } => "noark5".into(),
                ExportKind::Folder => "folder".into(),
            },
            noark_version: export.noark_version().map(str::to_string),
            started,
            model_id: stage.as_ref().map(|(s, _)| s.model_id().to_string()),
            ..ScanSummary::default()
        },
        opts,
        stage,
        writer,
        progress,
        batch: Vec::with_capacity(DOCS_PER_BATCH),
    };
    let read = drive(
        &pool,
        &export,
        &done_ids,
        Some(std::io::BufWriter::new(problems)),
        Work {
            run: |doc| scan_document(doc, &resolver, opts, &budget),
            on_panic: failed_document,
        },
        |done| sink.push(done),
    );
    let report = read.and_then(|report| sink.flush().map(|()| report));
    sink.progress.finish_and_clear();
    let report = report?;
    let mut summary = sink.summary;
    summary.rows_written = sink.writer.finish()?;
    if let Some((stage, _)) = sink.stage {
        summary.embedded = stage.embedded();
        summary.embed_seconds = stage.seconds();
        stage.finish().map_err(StageError::from)?;
    }
    summary.resumed_skipped = report.skipped;
    summary.problems = report.problems;
    summary.finished = now_utc();
    summary.seconds = started_at.elapsed().as_secs_f64();
    summary.docs_per_second = summary.rows_written as f64 / summary.seconds.max(1e-9);
    let json = serde_json::to_vec_pretty(&summary).unwrap_or_default();
    write_atomically(&opts.out.join(SUMMARY_FILE), &json)?;
    if let Some(e) = report.error {
        return Err(e.into());
    }
    Ok(summary)
}

/// The writer's side of a scan: rows wait for a full embedding batch, then get their
/// embedding and suggestions, and are written.
struct Sink<'a> {
    opts: &'a ScanOptions,
    stage: Option<(EmbedStage, Option<CatalogSuggester>)>,
    writer: PartWriter,
    summary: ScanSummary,
    progress: ProgressBar,
    batch: Vec<Processed>,
}

impl Sink<'_> {
    fn push(&mut self, done: Processed) -> Result<(), ScanError> {
        self.batch.push(done);
        if self.batch.len() >= DOCS_PER_BATCH {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), ScanError> {
        let outcomes = match &mut self.stage {
            Some((stage, _)) => {
                let inputs: Vec<EmbedInput<'_>> = self
                    .batch
                    .iter()
                    .map(|p| EmbedInput {
                        doc_id: &p.row.doc_id,
                        text: p.embed_text.as_deref(),
                    })
                    .collect();
                stage.run(&inputs)?
            }
            None => Vec::new(),
        };
        for (i, mut done) in self.batch.drain(..).enumerate() {
            let outcome = outcomes.get(i).and_then(Option::as_ref);
            let row = &mut done.row;
            if let (Some(o), Some((stage, _))) = (outcome, &self.stage) {
                apply_embedding(row, o, stage.model_id());
            }
            let vector = outcome.map(|o| o.vector.as_slice());
            let suggester = self.stage.as_ref().and_then(|(_, s)| s.as_ref());
            let classifier = self.opts.classifier_for(&row.noark, &row.doc_id);
            let suggestions = match (classifier, vector, suggester) {
                (Some(c), _, _) => Some(suggest(
                    c,
                    DocumentView {
                        meta: &row.noark,
                        ngrams: &done.ngrams,
                        embedding: vector,
                        rules_screen: row.skjerming_suggested == Some(true),
                    },
                    self.opts.review_threshold,
                )),
                (None, Some(v), Some(s)) => Some(s.suggest(v)),
                _ => None,
            };
            if let Some(s) = suggestions {
                apply_suggestions(row, s);
            }
            finish_review(row);
            self.summary.count_row(row);
            self.writer.push(done.row)?;
            self.progress.inc(1);
        }
        Ok(())
    }
}

/// The review table's file metadata.
fn metadata(opts: &ScanOptions, started: &str) -> Vec<(String, String)> {
    let pairs = [
        ("arkivar.version", env!("CARGO_PKG_VERSION").to_string()),
        ("arkivar.schema_version", SCHEMA_VERSION.to_string()),
        ("arkivar.command", opts.command.clone()),
        ("arkivar.export", opts.export.display().to_string()),
        ("arkivar.started", started.to_string()),
        (
            "arkivar.model_sha256",
            opts.embedder
                .as_ref()
                .map_or("none".to_string(), |e| e.model_sha256().to_string()),
        ),
        (
            "arkivar.classifier_sha256",
            match (&opts.classifier, &opts.learned) {
                (Some(c), _) => c.sha256.clone(),
                (None, Some(_)) => "learned from this export (cross-fitted)".to_string(),
                (None, None) => "none".to_string(),
            },
        ),
        ("arkivar.catalog", opts.catalog.name.clone()),
        (
            "arkivar.unmasked_evidence",
            opts.unmasked_evidence.to_string(),
        ),
    ];
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

/// The embedding stage the options ask for, with its cache and table opened, and the
/// catalogue-only suggester that follows it when no classifier was given.
fn embed_stage(
    opts: &ScanOptions,
    resuming: bool,
) -> Result<Option<(EmbedStage, Option<CatalogSuggester>)>, ScanError> {
    let Some(embedder) = &opts.embedder else {
        return Ok(None);
    };
    let cache = opts
        .embed_cache
        .as_ref()
        .map(EmbeddingCache::open)
        .transpose()?;
    let mut stage = EmbedStage::new(embedder.clone(), cache);
    if let Some(path) = &opts.embeddings_out {
        let hidden = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with(['_', '.']));
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
            (Ok(a), Ok(b)) => a == b,
            _ => a == b,
        };
        if !hidden && same(dir, &opts.out) {
            return Err(ScanError::EmbeddingsAmongParts(path.clone()));
        }
        stage
            .write_table(path, resuming)
            .map_err(StageError::from)?;
    }
    let suggester = if opts.classifier.is_some() || opts.learned.is_some() {
        None
    } else {
        Some(CatalogSuggester::new(&opts.catalog, embedder).map_err(StageError::from)?)
    };
    Ok(Some((stage, suggester)))
}

/// Checks the output folder; returns the ids an earlier run completed when resuming.
fn prepare_output(opts: &ScanOptions) -> Result<HashSet<String>, ScanError> {
    remove_leftovers(&opts.out)?;
    let parts = part_files(&opts.out)?;
    if parts.is_empty() {
        return Ok(HashSet::new());
    }
    if opts.resume {
        return Ok(completed_doc_ids(&opts.out)?);
    }
    if !opts.overwrite {
        return Err(ScanError::OutputExists(opts.out.clone()));
    }
    for p in parts {
        fs::remove_file(&p).map_err(|source| ScanError::Io { path: p, source })?;
    }
    Ok(HashSet::new())
}

/// The name of the lock file in the output folder (hidden from readers by its `_`).
pub const LOCK_FILE: &str = "_lock";
/// The name of the scan's summary in the output folder.
pub const SUMMARY_FILE: &str = "_summary.json";

/// Takes the output folder for this scan: creates it and holds an exclusive lock on
/// `OUT/_lock` until the returned file is dropped (the operating system releases it when the
/// process ends, however it ends). A second scan into the same folder is refused.
fn lock_output(out: &Path) -> Result<fs::File, ScanError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ScanError::Io { path, source }
    };
    fs::create_dir_all(out).map_err(io(out))?;
    let path = out.join(LOCK_FILE);
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(io(&path))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(fs::TryLockError::WouldBlock) => Err(ScanError::OutputLocked(out.to_path_buf())),
        Err(fs::TryLockError::Error(e)) => Err(io(&path)(e)),
    }
}

/// Removes what an interrupted run may have left that is not part of the table: a summary
/// (a finished scan's summary beside a new run's rows would lie), and unfinished part and
/// summary files (`*.tmp`). Only called while holding the lock, so no other scan is writing
/// them.
fn remove_leftovers(out: &Path) -> Result<(), ScanError> {
    let entries = fs::read_dir(out).map_err(|source| ScanError::Io {
        path: out.to_path_buf(),
        source,
    })?;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name == SUMMARY_FILE || name.ends_with(".parquet.tmp") || name.ends_with(".json.tmp") {
            let path = entry.path();
            fs::remove_file(&path).map_err(|source| ScanError::Io { path, source })?;
        }
    }
    Ok(())
}

/// Writes `bytes` to `path` through a temporary file and a rename, so `path` is either the
/// old file, absent, or the whole new one — never a part.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), ScanError> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ScanError::Io { path, source }
    };
    let mut file = fs::File::create(&tmp).map_err(io(&tmp))?;
    std::io::Write::write_all(&mut file, bytes).map_err(io(&tmp))?;
    file.sync_all().map_err(io(&tmp))?;
    fs::rename(&tmp, path).map_err(io(path))
}

fn progress_bar(enabled: bool) -> ProgressBar {
    if !enabled {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} docs  {per_sec}  ETA {eta}",
    );
    if let Ok(style) = style {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// How many documents the export holds, for the progress bar's total.
fn count_documents(export: &Export) -> Result<u64, SourceError> {
    match &export.kind {
        ExportKind::Noark5 { arkivstruktur, .. } => count_dokumentobjekt(arkivstruktur),
        ExportKind::Folder => Ok(folder::walk(&export.root).filter(Result::is_ok).count() as u64),
    }
}
