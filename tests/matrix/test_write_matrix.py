"""Every write route × every role, against the other province's records: nothing is written.

The routes come from the URL resolver and the admin registry; a route that is neither in
``WRITE_ROUTES`` nor in ``READ_ONLY`` (nor an admin view of a registered model) fails the test,
so a new route cannot slip past. For each attacker (organizer, approver, inspector and
institution user of one province; the public) and each route, the request targets the other
province's records (or, for organizer-only acts, records the attacker may see but not write),
with a payload that a platform administrator's identical request proves valid where the admin
may make it. The oracle is the database itself: a fingerprint of every row of every domain
table, and of their history, taken before and after each request, must not change — except a
registry import record of the attacker's own. Issue "The public record binds its authors":
"a regulator of another region gets 403/404 for every write route … 0 successful writes
outside scope".
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection, models, transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from institutions.codes import certificate_number_make, uscc_make

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row fingerprints need PostgreSQL"),
]

DOMAIN_APPS = ("accounts", "institutions", "qualifications", "inspections", "credit", "reports",
               "admin")
ROLES = ("organizer", "approver", "inspector", "institution")
SOURCES = {"name_0": "中国福利彩票3D第2026200期开奖号码", "known_at_0": "2099-01-01T20:30"}
RESULT = {"category": "no_problem", "follow_up": "none", "findings": "", "checked_on": "2026-04-01",
          "submit": "1"}


def _approved_ids(plan):
    return {"result": [str(i) for i in plan.tasks.filter(results__state="approved")
                       .values_list("results__pk", flat=True)]}


#: url name → (the world's objects it acts on, [payloads], roles it is not about)
WRITE_ROUTES: dict[str, tuple[str | None, list, tuple[str, ...]]] = {
    "inspections:task_result": ("task", [
        {"action": "record", **RESULT}, {"action": "update", **RESULT},
        {"action": "approve", "review_note": "同意"}, {"action": "return", "review_note": "退回"},
        {"action": "correct", "correction_reason": "复核更正", **RESULT,
         "category": "no_activity"}], ()),
    "inspections:rectification_respond": ("order", [{"response": "已整改完毕"}], ()),
    "inspections:rectification_accept": ("order", [{}], ()),
    "inspections:plan_publish": ("plan", [{}], ()),
    "inspections:draw_commit": ("plan", [SOURCES], ()),
    "inspections:results_publish": ("plan", [_approved_ids], ()),
    "inspections:draw_run": ("draw", [{"value_0": "1 2 3"}], ()),
    "inspections:replacement_request": ("task_free", [
        {"reason": "closed", "evidence": "停业公告第9号"}], ()),
    "inspections:replacement_approve": ("request", [SOURCES], ()),
    "inspections:replacement_reject": ("request", [{"note": "理由不充分"}], ()),
    # A provincial plan's campaign reaches the institutions of its province only (seed 002 §四).
    "inspections:self_inspection_edit": ("campaign", [
        {"answer_0": "yes", "remark_0": "", "submit": "1"}], ()),
    "inspections:pledge_sign": ("campaign", [
        {"signatory_name": "张三", "signatory_title": "法定代表人", "confirm": "on"}], ()),
    "notification_open": ("notification", [{}], ()),
    "inbox_read_all": (None, [{}], ()),
    "reports:report_request": (None, [lambda side: {"plan": str(side.objects["plan"][0].pk)}],
                               ()),
}
#: routes that write nothing of the domain (pages, the public API, language and login; the
#: second-factor pages write only the user's own device)
READ_ONLY = {
    "home", "health", "set_language", "login", "logout", "otp_verify", "otp_setup", "api-schema", "api-docs", "public-certificate",
    "public-report-number", "api-draw-detail", "api-draw-pool", "api-draw-inspector-pool",
    "api-verifier-file", "api-plan-results", "api-ledger", "api-ledger-head", "api-ledger-key",
    "qualifications:certificate_check", "qualifications:report_number_check",
    "qualifications:institution_lookup", "inspections:portal_home", "inspections:my_tasks",
    "inspections:review_queue", "inspections:campaign_tracking_list",
    "inspections:campaign_tracking", "inspections:rectification_list",
    "inspections:plan_manage_list", "inspections:plan_manage_detail",
    "inspections:public_plan_list", "inspections:public_plan_detail",
    "inspections:public_draw_verify", "credit:institution_credit", "reports:report_list",
    "reports:report_download", "inbox",
}
#: admin URL names that are not a model's views
ADMIN_SITE = {"admin:index", "admin:login", "admin:logout", "admin:password_change",
              "admin:password_change_done", "admin:autocomplete", "admin:jsi18n",
              "admin:view_on_site", "admin:app_list",
              "admin:auth_user_password_change"}  # tried in _admin_routes, on accounts.user
ADMIN_VIEWS = ("changelist", "add", "change", "delete", "history", "simple_history", "export",
               "import_registry", "config", "qrcode")


def url_names() -> list[str]:
    def walk(patterns, ns=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                inner = ":".join(filter(None, [ns, p.namespace])) or None
                yield from walk(p.url_patterns, inner)
            elif p.name:
                yield f"{ns}:{p.name}" if ns else p.name
    return sorted(set(walk(get_resolver().url_patterns)))


def test_every_route_has_a_matrix_entry():
    admin_models = {f"admin:{m._meta.app_label}_{m._meta.model_name}"
                    for m in admin.site._registry}
    missing = []
    for name in url_names():
        if name in WRITE_ROUTES or name in READ_ONLY or name in ADMIN_SITE \
                or name.split(":")[-1].startswith("api-v1"):  # the open-data API: GET only
            continue
        base = re.sub(rf"_({'|'.join(ADMIN_VIEWS)})$", "", name)
        if name.startswith("admin:") and base in admin_models:
            continue
        missing.append(name)
    assert not missing, f"routes without a matrix entry: {missing}"


def fingerprint() -> dict[tuple[str, str], str]:
    """``{(table, pk): md5 of the row}`` of every table of the domain apps (one query)."""
    parts = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label not in DOMAIN_APPS or model._meta.proxy:
            continue
        table = connection.ops.quote_name(model._meta.db_table)
        pk = connection.ops.quote_name(model._meta.pk.column)
        parts.append(f"SELECT '{model._meta.db_table}', t.{pk}::text, md5(t::text) "
                     f"FROM {table} t")
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        return {(table, pk): digest for table, pk, digest in cursor.fetchall()}


def changes(before: dict, after: dict) -> list[tuple[str, str]]:
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


def allowed(change: tuple[str, str], user) -> bool:
    """A change that is the attacker's own bookkeeping: his registry import record (and its
    problems) when the import he posted was refused row by row."""
    table, pk = change
    if table == "accounts_notification" and user is not None:  # his own inbox, read
        from accounts.models import Notification
        return Notification.objects.filter(pk=pk, recipient=user).exists()
    if table == "institutions_registryimport" and user is not None:
        from institutions.models import RegistryImport
        return RegistryImport.objects.filter(pk=pk, uploaded_by=user).exists() or \
            not RegistryImport.objects.filter(pk=pk).exists()
    return False


class Clients:
    """One test client per user (``None``: the public), logged in once."""

    def __init__(self):
        self.clients: dict = {}

    def client(self, user) -> Client:
        key = user.pk if user is not None else None
        if key not in self.clients:
            c = Client()
            if user is not None:
                c.force_login(user)
            self.clients[key] = c
        return self.clients[key]


class Attempts(Clients):
    """Sends the requests and collects every write outside scope."""

    def __init__(self, world):
        super().__init__()
        self.world = world
        self.count = 0
        self.wrong: list[str] = []

    def post(self, user, label: str, url: str, data, *, expect=None) -> None:
        client = self.client(user)  # logged in (last_login written) before the fingerprint
        before = fingerprint()
        response = client.post(url, data)
        after = fingerprint()
        self.count += 1
        bad = [c for c in changes(before, after) if not allowed(c, user)]
        who = user.username if user is not None else "anonymous"
        if bad:
            self.wrong.append(f"{who} {label} {url}: wrote {bad[:4]}")
        elif expect and response.status_code not in expect:
            self.wrong.append(f"{who} {label} {url}: answered {response.status_code}, "
                              f"expected one of {sorted(expect)}")


def attackers(world):
    """``(user or None, the province he is from or None, role)`` of every attacker."""
    for tag, prefix in (("gd", "44"), ("hn", "43")):
        for role in ROLES:
            yield world.users[f"{tag}_{role}"], prefix, role
    yield None, None, "anonymous"


def victims_side(world, prefix):
    """The other province's records (both for the public)."""
    if prefix is None:
        return list(world.sides.values())
    return [s for p, s in world.sides.items() if p != prefix]


