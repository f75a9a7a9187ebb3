//! What a detector reports before overlaps are resolved ([`Candidate`]), and the helpers the
//! detectors share to score one ([`boost`]) and to mask a number ([`mask_keep_digits`]).

use super::kind::PiiKind;

/// A finding before overlap resolution.
#[derive(Clone)]
pub(crate) struct Candidate {
    pub kind: PiiKind,
    /// Character offsets.
    pub start: usize,
    pub end: usize,
    pub score: f32,
    pub masked: String,
}

/// Raises a score towards 1 when a context word supports it: `keep` is the share of the doubt
/// that remains.
pub(crate) fn boost(score: f32, keep: f32) -> f32 {
    1.0 - (1.0 - score) * keep
}

/// Keeps the first `keep` digits and every separator, and replaces the other digits with `*`.
pub(crate) fn mask_keep_digits(s: &str, keep: usize) -> String {
    let mut seen = 0;
    s.chars()
        .map(|c| {
            if c.is_ascii_digit() {
                seen += 1;
                if seen > keep {
                    return '*';
                }
            }
            c
        })
        .collect()
}
