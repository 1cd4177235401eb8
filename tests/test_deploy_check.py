"""Start-up refuses malformed settings, and Django's deployment checklist passes with the
production settings (``manage.py check --deploy`` prints no warning)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.envcheck import StrictEnv

ROOT = Path(__file__).resolve().parents[1]


def _manage(*args, **env):
    base = {k: v for k, v in os.environ.items()
            if k not in ("DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "HTTPS",
                         "DJANGO_ALLOW_ASYNC_UNSAFE")}  # set by the browser tests' conftest
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT,
                          env={**base, **env}, capture_output=True, text=True, timeout=120)


def test_check_deploy_prints_no_warning_with_production_settings():
    out = _manage("check", "--deploy", "--fail-level", "WARNING",
                  DJANGO_SETTINGS_MODULE="config.production",
                  SECRET_KEY=secrets.token_urlsafe(64), ALLOWED_HOSTS="jianguan.example.gov.cn")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "System check identified no issues" in out.stdout, out.stdout + out.stderr


def test_production_settings_refuse_a_missing_secret_key():
    out = _manage("check", DJANGO_SETTINGS_MODULE="config.production", SECRET_KEY="",
                  SECRET_KEY_FILE="")
    assert out.returncode != 0 and "SECRET_KEY" in out.stderr


@pytest.mark.parametrize(("name", "value", "named"), [
    ("DEBUG", "maybe", "DEBUG='maybe' is not a boolean"),
    ("DATABASE_URL", "postgres//nohost", "DATABASE_URL="),
    ("CELERY_VISIBILITY_TIMEOUT", "soon", "CELERY_VISIBILITY_TIMEOUT='soon' is not a whole"),
    ("REDIS_URL", "127.0.0.1:6379", "REDIS_URL='127.0.0.1:6379' must start with"),
    ("OPEN_API_RATE", "fast", "OPEN_API_RATE='fast' is not a rate"),
    ("TRUSTED_PROXY_COUNT", "one", "TRUSTED_PROXY_COUNT='one' is not a whole"),
])
def test_a_malformed_setting_stops_start_up_naming_it(name, value, named):
    out = _manage("check", **{name: value})
    assert out.returncode != 0
    assert "ImproperlyConfigured" in out.stderr and named in out.stderr, out.stderr[-800:]


def test_strict_booleans_and_urls():
    env = StrictEnv({"A": "Yes", "B": "off", "C": "maybe", "D": "sqlite:////tmp/x.db"})
    assert env.bool("A") is True and env.bool("B") is False
    assert env.bool("MISSING", default=True) is True
    with pytest.raises(ImproperlyConfigured, match="C='maybe'"):
        env.bool("C")
    assert env.db_url("D")["ENGINE"].endswith("sqlite3")
