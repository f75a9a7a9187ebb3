//! Lexicon-based detection: names of persons, the special categories, and the context words
//! the number detectors use.
//!
//! - Names: a lexicon of Norwegian given names and surnames (`names_no.txt`, from Statistics
//!   Norway's top-100 lists as the Faker package ships them) combined with context:
//!   capitalisation, position in the sentence, a second name token, salutations (`Hei`,
//!   `Kjære`), labels (`Navn:`, `v/`, `Saksbehandler:`), titles (`Hr.`, `Fru`), roles after the
//!   name (`, saksbehandler`) and the signature after `Med vennlig hilsen`. The lexicon is small,
//!   so where the context is strong two capitalised words are taken as a name even when neither
//!   is in it.
//! - Special categories and context words: `kategorier_no.txt`, matched with one Aho–Corasick
//!   automaton over the case-folded text (whole words, word prefixes, or stems inside words).

use std::collections::HashMap;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::fnr::boost;
use super::{Candidate, Doc, PiiKind};

/// The name lexicon, embedded (see its header for source and licence).
pub const NAMES_DATA: &str = include_str!("names_no.txt");
/// The special-category word lists, embedded.
pub const CATEGORIES_DATA: &str = include_str!("kategorier_no.txt");

/// What a lexicon term is evidence of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tag {
    /// A special category.
    Category(PiiKind),
    /// A word showing the text is about one person (pronouns, roles).
    Person,
    /// A word announcing an identity number.
    Fnr,
    /// A word announcing an account number.
    Account,
    /// A word announcing an organisation number.
    Org,
    /// A word announcing a telephone number.
    Phone,
    /// A word announcing an amount of money (numbers near it are not phone numbers).
    Money,
}

impl Tag {
    /// Context words for the number detectors (not findings of their own).
    pub(crate) fn is_cue(self) -> bool {
        !matches!(self, Tag::Category(_) | Tag::Person)
    }
}

/// How a term must sit in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// The whole word.
    Word,
    /// The start of a word.
    Prefix,
    /// Anywhere in a word.
    Infix,
}

#[derive(Debug, Clone)]
struct Term {
    tag: Tag,
    mode: Mode,
    weight: f32,
}

/// Context words for the number detectors: (term, tag, mode).
const NUMBER_CUES: &[(&str, Tag, Mode)] = &[
    ("fødselsnummer", Tag::Fnr, Mode::Prefix),
    ("fødselsnr", Tag::Fnr, Mode::Prefix),
    ("fnr", Tag::Fnr, Mode::Prefix),
    ("f.nr", Tag::Fnr, Mode::Prefix),
    ("f. nr", Tag::Fnr, Mode::Prefix),
    ("personnummer", Tag::Fnr, Mode::Prefix),
    ("personnr", Tag::Fnr, Mode::Prefix),
    ("pers.nr", Tag::Fnr, Mode::Prefix),
    ("født", Tag::Fnr, Mode::Word),
    ("fødd", Tag::Fnr, Mode::Word),
    ("d-nummer", Tag::Fnr, Mode::Prefix),
    ("d-nr", Tag::Fnr, Mode::Prefix),
    ("h-nummer", Tag::Fnr, Mode::Prefix),
    ("identitetsnummer", Tag::Fnr, Mode::Prefix),
    ("kontonummer", Tag::Account, Mode::Prefix),
    ("kontonr", Tag::Account, Mode::Prefix),
    ("konto", Tag::Account, Mode::Word),
    ("kontoen", Tag::Account, Mode::Word),
    ("bankkonto", Tag::Account, Mode::Prefix),
    ("kto", Tag::Account, Mode::Word),
    ("org.nr", Tag::Org, Mode::Prefix),
    ("org. nr", Tag::Org, Mode::Prefix),
    ("org nr", Tag::Org, Mode::Prefix),
    ("orgnr", Tag::Org, Mode::Prefix),
    ("org.nummer", Tag::Org, Mode::Prefix),
    ("organisasjonsnummer", Tag::Org, Mode::Prefix),
    ("organisasjonsnr", Tag::Org, Mode::Prefix),
    ("foretaksnummer", Tag::Org, Mode::Prefix),
    ("foretaksregisteret", Tag::Org, Mode::Prefix),
    ("enhetsregisteret", Tag::Org, Mode::Prefix),
    ("mva", Tag::Org, Mode::Word),
    ("tlf", Tag::Phone, Mode::Prefix),
    ("telefon", Tag::Phone, Mode::Prefix),
    ("mobil", Tag::Phone, Mode::Prefix),
    ("mob", Tag::Phone, Mode::Word),
    ("tel", Tag::Phone, Mode::Word),
    ("telefax", Tag::Phone, Mode::Word),
    ("faks", Tag::Phone, Mode::Word),
    ("fax", Tag::Phone, Mode::Word),
    ("sms", Tag::Phone, Mode::Word),
    ("ring", Tag::Phone, Mode::Prefix),
    ("direkte", Tag::Phone, Mode::Word),
    ("sentralbord", Tag::Phone, Mode::Prefix),
    ("kr", Tag::Money, Mode::Word),
    ("kroner", Tag::Money, Mode::Word),
    ("beløp", Tag::Money, Mode::Prefix),
    ("saldo", Tag::Money, Mode::Prefix),
    ("sum", Tag::Money, Mode::Word),
];

