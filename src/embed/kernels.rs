//! The encoder's CPU kernels, written against `gemm` (the matrix-product crate candle's CPU
//! backend uses) where candle's general-purpose ops leave throughput on the table.
//!
//! Profiled on all-MiniLM-L6-v2 (2-core AVX2, 32 sequences of 256 tokens): candle's batched
//! `q·kᵀ` ran at 16 GFLOP/s, one `gemm` call per (sequence, head) dispatched to the thread
//! pool in turn; the `[batch, heads, len, len]` score tensor (100 MB) went through memory
//! three times; the QKV permute cost a third of the QKV projection. Here:
//! - [`Linear`]: `x · Wᵀ + b` (a PyTorch weight `W`, stored transposed): `gemm` writes each
//!   block of rows without a zero fill, and the bias (and GELU when asked) follow in one pass
//!   while the block is in cache (candle zero-fills, multiplies, then adds the bias in a second
//!   pass over the whole output).
//! - [`FeedForward`]: both feed-forward products block by block, the intermediate
//!   activations of a block kept in one thread's buffer (never a `[tokens, 1536]` tensor).
//! - [`AddNorm`]: the residual add and the layer norm after it in one pass.
//! - [`Attention`]: softmax(q·kᵀ)·v straight from the fused QKV projection to the
//!   `[tokens, hidden]` context, one task per (sequence, head, block of 64 queries) over
//!   rayon, over a packed batch (no padding anywhere: every row is a real token); the scores of
//!   a block stay in cache, and no mask or permute is needed.
//!
//! The element-wise loops (softmax, bias + GELU, add + norm) are compiled for AVX-512, AVX2 +
//! FMA and the baseline and chosen at run time, as `gemm` (with its `x86-v4` feature) chooses
//! its AVX-512 or AVX2 micro-kernels.
//!
//! With `--precision bf16` on a CPU with AMX tiles, [`CpuWeight::Tiles`] products and the
//! attention run on `super::amx` instead, in bf16 with f32 sums; the element-wise loops here
//! serve both.
//!
//! On the GPU candle's own ops run the whole layer, and quantised projections are candle's
//! `QMatMul` everywhere (see `bert.rs`); a test checks that both paths agree.

use std::mem::MaybeUninit;

use candle_core::{CpuStorage, CustomOp1, CustomOp2, Layout, Shape};
use gemm::{gemm, Parallelism};
use rayon::prelude::*;

use super::amx;

/// Queries per attention task: a block's scores (`64 × len` f32) stay in L2 at any length a
/// BERT position table allows.
const QUERY_BLOCK: usize = 64;

/// Rows per [`Linear`] task: measured best (or level) for 384- and 1536-wide products from
/// 256 to 8 192 rows on 2 cores — on AVX2 (256 and 512 level) and on AVX-512, where `gemm`
/// packs the weights once per block and 512 rows ran the scan bench's encoder 3–5% faster
/// than 256 (1 024: slower).
const ROW_BLOCK: usize = 512;

/// Rows per task when the products run on AMX tiles: measured on 384 × 1 536 products, 128
/// rows ran the tile kernel at 1.0 TFLOP/s per core, 32 and 64 at 0.6 (each column pair's
/// weight tiles fetched for fewer rows), 256 at 0.87.
const TILE_ROW_BLOCK: usize = 128;

/// A custom op's input as one contiguous f32 slice, or an error naming the op.
fn contiguous_f32<'a>(op: &str, s: &'a CpuStorage, l: &Layout) -> candle_core::Result<&'a [f32]> {
    let CpuStorage::F32(v) = s else {
        candle_core::bail!("{op}: f32 only");
    };
    let Some((start, end)) = l.contiguous_offsets() else {
        candle_core::bail!("{op}: contiguous inputs only");
    };
    Ok(&v[start..end])
}

/// A custom op's 2-D input at any strides: the storage from the first element on, with the
/// row and column strides, checked to hold every element the shape and strides reach.
fn strided_f32<'a>(
    op: &str,
    s: &'a CpuStorage,
    l: &Layout,
) -> candle_core::Result<(&'a [f32], isize, isize)> {
    let CpuStorage::F32(v) = s else {
        candle_core::bail!("{op}: f32 only");
    };
    let (rows, cols) = l.shape().dims2()?;
    let (rs, cs) = match l.stride() {
        &[rs, cs] => (rs, cs),
        other => candle_core::bail!("{op}: strides {other:?} for a matrix"),
    };
    let start = l.start_offset();
    let reach = match (rows, cols) {
        (0, _) | (_, 0) => 0,
        _ => (rows - 1) * rs + (cols - 1) * cs + 1,
    };
    if start + reach > v.len() {
        candle_core::bail!("{op}: {rows}×{cols} at strides ({rs}, {cs}) overruns its storage");
    }
    Ok((&v[start..], rs as isize, cs as isize))
}

