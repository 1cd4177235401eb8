from django.core.management.base import BaseCommand, CommandError

from loaders.registry import registry_workbook_write


class Command(BaseCommand):
    help = ("Write a deterministic institution registry workbook (.xlsx) with the regulator's "
            "Chinese headers, for demos and benchmarks.")

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=60000, help="number of rows")
        parser.add_argument("--out", required=True, help="path of the .xlsx file to write")
        parser.add_argument("--seed", type=int, default=2023, help="random seed")
        parser.add_argument("--province", default=None,
                            help="2-digit province code: keep all rows in one province")

    def handle(self, *args, count, out, seed, province, **options):
        if count < 1:
            raise CommandError("--count must be at least 1")
        try:
            registry_workbook_write(out, count=count, seed=seed, province=province)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"{count} rows written to {out} (seed {seed})"))
