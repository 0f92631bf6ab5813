"""Text cells → typed values (jimo_eval.inputs.values): every accepted form read exactly, every doubtful
form refused (missing), and the likely cause of a refusal named in Chinese and English."""

import unicodedata

import numpy as np
import pandas as pd
import pytest

from jimo_eval.inputs import values

T = pd.Timestamp
P = pd.Period


def cells(*texts, index=None) -> pd.Series:
    """Cells as the reader hands them over: object dtype, str or None."""
    return pd.Series(list(texts), dtype=object, index=index)


def one(parser, text):
    return parser(cells(text)).iloc[0]


# --- datetime ----------------------------------------------------------------------------------------

DATETIMES = [
    ("2023-03-05 14:02", T("2023-03-05 14:02")),
    ("2023-03-05 14:02:07", T("2023-03-05 14:02:07")),
    ("2023-03-05 14:02:07.25", T("2023-03-05 14:02:07.250")),
    ("2023-03-05 14:02:07.123456", T("2023-03-05 14:02:07.123456")),
    ("2023-03-05T14:02:07", T("2023-03-05 14:02:07")),
    ("2023-03-05", T("2023-03-05")),
    ("2023-3-5 9:05", T("2023-03-05 09:05")),
    ("2023-3-5", T("2023-03-05")),
    ("2023/3/5 14:02", T("2023-03-05 14:02")),
    ("2023/03/05 14:02:00", T("2023-03-05 14:02")),
    ("2023/3/5", T("2023-03-05")),
    ("2023.3.5", T("2023-03-05")),
    ("2023.03.05 14:02", T("2023-03-05 14:02")),
    ("2023年3月5日", T("2023-03-05")),
    ("2023年3月5日 14:02", T("2023-03-05 14:02")),
    ("2023年3月5日14时02分", T("2023-03-05 14:02")),
    ("2023年03月05日 14时02分05秒", T("2023-03-05 14:02:05")),
    ("2023年3月5日 9时5分", T("2023-03-05 09:05")),
    ("2023年3月5日 14点02分", T("2023-03-05 14:02")),
    ("20230305", T("2023-03-05")),
    ("20230305 14:02", T("2023-03-05 14:02")),
    ("44990", T("2023-03-05")),
    ("44990.5", T("2023-03-05 12:00")),
    ("44990.584722222", T("2023-03-05 14:02")),  # Excel's binary fraction of 14:02, to the second
    ("25569", T("1970-01-01")),
    ("73050.5", T("2099-12-31 12:00")),
    ("2023-03-05T06:02:00Z", T("2023-03-05 14:02")),
    ("2023-03-05T06:02:00z", T("2023-03-05 14:02")),
    ("2023-03-05T14:02:00+08:00", T("2023-03-05 14:02")),
    ("2023-03-05T14:02:00+0800", T("2023-03-05 14:02")),
    ("2023-03-05 14:02 +08:00", T("2023-03-05 14:02")),
    ("2023-03-05T20:00:00-05:00", T("2023-03-06 09:00")),
    ("2023-03-05T06:02:00.5Z", T("2023-03-05 14:02:00.5")),
    ("２０２３－０３－０５", T("2023-03-05")),
    ("２０２３－０３－０５　１４：０２", T("2023-03-05 14:02")),
    ("２０２３年３月５日", T("2023-03-05")),
    ("2023-03-05  14:02", T("2023-03-05 14:02")),  # two spaces
    ("2024-02-29", T("2024-02-29")),
]

NOT_DATETIMES = [
    "2023-03",  # a month
    "2023-3",
    "202303",
    "2023",  # a year
    "2023年3月",
    "2023-02-30",  # no such day
    "2023-13-01",
    "2023-03-05 24:00",
    "2023-03-05 14:60",
    "20231345",
    "05/03/2023",  # day/month order
    "3/5/2023",
    "23-3-5",  # two-digit year
    "2023/3.5",  # mixed separators
    "2023-03-05 14",  # hour only
    "2023-03-05 1402",
    "2023-03-05T14:02:00+08:00 CST",
    "12345",  # serial before 1970
    "73051",  # serial after 2099
    "25568.9",  # 1969-12-31 21:36
    "1",
    "-44990",
    "123456789",
    "2023-03-05 下午2:02",
    "2023年3月5日14时",
    "-",
    "#N/A",
    "无",
    "abc",
    "",
]


