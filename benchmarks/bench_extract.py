"""Throughput of `longarm extract` beside a raw gazetteer scan and jieba.cut word segmentation.

    make bench-extract            # or: python benchmarks/bench_extract.py --mb 50 --dense-mb 20

Two corpora, written at run time into a temporary folder (never committed):

- news-like: mixed Chinese/English generated news, ordinary sentences full of
  place names and numbers with 0.2% station-claim sentences (simplified and
  traditional Chinese, English) and 1% ordinary sentences with a generic
  station word;
- claim-dense: the evaluation passages (tests/extract_eval/*.yaml: real
  passages from real pages, and the first, self-written set), shuffled and
  repeated to the size asked for, separated by blank lines (the file is read
  as one stream, as `longarm extract FILE` reads it).

And the evaluation passages once each, each its own document (memo off), with
and without the look-alike model: what the model, asked once a document, costs.

Then, for each corpus, each in a fresh single-threaded process so every
peak-memory figure is its own:

- raw scan: one Aho-Corasick pass of the whole extraction gazetteer (32,000
  names) over the decoded text, counting matches: what a single-pass place
  tagger costs. It is a reference, not a ceiling: `extract` runs only the
  small station-term automaton over the whole (folded) text and reads the
  gazetteer in the sentences around a hit, so on text with few claims it can
  be faster;
- extract: the end-to-end library path, `extract_bytes` on the file (decode,
  pre-filter, sentence analysis, summary); and again with the memo of sentence
  readings off (``extract_no_memo``): the rate on text never seen before. The
  claim-dense corpus repeats its passages, so with the memo most sentences
  are read once and remembered; real crawls repeat too (one agency story on
  dozens of sites), but less;
- jieba.cut: the common baseline, segmenting a sample into words (the issue's
  yardstick: extract should run at 15 times its rate on claim-dense text).

MB/s are of UTF-8 input bytes over the CPU seconds of each (single-threaded)
process (time.process_time: on a machine shared with other work, wall time
measures the neighbours too); peak memory is each process's own high-water
mark (VmHWM; ru_maxrss would report this parent's). Not a timed test: numbers
depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ZH_NEWS = [
    "国务院常务会议研究部署{topic}工作，要求各地区各部门抓好落实。",
    "据新华社{city}{m}月{d}日电，{country}总统当天会见了来访的中国代表团。",
    "{city}市政府召开新闻发布会，介绍今年前{m}个月经济运行情况，地区生产总值增长{n}%。",
    "{country}与中国签署了{n}项合作协议，涉及贸易、投资和人文交流等领域。",
    "今年以来，全市共接待游客{n}万人次，旅游收入同比增长{m}%。",
    "中国驻{country}大使馆提醒在当地中国公民注意防范{topic}风险。",
    "{city}警方破获一起跨境电信诈骗案，抓获犯罪嫌疑人{n}名。",
    "近年来，{country}华侨华人社团积极参与当地公益活动，受到广泛好评。",
    "记者从市公安局获悉，全市今年新增{n}名社区民警，覆盖主要商圈。",
]
# ordinary sentences that carry a generic station word: the pre-filter lets them through, the rules drop them
ZH_DISTRACTORS = [
    "记者从市公安局获悉，全市已建成{n}个智慧警务站，覆盖主要商圈。",
    "{city}高铁站今年旅客发送量突破{n}万人次。",
]
EN_DISTRACTORS = ["The train station in {city} reopened after {n} months of renovation work."]
ZH_CLAIMS = [
    "{jur}公安局在{country}{city}设立“警侨驿站”，为当地侨胞提供服务。",
    "截至目前，{jur}已在全球{n}个国家{m}座城市设立海外警侨服务中心。",
    "{year}年{m}月，{jur}在{country}设立海外联络点。",
    "{jur}縣公安局在{country}設立「海外警僑服務站」，共計{n}個。",
]
EN_NEWS = [
    "The {country} central bank raised interest rates by {n} basis points on Thursday.",
    "Officials in {city} said {n} people were evacuated after heavy rain flooded the old town.",
    "{country}'s prime minister met business leaders in {city} to discuss trade with China.",
    "Police in {city} arrested {n} suspects in connection with a series of burglaries.",
    "Tourism to {country} rose by {m} percent last year, the statistics office said.",
    "The stock exchange in {city} closed {m} percent higher on Friday.",
]
EN_CLAIMS = [
    "The {jur} police overseas service station in {city}, {country}, opened in {year}.",
    "{jur} authorities claim to run more than {n} overseas police service stations in {m} countries.",
    "An alleged Chinese police station in {city} was closed, {country} officials said.",
]
TOPICS = ["防汛抗旱", "安全生产", "乡村振兴", "数字经济", "盗窃", "诈骗"]
JURISDICTIONS_ZH = ["青田", "温州", "南通", "福州", "丽水", "瑞安", "文成"]
JURISDICTIONS_EN = ["Qingtian", "Wenzhou", "Nantong", "Fuzhou", "Lishui"]


def generate_corpus(
    path: Path, megabytes: float, claim_share: float, distractor_share: float = 0.01, seed: int = 3
) -> dict[str, float]:
    """Write about ``megabytes`` MB of documents separated by blank lines; return its make-up."""
    from longarm.geo.gazetteer import names

    rng = random.Random(seed)
    table = names()
    zh_cities = [
        s for s, ns in table.items() if ns[0].kind == "city" and not s.isascii() and ns[0].population > 500_000
    ]
    en_cities = [s for s, ns in table.items() if ns[0].kind == "city" and s.isascii() and ns[0].population > 500_000]
    zh_countries = [s for s, ns in table.items() if ns[0].kind == "country" and not s.isascii()]
    en_countries = [s for s, ns in table.items() if ns[0].kind == "country" and s.isascii() and " " not in s]
    target = megabytes * 1_000_000
    written = sentences = claims = 0
    with path.open("w", encoding="utf-8") as handle:
        while written < target:
            document = []
            for _ in range(rng.randint(10, 30)):
                zh = rng.random() < 0.6
                draw = rng.random()
                claim = draw < claim_share
                distractor = not claim and draw < claim_share + distractor_share
                if zh:
                    pool = ZH_CLAIMS if claim else ZH_DISTRACTORS if distractor else ZH_NEWS
                else:
                    pool = EN_CLAIMS if claim else EN_DISTRACTORS if distractor else EN_NEWS
                sentence = rng.choice(pool).format(
                    topic=rng.choice(TOPICS),
                    city=rng.choice(zh_cities if zh else en_cities),
                    country=rng.choice(zh_countries if zh else en_countries),
                    jur=rng.choice(JURISDICTIONS_ZH if zh else JURISDICTIONS_EN),
                    n=rng.randint(2, 300),
                    m=rng.randint(1, 12),
                    d=rng.randint(1, 28),
                    year=rng.randint(2015, 2022),
                )
                document.append(sentence if zh else sentence + " ")
                sentences += 1
                claims += claim
            text = "".join(document).rstrip() + "\n\n"
            handle.write(text)
            written += len(text.encode("utf-8"))
    return {"bytes": written, "sentences": sentences, "claim_sentences": claims}


PEAK = "re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)"
RAW_SCAN = """
import re, sys, time
from longarm.extract.matcher import gazetteer_automaton
automaton = gazetteer_automaton()
start = time.process_time()
size = matches = 0
with open(sys.argv[1], "rb") as handle:
    while block := handle.read(1 << 20):
        size += len(block)
        matches += len(automaton.find(block.decode("utf-8", errors="ignore")))
