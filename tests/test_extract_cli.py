"""`longarm extract` as a user runs it: files, encodings, HTML, stdin, JSONL, bad input, a database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import RunCli, cli_json


def _one_line_error(result: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0], result.stderr


def test_extract_text_file_in_gbk_and_big5(tmp_path: Path, run_cli: RunCli) -> None:
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes("温州公安局已在温哥华、悉尼、巴黎、纽约等11个城市设立了20个联络点。".encode("gbk"))
    data = cli_json(run_cli, "extract", str(gbk))
    assert data["summary"]["countries"] == ["CA", "AU", "FR", "US"]
    assert {"what": "stations", "value": 20, "qualifier": "exact"} in data["summary"]["counts"]
    big5 = tmp_path / "big5.txt"
    big5.write_bytes("青田縣公安局於2018年6月在羅馬舉行「警僑服務站」揭牌儀式。".encode("big5"))
    data = cli_json(run_cli, "extract", "--pub-date", "2018-07-01", str(big5))
    assert data["summary"]["cities"] == [{"name": "Rome", "country": "IT"}]
    assert data["summary"]["jurisdictions"] == [{"name": "Qingtian", "name_zh": "青田县"}]
    assert data["summary"]["dates"] == ["2018-06"]
    text = run_cli("extract", str(big5), check=True).stdout
    assert "Rome (IT)" in text and "Qingtian" in text


def test_extract_html_page_and_stdin(tmp_path: Path, run_cli: RunCli) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<!DOCTYPE html><html><body><nav>Home | World</nav><article><h1>Stations</h1><p>The Fuzhou police "
        "overseas 110 service station in Dublin was ordered to close.</p><p>"
        + "Residents said they had never noticed the office. " * 10
        + "</p></article></body></html>",
        encoding="utf-8",
    )
    assert cli_json(run_cli, "extract", str(page))["summary"]["cities"] == [{"name": "Dublin", "country": "IE"}]
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "longarm", "extract", "--json", "-"],
        input="意大利威尼斯警侨驿站授牌成立".encode(),
        capture_output=True,
        env=env,
        timeout=60,
    )
    assert json.loads(result.stdout)["summary"]["countries"] == ["IT"]


def test_gbk_page_with_a_long_script_before_its_text(tmp_path: Path, run_cli: RunCli) -> None:
    # the <meta> declares GBK; the first 72 KB are ASCII script, so the bytes alone say nothing there
    script = "<script>var filler = '" + "x" * 72 * 1024 + "';</script>"
    text = "温州市公安局在意大利米兰设立警侨服务站，为侨胞提供服务。"
    page = tmp_path / "gbk.html"
    page.write_bytes(f'<html><head><meta charset="gbk">{script}</head><body><p>{text}</p></body></html>'.encode("gbk"))
    assert "no station claims found" not in run_cli("extract", str(page), check=True).stdout
    assert cli_json(run_cli, "extract", str(page))["summary"]["cities"] == [{"name": "Milan", "country": "IT"}]


def test_jsonl_dates_come_from_date_or_pub_date_else_the_option(tmp_path: Path, run_cli: RunCli) -> None:
    text = "今年2月，青田县在南非约翰内斯堡设立海外警侨驿站。"
    corpus = tmp_path / "dates.jsonl"
    rows = [{"id": "d", "text": text, "date": "2019-06-01"}, {"id": "p", "text": text, "pub_date": "2020-05-11"}]
    rows.append({"id": "none", "text": text})
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = run_cli("extract", "--jsonl", str(corpus), "--pub-date", "2021-01-01", check=True)
    dates = {r["id"]: r["summary"]["dates"] for r in map(json.loads, result.stdout.splitlines())}
    assert dates == {"d": ["2019-02"], "p": ["2020-02"], "none": ["2021-02"]}
    without = run_cli("extract", "--jsonl", str(corpus), check=True)
    assert [json.loads(line)["summary"]["dates"] for line in without.stdout.splitlines()][2] == []


def test_jsonl_gives_one_line_per_input_line_with_its_id(tmp_path: Path, run_cli: RunCli) -> None:
    corpus = tmp_path / "corpus.jsonl"
    lines = [
        json.dumps({"id": "a1", "text": "今年2月，青田县在南非约翰内斯堡设立海外警侨驿站。", "pub_date": "2020-05-11"}),
        json.dumps({"id": 7, "text": "Nothing to see here.", "url": "https://example.org/x"}),
        "",
        "{not json",
        json.dumps({"id": "no-text"}),
        json.dumps(["a", "list"]),
    ]
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("extract", "--jsonl", str(corpus), check=True)
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == len(lines)
    assert rows[0]["id"] == "a1" and rows[0]["summary"]["dates"] == ["2020-02"]
    assert rows[1]["id"] == 7 and rows[1]["claims"] == [] and rows[1]["url"] == "https://example.org/x"
    assert [r.get("error", "")[:9] for r in rows[2:]] == ["empty lin", "not JSON:", 'no "text"', "not a JSO"]


def test_known_and_new_against_the_database(bundled_db: Path, run_cli: RunCli, tmp_path: Path) -> None:
    text = tmp_path / "claims.txt"
    text.write_text("Fuzhou police run overseas police service stations in Toronto and in Lyon, France.\n")
    data = cli_json(run_cli, "--db", str(bundled_db), "extract", str(text))
    status = {(s["jurisdiction"], s["country"], s["city"]): s["status"] for s in data["stations"]}
    assert status == {("Fuzhou", "CA", "Toronto"): "known", ("Fuzhou", "FR", "Lyon"): "new"}
    assert "stations" not in cli_json(run_cli, "extract", str(text))


def test_bad_input_gets_a_clear_message_or_an_empty_result(tmp_path: Path, run_cli: RunCli) -> None:
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    _one_line_error(run_cli("extract", str(binary)), "binary data, not text")
    _one_line_error(run_cli("extract", str(tmp_path / "missing.txt")), "no such file")
    _one_line_error(run_cli("extract", str(tmp_path)), "is a folder")
    _one_line_error(run_cli("extract"), "give one input")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert cli_json(run_cli, "extract", str(empty))["claims"] == []
    invalid = tmp_path / "invalid.txt"
    invalid.write_bytes("温州警方在米兰设立海外联络点。".encode() + b"\xc3\x28\xa0\xa1\xff" * 10)
    assert cli_json(run_cli, "extract", str(invalid))["summary"]["cities"] == [{"name": "Milan", "country": "IT"}]
    malformed = tmp_path / "broken.html"
    malformed.write_bytes(b"<html><body><p>unclosed <div <<script>x</p></tr></html></body>" + b"<p>" * 1000)
    assert cli_json(run_cli, "extract", str(malformed))["claims"] == []


def test_a_200_mb_single_line_streams_in_bounded_memory(tmp_path: Path) -> None:
    block = ("lorem ipsum dolor sit amet " * 40_000)[: 1_000_000 - 90]
    block += " Wenzhou police opened an overseas police service station in Milan, Italy in 2016 "
    huge = tmp_path / "huge.txt"
    with huge.open("w", encoding="ascii") as handle:
        for _ in range(200):
            handle.write(block[:1_000_000])
    assert huge.stat().st_size >= 199_000_000
    # the child reports its own peak memory: the input is 200 MB, the process must stay far below it
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec, so a child of a
    # large pytest process would report the parent's size, not its own.
    code = (
        "import re, sys; from longarm.extract import extract_bytes; "
        "r = extract_bytes(open(sys.argv[1], 'rb')); "
        "hwm = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1); "
        "print(len(r.claims), r.summary.cities, hwm)"
    )
    result = subprocess.run([sys.executable, "-c", code, str(huge)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    claims, _, peak_kib = result.stdout.rsplit(" ", 2)[0].split(" ", 1)[0], None, int(result.stdout.split()[-1])
    assert int(claims) == 200
    assert "Milan" in result.stdout
    assert peak_kib < 250 * 1024, f"peak memory {peak_kib} KiB for a 200 MB line"


def test_an_invalid_pub_date_is_a_one_line_error(tmp_path: Path, run_cli: RunCli) -> None:
    source = tmp_path / "a.txt"
    source.write_text("今年2月，青田县在南非约翰内斯堡设立海外警侨驿站。", encoding="utf-8")
    for bad in ("2021-13-45", "foo", "2021-02-30"):
        _one_line_error(run_cli("extract", "--pub-date", bad, str(source)), "--pub-date")
        _one_line_error(run_cli("extract", "--jsonl", str(source), "--pub-date", bad), "--pub-date")
    for good, date in (("2020-05-11", "2020-02"), ("2020-05", "2020-02"), ("2020", "2020-02")):
        assert cli_json(run_cli, "extract", "--pub-date", good, str(source))["summary"]["dates"] == [date]


def test_utf32_file_with_a_byte_order_mark_is_read_like_utf16(tmp_path: Path, run_cli: RunCli) -> None:
    text = "青田县公安局在意大利米兰设立“警侨驿站”。The Fuzhou police overseas service station in Dublin closed."
    for codec in ("utf-32", "utf-16"):  # Python writes the byte-order mark for both (little-endian here)
        source = tmp_path / f"{codec}.txt"
        source.write_bytes(text.encode(codec))
        assert cli_json(run_cli, "extract", str(source))["summary"]["countries"] == ["IT", "IE"], codec
    big_endian = tmp_path / "utf-32-be.txt"
    big_endian.write_bytes(b"\x00\x00\xfe\xff" + text.encode("utf-32-be"))
    assert cli_json(run_cli, "extract", str(big_endian))["summary"]["countries"] == ["IT", "IE"]


def test_json_keeps_the_sentences_behind_each_value(tmp_path: Path, run_cli: RunCli) -> None:
    source = tmp_path / "a.txt"
    text = "Fuzhou police run overseas police service stations across Europe. One is in Frankfurt."
    source.write_text(text, encoding="utf-8")
    data = cli_json(run_cli, "extract", str(source))
    # the fields of earlier versions are all still there
    assert {"countries", "cities", "jurisdictions", "counts", "dates"} <= set(data["summary"])
    assert {"sentence", "start", "end", "countries", "cities", "terms"} <= set(data["claims"][0])
    reference = next(c for c in data["claims"] if c["basis"] == "reference")
    assert text[reference["start"] : reference["end"]] == "One is in Frankfurt."
    assert text[reference["anchor"]["start"] : reference["anchor"]["end"]].startswith("Fuzhou police run")
    frankfurt = next(e for e in data["summary"]["evidence"] if e["field"] == "cities")
    assert [text[s["start"] : s["end"]] for s in frankfurt["sentences"]] == [
        "Fuzhou police run overseas police service stations across Europe.",
        "One is in Frankfurt.",
    ]