def test_no_write_route_writes_outside_scope(world):
    attempts = Attempts(world)
    for user, prefix, role in attackers(world):
        for side in victims_side(world, prefix):
            _site_routes(attempts, user, role, side)
            _admin_routes(attempts, user, role, side)
    assert attempts.count > 500, attempts.count
    print(f"write matrix: {attempts.count} POSTs, {len(attempts.wrong)} outside scope")
    assert not attempts.wrong, (f"{len(attempts.wrong)} of {attempts.count} requests wrote "
                                "outside scope or answered wrongly:\n" + "\n".join(attempts.wrong))


def _site_routes(attempts, user, role, side) -> None:
    regulator = role in ("organizer", "approver")
    for name, (key, payloads, skip) in WRITE_ROUTES.items():
        if role in skip:
            continue
        targets = side.objects[key] if key else [None]
        for target, payload in itertools.product(targets, payloads):
            if callable(payload):  # built from the record (or, without one, the province)
                data = payload(target if target is not None else side)
            else:
                data = payload
            url = reverse(name, args=[target.pk]) if target is not None else reverse(name)
            expect = {403, 404} if (regulator and target is not None) else None
            attempts.post(user, name, url, data, expect=expect)


# --- the admin ------------------------------------------------------------------------------

def _value(value):
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [str(getattr(v, "pk", v)) for v in value]
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if value is None:
        return ""
    return str(getattr(value, "pk", value))


