//! Deterministic Norwegian municipal document texts for synthetic exports.
//!
//! [`letter`] turns a [`LetterClass`] and an [`Rng`] into a [`Letter`]: a
//! journal-style title, a document kind and the paragraphs of the document.
//! The texts are built from templates with slots (names, places, streets,
//! gnr/bnr, dates, amounts) in the wording Norwegian municipalities actually
//! use: "Vi viser til …", the legal basis of a decision, the standard appeal
//! paragraph, "Med vennlig hilsen" and the signature block of an
//! electronically approved letter. About 15 % of the letters are in nynorsk,
//! as in a typical western municipality.
//!
//! The aim is classifier training and benchmarking data, so:
//!
//! * each class has its own vocabulary and legal references, but related
//!   classes share some (byggesak/reguleringsplan, barnehage/skole), and all
//!   classes share the boilerplate, so the classes are not trivially separable;
//! * lengths vary from three lines to about two pages;
//! * the same seed always gives the same text (nothing depends on hashing,
//!   time or the platform).

use super::date::Date;
use super::personal;
use super::rng::Rng;

// ---------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------

/// The kind of document; [`DocKind::as_str`] gives the Noark `dokumenttype`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocKind {
    /// Letter (incoming or outgoing).
    Brev,
    /// Individual or political decision.
    Vedtak,
    /// Application from a citizen, company or employee.
    Soknad,
    /// Minutes of a meeting (council, committee, responsibility group).
    Moetereferat,
    /// Internal memo or case note.
    Notat,
}

impl DocKind {
    /// Norwegian name as written in `dokumenttype`: "Brev", "Vedtak",
    /// "Søknad", "Møtereferat" or "Notat".
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Brev => "Brev",
            DocKind::Vedtak => "Vedtak",
            DocKind::Soknad => "Søknad",
            DocKind::Moetereferat => "Møtereferat",
            DocKind::Notat => "Notat",
        }
    }
}

/// Subject area of a letter; decides vocabulary, series, screening and retention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LetterClass {
    /// Building applications and permits (plan- og bygningsloven kap. 20–21).
    Byggesak,
    /// Zoning plans; shares vocabulary with [`LetterClass::Byggesak`].
    Reguleringsplan,
    /// Kindergarten places and payment.
    Barnehage,
    /// Primary school; shares vocabulary with [`LetterClass::Barnehage`].
    Skole,
    /// Employment, recruitment and sick-leave follow-up.
    Personal,
    /// Budget, grants and invoicing.
    Okonomi,
    /// Council and committee minutes.
    Politikk,
    /// Health and care services (sensitive).
    Helse,
    /// Child welfare (sensitive).
    Barnevern,
    /// Social assistance (sensitive).
    Sosial,
}

impl LetterClass {
    /// Every class, in declaration order.
    pub const ALL: [LetterClass; 10] = [
        LetterClass::Byggesak,
        LetterClass::Reguleringsplan,
        LetterClass::Barnehage,
        LetterClass::Skole,
        LetterClass::Personal,
        LetterClass::Okonomi,
        LetterClass::Politikk,
        LetterClass::Helse,
        LetterClass::Barnevern,
        LetterClass::Sosial,
    ];

    /// Class id in the style of the KS K-codes (used as `klasseID`).
    ///
    /// Letter-prefixed codes are facet codes as in the K-code key (L = plan
    /// and building, A = education, G = health, F = social services and
    /// child welfare); three-digit codes are function codes (033 political
    /// bodies, 200 finance, 400 personnel). Plausible, distinct and stable;
    /// not an authoritative mapping of any municipality's key.
    pub fn code(self) -> &'static str {
        match self {
            LetterClass::Byggesak => "L42",
            LetterClass::Reguleringsplan => "L12",
            LetterClass::Barnehage => "A10",
            LetterClass::Skole => "A20",
            LetterClass::Personal => "400",
            LetterClass::Okonomi => "200",
            LetterClass::Politikk => "033",
            LetterClass::Helse => "G10",
            LetterClass::Barnevern => "F47",
            LetterClass::Sosial => "F03",
        }
    }

    /// Norwegian class title (used as the `klasse` `tittel`).
    pub fn title(self) -> &'static str {
        match self {
            LetterClass::Byggesak => "Byggesaksbehandling",
            LetterClass::Reguleringsplan => "Reguleringsplaner",
            LetterClass::Barnehage => "Barnehager",
            LetterClass::Skole => "Grunnskole",
            LetterClass::Personal => "Personalforvaltning",
            LetterClass::Okonomi => "Økonomi, budsjett og regnskap",
            LetterClass::Politikk => "Politiske organer",
            LetterClass::Helse => "Helse- og omsorgstjenester",
            LetterClass::Barnevern => "Barneverntjenesten",
            LetterClass::Sosial => "Økonomisk sosialhjelp",
        }
    }

    /// Title of the series (`arkivdel`) the class is filed in.
    ///
    /// Client records (health, child welfare, social services) and personnel
    /// files are kept in their own series, as Noark and the Riksarkivar's
    /// regulations expect; building cases often have a series of their own
    /// (filed by property); everything else goes to the general case archive.
    pub fn series(self) -> &'static str {
        match self {
            LetterClass::Byggesak => "Byggesaker",
            LetterClass::Reguleringsplan
            | LetterClass::Barnehage
            | LetterClass::Skole
            | LetterClass::Okonomi
            | LetterClass::Politikk => "Sakarkiv",
            LetterClass::Personal => "Personalarkiv",
            LetterClass::Helse => "Helse og omsorg",
            LetterClass::Barnevern => "Barnevern",
            LetterClass::Sosial => "Sosialtjeneste",
        }
    }

    /// Screening as `(tilgangsrestriksjon, skjermingshjemmel)`, or `None` for
    /// classes that are public by default.
    ///
    /// Health, child welfare and social services are covered by the duty of
    /// confidentiality (offl. § 13 with fvl. § 13); personnel matters are
    /// exempt under offl. § 25.
    pub fn screening(self) -> Option<(&'static str, &'static str)> {
        match self {
            LetterClass::Helse | LetterClass::Barnevern | LetterClass::Sosial => {
                Some(("13", "Offl. § 13 jf. fvl. § 13"))
            }
            LetterClass::Personal => Some(("25", "Offl. § 25")),
            _ => None,
        }
    }

    /// Retention as `(kassasjonsvedtak, bevaringstid in years)`.
    ///
    /// Modelled on a typical municipal retention plan: plans, building cases,
    /// political records, personnel files, pupil records and child-welfare
    /// files are kept ("Bevares", time 0 = no limit); kindergarten
    /// applications, accounting (bokføringsloven: 5 years), health-service
    /// decisions and social-assistance files are disposed of ("Kasseres").
    pub fn retention(self) -> (&'static str, i32) {
        match self {
            LetterClass::Byggesak
            | LetterClass::Reguleringsplan
            | LetterClass::Skole
            | LetterClass::Personal
            | LetterClass::Politikk
            | LetterClass::Barnevern => ("Bevares", 0),
            LetterClass::Barnehage => ("Kasseres", 5),
            LetterClass::Okonomi => ("Kasseres", 5),
            LetterClass::Helse => ("Kasseres", 10),
            LetterClass::Sosial => ("Kasseres", 10),
        }
    }
}

/// A generated document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    /// Journal-style title, e.g. "45/112 Tillatelse til tiltak - carport, Kirkevegen 12 - Kari Hansen".
    pub title: String,
    /// Kind of document.
    pub kind: DocKind,
    /// The text, one entry per paragraph or line (address and signature
    /// lines are separate entries); never empty.
    pub paragraphs: Vec<String>,
    /// Whether the letter is written in nynorsk (else bokmål).
    pub nynorsk: bool,
    /// Names of the persons mentioned in title or text, as written in the
    /// text (a title may be in capitals), in order of first mention, without
    /// duplicates.
    pub persons: Vec<String>,
    /// Every occurrence of personal data in [`Letter::canonical_text`] (names, identity
    /// numbers, addresses, phone numbers, e-mail, account numbers) and of the 11-digit
    /// look-alikes that are not identity numbers, in text order, never overlapping.
    pub pii: Vec<Pii>,
    /// Special categories of personal data the document holds as a whole: `helse`,
    /// `barnevern`, `sosialhjelp` (empty for most documents).
    pub categories: Vec<&'static str>,
}

impl Letter {
    /// The paragraphs joined by blank lines.
    pub fn text(&self) -> String {
        self.paragraphs.join("\n\n")
    }

    /// The text the truth's character spans refer to: the title, then every paragraph, each
    /// on its own line (`title + "\n" + paragraphs.join("\n")`).
    pub fn canonical_text(&self) -> String {
        let len = self.title.len() + self.paragraphs.iter().map(|p| p.len() + 1).sum::<usize>();
        let mut text = String::with_capacity(len);
        text.push_str(&self.title);
        for p in &self.paragraphs {
            text.push('\n');
            text.push_str(p);
        }
        text
    }
}

/// The kind of a planted item of personal data (`truth.parquet` `pii.kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PiiKind {
    /// Fødselsnummer with valid check digits.
    Fodselsnummer,
    /// D-nummer (day + 40) with valid check digits.
    DNummer,
    /// An 11-digit reference that fails the fødselsnummer check: must NOT be flagged.
    Lookalike,
    /// A person's name as written (a title in capitals writes it in capitals).
    Navn,
    /// A postal address: street and number, with postcode and place when they follow.
    Adresse,
    /// A phone number.
    Telefon,
    /// A private e-mail address (on `example.no` / `eksempel.no`).
    Epost,
    /// A bank account number with a valid check digit.
    Kontonummer,
}

impl PiiKind {
    /// Every kind, in a stable order.
    pub const ALL: [PiiKind; 8] = [
        PiiKind::Fodselsnummer,
        PiiKind::DNummer,
        PiiKind::Lookalike,
        PiiKind::Navn,
        PiiKind::Adresse,
        PiiKind::Telefon,
        PiiKind::Epost,
        PiiKind::Kontonummer,
    ];

    /// The name written to the truth: `fodselsnummer`, `d_nummer`, `lookalike`, `navn`,
    /// `adresse`, `telefon`, `epost` or `kontonummer`.
    pub fn as_str(self) -> &'static str {
        match self {
            PiiKind::Fodselsnummer => "fodselsnummer",
            PiiKind::DNummer => "d_nummer",
            PiiKind::Lookalike => "lookalike",
            PiiKind::Navn => "navn",
            PiiKind::Adresse => "adresse",
            PiiKind::Telefon => "telefon",
            PiiKind::Epost => "epost",
            PiiKind::Kontonummer => "kontonummer",
        }
    }
}

/// One occurrence of planted personal data in a letter's [`Letter::canonical_text`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pii {
    /// What it is.
    pub kind: PiiKind,
    /// The text as written (the characters `start..end` of the canonical text).
    pub value: String,
    /// Start, in characters (not bytes) from the start of the canonical text.
    pub start: usize,
    /// End (exclusive), in characters.
    pub end: usize,
}

/// Generates one document of `class`, consuming randomness from `rng`.
pub fn letter(class: LetterClass, rng: &mut Rng) -> Letter {
    let nn = rng.chance(0.15);
    let t = rng.choose(templates(class));
    let mut c = Ctx::new(class, nn, rng);

    let mut title = c.fill(rng.choose(t.titles));
    // Older registry entries (and many saksframlegg) are written in capitals.
    if matches!(
        class,
        LetterClass::Byggesak | LetterClass::Reguleringsplan | LetterClass::Politikk
    ) && rng.chance(0.1)
    {
        title = title.to_uppercase();
    }

    // Short: a few lines; medium: a normal letter; long: up to about two pages.
    let size = match rng.below(10) {
        0 | 1 => Size::Short,
        2..=6 => Size::Medium,
        _ => Size::Long,
    };
    let mut p: Vec<String> = Vec::new();

    // Header.
    match (t.voice, size) {
        (_, Size::Short) => {}
        (Voice::Innbygger, _) => {
            for line in [SOKER_ADR, TIL_KOMMUNE].iter().flat_map(|x| x.iter()) {
                p.push(c.fill(line));
            }
        }
        (Voice::Intern, _) => {
            for line in NOTAT_HEAD {
                p.push(c.fill(line));
            }
        }
        (Voice::Kommune | Voice::Moete, _) => {}
    }
    let header_end = p.len();

    // Body: a short letter keeps only its first paragraph.
    let body = match size {
        Size::Short => &t.body[..1.min(t.body.len())],
        _ => t.body,
    };
    for b in body {
        p.push(c.fill(b));
    }
    let body_end = p.len();
    let closing;

    if t.voice == Voice::Moete {
        // Minutes: a run of agenda items, each with its own case details.
        let items = match size {
            Size::Short => 1,
            Size::Medium => rng.range(2, 5),
            Size::Long => rng.range(6, 16),
        };
        // Each agenda item at most once: real minutes do not repeat an item.
        let mut pool: Vec<&Text> = t.extra.iter().collect();
        let first = rng.range(1, 80);
        for saknr in first..first + items {
            if pool.is_empty() {
                break;
            }
            c.reroll(rng, saknr);
            let i = rng.below(pool.len() as u64) as usize;
            let item = pool.remove(i);
            p.push(c.fill(item));
        }
        closing = p.len();
        for m in MOETE_END {
            p.push(c.fill(m));
        }
    } else {
        let n = match size {
            Size::Short => 0,
            Size::Medium => rng.range(0, 2),
            Size::Long => rng.range(8, 24),
        };
        // Citizens do not write in the municipality's voice, so the shared
        // and general (administrative) paragraphs are for its own documents.
        let mut pool: Vec<&Text> = t.extra.iter().collect();
        if t.voice != Voice::Innbygger {
            pool.extend(shared_extra(class));
        }
        if t.voice == Voice::Kommune {
            pool.extend(GENERAL_EXTRA);
            if size == Size::Long {
                p.push(c.fill(&("Vurdering", "Vurdering")));
            }
        }
        for _ in 0..n {
            if pool.is_empty() {
                break;
            }
            // Without replacement: a letter never repeats a paragraph.
            let i = rng.below(pool.len() as u64) as usize;
            let x = pool.swap_remove(i);
            p.push(c.fill(x));
        }
        if t.klage && size != Size::Short {
            p.push(c.fill(&KLAGE));
            if rng.chance(0.4) {
                p.push(c.fill(&KLAGEFRIST));
            }
        }
        closing = p.len();
        match t.voice {
            Voice::Kommune => {
                if size != Size::Short {
                    p.push(c.fill(&KONTAKT));
                }
                p.push(c.fill(&HILSEN));
                if size == Size::Short {
                    p.push(c.fill(&("{saksbehandler}", "{saksbehandler}")));
                } else {
                    for s in SIGNATUR {
                        p.push(c.fill(s));
                    }
                }
                if rng.chance(0.8) {
                    p.push(c.fill(&EGODKJENT));
                }
                if size != Size::Short && rng.chance(0.2) {
                    p.push(c.fill(&("Kopi til: {nabo}", "Kopi til: {nabo}")));
                }
            }
            Voice::Innbygger => {
                p.push(c.fill(&HILSEN));
                p.push(c.fill(&("{soker}", "{soker}")));
                if size != Size::Short && rng.chance(0.5) {
                    p.push(c.fill(&VEDLEGG));
                }
            }
            Voice::Intern => p.push(c.fill(&("{saksbehandler}", "{saksbehandler}"))),
            Voice::Moete => {}
        }
    }

    let marks = Marks {
        header_end,
        body_end,
        closing,
    };
    let p = plant(class, t, size, marks, &mut c, rng, p);
    let mut categories = categories(class, t.kind);
    let discloses_health = p
        .iter()
        .any(|para| DISCLOSES_HEALTH.iter().any(|s| para.starts_with(s)));
    if discloses_health && !categories.contains(&"helse") {
        categories.push("helse");
    }
    let mut letter = Letter {
        title,
        kind: t.kind,
        paragraphs: p,
        nynorsk: nn,
        persons: c.persons,
        pii: Vec::new(),
        categories,
    };
    letter.pii = locate(
        &letter.canonical_text(),
        &letter.persons,
        &c.found,
        &c.poststeder,
    );
    letter
}

// ---------------------------------------------------------------------------
// Personal data: planting and truth
// ---------------------------------------------------------------------------

/// Where the parts of a generated letter begin, for [`plant`].
#[derive(Debug, Clone, Copy)]
struct Marks {
    /// First paragraph after the header (address block or memo head).
    header_end: usize,
    /// First paragraph after the fixed body paragraphs.
    body_end: usize,
    /// First paragraph of the closing (greeting, signature, end of minutes).
    closing: usize,
}

/// Paragraphs (their fixed openings) that disclose a person's health in a document of any
/// class: a sick leave given as a reason, information collected from a GP.
const DISCLOSES_HEALTH: &[&str] = &[
    "Årsaken er at jeg har vært sykmeldt",
    "Årsaka er at eg har vore sjukmeld",
    "Vi har innhentet opplysninger fra fastlege",
    "Vi har henta inn opplysningar frå fastlege",
];

/// The special categories of personal data a document of `class` and `kind` holds.
///
/// Client records carry their service's category; the personnel memos are sick-leave
/// follow-ups (oppfølgingsplan, dialogmøte), which are health data too.
fn categories(class: LetterClass, kind: DocKind) -> Vec<&'static str> {
    match (class, kind) {
        (LetterClass::Helse, _) => vec!["helse"],
        (LetterClass::Barnevern, _) => vec!["barnevern"],
        (LetterClass::Sosial, _) => vec!["sosialhjelp"],
        (LetterClass::Personal, DocKind::Notat) => vec!["helse"],
        _ => Vec::new(),
    }
}

/// The slot naming the person a case of `class` is about.
fn subject_slot(class: LetterClass) -> &'static str {
    match class {
        LetterClass::Barnehage | LetterClass::Skole | LetterClass::Barnevern => "barn",
        LetterClass::Personal => "ansatt",
        _ => "soker",
    }
}

/// The slot naming the person the municipality writes to (a child's parent).
fn recipient_slot(class: LetterClass) -> &'static str {
    match class {
        LetterClass::Barnehage | LetterClass::Skole | LetterClass::Barnevern => "forelder",
        other => subject_slot(other),
    }
}

/// `dd.mm.yyyy` back to a date.
fn parse_dmy(s: &str) -> Option<Date> {
    let mut it = s.split('.');
    let day = it.next()?.parse().ok()?;
    let month = it.next()?.parse().ok()?;
    let year = it.next()?.parse().ok()?;
    Some(Date::new(year, month, day))
}

