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
use super::drive::{drive, worker_pool, DriveFailure, Selection, Work};
use super::manifest::{DocIdDigest, Manifest, ScanIdentity, MANIFEST_VERSION};
use super::memory::{MemoryBudget, DEFAULT_BUDGET};
use super::out_files::{shard_of_file, ScanFiles};
use super::row::{apply_embedding, apply_suggestions, finish_review};
use super::shard::Shard;
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
    /// Only this shard of the export's documents ([`Shard::WHOLE`]: all); shards of one
    /// export share the output folder (see [`super::out_files`]).
    pub shard: Shard,
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
            shard: Shard::WHOLE,
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
    /// Another scan is writing into the output folder (it holds the lock file).
    #[error(
        "{} is in use by another scan (it holds {}); wait for it to finish, or choose another \
         output folder", .0.parent().unwrap_or(.0).display(), .0.display()
    )]
    OutputLocked(PathBuf),
    /// The output folder holds parts of the export split another way (another number of
    /// shards, or a whole scan beside shards): their documents would overlap this scan's.
    #[error(
        "{out} holds {found}, and this scan is {this}: the two would split the export \
         differently and rows would be missing or doubled; scan into another folder, or remove \
         the other scan's files"
    )]
    OtherSharding {
        /// The output folder.
        out: PathBuf,
        /// What it holds (e.g. `parts of shard 2 of 4`).
        found: String,
        /// This scan (`the whole export` or `shard 1 of 8`).
        this: String,
    },
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
    let files = ScanFiles::new(&opts.out, opts.shard);
    let _lock = lock_output(&files)?;
    let done_ids = prepare_output(opts, &files)?;
    let mut identity = scan_identity(opts, &export);
    let resolver = export.resolver()?;

    let progress = progress_bar(opts.progress);
    if !progress.is_hidden() {
        // A shard's share, about: the hash spreads documents evenly.
        let all = count_documents(&export).unwrap_or(0);
        progress.set_length(all.div_ceil(u64::from(opts.shard.count())));
    }
    for w in &export.warnings {
        progress.println(format!("warning: {w}"));
    }

    let writer = PartWriter::create(
        &opts.out,
        PartSettings {
            part_rows: opts.part_rows.max(1),
            metadata: metadata(opts, &identity, &started),
            prefix: files.part_prefix(),
            ..PartSettings::default()
        },
    )?;
    let embeddings_out = opts.embeddings_out.as_deref().map(|p| files.own_copy(p));
    let stage = embed_stage(opts, embeddings_out.as_deref(), !done_ids.is_empty())?;
    if let (Some(_), Some(path)) = (&stage, &embeddings_out) {
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
    let problems = files
        .problems()
        .map(|path| {
            fs::File::create(&path)
                .map(std::io::BufWriter::new)
                .map_err(|source| ScanError::Io { path, source })
        })
        .transpose()?;

    let mut sink = Sink {
        summary: ScanSummary {
            shard: (!opts.shard.is_whole()).then_some(opts.shard),
            export_kind: identity.export_kind.clone(),
            noark_version: export.noark_version().map(str::to_string),
            started: started.clone(),
            model_id: stage.as_ref().map(|(s, _)| s.model_id().to_string()),
            embed_precision: opts.embedder.as_ref().map(|e| e.precision().to_string()),
            ocr_on: opts.limits.ocr.is_some(),
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
        Selection {
            shard: opts.shard,
            done: &done_ids,
        },
        problems,
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
    summary.other_shards = report.other_shards;
    summary.problems = report.problems;
    summary.finished = now_utc();
    summary.seconds = started_at.elapsed().as_secs_f64();
    summary.docs_per_second = summary.rows_written as f64 / summary.seconds.max(1e-9);
    let json = serde_json::to_vec_pretty(&summary).unwrap_or_default();
    write_atomically(&files.summary(), &json)?;
    if let Some(e) = report.error {
        return Err(e.into());
    }
    identity.arkivstruktur_sha256 = report.source_sha256;
    write_manifest(&files, identity, started, summary.finished.clone())?;
    Ok(summary)
}

/// Writes the manifest that marks this scan (or shard) finished: every row its parts hold,
/// over all its runs, counted and digested from the files themselves.
fn write_manifest(
    files: &ScanFiles,
    identity: ScanIdentity,
    started: String,
    finished: String,
) -> Result<(), ScanError> {
    let parts = files.parts()?;
    let digest = DocIdDigest::of_parts(&parts)?;
    let manifest = Manifest {
        manifest_version: MANIFEST_VERSION,
        shard: files.shard(),
        rows: digest.count,
        doc_ids_digest: digest.hex(),
        parts: parts
            .iter()
            .filter_map(|p| Some(p.file_name()?.to_string_lossy().into_owned()))
            .collect(),
        identity,
        started,
        finished,
    };
    let json = serde_json::to_vec_pretty(&manifest).unwrap_or_default();
    write_atomically(&files.manifest(), &json)
}

/// What this scan reads and with what, as every shard of it must agree; the checksum of
/// `arkivstruktur.xml` is added when the stream has read it.
fn scan_identity(opts: &ScanOptions, export: &Export) -> ScanIdentity {
    ScanIdentity {
        export: opts.export.display().to_string(),
        export_kind: match export.kind {
            ExportKind::Noark5 { .. } => "noark5".into(),
            ExportKind::Folder => "folder".into(),
        },
        arkivstruktur_sha256: None,
        arkivar_version: env!("CARGO_PKG_VERSION").to_string(),
        schema_version: SCHEMA_VERSION.to_string(),
        model_sha256: opts
            .embedder
            .as_ref()
            .map_or("none".to_string(), |e| e.model_sha256().to_string()),
        classifier_sha256: match (&opts.classifier, &opts.learned) {
            (Some(c), _) => c.sha256.clone(),
            (None, Some(_)) => "learned from this export (cross-fitted)".to_string(),
            (None, None) => "none".to_string(),
        },
        catalog: opts.catalog.name.clone(),
    }
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
fn metadata(opts: &ScanOptions, identity: &ScanIdentity, started: &str) -> Vec<(String, String)> {
    let pairs = [
        ("arkivar.version", identity.arkivar_version.clone()),
        ("arkivar.schema_version", identity.schema_version.clone()),
        ("arkivar.command", opts.command.clone()),
        ("arkivar.export", identity.export.clone()),
        ("arkivar.shard", opts.shard.to_string()),
        ("arkivar.started", started.to_string()),
        ("arkivar.model_sha256", identity.model_sha256.clone()),
        (
            "arkivar.embed_precision",
            opts.embedder
                .as_ref()
                .map_or("none".to_string(), |e| e.precision().to_string()),
        ),
        (
            "arkivar.classifier_sha256",
            identity.classifier_sha256.clone(),
        ),
        ("arkivar.catalog", identity.catalog.clone()),
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
    embeddings_out: Option<&Path>,
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
    if let Some(path) = embeddings_out {
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
            return Err(ScanError::EmbeddingsAmongParts(path.to_path_buf()));
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

/// Checks the output folder; returns the ids an earlier run of this scan (or shard) completed
/// when resuming.
fn prepare_output(opts: &ScanOptions, files: &ScanFiles) -> Result<HashSet<String>, ScanError> {
    remove_leftovers(files)?;
    refuse_other_sharding(files)?;
    let parts = files.parts()?;
    if parts.is_empty() {
        return Ok(HashSet::new());
    }
    if opts.resume {
        return Ok(completed_doc_ids(&parts)?);
    }
    if !opts.overwrite {
        return Err(ScanError::OutputExists(opts.out.clone()));
    }
    for p in parts {
        fs::remove_file(&p).map_err(|source| ScanError::Io { path: p, source })?;
    }
    Ok(HashSet::new())
}

/// Refuses an output folder whose parts split the export another way than `files`' shard:
/// a whole scan's parts beside shards, or shards of another N.
fn refuse_other_sharding(files: &ScanFiles) -> Result<(), ScanError> {
    let this = files.shard();
    for part in part_files(files.dir())? {
        let Some(name) = part.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let found = shard_of_file(name).unwrap_or(Shard::WHOLE);
        if found.count() != this.count() {
            let describe = |s: Shard| {
                if s.is_whole() {
                    "the whole export".to_string()
                } else {
                    format!("shard {} of {}", s.index(), s.count())
                }
            };
            return Err(ScanError::OtherSharding {
                out: files.dir().to_path_buf(),
                found: format!("parts of a scan of {} ({name})", describe(found)),
                this: describe(this),
            });
        }
    }
    Ok(())
}

/// Takes the output folder for this scan: creates it and holds an exclusive lock on its lock
/// file (`OUT/_lock`, or the shard's) until the returned file is dropped (the operating system
/// releases it when the process ends, however it ends). A second scan of the same shard into
/// the same folder is refused; other shards have locks of their own.
fn lock_output(files: &ScanFiles) -> Result<fs::File, ScanError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ScanError::Io { path, source }
    };
    let out = files.dir();
    fs::create_dir_all(out).map_err(io(out))?;
    let path = files.lock();
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(io(&path))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(fs::TryLockError::WouldBlock) => Err(ScanError::OutputLocked(path)),
        Err(fs::TryLockError::Error(e)) => Err(io(&path)(e)),
    }
}

/// Removes what an interrupted run of this scan (or shard) may have left that is not part of
/// the table: its summary and manifest (a finished scan's beside a new run's rows would lie),
/// and its unfinished part and summary files (`*.tmp`). Only called while holding the
/// shard's lock, so no other run is writing them; other shards' files are left alone.
fn remove_leftovers(files: &ScanFiles) -> Result<(), ScanError> {
    let out = files.dir();
    let entries = fs::read_dir(out).map_err(|source| ScanError::Io {
        path: out.to_path_buf(),
        source,
    })?;
    for entry in entries.flatten() {
        let name = entry.file_name();
        if files.is_leftover(&name.to_string_lossy()) {
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
