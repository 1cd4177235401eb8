"""Name search (``qualifications.search``): words in any order, short Chinese words, relevance
then pinyin, a bounded plan for common words; the public lookup and the open-data filter."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from institutions.models import Institution
from qualifications import search
from qualifications.search import name_search, search_words
from tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db


def names(query: str) -> list[str]:
    return list(name_search(Institution.objects.all(), query=query).queryset
                .values_list("name", flat=True))


@pytest.fixture
def registry(ref):
    for name in ("广州市华测检测技术有限公司", "广州市计量检测研究院", "深圳市华测检测有限公司",
                 "长沙市检测中心", "北京市检测中心", "阿坝州检测站", "广州", "ABC检测实验室"):
        InstitutionFactory(name=name)


def test_words_split_at_any_space():
    assert search_words(" 广州　检测  华测 ") == ["广州", "检测", "华测"]
    assert search_words("abc ABC") == ["abc"]
    assert len(search_words(" ".join(str(i) for i in range(20)))) == search.MAX_WORDS


def test_every_word_must_occur_in_any_order(registry):
    assert set(names("广州 检测")) == {"广州市华测检测技术有限公司", "广州市计量检测研究院"}
    assert set(names("检测 广州")) == set(names("广州 检测"))
    assert set(names("华测 深圳")) == {"深圳市华测检测有限公司"}


def test_two_and_one_character_words_are_served(registry):
    assert set(names("华测")) == {"广州市华测检测技术有限公司", "深圳市华测检测有限公司"}
    assert set(names("计量 研")) == {"广州市计量检测研究院"}


def test_latin_letters_match_either_case(registry):
    assert names("abc") == ["ABC检测实验室"]
    assert names("Abc 检测") == ["ABC检测实验室"]


def test_exact_name_first_then_names_starting_with_the_first_word(registry):
    found = names("广州")
    assert found[0] == "广州"
    assert set(found[1:]) == {"广州市华测检测技术有限公司", "广州市计量检测研究院"}


def test_then_pinyin_order(registry):
    """阿 (a) · 北 (bei) · 长 (chang): pinyin on PostgreSQL; code points on SQLite."""
    found = [n for n in names("检测") if n in ("长沙市检测中心", "北京市检测中心", "阿坝州检测站")]
    if connection.vendor == "postgresql":
        assert found == ["阿坝州检测站", "北京市检测中心", "长沙市检测中心"]
    else:
        assert found == sorted(found)


def test_common_words_are_capped_and_shown_in_pinyin_order(registry, monkeypatch):
    monkeypatch.setattr(search, "RANKED_AT_MOST", 3)
    found = name_search(Institution.objects.all(), query="检测")
    assert found.more and found.count == 3
    shown = list(found.queryset.values_list("name", flat=True))
    assert len(shown) == 3
    if connection.vendor == "postgresql":
        assert shown[0] == "阿坝州检测站"


def test_the_lookup_page_says_more_when_capped(client_as, registry, monkeypatch):
    monkeypatch.setattr(search, "RANKED_AT_MOST", 3)
    response = client_as(None).get(reverse("qualifications:institution_lookup"), {"q": "检测"})
    assert response.context["more"] is True
    assert len(response.context["results"]) == 3
    assert "3" in response.content.decode()


def test_lookup_page_splits_words(client_as, registry):
    response = client_as(None).get(reverse("qualifications:institution_lookup"),
                                   {"q": "检测 广州"})
    assert [r["institution"].name for r in response.context["results"]] == [
        "广州市华测检测技术有限公司", "广州市计量检测研究院"][:len(response.context["results"])]
    assert response.context["page_obj"].paginator.count == 2


def test_open_data_name_filter_splits_words(client_as, registry):
    body = client_as(None).get("/api/v1/institutions/", {"name": "广州 检测"}).json()
    assert {i["name"] for i in body["results"]} == {"广州市华测检测技术有限公司",
                                                    "广州市计量检测研究院"}
    assert client_as(None).get("/api/v1/institutions/", {"name": ""}).status_code == 200


@pytest.mark.parametrize("query, index", [("华测", "institutions_name_grams"),
                                          ("计量检测", "institutions_name_trgm")])
def test_words_are_served_by_an_index(registry, query, index):
    if connection.vendor != "postgresql":
        pytest.skip("the indexes are PostgreSQL's (migration qualifications/0005)")
    qs = (Institution.objects.filter(search.name_filter_q(search_words(query)))
          .order_by().values("pk"))
    with connection.cursor() as cur:  # a few rows: ask whether the index can serve, no scan
        cur.execute("SET enable_seqscan = off; SET enable_indexscan = off")
        plan = qs.explain()
        cur.execute("RESET enable_seqscan; RESET enable_indexscan")
    assert index in plan, plan
