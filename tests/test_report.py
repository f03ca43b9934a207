"""The clinician's report: content drawn from the evidence, a self-contained page, and
clear messages for the inputs that cannot make a full report."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from transcript_alliance.report import build_report, read_for_report, render_html

from .conftest import SAMPLES

SESSIONS = SAMPLES / "sessions"
MAYA = [SESSIONS / n for n in ("maya_01.txt", "maya_02.docx", "maya_03.vtt")]
# Anything that would make a browser fetch: a URL in src/href/url(), an import, a script.
EXTERNAL = re.compile(
    r"""(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:|//|ftp:)|url\(\s*["']?\s*"""
    r"""(?:https?:|//)|@import|<script|<link|<iframe|<object|<embed""",
    re.I,
)


def _report(file=SESSIONS / "maya_04.json", history=MAYA, **options):
    current, earlier, notes = read_for_report(file, history, SAMPLES / "manifest.csv")
    options.setdefault("classifier", None)
    options.setdefault("resamples", 100)
    return build_report(current, earlier, notes=notes, **options)


@pytest.fixture(scope="module")
def maya():
    return _report(self_reports=SAMPLES / "selfreports.csv")


def test_page_is_self_contained_and_complete(maya):
    html = render_html(maya)
    assert not EXTERNAL.search(html), EXTERNAL.search(html).group(0)
    for section in ("session", "findings", "trajectory", "timeline", "balance", "evidence"):
        assert f'<section id="{section}"' in html
    assert html.count("<svg") == 2
    assert "@media print" in html
    assert "What these numbers can and cannot say" in html
    assert html.count("<blockquote") >= 6


def test_trajectory_follows_session_order_with_self_reports(maya):
    labels = [p.label for p in maya.trajectory]
    assert labels == ["Session 1", "Session 2", "Session 3", "Session 4"]
    assert [p.current for p in maya.trajectory] == [False, False, False, True]
    assert all(p.self_reports.get("client") for p in maya.trajectory)
    # maya_02 is the rupture session: the client's own Bond dips there, as written
    assert (
        maya.trajectory[1].self_reports["client"]["bond"]
        < maya.trajectory[0].self_reports["client"]["bond"]
    )


def test_findings_carry_their_quotes(maya):
    findings = maya.went_well + maya.look_at
    assert findings
    quoted = [f for f in findings if f.quotes]
    assert quoted
    utterances = {c.label for c in maya.components}
    assert utterances == {"Goal", "Task", "Bond", "Total"}
    for f in quoted:
        for q in f.quotes:
            assert q.text and q.turn >= 0


def test_rupture_session_shows_its_episode_and_repair():
    report = _report(SESSIONS / "maya_02.docx", MAYA[:1])
    assert report.episodes
    assert any(e.repaired for e in report.episodes)
    html = render_html(report)
    assert "Ruptures and repairs" in html


def test_no_quotes_leaves_every_quote_out():
    report = _report(quotes=False)
    html = render_html(report)
    assert "<blockquote" not in html
    assert "Quotes left out" in html


def test_transcript_text_is_escaped(write):
    lines = []
    for i in range(12):
        lines.append(f"Therapist: Let's try this together, <script>alert({i})</script> okay?")
        # the client's thanks is quoted as evidence (2.0.0 no longer counts "let's" alone)
        lines.append("Client: Yes, <script>x</script> that makes sense, I can try that. Thank you.")
    path = write("xss.txt", "\n".join(lines) + "\n")
    current, _, _ = read_for_report(path)
    html = render_html(build_report(current, classifier=None, resamples=50))
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_too_little_speech_gives_a_message_not_a_broken_page(write):
    path = write("short.txt", "Therapist: Hi.\nClient: Hello.\nTherapist: Shall we start?\n")
    current, _, _ = read_for_report(path)
    report = build_report(current, classifier=None)
    assert not report.scorable
    html = render_html(report)
    assert "too little speech" in html
    assert '<section id="session"' not in html
    assert html.rstrip().endswith("</html>")


