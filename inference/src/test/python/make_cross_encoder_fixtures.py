#!/usr/bin/env python3
"""Golden fixture for the Java cross-encoder reranker: a tiny random BertForSequenceClassification run through the
REAL Hugging Face implementation (AutoModelForSequenceClassification + the fast tokenizer on (question, passage)
pairs, padding to the longest pair, truncation="only_second").

Writes into inference/src/test/resources/rerank/:
  tiny-cross-encoder/   config.json, model.safetensors, tokenizer.json, tokenizer_config.json (WordPiece, small vocab)
  goldens.json          the pairs, their input ids and HF's logits

Run (from the repository root), in a venv with torch 2.13 (cpu), transformers 5.18, tokenizers, safetensors:
  python inference/src/test/python/make_cross_encoder_fixtures.py
The Java tests never run this script.
"""
import json
import re
from pathlib import Path

import torch
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors, decoders
from transformers import AutoModelForSequenceClassification, BertConfig, BertForSequenceClassification, \
    PreTrainedTokenizerFast

ROOT = Path(__file__).resolve().parents[1] / "resources" / "rerank"
SEED = 20261202

PAIRS = [
    ("Who founded the company?", "The company was founded in 1911 by two brothers in Ohio."),
    ("Who founded the company?", "Rockets need fuel, and the engines burn it quickly."),
    ("When do zebras migrate?", "The great zebra migration crosses the Mara river every July and August, "
                                "when the rains move north and the herds follow the fresh grass for many weeks."),
    ("What is the capital of France?", "Paris is the capital of France."),
]
MAX_LENGTH = 32  # the third pair is longer: its passage is truncated, the question never


def build_tokenizer() -> Tokenizer:
    words = set()
    for question, passage in PAIRS:
        words.update(re.findall(r"[a-z]+|[0-9]+", (question + " " + passage).lower()))
    letters = [chr(c) for c in range(ord("a"), ord("z") + 1)] + [str(d) for d in range(10)]
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", ".", ",", "?"] + letters \
        + ["##" + c for c in letters] + sorted(words - set(letters))
    tok = Tokenizer(models.WordPiece({w: i for i, w in enumerate(vocab)}, unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.decoder = decoders.WordPiece()
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", vocab.index("[CLS]")), ("[SEP]", vocab.index("[SEP]"))])
    return tok


def main():
    torch.manual_seed(SEED)
    out = ROOT / "tiny-cross-encoder"
    out.mkdir(parents=True, exist_ok=True)
    raw = build_tokenizer()
    fast = PreTrainedTokenizerFast(tokenizer_object=raw, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
                                   sep_token="[SEP]", mask_token="[MASK]", model_max_length=MAX_LENGTH,
                                   model_input_names=["input_ids", "token_type_ids", "attention_mask"])
    config = BertConfig(vocab_size=raw.get_vocab_size(), hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                        intermediate_size=37, max_position_embeddings=MAX_LENGTH, type_vocab_size=2, num_labels=1,
                        hidden_act="gelu", layer_norm_eps=1e-12)
    model = BertForSequenceClassification(config).eval()
    with torch.no_grad():  # random init leaves biases and the classifier tiny; make every parameter matter
        for param in model.parameters():
            param.add_(torch.randn_like(param) * 0.2)
    model.save_pretrained(out, safe_serialization=True)
    fast.save_pretrained(out)
    # the Java side reads tokenizer.json only: keep HF's truncation/padding out of it, as a hub checkpoint has
    reloaded = AutoModelForSequenceClassification.from_pretrained(out).eval()

    questions = [q for q, _ in PAIRS]
    passages = [p for _, p in PAIRS]
    batch = fast(questions, passages, padding=True, truncation="only_second", max_length=MAX_LENGTH,
                 return_token_type_ids=True,
                 return_tensors="pt")
    with torch.no_grad():
        logits = reloaded(**batch).logits
    goldens = {
        "max_length": MAX_LENGTH,
        "pairs": [{"question": q, "passage": p} for q, p in PAIRS],
        "input_ids": batch["input_ids"].tolist(),
        "token_type_ids": batch["token_type_ids"].tolist(),
        "logits": logits.tolist(),
    }
    (ROOT / "goldens.json").write_text(json.dumps(goldens, indent=1) + "\n")
    print("wrote", ROOT, "logits", logits.squeeze(-1).tolist())


if __name__ == "__main__":
    main()
