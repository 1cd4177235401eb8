"""The open-data lists (``/api/v1/…``): public rows only, public fields only, every filter,
ordering, pagination with its cap, a fixed number of queries, read-only.

Sources: seed 000 §十六 (public queries), seed 002 §五(三) (publish results), 一公开.
"""

from __future__ import annotations

import pytest
from django.test import Client

from common.publicapi import OpenDataPagination
from tests.factories import CertificateFactory, InstitutionFactory, region

pytestmark = pytest.mark.django_db

LISTS = ["/api/v1/institutions/", "/api/v1/certificates/", "/api/v1/plans/", "/api/v1/draws/",
         "/api/v1/results/", "/api/v1/credit-records/"]


@pytest.fixture
def client():
    return Client()


def get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content.decode()[:500]
    return response.json()


def uscc_of(items):
    return {item["uscc"] for item in items}


# --- institutions ----------------------------------------------------------------------------

def test_institutions_show_public_fields_and_never_contacts(client, world):
    body = get(client, "/api/v1/institutions/")
    guangzhou = world.institutions["guangzhou"]
    item = next(i for i in body["results"] if i["uscc"] == guangzhou.uscc)
    assert set(item) == {"uscc", "name", "region_code", "region_name", "region_full_name",
                         "status", "status_label", "is_national_centre", "primary_field",
                         "fields", "certificates"}
    assert item["region_code"] == "440103" and item["region_full_name"] == "广东省广州市荔湾区"
    assert item["fields"] == [{"code": "07", "name": "食品检验"}]
    assert item["certificates"] == [{"number": "224407129001", "level": "provincial",
                                     "status": "valid", "valid_until": "2028-02-28"}]
    raw = str(body)
    for inst in world.institutions.values():
        assert inst.contact_phone not in raw and inst.contact_person not in raw


@pytest.mark.parametrize("params, expected", [
    ({"region": "44"}, {"guangzhou", "shenzhen", "centre", "formula"}),
    ({"region": "440000"}, {"guangzhou", "shenzhen", "centre", "formula"}),
    ({"region": "4401"}, {"guangzhou", "centre", "formula"}),
    ({"region": "440103"}, {"guangzhou", "formula"}),
    ({"region": "43"}, {"changsha"}),
    ({"field": "17"}, {"centre"}),
    ({"status": "suspended"}, {"formula"}),
    ({"national_centre": "true"}, {"centre"}),
    ({"national_centre": "false", "region": "4401"}, {"guangzhou", "formula"}),
    ({"name": "其他检测"}, {"changsha"}),
])
def test_institution_filters(client, world, params, expected):
    found = uscc_of(get(client, "/api/v1/institutions/", **params)["results"])
    assert found == {world.institutions[k].uscc for k in expected}


def test_institution_by_uscc_case_insensitive(client, world):
    target = world.institutions["centre"]
    found = get(client, "/api/v1/institutions/", uscc=target.uscc.lower())["results"]
    assert [i["uscc"] for i in found] == [target.uscc]


def test_institution_ordering(client, world):
    names = [i["name"] for i in get(client, "/api/v1/institutions/", ordering="-name",
                                    page_size=100)["results"]]
    assert names == sorted(names, reverse=True)
    default = [i["uscc"] for i in get(client, "/api/v1/institutions/")["results"]]
    assert default == sorted(default)


# --- certificates ----------------------------------------------------------------------------

def numbers(items):
    return {item["number"] for item in items}


def test_certificates_carry_level_scope_and_public_status(client, world):
    items = {c["number"]: c for c in get(client, "/api/v1/certificates/")["results"]}
    assert items["220007129002"]["level"] == "national"
    assert items["224407129001"]["level"] == "provincial"
    assert items["224407129001"]["scope_summary"] == "食品中农药残留 GB 2763"
    assert items["224407129001"]["institution"] == {
        "name": "广州市测试检测有限公司", "uscc": world.institutions["guangzhou"].uscc}
    assert items["144307129003"]["status"] == "expired"  # stored valid, past its end date
    assert items["224407129004"]["status"] == "suspended"
    assert items["220007129002"]["fields"] == [{"code": "07", "name": "食品检验"},
                                               {"code": "17", "name": "农产品"}]


@pytest.mark.parametrize("params, expected", [
    ({"number": "224407129001"}, {"224407129001"}),
    ({"status": "valid"}, {"224407129001", "220007129002"}),
    ({"status": "expired"}, {"144307129003"}),
    ({"status": "suspended"}, {"224407129004"}),
    ({"level": "national"}, {"220007129002"}),
    ({"level": "provincial"}, {"224407129001", "144307129003", "224407129004"}),
    ({"valid_on": "2018-06-01"}, {"144307129003"}),
    ({"valid_on": "2025-01-01"}, {"224407129001", "220007129002"}),
    ({"valid_on": "2013-01-01"}, set()),
    ({"field": "17"}, {"220007129002"}),
    ({"permit_mode": "notify_commit"}, {"220007129002"}),
    ({"region": "43"}, {"144307129003"}),
])
def test_certificate_filters(client, world, params, expected):
    assert numbers(get(client, "/api/v1/certificates/", **params)["results"]) == expected


