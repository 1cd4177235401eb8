"""The platform's draw (``algorithm``) and the independent verifier agree on random draws.

Two implementations of docs/draw.md, sharing no code: for hundreds of random pools, plans
(every allocation mode, centre sub-quotas, weights, joint checks, recusals, caps, loads,
exclusions) and seeds, they must compute the same allocation, selection, teams and staffing
problems, refuse the same impossible quotas, and the verifier must accept the platform's
record, completed or failed, and reject it once any part is changed. Deterministic (fixed
random seed).
"""

from __future__ import annotations

import hashlib
import random

import pytest

from inspections.drawing import algorithm as alg
from inspections.drawing import verifier

CASES = 1500
FIELDS = ["03", "07", "13"]
REGIONS = ["440103", "440104", "440305"]
DEPARTMENTS = ["market", "customs", "transport"]


def random_pool(rnd: random.Random, strata: list[str]) -> list[alg.Entry]:
    out = []
    for n in range(rnd.randint(0, 40)):
        out.append(alg.Entry(f"91{n:06d}{rnd.randint(0, 10**9):010d}", rnd.choice(strata),
                             rnd.random() < 0.2, rnd.choice([*alg.CLASSES, alg.NO_CLASS]),
                             rnd.choice(FIELDS), rnd.choice(REGIONS)))
    return out


def random_spec(rnd: random.Random, strata: list[str]) -> dict:
    mode = rnd.choice(["quotas", "total", "ratio", "class_ratio"])
    spec: dict = {"mode": mode, "strata": strata}
    if mode == "quotas":
        spec["quotas"] = {s: rnd.randint(0, 8) for s in strata}
    elif mode == "total":
        spec["total"] = rnd.randint(0, 20)
    elif mode == "ratio":
        spec["ratio"] = rnd.choice(["0.1", "0.25", "0.333", "0.5", "0.05"])
    else:
        spec["class_ratios"] = {"D": "0.30", "C": "0.10", "B": "0.02", "A": "0.01"} \
            if rnd.random() < 0.5 else {c: rnd.choice(["0.5", "0.25", "0.125"])
                                        for c in strata}
    roll = rnd.random()
    if roll < 0.25:
        spec["centres"] = {s: rnd.randint(0, 2) for s in strata if rnd.random() < 0.6}
    elif roll < 0.5:
        spec["centres_total"] = rnd.randint(0, 5)
    if rnd.random() < 0.4:
        spec["weights"] = {"A": 1, "B": 2, "C": rnd.choice([3, 4.5]), "D": 8}
    return spec


def random_inspectors(rnd: random.Random, pool: list[alg.Entry]) -> list[alg.InspectorEntry]:
    codes = [e.code for e in pool]
    out = []
    for n in range(rnd.randint(0, 16)):
        ties = {c: "declared_tie" for c in codes if rnd.random() < 0.08}
        out.append(alg.InspectorEntry(
            f"C{n:07d}", rnd.choice(DEPARTMENTS),
            frozenset(f for f in FIELDS if rnd.random() < 0.4),
            rnd.choice([*REGIONS, "-"]), ties))
    return out


def random_rules(rnd: random.Random, strata: list[str], chosen: list[dict],
                 inspectors: list[alg.InspectorEntry]) -> dict:
    cards = [i.code for i in inspectors]
    return {
        "per_task": rnd.randint(1, 3), "cap": rnd.randint(1, 4),
        "same_county": rnd.random() < 0.3,
        "leads": {s: rnd.choice(DEPARTMENTS) for s in strata if rnd.random() < 0.3},
        "departments": rnd.sample(DEPARTMENTS, rnd.randint(0, 2)),
        "exclude": {c["code"]: rnd.sample(cards, min(len(cards), rnd.randint(0, 2)))
                    for c in chosen if rnd.random() < 0.2},
        "load": {c: rnd.randint(0, 2) for c in cards if rnd.random() < 0.2},
    }


