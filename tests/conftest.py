"""Shared fixtures: reference data loaded once per test database, and one user per role.

Roles (DOMAIN.md): platform admin; a Guangdong provincial regulator; an outsider regulator (Hunan);
an inspector; an institution user (Guangzhou institution); an institution user of another
institution; the public (anonymous client).
"""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import Role
from inspections.models import Authority
from institutions.models import Region
from loaders.reference import reference_data_load

from .factories import InspectorFactory, InstitutionFactory, UserFactory


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        reference_data_load()


@pytest.fixture
def ref(db):
    """Reference data (regions, fields, authorities, 2023 plan); reloaded after a flush."""
    if not Region.objects.exists():
        reference_data_load()


@pytest.fixture
def gd_authority(ref):
    return Authority.objects.get(name="广东省市场监督管理局")


@pytest.fixture
def hn_authority(ref):
    return Authority.objects.get(name="湖南省市场监督管理局")


@pytest.fixture
def institution(ref):
    return InstitutionFactory(name="广州市测试检测有限公司")


@pytest.fixture
def other_institution(ref):
    from .factories import region

    return InstitutionFactory(name="长沙市其他检测有限公司", region=region("430102"))


@pytest.fixture
def admin_user(ref):
    return UserFactory(username="admin", role=Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def regulator(gd_authority):
    return UserFactory(username="gd_regulator", role=Role.REGULATOR, authority=gd_authority,
                       is_staff=True)


@pytest.fixture
def outsider_regulator(hn_authority):
    return UserFactory(username="hn_regulator", role=Role.REGULATOR, authority=hn_authority,
                       is_staff=True)


@pytest.fixture
def inspector_user(gd_authority):
    user = UserFactory(username="inspector", role=Role.INSPECTOR, authority=gd_authority)
    InspectorFactory(user=user, name="张检查", authority=gd_authority)
    return user


@pytest.fixture
def institution_user(institution):
    return UserFactory(username="inst_user", role=Role.INSTITUTION, institution=institution)


@pytest.fixture
def other_institution_user(other_institution):
    return UserFactory(username="other_inst_user", role=Role.INSTITUTION,
                       institution=other_institution)


def client_for(user) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


@pytest.fixture
def client_as():
    """``client_as(user)``: a test client logged in as ``user`` (``None``: the public)."""
    return client_for


@pytest.fixture(autouse=True)
def celery_eager(request):
    """Tasks run in-process unless the test drives a real worker (marker ``celery_worker``)."""
    from config.celery import app

    if request.node.get_closest_marker("celery_worker"):
        yield
        return
    old = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = old


@pytest.fixture
def clock(monkeypatch):
    """``clock(hours)``: move the wall clock (``django.utils.timezone.now``) forward by
    ``hours`` from now on, as when a declared external value is published after the commit."""
    import datetime as dt

    from django.utils import timezone

    real = timezone.now

    def advance(hours: float) -> None:
        shift = dt.timedelta(hours=hours)
        monkeypatch.setattr(timezone, "now", lambda: real() + shift)

    return advance
