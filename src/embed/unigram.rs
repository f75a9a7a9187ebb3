//! The tokenizer of a model directory, with a compact Unigram model for SentencePiece
//! vocabularies.
//!
//! The `tokenizers` crate's Unigram keeps its 250 002 pieces (multilingual-e5-small) in a trie
//! with a hash map per node: 234 MiB measured for e5's vocabulary, a third of an e5 scan's peak.
//! [`CompactUnigram`] keeps each piece once, a hash map from piece to id and the scores — about
//! 25 MiB — and finds a position's candidate pieces by looking up each prefix up to the longest
//! piece. It runs the same Viterbi search as the crate's optimised Unigram (SentencePiece's),
//! with the same tie-breaking, unknown-character score and fused unknowns, inside the crate's
//! own pipeline (normaliser, pre-tokeniser, added tokens, post-processor), so the ids are the
//! same (tested against the crate on e5's vocabulary and the shifted benchmark's texts).
//! Other models (WordPiece, BPE) load as the crate loads them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use tokenizers::models::unigram::UnigramTrainer;
use tokenizers::{
    DecoderWrapper, Encoding, Model, NormalizerWrapper, PostProcessorWrapper, PreTokenizerWrapper,
    Token, Tokenizer, TokenizerImpl,
};

/// The score below the lowest piece's given to a character no piece covers (SentencePiece's).
const UNK_PENALTY: f64 = 10.0;

/// A Unigram (SentencePiece) model without a trie.
#[derive(Debug, Clone)]
pub struct CompactUnigram {
    pieces: Vec<Box<str>>,
    scores: Vec<f64>,
    ids: HashMap<Box<str>, u32>,
    unk_id: u32,
    min_score: f64,
    longest: usize,
}

impl CompactUnigram {
    /// The model of `vocab` (pieces with their log-probabilities, in id order) with `unk_id`.
    pub fn new(vocab: Vec<(String, f64)>, unk_id: u32) -> Result<CompactUnigram, String> {
        if unk_id as usize >= vocab.len() {
            return Err(format!(
                "unk_id {unk_id} is not among {} pieces",
                vocab.len()
            ));
        }
        let mut pieces = Vec::with_capacity(vocab.len());
        let mut scores = Vec::with_capacity(vocab.len());
        let mut ids = HashMap::with_capacity(vocab.len());
        let mut min_score = f64::INFINITY;
        let mut longest = 0;
        for (id, (piece, score)) in vocab.into_iter().enumerate() {
            let piece: Box<str> = piece.into_boxed_str();
            longest = longest.max(piece.len());
            min_score = min_score.min(score);
            // A repeated piece keeps its last id, as the crate's map does.
            ids.insert(piece.clone(), id as u32);
            pieces.push(piece);
            scores.push(score);
        }
        Ok(CompactUnigram {
            pieces,
            scores,
            ids,
            unk_id,
            min_score,
            longest,
        })
    }

    /// The best segmentation of `sentence` as strings, unknown characters fused.
    fn segment<'s>(&self, sentence: &'s str) -> Vec<&'s str> {
        struct Best {
            score: f64,
            from: Option<usize>,
            id: u32,
        }
        let size = sentence.len();
        let unk_score = self.min_score - UNK_PENALTY;
        let mut best: Vec<Best> = (0..=size)
            .map(|_| Best {
                score: 0.0,
                from: None,
                id: 0,
            })
            .collect();
        let mut start = 0;
        while start < size {
            let here = best[start].score;
            let char_len = sentence[start..].chars().next().map_or(1, char::len_utf8);
            let mut single = false;
            let last = (start + self.longest).min(size);
            for end in start + 1..=last {
                if !sentence.is_char_boundary(end) {
                    continue;
                }
                let Some(&id) = self.ids.get(&sentence[start..end]) else {
                    continue;
                };
                let candidate = self.scores[id as usize] + here;
                let node = &mut best[end];
                if node.from.is_none() || candidate > node.score {
                    *node = Best {
                        score: candidate,
                        from: Some(start),
                        id,
                    };
                }
                single |= end - start == char_len;
            }
            if !single {
                let candidate = unk_score + here;
                let node = &mut best[start + char_len];
                if node.from.is_none() || candidate > node.score {
                    *node = Best {
                        score: candidate,
                        from: Some(start),
                        id: self.unk_id,
                    };
                }
            }
            start += char_len;
        }
        let mut out = Vec::new();
        let mut end = size;
        let mut unk_end: Option<usize> = None;
        while end > 0 {
            let node = &best[end];
            let from = node.from.unwrap_or(0);
            if node.id == self.unk_id {
                unk_end.get_or_insert(end);
            } else {
                if let Some(e) = unk_end.take() {
                    out.push(&sentence[end..e]);
                }
                out.push(&sentence[from..end]);
            }
            end = from;
        }
        if let Some(e) = unk_end {
            out.push(&sentence[0..e]);
        }
        out.reverse();
        out
    }
}

impl Model for CompactUnigram {
    type Trainer = UnigramTrainer;