@pytest.mark.parametrize(("text", "expected"), DATETIMES)
def test_datetime_forms_are_read_exactly(text, expected):
    assert one(values.parse_datetime, text) == expected


@pytest.mark.parametrize("text", NOT_DATETIMES)
def test_doubtful_datetimes_are_refused(text):
    assert pd.isna(one(values.parse_datetime, text))


def test_datetime_dtype_index_and_empty_cells():
    raw = cells("2023-03-05 14:02", None, "2023年3月5日", "x", index=["a", "b", "c", "d"])
    parsed = values.parse_datetime(raw)
    assert parsed.dtype == "datetime64[us]"
    assert list(parsed.index) == ["a", "b", "c", "d"]
    assert parsed.isna().tolist() == [False, True, False, True]
    assert (raw.notna() & parsed.isna()).tolist() == [False, False, False, True]


def test_mixed_datetime_column():
    """ISO, Chinese, serial, compact, offset and naive cells in one column, on a duplicated index."""
    raw = cells(
        "2023-03-05 14:02",
        "2023年3月6日 8时30分",
        "44992.25",
        "20230308",
        "2023-03-09T01:00:00Z",
        "2023/3/10 10:00",
        None,
        "2023-02-30",
        index=[7, 7, 3, 3, 1, 1, 0, 0],
    )
    expected = [
        T("2023-03-05 14:02"),
        T("2023-03-06 08:30"),
        T("2023-03-07 06:00"),
        T("2023-03-08"),
        T("2023-03-09 09:00"),
        T("2023-03-10 10:00"),
        pd.NaT,
        pd.NaT,
    ]
    parsed = values.parse_datetime(raw)
    assert parsed.tolist() == expected
    assert list(parsed.index) == [7, 7, 3, 3, 1, 1, 0, 0]


def test_offset_and_naive_cells_mix_without_error():
    parsed = values.parse_datetime(
        cells("2023-03-05 08:00", "2023-03-05T00:30:00Z", "2023-03-05T09:00:00+09:00")
    )
    assert parsed.tolist() == [T("2023-03-05 08:00"), T("2023-03-05 08:30"), T("2023-03-05 08:00")]
    assert parsed.dtype == "datetime64[us]"


def test_all_offsets_and_all_empty():
    assert values.parse_datetime(cells("2023-03-05T06:02:00Z")).tolist() == [T("2023-03-05 14:02")]
    empty = values.parse_datetime(cells(None, None))
    assert empty.dtype == "datetime64[us]" and empty.isna().all()
    assert values.parse_datetime(cells()).dtype == "datetime64[us]"


@pytest.mark.parametrize("dtype", ["string", "str", object])
def test_string_dtypes_are_read_alike(dtype):
    raw = pd.Series(["2023-03-05", None, "2023年3月5日"], dtype=dtype, index=[5, 6, 7], name="received_at")
    parsed = values.parse_datetime(raw)
    assert parsed.tolist() == [T("2023-03-05"), pd.NaT, T("2023-03-05")]
    assert list(parsed.index) == [5, 6, 7]
    assert parsed.name == "received_at"


# --- date --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), DATETIMES)
def test_date_forms_drop_the_time_of_day(text, expected):
    assert one(values.parse_date, text) == expected.floor("D")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-03-05 00:00:00", T("2023-03-05")),  # a spreadsheet's date cell
        ("2023-03-05 23:59:59", T("2023-03-05")),
        ("44990.99", T("2023-03-05")),
        ("2023-03-05T20:00:00Z", T("2023-03-06")),  # China's date, not UTC's
    ],
)
def test_date_is_the_china_day(text, expected):
    assert one(values.parse_date, text) == expected


@pytest.mark.parametrize("text", NOT_DATETIMES)
def test_doubtful_dates_are_refused(text):
    assert pd.isna(one(values.parse_date, text))


