#!/usr/bin/env python3
"""Verify a published draw, from a checkout of the repository (standard library only).

    python3 scripts/verify_draw.py DRAW.json POOL.tsv [INSPECTOR_POOL.tsv]
        [--ledger LEDGER.jsonl --key KEY.pem [--head SEQ:HASH]] [--results RESULTS.json]
        [--lang zh|en]

Runs ``inspections/drawing/verifier.py``, the independent implementation of ``docs/draw.md``;
outside the repository, download that one file as ``verify_draw.py`` from any draw's "verify"
page (``/api/public/verifier/verify_draw.py``) and run it the same way. Prints MATCH (exit 0),
MISMATCH with each difference or PENDING (exit 1); exit 2 for unreadable input. The options
are described in ``docs/draw.md`` §8 (the draw, the results) and §9 (the public ledger).
"""

import runpy
from pathlib import Path

runpy.run_path(str(Path(__file__).resolve().parent.parent / "inspections/drawing/verifier.py"),
               run_name="__main__")
