//! Training in bounded memory: a cap on the documents of each klasse held while an export is
//! read, so that `train` on a ten-year history of millions of documents needs the memory of a
//! fixed number of documents, not of the history.
//!
//! Each klasse keeps at most `cap` documents: those whose `doc_id` hashes lowest (a fixed,
//! seedless hash), so the sample is the same whatever the export's order and however often it
//! is read, and a class's sample is a spread over its whole history rather than its first
//! years. Classes under the cap keep every document: rare classes, the ones a classifier
//! struggles with, lose nothing. Under a memory budget the cap falls until the kept documents
//! fit: the largest classes are cut first, one document at a time, down to the size where the
//! rest fits. What was kept and cut is recorded in the classifier's header.

use std::collections::{BTreeMap, BinaryHeap, HashMap};

use sha2::{Digest, Sha256};

use super::dataset::CorpusDoc;

/// Bytes a kept document costs beyond its n-grams, embedding and text: its id, title, Noark
/// metadata and the bookkeeping around it.
const DOC_OVERHEAD: u64 = 1_024;

/// Training's peak memory over the kept documents' [`approx_bytes`]: while the heads learn,
/// their feature copies, validation scores and evidence take about as much again (measured:
/// 983 MiB peak RSS for 482 MiB of documents at 50 000 generated documents, n-grams). The
/// documents get this share of a memory budget.
pub const TRAINING_FACTOR: u64 = 2;

/// How much of the corpus training may hold.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SampleLimits {
    /// Documents kept per klasse at most.
    pub max_per_class: Option<usize>,
    /// Bytes training may take at its peak: the kept documents get a
    /// [`TRAINING_FACTOR`]th of it (estimated per document).
    pub memory_bytes: Option<u64>,
}

impl SampleLimits {
    /// Whether any limit is set.
    pub fn is_set(&self) -> bool {
        self.max_per_class.is_some() || self.memory_bytes.is_some()
    }
}

/// What a capped read kept, for the classifier's header and `train`'s report.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SampleRecord {
    /// The limits asked for.
    pub limits: SampleLimits,
    /// The cap the classes ended under (`None`: no class reached a cap).
    pub cap: Option<usize>,
    /// Documents read.
    pub seen: u64,
    /// Documents kept for training.
    pub kept: u64,
    /// Estimated bytes of the kept documents.
    pub kept_bytes: u64,
    /// Each capped klasse (`""`: documents without one): documents read and kept.
    pub capped: BTreeMap<String, (u64, u64)>,
}

/// One kept document with its place in the order of reading and its sampling priority.
struct Kept {
    priority: u64,
    seq: u64,
    bytes: u64,
    doc: CorpusDoc,
}

impl PartialEq for Kept {
    fn eq(&self, other: &Self) -> bool {
        (self.priority, self.seq) == (other.priority, other.seq)
    }
}
impl Eq for Kept {}
impl PartialOrd for Kept {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Kept {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.priority, self.seq).cmp(&(other.priority, other.seq))
    }
}

/// The documents of one klasse: a max-heap by priority, so the next to go is on top.
#[derive(Default)]
struct Class {
    kept: BinaryHeap<Kept>,
    seen: u64,
}

/// A corpus being read under [`SampleLimits`].
pub struct CappedSample {
    limits: SampleLimits,
    /// Documents kept whatever the cap (a reviewer decided them), outside the classes' heaps.
    pinned_ids: std::collections::HashSet<String>,
    pinned: Vec<Kept>,
    cap: usize,
    classes: HashMap<String, Class>,
    bytes: u64,
    seen: u64,
}

impl CappedSample {
    /// An empty sample under `limits`.
    pub fn new(limits: SampleLimits) -> CappedSample {
        CappedSample {
            limits,
            pinned_ids: Default::default(),
            pinned: Vec::new(),
            cap: limits.max_per_class.unwrap_or(usize::MAX).max(1),
            classes: HashMap::new(),
            bytes: 0,
            seen: 0,
        }
    }

    /// Keeps the documents `ids` whatever the cap (their bytes still count).
    pub fn pinning(mut self, ids: impl IntoIterator<Item = String>) -> CappedSample {
        self.pinned_ids.extend(ids);
        self
    }

    /// Offers one document; it is kept if its klasse is under the cap or it ranks before the
    /// klasse's last kept one (which then goes).
    pub fn push(&mut self, doc: CorpusDoc) {
        let seq = self.seen;
        self.seen += 1;
        let class = doc.meta.klasse_id.clone().unwrap_or_default();
        let entry = Kept {
            priority: priority(&doc.doc_id),
            seq,
            bytes: approx_bytes(&doc),
            doc,
        };
        if self.pinned_ids.contains(&entry.doc.doc_id) {
            self.bytes += entry.bytes;
            self.pinned.push(entry);
            self.fit_budget();
            return;
        }
        let slot = self.classes.entry(class).or_default();
        slot.seen += 1;
        if slot.kept.len() >= self.cap {
            match slot.kept.peek() {
                Some(last) if entry.priority < last.priority => {
                    if let Some(out) = slot.kept.pop() {
                        self.bytes -= out.bytes;
                    }
                }
                _ => return,
            }
        }
        self.bytes += entry.bytes;
        slot.kept.push(entry);
        self.fit_budget();
    }

