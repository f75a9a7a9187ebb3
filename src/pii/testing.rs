//! Test helpers shared by the detectors' tests.

/// Random texts for the tests that check a fast path against the plain way: `n` texts of up
/// to `max_len` pieces, each a piece of `pieces` (one in three) or a character of `alphabet`,
/// now and then any character. Deterministic (xorshift from `seed`).
pub(crate) fn random_texts(
    seed: u64,
    n: usize,
    max_len: u64,
    pieces: &[&str],
    alphabet: &str,
) -> Vec<String> {
    let alphabet: Vec<char> = alphabet.chars().collect();
    let mut state = seed | 1;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..n)
        .map(|_| {
            let len = next() % (max_len + 1);
            let mut s = String::new();
            for _ in 0..len {
                let r = next();
                if r % 3 == 0 && !pieces.is_empty() {
                    s.push_str(pieces[(next() % pieces.len() as u64) as usize]);
                } else if r % 17 == 1 {
                    s.extend(char::from_u32((next() % 0x3_0000) as u32));
                } else if !alphabet.is_empty() {
                    s.push(alphabet[(next() % alphabet.len() as u64) as usize]);
                }
            }
            s
        })
        .collect()
}
