from django.core.management.base import BaseCommand

from cooperation.translations import compile_catalogues


class Command(BaseCommand):
    help = (
        "Compile the translation catalogues (.po) into the .mo files Django reads, with "
        "no need for GNU gettext. Only catalogues changed since they were last compiled."
    )

    def handle(self, *args, **options):
        for path in compile_catalogues():
            self.stdout.write(f"Compiled {path}")
