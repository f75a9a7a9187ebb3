//! The letter texts, as data: the TOML files under `src/synth/templates/`, compiled into the
//! binary with `include_str!` and parsed once, on first use.
//!
//! # Format
//!
//! Every text has a bokmål and a nynorsk form, written as a table `nb = "…"` + `nn = "…"`, or
//! `both = "…"` where the two are the same. `{slot}` marks are filled with the letter's values
//! (`slots.rs` makes them: `{soker}`, `{adresse}`, `{dato}`, `{gnr}`, …); an unknown slot is
//! left as written, so a typo shows in the tests. The order of every list is part of the
//! output: the generator draws from the lists by position, so reordering, adding or removing
//! an entry changes every export made from a seed (which is fine, but then it is a new
//! generator, and the bundled sample has to be regenerated).
//!
//! * `<class>.toml` (one per [`LetterClass`]): `unit` (the administrative unit, `{enhet}`;
//!   `{kommune}` is the only slot it may use), `leader_titles` and `officer_titles` (for the
//!   signature), then the `[[template]]`s: `kind` (`brev`, `vedtak`, `soknad`,
//!   `moetereferat`, `notat`), `voice` (who writes: `kommune`, `innbygger`, `intern`,
//!   `moete`), `klage` (whether the appeal paragraph belongs to it), one or more
//!   `[[template.title]]`, the `[[template.body]]` paragraphs (always written, in order; a
//!   short letter keeps only the first) and the `[[template.extra]]` paragraphs (drawn to
//!   vary the length; for minutes, the agenda items).
//! * `letter_parts.toml`: the header and closing lines every letter of a voice has.
//! * `shared_paragraphs.toml`: optional paragraphs shared by related classes, and the general
//!   ones any outgoing municipal letter may carry.
//! * `personal_data.toml`: the phrases that carry planted personal data.
//! * `vocabulary.toml`: the values slots are drawn from (names, places, measures, …).

use std::sync::LazyLock;

use serde::Deserialize;

use super::class::{DocKind, LetterClass};

/// A text in bokmål and nynorsk; `{slot}` marks are filled from the letter's slot values.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "RawText")]
pub(super) struct Text {
    /// Bokmål.
    pub nb: String,
    /// Nynorsk.
    pub nn: String,
}

impl Text {
    /// The nynorsk form if `nynorsk`, else the bokmål one.
    pub fn form(&self, nynorsk: bool) -> &str {
        if nynorsk {
            &self.nn
        } else {
            &self.nb
        }
    }
}

/// A [`Text`] as written in the files: `nb` + `nn`, or `both`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawText {
    both: Option<String>,
    nb: Option<String>,
    nn: Option<String>,
}

impl TryFrom<RawText> for Text {
    type Error = String;

    fn try_from(raw: RawText) -> Result<Self, String> {
        match raw {
            RawText {
                both: Some(both),
                nb: None,
                nn: None,
            } => Ok(Text {
                nb: both.clone(),
                nn: both,
            }),
            RawText {
                both: None,
                nb: Some(nb),
                nn: Some(nn),
            } => Ok(Text { nb, nn }),
            RawText { both, nb, .. } => Err(format!(
                "a text needs `nb` and `nn`, or `both` alone (got {:?})",
                both.or(nb).unwrap_or_default()
            )),
        }
    }
}

/// Who writes the document; decides header and signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum Voice {
    /// Outgoing letter or decision from the municipality.
    Kommune,
    /// Incoming letter or application from a citizen.
    Innbygger,
    /// Internal memo.
    Intern,
    /// Minutes; `extra` holds the agenda items.
    Moete,
}

/// One kind of document of a class.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Template {
    /// The kind of document.
    pub kind: DocKind,
    /// Who writes it.
    pub voice: Voice,
    /// Whether an appeal paragraph belongs to it (individual decisions).
    pub klage: bool,
    /// One is chosen as the journal title.
    #[serde(rename = "title")]
    pub titles: Vec<Text>,
    /// Always written, in order (a short letter keeps only the first).
    #[serde(default)]
    pub body: Vec<Text>,
    /// Optional paragraphs drawn to vary length (agenda items for minutes).
    #[serde(default)]
    pub extra: Vec<Text>,
}

