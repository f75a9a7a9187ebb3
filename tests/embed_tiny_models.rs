//! Tiny randomly initialised BERT and XLM-RoBERTa models, written by the test, load and embed.

use std::collections::HashMap;
use std::path::Path;

use arkivar::embed::{Device, EmbedOptions, Embedder, Pooling};
use arkivar::synth::rng::Rng;
use candle_core::{DType, Tensor};

const HIDDEN: usize = 32;
const INTER: usize = 64;
const LAYERS: usize = 2;

/// `n` values drawn from Normal(0, `std`) by the crate's seeded test PRNG (Box–Muller), so the
/// weights, and the test's outcome, are the same on every run.
fn normal(rng: &mut Rng, n: usize, std: f32) -> Vec<f32> {
    (0..n)
        .map(|_| {
            // 1 - [0, 1) is (0, 1]: the logarithm stays finite.
            let u1 = 1.0 - rng.unit_f64();
            let u2 = rng.unit_f64();
            ((-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()) as f32 * std
        })
        .collect()
}

fn encoder_tensors(prefix: &str, vocab: usize, positions: usize) -> HashMap<String, Tensor> {
    let dev = candle_core::Device::Cpu;
    let mut t = HashMap::new();
    let mut rng = Rng::new(1);
    let mut put = |name: String, shape: &[usize]| {
        let values = normal(&mut rng, shape.iter().product(), 0.2);
        let v = Tensor::from_vec(values, shape, &dev).unwrap();
        t.insert(format!("{prefix}{name}"), v);
    };
    put("embeddings.word_embeddings.weight".into(), &[vocab, HIDDEN]);
    put(
        "embeddings.position_embeddings.weight".into(),
        &[positions, HIDDEN],
    );
    put(
        "embeddings.token_type_embeddings.weight".into(),
        &[1, HIDDEN],
    );
    for norm in ["embeddings.LayerNorm".to_string()]
        .into_iter()
        .chain((0..LAYERS).flat_map(|i| {
            [
                format!("encoder.layer.{i}.attention.output.LayerNorm"),
                format!("encoder.layer.{i}.output.LayerNorm"),
            ]
        }))
    {
        put(format!("{norm}.weight"), &[HIDDEN]);
        put(format!("{norm}.bias"), &[HIDDEN]);
    }
    for i in 0..LAYERS {
        let l = format!("encoder.layer.{i}.");
        for p in ["query", "key", "value"] {
            put(format!("{l}attention.self.{p}.weight"), &[HIDDEN, HIDDEN]);
            put(format!("{l}attention.self.{p}.bias"), &[HIDDEN]);
        }
        put(
            format!("{l}attention.output.dense.weight"),
            &[HIDDEN, HIDDEN],
        );
        put(format!("{l}attention.output.dense.bias"), &[HIDDEN]);
        put(format!("{l}intermediate.dense.weight"), &[INTER, HIDDEN]);
        put(format!("{l}intermediate.dense.bias"), &[INTER]);
        put(format!("{l}output.dense.weight"), &[HIDDEN, INTER]);
        put(format!("{l}output.dense.bias"), &[HIDDEN]);
    }
    // Store as f16, like the bundled model.
    t.into_iter()
        .map(|(k, v)| (k, v.to_dtype(DType::F16).unwrap()))
        .collect()
}

fn config(model_type: &str, vocab: usize, positions: usize, pad: u32) -> String {
    format!(
        r#"{{"model_type":"{model_type}","vocab_size":{vocab},"hidden_size":{HIDDEN},
        "num_hidden_layers":{LAYERS},"num_attention_heads":4,"intermediate_size":{INTER},
        "hidden_act":"gelu","max_position_embeddings":{positions},"type_vocab_size":1,
        "layer_norm_eps":1e-5,"pad_token_id":{pad},"hidden_dropout_prob":0.1}}"#
    )
}

const WORDS: &[&str] = &[
    "søknad",
    "om",
    "byggetillatelse",
    "for",
    "garasje",
    "vedtak",
    "klage",
    "møte",
    "kommune",
    "tekst",
    "a",
    "b",
    "c",
    "d",
    "e",
];

