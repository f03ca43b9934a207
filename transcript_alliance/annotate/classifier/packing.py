"""Several utterances in one encoder row, for inference without padding.

A file's utterances are short and of many lengths; sorted and batched 32 at a time they
still carry ~10% padding when scored one session at a time (as `code` does, so that each
file's numbers depend on that file alone). Packing puts utterances side by side in rows,
each seeing only itself: a block-diagonal attention mask, positions restarting at 0 for
each, and mean pooling per utterance. The result is the same function as scoring each
utterance alone (measured: logits within ~1e-5 of padded batches, which is the size of
the differences between batch shapes), on ~1% padding.

Only for encoders whose positions are absolute and given by `position_ids` (BERT and its
distillations such as MiniLM); others are scored in padded batches."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch


def packs(config) -> bool:
    """Whether this encoder takes packed rows: BERT-type, absolute positions (RoBERTa
    offsets its positions, others ignore `position_ids` or mix positions into attention)."""
    return (
        getattr(config, "model_type", None) == "bert"
        and getattr(config, "position_embedding_type", "absolute") == "absolute"
    )


def pack_rows(lengths: list[int], capacity: int) -> list[list[int]]:
    """Item indices per row, first-fit decreasing: each item, longest first, into the
    first row with room. Depends on the lengths alone, so a file packs the same way in
    every run."""
    order = np.argsort(-np.asarray(lengths), kind="stable")
    room = np.empty(0, dtype=np.int64)
    rows: list[list[int]] = []
    for i in order.tolist():
        fits = np.flatnonzero(room >= lengths[i])
        if len(fits):
            row = int(fits[0])
        else:
            row = len(rows)
            rows.append([])
            room = np.append(room, capacity)
        rows[row].append(i)
        room[row] -= lengths[i]
    return rows


def packed_batches(
    lengths: list[int], max_length: int, capacity: int, tokens: int
) -> list[list[list[int]]]:
    """Batches of rows of item indices: items up to `capacity` long in rows that wide,
    longer ones in rows of `max_length`, `tokens` per batch (wide rows cost more: the
    attention of each token runs over its whole row)."""
    batches = []
    short = [i for i, n in enumerate(lengths) if n <= capacity]
    long = [i for i, n in enumerate(lengths) if n > capacity]
    for group, width in ((short, capacity), (long, max_length)):
        rows = [[group[i] for i in row] for row in pack_rows([lengths[i] for i in group], width)]
        per_batch = max(1, tokens // width)
        batches += [rows[start : start + per_batch] for start in range(0, len(rows), per_batch)]
    return batches


@dataclass
class PackedBatch:
    """Several utterances packed into each row of a batch of encoder inputs.

    Attributes
    ----------
    tensors : dict[str, torch.Tensor]
        Encoder inputs; the attention mask is additive, shape (B, 1, W, W).
    segments : torch.Tensor
        Shape (B, W): each token's utterance (its place in `items`); -1 for padding.
    items : list[int]
        The utterances in this batch, in segment order.
    """

    tensors: dict[str, torch.Tensor]  # encoder inputs, the attention mask additive (B,1,W,W)
    segments: torch.Tensor  # (B, W): each token's utterance (its place in `items`); -1: padding
    items: list[int]  # the utterances in this batch, in segment order


def packed_batch(
    encoded: list[dict[str, list[int]]], rows: list[list[int]], pad_id: int, dtype: torch.dtype
) -> PackedBatch:
    """Encoder inputs for these rows, trimmed to the fullest row."""
    width = max(sum(len(encoded[i]["input_ids"]) for i in row) for row in rows)
    ids = np.full((len(rows), width), pad_id, dtype=np.int64)
    types = np.zeros_like(ids)
    positions = np.zeros_like(ids)
    segments = np.full_like(ids, -1)
    items: list[int] = []
    for r, row in enumerate(rows):
        start = 0
        for i in row:
            tokens = encoded[i]["input_ids"]
            end = start + len(tokens)
            ids[r, start:end] = tokens
            types[r, start:end] = encoded[i].get("token_type_ids", 0)
            positions[r, start:end] = np.arange(len(tokens))
            segments[r, start:end] = len(items)
            items.append(i)
            start = end
    segment = torch.from_numpy(segments)
    same = (segment[:, :, None] == segment[:, None, :]) & (segment[:, :, None] >= 0)
    same |= torch.eye(width, dtype=torch.bool)  # padding sees itself: no row of -inf
    # Additive, not boolean: eager attention adds the mask, SDPA takes either.
    mask = torch.zeros(same.shape, dtype=dtype).masked_fill_(~same, torch.finfo(dtype).min)
    tensors = {
        "input_ids": torch.from_numpy(ids),
        "token_type_ids": torch.from_numpy(types),
        "position_ids": torch.from_numpy(positions),
        "attention_mask": mask[:, None],
    }
    return PackedBatch(tensors, segment, items)


def pool_segments(hidden: torch.Tensor, segments: torch.Tensor, n_items: int) -> torch.Tensor:
    """Mean of each utterance's token states: (B, W, H) to (n_items, H)."""
    flat = hidden.reshape(-1, hidden.shape[-1])
    segment = segments.reshape(-1).to(hidden.device)
    real = segment >= 0
    sums = torch.zeros(n_items, flat.shape[-1], dtype=flat.dtype, device=flat.device)
    sums.index_add_(0, segment[real], flat[real])
    counts = torch.bincount(segment[real], minlength=n_items).to(flat.dtype)
    return sums / counts.clamp(min=1.0)[:, None]
