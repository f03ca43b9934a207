"""WebVTT (telehealth platforms, Zoom/Teams exports): `<v Name>` voice tags (several in one
cue are several pieces) or `Name:` prefixes, cue times kept."""

from __future__ import annotations

import io
import re

import webvtt as webvtt_lib

from ...errors import InputError
from ...session import Session
from ..base import Source
from ..cues import Cue, check_timings, session_from_cues, voice_spans
from ..labels import parse_timestamp

_TIMING = re.compile(
    r"^(\d{1,2}:)?\d{2}:\d{2}\.\d{3}\s+-->\s+(\d{1,2}:)?\d{2}:\d{2}\.\d{3}(\s+.*)?$"
)


def read(source: Source) -> Session:
    """Read WebVTT subtitles; speakers from ``<v Name>`` voice tags or ``Name:`` prefixes.

    Parameters
    ----------
    source : Source
        The file and its options.

    Returns
    -------
    Session
        Turns built from the cues (`session_from_cues`), start and end in seconds.

    Raises
    ------
    InputError
        No ``WEBVTT`` first line, a broken timing line (1-based line and cue), a file the
        WebVTT parser refuses, no cue with text, or no speaker names in the captions.
    """
    text = source.text
    if not text.lstrip().startswith("WEBVTT"):
        raise InputError(source.name, "expected a WebVTT file starting with 'WEBVTT'", "line 1")
    check_timings(text, source.name, _TIMING, "00:01:02.500 --> 00:01:05.000")
    try:
        captions = webvtt_lib.from_buffer(io.StringIO(text))
    except Exception as err:  # the library's MalformedFileError and friends
        raise InputError(source.name, f"not a well-formed WebVTT file ({err})") from None
    cues = [
        Cue(
            n,
            parse_timestamp(c.start),
            parse_timestamp(c.end),
            c.raw_text,
            (c.voice or "").strip() or None,
            voice_spans(c.raw_text),
        )
        for n, c in enumerate(captions, start=1)
        if c.text.strip()
    ]
    return session_from_cues(source, cues, "vtt")