struct TermSet {
    ac: AhoCorasick,
    terms: Vec<Term>,
}

static TERMS: LazyLock<TermSet> = LazyLock::new(|| {
    let mut patterns: Vec<String> = Vec::new();
    let mut terms = Vec::new();
    for (pattern, term) in parse_categories(CATEGORIES_DATA) {
        patterns.push(pattern);
        terms.push(term);
    }
    for &(p, tag, mode) in NUMBER_CUES {
        patterns.push(p.to_string());
        terms.push(Term {
            tag,
            mode,
            weight: 1.0,
        });
    }
    // Standard semantics with overlapping search: every term that occurs is seen, so a term
    // rejected for its word boundaries cannot hide another one at the same place.
    let ac = AhoCorasick::builder()
        .match_kind(MatchKind::Standard)
        // A few hundred short patterns: the full DFA is small and the fastest to search.
        .kind(Some(AhoCorasickKind::DFA))
        .build(&patterns)
        .expect("lexicon automaton builds");
    TermSet { ac, terms }
});

/// Parses `kategorier_no.txt` into (pattern without `*`, term). Malformed lines are skipped
/// (a test checks there are none).
fn parse_categories(data: &str) -> Vec<(String, Term)> {
    let mut out = Vec::new();
    let mut tag = None;
    for line in data.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(section) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            tag = match section {
                "kontekst" => Some(Tag::Person),
                s => PiiKind::from_name(s)
                    .filter(|k| k.is_category())
                    .map(Tag::Category),
            };
            continue;
        }
        let Some(tag) = tag else { continue };
        // A weight, when given, is the last space-separated field and parses as a number.
        let (term, weight) = match line.rsplit_once(' ') {
            Some((t, w)) if w.parse::<f32>().is_ok() => (t.trim(), w.parse().unwrap_or(1.0)),
            _ => (line, 1.0),
        };
        let (mode, core) = match (term.strip_prefix('*'), term.strip_suffix('*')) {
            (Some(inner), _) => (Mode::Infix, inner.trim_end_matches('*')),
            (None, Some(inner)) => (Mode::Prefix, inner),
            (None, None) => (Mode::Word, term),
        };
        if core.is_empty() || core.contains('*') {
            continue;
        }
        out.push((core.to_string(), Term { tag, mode, weight }));
    }
    out
}

/// One lexicon hit, in character offsets. For a category the span is the whole word (or
/// words) holding the term; for a cue it is the term.
#[derive(Debug, Clone)]
pub(crate) struct Hit {
    pub tag: Tag,
    pub start: usize,
    pub end: usize,
    pub weight: f32,
    /// Which term matched (repeats of one term count less).
    pub term: usize,
    /// The word as it stands in the text.
    pub word: String,
}

