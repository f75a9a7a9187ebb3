//! The scan pipeline: source → extract → pii → embed → output, joined by bounded channels.
//!
//! ```text
//!  reader thread ──(bounded)──► rayon workers ──(bounded)──► writer (this thread)
//!  streams DocRefs             resolve, read, checksum,     reorders by sequence number,
//!  skips resumed ids           extract, personal data,      embeds a batch at a time,
//!                              build the row                writes parts, shows progress
//! ```
//!
//! Memory is bounded by the channel capacities, one embedding batch and one row group,
//! whatever the export's size: only the part of a text the model can see travels on.
//! Rows are written in export order, so two scans of the same export give the same table.

pub mod corpus;

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::bounded;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::iter::{ParallelBridge, ParallelIterator};

use crate::catalog::Catalog;
use crate::classify::classifier::{Classifier, ClassifierError};
use crate::classify::features::SparseVec;
use crate::classify::suggest::suggest;
use crate::classify::zero_shot::CatalogSuggester;
use crate::embed::cache::EmbeddingCache;
use crate::embed::stage::{EmbedStage, StageError, DOCS_PER_BATCH};
use crate::embed::{EmbedError, Embedder};
use crate::extract::{extract_bytes, ExtractStatus, Extracted, FileFormat, Limits};
use crate::output::parquet::{
    completed_doc_ids, now_utc, part_files, OutputError, PartSettings, PartWriter,
};
use crate::output::preview::preview;
use crate::output::schema::PiiEvidence;
use crate::output::{ReviewRow, SCHEMA_VERSION};
use crate::pii::screening::review;
use crate::source::checksum::{sha256_hex, verify, ChecksumStatus};
use crate::source::noark5::{count_dokumentobjekt, Counts};
use crate::source::paths::{Resolver, Unresolved};
use crate::source::{
    folder, open_export, DocRef, Export, ExportKind, Problem, ProblemKind, SourceError, SourceItem,
};

/// What to scan and how.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// The export: a Noark 5 extraction, a DIAS package, or a folder of documents.
    pub export: PathBuf,
    /// The output folder for the review table's part files.
    pub out: PathBuf,
    /// Per-document limits.
    pub limits: Limits,
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
    /// A trained classifier; `None`: suggestions from the catalogue alone (with an embedder).
    pub classifier: Option<Arc<Classifier>>,
    /// Overrides the classifier's review thresholds (a score under it needs review).
    pub review_threshold: Option<f32>,
}

impl ScanOptions {
    /// Options with defaults for everything but the paths.
    pub fn new(export: impl Into<PathBuf>, out: impl Into<PathBuf>) -> ScanOptions {
        ScanOptions {
            export: export.into(),
            out: out.into(),
            limits: Limits::default(),
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
    /// A file system operation on the output folder failed.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The worker pool could not start.
    #[error("cannot start worker threads: {0}")]
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

/// What a finished scan did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ScanSummary {
    /// `noark5` or `folder`.
    pub export_kind: String,
    /// The Noark version the ADDML states, if any.
    pub noark_version: Option<String>,
    /// Rows written by this run.
    pub rows_written: u64,
    /// Documents skipped because an earlier run had written them (`--resume`).
    pub resumed_skipped: u64,
    /// Rows by `extract_status`.
    pub by_status: BTreeMap<String, u64>,
    /// Rows by `checksum_status`.
    pub by_checksum: BTreeMap<String, u64>,
    /// Export problems by kind (details in `_problems.jsonl`).
    pub problems: BTreeMap<String, u64>,
    /// The embedding model (`model_id`), when the scan embedded.
    pub model_id: Option<String>,
    /// Documents embedded by this run.
    pub embedded: u64,
    /// Embedded documents whose text was longer than the model saw (`text_truncated`).
    pub text_truncated: u64,
    /// Rows that need review.
    pub needs_review: u64,
    /// Rows by review reason (a row can have several).
    pub review_reasons: BTreeMap<String, u64>,
    /// Wall time in seconds.
    pub seconds: f64,
    /// Documents per second.
    pub docs_per_second: f64,
    /// When the scan started (UTC).
    pub started: String,
    /// When it finished (UTC).
    pub finished: String,
}

impl std::fmt::Display for ScanSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "scanned {} documents in {:.1} s ({:.1} docs/s){}",
            self.rows_written,
            self.seconds,
            self.docs_per_second,
            if self.resumed_skipped > 0 {
                format!(", {} already done by an earlier run", self.resumed_skipped)
            } else {
                String::new()
            }
        )?;
        if let Some(model) = &self.model_id {
            writeln!(
                f,
                "embedded {} documents with {model} ({} truncated)",
                self.embedded, self.text_truncated
            )?;
        }
        writeln!(f, "extract_status:")?;
        for (k, v) in &self.by_status {
            writeln!(f, "  {k:<20} {v:>8}")?;
        }
        writeln!(f, "checksum_status:")?;
        for (k, v) in &self.by_checksum {
            writeln!(f, "  {k:<20} {v:>8}")?;
        }
        writeln!(f, "needs review: {} rows; reasons:", self.needs_review)?;
        for (k, v) in &self.review_reasons {
            writeln!(f, "  {k:<36} {v:>8}")?;
        }
        if !self.problems.is_empty() {
            writeln!(f, "export problems (see _problems.jsonl):")?;
            for (k, v) in &self.problems {
                writeln!(f, "  {k:<20} {v:>8}")?;
            }
        }
        Ok(())
    }
}

