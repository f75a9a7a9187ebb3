//! OCR results on disk, so a re-scan (a new classifier, a new catalogue) does not read every
//! scanned page again: OCR is the slowest stage by far (about a second a page a core), and an
//! export's scans do not change. Keyed by the file's SHA-256 and everything that decides the
//! reading (Tesseract's version, the languages, the page limits); one small JSON file per
//! document under a two-hex-digit fan-out, written to a temporary name and renamed, so an
//! interrupted or concurrent run (shards sharing OUT) never leaves half an entry.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::OcrSettings;
use crate::extract::Extracted;

/// Bump when what a cached reading holds, or how it is made, changes.
const FORMAT: &str = "arkivar-ocr-2";

/// A directory of OCR results.
#[derive(Debug, Clone)]
pub struct OcrCache {
    dir: PathBuf,
}

impl OcrCache {
    /// The cache in `dir` (created on the first write).
    pub fn new(dir: &Path) -> OcrCache {
        OcrCache {
            dir: dir.to_path_buf(),
        }
    }

    /// The key of a file's reading under `settings`.
    pub fn key(bytes: &[u8], settings: &OcrSettings) -> String {
        let mut h = Sha256::new();
        for part in [
            FORMAT,
            &super::tesseract::version(),
            &settings.lang,
            &settings.max_pages.to_string(),
            &settings.max_page_pixels.to_string(),
        ] {
            h.update(part.as_bytes());
            h.update([0u8]);
        }
        h.update(Sha256::digest(bytes));
        crate::source::checksum::hex(&h.finalize())
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir.join(&key[..2]).join(format!("{}.json", &key[2..]))
    }

    /// The cached reading, if present and readable (a damaged entry is a miss).
    pub fn get(&self, key: &str) -> Option<Extracted> {
        let bytes = std::fs::read(self.path(key)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Stores a reading. A cache that cannot be written only costs time later, so failures
    /// are returned for the caller to ignore or report.
    pub fn put(&self, key: &str, e: &Extracted) -> std::io::Result<()> {
        let path = self.path(key);
        let dir = path.parent().unwrap_or(&self.dir);
        std::fs::create_dir_all(dir)?;
        let tmp = dir.join(format!(".{}.{}.tmp", &key[2..], std::process::id()));
        std::fs::write(&tmp, serde_json::to_vec(e).map_err(std::io::Error::other)?)?;
        std::fs::rename(&tmp, &path)
    }
}

/// `read`'s result, from the cache of `settings` when it holds this file's reading; a fresh
/// reading is stored when `read` says it may be (no page timed out or met an engine error:
/// those could go better next time).
pub fn cached(
    bytes: &[u8],
    settings: &OcrSettings,
    read: impl FnOnce() -> (Extracted, bool),
) -> Extracted {
    let Some(cache) = settings.cache.as_deref().map(OcrCache::new) else {
        return read().0;
    };
    let key = OcrCache::key(bytes, settings);
    if let Some(hit) = cache.get(&key) {
        return hit;
    }
    let (e, keep) = read();
    if keep {
        // A failed write is a cache miss next time, nothing worse.
        let _ = cache.put(&key, &e);
    }
    e
}
