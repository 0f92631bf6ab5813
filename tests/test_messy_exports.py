"""The messy-exports corpus (tests/messy_exports.py, issue #13 item 7): every file an office might send
loads to the very frame the clean reference file gives (so every figure is the same), with the reader's
notes naming the file's own lines; a genuinely malformed file is refused naming the file, the line and
the cause; no refusal or note echoes a personal value. Then the same as properties, and a whole build
on messy files that gives the clean build's metrics.json."""

import json
import os
import shutil
import tempfile
from pathlib import Path

import messy_exports as M
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from jimo_eval.build.pipeline import build
from jimo_eval.inputs import ContractError, load
from jimo_eval.inputs.problems import FILE
from jimo_eval.params import DATA_KEYS, load_params, quarter_params_file

EXTRACTED_ON = load_params()["extracted_on"]
LOADED = [variant.file for variant in M.VARIANTS if not variant.refused]
REFUSED = [variant.file for variant in M.VARIANTS if variant.refused]
# The note that states each kind of record the generator wrote, and the kind.
NOTE_LINES = {
    "title_rows": "title",
    "blank_rows": "blank",
    "totals_rows": "totals",
    "footer_rows": "footer",
    "header_repeated": "repeat",
    "merged_down": "merged",
}
# PROPERTY_EXAMPLES=200 pytest tests/test_messy_exports.py for a longer hunt; the default stays fast.
EXAMPLES = int(os.environ.get("PROPERTY_EXAMPLES", "12"))
PROPERTY_ROWS = 150  # rows drawn from a long reference file, so that an example takes a fraction of a second


class Corpus:
    """The corpus folder: each variant written once, each clean reference frame loaded once."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._written: dict[str, M.Written] = {}
        self._clean: dict[str, pd.DataFrame] = {}
        self._personal: dict[str, set[str]] = {}

    def written(self, file: str) -> M.Written:
        if file not in self._written:
            self._written[file] = M.write(M.BY_FILE[file], self.folder)
        return self._written[file]

    def clean(self, name: str) -> pd.DataFrame:
        if name not in self._clean:
            self._clean[name] = load(M.clean_path(name), name, extracted_on=EXTRACTED_ON)
        return self._clean[name]

    def personal(self, name: str) -> set[str]:
        """The reference file's personal values and the footer's names: never to be echoed."""
        if name not in self._personal:
            self._personal[name] = M.personal_values(name) | set(M.FOOTER_NAMES)
        return self._personal[name]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return Corpus(tmp_path_factory.mktemp("messy_exports"))


def echoed(texts: list[str], personal: set[str]) -> list[str]:
    """The personal values that appear in any of ``texts``."""
    joined = "\n".join(texts)
    return sorted(value for value in personal if value in joined)


# ---- every messy file gives the clean frame ---------------------------------------------------------


@pytest.mark.parametrize("file", LOADED)
def test_a_messy_export_loads_to_the_clean_frame(corpus, file):
    item = corpus.written(file)
    name = item.variant.input
    frame = load(item.path, name, extracted_on=EXTRACTED_ON)
    assert_frame_equal(frame, corpus.clean(name))
    # The reader says what it did, naming the file's own lines (title and blank lines counted).
    notes = {note["key"]: note for note in frame.attrs["notes"]}
    assert set(notes) == item.variant.expected_notes()
    for key, kind in NOTE_LINES.items():
        if key in notes:
            assert notes[key]["lines"] == item.lines[kind], key
    if "two_row_header" in notes:
        assert notes["two_row_header"]["lines"] == [item.lines["upper"][0], item.lines["header"][0]]
    header_lines = [*item.lines.get("upper", []), *item.lines["header"]]
    assert frame.attrs["source"]["header_lines"] == header_lines
    texts = [note[lang] for note in frame.attrs["notes"] for lang in ("zh", "en")]
    assert not echoed(texts, corpus.personal(name))


def test_the_corpus_has_every_quirk_format_and_encoding():
    applied = {quirk for variant in M.VARIANTS if not variant.refused for quirk in variant.applied()}
    assert applied == set(M.QUIRKS)
    assert {variant.fmt for variant in M.VARIANTS} == set(M.FORMATS)
    encodings = {variant.encoding for variant in M.VARIANTS if variant.fmt in ("csv", "tsv", "txt")}
    assert {"utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-be"} <= encodings
    assert {variant.newline for variant in M.VARIANTS} == {"\n", "\r\n", "\r"}
    assert {variant.input for variant in M.VARIANTS} == set(M.NAMES)
    combined = [v for v in M.VARIANTS if not v.refused and len(v.applied()) >= 5]
    assert len(combined) >= 3 and set(M.COMBINED) == set(M.NAMES)


def test_the_generator_writes_the_corpus_with_a_readme(tmp_path):
    variants = [M.BY_FILE[file] for file in ("staffing__title.csv", "cases__empty.csv", "parks__et.et")]
    written = M.write_corpus(tmp_path, variants)
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert all(item.path.is_file() and item.variant.file in readme for item in written)
    assert "Real WPS `.et` files were not available" in readme
    assert "a title row above the header" in readme and "refused: the file: the file holds nothing" in readme


def test_the_generator_is_seeded(tmp_path):
    """A file is the same bytes every time, whatever was written before it (workbooks too: no time of
    writing inside), so its sha256 in a build's provenance is too."""
    first, again = tmp_path / "first", tmp_path / "again"
    first.mkdir()
    again.mkdir()
    files = ("parks__dates_mixed.csv", "staffing__plain.xlsx", "city__plain.ods", "duty_log__plain.xls")
    ones = [M.write(M.BY_FILE[file], first).path.read_bytes() for file in files]
    M.write(M.BY_FILE["parks__instructions.ods"], again)
    M.write(M.BY_FILE["feedback__chinese_labels.csv"], again)
    others = [M.write(M.BY_FILE[file], again).path.read_bytes() for file in reversed(files)]
    assert ones == others[::-1]