const FNR_ABOUT: &[Text] = &[
    (
        "Gjelder: {subjekt}, f.nr. {fnr}",
        "Gjeld: {subjekt}, f.nr. {fnr}",
    ),
    (
        "Gjelder: {subjekt}, fødselsnummer {fnr}",
        "Gjeld: {subjekt}, fødselsnummer {fnr}",
    ),
    (
        "Navn: {subjekt}, personnummer: {fnr}",
        "Namn: {subjekt}, personnummer: {fnr}",
    ),
    ("{subjekt} (fnr. {fnr})", "{subjekt} (fnr. {fnr})"),
];
const DNR_ABOUT: &[Text] = &[
    (
        "Gjelder: {subjekt}, D-nummer {dnr}",
        "Gjeld: {subjekt}, D-nummer {dnr}",
    ),
    (
        "Gjelder: {subjekt}, d-nr. {dnr}",
        "Gjeld: {subjekt}, d-nr. {dnr}",
    ),
    (
        "Navn: {subjekt}, D-nr.: {dnr}",
        "Namn: {subjekt}, D-nr.: {dnr}",
    ),
];
const FNR_OWN: &[Text] = &[
    ("Fødselsnummer: {fnr}", "Fødselsnummer: {fnr}"),
    ("Personnummer: {fnr}", "Personnummer: {fnr}"),
    ("F.nr. {fnr}", "F.nr. {fnr}"),
];
const DNR_OWN: &[Text] = &[("D-nummer: {dnr}", "D-nummer: {dnr}")];
const FNR_CHILD: &[Text] = &[
    (
        "Barnets navn: {subjekt}, fødselsnummer {fnr}",
        "Namnet til barnet: {subjekt}, fødselsnummer {fnr}",
    ),
    (
        "Barn: {subjekt}, f.nr. {fnr}",
        "Barn: {subjekt}, f.nr. {fnr}",
    ),
];
const DNR_CHILD: &[Text] = &[(
    "Barn: {subjekt}, D-nummer {dnr}",
    "Barn: {subjekt}, D-nummer {dnr}",
)];
const TLF_HEAD: &[Text] = &[
    ("Telefon: {tlf}", "Telefon: {tlf}"),
    ("Tlf. {tlf}", "Tlf. {tlf}"),
    ("Mobil: {tlf}", "Mobil: {tlf}"),
];
const EPOST_HEAD: Text = ("E-post: {epost}", "E-post: {epost}");
const TLF_OWN: Text = (
    "Jeg kan nås på telefon {tlf}.",
    "Eg kan nåast på telefon {tlf}.",
);
const EPOST_OWN: Text = (
    "Svar kan sendes til {epost} eller i posten.",
    "Svar kan sendast til {epost} eller i posten.",
);
const TLF_KOMMUNE: Text = (
    "Vi har forsøkt å nå deg på telefon {tlf} uten å lykkes, og ber deg ta kontakt.",
    "Vi har prøvd å nå deg på telefon {tlf} utan å lukkast, og ber deg ta kontakt.",
);
const EPOST_KOMMUNE: Text = (
    "Vi viser også til e-post fra {kontakt} ({epost}) den {refdato}.",
    "Vi viser òg til e-post frå {kontakt} ({epost}) den {refdato}.",
);
const TLF_KONTAKT: Text = (
    "{kontakt} kan nås på telefon {tlf}.",
    "{kontakt} kan nåast på telefon {tlf}.",
);
const FORFALL: Text = (
    "Forfall meldes til {saksbehandler} på telefon {tlf} eller e-post {epost} så snart som mulig.",
    "Forfall skal meldast til {saksbehandler} på telefon {tlf} eller e-post {epost} så snart som mogleg.",
);
const KONTO_UT: &[Text] = &[
    (
        "Beløpet blir utbetalt til kontonummer {konto}.",
        "Beløpet vert utbetalt til kontonummer {konto}.",
    ),
    (
        "Utbetalingen skjer til kontonummer {konto} innen ti virkedager.",
        "Utbetalinga skjer til kontonummer {konto} innan ti yrkedagar.",
    ),
];
const KONTO_SOKER: &[Text] = &[
    (
        "Jeg ber om at pengene blir satt inn på kontonummer {konto}.",
        "Eg ber om at pengane vert sette inn på kontonummer {konto}.",
    ),
    ("Kontonummer: {konto}", "Kontonummer: {konto}"),
];
const KONTO_LONN: Text = (
    "Lønn utbetales den 12. hver måned til kontonummer {konto}.",
    "Løn vert utbetalt den 12. kvar månad til kontonummer {konto}.",
);
const REF_GENERAL: &[Text] = &[
    ("Deres ref.: {ref11}", "Dykkar ref.: {ref11}"),
    ("Referanse: {ref11}", "Referanse: {ref11}"),
    ("Ref. {ref11}", "Ref. {ref11}"),
    ("Ordrenummer {ref11}", "Ordrenummer {ref11}"),
];
const REF_OKONOMI: &[Text] = &[
    ("KID: {ref11}", "KID: {ref11}"),
    ("Fakturanummer: {ref11}", "Fakturanummer: {ref11}"),
];

/// Adds personal data where a document of this class and kind has it: the recipient's
/// address block, a "Gjelder:" line with a fødselsnummer or D-nummer, phone and e-mail,
/// a bank account for payments, and sometimes an 11-digit reference that only looks like a
/// fødselsnummer. Minutes of political bodies get none of it (their names are already there).
fn plant(
    class: LetterClass,
    t: &Template,
    size: Size,
    m: Marks,
    c: &mut Ctx,
    rng: &mut Rng,
    p: Vec<String>,
) -> Vec<String> {
    use LetterClass as L;
    // Per class: identity number, share of D-numbers, recipient address block, bank
    // account (where a payment belongs), look-alike reference.
    let (p_id, p_dnr, p_block, p_konto, p_ref) = match class {
        L::Helse => (0.75, 0.08, 0.7, 0.05, 0.05),
        L::Barnevern => (0.75, 0.05, 0.7, 0.0, 0.05),
        L::Sosial => (0.75, 0.2, 0.7, 0.5, 0.05),
        L::Personal => (0.6, 0.2, 0.6, 0.3, 0.05),
        L::Barnehage | L::Skole => (0.45, 0.05, 0.6, 0.15, 0.05),
        L::Byggesak => (0.05, 0.05, 0.6, 0.0, 0.08),
        L::Reguleringsplan => (0.02, 0.0, 0.3, 0.0, 0.05),
        L::Okonomi => (0.15, 0.1, 0.4, 0.3, 0.3),
        L::Politikk => (0.0, 0.0, 0.0, 0.0, 0.03),
    };
    let politikk = class == L::Politikk;
    // Memos and minutes about one person: client records and personnel follow-up (budget
    // memos, inspection reports and board minutes are about no one in particular).
    let about_person = match t.voice {
        Voice::Kommune | Voice::Innbygger => !politikk,
        Voice::Intern => matches!(class, L::Helse | L::Barnevern | L::Sosial | L::Personal),
        Voice::Moete => matches!(class, L::Helse | L::Barnevern),
    };
    let mut ins: Vec<(usize, String)> = Vec::new();
    let own_header = t.voice == Voice::Innbygger && size != Size::Short;
    let copy = |c: &mut Ctx, to: &'static str, from: &str| {
        let v = c.get(from).unwrap_or("").to_string();
        c.set(to, v);
    };

    // The recipient's address block of an outgoing letter to a person.
    // (A zoning decision goes to every party to the plan, not to one person.)
    let to_person = about_person && (class, t.kind) != (L::Reguleringsplan, DocKind::Vedtak);
    if t.voice == Voice::Kommune && to_person && rng.chance(p_block) {
        copy(c, "mottaker", recipient_slot(class));
        for line in [
            ("{mottaker}", "{mottaker}"),
            ("{adresse}", "{adresse}"),
            ("{poststed}", "{poststed}"),
        ] {
            ins.push((m.header_end, c.fill(&line)));
        }
    }

    // A fødselsnummer or D-nummer of the person the case is about.
    if about_person && rng.chance(p_id) {
        let subject = match (t.voice, class) {
            (Voice::Innbygger, L::Barnehage | L::Skole) => "barn",
            (Voice::Innbygger, _) => "soker",
            _ => subject_slot(class),
        };
        copy(c, "subjekt", subject);
        let dato = c.get("dato").and_then(parse_dmy).unwrap_or_default();
        let born = match subject {
            "barn" => c.get("fodt").and_then(parse_dmy).unwrap_or_default(),
            _ => dato.add_days(-(rng.range(18 * 365, 90 * 365) as i64)),
        };
        let d_nummer = rng.chance(p_dnr);
        let digits = personal::fodselsnummer(born, d_nummer, rng);
        let shown = if rng.chance(0.35) {
            format!("{} {}", &digits[..6], &digits[6..])
        } else {
            digits
        };
        c.set(if d_nummer { "dnr" } else { "fnr" }, shown);
        let phrases = match (t.voice, subject, d_nummer) {
            (Voice::Innbygger, "barn", false) => FNR_CHILD,
            (Voice::Innbygger, "barn", true) => DNR_CHILD,
            (Voice::Innbygger, _, false) => FNR_OWN,
            (Voice::Innbygger, _, true) => DNR_OWN,
            (_, _, false) => FNR_ABOUT,
            (_, _, true) => DNR_ABOUT,
        };
        let at = match t.voice {
            Voice::Innbygger if own_header => SOKER_ADR.len(),
            Voice::Innbygger => m.body_end,
            Voice::Moete => (m.header_end + 1).min(m.body_end),
            Voice::Kommune | Voice::Intern => m.header_end,
        };
        let line = c.fill(rng.choose(phrases));
        ins.push((at, line));
    }

    // Phone and e-mail of the person the municipality deals with.
    let (p_tlf, p_epost) = match t.voice {
        _ if !about_person => (0.0, 0.0),
        Voice::Innbygger => (0.6, 0.45),
        Voice::Kommune => (0.12, 0.08),
        Voice::Intern => (0.25, 0.0),
        Voice::Moete => (0.15, 0.0),
    };
    let kontakt = match (t.voice, class) {
        (Voice::Innbygger, _) => "soker",
        (Voice::Kommune, _) => recipient_slot(class),
        (_, L::Helse | L::Barnevern | L::Barnehage | L::Skole) => "forelder",
        _ => subject_slot(class),
    };
    copy(c, "kontakt", kontakt);
    let name = c.get("kontakt").unwrap_or("").to_string();
    if rng.chance(p_tlf) {
        let tlf = personal::telefon(rng);
        c.set("tlf", tlf);
        let (at, text) = match t.voice {
            Voice::Innbygger if own_header => (SOKER_ADR.len(), *rng.choose(TLF_HEAD)),
            Voice::Innbygger => (m.closing, TLF_OWN),
            Voice::Kommune => (m.body_end, TLF_KOMMUNE),
            Voice::Intern | Voice::Moete => (m.body_end, TLF_KONTAKT),
        };
        let line = c.fill(&text);
        ins.push((at, line));
    }
    if rng.chance(p_epost) {
        let epost = personal::epost(&name, rng);
        c.set("epost", epost);
        let (at, text) = match t.voice {
            Voice::Innbygger if own_header => (SOKER_ADR.len(), EPOST_HEAD),
            Voice::Innbygger => (m.closing, EPOST_OWN),
            _ => (m.body_end, EPOST_KOMMUNE),
        };
        let line = c.fill(&text);
        ins.push((at, line));
    }
    // A meeting notice asks for absences to the secretary.
    if politikk && t.kind == DocKind::Brev && rng.chance(0.5) {
        let sb = c.get("saksbehandler").unwrap_or("").to_string();
        let tlf = personal::telefon(rng);
        let epost = personal::epost(&sb, rng);
        c.set("tlf", tlf);
        c.set("epost", epost);
        let line = c.fill(&FORFALL);
        ins.push((m.closing, line));
    }

    // A bank account where money is paid out.
    let payment = matches!(
        (class, t.kind),
        (L::Sosial, DocKind::Vedtak | DocKind::Soknad)
            | (L::Personal, DocKind::Brev | DocKind::Vedtak)
            | (L::Okonomi, DocKind::Vedtak | DocKind::Soknad)
            | (L::Helse, DocKind::Vedtak)
            | (L::Barnehage, DocKind::Vedtak | DocKind::Soknad)
    );
    if payment && rng.chance(p_konto) {
        let k = personal::kontonummer(rng);
        let shown = match rng.below(10) {
            0..5 => format!("{}.{}.{}", &k[..4], &k[4..6], &k[6..]),
            5..8 => format!("{} {} {}", &k[..4], &k[4..6], &k[6..]),
            _ => k,
        };
        c.set("konto", shown);
        let text = match (t.voice, class) {
            (Voice::Innbygger, _) => *rng.choose(KONTO_SOKER),
            (_, L::Personal) => KONTO_LONN,
            _ => *rng.choose(KONTO_UT),
        };
        let line = c.fill(&text);
        ins.push((m.body_end, line));
    }

    // An 11-digit reference that is not a fødselsnummer.
    if rng.chance(p_ref) {
        c.set("ref11", personal::lookalike(rng));
        let list = if class == L::Okonomi && t.voice != Voice::Intern {
            REF_OKONOMI
        } else {
            REF_GENERAL
        };
        let at = match t.voice {
            Voice::Kommune | Voice::Intern => m.header_end,
            Voice::Innbygger | Voice::Moete => m.body_end,
        };
        let line = c.fill(rng.choose(list));
        ins.push((at, line));
    }

    if ins.is_empty() {
        return p;
    }
    // Stable: lines for the same place keep the order they were made in.
    ins.sort_by_key(|(i, _)| *i);
    let mut out = Vec::with_capacity(p.len() + ins.len());
    let mut pending = ins.into_iter().peekable();
    for (i, para) in p.into_iter().enumerate() {
        while let Some((_, line)) = pending.next_if(|(at, _)| *at <= i) {
            out.push(line);
        }
        out.push(para);
    }
    out.extend(pending.map(|(_, line)| line));
    out
}

/// Every occurrence of personal data in `text` (a letter's canonical text): the names in
/// `persons` (also in capitals, as a title may write them) and the `found` values, each
/// bounded by non-alphanumeric characters; an address followed by ", " or a new line and a
/// `poststed` includes it. Overlaps keep the earlier, then the longer match.
fn locate(
    text: &str,
    persons: &[String],
    found: &[(PiiKind, String)],
    poststeder: &[String],
) -> Vec<Pii> {
    let alnum_before = |i: usize| {
        text[..i]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
    };
    let alnum_at = |j: usize| text[j..].chars().next().is_some_and(char::is_alphanumeric);
    let mut spans: Vec<(usize, usize, PiiKind)> = Vec::new();
    let mut search = |needle: &str, kind: PiiKind| {
        if needle.is_empty() {
            return;
        }
        for (i, _) in text.match_indices(needle) {
            let mut end = i + needle.len();
            if alnum_before(i) || alnum_at(end) {
                continue;
            }
            if kind == PiiKind::Epost && text[..i].ends_with(['.', '-', '_', '+']) {
                continue;
            }
            if kind == PiiKind::Adresse {
                for sep in [", ", "\n"] {
                    let rest = &text[end..];
                    if let Some(after) = rest.strip_prefix(sep) {
                        if let Some(p) = poststeder.iter().find(|p| {
                            after.starts_with(p.as_str()) && !alnum_at(end + sep.len() + p.len())
                        }) {
                            end += sep.len() + p.len();
                            break;
                        }
                    }
                }
            }
            spans.push((i, end, kind));
        }
    };
    for name in persons {
        search(name, PiiKind::Navn);
        let upper = name.to_uppercase();
        if upper != *name {
            search(&upper, PiiKind::Navn);
        }
    }
    for (kind, value) in found {
        search(value, *kind);
        if *kind == PiiKind::Adresse {
            let upper = value.to_uppercase();
            if upper != *value {
                search(&upper, *kind);
            }
        }
    }
    spans.sort_by_key(|&(start, end, kind)| (start, std::cmp::Reverse(end), kind));
    let mut kept: Vec<(usize, usize, PiiKind)> = Vec::with_capacity(spans.len());
    for s in spans {
        if kept.last().is_none_or(|last| s.0 >= last.1) {
            kept.push(s);
        }
    }
    // Byte offsets to character offsets in one pass (offsets ascend).
    let mut out = Vec::with_capacity(kept.len());
    let mut chars = 0usize;
    let mut byte = 0usize;
    let mut to_char = |b: usize| {
        chars += text[byte..b].chars().count();
        byte = b;
        chars
    };
    for (start, end, kind) in kept {
        let cs = to_char(start);
        let ce = to_char(end);
        out.push(Pii {
            kind,
            value: text[start..end].to_string(),
            start: cs,
            end: ce,
        });
    }
    out
}

// ---------------------------------------------------------------------------
// Templates
// ---------------------------------------------------------------------------

/// A text in (bokmål, nynorsk); `{slot}` marks are filled from [`Ctx`].
type Text = (&'static str, &'static str);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Size {
    Short,
    Medium,
    Long,
}

/// Who writes the document; decides header and signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Voice {
    /// Outgoing letter or decision from the municipality.
    Kommune,
    /// Incoming letter or application from a citizen.
    Innbygger,
    /// Internal memo.
    Intern,
    /// Minutes; `extra` holds the agenda items.
    Moete,
}

struct Template {
    kind: DocKind,
    voice: Voice,
    /// One is chosen as the journal title.
    titles: &'static [Text],
    /// Always written, in order (a short letter keeps only the first).
    body: &'static [Text],
    /// Optional paragraphs drawn to vary length (agenda items for minutes).
    extra: &'static [Text],
    /// Whether an appeal paragraph belongs to it (individual decisions).
    klage: bool,
}

const HILSEN: Text = ("Med vennlig hilsen", "Med venleg helsing");
const EGODKJENT: Text = (
    "Dokumentet er elektronisk godkjent og har derfor ingen signatur.",
    "Dokumentet er elektronisk godkjent og har difor inga signatur.",
);
const KLAGE: Text = (
    "Du kan klage på vedtaket. Klagefristen er tre uker fra den dagen du mottok dette brevet, jf. forvaltningsloven §§ 28 og 29. Klagen skal være skriftlig og begrunnet, og sendes til {enhet}. Du har rett til å se dokumentene i saken, jf. forvaltningsloven §§ 18 og 19.",
    "Du kan klage på vedtaket. Klagefristen er tre veker frå den dagen du fekk dette brevet, jf. forvaltningslova §§ 28 og 29. Klagen skal vere skriftleg og grunngitt, og sendast til {enhet}. Du har rett til å sjå dokumenta i saka, jf. forvaltningslova §§ 18 og 19.",
);
const KLAGEFRIST: Text = (
    "Vær oppmerksom på at fristen regnes fra den dagen brevet kom fram til deg. Det er tilstrekkelig at klagen er postlagt før fristen går ut.",
    "Ver merksam på at fristen vert rekna frå den dagen brevet kom fram til deg. Det er nok at klagen er postlagd før fristen går ut.",
);
const KONTAKT: Text = (
    "Har du spørsmål i saken, kan du kontakte saksbehandler {saksbehandler} på telefon {telefon} eller sende e-post til postmottak@{domene}.kommune.no. Oppgi saksnummer {saksnr}.",
    "Har du spørsmål i saka, kan du kontakte sakshandsamar {saksbehandler} på telefon {telefon} eller sende e-post til postmottak@{domene}.kommune.no. Oppgi saksnummer {saksnr}.",
);
const SIGNATUR: &[Text] = &[
    ("{leder}", "{leder}"),
    ("{leder_tittel}", "{leder_tittel}"),
    ("{saksbehandler}", "{saksbehandler}"),
    ("{sb_tittel}", "{sb_tittel}"),
];
const SOKER_ADR: &[Text] = &[
    ("{soker}", "{soker}"),
    ("{adresse}", "{adresse}"),
    ("{poststed}", "{poststed}"),
];
const TIL_KOMMUNE: &[Text] = &[
    ("{kommune} kommune", "{kommune} kommune"),
    ("Att.: {enhet}", "Att.: {enhet}"),
    ("{sted}, {dato}", "{sted}, {dato}"),
];
const NOTAT_HEAD: &[Text] = &[
    ("Notat", "Notat"),
    ("Til: {leder}", "Til: {leder}"),
    ("Fra: {saksbehandler}", "Frå: {saksbehandler}"),
    ("Dato: {dato}", "Dato: {dato}"),
    ("Saksnr.: {saksnr}", "Saksnr.: {saksnr}"),
];
const VEDLEGG: Text = (
    "Vedlegg: dokumentasjon som nevnt ovenfor",
    "Vedlegg: dokumentasjon som nemnt ovanfor",
);
const MOETE_END: &[Text] = &[
    (
        "Møtet ble hevet kl. {klokke}.",
        "Møtet vart heva kl. {klokke}.",
    ),
    ("Referent: {saksbehandler}", "Referent: {saksbehandler}"),
];

