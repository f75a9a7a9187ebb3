//! Personal-data detection: identity numbers, accounts, organisation numbers, contact data,
//! names of persons, and the special categories (GDPR art. 9 and 10, forvaltningsloven § 13).
//!
//! Every detector runs on the plain extracted text of one document and reports [`Finding`]s:
//! a kind, a span in *characters* (not bytes, so the offsets match what a reviewer counts and
//! what the review table stores), a score in `[0, 1]` and a masked rendering that never holds
//! the clear value. [`categories`] gives the document-level view of the special categories,
//! which is what screening (`skjerming`) decisions rest on.
//!
//! ```
//! use arkivar::pii::{detect, mask, PiiKind};
//! let text = "Fnr. 01019012138, tlf. 22 33 44 55, e-post ola@kommune.no.";
//! let found = detect(text);
//! assert_eq!(found[0].kind, PiiKind::Fodselsnummer);
//! assert_eq!(found[0].masked, "010190*****");
//! assert_eq!(mask(text, &found), "Fnr. 010190*****, tlf. 2* ** ** **, e-post o***@k******.no.");
//! ```
//!
//! Scores are heuristic confidences, not calibrated probabilities: a consumer picks its own
//! threshold (0.5 is a sensible default for masking and for `pii_kinds`). Compiled patterns and
//! lexicons are built once per process ([`std::sync::LazyLock`]); one call allocates a folded
//! copy of the text, a word list, and small vectors for what it finds, and nothing else that
//! grows with the lexicons.
//!
//! The cost is about that of a few passes over the bytes (a budget of well under a tenth of
//! text extraction): the text is scanned in bytes and only the final spans are turned into
//! character offsets (through a list of the non-ASCII characters, not a table per character);
//! the lexicon terms are found with one walk of a byte DFA; the regular expressions for
//! addresses run only from where a cheap test of the bytes says a match can start.
//!
//! The detectors ([`fnr`]: identity, account and organisation numbers; [`patterns`]: phone,
//! e-mail, address; [`names`]: names of persons; [`terms`]: the special categories and the
//! context words) each import only the shared building blocks below them, never each other:
//! the kinds and findings (`kind`), the text view (`doc`), the context words (`context`), a
//! finding before overlaps are resolved and its scoring and masking helpers (`candidate`),
//! the digit runs (`digits`) and the words of a text (`tokens`). This module runs them all
//! ([`analyze`]) and resolves their overlaps; [`screening`] turns the findings into the review
//! table's columns.

pub mod eval;
pub mod fnr;
pub mod names;
pub mod patterns;
pub mod report_text;
pub mod screening;
pub mod terms;

mod candidate;
mod context;
mod digits;
mod doc;
mod kind;
mod term_dfa;
#[cfg(test)]
mod testing;
mod tokens;

pub use kind::{Finding, PiiKind};

use candidate::Candidate;
use context::Context;
use doc::Doc;

/// Everything the detectors say about one text: the findings and the document-level scores of
/// the special categories. [`analyze`] computes both in one pass.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Analysis {
    /// All findings, sorted by start, without overlaps.
    pub findings: Vec<Finding>,
    /// Special categories with at least one hit, highest score first.
    pub categories: Vec<(PiiKind, f32)>,
}

/// Runs every detector on `text`: findings (sorted, overlaps resolved) and category scores.
/// Digits of other scripts (fullwidth, Arabic-Indic) are read as ASCII digits first, one
/// character for one, so a fødselsnummer written `０１０１９０１２３４５` is found and the
/// findings' character offsets hold for `text` as given.
pub fn analyze(text: &str) -> Analysis {
    if !text.is_ascii() && text.chars().any(|c| ascii_digit(c) != c) {
        let ascii: String = text.chars().map(ascii_digit).collect();
        return analyze_ascii(&ascii);
    }
    analyze_ascii(text)
}

