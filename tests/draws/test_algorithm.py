"""The pure algorithm (tic-draw-1): allocation, serialisation, selection, teams."""

from __future__ import annotations

import pytest

from inspections.drawing import algorithm as alg


def entries(spec):
    out = []
    n = 0
    for stratum, count, centres in spec:
        for i in range(count):
            n += 1
            out.append(alg.Entry(f"C{n:05d}", stratum, i < centres, "AB"[i % 2], stratum,
                                 "440103"))
    return out


def test_largest_remainder_is_exact_and_proportional():
    got = alg.largest_remainder(10, {"a": 50, "b": 30, "c": 20}, ["a", "b", "c"])
    assert got == {"a": 5, "b": 3, "c": 2}
    got = alg.largest_remainder(7, {"a": 10, "b": 10, "c": 10}, ["a", "b", "c"])
    assert sum(got.values()) == 7 and got == {"a": 3, "b": 2, "c": 2}


def test_largest_remainder_equal_remainders_tie_exactly():
    # 3 over sizes 10/17/6: shares 0.909, 1.545, 0.545 — the last two remainders are both
    # 6/11 exactly and the tie goes to the larger stratum. (Decimal arithmetic at 28 digits
    # once rounded 0.5454…55 above 1.5454…54 − 1 and gave it to the smaller one.)
    got = alg.largest_remainder(3, {"03": 10, "07": 17, "13": 6}, ["03", "07", "13"])
    assert got == {"03": 1, "07": 2, "13": 0}


def test_largest_remainder_respects_caps_and_redistributes():
    got = alg.largest_remainder(10, {"a": 100, "b": 1}, ["a", "b"], caps={"a": 5, "b": 100})
    assert got == {"a": 5, "b": 5}


def test_largest_remainder_refuses_more_than_the_caps_hold():
    with pytest.raises(alg.DrawError) as exc:
        alg.largest_remainder(10, {"a": 3, "b": 3}, ["a", "b"])
    assert exc.value.problems[0]["reason"] == "total_exceeds_pool"


def test_allocate_splits_the_centre_subquota_over_strata():
    pool = entries([("07", 40, 10), ("03", 40, 10), ("99", 20, 0)])
    alloc = alg.allocate({"mode": "quotas", "strata": ["07", "03", "99"],
                          "quotas": {"07": 10, "03": 10, "99": 5}, "centres_total": 4}, pool)
    assert [a["count"] for a in alloc] == [10, 10, 5]
    assert [a["centres"] for a in alloc] == [2, 2, 0]


def test_allocate_lists_every_stratum_that_cannot_be_met():
    pool = entries([("07", 3, 0), ("03", 1, 0)])
    with pytest.raises(alg.DrawError) as exc:
        alg.allocate({"mode": "quotas", "strata": ["07", "03"], "quotas": {"07": 5, "03": 2}},
                     pool)
    assert {p["stratum"] for p in exc.value.problems} == {"07", "03"}


def test_ratio_mode_allocates_exact_total_by_largest_remainder():
    pool = entries([("a", 333, 0), ("b", 333, 0), ("c", 334, 0)])
    alloc = alg.allocate({"mode": "ratio", "strata": ["a", "b", "c"], "ratio": "0.1"}, pool)
    assert sum(a["count"] for a in alloc) == 100


def test_class_ratio_mode_rounds_half_up_per_class():
    pool = [alg.Entry(f"X{i:04d}", c, False, c, "07", "440103")
            for i, c in enumerate(["D"] * 10 + ["C"] * 25 + ["B"] * 100 + ["A"] * 50)]
    alloc = alg.allocate({"mode": "class_ratio", "strata": ["D", "C", "B", "A"],
                          "class_ratios": {"D": "0.30", "C": "0.10", "B": "0.02",
                                           "A": "0.01"}}, pool)
    assert {a["stratum"]: a["count"] for a in alloc} == {"D": 3, "C": 3, "B": 2, "A": 1}


def test_pool_serialisation_round_trips_and_is_order_free():
    pool = entries([("07", 5, 1), ("03", 3, 0)])
    text = alg.pool_serialize(list(reversed(pool)))
    assert text == alg.pool_serialize(pool)
    assert alg.pool_parse(text) == sorted(pool, key=lambda e: e.code)
    with pytest.raises(ValueError):
        alg.pool_serialize(pool + pool[:1])


def test_pool_values_with_a_tab_or_newline_are_refused():
    good = entries([("07", 3, 0)])
    for bad in ("07\tX", "07\nX", "07\r"):
        with pytest.raises(ValueError, match="tab or newline"):
            alg.pool_serialize([*good, alg.Entry("Z0001", bad, False, "B", "07", "440103")])
    ins = alg.InspectorEntry("I1", "market\t", frozenset(), "-", {})
    with pytest.raises(ValueError, match="tab or newline"):
        alg.inspector_pool_serialize([ins])


