//! Identity numbers (fødselsnummer, D-, H- and synthetic numbers), bank account numbers and
//! organisation numbers: the checksum rules, and the detector that applies them to the digit
//! runs of a text.
//!
//! Rules, as Skatteetaten publishes them:
//! - A fødselsnummer is `DDMMYY iii k1 k2`. `k1` is mod 11 over the first nine digits with
//!   weights 3,7,6,1,8,9,4,5,2; `k2` mod 11 over the first ten with weights 5,4,3,2,7,6,5,4,3,2.
//!   A remainder that would make a check digit 10 means the number is never issued.
//! - The individnummer `iii` gives the century: 000–499 → 1900–1999; 500–749 with YY ≥ 54 →
//!   1854–1899; 500–999 with YY ≤ 39 → 2000–2039; 900–999 with YY ≥ 40 → 1940–1999.
//! - D-nummer: day + 40. H-nummer: month + 40. Synthetic test numbers (Tenor): month + 80
//!   (a synthetic D-nummer has both day + 40 and month + 80).
//! - From 2032 (Skatteetaten, «Nytt fødselsnummer fra 2032») `k1` may take four values: the
//!   weighted sum of the first ten digits may leave remainder 0, 1, 2 or 3 mod 11, `k2` is
//!   computed as before, and the individnummer no longer tells the century. Both rules are
//!   accepted; a number valid only under the new one scores lower, since four times as many
//!   random numbers pass it.
//! - Account numbers: 11 digits, the last a mod-11 check digit over the first ten with weights
//!   5,4,3,2,7,6,5,4,3,2 (the same rule as `k2`, so every fødselsnummer also passes it: the
//!   shape and the context words decide which it is).
//! - Organisation numbers: 9 digits, the last a mod-11 check digit with weights 3,2,7,6,5,4,3,2.

use super::candidate::{boost, mask_keep_digits, Candidate};
use super::context::{Context, Tag};
use super::digits::Window;
use super::doc::Doc;
use super::kind::PiiKind;

const W1: [u32; 9] = [3, 7, 6, 1, 8, 9, 4, 5, 2];
const W2: [u32; 10] = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
const W_ORG: [u32; 8] = [3, 2, 7, 6, 5, 4, 3, 2];

/// Which check-digit rule an identity number passes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckRule {
    /// The rule for every number issued before 2032 (`k1` remainder 0).
    Classic,
    /// Valid only under the rule for numbers issued from 2032 (`k1` remainder 1, 2 or 3).
    From2032,
}

/// A valid identity number, as [`validate_identity`] reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdentityNumber {
    /// [`PiiKind::Fodselsnummer`], [`PiiKind::DNummer`], [`PiiKind::HNummer`] or
    /// [`PiiKind::SyntheticNummer`].
    pub kind: PiiKind,
    /// The check-digit rule it passes.
    pub rule: CheckRule,
}

/// Reads `digits` (exactly 11 ASCII digits, nothing else) as an identity number: both check
/// digits, a real calendar date (29 February only in a leap year of the century the
/// individnummer gives), and the kind from the day and month offsets. `None` when it is not one.
pub fn validate_identity(digits: &str) -> Option<IdentityNumber> {
    let d = digits_of::<11>(digits)?;
    identity(&d)
}

/// Whether `digits` (exactly 11 ASCII digits) is a bank account number by its check digit.
pub fn valid_account(digits: &str) -> bool {
    digits_of::<11>(digits).is_some_and(|d| account(&d))
}

/// Whether `digits` (exactly 9 ASCII digits) is an organisation number by its check digit.
pub fn valid_orgnr(digits: &str) -> bool {
    digits_of::<9>(digits).is_some_and(|d| orgnr(&d))
}

fn digits_of<const N: usize>(s: &str) -> Option<[u8; N]> {
    let b = s.as_bytes();
    if b.len() != N || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut d = [0u8; N];
    for (slot, &c) in d.iter_mut().zip(b) {
        *slot = c - b'0';
    }
    Some(d)
}

fn weighted(d: &[u8], w: &[u32]) -> u32 {
    d.iter().zip(w).map(|(&a, &b)| u32::from(a) * b).sum()
}

