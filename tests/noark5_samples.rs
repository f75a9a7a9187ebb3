//! Every public Noark 5 sample under ../shared/noark5 parses; DocRef counts match an
//! independent xmllint count, and spot-checked fields are right.

mod common;

use std::collections::HashSet;
use std::path::Path;

use arkivar::source::noark5::Noark5Reader;
use arkivar::source::{open_export, DocRef, ExportKind, SourceItem};

fn docs_of(export_path: &Path) -> (Vec<DocRef>, std::path::PathBuf) {
    let export = open_export(export_path).expect("opens");
    let ExportKind::Noark5 { arkivstruktur, .. } = export.kind else {
        panic!("{} should be a Noark 5 export", export_path.display());
    };
    let docs = Noark5Reader::open(&arkivstruktur)
        .unwrap()
        .filter_map(|item| match item.expect("no fatal error") {
            SourceItem::Doc(d) => Some(*d),
            SourceItem::Problem(_) => None,
        })
        .collect();
    (docs, arkivstruktur)
}

fn assert_counts_match(export_path: &Path) -> Vec<DocRef> {
    let (docs, xml) = docs_of(export_path);
    let expected = common::xmllint_count(&xml, "dokumentobjekt");
    assert_eq!(docs.len() as u64, expected, "{}", export_path.display());
    let ids: HashSet<&str> = docs.iter().map(|d| d.doc_id.as_str()).collect();
    assert_eq!(
        ids.len(),
        docs.len(),
        "doc ids unique in {}",
        export_path.display()
    );
    docs
}

#[test]
fn every_shared_sample_parses_with_the_right_document_count() {
    let Some(shared) = common::shared() else {
        return;
    };
    let a = common::arkade(&shared);
    let t = shared.join("noark5/noark5-tester/testdata/deponixml");
    let samples = [
        a.join("Noark5/Small"),
        a.join("Noark5/Noark5Archive"),
        a.join("Noark5/ContentClassificationSystem"),
        a.join("Noark5/Version5_5"),
        a.join("Noark5/StructureValidation/custom"),
        a.join("package-creation"),
        shared.join("noark5/arkade5/src/Arkivverket.Arkade.CLI.Tests/TestData/N5-archive"),
        t.join("noark5-enkel"),
        t.join("noark5"),
        t.join("noark5-open"),
    ];
    for s in samples {
        let docs = assert_counts_match(&s);
        assert!(!docs.is_empty(), "{}", s.display());
    }
}

#[test]
fn small_sample_fields_and_inheritance() {
    let Some(shared) = common::shared() else {
        return;
    };
    let (docs, _) = docs_of(&common::arkade(&shared).join("Noark5/Small"));
    let d = &docs[0];
    let m = &d.noark;
    assert_eq!(d.reference.as_deref(), Some("dokumenter\\5000000.pdf"));
    assert_eq!(
        m.arkivdel_id.as_deref(),
        Some("arkivdel57d6608566c0b9.14601960")
    );
    assert_eq!(m.arkivdel_title.as_deref(), Some("Alice 1863-1864"));
    assert_eq!(m.klasse_id.as_deref(), Some("452"));
    assert_eq!(m.mappe_id.as_deref(), Some("mappe1"));
    assert_eq!(m.mappe_title.as_deref(), Some("Eating the cake - 1"));
    assert_eq!(m.registrering_id.as_deref(), Some("mappe1/jrnpst-1"));
    assert_eq!(
        m.journalpost_type.as_deref(),
        Some("Organinternt dokument for oppfølging")
    );
    assert_eq!(m.document_title.as_deref(), Some("mappe1 - registering1"));
    assert_eq!(m.tilknyttet_som.as_deref(), Some("Hoveddokument"));
    // kassasjon sits on the mappe and is inherited down to the document.
    let k = m.kassasjon.as_ref().expect("inherited kassasjon");
    assert_eq!(k.vedtak.as_deref(), Some("Kasseres"));
    assert_eq!(k.bevaringstid, Some(45));
    // skjerming on the dokumentbeskrivelse wins over the registrering's.
    let s = m.skjerming.as_ref().expect("skjerming");
    assert_eq!(s.hjemmel.as_deref(), Some("Unntatt etter Offentleglova"));
    assert_eq!(
        s.tilgangsrestriksjon.as_deref(),
        Some("skjeming dokumentbeskrivelse")
    );
    let sum = d.expected_checksum.as_ref().unwrap();
    assert_eq!(
        sum.hex,
        "3b29dfcc4286e50b180af8f21904c86f8aa42a23c4055c3a71d0512f9ae3886f"
    );
}

#[test]
fn v5_enkel_and_noark5archive_spot_checks() {
    let Some(shared) = common::shared() else {
        return;
    };
    let t = shared.join("noark5/noark5-tester/testdata/deponixml");
    let (docs, _) = docs_of(&t.join("noark5-enkel"));
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].doc_id, "53c8931a-ab7c-11e9-bc69-a332306c22dc");
    assert_eq!(
        docs[0].noark.journalpost_type.as_deref(),
        Some("arkivnotat")
    );
    // The nearest date wins: the dokumentobjekt's own opprettetDato.
    assert_eq!(docs[0].noark.created.as_deref(), Some("1864-10-09"));

    let (docs, _) = docs_of(&common::arkade(&shared).join("Noark5/Noark5Archive"));
    assert_eq!(docs.len(), 4);
    let m = &docs[0].noark;
    assert_eq!(m.mappe_id.as_deref(), Some("2011/230"));
    assert_eq!(m.arkivdel_title.as_deref(), Some("Tekniske tjenester"));
    assert_eq!(m.registrering_title.as_deref(), Some("Søknad om tilbygg"));
    assert_eq!(m.journalpost_type.as_deref(), Some("Inngående dokument"));
    assert_eq!(m.klasse_id, None);
    assert_eq!(m.kassasjon, None);
}

#[test]
fn dias_tar_is_found_and_read() {
    let Some(shared) = common::shared() else {
        return;
    };
    let tar = common::arkade(&shared).join("tar/n5-eksempel/n5-guid.tar");
    let dir = tempfile::tempdir().unwrap();
    common::untar(&tar, dir.path());
    // The folder holding the unpacked package, the package itself, and its content/ all work.
    let export = open_export(dir.path()).unwrap();
    let ExportKind::Noark5 {
        dias_package,
        addml,
        ..
    } = &export.kind
    else {
        panic!("not found as Noark 5");
    };
    assert!(dias_package.is_some());
    assert_eq!(
        addml.as_ref().unwrap().noark_version.as_deref(),
        Some("3.1")
    );
    let docs = assert_counts_match(dir.path());
    assert_eq!(docs.len(), 2);
}

#[test]
fn document_folder_fixtures_read_as_folders() {
    let Some(shared) = common::shared() else {
        return;
    };
    let base = common::arkade(&shared).join("Noark5/DocumentfilesControl");
    for entry in std::fs::read_dir(&base).unwrap() {
        let dir = entry.unwrap().path();
        let export = open_export(&dir).unwrap();
        assert_eq!(export.kind, ExportKind::Folder, "{}", dir.display());
        let n = arkivar::source::folder::walk(&dir)
            .filter(|i| i.is_ok())
            .count();
        let files = walk_count(&dir);
        assert_eq!(n, files, "{}", dir.display());
    }
}

fn walk_count(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| if p.is_dir() { walk_count(&p) } else { 1 })
        .sum()
}
