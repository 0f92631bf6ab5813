"""The disclosure scan: identifiers from the inputs, or shaped like phones/ID numbers, fail a build."""

import base64
import datetime as dt
import hashlib
import html
import json
import os
import random
import re
import shutil
import time
from pathlib import Path

import markupsafe
import nbformat
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jimo_eval.build import privacy
from jimo_eval.build.privacy import (
    Finding,
    PrivacyError,
    assert_no_identifiers,
    identifiers_in,
    scan_outputs,
    scrub,
    valid_id_number,
)
from jimo_eval.core import downloads, identifiers
from jimo_eval.core.files import folder_digests
from jimo_eval.core.paths import REFERENCE_DATA_DIR
from jimo_eval.inputs import PERSONAL_COLUMNS

NAME = "欧阳春花"
PHONE = "13912345678"
# A well-formed fake ID number (region 110101, born 1990-03-07); its check character is computed below.
ID_BODY = "11010119900307123"
TEXT = "老板拖欠我们三个月工资共计一万二千元，多次讨要未果"
CASE_HEADER = "case_id,received_at,closed_at,source,via_platform,inspector_id," + ",".join(PERSONAL_COLUMNS)


def check_character(body: str) -> str:
    """Independent ISO 7064 MOD 11-2: the check character c makes Σ a_i·2^(18-i) + c ≡ 1 (mod 11)."""
    total = sum(int(d) * pow(2, 17 - i, 11) for i, d in enumerate(body))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


ID_NO = ID_BODY + check_character(ID_BODY)


def write_input(folder: Path, rows: list[tuple[str, str, str, str]], encoding: str = "utf-8") -> Path:
    lines = [CASE_HEADER]
    for i, (name, phone, id_no, text) in enumerate(rows, start=1):
        lines.append(f"C{i},2023-01-0{i} 09:00,,hotline,false,INS01,{name},{phone},{id_no},{text}")
    path = folder / "cases.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


@pytest.fixture
def cases(tmp_path) -> Path:
    inputs = tmp_path / "in"
    inputs.mkdir()
    return write_input(inputs, [(NAME, PHONE, ID_NO, TEXT), ("李", "", "", "短文本")])


@pytest.fixture
def out(tmp_path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "report.html").write_text("<html><body><p>结案率 0.4312，共 42 件</p></body></html>")
    (folder / "metrics.json").write_text(json.dumps({"throughput": {"ratio": 1.2}}))
    return folder


def write_notebook(path: Path, output_text: str) -> None:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("print(x)")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=output_text)]
    nb.cells = [cell]
    nbformat.write(nb, path)


def test_check_character_is_iso_7064():
    # The worked example of GB 11643-1999 (appendix): 11010519491231002X.
    assert check_character("11010519491231002") == "X"
    assert valid_id_number("11010519491231002X")
    assert valid_id_number("11010519491231002x")
    assert not valid_id_number("110105194912310021")
    assert valid_id_number(ID_NO)


def test_identifiers_in_reads_personal_columns_by_kind(cases):
    found = identifiers_in(cases)
    assert found == {
        "name": {NAME},  # "李" is shorter than 2 characters
        "phone": {PHONE},
        "id_number": {ID_NO},
        "free_text": {TEXT},  # "短文本" is shorter than 8 characters
    }


def test_identifiers_in_reads_gb18030(tmp_path):
    path = write_input(tmp_path, [(NAME, PHONE, ID_NO, TEXT)], encoding="gb18030")
    with pytest.raises(UnicodeDecodeError):
        path.read_text(encoding="utf-8")
    assert identifiers_in(path)["name"] == {NAME}
    assert identifiers_in(path)["free_text"] == {TEXT}


def test_identifiers_in_without_personal_columns(tmp_path):
    path = tmp_path / "staffing.csv"
    path.write_text("month,inspectors\n2023-01,12\n")
    assert identifiers_in(path) == {}


def test_clean_outputs_pass(out, cases):
    write_notebook(out / "throughput.ipynb", "ratio 1.23\n")
    assert scan_outputs(out, [cases]) == []
    assert_no_identifiers(out, [cases])


