//! bf16 matrix products on Intel AMX tiles (Xeon Scalable 4th generation, "Sapphire Rapids",
//! and later): `--precision bf16` on a CPU that has them.
//!
//! One AMX instruction, `tdpbf16ps`, multiplies a 16 × 32 bf16 tile by a 32 × 16 one into 16
//! × 16 f32 sums: 8 192 multiply-adds, where an AVX-512 FMA does 16. The weights are rounded
//! to bf16 once, at load time, and laid out as the tiles read them ([`Tiles`]); each block of
//! activation rows is rounded to bf16 as it comes ([`product`]); the sums stay f32, and the
//! bias, GELU, attention and norms around the products stay f32 as well.
//!
//! Rust has no stable AMX intrinsics, so the micro-kernel is inline assembly; the tile
//! registers are never used by compiled code, so a kernel owns them between its
//! `ldtilecfg` and its `tilerelease`. The kernels run only where [`available`] said yes: the
//! CPU reports AMX-TILE and AMX-BF16, the OS has enabled the tile state, and Linux granted
//! this process its use (`arch_prctl(ARCH_REQ_XCOMP_PERM)`).

use std::cell::RefCell;
use std::mem::MaybeUninit;

/// Rows of every tile; f32 columns of a sum tile; bf16 pairs down a weight tile.
const TILE: usize = 16;
/// bf16 values along the inner dimension per tile row (64 bytes).
const DEPTH: usize = 32;
/// Bytes of one tile (16 rows of 64).
const TILE_BYTES: usize = 1024;

/// Whether this process can run the AMX kernels: checked once.
pub(crate) fn available() -> bool {
    static OK: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *OK.get_or_init(detect)
}

#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
fn detect() -> bool {
    use std::arch::x86_64::{__cpuid, __cpuid_count};
    // The conversions to bf16 are compiled for AVX-512 (every AMX CPU has it).
    if !(is_x86_feature_detected!("avx512f") && is_x86_feature_detected!("avx512bw")) {
        return false;
    }
    #[allow(unused_unsafe)] // `__cpuid*` are safe functions in newer Rust.
    // SAFETY: CPUID exists on every x86-64 CPU; leaf 7 is read only if the CPU has it.
    let (leaf7, leaf1) = unsafe {
        if __cpuid(0).eax < 7 {
            return false;
        }
        (__cpuid_count(7, 0), __cpuid(1))
    };
    let amx_bf16 = leaf7.edx & (1 << 22) != 0;
    let amx_tile = leaf7.edx & (1 << 24) != 0;
    let osxsave = leaf1.ecx & (1 << 27) != 0;
    if !(amx_bf16 && amx_tile && osxsave) {
        return false;
    }
    // XCR0 bits 17 (tile configuration) and 18 (tile data): the OS saves the tile state.
    let xcr0: u64;
    // SAFETY: `xgetbv` with ECX = 0 is valid where CPUID reports OSXSAVE (checked above).
    unsafe {
        let (lo, hi): (u32, u32);
        std::arch::asm!("xgetbv", in("ecx") 0u32, out("eax") lo, out("edx") hi,
            options(nomem, nostack, preserves_flags));
        xcr0 = (hi as u64) << 32 | lo as u64;
    }
    if xcr0 & (0b11 << 17) != 0b11 << 17 {
        return false;
    }
    // Linux hands out the 8 KiB tile state only on request, per process.
    const ARCH_REQ_XCOMP_PERM: libc::c_long = 0x1023;
    const XFEATURE_XTILEDATA: libc::c_long = 18;
    // SAFETY: arch_prctl with these arguments only changes this process's permissions.
    unsafe {
        libc::syscall(
            libc::SYS_arch_prctl,
            ARCH_REQ_XCOMP_PERM,
            XFEATURE_XTILEDATA,
        ) == 0
    }
}

#[cfg(not(all(target_arch = "x86_64", target_os = "linux")))]
fn detect() -> bool {
    false
}

/// `x` rounded to the nearest bf16 (ties to even), as bits.
#[inline(always)]
fn bf16(x: f32) -> u16 {
    let b = x.to_bits();
    (b.wrapping_add(0x7FFF + ((b >> 16) & 1)) >> 16) as u16
}

