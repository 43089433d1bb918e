#!/usr/bin/env python3
"""Hugging Face `generate` speed on the shape BartBench measures, for the Java ÷ HF rows of docs/benchmarks.md.

A bart-base-shaped BartForConditionalGeneration (d_model 768, 6+6 layers, 12 heads, FFN 3072, vocab 50265) with random
weights, CPU fp32, one intra-op thread; inputs of 64 random tokens; EOS suppressed (min = max = 32 new tokens) so every
row decodes exactly 32 tokens; greedy and beam 4 (length_penalty 1.0, early_stopping False, no n-gram blocking, no
forced BOS/EOS: the GenerationSettings BartBench passes), batch 1 and 8; tokens/s = batch x 32 / median wall seconds of
5 calls, encoder included, as BartBench counts them.

Given BartBench's printed table (--java FILE), also prints Java ÷ HF per cell. Run from the repository root, ideally
right after BartBench so both see the same machine load:

  java ... io.streamrag.inference.bench.BartBench | tee /tmp/bartbench.txt     # command in docs/benchmarks.md
  python3 -m venv /tmp/venv && /tmp/venv/bin/pip install torch==2.13.0+cpu transformers==5.18.0
  /tmp/venv/bin/python inference/src/test/python/bart_generate_bench.py --java /tmp/bartbench.txt

Bench only: the build and the tests never run Python.
"""
import argparse
import re
import statistics
import time

import torch
from transformers import BartConfig, BartForConditionalGeneration

INPUT_TOKENS = 64
NEW_TOKENS = 32
REPEATS = 5


def model():
    torch.manual_seed(42)
    config = BartConfig(vocab_size=50265, d_model=768, encoder_layers=6, decoder_layers=6,
                        encoder_attention_heads=12, decoder_attention_heads=12, encoder_ffn_dim=3072,
                        decoder_ffn_dim=3072, max_position_embeddings=1024, bos_token_id=0, pad_token_id=1,
                        eos_token_id=2, decoder_start_token_id=2, forced_bos_token_id=None,
                        forced_eos_token_id=None)
    return BartForConditionalGeneration(config).eval()


def inputs(batch, vocab):
    generator = torch.Generator().manual_seed(7)
    ids = torch.randint(4, vocab, (batch, INPUT_TOKENS), generator=generator)
    ids[:, 0] = 0
    ids[:, -1] = 2
    return ids


def generate(bart, ids, beams):
    with torch.inference_mode():
        out = bart.generate(input_ids=ids, attention_mask=torch.ones_like(ids), num_beams=beams,
                            num_return_sequences=1, max_new_tokens=NEW_TOKENS, min_new_tokens=NEW_TOKENS,
                            length_penalty=1.0, early_stopping=False, no_repeat_ngram_size=0, do_sample=False,
                            forced_bos_token_id=None, forced_eos_token_id=None, decoder_start_token_id=2,
                            eos_token_id=2, pad_token_id=1, use_cache=True)
    # decoder start + 32 new tokens per row: EOS suppression worked, so the work is the same as BartBench's
    assert out.shape[1] == 1 + NEW_TOKENS, out.shape
    return out


def tokens_per_second(bart, ids, beams):
    samples = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        generate(bart, ids, beams)
        samples.append(time.perf_counter() - start)
    return ids.shape[0] * NEW_TOKENS / statistics.median(samples)


def java_figures(path):
    """{(metric, batch): tokens/s} from BartBench's table rows 'greedy, 32 new tokens' and 'beam 4, 32 new tokens'."""
    figures = {}
    for line in open(path, encoding="utf-8"):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and re.match(r"(greedy|beam 4), 32 new tokens", cells[0]):
            metric = "greedy" if cells[0].startswith("greedy") else "beam 4"
            figures[(metric, 1)] = float(cells[1])
            figures[(metric, 8)] = float(cells[2])
    return figures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--java", help="BartBench output to compare with")
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    bart = model()
    hf = {}
    for batch in (1, 8):
        ids = inputs(batch, bart.config.vocab_size)
        generate(bart, ids, 4)  # warm-up
        for beams, metric in ((1, "greedy"), (4, "beam 4")):
            hf[(metric, batch)] = tokens_per_second(bart, ids, beams)
        print(f"batch {batch} done", flush=True)
    import transformers
    print(f"\nHugging Face transformers {transformers.__version__}, torch {torch.__version__}, 1 thread, "
          f"{INPUT_TOKENS} input tokens, {NEW_TOKENS} new tokens, median of {REPEATS}")
    java = java_figures(args.java) if args.java else {}
    if args.java and len(java) != 4:
        print(f"{args.java} has no complete BartBench table; printing Hugging Face figures only")
        java = {}
    header = "| metric (tokens/s) | HF batch 1 | HF batch 8 |"
    rule = "|---|---:|---:|"
    if java:
        header += " Java batch 1 | Java batch 8 | Java ÷ HF batch 1 | Java ÷ HF batch 8 |"
        rule += "---:|---:|---:|---:|"
    print(header)
    print(rule)
    for metric in ("greedy", "beam 4"):
        row = f"| {metric}, {NEW_TOKENS} new tokens | {hf[(metric, 1)]:.1f} | {hf[(metric, 8)]:.1f} |"
        if java:
            row += (f" {java[(metric, 1)]:.1f} | {java[(metric, 8)]:.1f} |"
                    f" {java[(metric, 1)] / hf[(metric, 1)]:.2f} | {java[(metric, 8)] / hf[(metric, 8)]:.2f} |")
        print(row)


if __name__ == "__main__":
    main()
