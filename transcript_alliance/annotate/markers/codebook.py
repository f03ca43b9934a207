"""The marker codebook: codes, their definitions and examples, and the patterns that find
them, as data a researcher can read, audit and extend.

The default codebook ships in the package (`markers/codebook.yaml`, read with
importlib.resources). A user's YAML may extend it (`mode: extend`, the default: new codes
are added, codes with an existing id replace it) or replace it (`mode: replace`). Every
file is validated on load; an error names the file, the code and the field.
"""

from __future__ import annotations

import hashlib
from enum import Enum
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ...errors import InputError
from ...io import validation_message
from ...session_types import session_type as get_session_type

DEFAULT_CODEBOOK = "codebook.yaml"

# Token attributes a pattern may use, and the spaCy components that must run to set them.
_ATTRIBUTE_NEEDS = {
    "ORTH": set(),
    "TEXT": set(),
    "LOWER": set(),
    "NORM": set(),
    "LENGTH": set(),
    "IS_PUNCT": set(),
    "IS_ALPHA": set(),
    "IS_DIGIT": set(),
    "IS_SENT_START": set(),
    "LIKE_NUM": set(),
    "IS_STOP": set(),
    "OP": set(),
    "LEMMA": {"tok2vec", "tagger", "attribute_ruler", "lemmatizer"},
    "POS": {"tok2vec", "tagger", "attribute_ruler"},
    "TAG": {"tok2vec", "tagger"},
    "MORPH": {"tok2vec", "tagger", "attribute_ruler"},
    "DEP": {"tok2vec", "parser"},
}


class Component(str, Enum):
    """What a marker code is evidence of: an alliance component (goal, task, bond; Bordin,
    1979), collaboration or agreement, a rupture or its repair (Safran & Muran, 2000), or a
    counselling microskill (MITI 4.2, MISC 2.5, ESConv).
    """

    GOAL = "goal"
    TASK = "task"
    BOND = "bond"
    COLLABORATION = "collaboration"
    AGREEMENT = "agreement"
    RUPTURE = "rupture"
    REPAIR = "repair"
    MICROSKILL = "microskill"  # counselling microskills (MITI 4.2, MISC 2.5, ESConv)


class Speaker(str, Enum):
    """Whose utterances a code applies to: therapist, client or either."""

    THERAPIST = "therapist"
    CLIENT = "client"
    EITHER = "either"


class Strict(BaseModel):
    """A pydantic model that refuses unknown keys (a misspelt key in a codebook is an error)."""

    model_config = ConfigDict(extra="forbid")


class Pattern(Strict):
    """One rule. `token`: a spaCy Matcher pattern (list of token dicts); `phrase`: literal
    phrases for the PhraseMatcher, compared on `attr`; `dependency`: a DependencyMatcher
    pattern (needs the parser, so it slows the whole run)."""

    id: str = Field(description="unique within the code; shown beside every match")
    kind: Literal["token", "phrase", "dependency"] = Field(description="which spaCy matcher")
    pattern: list[dict[str, Any]] | None = Field(
        None, description="token or dependency pattern (token and dependency kinds)"
    )
    phrases: list[str] | None = Field(None, description="literal phrases (phrase kind)")
    attr: Literal["LOWER", "ORTH", "LEMMA", "NORM"] = Field(
        "LOWER", description="token attribute the phrases are compared on"
    )
    utterance_start: bool = Field(False, description="match only at the utterance's start")
    whole_utterance: bool = Field(
        False, description="match only when it covers the whole utterance (punctuation aside)"
    )
    max_words: int | None = Field(
        None, ge=1, description="match only in utterances of at most this many words"
    )
    question: bool | None = Field(
        None,
        description="true: match only in an utterance that ends with a question mark; "
        "false: only in one that does not; unset: either",
    )

    @model_validator(mode="after")
    def _kind_fields(self) -> Pattern:
        if self.kind == "phrase" and not self.phrases:
            raise ValueError("a phrase pattern needs 'phrases'")
        if self.kind != "phrase" and not self.pattern:
            raise ValueError(f"a {self.kind} pattern needs 'pattern'")
        return self

    def needs(self) -> set[str]:
        """The spaCy components this pattern needs to have run.

        Returns
        -------
        set of str
            Component names (tok2vec, tagger, attribute_ruler, lemmatizer, parser) for the
            token attributes the pattern reads; empty for plain word patterns.
        """
        if self.kind == "dependency":
            needs = {"tok2vec", "parser"}
            for node in self.pattern or []:
                for attr in node.get("RIGHT_ATTRS", {}):
                    needs |= _ATTRIBUTE_NEEDS.get(attr, set())
            return needs
        if self.kind == "phrase":
            return _ATTRIBUTE_NEEDS["LEMMA"] if self.attr == "LEMMA" else set()
        needs: set[str] = set()
        for token in self.pattern or []:
            for attr in token:
                needs |= _ATTRIBUTE_NEEDS.get(attr.upper(), set())
        return needs


