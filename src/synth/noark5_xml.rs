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

use std::collections::BTreeSet;
use std::fmt;
use std::io::{self, BufWriter, Write};

use sha2::{Digest, Sha256};

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

/// Written once on `arkiv`; inherited downwards per M300, so it is not repeated.
const DOKUMENTMEDIUM: &str = "Elektronisk arkiv";
/// Statuses that an extraction of a closed archive must have (M050, M051, M052).
const ARKIVSTATUS: &str = "Avsluttet";
const ARKIVDELSTATUS: &str = "Avsluttet periode";
const SAKSSTATUS: &str = "Avsluttet";
/// Used only when the whole archive holds no dated unit at all.
const FALLBACK_DATE: Date = Date::new(2000, 1, 1);

// ---------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------

/// A calendar date (proleptic Gregorian), written as `xs:date` `YYYY-MM-DD`.
///
/// Where the schema wants `xs:dateTime` the writer appends a fixed time of day
/// in UTC (e.g. `T09:00:00Z`) so output stays deterministic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, 1000..=9999 (four digits, as `xs:date` is written here).
    pub year: u16,
    /// Month, 1..=12.
    pub month: u8,
    /// Day of month, 1..=28/29/30/31.
    pub day: u8,
}

impl Default for Date {
    /// 2000-01-01: a valid placeholder so tree structs can derive `Default`.
    fn default() -> Self {
        FALLBACK_DATE
    }
}

impl Date {
    /// Builds a date without checking it; the writers reject invalid dates.
    pub const fn new(year: u16, month: u8, day: u8) -> Self {
        Date { year, month, day }
    }

    /// Whether year, month and day form a real date with a four-digit year.
    pub fn is_valid(&self) -> bool {
        (1000..=9999).contains(&self.year)
            && (1..=12).contains(&self.month)
            && self.day >= 1
            && self.day <= days_in_month(self.year, self.month)
    }

    /// The date `days` days later (earlier if negative).
    pub fn add_days(self, days: i64) -> Self {
        let z = days_from_civil(self.year as i64, self.month as u32, self.day as u32) + days;
        let (y, m, d) = civil_from_days(z);
        Date::new(y.clamp(0, u16::MAX as i64) as u16, m as u8, d as u8)
    }

    /// The same day `years` years later; 29 February becomes 28 February
    /// in non-leap years (used for `kassasjonsdato` = end + `bevaringstid`).
    pub fn add_years(self, years: u16) -> Self {
        let year = self.year.saturating_add(years);
        let day = self.day.min(days_in_month(year, self.month));
        Date::new(year, self.month, day)
    }

    /// Days since 1970-01-01 (negative before); handy for date ranges.
    pub fn to_days(self) -> i64 {
        days_from_civil(self.year as i64, self.month as u32, self.day as u32)
    }

    /// Inverse of [`Date::to_days`].
    pub fn from_days(days: i64) -> Self {
        Date::default().add_days(days - Date::default().to_days())
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Number of days in `month` of `year` (0 for an invalid month).
fn days_in_month(year: u16, month: u8) -> u8 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 0,
    }
}

/// Howard Hinnant's `days_from_civil`: exact for the whole proleptic calendar.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Inverse of [`days_from_civil`].
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

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

// ---------------------------------------------------------------------------
// Tree
// ---------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lower-case hex encoding.
fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 0xf) as usize] as char);
    }
    s
}

