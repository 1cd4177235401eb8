"""Draw records are read-only in the admin, even for the platform administrator."""

import pytest

from inspections.models import Draw

from ..cycle import commit_and_run

pytestmark = pytest.mark.django_db


def test_admin_shows_draws_and_changes_nothing(client_as, provincial_plan, gd_organizer,
                                               admin_user, outsider_regulator):
    draw = commit_and_run(provincial_plan, gd_organizer, "1")
    admin = client_as(admin_user)
    assert admin.get("/admin/inspections/draw/").status_code == 200
    assert admin.get(f"/admin/inspections/draw/{draw.pk}/change/").status_code == 200
    assert admin.post(f"/admin/inspections/draw/{draw.pk}/delete/",
                      {"post": "yes"}).status_code == 403
    r = admin.post(f"/admin/inspections/draw/{draw.pk}/change/", {"external_value": "forged"})
    assert r.status_code == 403
    assert Draw.objects.get(pk=draw.pk).external_value == "1"
    assert admin.get("/admin/inspections/draw/add/").status_code == 403
    outsider = client_as(outsider_regulator).get(f"/admin/inspections/draw/{draw.pk}/change/")
    assert outsider.status_code == 404
