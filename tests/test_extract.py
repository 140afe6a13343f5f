"""The extraction library: numbers, dates, normalisation, spans, hosts versus bystanders."""

from __future__ import annotations

import codecs
import io
import random

import ahocorasick_rs
import pytest

from longarm.extract import (
    NotText,
    extract_bytes,
    extract_document,
    iter_claims,
    might_contain_claim,
)
from longarm.extract import document as document_module
from longarm.extract.dates import find_dates
from longarm.extract.matcher import fold, prefilter, prefilter_terms
from longarm.extract.normalise import matching_form
from longarm.extract.numbers import parse_number
from longarm.extract.sentences import sentence_around
from longarm.geo.gazetteer import names
from longarm.textdecode import choose_encoding, decode_document, decoded_chunks, head_length, is_html


def summary(text: str, pub_date: str | None = None) -> dict[str, object]:
    return extract_document(text, pub_date).summary.as_dict()


@pytest.mark.parametrize(
    ("written", "value"),
    [("21", 21), ("1,200", 1200), ("十一", 11), ("二十一", 21), ("一百", 100), ("百", 100), ("twenty", 20), ("两", 2)],
)
def test_numbers(written: str, value: int) -> None:
    assert parse_number(written) == value


@pytest.mark.parametrize(
    ("text", "what", "value", "qualifier"),
    [
        ("青田已在１５个国家设立警侨驿站。", "countries", 15, "exact"),
        ("在全球一百多个城市设立海外警侨服务中心。", "cities", 100, "more_than"),
        ("设立警侨联络站逾百个国家。", "countries", 100, "more_than"),
        ("已在20多个国家设立海外联络站。", "countries", 20, "more_than"),
        ("在十余个国家设立海外110服务站。", "countries", 10, "more_than"),
        ("至少在8个国家设立了海外警务服务站。", "countries", 8, "at_least"),
        ("Police opened at least 48 additional overseas police service stations.", "stations", 48, "at_least"),
        ("It runs more than 30 overseas police stations abroad.", "stations", 30, "more_than"),
        ("The bureau set up twenty-one overseas police service stations.", "stations", 21, "exact"),
    ],
)
def test_counts_and_qualifiers(text: str, what: str, value: int, qualifier: str) -> None:
    assert {"what": what, "value": value, "qualifier": qualifier} in summary(text)["counts"]  # type: ignore[operator]


@pytest.mark.parametrize(
    "text",
    [
        "该服务站成立以来共接听来自意大利的求助电话300余次，协助处理案件56起。",
        "The overseas police service station in Prato has 12 staff and took 400 calls from 30 people.",
        "青田县公安局海外警侨驿站聘请侨领135名担任联络员。",
    ],
)
def test_calls_cases_staff_and_people_are_not_station_counts(text: str) -> None:
    assert summary(text)["counts"] == []


def test_relative_dates_use_the_publication_date() -> None:
    assert summary("今年2月，青田县在南非约翰内斯堡设立海外警侨驿站。", "2020-05-11")["dates"] == ["2020-02"]
    assert summary("今年2月，青田县在南非约翰内斯堡设立海外警侨驿站。")["dates"] == []
    assert [d.value for d in find_dates("2016年5至8月间设立", None)] == ["2016-05"]
    assert [d.value for d in find_dates("opened in May 2016 and since 2018", None)] == ["2016-05", "2018"]


def test_this_year_and_last_year_in_english_need_no_digit_in_the_sentence() -> None:
    assert [d.value for d in find_dates("It opened in May this year.", 2021)] == ["2021-05"]
    assert [d.value for d in find_dates("It opened in March last year.", 2021)] == ["2020-03"]
    text = "Qingtian police opened an overseas police service station in Milan in May this year."
    assert summary(text, "2021-08-01")["dates"] == ["2021-05"]
    assert summary(text)["dates"] == []


def test_traditional_text_matches_and_spans_point_into_the_original() -> None:
    text = "據報導，溫州市公安局在義大利米蘭設立「警僑之家海外聯絡點」。"
    assert len(matching_form(text)) == len(text)
    result = extract_document(text)
    assert result.summary.countries == ["IT"]
    assert result.summary.cities == [{"name": "Milan", "country": "IT"}]
    claim = result.claims[0]
    for entry in (*claim.countries, *claim.cities, *claim.jurisdictions, *claim.terms):
        assert text[entry["start"] : entry["end"]] == entry["text"]
    assert claim.cities[0]["text"] == "米蘭"


def test_spans_are_document_offsets_across_sentences_and_chunks() -> None:
    text = "First, an unrelated sentence about weather. " * 50 + "温州公安局在意大利普拉托设立警侨之家海外联络点。"
    chunks = [text[i : i + 97] for i in range(0, len(text), 97)]
    claims = list(iter_claims(chunks))
    assert len(claims) == 1
    city = claims[0].cities[0]
    assert text[city["start"] : city["end"]] == "普拉托"


def test_hosts_not_bystanders() -> None:
    calls = summary("The Fuzhou overseas police service station in Toronto received calls from Mexico and Peru.")
    assert calls["countries"] == ["CA"]
    press = summary("At a press conference in Madrid, the NGO said China runs overseas police stations in Chile.")
    assert press["countries"] == ["CL"]
    investigating = summary(
        "Police in Ireland and the Netherlands have opened investigations into the Chinese police station in Prague."
    )
    assert investigating["countries"] == ["CZ"]
    zh = summary("西班牙、荷兰等国已对中国在塞尔维亚设立“海外警务服务站”一事展开调查。")
    assert zh["countries"] == ["RS"]


def test_districts_resolve_to_their_city_and_regions_to_their_country() -> None:
    result = summary("Another alleged Chinese police station operated in Scarborough, and one in Sicily.")
    assert result["cities"] == [{"name": "Toronto", "country": "CA"}]
    assert result["countries"] == ["CA", "IT"]


def test_ambiguous_names_resolve_by_nearby_country_then_population() -> None:
    assert summary("温州警方在加拿大伦敦设立海外联络点。")["cities"] == [{"name": "London", "country": "CA"}]
    assert summary("温州警方在伦敦设立海外联络点。")["cities"] == [{"name": "London", "country": "GB"}]
    assert summary("温州警方在温哥华设立海外联络点。")["cities"] == [{"name": "Vancouver", "country": "CA"}]
    assert summary("Qingtian police opened a station in Richmond, Canada.")["cities"] == [
        {"name": "Richmond", "country": "CA"}
    ]


