//! The `arkivar` command line: argument parsing only; the work is in the library.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};

use std::sync::Arc;

use arkivar::classify::catalog::Catalog;
use arkivar::embed::{device_from_name, EmbedOptions, Embedder, Precision};
use arkivar::extract::{extract_bytes, Limits};
use arkivar::pii::screening::review;
use arkivar::pipeline::{scan, ScanOptions};

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
    /// Report what an export holds and what is wrong with it, without any model.
    Inspect {
        /// The export.
        export: PathBuf,
        /// Print the full report as JSON.
        #[arg(long)]
        json: bool,
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
    },
}

/// The embedding stage.
#[derive(Args)]
struct EmbedArgs {
    /// A sentence-transformers model directory (config.json, tokenizer.json,
    /// model.safetensors) instead of the built-in all-MiniLM-L6-v2.
    #[arg(long, value_name = "DIR")]
    model: Option<PathBuf>,
    /// Skip the embedding stage (extraction and personal data only; much faster).
    #[arg(long, conflicts_with_all = ["model", "embeddings_out"])]
    no_embed: bool,
    /// Windows embedded per document at most; a longer text is marked `text_truncated`.
    #[arg(long, default_value_t = 64)]
    max_chunks: usize,
    /// Also write doc_id + vector to this Parquet file (for notebooks).
    #[arg(long, value_name = "FILE.parquet")]
    embeddings_out: Option<PathBuf>,
    /// `cpu`, or `cuda` / `cuda:N` in a build with the `cuda` feature.
    #[arg(long, default_value = "cpu")]
    device: String,
    /// Projection weights in `f32` or `q8` (Q8_0 blocks).
    #[arg(long, default_value = "f32", value_parser = ["f32", "q8"])]
    precision: String,
    /// Embedding cache folder (default: OUT/_embed_cache); vectors of unchanged texts are
    /// read from it instead of computed.
    #[arg(long, value_name = "DIR")]
    embed_cache: Option<PathBuf>,
    /// Do not read or write the embedding cache.
    #[arg(long, conflicts_with = "embed_cache")]
    no_embed_cache: bool,
}

impl EmbedArgs {
    /// The embedder these flags ask for, or `None` with `--no-embed`.
    fn embedder(&self) -> Result<Option<Arc<Embedder>>> {
        if self.no_embed {
            return Ok(None);
        }
        let device = device_from_name(&self.device)?;
        let options = EmbedOptions {
            max_chunks: self.max_chunks.max(1),
            precision: if self.precision == "q8" {
                Precision::Q8
            } else {
                Precision::F32
            },
            ..EmbedOptions::default()
        };
        let embedder = match &self.model {
            Some(dir) => Embedder::from_dir_with(dir, &device, options)
                .with_context(|| format!("loading model {}", dir.display()))?,
            None => Embedder::default_model_with(&device, options)
                .context("loading the built-in model")?,
        };
        Ok(Some(Arc::new(embedder)))
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

/// Per-document limits.
#[derive(Args)]
struct LimitArgs {
    /// Skip files larger than this many MiB (too_large).
    #[arg(long, default_value_t = 256)]
    max_mib: u64,
    /// Skip PDFs with more pages than this (too_large).
    #[arg(long, default_value_t = 5_000)]
    max_pages: usize,
    /// Give up on a document after this many seconds (timeout).
    #[arg(long, default_value_t = 120)]
    timeout_secs: u64,
}

impl LimitArgs {
    fn limits(&self) -> Limits {
        Limits {
            max_bytes: self.max_mib.saturating_mul(1024 * 1024),
            max_pages: self.max_pages,
            timeout: Duration::from_secs(self.timeout_secs),
            ..Limits::default()
        }
    }
}

/// The catalogue from `--catalog`, or the built-in default.
fn load_catalog(path: Option<&std::path::Path>) -> Result<Catalog> {
    Ok(match path {
        Some(p) => {
            Catalog::from_path(p).with_context(|| format!("loading catalogue {}", p.display()))?
        }
        None => Catalog::default_catalog(),
    })
}

fn main() -> ExitCode {
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
            part_rows,
            catalog,
            unmasked_evidence,
            limits,
            embed,
        } => {
            if unmasked_evidence {
                eprintln!("arkivar: WARNING: --unmasked-evidence writes personal data in clear text to {}", out.display());
            }
            let opts = ScanOptions {
                catalog: Arc::new(load_catalog(catalog.as_deref())?),
                unmasked_evidence,
                limits: limits.limits(),
                threads,
                resume,
                overwrite,
                progress: !quiet,
                command: std::env::args().collect::<Vec<_>>().join(" "),
                part_rows,
                embedder: embed.embedder()?,
                embed_cache: embed.cache(&out),
                embeddings_out: embed.embeddings_out.clone(),
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
            let limits = limits.limits();
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
            let catalog = load_catalog(catalog.as_deref())?;
            let limits = limits.limits();
            let mut out = std::io::stdout().lock();
            for file in &files {
                let bytes =
                    std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
                let e = extract_bytes(&bytes, file.file_name().and_then(|n| n.to_str()), &limits);
                writeln!(out, "{}: {}", file.display(), e.status.as_str())?;
                if !e.status.has_text() {
                    continue;
                }
                let report = review(&e.text, &catalog);
                for f in &report.findings {
                    let shown: String = if unmasked_evidence {
                        e.text.chars().skip(f.start).take(f.end - f.start).collect()
                    } else {
                        f.masked.clone()
                    };
                    writeln!(
                        out,
                        "  {:<20} {:>7}..{:<7} {:.2}  {shown}",
                        f.kind.as_str(),
                        f.start,
                        f.end,
                        f.score
                    )?;
                }
                match &report.rule {
                    Some((rule, score)) => writeln!(
                        out,
                        "  kinds: {}; suggested screening: {} ({}), score {score:.2}",
                        report.kinds.join(", "),
                        rule.screening.hjemmel,
                        rule.id
                    )?,
                    None => writeln!(
                        out,
                        "  kinds: {}; no screening suggested",
                        report.kinds.join(", ")
                    )?,
                }
            }
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
        Command::Synth { out, docs, seed } => {
            let summary = arkivar::synth::generate(&out, docs, seed)
                .with_context(|| format!("generating {}", out.display()))?;
            eprintln!("{summary}");
            Ok(ExitCode::SUCCESS)
        }
    }
}
