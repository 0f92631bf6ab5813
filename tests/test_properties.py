"""Property-based tests: loaders and metrics on random valid and invalid inputs.

A loader either returns rows that satisfy its contract or raises ContractError naming the file and a
column: never any other exception. Interval estimates keep their order and symmetries, the
Kaplan–Meier curve is a survival curve, and inspector-months equal an independent day-by-day sum.
"""

import calendar
import csv
import io
import math
import os
import tempfile
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from jimo_eval.core import stats, survival, workdays
from jimo_eval.inputs import INPUTS, PERSONAL_COLUMNS, ContractError, load
from jimo_eval.inputs.values import FALSE_WORDS, TRUE_WORDS
from jimo_eval.programmes.resolution import metrics as resolution
from jimo_eval.programmes.throughput import metrics as throughput

# PROPERTY_EXAMPLES=2000 pytest tests/test_properties.py for a longer hunt; the default stays fast.
SCALE = int(os.environ.get("PROPERTY_EXAMPLES", "60"))
SETTINGS = settings(max_examples=SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FAST = settings(max_examples=SCALE * 3, deadline=None)

CASE_COLUMNS = ("case_id", "received_at", "closed_at", "source", "via_platform", "inspector_id")
OPTIONAL_COLUMNS = ("dispatched_at", "workers", "amount_owed_yuan", "amount_recovered_yuan", "outcome")

# Text that a spreadsheet export can hold: any character except lone surrogates (not encodable).
any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
chinese = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF), min_size=1, max_size=6)

# Naive date-times here; values with UTC offsets (+08:00, Z) have their own tests below.
moments = st.datetimes(min_value=pd.Timestamp("2019-01-01"), max_value=pd.Timestamp("2025-12-31"))
date_cells = st.one_of(
    moments.map(lambda d: d.strftime("%Y-%m-%d %H:%M")),
    moments.map(lambda d: d.strftime("%Y-%m-%d")),
    moments.map(lambda d: d.isoformat()),
    st.sampled_from(["", " ", "2023-13-01", "2023-02-30 10:00", "yesterday", "0", "9999-12-31", "NaT"]),
    any_text,
)
id_cells = st.one_of(st.sampled_from(["C1", "C2", "C3", "", " ", "C1 "]), any_text)
boolean_cells = st.one_of(
    st.sampled_from(sorted(TRUE_WORDS | FALSE_WORDS) + ["TRUE", " yes ", "", "2"]),
    st.text(st.sampled_from("abcdefgyesnotrue是否 "), max_size=6),
)
number_cells = st.one_of(
    st.integers(-5, 10**6).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["", "abc", "1e3", "1,000"]),
)
extra_names = st.one_of(
    chinese, any_text, st.sampled_from([f" {c} " for c in CASE_COLUMNS] + ["complainant_name"])
)


def cell_strategy(column: str):
    if column in ("received_at", "closed_at", "dispatched_at"):
        return date_cells
    if column == "case_id":
        return id_cells
    if column == "via_platform":
        return boolean_cells
    if column in ("workers", "amount_owed_yuan", "amount_recovered_yuan"):
        return number_cells
    return st.one_of(st.sampled_from(["hotline_12345", "walk_in", "INS01"]), any_text, chinese)


@st.composite
def valid_case_row(draw, number: int) -> dict:
    received = draw(moments)
    closed = received + timedelta(minutes=draw(st.integers(0, 300000)))
    owed = draw(st.integers(0, 10**6))
    return {
        "case_id": f"C{number}",
        "received_at": f"{received:%Y-%m-%d %H:%M}",
        "closed_at": draw(st.sampled_from(["", f"{closed:%Y-%m-%d %H:%M}"])),
        "source": draw(st.sampled_from(["hotline_12345", "walk_in", "national_platform"])),
        "via_platform": draw(st.sampled_from(sorted(TRUE_WORDS | FALSE_WORDS))),
        "inspector_id": draw(st.sampled_from(["INS01", "INS02"])),
        "dispatched_at": "",
        "workers": str(draw(st.integers(1, 50))),
        "amount_owed_yuan": str(owed),
        "amount_recovered_yuan": str(draw(st.integers(0, owed))),
        "outcome": draw(st.sampled_from(["", "recovered", "mediated"])),
    }


