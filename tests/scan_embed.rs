//! The embedding stage inside a scan: every document with text gets a vector from the
//! built-in model, the review table says which model and whether the text was cut, the
//! embeddings table and the cache hold what was computed, and a resumed scan keeps the
//! vectors of the run before it.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arkivar::embed::{Device, EmbedOptions, Embedder};
use arkivar::pipeline::{scan, ScanOptions};
use arrow::array::{Array, AsArray};
use arrow::datatypes::Float32Type;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/sample")
}

/// doc_id → (vector, truncated) from an embeddings table.
fn read_vectors(path: &Path) -> HashMap<String, (Vec<f32>, bool)> {
    let file = std::fs::File::open(path).unwrap();
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
    let kv = builder
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .cloned();
    assert!(kv
        .unwrap()
        .iter()
        .any(|k| k.key == "arkivar.model_sha256"
            && k.value.as_deref().is_some_and(|v| v.len() == 64)));
    let mut out = HashMap::new();
    for batch in builder.build().unwrap() {
        let batch = batch.unwrap();
        let ids = batch.column_by_name("doc_id").unwrap().as_string::<i32>();
        let vectors = batch.column_by_name("vector").unwrap().as_fixed_size_list();
        let truncated = batch.column_by_name("truncated").unwrap().as_boolean();
        for r in 0..batch.num_rows() {
            let v = vectors.value(r);
            let v = v.as_primitive::<Float32Type>().values().to_vec();
            out.insert(ids.value(r).to_string(), (v, truncated.value(r)));
        }
    }
    out
}

/// doc_id → (model_id, text_truncated, extract_status) from a review table.
fn read_rows(out: &Path) -> HashMap<String, (Option<String>, Option<bool>, String)> {
    let mut rows = HashMap::new();
    for batch in common::review_batches(out) {
        let ids = batch.column_by_name("doc_id").unwrap().as_string::<i32>();
        let model = arrow::compute::cast(
            batch.column_by_name("model_id").unwrap(),
            &arrow::datatypes::DataType::Utf8,
        )
        .unwrap();
        let model = model.as_string::<i32>();
        let truncated = batch.column_by_name("text_truncated").unwrap().as_boolean();
        let status = arrow::compute::cast(
            batch.column_by_name("extract_status").unwrap(),
            &arrow::datatypes::DataType::Utf8,
        )
        .unwrap();
        let status = status.as_string::<i32>();
        for r in 0..batch.num_rows() {
            rows.insert(
                ids.value(r).to_string(),
                (
                    model.is_valid(r).then(|| model.value(r).to_string()),
                    truncated.is_valid(r).then(|| truncated.value(r)),
                    status.value(r).to_string(),
                ),
            );
        }
    }
    rows
}

fn options(out: &Path, embedder: &Arc<Embedder>) -> ScanOptions {
    ScanOptions {
        embedder: Some(embedder.clone()),
        embed_cache: Some(out.join("_embed_cache")),
        embeddings_out: Some(out.join("_embeddings.parquet")),
        ..ScanOptions::new(sample(), out)
    }
}

