//! The files one scan owns in its output folder: a whole scan's plain names, or one shard's,
//! which carry the shard so that N shards share one folder without touching each other's.
//!
//! | file | whole scan | shard 3 of 8 |
//! |---|---|---|
//! | review rows | `part-00000.parquet` … | `part-shard-0003-of-0008-00000.parquet` … |
//! | summary | `_summary.json` | `_summary-shard-0003-of-0008.json` |
//! | manifest | `_manifest.json` | `_manifest-shard-0003-of-0008.json` |
//! | lock | `_lock` | `_lock-shard-0003-of-0008` |
//! | export problems | `_problems.jsonl` | `_problems.jsonl` (shard 0 only) |
//!
//! Readers take every `part-*.parquet` as one table; names starting with `_` are not rows.

use std::path::{Path, PathBuf};

use crate::output::parquet::{parts_named, OutputError, PART_PREFIX};

use super::shard::Shard;

/// The names of a whole scan's own files; a shard's add `-{tag}` (see the module table).
const SUMMARY: &str = "_summary";
const MANIFEST: &str = "_manifest";
const LOCK: &str = "_lock";
/// The export problems' log (written by the whole scan, or by shard 0).
pub const PROBLEMS_FILE: &str = "_problems.jsonl";

/// The files of one scan (or one shard of a scan) in the output folder `dir`.
#[derive(Debug, Clone)]
pub struct ScanFiles {
    dir: PathBuf,
    shard: Shard,
}

impl ScanFiles {
    /// The files of `shard` in `dir`.
    pub fn new(dir: &Path, shard: Shard) -> ScanFiles {
        ScanFiles {
            dir: dir.to_path_buf(),
            shard,
        }
    }

    /// The output folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The shard these files belong to.
    pub fn shard(&self) -> Shard {
        self.shard
    }

    /// `base` with the shard's tag, or `base` alone for a whole scan.
    fn tagged(&self, base: &str) -> String {
        match self.shard.tag() {
            Some(tag) => format!("{base}-{tag}"),
            None => base.to_string(),
        }
    }

    /// The prefix of this scan's part files.
    pub fn part_prefix(&self) -> String {
        self.tagged(PART_PREFIX)
    }

    /// This scan's completed part files, sorted (other shards' are not among them).
    pub fn parts(&self) -> Result<Vec<PathBuf>, OutputError> {
        parts_named(&self.dir, &self.part_prefix())
    }

    /// The summary of this scan's last run.
    pub fn summary(&self) -> PathBuf {
        self.dir.join(format!("{}.json", self.tagged(SUMMARY)))
    }

    /// The manifest, written last, when every document of the shard has its row.
    pub fn manifest(&self) -> PathBuf {
        self.dir.join(format!("{}.json", self.tagged(MANIFEST)))
    }

    /// The lock a running scan holds.
    pub fn lock(&self) -> PathBuf {
        self.dir.join(self.tagged(LOCK))
    }

    /// Where export problems are logged: only one shard (0) logs them, as every shard
    /// reads the same XML and would log the same problems.
    pub fn problems(&self) -> Option<PathBuf> {
        (self.shard.index() == 0).then(|| self.dir.join(PROBLEMS_FILE))
    }

    /// This shard's own copy of a file every shard is told to write (`--embeddings-out`):
    /// `path` with the shard's tag before its extension; `path` itself for a whole scan.
    pub fn own_copy(&self, path: &Path) -> PathBuf {
        let Some(tag) = self.shard.tag() else {
            return path.to_path_buf();
        };
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned());
        let name = match (stem, path.extension()) {
            (Some(stem), Some(ext)) => format!("{stem}-{tag}.{}", ext.to_string_lossy()),
            (Some(stem), None) => format!("{stem}-{tag}"),
            _ => tag,
        };
        path.with_file_name(name)
    }

    /// Whether `name` (a file name in the folder) is a leftover of an interrupted run of this
    /// scan: its summary or manifest (the rows they describe are about to change), or one of
    /// its unfinished `*.tmp` files. Other shards' files are never this scan's leftovers.
    pub fn is_leftover(&self, name: &str) -> bool {
        let summary = format!("{}.json", self.tagged(SUMMARY));
        let manifest = format!("{}.json", self.tagged(MANIFEST));
        if name == summary || name == manifest {
            return true;
        }
        let Some(stem) = name
            .strip_suffix(".parquet.tmp")
            .or_else(|| name.strip_suffix(".json.tmp"))
        else {
            return false;
        };
        stem == summary.trim_end_matches(".json")
            || stem == manifest.trim_end_matches(".json")
            || stem
                .strip_prefix(&self.part_prefix())
                .and_then(|rest| rest.strip_prefix('-'))
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    }
}

/// The shard a file of the output folder belongs to, from its name: `None` for a whole scan's
/// files, and for files that are not a scan's.
pub fn shard_of_file(name: &str) -> Option<Shard> {
    let tag_start = name.find("shard-")?;
    let tag = name.get(tag_start..tag_start + "shard-0000-of-0000".len())?;
    Shard::from_tag(tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_scans_keep_their_names_and_shards_tag_theirs() {
        let dir = Path::new("/out");
        let whole = ScanFiles::new(dir, Shard::WHOLE);
        assert_eq!(whole.part_prefix(), "part");
        assert_eq!(whole.summary(), dir.join("_summary.json"));
        assert_eq!(whole.lock(), dir.join("_lock"));
        assert_eq!(whole.problems(), Some(dir.join("_problems.jsonl")));
        let s = ScanFiles::new(dir, Shard::new(3, 8).unwrap());
        assert_eq!(s.part_prefix(), "part-shard-0003-of-0008");
        assert_eq!(s.manifest(), dir.join("_manifest-shard-0003-of-0008.json"));
        assert_eq!(s.problems(), None);
        assert_eq!(
            s.own_copy(Path::new("/v/emb.parquet")),
            Path::new("/v/emb-shard-0003-of-0008.parquet")
        );
        assert_eq!(
            whole.own_copy(Path::new("emb.parquet")),
            Path::new("emb.parquet")
        );
        assert_eq!(
            shard_of_file("part-shard-0003-of-0008-00012.parquet"),
            Some(Shard::new(3, 8).unwrap())
        );
        assert_eq!(shard_of_file("part-00012.parquet"), None);
    }

    #[test]
    fn a_shard_clears_only_its_own_leftovers() {
        let s = ScanFiles::new(Path::new("/out"), Shard::new(1, 4).unwrap());
        for own in [
            "_summary-shard-0001-of-0004.json",
            "_manifest-shard-0001-of-0004.json",
            "_manifest-shard-0001-of-0004.json.tmp",
            "part-shard-0001-of-0004-00007.parquet.tmp",
        ] {
            assert!(s.is_leftover(own), "{own}");
        }
        for other in [
            "_summary-shard-0002-of-0004.json",
            "part-shard-0002-of-0004-00007.parquet.tmp",
            "part-shard-0001-of-0004-00007.parquet",
            "part-00001.parquet.tmp",
            "_summary.json",
            "_problems.jsonl",
        ] {
            assert!(!s.is_leftover(other), "{other}");
        }
        let whole = ScanFiles::new(Path::new("/out"), Shard::WHOLE);
        assert!(whole.is_leftover("part-00001.parquet.tmp"));
        assert!(whole.is_leftover("_summary.json"));
        assert!(!whole.is_leftover("part-shard-0001-of-0004-00007.parquet.tmp"));
    }
}