/// A projection's weight and bias as the CPU kernels take them.
#[derive(Clone, Copy)]
pub(crate) struct CpuProjection<'a> {
    /// The weight.
    pub weight: CpuWeight<'a>,
    /// The bias, one per output column.
    pub bias: &'a [f32],
}

/// A projection's weight in one of the forms the CPU kernels multiply by.
#[derive(Clone, Copy)]
pub(crate) enum CpuWeight<'a> {
    /// f32 `W: [inner, cols]` for `gemm`, at strides `(rs, cs)`: the transposed weight stored
    /// contiguous, or a transposed view of a `[cols, inner]` one.
    F32 {
        /// The storage from the first element on.
        w: &'a [f32],
        /// Shape `[inner, cols]`.
        inner: usize,
        /// Shape `[inner, cols]`.
        cols: usize,
        /// Row stride, in elements.
        rs: isize,
        /// Column stride, in elements.
        cs: isize,
    },
    /// bf16 tiles for AMX (`--precision bf16` where the CPU has them).
    Tiles(&'a amx::Tiles),
}

impl<'a> CpuWeight<'a> {
    /// An f32 `[inner, cols]` CPU tensor at any strides, checked to hold every element its
    /// shape and strides reach.
    pub(crate) fn f32(
        op: &str,
        s: &'a CpuStorage,
        l: &Layout,
    ) -> candle_core::Result<CpuWeight<'a>> {
        let (w, rs, cs) = strided_f32(op, s, l)?;
        let (inner, cols) = l.shape().dims2()?;
        Ok(CpuWeight::F32 {
            w,
            inner,
            cols,
            rs,
            cs,
        })
    }
}

/// One checked projection, ready to run on blocks of rows.
struct Product<'a> {
    weight: CpuWeight<'a>,
    bias: &'a [f32],
    inner: usize,
    cols: usize,
}

impl<'a> Product<'a> {
    /// `p` for `inner`-wide input rows, checked to fit.
    fn new(op: &str, p: CpuProjection<'a>, inner: usize) -> candle_core::Result<Self> {
        let (w_in, cols) = match p.weight {
            CpuWeight::F32 { inner, cols, .. } => (inner, cols),
            CpuWeight::Tiles(t) => (t.inner(), t.cols()),
        };
        if inner == 0 || w_in != inner || p.bias.len() != cols {
            candle_core::bail!(
                "{op}: {inner}-wide rows, weight {w_in}×{cols}, bias {} do not fit",
                p.bias.len()
            );
        }
        Ok(Self {
            weight: p.weight,
            bias: p.bias,
            inner,
            cols,
        })
    }

    /// Rows per task of [`by_row_blocks`]: [`ROW_BLOCK`] for `gemm`, [`TILE_ROW_BLOCK`] for
    /// the tiles.
    fn block_rows(&self) -> usize {
        match self.weight {
            CpuWeight::F32 { .. } => ROW_BLOCK,
            CpuWeight::Tiles(_) => TILE_ROW_BLOCK,
        }
    }

    /// `out = x · W + b`, or its exact GELU with `gelu`, for the `x.len() / inner` rows of `x`
    /// (`out` holds as many rows of `cols`): the product is written without reading `out`,
    /// then the bias (and GELU) are added in one pass while the block is still in cache.
    fn run(&self, out: &mut [MaybeUninit<f32>], x: &[f32], gelu: bool, parallelism: Parallelism) {
        let n = x.len() / self.inner;
        assert_eq!(out.len(), n * self.cols, "product: output rows");
        match self.weight {
            CpuWeight::F32 { w, rs, cs, .. } => {
                // SAFETY: `out` is n × cols and `x` n × inner, row-major and contiguous; `w`
                // holds inner × cols at strides (rs, cs) (checked by `strided_f32`); so every
                // index gemm forms from these sizes and strides is in bounds; `out` aliases no
                // input, and gemm only writes it (`read_dst` false).
                unsafe {
                    gemm(
                        n,
                        self.cols,
                        self.inner,
                        out.as_mut_ptr().cast::<f32>(),
                        1,
                        self.cols as isize,
                        false,
                        x.as_ptr(),
                        1,
                        self.inner as isize,
                        w.as_ptr(),
                        cs,
                        rs,
                        0.0,
                        1.0,
                        false,
                        false,
                        false,
                        parallelism,
                    );
                }
            }
            CpuWeight::Tiles(tiles) => amx::product(tiles, out, x),
        }
        // SAFETY: both products wrote all n × cols elements.
        let out = unsafe { &mut *(out as *mut [MaybeUninit<f32>] as *mut [f32]) };
        add_bias(out, self.bias, gelu);
    }
}

