//! What the embedding benches share: the encoder's FLOPs and the machine's reachable f32 peak.

use std::time::Instant;

use arkivar::embed::Device;

/// Floating-point operations of a BERT-family encoder (`config.json`) over sequences of these
/// lengths: per token and layer the QKV, output and two feed-forward products (2 per
/// multiply-add), per sequence and layer q·kᵀ and p·v. Norms, softmax and GELU not counted.
pub fn encoder_flops(config: &serde_json::Value, lengths: &[usize]) -> f64 {
    let get = |k: &str| config[k].as_f64().unwrap_or(0.0);
    let (h, i, layers) = (
        get("hidden_size"),
        get("intermediate_size"),
        get("num_hidden_layers"),
    );
    lengths
        .iter()
        .map(|&n| {
            let n = n as f64;
            layers * (n * 2.0 * (4.0 * h * h + 2.0 * h * i) + 4.0 * n * n * h)
        })
        .sum()
}

/// GFLOP/s of a 2048×2048×2048 f32 product through candle (the `gemm` crate, every thread):
/// the reachable peak the encoder's rate is set against.
pub fn matmul_gflops() -> f64 {
    use candle_core::Tensor;
    let n = 2048;
    let a = Tensor::ones((n, n), candle_core::DType::F32, &Device::Cpu).expect("tensor");
    let mut best = f64::MAX;
    for _ in 0..8 {
        let t = Instant::now();
        let c = a.matmul(&a).expect("matmul");
        best = best.min(t.elapsed().as_secs_f64());
        std::hint::black_box(c);
    }
    2.0 * (n * n * n) as f64 / best / 1e9
}
