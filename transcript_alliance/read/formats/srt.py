"""SubRip (.srt) subtitles: speakers from `Name:`, `- Name:` or `[Name]` at the start of a
cue's lines (two speakers in one cue are two pieces); cue times kept."""

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
    """Read SubRip (.srt) subtitles; speakers from ``Name:``, ``- Name:`` or ``[Name]``.

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
        A broken timing line (1-based line and cue), a file the SRT parser refuses, no cue
        with text, or no speaker names in the captions.
    """
    text = source.text
    check_timings(text, source.name, _TIMING, "00:01:02,500 --> 00:01:05,000")
    try:
        subs = pysubs2.SSAFile.from_string(_FONT.sub(_as_underline, text), format_="srt")
    except Exception as err:  # pysubs2 raises its own and plain errors on damaged files
        raise InputError(source.name, f"not a well-formed SRT file ({err})") from None
    cues = [
        Cue(n, e.start / 1000, e.end / 1000, _marked(e))
        for n, e in enumerate(subs, start=1)
        if e.plaintext.strip()
    ]
    return session_from_cues(source, cues, "srt")


def _marked(event: pysubs2.SSAEvent) -> str:
    """The cue's lines; the ASS override tags pysubs2 turns `<u>`/`<i>` into are kept as
    `<...>` marks, so that a highlight-word repeat differs from a real repeat."""
    return "\n".join(
        _OVERRIDE.sub(lambda m: "<" + m.group(1) + ">", line)
        for line in event.text.replace("\\h", " ").split("\\N")
    )


_OVERRIDE = re.compile(r"\{([^}]*)\}")
# pysubs2 drops <font> tags, the mark some tools use for the highlighted word; kept as <u>.
_FONT = re.compile(r"<(/?)font\b[^>]*>", re.IGNORECASE)


def _as_underline(m: re.Match[str]) -> str:
    return f"<{m.group(1)}u>"
