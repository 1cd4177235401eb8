"""Public pages: certificate check, test-report-number check, institution lookup (seed 000 §16).

No login; rate-limited per IP (:func:`qualifications.throttling.public_ratelimit`, 429 past the
limit). They show public data only: institution name, USCC, region, fields, certificates and
their public status; never contacts.
"""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_safe

from common import clock

from .forms import CertificateCheckForm, InstitutionLookupForm, ReportNumberCheckForm
from .search import CountedPaginator
from .selectors import (
    certificate_public_get,
    institutions_public_search,
    report_number_public_get,
)
from .throttling import public_ratelimit

LOOKUP_PAGE_SIZE = 20


def _status_rows(certificates, today) -> list[dict]:
    return [{"certificate": c, "status": c.public_status(today),
             "status_label": c.public_status_label(today)} for c in certificates]


@require_safe
@public_ratelimit
def certificate_check(request):
    """``?number=`` → the result card; unknown → a message; malformed → the field's error.

    Context: ``form``, ``searched`` (a valid number was submitted), ``result`` (``{certificate,
    status, status_label}`` or ``None`` when unknown).
    """
    form = CertificateCheckForm(request.GET or None)
    context = {"form": form, "searched": False, "result": None}
    if form.is_valid():
        context["searched"] = True
        certificate = certificate_public_get(number=form.cleaned_data["number"])
        if certificate is not None:
            context["result"] = _status_rows([certificate], clock.today())[0]
    return render(request, "qualifications/certificate_check.html", context)


@require_safe
@public_ratelimit
def report_number_check(request):
    """``?number=`` → the report's institution and certificate status, or "not registered".

    Context: ``form``, ``searched``, ``report`` (``TestReportNumber`` or ``None``),
    ``certificate_status`` (``{certificate, status, status_label}`` or ``None``).
    """
    form = ReportNumberCheckForm(request.GET or None)
    context = {"form": form, "searched": False, "report": None, "certificate_status": None}
    if form.is_valid():
        context["searched"] = True
        report = report_number_public_get(number=form.cleaned_data["number"].strip())
        context["report"] = report
        if report is not None and report.certificate is not None:
            context["certificate_status"] = _status_rows([report.certificate],
                                                         clock.today())[0]
    return render(request, "qualifications/report_number_check.html", context)


@require_safe
@public_ratelimit
def institution_lookup(request):
    """``?q=`` (words of the name, or the USCC) ``&page=`` → institutions, 20 a page, ranked
    (:mod:`qualifications.search`).

    Context: ``form``, ``page_obj`` (``None`` until a valid search), ``results`` (per institution
    ``{institution, certificates: [{certificate, status, status_label}]}``), ``query_string``
    (the search without ``page``, for the pager links), ``more`` (more matches than are shown:
    the words are too common to rank).
    """
    form = InstitutionLookupForm(request.GET or None)
    context = {"form": form, "page_obj": None, "results": [], "query_string": "",
               "more": False}
    if form.is_valid():
        found = institutions_public_search(query=form.cleaned_data["q"])
        paginator = CountedPaginator(found.queryset, LOOKUP_PAGE_SIZE, count=found.count)
        context["more"] = found.more
        page_obj = paginator.get_page(request.GET.get("page"))
        today = clock.today()
        params = request.GET.copy()
        params.pop("page", None)
        context.update(
            page_obj=page_obj,
            query_string=params.urlencode(),
            results=[{"institution": inst,
                      "certificates": _status_rows(inst.certificates.all(), today)}
                     for inst in page_obj],
        )
    return render(request, "qualifications/institution_lookup.html", context)
