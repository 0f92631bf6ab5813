"""Every page a reader can open, checked for accessibility in headless Chromium (#18 item 5), in Chinese
and in English: each report and the quarter's scorecard, the trend page and the front page, the check-data
page. Each page is opened once and checked for:

- **axe-core** (from npm, pinned in tools/browser/package-lock.json, installed by tools/install_browser.sh)
  with the WCAG 2.0/2.1/2.2 A and AA rules: no violation of impact serious or critical (text contrast
  of 4.5:1 is its ``color-contrast`` rule, which must have run);
- **tables and headings**: every ``th`` has a ``scope``, every table a ``caption``, headings start at h1 and
  never skip a level;
- **keyboard**: pressing Tab reaches every link a reader can see, and the focused element shows an outline
  (the report style's ``:focus-visible``, not the browser's thin default);
- **zoom to 200%**: a 1280-pixel window at 200% (640 CSS pixels) does not scroll sideways, nothing sticks
  out of the page except inside a scrolling wrapper (a table's output area), nothing is clipped (WCAG 1.4.10).
"""

import ast
import functools
import re
from pathlib import Path

import pytest
import yaml
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from jimo_eval.build import check_data, chromium, scorecard, trend
from jimo_eval.build.fingerprint import discover_notebooks
from jimo_eval.build.html_export import REPORT_STYLE_PATH
from jimo_eval.build.pages import TEMPLATES_DIR
from jimo_eval.core import charts
from jimo_eval.core.paths import PACKAGE_DIR, REPO_ROOT
from jimo_eval.params import DATA_KEYS

AXE_SCRIPT = REPO_ROOT / "tools" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FAILING_IMPACTS = ("serious", "critical")
BROKEN_STAFFING = Path(__file__).parent / "data" / "broken" / "staffing_non_positive_fte.csv"
ZOOMED = {"width": 640, "height": 450, "deviceScaleFactor": 2, "mobile": False}  # 1280 × 900 at 200%

# Our own checks (structure, keyboard, reflow), injected with axe-core into each page.
PAGE_CHECKS = Path(__file__).parent / "accessibility_checks.js"
RUN_AXE = """
const [tags, done] = [arguments[0], arguments[arguments.length - 1]];
axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
  .then(found => done({
      ran: [...found.passes, ...found.violations, ...found.incomplete, ...found.inapplicable]
          .map(rule => rule.id),
      violations: found.violations.map(rule => ({
          id: rule.id, impact: rule.impact, help: rule.help,
          targets: rule.nodes.map(node => node.target.join(' '))}))}))
  .catch(error => done({error: String(error)}));
"""


@pytest.fixture(scope="module")
def browser():
    if absent := chromium.missing():
        pytest.fail(f"{' and '.join(absent)} not installed: run tools/install_browser.sh (make test does)")
    if not AXE_SCRIPT.is_file():
        pytest.fail(
            f"{AXE_SCRIPT.relative_to(REPO_ROOT)} missing: run tools/install_browser.sh (make test does)"
        )
    with chromium.headless() as driver:
        driver.set_window_size(1280, 900)
        yield driver


@functools.cache
def scripts() -> str:
    """axe-core and our checks, to run in a page."""
    return AXE_SCRIPT.read_text(encoding="utf-8") + "\n" + PAGE_CHECKS.read_text(encoding="utf-8")


def accessibility_problems(driver, page: Path) -> list[str]:
    """Everything the checks of the module docstring find on ``page``, one line each."""
    driver.get(page.as_uri())
    driver.execute_async_script(chromium.WAIT_FOR_FONTS)
    driver.execute_script(scripts())
    problems = axe_problems(driver) + driver.execute_script("return jimoChecks.structure()")
    problems += keyboard_problems(driver)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", ZOOMED)
    try:
        problems += [
            f"at 200% zoom: {problem}" for problem in driver.execute_script("return jimoChecks.reflow()")
        ]
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    return problems


