"""Speaker labels to roles: an explicit map first, then roles the file states, then known
label names, then a heuristic whose guess and confidence go into the session's warnings.

The heuristic reads what distinguishes clinicians in talk: they ask more of the questions,
usually open the session, and usually speak less than the client.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from ..errors import InputError, OptionError
from ..session import Role, Session, SpeakerInfo
from .punctuation import is_unpunctuated

_THERAPIST_NAMES = {
    "therapist",
    "counselor",
    "counsellor",
    "clinician",
    "t",
    "th",
    "ther",
    "interviewer",
    "psychiatrist",
    "psychologist",
    "psychotherapist",
    "doctor",
    "dr",
    "provider",
    "prescriber",
    "facilitator",
    "co-therapist",
    "cotherapist",
    "inv",
    "investigator",
    "the",
    "nurse",
    "social worker",
    "case manager",
    "supporter",
    "helper",
    "np",
    "md",
}
# Family members are clients in family sessions, but a label like "Mother" is less certain
# than "Client": known-name confidence is lower for them.
_FAMILY = {
    "partner",
    "husband",
    "wife",
    "spouse",
    "mother",
    "father",
    "mom",
    "dad",
    "parent",
    "son",
    "daughter",
    "sibling",
    "member",
}
_CLIENT_NAMES = {
    "client",
    "patient",
    "c",
    "p",
    "pt",
    "cl",
    "cli",
    "pat",
    "par",
    "participant",
    "seeker",
    "target_adult",
    "subject",
    *_FAMILY,
}
_OTHER_NAMES = {"interpreter", "translator", "observer", "unknown", "operator", "other"}
ROLE_NAMES = _THERAPIST_NAMES | _CLIENT_NAMES | _OTHER_NAMES  # labels that name a role
_INDEX_SUFFIX = re.compile(r"[\s_-]*(\d+|[a-d])$")
_DOCTOR_PREFIX = re.compile(r"^(dr|doctor|prof)\.?\s+\S", re.IGNORECASE)


def normalize_label(label: str) -> str:
    """A speaker label reduced to the role name it may state.

    'Client 2' -> 'client', 'T1' -> 't', ' Dr. Lee ' -> 'dr. lee': case folded, spaces
    collapsed, a trailing index (digits or a-d) dropped when what is left names a role.

    Parameters
    ----------
    label : str
        The speaker label as in the file.

    Returns
    -------
    str
    """
    text = " ".join(label.casefold().split()).strip(" .:")
    bare = _INDEX_SUFFIX.sub("", text).strip()
    return bare if bare and bare in _THERAPIST_NAMES | _CLIENT_NAMES | _OTHER_NAMES else text


def known_role(label: str) -> tuple[Role, float] | None:
    """The role a label's name states, with how sure that is; None for a personal name.

    Parameters
    ----------
    label : str
        The speaker label as in the file.

    Returns
    -------
    (Role, float) or None
        The role and a confidence in 0-1: 0.95 for a full role name ("therapist"), 0.9 for
        an abbreviation ("T", "pt") or an other-role name, 0.75 for a family member
        ("mother": a client in family sessions), 0.8 for a "Dr."/"Prof." prefix.
    """
    name = normalize_label(label)
    if name in _THERAPIST_NAMES:
        return Role.THERAPIST, 0.95 if len(name) > 2 else 0.9
    if name in _CLIENT_NAMES:
        return Role.CLIENT, 0.75 if name in _FAMILY else (0.95 if len(name) > 2 else 0.9)
    if name in _OTHER_NAMES:
        return Role.OTHER, 0.9
    if _DOCTOR_PREFIX.match(label.strip()):
        return Role.THERAPIST, 0.8
    return None


def is_known_label(label: str) -> bool:
    """Whether a label names a role (see `known_role`).

    Parameters
    ----------
    label : str
        The speaker label as in the file.

    Returns
    -------
    bool
    """
    return known_role(label) is not None


def parse_roles_map(spec: str | Mapping[str, str] | None) -> dict[str, Role]:
    """A roles map from its text or mapping form: 'Dr. Lee=therapist,Sam=client'.

    Parameters
    ----------
    spec : str, mapping of str to str, or None
        ``label=role`` pairs separated by commas, or a label -> role mapping; roles are
        therapist, client or other (any case).

    Returns
    -------
    dict of str to Role
        Label (stripped) -> role; empty for None or an empty spec.

    Raises
    ------
    OptionError
        A role other than therapist, client or other, or an item without ``=`` or
        with an empty label.
    """
    if not spec:
        return {}
    items = spec.items() if isinstance(spec, Mapping) else _split_spec(spec)
    out: dict[str, Role] = {}
    for label, role in items:
        try:
            out[label.strip()] = Role(role.strip().casefold())
        except ValueError:
            raise OptionError(
                f"`roles`: '{label}={role}': the role must be therapist, client or other"
            ) from None
    return out


def _split_spec(spec: str) -> list[tuple[str, str]]:
    pairs = []
    for item in filter(None, (p.strip() for p in spec.split(","))):
        if "=" not in item:
            raise OptionError(f"`roles`: '{item}': expected LABEL=ROLE, e.g. 'Dr. Lee=therapist'")
        label, role = item.rsplit("=", 1)
        if not label.strip():
            raise OptionError(f"`roles`: '{item}': the label before '=' is empty")
        pairs.append((label, role))
    return pairs


def resolve_roles(
    session: Session,
    roles_map: Mapping[str, Role] | None = None,
    file_roles: Mapping[str, Role] | None = None,
) -> None:
    """Give every turn a role and record in `session.speakers` how each was decided.

    A label of `roles_map` that does not speak in this file is a warning: one map serves a
    folder of sessions with different clinicians. Only a map none of whose labels speak
    here is an error (a typo, or the wrong map).
    """
    labels = session.speaker_labels()
    by_norm = {" ".join(label.casefold().split()): label for label in labels}
    absent = [g for g in roles_map or {} if " ".join(g.casefold().split()) not in by_norm]
    if absent and len(absent) == len(roles_map or {}):
        raise InputError(
            session.source_path,
            f"the roles map names {_quoted(absent)}, who never speak"
            f"{'s' if len(absent) == 1 else ''} "
            f"in this file; speakers found: {', '.join(labels)}",
        )
    if absent:
        session.warn(
            f"the roles map names {_quoted(absent)}, who do{'es' if len(absent) == 1 else ''} not "
            f"speak in this file; the map's other labels were used (speakers found: "
            f"{', '.join(labels)})"
        )
    explicit = {
        by_norm[" ".join(k.casefold().split())]: v
        for k, v in (roles_map or {}).items()
        if k not in absent
    }
    infos: dict[str, SpeakerInfo] = {}
    for label in labels:
        if label in explicit:
            infos[label] = SpeakerInfo(label, explicit[label], 1.0, "map")
        elif file_roles and label in file_roles:
            infos[label] = SpeakerInfo(label, file_roles[label], 0.95, "file")
        elif (found := known_role(label)) is not None:
            infos[label] = SpeakerInfo(label, found[0], found[1], "known-name")
    _unname_numbered_peers(session, infos)
    unresolved = [label for label in labels if label not in infos]
    if unresolved:
        _guess(session, labels, unresolved, infos)
    for label, info in infos.items():
        turns = [t for t in session.turns if t.speaker == label]
        info.n_turns = len(turns)
        info.n_words = sum(len(t.text.split()) for t in turns)
    for turn in session.turns:
        turn.role = infos[turn.speaker].role
    session.speakers = {label: infos[label] for label in labels}
    _warn_on_missing_roles(session)


def _quoted(labels: list[str]) -> str:
    return ", ".join(f"'{label}'" for label in labels)


def _unname_numbered_peers(session: Session, infos: dict[str, SpeakerInfo]) -> None:
    """`P1`/`P2`, `C1`/`C2`: labels that share a role word and differ only by
    an index are numbered participants, not a statement of role, when nobody else in the
    session takes the other role. Their known-name roles are withdrawn for the heuristic.
    ("Client 1"/"Client 2" beside a "Therapist" keep theirs: a couple's session.)"""
    groups: dict[str, list[str]] = {}
    for label, info in infos.items():
        bare = normalize_label(label)
        if info.source == "known-name" and bare != " ".join(label.casefold().split()):
            groups.setdefault(bare, []).append(label)
    for bare, members in groups.items():
        role = infos[members[0]].role
        if len(members) < 2 or role is Role.OTHER:
            continue
        others = {i.role for label, i in infos.items() if label not in members}
        if others & {Role.THERAPIST, Role.CLIENT}:
            continue
        for label in members:
            del infos[label]
        session.warn(
            f"speakers {_quoted(members)} share the role word '{bare}' and differ only by "
            "their numbers: roles left to the heuristic"
        )


def _guess(
    session: Session, labels: list[str], unresolved: list[str], infos: dict[str, SpeakerInfo]
) -> None:
    roles_known = {info.role for info in infos.values()}
    stats = _speaker_stats(session)
    if Role.THERAPIST in roles_known and Role.CLIENT in roles_known:
        for label in unresolved:
            infos[label] = SpeakerInfo(label, Role.OTHER, 0.5, "heuristic")
            session.warn(
                f"speaker '{label}' is not a known role name; read as other "
                "(name a role with `roles`)"
            )
        return
    if Role.THERAPIST in roles_known:
        for label in unresolved:
            infos[label] = SpeakerInfo(label, Role.CLIENT, 0.7, "heuristic")
            session.warn(
                f"roles guessed: '{label}' = client (confidence 0.70: the other speaker "
                "beside a named therapist); check or set `roles`"
            )
        return
    # Score each unresolved speaker's likeness to a clinician.
    questions = not is_unpunctuated(session)
    scores = {label: _therapist_score(stats, label, labels, questions) for label in unresolved}
    ranked = sorted(unresolved, key=lambda label: scores[label], reverse=True)
    if Role.CLIENT in roles_known and len(ranked) == 1 and scores[ranked[0]] < 0:
        # The only unnamed speaker beside a named client talks like a client: say so.
        label = ranked[0]
        confidence = _confidence(-scores[label])
        infos[label] = SpeakerInfo(label, Role.CLIENT, confidence, "heuristic")
        session.warn(
            f"roles guessed: '{label}' = client (confidence {confidence:.2f}); "
            "no therapist found; check or set `roles`"
        )
        return
    top = ranked[0]
    margin = scores[top] - (scores[ranked[1]] if len(ranked) > 1 else 0.0)
    confidence = _confidence(margin) if len(labels) > 1 else 0.5
    infos[top] = SpeakerInfo(top, Role.THERAPIST, confidence, "heuristic")
    reason = _describe(stats, top, questions)
    session.warn(
        f"roles guessed: '{top}' = therapist (confidence {confidence:.2f}: {reason}); "
        "check or set `roles`"
    )
    for label in ranked[1:]:
        infos[label] = SpeakerInfo(label, Role.CLIENT, confidence, "heuristic")
        session.warn(f"roles guessed: '{label}' = client (confidence {confidence:.2f})")


def _speaker_stats(session: Session) -> dict[str, dict[str, float]]:
    total_words = sum(len(t.text.split()) for t in session.turns) or 1
    stats: dict[str, dict[str, float]] = {}
    for label in session.speaker_labels():
        turns = [t for t in session.turns if t.speaker == label]
        questions = sum(1 for t in turns if "?" in t.text)
        words = sum(len(t.text.split()) for t in turns)
        stats[label] = {
            "question_rate": questions / len(turns),
            "talk_share": words / total_words,
            "first": float(session.turns[0].speaker == label),
        }
    return stats


def _therapist_score(
    stats: dict[str, dict[str, float]], label: str, labels: list[str], questions: bool = True
) -> float:
    """Positive: talks like a clinician. Weights are judgement, not fitted: questions count
    most, then talk share below the others', then opening the session. Without sentence
    punctuation (`questions` False) question marks say nothing and are left out."""
    s = stats[label]
    others = [stats[o] for o in labels if o != label] or [s]
    other_q = sum(o["question_rate"] for o in others) / len(others)
    other_share = sum(o["talk_share"] for o in others) / len(others)
    return (
        4.0 * (s["question_rate"] - other_q) * questions
        + 2.0 * (other_share - s["talk_share"])
        + (0.5 * s["first"])
    )


def _confidence(margin: float) -> float:
    return round(min(0.95, 1.0 / (1.0 + math.exp(-abs(margin)))), 2)


def _describe(stats: dict[str, dict[str, float]], label: str, questions: bool = True) -> str:
    s = stats[label]
    first = ", speaks first" if s["first"] else ""
    asked = f"questions in {s['question_rate']:.0%} of turns, " if questions else ""
    unpunctuated = "" if questions else " (no punctuation: questions not counted)"
    return f"{asked}{s['talk_share']:.0%} of the words{first}{unpunctuated}"


def _warn_on_missing_roles(session: Session) -> None:
    roles = {info.role for info in session.speakers.values()}
    if Role.THERAPIST not in roles:
        session.warn("no speaker was read as the therapist; set one with `roles`")
    if Role.CLIENT not in roles:
        session.warn("no speaker was read as a client; set one with `roles`")
