//! The bundled sample export: valid against the official Noark 5 v5.0 XSD, reproducible from
//! its seed, and scanned into a review table that pyarrow reads back as the contract says.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use arkivar::pipeline::{scan, ScanOptions};

/// How the sample was made (datasets/README.md says the same).
const SAMPLE_DOCS: usize = 40;
const SAMPLE_SEED: u64 = 1;

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/sample")
}

#[test]
fn sample_validates_against_the_v5_xsd() {
    let Some(shared) = common::shared() else {
        return;
    };
    let xsd = shared.join("noark5/xsd/N5/v5.0/arkivstruktur.xsd");
    common::xmllint_validate(&sample().join("arkivstruktur.xml"), &xsd).unwrap();
    let addml_xsd = shared.join("noark5/xsd/ADDML/latest/addml.xsd");
    common::xmllint_validate(&sample().join("arkivuttrekk.xml"), &addml_xsd).unwrap();
}

#[test]
fn sample_is_reproducible_from_its_seed() {
    let dir = tempfile::tempdir().unwrap();
    let again = dir.path().join("sample");
    arkivar::synth::generate(&again, SAMPLE_DOCS, SAMPLE_SEED).unwrap();
    let ours = common::files_under(&sample());
    let theirs = common::files_under(&again);
    assert_eq!(ours.len(), theirs.len());
    for (a, b) in ours.iter().zip(&theirs) {
        assert_eq!(
            a.strip_prefix(sample()).unwrap(),
            b.strip_prefix(&again).unwrap()
        );
        assert!(
            fs::read(a).unwrap() == fs::read(b).unwrap(),
            "{} differs",
            a.display()
        );
    }
    let other = dir.path().join("other");
    arkivar::synth::generate(&other, SAMPLE_DOCS, SAMPLE_SEED + 1).unwrap();
    assert_ne!(
        fs::read(other.join("arkivstruktur.xml")).unwrap(),
        fs::read(sample().join("arkivstruktur.xml")).unwrap()
    );
}

#[test]
fn sample_scan_reads_back_in_pyarrow() {
    let out = tempfile::tempdir().unwrap();
    let summary = scan(&ScanOptions::new(sample(), out.path())).unwrap();
    assert_eq!(summary.rows_written, SAMPLE_DOCS as u64);
    assert!(
        summary.by_status.get("ok").copied().unwrap_or(0) >= 30,
        "{summary}"
    );
    // ARKIVAR_SKIP_PYTHON asks to skip the read-back; under CI `require` fails instead.
    if std::env::var_os("ARKIVAR_SKIP_PYTHON").is_some()
        && !common::require(
            "the pyarrow read-back (ARKIVAR_SKIP_PYTHON is set)",
            false,
            "unset ARKIVAR_SKIP_PYTHON; bash .ci/install installs pyarrow",
        )
    {
        return;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/read_back.py");
    let result = Command::new("python3")
        .arg(script)
        .arg(out.path())
        .arg(SAMPLE_DOCS.to_string())
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&result.stdout);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        result.status.success(),
        "pyarrow read-back failed (is pyarrow installed? .ci/run installs it):\n{stdout}\n{stderr}"
    );
    println!("{stdout}");
}