def test_certificates_by_institution_uscc_and_ordering(client, world):
    uscc = world.institutions["guangzhou"].uscc
    assert numbers(get(client, "/api/v1/certificates/", uscc=uscc)["results"]) == {
        "224407129001"}
    ordered = [c["valid_until"] for c in get(client, "/api/v1/certificates/",
                                             ordering="valid_until")["results"]]
    assert ordered == sorted(ordered)


# --- plans, draws ----------------------------------------------------------------------------

def test_plans_are_the_published_ones_with_quotas(client, world):
    items = get(client, "/api/v1/plans/")["results"]
    assert [p["id"] for p in items] == [world.plan.pk]  # never the draft
    plan = items[0]
    assert plan["authority"] == "市场监管总局" and plan["jurisdiction_code"] is None
    assert plan["certificate_level"] == "national"
    assert {"field": "07", "field_name": "食品检验", "count": 10,
            "national_centre_count": None} in plan["quotas"]
    assert plan["results_url"].endswith(f"/api/public/plans/{world.plan.pk}/results/")


@pytest.mark.parametrize("params, found", [
    ({"year": "2023"}, True), ({"year": "2027"}, False), ({"status": "published"}, True),
    ({"status": "closed"}, False), ({"national": "true"}, True), ({"national": "false"}, False),
    ({"certificate_level": "national"}, True), ({"certificate_level": "any"}, False),
    ({"region": "44"}, False), ({"ordering": "-year"}, True),
])
def test_plan_filters(client, world, params, found):
    ids = [p["id"] for p in get(client, "/api/v1/plans/", **params)["results"]]
    assert ids == ([world.plan.pk] if found else [])


def test_a_draft_plan_cannot_be_asked_for(client, world):
    response = client.get("/api/v1/plans/", {"status": "draft"})
    assert response.status_code == 400 and "status" in response.json()


def test_draws_are_those_of_published_plans_and_link_their_record(client, world):
    items = get(client, "/api/v1/draws/")["results"]
    assert [d["id"] for d in items] == [world.draw.pk]  # never the draft plan's draw
    draw = items[0]
    assert draw["url"].endswith(f"/api/public/draws/{world.draw.pk}/")
    assert "server_seed" not in draw and "pool" not in draw
    assert client.get(draw["url"]).status_code == 200


@pytest.mark.parametrize("params, found", [
    ({"plan": "PLAN"}, True), ({"plan": "999999"}, False), ({"year": "2023"}, True),
    ({"kind": "institutions"}, True), ({"kind": "inspectors"}, False),
    ({"status": "completed"}, True), ({"status": "committed"}, False),
    ({"ordering": "committed_at"}, True),
])
def test_draw_filters(client, world, params, found):
    params = {k: (str(world.plan.pk) if v == "PLAN" else v) for k, v in params.items()}
    ids = [d["id"] for d in get(client, "/api/v1/draws/", **params)["results"]]
    assert ids == ([world.draw.pk] if found else [])


def test_the_draft_plans_draw_is_not_found_through_any_filter(client, world):
    response = get(client, "/api/v1/draws/", plan=world.draft_plan.pk)
    assert response["results"] == []


# --- results ---------------------------------------------------------------------------------

def test_results_are_the_published_revisions_with_their_corrections(client, world):
    items = {r["id"]: r for r in get(client, "/api/v1/results/")["results"]}
    assert set(items) == {world.corrected.pk, world.clean.pk}
    # never the superseded revision, the approved-unpublished one, nor the draft plan's
    assert not {world.superseded.pk, world.approved.pk, world.draft_result.pk} & set(items)
    corrected = items[world.corrected.pk]
    assert corrected["corrected"] is True and corrected["corrects"] == 1
    assert corrected["correction_reason"] == "复核发现案件线索" and corrected["revision"] == 2
    assert corrected["institution"]["uscc"] == world.institutions["guangzhou"].uscc
    assert corrected["plan"] == {"id": world.plan.pk, "title": world.plan.title}
    assert corrected["category"] == "problem_pending"
    assert corrected["category_label"] == "发现问题待后续处理"
    assert "findings" not in corrected
    assert items[world.clean.pk]["corrected"] is False
    assert items[world.clean.pk]["corrects"] is None


@pytest.mark.parametrize("params, expected", [
    ({"plan": "PLAN"}, {"corrected", "clean"}), ({"year": "2027"}, set()),
    ({"category": "no_problem"}, {"clean"}), ({"follow_up": "case_opened"}, {"corrected"}),
    ({"region": "44"}, {"corrected"}), ({"region": "430102"}, {"clean"}),
    ({"corrected": "true"}, {"corrected"}), ({"corrected": "false"}, {"clean"}),
    ({"uscc": "CHANGSHA"}, {"clean"}), ({"checked_from": "2023-11-02"}, set()),
    ({"checked_to": "2023-11-01"}, {"corrected", "clean"}),
    ({"ordering": "checked_on"}, {"corrected", "clean"}),
])
def test_result_filters(client, world, params, expected):
    swap = {"PLAN": str(world.plan.pk), "CHANGSHA": world.institutions["changsha"].uscc}
    params = {k: swap.get(v, v) for k, v in params.items()}
    ids = {r["id"] for r in get(client, "/api/v1/results/", **params)["results"]}
    assert ids == {getattr(world, name).pk for name in expected}