def platform_record(rnd: random.Random, spec: dict, pool: list[alg.Entry],
                    inspectors: list[alg.InspectorEntry]) -> tuple[dict, str, str] | None:
    """A draw as the platform computes and publishes it (``None`` if its quotas cannot be
    met — then the verifier must refuse the allocation too)."""
    try:
        spec["allocation"] = alg.allocate(spec, pool)
    except alg.DrawError:
        with pytest.raises(verifier.Unverifiable):
            verifier.allocation_of(spec, [verifier_entry(e) for e in pool])
        return None
    pool_text = alg.pool_serialize(pool)
    ipool_text = alg.inspector_pool_serialize(inspectors)
    server_seed = hashlib.sha256(str(rnd.random()).encode()).hexdigest()
    external = f"{rnd.randint(0, 99):02d} 见证"
    digest, idigest = alg.sha256_hex(pool_text), alg.sha256_hex(ipool_text)
    seed = alg.seed_derive(server_seed, external, digest)
    chosen = alg.select_institutions(seed, pool, spec["allocation"], spec.get("weights"))
    rules = random_rules(rnd, spec["strata"], chosen, inspectors)
    try:
        teams = alg.select_teams(alg.inspector_seed_derive(seed, idigest), inspectors,
                                 alg.task_specs(chosen, {e.code: e for e in pool}, rules), rules)
        problems: list[dict] = []
    except alg.DrawError as exc:
        teams, problems = [], exc.problems
    record = {"id": 1, "algorithm_version": alg.ALGORITHM_VERSION,
              "status": "failed" if problems else "completed", "pool_digest": digest,
              "pool_size": len(pool), "inspector_pool_digest": idigest,
              "commitment": alg.commitment_of(server_seed), "server_seed": server_seed,
              "external_value": external, "seed": seed,
              "parameters": {"institutions": spec, "inspectors": rules},
              "result": {"institutions": chosen, "teams": teams, "problems": problems}}
    return record, pool_text, ipool_text


def verifier_entry(e: alg.Entry) -> dict:
    return {"code": e.code, "stratum": e.stratum, "centre": e.centre, "risk": e.risk,
            "field": e.field, "region": e.region}


def test_platform_and_verifier_agree_on_random_draws():
    rnd = random.Random(20231027)
    outcomes = {"completed": 0, "failed": 0, "refused": 0, "weighted": 0, "centres": 0}
    for _ in range(CASES):
        mode_classes = rnd.random() < 0.25
        strata = ["D", "C", "B", "A"] if mode_classes else rnd.sample(FIELDS, rnd.randint(1, 3))
        spec = random_spec(rnd, strata)
        if mode_classes:
            spec = {**spec, "mode": "class_ratio",
                    "class_ratios": {"D": "0.30", "C": "0.10", "B": "0.02", "A": "0.01"}}
        pool = random_pool(rnd, strata)
        drawn = platform_record(rnd, spec, pool, random_inspectors(rnd, pool))
        if drawn is None:
            outcomes["refused"] += 1
            continue
        record, pool_text, ipool_text = drawn
        assert verifier.verify(record, pool_text, ipool_text) == [], record
        outcomes[record["status"]] += 1
        outcomes["weighted"] += "weights" in spec
        outcomes["centres"] += any(a["centres"] for a in spec["allocation"])
    # the random plans reach every branch often enough to mean something
    assert min(outcomes.values()) >= 100, outcomes


@pytest.mark.parametrize("change", ["external_value", "rank", "team_order", "status", "pool",
                                    "allocation", "problems"])
def test_verifier_rejects_a_changed_record(change):
    rnd = random.Random(7)
    while True:  # a completed draw with a team of two or more
        strata = ["03", "07"]
        spec = {"mode": "quotas", "strata": strata, "quotas": {"03": 2, "07": 2}}
        pool = random_pool(rnd, strata)
        inspectors = random_inspectors(rnd, pool)
        drawn = platform_record(rnd, spec, pool, inspectors)
        if drawn and drawn[0]["status"] == "completed" and len(
                drawn[0]["result"]["teams"][0]["members"]) > 1:
            break
    record, pool_text, ipool_text = drawn
    if change == "external_value":
        record["external_value"] += "0"
    elif change == "rank":
        record["result"]["institutions"][0]["rank"] = 9
    elif change == "team_order":
        record["result"]["teams"][0]["members"].reverse()
    elif change == "status":
        record["status"] = "failed"
    elif change == "pool":
        pool_text = pool_text.replace("\t0\t", "\t1\t", 1)
    elif change == "allocation":
        record["parameters"]["institutions"]["allocation"][0]["count"] += 1
    else:
        record["result"]["problems"] = [{"institution": pool[0].code, "reason": "x"}]
    assert verifier.verify(record, pool_text, ipool_text) != []
