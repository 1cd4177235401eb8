import os

from django.core.management.base import BaseCommand

from loaders.demo import DEMO_PASSWORD, cycle_run


class Command(BaseCommand):
    help = ("Run the 2023 national spot-check cycle end to end on a generated registry "
            "(idempotent) and print one demo account per role.")

    def add_arguments(self, parser):
        parser.add_argument("--institutions", type=int,
                            default=int(os.environ.get("DEMO_INSTITUTIONS", 60000)))
        parser.add_argument("--inspectors", type=int,
                            default=int(os.environ.get("DEMO_INSPECTORS", 20000)))

    def handle(self, *args, **options):
        accounts = cycle_run(institutions=options["institutions"],
                             inspectors=options["inspectors"], log=self.stdout.write)
        self.stdout.write(self.style.SUCCESS("\nDemo accounts (password: %s)" % DEMO_PASSWORD))
        for a in accounts:
            self.stdout.write(f"  {a.role:<55} {a.username:<14} http://127.0.0.1:8000{a.note}")
