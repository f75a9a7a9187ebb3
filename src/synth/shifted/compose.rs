//! One document of the shifted benchmark from a class's bank: a title, a length drawn from a
//! realistic mix, the side's letter frame, slots filled, and — for some — OCR noise.

use super::banks::Bank;
use super::Side;
use crate::synth::date::Date;
use crate::synth::rng::Rng;

/// How long a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Length {
    /// A one-line e-mail or message.
    OneLine,
    /// A short note: two or three sentences.
    Note,
    /// An ordinary letter or decision: four to eight sentences.
    Letter,
    /// A multi-page report: fifteen to forty sentences in paragraphs.
    Report,
    /// An attachment titled only "Vedlegg N": one to four sentences.
    Attachment,
}

impl Length {
    /// The name in the truth file.
    pub fn as_str(self) -> &'static str {
        match self {
            Length::OneLine => "one_line",
            Length::Note => "note",
            Length::Letter => "letter",
            Length::Report => "report",
            Length::Attachment => "attachment",
        }
    }

    /// A main document's length: 15% one line, 25% notes, 45% letters, 15% reports.
    pub fn draw(rng: &mut Rng) -> Length {
        match rng.below(100) {
            0..15 => Length::OneLine,
            15..40 => Length::Note,
            40..85 => Length::Letter,
            _ => Length::Report,
        }
    }

    fn sentences(self, rng: &mut Rng) -> usize {
        match self {
            Length::OneLine => 1,
            Length::Note => rng.range(2, 3) as usize,
            Length::Letter => rng.range(4, 8) as usize,
            Length::Report => rng.range(15, 40) as usize,
            Length::Attachment => rng.range(1, 4) as usize,
        }
    }
}

/// A composed document.
#[derive(Debug, Clone)]
pub struct Composed {
    /// The title (a main document's) — an attachment's is "Vedlegg N", set by the caller.
    pub title: String,
    /// The text.
    pub text: String,
}

/// First names of the training side's people, and of the test side's (other senders).
const FIRST: [[&str; 10]; 2] = [
    [
        "Kari", "Ola", "Ingrid", "Per", "Marit", "Lars", "Anne", "Knut", "Berit", "Arne",
    ],
    [
        "Emma", "Noah", "Sofie", "Jakob", "Nora", "Emil", "Sara", "Lukas", "Maja", "Filip",
    ],
];
const LAST: [[&str; 10]; 2] = [
    [
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
    ],
    [
        "Haugen", "Berg", "Dahl", "Lie", "Moen", "Solberg", "Strand", "Bakken", "Eide", "Lund",
    ],
];
const STREETS: [[&str; 6]; 2] = [
    [
        "Storgata",
        "Kirkeveien",
        "Skolebakken",
        "Fjordvegen",
        "Industriveien",
        "Prestegårdsveien",
    ],
    [
        "Solsvingen",
        "Havnegata",
        "Bjørkelia",
        "Furuveien",
        "Torget",
        "Elvebakken",
    ],
];
const PLACES: [[&str; 6]; 2] = [
    [
        "Nordbygda skole",
        "Solsikken barnehage",
        "Åsheim sykehjem",
        "Sentrum",
        "Vestre Øyane",
        "Kommunehuset",
    ],
    [
        "Fjellstad oppvekstsenter",
        "Lia barnehage",
        "Havblikk omsorgssenter",
        "Østre bydel",
        "Bryggeområdet",
        "Servicetorget",
    ],
];
const ORGS: [[&str; 5]; 2] = [
    [
        "Bygg og Anlegg AS",
        "Idrettslaget Ørn",
        "Nordvest Rådgivning AS",
        "Musikkforeningen Harmoni",
        "Fjordkraft Entreprenør AS",
    ],
    [
        "Nyhus Eiendom AS",
        "Sportsklubben Fram",
        "Kystbyen Consult AS",
        "Kulturhuset Scenekunst SA",
        "Grønn Drift AS",
    ],
];

/// Openings and closings of the two sides: formal letters on the training side; e-mails,
/// forms and plain words on the test side.
const OPENINGS: [&[&str]; 2] = [
    &[
        "Vi viser til henvendelse datert {dato}.",
        "Det vises til tidligere korrespondanse i saken.",
        "Vi viser til Deres brev av {dato}.",
        "",
    ],
    &[
        "Hei!",
        "Hei {navn},",
        "Takk for meldingen.",
        "Viser til samtale på telefon i dag.",
        "",
        "",
    ],
];
const CLOSINGS: [&[&str]; 2] = [
    &[
        "Med hilsen\n{navn}\nsaksbehandler",
        "Med vennlig hilsen\n{navn}\nrådgiver",
        "Med hilsen\n{navn}\nenhetsleder",
    ],
    &[
        "Mvh\n{navn}",
        "Hilsen {navn}",
        "Ha en fin dag!\n{navn}",
        "Sendt fra min mobil",
        "",
    ],
];

