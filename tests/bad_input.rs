//! Bad input inside a good export: every case gets its status, none stops the scan, nothing
//! outside the export is opened. A malformed export is a clear error.

mod common;

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use arkivar::output::parquet::{completed_doc_ids, part_files};
use arkivar::pipeline::{scan, ScanError, ScanOptions};
use arkivar::synth::pdf::{write_encrypted_pdf, write_image_only_pdf};

/// A minimal arkivstruktur.xml with one journalpost per (reference, sha256) pair.
fn arkivstruktur(docs: &[(&str, Option<String>)]) -> String {
    let mut regs = String::new();
    for (i, (reference, sha)) in docs.iter().enumerate() {
        let sum = sha
            .as_ref()
            .map(|s| {
                format!("<sjekksum>{s}</sjekksum><sjekksumAlgoritme>SHA-256</sjekksumAlgoritme>")
            })
            .unwrap_or_default();
        let _ = write!(
            regs,
            r#"<registrering xsi:type="journalpost"><systemID>r{i}</systemID>
  <dokumentbeskrivelse><systemID>d{i}</systemID><tittel>Dokument {i}</tittel>
   <dokumentobjekt><systemID>o{i}</systemID><versjonsnummer>1</versjonsnummer><referanseDokumentfil>{reference}</referanseDokumentfil>{sum}</dokumentobjekt>
  </dokumentbeskrivelse><registreringsID>2024/{i}</registreringsID><tittel>Sak {i}</tittel><journalposttype>Inngående dokument</journalposttype>
 </registrering>
"#
        );
    }
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<arkiv xmlns="http://www.arkivverket.no/standarder/noark5/arkivstruktur" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<systemID>a</systemID><tittel>Test</tittel>
<arkivdel><systemID>ad</systemID><tittel>Sakarkiv</tittel>
<mappe xsi:type="saksmappe"><systemID>m</systemID><mappeID>2024/1</mappeID><tittel>Mappe</tittel>
{regs}</mappe></arkivdel></arkiv>"#
    )
}

#[test]
fn every_bad_document_gets_its_status_and_the_scan_finishes() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(
        outside.path().join("secret.txt"),
        "hemmelig innhold som ikke skal leses",
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let docs_dir = root.join("dokumenter");
    fs::create_dir(&docs_dir).unwrap();

    let good =
        common::text_pdf("Vedtak om byggetillatelse for tilbygg på gnr 12 bnr 4 i Strand kommune.");
    fs::write(docs_dir.join("good.pdf"), &good).unwrap();
    let good_sha = arkivar::source::checksum::sha256_hex(&good);
    fs::write(docs_dir.join("changed.pdf"), &good).unwrap();
    fs::write(docs_dir.join("truncated.pdf"), &good[..good.len() / 3]).unwrap();
    fs::write(
        docs_dir.join("encrypted.pdf"),
        write_encrypted_pdf("Fortrolig notat om ansatt"),
    )
    .unwrap();
    fs::write(docs_dir.join("scan.pdf"), write_image_only_pdf(2)).unwrap();
    fs::write(docs_dir.join("empty.pdf"), b"").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path().join("secret.txt"), docs_dir.join("link.txt"))
        .unwrap();
    let outside_name = outside.path().join("secret.txt");

    let cases: Vec<(&str, Option<String>, &str)> = vec![
        ("dokumenter\\GOOD.PDF", Some(good_sha.to_uppercase()), "ok"),
        ("dokumenter/changed.pdf", Some("0".repeat(64)), "ok"),
        ("dokumenter/../../secret.txt", None, "unsafe_path"),
        (outside_name.to_str().unwrap(), None, "unsafe_path"),
        ("dokumenter/link.txt", None, "unsafe_path"),
        ("dokumenter/missing.pdf", None, "missing_file"),
        ("dokumenter/truncated.pdf", None, "corrupt"),
        ("dokumenter/encrypted.pdf", None, "encrypted"),
        // A stamp-sized grey image, no text layer: nothing OCR could read either.
        ("dokumenter/scan.pdf", None, "needs_ocr"),
        ("dokumenter/empty.pdf", None, "empty"),
    ];
    let refs: Vec<(&str, Option<String>)> = cases.iter().map(|(r, s, _)| (*r, s.clone())).collect();
    fs::write(root.join("arkivstruktur.xml"), arkivstruktur(&refs)).unwrap();

    let out = tempfile::tempdir().unwrap();
    let summary = scan(&ScanOptions::new(root, out.path())).expect("the scan finishes");
    assert_eq!(summary.rows_written, cases.len() as u64);

    let rows = common_rows(out.path());
    for (i, (reference, _, status)) in cases.iter().enumerate() {
        let (got_status, checksum) = &rows[&format!("o{i}")];
        assert_eq!(got_status, status, "{reference}");
        if i == 0 {
            assert_eq!(checksum, "ok");
        }
        if i == 1 {
            assert_eq!(checksum, "mismatch");
        }
    }
}

