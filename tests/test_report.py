"""The clinician's report: content drawn from the evidence, a self-contained page, and
clear messages for the inputs that cannot make a full report."""

from __future__ import annotations

import re
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
        "report", SESSIONS / "maya_04.json", "--history", SESSIONS / "maya_01.txt",
        "--history", tmp_path / "gone.txt", "--self-reports", reports,
        "--manifest", SAMPLES / "manifest.csv", "--classifier", "none", "--out", out,
    )  # fmt: skip
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


def test_report_redact_leaves_no_names(run_cli, tmp_path):
    pytest.importorskip("presidio_analyzer")
    out = tmp_path / "r.html"
    result = run_cli("report", SESSIONS / "maya_01.txt", "--redact", "--classifier", "none",
                     "--out", out)  # fmt: skip
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
    [("med_renee_01", "A side effect was taken seriously.", None),
     ("med_alicia_03", "A side effect was taken seriously.", "A concern was brushed aside."),
     ("med_tom_02", None, "No options offered or preference asked about the medication "
      "was found.")],
)  # fmt: skip
def test_medication_visits_get_their_own_observations(name, well, look):
    report = _report(SESSIONS / f"{name}.txt", [])
    assert report.session_type == "medication"
    if well:
        assert well in [f.text for f in report.went_well]
    if look:
        assert look in [f.text for f in report.look_at]
