//! Decisions back to the archive: `arkivar endringslogg` writes a Noark 5 endringslogg.xml that
//! validates against the official v5.0 XSD (`../shared/noark5/xsd/N5/v5.0/endringslogg.xsd`,
//! xmllint) and holds exactly the changing decisions, each against the unit its value lives on.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::process::Command;

use arkivar::pipeline::{scan, ScanOptions};
use arrow::array::{Array, AsArray};

/// One review-table row: what the export says about a document.
#[derive(Debug, Clone)]
struct Row {
    doc_id: String,
    mappe_id: String,
    klasse_id: String,
    vedtak: Option<String>,
    hjemmel: Option<String>,
}

#[test]
fn the_changing_decisions_become_a_valid_endringslogg() {
    let Some(shared) = common::shared() else {
        return;
    };
    let xsd = shared.join("noark5/xsd/N5/v5.0/endringslogg.xsd");
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export");
    arkivar::synth::generate(&export, 120, 71).unwrap();
    let out = dir.path().join("review");
    scan(&ScanOptions::new(&export, &out)).unwrap();
    let mut rows = Vec::new();
    for batch in common::review_batches(&out) {
        let s = |n: &str| batch.column_by_name(n).unwrap().as_string::<i32>().clone();
        let (ids, mapper, klasser, vedtak, hjemmel) = (
            s("doc_id"),
            s("mappe_id"),
            s("klasse_id"),
            s("kassasjon_vedtak"),
            s("skjerming_hjemmel"),
        );
        let opt =
            |a: &arrow::array::StringArray, i: usize| a.is_valid(i).then(|| a.value(i).to_string());
        for i in 0..batch.num_rows() {
            rows.push(Row {
                doc_id: ids.value(i).to_string(),
                mappe_id: mapper.value(i).to_string(),
                klasse_id: klasser.value(i).to_string(),
                vedtak: opt(&vedtak, i),
                hjemmel: opt(&hjemmel, i),
            });
        }
    }
    // Two documents of one case folder moved to another klasse: one change of the mappe.
    let mut by_mappe: BTreeMap<&str, Vec<&Row>> = BTreeMap::new();
    for r in &rows {
        by_mappe.entry(&r.mappe_id).or_default().push(r);
    }
    let case = by_mappe
        .values()
        .find(|docs| docs.len() >= 2)
        .expect("a case with two documents");
    let (a, b) = (case[0], case[1]);
    let other = rows
        .iter()
        .map(|r| r.klasse_id.as_str())
        .find(|k| *k != a.klasse_id)
        .unwrap();
    let kept = rows.iter().find(|r| r.mappe_id != a.mappe_id).unwrap();
    let kasseres = rows
        .iter()
        .find(|r| r.vedtak.as_deref() == Some("Kasseres") && r.mappe_id != a.mappe_id)
        .expect("a document to be kept for ever");
    let screened = rows
        .iter()
        .find(|r| r.hjemmel.is_some() && r.mappe_id != a.mappe_id && r.doc_id != kasseres.doc_id)
        .expect("a screened document");
    let line = |r: &Row, field: &str, value: &str| {
        format!(
            "{},{field},{value},Kari Arkivar,2026-12-01T10:15:00+01:00,\n",
            r.doc_id
        )
    };
    let csv = [
        "doc_id,field,value,decided_by,decided_at,note\n".to_string(),
        line(a, "klasse", other),
        line(b, "klasse", other),
        line(kept, "klasse", &kept.klasse_id),
        line(kasseres, "retention", "Bevares"),
        line(screened, "screening", "ikke skjermet"),
        "finnes-ikke,klasse,L42,Kari Arkivar,2026-12-01,\n".to_string(),
    ]
    .concat();
    let decisions = dir.path().join("decisions.csv");
    fs::write(&decisions, csv).unwrap();

    let xml = dir.path().join("endringslogg.xml");
    let run = Command::new(env!("CARGO_BIN_EXE_arkivar"))
        .arg("endringslogg")
        .arg(&decisions)
        .arg("--export")
        .arg(&export)
        .arg("-o")
        .arg(&xml)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{said}");
    assert!(
        said.contains("decisions.csv:7: finnes-ikke is not in the export"),
        "{said}"
    );
    assert!(said.contains("1 decisions change nothing"), "{said}");
    common::xmllint_validate(&xml, &xsd).expect("valid against endringslogg.xsd");

    // Exactly the changes: the mappe's klasse once, the kassasjon's vedtak (and its time,
    // if it had one), the skjerming's hjemmel.
    let text = fs::read_to_string(&xml).unwrap();
    let endringer: Vec<&str> = text.split("<endring>").skip(1).collect();
    let field = |e: &str, name: &str| -> String {
        let open = format!("<{name}>");
        let start = e.find(&open).unwrap() + open.len();
        e[start..e[start..].find('<').unwrap() + start].to_string()
    };
    let metadata: Vec<String> = endringer
        .iter()
        .map(|e| field(e, "referanseMetadata"))
        .collect();
    assert_eq!(
        metadata.iter().filter(|m| *m == "klasseID").count(),
        1,
        "{text}"
    );
    assert!(metadata.contains(&"kassasjonsvedtak".to_string()), "{text}");
    assert!(
        metadata.contains(&"skjermingshjemmel".to_string()),
        "{text}"
    );
    let klasse = endringer.iter().find(|e| e.contains("klasseID")).unwrap();
    assert_eq!(field(klasse, "tidligereVerdi"), a.klasse_id);
    assert_eq!(field(klasse, "nyVerdi"), other);
    assert_eq!(field(klasse, "endretDato"), "2026-12-01T10:15:00+01:00");
    assert_eq!(field(klasse, "endretAv"), "Kari Arkivar");
    let vedtak = endringer
        .iter()
        .find(|e| e.contains("kassasjonsvedtak"))
        .unwrap();
    assert_eq!(
        (field(vedtak, "tidligereVerdi"), field(vedtak, "nyVerdi")),
        ("Kasseres".into(), "Bevares".into())
    );
    let skjerming = endringer
        .iter()
        .find(|e| e.contains("skjermingshjemmel"))
        .unwrap();
    assert_eq!(
        field(skjerming, "tidligereVerdi"),
        screened.hjemmel.clone().unwrap()
    );
    assert_eq!(field(skjerming, "nyVerdi"), "NULL");
    // Every unit referred to is a systemID of the export.
    let structure = fs::read_to_string(export.join("arkivstruktur.xml")).unwrap();
    for e in &endringer {
        let unit = field(e, "referanseArkivenhet");
        assert!(
            structure.contains(&format!("<systemID>{unit}</systemID>")),
            "{unit}"
        );
    }
    assert!(endringer.len() <= 5, "{text}");
}
