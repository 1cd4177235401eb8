"""Fill catalogue entries: ``po_fill.py LANG FILE.json`` sets each ``{msgid: msgstr}`` of the
JSON file in ``locale/LANG/LC_MESSAGES/django.po`` (clearing the fuzzy flag); with ``--list``
it prints the untranslated and fuzzy msgids of LANG as JSON to fill in.

    .venv/bin/python scripts/po_fill.py zh_Hans --list > /tmp/todo.json
    .venv/bin/python scripts/po_fill.py zh_Hans /tmp/todo.json

The English catalogue keeps the English msgid (``msgstr`` = ``msgid``): ``po_fill.py en --same``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lang")
    parser.add_argument("mapping", nargs="?")
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--same", action="store_true", help="msgstr = msgid where missing")
    args = parser.parse_args()
    path = ROOT / "locale" / args.lang / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(path), wrapwidth=79)
    todo = [e for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    if args.list:
        json.dump({e.msgid: "" if "fuzzy" in e.flags else e.msgstr for e in todo}, sys.stdout,
                  ensure_ascii=False, indent=1)
        print()
        return 0
    mapping = {} if args.mapping is None else json.loads(Path(args.mapping).read_text("utf-8"))
    filled = 0
    for entry in todo:
        value = mapping.get(entry.msgid) or (entry.msgid if args.same else "")
        if not value:
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = {0: value, **({1: value} if args.lang == "en" else {})}
        else:
            entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = None
        filled += 1
    po.save(str(path))
    left = len([e for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)])
    print(f"{path.relative_to(ROOT)}: {filled} filled, {left} left")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