/// Channel capacity between stages: enough to keep every worker busy, small enough that
/// memory does not grow with the export.
const CHANNEL_CAPACITY: usize = 256;

/// Runs a scan and writes the review table into `opts.out`.
pub fn scan(opts: &ScanOptions) -> Result<ScanSummary, ScanError> {
    let started_at = Instant::now();
    let started = now_utc();
    if let Some(c) = &opts.classifier {
        c.check_embedder(opts.embedder.as_deref())?;
    }
    let export = open_export(&opts.export)?;
    let done_ids = prepare_output(opts)?;
    let resolver = Arc::new(
        Resolver::new(&export.root).map_err(|source| SourceError::Io {
            path: export.root.clone(),
            source,
        })?,
    );

    let progress = progress_bar(opts.progress);
    if !progress.is_hidden() {
        progress.set_length(count_documents(&export).unwrap_or(0));
    }
    for w in &export.warnings {
        progress.println(format!("warning: {w}"));
    }

    let metadata = vec![
        (
            "arkivar.version".to_string(),
            env!("CARGO_PKG_VERSION").to_string(),
        ),
        (
            "arkivar.schema_version".to_string(),
            SCHEMA_VERSION.to_string(),
        ),
        ("arkivar.command".to_string(), opts.command.clone()),
        (
            "arkivar.export".to_string(),
            opts.export.display().to_string(),
        ),
        ("arkivar.started".to_string(), started.clone()),
        (
            "arkivar.model_sha256".to_string(),
            opts.embedder
                .as_ref()
                .map_or("none".to_string(), |e| e.model_sha256().to_string()),
        ),
        (
            "arkivar.classifier_sha256".to_string(),
            opts.classifier
                .as_ref()
                .map_or("none".to_string(), |c| c.sha256.clone()),
        ),
        ("arkivar.catalog".to_string(), opts.catalog.name.clone()),
        (
            "arkivar.unmasked_evidence".to_string(),
            opts.unmasked_evidence.to_string(),
        ),
    ];
    let mut writer = PartWriter::create(
        &opts.out,
        PartSettings {
            part_rows: opts.part_rows.max(1),
            metadata,
            ..PartSettings::default()
        },
    )?;

    let mut stage = embed_stage(opts, !done_ids.is_empty())?;
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

    let problems_path = opts.out.join("_problems.jsonl");
    let (doc_tx, doc_rx) = bounded::<(u64, Box<DocRef>)>(CHANNEL_CAPACITY);
    let (row_tx, row_rx) = bounded::<(u64, Processed)>(CHANNEL_CAPACITY);

    let mut summary = ScanSummary {
        export_kind: match export.kind {
            ExportKind::Noark5 { .. } => "noark5".into(),
            ExportKind::Folder => "folder".into(),
        },
        noark_version: export.noark_version().map(str::to_string),
        started,
        model_id: stage.as_ref().map(|(s, _)| s.embedder().model_id()),
        ..ScanSummary::default()
    };

    let outcome = std::thread::scope(|s| -> Result<ReaderReport, ScanError> {
        let export_ref = &export;
        let done_ref = &done_ids;
        let problems_path = &problems_path;
        let reader = s.spawn(move || read_source(export_ref, done_ref, problems_path, doc_tx));
        let resolver_ref = &resolver;
        let workers = s.spawn(move || {
            pool.install(|| {
                doc_rx
                    .into_iter()
                    .par_bridge()
                    .for_each_with(row_tx, |tx, (seq, doc)| {
                        let mut done = process(&doc, resolver_ref, opts);
                        if let Some(c) = &opts.classifier {
                            done.ngrams = c.ngrams_of(&done.row.noark, done.text.as_deref());
                        }
                        done.text = match (&opts.embedder, done.text) {
                            (Some(e), Some(t)) => Some(e.relevant_prefix(&t).to_string()),
                            _ => None,
                        };
                        // The writer only stops early on an output error, which is reported there.
                        let _ = tx.send((seq, done));
                    });
            });
        });

        // Rows go on in sequence order; out-of-order rows wait in a small map, in-order rows
        // wait for a full embedding batch.
        let mut waiting: BTreeMap<u64, Processed> = BTreeMap::new();
        let mut batch: Vec<(ReviewRow, Option<String>)> = Vec::with_capacity(DOCS_PER_BATCH);
        let mut grams: Vec<SparseVec> = Vec::with_capacity(DOCS_PER_BATCH);
        let mut next = 0u64;
        let mut error: Option<ScanError> = None;
        let mut flush = |batch: &mut Vec<(ReviewRow, Option<String>)>,
                         grams: &mut Vec<SparseVec>,
                         error: &mut Option<ScanError>,
                         summary: &mut ScanSummary| {
            let vectors = match (&error, stage.as_mut()) {
                (None, Some((stage, _))) => stage.run(batch).unwrap_or_else(|e| {
                    *error = Some(e.into());
                    Vec::new()
                }),
                _ => Vec::new(),
            };
            let suggester = stage.as_ref().and_then(|(_, s)| s.as_ref());
            for (i, ((row, _), ngrams)) in batch.iter_mut().zip(grams.iter()).enumerate() {
                let vector = vectors.get(i).and_then(Option::as_deref);
                match (&opts.classifier, vector, suggester) {
                    (Some(c), _, _) => suggest(c, row, ngrams, vector, opts.review_threshold),
                    (None, Some(v), Some(s)) => s.fill(row, v),
                    _ => {}
                }
            }
            grams.clear();
            for (mut row, _) in batch.drain(..) {
                finish_review(&mut row);
                count_row(summary, &row);
                if error.is_none() {
                    if let Err(e) = writer.push(row) {
                        *error = Some(e.into());
                    }
                }
                progress.inc(1);
            }
        };
        for (seq, done) in row_rx.iter() {
            waiting.insert(seq, done);
            while let Some(done) = waiting.remove(&next) {
                next += 1;
                batch.push((done.row, done.text));
                grams.push(done.ngrams);
                if batch.len() >= DOCS_PER_BATCH {
                    flush(&mut batch, &mut grams, &mut error, &mut summary);
                }
            }
        }
        flush(&mut batch, &mut grams, &mut error, &mut summary);
        let _ = workers.join();
        let report = reader
            .join()
            .map_err(|_| ScanError::Threads("the reader thread panicked".into()))??;
        if let Some(e) = error {
            return Err(e);
        }
        Ok(report)
    });
    progress.finish_and_clear();
    let report = outcome?;
    summary.rows_written = writer.finish()?;
    if let Some((stage, _)) = stage.take() {
        summary.embedded = stage.embedded();
        stage.finish().map_err(StageError::from)?;
    }
    summary.resumed_skipped = report.skipped;
    summary.problems = report.problems;
    summary.finished = now_utc();
    summary.seconds = started_at.elapsed().as_secs_f64();
    summary.docs_per_second = summary.rows_written as f64 / summary.seconds.max(1e-9);
    let json = serde_json::to_vec_pretty(&summary).unwrap_or_default();
    let summary_path = opts.out.join("_summary.json");
    fs::write(&summary_path, json).map_err(|source| ScanError::Io {
        path: summary_path,
        source,
    })?;
    if let Some(e) = report.error {
        return Err(e.into());
    }
    Ok(summary)
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
    let suggester = match opts.classifier {
        Some(_) => None,
        None => Some(CatalogSuggester::new(&opts.catalog, embedder).map_err(StageError::from)?),
    };
    Ok(Some((stage, suggester)))
}

