#!/usr/bin/env python3
"""PyTorch side of `cargo bench --bench embed`: sentence-transformers on the CPU.

Reads {"model": DIR, "threads": N, "max_tokens": [..], "texts": [..]} as JSON on stdin, embeds
the texts at each max length (one warm-up pass first), and prints one JSON line per length:
{"max_tokens", "seconds", "docs", "tokens"}. Tokens count special tokens, as the Rust side does.
"""
import json
import sys
import time

import torch
from sentence_transformers import SentenceTransformer


def main():
    job = json.load(sys.stdin)
    torch.set_num_threads(job["threads"])
    model = SentenceTransformer(job["model"], device="cpu")
    model.eval()
    texts = job["texts"]
    for max_tokens in job["max_tokens"]:
        model.max_seq_length = max_tokens
        tokens = sum(min(len(x), max_tokens) for x in model.tokenizer(texts)["input_ids"])
        model.encode(texts[:64], batch_size=32)
        best = None
        for _ in range(job.get("repeats", 2)):
            t = time.perf_counter()
            with torch.inference_mode():
                model.encode(texts, batch_size=32)
            s = time.perf_counter() - t
            best = s if best is None else min(best, s)
        print(json.dumps({"max_tokens": max_tokens, "seconds": best, "docs": len(texts),
                          "tokens": tokens, "torch": torch.__version__}), flush=True)


if __name__ == "__main__":
    main()
