//! Cost of the personal-data stage against extraction, per document, on the same files.
//!
//! `cargo bench --bench pii`. Documents: a generated export (`ARKIVAR_BENCH_DOCS`, default 500).
//! The budget: the PII stage costs less than 10% of extraction time.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use arkivar::catalog::Catalog;
use arkivar::extract::{extract_bytes, Limits};
use arkivar::pii::screening::review;

/// Extraction and personal-data time per document over `files`, three rounds.
fn measure(label: &str, files: &[PathBuf], catalog: &Catalog) {
    let bytes: Vec<(String, Vec<u8>)> = files
        .iter()
        .filter_map(|p| Some((p.to_str()?.to_string(), std::fs::read(p).ok()?)))
        .collect();
    let limits = Limits::default();
    let (mut extract_time, mut pii_time) = (Duration::ZERO, Duration::ZERO);
    let (mut texts, mut chars) = (0usize, 0usize);
    for _round in 0..3 {
        for (name, b) in &bytes {
            let t = Instant::now();
            let e = extract_bytes(b, Some(name), &limits);
            extract_time += t.elapsed();
            if e.status.has_text() {
                let t = Instant::now();
                let report = review(&e.text, catalog);
                pii_time += t.elapsed();
                std::hint::black_box(report);
                texts += 1;
                chars += e.text.chars().count();
            }
        }
    }
    let per = |d: Duration, n: usize| d.as_secs_f64() * 1e3 / n.max(1) as f64;
    let n = bytes.len() * 3;
    println!(
        "{label}: {} documents × 3 rounds; {} with text, {} chars on average",
        bytes.len(),
        texts / 3,
        chars / texts.max(1)
    );
    println!("extraction:    {:.3} ms/document", per(extract_time, n));
    println!(
        "personal data: {:.3} ms/document with text",
        per(pii_time, texts)
    );
    println!(
        "PII stage / extraction time: {:.1}% (budget: < 10%)",
        100.0 * pii_time.as_secs_f64() / extract_time.as_secs_f64()
    );
}

fn main() {
    let docs: usize = std::env::var("ARKIVAR_BENCH_DOCS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(500);
    let dir = tempfile::tempdir().expect("temp dir");
    let export = dir.path().join("export");
    arkivar::synth::generate(&export, docs, 11).expect("generate");
    let mut files: Vec<_> = std::fs::read_dir(export.join("dokumenter"))
        .expect("documents")
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    let catalog = Catalog::default_catalog();

    // Patterns and lexicons are built once per process; a scan pays that once, not per document.
    std::hint::black_box(review(
        "Oppvarming av mønstre: Kari Nordmann, 22 33 44 55.",
        &catalog,
    ));
    measure("generated export (seed 11)", &files, &catalog);
    // Real documents: every PDF under ../shared (Arkade and noark5-tester test extractions).
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    let real: Vec<PathBuf> = walkdir::WalkDir::new(&shared)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf")))
        .collect();
    if real.is_empty() {
        println!("(no real PDFs under {}: skipped)", shared.display());
    } else {
        println!();
        measure("real PDFs under ../shared", &real, &catalog);
    }
    println!();
    println!("quality against the planted truth:");
    match arkivar::pii::eval::evaluate(&export, &catalog) {
        Ok(eval) => {
            println!("{eval}");
            // ARKIVAR_PII_ERRORS=1 lists every miss and false finding (synthetic values).
            if std::env::var_os("ARKIVAR_PII_ERRORS").is_some() {
                for (kind, what, value, doc) in &eval.errors {
                    println!("  {kind:<12} {what:<6} {value:<40} {doc}");
                }
            }
        }
        Err(e) => println!("cannot evaluate: {e}"),
    }
}
