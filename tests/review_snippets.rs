//! The reviewer's path through the command line, end to end: `synth` → `train` → `scan
//! --classifier` → `eval -o` → `compare`, then every Python snippet of the README's
//! "Reviewing in a notebook" and every code cell of `examples/review.ipynb` run against the
//! scan (pandas, polars, DuckDB; `.ci/install` installs them), so they never rot; the
//! notebook's decisions file trains a classifier.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `cmd` in `cwd`; its output (stdout then stderr), failing with `hint` when it fails.
fn run(cmd: &mut Command, cwd: &Path, hint: &str) -> String {
    let out = cmd.current_dir(cwd).output().expect("the command starts");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{hint} failed:\n{text}");
    text
}

fn arkivar(args: &[&str], cwd: &Path) -> String {
    let cmd = &mut Command::new(env!("CARGO_BIN_EXE_arkivar"));
    run(cmd.args(args), cwd, &format!("arkivar {args:?}"))
}

fn python(code: &str, cwd: &Path, out: &Path) -> String {
    let cmd = &mut Command::new("python3");
    let hint = format!(
        "this snippet (are pandas, polars and duckdb installed? .ci/run installs them):\n{code}\n---"
    );
    run(cmd.arg("-c").arg(code).env("ARKIVAR_OUT", out), cwd, &hint)
}

/// The ```python blocks of the README section `heading`.
fn readme_snippets(heading: &str) -> Vec<String> {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let start = readme.find(heading).expect("the section exists");
    let section = &readme[start + heading.len()..];
    let section = &section[..section.find("\n## ").unwrap_or(section.len())];
    section
        .split("```python\n")
        .skip(1)
        .map(|block| block[..block.find("```").expect("a closed block")].to_string())
        .collect()
}

#[test]
fn train_scan_eval_compare_and_the_notebook_snippets() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let sample = repo().join("datasets/sample");
    let sample = sample.to_str().unwrap();
    arkivar(
        &["synth", "-o", "history", "--docs", "300", "--seed", "3"],
        d,
    );
    let trained = arkivar(&["train", "history", "-o", "kommune.classifier"], d);
    assert!(trained.contains("klasse"), "{trained}");
    arkivar(
        &[
            "scan",
            sample,
            "-o",
            "OUT",
            "--classifier",
            "kommune.classifier",
            "-q",
        ],
        d,
    );
    let eval = arkivar(
        &[
            "eval",
            sample,
            "--classifier",
            "kommune.classifier",
            "-o",
            "eval",
        ],
        d,
    );
    assert!(
        eval.contains("accuracy") && eval.contains("klasse"),
        "{eval}"
    );
    assert!(d.join("eval/eval.json").is_file() && d.join("eval/eval.parquet").is_file());

    // The README's snippets, each on its own, against the scan in ./OUT.
    let snippets = readme_snippets("## Reviewing in a notebook");
    assert_eq!(snippets.len(), 3, "pandas, polars, DuckDB");
    for code in &snippets {
        let printed = python(code, d, &d.join("OUT"));
        assert!(printed.contains("klasse_suggested"), "{printed}");
    }

    // The notebook's code cells, in order, in one interpreter.
    let nb: serde_json::Value = serde_json::from_slice(
        &std::fs::read(repo().join("examples/review.ipynb")).expect("examples/review.ipynb"),
    )
    .expect("the notebook is JSON");
    let cells: Vec<String> = nb["cells"]
        .as_array()
        .expect("cells")
        .iter()
        .filter(|c| c["cell_type"] == "code")
        .map(|c| match &c["source"] {
            serde_json::Value::Array(lines) => lines.iter().filter_map(|l| l.as_str()).collect(),
            other => other.as_str().unwrap_or_default().to_string(),
        })
        .collect();
    assert!(cells.len() >= 4, "{} code cells", cells.len());
    let printed = python(&cells.join("\n"), d, &d.join("OUT"));
    assert!(printed.contains("needs_review"), "{printed}");
    // Its decisions cell wrote decisions.csv from the reviewer's choices: train learns them.
    let retrained = arkivar(
        &[
            "train",
            "history",
            sample,
            "--decisions",
            "decisions.csv",
            "-o",
            "decided.classifier",
        ],
        d,
    );
    assert!(
        retrained.contains("decisions: 3 used on 2 documents"),
        "{retrained}"
    );
    assert!(!retrained.contains("decision skipped"), "{retrained}");

    // compare on the same history, n-grams and the scikit-learn reference, three folds.
    let compared = arkivar(
        &[
            "compare",
            "history",
            "-o",
            "cmp",
            "--no-embed",
            "--folds",
            "3",
            "-q",
        ],
        d,
    );
    let table = std::fs::read_to_string(d.join("cmp/compare.md")).unwrap();
    assert!(table.contains("| ngrams |"), "{table}");
    assert!(d.join("cmp/compare.parquet").is_file());
    // Without scikit-learn the reference row is left out, and not checked (a failure under CI).
    if common::python_module(
        "sklearn",
        "bash .ci/install installs it (python3 -m pip install scikit-learn)",
    ) {
        assert!(table.contains("scikit-learn"), "{compared}");
    }
}
