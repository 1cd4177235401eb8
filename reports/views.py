"""Staff pages of the reports app: the report list, requesting a report, downloading its files.

Regulators and platform admins only (anyone else: 403; anonymous: the login page). Every report
query goes through ``Report.objects.for_user``: a report outside the user's scope is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import STAFF, audience_required, scoped_get

from .forms import ReportRequestForm
from .models import Report, ReportStatus
from .services import report_request
from .statistics import OFFICIAL_TITLE

FORMATS = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
STATUS_BADGE = {ReportStatus.DONE: "ok", ReportStatus.FAILED: "bad",
                ReportStatus.PENDING: "warn", ReportStatus.RUNNING: "warn"}
PAGE_SIZE = 25


#: regulators and platform admins (the rule of ``reports.services.report_viewer_check``)
regulator_required = audience_required(*STAFF)


def _list_page(request, form: ReportRequestForm, *, status: int = 200):
    reports = (Report.objects.for_user(request.user)
               .select_related("plan", "authority", "requested_by"))
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    for report in page:
        report.badge = STATUS_BADGE.get(report.status, "")
    busy = any(r.status in (ReportStatus.PENDING, ReportStatus.RUNNING) for r in page)
    can_request = request.user.authority_id is not None
    return render(request, "reports/report_list.html",
                  {"page": page, "form": form, "busy": busy, "can_request": can_request},
                  status=status)


@require_GET
@regulator_required
def report_list(request):
    """The user's reports (newest first, 25 a page) and the form to request a new one."""
    return _list_page(request, ReportRequestForm(user=request.user))


@require_POST
@regulator_required
def report_request_view(request):
    """Request the statistics table of the posted plan; back to the list.

    400 with the form's errors for a plan the user cannot see; 403 without an authority.
    """
    form = ReportRequestForm(request.POST, user=request.user)
    if not form.is_valid():
        return _list_page(request, form, status=400)
    report = report_request(plan=form.cleaned_data["plan"], user=request.user)
    report.refresh_from_db(fields=["status"])  # eager mode: already generated
    if report.status == ReportStatus.FAILED:
        messages.error(request, _("The report could not be generated."))
    else:
        messages.success(request, _("The report has been requested; it is generated in the "
                                    "background."))
    return redirect("reports:report_list")


def report_download_name(report: Report, fmt: str) -> str:
    """The file name offered on download: plan year, official title, authority, finish date,
    e.g. "2023-检验检测机构监督检查信息统计表-广东省市场监督管理局-20231124.pdf"."""
    day = timezone.localtime(report.finished_at or report.created_at).strftime("%Y%m%d")
    name = f"{report.plan.year}-{OFFICIAL_TITLE}-{report.authority.name}-{day}.{fmt}"
    return name.replace("/", "_").replace("\\", "_")


@require_GET
@regulator_required
def report_download(request, pk: int, fmt: str):
    """Send the PDF or workbook of a done report in the user's scope; 404 otherwise."""
    if fmt not in FORMATS:
        raise Http404
    report = scoped_get(request.user, Report.objects.select_related("plan", "authority"),
                        pk=pk, status=ReportStatus.DONE)
    file_field = report.pdf if fmt == "pdf" else report.xlsx
    if not file_field:
        raise Http404
    return FileResponse(file_field.open("rb"), as_attachment=True,
                        filename=report_download_name(report, fmt),
                        content_type=FORMATS[fmt])
