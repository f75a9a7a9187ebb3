//! Synthetic Noark 5 v5.0 exports: Norwegian municipal documents in the file formats a kommune
//! has (mostly PDF, some DOCX/ODT/TXT, a few scans and broken files), filed in a
//! klassifikasjonssystem with retention and screening where a real export has them.
//!
//! Every export carries `truth.parquet` at its root ([`truth`]): per document the labels as
//! the XML has them, the personal data planted in the text with its character spans, and the
//! text itself.
//!
//! Deterministic: the same seed gives a byte-identical export, `truth.parquet` included.

pub mod date;
pub mod letters;
pub mod noark5_xml;
pub mod office;
pub mod pdf;
pub mod personal;
mod render;
pub mod rng;
#[cfg(feature = "ocr")]
pub mod scanned;
pub mod shifted;
pub mod truth;

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use date::Date;
use letters::{letter, DocKind, LetterClass};
use noark5_xml::{
    deterministic_uuid, write_addml, write_arkivstruktur, AddmlStats, Arkiv, Arkivdel, Arkivskaper,
    Dokumentbeskrivelse, Dokumentobjekt, HashingWriter, Journalpost, Kassasjon, Klasse,
    Klassifikasjonssystem, Korrespondansepart, Saksmappe, Skjerming,
};
use render::{render, FileKind};
use rng::Rng;
use truth::{TruthRow, TruthWriter, TRUTH_FILE};

use crate::source::checksum::sha256_hex;

/// How the documents of a scanned synthetic export look (`synth --scanned`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ScanQuality {
    /// Clean 300-dpi scans.
    Clean,
    /// Office scans on a bad day: 150–200 dpi, 1–2° skew, speckles, JPEG artefacts.
    Degraded,
    /// Faxes: 1-bit pages at 200 dpi.
    Fax,
}

impl ScanQuality {
    /// The stable name (`clean`, `degraded`, `fax`).
    pub fn as_str(self) -> &'static str {
        match self {
            ScanQuality::Clean => "clean",
            ScanQuality::Degraded => "degraded",
            ScanQuality::Fax => "fax",
        }
    }
}

/// Errors generating an export.
#[derive(Debug, thiserror::Error)]
pub enum SynthError {
    /// The output folder exists and is not empty.
    #[error("{0} exists and is not empty")]
    NotEmpty(PathBuf),
    /// Scanned copies were asked of a build without the `ocr` feature.
    #[error(
        "scanned documents need a build with OCR: {}",
        crate::extract::ocr::HOW_TO_GET
    )]
    NeedsOcr,
    /// Writing failed.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

/// What [`generate`] wrote.
#[derive(Debug, Clone, Default)]
pub struct SynthSummary {
    /// The export folder.
    pub out: PathBuf,
    /// Documents written.
    pub documents: usize,
    /// Files by kind (`pdf`, `pdf-scan`, `pdf-broken`, `docx`, `odt`, `txt`).
    pub by_kind: BTreeMap<&'static str, usize>,
    /// Planted items in `truth.parquet` by kind (`fodselsnummer`, `navn`, …).
    pub pii: BTreeMap<&'static str, usize>,
}

impl std::fmt::Display for SynthSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "wrote {} documents to {} (",
            self.documents,
            self.out.display()
        )?;
        let kinds: Vec<String> = self
            .by_kind
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect();
        write!(f, "{})", kinds.join(", "))?;
        let pii: Vec<String> = self.pii.iter().map(|(k, v)| format!("{k} {v}")).collect();
        write!(f, "; {TRUTH_FILE}: {}", pii.join(", "))
    }
}

fn journalposttype(kind: DocKind) -> &'static str {
    match kind {
        DocKind::Soknad => "Inngående dokument",
        DocKind::Brev | DocKind::Vedtak => "Utgående dokument",
        DocKind::Moetereferat => "Organinternt dokument for oppfølging",
        DocKind::Notat => "Organinternt dokument uten oppfølging",
    }
}

fn dokumenttype(kind: DocKind) -> &'static str {
    match kind {
        DocKind::Soknad => "Søknad",
        DocKind::Brev => "Brev",
        DocKind::Vedtak => "Vedtak",
        DocKind::Moetereferat => "Møtereferat",
        DocKind::Notat => "Notat",
    }
}

/// Creates `out` (which must be absent or empty) with its `dokumenter` folder; returns that.
fn document_folder(out: &Path) -> Result<std::path::PathBuf, SynthError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| SynthError::Io { path, source }
    };
    if out.exists() && fs::read_dir(out).map_err(io(out))?.next().is_some() {
        return Err(SynthError::NotEmpty(out.to_path_buf()));
    }
    let doc_dir = out.join("dokumenter");
    fs::create_dir_all(&doc_dir).map_err(io(&doc_dir))?;
    Ok(doc_dir)
}

