//! Writing the tree as `arkivstruktur.xml` (Noark 5 v5.0).

use std::fmt;
use std::io::{self, BufWriter, Write};

use super::periods::{arkiv_span, arkivdel_span, klasse_span, mappe_span, Span};
use super::tree::{
    Arkiv, Arkivdel, Dokumentbeskrivelse, Journalpost, Kassasjon, Klasse, Saksmappe, Skjerming,
};
use super::validate::check_arkiv;
use super::xml::Xml;
use super::{NS_ARKIVSTRUKTUR, SYNTH_USER};
use crate::synth::date::{Date, FALLBACK_DATE};

/// Written once on `arkiv`; inherited downwards per M300, so it is not repeated.
const DOKUMENTMEDIUM: &str = "Elektronisk arkiv";
/// Statuses that an extraction of a closed archive must have (M050, M051, M052).
const ARKIVSTATUS: &str = "Avsluttet";
const ARKIVDELSTATUS: &str = "Avsluttet periode";
const SAKSSTATUS: &str = "Avsluttet";

/// `xs:dateTime` text for a date at a fixed UTC time of day.
struct DateTime(Date, &'static str);

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}T{}Z", self.0, self.1)
    }
}

/// Time of day used for "created" timestamps.
const T_OPEN: &str = "09:00:00";
/// Time of day used for "closed"/"archived" timestamps.
const T_CLOSE: &str = "15:00:00";

/// Writes `arkiv` as a Noark 5 v5.0 `arkivstruktur.xml` to `out`.
///
/// Output is UTF-8 without BOM, pretty-printed with 2-space indentation and
/// byte-for-byte deterministic for a given tree. The tree is checked first
/// (UUID-shaped ids, non-empty mandatory text, real dates, the schema's
/// minimum counts); a violation gives an [`io::ErrorKind::InvalidInput`]
/// error naming the offending unit, and nothing is written.
///
/// `out` is buffered internally and flushed before returning.
pub fn write_arkivstruktur<W: Write>(arkiv: &Arkiv, out: W) -> io::Result<()> {
    check_arkiv(arkiv)?;
    let mut x = Xml::new(BufWriter::new(out))?;
    let span = arkiv_span(arkiv).unwrap_or((FALLBACK_DATE, FALLBACK_DATE));

    x.open_with(
        "arkiv",
        &[
            ("xmlns", NS_ARKIVSTRUKTUR),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
        ],
    )?;
    x.leaf("systemID", &arkiv.system_id)?;
    x.leaf("tittel", &arkiv.tittel)?;
    x.leaf("arkivstatus", ARKIVSTATUS)?;
    x.leaf("dokumentmedium", DOKUMENTMEDIUM)?;
    write_created_closed(&mut x, span, SYNTH_USER)?;
    x.open("arkivskaper")?;
    x.leaf("arkivskaperID", &arkiv.arkivskaper.arkivskaper_id)?;
    x.leaf("arkivskaperNavn", &arkiv.arkivskaper.arkivskaper_navn)?;
    x.close("arkivskaper")?;
    for d in &arkiv.arkivdeler {
        write_arkivdel(&mut x, d, arkivdel_span(d).unwrap_or(span))?;
    }
    x.close("arkiv")?;
    x.into_inner().flush()
}

/// `opprettetDato`, `opprettetAv`, `avsluttetDato`, `avsluttetAv` (this order
/// is shared by arkiv, arkivdel, klassifikasjonssystem, klasse and mappe).
fn write_created_closed<W: Write>(x: &mut Xml<W>, span: Span, user: &str) -> io::Result<()> {
    x.leaf_fmt("opprettetDato", DateTime(span.0, T_OPEN))?;
    x.leaf("opprettetAv", user)?;
    x.leaf_fmt("avsluttetDato", DateTime(span.1, T_CLOSE))?;
    x.leaf("avsluttetAv", user)
}

