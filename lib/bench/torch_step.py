#!/usr/bin/env python3
"""Eager-PyTorch twin of calmnest's TokenLm training step, for the DJL-vs-PyTorch comparison.

Builds the same decoder-only Transformer as org.calmnest.lib.baseline.TokenLm (token embedding,
pre-norm blocks of RoPE causal attention without biases + RMSNorm + SwiGLU, a final RMSNorm, an
untied softmax head), the same loss (mean next-token cross-entropy) and the same update as
org.calmnest.lib.train.Trainer (global-norm clip 1.0, AdamW 0.9/0.95, eps 1e-8, weight decay 0.1 on
matrices only, lr 3e-4), and times forward + backward + clip + AdamW per step.

Prints one JSON line: {"torch": ..., "threads": ..., "median_step_s": ..., ...}.
Run: python3 lib/bench/torch_step.py --d 256 --layers 4 --heads 4 --ffn 688 --seq 128 --batch 8
"""
import argparse
import json
import math
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class RmsNorm(nn.Module):
    def __init__(self, d, eps=1e-6):
        super().__init__()
        self.eps = eps
        self.scale = nn.Parameter(torch.ones(d))

    def forward(self, x):  # (..., d)
        return x / torch.sqrt(x.square().mean(-1, keepdim=True) + self.eps) * self.scale


def rope_tables(t, hd, theta):
    """cos, sin of shape (1, 1, T, hd/2): angle = p * theta^(-2i/hd), built once (not per step)."""
    half = hd // 2
    inv = theta ** (-2.0 * torch.arange(half, dtype=torch.float64) / hd)
    ang = torch.arange(t, dtype=torch.float64)[:, None] * inv[None, :]
    return ang.cos().float()[None, None], ang.sin().float()[None, None]


def rope(x, cos, sin):  # x (B, H, T, hd), rotate-half layout as the Java Rope
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat([x1 * cos - x2 * sin, x2 * cos + x1 * sin], dim=-1)


class Attention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.h, self.hd = heads, d // heads
        self.qkv = nn.Linear(d, 3 * d, bias=False)
        self.out = nn.Linear(d, d, bias=False)

    def forward(self, x, cos, sin, bias):  # x (B, T, d)
        b, t, d = x.shape
        q, k, v = self.qkv(x).split(d, dim=2)  # 3 x (B, T, d)
        q = q.view(b, t, self.h, self.hd).transpose(1, 2)  # (B, H, T, hd)
        k = k.view(b, t, self.h, self.hd).transpose(1, 2)
        v = v.view(b, t, self.h, self.hd).transpose(1, 2)
        q, k = rope(q, cos, sin), rope(k, cos, sin)
        scores = q @ k.transpose(-2, -1) * (1.0 / math.sqrt(self.hd)) + bias  # (B, H, T, T)
        y = scores.softmax(-1) @ v  # (B, H, T, hd)
        return self.out(y.transpose(1, 2).reshape(b, t, d))


class SwiGlu(nn.Module):
    def __init__(self, d, inner):
        super().__init__()
        self.gate = nn.Linear(d, inner, bias=False)
        self.up = nn.Linear(d, inner, bias=False)
        self.down = nn.Linear(inner, d, bias=False)

    def forward(self, x):
        return self.down(F.silu(self.gate(x)) * self.up(x))


class Block(nn.Module):
    def __init__(self, d, heads, inner):
        super().__init__()
        self.attn_norm, self.attn = RmsNorm(d), Attention(d, heads)
        self.ff_norm, self.ff = RmsNorm(d), SwiGlu(d, inner)

    def forward(self, x, cos, sin, bias):
        x = x + self.attn(self.attn_norm(x), cos, sin, bias)
        return x + self.ff(self.ff_norm(x))


