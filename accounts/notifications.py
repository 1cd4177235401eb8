"""Notifications: an in-site inbox and a mail, each event sent to each person once.

Each app registers the kinds of event it announces (``kind_register`` in its own
``notifications`` module, imported by its ``AppConfig.ready``) and calls :func:`notify` from the
service that makes the event happen (a rectification order issued) or from a beat task that finds
it (an order due in three days). A kind's title and body are translatable texts with
``%(name)s`` placeholders filled from the notification's ``params``, so the inbox shows them in
the reader's language and the mail goes out in the recipient's (``User.language``).

Once and only once: a notification is unique per (recipient, event key) in the database, so a
service retried, a beat task run twice or two workers racing write one row; the mail task takes
a row's lock and sends only rows not yet mailed. Source: issue "The regulators' workbench"
(notifications by Celery beat and the services, never twice for the same event, each with a
link to the page that acts on it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils.functional import Promise

from common import clock

from .models import Notification, User


@dataclass(frozen=True)
class NotificationKind:
    """A kind of event: its code and its texts (lazy translations with ``%(name)s``)."""

    code: str
    title: str | Promise
    body: str | Promise
    #: the params the texts need (checked by :func:`notify`)
    params: tuple[str, ...] = ()


_KINDS: dict[str, NotificationKind] = {}


def kind_register(code: str, *, title: str | Promise, body: str | Promise,
                  params: Iterable[str] = ()) -> NotificationKind:
    """Register the kind ``code`` (``"rectification_ordered"``); registering it again with the
    same texts is harmless (module reloads). Returns the kind."""
    kind = NotificationKind(code=code, title=title, body=body, params=tuple(params))
    _KINDS[code] = kind
    return kind


def kinds() -> dict[str, NotificationKind]:
    """Every registered kind by code."""
    return dict(_KINDS)


def render(code: str, params: dict) -> tuple[str, str]:
    """``(title, body)`` of a notification in the active language. An unknown kind (one
    removed since) renders as its code; a missing parameter as an empty text."""
    kind = _KINDS.get(code)
    if kind is None:
        return code, ""
    values = _Defaulting(params or {})
    return str(kind.title) % values, str(kind.body) % values


class _Defaulting(dict):
    def __missing__(self, key):
        return ""


def notify(*, recipients: Iterable[User], kind: str, key: str, params: dict | None = None,
           url: str = "", at: dt.datetime | None = None) -> list[Notification]:
    """Send the event ``key`` of ``kind`` to each active user of ``recipients`` once.

    ``key`` names the event (``"rectification_ordered:order:42"``; up to 200 characters); a
    recipient who already has a notification with this key gets nothing new. ``params`` (JSON
    values) fill the kind's texts; ``url`` is the path of the page that acts on it. The mail is
    queued after the transaction commits, for recipients with an e-mail address
    (:func:`accounts.tasks.notifications_mail`).

    Returns the notifications created now (``[]`` when everyone had it). Raises ``ValueError``
    for an unregistered kind, a key over 200 characters or a parameter the kind needs and
    ``params`` lacks.
    """
    return notify_each(kind=kind, at=at, items=[
        (user.pk, key, params or {}, url) for user in recipients if user is not None])


def notify_each(*, kind: str, items: Iterable[tuple[int, str, dict, str]],
                at: dt.datetime | None = None) -> list[Notification]:
    """:func:`notify` for many events of one kind at once: ``items`` are ``(recipient id, key,
    params, url)``; a few queries whatever their number (a draw's 200 team members)."""
    spec = _KINDS.get(kind)
    if spec is None:
        raise ValueError(f"unknown notification kind {kind!r}")
    wanted: dict[tuple[int, str], tuple[dict, str]] = {}
    for user_id, key, params, url in items:
        if not key or len(key) > 200:
            raise ValueError(f"notification key {key!r} must have 1 to 200 characters")
        missing = [name for name in spec.params if name not in (params or {})]
        if missing:
            raise ValueError(f"notification {kind!r} needs the parameters {', '.join(missing)}")
        wanted[(user_id, key)] = (dict(params or {}), url)
    if not wanted:
        return []
    people = dict(User.objects.filter(pk__in={u for u, _ in wanted}, is_active=True)
                  .values_list("pk", "email"))
    keys = {k for _, k in wanted}
    had = set(Notification.objects.filter(recipient_id__in=people, key__in=keys)
              .values_list("recipient_id", "key"))
    at = at or clock.now()
    rows = [Notification(recipient_id=u, kind=kind, key=k, params=p, url=url, created_at=at)
            for (u, k), (p, url) in wanted.items() if u in people and (u, k) not in had]
    if not rows:
        return []
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    mine = {(r.recipient_id, r.key) for r in rows}
    created = [n for n in Notification.objects.filter(
        recipient_id__in={u for u, _ in mine}, key__in={k for _, k in mine}, created_at=at,
        kind=kind) if (n.recipient_id, n.key) in mine]
    to_mail = [n.pk for n in created if people.get(n.recipient_id)]
    if to_mail:
        from .tasks import notifications_mail

        transaction.on_commit(lambda: notifications_mail.delay(to_mail))
    return created


def notification_open(*, notification: Notification, user: User,
                      at: dt.datetime | None = None) -> Notification:
    """Mark ``notification`` read by its recipient (the first time only). Raises
    ``PermissionDenied`` for anyone else."""
    from django.core.exceptions import PermissionDenied

    if notification.recipient_id != user.pk:
        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = at or clock.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at)
    return notification


def notifications_read_all(*, user: User, at: dt.datetime | None = None) -> int:
    """Mark every unread notification of ``user`` read; returns how many."""
    return Notification.objects.for_user(user).unread().update(read_at=at or clock.now())
