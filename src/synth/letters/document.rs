//! A generated document ([`Letter`]) and the personal data planted in it ([`Pii`]).

use super::class::DocKind;

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