/// A stable UUID-shaped id derived from `name` (RFC 9562 version 8,
/// "custom": the first 16 bytes of SHA-256(`name`) with version/variant bits
/// set). Gives reproducible `systemID`s for synthetic trees.
pub fn deterministic_uuid(name: &str) -> String {
    let d = Sha256::digest(name.as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex(&b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// Whether `s` matches the schema's `ID` pattern
/// `[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}`.
///
/// The XSD pattern is implicitly anchored, so the whole string must match.
pub fn is_uuid_shaped(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// A writer adapter that computes the SHA-256 and byte count of everything
/// written through it, so `arkivstruktur.xml` can be streamed to disk and its
/// checksum still put into the ADDML file without re-reading it.
pub struct HashingWriter<W: Write> {
    inner: W,
    hasher: Sha256,
    len: u64,
}

impl<W: Write> HashingWriter<W> {
    /// Wraps `inner`.
    pub fn new(inner: W) -> Self {
        HashingWriter {
            inner,
            hasher: Sha256::new(),
            len: 0,
        }
    }

    /// Returns the inner writer, the lower-case hex SHA-256 and the byte count.
    pub fn finish(self) -> (W, String, u64) {
        (self.inner, hex(&self.hasher.finalize()), self.len)
    }
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        // Only hash what the inner writer accepted, so partial writes stay exact.
        self.hasher.update(&buf[..n]);
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Writes `s` as XML character data or attribute value.
///
/// `&`, `<`, `>` and `"` become entities; CR becomes `&#13;` so it survives
/// end-of-line normalisation; characters XML 1.0 forbids (C0 controls other
/// than TAB/LF/CR, U+FFFE, U+FFFF) become U+FFFD instead of producing a file
/// no parser will read.
fn write_escaped<W: Write>(w: &mut W, s: &str) -> io::Result<()> {
    let mut last = 0;
    for (i, c) in s.char_indices() {
        let rep = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' => "&quot;",
            '\r' => "&#13;",
            '\t' | '\n' => continue,
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => "\u{FFFD}",
            _ => continue,
        };
        w.write_all(&s.as_bytes()[last..i])?;
        w.write_all(rep.as_bytes())?;
        last = i + c.len_utf8();
    }
    w.write_all(&s.as_bytes()[last..])
}

/// Minimal pretty-printing XML emitter: one element per line, 2-space indent.
struct Xml<W: Write> {
    w: W,
    depth: usize,
}

impl<W: Write> Xml<W> {
    fn new(mut w: W) -> io::Result<Self> {
        w.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")?;
        Ok(Xml { w, depth: 0 })
    }

    fn indent(&mut self) -> io::Result<()> {
        for _ in 0..self.depth {
            self.w.write_all(b"  ")?;
        }
        Ok(())
    }

    fn start_tag(&mut self, name: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
        self.indent()?;
        write!(self.w, "<{name}")?;
        for (k, v) in attrs {
            write!(self.w, " {k}=\"")?;
            write_escaped(&mut self.w, v)?;
            self.w.write_all(b"\"")?;
        }
        self.w.write_all(b">")
    }

    fn open_with(&mut self, name: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
        self.start_tag(name, attrs)?;
        self.w.write_all(b"\n")?;
        self.depth += 1;
        Ok(())
    }

    fn open(&mut self, name: &str) -> io::Result<()> {
        self.open_with(name, &[])
    }

    fn close(&mut self, name: &str) -> io::Result<()> {
        self.depth -= 1;
        self.indent()?;
        writeln!(self.w, "</{name}>")
    }

    /// Text element; the text is escaped.
    fn leaf(&mut self, name: &str, text: &str) -> io::Result<()> {
        self.start_tag(name, &[])?;
        write_escaped(&mut self.w, text)?;
        writeln!(self.w, "</{name}>")
    }

    /// Element holding a number or date; such `Display` output needs no escaping.
    fn leaf_fmt(&mut self, name: &str, v: impl fmt::Display) -> io::Result<()> {
        self.start_tag(name, &[])?;
        writeln!(self.w, "{v}</{name}>")
    }

    fn opt_leaf(&mut self, name: &str, text: Option<&str>) -> io::Result<()> {
        match text {
            Some(t) => self.leaf(name, t),
            None => Ok(()),
        }
    }

    fn into_inner(self) -> W {
        self.w
    }
}

// ---------------------------------------------------------------------------
// Validation (before writing, so a bad tree never leaves half a file)
// ---------------------------------------------------------------------------

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

fn check_arkiv(a: &Arkiv) -> io::Result<()> {
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

// ---------------------------------------------------------------------------
// Derived periods
// ---------------------------------------------------------------------------

/// Earliest and latest date of a unit's subtree.
type Span = (Date, Date);

fn join(a: Option<Span>, b: Option<Span>) -> Option<Span> {
    match (a, b) {
        (Some(x), Some(y)) => Some((x.0.min(y.0), x.1.max(y.1))),
        (x, None) => x,
        (None, y) => y,
    }
}

fn mappe_span(m: &Saksmappe) -> Span {
    m.journalposter
        .iter()
        .fold((m.saksdato, m.saksdato), |s, j| {
            (
                s.0.min(j.opprettet_dato).min(j.journaldato),
                s.1.max(j.opprettet_dato).max(j.journaldato),
            )
        })
}

fn klasse_span(k: &Klasse) -> Option<Span> {
    k.mapper
        .iter()
        .fold(None, |s, m| join(s, Some(mappe_span(m))))
}

fn arkivdel_span(d: &Arkivdel) -> Option<Span> {
    d.klassifikasjonssystem
        .klasser
        .iter()
        .fold(None, |s, k| join(s, klasse_span(k)))
}

fn arkiv_span(a: &Arkiv) -> Option<Span> {
    a.arkivdeler
        .iter()
        .fold(None, |s, d| join(s, arkivdel_span(d)))
}

// ---------------------------------------------------------------------------
// arkivstruktur.xml
// ---------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------
// arkivuttrekk.xml (ADDML 8.3)
// ---------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;
    use std::process::Command;

    const ARKIVSTRUKTUR_XSD: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/noark5/xsd/N5/v5.0/arkivstruktur.xsd"
    );
    const ADDML_XSD: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/noark5/xsd/ADDML/latest/addml.xsd"
    );

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
        personal.journalposter[0].journalposttype =
            "Organinternt dokument uten oppfølging".to_string();
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

    /// Validates `file` against `schema` with xmllint; skips (with a notice)
    /// when the schema is not checked out next to the crate.
    fn xmllint_validate(schema: &str, file: &Path) {
        if !Path::new(schema).exists() {
            println!("NOTICE: skipping schema validation, {schema} not found");
            eprintln!("NOTICE: skipping schema validation, {schema} not found");
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
    fn escaping_handles_controls() {
        let mut v = Vec::new();
        write_escaped(&mut v, "a\rb\u{1}c\td\ne\u{FFFF}").unwrap();
        assert_eq!(
            String::from_utf8(v).unwrap(),
            "a&#13;b\u{FFFD}c\td\ne\u{FFFD}"
        );
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
        t.arkivdeler[0].klassifikasjonssystem.klasser[0].mapper[0].saksdato =
            Date::new(2021, 2, 29);
        assert!(write_arkivstruktur(&t, Vec::new()).is_err());
    }

    #[test]
    fn dates() {
        assert_eq!(Date::new(2020, 2, 29).add_years(1), Date::new(2021, 2, 28));
        assert_eq!(Date::new(2020, 12, 31).add_days(1), Date::new(2021, 1, 1));
        assert_eq!(Date::new(2021, 3, 1).add_days(-1), Date::new(2021, 2, 28));
        assert_eq!(Date::new(1970, 1, 1).to_days(), 0);
        assert_eq!(Date::from_days(19_000), Date::new(2022, 1, 8));
        assert!(!Date::new(2023, 2, 29).is_valid());
        assert!(Date::new(2024, 2, 29).is_valid());
        assert_eq!(
            DateTime(Date::new(2021, 5, 6), T_OPEN).to_string(),
            "2021-05-06T09:00:00Z"
        );
    }

    #[test]
    fn uuids() {
        let u = deterministic_uuid("x");
        assert!(is_uuid_shaped(&u));
        assert_eq!(u, deterministic_uuid("x"));
        assert_ne!(u, deterministic_uuid("y"));
        assert_eq!(&u[14..15], "8");
        assert!(!is_uuid_shaped("journpost57d6608569ed33.70652483"));
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