/// Optional paragraphs any outgoing municipal letter may carry.
const GENERAL_EXTRA: &[Text] = &[
    (
        "Saken er behandlet etter delegert myndighet i henhold til kommunens delegeringsreglement.",
        "Saka er handsama etter delegert mynde i samsvar med delegeringsreglementet til kommunen.",
    ),
    (
        "Vi gjør oppmerksom på at dokumenter i saken kan bli offentlig tilgjengelige gjennom kommunens postjournal, med unntak av opplysninger som er underlagt taushetsplikt.",
        "Vi gjer merksam på at dokument i saka kan bli offentleg tilgjengelege gjennom postjournalen til kommunen, med unntak av opplysningar som er underlagde teieplikt.",
    ),
    (
        "Kommunen behandler personopplysninger i samsvar med personopplysningsloven og personvernforordningen (GDPR). Du kan lese mer om hvordan vi behandler personopplysninger på kommunens nettsider.",
        "Kommunen handsamar personopplysningar i samsvar med personopplysningslova og personvernforordninga (GDPR). Du kan lese meir om korleis vi handsamar personopplysningar på nettsidene til kommunen.",
    ),
    (
        "Dersom du ønsker å snakke med oss om saken, er du velkommen til å avtale et møte. Servicetorget i rådhuset er åpent mandag til fredag kl. 08.00–15.30.",
        "Dersom du ønskjer å snakke med oss om saka, er du velkomen til å avtale eit møte. Servicetorget i rådhuset er ope måndag til fredag kl. 08.00–15.30.",
    ),
    (
        "Vi beklager at behandlingen av saken har tatt lengre tid enn forventet. Dette skyldes stor saksmengde og vakanse i avdelingen i perioden.",
        "Vi beklagar at handsaminga av saka har teke lengre tid enn venta. Dette kjem av stor saksmengd og vakanse i avdelinga i perioden.",
    ),
    (
        "Kommunen har plikt til å veilede innenfor sitt saksområde, jf. forvaltningsloven § 11. Ta gjerne kontakt dersom noe i dette brevet er uklart.",
        "Kommunen har plikt til å rettleie innanfor saksområdet sitt, jf. forvaltningslova § 11. Ta gjerne kontakt dersom noko i dette brevet er uklart.",
    ),
    (
        "Brevet sendes kun elektronisk til din digitale postkasse. Dersom du har reservert deg mot digital kommunikasjon, sendes brevet med vanlig post.",
        "Brevet vert berre sendt elektronisk til den digitale postkassa di. Dersom du har reservert deg mot digital kommunikasjon, vert brevet sendt med vanleg post.",
    ),
    (
        "Forvaltningsloven krever at saken skal være så godt opplyst som mulig før vedtak treffes, jf. § 17. Kommunen har derfor innhentet de opplysningene som er nødvendige for å vurdere saken.",
        "Forvaltningslova krev at saka skal vere så godt opplyst som mogleg før vedtak vert gjort, jf. § 17. Kommunen har difor henta inn dei opplysningane som er naudsynte for å vurdere saka.",
    ),
    (
        "Økonomiske konsekvenser: Saken får ingen direkte konsekvenser for kommunens budsjett utover det som allerede er innarbeidet i vedtatt budsjett for {aar}.",
        "Økonomiske konsekvensar: Saka får ingen direkte konsekvensar for budsjettet til kommunen utover det som alt er innarbeidd i vedteke budsjett for {aar}.",
    ),
    (
        "Kommunen har vurdert saken opp mot kravet til likebehandling. Tilsvarende saker er behandlet på samme måte de siste årene, og vi har ikke funnet grunn til å fravike denne praksisen.",
        "Kommunen har vurdert saka opp mot kravet til likehandsaming. Tilsvarande saker er handsama på same måten dei siste åra, og vi har ikkje funne grunn til å fråvike denne praksisen.",
    ),
    (
        "Saken er i tråd med kommuneplanens samfunnsdel, der det er et mål at innbyggerne skal møte en tilgjengelig og forutsigbar forvaltning.",
        "Saka er i tråd med samfunnsdelen av kommuneplanen, der det er eit mål at innbyggjarane skal møte ei tilgjengeleg og føreseieleg forvaltning.",
    ),
    (
        "Det er ikke kommet fram opplysninger som tilsier at saken må vurderes på nytt. Kommunen legger derfor opplysningene i søknaden til grunn.",
        "Det har ikkje kome fram opplysningar som tilseier at saka må vurderast på nytt. Kommunen legg difor opplysningane i søknaden til grunn.",
    ),
    (
        "Saken har vært drøftet i fagteamet {dato}. Fagteamet støtter konklusjonen i dette brevet.",
        "Saka har vore drøfta i fagteamet {dato}. Fagteamet støttar konklusjonen i dette brevet.",
    ),
    (
        "Dersom du mener at vi bygger på feil opplysninger, ber vi om at du tar kontakt så snart som mulig, slik at vi kan rette feilen uten at det er nødvendig å klage.",
        "Dersom du meiner at vi byggjer på feil opplysningar, ber vi om at du tek kontakt så snart som mogleg, slik at vi kan rette feilen utan at det er naudsynt å klage.",
    ),
    (
        "Du kan søke om å få dekket nødvendige utgifter til juridisk bistand etter forvaltningsloven § 36 dersom et vedtak blir endret til gunst for deg etter klage.",
        "Du kan søkje om å få dekt naudsynte utgifter til juridisk hjelp etter forvaltningslova § 36 dersom eit vedtak vert endra til gunst for deg etter klage.",
    ),
    (
        "Kommunen har en egen innbyggerportal der du kan følge saken din og se dokumentene som er sendt til og fra kommunen.",
        "Kommunen har ein eigen innbyggjarportal der du kan følgje saka di og sjå dokumenta som er sende til og frå kommunen.",
    ),
    (
        "Vurderingen er gjort på grunnlag av de opplysningene som forelå da saken ble behandlet, og gjelder bare for forholdet som er beskrevet ovenfor.",
        "Vurderinga er gjord på grunnlag av dei opplysningane som låg føre då saka vart handsama, og gjeld berre for tilhøvet som er skildra ovanfor.",
    ),
];

/// Vocabulary shared by building cases and zoning plans.
const PLAN_BYGG_SHARED: &[Text] = &[
    (
        "Eiendommen gnr. {gnr} bnr. {bnr} ligger i område avsatt til boligformål i kommuneplanens arealdel {aar_plan}–{aar_plan_slutt}.",
        "Eigedomen gnr. {gnr} bnr. {bnr} ligg i område sett av til bustadføremål i arealdelen av kommuneplanen {aar_plan}–{aar_plan_slutt}.",
    ),
    (
        "Det er ikke registrert kulturminner, verneverdige bygninger eller særlige naturverdier på eiendommen, jf. Naturbase og Askeladden.",
        "Det er ikkje registrert kulturminne, verneverdige bygningar eller særlege naturverdiar på eigedomen, jf. Naturbase og Askeladden.",
    ),
    (
        "Området ligger utenfor aktsomhetsområde for skred og flom. Kommunen vurderer at tiltaket ikke er i strid med plan- og bygningsloven § 28-1 om sikker byggegrunn.",
        "Området ligg utanfor aktsemdsområde for skred og flaum. Kommunen vurderer at tiltaket ikkje er i strid med plan- og bygningslova § 28-1 om trygg byggjegrunn.",
    ),
    (
        "Adkomst til eiendommen skjer fra kommunal veg {gate}. Avkjørselen er godkjent i samsvar med vegnormalen.",
        "Tilkomst til eigedomen skjer frå kommunal veg {gate}. Avkøyrsla er godkjend i samsvar med vegnormalen.",
    ),
    (
        "Vann- og avløpsanlegg skal tilknyttes kommunalt nett. Tilknytningsgebyr blir fakturert separat etter gjeldende gebyrregulativ.",
        "Vatn- og avløpsanlegg skal knytast til kommunalt nett. Tilknytingsgebyr vert fakturert separat etter gjeldande gebyrregulativ.",
    ),
];

/// Vocabulary shared by kindergarten and school.
const OPPVEKST_SHARED: &[Text] = &[
    (
        "Barnets beste skal være et grunnleggende hensyn i alle handlinger som angår barn, jf. Grunnloven § 104 og barnekonvensjonen artikkel 3.",
        "Omsynet til kva som er best for barnet, skal vere grunnleggjande i alle handlingar som gjeld barn, jf. Grunnlova § 104 og barnekonvensjonen artikkel 3.",
    ),
    (
        "Foreldre med barn i både barnehage og SFO får søskenmoderasjon. Moderasjonen beregnes automatisk når søsknene er registrert på samme adresse.",
        "Foreldre med barn i både barnehage og SFO får søskenmoderasjon. Moderasjonen vert rekna ut automatisk når sysknene er registrerte på same adresse.",
    ),
    (
        "Samarbeidet mellom hjem og {skole} er viktig for at {barn_fornavn} skal få et godt læringsmiljø. Kontaktlærer {saksbehandler} følger opp i de faste utviklingssamtalene.",
        "Samarbeidet mellom heim og {skule} er viktig for at {barn_fornavn} skal få eit godt læringsmiljø. Kontaktlærar {saksbehandler} følgjer opp i dei faste utviklingssamtalane.",
    ),
    (
        "Oversikt over åpningstider, planleggingsdager og ferier for barnehageåret og skoleåret {skoleaar} finner du på kommunens nettsider.",
        "Oversikt over opningstider, planleggingsdagar og feriar for barnehageåret og skuleåret {skoleaar} finn du på nettsidene til kommunen.",
    ),
    (
        "Søknader behandles i hovedopptaket med søknadsfrist 1. mars. Søknader som kommer inn etter fristen, behandles fortløpende dersom det er ledige plasser.",
        "Søknader vert handsama i hovudopptaket med søknadsfrist 1. mars. Søknader som kjem inn etter fristen, vert handsama fortløpande dersom det er ledige plassar.",
    ),
];

/// Vocabulary shared by the three client services (confidentiality, records).
const KLIENT_SHARED: &[Text] = &[
    (
        "Opplysninger om personlige forhold i saken er underlagt taushetsplikt etter forvaltningsloven § 13 og særlovgivningen.",
        "Opplysningar om personlege tilhøve i saka er underlagde teieplikt etter forvaltningslova § 13 og særlovgivinga.",
    ),
    (
        "Du har rett til innsyn i opplysningene vi har registrert om deg, og kan be om at feil blir rettet.",
        "Du har rett til innsyn i opplysningane vi har registrert om deg, og kan be om at feil vert retta.",
    ),
    (
        "Vi har innhentet opplysninger fra fastlege og NAV etter samtykke gitt {refdato}.",
        "Vi har henta inn opplysningar frå fastlege og NAV etter samtykke gitt {refdato}.",
    ),
    (
        "Saken vil bli tatt opp til ny vurdering dersom det skjer vesentlige endringer i situasjonen din.",
        "Saka vil bli teken opp til ny vurdering dersom det skjer vesentlege endringar i situasjonen din.",
    ),
];

fn shared_extra(class: LetterClass) -> &'static [Text] {
    match class {
        LetterClass::Byggesak | LetterClass::Reguleringsplan => PLAN_BYGG_SHARED,
        LetterClass::Barnehage | LetterClass::Skole => OPPVEKST_SHARED,
        LetterClass::Helse | LetterClass::Barnevern | LetterClass::Sosial => KLIENT_SHARED,
        LetterClass::Personal | LetterClass::Okonomi | LetterClass::Politikk => &[],
    }
}

fn templates(class: LetterClass) -> &'static [Template] {
    match class {
        LetterClass::Byggesak => BYGGESAK,
        LetterClass::Reguleringsplan => REGULERINGSPLAN,
        LetterClass::Barnehage => BARNEHAGE,
        LetterClass::Skole => SKOLE,
        LetterClass::Personal => PERSONAL,
        LetterClass::Okonomi => OKONOMI,
        LetterClass::Politikk => POLITIKK,
        LetterClass::Helse => HELSE,
        LetterClass::Barnevern => BARNEVERN,
        LetterClass::Sosial => SOSIAL,
    }
}

const BYGGESAK: &[Template] = &[
    Template {
        kind: DocKind::Vedtak,
        voice: Voice::Kommune,
        titles: &[
            ("{gnr}/{bnr} Tillatelse til tiltak - {tiltak}, {adresse} - {soker}", "{gnr}/{bnr} Løyve til tiltak - {tiltak}, {adresse} - {soker}"),
            ("{gnr}/{bnr} Rammetillatelse - {tiltak} - {sted}", "{gnr}/{bnr} Rammeløyve - {tiltak} - {sted}"),
            ("{gnr}/{bnr} Igangsettingstillatelse - {tiltak}, {adresse}", "{gnr}/{bnr} Igangsetjingsløyve - {tiltak}, {adresse}"),
            ("{gnr}/{bnr} Dispensasjon og tillatelse - {tiltak} - {soker}", "{gnr}/{bnr} Dispensasjon og løyve - {tiltak} - {soker}"),
        ],
        body: &[
            (
                "Vi viser til søknad om tillatelse til tiltak mottatt {refdato} for {tiltak} på gnr. {gnr} bnr. {bnr}, {adresse}.",
                "Vi viser til søknad om løyve til tiltak motteken {refdato} for {tiltak} på gnr. {gnr} bnr. {bnr}, {adresse}.",
            ),
            (
                "Vedtak: I medhold av plan- og bygningsloven § 20-1, jf. § 21-4, gis det tillatelse til {tiltak} i samsvar med søknaden og tegninger mottatt {refdato}.",
                "Vedtak: I medhald av plan- og bygningslova § 20-1, jf. § 21-4, vert det gitt løyve til {tiltak} i samsvar med søknaden og teikningar mottekne {refdato}.",
            ),
            (
                "Tiltaket ligger innenfor område regulert til boligformål i {plan}. Tiltaket er vurdert å være i samsvar med planens bestemmelser om utnyttelsesgrad og byggehøyde.",
                "Tiltaket ligg innanfor område regulert til bustadføremål i {plan}. Tiltaket er vurdert å vere i samsvar med føresegnene i planen om utnyttingsgrad og byggjehøgd.",
            ),
            (
                "Gebyr for behandling av søknaden er kr {gebyr}, jf. kommunens gebyrregulativ. Faktura ettersendes.",
                "Gebyr for handsaming av søknaden er kr {gebyr}, jf. gebyrregulativet til kommunen. Faktura vert ettersend.",
            ),
        ],
        extra: &[
            (
                "Tiltaket må ikke tas i bruk før det er gitt midlertidig brukstillatelse eller ferdigattest, jf. plan- og bygningsloven § 21-10.",
                "Tiltaket kan ikkje takast i bruk før det er gitt mellombels bruksløyve eller ferdigattest, jf. plan- og bygningslova § 21-10.",
            ),
            (
                "Tillatelsen faller bort dersom arbeidet ikke er satt i gang innen tre år etter at tillatelsen er gitt, jf. plan- og bygningsloven § 21-9.",
                "Løyvet fell bort dersom arbeidet ikkje er sett i gang innan tre år etter at løyvet er gitt, jf. plan- og bygningslova § 21-9.",
            ),
            (
                "Nabovarsel er sendt i samsvar med plan- og bygningsloven § 21-3. Det er ikke kommet inn merknader fra naboer eller gjenboere.",
                "Nabovarsel er sendt i samsvar med plan- og bygningslova § 21-3. Det har ikkje kome inn merknader frå naboar eller gjenbuarar.",
            ),
            (
                "Det er kommet merknad fra nabo {nabo} på gnr. {gnr} bnr. {bnr2}, som mener tiltaket vil gi redusert utsikt og mer innsyn. Kommunen har vurdert merknaden, men finner ikke at ulempene er så store at de kan begrunne avslag.",
                "Det har kome merknad frå nabo {nabo} på gnr. {gnr} bnr. {bnr2}, som meiner tiltaket vil gje redusert utsikt og meir innsyn. Kommunen har vurdert merknaden, men finn ikkje at ulempene er så store at dei kan grunngje avslag.",
            ),
            (
                "Avstand til nabogrense er oppgitt til {meter} meter. Tiltaket oppfyller dermed kravet i plan- og bygningsloven § 29-4.",
                "Avstand til nabogrense er oppgitt til {meter} meter. Tiltaket oppfyller dermed kravet i plan- og bygningslova § 29-4.",
            ),
            (
                "Ansvarlig søker er {firma}. Foretaket har erklært ansvar for prosjektering og utførelse i samsvar med byggesaksforskriften (SAK10).",
                "Ansvarleg søkjar er {firma}. Føretaket har erklært ansvar for prosjektering og utføring i samsvar med byggjesaksforskrifta (SAK10).",
            ),
            (
                "Før det kan gis ferdigattest, må det sendes inn oppdatert situasjonsplan og dokumentasjon som viser at tiltaket er plassert i samsvar med tillatelsen.",
                "Før det kan givast ferdigattest, må det sendast inn oppdatert situasjonsplan og dokumentasjon som viser at tiltaket er plassert i samsvar med løyvet.",
            ),
            (
                "Bebygd areal blir etter tiltaket {areal} m², og samlet utnyttelse er innenfor tillatt BYA på 30 %.",
                "Bygd areal vert etter tiltaket {areal} m², og samla utnytting er innanfor tillate BYA på 30 %.",
            ),
        ],
        klage: true,
    },
    Template {
        kind: DocKind::Soknad,
        voice: Voice::Innbygger,
        titles: &[
            ("{gnr}/{bnr} Søknad om tillatelse til tiltak - {tiltak} - {soker}", "{gnr}/{bnr} Søknad om løyve til tiltak - {tiltak} - {soker}"),
            ("{gnr}/{bnr} Søknad om dispensasjon - {tiltak}, {adresse}", "{gnr}/{bnr} Søknad om dispensasjon - {tiltak}, {adresse}"),
            ("{gnr}/{bnr} Nabovarsel - {tiltak} {adresse}", "{gnr}/{bnr} Nabovarsel - {tiltak} {adresse}"),
        ],
        body: &[
            (
                "Undertegnede søker med dette om tillatelse til {tiltak} på eiendommen gnr. {gnr} bnr. {bnr}, {adresse}, {poststed}.",
                "Underteikna søkjer med dette om løyve til {tiltak} på eigedomen gnr. {gnr} bnr. {bnr}, {adresse}, {poststed}.",
            ),
            (
                "Tiltaket er planlagt med et bebygd areal på om lag {areal} m². Vi har lagt ved situasjonsplan, fasadetegninger og kvittering for nabovarsel.",
                "Tiltaket er planlagt med eit bygd areal på om lag {areal} m². Vi har lagt ved situasjonsplan, fasadeteikningar og kvittering for nabovarsel.",
            ),
        ],
        extra: &[
            (
                "Vi søker samtidig om dispensasjon fra reguleringsplanens krav om avstand til veg, fordi tomten er smal og bratt og det ikke er mulig å plassere bygget på annen måte.",
                "Vi søkjer samstundes om dispensasjon frå kravet i reguleringsplanen om avstand til veg, fordi tomta er smal og bratt og det ikkje er mogleg å plassere bygget på anna vis.",
            ),
            (
                "Vi håper på rask behandling, da vi ønsker å starte arbeidet før sommeren.",
                "Vi håpar på rask handsaming, då vi ønskjer å starte arbeidet før sommaren.",
            ),
            (
                "Naboene er orientert og har ingen innvendinger. Signert samtykke fra {nabo} er vedlagt.",
                "Naboane er orienterte og har ingen innvendingar. Signert samtykke frå {nabo} er lagt ved.",
            ),
            (
                "Arbeidet skal utføres av {firma}, som har sentral godkjenning for ansvarsrett.",
                "Arbeidet skal utførast av {firma}, som har sentral godkjenning for ansvarsrett.",
            ),
            (
                "Tiltaket blir liggende {meter} meter fra nabogrensen og vil ikke føre til skygge eller innsyn av betydning for naboene.",
                "Tiltaket vil liggje {meter} meter frå nabogrensa og vil ikkje føre til skugge eller innsyn av betydning for naboane.",
            ),
        ],
        klage: false,
    },
    Template {
        kind: DocKind::Brev,
        voice: Voice::Kommune,
        titles: &[
            ("{gnr}/{bnr} Mangelbrev - {tiltak}, {adresse}", "{gnr}/{bnr} Manglande dokumentasjon - {tiltak}, {adresse}"),
        ],
        body: &[
            (
                "Vi viser til søknad mottatt {refdato} om {tiltak} på gnr. {gnr} bnr. {bnr}.",
                "Vi viser til søknad motteken {refdato} om {tiltak} på gnr. {gnr} bnr. {bnr}.",
            ),
            (
                "Ved gjennomgang av søknaden ser vi at følgende mangler: situasjonsplan i målestokk 1:500, snittegning og dokumentasjon av at nabovarsel er sendt.",
                "Ved gjennomgang av søknaden ser vi at dette manglar: situasjonsplan i målestokk 1:500, snitteikning og dokumentasjon på at nabovarsel er sendt.",
            ),
            (
                "Søknaden blir ikke behandlet før den er komplett. Frist for å sende inn manglende dokumentasjon er {frist}. Dersom vi ikke har mottatt dokumentasjonen innen fristen, blir saken avsluttet.",
                "Søknaden vert ikkje handsama før han er komplett. Frist for å sende inn manglande dokumentasjon er {frist}. Dersom vi ikkje har motteke dokumentasjonen innan fristen, vert saka avslutta.",
            ),
        ],
        extra: &[
            (
                "Saksbehandlingsfristen på 12 uker løper fra søknaden er komplett, jf. plan- og bygningsloven § 21-7.",
                "Sakshandsamingsfristen på 12 veker går frå søknaden er komplett, jf. plan- og bygningslova § 21-7.",
            ),
        ],
        klage: false,
    },
    Template {
        kind: DocKind::Brev,
        voice: Voice::Kommune,
        titles: &[
            ("{gnr}/{bnr} Etterlyser ferdigattest - {adresse}", "{gnr}/{bnr} Etterlyser ferdigattest - {adresse}"),
            ("{gnr}/{bnr} Manglende ferdigattest - {tiltak}", "{gnr}/{bnr} Manglande ferdigattest - {tiltak}"),
        ],
        body: &[
            (
                "Etter våre registreringer er det ikke søkt om ferdigattest for {tiltak} på gnr. {gnr} bnr. {bnr}, {adresse}, selv om tillatelse ble gitt {refdato}.",
                "Etter registreringane våre er det ikkje søkt om ferdigattest for {tiltak} på gnr. {gnr} bnr. {bnr}, {adresse}, sjølv om løyve vart gitt {refdato}.",
            ),
            (
                "Vi ber om at ansvarlig søker sender inn søknad om ferdigattest med nødvendig dokumentasjon innen {frist}. Dersom tiltaket ikke er fullført, ber vi om en redegjørelse for status.",
                "Vi ber om at ansvarleg søkjar sender inn søknad om ferdigattest med naudsynt dokumentasjon innan {frist}. Dersom tiltaket ikkje er fullført, ber vi om ei utgreiing om status.",
            ),
        ],
        extra: &[(
            "Tiltak som er tatt i bruk uten ferdigattest eller midlertidig brukstillatelse, kan bli fulgt opp som ulovlighetssak etter plan- og bygningsloven kapittel 32.",
            "Tiltak som er tekne i bruk utan ferdigattest eller mellombels bruksløyve, kan bli følgde opp som ulovlegheitssak etter plan- og bygningslova kapittel 32.",
        )],
        klage: false,
    },
    Template {
        kind: DocKind::Notat,
        voice: Voice::Intern,
        titles: &[
            ("{gnr}/{bnr} Befaring - {adresse}", "{gnr}/{bnr} Synfaring - {adresse}"),
            (
                "{gnr}/{bnr} Befaringsnotat - {tiltak}",
                "{gnr}/{bnr} Synfaringsnotat - {tiltak}",
            ),
        ],
        body: &[
            (
                "Befaring ble gjennomført {dato} med {soker} til stede. Formålet var å vurdere plasseringen av {tiltak} i forhold til terreng og nabobebyggelse.",
                "Synfaring vart gjennomført {dato} med {soker} til stades. Føremålet var å vurdere plasseringa av {tiltak} i høve til terreng og nabobygg.",
            ),
            (
                "Det ble tatt bilder av tomten og eksisterende bebyggelse. Bildene er lagt i saken.",
                "Det vart teke bilete av tomta og eksisterande bygningar. Bileta er lagde i saka.",
            ),
        ],
        extra: &[
            (
                "Siktforholdene ved avkjørselen mot {gate} er dårlige på grunn av høy vegetasjon. Eier bør pålegges å holde frisiktsonen fri.",
                "Siktforholda ved avkøyrsla mot {gate} er dårlege på grunn av høg vegetasjon. Eigar bør påleggjast å halde frisiktsona fri.",
            ),
            (
                "Terrenget faller om lag {meter} meter mot sjøen. Tiltaket bør senkes noe for å dempe fjernvirkningen.",
                "Terrenget fell om lag {meter} meter mot sjøen. Tiltaket bør senkast noko for å dempe fjernverknaden.",
            ),
        ],
        klage: false,
    },
];

