"""make check-data: every problem of every configured input, printed and as one offline page."""

import html
import re
import shutil
from pathlib import Path

import pytest
import yaml

from jimo_eval.build import check_data
from jimo_eval.build.html_export import external_resources
from jimo_eval.core.paths import REPORTS_DIR
from jimo_eval.inputs import INPUTS, check
from jimo_eval.params import DATA_KEYS

BROKEN = Path(__file__).parent / "data" / "broken"
EXTRACTED_ON = "2024-01-05"
CASES_HEADER = (
    "case_id,received_at,dispatched_at,closed_at,source,via_platform,inspector_id,"
    "amount_owed_yuan,amount_recovered_yuan,complainant_name,complainant_phone"
)
PHONE = "13912345678"
HOSTILE = "<img src=x onerror=alert(1)>"


def run(tmp_path, capsys, data: dict, **settings) -> tuple[int, str, str]:
    """check_data.main on a params file configuring only ``data`` (every other input null)."""
    params = {
        "data": {key: (str(data[key]) if key in data else None) for key in DATA_KEYS},
        "extracted_on": EXTRACTED_ON,
        **settings,
    }
    params_file = tmp_path / "params.yaml"
    params_file.write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")
    page = tmp_path / "page" / "check.html"
    status = check_data.main(["--quarter", "2023Q2", "--params", str(params_file), "--out", str(page)])
    return status, capsys.readouterr().out, page.read_text(encoding="utf-8")


def broken_copies(tmp_path, *names: str) -> dict[str, Path]:
    """Broken files copied to tmp_path, by the input they are configured as."""
    copies = {}
    for name in names:
        key = max((k for k in INPUTS.names() if name.startswith(k + "_")), key=len)
        copies[key] = Path(shutil.copy(BROKEN / name, tmp_path / name))
    return copies


def page_text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_the_reference_data_pass(tmp_path, capsys):
    page = tmp_path / "ok.html"
    status = check_data.main(["--quarter", "2023Q2", "--out", str(page)])
    out = capsys.readouterr().out
    assert status == 0
    assert "breaks" not in out and "不符合" not in out
    assert out.count("未发现问题。") == len(INPUTS.names())
    assert "共检查 12 个文件，其中 0 个有问题。" in out
    written = page.read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in written and "<table" not in written
    assert "生成报告不会因输入文件而失败" in written
    assert not list(tmp_path.glob(".*.part"))  # written through a temporary file, nothing left behind


