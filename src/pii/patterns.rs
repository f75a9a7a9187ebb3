//! Contact data: telephone numbers, e-mail addresses and postal addresses.
//!
//! Phone numbers are read from the windows of the digit runs (`digits`), so one is never found
//! inside an account number; the address patterns run only from the places those runs mark
//! for a house number or a postnummer.

use std::sync::LazyLock;

use regex::Regex;

use super::candidate::{boost, mask_keep_digits, Candidate};
use super::context::{Context, Tag};
use super::digits::{DigitScan, Window};
use super::doc::Doc;
use super::kind::PiiKind;

/// Finds Norwegian telephone numbers: eight digits, the first 2–9, written `22334455`,
/// `22 33 44 55`, `900 11 222` or `4000 1234`, optionally after `+47` or `0047`.
pub(crate) fn phone_candidates(
    doc: &Doc<'_>,
    windows: &[Window],
    ctx: &Context,
    out: &mut Vec<Candidate>,
) {
    {
        for w in windows {
            if w.sep == '?' {
                continue;
            }
            let (digits, shape) = (w.digits(), w.shape());
            // Split off a country prefix: `+47` / `0047` as their own group or glued on.
            let (prefix_digits, national_shape): (usize, &[usize]) = match shape {
                [2, rest @ ..] if w.plus_before && digits[..2] == [4, 7] => (2, rest),
                [4, rest @ ..] if digits[..4] == [0, 0, 4, 7] => (4, rest),
                [10] if w.plus_before && digits[..2] == [4, 7] => (2, &[8]),
                [12] if digits[..4] == [0, 0, 4, 7] => (4, &[8]),
                s => (0, s),
            };
            // Only the grouped shapes are wrapped by a layout and still read as one number.
            if w.wrapped && !matches!(national_shape, [2, 2, 2, 2] | [3, 2, 3]) {
                continue;
            }
            let national = &digits[prefix_digits..];
            if national.len() != 8 || !(2..=9).contains(&national[0]) {
                continue;
            }
            let prefixed = prefix_digits > 0;
            let spaced = match national_shape {
                [8] => false,
                [2, 2, 2, 2] => true,
                [3, 2, 3] | [4, 4] => w.sep != '.',
                _ => prefixed && national_shape.len() <= 4,
            };
            if !spaced && national_shape != [8] {
                continue;
            }
            let start_byte = if w.plus_before { w.start - 1 } else { w.start };
            let (start, end) = (doc.char_at(start_byte), doc.char_at(w.end));
            let mobile = matches!(national[0], 4 | 9);
            let mut score = match (prefixed, spaced, mobile) {
                (true, _, _) => 0.95,
                (false, true, true) => 0.75,
                (false, true, false) => 0.6,
                (false, false, true) => 0.5,
                (false, false, false) => 0.35,
            };
            if ctx.near(Tag::Phone, start, end, 32, 4) {
                score = boost(score, 0.15);
            }
            if ctx.near(Tag::Money, start, end, 12, 8) {
                score *= 0.4;
            }
            if !w.whole {
                score *= 0.7;
            }
            let slice = &doc.text[start_byte..w.end];
            // Keep the country prefix and the first national digit; hide the rest.
            let prefix_len = if w.plus_before { 1 } else { 0 } + prefix_digits;
            let keep_prefix: String = slice.chars().take(prefix_len).collect();
            let masked = format!(
                "{keep_prefix}{}",
                mask_keep_digits(&slice[keep_prefix.len()..], 1)
            );
            out.push(Candidate {
                kind: PiiKind::Telefon,
                start,
                end,
                score,
                masked,
            });
        }
    }
}

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"[\p{L}\p{N}][\p{L}\p{N}._%_+'-]*@[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?)*\.\p{L}{2,24}",
    )
    .expect("e-mail pattern compiles")
});

/// Local parts that name a function, not a person (`postmottak@kommune.no`).
const ROLE_MAILBOXES: &[&str] = &[
    "post",
    "postmottak",
    "postkasse",
    "firmapost",
    "info",
    "kontakt",
    "servicetorget",
    "kundeservice",
    "sentralbord",
    "sekretariat",
    "noreply",
    "no-reply",
    "support",
    "admin",
];

