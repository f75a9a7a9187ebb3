//! The default model, all-MiniLM-L6-v2 with f16 weights, compiled into the binary.
//!
//! Compiled in rather than looked up beside the executable: `cargo install --path .` copies
//! only the binary, and a scan must work with no flag, no network and from any directory. The
//! cost is ~46 MB of binary; the linker drops it from binaries that never load the default.

pub(crate) const NAME: &str = "<built-in all-MiniLM-L6-v2>";
pub(crate) const CONFIG: &[u8] = include_bytes!("../../models/all-MiniLM-L6-v2/config.json");
pub(crate) const TOKENIZER: &[u8] = include_bytes!("../../models/all-MiniLM-L6-v2/tokenizer.json");
pub(crate) const WEIGHTS: &[u8] = include_bytes!("../../models/all-MiniLM-L6-v2/model.safetensors");
pub(crate) const POOLING: &[u8] =
    include_bytes!("../../models/all-MiniLM-L6-v2/1_Pooling/config.json");
pub(crate) const SENTENCE_BERT: &[u8] =
    include_bytes!("../../models/all-MiniLM-L6-v2/sentence_bert_config.json");
