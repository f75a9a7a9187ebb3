//! Shards: one export scanned as N disjoint parts, by N processes on as many machines, into one
//! output folder.
//!
//! A document belongs to shard `hash(doc_id) mod N`, where the hash is the first eight bytes of
//! the SHA-256 of its `doc_id`: stable across runs, machines and arkivar versions, and
//! independent of export order, so a re-run (or a resumed shard) owns exactly the documents it
//! owned before. A changed N changes which shard owns a document; the output folder records N
//! in every file name and manifest, so a scan with another N into the same folder is refused
//! and `verify` names any row whose shard does not match its `doc_id`.
//!
//! Shard indices are 0-based, as a Slurm array submitted with `--array=0-(N-1)` and a
//! Kubernetes Indexed Job (`JOB_COMPLETION_INDEX`) number their tasks.

use sha2::{Digest, Sha256};

/// Environment variables a batch engine sets to a task's index, in the order they are tried:
/// a Slurm job array's task, then a Kubernetes Indexed Job's completion index.
pub const INDEX_VARIABLES: [&str; 2] = ["SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX"];

/// One shard of an export: `index` of `count`, with `index < count` (a whole scan is 0 of 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "RawShard", into = "RawShard")]
pub struct Shard {
    index: u32,
    count: u32,
}

/// A shard or task index that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShardError {
    /// `--shard` is not `K/N`.
    #[error("--shard {0:?}: expected K/N, the K-th (0-based) of N shards, e.g. 0/8")]
    Syntax(String),
    /// N is 0.
    #[error("the number of shards must be at least 1")]
    NoShards,
    /// K is not below N.
    #[error("shard index {index} is out of range for {count} shards (0 to {max})", max = count - 1)]
    OutOfRange {
        /// The index given.
        index: u32,
        /// The number of shards.
        count: u32,
    },
    /// `--shards N` without an index in the environment.
    #[error(
        "--shards {0} needs the task's index from the batch engine: none of {vars} is set (a \
         Slurm array task or a Kubernetes Indexed Job sets one); pass --shard K/{0} by hand \
         otherwise",
        vars = INDEX_VARIABLES.join(", ")
    )]
    NoIndex(u32),
    /// The engine's index variable is not a number.
    #[error("{variable}={value:?} is not a task index")]
    BadIndex {
        /// The variable.
        variable: &'static str,
        /// Its value.
        value: String,
    },
}

impl Shard {
    /// The whole export, as one shard (a scan without `--shard`).
    pub const WHOLE: Shard = Shard { index: 0, count: 1 };

    /// Shard `index` of `count`.
    pub fn new(index: u32, count: u32) -> Result<Shard, ShardError> {
        if count == 0 {
            return Err(ShardError::NoShards);
        }
        if index >= count {
            return Err(ShardError::OutOfRange { index, count });
        }
        Ok(Shard { index, count })
    }

    /// Parses `K/N` (`--shard 3/8`).
    pub fn parse(text: &str) -> Result<Shard, ShardError> {
        let syntax = || ShardError::Syntax(text.to_string());
        let (k, n) = text.trim().split_once('/').ok_or_else(syntax)?;
        let k = k.trim().parse().map_err(|_| syntax())?;
        let n = n.trim().parse().map_err(|_| syntax())?;
        Shard::new(k, n)
    }

    /// Shard K of `count`, K read from the first of [`INDEX_VARIABLES`] that `var` finds
    /// (`--shards N` inside a Slurm array task or a Kubernetes Indexed Job).
    pub fn from_engine(
        count: u32,
        var: impl Fn(&str) -> Option<String>,
    ) -> Result<Shard, ShardError> {
        let (variable, value) = INDEX_VARIABLES
            .iter()
            .find_map(|&name| var(name).map(|v| (name, v)))
            .ok_or(ShardError::NoIndex(count))?;
        let index = value.trim().parse().map_err(|_| ShardError::BadIndex {
            variable,
            value: value.clone(),
        })?;
        Shard::new(index, count)
    }

    /// The 0-based index.
    pub fn index(self) -> u32 {
        self.index
    }

    /// The number of shards.
    pub fn count(self) -> u32 {
        self.count
    }

    /// Whether this is the whole export (1 shard).
    pub fn is_whole(self) -> bool {
        self.count == 1
    }

    /// Whether the document `doc_id` belongs to this shard.
    pub fn owns(self, doc_id: &str) -> bool {
        shard_of(doc_id, self.count) == self.index
    }

    /// The name the shard's files carry (`shard-0003-of-0008`); `None` for the whole export,
    /// whose files keep their plain names.
    pub fn tag(self) -> Option<String> {
        (!self.is_whole()).then(|| format!("shard-{:04}-of-{:04}", self.index, self.count))
    }