/// A weight matrix in bf16, laid out as the product's right-hand tiles: for each block of 16
/// output columns, for each step of 32 inputs, one tile whose row `r` holds, for each of the 16
/// columns, the pair of inputs `2r` and `2r + 1` (the order `tdpbf16ps` multiplies in). Rows
/// and columns past the matrix are zeros, so any shape works.
pub(crate) struct Tiles {
    inner: usize,
    cols: usize,
    /// Steps of [`DEPTH`] inputs.
    steps: usize,
    /// Blocks of [`TILE`] columns, even (the kernel takes them in pairs).
    col_blocks: usize,
    data: Vec<u16>,
}

impl Tiles {
    /// Rounds `weight` (`[cols, inner]` row-major: a PyTorch `Linear`'s `[out, in]`) to bf16
    /// tiles.
    pub(crate) fn pack(weight: &[f32], cols: usize, inner: usize) -> Self {
        assert_eq!(weight.len(), cols * inner, "tiles: weight shape");
        let steps = inner.div_ceil(DEPTH);
        let col_blocks = cols.div_ceil(2 * TILE) * 2;
        let mut data = vec![0u16; col_blocks * steps * TILE_BYTES / 2];
        for (i, tile) in data.chunks_exact_mut(TILE_BYTES / 2).enumerate() {
            let (block, step) = (i / steps, i % steps);
            for r in 0..TILE {
                for c in 0..TILE {
                    let col = block * TILE + c;
                    for j in 0..2 {
                        let k = step * DEPTH + 2 * r + j;
                        if col < cols && k < inner {
                            tile[r * DEPTH + 2 * c + j] = bf16(weight[col * inner + k]);
                        }
                    }
                }
            }
        }
        Self {
            inner,
            cols,
            steps,
            col_blocks,
            data,
        }
    }

    /// Inputs per row.
    pub(crate) fn inner(&self) -> usize {
        self.inner
    }

    /// Outputs per row.
    pub(crate) fn cols(&self) -> usize {
        self.cols
    }
}

/// The tile shapes every kernel uses: palette 1, all eight tiles 16 rows of 64 bytes
/// (sums: `tmm0`–`tmm3`; activations: `tmm4`, `tmm5`; weights: `tmm6`, `tmm7`).
#[repr(C, align(64))]
struct TileConfig([u8; 64]);

const CONFIG: TileConfig = {
    let mut c = [0u8; 64];
    c[0] = 1;
    let mut t = 0;
    while t < 8 {
        c[16 + 2 * t] = 64; // bytes per row (u16, little-endian)
        c[48 + t] = TILE as u8; // rows
        t += 1;
    }
    TileConfig(c)
};

thread_local! {
    /// One thread's bf16 copy of the activation rows it multiplies.
    static ROWS: RefCell<Vec<u16>> = const { RefCell::new(Vec::new()) };
}

/// `out = x · W` for the `x.len() / tiles.inner()` rows of `x` (`out` holds as many rows of
/// `tiles.cols()`; every element written): `x` rounded to bf16, the sums in f32. One thread;
/// callers split large batches into blocks of rows.
///
/// # Panics
/// If [`available`] is false, or the lengths do not fit.
pub(crate) fn product(tiles: &Tiles, out: &mut [MaybeUninit<f32>], x: &[f32]) {
    assert!(available(), "AMX products on a CPU without them");
    let (inner, cols) = (tiles.inner, tiles.cols);
    let rows = x.len() / inner;
    assert_eq!(x.len(), rows * inner, "tiles: input rows");
    assert_eq!(out.len(), rows * cols, "tiles: output rows");
    if rows == 0 {
        return;
    }
    #[cfg(target_arch = "x86_64")]
    run(tiles, out, x, rows);
}