seconds = time.process_time() - start
print(size, seconds, matches, PEAK)
""".replace("PEAK", PEAK)
EXTRACT = """
import os, re, sys, time
from longarm.extract import extract_bytes, memo, might_contain_claim
from longarm.extract.matcher import gazetteer_automaton
from longarm.extract.numbers import parse_chinese
# built before timing: the automata, the fold table, and cn2an (imported at the first Chinese numeral, ~0.1 s)
gazetteer_automaton(); might_contain_claim(""); parse_chinese("二十")
memo.MEMO_SIZE = int(sys.argv[2])  # 0: every sentence read afresh, as in text never seen before
start = time.process_time()
with open(sys.argv[1], "rb") as handle:
    result = extract_bytes(handle)
seconds = time.process_time() - start
print(os.path.getsize(sys.argv[1]), seconds, len(result.claims), PEAK)
""".replace("PEAK", PEAK)
DOCUMENTS = """
import os, re, sys, time, glob, yaml
from longarm.extract import extract_document, memo
from longarm.extract.lookalike_model import lookalike_model
lookalike_model()  # the model's weights loaded before timing
texts = [p["text"] for f in sorted(glob.glob(sys.argv[1] + "/*.yaml")) for p in yaml.safe_load(open(f)) if "text" in p]
memo.MEMO_SIZE = 0
for text in texts[:20]:
    extract_document(text)  # the automata built before timing
keep = sys.argv[2] == "keep"
start = time.process_time()
found = sum(len(extract_document(text, lookalikes=keep).claims) for text in texts)
seconds = time.process_time() - start
print(sum(len(t.encode()) for t in texts), seconds, found, PEAK)
""".replace("PEAK", PEAK)
JIEBA = """
import logging, re, sys, time
import jieba
jieba.setLogLevel(logging.ERROR)
jieba.initialize()
with open(sys.argv[1], "rb") as handle:
    sample = handle.read(int(sys.argv[2]))