/// Finds e-mail addresses.
pub(crate) fn email_candidates(doc: &Doc<'_>, out: &mut Vec<Candidate>) {
    for m in EMAIL.find_iter(doc.text) {
        let s = m.as_str();
        let Some((local, domain)) = s.split_once('@') else {
            continue;
        };
        // Trailing dots and dashes in the local part are allowed by the pattern; a local part
        // that is only punctuation after its first character is still an address.
        // A functional mailbox (postmottak@, post@) belongs to an office, not a person: it is
        // still masked in previews, but it is not personal data to report or screen.
        let role = ROLE_MAILBOXES.contains(&local.to_lowercase().as_str());
        let score = if role { 0.3 } else { 0.9 };
        out.push(Candidate {
            kind: PiiKind::Epost,
            start: doc.char_at(m.start()),
            end: doc.char_at(m.end()),
            score,
            masked: mask_email(local, domain),
        });
    }
}

/// `ola.nordmann@kommune.no` → `o***@k******.no`: the first letter of the local part, then a
/// fixed `***` (its length would say something); each domain label but the last as its first
/// letter and one star per further letter; the top-level domain as it is.
fn mask_email(local: &str, domain: &str) -> String {
    let mut out = String::with_capacity(local.len().min(8) + domain.len() + 4);
    out.extend(local.chars().next());
    out.push_str("***@");
    let labels: Vec<&str> = domain.split('.').collect();
    for (i, label) in labels.iter().enumerate() {
        if i + 1 == labels.len() {
            out.push_str(label);
        } else {
            let mut cs = label.chars();
            out.extend(cs.next());
            out.extend(cs.map(|_| '*'));
            out.push('.');
        }
    }
    out
}

/// The endings of Norwegian street names, glued on (`Kirkegata`) or as their own word after a
/// capitalised one (`Kongens gate`). Longer forms first, so the automaton prefers them.
const STREET_SUFFIXES: &str = "gaten|gata|gate|veien|vegen|vei|veg|vn\\.|gt\\.|alleen|allé|alle|plassen|plass|stien|sti|torget|torg|bakken|bakke|bryggen|brygge|kaien|kaia|kai|ringen|svingen|tunet|lia|åsen|stredet|smuget|løkka|løkken|jordet|haugen|kroken|myra|sletta|vollen|terrasse|lunden|parken|enga|engen|bråten|kollen|grenda|vika|neset|berget|toppen|hagen|dalen";
const STREET_WORDS: &str = "gate|gata|vei|veg|allé|plass|sti|torg|brygge|terrasse";

static STREET: LazyLock<Regex> = LazyLock::new(|| {
    let pat = format!(
        r"(?x)
        (?P<street>
            (?:\p{{Lu}}[\p{{L}}'’.-]*\ ){{1,3}}(?:{words})
          | \p{{Lu}}[\p{{L}}'’-]*(?:{suffixes})
        )
        \ (?P<num>[1-9][0-9]{{0,3}})(?:\ ?[A-Za-z](?-u:\b))?
        (?:,?[\ \n]+(?P<post>[0-9]{{4}})\ (?P<sted>\p{{Lu}}[\p{{L}}-]+(?:\ \p{{Lu}}[\p{{L}}-]+)?))?",
        words = STREET_WORDS,
        suffixes = STREET_SUFFIXES
    );
    Regex::new(&pat).expect("street pattern compiles")
});

static POSTSTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?m)(?:^[\ \t]*|,\ ?)(?P<post>[0-9]{4})\ (?P<sted>\p{Lu}[\p{L}-]+(?:\ \p{Lu}[\p{L}-]+)?)",
    )
    .expect("poststed pattern compiles")
});

/// The street endings and street words as plain text, by their last byte; a word is `true`.
static STREET_ENDS: LazyLock<Vec<Vec<(String, bool)>>> = LazyLock::new(|| {
    let mut by_last = vec![Vec::new(); 256];
    let ends = STREET_SUFFIXES.split('|').map(|e| (e, false));
    for (e, word) in ends.chain(STREET_WORDS.split('|').map(|w| (w, true))) {
        let e = e.replace('\\', "");
        if let Some(&last) = e.as_bytes().last() {
            by_last[usize::from(last)].push((e, word));
        }
    }
    by_last
});