    fn tokenize(&self, sentence: &str) -> tokenizers::Result<Vec<Token>> {
        let mut offset = 0;
        Ok(self
            .segment(sentence)
            .into_iter()
            .map(|piece| {
                let id = self.ids.get(piece).copied().unwrap_or(self.unk_id);
                let token = Token::new(id, piece.to_string(), (offset, offset + piece.len()));
                offset += piece.len();
                token
            })
            .collect())
    }

    fn token_to_id(&self, token: &str) -> Option<u32> {
        self.ids.get(token).copied()
    }

    fn id_to_token(&self, id: u32) -> Option<String> {
        self.pieces.get(id as usize).map(|p| p.to_string())
    }

    fn get_vocab(&self) -> std::collections::HashMap<String, u32> {
        self.ids.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    fn get_vocab_size(&self) -> usize {
        self.pieces.len()
    }

    fn save(&self, _folder: &Path, _prefix: Option<&str>) -> tokenizers::Result<Vec<PathBuf>> {
        Err("the compact Unigram model is read from tokenizer.json, never saved".into())
    }

    fn get_trainer(&self) -> UnigramTrainer {
        UnigramTrainer::default()
    }
}

/// A model directory's tokenizer: the crate's, or its pipeline around [`CompactUnigram`].
#[derive(Debug, Clone)]
pub enum TextTokenizer {
    /// As the `tokenizers` crate loads it.
    Crate(Box<Tokenizer>),
    /// A SentencePiece Unigram vocabulary, held compactly.
    Unigram(
        Box<
            TokenizerImpl<
                CompactUnigram,
                NormalizerWrapper,
                PreTokenizerWrapper,
                PostProcessorWrapper,
                DecoderWrapper,
            >,
        >,
    ),
}

/// The model part of `tokenizer.json`, as the compact path reads it.
#[derive(serde::Deserialize)]
struct ModelPart {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    unk_id: Option<u32>,
    #[serde(default)]
    byte_fallback: bool,
    #[serde(default)]
    vocab: Vec<(String, f64)>,
}

impl TextTokenizer {
    /// The tokenizer of `tokenizer.json`'s bytes, without the truncation and padding such files
    /// often force (windows are cut by the embedder).
    pub fn from_bytes(bytes: &[u8]) -> Result<TextTokenizer, String> {
        use serde_json::value::RawValue;
        let crate_tokenizer = || -> Result<TextTokenizer, String> {
            let mut t = Tokenizer::from_bytes(bytes).map_err(|e| e.to_string())?;
            t.with_truncation(None).map_err(|e| e.to_string())?;
            t.with_padding(None);
            Ok(TextTokenizer::Crate(Box::new(t)))
        };
        // The top level's parts as raw JSON: the vocabulary is parsed once, straight into the
        // compact model, never into a JSON tree.
        let Ok(top) =
            serde_json::from_slice::<std::collections::BTreeMap<String, &RawValue>>(bytes)
        else {
            return crate_tokenizer();
        };
        let Some(model) = top
            .get("model")
            .and_then(|m| serde_json::from_str::<ModelPart>(m.get()).ok())
            .filter(|m| m.kind == "Unigram" && !m.byte_fallback)
        else {
            return crate_tokenizer();
        };
        let Some(unk_id) = model.unk_id else {
            return crate_tokenizer();
        };
        // The pipeline around the model, read by the crate with a one-piece stand-in model.
        let mut shell = String::from("{");
        for (key, value) in &top {
            let value = match key.as_str() {
                "model" => r#"{"type": "WordLevel", "vocab": {"<unk>": 0}, "unk_token": "<unk>"}"#,
                "truncation" | "padding" => "null",
                _ => value.get(),
            };
            if shell.len() > 1 {
                shell.push(',');
            }
            shell.push_str(&serde_json::to_string(key).map_err(|e| e.to_string())?);
            shell.push(':');
            shell.push_str(value);
        }
        shell.push('}');
        let shell: Tokenizer = serde_json::from_str(&shell).map_err(|e| e.to_string())?;
        let compact = CompactUnigram::new(model.vocab, unk_id)?;
        let mut t = TokenizerImpl::new(compact);
        t.with_normalizer(shell.get_normalizer().cloned())
            .map_err(|e| e.to_string())?;
        t.with_pre_tokenizer(shell.get_pre_tokenizer().cloned());
        t.with_post_processor(shell.get_post_processor().cloned());
        t.with_decoder(shell.get_decoder().cloned());
        let mut added: Vec<(u32, tokenizers::AddedToken)> =
            shell.get_added_tokens_decoder().into_iter().collect();
        added.sort_by_key(|(id, _)| *id);
        for (_, token) in added {
            if token.special {
                t.add_special_tokens([token]).map_err(|e| e.to_string())?;
            } else {
                t.add_tokens([token]).map_err(|e| e.to_string())?;
            }
        }
        Ok(TextTokenizer::Unigram(Box::new(t)))
    }

    /// Encodes `text`, with the special tokens of the post-processor when `special`.
    pub fn encode(&self, text: &str, special: bool) -> tokenizers::Result<Encoding> {
        match self {
            TextTokenizer::Crate(t) => t.encode(text, special),
            TextTokenizer::Unigram(t) => t.encode(text, special),
        }
    }
}
