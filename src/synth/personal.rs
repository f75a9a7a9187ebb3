//! Synthetic Norwegian personal data for planting in letters: fødselsnummer and D-nummer with
//! valid mod-11 check digits, look-alike 11-digit numbers that fail the check, bank account
//! numbers with a valid check digit, phone numbers and e-mail addresses on reserved domains.
//!
//! Everything is drawn from an [`Rng`], so a seed always gives the same numbers. The numbers
//! are well-formed but random: any match with a real person is chance, and the e-mail domains
//! (`example.no`, `eksempel.no`) are reserved for examples.

use super::date::Date;
use super::rng::Rng;

/// Weights of the first fødselsnummer check digit (over the first nine digits).
const K1_WEIGHTS: [u32; 9] = [3, 7, 6, 1, 8, 9, 4, 5, 2];
/// Weights of the second fødselsnummer check digit (over the first ten digits).
const K2_WEIGHTS: [u32; 10] = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
/// Weights of the account number check digit (over the first ten digits).
const KONTO_WEIGHTS: [u32; 10] = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

/// The mod-11 check digit of `digits` with `weights`; `None` where it would be 10 (such
/// numbers are never issued).
pub fn mod11(digits: &[u8], weights: &[u32]) -> Option<u8> {
    let sum: u32 = digits
        .iter()
        .zip(weights)
        .map(|(&d, &w)| u32::from(d) * w)
        .sum();
    match 11 - sum % 11 {
        11 => Some(0),
        10 => None,
        k => Some(k as u8),
    }
}

/// The decimal digits of `text`, ignoring everything else ("010190 12345" → 11 digits).
pub fn digits_of(text: &str) -> Vec<u8> {
    text.bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect()
}

/// Whether the digits of `text` are eleven and pass both fødselsnummer check digits (this
/// holds for D-numbers too; the date is not checked).
pub fn passes_fnr_check(text: &str) -> bool {
    let d = digits_of(text);
    d.len() == 11
        && mod11(&d[..9], &K1_WEIGHTS) == Some(d[9])
        && mod11(&d[..10], &K2_WEIGHTS) == Some(d[10])
}

/// Whether the digits of `text` are eleven and pass the bank account check digit.
pub fn passes_konto_check(text: &str) -> bool {
    let d = digits_of(text);
    d.len() == 11 && mod11(&d[..10], &KONTO_WEIGHTS) == Some(d[10])
}

/// A valid fødselsnummer (or D-nummer: day + 40) for someone born on `born` (1900–2039), as
/// eleven digits. Individual numbers follow the century ranges (000–499 and 900–999 for
/// 1900–1999, 500–999 for 2000–2039); numbers whose check digit would be 10 are skipped.
pub fn fodselsnummer(born: Date, d_nummer: bool, rng: &mut Rng) -> String {
    let day = u32::from(born.day) + if d_nummer { 40 } else { 0 };
    let yy = u32::from(born.year % 100);
    loop {
        let individ = match born.year {
            2000..=2039 => 500 + rng.below(500) as u32,
            1940..=1999 if rng.chance(0.2) => 900 + rng.below(100) as u32,
            _ => rng.below(500) as u32,
        };
        let head = format!("{day:02}{:02}{yy:02}{individ:03}", born.month);
        let d = digits_of(&head);
        let Some(k1) = mod11(&d, &K1_WEIGHTS) else {
            continue;
        };
        let mut ten = d;
        ten.push(k1);
        let Some(k2) = mod11(&ten, &K2_WEIGHTS) else {
            continue;
        };
        return format!("{head}{k1}{k2}");
    }
}

/// An 11-digit number that looks like a fødselsnummer but fails its check: most start with
/// a real date (a valid number with its last digit changed), the rest are random.
pub fn lookalike(rng: &mut Rng) -> String {
    loop {
        let candidate = if rng.chance(0.6) {
            let born = Date::from_days(Date::new(1940, 1, 1).to_days() + rng.below(30_000) as i64);
            let valid = fodselsnummer(born, false, rng);
            let last = valid.as_bytes()[10] - b'0';
            let wrong = (last + 1 + rng.below(9) as u8) % 10;
            format!("{}{wrong}", &valid[..10])
        } else {
            (0..11)
                .map(|i| {
                    let lo = u64::from(i == 0);
                    char::from(b'0' + (lo + rng.below(10 - lo)) as u8)
                })
                .collect()
        };
        if !passes_fnr_check(&candidate) {
            return candidate;
        }
    }
}

