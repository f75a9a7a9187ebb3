//! The digit-run scanner the number detectors share: a text is cut into *digit runs* (digit
//! groups joined by single spaces, dots or dashes, as in `22 33 44 55`, `1234.56.78903`,
//! `010190 12345`), and each detector then looks at the [`Window`]s of whole groups whose
//! shape it knows. That keeps a phone number from being found inside an account number, and a
//! number that continues past the shape (`22 33 44 55 66`) from being cut to fit.

/// A maximal sequence of ASCII digit groups joined by single separator characters.
pub(crate) struct DigitRun {
    /// The run's groups in [`DigitScan::groups`].
    groups: std::ops::Range<usize>,
    /// The character just before the first group (for a `+47` prefix).
    plus_before: bool,
}

/// The longest window looked at, in groups: `+47 22 33 44 55` has five.
const MAX_GROUPS: usize = 5;
/// The most digits of any shape (`0047` and eight more).
const MAX_DIGITS: usize = 12;
/// The fewest digits of any shape (a phone number without prefix).
const MIN_DIGITS: usize = 8;

/// Consecutive whole groups of a [`DigitRun`], as a detector sees them.
pub(crate) struct Window {
    /// Byte range in the text.
    pub start: usize,
    pub end: usize,
    /// All digits of the window, as values 0–9 (the first `n_digits`).
    digits: [u8; MAX_DIGITS],
    n_digits: usize,
    /// The length of each group (the first `n_groups`).
    shape: [usize; MAX_GROUPS],
    n_groups: usize,
    /// The separator between the groups: `'\0'` for one group, `'?'` when they differ.
    pub sep: char,
    /// Whether the window is the whole run (nothing joined on either side but across a line
    /// break).
    pub whole: bool,
    /// Whether the window crosses a line break (`55 58 85⏎92`: a number wrapped by the layout;
    /// the break counts as a space in `sep`).
    pub wrapped: bool,
    /// Whether the first group follows a `+` (only for a window that starts the run).
    pub plus_before: bool,
}

impl Window {
    /// All digits of the window, as values 0–9.
    pub fn digits(&self) -> &[u8] {
        &self.digits[..self.n_digits]
    }

    /// The length of each group.
    pub fn shape(&self) -> &[usize] {
        &self.shape[..self.n_groups]
    }
}

fn is_sep(c: char) -> bool {
    matches!(c, ' ' | '.' | '-' | '\u{a0}' | '\u{202f}')
}

/// What [`digit_runs`] finds: the runs, and where the address patterns can have their numbers.
pub(crate) struct DigitScan {
    runs: Vec<DigitRun>,
    /// Byte ranges of the groups of all runs, in order.
    groups: Vec<(usize, usize)>,
    /// `seps[i]` joins group `i` and `i + 1` of a run (`'\0'` after its last).
    seps: Vec<char>,
    /// Where a space is followed by a digit group starting 1–9 (the space's offset): the only
    /// places a street address can have its house number.
    pub house_numbers: Vec<usize>,
    /// Where a group of exactly four digits starts that a space follows: the only places a
    /// postnummer can be.
    pub postnumbers: Vec<usize>,
}

