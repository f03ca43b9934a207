"""Plain text with a speaker label at the start of each turn, in any layout the label
grammar knows (`T:`, `[00:01:02] Client:`, `Name  0:05` above the speech, `10:02:11 From
Name to Everyone:` chat logs); unlabelled lines continue the turn above them. HTML entities
(`&amp;`, `&nbsp;`) from text copied out of a web page are decoded."""

from __future__ import annotations

import html

from ...session import Session
from ..base import Source, merge_consecutive
from ..labels import read_lines, require_labels, stated_roles


def read(source: Source) -> Session:
    """Read a plain-text transcript: a speaker label at the start of each turn.

    Parameters
    ----------
    source : Source
        The file and its options (``known_labels`` from the roles map).

    Returns
    -------
    Session
        Turns from the label grammar (`read_lines`); ``metadata["layout"]`` names the
        layout recognised, ``metadata["direct_messages"]`` holds chat messages sent to one
        person, and roles the labels state go to ``metadata["speaker_roles"]``.

    Raises
    ------
    InputError
        No speaker labels, or a line or turn longer than `MAX_TURN_CHARS` (1-based line).
    """
    lines = [(n, html.unescape(text)) for n, text in source.numbered_lines()]
    reading = read_lines(lines, source.name, source.options.known_labels)
    require_labels(reading.turns, source.name, len(lines))
    session = source.new_session(merge_consecutive(reading.turns), "text", reading.warnings)
    session.metadata["layout"] = reading.layout
    if roles := stated_roles(session.turns):
        session.metadata.setdefault("speaker_roles", {}).update(roles)
    if reading.direct_messages:
        session.metadata["direct_messages"] = reading.direct_messages
    return session
