//! An on-disk embedding cache keyed by (model checksum, text checksum).
//!
//! A re-scan of an export whose documents did not change costs a hash per document instead of
//! a forward pass. Entries are one small file each under a two-hex-digit fan-out, written to a
//! temporary name and renamed, so an interrupted run never leaves a half-written entry.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::{EmbedError, Embedder, Embedding};

const MAGIC: &[u8; 8] = b"ARKEMB01";

/// A directory of cached embeddings.
///
/// ```no_run
/// use arkivar::embed::{cache::EmbeddingCache, Device, Embedder};
/// let embedder = Embedder::default_model(&Device::Cpu)?;
/// let cache = EmbeddingCache::open("out/.embeddings")?;
/// let v = cache.embed_batch(&embedder, &["Møtebok"])?;
/// # Ok::<(), arkivar::embed::EmbedError>(())
/// ```
#[derive(Debug, Clone)]
pub struct EmbeddingCache {
    dir: PathBuf,
}

impl EmbeddingCache {
    /// Opens (creating if needed) a cache directory.
    pub fn open(dir: impl AsRef<Path>) -> Result<Self, EmbedError> {
        let dir = dir.as_ref().to_path_buf();
        std::fs::create_dir_all(&dir).map_err(|source| EmbedError::Io {
            path: dir.clone(),
            source,
        })?;
        Ok(Self { dir })
    }

    /// The key of `text` under `embedder`: hex SHA-256 of the model fingerprint and the text.
    pub fn key(embedder: &Embedder, text: &str) -> String {
        let mut h = Sha256::new();
        h.update(embedder.fingerprint().as_bytes());
        h.update([0u8]);
        h.update(text.as_bytes());
        crate::source::checksum::hex(&h.finalize())
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir.join(&key[..2]).join(format!("{}.emb", &key[2..]))
    }

    /// The cached embedding for `key`, if present and readable. A damaged entry is a miss.
    pub fn get(&self, key: &str, dim: usize) -> Option<Embedding> {
        let bytes = std::fs::read(self.path(key)).ok()?;
        decode(&bytes, dim)
    }

    /// Stores an embedding under `key`.
    pub fn put(&self, key: &str, e: &Embedding) -> Result<(), EmbedError> {
        let path = self.path(key);
        let io = |source, path: &Path| EmbedError::Io {
            path: path.to_path_buf(),
            source,
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|s| io(s, parent))?;
        }
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        std::fs::write(&tmp, encode(e)).map_err(|s| io(s, &tmp))?;
        std::fs::rename(&tmp, &path).map_err(|s| io(s, &path))
    }

    /// [`Embedder::embed_batch`] through the cache: hits are read, misses embedded and stored.
    pub fn embed_batch(
        &self,
        embedder: &Embedder,
        texts: &[&str],
    ) -> Result<Vec<Embedding>, EmbedError> {
        let keys: Vec<String> = texts.iter().map(|t| Self::key(embedder, t)).collect();
        let mut out: Vec<Option<Embedding>> =
            keys.iter().map(|k| self.get(k, embedder.dim())).collect();
        let missing: Vec<usize> = (0..texts.len()).filter(|&i| out[i].is_none()).collect();
        if !missing.is_empty() {
            let miss_texts: Vec<&str> = missing.iter().map(|&i| texts[i]).collect();
            for (i, e) in missing.into_iter().zip(embedder.embed_batch(&miss_texts)?) {
                self.put(&keys[i], &e)?;
                out[i] = Some(e);
            }
        }
        Ok(out.into_iter().flatten().collect())
    }
}

fn encode(e: &Embedding) -> Vec<u8> {
    let mut b = Vec::with_capacity(32 + 4 * e.vector.len());
    b.extend_from_slice(MAGIC);
    b.extend_from_slice(&(e.vector.len() as u32).to_le_bytes());
    b.extend_from_slice(&(e.tokens as u64).to_le_bytes());
    b.extend_from_slice(&(e.chunks as u32).to_le_bytes());
    b.push(e.truncated as u8);
    for x in &e.vector {
        b.extend_from_slice(&x.to_le_bytes());
    }
    b
}

fn decode(b: &[u8], dim: usize) -> Option<Embedding> {
    let head = 8 + 4 + 8 + 4 + 1;
    if b.len() != head + 4 * dim || &b[..8] != MAGIC {
        return None;
    }
    let u32_at = |i: usize| u32::from_le_bytes(b[i..i + 4].try_into().unwrap_or_default());
    if u32_at(8) as usize != dim {
        return None;
    }
    let tokens = u64::from_le_bytes(b[12..20].try_into().ok()?) as usize;
    let chunks = u32_at(20) as usize;
    let truncated = b[24] != 0;
    let vector = b[head..]
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    Some(Embedding {
        vector,
        tokens,
        chunks,
        truncated,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_round_trips_and_damage_is_a_miss() {
        let e = Embedding {
            vector: vec![0.6, -0.8, 0.0],
            tokens: 7,
            chunks: 2,
            truncated: true,
        };
        let bytes = encode(&e);
        assert_eq!(decode(&bytes, 3), Some(e));
        assert_eq!(decode(&bytes[..bytes.len() - 1], 3), None);
        assert_eq!(decode(&bytes, 4), None);
    }
}
