//! Writing the ADDML 8.3 `arkivuttrekk.xml` that describes an extraction, and the counts and
//! flags it states ([`AddmlStats`]).

use std::collections::BTreeSet;
use std::io::{self, BufWriter, Write};

use super::periods::arkiv_span;
use super::tree::{Arkiv, Kassasjon};
use super::xml::Xml;
use super::{NS_ADDML, SYNTH_USER};
use crate::synth::date::{Date, FALLBACK_DATE};

/// `inngaaendeSkille`/`utgaaendeSkille`: how the period boundary was drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Periodeskille {
    /// "skarp": the period was closed and all open cases moved on.
    #[default]
    Skarp,
    /// "mykt": open cases stayed in the old period until closed.
    Mykt,
}

impl Periodeskille {
    /// The ADDML value ("skarp" / "mykt").
    pub fn as_str(self) -> &'static str {
        match self {
            Periodeskille::Skarp => "skarp",
            Periodeskille::Mykt => "mykt",
        }
    }
}

/// What an `arkivuttrekk.xml` states about an extraction (modelled on the
/// Arkivverket template as used in Arkade's test data).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AddmlStats {
    /// `recordCreators` (at least one), e.g. ["Strand kommune"].
    pub arkivskapere: Vec<String>,
    /// `systemName`: the source system, e.g. "arkivar synth".
    pub system_name: String,
    /// `archive`: the archive's name.
    pub archive_name: String,
    /// `archivalPeriod/startDate`.
    pub period_start: Date,
    /// `archivalPeriod/endDate`.
    pub period_end: Date,
    /// Noark version in `info/type/version`, "5.0" here.
    pub noark_version: String,
    /// `periode/inngaaendeSkille`.
    pub inngaaende_skille: Periodeskille,
    /// `periode/utgaaendeSkille`.
    pub utgaaende_skille: Periodeskille,
    /// `inneholderSkjermetInformasjon`.
    pub inneholder_skjermet_informasjon: bool,
    /// `omfatterDokumenterSomErKassert`.
    pub omfatter_dokumenter_som_er_kassert: bool,
    /// `inneholderDokumenterSomSkalKasseres`.
    pub inneholder_dokumenter_som_skal_kasseres: bool,
    /// `inneholderVirksomhetsspesifikkeMetadata`.
    pub inneholder_virksomhetsspesifikke_metadata: bool,
    /// `antallDokumentfiler`: number of files under `dokumenter/`.
    pub antall_dokumentfiler: u64,
    /// `numberOfOccurrences` of `//mappe` in arkivstruktur.xml.
    pub antall_mapper: u64,
    /// `numberOfOccurrences` of `//registrering` in arkivstruktur.xml.
    pub antall_registreringer: u64,
    /// Lower-case hex SHA-256 of arkivstruktur.xml.
    pub arkivstruktur_sha256: String,
    /// SHA-256 of the `arkivstruktur.xsd` shipped in the package, if any.
    pub arkivstruktur_xsd_sha256: Option<String>,
    /// SHA-256 of the `metadatakatalog.xsd` shipped in the package, if any.
    pub metadatakatalog_xsd_sha256: Option<String>,
}

impl AddmlStats {
    /// Counts and flags derived from `arkiv`, plus the checksum of its
    /// serialised `arkivstruktur.xml`.
    ///
    /// `antall_dokumentfiler` counts distinct `referanseDokumentfil` paths;
    /// the archival period is the span of all case and journal dates.
    pub fn from_arkiv(arkiv: &Arkiv, arkivstruktur_sha256: String) -> Self {
        let mut mapper = 0u64;
        let mut registreringer = 0u64;
        let mut files = BTreeSet::new();
        let mut skjermet = false;
        let mut kasseres = false;
        let klasser = arkiv
            .arkivdeler
            .iter()
            .flat_map(|d| &d.klassifikasjonssystem.klasser);
        for m in klasser.flat_map(|k| &k.mapper) {
            mapper += 1;
            skjermet |= m.skjerming.is_some();
            kasseres |= is_kasseres(&m.kassasjon);
            for j in &m.journalposter {
                registreringer += 1;
                skjermet |= j.skjerming.is_some();
                kasseres |= is_kasseres(&j.kassasjon);
                for d in &j.dokumenter {
                    files.insert(d.dokumentobjekt.referanse_dokumentfil.as_str());
                }
            }
        }
        let span = arkiv_span(arkiv).unwrap_or((FALLBACK_DATE, FALLBACK_DATE));
        AddmlStats {
            arkivskapere: vec![arkiv.arkivskaper.arkivskaper_navn.clone()],
            system_name: SYNTH_USER.to_string(),
            archive_name: arkiv.tittel.clone(),
            period_start: span.0,
            period_end: span.1,
            noark_version: "5.0".to_string(),
            inngaaende_skille: Periodeskille::Skarp,
            utgaaende_skille: Periodeskille::Skarp,
            inneholder_skjermet_informasjon: skjermet,
            omfatter_dokumenter_som_er_kassert: false,
            inneholder_dokumenter_som_skal_kasseres: kasseres,
            inneholder_virksomhetsspesifikke_metadata: false,
            antall_dokumentfiler: files.len() as u64,
            antall_mapper: mapper,
            antall_registreringer: registreringer,
            arkivstruktur_sha256,
            arkivstruktur_xsd_sha256: None,
            metadatakatalog_xsd_sha256: None,
        }
    }
}