fn write_arkivdel<W: Write>(x: &mut Xml<W>, d: &Arkivdel, span: Span) -> io::Result<()> {
    x.open("arkivdel")?;
    x.leaf("systemID", &d.system_id)?;
    x.leaf("tittel", &d.tittel)?;
    x.leaf("arkivdelstatus", ARKIVDELSTATUS)?;
    write_created_closed(x, span, SYNTH_USER)?;
    x.leaf_fmt("arkivperiodeStartDato", span.0)?;
    x.leaf_fmt("arkivperiodeSluttDato", span.1)?;

    let ks = &d.klassifikasjonssystem;
    x.open("klassifikasjonssystem")?;
    x.leaf("systemID", &ks.system_id)?;
    x.opt_leaf("klassifikasjonstype", ks.klassifikasjonstype.as_deref())?;
    x.leaf("tittel", &ks.tittel)?;
    x.leaf_fmt("opprettetDato", DateTime(span.0, T_OPEN))?;
    x.leaf("opprettetAv", SYNTH_USER)?;
    for k in &ks.klasser {
        write_klasse(x, k, klasse_span(k).unwrap_or(span))?;
    }
    x.close("klassifikasjonssystem")?;
    x.close("arkivdel")
}

fn write_klasse<W: Write>(x: &mut Xml<W>, k: &Klasse, span: Span) -> io::Result<()> {
    x.open("klasse")?;
    x.leaf("systemID", &k.system_id)?;
    x.leaf("klasseID", &k.klasse_id)?;
    x.leaf("tittel", &k.tittel)?;
    // A class stays open while the series is active, so no avsluttetDato here.
    x.leaf_fmt("opprettetDato", DateTime(span.0, T_OPEN))?;
    x.leaf("opprettetAv", SYNTH_USER)?;
    for m in &k.mapper {
        write_saksmappe(x, m)?;
    }
    x.close("klasse")
}

fn write_kassasjon<W: Write>(x: &mut Xml<W>, k: &Option<Kassasjon>) -> io::Result<()> {
    let Some(k) = k else { return Ok(()) };
    x.open("kassasjon")?;
    x.leaf("kassasjonsvedtak", &k.kassasjonsvedtak)?;
    x.leaf_fmt("bevaringstid", k.bevaringstid)?;
    x.leaf_fmt("kassasjonsdato", k.kassasjonsdato)?;
    x.close("kassasjon")
}

fn write_skjerming<W: Write>(x: &mut Xml<W>, s: &Option<Skjerming>) -> io::Result<()> {
    let Some(s) = s else { return Ok(()) };
    x.open("skjerming")?;
    x.leaf("tilgangsrestriksjon", &s.tilgangsrestriksjon)?;
    x.leaf("skjermingshjemmel", &s.skjermingshjemmel)?;
    for m in &s.skjerming_metadata {
        x.leaf("skjermingMetadata", m)?;
    }
    x.opt_leaf("skjermingDokument", s.skjerming_dokument.as_deref())?;
    x.close("skjerming")
}

fn write_saksmappe<W: Write>(x: &mut Xml<W>, m: &Saksmappe) -> io::Result<()> {
    x.open_with("mappe", &[("xsi:type", "saksmappe")])?;
    // --- base type `mappe` ---
    x.leaf("systemID", &m.system_id)?;
    x.leaf("mappeID", &m.mappe_id)?;
    x.leaf("tittel", &m.tittel)?;
    x.opt_leaf("offentligTittel", m.offentlig_tittel.as_deref())?;
    write_created_closed(x, mappe_span(m), &m.saksansvarlig)?;
    write_kassasjon(x, &m.kassasjon)?;
    write_skjerming(x, &m.skjerming)?;
    for j in &m.journalposter {
        write_journalpost(x, j, &m.saksansvarlig)?;
    }
    // --- extension `saksmappe`: appended after the children ---
    x.leaf_fmt("saksaar", m.saksaar)?;
    x.leaf_fmt("sakssekvensnummer", m.sakssekvensnummer)?;
    x.leaf_fmt("saksdato", m.saksdato)?;
    x.leaf("administrativEnhet", &m.administrativ_enhet)?;
    x.leaf("saksansvarlig", &m.saksansvarlig)?;
    x.leaf("saksstatus", SAKSSTATUS)?;
    x.close("mappe")
}

