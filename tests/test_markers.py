"""The codebook's own examples per code, negation and hedging scope, user codebooks, and
bad codebook input named by file, code and field."""

from __future__ import annotations

import pytest

from transcript_alliance import InputError, read_session, segment_session, segment_sessions
from transcript_alliance.annotate.markers import annotate_sessions, load_codebook, marker_pipeline
from transcript_alliance.annotate.markers.export import codebook_markdown

from .conftest import ROOT, SAMPLES

BOOK = load_codebook()


def _codes(text: str, nlp=None) -> dict[str, tuple[bool, bool]]:
    """code -> (negated, hedged) for every match in one utterance (roles not applied)."""
    doc = (nlp or marker_pipeline())(text)
    return {s.label_: (s._.alliance_negated, s._.alliance_hedged) for s in doc.spans["alliance"]}


def _positive(text: str, code: str) -> bool:
    found = _codes(text)
    return code in found and not found[code][0]


EXAMPLES = [(c.id, e, True) for c in BOOK.codes for e in c.examples.positive] + [
    (c.id, e, False) for c in BOOK.codes for e in c.examples.negative
]


@pytest.mark.parametrize(("code", "text", "expected"), EXAMPLES)
def test_codebook_examples(code, text, expected):
    assert _positive(text, code) is expected


def test_every_code_has_positive_and_negative_examples():
    for code in BOOK.codes:
        assert len(code.examples.positive) >= 3, code.id
        assert len(code.examples.negative) >= 2, code.id


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("I don't agree.", "explicit_agreement"),
        ("I don't think that makes sense.", "task_endorsement"),
        ("I never said I can try that.", "task_endorsement"),
        ("It's not really what I want.", "goal_consensus"),
    ],
)
def test_negated_matches_are_kept_and_flagged(text, code):
    found = _codes(text)
    assert code in found, found
    assert found[code][0] is True


def test_hedged_endorsement():
    negated, hedged = _codes("I guess that could work.")["task_endorsement"]
    assert (negated, hedged) == (False, True)


def test_but_ends_the_negation_scope():
    negated, _ = _codes("I didn't like it at first, but that makes sense.")["task_endorsement"]
    assert negated is False


def test_pseudo_negation_is_not_negation():
    assert _codes("No wonder you felt that way.")["empathy_validation"][0] is False


def test_markers_respect_who_may_say_them(write):
    path = write(
        "s.txt",
        "Therapist: That makes sense. Would it be okay if we tried it?\n"
        "Client: That makes sense. Would it be okay if we tried it?\n",
    )
    session = segment_session(read_session(path))
    annotate_sessions([session])
    by_role = {}
    for u in session.utterances:
        by_role.setdefault(u.role.value, set()).update(m.code for m in u.markers)
    assert "empathy_validation" in by_role["therapist"]
    assert "task_endorsement" not in by_role["therapist"]
    assert "task_endorsement" in by_role["client"]
    assert "invitation" not in by_role["client"]


def test_marker_offsets_point_at_the_words_in_the_turn(write):
    path = write(
        "s.txt", "T: How are you?\nC: Well... (sighs)   I don't know.  Whatever you think.\n"
    )
    session = segment_session(read_session(path))
    annotate_sessions([session])
    for u in session.utterances:
        turn = session.turns[u.turn]
        for m in u.markers:
            assert turn.text[m.start_char : m.end_char] == m.text
    assert {m.code for u in session.utterances for m in u.markers} >= {"withdrawal"}


def test_pipeline_runs_only_what_the_codebook_needs():
    nlp = marker_pipeline()
    assert "parser" not in nlp.pipe_names and "ner" not in nlp.pipe_names
    assert nlp.pipe_names[-1] == "alliance_markers"


def test_codebook_document_matches_the_yaml():
    assert (ROOT / "docs" / "CODEBOOK.md").read_text() == codebook_markdown(BOOK), (
        "docs/CODEBOOK.md is stale: run transcript-alliance codebook export --format md "
        "--out docs/CODEBOOK.md"
    )


USER_CODE = """
version: "0.1"
codes:
  - id: homework_review
    component: task
    speaker: therapist
    definition: The therapist asks how the agreed homework went.
    patterns:
      - id: how_did_it_go
        kind: phrase
        phrases: ["how did the homework go", "how did it go"]
"""