def test_date_dtype():
    parsed = values.parse_date(cells("2023-03-05 14:02", None, index=[10, 20]))
    assert parsed.dtype == "datetime64[us]"
    assert parsed.tolist() == [T("2023-03-05"), pd.NaT]
    assert list(parsed.index) == [10, 20]


# --- month -------------------------------------------------------------------------------------------

MONTHS = [
    ("2023-03", P("2023-03", "M")),
    ("2023-3", P("2023-03", "M")),
    ("2023-12", P("2023-12", "M")),
    ("2023/03", P("2023-03", "M")),
    ("2023/3", P("2023-03", "M")),
    ("2023.3", P("2023-03", "M")),
    ("2023.10", P("2023-10", "M")),
    ("2023.01", P("2023-01", "M")),
    ("2023年3月", P("2023-03", "M")),
    ("2023年12月", P("2023-12", "M")),
    ("202303", P("2023-03", "M")),
    ("2023-03-01", P("2023-03", "M")),
    ("2023-03-01 00:00:00", P("2023-03", "M")),
    ("2023年3月1日", P("2023-03", "M")),
    ("2023/3/1", P("2023-03", "M")),
    ("20230301", P("2023-03", "M")),
    ("44986", P("2023-03", "M")),  # the serial of 2023-03-01
    ("２０２３年３月", P("2023-03", "M")),
    ("２０２３－０３", P("2023-03", "M")),
]
NOT_MONTHS = [
    "2023-03-05",  # another day than the 1st
    "2023年3月5日",
    "44990",
    "2023-03-01 14:00",  # a time of day
    "2023.1",  # January, or 2023.10 that Excel stored as a number
    "2023-13",
    "2023-0",
    "202313",
    "2023",
    "23-3",
    "2023-03-",
    "2023/3.1",
    "March 2023",
    "-",
    "#REF!",
]


@pytest.mark.parametrize(("text", "expected"), MONTHS)
def test_month_forms_are_read_exactly(text, expected):
    assert one(values.parse_month, text) == expected


@pytest.mark.parametrize("text", NOT_MONTHS)
def test_doubtful_months_are_refused(text):
    assert pd.isna(one(values.parse_month, text))


def test_month_dtype_index_and_mixed_column():
    raw = cells(
        "2023-01", "2023年2月", "2023-03-01", "202304", "45047", None, "2023-06-15", index=list("abcdefg")
    )
    parsed = values.parse_month(raw)
    assert parsed.dtype == "period[M]"
    assert list(parsed.index) == list("abcdefg")
    expected = [P(f"2023-0{m}", "M") for m in range(1, 6)] + [pd.NaT, pd.NaT]
    assert parsed.tolist() == expected


# --- number ------------------------------------------------------------------------------------------

NUMBERS = [
    ("1234.5", 1234.5),
    ("-3", -3.0),
    ("+3", 3.0),
    (".5", 0.5),
    ("5.", 5.0),
    ("0", 0.0),
    ("007", 7.0),
    ("1,234.50", 1234.5),
    ("2,760,000", 2760000.0),
    ("-1,234", -1234.0),
    ("¥2,760,000", 2760000.0),
    ("￥2,760,000", 2760000.0),
    ("¥ 100", 100.0),
    ("-¥5", -5.0),
    ("¥-5", -5.0),
    ("RMB 100", 100.0),
    ("RMB100", 100.0),
    ("rmb 100", 100.0),
    ("CNY 100", 100.0),
    ("人民币100元", 100.0),
    ("2,760,000元", 2760000.0),
    ("100 元", 100.0),
    ("276万元", 2760000.0),
    ("276万", 2760000.0),
    ("3亿元", 300000000.0),
    ("3亿", 300000000.0),
    ("1.5万元", 15000.0),
    ("1.15万", 11500.0),  # exact, not 11499.999999999998
    ("0.1亿", 10000000.0),
    ("-2.5万", -25000.0),
    ("¥1,234万元", 12340000.0),
    ("１，２３４．５０", 1234.5),
    ("１２３", 123.0),
    ("－３", -3.0),
    ("1.2E+06", 1200000.0),
    ("1.2e6", 1200000.0),
    ("2.5E-3", 0.0025),
    ("１．２Ｅ＋０６", 1200000.0),
]
NOT_NUMBERS = [
    "1,23",  # grouping not in threes
    "12,34,567",
    "1234,567",
    ",123",
    "2 760 000",  # spaces: maybe two numbers
    "100 200",
    "2\u2009760\u2009000",
    "12%",
    "12.5％",
    "1.234,50",  # decimal comma
    "0,5",
    "(1,234)",  # accounting negative
    "（1,234）",
    "约3万",
    "3万左右",
    "共5人",
    "100元整",
    "$100",
    "3-5",
    "1.2E+06万",
    "3万亿",
    "万元",
    "元",
    "--5",
    "-¥-5",
    "1..2",
    "1.2.3",
    "-",
    "—",
    "/",
    "无",
    "N/A",
    "#N/A",
    "#DIV/0!",
    "NULL",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "1e400",
    "0x10",
    "1_000",
    "",
]


