//! Compares `extract_pdf` with poppler's `pdftotext` on generated PDFs of
//! every font flavor and on the real PDFs under `shared/noark5`.
//!
//! Both texts are normalised (all whitespace runs become one space) and
//! compared by edit distance; the Norwegian letters must also be counted the
//! same, since losing æ, ø or å is the failure that matters most for
//! classification. `pdftotext` must be installed (`.ci/install` installs
//! poppler-utils); set `ARKIVAR_SKIP_PDFTOTEXT=1` to skip where it is not (never
//! under `CI=true`, where a missing pdftotext fails).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use arkivar::extract::pdf::{extract_pdf, PdfLimits};
use arkivar::synth::pdf::{write_pdf, FontFlavor, Line, PdfSpec, Run};

const MIN_SIMILARITY: f64 = 0.98;
const NORWEGIAN_LETTERS: [char; 6] = ['æ', 'ø', 'å', 'Æ', 'Ø', 'Å'];

/// How to get pdftotext.
const PDFTOTEXT_INSTALL: &str = "bash .ci/install installs it (apt-get install poppler-utils)";

/// Whether pdftotext is there to compare with. Without it a test fails, unless
/// `ARKIVAR_SKIP_PDFTOTEXT=1` asks to skip it, which `common::require` grants except under CI.
fn pdftotext_present() -> bool {
    if common::on_path("pdftotext") {
        return true;
    }
    let skip = std::env::var("ARKIVAR_SKIP_PDFTOTEXT").is_ok_and(|value| value == "1");
    assert!(
        skip,
        "pdftotext could not be run; {PDFTOTEXT_INSTALL}, or set ARKIVAR_SKIP_PDFTOTEXT=1 to skip this test"
    );
    common::require(
        "pdftotext (ARKIVAR_SKIP_PDFTOTEXT=1)",
        false,
        PDFTOTEXT_INSTALL,
    )
}

/// `pdftotext`'s text of a file.
fn pdftotext(path: &Path) -> String {
    match Command::new("pdftotext").args(["-enc", "UTF-8"]).arg(path).arg("-").output() {
        Ok(output) => {
            assert!(output.status.success(), "pdftotext failed on {}: {}", path.display(), String::from_utf8_lossy(&output.stderr));
            String::from_utf8_lossy(&output.stdout).into_owned()
        }
        Err(error) => panic!(
            "pdftotext could not be run ({error}); {PDFTOTEXT_INSTALL}, or set ARKIVAR_SKIP_PDFTOTEXT=1 to skip this test"
        ),
    }
}

fn normalise(text: &str) -> Vec<char> {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .collect()
}

