"""Why a published figure is empty or zero: its subgroup has no rows.

A share of hotline cases, a count of pocket parks or of correction orders is computed over the rows with
one code in one column. When no row has that code, the figure is null or zero, and the reader must be
told that this is what the data say — not a failure to read them — with the values that were there.
Each section lists such figures under ``empty_subgroups`` in metrics.json, and the report says them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import pandas as pd

from jimo_eval.core.i18n import STYLES, text
from jimo_eval.core.safe_text import Md, md, md_text

MAX_SEEN = 8


def empty_subgroup(frame: pd.DataFrame, column: str, value, figure: str, window: str) -> dict | None:
    """The record of ``figure`` (a metrics key) when no row of ``frame`` has ``value`` in ``column``:
    how many rows the window has and which values they hold (the most frequent first); else None."""
    if (frame[column] == value).fillna(False).any():
        return None
    counts = frame[column].astype("string").fillna("—").value_counts()
    counts = counts.sort_index(kind="stable").sort_values(ascending=False, kind="stable").head(MAX_SEEN)
    return {
        "figure": figure,
        "column": column,
        "value": str(value),
        "window": window,
        "rows": len(frame),
        "seen": {str(key): int(count) for key, count in counts.items()},
    }


def records(*candidates: dict | None) -> list[dict]:
    return [record for record in candidates if record is not None]


def with_empty_subgroups(metrics: dict, found: Iterable[dict]) -> dict:
    """``metrics`` with ``empty_subgroups`` added when there are any (a section with none is unchanged)."""
    found = list(found)
    return {**metrics, "empty_subgroups": found} if found else metrics


# The name of each figure that can be found empty, as the report labels it: by section, the record's
# ``figure`` → a literal key (a figure not listed is shown by its metrics name).
LABEL_KEYS = {
    "resolution": {"hotline_share_within_5wd_period": "res.label.hotline"},
    "greenspace": {
        "pocket_parks_built": "gs.metric.pocket_parks",
        "comprehensive_parks_built": "gs.metric.comprehensive_parks",
    },
    "projects": {"showcase": "pj.metric.showcase", "phase_one": "pj.metric.phase_one"},
    "enforcement": {
        "enterprises_visited": "enf.figure.enterprises_visited",
        "problems_corrected": "enf.figure.problems_corrected",
        "inquiry_notices": "enf.figure.inquiry_notices",
        "correction_orders": "enf.figure.correction_orders",
        "exempted_enterprises": "enf.figure.exempted_enterprises",
        "exempted_penalties_yuan": "enf.figure.exempted_penalties_yuan",
    },
    "supervision": {
        "channel_usage.member": "sup.mechanism.member",
        "channel_usage.monitoring_point": "sup.mechanism.monitoring_point",
        "channel_usage.project_site": "sup.mechanism.project_site",
        "channel_usage.window": "sup.mechanism.window",
    },
    "hall_duty": {
        "by_role.principal": "hd.role.principal",
        "by_role.in_charge": "hd.role.in_charge",
        "by_role.member": "hd.role.member",
    },
}
# Fields a label fills from its metrics section: the figure's own parameters as metrics.json records
# them (the working days of a time limit), so that no label types them.
LABEL_FIELDS = {"res.label.hotline": {"days": "hotline_working_days"}}
# The windows a record can be counted over.
WINDOWS_TEXT = {
    "period": "empty.window.period",
    "claims_window": "empty.window.claims_window",
    "built": "empty.window.built",
    "assessed": "empty.window.assessed",
    "projects": "empty.window.projects",
    "project_progress": "empty.window.project_progress",
    "showcase": "empty.window.showcase",
}


def sentence(
    section: str, record: Mapping, metrics_section: Mapping, lang: str, render: Callable[..., str] = text
) -> str:
    """One record of ``section`` as a sentence in ``lang``: plain text (``render=text``, for HTML that
    escapes it), or Markdown with every value from the data escaped (``render=safe_text.md_text``)."""
    separator = STYLES[lang].list_separator
    seen = separator.join(f"{value} ({count})" for value, count in record["seen"].items())
    return render(
        "empty.subgroup",
        lang,
        figure=_figure(section, record, metrics_section, lang),
        column=record["column"],
        value=record["value"],
        window=text(WINDOWS_TEXT[record["window"]], lang),
        rows=record["rows"],
        seen=seen or "—",
    )


def sentences_of(
    section: str, metrics_section: Mapping | None, lang: str, render: Callable[..., str] = text
) -> list[str]:
    return [
        sentence(section, record, metrics_section or {}, lang, render)
        for record in (metrics_section or {}).get("empty_subgroups", [])
    ]


def _figure(section: str, record: Mapping, metrics_section: Mapping, lang: str) -> str:
    """The figure's name in the report; a figure without a label is named as metrics.json names it."""
    key = LABEL_KEYS.get(section, {}).get(record["figure"])
    if key is None:
        return str(record["figure"])
    fields = {name: metrics_section.get(source) for name, source in LABEL_FIELDS.get(key, {}).items()}
    return text(key, lang, **fields)


def note(section: str, metrics_section: Mapping, lang: str) -> Md:
    """The section's empty-subgroup sentences as one Markdown paragraph (the values from the data
    escaped), or '' when there are none."""
    found = sentences_of(section, metrics_section, lang, md_text)
    return (
        md("**{title}** {found}", title=md_text("empty.title", lang), found=Md(" ").join(found))
        if found
        else Md("")
    )
