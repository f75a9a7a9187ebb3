//! OCR: how well and how fast scanned pages are read.
//!
//! `cargo bench --features ocr --bench ocr`. Variables:
//! - `ARKIVAR_BENCH_DOCS` (default 40): documents of each scanned export (CER, fødselsnummer);
//! - `ARKIVAR_BENCH_PAGES` (default 16): pages timed against the `tesseract` program;
//! - `ARKIVAR_BENCH_CLASSIFY_DOCS` (default 200; 0 skips): test documents for klasse accuracy.
//!
//! 1. **Character error rate** against known text: `synth --shifted test --scanned Q` for
//!    Q = clean (300 dpi), degraded (150–200 dpi, 1–2° skew, speckles, JPEG artefacts), fax
//!    (1-bit, 200 dpi), in the formats a kommune has (image PDFs with DCT, CCITT or Flate
//!    images, TIFF G4/LZW/Deflate, PNG, JPEG). Each file goes through `extract_bytes` as a scan
//!    reads it; the CER is the edit distance over the printed text's length, white space runs
//!    folded to one space and nothing else: every æ, ø, å (and case, and punctuation) counts.
//!    Errors on æ/ø/å themselves (substituted or dropped in the alignment) are counted apart.
//! 2. **Fødselsnummer recall** on scanned pages: letters with a valid fødselsnummer beside a
//!    label, printed and scanned at each quality; found = the personal-data detector reports
//!    a fødselsnummer over that span. A misread digit breaks the check digits; such a number
//!    beside its label is still reported, at a lower score (`src/pii/fnr.rs`): both counted.
//! 3. **Pages per second** against the `tesseract` program on the same page images (clean
//!    300-dpi PNG letters), the same languages (`nor+eng`), the same page segmentation and the
//!    same two threads: `tesseract` as two processes at a time, one per page,
//!    `OMP_THREAD_LIMIT=1`; arkivar in process on a pool of two threads, one engine each, and
//!    as a whole `arkivar scan --no-embed --threads 2` of the folder.
//! 4. **Klasse accuracy** of scanned copies: a classifier trained on the born-digital shifted
//!    train side, evaluated (`arkivar eval`) on the born-digital test side and on its degraded
//!    scanned copy (same documents, same labels).
//!
//! Results on the 2-core build machine (2026-12-06; README "Scanned documents"): CER 0.060%
//! clean, 0.256% degraded, 0.055% fax (44 documents, 48 pages, 39 914 characters each; 8, 9
//! and 5 of 959 æ/ø/å wrong); fødselsnummer 40 of 40 at each quality; pages/s `tesseract` 1.04,
//! arkivar in process 1.19 (1.14×), whole scan 1.10 (1.05×); klasse accuracy on 200 test
//! documents 0.815 born-digital, 0.819 scanned (degraded).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use arkivar::extract::{extract_bytes, Limits};
use arkivar::pii::{detect, PiiKind};
use arkivar::synth::date::Date;
use arkivar::synth::personal::fodselsnummer;
use arkivar::synth::rng::Rng;
use arkivar::synth::scanned::{degrade, png, render_pages, scan_copy, Degradation, ScanQuality};
use arkivar::synth::shifted::{generate_shifted, Side, SCANS_JSONL};
use rayon::prelude::*;

fn var(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn pool() -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .expect("a pool")
}

