"""Every read route × every role, against the other province's records: nothing is shown.

The routes come from the URL resolver and the admin registry, as in the write matrix; a route
that is in none of ``PUBLIC``, ``LISTS`` and ``DETAILS`` (nor an admin view of a registered
model) fails the test. For each attacker (the organizer, approver, inspector and institution
user of one province, and the public):

* every list page and every admin change list (plain, searched for a victim's USCC, as the
  raw-id popup, and through each filter's choices) must not show a marker of the other province:
  its institutions' USCCs, certificate and report numbers, plan and campaign titles, inspectors'
  card numbers, account names, import file names;
* every detail page and admin page of a victim (change, delete confirmation, history, a past
  version) answers 302 (to the login), 403, 404 or 405, and shows no marker;
* the admin's autocomplete, for every autocomplete field, searched with the victim's markers,
  returns none of them; the registry export holds none of them;
* inspectors and institution users are also tried against their own province's records that are
  not theirs (another team's task, another institution's credit page).

Positive controls keep the oracle honest: the platform administrator opens every detail and
admin page of both provinces (200), and each province's organizer sees his own markers in the
change lists. Issue "Security to the level of a government system": "0 reads … outside scope;
a new route without a matrix entry fails the test".
"""

from __future__ import annotations

import json
import re

import pytest
from django.contrib import admin
from django.db import connection
from django.urls import reverse

from accounts.models import User
from inspections.models import Inspector, RectificationOrder, SpotCheckPlan, TaskAssignment
from institutions.models import Institution, RegistryImport
from qualifications.models import Certificate, TestReportNumber

from .test_write_matrix import ADMIN_SITE, ADMIN_VIEWS, Clients, attackers, url_names, victims_side

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the world needs PostgreSQL"),
]

#: routes anyone may read: the public pages and the public API (checked below for unpublished
#: records), the login pages and the language switch
PUBLIC = {
    "home", "health", "set_language", "login", "logout", "otp_verify", "otp_setup", "api-schema",
    "api-docs", "public-certificate", "public-report-number", "api-draw-detail", "api-draw-pool",
    "api-draw-inspector-pool", "api-verifier-file", "api-plan-results", "api-ledger",
    "api-ledger-head", "api-ledger-key", "qualifications:certificate_check",
    "qualifications:report_number_check", "qualifications:institution_lookup",
    "inspections:public_plan_list", "inspections:public_plan_detail",
    "inspections:public_draw_verify",
}
#: pages without an argument that list records of the user's scope
LISTS = {
    "inspections:portal_home", "inspections:my_tasks", "inspections:review_queue",
    "inspections:campaign_tracking_list", "inspections:rectification_list",
    "inspections:plan_manage_list", "reports:report_list", "reports:report_request",
    "inbox", "inbox_read_all",
}
#: pages of one record: url name → (the world's objects, extra URL arguments)
DETAILS = {
    "inspections:task_result": ("task", ()),
    "inspections:replacement_request": ("task_free", ()),
    "inspections:campaign_tracking": ("campaign", ()),
    "inspections:self_inspection_edit": ("campaign", ()),
    "inspections:pledge_sign": ("campaign", ()),
    "inspections:plan_manage_detail": ("plan", ()),
    "inspections:plan_publish": ("plan", ()),
    "inspections:draw_commit": ("plan", ()),
    "inspections:results_publish": ("plan", ()),
    "inspections:draw_run": ("draw", ()),
    "inspections:rectification_respond": ("order", ()),
    "inspections:rectification_accept": ("order", ()),
    "inspections:replacement_approve": ("request", ()),
    "inspections:replacement_reject": ("request", ()),
    "credit:institution_credit": ("institution", ()),
    "notification_open": ("notification", ()),
    "reports:report_download": ("report", ("xlsx",)),
}
#: models whose rows are public reference data: any staff member opens them (read-only unless
#: in his jurisdiction); their pages are still searched for the other province's markers
PUBLIC_MODELS = {"inspections.authority", "institutions.region", "institutions.testingfield",
                 "inspections.checkitem"}
#: admin views of one row besides change, delete and history
OBJECT_VIEWS = {"otp_totp.totpdevice": ("config", "qrcode")}
REFUSED = {302, 403, 404, 405}
TAGS = {"44": "gd", "43": "hn"}


def open_api(name: str) -> bool:
    """The open-data API ``/api/v1/`` (either language's prefix): public by design, and tried
    below for unpublished records."""
    return name.split(":")[-1].startswith("api-v1")


