"""The disclosure scan: identifiers from the inputs, or shaped like phones/ID numbers, fail a build."""

import hashlib
import html
import json
import random
import shutil
import time
from pathlib import Path

import markupsafe
import nbformat
import pandas as pd
import pytest

from jimo_eval import privacy
from jimo_eval.inputs import PERSONAL_COLUMNS
from jimo_eval.paths import REFERENCE_DATA_DIR
from jimo_eval.privacy import (
    Finding,
    PrivacyError,
    assert_no_identifiers,
    identifiers_in,
    scan_outputs,
    valid_id_number,
)

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
    from jimo_eval.build import _disclosure_inputs

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
