"""Every report opened in headless Chromium with the network blocked: no request may leave the file,
no console error, every image loaded. A full-page screenshot of each is saved under the build folder
(<build folder>/screenshots/<quarter>/). Chromium and ChromeDriver are Debian's packages, installed by
tools/install_browser.sh, which `make test` runs first."""

import base64
import datetime as dt
import json
from pathlib import Path

import pytest

from jimo_eval.build import chromium
from jimo_eval.build.fingerprint import discover_notebooks

LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")
BROKEN_IMAGES = """
return Array.from(document.images)
    .filter(image => !(image.complete && image.naturalWidth > 0))
    .map(image => image.src.slice(0, 80));
"""


@pytest.fixture(scope="module")
def browser():
    if absent := chromium.missing():
        pytest.fail(f"{' and '.join(absent)} not installed: run tools/install_browser.sh (make test does)")
    with chromium.headless(logs=True) as driver:
        yield driver


def page_problems(driver, page, screenshot=None) -> list[str]:
    """Everything wrong with ``page`` in a real browser; saves a full-page PNG to ``screenshot``."""
    driver.get_log("performance"), driver.get_log("browser")  # start from empty logs
    driver.get(page.as_uri())
    driver.execute_async_script(chromium.WAIT_FOR_FONTS)
    problems = [f"image not loaded: {src}" for src in driver.execute_script(BROKEN_IMAGES)]
    for entry in driver.get_log("performance"):
        if '"Network.requestWillBeSent"' in entry["message"]:
            url = _requested_url(entry["message"])
            if not url.startswith(LOCAL_SCHEMES):
                problems.append(f"network request: {url}")
    problems += [
        f"console {e['level']}: {e['message']}" for e in driver.get_log("browser") if e["level"] == "SEVERE"
    ]
    if screenshot is not None:
        shot = driver.execute_cdp_cmd(
            "Page.captureScreenshot", {"captureBeyondViewport": True, "format": "png"}
        )
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        screenshot.write_bytes(base64.b64decode(shot["data"]))
    return problems


def _requested_url(message: str) -> str:
    return json.loads(message)["message"]["params"]["request"]["url"]


def test_the_check_catches_requests_console_errors_and_broken_images(browser, tmp_path):
    page = tmp_path / "bad.html"
    page.write_text(
        '<!doctype html><html><body><img src="https://example.org/logo.png" alt="x">'
        '<img src="missing.png" alt="y"><script>console.error("boom")</script></body></html>',
        encoding="utf-8",
    )
    problems = page_problems(browser, page)
    assert any(p.startswith("network request: https://example.org/logo.png") for p in problems), problems
    assert any("console SEVERE" in p and "boom" in p for p in problems), problems
    assert sum(p.startswith("image not loaded") for p in problems) == 2, problems


def test_every_report_renders_offline_without_errors(browser, reference_build):
    out = reference_build["out"]
    pages = [out / "index.html"] + [out / f"{spec.name}.html" for spec in discover_notebooks()]
    # Beside the quarter's folder, not in it: the folder must stay exactly what the build wrote.
    shots = out.parent / "screenshots" / out.name
    found = {}
    for page in pages:
        assert page.is_file(), page
        found[page.name] = page_problems(browser, page, shots / f"{page.stem}.png")
    assert found == {page.name: [] for page in pages}
    for page in pages:
        assert (shots / f"{page.stem}.png").stat().st_size > 10_000


def test_charts_and_the_embedded_font_are_really_shown(browser, reference_build):
    page = reference_build["out"] / "throughput.html"
    browser.get(page.as_uri())
    browser.execute_async_script(chromium.WAIT_FOR_FONTS)
    assert browser.execute_script("return document.images.length") >= 1
    fonts = browser.execute_script("return Array.from(document.fonts).map(f => [f.family, f.status])")
    assert any("Jimo Sans SC" in family and status == "loaded" for family, status in fonts), fonts


@pytest.mark.parametrize(
    ("lang", "heading"),
    [("zh", "自 2026-12-02 发布以来的修订"), ("en", "What changed since the release of 2026-12-02")],
)
def test_revised_figures_are_marked_and_listed_in_the_real_browser(
    browser, tmp_path, monkeypatch, lang, heading
):
    """A quarter published, then rebuilt after a late closing: the scorecard shows [r] on the figures
    that moved and the revisions table, and the resolution report its own, rendered offline (#17)."""
    from test_revisions import params_for, record_a_late_closing

    from jimo_eval.build import pipeline
    from jimo_eval.build.publish import publish

    monkeypatch.setattr(
        "jimo_eval.build.provenance.git_state", lambda root=None: {"commit": "a" * 40, "dirty": False}
    )
    params = {**params_for(tmp_path), "lang": lang}
    reports = tmp_path / "reports"
    pipeline.build(params, reports / "2023Q2")
    publish("2023Q2", reports, tmp_path / "releases", today=dt.date(2026, 12, 2), reproduce=lambda q, r: [])
    record_a_late_closing(Path(params["data"]["cases"]), params)
    pipeline.build(params, reports / "2023Q2")
    for name in ("index.html", "resolution.html"):
        page = reports / "2023Q2" / name
        assert page_problems(browser, page) == [], name
        shown = browser.find_element("tag name", "body").text
        assert heading in shown and "[r]" in shown, (name, shown[-2000:])
        table = browser.find_element("css selector", "section.revisions table")
        assert table.is_displayed() and len(table.find_elements("tag name", "tr")) >= 2