def test_a_cell_in_wan_yuan_is_the_decimal_shifted_amount():
    assert M.shifted("4741.47", 10_000) == "0.474147"
    assert M.shifted("260000000", 10_000) == "26000"
    assert M.shifted("93.20", 0.01) == "9320"
    assert M.shifted("0", 10_000) == "0"


# ---- malformed files are refused: file, the file's own line, cause -----------------------------------


@pytest.mark.parametrize("file", REFUSED)
def test_a_malformed_export_is_refused_naming_file_line_and_cause(corpus, file):
    item = corpus.written(file)
    refusal = item.refusal
    with pytest.raises(ContractError) as error:
        load(item.path, item.variant.input, extracted_on=EXTRACTED_ON)
    english, chinese = error.value.text("en"), error.value.text("zh")
    assert english.startswith(f"{item.path}") and chinese.startswith(f"{item.path}")
    assert f"breaks the {item.variant.input} contract" in english
    for fragment in refusal.says:
        assert fragment in english
    if refusal.lines:
        column = refusal.column or FILE
        problem = next(p for p in error.value.problems if p.column == column)
        assert problem.lines[: len(refusal.lines)] == list(refusal.lines)
        assert f"第 {refusal.lines[0]} 行" in chinese
    assert not echoed([english, chinese], corpus.personal(item.variant.input))


def test_the_quote_closed_full_width_used_to_swallow_25_rows(corpus):
    """The issue's headline bug: read as plain CSV (what the loader did before), the 25 lines after the
    opening quote are one field and their rows are silently gone; now the file is refused (above)."""
    item = corpus.written("cases__quote_closed_full_width.csv")
    plain = pd.read_csv(item.path, skiprows=1, dtype=str, keep_default_na=False)
    assert len(plain) == len(corpus.clean("cases")) - 25


def test_an_unknown_label_dropped_is_counted(corpus):
    item = corpus.written("cases__unknown_source.csv")
    with pytest.raises(ContractError) as error:
        load(item.path, "cases", extracted_on=EXTRACTED_ON)
    problem = next(p for p in error.value.problems if p.column == "source")
    assert problem.values == ["微博"] * 3
    assert "“微博”（3 行）" in error.value.text("zh")
    assert "footer_rows" in {note.key for note in error.value.notes}  # said, without the names in it
    kept = load(item.path, "cases", extracted_on=EXTRACTED_ON, on_invalid="drop")
    assert kept.attrs["rows_read"] == len(corpus.clean("cases"))
    assert [(e["column"], e["rows"]) for e in kept.attrs["excluded"]] == [("source", 3)]
    clean = corpus.clean("cases")
    expected = clean[~clean["case_id"].isin(problem.ids)].reset_index(drop=True)
    assert_frame_equal(kept, expected)
    texts = [note[lang] for note in kept.attrs["notes"] for lang in ("zh", "en")]
    assert texts and not echoed(texts, corpus.personal("cases"))


