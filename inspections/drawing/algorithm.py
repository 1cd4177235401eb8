"""Draw algorithm ``tic-draw-1``: standard library only, shared by the platform and the verifier.

Everything here is a pure function of published data (pools, parameters, seed); nothing reads a
database or a clock. The specification, with the reasons for each choice, is ``docs/draw.md``.
Rules: seed 001 §三(三) (random choice, differentiated ratios by risk and credit), seed 002 §二–三
(the 2023 plan: quotas per field, 20 national quality inspection centres, credit risk classes).

Pools are text, one entry per line, fields separated by TAB, sorted by code, UTF-8, each line
ending in ``\\n``; the first line is a header naming the columns. Digests are SHA-256 hex of that
text. Keys are HMAC-SHA256 hex.
"""

from __future__ import annotations

import hashlib
import heapq
import hmac
import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from operator import itemgetter
from typing import NamedTuple

ALGORITHM_VERSION = "tic-draw-1"
POOL_HEADER = "#tic-draw-1 institutions\tcode\tstratum\tcentre\trisk\tfield\tregion"
INSPECTOR_POOL_HEADER = "#tic-draw-1 inspectors\tcode\tdepartment\tfields\tcounty\tties"
CLASSES = ("A", "B", "C", "D")
NO_CLASS = "-"


class DrawError(Exception):
    """A draw that cannot be carried out as specified. ``problems``: list of dicts with at
    least ``reason`` (a stable code) and the stratum or institution it concerns."""

    def __init__(self, problems: list[dict]):
        self.problems = problems
        super().__init__("; ".join(f"{p.get('stratum') or p.get('institution')}: {p['reason']}"
                                   for p in problems))


# --------------------------------------------------------------------------------------------
# Pools
# --------------------------------------------------------------------------------------------
class Entry(NamedTuple):
    """An institution in the pool: USCC ``code``, its ``stratum``, national-centre flag, credit
    risk class (``A``–``D`` or ``-``), primary field code and 6-digit region code."""

    code: str
    stratum: str
    centre: bool
    risk: str
    field: str
    region: str


class InspectorEntry(NamedTuple):
    """An inspector in the pool: enforcement card ``code``, department, field codes, home
    county (``-`` if none) and ``ties``: institution code → recusal reason."""

    code: str
    department: str
    fields: frozenset[str]
    county: str
    ties: dict[str, str]


_tuple_new = tuple.__new__


def entry_make(code: str, stratum: str, centre: bool, risk: str, fld: str,
               region: str) -> Entry:
    """An :class:`Entry`, built at C speed (a NamedTuple's own ``__new__`` is Python code)."""
    return _tuple_new(Entry, (code, stratum, centre, risk, fld, region))


def inspector_entry_make(code: str, department: str, fields: frozenset[str], county: str,
                         ties: dict[str, str]) -> InspectorEntry:
    """An :class:`InspectorEntry`, built at C speed."""
    return _tuple_new(InspectorEntry, (code, department, fields, county, ties))


def _check_shape(text: str, rows: int, columns: int, header: str) -> None:
    """Refuse a serialisation in which a value carried a TAB, a newline or a CR: every line of a
    pool has exactly ``columns - 1`` TABs (one count over the whole text, at C speed)."""
    if (text.count("\n") != rows + 1 or "\r" in text
            or text.count("\t") != header.count("\t") + rows * (columns - 1)):
        bad = next((line for line in text.split("\n")[1:-1]
                    if "\r" in line or line.count("\t") != columns - 1), "")
        raise ValueError(f"a pool value contains a tab or newline (near {bad!r})")


def pool_serialize(entries: list[Entry]) -> str:
    """Canonical text of an institution pool (sorted by code; codes must be unique).

    Raises ``ValueError`` on a duplicate code or a value containing a TAB, LF or CR.
    """
    rows = sorted(entries, key=itemgetter(0))
    if len(set(map(itemgetter(0), rows))) != len(rows):
        dup = next(a.code for a, b in zip(rows, rows[1:], strict=False) if a.code == b.code)
        raise ValueError(f"duplicate code {dup} in pool")
    text = "\n".join([POOL_HEADER, *(
        f"{code}\t{stratum}\t{'1' if centre else '0'}\t{risk or NO_CLASS}\t{fld}\t{region}"
        for code, stratum, centre, risk, fld, region in rows)]) + "\n"
    _check_shape(text, len(rows), 6, POOL_HEADER)
    return text


