"""Per-role scoping of the institution registry (the ``Institution.objects.for_user`` selector)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from institutions.models import Institution


@pytest.mark.django_db
def test_each_role_sees_only_its_institutions(
        institution, other_institution, admin_user, regulator, outsider_regulator,
        institution_user, other_institution_user, inspector_user):
    def seen(user):
        return set(Institution.objects.for_user(user).values_list("pk", flat=True))

    both = {institution.pk, other_institution.pk}
    assert seen(admin_user) >= both
    assert institution.pk in seen(regulator) and other_institution.pk not in seen(regulator)
    assert other_institution.pk in seen(outsider_regulator)
    assert institution.pk not in seen(outsider_regulator)
    assert seen(institution_user) == {institution.pk}
    assert seen(other_institution_user) == {other_institution.pk}
    assert seen(inspector_user) == set()  # no task yet
    assert seen(AnonymousUser()) == set()


@pytest.mark.django_db
def test_admin_changelist_is_scoped(client_as, institution, other_institution, regulator):
    response = client_as(regulator).get("/admin/institutions/institution/")
    assert response.status_code == 200
    assert institution.name in response.content.decode()
    assert other_institution.name not in response.content.decode()
    outsider = client_as(regulator).get(
        f"/admin/institutions/institution/{other_institution.pk}/change/")
    assert outsider.status_code == 404
