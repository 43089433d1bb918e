#!/usr/bin/env python3
"""Golden fixtures for the Java BART: a tiny random BART run through the REAL Hugging Face implementation.

Writes into inference/src/test/resources/bart/:
  tiny/             config.json, generation_config.json, model.safetensors (every tied name stored), tokenizer.json,
                    tokenizer_config.json
  tiny-tied-once/   the same model, the tied embedding stored once (model.decoder.embed_tokens.weight, aliases in
                    __metadata__), no lm_head.weight
  tiny-f16/         the weights as F16, in the layout save_pretrained writes (model.shared.weight only)
  tiny-bf16/        the weights as BF16
  goldens.json      encoder states, teacher-forced logits and log-likelihoods, generate() outputs

Run (from the repository root):
  /work/pyenv/bin/python inference/src/test/python/make_bart_fixtures.py
Needs torch 2.13 (cpu), transformers 5.18, tokenizers, safetensors. The Java tests never run this script.
"""
import json
import math
import shutil
from pathlib import Path

import torch
from safetensors.torch import save_file
from tokenizers import Tokenizer, models, pre_tokenizers, decoders, processors, trainers
from transformers import BartConfig, BartForConditionalGeneration, GenerationConfig, PreTrainedTokenizerFast

ROOT = Path(__file__).resolve().parents[1] / "resources" / "bart"
SEED = 20240611
TRAIN_STEPS = 65

CORPUS = [
    "The quick brown fox jumps.",
    "Kafka streams process events.",
    "Retrieval finds documents.",
    "BART is a denoising model.",
    "The encoder reads the input.",
    "Beam search keeps hypotheses.",
    "Who won the world series?",
    "Paris is the capital of France.",
    "Water boils at one hundred degrees.",
    "Chunks become embeddings.",
]

INPUTS = [
    "Who won the world series?",
    "The encoder reads.",
    "Paris is the capital, and beam search keeps hypotheses.",
]

TOKENIZER = None  # set in main(); run_case decodes texts with it

SPECIALS = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]


def build_tokenizer() -> Tokenizer:
    tok = Tokenizer(models.BPE(unk_token=None))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=400, special_tokens=SPECIALS, show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(CORPUS * 3, trainer=trainer)
    tok.post_processor = processors.RobertaProcessing(("</s>", 2), ("<s>", 0), trim_offsets=True,
                                                      add_prefix_space=False)
    for i, s in enumerate(SPECIALS):
        assert tok.token_to_id(s) == i, (s, tok.token_to_id(s))
    return tok


def build_model(tok: Tokenizer) -> BartForConditionalGeneration:
    vocab_size = tok.get_vocab_size()
    config = BartConfig(
        vocab_size=vocab_size, d_model=32, encoder_layers=2, decoder_layers=2,
        encoder_attention_heads=4, decoder_attention_heads=4, encoder_ffn_dim=64, decoder_ffn_dim=64,
        max_position_embeddings=64, activation_function="gelu", scale_embedding=True,
        pad_token_id=1, bos_token_id=0, eos_token_id=2, decoder_start_token_id=2, forced_eos_token_id=2,
        dropout=0.0, attention_dropout=0.0, activation_dropout=0.0,
    )
    torch.manual_seed(SEED)
    model = BartForConditionalGeneration(config)
    # A purely random BART gives near-uniform or degenerate (one token repeated, EOS never chosen) outputs. A short
    # training run on a copy task makes next-token distributions peaked but not one-hot, and hypotheses end with EOS
    # at different lengths: the goldens then exercise EOS, min_length and max_length paths and are far from ties.
    _, x, mask = pad_batch(tok, CORPUS)
    labels = x.clone()
    labels[mask == 0] = -100
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    model.train()
    for _ in range(TRAIN_STEPS):
        loss = model(input_ids=x, attention_mask=mask, labels=labels).loss
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"copy-task loss after {TRAIN_STEPS} steps: {loss.item():.3f}")
    with torch.no_grad():
        # HF zero-initialises this buffer; a random one checks that the loader adds it.
        model.final_logits_bias.copy_(0.1 * torch.randn_like(model.final_logits_bias))
    model.eval()
    return model


