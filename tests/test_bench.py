"""The benchmark's own logic (bench/): ratios, goals, RESULTS.md sections, the naive loop, the floor.

No timing is asserted here: timings are measured by `make bench`, never by unit tests.
"""

import subprocess
import sys
import time
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))

import bench  # noqa: E402
import floor  # noqa: E402
import results  # noqa: E402


def timing(name: str, *wall: float) -> results.Timing:
    return results.Timing(name, list(wall), [w / 2 for w in wall])


def test_ratios_use_wall_medians():
    # Medians: (a) 10 (of 9, 10, 30), (b) 40 (of 40, 41, 39), (c) 6 (of 6, 5, 7).
    report, naive, floor_ = timing("a", 9, 10, 30), timing("b", 40, 41, 39), timing("c", 6, 5, 7)
    found = results.ratios(report, naive, floor_)
    assert found == {"speed_up_over_naive": 4.0, "ratio_to_floor": pytest.approx(10 / 6)}
    assert results.goals_met(found) == {"speed_up_over_naive": True, "ratio_to_floor": False}  # 1.67 > 1.5
    # 3.9× and 1.6: both goals missed; exactly 4× and exactly 1.5 both met (≥ 4, ≤ 1.5).
    assert results.goals_met({"speed_up_over_naive": 3.9, "ratio_to_floor": 1.6}) == {
        "speed_up_over_naive": False,
        "ratio_to_floor": False,
    }
    assert all(results.goals_met({"speed_up_over_naive": 4.0, "ratio_to_floor": 1.5}).values())
    assert results.goals_met({"edit_share_of_build": 0.34, "no_op_seconds": 0.29}) == {
        "edit_share_of_build": False,
        "no_op_seconds": True,
    }


def test_sections_are_replaced_in_place_and_others_kept():
    text = results.replace_section("", "speed", "first speed")
    assert text.startswith(results.TITLE)
    text = results.replace_section(text, "scale-1000000", "one million")
    text = results.replace_section(text, "speed", "second speed")
    assert "first speed" not in text
    assert text.count("<!-- begin speed -->") == 1 and "second speed" in text
    assert text.index("second speed") < text.index("one million")  # stays where it was
    assert "one million" in results.replace_section(text, "scale-10000000", "ten million")


def test_write_section_creates_and_updates_the_file(tmp_path):
    path = tmp_path / "RESULTS.md"
    results.write_section(path, "speed", "a")
    results.write_section(path, "speed", "b")
    written = path.read_text(encoding="utf-8")
    assert "<!-- begin speed -->\nb\n<!-- end speed -->" in written and "\na\n" not in written


def test_speed_section_prints_the_timings_ratios_all_quarters_and_sizes():
    details = {"cores": "2", "load average (1, 5, 15 min)": "1.00, 1.00, 1.00"}
    all_quarters = {1: timing("one", 80.0), 2: timing("two", 50.0)}
    section = results.speed_section(
        details,
        timing("(a) report", 10.0),
        timing("(b) naive", 35.0),
        timing("(c) floor", 6.0),
        ["resolution", "throughput"],
        all_quarters,
        {"throughput.html": 432_775, "index.html": 44_088},
        "2.00, 1.50, 1.00",
        timing("(d) edit", 3.0, 2.0, 4.0),
        timing("(e) no-op", 0.2),
        timing("(d0) floor", 2.5),
    )
    assert "| (a) report | 10.0 | 10.0 | 5.0 |" in section
    assert "**3.50×** (goal ≥ 4×: NOT met)" in section  # 35 / 10
    assert "**1.67** (goal ≤ 1.5: NOT met)" in section  # 10 / 6
    assert "| (d) edit | 3.00 | 3.00, 2.00, 4.00 | 1.50 |" in section
    assert "| (d0) floor | 2.50 | 2.50 | 1.25 |" in section and "(d0) ÷ (a): **0.25**" in section
    assert (
        "(d) ÷ (a): **0.30** (goal ≤ 1/3: met)" in section
        and "(e): **0.20 s** (goal < 0.3 s: met)" in section
    )
    assert "| 2 | 50.0 | 25.0 | 1.60× |" in section  # 80 / 50
    assert "| throughput.html | 432775 | 0.43 |" in section
    assert "each < 1 MB: met" in section
    assert "- cores: 2" in section and "load average after the run: 2.00, 1.50, 1.00" in section


