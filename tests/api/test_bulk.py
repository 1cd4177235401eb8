"""Bulk open data: the daily task writes CSV and JSON files of every public dataset, the index
lists them with sizes and SHA-256, the download streams them, and nothing else serves them.

Sources: seed 000 §十六 (public queries), 一公开; OWASP CSV injection (formula cells).
"""

from __future__ import annotations

import base64
import csv
import dataclasses
import datetime as dt
import hashlib
import io
import json

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from reports import opendata
from reports.tasks import opendata_generate_task
from tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db

API_LIST = {"institutions": "/api/v1/institutions/", "certificates": "/api/v1/certificates/",
            "plans": "/api/v1/plans/", "draws": "/api/v1/draws/",
            "results": "/api/v1/results/", "credit-records": "/api/v1/credit-records/"}


@pytest.fixture
def client():
    return Client()


def body_of(response) -> bytes:
    return b"".join(response.streaming_content)


def index_files(client) -> dict[tuple[str, str], dict]:
    days = client.get("/api/v1/bulk/").json()["results"]
    assert len(days) == 1
    return {(f["dataset"], f["format"]): f for f in days[0]["files"]}


def test_the_task_writes_every_dataset_and_the_index_publishes_their_digests(client, world):
    summary = opendata_generate_task.delay().get()
    today = timezone.localdate().isoformat()
    assert summary["date"] == today and summary["files"] == 12
    assert summary["rows"] == {"institutions": 5, "certificates": 4, "plans": 1, "draws": 1,
                               "results": 2, "credit-records": 2}
    files = index_files(client)
    assert set(files) == {(d, f) for d in API_LIST for f in ("csv", "json")}
    for (dataset, fmt), entry in files.items():
        assert entry["url"] == (f"http://testserver/api/v1/bulk/{today}/{dataset}.{fmt}")
        response = client.get(entry["url"])
        assert response.status_code == 200
        data = body_of(response)
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert len(data) == entry["size"] == int(response["Content-Length"])
        assert response["Content-Type"] == entry["media_type"] == opendata.FORMATS[fmt]
        assert response["Content-Disposition"] == (
            f'attachment; filename="tic-opendata-{dataset}-{today}.{fmt}"')
        assert response["ETag"] == f'"{entry["sha256"]}"'
        digest = base64.b64encode(hashlib.sha256(data).digest()).decode()
        assert response["Repr-Digest"] == f"sha-256=:{digest}:"


def test_json_files_hold_exactly_the_api_items(client, world):
    opendata_generate_task.delay()
    files = index_files(client)
    for dataset, url in API_LIST.items():
        data = json.loads(body_of(client.get(files[(dataset, "json")]["url"])))
        api = client.get(url, {"page_size": 500}).json()["results"]
        api = json.loads(json.dumps(api).replace("http://testserver", ""))
        assert data == api, dataset


def test_csv_files_flatten_the_items_and_neutralise_formulas(client, world):
    opendata_generate_task.delay()
    files = index_files(client)
    raw = body_of(client.get(files[("institutions", "csv")]["url"]))
    assert raw.startswith("\ufeff".encode()) and b"\r\n" in raw
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0])[:4] == ["uscc", "name", "region_code", "region_name"]
    assert {"fields.code", "fields.name", "certificates.number", "certificates.status"} <= set(
        rows[0])
    formula = world.institutions["formula"]
    row = next(r for r in rows if r["uscc"] == formula.uscc)
    assert row["name"] == "'" + formula.name  # shown, never run
    centre = next(r for r in rows if r["uscc"] == world.institutions["centre"].uscc)
    assert centre["fields.code"] == "07;17" and centre["is_national_centre"] == "true"
    certificates = list(csv.DictReader(io.StringIO(
        body_of(client.get(files[("certificates", "csv")]["url"])).decode("utf-8-sig"))))
    suspended = next(r for r in certificates if r["number"] == "224407129004")
    assert suspended["institution.name"] == "'" + formula.name
    # the JSON keeps the name as registered
    items = json.loads(body_of(client.get(files[("institutions", "json")]["url"])))
    assert formula.name in {i["name"] for i in items}