@pytest.mark.parametrize(("text", "expected"), NUMBERS)
def test_number_forms_are_read_exactly(text, expected):
    assert one(values.parse_number, text) == expected


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_doubtful_numbers_are_refused(text):
    assert np.isnan(one(values.parse_number, text))


def test_number_dtype_index_and_mixed_column():
    raw = cells("12", "1,200", "¥3万", None, "约5", "１２", index=[9, 8, 7, 6, 5, 4])
    parsed = values.parse_number(raw)
    assert parsed.dtype == "float64"
    assert list(parsed.index) == [9, 8, 7, 6, 5, 4]
    assert parsed.tolist()[:3] == [12.0, 1200.0, 30000.0]
    assert np.isnan(parsed.tolist()[3]) and np.isnan(parsed.tolist()[4])
    assert parsed.tolist()[5] == 12.0


def test_all_empty_numbers():
    parsed = values.parse_number(cells(None, None))
    assert parsed.dtype == "float64" and parsed.isna().all()


# --- boolean -----------------------------------------------------------------------------------------

TRUE_CELLS = [
    "true",
    "True",
    "TRUE",
    "t",
    "T",
    "yes",
    "Yes",
    "y",
    "Y",
    "1",
    "1.0",
    "是",
    "有",
    "√",
    "✓",
    "✔",
    "对",
]
FALSE_CELLS = ["false", "FALSE", "f", "F", "no", "No", "n", "N", "0", "0.0", "否", "无", "×", "✗", "✘", "错"]
FULL_WIDTH_CELLS = [("Ｙ", True), ("１", True), ("ＴＲＵＥ", True), ("Ｎ", False), ("０", False)]
NOT_BOOLEANS = ["maybe", "2", "1.00", "-1", "y es", "是的", "x", "X", "-", "N/A", "#N/A", ""]


@pytest.mark.parametrize("text", TRUE_CELLS)
def test_true_words(text):
    assert values.parse_boolean(cells(text)).tolist() == [True]


@pytest.mark.parametrize("text", FALSE_CELLS)
def test_false_words(text):
    assert values.parse_boolean(cells(text)).tolist() == [False]


@pytest.mark.parametrize(("text", "expected"), FULL_WIDTH_CELLS)
def test_full_width_booleans(text, expected):
    assert values.parse_boolean(cells(text)).tolist() == [expected]


@pytest.mark.parametrize("text", NOT_BOOLEANS)
def test_other_words_are_not_booleans(text):
    assert one(values.parse_boolean, text) is pd.NA


def test_boolean_dtype_and_index():
    parsed = values.parse_boolean(cells("是", None, "否", "maybe", index=[3, 1, 2, 0]))
    assert parsed.dtype == "boolean"
    assert list(parsed.index) == [3, 1, 2, 0]
    assert parsed.tolist() == [True, pd.NA, False, pd.NA]


def test_word_sets_are_normalised_and_disjoint():
    for word in values.TRUE_WORDS | values.FALSE_WORDS | values.PLACEHOLDERS | values.EXCEL_ERRORS:
        assert word == unicodedata.normalize("NFKC", word).strip().casefold()
    assert not values.TRUE_WORDS & values.FALSE_WORDS
    assert isinstance(values.TRUE_WORDS, frozenset) and isinstance(values.PLACEHOLDERS, frozenset)


