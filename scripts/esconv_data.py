"""ESConv dialogues as toolkit sessions, read where the data lies (research-only licence:
never copied into the repository). Shared by the validation scripts."""

from __future__ import annotations

import json
from pathlib import Path

from transcript_alliance.session import Role, Session, Turn

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/datasets/esconv-dev/dialogues.jsonl"


def read_dialogues(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def read_sessions(path: Path) -> tuple[list[Session], list[str]]:
    """Supporter = therapist, seeker = client; the strategy of each supporter turn."""
    sessions, strategies = [], []
    for number, record in enumerate(read_dialogues(path)):
        dialog = record["dialog"]
        turns = []
        for turn in dialog:
            text = turn["text"].strip()
            if not text:
                continue
            therapist = turn["speaker"] == "sys"
            if turns and turns[-1].speaker == turn["speaker"]:  # consecutive messages: one turn
                turns[-1].text += " " + text
                if therapist:
                    strategies[-1] += "|" + turn.get("strategy", "")
                continue
            role = Role.THERAPIST if therapist else Role.CLIENT
            turns.append(Turn(index=len(turns), speaker=turn["speaker"], text=text, role=role))
            if therapist:
                strategies.append(turn.get("strategy", ""))
        sessions.append(Session(session_id=f"esconv_{number:04d}", turns=turns))
    return sessions, strategies


FAILED_DATA = DEFAULT_DATA.with_name("failed_dialogues.json")
SUPPORTER = {"sys", "supporter", "listener"}


def read_failed(path: Path = FAILED_DATA) -> tuple[list[Session], list[dict]]:
    """The dialogues the corpus authors left out as unsuccessful (their own schema: the
    supporter is `listener` or `supporter`), with the seeker's ratings."""
    records = json.loads(path.read_text(encoding="utf-8"))
    sessions, ratings = [], []
    for number, record in enumerate(records):
        turns: list[Turn] = []
        for turn in record["dialog"]:
            text = str(turn.get("content", "")).strip()
            if not text:
                continue
            supporter = turn["speaker"] in SUPPORTER
            if turns and turns[-1].speaker == turn["speaker"]:
                turns[-1].text += " " + text
                continue
            role = Role.THERAPIST if supporter else Role.CLIENT
            turns.append(Turn(index=len(turns), speaker=turn["speaker"], text=text, role=role))
        session_id = f"esconv_failed_{number:03d}"
        sessions.append(Session(session_id=session_id, turns=turns))
        seeker = record.get("survey_score", {}).get("seeker", {})
        ratings.append(
            {"session_id": session_id, **{k: seeker.get(k) for k in ("empathy", "relevance")}}
        )
    return sessions, ratings
