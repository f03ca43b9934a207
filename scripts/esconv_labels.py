"""ESConv supporter messages as coded utterances for the microskills codes (issue 21).

ESConv (Liu et al., 2021) labels each supporter message with one of eight strategies. They
map onto the codebook's microskills codes; only those codes are known on an ESConv row, all
others are left uncoded (masked in training and scoring, not taken as negatives):

| strategy | codes |
|---|---|
| Question | open_question or closed_question, by the form of its question(s) (`question_form`) |
| Restatement or Paraphrasing | simple_reflection |
| Reflection of feelings | complex_reflection |
| Self-disclosure | self_disclosure |
| Affirmation and Reassurance | affirm and reassure |
| Providing Suggestions | advise_with_permission or advise_without_permission (below) |
| Information | give_information |
| Others | none of these |

Advice is "with permission" when the supporter asked for it earlier in the turn or in the
previous supporter turn, or the seeker asked for advice in the turn before (MITI 4.2.1
counts advice given on the client's request as with permission); else without.

One row per supporter message (its own strategy); its context is the seeker's turn before it
(all of that turn's messages), as the toolkit gives the previous turn at prediction time. The
data is read where it lies and never copied into the repository (CC BY-NC 4.0).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np

from transcript_alliance.annotate.classifier.data import (
    NO_TURN,
    CodedUtterances,
    PreviousTurn,
    UtteranceInputs,
)

ESCONV_CODES = [
    "open_question",
    "closed_question",
    "simple_reflection",
    "complex_reflection",
    "self_disclosure",
    "affirm",
    "reassure",
    "advise_with_permission",
    "advise_without_permission",
    "give_information",
]
STRATEGY_CODES = {
    "Restatement or Paraphrasing": ["simple_reflection"],
    "Reflection of feelings": ["complex_reflection"],
    "Self-disclosure": ["self_disclosure"],
    "Affirmation and Reassurance": ["affirm", "reassure"],
    "Information": ["give_information"],
    "Others": [],
}
# The failed-dialogue file spells some strategies differently.
SPELLINGS = {
    "Questions": "Question",
    "Other": "Others",
    "Direct Guidance": "Providing Suggestions",
    "Approval and Reassurance": "Affirmation and Reassurance",
    "Restatement": "Restatement or Paraphrasing",
}
ROOT = Path(__file__).resolve().parents[1]
# Beside the checkout (../shared), or beside a worktree's parent (../../shared).
SHARED = next(
    (
        p / "shared/datasets/esconv-dev"
        for p in (ROOT.parent, ROOT.parent.parent, ROOT)
        if (p / "shared/datasets/esconv-dev").is_dir()
    ),
    ROOT.parent / "shared/datasets/esconv-dev",
)
DIALOGUES = SHARED / "dialogues.jsonl"
FAILED = SHARED / "failed_dialogues.json"
TEST_SHARE = 0.2
SPLIT_SEED = 21

WH = r"what|how|why|where|when|who|whom|whose|which|tell|describe|explain"
AUX = (
    r"do|does|did|is|are|was|were|am|can|could|will|would|shall|should|may|might|must|have|has"
    r"|had|don't|doesn't|didn't|isn't|aren't|wasn't|weren't|can't|couldn't|won't|wouldn't"
    r"|haven't|hasn't|any|anything|anyone"
)
LEAD = re.compile(
    r"^(?:(?:so|and|but|well|ok|okay|oh|hmm|um|then|now|also|hi|hello|hey|yes|yeah|no|right"
    r"|i see|alright|wow|great|good|sure)\b[\s,.!]*)+"
)
OPEN_REQUEST = re.compile(r"^(?:can|could|would|will) you (?:tell|say|describe|explain|share)\b")
SENTENCE = re.compile(r"[^.?!]+[.?!]*")
PERMISSION = re.compile(
    r"\b(?:(?:would|do) you (?:like|want|mind if i|be open to|be interested in)\b[^.?!]*"
    r"\b(?:suggest|idea|advice|advise|tip|thought|share|offer|recommend|help)"
    r"|(?:can|could|may|might) i (?:suggest|offer|share|give you|recommend|make a suggestion"
    r"|tell you what|give a suggestion)"
    r"|(?:is it|would it be) (?:ok|okay|alright|all right|fine) (?:if|for) (?:i|me)\b"
    r"|do you mind if i\b)"
)
ADVICE_REQUEST = re.compile(
    r"\b(?:what (?:should|could|can|do) i do|how (?:should|can|could|do) i\b"
    r"|(?:any|some|give me|need) (?:advice|suggestions?|ideas|tips)"
    r"|what (?:do|would) you (?:think|suggest|recommend|advise)"
    r"|do you have any (?:advice|suggestions?|ideas|tips))"
)


def question_form(text: str) -> set[str]:
    """{"open"}, {"closed"}, both, or empty (undecided) for a message labelled Question.

    Each sentence ending in "?" counts: open when it starts (after discourse words such as
    "so", "and", "ok") with a wh-word or tell/describe/explain, or asks "can you tell ...";
    closed otherwise (auxiliary-first yes/no questions, "or" choices, declaratives with a
    question mark). With no "?" at all, a wh-first sentence is open and an auxiliary-first
    one closed; anything else is undecided."""
    forms: set[str] = set()
    sentences = [s.strip() for s in SENTENCE.findall(text.casefold()) if s.strip()]
    asked = [s for s in sentences if s.endswith("?")]
    for sentence in asked or sentences:
        words = LEAD.sub("", sentence).strip(" ,.!?")
        if re.match(rf"(?:{WH})\b", words) or OPEN_REQUEST.match(words):
            forms.add("open")
        elif asked or re.match(rf"(?:{AUX})\b", words):
            forms.add("closed")
    return forms


def _message_labels(strategy: str, text: str, permitted: bool) -> list[str] | None:
    """The codes of one supporter message; None for a strategy outside the mapping."""
    strategy = SPELLINGS.get(strategy, strategy)
    if strategy == "Question":
        return [f"{form}_question" for form in sorted(question_form(text))]
    if strategy == "Providing Suggestions":
        return ["advise_with_permission" if permitted else "advise_without_permission"]
    return STRATEGY_CODES.get(strategy)


def coded_dialogue(
    messages: list[tuple[bool, str, str]], session_id: str
) -> list[tuple[str, tuple[str, ...], list[str] | None, bool]]:
    """(text, the seeker's previous turn as its messages, codes, question undecided) per
    supporter message of one dialogue.

    `messages` are (supporter?, text, strategy) in order."""
    rows = []
    turns: list[tuple[bool, list[str]]] = []  # (supporter?, its messages)
    for supporter, text, strategy in messages:
        text = " ".join(text.split())
        if not text:
            continue
        if turns and turns[-1][0] == supporter:
            turns[-1][1].append(text)
        else:
            turns.append((supporter, [text]))
        if not supporter:
            continue
        own = " ".join(turns[-1][1]).casefold()  # this turn so far, this message included
        seeker_messages = tuple(turns[-2][1]) if len(turns) > 1 else ()
        seeker = " ".join(seeker_messages)
        before = " ".join(turns[-3][1]).casefold() if len(turns) > 2 else ""
        permitted = bool(
            PERMISSION.search(own)
            or PERMISSION.search(before)
            or ADVICE_REQUEST.search(seeker.casefold())
        )
        codes = _message_labels(strategy, text, permitted)
        undecided = SPELLINGS.get(strategy, strategy) == "Question" and not codes
        rows.append((text, seeker_messages, codes, undecided))
    return rows


def read_records(path: Path) -> list[tuple[str, list[tuple[bool, str, str]]]]:
    """(session id, messages) per dialogue, from either ESConv file. Ids follow
    scripts/esconv_data.py: esconv_0000... and esconv_failed_000..."""
    if path.suffix == ".jsonl":
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        return [
            (
                f"esconv_{n:04d}",
                [(t["speaker"] == "sys", t["text"], t.get("strategy", "")) for t in r["dialog"]],
            )
            for n, r in enumerate(records)
        ]
    records = json.loads(path.read_text(encoding="utf-8"))
    return [
        (
            f"esconv_failed_{n:03d}",
            [
                (
                    t["speaker"] in {"listener", "supporter", "sys"},
                    str(t.get("content", "")),
                    str((t.get("annotation") or {}).get("strategy", "")),
                )
                for t in r["dialog"]
            ],
        )
        for n, r in enumerate(records)
    ]


def esconv_coded(
    path: Path, codes: list[str], *, test_share: float | None = TEST_SHARE, seed: int = SPLIT_SEED
) -> tuple[CodedUtterances, dict[str, int]]:
    """ESConv supporter messages as `CodedUtterances` over the codebook's `codes`.

    Only `ESCONV_CODES` are known on these rows (a Question whose form is undecided leaves
    open/closed unknown). With `test_share`, that share of dialogues (seeded draw) is marked
    test in the split column, whole dialogues only. Returns the data and counts of what was
    kept and dropped."""
    missing = [c for c in ESCONV_CODES if c not in codes]
    if missing:
        raise ValueError(f"the codebook lacks {', '.join(missing)}")
    index = {c: k for k, c in enumerate(codes)}
    texts, contexts, sessions, label_rows, known_rows = [], [], [], [], []
    previous = []
    counts = {"messages": 0, "unmapped_strategy": 0, "question_undecided": 0}
    for session_id, messages in read_records(path):
        for text, context, row_codes, undecided in coded_dialogue(messages, session_id):
            counts["messages"] += 1
            if row_codes is None:
                counts["unmapped_strategy"] += 1
                continue
            labels = np.zeros(len(codes), dtype=np.int8)
            known = np.zeros(len(codes), dtype=bool)
            known[[index[c] for c in ESCONV_CODES]] = True
            labels[[index[c] for c in row_codes]] = 1
            if undecided:
                counts["question_undecided"] += 1
                known[[index["open_question"], index["closed_question"]]] = False
            texts.append(text)
            contexts.append(" ".join(context))
            previous.append(PreviousTurn("client", context) if context else NO_TURN)
            sessions.append(session_id)
            label_rows.append(labels)
            known_rows.append(known)
    sessions_array = np.array(sessions)
    split = None
    if test_share:
        ids = sorted(set(sessions))
        rng = np.random.default_rng(seed)
        test = set(rng.choice(ids, size=round(len(ids) * test_share), replace=False).tolist())
        split = np.where(np.isin(sessions_array, list(test)), "test", "train")
    data = CodedUtterances(
        path=Path(path.name),
        inputs=UtteranceInputs(texts, ["therapist"] * len(texts), contexts, previous),
        labels=np.array(label_rows),
        codes=list(codes),
        sessions=sessions_array,
        split=split,
        known=np.array(known_rows),
    )
    return data, counts


def keep_training_share(data: CodedUtterances, share: float, seed: int = 0) -> CodedUtterances:
    """A seeded `share` of the training dialogues and every test dialogue (training time on
    shared CPUs is the limit; the test dialogues stay the same)."""
    if share >= 1:
        return data
    train_ids = sorted(set(data.sessions[data.split == "train"].tolist()))
    rng = np.random.default_rng(seed)
    keep = set(rng.choice(train_ids, round(len(train_ids) * share), replace=False).tolist())
    keep |= set(data.sessions[data.split == "test"].tolist())
    return data.subset(np.flatnonzero(np.isin(data.sessions, sorted(keep))))