def test_an_agency_that_opened_a_facility_abroad_names_a_station() -> None:
    opened = summary(
        "The Oslo center was opened by the police force in the Lishui prefecture of China's Zhejiang province."
    )
    assert opened["countries"] == ["NO"]
    assert opened["jurisdictions"] == [{"name": "Lishui", "name_zh": "丽水市"}]
    # an agency without a facility opened is no station sentence
    assert summary("The Lishui police force arrested three suspects in Oslo, China's Zhejiang news said.") == summary(
        ""
    )


def test_signs_references_and_bystanders_of_round_eight() -> None:
    quoted = summary("Police closed what were “previously known as police stations” in Montreal and Calgary.")
    assert quoted["countries"] == ["CA"]
    counts = extract_document("The NGO found 48 more Chinese police stations, bringing the total number to 102.")
    assert {(c["what"], c["value"]) for c in counts.summary.counts} == {("stations", 48), ("stations", 102)}
    surname = summary(
        "One Chinese police station is in Manhattan. Senators asked Attorney General Merrick Garland why it is "
        "permitted to operate in New York."
    )
    assert surname["cities"] == [{"name": "New York", "country": "US"}]
    parent = summary("The Chinese police station in Perth works with the Rugao police force in the city of Nantong.")
    assert parent["jurisdictions"] == [{"name": "Rugao", "name_zh": "如皋市"}]
    visitor = summary("南通市公安局代表团参观了设在约翰内斯堡的华人警民中心。")
    assert visitor["countries"] == ["ZA"] and visitor["jurisdictions"] == []


@pytest.mark.parametrize(
    "text",
    [
        "中国驻米兰总领事馆提醒在意中国公民注意防范盗窃。",
        "温州市公安局鹿城分局破获一起电信诈骗案，抓获犯罪嫌疑人12名。",
        "Beijing police opened a new police station in Chaoyang district on Monday.",
        "The embassy held a consular service day in Toronto for 300 people.",
        "在执法国际合作中，美国与中国签署协议。",
    ],
)
def test_negative_texts_yield_nothing(text: str) -> None:
    result = extract_document(text)
    assert result.claims == [] and result.summary.as_dict() == summary("")


def test_prefilter_sees_every_written_form() -> None:
    assert might_contain_claim("意大利威尼斯警侨驿站授牌成立")
    assert might_contain_claim("義大利威尼斯警僑驛站授牌成立")
    assert might_contain_claim("義大利威尼斯警僑驿站授牌成立"), "traditional and simplified mixed in one term"
    assert might_contain_claim("the Overseas Police Service Station in Prato")
    assert might_contain_claim("the overseas Chinese POLICE service Station in Prato")
    assert might_contain_claim("海外１１０服务站")
    assert might_contain_claim("ＯＶＥＲＳＥＡＳ　ＰＯＬＩＣＥ in Prato")
    assert not might_contain_claim("今天天气很好。The weather is fine today.")


def test_a_claim_in_any_letter_case_is_found() -> None:
    text = "Wenzhou runs an overseas Chinese Police Service in Paris, France."
    result = extract_document(text)
    assert result.summary.cities == [{"name": "Paris", "country": "FR"}]
    assert result.summary.jurisdictions == [{"name": "Wenzhou", "name_zh": "温州市"}]
    # İ lower-cases to two characters: the sentence is still read in lower case
    turkey = summary("Wenzhou police run an Overseas Police Service Station in İstanbul, Türkiye.")
    assert turkey["cities"] == [{"name": "Istanbul", "country": "TR"}]


