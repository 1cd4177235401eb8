"""Inclusion probabilities of the weighted institution draw (``tic-draw-1``); standard library only.

Rule: docs/draw.md §5; seed 001 §三(三): higher-risk institutions drawn with higher probability.
Each institution of class c gets the rank −ln(u)/w_c, exponential of rate w_c, and the n smallest
ranks of the stratum are drawn (:func:`inspections.drawing.algorithm.select_institutions`).
Weights are not ratios of chances: with 1:2:4:8 the D:A ratio of inclusion probabilities is
under 8 (≈ 7.26 for 100 of each class and n = 40, ≈ 4.1 for n = 200), hence this module.

Method. An institution of class c is drawn iff fewer than n of the others rank below it:
π_c = ∫₀^∞ w_c e^{−w_c t} P(K_{−c}(t) ≤ n−1) dt, K_{−c}(t) = Σ_k Bin(N_k − [k=c], 1 − e^{−w_k t})
(equal weights merged). Before the time where a Chernoff bound puts P(K ≥ n) under 1e-17 the
probability is taken as 1 (integrated exactly), after the time where it puts P(K ≤ n) under
1e-17 as 0; in between, composite 10-point Gauss–Legendre on panels of about two local scales
(σ(K)/μ'(t); 1/mean weight of the unranked; 3/w while e^{−wt} > 1e-17). At each node the binomial pmfs, cut to 0…n−1 and to
terms ≥ 1e-18, come from the ratio recurrence started at (1−p)^N = e^{−Nwt} (at the mode, via
``math.comb``, if that underflows) and are multiplied in two halves by Kronecker substitution
(one big-integer product, 62-bit fixed point). The law without one institution of class c is its
half divided by (1−p_c + p_c z) (stable for p_c ≤ ½; else rebuilt from Bin(N_c − 1)), and
P(K_{−c} ≤ n−1) is a dot product with the other half's CDF. If more than half are drawn, the
unranked are counted instead (cost ∝ min(n, N−n)²). If Σ_c N_c π_c is off n by more than 1e-9
the panels are halved and the integral redone, at most twice (never renormalised).

Accuracy (vs exact enumeration and a 4× finer rule): ≈ 1e-15 absolute on small strata, ≈ 1e-14
on large; |Σ N_c π_c − n| ≲ 1e-10. Best-of-5 times here (CPython 3.11, 2 cores, shared):
{A: 20000, B: 30000, C: 8000, D: 2000}, 1:2:4:8, n = 600 — 83–90 ms (n = 2,000: 200–290 ms);
2023-plan shapes (300–4,000 members, n = 5–35) — 2.5–13 ms; strata of a handful — 2–10 ms.
"""

from __future__ import annotations

import math
import sys
from array import array
from collections import Counter
from itertools import accumulate
from operator import mul

Law = tuple[int, list[float]]  # (offset, pmf from that offset on)
Groups = list[tuple[float, int]]  # (weight, number of institutions)
_TAIL = math.log(1e17)  # neglected probability at either end of the window
_TINY = 1e-18  # pmf terms below this are cut
_SCALE, _LO, _HI = float(2 ** 62), 2.0 ** -124, 2.0 ** -60


# 10-point Gauss–Legendre rule on [−1, 1]: (±node, weight) (Abramowitz & Stegun table 25.4)
_NODES = [(sign * x, w) for x, w in (
    (0.14887433898163122, 0.2955242247147529), (0.43339539412924716, 0.26926671930999624),
    (0.6794095682990244, 0.21908636251598218), (0.8650633666889845, 0.14945134915058053),
    (0.9739065285171716, 0.06667134430868774)) for sign in (-1, 1)]


def class_inclusion_probabilities(counts: dict[str, int], weights: dict[str, float] | None,
                                  n: int) -> dict[str, float]:
    """Probability that a given institution of each class is drawn when ``n`` of the stratum are.

    ``counts``: class → number of institutions of that class in the stratum (or sub-stratum);
    ``weights``: class → weight > 0, numbers or decimal strings as the draw parameters store them
    (``None`` or empty: all weigh 1; a class the map does not name, e.g. ``-``, weighs 1 — exactly
    as ``select_institutions`` ranks); ``n``: number drawn. Returns class → probability, a fraction
    in [0, 1] (not a percentage), for each class with a count > 0; Σ count · probability = n
    (to 1e-9).

    Raises ``ValueError`` if a count is negative, ``n`` is outside [0, Σ counts] or a weight is
    not a finite number > 0.
    """
    w_of: dict[str, float] = {}
    for cls, value in (weights or {}).items():
        try:
            w_of[cls] = float(value)
        except (TypeError, ValueError):
            w_of[cls] = math.nan
        if not (w_of[cls] > 0 and math.isfinite(w_of[cls])):
            raise ValueError(f"weight of class {cls!r} must be a finite number > 0: {value!r}")
    if any(int(c) < 0 for c in counts.values()):
        raise ValueError("class counts must be >= 0")
    present = {cls: int(c) for cls, c in counts.items() if int(c) > 0}
    total, n = sum(present.values()), int(n)
    if not 0 <= n <= total:
        raise ValueError(f"n = {n} is outside [0, {total}]")
    by_weight: dict[float, int] = {}
    for cls, c in present.items():
        by_weight[w_of.get(cls, 1.0)] = by_weight.get(w_of.get(cls, 1.0), 0) + c
    if n in (0, total) or len(by_weight) == 1:
        pi = {w: n / total for w in by_weight}  # exact: nothing, everything, or all alike
    else:
        pi = dict(zip(by_weight, _by_weight(list(by_weight.items()), n), strict=True))
    return {cls: pi[w_of.get(cls, 1.0)] for cls in present}