/// The texts of one [`LetterClass`] (`<class>.toml`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ClassTexts {
    /// The administrative unit a letter of the class comes from or is addressed to
    /// (`{enhet}`); `{kommune}` stands for the municipality's name.
    pub unit: Text,
    /// Titles of the unit's leader (`{leder_tittel}`).
    pub leader_titles: Vec<Text>,
    /// Titles of the case officer (`{sb_tittel}`).
    pub officer_titles: Vec<Text>,
    /// The kinds of documents of the class.
    #[serde(rename = "template")]
    pub templates: Vec<Template>,
}

/// Header and closing lines (`letter_parts.toml`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LetterParts {
    /// A citizen's own address block, at the top of a letter to the municipality.
    pub soker_adr: Vec<Text>,
    /// The municipality's address and the place and date, after [`LetterParts::soker_adr`].
    pub til_kommune: Vec<Text>,
    /// The head of an internal memo.
    pub notat_head: Vec<Text>,
    /// The heading before the assessment of a long letter.
    pub vurdering: Text,
    /// The appeal paragraph of an individual decision.
    pub klage: Text,
    /// Sometimes after [`LetterParts::klage`]: how the deadline is counted.
    pub klagefrist: Text,
    /// The contact paragraph of a municipal letter.
    pub kontakt: Text,
    /// The greeting.
    pub hilsen: Text,
    /// The signature block of a municipal letter.
    pub signatur: Vec<Text>,
    /// The signature of a short municipal letter and of a memo.
    pub signatur_kort: Text,
    /// "Approved electronically, so no signature".
    pub egodkjent: Text,
    /// Copy to a neighbour.
    pub kopi: Text,
    /// A citizen's signature.
    pub soker_signatur: Text,
    /// A citizen's list of attachments.
    pub vedlegg: Text,
    /// The end of minutes.
    pub moete_end: Vec<Text>,
    /// The recipient's address block of a municipal letter to a person.
    pub mottaker_adr: Vec<Text>,
}

/// Optional paragraphs beyond one class's own (`shared_paragraphs.toml`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SharedParagraphs {
    /// Any outgoing municipal letter may carry these.
    pub general: Vec<Text>,
    /// Building cases and zoning plans.
    pub plan_bygg: Vec<Text>,
    /// Kindergarten and school.
    pub oppvekst: Vec<Text>,
    /// The three client services (health, child welfare, social assistance).
    pub klient: Vec<Text>,
}

/// Phrases that carry planted personal data (`personal_data.toml`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PersonalPhrases {
    /// A fødselsnummer of the person a municipal document is about.
    pub fnr_about: Vec<Text>,
    /// A D-nummer of the person a municipal document is about.
    pub dnr_about: Vec<Text>,
    /// A citizen's own fødselsnummer.
    pub fnr_own: Vec<Text>,
    /// A citizen's own D-nummer.
    pub dnr_own: Vec<Text>,
    /// A parent writing their child's fødselsnummer.
    pub fnr_child: Vec<Text>,
    /// A parent writing their child's D-nummer.
    pub dnr_child: Vec<Text>,
    /// A phone number in a citizen's address block.
    pub tlf_head: Vec<Text>,
    /// An e-mail address in a citizen's address block.
    pub epost_head: Text,
    /// A citizen's phone number in the text.
    pub tlf_own: Text,
    /// A citizen's e-mail address in the text.
    pub epost_own: Text,
    /// The municipality tried to phone the recipient.
    pub tlf_kommune: Text,
    /// The municipality refers to an e-mail from the person.
    pub epost_kommune: Text,
    /// A contact person's phone number in a memo or minutes.
    pub tlf_kontakt: Text,
    /// A meeting notice asking for absences to the secretary.
    pub forfall: Text,
    /// A payment to the person's account.
    pub konto_ut: Vec<Text>,
    /// A citizen's own account for a payment.
    pub konto_soker: Vec<Text>,
    /// An employee's salary account.
    pub konto_lonn: Text,
    /// An 11-digit reference that only looks like a fødselsnummer.
    pub ref_general: Vec<Text>,
    /// The same in an economic document (KID, invoice number).
    pub ref_okonomi: Vec<Text>,
}

