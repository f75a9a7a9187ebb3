//! Names of persons: a lexicon of Norwegian given names and surnames (`names_no.txt`, from
//! Statistics Norway's top-100 lists as the Faker package ships them) combined with context:
//! capitalisation, position in the sentence, a second name token, salutations (`Hei`,
//! `Kjære`), labels (`Navn:`, `v/`, `Saksbehandler:`), titles (`Hr.`, `Fru`), roles after the
//! name (`, saksbehandler`) and the signature after `Med vennlig hilsen`. The lexicon is small,
//! so where the context is strong two capitalised words are taken as a name even when neither
//! is in it.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

use super::candidate::{boost, Candidate};
use super::doc::Doc;
use super::kind::PiiKind;
use super::tokens::{case_of, title_case_into, Case, Word};

/// The name lexicon, embedded (see its header for source and licence).
pub const NAMES_DATA: &str = include_str!("names_no.txt");

/// What the lexicon knows about a capitalised word.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct NameInfo {
    given: bool,
    surname: bool,
    /// Also a common Norwegian word (Per, Liv, Strand): weak evidence alone.
    common: bool,
}

static NAMES: LazyLock<FastMap<String, NameInfo>> = LazyLock::new(|| parse_names(NAMES_DATA));

fn parse_names(data: &str) -> FastMap<String, NameInfo> {
    let mut map: FastMap<String, NameInfo> = FastMap::default();
    let mut given = None;
    for line in data.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match line {
            "[fornavn]" => given = Some(true),
            "[etternavn]" => given = Some(false),
            _ => {
                let Some(g) = given else { continue };
                let (name, common) = match line.strip_suffix('~') {
                    Some(n) => (n.trim(), true),
                    None => (line, false),
                };
                let e = map.entry(name.to_string()).or_default();
                if g {
                    e.given = true;
                } else {
                    e.surname = true;
                }
                e.common |= common;
            }
        }
    }
    map
}

/// The number of distinct names in the lexicon (given names and surnames).
pub fn name_count() -> usize {
    NAMES.len()
}

/// Lexicon knowledge of a capitalised word; a hyphenated word is a given name when its first
/// part is one, a surname when any part is one. `buf` is scratch space.
fn lookup(w: &str, case: Case, buf: &mut String) -> NameInfo {
    let w = if case == Case::Upper {
        title_case_into(w, buf);
        buf.as_str()
    } else {
        w
    };
    if let Some(&info) = NAMES.get(w) {
        return info;
    }
    if w.contains('-') {
        let mut parts = w
            .split('-')
            .map(|p| NAMES.get(p).copied().unwrap_or_default());
        let first = parts.next().unwrap_or_default();
        let surname = first.surname || parts.any(|p| p.surname);
        return NameInfo {
            given: first.given,
            surname,
            common: false,
        };
    }
    NameInfo::default()
}

/// Endings typical of Norwegian surnames (and farm names used as surnames).
const SURNAME_ENDINGS: &[&str] = &[
    "sen", "son", "ssen", "stad", "rud", "land", "vik", "dal", "dahl", "heim", "berg", "by", "nes",
    "haug", "li", "lie", "moen", "bakken", "eng", "gård", "gaard", "seth", "seter", "sæter", "bø",
    "aas", "ås", "holm", "lund", "strand", "voll", "myr", "fjord", "øy", "tun", "stein", "rød",
];

/// Words ending so are organisations or places, not persons (`Stavanger kommune`,
/// `Barneverntjenesten`).
const NOT_NAME_ENDINGS: &[&str] = &[
    "kommune",
    "kommunen",
    "kommunes",
    "fylke",
    "fylkeskommune",
    "tjenesten",
    "tenesta",
    "kontoret",
    "kontor",
    "avdeling",
    "avdelinga",
    "avdelingen",
    "enheten",
    "eininga",
    "seksjon",
    "etaten",
    "etat",
    "direktoratet",
    "departementet",
    "senter",
    "senteret",
    "skole",
    "skule",
    "barnehage",
    "sykehus",
    "sjukehus",
    "nemnda",
    "utvalg",
    "utval",
    "styre",
    "styret",
    "rådet",
];

/// Company-form words: a name followed by one is a firm (`Hansen Bygg AS`).
const ORG_WORDS: &[&str] = &["as", "asa", "sa", "ba", "ans", "da", "iks", "ks", "enk"];

