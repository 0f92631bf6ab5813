"""The input reader (lib/jimo_eval/inputs/reading.py): one test per quirk of real office exports, each
building its file in tmp_path and asserting the exact cells, headers, lines and notes."""

import codecs
import csv
import datetime as dt
import io
import re
import struct
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest
import xlwt
from hypothesis import given, settings
from hypothesis import strategies as st

from jimo_eval.inputs.reading import SENTENCES, SUFFIXES, ReadError, read_table

# A small alias table, as the engine's recognise would use (spaces ignored, （） read as ()).
ALIASES = {
    "案件编号": "case_id",
    "受理时间": "received_at",
    "来源渠道": "source",
    "承办人编号": "inspector_id",
    "拖欠金额(元)": "amount_owed_yuan",
    "追回金额(元)": "amount_recovered_yuan",
    "投诉内容": "complaint_text",
    "投诉人姓名": "complainant_name",
}
COLUMNS = set(ALIASES.values())


def recognise(text: str) -> str | None:
    key = re.sub(r"\s+", "", text).replace("（", "(").replace("）", ")")
    return ALIASES.get(key) or (key if key in COLUMNS else None)


def read(path, **kwargs):
    return read_table(path, recognise, **kwargs)


def rows(table) -> list[list]:
    return table.cells.to_numpy().tolist()


def notes(table) -> dict[str, tuple]:
    return {note.key: note.lines for note in table.notes}


def note(table, key):
    return next(n for n in table.notes if n.key == key)


