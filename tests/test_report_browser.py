"""The report in a real browser (Debian's chromium, driven by Playwright): it renders its
sections and charts, fits a tablet, prints to PDF, requests nothing and logs no error.
`.ci/run` installs chromium; outside CI the test is skipped where there is none."""

from __future__ import annotations

import io
import os
import re
import shutil

import pytest

from transcript_alliance.report import build_report, read_for_report, write_report

from .conftest import SAMPLES

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if not (CHROMIUM and sync_playwright):
        if os.environ.get("CI"):
            pytest.fail("CI runs the browser test: chromium or playwright is missing")
        pytest.skip("no chromium or playwright here")
    with sync_playwright() as p:
        # Debian's chromium, not a downloaded build; no sandbox as root in a container
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def page_file(tmp_path_factory):
    sessions = SAMPLES / "sessions"
    current, earlier, notes = read_for_report(
        sessions / "maya_02.docx", [sessions / "maya_01.txt"], SAMPLES / "manifest.csv"
    )
    report = build_report(
        current,
        earlier,
        self_reports=SAMPLES / "selfreports.csv",
        notes=notes,
        classifier=None,
        resamples=100,
    )
    return write_report(report, tmp_path_factory.mktemp("report") / "report.html")


def _open(browser, path, width=1100):
    page = browser.new_page(viewport={"width": width, "height": 900})
    problems, requests = [], []
    page.on("console", lambda m: problems.append(m.text) if m.type in {"error", "warning"} else 0)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))

    def route(r):
        requests.append(r.request.url)
        (r.continue_ if r.request.url.startswith("file://") else r.abort)()

    page.route("**/*", route)
    page.goto(path.as_uri())
    return page, problems, requests


def test_report_renders_offline_without_errors(browser, page_file, tmp_path):
    page, problems, requests = _open(browser, page_file)
    assert requests == [page_file.as_uri()]
    assert problems == []
    for section in ("session", "findings", "trajectory", "timeline", "balance", "evidence"):
        assert page.locator(f"section#{section}").is_visible()
    charts = page.locator("svg.chart")
    assert charts.count() == 2
    for i in range(2):
        box = charts.nth(i).bounding_box()
        assert box["width"] > 400 and box["height"] > 100
        assert charts.nth(i).locator("path, line, use").count() > 10  # drawn, not empty
    shot = page.screenshot(full_page=True)
    (tmp_path / "report.png").write_bytes(shot)
    from PIL import Image

    image = Image.open(io.BytesIO(shot)).convert("RGB")
    assert image.height > 1500
    assert len(image.getcolors(maxcolors=1 << 20) or []) > 50  # text, charts, colour
    page.close()


def test_report_fits_a_tablet(browser, page_file):
    page, problems, _ = _open(browser, page_file, width=768)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    assert problems == []
    page.close()


def test_report_prints_to_pdf(browser, page_file):
    page, _, _ = _open(browser, page_file)
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    pages = re.findall(rb"/Type\s*/Page(?!s)", pdf)
    assert 2 <= len(pages) <= 12  # the whole report, on a handful of A4 pages
    page.close()