fn is_kasseres(k: &Option<Kassasjon>) -> bool {
    k.as_ref().is_some_and(|k| k.kassasjonsvedtak == "Kasseres")
}

/// Checksum algorithm name used in ADDML, as in Arkade's current templates.
const ADDML_SHA256: &str = "SHA-256";

/// `<property name=".." [dataType=".."]><value>..</value></property>`.
fn prop_value<W: Write>(
    x: &mut Xml<W>,
    name: &str,
    data_type: Option<&str>,
    value: &str,
) -> io::Result<()> {
    match data_type {
        Some(t) => x.open_with("property", &[("dataType", t), ("name", name)])?,
        None => x.open_with("property", &[("name", name)])?,
    }
    x.leaf("value", value)?;
    x.close("property")
}

/// `<additionalElement name=".."><value>..</value></additionalElement>`.
fn additional_value<W: Write>(x: &mut Xml<W>, name: &str, value: &str) -> io::Result<()> {
    x.open_with("additionalElement", &[("name", name)])?;
    x.leaf("value", value)?;
    x.close("additionalElement")
}

/// A `file` property: name, format XML 1.0 and optional checksum.
fn file_prop<W: Write>(x: &mut Xml<W>, name: &str, sha256: Option<&str>) -> io::Result<()> {
    x.open_with("property", &[("name", "file")])?;
    x.open("properties")?;
    prop_value(x, "name", None, name)?;
    x.open_with("property", &[("name", "format")])?;
    x.leaf("value", "XML")?;
    x.open("properties")?;
    prop_value(x, "version", None, "1.0")?;
    x.close("properties")?;
    x.close("property")?;
    if let Some(sum) = sha256 {
        x.open_with("property", &[("name", "checksum")])?;
        x.open("properties")?;
        prop_value(x, "algorithm", None, ADDML_SHA256)?;
        prop_value(x, "value", None, sum)?;
        x.close("properties")?;
        x.close("property")?;
    }
    x.close("properties")?;
    x.close("property")
}

/// A `schema` property describing an XSD file (`main` marks the entry schema).
fn schema_prop<W: Write>(
    x: &mut Xml<W>,
    main: bool,
    name: &str,
    sha256: Option<&str>,
) -> io::Result<()> {
    x.open_with("property", &[("name", "schema")])?;
    if main {
        x.leaf("value", "main")?;
    }
    x.open("properties")?;
    file_prop(x, name, sha256)?;
    x.open_with("property", &[("name", "type")])?;
    x.leaf("value", "XML Schema")?;
    x.open("properties")?;
    prop_value(x, "version", None, "1.0")?;
    x.close("properties")?;
    x.close("property")?;
    x.close("properties")?;
    x.close("property")
}

fn occurrences<W: Write>(x: &mut Xml<W>, element: &str, count: u64) -> io::Result<()> {
    x.open_with("property", &[("name", "numberOfOccurrences")])?;
    x.leaf("value", element)?;
    x.open("properties")?;
    prop_value(x, "elementPath", None, &format!("//{element}"))?;
    prop_value(x, "value", Some("integer"), &count.to_string())?;
    x.close("properties")?;
    x.close("property")
}

