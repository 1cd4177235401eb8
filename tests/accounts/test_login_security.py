"""Logging in: brute force is locked out (django-axes), staff passwords are strong, staff
sessions expire when idle, and a second factor is asked where the setting requires it; every
login, failure and lockout is in the audit log (OWASP ASVS 5.0 §6.3, §7; 等保 2.0 level 3)."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from common.models import AuditEvent

from ..factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "pw-123456"  # UserFactory


def attempt(client, username, password, url="/accounts/login/"):
    return client.post(url, {"username": username, "password": password})


def test_the_sixth_attempt_is_refused_even_with_the_right_password(regulator):
    client = Client(REMOTE_ADDR="10.1.1.1")
    for _n in range(4):
        assert attempt(client, regulator.username, "wrong").status_code == 200
    assert attempt(client, regulator.username, "wrong").status_code == 429  # the 5th locks
    locked = attempt(client, regulator.username, PASSWORD)
    assert locked.status_code == 429
    assert "locked-out" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    kinds = list(AuditEvent.objects.filter(username=regulator.username)
                 .values_list("kind", flat=True))
    assert kinds.count("login_failed") >= 5 and "locked_out" in kinds
    # the account is locked from another address too, and the address for another account
    assert attempt(Client(REMOTE_ADDR="10.9.9.9"), regulator.username,
                   PASSWORD).status_code == 429
    other = UserFactory(username="other_staff", role="regulator", is_staff=True)
    assert attempt(client, other.username, PASSWORD).status_code == 429


def test_the_admin_login_is_locked_the_same_way(admin_user):
    client = Client(REMOTE_ADDR="10.2.2.2")
    for _n in range(5):
        attempt(client, admin_user.username, "wrong", url="/admin/login/")
    assert attempt(client, admin_user.username, PASSWORD,
                   url="/admin/login/").status_code == 429


def test_a_success_is_logged_with_its_address(regulator):
    versions = regulator.history.count()
    client = Client(REMOTE_ADDR="10.3.3.3")
    response = attempt(client, regulator.username, PASSWORD)
    assert response.status_code == 302
    regulator.refresh_from_db()
    assert regulator.last_login is not None
    assert regulator.history.count() == versions  # the login is an event, not an account change
    event = AuditEvent.objects.filter(kind="login").latest("at")
    assert (event.user_id, event.ip_address, event.source) == (regulator.pk, "10.3.3.3", "web")


def test_staff_passwords_are_long_and_mixed(regulator, institution_user):
    for weak in ("Short1!", "alllowercaseletters", "ALLUPPER12345678"):
        with pytest.raises(ValidationError):
            validate_password(weak, user=regulator)
    validate_password("Zhiliang-Jiandu-2026", user=regulator)
    validate_password("zhiliang8x", user=institution_user)  # institutions: Django's defaults


def test_an_idle_staff_session_expires(client_as, regulator, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 30
    client = client_as(regulator)
    assert client.get("/inspections/plans/").status_code == 200
    session = client.session
    session["last_seen"] = time.time() - 31 * 60
    session.save()
    response = client.get("/inspections/plans/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_an_active_staff_session_stays(client_as, regulator):
    client = client_as(regulator)
    for _n in range(3):
        assert client.get("/inspections/plans/").status_code == 200


def test_a_second_factor_is_asked_where_required(client_as, regulator, settings):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.OTP_REQUIRED = True
    client = client_as(regulator)
    first = client.get("/inspections/plans/")
    assert first.status_code == 302 and "/accounts/otp/" in first["Location"]
    assert client.get("/admin/").status_code == 302
    assert client.get("/inspections/public/plans/").status_code == 200  # public pages stay
    setup = client.get("/accounts/otp/setup/")
    assert setup.status_code == 200 and "<svg" in setup.content.decode()
    device = TOTPDevice.objects.get(user=regulator)
    wrong = client.post("/accounts/otp/setup/", {"token": "000000"})
    assert wrong.status_code == 200 and AuditEvent.objects.filter(kind="otp_failed").exists()
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    token = f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"
    done = client.post("/accounts/otp/setup/?next=/inspections/plans/", {"token": token})
    assert done.status_code == 302 and done["Location"] == "/inspections/plans/"
    assert client.get("/inspections/plans/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_institution_users_are_not_asked_for_a_second_factor(client_as, institution_user,
                                                            settings):
    settings.OTP_REQUIRED = True
    assert client_as(institution_user).get("/inspections/portal/").status_code == 200


def test_behind_a_proxy_the_lock_falls_on_the_client_not_the_proxy(regulator, settings):
    """With ``TRUSTED_PROXY_COUNT=1`` every request comes from the proxy's address; the lock,
    the rate limits and the audit log use the client's, as the proxy appended it to
    ``X-Forwarded-For`` (an address the client put further left is his own claim, ignored)."""
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    attacker = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7")
    for _n in range(5):
        attempt(attacker, "nobody-here", "wrong")
    assert attempt(attacker, regulator.username, PASSWORD).status_code == 429  # address locked
    failed = AuditEvent.objects.filter(kind="login_failed").latest("at")
    assert failed.ip_address == "198.51.100.7"
    colleague = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.8")
    response = attempt(colleague, regulator.username, PASSWORD)
    assert response.status_code == 302  # the proxy itself is not locked
    assert AuditEvent.objects.filter(kind="login").latest("at").ip_address == "198.51.100.8"