def test_the_fast_term_search_finds_what_the_folded_view_holds() -> None:
    finder = prefilter()
    exact = ahocorasick_rs.AhoCorasick(finder.terms, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
    rng = random.Random(11)
    pieces = [*finder.terms[::7], "警僑驛站", "海外１１０", "Ｐｏｌｉｃｅ　ＳＴＡＴＩＯＮ", "海外聯絡點", "𠀋"]
    pieces += ["İ", "\u212a", "ı"]
    pieces += ["温州", "Wenzhou ", "，", "。", " ", "\n", "ＡＢ", "１２", "İstanbul", "\u3000", "x"]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        text = "".join(c.upper() if rng.random() < 0.3 else c for c in text)
        expected = [(start, end) for _index, start, end in exact.find_matches_as_indexes(fold(text))]
        assert finder.spans(text) == expected, text
        assert finder.found(text) == bool(expected), text
    assert finder.spans("\ud800 警侨驿站") == [(2, 6)], "a lone surrogate (JSON allows one) is one character"


def test_only_two_characters_outside_ascii_lower_case_to_ascii() -> None:
    import sys

    found = [c for c in map(chr, range(128, sys.maxunicode + 1)) if any(x.isascii() for x in c.lower())]
    assert found == ["\u0130", "\u212a"]


def test_the_folded_view_keeps_every_offset() -> None:
    for text in ("İstanbul Overseas POLICE", "溫州警僑驛站 ＡＢＣ１１０", "Straße ǅ ﬁ 警侨"):
        assert len(fold(text)) == len(text)
    assert fold("溫州警僑驛站 ＡＢＣ１１０")[2:6] == "警侨驿站"
    assert all(term == fold(term) for term in prefilter_terms()), "terms are stored folded"


def test_gazetteer_covers_the_dataset_and_many_cities() -> None:
    table = names()
    assert len({n.key for entries in table.values() for n in entries if n.kind == "city"}) >= 1500
    for surface in ("阿联酋", "英國", "義大利", "UAE", "Holland", "Sicily", "Madeira", "Syr Darya", "Edo State"):
        key = matching_form(surface)
        assert key in table, surface
    assert {n.country for n in table["普拉托"]} == {"IT"}
    assert any(n.kind == "jurisdiction" and n.name == "Qingtian" for n in table["青田"])
    from longarm.geo import places

    for place in places().values():
        if place.kind == "city" and place.country != "CN":
            assert place.name in table, place.name


def test_sentences_split_chinese_and_english() -> None:
    text = "第一句。第二句！The U.S. said no. Mr. Li agreed.\n\n标题\n正文"
    expected = ["第一句。", "第二句！", "The U.S. said no.", "Mr. Li agreed.", "标题", "正文"]
    for sentence in expected:
        for position in (text.index(sentence), text.index(sentence) + len(sentence) - 1):
            start, end = sentence_around(text, position)
            assert text[start:end].strip() == sentence, (sentence, position)


def test_wrapped_chinese_lines_still_match() -> None:
    text = "以侨商会为依托，搭建沟通联系平台，在美国、俄罗斯、加\n拿大、罗马尼亚等16个国家设立海外联络服务站点。"
    assert summary(text)["countries"] == ["US", "RU", "CA", "RO"]


def test_decoding_gbk_big5_and_bad_bytes() -> None:
    sentence = "青田縣公安局於2018年6月在羅馬設立「警僑服務站」。"
    for encoding in ("utf-8", "gb18030", "big5"):
        text = "".join(decoded_chunks(io.BytesIO(sentence.encode(encoding))))
        assert text == sentence, encoding
    broken = "温州警方在米兰设立海外联络点。".encode() + b"\xff\xfe\xfa" + "结束。".encode()
    assert extract_bytes(io.BytesIO(broken)).summary.cities == [{"name": "Milan", "country": "IT"}]
    with pytest.raises(NotText):
        list(decoded_chunks(io.BytesIO(b"\x00\x01\x02binary\x00" * 100)))
    assert list(decoded_chunks(io.BytesIO(b""))) == []


GBK_CLAIM = "温州市公安局在意大利米兰设立警侨服务站，为侨胞提供服务。"


def _gbk_page_after_script(script_bytes: int, meta: bool = True) -> bytes:
    script = "<script>var filler = '" + "x" * script_bytes + "';</script>"
    head = '<meta charset="gbk">' if meta else ""
    page = f"<!DOCTYPE html><html><head>{head}{script}</head><body><article><p>{GBK_CLAIM}</p></article></body></html>"
    return page.encode("gbk")


def test_declared_charset_is_used_though_the_first_64_kb_are_ascii() -> None:
    page = _gbk_page_after_script(72 * 1024)
    assert page.find("温".encode("gbk")) > 72 * 1024
    assert choose_encoding(page[: head_length(page)]) == ("gb18030", "meta")
    assert extract_bytes(io.BytesIO(page)).summary.cities == [{"name": "Milan", "country": "IT"}]
    decoded = decode_document(page)
    assert decoded.html and decoded.charset == "gb18030" and GBK_CLAIM in decoded.text
    # the HTTP header's charset, for a page that declares none itself
    bare = _gbk_page_after_script(72 * 1024, meta=False)
    assert choose_encoding(bare[: head_length(bare)], "text/html; charset=GBK") == ("gb18030", "http-header")
    assert extract_bytes(io.BytesIO(bare), content_type="text/html; charset=GBK").summary.countries == ["IT"]
    # and without any declaration, detection looks past the ASCII opening
    assert choose_encoding(bare[: head_length(bare)])[0] == "gb18030"


def test_a_stream_and_the_same_bytes_in_memory_are_decoded_alike() -> None:
    class Trickle(io.RawIOBase):
        """A pipe: at most 1000 bytes a read."""

        def __init__(self, data: bytes) -> None:
            self.data = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
            chunk = self.data.read(min(len(buffer), 1000))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    for page in (_gbk_page_after_script(72 * 1024), _gbk_page_after_script(200), GBK_CLAIM.encode("big5", "replace")):
        streamed = "".join(decoded_chunks(Trickle(page)))  # type: ignore[arg-type]
        assert streamed == "".join(decoded_chunks(io.BytesIO(page)))
        assert GBK_CLAIM[:6] in streamed or "?" in streamed


def test_byte_order_marks_and_unusual_page_openings() -> None:
    page = "<!DOCTYPE html><html><body><p>" + GBK_CLAIM + "</p></body></html>"
    for data in (codecs.BOM_UTF8 + page.encode(), codecs.BOM_UTF16_LE + page.encode("utf-16-le")):
        assert is_html(data)
        decoded = decode_document(data)
        assert decoded.html and not decoded.text.startswith("\ufeff") and GBK_CLAIM in decoded.text
        assert extract_bytes(io.BytesIO(data)).summary.cities == [{"name": "Milan", "country": "IT"}]
    for opening in (
        '<?xml version="1.0" encoding="utf-8"?>\n<html>',
        "<script>var a = 1;</script><div>",
        "<!-- x --><HEAD>",
    ):
        assert is_html(opening.encode()), opening
    assert not is_html(b'<?xml version="1.0"?><rss version="2.0">')
    assert not is_html(b"plain text about <b> tags")
    assert is_html(b"plain text", "text/html; charset=utf-8") and not is_html(b"<html>", "text/plain")


def test_utf8_bytes_under_a_wrong_declaration_stay_utf8() -> None:
    page = f'<html><head><meta charset="gbk"></head><body><p>{GBK_CLAIM}</p></body></html>'.encode()
    assert choose_encoding(page) == ("utf-8", "detected")
    assert choose_encoding(page, "text/html; charset=big5") == ("utf-8", "detected")
    assert choose_encoding(b"<html>plain ascii</html>", "text/html; charset=gbk") == ("gb18030", "http-header")


def test_html_is_reduced_to_main_text() -> None:
    page = (
        "<html><head><title>t</title><script>var x = '海外警侨驿站 in Paris';</script></head><body>"
        "<nav>首页 新闻</nav><article><p>意大利威尼斯警侨驿站授牌成立。</p>"
        "<p>" + "青田侨胞在当地经商多年，" * 20 + "</p></article></body></html>"
    )
    result = extract_bytes(io.BytesIO(page.encode()))
    assert result.summary.cities == [{"name": "Venice", "country": "IT"}]
    malformed = b"<html><body><p>\xe6\x84\x8f\xe5\xa4\xa7\xe5\x88\xa9\xe5\xa8\x81\xe5\xb0\xbc\xe6\x96\xaf" + (
        "警侨驿站成立<div><<>><p".encode()
    )
    assert extract_bytes(io.BytesIO(malformed)).summary.countries in ([], ["IT"])


def test_stream_api_matches_document_api() -> None:
    text = "温州公安局已在温哥华、悉尼、巴黎、纽约等11个城市设立了20个联络点。"
    whole = extract_document(text)
    assert whole.summary.counts and whole.summary.cities
    assert list(iter_claims(iter([text[:10], text[10:]]))) == whole.claims
    assert extract_bytes(io.BytesIO(text.encode("gb18030"))).as_dict() == whole.as_dict()


def test_stations_take_the_document_jurisdiction_from_all_claims_not_only_those_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "威尼斯的警侨驿站已经运行多年。青田县公安局在米兰设立警侨驿站。温州市公安局在巴黎设立警侨驿站。"
    everything = extract_document(text)
    assert len(everything.claims) == 3 and len(everything.summary.jurisdictions) == 2
    monkeypatch.setattr(document_module, "MAX_CLAIMS", 2)
    truncated = extract_document(text)
    assert truncated.claims_truncated and truncated.summary == everything.summary
    venice = [row for row in truncated.stations() if row["city"] == "Venice"]
    assert venice == [{"jurisdiction": None, "country": "IT", "city": "Venice"}], "two jurisdictions: no fallback"
    assert truncated.stations() == [r for r in everything.stations() if r in truncated.stations()]


def test_the_engine_names_the_version_and_a_hash_of_what_decides_the_claims() -> None:
    from longarm import __version__
    from longarm.extract import _ENGINE_SOURCES, ENGINE

    version, digest = ENGINE.removeprefix("longarm-extract@").split("+")
    assert version == __version__ and len(digest) == 10 and int(digest, 16) >= 0
    sources = {name for _package, name in _ENGINE_SOURCES}
    assert {"rules.py", "terms.py", "textdecode.py", "names.tsv.gz"} <= sources


def test_stations_carry_the_documents_jurisdiction() -> None:
    text = "青田县公安局召开海外警侨驿站工作会议。会上，威尼斯、巴塞罗那等地代表介绍了警侨驿站运营情况。"
    rows = extract_document(text).stations()
    assert {"jurisdiction": "Qingtian", "country": "IT", "city": "Venice"} in rows


def _summary_without_evidence(text: str, pub_date: str | None = None) -> dict[str, object]:
    found = summary(text, pub_date)
    found.pop("evidence")
    return found


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        # the place is in the next sentence, referred to by a number, 其中, "such stations", a list
        (
            "Fuzhou police run overseas police service stations in Europe. One is in Frankfurt.",
            "cities",
            {"name": "Frankfurt am Main", "country": "DE"},
        ),
        (
            "青田县公安局在西班牙设立了三个海外警侨服务站。其中两个位于马德里，一个在巴塞罗那。",
            "cities",
            {"name": "Barcelona", "country": "ES"},
        ),
        (
            "Chinese police stations abroad are run by county bureaus. Wenzhou police had set up 12 of them.",
            "counts",
            {"what": "stations", "value": 12, "qualifier": "exact"},
        ),
        (
            "The report lists overseas police stations. By late May the number of such stations had reached 40.",
            "counts",
            {"what": "stations", "value": 40, "qualifier": "exact"},
        ),
        ("An overseas police station report came out. The sites include Lisbon, Oslo and Warsaw.", "countries", "PL"),
        # English forms of jurisdictions; English Lishui beside Zhejiang is 丽水, not 溧水 in Nanjing
        (
            "Qingtian's public security bureau opened an overseas police service station in Rome.",
            "jurisdictions",
            {"name": "Qingtian", "name_zh": "青田县"},
        ),
        (
            "The Nantong city police set up a police liaison station in Lagos, Nigeria.",
            "jurisdictions",
            {"name": "Nantong", "name_zh": "南通市"},
        ),
        (
            "The Amsterdam station was set up in June 2018 by police from Lishui, in Zhejiang province, the report on "
            "overseas police stations said.",
            "jurisdictions",
            {"name": "Lishui", "name_zh": "丽水市"},
        ),
        # other names for the stations, traditional characters
        ("中共在倫敦設立的「海外警察局」已經關閉。", "cities", {"name": "London", "country": "GB"}),
        ("溫州市公安局在馬德里設有海外派出所。", "jurisdictions", {"name": "Wenzhou", "name_zh": "温州市"}),
        # 位于都柏林: 位于 + Dublin, not 于都 (a county) + Berlin
        ("愛爾蘭下令關閉位於都柏林的中國警局。", "cities", {"name": "Dublin", "country": "IE"}),
    ],
)
def test_document_level_claims(text: str, field: str, value: object) -> None:
    assert value in _summary_without_evidence(text)[field]  # type: ignore[operator]