/// Levenshtein distance over chars, two rows at a time.
fn levenshtein(a: &[char], b: &[char]) -> usize {
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

fn similarity(a: &[char], b: &[char]) -> f64 {
    let longest = a.len().max(b.len());
    if longest == 0 {
        return 1.0;
    }
    1.0 - levenshtein(a, b) as f64 / longest as f64
}

/// Checks one file; returns a failure description, if any.
fn compare(path: &Path, label: &str) -> Result<(), String> {
    let reference = pdftotext(path);
    let bytes = std::fs::read(path).expect("test PDF readable");
    let ours = match extract_pdf(
        &bytes,
        &PdfLimits {
            max_pages: 1000,
            deadline: None,
        },
    ) {
        Ok(text) => text.pages.join("\n"),
        Err(error) => return Err(format!("{label}: extract_pdf failed: {error}")),
    };
    let (theirs, ours) = (normalise(&reference), normalise(&ours));
    let score = similarity(&theirs, &ours);
    println!("{score:.4}  {label}");
    let mut problems = Vec::new();
    if score < MIN_SIMILARITY {
        let theirs: String = theirs.iter().collect();
        let ours: String = ours.iter().collect();
        problems.push(format!(
            "similarity {score:.4} < {MIN_SIMILARITY}\n  pdftotext: {theirs}\n  ours:      {ours}"
        ));
    }
    for letter in NORWEGIAN_LETTERS {
        let count = |text: &[char]| text.iter().filter(|&&ch| ch == letter).count();
        if count(&theirs) != count(&ours) {
            problems.push(format!(
                "{letter}: pdftotext has {}, ours {}",
                count(&theirs),
                count(&ours)
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{label}: {}", problems.join("; ")))
    }
}

fn sample_spec(
    flavor: FontFlavor,
    word_gaps_by_positioning: bool,
    use_form_xobject: bool,
) -> PdfSpec {
    let paragraph =
        "Kommunestyret i Ørland behandlet søknaden om dispensasjon fra reguleringsplanen for \
                     Åsvegen 12 i møtet 14. mars. Naboene på Ærøy gård har kommet med merknader om \
                     støy, trafikksikkerhet og skjerming av grøntområdet ved bekken.";
    PdfSpec {
        title: "Høringsuttalelse – reguleringsplan".into(),
        pages: vec![
            vec![
                Line {
                    runs: vec![
                        Run::bold("Høringsuttalelse"),
                        Run::regular(" – detaljregulering for Åsen"),
                    ],
                },
                Line::plain(""),
                Line {
                    runs: vec![
                        Run::regular("Vi viser til "),
                        Run::bold("uttalelse"),
                        Run::regular("r fra Statens vegvesen."),
                    ],
                },
                Line::plain(paragraph),
                Line::plain("ÆØÅ æøå – «Blåbærsyltetøy» og rødgrøt med fløte."),
            ],
            vec![
                Line {
                    runs: vec![
                        Run::bold("Vedtak:"),
                        Run::regular(" Søknaden innvilges på vilkår."),
                    ],
                },
                Line::plain("Klagefristen er tre uker fra mottak av dette brevet."),
            ],
        ],
        flavor,
        word_gaps_by_positioning,
        use_form_xobject,
    }
}

#[test]
fn synthetic_pdfs_match_pdftotext() {
    if !pdftotext_present() {
        return;
    }
    let dir = tempfile::tempdir().expect("temporary directory");
    let mut failures = Vec::new();
    for flavor in [
        FontFlavor::WinAnsiHelvetica,
        FontFlavor::MacRomanTimes,
        FontFlavor::StandardWithDifferences,
        FontFlavor::Type0IdentityH,
    ] {
        for (by_positioning, in_form) in
            [(false, false), (true, false), (false, true), (true, true)]
        {
            let label = format!("{flavor:?} positioning={by_positioning} form={in_form}");
            let path = dir
                .path()
                .join(format!("{flavor:?}-{by_positioning}-{in_form}.pdf"));
            std::fs::write(
                &path,
                write_pdf(&sample_spec(flavor, by_positioning, in_form)),
            )
            .expect("write PDF");
            if let Err(failure) = compare(&path, &label) {
                failures.push(failure);
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn pdfs_under(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            pdfs_under(&path, found);
        } else if path
            .extension()
            .is_some_and(|ext| ext.eq_ignore_ascii_case("pdf"))
        {
            found.push(path);
        }
    }
}

/// Compares every PDF in `pdfs` (labelled relative to `root`) and fails listing the misses.
fn compare_all(root: &Path, pdfs: &[PathBuf]) {
    let mut failures = Vec::new();
    for path in pdfs {
        let label = path
            .strip_prefix(root)
            .unwrap_or(path)
            .display()
            .to_string();
        if let Err(failure) = compare(path, &label) {
            failures.push(failure);
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} PDFs differ:\n{}",
        failures.len(),
        pdfs.len(),
        failures.join("\n")
    );
}

#[test]
fn sample_export_pdfs_match_pdftotext() {
    if !pdftotext_present() {
        return;
    }
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/datasets/sample"));
    let mut pdfs = Vec::new();
    pdfs_under(root, &mut pdfs);
    // The sample holds a damaged PDF on purpose; it is compared by the bad-input tests instead.
    pdfs.retain(|p| {
        let bytes = std::fs::read(p).expect("sample PDF readable");
        let limits = PdfLimits {
            max_pages: 1000,
            deadline: None,
        };
        extract_pdf(&bytes, &limits).is_ok()
    });
    assert!(pdfs.len() >= 20, "the sample has its PDFs");
    compare_all(root, &pdfs);
}

#[test]
fn shared_noark5_pdfs_match_pdftotext() {
    if !pdftotext_present() {
        return;
    }
    let Some(root) = common::shared_path("noark5") else {
        return;
    };
    let mut pdfs = Vec::new();
    pdfs_under(&root, &mut pdfs);
    assert!(!pdfs.is_empty(), "no PDFs under {}", root.display());
    compare_all(&root, &pdfs);
}