fn analyze_ascii(text: &str) -> Analysis {
    let doc = Doc::new(text);
    let hits = terms::scan_terms(&doc);
    let ctx = Context::new(hits.iter().map(|h| (h.start, h.tag)));

    let mut cands = Vec::with_capacity(64);
    let runs = digits::digit_runs(text);
    let windows = runs.windows(text);
    fnr::number_candidates(&doc, &windows, &ctx, &mut cands);
    patterns::phone_candidates(&doc, &windows, &ctx, &mut cands);
    patterns::email_candidates(&doc, &mut cands);
    patterns::address_candidates(&doc, &runs, &mut cands);
    let words = tokens::tokenize(text);
    names::name_candidates(&doc, &words, &mut cands);

    // The category scores look at the identifying findings (a name or a fødselsnummer makes a
    // health word personal), so they are computed after those and before the overlap pass.
    let person_evident = cands.iter().any(|c| match c.kind {
        PiiKind::Fodselsnummer | PiiKind::DNummer | PiiKind::HNummer => c.score >= 0.5,
        PiiKind::Navn => c.score >= 0.6,
        _ => false,
    });
    let (categories, category_cands) =
        terms::category_scores(&hits, words.len(), person_evident || ctx.person_words >= 2);
    cands.extend(category_cands);

    Analysis {
        findings: resolve(cands),
        categories,
    }
}

/// All findings in `text`, sorted by start; where two overlap, the stronger kind wins (a valid
/// fødselsnummer is not also reported as a phone or account number).
pub fn detect(text: &str) -> Vec<Finding> {
    analyze(text).findings
}

/// `message` with the identifying numbers and e-mail addresses in it masked: for messages that
/// may quote a document or the export (an extraction error, an export problem), which must not
/// carry personal data into a log or the review table. Digits of other scripts (fullwidth,
/// Arabic-Indic) are read as ASCII digits first, so `０１０１９０１２３４５` is found too.
///
/// ```
/// use arkivar::pii::mask_identifiers;
/// let m = mask_identifiers(r#"bevaringstid is not a number: "29104143669""#);
/// assert!(!m.contains("29104143669"), "{m}");
/// let m = mask_identifiers("</２９１０４１４３６６９>");
/// assert!(!m.contains("29104143669") && !m.contains("６６９"), "{m}");
/// assert_eq!(mask_identifiers("12 bytes, over the limit of 268435456"),
///            "12 bytes, over the limit of 268435456");
/// ```
pub fn mask_identifiers(message: &str) -> String {
    let ascii: String = message.chars().map(ascii_digit).collect();
    let findings: Vec<Finding> = detect(&ascii)
        .into_iter()
        .filter(|f| {
            matches!(
                f.kind,
                PiiKind::Fodselsnummer
                    | PiiKind::DNummer
                    | PiiKind::HNummer
                    | PiiKind::SyntheticNummer
                    | PiiKind::Kontonummer
                    | PiiKind::Telefon
                    | PiiKind::Epost
            )
        })
        .collect();
    let masked = mask(&ascii, &findings);
    mask_check_digit_numbers(&masked)
}

/// Masks every run of exactly 11 digits that passes the check digits of an identity or account
/// number, whatever surrounds it (`</29104143669>`): in a message there is no context that could
/// make such a number harmless.
fn mask_check_digit_numbers(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let run = &text[start..i];
        if run.len() == 11 && (fnr::validate_identity(run).is_some() || fnr::valid_account(run)) {
            out.push_str(&text[last..start]);
            out.push_str(&candidate::mask_keep_digits(run, 0));
            last = i;
        }
    }
    out.push_str(&text[last..]);
    out
}

/// A digit of another script as its ASCII digit (fullwidth, Arabic-Indic, Eastern
/// Arabic-Indic); anything else as it is.
fn ascii_digit(c: char) -> char {
    let value = |zero: char| char::from_u32('0' as u32 + (c as u32 - zero as u32));
    match c {
        '\u{FF10}'..='\u{FF19}' => value('\u{FF10}'),
        '\u{0660}'..='\u{0669}' => value('\u{0660}'),
        '\u{06F0}'..='\u{06F9}' => value('\u{06F0}'),
        _ => None,
    }
    .unwrap_or(c)
}

