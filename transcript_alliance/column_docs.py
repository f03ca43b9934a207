"""The data dictionary: what every column of `code`'s tables means (unit, range, how it is
computed), declared once here and written out as docs/COLUMNS.md by
`scripts/write_columns_doc.py`. Per-code and per-role families are patterns
(`marker_rate_<role>_<code>`), so the codebook can grow without a new entry; a test keeps
the page in sync with this module and checks that every column `code` writes on the
samples is described."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """One column or a family of columns (`<role>`, `<code>`, `<part>` placeholders)."""

    name: str
    meaning: str
    unit: str = ""
    range: str = ""

    def pattern(self) -> re.Pattern[str]:
        """The column names this entry describes."""
        parts = re.split(r"(<role>|<code>|<part>|<component>|<key>)", self.name)
        holes = {
            "<role>": "(therapist|client)",
            "<code>": "[a-z0-9_]+?",
            "<part>": "(goal|task|bond|total)",
            "<component>": "(goal|task|bond)",
            "<key>": "[a-z0-9_]+",
        }
        return re.compile("".join(holes.get(p, re.escape(p)) for p in parts) + "$")


SCORE = "WAI-SR item metric"
_IDS = [
    Column(
        "session_id",
        "the session: the manifest's session_id, else the file's stem "
        "(the path under the inputs' common folder where two files share a stem)",
    ),
    Column("client_id", "the client, from the manifest or the file's metadata"),
    Column("therapist_id", "the therapist (the manifest's therapist_id; the file's metadata)"),
    Column(
        "session_number", "the session's number in the client's treatment", "count", "1, 2, ..."
    ),
]

_MITI = [
    Column(
        "miti_simple_reflections",
        "therapist simple reflections (MITI 4.2 counts from the codes, docs/MITI.md)",
        "count",
        ">= 0",
    ),
    Column("miti_complex_reflections", "therapist complex reflections", "count", ">= 0"),
    Column("miti_open_questions", "therapist open questions", "count", ">= 0"),
    Column("miti_closed_questions", "therapist closed questions", "count", ">= 0"),
    Column("miti_reflections", "simple + complex reflections", "count", ">= 0"),
    Column("miti_questions", "open + closed questions", "count", ">= 0"),
    Column("miti_r_to_q", "reflections per question (empty with no questions)", "ratio", ">= 0"),
    Column(
        "miti_pct_complex_reflections",
        "complex reflections among reflections",
        "share",
        "0-1",
    ),
    Column("miti_pct_open_questions", "open questions among questions", "share", "0-1"),
    Column(
        "miti_mi_adherent",
        "MI-adherent behaviour counts (affirm, emphasise autonomy, seek collaboration)",
        "count",
        ">= 0",
    ),
    Column(
        "miti_mi_non_adherent",
        "MI-non-adherent counts (confront, advise without "
        "permission: the toolkit's code for persuasion without permission)",
        "count",
        ">= 0",
    ),
    Column("miti_change_talk", "client change talk", "count", ">= 0"),
    Column("miti_sustain_talk", "client sustain talk", "count", ">= 0"),
    Column("miti_pct_change_talk", "change talk among change and sustain talk", "share", "0-1"),
    Column(
        "miti_source",
        "the evidence the MITI counts were taken from: an utterance "
        "counts when a rule marker matched or the classifier gave p >= 0.5",
        range="markers, classifier, classifier+markers",
    ),
]

TABLES: dict[str, tuple[str, list[Column]]] = {
    "sessions.csv": (
        "One row per session (also sessions.parquet).",
        [
            *_IDS,
            Column(
                "path",
                "the input file, relative to the inputs' common folder (empty with `redact`: "
                "a file name often holds the client's name)",
            ),
            Column("date", "the session's date, from the manifest or the file", "ISO date"),
            Column(
                "session_type",
                "the codes, weights and findings used: the manifest's, the "
                "file's own (a de-identified JSON's), else the `session_type` option",
                range="psychotherapy, medication, team",
            ),
            Column("program", "a program the client attends (the manifest's, team sessions)"),
            Column("week", "the program week (the manifest's)", "week", "0, 1, ..."),
            Column("modality", "the manifest's modality column, as written"),
            Column("deidentified", "true when the input was written by `deidentify`"),
            Column(
                "<key>",
                "any other manifest column, as written (kept so tables join on "
                "the lab's own variables)",
            ),
            Column("n_utterances", "utterances (sentences) in the session", "count", ">= 0"),
            Column(
                "n_words",
                "words of all utterances (whitespace tokens, non-lexical events "
                "such as '(laughs)' left out); equals the speakers' words in `inspect`",
                "count",
                ">= 0",
            ),
            Column(
                "<part>",
                "the estimate of Goal, Task, Bond, or Total (their mean), from the "
                "utterances' evidence (docs/ESTIMATION.md)",
                SCORE,
                "1-5",
            ),
            Column(
                "<part>_low",
                "lower end of the 90% interval (percentile bootstrap over turns)",
                SCORE,
                "1-5",
            ),
            Column("<part>_high", "upper end of the 90% interval", SCORE, "1-5"),
            Column(
                "warnings",
                "what was guessed, left out or too thin in reading and scoring the session, "
                "as codes separated by '; ' (ROLES_GUESSED; SHORT_SESSION), empty when "
                "none: see Warning codes below; no text, labels or ids, also with `redact`",
            ),
            Column(
                "<part>_change",
                "the estimate on the last third of the turns minus that on the first third",
                SCORE,
                "-4 to 4",
            ),
            Column("n_utterances_<role>", "utterances said by the role", "count", ">= 0"),
            Column(
                "marker_rate_<role>_<code>",
                "share of the role's utterances with at least "
                "one non-negated rule-marker match for the code (docs/CODEBOOK.md); empty "
                "where the role said nothing or the code is not in this session type's "
                "codebook",
                "share",
                "0-1",
            ),
            Column(
                "classifier_rate_<role>_<code>",
                "mean classifier probability of the code "
                "over the role's utterances: the expected share of its utterances with the "
                "code",
                "share",
                "0-1",
            ),
            Column(
                "style_talk_share_<role>", "the role's share of the session's words", "share", "0-1"
            ),
            Column(
                "style_question_rate_<role>",
                "share of the role's utterances that are questions",
                "share",
                "0-1",
            ),
            Column(
                "style_minimal_response_rate_<role>",
                "share of the role's turns of three words or fewer",
                "share",
                "0-1",
            ),
            Column(
                "style_mean_turn_words_<role>", "mean words per turn of the role", "words", ">= 0"
            ),
            Column(
                "style_lexical_alignment_<role>",
                "mean share of the content lemmas of the "
                "role's turns that repeat the previous turn's",
                "share",
                "0-1",
            ),
            Column(
                "style_lsm",
                "language style matching between therapist and client "
                "(Ireland & Pennebaker, 2010) over nine function-word categories",
                "index",
                "0-1",
            ),
            *_MITI,
        ],
    ),
    "utterances.parquet": (
        "One row per utterance (sentence of a turn).",
        [
            Column("session_id", "the session (as in sessions.csv)"),
            Column("turn", "the turn's number in the session, from 0", "index", ">= 0"),
            Column("utterance", "the utterance's number in the session, from 0", "index", ">= 0"),
            Column("role", "the speaker's role", range="therapist, client, other"),
            Column("speaker", "the speaker label as in the file"),
            Column("start", "start time; see time_interpolated", "seconds", ">= 0"),
            Column("end", "end time; see time_interpolated", "seconds", ">= 0"),
            Column("text", "the utterance's words, whitespace collapsed, events left out"),
            Column(
                "time_interpolated",
                "true where start/end are not the file's own times: a "
                "share of the turn's span by character position (a turn of several "
                "sentences, or words after an event), or an end taken from the next turn",
                range="true, false",
            ),
            Column(
                "start_char",
                "offset of the utterance in the turn's text as read",
                "characters",
                ">= 0",
            ),
            Column("end_char", "end offset in the turn's text as read", "characters", ">= 0"),
            Column("n_words", "words of the utterance (whitespace tokens)", "count", ">= 1"),
            Column(
                "events",
                "non-lexical events in it (laughter, pause, inaudible, ...), separated by ';'",
            ),
            *_IDS[1:],
            Column(
                "m_<code>",
                "rule-marker matches of the code in the utterance, negated ones left out",
                "count",
                ">= 0",
            ),
            Column(
                "p_<code>",
                "the classifier's probability that the utterance carries the code",
                "probability",
                "0-1",
            ),
        ],
    ),
    "markers.parquet": (
        "One row per rule-marker match, negated and hedged ones included.",
        [
            Column("session_id", "the session"),
            Column("turn", "the turn's number", "index", ">= 0"),
            Column("utterance", "the utterance's number", "index", ">= 0"),
            Column("role", "the speaker's role", range="therapist, client, other"),
            Column("speaker", "the speaker label as in the file"),
            Column("code", "the codebook code matched"),
            Column(
                "component",
                "the code's component",
                range="goal, task, bond, collaboration, agreement, rupture, repair, ...",
            ),
            Column("source", "what matched", range="rule"),
            Column("rule", "the id of the codebook pattern that matched"),
            Column(
                "negated", "inside a negation's scope (ConText-style cues)", range="true, false"
            ),
            Column("hedged", "inside a hedge's scope", range="true, false"),
            Column(
                "start_char",
                "offset of the words matched in the turn's text as read",
                "characters",
                ">= 0",
            ),
            Column("end_char", "end offset of the words matched", "characters", ">= 0"),
            Column("text", "the words matched"),
            Column("utterance_text", "the utterance around them"),
        ],
    ),
    "evidence.csv": (
        "The utterances that raised and lowered each component most (up to three a side, "
        "each with |weight| >= 0.1).",
        [
            Column("session_id", "the session"),
            Column("component", "the component", range="goal, task, bond"),
            Column(
                "direction", "whether the utterance raised or lowered it", range="raised, lowered"
            ),
            Column("turn", "the turn's number", "index", ">= 0"),
            Column("utterance", "the utterance's number", "index", ">= 0"),
            Column("role", "the speaker's role", range="therapist, client"),
            Column(
                "weight",
                "signed evidence: the utterance's evidence (0-1) times the "
                "estimator term's weight, summed over the component's terms",
                "evidence units",
                "|weight| >= 0.1",
            ),
            Column(
                "codes",
                "the codes behind the weight: each code, a space and its signed part (3 "
                "decimals), joined by '; ', the largest in absolute value first, e.g. "
                "'negative_affect -0.844; feeling_disclosure +0.500'; the parts sum to the "
                "weight up to rounding (read back with `estimate.estimator.parse_codes`)",
                "evidence units",
            ),
            Column("text", "the utterance"),
        ],
    ),
    "ruptures.csv": (
        "One row per rupture episode.",
        [
            Column("session_id", "the session"),
            Column("start_turn", "first turn of the episode", "index", ">= 0"),
            Column("end_turn", "last turn of the episode", "index", ">= start_turn"),
            Column(
                "kind",
                "the strain with more evidence in the episode (Safran & Muran, 2000)",
                range="withdrawal, confrontation",
            ),
            Column(
                "repaired",
                "the therapist's repair evidence after it reaches 0.5",
                range="true, false",
            ),
            Column("evidence", "the client's words in the episode, separated by ' | '"),
        ],
    ),
    "dyads.csv": (
        "One row per session and clinician: each clinician's alliance with the client.",
        [
            Column("session_id", "the session"),
            Column("client_id", "the client"),
            Column("clinician", "the clinician's speaker label"),
            Column(
                "therapist_id",
                "the clinician's id: the manifest's clinicians map for "
                "team sessions, else therapist_id",
            ),
            Column("n_utterances", "the clinician's utterances", "count", ">= 0"),
            Column(
                "n_client_utterances",
                "the client's utterances answering this clinician",
                "count",
                ">= 0",
            ),
            Column(
                "<part>",
                "the estimate from this clinician's and the answering client utterances",
                SCORE,
                "1-5",
            ),
            Column("<part>_low", "lower end of the 90% interval", SCORE, "1-5"),
            Column("<part>_high", "upper end of the 90% interval", SCORE, "1-5"),
            *[
                Column(
                    c.name,
                    f"{c.meaning}; this clinician's utterances and the client's answers to them",
                    c.unit,
                    c.range,
                )
                for c in _MITI
            ],
        ],
    ),
    "program.csv": (
        "Where the manifest has program and week: each client's alliance with the team "
        "('(team)') and each clinician over the weeks.",
        [
            Column("program", "the program"),
            Column("client_id", "the client"),
            Column("clinician", "a clinician's id, or '(team)' for the session estimates"),
            Column("n_sessions", "sessions", "count", ">= 1"),
            Column("first_week", "first week seen", "week", ">= 0"),
            Column("last_week", "last week seen", "week", ">= 0"),
            Column("<part>_first", "the first session's estimate", SCORE, "1-5"),
            Column("<part>_last", "the last session's estimate", SCORE, "1-5"),
            Column("<part>_mean", "the mean estimate", SCORE, "1-5"),
            Column(
                "<part>_slope_per_week",
                "least-squares slope over the weeks (empty with one week)",
                f"{SCORE} per week",
                "-4 to 4",
            ),
        ],
    ),
    "errors.csv": (
        "One row per input that failed.",
        [
            Column(
                "path",
                "the input file; with `redact`, `input N (hash.suffix)` instead "
                '(DEIDENTIFICATION.md, "Input paths")',
            ),
            Column(
                "error",
                "what was wrong, in one line; with `redact`, the path's pointer, a code "
                "(ROLES_MAP_UNMATCHED, RTTM_NO_WORDS, ...) and the line, row or cue numbers "
                'only (DEIDENTIFICATION.md, "What `redact` removes")',
            ),
        ],
    ),
}


def describe(table: str, column: str) -> Column | None:
    """The entry that documents `column` of `table` (exact names before patterns), or
    None."""
    entries = TABLES[table][1]
    for entry in entries:
        if entry.name == column:
            return entry
    for entry in entries:
        if "<" in entry.name and entry.name != "<key>" and entry.pattern().match(column):
            return entry
    return None


def render_markdown() -> str:
    """docs/COLUMNS.md."""
    lines = [
        "# Columns of `code`'s tables",
        "",
        "Written by `scripts/write_columns_doc.py` from `transcript_alliance/column_docs.py`;",
        "do not edit by hand (tests/test_columns.py checks the two agree). `<role>` is",
        "`therapist` or `client`; `<code>` a codebook code (docs/CODEBOOK.md, and",
        "docs/CODEBOOK_MEDICATION.md for a medication visit's pack); `<part>` one of `goal`,",
        "`task`, `bond`, `total`. Empty cells mean not applicable (a role that said nothing,",
        "a ratio with nothing to divide by, a code the session type does not search).",
        "",
    ]
    for table, (what, entries) in TABLES.items():
        lines += [
            f"## {table}",
            "",
            what,
            "",
            "| column | meaning | unit | range |",
            "|---|---|---|---|",
        ]
        for e in entries:
            lines.append(f"| `{e.name}` | {e.meaning} | {e.unit} | {e.range} |")
        lines.append("")
    return "\n".join(lines + _warning_codes())


def _warning_codes() -> list[str]:
    """The codes of sessions.csv's `warnings` (`warning_codes.MEANINGS`)."""
    from .warning_codes import MEANINGS

    lines = [
        "## Warning codes",
        "",
        "The codes of sessions.csv's `warnings` (`transcript_alliance/warning_codes.py`),",
        "one per kind of warning said in reading, segmenting and scoring the session, in",
        "the order first said: reading's and segmenting's first, then scoring's",
        "(`ENCODING_GUESSED; ROLES_GUESSED; SHORT_SESSION`). Filter on them",
        "(`sessions[sessions.warnings.isna()]` in",
        "pandas: the sessions without any warning); `inspect FILE` prints a file's",
        "warnings in full, and run.json's `warnings` counts the sessions with each code.",
        "",
        "| code | meaning |",
        "|---|---|",
    ]
    lines += [f"| `{code}` | {meaning} |" for code, meaning in MEANINGS.items()]
    return [*lines, ""]
