from django.core.management.base import BaseCommand

from importers.export import export_wordpress


class Command(BaseCommand):
    help = "Write the whole blog as a WordPress export (WXR 1.2) to standard output."

    def handle(self, *args, **options):
        for part in export_wordpress():
            self.stdout.write(part, ending="")
