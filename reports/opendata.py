"""Bulk open data: one set of daily files (CSV and JSON) of each public dataset, with digests.

Datasets (:data:`DATASETS`), each the public selector and serializer of its ``/api/v1/`` list,
so a file's items are exactly the API's items: ``institutions``, ``certificates``, ``plans``,
``draws``, ``results``, ``credit-records``. Sources: seed 000 §十六 (public queries), seed 002
§五(三) (publish results), 一公开.

Layout (never served as a static or media URL; only ``reports.api`` streams it)::

    MEDIA_ROOT/opendata/YYYY-MM-DD/manifest.json
    MEDIA_ROOT/opendata/YYYY-MM-DD/<dataset>-<first 12 hex of SHA-256>.<csv|json>

``manifest.json``: ``{"date", "generated_at", "language", "files": [{"dataset", "format",
"file", "media_type", "size", "sha256", "rows"}]}`` (``size`` in bytes, ``sha256`` hex of the
whole file). The manifest is the index: it is replaced atomically (``os.replace``) after every
file it names is written, synced and renamed into place, so a reader sees the old set or the
new one, never a mix; data files are named by their digest, so a regeneration never overwrites
a file a reader may be streaming, and the files the new manifest no longer names are removed
after the switch. One run per day at a time (a cache lock); asking again for the same day
regenerates it (idempotent: one set per day). Sets older than ``OPENDATA_KEEP_DAYS`` (default
30; 0 keeps all) are removed.

Formats:

* **JSON** — an array of the API's items, one item per line (UTF-8, ``ensure_ascii=False``).
* **CSV** — UTF-8 with a byte-order mark (so that Excel reads the Chinese), CRLF, a header row.
  Nested objects become ``parent.child`` columns; lists of objects become one column per key
  (``fields.code``) with the items' values joined by ``;`` in order; lists of scalars are
  joined by ``;``; ``true``/``false``; empty cell for null. A text cell starting with ``=``,
  ``+``, ``-``, ``@``, TAB or CR is prefixed with ``'`` (CSV injection, OWASP; the shared rule
  ``common.spreadsheets.formula_neutralise``), so a formula in an institution's name is shown,
  never run; numbers are written as they are.

Labels (``*_label``) are in Simplified Chinese (the default language); public statuses are
computed for the set's date. Memory: rows are streamed with ``iterator(chunk_size=…)``
(prefetches run per chunk), never held whole (national scale: 60,000 institutions, 100,000
certificates, 1,000,000 credit events).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone, translation
from rest_framework import serializers
from rest_framework.utils.encoders import JSONEncoder

from common.spreadsheets import formula_neutralise
from credit.filters import credit_records_open
from credit.serializers import CreditRecordOpenSerializer
from inspections.filters import draws_open, plans_open, results_open
from inspections.serializers import DrawOpenSerializer, PlanOpenSerializer, ResultOpenSerializer
from qualifications.filters import certificates_open, institutions_open
from qualifications.serializers import CertificateOpenSerializer, InstitutionOpenSerializer

MANIFEST = "manifest.json"
FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
#: how long a run holds its day (seconds): well above a national-scale run (about five minutes),
#: so two runs never overlap; a run killed outright frees the day after it
LOCK_SECONDS = 3600


@dataclass(frozen=True)
class Dataset:
    """A public dataset: its name (the file stem and URL segment), its public selector and the
    serializer of its items (those of the matching ``/api/v1/`` list)."""

    name: str
    queryset: Callable[[], QuerySet]
    serializer: type[serializers.Serializer]
    chunk_size: int = 2000


DATASETS: dict[str, Dataset] = {d.name: d for d in (
    Dataset("institutions", institutions_open, InstitutionOpenSerializer),
    Dataset("certificates", certificates_open, CertificateOpenSerializer),
    Dataset("plans", plans_open, PlanOpenSerializer),
    Dataset("draws", draws_open, DrawOpenSerializer),
    Dataset("results", results_open, ResultOpenSerializer),
    Dataset("credit-records", credit_records_open, CreditRecordOpenSerializer, 5000),
)}


class OpenDataBusy(Exception):
    """Another run is generating the same day's set."""


# --- paths and the manifest ----------------------------------------------------------------

def opendata_root() -> Path:
    """``MEDIA_ROOT/opendata``: where the daily sets live (private: served by the view only)."""
    return Path(settings.MEDIA_ROOT) / "opendata"