/// Writes an ADDML 8.3 `arkivuttrekk.xml` describing an extraction whose
/// `arkivstruktur.xml` has the given statistics.
///
/// The layout follows the Arkivverket "Noark 5-arkivuttrekk" template (as in
/// Arkade's test data): context (record creators, system, archive), content
/// (archival period), then one `Noark 5-arkivuttrekk` data object with the
/// Noark version, period/flags/`antallDokumentfiler`, and an `arkivstruktur`
/// data object with file checksum, schemas and `numberOfOccurrences` of
/// `mappe` and `registrering`. Deterministic, UTF-8, 2-space indent.
///
/// Fails with [`io::ErrorKind::InvalidInput`] if there is no record creator,
/// a mandatory text is empty, a date is invalid or the checksum is not hex.
pub fn write_addml<W: Write>(stats: &AddmlStats, out: W) -> io::Result<()> {
    let bad = |what: &str| io::Error::new(io::ErrorKind::InvalidInput, format!("addml: {what}"));
    if stats.arkivskapere.is_empty() || stats.arkivskapere.iter().any(|s| s.is_empty()) {
        return Err(bad("needs at least one non-empty arkivskaper"));
    }
    for (field, v) in [
        ("system_name", &stats.system_name),
        ("archive_name", &stats.archive_name),
        ("noark_version", &stats.noark_version),
    ] {
        if v.is_empty() {
            return Err(bad(&format!("{field} must not be empty")));
        }
    }
    if !stats.period_start.is_valid() || !stats.period_end.is_valid() {
        return Err(bad("archival period has an invalid date"));
    }
    let sums = [
        Some(&stats.arkivstruktur_sha256),
        stats.arkivstruktur_xsd_sha256.as_ref(),
        stats.metadatakatalog_xsd_sha256.as_ref(),
    ];
    if sums
        .iter()
        .flatten()
        .any(|s| s.len() != 64 || !s.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        return Err(bad("checksums must be 64 hex digits (SHA-256)"));
    }

    let mut x = Xml::new(BufWriter::new(out))?;
    x.open_with(
        "addml",
        &[
            ("xmlns", NS_ADDML),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            ("name", "Noark 5-arkivuttrekk"),
            (
                "xsi:schemaLocation",
                "http://www.arkivverket.no/standarder/addml addml.xsd",
            ),
        ],
    )?;
    x.open("dataset")?;
    x.leaf("description", "Noark 5-arkivuttrekk")?;
    x.open("reference")?;
    x.open("context")?;
    x.open("additionalElements")?;
    x.open_with("additionalElement", &[("name", "recordCreators")])?;
    x.open("additionalElements")?;
    for c in &stats.arkivskapere {
        additional_value(&mut x, "recordCreator", c)?;
    }
    x.close("additionalElements")?;
    x.close("additionalElement")?;
    additional_value(&mut x, "systemType", "Sakarkiv (Noark-5)")?;
    additional_value(&mut x, "systemName", &stats.system_name)?;
    additional_value(&mut x, "archive", &stats.archive_name)?;
    x.close("additionalElements")?;
    x.close("context")?;
    x.open("content")?;
    x.open("additionalElements")?;
    x.open_with("additionalElement", &[("name", "archivalPeriod")])?;
    x.open("properties")?;
    prop_value(&mut x, "startDate", None, &stats.period_start.to_string())?;
    prop_value(&mut x, "endDate", None, &stats.period_end.to_string())?;
    x.close("properties")?;
    x.close("additionalElement")?;
    x.close("additionalElements")?;
    x.close("content")?;
    x.close("reference")?;

    x.open("dataObjects")?;
    x.open_with("dataObject", &[("name", "Noark 5-arkivuttrekk")])?;
    x.open("properties")?;
    x.open_with("property", &[("name", "info")])?;
    x.open("properties")?;
    x.open_with("property", &[("name", "type")])?;
    x.leaf("value", "Noark 5")?;
    x.open("properties")?;
    prop_value(&mut x, "version", None, &stats.noark_version)?;
    x.close("properties")?;
    x.close("property")?;
    x.open_with("property", &[("name", "additionalInfo")])?;
    x.open("properties")?;
    x.open_with("property", &[("name", "periode")])?;
    x.open("properties")?;
    prop_value(
        &mut x,
        "inngaaendeSkille",
        None,
        stats.inngaaende_skille.as_str(),
    )?;
    prop_value(
        &mut x,
        "utgaaendeSkille",
        None,
        stats.utgaaende_skille.as_str(),
    )?;
    x.close("properties")?;
    x.close("property")?;
    for (name, v) in [
        (
            "inneholderSkjermetInformasjon",
            stats.inneholder_skjermet_informasjon,
        ),
        (
            "omfatterDokumenterSomErKassert",
            stats.omfatter_dokumenter_som_er_kassert,
        ),
        (
            "inneholderDokumenterSomSkalKasseres",
            stats.inneholder_dokumenter_som_skal_kasseres,
        ),
        (
            "inneholderVirksomhetsspesifikkeMetadata",
            stats.inneholder_virksomhetsspesifikke_metadata,
        ),
    ] {
        prop_value(
            &mut x,
            name,
            Some("boolean"),
            if v { "true" } else { "false" },
        )?;
    }
    prop_value(
        &mut x,
        "antallDokumentfiler",
        Some("integer"),
        &stats.antall_dokumentfiler.to_string(),
    )?;
    x.close("properties")?;
    x.close("property")?;
    x.close("properties")?;
    x.close("property")?;
    x.close("properties")?;

    x.open("dataObjects")?;
    x.open_with("dataObject", &[("name", "arkivstruktur")])?;
    x.open("properties")?;
    file_prop(
        &mut x,
        "arkivstruktur.xml",
        Some(&stats.arkivstruktur_sha256),
    )?;
    schema_prop(
        &mut x,
        true,
        "arkivstruktur.xsd",
        stats.arkivstruktur_xsd_sha256.as_deref(),
    )?;
    schema_prop(
        &mut x,
        false,
        "metadatakatalog.xsd",
        stats.metadatakatalog_xsd_sha256.as_deref(),
    )?;
    x.open_with("property", &[("name", "info")])?;
    x.open("properties")?;
    occurrences(&mut x, "mappe", stats.antall_mapper)?;
    occurrences(&mut x, "registrering", stats.antall_registreringer)?;
    x.close("properties")?;
    x.close("property")?;
    x.close("properties")?;
    x.close("dataObject")?;
    x.close("dataObjects")?;
    x.close("dataObject")?;
    x.close("dataObjects")?;
    x.close("dataset")?;
    x.close("addml")?;
    x.into_inner().flush()
}
