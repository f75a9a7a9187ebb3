//! The built-in model's vectors match sentence-transformers' (fixture made by
//! `tests/fixtures/embed/make_reference.py`; no Python needed here).

use arkivar::embed::{Device, EmbedOptions, Embedder, Precision};
use serde_json::Value;

fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let na: f32 = a.iter().map(|x| x * x).sum::<f32>().sqrt();
    let nb: f32 = b.iter().map(|x| x * x).sum::<f32>().sqrt();
    dot / (na * nb)
}

fn reference() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/embed/minilm_reference.json"
    );
    serde_json::from_slice(&std::fs::read(path).expect("fixture")).expect("fixture json")
}

fn check(precision: Precision, floor: f32) {
    let fixture = reference();
    for set in fixture["sets"].as_array().expect("sets") {
        let max_tokens = set["max_tokens"].as_u64().expect("max_tokens") as usize;
        let embedder = Embedder::default_model_with(
            &Device::Cpu,
            EmbedOptions {
                max_tokens: Some(max_tokens),
                precision,
                ..EmbedOptions::default()
            },
        )
        .expect("default model");
        let rows = set["texts"].as_array().expect("texts");
        assert!(rows.len() >= 20);
        let texts: Vec<&str> = rows.iter().map(|r| r["text"].as_str().unwrap()).collect();
        let got = embedder.embed_batch(&texts).expect("embed");
        let mut worst = 1f32;
        for (row, e) in rows.iter().zip(&got) {
            let want: Vec<f32> = row["vector"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_f64().unwrap() as f32)
                .collect();
            let c = cosine(&want, &e.vector);
            worst = worst.min(c);
            assert!(
                c >= floor,
                "{precision:?} max_tokens {max_tokens}: cosine {c} for {:?}",
                &row["text"]
                    .as_str()
                    .unwrap()
                    .chars()
                    .take(60)
                    .collect::<String>()
            );
            assert_eq!(e.tokens as u64, row["tokens"].as_u64().unwrap());
            assert_eq!(e.chunks as u64, row["chunks"].as_u64().unwrap());
            assert!(!e.truncated);
        }
        eprintln!("{precision:?} max_tokens {max_tokens}: worst cosine {worst:.6}");
    }
}

#[test]
fn default_model_matches_sentence_transformers() {
    check(Precision::F32, 0.999);
}

/// bf16 (AMX tiles where the CPU has them, else bf16 weights widened to f32) and `auto`,
/// the scan's default, which is one or the other.
#[test]
fn bf16_and_auto_stay_close_to_sentence_transformers() {
    check(Precision::Bf16, 0.999);
    check(Precision::Auto, 0.999);
}

#[test]
fn q8_weights_stay_close_to_sentence_transformers() {
    check(Precision::Q8, 0.99);
}

#[test]
fn fixture_covers_norwegian_english_short_and_long() {
    let fixture = reference();
    let rows = fixture["sets"][0]["texts"].as_array().unwrap();
    assert!(rows.iter().any(|r| r["tokens"].as_u64().unwrap() > 512));
    assert!(rows.iter().any(|r| r["tokens"].as_u64().unwrap() < 16));
    assert!(rows
        .iter()
        .any(|r| r["text"].as_str().unwrap().contains('ø')));
    assert!(rows
        .iter()
        .any(|r| r["text"].as_str().unwrap().contains("the ")));
}
