#!/usr/bin/python3
"""The scikit-learn peer of `narrate analyze` for the benchmark: fit a
TfidfVectorizer on the texts of a JSONL corpus, as a researcher would to get
per-document tf-idf vectors.  Prints seconds for reading+fitting and the
text bytes.  Run with Debian's python3 (python3-sklearn)."""
import json
import sys
import time

from sklearn.feature_extraction.text import TfidfVectorizer

t0 = time.perf_counter()
texts = []
nbytes = 0
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        try:
            t = json.loads(line)["text"]
        except (ValueError, KeyError):
            continue
        texts.append(t)
        nbytes += len(t.encode("utf-8"))
X = TfidfVectorizer().fit_transform(texts)
t1 = time.perf_counter()
print(f"{t1 - t0:.3f} {nbytes} {X.shape[0]} {X.shape[1]}")
