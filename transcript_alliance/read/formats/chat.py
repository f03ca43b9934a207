"""TalkBank CHAT (.cha): main tiers (`*THE:`, `*PAR:`, `*CLI:`) become turns, `%` dependent
tiers are ignored, bullets (time marks) kept, roles taken from `@Participants`. Parsing is
pylangacq's; this module turns CHAT's transcription codes back into readable speech."""

from __future__ import annotations

import re
import warnings

import pylangacq

from ...errors import InputError
from ...session import Role, Session, Turn
from ..base import Source, merge_consecutive
from ..labels import MAX_TURN_CHARS

_THERAPIST_ROLES = {"therapist", "clinician", "investigator", "doctor", "nurse", "teacher"}
_CLIENT_ROLES = {
    "participant",
    "target_adult",
    "target_child",
    "subject",
    "patient",
    "partner",
    "mother",
    "father",
    "child",
    "brother",
    "sister",
    "sibling",
}
_MAIN_TIER = re.compile(r"^\*([A-Za-z0-9_]+):")
_UUID_PREFIX = re.compile(r"^[0-9a-f-]{36}:\s*")
_MISALIGNED = re.compile(r"mor/word misalignment.*?Main tier: ([^\n]*)", re.DOTALL)

# (pattern, replacement) applied in order to a main tier's text.
_CLEANUP: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\x15[^\x15]*\x15"), " "),  # bullets (time marks)
    (re.compile(r"\[=!\s*([^\]]+)\]"), r"(\1)"),  # paralinguistic: [=! laughs]
    (re.compile(r"&=([\w:]+)"), lambda m: f"({m.group(1).replace(':', ' ')})"),  # &=laughs
    (re.compile(r"&[-~]"), ""),  # fillers (&-uh) keep the word
    (re.compile(r"&\+\S+"), ""),  # phonological fragments
    (re.compile(r"\b(xxx|yyy)\b"), "[inaudible]"),
    (re.compile(r"\bwww\b"), "[untranscribed]"),
    (re.compile(r"\((\.{1,3})\)"), " (pause) "),
    (re.compile(r"\[(?!inaudible\]|untranscribed\])[^\]]*\]"), " "),  # other [codes]
    (re.compile(r"\+(\.\.\.|/\.|//\.|\.\.\?)"), "..."),  # trailing off, interruption
    (re.compile(r"\+/\?"), "?"),
    (re.compile(r"\+[\"^,<+]+(?:/?\.)?"), " "),  # quotation, linker codes
    (re.compile(r"[<>]"), " "),  # scope brackets
    (re.compile(r"@[a-z:]+\b"), ""),  # special form markers (word@s)
    (re.compile(r"\b0\w+"), ""),  # omitted words
    (re.compile(r"(\w)\((\w+)\)"), r"\1\2"),  # shortenings: (be)cause -> because
    (re.compile(r"\((\w+)\)(\w)"), r"\1\2"),
    (re.compile(r"(?<=\w)_(?=\w)"), " "),  # compounds
    (re.compile(r"\s+([.?!,])"), r"\1"),  # terminators attach to the word before them
    (re.compile(r"\s+"), " "),
]


def clean_tier(text: str) -> str:
    """CHAT transcription codes out, readable speech in: 'I &-uh [/] I guess &=laughs .'
    -> 'I uh I guess (laughs).'"""
    for pattern, replacement in _CLEANUP:
        text = pattern.sub(replacement, text)
    return text.strip()