fn word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Finds every lexicon term in the case-folded text.
pub(crate) fn scan_terms(doc: &Doc<'_>) -> Vec<Hit> {
    let set = &*TERMS;
    let f = doc.folded.as_str();
    let mut hits: Vec<Hit> = Vec::new();
    for m in set.ac.find_overlapping_iter(f) {
        let term = &set.terms[m.pattern().as_usize()];
        let before = f[..m.start()].chars().next_back();
        let after = f[m.end()..].chars().next();
        let starts_word = !before.is_some_and(word_char);
        let ends_word = !after.is_some_and(word_char);
        let ok = match term.mode {
            Mode::Word => starts_word && ends_word,
            Mode::Prefix => starts_word,
            Mode::Infix => true,
        };
        if !ok {
            continue;
        }
        let (mut s, mut e) = (m.start(), m.end());
        if !term.tag.is_cue() {
            // Widen to the whole word, hyphenated compounds included.
            while let Some(c) = f[..s].chars().next_back() {
                let joined = c == '-' && f[..s - 1].chars().next_back().is_some_and(word_char);
                if !(word_char(c) || joined) {
                    break;
                }
                s -= c.len_utf8();
            }
            while let Some(c) = f[e..].chars().next() {
                let joined = c == '-' && f[e + 1..].chars().next().is_some_and(word_char);
                if !(word_char(c) || joined) {
                    break;
                }
                e += c.len_utf8();
            }
        }
        let (start, end) = (doc.folded_char_at(s), doc.folded_char_at(e));
        hits.push(Hit {
            tag: term.tag,
            start,
            end,
            weight: term.weight,
            term: m.pattern().as_usize(),
            word: if term.tag.is_cue() {
                String::new()
            } else {
                doc.slice_chars(start, end).to_string()
            },
        });
    }
    // One hit per word and tag (the heaviest), and none inside a longer hit of the same tag
    // (`økonomisk stønad` also holds `stønad`).
    hits.sort_by(|a, b| {
        a.start
            .cmp(&b.start)
            .then(b.end.cmp(&a.end))
            .then(b.weight.total_cmp(&a.weight))
    });
    let mut kept: Vec<Hit> = Vec::with_capacity(hits.len());
    for h in hits {
        let inside = kept
            .iter()
            .rev()
            .take(8)
            .any(|k| k.tag == h.tag && k.start <= h.start && h.end <= k.end);
        if !inside {
            kept.push(h);
        }
    }
    kept
}

/// Document-level scores for the special categories, and one candidate finding per hit.
///
/// A category's evidence is the sum of its hits' weights (a repeated term counts half); the
/// score rises with that evidence, with its density per 1000 words (one mention in a long
/// report says less than three in a short letter), and with whether the text is about an
/// identifiable person (`person`).
pub(crate) fn category_scores(
    hits: &[Hit],
    words: usize,
    person: bool,
) -> (Vec<(PiiKind, f32)>, Vec<Candidate>) {
    let mut scores = Vec::new();
    let mut cands = Vec::new();
    for kind in PiiKind::CATEGORIES {
        let mine: Vec<&Hit> = hits
            .iter()
            .filter(|h| h.tag == Tag::Category(kind))
            .collect();
        if mine.is_empty() {
            continue;
        }
        let mut seen: Vec<usize> = Vec::new();
        let mut evidence = 0.0f32;
        for h in &mine {
            if seen.contains(&h.term) {
                evidence += 0.5 * h.weight;
            } else {
                seen.push(h.term);
                evidence += h.weight;
            }
        }
        let density = 1000.0 * evidence / words.max(100) as f32;
        let amount = 1.0 - (-evidence / 1.5).exp();
        let dense = 0.5 + 0.5 * (density / 5.0).min(1.0);
        let personal = if person { 1.0 } else { 0.75 };
        let score = (amount * dense * personal).clamp(0.0, 1.0);
        scores.push((kind, score));
        for h in mine {
            cands.push(Candidate {
                kind,
                start: h.start,
                end: h.end,
                score: (h.weight * (0.5 + 0.5 * score)).clamp(0.0, 1.0),
                // A category word is a term, not a value: it is shown as it is.
                masked: h.word.clone(),
            });
        }
    }
    scores.sort_by(|a, b| b.1.total_cmp(&a.1));
    (scores, cands)
}