const REGULERINGSPLAN: &[Template] = &[
    Template {
        kind: DocKind::Vedtak,
        voice: Voice::Kommune,
        titles: &[
            ("Reguleringsplan for {plan} - 2. gangs behandling", "Reguleringsplan for {plan} - 2. gongs handsaming"),
            ("Detaljregulering for {plan}, planID {planid} - sluttbehandling", "Detaljregulering for {plan}, planID {planid} - sluttbehandling"),
            ("Melding om vedtak - reguleringsplan for {plan}", "Melding om vedtak - reguleringsplan for {plan}"),
        ],
        body: &[
            (
                "Forslag til detaljregulering for {plan} har vært lagt ut til offentlig ettersyn i perioden {ettersyn_fra} til {refdato}.",
                "Framlegg til detaljregulering for {plan} har vore lagt ut til offentleg ettersyn i perioden {ettersyn_fra} til {refdato}.",
            ),
            (
                "Vedtak: Med hjemmel i plan- og bygningsloven § 12-12 vedtar kommunestyret detaljregulering for {plan}, planID {planid}, med plankart og bestemmelser datert {dato}.",
                "Vedtak: Med heimel i plan- og bygningslova § 12-12 vedtek kommunestyret detaljregulering for {plan}, planID {planid}, med plankart og føresegner datert {dato}.",
            ),
            (
                "Planområdet omfatter om lag {dekar} dekar og legger til rette for inntil {antall} nye boenheter med tilhørende veg, lekeplass og grøntområder.",
                "Planområdet omfattar om lag {dekar} dekar og legg til rette for inntil {antall} nye bueiningar med tilhøyrande veg, leikeplass og grøntområde.",
            ),
        ],
        extra: &[
            (
                "Statens vegvesen har i sin uttalelse bedt om at det stilles rekkefølgekrav om fortau langs {gate} før det gis brukstillatelse for nye boliger. Kravet er tatt inn i bestemmelsene.",
                "Statens vegvesen har i fråsegna si bede om at det vert stilt rekkjefølgjekrav om fortau langs {gate} før det vert gitt bruksløyve for nye bustader. Kravet er teke inn i føresegnene.",
            ),
            (
                "Statsforvalteren har ikke fremmet innsigelse, men har gitt faglige råd om universell utforming og støy.",
                "Statsforvaltaren har ikkje fremja motsegn, men har gitt faglege råd om universell utforming og støy.",
            ),
            (
                "Det er utarbeidet risiko- og sårbarhetsanalyse (ROS-analyse) for planen. Analysen viser ingen uakseptable risikoforhold.",
                "Det er utarbeidd risiko- og sårbarheitsanalyse (ROS-analyse) for planen. Analysen viser ingen uakseptable risikotilhøve.",
            ),
            (
                "Planen er vurdert etter forskrift om konsekvensutredninger og faller ikke inn under krav om konsekvensutredning.",
                "Planen er vurdert etter forskrift om konsekvensutgreiingar og fell ikkje inn under krav om konsekvensutgreiing.",
            ),
            (
                "Det kom inn {antall_merknader} merknader fra naboer under høringen. Merknadene gjelder i hovedsak trafikk, byggehøyder og tap av utsikt, og er kommentert i saksframlegget.",
                "Det kom inn {antall_merknader} merknader frå naboar under høyringa. Merknadene gjeld i hovudsak trafikk, byggjehøgder og tap av utsikt, og er kommenterte i saksframlegget.",
            ),
            (
                "Vedtaket kunngjøres i lokalavisen og på kommunens nettsider, jf. plan- og bygningsloven § 12-12 tredje ledd.",
                "Vedtaket vert kunngjort i lokalavisa og på nettsidene til kommunen, jf. plan- og bygningslova § 12-12 tredje ledd.",
            ),
        ],
        klage: true,
    },
    Template {
        kind: DocKind::Brev,
        voice: Voice::Kommune,
        titles: &[
            ("Varsel om oppstart av planarbeid - {plan}", "Varsel om oppstart av planarbeid - {plan}"),
            (
                "Kunngjøring - oppstart av detaljregulering for {plan}",
                "Kunngjering - oppstart av detaljregulering for {plan}",
            ),
        ],
        body: &[
            (
                "I samsvar med plan- og bygningsloven § 12-8 varsles det om oppstart av arbeid med detaljregulering for {plan} i {kommune} kommune.",
                "I samsvar med plan- og bygningslova § 12-8 vert det varsla om oppstart av arbeid med detaljregulering for {plan} i {kommune} kommune.",
            ),
            (
                "Forslagsstiller er {firma}. Hensikten med planarbeidet er å legge til rette for boligbebyggelse med tilhørende infrastruktur.",
                "Forslagsstillar er {firma}. Føremålet med planarbeidet er å leggje til rette for bustadbygging med tilhøyrande infrastruktur.",
            ),
            (
                "Eventuelle innspill til planarbeidet sendes skriftlig til {kommune} kommune innen {frist}.",
                "Eventuelle innspel til planarbeidet kan sendast skriftleg til {kommune} kommune innan {frist}.",
            ),
        ],
        extra: &[
            (
                "Planområdet er på om lag {dekar} dekar og omfatter gnr. {gnr} bnr. {bnr} m.fl. Avgrensningen går fram av vedlagte kart.",
                "Planområdet er på om lag {dekar} dekar og omfattar gnr. {gnr} bnr. {bnr} m.fl. Avgrensinga går fram av vedlagt kart.",
            ),
            (
                "Det vil bli holdt åpent informasjonsmøte på {sted} grendahus i løpet av høringsperioden.",
                "Det vil bli halde ope informasjonsmøte på {sted} grendahus i løpet av høyringsperioden.",
            ),
        ],
        klage: false,
    },
    Template {
        kind: DocKind::Brev,
        voice: Voice::Innbygger,
        titles: &[
            ("Merknad til reguleringsplan for {plan} - {soker}", "Merknad til reguleringsplan for {plan} - {soker}"),
            (
                "Merknad til offentlig ettersyn - {plan}",
                "Merknad til offentleg ettersyn - {plan}",
            ),
            ("Innspill til planarbeid - {plan}", "Innspel til planarbeid - {plan}"),
        ],
        body: &[
            (
                "Jeg eier eiendommen gnr. {gnr} bnr. {bnr}, som grenser til planområdet, og ønsker å komme med følgende merknader til planforslaget.",
                "Eg eig eigedomen gnr. {gnr} bnr. {bnr}, som grensar til planområdet, og vil kome med desse merknadene til planframlegget.",
            ),
            (
                "Den nye adkomstvegen vil føre til betydelig økt trafikk forbi boligen vår i {adresse}. Vi ber om at alternative løsninger for adkomst blir vurdert.",
                "Den nye tilkomstvegen vil føre til monaleg auka trafikk forbi bustaden vår i {adresse}. Vi ber om at alternative løysingar for tilkomst vert vurderte.",
            ),
        ],
        extra: &[
            (
                "Planlagt byggehøyde på inntil {meter} meter vil ta bort sol på uteplassen vår store deler av ettermiddagen.",
                "Planlagd byggjehøgd på inntil {meter} meter vil ta bort sol på uteplassen vår store delar av ettermiddagen.",
            ),
            (
                "Skolevegen for barna i området går langs {gate}, som i dag mangler fortau. Dette må løses før utbyggingen starter.",
                "Skulevegen for borna i området går langs {gate}, som i dag manglar fortau. Dette må løysast før utbygginga tek til.",
            ),
        ],
        klage: false,
    },
];

const BARNEHAGE: &[Template] = &[
    Template {
        kind: DocKind::Vedtak,
        voice: Voice::Kommune,
        titles: &[
            ("Tilbud om barnehageplass - {barn}", "Tilbod om barnehageplass - {barn}"),
            ("Vedtak om barnehageplass - {barnehage}", "Vedtak om barnehageplass - {barnehage}"),
        ],
        body: &[
            (
                "Vi viser til søknad om barnehageplass for {barn} mottatt {refdato}.",
                "Vi viser til søknad om barnehageplass for {barn} motteken {refdato}.",
            ),
            (
                "Vedtak: {barn} tilbys {stillingspst} % plass i {barnehage} fra {frist}. Vedtaket er fattet med hjemmel i barnehageloven § 16.",
                "Vedtak: {barn} får tilbod om {stillingspst} % plass i {barnehage} frå {frist}. Vedtaket er gjort med heimel i barnehagelova § 16.",
            ),
            (
                "Tilbudet må bekreftes innen 14 dager. Dersom vi ikke har mottatt svar innen fristen, går plassen til neste søker på ventelisten.",
                "Tilbodet må stadfestast innan 14 dagar. Dersom vi ikkje har fått svar innan fristen, går plassen til neste søkjar på ventelista.",
            ),
        ],
        extra: &[
            (
                "Foreldrebetalingen følger den til enhver tid gjeldende maksimalprisen fastsatt av Stortinget, for tiden kr {makspris} per måned.",
                "Foreldrebetalinga følgjer den til kvar tid gjeldande maksimalprisen fastsett av Stortinget, for tida kr {makspris} per månad.",
            ),
            (
                "Oppstart i barnehagen skjer etter avtale med styrer {leder}. Barnehagen tar kontakt med dere for å avtale tilvenning.",
                "Oppstart i barnehagen skjer etter avtale med styrar {leder}. Barnehagen tek kontakt med dykk for å avtale tilvenning.",
            ),
            (
                "Oppsigelse av plassen skal skje skriftlig med én måneds varsel, regnet fra den 1. i påfølgende måned.",
                "Oppseiing av plassen skal skje skriftleg med éin månads varsel, rekna frå den 1. i månaden etter.",
            ),
            (
                "Husholdningen har dokumentert en samlet inntekt på kr {belop}. Foreldrebetalingen reduseres derfor til 6 % av inntekten, jf. forskrift om foreldrebetaling i barnehager § 3.",
                "Hushaldet har dokumentert ei samla inntekt på kr {belop}. Foreldrebetalinga vert difor redusert til 6 % av inntekta, jf. forskrift om foreldrebetaling i barnehagar § 3.",
            ),
            (
                "Barn som fyller ett år innen utgangen av november, har rett til plass fra den måneden de fyller ett år, jf. barnehageloven § 16.",
                "Barn som fyller eitt år innan utgangen av november, har rett til plass frå den månaden dei fyller eitt år, jf. barnehagelova § 16.",
            ),
        ],
        klage: true,
    },
    Template {
        kind: DocKind::Soknad,
        voice: Voice::Innbygger,
        titles: &[
            ("Søknad om redusert foreldrebetaling - {soker}", "Søknad om redusert foreldrebetaling - {soker}"),
            ("Søknad om gratis kjernetid - {barn}", "Søknad om gratis kjernetid - {barn}"),
        ],
        body: &[
            (
                "Jeg søker om redusert foreldrebetaling for {barn}, som går i {barnehage}.",
                "Eg søkjer om redusert foreldrebetaling for {barn}, som går i {barnehage}.",
            ),
            (
                "Husholdningens samlede inntekt var kr {belop} i fjor. Skattemelding og lønnsslipper for de tre siste månedene er vedlagt.",
                "Den samla inntekta til hushaldet var kr {belop} i fjor. Skattemelding og lønnsslippar for dei tre siste månadene er lagde ved.",
            ),
        ],
        extra: &[
            (
                "Jeg er alene med omsorgen for {barn_fornavn} og har i perioden hatt redusert stilling.",
                "Eg er åleine med omsorga for {barn_fornavn} og har i perioden hatt redusert stilling.",
            ),
            (
                "{barn_fornavn} har en søster som allerede går i {barnehage}, og vi ber om at dette blir vektlagt.",
                "{barn_fornavn} har ei syster som alt går i {barnehage}, og vi ber om at dette vert vektlagt.",
            ),
        ],
        klage: false,
    },
    Template {
        kind: DocKind::Moetereferat,
        voice: Voice::Moete,
        titles: &[
            ("Referat fra møte i samarbeidsutvalget - {barnehage}", "Referat frå møte i samarbeidsutvalet - {barnehage}"),
            ("Referat foreldrerådsmøte {barnehage} {moetedato}", "Referat foreldrerådsmøte {barnehage} {moetedato}"),
        ],
        body: &[
            (
                "Møtedato: {moetedato}. Møtested: {barnehage}, personalrommet.",
                "Møtedato: {moetedato}. Møtestad: {barnehage}, personalrommet.",
            ),
            (
                "Til stede: styrer {leder}, {forelder}, {politiker1}, {ansatt} (ansattes representant).",
                "Til stades: styrar {leder}, {forelder}, {politiker1}, {ansatt} (representant for dei tilsette).",
            ),
        ],
        extra: &[
            (
                "Sak {saknr}: Årsplan for {barnehage}. Styrer orienterte om arbeidet med ny årsplan med vekt på språk og lek. Utvalget sluttet seg til forslaget.",
                "Sak {saknr}: Årsplan for {barnehage}. Styrar orienterte om arbeidet med ny årsplan med vekt på språk og leik. Utvalet slutta seg til framlegget.",
            ),
            (
                "Sak {saknr}: Bemanning og vikarbruk. Det er to ledige stillinger som barnehagelærer. Utlysning er sendt ut med søknadsfrist {frist}.",
                "Sak {saknr}: Bemanning og vikarbruk. Det er to ledige stillingar som barnehagelærar. Utlysing er send ut med søknadsfrist {frist}.",
            ),
            (
                "Sak {saknr}: Uteområdet. Foreldrene ønsker dugnad for å fornye sandkassen og gapahuken. Dugnad avtales til våren.",
                "Sak {saknr}: Uteområdet. Foreldra ønskjer dugnad for å fornye sandkassa og gapahuken. Dugnad vert avtalt til våren.",
            ),
            (
                "Sak {saknr}: Eventuelt. Det ble tatt opp at henting etter kl. 16.30 har økt. Styrer minner om åpningstiden.",
                "Sak {saknr}: Eventuelt. Det vart teke opp at henting etter kl. 16.30 har auka. Styraren minner om opningstida.",
            ),
        ],
        klage: false,
    },
    Template {
        kind: DocKind::Notat,
        voice: Voice::Intern,
        titles: &[
            ("Tilsyn med {barnehage} - rapport", "Tilsyn med {barnehage} - rapport"),
            ("Internt notat - opptak barnehageåret {skoleaar}", "Internt notat - opptak barnehageåret {skoleaar}"),
        ],
        body: &[
            (
                "Kommunen gjennomførte tilsyn med {barnehage} {dato} etter barnehageloven § 53. Tema for tilsynet var barnehagens arbeid med et trygt og godt barnehagemiljø.",
                "Kommunen gjennomførte tilsyn med {barnehage} {dato} etter barnehagelova § 53. Tema for tilsynet var arbeidet barnehagen gjer med eit trygt og godt barnehagemiljø.",
            ),
            (
                "Tilsynet avdekket ingen brudd på regelverket, men barnehagen bør dokumentere tiltak etter barnehageloven § 42 bedre.",
                "Tilsynet avdekte ingen brot på regelverket, men barnehagen bør dokumentere tiltak etter barnehagelova § 42 betre.",
            ),
        ],
        extra: &[
            (
                "Ved hovedopptaket var det {antall} søkere med rett til plass. Alle har fått tilbud, de fleste i sin førsteprioritet.",
                "Ved hovudopptaket var det {antall} søkjarar med rett til plass. Alle har fått tilbod, dei fleste i førsteprioriteten sin.",
            ),
        ],
        klage: false,
    },
];

