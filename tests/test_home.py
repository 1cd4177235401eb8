"""The home page shows each role its links."""

import pytest


@pytest.mark.django_db
def test_home_shows_public_links_to_everyone_and_work_links_by_role(client_as, regulator,
                                                                     institution_user):
    public = client_as(None).get("/").content.decode()
    assert "/qualifications/certificates/check/" in public
    assert "/inspections/plans/" not in public
    assert "/inspections/plans/" in client_as(regulator).get("/").content.decode()
    assert "/inspections/portal/" in client_as(institution_user).get("/").content.decode()