/// doc_id → (extract_status, checksum_status), read back with the parquet crate.
fn common_rows(out: &Path) -> std::collections::HashMap<String, (String, String)> {
    use arrow::array::{Array, AsArray};
    let mut rows = std::collections::HashMap::new();
    for batch in common::review_batches(out) {
        let ids = batch
            .column_by_name("doc_id")
            .unwrap()
            .as_string::<i32>()
            .clone();
        let text = |name: &str, i: usize| {
            let column = batch.column_by_name(name).unwrap().as_string::<i32>();
            if column.is_null(i) {
                String::new()
            } else {
                column.value(i).to_string()
            }
        };
        for i in 0..batch.num_rows() {
            rows.insert(
                ids.value(i).to_string(),
                (text("extract_status", i), text("checksum_status", i)),
            );
        }
    }
    rows
}

#[test]
fn malformed_xml_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("arkivstruktur.xml"),
        "<arkiv><arkivdel><systemID>x</systemID><mappe></arkivdel",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let err = scan(&ScanOptions::new(dir.path(), out.path())).unwrap_err();
    assert!(matches!(err, ScanError::Source(_)), "{err}");
    assert!(err.to_string().contains("arkivstruktur.xml"), "{err}");
}

#[test]
fn ten_thousand_documents_scan_and_resume() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("dokumenter")).unwrap();
    fs::write(
        dir.path().join("dokumenter/a.txt"),
        "Referat fra møte i formannskapet.",
    )
    .unwrap();
    let refs: Vec<(&str, Option<String>)> =
        (0..10_000).map(|_| ("dokumenter/a.txt", None)).collect();
    fs::write(dir.path().join("arkivstruktur.xml"), arkivstruktur(&refs)).unwrap();
    let out = tempfile::tempdir().unwrap();
    let mut opts = ScanOptions::new(dir.path(), out.path());
    opts.part_rows = 4_000;
    let summary = scan(&opts).unwrap();
    assert_eq!(summary.rows_written, 10_000);
    assert_eq!(
        completed_doc_ids(&part_files(out.path()).unwrap())
            .unwrap()
            .len(),
        10_000
    );

    // A second run without --resume refuses; with it, nothing is left to do.
    assert!(matches!(scan(&opts), Err(ScanError::OutputExists(_))));
    opts.resume = true;
    let again = scan(&opts).unwrap();
    assert_eq!((again.rows_written, again.resumed_skipped), (0, 10_000));

    // Losing the last part (an interrupted run) is repaired by resuming.
    let parts = arkivar::output::parquet::part_files(out.path()).unwrap();
    fs::remove_file(parts.last().unwrap()).unwrap();
    let repaired = scan(&opts).unwrap();
    assert_eq!(repaired.rows_written, 2_000);
    assert_eq!(
        completed_doc_ids(&part_files(out.path()).unwrap())
            .unwrap()
            .len(),
        10_000
    );
}

#[test]
fn a_fodselsnummer_in_a_bad_export_value_never_reaches_the_problem_log() {
    // An export that put a fødselsnummer into a number field: the problem is reported, the
    // number is not (it would otherwise sit in _problems.jsonl and inspect's report).
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export");
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/sample");
    let copied = std::process::Command::new("cp")
        .arg("-r")
        .arg(&sample)
        .arg(&export)
        .status()
        .unwrap();
    assert!(copied.success());
    let xml_path = export.join("arkivstruktur.xml");
    let xml = std::fs::read_to_string(&xml_path).unwrap();
    let start = xml.find("<bevaringstid>").unwrap() + "<bevaringstid>".len();
    let end = start + xml[start..].find('<').unwrap();
    let xml = format!("{}29104143669{}", &xml[..start], &xml[end..]);
    std::fs::write(&xml_path, xml).unwrap();

    let out = dir.path().join("out");
    scan(&ScanOptions::new(&export, &out)).unwrap();
    let problems = std::fs::read_to_string(out.join("_problems.jsonl")).unwrap();
    assert!(
        problems.contains("bevaringstid is not a number"),
        "{problems}"
    );
    assert!(!problems.contains("29104143669"), "{problems}");

    let report = arkivar::inspect::inspect(&export).unwrap();
    let shown = format!("{report}");
    assert!(shown.contains("bevaringstid is not a number"), "{shown}");
    assert!(!shown.contains("29104143669"), "{shown}");
}