@st.composite
def case_logs(draw):
    """A case-log CSV as text: the required columns (sometimes one missing), some optional ones and
    random extras; rows either fully random or valid with at most a few cells replaced at random."""
    columns = list(CASE_COLUMNS)
    if draw(st.booleans()):
        columns += draw(st.lists(st.sampled_from(OPTIONAL_COLUMNS), unique=True, max_size=3))
    columns += draw(st.lists(extra_names, max_size=3))
    if draw(st.integers(0, 9)) == 0:
        columns.remove(draw(st.sampled_from(CASE_COLUMNS)))
    columns = draw(st.permutations(columns))
    mostly_valid = draw(st.booleans())
    rows = []
    for number in range(draw(st.integers(0, 6))):
        row = {column: draw(cell_strategy(column.strip())) for column in columns}
        if mostly_valid:
            valid = draw(valid_case_row(number))
            row.update({column: valid[column] for column in columns if column in valid})
            if draw(st.integers(0, 4)) == 0:  # one bad cell
                column = draw(st.sampled_from(columns))
                row[column] = draw(cell_strategy(column.strip()))
        elif draw(st.booleans()) and "received_at" in row and "closed_at" in row:
            received = draw(moments)
            closed = received + timedelta(minutes=draw(st.integers(-3000, 300000)))
            row["received_at"], row["closed_at"] = f"{received:%Y-%m-%d %H:%M}", f"{closed:%Y-%m-%d %H:%M}"
        rows.append([row[column] for column in columns])
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    text = buffer.getvalue()
    if draw(st.integers(0, 19)) == 0:  # a broken export: cut anywhere, or raw garbage
        text = draw(st.one_of(st.just(text[: draw(st.integers(0, len(text)))]), any_text))
    return text


def write(folder: str, text: str, name: str) -> Path:
    path = Path(folder) / name
    path.write_text(text, encoding="utf-8")
    return path


def assert_clear_contract_error(error: ContractError, path: Path) -> None:
    message = error.text("en")
    assert message.startswith(f"{path}: ")
    assert "column '" in message or "the file" in message
    assert error.problems


@SETTINGS
@given(text=case_logs())
def test_load_cases_returns_valid_rows_or_a_contract_error(text):
    with tempfile.TemporaryDirectory() as folder:
        path = write(folder, text, "案件 cases.csv")
        try:
            cases = load(path, "cases")
        except ContractError as error:
            assert_clear_contract_error(error, path)
            return
    ids = cases["case_id"]
    assert ids.notna().all() and (ids.str.len() > 0).all() and ids.is_unique
    assert cases["received_at"].notna().all()
    both = cases["closed_at"].notna()
    assert (cases.loc[both, "closed_at"] >= cases.loc[both, "received_at"]).all()
    assert str(cases["via_platform"].dtype) == "boolean" and cases["via_platform"].notna().all()
    assert set(cases.columns) == {
        c.name for c in INPUTS.get("cases").data_columns
    }  # personal and unknown columns dropped


CASE_HEADER = ",".join(CASE_COLUMNS)


def test_mixed_utc_offsets_become_china_standard_time(tmp_path):
    # Found by the property tests: pandas stopped with "Mixed timezones detected" (a bare ValueError).
    path = write(
        str(tmp_path),
        f"{CASE_HEADER}\nC1,2023-01-05T09:00+08:00,,walk_in,true,I1\nC2,2023-01-05 09:00,,walk_in,true,I1\n"
        "C3,2023-01-05T01:00Z,,walk_in,true,I1\n",
        "cases.csv",
    )
    received = load(path, "cases")["received_at"]
    assert list(received) == [pd.Timestamp("2023-01-05 09:00")] * 3