const SKOLE: &[Template] = &[
    Template {
        kind: DocKind::Vedtak,
        voice: Voice::Kommune,
        titles: &[
            ("Vedtak om spesialundervisning - {barn}", "Vedtak om spesialundervisning - {barn}"),
            (
                "Vedtak om spesialundervisning skoleåret {skoleaar} - {barn}",
                "Vedtak om spesialundervisning skuleåret {skoleaar} - {barn}",
            ),
        ],
        body: &[
            (
                "Vi viser til sakkyndig vurdering fra PP-tjenesten datert {refdato} og samtale med foreldrene.",
                "Vi viser til sakkunnig vurdering frå PP-tenesta datert {refdato} og samtale med foreldra.",
            ),
            (
                "Vedtak: {barn}, elev på {klassetrinn}. trinn ved {skole}, får spesialundervisning med {timer} årstimer i norsk og matematikk skoleåret {skoleaar}, jf. opplæringsloven § 5-1.",
                "Vedtak: {barn}, elev på {klassetrinn}. trinn ved {skule}, får spesialundervisning med {timer} årstimar i norsk og matematikk skuleåret {skoleaar}, jf. opplæringslova § 5-1.",
            ),
            (
                "Undervisningen gis delvis i liten gruppe og delvis i klassen, i samsvar med individuell opplæringsplan (IOP) som utarbeides innen {frist}.",
                "Undervisninga vert gitt delvis i lita gruppe og delvis i klassen, i samsvar med individuell opplæringsplan (IOP) som vert utarbeidd innan {frist}.",
            ),
        ],
        extra: &[
            (
                "Skolen skal hvert halvår utarbeide en skriftlig oversikt over opplæringen eleven har fått og en vurdering av utviklingen, jf. opplæringsloven § 5-5.",
                "Skulen skal kvart halvår utarbeide ei skriftleg oversikt over opplæringa eleven har fått og ei vurdering av utviklinga, jf. opplæringslova § 5-5.",
            ),
            (
                "Vedtaket gjelder for skoleåret {skoleaar}. Behovet for spesialundervisning blir vurdert på nytt før neste skoleår.",
                "Vedtaket gjeld for skuleåret {skoleaar}. Behovet for spesialundervisning vert vurdert på nytt før neste skuleår.",
            ),
            (
                "Foreldrene har gitt samtykke til spesialundervisning, jf. opplæringsloven § 5-4.",
                "Foreldra har gitt samtykke til spesialundervisning, jf. opplæringslova § 5-4.",
            ),
            (
                "Rektor {leder} vil innkalle til oppstartsmøte med foreldrene og PP-tjenesten i løpet av de første ukene av skoleåret.",
                "Rektor {leder} vil kalle inn til oppstartsmøte med foreldra og PP-tenesta i løpet av dei første vekene av skuleåret.",
            ),
        ],
        klage: true,
    },
    Template {
        kind: DocKind::Soknad,
        voice: Voice::Innbygger,
        titles: &[
            ("Søknad om skolefri - {barn}", "Søknad om skulefri - {barn}"),
            (
                "Søknad om permisjon fra undervisningen - {barn}",
                "Søknad om permisjon frå undervisninga - {barn}",
            ),
        ],
        body: &[
            (
                "Vi søker om fri fra undervisningen for {barn} i {klassetrinn}. klasse ved {skole} i perioden {refdato} til {frist}.",
                "Vi søkjer om fri frå undervisninga for {barn} i {klassetrinn}. klasse ved {skule} i perioden {refdato} til {frist}.",
            ),
            (
                "Familien skal besøke besteforeldre i utlandet, og det er ikke mulig å legge reisen til skoleferien.",
                "Familien skal besøkje besteforeldre i utlandet, og det er ikkje mogleg å leggje reisa til skuleferien.",
            ),
        ],
        extra: &[
            (
                "Vi er kjent med at foreldrene har ansvar for at {barn_fornavn} tar igjen det som blir forsømt, og vil sørge for at skolearbeidet blir gjort.",
                "Vi er kjende med at foreldra har ansvar for at {barn_fornavn} tek att det som vert forsømt, og vil syte for at skulearbeidet vert gjort.",
            ),
            (
                "Vi ber om svar så snart som mulig, slik at vi kan bestille flybilletter.",
                "Vi ber om svar så snart som mogleg, slik at vi kan bestille flybillettar.",
            ),
        ],
        klage: false,
    },
    Template {
        kind: DocKind::Brev,
        voice: Voice::Kommune,
        titles: &[
            ("Melding om bekymringsfullt fravær - {barn}", "Melding om uroande fråvær - {barn}"),
            (
                "Innkalling til møte om fravær - {barn}",
                "Innkalling til møte om fråvær - {barn}",
            ),
        ],
        body: &[
            (
                "Skolen har registrert at {barn} har hatt {timer} dager fravær dette halvåret, noe som er bekymringsfullt høyt.",
                "Skulen har registrert at {barn} har hatt {timer} dagar fråvær dette halvåret, noko som er urovekkjande høgt.",
            ),
            (
                "Vi ønsker et møte med dere for å drøfte årsaken til fraværet og hvordan skolen og hjemmet sammen kan følge opp. Vi foreslår møte på skolen {frist}.",
                "Vi ønskjer eit møte med dykk for å drøfte årsaka til fråværet og korleis skulen og heimen saman kan følgje opp. Vi føreslår møte på skulen {frist}.",
            ),
        ],
        extra: &[
            (
                "Elever har plikt til å delta i opplæringen, jf. opplæringsloven § 2-1. Ved langvarig fravær kan skolen være forpliktet til å melde fra til barneverntjenesten.",
                "Elevar har plikt til å delta i opplæringa, jf. opplæringslova § 2-1. Ved langvarig fråvær kan skulen ha plikt til å melde frå til barnevernstenesta.",
            ),
            (
                "Skolen har tidligere tatt opp fraværet i utviklingssamtalen, uten at situasjonen har bedret seg.",
                "Skulen har tidlegare teke opp fråværet i utviklingssamtalen, utan at situasjonen har vorte betre.",
            ),
        ],
        klage: false,
    },
    Template {
        kind: DocKind::Moetereferat,
        voice: Voice::Moete,
        titles: &[
            ("Referat fra FAU-møte {skole} {moetedato}", "Referat frå FAU-møte {skule} {moetedato}"),
            ("Referat fra driftsstyret ved {skole}", "Referat frå driftsstyret ved {skule}"),
        ],
        body: &[
            ("Møtedato: {moetedato}. Møtested: {skole}.", "Møtedato: {moetedato}. Møtestad: {skule}."),
            (
                "Til stede: rektor {leder}, {forelder}, {politiker1}, {politiker2}. Forfall: {politiker3}.",
                "Til stades: rektor {leder}, {forelder}, {politiker1}, {politiker2}. Forfall: {politiker3}.",
            ),
        ],
        extra: &[
            (
                "Sak {saknr}: Trafikksikkerhet ved skolen. FAU ber kommunen vurdere fartsdumper i {gate}. Rektor tar saken videre.",
                "Sak {saknr}: Trafikktryggleik ved skulen. FAU ber kommunen vurdere fartsdumpar i {gate}. Rektor tek saka vidare.",
            ),
            (
                "Sak {saknr}: Elevundersøkelsen. Resultatene viser at de fleste elevene trives, men at noen opplever mobbing. Skolen følger opp med nye tiltak i friminuttene.",
                "Sak {saknr}: Elevundersøkinga. Resultata viser at dei fleste elevane trivst, men at nokre opplever mobbing. Skulen følgjer opp med nye tiltak i friminutta.",
            ),
            (
                "Sak {saknr}: 17. mai-feiringen. 7. trinn har ansvar for kiosken. Overskuddet går til klassetur.",
                "Sak {saknr}: 17. mai-feiringa. 7. trinn har ansvar for kiosken. Overskotet går til klassetur.",
            ),
            (
                "Sak {saknr}: Budsjett for skoleåret {skoleaar}. Rektor orienterte om kutt i assistentressurser. FAU uttrykte bekymring for dette.",
                "Sak {saknr}: Budsjett for skuleåret {skoleaar}. Rektor orienterte om kutt i assistentressursar. FAU uttrykte uro for dette.",
            ),
        ],
        klage: false,
    },
];

const PERSONAL: &[Template] = &[
    Template {
        kind: DocKind::Brev,
        voice: Voice::Kommune,
        titles: &[
            ("Tilbud om fast stilling som {stilling} - {ansatt}", "Tilbod om fast stilling som {stilling} - {ansatt}"),
            (
                "Tilbud om stilling - {stilling}, {arbeidssted}",
                "Tilbod om stilling - {stilling}, {arbeidssted}",
            ),
        ],
        body: &[
            (
                "Vi viser til intervju {refdato} og har gleden av å tilby deg fast stilling som {stilling} i {stillingspst} % stilling ved {arbeidssted} fra {frist}.",
                "Vi viser til intervju {refdato} og har gleda av å tilby deg fast stilling som {stilling} i {stillingspst} % stilling ved {arbeidssted} frå {frist}.",
            ),
            (
                "Lønn er avtalt til kr {lonn} per år i 100 % stilling, i samsvar med Hovedtariffavtalen kapittel 4.",
                "Løn er avtalt til kr {lonn} per år i 100 % stilling, i samsvar med Hovudtariffavtalen kapittel 4.",
            ),
            (
                "Det er seks måneders prøvetid, jf. arbeidsmiljøloven § 15-6. Gjensidig oppsigelsestid i prøvetiden er én måned.",
                "Det er seks månaders prøvetid, jf. arbeidsmiljølova § 15-6. Gjensidig oppseiingstid i prøvetida er éin månad.",
            ),
        ],
        extra: &[
            (
                "Vi ber om at du bekrefter innen {frist} om du tar imot stillingen. Skriftlig arbeidsavtale blir sendt når vi har mottatt svar.",
                "Vi ber om at du stadfestar innan {frist} om du tek imot stillinga. Skriftleg arbeidsavtale vert send når vi har fått svar.",
            ),
            (
                "Stillingen krever politiattest som ikke er eldre enn tre måneder. Attesten må være levert før tiltredelse.",
                "Stillinga krev politiattest som ikkje er eldre enn tre månader. Attesten må vere levert før tiltreding.",
            ),
            (
                "Du blir innmeldt i KLP med pensjonsordning etter gjeldende regler. Trekk for pensjon skjer automatisk i lønnen.",
                "Du vert innmeld i KLP med pensjonsordning etter gjeldande reglar. Trekk for pensjon skjer automatisk i løna.",
            ),
            (
                "Arbeidstiden følger turnus med arbeid hver tredje helg. Det gis tillegg for kvelds-, natt- og helgearbeid etter tariff.",
                "Arbeidstida følgjer turnus med arbeid kvar tredje helg. Det vert gitt tillegg for kvelds-, natt- og helgearbeid etter tariff.",
            ),
            (
                "Nærmeste leder er {leder}, som vil ta kontakt med deg om opplæring de første ukene.",
                "Næraste leiar er {leder}, som vil ta kontakt med deg om opplæring dei første vekene.",
            ),
        ],
        klage: false,
    },
    Template {
        kind: DocKind::Soknad,
        voice: Voice::Innbygger,
        titles: &[
            ("Søknad på stilling: {stilling} ved {arbeidssted} - arkivsaksnr. {saksnr}", "Søknad på stilling: {stilling} ved {arbeidssted} - arkivsaksnr. {saksnr}"),
            (
                "Søknad på stilling som {stilling} - {soker}",
                "Søknad på stilling som {stilling} - {soker}",
            ),
        ],
        body: &[
            (
                "Jeg søker herved på utlyst stilling som {stilling} ved {arbeidssted}, med søknadsfrist {refdato}.",
                "Eg søkjer med dette på utlyst stilling som {stilling} ved {arbeidssted}, med søknadsfrist {refdato}.",
            ),
            (
                "Jeg har {timer} års erfaring fra tilsvarende arbeid og er utdannet ved Høgskulen på Vestlandet. Vitnemål og attester er vedlagt.",
                "Eg har {timer} års erfaring frå tilsvarande arbeid og er utdanna ved Høgskulen på Vestlandet. Vitnemål og attestar er lagde ved.",
            ),
        ],
        extra: &[
            (
                "Jeg trives med å jobbe i team, er strukturert og har god erfaring med dokumentasjon i fagsystem.",
                "Eg trivst med å jobbe i team, er strukturert og har god erfaring med dokumentasjon i fagsystem.",
            ),
            (
                "Referanser: {leder}, min nåværende leder, og {nabo}, tidligere kollega.",
                "Referansar: {leder}, noverande leiaren min, og {nabo}, tidlegare kollega.",
            ),
            (
                "Jeg kan tiltre etter avtale, med en oppsigelsestid på tre måneder i nåværende stilling.",
                "Eg kan tiltre etter avtale, med ei oppseiingstid på tre månader i noverande stilling.",
            ),
        ],
        klage: false,
    },
    Template {
        kind: DocKind::Notat,
        voice: Voice::Intern,
        titles: &[
            ("Oppfølgingsplan ved sykefravær - {ansatt}", "Oppfølgingsplan ved sjukefråvær - {ansatt}"),
            ("Referat fra dialogmøte - {ansatt}", "Referat frå dialogmøte - {ansatt}"),
        ],
        body: &[
            (
                "Dialogmøte ble holdt {dato} med {ansatt}, nærmeste leder {leder} og representant fra bedriftshelsetjenesten.",
                "Dialogmøte vart halde {dato} med {ansatt}, næraste leiar {leder} og representant frå bedriftshelsetenesta.",
            ),
            (
                "Arbeidstakeren har vært sykmeldt i {timer} uker. Det ble avtalt gradert sykmelding på 50 % med tilrettelagte oppgaver fra {frist}.",
                "Arbeidstakaren har vore sjukmeld i {timer} veker. Det vart avtalt gradert sjukmelding på 50 % med tilrettelagde oppgåver frå {frist}.",
            ),
        ],
        extra: &[
            (
                "Arbeidsgiver vurderer fortløpende behov for tilrettelegging, jf. arbeidsmiljøloven § 4-6. Ny oppfølging avtales om fire uker.",
                "Arbeidsgjevar vurderer fortløpande behov for tilrettelegging, jf. arbeidsmiljølova § 4-6. Ny oppfølging vert avtalt om fire veker.",
            ),
            (
                "Arbeidstakeren ønsker å prøve ut kortere arbeidsdager og færre tunge løft i en periode.",
                "Arbeidstakaren ønskjer å prøve ut kortare arbeidsdagar og færre tunge løft i ein periode.",
            ),
            (
                "NAV er orientert, og oppfølgingsplanen er sendt til sykmelder innen fristen i arbeidsmiljøloven § 4-6.",
                "NAV er orientert, og oppfølgingsplanen er send til sjukmeldar innan fristen i arbeidsmiljølova § 4-6.",
            ),
        ],
        klage: false,
    },
    Template {
        kind: DocKind::Vedtak,
        voice: Voice::Kommune,
        titles: &[
            ("Innvilget permisjon uten lønn - {ansatt}", "Innvilga permisjon utan løn - {ansatt}"),
            (
                "Permisjon uten lønn - {ansatt}",
                "Permisjon utan løn - {ansatt}",
            ),
        ],
        body: &[
            (
                "Vi viser til søknad om permisjon mottatt {refdato}.",
                "Vi viser til søknad om permisjon motteken {refdato}.",
            ),
            (
                "Vedtak: {ansatt} innvilges permisjon uten lønn fra stillingen som {stilling} ved {arbeidssted} i perioden {frist} til {frist2}, jf. Hovedtariffavtalen og kommunens permisjonsreglement.",
                "Vedtak: {ansatt} får innvilga permisjon utan løn frå stillinga som {stilling} ved {arbeidssted} i perioden {frist} til {frist2}, jf. Hovudtariffavtalen og permisjonsreglementet til kommunen.",
            ),
        ],
        extra: &[
            (
                "Under permisjonen opptjenes ikke ferie eller pensjon. Du må selv melde fra om du ønsker å gå tilbake tidligere.",
                "Under permisjonen vert det ikkje opptent ferie eller pensjon. Du må sjølv melde frå om du ønskjer å gå tilbake tidlegare.",
            ),
        ],
        klage: false,
    },
];

const OKONOMI: &[Template] = &[
    Template {
        kind: DocKind::Vedtak,
        voice: Voice::Kommune,
        titles: &[
            ("Tilskudd {aar} - {lag}", "Tilskot {aar} - {lag}"),
            ("Svar på søknad om kulturmidler - {lag}", "Svar på søknad om kulturmidlar - {lag}"),
        ],
        body: &[
            (
                "Vi viser til søknad om driftstilskudd for {aar} mottatt {refdato}.",
                "Vi viser til søknad om driftstilskot for {aar} motteken {refdato}.",
            ),
            (
                "Vedtak: {lag} tildeles kr {belop} i driftstilskudd for {aar}. Tilskuddet utbetales til kontonummer oppgitt i søknaden.",
                "Vedtak: {lag} får tildelt kr {belop} i driftstilskot for {aar}. Tilskotet vert utbetalt til kontonummeret som er oppgitt i søknaden.",
            ),
        ],
        extra: &[
            (
                "Tilskuddet er gitt etter retningslinjer for kommunale kulturmidler vedtatt av kommunestyret. Det kom inn {antall} søknader med en samlet søknadssum som var høyere enn budsjettrammen.",
                "Tilskotet er gitt etter retningslinjer for kommunale kulturmidlar vedtekne av kommunestyret. Det kom inn {antall} søknader med ein samla søknadssum som var høgare enn budsjettramma.",
            ),
            (
                "Mottaker plikter å sende inn regnskap og kort rapport om bruken av midlene innen 1. mars neste år.",
                "Mottakaren pliktar å sende inn rekneskap og kort rapport om bruken av midlane innan 1. mars neste år.",
            ),
            (
                "Ubrukte midler kan kreves tilbakebetalt dersom tilskuddet ikke blir brukt i samsvar med formålet.",
                "Ubrukte midlar kan krevjast tilbakebetalte dersom tilskotet ikkje vert brukt i samsvar med føremålet.",
            ),
        ],
        klage: true,
    },
    Template {
        kind: DocKind::Brev,
        voice: Voice::Kommune,
        titles: &[
            ("Betalingspåminnelse - faktura {fakturanr}", "Betalingspåminning - faktura {fakturanr}"),
            (
                "Purring - ubetalt faktura {fakturanr} - {soker}",
                "Purring - ubetalt faktura {fakturanr} - {soker}",
            ),
        ],
        body: &[
            (
                "Vi kan ikke se å ha mottatt betaling for faktura {fakturanr} med forfall {refdato}, pålydende kr {belop}.",
                "Vi kan ikkje sjå å ha fått betaling for faktura {fakturanr} med forfall {refdato}, pålydande kr {belop}.",
            ),
            (
                "Vi ber om at beløpet blir betalt innen {frist}. Dersom beløpet ikke blir betalt, vil kravet bli sendt til inkasso uten ytterligere varsel.",
                "Vi ber om at beløpet vert betalt innan {frist}. Dersom beløpet ikkje vert betalt, vil kravet bli sendt til inkasso utan vidare varsel.",
            ),
        ],
        extra: &[
            (
                "Dersom betaling allerede er foretatt, kan du se bort fra denne påminnelsen.",
                "Dersom betalinga alt er gjord, kan du sjå bort frå denne påminninga.",
            ),
            (
                "Det er beregnet purregebyr på kr 35 og forsinkelsesrente etter forsinkelsesrenteloven.",
                "Det er rekna purregebyr på kr 35 og forseinkingsrente etter forseinkingsrentelova.",
            ),
            (
                "Kommunale avgifter for vann, avløp, renovasjon og feiing faktureres i fire terminer. Eiendomsskatt for gnr. {gnr} bnr. {bnr} er kr {gebyr} for {aar}.",
                "Kommunale avgifter for vatn, avløp, renovasjon og feiing vert fakturerte i fire terminar. Eigedomsskatt for gnr. {gnr} bnr. {bnr} er kr {gebyr} for {aar}.",
            ),
        ],
        klage: false,
    },
    Template {
        kind: DocKind::Notat,
        voice: Voice::Intern,
        titles: &[
            ("Tertialrapport {tertial}. tertial {aar} - økonomi", "Tertialrapport {tertial}. tertial {aar} - økonomi"),
            ("Budsjettkontroll {maaned}", "Budsjettkontroll {maaned}"),
            (
                "Økonomirapport per {maaned}",
                "Økonomirapport per {maaned}",
            ),
        ],
        body: &[
            (
                "Regnskapet per {tertial}. tertial viser et merforbruk på kr {belop} sammenlignet med periodisert budsjett.",
                "Rekneskapen per {tertial}. tertial viser eit meirforbruk på kr {belop} samanlikna med periodisert budsjett.",
            ),
            (
                "Merforbruket skyldes i hovedsak økte utgifter til ressurskrevende tjenester og høyere energipriser enn forutsatt.",
                "Meirforbruket kjem i hovudsak av auka utgifter til ressurskrevjande tenester og høgare energiprisar enn føresett.",
            ),
        ],
        extra: &[
            (
                "Skatteinngangen er så langt i år om lag som budsjettert. Renteutgiftene er lavere enn forutsatt.",
                "Skatteinngangen er så langt i år om lag som budsjettert. Renteutgiftene er lågare enn føresett.",
            ),
            (
                "Kommunedirektøren foreslår en budsjettregulering der merforbruket dekkes ved bruk av disposisjonsfond.",
                "Kommunedirektøren føreslår ei budsjettregulering der meirforbruket vert dekt ved bruk av disposisjonsfond.",
            ),
            (
                "Investeringsprosjektet ny {skole} ligger an til å bli fullført innenfor vedtatt ramme.",
                "Investeringsprosjektet ny {skule} ligg an til å bli fullført innanfor vedteken ramme.",
            ),
        ],
        klage: false,
    },
    Template {
        kind: DocKind::Soknad,
        voice: Voice::Innbygger,
        titles: &[
            ("Søknad om betalingsutsettelse - kommunale avgifter - {soker}", "Søknad om betalingsutsetjing - kommunale avgifter - {soker}"),
        ],
        body: &[
            (
                "Jeg søker om utsettelse med betalingen av kommunale avgifter for eiendommen gnr. {gnr} bnr. {bnr} til {frist}.",
                "Eg søkjer om utsetjing med betalinga av kommunale avgifter for eigedomen gnr. {gnr} bnr. {bnr} til {frist}.",
            ),
            (
                "Årsaken er at jeg har vært sykmeldt en lengre periode og har hatt redusert inntekt.",
                "Årsaka er at eg har vore sjukmeld ein lengre periode og har hatt redusert inntekt.",
            ),
        ],
        extra: &[            (
                "Jeg kan betale beløpet i tre like avdrag dersom det er mulig.",
                "Eg kan betale beløpet i tre like avdrag dersom det er mogleg.",
            ),
],
        klage: false,
    },
];

