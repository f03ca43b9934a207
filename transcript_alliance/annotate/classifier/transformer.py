"""The `transformer` backend: a local Hugging Face encoder, mean-pooled, with one output
per code (`heads.py`); fine-tuned through LoRA adapters (peft) by default, or fully.

The saved weights are the adapters (or the whole encoder) and the head, as safetensors;
the base encoder is loaded from its own directory after its hash is checked."""

from __future__ import annotations

import copy
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from peft import LoraConfig, get_peft_model, get_peft_model_state_dict, set_peft_model_state_dict
from safetensors.torch import load_file, save_file
from torch import nn
from transformers import AutoModel, AutoTokenizer
from transformers.utils import logging as hf_logging

from .data import UtteranceInputs
from .encoder import offline_hub
from .heads import ContextHead, PairHead
from .modeldir import WEIGHT_FILES, BaseModelInfo, ModelError
from .packing import packed_batch, packed_batches, packs

LORA_DEFAULTS = {
    "r": 8,
    "lora_alpha": 16,
    "lora_dropout": 0.1,
    "target_modules": ["query", "value"],
}
Progress = Callable[[int], None] | None
# Packed rows: utterances up to 96 tokens share rows 96 wide, longer ones rows of the
# maximum length; 2,048 tokens a batch. Attention runs over a whole row, so wider rows
# cost more per token. Measured, widths 64-128 were within noise of each other; 96 is
# what a cost model fitted here predicts cheapest (docs/PERFORMANCE.md, classifier).
PACKED_TOKENS = 2048
PACKED_WIDTH = 96
hf_logging.set_verbosity_error()  # our own progress bars and messages say what happens
hf_logging.disable_progress_bar()
# peft asks transformers a deprecated question on every wrap; it is theirs to fix, not a user's.
warnings.filterwarnings("ignore", message=".*is_gradient_checkpointing.*", category=FutureWarning)


class MaskedBCE(nn.Module):
    """Binary cross-entropy with logits averaged over the known labels only."""

    def __init__(self, pos_weight: torch.Tensor) -> None:
        super().__init__()
        self.loss = nn.BCEWithLogitsLoss(pos_weight=pos_weight, reduction="none")

    def forward(self, logits: torch.Tensor, labels: torch.Tensor, known: torch.Tensor):
        """Binary cross-entropy with logits, summed over known labels and divided by their count.

        Parameters
        ----------
        logits : torch.Tensor
            Shape (B, codes).
        labels : torch.Tensor
            0/1 as floats, shape (B, codes).
        known : torch.Tensor
            1 where the label is known, 0 where not coded, shape (B, codes).

        Returns
        -------
        torch.Tensor
            The scalar loss (0 when nothing is known).
        """
        return (self.loss(logits, labels) * known).sum() / known.sum().clamp(min=1.0)


def _known(data: tuple) -> torch.Tensor:
    """The known-mask of (inputs, labels[, known]) as floats; all ones when absent."""
    labels = data[1]
    known = data[2] if len(data) > 2 else None
    if known is None:
        return torch.ones(labels.shape, dtype=torch.float32)
    return torch.tensor(np.asarray(known), dtype=torch.float32)


def _device() -> torch.device:
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


