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
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

use super::candidate::{boost, Candidate};
use super::context::Tag;
use super::doc::Doc;
use super::kind::PiiKind;

/// The name lexicon, embedded (see its header for source and licence).
pub const NAMES_DATA: &str = include_str!("names_no.txt");
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
fn term_patterns() -> (Vec<String>, Vec<Term>) {
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

/// An Aho–Corasick automaton as a full DFA over byte classes, searched for every occurrence of
/// every pattern (overlapping, standard semantics): a term rejected for its word boundaries
/// cannot hide another one at the same place. Matches come in the order of their end, and at
/// one end the longest first, then by pattern index, as the `aho-corasick` crate reports them
/// (a test checks this against it). Written out here because the search is the hottest loop of
/// the lexicon scan, and a plain table walk is faster than the crate's general searcher.
struct TermDfa {
    /// Byte → class; bytes in no pattern share class 0.
    classes: [u8; 256],
    n_classes: usize,
    /// `trans[state * n_classes + class]`: the next state times `n_classes`, with
    /// [`TermDfa::MATCH`] set when it has matches.
    trans: Vec<u32>,
    /// The patterns that end in each state (`match_ranges[state]` in `match_pids`).
    match_ranges: Vec<(u32, u32)>,
    match_pids: Vec<u32>,
    /// Pattern lengths in bytes.
    lens: Vec<u32>,
}

impl TermDfa {
    const MATCH: u32 = 1 << 31;

    fn new<P: AsRef<[u8]>>(patterns: &[P]) -> TermDfa {
        let mut classes = [0u8; 256];
        let mut n_classes = 1;
        for p in patterns {
            for &b in p.as_ref() {
                if classes[usize::from(b)] == 0 {
                    classes[usize::from(b)] = n_classes as u8;
                    n_classes += 1;
                }
            }
        }
        // The trie: children by class, and the patterns that end in each state.
        let mut children: Vec<Vec<(u8, u32)>> = vec![Vec::new()];
        let mut own: Vec<Vec<u32>> = vec![Vec::new()];
        for (pid, p) in patterns.iter().enumerate() {
            let mut state = 0usize;
            for &b in p.as_ref() {
                let class = classes[usize::from(b)];
                state = match children[state].iter().find(|c| c.0 == class) {
                    Some(&(_, next)) => next as usize,
                    None => {
                        let next = children.len();
                        children[state].push((class, next as u32));
                        children.push(Vec::new());
                        own.push(Vec::new());
                        next
                    }
                };
            }
            own[state].push(pid as u32);
        }
        // Breadth first: failure links, match lists (a state's own patterns, then those of its
        // failure state) and the full transition table.
        let n = children.len();
        let mut fail = vec![0usize; n];
        let mut matches: Vec<Vec<u32>> = vec![Vec::new(); n];
        let mut trans = vec![0u32; n * n_classes];
        let mut queue = std::collections::VecDeque::new();
        matches[0] = own[0].clone();
        for &(class, child) in &children[0] {
            trans[usize::from(class)] = child;
            queue.push_back(child as usize);
        }
        while let Some(state) = queue.pop_front() {
            let f = fail[state];
            let mut m = own[state].clone();
            m.extend_from_slice(&matches[f]);
            matches[state] = m;
            for class in 0..n_classes {
                // Without a child the state goes where its failure state goes.
                trans[state * n_classes + class] = trans[f * n_classes + class];
            }
            for &(class, child) in &children[state] {
                let child = child as usize;
                // A child's failure state is where the failure state goes on the same byte.
                fail[child] = trans[f * n_classes + usize::from(class)] as usize;
                trans[state * n_classes + usize::from(class)] = child as u32;
                queue.push_back(child);
            }
        }
        let mut match_ranges = Vec::with_capacity(n);
        let mut match_pids = Vec::new();
        for m in &matches {
            let from = match_pids.len() as u32;
            match_pids.extend_from_slice(m);
            match_ranges.push((from, match_pids.len() as u32));
        }
        for t in &mut trans {
            let has_matches = !matches[*t as usize].is_empty();
            *t *= n_classes as u32;
            if has_matches {
                *t |= Self::MATCH;
            }
        }
        TermDfa {
            classes,
            n_classes,
            trans,
            match_ranges,
            match_pids,
            lens: patterns.iter().map(|p| p.as_ref().len() as u32).collect(),
        }
    }

    /// Every occurrence of every pattern in `hay`: (pattern, start, end), into `out`.
    ///
    /// A walk through a DFA waits on each step for the one before; so a longer text is cut in
    /// two after a byte of no pattern (where the automaton is back at its start whatever came
    /// before) and both halves are walked at once.
    fn find_all(&self, hay: &[u8], out: &mut Vec<(usize, usize, usize)>) {
        let half = hay.len() / 2;
        let cut = (hay.len() >= 64)
            .then(|| {
                hay[half..]
                    .iter()
                    .position(|&b| self.classes[usize::from(b)] == 0)
            })
            .flatten()
            .map(|k| half + k + 1);
        let Some(m) = cut.filter(|&m| m < hay.len()) else {
            self.walk(hay, 0, 0, hay.len(), out);
            return;
        };
        let (trans, classes) = (self.trans.as_slice(), &self.classes);
        let mut second = Vec::new();
        let (mut sa, mut sb) = (0usize, 0usize);
        let (mut ia, mut ib) = (0usize, m);
        while ia < m && ib < hay.len() {
            let (mut ta, mut tb) = (0, 0);
            while ia < m && ib < hay.len() {
                ta = trans[sa + usize::from(classes[usize::from(hay[ia])])];
                tb = trans[sb + usize::from(classes[usize::from(hay[ib])])];
                sa = (ta & !Self::MATCH) as usize;
                sb = (tb & !Self::MATCH) as usize;
                ia += 1;
                ib += 1;
                if (ta | tb) & Self::MATCH != 0 {
                    break;
                }
            }
            if ta & Self::MATCH != 0 {
                self.emit(sa, ia, out);
            }
            if tb & Self::MATCH != 0 {
                self.emit(sb, ib, &mut second);
            }
        }
        self.walk(hay, sa, ia, m, out);
        self.walk(hay, sb, ib, hay.len(), &mut second);
        out.append(&mut second);
    }

    /// The matches of `hay[from..to]` from `state` (times `n_classes`), into `out`.
    fn walk(
        &self,
        hay: &[u8],
        mut state: usize,
        from: usize,
        to: usize,
        out: &mut Vec<(usize, usize, usize)>,
    ) {
        let (trans, classes) = (self.trans.as_slice(), &self.classes);
        let mut i = from;
        while i < to {
            // A tight loop to the next state with matches (nothing else in it, so the state
            // stays in a register).
            let mut t = 0;
            for &b in &hay[i..to] {
                t = trans[state + usize::from(classes[usize::from(b)])];
                state = (t & !Self::MATCH) as usize;
                i += 1;
                if t & Self::MATCH != 0 {
                    break;
                }
            }
            if t & Self::MATCH == 0 {
                break;
            }
            self.emit(state, i, out);
        }
    }

    /// The matches of `state` (times `n_classes`), reached at `end`.
    fn emit(&self, state: usize, end: usize, out: &mut Vec<(usize, usize, usize)>) {
        let (from, to) = self.match_ranges[state / self.n_classes];
        for &pid in &self.match_pids[from as usize..to as usize] {
            let pid = pid as usize;
            out.push((pid, end - self.lens[pid] as usize, end));
        }
    }
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

/// `c.is_alphanumeric()`, with the Latin-1 letters of Norwegian text (`æøå`) answered without
/// the Unicode tables.
fn word_char(c: char) -> bool {
    match c {
        '\u{c0}'..='\u{ff}' => c != '\u{d7}' && c != '\u{f7}',
        _ => c.is_alphanumeric(),
    }
}

/// `c.is_alphabetic()`, the same way.
fn alpha(c: char) -> bool {
    match c {
        '\u{c0}'..='\u{ff}' => c != '\u{d7}' && c != '\u{f7}',
        _ => c.is_alphabetic(),
    }
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

/// A word of the text, in byte offsets.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Word {
    pub start: usize,
    pub end: usize,
}

/// Byte classes for [`tokenize`]: ASCII letters, other ASCII, and bytes of wide characters.
const ASCII_LETTER: u8 = 1;
const ASCII_OTHER: u8 = 0;
const WIDE: u8 = 2;
static BYTE_CLASS: [u8; 256] = {
    let mut t = [ASCII_OTHER; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        t[i] = if c >= 0x80 {
            WIDE
        } else if c.is_ascii_alphabetic() {
            ASCII_LETTER
        } else {
            ASCII_OTHER
        };
        i += 1;
    }
    t
};

/// Whether the character at byte `j` of `text` (a character boundary before the end) is a
/// letter, and its length.
#[inline(always)]
fn letter_at(text: &str, j: usize) -> (bool, usize) {
    match BYTE_CLASS[usize::from(text.as_bytes()[j])] {
        ASCII_LETTER => (true, 1),
        ASCII_OTHER => (false, 1),
        _ => {
            let c = text[j..].chars().next().unwrap_or_default();
            (alpha(c), c.len_utf8())
        }
    }
}

/// High bit of each byte of `x` set where that byte is an ASCII letter.
fn ascii_letters(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    // Folded to lower case and below 0x80 (no carry between bytes in the sums).
    let y = (x | (0x20 * ONES)) & (0x7f * ONES);
    let from_a = y + 0x1f * ONES; // high bit: y >= b'a'
    let past_z = y + 0x05 * ONES; // high bit: y > b'z'
    from_a & !past_z & !x & (0x80 * ONES)
}

/// The first byte of `b` at or after `from` not of `class` ([`ASCII_LETTER`] or
/// [`ASCII_OTHER`]), or `b.len()`: eight bytes at a time.
fn skip_class(b: &[u8], from: usize, class: u8) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut at = from;
    let mut chunks = b[from..].chunks_exact(8);
    for c in &mut chunks {
        let x = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        let letters = ascii_letters(x);
        let stop = if class == ASCII_LETTER {
            !letters & HIGH
        } else {
            letters | (x & HIGH)
        };
        if stop != 0 {
            return at + (stop.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    b[at..]
        .iter()
        .position(|&c| BYTE_CLASS[usize::from(c)] != class)
        .map_or(b.len(), |k| at + k)
}

/// Cuts `text` into words: letters, with hyphens and apostrophes inside (`Anne-Lise`, `O'Brien`).
pub(crate) fn tokenize(text: &str) -> Vec<Word> {
    let b = text.as_bytes();
    let n = b.len();
    // The first byte at or after `from` not of class `class`, or `n`.
    let skip = |from: usize, class: u8| skip_class(b, from, class);
    let mut words = Vec::with_capacity(n / 5);
    let mut i = 0;
    while i < n {
        // Between words: on to the next letter.
        i = skip(i, ASCII_OTHER);
        if i >= n {
            break;
        }
        let (is_letter, len) = letter_at(text, i);
        if !is_letter {
            i += len;
            continue;
        }
        let start = i;
        i += len;
        // In a word: letters, and a hyphen or apostrophe between two letters.
        loop {
            i = skip(i, ASCII_LETTER);
            if i >= n {
                break;
            }
            // Not an ASCII letter: a space or punctuation ends the word (the common case),
            // a hyphen or apostrophe before a letter joins, a wide letter continues it.
            let len = match b[i] {
                b'-' | b'\'' => 1,
                c if c < 0x80 => break,
                _ => {
                    let c = text[i..].chars().next().unwrap_or_default();
                    if alpha(c) {
                        i += c.len_utf8();
                        continue;
                    }
                    if c != '’' {
                        break;
                    }
                    c.len_utf8()
                }
            };
            if !(i + len < n && letter_at(text, i + len).0) {
                break;
            }
            i += len;
        }
        words.push(Word { start, end: i });
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
    // Most words start with an ASCII lower-case letter.
    if w.as_bytes()
        .first()
        .is_some_and(|&b| b < 0x80 && !b.is_ascii_uppercase())
    {
        return Case::Other;
    }
    if w.is_ascii() {
        let b = w.as_bytes();
        let (mut letters, mut upper) = (0, 0);
        for c in &b[1..] {
            letters += usize::from(c.is_ascii_alphabetic());
            upper += usize::from(c.is_ascii_uppercase());
        }
        // In ASCII a letter is either upper or lower case.
        return if letters == 0 {
            Case::Initial
        } else if upper == letters {
            Case::Upper
        } else {
            Case::Title
        };
    }
    case_by_chars(w)
}

/// The case of a word, one character at a time: the general path of [`case_of`], and the
/// reference its ASCII shortcuts are tested against.
fn case_by_chars(w: &str) -> Case {
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
#[cfg(test)]
fn title_case(w: &str) -> String {
    let mut out = String::with_capacity(w.len());
    title_case_into(w, &mut out);
    out
}

/// `KARI-ANNE` → `Kari-Anne` (for lexicon look-up of upper-case text), into a reused buffer.
fn title_case_into(w: &str, out: &mut String) {
    out.clear();
    let mut up = true;
    for c in w.chars() {
        if up {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        up = !c.is_alphabetic();
    }
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
        assert_eq!(lines, 5078);
        assert_eq!(name_count(), 5067);
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

    /// The tokenizer as first written, one character at a time.
    fn tokenize_plain(text: &str) -> Vec<(usize, usize)> {
        let mut words = Vec::new();
        let mut start: Option<usize> = None;
        let mut it = text.char_indices().peekable();
        while let Some((i, c)) = it.next() {
            let inner = matches!(c, '-' | '\'' | '’')
                && start.is_some()
                && it.peek().is_some_and(|&(_, n)| n.is_alphabetic());
            if c.is_alphabetic() || inner {
                start.get_or_insert(i);
            } else if let Some(s) = start.take() {
                words.push((s, i));
            }
        }
        if let Some(s) = start {
            words.push((s, text.len()));
        }
        words
    }

    #[test]
    fn fast_paths_agree_with_the_plain_way() {
        let texts = crate::pii::testing::random_texts(
            11,
            3000,
            60,
            &[
                "Anne-Lise ",
                "O'Brien",
                "d’Artagnan ",
                "barne-",
                "-vern",
                "KARI",
                "Ødegård",
                "æøå",
                "ÆØÅ",
                "ǅ",
                "Ⅻ",
                "ª",
                "µ",
                "×÷",
                " - ",
                "--",
                "''",
                "’’",
            ],
            "abcxyzABCXYZ æøåé0123,.-'’\n\u{a0}\u{300}",
        );
        for t in &texts {
            let fast: Vec<(usize, usize)> = tokenize(t).iter().map(|w| (w.start, w.end)).collect();
            assert_eq!(fast, tokenize_plain(t), "{t:?}");
            for &(s, e) in &fast {
                assert_eq!(case_of(&t[s..e]), case_by_chars(&t[s..e]), "{:?}", &t[s..e]);
            }
            for c in t.chars() {
                assert_eq!(word_char(c), c.is_alphanumeric(), "{c:?}");
                assert_eq!(alpha(c), c.is_alphabetic(), "{c:?}");
            }
        }
        // Every Latin-1 character, for the tables.
        for c in '\u{80}'..='\u{17f}' {
            assert_eq!(word_char(c), c.is_alphanumeric(), "{c:?}");
            assert_eq!(alpha(c), c.is_alphabetic(), "{c:?}");
        }
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

    #[test]
    fn term_automaton_finds_what_aho_corasick_finds() {
        // The order of the matches matters (ties in the hit sort keep it), so it is compared
        // too: by end, the longest first, then by pattern index.
        let (patterns, _) = term_patterns();
        let ac = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::Standard)
            .build(&patterns)
            .expect("automaton builds");
        let dfa = TermDfa::new(&patterns);
        let pieces: Vec<&str> = patterns.iter().map(String::as_str).step_by(3).collect();
        let mut texts =
            crate::pii::testing::random_texts(13, 800, 80, &pieces, "abcdefgh æøå-.,\n");
        texts.push(CATEGORIES_DATA.to_lowercase());
        texts.push(patterns.concat());
        for t in &texts {
            let want: Vec<(usize, usize, usize)> = ac
                .find_overlapping_iter(t.as_str())
                .map(|m| (m.pattern().as_usize(), m.start(), m.end()))
                .collect();
            let mut got = Vec::new();
            dfa.find_all(t.as_bytes(), &mut got);
            assert_eq!(got, want, "{t:?}");
        }
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