class Examples(Strict):
    """A code's examples: utterances that are the code, near-misses that must not be, and
    utterances left to the classifier. The first two run as tests of the rules.
    """

    positive: list[str] = Field(default_factory=list, description="utterances that are the code")
    negative: list[str] = Field(
        default_factory=list, description="near-misses that must not be coded"
    )
    classifier: list[str] = Field(
        default_factory=list,
        description="utterances that are the code but that no rule is meant to find: the "
        "classifier carries them (the rules' examples above run as tests; these do not)",
    )


class Mirror(Strict):
    """How a reflection code is told apart by what the previous turn said: the share of
    the utterance's content words (stop words and reflection stems aside) that the
    previous turn of `role` holds, the lexical evidence for a simple reflection (mostly
    the client's words) against a complex one (meaning added beyond them)."""

    role: Literal["client", "therapist"] = Field(
        "client", description="whose previous turn the utterance mirrors"
    )
    min_overlap: float = Field(0.0, ge=0, le=1, description="keep the code at this share or more")
    max_overlap: float = Field(
        1.0, ge=0, le=1, description="keep the code below this share (1: up to all of it)"
    )

    def keeps(self, overlap: float) -> bool:
        """Whether a match of the code stands at this overlap.

        Parameters
        ----------
        overlap : float
            The share (0-1) of the utterance's content words that the previous turn holds
            (`mirror_overlap`).

        Returns
        -------
        bool
            min_overlap <= overlap < max_overlap (<= when max_overlap is 1).
        """
        upper = overlap <= self.max_overlap if self.max_overlap >= 1 else overlap < self.max_overlap
        return self.min_overlap <= overlap and upper


class Code(Strict):
    """A marker code: what it means, who says it, and the rules that find it.

    Fields are described in the schema (`Field(description=...)`); pattern ids are unique
    within a code.
    """

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="snake_case; used in m_<id>")
    component: Component
    speaker: Speaker = Field(description="whose utterances the code applies to")
    definition: str = Field(min_length=10)
    negatable: bool = Field(
        True,
        description="whether a negation cue before or inside a match negates it "
        "(false for codes whose phrases are negative themselves, e.g. task_rejection)",
    )
    examples: Examples = Field(default_factory=Examples)
    patterns: list[Pattern] = Field(min_length=1)
    mirror: Mirror | None = Field(
        None,
        description="a reflection code: its matches stand only where the overlap with the "
        "previous turn lies in this range (see Mirror); without a previous turn of that "
        "role the overlap is 0",
    )
    source: str = Field("", description="where the code's definition comes from (citation)")

    @model_validator(mode="after")
    def _unique_pattern_ids(self) -> Code:
        seen: set[str] = set()
        for p in self.patterns:
            if p.id in seen:
                raise ValueError(f"pattern id '{p.id}' appears twice")
            seen.add(p.id)
        return self