/// Runs `block(out rows, x rows, parallelism)` over blocks of `block_rows` rows in parallel,
/// one single-threaded product each, so a block's products and element-wise passes run back
/// to back on one core while its rows are in cache (gemm's own threading over all rows ran the
/// 384-wide products at half the speed); a lone block takes gemm's threading instead. Returns
/// `out` (`rows × out_cols`, empty when either is 0), every element of which `block` must
/// write.
fn by_row_blocks(
    x: &[f32],
    in_cols: usize,
    out_cols: usize,
    block_rows: usize,
    block: impl Fn(&mut [MaybeUninit<f32>], &[f32], Parallelism) + Sync,
) -> Vec<f32> {
    let rows = x.len() / in_cols;
    if rows == 0 || out_cols == 0 {
        return Vec::new();
    }
    let mut out = Vec::with_capacity(rows * out_cols);
    let spare = &mut out.spare_capacity_mut()[..rows * out_cols];
    let threads = rayon::current_num_threads();
    if rows <= block_rows || threads == 1 {
        let parallelism = if threads > 1 {
            Parallelism::Rayon(threads)
        } else {
            Parallelism::None
        };
        block(spare, x, parallelism);
    } else {
        spare
            .par_chunks_mut(block_rows * out_cols)
            .zip(x.par_chunks(block_rows * in_cols))
            .for_each(|(out, x)| block(out, x, Parallelism::None));
    }
    // SAFETY: the blocks cover all rows × out_cols elements, and each wrote all of its own.
    unsafe { out.set_len(rows * out_cols) };
    out
}

/// `x · W + b`, or `gelu(x · W + b)` (exact, erf) when `gelu` is set, for `x: [tokens, in]`
/// (contiguous) and a projection `W: [in, out]`, `b: [out]`: a candle op on CPU f32 tensors.
pub(crate) struct Linear<'a> {
    /// The weight and bias.
    pub projection: CpuProjection<'a>,
    /// Apply the exact GELU to the result, in place.
    pub gelu: bool,
}

impl CustomOp1 for Linear<'_> {
    fn name(&self) -> &'static str {
        "arkivar-linear"
    }

    fn cpu_fwd(&self, s: &CpuStorage, l: &Layout) -> candle_core::Result<(CpuStorage, Shape)> {
        let x = contiguous_f32(self.name(), s, l)?;
        let (rows, inner) = l.shape().dims2()?;
        let product = Product::new(self.name(), self.projection, inner)?;
        let cols = product.cols;
        let out = by_row_blocks(
            x,
            inner,
            cols,
            product.block_rows(),
            |out, x, parallelism| product.run(out, x, self.gelu, parallelism),
        );
        Ok((CpuStorage::F32(out), Shape::from((rows, cols))))
    }
}

/// The feed-forward half of a layer, `gelu(x · W1 + b1) · W2 + b2`, block by block: each
/// block's `[rows, intermediate]` activations live in one thread's buffer only while its
/// second product reads them, so the `[tokens, intermediate]` tensor (50 MB at 8 192 tokens
/// of MiniLM) is never made, and its rows are read back from cache instead of memory. A candle
/// op over `x: [tokens, hidden]` (CPU f32).
pub(crate) struct FeedForward<'a> {
    /// The up projection, hidden → intermediate, followed by the exact GELU.
    pub up: CpuProjection<'a>,
    /// The down projection, intermediate → hidden.
    pub down: CpuProjection<'a>,
}

impl CustomOp1 for FeedForward<'_> {
    fn name(&self) -> &'static str {
        "arkivar-feed-forward"
    }

    fn cpu_fwd(&self, s: &CpuStorage, l: &Layout) -> candle_core::Result<(CpuStorage, Shape)> {
        let x = contiguous_f32(self.name(), s, l)?;
        let (rows, hidden) = l.shape().dims2()?;
        let up = Product::new(self.name(), self.up, hidden)?;
        let down = Product::new(self.name(), self.down, up.cols)?;
        if down.cols != hidden {
            candle_core::bail!(
                "feed-forward: {hidden} wide through {} back to {}",
                up.cols,
                down.cols
            );
        }
        let out = by_row_blocks(x, hidden, hidden, up.block_rows(), |out, x, parallelism| {
            let len = x.len() / hidden * up.cols;
            let mut inter = Vec::with_capacity(len);
            up.run(&mut inter.spare_capacity_mut()[..len], x, true, parallelism);
            // SAFETY: `up.run` wrote all `len` elements.
            unsafe { inter.set_len(len) };
            down.run(out, &inter, false, parallelism);
        });
        Ok((CpuStorage::F32(out), Shape::from((rows, hidden))))
    }
}

