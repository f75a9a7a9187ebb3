//! The one way documents travel through arkivar: a reader thread streams the export's
//! [`DocRef`]s, a worker pool runs one per-document function on each, and the caller's
//! consumer receives the results in export order.
//!
//! ```text
//!  reader thread ──(bounded)──► worker pool ──(bounded)──► consumer (the calling thread)
//!  streams DocRefs             the per-document            receives results in export
//!  passes over other shards'   function                    order (reordered by sequence)
//!  and finished ids
//!  records problems
//! ```
//!
//! Memory is bounded by the channel capacities and the results waiting to be reordered,
//! whatever the export's size. `scan` and the training corpus both run on it.

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::io::Write;
use std::panic::{catch_unwind, AssertUnwindSafe};

use crossbeam_channel::{bounded, Sender};
use rayon::iter::{ParallelBridge, ParallelIterator};

use crate::pii::mask_identifiers;
use crate::source::{DocRef, Export, ExportKind, Problem, SourceError, SourceItem};

use super::shard::Shard;

/// Channel capacity between the stages: enough to keep every worker busy, small enough that
/// memory does not grow with the export.
const CHANNEL_CAPACITY: usize = 256;

/// The worker pool of a scan or a corpus read: `threads`, or all cores.
pub fn worker_pool(threads: Option<usize>) -> Result<rayon::ThreadPool, String> {
    let mut b = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        b = b.num_threads(n.max(1));
    }
    b.build().map_err(|e| e.to_string())
}

/// Which of an export's documents a drive hands to its workers; the others are passed over
/// without opening their files.
#[derive(Debug, Clone, Copy)]
pub struct Selection<'a> {
    /// Only this shard's documents ([`Shard::WHOLE`]: all).
    pub shard: Shard,
    /// Documents already done by an earlier run (`--resume`).
    pub done: &'a HashSet<String>,
}

impl Selection<'_> {
    /// Every document of the export.
    pub fn all() -> Selection<'static> {
        static NONE: std::sync::OnceLock<HashSet<String>> = std::sync::OnceLock::new();
        Selection {
            shard: Shard::WHOLE,
            done: NONE.get_or_init(HashSet::new),
        }
    }
}

/// What the reader saw.
#[derive(Debug, Default)]
pub struct ReaderReport {
    /// Documents skipped because they were already done.
    pub skipped: u64,
    /// Documents passed over because another shard owns them.
    pub other_shards: u64,
    /// Export problems by kind.
    pub problems: BTreeMap<String, u64>,
    /// A fatal source error met part-way (the documents before it were passed on).
    pub error: Option<SourceError>,
    /// The SHA-256 of `arkivstruktur.xml`, taken as the stream read it, when the stream was
    /// read to its end (`None` for a plain folder).
    pub source_sha256: Option<String>,
}

/// The driver itself failed (never a document: a document's panic becomes its fallback).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DriveFailure {
    /// A thread of the driver panicked.
    Panicked(&'static str),
    /// Results waited for one that never came: they were not handed on.
    Lost {
        /// How many results were left waiting.
        waiting: usize,
    },
}

impl std::fmt::Display for DriveFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DriveFailure::Panicked(thread) => write!(f, "the {thread} thread panicked"),
            DriveFailure::Lost { waiting } => write!(
                f,
                "a document's result never arrived; {waiting} later results were not handed on"
            ),
        }
    }
}

/// Where the reader records export problems (one JSON line each); `None`: count only.
pub type ProblemLog = Option<std::io::BufWriter<fs::File>>;

/// The per-document function of a drive, and its fallback for a document whose processing
/// panicked (a bug, caught per document so that one document never stops the others).
pub struct Work<W, P> {
    /// The per-document function.
    pub run: W,
    /// The result for a document whose `run` panicked.
    pub on_panic: P,
}

