//! A classifier head: regularised multinomial logistic regression over hashed n-gram features,
//! a dense document embedding, or both side by side.
//!
//! Trained by stochastic gradient descent with a decaying step, L2 regularisation applied to
//! the weights an example touches, and class weights `n / (k · n_c)` so that rare classes
//! count as much as common ones. Deterministic for a given seed.

use std::borrow::Borrow;

use serde::{Deserialize, Serialize};

use super::features::SparseVec;

/// One example's features: the n-gram vector, the embedding, or both.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Features {
    /// Hashed n-grams (empty when the head uses none).
    pub sparse: SparseVec,
    /// The document embedding (empty when the head uses none).
    pub dense: Vec<f32>,
}

fn default_many_classes_learning_rate() -> f32 {
    TrainOptions::default().learning_rate
}

impl Features {
    /// The n-gram part alone (a fused classifier trains each family's head on its own part).
    pub fn ngrams_only(&self) -> Features {
        Features {
            sparse: self.sparse.clone(),
            dense: Vec::new(),
        }
    }

    /// The embedding part alone.
    pub fn embedding_only(&self) -> Features {
        Features {
            sparse: SparseVec::default(),
            dense: self.dense.clone(),
        }
    }
}

/// How to train a head.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TrainOptions {
    /// Passes over the training set.
    pub epochs: usize,
    /// Initial step size, for a head of few classes (screening, retention).
    pub learning_rate: f32,
    /// Initial step size for a head of [`MANY_CLASSES`] classes or more (klasse, series). A
    /// small step generalises to unseen wording: on the shifted benchmark (two seed pairs) the
    /// klasse head reached 0.78 and 0.83 with 0.5, 0.86 and 0.86 with 0.05 (scikit-learn's
    /// reference 0.79 and 0.84); heads of few classes showed no difference, and the real
    /// Strand screening titles do better with 0.5 (accuracy 0.93 against 0.88). Absent in
    /// classifiers written before it existed, which used `learning_rate` everywhere.
    #[serde(default = "default_many_classes_learning_rate")]
    pub many_classes_learning_rate: f32,
    /// L2 penalty per step.
    pub l2: f32,
    /// Weigh classes by inverse frequency.
    pub balanced: bool,
    /// Seed of the example order.
    pub seed: u64,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            epochs: 12,
            learning_rate: 0.5,
            many_classes_learning_rate: 0.05,
            l2: 1e-5,
            balanced: true,
            seed: 1,
        }
    }
}

impl TrainOptions {
    /// The options for a head of `classes` classes: [`TrainOptions::many_classes_learning_rate`]
    /// from [`MANY_CLASSES`] classes on, for a head that reads n-grams (`sparse`). A head of
    /// the embedding alone keeps [`TrainOptions::learning_rate`]: with the small step it
    /// underfit (multilingual-e5-small on the generated 1k export 0.989 against 0.994).
    pub fn for_head(&self, classes: usize, sparse: bool) -> TrainOptions {
        let mut o = *self;
        if classes >= MANY_CLASSES && sparse {
            o.learning_rate = self.many_classes_learning_rate;
        }
        o
    }
}

/// The fewest classes of a head trained with [`TrainOptions::many_classes_learning_rate`].
pub const MANY_CLASSES: usize = 8;

/// A trained head: weights from `sparse_dims + dense_dims` inputs to `classes` scores.
#[derive(Debug, Clone, PartialEq)]
pub struct SoftmaxHead {
    /// Number of classes.
    pub classes: usize,
    /// Width of the n-gram part (0: not used).
    pub sparse_dims: usize,
    /// Width of the embedding part (0: not used).
    pub dense_dims: usize,
    /// Weights, input-major: row `i` holds input `i`'s weight for every class, so that
    /// one input updates and scores all classes in one contiguous (vectorised) pass; inputs
    /// `0..sparse_dims` are the n-gram buckets, the rest the embedding.
    pub weights: Vec<f32>,
    /// One bias per class.
    pub bias: Vec<f32>,
}

/// Why a head could not be trained.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum TrainError {
    /// No examples, or fewer than two classes among them.
    #[error("nothing to learn from: {0}")]
    NothingToLearn(String),
    /// An example does not fit the head's shape.
    #[error("example {index}: {message}")]
    BadExample {
        /// Its position.
        index: usize,
        /// What is wrong.
        message: String,
    },
}