/// [`product`]'s work, once its arguments are checked.
#[cfg(target_arch = "x86_64")]
fn run(tiles: &Tiles, out: &mut [MaybeUninit<f32>], x: &[f32], rows: usize) {
    let (inner, cols) = (tiles.inner, tiles.cols);
    let depth = tiles.steps * DEPTH;
    let padded_rows = rows.next_multiple_of(2 * TILE);
    ROWS.with_borrow_mut(|a| {
        zeroed(a, padded_rows * depth);
        // SAFETY: `available` checked AVX-512F and BW.
        unsafe { round_rows(a, x, inner, tiles.steps) };
        let mut spare = [0f32; 4 * TILE * TILE];
        let out_ptr = out.as_mut_ptr().cast::<f32>();
        // SAFETY: `available` checked the CPU and the OS permission. For every (row pair,
        // column pair) the kernel reads 32 rows × `depth` values of `a` (padded to whole pairs
        // of tiles) and `steps` tiles from each of two column blocks of `tiles.data`
        // (`col_blocks` is even); it writes 32 × 32 f32 either into `out` where the block lies
        // wholly inside the `rows × cols` output, or into `spare`, from which the part inside
        // is copied.
        unsafe {
            std::arch::asm!("ldtilecfg [{}]", in(reg) CONFIG.0.as_ptr(), options(nostack, readonly));
            for pair in 0..tiles.col_blocks / 2 {
                let b0 = tiles.data.as_ptr().add(2 * pair * tiles.steps * TILE_BYTES / 2);
                let b1 = b0.add(tiles.steps * TILE_BYTES / 2);
                let col = 2 * TILE * pair;
                for row in (0..rows).step_by(2 * TILE) {
                    let a0 = a.as_ptr().add(row * depth);
                    let a1 = a0.add(TILE * depth);
                    if row + 2 * TILE <= rows && col + 2 * TILE <= cols {
                        let c = out_ptr.add(row * cols + col);
                        kernel(a0, a1, b0, b1, tiles.steps, c, cols * 4);
                    } else {
                        kernel(a0, a1, b0, b1, tiles.steps, spare.as_mut_ptr(), 2 * TILE * 4);
                        for r in 0..(rows - row).min(2 * TILE) {
                            let n = (cols - col).min(2 * TILE);
                            let src = &spare[r * 2 * TILE..r * 2 * TILE + n];
                            std::ptr::copy_nonoverlapping(src.as_ptr(), out_ptr.add((row + r) * cols + col), n);
                        }
                    }
                }
            }
            std::arch::asm!("tilerelease", options(nostack, nomem));
        }
    });
}

/// One thread's buffers for [`attention`]: the sequence's q, k and v as tiles, head after
/// head; a block's scores and probabilities; its context.
#[derive(Default)]
struct HeadBuffers {
    q: Vec<u16>,
    k: Vec<u16>,
    v: Vec<u16>,
    scores: Vec<f32>,
    p: Vec<u16>,
    context: Vec<f32>,
    /// One row's q, k and v, rounded.
    row: Vec<u16>,
}

thread_local! {
    static HEAD: RefCell<HeadBuffers> = RefCell::new(HeadBuffers::default());
}

/// Clears `v` to `len` zeros (its allocation kept).
fn zeroed<T: Copy + Default>(v: &mut Vec<T>, len: usize) {
    v.clear();
    v.resize(len, T::default());
}

/// Makes `v` `len` long, keeping what it holds (for buffers written whole before read).
fn sized<T: Copy + Default>(v: &mut Vec<T>, len: usize) {
    v.resize(len, T::default());
}

/// `src` rounded to bf16 into `dst` (as many as both hold); vectorised by the caller's
/// target features.
#[inline(always)]
fn round_into(dst: &mut [u16], src: &[f32]) {
    for (d, &x) in dst.iter_mut().zip(src) {
        *d = bf16(x);
    }
}

/// Multi-head self-attention of one sequence on AMX tiles: softmax(q·kᵀ)·v per head, q, k
/// and v rounded to bf16, the scores, softmax and sums in f32 (the query already scaled by
/// 1/√head_dim). `qkv` holds the sequence's `n` rows of `[q | k | v]`, each `heads × hd` wide
/// (`hd` a multiple of 32); the `n` context rows, `heads × hd` each, are written from `out` on.
/// Each row of `qkv` is read once, whole, for all heads.
///
/// # Safety
/// [`available`] must be true, and `out` valid for writes of `n × heads × hd` f32 that no
/// other thread writes meanwhile.
///
/// # Panics
/// If `hd` is not a multiple of 32, or `qkv` is shorter than `n` rows.
pub(crate) unsafe fn attention(qkv: &[f32], n: usize, heads: usize, hd: usize, out: *mut f32) {
    assert!(
        hd.is_multiple_of(DEPTH) && n > 0,
        "attention tiles: head width {hd}"
    );
    assert!(qkv.len() >= n * 3 * heads * hd, "attention tiles: {n} rows");
    #[cfg(target_arch = "x86_64")]
    // SAFETY: as this function's own contract; `available` checked AVX-512F and BW.
    HEAD.with_borrow_mut(|b| unsafe { sequence(b, qkv, n, heads, hd, out) });
}