def write(tmp_path, name: str, content: str | bytes, encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


def raises(path, key: str, **kwargs) -> ReadError:
    with pytest.raises(ReadError) as caught:
        read(path, **kwargs)
    assert caught.value.key == key, caught.value.rule_en
    assert caught.value.rule_zh and caught.value.rule_en
    return caught.value


def xlsx(tmp_path, sheets: dict[str, list[list]], name="book.xlsx", merges=None, at="A1"):
    """A workbook with one sheet per item, rows written from cell ``at``; merges: sheet → ranges."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    row0, col0 = openpyxl.utils.cell.coordinate_to_tuple(at)
    for title, grid in sheets.items():
        sheet = book.create_sheet(title)
        for r, values in enumerate(grid):
            for c, value in enumerate(values):
                if value is not None:
                    sheet.cell(row=row0 + r, column=col0 + c, value=value)
        for cells in (merges or {}).get(title, []):
            sheet.merge_cells(cells)
    path = tmp_path / name
    book.save(path)
    return path


def xls_bytes(grid: list[list], merges=(), sheet="数据") -> bytes:
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet(sheet)
    merged = {(r0, c0) for r0, _r1, c0, _c1 in merges}
    for r0, r1, c0, c1 in merges:
        ws.write_merge(r0, r1, c0, c1, grid[r0][c0])
    for r, values in enumerate(grid):
        for c, value in enumerate(values):
            if value is not None and (r, c) not in merged:
                ws.write(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


CASE_HEADER = "案件编号,受理时间,来源渠道,承办人编号"


# --- CSV: encodings --------------------------------------------------------------------------------


def test_plain_utf8_csv(tmp_path):
    path = write(
        tmp_path, "cases.csv", f"{CASE_HEADER}\nJM1, 2023-01-02 ,来电,INS01\nJM2,2023-01-03,,INS02\n"
    )
    table = read(path)
    assert (table.format, table.sheet, table.encoding) == ("csv", None, "utf-8")
    assert table.headers == ["案件编号", "受理时间", "来源渠道", "承办人编号"]
    assert table.header_lines == (1,)
    assert rows(table) == [["JM1", "2023-01-02", "来电", "INS01"], ["JM2", "2023-01-03", None, "INS02"]]
    assert table.lines.tolist() == [2, 3] and table.lines.dtype == np.int64
    assert list(table.cells.columns) == [0, 1, 2, 3] and isinstance(table.cells.index, pd.RangeIndex)
    assert table.cells.dtypes.tolist() == [object] * 4
    assert table.notes == ()


def test_utf8_with_bom(tmp_path):
    path = write(tmp_path, "cases.csv", "\ufeff" + f"{CASE_HEADER}\nJM1,2023-01-02,来电,INS01\n")
    table = read(path)
    assert table.encoding == "utf-8-sig"
    assert table.headers[0] == "案件编号"


def test_gbk_bytes_are_read_as_gb18030(tmp_path):
    path = write(tmp_path, "cases.csv", f"{CASE_HEADER}\nJM1,2023-01-02,来电,监察一科\n", encoding="gbk")
    table = read(path)
    assert table.encoding == "gb18030"
    assert rows(table) == [["JM1", "2023-01-02", "来电", "监察一科"]]


def test_explicit_encoding_wins(tmp_path):
    path = write(tmp_path, "cases.csv", f"{CASE_HEADER}\nJM1,2023-01-02,来电,INS01\n", encoding="gbk")
    assert read(path, encoding="GBK").encoding == "gbk"


def test_unknown_encoding_name(tmp_path):
    path = write(tmp_path, "cases.csv", f"{CASE_HEADER}\n")
    error = raises(path, "unknown_encoding", encoding="gbk-ish")
    assert "'gbk-ish'" in error.rule_en and "'gbk-ish'" in error.rule_zh


def test_undecodable_in_the_given_encoding_names_encoding_and_byte(tmp_path):
    data = f"{CASE_HEADER}\n".encode() + "JM1,2023-01-02,来电,INS01\n".encode("gbk")
    path = write(tmp_path, "cases.csv", data)
    error = raises(path, "undecodable", encoding="utf-8")
    offset = data.index("来".encode("gbk"))
    assert f"utf-8: byte {offset} (0x{data[offset]:02x}" in error.rule_en
    assert f"第 {offset} 字节" in error.rule_zh
    assert error.line == 2


def test_neither_utf8_nor_gb18030(tmp_path):
    path = write(tmp_path, "cases.csv", b"case_id\n\xff\xfe\xff1\n")
    error = raises(path, "undecodable")
    assert "byte 8" in error.rule_en and "GB18030" in error.rule_en and error.line == 2


def test_utf16_tab_separated_unicode_text(tmp_path):
    # Excel's "Unicode text": UTF-16 LE with a byte-order mark, tab-separated, CRLF.
    text = "案件编号\t受理时间\t投诉内容\r\nJM1\t2023-01-02\t工资,奖金\r\nJM2\t2023-01-03\t\r\n"
    path = write(tmp_path, "cases.txt", codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    table = read(path)
    assert (table.format, table.encoding) == ("csv", "utf-16")
    assert table.headers == ["案件编号", "受理时间", "投诉内容"]
    assert rows(table) == [["JM1", "2023-01-02", "工资,奖金"], ["JM2", "2023-01-03", None]]
    assert table.lines.tolist() == [2, 3]
    assert note(table, "delimiter").text("zh") == "字段以制表符（Tab）分隔"
    assert note(table, "delimiter").text("en") == "fields are separated by tabs"


def test_utf16_big_endian(tmp_path):
    text = "案件编号\t受理时间\nJM1\t2023-01-02\n"
    path = write(tmp_path, "cases.txt", codecs.BOM_UTF16_BE + text.encode("utf-16-be"))
    table = read(path)
    assert table.encoding == "utf-16" and rows(table) == [["JM1", "2023-01-02"]]


def test_tsv_tab_is_expected(tmp_path):
    path = write(tmp_path, "cases.tsv", "案件编号\t受理时间\nJM1\t2023-01-02\n")
    table = read(path)
    assert rows(table) == [["JM1", "2023-01-02"]] and table.notes == ()


def test_semicolon_separated(tmp_path):
    path = write(tmp_path, "cases.csv", "案件编号;受理时间;拖欠金额（元）\nJM1;2023-01-02;1234,5\n")
    table = read(path)
    assert table.headers == ["案件编号", "受理时间", "拖欠金额（元）"]
    assert rows(table) == [["JM1", "2023-01-02", "1234,5"]]
    assert note(table, "delimiter").fields["name_en"] == "semicolons"


# --- CSV: lines ------------------------------------------------------------------------------------


def test_crlf_file_with_blank_lines(tmp_path):
    text = f"{CASE_HEADER}\r\n\r\nJM1,2023-01-02,来电,INS01\r\n,,,\r\nJM2,2023-01-03,来访,INS02\r\n\r\n\r\n"
    table = read(write(tmp_path, "cases.csv", text))
    assert table.lines.tolist() == [3, 5]
    assert rows(table)[1] == ["JM2", "2023-01-03", "来访", "INS02"]
    blank = note(table, "blank_rows")
    assert blank.lines == (2, 4, 6, 7)
    assert blank.text("zh") == "跳过 4 个空行：第 2、4、6–7 行"
    assert blank.text("en") == "skipped blank lines 2, 4, 6–7"


def test_cr_only_line_ends(tmp_path):
    path = write(
        tmp_path, "cases.csv", f"{CASE_HEADER}\rJM1,2023-01-02,来电,INS01\r\rJM2,2023-01-03,来访,INS02"
    )
    table = read(path)
    assert table.lines.tolist() == [2, 4]


def test_multiline_address_keeps_its_record_start_line(tmp_path):
    text = (
        "案件编号,受理时间,投诉内容,来源渠道\n"
        'JM1,2023-01-02,"即墨区通济街道\r\n某某路 8 号",来电\n'
        "JM2,2023-01-03,无,来访\n"
    )
    table = read(write(tmp_path, "cases.csv", text))
    assert table.lines.tolist() == [2, 4]
    assert rows(table)[0][2] == "即墨区通济街道\r\n某某路 8 号"


def test_quote_closed_by_full_width_quote_swallows_lines(tmp_path):
    text = (
        "案件编号,受理时间,投诉内容,来源渠道\n"
        "JM1,2023-01-01,正常,来电\n"
        'JM2,2023-01-02,"老板说下月发”,来电\n'
        "JM3,2023-01-03,无,来访\n"
        "JM4,2023-01-04,无,来访\n"
        'JM5,2023-01-05,"已处理",来电\n'
        "JM6,2023-01-06,无,来访\n"
    )
    error = raises(write(tmp_path, "cases.csv", text), "quote_swallows_lines")
    assert error.line == 3
    assert "line 3" in error.rule_en and "next 3 line(s) (to line 6)" in error.rule_en
    assert "”" in error.rule_en and '"' in error.rule_en
    assert (
        "第 3 行" in error.rule_zh and "其后 3 行（到第 6 行）" in error.rule_zh and "全角 ”" in error.rule_zh
    )
    assert "老板" not in error.rule_en + error.rule_zh


def test_quote_never_closed_swallows_to_the_end(tmp_path):
    text = (
        "案件编号,受理时间,投诉内容,来源渠道\n"
        'JM1,2023-01-01,"拖欠三个月”,来电\n'
        "JM2,2023-01-02,无,来访\n"
        "JM3,2023-01-03,无,来访\n"
    )
    error = raises(write(tmp_path, "cases.csv", text), "quote_swallows_lines")
    assert error.line == 2
    assert "never closed" in error.rule_en and "the 2 line(s) after it" in error.rule_en
    assert "直到文件末尾" in error.rule_zh and "其后 2 行" in error.rule_zh


def test_quote_that_opens_on_the_last_line(tmp_path):
    text = f'{CASE_HEADER}\nJM1,2023-01-01,来电,INS01\nJM2,2023-01-02,"来电,INS02'
    error = raises(write(tmp_path, "cases.csv", text), "quote_swallows_lines")
    assert error.line == 3 and error.fields["count"] == 0


def test_quotes_used_properly_are_fine(tmp_path):
    text = f'{CASE_HEADER}\n"JM1","2023-01-02","他说""下月发""",INS01\n'
    assert rows(read(write(tmp_path, "cases.csv", text))) == [["JM1", "2023-01-02", '他说"下月发"', "INS01"]]


def test_header_only_file_is_an_empty_table(tmp_path):
    table = read(write(tmp_path, "cases.csv", f"{CASE_HEADER}\n\n"))
    assert len(table.cells) == 0 and table.header_lines == (1,)


@pytest.mark.parametrize("content", [b"", b"\r\n\r\n  \n", codecs.BOM_UTF8, b",,,\n,,\n"])
def test_empty_file(tmp_path, content):
    raises(write(tmp_path, "cases.csv", content), "empty_file")


def test_nul_bytes_utf16_without_bom(tmp_path):
    path = write(tmp_path, "cases.csv", "case_id,received_at\nJM1,2023-01-02\n".encode("utf-16-le"))
    error = raises(path, "nul_bytes")
    assert "byte offset 1" in error.rule_en and "UTF-16" in error.rule_en and "utf-16-le" in error.rule_en
    assert "UTF-16" in error.rule_zh


def test_nul_bytes_in_a_binary_file(tmp_path):
    path = write(
        tmp_path, "cases.csv", b"case_id\nJM1\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\xff\xfe\x10" * 3
    )
    error = raises(path, "nul_bytes")
    assert "byte offset 11" in error.rule_en and "binary" in error.rule_en and "二进制" in error.rule_zh


def test_nul_in_an_explicitly_decoded_file(tmp_path):
    path = write(tmp_path, "cases.csv", "\ufeffcase_id\nJM\x001\n".encode("utf-16-le"))
    error = raises(path, "nul_bytes", encoding="utf-16")
    assert "byte offset 22" in error.rule_en  # BOM (2) + 10 characters of 2 bytes


# --- Content that is not what the name says ---------------------------------------------------------


def test_csv_that_is_really_a_workbook(tmp_path):
    book = xlsx(tmp_path, {"Sheet1": [["案件编号", "受理时间"], ["JM1", "2023-01-02"]]})
    path = write(tmp_path, "cases.csv", book.read_bytes())
    table = read(path)
    assert (table.format, table.sheet, table.encoding) == ("xlsx", "Sheet1", None)
    assert rows(table) == [["JM1", "2023-01-02"]]
    assert note(table, "content_not_extension").text("en") == (
        "the file is named .csv but holds an Excel workbook (.xlsx); read as what it holds"
    )
    assert note(table, "content_not_extension").text("zh") == (
        "文件扩展名是 .csv，内容却是Excel 工作簿（.xlsx），已按内容读取"
    )


def test_csv_that_is_really_an_xls(tmp_path):
    table = read(write(tmp_path, "cases.csv", xls_bytes([["案件编号", "涉及人数"], ["JM1", 3]])))
    assert (table.format, table.sheet) == ("xls", "数据") and rows(table) == [["JM1", "3"]]
    assert note(table, "content_not_extension").fields["content"] == "xls"


def test_xls_that_is_a_web_page(tmp_path):
    page = '<html xmlns:x="urn:schemas-microsoft-com:office:excel"><body><table><tr><td>案件编号</td></tr>'
    error = raises(write(tmp_path, "cases.xls", page), "html_as_workbook")
    assert "web page (HTML)" in error.rule_en and ".xlsx" in error.rule_en
    assert "网页（HTML）" in error.rule_zh and "另存为 .xlsx" in error.rule_zh


def test_xls_that_is_an_excel_2003_xml_spreadsheet(tmp_path):
    xml = (
        '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>'
    )
    error = raises(write(tmp_path, "cases.xls", xml), "xml_spreadsheet")
    assert "Excel 2003 XML" in error.rule_en and "Excel 2003 XML" in error.rule_zh


def test_xls_that_is_really_text_is_read_as_csv(tmp_path):
    table = read(write(tmp_path, "cases.xls", "案件编号\t受理时间\nJM1\t2023-01-02\n", encoding="gbk"))
    assert (table.format, table.encoding) == ("csv", "gb18030")
    assert {"content_not_extension", "delimiter"} <= set(notes(table))


def test_encrypted_xlsx(tmp_path):
    # A password-protected .xlsx is an OLE container with an EncryptedPackage stream.
    data = renamed_stream(xls_bytes([["案件编号"], ["JM1"]]), "EncryptedPackage")
    error = raises(write(tmp_path, "cases.xlsx", data), "encrypted_workbook")
    assert "password" in error.rule_en and "密码" in error.rule_zh


def test_encrypted_xls(tmp_path):
    # A FILEPASS record (RC4) in the workbook stream, where xlwt wrote WRITEACCESS (as long).
    data = bytearray(xls_bytes([["案件编号"], ["JM1"]]))
    at = data.index(struct.pack("<HH", 0x005C, 112))
    record = struct.pack("<HHH", 0x002F, 2, 1) + struct.pack("<HH", 0x0867, 106) + b"\x00" * 106
    data[at : at + 116] = record
    raises(write(tmp_path, "cases.xls", bytes(data)), "encrypted_workbook")


def renamed_stream(data: bytes, name: str) -> bytes:
    """An OLE file whose Workbook stream is renamed (its directory entry: UTF-16 name, byte length)."""
    data = bytearray(data)
    entry = data.index("Workbook".encode("utf-16-le") + b"\x00\x00")
    encoded = name.encode("utf-16-le")
    data[entry : entry + 64] = encoded + b"\x00" * (64 - len(encoded))
    data[entry + 64 : entry + 66] = struct.pack("<H", len(encoded) + 2)
    return bytes(data)


def test_ole_file_without_a_workbook(tmp_path):
    word = renamed_stream(xls_bytes([["案件编号"], ["JM1"]]), "WordDocument")
    error = raises(write(tmp_path, "cases.xls", word), "workbook_unreadable")
    assert "Excel 97-2003" in error.rule_en and "另存为 .xlsx" in error.rule_zh
    raises(write(tmp_path, "letter.doc", word), "unsupported_format")


def test_corrupt_xlsx(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "not xml at all")
    error = raises(write(tmp_path, "cases.xlsx", buffer.getvalue()), "workbook_unreadable")
    assert error.rule_en.startswith("cannot be read as an Excel workbook (.xlsx) (CalamineError: ")
    assert error.rule_zh.startswith("无法作为Excel 工作簿（.xlsx）读取（CalamineError: ")


def test_zip_without_a_workbook(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("cases.csv", "案件编号\nJM1\n")
    raises(write(tmp_path, "cases.xlsx", buffer.getvalue()), "workbook_unreadable")
    raises(write(tmp_path, "cases.zip", buffer.getvalue()), "unsupported_format")


def test_unsupported_suffix(tmp_path):
    error = raises(write(tmp_path, "cases.json", '{"case_id": 1}'), "unsupported_format")
    assert ".json" in error.rule_en and ".json" in error.rule_zh
    assert all(suffix in error.rule_en for suffix in SUFFIXES)


def test_unknown_suffix_with_workbook_content_is_read(tmp_path):
    book = xlsx(tmp_path, {"Sheet1": [["案件编号"], ["JM1"]]})
    table = read(write(tmp_path, "export.dat", book.read_bytes()))
    assert table.format == "xlsx" and "content_not_extension" in notes(table)


def test_missing_file(tmp_path):
    error = raises(tmp_path / "nowhere.csv", "file_missing")
    assert "nowhere.csv" in error.rule_en


# --- Shapes of hand-made ledgers ---------------------------------------------------------------------


LEDGER = (
    "即墨区劳动保障监察案件台账（2023年）,,,\n"
    f"{CASE_HEADER}\n"
    "JM1,2023-01-02,来电,INS01\n"
    "JM2,2023-01-03,来访,INS02\n"
    "合计,2 件,,\n"
    "\n"
    "填表人：张三,,审核人：李四,\n"
    "注：本表由监察一科填报,,,\n"
)


def test_title_totals_and_footer(tmp_path):
    table = read(write(tmp_path, "ledger.csv", LEDGER, encoding="gbk"))
    assert table.header_lines == (2,)
    assert rows(table) == [["JM1", "2023-01-02", "来电", "INS01"], ["JM2", "2023-01-03", "来访", "INS02"]]
    assert table.lines.tolist() == [3, 4]
    assert notes(table) == {
        "title_rows": (1,),
        "totals_rows": (5,),
        "blank_rows": (6,),
        "footer_rows": (7, 8),
    }
    title = note(table, "title_rows")
    assert title.text("zh") == "第 1 行像是标题（即墨区劳动保障监察案件台账（2023年）），表头在第 2 行"
    assert (
        title.text("en")
        == "line 1 looks like a title (即墨区劳动保障监察案件台账（2023年）); the header is on line 2"
    )
    assert note(table, "totals_rows").text("zh") == "第 5 行是合计行（合计），不作为数据读取"
    assert note(table, "footer_rows").text("en") == (
        "lines 7–8 below the data: footer (signatures, dates, notes), not read as data"
    )


def test_notes_never_echo_footer_or_data(tmp_path):
    table = read(write(tmp_path, "ledger.csv", LEDGER))
    said = " ".join(n.text(lang) for n in table.notes for lang in ("zh", "en"))
    said += " ".join(str(value) for n in table.notes for value in n.fields.values())
    for secret in ("张三", "李四", "监察一科", "JM1", "INS01", "2 件"):
        assert secret not in said


def test_a_signature_above_the_header_is_not_echoed_as_a_title(tmp_path):
    table = read(write(tmp_path, "cases.csv", f"填表人：张三\n{CASE_HEADER}\nJM1,2023-01-02,来电,INS01\n"))
    assert note(table, "title_rows").fields["title"] == "…"


def test_long_title_is_truncated(tmp_path):
    title = "即墨区人力资源和社会保障局劳动保障监察大队二〇二三年度欠薪案件办理情况统计台账（第一季度）"
    table = read(write(tmp_path, "ledger.csv", f"{title}\n{CASE_HEADER}\nJM1,2023-01-02,来电,INS01\n"))
    shown = note(table, "title_rows").fields["title"]
    assert len(shown) == 40 and shown.endswith("…") and title.startswith(shown[:-1])


@pytest.mark.parametrize(
    "totals_row", ["合 计,,,", "总计：2 件,,,", "小计: 1,,,", ",合　计,,", "累计,,,"], ids=range(5)
)
def test_totals_words(tmp_path, totals_row):
    text = f"{CASE_HEADER}\nJM1,2023-01-02,来电,INS01\n{totals_row}\nJM2,2023-01-03,来访,INS02\n"
    table = read(write(tmp_path, "cases.csv", text))
    assert table.lines.tolist() == [2, 4] and notes(table) == {"totals_rows": (3,)}


def test_totals_word_in_the_id_column(tmp_path):
    text = f"序号,{CASE_HEADER}\n1,JM1,2023-01-02,来电,INS01\n2,合计,,,\n"
    table = read(write(tmp_path, "cases.csv", text))
    assert table.lines.tolist() == [2]
    assert note(table, "totals_rows").fields["words"] == "合计"


def test_sparse_last_record_without_footer_words_is_kept(tmp_path):
    # An open case with most cells empty is a real record, not a footer.
    header = "案件编号,受理时间,来源渠道,承办人编号,投诉内容,投诉人姓名"
    text = f"{header}\nJM1,2023-01-02,来电,INS01,无,王\nJM2,,,,,\n"
    table = read(write(tmp_path, "cases.csv", text))
    assert table.lines.tolist() == [2, 3] and table.notes == ()


def test_header_row_that_appears_twice(tmp_path):
    text = (
        f"{CASE_HEADER}\n{CASE_HEADER}\nJM1,2023-01-02,来电,INS01\n{CASE_HEADER}\nJM2,2023-01-03,来访,INS02\n"
    )
    table = read(write(tmp_path, "cases.csv", text))
    assert table.header_lines == (1,) and table.lines.tolist() == [3, 5]
    repeated = note(table, "header_repeated")
    assert repeated.lines == (2, 4)
    assert repeated.text("zh") == "第 2、4 行重复了表头，已跳过"
    assert repeated.text("en") == "lines 2, 4 repeat the header; skipped"


def test_two_row_header_in_a_csv(tmp_path):
    # 案件编号 spans both rows (its lower cell is empty); 金额（元） spans 拖欠 / 追回.
    text = "案件编号,金额（元）,,受理时间,备注\n,拖欠,追回,,\nJM1,1200,800,2023-01-02,\n"
    table = read(write(tmp_path, "cases.csv", text))
    assert table.headers == ["案件编号", "拖欠金额（元）", "追回金额（元）", "受理时间", "备注"]
    assert table.header_lines == (1, 2) and table.lines.tolist() == [3]
    assert rows(table) == [["JM1", "1200", "800", "2023-01-02", None]]
    two = note(table, "two_row_header")
    assert two.lines == (1, 2)
    assert (
        two.text("zh")
        == "第 1 行和第 2 行是两行表头（合并单元格），合并后的列名：拖欠金额（元）、追回金额（元）"
    )


def test_two_row_header_with_merged_cells_and_title(tmp_path):
    grid = [
        ["即墨区劳动保障监察案件台账（2023年）", None, None, None],
        ["案件编号", "金额（元）", None, "受理时间"],
        [None, "拖欠", "追回", None],
        ["JM1", 1200, 800.5, dt.datetime(2023, 1, 2, 9, 30)],
        ["合计", 1200, 800.5, None],
    ]
    merges = {"台账": ["A1:D1", "A2:A3", "B2:C2", "D2:D3"]}
    table = read(xlsx(tmp_path, {"台账": grid}, merges=merges))
    assert table.headers == ["案件编号", "拖欠金额（元）", "追回金额（元）", "受理时间"]
    assert table.header_lines == (2, 3)
    assert rows(table) == [["JM1", "1200", "800.5", "2023-01-02 09:30:00"]]
    assert table.lines.tolist() == [4]
    assert notes(table) == {"title_rows": (1,), "two_row_header": (2, 3), "totals_rows": (5,)}


def test_a_cell_merged_down_over_data_rows_is_read_in_each_of_them(tmp_path):
    # One 来源渠道 merged over the cases it applies to, as hand-kept ledgers do: Excel shows it on every
    # row, calamine gives it to the top cell only. Before, the rows below read it as empty (an optional
    # column then silently lost its values). A range across columns is left as it is.
    grid = [
        ["案件编号", "来源渠道", "承办人编号", "受理时间"],
        ["JM1", "来电", "INS01", "2023-01-02"],
        ["JM2", None, "INS02", "2023-01-03"],
        ["JM3", None, "INS03", "2023-01-04"],
        [None, None, None, None],
        ["JM4", "来访", "INS04", "2023-01-05"],
        ["JM5", "来信", None, None],
        ["合计", None, "5 件", None],
    ]
    merges = {"Sheet1": ["B2:B4", "C7:D7", "A8:B8"]}
    table = read(xlsx(tmp_path, {"Sheet1": grid}, merges=merges))
    assert rows(table) == [
        ["JM1", "来电", "INS01", "2023-01-02"],
        ["JM2", "来电", "INS02", "2023-01-03"],
        ["JM3", "来电", "INS03", "2023-01-04"],
        ["JM4", "来访", "INS04", "2023-01-05"],
        ["JM5", "来信", None, None],
    ]
    assert table.lines.tolist() == [2, 3, 4, 6, 7]
    assert notes(table) == {"merged_down": (3, 4), "blank_rows": (5,), "totals_rows": (8,)}
    assert note(table, "merged_down").text("en") == (
        "lines 3–4: cells merged with the one above (来源渠道); read as the merged cell's value"
    )
    assert (
        note(table, "merged_down").text("zh")
        == "第 3–4 行的单元格与上方合并（来源渠道），按合并单元格的值读取"
    )


def test_two_row_header_whose_lower_row_holds_the_names(tmp_path):
    # A group row above the real names: the pair recognises more than the lower row alone.
    grid = [
        ["基本信息", None, "金额（元）", None],
        ["案件编号", "受理时间", "拖欠", "追回"],
        ["JM1", "2023-01-02", 10, 5],
    ]
    table = read(xlsx(tmp_path, {"Sheet1": grid}, merges={"Sheet1": ["A1:B1", "C1:D1"]}))
    assert table.headers == ["案件编号", "受理时间", "拖欠金额（元）", "追回金额（元）"]
    assert table.header_lines == (1, 2) and rows(table) == [["JM1", "2023-01-02", "10", "5"]]


def test_header_is_searched_in_the_first_20_non_blank_rows(tmp_path):
    text = "".join(f"说明第{i}条\n" for i in range(20)) + f"{CASE_HEADER}\nJM1,2023-01-02,来电,INS01\n"
    table = read(write(tmp_path, "cases.csv", text))
    assert table.header_lines == (1,)
    assert note(table, "header_guessed").text("en").startswith("none of the first 20 non-blank rows")


def test_required_columns_choose_the_header_row(tmp_path):
    # Line 1 names two columns, line 3 only one — but the required one.
    text = "投诉内容,投诉人姓名\n\n案件编号,其他\nJM1,x\n"
    table = read(write(tmp_path, "cases.csv", text), required=["case_id"])
    assert table.header_lines == (3,)


def test_trailing_delimiters_do_not_make_columns(tmp_path):
    text = f"{CASE_HEADER},,\nJM1,2023-01-02,来电,INS01,,\n"
    table = read(write(tmp_path, "cases.csv", text))
    assert table.headers == ["案件编号", "受理时间", "来源渠道", "承办人编号"] and table.cells.shape == (1, 4)


def test_repeated_header_labels_stay_positional(tmp_path):
    text = "案件编号,受理时间,受理时间\nJM1,2023-01-02,2023-01-03\n"
    table = read(write(tmp_path, "cases.csv", text))
    assert table.headers == ["案件编号", "受理时间", "受理时间"]
    assert list(table.cells.columns) == [0, 1, 2]


# --- Workbooks ---------------------------------------------------------------------------------------


def test_workbook_cells_are_written_as_csv_text(tmp_path):
    grid = [
        [
            "案件编号",
            "涉及人数",
            "拖欠金额（元）",
            "受理时间",
            "办结日期",
            "是否经平台",
            "序号",
            "错误",
            "无值",
        ],
        [
            "JM1",
            12.0,
            1234.5,
            dt.datetime(2023, 1, 2, 9),
            dt.datetime(2023, 1, 2),
            True,
            44990.5,
            "#DIV/0!",
            "#N/A",
        ],
        [
            "JM2",
            3,
            0.1 + 0.2,
            dt.datetime(2023, 1, 2, 8, 59, 59, 999_999),
            dt.date(2023, 3, 5),
            False,
            7,
            None,
            None,
        ],
    ]
    table = read(xlsx(tmp_path, {"Sheet1": grid}))
    assert rows(table) == [
        ["JM1", "12", "1234.5", "2023-01-02 09:00:00", "2023-01-02", "true", "44990.5", "#DIV/0!", "#N/A"],
        ["JM2", "3", "0.3", "2023-01-02 09:00:00", "2023-03-05", "false", "7", None, None],
    ]
    assert table.notes == ()


def test_workbook_starting_at_column_c_keeps_sheet_rows(tmp_path):
    grid = [["案件编号", "受理时间"], ["JM1", "2023-01-02"], [None, None], ["JM2", "2023-01-03"]]
    table = read(xlsx(tmp_path, {"Sheet1": grid}, at="C3"))
    assert table.headers == ["案件编号", "受理时间"] and table.header_lines == (3,)
    assert rows(table) == [["JM1", "2023-01-02"], ["JM2", "2023-01-03"]]
    assert table.lines.tolist() == [4, 6]
    assert notes(table) == {"header_row": (3,), "blank_rows": (1, 2, 5)}
    assert note(table, "header_row").text("zh") == "表头在第 3 行"


def test_instructions_sheet_before_the_data_sheet(tmp_path):
    sheets = {
        "填表说明": [["填表说明"], ["1. 案件编号按年度顺序编写"], ["2. 受理时间精确到分钟"]],
        "案件台账": [["案件编号", "受理时间"], ["JM1", "2023-01-02"]],
    }
    table = read(xlsx(tmp_path, sheets))
    assert table.sheet == "案件台账" and rows(table) == [["JM1", "2023-01-02"]]
    chosen = note(table, "sheet_chosen")
    assert (
        chosen.text("zh") == "读取工作表「案件台账」（工作簿共有 2 个工作表：填表说明、案件台账；按表头选定）"
    )


def test_an_instructions_sheet_with_an_example_row_loses_to_the_ledger(tmp_path):
    # Found by the messy-exports corpus: the example table of 填表说明 tied with the ledger and, being
    # first, was read: one example row instead of the data, exit code 0.
    sheets = {
        "填表说明": [["请按下表格式填写"], ["案件编号", "受理时间"], ["示例001", "2023-01-01"]],
        "案件台账": [["案件编号", "受理时间"], ["JM1", "2023-01-02"], ["JM2", "2023-01-03"]],
    }
    table = read(xlsx(tmp_path, sheets))
    assert table.sheet == "案件台账" and [row[0] for row in rows(table)] == ["JM1", "JM2"]
    assert "sheet(s) 填表说明 (1) hold the same columns too" in note(table, "other_sheets").text("en")


def test_a_ledger_split_over_sheets_says_which_were_not_read(tmp_path):
    sheets = {
        "2022年": [["案件编号", "受理时间"], *[[f"A{i}", "2022-01-02"] for i in range(3)]],
        "2023年": [["案件编号", "受理时间"], *[[f"B{i}", "2023-01-02"] for i in range(5)]],
    }
    table = read(xlsx(tmp_path, sheets))
    assert table.sheet == "2023年"
    assert note(table, "other_sheets").text("zh").startswith("工作表 2022年 (3) 也有同样的列")


def test_sheet_with_only_a_title(tmp_path):
    error = raises(xlsx(tmp_path, {"Sheet1": [["即墨区劳动保障监察案件台账（2023年）"]]}), "no_data_rows")
    assert error.line == 1 and error.sheet == "Sheet1"
    assert error.rule_en.startswith("sheet 'Sheet1': no data rows below line 1")


def test_one_row_workbook_is_an_empty_table_under_its_header(tmp_path):
    # The engine refuses it, naming missing columns and the missing rows at once (test_input_engine.py).
    table = read(xlsx(tmp_path, {"Sheet1": [["案件编号", "受理时间"]]}))
    assert table.headers == ["案件编号", "受理时间"] and table.header_lines == (1,)
    assert len(table.cells) == 0 and table.lines.tolist() == []


def test_empty_workbook(tmp_path):
    raises(xlsx(tmp_path, {"Sheet1": [], "Sheet2": []}), "empty_file")


def test_xls_with_merged_two_row_header(tmp_path):
    grid = [
        ["案件编号", "金额（元）", None],
        [None, "拖欠", "追回"],
        ["JM1", 1200, 800.5],
    ]
    data = xls_bytes(grid, merges=[(0, 1, 0, 0), (0, 0, 1, 2)])
    table = read(write(tmp_path, "cases.xls", data))
    assert (table.format, table.sheet) == ("xls", "数据")
    assert table.headers == ["案件编号", "拖欠金额（元）", "追回金额（元）"]
    assert rows(table) == [["JM1", "1200", "800.5"]] and table.lines.tolist() == [3]


def test_wps_et_holding_biff(tmp_path):
    # xlwt writes the date-time without a date format: an unformatted serial, kept as the number.
    data = xls_bytes([["案件编号", "受理时间"], ["JM1", dt.datetime(2023, 1, 2, 9)]])
    table = read(write(tmp_path, "cases.et", data))
    assert table.format == "et" and rows(table) == [["JM1", "44928.375"]]
    assert table.notes == ()


def test_wps_et_holding_an_xlsx(tmp_path):
    book = xlsx(tmp_path, {"Sheet1": [["案件编号"], ["JM1"]]})
    table = read(write(tmp_path, "cases.et", book.read_bytes()))
    assert table.format == "xlsx" and rows(table) == [["JM1"]]
    assert "content_not_extension" in notes(table)


def test_ods(tmp_path):
    frame = pd.DataFrame(
        {"案件编号": ["JM1", "JM2"], "涉及人数": [3.0, 2.5], "受理时间": ["2023-01-02", None]}
    )
    path = tmp_path / "cases.ods"
    frame.to_excel(path, engine="odf", index=False, startrow=1)
    table = read(path)
    assert table.format == "ods" and table.header_lines == (2,)
    assert rows(table) == [["JM1", "3", "2023-01-02"], ["JM2", "2.5", None]]
    assert table.lines.tolist() == [3, 4]


def test_xlsm_by_content(tmp_path):
    path = xlsx(tmp_path, {"Sheet1": [["案件编号"], ["JM1"]]}, name="cases.xlsm")
    # openpyxl writes a plain workbook: by content it is an .xlsx, which an .xlsm name allows.
    assert read(path).format == "xlsx" and read(path).notes == ()


# --- Every line accounted for -----------------------------------------------------------------------

# A comma after a line break inside a field would look like a swallowed record in a 2-column file.
field_text = st.text(alphabet='ab 中,"\n\r', max_size=6).filter(
    lambda v: not ("," in v and re.search("[\r\n]", v))
)


@settings(max_examples=80, deadline=None)
@given(
    records=st.lists(st.one_of(st.none(), field_text), min_size=1, max_size=8),
    ending=st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_lines_are_the_files_own_lines(tmp_path_factory, records, ending):
    """Random records (None = a blank line; fields with quotes, commas and line breaks, quoted as a CSV
    writer would) come back with the physical line each starts on."""
    out = io.StringIO()
    # QUOTE_ALL: csv quotes only line ends of its own lineterminator, an Excel export quotes any.
    writer = csv.writer(out, lineterminator=ending, quoting=csv.QUOTE_ALL)
    writer.writerow(["案件编号", "投诉内容"])
    expected, line = [], 2
    for value in records:
        if value is None:
            out.write(ending)
            line += 1
            continue
        before = out.tell()
        writer.writerow(["R", value])
        written = out.getvalue()[before:]
        expected.append((line, ["R", value.strip() or None]))
        line += written.count("\n") + written.count("\r") - written.count("\r\n")
    path = tmp_path_factory.mktemp("csv") / "cases.csv"
    path.write_bytes(out.getvalue().encode())
    if not expected:  # a header and blank lines only: an empty table
        assert len(read(path).cells) == 0
        return
    table = read(path)
    assert table.lines.tolist() == [start for start, _ in expected]
    assert rows(table) == [cells for _, cells in expected]


def test_every_sentence_has_both_languages():
    assert all(set(words) == {"zh", "en"} and all(words.values()) for words in SENTENCES.values())


def test_invisible_characters_are_removed_from_cells(tmp_path):
    # A zero-width space pasted into an id would make "JM001" and "JM\u200b001" two cases.
    text = "案件编号,来源渠道\nJM\u200b001,来\u200d电\nJM002\ufeff, 来访\u00ad\n"
    table = read(write(tmp_path, "cases.csv", text))
    assert rows(table) == [["JM001", "来电"], ["JM002", "来访"]]
    book = read(xlsx(tmp_path, {"Sheet1": [["案件编号", "来源渠道"], ["JM\u200b003", "来信\u2060"]]}))
    assert rows(book) == [["JM003", "来信"]]
