//! The writers on a sample tree: both files validate against their XSDs (with xmllint),
//! the same tree gives the same bytes, text is escaped, and a bad tree is rejected before
//! anything is written.

use std::io;
use std::path::Path;
use std::process::Command;

use super::*;
use crate::synth::date::Date;

const ARKIVSTRUKTUR_XSD: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/noark5/xsd/N5/v5.0/arkivstruktur.xsd"
);
const ADDML_XSD: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/noark5/xsd/ADDML/latest/addml.xsd"
);

/// Whether the tests run in CI, where skipping a check is a failure.
fn on_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

fn id(s: &str) -> String {
    deterministic_uuid(s)
}

fn skjerming(hjemmel: &str, kode: &str, meta: &[&str]) -> Option<Skjerming> {
    Some(Skjerming {
        tilgangsrestriksjon: kode.to_string(),
        skjermingshjemmel: hjemmel.to_string(),
        skjerming_metadata: meta.iter().map(|s| s.to_string()).collect(),
        skjerming_dokument: Some("Skjerming av hele dokumentet".to_string()),
    })
}

fn journalpost(key: &str, nr: u32, typ: &str, tittel: &str, dato: Date) -> Journalpost {
    let pdf = format!("%PDF-1.4 {key} {tittel}");
    let doc = |n: u32, som: &str| Dokumentbeskrivelse {
        system_id: id(&format!("{key}/db{n}")),
        dokumenttype: "Brev".to_string(),
        dokumentstatus: "Dokumentet er ferdigstilt".to_string(),
        tittel: tittel.to_string(),
        tilknyttet_registrering_som: som.to_string(),
        dokumentnummer: n,
        dokumentobjekt: Dokumentobjekt {
            system_id: id(&format!("{key}/do{n}")),
            versjonsnummer: 1,
            variantformat: "Arkivformat".to_string(),
            format: FORMAT_PDFA_1B.to_string(),
            referanse_dokumentfil: format!("dokumenter/{}-{n}.pdf", &id(key)[..8]),
            sjekksum: sha256_hex(pdf.as_bytes()),
            sjekksum_algoritme: SJEKKSUM_ALGORITME_SHA256.to_string(),
            filstoerrelse: pdf.len() as u64,
        },
    };
    Journalpost {
        system_id: id(key),
        registrerings_id: Some(format!("2021/{nr}")),
        tittel: tittel.to_string(),
        offentlig_tittel: None,
        journalaar: u32::from(dato.year),
        journalsekvensnummer: 1000 + nr,
        journalpostnummer: nr,
        journalposttype: typ.to_string(),
        journalstatus: "Arkivert".to_string(),
        journaldato: dato.add_days(1),
        opprettet_dato: dato,
        kassasjon: None,
        skjerming: None,
        korrespondanseparter: vec![Korrespondansepart {
            korrespondanseparttype: "Avsender".to_string(),
            korrespondansepart_navn: "Ærlige Åse Ødegård & Sønn AS".to_string(),
            postadresse: Some("Løkkeveien 5 <bak>".to_string()),
            postnummer: Some("0150".to_string()),
            poststed: Some("Tau".to_string()),
        }],
        dokumenter: vec![doc(1, "Hoveddokument"), doc(2, "Vedlegg")],
    }
}

fn mappe(key: &str, seq: u32, tittel: &str, dato: Date) -> Saksmappe {
    Saksmappe {
        system_id: id(key),
        mappe_id: format!("{}/{seq}", dato.year),
        tittel: tittel.to_string(),
        offentlig_tittel: None,
        saksaar: u32::from(dato.year),
        sakssekvensnummer: seq,
        saksdato: dato,
        administrativ_enhet: "Plan og bygg".to_string(),
        saksansvarlig: "Kari Nordmann".to_string(),
        kassasjon: None,
        skjerming: None,
        journalposter: vec![journalpost(
            &format!("{key}/jp1"),
            1,
            "Inngående dokument",
            &format!("Søknad – {tittel}"),
            dato,
        )],
    }
}