/// `layer_norm(a + b)` row by row, the residual add and the norm in one pass over
/// `[rows, dim]` CPU f32 tensors, with the norm's scale `gamma` and shift `beta`.
pub(crate) struct AddNorm<'a> {
    /// Per-dimension scale.
    pub gamma: &'a [f32],
    /// Per-dimension shift.
    pub beta: &'a [f32],
    /// Added to the variance.
    pub eps: f32,
}

impl CustomOp2 for AddNorm<'_> {
    fn name(&self) -> &'static str {
        "arkivar-add-norm"
    }

    fn cpu_fwd(
        &self,
        s1: &CpuStorage,
        l1: &Layout,
        s2: &CpuStorage,
        l2: &Layout,
    ) -> candle_core::Result<(CpuStorage, Shape)> {
        let a = contiguous_f32(self.name(), s1, l1)?;
        let b = contiguous_f32(self.name(), s2, l2)?;
        let dim = self.gamma.len();
        if dim == 0 || self.beta.len() != dim || a.len() != b.len() || a.len() % dim != 0 {
            candle_core::bail!(
                "add-norm: {:?} + {:?} do not fit a norm over {dim}",
                l1.shape(),
                l2.shape()
            );
        }
        let mut out = Vec::with_capacity(a.len());
        out.spare_capacity_mut()[..a.len()]
            .par_chunks_mut(dim * 64)
            .zip(a.par_chunks(dim * 64).zip(b.par_chunks(dim * 64)))
            .for_each(|(out, (a, b))| add_norm(out, a, b, self.gamma, self.beta, self.eps));
        // SAFETY: `add_norm` wrote every row of the a.len() elements (no zero fill first).
        unsafe { out.set_len(a.len()) };
        Ok((CpuStorage::F32(out), l1.shape().clone()))
    }
}

/// Multi-head self-attention of a packed batch on the CPU: `[Σ lengths, 3·hidden]` fused QKV
/// rows (query already scaled by 1/√head_dim; sequence after sequence, no padding) in,
/// `[Σ lengths, hidden]` context out. Each sequence attends over its own rows only.
pub(crate) struct Attention<'a> {
    /// Tokens of each sequence, in the order their rows come.
    pub lengths: &'a [usize],
    /// Attention heads.
    pub heads: usize,
    /// Width of one head.
    pub head_dim: usize,
    /// Run each sequence on AMX tiles in bf16 ([`amx::attention`]), as the projections of
    /// `--precision bf16` do; heads whose width is not a multiple of 32 keep the f32 path.
    pub tiles: bool,
}

/// A raw output pointer the attention tasks share; each writes a disjoint block.
#[derive(Clone, Copy)]
struct OutPtr(*mut f32);
// SAFETY: tasks write disjoint (rows, head columns) blocks of one live allocation.
unsafe impl Send for OutPtr {}
unsafe impl Sync for OutPtr {}

