//! Windowing: a long text is cut into overlapping windows of the model's length, each wrapped
//! in the special tokens (and the passage prompt), and the windows' vectors are pooled back
//! into one document vector by a token-weighted mean.

use super::{bert, EmbedError, Embedder};

/// One window of a long text, as embedded.
#[derive(Debug, Clone, PartialEq)]
pub struct WindowEmbedding {
    /// The window's own L2-normalised vector.
    pub vector: Vec<f32>,
    /// Tokens in the window, special tokens included: its weight in [`pool_windows`].
    pub tokens: usize,
}

/// Pools window vectors into one document vector: the token-weighted mean, L2-normalised.
///
/// ```
/// use arkivar::embed::{pool_windows, WindowEmbedding};
/// let w = [
///     WindowEmbedding { vector: vec![1.0, 0.0], tokens: 3 },
///     WindowEmbedding { vector: vec![0.0, 1.0], tokens: 1 },
/// ];
/// let v = pool_windows(&w);
/// assert!((v[0] / v[1] - 3.0).abs() < 1e-6);
/// ```
pub fn pool_windows(windows: &[WindowEmbedding]) -> Vec<f32> {
    let dim = windows.first().map_or(0, |w| w.vector.len());
    let mut acc = vec![0f32; dim];
    for w in windows {
        for (a, v) in acc.iter_mut().zip(&w.vector) {
            *a += w.tokens as f32 * v;
        }
    }
    bert::normalize(&mut acc);
    acc
}

impl Embedder {
    /// Tokens of text per window, and the step between window starts.
    fn room_and_stride(&self) -> (usize, usize) {
        let room = self.max_tokens - self.head.len() - self.tail.len() - self.prompt.len();
        (room, room - self.options.overlap)
    }

    /// Bytes of text that can reach the model: a 10 MB text need not be tokenised whole when
    /// only `max_chunks` windows will be embedded, and no WordPiece or SentencePiece token
    /// spans more than 64 bytes of text here.
    fn byte_cap(&self) -> usize {
        let (room, stride) = self.room_and_stride();
        (self.options.max_chunks.max(1) * stride + room) * 64
    }

    /// The start of `text` that decides its embedding (plus one character, so a cut text is
    /// still reported as truncated). A pipeline keeps this much of each text in flight, not
    /// the whole of a long document.
    pub fn relevant_prefix<'a>(&self, text: &'a str) -> &'a str {
        let cap = self.byte_cap();
        if text.len() <= cap {
            return text;
        }
        let end = prefix(text, cap).len();
        let next = text[end..].chars().next().map_or(0, char::len_utf8);
        &text[..end + next]
    }

    /// Cuts one text into windows of token ids, each wrapped in the special tokens.
    /// Returns the windows, the number of text tokens embedded, and whether any were left out.
    pub(super) fn windows(&self, text: &str) -> Result<(Vec<Vec<u32>>, usize, bool), EmbedError> {
        let (room, stride) = self.room_and_stride();
        let cap = self.options.max_chunks.max(1);
        let byte_cap = self.byte_cap();
        let (text, cut) = if text.len() > byte_cap {
            (prefix(text, byte_cap), true)
        } else {
            (text, false)
        };
        let enc = self
            .tokenizer
            .encode(text, false)
            .map_err(|e| EmbedError::Tokenizer {
                path: self.tokenizer_path.clone(),
                message: e.to_string(),
            })?;
        let ids = enc.get_ids();
        let mut starts = vec![0usize];
        while starts.len() < cap && starts[starts.len() - 1] + room < ids.len() {
            let s = starts[starts.len() - 1] + stride;
            starts.push(s);
        }
        let last = starts[starts.len() - 1];
        let truncated = cut || last + room < ids.len();
        let embedded = (last + room).min(ids.len());
        let windows = starts
            .iter()
            .map(|&s| {
                let e = (s + room).min(ids.len());
                let mut w = Vec::with_capacity(self.max_tokens);
                w.extend_from_slice(&self.head);
                w.extend_from_slice(&self.prompt);
                w.extend_from_slice(&ids[s.min(e)..e]);
                w.extend_from_slice(&self.tail);
                w
            })
            .collect();
        Ok((windows, embedded, truncated))
    }
}

/// The longest prefix of `text` of at most `max` bytes that ends on a character boundary.
fn prefix(text: &str, max: usize) -> &str {
    let mut end = max.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}