/// Where [`STREET`] can have a match whose house number follows the space at `s`, starting at
/// `at` or later: the earliest possible start, or `None` when no match can have it.
///
/// A street is `\p{Lu}` and letters (`.'’-`) up to the space, ending in a street suffix, or up
/// to three such words and a street word; it holds no digit, so a match starting at or after
/// `at` has its number at the first such space after its start. The check is exact for ASCII
/// and lets every wide character pass as a capital and a letter: it may only err towards a
/// search that finds nothing here (and goes on to the next match, as a plain search would).
fn street_start(b: &[u8], at: usize, s: usize) -> Option<usize> {
    let maybe_upper = |c: u8| c >= 0x80 || c.is_ascii_uppercase();
    let in_word = |c: u8, dot: bool| {
        c >= 0x80 || c.is_ascii_alphabetic() || c == b'\'' || c == b'-' || (dot && c == b'.')
    };
    // Start of the run of word characters that ends at `end`.
    let run_start = |end: usize, dot: bool| {
        b[..end]
            .iter()
            .rposition(|&c| !in_word(c, dot))
            .map_or(0, |k| k + 1)
    };
    // The first possible capital in `from..to`.
    let first_upper = |from: usize, to: usize| {
        (from < to)
            .then(|| b[from..to].iter().position(|&c| maybe_upper(c)))
            .flatten()
            .map(|k| from + k)
    };
    let last = *b[..s].last()?;
    let mut lo: Option<usize> = None;
    for (end, word) in &STREET_ENDS[usize::from(last)] {
        if !b[..s].ends_with(end.as_bytes()) {
            continue;
        }
        let e = s - end.len();
        let start = if *word {
            // `Kongens gate`: words of `\p{Lu}[\p{L}'’.-]*` joined by single spaces.
            if e == 0 || b[e - 1] != b' ' {
                continue;
            }
            let sp = e - 1;
            let nearest = run_start(sp, true);
            if first_upper(nearest.max(at), sp).is_none() {
                continue;
            }
            let mut farthest = nearest;
            for _ in 0..2 {
                if farthest < 2 || b[farthest - 1] != b' ' || !in_word(b[farthest - 2], true) {
                    break;
                }
                farthest = run_start(farthest - 1, true);
            }
            first_upper(farthest.max(at), sp)
        } else {
            // `Kirkeveien`: one word of `\p{Lu}[\p{L}'’-]*` and the suffix.
            first_upper(run_start(e, false).max(at), e)
        };
        if let Some(p) = start {
            lo = Some(lo.map_or(p, |l| l.min(p)));
        }
    }
    lo
}

/// Where [`POSTSTED`] can have a match, starting at `at` or later, whose postnummer is the
/// four digits at `g`: the earliest possible start, or `None`. The part before the digits
/// (`^[ \t]*` or `,\ ?`) holds no digit, so the postnummer of a match is the first digit group
/// after its start. Exact for ASCII; a wide character passes as a capital and a letter.
fn postnummer_start(b: &[u8], at: usize, g: usize) -> Option<usize> {
    let sted = b
        .get(g + 5)
        .is_some_and(|&c| c >= 0x80 || c.is_ascii_uppercase())
        && b.get(g + 6)
            .is_some_and(|&c| c >= 0x80 || c.is_ascii_alphabetic() || c == b'-');
    if !sted {
        return None;
    }
    let line = b[..g]
        .iter()
        .rposition(|&c| c != b' ' && c != b'\t')
        .map_or(Some(0), |k| (b[k] == b'\n').then_some(k + 1));
    let comma = match (
        g.checked_sub(2).map(|k| b[k]),
        g.checked_sub(1).map(|k| b[k]),
    ) {
        (Some(b','), Some(b' ')) => Some(g - 2),
        (_, Some(b',')) => Some(g - 1),
        _ => None,
    };
    [line, comma]
        .into_iter()
        .flatten()
        .filter(|&p| p >= at)
        .min()
}

/// The matches of `STREET.find_iter(text)`, without running the automaton over the stretches
/// where no match can start: each search starts at the earliest place a street can start
/// before the next house number ([`DigitScan::house_numbers`]).
fn street_matches<'t>(
    text: &'t str,
    house_numbers: &'t [usize],
) -> impl Iterator<Item = regex::Match<'t>> + 't {
    let mut at = 0;
    let mut next = house_numbers.iter();
    std::iter::from_fn(move || {
        let lo = next
            .by_ref()
            .filter(|&&s| s > at)
            .find_map(|&s| street_start(text.as_bytes(), at, s))?;
        let m = STREET.find_at(text, lo)?;
        at = m.end();
        Some(m)
    })
}

