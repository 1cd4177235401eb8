"""The audit trail: who, when, what and from where, for every change and every login.

* Every domain model keeps history with django-simple-history through :func:`audited_history`:
  its historical rows carry the acting user, the client address and the source (``web``,
  ``worker``, ``command``, ``system``).
* Each historical row, bulk ones included, and each login, failed login, logout, lockout and
  wrong one-time code, is also one :class:`common.models.AuditEvent`: one append-only table,
  viewable by platform administrators in the admin, never editable (migration triggers).
* The actor comes from the request (:class:`AuditContextMiddleware`), from the ``user`` a
  service acts for (:func:`acts`) or, in a Celery task or a management command, from
  :func:`acting_as`.

Anchors: 等保 2.0 level 3 (security audit of all users, records kept at least six months: the
application never deletes them), OWASP ASVS 5.0 §16 (security logging).
"""

from __future__ import annotations

import contextlib
import contextvars
import ipaddress
import json
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history


@dataclass(frozen=True)
class Actor:
    """Who acts now: a user id (or none), the client address, and the source."""

    user_id: int | None = None
    ip: str | None = None
    source: str = "system"


_actor: contextvars.ContextVar[Actor] = contextvars.ContextVar(
    "audit_actor", default=Actor())  # noqa: B039 - Actor is frozen (immutable)


#: ``manage.py`` commands that serve requests: their changes come from the web, not the command
SERVING_COMMANDS = ("runserver", "testserver")


def command_source_set(argv: list[str]) -> None:
    """In a ``manage.py`` command (``demo_cycle``, ``import_registry``, ``createsuperuser``, a
    ``shell``…), make ``command`` the source of what the main thread writes; called once at
    start-up (``CommonConfig.ready``). A thread started later, the web server's, the Celery
    worker (``celery`` is not ``manage.py``) and the tests keep their own sources."""
    if len(argv) > 1 and argv[0].endswith("manage.py") and argv[1] not in SERVING_COMMANDS:
        _actor.set(Actor(None, None, "command"))


def client_ip(request) -> str | None:
    """The client address of ``request``: ``REMOTE_ADDR``, or behind ``TRUSTED_PROXY_COUNT``
    proxies the address the outermost of them saw (the ``TRUSTED_PROXY_COUNT``-th entry of
    ``X-Forwarded-For`` from the right; entries further left are the client's own claims and
    are ignored). Used by the audit log, django-axes and the rate limits, so that behind a proxy
    a lockout or a limit falls on the client, not on the proxy."""
    remote = request.META.get("REMOTE_ADDR") or None
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                if h.strip()]
        if len(hops) >= count:
            try:
                return str(ipaddress.ip_address(hops[-count]))
            except ValueError:
                return remote
    return remote


class AuditContextMiddleware:
    """Set the actor of the request (its user, its address, source ``web``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        token = _actor.set(Actor(user.pk if user is not None and user.is_authenticated
                                 else None, client_ip(request), "web"))
        try:
            return self.get_response(request)
        finally:
            _actor.reset(token)


@contextlib.contextmanager
def acting_as(user_or_id, source: str) -> Iterator[None]:
    """Record what the block changes as done by ``user_or_id`` (a user, an id or ``None``)
    from ``source`` (``worker``, ``command``)."""
    user_id = getattr(user_or_id, "pk", user_or_id)
    token = _actor.set(Actor(user_id, None, source))
    try:
        yield
    finally:
        _actor.reset(token)


def acts(service):
    """Decorator of a service that takes ``user=``: what the service changes is recorded as
    done by that user (keeping the request's address and source), in a request, a Celery task
    or a command alike."""
    import functools

    @functools.wraps(service)
    def wrapper(*args, **kwargs):
        user = kwargs.get("user")
        if user is None:
            return service(*args, **kwargs)
        actor = _actor.get()
        token = _actor.set(Actor(getattr(user, "pk", user), actor.ip, actor.source))
        try:
            return service(*args, **kwargs)
        finally:
            _actor.reset(token)

    return wrapper


def current_actor() -> Actor:
    return _actor.get()


def history_user(instance=None, request=None, **kwargs):
    """simple-history's ``get_user``: the request's user, else the current actor's."""
    if request is not None and getattr(request, "user", None) is not None \
            and request.user.is_authenticated:
        return request.user
    user_id = _actor.get().user_id
    if user_id is None:
        return None
    from django.contrib.auth import get_user_model

    return get_user_model()._base_manager.filter(pk=user_id).first()


class AuditedHistoricalModel(models.Model):
    """Fields every historical row adds: where the change came from."""

    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=12, blank=True)

    class Meta:
        abstract = True


def audited_history(**kwargs) -> HistoricalRecords:
    """``HistoricalRecords`` with the audit fields and the actor as the history user."""
    return HistoricalRecords(bases=[AuditedHistoricalModel], get_user=history_user, **kwargs)