/// Words before a name that make it one (salutations, labels, titles, roles).
const STRONG_BEFORE: &[&str] = &[
    "hei",
    "kjære",
    "kjaere",
    "hallo",
    "navn",
    "namn",
    "hr",
    "herr",
    "fru",
    "frk",
    "saksbehandler",
    "saksbehandlar",
    "kontaktperson",
    "att",
    "attn",
    "v",
    "signert",
    "underskrevet",
    "søker",
    "søkjar",
    "klient",
    "pasient",
    "pasienten",
    "eleven",
    "advokat",
    "verge",
    "fullmektig",
    "rektor",
    "fastlege",
    "lege",
    "ordfører",
    "rådmann",
    "kommunedirektør",
    "sakkyndig",
    // Labels of memo headers and minutes, bokmål and nynorsk (`Gjelder: Kari Hansen`,
    // `Til stede: …`, `Referent: …`).
    "gjelder",
    "gjeld",
    "sakshandsamar",
    "referent",
    "stede",
    "stades",
    "forfall",
    "bruker",
    "brukar",
];

/// Words before a name that make it somewhat likelier.
const WEAK_BEFORE: &[&str] = &[
    "til", "fra", "frå", "ved", "mor", "far", "sønn", "datter", "dotter", "barnet", "dr", "og",
    "med", "sa", "skriver", "opplyser", "hos",
];

/// Roles written after a name (`Kari Hansen, saksbehandler`).
const ROLES_AFTER: &[&str] = &[
    "saksbehandler",
    "saksbehandlar",
    "rådgiver",
    "rådgjevar",
    "konsulent",
    "seniorrådgiver",
    "leder",
    "leiar",
    "avdelingsleder",
    "enhetsleder",
    "rektor",
    "sekretær",
    "advokat",
    "jurist",
    "lege",
    "fastlege",
    "sykepleier",
    "sjukepleiar",
    "barnevernspedagog",
    "sosionom",
    "ordfører",
    "rådmann",
    "kommunedirektør",
    "kommunalsjef",
    "virksomhetsleder",
    "arkivar",
    "mor",
    "far",
    "verge",
    "født",
    "fødd",
    "f",
];

/// Signature openers: the first name after one of these is the writer.
const SIGNATURE: &[&str] = &["hilsen", "hilsener", "helsing", "helsingar", "mvh", "vh"];

/// Whether `lower` (a lower-case word) is one of `list`.
fn lower_is(lower: &str, list: &[&str]) -> bool {
    list.contains(&lower)
}

/// Which of the word lists a lower-case word is in (bits of [`WORD_LISTS`]).
const STRONG: u8 = 2;
const WEAK: u8 = 4;
const ORG: u8 = 8;
const ROLE: u8 = 16;

/// The word lists of the name detector as one hash map: one look-up per word, not one string
/// comparison per list entry.
static WORD_LISTS: LazyLock<FastMap<&'static str, u8>> = LazyLock::new(|| {
    let mut m = FastMap::default();
    for (list, bit) in [
        (STRONG_BEFORE, STRONG),
        (WEAK_BEFORE, WEAK),
        (ORG_WORDS, ORG),
        (ROLES_AFTER, ROLE),
    ] {
        for &w in list {
            *m.entry(w).or_insert(0) |= bit;
        }
    }
    m
});

/// Whether `lower` (a lower-case word) is in the list of `bit`.
fn in_list(lower: &str, bit: u8) -> bool {
    WORD_LISTS.get(lower).is_some_and(|&f| f & bit != 0)
}

