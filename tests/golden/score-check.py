#!/usr/bin/python3
"""Recompute the base scores of lexicons/indices/content_quality.yaml from a
measures.json, independently of narrate's C code, and compare with the
score and dimension columns of narrate's ranking.csv (to 1e-6, the CSV's
precision).  The structure below mirrors content_quality.yaml: equal
weights, min-max, arithmetic means; engagement is log1p-transformed.
    score-check.py measures.json ranking.csv
"""
import csv
import json
import math
import sys

DIMS = [
    ("narrative_diversity", [("frame_hill1", 1, 0), ("topic_entropy", 1, 0), ("mtld", 1, 0)]),
    ("distinctiveness", [("distinctiveness", 1, 0), ("distinct_share", 1, 0),
                         ("jsd_topics", 1, 0)]),
    ("low_homogeneity", [("homogeneity", 0, 0), ("cosine_mean", 0, 0), ("dup_across", 0, 0),
                         ("cliche_rate", 0, 0)]),
    ("interaction", [("interaction_rate", 1, 0), ("engagement_per_doc", 1, 1)]),
    ("tone", [("tone_net", 1, 0)]),
]


def main():
    groups = json.load(open(sys.argv[1], encoding="utf-8"))["groups"]
    rows = {r["city_id"]: r for r in csv.DictReader(open(sys.argv[2], encoding="utf-8"))}
    ids = [g["id"] for g in groups]
    dimval = {i: {} for i in ids}
    for dim, inds in DIMS:
        acc = {i: 0.0 for i in ids}
        for name, benefit, log in inds:
            x = {g["id"]: g["measures"][name] for g in groups}
            if log:
                x = {k: math.log1p(v) for k, v in x.items()}
            lo, hi = min(x.values()), max(x.values())
            for k, v in x.items():
                n = 0.5 if hi == lo else ((v - lo) if benefit else (hi - v)) / (hi - lo)
                acc[k] += n / len(inds)
        for k in ids:
            dimval[k][dim] = acc[k]
    bad = 0
    for k in ids:
        score = sum(dimval[k].values()) / len(DIMS)
        got = float(rows[k]["score"])
        if abs(got - score) > 1e-6:
            print("city %s: score %r, expected %r" % (k, got, score))
            bad = 1
        for dim, _ in DIMS:
            if abs(float(rows[k][dim]) - dimval[k][dim]) > 1e-6:
                print("city %s: %s %s, expected %r" % (k, dim, rows[k][dim], dimval[k][dim]))
                bad = 1
    ranked = sorted(ids, key=lambda k: -sum(dimval[k].values()))
    for pos, k in enumerate(ranked):
        if int(rows[k]["rank"]) != pos + 1:
            print("city %s: rank %s, expected %d" % (k, rows[k]["rank"], pos + 1))
            bad = 1
    print("score-check: %d cities %s" % (len(ids), "differ" if bad else "agree"))
    return bad


sys.exit(main())
