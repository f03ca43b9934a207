"""Bounded fuzzing (issue 19): the sample transcripts, mutated byte by byte (and, for
.docx, inside the inflated XML), read and segmented: the only outcomes allowed are a
Session or the toolkit's one-line InputError. Then a batch of mutated samples: every
input ends as a row of sessions.csv or of errors.csv, nothing else. Example counts are
small so the file runs in well under a minute; raise `max_examples` locally to hunt."""

from __future__ import annotations

import io
import random
import shutil
import warnings
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import transcript_alliance as ta
from transcript_alliance import InputError, Session, read_session, segment_session

from .conftest import SAMPLES

SAMPLE_FILES = sorted(p for p in (SAMPLES / "sessions").iterdir() if p.is_file())
FUZZ = settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# One mutation: (kind, position as a fraction of the length, length, a byte).
mutation = st.tuples(
    st.sampled_from(["flip", "delete", "repeat", "insert", "truncate", "swap"]),
    st.floats(0, 1),
    st.integers(1, 64),
    st.integers(0, 255),
)


def mutate(data: bytes, mutations: list[tuple[str, float, int, int]]) -> bytes:
    buffer = bytearray(data)
    for kind, where, size, byte in mutations:
        at = int(where * len(buffer)) if buffer else 0
        if kind == "flip" and buffer:
            buffer[min(at, len(buffer) - 1)] ^= byte or 1
        elif kind == "delete":
            del buffer[at : at + size]
        elif kind == "repeat":
            buffer[at:at] = buffer[at : at + size] * 3
        elif kind == "insert":
            buffer[at:at] = bytes([byte]) * size
        elif kind == "truncate":
            del buffer[at:]
        elif kind == "swap" and len(buffer) > 2 * size:
            other = (at + len(buffer) // 2) % (len(buffer) - size)
            buffer[at : at + size], buffer[other : other + size] = (
                buffer[other : other + size],
                buffer[at : at + size],
            )
    return bytes(buffer)


def mutate_docx(data: bytes, mutations: list) -> bytes:
    """The document's XML mutated, then zipped again: past the ZIP layer, into the parser."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            content = zin.read(item)
            if item.filename == "word/document.xml":
                content = mutate(content, mutations)
            zout.writestr(item, content)
    return out.getvalue()


def read_or_refuse(path: Path) -> Session | None:
    """A Session (segmented, offsets inside their turns) or None after an InputError that
    names the file; anything else fails the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl and friends warn on odd files
        try:
            session = read_session(path)
        except InputError as err:
            assert str(err).startswith(str(path)) and "\n" not in str(err)
            return None
    segmented = segment_session(session)
    for u in segmented.utterances:
        assert 0 <= u.start_char <= u.end_char <= len(segmented.turns[u.turn].text)
    return segmented


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.name)
@FUZZ
@given(mutations=st.lists(mutation, min_size=1, max_size=4))
def test_mutated_samples_read_or_refuse(tmp_path, sample, mutations):
    path = tmp_path / sample.name
    path.write_bytes(mutate(sample.read_bytes(), mutations))
    read_or_refuse(path)


@FUZZ
@given(mutations=st.lists(mutation, min_size=1, max_size=4))
def test_mutated_docx_xml_reads_or_refuses(tmp_path, mutations):
    sample = SAMPLES / "sessions" / "maya_02.docx"
    path = tmp_path / sample.name
    path.write_bytes(mutate_docx(sample.read_bytes(), mutations))
    read_or_refuse(path)


def random_mutation(chance: random.Random) -> tuple[str, float, int, int]:
    kind = chance.choice(["flip", "delete", "repeat", "insert", "truncate", "swap"])
    return kind, chance.random(), chance.randint(1, 64), chance.randint(0, 255)


def test_a_batch_of_mutated_samples_codes_or_lists_every_file(tmp_path):
    """Three mutated copies of every sample (a fixed seed: the same corpus each run)."""
    chance = random.Random(19)
    inputs = tmp_path / "in"
    inputs.mkdir()
    for sample in SAMPLE_FILES:
        for copy in range(3):
            mutations = [random_mutation(chance) for _ in range(chance.randint(1, 3))]
            change = mutate_docx if sample.suffix == ".docx" else mutate
            data = change(sample.read_bytes(), mutations)
            (inputs / f"{sample.stem}_m{copy}{sample.suffix}").write_bytes(data)
    shutil.copy(SAMPLE_FILES[0], inputs / "intact.txt")
    summary = ta.code([inputs], tmp_path / "out", classifier=None, resamples=20)
    out = tmp_path / "out"
    errors = pd.read_csv(out / "errors.csv")
    sessions = pd.read_csv(out / "sessions.csv")
    n_inputs = len(list(inputs.iterdir()))
    assert len(sessions) + len(errors) == n_inputs == summary.sessions + len(summary.failures)
    assert sessions.session_id.is_unique and "intact" in set(sessions.session_id)
    assert not errors.error.str.contains("Traceback").any()
