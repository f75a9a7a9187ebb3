//! Scan throughput and peak memory on generated exports of two sizes.
//!
//! `cargo bench --bench scan` (sizes from `ARKIVAR_BENCH_DOCS`, default `1000,10000`). Each
//! scan runs the release `arkivar` binary as a child process, so its peak RSS is the scan's
//! alone. Flat memory shows as a peak that does not grow with the export.

use std::process::Command;
use std::time::Instant;

fn peak_rss_children_kib() -> i64 {
    // SAFETY: getrusage only writes into the struct we pass.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    usage.ru_maxrss
}

fn main() {
    let sizes: Vec<usize> = std::env::var("ARKIVAR_BENCH_DOCS")
        .unwrap_or_else(|_| "1000,10000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let bin = env!("CARGO_BIN_EXE_arkivar");
    let dir = tempfile::tempdir().expect("temp dir");
    for docs in sizes {
        let export = dir.path().join(format!("export-{docs}"));
        let t = Instant::now();
        arkivar::synth::generate(&export, docs, 7).expect("generate");
        let gen = t.elapsed().as_secs_f64();
        let out = dir.path().join(format!("out-{docs}"));
        let t = Instant::now();
        let status = Command::new(bin)
            .args(["scan", "--quiet", "-o"])
            .arg(&out)
            .arg(&export)
            .status()
            .expect("run arkivar");
        let secs = t.elapsed().as_secs_f64();
        assert!(status.success());
        // RUSAGE_CHILDREN reports the largest child so far; sizes run small to large.
        println!(
            "{docs:>7} docs: generated in {gen:.1} s; scan {secs:.2} s = {:.0} docs/s, peak RSS {:.1} MiB",
            docs as f64 / secs,
            peak_rss_children_kib() as f64 / 1024.0
        );
    }
}
