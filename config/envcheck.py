"""Reading settings from the environment strictly: a malformed value stops start-up with a
message naming the variable (``DEBUG=maybe`` is not read as false; a malformed
``DATABASE_URL`` is not a bare ``KeyError``)."""

from __future__ import annotations

import os
import re

import environ
from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off"}


_RATE = re.compile(r"^[0-9]+/[smhd]$")


class StrictEnv(environ.Env):
    """django-environ's reader with strict booleans, integers and URLs."""

    def __init__(self, environ_map=None):
        super().__init__()
        self.environ_map = os.environ if environ_map is None else environ_map
        self.ENVIRON = self.environ_map  # what env.str / env.list read too
        self.smart_cast = False

    def _raw(self, var: str) -> str | None:
        return self.environ_map.get(var)

    def bool(self, var, default=environ.Env.NOTSET):  # type: ignore[override]
        """``1/true/yes/on`` or ``0/false/no/off`` (any case); else ``ImproperlyConfigured``."""
        raw = self._raw(var)
        if raw is None:
            if default is environ.Env.NOTSET:
                raise ImproperlyConfigured(f"{var} must be set")
            return default
        value = raw.strip().lower()
        if value in TRUE:
            return True
        if value in FALSE:
            return False
        raise ImproperlyConfigured(f"{var}={raw!r} is not a boolean: use 1/0, true/false, "
                                   "yes/no or on/off")

    def int(self, var, default=environ.Env.NOTSET):  # type: ignore[override]
        """A whole number; else ``ImproperlyConfigured`` naming ``var``."""
        raw = self._raw(var)
        if raw is None:
            if default is environ.Env.NOTSET:
                raise ImproperlyConfigured(f"{var} must be set")
            return default
        try:
            return int(raw.strip())
        except ValueError:
            raise ImproperlyConfigured(f"{var}={raw!r} is not a whole number") from None

    def db_url(self, var="DATABASE_URL", default=environ.Env.NOTSET, engine=None):
        """A database URL (``postgres://user:pass@host:5432/name``, ``sqlite:///path``); a
        malformed one is ``ImproperlyConfigured`` naming ``var``."""
        raw = self._raw(var)
        value = default if raw is None else raw
        if value is environ.Env.NOTSET:
            raise ImproperlyConfigured(f"{var} must be set")
        try:
            config = self.db_url_config(value, engine=engine)
        except Exception as exc:  # noqa: BLE001 - django-environ raises KeyError, ValueError…
            raise ImproperlyConfigured(
                f"{var}={value!r} is not a database URL such as "
                f"postgres://user:password@host:5432/name ({type(exc).__name__}: {exc})"
            ) from None
        if not config.get("ENGINE") or not config.get("NAME"):
            raise ImproperlyConfigured(f"{var}={value!r} names no database engine or database")
        return config

    def url_value(self, var: str, *, schemes: tuple[str, ...], default: str = "") -> str:
        """A URL whose scheme is one of ``schemes`` (empty allowed); else
        ``ImproperlyConfigured`` naming ``var``."""
        raw = self._raw(var)
        value = default if raw is None else raw.strip()
        if value and value.split("://", 1)[0] not in schemes:
            raise ImproperlyConfigured(f"{var}={value!r} must start with "
                                       + " or ".join(f"{s}://" for s in schemes))
        return value

    def rate(self, var: str, *, default: str) -> str:
        """A rate limit ``N/s``, ``N/m``, ``N/h`` or ``N/d`` (django-ratelimit's form, e.g.
        ``120/m``); else ``ImproperlyConfigured`` naming ``var``."""
        raw = self._raw(var)
        value = default if raw is None else raw.strip()
        if not _RATE.match(value):
            raise ImproperlyConfigured(f"{var}={value!r} is not a rate such as 120/m "
                                       "(a whole number per s, m, h or d)")
        return value