/// The worker pool of a scan (and of reading a corpus): `threads`, or all cores.
pub fn worker_pool(threads: Option<usize>) -> Result<rayon::ThreadPool, String> {
    let mut b = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        b = b.num_threads(n.max(1));
    }
    b.build().map_err(|e| e.to_string())
}

/// Checks the output folder; returns the ids an earlier run completed when resuming.
fn prepare_output(opts: &ScanOptions) -> Result<HashSet<String>, ScanError> {
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

/// What the reader thread saw.
struct ReaderReport {
    skipped: u64,
    problems: BTreeMap<String, u64>,
    /// A fatal source error met part-way (the rows before it are written).
    error: Option<SourceError>,
}

fn read_source(
    export: &Export,
    done: &HashSet<String>,
    problems_path: &Path,
    tx: crossbeam_channel::Sender<(u64, Box<DocRef>)>,
) -> Result<ReaderReport, ScanError> {
    let file = fs::File::create(problems_path).map_err(|source| ScanError::Io {
        path: problems_path.to_path_buf(),
        source,
    })?;
    let mut state = ReaderState {
        tx,
        done,
        seq: 0,
        problems_out: std::io::BufWriter::new(file),
        report: ReaderReport {
            skipped: 0,
            problems: BTreeMap::new(),
            error: None,
        },
    };
    let mut documents = export.documents()?;
    for item in documents.by_ref() {
        if !state.handle(item) {
            break;
        }
    }
    if let (
        None,
        Some(counts),
        ExportKind::Noark5 {
            addml: Some(addml), ..
        },
    ) = (&state.report.error, documents.counts(), &export.kind)
    {
        for p in count_problems(&counts, addml) {
            state.record(&p);
        }
    }
    let _ = state.problems_out.flush();
    Ok(state.report)
}

/// The reader thread's state: where documents go and where problems are recorded.
struct ReaderState<'a> {
    tx: crossbeam_channel::Sender<(u64, Box<DocRef>)>,
    done: &'a HashSet<String>,
    seq: u64,
    problems_out: std::io::BufWriter<fs::File>,
    report: ReaderReport,
}