def test_missing_history_and_other_clients_reports_are_noted(write, run_cli, tmp_path):
    reports = write("other.csv", "client_id,session_number,goal,task,bond\nC77,1,4,4,4\n")
    out = tmp_path / "r.html"
    result = run_cli(
        "report",
        SESSIONS / "maya_04.json",
        "--history",
        SESSIONS / "maya_01.txt",
        "--history",
        tmp_path / "gone.txt",
        "--self-reports",
        reports,
        "--manifest",
        SAMPLES / "manifest.csv",
        "--classifier",
        "none",
        "--out",
        out,
    )
    assert result.code == 1
    assert "gone.txt" in result.err and "Traceback" not in result.err
    html = out.read_text()
    assert "gone.txt: no such file" in html
    assert "no ratings for client C01" in html
    assert "C77" in html


def test_unreadable_session_writes_nothing(run_cli, tmp_path):
    out = tmp_path / "r.html"
    result = run_cli("report", tmp_path / "absent.txt", "--out", out)
    assert result.code == 2
    assert result.err.count("\n") == 1 and "absent.txt" in result.err
    assert not out.exists()


def test_feedback_in_the_terminal(run_cli):
    result = run_cli("feedback", SESSIONS / "maya_02.docx", "--classifier", "none")
    assert result.code == 0, result.err
    for words in ("Goal", "Task", "Bond", "went well", "to look at", "talk share", "withdrawal"):
        assert words in result.out


@pytest.mark.slow
def test_report_redact_leaves_no_names(run_cli, tmp_path):
    pytest.importorskip("presidio_analyzer")
    out = tmp_path / "r.html"
    result = run_cli(
        "report", SESSIONS / "maya_01.txt", "--redact", "--classifier", "none", "--out", out
    )
    assert result.code == 0, result.err
    html = out.read_text()
    assert "Maya" not in html.replace("maya_01", "") and "Dr. Lee" not in html
    assert "[PERSON_" in html


def test_page_file_is_private(maya, tmp_path):
    from transcript_alliance.report import write_report

    path = write_report(maya, tmp_path / "r.html")
    assert Path(path).stat().st_mode & 0o077 == 0


def test_symptoms_sit_beside_the_trajectory():
    report = _report(outcomes=SAMPLES / "outcomes.csv")
    assert [p.symptoms.get("gad7") for p in report.trajectory] == [14, 13, 10, 7]
    html = render_html(report)
    assert "<th>Symptoms</th>" in html and "GAD7 7" in html
    assert ">Symptoms<" in html or "Symptoms</text>" in html  # the chart's panel title


def test_team_session_shows_each_clinician():
    report = _report(SESSIONS / "team_jamie_wk3.txt", [])
    assert report.session_type == "team"
    assert [d["clinician"] for d in report.dyads] == ["Dr. Reyes", "Ms. Burke"]
    html = render_html(report)
    assert '<section id="dyads"' in html and "team session" in html


@pytest.mark.parametrize(
    ("name", "well", "look"),
    [
        ("med_renee_01", "A side effect was taken seriously.", None),
        ("med_alicia_03", "A side effect was taken seriously.", "A concern was brushed aside."),
        (
            "med_tom_02",
            None,
            "No options offered or preference asked about the medication was found.",
        ),
    ],
)
def test_medication_visits_get_their_own_observations(name, well, look):
    report = _report(SESSIONS / f"{name}.txt", [])
    assert report.session_type == "medication"
    if well:
        assert well in [f.text for f in report.went_well]
    if look:
        assert look in [f.text for f in report.look_at]


def test_evidence_quotes_only_utterances_that_move_the_score():
    import pandas as pd

    from transcript_alliance.run.scoring import MIN_EVIDENCE_WEIGHT, top_evidence

    table = pd.DataFrame(
        {
            "session_id": "s",
            "turn": range(5),
            "utterance": range(5),
            "role": "client",
            "text": [f"u{i}" for i in range(5)],
        }
    )
    weights = [0.5, -0.0001, -0.05, -0.3, 0.02]
    contributions = pd.DataFrame({"goal": weights, "task": 0.0, "bond": [-0.01] * 5})
    ev = top_evidence(table, contributions)
    assert MIN_EVIDENCE_WEIGHT == 0.1
    goal = ev[ev["component"] == "goal"].set_index("direction")["text"]
    assert goal.to_dict() == {"raised": "u0", "lowered": "u3"}
    assert set(ev["component"]) == {"goal"}  # tiny task and bond weights quote nothing


def test_the_page_says_when_nothing_lowered_a_score(maya):
    html = render_html(maya)
    for c in maya.components:
        if c.name != "total" and not c.lowered:
            assert "Nothing lowered it." in html
    assert '<p class="empty">None.</p>' not in html
    blank = maya.components[0]
    maya.components[0] = replace(blank, lowered=[])
    try:
        assert "Nothing lowered it." in render_html(maya)
    finally:
        maya.components[0] = blank


