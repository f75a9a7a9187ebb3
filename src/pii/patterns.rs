//! Contact data: telephone numbers, e-mail addresses and postal addresses; and the digit-run
//! scanner the number detectors share.
//!
//! Numbers are not found with one regular expression per format: a text is first cut into
//! *digit runs* (digit groups joined by single spaces, dots or dashes, as in `22 33 44 55`,
//! `1234.56.78903`, `010190 12345`), and each detector then looks at the windows of whole
//! groups whose shape it knows. That keeps a phone number from being found inside an account
//! number, and a number that continues past the shape (`22 33 44 55 66`) from being cut to fit.

use std::sync::LazyLock;

use regex::Regex;

use super::fnr::{boost, mask_keep_digits};
use super::lexicon::Tag;
use super::{Candidate, Context, Doc, PiiKind};

/// A maximal sequence of ASCII digit groups joined by single separator characters.
pub(crate) struct DigitRun {
    /// Byte ranges of the groups in the text.
    groups: Vec<(usize, usize)>,
    /// The digits of each group, as values 0–9.
    digits: Vec<Vec<u8>>,
    /// `seps[i]` joins group `i` and `i + 1`.
    seps: Vec<char>,
    /// The character just before the first group (for a `+47` prefix).
    plus_before: bool,
}

/// Consecutive whole groups of a [`DigitRun`], as a detector sees them.
pub(crate) struct Window {
    /// Byte range in the text.
    pub start: usize,
    pub end: usize,
    /// All digits of the window, as values 0–9.
    pub digits: Vec<u8>,
    /// The length of each group.
    pub shape: Vec<usize>,
    /// The separator between the groups: `'\0'` for one group, `'?'` when they differ.
    pub sep: char,
    /// Whether the window is the whole run (nothing joined on either side).
    pub whole: bool,
    /// Whether the first group follows a `+` (only for a window that starts the run).
    pub plus_before: bool,
}

/// The longest window looked at, in groups: `+47 22 33 44 55` has five.
const MAX_GROUPS: usize = 5;
/// The most digits of any shape (`0047` and eight more).
const MAX_DIGITS: usize = 12;

fn is_sep(c: char) -> bool {
    matches!(c, ' ' | '.' | '-' | '\u{a0}' | '\u{202f}')
}

/// Cuts `text` into digit runs. A run that touches a letter (`A123`, `12a`), a slash
/// (`2020/1234`, a case number) or a decimal comma (`12,50`) is not a number any detector
/// wants and is dropped.
pub(crate) fn digit_runs(text: &str) -> Vec<DigitRun> {
    let b = text.as_bytes();
    let mut runs = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let run_start = i;
        let mut groups = Vec::new();
        let mut digits = Vec::new();
        let mut seps = Vec::new();
        let mut j = i;
        loop {
            let g = j;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            groups.push((g, j));
            digits.push(b[g..j].iter().map(|d| d - b'0').collect::<Vec<u8>>());
            // One separator character, then a digit, continues the run.
            let sep = text[j..].chars().next().filter(|&c| is_sep(c));
            match sep {
                Some(c) if b.get(j + c.len_utf8()).is_some_and(u8::is_ascii_digit) => {
                    seps.push(c);
                    j += c.len_utf8();
                }
                _ => break,
            }
        }
        let before = text[..run_start].chars().next_back();
        let after = text[j..].chars().next();
        let after2 = text[j..].chars().nth(1);
        let bad_before = before.is_some_and(|c| c.is_alphanumeric() || c == '/' || c == '_');
        let bad_after = after.is_some_and(|c| c.is_alphanumeric() || c == '/' || c == '_')
            || (matches!(after, Some(',' | '.')) && after2.is_some_and(|c| c.is_ascii_digit()));
        if !bad_before && !bad_after {
            runs.push(DigitRun {
                groups,
                digits,
                seps,
                plus_before: before == Some('+'),
            });
        }
        i = j.max(i + 1);
    }
    runs
}