    /// Lowers the cap, cutting the largest classes first, until the kept documents fit the
    /// memory budget.
    fn fit_budget(&mut self) {
        let Some(budget) = self.limits.memory_bytes.map(|b| b / TRAINING_FACTOR) else {
            return;
        };
        while self.bytes > budget {
            let Some(largest) = self.classes.values().map(|c| c.kept.len()).max() else {
                return;
            };
            if largest <= 1 {
                return;
            }
            self.cap = largest - 1;
            for slot in self.classes.values_mut() {
                while slot.kept.len() > self.cap {
                    if let Some(out) = slot.kept.pop() {
                        self.bytes -= out.bytes;
                    }
                }
            }
        }
    }

    /// The kept documents in the order they were read, and the record of what was kept.
    pub fn finish(self) -> (Vec<CorpusDoc>, SampleRecord) {
        let mut record = SampleRecord {
            limits: self.limits,
            seen: self.seen,
            kept_bytes: self.bytes,
            ..SampleRecord::default()
        };
        let mut kept: Vec<Kept> = self.pinned;
        for (class, slot) in self.classes {
            let n = slot.kept.len() as u64;
            if n < slot.seen {
                record.capped.insert(class, (slot.seen, n));
            }
            kept.extend(slot.kept);
        }
        if !record.capped.is_empty() {
            record.cap = Some(self.cap);
        }
        kept.sort_unstable_by_key(|k| k.seq);
        record.kept = kept.len() as u64;
        (kept.into_iter().map(|k| k.doc).collect(), record)
    }
}

/// The sampling priority of a document: a hash of its id, independent of the shard hash.
fn priority(doc_id: &str) -> u64 {
    let mut h = Sha256::new();
    h.update(b"arkivar-sample\0");
    h.update(doc_id.as_bytes());
    let d = h.finalize();
    let mut b = [0u8; 8];
    b.copy_from_slice(&d[..8]);
    u64::from_be_bytes(b)
}

/// About what a document held for training costs in memory.
pub fn approx_bytes(doc: &CorpusDoc) -> u64 {
    let strings = doc.doc_id.len() + doc.title.as_ref().map_or(0, String::len);
    let ngrams =
        doc.ngrams.indices.len() * (std::mem::size_of::<u32>() + std::mem::size_of::<f32>());
    let embedding = doc.embedding.as_ref().map_or(0, |e| e.len() * 4);
    let text = doc.text.as_ref().map_or(0, String::len);
    DOC_OVERHEAD + (strings + ngrams + embedding + text) as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::NoarkMeta;

    fn doc(id: &str, klasse: &str) -> CorpusDoc {
        CorpusDoc {
            doc_id: id.into(),
            title: None,
            meta: NoarkMeta {
                klasse_id: Some(klasse.into()),
                ..NoarkMeta::default()
            },
            ngrams: Default::default(),
            embedding: None,
            no_text: false,
            text: None,
        }
    }

    fn ids(docs: &[CorpusDoc]) -> Vec<String> {
        docs.iter().map(|d| d.doc_id.clone()).collect()
    }

    #[test]
    fn the_cap_keeps_rare_classes_whole_and_the_same_documents_in_any_order() {
        let mut docs: Vec<CorpusDoc> = (0..300).map(|i| doc(&format!("a{i}"), "A")).collect();
        docs.extend((0..20).map(|i| doc(&format!("b{i}"), "B")));
        let limits = SampleLimits {
            max_per_class: Some(50),
            memory_bytes: None,
        };
        let mut forward = CappedSample::new(limits);
        docs.iter().cloned().for_each(|d| forward.push(d));
        let (kept, record) = forward.finish();
        assert_eq!(kept.len(), 70);
        assert_eq!(record.capped.get("A"), Some(&(300, 50)));
        assert!(
            !record.capped.contains_key("B"),
            "a rare class loses nothing"
        );
        assert_eq!(record.cap, Some(50));
        // In reading order…
        let order: Vec<u64> = kept
            .iter()
            .filter(|d| d.doc_id.starts_with('a'))
            .map(|d| d.doc_id[1..].parse().unwrap())
            .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]));
        // …and the same documents when the export lists them the other way round.
        let mut backward = CappedSample::new(limits);
        docs.iter().rev().cloned().for_each(|d| backward.push(d));
        let (mut again, _) = backward.finish();
        again.reverse();
        assert_eq!(ids(&again), ids(&kept));
    }

    #[test]
    fn a_memory_budget_cuts_the_largest_classes_first() {
        let per_doc = approx_bytes(&doc("a000", "A"));
        let limits = SampleLimits {
            max_per_class: None,
            memory_bytes: Some(60 * per_doc * TRAINING_FACTOR),
        };
        let mut s = CappedSample::new(limits);
        for i in 0..200 {
            s.push(doc(&format!("a{i:03}"), "A"));
        }
        for i in 0..40 {
            s.push(doc(&format!("c{i:03}"), "C"));
        }
        for i in 0..10 {
            s.push(doc(&format!("b{i:03}"), "B"));
        }
        let (kept, record) = s.finish();
        assert!(record.kept_bytes <= 60 * per_doc);
        let count = |p: char| kept.iter().filter(|d| d.doc_id.starts_with(p)).count();
        assert_eq!(count('b'), 10, "the smallest class whole");
        assert_eq!(count('a'), count('c'), "the large ones cut to one cap");
        assert_eq!(kept.len(), 60);
        assert_eq!(record.seen, 250);
    }
}