/// Edit distance, and how many of the reference's æ/ø/å the alignment gets wrong.
fn edits(reference: &[char], read: &[char]) -> (usize, usize) {
    let (n, m) = (reference.len(), read.len());
    let mut d = vec![0u32; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in 0..=n {
        d[at(i, 0)] = i as u32;
    }
    for j in 0..=m {
        d[at(0, j)] = j as u32;
    }
    for i in 1..=n {
        for j in 1..=m {
            let sub = d[at(i - 1, j - 1)] + u32::from(reference[i - 1] != read[j - 1]);
            d[at(i, j)] = sub.min(d[at(i - 1, j)] + 1).min(d[at(i, j - 1)] + 1);
        }
    }
    // Walk back: a reference æ/ø/å that is substituted or deleted is an error on it.
    let special = |c: char| "æøåÆØÅ".contains(c);
    let (mut i, mut j, mut wrong) = (n, m, 0);
    while i > 0 || j > 0 {
        if i > 0
            && j > 0
            && d[at(i, j)] == d[at(i - 1, j - 1)] + u32::from(reference[i - 1] != read[j - 1])
        {
            wrong += usize::from(special(reference[i - 1]) && reference[i - 1] != read[j - 1]);
            i -= 1;
            j -= 1;
        } else if i > 0 && d[at(i, j)] == d[at(i - 1, j)] + 1 {
            wrong += usize::from(special(reference[i - 1]));
            i -= 1;
        } else {
            j -= 1;
        }
    }
    (d[at(n, m)] as usize, wrong)
}

fn folded(s: &str) -> Vec<char> {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .collect()
}

fn character_error_rates(dir: &Path, docs: usize) {
    println!("## Character error rate ({docs} documents per quality, shifted test side)");
    println!("| scans | documents | pages | characters | CER | æ/ø/å wrong | mean confidence | under {:.2} | s/page |", arkivar::extract::ocr::LOW_CONFIDENCE);
    println!("|---|---|---|---|---|---|---|---|---|");
    for quality in [ScanQuality::Clean, ScanQuality::Degraded, ScanQuality::Fax] {
        let export = dir.join(quality.as_str());
        generate_shifted(&export, Side::Test, docs, 7, Some(quality)).expect("a scanned export");
        let lines = std::fs::read_to_string(export.join(SCANS_JSONL)).expect("scans.jsonl");
        let scans: Vec<serde_json::Value> = lines
            .lines()
            .map(|l| serde_json::from_str(l).expect("json"))
            .collect();
        let started = Instant::now();
        let results: Vec<(usize, usize, usize, usize, Option<f32>)> = pool().install(|| {
            scans
                .par_iter()
                .map(|s| {
                    let reference = s["reference"].as_str().unwrap_or_default();
                    let bytes = std::fs::read(export.join(reference)).expect("the scan");
                    let e = extract_bytes(&bytes, Some(reference), &Limits::default());
                    let truth = folded(s["text"].as_str().unwrap_or_default());
                    let (errors, special_wrong) = edits(&truth, &folded(&e.text));
                    let special = truth.iter().filter(|c| "æøåÆØÅ".contains(**c)).count();
                    (
                        truth.len(),
                        errors,
                        special,
                        special_wrong,
                        e.ocr.and_then(|o| o.confidence),
                    )
                })
                .collect()
        });
        let seconds = started.elapsed().as_secs_f64();
        let pages: usize = scans
            .iter()
            .map(|s| s["pages"].as_u64().unwrap_or(1) as usize)
            .sum();
        let chars: usize = results.iter().map(|r| r.0).sum();
        let errors: usize = results.iter().map(|r| r.1).sum();
        let special: usize = results.iter().map(|r| r.2).sum();
        let special_wrong: usize = results.iter().map(|r| r.3).sum();
        let confs: Vec<f32> = results.iter().filter_map(|r| r.4).collect();
        let low = results
            .iter()
            .filter(|r| {
                r.4.is_none_or(|c| c < arkivar::extract::ocr::LOW_CONFIDENCE)
            })
            .count();
        println!(
            "| {} | {} | {pages} | {chars} | {:.3}% | {special_wrong} of {special} | {:.3} | {low} | {:.2} |",
            quality.as_str(),
            scans.len(),
            100.0 * errors as f64 / chars.max(1) as f64,
            confs.iter().sum::<f32>() / confs.len().max(1) as f32,
            seconds * 2.0 / pages.max(1) as f64,
        );
    }
}

fn fodselsnummer_recall(docs: usize) {
    println!("\n## Fødselsnummer recall on scanned pages ({docs} letters per quality)");
    println!("| scans | numbers | digits read exactly | found (valid) | found (misread, by its label) | missed |");
    println!("|---|---|---|---|---|---|");
    let labels = ["Fødselsnummer:", "Fnr.", "fødselsnr.", "personnummer"];
    let letters: Vec<(String, String)> = (0..docs)
        .map(|n| {
            let born = Date::new(1940 + (n % 50) as u16, 1 + (n % 12) as u8, 1 + (n % 28) as u8);
            let fnr = fodselsnummer(born, false, &mut Rng::new(n as u64));
            let label = labels[n % labels.len()];
            let text = format!(
                "Melding om vedtak\n\nSøker: Åse Ødegård, {label} {fnr}\n\nKommunen har behandlet søknaden om \
                 startlån og innvilger lån på 450 000 kroner. Vedtaket kan påklages innen tre uker."
            );
            (text, fnr)
        })
        .collect();
    for quality in [ScanQuality::Clean, ScanQuality::Degraded, ScanQuality::Fax] {
        let results: Vec<(bool, Option<f32>)> = pool().install(|| {
            letters
                .par_iter()
                .enumerate()
                .map(|(n, (text, fnr))| {
                    let copy = scan_copy(text, quality, n as u64);
                    let name = format!("brev.{}", copy.extension);
                    let e = extract_bytes(&copy.bytes, Some(&name), &Limits::default());
                    let exact = e.text.contains(fnr.as_str());
                    let found = detect(&e.text)
                        .into_iter()
                        .filter(|f| f.kind == PiiKind::Fodselsnummer)
                        .map(|f| f.score)
                        .fold(None, |a: Option<f32>, s| Some(a.map_or(s, |a| a.max(s))));
                    (exact, found)
                })
                .collect()
        });
        let exact = results.iter().filter(|r| r.0).count();
        let valid = results
            .iter()
            .filter(|r| r.1.is_some_and(|s| s >= 0.8))
            .count();
        let misread = results
            .iter()
            .filter(|r| r.1.is_some_and(|s| s < 0.8))
            .count();
        println!(
            "| {} | {} | {exact} | {valid} | {misread} | {} |",
            quality.as_str(),
            results.len(),
            results.len() - valid - misread
        );
    }
}

fn pages_per_second(dir: &Path, pages: usize, bin: &str) {
    println!("\n## Pages per second, 2 threads, clean 300-dpi PNG letters ({pages} pages)");
    let folder = dir.join("pages");
    std::fs::create_dir_all(&folder).expect("a folder");
    let mut files: Vec<PathBuf> = Vec::new();
    for n in 0..pages {
        let text = format!(
            "Sak {n}/2024 Byggesak, Fjordveien {n}\n\n{}",
            "Søknaden om dispensasjon fra reguleringsplanen for oppføring av garasje på eiendommen \
             gnr. 12 bnr. 345 er behandlet etter plan- og bygningsloven § 19-2. Naboene er varslet, \
             og det er kommet én merknad om utsikt og støy fra anleggsarbeidet. "
                .repeat(6 + n % 4)
        );
        let page = &render_pages(&text, 300)[0];
        let page = degrade(page, Degradation::Clean, 0);
        let path = folder.join(format!("side{n:03}.png"));
        std::fs::write(&path, png(&page)).expect("a page");
        files.push(path);
    }
    let have_tesseract = Command::new("tesseract")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let cli = have_tesseract.then(|| {
        let started = Instant::now();
        let list = files.iter().map(|f| f.display().to_string()).collect::<Vec<_>>().join("\n");
        let status = Command::new("sh")
            .arg("-c")
            .arg("printf '%s\\n' \"$PAGES\" | xargs -P 2 -I{} tesseract {} - -l nor+eng --psm 3 > /dev/null 2>&1")
            .env("PAGES", list)
            .env("OMP_THREAD_LIMIT", "1")
            .status()
            .expect("xargs runs");
        assert!(status.success());
        pages as f64 / started.elapsed().as_secs_f64()
    });
    let started = Instant::now();
    pool().install(|| {
        files.par_iter().for_each(|f| {
            let bytes = std::fs::read(f).expect("a page");
            let e = extract_bytes(
                &bytes,
                f.file_name().and_then(|n| n.to_str()),
                &Limits::default(),
            );
            assert!(e.status.has_text(), "{:?}", e.error);
        })
    });
    let in_process = pages as f64 / started.elapsed().as_secs_f64();
    let out = dir.join("scan-out");
    let started = Instant::now();
    let status = Command::new(bin)
        .args([
            "scan",
            folder.to_str().unwrap_or_default(),
            "-o",
            out.to_str().unwrap_or_default(),
            "--no-embed",
            "--threads",
            "2",
            "-q",
        ])
        .status()
        .expect("arkivar runs");
    assert!(status.success());
    let whole = pages as f64 / started.elapsed().as_secs_f64();
    println!("| reader | pages/s | vs tesseract |");
    println!("|---|---|---|");
    let ratio = |x: f64| cli.map_or("—".to_string(), |c| format!("{:.2}×", x / c));
    if let Some(c) = cli {
        println!("| `tesseract` program, 2 processes at a time | {c:.2} | 1.00× |");
    } else {
        println!("| `tesseract` program | not installed | |");
    }
    println!(
        "| arkivar in process, 2 engines | {in_process:.2} | {} |",
        ratio(in_process)
    );
    println!(
        "| `arkivar scan --no-embed --threads 2` (whole process) | {whole:.2} | {} |",
        ratio(whole)
    );
}

fn accuracy(eval_json: &Path) -> f64 {
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(eval_json).expect("eval.json"))
            .expect("json");
    fn key(v: &serde_json::Value, name: &str) -> Option<f64> {
        match v {
            serde_json::Value::Object(m) => m
                .get(name)
                .and_then(|a| a.as_f64())
                .or_else(|| m.values().find_map(|v| key(v, name))),
            _ => None,
        }
    }
    v["heads"]
        .as_array()
        .and_then(|heads| {
            heads.iter().find(|h| {
                h["head"]
                    .as_str()
                    .is_some_and(|k| k.eq_ignore_ascii_case("klasse"))
            })
        })
        .and_then(|h| key(h, "accuracy"))
        .expect("a klasse accuracy in eval.json")
}