def axe_problems(driver) -> list[str]:
    found = driver.execute_async_script(RUN_AXE, AXE_TAGS)
    if "error" in found:
        return [f"axe-core failed: {found['error']}"]
    problems = [] if "color-contrast" in found["ran"] else ["axe's color-contrast rule did not run"]
    for rule in found["violations"]:
        if rule["impact"] in FAILING_IMPACTS:
            problems += [
                f"axe {rule['id']} ({rule['impact']}) at {target}: {rule['help']}"
                for target in rule["targets"]
            ]
    return problems


def keyboard_problems(driver) -> list[str]:
    """Tab through the whole page once (one key sequence), then read what received focus."""
    stops = driver.execute_script("return jimoChecks.watchFocus()")
    ActionChains(driver).send_keys(Keys.TAB * (stops + 2)).perform()
    return driver.execute_script("return jimoChecks.focusProblems()")


def check_data_page(folder: Path, lang: str) -> Path:
    """The check-data page of a params file whose staffing file breaks a rule (so that it has a table)."""
    params = {
        "data": {key: (str(BROKEN_STAFFING) if key == "staffing" else None) for key in DATA_KEYS},
        "extracted_on": "2024-01-05",
        "lang": lang,
    }
    params_file = folder / "params.yaml"
    params_file.write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")
    page = folder / "check-data.html"
    check_data.main(["--quarter", "2023Q2", "--params", str(params_file), "--out", str(page)])
    return page


def every_page(quarter: Path, lang: str, scratch: Path) -> list[Path]:
    """The pages a reader opens around a built quarter: the front page and the trend page (written
    beside the quarter's folder), the scorecard, every report, and a check-data page."""
    return [
        trend.write_front_page(quarter.parent, lang),
        trend.write_trend(quarter.parent, lang),
        quarter / "index.html",
        *[quarter / f"{spec.name}.html" for spec in discover_notebooks()],
        check_data_page(scratch, lang),
    ]


@pytest.fixture(params=["zh", "en"])
def pages(request, tmp_path) -> list[Path]:
    """Every page around the reference quarter built in one language (the builds are shared fixtures)."""
    lang = request.param
    quarter = (
        request.getfixturevalue("reference_build")["out"]
        if lang == "zh"
        else request.getfixturevalue("english_reference_build")
    )
    return every_page(quarter, lang, tmp_path)


def test_every_page_passes_axe_keyboard_zoom_and_structure_checks(browser, pages):
    found = {}
    for page in pages:
        assert page.is_file(), page
        found[f"{page.parent.name}/{page.name}"] = accessibility_problems(browser, page)
    assert found == {name: [] for name in found}


