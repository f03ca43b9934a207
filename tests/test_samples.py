"""Every sample in data/samples reads, segments and resolves roles as a reader of it would."""

from __future__ import annotations

import pytest

from transcript_alliance import Role, read_session, segment_session
from transcript_alliance.read.manifest import read_manifest

from .conftest import SAMPLES

# file, format, {speaker: role}
EXPECTED = [
    ("maya_01.txt", "text", {"Dr. Lee": Role.THERAPIST, "Maya": Role.CLIENT}),
    ("maya_02.docx", "docx", {"Therapist": Role.THERAPIST, "Client": Role.CLIENT}),
    ("maya_03.vtt", "vtt", {"Dr. Lee": Role.THERAPIST, "Maya": Role.CLIENT}),
    ("maya_04.json", "whisper", {"SPEAKER_00": Role.THERAPIST, "SPEAKER_01": Role.CLIENT}),
    ("jordan_01.csv", "csv", {"Sam Ortiz": Role.THERAPIST, "Jordan": Role.CLIENT}),
    ("jordan_02.srt", "srt", {"Sam": Role.THERAPIST, "Jordan": Role.CLIENT}),
    ("jordan_03.cha", "chat", {"THE": Role.THERAPIST, "CLI": Role.CLIENT}),
    (
        "couple_01.txt",
        "text",
        {"Therapist": Role.THERAPIST, "Priya": Role.CLIENT, "Dan": Role.CLIENT},
    ),
]


@pytest.mark.parametrize(("name", "fmt", "roles"), EXPECTED, ids=[e[0] for e in EXPECTED])
def test_sample_reads_with_expected_roles(name, fmt, roles):
    session = segment_session(read_session(SAMPLES / "sessions" / name))
    assert session.format == fmt
    assert {label: info.role for label, info in session.speakers.items()} == roles
    assert 300 <= session.n_words <= 1200
    assert len(session.utterances) > len(session.turns) / 2
    # Turns alternate between speakers (consecutive pieces of one speaker were merged),
    # except where a backchannel was lifted out of a turn.
    for before, after in zip(session.turns, session.turns[1:]):
        assert before.speaker != after.speaker or after.backchannel or before.backchannel


def test_manifest_ties_samples_to_clients():
    entries = read_manifest(SAMPLES / "manifest.csv")
    assert len(entries) == 12
    clients = {e.metadata["client_id"] for e in entries}
    assert {"C01", "C02"} <= clients
    session = read_session(entries[1].path, metadata=entries[1].metadata)
    assert (session.session_id, session.client_id, session.session_number) == ("maya_02", "C01", 2)
    assert session.metadata["modality"] == "CBT"


def test_selfreports_cover_the_two_clients_sessions():
    import pandas as pd

    reports = pd.read_csv(SAMPLES / "selfreports.csv")
    assert set(reports.client_id) == {"C01", "C02"}
    items = reports[[f"wai{i}" for i in range(1, 13)]]
    assert items.isin([1, 2, 3, 4, 5]).all().all()
    manifest = pd.read_csv(SAMPLES / "manifest.csv")
    assert set(reports.session_id) <= set(manifest.session_id)
