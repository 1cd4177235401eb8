"""Inclusion probabilities of the weighted draw (inspections.drawing.inclusion): identities,
exact enumeration of the sequential picks, and a Monte Carlo run of the real selection."""

from __future__ import annotations

import hashlib
import math
from fractions import Fraction
from functools import cache

import pytest

from inspections.drawing import algorithm as alg
from inspections.drawing.inclusion import class_inclusion_probabilities, stratum_class_probabilities

W1248 = {"A": 1, "B": 2, "C": 4, "D": 8}
BIG = {"A": 20000, "B": 30000, "C": 8000, "D": 2000}


def exact(counts: dict[str, int], weights: dict, n: int, number=Fraction):
    """π per class by enumerating successive sampling: each pick takes one of the remaining
    institutions with probability weight / remaining total weight (the order of the
    exponential race). ``number``: Fraction (exact) or float (larger cases)."""
    classes = sorted(counts)
    ws = [number(str(weights.get(c, 1))) for c in classes]
    one = number(1)

    def pi(target: int):
        @cache
        def picked(rest: tuple[int, ...], left: int):
            """P(target is picked within ``left`` picks | others remaining ``rest``)."""
            if left == 0:
                return one * 0
            total = ws[target] + sum(k * w for k, w in zip(rest, ws, strict=True))
            p = ws[target] / total
            for i, k in enumerate(rest):
                if k:
                    nxt = rest[:i] + (k - 1,) + rest[i + 1:]
                    p += k * ws[i] / total * picked(nxt, left - 1)
            return p
        rest = tuple(counts[c] - (i == target) for i, c in enumerate(classes))
        return picked(rest, n)
    return {c: pi(i) for i, c in enumerate(classes) if counts[c]}


# (a) identities ------------------------------------------------------------------------------
@pytest.mark.parametrize("counts,weights,n", [
    (BIG, W1248, 600),
    ({"A": 300, "B": 100, "C": 30, "D": 10}, W1248, 35),
    ({"A": 3000, "B": 1000, "C": 200, "D": 40, "-": 500}, W1248, 35),
    ({"A": 50, "D": 10}, {"A": "1", "D": "8"}, 59),
    ({"A": 500, "B": 300, "C": 150, "D": 50}, W1248, 900),
    ({"A": 1000, "D": 10}, {"A": 1, "D": 100}, 12),
    ({"A": 1, "B": 1, "C": 1, "D": 1}, W1248, 3),
    ({"A": 1000, "B": 600, "C": 300, "D": 100}, W1248, 1500),  # more than half drawn
    (BIG, W1248, 2000),  # (1 − p)^N underflows for the larger classes
])
def test_expected_number_drawn_is_n(counts, weights, n):
    pi = class_inclusion_probabilities(counts, weights, n)
    assert abs(sum(counts[c] * p for c, p in pi.items()) - n) < 1e-6
    assert all(0 <= p <= 1 for p in pi.values())
    present = sorted(pi, key=lambda c: float(weights.get(c, 1)))
    assert [pi[c] for c in present] == sorted(pi[c] for c in present)  # heavier, likelier


def test_equal_weights_all_or_nothing_and_single_class():
    counts = {"A": 7, "B": 5, "C": 0, "D": 3, "-": 2}
    assert class_inclusion_probabilities(counts, None, 4) == {c: 4 / 17 for c in "ABD-"}
    assert class_inclusion_probabilities(counts, {}, 4) == {c: 4 / 17 for c in "ABD-"}
    same = class_inclusion_probabilities(counts, {"A": 3, "B": 3, "D": 3, "-": 3}, 4)
    assert same == pytest.approx({c: 4 / 17 for c in "ABD-"}, abs=1e-15)
    assert class_inclusion_probabilities(counts, W1248, 17) == {c: 1.0 for c in "ABD-"}
    assert class_inclusion_probabilities(counts, W1248, 0) == {c: 0.0 for c in "ABD-"}
    assert class_inclusion_probabilities({"C": 40}, W1248, 9) == {"C": 9 / 40}


def test_nearly_equal_weights_go_through_the_integral_and_give_n_over_total():
    counts = {"A": 400, "B": 250, "D": 30}
    pi = class_inclusion_probabilities(counts, {"A": 1, "B": 1 + 1e-9, "D": 1 - 1e-9}, 70)
    assert pi == pytest.approx({c: 70 / 680 for c in counts}, abs=1e-9)


def test_one_drawn_is_weight_over_total_weight_and_unnamed_classes_weigh_one():
    counts = {"A": 5, "B": 4, "C": 3, "D": 2, "-": 6}
    pi = class_inclusion_probabilities(counts, {"B": 2, "C": 4, "D": 8}, 1)
    total = 5 + 8 + 12 + 16 + 6
    assert pi == pytest.approx({"A": 1 / total, "B": 2 / total, "C": 4 / total,
                                "D": 8 / total, "-": 1 / total}, abs=1e-12)


def test_extreme_weights_one_drawn():
    pi = class_inclusion_probabilities({"A": 1000, "D": 1}, {"A": 1, "D": 1e6}, 1)
    assert pi == pytest.approx({"A": 1 / 1_001_000, "D": 1e6 / 1_001_000}, abs=1e-12)