def test_relative_month_is_resolved_with_the_publication_date() -> None:
    text = "The Chinese overseas police station in Prato opened in January."
    assert _summary_without_evidence(text, "2023-05-02")["dates"] == ["2023-01"]
    assert _summary_without_evidence(text, "2023-01-20")["dates"] == ["2023-01"]
    assert _summary_without_evidence("它于今年2月在米兰设立海外警侨服务站。", "2021-06-01")["dates"] == ["2021-02"]


@pytest.mark.parametrize(
    "text",
    [
        "China opened its first visa application service center in Lahore to help applicants.",
        "记者从市公安局获悉，全市已建成68个智慧警务站，覆盖主要商圈。",
        "Chinese and Serbian police officers began joint patrols in Belgrade and Novi Sad.",
        "The Mercedes-Benz dealership in Arlington, VA, calls itself American Service Center.",
        "哈尔滨市公安局驻三亚警务站正在筹备，尚未投入使用。",
    ],
)
def test_look_alikes_name_no_host(text: str) -> None:
    found = _summary_without_evidence(text)
    assert found["countries"] == [] and found["cities"] == []


def _without_offsets(claim: dict[str, object]) -> dict[str, object]:
    """A claim as its sentence says it, wherever the sentence stands in a document."""
    kept: dict[str, object] = {}
    for key, value in claim.items():
        if key in ("start", "end", "anchor"):
            continue
        if isinstance(value, list):
            value = [{k: v for k, v in item.items() if k not in ("start", "end")} for item in value]
        kept[key] = value
    return kept


def test_remembered_readings_give_what_fresh_ones_give() -> None:
    from longarm.extract import memo

    passages = [
        "Fuzhou police run overseas police service stations in Europe. One is in Frankfurt.",
        "青田县公安局在西班牙设立了三个海外警侨服务站。其中两个位于马德里，一个在巴塞罗那。",
        "The Amsterdam station was set up in June 2018 by police from Lishui, the report on overseas police "
        "stations said. Lishui police denied it.",
    ]
    text = "\n\n".join(passages * 3)
    memo._memo.clear()
    first = extract_document(text, "2022-11-01").as_dict()
    assert memo._memo  # the copies were read from the memo
    memo._memo.clear()
    assert extract_document(text, "2022-11-01").as_dict() == first
    memo._memo.clear()
    alone = {
        claim["sentence"]: _without_offsets(claim)
        for passage in passages
        for claim in extract_document(passage, "2022-11-01").as_dict()["claims"]
    }
    for claim in first["claims"]:
        assert _without_offsets(claim) == alone[claim["sentence"]]
        assert text[claim["start"] : claim["end"]] == claim["sentence"]