// ---------------------------------------------------------------------------------------------
// Names

/// What the lexicon knows about a capitalised word.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct NameInfo {
    given: bool,
    surname: bool,
    /// Also a common Norwegian word (Per, Liv, Strand): weak evidence alone.
    common: bool,
}

static NAMES: LazyLock<HashMap<String, NameInfo>> = LazyLock::new(|| parse_names(NAMES_DATA));

fn parse_names(data: &str) -> HashMap<String, NameInfo> {
    let mut map: HashMap<String, NameInfo> = HashMap::new();
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

/// A word of the text, in byte offsets.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Word {
    pub start: usize,
    pub end: usize,
}

/// Cuts `text` into words: letters, with hyphens and apostrophes inside (`Anne-Lise`, `O'Brien`).
pub(crate) fn tokenize(text: &str) -> Vec<Word> {
    let mut words = Vec::with_capacity(text.len() / 6);
    let mut start: Option<usize> = None;
    let mut it = text.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        let inner = matches!(c, '-' | '\'' | '’')
            && start.is_some()
            && it.peek().is_some_and(|&(_, n)| n.is_alphabetic());
        if c.is_alphabetic() || inner {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            words.push(Word { start: s, end: i });
        }
    }
    if let Some(s) = start {
        words.push(Word {
            start: s,
            end: text.len(),
        });
    }
    words
}

/// How a word is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    /// `Kari`, `Anne-Lise`
    Title,
    /// `KARI` (two letters or more)
    Upper,
    /// A single capital: a middle initial when a dot follows.
    Initial,
    Other,
}

fn case_of(w: &str) -> Case {
    let mut cs = w.chars();
    let Some(first) = cs.next() else {
        return Case::Other;
    };
    if !first.is_uppercase() {
        return Case::Other;
    }
    let (mut letters, mut upper, mut lower) = (0, 0, 0);
    for c in cs.filter(|c| c.is_alphabetic()) {
        letters += 1;
        upper += usize::from(c.is_uppercase());
        lower += usize::from(c.is_lowercase());
    }
    if letters == 0 {
        Case::Initial
    } else if upper == letters {
        Case::Upper
    } else if lower > 0 {
        Case::Title
    } else {
        Case::Other
    }
}