def state_tensors(model) -> dict:
    sd = {k: v.detach().clone().contiguous() for k, v in model.state_dict().items()}
    shared = model.model.shared.weight.detach().clone()
    sd["model.shared.weight"] = shared.clone()
    sd["model.encoder.embed_tokens.weight"] = shared.clone()
    sd["model.decoder.embed_tokens.weight"] = shared.clone()
    sd["lm_head.weight"] = shared.clone()
    return sd


def write_folder(folder: Path, tensors: dict, metadata: dict, model, tokenizer_files: Path):
    folder.mkdir(parents=True, exist_ok=True)
    save_file(tensors, str(folder / "model.safetensors"), metadata=metadata)
    model.config.to_json_file(str(folder / "config.json"))
    gen = {"decoder_start_token_id": 2, "bos_token_id": 0, "eos_token_id": 2, "pad_token_id": 1,
           "forced_eos_token_id": 2, "forced_bos_token_id": 0, "num_beams": 4, "max_length": 24,
           "min_length": 3, "no_repeat_ngram_size": 3, "length_penalty": 1.5, "early_stopping": True}
    (folder / "generation_config.json").write_text(json.dumps(gen, indent=2) + "\n")
    for name in ("tokenizer.json", "tokenizer_config.json"):
        shutil.copy(tokenizer_files / name, folder / name)


def rounded(x, digits=7):
    if isinstance(x, list):
        return [rounded(v, digits) for v in x]
    return float(f"{x:.{digits}g}")


def pad_batch(tok: Tokenizer, texts):
    ids = [tok.encode(t).ids for t in texts]
    width = max(len(i) for i in ids)
    input_ids = torch.full((len(ids), width), 1, dtype=torch.long)
    mask = torch.zeros((len(ids), width), dtype=torch.long)
    for row, seq in enumerate(ids):
        input_ids[row, :len(seq)] = torch.tensor(seq)
        mask[row, :len(seq)] = 1
    return ids, input_ids, mask


def trim(seq, eos):
    """Generated ids without the decoder start; up to and including the first EOS (HF pads after it)."""
    out = []
    for t in seq[1:]:
        out.append(int(t))
        if t == eos:
            break
    return out


def teacher_forced_log_likelihood(model, input_ids, mask, targets, start):
    """Sum of raw log p(target_t | target_<t, input) per pair, one forward pass each."""
    result = []
    with torch.no_grad():
        for row, target in enumerate(targets):
            dec = torch.tensor([[start] + target[:-1]])
            logits = model(input_ids=input_ids[row:row + 1], attention_mask=mask[row:row + 1],
                           decoder_input_ids=dec).logits[0]
            logp = torch.log_softmax(logits.float(), dim=-1)
            result.append(float(sum(logp[i, t] for i, t in enumerate(target))))
    return result


CASES = [
    # name, generate() arguments besides the pinned common ones
    ("greedy", dict(num_beams=1, max_length=20)),
    ("greedy_forced_bos_min_len_ngram", dict(num_beams=1, max_length=16, forced_bos_token_id=0, min_length=6,
                                             no_repeat_ngram_size=2)),
    ("greedy_max_new_tokens", dict(num_beams=1, max_new_tokens=5, forced_eos_token_id=None)),
    ("beam4_early_true", dict(num_beams=4, num_return_sequences=4, max_length=20, early_stopping=True)),
    ("beam4_early_false", dict(num_beams=4, num_return_sequences=4, max_length=20, early_stopping=False)),
    ("beam4_early_never", dict(num_beams=4, num_return_sequences=4, max_length=20, early_stopping="never")),
    ("beam4_lp2_never", dict(num_beams=4, num_return_sequences=3, max_length=20, early_stopping="never", length_penalty=2.0)),
    ("beam4_lp0.5_false", dict(num_beams=4, max_length=20, early_stopping=False, length_penalty=0.5)),
    ("beam4_lp-1_true", dict(num_beams=4, max_length=20, early_stopping=True, length_penalty=-1.0)),
    ("beam4_ngram3", dict(num_beams=4, max_length=24, early_stopping=False, no_repeat_ngram_size=3)),
    ("beam4_ngram1", dict(num_beams=4, max_length=16, early_stopping=True, no_repeat_ngram_size=1)),
    ("beam4_min_length13", dict(num_beams=4, max_length=20, early_stopping=True, min_length=13)),
    ("beam4_forced_bos", dict(num_beams=4, max_length=20, early_stopping=True, forced_bos_token_id=0)),
    ("beam4_forced_eos_short", dict(num_beams=4, max_length=7, early_stopping=False, forced_eos_token_id=2)),
    ("beam4_no_forced_eos_short", dict(num_beams=4, max_length=7, early_stopping=False, forced_eos_token_id=None)),
    ("beam4_max_new_tokens", dict(num_beams=4, max_new_tokens=6, early_stopping=True)),
    ("beam4_return4", dict(num_beams=4, num_return_sequences=4, max_length=20, early_stopping=False,
                           length_penalty=1.2)),
    ("beam3_ngram2_forced_bos_min5", dict(num_beams=3, num_return_sequences=2, max_length=18, early_stopping=True,
                                          no_repeat_ngram_size=2, forced_bos_token_id=0, min_length=5)),
]