/// Composes a document of `length` from `bank` on `side`, dated `day`.
pub fn compose(bank: &Bank, side: Side, length: Length, day: Date, rng: &mut Rng) -> Composed {
    let s = side.index();
    let fill = |text: &str, rng: &mut Rng| fill_slots(text, s, day, rng);
    let title = fill(rng.choose::<String>(&bank.titles), rng);
    let n = length.sentences(rng);
    let mut body: Vec<String> = Vec::with_capacity(n + 2);
    let framed = matches!(length, Length::Letter | Length::Report | Length::Note);
    if framed {
        let opening = fill(rng.choose::<&str>(OPENINGS[s]), rng);
        if !opening.is_empty() {
            body.push(opening);
        }
    }
    // Without repeats while the bank lasts; a report longer than the bank starts over.
    let mut order: Vec<usize> = Vec::new();
    for _ in 0..n {
        if order.is_empty() {
            order = (0..bank.sentences.len()).collect();
        }
        let i = order.swap_remove(rng.index(order.len()));
        body.push(fill(&bank.sentences[i], rng));
    }
    let mut text = if length == Length::Report {
        body.chunks(4)
            .map(|p| p.join(" "))
            .collect::<Vec<_>>()
            .join("\n\n")
    } else {
        body.join("\n\n")
    };
    if framed || (side == Side::Test && length == Length::OneLine) {
        let closing = fill(rng.choose::<&str>(CLOSINGS[s]), rng);
        if !closing.is_empty() {
            text.push_str("\n\n");
            text.push_str(&closing);
        }
    }
    Composed { title, text }
}

fn fill_slots(text: &str, side: usize, day: Date, rng: &mut Rng) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        out.push_str(&rest[..open]);
        let value = match &rest[open + 1..open + close] {
            "navn" => format!("{} {}", rng.choose(&FIRST[side]), rng.choose(&LAST[side])),
            "adresse" => format!("{} {}", rng.choose(&STREETS[side]), rng.range(1, 120)),
            "dato" => {
                let d = day.add_days(-(rng.below(60) as i64));
                format!("{:02}.{:02}.{}", d.day, d.month, d.year)
            }
            "belop" => {
                let n = rng.range(2, 900) * 500;
                if n >= 1000 {
                    format!("{} {:03}", n / 1000, n % 1000)
                } else {
                    n.to_string()
                }
            }
            "gnr" => rng.range(1, 140).to_string(),
            "bnr" => rng.range(1, 600).to_string(),
            "virksomhet" => rng.choose(&ORGS[side]).to_string(),
            "sted" => rng.choose(&PLACES[side]).to_string(),
            other => format!("{{{other}}}"),
        };
        out.push_str(&value);
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

/// The confusions of a scanner's text recognition: a few per hundred characters.
pub fn ocr_noise(text: &str, rng: &mut Rng) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if !rng.chance(0.04) {
            out.push(c);
            i += 1;
            continue;
        }
        match (c, chars.get(i + 1)) {
            ('r', Some('n')) => {
                out.push('m');
                i += 2;
                continue;
            }
            ('m', _) => out.push_str("rn"),
            ('l', _) => out.push('1'),
            ('i', _) => out.push('l'),
            ('o', _) => out.push('0'),
            ('e', _) => out.push('c'),
            ('å', _) => out.push('a'),
            ('ø', _) => out.push('o'),
            ('æ', _) => out.push_str("ae"),
            (' ', _) => {}
            (c, _) if c.is_alphabetic() => {
                out.push(c);
                out.push(' ');
            }
            (c, _) => out.push(c),
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bank() -> Bank {
        Bank {
            titles: vec!["Søknad om tilskudd - {virksomhet}".into()],
            sentences: (0..14)
                .map(|i| format!("Setning {i} om {{navn}} på {{adresse}}, kr {{belop}}."))
                .collect(),
        }
    }

    #[test]
    fn slots_are_filled_and_lengths_hold() {
        let mut rng = Rng::new(7);
        let day = Date::new(2019, 5, 3);
        for length in [Length::OneLine, Length::Report] {
            let d = compose(&bank(), Side::Train, length, day, &mut rng);
            assert!(!d.title.contains('{') && !d.text.contains('{'), "{d:?}");
            let sentences = d.text.matches("Setning").count();
            match length {
                Length::OneLine => assert_eq!(sentences, 1),
                _ => assert!((15..=40).contains(&sentences)),
            }
        }
    }

    #[test]
    fn ocr_noise_changes_a_few_characters() {
        let text = "Kommunen har mottatt søknaden om rammetillatelse for tilbygg. ".repeat(20);
        let noisy = ocr_noise(&text, &mut Rng::new(3));
        assert_ne!(noisy, text);
        let same = text
            .chars()
            .zip(noisy.chars())
            .filter(|(a, b)| a == b)
            .count();
        assert!(same > text.chars().count() / 20, "{noisy}");
    }
}
