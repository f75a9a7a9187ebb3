#!/usr/bin/env python3
"""sentence-transformers' side of `cargo bench --bench scan_embed`, as a user would run it.

Reads {"model": DIR, "threads": N, "max_tokens": M, "files": [..]} as JSON on stdin; reads the
text files, loads the model, encodes every text once (batch_size=32, as `encode` defaults),
and prints one JSON line: {"load_s", "encode_s", "docs", "tokens", "torch"}. The caller times
the whole process from outside; `encode_s` is the steady state (no warm-up is subtracted: a
scan gets none either). Tokens count special tokens, cut at `max_tokens`, as the Rust side.
"""
import json
import sys
import time

import torch
from sentence_transformers import SentenceTransformer


def main():
    job = json.load(sys.stdin)
    torch.set_num_threads(job["threads"])
    texts = []
    for path in job["files"]:
        with open(path, encoding="utf-8") as f:
            texts.append(f.read())
    t = time.perf_counter()
    model = SentenceTransformer(job["model"], device="cpu")
    model.eval()
    model.max_seq_length = job["max_tokens"]
    load_s = time.perf_counter() - t
    tokens = sum(min(len(x), job["max_tokens"]) for x in model.tokenizer(texts)["input_ids"])
    t = time.perf_counter()
    with torch.inference_mode():
        model.encode(texts, batch_size=32)
    encode_s = time.perf_counter() - t
    print(json.dumps({"load_s": load_s, "encode_s": encode_s, "docs": len(texts),
                      "tokens": tokens, "torch": torch.__version__}), flush=True)


if __name__ == "__main__":
    main()