_serial = itertools.count(90_000_000)


def admin_payload(model_admin, obj, *, fresh: bool) -> dict:
    """The POST data of ``obj``'s admin form (as the platform administrator's form shows it),
    every inline empty; ``fresh``: unique fields get new valid values (for an add), and a text
    field is changed so that a save is visible."""
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = _admin_user()
    form_class = model_admin.get_form(request, obj)
    form = form_class(instance=obj)
    data = {}
    for name in form.fields:
        value = _value(form[name].value())
        if value is not None:
            data[name] = value
    model = type(obj)
    if fresh:
        for f in model._meta.fields:
            if f.unique and not f.primary_key and f.name in data:
                data[f.name] = "" if f.is_relation else _fresh(model, f.name, obj)
        if model._meta.label_lower == "inspections.recusal":  # unique per kind
            data["kind"] = "same_county" if obj.kind != "same_county" else "declared_tie"
    for f in model._meta.fields:
        if isinstance(f, models.CharField | models.TextField) and not f.choices \
                and not f.unique and f.name in data and f.name not in ("pool", "body"):
            data[f.name] = (data[f.name] + "改")[: f.max_length or 10_000]
            break
    for inline in model_admin.get_inline_instances(request, obj):
        formset = inline.get_formset(request, obj)
        prefix = formset.get_default_prefix()
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0",
                     f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})
    return data


def _fresh(model, name, obj):
    n = next(_serial)
    if name == "uscc":
        return uscc_make(region_code=obj.region_id, serial=n)
    if name == "number" and model._meta.model_name == "certificate":
        return certificate_number_make(year=22, authority=obj.number[2:4], field=obj.number[4:6],
                                       industry=obj.number[6:8], serial=n % 9000 + 1000)
    return f"{getattr(obj, name)}-{n}"[:model._meta.get_field(name).max_length]


