"""The GSS symbols in the reports' tables (#17 item 4): [c] suppressed for disclosure, [x] not available,
[z] not applicable, [p] provisional, [r] revised, [u] low reliability (core/markers.py), each explained by a
legend under the table in the report's language, instead of "<10", "—" and blank cells.

The helper (notebook.table), the views' choice of marker for each kind of empty cell, and the built
reference quarter in both languages: no table holds "—", a "<10"-style count or an empty cell, and every
marker a table uses is in the legend under it.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from jimo_eval.core.downloads import shown_cells
from jimo_eval.core.i18n import text
from jimo_eval.core.markers import (
    LOW_RELIABILITY,
    MARKERS,
    MARKERS_TEXT,
    NOT_APPLICABLE_MARK,
    NOT_AVAILABLE,
    SUPPRESSED,
    cell,
    legend,
    low_reliability,
    used_in,
)
from jimo_eval.notebook import table

LANGS = ("zh", "en")


# --- the markers and their words ----------------------------------------------------------------------------


def test_every_marker_has_its_words_in_both_languages():
    assert set(MARKERS_TEXT) == set(MARKERS) and len(MARKERS) == 6
    for lang in LANGS:
        words = [text(MARKERS_TEXT[marker], lang) for marker in MARKERS]
        assert all(words) and len(set(words)) == len(words)


def test_the_legend_lists_the_markers_used_in_gss_order_in_the_language():
    c, x = text("marker.c", "en"), text("marker.x", "en")
    assert legend([NOT_AVAILABLE, SUPPRESSED, NOT_AVAILABLE], "en") == f"Symbols: [c] {c}; [x] {x}"
    zh = legend([LOW_RELIABILITY, NOT_APPLICABLE_MARK], "zh")
    assert zh == f"表中符号：[z] {text('marker.z', 'zh')}；[u] {text('marker.u', 'zh')}"
    assert legend([], "en") == ""
    with pytest.raises(ValueError, match=r"unknown markers \['\[q\]'\]"):
        legend(["[q]"], "en")


def test_a_cell_is_the_value_shown_or_the_marker_for_none():
    for missing in (None, float("nan"), np.float64("nan"), pd.NA, pd.NaT):
        assert cell(missing, str) == NOT_AVAILABLE
        assert cell(missing, str, NOT_APPLICABLE_MARK) == NOT_APPLICABLE_MARK
    assert cell(0, str) == "0" and cell(0.25, lambda v: f"{v:.0%}") == "25%" and cell("", str) == ""
    assert cell(pd.Timestamp("2023-04-01"), lambda day: day.date().isoformat()) == "2023-04-01"
    with pytest.raises(ValueError, match="unknown marker '—'"):
        cell(None, str, "—")
    assert low_reliability("1.20") == "1.20 [u]"


def test_the_markers_a_table_uses_are_found_inside_text():
    assert used_in(["12", "[x]", "0 ([x])", "1.20 [u]", 3, None, "[c]"]) == (SUPPRESSED, NOT_AVAILABLE, "[u]")
    assert used_in(["12", "—", "<10", ""]) == ()


# --- notebook.table -----------------------------------------------------------------------------------------


def legends(html: str) -> list[str]:
    return [unescape(found) for found in re.findall(r'<p class="jimo-legend">(.*?)</p>', html)]


def body_cells(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1]
    return [unescape(found) for found in re.findall(r"<td[^>]*>(.*?)</td>", body)]


@pytest.mark.parametrize("lang", LANGS)
def test_a_missing_value_is_not_available_and_the_legend_says_so(lang):
    frame = pd.DataFrame(
        {
            "text": ["a", None],
            "float": [1.5, np.nan],
            "integer": pd.array([3, None], dtype="Int64"),
            "string": pd.array(["b", None], dtype="string"),
        }
    )
    html = table(frame, lang).data
    assert body_cells(html) == ["a", "1.5", "3", "b", *[NOT_AVAILABLE] * 4]
    assert legends(html) == [legend([NOT_AVAILABLE], lang)]
    assert html.index("</table>") < html.index("jimo-legend")


def test_a_table_without_markers_shows_pandas_cells_and_no_legend():
    """pandas' cells (captioned and aligned: tests/test_tables.py), then no legend, only the link to its
    data (tests/test_downloads.py)."""
    frame = pd.DataFrame({"n": [1, 22], "share": [0.125, 0.5], "name": ["甲", "B & C"]})
    expected = frame.to_html(index=False, border=0, classes="jimo-table", escape=True)
    link = re.compile(r'\n<p class="jimo-download"><a [^>]+>[^<]+</a></p>')
    html = table(frame, "en").data
    shown, after = html.split("</table>")
    assert shown_cells(shown) == shown_cells(expected)
    assert link.fullmatch(after)


def test_markers_chosen_by_a_view_get_their_legend_and_cells_stay_escaped():
    frame = pd.DataFrame({"a": [SUPPRESSED, "<script>x</script>"], "b": ["12 [u]", NOT_APPLICABLE_MARK]})
    html = table(frame, "zh").data
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert legends(html) == [legend([SUPPRESSED, NOT_APPLICABLE_MARK, LOW_RELIABILITY], "zh")]


# --- what each view's empty cells mean ----------------------------------------------------------------------


def test_enforcement_reoffence_rows_withhold_small_groups_and_lack_an_unreached_horizon():
    from jimo_eval.programmes.enforcement import view
    from jimo_eval.programmes.enforcement.metrics import GroupRisk

    def risk(decisions, followed_full, km_risk=None):
        ci = (None, None) if km_risk is None else (0.01, 0.3)
        return GroupRisk(decisions, 2, followed_full, km_risk, ci, None, 1)

    assert view._group_row("g", risk(4, 4, 0.1), 5) == ("g", *[SUPPRESSED] * 4)
    assert view._group_row("g", risk(12, 3), 5) == ("g", "12", NOT_AVAILABLE, SUPPRESSED, SUPPRESSED)
    assert view._group_row("g", risk(12, 10, 0.1), 5)[1:] == ("12", "10.0% (1.0% – 30.0%)", "1 / 10", "10.0%")


def test_resolution_stage_cells_withheld_not_reached_or_not_recorded():
    from jimo_eval.programmes.resolution import view

    frame = pd.DataFrame(
        [
            ("period", "walk_in", 12, 2.0, 8.0, True),
            ("period", "letter", 11, None, None, True),  # fewer than min_count dispatched; median not reached
            ("period", "phone", 10, None, 3.0, False),  # no dispatch time at all
            ("period", "__other__", None, None, None, None),  # still small after merging
        ],
        columns=["cohort", "group", "cases", "dispatch_hours", "median_days", "any_dispatched"],
    )
    html = view.stage_table(SimpleNamespace(stages={"source": frame}), "source", "en").data
    cells = body_cells(html)
    rows = [cells[i : i + 5] for i in range(0, len(cells), 5)]
    assert [row[2:] for row in rows] == [
        ["12", "2.0", "8.0"],
        ["11", SUPPRESSED, "not reached"],
        ["10", NOT_AVAILABLE, "3.0"],
        [SUPPRESSED, SUPPRESSED, SUPPRESSED],  # was "<10", "—", "not reached"
    ]
    assert legends(html) == [legend([SUPPRESSED, NOT_AVAILABLE], "en")]


def test_resolution_stage_table_tells_a_withheld_dispatch_median_from_none_recorded(write_cases):
    from jimo_eval.inputs import load
    from jimo_eval.programmes.resolution import metrics as R

    header = "case_id,received_at,dispatched_at,closed_at,source,via_platform,inspector_id,industry"
    rows = [f"W{i},2023-04-03 09:00,,2023-04-10 09:00,walk_in,true,I1,retail" for i in range(3)]
    rows += [f"L{i},2023-04-03 09:00,,2023-04-10 09:00,letter,true,I1,retail" for i in range(2)]
    rows += ["L9,2023-04-03 09:00,2023-04-03 11:00,2023-04-10 09:00,letter,true,I1,retail"]
    cases = load(write_cases(rows, header=header), "cases")
    stages = R.stage_table({"period": cases}, "source", "2023-06-30", 3).set_index("group")
    assert stages["dispatch_hours"].isna().all()
    assert not stages.loc["walk_in", "any_dispatched"]  # none recorded: [x] in the report
    assert stages.loc["letter", "any_dispatched"]  # one, fewer than min_count: withheld, [c]


def test_supervision_withheld_group_shows_no_median():
    from jimo_eval.programmes.supervision import view

    frame = pd.DataFrame(
        [("window", 14, 2, 5.0, 3.0, 9.0), ("__other__", None, None, None, None, None)],
        columns=["group", "items", "open", "median_days", "ci_low", "ci_high"],
    )
    html = view.group_table(SimpleNamespace(groups={"source": frame}), "source", "en").data
    assert body_cells(html)[5:] == [text("group.__other__", "en"), *[SUPPRESSED] * 4]


def test_greenspace_no_target_or_floor_is_not_applicable_and_a_missing_input_not_available():
    from jimo_eval.core.i18n import number, percent
    from jimo_eval.programmes.greenspace import view
    from jimo_eval.programmes.greenspace.metrics import NATIONAL_COVERAGE, NATIONAL_PARK_GREEN_PER_CAPITA_M2

    result = SimpleNamespace(
        targets={"pocket_parks": 70, "green_land_ratio": 0.41, "park_green_per_capita_m2": 15},
        projection=SimpleNamespace(built=40),
        green_land_ratio=0.406,
        park_green_per_capita_m2=None,  # no city statistics
        coverage_500m=None,  # no residential blocks
        coverage_300m=None,
    )
    cells = body_cells(view.status_table(result, "en").data)
    rows = [cells[i + 1 : i + 4] for i in range(0, len(cells), 4)]
    assert rows == [
        ["40", "70", NOT_APPLICABLE_MARK],
        ["40.6%", "41%", NOT_APPLICABLE_MARK],
        [NOT_AVAILABLE, "15", f"> {number(NATIONAL_PARK_GREEN_PER_CAPITA_M2, 0)}"],
        [NOT_AVAILABLE, NOT_APPLICABLE_MARK, f"> {percent(NATIONAL_COVERAGE, 0)}"],
        [NOT_AVAILABLE, NOT_APPLICABLE_MARK, NOT_APPLICABLE_MARK],
    ]


def test_projects_not_started_is_not_applicable_and_a_forecast_without_limits_not_available():
    from jimo_eval.programmes.projects import view

    def project(project_id, started, behind, spi, early=None, late=None):
        return {
            "project_id": project_id,
            "name": "名称",
            "street": "街道",
            "level": "district",
            "total_investment_yuan": 1e8,
            "share_complete": 0.1 if started else 0.0,
            "spi": spi,
            "spi_t": spi,
            "planned_completion": pd.Timestamp("2025-06-30"),
            "forecast_completion": pd.Timestamp("2025-08-01") if started else None,
            "forecast_early": early,
            "forecast_late": late,
            "behind": behind,
            "started": started,
            "finished": False,
        }

    portfolio = pd.DataFrame(
        [
            project("KP-1", True, True, 0.5, pd.Timestamp("2025-07-01"), None),
            project("KP-2", True, False, 1.1),
            project("KP-3", False, False, None),
        ]
    )
    cells = body_cells(view.portfolio_table(SimpleNamespace(portfolio=portfolio), "en").data)
    rows = [cells[i + 5 : i + 10] for i in range(0, len(cells), 10)]
    assert rows == [
        ["0.50", "0.50", "2025-06-30", f"2025-08-01 (2025-07-01 – {NOT_AVAILABLE})", "⚠ behind"],
        ["1.10", "1.10", "2025-06-30", f"2025-08-01 ({NOT_AVAILABLE})", "not behind"],
        [NOT_APPLICABLE_MARK, NOT_APPLICABLE_MARK, "2025-06-30", "plan not started", NOT_APPLICABLE_MARK],
    ]
    milestones = pd.DataFrame(
        {
            "project_id": ["KP-1", "KP-1"],
            "milestone": ["start", "complete"],
            "planned_on": pd.to_datetime(["2023-01-31", "2025-06-30"]),
            "done_on": pd.to_datetime(["2023-02-03", None]),
            "area_m2": [np.nan, 22500.0],
            "status": ["late", "pending"],
        }
    )
    cells = body_cells(table(view._milestone_frame(milestones, "en"), "en").data)
    assert cells[2:6] == ["2023-01-31", "2023-02-03", NOT_APPLICABLE_MARK, "done late"]
    assert cells[8:11] == ["2025-06-30", NOT_APPLICABLE_MARK, "22,500 m²"]


def test_throughput_closings_the_case_log_undercounts_are_low_reliability(write_cases, write_staffing):
    from jimo_eval.inputs import load
    from jimo_eval.params import load_params
    from jimo_eval.programmes.throughput import metrics as T
    from jimo_eval.programmes.throughput import view

    months = {f"2022-{m:02d}": 2.0 for m in range(1, 13)} | {f"2023-{m:02d}": 1.5 for m in range(1, 13)}
    staffing = load(write_staffing(months), "staffing")
    # The log starts on the baseline's first day: April 2022 closings of March cases are missing.
    rows = [f"B{i},2022-04-01 09:00,2022-04-10 15:00,walk_in,false,I1" for i in range(15)]
    rows += [f"P{i},2023-04-01 09:00,2023-04-10 15:00,walk_in,true,I1" for i in range(15)]
    params = load_params(overrides={"quarter": "2023Q2", "lang": "en"})
    result = T.evaluate_throughput(load(write_cases(rows), "cases"), staffing, params)
    assert "baseline" in result.warnings and "period" not in result.warnings
    ratios = view.ratio_table(result, "en", min_count=10).data
    baseline, period = (body_cells(ratios)[i : i + 5] for i in (0, 5))
    assert baseline[2] == "15 [u]" and baseline[4].endswith(" [u]") and baseline[3] == "6.0"
    assert period[2] == "15" and LOW_RELIABILITY not in "".join(period)
    assert legends(ratios) == [legend([LOW_RELIABILITY], "en")]
    tracking = body_cells(view.verdict_table(result, params, "en").data)[-5:]
    assert all(value.endswith(" [u]") for value in tracking[1:4]) and tracking[4] == "not applicable"


# --- the built reference quarter ----------------------------------------------------------------------------


class _Tables(HTMLParser):
    """Every table of a page: its cells' text, and the legend paragraph right after it (if any)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[dict] = []
        self._cell: list[str] | None = None
        self._legend: list[str] | None = None
        self._after_table = False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"cells": [], "legend": None})
        elif tag in ("td", "th") and self.tables:
            self._cell = []
        elif tag == "p" and self._after_table and ("class", "jimo-legend") in attrs:
            self._legend = []
        self._after_table = False

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1]["cells"].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "p" and self._legend is not None:
            self.tables[-1]["legend"] = "".join(self._legend)
            self._legend = None
        self._after_table = tag == "table"

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        elif self._legend is not None:
            self._legend.append(data)
        elif data.strip():
            self._after_table = False