def test_offset_closing_before_naive_receipt_is_refused(tmp_path):
    path = write(
        str(tmp_path),
        f"{CASE_HEADER}\nC1,2023-01-05 09:00,2023-01-03T09:00+08:00,walk_in,true,I1\n",
        "cases.csv",
    )
    with pytest.raises(ContractError):
        load(path, "cases")


month_cells = st.one_of(
    st.dates(date(2019, 1, 1), date(2025, 12, 31)).map(lambda d: f"{d:%Y-%m}"),
    st.sampled_from(["2023-13", "2023-1", "2023/01", "", "Jan 2023", "2023-01-15"]),
    any_text,
)


@st.composite
def staffing_files(draw):
    header = draw(st.sampled_from(["month,inspectors", "month, inspectors", "inspectors,month", "month,fte"]))
    names = [name.strip() for name in header.split(",")]
    rows = []
    for _ in range(draw(st.integers(0, 8))):
        cells = {"month": draw(month_cells), "inspectors": draw(number_cells), "fte": draw(number_cells)}
        rows.append([cells[name] for name in names])
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header.split(","))
    writer.writerows(rows)
    return buffer.getvalue()


@SETTINGS
@given(text=staffing_files())
def test_load_staffing_returns_valid_rows_or_a_contract_error(text):
    with tempfile.TemporaryDirectory() as folder:
        path = write(folder, text, "staffing.csv")
        try:
            staffing = load(path, "staffing")
        except ContractError as error:
            assert_clear_contract_error(error, path)
            return
    assert list(staffing.columns) == ["month", "inspectors"]
    assert staffing["month"].dtype == pd.PeriodDtype("M")
    assert staffing["month"].notna().all() and staffing["month"].is_unique
    assert staffing["month"].is_monotonic_increasing
    assert (staffing["inspectors"] > 0).all()


counts = st.integers(0, 400)
exposures = st.floats(0.01, 1000, allow_nan=False, allow_infinity=False)


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-12)


@FAST
@given(k1=counts, e1=exposures, k2=counts, e2=exposures)
def test_rate_ratio_interval_is_ordered_and_inverts_when_swapped(k1, e1, k2, e2):
    estimate = stats.rate_ratio_exact(k1, e1, k2, e2)
    swapped = stats.rate_ratio_exact(k2, e2, k1, e1)
    if k1 + k2 == 0:
        assert estimate == stats.Estimate(None, None, None) == swapped
        return
    assert 0 <= estimate.low <= estimate.high
    if estimate.value is not None:
        assert estimate.low <= estimate.value * (1 + 1e-9) and estimate.value <= estimate.high * (1 + 1e-9)
        assert close(estimate.value, (k1 / e1) / (k2 / e2))
    assert (estimate.value is None) == (k2 == 0)
    assert (estimate.low == 0) == (k1 == 0) and math.isinf(estimate.high) == (k2 == 0)
    for one, other in ((estimate, swapped), (swapped, estimate)):
        if 0 < one.high < math.inf:
            assert close(other.low, 1 / one.high)
        if 0 < one.low < math.inf:
            assert close(other.high, 1 / one.low)
        if one.low == 0:
            assert math.isinf(other.high)


@FAST
@given(data=st.data(), trials=st.integers(1, 10_000))
def test_wilson_interval_brackets_the_share_within_zero_one(data, trials):
    successes = data.draw(st.integers(0, trials))
    estimate = stats.wilson_interval(successes, trials)
    assert estimate.value == successes / trials
    # Within rounding: see test_wilson_interval_contains_the_share_exactly_at_the_boundaries.
    tolerance = 1e-12
    assert 0 <= estimate.low <= estimate.value + tolerance
    assert estimate.value <= estimate.high + tolerance and estimate.high <= 1


@pytest.mark.parametrize(("successes", "trials"), [(0, 3), (10, 10)])
def test_wilson_interval_contains_the_share_exactly_at_the_boundaries(successes, trials):
    estimate = stats.wilson_interval(successes, trials)
    assert estimate.low <= estimate.value <= estimate.high
    assert stats.claim_verdict(estimate.value, estimate) == stats.CONSISTENT