/// [`attention`]'s work, with its buffers, compiled for AVX-512 (every AMX CPU has it) so the
/// roundings to bf16 run 16 at a time.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw")]
unsafe fn sequence(
    b: &mut HeadBuffers,
    qkv: &[f32],
    n: usize,
    heads: usize,
    hd: usize,
    out: *mut f32,
) {
    let h = heads * hd;
    let rows = n.next_multiple_of(2 * TILE);
    let (dim_steps, key_steps) = (hd / DEPTH, rows / DEPTH);
    let tile = TILE_BYTES / 2;
    // Each head's q, k and v take `rows × hd` values as tiles.
    let per_head = rows * hd;
    let HeadBuffers {
        q,
        k,
        v,
        scores,
        p,
        context,
        row: rounded,
    } = b;
    zeroed(q, heads * per_head);
    zeroed(k, heads * per_head);
    zeroed(v, heads * per_head);
    sized(rounded, 3 * h);
    for (i, row) in qkv.chunks_exact(3 * h).take(n).enumerate() {
        round_into(rounded, row);
        for head in 0..heads {
            let (q_row, k_row, v_row) = (
                &rounded[head * hd..][..hd],
                &rounded[h + head * hd..][..hd],
                &rounded[2 * h + head * hd..][..hd],
            );
            let (q, k, v) = (
                &mut q[head * per_head..][..per_head],
                &mut k[head * per_head..][..per_head],
                &mut v[head * per_head..][..per_head],
            );
            for s in 0..dim_steps {
                let at = ((i / TILE) * dim_steps + s) * tile;
                // q: A tiles (block of 16 rows, step of 32 dims), a row inside each.
                q[at + (i % TILE) * DEPTH..][..DEPTH].copy_from_slice(&q_row[s * DEPTH..][..DEPTH]);
                // kᵀ: B tiles (block of 16 keys, step of 32 dims), a tile row per pair of
                // dims: this key is column i % 16 of each.
                for (r, pair) in k_row[s * DEPTH..][..DEPTH].chunks_exact(2).enumerate() {
                    let slot = at + r * DEPTH + (i % TILE) * 2;
                    k[slot..slot + 2].copy_from_slice(pair);
                }
            }
            // v: B tiles (block of 16 dims, step of 32 keys), a tile row per pair of keys:
            // this key fills the even or odd slots of its pair's row.
            for (block, v_row) in v_row.chunks_exact(TILE).enumerate() {
                let at = (block * key_steps + i / DEPTH) * tile + (i % DEPTH / 2) * DEPTH + i % 2;
                for (slot, &x) in v[at..at + 2 * TILE - 1].iter_mut().step_by(2).zip(v_row) {
                    *slot = x;
                }
            }
        }
    }
    // The kernels write every score and context value; the probabilities' padding (keys past
    // n, never written) must be 0.
    sized(scores, 2 * TILE * rows);
    zeroed(p, 2 * key_steps * tile);
    sized(context, 2 * TILE * hd);
    std::arch::asm!("ldtilecfg [{}]", in(reg) CONFIG.0.as_ptr(), options(nostack, readonly));
    for head in 0..heads {
        let (q, k, v) = (
            &q[head * per_head..],
            &k[head * per_head..],
            &v[head * per_head..],
        );
        for block in 0..rows / (2 * TILE) {
            let a0 = q.as_ptr().add(2 * block * dim_steps * tile);
            let a1 = a0.add(dim_steps * tile);
            for keys in 0..rows / (2 * TILE) {
                let b0 = k.as_ptr().add(2 * keys * dim_steps * tile);
                let b1 = b0.add(dim_steps * tile);
                let c = scores.as_mut_ptr().add(keys * 2 * TILE);
                kernel(a0, a1, b0, b1, dim_steps, c, rows * 4);
            }
            let live = (n - block * 2 * TILE).min(2 * TILE);
            let mut scale = [0f32; 2 * TILE];
            for (i, row) in scores.chunks_exact_mut(rows).take(live).enumerate() {
                scale[i] = super::kernels::softmax_unscaled(&mut row[..n]);
                // The probabilities as A tiles (block of 16 queries, step of 32 keys).
                for (s, chunk) in row[..n].chunks(DEPTH).enumerate() {
                    let at = ((i / TILE) * key_steps + s) * tile + (i % TILE) * DEPTH;
                    round_into(&mut p[at..at + chunk.len()], chunk);
                }
            }
            for dims in 0..hd / (2 * TILE) {
                let b0 = v.as_ptr().add(2 * dims * key_steps * tile);
                let b1 = b0.add(key_steps * tile);
                let c = context.as_mut_ptr().add(dims * 2 * TILE);
                kernel(
                    p.as_ptr(),
                    p.as_ptr().add(key_steps * tile),
                    b0,
                    b1,
                    key_steps,
                    c,
                    hd * 4,
                );
            }
            for (i, row) in context.chunks_exact(hd).take(live).enumerate() {
                let dst = out.add((block * 2 * TILE + i) * h + head * hd);
                for (d, &c) in row.iter().enumerate() {
                    *dst.add(d) = c * scale[i];
                }
            }
        }
    }
    std::arch::asm!("tilerelease", options(nostack, nomem));
}

