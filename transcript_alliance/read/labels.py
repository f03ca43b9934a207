"""Speaker labels and times at the start of a line, read with one grammar for every tool's
layout: a label (`T`, `Dr. Lee`, `[Name]`, `Speaker 1`) and a time, in either order, on the
line with the speech (`Name:<TAB>00:00:06<TAB>speech`, `[00:01:02] Client: ...`,
`Speaker 0    00:00:00    speech`) or alone on a line above it (`Name  0:05`,
`Speaker 1 (00:05):`, `[Name] 14:00:05`, `00:00:02 Name`), optionally after a caption mark
(`>> NAME:`) or a dialogue dash (`- Name:`); and chat logs (`10:02:11 From  Name  to
Everyone:`). The time is the turn's start, never speech. Shared by the plain-text and Word
readers, and by the subtitle readers for labels inside cues."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..errors import InputError
from ..session import Turn
from .roles import is_known_label

_TS = r"(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
_NAME = r"[^\W\d_][\w.'’\- ]{0,38}?"
_MARK = r"(?P<mark>>>+\s*|[-–—]\s*)?"  # caption speaker-change mark or dialogue dash
_WIDE = r"(?:\t|\s{2,})"  # a tab or a run of spaces: a column break, not a word space


def _time(name: str) -> str:
    """A time, bracketed or not, or a range of two (`[00:00:06 - 00:00:09]`): the first is
    the start."""
    return rf"[\[(]?(?P<{name}>{_TS})(?:[\])]?\s*(?:-->|[-–~])\s*[\[(]?{_TS})?[\])]?"


# `10:02:11 From  Name  to  Everyone:` (Zoom's saved chat), the message on the line or below.
_CHAT_LOG = re.compile(
    rf"^\s*{_time('ts1')}\s+From\s+(?P<label>.{{1,80}}?)"
    r"(?:\s+(?i:to)\s+(?P<to>.{1,80}?))?\s*:(?:\s+|$)(?P<text>.*)$"
)
# [time] Label [time]: [time<TAB>] speech
_COLON = re.compile(
    rf"^\s*{_MARK}(?:{_time('ts1')}\s+)?(?:(?P<label>{_NAME})|\[(?P<blabel>{_NAME})\])"
    rf"\s*(?:{_time('ts2')})?\s*:(?:\s+|$)(?:(?P<ts3>{_TS})(?:{_WIDE}|\s*$))?(?P<text>.*)$"
)
# [time] [Label] [time] [speech]
_BRACKET = re.compile(
    rf"^\s*{_MARK}(?:{_time('ts1')}\s+)?\[(?P<blabel>{_NAME})\]\s*(?:{_time('ts2')})?"
    r"(?:\s+(?P<text>\S.*))?\s*$"
)
# Label time (speech below), as Otter writes it
_LABEL_TIME = re.compile(rf"^\s*{_MARK}(?P<label>{_NAME})\s+{_time('ts2')}\s*$")
# Label<WIDE>time<WIDE>speech, as Rev.ai's text export writes it
_LABEL_TIME_SPEECH = re.compile(
    rf"^\s*{_MARK}(?P<label>{_NAME}){_WIDE}{_time('ts2')}{_WIDE}(?P<text>\S.*)$"
)
# time Label (speech below)
_TIME_LABEL = re.compile(rf"^\s*{_MARK}{_time('ts1')}\s+(?P<label>{_NAME})\s*$")
_PATTERNS = (_CHAT_LOG, _COLON, _BRACKET, _LABEL_TIME, _LABEL_TIME_SPEECH, _TIME_LABEL)

_MAX_LABEL_WORDS = 4
MAX_TURN_CHARS = 200_000  # far above any real turn; keeps a runaway line from stalling spaCy
# Bracketed stage directions are events, never speakers: `[background noise]`, `[laughs]`.
_STAGE_TEXT = """
laughs laughter laughing laugh chuckles inaudible unintelligible indiscernible crosstalk
overlapping overlap music noise background silence pause applause coughs cough sighs sigh
cries crying phone door static beep foreign blank_audio sound sounds audio video recording
tearful
"""
_STAGE_WORDS = frozenset(_STAGE_TEXT.split())
# Speaker names that diarization tools give; believed even when they occur once.
_GENERIC = re.compile(r"^(unknown( speaker)?|speaker[ _-]?\w{1,3}|spk_?\d+|guest)$", re.I)
# Marks that change nothing on screen but hide a label from a plain pattern.
_INVISIBLE = dict.fromkeys(
    map(
        ord,
        "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u202a\u202b"
        "\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
    )
)
# "Transcribed by https://otter.ai": a tool's footer, not speech.
_TOOLS = r"otter|rev|descript|trint|sonix|temi|happy ?scribe|fireflies|tactiq|fathom|whisper"
_FOOTER = re.compile(
    r"^\s*(?:(?:this\s+)?(?:transcript\s+(?:was\s+)?)?(?:transcribed|transcription|transcript|"
    r"generated|created|exported|produced|powered))\s+(?:by|with|using|from|on)\s+"
    rf"(?:\S*(?:https?://|www\.|\.(?:ai|com|io|net|org)\b)|(?:{_TOOLS})\b)",
    re.IGNORECASE,
)
_UNKNOWN = re.compile(r"^unknown(?:[ _]speaker)?(?:[ _]?\d+)?$", re.IGNORECASE)
_NAMEISH = re.compile(r"^(?:[A-Z][\w.'’-]*)(?: [A-Z][\w.'’-]*){0,2}$")
# Zoom's chat logs a reaction as a message: not something anyone wrote.
_REACTION = re.compile(r'^\s*(?:Reacted to ".*" with \S+|Removed a \S+ reaction from ".*")\s*$')
_EVERYONE = re.compile(r"^(everyone|all)\b", re.IGNORECASE)


@dataclass
class LabelledLine:
    """A line that starts with a speaker label, as `match_label` reads it.

    Attributes
    ----------
    line : int
        1-based line (or cue) number in the file.
    label : str
        The speaker label, spaces collapsed.
    text : str
        The speech after the label on the same line ("" when it follows below).
    start : float or None
        The time the line gives, in seconds.
    layout : str
        Which arrangement of label, time and speech the line has ("label: speech",
        "[label] time / speech below", ...).
    to : str or None
        Chat logs: whom a direct message went to.
    """

    line: int
    label: str
    text: str
    start: float | None
    layout: str = "label: speech"  # which arrangement of label, time and speech the line has
    to: str | None = None  # chat logs: whom a direct message went to


@dataclass
class LabelReading:
    """What the lines gave: turns, warnings, the layout recognised, and chat messages that
    were sent to one person only (left out of the turns)."""

    turns: list[Turn]
    warnings: list[str]
    layout: str | None = None
    direct_messages: list[dict[str, object]] = field(default_factory=list)


def parse_timestamp(value: str) -> float:
    """A timestamp in seconds: '01:02:03.5', '1:02' or '00:01:02,500' (comma as decimal).

    Parameters
    ----------
    value : str
        Colon-separated hours, minutes and seconds (any leading parts may be absent).

    Returns
    -------
    float
        Seconds.

    Raises
    ------
    ValueError
        A part is not a number (callers turn it into `InputError` with the row).
    """
    parts = value.replace(",", ".").split(":")
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + float(part)
    return seconds


def strip_invisible(text: str) -> str:
    """Zero-width spaces, direction marks and stray byte-order marks removed.

    Parameters
    ----------
    text : str

    Returns
    -------
    str
        The text without those characters (same otherwise).
    """
    return text.translate(_INVISIBLE)


def match_label(line: str) -> LabelledLine | None:
    """The label, time, speech and layout of a line that starts with a speaker label.

    Stage directions (``[Background noise]``, ``[door slams]``), labels of more than a few
    words, and a lower-case word after a time are not labels.

    Parameters
    ----------
    line : str
        One line of a transcript.

    Returns
    -------
    LabelledLine or None
        With ``line`` 0 (the caller sets it); None when the line has no label.
    """
    line = strip_invisible(line)
    for pattern in _PATTERNS:
        m = pattern.match(line)
        if m is None:
            continue
        found = _labelled(m, pattern)
        if found is not None:
            return found
    return None


def _labelled(m: re.Match[str], pattern: re.Pattern[str]) -> LabelledLine | None:
    g = m.groupdict()
    bracketed = bool(g.get("blabel"))
    label = " ".join((g.get("label") or g.get("blabel") or "").split()).rstrip(" -–—")
    text = (g.get("text") or "").strip()
    times = [g.get(k) for k in ("ts1", "ts2", "ts3")]
    if not label or len(label.split()) > _MAX_LABEL_WORDS or _is_stage(label):
        return None
    named = _GENERIC.match(label) or is_known_label(label)
    if pattern is _BRACKET and not (text or any(times) or named):
        return None  # `[Background noise]` alone on a line: a stage direction
    if bracketed and label[0].islower() and not _GENERIC.match(label):
        return None  # `[door slams] ...`: lower-case brackets hold directions, not names
    if pattern is _TIME_LABEL and not label[0].isupper():
        return None  # `00:01 okay` is speech with a time, `00:01 Dana` a label
    start = next((parse_timestamp(t) for t in times if t), None)
    if pattern is _CHAT_LOG:
        to = (g.get("to") or "").strip() or None
        head = "time From label to whom:" if g.get("to") else "time From label:"
        layout = head + (" speech" if text else " / speech below")
        direct = to if to and not _EVERYONE.match(to) else None
        return LabelledLine(0, label, text, start, layout, direct)
    return LabelledLine(0, label, text, start, _layout(g, bracketed, pattern, text))


def _layout(g: dict[str, str | None], bracketed: bool, pattern: re.Pattern[str], text: str) -> str:
    mark = (g.get("mark") or "").strip()
    parts = [">>" if mark.startswith(">") else ("-" if mark else "")]
    parts.append("time" if g.get("ts1") else "")
    name = "[label]" if bracketed else "label"
    parts.append(name + (" time" if g.get("ts2") else "") + (":" if pattern is _COLON else ""))
    parts.append("time" if g.get("ts3") else "")
    layout = " ".join(p for p in parts if p)
    return f"{layout} speech" if text else f"{layout} / speech below"


def _is_stage(label: str) -> bool:
    return label.split()[0].casefold() in _STAGE_WORDS


def stated_roles(turns: list[Turn]) -> dict[str, str]:
    """Roles the labels themselves state for the file: `Unknown Speaker` (Otter, diarization
    tools) is someone the tool could not place, a speaker of its own with role other."""
    return {t.speaker: "other" for t in turns if _UNKNOWN.match(t.speaker)}


def is_footer(line: str) -> bool:
    """Whether a line is a transcription tool's footer ("Transcribed by otter.ai").

    Parameters
    ----------
    line : str

    Returns
    -------
    bool
    """
    return bool(_FOOTER.match(line))


def _believed_labels(
    matches: list[LabelledLine | None], known: set[str], names_once: bool = False
) -> tuple[set[str], str | None]:
    """Labels to believe, and the file's layout. A label is believed when it is a known
    role name, named in --roles, a diarization tool's generic name, used at least twice,
    or on a line of the file's own timed layout (the layout itself marks it a label). Where
    that layout puts labels on lines of their own, other labels are believed only from
    --roles. With `names_once` (caption cues), a name-like label (`Sam:`, `Dr. Ames:`,
    `SAM OKAFOR:`) is believed once where its cue holds another label line: two speakers
    in one cue."""
    found = [m for m in matches if m]
    counts = Counter(m.label.casefold() for m in found)
    repeated = {label for label, c in counts.items() if c >= 2}
    believed = {
        label
        for label in counts
        if label in repeated or label in known or is_known_label(label) or _GENERIC.match(label)
    }
    layouts = Counter(m.layout for m in found if m.label.casefold() in believed)
    layout = layouts.most_common(1)[0][0] if layouts else None
    if layout and "time" in layout:
        timed = {m.label.casefold() for m in found if m.layout == layout}
        if layout.endswith("speech below"):
            # Label lines stand alone above the speech: `Goal: sleep` below one is speech.
            believed = {label for label in believed if label in timed or label in known}
        believed |= timed
    if names_once:
        shapes = Counter(m.layout for m in found)
        shape = layout or (shapes.most_common(1)[0][0] if shapes else None)
        shared = Counter(m.line for m in found)  # a cue with two label lines: two speakers
        if shape and shape.endswith("label: speech"):
            believed |= {
                m.label.casefold() for m in found if shared[m.line] > 1 and _NAMEISH.match(m.label)
            }
            layouts = Counter(m.layout for m in found if m.label.casefold() in believed)
            layout = layouts.most_common(1)[0][0] if layouts else layout
    if not believed and len(counts) == 1:
        believed = set(counts)  # a one-speaker file still has its speaker
        layout = found[0].layout
    others = [name for name, c in layouts.most_common()[1:] if c >= 2]
    if layout and others:
        layout = f"{layout}; also {', '.join(others)}"
    return believed, layout


def turns_from_lines(
    lines: list[tuple[int, str]],
    path: str,
    known_labels: set[str] | None = None,
    unit: str = "line",
) -> tuple[list[Turn], list[str]]:
    """Group numbered lines into speaker turns; lines without a label continue the turn
    before them. Returns the turns and warnings (see `read_lines`)."""
    reading = read_lines(lines, path, known_labels, unit)
    return reading.turns, reading.warnings


def read_lines(
    lines: list[tuple[int, str]],
    path: str,
    known_labels: set[str] | None = None,
    unit: str = "line",
    times: list[tuple[float | None, float | None]] | None = None,
    voices: list[str | None] | None = None,
    names_once: bool = False,
) -> LabelReading:
    """Group numbered lines into speaker turns with the one label grammar.

    Parameters
    ----------
    lines
        (1-based number, text) pairs; a number may repeat (several lines of one cue).
    path
        The file, for messages.
    known_labels
        Labels named in the --roles map: believed even when they occur once.
    unit
        What a number counts ("line", "cue", "paragraph"), for messages.
    times
        Optional (start, end) seconds for each line (subtitle cues); a turn starts at its
        first line's start (unless its label line gives a time) and ends at its last line's
        end.
    voices
        Optional speaker for each line that opens a voice span (WebVTT `<v Name>`): such a
        line starts that speaker's turn without a label of its own.
    names_once
        Believe a name-like label that occurs once (see `_believed_labels`).

    Returns
    -------
    LabelReading
        Turns (a one-off `Like I said: ...` stays speech, with a warning), warnings, the
        layout recognised, and direct messages of chat logs, left out of the turns.

    Raises
    ------
    InputError
        A line or turn longer than `MAX_TURN_CHARS`.
    """
    known = {k.casefold() for k in (known_labels or set())}
    lines = [(n, strip_invisible(text)) for n, text in lines]
    _check_line_lengths(lines, path, unit)
    matches = _line_labels(lines, voices, known)
    believed, layout = _believed_labels(matches, known, names_once)
    grouping = _Grouping(path, unit)
    for i, ((number, text), m) in enumerate(zip(lines, matches)):
        start, end = times[i] if times else (None, None)
        if m and m.label.casefold() in believed:
            grouping.open_turn(m, number, start, end)
        else:
            grouping.add_line(m, number, text, end)
    turns, messages = grouping.finished()
    warnings = grouping.warnings + _header_warnings(
        grouping.header, grouping.footers, lines, unit, bool(turns)
    )
    return LabelReading(turns, warnings, layout, messages)


def _check_line_lengths(lines: list[tuple[int, str]], path: str, unit: str) -> None:
    """Refuse a line longer than `MAX_TURN_CHARS` (not a transcript)."""
    for number, text in lines:
        if len(text) > MAX_TURN_CHARS:
            raise InputError(
                path,
                f"a single {unit} of {len(text):,} characters; expected {unit}s under "
                f"{MAX_TURN_CHARS:,} characters (is this a transcript?)",
                where=f"{unit} {number}",
            )


def _line_labels(
    lines: list[tuple[int, str]], voices: list[str | None] | None, known: set[str]
) -> list[LabelledLine | None]:
    """Each line's label, if any; a voice span's speaker counts as a label (and is added
    to `known`)."""
    matches = [match_label(text) for _, text in lines]
    for (number, _), m in zip(lines, matches):
        if m:
            m.line = number
    for i, voice in enumerate(voices or []):
        voice = strip_invisible(voice or "").strip()
        if voice:
            matches[i] = LabelledLine(lines[i][0], voice, lines[i][1].strip(), None, "voice")
            known.add(voice.casefold())
    return matches


class _Grouping:
    """The turns built so far from labelled lines, with the header, footer and warnings."""

    def __init__(self, path: str, unit: str) -> None:
        self.path, self.unit = path, unit
        self.warnings: list[str] = []
        self.header: list[int] = []
        self.footers: list[int] = []
        self.turns: list[Turn] = []
        self.direct: dict[int, str] = {}  # id(turn) -> recipient
        self.current: Turn | None = None

    def open_turn(
        self, m: LabelledLine, number: int, start: float | None, end: float | None
    ) -> None:
        """Start a turn at a believed label."""
        current = Turn(len(self.turns), m.label, m.text, start=m.start, source_line=number)
        if current.start is None:
            current.start = start
        current.end = end
        if m.to:
            self.direct[id(current)] = m.to
        self.turns.append(current)
        self.current = current

    def add_line(self, m: LabelledLine | None, number: int, text: str, end: float | None) -> None:
        """A line without a believed label: speech of the current turn, a header line, a
        footer, a chat reaction, or blank."""
        if m:
            self.warnings.append(
                f"{self.unit} {number}: '{m.label}:' looks like a speaker label but appears "
                "only once; read as speech (name it in `roles` to make it a speaker)"
            )
        if not text.strip() or _REACTION.match(text):
            return
        if is_footer(text):
            self.footers.append(number)
        elif self.current is None:
            self.header.append(number)
        else:
            self._continue(text, end)

    def _continue(self, text: str, end: float | None) -> None:
        current = self.current
        assert current is not None
        current.text = f"{current.text} {text.strip()}".strip()
        current.end = end if end is not None else current.end
        if len(current.text) > MAX_TURN_CHARS:
            raise InputError(
                self.path,
                f"a turn longer than {MAX_TURN_CHARS:,} characters; expected speaker labels "
                "to break the text into turns",
                where=f"{self.unit} {current.source_line}",
            )

    def finished(self) -> tuple[list[Turn], list[dict[str, object]]]:
        """The turns with speech, numbered from 0, and the direct messages left out."""
        unit = self.unit
        for turn in (t for t in self.turns if not t.text):
            self.warnings.append(
                f"{unit} {turn.source_line}: '{turn.speaker}:' with no speech; dropped"
            )
        turns = [t for t in self.turns if t.text]
        messages = [_direct_message(t, self.direct[id(t)]) for t in turns if id(t) in self.direct]
        if messages:
            where = ", ".join(str(d["line"]) for d in messages)
            self.warnings.append(
                f"{unit}s {where}: {len(messages)} direct message(s) between two people, not "
                "to everyone; left out of the turns (kept in the session's metadata)"
            )
            turns = [t for t in turns if id(t) not in self.direct]
        for index, turn in enumerate(turns):
            turn.index = index
        return turns, messages


def _direct_message(turn: Turn, to: str) -> dict[str, object]:
    return {
        "line": turn.source_line,
        "from": turn.speaker,
        "to": to,
        "start": turn.start,
        "text": turn.text,
    }


def _header_warnings(
    header: list[int], footers: list[int], lines: list[tuple[int, str]], unit: str, any_turn: bool
) -> list[str]:
    warnings = []
    if footers:
        warnings.append(
            f"{unit} {footers[0]}: a transcription tool's footer "
            f"({_line_text(lines, footers[0])[:40]!r}); not speech, left out"
        )
    if not header or not any_turn:
        return warnings
    span = f"{unit} {header[0]}" if len(header) == 1 else f"{unit}s {header[0]}-{header[-1]}"
    speech = sum(1 for _, text in lines if text.strip()) - len(header) - len(footers)
    if len(header) >= speech:
        warnings.append(
            f"{span}: most of the file ({len(header)} of {len(header) + speech} {unit}s with "
            "text) comes before the first speaker label and was left out as a header; check "
            "that the speaker labels were recognised (inspect shows the layout)"
        )
    else:
        verb = "comes" if len(header) == 1 else "come"
        warnings.append(
            f"{span} {verb} before the first speaker label and were read as a header, not speech"
        )
    return warnings


def _line_text(lines: list[tuple[int, str]], number: int) -> str:
    return next((text.strip() for n, text in lines if n == number), "")


def require_labels(
    turns: list[Turn], path: str, n_lines: int, unit: str = "line", hint: str | None = None
) -> None:
    """Refuse a file without speaker labels, saying what would help.

    Parameters
    ----------
    turns : list of Turn
        The turns read; nothing happens when there are any.
    path : str
        The file, for the message.
    n_lines : int
        How many lines (or cues) the file has, for the message.
    unit : str
        What a line counts ("line", "cue", "paragraph").
    hint : str, optional
        What would help for this format, in place of the general advice.

    Raises
    ------
    InputError
        When `turns` is empty.
    """
    if not turns:
        raise InputError(
            path,
            f"no speaker labels in {n_lines} {unit}s; expected turns such as 'Therapist: ...', "
            "'Name  0:05' or '[Name] 00:01:02' above the speech"
            + (
                f"; {hint}"
                if hint
                else "; a transcript without speaker names needs "
                "diarization first (a diarized transcript would help)"
            ),
        )
