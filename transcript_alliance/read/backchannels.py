"""Backchannels written inside another speaker's turn, `... and then [C: mm-hmm] I left`,
become short turns of their own, so that each speaker's words stay with that speaker."""

from __future__ import annotations

import re

from ..session import Event, Session, Turn
from .roles import is_known_label

_INLINE = re.compile(r"[\[(](?P<label>[^\W\d_][\w.'\- ]{0,30}?):\s*(?P<text>[^\])]{1,60})[\])]")


def lift_backchannels(session: Session) -> None:
    """Split `[Label: text]` out of turns when Label is a speaker of the session or a known
    role name; the host turn keeps a `backchannel` event where it was."""
    speakers = {label.casefold(): label for label in session.speaker_labels()}
    lifted: list[Turn] = []
    for turn in session.turns:
        lifted.append(turn)
        for m in _INLINE.finditer(turn.text):
            label = m.group("label").strip()
            if label.casefold() not in speakers and not is_known_label(label):
                continue
            speaker = speakers.get(label.casefold(), label)
            turn.events.append(Event("backchannel", m.group(0), m.start(), m.end()))
            lifted.append(
                Turn(
                    0,
                    speaker,
                    m.group("text").strip(),
                    start=turn.start,
                    end=turn.end,
                    source_line=turn.source_line,
                    backchannel=True,
                )
            )
    for index, turn in enumerate(lifted):
        turn.index = index
    session.turns = lifted