def test_a_file_scanned_clean_is_skipped_only_while_its_bytes_are_unchanged(out, cases):
    """The build passes the digests its last clean scan recorded: an unchanged (reused) report is not
    read again, but any change to its bytes, a leak included, is scanned."""
    clean = folder_digests(out)
    assert scan_outputs(out, [cases], clean=clean) == []
    with (out / "report.html").open("a", encoding="utf-8") as file:
        file.write(f"<p>{NAME}</p>")
    assert [finding.output.name for finding in scan_outputs(out, [cases], clean=clean)] == ["report.html"]


@pytest.mark.parametrize(
    ("value", "kind"), [(NAME, "name"), (PHONE, "phone"), (ID_NO, "id_number"), (TEXT, "free_text")]
)
@pytest.mark.parametrize("suffix", [".html", ".json", ".ipynb", ".md", ".txt", ".yaml"])
def test_each_identifier_in_each_output_fails(out, cases, value, kind, suffix):
    target = out / f"leak{suffix}"
    if suffix == ".ipynb":
        write_notebook(target, f"最近投诉人：{value}\n")
    elif suffix == ".json":
        target.write_text(json.dumps({"example": value}, ensure_ascii=False))
    else:
        target.write_text(f"<td>{value}</td>\n")
    findings = scan_outputs(out, [cases])
    assert [(f.output, f.kind) for f in findings] == [(target, kind)]
    with pytest.raises(PrivacyError) as error:
        assert_no_identifiers(out, [cases])
    assert str(target) in str(error.value)
    assert kind in str(error.value)
    assert value not in str(error.value)
    assert value not in findings[0].sample


def test_masked_sample_keeps_first_character_and_length():
    assert privacy.mask(NAME) == "欧…(4 chars)"
    finding = Finding(Path("x.html"), "name", privacy.mask(NAME))
    assert NAME not in finding.describe()


def test_every_occurrence_is_reported_with_its_line(out, cases):
    (out / "report.html").write_text(f"a\n{NAME}\nb {NAME} {PHONE}\n")
    findings = scan_outputs(out, [cases])
    assert [f.kind for f in findings] == ["name", "name", "phone"]
    assert [f.sample.rsplit(" ", 1)[-1] for f in findings] == ["2", "3", "3"]


def test_short_names_are_ignored(out, tmp_path):
    inputs = write_input(tmp_path, [("王", "", "", "")])
    (out / "report.html").write_text("王府井的王老板")
    assert scan_outputs(out, [inputs]) == []


def test_short_free_text_is_ignored(out, tmp_path):
    inputs = write_input(tmp_path, [(NAME, "", "", "拖欠工资")])
    (out / "report.html").write_text("拖欠工资案件的结案情况")
    assert scan_outputs(out, [inputs]) == []


def test_html_escaped_free_text_is_found(out, tmp_path):
    text = '公司说"下个月再发" & 老板<跑了>'
    inputs = write_input(tmp_path, [(NAME, PHONE, ID_NO, text.replace('"', "'"))])
    value = text.replace('"', "'")
    assert identifiers_in(inputs)["free_text"] == {value}
    for escaped in (html.escape(value), html.escape(value, quote=False), str(markupsafe.escape(value))):
        assert escaped != value
        (out / "report.html").write_text(f"<td>{escaped}</td>")
        findings = scan_outputs(out, [inputs])
        assert [f.kind for f in findings] == ["free_text"], escaped


def test_json_escaped_values_are_found(out, cases):
    (out / "metrics.json").write_text(json.dumps({"note": f"投诉人 {NAME}"}, ensure_ascii=True))
    assert NAME not in (out / "metrics.json").read_text()
    findings = scan_outputs(out, [cases])
    assert [f.kind for f in findings] == ["name"]
    assert "JSON" in findings[0].sample


def test_json_key_is_not_printed(out, cases):
    (out / "metrics.json").write_text(json.dumps({NAME: 1}, ensure_ascii=True))
    (finding,) = scan_outputs(out, [cases])
    assert NAME not in finding.sample


def test_patterns_are_found_without_inputs(out):
    phone, id_no = "15800001111", "11010519491231002X"
    (out / "report.html").write_text(f"<p>联系电话{phone}，身份证号{id_no}。</p>")
    findings = scan_outputs(out, [])
    assert [f.kind for f in findings] == ["phone_pattern", "id_number_pattern"]
    assert all(phone not in f.sample and id_no not in f.sample for f in findings)
    with pytest.raises(PrivacyError):
        assert_no_identifiers(out, [])


