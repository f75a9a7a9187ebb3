//! The pipeline: every driver that moves documents through the stages, and the only code that
//! fills the review row.
//!
//! ```text
//!  source ──► extract ──► pii ──► embed ──► classify ──► output
//! ```
//!
//! - [`drive`]: the one path documents travel — a reader thread, a worker pool running one
//!   per-document function, results in export order;
//! - [`document`]: the per-document step (open, extract, personal data);
//! - [`memory`]: the memory budget all documents being read share;
//! - [`row`]: the review row from the stages' typed results;
//! - [`mod@scan`]: `arkivar scan` (all stages, the review table, resume, progress) and its
//!   [`summary`];
//! - [`shard`]: which documents one of N shards owns (a stable hash of `doc_id`);
//!   [`out_files`]: the files a scan or shard owns in the output folder; [`manifest`]: what a
//!   finished shard wrote and from what; [`mod@verify`]: `arkivar verify`, every shard of a scan
//!   present, alike, and every document exactly once;
//! - [`corpus`]: exports read into a labelled dataset for `train`, `eval` and `compare`, with
//!   only the stages training uses (no personal data);
//! - [`compare`]: the model benchmark's reading of its corpora.
//!
//! The stages never import this module; it imports them.

pub mod compare;
pub mod corpus;
pub mod document;
pub mod drive;
pub mod manifest;
pub mod memory;
pub mod out_files;
pub mod row;
pub mod scan;
pub mod shard;
pub mod summary;
pub mod verify;

pub use drive::worker_pool;
pub use scan::{scan, ScanError, ScanOptions};
pub use shard::Shard;
pub use summary::ScanSummary;
pub use verify::{verify, Verdict};
