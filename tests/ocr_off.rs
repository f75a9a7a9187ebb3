//! A scan that does not OCR (a build without the `ocr` feature, or `--no-ocr`) leaves scanned
//! documents `needs_ocr`, with the reason in the row, and says in its summary how many they
//! are and how to have them read. CI runs this file in both builds.

use std::process::Command;

#[test]
fn scans_left_unread_are_counted_with_how_to_read_them() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export");
    // The synthetic export has image-only PDFs among its first 40 documents.
    arkivar::synth::generate(&export, 40, 3).unwrap();
    let out = dir.path().join("out");
    let mut args = vec![
        "scan",
        export.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--no-embed",
    ];
    if cfg!(feature = "ocr") {
        args.push("--no-ocr");
    }
    let run = Command::new(env!("CARGO_BIN_EXE_arkivar"))
        .args(&args)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let said = String::from_utf8_lossy(&run.stderr);
    let line = said
        .lines()
        .find(|l| l.contains("scanned documents need OCR"))
        .unwrap_or_else(|| panic!("no OCR line in the summary:\n{said}"));
    let count: u64 = line.split_whitespace().next().unwrap().parse().unwrap();
    let rows = said
        .lines()
        .find(|l| l.trim_start().starts_with("needs_ocr"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse::<u64>().ok())
        .expect("needs_ocr rows in the summary");
    assert!(count > 0);
    assert_eq!(count, rows);
    if cfg!(feature = "ocr") {
        assert!(line.contains("run without --no-ocr"), "{line}");
    } else {
        assert!(
            line.contains("--features ocr") && line.contains("tesseract-ocr-nor"),
            "{line}"
        );
    }
}