def test_a_reference_sentence_takes_its_term_sentences_jurisdiction() -> None:
    text = (
        "Wenzhou police run an overseas police service station in Paris. Fuzhou police run overseas police "
        "service stations in Europe. One is in Frankfurt."
    )
    rows = extract_document(text).stations()
    assert {"jurisdiction": "Fuzhou", "country": "DE", "city": "Frankfurt am Main"} in rows
    assert {"jurisdiction": "Wenzhou", "country": "FR", "city": "Paris"} in rows
    assert {"jurisdiction": "Wenzhou", "country": "DE", "city": "Frankfurt am Main"} not in rows


def test_a_country_before_a_publications_title_is_the_outlets() -> None:
    text = "據美國《世界日報》報道,休斯敦警局中國城警分局于當地時間8月19日重新開張運作。"
    assert summary(text, "2020-08-21")["countries"] == []


def test_a_liaison_point_and_an_it_sentence_after_it() -> None:
    text = (
        "At least one of these Chinese police liaison points, established in May last year, is still operating "
        "in Australia. It works with the Hai'an police force, according to a document."
    )
    got = extract_document(text, "2023-08-04").summary
    assert got.countries == ["AU"]
    assert got.dates == ["2022-05"]
    assert [j["name"] for j in got.jurisdictions] == ["Haian"]


# Round twelve's constructions, in our own words (tests/extract_eval/README.md, r12).
STATIONS, MORE, EXACT = "stations", "more_than", "exact"


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("温州警方的海外服务站点数量已经超过30个。", "counts", {"what": STATIONS, "value": 30, "qualifier": MORE}),
        ("青田警方在智利的海外站点总数达到6个。", "counts", {"what": STATIONS, "value": 6, "qualifier": EXACT}),
        ("文成县在马德里设立5个海外警察「服务站」。", "counts", {"what": STATIONS, "value": 5, "qualifier": EXACT}),
        (
            "Officials said at least 12 police-run overseas service stations operate in Peru.",
            "counts",
            {"what": "stations", "value": 12, "qualifier": "at_least"},
        ),
        ("A Chinese overseas police station opened in Viña del Mar, Valparaíso Region.", "countries", ["CL"]),
        (
            "Lishui police set up an overseas police service station in Lima. It opened last month.",
            "dates",
            ["2023-02"],
        ),
        (
            "The Qingtian Police Service Overseas Station in Lima opened in 2019.",
            "jurisdictions",
            [{"name": "Qingtian", "name_zh": "青田县"}],
        ),
    ],
)
def test_round_twelve_constructions(text: str, field: str, value: object) -> None:
    found = summary(text, "2023-03-10")[field]
    assert isinstance(found, list)
    assert value in found if isinstance(value, dict) else found == value, found


@pytest.mark.parametrize(
    "text",
    [
        "丽水市在数十个国家设立了海外领事保护联络站。",  # consular protection liaison: a look-alike
        "在罗马、米兰等地参与联合巡逻的中国警察。",
        "Chinese police officers joined joint patrols in Rome and Milan under a 2016 agreement.",
    ],
)
def test_round_twelve_look_alikes_name_no_host(text: str) -> None:
    found = summary(text)
    assert not found["countries"] and not found["cities"], found


def test_round_twelve_numbers_that_are_no_counts_and_dates_that_are_no_founding() -> None:
    counts = summary("中共在G7国家英国和数十个国家设立海外警察服务站，两国协议允许联合巡逻。")["counts"]
    assert counts == [], counts
    text = "An overseas Chinese police station ran in Dublin. By November 2022 Irish police began investigating it."
    assert summary(text, "2022-12-01")["dates"] == []
    text = "The Wenzhou association, founded in 1995, hosted an overseas police service station in Prato."
    assert summary(text)["dates"] == []


def test_a_sentence_near_a_station_that_names_its_premises_gives_its_place_only() -> None:
    text = (
        "The Fuzhou police opened an overseas police service station last year. "
        "The association's building stands in Chinatown in Lima, since 2001."
    )
    found = summary(text, "2023-03-10")
    assert found["cities"] == [{"name": "Lima", "country": "PE"}] and found["dates"] == ["2022"], found


# Round fourteen's constructions, in our own words (tests/extract_eval/README.md, r14).
@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("Police said two unregistered Chinese police stations operate in Lima.", "counts", (STATIONS, 2, EXACT)),
        ("The RCMP is investigating three of the alleged police stations in Toronto.", "counts", (STATIONS, 3, EXACT)),
        ("A report found half a hundred Chinese “police service centers” abroad.", "counts", (STATIONS, 50, "about")),
        ("A Chinese restaurant in Lima denied hosting a secret Chinese police station.", "cities", "Lima"),
        ("The RCMP said an alleged Chinese police station ran in Richmond.", "cities", "Richmond/CA"),
        ("福州市公安局今年3月份在利马设立海外服务站。", "dates", "2023-03"),
    ],
)
def test_round_fourteen_constructions(text: str, field: str, value: object) -> None:
    found = summary(text, "2023-06-01")[field]
    assert isinstance(found, list)
    if field == "counts":
        assert value in {(c["what"], c["value"], c["qualifier"]) for c in found}, found
    elif field == "cities":
        name, _, country = str(value).partition("/")
        assert any(c["name"] == name and (not country or c["country"] == country) for c in found), found
    else:
        assert value in found, found


def test_the_overseas_110_hotline_desk_is_no_station() -> None:
    found = summary("福州市公安局开通的海外110报警服务台正式启动，受理海外侨胞报警求助。")
    assert not found["jurisdictions"] and not found["countries"], found


def _assert_reads(text: str, field: str, value: object) -> None:
    """The round tests' check: a count is among those read; a city is the only one read (a name, or a name and
    country); any other field reads exactly ``value``."""
    found = summary(text, "2023-06-01")[field]
    assert isinstance(found, list)
    if field == "counts":
        assert value in {(c["what"], c["value"], c["qualifier"]) for c in found}, found
    elif field == "cities":
        read = [c["name"] if isinstance(value, str) else (c["name"], c["country"]) for c in found]
        assert read == [value], found
    else:
        assert found == value, found