@pytest.mark.parametrize("value, expected", [
    ("=1+2", "'=1+2"), ("+86 20", "'+86 20"), ("-3", "'-3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("广州", "广州"), ("", ""), ("a=b", "a=b"),
])
def test_the_csv_injection_rule(value, expected):
    assert opendata.neutralise_cell(value) == expected


def test_one_set_per_day_regenerated_when_asked_again(client, world):
    opendata_generate_task.delay()
    first = index_files(client)
    opendata_generate_task.delay()  # unchanged data: the same files
    assert index_files(client) == first
    InstitutionFactory(name="新登记检测有限公司")
    opendata_generate_task.delay()
    again = index_files(client)
    assert again[("institutions", "csv")]["sha256"] != first[("institutions", "csv")]["sha256"]
    assert again[("institutions", "csv")]["rows"] == 6
    assert again[("plans", "json")] == first[("plans", "json")]
    folder = opendata.day_dir(timezone.localdate())
    on_disk = {p.name for p in folder.iterdir()}
    assert on_disk == {opendata.MANIFEST} | {
        opendata.file_entry(timezone.localdate(), d, f)[1].name for d, f in again}
    response = client.get(again[("institutions", "csv")]["url"])
    assert hashlib.sha256(body_of(response)).hexdigest() == (
        again[("institutions", "csv")]["sha256"])


def test_small_chunks_give_the_same_files(client, world, monkeypatch):
    opendata_generate_task.delay()
    whole = index_files(client)
    small = {name: dataclasses.replace(d, chunk_size=2) for name, d in opendata.DATASETS.items()}
    monkeypatch.setattr(opendata, "DATASETS", small)
    opendata.opendata_generate()
    assert {k: v["sha256"] for k, v in index_files(client).items()} == {
        k: v["sha256"] for k, v in whole.items()}


def test_the_files_are_not_reachable_under_media_or_static(client, world):
    opendata_generate_task.delay()
    day = timezone.localdate()
    _entry, path = opendata.file_entry(day, "institutions", "csv")
    assert path.is_file() and str(path).startswith(str(settings.MEDIA_ROOT))
    for url in (f"/{settings.MEDIA_URL}opendata/{day}/{path.name}",
                f"/{settings.MEDIA_URL}opendata/{day}/{opendata.MANIFEST}",
                f"/{settings.STATIC_URL}opendata/{day}/{path.name}"):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("name", ["institutions.xml", "secrets.csv", "manifest.json",
                                  "institutions", ".tmp-x.csv"])
def test_unknown_files_are_404_json(client, world, name):
    opendata_generate_task.delay()
    response = client.get(f"/api/v1/bulk/{timezone.localdate()}/{name}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json" and "detail" in response.json()


def test_a_day_without_a_set_is_404(client, world):
    for day in ("2001-01-01", "2001-13-01", "20010101", "latest"):
        assert client.get(f"/api/v1/bulk/{day}/institutions.csv").status_code == 404
    today = timezone.localdate()
    assert client.get(f"/api/v1/bulk/{today}/../{today}/manifest.json").status_code == 404


def test_a_run_already_under_way_writes_nothing(world):
    day = timezone.localdate()
    cache.add(f"reports.opendata.lock.{day.isoformat()}", "1")
    assert opendata_generate_task.delay().get() == {"date": day.isoformat(), "busy": True}
    assert opendata.manifest_read(day) is None


def test_old_sets_are_pruned(client, world, settings):
    settings.OPENDATA_KEEP_DAYS = 30
    old = timezone.localdate() - dt.timedelta(days=40)
    opendata.opendata_generate(day=old)
    assert opendata.days_available() == [old]
    summary = opendata_generate_task.delay().get()
    assert summary["pruned"] == [old.isoformat()]
    assert opendata.days_available() == [timezone.localdate()]


def test_the_index_pages_by_day_newest_first(client, world):
    older = timezone.localdate() - dt.timedelta(days=1)
    opendata.opendata_generate(day=older, datasets=["plans"])
    opendata_generate_task.delay()
    page = client.get("/api/v1/bulk/", {"page_size": 1}).json()
    assert page["count"] == 2 and page["next"]
    assert page["results"][0]["date"] == timezone.localdate().isoformat()
    second = client.get(page["next"]).json()["results"][0]
    assert second["date"] == older.isoformat()
    assert {f["dataset"] for f in second["files"]} == {"plans"}
    assert client.get("/api/v1/bulk/", {"page": 9}).status_code == 404


def test_the_command_and_the_beat_schedule(world, capsys):
    call_command("opendata_generate", "--dataset", "plans")
    out = capsys.readouterr().out
    assert "plans-" in out and "sha256" in out
    entry = settings.CELERY_BEAT_SCHEDULE["reports-opendata-daily"]
    assert entry["task"] == "reports.tasks.opendata_generate_task"
    assert entry["schedule"] == 24 * 3600