/// A set of word endings, grouped by their last byte so a word is compared with few of them.
struct Endings {
    by_last: [Vec<&'static str>; 256],
}

impl Endings {
    fn new(list: &[&'static str]) -> Endings {
        let mut by_last: [Vec<&'static str>; 256] = std::array::from_fn(|_| Vec::new());
        for &e in list {
            if let Some(&last) = e.as_bytes().last() {
                by_last[usize::from(last)].push(e);
            }
        }
        Endings { by_last }
    }

    /// Whether `lower` ends with one of the endings.
    fn matches(&self, lower: &str) -> bool {
        lower.as_bytes().last().is_some_and(|&last| {
            self.by_last[usize::from(last)]
                .iter()
                .any(|e| lower.ends_with(e))
        })
    }
}

static NOT_NAME: LazyLock<Endings> = LazyLock::new(|| Endings::new(NOT_NAME_ENDINGS));
static SURNAME_LIKE: LazyLock<Endings> = LazyLock::new(|| Endings::new(SURNAME_ENDINGS));

/// Whether `lower` (a lower-case word) ends with one of `list`.
#[cfg(test)]
fn ends_with_any(lower: &str, list: &[&str]) -> bool {
    list.iter().any(|suffix| lower.ends_with(suffix))
}

/// A fast hash for short strings (FxHash): the lexicons are fixed and not attacker-chosen,
/// so SipHash's protection against collision attacks buys nothing here.
#[derive(Default, Clone, Copy)]
struct FxHasher(u64);

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes([
                c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7],
            ]));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(last));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A hash map with [`FxHasher`].
type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// A capitalised word in a candidate name, classified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Given { common: bool },
    Surname { common: bool },
    Unknown { surname_like: bool },
    Initial,
}