def test_wilson_interval_without_trials_has_no_estimate():
    assert stats.wilson_interval(0, 0) == stats.Estimate(None, None, None)


durations_lists = st.lists(
    st.one_of(st.integers(0, 30).map(float), st.floats(0, 1000, allow_nan=False, allow_infinity=False)),
    min_size=1,
    max_size=40,
)


@FAST
@given(data=st.data(), days=durations_lists)
def test_kaplan_meier_is_a_survival_curve_with_a_median_from_the_data(data, days):
    events = data.draw(st.lists(st.booleans(), min_size=len(days), max_size=len(days)))
    km = survival.kaplan_meier(days, events)
    assert km.n == len(days) and km.events == sum(events)
    assert np.all(np.diff(km.times) > 0)
    assert np.all((km.survival >= 0) & (km.survival <= 1))
    assert np.all(np.diff(km.survival) <= 1e-12)
    curve = km.curve()
    assert np.all(np.diff(curve["survival"]) <= 1e-12) and curve["survival"].iloc[0] <= 1
    observed = set(days)
    midpoints = {(a + b) / 2 for a in observed for b in observed}
    reaches_half = bool((km.survival < 0.5 + survival.HALF_TOLERANCE).any())
    if km.median is None:
        assert not reaches_half
    else:
        assert reaches_half
        assert km.median in observed or km.median in midpoints
        closed = [d for d, e in zip(days, events, strict=True) if e]
        assert min(closed) <= km.median <= max(days)
    if not any(events):
        assert km.median is None and np.all(km.survival == 1)
    low, high = km.median_ci
    if low is not None and high is not None:
        assert low <= high


def test_kaplan_meier_needs_a_case():
    with pytest.raises(ValueError, match="at least one case"):
        survival.kaplan_meier([], [])


# ---- one deadline rule (workdays.py) for every working-day figure ----
MINUTES_2023 = 365 * 24 * 60
# Closing times that hit the edges of days (midnight, 23:59) as well as any minute.
times_of_day = st.one_of(st.sampled_from([0, 1, 9 * 60, 23 * 60 + 59]), st.integers(0, 24 * 60 - 1))


@st.composite
def cohorts(draw):
    """Cases received at any minute of 2023 (its holidays and worked weekend days included), each
    closed 0–120 days later at some time of day (not before receipt), or never."""
    received, closed = [], []
    for _ in range(draw(st.integers(1, 25))):
        start = pd.Timestamp("2023-01-01") + pd.Timedelta(minutes=draw(st.integers(0, MINUTES_2023 - 1)))
        end = None
        if draw(st.booleans()) or draw(st.booleans()):
            end = start.normalize() + pd.Timedelta(days=draw(st.integers(0, 120)), minutes=draw(times_of_day))
            end = max(end, start)
        received.append(start)
        closed.append(end)
    return pd.Series(pd.to_datetime(received)), pd.Series(pd.to_datetime(closed))


@SETTINGS
@given(cohort=cohorts(), n=st.integers(0, 70), as_of_day=st.integers(0, 500))
def test_durations_followed_and_overdue_all_follow_the_deadline_rule(cohort, n, as_of_day):
    received, closed = cohort
    due = workdays.deadline(received, n)
    within = workdays.within_working_days(received, closed, n)
    taken = workdays.working_days_taken(received, closed)
    is_closed = closed.notna()
    assert ((taken <= n) == within)[is_closed].all()
    assert (within[is_closed] == (closed <= due)[is_closed]).all()
    as_of = pd.Timestamp("2023-01-01") + pd.Timedelta(days=as_of_day)
    end = as_of + pd.Timedelta(days=1)
    received_by_then = received < end
    followed = workdays.working_days_followed(received, as_of)
    assert ((followed >= n) == (due < end))[received_by_then].all()
    still_open = closed.isna() | (closed >= end)
    overdue = workdays.overdue(received, closed, as_of, n)
    assert (overdue == (still_open & (due < end))).all()
    assert (overdue == (still_open & received_by_then & (followed >= n))).all()