# Round seventeen's constructions, in our own words (tests/extract_eval/README.md, r17).
@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("One hundred and four “police outposts” around the world, a report said.", "counts", (STATIONS, 104, EXACT)),
        ("Prosecutors said the Lima police outpost was run by the Fuzhou police.", "cities", "Lima"),
        (
            "An unauthorised Chinese police outpost, one of more than 50 around the world.",
            "counts",
            (STATIONS, 50, MORE),
        ),
        ("警方称，两家华人社区中心被指设有海外警察站。", "counts", (STATIONS, 2, EXACT)),
        ("华人警民合作中心在南非9个省成立了13家。", "counts", (STATIONS, 13, EXACT)),
        ("例如东开普省有中国海外警察站。", "countries", ["ZA"]),
        ("秘鲁刑侦局长马赛凯利说，利马有一个中国海外警察站。", "cities", "Lima"),
    ],
)
def test_round_seventeen_constructions(text: str, field: str, value: object) -> None:
    _assert_reads(text, field, value)


@pytest.mark.parametrize(
    "text",
    [
        "侨乡的边防派出所为海外侨胞提供服务，龙海市警方表示。",  # a police station at home (r19)
        "福州公安“海外110”服务专窗在法务区服务中心启用，方便海外侨胞。",  # the hotline's desk at home
    ],
)
def test_round_nineteen_look_alikes_name_nothing(text: str) -> None:
    found = summary(text)
    assert not found["jurisdictions"] and not found["counts"] and not found["countries"], found


def test_an_overseas_police_station_called_a_paichusuo_is_still_one() -> None:
    found = summary("中国在荷兰设立的非官方派出所已被关闭。")
    assert found["countries"] == ["NL"], found


# Round twenty-one's constructions, in our own words (tests/extract_eval/README.md, r21).
@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        (
            "It found 20 overseas stations set up by the Fuzhou police and 7 created by the Qingtian police.",
            "counts",
            (STATIONS, 7, EXACT),
        ),
        ("The Chinese police outpost in Lima is among more than 100 in 53 countries.", "counts", (STATIONS, 100, MORE)),
        ("中共在秘鲁设立非官方海外警察站，引发美国、德国等国家的严重关切。", "countries", ["PE"]),
        ("The police of the Chinese city of Wenzhou opened in May 2016 a first office in Lima.", "cities", "Lima"),
    ],
)
def test_round_twenty_one_constructions(text: str, field: str, value: object) -> None:
    _assert_reads(text, field, value)


