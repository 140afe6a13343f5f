"""Data flows one way across capabilities: texts -> extract/scan -> review queue."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.conftest import RunCli

DOCUMENTS = [
    {
        "id": "qingtian-2020",
        "text": '青田县公安局2020年工作总结：在全球15个国家21座城市设立"警侨驿站"海外服务中心。',
        "url": "http://example.org/qingtian",
        "date": "2021-02-09",
    },
    {
        "id": "weather",
        "text": "The weather in Rome was sunny today.",
        "url": "http://example.org/w",
        "date": "2022-01-01",
    },
    {
        "id": "budapest",
        "text": "福州市公安局在匈牙利布达佩斯设立海外警侨服务站，2022年5月正式启用。",
        "url": "http://example.org/budapest",
        "date": "2022-06-01",
    },
]


def test_scan_and_extract_output_load_into_the_review_queue(bundled_db: Path, tmp_path: Path, run_cli: RunCli) -> None:
    db = tmp_path / "longarm.db"
    shutil.copy(bundled_db, db)
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in DOCUMENTS), encoding="utf-8")

    candidates = tmp_path / "candidates.jsonl"
    run_cli("--db", str(db), "scan", str(corpus), "--out", str(candidates), "--in-process", check=True)
    lines = [json.loads(line) for line in candidates.read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == ["qingtian-2020", "budapest"], "the negative text yields nothing"
    assert "HU" in lines[1]["summary"]["countries"]

    queued = json.loads(run_cli("--db", str(db), "review", "import", str(candidates), "--json", check=True).stdout)
    assert queued["documents"] == 2 and queued["candidates"] >= 2
    again = json.loads(run_cli("--db", str(db), "review", "import", str(candidates), "--json", check=True).stdout)
    assert again["candidates"] == 0, "importing the same candidates twice adds nothing"

    extracted = run_cli("extract", "--jsonl", str(corpus), "--json", check=True).stdout
    from_extract = tmp_path / "extract.jsonl"
    from_extract.write_text(extracted, encoding="utf-8")
    result = json.loads(run_cli("--db", str(db), "review", "import", str(from_extract), "--json", check=True).stdout)
    assert result["skipped"] == []