@SETTINGS
@given(cohort=cohorts(), n=st.sampled_from([0, 1, 2, 5, 10, 30, 60]), extra_days=st.integers(0, 10))
def test_km_share_is_the_plain_share_on_time_when_every_case_is_followed_past_its_deadline(
    cohort, n, extra_days
):
    received, closed = cohort
    as_of = workdays.deadline(received, n).max().normalize() + pd.Timedelta(days=extra_days)
    end = as_of + pd.Timedelta(days=1)
    frame = pd.DataFrame({"received_at": received, "closed_at": closed})
    share = resolution.share_within_working_days(frame, as_of.date().isoformat(), n)
    known_closed = closed.where(closed < end)
    plain = workdays.within_working_days(received, known_closed, n).fillna(False).mean()
    assert share is not None
    assert share == pytest.approx(plain, abs=1e-12)


@st.composite
def windows(draw):
    start = draw(st.dates(date(2019, 1, 1), date(2025, 12, 31)))
    end = start + timedelta(days=draw(st.integers(0, 500)))
    return pd.Timestamp(start), pd.Timestamp(end)


def staffing_for(start: pd.Timestamp, end: pd.Timestamp, fte: list[float]) -> pd.DataFrame:
    months = pd.period_range(start, end, freq="M")
    return pd.DataFrame({"month": months, "inspectors": [fte[i % len(fte)] for i in range(len(months))]})


