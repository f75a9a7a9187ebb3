//! A scan owns its output folder: a second writer is refused, and nothing an interrupted run
//! left beside the table (a summary, unfinished parts) survives into a new run's table.

mod common;

use std::fs;
use std::path::Path;

use arkivar::pipeline::{scan, ScanError, ScanOptions};

/// A plain folder of three short letters.
fn letters(dir: &Path) {
    fs::create_dir_all(dir).unwrap();
    for (i, text) in ["Søknad om byggetillatelse.", "Klage på vedtak.", "Referat."]
        .iter()
        .enumerate()
    {
        fs::write(dir.join(format!("brev-{i}.txt")), text).unwrap();
    }
}

fn rows(out: &Path) -> usize {
    common::review_batches(out)
        .iter()
        .map(|b| b.num_rows())
        .sum()
}

#[test]
fn a_second_scan_into_a_folder_in_use_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("brev");
    let out = dir.path().join("out");
    letters(&export);
    fs::create_dir_all(&out).unwrap();

    // Another scan holds the folder.
    let held = fs::File::create(out.join("_lock")).unwrap();
    held.try_lock().unwrap();
    let err = scan(&ScanOptions::new(&export, &out)).unwrap_err();
    assert!(matches!(err, ScanError::OutputLocked(_)), "{err}");
    assert!(err.to_string().contains("in use by another scan"), "{err}");
    assert!(common::review_batches(&out).is_empty(), "nothing written");

    // Once it is done, the folder is free again.
    drop(held);
    let summary = scan(&ScanOptions::new(&export, &out)).unwrap();
    assert_eq!(summary.rows_written, 3);
    assert_eq!(rows(&out), 3);
}

#[test]
fn leftovers_of_an_interrupted_run_do_not_survive() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("brev");
    let out = dir.path().join("out");
    letters(&export);
    scan(&ScanOptions::new(&export, &out)).unwrap();

    // What a run killed during --overwrite leaves: a finished summary of the run before, an
    // unfinished part with a higher number, a half-written summary.
    let old_summary = fs::read_to_string(out.join("_summary.json")).unwrap();
    fs::write(out.join("part-00009.parquet.tmp"), b"PAR1 half a part").unwrap();
    fs::write(out.join("_summary.json.tmp"), b"").unwrap();

    let opts = ScanOptions {
        overwrite: true,
        ..ScanOptions::new(&export, &out)
    };
    scan(&opts).unwrap();
    let names: Vec<String> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names.iter().any(|n| n.ends_with(".tmp")),
        "unfinished files left: {names:?}"
    );
    let new_summary = fs::read_to_string(out.join("_summary.json")).unwrap();
    assert_ne!(new_summary, old_summary, "the summary is this run's");
    assert_eq!(rows(&out), 3);

    // A resumed run clears them too.
    fs::write(out.join("part-00009.parquet.tmp"), b"PAR1 half a part").unwrap();
    let resumed = ScanOptions {
        resume: true,
        ..ScanOptions::new(&export, &out)
    };
    let summary = scan(&resumed).unwrap();
    assert_eq!((summary.rows_written, summary.resumed_skipped), (0, 3));
    assert!(!out.join("part-00009.parquet.tmp").exists());
}
