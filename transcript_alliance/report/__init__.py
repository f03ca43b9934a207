"""The clinician's view of a session: a self-contained HTML report (`report`) and a short
terminal summary (`feedback`).

    current, history, notes = read_for_report("s4.json", ["s1.txt", "s2.docx"])
    content = build_report(current, history, self_reports="ratings.csv", notes=notes)
    write_report(content, "report.html")
"""

from .build import build_report, read_for_report, too_little_speech
from .content import ReportContent
from .render import render_html, write_report
from .terminal import print_feedback

__all__ = [
    "ReportContent",
    "build_report",
    "print_feedback",
    "read_for_report",
    "render_html",
    "too_little_speech",
    "write_report",
]
