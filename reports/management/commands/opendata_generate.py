"""``manage.py opendata_generate [--date YYYY-MM-DD] [--dataset NAME …]``: generate the day's
bulk open-data set now (``reports.opendata.opendata_generate``), in this process."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from reports.opendata import DATASETS, OpenDataBusy, opendata_generate


class Command(BaseCommand):
    """Generate (or regenerate) one day's bulk files and print each file's size and SHA-256."""

    help = "Generate the day's bulk open-data files (CSV and JSON) with their SHA-256."

    def add_arguments(self, parser):
        """``--date``, ``--dataset`` (repeatable)."""
        parser.add_argument("--date", type=dt.date.fromisoformat, default=None,
                            help="The set's date (default: today).")
        parser.add_argument("--dataset", action="append", choices=list(DATASETS),
                            help="Only this dataset (repeatable; default: all).")

    def handle(self, *args, date=None, dataset=None, **options):
        """Generate the set; print one line per file."""
        try:
            manifest = opendata_generate(day=date, datasets=dataset)
        except OpenDataBusy as busy:
            raise CommandError(f"another run is generating {busy}") from None
        for entry in manifest["files"]:
            self.stdout.write(f"{manifest['date']}  {entry['file']:<40} {entry['rows']:>9} rows "
                              f"{entry['size']:>12} B  sha256 {entry['sha256']}")
