"""SubRip (.srt) subtitles: speakers from `Name:`, `- Name:` or `[Name]` at the start of a
cue; cue times kept."""

from __future__ import annotations

import re

import pysubs2

from ...errors import InputError
from ...session import Session
from ..base import Source
from ..cues import Cue, check_timings, session_from_cues

_TIMING = re.compile(
    r"^\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}\s+-->\s+\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}(\s+.*)?$"
)


def read(source: Source) -> Session:
    text = source.text
    check_timings(text, source.name, _TIMING, "00:01:02,500 --> 00:01:05,000")
    try:
        subs = pysubs2.SSAFile.from_string(text, format_="srt")
    except Exception as err:  # pysubs2 raises its own and plain errors on damaged files
        raise InputError(source.name, f"not a well-formed SRT file ({err})") from None
    cues = [
        Cue(n, e.start / 1000, e.end / 1000, " ".join(e.plaintext.split()))
        for n, e in enumerate(subs, start=1)
        if e.plaintext.strip()
    ]
    return session_from_cues(source, cues, "srt")
