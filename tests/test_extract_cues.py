"""The speed-ups of `longarm extract` leave its output as it was.

- cues (longarm.extract.cues): a pattern is skipped where none of its anchors
  is; on every sentence of the evaluation sets no cue matches without one,
  and the extractor's output is the same with every cue run everywhere;
- alternations grouped by first character match as the plain alternation;
- sentence boundaries, found by the boundary expression written for speed
  (every branch beginning with one literal character), are those of the
  expression as first written;
- a window read from a block's list of sentences is the window found
  sentence by sentence around its term sentence.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import pytest

from longarm.extract import cues, dates, extract_document, memo, numbers, rules, terms
from longarm.extract.cues import EVERYWHERE, Cue, alternation, alternatives, anchors_in, case_folded, derived_anchors
from longarm.extract.document import _LocalSentences, _strip, _window
from longarm.extract.normalise import HAN_RANGE, lower_same_length, matching_form
from longarm.extract.scoring import load_passages
from longarm.extract.sentences import _NOT_ABBREVIATION, BOUNDARY, SentenceIndex, _boundaries, _is_boundary

EVAL = Path(__file__).parent / "extract_eval"


def _passages() -> list[dict[str, Any]]:
    # second_reading.yaml holds labels only, no passages
    return [p for path in sorted(EVAL.glob("*.yaml")) for p in load_passages(path) if "text" in p]


def _sentences() -> list[str]:
    return [s for p in _passages() for s in re.split(r"(?<=[。！？.!?；;])\s*", p["text"]) if s.strip()]


def _cues() -> dict[str, Cue]:
    """Every cue the extractor declares, by module and name."""
    found: dict[str, Cue] = {}
    for module in (rules, dates, numbers, terms):
        for name, value in vars(module).items():
            if isinstance(value, Cue):
                found[f"{module.__name__}.{name}"] = value
            elif isinstance(value, tuple):
                for index, entry in enumerate(value):
                    if isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[1], Cue):
                        found[f"{module.__name__}.{name}[{index}]"] = entry[1]
    return found


def test_the_extractor_declares_cues() -> None:
    cues = _cues()
    assert len(cues) > 30
    assert all(cue.anchors for cue in cues.values())  # every one of today's cues has anchors


def test_no_cue_matches_a_sentence_without_its_anchors() -> None:
    """Where anchors_in says a cue cannot match, it matches nowhere in the sentence: not in the sentence,
    not in any part that starts or ends at a word's edge (the windows the rules search)."""
    cues = _cues()
    checked = 0
    for sentence in _sentences():
        text = matching_form(sentence)
        low = lower_same_length(text)
        anchors = anchors_in(low)
        edges = sorted({0, len(text), *(m.start() for m in re.finditer(r"\b|(?<=[^\w\s])|(?=[^\w\s])", text))})
        for name, cue in cues.items():
            if cue.possible(anchors):
                continue
            for form in (text, low, case_folded(low)):
                for edge in edges:
                    assert cue.pattern.search(form[:edge]) is None, (name, form[:edge])
                    assert cue.pattern.search(form[edge:]) is None, (name, form[edge:])
            checked += 1
    assert checked > 10_000


def test_output_is_the_same_with_every_cue_run_everywhere(monkeypatch: pytest.MonkeyPatch) -> None:
    """The evaluation passages, and documents made of their sentences mixed (each sentence in new
    company), read with cues skipped where their anchors are missing and with every cue run."""
    rng = random.Random(5)
    sentences = _sentences()
    documents = [(p["text"], str(p["pub_date"]) if p.get("pub_date") else None) for p in _passages()]
    documents += [(" ".join(rng.sample(sentences, rng.randint(2, 8))), "2023-03") for _ in range(300)]
    monkeypatch.setattr(memo, "MEMO_SIZE", 0)

    def read_all() -> list[dict[str, Any]]:
        memo._memo.clear()
        return [extract_document(text, pub).as_dict() for text, pub in documents]

    gated = read_all()
    monkeypatch.setattr(rules, "anchors_in", lambda low: EVERYWHERE)
    assert read_all() == gated
    assert sum(bool(result["claims"]) for result in gated) > 300


def test_cue_anchors_are_lower_case() -> None:
    declared = dict(Cue.registered)
    with pytest.raises(ValueError, match="lower case"):
        Cue(r"Police", anchors=("Police",))
    assert Cue.registered == declared  # a refused cue registers nothing


def test_grouped_alternation_matches_as_the_plain_one() -> None:
    rng = random.Random(3)
    for _ in range(300):
        words = ["".join(rng.choice("abc -") for _ in range(rng.randint(1, 5))) for _ in range(rng.randint(1, 12))]
        words = [w for w in dict.fromkeys(words) if w.strip()]
        rng.shuffle(words)
        plain = re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b(x)?")
        grouped = re.compile(r"\b(?:" + alternation(words) + r")\b(x)?")
        for _ in range(20):
            text = "".join(rng.choice("abc -x.") for _ in range(rng.randint(0, 40)))
            assert [m.span() for m in grouped.finditer(text)] == [m.span() for m in plain.finditer(text)], words