const POLITIKK: &[Template] = &[
    Template {
        kind: DocKind::Moetereferat,
        voice: Voice::Moete,
        titles: &[
            ("Møteprotokoll {utvalg} {moetedato}", "Møteprotokoll {utvalg} {moetedato}"),
            ("Protokoll fra møte i {utvalg} {moetedato}", "Protokoll frå møte i {utvalg} {moetedato}"),
            ("Møtebok {utvalg} {moetedato}", "Møtebok {utvalg} {moetedato}"),
        ],
        body: &[
            (
                "Møtedato: {moetedato} kl. 17.00. Møtested: Kommunestyresalen, {kommune} rådhus.",
                "Møtedato: {moetedato} kl. 17.00. Møtestad: Kommunestyresalen, {kommune} rådhus.",
            ),
            (
                "Til stede: ordfører {ordforer} (leder), {politiker1}, {politiker2}, {politiker3}. Forfall: {politiker4}. Fra administrasjonen møtte kommunedirektør {leder}.",
                "Til stades: ordførar {ordforer} (leiar), {politiker1}, {politiker2}, {politiker3}. Forfall: {politiker4}. Frå administrasjonen møtte kommunedirektør {leder}.",
            ),
        ],
        extra: &[
            (
                "PS {saknr} Godkjenning av innkalling og saksliste. Vedtak: Innkalling og saksliste godkjennes. Enstemmig.",
                "PS {saknr} Godkjenning av innkalling og sakliste. Vedtak: Innkalling og sakliste vert godkjende. Samrøystes.",
            ),
            (
                "PS {saknr} Reguleringsplan for {plan} - 2. gangs behandling. Kommunedirektørens innstilling ble enstemmig vedtatt.",
                "PS {saknr} Reguleringsplan for {plan} - 2. gongs handsaming. Innstillinga frå kommunedirektøren vart samrøystes vedteken.",
            ),
            (
                "PS {saknr} Tertialrapport {tertial}. tertial {aar}. Vedtak: Tertialrapporten tas til orientering. Budsjettendringene i tabell 3 vedtas. Enstemmig.",
                "PS {saknr} Tertialrapport {tertial}. tertial {aar}. Vedtak: Tertialrapporten vert teken til orientering. Budsjettendringane i tabell 3 vert vedtekne. Samrøystes.",
            ),
            (
                "PS {saknr} Tilstandsrapport for grunnskolen. Representanten {politiker2} ({parti}) fremmet forslag om å be kommunedirektøren utrede økt lærertetthet ved {skole}. Forslaget falt med {stemmer_mot} mot {stemmer_for} stemmer.",
                "PS {saknr} Tilstandsrapport for grunnskulen. Representanten {politiker2} ({parti}) fremja framlegg om å be kommunedirektøren greie ut auka lærartettleik ved {skule}. Framlegget fall med {stemmer_mot} mot {stemmer_for} røyster.",
            ),
            (
                "PS {saknr} Søknad om kommunal garanti - {lag}. Vedtak: {kommune} kommune stiller simpel kausjon på inntil kr {belop} for lån til rehabilitering av klubbhus. Vedtatt med {stemmer_for} mot {stemmer_mot} stemmer.",
                "PS {saknr} Søknad om kommunal garanti - {lag}. Vedtak: {kommune} kommune stiller simpel kausjon på inntil kr {belop} for lån til rehabilitering av klubbhus. Vedteke med {stemmer_for} mot {stemmer_mot} røyster.",
            ),
            (
                "PS {saknr} Budsjett {aar} og økonomiplan {aar}–{aar_plan_slutt}. Ordføreren la fram formannskapets innstilling. Det ble votert alternativt mellom innstillingen og forslaget fra {parti}. Innstillingen ble vedtatt med {stemmer_for} mot {stemmer_mot} stemmer.",
                "PS {saknr} Budsjett {aar} og økonomiplan {aar}–{aar_plan_slutt}. Ordføraren la fram innstillinga frå formannskapet. Det vart røysta alternativt mellom innstillinga og framlegget frå {parti}. Innstillinga vart vedteken med {stemmer_for} mot {stemmer_mot} røyster.",
            ),
            (
                "PS {saknr} Valg av meddommere. Vedtak: Som meddommere for perioden velges {politiker3} og {nabo}. Enstemmig.",
                "PS {saknr} Val av meddommarar. Vedtak: Som meddommarar for perioden vert {politiker3} og {nabo} valde. Samrøystes.",
            ),
            (
                "RS {saknr} Referatsaker. Referatsakene ble tatt til orientering.",
                "RS {saknr} Referatsaker. Referatsakene vart tekne til orientering.",
            ),
            (
                "PS {saknr} Interpellasjon fra {politiker1} om trafikksikkerhet langs {gate}. Ordføreren svarte på interpellasjonen. Det ble ikke fattet vedtak.",
                "PS {saknr} Interpellasjon frå {politiker1} om trafikktryggleik langs {gate}. Ordføraren svarte på interpellasjonen. Det vart ikkje gjort vedtak.",
            ),
            (
                "PS {saknr} Dispensasjon fra kommuneplanens arealdel - {tiltak}, gnr. {gnr}/{bnr}. Vedtak: Det gis dispensasjon som omsøkt, jf. plan- og bygningsloven § 19-2. Vedtatt mot {stemmer_mot} stemmer.",
                "PS {saknr} Dispensasjon frå arealdelen av kommuneplanen - {tiltak}, gnr. {gnr}/{bnr}. Vedtak: Det vert gitt dispensasjon som omsøkt, jf. plan- og bygningslova § 19-2. Vedteke mot {stemmer_mot} røyster.",
            ),
            (
                "PS {saknr} Spørsmål om habilitet. {politiker3} ba om å få vurdert sin habilitet fordi en nær slektning er part i saken. {politiker3} ble enstemmig erklært inhabil og fratrådte under behandlingen, jf. forvaltningsloven § 6.",
                "PS {saknr} Spørsmål om habilitet. {politiker3} bad om å få vurdert habiliteten sin fordi ein nær slektning er part i saka. {politiker3} vart samrøystes erklært inhabil og gjekk frå under handsaminga, jf. forvaltningslova § 6.",
            ),
        ],
        klage: false,
    },
    Template {
        kind: DocKind::Brev,
        voice: Voice::Kommune,
        titles: &[
            ("Innkalling til møte i {utvalg} {moetedato}", "Innkalling til møte i {utvalg} {moetedato}"),
            (
                "Møteinnkalling - {utvalg} {moetedato}",
                "Møteinnkalling - {utvalg} {moetedato}",
            ),
        ],
        body: &[
            (
                "Det innkalles med dette til møte i {utvalg} {moetedato} kl. 17.00 i kommunestyresalen.",
                "Det vert med dette kalla inn til møte i {utvalg} {moetedato} kl. 17.00 i kommunestyresalen.",
            ),
            (
                "Eventuelt forfall meldes til politisk sekretariat snarest, slik at varamedlem kan innkalles. Sakspapirene er tilgjengelige i møteportalen.",
                "Eventuelt forfall må meldast til politisk sekretariat snarast, slik at varamedlem kan kallast inn. Sakspapira er tilgjengelege i møteportalen.",
            ),
        ],
        extra: &[
            (
                "Møtet er åpent for publikum og blir direkteoverført på kommunens nettsider.",
                "Møtet er ope for publikum og vert direkteoverført på nettsidene til kommunen.",
            ),
            (
                "Medlemmer som mener de kan være inhabile i en sak, bes melde fra før møtet, jf. kommuneloven § 11-10.",
                "Medlemer som meiner dei kan vere inhabile i ei sak, vert bedne om å melde frå før møtet, jf. kommunelova § 11-10.",
            ),
        ],
        klage: false,
    },
];

const HELSE: &[Template] = &[
    Template {
        kind: DocKind::Vedtak,
        voice: Voice::Kommune,
        titles: &[
            ("Vedtak om {tjeneste} - {soker}", "Vedtak om {tjeneste} - {soker}"),
            ("Endring av vedtak om {tjeneste}", "Endring av vedtak om {tjeneste}"),
            (
                "Vedtak om helse- og omsorgstjenester - {soker}",
                "Vedtak om helse- og omsorgstenester - {soker}",
            ),
        ],
        body: &[
            (
                "Vi viser til søknad om {tjeneste} mottatt {refdato}, og kartleggingsbesøk hjemme hos deg {dato}.",
                "Vi viser til søknad om {tjeneste} motteken {refdato}, og kartleggingsbesøk heime hos deg {dato}.",
            ),
            (
                "Vedtak: Du innvilges {tjeneste} med {timer} timer per uke fra {frist}. Vedtaket er fattet med hjemmel i helse- og omsorgstjenesteloven § 3-2 første ledd nr. 6, jf. pasient- og brukerrettighetsloven § 2-1 a.",
                "Vedtak: Du får innvilga {tjeneste} med {timer} timar per veke frå {frist}. Vedtaket er gjort med heimel i helse- og omsorgstenestelova § 3-2 første ledd nr. 6, jf. pasient- og brukarrettslova § 2-1 a.",
            ),
            (
                "Ved vurderingen er det lagt vekt på at du etter sykehusoppholdet har behov for hjelp til personlig stell, medisinering og tilsyn.",
                "Ved vurderinga er det lagt vekt på at du etter sjukehusopphaldet har behov for hjelp til personleg stell, medisinering og tilsyn.",
            ),
        ],
        extra: &[
            (
                "Vedtaket blir evaluert innen tre måneder, eller tidligere dersom behovet endrer seg.",
                "Vedtaket vert evaluert innan tre månader, eller tidlegare dersom behovet endrar seg.",
            ),
            (
                "Helsehjelp i hjemmet er gratis. For praktisk bistand betaler du egenandel etter forskrift om egenandel for kommunale helse- og omsorgstjenester, for tiden kr {gebyr} per måned.",
                "Helsehjelp i heimen er gratis. For praktisk bistand betaler du eigendel etter forskrift om eigendel for kommunale helse- og omsorgstenester, for tida kr {gebyr} per månad.",
            ),
            (
                "Pårørende {forelder} er kontaktperson og får kopi av vedtaket etter ditt samtykke.",
                "Pårørande {forelder} er kontaktperson og får kopi av vedtaket etter samtykket ditt.",
            ),
            (
                "Tjenesten utføres av hjemmetjenesten {sted}. Det kan ikke gis garanti for faste tidspunkt, men vi vil så langt det er mulig ta hensyn til dine ønsker.",
                "Tenesta vert utført av heimetenesta {sted}. Det kan ikkje givast garanti for faste tidspunkt, men vi vil så langt det er mogleg ta omsyn til ønska dine.",
            ),
            (
                "Klage på vedtak om helse- og omsorgstjenester sendes til kommunen. Dersom kommunen ikke gir deg medhold, sendes klagen til Statsforvalteren, jf. pasient- og brukerrettighetsloven § 7-2.",
                "Klage på vedtak om helse- og omsorgstenester vert send til kommunen. Dersom kommunen ikkje gir deg medhald, vert klagen send til Statsforvaltaren, jf. pasient- og brukarrettslova § 7-2.",
            ),
        ],
        klage: true,
    },
    Template {
        kind: DocKind::Soknad,
        voice: Voice::Innbygger,
        titles: &[
            ("Søknad om {tjeneste} - {soker}", "Søknad om {tjeneste} - {soker}"),
        ],
        body: &[
            (
                "Jeg søker om {tjeneste}. Etter at jeg kom hjem fra sykehuset {refdato}, klarer jeg ikke lenger å ivareta meg selv på en trygg måte.",
                "Eg søkjer om {tjeneste}. Etter at eg kom heim frå sjukehuset {refdato}, klarer eg ikkje lenger å ta vare på meg sjølv på ein trygg måte.",
            ),
            (
                "Min datter {forelder} har fullmakt til å ta kontakt med kommunen på mine vegne.",
                "Dotter mi {forelder} har fullmakt til å ta kontakt med kommunen på vegner av meg.",
            ),
        ],
        extra: &[
            (
                "Fastlegen min er kjent med søknaden og kan gi utfyllende opplysninger om helsetilstanden min.",
                "Fastlegen min er kjend med søknaden og kan gje utfyllande opplysningar om helsetilstanden min.",
            ),
            (
                "Jeg bor alene i andre etasje uten heis, og det er blitt vanskelig å komme seg ut og handle.",
                "Eg bur åleine i andre etasje utan heis, og det har vorte vanskeleg å kome seg ut og handle.",
            ),
        ],
        klage: false,
    },
    Template {
        kind: DocKind::Notat,
        voice: Voice::Intern,
        titles: &[
            ("Journalnotat - hjemmebesøk {soker}", "Journalnotat - heimebesøk {soker}"),
            ("Kartlegging - funksjonsvurdering {soker}", "Kartlegging - funksjonsvurdering {soker}"),
        ],
        body: &[
            (
                "Hjemmebesøk hos {soker} {dato}. Til stede var også pårørende {forelder}.",
                "Heimebesøk hos {soker} {dato}. Til stades var også pårørande {forelder}.",
            ),
            (
                "Bruker fremstår som noe redusert i allmenntilstand. Blodtrykk målt til {bt}. Legemidler er gitt i henhold til multidosepakning.",
                "Brukaren verkar noko redusert i allmenntilstand. Blodtrykk målt til {bt}. Legemiddel er gitt i samsvar med multidosepakning.",
            ),
        ],
        extra: &[
            (
                "Bruker har økende hukommelsessvikt og har flere ganger glemt å spise. Det anbefales vurdering ved hukommelsesteamet.",
                "Brukaren har aukande gløymsle og har fleire gonger gløymt å ete. Det vert tilrådd vurdering ved hukommelsesteamet.",
            ),
            (
                "Fallrisiko vurderes som høy. Ergoterapeut bestiller rullator og dusjkrakk.",
                "Fallrisiko vert vurdert som høg. Ergoterapeut bestiller rullator og dusjkrakk.",
            ),
        ],
        klage: false,
    },
    Template {
        kind: DocKind::Moetereferat,
        voice: Voice::Moete,
        titles: &[
            ("Referat fra ansvarsgruppemøte - {soker}", "Referat frå ansvarsgruppemøte - {soker}"),
            ("Referat fra samarbeidsmøte om {tjeneste}", "Referat frå samarbeidsmøte om {tjeneste}"),
        ],
        body: &[
            ("Møtedato: {moetedato}. Møtested: {sted} helsesenter.", "Møtedato: {moetedato}. Møtestad: {sted} helsesenter."),
            (
                "Til stede: {soker}, pårørende {forelder}, koordinator {saksbehandler} og fastlege {nabo}.",
                "Til stades: {soker}, pårørande {forelder}, koordinator {saksbehandler} og fastlege {nabo}.",
            ),
        ],
        extra: &[
            (
                "Sak {saknr}: Status. Tjenestene fungerer godt, men bruker ønsker besøk tidligere på morgenen.",
                "Sak {saknr}: Status. Tenestene fungerer godt, men brukaren ønskjer besøk tidlegare på morgonen.",
            ),
            (
                "Sak {saknr}: Individuell plan. Koordinator oppdaterer planen innen {frist}.",
                "Sak {saknr}: Individuell plan. Koordinator oppdaterer planen innan {frist}.",
            ),
            (
                "Sak {saknr}: Legemidler. Fastlegen gjennomgår legemiddellisten og vurderer å redusere dosen av sovemedisin.",
                "Sak {saknr}: Legemiddel. Fastlegen går gjennom legemiddellista og vurderer å redusere dosen av sovemedisin.",
            ),
        ],
        klage: false,
    },
];

const BARNEVERN: &[Template] = &[
    Template {
        kind: DocKind::Brev,
        voice: Voice::Kommune,
        titles: &[
            (
                "Bekreftelse på mottatt bekymringsmelding - {barn}",
                "Stadfesting på motteken bekymringsmelding - {barn}",
            ),
            (
                "Tilbakemelding til melder - {barn}",
                "Tilbakemelding til melder - {barn}",
            ),
        ],
        body: &[
            (
                "Barneverntjenesten bekrefter at vi {dato} mottok bekymringsmelding om {barn}, født {fodt}, fra {skole}.",
                "Barnevernstenesta stadfestar at vi {dato} fekk bekymringsmelding om {barn}, fødd {fodt}, frå {skule}.",
            ),
            (
                "Meldingen gjelder bekymring for at {barn_fornavn} over tid har kommet for sent, ofte mangler matpakke og virker sliten og innesluttet.",
                "Meldinga gjeld uro for at {barn_fornavn} over tid har kome for seint, ofte manglar matpakke og verkar sliten og innesluten.",
            ),
            (
                "Barneverntjenesten skal gjennomgå meldingen innen en uke og avgjøre om det skal settes i gang undersøkelse, jf. barnevernloven § 4-2.",
                "Barnevernstenesta skal gå gjennom meldinga innan ei veke og avgjere om det skal setjast i gang undersøking, jf. barnevernlova § 4-2.",
            ),
        ],
        extra: &[
            (
                "Foreldrene {forelder} og {forelder2} er orientert om at melding er sendt.",
                "Foreldra {forelder} og {forelder2} er orienterte om at melding er send.",
            ),
            (
                "Melder opplyser at kontaktlærer har hatt flere samtaler med {barn_fornavn}, som forteller om mye krangling hjemme.",
                "Melder opplyser at kontaktlæraren har hatt fleire samtalar med {barn_fornavn}, som fortel om mykje krangling heime.",
            ),
            (
                "Melder får ikke vite hva barneverntjenesten gjør videre i saken, fordi barneverntjenesten har taushetsplikt, jf. barnevernloven § 6-7.",
                "Melder får ikkje vite kva barnevernstenesta gjer vidare i saka, fordi barnevernstenesta har teieplikt, jf. barnevernlova § 6-7.",
            ),
        ],
        klage: false,
    },
    Template {
        kind: DocKind::Vedtak,
        voice: Voice::Kommune,
        titles: &[
            ("Vedtak om hjelpetiltak - {barn}", "Vedtak om hjelpetiltak - {barn}"),
            ("Vedtak om {bvtiltak} - {barn}", "Vedtak om {bvtiltak} - {barn}"),
        ],
        body: &[
            (
                "Barneverntjenesten har gjennomført undersøkelse etter barnevernloven § 4-3 etter bekymringsmelding mottatt {refdato}.",
                "Barnevernstenesta har gjennomført undersøking etter barnevernlova § 4-3 etter bekymringsmelding motteken {refdato}.",
            ),
            (
                "Vedtak: {barn} innvilges {bvtiltak} med hjemmel i barnevernloven § 4-4 andre ledd. Tiltaket gjelder fra {frist} og evalueres hver tredje måned.",
                "Vedtak: {barn} får innvilga {bvtiltak} med heimel i barnevernlova § 4-4 andre ledd. Tiltaket gjeld frå {frist} og vert evaluert kvar tredje månad.",
            ),
            (
                "Barneverntjenesten vurderer at tiltaket er til barnets beste, og at foreldrene {forelder} og {forelder2} vil få styrket sin omsorgsevne gjennom tiltaket.",
                "Barnevernstenesta vurderer at tiltaket er til det beste for barnet, og at foreldra {forelder} og {forelder2} vil få styrkt omsorgsevna si gjennom tiltaket.",
            ),
        ],
        extra: &[
            (
                "Det er utarbeidet tiltaksplan, jf. barnevernloven § 4-5. Planen gjennomgås med familien på neste møte.",
                "Det er utarbeidd tiltaksplan, jf. barnevernlova § 4-5. Planen vert gjennomgått med familien på neste møte.",
            ),
            (
                "{barn_fornavn} har fått informasjon om tiltaket og har fått uttale seg, jf. barnevernloven § 6-3. {barn_fornavn} var positiv til tiltaket.",
                "{barn_fornavn} har fått informasjon om tiltaket og har fått uttale seg, jf. barnevernlova § 6-3. {barn_fornavn} var positiv til tiltaket.",
            ),
            (
                "Kontaktperson i barneverntjenesten er {saksbehandler}. Neste samarbeidsmøte er satt til {frist2}.",
                "Kontaktperson i barnevernstenesta er {saksbehandler}. Neste samarbeidsmøte er sett til {frist2}.",
            ),
        ],
        klage: true,
    },
    Template {
        kind: DocKind::Notat,
        voice: Voice::Intern,
        titles: &[
            ("Samtalereferat - {barn}", "Samtalereferat - {barn}"),
            ("Undersøkelsesrapport - {barn}", "Undersøkingsrapport - {barn}"),
            (
                "Referat fra samtale med {barn}",
                "Referat frå samtale med {barn}",
            ),
        ],
        body: &[
            (
                "Samtale med {barn_fornavn} på skolen {dato}. Kontaktlærer var til stede i starten av samtalen.",
                "Samtale med {barn_fornavn} på skulen {dato}. Kontaktlæraren var til stades i starten av samtalen.",
            ),
            (
                "{barn_fornavn} fortalte at det er fint på skolen, men at det er mye bråk hjemme om kveldene. {barn_fornavn} sa at mamma ofte er trist og ligger mye.",
                "{barn_fornavn} fortalde at det er fint på skulen, men at det er mykje bråk heime om kveldane. {barn_fornavn} sa at mamma ofte er trist og ligg mykje.",
            ),
        ],
        extra: &[
            (
                "Hjemmebesøk ble gjennomført {dato} hos {forelder} i {adresse}. Boligen var ryddig, og det var mat i kjøleskapet.",
                "Heimebesøk vart gjennomført {dato} hos {forelder} i {adresse}. Bustaden var ryddig, og det var mat i kjøleskapet.",
            ),
            (
                "Barneverntjenesten vurderer at det er grunnlag for å tilby hjelpetiltak, men ikke for å gå videre med sak for fylkesnemnda.",
                "Barnevernstenesta vurderer at det er grunnlag for å tilby hjelpetiltak, men ikkje for å gå vidare med sak for fylkesnemnda.",
            ),
        ],
        klage: false,
    },
    Template {
        kind: DocKind::Moetereferat,
        voice: Voice::Moete,
        titles: &[
            ("Referat fra samarbeidsmøte - {barn}", "Referat frå samarbeidsmøte - {barn}"),
            ("Referat fra evalueringsmøte - tiltaksplan {barn}", "Referat frå evalueringsmøte - tiltaksplan {barn}"),
        ],
        body: &[
            ("Møtedato: {moetedato}. Møtested: barneverntjenestens lokaler.", "Møtedato: {moetedato}. Møtestad: lokala til barnevernstenesta."),
            (
                "Til stede: {forelder}, {forelder2}, kontaktlærer {nabo} og saksbehandler {saksbehandler}.",
                "Til stades: {forelder}, {forelder2}, kontaktlærar {nabo} og sakshandsamar {saksbehandler}.",
            ),
        ],
        extra: &[
            (
                "Sak {saknr}: Status for {barn_fornavn}. Skolen melder om bedre oppmøte og at {barn_fornavn} har fått flere venner.",
                "Sak {saknr}: Status for {barn_fornavn}. Skulen melder om betre oppmøte og at {barn_fornavn} har fått fleire vener.",
            ),
            (
                "Sak {saknr}: Evaluering av {bvtiltak}. Foreldrene opplever tiltaket som nyttig og ønsker at det fortsetter.",
                "Sak {saknr}: Evaluering av {bvtiltak}. Foreldra opplever tiltaket som nyttig og ønskjer at det held fram.",
            ),
            (
                "Sak {saknr}: Videre plan. Tiltaket videreføres i seks måneder. Nytt møte {frist}.",
                "Sak {saknr}: Vidare plan. Tiltaket held fram i seks månader. Nytt møte {frist}.",
            ),
        ],
        klage: false,
    },
];

