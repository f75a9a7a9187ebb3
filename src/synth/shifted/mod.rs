//! A benchmark with shift: a training export and a test export of the same catalogue classes,
//! written from disjoint wording (`datasets/README.md` describes it).
//!
//! The two sides share nothing but the classes: the training side is bank `a` of every class
//! (one kommune, 2016–2020, formal letters opening "Vi viser til …"), the test side bank `b`
//! (another kommune, 2023–2025, e-mails and forms, other people, other places, other words).
//! Both sides mix lengths as an archive does (one-line messages, notes, letters, multi-page
//! reports, attachments titled only "Vedlegg N"), some documents carry OCR noise, and some
//! case folders are filed under the wrong klasse: `shifted_truth.csv` records each document's
//! true class beside the one the export gives. Classes, series, retention and screening are
//! the built-in catalogue's, so every head has labels to learn.

pub mod banks;
pub mod compose;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use banks::{banks, ClassBanks};
use compose::{compose, ocr_noise, Length};

use super::date::Date;
use super::noark5_xml::{
    deterministic_uuid, Arkiv, Arkivskaper, Dokumentbeskrivelse, Dokumentobjekt, Journalpost,
    Kassasjon, Klasse, Korrespondansepart, Saksmappe, Skjerming, SJEKKSUM_ALGORITME_SHA256,
};
use super::pdf::{write_pdf, FontFlavor, Line, PdfSpec};
use super::rng::Rng;
use super::SynthError;
use crate::catalog::Catalog;
use crate::source::checksum::sha256_hex;

/// The truth file written beside a shifted export.
pub const TRUTH_CSV: &str = "shifted_truth.csv";

/// Share of case folders filed under a wrong klasse.
pub const MISFILED: f64 = 0.03;
/// Share of documents with OCR noise.
pub const OCR_NOISY: f64 = 0.08;
/// Share of journal posts with an attachment ("Vedlegg 2").
pub const WITH_ATTACHMENT: f64 = 0.15;
/// Share of main documents written as PDF (the rest as plain text).
pub const AS_PDF: f64 = 0.4;

/// Which side of the benchmark an export is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Side {
    /// Bank `a`, 2016–2020: what a classifier is trained on.
    Train,
    /// Bank `b`, 2023–2025: what it is measured on.
    Test,
}

impl Side {
    /// 0 for the training side, 1 for the test side.
    pub fn index(self) -> usize {
        match self {
            Side::Train => 0,
            Side::Test => 1,
        }
    }

    fn years(self) -> (u16, u16) {
        match self {
            Side::Train => (2016, 2020),
            Side::Test => (2023, 2025),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Side::Train => "train",
            Side::Test => "test",
        }
    }
}

/// What [`generate_shifted`] wrote.
#[derive(Debug, Clone, Default)]
pub struct ShiftedSummary {
    /// Documents written (attachments included).
    pub documents: usize,
    /// Classes used.
    pub classes: usize,
    /// Documents whose export klasse is wrong.
    pub misfiled: usize,
    /// Documents with OCR noise.
    pub ocr_noisy: usize,
}

impl std::fmt::Display for ShiftedSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "wrote {} documents of {} classes ({} filed under a wrong klasse, {} with OCR noise); \
             true classes in {TRUTH_CSV}",
            self.documents, self.classes, self.misfiled, self.ocr_noisy
        )
    }
}

/// One class of the export, with what the catalogue files for it.
struct ExportClass<'a> {
    banks: &'a ClassBanks,
    title: String,
    series: String,
    kassasjon: Option<(String, u32)>,
    skjerming: Option<(String, String)>,
}

/// The printed text of each scanned copy (`synth --shifted … --scanned …`): one JSON object a
/// line with `doc_id`, `reference`, `quality`, `kind`, `pages`, `text`.
pub const SCANS_JSONL: &str = "scans.jsonl";

