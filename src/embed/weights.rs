//! A model's weights, read tensor by tensor: the built-in model's from the binary, a model
//! directory's from `model.safetensors` without reading the file into memory whole.
//!
//! Read whole, multilingual-e5-small's 235 MB file sat in memory beside the weights being
//! widened from it, and a scan peaked at 1.1 GB before it embedded anything. Here each tensor
//! is read straight into a buffer of its stored type (one `read` at its offset, no copy) and
//! widened from there, so the load costs the loaded weights plus one tensor. The checksum that
//! names the model streams the file in blocks.

use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use candle_core::{DType, Device, Shape, Tensor};
use candle_nn::var_builder::SimpleBackend;
use candle_nn::VarBuilder;
use sha2::{Digest, Sha256};

/// Where a model's weights are.
#[derive(Debug, Clone)]
pub(super) enum Weights {
    /// Compiled into the binary (the built-in model).
    Static(&'static [u8]),
    /// A `model.safetensors` file.
    File(PathBuf),
}

impl Weights {
    /// The size in bytes.
    pub(super) fn len(&self) -> std::io::Result<u64> {
        match self {
            Weights::Static(b) => Ok(b.len() as u64),
            Weights::File(p) => Ok(std::fs::metadata(p)?.len()),
        }
    }

    /// Feeds the length (as a little-endian u64) and then the bytes to `hasher`, the file in
    /// blocks.
    pub(super) fn hash_into(&self, hasher: &mut Sha256) -> std::io::Result<()> {
        hasher.update(self.len()?.to_le_bytes());
        match self {
            Weights::Static(b) => hasher.update(b),
            Weights::File(p) => {
                let mut f = File::open(p)?;
                let mut block = vec![0u8; 1 << 20];
                loop {
                    let n = f.read(&mut block)?;
                    if n == 0 {
                        break;
                    }
                    hasher.update(&block[..n]);
                }
            }
        }
        Ok(())
    }

    /// A builder that hands out the tensors as `dtype` on `device`.
    pub(super) fn var_builder(
        &self,
        dtype: DType,
        device: &Device,
    ) -> candle_core::Result<VarBuilder<'static>> {
        match self {
            Weights::Static(b) => VarBuilder::from_slice_safetensors(b, dtype, device),
            Weights::File(p) => Ok(VarBuilder::from_backend(
                Box::new(SafetensorsFile::open(p)?),
                dtype,
                device.clone(),
            )),
        }
    }

    /// The stored type of the first tensor whose name ends in `suffix`, if any.
    pub(super) fn stored_dtype(&self, suffix: &str) -> Option<DType> {
        let header = match self {
            Weights::Static(b) => parse_header(&mut std::io::Cursor::new(b)).ok()?,
            Weights::File(p) => parse_header(&mut File::open(p).ok()?).ok()?,
        };
        header
            .tensors
            .iter()
            .find(|(name, _)| name.ends_with(suffix))
            .map(|(_, e)| e.dtype)
    }
}

/// Where one tensor lies in the file.
#[derive(Debug, Clone)]
struct Entry {
    dtype: DType,
    shape: Vec<usize>,
    /// Offset from the start of the file.
    offset: u64,
    bytes: usize,
}

/// A safetensors header: the tensors by name.
#[derive(Debug)]
struct Header {
    tensors: HashMap<String, Entry>,
}

/// Reads the header of a safetensors stream: an 8-byte little-endian length, then JSON.
fn parse_header(r: &mut impl Read) -> candle_core::Result<Header> {
    let mut n = [0u8; 8];
    r.read_exact(&mut n)?;
    let n = u64::from_le_bytes(n);
    if n > 100 << 20 {
        candle_core::bail!("safetensors header of {n} bytes");
    }
    let mut json = vec![0u8; n as usize];
    r.read_exact(&mut json)?;
    let v: serde_json::Value =
        serde_json::from_slice(&json).map_err(|e| candle_core::Error::Msg(e.to_string()))?;
    let base = 8 + n;
    let mut tensors = HashMap::new();
    for (name, t) in v.as_object().into_iter().flatten() {
        if name == "__metadata__" {
            continue;
        }
        let dtype = match t["dtype"].as_str() {
            Some("F32") => DType::F32,
            Some("F16") => DType::F16,
            Some("BF16") => DType::BF16,
            Some("F64") => DType::F64,
            Some("U8") => DType::U8,
            Some("U32") => DType::U32,
            Some("I64") => DType::I64,
            other => candle_core::bail!("tensor {name}: dtype {other:?} is not supported"),
        };
        let shape: Vec<usize> = t["shape"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|d| d.as_u64().map(|d| d as usize))
            .collect();
        let (start, end) = match t["data_offsets"].as_array().map(Vec::as_slice) {
            Some([a, b]) => (a.as_u64().unwrap_or(0), b.as_u64().unwrap_or(0)),
            _ => candle_core::bail!("tensor {name}: no data_offsets"),
        };
        let bytes = end.saturating_sub(start) as usize;
        if bytes != shape.iter().product::<usize>() * dtype.size_in_bytes() {
            candle_core::bail!("tensor {name}: {bytes} bytes for shape {shape:?} of {dtype:?}");
        }
        tensors.insert(
            name.clone(),
            Entry {
                dtype,
                shape,
                offset: base + start,
                bytes,
            },
        );
    }
    Ok(Header { tensors })
}

