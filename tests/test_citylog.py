"""City-scale case logs (citylog.py): same contract as the reference log, at any scale, readable back."""

import pandas as pd
import pyarrow.parquet as pq
import pytest
import yaml

from jimo_eval.inputs import PERSONAL_COLUMNS, load
from jimo_eval.programmes.throughput import citylog, synthetic

CASES = 20_000


@pytest.fixture(scope="module")
def generated():
    return citylog.generate(CASES)


@pytest.mark.parametrize("fmt", citylog.FORMATS)
def test_written_log_passes_the_contract_with_its_params(generated, tmp_path, fmt):
    cases, staffing = generated
    paths = citylog.write(cases, staffing, tmp_path, fmt)
    params = yaml.safe_load(paths["params"].read_text(encoding="utf-8"))
    assert params["data"] == {"cases": str(paths["cases"]), "staffing": str(paths["staffing"])}
    # extracted_on is the last recorded day: the contract's "not after extracted_on" rule holds...
    loaded = load(paths["cases"], "cases", extracted_on=params["extracted_on"])
    assert len(loaded) == len(cases)
    # ...and it is tight: a day earlier, the latest records break it.
    day_before = (pd.Timestamp(params["extracted_on"]) - pd.Timedelta(days=1)).date().isoformat()
    with pytest.raises(ValueError, match="not after extracted_on"):
        load(paths["cases"], "cases", extracted_on=day_before)
    assert len(load(paths["staffing"], "staffing")) == len(staffing)


def test_log_has_about_the_cases_asked_for_and_no_personal_columns(generated):
    cases, _ = generated
    assert abs(len(cases) - CASES) < 0.03 * CASES  # Poisson intake: 3% is many standard deviations
    assert not set(PERSONAL_COLUMNS) & set(cases.columns)


def test_staffing_scales_with_the_log(generated):
    """Closings per inspector-month stay those of the reference log: FTE grew with the intake."""
    cases, staffing = generated
    reference_cases, reference_staffing = synthetic.generate_case_log(seed=citylog.SEED)

    def rate(cases, staffing):  # closings in 2022 ÷ inspector-months in 2022
        closed = cases["closed_at"].between("2022-01-01", "2022-12-31 23:59").sum()
        return closed / staffing[staffing["month"].str.startswith("2022")]["inspectors"].sum()

    assert rate(cases, staffing) == pytest.approx(rate(reference_cases, reference_staffing), rel=0.1)
    assert staffing["inspectors"].mean() > 3 * reference_staffing["inspectors"].mean()


def test_parquet_columns_are_typed_and_text_dictionary_encoded(generated, tmp_path):
    cases, staffing = generated
    path = citylog.write(cases, staffing, tmp_path, "parquet")["cases"]
    schema = pq.read_schema(path)
    assert str(schema.field("received_at").type) == "timestamp[ms]"
    assert str(schema.field("via_platform").type) == "bool"
    encodings = pq.ParquetFile(path).metadata.row_group(0).column(schema.get_field_index("source")).encodings
    assert any("DICTIONARY" in encoding for encoding in encodings)


def test_unknown_format_is_refused(generated, tmp_path):
    with pytest.raises(ValueError, match="format must be one of"):
        citylog.write(*generated, tmp_path, "xlsx")
