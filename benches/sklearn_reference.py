"""The external reference of `arkivar compare`: scikit-learn TF-IDF + LogisticRegression.

`arkivar compare` writes the documents it compares on (title + text, the label of the head
measured, and the fold each document is tested in) and runs this script on the same folds, so
arkivar's numbers stand beside what a data scientist would reach for first. It prints one JSON
object with the same fields and the same metric definitions as arkivar's comparison rows.

Usage: python3 sklearn_reference.py INPUT.jsonl TIMED.json FOLDS
  INPUT.jsonl  one {"text", "label", "fold"} per line
  TIMED.json   a list of texts whose inference is timed (documents/s)
"""
import json
import pickle
import sys
import time

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score

ECE_BINS = 15
TARGET = 0.95


def make_model():
    # Character n-grams inside word boundaries, as arkivar's own n-grams; sublinear tf.
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True,
                                 min_df=2, lowercase=True)
    classifier = LogisticRegression(max_iter=1000, C=10.0, class_weight="balanced")
    return vectorizer, classifier


def ece(scores, right):
    """Expected calibration error, equal-width bins, as arkivar computes it."""
    scores = np.asarray(scores, dtype=float)
    right = np.asarray(right, dtype=float)
    bins = np.minimum((scores * ECE_BINS).astype(int), ECE_BINS - 1)
    total = 0.0
    for b in range(ECE_BINS):
        mask = bins == b
        if mask.any():
            total += mask.sum() * abs(right[mask].mean() - scores[mask].mean())
    return total / max(len(scores), 1)


def coverage_at(scores, right, target=TARGET):
    """The largest share accepted from the top score down whose precision is >= target
    (ties taken together), as arkivar computes it."""
    order = np.argsort(-np.asarray(scores), kind="stable")
    best, hits, i, n = 0.0, 0, 0, len(scores)
    while i < n:
        s = scores[order[i]]
        while i < n and scores[order[i]] == s:
            hits += int(right[order[i]])
            i += 1
        if hits >= target * i:
            best = i / n
    return best


def main(input_path, timed_path, folds):
    docs = [json.loads(line) for line in open(input_path, encoding="utf-8")]
    timed = json.load(open(timed_path, encoding="utf-8"))
    truth, top1, top3, scores = [], [], [], []
    train_seconds = 0.0
    model = None
    for f in range(folds):
        train = [d for d in docs if d["fold"] != f]
        test = [d for d in docs if d["fold"] == f]
        if not train or not test or len({d["label"] for d in train}) < 2:
            continue
        vectorizer, classifier = make_model()
        started = time.perf_counter()
        x = vectorizer.fit_transform([d["text"] for d in train])
        classifier.fit(x, [d["label"] for d in train])
        train_seconds += time.perf_counter() - started
        p = classifier.predict_proba(vectorizer.transform([d["text"] for d in test]))
        order = np.argsort(-p, axis=1)
        classes = classifier.classes_
        for d, row, o in zip(test, p, order):
            truth.append(d["label"])
            top1.append(classes[o[0]])
            top3.append(d["label"] in set(classes[o[:3]]))
            scores.append(float(row[o[0]]))
        model = (vectorizer, classifier)
    right = [t == p for t, p in zip(truth, top1)]
    vectorizer, classifier = model
    started = time.perf_counter()
    classifier.predict_proba(vectorizer.transform(timed))
    docs_per_second = len(timed) / max(time.perf_counter() - started, 1e-9)
    print(json.dumps({
        "candidate": "scikit-learn TF-IDF(char_wb 3-5)+LogisticRegression",
        "documents": len(truth),
        "accuracy": float(np.mean(right)),
        "macro_f1": float(f1_score(truth, top1, average="macro")),
        "top3_accuracy": float(np.mean(top3)),
        "ece": float(ece(scores, right)),
        "coverage_at_95": float(coverage_at(scores, right)),
        "train_seconds": train_seconds / folds,
        "docs_per_second": docs_per_second,
        "classifier_mb": len(pickle.dumps(model)) / 1e6,
        "encoder_mb": 0.0,
    }))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
