//! Shards: N scans of one export into one folder give the table one scan gives, and `verify`
//! notices every way the shards can fail to add up — a shard unfinished or still running, a
//! part lost, shards that scanned with different models, a changed number of shards.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;

use arkivar::pipeline::verify::Finding;
use arkivar::pipeline::{scan, verify, ScanError, ScanOptions, Shard};

fn options(export: &Path, out: &Path, shard: Shard) -> ScanOptions {
    ScanOptions {
        shard,
        threads: Some(2),
        ..ScanOptions::new(export, out)
    }
}

/// `doc_id` → (`extract_status`, `needs_review`, `klasse_id`) of every row in `out`.
fn table(out: &Path) -> BTreeMap<String, (String, bool, String)> {
    use arrow::array::AsArray;
    let mut rows = BTreeMap::new();
    for batch in common::review_batches(out) {
        let s = |name: &str| {
            batch
                .column_by_name(name)
                .unwrap()
                .as_string::<i32>()
                .clone()
        };
        let (ids, status, klasse) = (s("doc_id"), s("extract_status"), s("klasse_id"));
        let review = batch
            .column_by_name("needs_review")
            .unwrap()
            .as_boolean()
            .clone();
        for i in 0..batch.num_rows() {
            let before = rows.insert(
                ids.value(i).to_string(),
                (
                    status.value(i).to_string(),
                    review.value(i),
                    klasse.value(i).to_string(),
                ),
            );
            assert!(before.is_none(), "{} twice", ids.value(i));
        }
    }
    rows
}

#[test]
fn three_shards_make_the_table_one_scan_makes_and_verify_finds_it_whole() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export");
    arkivar::synth::generate(&export, 90, 11).unwrap();

    let whole_out = dir.path().join("whole");
    let whole = scan(&options(&export, &whole_out, Shard::WHOLE)).unwrap();
    let out = dir.path().join("sharded");
    let mut written = 0;
    for k in 0..3 {
        let s = scan(&options(&export, &out, Shard::new(k, 3).unwrap())).unwrap();
        assert_eq!(
            s.rows_written + s.other_shards,
            90,
            "every shard reads the whole XML"
        );
        assert!(
            s.rows_written > 10,
            "shards are about even: {}",
            s.rows_written
        );
        written += s.rows_written;
    }
    assert_eq!(written, 90);
    assert_eq!(
        table(&out),
        table(&whole_out),
        "the same rows, whatever the split"
    );

    let verdict = verify(&out, None).unwrap();
    assert!(verdict.is_whole(), "{verdict}");
    assert_eq!((verdict.shards, verdict.finished), (3, 3));
    assert_eq!(verdict.export_documents, 90);
    // The merged summary shows what the one-machine scan showed.
    let merged = &verdict.summary;
    assert_eq!(merged.rows_written, whole.rows_written);
    assert_eq!(merged.by_status, whole.by_status);
    assert_eq!(merged.by_checksum, whole.by_checksum);
    assert_eq!(merged.needs_review, whole.needs_review);
    assert_eq!(merged.review_reasons, whole.review_reasons);
    assert_eq!(merged.problems, whole.problems);
    let text = verdict.to_string();
    assert!(text.contains("3 of 3 shards finished"), "{text}");
    assert!(text.contains("verified"), "{text}");

    // A one-machine scan verifies too.
    assert!(verify(&whole_out, None).unwrap().is_whole());
}

#[test]
fn verify_names_what_is_missing_and_a_resumed_shard_redoes_only_that() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export");
    arkivar::synth::generate(&export, 60, 12).unwrap();
    let out = dir.path().join("out");
    for k in [0, 2] {
        let mut o = options(&export, &out, Shard::new(k, 3).unwrap());
        o.part_rows = 5;
        scan(&o).unwrap();
    }

    // Shard 1 never ran: unfinished, and its documents have no rows.
    let v = verify(&out, None).unwrap();
    assert!(!v.is_whole());
    assert!(
        v.findings.contains(&Finding::Unfinished {
            shard: Shard::new(1, 3).unwrap(),
            parts: 0
        }),
        "{v}"
    );
    let missing = v.findings.iter().find_map(|f| match f {
        Finding::Missing { count, examples } => Some((*count, examples.clone())),
        _ => None,
    });
    let (count, examples) = missing.expect("missing documents named");
    assert_eq!(count, 60 - v.summary.rows_written);
    assert!(!examples.is_empty());
    assert!(examples.iter().all(|id| Shard::new(1, 3).unwrap().owns(id)));

    // Shard 1 running: verify says so rather than calling it lost.
    fs::write(out.join("_lock-shard-0001-of-0003"), "").unwrap();
    let held = fs::File::options()
        .write(true)
        .open(out.join("_lock-shard-0001-of-0003"))
        .unwrap();
    held.try_lock().unwrap();
    let v = verify(&out, None).unwrap();
    assert!(
        v.findings
            .contains(&Finding::Running(Shard::new(1, 3).unwrap())),
        "{v}"
    );
    drop(held);

    // It finishes; then one of shard 2's parts is lost.
    scan(&options(&export, &out, Shard::new(1, 3).unwrap())).unwrap();
    assert!(verify(&out, None).unwrap().is_whole());
    let shard2 = Shard::new(2, 3).unwrap();
    let parts: Vec<_> =
        arkivar::output::parquet::parts_named(&out, "part-shard-0002-of-0003").unwrap();
    assert!(parts.len() >= 2, "{parts:?}");
    fs::remove_file(&parts[0]).unwrap();
    let v = verify(&out, None).unwrap();
    assert!(
        v.findings
            .iter()
            .any(|f| matches!(f, Finding::Altered { shard, .. } if *shard == shard2)),
        "{v}"
    );
    assert!(
        v.findings
            .iter()
            .any(|f| matches!(f, Finding::Missing { count: 5, .. })),
        "{v}"
    );

    // --resume of that shard redoes only its missing documents.
    let mut o = options(&export, &out, shard2);
    o.resume = true;
    let redone = scan(&o).unwrap();
    assert_eq!(redone.rows_written, 5);
    let v = verify(&out, None).unwrap();
    assert!(v.is_whole(), "{v}");
    assert_eq!(v.summary.rows_written, 60);
}

