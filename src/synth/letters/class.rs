//! The kinds of documents ([`DocKind`]) and their subject areas ([`LetterClass`]), with what
//! an archive files for each class: class id and title, series, screening and retention.

use serde::Deserialize;

/// The kind of document; [`DocKind::as_str`] gives the Noark `dokumenttype`. The template
/// files name it in lower case (`brev`, `vedtak`, `soknad`, `moetereferat`, `notat`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
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

#[cfg(test)]
mod tests {
    use super::*;

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
    }

    /// The template files are in the order of `ALL`, which is the declaration order.
    #[test]
    fn all_is_in_declaration_order() {
        for (i, c) in LetterClass::ALL.iter().enumerate() {
            assert_eq!(*c as usize, i);
        }
    }
}