def test_every_problem_of_every_file_is_listed_and_the_build_would_fail(tmp_path, capsys):
    files = broken_copies(
        tmp_path,
        "cases_closed_before_received.csv",
        "staffing_non_positive_fte.csv",
        "parks_unknown_mode.csv",
    )
    # a second broken file for cases would overwrite the first: give cases several problems at once
    files["cases"].write_text(
        "\n".join(
            [
                CASES_HEADER,
                "B1,2023-01-02 09:00,,2022-12-30 10:00,walk_in,true,I1,100,50,张某某,13800000000",
                "B2,2023-02-30 09:00,,,walk_in,maybe,I1,-5,,李某某,13900000000",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    status, out, page = run(tmp_path, capsys, files, lang="en")
    assert status == 1
    assert "The build would fail on these inputs." in out
    assert "3 file(s) checked, 3 with problems." in out
    shown = page_text(page)
    listed = 0
    for key, path in files.items():
        checked = check(path, INPUTS.get(key), extracted_on=EXTRACTED_ON)
        assert checked.problems
        assert f"== {key}: {path}" in out and str(path) in shown
        for problem in checked.problems:
            # the engine's own words, every problem (indented under its file)
            assert all(line.strip() in out for line in problem.describe("en").splitlines())
            assert problem.column in shown and problem.rule in shown
            assert all(str(line) in shown for line in problem.lines)
            assert all(ident in shown for ident in problem.ids)
            listed += 1
    assert listed >= 6  # closed_at, received_at, via_platform, amount_owed_yuan, inspectors, mode
    assert page.count("<tr>") - 3 == listed  # one table row per problem (minus the header rows)
    assert "likely cause: there is no 30 February 2023" in out
    assert "there is no 30 February 2023" in shown
    assert "Not checked" in out and "city: not configured" in out
    assert '<html lang="en">' in page


def test_drop_lists_the_rows_left_out_and_does_not_fail(tmp_path, capsys):
    files = broken_copies(tmp_path, "cases_closed_before_received.csv", "staffing_non_positive_fte.csv")
    status, out, page = run(tmp_path, capsys, files, lang="en", on_invalid="drop")
    assert status == 0
    assert "The build would not fail on these inputs." in out
    assert (
        "1 row(s) would be left out under on_invalid: drop (not a failure): "
        "'closed_at' breaks 'closed_at ≥ received_at' in 1 rows" in out
    )
    assert "2 row(s) would be left out under on_invalid: drop (not a failure): " in out
    assert "'inspectors' breaks 'must be > 0' in 2 rows" in out
    assert "3 row(s) would be left out under on_invalid: drop." in out
    assert 'class="status drop"' in page and "in 2 rows" in page_text(page)


def test_a_whole_file_problem_fails_even_under_drop(tmp_path, capsys):
    files = broken_copies(tmp_path, "cases_missing_closed_at.csv", "staffing_non_positive_fte.csv")
    status, out, page = run(tmp_path, capsys, files, lang="en", on_invalid="drop")
    assert status == 1
    assert "column 'closed_at' breaks rule 'required column must be present'" in out
    assert "The whole file cannot be used: the build would fail even under on_invalid: drop." in out
    assert "'inspectors' breaks 'must be > 0' in 2 rows" in out  # the other file is still listed
    assert 'class="summary fail"' in page


def test_a_cross_file_rule_runs_against_a_failed_input_and_is_skipped_when_unreadable(tmp_path, capsys):
    # projects has a row problem (fail): its rows are still given to project_progress's foreign key
    files = broken_copies(tmp_path, "projects_completion_before_start.csv")
    files["project_progress"] = tmp_path / "progress.csv"
    files["project_progress"].write_text(
        "project_id,month,planned_yuan,completed_yuan\nKP-01,2023-01,10,5\nKP-99,2023-01,10,5\n",
        encoding="utf-8",
    )
    status, out, _ = run(tmp_path, capsys, files, lang="en")
    assert status == 1
    assert f"column 'project_id' breaks rule 'must be a project_id of {files['projects']}'" in out
    assert "line 3 (KP-99)" in out and "line 2 (KP-01)" not in out.split("== project_progress")[1]
    # projects unreadable (no rows): the rule is not run, and both outputs say so
    files["projects"].write_text(files["projects"].read_text(encoding="utf-8").splitlines()[0] + "\n")
    status, out, page = run(tmp_path, capsys, files, lang="en")
    assert status == 1
    skipped = "rule 'must be a project_id of projects' not checked: projects could not be read"
    assert skipped in out and skipped in page_text(page)


def test_hostile_cell_text_is_only_ever_escaped_in_the_page(tmp_path, capsys):
    cases = tmp_path / "cases.csv"
    cases.write_text(
        f"{CASES_HEADER},{HOSTILE}\n"
        f'B1,2023-01-02 09:00,,2023-01-03 09:00,"{HOSTILE}",true,I1,100,50,张某某,{PHONE},x\n',
        encoding="utf-8",
    )
    status, out, page = run(tmp_path, capsys, {"cases": cases}, lang="en")
    assert status == 1
    assert HOSTILE in out  # the terminal shows it as written
    assert "<img" not in page and "onerror=alert(1)>" not in page
    assert html.escape(HOSTILE, quote=False) in page
    assert HOSTILE in page_text(page)  # in the table and in the unrecognised-header note


def test_the_page_loads_nothing_from_a_network(tmp_path, capsys):
    files = broken_copies(tmp_path, "cases_impossible_dates.csv", "feedback_unknown_source.csv")
    _, _, page = run(tmp_path, capsys, files)
    assert external_resources(page) == []
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.IGNORECASE)
    assert "http://" not in page and "https://" not in page
    assert "@font-face" in page and "data:font/woff2;base64," in page  # the font is embedded


def test_personal_values_appear_nowhere(tmp_path, capsys):
    cases = tmp_path / "cases.csv"
    cases.write_text(
        f"{CASES_HEADER}\nB1,2023-01-02 09:00,,2022-12-30 10:00,walk_in,maybe,I1,-1,,王某某,{PHONE}\n",
        encoding="utf-8",
    )
    status, out, page = run(tmp_path, capsys, {"cases": cases})
    assert status == 1 and "B1" in out and "B1" in page
    for personal in (PHONE, "王某某"):
        assert personal not in out and personal not in page


def test_an_identifier_typed_into_a_checked_column_is_masked(tmp_path, capsys):
    # the engine quotes unknown category labels in its likely cause: a phone in `source` must not leak
    cases = tmp_path / "cases.csv"
    cases.write_text(f"{CASES_HEADER}\n{PHONE},2023-01-02 09:00,,,{PHONE},true,I1,1,,,\n", encoding="utf-8")
    status, out, page = run(tmp_path, capsys, {"cases": cases}, lang="en")
    assert status == 1 and "column 'source' breaks rule" in out and "1…(11 chars)" in out
    assert PHONE not in out and PHONE not in page


def test_chinese_by_default_english_with_lang_en(tmp_path, capsys):
    files = broken_copies(tmp_path, "staffing_non_positive_fte.csv")
    _, out, page = run(tmp_path, capsys, files)
    assert '<html lang="zh-CN">' in page
    assert "列 inspectors 不符合规则 “必须 > 0”[must be > 0]" in out
    assert "必须 &gt; 0" in page and "[must be &gt; 0]" in page and "此文件会使生成报告失败" in page
    assert "按这些输入，生成报告会失败。" in out
    _, out, page = run(tmp_path, capsys, files, lang="en")
    assert '<html lang="en">' in page and "Likely cause" in page
    assert "column 'inspectors' breaks rule 'must be > 0'" in out
    assert not re.search(r"[\u4e00-\u9fff]", out.replace(str(tmp_path), ""))


def test_missing_and_unconfigured_inputs_are_listed_not_failed(tmp_path, capsys):
    status, out, page = run(tmp_path, capsys, {"cases": tmp_path / "nowhere.csv"}, lang="en")
    assert status == 0
    assert f"cases: missing ({tmp_path / 'nowhere.csv'})" in out and "staffing: not configured" in out
    assert "0 file(s) checked, 0 with problems." in out
    assert "staffing: not configured" in page_text(page)


def test_the_page_never_goes_into_a_quarter_folder(tmp_path, capsys):
    assert check_data.default_page("2023Q2") == REPORTS_DIR / "check-data" / "2023Q2.html"
    status = check_data.main(["--quarter", "2023Q2", "--out", str(REPORTS_DIR / "2023Q2" / "check.html")])
    assert status == 2
    assert not (REPORTS_DIR / "2023Q2" / "check.html").exists()
    assert check_data.main(["--params", str(tmp_path / "absent.yaml")]) == 2


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_word_comes_from_i18n(lang):
    from jimo_eval.core.strings import STRINGS

    used = set(re.findall(r'"(check\.[a-z_.]+)"', Path(check_data.__file__).read_text(encoding="utf-8")))
    assert {"check.reason.unreadable", "check.file", "check.values"} <= used  # literal keys, not built
    assert used <= set(STRINGS), used - set(STRINGS)
    assert all(STRINGS.template(key, lang) for key in used)
