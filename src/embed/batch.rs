//! Batches formed by token budget, as text-embeddings-inference forms them.
//!
//! Sequences are sorted by length, longest first, and packed into a batch while the padded
//! size (count × longest) stays within the budget. Because neighbours in the sorted order have
//! nearly the same length, padding is a few tokens per batch instead of the gap between the
//! shortest and longest document of a fixed-size batch.
//!
//! The batch loop runs here too: the windows of a call are planned into batches, each batch
//! goes through the encoder, and each window's token states are pooled into its vector.

use super::{bert, EmbedError, Embedder};

/// Splits sequences of the given `lengths` into batches of indices into `lengths`.
///
/// Every batch holds at most `token_budget` padded tokens (a single sequence longer than the
/// budget forms a batch alone) and at most `max_batch` sequences. Indices within a batch are in
/// descending length order; every index appears exactly once.
///
/// ```
/// let batches = arkivar::embed::batch::plan(&[10, 300, 12, 290], 600, 64);
/// assert_eq!(batches, vec![vec![1, 3], vec![2, 0]]);
/// ```
pub fn plan(lengths: &[usize], token_budget: usize, max_batch: usize) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..lengths.len()).collect();
    // Stable, so equal lengths keep input order: runs are reproducible.
    order.sort_by(|&a, &b| lengths[b].cmp(&lengths[a]));
    let mut batches = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    let mut longest = 0usize;
    for i in order {
        let len = lengths[i].max(1);
        let padded_if_added = (current.len() + 1) * longest.max(len);
        if !current.is_empty() && (padded_if_added > token_budget || current.len() >= max_batch) {
            batches.push(std::mem::take(&mut current));
            longest = 0;
        }
        longest = longest.max(len);
        current.push(i);
    }
    if !current.is_empty() {
        batches.push(current);
    }
    batches
}

/// Padded tokens over real tokens for a plan: 1.0 means no padding at all.
pub fn padding_ratio(lengths: &[usize], batches: &[Vec<usize>]) -> f64 {
    let real: usize = lengths.iter().sum();
    let padded: usize = batches
        .iter()
        .map(|b| b.len() * b.iter().map(|&i| lengths[i]).max().unwrap_or(0))
        .sum();
    if real == 0 {
        1.0
    } else {
        padded as f64 / real as f64
    }
}

// The batch loop.
impl Embedder {
    /// Embeds every window of every sequence in `windows`, batched by token budget.
    pub(super) fn embed_sequences(
        &self,
        windows: &[Vec<u32>],
    ) -> Result<Vec<Vec<f32>>, EmbedError> {
        let lengths: Vec<usize> = windows.iter().map(Vec::len).collect();
        let plan = plan(&lengths, self.options.token_budget, self.options.max_batch);
        let mut out = vec![Vec::new(); windows.len()];
        for group in plan {
            let ids: Vec<&[u32]> = group.iter().map(|&i| windows[i].as_slice()).collect();
            let states = self
                .encoder
                .forward(&ids)
                .map_err(|source| EmbedError::Model {
                    path: self.dir.clone(),
                    source,
                })?;
            // Sequence after sequence, real tokens only.
            let mut rest = states.as_slice();
            for &i in &group {
                let (own, next) = rest.split_at((windows[i].len() * self.dim).min(rest.len()));
                rest = next;
                let mut v = bert::pool(own, self.dim, self.pooling);
                bert::normalize(&mut v);
                out[i] = v;
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_index_once_and_budget_kept() {
        let lengths: Vec<usize> = (0..500).map(|i| (i * 37) % 256 + 3).collect();
        let batches = plan(&lengths, 4096, 128);
        let mut seen: Vec<usize> = batches.iter().flatten().copied().collect();
        seen.sort();
        assert_eq!(seen, (0..500).collect::<Vec<_>>());
        for b in &batches {
            let longest = b.iter().map(|&i| lengths[i]).max().unwrap();
            assert!(b.len() * longest <= 4096);
        }
        // Far less padding than fixed batches of 32 in arrival order.
        let fixed: Vec<Vec<usize>> = (0..500)
            .collect::<Vec<_>>()
            .chunks(32)
            .map(|c| c.to_vec())
            .collect();
        let sorted = padding_ratio(&lengths, &batches);
        assert!(
            sorted < 1.25 && sorted < padding_ratio(&lengths, &fixed) / 1.3,
            "{sorted}"
        );
    }

    #[test]
    fn oversized_sequence_gets_its_own_batch() {
        assert_eq!(plan(&[5000, 3], 1000, 8), vec![vec![0], vec![1]]);
    }
}