impl DigitRun {
    /// Every window of up to [`MAX_GROUPS`] whole groups and [`MAX_DIGITS`] digits.
    pub(crate) fn windows(&self) -> impl Iterator<Item = Window> + '_ {
        let n = self.groups.len();
        (0..n).flat_map(move |i| {
            (1..=MAX_GROUPS.min(n - i)).filter_map(move |k| {
                let shape: Vec<usize> = self.digits[i..i + k].iter().map(Vec::len).collect();
                if shape.iter().sum::<usize>() > MAX_DIGITS {
                    return None;
                }
                let seps = &self.seps[i..i + k - 1];
                let sep = match seps.first() {
                    None => '\0',
                    Some(&c) if seps.iter().all(|&s| s == c) => c,
                    Some(_) => '?',
                };
                Some(Window {
                    start: self.groups[i].0,
                    end: self.groups[i + k - 1].1,
                    digits: self.digits[i..i + k].concat(),
                    shape,
                    sep,
                    whole: i == 0 && i + k == n,
                    plus_before: i == 0 && self.plus_before,
                })
            })
        })
    }
}

/// Finds Norwegian telephone numbers: eight digits, the first 2–9, written `22334455`,
/// `22 33 44 55`, `900 11 222` or `4000 1234`, optionally after `+47` or `0047`.
pub(crate) fn phone_candidates(
    doc: &Doc<'_>,
    runs: &[DigitRun],
    ctx: &Context,
    out: &mut Vec<Candidate>,
) {
    for run in runs {
        for w in run.windows() {
            if w.sep == '?' {
                continue;
            }
            // Split off a country prefix: `+47` / `0047` as their own group or glued on.
            let (prefix_digits, national_shape): (usize, Vec<usize>) = match w.shape.as_slice() {
                [2, rest @ ..] if w.plus_before && w.digits[..2] == [4, 7] => (2, rest.to_vec()),
                [4, rest @ ..] if w.digits[..4] == [0, 0, 4, 7] => (4, rest.to_vec()),
                [10] if w.plus_before && w.digits[..2] == [4, 7] => (2, vec![8]),
                [12] if w.digits[..4] == [0, 0, 4, 7] => (4, vec![8]),
                s => (0, s.to_vec()),
            };
            let national = &w.digits[prefix_digits..];
            if national.len() != 8 || !(2..=9).contains(&national[0]) {
                continue;
            }
            let prefixed = prefix_digits > 0;
            let spaced = match national_shape.as_slice() {
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
        let role = ROLE_MAILBOXES.contains(&local.to_lowercase().as_str());
        let score = if role { 0.6 } else { 0.9 };
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
    let mut out = String::new();
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

/// Finds postal addresses: street name and number (with a letter, and with `, 4001 Stavanger`
/// after it), and postnummer with poststed alone at the start of a line or after a comma.
pub(crate) fn address_candidates(doc: &Doc<'_>, out: &mut Vec<Candidate>) {
    let text = doc.text;
    for caps in STREET.captures_iter(text) {
        let (Some(all), Some(street)) = (caps.get(0), caps.name("street")) else {
            continue;
        };
        // The street must start a word; the number must end one (`Storgata 12345` is not an
        // address and `Storgata 12.03` is a date).
        let before = text[..all.start()].chars().next_back();
        let mut end = all.end();
        if caps.name("post").is_none() {
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
            end = caps.name("num").map_or(end, |m| m.end());
        }
        if before.is_some_and(char::is_alphanumeric) || street.as_str().len() < 4 {
            continue;
        }
        let with_post = end == all.end() && caps.name("post").is_some();
        let score = if with_post { 0.95 } else { 0.75 };
        out.push(Candidate {
            kind: PiiKind::Adresse,
            start: doc.char_at(all.start()),
            end: doc.char_at(end),
            score,
            masked: mask_address(&text[all.start()..end]),
        });
    }
    for caps in POSTSTED.captures_iter(text) {
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
