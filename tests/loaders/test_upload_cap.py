"""An upload past ``UPLOAD_MAX_BYTES`` is dropped while it arrives (``common/uploads.py``): the
registry page says the file was too large and names the limit; nothing is stored or imported."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from institutions.models import Institution, RegistryImport

from .conftest import xlsx_bytes

pytestmark = pytest.mark.django_db
URL = "admin:institutions_institution_import_registry"


def test_a_file_past_the_cap_is_dropped_with_a_clear_error(client_as, regulator, settings):
    settings.UPLOAD_MAX_BYTES = 64 * 1024
    big = SimpleUploadedFile("registry.xlsx", b"PK\x03\x04" + b"\0" * (2 * 1024 * 1024))
    response = client_as(regulator).post(reverse(URL), {"file": big})
    assert response.status_code == 200
    body = response.content.decode()
    assert "64.0" in body and ("KB" in body or "KiB" in body), body[:2000]
    assert response.wsgi_request.uploads_refused["file"] > 64 * 1024
    assert "file" not in response.wsgi_request.FILES
    assert not RegistryImport.objects.exists() and not Institution.objects.exists()


def test_a_file_within_the_cap_goes_through(client_as, regulator, settings, gd_rows):
    data = xlsx_bytes(gd_rows)
    settings.UPLOAD_MAX_BYTES = len(data) + 1
    response = client_as(regulator).post(reverse(URL), {
        "file": SimpleUploadedFile("registry.xlsx", data)})
    assert response.status_code == 302
    assert RegistryImport.objects.get().succeeded
