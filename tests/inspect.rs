//! `arkivar inspect`: counts and every problem, on real samples and a hand-made broken export.

mod common;

use std::fs;
use std::path::Path;

use arkivar::inspect::inspect;

#[test]
fn the_sample_export_has_no_problems() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/sample");
    let report = inspect(&sample).unwrap();
    assert_eq!(report.export_kind, "noark5");
    assert_eq!(report.documents, 40);
    assert_eq!(report.noark_version.as_deref(), Some("5.0"));
    assert!(!report.has_problems(), "{report}");
    assert_eq!(report.by_format.values().sum::<u64>(), 40);
    assert!(report.by_format.contains_key("pdf"));
}

#[test]
fn shared_samples_report_missing_files_and_broken_promises() {
    let Some(shared) = common::shared() else {
        return;
    };
    let a = common::arkade(&shared);
    let archive = inspect(&a.join("Noark5/Noark5Archive")).unwrap();
    assert_eq!(archive.documents, 4);
    assert_eq!(
        archive.problem_counts.get("missing_file"),
        Some(&4),
        "{archive}"
    );

    // ContentClassificationSystem's ADDML promises 1 mappe and 2 registrering; it has 2 and 4.
    let ccs = inspect(&a.join("Noark5/ContentClassificationSystem")).unwrap();
    assert_eq!(ccs.problem_counts.get("count_mismatch"), Some(&2), "{ccs}");
    assert_eq!(ccs.elements.get("mappe"), Some(&2));

    let small = inspect(&a.join("Noark5/Small")).unwrap();
    assert!(!small.has_problems(), "{small}");
    assert_eq!(
        small
            .by_klasse
            .get("452 Traveling to new worlds - nonsense"),
        Some(&2)
    );
}

#[test]
fn a_broken_export_lists_each_problem() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("DOKUMENT")).unwrap();
    fs::write(root.join("DOKUMENT/B.PDF"), b"%PDF-1.4 fake").unwrap();
    fs::write(
        root.join("DOKUMENT/extra.pdf"),
        b"%PDF-1.4 nobody refers to me",
    )
    .unwrap();
    fs::write(root.join("DOKUMENT/c.txt"), b"tekst").unwrap();
    let sha_b = arkivar::source::checksum::sha256_hex(b"%PDF-1.4 fake");
    let xml = format!(
        r#"<arkiv xmlns="http://www.arkivverket.no/standarder/noark5/arkivstruktur"><arkivdel><systemID>a</systemID>
<mappe><mappeID>1</mappeID><registrering><systemID>r</systemID>
<dokumentbeskrivelse><systemID>d1</systemID><dokumentobjekt><referanseDokumentfil>dokument\b.pdf</referanseDokumentfil><sjekksum>{sha_b}</sjekksum><sjekksumAlgoritme>SHA256</sjekksumAlgoritme><filstoerrelse>13</filstoerrelse></dokumentobjekt></dokumentbeskrivelse>
<dokumentbeskrivelse><systemID>d2</systemID><dokumentobjekt><referanseDokumentfil>DOKUMENT/c.txt</referanseDokumentfil><sjekksum>{}</sjekksum><sjekksumAlgoritme>SHA-256</sjekksumAlgoritme></dokumentobjekt></dokumentbeskrivelse>
<dokumentbeskrivelse><systemID>d3</systemID><dokumentobjekt><referanseDokumentfil>../../etc/passwd</referanseDokumentfil></dokumentobjekt></dokumentbeskrivelse>
<dokumentbeskrivelse><systemID>d4</systemID><dokumentobjekt><referanseDokumentfil>DOKUMENT/gone.pdf</referanseDokumentfil><opprettetDato>igår</opprettetDato></dokumentobjekt></dokumentbeskrivelse>
</registrering></mappe></arkivdel></arkiv>"#,
        "f".repeat(64)
    );
    fs::write(root.join("arkivstruktur.xml"), xml).unwrap();
    let report = inspect(root).unwrap();
    let count = |k: &str| report.problem_counts.get(k).copied().unwrap_or(0);
    assert_eq!(report.documents, 4);
    assert_eq!(count("checksum_mismatch"), 1, "{report}");
    assert_eq!(count("unsafe_path"), 1, "{report}");
    assert_eq!(count("missing_file"), 1, "{report}");
    assert_eq!(count("schema"), 1, "{report}");
    assert_eq!(
        report.problems["unreferenced_file"],
        vec!["DOKUMENT/extra.pdf"]
    );
    // The case-mismatched, backslashed reference resolved and verified.
    assert_eq!(report.by_format.get("pdf"), Some(&2), "{report}");
}