# --- credit records --------------------------------------------------------------------------

def test_credit_records_are_public_events_in_force(client, world):
    items = {e["id"]: e for e in get(client, "/api/v1/credit-records/")["results"]}
    assert set(items) == {world.penalty.pk, world.case_event.pk}
    assert world.hidden_event.pk not in items and world.superseded_event.pk not in items
    case = items[world.case_event.pk]
    assert case["kind"] == "case_opened" and case["source_plan"]["id"] == world.plan.pk
    assert items[world.penalty.pk]["source_plan"] is None


@pytest.mark.parametrize("params, expected", [
    ({"uscc": "GUANGZHOU"}, {"case_event"}), ({"kind": "penalty"}, {"penalty"}),
    ({"date_from": "2024-01-01"}, {"penalty"}), ({"date_to": "2023-12-31"}, {"case_event"}),
    ({"date_from": "2023-11-01", "date_to": "2024-03-05"}, {"penalty", "case_event"}),
    ({"plan": "PLAN"}, {"case_event"}), ({"region": "43"}, {"penalty"}),
    ({"ordering": "occurred_on"}, {"penalty", "case_event"}),
])
def test_credit_filters(client, world, params, expected):
    swap = {"PLAN": str(world.plan.pk), "GUANGZHOU": world.institutions["guangzhou"].uscc}
    params = {k: swap.get(v, v) for k, v in params.items()}
    ids = {e["id"] for e in get(client, "/api/v1/credit-records/", **params)["results"]}
    assert ids == {getattr(world, name).pk for name in expected}


def test_credit_ordering_oldest_first(client, world):
    dates = [e["occurred_on"] for e in get(client, "/api/v1/credit-records/",
                                           ordering="occurred_on")["results"]]
    assert dates == sorted(dates)


# --- pagination, queries, methods ------------------------------------------------------------

def test_pagination_pages_do_not_overlap_and_the_size_is_capped(client, world, monkeypatch):
    first = get(client, "/api/v1/institutions/", page_size=2)
    second = get(client, "/api/v1/institutions/", page_size=2, page=2)
    assert first["count"] == 5 and len(first["results"]) == 2 and first["next"]
    assert not uscc_of(first["results"]) & uscc_of(second["results"])
    assert get(client, "/api/v1/institutions/", page_size=2, page=3)["next"] is None
    assert OpenDataPagination.max_page_size == 500
    monkeypatch.setattr(OpenDataPagination, "max_page_size", 3)
    assert len(get(client, "/api/v1/institutions/", page_size=1000)["results"]) == 3


def test_a_page_past_the_end_is_404(client, world):
    response = client.get("/api/v1/institutions/", {"page": 99})
    assert response.status_code == 404 and "detail" in response.json()


@pytest.fixture
def many(world):
    """More rows of each kind, to show that a page costs the same number of queries."""
    for i in range(6):
        inst = InstitutionFactory(name=f"批量机构{i}", region=region("440106"))
        CertificateFactory(institution=inst)
        CertificateFactory(institution=inst)
    return world


# count + rows (+ one query per prefetched relation)
@pytest.mark.parametrize("url, queries", [
    ("/api/v1/institutions/", 4), ("/api/v1/certificates/", 3), ("/api/v1/plans/", 3),
    ("/api/v1/draws/", 2), ("/api/v1/results/", 2), ("/api/v1/credit-records/", 2),
])
def test_a_page_costs_a_fixed_number_of_queries(client, many, url, queries,
                                                django_assert_max_num_queries):
    with django_assert_max_num_queries(queries):
        response = client.get(url, {"page_size": 100})
    assert response.status_code == 200 and response.json()["count"] >= 1


def test_bulk_index_makes_no_query(client, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        assert client.get("/api/v1/bulk/").status_code == 200


@pytest.mark.parametrize("url", [*LISTS, "/api/v1/", "/api/v1/bulk/"])
def test_writes_are_refused_without_a_session_or_csrf(url, world):
    client = Client(enforce_csrf_checks=True)
    for method in ("post", "put", "patch", "delete"):
        assert getattr(client, method)(url).status_code == 405
    response = client.get(url)
    assert response.status_code == 200 and "sessionid" not in response.cookies


def test_the_index_links_every_list(client, world):
    links = get(client, "/api/v1/")
    for url in LISTS:
        assert any(link.endswith(url) for link in links.values()), url
    assert links["docs"].endswith("/api/docs/") and links["schema"].endswith("/api/schema/")
