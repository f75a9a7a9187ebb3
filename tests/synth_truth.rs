//! Generated exports and their `truth.parquet`: valid against the official Noark 5 v5.0 XSD
//! for several seeds, byte-reproducible from the seed, planted identity numbers valid (and
//! look-alikes not), spans pointing at their values, a scan's Noark metadata equal to the
//! truth, and every planted value present in the text a scan extracts.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use arrow::array::{Array, AsArray, RecordBatch};
use arrow::compute::cast;
use arrow::datatypes::{DataType, Int32Type, Int64Type};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use arkivar::extract::{extract_bytes, Limits};
use arkivar::pipeline::{scan, ScanOptions};

/// One planted item as the truth has it.
#[derive(Debug, Clone)]
struct Planted {
    kind: String,
    value: String,
    start: usize,
    end: usize,
}

/// One row of `truth.parquet`.
#[derive(Debug, Clone)]
struct Truth {
    doc_id: String,
    reference: String,
    file_kind: String,
    has_text_layer: bool,
    arkivdel_title: String,
    klasse_id: String,
    klasse_title: String,
    mappe_id: String,
    registrering_id: String,
    journalposttype: String,
    kassasjon_vedtak: Option<String>,
    kassasjon_bevaringstid: Option<i32>,
    tilgangsrestriksjon: Option<String>,
    skjermingshjemmel: Option<String>,
    categories: Vec<String>,
    pii: Vec<Planted>,
    text: String,
}

fn generate(dir: &Path, name: &str, docs: usize, seed: u64) -> PathBuf {
    let out = dir.join(name);
    arkivar::synth::generate(&out, docs, seed).unwrap();
    out
}

