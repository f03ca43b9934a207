"""MITI-style summary measures of a session (or of one clinician's part of it), from the
utterance table's microskill codes: the counts MITI 4.2 codes (Moyers et al., 2014/2016)
and the summary scores it reports from them, and the client's share of change talk
(MISC 2.5). Definitions and reference thresholds: docs/MITI.md.

An utterance carries a code when the classifier gives it p >= 0.5 (`p_<code>`) or a rule
found it (`m_<code>` > 0): the rules are written for precision (question form, reflection
stems, the common wordings of advice and change talk) and the classifier adds what they
miss; a classifier of an earlier codebook without the codes leaves the rules alone. MITI
codes one behaviour per utterance among simple and complex reflection, and among open and
closed question: an utterance with both of a pair counts once, as the one with the higher
value (a rule match counts as 1).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

THRESHOLD = 0.5  # a classifier probability at or above it counts the utterance
THERAPIST_CODES = (
    "simple_reflection",
    "complex_reflection",
    "open_question",
    "closed_question",
    "affirm",
    "seek_collaboration",
    "emphasize_autonomy",
    "advise_without_permission",
    "confront",
)
CLIENT_CODES = ("change_talk", "sustain_talk")
# MITI 4.2: MI-adherent = seeking collaboration + affirm + emphasizing autonomy;
# MI-non-adherent = persuade + confront (advise without permission is MISC 2.5's and our
# code for persuasion without permission).
ADHERENT = ("affirm", "seek_collaboration", "emphasize_autonomy")
NON_ADHERENT = ("advise_without_permission", "confront")
PAIRS = (("simple_reflection", "complex_reflection"), ("closed_question", "open_question"))


def _values(said: pd.DataFrame, code: str) -> tuple[np.ndarray, set[str]]:
    """Per utterance a value in 0-1 for the code (the higher of the classifier's
    probability and 1 for a rule match), and where it came from."""
    value = np.zeros(len(said))
    sources = set()
    if f"p_{code}" in said:
        value = np.maximum(value, np.nan_to_num(said[f"p_{code}"].to_numpy(dtype=float)))
        sources.add("classifier")
    if f"m_{code}" in said:
        matched = np.nan_to_num(said[f"m_{code}"].to_numpy(dtype=float))
        value = np.maximum(value, np.minimum(matched, 1.0))
        sources.add("markers")
    return value, sources


def _present(said: pd.DataFrame, codes: tuple[str, ...]) -> tuple[dict[str, np.ndarray], set]:
    values, sources = {}, set()
    for code in codes:
        values[code], found = _values(said, code)
        sources |= found
    present = {code: v >= THRESHOLD for code, v in values.items()}
    for low, high in PAIRS:  # one behaviour per utterance within a pair
        if low in values and high in values:
            both = present[low] & present[high]
            higher = values[high] >= values[low]
            present[low] = present[low] & ~(both & higher)
            present[high] = present[high] & ~(both & ~higher)
    return present, sources


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def miti_summary(table: pd.DataFrame) -> dict[str, object]:
    """The MITI-style measures of one session's (or one dyad's) utterance rows.

    Parameters
    ----------
    table : pandas.DataFrame
        Utterance rows with `role` and `p_<code>` and/or `m_<code>` columns.

    Returns
    -------
    dict
        `schema.MITI_COLUMNS`: counts (int), `miti_r_to_q` (reflections per question),
        `miti_pct_*` as shares 0-1 (None where the denominator is 0), and `miti_source`
        (classifier, markers, classifier+markers: which columns were there; None without
        microskill columns).
    """
    therapist = table[table["role"] == "therapist"]
    client = table[table["role"] == "client"]
    t, t_sources = _present(therapist, THERAPIST_CODES)
    c, c_sources = _present(client, CLIENT_CODES)
    n = {code: int(v.sum()) for code, v in {**t, **c}.items()}
    reflections = n["simple_reflection"] + n["complex_reflection"]
    questions = n["open_question"] + n["closed_question"]
    sources = sorted(t_sources | c_sources)
    return {
        "miti_simple_reflections": n["simple_reflection"],
        "miti_complex_reflections": n["complex_reflection"],
        "miti_open_questions": n["open_question"],
        "miti_closed_questions": n["closed_question"],
        "miti_reflections": reflections,
        "miti_questions": questions,
        "miti_r_to_q": round(reflections / questions, 4) if questions else None,
        "miti_pct_complex_reflections": _share(n["complex_reflection"], reflections),
        "miti_pct_open_questions": _share(n["open_question"], questions),
        "miti_mi_adherent": sum(n[code] for code in ADHERENT),
        "miti_mi_non_adherent": sum(n[code] for code in NON_ADHERENT),
        "miti_change_talk": n["change_talk"],
        "miti_sustain_talk": n["sustain_talk"],
        "miti_pct_change_talk": _share(n["change_talk"], n["change_talk"] + n["sustain_talk"]),
        "miti_source": "+".join(sources) or None,
    }


# Published reference levels (docs/MITI.md): (measure, fair, good, source).
REFERENCE_LEVELS = {
    "miti_r_to_q": (1.0, 2.0, "MITI 4.2, Moyers et al. 2014/2016"),
    "miti_pct_complex_reflections": (0.40, 0.50, "MITI 4.2, Moyers et al. 2014/2016"),
    "miti_pct_open_questions": (0.50, 0.70, "MITI 3.1, Moyers et al. 2010; not in MITI 4.2"),
}


def reference_level(measure: str, value: float | None) -> str | None:
    """'good', 'fair' or 'below fair' against the published levels; None without a value
    or a published level."""
    if value is None or measure not in REFERENCE_LEVELS:
        return None
    fair, good, _ = REFERENCE_LEVELS[measure]
    return "good" if value >= good else "fair" if value >= fair else "below fair"
