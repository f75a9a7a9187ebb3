//! What `arkivar train` prints about a trained classifier: how the validation split was drawn,
//! one line per head (classes, examples, validation accuracy, calibration, review threshold,
//! a fused head's embedding weight), one per head not trained, and the catalogue classes the
//! export's own classes were matched to by title.

use std::fmt;

use super::classifier::{Classifier, HeadInfo};
use super::sample_cap::SampleRecord;

/// The training summary of a classifier; its [`Display`](fmt::Display) writes one line per
/// trained head, then one per head not trained with the reason, each ending in a newline.
#[derive(Debug, Clone, Copy)]
pub struct TrainingSummary<'a>(pub &'a Classifier);

impl fmt::Display for TrainingSummary<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header = &self.0.header;
        if let Some(sample) = &header.sample {
            writeln!(f, "{}", SampleLine(sample))?;
        }
        if let Some(d) = &header.decisions {
            writeln!(
                f,
                "decisions: {} used on {} documents ({} changed the export's label; each \
                 decided document counted {} times), {} skipped",
                d.applied,
                d.documents,
                d.changed,
                d.weight,
                d.skipped.len()
            )?;
        }
        if let Some(how) = &header.validation_split {
            writeln!(f, "validation split: {how}")?;
        }
        for head in &self.0.heads {
            writeln!(f, "{}", HeadLine(&head.info))?;
        }
        for (kind, why) in &header.skipped {
            writeln!(f, "{:<10} not trained: {why}", kind.as_str())?;
        }
        for (klasse, m) in &header.catalogue_classes {
            let title = |id: &str| self.0.catalog.class(id).map_or("", |c| c.title.as_str());
            writeln!(
                f,
                "catalogue rules for klasse {klasse}: {} {} (titles alike {:.2}, next {:.2})",
                m.class_id,
                title(&m.class_id),
                m.similarity,
                m.runner_up
            )?;
        }
        Ok(())
    }
}

/// What a capped read kept: `read 1000000 documents, kept 180000 (…): 41 klasser capped at
/// 4200 documents each, by a memory budget of 4096 MiB`.
struct SampleLine<'a>(&'a SampleRecord);

impl fmt::Display for SampleLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.0;
        write!(
            f,
            "read {} documents, kept {} for training (about {} MiB)",
            s.seen,
            s.kept,
            s.kept_bytes / (1024 * 1024)
        )?;
        match s.cap {
            None => write!(f, "; no klasse reached a cap"),
            Some(cap) => {
                write!(
                    f,
                    ": {} klasser capped at {cap} documents each",
                    s.capped.len()
                )?;
                match (s.limits.max_per_class, s.limits.memory_bytes) {
                    (Some(max), _) if max == cap => write!(f, " (--max-per-class)"),
                    (_, Some(bytes)) => {
                        write!(f, " by the memory budget of {} MiB", bytes / (1024 * 1024))
                    }
                    _ => Ok(()),
                }
            }
        }
    }
}

/// One trained head: `klasse  12 classes, 500 documents; on 100 held out: accuracy 0.912, ECE
/// 0.081 → 0.032 (T = 1.41); review under 0.630`.
struct HeadLine<'a>(&'a HeadInfo);

impl fmt::Display for HeadLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = self.0;
        let v = i.validation.as_ref();
        let three = |x: f64| format!("{x:.3}");
        write!(
            f,
            "{:<10} {:>4} classes, {:>6} documents; on {:>5} held out: accuracy {}, ECE {} → {} \
             (T = {:.2}); review under {}",
            i.kind.as_str(),
            i.labels.len(),
            i.train_examples,
            i.validation_examples,
            v.map_or("-".into(), |m| three(m.quality.accuracy)),
            i.ece_uncalibrated.map_or("-".into(), three),
            v.map_or("-".into(), |m| three(m.quality.ece)),
            i.temperature,
            i.review_threshold
                .map_or("- (always)".into(), |t| format!("{t:.3}")),
        )?;
        if let Some(fusion) = &i.fusion {
            write!(f, "; fused, embedding weight {:.1}", fusion.embedding_share)?;
        }
        Ok(())
    }
}
