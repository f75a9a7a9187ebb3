"""Checks a paraphrase bank file of the shifted benchmark (datasets/shifted/banks/*.toml).

Usage: python3 check_banks.py FILE...   (exit 1 and a list of problems when a file is wrong)
"""
import re
import sys
import tomllib

SLOTS = {"navn", "adresse", "dato", "belop", "gnr", "bnr", "virksomhet", "sted"}
MIN_TITLES, MIN_SENTENCES = 6, 14


def trigrams(text):
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i:i + 3]) for i in range(len(words) - 2)}


def check(path):
    problems = []
    data = tomllib.load(open(path, "rb"))
    for c in data.get("class", []):
        cid = c.get("id", "?")
        banks = {}
        for b in ("a", "b"):
            bank = c.get(b)
            if not bank:
                problems.append(f"{cid}: bank {b} missing")
                continue
            titles, sentences = bank.get("titles", []), bank.get("sentences", [])
            if len(titles) < MIN_TITLES:
                problems.append(f"{cid}.{b}: {len(titles)} titles, want >= {MIN_TITLES}")
            if len(sentences) < MIN_SENTENCES:
                problems.append(f"{cid}.{b}: {len(sentences)} sentences, want >= {MIN_SENTENCES}")
            for t in titles + sentences:
                for slot in re.findall(r"\{([^}]*)\}", t):
                    if slot not in SLOTS:
                        problems.append(f"{cid}.{b}: unknown slot {{{slot}}} in {t!r}")
            banks[b] = titles + sentences
        if len(banks) == 2:
            shared = set(banks["a"]) & set(banks["b"])
            for s in shared:
                problems.append(f"{cid}: the same text in both banks: {s!r}")
            ta = set().union(*map(trigrams, banks["a"]))
            tb = set().union(*map(trigrams, banks["b"]))
            overlap = len(ta & tb) / max(1, min(len(ta), len(tb)))
            if overlap > 0.12:
                problems.append(
                    f"{cid}: banks share {overlap:.0%} of their word trigrams (want <= 12%): "
                    f"{sorted(' '.join(t) for t in ta & tb)[:12]}")
    return problems


if __name__ == "__main__":
    bad = False
    for f in sys.argv[1:]:
        for p in check(f):
            print(f"{f}: {p}")
            bad = True
    sys.exit(1 if bad else 0)
