//! Extraction speed against `pdftotext` (poppler) on the same PDFs, printed as a ratio.
//!
//! `cargo bench --bench extract`. PDFs: the sample export's, plus every PDF under
//! `../shared/noark5` when present. pdftotext runs once per file as a user would run it, so its
//! numbers include process start-up; arkivar's include reading nothing from disk (bytes are
//! loaded first). Both sides see the same files the same number of times.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use arkivar::extract::{extract_bytes, Limits};

fn pdfs(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            pdfs(&p, out);
        } else if p.extension().is_some_and(|x| x.eq_ignore_ascii_case("pdf")) {
            out.push(p);
        }
    }
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    pdfs(&root.join("datasets/sample/dokumenter"), &mut files);
    pdfs(&root.join("../shared/noark5"), &mut files);
    let docs: Vec<(PathBuf, Vec<u8>)> = files
        .into_iter()
        .filter_map(|p| std::fs::read(&p).ok().map(|b| (p, b)))
        .collect();
    let rounds = 20;
    let limits = Limits::default();

    let mut pages = 0u64;
    let start = Instant::now();
    for _ in 0..rounds {
        for (path, bytes) in &docs {
            let e = extract_bytes(bytes, path.to_str(), &limits);
            pages += u64::from(e.pages.unwrap_or(0));
        }
    }
    let ours = start.elapsed().as_secs_f64();

    let has_pdftotext = Command::new("pdftotext").arg("-v").output().is_ok();
    println!(
        "{} PDFs, {} rounds, {} pages in all",
        docs.len(),
        rounds,
        pages
    );
    println!("arkivar:   {:>10.1} pages/s", pages as f64 / ours);
    if !has_pdftotext {
        println!("pdftotext not installed: no ratio (apt-get install poppler-utils)");
        return;
    }
    let start = Instant::now();
    for _ in 0..rounds {
        for (path, _) in &docs {
            let _ = Command::new("pdftotext")
                .arg("-q")
                .arg(path)
                .arg("-")
                .output();
        }
    }
    let theirs = start.elapsed().as_secs_f64();
    println!(
        "pdftotext: {:>10.1} pages/s (one process per file)",
        pages as f64 / theirs
    );
    println!("ratio arkivar/pdftotext: {:.2}x", theirs / ours);
}