COMMON = dict(num_beams=1, num_return_sequences=1, max_length=20, max_new_tokens=None, min_length=0,
              length_penalty=1.0, early_stopping=False, no_repeat_ngram_size=0, forced_bos_token_id=None,
              forced_eos_token_id=2, decoder_start_token_id=2, eos_token_id=2, pad_token_id=1, bos_token_id=0,
              do_sample=False)


def run_case(model, input_ids, mask, args):
    full = dict(COMMON)
    full.update(args)
    if full["max_new_tokens"] is not None:
        full.pop("max_length")
    gen_config = GenerationConfig(**full)
    # What generate() will really use: in transformers 5 an argument left None is filled from the model's
    # generation_config, so record the prepared values rather than what we asked for.
    used, _ = model._prepare_generation_config(gen_config)
    for key in ("num_beams", "num_return_sequences", "min_length", "length_penalty", "early_stopping",
                "no_repeat_ngram_size", "forced_bos_token_id", "forced_eos_token_id", "decoder_start_token_id"):
        assert getattr(used, key) == full[key], (key, getattr(used, key), full[key])
    with torch.no_grad():
        out = model.generate(input_ids=input_ids, attention_mask=mask, generation_config=gen_config,
                             return_dict_in_generate=True, output_scores=True, output_logits=True)
    n_ret = full["num_return_sequences"]
    sequences = [trim(s.tolist(), 2) for s in out.sequences]
    if full["num_beams"] == 1:
        # Greedy: HF reports no sequences_scores; ours is the sum of log_softmax(processed logits) at the chosen
        # tokens (HF compute_transition_scores(..., normalize_logits=True)).
        steps = torch.stack(out.scores, dim=1).float()
        logp = torch.log_softmax(steps, dim=-1)
        scores = []
        for row, seq in enumerate(sequences):
            scores.append(float(sum(logp[row, i, t] for i, t in enumerate(seq))))
    else:
        scores = [float(s) for s in out.sequences_scores]
    settings = {k: full.get(k) for k in ("num_beams", "num_return_sequences", "max_length", "max_new_tokens",
                                          "min_length", "length_penalty", "early_stopping", "no_repeat_ngram_size",
                                          "forced_bos_token_id", "forced_eos_token_id", "decoder_start_token_id",
                                          "eos_token_id", "pad_token_id")}
    if settings["max_length"] is None:
        settings["max_length"] = 20
    settings["early_stopping"] = {True: "TRUE", False: "FALSE", "never": "NEVER"}[full["early_stopping"]]
    per_input = []
    for b in range(input_ids.shape[0]):
        hyps = []
        for r in range(n_ret):
            i = b * n_ret + r
            hyps.append({"ids": sequences[i], "score": scores[i],
                         "text": TOKENIZER.decode(sequences[i], skip_special_tokens=True)})
        per_input.append(hyps)
    return settings, per_input