class Codebook(Strict):
    """A codebook: versioned marker codes, loaded from YAML and validated (`load_codebook`).

    A user codebook either extends the packaged one (``mode: extend``, adding codes) or
    replaces it.
    """

    version: str = Field(description="bumped whenever a code or pattern changes")
    compatible_with: list[str] = Field(
        default_factory=list,
        description="earlier versions whose codes this one keeps unchanged (it only adds "
        "codes): a classifier trained on one of them still loads (see docs/ANNOTATION.md)",
    )
    name: str = ""
    description: str = ""
    mode: Literal["extend", "replace"] = Field(
        "extend", description="for a user codebook: add to the default, or replace it"
    )
    codes: list[Code] = Field(min_length=1)

    def code(self, code_id: str) -> Code:
        """The code with this id.

        Parameters
        ----------
        code_id : str

        Returns
        -------
        Code

        Raises
        ------
        StopIteration
            No code has that id.
        """
        return next(c for c in self.codes if c.id == code_id)

    @property
    def ids(self) -> list[str]:
        """The code ids, in codebook order (list of str)."""
        return [c.id for c in self.codes]

    def needs(self) -> set[str]:
        """The spaCy components any of the codebook's patterns need (set of str; see
        `Pattern.needs`).
        """
        return set().union(*(p.needs() for c in self.codes for p in c.patterns))

    def digest(self) -> str:
        """A hash of the codebook's content, for provenance (run.json, model cards).

        Returns
        -------
        str
            The first 16 hex digits of the SHA-256 of the codebook's JSON (mode left out).
        """
        text = self.model_dump_json(exclude={"mode"})
        return hashlib.sha256(text.encode()).hexdigest()[:16]


# libyaml's safe loader when PyYAML has it: the codebook parses ten times faster.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_codebook(path: str | Path | None = None, session_type: str | None = None) -> Codebook:
    """The codebook a run uses: the default (or a user's file combined with it as its
    `mode` says), plus the codes its session type adds (`session_types.yaml`).

    Parameters
    ----------
    path
        A user's codebook YAML; None for the shipped default alone. A user's patterns are
        compiled by spaCy on load, so a broken one is named here.
    session_type
        A registered session type (None: psychotherapy, which adds no codes).

    Raises
    ------
    OptionError
        An unknown session type (the message lists the valid ones).
    InputError
        An unreadable or invalid codebook file.
    """
    book = _load_codebook(path)
    name = get_session_type(session_type).codebook_pack
    if name is None:
        return book
    extra = _read_shipped(f"packs/{name}")
    merged = {c.id: c for c in book.codes} | {c.id: c for c in extra.codes}
    pack = name.removesuffix(".yaml")
    suffix = f"+{pack}-{extra.version}"
    return Codebook(
        version=book.version + suffix,
        compatible_with=[v + suffix for v in book.compatible_with],
        name=book.name,
        description=book.description,
        codes=list(merged.values()),
    )


def _read_shipped(name: str) -> Codebook:
    """A codebook file shipped in the package. Its patterns are not compiled here: they
    compile whenever a pipeline is built (the tests build one for every shipped file),
    which keeps spaCy out of processes that only read the codebook (`code`'s main one)."""
    return _parse(
        resources.files(__package__).joinpath(name).read_text("utf-8"), f"(package) {name}"
    )


def _load_codebook(path: str | Path | None) -> Codebook:
    default = _read_shipped(DEFAULT_CODEBOOK)
    if path is None:
        return default
    path = Path(path)
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(path, f"cannot read the codebook ({err})") from None
    user = _parse(text, str(path))
    check_patterns_compile(user, str(path))
    if user.mode == "replace":
        return user
    merged = {c.id: c for c in default.codes}
    merged.update({c.id: c for c in user.codes})
    return Codebook(
        version=f"{default.version}+{user.version}",
        compatible_with=[f"{v}+{user.version}" for v in default.compatible_with],
        name=user.name or default.name,
        description=user.description or default.description,
        codes=list(merged.values()),
    )