BAD_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>bad</title>
<style>a:focus { outline: none; } .faint { color: #aaa; } .wide { width: 1200px; }
div.clip { overflow: hidden; width: 200px; white-space: nowrap; }</style></head>
<body><main><h1>Bad</h1><h3>Skipped a level</h3>
<p class="faint">Faint text</p>
<p><a href="#one">one</a> <a href="#two" tabindex="-1">two</a></p>
<table><tr><th>Header</th></tr><tr><td>1</td></tr></table>
<div class="wide">wide</div><div class="clip">a long line that a narrow box cuts off at its edge</div>
</main></body></html>"""


def test_the_checks_catch_contrast_headers_headings_keyboard_and_reflow(browser, tmp_path):
    page = tmp_path / "bad.html"
    page.write_text(BAD_PAGE, encoding="utf-8")
    problems = "\n".join(accessibility_problems(browser, page))
    for expected in (
        "axe color-contrast (serious) at .faint",
        "th without scope",
        "table without caption",
        "heading skips from h1 to h3",
        'Tab never reaches link "two"',
        'focus not visible on a "one"',
        "at 200% zoom: the page scrolls sideways",
        "at 200% zoom: div.wide",
        "at 200% zoom: div.clip",
    ):
        assert expected in problems, (expected, problems)


# --- colours: text 4.5:1 (WCAG 1.4.3), chart lines and markers 3:1 (WCAG 1.4.11) ------------------------
TEXT_CONTRAST, GRAPHICS_CONTRAST = 4.5, 3.0
WHITE = "#ffffff"
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_TEXT_COLOUR = re.compile(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{3,6})\b")
_BACKGROUND = re.compile(r"background(?:-color)?:\s*(#[0-9a-fA-F]{3,6})\b")
_VARIABLE = re.compile(r"(--jimo-[a-z]+):\s*(#[0-9a-fA-F]{3,6})\b")


def contrast(one: str, other: str) -> float:
    """The WCAG contrast ratio of two #rgb or #rrggbb colours."""

    def luminance(colour: str) -> float:
        digits = colour.lstrip("#")
        digits = "".join(c * 2 for c in digits) if len(digits) == 3 else digits
        channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted([luminance(one), luminance(other)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def stylesheets() -> dict[str, str]:
    return {
        "report.css": REPORT_STYLE_PATH.read_text(encoding="utf-8"),
        "scorecard": scorecard._SCORECARD_CSS,
        "trend": trend.TREND_CSS,
        "check-data": (TEMPLATES_DIR / "check_data.html.j2").read_text(encoding="utf-8"),
    }


def text_colour_pairs(css: str) -> list[tuple[str, str, str]]:
    """(rule, text colour, background) for each text colour a stylesheet sets: on its rule's own
    background, else on white and on the report's striped and header rows."""
    variables = dict(_VARIABLE.findall(css))
    grounds = [WHITE, variables.get("--jimo-stripe", WHITE), variables.get("--jimo-header", WHITE)]
    pairs = []
    for selector, body in _RULE.findall(css):
        for colour in _TEXT_COLOUR.findall(body):
            own = _BACKGROUND.findall(body)
            pairs += [(selector.strip(), colour, ground) for ground in (own or grounds)]
    for name in ("--jimo-text", "--jimo-accent"):  # the report's text and link colours, by variable
        pairs += [(name, variables[name], ground) for ground in grounds if name in variables]
    return pairs


def test_every_text_colour_of_the_stylesheets_has_4_5_to_1_on_its_background():
    low = {
        (sheet, rule, colour, ground): round(contrast(colour, ground), 2)
        for sheet, css in stylesheets().items()
        for rule, colour, ground in text_colour_pairs(css)
        if contrast(colour, ground) < TEXT_CONTRAST
    }
    assert low == {}
    assert len(text_colour_pairs(stylesheets()["report.css"])) >= 6  # text and links on three grounds


def test_chart_lines_and_status_markers_have_3_to_1_on_white():
    colours = {**charts.COLOURS, "guide": charts.GUIDE, "trend line": trend.LINE}
    colours |= {"trend reference": trend.REFERENCE}
    colours |= {f"status {status}": colour for status, colour in trend.STATUS_COLOURS.items()}
    low = {name: round(contrast(colour, WHITE), 2) for name, colour in colours.items()}
    assert {name: ratio for name, ratio in low.items() if ratio < GRAPHICS_CONTRAST} == {}
    assert contrast("#e07b00", WHITE) < GRAPHICS_CONTRAST  # the orange the charts used before


# Pale fills that carry no meaning alone: a bar's fill inside its dark outline, the band behind a
# missing quarter.
FILLS = {charts.BAR_FILL, trend.GAP}
HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def test_every_colour_the_package_draws_with_has_3_to_1_on_white():
    """Every colour written as a whole string in the package ("#rrggbb": chart lines, markers, map points),
    wherever it is declared, but the pale fills above; a new colour is checked without being listed."""
    found = {}
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and HEX_COLOUR.fullmatch(node.value)
            ):
                found[f"{path.relative_to(PACKAGE_DIR)}:{node.lineno} {node.value}"] = node.value
    assert len(found) > 10
    low = {where: round(contrast(colour, WHITE), 2) for where, colour in found.items() if colour not in FILLS}
    assert {where: ratio for where, ratio in low.items() if ratio < GRAPHICS_CONTRAST} == {}
