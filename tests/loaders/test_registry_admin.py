"""The admin upload page (scoped per role), the imports list, and the export."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from institutions.models import Institution, RegistryImport
from loaders.registry.columns import HEADERS
from qualifications.models import Certificate

from .conftest import run_import, xlsx_bytes

pytestmark = pytest.mark.django_db
URL = "admin:institutions_institution_import_registry"


def _upload(client, data: bytes, name: str = "registry.xlsx"):
    return client.post(reverse(URL), {"file": SimpleUploadedFile(name, data)}, follow=True)


def test_changelist_has_the_import_and_export_buttons(client_as, regulator):
    response = client_as(regulator).get(reverse("admin:institutions_institution_changelist"))
    body = response.content.decode()
    assert f'href="{reverse(URL)}"' in body
    assert reverse("admin:institutions_institution_export") in body


def test_regulator_imports_his_province(client_as, regulator, gd_rows):
    client = client_as(regulator)
    assert client.get(reverse(URL)).status_code == 200
    response = _upload(client, xlsx_bytes(gd_rows))
    assert response.status_code == 200
    record = RegistryImport.objects.get()
    assert record.succeeded, record.problems
    assert record.uploaded_by == regulator and record.created_count == len(gd_rows)
    assert Institution.objects.count() == len(gd_rows)
    assert Institution.history.filter(history_user=regulator).count() == len(gd_rows)
    body = response.content.decode()
    assert 'class="registry-status succeeded"' in body and 'class="success"' in body


def test_regulator_rows_outside_his_region_are_rejected(client_as, regulator, gd_rows,
                                                        rows300):
    rows = [*gd_rows[:3], next(r for r in rows300 if not r[2].startswith("44"))]
    response = _upload(client_as(regulator), xlsx_bytes(rows))
    record = RegistryImport.objects.get()
    assert not record.succeeded and Institution.objects.count() == 0
    [problem] = record.problems
    assert (problem["row"], problem["column"]) == (5, "所在地区代码")
    assert rows[3][2] in problem["message"]  # the region code, in the request's language
    body = response.content.decode()
    assert 'class="registry-status rejected"' in body
    assert f"<td>5</td>\n            <td>所在地区代码</td>\n            <td>{problem['message']}</td>" in body


def test_outsider_regulator_cannot_import_or_update_guangdong(client_as, outsider_regulator,
                                                              gd_rows):
    assert run_import(xlsx_bytes(gd_rows[:5])).succeeded  # stored by the command
    changed = [list(r) for r in gd_rows[:5]]
    changed[0][0] = "改名"
    _upload(client_as(outsider_regulator), xlsx_bytes(changed))
    record = RegistryImport.objects.filter(uploaded_by=outsider_regulator).get()
    assert not record.succeeded and record.problem_count == 5
    assert {(p["row"], p["column"]) for p in record.problems} == {
        (n, "所在地区代码") for n in range(2, 7)}
    # moving a Guangdong institution into Hunan is not his to do either
    changed[0][2] = "430102"
    _upload(client_as(outsider_regulator), xlsx_bytes(changed[:1]))
    record = RegistryImport.objects.filter(uploaded_by=outsider_regulator).first()
    [problem] = record.problems
    assert (problem["row"], problem["column"]) == (2, "统一社会信用代码")
    assert gd_rows[0][2] in problem["message"]
    assert Institution.objects.get(uscc=gd_rows[0][1]).name == gd_rows[0][0]


def test_admin_imports_the_whole_country(client_as, admin_user, rows300):
    response = _upload(client_as(admin_user), xlsx_bytes(rows300))
    assert response.status_code == 200
    assert RegistryImport.objects.get().created_count == 300
    assert Certificate.objects.count() == 300


def test_bad_file_through_the_admin_shows_the_report(client_as, admin_user, rows300):
    rows = [list(r) for r in rows300[:3]]
    rows[1][1] = "91440101MA5CXXXX0X"
    response = _upload(client_as(admin_user), xlsx_bytes(rows))
    body = response.content.decode()
    [problem] = RegistryImport.objects.get().problems
    assert (problem["row"], problem["column"]) == (3, "统一社会信用代码")
    assert 'class="registry-status rejected"' in body
    assert "<td>3</td>" in body and problem["message"] in body
    assert Institution.objects.count() == 0


def test_users_without_add_permission_get_no_import_page(client_as, inspector_user,
                                                          institution_user):
    for user in (inspector_user, institution_user, None):
        response = client_as(user).get(reverse(URL))
        assert response.status_code in (302, 403)
        assert "/admin/login/" in response.get("Location", "/admin/login/")
    assert RegistryImport.objects.count() == 0


def test_staff_without_add_permission_gets_403(client_as, ref):
    from tests.factories import UserFactory

    viewer = UserFactory(username="viewer", role="inspector", is_staff=True)
    assert client_as(viewer).get(reverse(URL)).status_code == 403
    assert client_as(viewer).post(reverse(URL), {}).status_code == 403


def test_imports_are_scoped_per_user(client_as, regulator, outsider_regulator, admin_user,
                                     inspector_user, gd_rows):
    from django.contrib.auth.models import AnonymousUser

    mine = run_import(xlsx_bytes(gd_rows[:2]), user=regulator)
    theirs = run_import(b"", user=outsider_regulator)
    by_command = run_import(b"")
    assert set(RegistryImport.objects.for_user(regulator)) == {mine}
    assert set(RegistryImport.objects.for_user(admin_user)) == {mine, theirs, by_command}
    for nobody in (inspector_user, AnonymousUser(), None):
        assert not RegistryImport.objects.for_user(nobody).exists()
    page = client_as(regulator).get(reverse(URL) + f"?record={theirs.pk}").content.decode()
    assert "registry-report" not in page  # another regulator's report is not shown
    page = client_as(regulator).get(reverse(URL) + f"?record={mine.pk}").content.decode()
    assert "registry-report" in page
    listing = client_as(regulator).get(reverse("admin:institutions_registryimport_changelist"))
    assert listing.status_code == 200
    change = "admin:institutions_registryimport_change"
    view = client_as(regulator).get(reverse(change, args=[mine.pk]))
    assert view.status_code == 200 and "registry-report" in view.content.decode()
    other = client_as(regulator).get(reverse(change, args=[theirs.pk]))
    assert other.status_code == 404


def test_export_returns_a_workbook_with_the_headers(client_as, regulator, gd_rows, rows300):
    assert run_import(xlsx_bytes([*gd_rows[:5], *rows300[:20]])).succeeded
    outside = sum(1 for r in rows300[:20] if not r[2].startswith("44"))
    assert outside
    response = client_as(regulator).post(
        reverse("admin:institutions_institution_export"),
        {"format": "0", "resource": "0",
         **{f"institutionresource_{f}": "on" for f in (
             "name", "uscc", "region", "testing_fields", "certificate_number", "issued_on",
             "valid_until", "issuing_authority", "national_centre", "nature",
             "contact_person", "contact_phone", "address", "credit_class", "cnas",
             "permit_mode")}})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == HEADERS
    assert len(rows) - 1 == 5 + (20 - outside)  # only Guangdong: the scoped queryset
    assert all(str(r[2]).startswith("44") for r in rows[1:])
    # the exported sheet imports again unchanged
    record = run_import(response.content)
    assert record.succeeded, record.problems
    assert record.unchanged_count == len(rows) - 1