impl CustomOp1 for Attention<'_> {
    fn name(&self) -> &'static str {
        "arkivar-attention"
    }

    fn cpu_fwd(&self, s: &CpuStorage, l: &Layout) -> candle_core::Result<(CpuStorage, Shape)> {
        let qkv = contiguous_f32(self.name(), s, l)?;
        let (rows, width) = l.shape().dims2()?;
        let (hd, heads) = (self.head_dim, self.heads);
        let h = heads * hd;
        if width != 3 * h || rows != self.lengths.iter().sum::<usize>() {
            candle_core::bail!(
                "attention: {:?} is not {} packed tokens of {heads}×{hd} q, k and v",
                l.shape(),
                self.lengths.iter().sum::<usize>()
            );
        }
        // Not zero-filled: the tasks below write every (row, head) block once.
        let mut out: Vec<f32> = Vec::with_capacity(rows * h);
        let out_ptr = OutPtr(out.as_mut_ptr());
        if self.tiles && hd % 32 == 0 && amx::available() {
            let mut tasks = Vec::new();
            let mut start = 0;
            for &n in self.lengths.iter() {
                if n > 0 {
                    tasks.push((start, n));
                }
                start += n;
            }
            tasks.into_par_iter().for_each(|(start, n)| {
                // SAFETY: AMX is available (checked); the sequence's rows [start, start + n)
                // lie inside `qkv` (the lengths sum to `rows`, checked), and inside `out`,
                // where this task alone writes them.
                unsafe {
                    let dst = { out_ptr }.0.add(start * h);
                    amx::attention(&qkv[start * 3 * h..], n, heads, hd, dst);
                }
            });
            // SAFETY: every sequence's task wrote its rows × h values.
            unsafe { out.set_len(rows * h) };
            return Ok((CpuStorage::F32(out), Shape::from((rows, h))));
        }
        // (first row, tokens, head, first query) per task.
        let mut tasks = Vec::new();
        let mut start = 0;
        for &n in self.lengths {
            for head in 0..heads {
                tasks.extend((0..n).step_by(QUERY_BLOCK).map(|q0| (start, n, head, q0)));
            }
            start += n;
        }
        let (w3, wh) = (3 * h as isize, h as isize);
        tasks.into_par_iter().for_each_init(
            Vec::new,
            |scores: &mut Vec<f32>, (start, n, head, q0)| {
                let m = QUERY_BLOCK.min(n - q0);
                scores.resize(m * n, 0.0);
                let seq = &qkv[start * 3 * h..];
                let q = seq[q0 * 3 * h + head * hd..].as_ptr();
                let k = seq[h + head * hd..].as_ptr();
                let v = seq[2 * h + head * hd..].as_ptr();
                // SAFETY: q, k and v point at rows [q0, q0 + m) and [0, n) of the sequence
                // starting at row `start`, inside `qkv` (its rows sum to `rows`, checked), head
                // columns within each row's 3h values; `scores` holds m × n; the output block
                // (rows start + q0 .. + m, columns head·hd .. + hd) lies inside `out` and no
                // other task writes it.
                unsafe {
                    // scores = q · kᵀ : [m, hd] × [hd, n]
                    gemm(
                        m,
                        n,
                        hd,
                        scores.as_mut_ptr(),
                        1,
                        n as isize,
                        false,
                        q,
                        1,
                        w3,
                        k,
                        w3,
                        1,
                        0.0,
                        1.0,
                        false,
                        false,
                        false,
                        Parallelism::None,
                    );
                    let mut scale = [0f32; QUERY_BLOCK];
                    for (row, scale) in scores.chunks_exact_mut(n).zip(&mut scale) {
                        *scale = softmax_unscaled(row);
                    }
                    // context = scores · v : [m, n] × [n, hd]
                    let dst = { out_ptr }.0.add((start + q0) * h + head * hd);
                    gemm(
                        m,
                        hd,
                        n,
                        dst,
                        1,
                        wh,
                        false,
                        scores.as_ptr(),
                        1,
                        n as isize,
                        v,
                        1,
                        w3,
                        0.0,
                        1.0,
                        false,
                        false,
                        false,
                        Parallelism::None,
                    );
                    // Each query's row of the context scaled by its softmax factor: hd values
                    // instead of the n scores.
                    for (i, &scale) in scale[..m].iter().enumerate() {
                        let row = std::slice::from_raw_parts_mut(dst.add(i * h), hd);
                        row.iter_mut().for_each(|v| *v *= scale);
                    }
                }
            },
        );
        // SAFETY: the tasks cover every row of every sequence (blocks of QUERY_BLOCK from 0
        // to its length) for every head, and gemm wrote each block's m × hd values.
        unsafe { out.set_len(rows * h) };
        Ok((CpuStorage::F32(out), Shape::from((rows, h))))
    }
}

/// The widest build of the element-wise loops this CPU can run, checked once at run time (as
/// the matrix kernels do), so one binary serves every x86-64 CPU.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Simd {
    /// Scalar code as compiled for the baseline target.
    Plain,
    /// 256-bit vectors with fused multiply-add.
    Avx2Fma,
    /// 512-bit vectors (AVX-512F) with fused multiply-add.
    Avx512,
}

fn simd() -> Simd {
    static LEVEL: std::sync::OnceLock<Simd> = std::sync::OnceLock::new();
    *LEVEL.get_or_init(|| {
        #[cfg(target_arch = "x86_64")]
        {
            let fma = is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma");
            if fma && is_x86_feature_detected!("avx512f") {
                return Simd::Avx512;
            }
            if fma {
                return Simd::Avx2Fma;
            }
        }
        Simd::Plain
    })
}

