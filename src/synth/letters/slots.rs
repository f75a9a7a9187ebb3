//! The slot values of one letter (names, places, dates, amounts: `{soker}`, `{dato}`, …) and
//! the filling of a template's `{slot}` marks with them ([`Ctx::fill`]), which also records the
//! persons and personal data the text then holds.

use super::class::LetterClass;
use super::document::PiiKind;
use super::templates::{class_texts, vocabulary, Text};
use crate::synth::date::Date;
use crate::synth::rng::Rng;

/// Slots that hold a person's name; their values are reported in
/// [`Letter::persons`](super::Letter::persons).
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
/// officer's number in the contact paragraph; the others are set by
/// [`plant`](super::plant::plant).
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

/// `dd.mm.yyyy`, the usual date form in Norwegian letters.
pub(super) fn dmy(d: Date) -> String {
    format!("{:02}.{:02}.{}", d.day, d.month, d.year)
}

/// Thousands separated by a space, as in "kr 12 450".
fn kroner(n: u32) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
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
pub(super) struct Ctx {
    nn: bool,
    class: LetterClass,
    slots: Vec<(&'static str, String)>,
    /// Names written so far (values of [`PERSON_SLOTS`]), in order, without duplicates.
    pub persons: Vec<String>,
    /// Personal data written so far (slot values of [`PII_SLOTS`]), without duplicates.
    pub found: Vec<(PiiKind, String)>,
    /// `poststed` values written so far: an address followed by one is one address.
    pub poststeder: Vec<String>,
}

impl Ctx {
    /// Fresh slot values for a letter of `class`, in nynorsk if `nn`.
    pub fn new(class: LetterClass, nn: bool, rng: &mut Rng) -> Self {
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
    pub fn reroll(&mut self, rng: &mut Rng, saknr: u32) {
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

    /// The value of slot `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.slots
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Sets slot `key` (adding it if new).
    pub fn set(&mut self, key: &'static str, value: String) {
        match self.slots.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.slots.push((key, value)),
        }
    }

    /// The bokmål or nynorsk form of `t` with every `{slot}` filled in.
    /// An unknown slot is left as written so a template typo shows in tests.
    pub fn fill(&mut self, t: &Text) -> String {
        let src = t.form(self.nn);
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

/// Draws every slot value of a letter of `class`.
fn make_slots(class: LetterClass, nn: bool, rng: &mut Rng) -> Vec<(&'static str, String)> {
    let words = vocabulary();
    let texts = class_texts(class);
    let pick = |rng: &mut Rng, list: &[Text]| rng.choose(list).form(nn).to_string();
    let name = |rng: &mut Rng| {
        format!(
            "{} {}",
            rng.choose(&words.fornavn),
            rng.choose(&words.etternavn)
        )
    };

    let kommune = rng.choose(&words.kommuner).as_str();
    let sted = rng.choose(&words.steder).as_str();
    let gate = rng.choose(&words.gater).as_str();
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
    let etternavn = rng.choose(&words.etternavn).as_str();
    let barn_fornavn = rng.choose(&words.fornavn).as_str();
    let plan = match rng.below(4) {
        0 => format!("{sted} sentrum"),
        1 if nn => format!("{sted} bustadfelt"),
        1 => format!("{sted} boligfelt"),
        2 => format!("{gate}, felt B{}", rng.range(1, 9)),
        _ => format!("{sted} næringsområde"),
    };
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
    let maaned = format!("{} {}", rng.choose(&words.maaneder), dato.year);
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
        _ => rng.choose(&words.barnehager).to_string(),
    };
    let lag = format!("{sted} {}", rng.choose(&words.lag));

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
        (
            "forelder",
            format!("{} {etternavn}", rng.choose(&words.fornavn)),
        ),
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
        ("leder_tittel", pick(rng, &texts.leader_titles)),
        ("sb_tittel", pick(rng, &texts.officer_titles)),
        ("enhet", texts.unit.form(nn).replace("{kommune}", kommune)),
        ("tiltak", pick(rng, &words.tiltak)),
        ("plan", plan),
        ("firma", rng.choose(&words.firma).to_string()),
        ("lag", lag),
        ("parti", rng.choose(&words.parti).to_string()),
        ("utvalg", pick(rng, &words.utvalg)),
        ("stilling", pick(rng, &words.stilling)),
        ("arbeidssted", arbeidssted),
        ("barnehage", rng.choose(&words.barnehager).to_string()),
        ("skole", format!("{sted} skole")),
        (
            "skule",
            format!("{sted} {}", if nn { "skule" } else { "skole" }),
        ),
        ("tjeneste", pick(rng, &words.tjeneste)),
        ("bvtiltak", pick(rng, &words.bvtiltak)),
        ("ytelse", pick(rng, &words.ytelse)),
    ]
}

/// `dd.mm.yyyy` back to a date.
pub(super) fn parse_dmy(s: &str) -> Option<Date> {
    let mut it = s.split('.');
    let day = it.next()?.parse().ok()?;
    let month = it.next()?.parse().ok()?;
    let year = it.next()?.parse().ok()?;
    Some(Date::new(year, month, day))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_and_name_forms() {
        assert_eq!(kroner(1234567), "1 234 567");
        assert_eq!(kroner(950), "950");
        assert_eq!(domain("Bømlo"), "bomlo");
        assert_eq!(domain("Nordre Follo"), "nordre-follo");
        assert_eq!(
            parse_dmy(&dmy(Date::new(2024, 2, 29))),
            Some(Date::new(2024, 2, 29))
        );
    }
}