/// Streams `export`'s `selected` documents through `work` on `pool`, and hands
/// each result to `consume` in export order. Stops early when `consume` fails (that error is
/// returned); a source error part-way ends the stream and is reported in the
/// [`ReaderReport`]. Fails when a thread of its own dies or a result goes missing, never
/// silently.
pub fn drive<T, E, W, P>(
    pool: &rayon::ThreadPool,
    export: &Export,
    selected: Selection<'_>,
    problems: ProblemLog,
    work: Work<W, P>,
    mut consume: impl FnMut(T) -> Result<(), E>,
) -> Result<ReaderReport, E>
where
    T: Send,
    E: From<DriveFailure>,
    W: Fn(Box<DocRef>) -> T + Sync,
    P: Fn(Box<DocRef>) -> T + Sync,
{
    let (doc_tx, doc_rx) = bounded::<(u64, Box<DocRef>)>(CHANNEL_CAPACITY);
    let (out_tx, out_rx) = bounded::<(u64, T)>(CHANNEL_CAPACITY);
    std::thread::scope(|s| {
        let reader = s.spawn(move || read_source(export, selected, problems, doc_tx));
        let work = &work;
        let workers = s.spawn(move || {
            pool.install(|| {
                // A failed send means the consumer stopped: stop too.
                let _ = doc_rx
                    .into_iter()
                    .par_bridge()
                    .try_for_each_with(out_tx, |tx, (seq, doc)| {
                        tx.send((seq, run_one(work, doc))).map_err(|_| ())
                    });
            });
        });
        // Results go on in sequence order; out-of-order ones wait in a small map.
        let mut waiting: BTreeMap<u64, T> = BTreeMap::new();
        let mut next = 0u64;
        let mut outcome = Ok(());
        'receive: for (seq, done) in out_rx.iter() {
            waiting.insert(seq, done);
            while let Some(done) = waiting.remove(&next) {
                next += 1;
                if let Err(e) = consume(done) {
                    outcome = Err(e);
                    break 'receive;
                }
            }
        }
        drop(out_rx);
        let workers = workers.join();
        let report = reader.join();
        outcome?;
        workers.map_err(|_| DriveFailure::Panicked("worker"))?;
        if !waiting.is_empty() {
            return Err(DriveFailure::Lost {
                waiting: waiting.len(),
            }
            .into());
        }
        Ok(report.map_err(|_| DriveFailure::Panicked("reader"))?)
    })
}

/// Runs the per-document function on one document, or its fallback when it panics.
fn run_one<T, W, P>(work: &Work<W, P>, doc: Box<DocRef>) -> T
where
    W: Fn(Box<DocRef>) -> T,
    P: Fn(Box<DocRef>) -> T,
{
    let copy = doc.clone();
    catch_unwind(AssertUnwindSafe(|| (work.run)(doc))).unwrap_or_else(|_| (work.on_panic)(copy))
}

fn read_source(
    export: &Export,
    selected: Selection<'_>,
    problems: ProblemLog,
    tx: Sender<(u64, Box<DocRef>)>,
) -> ReaderReport {
    let mut state = ReaderState {
        tx,
        selected,
        seq: 0,
        problems_out: problems,
        report: ReaderReport::default(),
    };
    let mut documents = match export.documents() {
        Ok(d) => d,
        Err(e) => {
            state.report.error = Some(e);
            return state.report;
        }
    };
    let mut to_the_end = true;
    for item in documents.by_ref() {
        if !state.handle(item) {
            to_the_end = false;
            break;
        }
    }
    if to_the_end {
        match documents.sha256() {
            Some(Ok(sha)) => state.report.source_sha256 = Some(sha),
            Some(Err(e)) => state.report.error = Some(e),
            None => {}
        }
    }
    if let (
        None,
        Some(counts),
        ExportKind::Noark5 {
            addml: Some(addml), ..
        },
    ) = (&state.report.error, documents.counts(), &export.kind)
    {
        for p in addml.count_problems(&counts) {
            state.record(&p);
        }
    }
    if let Some(out) = state.problems_out.as_mut() {
        let _ = out.flush();
    }
    state.report
}

