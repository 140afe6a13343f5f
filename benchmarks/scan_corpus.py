"""A synthetic news crawl for `longarm scan` tests and benchmarks: WARC.gz, WARC, JSONL, HTML files.

Deterministic from a seed. Most documents are filler news in English or
Chinese, written from made-up words with a Zipf-like frequency (so the text
compresses about as real text does); some carry everyday words that pass the
pre-filter without being a claim ("police station", 政务服务中心); some carry
a real claim: a passage of tests/extract_eval/dev.yaml. In HTML, claim
passages are sometimes split by inline tags, numeric character references or
&nbsp;, the markup that a pre-filter on raw HTML must see through.

WARC files follow the CC-NEWS layout: a warcinfo record, then response
records with HTTP payloads, one gzip member each; a few request records,
404 responses, binary payloads and GB18030 pages are mixed in.
"""

from __future__ import annotations

import json
import random
import uuid
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from longarm.extract.normalise import is_han

DEV_PASSAGES = Path(__file__).resolve().parent.parent / "tests" / "extract_eval" / "dev.yaml"


def _words(text: str) -> list[str]:
    return text.split()


# Common characters, without 站 点 心 处 驿: filler must not spell a station term by chance.
ZH_CHARACTERS = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学"
    "法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使些然前外天政四日那社义事平形相全表间样与"
    "关各重新线内数正反合斗路图把结第道此变条只没明解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文"
    "总次品式活设及管特件长求老头基资边流身级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取"
    "据收治决史才议改场目科院教集团报城市县乡村街镇河湖海江岸桥车船飞机票价格银行商店医院学校老师学生朋友家庭节日春夏秋冬"
)
# made-up words from syllables: a vocabulary as large as real text's, so pages compress about as real pages do
EN_SYLLABLES = _words(
    "ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo ga ge go gu ha he hi ho la le li lo lu ma me mi mo mu "
    "na ne ni no nu pa pe pi po ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo wa we wi ya yo za zo "
    "ar er ir or ur an en in on un al el il ol ent ion ing ment ness able ful ous ive ism ist"
)
EN_COMMON = _words(
    "the of and to in a is that for on with as was by he it at said from his an be has are have but were which "
    "not this they had been after their new who will also more one two over year people its would about government "
    "than first last city council minister company market police court report week month state country president"
)
NEAR_MISS_EN = (
    "Traffic was diverted near the central bus station on Monday.",
    "Officers at the local police station took a statement from the driver.",
    "The county opened a new veterans service center downtown.",
    "The weather station recorded the highest rainfall in a decade.",
    "Residents can reach the contact point for flood relief by phone.",
    "The space station crew completed a six-hour spacewalk.",
)
NEAR_MISS_ZH = (
    "市民可到区政务服务中心办理相关手续。",
    "小区门口新开了一家快递驿站，方便居民取件。",
    "志愿者在地铁站点为乘客提供指引服务。",
    "该镇卫生服务站为老人免费体检。",
    "气象工作站记录到今年最大降雨量。",
)


@dataclass(frozen=True)
class CorpusSpec:
    """What a generated corpus is made of."""

    claim_share: float = 0.02  # documents holding a dev.yaml claim passage
    near_miss_share: float = 0.10  # documents with everyday station words and no claim
    zh_share: float = 0.3
    paragraphs: tuple[int, int] = (4, 12)
    page_padding: tuple[int, int] = (20_000, 40_000)  # bytes of script/navigation around an article
    odd_share: float = 0.01  # request records, 404s, binary payloads, GB18030 pages (each)


TEST_SPEC = CorpusSpec(
    claim_share=0.25, near_miss_share=0.25, paragraphs=(2, 5), page_padding=(500, 3000), odd_share=0.04
)


@cache
def claim_passages() -> list[dict[str, Any]]:
    passages: list[dict[str, Any]] = yaml.safe_load(DEV_PASSAGES.read_text(encoding="utf-8"))
    return [p for p in passages if p.get("expected")]