/// A bank account number with a valid check digit: a bank's register number (4 digits), the
/// account group (2) and the account (4 + check digit).
pub fn kontonummer(rng: &mut Rng) -> String {
    const BANKS: &[u32] = &[1503, 1506, 1594, 1822, 2801, 3000, 3201, 3624, 6345, 9710];
    loop {
        let head = format!(
            "{}{:02}{:04}",
            rng.choose(BANKS),
            rng.below(100),
            rng.below(10_000)
        );
        if let Some(k) = mod11(&digits_of(&head), &KONTO_WEIGHTS) {
            return format!("{head}{k}");
        }
    }
}

/// A Norwegian phone number as letters write it: "912 34 567" (mobile), "22 33 44 55", or
/// either with "+47 " in front.
pub fn telefon(rng: &mut Rng) -> String {
    let number = if rng.chance(0.6) {
        format!(
            "{}{:02} {:02} {:03}",
            rng.choose(&[4, 9]),
            rng.below(100),
            rng.below(100),
            rng.below(1000)
        )
    } else {
        format!(
            "{} {:02} {:02} {:02}",
            rng.choose(&[22, 23, 32, 33, 35, 51, 52, 53, 55, 56, 57, 61, 62, 69, 71, 73, 75, 77]),
            rng.below(100),
            rng.below(100),
            rng.below(100)
        )
    };
    if rng.chance(0.2) {
        format!("+47 {number}")
    } else {
        number
    }
}

/// A private e-mail address made from `name`, on `example.no` or `eksempel.no`.
pub fn epost(name: &str, rng: &mut Rng) -> String {
    let ascii = |s: &str| -> String {
        s.to_lowercase()
            .chars()
            .flat_map(|c| match c {
                'æ' => "ae".chars().collect::<Vec<_>>(),
                'ø' => vec!['o'],
                'å' => "aa".chars().collect(),
                c if c.is_ascii_alphanumeric() => vec![c],
                _ => Vec::new(),
            })
            .collect()
    };
    let mut parts = name.split_whitespace();
    let first = ascii(parts.next().unwrap_or("post"));
    let last = parts.next_back().map(ascii).unwrap_or_default();
    let local = match (rng.below(5), last.is_empty()) {
        (_, true) => first,
        (0, _) => format!("{first}{last}"),
        (1, _) => format!("{}{last}", &first[..1]),
        (2, _) => format!("{first}.{last}{}", 50 + rng.below(50)),
        _ => format!("{first}.{last}"),
    };
    let domain = if rng.chance(0.5) {
        "example.no"
    } else {
        "eksempel.no"
    };
    format!("{local}@{domain}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_numbers() {
        // Worked by hand: k1 = 11 - 93 % 11 = 6, k2 = 11 - 88 % 11 = 11 → 0.
        assert!(passes_fnr_check("01010750160"));
        assert!(!passes_fnr_check("01010750161"));
        assert!(passes_fnr_check("010107 50160"));
        let valid: Vec<String> = (0..10)
            .map(|k| format!("150312345{k}"))
            .filter_map(|head| {
                mod11(&digits_of(&head), &KONTO_WEIGHTS).map(|c| format!("{head}{c}"))
            })
            .collect();
        assert!(valid.iter().all(|v| passes_konto_check(v)));
    }

    #[test]
    fn generated_numbers_pass_or_fail_as_intended() {
        let mut rng = Rng::new(5);
        for i in 0..2000 {
            let born = Date::from_days(Date::new(1925, 1, 1).to_days() + (i * 17) as i64);
            let f = fodselsnummer(born, false, &mut rng);
            assert!(passes_fnr_check(&f), "{f}");
            assert_eq!(&f[..2], &format!("{:02}", born.day));
            let individ: u32 = f[6..9].parse().unwrap();
            if born.year >= 2000 {
                assert!(individ >= 500);
            } else {
                assert!(individ < 500 || (born.year >= 1940 && individ >= 900));
            }
            let d = fodselsnummer(born, true, &mut rng);
            assert!(passes_fnr_check(&d), "{d}");
            assert!(d[..2].parse::<u8>().unwrap() > 40);
            assert!(!passes_fnr_check(&lookalike(&mut rng)));
            let k = kontonummer(&mut rng);
            assert!(passes_konto_check(&k), "{k}");
        }
        let mut rng = Rng::new(6);
        let e = epost("Åse Bjørheim", &mut rng);
        assert!(
            e.ends_with("example.no") || e.ends_with("eksempel.no"),
            "{e}"
        );
        assert!(e.is_ascii());
        let t = telefon(&mut rng);
        let n = digits_of(&t).len();
        assert!(n == 8 || (n == 10 && t.starts_with("+47 ")), "{t}");
    }
}