fn batches(path: &Path) -> Vec<RecordBatch> {
    let file = fs::File::open(path).unwrap();
    ParquetRecordBatchReaderBuilder::try_new(file)
        .unwrap()
        .build()
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// A column as optional strings, whatever its string encoding (plain or dictionary).
fn strings(batch: &RecordBatch, name: &str) -> Vec<Option<String>> {
    let col = batch
        .column_by_name(name)
        .unwrap_or_else(|| panic!("no column {name}"));
    let col = cast(col, &DataType::Utf8).unwrap();
    let col = col.as_string::<i32>();
    (0..col.len())
        .map(|i| col.is_valid(i).then(|| col.value(i).to_string()))
        .collect()
}

fn required(batch: &RecordBatch, name: &str) -> Vec<String> {
    strings(batch, name)
        .into_iter()
        .map(|s| s.unwrap_or_else(|| panic!("null in {name}")))
        .collect()
}

fn int32s(batch: &RecordBatch, name: &str) -> Vec<Option<i32>> {
    let col = batch.column_by_name(name).unwrap();
    let col = col.as_primitive::<Int32Type>();
    (0..col.len())
        .map(|i| col.is_valid(i).then(|| col.value(i)))
        .collect()
}

fn read_truth(export: &Path) -> Vec<Truth> {
    let mut rows = Vec::new();
    for b in batches(&export.join("truth.parquet")) {
        let has_text = b.column_by_name("has_text_layer").unwrap().as_boolean();
        let cats = b.column_by_name("categories").unwrap().as_list::<i32>();
        let pii = b.column_by_name("pii").unwrap().as_list::<i32>();
        let cols: HashMap<&str, Vec<Option<String>>> = [
            "doc_id",
            "reference",
            "file_kind",
            "arkivdel_title",
            "klasse_id",
            "klasse_title",
            "mappe_id",
            "registrering_id",
            "journalposttype",
            "kassasjon_vedtak",
            "tilgangsrestriksjon",
            "skjermingshjemmel",
            "text",
        ]
        .into_iter()
        .map(|n| (n, strings(&b, n)))
        .collect();
        let bevaringstid = int32s(&b, "kassasjon_bevaringstid");
        for i in 0..b.num_rows() {
            let get = |n: &str| cols[n][i].clone();
            let req = |n: &str| get(n).unwrap_or_else(|| panic!("null {n}"));
            let c = cats.value(i);
            let c = c.as_string::<i32>();
            let p = pii.value(i);
            let p = p.as_struct();
            let kind = p.column_by_name("kind").unwrap().as_string::<i32>();
            let value = p.column_by_name("value").unwrap().as_string::<i32>();
            let start = p
                .column_by_name("start")
                .unwrap()
                .as_primitive::<Int64Type>();
            let end = p.column_by_name("end").unwrap().as_primitive::<Int64Type>();
            rows.push(Truth {
                doc_id: req("doc_id"),
                reference: req("reference"),
                file_kind: req("file_kind"),
                has_text_layer: has_text.value(i),
                arkivdel_title: req("arkivdel_title"),
                klasse_id: req("klasse_id"),
                klasse_title: req("klasse_title"),
                mappe_id: req("mappe_id"),
                registrering_id: req("registrering_id"),
                journalposttype: req("journalposttype"),
                kassasjon_vedtak: get("kassasjon_vedtak"),
                kassasjon_bevaringstid: bevaringstid[i],
                tilgangsrestriksjon: get("tilgangsrestriksjon"),
                skjermingshjemmel: get("skjermingshjemmel"),
                categories: (0..c.len()).map(|j| c.value(j).to_string()).collect(),
                pii: (0..p.len())
                    .map(|j| Planted {
                        kind: kind.value(j).to_string(),
                        value: value.value(j).to_string(),
                        start: start.value(j) as usize,
                        end: end.value(j) as usize,
                    })
                    .collect(),
                text: req("text"),
            });
        }
    }
    rows
}

/// Mod-11 check digit with `weights`, written here independently of the generator.
fn check_digit(digits: &[u32], weights: &[u32]) -> Option<u32> {
    let sum: u32 = digits.iter().zip(weights).map(|(d, w)| d * w).sum();
    match 11 - sum % 11 {
        11 => Some(0),
        10 => None,
        k => Some(k),
    }
}

fn digits(s: &str) -> Vec<u32> {
    s.chars().filter_map(|c| c.to_digit(10)).collect()
}

/// Both fødselsnummer check digits (k1 weights 3,7,6,1,8,9,4,5,2; k2 5,4,3,2,7,6,5,4,3,2).
fn fnr_valid(s: &str) -> bool {
    let d = digits(s);
    d.len() == 11
        && check_digit(&d[..9], &[3, 7, 6, 1, 8, 9, 4, 5, 2]) == Some(d[9])
        && check_digit(&d[..10], &[5, 4, 3, 2, 7, 6, 5, 4, 3, 2]) == Some(d[10])
}

fn konto_valid(s: &str) -> bool {
    let d = digits(s);
    d.len() == 11 && check_digit(&d[..10], &[5, 4, 3, 2, 7, 6, 5, 4, 3, 2]) == Some(d[10])
}

fn normalise(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn exports_validate_against_the_v5_xsd_for_several_seeds() {
    let Some(shared) = common::shared() else {
        return;
    };
    let xsd = shared.join("noark5/xsd/N5/v5.0/arkivstruktur.xsd");
    let dir = tempfile::tempdir().unwrap();
    for seed in [3, 1_000, 987_654_321] {
        let export = generate(dir.path(), &format!("s{seed}"), 60, seed);
        common::xmllint_validate(&export.join("arkivstruktur.xml"), &xsd)
            .unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        assert_eq!(read_truth(&export).len(), 60);
    }
}

#[test]
fn same_seed_same_bytes_other_seed_other_export() {
    let dir = tempfile::tempdir().unwrap();
    let a = generate(dir.path(), "a", 60, 7);
    let b = generate(dir.path(), "b", 60, 7);
    let c = generate(dir.path(), "c", 60, 8);
    let (fa, fb) = (common::files_under(&a), common::files_under(&b));
    assert_eq!(fa.len(), fb.len());
    assert!(fa.iter().any(|p| p.ends_with("truth.parquet")));
    for (x, y) in fa.iter().zip(&fb) {
        assert_eq!(x.strip_prefix(&a).unwrap(), y.strip_prefix(&b).unwrap());
        assert!(
            fs::read(x).unwrap() == fs::read(y).unwrap(),
            "{} differs",
            x.display()
        );
    }
    for name in ["truth.parquet", "arkivstruktur.xml"] {
        assert_ne!(
            fs::read(a.join(name)).unwrap(),
            fs::read(c.join(name)).unwrap(),
            "{name}"
        );
    }
}

#[test]
fn planted_numbers_check_and_spans_point_at_their_values() {
    let dir = tempfile::tempdir().unwrap();
    let export = generate(dir.path(), "x", 400, 11);
    let rows = read_truth(&export);
    assert_eq!(rows.len(), 400);
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for r in &rows {
        let chars: Vec<char> = r.text.chars().collect();
        let mut last_end = 0;
        for p in &r.pii {
            *counts.entry(p.kind.clone()).or_default() += 1;
            assert!(p.start >= last_end && p.start < p.end && p.end <= chars.len());
            last_end = p.end;
            let at: String = chars[p.start..p.end].iter().collect();
            assert_eq!(at, p.value, "{}: {p:?}", r.doc_id);
            match p.kind.as_str() {
                "fodselsnummer" | "d_nummer" => {
                    assert!(fnr_valid(&p.value), "{p:?} fails mod-11");
                    let day = digits(&p.value)[0] * 10 + digits(&p.value)[1];
                    assert_eq!(p.kind == "d_nummer", day > 40, "{p:?}");
                }
                "lookalike" => {
                    assert_eq!(digits(&p.value).len(), 11, "{p:?}");
                    assert!(!fnr_valid(&p.value), "{p:?} passes mod-11");
                }
                "kontonummer" => assert!(konto_valid(&p.value), "{p:?}"),
                "epost" => assert!(
                    p.value.ends_with("@example.no") || p.value.ends_with("@eksempel.no"),
                    "{p:?}"
                ),
                "navn" | "adresse" | "telefon" => {}
                other => panic!("unknown kind {other}"),
            }
        }
        // Client records carry their category (and health, where a paragraph discloses it);
        // political minutes carry no identity numbers.
        let expected = match r.klasse_id.as_str() {
            "G10" => Some("helse"),
            "F47" => Some("barnevern"),
            "F03" => Some("sosialhjelp"),
            _ => None,
        };
        if let Some(cat) = expected {
            assert_eq!(r.categories[0], cat, "{:?}", r.categories);
            assert!(r.categories[1..].iter().all(|c| c == "helse"));
        }
        if r.klasse_id == "033" {
            assert!(r
                .pii
                .iter()
                .all(|p| !matches!(p.kind.as_str(), "fodselsnummer" | "d_nummer")));
        }
    }
    for kind in [
        "fodselsnummer",
        "d_nummer",
        "lookalike",
        "navn",
        "adresse",
        "telefon",
        "epost",
        "kontonummer",
    ] {
        assert!(counts.get(kind).copied().unwrap_or(0) > 0, "{counts:?}");
    }
    // Not every document: most political minutes and many memos have no identity number.
    let with_id = rows
        .iter()
        .filter(|r| r.pii.iter().any(|p| p.kind == "fodselsnummer"))
        .count();
    assert!(
        with_id > 40 && with_id < 300,
        "{with_id} of 400 with a fødselsnummer"
    );
}

#[test]
fn a_scan_of_the_export_matches_the_truth() {
    let dir = tempfile::tempdir().unwrap();
    let export = generate(dir.path(), "x", 120, 21);
    let truth = read_truth(&export);
    let out = dir.path().join("review");
    let summary = scan(&ScanOptions::new(&export, &out)).unwrap();
    assert_eq!(summary.rows_written, truth.len() as u64);

    let mut review: HashMap<String, BTreeMap<&str, Option<String>>> = HashMap::new();
    for part in arkivar::output::parquet::part_files(&out).unwrap() {
        for b in batches(&part) {
            let names = [
                "source_path",
                "arkivdel_title",
                "klasse_id",
                "klasse_title",
                "mappe_id",
                "registrering_id",
                "journalpost_type",
                "kassasjon_vedtak",
                "tilgangsrestriksjon",
                "skjerming_hjemmel",
            ];
            let cols: Vec<Vec<Option<String>>> = names.iter().map(|n| strings(&b, n)).collect();
            let ids = required(&b, "doc_id");
            let years = int32s(&b, "kassasjon_bevaringstid");
            for (i, id) in ids.into_iter().enumerate() {
                let mut row: BTreeMap<&str, Option<String>> = names
                    .iter()
                    .zip(&cols)
                    .map(|(n, c)| (*n, c[i].clone()))
                    .collect();
                row.insert("kassasjon_bevaringstid", years[i].map(|y| y.to_string()));
                review.insert(id, row);
            }
        }
    }
    for t in &truth {
        let row = review
            .get(&t.doc_id)
            .unwrap_or_else(|| panic!("no review row for {}", t.doc_id));
        let expect: [(&str, Option<String>); 11] = [
            ("source_path", Some(t.reference.clone())),
            ("arkivdel_title", Some(t.arkivdel_title.clone())),
            ("klasse_id", Some(t.klasse_id.clone())),
            ("klasse_title", Some(t.klasse_title.clone())),
            ("mappe_id", Some(t.mappe_id.clone())),
            ("registrering_id", Some(t.registrering_id.clone())),
            ("journalpost_type", Some(t.journalposttype.clone())),
            ("kassasjon_vedtak", t.kassasjon_vedtak.clone()),
            (
                "kassasjon_bevaringstid",
                t.kassasjon_bevaringstid.map(|y| y.to_string()),
            ),
            ("tilgangsrestriksjon", t.tilgangsrestriksjon.clone()),
            ("skjerming_hjemmel", t.skjermingshjemmel.clone()),
        ];
        for (name, want) in expect {
            assert_eq!(row[name], want, "{}: {name}", t.doc_id);
        }
    }
    // Screened classes really are screened in the export.
    assert!(truth.iter().any(|t| t.tilgangsrestriksjon.is_some()));
    assert!(truth.iter().any(|t| t.tilgangsrestriksjon.is_none()));
}

#[test]
fn extracted_text_holds_every_planted_value() {
    let dir = tempfile::tempdir().unwrap();
    let export = generate(dir.path(), "x", 150, 31);
    let limits = Limits::default();
    let mut checked = 0;
    for t in read_truth(&export) {
        let bytes = fs::read(export.join(&t.reference)).unwrap();
        let e = extract_bytes(&bytes, Some(&t.reference), &limits);
        assert_eq!(
            e.status.has_text(),
            t.has_text_layer,
            "{} ({}): {:?}",
            t.reference,
            t.file_kind,
            e.status
        );
        if !t.has_text_layer {
            continue;
        }
        let text = normalise(&e.text);
        for p in &t.pii {
            assert!(
                text.contains(&normalise(&p.value)),
                "{} ({}): {:?} not in the extracted text",
                t.reference,
                t.file_kind,
                p.value
            );
            checked += 1;
        }
    }
    assert!(checked > 500, "only {checked} values checked");
}
