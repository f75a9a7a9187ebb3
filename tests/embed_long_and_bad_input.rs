//! Chunking of long documents and the inputs that must not break the embed stage.

use arkivar::embed::{pool_windows, Device, EmbedError, EmbedOptions, Embedder};

fn long_document(tokens_wanted: usize, e: &Embedder) -> String {
    let para = "Kommunestyret behandlet søknaden om dispensasjon fra reguleringsplanen for \
                boligfeltet, og rådmannen anbefalte vilkår om opparbeidet adkomstvei. ";
    let mut text = String::new();
    let mut i = 0;
    while e.count_tokens(&text).unwrap() < tokens_wanted {
        for _ in 0..20 {
            text.push_str(para);
            text.push_str(&format!("Sak {i}. "));
            i += 1;
        }
    }
    text
}

#[test]
fn five_thousand_token_document_gives_one_pooled_vector() {
    let e = Embedder::default_model(&Device::Cpu).unwrap();
    let text = long_document(5000, &e);
    let one = e.embed(&text).unwrap();
    assert_eq!(one.vector.len(), e.dim());
    assert!(one.chunks > 1 && !one.truncated);
    assert_eq!(one.tokens, e.count_tokens(&text).unwrap());

    let windows = e.embed_windows(&text).unwrap();
    assert_eq!(windows.len(), one.chunks);
    assert!(windows.iter().all(|w| w.tokens <= e.max_tokens()));
    // The manual token-weighted mean of the window vectors, normalised.
    let mut manual = vec![0f32; e.dim()];
    for w in &windows {
        for (m, v) in manual.iter_mut().zip(&w.vector) {
            *m += w.tokens as f32 * v;
        }
    }
    let norm = manual.iter().map(|x| x * x).sum::<f32>().sqrt();
    manual.iter_mut().for_each(|x| *x /= norm);
    for (a, b) in manual.iter().zip(&one.vector) {
        assert!((a - b).abs() < 1e-5, "{a} vs {b}");
    }
    assert_eq!(pool_windows(&windows), one.vector);
}

#[test]
fn cap_on_windows_is_reported_as_truncated() {
    let e = Embedder::default_model_with(
        &Device::Cpu,
        EmbedOptions {
            max_chunks: 2,
            ..EmbedOptions::default()
        },
    )
    .unwrap();
    let text = long_document(2000, &e);
    let out = e.embed(&text).unwrap();
    assert!(out.truncated);
    assert_eq!(out.chunks, 2);
    assert!(out.tokens < e.count_tokens(&text).unwrap());
}

#[test]
fn empty_whitespace_and_control_texts_get_a_vector() {
    let e = Embedder::default_model(&Device::Cpu).unwrap();
    let out = e
        .embed_batch(&["", "   \n\t  ", "\u{0}\u{1}\u{7}\u{1b}", "tekst"])
        .unwrap();
    for o in &out[..3] {
        assert_eq!(o.tokens, 0);
        assert_eq!(o.chunks, 1);
        let n: f32 = o.vector.iter().map(|x| x * x).sum();
        assert!((n - 1.0).abs() < 1e-4);
        assert!(o.vector.iter().all(|x| x.is_finite()));
    }
    assert_eq!(out[1].vector, out[0].vector);
}

#[test]
fn ten_megabyte_text_is_capped_not_exhausting() {
    let e = Embedder::default_model_with(
        &Device::Cpu,
        EmbedOptions {
            max_chunks: 4,
            ..EmbedOptions::default()
        },
    )
    .unwrap();
    let text = "Årsmelding for Øvre Ålgård. ".repeat(10 * 1024 * 1024 / 30);
    assert!(text.len() > 9_000_000);
    let t = std::time::Instant::now();
    let out = e.embed(&text).unwrap();
    assert!(out.truncated);
    assert_eq!(out.chunks, 4);
    assert!(t.elapsed().as_secs() < 60);
}

#[test]
fn broken_model_directory_names_the_missing_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config.json"), "{}").unwrap();
    let err = match Embedder::from_dir(dir.path(), &Device::Cpu) {
        Err(e) => e,
        Ok(_) => panic!("loaded a model from a broken directory"),
    };
    assert!(matches!(err, EmbedError::MissingFile { .. }));
    assert!(err.to_string().contains("tokenizer.json"), "{err}");

    let missing = dir.path().join("nope");
    let err = Embedder::from_dir(&missing, &Device::Cpu).err().unwrap();
    assert!(err.to_string().contains("nope"), "{err}");
}

#[test]
fn unknown_device_is_a_clear_error() {
    let err = arkivar::embed::device_from_name("gpu").unwrap_err();
    assert!(err.to_string().contains("gpu"));
    #[cfg(not(feature = "cuda"))]
    assert!(arkivar::embed::device_from_name("cuda")
        .unwrap_err()
        .to_string()
        .contains("--features cuda"));
}