/// `x`'s rows of `inner`, rounded to bf16, into `a` as tiles: for each block of 16 rows, for
/// each step of 32 inputs, a tile of 16 rows of 32 (inputs past `inner` left as they are:
/// zero).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw")]
unsafe fn round_rows(a: &mut [u16], x: &[f32], inner: usize, steps: usize) {
    for (r, src) in x.chunks_exact(inner).enumerate() {
        let block = &mut a[(r / TILE) * steps * TILE * DEPTH..];
        for (s, src) in src.chunks(DEPTH).enumerate() {
            round_into(
                &mut block[(s * TILE + r % TILE) * DEPTH..][..src.len()],
                src,
            );
        }
    }
}

/// The 32 × 32 block `C = A · B`: `A` is 32 rows of bf16, `a_stride` bytes apart, `steps` ×
/// 32 values each; `B` is two column blocks of `steps` consecutive weight tiles (`b0`, `b1`);
/// `C` is f32 rows `c_stride` bytes apart, written (not added to).
///
/// # Safety
/// The tiles must be configured as [`CONFIG`] says, `steps ≥ 1`, and every address the
/// sizes above reach valid.
#[cfg(target_arch = "x86_64")]
#[inline]
unsafe fn kernel(
    a0: *const u16,
    a1: *const u16,
    b0: *const u16,
    b1: *const u16,
    steps: usize,
    c: *mut f32,
    c_stride: usize,
) {
    std::arch::asm!(
        "tilezero tmm0",
        "tilezero tmm1",
        "tilezero tmm2",
        "tilezero tmm3",
        "2:",
        "tileloadd tmm4, [{a0} + {sb}]",
        "tileloadd tmm6, [{b0} + {sb}]",
        "tdpbf16ps tmm0, tmm4, tmm6",
        "tileloadd tmm7, [{b1} + {sb}]",
        "tdpbf16ps tmm1, tmm4, tmm7",
        "tileloadd tmm5, [{a1} + {sb}]",
        "tdpbf16ps tmm2, tmm5, tmm6",
        "tdpbf16ps tmm3, tmm5, tmm7",
        "add {a0}, 1024",
        "add {a1}, 1024",
        "add {b0}, 1024",
        "add {b1}, 1024",
        "dec {n}",
        "jnz 2b",
        "tilestored [{c0} + {sc}], tmm0",
        "tilestored [{c0} + {sc} + 64], tmm1",
        "tilestored [{c1} + {sc}], tmm2",
        "tilestored [{c1} + {sc} + 64], tmm3",
        a0 = inout(reg) a0 => _,
        a1 = inout(reg) a1 => _,
        b0 = inout(reg) b0 => _,
        b1 = inout(reg) b1 => _,
        n = inout(reg) steps => _,
        sb = in(reg) 64usize,
        c0 = in(reg) c,
        c1 = in(reg) c.byte_add(TILE * c_stride),
        sc = in(reg) c_stride,
        options(nostack),
    );
}

#[cfg(test)]
mod tests {
    use std::mem::MaybeUninit;