def day_dir(day: dt.date) -> Path:
    """The folder of ``day``'s set."""
    return opendata_root() / day.isoformat()


def manifest_read(day: dt.date) -> dict | None:
    """``day``'s manifest (see the module docstring), or ``None`` when there is no set."""
    try:
        return json.loads((day_dir(day) / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, NotADirectoryError, json.JSONDecodeError):
        return None


def days_available() -> list[dt.date]:
    """The dates that have a set, newest first."""
    root = opendata_root()
    if not root.is_dir():
        return []
    days = []
    for child in root.iterdir():
        try:
            day = dt.date.fromisoformat(child.name)
        except ValueError:
            continue
        if (child / MANIFEST).is_file():
            days.append(day)
    return sorted(days, reverse=True)


def file_entry(day: dt.date, dataset: str, fmt: str) -> tuple[dict, Path] | None:
    """``(manifest entry, path)`` of one file of ``day``'s set, or ``None``."""
    manifest = manifest_read(day)
    if manifest is None:
        return None
    for entry in manifest["files"]:
        if entry["dataset"] == dataset and entry["format"] == fmt:
            return entry, day_dir(day) / entry["file"]
    return None


# --- CSV flattening ------------------------------------------------------------------------

def neutralise_cell(value: str) -> str:
    """A text cell as written: ``'`` in front when it starts with ``=``, ``+``, ``-``, ``@``,
    TAB or CR (the platform's one rule, :func:`common.spreadsheets.formula_neutralise`)."""
    return formula_neutralise(value)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ";".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, cls=JSONEncoder, sort_keys=True)
    return str(value)


def csv_columns(serializer: serializers.Serializer) -> list[tuple[str, tuple[str, ...], bool]]:
    """The CSV columns of ``serializer``'s items: ``(header, path, is_list)``: a nested object
    gives ``parent.child`` columns, a list of objects one ``list.key`` column per key."""
    columns = []
    for name, field in serializer.fields.items():
        if isinstance(field, serializers.ListSerializer) and isinstance(
                field.child, serializers.Serializer):
            columns += [(f"{name}.{sub}", (name, sub), True) for sub in field.child.fields]
        elif isinstance(field, serializers.Serializer):
            columns += [(f"{name}.{sub}", (name, sub), False) for sub in field.fields]
        else:
            columns.append((name, (name,), False))
    return columns


def csv_row(item: dict, columns) -> list[str]:
    """The CSV cells of one API item (see :func:`csv_columns`); text cells neutralised
    (numbers stay as they are)."""
    cells = []
    for _header, path, is_list in columns:
        value = item.get(path[0])
        if len(path) == 2:
            if is_list:
                value = [entry.get(path[1]) for entry in (value or [])]
            else:
                value = None if value is None else value.get(path[1])
        number = isinstance(value, int | float | Decimal) and not isinstance(value, bool)
        cells.append(str(value) if number else neutralise_cell(_cell(value)))
    return cells


# --- generation ----------------------------------------------------------------------------

def dataset_items(dataset: Dataset, *, day: dt.date) -> Iterator[dict]:
    """The API items of ``dataset``, streamed (``iterator(chunk_size)``), statuses as of
    ``day``."""
    serializer = dataset.serializer(context={"today": day, "request": None})
    for obj in dataset.queryset().iterator(chunk_size=dataset.chunk_size):
        yield serializer.to_representation(obj)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory descriptors
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def _temp_path(folder: Path, suffix: str) -> Path:
    fd, name = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=suffix)
    os.close(fd)
    return Path(name)