def old_style_cells(cells: list[str]) -> list[str]:
    """Cells written the old way: empty, a dash for a missing value, a count shown as "<10"."""
    return [c for c in cells if not c or "—" in c or re.fullmatch(r"[<＜]\s*\d+", c)]


def check_report_tables(out, lang: str) -> set[str]:
    """Every table of every report of a built quarter (the scorecard page is not a report): no old-style
    cell, and the markers it uses explained by the legend right under it, in ``lang``. Returns the
    markers used."""
    reports = sorted(path for path in out.glob("*.html") if path.name != "index.html")
    assert len(reports) >= 7
    used_anywhere: set[str] = set()
    for path in reports:
        parser = _Tables()
        parser.feed(path.read_text(encoding="utf-8"))
        assert parser.tables, path.name
        for number, found in enumerate(parser.tables):
            where = f"{path.name}, table {number + 1}"
            assert old_style_cells(found["cells"]) == [], where
            used = used_in(found["cells"])
            assert found["legend"] == (legend(used, lang) if used else None), where
            used_anywhere |= set(used)
    return used_anywhere


def test_disclosure_markers_in_every_report_table_of_the_reference_quarter(reference_build):
    assert reference_build["params"]["lang"] == "zh"
    used = check_report_tables(reference_build["out"], "zh")
    assert {SUPPRESSED, NOT_AVAILABLE, NOT_APPLICABLE_MARK} <= used  # the check is not vacuous