# the boundary expression as first written: what sentences.BOUNDARY, rewritten for speed, must match
BOUNDARY_AS_WRITTEN = re.compile(
    r"[。！？；!?]+[”’」』）)\"']*"
    rf"|\.(?<![A-Z]\.){_NOT_ABBREVIATION}[”’\"')]*(?=\s+(?![a-z])\S|[{HAN_RANGE}])"
    r"|\r?\n[ \t]*\r?\n"
    r"|\r?\n(?![ \t]*[a-z(])"
)


def test_sentence_boundaries_are_those_of_the_boundary_expression() -> None:
    rng = random.Random(7)
    texts = [p["text"] for p in _passages()]
    texts += [
        "".join(
            rng.choice(["。", "！", "?", ". ", ".\n", "\n", "\r\n", " \n\n", "Mr. ", "A", "a", "中", "”", "\t"])
            for _ in range(60)
        )
        for _ in range(300)
    ]
    for text in texts:
        for start, end in [(0, len(text))] + [tuple(sorted(rng.sample(range(len(text) + 1), 2))) for _ in range(5)]:
            assert [m.span() for m in BOUNDARY.finditer(text, start, end)] == [
                m.span() for m in BOUNDARY_AS_WRITTEN.finditer(text, start, end)
            ], (text, start, end)
            for position in range(start, end):
                found, written = BOUNDARY.match(text, position, end), BOUNDARY_AS_WRITTEN.match(text, position, end)
                assert (found and found.span()) == (written and written.span()), (text, position)
            expected = [
                m.end()
                for m in BOUNDARY_AS_WRITTEN.finditer(text, start, end)
                if text[m.start()] not in "\r\n" or _is_boundary(text, m)
            ]
            assert _boundaries(text, start, end) == expected, (text, start, end)


class _OneByOne(_LocalSentences):
    """A block's sentences as its SentenceIndex finds them, one at a time (``around``, ``end_of``): not a
    SentenceIndex, so ``_window`` walks them sentence by sentence."""

    def __init__(self, index: SentenceIndex) -> None:
        super().__init__(index.text)
        self.index = index

    def around(self, position: int) -> tuple[int, int]:
        return self.index.around(position)

    def end_of(self, start: int) -> int:
        return self.index.end_of(start)


def test_a_window_from_the_list_of_sentences_is_the_window_found_sentence_by_sentence() -> None:
    rng = random.Random(11)
    pieces = ["。", "\n\n", "\n", " ", "\t\n \n", "\u3000", "中文", "Abc", ". ", "Mr. ", "！”", "\r\n", "a" * 400]
    texts = ["\n\n".join(p["text"] for p in _passages())]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 30))) for _ in range(2000)]
    for text in texts:
        index = SentenceIndex(text)
        for _ in range(300 if text is texts[0] else 3):
            start, end = _strip(text, index.around(rng.randrange(len(text))))
            for before, after in ((2, 3), (1, 0), (4, 5)):
                assert _window(text, index, start, end, before, after) == _window(
                    text, _OneByOne(index), start, end, before, after
                ), (text, start, end)


def _patterns() -> dict[str, re.Pattern[str]]:
    """Every compiled expression the extractor declares (not the cues), by module and name."""
    found: dict[str, re.Pattern[str]] = {}
    for module in (rules, dates, numbers, terms):
        for name, value in vars(module).items():
            entries = value if isinstance(value, tuple) else (value,)
            for index, entry in enumerate(entries):
                pattern = entry[1] if isinstance(entry, tuple) and len(entry) == 2 else entry
                if isinstance(pattern, re.Pattern) and isinstance(pattern.pattern, str):
                    found[f"{module.__name__}.{name}[{index}]"] = pattern
    return found


def test_anchors_read_from_an_expression_are_in_every_match() -> None:
    """derived_anchors on every expression of the extractor: every match, in every evaluation sentence (as
    written, in matching form, lower-cased), holds one of them."""
    sentences = _sentences()
    forms = [form for s in sentences for form in {s, s.lower(), lower_same_length(matching_form(s))}]
    derived = 0
    for name, pattern in _patterns().items():
        if pattern.flags & ~re.UNICODE:
            continue
        anchors = derived_anchors(pattern.pattern)
        if anchors is None:
            continue
        derived += 1
        for form in forms:
            for match in pattern.finditer(form):
                assert any(anchor in match.group() for anchor in anchors), (name, anchors, match.group())
    assert derived > 40