/// Generates an export of `docs` documents into `out` (created; it must be absent or empty).
pub fn generate(out: &Path, docs: usize, seed: u64) -> Result<SynthSummary, SynthError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| SynthError::Io { path, source }
    };
    let doc_dir = document_folder(out)?;

    let mut rng = Rng::new(seed);
    let uuid = |what: &str| deterministic_uuid(&format!("arkivar-synth/{seed}/{what}"));
    let mut summary = SynthSummary {
        out: out.to_path_buf(),
        documents: docs,
        ..SynthSummary::default()
    };

    // One arkivdel per series, one klasse per class, in a stable order.
    let mut series: BTreeMap<&'static str, Vec<LetterClass>> = BTreeMap::new();
    for class in LetterClass::ALL {
        series.entry(class.series()).or_default().push(class);
    }
    let mut mapper: BTreeMap<LetterClass, Vec<Saksmappe>> = BTreeMap::new();
    let first_day = Date::new(2019, 1, 1);
    let mut sak_seq: BTreeMap<u32, u32> = BTreeMap::new();
    let mut journal_seq: BTreeMap<u32, u32> = BTreeMap::new();
    // Every kind at least once among the first 40 documents, so that a small export (the
    // sample, a test's) has each format; drawn from a stream of its own so that the letters
    // do not depend on it.
    let mut forced: BTreeMap<usize, FileKind> = BTreeMap::new();
    if docs >= FileKind::ALL.len() {
        let mut kinds_rng = Rng::new(seed ^ 0x6B69_6E64_735F_5F31);
        let mut slots: Vec<usize> = (0..docs.min(40)).collect();
        for kind in FileKind::ALL {
            let i = kinds_rng.below(slots.len() as u64) as usize;
            forced.insert(slots.swap_remove(i), kind);
        }
    }
    let truth_path = out.join(TRUTH_FILE);
    let mut truth = TruthWriter::create(
        &truth_path,
        &[
            ("arkivar.truth_schema_version", "1".to_string()),
            ("arkivar.synth_seed", seed.to_string()),
            ("arkivar.synth_docs", docs.to_string()),
        ],
    )
    .map_err(io(&truth_path))?;

    for n in 0..docs {
        let class = *rng.choose(&LetterClass::ALL);
        let mut letter = letter(class, &mut rng);
        let picked = FileKind::pick(&mut rng);
        let kind = forced.get(&n).copied().unwrap_or(picked);
        let bytes = render(&letter, kind, &mut rng).map_err(io(&doc_dir))?;
        let reference = format!("dokumenter/{n:06}.{}", kind.extension());
        let doc_id = uuid(&format!("dokumentobjekt/{n}"));
        let path = out.join(&reference);
        fs::write(&path, &bytes).map_err(io(&path))?;
        *summary.by_kind.entry(kind.name()).or_default() += 1;

        let day = first_day.add_days(rng.below(5 * 365) as i64);
        let list = mapper.entry(class).or_default();
        if list.is_empty() || rng.chance(0.4) {
            let year = u32::from(day.year);
            let seq = sak_seq.entry(year).or_default();
            *seq += 1;
            let (vedtak, years) = class.retention();
            list.push(Saksmappe {
                system_id: uuid(&format!("mappe/{n}")),
                mappe_id: format!("{year}/{seq}"),
                tittel: letter.title.clone(),
                saksaar: year,
                sakssekvensnummer: *seq,
                saksdato: day,
                administrativ_enhet: class.title().to_string(),
                saksansvarlig: "Saksbehandler".to_string(),
                kassasjon: Some(Kassasjon {
                    kassasjonsvedtak: vedtak.to_string(),
                    bevaringstid: u32::try_from(years).unwrap_or(0),
                    kassasjonsdato: day.add_years(u16::try_from(years).unwrap_or(0)),
                }),
                ..Saksmappe::default()
            });
        }
        let Some(mappe) = list.last_mut() else {
            continue;
        };
        let year = mappe.saksaar;
        let jseq = journal_seq.entry(year).or_default();
        *jseq += 1;
        let number = mappe.journalposter.len() as u32 + 1;
        let registrering_id = format!("{}-{number}", mappe.mappe_id);
        let skjerming = class.screening();
        let kassasjon = mappe.kassasjon.as_ref();
        for p in &letter.pii {
            *summary.pii.entry(p.kind.as_str()).or_default() += 1;
        }
        truth
            .push(TruthRow {
                doc_id: doc_id.clone(),
                reference: reference.clone(),
                file_kind: kind.name().to_string(),
                has_text_layer: kind.has_text_layer(),
                arkivdel_title: class.series().to_string(),
                klasse_id: class.code().to_string(),
                klasse_title: class.title().to_string(),
                mappe_id: mappe.mappe_id.clone(),
                registrering_id: registrering_id.clone(),
                journalposttype: journalposttype(letter.kind).to_string(),
                kassasjon_vedtak: kassasjon.map(|k| k.kassasjonsvedtak.clone()),
                kassasjon_bevaringstid: kassasjon
                    .map(|k| i32::try_from(k.bevaringstid).unwrap_or(i32::MAX)),
                tilgangsrestriksjon: skjerming.map(|(code, _)| code.to_string()),
                skjermingshjemmel: skjerming.map(|(_, hjemmel)| hjemmel.to_string()),
                nynorsk: letter.nynorsk,
                categories: letter.categories.iter().map(|c| c.to_string()).collect(),
                text: letter.canonical_text(),
                pii: std::mem::take(&mut letter.pii),
            })
            .map_err(io(&truth_path))?;
        let incoming = letter.kind == DocKind::Soknad;
        let party = letter
            .persons
            .first()
            .cloned()
            .unwrap_or_else(|| "Ukjent".to_string());
        mappe.journalposter.push(Journalpost {
            system_id: uuid(&format!("journalpost/{n}")),
            registrerings_id: Some(registrering_id),
            tittel: letter.title.clone(),
            journalaar: year,
            journalsekvensnummer: *jseq,
            journalpostnummer: number,
            journalposttype: journalposttype(letter.kind).to_string(),
            journalstatus: "Arkivert".to_string(),
            journaldato: day,
            opprettet_dato: day,
            skjerming: skjerming.map(|(code, hjemmel)| Skjerming {
                tilgangsrestriksjon: code.to_string(),
                skjermingshjemmel: hjemmel.to_string(),
                skjerming_metadata: vec!["Skjerming av hele dokumentet".to_string()],
                skjerming_dokument: Some("Skjerming av hele dokumentet".to_string()),
            }),
            korrespondanseparter: vec![Korrespondansepart {
                korrespondanseparttype: if incoming { "Avsender" } else { "Mottaker" }.to_string(),
                korrespondansepart_navn: party,
                ..Korrespondansepart::default()
            }],
            dokumenter: vec![Dokumentbeskrivelse {
                system_id: uuid(&format!("dokument/{n}")),
                dokumenttype: dokumenttype(letter.kind).to_string(),
                dokumentstatus: "Dokumentet er ferdigstilt".to_string(),
                tittel: letter.title.clone(),
                tilknyttet_registrering_som: "Hoveddokument".to_string(),
                dokumentnummer: 1,
                dokumentobjekt: Dokumentobjekt {
                    system_id: doc_id,
                    versjonsnummer: 1,
                    variantformat: "Arkivformat".to_string(),
                    format: kind.pronom().to_string(),
                    referanse_dokumentfil: reference,
                    sjekksum: sha256_hex(&bytes),
                    sjekksum_algoritme: noark5_xml::SJEKKSUM_ALGORITME_SHA256.to_string(),
                    filstoerrelse: bytes.len() as u64,
                },
            }],
            ..Journalpost::default()
        });
    }

    let arkiv = Arkiv {
        system_id: uuid("arkiv"),
        tittel: "Eksempel kommune – arkivuttrekk".to_string(),
        arkivskaper: Arkivskaper {
            arkivskaper_id: "999999999".to_string(),
            arkivskaper_navn: "Eksempel kommune".to_string(),
        },
        arkivdeler: series
            .iter()
            .map(|(title, classes)| {
                let klasser = classes
                    .iter()
                    .map(|c| Klasse {
                        system_id: uuid(&format!("klasse/{}", c.code())),
                        klasse_id: c.code().to_string(),
                        tittel: c.title().to_string(),
                        mapper: mapper.remove(c).unwrap_or_default(),
                    })
                    .collect();
                series_arkivdel(&uuid, title, klasser)
            })
            .collect(),
    };

    truth.finish().map_err(io(&truth_path))?;

    write_export_xml(out, &arkiv)?;
    Ok(summary)
}