def stratum_class_probabilities(entries_risks: list[str], weights: dict[str, float] | None,
                                n: int) -> dict[str, float]:
    """:func:`class_inclusion_probabilities` of a stratum given as its members' risk classes
    (``"A"``–``"D"`` or ``"-"``, one string per institution); same result and errors."""
    return class_inclusion_probabilities(Counter(entries_risks), weights, n)


# --------------------------------------------------------------------------------------------
def _by_weight(groups: Groups, n: int) -> list[float]:
    """π per group (at least 2 distinct weights, 0 < n < N)."""
    total = sum(c for _, c in groups)
    lo, hi = _window(groups, n, total)
    for dz in (2.0, 1.0, 0.5):
        pi = [-math.expm1(-w * lo) for w, _ in groups]
        bounds = _panels(groups, lo, hi, dz)
        for u, v in zip(bounds, bounds[1:], strict=False):
            for x, gw in _NODES:
                t = (u + v) / 2 + (v - u) / 2 * x
                for g, f in enumerate(_below(groups, n, total, t)):
                    pi[g] += (v - u) / 2 * gw * groups[g][0] * math.exp(-groups[g][0] * t) * f
        if abs(sum(p * c for p, (_, c) in zip(pi, groups, strict=True)) - n) <= 1e-9:
            break
    return [min(1.0, max(0.0, p)) for p in pi]


def _stats(groups: Groups, t: float) -> tuple[float, float, float, float]:
    """At time t: mean number ranked below t, mean number not, d(mean)/dt, variance."""
    mu = nu = d = var = 0.0
    for w, c in groups:
        q, p = math.exp(-w * t), -math.expm1(-w * t)
        mu, nu, d, var = mu + c * p, nu + c * q, d + c * w * q, var + c * p * q
    return mu, nu, d, var


def _chernoff(m: float, a: int) -> bool:
    """Whether P(X ≥ a) (if m < a) or P(X ≤ a) (if m > a) is ≤ 1e-17 by the Chernoff bound
    e^{−m}(em/a)^a, X a sum of independent Bernoulli variables of mean m."""
    return m <= 0 or m - a - a * math.log(m / a) >= _TAIL


def _window(groups: Groups, n: int, total: int) -> tuple[float, float]:
    """[lo, hi]: before lo, P(K ≥ n) < 1e-17; after hi, P(K ≤ n) < 1e-17 (bounds on K or on
    the number N − K not yet ranked)."""
    def early(t: float) -> bool:
        mu, nu, _, _ = _stats(groups, t)
        return (mu < n and _chernoff(mu, n)) or (nu > total - n and _chernoff(nu, total - n))

    def late(t: float) -> bool:
        mu, nu, _, _ = _stats(groups, t)
        return (mu > n and _chernoff(mu, n)) or (nu < total - n and _chernoff(nu, total - n))

    def edge(pred, x: float, y: float) -> float:  # pred true at x, false at y: bisect
        while x < (x + y) / 2 < y:
            x, y = ((x + y) / 2, y) if pred((x + y) / 2) else (x, (x + y) / 2)
        return x
    hi = 1.0 / sum(w * c for w, c in groups)
    while not late(hi):
        hi *= 2
    hi = math.nextafter(edge(lambda t: not late(t), 0.0, hi), math.inf)  # first late time
    return edge(early, 0.0, hi), hi


def _panels(groups: Groups, lo: float, hi: float, dz: float) -> list[float]:
    """Panel bounds on [lo, hi], each panel spanning about dz local scales of the integrand."""
    w_min = min(w for w, _ in groups)

    def rate(t: float) -> float:  # of K, of the unranked, of the factors e^{−w t} still > 1e-17
        _, nu, d, var = _stats(groups, t)
        alive = max((w for w, _ in groups if w * t < _TAIL), default=0.0)
        return d / max(math.sqrt(var), 1.0) + (d / nu if nu > 0 else w_min) + alive / 3
    out = [lo]
    while out[-1] < hi:
        u = out[-1]
        h = dz / rate(u)
        for _ in range(3):
            h = dz / max(rate(u), rate(u + h / 2), rate(u + h))
        out.append(hi if u + 1.25 * h >= hi else max(u + h, math.nextafter(u, hi)))
    return out