/// Document-level scores of the special categories found in `text` (kind, score in `[0, 1]`),
/// highest first. A score grows with the number and weight of hits, their density per 1000
/// words, and whether the text is about an identifiable person.
pub fn categories(text: &str) -> Vec<(PiiKind, f32)> {
    analyze(text).categories
}

/// `text` with each finding's span replaced by its masked rendering. Findings that overlap an
/// earlier one, or fall outside the text, are skipped. Category findings leave their words as
/// they are (their `masked` is the word itself). Every finding given is masked, whatever its
/// score: pass only those at or above [`DEFAULT_THRESHOLD`] for a lighter mask.
pub fn mask(text: &str, findings: &[Finding]) -> String {
    let mut order: Vec<&Finding> = findings.iter().collect();
    order.sort_by_key(|f| (f.start, f.end));
    let mut out = String::with_capacity(text.len());
    let mut next = order.into_iter().peekable();
    let mut skip_until = 0usize;
    for (i, c) in text.chars().enumerate() {
        while let Some(f) = next.next_if(|f| f.start <= i) {
            if f.start == i && f.end > f.start && i >= skip_until {
                out.push_str(&f.masked);
                skip_until = f.end;
            }
        }
        if i >= skip_until {
            out.push(c);
        }
    }
    out
}

/// Keeps, of every set of overlapping candidates, the one of the strongest kind (then the
/// highest score, then the longest), and sorts the rest by start.
fn resolve(mut cands: Vec<Candidate>) -> Vec<Finding> {
    cands.retain(|c| c.end > c.start && c.score >= MIN_SCORE);
    // Strongest kind first, then the highest score, the longest span, the earliest start, and
    // (a stable sort) the order found: as integer keys, sorted without scratch allocation.
    use std::cmp::Reverse;
    let mut keys: Vec<_> = cands
        .iter()
        .enumerate()
        .map(|(i, c)| {
            (
                Reverse(c.kind.priority()),
                Reverse(total_order_key(c.score)),
                Reverse(c.end - c.start),
                c.start,
                i,
            )
        })
        .collect();
    keys.sort_unstable();
    let order = keys.into_iter().map(|k| k.4);
    // Accepted spans (start, end), sorted by start and not overlapping: overlap is checked
    // against the neighbour only.
    let mut taken: Vec<(usize, usize)> = Vec::with_capacity(cands.len());
    let mut out = Vec::with_capacity(cands.len());
    for i in order {
        let c = &mut cands[i];
        let before = taken.partition_point(|t| t.0 < c.end);
        if before > 0 && taken[before - 1].1 > c.start {
            continue;
        }
        let at = taken.partition_point(|t| t.0 < c.start);
        taken.insert(at, (c.start, c.end));
        out.push(Finding {
            kind: c.kind,
            start: c.start,
            end: c.end,
            score: c.score.clamp(0.0, 1.0),
            masked: std::mem::take(&mut c.masked),
        });
    }
    // The findings do not overlap: their starts differ.
    out.sort_unstable_by_key(|f| (f.start, f.end));
    out
}

/// An integer that orders as `f32::total_cmp` orders the floats.
fn total_order_key(x: f32) -> i32 {
    let bits = x.to_bits() as i32;
    // Negative floats order backwards by their bits: flip all but the sign bit.
    bits ^ (((bits >> 31) as u32) >> 1) as i32
}

/// The score from which a finding should count: for `pii_kinds`, `pii_count` and masking a
/// preview. [`detect`] reports weaker findings too (a sentence-initial "Per" scores under 0.1),
/// so a consumer can choose; [`mask`] masks whatever it is given.
pub const DEFAULT_THRESHOLD: f32 = 0.5;

