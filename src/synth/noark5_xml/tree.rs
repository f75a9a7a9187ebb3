//! The Noark 5 tree a synthetic export is written from: plain owned structs, one per element
//! (`arkiv` down to `dokumentobjekt`), with the fields the schema needs.

#[cfg(doc)]
use super::{FORMAT_PDFA_1B, SJEKKSUM_ALGORITME_SHA256};
use crate::synth::date::Date;

/// `arkiv`: the root of an extraction.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Arkiv {
    /// UUID-shaped `systemID`.
    pub system_id: String,
    /// `tittel`, e.g. "Strand kommune – sakarkiv".
    pub tittel: String,
    /// The record creator (`arkivskaper`, mandatory in the schema).
    pub arkivskaper: Arkivskaper,
    /// Series; the schema requires at least one.
    pub arkivdeler: Vec<Arkivdel>,
}

/// `arkivskaper`: the organisation that created the records.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Arkivskaper {
    /// `arkivskaperID`, typically the organisation number, e.g. "964965226".
    pub arkivskaper_id: String,
    /// `arkivskaperNavn`, e.g. "Strand kommune".
    pub arkivskaper_navn: String,
}

/// `arkivdel`: a series (e.g. "Sakarkiv 2016–2019", "Personalarkiv").
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Arkivdel {
    /// UUID-shaped `systemID`.
    pub system_id: String,
    /// `tittel`.
    pub tittel: String,
    /// The one classification system of the series.
    pub klassifikasjonssystem: Klassifikasjonssystem,
}

/// `klassifikasjonssystem`: e.g. the K-kode key.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Klassifikasjonssystem {
    /// UUID-shaped `systemID`.
    pub system_id: String,
    /// Optional `klassifikasjonstype`, e.g. "K-koder" or "Funksjonsbasert, hierarkisk".
    pub klassifikasjonstype: Option<String>,
    /// `tittel`.
    pub tittel: String,
    /// Classes; the schema requires at least one.
    pub klasser: Vec<Klasse>,
}

/// `klasse`: one class of the classification system.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Klasse {
    /// UUID-shaped `systemID`.
    pub system_id: String,
    /// `klasseID`, e.g. "L42" or "223".
    pub klasse_id: String,
    /// `tittel`.
    pub tittel: String,
    /// Case files filed under this class (may be empty).
    pub mapper: Vec<Saksmappe>,
}

/// `mappe xsi:type="saksmappe"`: a case file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Saksmappe {
    /// UUID-shaped `systemID`.
    pub system_id: String,
    /// `mappeID`, conventionally "saksaar/sakssekvensnummer", e.g. "2021/314".
    pub mappe_id: String,
    /// `tittel`.
    pub tittel: String,
    /// `offentligTittel`: the title with screened words removed (M025; expected
    /// when parts of the title are screened).
    pub offentlig_tittel: Option<String>,
    /// `saksaar` (mandatory since v5.0).
    pub saksaar: u32,
    /// `sakssekvensnummer` (mandatory since v5.0).
    pub sakssekvensnummer: u32,
    /// `saksdato`; also used as the file's `opprettetDato`.
    pub saksdato: Date,
    /// `administrativEnhet` (mandatory), e.g. "Plan og bygg".
    pub administrativ_enhet: String,
    /// `saksansvarlig` (mandatory); also used as `opprettetAv`/`avsluttetAv`
    /// of the file and its registrations.
    pub saksansvarlig: String,
    /// Optional retention decision.
    pub kassasjon: Option<Kassasjon>,
    /// Optional screening.
    pub skjerming: Option<Skjerming>,
    /// Registry entries of the case.
    pub journalposter: Vec<Journalpost>,
}

/// `registrering xsi:type="journalpost"`: a registry entry.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Journalpost {
    /// UUID-shaped `systemID`.
    pub system_id: String,
    /// `registreringsID` (optional in v5.0), conventionally "2021/314-2".
    pub registrerings_id: Option<String>,
    /// `tittel`.
    pub tittel: String,
    /// `offentligTittel` (see [`Saksmappe::offentlig_tittel`]).
    pub offentlig_tittel: Option<String>,
    /// `journalaar`.
    pub journalaar: u32,
    /// `journalsekvensnummer`.
    pub journalsekvensnummer: u32,
    /// `journalpostnummer` (number within the case).
    pub journalpostnummer: u32,
    /// `journalposttype`: "Inngående dokument", "Utgående dokument",
    /// "Organinternt dokument for oppfølging", "Organinternt dokument uten oppfølging"
    /// or "Saksframlegg".
    pub journalposttype: String,
    /// `journalstatus`: "Arkivert" or "Utgår" for an extraction.
    pub journalstatus: String,
    /// `journaldato` (`xs:date`); also the day of `arkivertDato`.
    pub journaldato: Date,
    /// Day of `opprettetDato` (written as `xs:dateTime`), also `dokumentetsDato`.
    pub opprettet_dato: Date,
    /// Optional retention decision on the entry.
    pub kassasjon: Option<Kassasjon>,
    /// Optional screening of the entry.
    pub skjerming: Option<Skjerming>,
    /// Senders/recipients.
    pub korrespondanseparter: Vec<Korrespondansepart>,
    /// Documents; `antallVedlegg` is derived from those attached as "Vedlegg".
    pub dokumenter: Vec<Dokumentbeskrivelse>,
}

