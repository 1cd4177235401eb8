"""docker-compose.yml: migrations run once, before web, worker and beat; web is checked on
``/health/``; the stack runs the production settings (issue "Security …", Operations)."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def services() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]


def test_web_worker_and_beat_wait_for_the_migrations():
    s = services()
    assert "manage.py migrate" in s["migrate"]["command"]
    assert s["migrate"]["restart"] == "no"
    for name in ("web", "worker", "beat"):
        assert s[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        assert "migrate" not in str(s[name]["command"])  # only the one-shot service migrates


def test_web_is_checked_on_the_health_endpoint_and_runs_production_settings():
    s = services()
    assert "/health/" in " ".join(s["web"]["healthcheck"]["test"])
    for name in ("migrate", "web", "worker", "beat"):
        assert s[name]["environment"]["DJANGO_SETTINGS_MODULE"] == "config.production"
        assert s[name]["environment"]["REQUIRE_SECRET_KEY"] == "1"


def test_web_runs_gunicorn_with_the_measured_configuration():
    """docker-compose's web and the image start gunicorn with config/gunicorn.conf.py, whose
    settings load and bind where the health check looks."""
    import runpy

    assert "-c config/gunicorn.conf.py" in services()["web"]["command"]
    assert "config/gunicorn.conf.py" in (ROOT / "Dockerfile").read_text()
    conf = runpy.run_path(str(ROOT / "config" / "gunicorn.conf.py"))
    assert conf["bind"] == "0.0.0.0:8000"
    assert conf["worker_class"] in {"sync", "gthread"} and conf["workers"] >= 1
