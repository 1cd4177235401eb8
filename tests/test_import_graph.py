"""Imports flow one way: common ← accounts ← institutions ← qualifications ← inspections →
credit → reports, with the loaders (reference data, registry workbook, demo) and the project
config on top. An app may import only apps below it (README "Layout"); this test reads every
module's imports and fails on one that runs against the flow."""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR)
#: bottom first; an app may import the apps before it and itself
LAYERS = ["common", "accounts", "institutions", "qualifications", "inspections", "credit",
          "reports", "loaders", "config"]


def imported_apps(path: Path) -> set[tuple[str, int]]:
    """``(app, line)`` of each absolute import of one of ``LAYERS`` in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        for name in names:
            top = name.split(".")[0]
            if top in LAYERS:
                found.add((top, node.lineno))
    return found


def test_no_import_runs_against_the_flow():
    wrong = []
    for app in LAYERS:
        rank = LAYERS.index(app)
        for path in sorted((BASE / app).rglob("*.py")):
            for other, line in imported_apps(path):
                if LAYERS.index(other) > rank:
                    wrong.append(f"{path.relative_to(BASE)}:{line} imports {other}")
    assert not wrong, "imports against the flow:\n" + "\n".join(wrong)


def test_the_check_sees_a_wrong_import(tmp_path):
    bad = tmp_path / "m.py"
    bad.write_text("from reports.models import Report\nimport common.ledger\n", encoding="utf-8")
    assert imported_apps(bad) == {("reports", 1), ("common", 2)}
