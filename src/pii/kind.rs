//! What the detectors report: the kinds of personal data ([`PiiKind`]) and one piece of it
//! found in a text ([`Finding`]).

use std::fmt;

/// What a [`Finding`] is. The first group are values that identify a person (or, for
/// [`PiiKind::Organisasjonsnummer`], an organisation); the last eight are the special
/// categories, reported per matching word and summed up per document by
/// [`categories`](super::categories).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PiiKind {
    /// Fødselsnummer: birth date, individnummer and two mod-11 check digits.
    Fodselsnummer,
    /// D-nummer: a fødselsnummer whose day is raised by 40 (people without a Norwegian birth
    /// registration).
    DNummer,
    /// H-nummer: a help number from the health services; the month is raised by 40.
    HNummer,
    /// Synthetic test number (Skatteetaten's Tenor test data): the month is raised by 80.
    SyntheticNummer,
    /// Bank account number: 11 digits with one mod-11 check digit.
    Kontonummer,
    /// Organisation number from Enhetsregisteret: 9 digits, mod-11. Public, so not masked.
    Organisasjonsnummer,
    /// Norwegian telephone number (8 digits, optionally with +47 / 0047).
    Telefon,
    /// E-mail address.
    Epost,
    /// Postal address: street and number, and/or postnummer and poststed.
    Adresse,
    /// Name of a person.
    Navn,
    /// Health information (art. 9).
    Helse,
    /// Child welfare (barnevern): confidential personal matters under fvl. § 13.
    Barnevern,
    /// Social assistance (sosialhjelp, økonomisk stønad): confidential under fvl. § 13.
    Sosialhjelp,
    /// Criminal matters (art. 10).
    Straff,
    /// Ethnic origin (art. 9).
    Etnisitet,
    /// Religion or belief (art. 9).
    Religion,
    /// Trade-union membership (art. 9).
    Fagforening,
    /// Sexual orientation or sex life (art. 9).
    Seksualitet,
}

impl PiiKind {
    /// Every kind, in declaration order.
    pub const ALL: [PiiKind; 18] = [
        PiiKind::Fodselsnummer,
        PiiKind::DNummer,
        PiiKind::HNummer,
        PiiKind::SyntheticNummer,
        PiiKind::Kontonummer,
        PiiKind::Organisasjonsnummer,
        PiiKind::Telefon,
        PiiKind::Epost,
        PiiKind::Adresse,
        PiiKind::Navn,
        PiiKind::Helse,
        PiiKind::Barnevern,
        PiiKind::Sosialhjelp,
        PiiKind::Straff,
        PiiKind::Etnisitet,
        PiiKind::Religion,
        PiiKind::Fagforening,
        PiiKind::Seksualitet,
    ];

    /// The special categories, in declaration order.
    pub const CATEGORIES: [PiiKind; 8] = [
        PiiKind::Helse,
        PiiKind::Barnevern,
        PiiKind::Sosialhjelp,
        PiiKind::Straff,
        PiiKind::Etnisitet,
        PiiKind::Religion,
        PiiKind::Fagforening,
        PiiKind::Seksualitet,
    ];

    /// Stable snake_case name, as written to the review table (`pii_kinds`, evidence `kind`).
    pub fn as_str(self) -> &'static str {
        match self {
            PiiKind::Fodselsnummer => "fodselsnummer",
            PiiKind::DNummer => "d_nummer",
            PiiKind::HNummer => "h_nummer",
            PiiKind::SyntheticNummer => "synthetic_nummer",
            PiiKind::Kontonummer => "kontonummer",
            PiiKind::Organisasjonsnummer => "organisasjonsnummer",
            PiiKind::Telefon => "telefon",
            PiiKind::Epost => "epost",
            PiiKind::Adresse => "adresse",
            PiiKind::Navn => "navn",
            PiiKind::Helse => "helse",
            PiiKind::Barnevern => "barnevern",
            PiiKind::Sosialhjelp => "sosialhjelp",
            PiiKind::Straff => "straff",
            PiiKind::Etnisitet => "etnisitet",
            PiiKind::Religion => "religion",
            PiiKind::Fagforening => "fagforening",
            PiiKind::Seksualitet => "seksualitet",
        }
    }

    /// The kind named by [`PiiKind::as_str`], if any.
    pub fn from_name(name: &str) -> Option<PiiKind> {
        PiiKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// Whether this is one of the special categories (reported per word, summed per document).
    pub fn is_category(self) -> bool {
        PiiKind::CATEGORIES.contains(&self)
    }

    /// Which kind wins when two findings overlap: a checksum-verified number is stronger
    /// evidence than a pattern, a pattern stronger than a lexicon word.
    pub(crate) fn priority(self) -> u8 {
        match self {
            PiiKind::Fodselsnummer
            | PiiKind::DNummer
            | PiiKind::HNummer
            | PiiKind::SyntheticNummer => 10,
            PiiKind::Kontonummer => 9,
            PiiKind::Organisasjonsnummer => 8,
            PiiKind::Epost => 7,
            PiiKind::Telefon => 6,
            PiiKind::Adresse => 5,
            PiiKind::Navn => 4,
            _ => 1,
        }
    }
}

impl fmt::Display for PiiKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One piece of personal data found in a text.
///
/// `Debug` is written by hand and shows only what `masked` shows, so a finding can be logged.
#[derive(Clone, PartialEq)]
pub struct Finding {
    /// What was found.
    pub kind: PiiKind,
    /// Start of the span, in characters (Unicode scalar values) from the start of the text.
    pub start: usize,
    /// End of the span (exclusive), in characters.
    pub end: usize,
    /// Confidence in `[0, 1]`.
    pub score: f32,
    /// The span as it may be shown: `010190*****`, `o***@k******.no`, `J*** H***`. Never the
    /// clear value, except for organisation numbers (public) and category words (terms, not
    /// values).
    pub masked: String,
}

impl fmt::Debug for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Finding")
            .field("kind", &self.kind.as_str())
            .field("start", &self.start)
            .field("end", &self.end)
            .field("score", &self.score)
            .field("masked", &self.masked)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_have_stable_unique_names() {
        let mut names: Vec<&str> = PiiKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(PiiKind::Fodselsnummer.as_str(), "fodselsnummer");
        assert_eq!(PiiKind::DNummer.as_str(), "d_nummer");
        for k in PiiKind::ALL {
            assert_eq!(PiiKind::from_name(k.as_str()), Some(k));
            assert!(k
                .as_str()
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '_'));
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), PiiKind::ALL.len());
        assert_eq!(PiiKind::ALL.iter().filter(|k| k.is_category()).count(), 8);
    }
}
