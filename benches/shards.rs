//! Shards: throughput of 1, 2 and 4 shards of one export on this machine, and what `--shard`
//! costs each shard (every shard streams the whole `arkivstruktur.xml`, checksumming it in the
//! same pass).
//!
//! `cargo bench --bench shards`. Variables:
//! - `ARKIVAR_BENCH_DOCS` (default 600): documents of the generated export the shards scan;
//! - `ARKIVAR_BENCH_BIG_EXPORT`: an export whose XML the overhead is measured on (for the
//!   README: `arkivar synth -o BIG --docs 1000000`); default a generated 20 000-document one.
//!
//! Throughput: N shard processes run at once, each `--threads max(1, cores/N)`, with
//! embeddings (the built-in model, no cache) and without; docs/s is the export's documents
//! over the wall time from the first start to the last exit. Ideal is flat per core: N
//! shards on the same cores should do what one scan with all of them does.
//!
//! Overhead: the reader's one pass over the XML (every `DocRef` built, its shard hashed, the
//! file's SHA-256 taken from the same bytes), and the progress bar's count (a scan with a
//! terminal), each timed alone; then, at the measured per-core rates, the share of a shard's time they take for
//! N = 8, 64 and 512 shards of that export.
//!
//! Results on the 2-core build machine (2026-12-06; README "Performance"): with embeddings
//! 10.1 docs/s for one scan, 11.3 for 2 shards × 1 thread, 11.1 for 4 shards (flat per core);
//! the pass over a 1 000 000-dokumentobjekt, 3 019 MiB `arkivstruktur.xml` took 39.5 s a shard
//! (the checksum from the same bytes; a separate read would add 4.5 s): 0.3% of a shard's time
//! at 8 shards with embeddings, 2.5% at 64, 17% at 512.

use std::path::Path;
use std::process::{Child, Command};
use std::time::Instant;

use arkivar::pipeline::shard::shard_of;
use arkivar::source::noark5::count_dokumentobjekt;
use arkivar::source::{open_export, ExportKind, SourceItem};

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Runs N shards of `export` at once; seconds from the first start to the last exit.
fn run_shards(bin: &str, export: &Path, out: &Path, n: u32, embed: bool) -> f64 {
    let threads = (cores() / n as usize).max(1);
    let t = Instant::now();
    let children: Vec<Child> = (0..n)
        .map(|k| {
            let mut c = Command::new(bin);
            c.args(["scan", "--quiet", "--no-embed-cache", "--threads"])
                .arg(threads.to_string())
                .arg("--shard")
                .arg(format!("{k}/{n}"))
                .arg("-o")
                .arg(out)
                .arg(export);
            if !embed {
                c.arg("--no-embed");
            }
            c.spawn().expect("run arkivar")
        })
        .collect();
    for mut c in children {
        assert!(c.wait().expect("wait").success());
    }
    t.elapsed().as_secs_f64()
}

fn main() {
    let bin = env!("CARGO_BIN_EXE_arkivar");
    let docs: usize = std::env::var("ARKIVAR_BENCH_DOCS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(600);
    let dir = tempfile::tempdir().expect("temp dir");
    let export = dir.path().join("export");
    arkivar::synth::generate(&export, docs, 17).expect("generate");
    println!("cores: {}; export: {docs} generated documents", cores());

    let mut per_core = Vec::new();
    for embed in [true, false] {
        let mut base = 0.0;
        for n in [1u32, 2, 4] {
            let out = dir.path().join(format!("out-{embed}-{n}"));
            let secs = run_shards(bin, &export, &out, n, embed);
            let verified = Command::new(bin)
                .arg("verify")
                .arg(&out)
                .output()
                .expect("verify");
            assert!(verified.status.success(), "shards do not add up");
            let rate = docs as f64 / secs;
            if n == 1 {
                base = rate;
                per_core.push(rate / cores() as f64);
            }
            println!(
                "{:<14} {n} shard(s) × {} thread(s): {secs:6.1} s, {rate:7.1} docs/s ({:.2}× one scan)",
                if embed { "with embedding" } else { "no embedding" },
                (cores() / n as usize).max(1),
                rate / base
            );
        }
    }

    let big = match std::env::var("ARKIVAR_BENCH_BIG_EXPORT") {
        Ok(p) => p.into(),
        Err(_) => {
            let p = dir.path().join("big");
            arkivar::synth::generate(&p, 20_000, 18).expect("generate");
            p
        }
    };
    let opened = open_export(&big).expect("open the big export");
    let ExportKind::Noark5 { arkivstruktur, .. } = &opened.kind else {
        panic!("{} is not a Noark 5 export", big.display());
    };
    let xml_mib = std::fs::metadata(arkivstruktur).map_or(0, |m| m.len()) as f64 / 1048576.0;
    let t = Instant::now();
    let mut n_docs = 0u64;
    let mut owned = 0u64;
    let mut documents = opened.documents().expect("documents");
    for item in documents.by_ref() {
        if let Ok(SourceItem::Doc(doc)) = item {
            n_docs += 1;
            owned += u64::from(shard_of(&doc.doc_id, 8) == 0);
        }
    }
    let stream = t.elapsed().as_secs_f64();
    let t = Instant::now();
    documents
        .sha256()
        .expect("a Noark 5 export")
        .expect("checksum");
    let sha_rest = t.elapsed().as_secs_f64();
    let t = Instant::now();
    arkivar::source::checksum::HashingFile::open(arkivstruktur)
        .and_then(|mut f| f.sha256())
        .expect("checksum");
    let sha_alone = t.elapsed().as_secs_f64();
    let t = Instant::now();
    count_dokumentobjekt(arkivstruktur).expect("count");
    let count = t.elapsed().as_secs_f64();
    println!(
        "big export: {n_docs} dokumentobjekt, arkivstruktur.xml {xml_mib:.0} MiB ({owned} in shard 0/8)"
    );
    println!(
        "per shard: one pass over the XML — parse, every doc_id's shard, the file's SHA-256 \
         as it is read — {stream:.1} s ({:.0} MiB/s; finishing the checksum {sha_rest:.2} s; \
         the SHA-256 alone, a separate read, would be {sha_alone:.1} s); progress count \
         {count:.1} s (only with a terminal)",
        xml_mib / stream
    );
    let fixed = stream + sha_rest;
    for (label, rate) in ["with embedding", "no embedding"].iter().zip(&per_core) {
        for n in [8u32, 64, 512] {
            // A shard on `cores()` cores scans its share at the one-scan rate.
            let work = n_docs as f64 / f64::from(n) / (rate * cores() as f64);
            println!(
                "{label:<14} {n:>3} shards of {n_docs}: a shard's share takes {work:8.0} s, the \
                 XML passes {fixed:.1} s = {:.2}% overhead",
                100.0 * fixed / (work + fixed)
            );
        }
    }
}
