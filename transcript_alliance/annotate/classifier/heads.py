"""What sits on the encoder: the pooled embeddings, the previous turn, and one logit per code.

Two designs, named by model.json's `base_model.context`. `ContextHead` ("embedding", what
`train` makes) embeds each utterance alone, once, and reads the previous turn as the mean
of its utterances' embeddings, so the encoder never runs twice over the same words (issue
21: a pair encoder reads each turn again as context for every utterance of the next).
`PairHead` ("pair", the first design) encodes each utterance together with its previous
turn as one text pair; models saved with it still load."""

from __future__ import annotations

import torch
from torch import nn

from .packing import PackedBatch, pool_segments

HIDDEN = 256  # width of ContextHead's hidden layer


def mean_pool(hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
    """Mean of the last hidden states over real tokens: (B, T, H) and (B, T) to (B, H)."""
    mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)


class PairHead(nn.Module):
    """Encoder over (utterance, previous turn) pairs, mean pooling, dropout, a linear layer."""

    def __init__(self, encoder: nn.Module, n_codes: int) -> None:
        super().__init__()
        self.encoder = encoder
        self.n_codes = n_codes
        self.dropout = nn.Dropout(0.1)
        self.head = nn.Linear(encoder.config.hidden_size, n_codes)

    def forward(self, batch: dict[str, torch.Tensor]) -> torch.Tensor:
        """Logits, shape (B, n_codes), for encoder inputs of shape (B, T) each."""
        hidden = self.encoder(**batch).last_hidden_state
        return self.head(self.dropout(mean_pool(hidden, batch["attention_mask"])))

    def forward_packed(self, batch: PackedBatch) -> torch.Tensor:
        """One logit row per input in `batch.items`, from rows holding several each."""
        hidden = self.encoder(**batch.tensors).last_hidden_state
        return self.head(self.dropout(pool_segments(hidden, batch.segments, len(batch.items))))


class ContextHead(nn.Module):
    """Each utterance embedded alone; a small network over the utterance's embedding `u`,
    its previous turn's `c` (the mean of that turn's utterance embeddings, zeros when there
    is none), their product `u * c` (how far the utterance mirrors the turn before, which
    tells reflections apart) and a 1 where there is a previous turn."""

    def __init__(self, encoder: nn.Module, n_codes: int) -> None:
        super().__init__()
        self.encoder = encoder
        self.n_codes = n_codes
        size = encoder.config.hidden_size
        self.dropout = nn.Dropout(0.1)
        self.head = nn.Sequential(
            nn.Linear(3 * size + 1, HIDDEN), nn.GELU(), nn.Dropout(0.1), nn.Linear(HIDDEN, n_codes)
        )

    def embed(self, batch: dict[str, torch.Tensor]) -> torch.Tensor:
        """Embeddings, shape (B, H), of padded encoder inputs of shape (B, T) each."""
        hidden = self.encoder(**batch).last_hidden_state
        return mean_pool(hidden, batch["attention_mask"])

    def embed_packed(self, batch: PackedBatch) -> torch.Tensor:
        """Embeddings, shape (len(batch.items), H), from rows holding several texts each."""
        hidden = self.encoder(**batch.tensors).last_hidden_state
        return pool_segments(hidden, batch.segments, len(batch.items))

    def classify(
        self, units: torch.Tensor, own: torch.Tensor, parts: torch.Tensor, owner: torch.Tensor
    ) -> torch.Tensor:
        """Logits for each utterance from the embeddings of the texts it draws on.

        Parameters
        ----------
        units : torch.Tensor
            Embeddings of distinct texts, shape (U, H).
        own : torch.Tensor
            Each utterance's own text (a row of `units`), shape (B,), int64.
        parts, owner : torch.Tensor
            The previous turns' utterances (rows of `units`) and the utterance each belongs
            to (0..B-1), shape (P,) each, int64.

        Returns
        -------
        torch.Tensor
            Logits, shape (B, n_codes).
        """
        u = units[own]
        sums = torch.zeros_like(u).index_add_(0, owner, units[parts])
        counts = torch.bincount(owner, minlength=len(own)).to(u.dtype)[:, None]
        c = sums / counts.clamp(min=1.0)
        features = torch.cat([u, c, u * c, (counts > 0).to(u.dtype)], dim=1)
        return self.head(self.dropout(features))
