"""Which spellings name the same page, and which inputs are not web URLs at all."""

from __future__ import annotations

import pytest

from longarm.model.urls import BadUrl, check_web_url, url_key


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("http://www.gov.cn/a?b=1&a=2#top", "https://gov.cn/a?a=2&b=1"),
        ("HTTP://GOV.CN:80/a", "http://gov.cn/a"),
        ("https://gov.cn:443", "https://gov.cn/"),
        ("http://例子.中国/新闻", "http://xn--fsqu00a.xn--fiqs8s/新闻"),
    ],
)
def test_spellings_of_one_page_share_a_key(a: str, b: str) -> None:
    assert url_key(a) == url_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("http://gov.cn/A", "http://gov.cn/a"),
        ("http://gov.cn/a/", "http://gov.cn/a"),
        ("http://x.cn:8080/", "http://x.cn/"),
    ],
)
def test_different_pages_keep_different_keys(a: str, b: str) -> None:
    assert url_key(a) != url_key(b)


@pytest.mark.parametrize("text", ["notaurl", "ftp://gov.cn/x", "http://", "javascript:alert(1)", "http://x.cn:port/"])
def test_non_web_urls_are_refused(text: str) -> None:
    with pytest.raises(BadUrl):
        check_web_url(text)


def test_web_url_is_returned_stripped() -> None:
    assert check_web_url("  https://gov.cn/a ") == "https://gov.cn/a"


@pytest.mark.parametrize(
    "text", ["https://WARC-Payload-Digest: sha1:FAAF", "http://x.cn:port/a", "http://[::1/a", " http://x.cn:99999999/ "]
)
def test_a_url_urllib_cannot_split_is_its_own_key(text: str) -> None:
    """Found by tests/fuzz: a damaged WARC-Target-URI made `archive --import` end in a ValueError."""
    assert url_key(text) == text.strip() and url_key(text) != url_key("http://x.cn/a")