def _write_dataset(dataset: Dataset, folder: Path, *, day: dt.date) -> list[dict]:
    """Write ``dataset`` as CSV and JSON into ``folder`` in one pass over its rows; return the
    two manifest entries. Each file is written under a temporary name, synced, digested and
    renamed to ``<dataset>-<sha12>.<fmt>``."""
    serializer = dataset.serializer(context={"today": day, "request": None})
    columns = csv_columns(serializer)
    temps = {"csv": _temp_path(folder, ".csv"), "json": _temp_path(folder, ".json")}
    rows = 0
    try:
        with open(temps["csv"], "w", encoding="utf-8", newline="") as csv_text, \
                open(temps["json"], "w", encoding="utf-8", newline="\n") as json_text:
            csv_text.write("\ufeff")
            writer = csv.writer(csv_text, lineterminator="\r\n")
            writer.writerow([header for header, _path, _list in columns])
            json_text.write("[")
            for item in dataset_items(dataset, day=day):
                writer.writerow(csv_row(item, columns))
                json_text.write(",\n" if rows else "\n")
                json_text.write(json.dumps(item, ensure_ascii=False, cls=JSONEncoder))
                rows += 1
            json_text.write("\n]\n" if rows else "]\n")
            for text in (csv_text, json_text):
                text.flush()
                os.fsync(text.fileno())
        entries = []
        for fmt, path in temps.items():
            sha256 = _sha256(path)
            name = f"{dataset.name}-{sha256[:12]}.{fmt}"
            os.replace(path, folder / name)
            entries.append({"dataset": dataset.name, "format": fmt, "file": name,
                            "media_type": FORMATS[fmt], "size": (folder / name).stat().st_size,
                            "sha256": sha256, "rows": rows})
        return entries
    finally:
        for path in temps.values():
            path.unlink(missing_ok=True)


def _prune(keep_days: int, today: dt.date) -> list[str]:
    """Remove the sets older than ``keep_days`` days before ``today``; return their dates."""
    if keep_days <= 0:
        return []
    removed = []
    for day in days_available():
        if (today - day).days >= keep_days:
            shutil.rmtree(day_dir(day), ignore_errors=True)
            removed.append(day.isoformat())
    return removed


def opendata_generate(*, day: dt.date | None = None, datasets: list[str] | None = None) -> dict:
    """Generate (or regenerate) the set of ``day`` (default: today, local time) and return its
    manifest plus ``"pruned"`` (the dates removed by retention).

    Every dataset of :data:`DATASETS` (or only ``datasets``; the others keep their files of an
    earlier run of the same day) is written as CSV and JSON (module docstring), then the
    manifest is replaced atomically and the files it no longer names are removed. Public
    statuses are computed for ``day``; labels are in ``settings.LANGUAGE_CODE``. Raises
    :class:`OpenDataBusy` when another run holds the day's lock, ``KeyError`` for an unknown
    dataset name. The records are the current ones: ``day`` names the set."""
    day = day or timezone.localdate()
    names = list(DATASETS) if datasets is None else [DATASETS[name].name for name in datasets]
    lock = f"reports.opendata.lock.{day.isoformat()}"
    if not cache.add(lock, "1", timeout=LOCK_SECONDS):
        raise OpenDataBusy(day.isoformat())
    try:
        folder = day_dir(day)
        folder.mkdir(parents=True, exist_ok=True)
        previous = manifest_read(day) or {"files": []}
        kept = [e for e in previous["files"] if e["dataset"] not in names
                and e["dataset"] in DATASETS]
        entries: list[dict] = []
        before = {e["file"] for e in previous["files"]}
        try:
            with translation.override(settings.LANGUAGE_CODE):
                for name in names:
                    entries += _write_dataset(DATASETS[name], folder, day=day)
        except BaseException:  # leave the previous set as it was
            for entry in entries:
                if entry["file"] not in before:
                    (folder / entry["file"]).unlink(missing_ok=True)
            raise
        order = list(DATASETS)
        files = sorted(kept + entries, key=lambda e: (order.index(e["dataset"]), e["format"]))
        manifest = {"date": day.isoformat(), "generated_at": timezone.now().isoformat(),
                    "language": settings.LANGUAGE_CODE, "files": files}
        with tempfile.NamedTemporaryFile("w", dir=folder, prefix=".tmp-", suffix=".json",
                                         encoding="utf-8", delete=False) as tmp:
            json.dump(manifest, tmp, ensure_ascii=False, indent=1)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp.name, folder / MANIFEST)
        _fsync_dir(folder)
        live = manifest_read(day) or {"files": []}  # another run's, should one have overlapped
        named = {e["file"] for e in files + live["files"]} | {MANIFEST}
        for old in previous["files"]:
            if old["file"] not in named:
                (folder / old["file"]).unlink(missing_ok=True)
        pruned = _prune(int(getattr(settings, "OPENDATA_KEEP_DAYS", 30)), day)
        return {**manifest, "pruned": pruned}
    finally:
        cache.delete(lock)
