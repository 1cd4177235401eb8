"""The world of the role × route matrices (``world.py``), built once per test."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from .world import world_build


@pytest.fixture
def world(ref, monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    built = world_build()
    # the supplementary draws' declared values are published: a run is refused only by scope
    real = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real() + dt.timedelta(hours=3))
    return built