/// Two series, three classes, screening and retention on case and entry,
/// and text that needs escaping.
fn sample_tree() -> Arkiv {
    let mut bygg = mappe(
        "m1",
        314,
        "44/41 Tillatelse til tiltak – tilbygg, Østvollvegen 9 A & garasje <2 stk>",
        Date::new(2021, 3, 4),
    );
    bygg.kassasjon = Some(Kassasjon {
        kassasjonsvedtak: "Bevares".to_string(),
        bevaringstid: 0,
        kassasjonsdato: Date::new(2021, 12, 31),
    });
    bygg.journalposter.push(journalpost(
        "m1/jp2",
        2,
        "Utgående dokument",
        "Vedtak om \"rammetillatelse\" – gnr/bnr 44/41",
        Date::new(2021, 4, 1),
    ));

    let mut barnevern = mappe("m2", 77, "Barnevernssak", Date::new(2022, 2, 28));
    barnevern.offentlig_tittel = Some("Barnevernssak".to_string());
    barnevern.skjerming = skjerming(
        "Offl. § 13 jf. bvl. § 13-1",
        "13",
        &[
            "Skjerming navn part i sak",
            "Skjerming tittel mappe - utvalgte ord",
        ],
    );
    barnevern.kassasjon = Some(Kassasjon {
        kassasjonsvedtak: "Kasseres".to_string(),
        bevaringstid: 25,
        kassasjonsdato: Date::new(2022, 2, 28).add_years(25),
    });
    barnevern.journalposter[0].skjerming = skjerming(
        "Offl. § 13 jf. fvl. § 13",
        "13",
        &["Skjerming navn avsender"],
    );
    barnevern.journalposter[0].offentlig_tittel = Some("Melding om bekymring".to_string());

    let mut personal = mappe(
        "m3",
        12,
        "Tilsetting – lærer ved Åsen skole",
        Date::new(2020, 8, 15),
    );
    personal.journalposter[0].journalposttype = "Organinternt dokument uten oppfølging".to_string();
    personal.journalposter[0].kassasjon = Some(Kassasjon {
        kassasjonsvedtak: "Kasseres".to_string(),
        bevaringstid: 10,
        kassasjonsdato: Date::new(2030, 8, 15),
    });
    personal.journalposter[0].skjerming =
        skjerming("Offl. § 25", "25", &["Skjerming navn mottaker"]);

    let klasse = |key: &str, kid: &str, tittel: &str, mapper: Vec<Saksmappe>| Klasse {
        system_id: id(key),
        klasse_id: kid.to_string(),
        tittel: tittel.to_string(),
        mapper,
    };
    Arkiv {
        system_id: id("arkiv"),
        tittel: "Strand kommune – sakarkiv (æøå & co)".to_string(),
        arkivskaper: Arkivskaper {
            arkivskaper_id: "964965226".to_string(),
            arkivskaper_navn: "Strand kommune".to_string(),
        },
        arkivdeler: vec![
            Arkivdel {
                system_id: id("ad1"),
                tittel: "Sakarkiv 2020–2023".to_string(),
                klassifikasjonssystem: Klassifikasjonssystem {
                    system_id: id("ks1"),
                    klassifikasjonstype: Some("K-koder".to_string()),
                    tittel: "K-koder".to_string(),
                    klasser: vec![
                        klasse("k1", "L42", "Byggesaker", vec![bygg]),
                        klasse("k2", "F47", "Barnevern", vec![barnevern]),
                    ],
                },
            },
            Arkivdel {
                system_id: id("ad2"),
                tittel: "Personalarkiv".to_string(),
                klassifikasjonssystem: Klassifikasjonssystem {
                    system_id: id("ks2"),
                    klassifikasjonstype: None,
                    tittel: "Løpenummer".to_string(),
                    klasser: vec![klasse("k3", "400", "Personalmapper", vec![personal])],
                },
            },
        ],
    }
}

fn to_bytes(a: &Arkiv) -> Vec<u8> {
    let mut v = Vec::new();
    write_arkivstruktur(a, &mut v).expect("write arkivstruktur");
    v
}