/// The values slots are drawn from (`vocabulary.toml`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Vocabulary {
    /// First names.
    pub fornavn: Vec<String>,
    /// Surnames.
    pub etternavn: Vec<String>,
    /// Municipalities.
    pub kommuner: Vec<String>,
    /// Places.
    pub steder: Vec<String>,
    /// Streets.
    pub gater: Vec<String>,
    /// Firms (building contractors, architects).
    pub firma: Vec<String>,
    /// Local clubs and associations (after a place name).
    pub lag: Vec<String>,
    /// Political parties.
    pub parti: Vec<String>,
    /// Kindergartens.
    pub barnehager: Vec<String>,
    /// Month names.
    pub maaneder: Vec<String>,
    /// Building works.
    pub tiltak: Vec<Text>,
    /// Political bodies.
    pub utvalg: Vec<Text>,
    /// Positions.
    pub stilling: Vec<Text>,
    /// Health and care services.
    pub tjeneste: Vec<Text>,
    /// Child welfare measures.
    pub bvtiltak: Vec<Text>,
    /// Social assistance benefits.
    pub ytelse: Vec<Text>,
}

/// Parses one embedded file; a broken file is a programming error, caught by the tests.
fn parse<T: for<'de> Deserialize<'de>>(name: &str, text: &str) -> T {
    match toml::from_str(text) {
        Ok(v) => v,
        Err(e) => panic!("src/synth/templates/{name}: {e}"),
    }
}

/// The files of the classes, in the order of [`LetterClass::ALL`].
const CLASS_FILES: [(&str, &str); 10] = [
    ("byggesak.toml", include_str!("../templates/byggesak.toml")),
    (
        "reguleringsplan.toml",
        include_str!("../templates/reguleringsplan.toml"),
    ),
    (
        "barnehage.toml",
        include_str!("../templates/barnehage.toml"),
    ),
    ("skole.toml", include_str!("../templates/skole.toml")),
    ("personal.toml", include_str!("../templates/personal.toml")),
    ("okonomi.toml", include_str!("../templates/okonomi.toml")),
    ("politikk.toml", include_str!("../templates/politikk.toml")),
    ("helse.toml", include_str!("../templates/helse.toml")),
    (
        "barnevern.toml",
        include_str!("../templates/barnevern.toml"),
    ),
    ("sosial.toml", include_str!("../templates/sosial.toml")),
];

static CLASSES: LazyLock<Vec<ClassTexts>> = LazyLock::new(|| {
    CLASS_FILES
        .iter()
        .map(|(name, text)| {
            let class: ClassTexts = parse(name, text);
            let empty = class.templates.is_empty()
                || class.leader_titles.is_empty()
                || class.officer_titles.is_empty()
                || class.templates.iter().any(|t| t.titles.is_empty());
            assert!(
                !empty,
                "src/synth/templates/{name}: every class needs templates, leader and officer \
                 titles, and every template a title"
            );
            class
        })
        .collect()
});

static LETTER_PARTS: LazyLock<LetterParts> = LazyLock::new(|| {
    parse(
        "letter_parts.toml",
        include_str!("../templates/letter_parts.toml"),
    )
});

static SHARED: LazyLock<SharedParagraphs> = LazyLock::new(|| {
    parse(
        "shared_paragraphs.toml",
        include_str!("../templates/shared_paragraphs.toml"),
    )
});