impl ReaderState<'_> {
    /// Passes one source item on; `false` when reading must stop.
    fn handle(&mut self, item: Result<SourceItem, SourceError>) -> bool {
        match item {
            Ok(SourceItem::Doc(doc)) => {
                if self.done.contains(&doc.doc_id) {
                    self.report.skipped += 1;
                    return true;
                }
                let sent = self.tx.send((self.seq, doc)).is_ok();
                self.seq += 1;
                sent
            }
            Ok(SourceItem::Problem(p)) => {
                self.record(&p);
                true
            }
            Err(e) => {
                self.report.error = Some(e);
                false
            }
        }
    }

    fn record(&mut self, p: &Problem) {
        *self
            .report
            .problems
            .entry(p.kind.as_str().to_string())
            .or_default() += 1;
        let line = serde_json::json!({
            "kind": p.kind.as_str(),
            "location": p.location,
            "message": p.message,
        });
        let _ = writeln!(self.problems_out, "{line}");
    }
}

/// Compares the element counts the ADDML file promises (`numberOfOccurrences`) with what the
/// reader found. (`antallDokumentfiler` counts files on disk; `inspect` checks it.)
pub fn count_problems(counts: &Counts, addml: &crate::source::addml::Addml) -> Vec<Problem> {
    let mut out = Vec::new();
    let location = addml.path.display().to_string();
    for (element, promised) in &addml.occurrences {
        if let Some(found) = counts.get(element) {
            if found != *promised {
                out.push(Problem {
                    kind: ProblemKind::CountMismatch,
                    location: location.clone(),
                    message: format!("ADDML promises {promised} {element}, the export has {found}"),
                });
            }
        }
    }
    out
}

fn count_row(summary: &mut ScanSummary, row: &ReviewRow) {
    summary.needs_review += u64::from(row.needs_review);
    for reason in &row.review_reasons {
        *summary.review_reasons.entry(reason.clone()).or_default() += 1;
    }
    if row.text_truncated == Some(true) {
        summary.text_truncated += 1;
    }
    if let Some(s) = row.extract_status {
        *summary.by_status.entry(s.as_str().to_string()).or_default() += 1;
    }
    if let Some(c) = row.checksum_status {
        *summary
            .by_checksum
            .entry(c.as_str().to_string())
            .or_default() += 1;
    }
}

/// One processed document: its row, and its text when there is any (for the embedding stage).
#[derive(Debug)]
pub struct Processed {
    /// The review row, suggestions not yet filled.
    pub row: ReviewRow,
    /// The extracted text, when extraction gave some.
    pub text: Option<String>,
    /// The classifier's n-gram features (empty without a classifier that reads them).
    pub ngrams: SparseVec,
}