/// `KARI-ANNE` → `Kari-Anne`, for lexicon look-up of upper-case text.
fn title_case(w: &str) -> String {
    let mut out = String::with_capacity(w.len());
    let mut up = true;
    for c in w.chars() {
        if up {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        up = !c.is_alphabetic();
    }
    out
}

/// Lexicon knowledge of a capitalised word; a hyphenated word is a given name when its first
/// part is one, a surname when any part is one.
fn lookup(w: &str, case: Case) -> NameInfo {
    let owned;
    let w = if case == Case::Upper {
        owned = title_case(w);
        owned.as_str()
    } else {
        w
    };
    if let Some(&info) = NAMES.get(w) {
        return info;
    }
    if w.contains('-') {
        let parts: Vec<NameInfo> = w
            .split('-')
            .map(|p| NAMES.get(p).copied().unwrap_or_default())
            .collect();
        return NameInfo {
            given: parts.first().is_some_and(|p| p.given),
            surname: parts.iter().any(|p| p.surname),
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
];

/// Words before a name that make it somewhat likelier.
const WEAK_BEFORE: &[&str] = &[
    "til", "fra", "frå", "ved", "mor", "far", "sønn", "datter", "dotter", "barnet", "dr", "og",
    "med", "sa", "skriver", "opplyser",
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

/// Whether `lower` (a lower-case word) ends with one of `list`.
fn ends_with_any(lower: &str, list: &[&str]) -> bool {
    list.iter().any(|suffix| lower.ends_with(suffix))
}

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
    let mut i = 0;
    while i < words.len() {
        let w = word(i);
        if w.len() <= 10 && lower_is(&lw(i), SIGNATURE) {
            sig_zone = Some((words[i].end, words[i].end + 80));
            i += 1;
            continue;
        }
        let case = case_of(w);
        if !matches!(case, Case::Title | Case::Upper) {
            i += 1;
            continue;
        }
        // Context before the word.
        let g = gap(i);
        let prev = (i > 0).then(|| word(i - 1));
        let close = g.chars().count() <= 3 && !g.contains("\n\n");
        let prev_lower = if i > 0 { lw(i - 1) } else { "".into() };
        let strong_before = close && lower_is(&prev_lower, STRONG_BEFORE);
        let weak_before = close && lower_is(&prev_lower, WEAK_BEFORE);
        let in_signature = sig_zone.is_some_and(|(s, e)| words[i].start >= s && words[i].start < e);
        let sentence_start = i == 0
            || g.contains(['.', '!', '?', ':', ';', '\n', '•', '*', '(', '"', '«'])
            || prev.is_some_and(|p| case_of(p) == Case::Upper);
        let cue = strong_before || in_signature;

        // Collect the name: capitalised words joined by single spaces.
        let mut parts: Vec<Part> = Vec::new();
        let mut j = i;
        while j < words.len() && parts.len() < 4 {
            let wj = word(j);
            let cj = case_of(wj);
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
                    let info = lookup(wj, cj);
                    let lj = lw(j);
                    if ends_with_any(&lj, NOT_NAME_ENDINGS) || lower_is(&lj, ORG_WORDS) {
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
                            surname_like: wj.chars().count() > 3
                                && ends_with_any(&lj, SURNAME_ENDINGS),
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
                && (ends_with_any(&nw, NOT_NAME_ENDINGS) || lower_is(&nw, ORG_WORDS))
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
                && lower_is(&lw(j), ROLES_AFTER)
        });
        let lone_unknown = n == 1 && matches!(first, Part::Unknown { .. });
        if lone_unknown && !strong_before {
            // One unlexiconed word after a greeting is as often a department as a person.
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
    let mut out = String::new();
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
    use crate::pii::{analyze, categories, detect, Finding};

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
    fn data_files_parse_completely() {
        // Every non-comment line of the name file is a section or a name.
        let lines = NAMES_DATA
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#') && !l.starts_with('['))
            .count();
        assert_eq!(lines, 301);
        assert_eq!(name_count(), 301);
        let names = parse_names(NAMES_DATA);
        assert!(names["Kari"].given && !names["Kari"].common);
        assert!(names["Per"].given && names["Per"].common);
        assert!(names["Hansen"].surname);
        // Every term line of the category file parses.
        let term_lines = CATEGORIES_DATA
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with('['))
            .count();
        let parsed = parse_categories(CATEGORIES_DATA);
        assert_eq!(parsed.len(), term_lines);
        for (p, t) in &parsed {
            assert_eq!(p, &p.to_lowercase(), "{p}");
            assert!(t.weight > 0.0 && t.weight <= 1.0, "{p}");
        }
        // Every category has bokmål and nynorsk coverage of some size.
        for k in PiiKind::CATEGORIES {
            let n = parsed
                .iter()
                .filter(|(_, t)| t.tag == Tag::Category(k))
                .count();
            assert!(n >= 8, "{k}: {n}");
        }
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
        let plain = top_name_score("Dette gjelder Kari.");
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
    fn categories_bokmal_and_nynorsk() {
        let bm = "Barneverntjenesten mottok en bekymringsmelding om barnet. Det ble fattet \
                  akuttvedtak om plassering i beredskapshjem. Mor har en psykisk lidelse og \
                  diagnosen er kjent for fastlegen.";
        let cats = categories(bm);
        let get = |k| cats.iter().find(|c| c.0 == k).map_or(0.0, |c| c.1);
        assert!(get(PiiKind::Barnevern) > 0.6, "{cats:?}");
        assert!(get(PiiKind::Helse) > 0.4, "{cats:?}");
        assert_eq!(get(PiiKind::Religion), 0.0);
        assert_eq!(cats[0].0, PiiKind::Barnevern);

        let nn = "Barnevernstenesta har motteke ei bekymringsmelding. Ho har fått økonomisk \
                  stønad og sosialhjelp frå NAV-kontoret, og er sjukemeld på grunn av \
                  sjukdom.";
        let cats = categories(nn);
        let get = |k| cats.iter().find(|c| c.0 == k).map_or(0.0, |c| c.1);
        assert!(get(PiiKind::Barnevern) > 0.5, "{cats:?}");
        assert!(get(PiiKind::Sosialhjelp) > 0.5, "{cats:?}");
        assert!(get(PiiKind::Helse) > 0.4, "{cats:?}");
    }

    #[test]
    fn each_category_is_found() {
        for (text, kind) in [
            (
                "Han er siktet for tyveri og sitter i varetekt.",
                PiiKind::Straff,
            ),
            (
                "Ho vart dømd til samfunnsstraff for lovbrotet.",
                PiiKind::Straff,
            ),
            (
                "Søkeren er flyktning med etnisk minoritetsbakgrunn.",
                PiiKind::Etnisitet,
            ),
            (
                "Han er muslim og medlem av et trossamfunn.",
                PiiKind::Religion,
            ),
            (
                "Ho er medlem av trussamfunnet og den jødiske menigheita.",
                PiiKind::Religion,
            ),
            (
                "Hun er tillitsvalgt og medlem av fagforeningen.",
                PiiKind::Fagforening,
            ),
            (
                "Ho er hovudtillitsvald i fagforeininga.",
                PiiKind::Fagforening,
            ),
            ("Han opplyser at han er homofil.", PiiKind::Seksualitet),
            (
                "Saken gjelder kjønnsidentitet og seksuell orientering.",
                PiiKind::Seksualitet,
            ),
            ("Pasienten har diabetes og hjertesykdom.", PiiKind::Helse),
        ] {
            let cats = categories(text);
            assert!(
                cats.first().is_some_and(|c| c.0 == kind && c.1 > 0.3),
                "{text}: {cats:?}"
            );
        }
    }

    #[test]
    fn category_words_are_matched_as_words() {
        // "kontoret" is no "konto", "krefter" is no "kreft", "saksbehandling" is no health word.
        let a = analyze("Kontoret har krefter nok til saksbehandling av politikken.");
        assert!(a.categories.is_empty(), "{:?}", a.categories);
        // Findings name the whole word.
        let f = detect("Hjertesykdommen er alvorlig.");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].kind, PiiKind::Helse);
        assert_eq!(f[0].masked, "Hjertesykdommen");
        assert_eq!((f[0].start, f[0].end), (0, 15));
    }

    #[test]
    fn density_matters() {
        let one = "Barnevernet er nevnt. ".to_string();
        let filler = "Kommunestyret behandlet budsjettet for neste år i sitt møte. ".repeat(100);
        let short = categories(&one);
        let long = categories(&format!("{filler}{one}{filler}"));
        assert!(short[0].1 > long[0].1, "{short:?} {long:?}");
        let many = categories(&format!(
            "{one}Barnevernstjenesten vurderte omsorgsovertakelse og fosterhjem. {one}"
        ));
        assert!(many[0].1 > short[0].1);
        // A person in the text raises the score.
        let person = categories("Barnevernet er nevnt. Gjelder Kari Hansen, født 01019012138.");
        assert!(person[0].1 > short[0].1, "{person:?} {short:?}");
    }

    #[test]
    fn tokenizer_and_case() {
        let t = "Anne-Lise O'Brien, 12 barn–";
        let w: Vec<&str> = tokenize(t).iter().map(|w| &t[w.start..w.end]).collect();
        assert_eq!(w, ["Anne-Lise", "O'Brien", "barn"]);
        assert_eq!(case_of("Kari"), Case::Title);
        assert_eq!(case_of("KARI"), Case::Upper);
        assert_eq!(case_of("K"), Case::Initial);
        assert_eq!(case_of("kari"), Case::Other);
        assert_eq!(title_case("ANNE-LISE"), "Anne-Lise");
    }
}
