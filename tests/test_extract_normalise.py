"""The t2s step of the matching form is skipped only where OpenCC would change nothing.

``normalise.to_simplified`` returns a text without calling OpenCC where it holds no character that t2s may
change (``_t2s_may_change``): every character its character tables convert, and the characters of the few
phrases it converts that hold none of those (T2S_PHRASE_CHARS). Here the installed OpenCC's own dictionaries
are read back (with the ``opencc_dict`` tool its wheel ships) and every entry that converts anything is
checked to hold such a character; and on every evaluation sentence and on the phrases that need it, the
result is the one OpenCC gives.
"""

from __future__ import annotations

import json
import re
import subprocess
from importlib.metadata import version
from pathlib import Path

import opencc
import pytest

from longarm.extract.normalise import T2S_CHECKED_VERSION, T2S_PHRASE_CHARS, _converter, _t2s_may_change, to_simplified
from longarm.extract.scoring import load_passages

EVAL = Path(__file__).parent / "extract_eval"
OPENCC = Path(opencc.__file__).parent / "clib"


def _direct(text: str) -> str:
    """to_simplified as it was written before the skip: OpenCC on the whole text, then character by character
    where the length changed."""
    converted = str(_converter().convert(text))
    if len(converted) == len(text):
        return converted
    singles = [str(_converter().convert(c)) for c in text]
    return "".join(new if len(new) == 1 else old for old, new in zip(text, singles, strict=True))


def _dictionary(name: str, folder: Path) -> dict[str, str]:
    """An OpenCC dictionary as text (key -> first value), written by opencc_dict."""
    out = folder / f"{name}.txt"
    source = OPENCC / "share" / "opencc" / f"{name}.ocd2"
    tool = OPENCC / "bin" / "opencc_dict"
    subprocess.run([tool, "-i", source, "-o", out, "-f", "ocd2", "-t", "text"], check=True, capture_output=True)
    entries = {}
    for line in out.read_text("utf-8").splitlines():
        key, values = line.split("\t")
        entries[key] = values.split(" ")[0]
    return entries


@pytest.mark.skipif(
    not (OPENCC / "bin" / "opencc_dict").exists() or version("opencc") != T2S_CHECKED_VERSION,
    reason="needs the opencc_dict tool of the OpenCC version the list was read from",
)
def test_every_entry_t2s_converts_holds_a_character_that_stops_the_skip(tmp_path: Path) -> None:
    config = json.loads((OPENCC / "share" / "opencc" / "t2s.json").read_text("utf-8"))
    files = [config["normalization"][0]["dict"]["file"]]
    files += [d["file"] for step in config["conversion_chain"] for d in step["dict"]["dicts"]]
    names = sorted(f.removesuffix(".ocd2") for f in files)
    assert names == ["CJK_Compatibility_Ideographs", "TSCharacters", "TSCharactersExt", "TSPhrases"]
    may_change = _t2s_may_change()
    assert may_change is not None
    converting = 0
    for name in names:
        for key, value in _dictionary(name, tmp_path).items():
            if value != key:
                converting += 1
                assert may_change.search(key), (name, key, value)
    assert converting > 5000
    # and the list holds no character it does not need
    characters = {k for name in names if name != "TSPhrases" for k, v in _dictionary(name, tmp_path).items() if v != k}
    needed = set()
    for key, value in _dictionary("TSPhrases", tmp_path).items():
        if value != key and not characters.intersection(key):
            needed |= {a for a, b in zip(key, value, strict=True) if a != b} if len(key) == len(value) else set(key)
    assert needed == set(T2S_PHRASE_CHARS)


def test_the_matching_form_is_what_opencc_gives() -> None:
    texts = [
        sentence
        for path in sorted(EVAL.glob("*.yaml"))
        for passage in load_passages(path)
        if "text" in passage  # second_reading.yaml holds labels only
        for sentence in re.split(r"(?<=[。！？；])", passage["text"])
        if re.search("[\u3400-\u9fff]", sentence)
    ]
    # phrases that t2s changes though every character of them is simplified (打坏 -> 打坯), in sentences
    texts += [f"他说{c}了，{c}字" for c in T2S_PHRASE_CHARS]
    texts += ["他打坏了门。", "请回覆。", "深沈不露", "英哩", "衹得", "警僑驛站", "这是简体字。", "\U00020000字"]
    assert len(texts) > 500
    skipped = 0
    may_change = _t2s_may_change()
    assert may_change is not None
    for text in texts:
        assert to_simplified(text) == _direct(text), text
        skipped += may_change.search(text) is None
    assert skipped > 100  # the skip is taken
    assert to_simplified("他打坏了门。") == "他打坯了门。"  # OpenCC's own reading, kept
