"""The last cell shows what was published (#19 item 4): the metrics output carries, beside the metrics the
build reads, the programme's scorecard rows as a table, in JupyterLab as in the report."""

import html
import json

from jimo_eval.core.strings import STRINGS
from jimo_eval.notebook import METRICS_MIME, published_output
from jimo_eval.programmes import PROGRAMMES


def test_the_metrics_output_shows_the_scorecard_rows_of_its_programme(reference_build):
    metrics = json.loads((reference_build["out"] / "metrics.json").read_text(encoding="utf-8"))
    for lang in ("zh", "en"):
        output = published_output("resolution", metrics["resolution"], lang)
        assert output[METRICS_MIME] == {"resolution": metrics["resolution"]}
        shown = html.unescape(output["text/html"])
        assert STRINGS.template("label.published_figures", lang) in shown
        for row in PROGRAMMES.get("resolution").scorecard_rows(metrics["resolution"], lang):
            assert row.metric in shown
            assert row.value in shown if row.value != "—" else (row.figure.marker or "[x]") in shown
    assert set(published_output("resolution", metrics["resolution"], None)) == {METRICS_MIME}


def test_every_report_ends_with_the_figures_it_published(reference_build):
    out = reference_build["out"]
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    title = STRINGS.template("label.published_figures", metrics["lang"])
    for name, file in metrics["reports"].items():
        page = (out / file).read_text(encoding="utf-8")
        assert title in page, name
        for figure in [f for f in metrics["figures"] if f["programme"] == name and f["shown"] != "—"]:
            assert html.escape(figure["shown"], quote=False) in page, (name, figure["key"])
