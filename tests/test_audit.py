"""The audit trail: every domain model keeps history with who, when and from where; changes,
logins and lockouts are one append-only log that platform administrators read (等保 2.0 level 3;
OWASP ASVS 5.0 §16)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from common.models import AuditEvent

pytestmark = pytest.mark.django_db

DOMAIN_APPS = ("accounts", "institutions", "qualifications", "inspections", "credit", "reports")
#: append-only records that are themselves a log
WITHOUT_HISTORY = {"inspections.ledgerentry",
                   "accounts.notification"}  # a personal inbox, not a record of the platform


def test_every_domain_model_keeps_history_with_its_source_and_address():
    missing = []
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label not in DOMAIN_APPS or label in WITHOUT_HISTORY \
                or label.split(".")[1].startswith("historical"):
            continue
        history = getattr(model, "history", None)
        if history is None:
            missing.append(label)
            continue
        fields = {f.name for f in history.model._meta.fields}
        assert {"history_user", "ip_address", "source"} <= fields, label
    assert not missing, f"models without history: {missing}"


def test_a_change_made_through_a_page_records_who_when_and_from_where(client_as, regulator,
                                                                      institution):
    from django.test import Client

    client = Client(REMOTE_ADDR="10.7.7.7")
    client.force_login(regulator)
    data = {"uscc": institution.uscc, "name": "广州市测试检测有限公司（更名）",
            "region": institution.region_id, "fields": [institution.primary_field_id],
            "primary_field": institution.primary_field_id, "nature": institution.nature,
            "status": "active", "signatories-TOTAL_FORMS": "0",
            "signatories-INITIAL_FORMS": "0"}
    response = client.post(f"/admin/institutions/institution/{institution.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:500]
    row = institution.history.latest("history_date")
    assert (row.history_user, row.ip_address, row.source) == (regulator, "10.7.7.7", "web")
    event = AuditEvent.objects.filter(model="institutions.institution",
                                      object_id=str(institution.pk)).latest("at")
    assert (event.kind, event.user_id, event.ip_address, event.history_id) == (
        "changed", regulator.pk, "10.7.7.7", row.history_id)


def test_the_log_is_append_only_and_read_only_in_the_admin(client_as, admin_user, regulator):
    client_as(regulator)  # a login: one event
    event = AuditEvent.objects.latest("at")
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    for sql in ("UPDATE common_auditevent SET username = 'x' WHERE id = %s",
                "DELETE FROM common_auditevent WHERE id = %s"):
        with pytest.raises(Exception, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [event.pk])
    admin = client_as(admin_user)
    assert admin.get("/admin/common/auditevent/").status_code == 200
    assert admin.get(f"/admin/common/auditevent/{event.pk}/change/").status_code == 200
    assert admin.post(f"/admin/common/auditevent/{event.pk}/delete/",
                      {"post": "yes"}).status_code == 403
    assert client_as(regulator).get("/admin/common/auditevent/").status_code == 403


def test_the_admin_names_the_record_type_in_the_users_language(client_as, admin_user,
                                                                regulator):
    from institutions.models import Region

    Region.objects.get(code="440103").save()  # one change of a region: history and an event
    body = client_as(admin_user).get("/admin/common/auditevent/",
                                     {"model": "institutions.region"}).content.decode()
    from django.utils import translation

    with translation.override("zh-hans"):
        name = str(Region._meta.verbose_name)
    assert name != "administrative region"
    assert f'<td class="field-record_type">{name}</td>' in body, body[-3000:]


def test_the_vendor_admin_pages_speak_chinese(client_as, admin_user):
    body = client_as(admin_user).get("/admin/").content.decode()
    for label in ("登录尝试与锁定", "第二重验证设备"):
        assert label in body
    assert "TOTP devices" not in body and "Access attempts" not in body
