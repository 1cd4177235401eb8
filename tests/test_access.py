"""``accounts.access``: a view states its audiences; an object comes through its selector."""

from __future__ import annotations

import pytest
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from accounts.access import STAFF, audience_required, scoped_get
from accounts.scoping import Audience, audience_of
from institutions.models import Institution

pytestmark = pytest.mark.django_db


@audience_required(*STAFF)
def staff_view(request):
    return HttpResponse(request.audience.value)


def call(user):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/x/")
    request.user = user or AnonymousUser()
    try:
        return staff_view(request)
    except Exception as exc:  # noqa: BLE001 - the test reads the kind
        return exc


def test_audiences_are_enforced(admin_user, regulator, inspector_user, institution_user):
    from django.core.exceptions import PermissionDenied

    assert call(regulator).content == b"regulator"
    assert call(admin_user).content == b"admin"
    assert isinstance(call(inspector_user), PermissionDenied)
    assert isinstance(call(institution_user), PermissionDenied)
    anonymous = call(None)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_an_account_without_its_link_is_nobody(regulator, institution_user):
    regulator.authority = None
    institution_user.institution = None
    assert audience_of(regulator) is Audience.NOBODY
    assert audience_of(institution_user) is Audience.NOBODY


def test_scoped_get_answers_404_outside_scope(regulator, institution, other_institution):
    assert scoped_get(regulator, Institution.objects, pk=institution.pk) == institution
    with pytest.raises(Http404):
        scoped_get(regulator, Institution.objects, pk=other_institution.pk)