def test_a_clinician_page_has_no_command_line_hints(maya):
    from transcript_alliance.report.content import ROLES_NOTE, for_clinician

    lines = for_clinician(
        [
            "roles uncertain for Dan: check with `inspect` or `roles`",
            "no therapist found; check or set `roles`",
            "too short to judge (20 utterances, 100 words; fewer than 40 or 300)",
        ]
    )
    assert lines == [
        "roles uncertain for Dan",
        "no therapist found",
        "too short to judge (20 utterances, 100 words; fewer than 40 or 300)",
        ROLES_NOTE,
    ]
    assert for_clinician(["little client speech (10% of words)"]) == [
        "little client speech (10% of words)"
    ]
    page = render_html(maya)
    assert "`roles`" not in page and "--roles" not in page and "inspect" not in page


def test_the_interval_remark_is_made_once_and_names_its_components():
    from transcript_alliance.report.content import component_readings, interval_note

    result = type("R", (), {})()
    result.evidence = []
    scores = {
        "goal": 4.0,
        "goal_low": 3.0,
        "goal_high": 4.6,
        "task": 4.5,
        "task_low": 4.0,
        "task_high": 4.9,
        "bond": 3.9,
        "bond_low": 2.9,
        "bond_high": 4.7,
        "total": 4.1,
        "total_low": 3.4,
        "total_high": 4.6,
    }
    result.scores = scores
    readings = component_readings(result)
    assert not any("interval is wide" in r.words for r in readings)
    note = interval_note(readings)
    assert note == (
        "The interval of Goal and Bond is wide: the session gave little to go on. "
        "The interval of Task reaches into the usual range."
    )


def test_a_finding_quotes_only_utterances_whose_strongest_code_it_names():
    from types import SimpleNamespace

    import pandas as pd

    from transcript_alliance.report.findings import _hits

    texts = ["Thank you, that plan helped me.", "Yes, let's try it."]
    utterances = pd.DataFrame({"turn": [1, 2], "role": "client", "start": None, "text": texts})
    evidence = pd.DataFrame({"task_endorsement": [0.57, 0.9], "appreciation_trust": [0.99, 0.0]})
    result = SimpleNamespace(utterances=utterances)
    quotes = _hits(result, evidence, "task_endorsement")
    assert [q.text for q in quotes] == ["Yes, let's try it."]
    assert [q.text for q in _hits(result, evidence, "appreciation_trust")] == [
        "Thank you, that plan helped me."
    ]


def test_the_within_session_chart_has_whole_turn_ticks():
    from transcript_alliance.report.charts import timeline_svg
    from transcript_alliance.report.content import Window

    windows = [
        Window(first_turn=a, last_turn=a + 5, therapist_share=0.5, collaboration=0.2, bond=0.1)
        for a in (0, 1, 2)
    ]  # mid-turns 2.5, 3.5, 4.5
    svg = timeline_svg(windows, [], [])
    ticks = []
    for chunk in svg.split('<g id="xtick_')[1:]:
        chunk = re.split(r'<g id="(?:ytick_|matplotlib\.axis)', chunk)[0]
        ticks += re.findall(r"<text[^>]*>\s*([^<\s]+)\s*</text>", chunk)
    ticks = [t for t in ticks if t != "turn"]  # the axis label
    assert ticks and all(t.lstrip("−-").isdigit() for t in ticks), ticks


def test_print_css_keeps_only_small_blocks_whole():
    css = (Path(__file__).parents[1] / "transcript_alliance" / "report" / "report.css").read_text()
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    rule = re.search(r"@media print \{(.*?)\n\}", css, re.S).group(1)
    kept_whole = re.search(r"([^{}]*)\{ break-inside: avoid; \}", rule).group(1)
    assert "section" not in kept_whole and "page-break-before" not in css


def test_report_without_out_never_replaces_an_earlier_page(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "report.html").write_text("an earlier page")
    args = ("report", SESSIONS / "maya_01.txt", "--classifier", "none")
    result = run_cli(*args)
    assert result.code == 0, result.err
    assert (tmp_path / "report.html").read_text() == "an earlier page"
    assert "report.html exists (kept); writing report-2.html" in result.err
    assert "<html" in (tmp_path / "report-2.html").read_text()
    assert run_cli(*args).code == 0 and (tmp_path / "report-3.html").exists()


