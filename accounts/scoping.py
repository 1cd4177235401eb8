"""The jurisdiction rule and the one scoped base queryset every model's selector builds on.

A regulator sees what lies inside his authority's region: the region's 6-digit code
(GB/T 2260) gives a prefix — 2 digits for a province (``44`` for 440000), 4 for a city
(``4401`` for 440100), 6 for a county. A national authority (no region, or ``000000``) sees the
whole country. Platform administrators see everything; inspectors see what hangs off their own
tasks; institution users see their own institution's records; anyone else (the public,
inactive accounts) sees nothing through ``for_user`` and reads ``published()`` / ``public()``
selectors instead.

Each model's queryset subclasses :class:`ScopedQuerySet` and declares only its paths:
``region_path`` (the lookup of the 6-digit region code the row lies in), ``institution_path``
(the lookup of the institution id, for institution users) and ``inspector_path`` (the lookup of
the user id of an inspector on an active team, for inspectors). A model whose rule differs
(plans overlap jurisdictions; authorities are public bodies) overrides one audience's method,
never the guards. Source: DOMAIN.md "Where each thing lives" (a regulator sees what lies inside
his authority's region; an institution user sees his own institution; the public sees what is
published).
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, ClassVar

from django.db import models

if TYPE_CHECKING:
    from accounts.models import User

ALL = ""  # prefix matching every region code
NOTHING = None  # the user sees nothing through the region rule


class Audience(Enum):
    """Who a user is for scoping: exactly one per request."""

    NOBODY = "nobody"  # anonymous, inactive, or a role without its link (authority, institution)
    ADMIN = "admin"
    REGULATOR = "regulator"
    INSPECTOR = "inspector"
    INSTITUTION = "institution"


def audience_of(user: User | None) -> Audience:
    """The audience of ``user``: admin, regulator (with an authority), inspector, institution
    user (with an institution), or nobody."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Audience.NOBODY
    if user.is_platform_admin:
        return Audience.ADMIN
    if user.is_regulator:
        return Audience.REGULATOR
    if user.is_institution_user:
        return Audience.INSTITUTION
    if user.is_inspector:
        return Audience.INSPECTOR
    return Audience.NOBODY


def region_code_prefix(code: str | None) -> str:
    """Return the significant prefix of a 6-digit division code.

    ``"440000"`` → ``"44"``, ``"440100"`` → ``"4401"``, ``"440103"`` → ``"440103"``,
    ``None``/``"000000"`` → ``""`` (the whole country).
    """
    if not code or code == "000000":
        return ALL
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


def ancestor_codes(prefix: str) -> list[str]:
    """The region codes that contain a region of ``prefix``: its province (and city)."""
    codes = [prefix[:2] + "0000"] if prefix else []
    if len(prefix) >= 4:
        codes.append(prefix[:4] + "00")
    return codes


def region_prefix_for(user: User | None) -> str | None:
    """Return the region-code prefix a user sees, ``""`` for everything, ``None`` for nothing.

    Admins see all; a regulator sees his authority's region; other roles get ``None`` (their
    scope is not regional: inspectors see their tasks, institution users their institution).
    """
    audience = audience_of(user)
    if audience is Audience.ADMIN:
        return ALL
    if audience is Audience.REGULATOR:
        authority = user.authority
        return region_code_prefix(authority.region_id if authority else None)
    return NOTHING


def within(code: str | None, prefix: str) -> bool:
    """Whether the region ``code`` (``None``: national) lies inside the region of ``prefix``."""
    if prefix == ALL:
        return True
    return bool(code) and code.startswith(prefix)


class ScopedQuerySet(models.QuerySet):
    """Base of every scoping selector: ``Model.objects.for_user(user)``.

    The guards (anonymous, inactive, unlinked accounts see nothing; admins see all) are here and
    nowhere else. Subclasses declare the paths below; an audience whose path is ``None`` sees
    nothing. ``writable_by(user)`` is what ``user`` may choose or change in a write form (a
    foreign-key choice, an admin change page); it is the readable set unless the model says
    otherwise.
    """

    #: lookup giving the 6-digit region code the row lies in (e.g. ``"institution__region_id"``)
    region_path: ClassVar[str | None] = None
    #: lookup giving the institution id the row belongs to, for institution users
    institution_path: ClassVar[str | None] = None
    #: lookup of the team assignments (``TaskAssignment``) the row hangs off, for inspectors:
    #: an inspector sees the rows where he is an active member of the team
    inspector_path: ClassVar[str | None] = None
    #: a foreign key whose target's selector decides for every audience (a draw is seen by
    #: whoever sees its plan); the three paths above are then unused
    through_path: ClassVar[str | None] = None

    def for_user(self, user) -> ScopedQuerySet:
        """The rows ``user`` may see (DOMAIN.md: the jurisdiction rule)."""
        audience = audience_of(user)
        if audience is Audience.ADMIN:
            return self.all()
        if audience is Audience.NOBODY:
            return self.none()
        if self.through_path is not None:
            target = self.model._meta.get_field(self.through_path).related_model
            return self.filter(**{f"{self.through_path}__in":
                                  target._default_manager.for_user(user).values("pk")})
        if audience is Audience.REGULATOR:
            return self.for_regulator(user, region_prefix_for(user))
        if audience is Audience.INSTITUTION:
            return self.for_institution(user)
        if audience is Audience.INSPECTOR:
            return self.for_inspector(user)
        return self.none()

    def writable_by(self, user) -> ScopedQuerySet:
        """The rows ``user`` may pick or change in a write form: by default those he sees."""
        return self.for_user(user)

    def in_jurisdiction_of(self, user) -> ScopedQuerySet:
        """The rows inside ``user``'s jurisdiction by the region rule alone: all for an admin,
        those under ``region_path`` in his region for a regulator, none for anyone else. Used
        by models readable by all (reference data, authorities) to limit write choices."""
        audience = audience_of(user)
        if audience is Audience.ADMIN:
            return self.all()
        if audience is Audience.REGULATOR:
            return self._in_region(region_prefix_for(user))
        return self.none()

    def _in_region(self, prefix: str) -> ScopedQuerySet:
        if self.region_path is None:
            return self.none()
        if prefix == ALL:
            return self.all()
        return self.filter(**{f"{self.region_path}__startswith": prefix})

    # One method per audience; a model with another rule overrides the one that differs.
    def for_regulator(self, user, prefix: str) -> ScopedQuerySet:
        return self._in_region(prefix)

    def for_institution(self, user) -> ScopedQuerySet:
        if self.institution_path is None:
            return self.none()
        return self.filter(**{self.institution_path: user.institution_id})

    def for_inspector(self, user) -> ScopedQuerySet:
        if self.inspector_path is None:
            return self.none()
        # a subquery, so that a row on several of his teams comes once (no DISTINCT)
        ids = self.model._base_manager.filter(**{
            f"{self.inspector_path}__inspector__user": user.pk,
            f"{self.inspector_path}__active": True}).values("pk")
        return self.filter(pk__in=ids)
