//! The special categories and the context words: the term lists (`kategorier_no.txt` and the
//! number detectors' cues), matched with one Aho–Corasick automaton over the case-folded text
//! (whole words, word prefixes, or stems inside words), and the document-level scores of the
//! special categories.

use std::sync::LazyLock;

use super::candidate::Candidate;
use super::context::Tag;
use super::doc::Doc;
use super::kind::PiiKind;
use super::term_dfa::TermDfa;
use super::tokens::word_char;

/// The special-category word lists, embedded.
pub const CATEGORIES_DATA: &str = include_str!("kategorier_no.txt");

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

/// A lexicon term: what it is evidence of, how it must sit in the text, and its weight.
#[derive(Debug, Clone)]
pub(super) struct Term {
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

/// The lexicon terms and the automaton they are searched with.
struct TermSet {
    dfa: TermDfa,
    terms: Vec<Term>,
}

static TERMS: LazyLock<TermSet> = LazyLock::new(|| {
    let (patterns, terms) = term_patterns();
    TermSet {
        dfa: TermDfa::new(&patterns),
        terms,
    }
});

/// Every lexicon term: the patterns (lower case, without `*`) and what each means, in order.
pub(super) fn term_patterns() -> (Vec<String>, Vec<Term>) {
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
    (patterns, terms)
}

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
pub(crate) struct Hit<'a> {
    pub tag: Tag,
    pub start: usize,
    pub end: usize,
    pub weight: f32,
    /// Which term matched (repeats of one term count less).
    pub term: usize,
    /// The word as it stands in the text.
    pub word: &'a str,
}

/// Finds every lexicon term in the case-folded text.
pub(crate) fn scan_terms<'a>(doc: &Doc<'a>) -> Vec<Hit<'a>> {
    let set = &*TERMS;
    let f = doc.folded.as_str();
    let mut hits: Vec<Hit> = Vec::with_capacity(32);
    let mut found = Vec::with_capacity(32);
    set.dfa.find_all(f.as_bytes(), &mut found);
    for (pid, m_start, m_end) in found {
        let term = &set.terms[pid];
        let before = f[..m_start].chars().next_back();
        let after = f[m_end..].chars().next();
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
        let (mut s, mut e) = (m_start, m_end);
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
        // `Mæland sykehjem`, `Haukeland sykehus`: after a proper name inside a sentence, the
        // word names an institution (a workplace, an address), which says little about a
        // person's health or circumstances.
        let weight = if !term.tag.is_cue() && after_proper_name(doc.text, doc.byte_at(start)) {
            term.weight * 0.3
        } else {
            term.weight
        };
        hits.push(Hit {
            tag: term.tag,
            start,
            end,
            weight,
            term: pid,
            word: if term.tag.is_cue() {
                ""
            } else {
                doc.folded_span(s, e, start, end)
            },
        });
    }
    // One hit per word and tag (the heaviest), and none inside a longer hit of the same tag
    // (`økonomisk stønad` also holds `stønad`).
    // A stable sort, as an unstable one with the position as the last key.
    let mut order: Vec<usize> = (0..hits.len()).collect();
    order.sort_unstable_by(|&i, &j| {
        let (a, b) = (&hits[i], &hits[j]);
        a.start
            .cmp(&b.start)
            .then(b.end.cmp(&a.end))
            .then(b.weight.total_cmp(&a.weight))
            .then(i.cmp(&j))
    });
    let mut kept: Vec<Hit> = Vec::with_capacity(hits.len());
    for i in order {
        let h = &hits[i];
        let inside = kept
            .iter()
            .rev()
            .take(8)
            .any(|k| k.tag == h.tag && k.start <= h.start && h.end <= k.end);
        if !inside {
            kept.push(h.clone());
        }
    }
    kept
}

/// Whether the word at byte `at` of `text` follows a capitalised word inside a sentence
/// (`… ved Mæland sykehjem`), one space apart.
fn after_proper_name(text: &str, at: usize) -> bool {
    let Some(before) = text.get(..at).and_then(|t| t.strip_suffix(' ')) else {
        return false;
    };
    let word_start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| !c.is_alphanumeric() && c != '-')
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = &before[word_start..];
    let capitalised = word.chars().next().is_some_and(char::is_uppercase)
        && word.chars().skip(1).any(char::is_lowercase);
    // Inside a sentence: a lower-case word or a comma before the capitalised one.
    let inside = before[..word_start]
        .trim_end_matches(' ')
        .chars()
        .next_back()
        .is_some_and(|c| c.is_lowercase() || c == ',');
    capitalised && inside
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
        // One strong, category-defining word (barnevern, sosialhjelp, diagnose) in a short text
        // about a person is enough to count; a weak word alone is not.
        let amount = 1.0 - (-evidence / 1.3).exp();
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
                masked: h.word.to_string(),
            });
        }
    }
    scores.sort_by(|a, b| b.1.total_cmp(&a.1));
    (scores, cands)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pii::{analyze, categories, detect};

    #[test]
    fn category_data_parses_completely() {
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
    fn institution_names_weigh_little() {
        assert!(after_proper_name("stilling ved Mæland sykehjem", 21));
        assert!(!after_proper_name("Sykehjem er bra", 0));
        assert!(!after_proper_name("Han bor på sykehjem", 12));
        // A capital at the start of a sentence is no proper name.
        assert!(!after_proper_name(
            "Det var bra. Langtidsplass sykehjem",
            27
        ));
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
}
