"""Short codes for a session's warnings, for the `warnings` column of sessions.csv.

A session's warnings (`Session.warnings`, from reading, and `run.scoring.session_warnings`,
from scoring) are sentences for a person: they name lines, speaker labels and quote text.
A researcher coding thousands of files needs to filter the sessions read with guesses, and
a redacted run must not write what the sentences quote. So sessions.csv holds one code per
warning (``ROLES_GUESSED; SHORT_SESSION``): no transcript text, no labels, no ids.

This module is the one home of the codes: each is given by the start (or a fixed phrase) of
the sentences that say it, in `RULES`. A sentence that matches no rule is `OTHER`, so that
no warning is ever dropped from the column; `tests/test_warning_codes.py` holds an example
of every rule and reads the shipped samples to keep `OTHER` unused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum

from .errors import NAME_GUESSED


class WarningCode(StrEnum):
    """What a warning is about (docs/COLUMNS.md lists them with their meaning)."""

    # reading: the file, its encoding and format
    NAME_GUESSED = "NAME_GUESSED"
    ENCODING_GUESSED = "ENCODING_GUESSED"
    FORMAT_FROM_CONTENT = "FORMAT_FROM_CONTENT"
    UNPUNCTUATED = "UNPUNCTUATED"
    # reading: what was left out or read otherwise than it looks
    HEADER_MOST_OF_FILE = "HEADER_MOST_OF_FILE"
    HEADER_LEFT_OUT = "HEADER_LEFT_OUT"
    FOOTER_LEFT_OUT = "FOOTER_LEFT_OUT"
    LABEL_READ_AS_SPEECH = "LABEL_READ_AS_SPEECH"
    EMPTY_TURN_DROPPED = "EMPTY_TURN_DROPPED"
    DIRECT_MESSAGES_LEFT_OUT = "DIRECT_MESSAGES_LEFT_OUT"
    CUES_UNNAMED_VOICE = "CUES_UNNAMED_VOICE"
    CUES_REPEATED = "CUES_REPEATED"
    CELLS_IGNORED = "CELLS_IGNORED"
    SHEET_CHOSEN = "SHEET_CHOSEN"
    FORMULAS_UNSAVED = "FORMULAS_UNSAVED"
    WORKBOOK_NOTE = "WORKBOOK_NOTE"
    TABLES_SKIPPED = "TABLES_SKIPPED"
    PROPERTIES_UNREADABLE = "PROPERTIES_UNREADABLE"
    CHAT_TIER_MISALIGNED = "CHAT_TIER_MISALIGNED"
    CHAT_NOTE = "CHAT_NOTE"
    # reading: speakers and roles
    SPEAKER_GUESSED = "SPEAKER_GUESSED"
    SPEAKER_UNKNOWN = "SPEAKER_UNKNOWN"
    ROLES_GUESSED = "ROLES_GUESSED"
    ROLES_AMBIGUOUS = "ROLES_AMBIGUOUS"
    ROLES_MAP_UNUSED = "ROLES_MAP_UNUSED"
    NO_THERAPIST_ROLE = "NO_THERAPIST_ROLE"
    NO_CLIENT_ROLE = "NO_CLIENT_ROLE"
    # scoring (`run.scoring.session_warnings`) and the run (`io.renamed_note`)
    SHORT_SESSION = "SHORT_SESSION"
    ROLES_UNCERTAIN = "ROLES_UNCERTAIN"
    NO_CLIENT_SPEECH = "NO_CLIENT_SPEECH"
    LITTLE_CLIENT_SPEECH = "LITTLE_CLIENT_SPEECH"
    NO_THERAPIST_SPEECH = "NO_THERAPIST_SPEECH"
    ID_RENAMED = "ID_RENAMED"
    # a warning no rule knows (still recorded: a session read with it is not clean)
    OTHER = "OTHER"


C = WarningCode
# (code, pattern searched in the sentence); the first match wins. Patterns anchor on the
# fixed words of each sentence, never on the names, lines or numbers inside it.
RULES: tuple[tuple[WarningCode, re.Pattern[str]], ...] = tuple(
    (code, re.compile(pattern))
    for code, pattern in (
        (C.NAME_GUESSED, re.escape(NAME_GUESSED)),
        (C.ENCODING_GUESSED, r"^mixed encodings: |^not UTF-8: read as cp1252"),
        (C.FORMAT_FROM_CONTENT, r"^the extension says .* but the content is "),
        (C.UNPUNCTUATED, r"^the text has no sentence punctuation"),
        (C.HEADER_MOST_OF_FILE, r": most of the file \(.* was left out as a header"),
        (C.HEADER_LEFT_OUT, r" before the first speaker label and were read as a header"),
        (C.FOOTER_LEFT_OUT, r": a transcription tool's footer "),
        (C.LABEL_READ_AS_SPEECH, r" looks like a speaker label but appears only once"),
        (C.EMPTY_TURN_DROPPED, r"' with no speech; dropped$"),
        (C.DIRECT_MESSAGES_LEFT_OUT, r" direct message\(s\) between two people"),
        (C.CUES_UNNAMED_VOICE, r"^cue\(s\) .*: dialogue lines \('- \.\.\.'\) without a speaker"),
        (C.CUES_REPEATED, r"^\d+ cue\(s\) repeat the caption line"),
        (C.HEADER_LEFT_OUT, r" above the header \(row \d+\) read as a title"),
        (C.SHEET_CHOSEN, r"^read the sheet '.*' \(the first with speaker and text columns\)"),
        (C.CELLS_IGNORED, r": cells to the right of the header's columns were ignored$"),
        (C.FORMULAS_UNSAVED, r" hold formulas with no saved value"),
        (C.WORKBOOK_NOTE, r"^the workbook: "),
        (C.TABLES_SKIPPED, r" without speaker and text headers \(not the transcript\) skipped"),
        (C.PROPERTIES_UNREADABLE, r"^the document's properties \(.*\) could not be read"),
        (C.CHAT_TIER_MISALIGNED, r"the %mor tier does not align"),
        (C.CHAT_NOTE, r"^CHAT: "),
        (C.SPEAKER_GUESSED, r"^\d+ segment\(s\) without a 'speaker'"),
        (C.SPEAKER_UNKNOWN, r"^speaker '.*' is not a known role name; read as other"),
        (C.ROLES_GUESSED, r"^roles guessed: "),
        (C.ROLES_AMBIGUOUS, r" share the role word '.*' and differ only by their numbers"),
        (C.ROLES_MAP_UNUSED, r"^(?:the roles map|`roles`) names .* not speak in this file"),
        (C.NO_THERAPIST_ROLE, r"^no speaker was read as the therapist"),
        (C.NO_CLIENT_ROLE, r"^no speaker was read as a client"),
        (C.SHORT_SESSION, r"^too short to judge "),
        (C.ROLES_UNCERTAIN, r"^roles uncertain for "),
        (C.NO_CLIENT_SPEECH, r"^no client speech"),
        (C.LITTLE_CLIENT_SPEECH, r"^little client speech"),
        (C.NO_THERAPIST_SPEECH, r"^no therapist speech"),
        (C.ID_RENAMED, r"^session_id '.*' is another file's in this run too; renamed '"),
    )
)


# What each code says, for docs/COLUMNS.md (`column_docs.render_markdown`); `inspect FILE`
# prints the file's warnings in full (lines, labels, confidence).
MEANINGS: dict[WarningCode, str] = {
    C.NAME_GUESSED: "the file name is not UTF-8: the session id was read as Windows-1252",
    C.ENCODING_GUESSED: "the text is not UTF-8 (in whole or in some lines): read as cp1252",
    C.FORMAT_FROM_CONTENT: "the content is another format than the extension says; read as "
    "the content",
    C.UNPUNCTUATED: "next to no sentence punctuation (raw speech recognition): utterances "
    "cut by pauses and length; question measures unreliable",
    C.HEADER_MOST_OF_FILE: "most of the file came before the first speaker label and was "
    "left out as a header: the labels were probably not recognised",
    C.HEADER_LEFT_OUT: "lines or rows before the first label (or the table's header) were "
    "read as a header or title, not speech",
    C.FOOTER_LEFT_OUT: "a transcription tool's footer was left out",
    C.LABEL_READ_AS_SPEECH: "a line looked like a speaker label but the label appears once; "
    "read as speech",
    C.EMPTY_TURN_DROPPED: "a speaker label with no speech was dropped",
    C.DIRECT_MESSAGES_LEFT_OUT: "chat messages to one person were left out of the turns",
    C.CUES_UNNAMED_VOICE: "subtitle cues with dialogue dashes but no speaker names: a "
    "second voice is read with the speaker before it",
    C.CUES_REPEATED: "rolling or highlighted captions: repeated lines read once",
    C.CELLS_IGNORED: "table cells to the right of the header's columns were ignored",
    C.SHEET_CHOSEN: "a workbook sheet other than the first was read",
    C.FORMULAS_UNSAVED: "spreadsheet formulas with no saved value were read as empty",
    C.WORKBOOK_NOTE: "the spreadsheet library reported a problem with the workbook",
    C.TABLES_SKIPPED: "Word tables that are not the transcript were skipped",
    C.PROPERTIES_UNREADABLE: "the Word document's properties could not be read",
    C.CHAT_TIER_MISALIGNED: "a CHAT dependent tier does not align; the main tier was read",
    C.CHAT_NOTE: "the CHAT reader reported a problem",
    C.SPEAKER_GUESSED: "segments without a speaker took one from their words or neighbours "
    "(or UNKNOWN)",
    C.SPEAKER_UNKNOWN: "a speaker is not a known role name and was read as other",
    C.ROLES_GUESSED: "speaker roles were guessed by the heuristic (who asks, who talks more)",
    C.ROLES_AMBIGUOUS: "speakers share a role word and differ only by number; roles guessed",
    C.ROLES_MAP_UNUSED: "a label of the roles map does not speak in this file",
    C.NO_THERAPIST_ROLE: "no speaker was read as the therapist",
    C.NO_CLIENT_ROLE: "no speaker was read as a client",
    C.SHORT_SESSION: "fewer than 40 utterances or 300 words: too short to judge",
    C.ROLES_UNCERTAIN: "a speaker's role has a confidence under 0.7",
    C.NO_CLIENT_SPEECH: "no client speech: client codes cannot be counted",
    C.LITTLE_CLIENT_SPEECH: "the client said under 15% of the words",
    C.NO_THERAPIST_SPEECH: "no therapist speech: therapist codes cannot be counted",
    C.ID_RENAMED: "another file in the run had this session id: renamed -2, -3, ...",
    C.OTHER: "a warning without a code of its own (`inspect FILE` shows it)",
}


def warning_code(message: str) -> WarningCode:
    """The code of one warning sentence (`OTHER` when no rule knows it).

    Parameters
    ----------
    message : str
        A warning as a session or `session_warnings` holds it.

    Returns
    -------
    WarningCode
    """
    for code, pattern in RULES:
        if pattern.search(message):
            return code
    return WarningCode.OTHER


def warning_codes(messages: Iterable[str]) -> list[str]:
    """The codes of a session's warnings, each once, in the order first said.

    Parameters
    ----------
    messages : iterable of str
        The warning sentences (a code among them is kept as it is).

    Returns
    -------
    list of str
        Codes such as ``["ROLES_GUESSED", "SHORT_SESSION"]``; empty for a clean session.
    """
    known = set(WarningCode)
    codes = (m if m in known else warning_code(m).value for m in messages)
    return list(dict.fromkeys(codes))


def split_codes(cell: object) -> list[str]:
    """The codes of a `warnings` cell as read back from sessions.csv (NaN or "" -> []).

    Parameters
    ----------
    cell : object
        The cell's value.

    Returns
    -------
    list of str
    """
    return [c for c in cell.split("; ") if c] if isinstance(cell, str) else []
