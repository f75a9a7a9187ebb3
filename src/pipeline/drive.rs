//! The one way documents travel through arkivar: a reader thread streams the export's
//! [`DocRef`]s, a worker pool runs one per-document function on each, and the caller's
//! consumer receives the results in export order.
//!
//! ```text
//!  reader thread ──(bounded)──► worker pool ──(bounded)──► consumer (the calling thread)
//!  streams DocRefs             the per-document            receives results in export
//!  skips finished ids          function                    order (reordered by sequence)
//!  records problems
//! ```
//!
//! Memory is bounded by the channel capacities and the results waiting to be reordered,
//! whatever the export's size. `scan` and the training corpus both run on it.

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::io::Write;

use crossbeam_channel::{bounded, Sender};
use rayon::iter::{ParallelBridge, ParallelIterator};

use crate::source::{DocRef, Export, ExportKind, Problem, SourceError, SourceItem};

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

/// What the reader saw.
#[derive(Debug, Default)]
pub struct ReaderReport {
    /// Documents skipped because they were already done.
    pub skipped: u64,
    /// Export problems by kind.
    pub problems: BTreeMap<String, u64>,
    /// A fatal source error met part-way (the documents before it were passed on).
    pub error: Option<SourceError>,
}

/// A thread of the driver panicked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Panicked(pub &'static str);

impl std::fmt::Display for Panicked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the {} thread panicked", self.0)
    }
}

/// Where the reader records export problems (one JSON line each); `None`: count only.
pub type ProblemLog = Option<std::io::BufWriter<fs::File>>;

/// Streams `export`'s documents (except those in `skip`) through `work` on `pool`, and hands
/// each result to `consume` in export order. Stops early when `consume` fails (that error is
/// returned); a source error part-way ends the stream and is reported in the
/// [`ReaderReport`].
pub fn drive<T, E>(
    pool: &rayon::ThreadPool,
    export: &Export,
    skip: &HashSet<String>,
    problems: ProblemLog,
    work: impl Fn(Box<DocRef>) -> T + Sync,
    mut consume: impl FnMut(T) -> Result<(), E>,
) -> Result<ReaderReport, E>
where
    T: Send,
    E: From<Panicked>,
{
    let (doc_tx, doc_rx) = bounded::<(u64, Box<DocRef>)>(CHANNEL_CAPACITY);
    let (out_tx, out_rx) = bounded::<(u64, T)>(CHANNEL_CAPACITY);
    std::thread::scope(|s| {
        let reader = s.spawn(move || read_source(export, skip, problems, doc_tx));
        let work = &work;
        let workers = s.spawn(move || {
            pool.install(|| {
                // A failed send means the consumer stopped: stop too.
                let _ = doc_rx
                    .into_iter()
                    .par_bridge()
                    .try_for_each_with(out_tx, |tx, (seq, doc)| {
                        tx.send((seq, work(doc))).map_err(|_| ())
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
        workers.map_err(|_| Panicked("worker"))?;
        Ok(report.map_err(|_| Panicked("reader"))?)
    })
}

fn read_source(
    export: &Export,
    skip: &HashSet<String>,
    problems: ProblemLog,
    tx: Sender<(u64, Box<DocRef>)>,
) -> ReaderReport {
    let mut state = ReaderState {
        tx,
        skip,
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
    for item in documents.by_ref() {
        if !state.handle(item) {
            break;
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
    skip: &'a HashSet<String>,
    seq: u64,
    problems_out: ProblemLog,
    report: ReaderReport,
}

impl ReaderState<'_> {
    /// Passes one source item on; `false` when reading must stop.
    fn handle(&mut self, item: Result<SourceItem, SourceError>) -> bool {
        match item {
            Ok(SourceItem::Doc(doc)) => {
                if self.skip.contains(&doc.doc_id) {
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
            let line = serde_json::json!({
                "kind": p.kind.as_str(),
                "location": p.location,
                "message": p.message,
            });
            let _ = writeln!(out, "{line}");
        }
    }
}
