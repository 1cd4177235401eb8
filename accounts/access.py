"""Access helpers for views: who may open a page, and the object he may open on it.

Every view states its audiences with :func:`audience_required` (anonymous → login page; a
signed-in user of another audience → 403) and fetches each object with :func:`scoped_get`, which
goes through the model's scoping selector (``for_user``): an object outside the user's scope is
404, never a hint that it exists. Public pages use :func:`public_get` on a ``published()`` /
``public()`` queryset. The same permission is checked again in the service that writes, so no
caller can skip it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from .scoping import Audience, audience_of

STAFF = (Audience.ADMIN, Audience.REGULATOR)
REGULATORS = (Audience.REGULATOR,)
INSPECTORS = (Audience.INSPECTOR,)
INSTITUTIONS = (Audience.INSTITUTION,)

_MESSAGES = {
    STAFF: _("This page is for regulators."),
    REGULATORS: _("This page is for regulators."),
    INSPECTORS: _("This page is for inspectors."),
    INSTITUTIONS: _("This page is for institution users."),
}


def require_audience(user, audiences: Iterable[Audience]) -> Audience:
    """Return ``user``'s audience if it is one of ``audiences``; else raise
    ``PermissionDenied`` with a sentence naming who the page is for."""
    audiences = tuple(audiences)
    audience = audience_of(user)
    if audience not in audiences:
        raise PermissionDenied(str(_MESSAGES.get(audiences, _("You may not open this page."))))
    return audience


def audience_required(*audiences: Audience) -> Callable:
    """View decorator: anonymous users go to the login page; a signed-in user outside
    ``audiences`` gets 403. The view finds ``request.audience`` set."""

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            request.audience = require_audience(request.user, audiences)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def scoped_get(user, queryset: QuerySet, **lookup) -> Model:
    """The object of ``queryset`` matching ``lookup`` that ``user`` may see, or 404.

    ``queryset`` is the model's queryset with any joins the page needs; it is narrowed by its
    ``for_user`` selector here, so a view cannot forget it.
    """
    return get_object_or_404(queryset.for_user(user), **lookup)


def public_get(queryset: QuerySet, **lookup) -> Model:
    """The object of a public queryset (``published()`` / ``public()``) or 404."""
    return get_object_or_404(queryset, **lookup)