/// `korrespondansepart` of a journalpost.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Korrespondansepart {
    /// `korrespondanseparttype`: "Avsender", "Mottaker", "Kopimottaker",
    /// "Gruppemottaker", "Intern avsender" or "Intern mottaker".
    pub korrespondanseparttype: String,
    /// `korrespondansepartNavn`.
    pub korrespondansepart_navn: String,
    /// Optional `postadresse`.
    pub postadresse: Option<String>,
    /// Optional `postnummer` (text, keeps leading zeros).
    pub postnummer: Option<String>,
    /// Optional `poststed`.
    pub poststed: Option<String>,
}

/// `dokumentbeskrivelse`: one document of a journalpost.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Dokumentbeskrivelse {
    /// UUID-shaped `systemID`.
    pub system_id: String,
    /// `dokumenttype`, e.g. "Brev", "Vedtak", "Søknad", "Møtereferat", "Notat".
    pub dokumenttype: String,
    /// `dokumentstatus`: "Dokumentet er ferdigstilt" for an extraction.
    pub dokumentstatus: String,
    /// `tittel`.
    pub tittel: String,
    /// `tilknyttetRegistreringSom`: "Hoveddokument" or "Vedlegg".
    pub tilknyttet_registrering_som: String,
    /// `dokumentnummer` within the journalpost (1 = main document).
    pub dokumentnummer: u32,
    /// The archival-format file of the document.
    pub dokumentobjekt: Dokumentobjekt,
}

/// `dokumentobjekt`: one file version/variant of a document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Dokumentobjekt {
    /// UUID-shaped `systemID` (mandatory since v5.0).
    pub system_id: String,
    /// `versjonsnummer`, normally 1.
    pub versjonsnummer: u32,
    /// `variantformat`: "Arkivformat" for the archived file.
    pub variantformat: String,
    /// `format`: a PRONOM id, e.g. [`FORMAT_PDFA_1B`].
    pub format: String,
    /// `referanseDokumentfil`: path relative to the extraction root,
    /// with forward slashes, e.g. "dokumenter/123.pdf".
    pub referanse_dokumentfil: String,
    /// `sjekksum`: lower-case hex without separators.
    pub sjekksum: String,
    /// `sjekksumAlgoritme`, e.g. [`SJEKKSUM_ALGORITME_SHA256`].
    pub sjekksum_algoritme: String,
    /// `filstoerrelse` in bytes.
    pub filstoerrelse: u64,
}

/// `kassasjon`: retention decision.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Kassasjon {
    /// `kassasjonsvedtak`: "Bevares", "Kasseres" or "Vurderes senere".
    pub kassasjonsvedtak: String,
    /// `bevaringstid` in years.
    pub bevaringstid: u32,
    /// `kassasjonsdato` (`xs:date`), normally end of case + `bevaringstid`.
    pub kassasjonsdato: Date,
}

/// `skjerming`: screening from public access.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Skjerming {
    /// `tilgangsrestriksjon`: a free code, e.g. "13" (taushetsplikt) or "25"
    /// (personalsak); the standard's own values are "Unntatt offentlighet",
    /// "Personalsaker" and "Klientsaker".
    pub tilgangsrestriksjon: String,
    /// `skjermingshjemmel`, e.g. "Offl. § 13 jf. fvl. § 13".
    pub skjermingshjemmel: String,
    /// `skjermingMetadata` (at least one), e.g. "Skjerming tittel mappe - utvalgte ord",
    /// "Skjerming navn avsender" (values listed in M502).
    pub skjerming_metadata: Vec<String>,
    /// Optional `skjermingDokument`, e.g. "Skjerming av hele dokumentet".
    pub skjerming_dokument: Option<String>,
}