def main():
    torch.set_num_threads(1)
    work = ROOT / "_tokenizer"
    work.mkdir(parents=True, exist_ok=True)
    global TOKENIZER
    tok = build_tokenizer()
    TOKENIZER = tok
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<s>", eos_token="</s>", unk_token="<unk>",
                                   pad_token="<pad>", mask_token="<mask>", cls_token="<s>", sep_token="</s>",
                                   model_max_length=64)
    fast.save_pretrained(str(work))
    # DJL reads padding from tokenizer.json; the tokenizer object carries none, which is what real BART has too.
    tok.save(str(work / "tokenizer.json"))

    model = build_model(tok)
    tensors = state_tensors(model)

    write_folder(ROOT / "tiny", tensors, {"format": "pt"}, model, work)

    once = {k: v for k, v in tensors.items() if k not in (
        "model.shared.weight", "model.encoder.embed_tokens.weight", "lm_head.weight")}
    write_folder(ROOT / "tiny-tied-once", once, {
        "format": "pt",
        "model.shared.weight": "model.decoder.embed_tokens.weight",
        "model.encoder.embed_tokens.weight": "model.decoder.embed_tokens.weight",
        "lm_head.weight": "model.decoder.embed_tokens.weight"}, model, work)

    shared_only = {k: v for k, v in tensors.items() if k not in (
        "model.encoder.embed_tokens.weight", "model.decoder.embed_tokens.weight", "lm_head.weight")}
    write_folder(ROOT / "tiny-f16", {k: v.half() for k, v in shared_only.items()}, {"format": "pt"}, model, work)
    write_folder(ROOT / "tiny-bf16", {k: v.bfloat16() for k, v in shared_only.items()}, {"format": "pt"}, model, work)

    # Check the folder loads into HF and reproduces the in-memory model.
    reloaded = BartForConditionalGeneration.from_pretrained(str(ROOT / "tiny")).eval()
    # The folder's generation_config.json carries non-trivial defaults (for the Java defaults test); the goldens
    # pin every argument, and an argument passed as None must mean "off", not "the folder's default".
    reloaded.generation_config = GenerationConfig(decoder_start_token_id=2, bos_token_id=0, eos_token_id=2,
                                                  pad_token_id=1)

    ids, input_ids, mask = pad_batch(tok, INPUTS)
    decoder_targets = [[0, 50 % 400, 7, 120, 33, 2], [0, 9, 2], [0, 200, 201, 5, 17, 88, 99, 2]]
    width = max(len(t) for t in decoder_targets)
    decoder_input_ids = torch.full((len(INPUTS), width), 1, dtype=torch.long)
    for row, t in enumerate(decoder_targets):
        seq = [2] + t[:-1]
        decoder_input_ids[row, :len(seq)] = torch.tensor(seq)

    with torch.no_grad():
        enc = reloaded.get_encoder()(input_ids=input_ids, attention_mask=mask).last_hidden_state
        out = reloaded(input_ids=input_ids, attention_mask=mask, decoder_input_ids=decoder_input_ids)
        logits = out.logits

    def reduced_precision_logits(dtype):
        copy = BartForConditionalGeneration(reloaded.config).eval()
        copy.load_state_dict({k: v.to(dtype).float() for k, v in reloaded.state_dict().items()})
        with torch.no_grad():
            return copy(input_ids=input_ids, attention_mask=mask, decoder_input_ids=decoder_input_ids).logits

    goldens = {
        "transformers": __import__("transformers").__version__,
        "torch": torch.__version__,
        "inputs": INPUTS,
        "input_ids": ids,
        "encoder_hidden_states": rounded(enc.tolist()),
        "decoder_input_ids": decoder_input_ids.tolist(),
        "logits": rounded(logits.tolist()),
        "logits_f16_weights": rounded(reduced_precision_logits(torch.float16).tolist()),
        "logits_bf16_weights": rounded(reduced_precision_logits(torch.bfloat16).tolist()),
        "targets": decoder_targets,
        "target_log_likelihood": teacher_forced_log_likelihood(reloaded, input_ids, mask, decoder_targets, 2),
        "generate": [],
    }
    for name, args in CASES:
        settings, per_input = run_case(reloaded, input_ids, mask, args)
        for b, hyps in enumerate(per_input):
            lls = teacher_forced_log_likelihood(reloaded, input_ids[b:b + 1].expand(len(hyps), -1),
                                                mask[b:b + 1].expand(len(hyps), -1), [h["ids"] for h in hyps], 2)
            for h, ll in zip(hyps, lls):
                h["log_likelihood"] = ll
        goldens["generate"].append({"name": name, "settings": settings, "outputs": per_input})
        print(name, [[(h["ids"], round(h["score"], 4)) for h in hyps] for hyps in per_input])

    (ROOT / "goldens.json").write_text(json.dumps(goldens, separators=(",", ":")) + "\n")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
