//! The embedding cache and the embeddings Parquet table.

use arkivar::embed::cache::EmbeddingCache;
use arkivar::embed::parquet::EmbeddingsWriter;
use arkivar::embed::{Device, Embedder};
use arrow::array::{Array, FixedSizeListArray, Float32Array, StringArray};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

#[test]
fn cache_returns_what_was_embedded_and_is_keyed_by_text() {
    let e = Embedder::default_model(&Device::Cpu).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cache = EmbeddingCache::open(dir.path()).unwrap();
    let texts = ["Møtebok for formannskapet", "Søknad om skjenkebevilling"];
    let first = cache.embed_batch(&e, &texts).unwrap();
    let key = EmbeddingCache::key(&e, texts[0]);
    assert_eq!(cache.get(&key, e.dim()).unwrap(), first[0]);
    assert_ne!(key, EmbeddingCache::key(&e, texts[1]));
    let again = cache.embed_batch(&e, &texts).unwrap();
    assert_eq!(first, again);
    assert_eq!(first, e.embed_batch(&texts).unwrap());
}

#[test]
fn parquet_table_holds_doc_ids_and_fixed_size_vectors() {
    let e = Embedder::default_model(&Device::Cpu).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("embeddings.parquet");
    let out = e
        .embed_batch(&["Første dokument", "Andre dokument"])
        .unwrap();
    let mut w = EmbeddingsWriter::create(&path, e.dim(), e.model_sha256()).unwrap();
    w.write("doc-1", &out[0]).unwrap();
    w.write("doc-2", &out[1]).unwrap();
    w.finish().unwrap();

    let reader = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(&path).unwrap())
        .unwrap()
        .build()
        .unwrap();
    let batch = reader.into_iter().next().unwrap().unwrap();
    let ids = batch
        .column(0)
        .as_any()
        .downcast_ref::<StringArray>()
        .unwrap();
    assert_eq!(ids.value(1), "doc-2");
    let vectors = batch
        .column(1)
        .as_any()
        .downcast_ref::<FixedSizeListArray>()
        .unwrap();
    assert_eq!(vectors.value_length() as usize, e.dim());
    let v = vectors.value(0);
    let v = v.as_any().downcast_ref::<Float32Array>().unwrap();
    assert_eq!(v.values().to_vec(), out[0].vector);
}
