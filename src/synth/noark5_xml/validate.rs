//! Checking a tree before writing it, so a bad tree never leaves half a file: UUID-shaped ids,
//! non-empty mandatory text, real dates, and the schema's minimum counts.

use std::fmt;
use std::io;

use super::ids::is_uuid_shaped;
use super::tree::{Arkiv, Kassasjon, Saksmappe, Skjerming};
use crate::synth::date::Date;

fn invalid(path: &str, what: impl fmt::Display) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("arkivstruktur: {path}: {what}"),
    )
}

fn need_text(path: &str, field: &str, v: &str) -> io::Result<()> {
    if v.is_empty() {
        return Err(invalid(path, format_args!("{field} must not be empty")));
    }
    Ok(())
}

fn need_opt_text(path: &str, field: &str, v: &Option<String>) -> io::Result<()> {
    match v {
        Some(s) => need_text(path, field, s),
        None => Ok(()),
    }
}

fn need_uuid(path: &str, v: &str) -> io::Result<()> {
    if !is_uuid_shaped(v) {
        return Err(invalid(
            path,
            format_args!("systemID {v:?} is not UUID-shaped (8-4-4-4-12 hex digits)"),
        ));
    }
    Ok(())
}

fn need_date(path: &str, field: &str, d: Date) -> io::Result<()> {
    if !d.is_valid() {
        return Err(invalid(
            path,
            format_args!("{field} {d} is not a valid date"),
        ));
    }
    Ok(())
}

fn check_kassasjon(path: &str, k: &Option<Kassasjon>) -> io::Result<()> {
    if let Some(k) = k {
        need_text(path, "kassasjonsvedtak", &k.kassasjonsvedtak)?;
        need_date(path, "kassasjonsdato", k.kassasjonsdato)?;
    }
    Ok(())
}

fn check_skjerming(path: &str, s: &Option<Skjerming>) -> io::Result<()> {
    if let Some(s) = s {
        need_text(path, "tilgangsrestriksjon", &s.tilgangsrestriksjon)?;
        need_text(path, "skjermingshjemmel", &s.skjermingshjemmel)?;
        if s.skjerming_metadata.is_empty() {
            return Err(invalid(
                path,
                "skjerming needs at least one skjermingMetadata",
            ));
        }
        for m in &s.skjerming_metadata {
            need_text(path, "skjermingMetadata", m)?;
        }
        need_opt_text(path, "skjermingDokument", &s.skjerming_dokument)?;
    }
    Ok(())
}

pub(super) fn check_arkiv(a: &Arkiv) -> io::Result<()> {
    need_uuid("arkiv", &a.system_id)?;
    need_text("arkiv", "tittel", &a.tittel)?;
    need_text("arkiv", "arkivskaperID", &a.arkivskaper.arkivskaper_id)?;
    need_text("arkiv", "arkivskaperNavn", &a.arkivskaper.arkivskaper_navn)?;
    if a.arkivdeler.is_empty() {
        return Err(invalid("arkiv", "needs at least one arkivdel"));
    }
    for (i, d) in a.arkivdeler.iter().enumerate() {
        let p = format!("arkivdel[{i}]");
        need_uuid(&p, &d.system_id)?;
        need_text(&p, "tittel", &d.tittel)?;
        let ks = &d.klassifikasjonssystem;
        let p = format!("{p}/klassifikasjonssystem");
        need_uuid(&p, &ks.system_id)?;
        need_text(&p, "tittel", &ks.tittel)?;
        need_opt_text(&p, "klassifikasjonstype", &ks.klassifikasjonstype)?;
        if ks.klasser.is_empty() {
            return Err(invalid(&p, "needs at least one klasse"));
        }
        for (j, k) in ks.klasser.iter().enumerate() {
            let p = format!("{p}/klasse[{j}]");
            need_uuid(&p, &k.system_id)?;
            need_text(&p, "klasseID", &k.klasse_id)?;
            need_text(&p, "tittel", &k.tittel)?;
            for (m, sm) in k.mapper.iter().enumerate() {
                check_mappe(&format!("{p}/mappe[{m}]"), sm)?;
            }
        }
    }
    Ok(())
}

fn check_mappe(p: &str, m: &Saksmappe) -> io::Result<()> {
    need_uuid(p, &m.system_id)?;
    need_text(p, "mappeID", &m.mappe_id)?;
    need_text(p, "tittel", &m.tittel)?;
    need_opt_text(p, "offentligTittel", &m.offentlig_tittel)?;
    need_date(p, "saksdato", m.saksdato)?;
    need_text(p, "administrativEnhet", &m.administrativ_enhet)?;
    need_text(p, "saksansvarlig", &m.saksansvarlig)?;
    check_kassasjon(p, &m.kassasjon)?;
    check_skjerming(p, &m.skjerming)?;
    for (i, j) in m.journalposter.iter().enumerate() {
        let p = format!("{p}/registrering[{i}]");
        need_uuid(&p, &j.system_id)?;
        need_opt_text(&p, "registreringsID", &j.registrerings_id)?;
        need_text(&p, "tittel", &j.tittel)?;
        need_opt_text(&p, "offentligTittel", &j.offentlig_tittel)?;
        need_text(&p, "journalposttype", &j.journalposttype)?;
        need_text(&p, "journalstatus", &j.journalstatus)?;
        need_date(&p, "journaldato", j.journaldato)?;
        need_date(&p, "opprettetDato", j.opprettet_dato)?;
        check_kassasjon(&p, &j.kassasjon)?;
        check_skjerming(&p, &j.skjerming)?;
        for (k, kp) in j.korrespondanseparter.iter().enumerate() {
            let p = format!("{p}/korrespondansepart[{k}]");
            need_text(&p, "korrespondanseparttype", &kp.korrespondanseparttype)?;
            need_text(&p, "korrespondansepartNavn", &kp.korrespondansepart_navn)?;
            need_opt_text(&p, "postadresse", &kp.postadresse)?;
            need_opt_text(&p, "postnummer", &kp.postnummer)?;
            need_opt_text(&p, "poststed", &kp.poststed)?;
        }
        for (k, d) in j.dokumenter.iter().enumerate() {
            let p = format!("{p}/dokumentbeskrivelse[{k}]");
            need_uuid(&p, &d.system_id)?;
            need_text(&p, "dokumenttype", &d.dokumenttype)?;
            need_text(&p, "dokumentstatus", &d.dokumentstatus)?;
            need_text(&p, "tittel", &d.tittel)?;
            need_text(
                &p,
                "tilknyttetRegistreringSom",
                &d.tilknyttet_registrering_som,
            )?;
            let o = &d.dokumentobjekt;
            let p = format!("{p}/dokumentobjekt");
            need_uuid(&p, &o.system_id)?;
            need_text(&p, "variantformat", &o.variantformat)?;
            need_text(&p, "format", &o.format)?;
            need_text(&p, "referanseDokumentfil", &o.referanse_dokumentfil)?;
            need_text(&p, "sjekksumAlgoritme", &o.sjekksum_algoritme)?;
            // M705: hexadecimal "uten noen formatteringstegn".
            if o.sjekksum.is_empty() || !o.sjekksum.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(invalid(
                    &p,
                    format_args!("sjekksum {:?} is not plain hex", o.sjekksum),
                ));
            }
        }
    }
    Ok(())
}
