"""Over many seeds, each institution's selection frequency matches its inclusion probability.

Chi-square goodness of fit (SciPy); the seeds are fixed, so the test is deterministic. Exact
probabilities: k/N for ratio strata and unweighted quotas; for weighted quotas, enumerated on a
small pool (Efraimidis–Spirakis keys are successive sampling proportional to weight).
"""

from __future__ import annotations

import hashlib
import itertools
from collections import Counter

from scipy.stats import chisquare

from inspections.drawing import algorithm as alg

SEEDS = [hashlib.sha256(f"seed-{i}".encode()).hexdigest() for i in range(4000)]
ALPHA = 0.001


def frequencies(pool, spec, weights=None):
    allocation = alg.allocate(spec, pool)
    counts = Counter()
    for seed in SEEDS:
        for s in alg.select_institutions(seed, pool, allocation, weights):
            counts[s["code"]] += 1
    return counts


def test_unweighted_quota_gives_k_over_n_to_everyone():
    pool = [alg.Entry(f"U{i:03d}", "07", False, "B", "07", "440103") for i in range(20)]
    counts = frequencies(pool, {"mode": "quotas", "strata": ["07"], "quotas": {"07": 5}})
    observed = [counts[e.code] for e in pool]
    expected = [len(SEEDS) * 5 / 20] * 20
    assert chisquare(observed, expected).pvalue > ALPHA


def test_class_ratio_strata_give_each_class_its_published_probability():
    classes = ["D"] * 10 + ["C"] * 20 + ["A"] * 50
    pool = [alg.Entry(f"R{i:03d}", c, False, c, "07", "440103") for i, c in enumerate(classes)]
    spec = {"mode": "class_ratio", "strata": ["D", "C", "B", "A"],
            "class_ratios": {"D": "0.30", "C": "0.10", "B": "0.02", "A": "0.02"}}
    allocation = {a["stratum"]: a for a in alg.allocate(spec, pool)}
    counts = frequencies(pool, spec)
    for cls in ("D", "C", "A"):
        members = [e for e in pool if e.risk == cls]
        p = allocation[cls]["count"] / allocation[cls]["size"]
        observed = [counts[e.code] for e in members]
        assert chisquare(observed, [len(SEEDS) * p] * len(members)).pvalue > ALPHA
    # higher risk, higher probability, as the plan says
    rate = {c: sum(counts[e.code] for e in pool if e.risk == c) / classes.count(c)
            for c in ("D", "C", "A")}
    assert rate["D"] > rate["C"] > rate["A"]


def exact_inclusion(weights: list[float], k: int) -> list[float]:
    """P(item i among the first k of successive sampling ∝ weight), by enumeration."""
    n = len(weights)
    prob = [0.0] * n
    for order in itertools.permutations(range(n), k):
        p, left = 1.0, sum(weights)
        for i in order:
            p *= weights[i] / left
            left -= weights[i]
        for i in order:
            prob[i] += p
    return prob


def test_weighted_quota_matches_exact_probabilities_and_raises_high_risk():
    risks = ["A", "A", "B", "C", "D", "B"]
    weights = {"A": 1.0, "B": 2.0, "C": 4.0, "D": 8.0}
    pool = [alg.Entry(f"W{i}", "07", False, r, "07", "440103") for i, r in enumerate(risks)]
    counts = frequencies(pool, {"mode": "quotas", "strata": ["07"], "quotas": {"07": 2}},
                         weights)
    exact = exact_inclusion([weights[r] for r in risks], 2)
    observed = [counts[e.code] for e in pool]
    assert chisquare(observed, [len(SEEDS) * p for p in exact]).pvalue > ALPHA
    by_weight = sorted(zip([weights[r] for r in risks], observed, strict=True))
    assert by_weight[-1][1] > by_weight[0][1] * 3  # D drawn far more often than A


def test_centre_subquota_gives_exact_probabilities_in_each_substratum():
    pool = [alg.Entry(f"N{i:03d}", "07", i < 6, "B", "07", "440103") for i in range(30)]
    spec = {"mode": "quotas", "strata": ["07"], "quotas": {"07": 6}, "centres": {"07": 2}}
    counts = frequencies(pool, spec)
    centres = [counts[e.code] for e in pool if e.centre]
    others = [counts[e.code] for e in pool if not e.centre]
    assert chisquare(centres, [len(SEEDS) * 2 / 6] * 6).pvalue > ALPHA
    assert chisquare(others, [len(SEEDS) * 4 / 24] * 24).pvalue > ALPHA