/// Finds names of persons and scores each in `[0, 1]`.
pub(crate) fn name_candidates(doc: &Doc<'_>, words: &[Word], out: &mut Vec<Candidate>) {
    let text = doc.text;
    let word = |i: usize| &text[words[i].start..words[i].end];
    // Lower case from the folded copy: no allocation for most words.
    let lw = |i: usize| doc.folded_word(words[i].start, words[i].end);
    let gap = |i: usize| {
        let from = if i == 0 { 0 } else { words[i - 1].end };
        &text[from..words[i].start]
    };
    // Start of the signature zone (bytes) and its end, after "Med vennlig hilsen".
    let mut sig_zone: Option<(usize, usize)> = None;
    let mut buf = String::new();
    let mut i = 0;
    while i < words.len() {
        // Every signature word starts with `h`, `m` or `v`, and a name with a capital: most
        // words (lower case) need no look at all.
        let b0 = text.as_bytes()[words[i].start];
        let maybe_sig = b0 >= 0x80 || matches!(b0 | 0x20, b'h' | b'm' | b'v');
        if !maybe_sig && !b0.is_ascii_uppercase() {
            i += 1;
            continue;
        }
        let w = word(i);
        if maybe_sig && w.len() <= 10 && lower_is(&lw(i), SIGNATURE) {
            sig_zone = Some((words[i].end, words[i].end + 80));
            i += 1;
            continue;
        }
        let case = case_of(w);
        if !matches!(case, Case::Title | Case::Upper) {
            i += 1;
            continue;
        }
        // A name starts with a given name, or follows a cue (a title, a salutation, the
        // signature): a capitalised word that is neither scores 0 whatever follows it, so it
        // is passed over before the rest of its context is looked at.
        let in_signature = sig_zone.is_some_and(|(s, e)| words[i].start >= s && words[i].start < e);
        let info_i = lookup(w, case, &mut buf);
        if !in_signature && !info_i.given {
            let g = gap(i);
            let close = g.chars().count() <= 3 && !g.contains("\n\n");
            let cue_before = close && i > 0 && in_list(&lw(i - 1), STRONG);
            // `Linnea Iversen`: a given name the lexicon lacks, before a surname it knows.
            let surname_next = case == Case::Title
                && w.chars().count() >= 3
                && i + 1 < words.len()
                && matches!(gap(i + 1), " " | "\u{a0}")
                && {
                    let next = word(i + 1);
                    let c = case_of(next);
                    matches!(c, Case::Title) && lookup(next, c, &mut buf).surname
                };
            if !(cue_before || surname_next) {
                i += 1;
                continue;
            }
        }
        // Context before the word.
        let g = gap(i);
        let prev = (i > 0).then(|| word(i - 1));
        let close = g.chars().count() <= 3 && !g.contains("\n\n");
        let prev_lower = if i > 0 { lw(i - 1) } else { "".into() };
        let strong_before = close && in_list(&prev_lower, STRONG);
        let weak_before = close && in_list(&prev_lower, WEAK);
        let sentence_start = i == 0
            || g.contains(['.', '!', '?', ':', ';', '\n', '•', '*', '(', '"', '«'])
            || prev.is_some_and(|p| case_of(p) == Case::Upper);
        let cue = strong_before || in_signature;

        // Collect the name: capitalised words joined by single spaces.
        let mut parts: Vec<Part> = Vec::new();
        let mut j = i;
        while j < words.len() && parts.len() < 4 {
            let wj = word(j);
            let cj = if j == i { case } else { case_of(wj) };
            if j > i {
                let gj = gap(j);
                let prev_initial = parts.last() == Some(&Part::Initial);
                let joined = matches!(gj, " " | "\u{a0}") || (prev_initial && gj == ". ");
                if !joined {
                    break;
                }
            }
            let part = match cj {
                Case::Initial if j > i && text[words[j].end..].starts_with('.') => Part::Initial,
                Case::Title | Case::Upper => {
                    let info = if j == i {
                        info_i
                    } else {
                        lookup(wj, cj, &mut buf)
                    };
                    let lj = lw(j);
                    // An unknown word in capitals (`NAV`, `PPT`) is an acronym, not a name.
                    let acronym = cj == Case::Upper && !info.given && !info.surname;
                    if NOT_NAME.matches(&lj) || in_list(&lj, ORG) || acronym {
                        break;
                    } else if info.given && (j == i || !info.surname) {
                        Part::Given {
                            common: info.common,
                        }
                    } else if info.surname {
                        Part::Surname {
                            common: info.common,
                        }
                    } else {
                        Part::Unknown {
                            surname_like: wj.chars().count() > 3 && SURNAME_LIKE.matches(&lj),
                        }
                    }
                }
                _ => break,
            };
            // Shape: given names (and initials) first, then one unknown word or surnames.
            let ok = match (parts.last(), part) {
                (None, _) => true,
                (Some(Part::Surname { .. }), Part::Surname { .. }) => true,
                (Some(Part::Surname { .. }), _) => false,
                (Some(Part::Unknown { .. }), Part::Surname { .. }) => parts.len() == 1,
                (Some(Part::Unknown { .. }), Part::Unknown { .. }) => parts.len() == 1 && cue,
                (Some(Part::Unknown { .. }), _) => false,
                (Some(_), _) => true,
            };
            if !ok {
                break;
            }
            parts.push(part);
            j += 1;
        }
        // A trailing initial is not part of the name.
        while parts.last() == Some(&Part::Initial) {
            parts.pop();
            j -= 1;
        }
        if parts.is_empty() {
            i += 1;
            continue;
        }
        // `Stavanger kommune`, `Hansen Bygg AS`: the words name an organisation.
        let org_follows = words.get(j).is_some_and(|next| {
            let nw = lw(j);
            matches!(&text[words[j - 1].end..next.start], " " | "\u{a0}")
                && (NOT_NAME.matches(&nw) || in_list(&nw, ORG))
        });
        if org_follows {
            i = j;
            continue;
        }

        let n = parts.len();
        let first = parts[0];
        let has_surname = parts.iter().any(|p| matches!(p, Part::Surname { .. }));
        let has_given = parts.iter().any(|p| matches!(p, Part::Given { .. }));
        let common_surname_only = parts.iter().all(|p| {
            matches!(
                p,
                Part::Surname { common: true } | Part::Given { common: true }
            )
        });
        let surname_like = parts
            .iter()
            .any(|p| matches!(p, Part::Unknown { surname_like: true }));
        let surnames_common = parts
            .iter()
            .all(|p| !matches!(p, Part::Surname { common: false }));
        let mut score: f32 = match (first, n) {
            (Part::Given { common }, 1) => match (common, sentence_start) {
                (false, false) => 0.5,
                (false, true) => 0.25,
                (true, false) => 0.35,
                (true, true) => 0.07,
            },
            (Part::Given { common }, _) if has_surname => {
                if common && common_surname_only {
                    0.7
                } else {
                    0.9
                }
            }
            (Part::Given { common }, _) if surname_like => {
                if common && sentence_start {
                    0.6
                } else {
                    0.85
                }
            }
            (Part::Given { .. }, _) if parts.iter().all(|p| matches!(p, Part::Given { .. })) => 0.6,
            (Part::Given { common }, _) => match (common, sentence_start) {
                (true, true) => 0.3,
                (true, false) => 0.5,
                (false, true) => 0.6,
                (false, false) => 0.7,
            },
            // A surname alone, or unknown words: only with a cue (a title, a salutation).
            (Part::Surname { .. }, _) if cue => {
                if n > 1 || lower_is(&prev_lower, &["hr", "herr", "fru", "frk"]) {
                    0.6
                } else {
                    0.35
                }
            }
            // An unlexiconed given name before a known surname.
            (Part::Unknown { .. }, _) if has_surname && !cue => {
                match (surnames_common, sentence_start) {
                    (false, false) => 0.75,
                    (false, true) => 0.55,
                    (true, false) => 0.5,
                    (true, true) => 0.3,
                }
            }
            (Part::Unknown { .. }, 1) if cue && !has_given => {
                if strong_before {
                    0.35
                } else {
                    0.2
                }
            }
            (Part::Unknown { .. }, _) if cue => 0.5,
            _ => 0.0,
        };
        if score <= 0.0 {
            i += 1;
            continue;
        }
        if case == Case::Upper {
            score *= 0.85;
        }
        // Role after the name: `Kari Hansen, saksbehandler` / `(saksbehandler)`.
        let role_after = words.get(j).is_some_and(|next| {
            let between = &text[words[j - 1].end..next.start];
            between.chars().count() <= 3
                && matches!(between.trim(), "," | "(" | "-" | "–" | "")
                && in_list(&lw(j), ROLE)
        });
        let lone_unknown = n == 1 && matches!(first, Part::Unknown { .. });
        if lone_unknown && !(strong_before && surname_like) {
            // One unlexiconed word after a greeting or a label is as often a department or a
            // heading (`Att.: Plan og bygg`, `Kontaktperson` / `Dokumentet er …`) as a person;
            // only a surname-shaped word right after a title or label counts.
            score = 0.35;
        } else if cue {
            score = boost(score, 0.25);
        } else if role_after {
            score = boost(score, 0.3);
        } else if weak_before {
            score = boost(score, 0.7);
        }
        let (s, e) = (words[i].start, words[j - 1].end);
        out.push(Candidate {
            kind: PiiKind::Navn,
            start: doc.char_at(s),
            end: doc.char_at(e),
            score: score.clamp(0.0, 1.0),
            masked: mask_name(&text[s..e]),
        });
        if in_signature {
            // Only the first name after the greeting is the signature.
            sig_zone = None;
        }
        i = j;
    }
}