    /// The shard a file tag names (the inverse of [`Shard::tag`]).
    pub fn from_tag(tag: &str) -> Option<Shard> {
        let rest = tag.strip_prefix("shard-")?;
        let (k, n) = rest.split_once("-of-")?;
        let digits = |s: &str| s.len() >= 4 && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(k) || !digits(n) {
            return None;
        }
        Shard::new(k.parse().ok()?, n.parse().ok()?).ok()
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// The serialised form of a [`Shard`], checked on the way in.
#[derive(serde::Serialize, serde::Deserialize)]
struct RawShard {
    index: u32,
    count: u32,
}

impl TryFrom<RawShard> for Shard {
    type Error = ShardError;
    fn try_from(r: RawShard) -> Result<Shard, ShardError> {
        Shard::new(r.index, r.count)
    }
}

impl From<Shard> for RawShard {
    fn from(s: Shard) -> RawShard {
        RawShard {
            index: s.index,
            count: s.count,
        }
    }
}

/// The 128-bit digest of a `doc_id` (the first 16 bytes of its SHA-256): what shards, manifests
/// and `verify` compare, 16 bytes per document whatever the id's length.
pub fn doc_key(doc_id: &str) -> u128 {
    let digest = Sha256::digest(doc_id.as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    u128::from_be_bytes(bytes)
}

/// The shard of `count` that owns a document with key `key` ([`doc_key`]): its top 64 bits
/// modulo `count`.
pub fn shard_of_key(key: u128, count: u32) -> u32 {
    ((key >> 64) as u64 % u64::from(count.max(1))) as u32
}

/// The shard of `count` that owns `doc_id`.
pub fn shard_of(doc_id: &str, count: u32) -> u32 {
    shard_of_key(doc_key(doc_id), count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_refuses() {
        assert_eq!(Shard::parse("3/8").unwrap(), Shard::new(3, 8).unwrap());
        assert_eq!(Shard::parse(" 0 / 1 ").unwrap(), Shard::WHOLE);
        assert_eq!(
            Shard::parse("8/8").unwrap_err(),
            ShardError::OutOfRange { index: 8, count: 8 }
        );
        assert_eq!(Shard::parse("1/0").unwrap_err(), ShardError::NoShards);
        assert!(matches!(Shard::parse("3"), Err(ShardError::Syntax(_))));
        assert!(matches!(Shard::parse("-1/4"), Err(ShardError::Syntax(_))));
        let msg = Shard::parse("9/4").unwrap_err().to_string();
        assert!(msg.contains("0 to 3"), "{msg}");
    }

    #[test]
    fn the_index_comes_from_slurm_or_kubernetes() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        let slurm = Shard::from_engine(4, env(&[("SLURM_ARRAY_TASK_ID", "2")])).unwrap();
        assert_eq!(slurm, Shard::new(2, 4).unwrap());
        let k8s = Shard::from_engine(4, env(&[("JOB_COMPLETION_INDEX", "3")])).unwrap();
        assert_eq!(k8s, Shard::new(3, 4).unwrap());
        assert_eq!(
            Shard::from_engine(4, env(&[])).unwrap_err(),
            ShardError::NoIndex(4)
        );
        assert!(matches!(
            Shard::from_engine(4, env(&[("SLURM_ARRAY_TASK_ID", "x")])),
            Err(ShardError::BadIndex { .. })
        ));
        assert!(matches!(
            Shard::from_engine(4, env(&[("JOB_COMPLETION_INDEX", "4")])),
            Err(ShardError::OutOfRange { .. })
        ));
    }

    #[test]
    fn every_document_has_exactly_one_shard_and_they_are_even() {
        let ids: Vec<String> = (0..8000).map(|i| format!("dok-{i}")).collect();
        let shards: Vec<Shard> = (0..8).map(|k| Shard::new(k, 8).unwrap()).collect();
        let mut sizes = [0usize; 8];
        for id in &ids {
            let owners: Vec<&Shard> = shards.iter().filter(|s| s.owns(id)).collect();
            assert_eq!(owners.len(), 1, "{id}");
            sizes[owners[0].index() as usize] += 1;
        }
        for s in sizes {
            assert!((850..=1150).contains(&s), "uneven shards: {sizes:?}");
        }
        assert!(ids.iter().all(|id| Shard::WHOLE.owns(id)));
    }

    #[test]
    fn the_hash_is_fixed_across_versions() {
        // Pinned (from Python's hashlib: the first 8 bytes of SHA-256, big-endian, modulo N)
        // so that no refactoring moves documents between the shards of a scan being resumed.
        assert_eq!(shard_of("dok-1", 8), 0);
        assert_eq!(shard_of("dok-1", 1000), 504);
        assert_eq!(shard_of("dok-2", 8), 2);
        assert_eq!(shard_of("7f3c2a9e-0b1d-4c5e-9f00-123456789abc", 1000), 659);
        assert_eq!(
            format!("{:032x}", doc_key("dok-1")),
            crate::source::checksum::sha256_hex(b"dok-1")[..32]
        );
    }

    #[test]
    fn tags_round_trip() {
        let s = Shard::new(3, 12).unwrap();
        assert_eq!(s.tag().as_deref(), Some("shard-0003-of-0012"));
        assert_eq!(Shard::from_tag("shard-0003-of-0012"), Some(s));
        assert_eq!(Shard::WHOLE.tag(), None);
        assert_eq!(Shard::from_tag("shard-0012-of-0012"), None);
        assert_eq!(Shard::from_tag("shard-3-of-12"), None);
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<Shard>(&json).unwrap(), s);
        assert!(serde_json::from_str::<Shard>(r#"{"index":5,"count":5}"#).is_err());
    }
}