/// Candidates scoring below this are dropped: they are noise that no threshold would keep.
const MIN_SCORE: f32 = 0.05;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fodselsnummer_in_other_scripts_digits_is_found_and_masked_where_it_stands() {
        let ascii = "Søknad fra Åse Ødegård, født 01019012138, om økonomisk stønad";
        for zero in ['\u{FF10}', '\u{0660}', '\u{06F0}'] {
            let text: String = ascii
                .chars()
                .map(|c| match c.to_digit(10) {
                    Some(d) => char::from_u32(zero as u32 + d).unwrap(),
                    None => c,
                })
                .collect();
            let found = detect(&text);
            let fnr = found
                .iter()
                .find(|f| f.kind == PiiKind::Fodselsnummer)
                .unwrap_or_else(|| panic!("fnr found in {text}: {found:?}"));
            let span: String = text
                .chars()
                .skip(fnr.start)
                .take(fnr.end - fnr.start)
                .collect();
            assert_eq!(span.chars().count(), 11, "{span}");
            assert!(
                span.chars().all(|c| c.to_digit(10).is_none() && c != ' '),
                "{span}"
            );
            let masked = mask(&text, &found);
            assert!(!masked.contains(&span[span.len() - 6..]), "{masked}");
        }
    }

    #[test]
    fn offsets_are_characters_not_bytes() {
        let text = "Søknad fra Åse Ødegård, født 01019012138, om økonomisk stønad";
        let found = detect(text);
        let fnr = found
            .iter()
            .find(|f| f.kind == PiiKind::Fodselsnummer)
            .expect("fnr found");
        let span: String = text
            .chars()
            .skip(fnr.start)
            .take(fnr.end - fnr.start)
            .collect();
        assert_eq!(span, "01019012138");
        for f in &found {
            assert!(f.end <= text.chars().count());
        }
    }

    #[test]
    fn overlap_stronger_kind_wins() {
        // A valid fødselsnummer is 11 digits; it must not also come out as an account number
        // or a phone number, and no two findings may overlap.
        let text = "Fnr 01019012138 og 22334455, tlf. 22 33 44 55";
        let found = detect(text);
        assert_eq!(found[0].kind, PiiKind::Fodselsnummer);
        for w in found.windows(2) {
            assert!(w[0].end <= w[1].start, "{found:?}");
        }
    }

    #[test]
    fn debug_shows_only_masked() {
        let found = detect("Ring meg på 98765432 eller skriv til kari.hansen@eksempel.no");
        assert!(found.len() >= 2);
        let dbg = format!("{found:?}");
        assert!(!dbg.contains("98765432"), "{dbg}");
        assert!(!dbg.contains("kari.hansen"), "{dbg}");
        assert!(!dbg.contains("eksempel"), "{dbg}");
    }

    #[test]
    fn mask_replaces_spans_and_keeps_the_rest() {
        let text = "Til Kari Hansen, Storgata 12, 4001 Stavanger. Fnr: 010190 12138.";
        let found = detect(text);
        let masked = mask(text, &found);
        assert!(
            masked.starts_with("Til K*** H***, S*** **, **** S***."),
            "{masked}"
        );
        assert!(masked.ends_with("Fnr: 010190 *****."), "{masked}");
        for clear in ["Kari", "Hansen", "Storgata", "Stavanger", "12138"] {
            assert!(!masked.contains(clear), "{clear} in {masked}");
        }
    }

    #[test]
    fn masked_never_holds_the_clear_value() {
        let text = "Søker: Kari Nordmann, født 01019012138, D-nummer 41019012121?\n\
                    Adresse: Lagårdsveien 44, 4010 Stavanger. Konto 1503.70.12006.\n\
                    Tlf. +47 922 11 333, e-post kari.nordmann@eksempel.no.\n\
                    Med vennlig hilsen\nTrygve Nordmo, saksbehandler";
        let found = detect(text);
        let kinds: Vec<PiiKind> = found.iter().map(|f| f.kind).collect();
        for k in [
            PiiKind::Navn,
            PiiKind::Fodselsnummer,
            PiiKind::Adresse,
            PiiKind::Kontonummer,
            PiiKind::Telefon,
            PiiKind::Epost,
        ] {
            assert!(kinds.contains(&k), "{k} missing: {found:?}");
        }
        for f in &found {
            let clear: String = text.chars().skip(f.start).take(f.end - f.start).collect();
            if f.kind == PiiKind::Organisasjonsnummer || f.kind.is_category() {
                continue;
            }
            assert_ne!(f.masked, clear);
            // No run of four or more clear characters of the value survives, apart from the
            // birth date of an identity number, the first four digits of an account, the
            // top-level domain and the country prefix.
            let allowed = ["010190", "410190", "1503.", "+47 9", ".no"];
            let chars: Vec<char> = clear.chars().collect();
            for w in chars.windows(4) {
                let piece: String = w.iter().collect();
                if piece.contains('*') || piece.chars().all(|c| !c.is_alphanumeric()) {
                    continue;
                }
                if allowed.iter().any(|a| a.contains(piece.as_str())) {
                    continue;
                }
                assert!(!f.masked.contains(&piece), "{piece} in {:?}", f.masked);
            }
        }
        let masked = mask(text, &found);
        for clear in [
            "Nordmann",
            "12138",
            "Lagårdsveien",
            "922 11 333",
            "kari.nordmann",
            "Trygve",
        ] {
            assert!(!masked.contains(clear), "{clear} in {masked}");
        }
    }

    #[test]
    fn mask_tolerates_bad_findings() {
        let bad = vec![
            Finding {
                kind: PiiKind::Navn,
                start: 3,
                end: 100,
                score: 1.0,
                masked: "X".into(),
            },
            Finding {
                kind: PiiKind::Navn,
                start: 4,
                end: 2,
                score: 1.0,
                masked: "Y".into(),
            },
        ];
        assert_eq!(mask("abcdef", &bad), "abcX");
        assert_eq!(mask("", &bad), "");
    }

    #[test]
    fn no_panic_on_random_unicode() {
        let alphabet: Vec<char> =
            "0123456789 .-+@,:/\nabcæøåÆØÅKPHSxyzé\u{a0}\u{130}\u{212a}ß🙂\u{301}"
                .chars()
                .collect();
        let pieces = [
            "010190",
            "12138",
            "+47",
            "0047",
            "gate ",
            "Per ",
            "Hansen",
            "barnevern",
            "@kommune.no",
            "Med vennlig hilsen\n",
            "Kjære ",
            " 4001 ",
            "Storgata 5",
        ];
        // The crate's seeded test PRNG, so a failure repeats.
        let mut rng = crate::synth::rng::Rng::new(0x5eed_1234_abcd_ef01);
        for _ in 0..1500 {
            let len = (rng.next_u64() % 120) as usize;
            let mut s = String::new();
            for _ in 0..len {
                if rng.next_u64().is_multiple_of(5) {
                    s.push_str(pieces[(rng.next_u64() % pieces.len() as u64) as usize]);
                } else if rng.next_u64().is_multiple_of(7) {
                    if let Some(c) = char::from_u32((rng.next_u64() % 0x2_0000) as u32) {
                        s.push(c);
                    }
                } else {
                    s.push(alphabet[(rng.next_u64() % alphabet.len() as u64) as usize]);
                }
            }
            let a = analyze(&s);
            let n = s.chars().count();
            for w in a.findings.windows(2) {
                assert!(w[0].end <= w[1].start);
            }
            for f in &a.findings {
                assert!(f.start < f.end && f.end <= n);
                assert!((0.0..=1.0).contains(&f.score));
            }
            for (_, sc) in &a.categories {
                assert!((0.0..=1.0).contains(sc));
            }
            let _ = mask(&s, &a.findings);
        }
    }
}
