//! Calibration: temperature scaling, and the expected calibration error that says whether a
//! score of 0.9 means right nine times in ten.
//!
//! Temperature scaling (Guo et al., 2017) divides a head's logits by one number `T` chosen on
//! held-out data to minimise the negative log-likelihood; it changes no ranking, only how sure
//! the scores sound.

use super::head::softmax_into;

/// Bins of [`expected_calibration_error`].
pub const ECE_BINS: usize = 15;

/// Mean negative log-likelihood of the true classes at temperature `t`.
pub fn nll(logits: &[Vec<f32>], labels: &[usize], t: f32) -> f64 {
    let mut p = Vec::new();
    let mut total = 0f64;
    for (l, &y) in logits.iter().zip(labels) {
        p.resize(l.len(), 0.0);
        softmax_into(l, t, &mut p);
        total -= f64::from(p[y].max(1e-12)).ln();
    }
    total / logits.len().max(1) as f64
}

/// The temperature in `[0.05, 20]` with the lowest NLL on (`logits`, `labels`), by golden-
/// section search on `ln T` (the NLL is unimodal in it). `1.0` for no data.
pub fn fit_temperature(logits: &[Vec<f32>], labels: &[usize]) -> f32 {
    if logits.is_empty() {
        return 1.0;
    }
    let f = |u: f64| nll(logits, labels, u.exp() as f32);
    let (mut a, mut b) = (0.05f64.ln(), 20f64.ln());
    let g = (5f64.sqrt() - 1.0) / 2.0;
    let (mut c, mut d) = (b - g * (b - a), a + g * (b - a));
    let (mut fc, mut fd) = (f(c), f(d));
    for _ in 0..60 {
        if fc < fd {
            b = d;
            d = c;
            fd = fc;
            c = b - g * (b - a);
            fc = f(c);
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + g * (b - a);
            fd = f(d);
        }
    }
    ((a + b) / 2.0).exp() as f32
}

/// Expected calibration error of top-1 scores: predictions binned by confidence into
/// [`ECE_BINS`] equal-width bins; the mean over bins of |accuracy − mean confidence|, weighted
/// by each bin's share of the predictions. `scores[i]` is the top score, `right[i]` whether the
/// top class was the true one.
pub fn expected_calibration_error(scores: &[f32], right: &[bool]) -> f64 {
    let mut bins = [(0usize, 0f64, 0usize); ECE_BINS];
    for (&s, &r) in scores.iter().zip(right) {
        let k = ((f64::from(s) * ECE_BINS as f64) as usize).min(ECE_BINS - 1);
        bins[k].0 += 1;
        bins[k].1 += f64::from(s);
        bins[k].2 += usize::from(r);
    }
    let n = scores.len().max(1) as f64;
    bins.iter()
        .filter(|b| b.0 > 0)
        .map(|&(count, conf, hits)| {
            let c = count as f64;
            (c / n) * (hits as f64 / c - conf / c).abs()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ece_by_hand() {
        // Two predictions at 0.95 (one right), two at 0.55 (both right):
        // bin 14: |0.5 − 0.95| · 2/4; bin 8: |1.0 − 0.55| · 2/4.
        let ece = expected_calibration_error(&[0.95, 0.95, 0.55, 0.55], &[true, false, true, true]);
        assert!((ece - (0.45 * 0.5 + 0.45 * 0.5)).abs() < 1e-6, "{ece}");
        assert_eq!(expected_calibration_error(&[1.0, 1.0], &[true, true]), 0.0);
    }

    #[test]
    fn an_overconfident_model_is_cooled_and_its_nll_falls() {
        // Logits that are right 70% of the time but claim ~99%.
        let mut logits = Vec::new();
        let mut labels = Vec::new();
        for i in 0..100 {
            logits.push(vec![6.0, 0.0]);
            labels.push(usize::from(i % 10 >= 7));
        }
        let t = fit_temperature(&logits, &labels);
        assert!(t > 3.0, "{t}");
        assert!(nll(&logits, &labels, t) < nll(&logits, &labels, 1.0));
        // The fitted score is close to the 70% it earns.
        let mut p = [0f32; 2];
        softmax_into(&logits[0], t, &mut p);
        assert!((p[0] - 0.7).abs() < 0.02, "{p:?}");
    }
}