# Tiny sessions that differ in how they end (the last six turns, the estimator's
# `ending_turns`): the client upset, grateful, arranging the next time, or settled after
# distress earlier in the session.
OPENING = """Therapist: Welcome back. How has the week been?
Client: It has been a busy week with work and my sister.
Therapist: What happened with your sister?
Client: We talked about our mother and made a plan for the holidays.
Therapist: You made a plan together.
Client: Yes, we did. It took a while.
Therapist: What would you like to focus on today?
Client: How to keep calm when we disagree.
"""
DISTRESS = """Therapist: Welcome back. How has the week been?
Client: I feel terrible and hopeless, I cried all week.
Therapist: That sounds like a very painful week.
Client: It was awful. I hate how angry I get with her.
Therapist: Say more about the anger.
Client: It comes fast and then I feel ashamed.
Therapist: What would you like to focus on today?
Client: How to keep calm when we disagree.
Therapist: Let's look at the moment just before the anger comes.
Client: It starts when she talks over me.
"""
ENDINGS = {
    "upset": """Therapist: We're nearly out of time. How was today for you?
Client: I feel awful and angry, this was a waste of time.
Therapist: I hear that today was hard.
Client: I don't think this is working.
Therapist: Let's talk about that next week.
Client: Fine.
""",
    "grateful": """Therapist: We're nearly out of time. How was today for you?
Client: Thank you, this really helped.
Therapist: I'm glad it did.
Client: I feel much better about talking to her.
Therapist: Same time next week?
Client: Yes, see you then, thanks.
""",
    "logistics": """Therapist: We're nearly out of time.
Client: Okay.
Therapist: Is Tuesday at three still good for next week?
Client: No, Tuesday does not work for me.
Therapist: Wednesday at four then?
Client: Wednesday at four.
""",
    "settled": """Therapist: We're nearly out of time. How are you leaving today?
Client: Calmer than when I came in.
Therapist: That's good to hear.
Client: I will try breathing slowly before I call her.
Therapist: Same time next week?
Client: Yes, see you then.
""",
}
UPSET_ENDING = "The session ended on the client's distress or discontent"


def _ending_session(write, ending: str, start: str = OPENING):
    return write(f"{ending}.txt", start + ENDINGS[ending])


@pytest.mark.parametrize(
    "ending, start, upset",
    [
        ("upset", OPENING, True),
        ("grateful", OPENING, False),
        ("logistics", OPENING, False),
        ("settled", DISTRESS, False),  # distress early, a settled close
        ("grateful", DISTRESS, False),
    ],
    ids=["upset", "grateful", "logistics", "distress-then-settled", "distress-then-grateful"],
)
def test_a_session_that_ends_upset_is_worth_a_look(write, ending, start, upset):
    report = _report(_ending_session(write, ending, start), history=[])
    found = [f for f in report.look_at if f.text.startswith(UPSET_ENDING)]
    assert bool(found) == upset, [f.text for f in report.look_at]
    if upset:
        (finding,) = found
        assert "last 6 turns" in finding.text
        assert finding.quotes[0].text == "I feel awful and angry, this was a waste of time."
        assert all(q.role == "client" and q.turn >= 8 for q in finding.quotes)
        assert "Mallinckrodt, 1993" in finding.source and "Safran & Muran, 2000" in finding.source
        page = render_html(report)
        assert "distress or discontent: in its last 6 turns" in page
        assert "Stiles et al., 1994" in page


def test_feedback_says_the_session_ended_upset(write, run_cli):
    path = _ending_session(write, "upset")
    result = run_cli("feedback", path, "--classifier", "none")
    assert result.code == 0, result.err
    assert UPSET_ENDING in result.out and "nothing stood out" not in result.out.split("to look")[1]
    assert "“I feel awful and angry, this was a waste of time.”" in result.out
    calm = run_cli("feedback", _ending_session(write, "grateful"), "--classifier", "none")
    assert calm.code == 0, calm.err
    assert UPSET_ENDING not in calm.out


def test_the_words_behind_each_score_name_their_codes(write):
    report = _report(_ending_session(write, "upset"), history=[])
    task = next(c for c in report.components if c.name == "task")
    (quote,) = [q for q in task.lowered if q.text.startswith("I feel awful")]
    assert "negative_affect -0.844" in quote.codes
    assert "negative affect -0.844" in render_html(report)