class TokenLm(nn.Module):
    def __init__(self, vocab, d, layers, heads, inner, context, theta=10000.0):
        super().__init__()
        self.embedding = nn.Embedding(vocab, d)
        self.blocks = nn.ModuleList(Block(d, heads, inner) for _ in range(layers))
        self.final_norm = RmsNorm(d)
        self.head = nn.Linear(d, vocab, bias=False)
        cos, sin = rope_tables(context, d // heads, theta)
        self.register_buffer("cos", cos)
        self.register_buffer("sin", sin)
        mask = torch.full((context, context), float("-inf")).triu(1)[None, None]  # (1, 1, T, T)
        self.register_buffer("bias", mask)
        for n, p in self.named_parameters():
            if p.dim() >= 2:
                nn.init.normal_(p, 0.0, 0.02)

    def forward(self, ids):  # (B, T) -> logits (B, T, V)
        t = ids.shape[1]
        x = self.embedding(ids)
        cos, sin, bias = self.cos[:, :, :t], self.sin[:, :, :t], self.bias[:, :, :t, :t]
        for blk in self.blocks:
            x = blk(x, cos, sin, bias)
        return self.head(self.final_norm(x))


def train_step(model, opt, ids, vocab):
    """One whole step: forward, loss, zero grads, backward, global-norm clip 1.0, AdamW; returns the loss."""
    logits = model(ids[:, :-1])  # (B, T, V)
    loss = F.cross_entropy(logits.reshape(-1, vocab), ids[:, 1:].reshape(-1))
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    return loss.item()  # the Java loop reads the loss every step too


def breakdown(model, opt, ids, a):
    """Rounds of (forward, forward + backward, whole step) back to back, as StepBreakdown.java does:
    median wall seconds and mean CPU seconds per phase."""
    def forward():
        logits = model(ids[:, :-1])
        return F.cross_entropy(logits.reshape(-1, a.vocab), ids[:, 1:].reshape(-1)).item()

    def forward_backward():
        logits = model(ids[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, a.vocab), ids[:, 1:].reshape(-1))
        loss.backward()
        return loss.item()

    phases = [("forward", forward), ("forward_backward", forward_backward),
              ("step", lambda: train_step(model, opt, ids, a.vocab))]
    wall = {name: [] for name, _ in phases}
    cpu = {name: 0.0 for name, _ in phases}
    for rnd in range(-3, a.steps):
        for name, fn in phases:
            c, t = time.process_time(), time.perf_counter()
            fn()
            if rnd >= 0:
                wall[name].append(time.perf_counter() - t)
                cpu[name] += time.process_time() - c
    out = {}
    for name, _ in phases:
        out[name + "_s"] = statistics.median(wall[name])
        out[name + "_cpu_s"] = cpu[name] / a.steps
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--d", type=int, default=256)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--ffn", type=int, default=688)
    ap.add_argument("--vocab", type=int, default=260)
    ap.add_argument("--seq", type=int, default=128, help="predicted positions per row (rows hold seq + 1 ids)")
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--breakdown", action="store_true",
                    help="also time forward alone and forward + backward (the phases of StepBreakdown.java)")
    a = ap.parse_args(argv)
    if a.d % a.heads or (a.d // a.heads) % 2:
        ap.error(f"--d {a.d} must be divisible by --heads {a.heads} into an even head width")
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    model = TokenLm(a.vocab, a.d, a.layers, a.heads, a.ffn, a.seq)
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1},
                             {"params": no_decay, "weight_decay": 0.0}],
                            lr=3e-4, betas=(0.9, 0.95), eps=1e-8)
    g = torch.Generator().manual_seed(a.seed)
    pool = [torch.randint(0, a.vocab, (a.batch, a.seq + 1), generator=g) for _ in range(8)]
    times, loss_value, cpu0 = [], float("nan"), 0.0
    for s in range(a.warmup + a.steps):
        ids = pool[s % len(pool)]
        if s == a.warmup:
            cpu0 = time.process_time()  # CPU time of every thread of this process
        t0 = time.perf_counter()
        loss_value = train_step(model, opt, ids, a.vocab)
        if s >= a.warmup:
            times.append(time.perf_counter() - t0)
    cpu_per_step = (time.process_time() - cpu0) / a.steps
    phases = {}
    if a.breakdown:
        phases = breakdown(model, opt, pool[0], a)
    tokens = a.batch * (a.seq + 1)
    print(json.dumps({
        "torch": torch.__version__, "threads": torch.get_num_threads(), "python": sys.version.split()[0],
        "d": a.d, "layers": a.layers, "heads": a.heads, "ffn": a.ffn, "vocab": a.vocab, "seq": a.seq,
        "batch": a.batch, "steps": len(times), "median_step_s": statistics.median(times),
        "min_step_s": min(times), "mean_step_s": sum(times) / len(times),
        "tokens_per_s": tokens / statistics.median(times), "cpu_s_per_step": cpu_per_step, "final_loss": loss_value,
        "parameters": sum(p.numel() for p in model.parameters()), **phases,
    }))


if __name__ == "__main__":
    main()