def pool_parse(text: str) -> list[Entry]:
    """Parse an institution pool written by :func:`pool_serialize`; ``ValueError`` if malformed."""
    lines = text.split("\n")
    if lines[0] != POOL_HEADER or lines[-1] != "":
        raise ValueError("not a tic-draw-1 institution pool")
    try:
        return [_tuple_new(Entry, (code, stratum, centre == "1", risk, fld, region))
                for code, stratum, centre, risk, fld, region
                in (line.split("\t") for line in lines[1:-1])]
    except ValueError as exc:
        raise ValueError("pool lines must have 6 tab-separated columns") from exc


def inspector_pool_serialize(entries: list[InspectorEntry]) -> str:
    """Canonical text of an inspector pool; ``fields`` and ``ties`` are sorted within a line.

    Raises ``ValueError`` on a value containing a TAB, LF or CR.
    """
    text = "\n".join([INSPECTOR_POOL_HEADER, *(
        f"{e.code}\t{e.department}\t{','.join(sorted(e.fields))}\t{e.county or '-'}\t"
        + ",".join([f"{c}:{r}" for c, r in sorted(e.ties.items())])
        for e in sorted(entries, key=itemgetter(0)))]) + "\n"
    _check_shape(text, len(entries), 5, INSPECTOR_POOL_HEADER)
    return text


def inspector_pool_parse(text: str) -> list[InspectorEntry]:
    """Parse an inspector pool written by :func:`inspector_pool_serialize`."""
    lines = text.split("\n")
    if lines[0] != INSPECTOR_POOL_HEADER or lines[-1] != "":
        raise ValueError("not a tic-draw-1 inspector pool")
    empty: frozenset[str] = frozenset()
    try:
        return [_tuple_new(InspectorEntry, (
                    code, dept, frozenset(fields.split(",")) if fields else empty, county,
                    dict(t.split(":", 1) for t in ties.split(",")) if ties else {}))
                for code, dept, fields, county, ties
                in (line.split("\t") for line in lines[1:-1])]
    except ValueError as exc:
        raise ValueError("inspector pool lines must have 5 tab-separated columns") from exc