def test_stratum_class_probabilities_counts_the_members():
    risks = ["A"] * 6 + ["B"] * 3 + ["D"] * 2 + ["-"] * 4
    assert stratum_class_probabilities(risks, W1248, 5) == class_inclusion_probabilities(
        {"A": 6, "B": 3, "D": 2, "-": 4}, W1248, 5)


# (b) exact enumeration -----------------------------------------------------------------------
@pytest.mark.parametrize("counts,weights,n", [
    ({"A": 2, "D": 2}, {"A": 1, "D": 8}, 1),
    ({"A": 2, "D": 2}, {"A": 1, "D": 8}, 2),
    ({"A": 2, "D": 2}, {"A": 1, "D": 8}, 3),
    ({"A": 3, "B": 2, "C": 2, "D": 1, "-": 2}, W1248, 2),
    ({"A": 3, "B": 2, "C": 2, "D": 1, "-": 2}, W1248, 6),
    ({"A": 4, "C": 1}, {"A": 1, "C": "2.5"}, 3),
    ({"A": 9, "B": 2, "D": 2}, {"A": 1, "B": 1000, "D": 1e5}, 4),
])
def test_agrees_with_exact_enumeration(counts, weights, n):
    want = exact(counts, weights, n)
    got = class_inclusion_probabilities(counts, weights, n)
    assert got.keys() == want.keys()
    for c in want:
        assert abs(got[c] - float(want[c])) < 1e-9, c


@pytest.mark.parametrize("n", [3, 11, 17])
def test_agrees_with_enumeration_on_a_mid_sized_stratum(n):
    counts = {"A": 8, "B": 6, "C": 4, "D": 3}
    want = exact(counts, W1248, n, number=float)
    got = class_inclusion_probabilities(counts, W1248, n)
    assert max(abs(got[c] - want[c]) for c in counts) < 1e-9


# (c) the real draw ---------------------------------------------------------------------------
def test_agrees_with_monte_carlo_of_select_institutions():
    risks = ["A"] * 24 + ["B"] * 18 + ["C"] * 9 + ["D"] * 5 + ["-"] * 4
    entries = [alg.entry_make(f"9144010{i:011d}", "07", False, r, "07", "440103")
               for i, r in enumerate(risks)]
    allocation = [{"stratum": "07", "size": 60, "centres_in_pool": 0, "count": 10,
                   "centres": None}]
    weights = {"A": "1", "B": "2", "C": "4", "D": "8"}  # as the draw parameters store them
    risk_of = {e.code: e.risk for e in entries}
    runs = 4000
    per_run: dict[str, list[int]] = {c: [] for c in "ABCD-"}
    for i in range(runs):
        seed = hashlib.sha256(str(i).encode()).hexdigest()
        got = alg.select_institutions(seed, entries, allocation, weights)
        assert len(got) == 10
        drawn = [risk_of[g["code"]] for g in got]
        for c in per_run:
            per_run[c].append(drawn.count(c))
    pi = stratum_class_probabilities(risks, weights, 10)
    for c, xs in per_run.items():
        size = risks.count(c)
        mean = sum(xs) / runs
        var = sum((x - mean) ** 2 for x in xs) / (runs - 1)
        se = math.sqrt(var / runs) / size
        assert abs(mean / size - pi[c]) < 3 * se, (c, mean / size, pi[c], se)


# (d) weights are not probability ratios ------------------------------------------------------
def test_d_to_a_ratio_is_below_the_weight_ratio_when_many_are_drawn():
    even = {"A": 100, "B": 100, "C": 100, "D": 100}
    few = class_inclusion_probabilities(even, W1248, 40)
    many = class_inclusion_probabilities(even, W1248, 200)
    assert 7.0 < few["D"] / few["A"] < 7.5  # ≈ 7.26
    assert many["D"] / many["A"] < few["D"] / few["A"] < 8
    big = class_inclusion_probabilities(BIG, W1248, 600)
    assert 7.5 < big["D"] / big["A"] < 8  # a small share drawn: close to, still under, 8
    one = class_inclusion_probabilities(even, W1248, 1)
    assert one["D"] / one["A"] == pytest.approx(8, abs=1e-9)  # only for a single pick


# (e) errors ----------------------------------------------------------------------------------
@pytest.mark.parametrize("counts,weights,n", [
    ({"A": 3, "D": 2}, W1248, 6),
    ({"A": 3, "D": 2}, W1248, -1),
    ({}, None, 1),
    ({"A": 3, "D": 2}, {"A": 1, "D": 0}, 2),
    ({"A": 3, "D": 2}, {"A": -1}, 2),
    ({"A": 3, "D": 2}, {"B": "nan"}, 2),
    ({"A": 3, "D": 2}, {"A": "x"}, 2),
    ({"A": -3, "D": 2}, None, 1),
])
def test_refuses_bad_arguments(counts, weights, n):
    with pytest.raises(ValueError):
        class_inclusion_probabilities(counts, weights, n)


def test_stratum_form_refuses_bad_arguments():
    with pytest.raises(ValueError):
        stratum_class_probabilities(["A", "D", "-"], W1248, 4)
    with pytest.raises(ValueError):
        stratum_class_probabilities(["A", "D", "-"], {"D": "-8"}, 1)
