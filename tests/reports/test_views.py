"""Report pages: list, request, download — per role (regulator, outsider, admin, others)."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from reports.models import Report, ReportStatus

LIST = "/reports/"


def _report(plan, user, *, done=True) -> Report:
    """A report of ``user``'s authority; ``done``: with small stand-in files (fast)."""
    report = Report.objects.create(kind="inspection_statistics", plan=plan,
                                   authority=user.authority, requested_by=user)
    if done:
        report.pdf.save("r.pdf", ContentFile(b"%PDF-1.7 stand-in"), save=False)
        report.xlsx.save("r.xlsx", ContentFile(b"PK stand-in"), save=False)
        report.status, report.finished_at = ReportStatus.DONE, timezone.now()
        report.save()
    return report


def _download(pk, fmt="pdf"):
    return reverse("reports:report_download", args=[pk, fmt])


@pytest.mark.django_db
def test_the_urls_live_under_reports():
    assert reverse("reports:report_list") == LIST
    assert _download(7, "xlsx") == "/reports/7/download/xlsx/"


@pytest.mark.django_db
def test_a_regulator_requests_and_downloads_his_report(
        client_as, stats_plan, regulator, django_capture_on_commit_callbacks):
    client = client_as(regulator)
    page = client.get(LIST)
    assert page.status_code == 200
    assert stats_plan.title in page.content.decode()  # offered in the request form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:report_request"), {"plan": stats_plan.pk})
    assert response.status_code == 302 and response["Location"] == LIST
    report = Report.objects.get()
    assert report.status == ReportStatus.DONE and report.requested_by == regulator
    body = client.get(LIST).content.decode()
    assert _download(report.pk, "pdf") in body and _download(report.pk, "xlsx") in body

    pdf = client.get(_download(report.pk, "pdf"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")
    disposition = pdf["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert quote("检验检测机构监督检查信息统计表") in disposition
    assert quote("广东省市场监督管理局") in disposition and disposition.endswith(".pdf")
    xlsx = client.get(_download(report.pk, "xlsx"))
    assert xlsx.status_code == 200 and "spreadsheetml" in xlsx["Content-Type"]


@pytest.mark.django_db
def test_an_outsider_regulator_gets_404_on_another_provinces_report(
        client_as, stats_plan, regulator, outsider_regulator):
    report = _report(stats_plan, regulator)
    client = client_as(outsider_regulator)
    assert client.get(_download(report.pk, "pdf")).status_code == 404
    assert client.get(_download(report.pk, "xlsx")).status_code == 404
    assert _download(report.pk) not in client.get(LIST).content.decode()


@pytest.mark.django_db
def test_an_admin_sees_and_downloads_every_report(client_as, stats_plan, regulator, admin_user):
    report = _report(stats_plan, regulator)
    client = client_as(admin_user)
    page = client.get(LIST)
    assert page.status_code == 200 and _download(report.pk) in page.content.decode()
    assert client.get(_download(report.pk)).status_code == 200
    # no authority: may read, may not request
    assert client.post(reverse("reports:report_request"),
                       {"plan": stats_plan.pk}).status_code == 403


@pytest.mark.django_db
def test_a_report_not_done_or_an_unknown_format_is_404(client_as, stats_plan, regulator):
    pending = _report(stats_plan, regulator, done=False)
    client = client_as(regulator)
    assert client.get(_download(pending.pk)).status_code == 404
    done = _report(stats_plan, regulator)
    assert client.get(_download(done.pk, "docx")).status_code == 404
    assert client.get(_download(done.pk + 1000)).status_code == 404


@pytest.mark.django_db
def test_other_roles_are_refused(client_as, stats_plan, regulator, institution_user,
                                 inspector_user):
    report = _report(stats_plan, regulator)
    for user in (institution_user, inspector_user):
        client = client_as(user)
        assert client.get(LIST).status_code == 403
        assert client.get(_download(report.pk)).status_code == 403
        assert client.post(reverse("reports:report_request"),
                           {"plan": stats_plan.pk}).status_code == 403
    anonymous = client_as(None)
    for url in (LIST, _download(report.pk)):
        response = anonymous.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Report.objects.count() == 1


@pytest.mark.django_db
def test_a_plan_outside_the_region_cannot_be_requested(client_as, ref, outsider_regulator):
    from .conftest import plan_make

    gd_plan = plan_make(title="广东省专项抽查", region_code="440000")
    client = client_as(outsider_regulator)
    assert gd_plan.title not in client.get(LIST).content.decode()
    response = client.post(reverse("reports:report_request"), {"plan": gd_plan.pk})
    assert response.status_code == 400
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_the_list_shows_failed_reports_with_their_error(client_as, stats_plan, regulator):
    Report.objects.create(kind="inspection_statistics", plan=stats_plan,
                          authority=regulator.authority, requested_by=regulator,
                          status=ReportStatus.FAILED, error="RuntimeError: font missing")
    body = client_as(regulator).get(LIST).content.decode()
    assert "RuntimeError: font missing" in body and 'class="badge bad"' in body


@pytest.mark.django_db
def test_the_list_query_count_is_pinned(client_as, stats_plan, regulator,
                                        django_assert_num_queries):
    client = client_as(regulator)
    _report(stats_plan, regulator)
    # session, user, authority, count, page of reports, plans: exists, options (twice: Django's
    # required-attribute check iterates them), the top bar's unread notifications
    with django_assert_num_queries(9):
        client.get(LIST)
    for _ in range(5):
        _report(stats_plan, regulator, done=False)
    with django_assert_num_queries(9):
        client.get(LIST)


@pytest.mark.django_db
def test_the_admin_is_read_only_and_scoped(client_as, stats_plan, regulator,
                                           outsider_regulator):
    report = _report(stats_plan, regulator)
    gd = client_as(regulator).get("/admin/reports/report/")
    assert gd.status_code == 200 and stats_plan.title in gd.content.decode()
    hn = client_as(outsider_regulator).get("/admin/reports/report/")
    assert hn.status_code == 200 and f"/admin/reports/report/{report.pk}/" not in (
        hn.content.decode())
    assert client_as(regulator).get("/admin/reports/report/add/").status_code == 403