fn write_bert(dir: &Path) {
    let mut vocab: Vec<String> = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    vocab.extend(WORDS.iter().map(|s| s.to_string()));
    vocab.extend(WORDS.iter().map(|s| format!("##{s}")));
    let vocab_json: Vec<String> = vocab
        .iter()
        .enumerate()
        .map(|(i, w)| format!("\"{w}\":{i}"))
        .collect();
    let special = |id: usize, s: &str| {
        format!(
            r#"{{"id":{id},"content":"{s}","single_word":false,"lstrip":false,"rstrip":false,"normalized":false,"special":true}}"#
        )
    };
    let tokenizer = format!(
        r###"{{"version":"1.0","truncation":{{"direction":"Right","max_length":8,"strategy":"LongestFirst","stride":0}},
        "padding":{{"strategy":{{"Fixed":8}},"direction":"Right","pad_to_multiple_of":null,"pad_id":0,"pad_type_id":0,"pad_token":"[PAD]"}},
        "added_tokens":[{},{},{},{}],
        "normalizer":{{"type":"BertNormalizer","clean_text":true,"handle_chinese_chars":true,"strip_accents":null,"lowercase":true}},
        "pre_tokenizer":{{"type":"BertPreTokenizer"}},
        "post_processor":{{"type":"TemplateProcessing",
          "single":[{{"SpecialToken":{{"id":"[CLS]","type_id":0}}}},{{"Sequence":{{"id":"A","type_id":0}}}},{{"SpecialToken":{{"id":"[SEP]","type_id":0}}}}],
          "pair":[{{"SpecialToken":{{"id":"[CLS]","type_id":0}}}},{{"Sequence":{{"id":"A","type_id":0}}}},{{"SpecialToken":{{"id":"[SEP]","type_id":0}}}},{{"Sequence":{{"id":"B","type_id":1}}}},{{"SpecialToken":{{"id":"[SEP]","type_id":1}}}}],
          "special_tokens":{{"[CLS]":{{"id":"[CLS]","ids":[2],"tokens":["[CLS]"]}},"[SEP]":{{"id":"[SEP]","ids":[3],"tokens":["[SEP]"]}}}}}},
        "decoder":null,
        "model":{{"type":"WordPiece","unk_token":"[UNK]","continuing_subword_prefix":"##","max_input_chars_per_word":100,"vocab":{{{}}}}}}}"###,
        special(0, "[PAD]"),
        special(1, "[UNK]"),
        special(2, "[CLS]"),
        special(3, "[SEP]"),
        vocab_json.join(",")
    );
    std::fs::write(dir.join("tokenizer.json"), tokenizer).unwrap();
    std::fs::write(dir.join("config.json"), config("bert", vocab.len(), 64, 0)).unwrap();
    candle_core::safetensors::save(
        &encoder_tensors("bert.", vocab.len(), 64),
        dir.join("model.safetensors"),
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("1_Pooling")).unwrap();
    std::fs::write(
        dir.join("1_Pooling/config.json"),
        r#"{"word_embedding_dimension":32,"pooling_mode_cls_token":true,"pooling_mode_mean_tokens":false}"#,
    )
    .unwrap();
}

fn write_xlm_roberta(dir: &Path) {
    let mut pieces: Vec<(String, f64)> = ["<s>", "<pad>", "</s>", "<unk>"]
        .iter()
        .map(|s| (s.to_string(), 0.0))
        .collect();
    pieces.extend(WORDS.iter().map(|w| (format!("▁{w}"), -2.0)));
    pieces.extend(WORDS.iter().map(|w| (w.to_string(), -3.0)));
    pieces.extend(
        "abcdefghijklmnopqrstuvwxyzæøå▁"
            .chars()
            .map(|c| (c.to_string(), -8.0)),
    );
    let vocab: Vec<String> = pieces
        .iter()
        .map(|(p, s)| format!("[\"{p}\",{s:.1}]"))
        .collect();
    let special = |id: usize, s: &str| {
        format!(
            r#"{{"id":{id},"content":"{s}","single_word":false,"lstrip":false,"rstrip":false,"normalized":false,"special":true}}"#
        )
    };
    let tokenizer = format!(
        r#"{{"version":"1.0","truncation":null,"padding":null,
        "added_tokens":[{},{},{},{}],
        "normalizer":null,
        "pre_tokenizer":{{"type":"Metaspace","replacement":"▁","prepend_scheme":"always","split":true}},
        "post_processor":{{"type":"RobertaProcessing","sep":["</s>",2],"cls":["<s>",0],"trim_offsets":true,"add_prefix_space":true}},
        "decoder":null,
        "model":{{"type":"Unigram","unk_id":3,"vocab":[{}],"byte_fallback":false}}}}"#,
        special(0, "<s>"),
        special(1, "<pad>"),
        special(2, "</s>"),
        special(3, "<unk>"),
        vocab.join(",")
    );
    std::fs::write(dir.join("tokenizer.json"), tokenizer).unwrap();
    // RoBERTa positions start at pad_token_id + 1 = 2: 66 positions hold 64 tokens.
    std::fs::write(
        dir.join("config.json"),
        config("xlm-roberta", pieces.len(), 66, 1),
    )
    .unwrap();
    candle_core::safetensors::save(
        &encoder_tensors("", pieces.len(), 66),
        dir.join("model.safetensors"),
    )
    .unwrap();
}

