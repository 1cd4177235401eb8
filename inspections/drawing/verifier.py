#!/usr/bin/env python3
"""Verify a published draw (algorithm ``tic-draw-1``): one file, Python standard library only.

Usage::

    python3 verify_draw.py DRAW.json POOL.tsv [INSPECTOR_POOL.tsv]

``DRAW.json`` is ``GET /api/public/draws/{id}/``; ``POOL.tsv`` and ``INSPECTOR_POOL.tsv`` are the
files at its ``pool_url`` and ``inspector_pool_url``. Prints ``MATCH`` (exit status 0) when the
pool digests, the seed commitment, the seed, the allocation of quotas, the selected institutions
and (given the inspector pool) the inspector teams all follow from the published data; else
``MISMATCH`` with each difference, or ``PENDING`` for a draw that has not run yet (exit status
1). Exit status 2: unreadable input.

This is an independent implementation of the specification ``docs/draw.md`` (section numbers
below refer to it), written for clarity, not speed, and sharing no code with the platform's
``inspections/drawing/algorithm.py``: a bug in one is caught by the other (the platform's test
suite replays many random draws through both). It is what the platform's public "verify this
draw" page runs, and the file served as ``verify_draw.py`` for download.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import sys
from fractions import Fraction
from pathlib import Path

VERSION = "tic-draw-1"
INSTITUTION_HEADER = ["#tic-draw-1 institutions", "code", "stratum", "centre", "risk", "field",
                      "region"]
INSPECTOR_HEADER = ["#tic-draw-1 inspectors", "code", "department", "fields", "county", "ties"]


class Unverifiable(Exception):
    """The record or a pool cannot be read as the specification says."""


# §2 -----------------------------------------------------------------------------------------
def read_table(text: str, header: list[str]) -> list[list[str]]:
    """Rows of a pool text: UTF-8, ``\\n`` after every line, TAB-separated, header first."""
    if not text.endswith("\n"):
        raise Unverifiable("a pool must end with a newline")
    lines = text[:-1].split("\n")
    if lines[0].split("\t") != header:
        raise Unverifiable(f"unexpected pool header {lines[0]!r}")
    rows = [line.split("\t") for line in lines[1:]]
    for number, row in enumerate(rows, start=2):
        if len(row) != len(header) - 1:
            raise Unverifiable(f"pool line {number} has {len(row)} columns")
    codes = [row[0] for row in rows]
    if codes != sorted(codes) or len(set(codes)) != len(codes):
        raise Unverifiable("pool lines are not sorted by unique code")
    return rows


def institutions_of(text: str) -> list[dict]:
    """The institution pool (§2) as ``[{code, stratum, centre: bool, risk, field, region}]``;
    raises :class:`Unverifiable` if it is not one."""
    return [{"code": r[0], "stratum": r[1], "centre": r[2] == "1", "risk": r[3], "field": r[4],
             "region": r[5]} for r in read_table(text, INSTITUTION_HEADER)]


def inspectors_of(text: str) -> list[dict]:
    """The inspector pool (§2) as ``[{code, department, fields: set, county, ties: set of
    institution codes}]``; raises :class:`Unverifiable` if it is not one."""
    out = []
    for code, department, fields, county, ties in read_table(text, INSPECTOR_HEADER):
        out.append({"code": code, "department": department,
                    "fields": set(fields.split(",")) if fields else set(), "county": county,
                    "ties": {t.split(":", 1)[0] for t in ties.split(",")} if ties else set()})
    return out


def sha256_hex(data: bytes) -> str:
    """SHA-256 of ``data``, 64 hex digits."""
    return hashlib.sha256(data).hexdigest()


# §3 -----------------------------------------------------------------------------------------
def derive_seed(server_seed: str, external_value: str, pool_digest: str) -> str:
    """§3: SHA-256(server seed bytes ‖ external value UTF-8 ‖ pool digest bytes), hex."""
    return sha256_hex(bytes.fromhex(server_seed) + external_value.encode("utf-8")
                      + bytes.fromhex(pool_digest))


def key(seed: str, code: str) -> str:
    """§3: HMAC-SHA256(key = seed bytes, message = code UTF-8), hex."""
    return hmac.new(bytes.fromhex(seed), code.encode("utf-8"), hashlib.sha256).hexdigest()


# §4 -----------------------------------------------------------------------------------------
def half_up(x: Fraction) -> int:
    """``x`` rounded to the nearest integer, halves up (§4)."""
    return math.floor(x + Fraction(1, 2))


def largest_remainder(total: int, sizes: dict[str, int], order: list[str],
                      caps: dict[str, int]) -> dict[str, int]:
    """Hamilton's method with caps, in exact integer arithmetic (§4)."""
    if total > sum(caps[s] for s in order):
        raise Unverifiable(f"total {total} exceeds what the strata can take")
    fixed: dict[str, int] = {}
    while True:
        free = [s for s in order if s not in fixed]
        remaining = total - sum(fixed.values())
        weight = sum(sizes[s] for s in free)
        share = {s: 0 for s in free}
        if weight:
            rest = remaining
            for s in free:
                share[s] = remaining * sizes[s] // weight
                rest -= share[s]
            # remainders are (remaining·size mod weight) / weight: compare the numerators
            by_remainder = sorted(free, key=lambda s: (-(remaining * sizes[s] % weight),
                                                       -sizes[s], order.index(s)))
            for s in by_remainder[:rest]:
                share[s] += 1
        over = [s for s in free if share[s] > caps[s]]
        if not over:
            return {s: fixed.get(s, share.get(s)) for s in order}
        for s in over:
            fixed[s] = caps[s]


