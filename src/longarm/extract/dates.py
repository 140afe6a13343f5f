"""Establishment dates: 2016年5月, 2016年5至8月间, 今年2月, May 2016, since 2018.

A date is kept at month or year precision (YYYY-MM or YYYY). Relative dates
(今年, 去年, 上个月, this year, last year, last month) are resolved against the document's
publication date when one is given and dropped otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from longarm.extract.cues import Anchors, Cue, alternation, anchors_in, case_folded
from longarm.extract.normalise import lower_same_length
from longarm.extract.numbers import parse_chinese

MONTHS_EN = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}
for _name, _number in list(MONTHS_EN.items()):
    MONTHS_EN[_name[:3]] = _number
    MONTHS_EN[_name[:3] + "."] = _number
MONTHS_EN["sept"] = MONTHS_EN["sept."] = 9

# the longest name first, grouped by first letter (cues.alternation: the same matches, faster)
_MONTH_NAMES = alternation(sorted(MONTHS_EN, key=lambda m: len(re.escape(m)), reverse=True))
# a month in figures or in Chinese numerals (去年二月, 2016年十一月: numbers.parse_chinese, cn2an on the numeral)
_MONTH_ZH = r"1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九]"
DATE_ZH = re.compile(
    rf"(?P<year>(?:19|20)[0-9]{{2}})\s*年(?:\s*(?P<month>{_MONTH_ZH})\s*(?:月|[至到-]))?"
    rf"|(?P<rel>今年|去年|前年|本年)(?:\s*(?P<rmonth>{_MONTH_ZH})\s*月)?"
    r"|(?<![0-9年])(?P<pmonth>1[0-2]|0?[1-9])\s*月\s*(?:[0-3]?[0-9]\s*[日号]|份)"
    r"|(?P<relmonth>上个月|上月|本月|这个月|当月)"
)
# matched in the lower-cased form (cues.case_folded), as a case-insensitive pattern would match the text, but
# about three times faster; every match has a month, "year", "month" or a year's first two digits
DATE_EN = Cue(
    # "4 July, 2016" as well as "July 4, 2016"
    rf"\b(?:(?:(?P<day>[0-3]?[0-9])(?:st|nd|rd|th)?\s+)?(?P<month>{_MONTH_NAMES}),?\s+(?:[0-3]?[0-9](?:st|nd|rd|th)?,?\s+)?"
    rf"(?:of\s+)?(?P<year>(?:19|20)[0-9]{{2}}|this year|last year)"
    r"|(?P<lead>in|since|from|starting|by|as of|until|early|late|mid-?|(?:start|beginning|end|middle) of"
    r"|(?:spring|summer|autumn|fall|winter)(?: of)?|as early as|around|during|back to|circa"
    r"|(?<=[0-9]{4} )(?:and|or)|(?<=[0-9]{4}, )and)\s+"
    r"(?P<byear>(?:19|20)[0-9]{2})\b"
    rf"|(?P<mlead>in|since|from|by|early|late|mid-?|(?:start|beginning|end|middle) of)\s+(?P<omonth>{_MONTH_NAMES})\b"
    r"(?!\s*(?:[0-9]|of\b|this\b|last\b))"
    r"|(?P<ryear>(?:earlier |later )?(?:this|last) year)"
    r"|(?P<rmonth>(?:earlier |later )?(?:this|last) month))",
    anchors=(*(m[:3] for m in MONTHS_EN), "year", "month", "19", "20"),
)


_EARLIER_LATER = re.compile(r"^(?:earlier|later) ")


@dataclass(frozen=True)
class DateMention:
    value: str  # YYYY or YYYY-MM
    start: int
    end: int


def _relative_year(word: str, pub_year: int | None) -> int | None:
    if pub_year is None:
        return None
    return {"今年": 0, "本年": 0, "this year": 0, "去年": -1, "last year": -1, "前年": -2}[word.lower()] + pub_year


def _month_alone(month: int, pub_year: int | None, pub_month: int | None) -> str | None:
    """ "in January" in an article: that month of the publication year, or of the year before if it is later
    in the year than the publication."""
    if pub_year is None:
        return None
    year = pub_year - 1 if pub_month and month > pub_month else pub_year
    return f"{year}-{month:02d}"


def _relative_month(word: str, pub_year: int | None, pub_month: int | None) -> str | None:
    """上个月, "last month": the month before the publication's; 本月, "this month": its own."""
    if pub_year is None or not pub_month:
        return None
    back = 1 if word.lower().endswith("last month") or word.startswith("上") else 0
    year, month = (pub_year - 1, 12) if back and pub_month == 1 else (pub_year, pub_month - back)
    return f"{year}-{month:02d}"


