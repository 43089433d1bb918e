#!/usr/bin/env python3
"""Golden fixtures for the Java RAG-Token decoder, from the REAL Hugging Face RagTokenForGeneration.

The generator is the tiny BART of inference/src/test/resources/bart/tiny (written by make_bart_fixtures.py); a tiny
random DPR question encoder completes the RagConfig but is never run, because every call passes
context_input_ids, context_attention_mask and doc_scores directly.

Writes inference/src/test/resources/rag/rag_token_goldens.json:
  questions          per question: the k generator inputs ("title / passage // question", as RagRetriever builds
                     them), their token ids, and the k doc scores
  generate           per case: the pinned generate() settings and, per question, the hypotheses (ids, text, score)
                     plus the teacher-forced marginal log-likelihood and the posterior p(d | x, y) of each
  teacher_forced     arbitrary targets per question: per-token marginal log p(y_t | y_<t, x) from forward()
                     (do_marginalize=True), and per document log p(y | x, d)

Run (from the repository root):
  /work/pyenv/bin/python inference/src/test/python/make_rag_token_fixtures.py
Needs torch 2.13 (cpu), transformers 5.18, tokenizers. The Java tests never run this script.
"""
import json
from pathlib import Path

import torch
from tokenizers import Tokenizer
from transformers import (BartForConditionalGeneration, DPRConfig, DPRQuestionEncoder, GenerationConfig, RagConfig,
                          RagTokenForGeneration)

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
TINY = RESOURCES / "bart" / "tiny"
OUT = RESOURCES / "rag"

# Passages from the tiny BART's copy-task corpus, so its outputs depend on the document: marginalising then matters.
QUESTIONS = [
    {
        "question": "Who won the world series?",
        "docs": [("Baseball", "Who won the world series?"),
                 ("Kafka", "Kafka streams process events."),
                 ("Paris", "Paris is the capital of France.")],
        "scores": [1.5, 0.3, -0.7],
    },
    {
        "question": "What does the encoder do?",
        "docs": [("BART", "The encoder reads the input."),
                 ("Search", "Beam search keeps hypotheses."),
                 ("Water", "Water boils at one hundred degrees.")],
        "scores": [0.2, 0.9, 0.1],
    },
]
N_DOCS = 3

COMMON = dict(num_beams=1, num_return_sequences=1, max_length=20, max_new_tokens=None, min_length=0,
              length_penalty=1.0, early_stopping=False, no_repeat_ngram_size=0, forced_bos_token_id=None,
              forced_eos_token_id=2, decoder_start_token_id=2, eos_token_id=2, pad_token_id=1, bos_token_id=0,
              do_sample=False)

CASES = [
    ("greedy", dict(num_beams=1, max_length=20)),
    ("greedy_min_len_ngram_forced_bos", dict(num_beams=1, max_length=16, min_length=6, no_repeat_ngram_size=2,
                                             forced_bos_token_id=0)),
    ("beam4_early_true", dict(num_beams=4, num_return_sequences=4, max_length=20, early_stopping=True)),
    ("beam4_early_false_lp2", dict(num_beams=4, num_return_sequences=2, max_length=20, early_stopping=False,
                                   length_penalty=2.0)),
    ("beam4_never_lp0.5", dict(num_beams=4, num_return_sequences=3, max_length=20, early_stopping="never",
                               length_penalty=0.5)),
    ("beam4_ngram2", dict(num_beams=4, max_length=18, early_stopping=False, no_repeat_ngram_size=2)),
    ("beam3_min_length10", dict(num_beams=3, num_return_sequences=3, max_length=20, early_stopping=True,
                                min_length=10)),
    ("beam4_forced_eos_short", dict(num_beams=4, max_length=7, early_stopping=False)),
]

TEACHER_FORCED_TARGETS = [[0, 50, 7, 120, 33, 2], [0, 9, 2]]


