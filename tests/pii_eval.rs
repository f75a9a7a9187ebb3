//! The personal-data stage against planted truth: the floors, and no planted
//! fødselsnummer in clear text anywhere in a scan's review table.

mod common;

use std::fs;
use std::path::Path;

use arrow::array::{Array, AsArray};
use arrow::datatypes::DataType;

use arkivar::catalog::Catalog;
use arkivar::pii::eval::evaluate;
use arkivar::pipeline::{scan, ScanOptions};
use arkivar::synth::letters::PiiKind;
use arkivar::synth::truth::read_truth;

fn export(dir: &Path, docs: usize, seed: u64) -> std::path::PathBuf {
    let out = dir.join(format!("export-{seed}"));
    arkivar::synth::generate(&out, docs, seed).expect("generate");
    out
}

#[test]
fn detectors_hold_their_floors_on_planted_truth() {
    let dir = tempfile::tempdir().unwrap();
    let export = export(dir.path(), 600, 42);
    let eval = evaluate(&export, &Catalog::default_catalog()).unwrap();
    println!("{eval}");
    let kind = |k: &str| eval.by_kind.get(k).copied().unwrap_or_default();
    for k in ["fodselsnummer", "d_nummer"] {
        let c = kind(k);
        assert!(c.true_positives > 0, "{k}: nothing planted?\n{eval}");
        assert_eq!(c.recall(), 1.0, "{k} recall\n{eval}");
        assert!(c.precision() >= 0.995, "{k} precision\n{eval}");
    }
    assert_eq!(eval.lookalikes.1, 0, "look-alikes flagged\n{eval}");
    assert!(eval.lookalikes.0 > 0, "no look-alikes planted\n{eval}");
    let epost = kind("epost");
    assert!(
        epost.recall() >= 0.99 && epost.precision() >= 0.99,
        "epost\n{eval}"
    );
    let phone = kind("telefon");
    assert!(
        phone.recall() >= 0.99 && phone.precision() >= 0.99,
        "telefon\n{eval}"
    );
    let names = kind("navn");
    assert!(
        names.recall() >= 0.90 && names.precision() >= 0.90,
        "navn\n{eval}"
    );
    assert!(eval.categories_total().f1() >= 0.90, "categories\n{eval}");
}

/// Every string value of every column of every part file, decoded.
fn all_strings(out: &Path) -> Vec<String> {
    let mut values = Vec::new();
    for batch in common::review_batches(out) {
        for col in batch.columns() {
            collect(col.as_ref(), &mut values);
        }
    }
    values
}

fn collect(array: &dyn Array, out: &mut Vec<String>) {
    match array.data_type() {
        DataType::Utf8 => {
            let s = array.as_string::<i32>();
            out.extend(
                (0..s.len())
                    .filter(|&i| s.is_valid(i))
                    .map(|i| s.value(i).to_string()),
            );
        }
        DataType::Dictionary(_, _) => {
            collect(array.as_any_dictionary().values().as_ref(), out);
        }
        DataType::List(_) => collect(array.as_list::<i32>().values().as_ref(), out),
        DataType::Struct(_) => {
            for c in array.as_struct().columns() {
                collect(c.as_ref(), out);
            }
        }
        _ => {}
    }
}

#[test]
fn no_planted_fodselsnummer_reaches_the_review_table() {
    let dir = tempfile::tempdir().unwrap();
    let export = export(dir.path(), 300, 43);
    let out = dir.path().join("out");
    scan(&ScanOptions::new(&export, &out)).unwrap();
    let truth = read_truth(&export.join("truth.parquet")).unwrap();
    let numbers: Vec<String> = truth
        .iter()
        .flat_map(|d| d.pii.iter())
        .filter(|p| matches!(p.kind, PiiKind::Fodselsnummer | PiiKind::DNummer))
        .map(|p| p.value.chars().filter(char::is_ascii_digit).collect())
        .collect();
    assert!(numbers.len() > 10, "few numbers planted: {}", numbers.len());
    let mut raw = Vec::new();
    for part in arkivar::output::parquet::part_files(&out).unwrap() {
        raw.extend(fs::read(part).unwrap());
    }
    let values = all_strings(&out);
    for n in &numbers {
        // The file's bytes (compressed) and every decoded value (what a reader sees).
        assert!(
            !raw.windows(n.len()).any(|w| w == n.as_bytes()),
            "clear number in the file bytes"
        );
        let spaced = format!("{} {}", &n[..6], &n[6..]);
        for v in &values {
            let digits: String = v.chars().filter(char::is_ascii_digit).collect();
            assert!(
                !digits.contains(n.as_str()) && !v.contains(&spaced),
                "clear number in a value"
            );
        }
    }
}