fn assert_unit(v: &[f32], dim: usize) {
    assert_eq!(v.len(), dim);
    let n: f32 = v.iter().map(|x| x * x).sum();
    assert!((n - 1.0).abs() < 1e-4, "norm² {n}");
}

#[test]
fn tiny_bert_loads_and_embeds_with_cls_pooling() {
    let dir = tempfile::tempdir().unwrap();
    write_bert(dir.path());
    let e = Embedder::from_dir(dir.path(), &Device::Cpu).unwrap();
    assert_eq!(e.dim(), HIDDEN);
    assert_eq!(e.pooling(), Pooling::Cls);
    assert_eq!(e.max_tokens(), 64);
    // The tokenizer.json forces truncation and padding to 8: both are overridden.
    let text = "søknad om byggetillatelse for garasje vedtak klage møte kommune tekst";
    let out = e.embed_batch(&[text, "klage", ""]).unwrap();
    assert_eq!(out[0].tokens, 10);
    for o in &out {
        assert_unit(&o.vector, HIDDEN);
    }
    assert_ne!(out[0].vector, out[1].vector);
    // Batched and alone give the same vector: padding does not leak.
    let alone = e.embed("klage").unwrap();
    for (a, b) in alone.vector.iter().zip(&out[1].vector) {
        assert!((a - b).abs() < 1e-5);
    }
}

#[test]
fn tiny_xlm_roberta_loads_embeds_and_chunks() {
    let dir = tempfile::tempdir().unwrap();
    write_xlm_roberta(dir.path());
    let e = Embedder::from_dir_with(
        dir.path(),
        &Device::Cpu,
        EmbedOptions {
            overlap: 4,
            ..EmbedOptions::default()
        },
    )
    .unwrap();
    assert_eq!(e.pooling(), Pooling::Mean);
    assert_eq!(e.max_tokens(), 64);
    let long = "søknad om byggetillatelse for garasje ".repeat(40);
    let out = e.embed_batch(&["vedtak om klage", &long]).unwrap();
    assert_unit(&out[0].vector, HIDDEN);
    assert_unit(&out[1].vector, HIDDEN);
    assert!(out[1].chunks > 1);
    let short = e.embed("vedtak om klage").unwrap();
    for (a, b) in short.vector.iter().zip(&out[0].vector) {
        assert!((a - b).abs() < 1e-5, "padding leaked into the mean");
    }
}

#[test]
fn e5_passage_prompt_is_applied_when_configured() {
    let dir = tempfile::tempdir().unwrap();
    write_xlm_roberta(dir.path());
    let plain = Embedder::from_dir(dir.path(), &Device::Cpu).unwrap();
    std::fs::write(
        dir.path().join("config_sentence_transformers.json"),
        r#"{"prompts":{"query":"query: ","passage":"a b "},"default_prompt_name":null}"#,
    )
    .unwrap();
    let prompted = Embedder::from_dir(dir.path(), &Device::Cpu).unwrap();
    assert_ne!(plain.model_sha256(), prompted.model_sha256());
    let a = plain.embed("vedtak om klage").unwrap();
    let b = prompted.embed("vedtak om klage").unwrap();
    assert_eq!(a.tokens, b.tokens);
    let with_prefix = plain.embed("a b vedtak om klage").unwrap();
    for (x, y) in b.vector.iter().zip(&with_prefix.vector) {
        assert!((x - y).abs() < 1e-5);
    }
}

#[test]
fn unsupported_model_type_names_the_config() {
    let dir = tempfile::tempdir().unwrap();
    write_bert(dir.path());
    let cfg = std::fs::read_to_string(dir.path().join("config.json")).unwrap();
    std::fs::write(
        dir.path().join("config.json"),
        cfg.replace("\"bert\"", "\"gpt2\""),
    )
    .unwrap();
    let err = Embedder::from_dir(dir.path(), &Device::Cpu).err().unwrap();
    let msg = err.to_string();
    assert!(msg.contains("config.json") && msg.contains("gpt2"), "{msg}");
}