/// `Kari Anne Hansen` → `K*** A*** H***`: initials only.
fn mask_name(s: &str) -> String {
    let mut out = String::with_capacity(16);
    for (k, part) in s.split_whitespace().enumerate() {
        if k > 0 {
            out.push(' ');
        }
        out.extend(part.chars().next());
        out.push_str("***");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pii::{detect, Finding};

    fn names(text: &str) -> Vec<Finding> {
        detect(text)
            .into_iter()
            .filter(|f| f.kind == PiiKind::Navn)
            .collect()
    }

    fn top_name_score(text: &str) -> f32 {
        names(text).iter().map(|f| f.score).fold(0.0, f32::max)
    }

    #[test]
    fn name_data_parses_completely() {
        // Every non-comment line of the name file is a section or a name.
        let lines = NAMES_DATA
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#') && !l.starts_with('['))
            .count();
        assert_eq!(lines, 5078);
        assert_eq!(name_count(), 5067);
        let names = parse_names(NAMES_DATA);
        assert!(names["Kari"].given && !names["Kari"].common);
        assert!(names["Per"].given && names["Per"].common);
        assert!(names["Hansen"].surname);
    }

    #[test]
    fn given_and_surname_pairs() {
        let f = names("Vedtaket gjelder Kari Hansen og hennes sønn.");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].masked, "K*** H***");
        assert!(f[0].score >= 0.85, "{f:?}");
        let f = names("Møtet ble ledet av Per Olav Johansen.");
        assert_eq!(f[0].masked, "P*** O*** J***");
        assert!(f[0].score >= 0.85);
        // A surname not in the lexicon but with a surname ending.
        assert!(top_name_score("Søknaden fra Ingrid Fjellstad er mottatt.") >= 0.8);
        // Hyphenated given name, middle initial.
        assert!(top_name_score("Anne-Lise Berg møtte.") >= 0.85);
        let f = names("Referent: Ole K. Olsen");
        assert_eq!(f[0].masked, "O*** K*** O***");
        // Upper-case heading style.
        assert!(top_name_score("SØKER: KARI HANSEN") >= 0.8);
    }

    #[test]
    fn unknown_given_name_before_a_known_surname() {
        // `Zarina` is in no list of ours; `Iversen` is a known surname.
        assert!(top_name_score("Søknaden fra Zarina Iversen er mottatt.") >= 0.7);
        assert!(top_name_score("Zarina Iversen har søkt.") >= 0.5);
        // Two capitals in a row are not enough when the second is no surname.
        assert!(top_name_score("Vi viser til Plan Bygg i saken.") < 0.5);
    }

    #[test]
    fn labels_and_acronyms_are_not_names() {
        assert!(top_name_score("Att.: Plan og bygg") < 0.5);
        assert!(top_name_score("Kontaktperson\nDokumentet er elektronisk godkjent.") < 0.5);
        assert!(top_name_score("Kopi til: NAV Åfjord") < 0.5);
        // A surname-shaped word after a label is still a name.
        assert!(top_name_score("Saksbehandler: Tjøstheim") >= 0.5);
    }

    #[test]
    fn common_words_that_are_names_score_low_without_context() {
        assert!(top_name_score("Per dag utbetales 200 kroner.") < 0.1);
        assert!(top_name_score("Liv og helse er viktig.") < 0.1);
        assert!(top_name_score("Hans søknad ble avslått.") < 0.1);
        assert!(top_name_score("Mai er en fin måned.") < 0.1);
        assert!(top_name_score("Strand og badeplasser stenges.") < 0.1);
        // The same words with context are names.
        assert!(top_name_score("Hei Per,\ntakk for sist.") >= 0.7);
        assert!(top_name_score("Kjære Liv!") >= 0.7);
        assert!(top_name_score("Per Hansen møtte.") >= 0.85);
    }

    #[test]
    fn context_raises_scores() {
        let plain = top_name_score("Dette handler om Kari.");
        let navn = top_name_score("Navn: Kari");
        assert!(navn > plain && navn >= 0.8, "{plain} {navn}");
        assert!(top_name_score("Til barnevernet v/ Kari") >= 0.8);
        assert!(top_name_score("Saksbehandler: Ola Nordmann") >= 0.8);
        // Signature: names not in the lexicon are found after the greeting.
        let text = "Vi ber om svar innen fredag.\n\nMed vennlig hilsen\n\nTrygve Nordmo\nrådgiver";
        let f = names(text);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].masked, "T*** N***");
        assert!(f[0].score >= 0.6);
        // Nynorsk greeting.
        assert!(top_name_score("Med venleg helsing\nSigrid Aasen") >= 0.9);
        // Role after the name.
        assert!(top_name_score("Kontakt Eirik, saksbehandler, ved spørsmål.") >= 0.6);
        // Organisations after a greeting are not names.
        assert!(names("Med vennlig hilsen\nStavanger kommune").is_empty());
    }

    #[test]
    fn names_at_sentence_start_alone_are_weak() {
        assert!(top_name_score("Kari kom for sent.") < 0.4);
        assert!(top_name_score("Vi snakket med Kari i går.") >= 0.45);
    }

    #[test]
    fn word_lists_and_endings_agree_with_the_plain_way() {
        // The word lists as one map, and the endings by last byte.
        for (list, bit) in [
            (STRONG_BEFORE, STRONG),
            (WEAK_BEFORE, WEAK),
            (ORG_WORDS, ORG),
            (ROLES_AFTER, ROLE),
        ] {
            for w in STRONG_BEFORE
                .iter()
                .chain(WEAK_BEFORE)
                .chain(ORG_WORDS)
                .chain(ROLES_AFTER)
                .chain(SIGNATURE)
                .chain(&["", "x", "kari", "hilsen", "sa", "saksbehandlere"])
            {
                assert_eq!(in_list(w, bit), lower_is(w, list), "{w}");
            }
        }
        for w in [
            "kommunen",
            "fylkeskommune",
            "hansen",
            "strand",
            "ås",
            "",
            "n",
            "x",
        ] {
            assert_eq!(
                NOT_NAME.matches(w),
                ends_with_any(w, NOT_NAME_ENDINGS),
                "{w}"
            );
            assert_eq!(
                SURNAME_LIKE.matches(w),
                ends_with_any(w, SURNAME_ENDINGS),
                "{w}"
            );
        }
    }
}