@dataclass
class Units:
    """The distinct texts a set of utterances draws on, each to be embedded once.

    Attributes
    ----------
    texts : list[str]
        ``"role: text"`` per distinct utterance (own or in a previous turn), shape (U,).
    own : np.ndarray
        Each utterance's own text (an index into `texts`), shape (n,), int64.
    parts : np.ndarray
        The previous turns' utterances (indices into `texts`), shape (P,), int64.
    owner : np.ndarray
        The utterance (0..n-1) each of `parts` is context for, shape (P,), int64.
    """

    texts: list[str]
    own: np.ndarray
    parts: np.ndarray
    owner: np.ndarray

    @classmethod
    def of(cls, inputs: UtteranceInputs, uses_context: bool) -> Units:
        """The units of `inputs`; no parts when the model does not use context."""
        index: dict[str, int] = {}

        def unit(role: str, text: str) -> int:
            return index.setdefault(f"{role}: {text}" if role else text, len(index))

        own = [unit(role, text) for role, text in zip(inputs.roles, inputs.texts)]
        parts, owner = [], []
        if uses_context:
            for i, turn in enumerate(inputs.turns()):
                for text in turn.texts:
                    parts.append(unit(turn.role, text))
                    owner.append(i)
        as_array = lambda values: np.asarray(values, dtype=np.int64)  # noqa: E731
        return cls(list(index), as_array(own), as_array(parts), as_array(owner))

    def select(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """For the utterances `rows`: the units they need, and `own`, `parts` and `owner`
        renumbered into those units and into `rows` (for a training batch)."""
        chosen = np.isin(self.owner, rows)
        parts = self.parts[chosen]
        needed = np.unique(np.concatenate([self.own[rows], parts]))
        position = {int(u): k for k, u in enumerate(needed)}
        where = {int(r): k for k, r in enumerate(rows)}
        renumber = lambda values, table: np.asarray(  # noqa: E731
            [table[int(v)] for v in values], dtype=np.int64
        )
        return (
            needed,
            renumber(self.own[rows], position),
            renumber(parts, position),
            renumber(self.owner[chosen], where),
        )


class TransformerScorer:
    """Raw per-code scores (logits) from a fine-tuned encoder and its head (`heads.py`).

    Runs on CUDA when available, else on the CPU.

    Parameters
    ----------
    model : ContextHead or PairHead
        The encoder and its head (`info.context`: "embedding" or "pair").
    tokenizer
        The base encoder's tokenizer.
    info : BaseModelInfo
        The base encoder's record (name, SHA-256, LoRA settings, max length, context).
    uses_context : bool
        Whether the previous turn is read.
    """

    def __init__(self, model, tokenizer, info: BaseModelInfo, uses_context: bool):
        self.model = model
        self.tokenizer = tokenizer
        self.info = info
        self.uses_context = uses_context
        self.device = _device()
        self.model.to(self.device)

    # -- inputs -----------------------------------------------------------------------
    def tokenize(self, first: list[str], second: list[str] | None = None) -> list[dict]:
        """Token ids (and masks) per text, or per text pair, unpadded and truncated to
        ``info.max_length`` tokens."""
        if not first:
            return []
        encoded = self.tokenizer(first, second, truncation=True, max_length=self.info.max_length)
        keys = list(encoded.keys())
        return [{k: encoded[k][i] for k in keys} for i in range(len(first))]

    def encode(self, inputs: UtteranceInputs) -> list[dict[str, list[int]]]:
        """For a pair model: each utterance as ``"role: text"`` with the previous turn as
        second text when the model uses context; one tokenizer output per utterance."""
        first = [f"{role}: {text}" for role, text in zip(inputs.roles, inputs.texts)]
        return self.tokenize(first, inputs.contexts if self.uses_context else None)

    def _batch(self, items: list[dict[str, list[int]]]) -> dict[str, torch.Tensor]:
        padded = self.tokenizer.pad(items, return_tensors="pt")
        return {k: v.to(self.device) for k, v in padded.items()}

    def _packs(self, pack: bool | None) -> bool:
        return packs(self.model.encoder.config) if pack is None else pack

    # -- inference --------------------------------------------------------------------
    def scores(
        self,
        inputs: UtteranceInputs,
        batch_size: int = 32,
        progress: Progress = None,
        pack: bool | None = None,
    ) -> np.ndarray:
        """Logits per code, shape (utterances, codes): packed rows where the encoder takes
        them (see `packing`; `pack` False forces padding), otherwise batches of `batch_size`
        sorted by length so padding stays short. An "embedding" model runs the encoder once
        per distinct utterance text."""
        self.model.eval()
        with torch.inference_mode():
            if isinstance(self.model, ContextHead):
                return self._context_scores(inputs, batch_size, progress, self._packs(pack))
            encoded = self.encode(inputs)
            out = np.zeros((len(encoded), self.model.n_codes), dtype=np.float32)
            for index, logits in self._pair_logits(encoded, batch_size, self._packs(pack)):
                out[index] = logits.float().cpu().numpy()
                if progress:
                    progress(len(index))
        return out

    def _context_scores(
        self, inputs: UtteranceInputs, batch_size: int, progress: Progress, pack: bool
    ) -> np.ndarray:
        units = Units.of(inputs, self.uses_context)
        reported = [0]

        def advance(n: int) -> None:  # the bar counts utterances; units are about as many
            n = min(n, len(inputs) - reported[0])
            reported[0] += n
            if progress and n:
                progress(n)

        embedded = self.embed(self.tokenize(units.texts), batch_size, pack, advance)
        tensor = lambda a: torch.from_numpy(a).to(self.device)  # noqa: E731
        logits = self.model.classify(
            embedded, tensor(units.own), tensor(units.parts), tensor(units.owner)
        )
        advance(len(inputs))
        return logits.float().cpu().numpy()

    def embed(
        self,
        items: list[dict[str, list[int]]],
        batch_size: int = 32,
        pack: bool = True,
        progress: Progress = None,
    ) -> torch.Tensor:
        """Mean-pooled embeddings of tokenized texts, shape (len(items), H), on the
        scorer's device; with gradients when called in training mode."""
        size = self.model.encoder.config.hidden_size
        dtype = next(self.model.head.parameters()).dtype
        # Filled in place, batch by batch (autograd records the copies in training).
        out = torch.zeros(len(items), size, dtype=dtype, device=self.device)
        lengths = [len(e["input_ids"]) for e in items]
        if pack:
            capacity = min(PACKED_WIDTH, self.info.max_length)
            for rows in packed_batches(lengths, self.info.max_length, capacity, PACKED_TOKENS):
                batch = packed_batch(items, rows, self.tokenizer.pad_token_id or 0, dtype)
                batch.tensors = {k: v.to(self.device) for k, v in batch.tensors.items()}
                index = torch.tensor(batch.items, device=self.device)
                out.index_copy_(0, index, self.model.embed_packed(batch))
                if progress:
                    progress(len(batch.items))
            return out
        order = np.argsort(lengths, kind="stable")
        for start in range(0, len(order), batch_size):
            index = order[start : start + batch_size]
            vectors = self.model.embed(self._batch([items[i] for i in index]))
            out.index_copy_(0, torch.from_numpy(index).to(self.device), vectors)
            if progress:
                progress(len(index))
        return out

    def _pair_logits(self, encoded: list[dict[str, list[int]]], batch_size: int, pack: bool):
        """(utterance indices, their logits) a batch at a time, for a pair model."""
        if pack:
            lengths = [len(e["input_ids"]) for e in encoded]
            capacity = min(PACKED_WIDTH, self.info.max_length)
            dtype = self.model.head.weight.dtype
            for rows in packed_batches(lengths, self.info.max_length, capacity, PACKED_TOKENS):
                batch = packed_batch(encoded, rows, self.tokenizer.pad_token_id or 0, dtype)
                batch.tensors = {k: v.to(self.device) for k, v in batch.tensors.items()}
                yield batch.items, self.model.forward_packed(batch)
            return
        order = np.argsort([len(e["input_ids"]) for e in encoded], kind="stable")
        for start in range(0, len(order), batch_size):
            index = order[start : start + batch_size]
            yield index, self.model(self._batch([encoded[i] for i in index]))

    # -- training ---------------------------------------------------------------------
    @classmethod
    def create(
        cls,
        base_name: str,
        base_dir: Path,
        base_sha256: str,
        n_codes: int,
        *,
        full_finetune: bool,
        uses_context: bool,
        lora: dict | None = None,
        max_length: int = 128,
        context: str = "embedding",
    ):
        """A new, untrained scorer on a local base encoder (loaded offline, safetensors only).

        Without `full_finetune` the encoder is wrapped in LoRA adapters (the defaults updated
        with `lora`).

        Parameters
        ----------
        base_name : str
            Name recorded for the base encoder.
        base_dir : Path
            Local directory of the base encoder and its tokenizer.
        base_sha256 : str
            SHA-256 recorded for the base encoder.
        n_codes : int
            Logits per input (the trained codes).
        full_finetune : bool
            Fine-tune the whole encoder instead of LoRA adapters.
        uses_context : bool
            Read the previous turn.
        lora : dict or None, optional
            LoRA settings over the defaults; ignored with `full_finetune`.
        max_length : int, optional
            Tokens per input at most.
        context : str, optional
            "embedding" (each utterance embedded once, `ContextHead`) or "pair" (the
            previous turn as second text, `PairHead`; to load older models).

        Returns
        -------
        TransformerScorer
            The scorer with a freshly initialised head.
        """
        with offline_hub():  # local files only; the hub switches off while loading
            encoder = AutoModel.from_pretrained(
                base_dir, local_files_only=True, use_safetensors=True
            )
            tokenizer = AutoTokenizer.from_pretrained(base_dir, local_files_only=True)
        lora = None if full_finetune else {**LORA_DEFAULTS, **(lora or {})}
        if lora is not None:
            encoder = get_peft_model(encoder, LoraConfig(**lora))
        info = BaseModelInfo(
            name=base_name,
            sha256=base_sha256,
            full_finetune=full_finetune,
            lora=lora,
            max_length=max_length,
            context=context,
        )
        head = ContextHead if context == "embedding" else PairHead
        return cls(head(encoder, n_codes), tokenizer, info, uses_context)

    def fit(
        self,
        train: tuple[UtteranceInputs, np.ndarray, np.ndarray | None],
        valid: tuple[UtteranceInputs, np.ndarray, np.ndarray | None],
        *,
        epochs: int,
        seed: int,
        batch_size: int = 16,
        patience: int = 2,
        encoder_lr: float | None = None,
        progress: Progress = None,
        log: Callable[[str], None] = lambda _: None,
    ) -> dict[str, object]:
        """Train, keeping the epoch with the lowest validation loss (early stopping).

        `train` and `valid` are (inputs, labels, known); labels where `known` is False
        (never coded) add nothing to the loss. `encoder_lr` is the encoder's peak learning
        rate (default 1e-3 for adapters, 5e-5 for full fine-tuning); the head's is 2e-3."""
        torch.manual_seed(seed)
        rng = np.random.default_rng(seed)
        logits_of = self._training_logits(train[0])
        labels = torch.tensor(train[1], dtype=torch.float32)
        known = _known(train)
        positives = (labels * known).sum(0)
        # Rare codes weigh more, by the square root of their imbalance (bounded).
        negatives = known.sum(0) - positives
        pos_weight = torch.sqrt(negatives / positives.clamp(min=1)).clamp(1, 10)
        loss_fn = MaskedBCE(pos_weight.to(self.device))
        head_params = list(self.model.head.parameters())
        encoder_params = [p for p in self.model.encoder.parameters() if p.requires_grad]
        encoder_lr = encoder_lr or (5e-5 if self.info.full_finetune else 1e-3)
        optimizer = torch.optim.AdamW(
            [{"params": encoder_params, "lr": encoder_lr}, {"params": head_params, "lr": 2e-3}],
            weight_decay=0.01,
        )
        n = len(train[0])
        steps = epochs * math.ceil(n / batch_size)
        scheduler = torch.optim.lr_scheduler.OneCycleLR(
            optimizer, max_lr=[encoder_lr, 2e-3], total_steps=max(steps, 1), pct_start=0.1
        )
        best = (math.inf, None, 0)
        history = []
        for epoch in range(1, epochs + 1):
            self.model.train()
            order = rng.permutation(n)
            for start in range(0, len(order), batch_size):
                index = order[start : start + batch_size]
                logits = logits_of(index)
                loss = loss_fn(logits, labels[index].to(self.device), known[index].to(self.device))
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                scheduler.step()
                if progress:
                    progress(len(index))
            valid_loss = self._loss(valid, loss_fn)
            history.append({"epoch": epoch, "valid_loss": round(valid_loss, 5)})
            log(f"epoch {epoch}: validation loss {valid_loss:.4f}")
            if valid_loss < best[0]:
                best = (valid_loss, copy.deepcopy(self._trainable_state()), epoch)
            elif epoch - best[2] >= patience:
                log(f"stopping early: no improvement since epoch {best[2]}")
                break
        self._load_trainable_state(best[1])
        return {"epochs_run": len(history), "best_epoch": best[2], "history": history}

    def _training_logits(self, inputs: UtteranceInputs) -> Callable[[np.ndarray], torch.Tensor]:
        """A function from a batch of utterance positions to their logits, with gradients:
        for an "embedding" model it embeds the batch's utterances and their previous turns'
        (each distinct text once), as scoring does."""
        if not isinstance(self.model, ContextHead):
            items = self.encode(inputs)
            return lambda index: self.model(self._batch([items[i] for i in index]))
        units = Units.of(inputs, self.uses_context)
        items = self.tokenize(units.texts)
        pack = self._packs(None)

        def logits(index: np.ndarray) -> torch.Tensor:
            needed, own, parts, owner = units.select(index)
            embedded = self.embed([items[u] for u in needed], pack=pack)
            tensor = lambda a: torch.from_numpy(a).to(self.device)  # noqa: E731
            return self.model.classify(embedded, tensor(own), tensor(parts), tensor(owner))

        return logits

    def _loss(self, data: tuple[UtteranceInputs, np.ndarray, np.ndarray | None], loss_fn):
        logits = torch.from_numpy(self.scores(data[0])).to(self.device)
        labels = torch.tensor(data[1], dtype=torch.float32).to(self.device)
        return float(loss_fn(logits, labels, _known(data).to(self.device)))

    # -- weights ----------------------------------------------------------------------
    def _trainable_state(self) -> dict[str, torch.Tensor]:
        if self.info.full_finetune:
            encoder = self.model.encoder.state_dict()
        else:
            encoder = get_peft_model_state_dict(self.model.encoder)
        state = {f"encoder.{k}": v.detach().cpu().clone() for k, v in encoder.items()}
        state.update(
            {f"head.{k}": v.detach().cpu().clone() for k, v in self.model.head.state_dict().items()}
        )
        return state

    def _load_trainable_state(self, state: dict[str, torch.Tensor]) -> None:
        encoder = {k[8:]: v for k, v in state.items() if k.startswith("encoder.")}
        head = {k[5:]: v for k, v in state.items() if k.startswith("head.")}
        if self.info.full_finetune:
            self.model.encoder.load_state_dict(encoder)
        else:
            result = set_peft_model_state_dict(self.model.encoder, encoder)
            if getattr(result, "unexpected_keys", None):
                raise ModelError(f"adapter weights do not fit the base: {result.unexpected_keys}")
        self.model.head.load_state_dict(head)
        self.model.to(self.device)

    def save(self, directory: Path) -> None:
        """Write the trainable weights (adapters or whole encoder, and the head) as safetensors.

        Parameters
        ----------
        directory : Path
            The model directory; it must exist.
        """
        state = {k: v.contiguous() for k, v in self._trainable_state().items()}
        save_file(state, directory / WEIGHT_FILES["transformer"])

    @classmethod
    def load(
        cls, directory: Path, base_dir: Path, info: BaseModelInfo, n_codes: int, uses_context: bool
    ) -> TransformerScorer:
        """A trained scorer: the base encoder, then the saved weights of `directory`.

        LoRA adapters are merged into the encoder after loading.

        Parameters
        ----------
        directory : Path
            The model directory holding the transformer weight file.
        base_dir : Path
            Local directory of the base encoder.
        info : BaseModelInfo
            The base encoder's record from ``model.json``.
        n_codes : int
            Logits per input (the trained codes).
        uses_context : bool
            Give the previous turn as second text.

        Returns
        -------
        TransformerScorer
            Ready for scoring.

        Raises
        ------
        ModelError
            When the weights do not fit the base encoder.
        """
        scorer = cls.create(
            info.name,
            base_dir,
            info.sha256,
            n_codes,
            full_finetune=info.full_finetune,
            uses_context=uses_context,
            lora=info.lora,
            context=info.context,
        )
        scorer.info = info
        try:
            state = load_file(directory / WEIGHT_FILES["transformer"])
            scorer._load_trainable_state(state)
        except (RuntimeError, KeyError, ValueError) as err:
            raise ModelError(f"{directory}: weights do not fit the base encoder ({err})") from None
        if not info.full_finetune:  # fold the adapters in: inference runs at base speed
            scorer.model.encoder = scorer.model.encoder.merge_and_unload()
        return scorer