def sha256_hex(text: str) -> str:
    """SHA-256 of the UTF-8 text, hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------------------------
# Commitment and seed
# --------------------------------------------------------------------------------------------
def commitment_of(server_seed: str) -> str:
    """Commitment published before the draw: SHA-256 of the 32 server-seed bytes, hex."""
    return hashlib.sha256(bytes.fromhex(server_seed)).hexdigest()


_SPACES = re.compile(r"\s+")
MAX_EXTERNAL_VALUE = 200


def external_value_normalise(value: str) -> str:
    """One declared source's value as the draw uses it: Unicode NFKC, every run of white space
    made one space, trimmed (so ``"０７　１５"`` and ``" 07 15 "`` are both ``"07 15"``).

    Raises ``ValueError`` if the result is empty, longer than 200 characters, or holds a control
    character.
    """
    text = _SPACES.sub(" ", unicodedata.normalize("NFKC", value)).strip()
    if not text:
        raise ValueError("empty")
    if len(text) > MAX_EXTERNAL_VALUE:
        raise ValueError("too long")
    if any(unicodedata.category(ch) == "Cc" for ch in text):
        raise ValueError("control character")
    return text


def external_value_join(values: list[str]) -> str:
    """The external value of a draw: its sources' normalised values, in declared order, joined
    by line feeds (a normalised value holds none)."""
    return "\n".join(values)


def seed_derive(server_seed: str, external_value: str, pool_digest: str) -> str:
    """seed = SHA-256(server seed bytes ‖ external value UTF-8 ‖ pool digest bytes), hex.

    The server seed (32 bytes) and the pool digest (32 bytes) have fixed lengths, so the
    concatenation is unambiguous.
    """
    return hashlib.sha256(bytes.fromhex(server_seed) + external_value.encode("utf-8")
                          + bytes.fromhex(pool_digest)).hexdigest()


def inspector_seed_derive(seed: str, inspector_pool_digest: str) -> str:
    """Seed of the inspector stage: SHA-256(seed bytes ‖ "inspectors" ‖ inspector pool digest)."""
    return hashlib.sha256(bytes.fromhex(seed) + b"inspectors"
                          + bytes.fromhex(inspector_pool_digest)).hexdigest()


def key_of(seed: str, code: str) -> str:
    """HMAC-SHA256(key = seed bytes, message = code UTF-8), hex: the ranking key of ``code``."""
    return hmac.digest(bytes.fromhex(seed), code.encode("utf-8"), "sha256").hex()


def key_digests(seed: str, codes) -> list[bytes]:
    """HMAC-SHA256(seed bytes, code UTF-8) of many codes, as raw 32-byte digests.

    The same value as :func:`key_of` (``digest.hex()``), computed per RFC 2104 from the two
    pad states hashed once: H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ m)) with K the 32-byte seed padded
    to SHA-256's 64-byte block. Copying a prepared state saves two of the four compressions
    of a one-shot HMAC (measured 2.4× faster on 60,000 codes, OpenSSL 3). Comparing digests
    as bytes orders them exactly as their hex strings.
    """
    block = bytes.fromhex(seed).ljust(64, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in block)).copy
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in block)).copy
    out = []
    for code in codes:
        i = inner()
        i.update(code.encode("utf-8"))
        o = outer()
        o.update(i.digest())
        out.append(o.digest())
    return out


def weighted_rank(key: bytes, weight: float) -> float:
    """Efraimidis–Spirakis rank: −ln(u)/w with u = (first 52 bits of the key + ½) / 2⁵², the
    key a raw 32-byte digest (its first 13 hex digits).

    Smaller ranks first. Selecting the n smallest is weighted sampling without replacement with
    probabilities proportional to ``weight`` (an exponential race).
    """
    top = int.from_bytes(key[:7], "big") >> 4
    return -math.log((top + 0.5) / 4503599627370496.0) / weight


# --------------------------------------------------------------------------------------------
# Allocation
# --------------------------------------------------------------------------------------------
def round_half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def largest_remainder(total: int, sizes: dict[str, int], order: list[str],
                      caps: dict[str, int] | None = None) -> dict[str, int]:
    """Split ``total`` over strata in proportion to ``sizes`` (Hamilton / largest remainder).

    Each stratum first gets ⌊total·size/Σsize⌋; the rest goes one by one to the largest
    remainders, ties to the larger stratum, then to the earlier one in ``order``. A stratum
    never gets more than its cap (default: its size); capped strata are fixed and the rest is
    split again among the others. Raises ``DrawError`` if the caps cannot hold ``total``.
    """
    caps = dict(caps if caps is not None else sizes)
    if total > sum(caps[s] for s in order):
        raise DrawError([{"stratum": "*", "reason": "total_exceeds_pool",
                          "total": total, "available": sum(caps[s] for s in order)}])
    fixed: dict[str, int] = {}
    while True:
        free = [s for s in order if s not in fixed]
        remaining = total - sum(fixed.values())
        weight = sum(sizes[s] for s in free)
        if weight == 0:
            alloc = {s: 0 for s in free}
        else:
            # exact integers: share = remaining·size / weight = alloc + rem / weight, and all
            # remainders have the same denominator, so equal remainders really tie
            alloc = {s: remaining * sizes[s] // weight for s in free}
            rem = {s: remaining * sizes[s] % weight for s in free}
            rest = remaining - sum(alloc.values())
            ranked = sorted(free, key=lambda s: (-rem[s], -sizes[s], order.index(s)))
            for s in ranked[:rest]:
                alloc[s] += 1
        over = [s for s in free if alloc[s] > caps[s]]
        if not over:
            fixed.update(alloc)
            return {s: fixed[s] for s in order}
        for s in over:
            fixed[s] = caps[s]


def allocate(spec: dict, entries: list[Entry]) -> list[dict]:
    """Decide how many institutions each stratum gets, and of them how many national centres.

    ``spec`` (``parameters["institutions"]`` of a draw): ``mode`` — ``quotas`` (``quotas``:
    stratum → count), ``total`` (``total``), ``ratio`` (``ratio``, a decimal string: total =
    round-half-up(ratio × pool size)) or ``class_ratio`` (strata are credit classes, each drawn
    at ``class_ratios[c]``: count = round-half-up(ratio × class size)); ``strata``: stratum ids in
    plan order; optional ``centres`` (stratum → explicit centre sub-quota) or ``centres_total``
    (split over strata by largest remainder on the number of centres in each, capped by what the
    stratum can take). Returns ``[{"stratum", "size", "centres_in_pool", "count", "centres"}]``
    (``centres`` is ``None`` without a sub-quota). Raises ``DrawError`` listing every stratum
    whose quota cannot be met.
    """
    order = list(spec["strata"])
    sizes = {s: 0 for s in order}
    centres_in = {s: 0 for s in order}
    for e in entries:
        if e.stratum not in sizes:
            raise DrawError([{"stratum": e.stratum, "reason": "unknown_stratum"}])
        sizes[e.stratum] += 1
        centres_in[e.stratum] += e.centre
    mode = spec["mode"]
    if mode == "quotas":
        counts = {s: int(spec["quotas"].get(s, 0)) for s in order}
    elif mode in ("total", "ratio"):
        total = (int(spec["total"]) if mode == "total"
                 else round_half_up(Decimal(spec["ratio"]) * len(entries)))
        counts = largest_remainder(total, sizes, order)
    elif mode == "class_ratio":
        counts = {s: round_half_up(Decimal(spec["class_ratios"].get(s, "0")) * sizes[s])
                  for s in order}
    else:
        raise DrawError([{"stratum": "*", "reason": "unknown_mode", "mode": mode}])
    problems = [{"stratum": s, "reason": "quota_exceeds_stratum", "quota": counts[s],
                 "available": sizes[s]} for s in order if counts[s] > sizes[s]]
    centres: dict[str, int | None] = {s: None for s in order}
    if spec.get("centres"):
        centres.update({s: int(n) for s, n in spec["centres"].items()})
    elif spec.get("centres_total"):
        caps = {s: min(counts[s], centres_in[s]) for s in order}
        try:
            split = largest_remainder(int(spec["centres_total"]), centres_in, order, caps)
        except DrawError as exc:
            problems += [{**p, "reason": "centre_quota_exceeds_pool"} for p in exc.problems]
            split = {s: 0 for s in order}
        centres.update(split)
    for s in order:
        c = centres[s]
        if c is None:
            continue
        if c > centres_in[s] or c > counts[s]:
            problems.append({"stratum": s, "reason": "centre_quota_exceeds_stratum",
                             "quota": c, "available": min(centres_in[s], counts[s])})
        elif counts[s] - c > sizes[s] - centres_in[s]:
            problems.append({"stratum": s, "reason": "not_enough_other_institutions",
                             "quota": counts[s] - c, "available": sizes[s] - centres_in[s]})
    if problems:
        raise DrawError(problems)
    return [{"stratum": s, "size": sizes[s], "centres_in_pool": centres_in[s],
             "count": counts[s], "centres": centres[s]} for s in order]


# --------------------------------------------------------------------------------------------
# Institution selection
# --------------------------------------------------------------------------------------------
def select_institutions(seed: str, entries: list[Entry], allocation: list[dict],
                        weights: dict[str, float] | None = None) -> list[dict]:
    """Select institutions: within each stratum (and its centre / other sub-strata when it has a
    centre sub-quota) the ``count`` entries with the smallest rank.

    Unweighted rank: the key ``HMAC-SHA256(seed, code)`` compared as a hex string. Weighted
    (``weights``: class → weight > 0; a class missing or ``-`` weighs 1): the Efraimidis–Spirakis
    rank of the key (:func:`weighted_rank`), ties by key. Each code is in exactly one stratum,
    so no institution is drawn twice. Returns ``[{"code", "stratum", "rank", "key"}]`` in
    allocation order, then rank (1-based within the stratum).
    """
    w = {cls: float(v) for cls, v in (weights or {}).items()}
    by_stratum: dict[str, list[Entry]] = {}
    for e in entries:
        by_stratum.setdefault(e.stratum, []).append(e)
    out: list[dict] = []
    for a in allocation:
        members = by_stratum.get(a["stratum"], [])
        if a["centres"] is None:
            groups = [(members, a["count"])]
        else:
            groups = [([e for e in members if e.centre], a["centres"]),
                      ([e for e in members if not e.centre], a["count"] - a["centres"])]
        rank = 0
        for group, n in groups:
            if n == 0:
                continue
            digests = key_digests(seed, [e.code for e in group])
            # digests are distinct (distinct codes), so tuples never compare their entries
            if weights:
                ranks = [weighted_rank(k, w.get(e.risk, 1.0))
                         for k, e in zip(digests, group, strict=True)]
                best = [(k, e) for _r, k, e in heapq.nsmallest(
                    n, zip(ranks, digests, group, strict=True))]
            else:
                best = heapq.nsmallest(n, zip(digests, group, strict=True))
            for k, e in best:
                rank += 1
                out.append({"code": e.code, "stratum": a["stratum"], "rank": rank,
                            "key": k.hex()})
    return out


# --------------------------------------------------------------------------------------------
# Inspector teams
# --------------------------------------------------------------------------------------------
def select_teams(seed: str, inspectors: list[InspectorEntry], tasks: list[dict],
                 rules: dict) -> list[dict]:
    """Draw a team for each task, in the order given; deterministic from the arguments.

    ``tasks``: ``[{"institution": code, "field": field code, "region": 6-digit code,
    "departments": [departments that must be on the team, first = leader's], "exclude": [codes
    already on or removed from this task]}]``. ``rules``: ``per_task`` (≥ 2), ``cap`` (tasks per
    inspector across the plan), ``same_county`` (recuse inspectors whose home county is the
    institution's region), optional ``load`` (code → tasks already held).

    For each task: candidates are inspectors without a tie to the institution, not excluded, below
    the cap. First one inspector of each required department, then any, until ``per_task``
    (or the number of required departments, if larger). Each pick is the candidate with the
    smallest (field mismatch, current load, key) with key = HMAC-SHA256(seed, card code): field
    match first, then load spreading, then chance. A pick without the field is recorded with
    fallback ``no_field_match``. The first pick leads the team. Raises ``DrawError`` listing
    every task that cannot be staffed and why — never a partial result.
    """
    keyed = sorted(zip(key_digests(seed, [i.code for i in inspectors]), inspectors, strict=True),
                   key=lambda ki: ki[0])
    by_field: dict[str | None, list[tuple[bytes, InspectorEntry]]] = {None: keyed}
    for ki in keyed:  # each bucket stays sorted by key
        for f in ki[1].fields:
            by_field.setdefault(f, []).append(ki)
    buckets: dict[tuple[str | None, str | None], list[tuple[bytes, InspectorEntry]]] = {}

    def bucket(department: str | None, fld: str | None) -> list[tuple[bytes, InspectorEntry]]:
        """Inspectors of ``department`` (any if None) with field ``fld`` (any if None)."""
        if department is None:
            return by_field.get(fld, [])
        if (department, fld) not in buckets:
            buckets[department, fld] = [ki for ki in by_field.get(fld, [])
                                        if ki[1].department == department]
        return buckets[department, fld]
    load: dict[str, int] = dict(rules.get("load", {}))
    cap = int(rules["cap"])
    per_task = int(rules["per_task"])
    same_county = bool(rules.get("same_county"))
    teams, problems = [], []
    for task in tasks:
        inst = task["institution"]
        blocked = set(task.get("exclude", ()))
        county = task["region"] if same_county else None
        required = list(dict.fromkeys(task.get("departments", ())))
        size = max(per_task, len(required))
        team: list[tuple[InspectorEntry, bool]] = []
        failed = None
        for slot in range(size):
            department = required[slot] if slot < len(required) else None
            found = _best(bucket(department, task["field"]), inst, blocked, county, load, cap)
            matched = found is not None
            if found is None:
                found = _best(bucket(department, None), inst, blocked, county, load, cap)
            if found is None:
                failed = ({"reason": "no_eligible_inspector_in_department",
                           "department": department} if department
                          else {"reason": "not_enough_eligible_inspectors",
                                "needed": size, "found": len(team)})
                break
            team.append((found, matched))
            blocked.add(found.code)
        if failed:
            problems.append({"institution": inst, **failed})
            continue
        for i, _m in team:
            load[i.code] = load.get(i.code, 0) + 1
        teams.append({"institution": inst, "members": [
            {"code": i.code, "department": i.department, "leader": n == 0,
             "matched_field": matched, "fallback": "" if matched else "no_field_match"}
            for n, (i, matched) in enumerate(team)]})
    if problems:
        raise DrawError(problems)
    return teams


def _best(bucket: list[tuple[bytes, InspectorEntry]], inst: str, blocked: set[str],
          county: str | None, load: dict[str, int], cap: int) -> InspectorEntry | None:
    """The eligible inspector of ``bucket`` (sorted by key) with the smallest (load, key)."""
    best: tuple[int, InspectorEntry] | None = None
    for _k, i in bucket:
        if i.code in blocked or inst in i.ties or (county is not None and i.county == county):
            continue
        n = load.get(i.code, 0)
        if n >= cap:
            continue
        if best is None or n < best[0]:
            best = (n, i)
            if n == 0:
                break
    return best[1] if best else None


def task_specs(chosen: list[dict], by_code: dict[str, Entry], irules: dict) -> list[dict]:
    """Task descriptions for :func:`select_teams` from selected institutions, in selection
    order: the stratum's lead department (``irules["leads"]``) first, then the joint-check
    departments (``irules["departments"]``); ``irules["exclude"]`` maps institution code →
    inspector codes not to draw again for it (supplementary draws)."""
    leads = irules.get("leads", {})
    joint = irules.get("departments", [])
    exclude = irules.get("exclude", {})
    out = []
    for c in chosen:
        e = by_code[c["code"]]
        lead = leads.get(c["stratum"])
        out.append({"institution": e.code, "field": e.field, "region": e.region,
                    "departments": ([lead] if lead else []) + list(joint),
                    "exclude": exclude.get(e.code, [])})
    return out