const SOSIAL: &[Template] = &[
    Template {
        kind: DocKind::Vedtak,
        voice: Voice::Kommune,
        titles: &[
            ("Vedtak om økonomisk stønad - {soker}", "Vedtak om økonomisk stønad - {soker}"),
            (
                "Vedtak om økonomisk sosialhjelp - {soker}",
                "Vedtak om økonomisk sosialhjelp - {soker}",
            ),
            ("Vedtak om {ytelse} - {maaned}", "Vedtak om {ytelse} - {maaned}"),
        ],
        body: &[
            (
                "Vi viser til søknad om {ytelse} mottatt {refdato} og samtale med veileder {saksbehandler}.",
                "Vi viser til søknad om {ytelse} motteken {refdato} og samtale med rettleiar {saksbehandler}.",
            ),
            (
                "Vedtak: Du innvilges økonomisk stønad til livsopphold med kr {belop} for {maaned}, jf. sosialtjenesteloven § 18.",
                "Vedtak: Du får innvilga økonomisk stønad til livsopphald med kr {belop} for {maaned}, jf. sosialtenestelova § 18.",
            ),
            (
                "Stønaden er beregnet ut fra statlige veiledende retningslinjer og husstandens faktiske boutgifter. Husleie på kr {husleie} er lagt til grunn.",
                "Stønaden er rekna ut frå statlege rettleiande retningslinjer og dei faktiske buutgiftene til hushaldet. Husleige på kr {husleie} er lagd til grunn.",
            ),
        ],
        extra: &[
            (
                "Vilkår: Du skal delta i aktivitet hos NAV {kommune} tre dager i uken, jf. sosialtjenesteloven § 20 a. Dersom vilkåret ikke blir fulgt, kan stønaden bli redusert.",
                "Vilkår: Du skal delta i aktivitet hos NAV {kommune} tre dagar i veka, jf. sosialtenestelova § 20 a. Dersom vilkåret ikkje vert følgt, kan stønaden bli redusert.",
            ),
            (
                "Stønaden utbetales til kontoen din innen tre virkedager. Husleien betales direkte til utleier.",
                "Stønaden vert utbetalt til kontoen din innan tre vyrkedagar. Husleiga vert betalt direkte til utleigar.",
            ),
            (
                "Du har plikt til å gi beskjed til NAV dersom inntekten eller familiesituasjonen din endrer seg. Stønad som er utbetalt på feil grunnlag, kan kreves tilbake, jf. sosialtjenesteloven § 25.",
                "Du har plikt til å gi beskjed til NAV dersom inntekta eller familiesituasjonen din endrar seg. Stønad som er utbetalt på feil grunnlag, kan krevjast tilbake, jf. sosialtenestelova § 25.",
            ),
            (
                "Søknaden om dekning av strømregning er avslått fordi utgiften er inkludert i livsoppholdssatsen.",
                "Søknaden om dekning av straumrekning er avslått fordi utgifta er inkludert i livsopphaldssatsen.",
            ),
            (
                "Du har rett til å klage til Statsforvalteren, men klagen sendes først til NAV {kommune}, som vurderer saken på nytt.",
                "Du har rett til å klage til Statsforvaltaren, men klagen vert send først til NAV {kommune}, som vurderer saka på nytt.",
            ),
        ],
        klage: true,
    },
    Template {
        kind: DocKind::Soknad,
        voice: Voice::Innbygger,
        titles: &[
            ("Søknad om {ytelse} - {soker}", "Søknad om {ytelse} - {soker}"),
            ("Søknad om nødhjelp", "Søknad om naudhjelp"),
        ],
        body: &[
            (
                "Jeg søker om {ytelse} for {maaned}. Jeg har ikke penger til mat og husleie etter at dagpengene falt bort.",
                "Eg søkjer om {ytelse} for {maaned}. Eg har ikkje pengar til mat og husleige etter at dagpengane fall bort.",
            ),
            (
                "Kontoutskrift for de siste tre månedene og husleiekontrakt er vedlagt.",
                "Kontoutskrift for dei siste tre månadene og husleigekontrakt er lagde ved.",
            ),
        ],
        extra: &[
            (
                "Jeg bor sammen med to barn på {adresse}, og barnebidraget fra far er ikke betalt på tre måneder.",
                "Eg bur saman med to born på {adresse}, og barnebidraget frå far er ikkje betalt på tre månader.",
            ),
            (
                "Jeg har søkt jobber i butikk og på sykehjem, men har ikke fått svar ennå.",
                "Eg har søkt jobbar i butikk og på sjukeheim, men har ikkje fått svar enno.",
            ),
        ],
        klage: false,
    },
    Template {
        kind: DocKind::Notat,
        voice: Voice::Intern,
        titles: &[
            ("Samtalereferat - {soker}", "Samtalereferat - {soker}"),
            ("Kartleggingssamtale - økonomisk rådgivning {soker}", "Kartleggingssamtale - økonomisk rådgjeving {soker}"),
        ],
        body: &[
            (
                "Samtale med {soker} på NAV-kontoret {dato}. Bruker møtte til avtalt tid.",
                "Samtale med {soker} på NAV-kontoret {dato}. Brukaren møtte til avtalt tid.",
            ),
            (
                "Bruker har gjeld på om lag kr {belop} til inkassoselskaper og er to måneder på etterskudd med husleien.",
                "Brukaren har gjeld på om lag kr {belop} til inkassoselskap og er to månader på etterskot med husleiga.",
            ),
        ],
        extra: &[
            (
                "Det ble avtalt at bruker skal kontakte gjeldsrådgiver, og at NAV vurderer midlertidig dekning av husleie.",
                "Det vart avtalt at brukaren skal kontakte gjeldsrådgjevar, og at NAV vurderer mellombels dekning av husleige.",
            ),
            (
                "Bruker ønsker å komme i arbeid og er motivert for arbeidstrening. Henvises til kvalifiseringsprogrammet.",
                "Brukaren ønskjer å kome i arbeid og er motivert for arbeidstrening. Vert tilvist til kvalifiseringsprogrammet.",
            ),
        ],
        klage: false,
    },
    Template {
        kind: DocKind::Brev,
        voice: Voice::Kommune,
        titles: &[
            (
                "Etterspør dokumentasjon - {soker}",
                "Etterspør dokumentasjon - {soker}",
            ),
            ("Krav om dokumentasjon - søknad om {ytelse}", "Krav om dokumentasjon - søknad om {ytelse}"),
        ],
        body: &[
            (
                "Vi viser til søknaden din om {ytelse} mottatt {refdato}.",
                "Vi viser til søknaden din om {ytelse} motteken {refdato}.",
            ),
            (
                "For å kunne behandle søknaden trenger vi kontoutskrifter for de tre siste månedene, husleiekontrakt og oversikt over faste utgifter. Dokumentasjonen må være levert innen {frist}.",
                "For å kunne handsame søknaden treng vi kontoutskrifter for dei tre siste månadene, husleigekontrakt og oversikt over faste utgifter. Dokumentasjonen må vere levert innan {frist}.",
            ),
        ],
        extra: &[(
            "Du er velkommen til samtale med veileder {saksbehandler} {frist2} kl. 10.00 på NAV-kontoret.",
            "Du er velkomen til samtale med rettleiar {saksbehandler} {frist2} kl. 10.00 på NAV-kontoret.",
        )],
        klage: false,
    },
];

// ---------------------------------------------------------------------------
// Slot values
// ---------------------------------------------------------------------------

const FORNAVN: &[&str] = &[
    "Ole", "Kari", "Per", "Anne", "Lars", "Ingrid", "Jon", "Marit", "Knut", "Liv", "Erik",
    "Solveig", "Nils", "Astrid", "Tor", "Berit", "Arne", "Randi", "Geir", "Hilde", "Bjørn",
    "Turid", "Terje", "Gunn", "Svein", "Åse", "Øystein", "Siri", "Odd", "Grete", "Håkon", "Sigrid",
    "Jørgen", "Tone", "Magnus", "Nora", "Emil", "Sofie", "Jonas", "Emma", "Henrik", "Ida",
    "Sander", "Thea", "Mathias", "Ingvild", "Kristian", "Maja", "Eirik", "Tuva", "Ståle", "Bodil",
    "Ørjan", "Kåre", "Ragnhild", "Trond", "Unni", "Dag", "Linnea", "Aksel", "Hanne", "Sølvi",
    "Bjørg",
];

const ETTERNAVN: &[&str] = &[
    "Hansen",
    "Johansen",
    "Olsen",
    "Larsen",
    "Andersen",
    "Pedersen",
    "Nilsen",
    "Kristiansen",
    "Jensen",
    "Karlsen",
    "Johnsen",
    "Pettersen",
    "Eriksen",
    "Berg",
    "Haugen",
    "Hagen",
    "Johannessen",
    "Andreassen",
    "Jacobsen",
    "Dahl",
    "Jørgensen",
    "Halvorsen",
    "Henriksen",
    "Lund",
    "Sørensen",
    "Moen",
    "Gundersen",
    "Iversen",
    "Strand",
    "Solberg",
    "Svendsen",
    "Eide",
    "Knutsen",
    "Martinsen",
    "Paulsen",
    "Bakken",
    "Mathisen",
    "Lie",
    "Amundsen",
    "Nguyen",
    "Rasmussen",
    "Ali",
    "Lunde",
    "Solheim",
    "Berge",
    "Moe",
    "Nygård",
    "Bakke",
    "Fredriksen",
    "Holm",
    "Lien",
    "Hauge",
    "Nordby",
    "Aas",
    "Sæther",
    "Ødegård",
    "Håland",
    "Tjøstheim",
    "Økland",
    "Våge",
    "Bjørheim",
    "Ådnanes",
];

const KOMMUNER: &[&str] = &[
    "Strand",
    "Hjelmeland",
    "Suldal",
    "Sauda",
    "Tysvær",
    "Vindafjord",
    "Bømlo",
    "Stord",
    "Kvinnherad",
    "Ullensvang",
    "Sogndal",
    "Ørsta",
    "Volda",
    "Åfjord",
    "Rauma",
    "Lørenskog",
    "Nittedal",
    "Våler",
    "Gjøvik",
    "Bærum",
];

const STEDER: &[&str] = &[
    "Tau",
    "Jørpeland",
    "Fiskå",
    "Idse",
    "Tungland",
    "Heia",
    "Nordbø",
    "Sørvik",
    "Bråtveit",
    "Kvålsvik",
    "Ådland",
    "Bøen",
    "Myrvoll",
    "Strømsnes",
    "Solheim",
    "Vågen",
    "Hølen",
    "Øvre Lia",
    "Skjærvika",
    "Haugland",
    "Mæland",
    "Rossavik",
    "Kleivå",
    "Sandvik",
];

const GATER: &[&str] = &[
    "Kirkevegen",
    "Skolevegen",
    "Storgata",
    "Fjordvegen",
    "Bjørkelia",
    "Granvegen",
    "Solbakken",
    "Løvåsvegen",
    "Strandgata",
    "Prestegårdsvegen",
    "Kvernhusvegen",
    "Sjøbuvegen",
    "Hagebyvegen",
    "Furumoen",
    "Rådhusgata",
    "Bakkevegen",
    "Tjernvegen",
    "Åsbakken",
    "Øvre Kleiva",
    "Møllevegen",
    "Bøgata",
    "Lyngheia",
    "Smiebakken",
    "Kaivegen",
    "Tunvegen",
];

const TILTAK: &[Text] = &[
    ("tilbygg til bolig", "tilbygg til bustad"),
    ("enebolig med garasje", "einebustad med garasje"),
    ("carport", "carport"),
    ("fritidsbolig", "fritidsbustad"),
    ("terrasse", "terrasse"),
    (
        "bruksendring fra kjeller til boenhet",
        "bruksendring frå kjellar til bueining",
    ),
    ("riving av uthus", "riving av uthus"),
    ("naust", "naust"),
    ("støttemur", "støttemur"),
    ("tomannsbolig", "tomannsbustad"),
    ("påbygg og fasadeendring", "påbygg og fasadeendring"),
    ("garasje med bod", "garasje med bod"),
    ("flytebrygge", "flytebrygge"),
];

const FIRMA: &[&str] = &[
    "Ryfylke Bygg AS",
    "Byggmester Haugland AS",
    "Arkitektkontoret Berge & Lie AS",
    "Vestland Rør AS",
    "Nordplan AS",
    "Fjordhus AS",
    "Tømrer Økland & Sønn AS",
    "Prosjektil Arkitekter AS",
    "Bygg & Bolig AS",
];

const LAG: &[&str] = &[
    "idrettslag",
    "skolekorps",
    "pensjonistforening",
    "Røde Kors",
    "bygdekvinnelag",
    "sanitetsforening",
    "historielag",
    "sjakklubb",
    "frivilligsentral",
    "båtforening",
];

const UTVALG: &[Text] = &[
    ("Kommunestyret", "Kommunestyret"),
    ("Formannskapet", "Formannskapet"),
    ("Plan- og miljøutvalget", "Plan- og miljøutvalet"),
    (
        "Hovedutvalg for oppvekst og kultur",
        "Hovudutval for oppvekst og kultur",
    ),
    (
        "Hovedutvalg for helse og omsorg",
        "Hovudutval for helse og omsorg",
    ),
    ("Kontrollutvalget", "Kontrollutvalet"),
    ("Eldrerådet", "Eldrerådet"),
    ("Ungdomsrådet", "Ungdomsrådet"),
];

const PARTI: &[&str] = &[
    "Arbeiderpartiet",
    "Høyre",
    "Senterpartiet",
    "Fremskrittspartiet",
    "Kristelig Folkeparti",
    "Sosialistisk Venstreparti",
    "Venstre",
    "Miljøpartiet De Grønne",
    "Rødt",
];

const STILLING: &[Text] = &[
    ("lærer", "lærar"),
    ("barnehagelærer", "barnehagelærar"),
    ("sykepleier", "sjukepleiar"),
    ("helsefagarbeider", "helsefagarbeidar"),
    ("vernepleier", "vernepleiar"),
    ("konsulent", "konsulent"),
    ("rådgiver", "rådgjevar"),
    ("fagarbeider i barnehage", "fagarbeidar i barnehage"),
    ("renholder", "reinhaldar"),
    ("miljøterapeut", "miljøterapeut"),
    ("assistent i SFO", "assistent i SFO"),
    ("ingeniør i kommunalteknikk", "ingeniør i kommunalteknikk"),
];

const BARNEHAGER: &[&str] = &[
    "Solstrålen barnehage",
    "Tusenfryd barnehage",
    "Bjørnebo barnehage",
    "Kvisten barnehage",
    "Trollskogen barnehage",
    "Regnbuen barnehage",
    "Marihøna barnehage",
    "Fjellstua barnehage",
];

const TJENESTE: &[Text] = &[
    ("hjemmesykepleie", "heimesjukepleie"),
    ("praktisk bistand i hjemmet", "praktisk bistand i heimen"),
    ("trygghetsalarm", "tryggleiksalarm"),
    ("korttidsopphold i sykehjem", "korttidsopphald i sjukeheim"),
    ("langtidsplass i sykehjem", "langtidsplass i sjukeheim"),
    (
        "brukerstyrt personlig assistanse (BPA)",
        "brukarstyrt personleg assistanse (BPA)",
    ),
    ("dagaktivitetstilbud", "dagaktivitetstilbod"),
    ("avlastning", "avlasting"),
    ("omsorgsstønad", "omsorgsstønad"),
    ("matombringing", "matombringing"),
];

const BVTILTAK: &[Text] = &[
    (
        "besøkshjem én helg i måneden",
        "besøksheim éi helg i månaden",
    ),
    (
        "støttekontakt fire timer per uke",
        "støttekontakt fire timar per veke",
    ),
    ("foreldreveiledning (ICDP)", "foreldrerettleiing (ICDP)"),
    (
        "plass i fritidsklubb og leksehjelp",
        "plass i fritidsklubb og leksehjelp",
    ),
    ("miljøterapeut i hjemmet", "miljøterapeut i heimen"),
];

const YTELSE: &[Text] = &[
    (
        "økonomisk stønad til livsopphold",
        "økonomisk stønad til livsopphald",
    ),
    ("stønad til depositum", "stønad til depositum"),
    ("nødhjelp til mat", "naudhjelp til mat"),
    ("stønad til strøm", "stønad til straum"),
    ("stønad til husleie", "stønad til husleige"),
];

const MAANEDER: &[&str] = &[
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
];

/// Slots that hold a person's name; their values are reported in [`Letter::persons`].
const PERSON_SLOTS: &[&str] = &[
    "soker",
    "barn",
    "barn_fornavn",
    "forelder",
    "forelder2",
    "ansatt",
    "saksbehandler",
    "leder",
    "nabo",
    "ordforer",
    "politiker1",
    "politiker2",
    "politiker3",
    "politiker4",
    "subjekt",
    "mottaker",
    "kontakt",
];

/// Slots whose values are personal data other than names, and their kind. `adresse` is a
/// street address (the truth adds the `poststed` that follows it); `telefon` the case
/// officer's number in the contact paragraph; the others are set by [`plant`].
const PII_SLOTS: &[(&str, PiiKind)] = &[
    ("adresse", PiiKind::Adresse),
    ("telefon", PiiKind::Telefon),
    ("tlf", PiiKind::Telefon),
    ("epost", PiiKind::Epost),
    ("fnr", PiiKind::Fodselsnummer),
    ("dnr", PiiKind::DNummer),
    ("konto", PiiKind::Kontonummer),
    ("ref11", PiiKind::Lookalike),
];

/// Slots that stay fixed over the agenda items of one set of minutes.
const MEETING_SLOTS: &[&str] = &[
    "kommune",
    "domene",
    "utvalg",
    "moetedato",
    "ordforer",
    "politiker1",
    "politiker2",
    "politiker3",
    "politiker4",
    "leder",
    "saksbehandler",
    "soker",
    "barn",
    "barn_fornavn",
    "etternavn",
    "forelder",
    "forelder2",
    "nabo",
    "barnehage",
    "skole",
    "skule",
    "dato",
    "refdato",
    "ettersyn_fra",
    "frist",
    "frist2",
    "fodt",
    "aar",
    "aar_plan",
    "aar_plan_slutt",
    "maaned",
    "tertial",
    "skoleaar",
    "klokke",
    "tjeneste",
    "bvtiltak",
];

/// Bokmål/nynorsk leader and case-officer titles per class.
fn titles_for(class: LetterClass) -> (&'static [Text], &'static [Text]) {
    const LEDER: &[Text] = &[
        ("Enhetsleder", "Einingsleiar"),
        ("Avdelingsleder", "Avdelingsleiar"),
        ("Kommunalsjef", "Kommunalsjef"),
    ];
    const SB: &[Text] = &[
        ("Saksbehandler", "Sakshandsamar"),
        ("Rådgiver", "Rådgjevar"),
        ("Konsulent", "Konsulent"),
    ];
    match class {
        LetterClass::Byggesak | LetterClass::Reguleringsplan => (
            &[
                (
                    "Virksomhetsleder plan og bygg",
                    "Verksemdleiar plan og bygg",
                ),
                ("Avdelingsleder", "Avdelingsleiar"),
            ],
            &[
                ("Byggesaksbehandler", "Byggjesakshandsamar"),
                ("Arealplanlegger", "Arealplanleggjar"),
                ("Rådgiver", "Rådgjevar"),
            ],
        ),
        LetterClass::Barnehage => (
            &[("Styrer", "Styrar"), ("Barnehagesjef", "Barnehagesjef")],
            SB,
        ),
        LetterClass::Skole => (
            &[
                ("Rektor", "Rektor"),
                ("Assisterende rektor", "Assisterande rektor"),
            ],
            SB,
        ),
        LetterClass::Barnevern => (
            &[
                ("Barnevernleder", "Barnevernsleiar"),
                ("Fagleder", "Fagleiar"),
            ],
            &[
                ("Barnevernkonsulent", "Barnevernskonsulent"),
                ("Kontaktperson", "Kontaktperson"),
            ],
        ),
        LetterClass::Sosial => (
            &[
                ("NAV-leder", "NAV-leiar"),
                ("Avdelingsleder", "Avdelingsleiar"),
            ],
            &[
                ("Veileder", "Rettleiar"),
                ("Sosialkonsulent", "Sosialkonsulent"),
            ],
        ),
        LetterClass::Helse => (
            &[
                ("Leder tildelingskontoret", "Leiar tildelingskontoret"),
                (
                    "Kommunalsjef helse og omsorg",
                    "Kommunalsjef helse og omsorg",
                ),
            ],
            &[
                ("Koordinator", "Koordinator"),
                ("Saksbehandler", "Sakshandsamar"),
            ],
        ),
        LetterClass::Personal => (
            &[("Personalsjef", "Personalsjef"), ("HR-leder", "HR-leiar")],
            &[
                ("HR-rådgiver", "HR-rådgjevar"),
                ("Lønnskonsulent", "Lønskonsulent"),
            ],
        ),
        LetterClass::Okonomi => (
            &[
                ("Økonomisjef", "Økonomisjef"),
                ("Kommunalsjef", "Kommunalsjef"),
            ],
            &[
                ("Controller", "Controller"),
                ("Regnskapskonsulent", "Rekneskapskonsulent"),
            ],
        ),
        LetterClass::Politikk => (
            LEDER,
            &[
                ("Politisk sekretær", "Politisk sekretær"),
                ("Utvalgssekretær", "Utvalssekretær"),
            ],
        ),
    }
}