    /// The tile product against f64 sums of the same bf16-rounded values, on shapes that are
    /// not whole tiles (rows, columns and inputs past a tile's edge) and on MiniLM's.
    #[test]
    fn tiles_match_rounded_products() {
        if !super::available() {
            eprintln!("SKIPPED tiles_match_rounded_products: this CPU or OS has no AMX");
            return;
        }
        let round = |v: f32| f32::from_bits((super::bf16(v) as u32) << 16);
        for (rows, inner, cols) in [(1, 1, 1), (33, 45, 17), (70, 384, 1152), (100, 1536, 384)] {
            let w: Vec<f32> = (0..cols * inner)
                .map(|i| ((i * 7919 % 1000) as f32 / 500.0 - 1.0) * 0.3)
                .collect();
            let x: Vec<f32> = (0..rows * inner)
                .map(|i| ((i * 104_729 % 997) as f32 / 498.5 - 1.0) * 2.0)
                .collect();
            let tiles = super::Tiles::pack(&w, cols, inner);
            let mut out = vec![MaybeUninit::new(f32::NAN); rows * cols];
            super::product(&tiles, &mut out, &x);
            for r in 0..rows {
                for c in 0..cols {
                    let want: f64 = (0..inner)
                        .map(|k| round(x[r * inner + k]) as f64 * round(w[c * inner + k]) as f64)
                        .sum();
                    // SAFETY: `product` wrote every element (a NaN left behind fails below).
                    let got = unsafe { out[r * cols + c].assume_init() } as f64;
                    assert!(
                        (got - want).abs() <= 1e-4 * (1.0 + want.abs()),
                        "{rows}×{inner}×{cols} [{r}, {c}]: {got} vs {want}"
                    );
                }
            }
        }
    }

    /// Attention on tiles against f64 softmax(q·kᵀ)·v of the same bf16-rounded q, k and v,
    /// per head, at lengths around the tiles' edges and at head widths 32 and 64.
    #[test]
    fn attention_matches_rounded_definition() {
        if !super::available() {
            eprintln!("SKIPPED attention_matches_rounded_definition: this CPU or OS has no AMX");
            return;
        }
        let round = |v: f32| f32::from_bits((super::bf16(v) as u32) << 16) as f64;
        let heads = 3;
        for hd in [32, 64] {
            let h = heads * hd;
            for n in [1, 15, 16, 32, 33, 64, 150] {
                let qkv: Vec<f32> = (0..n * 3 * h)
                    .map(|i| ((i * 7919 % 1009) as f32 / 504.5 - 1.0) * 1.5)
                    .collect();
                let mut out = vec![f32::NAN; n * h];
                // SAFETY: AMX is available; `out` holds n rows of h.
                unsafe { super::attention(&qkv, n, heads, hd, out.as_mut_ptr()) };
                let at = |i: usize, c: usize| round(qkv[i * 3 * h + c]);
                for head in 0..heads {
                    let (qc, kc, vc) = (head * hd, h + head * hd, 2 * h + head * hd);
                    for i in 0..n {
                        let scores: Vec<f64> = (0..n)
                            .map(|j| (0..hd).map(|d| at(i, qc + d) * at(j, kc + d)).sum())
                            .collect();
                        let max = scores.iter().cloned().fold(f64::MIN, f64::max);
                        let e: Vec<f64> = scores.iter().map(|s| (s - max).exp()).collect();
                        let sum: f64 = e.iter().sum();
                        for d in 0..hd {
                            let want: f64 = (0..n).map(|j| e[j] / sum * at(j, vc + d)).sum();
                            let got = out[i * h + head * hd + d] as f64;
                            assert!(
                                (got - want).abs() < 1e-2,
                                "hd {hd} n {n} head {head} [{i}, {d}]: {got} vs {want}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn bf16_rounds_to_nearest_even() {
        assert_eq!(super::bf16(1.0), 0x3F80);
        // 1 + 2^-8 lies halfway between 1 and 1 + 2^-7: ties go to the even 1.
        assert_eq!(super::bf16(1.0 + 1.0 / 256.0), 0x3F80);
        // 1 + 3·2^-8 is halfway between 1 + 2^-7 (odd) and 1 + 2^-6: up to even.
        assert_eq!(super::bf16(1.0 + 3.0 / 256.0), 0x3F82);
        assert_eq!(super::bf16(-2.5), 0xC020);
        // Just past halfway rounds up.
        assert_eq!(super::bf16(f32::from_bits(0x3F80_8001)), 0x3F81);
    }
}
