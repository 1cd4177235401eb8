"""The platform's clock: what services, views and tasks take as "now" and "today".

The wall clock by default. Two things move it:

* :func:`travel` — a context manager: everything written inside sees the story's time (the demo
  runs the 2023 cycle on 2023 dates, so a pledge signed "on 26 October 2023" is on time);
* the ``CLOCK_START`` setting (ISO 8601 with its offset, e.g. ``2023-11-25T09:00+08:00``): the
  process starts at that moment and its clock runs on from there, so a demo server lets a
  newcomer act in the story's days (publish a plan, answer an order before its deadline).

In both cases the clock *advances* with real time from the moment set, so two acts a second apart
keep their order. Django's own machinery (sessions, lockouts, ``auto_now``) keeps the wall clock;
domain records take their times from here (``default=clock.now``).
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import time
from collections.abc import Iterator

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

#: (the story's moment, ``time.monotonic()`` when it was set), or ``None``: the wall clock
_travel: contextvars.ContextVar[tuple[dt.datetime, float] | None] = contextvars.ContextVar(
    "clock_travel", default=None)
_process_start: tuple[dt.datetime, float] | None = None
_process_start_read = False


def _start_from_settings() -> tuple[dt.datetime, float] | None:
    global _process_start, _process_start_read
    if not _process_start_read:
        value = getattr(settings, "CLOCK_START", "") or ""
        if value:
            try:
                moment = dt.datetime.fromisoformat(value)
            except ValueError as exc:
                raise ImproperlyConfigured(
                    f"CLOCK_START={value!r} is not an ISO 8601 date and time "
                    "(e.g. 2023-11-25T09:00+08:00)") from exc
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
            _process_start = (moment, time.monotonic())
        _process_start_read = True
    return _process_start


def now() -> dt.datetime:
    """The platform's current time: an aware ``datetime`` (see the module docstring)."""
    base = _travel.get() or _start_from_settings()
    if base is None:
        return timezone.now()
    moment, started = base
    return moment + dt.timedelta(seconds=time.monotonic() - started)


def today() -> dt.date:
    """The platform's current date in the site's time zone (``Asia/Shanghai``)."""
    return timezone.localdate(now())


def is_travelling() -> bool:
    """Whether the clock is moved (by :func:`travel` or ``CLOCK_START``)."""
    return _travel.get() is not None or _start_from_settings() is not None


@contextlib.contextmanager
def travel(to: dt.datetime | dt.date) -> Iterator[None]:
    """Inside the block, :func:`now` starts at ``to`` (a date means 09:00 local time that day)
    and runs on. Nested blocks each set their own moment."""
    if isinstance(to, dt.date) and not isinstance(to, dt.datetime):
        to = dt.datetime.combine(to, dt.time(9, 0))
    if timezone.is_naive(to):
        to = timezone.make_aware(to)
    token = _travel.set((to, time.monotonic()))
    try:
        yield
    finally:
        _travel.reset(token)


def _reset_for_tests() -> None:
    """Forget the ``CLOCK_START`` read (tests that change the setting)."""
    global _process_start, _process_start_read
    _process_start, _process_start_read = None, False