def test_utf16_without_a_byte_order_mark_reads_with_the_encoding_the_refusal_gives(corpus):
    item = corpus.written("cases__utf16_without_bom.csv")
    frame = load(item.path, "cases", encoding=item.variant.load_encoding, extracted_on=EXTRACTED_ON)
    assert_frame_equal(frame, corpus.clean("cases"))


def test_a_refusal_in_a_workbook_names_the_sheet_and_its_row(corpus):
    item = corpus.written("cases__bad_date.xlsx")
    with pytest.raises(ContractError) as error:
        load(item.path, "cases", extracted_on=EXTRACTED_ON)
    assert error.value.text("en").startswith(f"{item.path} (sheet '台账')")
    assert error.value.text("zh").startswith(f"{item.path}（工作表“台账”）")


# ---- properties: any reference file, re-encoded and re-formatted, gives the same frame ---------------


@st.composite
def exports(draw):
    name = draw(st.sampled_from(M.NAMES))
    total = len(M.reference_rows(name)[1])
    rows = sorted(draw(st.sets(st.integers(0, total - 1), min_size=min(total, 2), max_size=PROPERTY_ROWS)))
    fmt = draw(st.sampled_from(("csv", "xlsx", "xls")))
    encoding = draw(st.sampled_from(("utf-8", "utf-8-sig", "gb18030", "utf-16"))) if fmt == "csv" else "utf-8"
    quirks = [
        q
        for q in ("title", "blank_rows", "chinese_headers", "chinese_labels", "totals")
        if draw(st.booleans())
    ]
    return name, rows, fmt, encoding, quirks, draw(st.integers(0, 2**32 - 1))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(exports())
def test_any_reference_file_reencoded_and_reformatted_gives_the_same_frame(export):
    name, rows, fmt, encoding, quirks, seed = export
    variant = M.Variant(f"{name}.{fmt}", name, tuple(quirks), fmt=fmt, encoding=encoding,
                        delimiter="\t" if encoding == "utf-16" else ",")  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        clean = Path(folder) / f"{name}_clean.csv"
        M.write_csv(M.reference_sheet(name, rows), clean)
        messy = Path(folder) / f"{name}_messy{M.FORMATS[fmt][0]}"
        sheet = M.make_sheet(variant, M.random.Random(seed), rows)
        M.FORMATS[fmt][1](sheet, messy, variant)
        try:
            expected = load(clean, name, extracted_on=EXTRACTED_ON)
        except ContractError as error:  # a subset can break a rule across rows: then both must
            with pytest.raises(ContractError) as messy_error:
                load(messy, name, extracted_on=EXTRACTED_ON)
            assert [(p.column, p.rule) for p in messy_error.value.problems] == [
                (p.column, p.rule) for p in error.problems
            ]
            return
        assert_frame_equal(load(messy, name, extracted_on=EXTRACTED_ON), expected)


# ---- the whole build: messy exports give the clean build's metrics.json -------------------------------


def without_provenance(path: Path) -> dict:
    metrics = json.loads(path.read_text(encoding="utf-8"))
    metrics.pop("provenance")
    return metrics


def test_a_build_on_messy_exports_gives_the_clean_figures(tmp_path):
    """2023Q4 built twice: on copies of the clean reference files, and on every input replaced by a
    messy combined variant (M.COMBINED: a different mix of quirks, encodings and formats per input).
    metrics.json is the same but for the provenance (file paths and hashes)."""
    clean_folder, messy_folder = tmp_path / "clean", tmp_path / "messy"
    clean_folder.mkdir()
    messy_folder.mkdir()
    clean_paths, messy_paths = {}, {}
    for name in DATA_KEYS:
        clean_paths[name] = str(shutil.copy(M.clean_path(name), clean_folder / f"{name}.csv"))
        messy_paths[name] = str(M.write(M.COMBINED[name], messy_folder).path)
    metrics = {}
    for label, paths in (("clean", clean_paths), ("messy", messy_paths)):
        params = load_params(quarter_params_file("2023Q4"), overrides={"data": paths})
        build(params, tmp_path / label / "out")
        metrics[label] = without_provenance(tmp_path / label / "out" / "metrics.json")
    assert metrics["clean"]["reports"] and not metrics["clean"]["skipped"]
    assert metrics["messy"] == metrics["clean"]