/// Processes one document: resolve its file safely, read it, verify its checksum, extract
/// its text, look for personal data, and build its review row. Never fails: every problem is a
/// status in the row.
pub fn process(doc: &DocRef, resolver: &Resolver, opts: &ScanOptions) -> Processed {
    let mut row = ReviewRow {
        doc_id: doc.doc_id.clone(),
        source_path: doc.reference.clone(),
        noark: doc.noark.clone(),
        ..ReviewRow::default()
    };
    let extracted = match read_document(doc, resolver, &opts.limits, &mut row) {
        Ok(e) | Err(e) => e,
    };
    row.file_format = Some(extracted.format);
    row.page_count = extracted.pages;
    row.text_chars = extracted.text.chars().count() as u64;
    row.extract_status = Some(extracted.status);
    row.extract_error = extracted.error;
    let text = if extracted.status.has_text() {
        personal_data(&mut row, &extracted.text, opts);
        Some(extracted.text)
    } else {
        row.review_reasons.push("extract_failed".into());
        None
    };
    if row.checksum_status == Some(ChecksumStatus::Mismatch) {
        row.review_reasons.push("checksum_mismatch".into());
    }
    Processed {
        row,
        text,
        ngrams: SparseVec::default(),
    }
}

/// The last word on a row once every stage has filled it: a row without a suggestion, or
/// with any reason at all, needs a reviewer.
pub fn finish_review(row: &mut ReviewRow) {
    if row.klasse_suggested.is_none() {
        row.review_reasons.push("no_suggestion".into());
    }
    row.needs_review = !row.review_reasons.is_empty();
}

/// The personal-data stage: kinds, masked evidence, the screening suggestion, and a preview
/// with every finding masked.
fn personal_data(row: &mut ReviewRow, text: &str, opts: &ScanOptions) {
    let report = review(text, &opts.catalog);
    let clear =
        |f: &crate::pii::Finding| text.chars().skip(f.start).take(f.end - f.start).collect();
    row.pii_evidence = Some(
        report
            .findings
            .iter()
            .map(|f| PiiEvidence {
                kind: f.kind.as_str().to_string(),
                masked: if opts.unmasked_evidence {
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
    if !report.kinds.is_empty() {
        row.review_reasons.push("personal_data".into());
    }
    let kinds = report.kinds.iter().map(|k| k.as_str().to_string());
    row.pii_kinds = Some(kinds.collect());
    row.skjerming_suggested = Some(report.rule.is_some());
    if let Some((rule, score)) = report.rule {
        row.skjerming_hjemmel_suggested = Some(rule.screening.hjemmel);
        row.skjerming_score = Some(score);
    }
    row.text_preview = Some(preview(&crate::pii::mask(text, &report.to_mask)));
}

/// Reads and extracts; `Err` carries the failed extraction for documents that could not be read.
fn read_document(
    doc: &DocRef,
    resolver: &Resolver,
    limits: &Limits,
    row: &mut ReviewRow,
) -> Result<Extracted, Extracted> {
    let guessed = |name: Option<&str>| FileFormat::detect(&[], name);
    let name = doc.reference.as_deref();
    row.checksum_status = Some(ChecksumStatus::NotChecked);
    let reference = name.ok_or_else(|| {
        Extracted::failed(
            FileFormat::Unknown,
            ExtractStatus::MissingFile,
            "the dokumentobjekt names no file (referanseDokumentfil)",
        )
    })?;
    let path = resolver.resolve(reference).map_err(|why| match why {
        Unresolved::Unsafe => Extracted::failed(
            guessed(name),
            ExtractStatus::UnsafePath,
            "the reference points outside the export; the file was not opened",
        ),
        Unresolved::Missing => Extracted::failed(
            guessed(name),
            ExtractStatus::MissingFile,
            "no such file in the export",
        ),
    })?;
    let size = fs::metadata(&path).map(|m| m.len()).map_err(|e| {
        Extracted::failed(
            guessed(name),
            ExtractStatus::MissingFile,
            format!("cannot read: {e}"),
        )
    })?;
    row.file_bytes = Some(size);
    if size > limits.max_bytes {
        return Err(Extracted::failed(
            guessed(name),
            ExtractStatus::TooLarge,
            format!("{size} bytes, over the limit of {}", limits.max_bytes),
        ));
    }
    let bytes = fs::read(&path).map_err(|e| {
        Extracted::failed(
            guessed(name),
            ExtractStatus::MissingFile,
            format!("cannot read: {e}"),
        )
    })?;
    let sha = sha256_hex(&bytes);
    row.checksum_status = Some(verify(&bytes, &sha, doc.expected_checksum.as_ref()));
    row.file_sha256 = Some(sha);
    Ok(extract_bytes(&bytes, name, limits))
}