def generator_inputs(q):
    return [(title + " / " + text + " // " + q["question"]).replace("  ", " ") for title, text in q["docs"]]


def pad(rows, value):
    width = max(len(r) for r in rows)
    ids = torch.full((len(rows), width), value, dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for i, r in enumerate(rows):
        ids[i, :len(r)] = torch.tensor(r)
        mask[i, :len(r)] = 1
    return ids, mask


def trim(seq, eos):
    out = []
    for t in seq[1:]:
        out.append(int(t))
        if t == eos:
            break
    return out


def build_rag():
    generator = BartForConditionalGeneration.from_pretrained(str(TINY)).eval()
    qe_config = DPRConfig(vocab_size=30, hidden_size=8, num_hidden_layers=1, num_attention_heads=2,
                          intermediate_size=16, max_position_embeddings=16)
    torch.manual_seed(0)
    question_encoder = DPRQuestionEncoder(qe_config).eval()
    config = RagConfig.from_question_encoder_generator_configs(qe_config, generator.config, n_docs=N_DOCS,
                                                              title_sep=" / ", doc_sep=" // ")
    rag = RagTokenForGeneration(config=config, question_encoder=question_encoder, generator=generator).eval()
    # Every generate() argument is pinned per case; nothing may come from a folder default.
    rag.generation_config = GenerationConfig(decoder_start_token_id=2, bos_token_id=0, eos_token_id=2,
                                             pad_token_id=1)
    return rag


def seq_log_probs(rag, ctx_ids, ctx_mask, doc_scores, targets):
    """Per question: per-token marginal log p(y_t | y_<t, x) and per document sum_t log p(y_t | y_<t, x, d).

    `targets[q]` is one target per question (ids without the decoder start). Teacher forcing feeds the decoder
    start then target[:-1], as the Java side does.
    """
    dec_rows = [[2] + t[:-1] for t in targets]
    dec, _ = pad(dec_rows, 1)
    with torch.no_grad():
        marginal = rag(context_input_ids=ctx_ids, context_attention_mask=ctx_mask, doc_scores=doc_scores,
                       decoder_input_ids=dec, n_docs=N_DOCS, do_marginalize=True, use_cache=False).logits
        per_doc = rag(context_input_ids=ctx_ids, context_attention_mask=ctx_mask, doc_scores=doc_scores,
                      decoder_input_ids=dec, n_docs=N_DOCS, do_marginalize=False, use_cache=False).logits
    per_doc = torch.log_softmax(per_doc.float(), dim=-1).view(len(targets), N_DOCS, dec.shape[1], -1)
    token_lp, doc_ll = [], []
    for q, t in enumerate(targets):
        token_lp.append([float(marginal[q, i, tok]) for i, tok in enumerate(t)])
        doc_ll.append([float(sum(per_doc[q, d, i, tok] for i, tok in enumerate(t))) for d in range(N_DOCS)])
    return token_lp, doc_ll


def posterior(doc_scores_row, doc_ll_row):
    prior = torch.log_softmax(torch.tensor(doc_scores_row, dtype=torch.float64), dim=0)
    joint = prior + torch.tensor(doc_ll_row, dtype=torch.float64)
    return torch.softmax(joint, dim=0).tolist()


def run_case(rag, tok, ctx_ids, ctx_mask, doc_scores, args):
    full = dict(COMMON)
    full.update(args)
    if full["max_new_tokens"] is not None:
        full.pop("max_length")
    gen_config = GenerationConfig(**full)
    used, _ = rag._prepare_generation_config(gen_config)
    for key in ("num_beams", "num_return_sequences", "min_length", "length_penalty", "early_stopping",
                "no_repeat_ngram_size", "forced_bos_token_id", "forced_eos_token_id", "decoder_start_token_id"):
        assert getattr(used, key) == full[key], (key, getattr(used, key), full[key])
    with torch.no_grad():
        out = rag.generate(context_input_ids=ctx_ids, context_attention_mask=ctx_mask, doc_scores=doc_scores,
                           n_docs=N_DOCS, generation_config=gen_config, return_dict_in_generate=True,
                           output_scores=True)
    n_ret = full["num_return_sequences"]
    sequences = [trim(s.tolist(), 2) for s in out.sequences]
    if full["num_beams"] == 1:
        # HF reports no sequences_scores for greedy; ours is the sum of log_softmax(processed scores) at the chosen
        # tokens, as for plain BART.
        logp = torch.log_softmax(torch.stack(out.scores, dim=1).float(), dim=-1)
        scores = [float(sum(logp[row, i, t] for i, t in enumerate(seq))) for row, seq in enumerate(sequences)]
    else:
        scores = [float(s) for s in out.sequences_scores]
    settings = {k: full.get(k) for k in ("num_beams", "num_return_sequences", "max_length", "max_new_tokens",
                                          "min_length", "length_penalty", "early_stopping", "no_repeat_ngram_size",
                                          "forced_bos_token_id", "forced_eos_token_id", "decoder_start_token_id",
                                          "eos_token_id", "pad_token_id")}
    settings["early_stopping"] = {True: "TRUE", False: "FALSE", "never": "NEVER"}[full["early_stopping"]]
    per_question = []
    for q in range(doc_scores.shape[0]):
        hyps = []
        for r in range(n_ret):
            ids = sequences[q * n_ret + r]
            hyps.append({"ids": ids, "score": scores[q * n_ret + r],
                         "text": tok.decode(ids, skip_special_tokens=True)})
        per_question.append(hyps)
    # teacher-forced marginal log-likelihood and posterior of every hypothesis
    rows = max(len(h) for h in per_question)
    for r in range(rows):
        targets = [per_question[q][min(r, len(per_question[q]) - 1)]["ids"] for q in range(len(per_question))]
        token_lp, doc_ll = seq_log_probs(rag, ctx_ids, ctx_mask, doc_scores, targets)
        for q in range(len(per_question)):
            if r < len(per_question[q]):
                h = per_question[q][r]
                h["log_likelihood"] = sum(token_lp[q])
                h["doc_log_likelihoods"] = doc_ll[q]
                h["doc_posterior"] = posterior(doc_scores[q].tolist(), doc_ll[q])
    return settings, per_question


def main():
    torch.set_num_threads(1)
    tok = Tokenizer.from_file(str(TINY / "tokenizer.json"))
    rag = build_rag()
    questions, flat_ids = [], []
    for q in QUESTIONS:
        inputs = generator_inputs(q)
        ids = [tok.encode(s).ids for s in inputs]
        flat_ids.extend(ids)
        questions.append({"question": q["question"], "inputs": inputs, "input_ids": ids, "doc_scores": q["scores"]})
    ctx_ids, ctx_mask = pad(flat_ids, 1)
    doc_scores = torch.tensor([q["scores"] for q in QUESTIONS], dtype=torch.float32)

    token_lp, doc_ll = seq_log_probs(rag, ctx_ids, ctx_mask, doc_scores, TEACHER_FORCED_TARGETS)
    goldens = {
        "transformers": __import__("transformers").__version__,
        "torch": torch.__version__,
        "n_docs": N_DOCS,
        "questions": questions,
        "teacher_forced": {"targets": TEACHER_FORCED_TARGETS, "token_log_probs": token_lp,
                           "doc_log_likelihoods": doc_ll},
        "generate": [],
    }
    for name, args in CASES:
        settings, per_question = run_case(rag, tok, ctx_ids, ctx_mask, doc_scores, args)
        goldens["generate"].append({"name": name, "settings": settings, "outputs": per_question})
        print(name, [[(h["ids"], round(h["score"], 4), [round(p, 3) for p in h["doc_posterior"]]) for h in hyps]
                     for hyps in per_question])
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "rag_token_goldens.json").write_text(json.dumps(goldens, indent=1) + "\n")


if __name__ == "__main__":
    main()
