//! Writer for a Noark 5 v5.0 `arkivstruktur.xml` and the ADDML `arkivuttrekk.xml`
//! that describes it.
//!
//! The tree types below are deliberately plain owned structs: the synthesiser
//! builds them, and this module turns them into XML that validates against the
//! official v5.0 schema (`arkivstruktur.xsd` + `metadatakatalog.xsd`) and the
//! ADDML 8.3 schema used by Arkade.
//!
//! Things worth knowing about the v5.0 schema (they are easy to get wrong):
//!
//! * `saksmappe` and `journalpost` are `xsi:type` extensions of `mappe` and
//!   `registrering`. XSD extension *appends* the subtype's sequence, so
//!   `saksaar`, `sakssekvensnummer`, `saksdato`, … come **after** all child
//!   `registrering` elements, and `journalaar`, `journalposttype`, … come
//!   **after** the `dokumentbeskrivelse` and `korrespondansepart` children.
//! * In `registrering`, `dokumentbeskrivelse` comes **before** `tittel`.
//! * Every `systemID` (and every `referanse*`) must be UUID-shaped.
//! * `opprettetDato`, `avsluttetDato`, `arkivertDato` and `tilknyttetDato` are
//!   `xs:dateTime`; `saksdato`, `journaldato` and `kassasjonsdato` are `xs:date`.
//! * `dokumentobjekt` has a mandatory `systemID` of its own (new in v5.0).
//! * `skjerming` needs at least one `skjermingMetadata`; `klassifikasjonssystem`
//!   needs at least one `klasse`; `arkiv` needs at least one `arkivskaper` and
//!   one `arkivdel`.
//!
//! Metadata the tree does not carry (creation users, time of day, statuses of
//! closed units, the periods of structural units) is derived deterministically
//! from the tree, so the same tree always gives the same bytes.
//!
//! | module | job |
//! |---|---|
//! | `tree` | the tree types ([`Arkiv`] … [`Dokumentobjekt`]) |
//! | `arkivstruktur` | [`write_arkivstruktur`] |
//! | `addml` | [`write_addml`] and the [`AddmlStats`] it writes |
//! | `validate` | checks a tree before it is written |
//! | `periods` | the derived periods of structural units |
//! | `xml` | the XML emitter and escaping |
//! | `ids`, `hashing` | UUID-shaped ids, SHA-256 and [`HashingWriter`] |

mod addml;
mod arkivstruktur;
mod hashing;
mod ids;
mod periods;
#[cfg(test)]
mod tests;
mod tree;
mod validate;
mod xml;

pub use crate::source::checksum::sha256_hex;
pub use addml::{write_addml, AddmlStats, Periodeskille};
pub use arkivstruktur::write_arkivstruktur;
pub use hashing::HashingWriter;
pub use ids::{deterministic_uuid, is_uuid_shaped};
pub use tree::{
    Arkiv, Arkivdel, Arkivskaper, Dokumentbeskrivelse, Dokumentobjekt, Journalpost, Kassasjon,
    Klasse, Klassifikasjonssystem, Korrespondansepart, Saksmappe, Skjerming,
};

/// XML namespace of `arkivstruktur.xml` (Noark 5).
pub const NS_ARKIVSTRUKTUR: &str = "http://www.arkivverket.no/standarder/noark5/arkivstruktur";
/// XML namespace of ADDML (`arkivuttrekk.xml`).
pub const NS_ADDML: &str = "http://www.arkivverket.no/standarder/addml";
/// User name written in `opprettetAv`/`avsluttetAv` of structural units
/// (arkiv, arkivdel, klassifikasjonssystem, klasse), which the tree does not carry.
pub const SYNTH_USER: &str = "arkivar synth";
/// PRONOM id of PDF/A-1b, the usual `format` of an archival PDF in Noark 5
/// (the Noark 5 code list names `fmt/95` = PDF/A-1a and `fmt/354` = PDF/A-1b;
/// `fmt/276` is plain PDF 1.7 and is not an archival format).
pub const FORMAT_PDFA_1B: &str = "fmt/354";
/// `sjekksumAlgoritme` for SHA-256. The schema takes any non-empty text;
/// "SHA-256" is what every real extraction writes in `arkivstruktur.xml`,
/// so readers (Arkade included) expect exactly this spelling.
pub const SJEKKSUM_ALGORITME_SHA256: &str = "SHA-256";