def read(source: Source) -> Session:
    """Read a CHAT (.cha, TalkBank) transcript: one turn per main tier (``*THE:``).

    Parameters
    ----------
    source : Source
        The file and its options.

    Returns
    -------
    Session
        Turns with transcription codes cleaned out (`clean_tier`) and times in seconds
        from the tiers' time marks; ``metadata["speaker_roles"]`` from the ``@ID`` and
        ``@Participants`` headers, ``metadata["speaker_names"]``, and ``date`` from
        ``@Date``. Dependent tiers that do not align are warnings.

    Raises
    ------
    InputError
        The file is not valid CHAT, a main tier names an undeclared speaker, or no main
        tier holds speech.
    """
    text = source.text
    declared = _check_tiers(text, source)
    chat, notes = _parse(text, source)
    participants = {p.code: p for p in chat.participants()}
    turns: list[Turn] = []
    tier_lines = iter(_tier_line_numbers(text))
    for utterance in chat.utterances():
        if not utterance.tiers or not utterance.participant:
            continue  # a header between tiers (@Comment, @G, @Bg): not speech
        line = next(tier_lines, None)
        speech = clean_tier(utterance.tiers.get(utterance.participant, ""))
        if not speech.strip(" .?!"):
            continue
        marks = utterance.time_marks
        start, end = (marks[0] / 1000, marks[1] / 1000) if marks else (None, None)
        turns.append(
            Turn(len(turns), utterance.participant, speech, start=start, end=end, source_line=line)
        )
    if not turns:
        raise InputError(
            source.name, "no main tiers with speech; expected lines like '*THE:\tso .'"
        )
    session = source.new_session(merge_consecutive(turns), "chat", notes)
    session.metadata["speaker_roles"] = {
        code: _role(p.role).value for code, p in participants.items() if code in declared
    }
    session.metadata["speaker_names"] = {code: p.name for code, p in participants.items()}
    if dates := [h.date for h in chat.headers() if h.date]:
        session.date = str(dates[0])
    return session


def _parse(text: str, source: Source) -> tuple[pylangacq.Reader, list[str]]:
    """pylangacq's reading, non-strict: a %mor tier that does not align with its main tier
    does not sink the file (dependent tiers are ignored here); each one is a warning naming
    its line, and no library warning reaches the terminal."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            chat = pylangacq.CHAT.from_strs([text], parallel=False, strict=False)
        except (ValueError, RuntimeError, IndexError, KeyError) as err:
            message = _UUID_PREFIX.sub("", str(err).strip().splitlines()[0])
            raise InputError(source.name, f"not a valid CHAT file ({message})") from None
    notes = []
    for warning in caught:
        message = str(warning.message)
        if m := _MISALIGNED.search(message):
            line = _line_of_tier(text, m.group(1))
            where = f"line {line}: " if line else ""
            notes.append(
                f"{where}the %mor tier does not align with its main tier; dependent tiers are "
                "ignored, the main tier was read"
            )
        else:
            notes.append(f"CHAT: {message.strip().splitlines()[0]}")
    return chat, notes


def _line_of_tier(text: str, shown: str) -> int | None:
    """The line of the main tier that pylangacq's message shows (bullets printed bare)."""
    wanted = " ".join(re.sub(r"\x15", " ", shown).split())
    for number, line in enumerate(text.splitlines(), start=1):
        if _MAIN_TIER.match(line):
            tier = " ".join(re.sub(r"\x15", " ", line.split(":", 1)[1]).split())
            if tier == wanted:
                return number
    return None


def _check_tiers(text: str, source: Source) -> set[str]:
    """CHAT requires every speaker to be declared; pylangacq accepts undeclared ones."""
    if not text.lstrip().startswith("@"):
        raise InputError(
            source.name, "expected a CHAT file starting with '@UTF8' or '@Begin'", "line 1"
        )
    declared: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("@Participants:"):
            declared |= {
                part.split()[0] for part in line.split(":", 1)[1].split(",") if part.split()
            }
        elif len(line) > MAX_TURN_CHARS:
            raise InputError(
                source.name, f"a line of {len(line):,} characters; expected tiers", f"line {number}"
            )
        elif (m := _MAIN_TIER.match(line)) and m.group(1) not in declared:
            raise InputError(
                source.name,
                f"speaker *{m.group(1)} is not declared in @Participants "
                f"(declared: {', '.join(sorted(declared)) or 'none'})",
                f"line {number}",
            )
    return declared


def _tier_line_numbers(text: str) -> list[int]:
    return [n for n, line in enumerate(text.splitlines(), start=1) if _MAIN_TIER.match(line)]


def _role(chat_role: str) -> Role:
    role = chat_role.casefold()
    if role in _THERAPIST_ROLES:
        return Role.THERAPIST
    return Role.CLIENT if role in _CLIENT_ROLES else Role.OTHER