fn klasse_accuracy(dir: &Path, docs: usize, bin: &str) {
    println!(
        "\n## Klasse accuracy: born-digital and scanned copies of the same {docs} test documents"
    );
    let train = dir.join("train");
    generate_shifted(&train, Side::Train, 1500, 11, None).expect("train side");
    let classifier = dir.join("c.safetensors");
    let ok = Command::new(bin)
        .args([
            "train",
            train.to_str().unwrap_or_default(),
            "-o",
            classifier.to_str().unwrap_or_default(),
            "-q",
        ])
        .status()
        .expect("train runs");
    assert!(ok.success());
    let mut rows: HashMap<&str, (f64, f64)> = HashMap::new();
    for (name, scanned) in [
        ("born-digital", None),
        ("scanned (degraded)", Some(ScanQuality::Degraded)),
    ] {
        let export = dir.join(format!(
            "test-{}",
            scanned.map_or("digital", ScanQuality::as_str)
        ));
        generate_shifted(&export, Side::Test, docs, 12, scanned).expect("test side");
        let out = dir.join(format!(
            "eval-{}",
            scanned.map_or("digital", ScanQuality::as_str)
        ));
        let started = Instant::now();
        let ok = Command::new(bin)
            .args([
                "eval",
                export.to_str().unwrap_or_default(),
                "--classifier",
                classifier.to_str().unwrap_or_default(),
                "-o",
                out.to_str().unwrap_or_default(),
                "-q",
                "--threads",
                "2",
            ])
            .stdout(std::process::Stdio::null())
            .status()
            .expect("eval runs");
        assert!(ok.success());
        rows.insert(
            name,
            (
                accuracy(&out.join("eval.json")),
                started.elapsed().as_secs_f64(),
            ),
        );
    }
    let (digital, d_s) = rows["born-digital"];
    let (scanned, s_s) = rows["scanned (degraded)"];
    println!("| documents | klasse accuracy | eval seconds |");
    println!("|---|---|---|");
    println!("| born-digital | {digital:.3} | {d_s:.1} |");
    println!("| scanned copies, degraded | {scanned:.3} | {s_s:.1} |");
    println!("difference: {:+.3} (target within 0.02)", scanned - digital);
}

fn main() {
    // As the arkivar program does: Tesseract's OpenMP teams bounded before anything runs.
    arkivar::extract::ocr::tesseract::limit_openmp_threads();
    // The bench harness passes `--bench`; nothing else is read from the command line.
    let dir = tempfile::tempdir().expect("a temp dir");
    let bin = env!("CARGO_BIN_EXE_arkivar");
    let docs = var("ARKIVAR_BENCH_DOCS", 40);
    character_error_rates(dir.path(), docs);
    fodselsnummer_recall(docs);
    pages_per_second(dir.path(), var("ARKIVAR_BENCH_PAGES", 16), bin);
    let classify = var("ARKIVAR_BENCH_CLASSIFY_DOCS", 200);
    if classify > 0 {
        klasse_accuracy(dir.path(), classify, bin);
    }
}