/// Cuts `text` into digit runs. A run that touches a letter (`A123`, `12a`), a slash
/// (`2020/1234`, a case number) or a decimal comma (`12,50`) is not a number any detector
/// wants and is dropped.
pub(crate) fn digit_runs(text: &str) -> DigitScan {
    let b = text.as_bytes();
    let mut scan = DigitScan {
        runs: Vec::with_capacity(32),
        groups: Vec::with_capacity(64),
        seps: Vec::with_capacity(64),
        house_numbers: Vec::with_capacity(32),
        postnumbers: Vec::with_capacity(8),
    };
    let mut i = 0;
    while i < b.len() {
        i = next_digit(b, i);
        if i >= b.len() {
            break;
        }
        let run_start = i;
        let first = scan.groups.len();
        let mut j = i;
        loop {
            let g = j;
            if g > 0 && b[g - 1] == b' ' && b[g] != b'0' {
                scan.house_numbers.push(g - 1);
            }
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            if j - g == 4 && b.get(j) == Some(&b' ') {
                scan.postnumbers.push(g);
            }
            scan.groups.push((g, j));
            // One separator character, then a digit, continues the run.
            let sep = match b.get(j) {
                Some(&c @ (b' ' | b'.' | b'-' | b'\n')) => Some(char::from(c)),
                Some(&c) if c >= 0x80 => text[j..].chars().next().filter(|&c| is_sep(c)),
                _ => None,
            };
            match sep {
                Some(c) if b.get(j + c.len_utf8()).is_some_and(u8::is_ascii_digit) => {
                    scan.seps.push(c);
                    j += c.len_utf8();
                }
                _ => {
                    scan.seps.push('\0');
                    break;
                }
            }
        }
        let before = text[..run_start].chars().next_back();
        let mut rest = text[j..].chars();
        let (after, after2) = (rest.next(), rest.next());
        let bad_before = before.is_some_and(|c| c.is_alphanumeric() || c == '/' || c == '_');
        let bad_after = after.is_some_and(|c| c.is_alphanumeric() || c == '/' || c == '_')
            || (matches!(after, Some(',' | '.')) && after2.is_some_and(|c| c.is_ascii_digit()));
        if bad_before || bad_after {
            scan.groups.truncate(first);
            scan.seps.truncate(first);
        } else {
            scan.runs.push(DigitRun {
                groups: first..scan.groups.len(),
                plus_before: before == Some('+'),
            });
        }
        i = j.max(i + 1);
    }
    scan
}

/// The offset of the first ASCII digit at or after `from`, or `b.len()`. Eight bytes at a time:
/// most of a text has no digits.
fn next_digit(b: &[u8], from: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut at = from;
    let mut chunks = b[from..].chunks_exact(8);
    for c in &mut chunks {
        let word = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        // Digits become 0–9; a byte under 10 sets its high bit here (exact for "any").
        let x = word ^ (0x30 * ONES);
        if x.wrapping_sub(10 * ONES) & !x & HIGH != 0 {
            break;
        }
        at += 8;
    }
    b[at..]
        .iter()
        .position(u8::is_ascii_digit)
        .map_or(b.len(), |k| at + k)
}

impl DigitScan {
    /// Every window of up to [`MAX_GROUPS`] whole groups of a run with [`MIN_DIGITS`] to
    /// [`MAX_DIGITS`] digits (no shape of ours has fewer or more), given the text the runs
    /// were cut from.
    pub(crate) fn windows(&self, text: &str) -> Vec<Window> {
        let b = text.as_bytes();
        let mut out = Vec::new();
        for run in &self.runs {
            let groups = &self.groups[run.groups.clone()];
            let seps = &self.seps[run.groups.clone()];
            let n = groups.len();
            for i in 0..n {
                let mut n_digits = 0;
                for k in 1..=MAX_GROUPS.min(n - i) {
                    let (s, e) = groups[i + k - 1];
                    n_digits += e - s;
                    if n_digits > MAX_DIGITS {
                        break;
                    }
                    if n_digits < MIN_DIGITS {
                        continue;
                    }
                    let window = &groups[i..i + k];
                    let mut shape = [0usize; MAX_GROUPS];
                    for (slot, &(s, e)) in shape.iter_mut().zip(window) {
                        *slot = e - s;
                    }
                    let mut digits = [0u8; MAX_DIGITS];
                    let mut d = 0;
                    for &(s, e) in window {
                        for &c in &b[s..e] {
                            digits[d] = c - b'0';
                            d += 1;
                        }
                    }
                    let inner = &seps[i..i + k - 1];
                    let as_space = |c: char| if c == '\n' { ' ' } else { c };
                    let sep = match inner.first() {
                        None => '\0',
                        Some(&c) if inner.iter().all(|&s| as_space(s) == as_space(c)) => {
                            as_space(c)
                        }
                        Some(_) => '?',
                    };
                    // Neighbours across a line break are other lines, not this number.
                    let open_before = i == 0 || seps[i - 1] == '\n';
                    let open_after = i + k == n || seps[i + k - 1] == '\n';
                    out.push(Window {
                        start: window[0].0,
                        end: window[k - 1].1,
                        digits,
                        n_digits,
                        shape,
                        n_groups: k,
                        sep,
                        whole: open_before && open_after,
                        wrapped: inner.contains(&'\n'),
                        plus_before: i == 0 && run.plus_before,
                    });
                }
            }
        }
        out
    }
}
