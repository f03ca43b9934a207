"""Property-based: whatever text or bytes a reader is handed, the only outcomes allowed are
a Session or the toolkit's own input error."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transcript_alliance import InputError, Session, read_session, segment_session
from transcript_alliance.read import EXTENSIONS

SUFFIXES = sorted(EXTENSIONS)
PROPERTY_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# Text that looks a little like transcripts, so readers get past their first checks.
transcriptish = st.lists(
    st.one_of(
        st.text(max_size=80),
        st.builds(
            lambda label, ts, speech: f"{ts}{label}: {speech}",
            st.sampled_from(["T", "C", "Therapist", "Client", "Dr. Lee", "X", "<v A>", "[B]"]),
            st.sampled_from(["", "[00:01:02] ", "00:00:01.000 --> 00:00:02.000\n", "*THE:\t"]),
            st.text(max_size=60),
        ),
        st.sampled_from(["WEBVTT", "@UTF8", "@Begin", "@End", "1", "{", "[", '"', ",", "\t"]),
    ),
    max_size=12,
).map("\n".join)


def _read(tmp_path: Path, suffix: str, data: bytes) -> None:
    path = tmp_path / f"f{suffix}"
    path.write_bytes(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl and friends warn on odd files
        try:
            session = read_session(path)
        except InputError as err:
            assert str(err).startswith(str(path))
            return
    assert isinstance(segment_session(session), Session)
    for u in session.utterances:  # offsets point into the turn they came from
        turn = session.turns[u.turn]
        assert 0 <= u.start_char <= u.end_char <= len(turn.text)


@pytest.mark.parametrize("suffix", SUFFIXES)
@PROPERTY_SETTINGS
@given(data=st.binary(max_size=400))
def test_arbitrary_bytes(tmp_path, suffix, data):
    _read(tmp_path, suffix, data)


@pytest.mark.parametrize("suffix", SUFFIXES)
@PROPERTY_SETTINGS
@given(text=transcriptish, encoding=st.sampled_from(["utf-8", "utf-16", "utf-8-sig"]))
def test_arbitrary_transcript_like_text(tmp_path, suffix, text, encoding):
    _read(tmp_path, suffix, text.encode(encoding, errors="surrogatepass"))


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
@PROPERTY_SETTINGS
@given(data=st.binary(max_size=300))
def test_damaged_zip_archives(tmp_path, suffix, data):
    _read(tmp_path, suffix, b"PK\x03\x04" + data)
