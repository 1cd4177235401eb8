"""The second factor: set up a TOTP device, then confirm a code after each password login.

A platform administrator or regulator (``OTP_REQUIRED``) without a confirmed device is shown
the device's key as a QR code (segno, SVG; any TOTP app: RFC 6238, 6 digits, 30 s) and its
base32 key, and confirms it with a first code; afterwards each login asks for a code. Wrong
codes are throttled by django-otp (the device's delay doubles after each failure) and written
to the audit log.
"""

from __future__ import annotations

import base64

import segno
from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from common.audit import audit_security_event


class TokenForm(forms.Form):
    token = forms.CharField(label=gettext_lazy("One-time code"), max_length=8, min_length=6,
                            widget=forms.TextInput(attrs={"autocomplete": "one-time-code",
                                                          "inputmode": "numeric"}))


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return "/"
    return target


def _check(request, device: TOTPDevice, form: TokenForm) -> bool:
    if not form.is_valid():
        return False
    allowed, _data = device.verify_is_allowed()
    if not allowed:
        form.add_error("token", _("Too many wrong codes: wait a moment and try again."))
        return False
    if device.verify_token(form.cleaned_data["token"].strip()):
        return True
    form.add_error("token", _("This code is not valid."))
    audit_security_event(request, kind="otp_failed", user=request.user)
    return False


@login_required
def otp_setup(request):
    """Set up the user's TOTP device (an unconfirmed one is reused until confirmed)."""
    user = request.user
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect("otp_verify")
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": "TOTP"})
    form = TokenForm(request.POST or None)
    if request.method == "POST" and _check(request, device, form):
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        return redirect(_next(request))
    qr = segno.make(device.config_url, error="m").svg_inline(scale=4)
    return render(request, "accounts/otp_setup.html", {
        "form": form, "qr": qr, "next": _next(request),
        "secret": base64.b32encode(device.bin_key).decode().rstrip("=")})


@login_required
def otp_verify(request):
    """Confirm a one-time code for this session."""
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return redirect(f"{reverse('otp_setup')}?next={_next(request)}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and _check(request, device, form):
        otp_login(request, device)
        return redirect(_next(request))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next(request)})
