//! Reviewers' decisions back into training: a review table's rows corrected by a reviewer
//! (whole case folders moved to another klasse) train a classifier that predicts them as
//! decided; bad decisions files (unknown document, unknown label, conflicting decisions, no
//! rows, wrong columns) each get a clear message.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;

use arkivar::classify::classifier::Classifier;
use arkivar::classify::dataset::CorpusDoc;
use arkivar::classify::features::NgramFeaturizer;
use arkivar::classify::labels::HeadKind;
use arkivar::pipeline::corpus::{read_corpus, CorpusOptions};
use arkivar::pipeline::{scan, ScanOptions};
use arrow::array::AsArray;

const HEADER: &str = "doc_id,field,value,decided_by,decided_at,note";

fn train(export: &Path, out: &Path, decisions: &[&Path]) -> Output {
    train_all(&[export], out, decisions)
}

fn train_all(exports: &[&Path], out: &Path, decisions: &[&Path]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_arkivar"));
    c.args(["train", "-o"]).arg(out).args(exports);
    if !decisions.is_empty() {
        c.arg("--decisions").args(decisions);
    }
    c.output().unwrap()
}

/// The klasse the classifier ranks first for `doc`.
fn predicted(c: &Classifier, doc: &CorpusDoc) -> String {
    let head = c.head(HeadKind::Klasse).unwrap();
    let f = c.features(&doc.ngrams, None).unwrap();
    let (i, _) = c.rank(head, &f)[0];
    head.info.labels.labels[i].key.clone()
}

struct Fixture {
    _dir: tempfile::TempDir,
    dir: PathBuf,
    export: PathBuf,
    /// doc_id → (mappe_id, klasse_id), from the review table.
    table: BTreeMap<String, (String, String)>,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export");
    arkivar::synth::generate(&export, 600, 61).unwrap();
    let out = dir.path().join("review");
    scan(&ScanOptions {
        threads: Some(2),
        ..ScanOptions::new(&export, &out)
    })
    .unwrap();
    let mut table = BTreeMap::new();
    for batch in common::review_batches(&out) {
        let s = |n: &str| batch.column_by_name(n).unwrap().as_string::<i32>().clone();
        let (ids, mapper, klasser) = (s("doc_id"), s("mappe_id"), s("klasse_id"));
        for i in 0..batch.num_rows() {
            table.insert(
                ids.value(i).to_string(),
                (mapper.value(i).to_string(), klasser.value(i).to_string()),
            );
        }
    }
    Fixture {
        dir: dir.path().to_path_buf(),
        _dir: dir,
        export,
        table,
    }
}