def test_user_codebook_extends_the_default(write):
    book = load_codebook(write("mine.yaml", USER_CODE))
    assert "homework_review" in book.ids and "withdrawal" in book.ids
    assert book.version == f"{BOOK.version}+0.1"
    nlp = marker_pipeline(str(write("mine.yaml", USER_CODE)))
    assert "homework_review" in _codes("So how did the homework go?", nlp)


def test_user_codebook_can_replace_the_default(write):
    book = load_codebook(
        write("mine.yaml", USER_CODE.replace('version: "0.1"', 'version: "0.1"\nmode: replace'))
    )
    assert book.ids == ["homework_review"]


def test_dependency_patterns_are_supported(write):
    yaml_text = """
version: "0.1"
mode: replace
codes:
  - id: client_tried
    component: task
    speaker: either
    definition: Someone tried something, said with any subject.
    patterns:
      - id: tried_object
        kind: dependency
        pattern:
          - {RIGHT_ID: verb, RIGHT_ATTRS: {LEMMA: try}}
          - {LEFT_ID: verb, REL_OP: ">", RIGHT_ID: object, RIGHT_ATTRS: {DEP: dobj}}
"""
    book = load_codebook(write("dep.yaml", yaml_text))
    assert "parser" in book.needs()
    nlp = marker_pipeline(str(write("dep.yaml", yaml_text)))
    assert "parser" in nlp.pipe_names
    assert "client_tried" in _codes("Yesterday I finally tried the breathing exercise.", nlp)


BAD_CODEBOOKS = {
    "unknown field": (
        USER_CODE.replace("definition:", "defintion:"),
        ["bad.yaml", "code 'homework_review'", "defintion", "unknown field"],
    ),
    "broken pattern": (
        USER_CODE.replace(
            'kind: phrase\n        phrases: ["how did the homework go", "how did it go"]',
            'kind: token\n        pattern: [{LOWR: "how"}]',
        ),
        ["bad.yaml", "code 'homework_review'", "pattern 'how_did_it_go'", "not a valid spaCy"],
    ),
    "duplicate id": (
        USER_CODE + USER_CODE.split("codes:\n", 1)[1],
        ["bad.yaml", "code 'homework_review'", "appears twice"],
    ),
    "bad component": (
        USER_CODE.replace("component: task", "component: tasks"),
        ["bad.yaml", "code 'homework_review'", "component"],
    ),
    "not yaml": ("codes: [unclosed", ["bad.yaml", "not valid YAML"]),
    "phrase without phrases": (
        USER_CODE.replace('        phrases: ["how did the homework go", "how did it go"]\n', ""),
        ["bad.yaml", "code 'homework_review'", "patterns", "needs 'phrases'"],
    ),
}


@pytest.mark.parametrize("case", list(BAD_CODEBOOKS), ids=list(BAD_CODEBOOKS))
def test_bad_codebooks_name_file_code_and_field(case, write, run_cli):
    text, words = BAD_CODEBOOKS[case]
    path = write("bad.yaml", text)
    with pytest.raises(InputError) as caught:
        load_codebook(path)
    for word in words:
        assert word in str(caught.value), str(caught.value)
    result = run_cli("codebook", "validate", path)
    assert result.code == 2 and "Traceback" not in result.err
    assert result.err.count("error:") == 1


def test_codebook_cli(run_cli, write):
    assert "withdrawal" in run_cli("codebook", "show").out
    assert run_cli("codebook", "validate", write("ok.yaml", USER_CODE)).code == 0
    exported = run_cli("codebook", "export", "--format", "md").out
    assert exported.startswith("# transcript_alliance default codebook")