/// Defines `fn $name(args)` as the generic `$generic::<FMA, LANES>(args)` compiled three
/// times — for AVX-512 (16 lanes), for AVX2 + FMA (8 lanes) and for the baseline — and run in
/// the widest build the CPU has. The generic body is written with `LANES` running sums, so
/// the compiler vectorises it without reassociating floats.
macro_rules! vectorised {
    ($(#[$doc:meta])* $vis:vis fn $name:ident($($arg:ident: $ty:ty),*) $(-> $ret:ty)? => $generic:ident) => {
        $(#[$doc])*
        $vis fn $name($($arg: $ty),*) $(-> $ret)? {
            #[cfg(target_arch = "x86_64")]
            {
                #[target_feature(enable = "avx512f,avx2,fma")]
                unsafe fn wide($($arg: $ty),*) $(-> $ret)? {
                    $generic::<true, 16>($($arg),*)
                }
                #[target_feature(enable = "avx2,fma")]
                unsafe fn avx2($($arg: $ty),*) $(-> $ret)? {
                    $generic::<true, 8>($($arg),*)
                }
                match simd() {
                    // SAFETY: the CPU has these features (`simd` checked them).
                    Simd::Avx512 => return unsafe { wide($($arg),*) },
                    // SAFETY: as above.
                    Simd::Avx2Fma => return unsafe { avx2($($arg),*) },
                    Simd::Plain => {}
                }
            }
            $generic::<false, 8>($($arg),*)
        }
    };
}

vectorised! {
    /// `exp(v − max(row))` of every value in place; returns `1 / Σ` of them, by which the
    /// caller scales what it makes of the row (the softmax is the row times that factor).
    pub(super) fn softmax_unscaled(row: &mut [f32]) -> f32 => softmax_unscaled_with
}

vectorised! {
    /// Adds `bias` to every row of `out` (`[rows, bias.len()]`) and, with `gelu`, takes the
    /// exact GELU, `x · Φ(x)`, of the sums: one pass over a block just written by `gemm`.
    fn add_bias(out: &mut [f32], bias: &[f32], gelu: bool) => add_bias_with
}

vectorised! {
    /// `out = layer_norm(a + b)` row by row (rows of `gamma.len()`), scaled by `gamma` and
    /// shifted by `beta`; every element of `out` written.
    fn add_norm(out: &mut [MaybeUninit<f32>], a: &[f32], b: &[f32], gamma: &[f32], beta: &[f32], eps: f32)
        => add_norm_with
}

/// The sum of `f(v)` over `values`, in `L` running sums.
#[inline(always)]
fn lane_sum<const L: usize>(values: &[f32], f: impl Fn(f32) -> f32) -> f32 {
    let mut sums = [0f32; L];
    let chunks = values.chunks_exact(L);
    let tail: f32 = chunks.remainder().iter().map(|&v| f(v)).sum();
    for c in chunks {
        for k in 0..L {
            sums[k] += f(c[k]);
        }
    }
    sums.iter().sum::<f32>() + tail
}

#[inline(always)]
fn softmax_unscaled_with<const FMA: bool, const L: usize>(row: &mut [f32]) -> f32 {
    let mut maxes = [f32::NEG_INFINITY; L];
    let chunks = row.chunks_exact(L);
    let tail_max = chunks
        .remainder()
        .iter()
        .fold(f32::NEG_INFINITY, |a, &b| if b > a { b } else { a });
    for c in chunks {
        for k in 0..L {
            maxes[k] = if c[k] > maxes[k] { c[k] } else { maxes[k] };
        }
    }
    let max = maxes
        .iter()
        .fold(tail_max, |a, &b| if b > a { b } else { a });
    let mut sums = [0f32; L];
    let mut chunks = row.chunks_exact_mut(L);
    for c in &mut chunks {
        for k in 0..L {
            c[k] = exp_with::<FMA>(c[k] - max);
            sums[k] += c[k];
        }
    }
    let mut tail = 0f32;
    for v in chunks.into_remainder() {
        *v = exp_with::<FMA>(*v - max);
        tail += *v;
    }
    1.0 / (sums.iter().sum::<f32>() + tail)
}

#[inline(always)]
fn add_bias_with<const FMA: bool, const L: usize>(out: &mut [f32], bias: &[f32], gelu: bool) {
    for row in out.chunks_exact_mut(bias.len()) {
        for (o, b) in row.iter_mut().zip(bias) {
            *o += b;
        }
        if gelu {
            for v in row.iter_mut() {
                *v = 0.5 * *v * (1.0 + erf_with::<FMA>(*v * std::f32::consts::FRAC_1_SQRT_2));
            }
        }
    }
}

#[inline(always)]
fn add_norm_with<const FMA: bool, const L: usize>(
    out: &mut [MaybeUninit<f32>],
    a: &[f32],
    b: &[f32],
    gamma: &[f32],
    beta: &[f32],
    eps: f32,
) {
    let dim = gamma.len();
    for (o, (a, b)) in out
        .chunks_exact_mut(dim)
        .zip(a.chunks_exact(dim).zip(b.chunks_exact(dim)))
    {
        for ((o, a), b) in o.iter_mut().zip(a).zip(b) {
            o.write(a + b);
        }
        // SAFETY: every element of the row was written just above.
        let o = unsafe { &mut *(o as *mut [MaybeUninit<f32>] as *mut [f32]) };
        let mean = lane_sum::<L>(o, |v| v) / dim as f32;
        let var = lane_sum::<L>(o, |v| (v - mean) * (v - mean)) / dim as f32;
        let inv = 1.0 / (var + eps).sqrt();
        for ((o, g), beta) in o.iter_mut().zip(gamma).zip(beta) {
            *o = madd::<FMA>((*o - mean) * inv, *g, *beta);
        }
    }
}

/// `a · b + c`, fused where the caller was compiled with FMA (elsewhere `mul_add` is a libm
/// call, far slower than the two operations).
#[inline(always)]
fn madd<const FMA: bool>(a: f32, b: f32, c: f32) -> f32 {
    if FMA {
        a.mul_add(b, c)
    } else {
        a * b + c
    }
}

/// `e^x` for f32, branch-free so loops over it vectorise: `2^n · p(r)` with `x = n·ln 2 + r`,
/// `|r| ≤ ln 2 / 2`, and a degree-6 polynomial `p` (relative error under 2e-7 on the range a
/// softmax uses; inputs below −87 give 0, as they underflow anyway).
#[inline(always)]
fn exp_with<const FMA: bool>(x: f32) -> f32 {
    let x = x.clamp(-87.0, 88.0);
    // Round to nearest without a libm call: adding 1.5·2^23 pushes the fraction out.
    const SHIFT: f32 = 12_582_912.0;
    let t = madd::<FMA>(x, std::f32::consts::LOG2_E, SHIFT);
    let n = t - SHIFT;
    // r = x − n·ln 2, with ln 2 split in two for precision.
    let r = madd::<FMA>(n, -1.428_606_8e-6, madd::<FMA>(n, -0.693_145_75, x));
    let mut p = 1.987_569_1e-4f32;
    p = madd::<FMA>(p, r, 1.398_199_9e-3);
    p = madd::<FMA>(p, r, 8.333_452e-3);
    p = madd::<FMA>(p, r, 4.166_579_6e-2);
    p = madd::<FMA>(p, r, 0.166_666_65);
    p = madd::<FMA>(p, r, 0.5);
    p = madd::<FMA>(p, r * r, r + 1.0);
    // 2^n from t's own bits (they are 0x4B40_0000 + n): integer lanes only, where `n as i32`
    // would be a scalar saturating conversion per element.
    let scale = f32::from_bits(t.to_bits().wrapping_sub(0x4B40_0000 - 127) << 23);
    p * scale
}

/// erf for f32: Eigen's rational approximation on [-4, 4] (beyond, erf is ±1 in f32).
/// Branch-free, so the GELU loop vectorises (libm's scalar `erff` per element cost as much as
/// the matrix product before it).
#[inline(always)]
fn erf_with<const FMA: bool>(x: f32) -> f32 {
    let x = x.clamp(-4.0, 4.0);
    let x2 = x * x;
    let mut p = madd::<FMA>(x2, -2.726_142_3e-10, 2.770_681_4e-8);
    for c in [
        -2.101_024e-6,
        -5.692_506_4e-5,
        -7.349_906_3e-4,
        -2.954_6e-3,
        -1.609_603_3e-2,
    ] {
        p = madd::<FMA>(x2, p, c);
    }
    p *= x;
    let mut q = madd::<FMA>(x2, -1.456_607_2e-5, -2.133_740_6e-4);
    for c in [-1.682_827e-3, -7.373_329e-3, -1.426_473_9e-2] {
        q = madd::<FMA>(x2, q, c);
    }
    p / q
}

#[cfg(test)]
mod tests {
    use std::mem::MaybeUninit;

    #[test]
    fn fast_exp_matches_exp() {
        // Both builds: fused multiply-adds (the AVX2 + FMA path) and separate ones.
        for exp in [super::exp_with::<true>, super::exp_with::<false>] {
            let mut worst = 0f32;
            let mut x = -87.0f32;
            while x < 10.0 {
                let (a, e) = (exp(x), x.exp());
                worst = worst.max(((a - e) / e).abs());
                x += 0.0137;
            }
            assert!(worst < 5e-7, "relative error {worst}");
            assert_eq!(exp(f32::MIN), 0.0f32.max(exp(-87.0)));
            assert!(exp(-1e30) < 1e-37);
            assert!((exp(88.0) - 88f32.exp()).abs() / 88f32.exp() < 5e-7);
        }
    }

    /// Every build of the element-wise loops (the dispatched one, and the generic body at 8
    /// and 16 lanes, with and without FMA) gives the plain definitions, on rows with a
    /// remainder past the last full vector.
    #[test]
    fn softmax_gelu_and_norm_match_plain_definitions() {
        type Soft = fn(&mut [f32]) -> f32;
        type Bias = fn(&mut [f32], &[f32], bool);
        type Norm = fn(&mut [MaybeUninit<f32>], &[f32], &[f32], &[f32], &[f32], f32);
        let builds: [(Soft, Bias, Norm); 4] = [
            (super::softmax_unscaled, super::add_bias, super::add_norm),
            (
                super::softmax_unscaled_with::<false, 8>,
                super::add_bias_with::<false, 8>,
                super::add_norm_with::<false, 8>,
            ),
            (
                super::softmax_unscaled_with::<true, 8>,
                super::add_bias_with::<true, 8>,
                super::add_norm_with::<true, 8>,
            ),
            (
                super::softmax_unscaled_with::<true, 16>,
                super::add_bias_with::<true, 16>,
                super::add_norm_with::<true, 16>,
            ),
        ];
        let row: Vec<f32> = (0..37).map(|i| (i as f32 * 0.37).sin() * 4.0).collect();
        let other: Vec<f32> = (0..37).map(|i| (i as f32 * 0.11).cos()).collect();
        for (softmax, add_bias, add_norm) in builds {
            let max = row.iter().cloned().fold(f32::MIN, f32::max);
            let sum: f32 = row.iter().map(|v| (v - max).exp()).sum();
            let mut got = row.clone();
            let scale = softmax(&mut got);
            for (g, v) in got.iter().zip(&row) {
                assert!((g * scale - (v - max).exp() / sum).abs() < 1e-6);
            }

            // Two rows of 37, the bias added to each, then GELU.
            let mut got = [row.clone(), row.clone()].concat();
            add_bias(&mut got, &other, true);
            for (g, (&v, &b)) in got
                .iter()
                .zip(row.iter().chain(&row).zip(other.iter().cycle()))
            {
                let x = (v + b) as f64;
                let want = 0.5 * x * (1.0 + libm_erf(x / std::f64::consts::SQRT_2));
                assert!(
                    (*g as f64 - want).abs() < 1e-5,
                    "gelu({x}) = {g}, want {want}"
                );
            }
            let mut got = row.clone();
            add_bias(&mut got, &other, false);
            for (g, (v, b)) in got.iter().zip(row.iter().zip(&other)) {
                assert_eq!(*g, v + b);
            }

            let gamma: Vec<f32> = other.iter().map(|v| v + 1.5).collect();
            let beta: Vec<f32> = row.iter().map(|v| v * 0.1).collect();
            let mut out = vec![MaybeUninit::uninit(); 37];
            add_norm(&mut out, &row, &other, &gamma, &beta, 1e-12);
            // SAFETY: `add_norm` wrote every element.
            let got: Vec<f32> = out.iter().map(|v| unsafe { v.assume_init() }).collect();
            let sums: Vec<f64> = row
                .iter()
                .zip(&other)
                .map(|(a, b)| (a + b) as f64)
                .collect();
            let mean = sums.iter().sum::<f64>() / 37.0;
            let var = sums.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / 37.0;
            for (i, g) in got.iter().enumerate() {
                let want =
                    (sums[i] - mean) / (var + 1e-12).sqrt() * gamma[i] as f64 + beta[i] as f64;
                assert!(
                    (*g as f64 - want).abs() < 1e-5,
                    "norm[{i}] = {g}, want {want}"
                );
            }
        }
    }

    #[test]
    fn fast_erf_matches_libm() {
        for erf in [super::erf_with::<true>, super::erf_with::<false>] {
            let mut worst = 0f32;
            for i in -3500..=3500 {
                let x = i as f32 / 1000.0;
                let want = libm_erf(x as f64) as f32;
                worst = worst.max((erf(x) - want).abs());
            }
            assert!(worst < 2e-6, "max error {worst}");
            assert!((erf(5.0) - 1.0).abs() < 1e-6);
            assert!((erf(-9.0) + 1.0).abs() < 1e-6);
        }
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