impl SoftmaxHead {
    /// Trains a head on `examples` (features, class index < `classes`).
    pub fn train<F: Borrow<Features>>(
        examples: &[(F, usize)],
        classes: usize,
        sparse_dims: usize,
        dense_dims: usize,
        opts: &TrainOptions,
    ) -> Result<SoftmaxHead, TrainError> {
        let mut counts = vec![0usize; classes];
        for (index, (f, y)) in examples.iter().enumerate() {
            let f = f.borrow();
            let bad = |message: String| TrainError::BadExample { index, message };
            if *y >= classes {
                return Err(bad(format!("class {y} of {classes}")));
            }
            if f.dense.len() != dense_dims {
                return Err(bad(format!(
                    "{} embedding values, expected {dense_dims}",
                    f.dense.len()
                )));
            }
            if f.sparse.indices.iter().any(|&i| i as usize >= sparse_dims) {
                return Err(bad(format!("an n-gram index beyond {sparse_dims}")));
            }
            counts[*y] += 1;
        }
        let present = counts.iter().filter(|&&c| c > 0).count();
        if examples.is_empty() || present < 2 {
            return Err(TrainError::NothingToLearn(format!(
                "{} examples in {present} classes; at least two classes are needed",
                examples.len()
            )));
        }
        let class_weight: Vec<f32> = counts
            .iter()
            .map(|&c| {
                if opts.balanced && c > 0 {
                    examples.len() as f32 / (present as f32 * c as f32)
                } else {
                    1.0
                }
            })
            .collect();
        let width = sparse_dims + dense_dims;
        let mut head = SoftmaxHead {
            classes,
            sparse_dims,
            dense_dims,
            weights: vec![0.0; classes * width],
            bias: vec![0.0; classes],
        };
        let mut order: Vec<usize> = (0..examples.len()).collect();
        let mut rng = opts.seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
        let mut step = 0usize;
        let mut probs = vec![0f32; classes];
        let mut grad = vec![0f32; classes];
        for _ in 0..opts.epochs.max(1) {
            // Fisher–Yates with xorshift64: a reproducible order per epoch.
            for i in (1..order.len()).rev() {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                order.swap(i, (rng % (i as u64 + 1)) as usize);
            }
            for &k in &order {
                let (f, y) = &examples[k];
                let f = f.borrow();
                let lr = opts.learning_rate / (1.0 + step as f32 / examples.len() as f32);
                step += 1;
                head.probabilities_into(f, 1.0, &mut probs);
                for (c, (g, &p)) in grad.iter_mut().zip(&probs).enumerate() {
                    let target = if c == *y { 1.0 } else { 0.0 };
                    *g = (p - target) * class_weight[*y];
                }
                let decay = 1.0 - lr * opts.l2;
                let mut update = |input: usize, v: f32| {
                    let row = &mut head.weights[input * classes..(input + 1) * classes];
                    for (w, g) in row.iter_mut().zip(&grad) {
                        *w = *w * decay - lr * g * v;
                    }
                };
                for (&i, &v) in f.sparse.indices.iter().zip(&f.sparse.values) {
                    update(i as usize, v);
                }
                for (j, &v) in f.dense.iter().enumerate() {
                    update(sparse_dims + j, v);
                }
                for (b, g) in head.bias.iter_mut().zip(&grad) {
                    *b -= lr * g;
                }
            }
        }
        Ok(head)
    }

    /// Raw scores (logits), one per class.
    pub fn logits(&self, f: &Features) -> Vec<f32> {
        self.logits_of(&f.sparse, &f.dense)
    }

    /// Raw scores of an n-gram vector and an embedding given apart (either may be empty: a
    /// fused classifier scores each family with its own head).
    pub fn logits_of(&self, sparse: &SparseVec, dense: &[f32]) -> Vec<f32> {
        let mut out = self.bias.clone();
        let n = self.classes;
        let inputs = sparse
            .indices
            .iter()
            .map(|&i| i as usize)
            .zip(sparse.values.iter().copied())
            .filter(|&(i, _)| i < self.sparse_dims)
            .chain(
                dense
                    .iter()
                    .take(self.dense_dims)
                    .enumerate()
                    .map(|(j, &v)| (self.sparse_dims + j, v)),
            );
        for (input, v) in inputs {
            if let Some(row) = self.weights.get(input * n..(input + 1) * n) {
                for (o, w) in out.iter_mut().zip(row) {
                    *o += w * v;
                }
            }
        }
        out
    }