/// The reader thread's state: where documents go and where problems are recorded.
struct ReaderState<'a> {
    tx: Sender<(u64, Box<DocRef>)>,
    selected: Selection<'a>,
    seq: u64,
    problems_out: ProblemLog,
    report: ReaderReport,
}

impl ReaderState<'_> {
    /// Passes one source item on; `false` when reading must stop.
    fn handle(&mut self, item: Result<SourceItem, SourceError>) -> bool {
        match item {
            Ok(SourceItem::Doc(doc)) => {
                if !self.selected.shard.owns(&doc.doc_id) {
                    self.report.other_shards += 1;
                    return true;
                }
                if self.selected.done.contains(&doc.doc_id) {
                    self.report.skipped += 1;
                    return true;
                }
                let sent = self.tx.send((self.seq, doc)).is_ok();
                self.seq += 1;
                sent
            }
            Ok(SourceItem::Problem(p)) => {
                self.record(&p);
                true
            }
            Err(e) => {
                self.report.error = Some(e);
                false
            }
        }
    }

    fn record(&mut self, p: &Problem) {
        *self
            .report
            .problems
            .entry(p.kind.as_str().to_string())
            .or_default() += 1;
        if let Some(out) = self.problems_out.as_mut() {
            // A message can quote a bad value of the export (a fødselsnummer in a number
            // field): numbers masked.
            let line = serde_json::json!({
                "kind": p.kind.as_str(),
                "location": p.location,
                "message": mask_identifiers(&p.message),
            });
            let _ = writeln!(out, "{line}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::open_export;

    #[test]
    fn a_panicking_document_gets_its_fallback_and_nothing_is_lost() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..40 {
            fs::write(dir.path().join(format!("{i:02}.txt")), format!("brev {i}")).unwrap();
        }
        let export = open_export(dir.path()).unwrap();
        let pool = worker_pool(Some(2)).unwrap();
        let mut seen: Vec<String> = Vec::new();
        let report = drive(
            &pool,
            &export,
            Selection::all(),
            None,
            Work {
                run: |doc: Box<DocRef>| {
                    assert!(!doc.doc_id.contains("13"), "a bug in some stage");
                    doc.doc_id
                },
                on_panic: |doc: Box<DocRef>| format!("fallback {}", doc.doc_id),
            },
            |id| {
                seen.push(id);
                Ok::<(), DriveFailure>(())
            },
        )
        .unwrap();
        assert!(report.error.is_none());
        assert_eq!(seen.len(), 40, "every document handed on");
        assert_eq!(seen[13], "fallback 13.txt");
        let ids: Vec<&str> = seen
            .iter()
            .map(|s| s.trim_start_matches("fallback "))
            .collect();
        let expected: Vec<String> = (0..40).map(|i| format!("{i:02}.txt")).collect();
        assert_eq!(ids, expected, "in export order");
    }

    #[test]
    fn a_failing_consumer_stops_the_drive_with_its_error() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..600 {
            fs::write(dir.path().join(format!("{i:03}.txt")), "x").unwrap();
        }
        let export = open_export(dir.path()).unwrap();
        let pool = worker_pool(Some(2)).unwrap();
        let mut taken = 0;
        let err = drive(
            &pool,
            &export,
            Selection::all(),
            None,
            Work {
                run: |doc: Box<DocRef>| doc.doc_id,
                on_panic: |doc: Box<DocRef>| doc.doc_id,
            },
            |_| {
                taken += 1;
                if taken == 10 {
                    Err(DriveFailure::Panicked("test consumer"))
                } else {
                    Ok(())
                }
            },
        )
        .unwrap_err();
        assert_eq!(err, DriveFailure::Panicked("test consumer"));
        assert_eq!(taken, 10);
    }
}
