//! What `arkivar train` prints about a trained classifier: one line per head (classes,
//! examples, validation accuracy, calibration, review threshold) and one per head not trained.

use std::fmt;

use super::classifier::{Classifier, HeadInfo};

/// The training summary of a classifier; its [`Display`](fmt::Display) writes one line per
/// trained head, then one per head not trained with the reason, each ending in a newline.
#[derive(Debug, Clone, Copy)]
pub struct TrainingSummary<'a>(pub &'a Classifier);

impl fmt::Display for TrainingSummary<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for head in &self.0.heads {
            writeln!(f, "{}", HeadLine(&head.info))?;
        }
        for (kind, why) in &self.0.header.skipped {
            writeln!(f, "{:<10} not trained: {why}", kind.as_str())?;
        }
        Ok(())
    }
}

/// One trained head: `klasse  12 classes, 400 train / 100 validation; accuracy 0.912, ECE
/// 0.081 → 0.032 (T = 1.41); review under 0.630`.
struct HeadLine<'a>(&'a HeadInfo);

impl fmt::Display for HeadLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = self.0;
        let v = i.validation.as_ref();
        let three = |x: f64| format!("{x:.3}");
        write!(
            f,
            "{:<10} {:>4} classes, {:>6} train / {:>5} validation; accuracy {}, ECE {} → {} \
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
        )
    }
}