/// The administrative unit a letter of `class` comes from or is addressed to.
fn enhet(class: LetterClass, kommune: &str, nn: bool) -> String {
    let (nb_, nn_) = match class {
        LetterClass::Byggesak => ("Plan og bygg", "Plan og bygg"),
        LetterClass::Reguleringsplan => ("Plan og samfunnsutvikling", "Plan og samfunnsutvikling"),
        LetterClass::Barnehage | LetterClass::Skole => ("Oppvekst og kultur", "Oppvekst og kultur"),
        LetterClass::Personal => ("Personal og organisasjon", "Personal og organisasjon"),
        LetterClass::Okonomi => ("Økonomiavdelingen", "Økonomiavdelinga"),
        LetterClass::Politikk => ("Politisk sekretariat", "Politisk sekretariat"),
        LetterClass::Helse => (
            "Tildelingskontoret for helse og omsorg",
            "Tildelingskontoret for helse og omsorg",
        ),
        LetterClass::Barnevern => ("Barneverntjenesten", "Barnevernstenesta"),
        LetterClass::Sosial => return format!("NAV {kommune}"),
    };
    (if nn { nn_ } else { nb_ }).to_string()
}

/// `dd.mm.yyyy`, the usual date form in Norwegian letters.
fn dmy(d: Date) -> String {
    format!("{:02}.{:02}.{}", d.day, d.month, d.year)
}

/// Thousands separated by a space, as in "kr 12 450".
fn kroner(n: u32) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(ch);
    }
    out
}

/// Lower-case ASCII form of a municipality name for an e-mail domain.
fn domain(kommune: &str) -> String {
    kommune
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            'æ' => Some('a'),
            'ø' => Some('o'),
            'å' => Some('a'),
            ' ' => Some('-'),
            c if c.is_ascii_alphanumeric() || c == '-' => Some(c),
            _ => None,
        })
        .collect()
}

/// Slot values of one letter plus the persons mentioned so far.
struct Ctx {
    nn: bool,
    class: LetterClass,
    slots: Vec<(&'static str, String)>,
    persons: Vec<String>,
    /// Personal data written so far (slot values of [`PII_SLOTS`]), without duplicates.
    found: Vec<(PiiKind, String)>,
    /// `poststed` values written so far: an address followed by one is one address.
    poststeder: Vec<String>,
}

impl Ctx {
    fn new(class: LetterClass, nn: bool, rng: &mut Rng) -> Self {
        Ctx {
            nn,
            class,
            slots: make_slots(class, nn, rng),
            persons: Vec::new(),
            found: Vec::new(),
            poststeder: Vec::new(),
        }
    }

    /// New case details for the next agenda item of a set of minutes,
    /// keeping the meeting itself (committee, date, attendees) fixed.
    fn reroll(&mut self, rng: &mut Rng, saknr: u32) {
        let fresh = make_slots(self.class, self.nn, rng);
        let yy = self
            .get("aar")
            .map_or(0, |a| a.parse::<u32>().unwrap_or(0) % 100);
        for (k, v) in fresh {
            if !MEETING_SLOTS.contains(&k) {
                self.set(k, v);
            }
        }
        self.set("saknr", format!("{saknr}/{yy:02}"));
    }

    fn get(&self, key: &str) -> Option<&str> {
        self.slots
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_str())
    }

    fn set(&mut self, key: &'static str, value: String) {
        match self.slots.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.slots.push((key, value)),
        }
    }

    /// The bokmål or nynorsk form of `t` with every `{slot}` filled in.
    /// An unknown slot is left as written so a template typo shows in tests.
    fn fill(&mut self, t: &Text) -> String {
        let src = if self.nn { t.1 } else { t.0 };
        let mut out = String::with_capacity(src.len() + 32);
        let mut rest = src;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                out.push_str(&rest[open..]);
                return out;
            };
            let key = &after[..close];
            match self.get(key).map(str::to_string) {
                Some(v) => {
                    if PERSON_SLOTS.contains(&key) && !self.persons.contains(&v) {
                        self.persons.push(v.clone());
                    }
                    if let Some(&(_, kind)) = PII_SLOTS.iter().find(|(k, _)| *k == key) {
                        if !self.found.iter().any(|(k, x)| *k == kind && *x == v) {
                            self.found.push((kind, v.clone()));
                        }
                    } else if key == "poststed" && !self.poststeder.contains(&v) {
                        self.poststeder.push(v.clone());
                    }
                    out.push_str(&v);
                }
                None => out.push_str(&rest[open..open + close + 2]),
            }
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        out
    }
}

fn make_slots(class: LetterClass, nn: bool, rng: &mut Rng) -> Vec<(&'static str, String)> {
    let pick = |rng: &mut Rng, list: &[Text]| {
        let t = rng.choose(list);
        (if nn { t.1 } else { t.0 }).to_string()
    };
    let name = |rng: &mut Rng| format!("{} {}", rng.choose(FORNAVN), rng.choose(ETTERNAVN));

    let kommune = *rng.choose(KOMMUNER);
    let sted = *rng.choose(STEDER);
    let gate = *rng.choose(GATER);
    let husnr = rng.range(1, 120);
    let adresse = if rng.chance(0.2) {
        format!("{gate} {husnr} {}", rng.choose(&["A", "B", "C"]))
    } else {
        format!("{gate} {husnr}")
    };
    let start = Date::new(2008, 1, 1).to_days();
    let dato = Date::from_days(start + rng.below(17 * 365) as i64);
    let refdato = dato.add_days(-(rng.range(5, 90) as i64));
    let frist = dato.add_days(rng.range(14, 60) as i64);
    let frist2 = frist.add_days(rng.range(30, 300) as i64);
    let fodt = dato.add_days(-(rng.range(3 * 365, 16 * 365) as i64));
    let year = i64::from(dato.year);
    let etternavn = *rng.choose(ETTERNAVN);
    let barn_fornavn = *rng.choose(FORNAVN);
    let plan = match rng.below(4) {
        0 => format!("{sted} sentrum"),
        1 if nn => format!("{sted} bustadfelt"),
        1 => format!("{sted} boligfelt"),
        2 => format!("{gate}, felt B{}", rng.range(1, 9)),
        _ => format!("{sted} næringsområde"),
    };
    let (leder_titler, sb_titler) = titles_for(class);
    let belop = match class {
        LetterClass::Sosial => rng.range(20, 180) * 50,
        LetterClass::Okonomi | LetterClass::Politikk => rng.range(10, 500) * 1000,
        LetterClass::Barnehage => rng.range(250, 700) * 1000,
        _ => rng.range(5, 400) * 100,
    };
    let makspris = rng.choose(&["1 315", "2 330", "2 580", "3 050", "3 315"]);
    let klokke = format!("{}.{:02}", rng.range(19, 22), rng.range(0, 3) * 15);
    let stemmer_for = rng.range(14, 25);
    let stemmer_mot = rng.range(2, 13);
    let maaned = format!("{} {}", rng.choose(MAANEDER), dato.year);
    let skoleaar = if dato.month >= 8 {
        format!("{}/{}", year, year + 1)
    } else {
        format!("{}/{}", year - 1, year)
    };
    let arbeidssted = match rng.below(4) {
        0 if nn => format!("{sted} skule"),
        0 => format!("{sted} skole"),
        1 if nn => format!("{sted} sjukeheim"),
        1 => format!("{sted} sykehjem"),
        2 if nn => format!("heimetenesta {sted}"),
        2 => format!("hjemmetjenesten {sted}"),
        _ => rng.choose(BARNEHAGER).to_string(),
    };
    let lag = format!("{sted} {}", rng.choose(LAG));

    vec![
        ("kommune", kommune.to_string()),
        ("domene", domain(kommune)),
        ("sted", sted.to_string()),
        ("gate", gate.to_string()),
        ("adresse", adresse),
        ("poststed", format!("{:04} {sted}", rng.range(1000, 9990))),
        ("gnr", rng.range(1, 120).to_string()),
        ("bnr", rng.range(1, 900).to_string()),
        ("bnr2", rng.range(1, 900).to_string()),
        ("dato", dmy(dato)),
        ("refdato", dmy(refdato)),
        ("ettersyn_fra", dmy(refdato.add_days(-42))),
        ("frist", dmy(frist)),
        ("frist2", dmy(frist2)),
        ("moetedato", dmy(dato)),
        ("fodt", dmy(fodt)),
        ("aar", dato.year.to_string()),
        ("aar_plan", (year - i64::from(rng.range(1, 6))).to_string()),
        (
            "aar_plan_slutt",
            (year + i64::from(rng.range(3, 12))).to_string(),
        ),
        ("maaned", maaned),
        ("tertial", rng.range(1, 2).to_string()),
        ("skoleaar", skoleaar),
        ("klassetrinn", rng.range(1, 10).to_string()),
        (
            "saksnr",
            format!("{:02}/{}", dato.year % 100, rng.range(100, 4999)),
        ),
        (
            "saknr",
            format!("{}/{:02}", rng.range(1, 120), dato.year % 100),
        ),
        (
            "planid",
            format!(
                "{}{:03}",
                year - i64::from(rng.range(0, 3)),
                rng.range(1, 30)
            ),
        ),
        ("fakturanr", rng.range(1_000_000, 9_999_999).to_string()),
        (
            "telefon",
            format!(
                "{} {:02} {:02} {:02}",
                rng.range(40, 99),
                rng.range(0, 99),
                rng.range(0, 99),
                rng.range(0, 99)
            ),
        ),
        ("belop", kroner(belop)),
        ("gebyr", kroner(rng.range(40, 700) * 50)),
        ("lonn", kroner(rng.range(460, 780) * 1000)),
        ("husleie", kroner(rng.range(45, 130) * 100)),
        ("makspris", makspris.to_string()),
        ("areal", rng.range(12, 260).to_string()),
        ("dekar", rng.range(4, 120).to_string()),
        ("antall", rng.range(6, 80).to_string()),
        ("antall_merknader", rng.range(2, 25).to_string()),
        ("meter", rng.range(4, 12).to_string()),
        ("timer", rng.range(2, 20).to_string()),
        (
            "stillingspst",
            rng.choose(&["100", "100", "80", "60", "50", "20"])
                .to_string(),
        ),
        ("stemmer_for", stemmer_for.to_string()),
        ("stemmer_mot", stemmer_mot.to_string()),
        ("klokke", klokke),
        (
            "bt",
            format!("{}/{}", rng.range(110, 170), rng.range(65, 100)),
        ),
        ("soker", name(rng)),
        ("barn", format!("{barn_fornavn} {etternavn}")),
        ("barn_fornavn", barn_fornavn.to_string()),
        ("etternavn", etternavn.to_string()),
        ("forelder", format!("{} {etternavn}", rng.choose(FORNAVN))),
        ("forelder2", name(rng)),
        ("ansatt", name(rng)),
        ("saksbehandler", name(rng)),
        ("leder", name(rng)),
        ("nabo", name(rng)),
        ("ordforer", name(rng)),
        ("politiker1", name(rng)),
        ("politiker2", name(rng)),
        ("politiker3", name(rng)),
        ("politiker4", name(rng)),
        ("leder_tittel", pick(rng, leder_titler)),
        ("sb_tittel", pick(rng, sb_titler)),
        ("enhet", enhet(class, kommune, nn)),
        ("tiltak", pick(rng, TILTAK)),
        ("plan", plan),
        ("firma", rng.choose(FIRMA).to_string()),
        ("lag", lag),
        ("parti", rng.choose(PARTI).to_string()),
        ("utvalg", pick(rng, UTVALG)),
        ("stilling", pick(rng, STILLING)),
        ("arbeidssted", arbeidssted),
        ("barnehage", rng.choose(BARNEHAGER).to_string()),
        ("skole", format!("{sted} skole")),
        (
            "skule",
            format!("{sted} {}", if nn { "skule" } else { "skole" }),
        ),
        ("tjeneste", pick(rng, TJENESTE)),
        ("bvtiltak", pick(rng, BVTILTAK)),
        ("ytelse", pick(rng, YTELSE)),
    ]
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    fn samples(class: LetterClass, seed: u64, n: usize) -> Vec<Letter> {
        let mut rng = Rng::new(seed);
        (0..n).map(|_| letter(class, &mut rng)).collect()
    }

    #[test]
    fn same_seed_same_text() {
        for class in LetterClass::ALL {
            assert_eq!(samples(class, 42, 20), samples(class, 42, 20));
            assert_ne!(samples(class, 42, 5), samples(class, 43, 5));
        }
    }

    #[test]
    fn every_class_gives_complete_norwegian_text() {
        for class in LetterClass::ALL {
            let letters = samples(class, 1000 + class as u64, 50);
            let mut all = String::new();
            for l in &letters {
                assert!(!l.title.trim().is_empty(), "{class:?}: empty title");
                assert!(!l.paragraphs.is_empty(), "{class:?}: no paragraphs");
                assert!(l.paragraphs.iter().all(|p| !p.trim().is_empty()));
                let text = l.text();
                // Every slot must be filled: a leftover `{` is a template typo.
                assert!(
                    !text.contains('{') && !l.title.contains('{'),
                    "{class:?}: unfilled slot in {:?} / {text}",
                    l.title
                );
                for p in &l.persons {
                    assert!(
                        text.contains(p.as_str())
                            || l.title.to_uppercase().contains(&p.to_uppercase()),
                        "{class:?}: person {p} not in text"
                    );
                }
                all.push_str(&l.title);
                all.push_str(&text);
            }
            for ch in ['æ', 'ø', 'å'] {
                assert!(all.contains(ch), "{class:?}: no {ch} in 50 letters");
            }
        }
    }

    #[test]
    fn nynorsk_share_and_lengths_vary() {
        let mut nynorsk = 0;
        let mut marked = 0;
        let mut total = 0;
        let mut lens = Vec::new();
        // Words that occur only in nynorsk; a few very short notes may
        // happen to contain none, hence the 90 % bound below.
        let markers = [
            "ikkje", "helsing", "frå", "vert ", "vart ", "stades", "heim", "eg ", "eit ",
        ];
        for class in LetterClass::ALL {
            for l in samples(class, 7, 100) {
                total += 1;
                let t = l.text().to_lowercase();
                if l.nynorsk {
                    nynorsk += 1;
                    marked += usize::from(markers.iter().any(|w| t.contains(w)));
                } else {
                    assert!(!t.contains("ikkje") && !t.contains("helsing"), "{t}");
                }
                lens.push(t.split_whitespace().count());
            }
        }
        // About 15 %; generous bounds keep the test robust to template changes.
        assert!(
            (60..=260).contains(&nynorsk),
            "{nynorsk} of {total} nynorsk"
        );
        assert!(
            marked * 10 >= nynorsk * 9,
            "{marked} of {nynorsk} look nynorsk"
        );
        let min = lens.iter().copied().min().unwrap_or(0);
        let max = lens.iter().copied().max().unwrap_or(0);
        assert!(min <= 40, "shortest letter has {min} words");
        assert!(max >= 400, "longest letter has {max} words");
    }

    #[test]
    fn boilerplate_and_persons() {
        let mut seen = [false; 4];
        for class in LetterClass::ALL {
            for l in samples(class, 99, 60) {
                let t = l.text();
                seen[0] |= t.contains("Vi viser til");
                seen[1] |= t.contains("Med vennlig hilsen");
                seen[2] |= t.contains("Du kan klage på vedtaket");
                seen[3] |=
                    t.contains("Dokumentet er elektronisk godkjent og har derfor ingen signatur");
                assert!(!l.persons.is_empty(), "{class:?}: no person in {t}");
            }
        }
        assert_eq!(seen, [true; 4]);
    }

    #[test]
    fn planted_personal_data_is_where_the_truth_says() {
        let mut counts = std::collections::BTreeMap::new();
        for class in LetterClass::ALL {
            for l in samples(class, 500 + class as u64, 300) {
                let chars: Vec<char> = l.canonical_text().chars().collect();
                let mut last_end = 0;
                for p in &l.pii {
                    assert!(p.start >= last_end && p.start < p.end, "{p:?} overlaps");
                    let at: String = chars[p.start..p.end].iter().collect();
                    assert_eq!(at, p.value, "{class:?}: span of {p:?}");
                    last_end = p.end;
                    *counts.entry(p.kind).or_insert(0usize) += 1;
                    match p.kind {
                        PiiKind::Fodselsnummer | PiiKind::DNummer => {
                            assert!(personal::passes_fnr_check(&p.value), "{p:?}");
                            let day: u32 = p.value[..2].parse().unwrap();
                            assert_eq!(day > 40, p.kind == PiiKind::DNummer, "{p:?}");
                        }
                        PiiKind::Lookalike => {
                            assert!(!personal::passes_fnr_check(&p.value), "{p:?}")
                        }
                        PiiKind::Kontonummer => {
                            assert!(personal::passes_konto_check(&p.value), "{p:?}")
                        }
                        PiiKind::Epost => assert!(
                            p.value.ends_with("@example.no") || p.value.ends_with("@eksempel.no"),
                            "{p:?}"
                        ),
                        PiiKind::Navn | PiiKind::Adresse | PiiKind::Telefon => {}
                    }
                }
                for person in &l.persons {
                    let upper = person.to_uppercase();
                    assert!(
                        l.pii
                            .iter()
                            .any(|p| p.kind == PiiKind::Navn
                                && (p.value == *person || p.value == upper)),
                        "{class:?}: {person} not in the truth"
                    );
                }
                if class == LetterClass::Politikk && l.kind == DocKind::Moetereferat {
                    assert!(l.pii.iter().all(|p| matches!(
                        p.kind,
                        PiiKind::Navn | PiiKind::Adresse | PiiKind::Lookalike
                    )));
                }
                let sensitive = matches!(
                    class,
                    LetterClass::Helse | LetterClass::Barnevern | LetterClass::Sosial
                );
                let disclosing = l
                    .paragraphs
                    .iter()
                    .any(|p| DISCLOSES_HEALTH.iter().any(|s| p.starts_with(s)));
                if sensitive {
                    assert!(!l.categories.is_empty());
                } else if class != LetterClass::Personal {
                    // Outside the client services, only a paragraph that discloses health.
                    assert_eq!(l.categories.is_empty(), !disclosing, "{class:?}");
                    assert!(l.categories.iter().all(|c| *c == "helse"));
                }
            }
        }
        for kind in PiiKind::ALL {
            assert!(counts.get(&kind).copied().unwrap_or(0) >= 10, "{counts:?}");
        }
    }

    #[test]
    fn class_metadata() {
        let mut codes: Vec<_> = LetterClass::ALL.iter().map(|c| c.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), LetterClass::ALL.len());
        for c in LetterClass::ALL {
            assert!(!c.title().is_empty() && !c.series().is_empty());
            let (vedtak, years) = c.retention();
            assert!(vedtak == "Bevares" || vedtak == "Kasseres");
            assert!(years >= 0);
        }
        assert_eq!(
            LetterClass::Barnevern.screening(),
            Some(("13", "Offl. § 13 jf. fvl. § 13"))
        );
        assert_eq!(
            LetterClass::Personal.screening(),
            Some(("25", "Offl. § 25"))
        );
        assert_eq!(LetterClass::Byggesak.screening(), None);
        assert_eq!(DocKind::Soknad.as_str(), "Søknad");
        assert_eq!(kroner(1234567), "1 234 567");
        assert_eq!(kroner(950), "950");
        assert_eq!(domain("Bømlo"), "bomlo");
        assert_eq!(domain("Nordre Follo"), "nordre-follo");
    }
}
