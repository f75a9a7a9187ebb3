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
    println!(
        "ratio arkivar/pdftotext: {:.2}x (small files: pdftotext pays a process start each)",
        theirs / ours
    );

    // One long document, where pdftotext's start-up is amortised: the fairer per-page race.
    let long = long_pdf(&docs);
    let path = std::env::temp_dir().join(format!("arkivar-bench-{}.pdf", std::process::id()));
    std::fs::write(&path, &long.0).expect("write the long PDF");
    let rounds = 5;
    let start = Instant::now();
    for _ in 0..rounds {
        std::hint::black_box(extract_bytes(&long.0, Some("long.pdf"), &limits));
    }
    let ours = start.elapsed().as_secs_f64();
    let start = Instant::now();
    for _ in 0..rounds {
        let _ = Command::new("pdftotext")
            .arg("-q")
            .arg(&path)
            .arg("-")
            .output();
    }
    let theirs = start.elapsed().as_secs_f64();
    let _ = std::fs::remove_file(&path);
    let pages = (long.1 * rounds) as f64;
    println!("one {}-page PDF, {rounds} rounds:", long.1);
    println!("arkivar:   {:>10.1} pages/s", pages / ours);
    println!("pdftotext: {:>10.1} pages/s", pages / theirs);
    println!("ratio arkivar/pdftotext: {:.2}x", theirs / ours);
}

/// A long Norwegian PDF (every sample text, repeated) and its page count.
fn long_pdf(docs: &[(PathBuf, Vec<u8>)]) -> (Vec<u8>, usize) {
    use arkivar::synth::pdf::{write_pdf, FontFlavor, Line, PdfSpec};
    let limits = Limits::default();
    let lines: Vec<Line> = docs
        .iter()
        .map(|(p, b)| extract_bytes(b, p.to_str(), &limits).text)
        .filter(|t| !t.is_empty())
        .flat_map(|t| t.lines().map(Line::plain).collect::<Vec<_>>())
        .collect();
    let pages: Vec<Vec<Line>> = lines
        .chunks(45)
        .map(<[Line]>::to_vec)
        .cycle()
        .take(300)
        .collect();
    let spec = PdfSpec {
        title: "Lang rapport".into(),
        pages,
        flavor: FontFlavor::WinAnsiHelvetica,
        word_gaps_by_positioning: true,
        use_form_xobject: false,
    };
    let bytes = write_pdf(&spec);
    let n = extract_bytes(&bytes, Some("long.pdf"), &limits)
        .pages
        .unwrap_or(0) as usize;
    (bytes, n)
}