/// A safetensors file read one tensor at a time.
struct SafetensorsFile {
    file: Mutex<File>,
    header: Header,
}

impl SafetensorsFile {
    fn open(path: &Path) -> candle_core::Result<Self> {
        let mut file = File::open(path)?;
        let header = parse_header(&mut file)?;
        Ok(SafetensorsFile {
            file: Mutex::new(file),
            header,
        })
    }

    /// The tensor `name` as stored, on the CPU.
    fn read(&self, name: &str) -> candle_core::Result<Tensor> {
        let e =
            self.header
                .tensors
                .get(name)
                .ok_or_else(|| candle_core::Error::CannotFindTensor {
                    path: name.to_string(),
                })?;
        let mut file = self
            .file
            .lock()
            .map_err(|_| candle_core::Error::Msg("weights file lock poisoned".into()))?;
        file.seek(SeekFrom::Start(e.offset))?;
        let shape = e.shape.as_slice();
        let cpu = &Device::Cpu;
        match e.dtype {
            DType::F32 => Tensor::from_vec(read_plain::<f32>(&mut *file, e.bytes)?, shape, cpu),
            DType::F16 => {
                Tensor::from_vec(read_plain::<half::f16>(&mut *file, e.bytes)?, shape, cpu)
            }
            DType::BF16 => {
                Tensor::from_vec(read_plain::<half::bf16>(&mut *file, e.bytes)?, shape, cpu)
            }
            dtype => {
                let mut bytes = vec![0u8; e.bytes];
                file.read_exact(&mut bytes)?;
                Tensor::from_raw_buffer(&bytes, dtype, shape, cpu)
            }
        }
    }
}

/// Number types any bit pattern of which is a value, so a file's bytes can be read into them.
trait Plain: Copy + Default {}
impl Plain for f32 {}
impl Plain for half::f16 {}
impl Plain for half::bf16 {}

/// Reads `bytes` bytes into a vector of `T` directly (safetensors is little-endian, as are the
/// hosts candle runs on).
fn read_plain<T: Plain>(r: &mut impl Read, bytes: usize) -> std::io::Result<Vec<T>> {
    let n = bytes / std::mem::size_of::<T>();
    let mut v = vec![T::default(); n];
    // SAFETY: `T` is a plain number type (any byte pattern is a valid value) and the slice
    // covers exactly the vector's initialised memory.
    let raw = unsafe {
        std::slice::from_raw_parts_mut(v.as_mut_ptr().cast::<u8>(), n * std::mem::size_of::<T>())
    };
    r.read_exact(raw)?;
    Ok(v)
}

impl SimpleBackend for SafetensorsFile {
    fn get(
        &self,
        s: Shape,
        name: &str,
        _: candle_nn::Init,
        dtype: DType,
        dev: &Device,
    ) -> candle_core::Result<Tensor> {
        let t = self.read(name)?;
        if t.shape() != &s {
            return Err(candle_core::Error::UnexpectedShape {
                msg: format!("shape mismatch for {name}"),
                expected: s,
                got: t.shape().clone(),
            });
        }
        t.to_dtype(dtype)?.to_device(dev)
    }

    fn get_unchecked(&self, name: &str, dtype: DType, dev: &Device) -> candle_core::Result<Tensor> {
        self.read(name)?.to_dtype(dtype)?.to_device(dev)
    }

    fn contains_tensor(&self, name: &str) -> bool {
        self.header.tensors.contains_key(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_reads_as_the_slice_does_and_hashes_alike() {
        let bytes = super::super::default_model::WEIGHTS;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("model.safetensors");
        std::fs::write(&path, bytes).unwrap();
        let (a, b) = (Weights::Static(bytes), Weights::File(path));
        let name = "embeddings.word_embeddings.weight";
        assert_eq!(a.stored_dtype(name), Some(DType::F16));
        assert_eq!(b.stored_dtype(name), Some(DType::F16));
        for dtype in [DType::F32, DType::F16] {
            let (va, vb) = (
                a.var_builder(dtype, &Device::Cpu).unwrap(),
                b.var_builder(dtype, &Device::Cpu).unwrap(),
            );
            for n in [name, "encoder.layer.3.intermediate.dense.bias"] {
                let (x, y) = (va.get_unchecked(n).unwrap(), vb.get_unchecked(n).unwrap());
                assert_eq!(x.dtype(), dtype);
                assert_eq!(x.shape(), y.shape());
                let diff = (x.to_dtype(DType::F32).unwrap() - y.to_dtype(DType::F32).unwrap())
                    .unwrap()
                    .abs()
                    .unwrap()
                    .sum_all()
                    .unwrap()
                    .to_scalar::<f32>()
                    .unwrap();
                assert_eq!(diff, 0.0, "{n}");
            }
            assert!(vb.get_unchecked("no.such.tensor").is_err());
        }
        let hash = |w: &Weights| {
            let mut h = Sha256::new();
            w.hash_into(&mut h).unwrap();
            h.finalize()
        };
        assert_eq!(hash(&a), hash(&b));
    }
}