/// The groups of a [`STREET`] match, without running the capturing engine: (end of `street`,
/// end of `num`, whether `post` took part). The street runs up to the first space before a
/// digit 1–9 (it holds no digit), the number is the digits after it (at most four: the pattern
/// is greedy and all after it optional), and there is a postnummer when anything after the
/// number holds a digit (a house letter does not).
fn street_groups(
    text: &str,
    house_numbers: &[usize],
    m: &regex::Match<'_>,
) -> Option<(usize, usize, bool)> {
    let b = text.as_bytes();
    let k = house_numbers.partition_point(|&s| s <= m.start());
    let s = *house_numbers.get(k)?;
    let num_end = s
        + 1
        + b[s + 1..]
            .iter()
            .take(4)
            .take_while(|c| c.is_ascii_digit())
            .count();
    let has_post = b[num_end.min(m.end())..m.end()]
        .iter()
        .any(u8::is_ascii_digit);
    Some((s, num_end, has_post))
}

/// The matches of `POSTSTED.captures_iter(text)`, each searched for from where it can start:
/// a line start or a comma before four digits ([`DigitScan::postnumbers`]), a space and a
/// capital.
fn postnummer_matches<'t>(
    text: &'t str,
    postnumbers: &'t [usize],
) -> impl Iterator<Item = regex::Captures<'t>> + 't {
    let mut at = 0;
    let mut next = postnumbers.iter();
    std::iter::from_fn(move || {
        let lo = next
            .by_ref()
            .filter(|&&g| g >= at)
            .find_map(|&g| postnummer_start(text.as_bytes(), at, g))?;
        let caps = POSTSTED.captures_at(text, lo)?;
        at = caps.get(0).map_or(text.len(), |m| m.end());
        Some(caps)
    })
}

/// Finds postal addresses: street name and number (with a letter, and with `, 4001 Stavanger`
/// after it), and postnummer with poststed alone at the start of a line or after a comma.
/// `digits` tells where the numbers can be.
pub(crate) fn address_candidates(doc: &Doc<'_>, digits: &DigitScan, out: &mut Vec<Candidate>) {
    let text = doc.text;
    let house_numbers = &digits.house_numbers;
    let matches = street_matches(text, house_numbers);
    for all in matches {
        let Some((s, num_end, has_post)) = street_groups(text, house_numbers, &all) else {
            continue;
        };
        let street = &text[all.start()..s];
        // The street must start a word; the number must end one (`Storgata 12345` is not an
        // address and `Storgata 12.03` is a date).
        let before = text[..all.start()].chars().next_back();
        let mut end = all.end();
        if !has_post {
            let rest = &text[end..];
            let mut it = rest.chars();
            let (a, b) = (it.next(), it.next());
            if a.is_some_and(char::is_alphanumeric)
                || (matches!(a, Some('.' | ',' | '/' | '-'))
                    && b.is_some_and(|c| c.is_ascii_digit()))
            {
                continue;
            }
        } else if text[end..]
            .chars()
            .next()
            .is_some_and(char::is_alphanumeric)
        {
            // The poststed ran into a longer word; keep street and number only.
            end = num_end;
        }
        if before.is_some_and(char::is_alphanumeric) || street.len() < 4 {
            continue;
        }
        let with_post = end == all.end() && has_post;
        let score = if with_post { 0.95 } else { 0.75 };
        out.push(Candidate {
            kind: PiiKind::Adresse,
            start: doc.char_at(all.start()),
            end: doc.char_at(end),
            score,
            masked: mask_address(&text[all.start()..end]),
        });
    }
    let matches = postnummer_matches(text, &digits.postnumbers);
    for caps in matches {
        let (Some(post), Some(sted)) = (caps.name("post"), caps.name("sted")) else {
            continue;
        };
        if text[sted.end()..]
            .chars()
            .next()
            .is_some_and(char::is_alphanumeric)
            || text[..post.start()]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_digit())
        {
            continue;
        }
        out.push(Candidate {
            kind: PiiKind::Adresse,
            start: doc.char_at(post.start()),
            end: doc.char_at(sted.end()),
            score: 0.5,
            masked: mask_address(&text[post.start()..sted.end()]),
        });
    }
}