# --- labels and dispatch -----------------------------------------------------------------------------


def header_key(text: str) -> str:
    """How the engine keys a spec's own labels; normalise_label must key cells the same way."""
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ＡＢＣ", "abc"),
        (" 市 民 热 线 ", "市民热线"),
        ("City\u3000Hotline", "cityhotline"),
        ("a\u00a0b\u2009c\u202fd", "abcd"),
        ("（一）", "(一)"),
        ("Straße", "strasse"),
        ("12345", "12345"),
    ],
)
def test_normalise_label(text, expected):
    assert one(values.normalise_label, text) == expected == header_key(text)


def test_normalise_label_keeps_none_and_index():
    labels = values.normalise_label(cells("Ａ", None, "b b", index=[4, 5, 6]))
    assert labels.dtype == object
    assert labels.tolist() == ["a", None, "bb"]
    assert list(labels.index) == [4, 5, 6]


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        ("datetime", "2023-03-05 14:02", T("2023-03-05 14:02")),
        ("date", "2023-03-05 14:02", T("2023-03-05")),
        ("month", "2023-03", P("2023-03", "M")),
        ("number", "1,234", 1234.0),
        ("boolean", "是", True),
    ],
)
def test_parse_dispatches_by_kind(kind, text, expected):
    assert values.parse(kind, cells(text)).iloc[0] == expected


def test_unknown_kind_names_the_kinds():
    with pytest.raises(ValueError, match="datetime, date, month, number, boolean"):
        values.parse("integer", cells("1"))
    with pytest.raises(ValueError, match="datetime"):
        values.likely_cause("integer", "1", "en")
    with pytest.raises(ValueError, match="zh"):
        values.likely_cause("number", "1", "fr")


# --- likely causes -----------------------------------------------------------------------------------