def test_samples_show_the_ruptures_and_repairs_a_reader_sees(run_cli, tmp_path):
    import pandas as pd

    out = tmp_path / "u.csv"
    result = run_cli("markers", "--manifest", SAMPLES / "manifest.csv", "--out", out)
    assert result.code == 0, result.err
    markers = pd.read_csv(tmp_path / "u_markers.csv")
    markers = markers[~markers.negated]
    counts = pd.crosstab(markers.session_id, markers.code)
    assert counts.loc["maya_02", "withdrawal"] >= 5  # the withdrawal rupture
    assert counts.loc["jordan_02", "confrontation"] >= 5  # the confrontation rupture
    assert counts.loc["maya_02", "repair"] >= 3 and counts.loc["jordan_02", "repair"] >= 3
    for calm in ("maya_01", "maya_03", "maya_04"):
        assert counts.loc[calm, ["withdrawal", "confrontation"]].sum() == 0, calm
    assert counts.loc["jordan_01", "task_rejection"] >= 2  # goal and task disagreement
    utterances = pd.read_csv(out)
    assert {f"m_{c}" for c in ("withdrawal", "repair", "we_language")} <= set(utterances.columns)
    style = pd.read_csv(tmp_path / "u_style.csv")
    assert style.lsm.between(0, 1).all() and len(style) == 12
    windows = pd.read_csv(tmp_path / "u_windows.csv")
    assert {"start_turn", "end_turn", "m_rupture", "lsm"} <= set(windows.columns)


def test_markers_prints_evidence_without_out(run_cli):

    result = run_cli("markers", SAMPLES / "sessions" / "maya_02.docx")
    assert result.code == 0
    assert "withdrawal" in result.out and "pushed too hard" in result.out


def test_compiled_patterns_match_exactly_what_the_written_patterns_match():
    """The speed-ups (phrase lists, expanded first tokens, patterns run from their first
    word) must not change any match within an utterance: checked on the gold utterances
    and on the turns of the sample sessions (several utterances per Doc)."""
    import pandas as pd
    from spacy.matcher import Matcher

    from transcript_alliance.annotate.markers.annotate import turn_docs
    from transcript_alliance.annotate.markers.matching import utterance_bounds

    nlp = marker_pipeline()
    compiled = nlp.get_pipe("alliance_markers").matcher
    plain = Matcher(nlp.vocab)
    for code in BOOK.codes:
        for pattern in code.patterns:
            if pattern.kind == "token":
                plain.add(f"{code.id}/{pattern.id}", [pattern.pattern])
    texts = pd.read_csv(ROOT / "tests" / "data" / "markers_gold.csv").text
    sessions = segment_sessions(read_session(p) for p in sorted((SAMPLES / "sessions").iterdir()))
    with nlp.select_pipes(disable=["alliance_markers"]):
        docs = list(nlp.pipe(texts))
        docs += list(nlp.pipe(doc for doc, _ in turn_docs(nlp, sessions)))
    assert sum(len(utterance_bounds(doc)) > 1 for doc in docs) > 100
    token_rules = {f"{c.id}/{p.id}" for c in BOOK.codes for p in c.patterns if p.kind == "token"}
    for doc in docs:
        bounds = utterance_bounds(doc)
        owner = {i: n for n, (first, last) in enumerate(bounds) for i in range(first, last)}
        expected = {
            (nlp.vocab.strings[i], s, e) for i, s, e in plain(doc) if owner[s] == owner[e - 1]
        }
        found = set()
        for i, s, e in compiled.matcher(doc, bounds):
            found.add((nlp.vocab.strings[i], s, e))
        for matcher in compiled.phrases.values():
            found |= {
                (nlp.vocab.strings[i], s, e)
                for i, s, e in matcher(doc)
                if nlp.vocab.strings[i] in token_rules and owner[s] == owner[e - 1]
            }
        assert found == expected, doc.text


def test_batched_pipe_gives_what_doc_by_doc_calls_give():
    """`alliance_markers` runs a batch of Docs at a time inside `nlp.pipe`; its matches
    and flags must equal those of calling it on each Doc alone, at any batch size."""
    from transcript_alliance.annotate.markers.annotate import turn_docs

    nlp = marker_pipeline()
    sessions = segment_sessions(read_session(p) for p in sorted((SAMPLES / "sessions").iterdir()))

    def found(doc):
        spans = [(s.start, s.end, s.label_) for s in doc.spans["alliance"]]
        return spans, doc._.alliance_flags

    one_by_one = [found(nlp(doc)) for doc, _ in turn_docs(nlp, sessions)]
    assert sum(bool(spans) for spans, _ in one_by_one) > 50
    for batch_size in (1, 7, 1000):
        docs = nlp.pipe((doc for doc, _ in turn_docs(nlp, sessions)), batch_size=batch_size)
        assert [found(doc) for doc in docs] == one_by_one