class Writer:
    """Documents from one random stream."""

    def __init__(self, seed: int, spec: CorpusSpec) -> None:
        self.rng = random.Random(seed)
        self.spec = spec
        syllables = EN_SYLLABLES
        words = {"".join(self.rng.choice(syllables) for _ in range(self.rng.randint(1, 3))) for _ in range(6000)}
        self.en_words = EN_COMMON + sorted(words)
        self.en_weights = _zipf(len(self.en_words))
        zh = {
            "".join(self.rng.choice(ZH_CHARACTERS) for _ in range(self.rng.choice((1, 2, 2, 2, 3))))
            for _ in range(5000)
        }
        self.zh_words = sorted(zh)
        self.zh_weights = _zipf(len(self.zh_words))
        self.scripts = ["".join(self._script_line() for _ in range(self.rng.randint(20, 120))) for _ in range(50)]

    def _script_line(self) -> str:
        name = "".join(self.rng.choices("abcdefghijklmnopqrstuvwxyz", k=8))
        return f"var {name} = {{id: {self.rng.randint(0, 10**6)}, track: '{name[::-1]}', on: true}};\n"

    def sentence(self, lang: str) -> str:
        if lang == "zh":
            return (
                "".join(self.rng.choices(self.zh_words, cum_weights=self.zh_weights, k=self.rng.randint(8, 25))) + "。"
            )
        words = self.rng.choices(self.en_words, cum_weights=self.en_weights, k=self.rng.randint(8, 24))
        return " ".join(words).capitalize() + "."

    def paragraph(self, lang: str) -> str:
        return ("" if lang == "zh" else " ").join(self.sentence(lang) for _ in range(self.rng.randint(2, 6)))

    def article(self) -> tuple[str, str, list[str], bool]:
        """(lang, title, paragraphs, holds a claim passage)"""
        roll = self.rng.random()
        claim = roll < self.spec.claim_share
        passage = self.rng.choice(claim_passages()) if claim else None
        lang = passage["lang"] if passage else ("zh" if self.rng.random() < self.spec.zh_share else "en")
        paragraphs = [self.paragraph(lang) for _ in range(self.rng.randint(*self.spec.paragraphs))]
        if passage is not None:
            paragraphs.insert(self.rng.randrange(len(paragraphs) + 1), passage["text"])
        elif roll < self.spec.claim_share + self.spec.near_miss_share:
            paragraphs.insert(
                self.rng.randrange(len(paragraphs) + 1),
                self.rng.choice(NEAR_MISS_ZH if lang == "zh" else NEAR_MISS_EN),
            )
        return lang, self.sentence(lang)[:60], paragraphs, claim

    def marked_up(self, paragraph: str, lang: str) -> str:
        """A paragraph as HTML, sometimes split by markup the way real pages split words."""
        text = paragraph.replace("&", "&amp;").replace("<", "&lt;")
        roll = self.rng.random()
        if roll < 0.2 and len(text) > 6:
            cut = self.rng.randrange(1, len(text) - 4)
            return f"{text[:cut]}<b>{text[cut : cut + 4]}</b>{text[cut + 4 :]}"
        if roll < 0.3 and lang == "zh":
            at = self.rng.randrange(len(text))
            if is_han(text[at]):
                return f"{text[:at]}&#{ord(text[at])};{text[at + 1 :]}"
        if roll < 0.4 and lang == "en":
            return text.replace(" ", "&nbsp;", 3)
        return text

    def page(self, lang: str, title: str, paragraphs: list[str]) -> str:
        padding = self.rng.randint(*self.spec.page_padding)
        script = ""
        while len(script) < padding // 2:
            script += self.rng.choice(self.scripts)
        links = "".join(
            f'<li><a href="/section/{i}">{self.sentence(lang)[:20]}</a></li>' for i in range(padding // 400)
        )
        body = "".join(f"<p>{self.marked_up(p, lang)}</p>" for p in paragraphs)
        return (
            f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
            f"<script>{script}</script><style>body {{ margin: 0 }}</style></head><body>"
            f"<nav><ul>{links}</ul></nav><!-- ad slot --><article><h1>{title}</h1>{body}</article>"
            f"<footer><p>{self.sentence(lang)}</p></footer></body></html>"
        )

    def text(self, paragraphs: list[str]) -> str:
        return "\n\n".join(paragraphs)

    def uuid(self) -> str:
        return f"<urn:uuid:{uuid.UUID(int=self.rng.getrandbits(128))}>"

    def date(self) -> str:
        return f"2023-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}"


def _zipf(size: int) -> list[float]:
    total = 0.0
    cumulative = []
    for rank in range(1, size + 1):
        total += 1.0 / rank
        cumulative.append(total)
    return cumulative


def warc_record(headers: list[tuple[str, str]], block: bytes) -> bytes:
    head = "WARC/1.0\r\n" + "".join(f"{name}: {value}\r\n" for name, value in headers)
    return head.encode() + f"Content-Length: {len(block)}\r\n\r\n".encode() + block + b"\r\n\r\n"


def http_response(status: str, content_type: str, body: bytes) -> bytes:
    head = f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\nServer: nginx\r\n\r\n"
    return head.encode() + body


def warc_records(writer: Writer) -> Iterator[tuple[bytes, bool]]:
    """(record, holds a claim passage), endlessly, starting with a warcinfo record."""
    info = b"software: longarm scan_corpus\r\nformat: WARC File Format 1.0\r\n"
    yield warc_record([("WARC-Type", "warcinfo"), ("WARC-Record-ID", writer.uuid())], info), False
    number = 0
    while True:
        number += 1
        url = f"https://news{number % 97}.example/{writer.date()}/article-{number}.html"
        date = writer.date()
        common = [("WARC-Target-URI", url), ("WARC-Date", f"{date}T08:00:00Z")]
        odd = writer.rng.random() / writer.spec.odd_share if writer.spec.odd_share else 99.0
        lang, title, paragraphs, claim = writer.article()
        page = writer.page(lang, title, paragraphs)
        content_type, body, status = "text/html; charset=UTF-8", page.encode("utf-8"), "200 OK"
        if odd < 1:
            request = f"GET /article-{number}.html HTTP/1.1\r\nHost: news.example\r\n\r\n".encode()
            yield warc_record([("WARC-Type", "request"), ("WARC-Record-ID", writer.uuid()), *common], request), False
        elif odd < 2:
            status, claim = "404 Not Found", False
        elif odd < 3:
            content_type, body, claim = "image/jpeg", writer.rng.randbytes(3000), False
        elif odd < 4 and lang == "zh":
            content_type = "text/html; charset=gb18030"
            body = page.replace('charset="utf-8"', 'charset="gb18030"').encode("gb18030")
        headers = [
            ("WARC-Type", "response"),
            ("WARC-Record-ID", writer.uuid()),
            *common,
            ("Content-Type", "application/http; msgtype=response"),
        ]
        yield warc_record(headers, http_response(status, content_type, body)), claim


def gzip_member(data: bytes, level: int = 6) -> bytes:
    compressor = zlib.compressobj(level, zlib.DEFLATED, 31)
    return compressor.compress(data) + compressor.flush()


@dataclass
class Written:
    path: Path
    documents: int
    claims: int
    size: int


def write_warc(
    path: Path,
    *,
    seed: int,
    documents: int | None = None,
    target_bytes: int | None = None,
    compress: bool = True,
    spec: CorpusSpec = TEST_SPEC,
) -> Written:
    """A WARC (gzip per record when ``compress``) of ``documents`` records, or until ``target_bytes`` on disk."""
    writer = Writer(seed, spec)
    count = claims = size = 0
    with path.open("wb") as stream:
        for record, claim in warc_records(writer):
            data = gzip_member(record) if compress else record
            stream.write(data)
            size += len(data)
            count += 1
            claims += claim
            if (documents is not None and count > documents) or (target_bytes is not None and size >= target_bytes):
                break
    return Written(path, count, claims, size)


def write_jsonl(
    path: Path,
    *,
    seed: int,
    documents: int | None = None,
    target_bytes: int | None = None,
    spec: CorpusSpec = TEST_SPEC,
) -> Written:
    """JSONL of {"id", "url", "date", "text"} lines, ``documents`` of them or until ``target_bytes``."""
    writer = Writer(seed, spec)
    count = claims = size = 0
    with path.open("wb") as stream:
        while (documents is None or count < documents) and (target_bytes is None or size < target_bytes):
            lang, _title, paragraphs, claim = writer.article()
            record = {
                "id": f"{path.stem}-{count}",
                "url": f"https://news.example/{count}",
                "date": writer.date(),
                "text": writer.text(paragraphs),
            }
            if writer.rng.random() < 0.3:
                record["lang"] = lang
            line = (json.dumps(record, ensure_ascii=False) + "\n").encode()
            stream.write(line)
            size += len(line)
            count += 1
            claims += claim
    return Written(path, count, claims, size)


def write_html_folder(folder: Path, *, seed: int, documents: int, spec: CorpusSpec = TEST_SPEC) -> Written:
    """Pages (.html), plain texts (.txt), a binary file and a hidden file, in a folder and a subfolder."""
    writer = Writer(seed, spec)
    (folder / "more").mkdir(parents=True, exist_ok=True)
    claims = size = 0
    for number in range(documents):
        lang, title, paragraphs, claim = writer.article()
        where = folder / "more" if number % 3 == 0 else folder
        if number % 4 == 0:
            data = writer.text(paragraphs).encode("utf-8")
            name = f"doc-{number:04d}.txt"
        else:
            data = writer.page(lang, title, paragraphs).encode("utf-8")
            name = f"page-{number:04d}.html"
        (where / name).write_bytes(data)
        size += len(data)
        claims += claim
    (folder / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (folder / ".hidden.html").write_text("<p>警侨驿站</p>", encoding="utf-8")
    return Written(folder, documents + 1, claims, size)
