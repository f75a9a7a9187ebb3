//! A shard's manifest: written last, when every document the shard owns has its row, so that
//! `verify` can tell finished shards from running or lost ones, and shards of the same scan
//! from shards of another (another export, model, classifier or arkivar version).

use std::path::{Path, PathBuf};

use crate::output::parquet::{for_each_doc_id, OutputError};

use super::shard::{doc_key, Shard};

/// The manifest format's version.
pub const MANIFEST_VERSION: u32 = 1;

/// What one finished scan (or shard) wrote and from what.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Manifest {
    /// [`MANIFEST_VERSION`].
    pub manifest_version: u32,
    /// Which shard (0 of 1 for a whole scan).
    pub shard: Shard,
    /// Rows in the shard's part files, over all its runs (a resumed shard counts every run).
    pub rows: u64,
    /// [`DocIdDigest`] of those rows' `doc_id`s, as hex.
    pub doc_ids_digest: String,
    /// The shard's part files, by name.
    pub parts: Vec<String>,
    /// What was scanned, and with what: equal in every shard of one scan.
    pub identity: ScanIdentity,
    /// When the last run of the shard started (UTC).
    pub started: String,
    /// When the shard finished (UTC).
    pub finished: String,
}

/// What every shard of one scan must share.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ScanIdentity {
    /// The export as given on the command line.
    pub export: String,
    /// `noark5` or `folder`.
    pub export_kind: String,
    /// SHA-256 of `arkivstruktur.xml` (none for a plain folder, which is known by its path).
    pub arkivstruktur_sha256: Option<String>,
    /// The arkivar version that wrote the rows.
    pub arkivar_version: String,
    /// The review table's schema version.
    pub schema_version: String,
    /// The embedding model's checksum, or `none`.
    pub model_sha256: String,
    /// The classifier's checksum, `none`, or a note that it was learned from the export.
    pub classifier_sha256: String,
    /// The catalogue's name.
    pub catalog: String,
}

impl ScanIdentity {
    /// The fields two shards of one scan must agree on, by name, for a report of what differs.
    pub fn fields(&self) -> [(&'static str, String); 7] {
        [
            ("export_kind", self.export_kind.clone()),
            (
                "arkivstruktur_sha256",
                self.arkivstruktur_sha256.clone().unwrap_or_default(),
            ),
            ("arkivar_version", self.arkivar_version.clone()),
            ("schema_version", self.schema_version.clone()),
            ("model_sha256", self.model_sha256.clone()),
            ("classifier_sha256", self.classifier_sha256.clone()),
            ("catalog", self.catalog.clone()),
        ]
    }
}

/// An order-independent digest of a multiset of `doc_id`s: their count and the sum (modulo
/// 2^128) of their [`doc_key`]s. Equal for the same ids in any order; a missing, extra or
/// repeated id changes it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DocIdDigest {
    /// Ids added.
    pub count: u64,
    sum: u128,
}

impl DocIdDigest {
    /// Adds one id by its key.
    pub fn add_key(&mut self, key: u128) {
        self.count += 1;
        self.sum = self.sum.wrapping_add(key);
    }

    /// The digest as 32 hex digits.
    pub fn hex(&self) -> String {
        format!("{:032x}", self.sum)
    }

    /// The digest of the `doc_id`s in `parts`.
    pub fn of_parts(parts: &[PathBuf]) -> Result<DocIdDigest, OutputError> {
        let mut d = DocIdDigest::default();
        for_each_doc_id(parts, |id| d.add_key(doc_key(id)))?;
        Ok(d)
    }
}

/// Reads a manifest file.
pub fn read_manifest(path: &Path) -> Result<Manifest, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_ignores_order_and_sees_repeats() {
        let digest = |ids: &[&str]| {
            let mut d = DocIdDigest::default();
            ids.iter().for_each(|id| d.add_key(doc_key(id)));
            d
        };
        assert_eq!(digest(&["a", "b", "c"]), digest(&["c", "a", "b"]));
        assert_ne!(digest(&["a", "b"]), digest(&["a", "c"]));
        // XOR would cancel a repeated pair; a sum does not.
        assert_ne!(digest(&["a", "b", "b"]).hex(), digest(&["a"]).hex());
    }
}