def test_disclosure_markers_in_every_report_table_of_the_reference_quarter_in_english(
    english_reference_build,
):
    used = check_report_tables(english_reference_build, "en")
    assert {SUPPRESSED, NOT_AVAILABLE, NOT_APPLICABLE_MARK} <= used
    enforcement = (english_reference_build / "enforcement.html").read_text(encoding="utf-8")
    assert f"Symbols: {SUPPRESSED} {text('marker.c', 'en')}" in enforcement


def test_the_report_check_finds_old_style_cells_and_missing_legends(tmp_path):
    """The check of the built reports, on pages written the old way (it fails on the old views)."""
    old = pd.DataFrame({"a": ["<10", "12"], "b": ["—", ""], "c": ["1", "2"]})
    markup = old.to_html(index=False, border=0, classes="jimo-table", escape=True)
    pages = {f"{name}.html": markup for name in "abcdefg"}
    for name, page in pages.items():
        (tmp_path / name).write_text(page, encoding="utf-8")
    with pytest.raises(AssertionError, match="a.html, table 1"):
        check_report_tables(tmp_path, "en")
    without_legend = pd.DataFrame({"a": [SUPPRESSED, "12"]})
    no_legend = without_legend.to_html(index=False, border=0, classes="jimo-table", escape=True)
    for name in pages:
        (tmp_path / name).write_text(no_legend, encoding="utf-8")
    with pytest.raises(AssertionError, match="a.html, table 1"):
        check_report_tables(tmp_path, "en")
    assert old_style_cells(["<10", "＜5", "—", "", "12", "> 80%", "0.0% – 0.9%", "[c]"]) == [
        "<10",
        "＜5",
        "—",
        "",
    ]
    for name in pages:
        (tmp_path / name).write_text(table(without_legend, "en").data, encoding="utf-8")
    assert check_report_tables(tmp_path, "en") == {SUPPRESSED}
