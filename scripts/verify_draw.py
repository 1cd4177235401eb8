#!/usr/bin/env python3
"""Verify a published draw: standard library only.

Usage::

    python3 scripts/verify_draw.py DRAW.json POOL.tsv [INSPECTOR_POOL.tsv]

``DRAW.json`` is ``GET /api/public/draws/{id}/``; ``POOL.tsv`` and ``INSPECTOR_POOL.tsv`` are the
files at its ``pool_url`` and ``inspector_pool_url``. The script recomputes the pool digest, the
seed commitment, the seed, the allocation, the selected institutions and (given the inspector
pool) the teams, following ``docs/draw.md`` (algorithm tic-draw-1), and prints ``MATCH`` (exit
status 0) or ``MISMATCH`` with each difference (exit status 1). Exit status 2: unreadable input.

The algorithm is ``inspections/drawing/algorithm.py`` of the platform's repository; it imports
nothing outside the standard library. Outside the repository, put ``algorithm.py`` (downloadable
from any draw's "verify" page) next to this script: the two files are all you need.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if (HERE / "algorithm.py").exists():  # downloaded next to this script
    sys.path.insert(0, str(HERE))
    import algorithm  # type: ignore[import-not-found]  # noqa: E402
else:  # inside the repository
    sys.path.insert(0, str(HERE.parent))
    from inspections.drawing import algorithm  # noqa: E402


def main(argv: list[str]) -> int:
    if len(argv) not in (3, 4):
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    try:
        record = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
        pool = Path(argv[2]).read_bytes().decode("utf-8")
        ipool = Path(argv[3]).read_bytes().decode("utf-8") if len(argv) == 4 else None
    except (OSError, ValueError) as exc:
        print(f"cannot read input: {exc}", file=sys.stderr)
        return 2
    try:
        problems = algorithm.replay(record, pool, ipool)
    except (KeyError, ValueError, algorithm.DrawError) as exc:
        problems = [f"cannot replay: {exc!r}"]
    if problems:
        print("MISMATCH")
        for p in problems:
            print(f"  - {p}")
        return 1
    what = "institutions and inspector teams" if ipool is not None else "institutions"
    print("MATCH")
    print(f"  draw {record['id']}: pool digest, commitment, seed and {what} recomputed "
          f"({len(record['result'].get('institutions', []))} institutions).")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