# Rounds twenty-three to thirty-five, in our own words (tests/extract_eval/README.md, r23 to r35).
@pytest.mark.parametrize(
    "text",
    [
        "官员表示，中国并未在当地设立警察站，但派出了警务顾问。",  # a station said not to exist
        "The minister said China has not set up any police station in Fiji.",
        "There is no Chinese police station in Fiji, the minister said.",
        "A new Overseas Chinese Service Center opened in Leeds with the consul general present.",  # an aid centre
        "中老缅泰湄公河联合巡逻执法驻老挝孟莫联络点完成轮换。",  # a joint patrol's post
        "The brand plans 40 showrooms and service centres in Chile by next year.",  # a car maker's
        # round twenty-five's (r25)
        "The Chinese ambassador handed over a new police post to the Malawi Police Service.",  # a gift
        "温州在米兰设立全省首个海外公证联络点，方便侨胞办理公证。",  # a notary's liaison point
        "新北市瑞芳警分局今年帮助17名外国游客，被网友称为最友善的警局。",  # a town's own police
        "JOIN US AT THE CHINESE POLICE STATION PROTEST",  # a pronoun in capitals
        "Man arrested near a Chinese police station, police say.",  # Man is no city here
        # round twenty-seven's (r27)
        "领事提醒：在巴黎遇到盗窃，可到附近警局报案。",  # a police station one reports a crime at
        "澳大利亚联邦警察局表示将招募会说普通话的调查员。",  # a federal police
        "使馆提醒旅美中国公民：国内机关不会要求您拨打纽约某警局电话配合调查。",  # a police one is told to call
        # round twenty-nine's (r29)
        "商会代表向巴黎13区警察局反映了近期的治安问题。",  # a district's own police
        "华人商会向美丽城一带的警察局反映了抢劫案。",  # a police word and a foreign place, no sign of China
        "警察局长对中国游客在里昂遇窃表示关注。",  # a police chief, not a station
        "The Chinese police station story was first reported by the Toronto Star.",  # a newspaper
        "Le Journal de Montréal reported on the Chinese police stations.",
        # round thirty-three's (r33)
        "A special counter for Chinese nationals opened at the biggest police station in Lusaka.",  # a town's own
        "The Chinese delegation toured Lusaka Central police station.",
        "中国代表团参观了釜山地方警察厅和东部警署。",  # a district's police station
        # round thirty-five's (r35)
        "China runs more than 100 covert police stations overseas, Peru's intelligence agency said on Tuesday.",
        "LIMA (Peru News) — China runs covert police stations overseas.",  # an outlet in a dateline
    ],
)
def test_look_alikes_of_rounds_twenty_three_to_thirty_five_name_no_host(text: str) -> None:
    found = summary(text, "2023-06-01")
    assert not found["countries"] and not found["cities"], found


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        # a city no earlier sentence places: the countries named around it decide (Richmond, British Columbia)
        (
            "Protesters gathered outside an alleged Chinese police station in Richmond. Richmond RCMP watched.",
            "cities",
            ("Richmond", "CA"),
        ),
        # countries whose lawmakers or federal police act are no hosts
        ("爱尔兰政府下令关闭位于都柏林的中共警局，美国、英国等国议员则督促政府严查。", "countries", ["IE"]),
        ("荷兰命令关闭两个海外警察局，加拿大联邦警察也一直在调查类似的中心。", "countries", ["NL"]),
        # 未经许可: set up without permission, still set up
        ("都柏林一处未经许可而设立的中共警局已被关闭。", "cities", ("Dublin", "IE")),
        # round twenty-five's (r25)
        (
            "The NGO counts stations in the US, the UK and Brazil run by Chinese police.",
            "countries",
            ["US", "GB", "BR"],
        ),
        ("Of the four unauthorised stations in the UK, one was in Glasgow.", "countries", ["GB"]),
        # the date of an arrest on suspicion of setting one up is no founding date
        ("两人2023年4月因涉嫌在曼哈顿华埠设立海外警察站被捕。", "dates", []),
        ("青田县2018年5月在米兰设立海外警侨服务站。", "dates", ["2018-05"]),
        # round twenty-seven's (r27)
        ("这个海外警察站于去年二月在纽约设立。", "dates", ["2022-02"]),  # a month in Chinese numerals
        ("据称，中共在英国的三个地点设立了未经申报的警察局。", "countries", ["GB"]),  # 中共: Chinese-run
        # when stations were identified is not when they were set up
        (
            "Another 30 Chinese police stations were operating abroad besides the 54 the group identified in "
            "September.",
            "dates",
            [],
        ),
        # premises in a town ("Leeds-based noodle restaurant"), not an organisation's seat ("Madrid-based NGO")
        ("Police say a Leeds-based noodle restaurant hosted a Chinese police station.", "cities", ("Leeds", "GB")),
        (
            "Rights groups say there are over 100 Chinese police stations worldwide, including at least three on "
            "French soil.",
            "counts",
            (STATIONS, 3, "at_least"),
        ),
        # sentences referring back: "the office in ...", "from bases in ..."
        (
            "Chinese police stations were reported in the Netherlands. The office in Utrecht was said to have opened "
            "in 2019.",
            "cities",
            ("Utrecht", "NL"),
        ),
        (
            "Overseas police stations were set up by Fuzhou police. Officers watched the diaspora from bases in "
            "Marseille.",
            "cities",
            ("Marseille", "FR"),
        ),
        # round twenty-nine's (r29)
        # Lesotho's security cooperation centre, like South Africa's 警民合作中心; "4 July, 2016"
        (
            "The Chinese Community and Security Cooperation Centre in Maseru was launched on 4 July, 2016.",
            "dates",
            ["2016-07"],
        ),
        ("Lawmakers asked about a reported Chinese police presence in Lima.", "cities", ("Lima", "PE")),
        # 城区, 郊区 are "the town", "the suburbs" without a police word after them, not the units of that name
        ("米兰的海外服务站为城区和郊区的侨胞办理证件。", "jurisdictions", []),
        # round thirty-one's (r31)
        ("中共政府、俄罗斯等势力渗透加拿大，包括设立非法海外警察局。", "countries", ["CA"]),  # a power, no host
        # a sentence referring back after an attribution
        (
            "A Chinese police station operated in Lima. According to local prosecutors, it was set up by officials "
            "of the Fuzhou Public Security Bureau.",
            "jurisdictions",
            [{"name": "Fuzhou", "name_zh": "福州市"}],
        ),
        (
            "A secret police station in Lima was closed. The restaurant was said to be one of 54 alleged clandestine "
            "bases run by Beijing.",
            "counts",
            (STATIONS, 54, EXACT),
        ),
        (
            "Police stations run by China have been found in Peru. Beijing has set up more than 100 offices in 53 "
            "countries.",
            "counts",
            (STATIONS, 100, MORE),
        ),
        ("Other nations with service stations include 35 in 16 European countries.", "counts", (STATIONS, 35, EXACT)),
        ("Secret foreign police stations in Lima.", "cities", ("Lima", "PE")),
        (
            "The government said in court documents this month that he set up the Chinese police outpost in Lima.",
            "dates",
            [],
        ),
        (
            "The RCMP is investigating two Toronto Chinese organizations alleged to operate as Chinese police "
            "stations.",
            "counts",
            (STATIONS, 2, EXACT),
        ),
        # round thirty-three's (r33)
        (
            "Police said they knew of Chinese overseas police service stations in several countries, including two "
            "here in Lima.",
            "counts",
            (STATIONS, 2, EXACT),
        ),
        ("Police looked into claims that such police stations operated at three Peruvian sites.", "countries", ["PE"]),
        (
            "Federal agents arrested two Lima residents in April for allegedly operating a secret Chinese police "
            "station.",
            "dates",
            [],
        ),
        (
            "The government said it was aware of about 100 such stations around the world.",
            "counts",
            (STATIONS, 100, "about"),
        ),
        (
            "The news of 100 covert Chinese police stations in 50 countries spiked concerns about Peru.",
            "countries",
            [],
        ),
        ("China has established a secret police presence in Peru, a watchdog said.", "countries", ["PE"]),
        # round thirty-five's (r35)
        (
            "Chinese cities including Wenzhou and Qingtian have quietly set up police service stations abroad.",
            "jurisdictions",
            [{"name": "Wenzhou", "name_zh": "温州市"}, {"name": "Qingtian", "name_zh": "青田县"}],
        ),
        ("Officials arrested two men for allegedly setting up one such outpost in Lima.", "cities", ("Lima", "PE")),
        (
            "The arrests over a covert Chinese police station in New York raise questions about whether such an "
            "operation exists in Peru.",
            "countries",
            ["US"],
        ),
        (
            "Chinese police stations abroad were listed. At the time, one such station was identified in the U.S., "
            "while three were noted in Toronto.",
            "counts",
            (STATIONS, 3, EXACT),
        ),
        ("54 stations (at least) were identified in 30 different countries.", "counts", (STATIONS, 54, "at_least")),
    ],
)
def test_constructions_of_rounds_twenty_three_to_thirty_five(text: str, field: str, value: object) -> None:
    _assert_reads(text, field, value)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("这些海外警察站遍布五大洲，共有30个。", 5),  # continents (r14)
        ("青田警方在罗马设立的这30个海外服务站。", 30),  # "these 30": said before (r14)
        ("One of the alleged Fuzhou police service stations was in Lima.", 1),  # r14
        ("At least two Public Security Bureaus set up overseas police service stations.", 2),  # agencies (r21)
        ("中共在秘鲁设立海外警察站，七国集团表示关注。", 7),  # the G7 (r21)
    ],
)
def test_numbers_that_count_no_stations_or_hosts(text: str, number: int) -> None:
    counts = summary(text, "2023-06-01")["counts"]
    assert isinstance(counts, list) and number not in {c["value"] for c in counts}, counts