fn write_journalpost<W: Write>(x: &mut Xml<W>, j: &Journalpost, user: &str) -> io::Result<()> {
    let created = DateTime(j.opprettet_dato, T_OPEN);
    x.open_with("registrering", &[("xsi:type", "journalpost")])?;
    // --- base type `registrering` ---
    x.leaf("systemID", &j.system_id)?;
    x.leaf_fmt("opprettetDato", &created)?;
    x.leaf("opprettetAv", user)?;
    x.leaf_fmt(
        "arkivertDato",
        DateTime(j.journaldato.max(j.opprettet_dato), T_CLOSE),
    )?;
    x.leaf("arkivertAv", user)?;
    write_kassasjon(x, &j.kassasjon)?;
    write_skjerming(x, &j.skjerming)?;
    for d in &j.dokumenter {
        write_dokumentbeskrivelse(x, d, &created, user)?;
    }
    // The schema puts registreringsID/tittel after the documents.
    x.opt_leaf("registreringsID", j.registrerings_id.as_deref())?;
    x.leaf("tittel", &j.tittel)?;
    x.opt_leaf("offentligTittel", j.offentlig_tittel.as_deref())?;
    for k in &j.korrespondanseparter {
        x.open("korrespondansepart")?;
        x.leaf("korrespondanseparttype", &k.korrespondanseparttype)?;
        x.leaf("korrespondansepartNavn", &k.korrespondansepart_navn)?;
        x.opt_leaf("postadresse", k.postadresse.as_deref())?;
        x.opt_leaf("postnummer", k.postnummer.as_deref())?;
        x.opt_leaf("poststed", k.poststed.as_deref())?;
        x.close("korrespondansepart")?;
    }
    // --- extension `journalpost` ---
    x.leaf_fmt("journalaar", j.journalaar)?;
    x.leaf_fmt("journalsekvensnummer", j.journalsekvensnummer)?;
    x.leaf_fmt("journalpostnummer", j.journalpostnummer)?;
    x.leaf("journalposttype", &j.journalposttype)?;
    x.leaf("journalstatus", &j.journalstatus)?;
    x.leaf_fmt("journaldato", j.journaldato)?;
    x.leaf_fmt("dokumentetsDato", j.opprettet_dato)?;
    // Received/sent timestamps make in/out letters look like real exports.
    if j.journalposttype.starts_with("Inngående") {
        x.leaf_fmt("mottattDato", &created)?;
    } else if j.journalposttype.starts_with("Utgående") {
        x.leaf_fmt("sendtDato", DateTime(j.journaldato, T_CLOSE))?;
    }
    let vedlegg = j
        .dokumenter
        .iter()
        .filter(|d| d.tilknyttet_registrering_som == "Vedlegg")
        .count();
    x.leaf_fmt("antallVedlegg", vedlegg)?;
    x.close("registrering")
}

fn write_dokumentbeskrivelse<W: Write>(
    x: &mut Xml<W>,
    d: &Dokumentbeskrivelse,
    created: &DateTime,
    user: &str,
) -> io::Result<()> {
    x.open("dokumentbeskrivelse")?;
    x.leaf("systemID", &d.system_id)?;
    x.leaf("dokumenttype", &d.dokumenttype)?;
    x.leaf("dokumentstatus", &d.dokumentstatus)?;
    x.leaf("tittel", &d.tittel)?;
    x.leaf_fmt("opprettetDato", created)?;
    x.leaf("opprettetAv", user)?;
    x.leaf("tilknyttetRegistreringSom", &d.tilknyttet_registrering_som)?;
    x.leaf_fmt("dokumentnummer", d.dokumentnummer)?;
    x.leaf_fmt("tilknyttetDato", created)?;
    x.leaf("tilknyttetAv", user)?;

    let o = &d.dokumentobjekt;
    x.open("dokumentobjekt")?;
    x.leaf("systemID", &o.system_id)?;
    x.leaf_fmt("versjonsnummer", o.versjonsnummer)?;
    x.leaf("variantformat", &o.variantformat)?;
    x.leaf("format", &o.format)?;
    x.leaf_fmt("opprettetDato", created)?;
    x.leaf("opprettetAv", user)?;
    x.leaf("referanseDokumentfil", &o.referanse_dokumentfil)?;
    x.leaf("sjekksum", &o.sjekksum)?;
    x.leaf("sjekksumAlgoritme", &o.sjekksum_algoritme)?;
    x.leaf_fmt("filstoerrelse", o.filstoerrelse)?;
    x.close("dokumentobjekt")?;
    x.close("dokumentbeskrivelse")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_times() {
        assert_eq!(
            DateTime(Date::new(2021, 5, 6), T_OPEN).to_string(),
            "2021-05-06T09:00:00Z"
        );
    }
}