/// The reviewer's loop: a classifier trained on one kommune's classified history suggests
/// klasser for a folder of another's documents in other wording (the shifted benchmark's test
/// side, as a plain folder: no labels); the reviewer corrects, from the review table, the rows
/// whose suggestion is wrong; trained again with those decisions, the classifier predicts every
/// decided document as decided — documents it got wrong before.
#[test]
fn corrections_from_the_review_table_are_learned_as_decided() {
    use arkivar::synth::shifted::{generate_shifted, Side, TRUTH_CSV};
    let dir = tempfile::tempdir().unwrap();
    let history = dir.path().join("history");
    generate_shifted(&history, Side::Train, 1200, 41, None).unwrap();
    let other = dir.path().join("other");
    generate_shifted(&other, Side::Test, 500, 42, None).unwrap();
    let folder = other.join("dokumenter");
    // The true klasse of each file of the folder (its doc_id is the file's name there).
    let mut truth: BTreeMap<String, String> = BTreeMap::new();
    for line in fs::read_to_string(other.join(TRUTH_CSV))
        .unwrap()
        .lines()
        .skip(1)
    {
        let cells: Vec<&str> = line.split(',').collect();
        let name = cells[1].trim_start_matches("dokumenter/");
        truth.insert(name.to_string(), cells[2].to_string());
    }

    let before = dir.path().join("before.arkivar");
    let run = train_all(&[&history, &folder], &before, &[]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let out = dir.path().join("review");
    scan(&ScanOptions {
        threads: Some(2),
        classifier: Some(Arc::new(Classifier::load(&before).unwrap())),
        ..ScanOptions::new(&folder, &out)
    })
    .unwrap();
    let mut csv = format!("{HEADER}\n");
    let mut decided: BTreeMap<String, String> = BTreeMap::new();
    for batch in common::review_batches(&out) {
        let s = |n: &str| batch.column_by_name(n).unwrap().as_string::<i32>().clone();
        let (ids, suggested) = (s("doc_id"), s("klasse_suggested"));
        for i in 0..batch.num_rows() {
            let id = ids.value(i);
            let Some(right) = truth.get(id) else { continue };
            if suggested.value(i) != right && decided.len() < 60 {
                csv.push_str(&format!(
                    "{id},klasse,{right},Kari Arkivar,2026-12-01T10:00:00Z,\n"
                ));
                decided.insert(id.to_string(), right.clone());
            }
        }
    }
    assert!(
        decided.len() >= 20,
        "wrong suggestions to correct: {}",
        decided.len()
    );
    let file = dir.path().join("decisions.csv");
    fs::write(&file, csv).unwrap();
    let after = dir.path().join("after.arkivar");
    let run = train_all(&[&history, &folder], &after, &[&file]);
    let said = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{said}");
    assert!(
        said.contains(&format!("decisions: {} used", decided.len())),
        "{said}"
    );

    let docs = read_corpus(
        std::slice::from_ref(&folder),
        &CorpusOptions {
            ngrams: Some(NgramFeaturizer::default()),
            ..CorpusOptions::default()
        },
    )
    .unwrap();
    let (before, after) = (
        Classifier::load(&before).unwrap(),
        Classifier::load(&after).unwrap(),
    );
    let share = |c: &Classifier, decided_ones: bool| {
        let of: Vec<&CorpusDoc> = docs
            .iter()
            .filter(|d| decided.contains_key(&d.doc_id) == decided_ones)
            .filter(|d| truth.contains_key(&d.doc_id))
            .collect();
        let right = of
            .iter()
            .filter(|d| truth[&d.doc_id] == predicted(c, d))
            .count();
        right as f64 / of.len() as f64
    };
    let (was, is) = (share(&before, true), share(&after, true));
    println!(
        "{} decided documents predicted as decided: {was:.3} before, {is:.3} after; the \
         folder's other documents right: {:.3} before, {:.3} after",
        decided.len(),
        share(&before, false),
        share(&after, false)
    );
    assert!(was <= 0.1, "they were wrong before: {was:.3}");
    assert!(is >= 0.9, "decided documents predicted as decided: {is:.3}");

    let header = after.header.decisions.clone().expect("recorded");
    assert_eq!(header.applied, decided.len());
    assert_eq!(
        header.changed,
        decided.len(),
        "a folder has no labels: each decision is new"
    );
    assert_eq!(header.weight, arkivar::decisions::DECISION_WEIGHT);
    let sha = arkivar::source::checksum::sha256_hex(&fs::read(&file).unwrap());
    assert_eq!(header.files, vec![(file.display().to_string(), sha)]);
}

#[test]
fn bad_decisions_are_reported_or_refused_with_a_clear_message() {
    let f = fixture();
    let (id, (_, klasse)) = f.table.iter().next().unwrap();
    let write = |name: &str, text: String| {
        let p = f.dir.join(name);
        fs::write(&p, text).unwrap();
        p
    };
    let out = f.dir.join("c.arkivar");

    // Unknown document and unknown label: reported with file and line, skipped; the rest used.
    let mixed = write(
        "mixed.csv",
        format!(
            "{HEADER}\n{id},klasse,{klasse},Kari,2026-12-01,\nfinnes-ikke,klasse,{klasse},Kari,2026-12-01,\n{id},screening,Offl. § 99,Kari,2026-12-01,\n{id},farge,blå,Kari,2026-12-01,\n"
        ),
    );
    let run = train(&f.export, &out, &[&mixed]);
    let said = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{said}");
    assert!(
        said.contains("mixed.csv:3: finnes-ikke is in none of the exports"),
        "{said}"
    );
    assert!(
        said.contains("mixed.csv:4: \"Offl. § 99\" is not a screening label"),
        "{said}"
    );
    assert!(said.contains("mixed.csv:5: field \"farge\""), "{said}");
    let header = Classifier::load(&out).unwrap().header.decisions.unwrap();
    assert_eq!(
        (header.applied, header.changed, header.skipped.len()),
        (1, 0, 3)
    );

    // Two reviewers disagree: refused, naming both lines.
    let conflict = write(
        "conflict.csv",
        format!(
            "{HEADER}\n{id},klasse,{klasse},Kari,2026-12-01,\n{id},klasse,999,Ola,2026-12-02,\n"
        ),
    );
    let run = train(&f.export, &out, &[&conflict]);
    let said = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{said}");
    assert!(
        said.contains("conflict.csv:2") && said.contains("conflict.csv:3"),
        "{said}"
    );
    assert!(said.contains("settle it"), "{said}");

    // A header and no rows; an empty file; wrong columns.
    for (name, text, expected) in [
        ("empty.csv", format!("{HEADER}\n"), "no decisions"),
        ("nothing.csv", String::new(), "no decisions"),
        (
            "columns.csv",
            "doc_id;field;value\nx;klasse;1\n".to_string(),
            "missing column(s) doc_id, field, value, decided_by, decided_at",
        ),
        (
            "some.csv",
            "doc_id,field,value,note\nx,klasse,1,\n".to_string(),
            "missing column(s) decided_by, decided_at",
        ),
    ] {
        let p = write(name, text);
        let run = train(&f.export, &out, &[&p]);
        let said = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{name}: {said}");
        assert!(said.contains(expected), "{name}: {said}");
    }
}

#[test]
fn a_parquet_decisions_file_reads_like_csv() {
    use arrow::array::{ArrayRef, StringArray, TimestampSecondArray};
    use arrow::datatypes::{DataType, Field, Schema, TimeUnit};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.parquet");
    let s = |v: &[&str]| Arc::new(StringArray::from(v.to_vec())) as ArrayRef;
    let schema = Arc::new(Schema::new(vec![
        Field::new("doc_id", DataType::Utf8, false),
        Field::new("field", DataType::Utf8, false),
        Field::new("value", DataType::Utf8, false),
        Field::new("decided_by", DataType::Utf8, false),
        Field::new(
            "decided_at",
            DataType::Timestamp(TimeUnit::Second, None),
            false,
        ),
    ]));
    let batch = arrow::array::RecordBatch::try_new(
        schema.clone(),
        vec![
            s(&["a", "b"]),
            s(&["klasse", "retention"]),
            s(&["L42", "Kasseres/10"]),
            s(&["Kari", "Ola"]),
            Arc::new(TimestampSecondArray::from(vec![
                1_764_000_000,
                1_764_000_100,
            ])),
        ],
    )
    .unwrap();
    arkivar::output::parquet::write_batches(
        &path,
        schema,
        &[batch],
        arkivar::output::parquet::NO_METADATA,
    )
    .unwrap();
    let d = arkivar::decisions::read_decisions(&[path]).unwrap();
    assert_eq!(d.decisions.len(), 2);
    let b = &d.decisions[&("b".to_string(), HeadKind::Retention)];
    assert_eq!(b.value, "Kasseres/10");
    assert!(b.decided_at.starts_with("2025-11-"), "{}", b.decided_at);
    assert!(b.at.ends_with("d.parquet:3"), "{}", b.at);
}

/// `arkivar queue`: the review table's rows in the learning order, as a decisions file to fill
/// in; filled in (suggestions kept, who and when added) it trains.
#[test]
fn the_queue_is_a_decisions_file_to_fill_in() {
    let f = fixture();
    let classifier = f.dir.join("c.arkivar");
    assert!(train(&f.export, &classifier, &[]).status.success());
    let out = f.dir.join("suggested");
    scan(&ScanOptions {
        threads: Some(2),
        classifier: Some(Arc::new(Classifier::load(&classifier).unwrap())),
        ..ScanOptions::new(&f.export, &out)
    })
    .unwrap();
    let todo = f.dir.join("todo.csv");
    let run = Command::new(env!("CARGO_BIN_EXE_arkivar"))
        .arg("queue")
        .arg(&out)
        .args(["-n", "30", "-o"])
        .arg(&todo)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let mut reader = csv::Reader::from_path(&todo).unwrap();
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        &header[..6],
        [
            "doc_id",
            "field",
            "value",
            "decided_by",
            "decided_at",
            "note"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 30);
    // Spread over the suggested klasser: the first rows are of as many classes as there are.
    let classes: std::collections::BTreeSet<&str> =
        f.table.values().map(|(_, k)| k.as_str()).collect();
    let first: std::collections::BTreeSet<&str> =
        rows.iter().take(classes.len()).map(|r| &r[2]).collect();
    assert_eq!(first.len(), classes.len(), "{first:?}");

    // The reviewer keeps every suggestion and signs: train learns 30 decisions.
    let filled = f.dir.join("filled.csv");
    let mut w = csv::Writer::from_path(&filled).unwrap();
    w.write_record(&header).unwrap();
    for r in &rows {
        let mut r: Vec<String> = r.iter().map(str::to_string).collect();
        r[3] = "Kari Arkivar".into();
        r[4] = "2026-12-06".into();
        w.write_record(&r).unwrap();
    }
    w.flush().unwrap();
    let run = train(&f.export, &f.dir.join("d.arkivar"), &[&filled]);
    let said = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{said}");
    assert!(
        said.contains("decisions: 30 used on 30 documents"),
        "{said}"
    );
}
