"""``report_request`` / ``report_generate`` and the Celery task: files, status, failures, retries.

The PDF is checked as a reader sees it: its text is extracted with ``pdftotext`` (poppler-utils).
"""

from __future__ import annotations

import io
import shutil
import subprocess

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.db import OperationalError

from reports import services
from reports.models import Report, ReportStatus
from reports.services import report_generate, report_request
from reports.statistics import OFFICIAL_TITLE
from reports.tasks import report_generate_task

from .conftest import plan_make


def _request(user, plan, django_capture_on_commit_callbacks) -> Report:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report = report_request(plan=plan, user=user)
    assert len(callbacks) == 1  # the task is sent after the commit, not before
    report.refresh_from_db()
    return report


def _pdf_text(path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                         check=True, text=True)
    return out.stdout


@pytest.mark.django_db
def test_the_task_runs_end_to_end_and_stores_both_files(
        stats_plan, regulator, django_capture_on_commit_callbacks):
    report = _request(regulator, stats_plan, django_capture_on_commit_callbacks)
    assert report.status == ReportStatus.DONE, report.error
    assert report.authority_id == regulator.authority_id
    assert report.started_at <= report.finished_at
    assert report.pdf.name.endswith(".pdf") and report.xlsx.name.endswith(".xlsx")
    with report.pdf.open("rb") as f:
        assert f.read(5) == b"%PDF-"


@pytest.mark.django_db
def test_the_pdf_reads_in_chinese_with_the_regulators_numbers(
        stats_plan, regulator, django_capture_on_commit_callbacks):
    report = _request(regulator, stats_plan, django_capture_on_commit_callbacks)
    text = _pdf_text(report.pdf.path)
    assert OFFICIAL_TITLE in text
    assert stats_plan.title in text
    assert "广东省市场监督管理局" in text
    food = next(line for line in text.splitlines() if "食品检验" in line)
    assert food.split()[-8:] == ["3", "3", "3", "2", "2", "1", "0", "0"]
    assert "机械设备" not in text  # a Hunan-only field is outside Guangdong's table
    fonts = subprocess.run(["pdffonts", str(report.pdf.path)], capture_output=True, text=True)
    assert "CJK" in fonts.stdout  # the Noto CJK font is embedded


@pytest.mark.django_db
def test_the_workbook_reads_back_with_numbers(
        stats_plan, admin_user, django_capture_on_commit_callbacks):
    admin_user.authority = stats_plan.authority  # 市场监管总局: a national admin sees it all
    admin_user.save()
    report = _request(admin_user, stats_plan, django_capture_on_commit_callbacks)
    with report.xlsx.open("rb") as f:
        ws = openpyxl.load_workbook(io.BytesIO(f.read())).active
    assert ws["A1"].value == OFFICIAL_TITLE
    assert ws.freeze_panes == "C7"
    assert ws["A6"].font.bold
    rows = {r[1]: list(r[2:]) for r in ws.iter_rows(min_row=7, values_only=True)}
    assert rows["食品检验"] == [3, 4, 4, 3, 2, 1, 0, 0]
    assert rows["机械设备"] == [1, 1, 1, 0, 0, 0, 0, 1]
    total = list(ws.iter_rows(min_row=ws.max_row, values_only=True))[0]
    assert list(total[2:]) == [7, 8, 7, 4, 2, 2, 1, 2]
    assert all(isinstance(v, int) for v in total[2:])
    assert ws.cell(row=ws.max_row, column=3).font.bold


@pytest.mark.django_db
def test_a_done_report_is_not_generated_again(stats_plan, regulator, monkeypatch,
                                              django_capture_on_commit_callbacks):
    report = _request(regulator, stats_plan, django_capture_on_commit_callbacks)
    monkeypatch.setattr(services, "statistics_pdf", _boom)
    again = report_generate(report_id=report.pk)
    assert again.status == ReportStatus.DONE and again.pdf.name == report.pdf.name


def _boom(table):
    raise RuntimeError("font missing")


@pytest.mark.django_db
def test_a_rendering_error_is_recorded_as_failed(stats_plan, regulator, monkeypatch):
    monkeypatch.setattr(services, "statistics_pdf", _boom)
    report = Report.objects.create(kind="inspection_statistics", plan=stats_plan,
                                   authority=regulator.authority, requested_by=regulator)
    with pytest.raises(RuntimeError):
        report_generate_task.delay(report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert report.error == "RuntimeError: font missing"
    assert not report.pdf and report.finished_at is not None


@pytest.mark.django_db
def test_the_request_survives_a_failed_generation(stats_plan, regulator, monkeypatch,
                                                  django_capture_on_commit_callbacks):
    monkeypatch.setattr(services, "statistics_pdf", _boom)
    report = _request(regulator, stats_plan, django_capture_on_commit_callbacks)
    assert report.status == ReportStatus.FAILED


def test_the_task_retries_database_errors_with_backoff():
    task = report_generate_task
    assert task.autoretry_for == (OperationalError,)
    assert task.retry_backoff is True and task.max_retries == 3 and task.acks_late is True
    assert task.name == "reports.tasks.report_generate_task"  # routed to the "reports" queue


@pytest.mark.django_db
def test_a_database_error_is_retried_then_succeeds(stats_plan, regulator, monkeypatch):
    calls = []
    real = services.inspection_statistics

    def flaky(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection")
        return real(**kwargs)

    monkeypatch.setattr(services, "inspection_statistics", flaky)
    report = Report.objects.create(kind="inspection_statistics", plan=stats_plan,
                                   authority=regulator.authority, requested_by=regulator)
    result = report_generate_task.apply(args=[report.pk], throw=False)  # eager: retries inline
    report.refresh_from_db()
    assert result.get() == ReportStatus.DONE
    assert len(calls) == 2 and report.status == ReportStatus.DONE and report.error == ""


@pytest.mark.django_db
def test_only_regulators_with_a_visible_plan_may_request(
        stats_plan, ref, institution_user, inspector_user, outsider_regulator, regulator,
        admin_user):
    for user in (institution_user, inspector_user, admin_user):  # admin: no authority
        with pytest.raises(PermissionDenied):
            report_request(plan=stats_plan, user=user)
    gd_plan = plan_make(title="广东省专项抽查", region_code="440000")
    with pytest.raises(PermissionDenied):
        report_request(plan=gd_plan, user=outsider_regulator)
    regulator.authority = None
    with pytest.raises(PermissionDenied):
        report_request(plan=stats_plan, user=regulator)
    assert not Report.objects.exists()