CAUSES = [
    # kind, cell, words the Chinese cause holds, words the English cause holds
    ("datetime", "2023-02-30", ["2023 年 2 月没有 30 日"], ["no 30 February 2023"]),
    ("date", "２０２３－０２－３０", ["2 月没有 30 日"], ["no 30 February 2023"]),
    ("date", "2023年2月29日", ["2023 年 2 月没有 29 日"], ["no 29 February 2023"]),
    ("datetime", "2023-13-01", ["没有 13 月"], ["no month 13"]),
    ("datetime", "2023-03-05 25:00", ["25:00"], ["no time of day 25:00"]),
    (
        "datetime",
        "05/03/2023",
        ["2023 年 3 月 5 日", "2023 年 5 月 3 日", "YYYY-MM-DD"],
        ["5 March 2023", "3 May 2023", "YYYY-MM-DD"],
    ),
    (
        "date",
        "3/5/2023",
        ["2023 年 5 月 3 日", "2023 年 3 月 5 日", "YYYY-MM-DD"],
        ["3 May 2023", "5 March 2023"],
    ),
    ("date", "25/03/2023", ["2023-03-25", "YYYY-MM-DD"], ["year last", "2023-03-25"]),
    ("date", "23-3-5", ["两位", "四位", "YYYY-MM-DD"], ["two-digit year", "YYYY-MM-DD"]),
    ("date", "23年3月5日", ["两位"], ["two-digit year"]),
    ("date", "2023-03", ["月份", "不是日期", "YYYY-MM-DD"], ["a month, not a date"]),
    ("datetime", "2023年3月", ["月份"], ["a month, not a date"]),
    ("date", "2023", ["只有年份"], ["only a year"]),
    (
        "date",
        "12345",
        ["Excel 日期序号", "1933-10-18", "1970–2099"],
        ["Excel date serial", "1933-10-18", "1970–2099"],
    ),
    ("datetime", "123456789", ["是一个数"], ["a number, not a date"]),
    ("month", "2023-03-05", ["不是月份", "1 日", "YYYY-MM"], ["not a month", "the 1st", "YYYY-MM"]),
    ("month", "2023年3月5日", ["不是月份"], ["not a month"]),
    ("month", "2023-03-01 14:00", ["时刻"], ["time of day"]),
    ("month", "44990", ["Excel 日期序号", "2023-03-05"], ["Excel date serial of 2023-03-05", "1st"]),
    (
        "month",
        "2023.1",
        ["2023 年 1 月", "2023.10", "2023-01", "2023-10"],
        ["January 2023", "2023.10", "October"],
    ),
    ("month", "2023-13", ["没有 13 月"], ["no month 13"]),
    ("month", "23-3", ["两位", "YYYY-MM"], ["two-digit year", "YYYY-MM"]),
    ("month", "2023", ["只有年份", "YYYY-MM"], ["only a year", "YYYY-MM"]),
    ("number", "-", ["没有值", "留空"], ["no value", "leave the cell empty"]),
    ("number", "—", ["留空"], ["leave the cell empty"]),
    ("number", "无", ["留空"], ["leave the cell empty"]),
    ("datetime", "N/A", ["留空"], ["leave the cell empty"]),
    ("month", "NULL", ["留空"], ["leave the cell empty"]),
    ("number", "#DIV/0!", ["公式错误"], ["formula error in the workbook"]),
    ("number", "#VALUE!", ["公式错误"], ["formula error in the workbook"]),
    ("date", "#REF!", ["公式错误"], ["formula error in the workbook"]),
    ("boolean", "#N/A", ["公式错误"], ["formula error in the workbook"]),
    ("number", "1.234,50", ["逗号作小数点", "1234.50"], ["decimal mark", "1234.50"]),
    ("number", "0,5", ["小数点", "0.5"], ["decimal mark", "0.5"]),
    ("number", "(1,234)", ["负数", "括号", "-1234"], ["accounting parentheses", "-1234"]),
    ("number", "（1,234.50）", ["-1234.5"], ["-1234.5"]),
    ("number", "约3万", ["前面有「约」"], ["'约' before"]),
    ("number", "3万左右", ["后面有「左右」"], ["'左右' after"]),
    ("number", "共5人", ["「共」", "「人」"], ["'共' before and '人' after"]),
    ("number", "12%", ["百分数"], ["percentage"]),
    ("number", "12.5％", ["百分数"], ["percentage"]),
    ("number", "1,23", ["千位分隔", "三位"], ["thousands separators", "three digits"]),
    ("number", "12,34,567", ["千位分隔"], ["thousands separators"]),
    ("number", "2 760 000", ["空格", "2760000"], ["spaces", "2760000"]),
    ("number", "3-5", ["范围"], ["a range"]),
    ("boolean", "maybe", ["是/否", "有/无", "√/×"], ["yes/no", "true/false", "是/否"]),
]


@pytest.mark.parametrize(("kind", "text", "zh", "en"), CAUSES)
def test_likely_cause_in_both_languages(kind, text, zh, en):
    cause_zh, cause_en = values.likely_cause(kind, text, "zh"), values.likely_cause(kind, text, "en")
    for words in zh:
        assert words in cause_zh
    for words in en:
        assert words in cause_en
    assert cause_zh != cause_en
    assert values.likely_cause(kind, text) == cause_zh  # Chinese by default


@pytest.mark.parametrize(("kind", "text", "zh", "en"), CAUSES)
def test_every_cause_is_for_a_refused_cell(kind, text, zh, en):
    parsed = values.parse(kind, cells(text))
    assert parsed.isna().all()


@pytest.mark.parametrize(("kind", "text"), [("number", "abc"), ("datetime", "soon"), ("month", "下个月")])
def test_no_cause_when_nothing_specific_is_known(kind, text):
    assert values.likely_cause(kind, text, "zh") is None
    assert values.likely_cause(kind, text, "en") is None
    assert values.likely_cause(kind, None, "en") is None


def test_a_cause_shows_at_most_forty_characters_of_the_cell():
    long_cell = "约" + "3" * 30 + "人，其中" + "另有说明" * 20
    for lang in ("zh", "en"):
        cause = values.likely_cause("number", long_cell, lang)
        assert cause is not None
        assert long_cell[:39] in cause
        assert long_cell[:41] not in cause
        assert "另有说明" * 10 not in cause
