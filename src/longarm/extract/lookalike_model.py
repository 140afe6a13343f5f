"""Whether a document's claims come from text about overseas stations or from a look-alike of it.

The rules judge a sentence by the words around its terms; a look-alike (a joint patrol, a visa centre, a
county's own 警务站, a delegation abroad) that uses a station word beside a foreign place passes them as
often as each new collection of real pages brings a wording they have not seen. This model judges the text
the claims came from as a whole: a logistic regression over character 1- to 3-grams (TF-IDF, the
words' edges marked), fitted by ``scripts/train_lookalike_model.py`` on the look-alikes and station
passages of ``tests/extract_eval/real_dev.yaml`` only, and shipped as its weights
(``lookalike_model.json.gz``). Where it gives a look-alike a probability above the threshold the
weights carry, the document's claims are set aside (``document.extract_chunks``).

This is scikit-learn's ``TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True)``
followed by ``LogisticRegression.predict_proba``, computed from the weights in plain Python, so that the
extractor needs no scikit-learn at run time; ``tests/test_extract_lookalike_model.py`` checks it against
scikit-learn's own on every dev passage.
"""

from __future__ import annotations

import gzip
import json
import math
import operator
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources

from longarm.extract.normalise import matching_form

WEIGHTS = "lookalike_model.json.gz"


@dataclass(frozen=True)
class LookalikeModel:
    """The fitted weights: per n-gram its idf and coefficient, the intercept and the threshold."""

    features: dict[str, tuple[float, float]]  # n-gram -> (idf, coefficient)
    intercept: float
    threshold: float

    def probability(self, text: str) -> float:
        """The probability that ``text`` (a document's claim sentences) is a look-alike's."""
        features = self.features
        squares = weighted = 0.0
        for gram, count in char_wb_counts(model_text(text)).items():
            feature = features.get(gram)
            if feature is not None:
                idf, coefficient = feature
                value = idf if count == 1 else (1.0 + math.log(count)) * idf
                squares += value * value
                weighted += value * coefficient
        decision = self.intercept + (weighted / math.sqrt(squares) if squares else 0.0)
        return 1.0 / (1.0 + math.exp(-decision))

    def is_lookalike(self, text: str) -> bool:
        return self.probability(text) > self.threshold


def model_text(text: str) -> str:
    """The text the model reads: simplified characters, lower case (as it was fitted)."""
    return matching_form(text).lower()


def char_wb_counts(text: str) -> Counter[str]:
    """The counts of scikit-learn's ``char_wb`` 1- to 3-grams (n-grams inside words, each word padded with a
    space), counted in one padded string: its 1- and 2-grams are the words' own (but for the padding space,
    counted twice a word), and its 3-grams are theirs but those across two words (a space in the middle)."""
    words = text.split()
    if not words:
        return Counter()
    padded = " " + " ".join(words) + " "
    counts = Counter(padded)
    counts[" "] = 2 * len(words)
    pairs = list(map(operator.add, padded[:-1], padded[1:]))
    counts.update(pairs)
    triples = Counter(map(operator.add, pairs[:-1], padded[2:]))
    for across in [gram for gram in triples if gram[1] == " "]:
        del triples[across]
    counts.update(triples)
    return counts


@cache
def lookalike_model() -> LookalikeModel:
    raw = resources.files("longarm.extract").joinpath(WEIGHTS).read_bytes()
    weights = json.loads(gzip.decompress(raw))
    features = {
        gram: (idf, coefficient)
        for gram, idf, coefficient in zip(weights["ngrams"], weights["idf"], weights["coef"], strict=True)
    }
    if weights["ngram_range"] != [1, 3]:
        raise ValueError(f"{WEIGHTS}: n-grams of {weights['ngram_range']}, this reader counts 1- to 3-grams")
    return LookalikeModel(features, weights["intercept"], weights["threshold"])