def test_key_digests_are_the_standard_hmac_sha256():
    import hashlib
    import hmac

    for seed in ("00" * 32, "ff" * 32, hashlib.sha256(b"tic").hexdigest()):
        codes = ["91440103MA59U0000X", "C0000001", "检测-é", ""]
        expected = [hmac.new(bytes.fromhex(seed), c.encode("utf-8"), "sha256").digest()
                    for c in codes]
        assert alg.key_digests(seed, codes) == expected
        assert [alg.key_of(seed, c) for c in codes] == [d.hex() for d in expected]


def test_weighted_rank_reads_the_first_52_bits_of_the_digest():
    import math

    digest = bytes(range(32))
    u = (int(digest.hex()[:13], 16) + 0.5) / 2**52  # docs/draw.md §5: the first 13 hex digits
    assert alg.weighted_rank(digest, 2.0) == -math.log(u) / 2.0


def test_seed_and_commitment_follow_the_specification():
    import hashlib

    server = "11" * 32
    digest = "22" * 32
    assert alg.commitment_of(server) == hashlib.sha256(bytes.fromhex(server)).hexdigest()
    expected = hashlib.sha256(bytes.fromhex(server) + b"8,1,5"
                              + bytes.fromhex(digest)).hexdigest()
    assert alg.seed_derive(server, "8,1,5", digest) == expected


def test_selection_follows_from_pool_and_seed_alone():
    pool = entries([("07", 30, 5), ("03", 20, 0)])
    alloc = alg.allocate({"mode": "quotas", "strata": ["07", "03"], "quotas": {"07": 4, "03": 3},
                          "centres": {"07": 1}}, pool)
    a = alg.select_institutions("ab" * 32, pool, alloc)
    b = alg.select_institutions("ab" * 32, list(reversed(pool)), alloc)
    c = alg.select_institutions("cd" * 32, pool, alloc)
    assert a == b and a != c
    assert len({x["code"] for x in a}) == 7
    by_code = {e.code: e for e in pool}
    assert sum(by_code[x["code"]].centre for x in a if x["stratum"] == "07") == 1


def inspector(code, dept="market", fields=(), ties=None, county="-"):
    return alg.InspectorEntry(code, dept, frozenset(fields), county, ties or {})


def test_teams_honour_recusal_departments_cap_and_fields():
    pool = [inspector("I1", fields=("07",), ties={"X1": "declared_tie"}),
            inspector("I2", fields=("07",)), inspector("I3", fields=("07",)),
            inspector("I4", dept="customs"), inspector("I5")]
    tasks = [{"institution": "X1", "field": "07", "region": "440103",
              "departments": ["customs"]},
             {"institution": "X2", "field": "07", "region": "440103", "departments": []}]
    teams = alg.select_teams("ee" * 32, pool, tasks, {"per_task": 2, "cap": 1})
    t1, t2 = teams
    assert t1["members"][0]["code"] == "I4" and t1["members"][0]["leader"]
    assert t1["members"][0]["fallback"] == "no_field_match"
    assert "I1" not in [m["code"] for m in t1["members"]]
    used = [m["code"] for t in teams for m in t["members"]]
    assert len(used) == len(set(used))  # cap 1: nobody twice
    assert all(m["matched_field"] for m in t2["members"])


def test_unstaffable_tasks_are_all_listed_and_nothing_is_returned():
    pool = [inspector("I1"), inspector("I2")]
    tasks = [{"institution": f"X{i}", "field": "07", "region": "440103",
              "departments": ["customs"] if i == 0 else []} for i in range(3)]
    with pytest.raises(alg.DrawError) as exc:
        alg.select_teams("ee" * 32, pool, tasks, {"per_task": 2, "cap": 1})
    reasons = {p["institution"]: p["reason"] for p in exc.value.problems}
    assert reasons == {"X0": "no_eligible_inspector_in_department",
                       "X2": "not_enough_eligible_inspectors"}


def test_same_county_recusal_is_optional():
    pool = [inspector("I1", county="440103"), inspector("I2", county="440103"),
            inspector("I3", county="440304"), inspector("I4", county="440304")]
    task = [{"institution": "X", "field": "07", "region": "440103", "departments": []}]
    teams = alg.select_teams("01" * 32, pool, task, {"per_task": 2, "cap": 5,
                                                      "same_county": True})
    assert {m["code"] for m in teams[0]["members"]} == {"I3", "I4"}


def test_published_inclusion_probabilities_split_centres_and_others():
    from inspections.views.public import inclusion_probabilities

    got = inclusion_probabilities({"stratum": "07", "size": 100, "centres_in_pool": 10,
                                   "count": 10, "centres": 2})
    assert got == {"probability": 0.1, "p_centres": 0.2, "p_others": 8 / 90}
