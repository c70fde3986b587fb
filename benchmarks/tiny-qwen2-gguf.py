#!/usr/bin/env python3
"""Writes a tiny Qwen2.5-shaped GGUF with random weights for benchmarks/real-llama-server.sh.

Usage: tiny-qwen2-gguf.py LLAMA_CPP_SOURCE OUT.gguf

The tokenizer is the real Qwen2 one (151,936 tokens, byte-level BPE with its merges), copied from the vocab-only file
that llama.cpp's source ships for its tokenizer tests (models/ggml-vocab-qwen2.gguf), so llama-server counts prompt
tokens the way a real Qwen2.5 would: that count is what the context budget is measured against. The chat template is
Qwen2.5-Instruct's (models/templates/), so llama-server renders tools and messages as it would for the real model.
The network itself is two layers of 64 dimensions with random weights (answers are gibberish; the benchmark is about
whether requests fit and turns end, not about what the model says). The embedding is tied to the output, f16: ~20 MB.
Needs numpy and the source's own gguf-py (put on sys.path here).
"""
import sys
from pathlib import Path

src, out = Path(sys.argv[1]), Path(sys.argv[2])
sys.path.insert(0, str(src / "gguf-py"))
import numpy as np  # noqa: E402
from gguf import GGUFReader, GGUFWriter  # noqa: E402

vocab = GGUFReader(src / "models" / "ggml-vocab-qwen2.gguf")


def field(name):
    return vocab.fields[name].contents()


tokens = field("tokenizer.ggml.tokens")
n_vocab, n_embd, n_head, n_head_kv, n_ff, n_layer = len(tokens), 64, 4, 2, 128, 2
head_dim = n_embd // n_head
template = (src / "models" / "templates" / "Qwen-Qwen2.5-7B-Instruct.jinja").read_text()
im_end = tokens.index("<|im_end|>")

w = GGUFWriter(str(out), "qwen2")
w.add_name("boxagnts-bench tiny qwen2 (random weights)")
w.add_block_count(n_layer)
w.add_context_length(32768)
w.add_embedding_length(n_embd)
w.add_feed_forward_length(n_ff)
w.add_head_count(n_head)
w.add_head_count_kv(n_head_kv)
w.add_rope_freq_base(1000000.0)
w.add_layer_norm_rms_eps(1e-6)
w.add_file_type(1)  # mostly f16
w.add_tokenizer_model("gpt2")
w.add_tokenizer_pre("qwen2")
w.add_token_list(tokens)
w.add_token_types(field("tokenizer.ggml.token_type"))
w.add_token_merges(field("tokenizer.ggml.merges"))
w.add_bos_token_id(field("tokenizer.ggml.bos_token_id"))
w.add_eos_token_id(im_end)  # as Qwen2.5-Instruct: an answer ends at <|im_end|>
w.add_pad_token_id(field("tokenizer.ggml.padding_token_id"))
w.add_add_bos_token(False)
w.add_chat_template(template)

rng = np.random.default_rng(15)


def weight(rows, cols):  # numpy shape (rows, cols) = ggml {cols, rows}
    return (rng.standard_normal((rows, cols)) * 0.02).astype(np.float16)


w.add_tensor("token_embd.weight", weight(n_vocab, n_embd))
w.add_tensor("output_norm.weight", np.ones(n_embd, dtype=np.float32))
for i in range(n_layer):
    b = f"blk.{i}."
    w.add_tensor(b + "attn_norm.weight", np.ones(n_embd, dtype=np.float32))
    w.add_tensor(b + "attn_q.weight", weight(n_embd, n_embd))
    w.add_tensor(b + "attn_q.bias", np.zeros(n_embd, dtype=np.float32))
    w.add_tensor(b + "attn_k.weight", weight(n_head_kv * head_dim, n_embd))
    w.add_tensor(b + "attn_k.bias", np.zeros(n_head_kv * head_dim, dtype=np.float32))
    w.add_tensor(b + "attn_v.weight", weight(n_head_kv * head_dim, n_embd))
    w.add_tensor(b + "attn_v.bias", np.zeros(n_head_kv * head_dim, dtype=np.float32))
    w.add_tensor(b + "attn_output.weight", weight(n_embd, n_embd))
    w.add_tensor(b + "ffn_norm.weight", np.ones(n_embd, dtype=np.float32))
    w.add_tensor(b + "ffn_gate.weight", weight(n_ff, n_embd))
    w.add_tensor(b + "ffn_up.weight", weight(n_ff, n_embd))
    w.add_tensor(b + "ffn_down.weight", weight(n_embd, n_ff))

w.write_header_to_file()
w.write_kv_data_to_file()
w.write_tensors_to_file()
w.close()
print(f"{out}: qwen2, {n_layer} layers x {n_embd} dims, {n_vocab} tokens, {out.stat().st_size // 1024} KiB")
