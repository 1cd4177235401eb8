"""Schemathesis against a running server: every operation of ``/api/schema/``, every check.

The server is pytest-django's live server over the open-data world (published and draft
plans, draws, results and their corrections, credit records, certificates, the day's bulk
files), the client Schemathesis's own command line in a separate process, as an outsider
would run it: ``st run <server>/api/schema/ --checks all``. Its examples, coverage and fuzzing
phases generate valid and invalid requests from the schema; the run must hold at least 1,000
cases and fail none of the checks (server errors, status codes, content types, headers and
bodies against the schema, valid requests accepted and invalid ones rejected). Issue "Security
to the level of a government system": "Schemathesis in the suite against a running server: at
least 1,000 cases, 0 failures of any check."
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reports.opendata import opendata_generate

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("st", path=str(Path(sys.executable).parent)) is None,
                       reason="schemathesis is a dev dependency"),
]

MAX_EXAMPLES = 30


def test_schemathesis_finds_no_failure(world, live_server, tmp_path):
    opendata_generate(day=dt.date(2023, 11, 25))
    report = tmp_path / "run.json"
    st = Path(sys.executable).parent / "st"
    cmd = [str(st), "run", f"{live_server.url}/api/schema/", "--checks", "all",
           "--phases", "examples,coverage,fuzzing", "--max-examples", str(MAX_EXAMPLES),
           "--seed", "20231125", "--workers", "1", "--no-color", "--request-timeout", "30",
           "--generation-database", "none", "--report", "json",
           "--report-json-path", str(report)]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=900, cwd=tmp_path,
                         env={**os.environ, "NO_COLOR": "1"})
    out = run.stdout + run.stderr
    assert run.returncode == 0, out[-8000:]
    summary = json.loads(report.read_text())
    cases = summary["test_cases"]
    assert summary["complete"] and summary["exit_code"] == 0, out[-8000:]
    assert summary["operations"]["tested"] == summary["operations"]["total"] >= 19
    assert cases["generated"] >= 1000, cases
    assert cases["with_failures"] == 0 and cases["errored"] == 0, cases
    assert not summary["failures"] and not summary["errors"], out[-8000:]
    print(f"schemathesis: {summary['operations']['tested']} operations, "
          f"{cases['generated']} cases, 0 failures, {summary['running_time']:.0f} s")