/// Writes one side of the shifted benchmark, `docs` journal posts, into `out` (created; it
/// must be absent or empty). The same side and seed give the same export.
///
/// With `scanned`, every document is a scanned copy of the same text instead (image PDF,
/// TIFF, PNG or JPEG; [`crate::synth::scanned::scan_copy`]) — same documents, ids and labels
/// as the born-digital export of that side and seed — and `scans.jsonl` beside the truth
/// holds each one's printed text ([`SCANS_JSONL`]), the reference for measuring OCR.
pub fn generate_shifted(
    out: &Path,
    side: Side,
    docs: usize,
    seed: u64,
    scanned: Option<super::ScanQuality>,
) -> Result<ShiftedSummary, SynthError> {
    if scanned.is_some() && !crate::extract::ocr::AVAILABLE {
        return Err(SynthError::NeedsOcr);
    }
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| SynthError::Io { path, source }
    };
    super::document_folder(out)?;
    let catalog = Catalog::default_catalog();
    let classes: Vec<ExportClass> = banks()
        .iter()
        .filter_map(|b| {
            let c = catalog.class(&b.id)?;
            let series = c.series.as_deref().and_then(|s| catalog.series(s))?;
            Some(ExportClass {
                banks: b,
                title: c.title.clone(),
                series: series.title.clone(),
                kassasjon: c
                    .retention
                    .as_ref()
                    .map(|r| (r.vedtak.as_noark().to_string(), r.years.unwrap_or(0))),
                skjerming: c
                    .screening
                    .as_ref()
                    .map(|s| (s.tilgangsrestriksjon.clone(), s.hjemmel.clone())),
            })
        })
        .collect();
    let mut rng = Rng::new(seed ^ (side.index() as u64).wrapping_mul(0x5bd1_e995));
    let tag = format!("arkivar-shifted/{}/{seed}", side.name());
    let uuid = |what: &str| deterministic_uuid(&format!("{tag}/{what}"));
    let (first_year, last_year) = side.years();
    let first_day = Date::new(first_year, 1, 1);
    let span = Date::new(last_year, 12, 31).to_days() - first_day.to_days();

    // Case folders by the klasse they are filed under (index into `classes`).
    let mut filed: BTreeMap<usize, Vec<Saksmappe>> = BTreeMap::new();
    // The open case of each true class: (filed-under index, position in `filed`).
    let mut open_case: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
    let mut truth = String::from(
        "doc_id,reference,true_klasse,export_klasse,series,side,length,ocr_noise,pdf\n",
    );
    let mut summary = ShiftedSummary {
        classes: classes.len(),
        ..ShiftedSummary::default()
    };
    let mut sequence: BTreeMap<u16, u32> = BTreeMap::new();
    #[cfg_attr(not(feature = "ocr"), allow(unused_mut))]
    let mut scans = String::new();
    for n in 0..docs {
        let true_class = rng.index(classes.len());
        let class = &classes[true_class];
        let bank = match side {
            Side::Train => &class.banks.a,
            Side::Test => &class.banks.b,
        };
        let day = first_day.add_days(rng.below(span.max(1) as u64) as i64);
        let main_length = Length::draw(&mut rng);
        let main = compose(bank, side, main_length, day, &mut rng);

        // A new case folder, or the class's open one.
        let new_case = !open_case.contains_key(&true_class) || rng.chance(0.5);
        if new_case {
            let filed_under = if rng.chance(MISFILED) {
                misfiled_class(&classes, true_class, &mut rng)
            } else {
                true_class
            };
            let under = &classes[filed_under];
            let seq = sequence.entry(day.year).or_default();
            *seq += 1;
            let list = filed.entry(filed_under).or_default();
            list.push(Saksmappe {
                system_id: uuid(&format!("mappe/{n}")),
                mappe_id: format!("{}/{seq}", day.year),
                tittel: main.title.clone(),
                saksaar: u32::from(day.year),
                sakssekvensnummer: *seq,
                saksdato: day,
                administrativ_enhet: under.title.clone(),
                saksansvarlig: "Saksbehandler".to_string(),
                kassasjon: under.kassasjon.as_ref().map(|(vedtak, years)| Kassasjon {
                    kassasjonsvedtak: vedtak.clone(),
                    bevaringstid: *years,
                    kassasjonsdato: day.add_years(u16::try_from(*years).unwrap_or(0)),
                }),
                ..Saksmappe::default()
            });
            open_case.insert(true_class, (filed_under, list.len() - 1));
        }
        let Some(&(filed_under, case)) = open_case.get(&true_class) else {
            continue;
        };
        let Some(mappe) = filed.get_mut(&filed_under).and_then(|l| l.get_mut(case)) else {
            continue;
        };
        let under = &classes[filed_under];

        let number = mappe.journalposter.len() as u32 + 1;
        let mut documents = Vec::new();
        let mut parts = vec![(main.title.clone(), main.text, main_length)];
        if rng.chance(WITH_ATTACHMENT) {
            let attachment = compose(bank, side, Length::Attachment, day, &mut rng);
            parts.push(("Vedlegg 2".to_string(), attachment.text, Length::Attachment));
        }
        for (k, (title, text, length)) in parts.into_iter().enumerate() {
            let noisy = rng.chance(OCR_NOISY);
            let text = if noisy {
                ocr_noise(&text, &mut rng)
            } else {
                text
            };
            let pdf = length != Length::OneLine && rng.chance(AS_PDF);
            let doc_id = uuid(&format!("dokumentobjekt/{n}/{k}"));
            #[cfg(feature = "ocr")]
            let copy = scanned.map(|quality| {
                let printed = format!("{title}\n\n{text}");
                let copy = super::scanned::scan_copy(
                    &printed,
                    quality,
                    seed ^ ((n as u64) << 4 | k as u64),
                );
                (copy, printed, quality)
            });
            let (bytes, extension, format) = match () {
                #[cfg(feature = "ocr")]
                _ if copy.is_some() => {
                    let (c, _, _) = copy.as_ref().expect("checked");
                    (c.bytes.clone(), c.extension, c.pronom)
                }
                _ if pdf => (pdf_of(&title, &text), "pdf", "fmt/276"),
                _ => (text.into_bytes(), "txt", "x-fmt/111"),
            };
            let reference = format!("dokumenter/{n:06}-{}.{extension}", k + 1);
            #[cfg(feature = "ocr")]
            if let Some((c, printed, quality)) = &copy {
                let line = serde_json::json!({
                    "doc_id": doc_id,
                    "reference": reference,
                    "quality": quality.as_str(),
                    "kind": c.kind,
                    "pages": c.pages,
                    "text": printed,
                });
                scans.push_str(&line.to_string());
                scans.push('\n');
            }
            let path = out.join(&reference);
            fs::write(&path, &bytes).map_err(io(&path))?;
            let _ = writeln!(
                truth,
                "{doc_id},{reference},{},{},{},{},{},{noisy},{pdf}",
                class.banks.id,
                under.banks.id,
                csv_field(&class.series),
                side.name(),
                length.as_str()
            );
            summary.documents += 1;
            summary.misfiled += usize::from(filed_under != true_class);
            summary.ocr_noisy += usize::from(noisy);
            documents.push(Dokumentbeskrivelse {
                system_id: uuid(&format!("dokument/{n}/{k}")),
                dokumenttype: if k == 0 { "Brev" } else { "Vedlegg" }.to_string(),
                dokumentstatus: "Dokumentet er ferdigstilt".to_string(),
                tittel: title,
                tilknyttet_registrering_som: if k == 0 { "Hoveddokument" } else { "Vedlegg" }
                    .to_string(),
                dokumentnummer: k as u32 + 1,
                dokumentobjekt: Dokumentobjekt {
                    system_id: doc_id,
                    versjonsnummer: 1,
                    variantformat: "Arkivformat".to_string(),
                    format: format.to_string(),
                    referanse_dokumentfil: reference,
                    sjekksum: sha256_hex(&bytes),
                    sjekksum_algoritme: SJEKKSUM_ALGORITME_SHA256.to_string(),
                    filstoerrelse: bytes.len() as u64,
                },
            });
        }
        let jseq = sequence.entry(day.year).or_default();
        *jseq += 1;
        mappe.journalposter.push(Journalpost {
            system_id: uuid(&format!("journalpost/{n}")),
            registrerings_id: Some(format!("{}-{number}", mappe.mappe_id)),
            tittel: main.title,
            journalaar: u32::from(day.year),
            journalsekvensnummer: *jseq,
            journalpostnummer: number,
            journalposttype: "Inngående dokument".to_string(),
            journalstatus: "Arkivert".to_string(),
            journaldato: day,
            opprettet_dato: day,
            skjerming: under.skjerming.as_ref().map(|(code, hjemmel)| Skjerming {
                tilgangsrestriksjon: code.clone(),
                skjermingshjemmel: hjemmel.clone(),
                skjerming_metadata: vec!["Skjerming av hele dokumentet".to_string()],
                skjerming_dokument: Some("Skjerming av hele dokumentet".to_string()),
            }),
            korrespondanseparter: vec![Korrespondansepart {
                korrespondanseparttype: "Avsender".to_string(),
                korrespondansepart_navn: "Avsender".to_string(),
                ..Korrespondansepart::default()
            }],
            dokumenter: documents,
            ..Journalpost::default()
        });
    }

    // One arkivdel per series, one klasse per class, in the catalogue's order.
    let mut by_series: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, c) in classes.iter().enumerate() {
        by_series.entry(&c.series).or_default().push(i);
    }
    let kommune = ["Nordvik kommune", "Sørfjord kommune"][side.index()];
    let arkiv = Arkiv {
        system_id: uuid("arkiv"),
        tittel: format!("{kommune} – arkivuttrekk {first_year}–{last_year}"),
        arkivskaper: Arkivskaper {
            arkivskaper_id: ["999999991", "999999992"][side.index()].to_string(),
            arkivskaper_navn: kommune.to_string(),
        },
        arkivdeler: by_series
            .iter()
            .map(|(title, members)| {
                let klasser = members
                    .iter()
                    .map(|&i| Klasse {
                        system_id: uuid(&format!("klasse/{}", classes[i].banks.id)),
                        klasse_id: classes[i].banks.id.clone(),
                        tittel: classes[i].title.clone(),
                        mapper: filed.remove(&i).unwrap_or_default(),
                    })
                    .collect();
                super::series_arkivdel(&uuid, title, klasser)
            })
            .collect(),
    };
    let truth_path = out.join(TRUTH_CSV);
    fs::write(&truth_path, truth).map_err(io(&truth_path))?;
    if scanned.is_some() {
        let scans_path = out.join(SCANS_JSONL);
        fs::write(&scans_path, scans).map_err(io(&scans_path))?;
    }
    super::write_export_xml(out, &arkiv)?;
    Ok(summary)
}

/// The klasse a misfiled case lands in: another class of the same series when there is one
/// (a clerk's slip), else any other class.
fn misfiled_class(classes: &[ExportClass], true_class: usize, rng: &mut Rng) -> usize {
    let series = &classes[true_class].series;
    let siblings: Vec<usize> = (0..classes.len())
        .filter(|&i| i != true_class && classes[i].series == *series)
        .collect();
    if siblings.is_empty() {
        (true_class + 1 + rng.index(classes.len() - 1)) % classes.len()
    } else {
        *rng.choose(&siblings)
    }
}

/// A text PDF of `text`, one line per 90 characters.
fn pdf_of(title: &str, text: &str) -> Vec<u8> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && line.len() + word.len() > 90 {
                lines.push(Line::plain(&line));
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(Line::plain(&line));
    }
    write_pdf(&PdfSpec {
        title: title.to_string(),
        pages: vec![lines],
        flavor: FontFlavor::WinAnsiHelvetica,
        word_gaps_by_positioning: false,
        use_form_xobject: false,
    })
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