static PERSONAL: LazyLock<PersonalPhrases> = LazyLock::new(|| {
    parse(
        "personal_data.toml",
        include_str!("../templates/personal_data.toml"),
    )
});

static VOCABULARY: LazyLock<Vocabulary> = LazyLock::new(|| {
    parse(
        "vocabulary.toml",
        include_str!("../templates/vocabulary.toml"),
    )
});

/// The texts of `class`.
pub(super) fn class_texts(class: LetterClass) -> &'static ClassTexts {
    // The variants are declared in the order of `LetterClass::ALL`, as the files are.
    &CLASSES[class as usize]
}

/// Header and closing lines.
pub(super) fn letter_parts() -> &'static LetterParts {
    &LETTER_PARTS
}

/// The optional paragraphs `class` shares with related classes (none for personnel,
/// finance and politics).
pub(super) fn shared_paragraphs(class: LetterClass) -> &'static [Text] {
    match class {
        LetterClass::Byggesak | LetterClass::Reguleringsplan => &SHARED.plan_bygg,
        LetterClass::Barnehage | LetterClass::Skole => &SHARED.oppvekst,
        LetterClass::Helse | LetterClass::Barnevern | LetterClass::Sosial => &SHARED.klient,
        LetterClass::Personal | LetterClass::Okonomi | LetterClass::Politikk => &[],
    }
}

/// Optional paragraphs any outgoing municipal letter may carry.
pub(super) fn general_paragraphs() -> &'static [Text] {
    &SHARED.general
}

/// Phrases that carry planted personal data.
pub(super) fn personal_phrases() -> &'static PersonalPhrases {
    &PERSONAL
}

/// The values slots are drawn from.
pub(super) fn vocabulary() -> &'static Vocabulary {
    &VOCABULARY
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file parses, every class has its templates, and no list the generator draws
    /// from is empty.
    #[test]
    fn every_file_parses() {
        for class in LetterClass::ALL {
            let texts = class_texts(class);
            assert!(!texts.templates.is_empty(), "{class:?}");
        }
        let parts = letter_parts();
        assert!(!parts.signatur.is_empty() && !parts.moete_end.is_empty());
        assert!(!general_paragraphs().is_empty());
        let p = personal_phrases();
        for list in [
            &p.fnr_about,
            &p.dnr_about,
            &p.fnr_own,
            &p.dnr_own,
            &p.fnr_child,
            &p.dnr_child,
            &p.tlf_head,
            &p.konto_ut,
            &p.konto_soker,
            &p.ref_general,
            &p.ref_okonomi,
        ] {
            assert!(!list.is_empty());
        }
        let v = vocabulary();
        for list in [
            &v.fornavn,
            &v.etternavn,
            &v.kommuner,
            &v.steder,
            &v.gater,
            &v.firma,
            &v.lag,
            &v.parti,
            &v.barnehager,
        ] {
            assert!(!list.is_empty());
        }
        assert_eq!(v.maaneder.len(), 12);
        for list in [
            &v.tiltak,
            &v.utvalg,
            &v.stilling,
            &v.tjeneste,
            &v.bvtiltak,
            &v.ytelse,
        ] {
            assert!(!list.is_empty());
        }
    }

    #[test]
    fn a_text_is_nb_and_nn_or_both() {
        let t: Text = toml::from_str("both = \"Notat\"").expect("both");
        assert_eq!((t.form(false), t.form(true)), ("Notat", "Notat"));
        let t: Text = toml::from_str("nb = \"hilsen\"\nnn = \"helsing\"").expect("nb + nn");
        assert_eq!((t.form(false), t.form(true)), ("hilsen", "helsing"));
        for bad in [
            "nb = \"x\"",
            "both = \"x\"\nnn = \"y\"",
            "nb = \"x\"\nnynorsk = \"y\"",
        ] {
            assert!(toml::from_str::<Text>(bad).is_err(), "{bad}");
        }
    }
}