def markers(side) -> set[str]:
    """Strings that identify the records of ``side``'s province and appear nowhere else."""
    prefix = side.code
    authority = side.objects["authority"][0]
    found = set(Institution.objects.filter(region__code__startswith=prefix)
                .values_list("uscc", flat=True))
    found |= set(Certificate.objects.filter(institution__region__code__startswith=prefix)
                 .values_list("number", flat=True))
    found |= set(TestReportNumber.objects.filter(institution__region__code__startswith=prefix)
                 .values_list("number", flat=True))
    found |= set(SpotCheckPlan.objects.filter(authority=authority).values_list("title", flat=True))
    found |= {c.title for c in side.objects["campaign"]}
    found |= set(Inspector.objects.filter(authority=authority)
                 .values_list("card_number", flat=True))
    found |= set(User.objects.filter(username__startswith=TAGS[prefix] + "_")
                 .values_list("username", flat=True))
    found |= set(RegistryImport.objects.filter(uploaded_by__authority=authority)
                 .values_list("file_name", flat=True))
    return found


def text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    body = body.decode("utf-8", "replace")
    if response.get("Content-Type", "").startswith("application/json"):
        body = json.dumps(json.loads(body), ensure_ascii=False)
    return body


class Reads(Clients):
    """Sends the GETs and collects every page that shows a record outside scope."""

    def __init__(self):
        super().__init__()
        self.count = 0
        self.leaks: list[str] = []

    def get(self, user, label: str, url: str, hidden: set[str], *, refused=False, data=None,
            method="get"):
        response = getattr(self.client(user), method)(url, data or {})
        self.count += 1
        who = user.username if user is not None else "anonymous"
        body = text(response)
        shown = sorted(m for m in hidden if m in body)
        if shown:
            self.leaks.append(f"{who} {label} {url}: shows {shown[:3]}")
        elif refused and response.status_code not in REFUSED:
            self.leaks.append(f"{who} {label} {url}: answered {response.status_code}")
        return response


def detail_url(name: str, target, extra=()) -> str:
    return reverse(name, args=[target.pk, *extra])


def test_every_route_has_a_read_matrix_entry():
    admin_models = {f"admin:{m._meta.app_label}_{m._meta.model_name}"
                    for m in admin.site._registry}
    missing = []
    for name in url_names():
        if name in PUBLIC or open_api(name) or name in LISTS or name in DETAILS or name in ADMIN_SITE:
            continue
        base = re.sub(rf"_({'|'.join(ADMIN_VIEWS)})$", "", name)
        if name.startswith("admin:") and base in admin_models:
            continue
        missing.append(name)
    assert not missing, f"routes without a read matrix entry: {missing}"


def test_no_read_route_shows_records_outside_scope(world):
    reads = Reads()
    hidden_of = {code: markers(side) for code, side in world.sides.items()}
    for user, prefix, _role in attackers(world):
        for side in victims_side(world, prefix):
            hidden = hidden_of[side.code]
            for name in sorted(LISTS):
                reads.get(user, name, reverse(name), hidden)
            for name, (key, extra) in DETAILS.items():
                for target in side.objects[key]:
                    reads.get(user, name, detail_url(name, target, extra), hidden, refused=True)
            _admin_reads(reads, user, side, hidden)
    for user, prefix, role in attackers(world):
        if role in ("inspector", "institution"):
            _own_province_others(reads, world, user, prefix, role)
    assert reads.count > 800, reads.count
    print(f"read matrix: {reads.count} GETs, {len(reads.leaks)} leaks")
    assert not reads.leaks, (f"{len(reads.leaks)} of {reads.count} reads showed records outside "
                             "scope or answered wrongly:\n" + "\n".join(reads.leaks))


def _own_province_others(reads, world, user, prefix, role) -> None:
    """An inspector's or institution user's own province, records not his: refused."""
    side = world.side(prefix)
    if role == "inspector":
        inspector = Inspector.objects.get(user=user)
        mine = set(TaskAssignment.objects.filter(inspector=inspector, active=True)
                   .values_list("task_id", flat=True))
        others = [t for t in side.objects["task"] + side.objects["task_free"] if t.pk not in mine]
        assert others
        for task in others:
            reads.get(user, "another team's task", detail_url("inspections:task_result", task),
                      {task.institution.uscc}, refused=True)
    else:
        others = Institution.objects.filter(region__code__startswith=prefix).exclude(
            pk=user.institution_id)[:3]
        for institution in others:
            reads.get(user, "another institution's credit",
                      detail_url("credit:institution_credit", institution),
                      {institution.uscc}, refused=True)
        for order in RectificationOrder.objects.exclude(
                result__task__institution=user.institution_id):
            reads.get(user, "another institution's order",
                      detail_url("inspections:rectification_respond", order),
                      {order.result.task.institution.uscc}, refused=True)


