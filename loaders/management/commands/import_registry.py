from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from loaders.registry import registry_import


class Command(BaseCommand):
    help = ("Import an institution registry sheet (.xlsx or UTF-8 CSV): all rows or nothing; "
            "prints the problem report when rejected.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the .xlsx or .csv file")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        with path.open("rb") as fh:
            record = registry_import(file=fh, filename=path.name, user=None)
        if record.succeeded:
            self.stdout.write(self.style.SUCCESS(
                f"{record.row_count} rows: {record.created_count} institutions created, "
                f"{record.updated_count} updated, {record.unchanged_count} unchanged; "
                f"{record.certificates_created} certificates created, "
                f"{record.certificates_updated} updated ({record.seconds:.1f} s)"))
            return
        for p in record.problems:
            where = ", ".join(x for x in (f"row {p['row']}" if p["row"] else "",
                                          p["column"] or "") if x) or "file"
            self.stderr.write(f"{where}: {p['message']}")
        if record.problem_count > len(record.problems):
            self.stderr.write(f"… {record.problem_count - len(record.problems)} more problems")
        raise CommandError(f"rejected: {record.problem_count} problems, nothing written")