text = sample.decode("utf-8", errors="ignore")
start = time.process_time()
words = sum(1 for _word in jieba.cut(text))
seconds = time.process_time() - start
print(len(sample), seconds, words, PEAK)
""".replace("PEAK", PEAK)
EVAL = Path(__file__).resolve().parent.parent / "tests" / "extract_eval"


def generate_dense_corpus(path: Path, megabytes: float, seed: int = 3) -> dict[str, float]:
    """The evaluation passages, shuffled and repeated to about ``megabytes`` MB, one passage a document."""
    import yaml

    passages = [
        p["text"].strip()
        for f in sorted(EVAL.glob("*.yaml"))
        for p in yaml.safe_load(f.read_text("utf-8"))
        if "text" in p  # a file of labels only (second_reading.yaml) holds no passages
    ]
    rng = random.Random(seed)
    target = megabytes * 1_000_000
    written = documents = 0
    with path.open("w", encoding="utf-8") as handle:
        while written < target:
            rng.shuffle(passages)
            for text in passages:
                document = text + "\n\n"
                handle.write(document)
                written += len(document.encode("utf-8"))
                documents += 1
                if written >= target:
                    break
    return {"bytes": written, "documents": documents, "passages": len(passages)}


def run(code: str, *args: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    size, seconds, found, peak_kib = out.stdout.split()
    return {
        "mb": int(size) / 1e6,
        "seconds": float(seconds),
        "mb_per_s": int(size) / 1e6 / float(seconds),
        "found": int(found),
        "peak_rss_mb": int(peak_kib) / 1024,
    }


def measure(corpus: Path, makeup: dict[str, float], jieba_mb: float) -> dict[str, object]:
    results = {
        "raw_scan": run(RAW_SCAN, str(corpus)),
        "extract": run(EXTRACT, str(corpus), "8192"),
        "extract_no_memo": run(EXTRACT, str(corpus), "0"),
        "jieba_cut": run(JIEBA, str(corpus), str(int(jieba_mb * 1e6))),
    }
    corpus.unlink()
    return {
        "corpus": makeup,
        "results": results,
        "extract_over_raw_scan": results["extract"]["mb_per_s"] / results["raw_scan"]["mb_per_s"],
        "extract_over_jieba_cut": results["extract"]["mb_per_s"] / results["jieba_cut"]["mb_per_s"],
        # the honest ratio for text never seen before: every sentence read afresh
        "extract_no_memo_over_jieba_cut": results["extract_no_memo"]["mb_per_s"] / results["jieba_cut"]["mb_per_s"],
    }


def report(title: str, run_result: dict[str, object]) -> None:
    results: dict[str, dict[str, float]] = run_result["results"]  # type: ignore[assignment]
    print(title)
    print(f"  {'method':<16} {'MB':>7} {'seconds':>8} {'MB/s':>8} {'found':>9} {'peak RSS MB':>12}")
    for name, r in results.items():
        print(
            f"  {name:<16} {r['mb']:>7.1f} {r['seconds']:>8.2f} {r['mb_per_s']:>8.2f} {r['found']:>9.0f} "
            f"{r['peak_rss_mb']:>12.0f}"
        )
    print(
        f"  extract / raw scan: {run_result['extract_over_raw_scan']:.0%}; extract / jieba.cut: "
        f"{run_result['extract_over_jieba_cut']:.1f}x with the memo, "
        f"{run_result['extract_no_memo_over_jieba_cut']:.1f}x with it off (every sentence read afresh, "
        "as in text never seen before)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--mb", type=float, default=50, help="news-like corpus size in MB (default 50)")
    parser.add_argument("--dense-mb", type=float, default=20, help="claim-dense corpus size in MB (default 20)")
    parser.add_argument("--jieba-mb", type=float, default=2, help="jieba.cut sample in MB (default 2)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "corpus.txt"
        news = generate_corpus(corpus, args.mb, 0.002)
        runs = {"news": measure(corpus, news, args.jieba_mb)}
        dense = generate_dense_corpus(corpus, args.dense_mb)
        runs["dense"] = measure(corpus, dense, args.jieba_mb)
    documents = {"model_asked": run(DOCUMENTS, str(EVAL), "ask"), "lookalikes_kept": run(DOCUMENTS, str(EVAL), "keep")}
    runs["documents"] = {"results": documents}
    if args.json:
        print(json.dumps(runs, indent=2))
        return
    news_makeup: dict[str, float] = runs["news"]["corpus"]  # type: ignore[assignment]
    dense_makeup: dict[str, float] = runs["dense"]["corpus"]  # type: ignore[assignment]
    report(
        f"news-like corpus: {news_makeup['bytes'] / 1e6:.1f} MB, {news_makeup['sentences']:.0f} sentences, "
        f"{news_makeup['claim_sentences'] / news_makeup['sentences']:.1%} claim sentences",
        runs["news"],
    )
    report(
        f"claim-dense corpus: {dense_makeup['bytes'] / 1e6:.1f} MB, {dense_makeup['documents']:.0f} documents "
        f"({dense_makeup['passages']:.0f} evaluation passages, repeated)",
        runs["dense"],
    )
    asked, kept = documents["model_asked"], documents["lookalikes_kept"]
    print(
        f"evaluation passages, each its own document, read afresh: {asked['mb_per_s']:.2f} MB/s with the look-alike "
        f"model asked, {kept['mb_per_s']:.2f} MB/s without it (--keep-look-alikes): "
        f"the model costs {asked['seconds'] / kept['seconds'] - 1:.0%}"
    )


if __name__ == "__main__":
    main()