fn identity(d: &[u8; 11]) -> Option<IdentityNumber> {
    // k1: classic rule is remainder 0 of the sum over ten digits (weight 1 on k1 itself).
    let r1 = (weighted(&d[..9], &W1) + u32::from(d[9])) % 11;
    let rule = match r1 {
        0 => CheckRule::Classic,
        1..=3 => CheckRule::From2032,
        _ => return None,
    };
    if !(weighted(&d[..10], &W2) + u32::from(d[10])).is_multiple_of(11) {
        return None;
    }
    let dd = d[0] * 10 + d[1];
    let mm = d[2] * 10 + d[3];
    let yy = u32::from(d[4]) * 10 + u32::from(d[5]);
    let ind = u32::from(d[6]) * 100 + u32::from(d[7]) * 10 + u32::from(d[8]);

    let (day, d_number) = match dd {
        1..=31 => (dd, false),
        41..=71 => (dd - 40, true),
        _ => return None,
    };
    let (month, kind) = match mm {
        1..=12 => (mm, None),
        41..=52 => (mm - 40, Some(PiiKind::HNummer)),
        81..=92 => (mm - 80, Some(PiiKind::SyntheticNummer)),
        _ => return None,
    };
    let kind = match (kind, d_number) {
        (None, false) => PiiKind::Fodselsnummer,
        (None, true) => PiiKind::DNummer,
        (Some(PiiKind::HNummer), true) => return None,
        (Some(k), _) => k,
    };

    let date_ok = match rule {
        // Numbers issued before 2032: the individnummer decides the century.
        CheckRule::Classic => century(ind, yy).is_some_and(|c| real_date(c + yy, month, day)),
        // From 2032 the individnummer says nothing about the century: any possible one will do.
        CheckRule::From2032 => [1800, 1900, 2000]
            .into_iter()
            .filter(|&c| c != 1800 || yy >= 54)
            .any(|c| real_date(c + yy, month, day)),
    };
    date_ok.then_some(IdentityNumber { kind, rule })
}

/// The century an individnummer gives for a two-digit year (classic rule).
fn century(ind: u32, yy: u32) -> Option<u32> {
    match ind {
        0..=499 => Some(1900),
        500..=749 if yy >= 54 => Some(1800),
        500..=999 if yy <= 39 => Some(2000),
        900..=999 if yy >= 40 => Some(1900),
        _ => None,
    }
}