def test_known_phone_is_reported_once_as_known(out, cases):
    (out / "report.html").write_text(f"电话 {PHONE}；身份证 {ID_NO}")
    assert [f.kind for f in scan_outputs(out, [cases])] == ["phone", "id_number"]


@pytest.mark.parametrize(
    "text",
    [
        "110105194912310021",  # wrong check digit
        "sha 1101051949123100211",  # 19 digits
        "2023-06-30 10:00",
        "12345678901",  # second digit 2: not a mobile number
        "139123456789",  # 12 digits
        "x11010519491231002Xy",  # part of a longer token
    ],
)
def test_non_identifiers_are_not_flagged(out, text):
    (out / "report.html").write_text(text)
    assert scan_outputs(out, []) == []


def test_pattern_inside_embedded_image_is_ignored(out):
    rng = random.Random(1)
    payload = "".join(
        rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz+/") for _ in range(500)
    )
    payload = payload[:250] + "a13912345678b" + payload[250:]
    (out / "report.html").write_text(f'<img src="data:image/png;base64,{payload}=="/>')
    assert scan_outputs(out, []) == []


def test_values_in_the_csv_embedded_under_a_table_are_found(out, cases):
    """The data a reader downloads (core/downloads.py: base64 in the page) are scanned like the page."""
    uri = downloads.data_uri(["投诉人", "电话"], [[NAME, "15800001111"]])
    (out / "report.html").write_text(f'<p><a download="x-table-1.csv" href="{uri}">CSV</a></p>')
    assert NAME not in (out / "report.html").read_text(encoding="utf-8")
    findings = scan_outputs(out, [cases])
    assert [f.kind for f in findings] == ["name", "phone_pattern"]
    assert all("embedded CSV #1" in f.sample and NAME not in f.sample for f in findings)