/// An arkivdel titled `title` with one function-based klassifikasjonssystem of `klasser`
/// (ids from `uuid`, named after the title).
pub(crate) fn series_arkivdel(
    uuid: &dyn Fn(&str) -> String,
    title: &str,
    klasser: Vec<Klasse>,
) -> Arkivdel {
    Arkivdel {
        system_id: uuid(&format!("arkivdel/{title}")),
        tittel: title.to_string(),
        klassifikasjonssystem: Klassifikasjonssystem {
            system_id: uuid(&format!("klassifikasjonssystem/{title}")),
            klassifikasjonstype: Some("Funksjonsbasert, hierarkisk".to_string()),
            tittel: "Arkivnøkkel".to_string(),
            klasser,
        },
    }
}

/// Writes `arkivstruktur.xml` and its ADDML description `arkivuttrekk.xml` into `out`.
pub(crate) fn write_export_xml(out: &Path, arkiv: &Arkiv) -> Result<(), SynthError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| SynthError::Io { path, source }
    };
    let xml_path = out.join("arkivstruktur.xml");
    let file = fs::File::create(&xml_path).map_err(io(&xml_path))?;
    let mut hashing = HashingWriter::new(BufWriter::new(file));
    write_arkivstruktur(arkiv, &mut hashing).map_err(io(&xml_path))?;
    let (mut buffered, sha, _) = hashing.finish();
    buffered.flush().map_err(io(&xml_path))?;
    let addml_path = out.join("arkivuttrekk.xml");
    let addml = fs::File::create(&addml_path).map_err(io(&addml_path))?;
    let mut addml = BufWriter::new(addml);
    write_addml(&AddmlStats::from_arkiv(arkiv, sha), &mut addml).map_err(io(&addml_path))?;
    addml.flush().map_err(io(&addml_path))
}