def day_by_day(staffing: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> float:
    """Independent: every day of the window contributes its month's FTE ÷ the days in that month."""
    fte = {
        (p.year, p.month): value for p, value in zip(staffing["month"], staffing["inspectors"], strict=True)
    }
    total, day = 0.0, start.date()
    while day <= end.date():
        total += fte[(day.year, day.month)] / calendar.monthrange(day.year, day.month)[1]
        day += timedelta(days=1)
    return total


fte_lists = st.lists(st.floats(0.5, 40, allow_nan=False), min_size=1, max_size=5)


@FAST
@given(window=windows(), fte=fte_lists, margin=st.integers(0, 3))
def test_inspector_months_is_the_day_weighted_fte_sum(window, fte, margin):
    start, end = window
    # Staffing may cover more months than the window; the extra months must not count.
    covered_from = (start.to_period("M") - margin).start_time
    staffing = staffing_for(covered_from, end + pd.DateOffset(months=margin), fte)
    result = throughput.inspector_months(staffing, throughput.Window(start, end))
    assert math.isclose(result, day_by_day(staffing, start, end), rel_tol=1e-9)


@FAST
@given(window=windows(), fte=fte_lists, data=st.data())
def test_inspector_months_refuses_a_staffing_gap(window, fte, data):
    start, end = window
    staffing = staffing_for(start, end, fte)
    gap = data.draw(st.integers(0, len(staffing) - 1))
    assume(len(staffing) >= 1)
    holed = staffing.drop(index=gap).reset_index(drop=True)
    with pytest.raises(throughput.StaffingGapError, match=str(staffing["month"].iloc[gap])):
        throughput.inspector_months(holed, throughput.Window(start, end))


# ---- every other input contract: the same promise, from one generic strategy ----
OTHER_INPUTS = {
    f"{name}.csv": INPUTS.get(name)
    for name in INPUTS.names()
    if name not in ("cases", "staffing")  # their own strategies above
}
# Values that pass the category and range rules, so that many generated rows get past them to the others.
PLAUSIBLE = {
    "lon": st.floats(120.2, 120.7).map(str),
    "lat": st.floats(36.2, 36.6).map(str),
    "year": st.integers(2019, 2023).map(str),
}


def labels_of(column) -> st.SearchStrategy:
    """Any code of a category column, or any label an office writes for one."""
    return st.sampled_from([word for code, labels in column.values.items() for word in (code, *labels)])


recorded_dates = st.dates(date(2019, 1, 1), date(2023, 12, 31))
VALID_KIND_CELLS = {
    "date": recorded_dates.map(str),
    "datetime": moments.filter(lambda d: d.year < 2024).map(lambda d: d.strftime("%Y-%m-%d %H:%M")),
    "month": recorded_dates.map(lambda d: f"{d:%Y-%m}"),
    "number": st.integers(1, 10**6).map(str),
    "boolean": st.sampled_from(["true", "false", "是", "否"]),
}
ANY_KIND_CELLS = {
    "date": date_cells,
    "datetime": date_cells,
    "month": month_cells,
    "number": number_cells,
    "boolean": boolean_cells,
}


def contract_cell(spec, name: str, valid: bool):
    """A cell for column ``name``: one that passes its own column's rules, or anything of its kind."""
    column = next((c for c in spec.data_columns if c.name == name.strip()), None)
    kind = column.kind if column else "text"
    plausible = PLAUSIBLE.get(name.strip(), st.sampled_from(["A1", "A2", "潮海街道", "x"]))
    if kind == "category":
        plausible = labels_of(column)
    if valid:
        return (
            plausible
            if name.strip() in PLAUSIBLE or kind == "category"
            else VALID_KIND_CELLS.get(kind, plausible)
        )
    return ANY_KIND_CELLS.get(kind, st.one_of(plausible, any_text, chinese))


@st.composite
def contract_files(draw):
    """Any contract's file as CSV text, built like ``case_logs``: required columns (sometimes one
    missing), some optional ones, personal and random extras; rows fully random, or valid cell by cell
    (distinct ids) with at most one random cell; now and then a cut or garbage export."""
    name = draw(st.sampled_from(sorted(OTHER_INPUTS)))
    contract = OTHER_INPUTS[name]
    columns = list(contract.required)
    optional = [c.name for c in contract.data_columns if c.name not in contract.required]
    columns += draw(st.lists(st.sampled_from(optional), unique=True, max_size=3)) if optional else []
    extras = st.one_of(extra_names, st.sampled_from(list(PERSONAL_COLUMNS)))
    columns += draw(st.lists(extras, max_size=2))
    if draw(st.integers(0, 9)) == 0:
        columns.remove(draw(st.sampled_from(contract.required)))
    columns = draw(st.permutations(columns))
    mostly_valid = draw(st.booleans())
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for number in range(draw(st.integers(0, 6))):
        row = {column: draw(contract_cell(contract, column, mostly_valid)) for column in columns}
        if mostly_valid:
            row[contract.id_column] = f"ID{number}"
            if draw(st.integers(0, 4)) == 0:
                column = draw(st.sampled_from(columns))
                row[column] = draw(contract_cell(contract, column, valid=False))
        writer.writerow([row[column] for column in columns])
    text = buffer.getvalue()
    if draw(st.integers(0, 19)) == 0:
        text = draw(st.one_of(st.just(text[: draw(st.integers(0, len(text)))]), any_text))
    return name, text, draw(st.sampled_from(["fail", "drop"]))


@settings(max_examples=SCALE * 4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(generated=contract_files())
def test_every_loader_returns_its_contract_columns_or_a_contract_error(generated):
    name, text, on_invalid = generated
    contract = OTHER_INPUTS[name]
    with tempfile.TemporaryDirectory() as folder:
        path = write(folder, text, name)
        try:
            frame = load(path, contract, on_invalid=on_invalid, extracted_on="2024-01-05")
        except ContractError as error:
            assert_clear_contract_error(error, path)
            event(f"{name}: refused")
            return
    event(f"{name}: loaded {'some' if len(frame) else 'no'} rows")
    assert set(frame.columns) <= {c.name for c in contract.data_columns}  # personal, unknown dropped
    assert not set(PERSONAL_COLUMNS) & set(frame.columns)
    assert frame[contract.id_column].notna().all()