@pytest.mark.parametrize(
    ("pattern", "anchors"),
    [
        (r"\b(?:such|these)\s+stations?", ("station",)),  # the longest required string wins
        (r"\baddresses\b", ("addresses",)),
        (r"\b\d+ of (?:them|those)\b", (" of them", " of those")),
        (r"\bhand(?:ed|s)?\s*over|donat\w+", ("donat", "over")),
        (r"(?:in|at)\s+(?:\d+|several)", ("at", "in")),
        (r"\d+\s*[个座]", ("个", "座")),
        (r"x?", None),  # may match nothing
        (r"\w+\s\d", None),  # classes: too many characters to name
        (r"Police", None),  # not lower case: it runs everywhere
        (r"(?i)police", None),
        (r"(?:a|b)(?:c|d)(?:e|f)", ("ace", "acf", "ade", "adf", "bce", "bcf", "bde", "bdf")),
        (r"(?<=x)police(?=y)", ("police",)),
    ],
)
def test_anchors_read_from_an_expression(pattern: str, anchors: tuple[str, ...] | None) -> None:
    assert derived_anchors(pattern) == anchors


def test_alternatives_of_an_expression() -> None:
    for pattern, parts in [
        (r"a|b(c|d)|[|]|\||e", ["a", "b(c|d)", "[|]", r"\|", "e"]),
        (r"[]|]x|[^]|]|(?:[(]|y)", ["[]|]x", "[^]|]", "(?:[(]|y)"]),
        (r"^\s*(?:it|they)\b", [r"^\s*(?:it|they)\b"]),
    ]:
        assert alternatives(pattern) == parts
        assert "|".join(parts) == pattern


def test_an_expression_tried_alternative_by_alternative_matches_where_it_does() -> None:
    """REFERENCE_EN, tried alternative by alternative where their anchors are, on every evaluation sentence and
    on texts made of the words its alternatives need; and every alternative's match holds one of its anchors."""
    alternatives = rules.reference_en_alternatives()
    assert all(alternatives.anchors)  # each alternative of REFERENCE_EN is tried only where its words are
    assert "|".join(p.pattern for p in alternatives.patterns) == rules.REFERENCE_EN.pattern
    rng = random.Random(13)
    words = sorted({w for anchors in alternatives.anchors for a in anchors or () for w in a.split()})
    words += ["police", "stations", "two", "12", "in", "at", "the", "they", "were", "opened", ".", ",", "located"]
    texts = [s.lower() for s in _sentences()]
    texts += [" ".join(rng.choice(words) for _ in range(rng.randint(1, 12))) for _ in range(3000)]
    matched = 0
    for text in texts:
        found = rules.REFERENCE_EN.search(text) is not None
        assert alternatives.search(text) == found, text
        matched += found
        for pattern, anchors in zip(alternatives.patterns, alternatives.anchors, strict=True):
            for match in pattern.finditer(text):
                assert any(anchor in match.group() for anchor in anchors or ("",)), (pattern.pattern, text)
    assert matched > 300


def test_english_numbers_are_those_of_the_number_expression() -> None:
    """numbers.english_numbers tries NUMBER_EN only where its anchors begin (and two characters before
    "hundred" and "dozen"): the same matches as NUMBER_EN.finditer over the whole sentence."""
    anchors_of_numbers = numbers.NUMBER_EN.anchors
    assert anchors_of_numbers is not None
    assert all(
        word.replace("-", " ").split(" ")[0] in anchors_of_numbers
        or (word.startswith("a ") and word[2:] in anchors_of_numbers)
        for word in numbers.NUMBER_EN_WORDS
    )  # every number word begins with an anchor, or with "a " before one
    rng = random.Random(17)
    pieces = [*numbers.NUMBER_EN_WORDS, "1,200", "12", "2016", "a", "an", " ", "-", "+", "-plus", ",", "x", "中", "İ"]
    texts = [lower_same_length(matching_form(s)) for s in _sentences()]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(5000)]
    texts += [" ".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(5000)]
    found = 0
    for low in texts:
        anchors = anchors_in(low)
        expected = [(m.span(), m.groups()) for m in numbers.NUMBER_EN.finditer(low, anchors)]
        assert [(m.span(), m.groups()) for m in numbers.english_numbers(low, anchors)] == expected, low
        assert [(m.span(), m.groups()) for m in numbers.english_numbers(low, EVERYWHERE)] == expected, low
        found += len(expected)
    assert found > 10_000


def test_without_the_parse_every_alternative_is_tried(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a Python whose re has no _parser module, no anchors are read: the alternatives run everywhere."""
    monkeypatch.setattr(cues, "sre", None)
    assert derived_anchors(r"\baddresses\b") is None
    alternatives = cues.AnchoredAlternatives(rules.REFERENCE_EN)
    assert not any(alternatives.anchors)
    for text in [s.lower() for s in _sentences()][:2000]:
        assert alternatives.search(text) == (rules.REFERENCE_EN.search(text) is not None)