_admin = {}


def _admin_user():
    from accounts.models import User
    if "user" not in _admin:
        _admin["user"] = User.objects.get(username="platform_admin")
    return _admin["user"]


def _admin_accepts(url: str, data: dict, prover=None) -> bool:
    """Whether the platform administrator's identical request (or ``prover``'s, for records
    only their authority writes) saves; the save is undone."""
    client = Client()
    client.force_login(prover or _admin_user())
    with transaction.atomic():
        response = client.post(url, data)
        transaction.set_rollback(True)
    return response.status_code == 302


def _victim(model, user, side):
    """A record of ``model`` that ``user`` may not write, from ``side`` when it has one."""
    qs = model._default_manager.all()
    out = qs
    if hasattr(qs, "writable_by"):
        out = qs.exclude(pk__in=qs.writable_by(user).values("pk")) if user else qs
    mine = {type(o): o for objs in side.objects.values() for o in objs}
    if model in mine and out.filter(pk=mine[model].pk).exists():
        return mine[model]
    return out.order_by("pk").first()


#: models whose add payload is proven valid by the platform administrator's identical request
#: before the attacker's, or (``ORGANIZED``) by the victim province's organizer's
ADD_PROVEN = {"institutions.institution", "inspections.inspector", "inspections.recusal",
              "qualifications.certificate", "qualifications.testreportnumber",
              "inspections.spotcheckplan", "inspections.selfinspectioncampaign"}
ORGANIZED = {"inspections.spotcheckplan", "inspections.selfinspectioncampaign"}


def _admin_routes(attempts, user, role, side) -> None:
    tag = {"44": "gd", "43": "hn"}[side.code]
    organizer = attempts.world.users[f"{tag}_organizer"]
    for model, model_admin in admin.site._registry.items():
        obj = _victim(model, user, side)
        if obj is None:
            continue
        label = model._meta.label_lower
        info = (model._meta.app_label, model._meta.model_name)
        regulator = role in ("organizer", "approver")
        add = reverse("admin:%s_%s_add" % info)
        data = admin_payload(model_admin, obj, fresh=True)
        in_side = any(obj in objs for objs in side.objects.values())
        if label in ADD_PROVEN and (label not in ORGANIZED or in_side):
            prover = organizer if label in ORGANIZED else None
            assert _admin_accepts(add, data, prover), f"the add payload of {label} is not valid"
        attempts.post(user, f"{label} add", add, data)
        change = reverse("admin:%s_%s_change" % info, args=[obj.pk])
        attempts.post(user, f"{label} change", change,
                      admin_payload(model_admin, obj, fresh=False),
                      expect={403, 404} if regulator else None)
        attempts.post(user, f"{label} delete", reverse("admin:%s_%s_delete" % info,
                                                       args=[obj.pk]), {"post": "yes"},
                      expect={403, 404} if regulator else None)
        if hasattr(model_admin, "history_form_view") and hasattr(model, "history"):
            version = model.history.filter(**{model._meta.pk.attname: obj.pk}).first()
            if version is not None:
                attempts.post(user, f"{label} revert", reverse(
                    "admin:%s_%s_simple_history" % info, args=[obj.pk, version.history_id]),
                    admin_payload(model_admin, obj, fresh=False))
        if label == "accounts.user":
            attempts.post(user, "set a password", reverse("admin:auth_user_password_change",
                                                          args=[obj.pk]),
                          {"password1": "Xx-12345678!", "password2": "Xx-12345678!"})
        actions = model_admin.get_actions(_admin_request())
        for action in actions:
            attempts.post(user, f"{label} action {action}",
                          reverse("admin:%s_%s_changelist" % info),
                          {"action": action, "_selected_action": [str(obj.pk)], "post": "yes",
                           "index": "0"})


def _admin_request():
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = _admin_user()
    return request
