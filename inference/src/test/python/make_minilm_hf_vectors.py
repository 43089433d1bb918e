#!/usr/bin/env python3
"""Reference sentence vectors for all-MiniLM-L6-v2 from the REAL Hugging Face implementation.

transformers' BertModel on the fixture's model.safetensors + tokenizer.json, mean pooling over the attention mask and
L2 normalisation (what the model's sentence-transformers config says), one padded batch. Writes
inference/src/test/resources/embed/minilm_hf_vectors.json; OrtSentenceEmbedderGoldenTest compares the ONNX graph we
build from the same checkpoint against it.

Run (from the repository root):
  /tmp/venv/bin/python inference/src/test/python/make_minilm_hf_vectors.py [fixture folder]
Needs torch 2.13 (cpu), transformers 5.18, tokenizers. The Java tests never run this script.
"""
import json
import sys
from pathlib import Path

import torch
from tokenizers import Tokenizer
from transformers import BertConfig, BertModel

ROOT = Path(__file__).resolve().parents[1] / "resources" / "embed"
FIXTURE = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/fixtures/all-MiniLM-L6-v2")

TEXTS = [
    "",
    "a",
    "Who won the world series in 2020?",
    "The Los Angeles Dodgers won the 2020 World Series.",
    "Kafka Streams processes records one at a time with exactly-once semantics.",
    "PostgreSQL logical decoding emits inserts, updates and deletes.",
    "Paris est la capitale de la France.",
    "東京は日本の首都です。",
    "def embed(texts): return [model(t) for t in texts]  # code",
    "Émigré café naïve résumé — 100% ✓",
    "Retrieval-augmented generation marginalises over the retrieved passages; " * 4,
]


def main():
    torch.manual_seed(0)
    config = BertConfig.from_pretrained(FIXTURE)
    model = BertModel.from_pretrained(FIXTURE, config=config, add_pooling_layer=False).eval()
    tokenizer = Tokenizer.from_file(str(FIXTURE / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()  # the fixture tokenizer.json pads to 128; pad per batch with a mask instead
    encodings = tokenizer.encode_batch(TEXTS)
    width = max(len(e.ids) for e in encodings)
    ids = torch.zeros((len(TEXTS), width), dtype=torch.long)
    mask = torch.zeros((len(TEXTS), width), dtype=torch.long)
    for row, e in enumerate(encodings):
        ids[row, :len(e.ids)] = torch.tensor(e.ids)
        mask[row, :len(e.ids)] = 1
    with torch.inference_mode():
        hidden = model(input_ids=ids, attention_mask=mask, token_type_ids=torch.zeros_like(ids)).last_hidden_state
        weights = mask.unsqueeze(-1).float()
        pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
        vectors = torch.nn.functional.normalize(pooled, p=2, dim=1)
    ROOT.mkdir(parents=True, exist_ok=True)
    out = {
        "model": "sentence-transformers/all-MiniLM-L6-v2 (fixture weights)",
        "made_with": "transformers BertModel, mean pooling over the attention mask, L2-normalised, one padded batch",
        "texts": TEXTS,
        "token_counts": [len(e.ids) for e in encodings],
        "vectors": [[round(float(v), 7) for v in row] for row in vectors],
    }
    (ROOT / "minilm_hf_vectors.json").write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