def test_scale_rows_are_judged_against_the_nearest_size_in_the_issue():
    row = {"notebook": "throughput", "seconds": 61.0, "kernel_peak_bytes": 1e9, "papermill_peak_bytes": 2e8}
    one_million = results.ScaleRun(1_003_450, "cases.parquet", 23_000_000, "2023Q2", [row])
    ten_million = results.ScaleRun(10_041_770, "cases.parquet", 230_000_000, "2023Q2", [row])
    assert one_million.size_class == 1_000_000 and ten_million.size_class == 10_000_000
    # 61 s is over the 60 s of a million cases, well under the 600 s of ten million.
    assert "| throughput | 61.0 | 1.00 | 0.20 | NOT met |" in results.scale_table(one_million)
    assert "| throughput | 61.0 | 1.00 | 0.20 | met |" in results.scale_table(ten_million)


def test_record_scale_writes_its_own_section(tmp_path):
    row = {"notebook": "resolution", "seconds": 8.0, "kernel_peak_bytes": 9e8, "papermill_peak_bytes": 2e8}
    path = tmp_path / "RESULTS.md"
    results.record_scale(path, results.ScaleRun(1_003_450, "cases.parquet", 23_053_445, "2023Q2", [row]), {})
    written = path.read_text(encoding="utf-8")
    assert "<!-- begin scale-1000000-parquet -->" in written
    assert "## Scale: 1,003,450 cases (cases.parquet, 23 MB), quarter 2023Q2" in written
    assert "RUSAGE_CHILDREN" in written


def test_naive_loop_is_papermill_then_nbconvert_per_notebook_with_the_params_files(tmp_path):
    notebooks = [Path("notebooks/a.ipynb"), Path("notebooks/b.ipynb")]
    commands = bench.naive_loop(notebooks, "2023Q2", tmp_path)
    assert [Path(c[0]).name for c in commands] == ["papermill", "jupyter", "papermill", "jupyter"]
    first = commands[0]
    assert first[1:3] == ["notebooks/a.ipynb", str(tmp_path / "a.ipynb")]
    assert first[3:] == ["-f", str(bench.DEFAULT_PARAMS_FILE), "-f", str(bench.quarter_params_file("2023Q2"))]
    assert commands[1][1:] == ["nbconvert", "--to", "html", str(tmp_path / "a.ipynb")]


def test_floor_runs_cells_in_order_and_formats_each_last_expression():
    formatted = []

    class Formatter:
        def format(self, value):
            formatted.append(value)

    floor.run_cells(
        ["x = quarter + '!'", "y = len(x)\ny * 2", "None", "z = 1"], {"quarter": "2023Q2"}, Formatter()
    )
    assert formatted == [14]  # len("2023Q2!") * 2; None and assignments are not formatted


def test_floor_leaves_out_the_parameters_cell():
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("quarter = 'default'", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_markdown_cell("# prose"),
        nbformat.v4.new_code_cell("result = quarter"),
    ]
    assert floor.code_cells(nb) == ["result = quarter"]


def test_cold_builds_are_judged_against_the_same_goals():
    cold = {"report": timing("(a, cold)", 12.0), "edit": timing("(d, cold)", 5.0)}
    lines = "\n".join(results.cold_lines(cold, timing("(c) floor", 6.0)))
    assert "| (a, cold) | 12.00 | 12.00 | 6.00 |" in lines
    assert "(a, cold) ÷ (c): **2.00** (goal ≤ 1.5: NOT met)" in lines  # 12 / 6
    assert "(d, cold) ÷ (a, cold): **0.42** (goal ≤ 1/3: NOT met)" in lines  # 5 / 12
    assert results.cold_lines(None, timing("(c) floor", 6.0)) == []


def test_warm_server_time_is_read_from_proc_for_the_servers_only():
    # A process whose command line is a warm server's (python … -m jimo_eval.build.kernels …), and another.
    burn = (
        "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass\ntime.sleep(60)"
    )
    server = subprocess.Popen([sys.executable, "-c", burn, "-m", bench.WARM_SERVER])
    other = subprocess.Popen([sys.executable, "-c", burn])
    try:
        deadline = time.monotonic() + 30
        while bench.warm_server_seconds().get(server.pid, 0.0) < 0.2 and time.monotonic() < deadline:
            time.sleep(0.1)
        seconds = bench.warm_server_seconds()
        assert seconds.get(server.pid, 0.0) >= 0.2
        assert other.pid not in seconds
    finally:
        server.kill()
        other.kill()
        server.wait()
        other.wait()
