"""Which rows to review first: the review loop measured on the shifted benchmark.

A classifier trained on one kommune's classified history (the shifted benchmark's training
side) scans a plain folder of another's documents in other wording (the test side's files: no
labels). A reviewer then decides the klasse of the first k rows of the review table — in the
scan's priority order, or k rows at random — the classifier is trained again on the history and
the folder with those decisions, and the folder is scanned again. Reported on the rows nobody
decided: klasse accuracy against the true classes, the automation rate (needs_review = false)
and the accuracy of the automated rows.

Orders compared:
- priority: `arkivar queue --order risk` — `review_priority` (highest first), ties by
  `klasse_score` (least certain first), what a reviewer working down the queue does;
- spread: `arkivar queue --order learn` — the same, taken round-robin over the suggested
  klasser (the least certain row of each class, then the next of each, ...);
- random: k rows drawn at random (seeded).

Usage: python3 benches/active_learning.py ARKIVAR WORKDIR [--train N] [--test N] [--seeds A B]
          [--ks 25 50 100 200] [--plot FILE.png]
"""
import argparse
import csv
import os
import random
import subprocess

import pandas as pd


def run(*args):
    subprocess.run([str(a) for a in args], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def scan(arkivar, folder, classifier, out):
    run(arkivar, "scan", folder, "-o", out, "--classifier", classifier, "--no-embed", "--quiet",
        "--overwrite")
    return pd.read_parquet(out)


def order(arkivar, scanned, df, how, seed):
    """The doc_ids in the order `how`: `arkivar queue` for the scan's own orders."""
    if how == "random":
        ids = list(df.doc_id)
        random.Random(seed).shuffle(ids)
        return ids
    out = subprocess.run([str(arkivar), "queue", scanned, "--order",
                          {"priority": "risk", "spread": "learn"}[how]],
                         check=True, capture_output=True, text=True).stdout
    return [r["doc_id"] for r in csv.DictReader(out.splitlines())]


def measure(df, truth, decided):
    rest = df[~df.doc_id.isin(decided)]
    right = rest.klasse_suggested == rest.doc_id.map(truth)
    auto = ~rest.needs_review
    return right.mean(), auto.mean(), (right[auto].mean() if auto.any() else float("nan"))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("arkivar")
    p.add_argument("workdir")
    p.add_argument("--train", type=int, default=3000)
    p.add_argument("--test", type=int, default=1500)
    p.add_argument("--seeds", type=int, nargs=2, default=[1, 2])
    p.add_argument("--ks", type=int, nargs="+", default=[25, 50, 100, 200])
    p.add_argument("--plot")
    a = p.parse_args()
    w = a.workdir
    history, other = os.path.join(w, "history"), os.path.join(w, "other")
    if not os.path.exists(history):
        run(a.arkivar, "synth", "--shifted", "train", "--docs", a.train, "--seed", a.seeds[0], "-o", history)
        run(a.arkivar, "synth", "--shifted", "test", "--docs", a.test, "--seed", a.seeds[1], "-o", other)
    folder = os.path.join(other, "dokumenter")
    truth = {r["reference"].removeprefix("dokumenter/"): r["true_klasse"]
             for r in csv.DictReader(open(os.path.join(other, "shifted_truth.csv"), encoding="utf-8"))}

    base = os.path.join(w, "base.classifier")
    run(a.arkivar, "train", history, folder, "-o", base, "--quiet")
    scanned = os.path.join(w, "scan-0")
    first = scan(a.arkivar, folder, base, scanned)
    acc, auto, auto_acc = measure(first, truth, set())
    print(f"{len(first)} documents; before any decision: klasse right {acc:.3f}, automated "
          f"{auto:.3f} (right {auto_acc:.3f})")
    print("| order | k | klasse right (rest) | automated (rest) | automated right |")
    print("|---|---|---|---|---|")
    print(f"| none | 0 | {acc:.3f} | {auto:.3f} | {auto_acc:.3f} |")
    curves = {}
    for how in ["priority", "spread", "random"]:
        ranked = order(a.arkivar, scanned, first, how, a.seeds[1])
        for k in a.ks:
            decided = ranked[:k]
            path = os.path.join(w, f"decisions-{how}-{k}.csv")
            with open(path, "w", newline="", encoding="utf-8") as f:
                out = csv.writer(f)
                out.writerow(["doc_id", "field", "value", "decided_by", "decided_at", "note"])
                for doc_id in decided:
                    out.writerow([doc_id, "klasse", truth[doc_id], "bench", "2026-12-06", how])
            classifier = os.path.join(w, f"c-{how}-{k}.classifier")
            run(a.arkivar, "train", history, folder, "--decisions", path, "-o", classifier, "--quiet")
            df = scan(a.arkivar, folder, classifier, os.path.join(w, f"scan-{how}-{k}"))
            acc_k, auto_k, auto_acc_k = measure(df, truth, set(decided))
            curves.setdefault(how, []).append((k, acc_k, auto_k))
            print(f"| {how} | {k} | {acc_k:.3f} | {auto_k:.3f} | {auto_acc_k:.3f} |", flush=True)
    if a.plot:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        fig, axes = plt.subplots(1, 2, figsize=(9, 3.5))
        for how, points in curves.items():
            ks = [0] + [k for k, _, _ in points]
            axes[0].plot(ks, [acc] + [x for _, x, _ in points], marker="o", label=how)
            axes[1].plot(ks, [auto] + [y for _, _, y in points], marker="o", label=how)
        axes[0].set(xlabel="rows decided", ylabel="klasse right (rest)")
        axes[1].set(xlabel="rows decided", ylabel="automated (rest)")
        axes[0].legend()
        fig.tight_layout()
        fig.savefig(a.plot, dpi=110)


if __name__ == "__main__":
    main()