/// Validates `file` against `schema` with xmllint. When the schema is not checked out next
/// to the crate (`../shared`), the check fails in CI (`CI=true`), which must validate, and is
/// skipped loudly elsewhere.
fn xmllint_validate(schema: &str, file: &Path) {
    if !Path::new(schema).exists() {
        let missing = format!(
            "the XSD {schema} is missing (the Noark 5 schemas in ../shared/noark5/xsd), so {} \
             cannot be validated",
            file.display()
        );
        assert!(!on_ci(), "{missing}; CI=true requires schema validation");
        eprintln!("SKIPPED: schema validation: {missing}");
        return;
    }
    let out = match Command::new("xmllint")
        .args(["--noout", "--schema", schema])
        .arg(file)
        .output()
    {
        Ok(o) => o,
        Err(e) if e.kind() == io::ErrorKind::NotFound => panic!(
            "xmllint is not installed or not on PATH; it is needed to validate \
             against the Noark 5 XSD (Debian/Ubuntu: apt-get install -y libxml2-utils)"
        ),
        Err(e) => panic!("could not run xmllint: {e}"),
    };
    assert!(
        out.status.success(),
        "xmllint rejected {} against {schema}:\n{}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn arkivstruktur_validates_against_v5_xsd() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("arkivstruktur.xml");
    let f = std::fs::File::create(&path).unwrap();
    write_arkivstruktur(&sample_tree(), f).unwrap();
    xmllint_validate(ARKIVSTRUKTUR_XSD, &path);
}

#[test]
fn addml_validates_and_counts() {
    let tree = sample_tree();
    let dir = tempfile::tempdir().unwrap();
    let xml_path = dir.path().join("arkivstruktur.xml");
    let mut hw = HashingWriter::new(std::fs::File::create(&xml_path).unwrap());
    // Write through a &mut so the hashing writer can be finished afterwards.
    write_arkivstruktur(&tree, &mut hw).unwrap();
    let (_, sum, len) = hw.finish();
    let on_disk = std::fs::read(&xml_path).unwrap();
    assert_eq!(sum, sha256_hex(&on_disk));
    assert_eq!(len, on_disk.len() as u64);

    let mut stats = AddmlStats::from_arkiv(&tree, sum.clone());
    assert_eq!(stats.antall_mapper, 3);
    assert_eq!(stats.antall_registreringer, 4);
    assert_eq!(stats.antall_dokumentfiler, 8);
    assert!(stats.inneholder_skjermet_informasjon);
    assert!(stats.inneholder_dokumenter_som_skal_kasseres);
    assert_eq!(stats.period_start, Date::new(2020, 8, 15));
    assert_eq!(stats.period_end, Date::new(2022, 3, 1));
    stats.arkivstruktur_xsd_sha256 = Some(sha256_hex(b"xsd"));

    let addml_path = dir.path().join("arkivuttrekk.xml");
    write_addml(&stats, std::fs::File::create(&addml_path).unwrap()).unwrap();
    let text = std::fs::read_to_string(&addml_path).unwrap();
    assert!(text.contains(&format!("<value>{sum}</value>")));
    assert!(text.contains("<value>//registrering</value>"));
    xmllint_validate(ADDML_XSD, &addml_path);
}

#[test]
fn same_tree_gives_same_bytes() {
    let a = to_bytes(&sample_tree());
    let b = to_bytes(&sample_tree());
    assert_eq!(a, b);
    let mut s1 = Vec::new();
    let mut s2 = Vec::new();
    let stats = AddmlStats::from_arkiv(&sample_tree(), sha256_hex(&a));
    write_addml(&stats, &mut s1).unwrap();
    write_addml(&stats, &mut s2).unwrap();
    assert_eq!(s1, s2);
}

#[test]
fn text_is_escaped_utf8_without_bom_and_indented() {
    let bytes = to_bytes(&sample_tree());
    assert!(bytes.starts_with(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<arkiv "));
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.contains("Østvollvegen 9 A &amp; garasje &lt;2 stk&gt;"));
    assert!(text.contains("Vedtak om &quot;rammetillatelse&quot;"));
    assert!(text.contains("\n  <systemID>"));
    assert!(text.contains("\n    <klassifikasjonssystem>\n"));
    // The saksmappe extension fields follow the child registreringer.
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    assert!(
        lines
            .windows(2)
            .any(|w| w[0] == "</registrering>" && w[1].starts_with("<saksaar>")),
        "saksaar must follow the last registrering"
    );
    assert!(text.contains("<sjekksumAlgoritme>SHA-256</sjekksumAlgoritme>"));
}

#[test]
fn invalid_tree_is_rejected_before_writing() {
    let mut t = sample_tree();
    t.arkivdeler[1].klassifikasjonssystem.klasser[0].mapper[0].system_id = "m3".to_string();
    let mut out = Vec::new();
    let err = write_arkivstruktur(&t, &mut out).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
    assert!(err
        .to_string()
        .contains("arkivdel[1]/klassifikasjonssystem/klasse[0]/mappe[0]"));
    assert!(out.is_empty());

    let mut t = sample_tree();
    t.arkivdeler[0].klassifikasjonssystem.klasser.clear();
    assert!(write_arkivstruktur(&t, Vec::new()).is_err());

    let mut t = sample_tree();
    t.arkivdeler[0].klassifikasjonssystem.klasser[0].mapper[0].skjerming = Some(Skjerming {
        tilgangsrestriksjon: "13".to_string(),
        skjermingshjemmel: "Offl. § 13".to_string(),
        ..Default::default()
    });
    assert!(write_arkivstruktur(&t, Vec::new()).is_err());

    let mut t = sample_tree();
    t.arkivdeler[0].klassifikasjonssystem.klasser[0].mapper[0].saksdato = Date::new(2021, 2, 29);
    assert!(write_arkivstruktur(&t, Vec::new()).is_err());
}
