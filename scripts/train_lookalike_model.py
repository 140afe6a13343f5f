"""Fit the extractor's look-alike model (src/longarm/extract/lookalike_model.py) and write its weights.

    .venv/bin/python scripts/train_lookalike_model.py [--check]

Fitted on tests/extract_eval/real_dev.yaml only (the test set is never read here): every passage, a
look-alike (``kind: negative-...``) against one about stations. The text is the passage as
``model_text`` gives it; the features are character 1- to 3-grams within words (TF-IDF, sublinear term
frequency) seen in at least two passages; the model a logistic regression, classes weighted by their size.

The threshold was chosen on dev before the model was tried on test (tests/extract_eval/README.md, r39):
holding out one round of passages at a time, a threshold of 0.7 set aside 6 of 409 dev passages about
stations with claims (r39's measure; it did not yet leave out the passages with a specific term, which the
model is never asked about). ``--check`` prints the measure again, leaving those out, instead of writing the
weights.

The output is deterministic for the same scikit-learn version (liblinear-free lbfgs on the same data):
src/longarm/extract/lookalike_model.json.gz, with the dev file's SHA-256 and the library version in it.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "tests" / "extract_eval" / "real_dev.yaml"
OUT = ROOT / "src" / "longarm" / "extract" / "lookalike_model.json.gz"
THRESHOLD = 0.7
C = 4.0


def fit(passages: list[dict[str, Any]]) -> tuple[Any, Any]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    from longarm.extract.lookalike_model import model_text
    from longarm.extract.scoring import is_negative

    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), min_df=2, sublinear_tf=True)
    features = vectorizer.fit_transform([model_text(p["text"]) for p in passages])
    labels = [is_negative(p) for p in passages]
    model = LogisticRegression(C=C, max_iter=5000, class_weight="balanced").fit(features, labels)
    return vectorizer, model


def round_of(passage: dict[str, Any]) -> int:
    match = re.match(r"r(\d+)", str(passage.get("added")))
    return int(match.group(1)) if match else -1


def check(passages: list[dict[str, Any]]) -> None:
    """Leave one round out: how many station passages each threshold would set aside (those with claims, none
    of which has a specific term or one said to be overseas: the passages the model is asked about)."""
    from longarm.extract import extract_document
    from longarm.extract.lookalike_model import model_text
    from longarm.extract.rules import names_an_overseas_station
    from longarm.extract.scoring import is_negative

    views = {}
    for passage in passages:
        pub_date = str(passage.get("pub_date") or "") or None
        claims = extract_document(passage["text"], pub_date, lookalikes=True).claims
        asked = not any(names_an_overseas_station(claim) for claim in claims)
        views[passage["id"]] = " ".join(dict.fromkeys(claim.sentence for claim in claims)) if asked else ""
    scored: list[tuple[bool, float]] = []
    for held_out in sorted({round_of(p) for p in passages}):
        vectorizer, model = fit([p for p in passages if round_of(p) != held_out])
        held = [p for p in passages if round_of(p) == held_out and views[p["id"]]]
        if held:
            texts = [model_text(views[p["id"]]) for p in held]
            probabilities = model.predict_proba(vectorizer.transform(texts))[:, 1]
            scored += [(is_negative(p), float(q)) for p, q in zip(held, probabilities, strict=True)]
    stations = [q for negative, q in scored if not negative]
    for threshold in (0.6, 0.65, 0.7, 0.75, 0.8):
        set_aside = sum(q > threshold for q in stations)
        print(f"threshold {threshold}: {set_aside} of {len(stations)} station passages asked about set aside")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--check", action="store_true", help="print the leave-one-round-out measure, write nothing")
    args = parser.parse_args(argv)
    import sklearn

    raw = DEV.read_bytes()
    passages: list[dict[str, Any]] = yaml.safe_load(raw)
    if args.check:
        check(passages)
        return 0
    vectorizer, model = fit(passages)
    grams = vectorizer.get_feature_names_out()
    weights = {
        "trained_on": f"tests/extract_eval/real_dev.yaml sha256:{hashlib.sha256(raw).hexdigest()}",
        "scikit_learn": sklearn.__version__,
        "ngram_range": [1, 3],
        "threshold": THRESHOLD,
        "intercept": round(float(model.intercept_[0]), 8),
        "ngrams": [str(g) for g in grams],
        "idf": [round(float(v), 8) for v in vectorizer.idf_],
        "coef": [round(float(v), 8) for v in model.coef_[0]],
    }
    data = json.dumps(weights, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    OUT.write_bytes(gzip.compress(data, mtime=0))
    print(f"wrote {OUT.relative_to(ROOT)}: {len(grams)} n-grams, {len(data) // 1024} KB of JSON")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