def allocation_of(spec: dict, pool: list[dict]) -> list[dict]:
    """§4: ``[{stratum, size, centres_in_pool, count, centres}]`` for ``spec`` (the published
    ``parameters.institutions``); raises :class:`Unverifiable` for a quota the pool cannot
    meet."""
    order = list(spec["strata"])
    size = {s: 0 for s in order}
    centres_in = {s: 0 for s in order}
    for e in pool:
        if e["stratum"] not in size:
            raise Unverifiable(f"pool stratum {e['stratum']!r} is not in the plan")
        size[e["stratum"]] += 1
        centres_in[e["stratum"]] += e["centre"]
    mode = spec["mode"]
    if mode == "quotas":
        count = {s: int(spec["quotas"].get(s, 0)) for s in order}
    elif mode in ("total", "ratio"):
        total = (int(spec["total"]) if mode == "total"
                 else half_up(Fraction(spec["ratio"]) * len(pool)))
        count = largest_remainder(total, size, order, dict(size))
    elif mode == "class_ratio":
        count = {s: half_up(Fraction(spec["class_ratios"].get(s, "0")) * size[s])
                 for s in order}
    else:
        raise Unverifiable(f"unknown mode {mode!r}")
    centres: dict[str, int | None] = {s: None for s in order}
    if spec.get("centres"):
        centres.update({s: int(n) for s, n in spec["centres"].items()})
    elif spec.get("centres_total"):
        caps = {s: min(count[s], centres_in[s]) for s in order}
        centres.update(largest_remainder(int(spec["centres_total"]), centres_in, order, caps))
    for s in order:
        others = count[s] - (centres[s] or 0)
        if count[s] > size[s] or (centres[s] is not None and (
                centres[s] > min(centres_in[s], count[s])
                or others > size[s] - centres_in[s])):
            raise Unverifiable(f"stratum {s}: the quota cannot be met from the pool")
    return [{"stratum": s, "size": size[s], "centres_in_pool": centres_in[s],
             "count": count[s], "centres": centres[s]} for s in order]


# §5 -----------------------------------------------------------------------------------------
def selection_of(seed: str, pool: list[dict], allocation: list[dict],
                 weights: dict | None) -> list[dict]:
    """§5: ``[{code, stratum, rank, key}]``, the ``count`` smallest keys (or weighted ranks)
    of each stratum, centres first where the stratum has a centre sub-quota."""
    def order_key(e: dict):
        k = key(seed, e["code"])
        if not weights:
            return (k,)
        u = (int(k[:13], 16) + 0.5) / 2 ** 52
        return (-math.log(u) / float(weights.get(e["risk"], 1)), k)

    chosen = []
    for a in allocation:
        members = [e for e in pool if e["stratum"] == a["stratum"]]
        if a["centres"] is None:
            groups = [(members, a["count"])]
        else:  # centres first, then the others; ranks run on across both
            groups = [([e for e in members if e["centre"]], a["centres"]),
                      ([e for e in members if not e["centre"]], a["count"] - a["centres"])]
        rank = 0
        for group, n in groups:
            for e in sorted(group, key=order_key)[:n]:
                rank += 1
                chosen.append({"code": e["code"], "stratum": a["stratum"], "rank": rank,
                               "key": key(seed, e["code"])})
    return chosen


# §6 -----------------------------------------------------------------------------------------
def teams_of(seed: str, inspectors: list[dict], chosen: list[dict], pool: list[dict],
             rules: dict) -> tuple[list[dict], list[dict]]:
    """``(teams, problems)``: the teams if every task can be staffed, else ``([], problems)``."""
    by_code = {e["code"]: e for e in pool}
    # in key order, the first candidate met at any (field mismatch, load) has the smallest key
    # of its kind, so the pick is the first strictly better one met; (match, no load) is the best
    ordered = sorted(inspectors, key=lambda i: key(seed, i["code"]))
    load = dict(rules.get("load", {}))
    cap = int(rules["cap"])
    teams, problems = [], []
    for c in chosen:
        inst = by_code[c["code"]]
        lead = rules.get("leads", {}).get(c["stratum"])
        required = []
        for d in ([lead] if lead else []) + list(rules.get("departments", [])):
            if d not in required:
                required.append(d)
        size = max(int(rules["per_task"]), len(required))
        taken = set(rules.get("exclude", {}).get(inst["code"], []))
        team, failure = [], None
        for slot in range(size):
            department = required[slot] if slot < len(required) else None
            pick, best = None, None
            for i in ordered:
                if ((department is not None and i["department"] != department)
                        or i["code"] in taken or inst["code"] in i["ties"]
                        or (rules.get("same_county") and i["county"] == inst["region"])
                        or load.get(i["code"], 0) >= cap):
                    continue
                rank = (inst["field"] not in i["fields"], load.get(i["code"], 0))
                if best is None or rank < best:
                    pick, best = i, rank
                    if rank == (False, 0):
                        break
            if pick is None:
                failure = ({"reason": "no_eligible_inspector_in_department",
                            "department": department} if department else
                           {"reason": "not_enough_eligible_inspectors", "needed": size,
                            "found": len(team)})
                break
            team.append((pick, not best[0]))
            taken.add(pick["code"])
        if failure:
            problems.append({"institution": inst["code"], **failure})
            continue
        for i, _ in team:
            load[i["code"]] = load.get(i["code"], 0) + 1
        teams.append({"institution": inst["code"], "members": [
            {"code": i["code"], "department": i["department"], "leader": n == 0,
             "matched_field": matched, "fallback": "" if matched else "no_field_match"}
            for n, (i, matched) in enumerate(team)]})
    return ([], problems) if problems else (teams, [])