def test_binary_files_are_skipped(out, cases):
    (out / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\n" + NAME.encode())
    (out / "blob.bin").write_bytes(b"\0\0" + PHONE.encode())
    assert scan_outputs(out, [cases]) == []


def test_nested_folders_are_scanned(out, cases):
    (out / "en" / ".build").mkdir(parents=True)
    (out / "en" / ".build" / "log.txt").write_text(PHONE)
    assert [f.output.name for f in scan_outputs(out, [cases])] == ["log.txt"]


def test_message_is_capped(out, cases):
    (out / "report.html").write_text(f"{NAME}\n" * 25)
    with pytest.raises(PrivacyError) as error:
        assert_no_identifiers(out, [cases])
    message = str(error.value)
    assert message.count("report.html: name") == 20
    assert message.rstrip().endswith("and 5 more")


def test_overlapping_values_longest_wins(out, tmp_path):
    inputs = write_input(tmp_path, [("张伟", "", "", ""), ("张伟明", "", "", "")])
    (out / "report.html").write_text("张伟明 张伟")
    findings = scan_outputs(out, [inputs])
    assert [f.sample.split(" at ")[0] for f in findings] == ["张…(3 chars)", "张…(2 chars)"]


def test_scan_is_fast_for_many_values(tmp_path):
    """2 MB of report text against 10,000 identifier values: one trie-shaped regex, not 10,000 scans."""
    rng = random.Random(0)
    alphabet = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能"
    rows = []
    for _ in range(2500):
        rows.append(
            {
                "complainant_name": "".join(rng.choice(alphabet) for _ in range(rng.randint(2, 3))),
                "complainant_phone": f"1{rng.randint(3, 9)}{rng.randrange(10**9):09d}",
                "complainant_id_no": f"{rng.randrange(10**17):017d}0",
                "complaint_text": "".join(rng.choice(alphabet) for _ in range(rng.randint(10, 40))),
            }
        )
    inputs = tmp_path / "cases.csv"
    pd.DataFrame(rows).to_csv(inputs, index=False)
    assert sum(len(v) for v in identifiers_in(inputs).values()) > 9000
    out = tmp_path / "out"
    out.mkdir()
    line = "<tr><td>结案率</td><td>0.4312</td><td>" + "报告正文" * 10 + "</td></tr>\n"
    (out / "report.html").write_text(line * (2_000_000 // len(line.encode())))
    leaked = rows[123]["complaint_text"]
    with (out / "report.html").open("a") as file:
        file.write(leaked)
    started = time.perf_counter()
    findings = scan_outputs(out, [inputs])
    elapsed = time.perf_counter() - started
    assert any(f.kind == "free_text" for f in findings)
    print(f"scan of 2 MB against 10,000 values: {elapsed:.2f} s")  # no assertion: machines differ


def test_reference_outputs_pass_and_a_leaked_phone_fails(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    for name in ("staffing.csv", "city.csv", "SYNTHETIC.md"):
        shutil.copy(REFERENCE_DATA_DIR / name, out / name)
    inputs = [REFERENCE_DATA_DIR / "cases.csv"]
    assert_no_identifiers(out, inputs)

    phone = pd.read_csv(inputs[0], dtype=str, keep_default_na=False)["complainant_phone"].iloc[17]
    with (out / "SYNTHETIC.md").open("a", encoding="utf-8") as file:
        file.write(f"\n联系电话：{phone}\n")
    with pytest.raises(PrivacyError) as error:
        assert_no_identifiers(out, inputs)
    assert "SYNTHETIC.md: phone" in str(error.value)
    assert phone not in str(error.value)


def test_identifiers_are_read_from_workbooks_and_chinese_headers(tmp_path):
    workbook = tmp_path / "export.xlsx"
    pd.DataFrame(
        {
            "案件编号": ["A1"],
            "投诉人姓名": ["欧阳某某"],
            "手机号": [13912345678],
            "投诉内容": ["公司拖欠三个月工资共九千元"],
        }
    ).to_excel(workbook, index=False)
    found = identifiers_in(workbook)
    assert found["name"] == {"欧阳某某"}
    assert found["phone"] == {"13912345678"}  # a number cell, read as the digits a CSV would hold
    assert found["free_text"] == {"公司拖欠三个月工资共九千元"}


def test_reference_build_carries_no_personal_field_of_any_input(reference_build):
    """Every reference input with personal columns (complainants, reporters, enterprise contacts, duty
    leaders, project managers) is read for them, and none reaches any output of the full build."""
    from jimo_eval.build.pipeline import _disclosure_inputs

    inputs = _disclosure_inputs(reference_build["params"])
    carrying = {key for key, path in inputs.items() if privacy.identifiers_in(path, key)}
    assert {"cases", "feedback", "inspections", "projects"} <= carrying
    assert privacy.scan_outputs(reference_build["out"], inputs) == []
    ledger = pd.read_csv(inputs["projects"], dtype=str)
    secrets = set(ledger["contact_phone"]) | set(ledger["remarks"])
    for output in reference_build["out"].rglob("*"):
        if output.is_file() and output.suffix in {".html", ".ipynb", ".json"}:
            text = output.read_text(encoding="utf-8")
            assert not [secret for secret in secrets if secret in text], output.name


def test_an_input_hash_in_the_provenance_is_no_phone_number(tmp_path):
    """Found by the messy-exports corpus: 11 digits inside an input's SHA-256 (or a fingerprint, a commit
    id) matched the phone pattern and stopped the build ('disclosure check failed')."""
    data = "案件编号,受理时间\nJM1179,2023-01-02\n".encode()  # found by trying JM1, JM2, …
    digest = hashlib.sha256(data).hexdigest()
    assert "16999351103" in digest  # 11 digits starting 1[3-9], between hex letters
    (tmp_path / "inputs").mkdir()
    (tmp_path / "inputs" / "cases.csv").write_bytes(data)
    out = tmp_path / "out"
    out.mkdir()
    provenance = {"provenance": {"inputs": {"cases": {"path": "cases.csv", "sha256": digest}}}}
    (out / "metrics.json").write_text(json.dumps(provenance), encoding="utf-8")
    assert privacy.scan_outputs(out, {"cases": tmp_path / "inputs" / "cases.csv"}) == []
    # A phone number written by a person is still found, also next to hex-looking text.
    (out / "report.html").write_text("联系 13912345678 abc", encoding="utf-8")
    assert [f.kind for f in privacy.scan_outputs(out, {})] == ["phone_pattern"]


# Issue #15, item 2: the scan sees what a reader sees.

PHONE_FORMS = [
    "139-1234-5678",
    "139 1234 5678",
    "139.1234.5678",
    "139 - 1234 - 5678",
    "1391234 5678",
    "139 12345678",
    "１３９１２３４５６７８",  # full-width digits
    "１３９－１２３４－５６７８",
    "139\u00a01234\u00a05678",  # no-break spaces, as HTML writes &nbsp;
    "+86 139 1234 5678",
    "+8613912345678",
    "(+86)139-1234-5678",
]


def formatted_id(body: str = "37028219900101123", groups=(6, 8, 4), separator: str = " ") -> str:
    number, parts, position = body + check_character(body), [], 0
    for size in groups:
        parts.append(number[position : position + size])
        position += size
    return separator.join(parts)


ID_FORMS = [
    formatted_id(),  # 370282 19900101 123x
    formatted_id(separator="-"),
    formatted_id(groups=(6, 4, 4, 4)),
    formatted_id(groups=(4, 4, 4, 4, 2)),
    formatted_id().translate(str.maketrans("0123456789", "０１２３４５６７８９")),
]


@pytest.mark.parametrize("written", PHONE_FORMS + ID_FORMS)
@pytest.mark.parametrize("context", ["<td>项目（联系人{}）</td>", "name: {}\n", '{{"name": "某工程{}"}}'])
def test_identifiers_are_found_in_any_formatting(out, written, context):
    """Shapes are matched after the digits are normalised (spaces, dashes, dots, full-width), so a
    phone or ID number written in a displayed text column (a project's name) cannot slip through."""
    (out / "report.html").write_text(context.format(written), encoding="utf-8")
    kinds = [f.kind for f in scan_outputs(out, [])]
    assert kinds == ["id_number_pattern" if written in ID_FORMS else "phone_pattern"], written
    with pytest.raises(PrivacyError) as error:
        assert_no_identifiers(out, [])
    assert written not in str(error.value)


@pytest.mark.parametrize("written", PHONE_FORMS + ID_FORMS)
def test_messages_mask_identifiers_in_any_formatting(written):
    from jimo_eval.core.identifiers import ascii_digits
    from jimo_eval.inputs.problems import shown

    for masked in (shown(f"见{written}"), privacy.scrub(f"person_id '{written}' not on the roster")):
        digits = "".join(char for char in ascii_digits(masked) if char.isdigit())
        assert "12345678" not in digits and "19900101" not in digits, masked


@pytest.mark.parametrize(
    "text",
    [
        "0.13912345678",  # a share with 11 decimals
        "139.12345678",  # an amount: one dot is a decimal point
        "1391234.5678",
        "13,912,345,678",  # thousands separators
        "13 912 345 678",
        "2023-10-01 13:45",
        "JM2023-000139 1234",
        formatted_id()[:-1] + ("0" if formatted_id()[-1] != "0" else "1"),  # wrong check character
        "110105 20231345 1234",  # no such birth date
        "<td>139</td><td>1234</td><td>5678</td>",  # three table cells
        "139  1234  5678",  # columns of a text table
        "139, 1234, 5678",
    ],
)
def test_report_numbers_are_no_identifiers(out, text):
    (out / "report.html").write_text(text, encoding="utf-8")
    assert scan_outputs(out, []) == []


def test_pattern_building_is_linear_for_a_very_long_value():
    """A 1,000,000-character complaint text took 120 s to compile into the search pattern."""
    rng = random.Random(2)
    alphabet = (
        "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能&<>'\""
    )
    value = "".join(rng.choice(alphabet) for _ in range(1_000_000))
    started = time.perf_counter()
    known = privacy._KnownValues({"free_text": {value, value[:30], "短短的八个字符"}})
    elapsed = time.perf_counter() - started
    assert elapsed < 1.0, f"{elapsed:.1f} s"
    text = "前文" + value + "后文"
    assert [(start, stop, kind) for start, stop, kind, _ in known.find(text)] == [
        (2, 2 + len(value), "free_text")
    ]
    # Only the start of the long value: the shorter value that it starts with is what is there.
    assert [(s, e) for s, e, _, _ in known.find("x" + value[:5000] + "y")] == [(1, 31)]
    assert list(known.find(value[1:5000])) == []


@pytest.mark.parametrize("made", ["c18325142582", "18325142582c", "ab13912345678", "f1391234567801"])
def test_short_digests_that_hold_a_mobile_number_are_machine_made(made):
    """Found by the property test below: a 12-character SHA-256 prefix, one hex letter and 11 digits."""
    assert list(identifiers.find(made)) == []
    assert list(identifiers.find(f"提交 {made} 。")) == []


@pytest.mark.parametrize(
    "written", ["Tel13912345678", "电话13912345678", "13912345678Tel", "Fax:13912345678"]
)
def test_a_number_written_after_or_before_a_word_is_still_found(written):
    assert [hit.digits for hit in identifiers.find(written)] == ["13912345678"]


# PROPERTY_EXAMPLES=2000 for a longer hunt (as in test_properties.py); the default stays fast.
EXAMPLES = int(os.environ.get("PROPERTY_EXAMPLES", "60")) * 5
MACHINE_MADE = st.one_of(
    st.binary(min_size=1, max_size=64).map(lambda b: hashlib.sha256(b).hexdigest()),
    st.binary(min_size=1, max_size=64).map(lambda b: hashlib.sha1(b).hexdigest()),  # commit ids
    st.binary(min_size=1, max_size=64).map(lambda b: hashlib.md5(b).hexdigest()),
    st.binary(min_size=1, max_size=64).map(lambda b: hashlib.sha256(b).hexdigest()[:12]),
    st.binary(min_size=12, max_size=300).map(lambda b: base64.b64encode(b).decode()),
    st.binary(min_size=12, max_size=300).map(lambda b: base64.urlsafe_b64encode(b).decode().rstrip("=")),
    st.binary(min_size=1, max_size=64).map(lambda b: base64.b64encode(hashlib.sha256(b).digest()).decode()),
    st.uuids().map(str),
    st.uuids().map(lambda u: u.hex),
)
CONTEXTS = st.sampled_from(
    ["{}", '"{}"', "sha256: {}\n", '<code style="x">{}</code>', "提交 {} 。", '{{"sha256": "{}"}}', "src={}"]
)


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    made=st.lists(MACHINE_MADE, min_size=1, max_size=4),
    context=CONTEXTS,
    glue=st.sampled_from([" ", "\n", ""]),
)
def test_machine_made_strings_never_look_like_identifiers(made, context, glue):
    """Digests, commit ids, base64 and UUIDs: wherever they stand, no pattern rule fires on them."""
    text = context.format(glue.join(made))
    assert list(identifiers.find(text)) == []
    assert list(privacy._pattern_hits(text)) == []


def test_digests_that_hold_phone_shaped_digits_are_no_identifiers():
    """Digests that do hold 11 digits starting 1[3-9] between letters (the old pattern fired on them)."""
    digests = (hashlib.sha256(str(n).encode()).hexdigest() for n in range(100_000))
    shaped = [d for d in digests if re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", d)][:20]
    assert len(shaped) == 20
    for digest in shaped:
        for text in (digest, digest.upper(), f"{digest[:40]} x", f"v{digest}", digest[:16]):
            assert list(identifiers.find(text)) == [], text


REPORT_NUMBERS = st.one_of(
    st.integers(0, 10**10 - 1).map(str),
    st.integers(0, 10**12).map(lambda n: f"{n:,}"),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12).map(repr),
    st.floats(min_value=0, max_value=1e9).map(lambda x: f"{x:.4f}"),
    st.floats(min_value=0, max_value=1).map(lambda x: f"{x:.1%}"),
    st.dates().map(lambda d: d.isoformat()),
)


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    numbers=st.lists(REPORT_NUMBERS, min_size=1, max_size=12),
    separator=st.sampled_from([", ", "</td><td>", "  ", "\n", " | ", "；"]),
)
def test_numbers_in_reports_are_no_identifiers(numbers, separator):
    """Counts, amounts, shares and dates, as tables and lists show them: never an identifier."""
    text = separator.join(numbers)
    assert list(identifiers.find(text)) == []


SEPARATORS = st.sampled_from(["", " ", "-", ".", "\u00a0", "－", " - ", "\u3000"])
GROUPINGS = {
    "phone": [(11,), (3, 4, 4), (3, 8), (7, 4)],
    "id": [(18,), (6, 8, 4), (6, 4, 4, 4), (4, 4, 4, 4, 2)],
}


@st.composite
def written_identifiers(draw):
    kind = draw(st.sampled_from(["phone", "id"]))
    if kind == "phone":
        number = f"1{draw(st.integers(3, 9))}{draw(st.integers(0, 10**9 - 1)):09d}"
    else:
        province = draw(st.sampled_from(["11", "37", "44", "65"]))
        born = draw(st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2020, 12, 31)))
        body = f"{province}{draw(st.integers(0, 9999)):04d}{born:%Y%m%d}{draw(st.integers(0, 999)):03d}"
        number = body + check_character(body)
    groups = draw(st.sampled_from(GROUPINGS[kind]))
    separator = draw(SEPARATORS)
    if separator.strip(" ") in (".",) and len(groups) < 3:
        separator = " "
    parts, position = [], 0
    for size in groups:
        parts.append(number[position : position + size])
        position += size
    written = (separator if len(groups) > 1 else "").join(parts)
    if draw(st.booleans()):
        written = written.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    return kind, number, written


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    identifier=written_identifiers(),
    before=st.sampled_from(["", "联系电话：", "项目（", "<td>", "name: ", "负责人 张三 "]),
    after=st.sampled_from(["", "）", "</td>", "。", "\n", " 等"]),
)
def test_any_formatting_of_an_identifier_is_found_and_masked(identifier, before, after):
    kind, number, written = identifier
    text = f"{before}{written}{after}"
    hits = list(identifiers.find(text))
    assert [(hit.kind, hit.digits.upper()) for hit in hits] == [
        ("phone" if kind == "phone" else "id_number", number.upper())
    ]
    for masked in (privacy.scrub(text), identifiers.mask_identifiers(text)):  # build and input messages
        shown = "".join(c for c in identifiers.ascii_digits(masked) if c.isdigit() or c in "Xx")
        assert number[3:] not in shown