#[test]
fn shards_that_disagree_or_split_differently_are_caught() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export");
    arkivar::synth::generate(&export, 40, 13).unwrap();
    let out = dir.path().join("out");
    scan(&options(&export, &out, Shard::new(0, 2).unwrap())).unwrap();

    // Another N into the same folder is refused before it writes anything.
    let err = scan(&options(&export, &out, Shard::new(1, 3).unwrap())).unwrap_err();
    assert!(matches!(err, ScanError::OtherSharding { .. }), "{err}");
    assert!(err.to_string().contains("shard 1 of 3"), "{err}");
    let err = scan(&options(&export, &out, Shard::WHOLE)).unwrap_err();
    assert!(matches!(err, ScanError::OtherSharding { .. }), "{err}");

    // Shard 1 scanned with a different catalogue: the shards are not one scan.
    let mut other = options(&export, &out, Shard::new(1, 2).unwrap());
    let mut catalog = arkivar::catalog::Catalog::default_catalog();
    catalog.name = "kommunens egen".into();
    other.catalog = std::sync::Arc::new(catalog);
    scan(&other).unwrap();
    let v = verify(&out, None).unwrap();
    assert!(
        v.findings.iter().any(|f| matches!(
            f,
            Finding::Differs {
                field: "catalog",
                ..
            }
        )),
        "{v}"
    );
    assert!(
        !v.findings
            .iter()
            .any(|f| matches!(f, Finding::Missing { .. })),
        "{v}"
    );

    // Parts of another split copied in (a re-run with another N into a copy of the folder):
    // their rows sit in shards that do not own them.
    let stray = dir.path().join("stray");
    scan(&options(&export, &stray, Shard::new(0, 3).unwrap())).unwrap();
    for part in arkivar::output::parquet::part_files(&stray).unwrap() {
        let name = part
            .file_name()
            .unwrap()
            .to_string_lossy()
            .replace("0003", "0002");
        let name = name.replace("-00000.parquet", "-00077.parquet");
        fs::copy(&part, out.join(name)).unwrap();
    }
    let v = verify(&out, None).unwrap();
    assert!(
        v.findings
            .iter()
            .any(|f| matches!(f, Finding::WrongShard { .. })),
        "{v}"
    );
    assert!(
        v.findings
            .iter()
            .any(|f| matches!(f, Finding::Duplicated { .. })),
        "{v}"
    );
}

#[test]
fn a_changed_export_is_noticed() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export");
    arkivar::synth::generate(&export, 20, 14).unwrap();
    let out = dir.path().join("out");
    scan(&options(&export, &out, Shard::WHOLE)).unwrap();
    let xml = export.join("arkivstruktur.xml");
    let mut text = fs::read_to_string(&xml).unwrap();
    text.push_str("\n<!-- endret -->\n");
    fs::write(&xml, text).unwrap();
    let v = verify(&out, None).unwrap();
    assert!(
        v.findings
            .iter()
            .any(|f| matches!(f, Finding::ExportChanged { .. })),
        "{v}"
    );
}

#[test]
fn the_command_line_takes_the_index_from_the_batch_engine() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export");
    arkivar::synth::generate(&export, 20, 15).unwrap();
    let out = dir.path().join("out");
    let arkivar = env!("CARGO_BIN_EXE_arkivar");
    for k in 0..2 {
        let status = Command::new(arkivar)
            .args(["scan", "--quiet", "--no-embed", "--shards", "2", "-o"])
            .arg(&out)
            .arg(&export)
            .env_remove("SLURM_ARRAY_TASK_ID")
            .env("JOB_COMPLETION_INDEX", k.to_string())
            .status()
            .unwrap();
        assert!(status.success());
    }
    let verified = Command::new(arkivar)
        .arg("verify")
        .arg(&out)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&verified.stdout);
    assert!(verified.status.success(), "{text}");
    assert!(text.contains("2 of 2 shards finished"), "{text}");

    // Without an index the scan says where it looks for one.
    let no_index = Command::new(arkivar)
        .args(["scan", "--quiet", "--no-embed", "--shards", "2", "-o"])
        .arg(dir.path().join("none"))
        .arg(&export)
        .env_remove("SLURM_ARRAY_TASK_ID")
        .env_remove("JOB_COMPLETION_INDEX")
        .output()
        .unwrap();
    assert_eq!(no_index.status.code(), Some(2));
    let err = String::from_utf8_lossy(&no_index.stderr);
    assert!(err.contains("SLURM_ARRAY_TASK_ID"), "{err}");

    // A broken table exits 1.
    for part in arkivar::output::parquet::part_files(&out)
        .unwrap()
        .iter()
        .take(1)
    {
        fs::remove_file(part).unwrap();
    }
    let broken = Command::new(arkivar)
        .arg("verify")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(broken.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&broken.stdout).contains("NOT whole"));
}