    /// Class probabilities at `temperature` (1: as trained; > 1: softer).
    pub fn probabilities(&self, f: &Features, temperature: f32) -> Vec<f32> {
        let mut out = vec![0f32; self.classes];
        self.probabilities_into(f, temperature, &mut out);
        out
    }

    fn probabilities_into(&self, f: &Features, temperature: f32, out: &mut [f32]) {
        let logits = self.logits(f);
        softmax_into(&logits, temperature, out);
    }
}

/// `softmax(logits / temperature)` into `out`.
pub fn softmax_into(logits: &[f32], temperature: f32, out: &mut [f32]) {
    let t = temperature.max(1e-3);
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0f32;
    for (o, &l) in out.iter_mut().zip(logits) {
        *o = ((l - max) / t).exp();
        sum += *o;
    }
    for o in out.iter_mut() {
        *o /= sum;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dense(v: &[f32]) -> Features {
        Features {
            sparse: SparseVec::default(),
            dense: v.to_vec(),
        }
    }

    #[test]
    fn learns_a_separable_problem_from_dense_and_sparse_features() {
        let mut ex = Vec::new();
        for i in 0..30 {
            let t = i as f32 / 30.0;
            ex.push((dense(&[1.0, t]), 0));
            ex.push((dense(&[-1.0, t]), 1));
            ex.push((dense(&[t, 1.5]), 2));
        }
        let head = SoftmaxHead::train(&ex, 3, 0, 2, &TrainOptions::default()).unwrap();
        let right = ex
            .iter()
            .filter(|(f, y)| {
                let p = head.probabilities(f, 1.0);
                p.iter()
                    .enumerate()
                    .max_by(|a, b| a.1.total_cmp(b.1))
                    .map(|x| x.0)
                    == Some(*y)
            })
            .count();
        assert!(right as f32 / ex.len() as f32 > 0.9, "{right}/{}", ex.len());

        let sparse = |i: u32| Features {
            sparse: SparseVec {
                indices: vec![i],
                values: vec![1.0],
            },
            dense: Vec::new(),
        };
        let ex = vec![
            (sparse(3), 0),
            (sparse(5), 1),
            (sparse(3), 0),
            (sparse(5), 1),
        ];
        let head = SoftmaxHead::train(&ex, 2, 8, 0, &TrainOptions::default()).unwrap();
        assert!(head.probabilities(&sparse(3), 1.0)[0] > 0.8);
        assert!(head.probabilities(&sparse(5), 1.0)[1] > 0.8);
    }

    #[test]
    fn a_class_with_one_example_trains_and_no_labels_is_refused() {
        let mut ex: Vec<(Features, usize)> =
            (0..20).map(|i| (dense(&[i as f32 / 20.0]), 0)).collect();
        ex.push((dense(&[-1.0]), 1));
        assert!(SoftmaxHead::train(&ex, 3, 0, 1, &TrainOptions::default()).is_ok());
        let one_class: Vec<_> = ex.iter().filter(|(_, y)| *y == 0).cloned().collect();
        assert!(matches!(
            SoftmaxHead::train(&one_class, 3, 0, 1, &TrainOptions::default()),
            Err(TrainError::NothingToLearn(_))
        ));
        assert!(matches!(
            SoftmaxHead::train(
                &[] as &[(Features, usize)],
                3,
                0,
                1,
                &TrainOptions::default()
            ),
            Err(TrainError::NothingToLearn(_))
        ));
        assert!(matches!(
            SoftmaxHead::train(
                &[(dense(&[1.0, 2.0]), 0)],
                3,
                0,
                1,
                &TrainOptions::default()
            ),
            Err(TrainError::BadExample { index: 0, .. })
        ));
    }

    #[test]
    fn temperature_softens_without_changing_the_order() {
        let mut p1 = [0f32; 3];
        let mut p2 = [0f32; 3];
        softmax_into(&[2.0, 1.0, 0.0], 1.0, &mut p1);
        softmax_into(&[2.0, 1.0, 0.0], 2.0, &mut p2);
        assert!(p2[0] < p1[0] && p2[0] > p2[1] && p2[1] > p2[2]);
        assert!((p1.iter().sum::<f32>() - 1.0).abs() < 1e-6);
    }
}