/// `Storgata 12B, 4001 Stavanger` → `S*** **, **** S***`: words as their initial and `***`,
/// numbers as stars (a house number always two, so its length says nothing; a postnummer four),
/// a house letter after a number dropped, commas kept, line breaks as spaces.
fn mask_address(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending = String::new();
    let mut prev_number = false;
    let pieces = s.split_inclusive(|c: char| c.is_whitespace() || c == ',');
    for piece in pieces {
        let token = piece.trim_end_matches(|c: char| c.is_whitespace() || c == ',');
        let sep = &piece[token.len()..];
        let mut cs = token.chars();
        match (cs.next(), cs.next()) {
            (None, _) => {}
            (Some(c), None) if prev_number && c.is_ascii_alphabetic() => {
                // `12 A`: the letter belongs to the house number, which is already hidden.
                pending.clear();
            }
            (Some(first), _) => {
                out.push_str(&pending);
                pending.clear();
                if first.is_ascii_digit() {
                    let digits = token.chars().filter(char::is_ascii_digit).count();
                    out.push_str(if digits == 4 { "****" } else { "**" });
                    prev_number = true;
                } else {
                    out.push(first);
                    out.push_str("***");
                    prev_number = false;
                }
            }
        }
        for c in sep.chars() {
            if c == ',' {
                pending.push(',');
            } else if !pending.ends_with(' ') {
                pending.push(' ');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::pii::{detect, PiiKind};

    #[test]
    fn address_search_finds_what_the_patterns_find() {
        // The prefiltered searches and the groups read off a match, against the plain
        // iteration of the patterns, on texts full of near-addresses.
        let texts = crate::pii::testing::random_texts(
            17,
            3000,
            24,
            &[
                "Storgata",
                "Kongens ",
                "gate",
                "gata",
                "vei",
                "veien",
                "Øvre ",
                "Ullern ",
                "terrasse",
                "vn.",
                "gt.",
                "St. ",
                "Olavs ",
                "allé",
                "Åsen",
                "løkka",
                "-",
                "’",
                " 12",
                " 4",
                " 0",
                " 12345",
                " 3 B",
                " 7a",
                ", 4001 ",
                "4001 ",
                "\n5003 ",
                " Stavanger",
                " Oslo",
                " Nord Odal",
                "\n",
                ", ",
                " ",
                "  ",
                "\t",
            ],
            "aAbBzZøØ0123 ,.\n",
        );
        for t in &texts {
            let digits = crate::pii::digits::digit_runs(t);
            let fast: Vec<_> = super::street_matches(t, &digits.house_numbers)
                .map(|m| m.range())
                .collect();
            let plain: Vec<_> = super::STREET.find_iter(t).map(|m| m.range()).collect();
            assert_eq!(fast, plain, "{t:?}");
            for caps in super::STREET.captures_iter(t) {
                let (Some(all), Some(street), Some(num)) =
                    (caps.get(0), caps.name("street"), caps.name("num"))
                else {
                    panic!("groups in {t:?}");
                };
                let groups = super::street_groups(t, &digits.house_numbers, &all);
                assert_eq!(
                    groups,
                    Some((street.end(), num.end(), caps.name("post").is_some())),
                    "{t:?}"
                );
            }
            let fast: Vec<_> = super::postnummer_matches(t, &digits.postnumbers)
                .filter_map(|c| c.get(0).map(|m| m.range()))
                .collect();
            let plain: Vec<_> = super::POSTSTED
                .captures_iter(t)
                .filter_map(|c| c.get(0).map(|m| m.range()))
                .collect();
            assert_eq!(fast, plain, "{t:?}");
        }
    }

    fn only(text: &str, kind: PiiKind) -> Vec<crate::pii::Finding> {
        detect(text)
            .into_iter()
            .filter(|f| f.kind == kind)
            .collect()
    }

    #[test]
    fn phone_formats() {
        for (text, masked) in [
            ("Tlf. 22 33 44 55", "2* ** ** **"),
            ("mobil 900 11 222", "9** ** ***"),
            ("ring 98765432", "9*******"),
            ("+47 22 33 44 55", "+47 2* ** ** **"),
            ("+4798765432", "+479*******"),
            ("0047 900 11 222", "0047 9** ** ***"),
            ("telefon 4000 1234", "4*** ****"),
        ] {
            let f = only(text, PiiKind::Telefon);
            assert_eq!(f.len(), 1, "{text}: {f:?}");
            assert_eq!(f[0].masked, masked, "{text}");
            assert!(f[0].score >= 0.85, "{text}: {}", f[0].score);
        }
    }

    #[test]
    fn phone_wrapped_at_a_line_end() {
        let f = only(
            "kontakt meg på telefon 55 58 85\n92 eller e-post",
            PiiKind::Telefon,
        );
        assert_eq!(f.len(), 1);
        assert!(f[0].score >= 0.5);
        // A number on the next line does not spoil a whole number on this one.
        let f = only("telefon 22 33 44 55\n2020 var et godt år", PiiKind::Telefon);
        assert_eq!(f.len(), 1);
        assert!(f[0].score >= 0.5, "{f:?}");
        // Years in a list are not phone numbers.
        assert!(only("2019\n2020\n2021", PiiKind::Telefon)
            .iter()
            .all(|f| f.score < 0.5));
    }

    #[test]
    fn phone_rejects_and_low_scores() {
        // First digit 0 or 1 is no Norwegian subscriber number.
        assert!(only("tlf 12 34 56 78", PiiKind::Telefon).is_empty());
        assert!(only("tlf 01234567", PiiKind::Telefon).is_empty());
        // Seven or nine digits; a date; a case number; an amount with decimals.
        assert!(only("2233445", PiiKind::Telefon).is_empty());
        assert!(only("01.02.2020", PiiKind::Telefon).is_empty());
        assert!(only("sak 2020/22334455", PiiKind::Telefon).is_empty());
        assert!(only("22334455,50", PiiKind::Telefon).is_empty());
        // A bare eight-digit landline-like number without context is weak evidence.
        let f = only("referanse 33445566 gjelder", PiiKind::Telefon);
        assert!(f[0].score < 0.5);
        // An amount in kroner is not a phone number.
        let f = only("kr 22 33 44 55", PiiKind::Telefon);
        assert!(f.iter().all(|f| f.score < 0.4), "{f:?}");
    }

    #[test]
    fn email() {
        let f = only("Send til ola.nordmann@kommune.no.", PiiKind::Epost);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].masked, "o***@k******.no");
        assert_eq!((f[0].start, f[0].end), (9, 32));
        assert!(f[0].score > 0.8);
        let f = only("postmottak@stavanger.kommune.no", PiiKind::Epost);
        assert_eq!(f[0].masked, "p***@s********.k******.no");
        assert!(f[0].score < 0.8);
        let f = only("kari_østby+sak@eksempel-firma.com", PiiKind::Epost);
        assert_eq!(f[0].masked, "k***@e*************.com");
        assert!(only("ikke en adresse @ her", PiiKind::Epost).is_empty());
        assert!(only("a@b", PiiKind::Epost).is_empty());
    }

    #[test]
    fn addresses() {
        for (text, masked, min) in [
            ("Storgata 12, 4001 Stavanger", "S*** **, **** S***", 0.9),
            ("bor i Kirkeveien 5B", "K*** **", 0.7),
            ("Kongens gate 12 A", "K*** g*** **", 0.7),
            ("Dronning Mauds gate 3", "D*** M*** g*** **", 0.7),
            ("Øvre Ullern terrasse 14", "Ø*** U*** t*** **", 0.7),
            (
                "adresse: Solbakken 3\n5003 Bergen",
                "S*** ** **** B***",
                0.9,
            ),
        ] {
            let f = only(text, PiiKind::Adresse);
            assert_eq!(f.len(), 1, "{text}: {f:?}");
            assert_eq!(f[0].masked, masked, "{text}");
            assert!(f[0].score >= min, "{text}");
        }
        // Postnummer and poststed alone, at a line start.
        let f = only("Kari Hansen\n0150 Oslo", PiiKind::Adresse);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].masked, "**** O***");
        // Not addresses: no street ending, a long number, a date, lower case.
        assert!(only("Sak 12 gjelder", PiiKind::Adresse).is_empty());
        assert!(only("Storgata 12345", PiiKind::Adresse).is_empty());
        assert!(only("Storgata 12.03.2020", PiiKind::Adresse).is_empty());
        assert!(only("en gate 5 meter bred", PiiKind::Adresse).is_empty());
    }
}