def _victim_rows(model, side):
    mine = [o for objs in side.objects.values() for o in objs if type(o) is model]
    return mine[:2]


def _admin_reads(reads, user, side, hidden) -> None:
    some_uscc = side.objects["institution"][0].uscc
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        changelist = reverse("admin:%s_%s_changelist" % info)
        label = model._meta.label_lower
        reads.get(user, f"{label} changelist", changelist, hidden)
        if model_admin.search_fields:  # the search box repeats the term
            reads.get(user, f"{label} search", changelist, hidden - {some_uscc},
                      data={"q": some_uscc})
        reads.get(user, f"{label} raw-id popup", changelist, hidden,
                  data={"_to_field": "id", "_popup": "1"})
        for field in model_admin.get_autocomplete_fields(None):
            for term in (some_uscc, "C0", "广东", "湖南", TAGS[side.code]):
                reads.get(user, f"{label}.{field} autocomplete", reverse("admin:autocomplete"),
                          hidden, data={"app_label": info[0], "model_name": info[1],
                                        "field_name": field, "term": term})
        for obj in _victim_rows(model, side):
            for view in ("change", "delete", "history", *OBJECT_VIEWS.get(label, ())):
                reads.get(user, f"{label} {view}",
                          reverse(f"admin:%s_%s_{view}" % info, args=[obj.pk]), hidden,
                          refused=label not in PUBLIC_MODELS)
            if hasattr(model, "history") and hasattr(model_admin, "history_form_view"):
                version = model.history.filter(**{model._meta.pk.attname: obj.pk}).first()
                if version is not None:
                    reads.get(user, f"{label} past version", reverse(
                        "admin:%s_%s_simple_history" % info, args=[obj.pk, version.history_id]),
                        hidden, refused=label not in PUBLIC_MODELS)
    reads.get(user, "registry export", reverse("admin:institutions_institution_export"), hidden,
              method="post", data={"format": "1", "resource": "0",
                                   "institutionresource_uscc": "on",
                                   "institutionresource_name": "on"})


#: who opens a detail page in the positive control, when not the platform administrator
OWNERS = {"inspections:results_publish": "organizer",
          "inspections:rectification_accept": "organizer",
          "inspections:self_inspection_edit": "institution", "inspections:pledge_sign": "institution",
          "inspections:rectification_respond": "institution"}


def test_the_oracle_sees_what_is_in_scope(world):
    """The administrator (or the record's own organizer or institution) opens every detail and
    admin page of both provinces; each organizer finds his own markers in the change lists (so
    a marker would be seen if it leaked)."""
    reads = Reads()
    platform = world.users["admin"]
    failures = []
    for side in world.sides.values():
        tag = TAGS[side.code]
        for name, (key, extra) in DETAILS.items():
            owner = world.users[f"{tag}_{OWNERS[name]}"] if name in OWNERS else platform
            for target in side.objects[key]:
                response = reads.get(owner, name, detail_url(name, target, extra), set())
                if response.status_code not in (200, 405):
                    failures.append(f"{owner} {name} {target.pk}: {response.status_code}")
        for model in admin.site._registry:
            info = (model._meta.app_label, model._meta.model_name)
            for obj in _victim_rows(model, side):
                for view in ("change", "history"):
                    url = reverse(f"admin:%s_%s_{view}" % info, args=[obj.pk])
                    status = reads.get(platform, view, url, set()).status_code
                    if status != 200:
                        failures.append(f"admin {url}: {status}")
        organizer = world.users[f"{tag}_organizer"]
        own = markers(side)
        for path in ("institutions_institution", "inspections_spotcheckplan",
                     "inspections_inspector", "qualifications_certificate"):
            body = text(reads.client(organizer).get(reverse(f"admin:{path}_changelist")))
            if not any(m in body for m in own):
                failures.append(f"{organizer.username} sees none of his own {path}")
    assert not failures, failures


def test_public_pages_hide_what_is_not_published(world):
    """Draft plans are 404 on every public page and API, for everyone (their own organizer
    too: the public page is the public's view)."""
    reads = Reads()
    for side in world.sides.values():
        draft = side.objects["plan"][1]
        assert draft.status == "draft"
        for user in (None, world.users["admin"], world.users[f"{TAGS[side.code]}_organizer"]):
            for name in ("inspections:public_plan_detail", "api-plan-results"):
                response = reads.get(user, name, detail_url(name, draft), {draft.title})
                assert response.status_code == 404, (name, response.status_code)
            body = text(reads.get(user, "public plans", reverse("inspections:public_plan_list"),
                                  {draft.title}))
            assert side.objects["plan"][0].title in body
    assert not reads.leaks, reads.leaks