def find_dates(
    text: str,
    pub_year: int | None,
    pub_month: int | None = None,
    low: str | None = None,
    anchors: Anchors | None = None,
) -> list[DateMention]:
    """Every date in a matching-form sentence, in order; relative ones (今年2月, "in January", "last year")
    only with the publication year. ``low`` (its lower-cased form) and ``anchors`` (the cue anchors in it),
    where the caller has them, are not computed again."""
    found: list[DateMention] = []
    for m in DATE_ZH.finditer(text) if ("年" in text or "月" in text) else ():
        if m.group("year"):
            year: int | None = int(m.group("year"))
            month = m.group("month")
        elif m.group("relmonth"):
            value = _relative_month(m.group("relmonth"), pub_year, pub_month)
            if value is not None:
                found.append(DateMention(value, m.start(), m.end()))
            continue
        elif m.group("rel"):
            year = _relative_year(m.group("rel"), pub_year)
            month = m.group("rmonth")
        else:  # 4月29日, 3月份: that month of the publication year (or of the year before, if it is later)
            value = _month_alone(int(m.group("pmonth")), pub_year, pub_month)
            if value is not None:
                found.append(DateMention(value, m.start(), m.end()))
            continue
        if year is not None:
            number = (int(month) if month.isdigit() else parse_chinese(month) or 0) if month else 0
            found.append(DateMention(f"{year}-{number:02d}" if number else f"{year}", m.start(), m.end()))
    low = lower_same_length(text) if low is None else low
    for m in DATE_EN.finditer(case_folded(low), anchors_in(low) if anchors is None else anchors):

        def group(name: str, m: re.Match[str] = m) -> str | None:
            """A group as written in the text (the match is made in its lower-cased form)."""
            start, end = m.span(name)
            return text[start:end] if start >= 0 else None

        if m.group("byear"):
            found.append(DateMention(m.group("byear"), m.start("byear"), m.end()))
            continue
        if m.group("rmonth"):
            value = _relative_month(str(group("rmonth")), pub_year, pub_month)
            if value is not None:
                found.append(DateMention(value, m.start(), m.end()))
            continue
        if m.group("ryear"):
            relative = _relative_year(_EARLIER_LATER.sub("", str(group("ryear")).lower()), pub_year)
            if relative is not None:
                found.append(DateMention(str(relative), m.start(), m.end()))
            continue
        omonth = group("omonth")
        if omonth:
            if omonth == "may":
                continue  # the verb "may"
            value = _month_alone(MONTHS_EN[omonth.lower()], pub_year, pub_month)
            if value is not None:
                found.append(DateMention(value, m.start("omonth"), m.end()))
            continue
        raw_year = str(group("year"))
        year = int(raw_year) if raw_year[0].isdigit() else _relative_year(raw_year, pub_year)
        if year is None:
            continue
        month_name = str(group("month"))
        month_number = MONTHS_EN[month_name.lower()]
        if month_name.lower() == "may" and month_name == "may":
            continue  # the verb "may"
        found.append(DateMention(f"{year}-{month_number:02d}", m.start(), m.end()))
    return sorted(found, key=lambda d: d.start)