# §8 -----------------------------------------------------------------------------------------
def verify(record: dict, pool_text: str, inspector_pool_text: str | None = None) -> list[str]:
    """Every difference between the published ``record`` and what the published pools imply;
    an empty list is a match. Raises :class:`Unverifiable` on unreadable input."""
    if record.get("algorithm_version") != VERSION:
        return [f"algorithm version {record.get('algorithm_version')!r}: this verifier checks "
                f"{VERSION}"]
    bad = []
    if sha256_hex(pool_text.encode("utf-8")) != record["pool_digest"]:
        bad.append("the pool's SHA-256 differs from the published pool_digest")
    if inspector_pool_text is not None and record.get("inspector_pool_digest") and sha256_hex(
            inspector_pool_text.encode("utf-8")) != record["inspector_pool_digest"]:
        bad.append("the inspector pool's SHA-256 differs from inspector_pool_digest")
    pool = institutions_of(pool_text)
    if len(pool) != record.get("pool_size", len(pool)):
        bad.append("the pool's size differs from the published pool_size")
    params = record["parameters"]
    spec = params.get("institutions")
    if spec is not None and allocation_of(spec, pool) != spec.get("allocation"):
        bad.append("the allocation of quotas differs from the published allocation")
    if record["status"] not in ("completed", "failed"):
        return bad
    if sha256_hex(bytes.fromhex(record["server_seed"])) != record["commitment"]:
        bad.append("SHA-256(server_seed) differs from the commitment published before the draw")
    seed = derive_seed(record["server_seed"], record["external_value"], record["pool_digest"])
    if seed != record["seed"]:
        bad.append("the seed is not SHA-256(server_seed ‖ external_value ‖ pool_digest)")
    result = record["result"]
    if spec is not None:
        chosen = selection_of(seed, pool, spec["allocation"], spec.get("weights"))
    else:  # a supplementary inspector draw: the institution is given (§7)
        chosen = params["given"]
    if chosen != result.get("institutions"):
        bad.append("the selected institutions differ from the published selection")
    if inspector_pool_text is not None and "inspectors" in params:
        iseed = sha256_hex(bytes.fromhex(seed) + b"inspectors"
                           + bytes.fromhex(record["inspector_pool_digest"]))
        teams, problems = teams_of(iseed, inspectors_of(inspector_pool_text), chosen, pool,
                                   params["inspectors"])
        if teams != result.get("teams"):
            bad.append("the inspector teams differ from the published teams")
        if problems != result.get("problems", []):
            bad.append("the staffing problems differ from the published problems")
        if (record["status"] == "failed") != bool(problems):
            bad.append(f"status {record['status']!r} does not follow from the staffing")
    return bad


def main(argv: list[str]) -> int:
    """The command line (see the module docstring); returns the exit status 0, 1 or 2."""
    if len(argv) not in (3, 4):
        print("usage: python3 verify_draw.py DRAW.json POOL.tsv [INSPECTOR_POOL.tsv]",
              file=sys.stderr)
        return 2
    try:
        record = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
        pool = Path(argv[2]).read_bytes().decode("utf-8")
        ipool = Path(argv[3]).read_bytes().decode("utf-8") if len(argv) == 4 else None
        problems = verify(record, pool, ipool)
    except (OSError, ValueError, KeyError, TypeError, Unverifiable) as exc:
        print(f"cannot verify: {exc}", file=sys.stderr)
        return 2
    if problems:
        print("MISMATCH")
        for p in problems:
            print(f"  - {p}")
        return 1
    if record["status"] not in ("completed", "failed"):
        print("PENDING")
        print(f"  draw {record['id']}: the pool digest and allocation match; the draw has not "
              "run yet, so there is no seed to check.")
        return 1
    what = "institutions and inspector teams" if ipool is not None else "institutions"
    print("MATCH")
    print(f"  draw {record['id']} ({record['status']}): pool digest, commitment, seed and "
          f"{what} recomputed ({len(record['result'].get('institutions', []))} institutions).")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