def _below(groups: Groups, n: int, total: int, t: float) -> list[float]:
    """P(K_{−c}(t) ≤ n−1) for an institution of each group."""
    comp = 2 * n > total  # then count the unranked: 1 − P(M_{−c} ≤ N−n−1)
    a = total - n if comp else n
    laws = []
    for w, c in groups:
        p, q = -math.expm1(-w * t), math.exp(-w * t)
        s, sb, lsb = (q, p, math.log(p) if p > 0 else -math.inf) if comp else (p, q, -w * t)
        laws.append((c, s, sb, lsb, _binom(c, s, sb, lsb, a)))
    halves = (laws[:len(laws) // 2], laws[len(laws) // 2:])
    prods = []
    for half in halves:
        f = half[0][4]
        for law in half[1:]:
            f = _conv(f, law[4], a)
        prods.append(f)
    out = []
    for side, half in enumerate(halves):
        for i, (c, s, sb, lsb, _) in enumerate(half):
            if len(half) > 1 and s <= sb:  # divide the half's law by (sb + s z)
                off, prev, pmf = prods[side][0], 0.0, []
                for v in prods[side][1]:
                    prev = (v - s * prev) / sb
                    pmf.append(prev)
                h: Law = (off, pmf)
            else:
                h = _binom(c - 1, s, sb, lsb, a)
                for law in half[:i] + half[i + 1:]:
                    h = _conv(h, law[4], a)
            g = _cdf_dot(h, prods[1 - side], a)
            out.append(1.0 - g if comp else g)
    return out


def _binom(c: int, s: float, sb: float, lsb: float, a: int) -> Law:
    """Bin(c, s) on 0…a−1, terms < 1e-18 cut; sb = 1 − s and lsb = ln sb, both accurate."""
    top = min(c, a - 1)
    if c == 0 or s == 0.0:
        return 0, [1.0]
    if sb == 0.0:
        return (c, [1.0]) if c <= top else (0, [])
    r, mode = s / sb, min(top, int((c + 1) * s))
    if c * lsb > -700:  # from (1 − s)^c at 0
        j0, v0 = 0, math.exp(c * lsb)
    else:  # that underflows: from the mode
        j0, lv = mode, math.log(math.comb(c, mode)) + mode * math.log(s) + (c - mode) * lsb
        if lv < -740:
            return 0, []
        v0 = math.exp(lv)
    down = [v0]
    while j0 - len(down) + 1 > 0 and down[-1] >= _TINY:
        j = j0 - len(down) + 1
        down.append(down[-1] * j / ((c - j + 1) * r))
    pmf, j = down[::-1], j0
    while j < top and (pmf[-1] >= _TINY or j < mode):
        pmf.append(pmf[-1] * (c - j) / (j + 1) * r)
        j += 1
    head = next((i for i, v in enumerate(pmf) if v >= _TINY), None)
    return (0, []) if head is None else (j0 - len(down) + 1 + head, pmf[head:])


def _pack(values: list[float]) -> int:
    """Values in [0, 1] as 62-bit fixed point in the 128-bit slots of one integer."""
    words = array("Q", bytes(16 * len(values)))
    words[0::2] = array("Q", [int(v * _SCALE) for v in values])
    if sys.byteorder == "big":
        words.byteswap()
    return int.from_bytes(words, "little")


def _conv(x: Law, y: Law, a: int) -> Law:
    """Law of the sum on 0…a−1 by one big-integer product (a slot holds Σ x_i y_j ≤ 2^124,
    as each pmf sums to ≤ 1); absolute error ≲ 1e-18 per term."""
    (ox, xs), (oy, ys) = x, y
    size = min(len(xs) + len(ys) - 1, a - ox - oy)
    if size <= 0 or not xs or not ys:
        return 0, []
    words = array("Q")
    words.frombytes((_pack(xs) * _pack(ys)).to_bytes(16 * (len(xs) + len(ys)), "little"))
    if sys.byteorder == "big":
        words.byteswap()
    return ox + oy, [lo * _LO + hi * _HI
                     for lo, hi in zip(words[0:2 * size:2], words[1:2 * size:2], strict=True)]


def _cdf_dot(h: Law, f: Law, a: int) -> float:
    """Σ_j h(j) · P(F ≤ a−1−j)."""
    (oh, hs), (of, fs) = h, f
    if not hs or not fs:
        return 0.0
    cdf = list(accumulate(fs))
    top = a - 1 - oh - of  # h's index j meets cdf index top − j
    full = min(len(hs), max(0, top - len(cdf) + 2))  # j < full: all of F
    part = hs[full:top + 1]
    tail = cdf[top - full::-1][:len(part)] if top >= full else []
    return cdf[-1] * math.fsum(hs[:full]) + sum(map(mul, part, tail))