def on_pre_create_historical_record(sender, instance, history_instance, **kwargs) -> None:
    actor = _actor.get()
    history_instance.ip_address = actor.ip
    history_instance.source = actor.source


def on_post_create_historical_record(sender, instance, history_instance, **kwargs) -> None:
    from .models import AuditEvent

    AuditEvent.objects.create(**_change(instance, history_instance))


def _change(instance, history_instance) -> dict:
    kinds = {"+": "created", "~": "changed", "-": "deleted"}
    actor = _actor.get()
    user = history_instance.history_user
    return {"kind": kinds.get(history_instance.history_type, "changed"),
            "at": history_instance.history_date,
            "user_id": getattr(user, "pk", None) or actor.user_id,
            "username": getattr(user, "username", "") or "",
            "ip_address": actor.ip, "source": actor.source,
            "model": instance._meta.label_lower, "object_id": str(instance.pk),
            "history_id": history_instance.pk,
            "detail": {"reason": history_instance.history_change_reason or ""}}


def audited_bulk_create(objs, model, *, user=None, reason: str = "") -> list:
    """``bulk_create`` with history rows and audit events for every object (simple-history's
    bulk helper sends no signals)."""
    from .models import AuditEvent

    actor = _actor.get()
    created = bulk_create_with_history(
        objs, model, default_user=user or history_user(), default_change_reason=reason,
        custom_historical_attrs={"ip_address": actor.ip, "source": actor.source})
    history = model.history.model
    rows = history.objects.filter(**{f"{model._meta.pk.attname}__in": [o.pk for o in created],
                                     "history_type": "+"})
    AuditEvent.objects.bulk_create([
        AuditEvent(kind="created", at=h.history_date, user_id=h.history_user_id,
                   username=getattr(h.history_user, "username", "") if h.history_user_id
                   else "", ip_address=actor.ip, source=actor.source,
                   model=model._meta.label_lower,
                   object_id=str(getattr(h, model._meta.pk.attname)), history_id=h.pk,
                   detail={"reason": reason}) for h in rows.select_related("history_user")])
    return created


def audit_history_copied(model, *, history_date, pks: list, reason: str = "") -> None:
    """One audit event per historical row of ``model`` written at ``history_date`` for the rows
    ``pks``, copied from those rows in one statement: history inserted in SQL (the registry
    import's ``INSERT … SELECT``) sends no signal. Runs inside the caller's transaction."""
    if not pks:
        return
    from django.db import connection

    from .models import AuditEvent

    qn = connection.ops.quote_name
    history = model.history.model
    h = {name: qn(history._meta.get_field(name).column) for name in (
        "history_id", "history_date", "history_type", "history_user", "ip_address", "source")}
    pk = qn(model._meta.pk.column)
    users = get_user_model_table()
    detail = "CAST(%s AS JSONB)" if connection.vendor == "postgresql" else "%s"
    columns = ", ".join(qn(AuditEvent._meta.get_field(n).column) for n in (
        "at", "kind", "user_id", "username", "ip_address", "source", "model", "object_id",
        "history_id", "detail"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {qn(AuditEvent._meta.db_table)} ({columns}) "
            f"SELECT h.{h['history_date']}, CASE h.{h['history_type']} WHEN '+' THEN 'created' "
            f"WHEN '-' THEN 'deleted' ELSE 'changed' END, h.{h['history_user']}, "
            f"COALESCE(u.username, ''), h.{h['ip_address']}, h.{h['source']}, %s, "
            f"CAST(h.{pk} AS TEXT), h.{h['history_id']}, {detail} "
            f"FROM {qn(history._meta.db_table)} h LEFT JOIN {users} u "
            f"ON u.id = h.{h['history_user']} WHERE h.{h['history_date']} = %s "
            f"AND h.{pk} IN ({', '.join(['%s'] * len(pks))})",
            [model._meta.label_lower, json.dumps({"reason": reason}, ensure_ascii=False),
             history._meta.get_field("history_date").get_db_prep_save(history_date, connection),
             *pks])


def get_user_model_table() -> str:
    from django.contrib.auth import get_user_model
    from django.db import connection

    return connection.ops.quote_name(get_user_model()._meta.db_table)


def audit_security_event(request, *, kind: str, user=None, username: str = "") -> None:
    """One login, failed login, logout, lockout or wrong-code event."""
    from .models import AuditEvent

    AuditEvent.objects.create(
        kind=kind, user_id=getattr(user, "pk", None),
        username=(getattr(user, "username", "") or username or "")[:150],
        ip_address=client_ip(request) if request is not None else None,
        source="web" if request is not None else _actor.get().source,
        detail={"user_agent": (request.META.get("HTTP_USER_AGENT", "")[:300]
                               if request is not None else "")})
