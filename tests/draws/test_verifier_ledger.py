"""The independent verifier against the public ledger, the declared external sources and the
plan's published results (docs/draw.md §3, §8, §9); no database.

A small plan is drawn with the platform's own algorithm (``inspections.drawing.algorithm``) the
way ``inspections.services.draws`` does — a primary draw, then a supplementary draw replacing
one institution — its public records are written as ``inspections.publication`` shapes them,
and the ledger is built with the platform's primitives (``common.ledger``), signed with an
Ed25519 key made here. The verifier must say MATCH for all of it, and name each tampering.
The pure-Python Ed25519 of the verifier is checked against RFC 8032 and ``cryptography``.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from common import ledger as primitives
from inspections.drawing import algorithm as alg
from inspections.drawing import verifier

ROOT = Path(__file__).resolve().parents[2]
VERIFIER = ROOT / "inspections/drawing/verifier.py"
PLAN = 3
REQUESTER = "张三 (广东省市场监督管理局)"
DECIDER = "李四 (广东省市场监督管理局)"
SOURCES = [
    {"name": "中国福利彩票双色球第2023118期开奖号码", "known_at": "2023-10-09T12:30:00.000000Z"},
    {"name": "上证综合指数2023年10月9日收盘点位", "known_at": "2023-10-09T07:00:00.000000Z"},
]
RAW_VALUES = ["０７　１５ ２２\t２９  ３０ ３３ ＋ ０９", " 3098.18 "]


def raw_public(private: Ed25519PrivateKey) -> bytes:
    return private.public_key().public_bytes(serialization.Encoding.Raw,
                                             serialization.PublicFormat.Raw)


class Ledger(list):
    """A ledger built as ``inspections.services.ledger.ledger_append`` builds it."""

    def __init__(self, private: Ed25519PrivateKey):
        super().__init__()
        self.private = private
        self.key_id = hashlib.sha256(raw_public(private)).hexdigest()[:16]

    def append_entry(self, kind: str, payload: dict, at: str, plan: int | None = PLAN) -> dict:
        seq = len(self) + 1
        prev = self[-1]["hash"] if self else primitives.GENESIS
        entry = sign({"seq": seq, "prev": prev, "at": at, "kind": kind, "plan": plan,
                      "payload": copy.deepcopy(payload)}, self.private)
        self.append(entry)
        return entry


def sign(body_fields: dict, private: Ed25519PrivateKey) -> dict:
    """The published entry (body fields, hash, signature, key) for ``body_fields``."""
    fields = {k: body_fields[k] for k in ("seq", "prev", "at", "kind", "plan", "payload")}
    entry_hash = primitives.sha256_hex(primitives.entry_body(**fields))
    return {**fields, "hash": entry_hash,
            "signature": private.sign(bytes.fromhex(entry_hash)).hex(),
            "key": hashlib.sha256(raw_public(private)).hexdigest()[:16]}


def iso(ledger_time: str) -> str:
    """A ledger time (``…Z``) as the draw record writes it (``isoformat()``)."""
    return ledger_time.replace(".000000Z", "+00:00")


def findings(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def make_pool() -> tuple[list[alg.Entry], list[alg.InspectorEntry]]:
    rnd = random.Random(2023)
    entries = [alg.Entry(f"9144010{n:011d}", "03" if n < 10 else "07", n in (12, 15),
                         rnd.choice(["A", "B", "C", "D", "-"]), "03" if n < 10 else "07",
                         "440103" if n % 2 else "440104") for n in range(26)]
    inspectors = [alg.InspectorEntry(f"C{n:07d}", "market", frozenset({"03"} if n < 5 else {"07"}),
                                     "440105", {entries[n].code: "declared_tie"} if n < 3 else {})
                  for n in range(10)]
    return entries, inspectors


def run_draw(*, draw_id, kind, params, entries, inspectors, server_seed, values, committed,
             completed, sources=SOURCES, normalise=True, parent=None, replacement=None,
             exclusions=None, status_override=None) -> tuple[dict, str, str]:
    """A draw as ``draw_commit`` / ``draw_execute`` compute it, and its public record
    (``inspections.publication.draw_record``)."""
    pool = alg.pool_serialize(entries)
    ipool = alg.inspector_pool_serialize(inspectors)
    clean = [alg.external_value_normalise(v) for v in values] if normalise else list(values)
    external = alg.external_value_join(clean)
    digest, idigest = alg.sha256_hex(pool), alg.sha256_hex(ipool)
    seed = alg.seed_derive(server_seed, external, digest)
    spec = params.get("institutions")
    chosen = (alg.select_institutions(seed, entries, spec["allocation"], spec.get("weights"))
              if spec else params["given"])
    try:
        teams = alg.select_teams(alg.inspector_seed_derive(seed, idigest), inspectors,
                                 alg.task_specs(chosen, {e.code: e for e in entries},
                                                params["inspectors"]), params["inspectors"])
        problems: list[dict] = []
    except alg.DrawError as exc:
        teams, problems = [], exc.problems
    known = max(s["known_at"] for s in sources) if sources else None
    record = {
        "id": draw_id, "plan": {"id": PLAN, "title": "广东省2023年检验检测机构双随机抽查"},
        "kind": kind, "status": "failed" if problems else "completed",
        "algorithm_version": alg.ALGORITHM_VERSION, "parameters": params,
        "pool_digest": digest, "pool_size": len(entries),
        "pool_url": f"/api/public/draws/{draw_id}/pool.tsv", "inspector_pool_digest": idigest,
        "inspector_pool_url": f"/api/public/draws/{draw_id}/inspector-pool.tsv",
        "exclusions": exclusions or {}, "commitment": alg.commitment_of(server_seed),
        "committed_at": iso(committed), "external_sources": sources,
        "external_known_at": iso(known) if known else None, "parent": parent,
        "reason": "", "replacement": replacement, "supplementary": [],
        "external_values": clean, "external_value": external, "seed": seed,
        "server_seed": server_seed, "completed_at": iso(completed),
        "result": {"institutions": chosen, "teams": teams, "problems": problems},
    }
    if status_override:
        record["status"] = status_override
    return record, pool, ipool


def commit_payload(record: dict, committed: str, request=None) -> dict:
    return {"draw": record["id"], "plan": PLAN, "kind": record["kind"],
            "parent": record["parent"], "replacement_request": request,
            "algorithm_version": record["algorithm_version"],
            "commitment": record["commitment"], "pool_digest": record["pool_digest"],
            "pool_size": record["pool_size"],
            "inspector_pool_digest": record["inspector_pool_digest"],
            "parameters_digest": primitives.sha256_hex(
                primitives.canonical_json(record["parameters"])),
            "exclusions": record["exclusions"], "external_sources": record["external_sources"],
            "committed_by": REQUESTER, "committed_at": committed}


def run_payload(record: dict, completed: str) -> dict:
    return {"draw": record["id"], "status": record["status"],
            "external_values": record["external_values"], "server_seed": record["server_seed"],
            "seed": record["seed"],
            "result_digest": primitives.sha256_hex(primitives.canonical_json(record["result"])),
            "run_by": REQUESTER, "completed_at": completed}


def build(*, values=RAW_VALUES, normalise=True, sources=SOURCES,
          completed="2023-10-09T13:00:00.000000Z", decider=DECIDER) -> dict:
    """The whole public record of a small plan: two draws, the ledger, the results."""
    private = Ed25519PrivateKey.generate()
    ledger = Ledger(private)
    entries, inspectors = make_pool()
    published_params = {
        "institutions": {"mode": "quotas", "strata": ["03", "07"],
                         "quotas": {"03": 2, "07": 3}, "weights": {"A": "1", "B": "2",
                                                                   "C": "4.5", "D": "8"}},
        "inspectors": {"per_task": 2, "cap": 3, "same_county": False, "departments": [],
                       "leads": {}},
    }
    ledger.append_entry("plan_published", {
        "plan": PLAN, "title": "广东省2023年检验检测机构双随机抽查", "year": 2023,
        "authority": "广东省市场监督管理局", "jurisdiction": "440000",
        "certificate_level": "provincial", "published_by": REQUESTER,
        "published_at": "2023-10-01T08:00:00.000000Z", "parameters": published_params,
        "parameters_digest": primitives.sha256_hex(primitives.canonical_json(published_params)),
    }, "2023-10-01T08:00:00.000000Z")
    # the primary draw
    params = copy.deepcopy(published_params)
    params["institutions"]["allocation"] = alg.allocate(params["institutions"], entries)
    committed = "2023-10-08T01:00:00.000000Z"
    record, pool, ipool = run_draw(
        draw_id=1, kind="institutions", params=params, entries=entries, inspectors=inspectors,
        server_seed=hashlib.sha256(b"server seed 1").hexdigest(), values=values,
        committed=committed, completed=completed, sources=sources, normalise=normalise,
        exclusions={"inactive": 2, "checked_recently": 1})
    assert record["status"] == "completed"
    ledger.append_entry("draw_committed", commit_payload(record, committed), committed)
    ledger.append_entry("draw_run", run_payload(record, completed), completed)
    chosen = record["result"]["institutions"]
    tasks = {11 + n: c for n, c in enumerate(chosen)}
    # a supplementary draw replacing the institution of task 13 (deregistered)
    replaced_task, replaced = 13, chosen[2]
    assert replaced["stratum"] == "07"
    requested = "2023-11-01T02:00:00.000000Z"
    decided = "2023-11-02T03:00:00.000000Z"
    ledger.append_entry("replacement_requested", {
        "request": 5, "plan": PLAN, "kind": "institution", "task": replaced_task,
        "institution": replaced["code"], "assignment": None, "inspector": None,
        "reason": "deregistered", "evidence": "国家企业信用信息公示系统显示已注销",
        "replaces_replacement": False, "requested_by": REQUESTER, "requested_at": requested,
    }, requested)
    taken = {c["code"] for c in chosen}
    supp_entries = [e for e in entries if e.stratum == "07" and e.code not in taken]
    supp_spec = {"mode": "quotas", "strata": ["07"], "quotas": {"07": 1},
                 "weights": params["institutions"]["weights"]}
    supp_spec["allocation"] = alg.allocate(supp_spec, supp_entries)
    loads: dict[str, int] = {}
    for t in record["result"]["teams"]:
        for m in t["members"]:
            if t["institution"] != replaced["code"]:
                loads[m["code"]] = loads.get(m["code"], 0) + 1
    supp_params = {"institutions": supp_spec,
                   "inspectors": {**params["inspectors"], "load": loads},
                   "replaces": {"task": replaced_task, "institution": replaced["code"],
                                "request": 5}}
    replacement = {"request": 5, "kind": "institution", "reason": "deregistered",
                   "reason_label": "已注销、被吊销或撤销、迁出", "evidence": "国家企业信用信息公示系统显示已注销",
                   "replaces_replacement": False, "requested_by": REQUESTER,
                   "requested_at": iso(requested), "state": "approved", "decided_by": decider,
                   "decided_at": iso(decided), "decision_note": "同意补抽"}
    supp_sources = [{"name": "中国福利彩票福彩3D第2023300期开奖号码",
                     "known_at": "2023-11-05T12:30:00.000000Z"}]
    supp_done = "2023-11-05T13:00:00.000000Z"
    supp, supp_pool, supp_ipool = run_draw(
        draw_id=2, kind="supp_institution", params=supp_params, entries=supp_entries,
        inspectors=inspectors, server_seed=hashlib.sha256(b"server seed 2").hexdigest(),
        values=["1 2 3"], committed=decided, completed=supp_done, sources=supp_sources,
        parent=1, replacement=replacement)
    assert supp["status"] == "completed"
    ledger.append_entry("draw_committed", {**commit_payload(supp, decided, request=5),
                                           "committed_by": decider}, decided)
    ledger.append_entry("replacement_decided", {
        "request": 5, "decision": "approved", "draw": 2, "note": "同意补抽",
        "decided_by": decider, "decided_at": decided}, decided)
    ledger.append_entry("draw_run", run_payload(supp, supp_done), supp_done)
    # results: task 11 corrected once (revision 2 supersedes 1), task 12 published once
    def item(task, revision, category, corrects=None, reason="", text="未发现问题"):
        return {"task": task, "institution": tasks[task]["code"], "revision": revision,
                "corrects": corrects, "correction_reason": reason, "category": category,
                "follow_up": "none", "checked_on": "2023-11-20", "findings_digest": findings(text)}
    first = [item(11, 1, "no_problem"), item(12, 1, "problem_pending",
                                              text="检测报告签发不规范")]
    ledger.append_entry("results_published", {
        "plan": PLAN, "published_by": REQUESTER, "published_at": "2023-12-01T02:00:00.000000Z",
        "results": first}, "2023-12-01T02:00:00.000000Z")
    fixed = item(11, 2, "problem_corrected", corrects=1, reason="复核发现原始记录缺失",
                 text="原始记录缺失，已责令整改")
    ledger.append_entry("results_published", {
        "plan": PLAN, "published_by": REQUESTER, "published_at": "2023-12-10T02:00:00.000000Z",
        "results": [fixed]}, "2023-12-10T02:00:00.000000Z")
    supp_code = supp["result"]["institutions"][0]["code"]
    task_rows = []
    for task, c in tasks.items():
        task_rows.append({"task": task, "institution": c["code"], "draw": 1,
                          "stratum": c["stratum"],
                          "status": "replaced" if task == replaced_task else "assigned",
                          "result": None, "history": []})
    task_rows.append({"task": 16, "institution": supp_code, "draw": 2, "stratum": "07",
                      "status": "assigned", "result": None, "history": []})
    task_rows[0].update(status="result_recorded", result={
        **fixed, "state": "published", "published_at": "2023-12-10T02:00:00+00:00"},
        history=[{**first[0], "state": "superseded",
                  "published_at": "2023-12-01T02:00:00+00:00"}])
    task_rows[1].update(status="result_recorded", result={
        **first[1], "state": "published", "published_at": "2023-12-01T02:00:00+00:00"})
    results = {"plan": PLAN, "title": "广东省2023年检验检测机构双随机抽查", "tasks": task_rows}
    return {"record": record, "pool": pool, "ipool": ipool, "supp": supp,
            "supp_pool": supp_pool, "supp_ipool": supp_ipool, "ledger": ledger,
            "private": private, "public": raw_public(private), "results": results}


@pytest.fixture
def world() -> dict:
    return build()


def check(world: dict, which: str = "record", lang: str = "en", **options) -> list[str]:
    record = world[which]
    pool, ipool = ((world["pool"], world["ipool"]) if which == "record"
                   else (world["supp_pool"], world["supp_ipool"]))
    kwargs = {"ledger": world["ledger"], "public_key": world["public"],
              "results": world["results"], "lang": lang}
    kwargs.update(options)
    return verifier.verify(record, pool, ipool, **kwargs)


def one_like(problems: list[str], pattern: str) -> str:
    hits = [p for p in problems if re.search(pattern, p)]
    assert hits, f"no message like {pattern!r} in {problems}"
    return hits[0]


def rechain(ledger: Ledger, start: int, private: Ed25519PrivateKey | None = None) -> None:
    """Recompute hashes and links from entry ``start`` on (signing with ``private`` if given,
    else keeping the old signatures: what someone without the platform key can do)."""
    for n in range(start - 1, len(ledger)):
        e = ledger[n]
        e["prev"] = ledger[n - 1]["hash"] if n else primitives.GENESIS
        e["hash"] = primitives.sha256_hex(primitives.entry_body(
            seq=e["seq"], prev=e["prev"], at=e["at"], kind=e["kind"], plan=e["plan"],
            payload=e["payload"]))
        if private is not None:
            e["signature"] = private.sign(bytes.fromhex(e["hash"])).hex()


# --------------------------------------------------------------------------------------------
# MATCH
# --------------------------------------------------------------------------------------------
def test_the_untouched_record_ledger_and_results_match(world):
    head = (len(world["ledger"]), world["ledger"][-1]["hash"])
    assert check(world, kept_head=head) == []
    assert check(world, "supp", kept_head=head) == []
    # an earlier head kept by a careful citizen is still in the log
    assert check(world, kept_head={"seq": 3, "hash": world["ledger"][2]["hash"]}) == []
    # and without ledger or results the draw is verified as before
    assert verifier.verify(world["record"], world["pool"], world["ipool"]) == []


def test_external_sources_are_normalised_and_joined_as_the_platform_does(world):
    record = world["record"]
    assert record["external_values"] == ["07 15 22 29 30 33 + 09", "3098.18"]
    assert record["external_value"] == "07 15 22 29 30 33 + 09\n3098.18"
    assert record["external_known_at"] == "2023-10-09T12:30:00+00:00"


def test_a_draw_without_sources_from_before_the_ledger_is_verified_as_before(world):
    entries, inspectors = make_pool()
    params = {"institutions": {"mode": "total", "strata": ["03", "07"], "total": 4},
              "inspectors": {"per_task": 2, "cap": 3, "departments": [], "leads": {}}}
    params["institutions"]["allocation"] = alg.allocate(params["institutions"], entries)
    old, pool, ipool = run_draw(
        draw_id=9, kind="institutions", params=params, entries=entries, inspectors=inspectors,
        server_seed="ab" * 32, values=["42 17 03"], committed="2023-01-05T01:00:00.000000Z",
        completed="2023-01-05T02:00:00.000000Z", sources=[])
    old.pop("external_values")
    old["external_sources"] = []
    assert verifier.verify(old, pool, ipool, ledger=world["ledger"],
                           public_key=world["public"]) == []
    # the same draw committed after the ledger began must be in it
    old["committed_at"] = "2023-10-20T01:00:00+00:00"
    problems = verifier.verify(old, pool, ipool, ledger=world["ledger"],
                               public_key=world["public"])
    one_like(problems, r"no draw_committed entry for draw #9")


# --------------------------------------------------------------------------------------------
# The record against the ledger
# --------------------------------------------------------------------------------------------
def test_commitment_rewritten_in_the_record(world):
    world["record"]["commitment"] = "0" * 64
    problems = check(world)
    one_like(problems, r"^SHA-256\(server_seed\) differs from the commitment")
    text = one_like(problems, r"^commitment: the draw record says")
    assert '"' + "0" * 64 + '"' in text and "ledger entry #2 says" in text


def test_ledger_entry_rewritten_to_match_the_record(world):
    world["record"]["commitment"] = "0" * 64
    world["ledger"][1]["payload"]["commitment"] = "0" * 64
    problems = check(world)
    one_like(problems, r"^entry #2 was rewritten: its hash does not match its content")
    assert not [p for p in problems if p.startswith("commitment:")]


def test_hashes_recomputed_after_a_rewrite_break_signature_and_chain(world):
    world["record"]["commitment"] = "0" * 64
    world["ledger"][1]["payload"]["commitment"] = "0" * 64
    rechain(world["ledger"], 2)
    problems = check(world)
    assert not [p for p in problems if "was rewritten" in p]
    one_like(problems, r"^signature of entry #2 is not the platform key's$")
    one_like(problems, r"^signature of entry #9 is not the platform key's$")
    # recomputing only the rewritten entry's hash breaks the link to the next one
    other = build()
    other["ledger"][1]["payload"]["commitment"] = "0" * 64
    e = other["ledger"][1]
    e["hash"] = primitives.sha256_hex(primitives.entry_body(
        seq=e["seq"], prev=e["prev"], at=e["at"], kind=e["kind"], plan=e["plan"],
        payload=e["payload"]))
    problems = check(other)
    one_like(problems, r"^signature of entry #2 is not the platform key's$")
    one_like(problems, r"^the chain breaks at entry #3: its prev .* is not the hash of entry #2")


def test_an_entry_deleted(world):
    del world["ledger"][2]  # the run of draw 1
    problems = check(world)
    one_like(problems, r"^ledger entry #3 was deleted: the log goes from #2 straight to #4$")
    one_like(problems, r"no draw_run entry for draw #1")
    # several, and from the start
    other = build()
    del other["ledger"][0:2]
    problems = check(other)
    one_like(problems, r"^the log begins with entry #3, not #1")
    other = build()
    del other["ledger"][3:6]
    one_like(check(other), r"^ledger entries #4 to #6 were deleted: the log goes from #3 "
                           r"straight to #7$")


def test_renumbering_after_a_deletion_is_a_rewrite(world):
    del world["ledger"][3]
    for e in world["ledger"][3:]:
        e["seq"] -= 1
    rechain(world["ledger"], 4)
    problems = check(world)
    one_like(problems, r"^signature of entry #4 is not the platform key's$")


def test_a_kept_head_contradicted_by_a_log_the_platform_rewrote_and_re_signed(world):
    kept = (3, world["ledger"][2]["hash"])
    # the platform itself, holding the key, rewrites the commit and re-signs every entry
    world["ledger"][1]["payload"]["pool_size"] = 25
    world["record"]["pool_size"] = 25
    rechain(world["ledger"], 2, world["private"])
    problems = check(world, kept_head=kept)
    text = one_like(problems, r"^the log was rewritten after the head you kept: entry #3 now "
                              r"has hash")
    assert world["ledger"][2]["hash"] in text and kept[1] in text
    assert not [p for p in problems if "signature" in p or "chain breaks" in p]
    # a head beyond the end of the log
    problems = check(build(), kept_head=(40, "ab" * 32))
    one_like(problems, r"^the log was rewritten after the head you kept: entry #40 is no "
                       r"longer in it \(the log ends at #9\)$")


def test_signed_with_another_key(world):
    other = Ed25519PrivateKey.generate()
    problems = check(world, public_key=raw_public(other))
    assert len([p for p in problems if p.startswith("signature of entry")]) == 9
    one_like(problems, r"^entry #1 names signing key .*, but the platform key's fingerprint is")


def test_the_run_recorded_in_the_ledger_must_match_the_record(world):
    world["record"]["result"]["institutions"][0]["rank"] = 9
    world["record"]["external_values"][1] = "3098.19"
    world["record"]["external_value"] = "\n".join(world["record"]["external_values"])
    problems = check(world)
    one_like(problems, r"^result_digest: the draw record says .*, ledger entry #3 says")
    one_like(problems, r'^external_values: the draw record says \["07 15 22 29 30 33 \+ 09", '
                       r'"3098.19"\], ledger entry #3 says')
    one_like(problems, r"^the seed is not SHA-256")


def test_parameters_digest_and_plan_parameters(world):
    world["record"]["parameters"]["institutions"]["weights"]["D"] = "80"
    problems = check(world)
    one_like(problems, r"^parameters_digest: the draw record says .*, ledger entry #2 says")
    one_like(problems, r"^the draw's parameters differ from those the plan published "
                       r"\(ledger entry #1\)$")


def test_a_pending_draw_whose_run_is_in_the_ledger(world):
    record = world["record"]
    for name in ("external_values", "external_value", "seed", "server_seed", "completed_at",
                 "result"):
        record.pop(name)
    record["status"] = "committed"
    problems = check(world, results=None)
    assert problems == ["ledger entry #3 records a run of draw #1, but the record says it "
                        "has not run"]


def test_supplementary_draw_replacement_entries(world):
    supp = world["supp"]
    supp["replacement"]["evidence"] = "经营异常"
    problems = check(world, "supp")
    one_like(problems, r'^replacement request 5, evidence: the draw record says "经营异常", '
                       r"ledger entry #4 says")
    # decided by the requester himself
    selfish = build(decider=REQUESTER)
    problems = check(selfish, "supp")
    one_like(problems, r"^request 5 was decided by the person who made it, "
                       r'"张三 \(广东省市场监督管理局\)" \(ledger entries #4 and #6\)$')
    one_like(problems, r"^replacement request 5 was decided by the person who made it")
    # the decision entry deleted
    other = build()
    del other["ledger"][5]
    problems = check(other, "supp")
    one_like(problems, r"^ledger entry #6 was deleted")
    one_like(problems, r"^the public ledger has no replacement_decided entry for request 5$")


# --------------------------------------------------------------------------------------------
# Declared external sources (§3)
# --------------------------------------------------------------------------------------------
def test_external_values_not_normalised():
    world = build(normalise=False)
    problems = check(world)
    text = one_like(problems, r"^external value 1 \(.*\) is not in normal form; normalised it "
                              r"reads")
    assert '"07 15 22 29 30 33 + 09"' in text
    one_like(problems, r"^external value 2 .* normalised it reads \"3098.18\"$")
    # everything else was computed consistently from the raw values
    assert len(problems) == 2, problems


def test_external_values_count_join_and_validity(world):
    record = world["record"]
    record["external_values"] = record["external_values"][:1]
    problems = verifier.verify(record, world["pool"], world["ipool"])
    one_like(problems, r"^2 external sources are declared, but 1 values are published$")
    one_like(problems, r"^external_value is not the published external_values joined")
    record["external_values"] = ["a\x07b", "x" * 201]
    problems = verifier.verify(record, world["pool"], world["ipool"])
    one_like(problems, r"^external value 1 .* contains a control character$")
    one_like(problems, r"^external value 2 is longer than 200 characters")


def test_run_before_known_at():
    world = build(completed="2023-10-09T12:00:00.000000Z")
    problems = check(world)
    one_like(problems, r'^the draw completed at "2023-10-09T12:00:00\+00:00", before its '
                       r'declared values were known \("2023-10-09T12:30:00\+00:00"\)$')
    one_like(problems, r'^ledger entry #3 records the run at "2023-10-09T12:00:00.000000Z", '
                       r"before the declared values were known")


def test_a_source_known_before_the_commit(world):
    sources = [dict(SOURCES[0]), {**SOURCES[1], "known_at": "2023-10-07T07:00:00.000000Z"}]
    world = build(sources=sources)
    problems = check(world)
    assert problems == [
        'source 2 ("上证综合指数2023年10月9日收盘点位") is known at '
        '"2023-10-07T07:00:00.000000Z", not after the commit ("2023-10-08T01:00:00+00:00")']
    world["record"]["external_known_at"] = "2023-10-09T12:00:00+00:00"
    one_like(check(world), r"^external_known_at is \"2023-10-09T12:00:00\+00:00\", but the "
                           r"latest known_at")


def test_normalisation_is_the_platforms():
    # the platform's re.sub(r"\s+") matches exactly the str.isspace() characters
    every = "".join(map(chr, range(0x110000))).encode("utf-8", "surrogatepass").decode(
        "utf-8", "replace")
    assert set(re.findall(r"\s", every)) == {c for c in every if c.isspace()}
    rnd = random.Random(3797)
    alphabet = ("0７ａＡ中，。\u3000\u00a0\u2003\t\n\r\x0b\x0c\x1c\x85\u2028\u0301\u0308e"
                "\ufb01\u2460\uff10 -+")
    for _ in range(5000):
        raw = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 12)))
        try:
            ours = alg.external_value_normalise(raw)
        except ValueError:
            ours = None
        normal = verifier.normalise(raw)
        theirs = None if verifier.value_problem(normal) else normal
        assert ours == theirs, raw
        if ours is not None:
            assert verifier.normalise(ours) == ours  # idempotent: a stored value checks


# --------------------------------------------------------------------------------------------
# The plan's results
# --------------------------------------------------------------------------------------------
def test_a_published_results_category_swapped(world):
    world["results"]["tasks"][0]["result"]["category"] = "no_problem"
    problems = check(world)
    assert problems == ['task 11: the published result says category "no_problem", ledger '
                        'entry #9 published "problem_corrected"']


def test_a_superseded_revision_changed_or_a_result_hidden(world):
    world["results"]["tasks"][0]["history"][0]["findings_digest"] = findings("什么也没有")
    world["results"]["tasks"][1]["result"] = None
    problems = check(world)
    one_like(problems, r"^task 11, superseded revision 1: the results say findings_digest .*, "
                       r"ledger entry #8 published")
    one_like(problems, r"^task 12: ledger entry #8 published revision 1 of its result, but the "
                       r"results show no published result$")


def test_a_result_no_ledger_entry_lists(world):
    row = world["results"]["tasks"][2]
    row["result"] = {"task": row["task"], "institution": row["institution"], "revision": 1,
                     "corrects": None, "correction_reason": "", "category": "no_problem",
                     "follow_up": "none", "checked_on": "2023-11-21",
                     "findings_digest": findings(""), "state": "published",
                     "published_at": "2023-12-11T00:00:00+00:00"}
    assert check(world) == ["task 13: revision 1 of its result is published, but no "
                            "results_published entry of the ledger lists it"]
    # a result published before the ledger began is not in it
    row["result"]["published_at"] = "2023-09-01T00:00:00+00:00"
    assert check(world) == []


def test_a_tasks_institution_swapped(world):
    record = world["record"]
    selected = {c["code"] for c in record["result"]["institutions"]}
    stranger = next(line.split("\t")[0] for line in world["pool"].split("\n")[1:-1]
                    if line.split("\t")[0] not in selected)
    row = world["results"]["tasks"][3]
    swapped, row["institution"] = row["institution"], stranger
    problems = check(world)
    assert problems == [
        f'task 14 is on institution "{stranger}", which draw #1 did not select',
        f'institution "{swapped}", selected by draw #1, has no task']
    # without the ledger the results are still checked against the selection
    assert verifier.verify(record, world["pool"], world["ipool"],
                           results=world["results"]) == problems


def test_results_of_another_plan(world):
    world["results"]["plan"] = 4
    one_like(check(world), r"^the results are of plan 4, the draw of plan 3$")


# --------------------------------------------------------------------------------------------
# Unreadable input
# --------------------------------------------------------------------------------------------
def test_unreadable_ledger_key_and_head(world):
    with pytest.raises(verifier.Unverifiable, match="ledger line 2 is not a ledger entry"):
        verifier.ledger_of('\nnot json\n')
    with pytest.raises(verifier.Unverifiable, match="seq is missing or of the wrong type"):
        verifier.ledger_of('{"prev": "00"}\n')
    with pytest.raises(verifier.Unverifiable, match="neither an Ed25519 public key"):
        verifier.public_key_of("-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n"
                               "-----END PUBLIC KEY-----\n")
    with pytest.raises(verifier.Unverifiable, match="SEQ:HASH"):
        verifier.head_of("3:abc")
    with pytest.raises(verifier.Unverifiable, match="needs the platform's public key"):
        verifier.verify(world["record"], world["pool"], world["ipool"],
                        ledger=world["ledger"])
    with pytest.raises(verifier.Unverifiable, match="lacks the key \"pool_digest\""):
        verifier.verify({"algorithm_version": "tic-draw-1"}, world["pool"])
    lines = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in world["ledger"])
    assert verifier.ledger_of(lines) == list(world["ledger"])


def test_the_published_key_file_is_read():
    private = Ed25519PrivateKey.generate()
    pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    raw = raw_public(private)
    assert verifier.public_key_of(pem) == raw
    assert verifier.public_key_of(pem.replace("\n", "\r\n")) == raw
    assert verifier.public_key_of(raw.hex().upper() + "\n") == raw
    assert verifier.key_fingerprint(raw) == hashlib.sha256(raw).hexdigest()[:16]


# --------------------------------------------------------------------------------------------
# Ed25519
# --------------------------------------------------------------------------------------------
RFC8032 = [  # RFC 8032 §7.1, TEST 1 and TEST 2: (secret key, public key, message, signature)
    ("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e3970"
     "1cf9b46bd25bf5f0595bbe24655141438e7a100b"),
    ("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613"
     "d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"),
]


@pytest.mark.parametrize(("secret", "public", "msg", "signature"), RFC8032)
def test_ed25519_rfc8032_vectors(secret, public, msg, signature):
    pk, m, sig = bytes.fromhex(public), bytes.fromhex(msg), bytes.fromhex(signature)
    assert verifier.ed25519_verify(pk, m, sig)
    # the vector's secret key gives that public key and signature (deterministic Ed25519)
    private = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(secret))
    assert raw_public(private) == pk and private.sign(m) == sig
    assert not verifier.ed25519_verify(pk, m + b"\0", sig)
    for bit in (0, 7, 255, 256, 300, 511):
        bad = bytearray(sig)
        bad[bit // 8] ^= 1 << (bit % 8)
        assert not verifier.ed25519_verify(pk, m, bytes(bad))
    # s + L is the same scalar mod L, but RFC 8032 refuses s ≥ L
    s = int.from_bytes(sig[32:], "little") + verifier._L
    assert not verifier.ed25519_verify(pk, m, sig[:32] + s.to_bytes(32, "little"))


def test_ed25519_agrees_with_cryptography_on_random_keys_and_messages():
    rnd = random.Random(8032)
    for n in range(150):
        private = Ed25519PrivateKey.generate()
        public = raw_public(private)
        msg = os.urandom(rnd.choice([0, 1, 32, 64, 200]))
        sig = private.sign(msg)
        assert verifier.ed25519_verify(public, msg, sig)
        bad = bytearray(sig)
        bad[rnd.randrange(64)] ^= 1 << rnd.randrange(8)
        bad_msg = bytearray(msg or b"\0")
        bad_msg[rnd.randrange(len(bad_msg))] ^= 1 << rnd.randrange(8)
        bad_key = bytearray(public)
        bad_key[rnd.randrange(32)] ^= 1 << rnd.randrange(8)
        for args in ((public, msg, bytes(bad)), (public, bytes(bad_msg), sig),
                     (bytes(bad_key), msg, sig)):
            theirs = True
            try:
                serialization.load_der_public_key(
                    bytes.fromhex("302a300506032b6570032100") + args[0]).verify(args[2], args[1])
            except Exception:  # InvalidSignature, or a key that does not decode
                theirs = False
            assert verifier.ed25519_verify(*args) is theirs is False, (n, args)
        # another key's signature on the same message
        assert not verifier.ed25519_verify(raw_public(Ed25519PrivateKey.generate()), msg, sig)


def test_ed25519_refuses_malformed_input():
    pk, _, sig = (bytes.fromhex(RFC8032[0][1]), b"", bytes.fromhex(RFC8032[0][3]))
    assert not verifier.ed25519_verify(pk[:31], b"", sig)
    assert not verifier.ed25519_verify(pk, b"", sig[:63])
    # an R whose y is not below p does not decode
    assert not verifier.ed25519_verify(pk, b"", b"\xff" * 31 + b"\x7f" + sig[32:])


# --------------------------------------------------------------------------------------------
# The command line, end to end, standard library only
# --------------------------------------------------------------------------------------------
def write_files(tmp_path: Path, world: dict) -> dict[str, Path]:
    files = {"draw": tmp_path / "draw.json", "pool": tmp_path / "pool.tsv",
             "ipool": tmp_path / "inspector-pool.tsv", "ledger": tmp_path / "ledger.jsonl",
             "key": tmp_path / "key.pem", "results": tmp_path / "results.json"}
    files["draw"].write_text(json.dumps(world["record"], ensure_ascii=False), encoding="utf-8")
    files["pool"].write_bytes(world["pool"].encode("utf-8"))
    files["ipool"].write_bytes(world["ipool"].encode("utf-8"))
    files["ledger"].write_text("".join(
        json.dumps(e, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
        for e in world["ledger"]), encoding="utf-8")
    files["key"].write_bytes(world["private"].public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    files["results"].write_text(json.dumps(world["results"], ensure_ascii=False),
                                encoding="utf-8")
    return files


def run_cli(files: dict[str, Path], *extra: str, env: dict | None = None,
            script: Path = VERIFIER) -> subprocess.CompletedProcess:
    args = [sys.executable, "-S", "-I", str(script), str(files["draw"]), str(files["pool"]),
            str(files["ipool"]), "--ledger", str(files["ledger"]), "--key", str(files["key"]),
            "--results", str(files["results"]), *extra]
    base = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL", "LC_MESSAGES")}
    return subprocess.run(args, capture_output=True, text=True, encoding="utf-8", timeout=120,
                          env={**base, **(env or {})})


def test_cli_match_in_english_and_chinese(tmp_path, world):
    files = write_files(tmp_path, world)
    head = f"{len(world['ledger'])}:{world['ledger'][-1]['hash']}"
    out = run_cli(files, "--head", head, "--lang", "en")
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.startswith("MATCH\n")
    assert "public ledger: 9 entries" in out.stdout and "head you kept (#9)" in out.stdout
    assert "results: the 5 tasks of draw #1 agree" in out.stdout
    out = run_cli(files, "--head", head, "--lang", "zh")
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.startswith("MATCH（核验一致）")
    assert "公共记录链：共 9 个条目" in out.stdout and "检查结果" in out.stdout
    # the language follows the environment by default
    out = run_cli(files, env={"LANG": "zh_CN.UTF-8"})
    assert out.returncode == 0 and "抽取 #1（已完成）" in out.stdout, out.stdout + out.stderr
    # the checkout's script runs the same file
    out = run_cli(files, script=ROOT / "scripts/verify_draw.py")
    assert out.returncode == 0 and out.stdout.startswith("MATCH"), out.stdout + out.stderr


def test_cli_mismatch_and_unreadable_input(tmp_path, world):
    world["ledger"][1]["payload"]["pool_size"] += 1
    files = write_files(tmp_path, world)
    out = run_cli(files, "--lang", "zh")
    assert out.returncode == 1 and out.stdout.startswith("MISMATCH（核验不一致）"), out.stdout
    assert "条目 #2 被改写：哈希值不符" in out.stdout
    out = run_cli(files, "--lang", "en")
    assert out.returncode == 1 and "entry #2 was rewritten" in out.stdout
    files["key"].write_text("not a key\n", encoding="utf-8")
    out = run_cli(files, "--lang", "zh")
    assert out.returncode == 2 and out.stderr.startswith("无法核验："), out.stderr
    out = run_cli(files, "--lang", "en")
    assert out.returncode == 2 and out.stderr.startswith("cannot verify: the key is neither")
    # --ledger without --key is a usage error
    out = subprocess.run([sys.executable, "-S", "-I", str(VERIFIER), str(files["draw"]),
                          str(files["pool"]), "--ledger", str(files["ledger"]), "--lang", "en"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "--ledger needs --key" in out.stderr


def test_cli_pending_draw(tmp_path, world):
    record = world["record"]
    for name in ("external_values", "external_value", "seed", "server_seed", "completed_at",
                 "result"):
        record.pop(name)
    record["status"] = "committed"
    del world["ledger"][2:]
    world["results"]["tasks"] = []
    files = write_files(tmp_path, world)
    out = run_cli(files, "--lang", "zh")
    assert out.returncode == 1 and out.stdout.startswith("PENDING（尚未抽取）"), out.stdout
    assert "尚未进行" in out.stdout