def test_a_failed_notebook_is_kept_only_scrubbed(tmp_path, cases):
    """A failing notebook's executed copy is kept for debugging with every known value and every
    identifier shape masked, and is scanned again before it is kept."""
    source = tmp_path / "failed.ipynb"
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("check(roster)")
    cell.outputs = [
        nbformat.v4.new_output(
            "error", ename="ContractError", evalue=f"person_id {formatted_id()} 不在名单", traceback=[NAME]
        ),
        nbformat.v4.new_output("stream", name="stdout", text=f"联系人 {NAME} 139-1234-\n5678 {TEXT}\n"),
        nbformat.v4.new_output("display_data", data={"text/html": f"<td>{html.escape(TEXT)}</td>"}),
    ]
    nb.cells = [cell]
    nbformat.write(nb, source)
    kept = tmp_path / "kept" / "failed.ipynb"
    assert privacy.keep_scrubbed(source, kept, privacy.known_values([cases]))
    copy = kept.read_text(encoding="utf-8")
    assert nbformat.reads(copy, as_version=4).cells[0].source == "check(roster)"
    for secret in (NAME, TEXT, html.escape(TEXT), formatted_id(), "1234-5678", "1234-\\n5678"):
        assert secret not in copy, secret
    assert scan_outputs(kept.parent, [cases]) == []


@pytest.mark.parametrize(
    "published",
    [
        "<p>数据来源：https://evaluator:s3cr3t@intranet.example/cases.csv</p>",
        '{"data": {"cases": "https://files.example/cases.csv?token=s3cr3t"}}',
        "<a>report.xlsx?a=1&amp;password=s3cr3t</a>",
    ],
)
def test_a_credential_in_any_output_stops_publication(out, published):
    """Before, a password in a data path was printed in index.html, metrics.json and params.yaml."""
    (out / "report.html").write_text(published, encoding="utf-8")
    findings = scan_outputs(out, [])
    assert [f.kind for f in findings] == ["credential"]
    with pytest.raises(PrivacyError) as raised:
        assert_no_identifiers(out, [])
    assert "s3cr3t" not in str(raised.value)
    assert "s3cr3t" not in scrub(published)


@pytest.mark.parametrize(
    "code", ["df.sort_values(key=lambda s: s.str.len())", "https://***@host/x.csv", "mailto:a@b.example"]
)
def test_code_and_redacted_urls_are_no_credentials(out, code):
    (out / "report.ipynb").write_text(json.dumps({"cells": [{"source": code}]}), encoding="utf-8")
    assert scan_outputs(out, []) == []