# Round thirty-six (r36), in our own words: a Chinese police agency said to operate abroad names a station
# without a station word; a station's short name, given in brackets, is a reference wherever the document uses it.
@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("Residents said Chinese police officers were operating out of a shop in Lyon.", "cities", ("Lyon", "FR")),
        (
            "The Lishui police bureau began its operations in Valencia in 2019.",
            "jurisdictions",
            [{"name": "Lishui", "name_zh": "丽水市"}],
        ),
        ("Lawmakers asked why Chinese police are operating on Swedish soil.", "countries", ["SE"]),
        ("据报道，丽水市公安局在西班牙运营一处联络机构。", "countries", ["ES"]),
        (
            "The Oslo Chinese Community Police Service Centre (OCCPSC) held a gala on Friday. "
            "The OCCPSC was set up in 2021, its director told guests.",
            "dates",
            ["2021"],
        ),
    ],
)
def test_constructions_of_round_thirty_six(text: str, field: str, value: object) -> None:
    # the rules alone: a one-sentence text on a generic agency is what the look-alike model is asked about, and
    # its verdict on so short a text moves with each refit (about 0.7 for the Chinese one here)
    found = extract_document(text, "2023-06-01", lookalikes=True).summary.as_dict()[field]
    if field == "cities":
        assert [(c["name"], c["country"]) for c in found] == [value], found
    else:
        assert found == value, found


# Round thirty-eight (r38), in our own words
@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        # a US state names its country
        ("Prosecutors say a secret Chinese police station operated in Ohio.", "countries", ["US"]),
        # a consulate's seat, however the consulate is abbreviated, is no host
        ("该海外警察站与多伦多中领馆来往密切。", "cities", []),
        ("旧金山中共总领馆官员曾到访该海外警察站。", "cities", []),
        # CNN's and the like's Chinese names hold a country that speaks, not one that hosts
        ("美国有线电视新闻网报道，中国在荷兰设立了海外警察站。", "countries", ["NL"]),
        # 110 with nothing counted after it is the emergency number
        ("侨团在海外推广110、设立海外警察站。", "counts", []),
        # the date of a raid or a visit is no founding date
        ("It began in May 2022, when the police raided an alleged Chinese police station in Dublin.", "dates", []),
        ("2021年6月3日，领事到该海外服务站走访。", "dates", []),
    ],
)
def test_constructions_of_round_thirty_eight(text: str, field: str, value: object) -> None:
    if value == []:
        assert summary(text, "2023-06-01")[field] == [], summary(text, "2023-06-01")
    else:
        _assert_reads(text, field, value)


@pytest.mark.parametrize(
    "text",
    [
        "Chinese police officers are operating joint patrols with local police in Belgrade.",
        "The Fuzhou public security bureau operates a hotline in Fuzhou for callers from Italy.",
        "中国警方在塞尔维亚开展工作，与当地警察联合巡逻。",
        "福州市公安局在福州召开会议，通报意大利侨胞的来信。",
        # a bureau with no Chinese unit named is no Chinese agency
        "The police bureau in Lyon operates a new office for tourists.",
    ],
)
def test_agencies_at_work_abroad_that_are_no_stations_name_no_host(text: str) -> None:
    found = summary(text, "2023-06-01")
    assert not found["countries"] and not found["cities"], found


# Round forty-one (r41), in our own words
def test_a_generic_term_after_its_look_alike_is_that_look_alikes() -> None:
    text = "China runs four research stations in Antarctica, two of them year-round stations like Qinling."
    found = extract_document(text, "2023-06-01", lookalikes=True).summary  # the rules alone, not the model
    assert not found.countries and not found.counts, found


def test_the_posts_in_a_city_refer_back() -> None:
    text = (
        "Officials say China set up two illegal police stations in Belgium. "
        "Local media said the Chinese posts in Brussels and Antwerp had not been declared."
    )
    _assert_reads(text, "countries", ["BE"])
    cities = extract_document(text, "2023-06-01").summary.cities
    assert [c["name"] for c in cities] == ["Brussels", "Antwerp"], cities


# Round forty-two (r42), in our own words: the sentence right after a term sentence is read for its places
def test_the_sentence_right_after_a_term_sentence_gives_its_places() -> None:
    text = (
        "The Fuzhou police opened their first overseas police service station in 2018. "
        "Next came Lyon and then Turin. The weather in Oslo was cold."
    )
    cities = extract_document(text, "2023-06-01").summary.cities
    assert [c["name"] for c in cities] == ["Lyon", "Turin"], cities  # Oslo is two sentences away, and no premises


def test_the_sentence_right_after_a_term_sentence_gives_its_dates() -> None:
    text = "The Fuzhou police opened an overseas police service station in Lyon. Next came Turin, set up in 2019."
    found = extract_document(text, "2023-06-01").summary
    assert found.dates == ["2019"] and [c["name"] for c in found.cities] == ["Lyon", "Turin"], found


# Round forty-four (r44): a unit named as police beside a term sentence runs it; "Reps." ends no sentence
def test_a_unit_named_as_police_beside_a_term_sentence_runs_the_station() -> None:
    text = (
        "Lawmakers asked about an alleged Chinese police station in Houston. Sen. Ann Lee of Ohio and Reps. Bo Kim "
        "and Al Roe asked why China's Qingtian police could open it."
    )
    found = extract_document(text, "2023-06-01").summary
    assert [j["name"] for j in found.jurisdictions] == ["Qingtian"], found


def test_the_countries_people_went_to_are_no_hosts() -> None:
    text = "村民足迹遍布意大利、西班牙等20多个国家。镇派出所牵头成立海外警侨服务站，服务侨胞。"
    found = extract_document(text, "2023-06-01").summary
    assert found.countries == [] and found.counts == [], found


def _claim_dense_text() -> str:
    return "".join(
        f"温州市公安局在意大利米兰设立了{n}个海外警侨服务站。这些服务站位于米兰和罗马。 " for n in range(2, 600)
    )


def test_the_collector_is_left_as_it_was() -> None:
    import gc

    text = _claim_dense_text()
    assert extract_document(text).claims and gc.isenabled()
    gc.disable()
    try:
        assert extract_document(text).claims and not gc.isenabled()  # a caller's choice is not undone
    finally:
        gc.enable()


def test_the_collector_is_not_paused_under_another_running_thread() -> None:
    import gc
    import threading

    text = _claim_dense_text()
    stop = threading.Event()
    seen: set[bool] = set()

    def watch() -> None:
        while not stop.is_set():
            seen.add(gc.isenabled())

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        for _ in range(3):
            assert extract_document(text).claims
    finally:
        stop.set()
        watcher.join()
    assert seen == {True}
