"""The shifted benchmark, end to end (datasets/README.md): what README.md's numbers come from.

Writes a training export (bank a, 2016-2020) and a test export (bank b, 2023-2025), compares
every candidate held out on each head (`arkivar compare TRAIN --test TEST`, with the
scikit-learn reference), trains the default classifier, evaluates it on the test export, and
scans the test export with it: the automation rate (rows with needs_review = false) and the
share of those right on klasse, series and retention against the true classes in
shifted_truth.csv (the export's own labels are wrong for the misfiled cases).

Usage: python3 benches/shifted_benchmark.py ARKIVAR WORKDIR [--train N] [--test N]
          [--seeds TRAIN_SEED TEST_SEED] [--models DIR...]
"""
import argparse
import csv
import os
import subprocess
import sys
import tomllib

import pandas as pd


def run(*args):
    subprocess.run([str(a) for a in args], check=True, stdout=subprocess.DEVNULL)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("arkivar")
    p.add_argument("workdir")
    p.add_argument("--train", type=int, default=3000)
    p.add_argument("--test", type=int, default=1500)
    p.add_argument("--seeds", type=int, nargs=2, default=[1, 2])
    p.add_argument("--models", nargs="*", default=None)
    a = p.parse_args()
    w = a.workdir
    train, test = os.path.join(w, "train"), os.path.join(w, "test")
    if not os.path.exists(train):
        run(a.arkivar, "synth", "--shifted", "train", "--docs", a.train, "--seed", a.seeds[0], "-o", train)
        run(a.arkivar, "synth", "--shifted", "test", "--docs", a.test, "--seed", a.seeds[1], "-o", test)
    embed = ["--no-embed"] if a.models is None else (["--models", *a.models] if a.models else [])
    for head in ["klasse", "series", "retention", "screening"]:
        out = os.path.join(w, f"compare-{head}")
        run(a.arkivar, "compare", train, "--test", test, "-o", out, "--head", head, *embed)
        print(open(os.path.join(out, "compare.md"), encoding="utf-8").read())
    classifier = os.path.join(w, "classifier.safetensors")
    run(a.arkivar, "train", train, "-o", classifier)
    ev = subprocess.run([a.arkivar, "eval", "--classifier", classifier, test],
                        check=True, capture_output=True, text=True).stdout
    print("\n".join(ev.splitlines()[1:7]))
    scan = os.path.join(w, "scan")
    run(a.arkivar, "scan", test, "-o", scan, "--classifier", classifier, "--no-embed", "--quiet",
        "--overwrite")

    catalog = tomllib.load(open(os.path.join(os.path.dirname(__file__), "..", "datasets",
                                             "catalog", "default.toml"), "rb"))
    series = {s["id"]: s["title"] for s in catalog["series"]}
    classes = {c["id"]: c for c in catalog["class"]}
    truth = {r["doc_id"]: r["true_klasse"] for r in csv.DictReader(open(os.path.join(test, "shifted_truth.csv")))}
    df = pd.read_parquet(scan)
    df["true_klasse"] = df.doc_id.map(truth)
    df["true_series"] = df.true_klasse.map(lambda k: series[classes[k]["series"]])
    df["true_retention"] = df.true_klasse.map(lambda k: classes[k]["retention"]["vedtak"])
    auto = df[~df.needs_review]
    right = ((auto.klasse_suggested == auto.true_klasse)
             & (auto.series_suggested == auto.true_series)
             & (auto.retention_suggested == auto.true_retention))
    print(f"automation rate {len(auto) / len(df):.3f} ({len(auto)} of {len(df)} rows); "
          f"right on klasse, series and retention: {right.mean():.4f}")
    print(df.review_reasons.explode().value_counts().to_string())


if __name__ == "__main__":
    sys.exit(main())