def _parse(text: str, where: str) -> Codebook:
    """Parse and check a codebook's structure (spaCy's view of its patterns: see
    `check_patterns_compile`)."""
    try:
        data = yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = f"line {mark.line + 1}" if mark else None
        raise InputError(where, f"not valid YAML ({getattr(err, 'problem', err)})", line) from None
    if not isinstance(data, dict):
        raise InputError(where, "expected a mapping with 'version' and 'codes'")
    try:
        book = Codebook.model_validate(data)
    except ValidationError as err:
        raise InputError(where, _describe(err, data)) from None
    _check_unique_ids(book, where)
    return book


def _describe(err: ValidationError, data: dict) -> str:
    return validation_message(err, location=lambda loc: _location(list(loc), data) or "codebook")


def _location(loc: list, data: dict) -> str:
    """An error's place in the codebook, a code named by its id: "code 'reflect', patterns"."""
    parts = []
    for i, part in enumerate(loc):
        if part == "codes" and i + 1 < len(loc) and isinstance(loc[i + 1], int):
            codes = data.get("codes") or []
            index = loc[i + 1]
            code = codes[index] if index < len(codes) and isinstance(codes[index], dict) else {}
            parts.append(f"code '{code.get('id', index)}'")
        elif isinstance(part, int) or (i > 0 and loc[i - 1] == "codes"):
            continue
        else:
            parts.append(str(part))
    return ", ".join(parts)


def _check_unique_ids(book: Codebook, where: str) -> None:
    seen: set[str] = set()
    for code in book.codes:
        if code.id in seen:
            raise InputError(where, f"code '{code.id}': id: appears twice; ids must be unique")
        seen.add(code.id)


def check_patterns_compile(book: Codebook, where: str) -> None:
    """Hand every pattern to spaCy's matchers, so a broken one is named at load time.

    Raises
    ------
    InputError
        The first pattern spaCy rejects, with its code and rule id.
    """
    for code in book.codes:
        for pattern in code.patterns:
            try:
                compile_pattern(code.id, pattern)
            except (ValueError, KeyError, TypeError) as err:
                message = " ".join(str(err).split())[:200]
                raise InputError(
                    where,
                    f"code '{code.id}', pattern '{pattern.id}': not a valid spaCy "
                    f"{pattern.kind} pattern ({message})",
                ) from None


@cache
def _scratch() -> Any:
    """A bare vocabulary: enough for spaCy to check patterns. (A blank Language would make
    spaCy import every installed package's pipeline factories, several seconds.)"""
    from spacy.vocab import Vocab  # spaCy only when a user's patterns are checked

    return Vocab()


def compile_pattern(code_id: str, pattern: Pattern) -> None:
    """Raise if spaCy rejects the pattern (used to validate a codebook on load).

    Parameters
    ----------
    code_id : str
        The code the pattern belongs to, for the match key.
    pattern : Pattern
        A token, dependency or phrase pattern.

    Raises
    ------
    ValueError
        spaCy's own error for an invalid pattern (the loader turns it into `InputError`
        naming the code and pattern).
    """
    from spacy.matcher import DependencyMatcher, Matcher, PhraseMatcher
    from spacy.tokens import Doc

    vocab = _scratch()
    key = f"{code_id}/{pattern.id}"
    if pattern.kind == "token":
        Matcher(vocab, validate=True).add(key, [pattern.pattern])
    elif pattern.kind == "dependency":
        DependencyMatcher(vocab, validate=True).add(key, [pattern.pattern])
    else:
        matcher = PhraseMatcher(vocab, attr=pattern.attr if pattern.attr != "LEMMA" else "LOWER")
        matcher.add(key, [Doc(vocab, words=p.split()) for p in pattern.phrases or []])