fn real_date(year: u32, month: u8, day: u8) -> bool {
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

fn account(d: &[u8; 11]) -> bool {
    (weighted(&d[..10], &W2) + u32::from(d[10])).is_multiple_of(11)
}

fn orgnr(d: &[u8; 9]) -> bool {
    let r = weighted(&d[..8], &W_ORG) % 11;
    let check = (11 - r) % 11;
    check != 10 && u32::from(d[8]) == check
}

/// Characters before a number its own label may start at (`Fødselsnummer: ` is 15).
const LABEL_REACH: usize = 20;

/// The score of an 11-digit number beside a fødselsnummer label whose check digits fail
/// (a misread digit): under the 0.9 of a valid one, over the screening threshold.
const MISREAD_SCORE: f32 = 0.7;

/// Whether an 11-digit number starts as a fødselsnummer, D- or H-number or synthetic number
/// does: a day (1–31, or +40) and a month (1–12, +40 or +80).
fn birth_date_shaped(d: &[u8; 11]) -> bool {
    let day = d[0] * 10 + d[1];
    let month = d[2] * 10 + d[3];
    let day_ok = (1..=31).contains(&(day % 40)) && day < 72;
    let month_ok = [0, 40, 80]
        .iter()
        .any(|off| month > *off && month - off <= 12);
    day_ok && month_ok
}

/// Finds identity, account and organisation numbers among the digit runs of the text.
pub(crate) fn number_candidates(
    doc: &Doc<'_>,
    windows: &[Window],
    ctx: &Context,
    out: &mut Vec<Candidate>,
) {
    {
        for w in windows {
            // Identity and account numbers are not read across a line break.
            if w.wrapped {
                continue;
            }
            let (digits, shape) = (w.digits(), w.shape());
            // Only these shapes are numbers of ours: skip the rest before any offset work.
            if !matches!(
                (digits.len(), shape),
                (11, [11] | [6, 5] | [4, 2, 5]) | (9, [9] | [3, 3, 3])
            ) {
                continue;
            }
            let (start, end) = (doc.char_at(w.start), doc.char_at(w.end));
            let slice = &doc.text[w.start..w.end];
            // A window inside a longer run (other numbers joined by spaces) is less certain.
            let interior = if w.whole { 1.0 } else { 0.75 };
            let money = ctx.near(Tag::Money, start, end, 12, 8);
            let near = |tag| ctx.near(tag, start, end, 48, 20);
            // The label right before the number ("Fødselsnummer: …", "f.nr. …"), not one
            // belonging to a neighbouring number.
            let labelled = |tag| ctx.near(tag, start, end, LABEL_REACH, 0);
            match (digits.len(), shape) {
                (11, [11]) | (11, [6, 5]) => {
                    let mut d = [0u8; 11];
                    d.copy_from_slice(digits);
                    let fnr_cue = near(Tag::Fnr);
                    let account_cue = near(Tag::Account);
                    let as_id = if shape == [6, 5] && !matches!(w.sep, ' ' | '-' | '\u{a0}') {
                        None
                    } else {
                        identity(&d)
                    };
                    match as_id {
                        // An 11-digit run that passes the identity checks is read as an
                        // account only when the text says "konto" and not "fødselsnummer".
                        Some(id) if !(account_cue && !fnr_cue && shape == [11]) => {
                            let mut score = match id.kind {
                                PiiKind::Fodselsnummer => 0.9,
                                PiiKind::DNummer => 0.85,
                                _ => 0.8,
                            };
                            if id.rule == CheckRule::From2032 {
                                score *= 0.75;
                            }
                            if fnr_cue {
                                score = boost(score, 0.1);
                            } else if account_cue {
                                score *= 0.7;
                            }
                            if money {
                                score *= 0.6;
                            }
                            out.push(Candidate {
                                kind: id.kind,
                                start,
                                end,
                                score: score * interior,
                                masked: mask_keep_digits(slice, 6),
                            });
                        }
                        _ if shape == [11] && account(&d) => {
                            let mut score = if account_cue { 0.9 } else { 0.45 };
                            if money {
                                score *= 0.6;
                            }
                            out.push(Candidate {
                                kind: PiiKind::Kontonummer,
                                start,
                                end,
                                score: score * interior,
                                masked: mask_keep_digits(slice, 4),
                            });
                        }
                        // Check digits that fail beside a fødselsnummer label, on a number
                        // that starts with a birth date: one digit misread by OCR (or mistyped)
                        // breaks the check, and such a number still identifies a person.
                        _ if labelled(Tag::Fnr) && birth_date_shaped(&d) => {
                            out.push(Candidate {
                                kind: PiiKind::Fodselsnummer,
                                start,
                                end,
                                score: MISREAD_SCORE * interior,
                                masked: mask_keep_digits(slice, 6),
                            });
                        }
                        _ => {}
                    }
                }
                (11, [4, 2, 5]) if matches!(w.sep, '.' | ' ' | '\u{a0}') => {
                    let mut d = [0u8; 11];
                    d.copy_from_slice(digits);
                    if account(&d) {
                        let mut score = 0.9;
                        if near(Tag::Account) {
                            score = boost(score, 0.2);
                        }
                        out.push(Candidate {
                            kind: PiiKind::Kontonummer,
                            start,
                            end,
                            score: score * interior,
                            masked: mask_keep_digits(slice, 4),
                        });
                    }
                }
                (9, [9]) | (9, [3, 3, 3]) => {
                    let mut d = [0u8; 9];
                    d.copy_from_slice(digits);
                    if !orgnr(&d) {
                        continue;
                    }
                    // "NO 974 760 673 MVA" is the VAT form of an organisation number.
                    let vat = doc.text[..w.start].ends_with("NO ")
                        || doc.text[w.end..].trim_start().starts_with("MVA");
                    let cue = vat || near(Tag::Org);
                    // Enhetsregisteret issues numbers starting with 8 or 9; others pass the
                    // checksum by chance one time in eleven and need a context word.
                    let mut score = match (digits[0] >= 8, cue) {
                        (_, true) => 0.95,
                        (true, false) => 0.55,
                        (false, false) => continue,
                    };
                    if money {
                        score *= 0.5;
                    }
                    out.push(Candidate {
                        kind: PiiKind::Organisasjonsnummer,
                        start,
                        end,
                        score: score * interior,
                        // Organisation numbers are public (Enhetsregisteret): nothing to hide.
                        masked: slice.to_string(),
                    });
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pii::detect;

    /// Completes nine digits to an 11-digit number whose k1 leaves remainder `rem` (0 is the
    /// classic rule, 1–3 the 2032 rule); `None` where a check digit would be 10.
    fn make(first9: &str, rem: u32) -> Option<String> {
        let d: Vec<u8> = first9.bytes().map(|b| b - b'0').collect();
        let s1 = weighted(&d, &W1);
        let k1 = (11 + rem - s1 % 11) % 11;
        if k1 >= 10 {
            return None;
        }
        let mut d10 = d.clone();
        d10.push(k1 as u8);
        let k2 = (11 - weighted(&d10, &W2) % 11) % 11;
        if k2 == 10 {
            return None;
        }
        Some(format!("{first9}{k1}{k2}"))
    }

    /// The first valid classic number for a date and individnummer range.
    fn first_valid(date: &str, inds: std::ops::RangeInclusive<u32>) -> String {
        inds.filter_map(|i| make(&format!("{date}{i:03}"), 0))
            .next()
            .expect("some individnummer gives valid check digits")
    }

    /// Changes one digit so the checksum fails.
    fn corrupt(s: &str, pos: usize) -> String {
        let mut b = s.as_bytes().to_vec();
        b[pos] = b'0' + (b[pos] - b'0' + 1) % 10;
        String::from_utf8(b).unwrap_or_default()
    }

    #[test]
    fn classic_fodselsnummer_valid_and_corrupted() {
        for (date, inds) in [
            ("010190", 0..=499),
            ("311299", 0..=499),
            ("150875", 900..=999),
            ("010105", 500..=999),
            ("120360", 500..=749),
        ] {
            let n = first_valid(date, inds);
            let id = validate_identity(&n).expect("valid");
            assert_eq!(id.kind, PiiKind::Fodselsnummer, "{n}");
            assert_eq!(id.rule, CheckRule::Classic);
            for pos in 0..11 {
                let bad = corrupt(&n, pos);
                // A changed digit breaks k2 (every digit has a non-zero weight mod 11).
                assert_eq!(validate_identity(&bad), None, "{bad}");
            }
        }
    }

    #[test]
    fn check_digit_ten_is_never_issued() {
        // A prefix whose k1 would be 10: no completion passes the classic rule.
        let prefix = (0..1000)
            .map(|i| format!("010190{i:03}"))
            .find(|p| {
                let d: Vec<u8> = p.bytes().map(|b| b - b'0').collect();
                weighted(&d, &W1) % 11 == 1
            })
            .expect("some prefix");
        assert!(make(&prefix, 0).is_none());
        for last2 in 0..100 {
            let n = format!("{prefix}{last2:02}");
            assert!(validate_identity(&n).is_none_or(|id| id.rule == CheckRule::From2032));
        }
    }

    #[test]
    fn century_from_individnummer() {
        // 500–749 is 1854–1899 only for YY ≥ 54, and 2000–2039 only for YY ≤ 39: YY = 45 with
        // individnummer 600 fits no century.
        for i in 500..900 {
            if let Some(n) = make(&format!("010145{i}"), 0) {
                assert_eq!(validate_identity(&n), None, "{n}");
            }
        }
        // 900–999 with YY = 45 is 1945: valid.
        assert!(validate_identity(&first_valid("010145", 900..=999)).is_some());
    }

    #[test]
    fn leap_days() {
        // 29.02.2000: individnummer 500–999 gives 2000, a leap year.
        let n2000 = first_valid("290200", 500..=999);
        assert!(validate_identity(&n2000).is_some(), "{n2000}");
        // 29.02.1900: individnummer 000–499 gives 1900, not a leap year.
        assert_eq!(validate_identity(&first_valid("290200", 0..=499)), None);
        // 29.02.2001 / 1901 never existed.
        for i in 0..1000 {
            if let Some(n) = make(&format!("290201{i:03}"), 0) {
                assert_eq!(validate_identity(&n), None, "{n}");
            }
        }
        // 29.02.1996 and 2004 did.
        assert!(validate_identity(&first_valid("290296", 0..=499)).is_some());
        assert!(validate_identity(&first_valid("290204", 500..=999)).is_some());
        // 31.04 and 00.01 are not dates.
        assert_eq!(validate_identity(&first_valid("310490", 0..=499)), None);
        assert_eq!(validate_identity(&first_valid("000190", 0..=499)), None);
    }

    #[test]
    fn d_h_and_synthetic_numbers() {
        let d = first_valid("410190", 0..=499); // day 1 + 40
        assert_eq!(
            validate_identity(&d).map(|i| i.kind),
            Some(PiiKind::DNummer)
        );
        let d_bad_day = first_valid("720190", 0..=499); // day 32 + 40
        assert_eq!(validate_identity(&d_bad_day), None);
        let h = first_valid("014190", 0..=499); // month 1 + 40
        assert_eq!(
            validate_identity(&h).map(|i| i.kind),
            Some(PiiKind::HNummer)
        );
        let s = first_valid("018190", 0..=499); // month 1 + 80 (Tenor)
        assert_eq!(
            validate_identity(&s).map(|i| i.kind),
            Some(PiiKind::SyntheticNummer)
        );
        let sd = first_valid("418190", 0..=499); // synthetic D-nummer
        assert_eq!(
            validate_identity(&sd).map(|i| i.kind),
            Some(PiiKind::SyntheticNummer)
        );
        let dh = first_valid("414190", 0..=499); // D and H at once: not a thing
        assert_eq!(validate_identity(&dh), None);
        let bad_month = first_valid("016190", 0..=499); // month 21
        assert_eq!(validate_identity(&bad_month), None);
        for n in [d, h, s] {
            assert_eq!(validate_identity(&corrupt(&n, 10)), None);
        }
    }

    #[test]
    fn rule_from_2032() {
        let mut seen = [false; 4];
        for i in (0..1000).rev() {
            for rem in 1..=3u32 {
                if let Some(n) = make(&format!("301082{i:03}"), rem) {
                    let id = validate_identity(&n).expect("2032 rule accepted");
                    assert_eq!(id.rule, CheckRule::From2032);
                    seen[rem as usize] = true;
                    // k2 still has to be right.
                    assert_eq!(validate_identity(&corrupt(&n, 10)), None);
                }
            }
        }
        assert!(seen[1] && seen[2] && seen[3]);
        // Remainder 4 or more is never valid.
        let n = make("301082999", 4)
            .or_else(|| make("301082998", 4))
            .expect("digits");
        assert_eq!(validate_identity(&n), None);
        // Under the 2032 rule the individnummer no longer gives the century: 600 with YY = 45
        // (1945, 2045 under no classic range) is accepted.
        let n = (500..900)
            .find_map(|i| make(&format!("010145{i}"), 1))
            .expect("digits");
        assert!(validate_identity(&n).is_some(), "{n}");
    }

    #[test]
    fn account_and_orgnr_checksums() {
        // Build valid numbers with the rule itself.
        let acc = (0..100)
            .find_map(|i| {
                let base = format!("12345678{i:02}");
                let d: Vec<u8> = base.bytes().map(|b| b - b'0').collect();
                let c = (11 - weighted(&d, &W2) % 11) % 11;
                (c < 10).then(|| format!("{base}{c}"))
            })
            .expect("account");
        assert!(valid_account(&acc));
        assert!(!valid_account(&corrupt(&acc, 10)));
        assert!(!valid_account(&corrupt(&acc, 3)));
        assert!(!valid_account("1234567890"));
        assert!(!valid_account("1234567890a"));
        // Brønnøysundregistrene's own organisation number.
        assert!(valid_orgnr("974760673"));
        assert!(!valid_orgnr("974760674"));
        assert!(!valid_orgnr("97476067"));
    }

    #[test]
    fn detects_spacing_and_hyphen() {
        let n = first_valid("010190", 0..=499);
        let spaced = format!("{} {}", &n[..6], &n[6..]);
        let text = format!("Fødselsnummer: {spaced}.");
        let f = detect(&text);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].kind, PiiKind::Fodselsnummer);
        assert_eq!(f[0].masked, "010190 *****");
        assert!(f[0].score > 0.95);
        let hyph = format!("fnr {}-{}", &n[..6], &n[6..]);
        assert_eq!(detect(&hyph)[0].masked, "010190-*****");
        // Failing checks: a fødselsnummer only beside its label (a misread or mistyped digit),
        // and less certain than a valid one; without the label, nothing.
        let bad = corrupt(&n, 9);
        let labelled = detect(&format!("Fødselsnummer: {bad}"));
        assert!(labelled
            .iter()
            .all(|f| f.kind != PiiKind::Fodselsnummer || f.score < 0.9));
        assert!(detect(&format!("Journalnummer {bad}")).is_empty());
        // Part of a longer digit string: no finding.
        assert!(detect(&format!("ref {n}7")).is_empty());
        assert!(detect(&format!("ABC{n}")).is_empty());
    }

    #[test]
    fn fnr_versus_account_by_shape_and_context() {
        let n = first_valid("010190", 0..=499);
        // Every fødselsnummer passes the account check; without a hint it is an fnr.
        assert_eq!(detect(&n)[0].kind, PiiKind::Fodselsnummer);
        let f = detect(&format!("Kontonummer {n}"));
        assert_eq!(f[0].kind, PiiKind::Kontonummer);
        assert_eq!(f[0].masked, format!("{}*******", &n[..4]));
        // Dotted account form.
        let acc = (0..100)
            .find_map(|i| {
                let s = format!("15037012{i:02}");
                let d: Vec<u8> = s.bytes().map(|b| b - b'0').collect();
                let c = (11 - weighted(&d, &W2) % 11) % 11;
                (c < 10).then(|| format!("{s}{c}"))
            })
            .expect("account");
        let dotted = format!("{}.{}.{}", &acc[..4], &acc[4..6], &acc[6..]);
        let f = detect(&format!("Beløpet betales til {dotted}."));
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].kind, PiiKind::Kontonummer);
        assert_eq!(f[0].masked, "1503.**.*****");
        let spaced = dotted.replace('.', " ");
        assert_eq!(
            detect(&format!("konto {spaced}"))[0].masked,
            "1503 ** *****"
        );
        let bad = format!(
            "{}.{}.{}",
            &acc[..4],
            &acc[4..6],
            corrupt(&acc, 10).split_at(6).1
        );
        assert!(detect(&bad).iter().all(|f| f.kind != PiiKind::Kontonummer));
    }

    #[test]
    fn orgnr_reported_unmasked() {
        let f = detect("Org.nr. 974 760 673");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].kind, PiiKind::Organisasjonsnummer);
        assert_eq!(f[0].masked, "974 760 673");
        assert!(f[0].score > 0.9);
        let f = detect("Leverandør NO 974760673 MVA");
        assert!(f[0].score > 0.9);
        // Bare, starting with 9: moderate. Bad checksum: nothing.
        assert!(detect("974760673")[0].score < 0.7);
        assert!(detect("org.nr. 974760674").is_empty());
    }
}

#[cfg(test)]
mod misread_tests {
    use crate::pii::{detect, PiiKind};

    #[test]
    fn a_misread_fodselsnummer_beside_its_label_is_still_found() {
        // 01019012345 fails its check digits (as a digit misread by OCR would make it).
        let misread = "Fødselsnummer: 01019012345";
        let found = detect(misread);
        let fnr = found
            .iter()
            .find(|f| f.kind == PiiKind::Fodselsnummer)
            .expect("found beside its label");
        assert!(fnr.score < 0.9 && fnr.score >= 0.5, "{}", fnr.score);
        // Without a label, or without a birth date's shape, a failing number is nothing.
        assert!(detect("Saksnummer 01019012345").is_empty());
        assert!(detect("Fødselsnummer: 99999912345")
            .iter()
            .all(|f| f.kind != PiiKind::Fodselsnummer));
    }
}
