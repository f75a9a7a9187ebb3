//! The words of a text ([`tokenize`] into [`Word`]s) and how a word is written ([`Case`]),
//! with the character classes the lexicon scans share ([`word_char`]).

/// `c.is_alphanumeric()`, with the Latin-1 letters of Norwegian text (`æøå`) answered without
/// the Unicode tables.
pub(crate) fn word_char(c: char) -> bool {
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
pub(crate) enum Case {
    /// `Kari`, `Anne-Lise`
    Title,
    /// `KARI` (two letters or more)
    Upper,
    /// A single capital: a middle initial when a dot follows.
    Initial,
    Other,
}

/// How `w` is written.
pub(crate) fn case_of(w: &str) -> Case {
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
pub(crate) fn title_case_into(w: &str, out: &mut String) {
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

#[cfg(test)]
mod tests {
    use super::*;

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