#[test]
fn scan_embeds_every_document_with_text_and_caches_the_vectors() {
    let embedder = Arc::new(Embedder::default_model(&Device::Cpu).unwrap());
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let summary = scan(&options(&out, &embedder)).unwrap();

    let rows = read_rows(&out);
    let vectors = read_vectors(&out.join("_embeddings.parquet"));
    let with_text: Vec<&String> = rows
        .iter()
        .filter(|(_, (_, _, status))| status == "ok")
        .map(|(id, _)| id)
        .collect();
    assert!(with_text.len() >= 30, "the sample has text documents");
    assert_eq!(vectors.len(), with_text.len());
    assert_eq!(summary.embedded as usize, with_text.len());
    for (id, (model, truncated, status)) in &rows {
        if status == "ok" {
            assert_eq!(model.as_deref(), Some(embedder.model_id().as_str()), "{id}");
            assert_eq!(*truncated, Some(false), "{id}: sample letters are short");
            let (v, _) = &vectors[id];
            assert_eq!(v.len(), embedder.dim());
            let norm: f32 = v.iter().map(|x| x * x).sum::<f32>().sqrt();
            assert!((norm - 1.0).abs() < 1e-4, "{id}: norm {norm}");
        } else {
            assert_eq!(
                (model, truncated),
                (&None, &None),
                "{id}: no text, no vector"
            );
            assert!(!vectors.contains_key(id));
        }
    }
    // The vectors are the model's own for the extracted text.
    let one = with_text[0];
    let text = {
        let reference = arkivar::synth::truth::read_truth(&sample().join("truth.parquet"))
            .unwrap()
            .into_iter()
            .find(|d| &d.doc_id == one)
            .map(|d| d.reference)
            .unwrap();
        let bytes = std::fs::read(sample().join(&reference)).unwrap();
        arkivar::extract::extract_bytes(&bytes, Some(&reference), &Default::default()).text
    };
    let alone = embedder.embed(&text).unwrap().vector;
    let cosine: f32 = alone.iter().zip(&vectors[one].0).map(|(a, b)| a * b).sum();
    assert!(
        cosine > 0.9999,
        "{cosine}: padding in a batch moves the sums a little, no more"
    );

    // Without a classifier the catalogue suggests, with low scores and a review reason.
    for batch in common::review_batches(&out) {
        let status = arrow::compute::cast(
            batch.column_by_name("extract_status").unwrap(),
            &arrow::datatypes::DataType::Utf8,
        )
        .unwrap();
        let klasse = arrow::compute::cast(
            batch.column_by_name("klasse_suggested").unwrap(),
            &arrow::datatypes::DataType::Utf8,
        )
        .unwrap();
        let score = batch.column_by_name("klasse_score").unwrap();
        let score = score.as_primitive::<Float32Type>();
        let reasons = batch
            .column_by_name("review_reasons")
            .unwrap()
            .as_list::<i32>();
        let needs = batch.column_by_name("needs_review").unwrap().as_boolean();
        for r in 0..batch.num_rows() {
            assert!(needs.value(r));
            let reasons = reasons.value(r);
            let reasons =
                arrow::compute::cast(&reasons, &arrow::datatypes::DataType::Utf8).unwrap();
            let reasons: Vec<&str> = reasons.as_string::<i32>().iter().flatten().collect();
            if status.as_string::<i32>().value(r) == "ok" {
                assert!(klasse.is_valid(r));
                assert!(score.value(r) > 0.0 && score.value(r) <= 0.5);
                assert!(reasons.contains(&"catalogue_only"), "{reasons:?}");
            } else {
                assert!(klasse.is_null(r));
                assert!(reasons.contains(&"no_suggestion"), "{reasons:?}");
            }
        }
    }

    // A second scan reads every vector from the cache: same vectors, no new cache entries.
    let entries = common::files_under(&out.join("_embed_cache")).len();
    assert_eq!(entries, with_text.len());
    let again = dir.path().join("again");
    scan(&ScanOptions {
        embed_cache: Some(out.join("_embed_cache")),
        ..options(&again, &embedder)
    })
    .unwrap();
    assert_eq!(read_vectors(&again.join("_embeddings.parquet")), vectors);
    assert_eq!(
        common::files_under(&out.join("_embed_cache")).len(),
        entries
    );
}

#[test]
fn long_texts_are_marked_truncated_and_a_resumed_scan_keeps_earlier_vectors() {
    // One window per document at most: every sample letter is longer than 16 tokens.
    let options_small = EmbedOptions {
        max_tokens: Some(16),
        overlap: 4,
        max_chunks: 1,
        ..EmbedOptions::default()
    };
    let embedder = Arc::new(Embedder::default_model_with(&Device::Cpu, options_small).unwrap());
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let first = ScanOptions {
        part_rows: 10,
        ..options(&out, &embedder)
    };
    scan(&first).unwrap();
    let all_rows = read_rows(&out);
    let all_vectors = read_vectors(&out.join("_embeddings.parquet"));
    assert!(all_rows
        .values()
        .filter(|(_, _, s)| s == "ok")
        .all(|(_, t, _)| *t == Some(true)));
    assert!(all_vectors.values().all(|(_, t)| *t));

    // Pretend the run stopped after two parts: drop the later parts, resume.
    let mut parts: Vec<PathBuf> = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("part-")
        })
        .collect();
    parts.sort();
    assert!(parts.len() >= 3);
    for p in &parts[2..] {
        std::fs::remove_file(p).unwrap();
    }
    let resumed = ScanOptions {
        resume: true,
        ..first.clone()
    };
    let summary = scan(&resumed).unwrap();
    assert!(summary.resumed_skipped == 20);
    assert_eq!(read_rows(&out), all_rows);
    assert_eq!(read_vectors(&out.join("_embeddings.parquet")), all_vectors);
}

#[test]
fn a_table_from_another_model_is_not_mixed_in() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let a = Arc::new(Embedder::default_model(&Device::Cpu).unwrap());
    let opts = ScanOptions {
        part_rows: 10,
        ..options(&out, &a)
    };
    scan(&opts).unwrap();
    std::fs::remove_file(out.join("part-00003.parquet")).unwrap();
    // A table written by other weights is refused, with a message naming the file.
    let foreign = out.join("_embeddings.parquet");
    let mut w = arkivar::embed::parquet::EmbeddingsWriter::create(
        &foreign,
        a.dim(),
        "0".repeat(64).as_str(),
    )
    .unwrap();
    w.write("x", &a.embed("x").unwrap()).unwrap();
    w.finish().unwrap();
    let err = scan(&ScanOptions {
        resume: true,
        ..opts.clone()
    })
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("_embeddings.parquet") && err.contains("another --embeddings-out"),
        "{err}"
    );

    // A table among the part files would be read as review rows: refused before any work.
    let err = scan(&ScanOptions {
        embeddings_out: Some(out.join("vectors.parquet")),
        overwrite: true,
        ..opts
    })
    .unwrap_err();
    assert!(
        matches!(err, arkivar::pipeline::ScanError::EmbeddingsAmongParts(_)),
        "{err}"
    );
}
